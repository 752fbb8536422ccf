/*
 * render_xlsx.c — reports, comparisons and rankings as Excel workbooks (libxlsxwriter); see
 * render.h and docs/reports.md.
 *
 * One sheet per section, each a table with its header row frozen, an autofilter and column widths
 * fitted to what they hold; numbers are written as numbers (a score's cell holds the score in full,
 * shown with one decimal), never as text, and a missing value is an empty cell, never a zero. Text
 * is written as strings, which a spreadsheet never evaluates, so the formula defusing of the CSV
 * writer is not needed here. The run stamp has a sheet of its own. libxlsxwriter writes to a file
 * name, so the workbook goes to a private temporary folder (scratch.h) and is read back into the
 * output buffer, which the command publishes through atomicfile.h like any other report. The
 * document's creation time is the run's (a ranking's is the time it is written), so the same run
 * gives the same workbook.
 */
#include "render.h"
#include "compare.h"
#include "format.h"
#include "rank.h"
#include "report.h"
#include "scratch.h"
#include "template.h"

#include <xlsxwriter.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The largest workbook read back from the temporary folder. */
#define XLSX_MAX_BYTES ((size_t)1 << 30)
/* Columns of one sheet, and the widest a column is made (in characters). */
#define MAX_COLS 64
#define MAX_WIDTH 60.0

typedef struct {
    lxw_workbook *wb;
    lxw_format *head;  /* the header row */
    lxw_format *score; /* scores: shown with one decimal */
    lxw_format *whole; /* populations: thousands separators */
    lxw_error error;   /* the first failure */
    const char *failed_sheet;
} book;

typedef struct {
    book *bk;
    lxw_worksheet *ws;
    const char *name;
    lxw_row_t row; /* the row being written; 0 is the header */
    lxw_col_t n_cols;
    double width[MAX_COLS];
} sheet;

static void check(sheet *s, lxw_error e)
{
    if (e != LXW_NO_ERROR && s->bk->error == LXW_NO_ERROR) {
        s->bk->error = e;
        s->bk->failed_sheet = s->name;
    }
}

/* Characters (not bytes) of a UTF-8 string: what a column's width is counted in. */
static double text_width(const char *s)
{
    double n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void fit(sheet *s, lxw_col_t col, double w)
{
    if (col < MAX_COLS && w + 2 > s->width[col])
        s->width[col] = w + 2 > MAX_WIDTH ? MAX_WIDTH : w + 2;
}

/* A new sheet with its header row (headers NULL-terminated, at most MAX_COLS, extra columns
 * named by the caller with put_head). */
static void sheet_begin(book *bk, sheet *s, const char *name, const char *const *headers)
{
    memset(s, 0, sizeof *s);
    s->bk = bk;
    s->name = name;
    s->ws = workbook_add_worksheet(bk->wb, name);
    if (!s->ws) {
        check(s, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    worksheet_freeze_panes(s->ws, 1, 0);
    for (lxw_col_t c = 0; headers[c] && c < MAX_COLS; c++) {
        check(s, worksheet_write_string(s->ws, 0, c, headers[c], bk->head));
        fit(s, c, text_width(headers[c]) < 8 ? 8 : text_width(headers[c]));
        s->n_cols = c + 1;
    }
    s->row = 1;
}

static void put_head(sheet *s, lxw_col_t col, const char *text)
{
    if (!s->ws || col >= MAX_COLS)
        return;
    check(s, worksheet_write_string(s->ws, 0, col, text, s->bk->head));
    fit(s, col, text_width(text) < 8 ? 8 : text_width(text));
    if (col + 1 > s->n_cols)
        s->n_cols = col + 1;
}

/* A text cell; NULL or "" leaves the cell empty. */
static void put_text(sheet *s, lxw_col_t col, const char *text)
{
    if (!s->ws || !text || !*text)
        return;
    check(s, worksheet_write_string(s->ws, s->row, col, text, NULL));
    fit(s, col, text_width(text));
}

/* A number cell, empty when !has (never a zero for a missing value). */
static void put_number(sheet *s, lxw_col_t col, int has, double v, lxw_format *f)
{
    if (!s->ws || !has)
        return;
    check(s, worksheet_write_number(s->ws, s->row, col, v, f));
    char shown[64];
    acv_format_number(shown, sizeof shown, v);
    fit(s, col, text_width(shown));
}

static void put_bool(sheet *s, lxw_col_t col, int v)
{
    if (s->ws)
        check(s, worksheet_write_boolean(s->ws, s->row, col, v, NULL));
}

/* Column widths and an autofilter over the table. */
static void sheet_end(sheet *s)
{
    if (!s->ws)
        return;
    for (lxw_col_t c = 0; c < s->n_cols; c++)
        check(s, worksheet_set_column(s->ws, c, c, s->width[c], NULL));
    if (s->n_cols)
        check(s, worksheet_autofilter(s->ws, 0, 0, s->row - 1, (lxw_col_t)(s->n_cols - 1)));
}

/* "2026-01-02T03:04:05Z" (or with a space) as UTC, or 0 when it is not one. */
static time_t parse_utc(const char *s)
{
    struct tm tm = {0};
    if (!s || sscanf(s, "%4d-%2d-%2d%*1[T ]%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                     &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
        return 0;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return timegm(&tm);
}

/* Opens the workbook in the scratch folder with its formats and properties. */
static acv_status book_open(book *bk, const acv_scratch *sc, const char *title, const char *created,
                            acv_error *err)
{
    memset(bk, 0, sizeof *bk);
    char *path = acv_scratch_path(sc, "out.xlsx");
    if (!path)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = (char *)sc->dir};
    bk->wb = workbook_new_opt(path, &opt);
    free(path);
    if (!bk->wb)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory creating the xlsx workbook");
    lxw_doc_properties props = {
        .title = (char *)title, .author = "acvtrack", .created = parse_utc(created)};
    workbook_set_properties(bk->wb, &props);
    bk->head = workbook_add_format(bk->wb);
    bk->score = workbook_add_format(bk->wb);
    bk->whole = workbook_add_format(bk->wb);
    if (!bk->head || !bk->score || !bk->whole)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory creating the xlsx workbook");
    format_set_bold(bk->head);
    format_set_bottom(bk->head, LXW_BORDER_THIN);
    format_set_num_format(bk->score, "0.0");
    format_set_num_format(bk->whole, "#,##0");
    return ACV_OK;
}

/* Closes (writes) the workbook and reads it into out; frees it in every case. */
static acv_status book_close(book *bk, const acv_scratch *sc, acv_buf *out, acv_error *err)
{
    if (!bk->wb)
        return ACV_OK;
    lxw_error e = workbook_close(bk->wb);
    bk->wb = NULL;
    if (bk->error != LXW_NO_ERROR)
        return acv_error_set(
            err, bk->error == LXW_ERROR_MEMORY_MALLOC_FAILED ? ACV_ERR_NOMEM : ACV_ERR_IO,
            "cannot write the xlsx sheet '%s': %s", bk->failed_sheet ? bk->failed_sheet : "?",
            lxw_strerror(bk->error));
    if (e != LXW_NO_ERROR)
        return acv_error_set(err, ACV_ERR_IO, "cannot write the xlsx workbook: %s",
                             lxw_strerror(e));
    return acv_scratch_read(sc, "out.xlsx", XLSX_MAX_BYTES, out, "the xlsx workbook", err);
}

/* Runs fill on a new workbook and reads it back into out. */
typedef void (*book_filler)(book *bk, const void *model);

static acv_status render_book(const char *title, const char *created, book_filler fill,
                              const void *model, acv_buf *out, acv_error *err)
{
    acv_scratch sc;
    acv_status st = acv_scratch_open(&sc, "the xlsx workbook", err);
    if (st != ACV_OK)
        return st;
    book bk;
    st = book_open(&bk, &sc, title, created, err);
    if (st == ACV_OK)
        fill(&bk, model);
    if (st == ACV_OK)
        st = book_close(&bk, &sc, out, err);
    else if (bk.wb)
        workbook_close(bk.wb);
    acv_scratch_close(&sc);
    return st;
}

/* ---- one area's report ------------------------------------------------------------------- */

/* A pillar's, an action area's or the overall row: score, or the provisional one with what it
 * rests on, members scored and the note. Columns from col on. */
static void group_cells(sheet *s, lxw_col_t col, const acv_result *r)
{
    if (!r->code) {
        put_text(s, col + 6, "not scored in this run");
        return;
    }
    book *bk = s->bk;
    put_number(s, col, r->has_score, r->score, bk->score);
    if (!r->has_score && r->has_provisional) {
        char coverage[96];
        acv_format_coverage(coverage, sizeof coverage, r->n_core_scored, r->n_core_total);
        put_number(s, col + 1, 1, r->provisional, bk->score);
        put_text(s, col + 2, coverage);
    }
    put_number(s, col + 3, 1, r->n_scored, NULL);
    put_number(s, col + 4, 1, r->n_total, NULL);
    put_text(s, col + 5, r->class_name);
    put_text(s, col + 6, r->note);
}

static const char *const GROUP_HEAD[] = {
    "score", "provisional_score", "provisional_coverage", "scored", "of", "class", "note"};

static void report_summary(book *bk, const acv_report_model *m)
{
    const acv_framework *fw = m->fw;
    const char *head[] = {"level", "id", "name", NULL};
    sheet s;
    sheet_begin(bk, &s, "Summary", head);
    for (lxw_col_t k = 0; k < 7; k++)
        put_head(&s, 3 + k, GROUP_HEAD[k]);
    put_text(&s, 0, "overall");
    put_text(&s, 1, "ACV");
    put_text(&s, 2, "Overall");
    group_cells(&s, 3, &m->overall);
    s.row++;
    for (size_t p = 0; p < fw->n_pillars; p++, s.row++) {
        put_text(&s, 0, "pillar");
        put_text(&s, 1, fw->pillars[p].id);
        put_text(&s, 2, fw->pillars[p].name);
        group_cells(&s, 3, &m->pillars[p]);
    }
    sheet_end(&s);

    const char *ahead[] = {"pillar", "id", "name", NULL};
    sheet_begin(bk, &s, "Action areas", ahead);
    for (lxw_col_t k = 0; k < 7; k++)
        put_head(&s, 3 + k, GROUP_HEAD[k]);
    for (size_t a = 0; a < fw->n_action_areas; a++, s.row++) {
        put_text(&s, 0, fw->pillars[fw->action_areas[a].pillar].id);
        put_text(&s, 1, fw->action_areas[a].id);
        put_text(&s, 2, fw->action_areas[a].name);
        group_cells(&s, 3, &m->action_areas[a]);
    }
    sheet_end(&s);
}

static void report_indicators(book *bk, const acv_report_model *m)
{
    const acv_framework *fw = m->fw;
    const char *head[] = {"id",       "action_area", "name",  "unit",          "core",
                          "value",    "period",      "score", "target_2030",   "class",
                          "progress", "imputed",     "note",  "collect_first", NULL};
    sheet s;
    sheet_begin(bk, &s, "Indicators", head);
    for (size_t i = 0; i < fw->n_indicators; i++, s.row++) {
        const acv_indicator *ind = &fw->indicators[i];
        const acv_result *r = &m->indicators[i];
        char target[160], progress[160];
        acv_target_describe(ind, acv_indicator_target(ind, 2030), target, sizeof target);
        put_text(&s, 0, ind->id);
        put_text(&s, 1, fw->action_areas[ind->action_area].id);
        put_text(&s, 2, ind->name);
        put_text(&s, 3, ind->unit);
        put_bool(&s, 4, ind->core);
        put_text(&s, 8, target);
        if (!r->code) {
            put_text(&s, 12, "not scored in this run");
            continue;
        }
        put_number(&s, 5, r->has_value, r->value, NULL);
        put_text(&s, 6, r->period);
        put_number(&s, 7, r->has_score, r->score, bk->score);
        put_text(&s, 9, r->class_name);
        acv_format_progress(progress, sizeof progress, m->vocab, r->class_name);
        put_text(&s, 10, progress);
        put_bool(&s, 11, r->imputed);
        put_text(&s, 12, r->note);
        put_number(&s, 13, r->collect_rank > 0, r->collect_rank, NULL);
    }
    sheet_end(&s);
}

static void report_priorities(book *bk, const acv_report_model *m)
{
    const acv_framework *fw = m->fw;
    const char *head[] = {"rank", "action_area", "name", "priority", "reasons", NULL};
    sheet s;
    sheet_begin(bk, &s, "Priorities", head);
    for (size_t i = 0; i < m->n_priorities; i++) {
        const acv_result *p = &m->priorities[i];
        if (!p->code)
            continue;
        long a = acv_framework_find_action_area(fw, p->code);
        put_number(&s, 0, 1, (double)(i + 1), NULL);
        put_text(&s, 1, p->code);
        put_text(&s, 2, a >= 0 ? fw->action_areas[a].name : NULL);
        put_number(&s, 3, 1, p->value, bk->score);
        put_text(&s, 4, p->note);
        s.row++;
    }
    /* action areas without any data: listed after the ranked ones, without a rank */
    for (size_t i = 0; i < m->n_no_data; i++, s.row++) {
        const acv_result *p = &m->no_data[i];
        long a = acv_framework_find_action_area(fw, p->code);
        put_text(&s, 1, p->code);
        put_text(&s, 2, a >= 0 ? fw->action_areas[a].name : NULL);
        put_text(&s, 4, p->note);
    }
    sheet_end(&s);
}

static void report_alignment(book *bk, const acv_report_model *m)
{
    const acv_framework *fw = m->fw;
    const char *head[] = {"level", "id", "name", "score", NULL};
    sheet s;
    sheet_begin(bk, &s, "Self-assessment", head);
    put_text(&s, 0, "overall");
    put_text(&s, 1, "ACV");
    put_text(&s, 2, "Overall");
    put_number(&s, 3, m->alignment_overall.code && m->alignment_overall.has_score,
               m->alignment_overall.score, bk->score);
    s.row++;
    for (size_t p = 0; p < fw->n_pillars; p++, s.row++) {
        put_text(&s, 0, "pillar");
        put_text(&s, 1, fw->pillars[p].id);
        put_text(&s, 2, fw->pillars[p].name);
        put_number(&s, 3, m->alignment_pillars[p].code && m->alignment_pillars[p].has_score,
                   m->alignment_pillars[p].score, bk->score);
    }
    for (size_t a = 0; a < fw->n_action_areas; a++, s.row++) {
        put_text(&s, 0, "action_area");
        put_text(&s, 1, fw->action_areas[a].id);
        put_text(&s, 2, fw->action_areas[a].name);
        put_number(&s, 3, m->alignment_areas[a].code && m->alignment_areas[a].has_score,
                   m->alignment_areas[a].score, bk->score);
    }
    sheet_end(&s);
}

/* A field of the run sheet: its name, and text or a number. */
static void field_text(sheet *s, const char *name, const char *value)
{
    put_text(s, 0, name);
    put_text(s, 1, value);
    s->row++;
}

static void field_number(sheet *s, const char *name, int has, double value, lxw_format *f)
{
    put_text(s, 0, name);
    put_number(s, 1, has, value, f);
    s->row++;
}

static void report_run(book *bk, const acv_report_model *m)
{
    const char *head[] = {"field", "value", NULL};
    sheet s;
    sheet_begin(bk, &s, "Run", head);
    field_text(&s, "area", m->code);
    field_text(&s, "area_name", m->name);
    field_text(&s, "level", m->level);
    field_text(&s, "country", m->country);
    field_number(&s, "population", m->has_population, m->population, bk->whole);
    field_number(&s, "population_year", m->has_population && m->population_year > 0,
                 m->population_year, NULL);
    field_number(&s, "run", 1, (double)m->run_id, NULL);
    field_number(&s, "year", 1, m->year, NULL);
    field_text(&s, "scored_at", m->created_at);
    field_text(&s, "engine_version", m->engine_version);
    field_text(&s, "framework", m->framework_id);
    field_text(&s, "framework_version", m->framework_version);
    field_text(&s, "framework_hash", m->framework_hash);
    field_text(&s, "data_hash", m->data_hash);
    field_text(&s, "methods_hash", m->methods_hash);
    field_text(&s, "overlay", m->overlay);
    for (size_t k = 0; k < m->n_changes; k++)
        field_text(&s, "overlay_change", m->changes[k]);
    sheet_end(&s);
}

static void fill_report(book *bk, const void *model)
{
    const acv_report_model *m = model;
    report_summary(bk, m);
    report_indicators(bk, m);
    report_priorities(bk, m);
    if (m->has_alignment)
        report_alignment(bk, m);
    report_run(bk, m);
}

acv_status acv_render_xlsx(const acv_report_model *m, acv_buf *out, acv_error *err)
{
    char title[400];
    snprintf(title, sizeof title, "ACV 2045 localisation report: %s, %d", m->name ? m->name : "",
             m->year);
    return render_book(title, m->created_at, fill_report, m, out, err);
}

/* ---- a comparison ------------------------------------------------------------------------ */

static void compare_areas(book *bk, const acv_compare_model *c)
{
    const acv_framework *fw = c->fw;
    const char *head[] = {"area", "name", "country", "population", "year", "overall", NULL};
    sheet s;
    sheet_begin(bk, &s, "Areas", head);
    for (size_t p = 0; p < fw->n_pillars; p++)
        put_head(&s, (lxw_col_t)(6 + p), fw->pillars[p].id);
    for (size_t a = 0; a < c->n_areas; a++, s.row++) {
        const acv_report_model *m = c->areas[a].m;
        put_text(&s, 0, m->code);
        put_text(&s, 1, m->name);
        put_text(&s, 2, m->country);
        put_number(&s, 3, m->has_population, m->population, bk->whole);
        put_number(&s, 4, 1, m->year, NULL);
        put_number(&s, 5, m->overall.code && m->overall.has_score, m->overall.score, bk->score);
        for (size_t p = 0; p < fw->n_pillars; p++)
            put_number(&s, (lxw_col_t)(6 + p), m->pillars[p].code && m->pillars[p].has_score,
                       m->pillars[p].score, bk->score);
    }
    sheet_end(&s);
}

static void compare_indicators(book *bk, const acv_compare_model *c)
{
    const acv_framework *fw = c->fw;
    const char *head[] = {"area",   "indicator", "name",  "unit",    "value",
                          "period", "score",     "class", "adapted", NULL};
    sheet s;
    sheet_begin(bk, &s, "Indicators", head);
    for (size_t a = 0; a < c->n_areas; a++) {
        const acv_report_model *m = c->areas[a].m;
        for (size_t i = 0; i < fw->n_indicators; i++) {
            if (!c->common[i])
                continue;
            const acv_indicator *ind = &fw->indicators[i];
            const acv_result *r = &m->indicators[i];
            put_text(&s, 0, m->code);
            put_text(&s, 1, ind->id);
            put_text(&s, 2, ind->name);
            put_text(&s, 3, ind->unit);
            put_number(&s, 4, r->code && r->has_value, r->value, NULL);
            put_text(&s, 5, r->code ? r->period : NULL);
            put_number(&s, 6, r->code && r->has_score, r->score, bk->score);
            put_text(&s, 7, r->code ? r->class_name : NULL);
            put_bool(&s, 8, c->areas[a].adapted[i]);
            s.row++;
        }
    }
    sheet_end(&s);
}

static void compare_countries(book *bk, const acv_compare_model *c)
{
    const acv_framework *fw = c->fw;
    const char *head[] = {"country", "areas_counted", "population", "overall", NULL};
    sheet s;
    sheet_begin(bk, &s, "Countries", head);
    lxw_col_t excluded = (lxw_col_t)(4 + fw->n_pillars);
    for (size_t p = 0; p < fw->n_pillars; p++)
        put_head(&s, (lxw_col_t)(4 + p), fw->pillars[p].id);
    put_head(&s, excluded, "not_counted");
    for (size_t j = 0; j < c->n_countries; j++, s.row++) {
        const acv_compare_country *cc = &c->countries[j];
        put_text(&s, 0, cc->country);
        put_number(&s, 1, 1, (double)cc->n_members, NULL);
        put_number(&s, 2, cc->n_members > 0, cc->population, bk->whole);
        put_number(&s, 3, cc->overall.has, cc->overall.value, bk->score);
        for (size_t p = 0; p < fw->n_pillars; p++)
            put_number(&s, (lxw_col_t)(4 + p), cc->pillars[p].has, cc->pillars[p].value, bk->score);
        acv_buf list = {0};
        acv_buf_items(&list, cc->excluded, cc->n_excluded, ", ", "", "", acv_buf_puts);
        if (list.failed)
            check(&s, LXW_ERROR_MEMORY_MALLOC_FAILED);
        put_text(&s, excluded, list.data);
        acv_buf_free(&list);
    }
    sheet_end(&s);

    /* the indicators' population-weighted means, from scores no overlay adapted */
    const char *ihead[] = {"country",       "indicator",  "name", "score",
                           "areas_counted", "population", NULL};
    sheet_begin(bk, &s, "Country indicators", ihead);
    for (size_t j = 0; j < c->n_countries; j++) {
        const acv_compare_country *cc = &c->countries[j];
        for (size_t i = 0; i < fw->n_indicators; i++) {
            if (!c->common[i])
                continue;
            const acv_weighted_mean *w = &cc->indicators[i];
            put_text(&s, 0, cc->country);
            put_text(&s, 1, fw->indicators[i].id);
            put_text(&s, 2, fw->indicators[i].name);
            put_number(&s, 3, w->has, w->value, bk->score);
            put_number(&s, 4, 1, w->n, NULL);
            put_number(&s, 5, w->has, w->population, bk->whole);
            s.row++;
        }
    }
    sheet_end(&s);
}

static void compare_runs(book *bk, const acv_compare_model *c)
{
    const char *head[] = {"area",
                          "run",
                          "year",
                          "scored_at",
                          "engine_version",
                          "framework",
                          "framework_version",
                          "framework_hash",
                          "data_hash",
                          "methods_hash",
                          "overlay",
                          NULL};
    sheet s;
    sheet_begin(bk, &s, "Run", head);
    for (size_t a = 0; a < c->n_areas; a++, s.row++) {
        const acv_report_model *m = c->areas[a].m;
        put_text(&s, 0, m->code);
        put_number(&s, 1, 1, (double)m->run_id, NULL);
        put_number(&s, 2, 1, m->year, NULL);
        put_text(&s, 3, m->created_at);
        put_text(&s, 4, m->engine_version);
        put_text(&s, 5, m->framework_id);
        put_text(&s, 6, m->framework_version);
        put_text(&s, 7, m->framework_hash);
        put_text(&s, 8, m->data_hash);
        put_text(&s, 9, m->methods_hash);
        put_text(&s, 10, m->overlay);
    }
    sheet_end(&s);
    if (!c->n_skipped)
        return;
    const char *shead[] = {"area", "not compared", NULL};
    sheet_begin(bk, &s, "Not compared", shead);
    for (size_t k = 0; k < c->n_skipped; k++, s.row++) {
        /* "CODE: why" */
        const char *sep = strstr(c->skipped[k], ": ");
        if (!sep) {
            put_text(&s, 1, c->skipped[k]);
            continue;
        }
        char code[200];
        snprintf(code, sizeof code, "%.*s", (int)(sep - c->skipped[k]), c->skipped[k]);
        put_text(&s, 0, code);
        put_text(&s, 1, sep + 2);
    }
    sheet_end(&s);
}

static void fill_compare(book *bk, const void *model)
{
    const acv_compare_model *c = model;
    compare_areas(bk, c);
    compare_indicators(bk, c);
    compare_countries(bk, c);
    compare_runs(bk, c);
}

acv_status acv_render_compare_xlsx(const acv_compare_model *c, acv_buf *out, acv_error *err)
{
    /* the latest of the compared runs dates the workbook */
    const char *created = NULL;
    for (size_t a = 0; a < c->n_areas; a++) {
        const char *t = c->areas[a].m->created_at;
        if (t && (!created || strcmp(t, created) > 0))
            created = t;
    }
    return render_book("ACV 2045 comparison", created, fill_compare, c, out, err);
}

/* ---- a ranking --------------------------------------------------------------------------- */

static void fill_rank(book *bk, const void *model)
{
    const acv_rank_model *m = model;
    const char *head[] = {"rank", "tied", "area", "name", "score", "previous_rank", "change", NULL};
    sheet s;
    sheet_begin(bk, &s, "Ranking", head);
    for (size_t i = 0; i < m->n_ranked; i++, s.row++) {
        const acv_rank_entry *e = &m->ranked[i];
        put_number(&s, 0, 1, e->rank, NULL);
        put_bool(&s, 1, e->tied);
        put_text(&s, 2, e->code);
        put_text(&s, 3, e->name);
        put_number(&s, 4, 1, e->score, bk->score);
        put_number(&s, 5, e->previous_rank > 0, e->previous_rank, NULL);
        if (e->previous_rank > 0)
            put_number(&s, 6, 1, e->previous_rank - e->rank, NULL);
        else
            put_text(&s, 6, "new");
    }
    sheet_end(&s);

    const char *uhead[] = {"area", "name", "reason", NULL};
    sheet_begin(bk, &s, "Not ranked", uhead);
    for (size_t i = 0; i < m->n_unranked; i++, s.row++) {
        put_text(&s, 0, m->unranked[i].code);
        put_text(&s, 1, m->unranked[i].name);
        put_text(&s, 2, m->unranked[i].reason);
    }
    sheet_end(&s);

    const char *ahead[] = {"field", "value", NULL};
    sheet_begin(bk, &s, "About", ahead);
    field_text(&s, "ranking", m->what);
    field_text(&s, "level", m->level);
    field_text(&s, "code", m->code);
    field_number(&s, "year", 1, m->year, NULL);
    field_number(&s, "previous_year", m->previous_year > 0, m->previous_year, NULL);
    field_text(&s, "country", m->selection.country);
    field_text(&s, "parent", m->selection.parent);
    if (!m->selection.country && !m->selection.parent)
        field_text(&s, "selection", "all sub-national areas");
    field_number(&s, "ranked", 1, (double)m->n_ranked, NULL);
    field_number(&s, "not_ranked", 1, (double)m->n_unranked, NULL);
    sheet_end(&s);
}

acv_status acv_render_rank_xlsx(const acv_rank_model *m, acv_buf *out, acv_error *err)
{
    char title[300];
    snprintf(title, sizeof title, "Ranking by %s, %d", m->what ? m->what : "", m->year);
    return render_book(title, NULL, fill_rank, m, out, err);
}

/* ---- the blank observations file --------------------------------------------------------- */

static void fill_template(book *bk, const void *model)
{
    const acv_obs_template *t = model;
    const acv_framework *fw = t->fw;
    const char *head[] = {"area", "indicator", NULL};
    sheet s;
    sheet_begin(bk, &s, "Observations", head);
    lxw_col_t c = 2;
    for (int y = t->first_year; y <= t->last_year; y++, c++) {
        char year[16];
        snprintf(year, sizeof year, "%d", y);
        put_head(&s, c, year);
    }
    put_head(&s, c, "source");
    put_head(&s, c + 1, "comment");
    fit(&s, c, 30);
    fit(&s, c + 1, 30);
    for (size_t i = 0; i < fw->n_indicators; i++, s.row++) {
        put_text(&s, 0, t->area);
        put_text(&s, 1, fw->indicators[i].id);
    }
    sheet_end(&s);

    const char *ihead[] = {"id",          "name",        "unit",      "core", "better_when",
                           "target_2030", "data_source", "frequency", NULL};
    sheet_begin(bk, &s, "Indicators", ihead);
    for (size_t i = 0; i < fw->n_indicators; i++, s.row++) {
        const acv_indicator *ind = &fw->indicators[i];
        char target[160];
        acv_target_describe(ind, acv_indicator_target(ind, 2030), target, sizeof target);
        put_text(&s, 0, ind->id);
        put_text(&s, 1, ind->name);
        put_text(&s, 2, ind->unit);
        put_bool(&s, 3, ind->core);
        put_text(&s, 4, acv_direction_name(ind->direction));
        put_text(&s, 5, target);
        put_text(&s, 6, ind->data_source);
        put_text(&s, 7, ind->frequency);
    }
    sheet_end(&s);

    char line[600];
    const char *hhead[] = {"how to import", NULL};
    sheet_begin(bk, &s, "How to import", hhead);
    snprintf(line, sizeof line,
             "1. On the sheet Observations, type each value of %s in the column of its year (a "
             "number, with a dot for decimals); leave a cell blank when there is no value.",
             t->area);
    put_text(&s, 0, line);
    s.row++;
    put_text(&s, 0,
             "2. Give the source of the figures in the column source (and a note in comment) on "
             "the rows you fill. The sheet Indicators says what each indicator measures and in "
             "which unit.");
    s.row++;
    put_text(&s, 0,
             "3. Save the sheet Observations as CSV UTF-8 (File, Save As; comma or semicolon "
             "separated both work), keeping its first row.");
    s.row++;
    put_text(&s, 0,
             "4. Import it: acvtrack import FILE.csv (acvtrack import --dry-run FILE.csv checks it "
             "first; each error names the line of the CSV file).");
    s.row++;
    sheet_end(&s);
}

acv_status acv_render_template_xlsx(const acv_obs_template *t, acv_buf *out, acv_error *err)
{
    char title[400];
    snprintf(title, sizeof title, "ACV 2045 observations template: %s (%s), %d-%d", t->area_name,
             t->area, t->first_year, t->last_year);
    return render_book(title, NULL, fill_template, t, out, err);
}
