/*
 * review.c — the dataset states and their transitions, decisions with who and when, and the texts
 * of `acvtrack review` and of the review part of `acvtrack status` (review.h).
 */
#include "review.h"
#include "table.h"
#include "values.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const STATE_NAMES[] = {"draft", "submitted", "accepted", "returned"};
#define N_STATES (sizeof STATE_NAMES / sizeof *STATE_NAMES)

const char *acv_ds_state_name(acv_ds_state s)
{
    return acv_name_of(STATE_NAMES, N_STATES, (int)s, "draft");
}

int acv_ds_state_parse(const char *name, acv_ds_state *out)
{
    int i = name ? acv_name_index(STATE_NAMES, N_STATES, name) : -1;
    if (i < 0)
        return 0;
    *out = (acv_ds_state)i;
    return 1;
}

int acv_review_transition(acv_ds_state from, acv_ds_state to, char *why, size_t size)
{
    const char *reason = NULL;
    switch (to) {
    case ACV_DS_SUBMITTED:
        return 1; /* a submission is reviewed whatever came before it */
    case ACV_DS_DRAFT:
        reason = "no decision makes a dataset a draft again";
        break;
    case ACV_DS_ACCEPTED:
    case ACV_DS_RETURNED:
        if (from == ACV_DS_SUBMITTED)
            return 1;
        if (from == ACV_DS_DRAFT)
            reason = to == ACV_DS_ACCEPTED ? "it is a draft: nothing was submitted to accept"
                                           : "it is a draft: nothing was submitted to return";
        else if (from == ACV_DS_ACCEPTED)
            reason = to == ACV_DS_ACCEPTED
                         ? "it is accepted already"
                         : "an accepted dataset is not returned; a new submission reopens it";
        else
            reason = to == ACV_DS_RETURNED ? "it is returned already and waits for a corrected "
                                             "submission"
                                           : "it was returned and waits for a corrected "
                                             "submission; accept that one";
        break;
    }
    if (why && size)
        snprintf(why, size, "%s", reason ? reason : "unknown state");
    return 0;
}

void acv_review_who(char *out, size_t size)
{
    static const char *const vars[] = {"ACVTRACK_USER", "USER", "LOGNAME"};
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v) {
            snprintf(out, size, "%s", v);
            return;
        }
    }
    struct passwd pw, *found = NULL;
    char buf[1024];
    if (getpwuid_r(getuid(), &pw, buf, sizeof buf, &found) == 0 && found && found->pw_name &&
        *found->pw_name)
        snprintf(out, size, "%s", found->pw_name);
    else
        snprintf(out, size, "uid %ld", (long)getuid());
}

static acv_status area_id_of(acv_ctx *ctx, const char *area, int64_t *id, acv_error *err)
{
    *id = acv_store_area_id(ctx->store, area);
    if (!*id)
        return acv_error_set(err, ACV_ERR_NOTFOUND, "unknown area '%s' (see 'acvtrack areas list')",
                             area);
    return ACV_OK;
}

acv_status acv_review_state(acv_ctx *ctx, const char *area, int year, acv_ds_state *state,
                            acv_review_decision *latest, acv_error *err)
{
    int64_t id;
    acv_status st = area_id_of(ctx, area, &id, err);
    if (st != ACV_OK)
        return st;
    acv_review_decision d;
    st = acv_store_latest_decision(ctx->store, id, year, &d, err);
    if (st == ACV_ERR_NOTFOUND) {
        acv_error_clear(err);
        *state = ACV_DS_DRAFT;
        if (latest)
            memset(latest, 0, sizeof *latest);
        return ACV_OK;
    }
    if (st != ACV_OK)
        return st;
    if (!acv_ds_state_parse(d.to_state, state))
        return acv_error_set(err, ACV_ERR_STORAGE, "unknown dataset state '%s'", d.to_state);
    if (latest)
        *latest = d;
    return ACV_OK;
}

static int blank(const char *s)
{
    if (!s)
        return 1;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return 0;
    return 1;
}

/* The request's own checks, before the workspace is read. */
static acv_status check_request(acv_ctx *ctx, const acv_review_request *req, acv_error *err)
{
    if (req->to != ACV_DS_ACCEPTED && req->to != ACV_DS_RETURNED)
        return acv_error_set(err, ACV_ERR_INPUT, "a review decision accepts or returns");
    if (req->comment && blank(req->comment))
        return acv_error_set(err, ACV_ERR_INPUT, "the comment on %s %d is empty", req->area,
                             req->year);
    if (req->to == ACV_DS_RETURNED && !req->comment && req->n_values == 0)
        return acv_error_set(err, ACV_ERR_INPUT,
                             "returning %s %d needs a comment saying what to correct (--comment "
                             "TEXT, or --indicator CODE --comment TEXT per value)",
                             req->area, req->year);
    for (size_t i = 0; i < req->n_values; i++) {
        const acv_review_comment *c = &req->values[i];
        if (!c->indicator || !acv_store_indicator_id(ctx->store, c->indicator))
            return acv_error_set(err, ACV_ERR_INPUT,
                                 "comment %zu: unknown indicator '%s' (not in the framework or "
                                 "the workspace's series)",
                                 i + 1, c->indicator ? c->indicator : "");
        acv_period p;
        if (c->period && (!acv_period_parse(c->period, &p) || p.year != req->year))
            return acv_error_set(err, ACV_ERR_INPUT,
                                 "comment %zu on %s: period '%s' is not a period of %d", i + 1,
                                 c->indicator, c->period, req->year);
        if (blank(c->comment))
            return acv_error_set(err, ACV_ERR_INPUT, "comment %zu on %s is empty", i + 1,
                                 c->indicator);
    }
    return ACV_OK;
}

acv_status acv_review_decide(acv_ctx *ctx, const acv_review_request *req, int64_t *id,
                             acv_error *err)
{
    int64_t area_id;
    acv_status st = area_id_of(ctx, req->area, &area_id, err);
    if (st == ACV_OK)
        st = check_request(ctx, req, err);
    if (st != ACV_OK)
        return st;
    char who[256];
    if (!req->who)
        acv_review_who(who, sizeof who);
    st = acv_store_begin(ctx->store, err);
    if (st != ACV_OK)
        return st;
    acv_ds_state from;
    acv_review_decision latest;
    st = acv_review_state(ctx, req->area, req->year, &from, &latest, err);
    char why[200];
    if (st == ACV_OK && !acv_review_transition(from, req->to, why, sizeof why)) {
        if (from == ACV_DS_DRAFT)
            st = acv_error_set(err, ACV_ERR_INPUT, "cannot %s %s %d: %s",
                               req->to == ACV_DS_ACCEPTED ? "accept" : "return", req->area,
                               req->year, why);
        else
            st = acv_error_set(err, ACV_ERR_INPUT, "cannot %s %s %d: %s (%s by %s at %s)",
                               req->to == ACV_DS_ACCEPTED ? "accept" : "return", req->area,
                               req->year, why, latest.to_state, latest.who, latest.at);
    }
    if (st == ACV_OK) {
        acv_review_decision d = {
            .from_state = acv_ds_state_name(from),
            .to_state = acv_ds_state_name(req->to),
            .who = req->who ? req->who : who,
            .key_id = req->key_id,
            .comment = req->comment,
            .origin = "review",
        };
        st = acv_store_add_decision(ctx->store, area_id, req->year, &d, req->values, req->n_values,
                                    id, err);
    }
    if (st == ACV_OK)
        return acv_store_commit(ctx->store, err);
    acv_store_rollback(ctx->store);
    return st;
}

acv_status acv_review_mark_submitted(acv_store *s, int64_t area_id, int year, const char *origin,
                                     const char *who, const char *key_id, acv_error *err)
{
    acv_review_decision latest;
    const char *from = "draft";
    acv_status st = acv_store_latest_decision(s, area_id, year, &latest, err);
    if (st == ACV_OK) {
        if (latest.origin && strcmp(latest.origin, origin) == 0)
            return ACV_OK; /* the same submission again */
        from = latest.to_state;
    } else if (st == ACV_ERR_NOTFOUND) {
        acv_error_clear(err);
    } else {
        return st;
    }
    char from_copy[16];
    snprintf(from_copy, sizeof from_copy, "%s", from);
    acv_review_decision d = {
        .from_state = from_copy,
        .to_state = "submitted",
        .who = who,
        .key_id = key_id,
        .origin = origin,
    };
    return acv_store_add_decision(s, area_id, year, &d, NULL, 0, NULL, err);
}

int acv_review_accepted_only(void *ud, const acv_received *r)
{
    return acv_store_received_accepted(ud, r->id);
}

/* ---- texts ----------------------------------------------------------------------------------- */

typedef struct {
    acv_table table;
    acv_status st;
    acv_error *err;
    long n;
} pending_list;

static int add_pending(void *ud, const acv_review_decision *d)
{
    pending_list *p = ud;
    char year[16];
    snprintf(year, sizeof year, "%d", d->year);
    const char *cells[] = {d->area, year, d->from_state, d->at, d->origin};
    p->st = acv_table_add(&p->table, cells, p->err);
    p->n++;
    return p->st != ACV_OK;
}

static const acv_table_column PENDING_COLUMNS[] = {
    {"AREA", 0}, {"YEAR", 0}, {"BEFORE", 0}, {"RECEIVED", 0}, {"FROM", 60}};

acv_status acv_review_pending_text(acv_ctx *ctx, int year, acv_buf *out, acv_error *err)
{
    pending_list p = {.st = ACV_OK, .err = err};
    acv_table_init(&p.table, PENDING_COLUMNS, sizeof PENDING_COLUMNS / sizeof *PENDING_COLUMNS);
    acv_status st = acv_store_each_dataset(ctx->store, "submitted", year, add_pending, &p, err);
    if (st == ACV_OK)
        st = p.st;
    if (st == ACV_OK) {
        if (p.n == 0) {
            if (year)
                acv_buf_printf(out, "No dataset of %d waits for review.\n", year);
            else
                acv_buf_puts(out, "No dataset waits for review.\n");
        } else {
            acv_buf_printf(out, "%ld dataset%s wait%s for review (accept or return each):\n\n", p.n,
                           p.n == 1 ? "" : "s", p.n == 1 ? "s" : "");
            acv_table_render(&p.table, out);
        }
    }
    acv_table_free(&p.table);
    return st;
}

static void append_comment_line(acv_buf *out, const char *indent, const acv_review_comment *c)
{
    if (c->indicator)
        acv_buf_printf(out, "%s%s%s%s: %s\n", indent, c->indicator, c->period ? " " : "",
                       c->period ? c->period : "", c->comment);
    else
        acv_buf_printf(out, "%sdataset: %s\n", indent, c->comment);
}

/* ---- status ------------------------------------------------------------------------------------
 */

typedef struct {
    acv_ctx *ctx;
    int64_t area_id;
    const acv_review_decision *d;
    acv_buf *out;
    acv_status st;
    acv_error *err;
} status_values;

typedef struct {
    const char *period;
    int found;
    int changed;
    double value;
    char where[300];
    char current_period[32];
    int64_t last_import;
} value_probe;

static int probe_value(void *ud, const acv_obs_record *r)
{
    value_probe *v = ud;
    if (v->period && strcmp(r->period, v->period) != 0)
        return 0;
    v->found++;
    v->value = r->value;
    snprintf(v->current_period, sizeof v->current_period, "%s", r->period);
    snprintf(v->where, sizeof v->where, "%s:%ld", r->file ? r->file : "?", r->line);
    if (r->import_id > v->last_import)
        v->changed = 1;
    return 0;
}

static int status_value_comment(void *ud, const acv_review_comment *c)
{
    status_values *sv = ud;
    append_comment_line(sv->out, "    ", c);
    if (!c->indicator)
        return 0;
    value_probe v = {.period = c->period, .last_import = sv->d->last_import};
    acv_obs_filter f = {.area_id = sv->area_id,
                        .indicator = c->indicator,
                        .min_year = sv->d->year,
                        .max_year = sv->d->year,
                        .totals_only = 1};
    sv->st = acv_store_each_observation(sv->ctx->store, &f, probe_value, &v, sv->err);
    if (sv->st != ACV_OK)
        return 1;
    if (v.found == 0)
        acv_buf_puts(sv->out, "      no value in the workspace\n");
    else if (v.found == 1)
        acv_buf_printf(sv->out, "      now %.15g (%s, from %s)%s\n", v.value, v.current_period,
                       v.where, v.changed ? ": changed since the return" : ": not changed since");
    else
        acv_buf_printf(sv->out, "      %d values of %d%s\n", v.found, sv->d->year,
                       v.changed ? ", some changed since the return" : ", none changed since");
    return 0;
}

typedef struct {
    acv_review_decision *items; /* malloc'd; strings in arena */
    size_t n, cap;
    acv_arena arena;
    int oom;
} dataset_list;

static int collect_area_dataset(void *ud, const acv_review_decision *d)
{
    dataset_list *l = ud;
    if (l->oom)
        return 1;
    if (ACV_GROW(l->items, l->cap, l->n, 8)) {
        l->oom = 1;
        return 1;
    }
    acv_review_decision *c = &l->items[l->n++];
    *c = *d;
    c->area = acv_arena_strdup(&l->arena, d->area);
    c->from_state = acv_arena_strdup(&l->arena, d->from_state);
    c->to_state = acv_arena_strdup(&l->arena, d->to_state);
    c->who = acv_arena_strdup(&l->arena, d->who);
    c->key_id = acv_arena_strdup(&l->arena, d->key_id);
    c->at = acv_arena_strdup(&l->arena, d->at);
    c->comment = acv_arena_strdup(&l->arena, d->comment);
    c->origin = acv_arena_strdup(&l->arena, d->origin);
    if (!c->area || !c->to_state || !c->who || !c->at || !c->origin)
        l->oom = 1;
    return l->oom;
}

typedef struct {
    acv_buf *out;
} comment_out;

static int print_value_comment(void *ud, const acv_review_comment *c)
{
    comment_out *o = ud;
    append_comment_line(o->out, "    ", c);
    return 0;
}

static void dataset_list_free(dataset_list *l)
{
    free(l->items);
    acv_arena_free(&l->arena);
}

/* Every decision on the area's datasets (year 0: every year), oldest first, copied. */
static acv_status load_decisions(acv_ctx *ctx, int64_t area_id, int year, dataset_list *l,
                                 acv_error *err)
{
    acv_status st =
        acv_store_each_decision(ctx->store, area_id, year, collect_area_dataset, l, err);
    if (st == ACV_OK && l->oom)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    return st;
}

static void append_decision_line(acv_buf *out, const acv_review_decision *d)
{
    acv_buf_printf(out, "  %d: %s by %s%s%s%s at %s (%s)\n", d->year, d->to_state, d->who,
                   d->key_id ? " (key " : "", d->key_id ? d->key_id : "", d->key_id ? ")" : "",
                   d->at, d->origin);
}

acv_status acv_review_history_text(acv_ctx *ctx, const char *area, int year, acv_buf *out,
                                   acv_error *err)
{
    int64_t id;
    acv_status st = area_id_of(ctx, area, &id, err);
    if (st != ACV_OK)
        return st;
    dataset_list l = {0};
    st = load_decisions(ctx, id, year, &l, err);
    if (st == ACV_OK && l.n == 0) {
        if (year)
            acv_buf_printf(out, "%s %d: draft, no decision recorded.\n", area, year);
        else
            acv_buf_printf(out, "%s: no decision recorded for any year.\n", area);
    } else if (st == ACV_OK) {
        acv_buf_printf(out, "Review of %s%s: %zu decision%s, oldest first\n", area,
                       year ? "" : " (every year)", l.n, l.n == 1 ? "" : "s");
    }
    for (size_t i = 0; st == ACV_OK && i < l.n; i++) {
        const acv_review_decision *d = &l.items[i];
        acv_buf_printf(out, "  %d: %s -> %s by %s%s%s%s at %s (%s)\n", d->year, d->from_state,
                       d->to_state, d->who, d->key_id ? " (key " : "", d->key_id ? d->key_id : "",
                       d->key_id ? ")" : "", d->at, d->origin);
        if (d->comment)
            acv_buf_printf(out, "    dataset: %s\n", d->comment);
        comment_out o = {out};
        st = acv_store_each_decision_comment(ctx->store, d->id, print_value_comment, &o, err);
    }
    dataset_list_free(&l);
    return st;
}

acv_status acv_review_status_text(acv_ctx *ctx, const char *area, int year, acv_buf *out,
                                  acv_error *err)
{
    int64_t id;
    acv_status st = area_id_of(ctx, area, &id, err);
    if (st != ACV_OK)
        return st;
    /* the latest decision of each year of the area: the history, keeping the last per year */
    dataset_list l = {0};
    st = load_decisions(ctx, id, year, &l, err);
    size_t shown = 0;
    for (size_t i = 0; st == ACV_OK && i < l.n; i++) {
        const acv_review_decision *d = &l.items[i];
        int last_of_year = 1;
        for (size_t j = i + 1; j < l.n; j++)
            if (l.items[j].year == d->year)
                last_of_year = 0;
        if (!last_of_year)
            continue;
        if (shown++ == 0)
            acv_buf_puts(out, "\nReview\n");
        append_decision_line(out, d);
        if (strcmp(d->to_state, "returned") != 0)
            continue;
        if (d->comment)
            acv_buf_printf(out, "    dataset: %s\n", d->comment);
        status_values sv = {
            .ctx = ctx, .area_id = id, .d = d, .out = out, .st = ACV_OK, .err = err};
        st = acv_store_each_decision_comment(ctx->store, d->id, status_value_comment, &sv, err);
        if (st == ACV_OK)
            st = sv.st;
    }
    dataset_list_free(&l);
    return st;
}
