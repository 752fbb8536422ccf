/*
 * compare_many.c — the comparison of many areas (compare.h): each area's latest run read from the
 * store one at a time (storage_compare.h), a few numbers kept per area and level, then per level
 * the order, ranks, quantiles, histogram and population-weighted mean; see docs/reports.md. The
 * renderers are in render_*.c.
 */
#include "compare.h"
#include "montecarlo.h"
#include "storage_compare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void acv_compare_many_free(acv_compare_many *c)
{
    if (!c)
        return;
    for (size_t l = 0; l < c->n_levels; l++)
        free(c->levels[l].order);
    free(c->scores);
    free(c->has);
    free(c->ranks);
    free(c->areas);
    acv_arena_free(&c->arena);
    free(c);
}

static const char *stamp_field(const acv_compare_entry *e, acv_compare_stamp_field f)
{
    switch (f) {
    case ACV_STAMP_ENGINE:
        return e->engine_version;
    case ACV_STAMP_FRAMEWORK:
        return e->framework_hash;
    case ACV_STAMP_METHODS:
        return e->methods_hash;
    default:
        return e->overlay;
    }
}

static int same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

size_t acv_compare_many_distinct(const acv_compare_many *c, acv_compare_stamp_field field,
                                 const char **values, size_t *counts, size_t max)
{
    size_t n = 0;
    for (size_t a = 0; a < c->n_areas; a++) {
        const char *v = stamp_field(&c->areas[a], field);
        size_t i = 0;
        while (i < n && !same_text(values[i], v))
            i++;
        if (i == n) {
            if (n == max)
                continue; /* one of the others */
            values[n] = v;
            counts[n++] = 0;
        }
        counts[i]++;
        for (; i > 0 && counts[i] > counts[i - 1]; i--) { /* most frequent first */
            const char *tv = values[i];
            size_t tc = counts[i];
            values[i] = values[i - 1];
            counts[i] = counts[i - 1];
            values[i - 1] = tv;
            counts[i - 1] = tc;
        }
    }
    return n;
}

void acv_compare_many_run_times(const acv_compare_many *c, const char **first, const char **last)
{
    *first = *last = NULL;
    for (size_t a = 0; a < c->n_areas; a++) {
        const char *t = c->areas[a].created_at;
        if (!t)
            continue;
        if (!*first || strcmp(t, *first) < 0)
            *first = t;
        if (!*last || strcmp(t, *last) > 0)
            *last = t;
    }
}

/* ---- reading the runs -------------------------------------------------------------------- */

/* The few distinct stamps of a comparison (framework, methods, engine version) are kept once. */
typedef struct {
    const char *s[32];
    size_t n;
} interned;

typedef struct {
    acv_compare_many *c;
    acv_arena *A;
    interned strings;
    const unsigned char *named; /* per code asked for: named in the spec itself */
    size_t next;                /* index of the code being read */
    const char **skipped;
    size_t n_skipped, cap_skipped;
    acv_error *err;
    acv_status st;
} reader;

static const char *intern(reader *r, const char *s)
{
    if (!s)
        return NULL;
    for (size_t i = 0; i < r->strings.n; i++)
        if (strcmp(r->strings.s[i], s) == 0)
            return r->strings.s[i];
    const char *copy = acv_arena_strdup(r->A, s);
    if (copy && r->strings.n < sizeof r->strings.s / sizeof *r->strings.s)
        r->strings.s[r->strings.n++] = copy;
    return copy;
}

static size_t level_index(const acv_compare_many *c, const char *level, const char *code)
{
    const acv_framework *fw = c->fw;
    if (strcmp(level, "overall") == 0)
        return 0;
    if (strcmp(level, "pillar") == 0) {
        for (size_t p = 0; p < fw->n_pillars; p++)
            if (strcmp(fw->pillars[p].id, code) == 0)
                return 1 + p;
    } else {
        for (size_t i = 0; i < fw->n_action_areas; i++)
            if (strcmp(fw->action_areas[i].id, code) == 0)
                return 1 + fw->n_pillars + i;
    }
    return c->n_levels; /* not in the framework loaded now */
}

static int skip(reader *r, const char *code, const char *why)
{
    if (r->n_skipped == r->cap_skipped &&
        ACV_ARENA_GROW(r->A, r->skipped, r->cap_skipped, r->n_skipped, 64) != 0)
        return -1;
    char line[ACV_ERROR_MAX + 64];
    snprintf(line, sizeof line, "%s: %s", code, why);
    if (!(r->skipped[r->n_skipped++] = acv_arena_strdup(r->A, line)))
        return -1;
    return 0;
}

static int read_area(void *ud, const acv_compare_stored *s)
{
    reader *r = ud;
    acv_compare_many *c = r->c;
    int named = r->named[r->next++];
    if (!s->exists || !s->has_run) {
        if (named || !s->exists) {
            r->st = !s->exists
                        ? acv_error_set(r->err, ACV_ERR_NOTFOUND, "unknown area '%s'", s->code)
                        : acv_error_set(r->err, ACV_ERR_NOTFOUND,
                                        "%s has no scoring run%s; run 'acvtrack score' "
                                        "first",
                                        s->code, c->year > 0 ? " for that year" : "");
            return 1;
        }
        if (skip(r, s->code, c->year > 0 ? "no scoring run for that year" : "no scoring run") != 0)
            goto oom;
        return 0;
    }
    acv_compare_entry *e = &c->areas[c->n_areas];
    e->code = acv_arena_strdup(r->A, s->code);
    e->name = acv_arena_strdup(r->A, s->name);
    e->country = intern(r, s->country);
    e->has_population = s->has_population && s->population > 0;
    e->population = s->population;
    e->run_id = s->run_id;
    e->year = s->year;
    e->created_at = acv_arena_strdup(r->A, s->created_at);
    e->engine_version = intern(r, s->engine_version);
    e->framework_hash = intern(r, s->framework_hash);
    e->data_hash = acv_arena_strdup(r->A, s->data_hash);
    e->methods_hash = intern(r, s->methods_hash);
    e->overlay = intern(r, s->overlay);
    if (!e->code || !e->name || !e->created_at || (s->country && !e->country) ||
        (s->data_hash && !e->data_hash))
        goto oom;
    size_t base = c->n_areas * c->n_levels;
    for (size_t k = 0; k < s->n_scores; k++) {
        const acv_compare_stored_score *sc = &s->scores[k];
        size_t l = level_index(c, sc->level, sc->code);
        if (l < c->n_levels && sc->has_score) {
            c->has[base + l] = 1;
            c->scores[base + l] = sc->score;
        }
    }
    c->n_areas++;
    return 0;
oom:
    r->st = acv_error_set(r->err, ACV_ERR_NOMEM, "out of memory");
    return 1;
}

/* ---- per level ----------------------------------------------------------------------------- */

typedef struct {
    double score;
    const char *code;
    size_t area;
} scored;

/* Scores this close are equal, as `acvtrack rank` has them (RANK_SAME_SCORE in rank.c): the same
 * score computed along two paths differs in its last digits only. */
#define SAME_SCORE 1e-9

static int by_score_then_code(const void *pa, const void *pb)
{
    const scored *a = pa, *b = pb;
    if (fabs(a->score - b->score) > SAME_SCORE)
        return a->score > b->score ? -1 : 1;
    return strcmp(a->code, b->code);
}

static acv_status summarise(acv_compare_many *c, size_t l, scored *tmp, double *asc, acv_error *err)
{
    acv_compare_level *lv = &c->levels[l];
    size_t n = 0;
    for (size_t a = 0; a < c->n_areas; a++) {
        double v;
        if (acv_compare_many_score(c, a, l, &v))
            tmp[n++] = (scored){v, c->areas[a].code, a};
    }
    lv->n_scored = n;
    if (!n)
        return ACV_OK;
    qsort(tmp, n, sizeof *tmp, by_score_then_code);
    if (!(lv->order = malloc(n * sizeof *lv->order)))
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    double num = 0;
    for (size_t i = 0; i < n; i++) {
        lv->order[i] = tmp[i].area;
        /* standard competition ranks: equal scores share the best place of their group */
        unsigned rank = i > 0 && fabs(tmp[i].score - tmp[i - 1].score) <= SAME_SCORE
                            ? c->ranks[tmp[i - 1].area * c->n_levels + l]
                            : (unsigned)(i + 1);
        c->ranks[tmp[i].area * c->n_levels + l] = rank;
        asc[n - 1 - i] = tmp[i].score;
        double v = tmp[i].score;
        int bin = (int)(v / (100.0 / ACV_COMPARE_BINS));
        if (bin < 0)
            bin = 0;
        if (bin >= ACV_COMPARE_BINS)
            bin = ACV_COMPARE_BINS - 1;
        lv->bins[bin]++;
        const acv_compare_entry *e = &c->areas[tmp[i].area];
        if (e->has_population) {
            num += e->population * v;
            lv->weighted.population += e->population;
            lv->weighted.n++;
        }
    }
    if (lv->weighted.n && lv->weighted.population > 0) {
        lv->weighted.has = 1;
        lv->weighted.value = num / lv->weighted.population;
    } else
        lv->weighted = (acv_weighted_mean){0};
    lv->min = asc[0];
    lv->max = asc[n - 1];
    lv->q1 = acv_quantile_sorted(asc, n, 0.25);
    lv->median = acv_quantile_sorted(asc, n, 0.5);
    lv->q3 = acv_quantile_sorted(asc, n, 0.75);
    return ACV_OK;
}

/* ---- highlights and the group's name ------------------------------------------------------- */

static acv_status highlight_one(acv_compare_many *c, const char *code, acv_error *err)
{
    size_t a = 0;
    while (a < c->n_areas && strcmp(c->areas[a].code, code) != 0)
        a++;
    if (a == c->n_areas)
        return acv_error_set(err, ACV_ERR_USAGE,
                             "--highlight %s: not among the compared areas (with a scoring run)",
                             code);
    if (c->areas[a].highlight)
        return ACV_OK;
    if (c->n_highlighted == ACV_COMPARE_HIGHLIGHT_MAX)
        return acv_error_set(err, ACV_ERR_USAGE,
                             "at most %d areas can be highlighted (one colour each); %s is one "
                             "more",
                             ACV_COMPARE_HIGHLIGHT_MAX, code);
    c->highlighted[c->n_highlighted++] = a;
    c->areas[a].highlight = (int)c->n_highlighted;
    return ACV_OK;
}

static acv_status highlights(acv_compare_many *c, const acv_compare_codes *codes,
                             const char *highlight, acv_error *err)
{
    if (!(c->highlighted =
              acv_arena_alloc(&c->arena, ACV_COMPARE_HIGHLIGHT_MAX * sizeof *c->highlighted)))
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    acv_status st = ACV_OK;
    /* areas named beside a country are the ones the user is looking at */
    for (size_t i = 0; i < codes->n && st == ACV_OK && codes->n_countries; i++)
        if (codes->named[i])
            st = highlight_one(c, codes->codes[i], err);
    if (st != ACV_OK || !highlight)
        return st;
    char *copy = strdup(highlight);
    if (!copy)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    for (char *save = NULL, *item = strtok_r(copy, ",", &save); item && st == ACV_OK;
         item = strtok_r(NULL, ",", &save)) {
        while (*item == ' ')
            item++;
        size_t len = strlen(item);
        while (len && item[len - 1] == ' ')
            item[--len] = '\0';
        if (len)
            st = highlight_one(c, item, err);
    }
    free(copy);
    return st;
}

static const char *group_name(acv_compare_many *c, const acv_compare_codes *codes)
{
    char text[256];
    size_t n_named = 0;
    for (size_t i = 0; i < codes->n; i++)
        n_named += codes->named[i];
    if (!codes->n_countries)
        snprintf(text, sizeof text, "%zu areas named", n_named);
    else if (codes->n_countries == 1 && !n_named)
        snprintf(text, sizeof text, "%s", codes->first_country);
    else if (codes->n_countries == 1)
        snprintf(text, sizeof text, "%s and %zu area%s named", codes->first_country, n_named,
                 n_named == 1 ? "" : "s");
    else
        snprintf(text, sizeof text, "%s and %zu more countr%s%s", codes->first_country,
                 codes->n_countries - 1, codes->n_countries == 2 ? "y" : "ies",
                 n_named ? " and named areas" : "");
    return acv_arena_strdup(&c->arena, text);
}

/* ---- loading ------------------------------------------------------------------------------ */

acv_status acv_compare_many_load(acv_ctx *ctx, const char *spec, const char *highlight, size_t top,
                                 int year, acv_compare_many **out, acv_error *err)
{
    *out = NULL;
    const acv_framework *fw = ctx->fw;
    acv_compare_codes codes;
    acv_status st = acv_compare_resolve(ctx, spec, year, &codes, err);
    if (st != ACV_OK)
        return st;
    scored *tmp = NULL;
    double *asc = NULL;
    acv_compare_many *c = calloc(1, sizeof *c);
    if (!c)
        goto oom;
    c->fw = fw;
    c->year = year;
    c->top = top ? top : ACV_COMPARE_TOP_DEFAULT;
    c->n_levels = 1 + fw->n_pillars + fw->n_action_areas;
    size_t cells = codes.n * c->n_levels;
    c->areas = calloc(codes.n, sizeof *c->areas);
    c->levels = acv_arena_alloc(&c->arena, c->n_levels * sizeof *c->levels);
    c->scores = calloc(cells, sizeof *c->scores);
    c->has = calloc(cells, 1);
    c->ranks = calloc(cells, sizeof *c->ranks);
    c->group = group_name(c, &codes);
    if (!c->areas || !c->levels || !c->scores || !c->has || !c->ranks || !c->group)
        goto oom;
    c->levels[0] = (acv_compare_level){.level = "overall", .code = "ACV", .name = "Overall"};
    for (size_t p = 0; p < fw->n_pillars; p++)
        c->levels[1 + p] = (acv_compare_level){
            .level = "pillar", .code = fw->pillars[p].id, .name = fw->pillars[p].name};
    for (size_t i = 0; i < fw->n_action_areas; i++)
        c->levels[1 + fw->n_pillars + i] = (acv_compare_level){.level = "action_area",
                                                               .code = fw->action_areas[i].id,
                                                               .name = fw->action_areas[i].name};
    reader r = {.c = c, .A = &c->arena, .named = codes.named, .err = err};
    st = acv_store_compare_each(ctx->store, (const char *const *)codes.codes, codes.n, year,
                                read_area, &r, err);
    if (st == ACV_OK)
        st = r.st;
    if (st != ACV_OK)
        goto fail;
    c->skipped = r.skipped;
    c->n_skipped = r.n_skipped;
    if (!c->n_areas) {
        st = acv_error_set(err, ACV_ERR_NOTFOUND,
                           "none of the areas asked for has a scoring run%s; run 'acvtrack "
                           "score --all' first",
                           year > 0 ? " for that year" : "");
        goto fail;
    }
    tmp = malloc(c->n_areas * sizeof *tmp);
    asc = malloc(c->n_areas * sizeof *asc);
    if (!tmp || !asc)
        goto oom;
    for (size_t l = 0; l < c->n_levels && st == ACV_OK; l++)
        st = summarise(c, l, tmp, asc, err);
    if (st == ACV_OK)
        st = highlights(c, &codes, highlight, err);
    if (st != ACV_OK)
        goto fail;
    free(tmp);
    free(asc);
    acv_compare_codes_free(&codes);
    *out = c;
    return ACV_OK;
oom:
    st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
fail:
    free(tmp);
    free(asc);
    acv_compare_codes_free(&codes);
    acv_compare_many_free(c);
    return st;
}
