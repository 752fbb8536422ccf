/*
 * compare.c — the comparison model (several areas' stored runs side by side, population-weighted
 * country figures) and its Markdown and JSON renderers; see compare.h and docs/reports.md.
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
        int common = ind->core && !ind->local, with_data = 0;
        for (size_t a = 0; a < c->n_areas && common; a++) {
            common = !c->areas[a].not_applicable[i];
            with_data |=
                c->areas[a].m->indicators[i].code && c->areas[a].m->indicators[i].has_value;
        }
        c->common[i] = (unsigned char)common;
        c->n_common += common != 0;
        c->n_common_with_data += common && with_data;
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

typedef struct {
    char **codes;
    size_t n, cap;
    int oom;
} code_list;

static int push_code(code_list *l, const char *code)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->codes[i], code) == 0)
            return 0;
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 8;
        char **grown = realloc(l->codes, ncap * sizeof *grown);
        if (!grown)
            return -1;
        l->codes = grown;
        l->cap = ncap;
    }
    if (!(l->codes[l->n] = strdup(code)))
        return -1;
    l->n++;
    return 0;
}

static void free_codes(code_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->codes[i]);
    free(l->codes);
}

typedef struct {
    const char *country;
    code_list *list;
} country_walk;

/* Sub-national areas of a country: the country row itself (and a region) is not a city. */
static int collect_country(void *ud, const acv_area *a)
{
    country_walk *w = ud;
    if (!a->country || strcmp(a->country, w->country) != 0)
        return 0;
    if (a->level && (strcmp(a->level, "country") == 0 || strcmp(a->level, "region") == 0))
        return 0;
    if (push_code(w->list, a->code) != 0) {
        w->list->oom = 1;
        return 1;
    }
    return 0;
}

acv_status acv_compare_load(acv_ctx *ctx, const char *spec, int year, acv_compare_model **out,
                            acv_error *err)
{
    *out = NULL;
    code_list named = {0}, from_country = {0};
    acv_report_model **models = NULL;
    size_t n_models = 0;
    acv_arena skipped_arena = {0};
    const char **skipped = NULL;
    size_t n_skipped = 0, cap_skipped = 0;
    acv_status st = ACV_OK;
    /* what was asked: codes in order, countries expanded to their areas */
    char *copy = strdup(spec ? spec : "");
    if (!copy)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    code_list all = {0};
    unsigned char *is_named = NULL;
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
            country_walk w = {item + 8, &from_country};
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
    models = calloc(all.n, sizeof *models);
    is_named = calloc(all.n, 1);
    if (!models || !is_named)
        goto oom;
    for (size_t i = 0; i < all.n; i++)
        for (size_t k = 0; k < named.n; k++)
            if (strcmp(all.codes[i], named.codes[k]) == 0)
                is_named[i] = 1;
    for (size_t i = 0; i < all.n; i++) {
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
    for (size_t i = 0; i < n_models; i++)
        acv_report_model_free(models[i]);
    free(models);
    free(is_named);
    free_codes(&named);
    free_codes(&from_country);
    free_codes(&all);
    acv_arena_free(&skipped_arena);
    free(copy);
    return st;
}

/* ---- Markdown ---------------------------------------------------------------------------- */

static void md_number(acv_buf *b, double v)
{
    char s[64];
    acv_format_number(s, sizeof s, v);
    acv_buf_puts(b, s);
}

static void md_score(acv_buf *b, int has, double v)
{
    if (has)
        acv_buf_printf(b, "%.1f", v);
    else
        acv_buf_puts(b, "—");
}

static void country_name(acv_buf *b, const char *country)
{
    acv_md_cell(b, country ? country : "no country");
    acv_buf_puts(b, " (population-weighted)");
}

static void md_table_head(acv_buf *b, const acv_compare_model *c, const char *first)
{
    acv_buf_printf(b, "| %s |", first);
    for (size_t a = 0; a < c->n_areas; a++) {
        acv_buf_puts(b, " ");
        acv_md_cell(b, c->areas[a].m->name);
        acv_buf_puts(b, " |");
    }
    for (size_t j = 0; j < c->n_countries; j++) {
        acv_buf_puts(b, " ");
        country_name(b, c->countries[j].country);
        acv_buf_puts(b, " |");
    }
    acv_buf_puts(b, "\n|---|");
    for (size_t k = 0; k < c->n_areas + c->n_countries; k++)
        acv_buf_puts(b, "---:|");
    acv_buf_puts(b, "\n");
}

acv_status acv_render_compare_markdown(const acv_compare_model *c, acv_buf *b, acv_error *err)
{
    const acv_framework *fw = c->fw;
    acv_buf_puts(b, "# ACV 2045 comparison: ");
    for (size_t a = 0; a < c->n_areas; a++) {
        if (a)
            acv_buf_puts(b, a + 1 == c->n_areas ? " and " : ", ");
        acv_md_cell(b, c->areas[a].m->name);
    }
    acv_buf_puts(b, "\n\n");
    if (c->year)
        acv_buf_printf(b, "Results for %d. ", c->year);
    else
        acv_buf_puts(b, "Each area's latest scoring run. ");
    acv_buf_printf(b,
                   "Compared on the %zu core indicators that every area applies (%zu of them "
                   "with data).\n\n",
                   c->n_common, c->n_common_with_data);
    acv_buf_puts(b, "| Area | Country | Population | Year | City adaptation | Run |\n"
                    "|---|---|---:|---:|---|---|\n");
    for (size_t a = 0; a < c->n_areas; a++) {
        const acv_report_model *m = c->areas[a].m;
        acv_buf_puts(b, "| ");
        acv_md_cell(b, m->name);
        acv_buf_puts(b, " (`");
        acv_md_cell(b, m->code);
        acv_buf_puts(b, "`) | ");
        acv_md_cell(b, m->country ? m->country : "—");
        acv_buf_puts(b, " | ");
        if (m->has_population) {
            md_number(b, m->population);
            acv_buf_printf(b, " (%d)", m->population_year);
        } else
            acv_buf_puts(b, "—");
        acv_buf_printf(b, " | %d | ", m->year);
        if (m->overlay) {
            acv_md_cell(b, m->overlay);
            acv_buf_printf(b, " (%zu changes)", m->n_changes);
        } else
            acv_buf_puts(b, "none");
        acv_buf_printf(b, " | run %lld, %s, framework `%.12s`, data `%.12s`, methods `%.12s` |\n",
                       (long long)m->run_id, m->created_at, m->framework_hash, m->data_hash,
                       m->methods_hash);
    }
    if (c->n_skipped) {
        acv_buf_puts(b, "\nNot compared, no scoring run:");
        for (size_t i = 0; i < c->n_skipped; i++) {
            acv_buf_puts(b, i ? "; " : " ");
            acv_md_cell(b, c->skipped[i]);
        }
        acv_buf_puts(b, ".\n");
    }

    acv_buf_puts(b, "\n## Overall and pillars\n\n");
    md_table_head(b, c, "Score (0-100)");
    acv_buf_puts(b, "| Overall |");
    for (size_t a = 0; a < c->n_areas; a++) {
        const acv_report_model *m = c->areas[a].m;
        acv_buf_puts(b, " ");
        md_score(b, m->overall.code && m->overall.has_score, m->overall.score);
        acv_buf_puts(b, " |");
    }
    for (size_t j = 0; j < c->n_countries; j++) {
        acv_buf_puts(b, " ");
        md_score(b, c->countries[j].overall.has, c->countries[j].overall.value);
        acv_buf_puts(b, " |");
    }
    acv_buf_puts(b, "\n");
    for (size_t p = 0; p < fw->n_pillars; p++) {
        acv_buf_printf(b, "| %s ", fw->pillars[p].id);
        acv_md_cell(b, fw->pillars[p].name);
        acv_buf_puts(b, " |");
        for (size_t a = 0; a < c->n_areas; a++) {
            const acv_result *r = &c->areas[a].m->pillars[p];
            acv_buf_puts(b, " ");
            md_score(b, r->code && r->has_score, r->score);
            acv_buf_puts(b, " |");
        }
        for (size_t j = 0; j < c->n_countries; j++) {
            acv_buf_puts(b, " ");
            md_score(b, c->countries[j].pillars[p].has, c->countries[j].pillars[p].value);
            acv_buf_puts(b, " |");
        }
        acv_buf_puts(b, "\n");
    }

    acv_buf_puts(b, "\n## Common core indicators\n\nScore (0-100), then the latest value and its "
                    "year, then the progress symbol (✓ achieved, ↑ on track, ➚ needs "
                    "acceleration, → stagnating, ↓ moving away, ? not enough data). † marks a "
                    "score the city's own adaptation changed: not comparable, and left out of "
                    "the country figure. A dash means no data.\n\n");
    md_table_head(b, c, "Indicator");
    for (size_t i = 0; i < fw->n_indicators; i++) {
        if (!c->common[i])
            continue;
        int with = 0;
        for (size_t a = 0; a < c->n_areas; a++)
            with |= c->areas[a].m->indicators[i].code && c->areas[a].m->indicators[i].has_value;
        if (!with)
            continue;
        const acv_indicator *ind = &fw->indicators[i];
        acv_buf_printf(b, "| %s ", ind->id);
        acv_md_cell(b, ind->short_name);
        acv_buf_puts(b, " |");
        for (size_t a = 0; a < c->n_areas; a++) {
            const acv_result *r = &c->areas[a].m->indicators[i];
            acv_buf_puts(b, " ");
            if (r->code && r->has_value) {
                md_score(b, r->has_score, r->score);
                if (c->areas[a].adapted[i])
                    acv_buf_puts(b, "†");
                acv_buf_puts(b, " (");
                md_number(b, r->value);
                if (r->imputed)
                    acv_buf_puts(b, " *imputed*");
                acv_buf_puts(b, ", ");
                acv_md_cell(b, r->period);
                acv_buf_puts(b, ")");
                const char *sym = acv_vocab_symbol(c->areas[a].m->vocab, r->class_name);
                if (r->class_name && *sym)
                    acv_buf_printf(b, " %s", sym);
            } else
                acv_buf_puts(b, "—");
            acv_buf_puts(b, " |");
        }
        for (size_t j = 0; j < c->n_countries; j++) {
            acv_buf_puts(b, " ");
            md_score(b, c->countries[j].indicators[i].has, c->countries[j].indicators[i].value);
            acv_buf_puts(b, " |");
        }
        acv_buf_puts(b, "\n");
    }
    if (c->n_common > c->n_common_with_data)
        acv_buf_printf(b,
                       "\n%zu further common core indicators have no data in any compared "
                       "area.\n",
                       c->n_common - c->n_common_with_data);

    acv_buf_puts(b, "\n## Country figures\n\nA country figure is the mean of its compared "
                    "cities' scores weighted by population, Σ population × score ÷ Σ "
                    "population, over the cities that have both (see docs/reports.md). It "
                    "describes the compared cities, not the whole country.\n");
    for (size_t j = 0; j < c->n_countries; j++) {
        const acv_compare_country *cc = &c->countries[j];
        acv_buf_puts(b, "\n- **");
        acv_md_cell(b, cc->country ? cc->country : "no country");
        acv_buf_printf(b, "**: %zu cit%s, population ", cc->n_members,
                       cc->n_members == 1 ? "y" : "ies");
        md_number(b, cc->population);
        acv_buf_puts(b, cc->n_members ? ". Weights:"
                                      : ". No city with a population: no country "
                                        "figure");
        for (size_t k = 0; k < cc->n_members; k++) {
            for (size_t a = 0; a < c->n_areas; a++) {
                const acv_report_model *m = c->areas[a].m;
                if (strcmp(m->code, cc->members[k]) != 0)
                    continue;
                acv_buf_puts(b, k ? ", " : " ");
                acv_md_cell(b, m->code);
                acv_buf_printf(b, " %.1f%%", 100.0 * m->population / cc->population);
            }
        }
        acv_buf_puts(b, ".");
        if (cc->n_excluded) {
            acv_buf_puts(b, " Left out, no population recorded:");
            for (size_t k = 0; k < cc->n_excluded; k++) {
                acv_buf_puts(b, k ? ", " : " ");
                acv_md_cell(b, cc->excluded[k]);
            }
            acv_buf_puts(b, ".");
        }
        acv_buf_puts(b, "\n");
    }
    if (b->failed)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory writing the comparison");
    return ACV_OK;
}

/* ---- JSON (schema: docs/report-json.md, docs/report.schema.json) ------------------------- */

static void weighted(acv_buf *b, const acv_weighted_mean *w)
{
    acv_buf_puts(b, "{");
    acv_buf_json_num_field(b, "score", w->has, w->value, 1);
    acv_buf_json_num_field(b, "n", 1, w->n, 1);
    acv_buf_json_num_field(b, "population", 1, w->population, 0);
    acv_buf_puts(b, "}");
}

static void id_list(acv_buf *b, const acv_framework *fw, const unsigned char *flags)
{
    acv_buf_puts(b, "[");
    int first = 1;
    for (size_t i = 0; i < fw->n_indicators; i++) {
        if (!flags[i])
            continue;
        if (!first)
            acv_buf_puts(b, ",");
        first = 0;
        acv_buf_json_string(b, fw->indicators[i].id);
    }
    acv_buf_puts(b, "]");
}

static void string_list(acv_buf *b, const char *const *s, size_t n)
{
    acv_buf_puts(b, "[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            acv_buf_puts(b, ",");
        acv_buf_json_string(b, s[i]);
    }
    acv_buf_puts(b, "]");
}

acv_status acv_render_compare_json(const acv_compare_model *c, acv_buf *b, acv_error *err)
{
    const acv_framework *fw = c->fw;
    acv_buf_puts(b, "{");
    acv_buf_json_str_field(b, "schema", "acvtrack-comparison/1", 1);
    acv_buf_json_num_field(b, "year", c->year > 0, c->year, 1);
    acv_buf_json_num_field(b, "n_common", 1, (double)c->n_common, 1);
    acv_buf_json_num_field(b, "n_common_with_data", 1, (double)c->n_common_with_data, 1);
    acv_buf_json_key(b, "pillars");
    acv_buf_puts(b, "[");
    for (size_t p = 0; p < fw->n_pillars; p++) {
        acv_buf_puts(b, p ? ",{" : "{");
        acv_buf_json_str_field(b, "id", fw->pillars[p].id, 1);
        acv_buf_json_str_field(b, "name", fw->pillars[p].name, 0);
        acv_buf_puts(b, "}");
    }
    acv_buf_puts(b, "],");
    acv_buf_json_key(b, "areas");
    acv_buf_puts(b, "[");
    for (size_t a = 0; a < c->n_areas; a++) {
        const acv_report_model *m = c->areas[a].m;
        acv_buf_puts(b, a ? ",{" : "{");
        acv_buf_json_str_field(b, "code", m->code, 1);
        acv_buf_json_str_field(b, "name", m->name, 1);
        acv_buf_json_str_field(b, "level", m->level, 1);
        acv_buf_json_str_field(b, "country", m->country, 1);
        acv_buf_json_num_field(b, "population", m->has_population, m->population, 1);
        acv_buf_json_num_field(b, "population_year", m->has_population, m->population_year, 1);
        acv_buf_json_key(b, "run");
        acv_buf_puts(b, "{");
        acv_buf_json_num_field(b, "id", 1, (double)m->run_id, 1);
        acv_buf_json_num_field(b, "year", 1, m->year, 1);
        acv_buf_json_str_field(b, "created_at", m->created_at, 1);
        acv_buf_json_str_field(b, "engine_version", m->engine_version, 1);
        acv_buf_json_str_field(b, "framework_hash", m->framework_hash, 1);
        acv_buf_json_str_field(b, "data_hash", m->data_hash, 1);
        acv_buf_json_str_field(b, "methods_hash", m->methods_hash, 1);
        acv_buf_json_str_field(b, "overlay", m->overlay, 0);
        acv_buf_puts(b, "},");
        acv_buf_json_num_field(b, "overall", m->overall.code && m->overall.has_score,
                               m->overall.score, 1);
        acv_buf_json_key(b, "pillars");
        acv_buf_puts(b, "{");
        for (size_t p = 0; p < fw->n_pillars; p++)
            acv_buf_json_num_field(b, fw->pillars[p].id,
                                   m->pillars[p].code && m->pillars[p].has_score,
                                   m->pillars[p].score, p + 1 < fw->n_pillars);
        acv_buf_puts(b, "},");
        acv_buf_json_key(b, "overlay_changes");
        string_list(b, m->changes, m->n_changes);
        acv_buf_puts(b, ",");
        acv_buf_json_key(b, "adapted");
        id_list(b, fw, c->areas[a].adapted);
        acv_buf_puts(b, ",");
        acv_buf_json_key(b, "not_applicable");
        id_list(b, fw, c->areas[a].not_applicable);
        acv_buf_puts(b, "}");
    }
    acv_buf_puts(b, "],");
    acv_buf_json_key(b, "indicators");
    acv_buf_puts(b, "[");
    int first = 1;
    for (size_t i = 0; i < fw->n_indicators; i++) {
        if (!c->common[i])
            continue;
        const acv_indicator *ind = &fw->indicators[i];
        const acv_action_area *area = &fw->action_areas[ind->action_area];
        char target[160];
        acv_target_describe(ind, acv_indicator_target(ind, 2030), target, sizeof target);
        acv_buf_puts(b, first ? "{" : ",{");
        first = 0;
        acv_buf_json_str_field(b, "id", ind->id, 1);
        acv_buf_json_str_field(b, "name", ind->name, 1);
        acv_buf_json_str_field(b, "short_name", ind->short_name, 1);
        acv_buf_json_str_field(b, "action_area", area->id, 1);
        acv_buf_json_str_field(b, "pillar", fw->pillars[area->pillar].id, 1);
        acv_buf_json_str_field(b, "unit", ind->unit, 1);
        acv_buf_json_str_field(b, "direction", acv_direction_name(ind->direction), 1);
        acv_buf_json_str_field(b, "target_2030", target, 1);
        acv_buf_json_key(b, "areas");
        acv_buf_puts(b, "[");
        for (size_t a = 0; a < c->n_areas; a++) {
            const acv_result *r = &c->areas[a].m->indicators[i];
            acv_buf_puts(b, a ? ",{" : "{");
            acv_buf_json_str_field(b, "area", c->areas[a].m->code, 1);
            acv_buf_json_num_field(b, "value", r->code && r->has_value, r->value, 1);
            acv_buf_json_str_field(b, "period", r->code ? r->period : NULL, 1);
            acv_buf_json_key(b, "imputed");
            acv_buf_puts(b, r->code && r->imputed ? "true," : "false,");
            acv_buf_json_num_field(b, "score", r->code && r->has_score, r->score, 1);
            acv_buf_json_str_field(b, "class", r->code ? r->class_name : NULL, 1);
            acv_buf_json_key(b, "adapted");
            acv_buf_puts(b, c->areas[a].adapted[i] ? "true}" : "false}");
        }
        acv_buf_puts(b, "],");
        acv_buf_json_key(b, "countries");
        acv_buf_puts(b, "[");
        for (size_t j = 0; j < c->n_countries; j++) {
            const acv_weighted_mean *w = &c->countries[j].indicators[i];
            acv_buf_puts(b, j ? ",{" : "{");
            acv_buf_json_str_field(b, "country", c->countries[j].country, 1);
            acv_buf_json_num_field(b, "score", w->has, w->value, 1);
            acv_buf_json_num_field(b, "n", 1, w->n, 1);
            acv_buf_json_num_field(b, "population", 1, w->population, 0);
            acv_buf_puts(b, "}");
        }
        acv_buf_puts(b, "]}");
    }
    acv_buf_puts(b, "],");
    acv_buf_json_key(b, "countries");
    acv_buf_puts(b, "[");
    for (size_t j = 0; j < c->n_countries; j++) {
        const acv_compare_country *cc = &c->countries[j];
        acv_buf_puts(b, j ? ",{" : "{");
        acv_buf_json_str_field(b, "country", cc->country, 1);
        acv_buf_json_num_field(b, "population", 1, cc->population, 1);
        acv_buf_json_key(b, "members");
        string_list(b, cc->members, cc->n_members);
        acv_buf_puts(b, ",");
        acv_buf_json_key(b, "excluded");
        string_list(b, cc->excluded, cc->n_excluded);
        acv_buf_puts(b, ",");
        acv_buf_json_key(b, "overall");
        weighted(b, &cc->overall);
        acv_buf_puts(b, ",");
        acv_buf_json_key(b, "pillars");
        acv_buf_puts(b, "{");
        for (size_t p = 0; p < fw->n_pillars; p++) {
            acv_buf_json_key(b, fw->pillars[p].id);
            weighted(b, &cc->pillars[p]);
            if (p + 1 < fw->n_pillars)
                acv_buf_puts(b, ",");
        }
        acv_buf_puts(b, "}}");
    }
    acv_buf_puts(b, "],");
    acv_buf_json_key(b, "skipped");
    string_list(b, c->skipped, c->n_skipped);
    acv_buf_puts(b, "}\n");
    if (b->failed)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory writing JSON");
    return ACV_OK;
}
