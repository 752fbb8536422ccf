/*
 * rank.c — rankings from stored runs (rank.h): loading a year and the year before, standard
 * competition ranks with ties, and the table, CSV and JSON renderings.
 */
#include "rank.h"
#include "csvwrite.h"
#include "table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Scores are 0-100 stored as doubles: two that differ by less than this are the same score
 * computed along different paths (a sum in another order), and ranking them apart would put a
 * rounding error between two areas. */
#define RANK_SAME_SCORE 1e-9

typedef struct {
    acv_arena *arena;
    const char *no_run; /* "no scoring run for YEAR" */
    acv_rank_entry *e;
    size_t n, cap;
    int any_run;
    int oom;
    acv_progress *progress; /* updated with the rows read, or NULL */
} collect;

static int collect_row(void *ud, const acv_rank_stored *r)
{
    collect *c = ud;
    if (c->progress)
        acv_progress_update(c->progress, c->n);
    if (ACV_ARENA_GROW(c->arena, c->e, c->cap, c->n, 64)) {
        c->oom = 1;
        return 1;
    }
    acv_rank_entry *e = &c->e[c->n++];
    memset(e, 0, sizeof *e);
    e->code = acv_arena_strdup(c->arena, r->code);
    e->name = acv_arena_strdup(c->arena, r->name ? r->name : r->code);
    e->has_score = r->has_run && r->has_score;
    e->score = r->score;
    c->any_run |= r->has_run;
    if (!e->has_score) {
        if (!r->has_run)
            e->reason = c->no_run;
        else if (r->note)
            e->reason = acv_arena_strdup(c->arena, r->note);
        else
            e->reason = "no official score";
    }
    if (!e->code || !e->name || !e->reason == !e->has_score) {
        c->oom = 1;
        return 1;
    }
    return 0;
}

static int by_score_then_code(const void *pa, const void *pb)
{
    const acv_rank_entry *a = pa, *b = pb;
    if (fabs(a->score - b->score) > RANK_SAME_SCORE)
        return a->score > b->score ? -1 : 1;
    return strcmp(a->code, b->code);
}

void acv_rank_assign(acv_rank_entry *e, size_t n)
{
    if (n > 1)
        qsort(e, n, sizeof *e, by_score_then_code);
    for (size_t i = 0; i < n; i++) {
        /* the first of a group of equal scores sets the rank; the others share it, and the next
         * group starts at its position + 1 (1, 2, 2, 4) */
        int same_as_previous = i > 0 && fabs(e[i].score - e[i - 1].score) <= RANK_SAME_SCORE;
        e[i].rank = same_as_previous ? e[i - 1].rank : (int)i + 1;
        e[i].tied = same_as_previous;
        if (same_as_previous)
            e[i - 1].tied = 1;
    }
}

/* The ranked and unranked entries of one year; *any_run is 0 when no area had a run. */
static acv_status load_year(acv_ctx *ctx, const acv_rank_selection *sel, int year,
                            const char *level, const char *code, acv_progress *progress,
                            acv_arena *arena, acv_rank_entry **ranked, size_t *n_ranked,
                            acv_rank_entry **unranked, size_t *n_unranked, int *any_run,
                            acv_error *err)
{
    char no_run[64];
    snprintf(no_run, sizeof no_run, "no scoring run for %d", year);
    collect c = {.arena = arena, .no_run = acv_arena_strdup(arena, no_run), .progress = progress};
    if (!c.no_run)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    acv_status st = acv_store_rank_scores(ctx->store, sel, year, level, code, collect_row, &c, err);
    if (progress)
        acv_progress_update(progress, c.n);
    if (st == ACV_OK && c.oom)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    if (st != ACV_OK)
        return st;
    size_t n_r = 0;
    for (size_t i = 0; i < c.n; i++)
        n_r += c.e[i].has_score != 0;
    acv_rank_entry *r = acv_arena_alloc(arena, (n_r ? n_r : 1) * sizeof *r);
    acv_rank_entry *u = acv_arena_alloc(arena, (c.n - n_r ? c.n - n_r : 1) * sizeof *u);
    if (!r || !u)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    size_t a = 0, b = 0;
    for (size_t i = 0; i < c.n; i++) {
        if (c.e[i].has_score)
            r[a++] = c.e[i];
        else
            u[b++] = c.e[i]; /* stays in code order */
    }
    acv_rank_assign(r, a);
    *ranked = r;
    *n_ranked = a;
    *unranked = u;
    *n_unranked = b;
    *any_run = c.any_run;
    return ACV_OK;
}

static int by_code(const void *pa, const void *pb)
{
    return strcmp(((const acv_rank_entry *)pa)->code, ((const acv_rank_entry *)pb)->code);
}

acv_status acv_rank_load(acv_ctx *ctx, const acv_rank_request *req, acv_rank_model **out,
                         acv_error *err)
{
    *out = NULL;
    acv_rank_model *m = calloc(1, sizeof *m);
    if (!m)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    acv_status st = ACV_OK;
    char what[512];
    m->level = req->level;
    if (strcmp(req->level, "overall") == 0) {
        m->code = "ACV";
        snprintf(what, sizeof what, "overall score");
    } else {
        int pillar = strcmp(req->level, "pillar") == 0;
        long i = pillar ? acv_framework_find_pillar(ctx->fw, req->code)
                        : acv_framework_find_action_area(ctx->fw, req->code);
        if (i < 0) {
            st = acv_error_set(err, ACV_ERR_INPUT, "'%s' is not %s of framework '%s'", req->code,
                               pillar ? "a pillar" : "an action area", ctx->fw->id);
            goto fail;
        }
        m->code = req->code;
        snprintf(what, sizeof what, "%s %s (%s)", pillar ? "pillar" : "action area", req->code,
                 pillar ? ctx->fw->pillars[i].name : ctx->fw->action_areas[i].name);
    }
    m->what = acv_arena_strdup(&m->arena, what);
    m->code = acv_arena_strdup(&m->arena, m->code);
    m->selection.country = acv_arena_strdup(&m->arena, req->selection.country);
    m->selection.parent = acv_arena_strdup(&m->arena, req->selection.parent);
    if (!m->what || !m->code) {
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
        goto fail;
    }
    if (req->selection.parent) {
        acv_area parent;
        st = acv_store_get_area(ctx->store, req->selection.parent, &parent, err);
        if (st == ACV_ERR_NOTFOUND)
            st = acv_error_set(err, ACV_ERR_INPUT, "no area '%s' in the workspace",
                               req->selection.parent);
        if (st != ACV_OK)
            goto fail;
    }
    m->year = req->year;
    if (!m->year) {
        st = acv_store_rank_latest_year(ctx->store, &req->selection, &m->year, err);
        if (st != ACV_OK)
            goto fail;
        if (!m->year) {
            st = acv_error_set(err, ACV_ERR_NOTFOUND,
                               "no area of the selection has a scoring run; run 'acvtrack score' "
                               "first");
            goto fail;
        }
    }
    m->previous_year = m->year - 1;
    int any_run = 0, any_previous = 0;
    if (req->progress && req->progress->out) { /* the count is for the line only */
        size_t n_areas = 0;
        st = acv_store_rank_count(ctx->store, &req->selection, &n_areas, err);
        if (st != ACV_OK)
            goto fail;
        acv_progress_start(req->progress, "ranking", n_areas, "areas");
    }
    st = load_year(ctx, &req->selection, m->year, m->level, m->code, req->progress, &m->arena,
                   &m->ranked, &m->n_ranked, &m->unranked, &m->n_unranked, &any_run, err);
    if (st != ACV_OK)
        goto fail;
    if (!any_run) {
        st = acv_error_set(err, ACV_ERR_NOTFOUND,
                           "no area of the selection has a scoring run for %d; run 'acvtrack "
                           "score --year %d' first",
                           m->year, m->year);
        goto fail;
    }
    /* the year before, ranked the same way; looked up by code */
    acv_rank_entry *prev, *prev_un;
    size_t n_prev, n_prev_un;
    st = load_year(ctx, &req->selection, m->previous_year, m->level, m->code, NULL, &m->arena,
                   &prev, &n_prev, &prev_un, &n_prev_un, &any_previous, err);
    if (st != ACV_OK)
        goto fail;
    if (n_prev > 1)
        qsort(prev, n_prev, sizeof *prev, by_code);
    for (size_t i = 0; i < m->n_ranked; i++) {
        acv_rank_entry *p =
            n_prev ? bsearch(&m->ranked[i], prev, n_prev, sizeof *prev, by_code) : NULL;
        m->ranked[i].previous_rank = p ? p->rank : 0;
    }
    if (req->progress)
        acv_progress_finish(req->progress);
    *out = m;
    return ACV_OK;
fail:
    if (req->progress)
        acv_progress_clear(req->progress);
    acv_rank_free(m);
    return st;
}

void acv_rank_free(acv_rank_model *m)
{
    if (!m)
        return;
    acv_arena_free(&m->arena);
    free(m);
}

/* ---- rendering ---------------------------------------------------------------------------- */

static void rank_label(const acv_rank_entry *e, char *out, size_t size)
{
    snprintf(out, size, "%s%d", e->tied ? "=" : "", e->rank);
}

/* "+2" moved up two places, "-1" down one, "0" the same place, "new" not ranked the year before */
static void change_label(const acv_rank_entry *e, char *out, size_t size)
{
    if (!e->previous_rank)
        snprintf(out, size, "new");
    else
        snprintf(out, size, "%+d", e->previous_rank - e->rank);
    if (e->previous_rank && e->previous_rank == e->rank)
        snprintf(out, size, "0");
}

static void selection_phrase(const acv_rank_model *m, acv_buf *b)
{
    if (m->selection.parent)
        acv_buf_printf(b, "areas under %s", m->selection.parent);
    else if (m->selection.country)
        acv_buf_printf(b, "sub-national areas of country %s", m->selection.country);
    else
        acv_buf_puts(b, "all sub-national areas");
}

void acv_rank_render_unranked(const acv_rank_model *m, acv_buf *out)
{
    if (!m->n_unranked)
        return;
    acv_buf_printf(out, "\nNot ranked, without an official score for %s in %d:\n", m->what,
                   m->year);
    static const acv_table_column cols[] = {{"AREA", 0}, {"NAME", 48}, {"REASON", 72}};
    acv_table t;
    acv_table_init(&t, cols, 3);
    acv_error err;
    for (size_t i = 0; i < m->n_unranked; i++) {
        const acv_rank_entry *e = &m->unranked[i];
        const char *cells[] = {e->code, e->name, e->reason};
        if (acv_table_add(&t, cells, &err) != ACV_OK)
            out->failed = 1;
    }
    acv_table_render(&t, out);
    acv_table_free(&t);
}

static void render_table(const acv_rank_model *m, acv_buf *out)
{
    acv_buf_printf(out, "Ranking by %s, %d: ", m->what, m->year);
    selection_phrase(m, out);
    acv_buf_printf(out, "\n%zu ranked, %zu without an official score; change of rank since %d\n\n",
                   m->n_ranked, m->n_unranked, m->previous_year);
    static const acv_table_column cols[] = {
        {"RANK", 0}, {"AREA", 0}, {"NAME", 48}, {"SCORE", 0}, {"CHANGE", 0}};
    acv_table t;
    acv_table_init(&t, cols, 5);
    acv_error err;
    for (size_t i = 0; i < m->n_ranked; i++) {
        const acv_rank_entry *e = &m->ranked[i];
        char rank[32], score[32], change[32];
        rank_label(e, rank, sizeof rank);
        snprintf(score, sizeof score, "%.1f", e->score);
        change_label(e, change, sizeof change);
        const char *cells[] = {rank, e->code, e->name, score, change};
        if (acv_table_add(&t, cells, &err) != ACV_OK)
            out->failed = 1;
    }
    acv_table_render(&t, out);
    acv_table_free(&t);
    acv_rank_render_unranked(m, out);
}

static void render_csv(const acv_rank_model *m, int for_excel, acv_buf *out)
{
    acv_csv_writer w = acv_csvwrite_to_buf(out);
    if (for_excel)
        acv_csvwrite_bom(&w);
    const char *yes = for_excel ? "TRUE" : "true", *no = for_excel ? "FALSE" : "false";
    static const char *const head[] = {"rank",  "tied",          "area",   "name",
                                       "score", "previous_rank", "change", "reason"};
    for (size_t i = 0; i < sizeof head / sizeof *head; i++)
        acv_csvwrite_raw(&w, head[i]);
    acv_csvwrite_end_row(&w);
    for (size_t i = 0; i < m->n_ranked; i++) {
        const acv_rank_entry *e = &m->ranked[i];
        char change[32];
        change_label(e, change, sizeof change);
        acv_csvwrite_integer(&w, e->rank);
        acv_csvwrite_raw(&w, e->tied ? yes : no);
        acv_csvwrite_text(&w, e->code);
        acv_csvwrite_text(&w, e->name);
        acv_csvwrite_number(&w, 1, e->score);
        if (e->previous_rank)
            acv_csvwrite_integer(&w, e->previous_rank);
        else
            acv_csvwrite_text(&w, NULL);
        if (e->previous_rank)
            acv_csvwrite_integer(&w, e->previous_rank - e->rank);
        else
            acv_csvwrite_raw(&w, "new");
        acv_csvwrite_text(&w, NULL);
        acv_csvwrite_end_row(&w);
    }
    /* not ranked: no rank and no score, never a zero */
    for (size_t i = 0; i < m->n_unranked; i++) {
        const acv_rank_entry *e = &m->unranked[i];
        acv_csvwrite_text(&w, NULL);
        acv_csvwrite_text(&w, NULL);
        acv_csvwrite_text(&w, e->code);
        acv_csvwrite_text(&w, e->name);
        acv_csvwrite_text(&w, NULL);
        acv_csvwrite_text(&w, NULL);
        acv_csvwrite_text(&w, NULL);
        acv_csvwrite_text(&w, e->reason);
        acv_csvwrite_end_row(&w);
    }
}

static void render_json(const acv_rank_model *m, acv_buf *out)
{
    acv_buf_puts(out, "{");
    acv_buf_json_str_field(out, "level", m->level, 1);
    acv_buf_json_str_field(out, "code", m->code, 1);
    acv_buf_json_str_field(out, "country", m->selection.country, 1);
    acv_buf_json_str_field(out, "parent", m->selection.parent, 1);
    acv_buf_printf(out, "\"year\":%d,\"previous_year\":%d,\"ranked\":[", m->year, m->previous_year);
    for (size_t i = 0; i < m->n_ranked; i++) {
        const acv_rank_entry *e = &m->ranked[i];
        acv_buf_printf(out, "%s{\"rank\":%d,\"tied\":%s,", i ? "," : "", e->rank,
                       e->tied ? "true" : "false");
        acv_buf_json_str_field(out, "area", e->code, 1);
        acv_buf_json_str_field(out, "name", e->name, 1);
        acv_buf_json_num_field(out, "score", 1, e->score, 1);
        acv_buf_json_num_field(out, "previous_rank", e->previous_rank != 0, e->previous_rank, 1);
        acv_buf_json_num_field(out, "change", e->previous_rank != 0, e->previous_rank - e->rank, 1);
        acv_buf_printf(out, "\"new\":%s}", e->previous_rank ? "false" : "true");
    }
    acv_buf_puts(out, "],\"not_ranked\":[");
    for (size_t i = 0; i < m->n_unranked; i++) {
        const acv_rank_entry *e = &m->unranked[i];
        acv_buf_puts(out, i ? ",{" : "{");
        acv_buf_json_str_field(out, "area", e->code, 1);
        acv_buf_json_str_field(out, "name", e->name, 1);
        acv_buf_json_str_field(out, "reason", e->reason, 0);
        acv_buf_puts(out, "}");
    }
    acv_buf_puts(out, "]}\n");
}

void acv_rank_render(const acv_rank_model *m, acv_rank_format format, acv_buf *out)
{
    if (format == ACV_RANK_CSV || format == ACV_RANK_XLSX_CSV)
        render_csv(m, format == ACV_RANK_XLSX_CSV, out);
    else if (format == ACV_RANK_JSON)
        render_json(m, out);
    else
        render_table(m, out);
}
