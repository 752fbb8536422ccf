/* completeness.c — how much of the framework a city has data for (per pillar and action area),
 * and `acvtrack status`; see validate.h. */
#include "validate_internal.h"
#include "values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    acv_val_code *index;
    size_t n_index;
    int from, years;
    unsigned char *seen; /* n_series x years: a value for that year */
    double *value;       /* n_series x years */
} val_completeness_state;

static int val_completeness_row(void *ud, const acv_obs_record *r)
{
    val_completeness_state *s = ud;
    long series = acv_val_index_find(s->index, s->n_index, r->indicator);
    acv_period p;
    if (series < 0 || !acv_period_parse(r->period, &p) || p.year < s->from ||
        p.year >= s->from + s->years)
        return 0;
    size_t k = (size_t)series * (size_t)s->years + (size_t)(p.year - s->from);
    s->seen[k] = 1;
    s->value[k] = r->value;
    return 0;
}

void acv_completeness_free(acv_completeness *c)
{
    if (!c)
        return;
    free(c->pillars);
    free(c->action_areas);
    free(c->has_value);
    memset(c, 0, sizeof *c);
}

acv_status acv_completeness_compute(acv_ctx *ctx, const char *area, int year, int years,
                                    acv_completeness *out, acv_error *err)
{
    memset(out, 0, sizeof *out);
    const acv_framework *fw = ctx->fw;
    acv_area a;
    acv_status st = acv_store_get_area(ctx->store, area, &a, err);
    if (st != ACV_OK)
        return st;
    int64_t area_id = a.id;
    if (year <= 0)
        year = acv_store_latest_year(ctx->store, area_id);
    if (year <= 0) {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        year = tm.tm_year + 1900;
    }
    if (years <= 0)
        years = fw->scoring.carry_forward_years > 0 ? fw->scoring.carry_forward_years : 3;
    if (years > 100)
        years = 100;
    out->to_year = year;
    out->from_year = year - years + 1;
    size_t n_series = fw->n_indicators + fw->n_data_elements;
    val_completeness_state s = {.from = out->from_year, .years = years};
    s.index = acv_val_index_new(fw, &s.n_index);
    s.seen = calloc(n_series * (size_t)years + 1, 1);
    s.value = calloc(n_series * (size_t)years + 1, sizeof *s.value);
    out->pillars = calloc(fw->n_pillars + 1, sizeof *out->pillars);
    out->action_areas = calloc(fw->n_action_areas + 1, sizeof *out->action_areas);
    out->has_value = calloc(fw->n_indicators + 1, 1);
    if (!s.index || !s.seen || !s.value || !out->pillars || !out->action_areas || !out->has_value)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    if (st == ACV_OK) {
        acv_obs_filter f = {.area_id = area_id,
                            .min_year = out->from_year,
                            .max_year = out->to_year,
                            .totals_only = 1};
        st = acv_store_each_observation(ctx->store, &f, val_completeness_row, &s, err);
    }
    for (size_t i = 0; st == ACV_OK && i < fw->n_indicators; i++) {
        const acv_indicator *ind = &fw->indicators[i];
        int has = 0;
        for (int y = 0; y < years && !has; y++)
            has = s.seen[i * (size_t)years + (size_t)y];
        if (!has && ind->has_formula) {
            long num = acv_val_find_series(fw, ind->numerator);
            long den = acv_val_find_series(fw, ind->denominator);
            for (int y = 0; y < years && !has && num >= 0 && den >= 0; y++) {
                size_t kn = (size_t)num * (size_t)years + (size_t)y;
                size_t kd = (size_t)den * (size_t)years + (size_t)y;
                has = s.seen[kn] && s.seen[kd] && s.value[kd] != 0;
            }
        }
        out->has_value[i] = (unsigned char)has;
        if (!ind->core || ind->not_applicable)
            continue;
        size_t aa = ind->action_area, p = fw->action_areas[aa].pillar;
        out->overall.core++;
        out->pillars[p].core++;
        out->action_areas[aa].core++;
        if (has) {
            out->overall.with_value++;
            out->pillars[p].with_value++;
            out->action_areas[aa].with_value++;
        }
    }
    free(s.index);
    free(s.seen);
    free(s.value);
    if (st != ACV_OK)
        acv_completeness_free(out);
    return st;
}

/* "  2 of   5   40.0%  Name" and a newline */
static void val_share_text(acv_buf *out, const acv_share *s, const char *name)
{
    if (s->core == 0)
        acv_buf_printf(out, "%3zu of %3zu       -", s->with_value, s->core);
    else
        acv_buf_printf(out, "%3zu of %3zu  %5.1f%%", s->with_value, s->core,
                       100.0 * (double)s->with_value / (double)s->core);
    if (name)
        acv_buf_printf(out, "  %s", name);
    acv_buf_puts(out, "\n");
}

typedef struct {
    long by_importance[3];
} val_status_count;

static int val_status_violation(void *ud, const acv_violation *v)
{
    val_status_count *c = ud;
    c->by_importance[v->importance]++;
    return 0;
}

acv_status acv_status_text(acv_ctx *ctx, const char *area, int year, int years, acv_buf *out,
                           acv_error *err)
{
    const acv_framework *fw = ctx->fw;
    acv_area a;
    acv_status st = acv_store_get_area(ctx->store, area, &a, err);
    if (st != ACV_OK)
        return st;
    acv_buf_printf(out, "%s: %s (%s%s%s)\n", a.code, a.name, a.level, a.country ? ", " : "",
                   a.country ? a.country : "");
    int64_t area_id = a.id;
    acv_area_data_summary d;
    st = acv_store_area_data_summary(ctx->store, area_id, &d, err);
    if (st != ACV_OK)
        return st;
    if (d.observations == 0) {
        acv_buf_puts(out, "observations: none yet (import them with 'acvtrack import')\n");
    } else {
        acv_buf_printf(out, "observations: %lld, %d-%d", d.observations, d.first_year, d.last_year);
        const char *names[] = {"provisional", "final", "estimated", "imputed", "without status"};
        long long counts[] = {d.provisional, d.final, d.estimated, d.imputed, d.no_status};
        const char *sep = " (";
        for (int i = 0; i < 5; i++)
            if (counts[i]) {
                acv_buf_printf(out, "%s%lld %s", sep, counts[i], names[i]);
                sep = ", ";
            }
        acv_buf_printf(out, "%s; %lld earlier version%s kept\n", sep[0] == ',' ? ")" : "",
                       d.revisions, d.revisions == 1 ? "" : "s");
        acv_buf_printf(out, "last import: %lld (%s, %s)\n", (long long)d.last_import_id,
                       d.last_import_file, d.last_import_at);
    }

    acv_completeness c;
    st = acv_completeness_compute(ctx, area, year, years, &c, err);
    if (st != ACV_OK)
        return st;
    acv_buf_printf(out, "completeness: core indicators with a value in %d-%d\n", c.from_year,
                   c.to_year);
    int w = 7; /* "overall" */
    for (size_t p = 0; p < fw->n_pillars; p++)
        if ((int)strlen(fw->pillars[p].id) > w)
            w = (int)strlen(fw->pillars[p].id);
    for (size_t aa = 0; aa < fw->n_action_areas; aa++)
        if ((int)strlen(fw->action_areas[aa].id) + 2 > w)
            w = (int)strlen(fw->action_areas[aa].id) + 2;
    acv_buf_printf(out, "  %-*s  ", w, "overall");
    val_share_text(out, &c.overall, NULL);
    for (size_t p = 0; p < fw->n_pillars; p++) {
        acv_buf_printf(out, "  %-*s  ", w, fw->pillars[p].id);
        val_share_text(out, &c.pillars[p], fw->pillars[p].name);
        for (size_t aa = 0; aa < fw->n_action_areas; aa++) {
            if (fw->action_areas[aa].pillar != p)
                continue;
            acv_buf_printf(out, "    %-*s  ", w - 2, fw->action_areas[aa].id);
            val_share_text(out, &c.action_areas[aa], fw->action_areas[aa].name);
        }
    }
    int any_missing = 0;
    for (size_t i = 0; i < fw->n_indicators; i++) {
        const acv_indicator *ind = &fw->indicators[i];
        if (!ind->core || ind->not_applicable || c.has_value[i])
            continue;
        acv_buf_printf(out, "%s%s",
                       any_missing ? ", " : "core indicators without a value: ", ind->id);
        any_missing = 1;
    }
    if (any_missing)
        acv_buf_puts(out, "\n");
    acv_completeness_free(&c);

    /* validation, when there are rules */
    acv_rules *rules = NULL;
    acv_error rerr;
    acv_error_clear(&rerr);
    if (acv_rules_load_ctx(ctx, &rules, &rerr) != ACV_OK) {
        acv_buf_printf(out, "validation: the rules do not load (run 'acvtrack validate')\n");
    } else if (acv_rules_count(rules) > 0) {
        const char *codes[1] = {area};
        acv_validate_filter f = {.areas = codes, .n_areas = 1};
        val_status_count count = {{0, 0, 0}};
        if (acv_validate(ctx, rules, &f, val_status_violation, &count, NULL, &rerr) != ACV_OK)
            acv_buf_printf(out, "validation: not run: %s\n", rerr.message);
        else
            acv_buf_printf(out,
                           "validation: %ld high, %ld medium, %ld low (details: acvtrack "
                           "validate --area %s)\n",
                           count.by_importance[ACV_IMPORTANCE_HIGH],
                           count.by_importance[ACV_IMPORTANCE_MEDIUM],
                           count.by_importance[ACV_IMPORTANCE_LOW], area);
    }
    acv_rules_free(rules);
    if (out->failed)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    return ACV_OK;
}
