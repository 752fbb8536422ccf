/* score.c — scoring orchestration; see score.h. */
#include "score.h"
#include "luabridge.h"

#include <stdint.h>
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

/* Where the observations of one indicators-table id go. */
enum { SLOT_NONE, SLOT_INDICATOR, SLOT_DATA_ELEMENT, SLOT_SDG };
typedef struct {
    unsigned char kind;
    uint32_t index;
} slot;

/* An imported series ("SDG:11.6.2") some framework indicator may fall back on. */
typedef struct {
    char *code;
    growing_series s;
} named_series;

/* One series of the area, in the order the data hash reads them (by code). */
typedef struct {
    const char *code;
    growing_series *s;
} hashed_series;

struct acv_scorer {
    acv_ctx *ctx;
    const acv_framework *fw;
    slot *slots; /* by indicators-table id */
    size_t n_slots;
    named_series *sdg;
    size_t n_sdg, cap_sdg;
    growing_series *indicators;    /* n_indicators, reused from area to area */
    growing_series *data_elements; /* n_data_elements */
    hashed_series *hash_order;
    size_t n_hash_order;
    long *fallback;      /* per indicator and SDG code: the sdg[] index of "SDG:<code>", or -1 */
    size_t *fallback_at; /* per indicator: its first entry in fallback */
    acv_series *in_ind, *in_de;
    int *levels, *effective;
    acv_area_results res;
    acv_result *rows; /* what store_run writes: indicators, groups, alignment, priorities */
    int oom;
};

static int add_slot(void *ud, int64_t id, const char *code)
{
    acv_scorer *sc = ud;
    if (id < 0 || id > 0x7fffffff)
        return 0;
    if ((size_t)id >= sc->n_slots) {
        size_t n = (size_t)id + 64;
        slot *ns = realloc(sc->slots, n * sizeof *ns);
        if (!ns) {
            sc->oom = 1;
            return 1;
        }
        memset(ns + sc->n_slots, 0, (n - sc->n_slots) * sizeof *ns);
        sc->slots = ns;
        sc->n_slots = n;
    }
    slot *sl = &sc->slots[id];
    long i = acv_framework_find_indicator(sc->fw, code);
    if (i >= 0) {
        *sl = (slot){SLOT_INDICATOR, (uint32_t)i};
        return 0;
    }
    for (size_t d = 0; d < sc->fw->n_data_elements; d++)
        if (strcmp(sc->fw->data_elements[d].id, code) == 0) {
            *sl = (slot){SLOT_DATA_ELEMENT, (uint32_t)d};
            return 0;
        }
    if (strncmp(code, "SDG:", 4) != 0)
        return 0; /* no longer in the framework: kept in the workspace, not scored */
    if (sc->n_sdg == sc->cap_sdg) {
        size_t ncap = sc->cap_sdg ? sc->cap_sdg * 2 : 16;
        named_series *ns = realloc(sc->sdg, ncap * sizeof *ns);
        if (!ns) {
            sc->oom = 1;
            return 1;
        }
        sc->sdg = ns;
        sc->cap_sdg = ncap;
    }
    named_series *n = &sc->sdg[sc->n_sdg];
    memset(n, 0, sizeof *n);
    size_t len = strlen(code);
    n->code = malloc(len + 1);
    if (n->code)
        memcpy(n->code, code, len + 1);
    if (!n->code) {
        sc->oom = 1;
        return 1;
    }
    *sl = (slot){SLOT_SDG, (uint32_t)sc->n_sdg++};
    return 0;
}

static int by_code(const void *a, const void *b)
{
    return strcmp(((const hashed_series *)a)->code, ((const hashed_series *)b)->code);
}

void acv_scorer_close(acv_scorer *sc)
{
    if (!sc)
        return;
    const acv_framework *fw = sc->fw;
    if (sc->indicators)
        for (size_t i = 0; i < fw->n_indicators; i++)
            free(sc->indicators[i].points);
    if (sc->data_elements)
        for (size_t i = 0; i < fw->n_data_elements; i++)
            free(sc->data_elements[i].points);
    for (size_t j = 0; j < sc->n_sdg; j++) {
        free(sc->sdg[j].code);
        free(sc->sdg[j].s.points);
    }
    free(sc->sdg);
    free(sc->slots);
    free(sc->indicators);
    free(sc->data_elements);
    free(sc->hash_order);
    free(sc->fallback);
    free(sc->fallback_at);
    free(sc->in_ind);
    free(sc->in_de);
    free(sc->levels);
    free(sc->effective);
    free(sc->res.indicators);
    free(sc->res.action_areas);
    free(sc->res.pillars);
    free(sc->res.alignment_areas);
    free(sc->res.alignment_pillars);
    free(sc->res.priorities);
    free(sc->rows);
    free(sc);
}

acv_status acv_scorer_open(acv_ctx *ctx, acv_scorer **out, acv_error *err)
{
    *out = NULL;
    const acv_framework *fw = ctx->fw;
    acv_scorer *sc = calloc(1, sizeof *sc);
    if (!sc)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory preparing to score");
    sc->ctx = ctx;
    sc->fw = fw;
    size_t ni = fw->n_indicators, nd = fw->n_data_elements, na = fw->n_action_areas,
           np = fw->n_pillars, nq = fw->n_questions;
    size_t n_fallback = 0;
    for (size_t i = 0; i < ni; i++)
        n_fallback += fw->indicators[i].n_sdg;
    sc->indicators = calloc(ni + 1, sizeof *sc->indicators);
    sc->data_elements = calloc(nd + 1, sizeof *sc->data_elements);
    sc->fallback = calloc(n_fallback + 1, sizeof *sc->fallback);
    sc->fallback_at = calloc(ni + 1, sizeof *sc->fallback_at);
    sc->in_ind = calloc(ni + 1, sizeof *sc->in_ind);
    sc->in_de = calloc(nd + 1, sizeof *sc->in_de);
    sc->levels = malloc((nq + 1) * sizeof *sc->levels);
    sc->effective = malloc((nq + 1) * sizeof *sc->effective);
    sc->res.indicators = calloc(ni + 1, sizeof *sc->res.indicators);
    sc->res.action_areas = calloc(na + 1, sizeof *sc->res.action_areas);
    sc->res.pillars = calloc(np + 1, sizeof *sc->res.pillars);
    sc->res.alignment_areas = calloc(na + 1, sizeof *sc->res.alignment_areas);
    sc->res.alignment_pillars = calloc(np + 1, sizeof *sc->res.alignment_pillars);
    sc->res.priorities = calloc(na + 1, sizeof *sc->res.priorities);
    sc->rows = calloc(ni + 3 * na + 2 * np + 2, sizeof *sc->rows);
    if (!sc->rows || !sc->indicators || !sc->data_elements || !sc->fallback || !sc->fallback_at ||
        !sc->in_ind || !sc->in_de || !sc->levels || !sc->effective || !sc->res.indicators ||
        !sc->res.action_areas || !sc->res.pillars || !sc->res.alignment_areas ||
        !sc->res.alignment_pillars || !sc->res.priorities) {
        acv_scorer_close(sc);
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory preparing to score");
    }
    acv_status st = acv_store_each_indicator_id(ctx->store, add_slot, sc, err);
    if (st == ACV_OK && sc->oom)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory preparing to score");
    if (st != ACV_OK) {
        acv_scorer_close(sc);
        return st;
    }
    /* an indicator without data of its own may use an imported series of one of its SDG codes,
     * tried in the framework's order */
    size_t k = 0;
    for (size_t i = 0; i < ni; i++) {
        sc->fallback_at[i] = k;
        const acv_indicator *ind = &fw->indicators[i];
        for (size_t g = 0; g < ind->n_sdg; g++) {
            sc->fallback[k] = -1;
            for (size_t j = 0; j < sc->n_sdg; j++)
                if (strcmp(sc->sdg[j].code + 4, ind->sdg[g]) == 0)
                    sc->fallback[k] = (long)j;
            k++;
        }
    }
    sc->fallback_at[ni] = k;
    /* the data hash reads the series by code, whatever ids the workspace gave them */
    sc->hash_order = calloc(ni + nd + sc->n_sdg + 1, sizeof *sc->hash_order);
    if (!sc->hash_order) {
        acv_scorer_close(sc);
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory preparing to score");
    }
    for (size_t i = 0; i < ni; i++)
        sc->hash_order[sc->n_hash_order++] =
            (hashed_series){fw->indicators[i].id, &sc->indicators[i]};
    for (size_t i = 0; i < nd; i++)
        sc->hash_order[sc->n_hash_order++] =
            (hashed_series){fw->data_elements[i].id, &sc->data_elements[i]};
    for (size_t j = 0; j < sc->n_sdg; j++)
        sc->hash_order[sc->n_hash_order++] = (hashed_series){sc->sdg[j].code, &sc->sdg[j].s};
    qsort(sc->hash_order, sc->n_hash_order, sizeof *sc->hash_order, by_code);
    *out = sc;
    return ACV_OK;
}

static int collect(void *ud, int64_t indicator_id, const char *period, double value)
{
    acv_scorer *sc = ud;
    if (indicator_id < 0 || (uint64_t)indicator_id >= sc->n_slots)
        return 0;
    const slot *sl = &sc->slots[indicator_id];
    growing_series *s;
    switch (sl->kind) {
    case SLOT_INDICATOR:
        s = &sc->indicators[sl->index];
        break;
    case SLOT_DATA_ELEMENT:
        s = &sc->data_elements[sl->index];
        break;
    case SLOT_SDG:
        s = &sc->sdg[sl->index].s;
        break;
    default:
        return 0; /* no longer in the framework: kept in the workspace, not scored */
    }
    if (s->n == s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 8;
        acv_point *p = realloc(s->points, ncap * sizeof *p);
        if (!p) {
            sc->oom = 1;
            return 1;
        }
        s->points = p;
        s->cap = ncap;
    }
    acv_point *pt = &s->points[s->n++];
    size_t len = strlen(period);
    if (len >= sizeof pt->period)
        len = sizeof pt->period - 1;
    memcpy(pt->period, period, len);
    pt->period[len] = '\0';
    pt->year = atoi(period);
    pt->value = value;
    return 0;
}

/* SHA-256 over "code TAB period TAB value NL" for every point, series in code order, periods in
 * order, the value as its 8 IEEE-754 bytes, little-endian. */
static void hash_data(acv_scorer *sc, char hex[65])
{
    acv_sha256 h;
    acv_sha256_init(&h);
    for (size_t k = 0; k < sc->n_hash_order; k++) {
        const hashed_series *hs = &sc->hash_order[k];
        size_t code_len = strlen(hs->code);
        for (size_t i = 0; i < hs->s->n; i++) {
            const acv_point *p = &hs->s->points[i];
            unsigned char line[ACV_PERIOD_MAX + 16];
            size_t n = strlen(p->period);
            acv_sha256_update(&h, hs->code, code_len);
            line[0] = '\t';
            memcpy(line + 1, p->period, n);
            line[++n] = '\t';
            uint64_t bits;
            memcpy(&bits, &p->value, sizeof bits);
            for (int b = 0; b < 8; b++)
                line[++n] = (unsigned char)(bits >> (8 * b));
            line[++n] = '\n';
            acv_sha256_update(&h, line, n + 1);
        }
    }
    acv_sha256_final_hex(&h, hex);
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

static acv_status store_run(acv_scorer *sc, acv_run *run, const acv_area_results *res,
                            acv_error *err)
{
    acv_ctx *ctx = sc->ctx;
    const acv_framework *fw = sc->fw;
    acv_result *rows = sc->rows;
    size_t n = 0;
    for (size_t i = 0; i < fw->n_indicators; i++) {
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
        rows[n++] = r;
    }
    for (size_t i = 0; i < fw->n_action_areas; i++)
        rows[n++] = group_row("action_area", fw->action_areas[i].id, &res->action_areas[i]);
    for (size_t i = 0; i < fw->n_pillars; i++)
        rows[n++] = group_row("pillar", fw->pillars[i].id, &res->pillars[i]);
    rows[n++] = group_row("overall", "ACV", &res->overall);
    if (res->has_alignment) {
        for (size_t i = 0; i < fw->n_action_areas; i++)
            rows[n++] =
                group_row("alignment_area", fw->action_areas[i].id, &res->alignment_areas[i]);
        for (size_t i = 0; i < fw->n_pillars; i++)
            rows[n++] =
                group_row("alignment_pillar", fw->pillars[i].id, &res->alignment_pillars[i]);
        rows[n++] = group_row("alignment_overall", "ACV", &res->alignment_overall);
    }
    for (size_t i = 0; i < res->n_priorities; i++) {
        const acv_priority *p = &res->priorities[i];
        acv_result r = {0};
        r.level = "priority";
        r.code = fw->action_areas[p->action_area].id;
        r.has_value = 1;
        r.value = p->priority;
        r.note = p->reasons[0] ? p->reasons : NULL;
        r.rank = (int)i + 1;
        rows[n++] = r;
    }
    /* inside the caller's transaction (score --all batches areas): a savepoint, so that a
     * failing area leaves the others of the batch alone */
    int nested = acv_store_in_transaction(ctx->store);
    acv_status st =
        nested ? acv_store_savepoint(ctx->store, err) : acv_store_begin(ctx->store, err);
    if (st == ACV_OK)
        st = acv_store_add_run(ctx->store, run, err);
    if (st == ACV_OK)
        st = acv_store_add_results(ctx->store, run->id, rows, n, err);
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

acv_status acv_scorer_area(acv_scorer *sc, const char *area_code, int year, acv_score_summary *out,
                           acv_error *err)
{
    memset(out, 0, sizeof *out);
    acv_ctx *ctx = sc->ctx;
    const acv_framework *fw = sc->fw;
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

    size_t ni = fw->n_indicators, nd = fw->n_data_elements, nq = fw->n_questions;
    for (size_t i = 0; i < ni; i++)
        sc->indicators[i].n = 0;
    for (size_t i = 0; i < nd; i++)
        sc->data_elements[i].n = 0;
    for (size_t j = 0; j < sc->n_sdg; j++)
        sc->sdg[j].s.n = 0;
    sc->oom = 0;
    st = acv_store_area_series(ctx->store, area_id, year, collect, sc, err);
    if (st == ACV_OK && sc->oom)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory scoring %s", area_code);
    if (st != ACV_OK)
        return st;
    for (size_t i = 0; i < ni; i++) {
        sc->in_ind[i] = (acv_series){sc->indicators[i].points, sc->indicators[i].n, NULL};
        /* an indicator without data of its own may use an imported series of its SDG code */
        for (size_t k = sc->fallback_at[i]; sc->in_ind[i].n == 0 && k < sc->fallback_at[i + 1];
             k++) {
            long j = sc->fallback[k];
            if (j >= 0 && sc->sdg[j].s.n > 0)
                sc->in_ind[i] = (acv_series){sc->sdg[j].s.points, sc->sdg[j].s.n, sc->sdg[j].code};
        }
    }
    for (size_t i = 0; i < nd; i++)
        sc->in_de[i] = (acv_series){sc->data_elements[i].points, sc->data_elements[i].n, NULL};

    /* the self-assessment of the scored year, or the latest before it */
    int answers_year = nq ? acv_store_latest_answer_year(ctx->store, area_id, year) : 0;
    for (size_t q = 0; q < nq; q++)
        sc->levels[q] = sc->effective[q] = -1;
    if (answers_year) {
        answer_collector ac = {fw, sc->levels, sc->effective};
        st = acv_store_each_answer(ctx->store, area_id, answers_year, collect_answer, &ac, err);
        if (st != ACV_OK)
            return st;
    }
    acv_area_input in = {
        .code = area_code,
        .name = name,
        .level = level,
        .country = country[0] ? country : NULL,
        .has_population = area.has_population,
        .population = area.population,
        .year = year,
        .indicators = sc->in_ind,
        .data_elements = sc->in_de,
        .answer_levels = answers_year ? sc->levels : NULL,
        .answer_effective = answers_year ? sc->effective : NULL,
        .answers_year = answers_year,
    };
    acv_area_results *res = &sc->res;
    st = acv_bridge_score_area(ctx->lua, fw, &in, res, err);
    if (st != ACV_OK)
        return st;
    for (size_t i = 0; i < ni; i++) {
        out->n_with_value += res->indicators[i].has_value;
        out->n_scored += res->indicators[i].has_score;
    }
    out->n_indicators = ni;
    out->has_overall = res->overall.has_score;
    out->overall = res->overall.score;
    out->has_alignment = res->has_alignment && res->alignment_overall.has_score;
    out->alignment = res->alignment_overall.score;
    out->n_priorities = res->n_priorities;
    if (res->n_priorities)
        snprintf(out->top_priority, sizeof out->top_priority, "%s",
                 fw->action_areas[res->priorities[0].action_area].id);

    char data_hash[65], methods_hash[65];
    hash_data(sc, data_hash);
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
    st = store_run(sc, &run, res, err);
    if (st == ACV_OK)
        out->run_id = run.id;
    return st;
}

acv_status acv_score_area(acv_ctx *ctx, const char *area_code, int year, acv_score_summary *out,
                          acv_error *err)
{
    acv_scorer *sc = NULL;
    acv_status st = acv_scorer_open(ctx, &sc, err);
    if (st != ACV_OK) {
        memset(out, 0, sizeof *out);
        return st;
    }
    st = acv_scorer_area(sc, area_code, year, out, err);
    acv_scorer_close(sc);
    return st;
}
