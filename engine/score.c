/* score.c — scoring orchestration; see score.h. */
#include "score.h"
#include "luabridge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef ACV_VERSION
#define ACV_VERSION "0.0.0"
#endif

typedef struct {
    acv_point *points;
    size_t n, cap;
} growing_series;

typedef struct {
    char code[112];
    growing_series s;
} named_series;

typedef struct {
    const acv_framework *fw;
    named_series *sdg; /* imported SDG series ("SDG:..."), for linked indicators without data */
    size_t n_sdg, cap_sdg;
    growing_series *indicators;    /* n_indicators */
    growing_series *data_elements; /* n_data_elements */
    growing_series *current;
    char current_code[128];
    acv_sha256 data_hash;
    int oom;
} collector;

static growing_series *series_for(collector *c, const char *code)
{
    long i = acv_framework_find_indicator(c->fw, code);
    if (i >= 0)
        return &c->indicators[i];
    for (size_t d = 0; d < c->fw->n_data_elements; d++)
        if (strcmp(c->fw->data_elements[d].id, code) == 0)
            return &c->data_elements[d];
    if (strncmp(code, "SDG:", 4) == 0 && strlen(code) < sizeof c->sdg[0].code) {
        if (c->n_sdg == c->cap_sdg) {
            size_t ncap = c->cap_sdg ? c->cap_sdg * 2 : 16;
            named_series *ns = realloc(c->sdg, ncap * sizeof *ns);
            if (!ns) {
                c->oom = 1;
                return NULL;
            }
            c->sdg = ns;
            c->cap_sdg = ncap;
        }
        named_series *n = &c->sdg[c->n_sdg++];
        memset(n, 0, sizeof *n);
        snprintf(n->code, sizeof n->code, "%s", code);
        return &n->s;
    }
    return NULL; /* no longer in the framework: kept in the workspace, not scored */
}

static int collect(void *ud, const char *code, const char *period, double value)
{
    collector *c = ud;
    if (strcmp(code, c->current_code) != 0) {
        c->current = series_for(c, code);
        snprintf(c->current_code, sizeof c->current_code, "%s", code);
    }
    if (!c->current)
        return 0;
    char line[256];
    int n = snprintf(line, sizeof line, "%s\t%s\t%.17g\n", code, period, value);
    acv_sha256_update(&c->data_hash, line, (size_t)n);
    growing_series *s = c->current;
    if (s->n == s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 8;
        acv_point *p = realloc(s->points, ncap * sizeof *p);
        if (!p) {
            c->oom = 1;
            return 1;
        }
        s->points = p;
        s->cap = ncap;
    }
    acv_point *pt = &s->points[s->n++];
    snprintf(pt->period, sizeof pt->period, "%s", period);
    pt->year = atoi(period);
    pt->value = value;
    return 0;
}

typedef struct {
    const acv_framework *fw;
    int *levels, *effective;
} answer_collector;

static int collect_answer(void *ud, const acv_answer *a)
{
    answer_collector *ac = ud;
    long q = acv_framework_find_question(ac->fw, a->question);
    if (q >= 0) {
        ac->levels[q] = a->level;
        ac->effective[q] = a->effective_level;
    }
    return 0;
}

static acv_result group_row(const char *level, const char *code, const acv_group_result *g)
{
    acv_result r = {0};
    r.level = level;
    r.code = code;
    r.has_score = g->has_score;
    r.score = g->score;
    r.n_scored = g->n_scored;
    r.n_total = g->n_total;
    r.note = g->note[0] ? g->note : NULL;
    return r;
}

static acv_status store_run(acv_ctx *ctx, acv_run *run, const acv_area_results *res,
                            acv_error *err)
{
    const acv_framework *fw = ctx->fw;
    /* inside the caller's transaction (score --all batches areas): a savepoint, so that a
     * failing area leaves the others of the batch alone */
    int nested = acv_store_in_transaction(ctx->store);
    acv_status st =
        nested ? acv_store_savepoint(ctx->store, err) : acv_store_begin(ctx->store, err);
    if (st == ACV_OK)
        st = acv_store_add_run(ctx->store, run, err);
    for (size_t i = 0; st == ACV_OK && i < fw->n_indicators; i++) {
        const acv_indicator_result *ir = &res->indicators[i];
        acv_result r = {0};
        r.level = "indicator";
        r.code = fw->indicators[i].id;
        r.has_value = ir->has_value;
        r.value = ir->value;
        r.period = ir->period[0] ? ir->period : NULL;
        r.has_score = ir->has_score;
        r.score = ir->score;
        r.n_scored = ir->has_score;
        r.n_total = 1;
        r.note = ir->note[0] ? ir->note : NULL;
        r.class_name = ir->class_name[0] ? ir->class_name : NULL;
        r.imputed = ir->imputed;
        r.has_target_gap = ir->has_target_gap;
        r.target_gap = ir->target_gap;
        st = acv_store_add_result(ctx->store, run->id, &r, err);
    }
    for (size_t i = 0; st == ACV_OK && i < fw->n_action_areas; i++) {
        acv_result r = group_row("action_area", fw->action_areas[i].id, &res->action_areas[i]);
        st = acv_store_add_result(ctx->store, run->id, &r, err);
    }
    for (size_t i = 0; st == ACV_OK && i < fw->n_pillars; i++) {
        acv_result r = group_row("pillar", fw->pillars[i].id, &res->pillars[i]);
        st = acv_store_add_result(ctx->store, run->id, &r, err);
    }
    if (st == ACV_OK) {
        acv_result r = group_row("overall", "ACV", &res->overall);
        st = acv_store_add_result(ctx->store, run->id, &r, err);
    }
    if (res->has_alignment) {
        for (size_t i = 0; st == ACV_OK && i < fw->n_action_areas; i++) {
            acv_result r =
                group_row("alignment_area", fw->action_areas[i].id, &res->alignment_areas[i]);
            st = acv_store_add_result(ctx->store, run->id, &r, err);
        }
        for (size_t i = 0; st == ACV_OK && i < fw->n_pillars; i++) {
            acv_result r =
                group_row("alignment_pillar", fw->pillars[i].id, &res->alignment_pillars[i]);
            st = acv_store_add_result(ctx->store, run->id, &r, err);
        }
        if (st == ACV_OK) {
            acv_result r = group_row("alignment_overall", "ACV", &res->alignment_overall);
            st = acv_store_add_result(ctx->store, run->id, &r, err);
        }
    }
    for (size_t i = 0; st == ACV_OK && i < res->n_priorities; i++) {
        const acv_priority *p = &res->priorities[i];
        acv_result r = {0};
        r.level = "priority";
        r.code = fw->action_areas[p->action_area].id;
        r.has_value = 1;
        r.value = p->priority;
        r.note = p->reasons[0] ? p->reasons : NULL;
        r.rank = (int)i + 1;
        st = acv_store_add_result(ctx->store, run->id, &r, err);
    }
    for (size_t i = 0; st == ACV_OK && i < fw->n_changes; i++)
        st = acv_store_add_change(ctx->store, run->id, (int)i + 1, fw->changes[i], err);
    if (st == ACV_OK)
        return nested ? acv_store_savepoint_release(ctx->store, err)
                      : acv_store_commit(ctx->store, err);
    if (nested)
        acv_store_savepoint_rollback(ctx->store);
    else
        acv_store_rollback(ctx->store);
    return st;
}

acv_status acv_score_area(acv_ctx *ctx, const char *area_code, int year, acv_score_summary *out,
                          acv_error *err)
{
    memset(out, 0, sizeof *out);
    const acv_framework *fw = ctx->fw;
    acv_area area;
    acv_status st = acv_store_get_area(ctx->store, area_code, &area, err);
    if (st != ACV_OK)
        return st;
    /* the store's strings live until its next call: keep copies */
    char name[256], level[32], country[32];
    snprintf(name, sizeof name, "%s", area.name);
    snprintf(level, sizeof level, "%s", area.level);
    snprintf(country, sizeof country, "%s", area.country ? area.country : "");
    int64_t area_id = area.id;
    if (year <= 0) {
        year = acv_store_latest_year(ctx->store, area_id);
        if (year <= 0)
            return acv_error_set(err, ACV_ERR_NOTFOUND,
                                 "area '%s' has no observations yet; import some with 'acvtrack "
                                 "import FILE.csv'",
                                 area_code);
    }
    out->year = year;

    size_t ni = fw->n_indicators, nd = fw->n_data_elements, na = fw->n_action_areas,
           np = fw->n_pillars, nq = fw->n_questions;
    collector c = {.fw = fw};
    acv_sha256_init(&c.data_hash);
    c.indicators = calloc(ni + 1, sizeof *c.indicators);
    c.data_elements = calloc(nd + 1, sizeof *c.data_elements);
    acv_series *in_ind = calloc(ni + 1, sizeof *in_ind);
    acv_series *in_de = calloc(nd + 1, sizeof *in_de);
    int *levels = malloc((nq + 1) * sizeof *levels);
    int *effective = malloc((nq + 1) * sizeof *effective);
    acv_area_results res = {0};
    res.indicators = calloc(ni + 1, sizeof *res.indicators);
    res.action_areas = calloc(na + 1, sizeof *res.action_areas);
    res.pillars = calloc(np + 1, sizeof *res.pillars);
    res.alignment_areas = calloc(na + 1, sizeof *res.alignment_areas);
    res.alignment_pillars = calloc(np + 1, sizeof *res.alignment_pillars);
    res.priorities = calloc(na + 1, sizeof *res.priorities);
    if (!c.indicators || !c.data_elements || !in_ind || !in_de || !levels || !effective ||
        !res.indicators || !res.action_areas || !res.pillars || !res.alignment_areas ||
        !res.alignment_pillars || !res.priorities) {
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory scoring %s", area_code);
        goto done;
    }
    st = acv_store_area_observations(ctx->store, area_id, year, collect, &c, err);
    if (st == ACV_OK && c.oom)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory scoring %s", area_code);
    if (st != ACV_OK)
        goto done;
    for (size_t i = 0; i < ni; i++) {
        in_ind[i] = (acv_series){c.indicators[i].points, c.indicators[i].n, NULL};
        /* an indicator without data of its own may use an imported series of its SDG code */
        const acv_indicator *ind = &fw->indicators[i];
        for (size_t k = 0; in_ind[i].n == 0 && k < ind->n_sdg; k++)
            for (size_t j = 0; j < c.n_sdg; j++)
                if (strcmp(c.sdg[j].code + 4, ind->sdg[k]) == 0 && c.sdg[j].s.n > 0) {
                    in_ind[i] = (acv_series){c.sdg[j].s.points, c.sdg[j].s.n, c.sdg[j].code};
                    break;
                }
    }
    for (size_t i = 0; i < nd; i++)
        in_de[i] = (acv_series){c.data_elements[i].points, c.data_elements[i].n, NULL};

    /* the self-assessment of the scored year, or the latest before it */
    int answers_year = nq ? acv_store_latest_answer_year(ctx->store, area_id, year) : 0;
    for (size_t q = 0; q < nq; q++)
        levels[q] = effective[q] = -1;
    if (answers_year) {
        answer_collector ac = {fw, levels, effective};
        st = acv_store_each_answer(ctx->store, area_id, answers_year, collect_answer, &ac, err);
        if (st != ACV_OK)
            goto done;
    }
    acv_area_input in = {
        .code = area_code,
        .name = name,
        .level = level,
        .country = country[0] ? country : NULL,
        .has_population = area.has_population,
        .population = area.population,
        .year = year,
        .indicators = in_ind,
        .data_elements = in_de,
        .answer_levels = answers_year ? levels : NULL,
        .answer_effective = answers_year ? effective : NULL,
        .answers_year = answers_year,
    };
    st = acv_bridge_score_area(ctx->lua, fw, &in, &res, err);
    if (st != ACV_OK)
        goto done;
    for (size_t i = 0; i < ni; i++) {
        out->n_with_value += res.indicators[i].has_value;
        out->n_scored += res.indicators[i].has_score;
    }
    out->n_indicators = ni;
    out->has_overall = res.overall.has_score;
    out->overall = res.overall.score;
    out->has_alignment = res.has_alignment && res.alignment_overall.has_score;
    out->alignment = res.alignment_overall.score;
    out->n_priorities = res.n_priorities;
    if (res.n_priorities)
        snprintf(out->top_priority, sizeof out->top_priority, "%s",
                 fw->action_areas[res.priorities[0].action_area].id);

    char data_hash[65], methods_hash[65];
    acv_sha256_final_hex(&c.data_hash, data_hash);
    acv_lua_scripts_hash(ctx->lua, methods_hash);
    acv_run run = {
        .area_id = area_id,
        .year = year,
        .engine_version = ACV_VERSION,
        .framework_id = fw->id ? fw->id : "",
        .framework_version = fw->version ? fw->version : "",
        .framework_hash = fw->hash,
        .data_hash = data_hash,
        .methods_hash = methods_hash,
        .overlay = fw->overlay_name,
    };
    st = store_run(ctx, &run, &res, err);
    if (st == ACV_OK)
        out->run_id = run.id;

done:
    if (c.indicators)
        for (size_t i = 0; i < ni; i++)
            free(c.indicators[i].points);
    if (c.data_elements)
        for (size_t i = 0; i < nd; i++)
            free(c.data_elements[i].points);
    for (size_t j = 0; j < c.n_sdg; j++)
        free(c.sdg[j].s.points);
    free(c.sdg);
    free(c.indicators);
    free(c.data_elements);
    free(in_ind);
    free(in_de);
    free(levels);
    free(effective);
    free(res.indicators);
    free(res.action_areas);
    free(res.pillars);
    free(res.alignment_areas);
    free(res.alignment_pillars);
    free(res.priorities);
    return st;
}
