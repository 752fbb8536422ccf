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
} series;

typedef struct {
    const acv_framework *fw;
    series *by_indicator;
    long current;
    char current_code[128];
    acv_sha256 data_hash;
    int oom;
} collector;

static int collect(void *ud, const char *indicator, const char *period, double value)
{
    collector *c = ud;
    if (strcmp(indicator, c->current_code) != 0) {
        c->current = acv_framework_find_indicator(c->fw, indicator);
        snprintf(c->current_code, sizeof c->current_code, "%s", indicator);
    }
    if (c->current < 0)
        return 0; /* no longer in the framework: kept in the workspace, not scored */
    char line[256];
    int n = snprintf(line, sizeof line, "%s\t%s\t%.17g\n", indicator, period, value);
    acv_sha256_update(&c->data_hash, line, (size_t)n);
    series *s = &c->by_indicator[c->current];
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

acv_status acv_score_area(acv_ctx *ctx, const char *area_code, int year, acv_score_summary *out,
                          acv_error *err)
{
    memset(out, 0, sizeof *out);
    const acv_framework *fw = ctx->fw;
    acv_area area;
    acv_status st = acv_store_get_area(ctx->store, area_code, &area, err);
    if (st != ACV_OK)
        return st;
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

    collector c = {.fw = fw, .current = -1};
    acv_sha256_init(&c.data_hash);
    c.by_indicator = calloc(fw->n_indicators, sizeof *c.by_indicator);
    acv_indicator_result *ind = calloc(fw->n_indicators, sizeof *ind);
    acv_group_result *areas = calloc(fw->n_action_areas ? fw->n_action_areas : 1, sizeof *areas);
    acv_group_result *pillars = calloc(fw->n_pillars ? fw->n_pillars : 1, sizeof *pillars);
    acv_group_result overall;
    if (!c.by_indicator || !ind || !areas || !pillars) {
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory scoring %s", area_code);
        goto done;
    }
    st = acv_store_area_observations(ctx->store, area_id, year, collect, &c, err);
    if (st == ACV_OK && c.oom)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory scoring %s", area_code);
    for (size_t i = 0; st == ACV_OK && i < fw->n_indicators; i++) {
        st = acv_bridge_score_indicator(ctx->lua, fw, i, c.by_indicator[i].points,
                                        c.by_indicator[i].n, year, &ind[i], err);
        out->n_with_value += ind[i].has_value;
        out->n_scored += ind[i].has_score;
    }
    if (st == ACV_OK)
        st = acv_bridge_aggregate(ctx->lua, fw, ind, areas, pillars, &overall, err);
    if (st != ACV_OK)
        goto done;
    out->n_indicators = fw->n_indicators;
    out->has_overall = overall.has_score;
    out->overall = overall.score;

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
    };
    st = acv_store_begin(ctx->store, err);
    if (st == ACV_OK)
        st = acv_store_add_run(ctx->store, &run, err);
    for (size_t i = 0; st == ACV_OK && i < fw->n_indicators; i++) {
        acv_result r = {"indicator",     fw->indicators[i].id, ind[i].has_value, ind[i].value,
                        ind[i].period[0] ? ind[i].period : NULL, ind[i].has_score, ind[i].score,
                        ind[i].has_score, 1, ind[i].note[0] ? ind[i].note : NULL};
        st = acv_store_add_result(ctx->store, run.id, &r, err);
    }
    for (size_t i = 0; st == ACV_OK && i < fw->n_action_areas; i++) {
        acv_result r = {"action_area", fw->action_areas[i].id, 0, 0, NULL, areas[i].has_score,
                        areas[i].score, areas[i].n_scored, areas[i].n_total,
                        areas[i].note[0] ? areas[i].note : NULL};
        st = acv_store_add_result(ctx->store, run.id, &r, err);
    }
    for (size_t i = 0; st == ACV_OK && i < fw->n_pillars; i++) {
        acv_result r = {"pillar",           fw->pillars[i].id, 0, 0, NULL, pillars[i].has_score,
                        pillars[i].score,   pillars[i].n_scored, pillars[i].n_total,
                        pillars[i].note[0] ? pillars[i].note : NULL};
        st = acv_store_add_result(ctx->store, run.id, &r, err);
    }
    if (st == ACV_OK) {
        acv_result r = {"overall",       "ACV",          0,
                        0,               NULL,           overall.has_score,
                        overall.score,   overall.n_scored, overall.n_total,
                        overall.note[0] ? overall.note : NULL};
        st = acv_store_add_result(ctx->store, run.id, &r, err);
    }
    if (st == ACV_OK)
        st = acv_store_commit(ctx->store, err);
    else
        acv_store_rollback(ctx->store);
    if (st == ACV_OK)
        out->run_id = run.id;

done:
    if (c.by_indicator)
        for (size_t i = 0; i < fw->n_indicators; i++)
            free(c.by_indicator[i].points);
    free(c.by_indicator);
    free(ind);
    free(areas);
    free(pillars);
    return st;
}
