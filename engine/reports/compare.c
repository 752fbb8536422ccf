/*
 * compare.c — the comparison model: several areas' stored runs side by side, and the
 * population-weighted country figures; see compare.h and docs/reports.md. The renderers are in
 * render_*.c.
 */
#include "compare.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- what a run's overlay changed, per indicator ----------------------------------------- */

static int id_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.';
}

/* Whether text names the indicator id as a whole word: "PS.DRR.1" is not named by
 * "PS.DRR.10 bounds ...", nor by "weight of action_area PS.DRR: ...". */
static int mentions(const char *text, const char *id)
{
    size_t n = strlen(id);
    for (const char *p = strstr(text, id); p; p = strstr(p + 1, id)) {
        int before_ok = p == text || !id_char(p[-1]);
        /* a trailing '.' ends a sentence; one followed by a digit or letter continues the id */
        int after_ok = !id_char(p[n]) || (p[n] == '.' && !id_char(p[n + 1]));
        if (before_ok && after_ok)
            return 1;
    }
    return 0;
}

/* Fills the area's adapted and not_applicable flags from its run's own change list (the texts
 * framework.c writes: "ID bounds: ...", "ID targets: ...", "ID scoring options changed ...",
 * "weight of indicator ID: ...", "ID not applicable: ..."). Changes to the imputation or its
 * rules can change the value scored for any indicator, so they adapt every one. */
static void read_changes(const acv_framework *fw, acv_compare_area *a)
{
    const acv_report_model *m = a->m;
    for (size_t c = 0; c < m->n_changes; c++) {
        const char *text = m->changes[c];
        if (!text)
            continue;
        int all = strncmp(text, "imputation:", 11) == 0 || strncmp(text, "scoring rules:", 14) == 0;
        if (strncmp(text, "local indicator ", 16) == 0)
            continue;
        for (size_t i = 0; i < fw->n_indicators; i++) {
            const char *id = fw->indicators[i].id;
            size_t n = strlen(id);
            if (strncmp(text, id, n) == 0 && strncmp(text + n, " not applicable", 15) == 0)
                a->not_applicable[i] = 1;
            else if (all || mentions(text, id))
                a->adapted[i] = 1;
        }
    }
    /* the stored note says so too, for runs whose change list was not kept */
    for (size_t i = 0; i < fw->n_indicators; i++) {
        const acv_result *r = &m->indicators[i];
        if (r->code && r->note && strncmp(r->note, "not applicable", 14) == 0)
            a->not_applicable[i] = 1;
    }
}

/* ---- building ---------------------------------------------------------------------------- */

static void weigh(acv_weighted_mean *w, int has, double score, double population)
{
    if (!has)
        return;
    /* the running numerator is kept in value until finish() divides it */
    w->value += population * score;
    w->population += population;
    w->n++;
    w->has = 1;
}

static void finish(acv_weighted_mean *w)
{
    if (w->has && w->population > 0)
        w->value /= w->population;
    else
        *w = (acv_weighted_mean){0};
}

static int same_country(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static acv_status build_countries(acv_compare_model *c, acv_error *err)
{
    const acv_framework *fw = c->fw;
    acv_arena *A = &c->arena;
    c->countries = acv_arena_alloc(A, (c->n_areas + 1) * sizeof *c->countries);
    if (!c->countries)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    for (size_t a = 0; a < c->n_areas; a++) {
        const acv_report_model *m = c->areas[a].m;
        size_t j = 0;
        while (j < c->n_countries && !same_country(c->countries[j].country, m->country))
            j++;
        acv_compare_country *cc = &c->countries[j];
        if (j == c->n_countries) {
            c->n_countries++;
            cc->country = m->country;
            cc->members = acv_arena_alloc(A, c->n_areas * sizeof *cc->members);
            cc->excluded = acv_arena_alloc(A, c->n_areas * sizeof *cc->excluded);
            cc->pillars = acv_arena_alloc(A, (fw->n_pillars + 1) * sizeof *cc->pillars);
            cc->indicators = acv_arena_alloc(A, (fw->n_indicators + 1) * sizeof *cc->indicators);
            if (!cc->members || !cc->excluded || !cc->pillars || !cc->indicators)
                return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
        }
        /* a city without a population cannot be weighted; it is listed, never guessed */
        if (!m->has_population || !(m->population > 0)) {
            cc->excluded[cc->n_excluded++] = m->code;
            continue;
        }
        cc->members[cc->n_members++] = m->code;
        cc->population += m->population;
        weigh(&cc->overall, m->overall.code && m->overall.has_score, m->overall.score,
              m->population);
        for (size_t p = 0; p < fw->n_pillars; p++)
            weigh(&cc->pillars[p], m->pillars[p].code && m->pillars[p].has_score,
                  m->pillars[p].score, m->population);
        for (size_t i = 0; i < fw->n_indicators; i++) {
            const acv_result *r = &m->indicators[i];
            /* an adapted score is another scale: left out of the country figure */
            if (c->common[i] && !c->areas[a].adapted[i])
                weigh(&cc->indicators[i], r->code && r->has_score, r->score, m->population);
        }
    }
    for (size_t j = 0; j < c->n_countries; j++) {
        acv_compare_country *cc = &c->countries[j];
        finish(&cc->overall);
        for (size_t p = 0; p < fw->n_pillars; p++)
            finish(&cc->pillars[p]);
        for (size_t i = 0; i < fw->n_indicators; i++)
            finish(&cc->indicators[i]);
    }
    return ACV_OK;
}

acv_status acv_compare_build(const acv_framework *fw, acv_report_model **models, size_t n, int year,
                             acv_compare_model **out, acv_error *err)
{
    *out = NULL;
    acv_compare_model *c = calloc(1, sizeof *c);
    if (!c) {
        for (size_t i = 0; i < n; i++)
            acv_report_model_free(models[i]);
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    }
    c->fw = fw;
    c->year = year;
    c->areas = acv_arena_alloc(&c->arena, (n + 1) * sizeof *c->areas);
    if (!c->areas) {
        for (size_t i = 0; i < n; i++)
            acv_report_model_free(models[i]);
        acv_compare_free(c);
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    }
    /* from here the comparison owns the models: acv_compare_free frees them */
    for (size_t i = 0; i < n; i++)
        c->areas[c->n_areas++].m = models[i];
    acv_status st = ACV_OK;
    c->common = acv_arena_alloc(&c->arena, fw->n_indicators + 1);
    if (!c->common) {
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
        goto fail;
    }
    for (size_t a = 0; a < c->n_areas; a++) {
        c->areas[a].adapted = acv_arena_alloc(&c->arena, fw->n_indicators + 1);
        c->areas[a].not_applicable = acv_arena_alloc(&c->arena, fw->n_indicators + 1);
        if (!c->areas[a].adapted || !c->areas[a].not_applicable) {
            st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
            goto fail;
        }
        read_changes(fw, &c->areas[a]);
    }
    for (size_t i = 0; i < fw->n_indicators; i++) {
        const acv_indicator *ind = &fw->indicators[i];
        int common = ind->core && !ind->local;
        for (size_t a = 0; a < c->n_areas && common; a++)
            common = !c->areas[a].not_applicable[i];
        c->common[i] = (unsigned char)common;
        c->n_common += common != 0;
        c->n_common_with_data += common && acv_compare_has_data(c, i);
    }
    st = build_countries(c, err);
    if (st != ACV_OK)
        goto fail;
    *out = c;
    return ACV_OK;
fail:
    acv_compare_free(c);
    return st;
}

int acv_compare_has_data(const acv_compare_model *c, size_t i)
{
    for (size_t a = 0; a < c->n_areas; a++)
        if (c->areas[a].m->indicators[i].code && c->areas[a].m->indicators[i].has_value)
            return 1;
    return 0;
}

void acv_compare_names(const acv_compare_model *c, acv_buf *b, acv_buf_escaper esc)
{
    for (size_t a = 0; a < c->n_areas; a++) {
        if (a)
            acv_buf_puts(b, a + 1 == c->n_areas ? " and " : ", ");
        esc(b, c->areas[a].m->name);
    }
}

void acv_compare_free(acv_compare_model *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_areas; i++)
        acv_report_model_free(c->areas[i].m);
    acv_arena_free(&c->arena);
    free(c);
}

/* ---- loading ----------------------------------------------------------------------------- */

/* Codes in order without duplicates; an open-addressing set of their indexes finds a duplicate
 * in constant time, so a country of 20,000 areas is not 200 million comparisons. */
typedef struct {
    char **codes;
    size_t n, cap;
    size_t *slots; /* index + 1 into codes, 0 when free; n_slots a power of two > 2n */
    size_t n_slots;
    int oom;
} code_list;

static size_t code_hash(const char *s)
{
    size_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static int grow_slots(code_list *l)
{
    size_t n_slots = l->n_slots ? l->n_slots * 2 : 64;
    size_t *slots = calloc(n_slots, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < l->n; i++) {
        size_t k = code_hash(l->codes[i]) & (n_slots - 1);
        while (slots[k])
            k = (k + 1) & (n_slots - 1);
        slots[k] = i + 1;
    }
    free(l->slots);
    l->slots = slots;
    l->n_slots = n_slots;
    return 0;
}

static int push_code(code_list *l, const char *code)
{
    if (2 * (l->n + 1) >= l->n_slots && grow_slots(l) != 0)
        return -1;
    size_t k = code_hash(code) & (l->n_slots - 1);
    for (; l->slots[k]; k = (k + 1) & (l->n_slots - 1))
        if (strcmp(l->codes[l->slots[k] - 1], code) == 0)
            return 0;
    if (ACV_GROW(l->codes, l->cap, l->n, 8) != 0)
        return -1;
    if (!(l->codes[l->n] = strdup(code)))
        return -1;
    l->slots[k] = ++l->n;
    return 0;
}

static void free_codes(code_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->codes[i]);
    free(l->codes);
    free(l->slots);
}

typedef struct {
    const char *country;
    code_list *list;
    int year; /* 0: today */
} country_walk;

/* Sub-national areas of a country: the country row itself (and a region) is not a city. */
static int collect_country(void *ud, const acv_area *a)
{
    country_walk *w = ud;
    if (!a->country || strcmp(a->country, w->country) != 0)
        return 0;
    if (a->level && (strcmp(a->level, "country") == 0 || strcmp(a->level, "region") == 0))
        return 0;
    /* the boundaries of the year asked for (docs/boundaries.md): an area that ended before it,
     * or (without a year: ended at all), or began after it, is not one of the country's areas */
    if (a->valid_to && (w->year == 0 || a->valid_to < w->year))
        return 0;
    if (a->valid_from && w->year && a->valid_from > w->year)
        return 0;
    if (push_code(w->list, a->code) != 0) {
        w->list->oom = 1;
        return 1;
    }
    return 0;
}

acv_status acv_compare_resolve(acv_ctx *ctx, const char *spec, int year, acv_compare_codes *out,
                               acv_error *err)
{
    *out = (acv_compare_codes){0};
    code_list named = {0}, from_country = {0}, all = {0};
    acv_status st = ACV_OK;
    char *copy = strdup(spec ? spec : "");
    if (!copy)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    for (char *save = NULL, *item = strtok_r(copy, ",", &save); item;
         item = strtok_r(NULL, ",", &save)) {
        while (*item == ' ')
            item++;
        size_t len = strlen(item);
        while (len && item[len - 1] == ' ')
            item[--len] = '\0';
        if (!len)
            continue;
        if (strncmp(item, "country:", 8) == 0) {
            if (!item[8]) {
                st = acv_error_set(err, ACV_ERR_USAGE,
                                   "'country:' needs a country code, e.g. "
                                   "country:TH");
                goto done;
            }
            out->n_countries++;
            if (!out->first_country && !(out->first_country = strdup(item)))
                goto oom;
            country_walk w = {item + 8, &from_country, year};
            size_t before = from_country.n;
            st = acv_store_each_area(ctx->store, collect_country, &w, err);
            if (st == ACV_OK && from_country.oom)
                st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
            if (st != ACV_OK)
                goto done;
            if (from_country.n == before) {
                st = acv_error_set(err, ACV_ERR_NOTFOUND,
                                   "no area below country level has country '%s'", item + 8);
                goto done;
            }
            for (size_t i = before; i < from_country.n; i++)
                if (push_code(&all, from_country.codes[i]) != 0)
                    goto oom;
        } else {
            if (push_code(&named, item) != 0 || push_code(&all, item) != 0)
                goto oom;
        }
    }
    if (!all.n) {
        st = acv_error_set(err, ACV_ERR_USAGE, "--compare needs area codes or country:CC");
        goto done;
    }
    if (!(out->named = calloc(all.n, 1)))
        goto oom;
    for (size_t i = 0; i < all.n; i++)
        for (size_t k = 0; k < named.n; k++)
            if (strcmp(all.codes[i], named.codes[k]) == 0)
                out->named[i] = 1;
    out->codes = all.codes;
    out->n = all.n;
    free(all.slots);
    all = (code_list){0};
    goto done;
oom:
    st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
done:
    if (st != ACV_OK)
        acv_compare_codes_free(out);
    free_codes(&named);
    free_codes(&from_country);
    free_codes(&all);
    free(copy);
    return st;
}

void acv_compare_codes_free(acv_compare_codes *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->codes[i]);
    free(c->codes);
    free(c->named);
    free(c->first_country);
    *c = (acv_compare_codes){0};
}

acv_status acv_compare_count(acv_ctx *ctx, const char *spec, int year, size_t *n, acv_error *err)
{
    acv_compare_codes codes;
    *n = 0;
    acv_status st = acv_compare_resolve(ctx, spec, year, &codes, err);
    if (st == ACV_OK)
        *n = codes.n;
    acv_compare_codes_free(&codes);
    return st;
}

acv_status acv_compare_load(acv_ctx *ctx, const char *spec, int year, acv_compare_model **out,
                            acv_error *err)
{
    return acv_compare_load_progress(ctx, spec, year, NULL, out, err);
}

acv_status acv_compare_load_progress(acv_ctx *ctx, const char *spec, int year,
                                     acv_progress *progress, acv_compare_model **out,
                                     acv_error *err)
{
    *out = NULL;
    acv_report_model **models = NULL;
    size_t n_models = 0;
    acv_arena skipped_arena = {0};
    const char **skipped = NULL;
    size_t n_skipped = 0, cap_skipped = 0;
    acv_compare_codes all;
    acv_status st = acv_compare_resolve(ctx, spec, year, &all, err);
    if (st != ACV_OK)
        return st;
    const unsigned char *is_named = all.named;
    models = calloc(all.n, sizeof *models);
    if (!models)
        goto oom;
    if (progress)
        acv_progress_start(progress, "loading areas", all.n, "areas");
    for (size_t i = 0; i < all.n; i++) {
        if (progress)
            acv_progress_update(progress, i);
        acv_report_model *m = NULL;
        acv_error one;
        acv_error_clear(&one);
        st = acv_report_model_load_scores(ctx, all.codes[i], year, &m, &one);
        if (st == ACV_ERR_NOTFOUND && !is_named[i]) {
            /* an area of a country that was never scored: listed, not fatal */
            if (n_skipped == cap_skipped) {
                size_t ncap = cap_skipped ? cap_skipped * 2 : 8;
                const char **grown = acv_arena_alloc(&skipped_arena, ncap * sizeof *grown);
                if (!grown)
                    goto oom;
                if (n_skipped)
                    memcpy(grown, skipped, n_skipped * sizeof *grown);
                skipped = grown;
                cap_skipped = ncap;
            }
            char line[ACV_ERROR_MAX + 64];
            snprintf(line, sizeof line, "%s: no scoring run%s", all.codes[i],
                     year > 0 ? " for that year" : "");
            if (!(skipped[n_skipped++] = acv_arena_strdup(&skipped_arena, line)))
                goto oom;
            st = ACV_OK;
            continue;
        }
        if (st != ACV_OK) {
            *err = one;
            goto done;
        }
        models[n_models++] = m;
    }
    if (progress) {
        acv_progress_update(progress, all.n);
        acv_progress_finish(progress);
    }
    if (!n_models) {
        st = acv_error_set(err, ACV_ERR_NOTFOUND,
                           "none of the areas asked for has a scoring run%s; run 'acvtrack "
                           "score --all' first",
                           year > 0 ? " for that year" : "");
        goto done;
    }
    acv_compare_model *c = NULL;
    st = acv_compare_build(ctx->fw, models, n_models, year, &c, err);
    n_models = 0; /* owned by the comparison now, also on failure */
    if (st != ACV_OK)
        goto done;
    if (n_skipped) {
        c->skipped = acv_arena_alloc(&c->arena, n_skipped * sizeof *c->skipped);
        if (!c->skipped) {
            acv_compare_free(c);
            goto oom;
        }
        for (size_t i = 0; i < n_skipped; i++)
            if (!(c->skipped[i] = acv_arena_strdup(&c->arena, skipped[i]))) {
                acv_compare_free(c);
                goto oom;
            }
        c->n_skipped = n_skipped;
    }
    *out = c;
    goto done;
oom:
    st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
done:
    if (progress)
        acv_progress_clear(progress); /* a failure while loading: no half line left */
    for (size_t i = 0; i < n_models; i++)
        acv_report_model_free(models[i]);
    free(models);
    acv_compare_codes_free(&all);
    acv_arena_free(&skipped_arena);
    return st;
}
