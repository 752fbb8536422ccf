/*
 * review_calendar.c — the reporting calendar (review.h): per country, the day the data of a year
 * are due, by a rule ("03-31" of the year after) or an explicit date for a year. Strict YAML: an
 * unknown key, a date that does not exist or a year outside 1900-2100 is "file:line:col: ...".
 */
#include "review.h"
#include "yamlschema.h"
#include "yamltree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int year;
    char date[11];
} calendar_date;

typedef struct {
    char *country;
    int has_rule;
    int month, day, years_after;
    calendar_date *dates;
    size_t n_dates, cap_dates;
} calendar_country;

struct acv_calendar {
    calendar_country *countries;
    size_t n, cap;
    acv_arena arena;
};

static int days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
        return 29;
    return days[month - 1];
}

int acv_calendar_date_valid(const char *s)
{
    int y, m, d;
    char tail;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return 0;
    return y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

/* "MM-DD": *month and *day; 29 February is refused (it is not a day of every year). */
static int parse_month_day(const char *s, int *month, int *day)
{
    if (!s || strlen(s) != 5 || s[2] != '-')
        return 0;
    char buf[16];
    snprintf(buf, sizeof buf, "2001-%s", s);
    if (!acv_calendar_date_valid(buf))
        return 0;
    *month = (s[0] - '0') * 10 + (s[1] - '0');
    *day = (s[3] - '0') * 10 + (s[4] - '0');
    return 1;
}

static int parse_year_key(const yt_node *k, int *year)
{
    char *end;
    long y = strtol(k->str, &end, 10);
    if (!k->plain || k->len == 0 || *end || y < 1900 || y > 2100)
        return 0;
    *year = (int)y;
    return 1;
}

static void load_country(acv_ys *S, acv_calendar *c, const yt_node *key, const yt_node *node)
{
    char ctx[96];
    snprintf(ctx, sizeof ctx, "country %s of the reporting calendar", key->str);
    if (node->kind != YT_MAP) {
        acv_ys_problem(S, node, "%s must be a mapping with due and/or deadlines, found %s", ctx,
                       acv_ys_kind_name(node));
        return;
    }
    static const char *const keys[] = {"due", "years_after", "deadlines", NULL};
    acv_ys_check_keys(S, node, keys, ctx);
    if (ACV_GROW(c->countries, c->cap, c->n, 8)) {
        S->oom = 1;
        return;
    }
    calendar_country *cc = &c->countries[c->n++];
    memset(cc, 0, sizeof *cc);
    cc->country = acv_arena_strdup(&c->arena, key->str);
    if (!cc->country)
        S->oom = 1;
    cc->years_after = 1;
    const yt_node *due = acv_ys_scalar(S, node, "due", ACV_YS_OPTIONAL, ctx);
    if (due) {
        if (!parse_month_day(due->str, &cc->month, &cc->day))
            acv_ys_problem(S, due,
                           "'due' must be a day of the year as MM-DD like 03-31 in %s, "
                           "found '%s'",
                           ctx, due->str);
        else
            cc->has_rule = 1;
    }
    int after = 1;
    if (acv_ys_int(S, node, "years_after", ACV_YS_OPTIONAL, &after, ctx)) {
        if (after < 0 || after > 5)
            acv_ys_problem(S, yt_map_get(node, "years_after"),
                           "'years_after' must be from 0 to 5 in %s, found %d", ctx, after);
        cc->years_after = after;
    }
    const yt_node *dates = acv_ys_map(S, node, "deadlines", ACV_YS_OPTIONAL, ctx);
    if (!due && !dates)
        acv_ys_problem(S, key, "%s needs 'due' (MM-DD) or 'deadlines' (year: YYYY-MM-DD)", ctx);
    if (!dates)
        return;
    for (size_t i = 0; i < dates->count; i++) {
        const yt_node *k = dates->keys[i], *v = dates->items[i];
        int year;
        if (!parse_year_key(k, &year)) {
            acv_ys_problem(S, k, "deadlines of %s are keyed by year like 2025, found '%s'", ctx,
                           k->str);
            continue;
        }
        if (v->kind != YT_SCALAR || !acv_calendar_date_valid(v->str)) {
            acv_ys_problem(S, v, "the deadline for %d in %s must be a date YYYY-MM-DD, found '%s'",
                           year, ctx, v->kind == YT_SCALAR ? v->str : acv_ys_kind_name(v));
            continue;
        }
        if (ACV_GROW(cc->dates, cc->cap_dates, cc->n_dates, 4)) {
            S->oom = 1;
            return;
        }
        calendar_date *d = &cc->dates[cc->n_dates++];
        d->year = year;
        snprintf(d->date, sizeof d->date, "%s", v->str);
    }
}

void acv_calendar_free(acv_calendar *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        free(c->countries[i].dates);
    free(c->countries);
    acv_arena_free(&c->arena);
    free(c);
}

acv_status acv_calendar_load(const char *path, const char *display, acv_calendar **out,
                             acv_error *err)
{
    *out = NULL;
    const char *name = display ? display : path;
    yt_doc *doc = NULL;
    acv_status st = yt_parse_file(path, name, &doc, err);
    if (st != ACV_OK)
        return st;
    acv_calendar *c = calloc(1, sizeof *c);
    if (!c) {
        yt_free(doc);
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    }
    acv_problems problems = {.max = 1};
    acv_ys S = {.problems = &problems, .file = name, .arena = &c->arena};
    const yt_node *root = yt_root(doc);
    static const yt_node top = {.line = 1, .col = 1};
    static const char *const keys[] = {"calendar", "countries", NULL};
    if (!root || root->kind != YT_MAP) {
        acv_ys_problem(&S, &top,
                       "a reporting calendar is a mapping with 'calendar: 1' and "
                       "'countries'");
    } else {
        acv_ys_check_keys(&S, root, keys, "the reporting calendar");
        int version = 0;
        if (acv_ys_int(&S, root, "calendar", ACV_YS_REQUIRED, &version, "the reporting calendar") &&
            version != 1)
            acv_ys_problem(&S, yt_map_get(root, "calendar"),
                           "this acvtrack reads calendar format 1, found %d", version);
        const yt_node *countries =
            acv_ys_map(&S, root, "countries", ACV_YS_REQUIRED, "the reporting calendar");
        for (size_t i = 0; countries && i < countries->count && !problems.total; i++)
            load_country(&S, c, countries->keys[i], countries->items[i]);
    }
    if (problems.total || S.oom) {
        st = acv_error_set(err, S.oom || problems.oom ? ACV_ERR_NOMEM : ACV_ERR_INPUT, "%s",
                           S.oom || problems.oom ? "out of memory" : problems.items[0]);
        acv_calendar_free(c);
        c = NULL;
    }
    acv_problems_free(&problems);
    yt_free(doc);
    *out = c;
    return st;
}

int acv_calendar_deadline(const acv_calendar *c, const char *country, int year, char out[11])
{
    for (size_t i = 0; c && country && i < c->n; i++) {
        const calendar_country *cc = &c->countries[i];
        if (strcmp(cc->country, country) != 0)
            continue;
        for (size_t j = 0; j < cc->n_dates; j++)
            if (cc->dates[j].year == year) {
                memcpy(out, cc->dates[j].date, 11);
                return 1;
            }
        if (!cc->has_rule)
            return 0;
        snprintf(out, 11, "%04d-%02d-%02d", year + cc->years_after, cc->month, cc->day);
        return 1;
    }
    return 0;
}
