/*
 * review_listing.c — `acvtrack submissions` (review.h): for a year, every expected area with the
 * state of its dataset, when it came, its deadline and whether it was late, and its score, as a
 * text table, CSV or a self-contained HTML page.
 */
#include "csvwrite.h"
#include "review.h"
#include "table.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const TIMELINESS[] = {"no deadline", "on time", "late", "not due yet",
                                         "overdue"};

const char *acv_timeliness_name(acv_timeliness t)
{
    return acv_name_of(TIMELINESS, sizeof TIMELINESS / sizeof *TIMELINESS, (int)t, "");
}

typedef struct {
    acv_submissions_model *m;
    int oom;
} load_state;

static const char *keep(acv_submissions_model *m, const char *s, int *oom)
{
    if (!s)
        return NULL;
    const char *c = acv_arena_strdup(&m->arena, s);
    if (!c)
        *oom = 1;
    return c;
}

static int add_row(void *ud, const acv_submission_row *r)
{
    load_state *ls = ud;
    acv_submissions_model *m = ls->m;
    if (ACV_GROW(m->entries, m->cap, m->n, 32)) {
        ls->oom = 1;
        return 1;
    }
    acv_submission_entry *e = &m->entries[m->n++];
    memset(e, 0, sizeof *e);
    e->area = keep(m, r->area, &ls->oom);
    e->name = keep(m, r->name, &ls->oom);
    e->country = keep(m, r->country, &ls->oom);
    e->state = keep(m, r->state ? r->state : "missing", &ls->oom);
    e->received_at = keep(m, r->received_at, &ls->oom);
    e->decided_at = keep(m, r->decided_at, &ls->oom);
    e->decided_by = keep(m, r->decided_by, &ls->oom);
    e->has_score = r->has_score;
    e->score = r->score;
    e->score_overlay = keep(m, r->run_overlay, &ls->oom);
    e->has_own_run = r->has_own_run;
    e->has_own_score = r->has_own_score;
    e->own_score = r->own_score;
    e->own_overlay = keep(m, r->own_overlay, &ls->oom);
    int has = acv_calendar_deadline(m->req.calendar, e->country, m->req.year, e->deadline);
    if (!has)
        e->timeliness = ACV_TIME_NO_DEADLINE;
    else if (e->received_at) /* YYYY-MM-DD... compares as text */
        e->timeliness =
            strncmp(e->received_at, e->deadline, 10) <= 0 ? ACV_TIME_ON_TIME : ACV_TIME_LATE;
    else
        e->timeliness = strcmp(m->as_of, e->deadline) > 0 ? ACV_TIME_OVERDUE : ACV_TIME_NOT_DUE;
    if (strcmp(e->state, "missing") == 0)
        m->n_missing++;
    else if (strcmp(e->state, "submitted") == 0)
        m->n_submitted++;
    else if (strcmp(e->state, "returned") == 0)
        m->n_returned++;
    else if (strcmp(e->state, "accepted") == 0)
        m->n_accepted++;
    if (e->timeliness == ACV_TIME_LATE)
        m->n_late++;
    if (e->timeliness == ACV_TIME_OVERDUE)
        m->n_overdue++;
    return ls->oom;
}

void acv_submissions_free(acv_submissions_model *m)
{
    if (!m)
        return;
    free(m->entries);
    acv_arena_free(&m->arena);
    free(m);
}

acv_status acv_submissions_load(acv_ctx *ctx, const acv_submissions_request *req,
                                acv_submissions_model **out, acv_error *err)
{
    *out = NULL;
    if (req->as_of && !acv_calendar_date_valid(req->as_of))
        return acv_error_set(err, ACV_ERR_INPUT, "--as-of '%s' is not a date YYYY-MM-DD",
                             req->as_of);
    acv_submissions_model *m = calloc(1, sizeof *m);
    if (!m)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    m->req = *req;
    if (req->as_of) {
        snprintf(m->as_of, sizeof m->as_of, "%s", req->as_of);
    } else {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(m->as_of, sizeof m->as_of, "%Y-%m-%d", &tm);
    }
    load_state ls = {.m = m};
    acv_status st =
        acv_store_each_submission_row(ctx->store, req->country, req->year, add_row, &ls, err);
    if (st == ACV_OK && ls.oom)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    if (st == ACV_OK && m->n == 0)
        st = acv_error_set(err, ACV_ERR_NOTFOUND,
                           req->country ? "no sub-national area of country %s in the workspace "
                                          "(see 'acvtrack areas list')"
                                        : "no sub-national area in the workspace%s",
                           req->country ? req->country : "");
    if (st != ACV_OK) {
        acv_submissions_free(m);
        return st;
    }
    m->req.as_of = m->as_of;
    *out = m;
    return ACV_OK;
}

/* ---- rendering ---------------------------------------------------------------------------------
 */

static void score_text(const acv_submission_entry *e, char *out, size_t size)
{
    if (!e->has_score)
        snprintf(out, size, "-");
    else
        snprintf(out, size, "%.1f%s%s%s", e->score, e->score_overlay ? " (overlay " : "",
                 e->score_overlay ? e->score_overlay : "", e->score_overlay ? ")" : "");
}

/* The sender's own score: "58.2 (overlay NAME)" or "58.2 (shared framework)"; "-" without a
 * run, "no score" for a run without an overall score. */
static void own_score_text(const acv_submission_entry *e, char *out, size_t size)
{
    if (!e->has_own_run)
        snprintf(out, size, "-");
    else if (!e->has_own_score)
        snprintf(out, size, "no score");
    else
        snprintf(out, size, "%.1f (%s%s)", e->own_score,
                 e->own_overlay ? "overlay " : "shared framework",
                 e->own_overlay ? e->own_overlay : "");
}

static void summary(const acv_submissions_model *m, acv_buf *out)
{
    acv_buf_printf(out, "Submissions for %d: %s, as of %s\n", m->req.year,
                   m->req.country ? m->req.country : "every country", m->as_of);
    acv_buf_printf(out,
                   "%zu area%s expected: %zu accepted, %zu returned, %zu submitted (waiting for "
                   "review), %zu missing; %zu late, %zu overdue\n",
                   m->n, m->n == 1 ? "" : "s", m->n_accepted, m->n_returned, m->n_submitted,
                   m->n_missing, m->n_late, m->n_overdue);
}

static const acv_table_column COLUMNS[] = {
    {"AREA", 0},       {"NAME", 32},      {"STATE", 0},          {"RECEIVED", 0}, {"DEADLINE", 0},
    {"TIMELINESS", 0}, {"SCORE HERE", 0}, {"SENDER'S SCORE", 0}, {"DECIDED", 0},
};

static void render_table(const acv_submissions_model *m, acv_buf *out)
{
    summary(m, out);
    acv_buf_puts(out, "SCORE HERE: the latest run of the year in this workspace, with its own "
                      "framework; SENDER'S SCORE: the\narea's own run that its package carried, "
                      "with the sender's framework and overlay (not comparable as such).\n\n");
    acv_table t;
    acv_table_init(&t, COLUMNS, sizeof COLUMNS / sizeof *COLUMNS);
    acv_error err;
    for (size_t i = 0; i < m->n; i++) {
        const acv_submission_entry *e = &m->entries[i];
        char received[11] = "-", score[160], own[160], decided[300] = "-";
        if (e->received_at)
            snprintf(received, sizeof received, "%.10s", e->received_at);
        score_text(e, score, sizeof score);
        own_score_text(e, own, sizeof own);
        if (e->decided_at && strcmp(e->state, "submitted") != 0)
            snprintf(decided, sizeof decided, "%.10s by %s", e->decided_at, e->decided_by);
        const char *cells[] = {e->area,
                               e->name,
                               e->state,
                               received,
                               e->deadline[0] ? e->deadline : "-",
                               acv_timeliness_name(e->timeliness),
                               score,
                               own,
                               decided};
        if (acv_table_add(&t, cells, &err) != ACV_OK) {
            out->failed = 1;
            break;
        }
    }
    acv_table_render(&t, out);
    acv_table_free(&t);
}

static void render_csv(const acv_submissions_model *m, acv_buf *out)
{
    acv_csv_writer w = acv_csvwrite_to_buf(out);
    static const char *const header[] = {
        "year",        "area",          "name",         "country",       "state",
        "received_at", "deadline",      "timeliness",   "decided_at",    "decided_by",
        "score",       "score_overlay", "sender_score", "sender_overlay"};
    for (size_t i = 0; i < sizeof header / sizeof *header; i++)
        acv_csvwrite_raw(&w, header[i]);
    acv_csvwrite_end_row(&w);
    for (size_t i = 0; i < m->n; i++) {
        const acv_submission_entry *e = &m->entries[i];
        acv_csvwrite_integer(&w, m->req.year);
        acv_csvwrite_text(&w, e->area);
        acv_csvwrite_text(&w, e->name);
        acv_csvwrite_text(&w, e->country);
        acv_csvwrite_text(&w, e->state);
        acv_csvwrite_text(&w, e->received_at);
        acv_csvwrite_text(&w, e->deadline[0] ? e->deadline : NULL);
        acv_csvwrite_text(&w, acv_timeliness_name(e->timeliness));
        acv_csvwrite_text(&w, e->decided_at);
        acv_csvwrite_text(&w, e->decided_by);
        acv_csvwrite_number(&w, e->has_score, e->score);
        acv_csvwrite_text(&w, e->score_overlay);
        acv_csvwrite_number(&w, e->has_own_score, e->own_score);
        acv_csvwrite_text(&w,
                          e->has_own_run && !e->own_overlay ? "shared framework" : e->own_overlay);
        acv_csvwrite_end_row(&w);
    }
}

static void esc(acv_buf *b, const char *s)
{
    for (const char *p = s; p && *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '&')
            acv_buf_puts(b, "&amp;");
        else if (c == '<')
            acv_buf_puts(b, "&lt;");
        else if (c == '>')
            acv_buf_puts(b, "&gt;");
        else if (c == '"')
            acv_buf_puts(b, "&quot;");
        else if (c == '\'')
            acv_buf_puts(b, "&#39;");
        else if (c >= 0x80)
            p += acv_buf_utf8_char(b, p) - 1;
        else if (c >= 0x20 || c == '\t' || c == '\n')
            acv_buf_append(b, p, 1);
    }
}

static void cell(acv_buf *b, const char *cls, const char *text)
{
    acv_buf_puts(b, "<td");
    if (cls) {
        acv_buf_puts(b, " class=\"");
        esc(b, cls);
        acv_buf_puts(b, "\"");
    }
    acv_buf_puts(b, ">");
    esc(b, text);
    acv_buf_puts(b, "</td>");
}

static void render_html(const acv_submissions_model *m, acv_buf *out)
{
    acv_buf s = {0};
    summary(m, &s);
    char *nl = s.data ? strchr(s.data, '\n') : NULL;
    acv_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<title>");
    if (nl)
        *nl = '\0';
    esc(out, s.data);
    acv_buf_puts(out,
                 "</title>\n<style>\nbody{font-family:system-ui,sans-serif;margin:2em;color:#222}\n"
                 "table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.3em .6em;"
                 "text-align:left}\nth{background:#f3f3f3}.missing{color:#8a1c1c}"
                 ".returned{color:#9a5b00}.accepted{color:#1c6b2e}.late,.overdue{font-weight:bold;"
                 "color:#8a1c1c}\n</style>\n</head>\n<body>\n<h1>");
    esc(out, s.data);
    acv_buf_puts(out, "</h1>\n<p>");
    if (nl)
        esc(out, nl + 1);
    acv_buf_puts(out, "</p>\n<p>Score here: the latest run of the year in this workspace, with "
                      "its own framework. Sender's score: the area's own run that its package "
                      "carried, with the sender's framework and overlay (not comparable as "
                      "such).</p>\n<table>\n<thead><tr><th>Area</th><th>Name</th><th>State</th>"
                      "<th>Received</th><th>Deadline</th><th>Timeliness</th><th>Score here</th>"
                      "<th>Sender's score</th><th>Decided</th></tr></thead>\n<tbody>\n");
    acv_buf_free(&s);
    for (size_t i = 0; i < m->n; i++) {
        const acv_submission_entry *e = &m->entries[i];
        char received[11] = "", score[160], own[160], decided[300] = "";
        if (e->received_at)
            snprintf(received, sizeof received, "%.10s", e->received_at);
        score_text(e, score, sizeof score);
        own_score_text(e, own, sizeof own);
        if (e->decided_at && strcmp(e->state, "submitted") != 0)
            snprintf(decided, sizeof decided, "%.10s by %s", e->decided_at, e->decided_by);
        acv_buf_puts(out, "<tr>");
        cell(out, NULL, e->area);
        cell(out, NULL, e->name);
        cell(out, e->state, e->state);
        cell(out, NULL, received);
        cell(out, NULL, e->deadline);
        const char *t = acv_timeliness_name(e->timeliness);
        cell(out,
             e->timeliness == ACV_TIME_LATE      ? "late"
             : e->timeliness == ACV_TIME_OVERDUE ? "overdue"
                                                 : NULL,
             t);
        cell(out, NULL, e->has_score ? score : "");
        cell(out, NULL, e->has_own_run ? own : "");
        cell(out, NULL, decided);
        acv_buf_puts(out, "</tr>\n");
    }
    acv_buf_puts(out, "</tbody>\n</table>\n</body>\n</html>\n");
}

void acv_submissions_render(const acv_submissions_model *m, acv_submissions_format f, acv_buf *out)
{
    if (f == ACV_SUBMISSIONS_CSV)
        render_csv(m, out);
    else if (f == ACV_SUBMISSIONS_HTML)
        render_html(m, out);
    else
        render_table(m, out);
}
