/* fiscal.c — the fiscal-year rules of countries and their mapping; see fiscal.h. */
#include "fiscal.h"
#include "yamltree.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const MONTHS[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* "YYYY-MM" into year * 12 + month - 1; -1 when it is not one. */
static int year_month(const char *s)
{
    if (strlen(s) != 7 || s[4] != '-')
        return -1;
    for (int i = 0; i < 7; i++)
        if (i != 4 && !isdigit((unsigned char)s[i]))
            return -1;
    int y = atoi(s), m = atoi(s + 5);
    if (y < 1900 || y > 2100 || m < 1 || m > 12)
        return -1;
    return y * 12 + m - 1;
}

static const char *ym_key(acv_ys *S, const yt_node *map, const char *key, int flags, int *out,
                          const char *ctx)
{
    const yt_node *n = acv_ys_scalar(S, map, key, flags, ctx);
    *out = -1;
    if (!n)
        return NULL;
    *out = year_month(n->str);
    if (*out < 0)
        acv_ys_problem(S, n, "'%s' must be a month like 2018-10 (YYYY-MM) in %s, found '%s'", key,
                       ctx, n->str);
    return n->str;
}

static void load_country(acv_ys *S, acv_fiscal_table *t, const yt_node *m, size_t index)
{
    static const char *const keys[] = {"country", "name", "label", "rules", NULL};
    static const char *const rule_keys[] = {"from", "until", "start_month", "source", NULL};
    static const char *const labels[] = {"start", "end", NULL};
    char ctx[96];
    snprintf(ctx, sizeof ctx, "country %zu", index + 1);
    if (m->kind != YT_MAP) {
        acv_ys_problem(S, m, "each item of 'countries' must be a mapping, found %s",
                       acv_ys_kind_name(m));
        return;
    }
    acv_fiscal_country *c = &t->countries[t->n];
    memset(c, 0, sizeof *c);
    c->country = acv_ys_string(S, m, "country", ACV_YS_REQUIRED | ACV_YS_NOT_BLANK, ctx);
    if (c->country) {
        snprintf(ctx, sizeof ctx, "country %.8s", c->country);
        if (strlen(c->country) != 2 || !isupper((unsigned char)c->country[0]) ||
            !isupper((unsigned char)c->country[1]))
            acv_ys_problem(S, yt_map_get(m, "country"),
                           "'country' must be an ISO 3166-1 alpha-2 code like TH in %s", ctx);
        for (size_t i = 0; i < t->n; i++)
            if (strcmp(t->countries[i].country, c->country) == 0)
                acv_ys_problem(S, yt_map_get(m, "country"), "%s is declared twice", ctx);
    }
    acv_ys_check_keys(S, m, keys, ctx);
    c->name = acv_ys_string(S, m, "name", ACV_YS_REQUIRED | ACV_YS_NOT_BLANK, ctx);
    const char *label = acv_ys_enum(S, m, "label", ACV_YS_REQUIRED, labels, ctx);
    c->label_end = label && strcmp(label, "end") == 0;
    const yt_node *rules = yt_map_get(m, "rules");
    if (!rules || acv_ys_is_null(rules) || rules->kind != YT_SEQ || rules->count == 0) {
        acv_ys_problem(S, rules ? rules : m, "'rules' must be a list of at least one rule in %s",
                       ctx);
        if (c->country)
            t->n++;
        return;
    }
    c->rules = acv_arena_alloc(&t->arena, rules->count * sizeof *c->rules);
    if (!c->rules) {
        S->oom = 1;
        return;
    }
    for (size_t i = 0; i < rules->count; i++) {
        const yt_node *r = rules->items[i];
        char rctx[128];
        snprintf(rctx, sizeof rctx, "rule %zu of %s", i + 1, ctx);
        if (r->kind != YT_MAP) {
            acv_ys_problem(S, r, "each rule must be a mapping in %s, found %s", ctx,
                           acv_ys_kind_name(r));
            continue;
        }
        acv_ys_check_keys(S, r, rule_keys, rctx);
        acv_fiscal_rule *fr = &c->rules[c->n_rules];
        fr->line = r->line;
        ym_key(S, r, "from", ACV_YS_REQUIRED, &fr->from, rctx);
        ym_key(S, r, "until", 0, &fr->until, rctx);
        if (acv_ys_int(S, r, "start_month", ACV_YS_REQUIRED, &fr->start_month, rctx) &&
            (fr->start_month < 1 || fr->start_month > 12))
            acv_ys_problem(S, yt_map_get(r, "start_month"), "'start_month' must be 1 to 12 in %s",
                           rctx);
        fr->source = acv_ys_string(S, r, "source", ACV_YS_REQUIRED | ACV_YS_NOT_BLANK, rctx);
        if (fr->from >= 0 && fr->start_month >= 1 && fr->start_month <= 12 &&
            fr->from % 12 != fr->start_month - 1)
            acv_ys_problem(S, yt_map_get(r, "from"),
                           "'from' must be a month the fiscal year starts in (month %d) in %s",
                           fr->start_month, rctx);
        if (fr->until >= 0 && fr->from >= 0 && fr->until < fr->from)
            acv_ys_problem(S, yt_map_get(r, "until"), "'until' is before 'from' in %s", rctx);
        if (c->n_rules > 0 && fr->from >= 0) {
            const acv_fiscal_rule *prev = &c->rules[c->n_rules - 1];
            int prev_end = prev->until >= 0 ? prev->until : prev->from;
            if (prev->from >= 0 && fr->from <= prev_end)
                acv_ys_problem(S, yt_map_get(r, "from"),
                               "rules must follow each other in time: 'from' is not after the "
                               "rule before in %s",
                               rctx);
        }
        c->n_rules++;
    }
    if (c->country)
        t->n++;
}

acv_status acv_fiscal_load(const char *path, const char *display, acv_fiscal_table **out,
                           acv_problems *problems, acv_error *err)
{
    *out = NULL;
    acv_fiscal_table *t = calloc(1, sizeof *t);
    if (!t)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    acv_ys S = {.problems = problems, .file = display, .arena = &t->arena};
    t->file = acv_arena_strdup(&t->arena, display);
    yt_doc *doc = NULL;
    acv_error yerr;
    acv_status pst = yt_parse_file(path, display, &doc, &yerr);
    if (pst != ACV_OK && pst != ACV_ERR_INPUT && pst != ACV_ERR_NOMEM) {
        acv_fiscal_free(t);
        *err = yerr;
        return pst;
    }
    size_t before = problems->total;
    int parsed = acv_ys_parsed(&S, pst, &yerr);
    if (parsed == 1) {
        const yt_node *root = yt_root(doc);
        static const char *const top[] = {"countries", NULL};
        if (!root || root->kind != YT_MAP) {
            acv_ys_problem(&S, root, "the file must be a mapping with 'countries'");
        } else {
            acv_ys_check_keys(&S, root, top, "the fiscal-year file");
            const yt_node *list = yt_map_get(root, "countries");
            if (!list || list->kind != YT_SEQ) {
                acv_ys_problem(&S, list ? list : root,
                               "'countries' must be a list of countries in the fiscal-year file");
            } else if ((t->countries =
                            acv_arena_alloc(&t->arena, (list->count + 1) * sizeof *t->countries))) {
                for (size_t i = 0; i < list->count && !S.oom; i++)
                    load_country(&S, t, list->items[i], i);
            } else {
                S.oom = 1;
            }
        }
    }
    yt_free(doc);
    if (acv_ys_oom(&S) || t->file == NULL) {
        acv_fiscal_free(t);
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory reading %s", display);
    }
    if (problems->total > before) {
        acv_fiscal_free(t);
        return acv_error_set(err, ACV_ERR_INPUT, "%s", problems->items[before]);
    }
    *out = t;
    return ACV_OK;
}

void acv_fiscal_free(acv_fiscal_table *t)
{
    if (!t)
        return;
    acv_arena_free(&t->arena);
    free(t);
}

const acv_fiscal_country *acv_fiscal_country_find(const acv_fiscal_table *t, const char *country)
{
    for (size_t i = 0; t && country && i < t->n; i++)
        if (strcmp(t->countries[i].country, country) == 0)
            return &t->countries[i];
    return NULL;
}

/* "Oct-Sep fiscal years starting 2018-10 to 2020-10" for messages. */
static void describe_rules(const acv_fiscal_country *c, char *out, size_t size)
{
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < c->n_rules && n < size; i++) {
        const acv_fiscal_rule *r = &c->rules[i];
        int until = r->until >= 0 ? r->until : i + 1 < c->n_rules ? c->rules[i + 1].from - 1 : -1;
        char to[32] = "on";
        if (until >= 0)
            snprintf(to, sizeof to, "to %04d-%02d", until / 12, until % 12 + 1);
        int w = snprintf(out + n, size - n, "%s%s-%s starting %04d-%02d %s", i ? "; " : "",
                         MONTHS[r->start_month - 1], MONTHS[(r->start_month + 10) % 12],
                         r->from / 12, r->from % 12 + 1, to);
        if (w < 0)
            return;
        n += (size_t)w;
    }
}

int acv_fiscal_map(const acv_fiscal_table *t, const char *country, const acv_raw_period *p,
                   acv_fiscal_year *out, char *why, size_t size)
{
    const acv_fiscal_country *c = acv_fiscal_country_find(t, country);
    char shown[32];
    if (p->kind == ACV_RAW_FY_SPAN)
        snprintf(shown, sizeof shown, "FY%04d/%02d", p->year, p->end_year % 100);
    else
        snprintf(shown, sizeof shown, "FY%04d", p->year);
    if (!c) {
        snprintf(why, size,
                 "%s: no fiscal-year rule is declared for country '%.8s' (%s declares them)", shown,
                 country && *country ? country : "(none)",
                 t ? t->file
                   : "the fiscal-year "
                     "file");
        return 0;
    }
    int calendar_only = 1;
    for (size_t i = 0; i < c->n_rules; i++) {
        const acv_fiscal_rule *r = &c->rules[i];
        int m = r->start_month;
        int start_year;
        if (p->kind == ACV_RAW_FY_SPAN) {
            if (m == 1)
                continue;
            start_year = p->year;
        } else {
            start_year = m == 1 ? p->year : c->label_end ? p->year - 1 : p->year;
        }
        if (m != 1)
            calendar_only = 0;
        int start = start_year * 12 + m - 1;
        int until = r->until >= 0        ? r->until
                    : i + 1 < c->n_rules ? c->rules[i + 1].from - 1
                                         : INT_MAX;
        if (start < r->from || start > until)
            continue;
        out->start_year = start_year;
        out->start_month = m;
        int end = start + 11;
        out->end_year = end / 12;
        out->end_month = end % 12 + 1;
        out->scored = 13 - m >= 7 ? start_year : start_year + 1;
        return 1;
    }
    char rules[256];
    describe_rules(c, rules, sizeof rules);
    if (p->kind == ACV_RAW_FY_SPAN && calendar_only)
        snprintf(why, size,
                 "%s names two years, but the fiscal year of %s is the calendar year (write "
                 "FY%04d or %04d)",
                 shown, c->name, p->year, p->year);
    else
        snprintf(why, size,
                 "%s is not a fiscal year of %s under its declared rules (%s; a transition "
                 "between rules is no fiscal year; \"FY%04d\" %s in %04d)",
                 shown, c->name, rules, p->year, c->label_end ? "ends" : "starts", p->year);
    return 0;
}
