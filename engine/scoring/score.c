/* score.c — scoring orchestration; see score.h. */
#include "score.h"
#include "luabridge.h"
#include "luavocab.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* One series, in the order the data hash reads them (by code). */
typedef struct {
    const char *code;
    slot where;
} hashed_series;

/* One area on its way through the scorer: read from the workspace (main thread), scored by the
 * Lua methods (any thread), stored (main thread). */
typedef struct {
    char code[80], name[256], level[32], country[32];
    int64_t area_id;
    int year, has_population, answers_year;
    double population;
    growing_series *indicators;    /* n_indicators */
    growing_series *data_elements; /* n_data_elements */
    growing_series *sdg;           /* the scorer's n_sdg imported series */
    acv_series *in_ind, *in_de;
    acv_series *in_linked; /* per indicator and SDG code (the scorer's fallback order) */
    int *levels, *effective;
    char data_hash[65];
    char inputs_hash[65]; /* everything the run is computed from (inputs_hash) */
    acv_area_results res;
    int skip;              /* no observations at all: nothing to score */
    int check_unchanged;   /* compare with the latest run of the year (read with the area): */
    int64_t stored_run;    /* that run, or 0 */
    char stored_hash[65];  /* its inputs hash, or "" */
    int unchanged;         /* the latest run of the year has the same inputs: not scored again */
    int64_t unchanged_run; /* that run */
    acv_status st;
    acv_error err;
    int done;
} area_job;

struct acv_scorer {
    acv_ctx *ctx;
    const acv_framework *fw;
    slot *slots; /* by indicators-table id */
    size_t n_slots;
    char **sdg_codes; /* imported series ("SDG:11.6.2") an indicator may fall back on */
    char **sdg_units; /* their unit texts as imported ("" when none) */
    size_t n_sdg, cap_sdg, cap_sdg_units;
    hashed_series *hash_order;
    size_t n_hash_order;
    long *fallback;      /* per indicator and SDG code: the index of "SDG:<code>", or -1 */
    size_t *fallback_at; /* per indicator: its first entry in fallback */
    acv_result *rows;    /* what store_run writes: indicators, groups, alignment, priorities */
    area_job job;        /* acv_scorer_area's */
    int oom;
    /* the progress-class vocabulary of the methods (vocabulary.h), stored with every run */
    acv_buf vocab_body; /* empty: the methods define none */
    char vocab_hash[65];
    int64_t vocabulary_id; /* once stored; 0 again when the transaction that stored it failed */
    /* every script under the roots, hashed once (overlay.h): the same on every thread */
    char methods_hash[65];
    /* what every area's inputs hash starts with: engine, framework with overlay, methods, the
     * units of the imported SDG series */
    acv_sha256 inputs_base;
};

static int add_slot(void *ud, int64_t id, const char *code, const char *unit)
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
    if (ACV_GROW(sc->sdg_codes, sc->cap_sdg, sc->n_sdg, 16) != 0 ||
        ACV_GROW(sc->sdg_units, sc->cap_sdg_units, sc->n_sdg, 16) != 0) {
        sc->oom = 1;
        return 1;
    }
    char *copy = strdup(code);
    char *unit_copy = strdup(unit ? unit : "");
    if (!copy || !unit_copy) {
        free(copy);
        free(unit_copy);
        sc->oom = 1;
        return 1;
    }
    sc->sdg_codes[sc->n_sdg] = copy;
    sc->sdg_units[sc->n_sdg] = unit_copy;
    *sl = (slot){SLOT_SDG, (uint32_t)sc->n_sdg++};
    return 0;
}

static int by_code(const void *a, const void *b)
{
    return strcmp(((const hashed_series *)a)->code, ((const hashed_series *)b)->code);
}

static void job_free(acv_scorer *sc, area_job *j)
{
    const acv_framework *fw = sc->fw;
    if (j->indicators)
        for (size_t i = 0; i < fw->n_indicators; i++)
            free(j->indicators[i].points);
    if (j->data_elements)
        for (size_t i = 0; i < fw->n_data_elements; i++)
            free(j->data_elements[i].points);
    if (j->sdg)
        for (size_t i = 0; i < sc->n_sdg; i++)
            free(j->sdg[i].points);
    free(j->indicators);
    free(j->data_elements);
    free(j->sdg);
    free(j->in_ind);
    free(j->in_de);
    free(j->in_linked);
    free(j->levels);
    free(j->effective);
    free(j->res.indicators);
    free(j->res.action_areas);
    free(j->res.pillars);
    free(j->res.alignment_areas);
    free(j->res.alignment_pillars);
    free(j->res.priorities);
    memset(j, 0, sizeof *j);
}

static acv_status job_init(acv_scorer *sc, area_job *j, acv_error *err)
{
    const acv_framework *fw = sc->fw;
    size_t ni = fw->n_indicators, nd = fw->n_data_elements, na = fw->n_action_areas,
           np = fw->n_pillars, nq = fw->n_questions;
    memset(j, 0, sizeof *j);
    j->indicators = calloc(ni + 1, sizeof *j->indicators);
    j->data_elements = calloc(nd + 1, sizeof *j->data_elements);
    j->sdg = calloc(sc->n_sdg + 1, sizeof *j->sdg);
    j->in_ind = calloc(ni + 1, sizeof *j->in_ind);
    j->in_de = calloc(nd + 1, sizeof *j->in_de);
    j->in_linked = calloc(sc->fallback_at[ni] + 1, sizeof *j->in_linked);
    j->levels = malloc((nq + 1) * sizeof *j->levels);
    j->effective = malloc((nq + 1) * sizeof *j->effective);
    j->res.indicators = calloc(ni + 1, sizeof *j->res.indicators);
    j->res.action_areas = calloc(na + 1, sizeof *j->res.action_areas);
    j->res.pillars = calloc(np + 1, sizeof *j->res.pillars);
    j->res.alignment_areas = calloc(na + 1, sizeof *j->res.alignment_areas);
    j->res.alignment_pillars = calloc(np + 1, sizeof *j->res.alignment_pillars);
    j->res.priorities = calloc(na + 1, sizeof *j->res.priorities);
    if (!j->indicators || !j->data_elements || !j->sdg || !j->in_ind || !j->in_de ||
        !j->in_linked || !j->levels || !j->effective || !j->res.indicators ||
        !j->res.action_areas || !j->res.pillars || !j->res.alignment_areas ||
        !j->res.alignment_pillars || !j->res.priorities) {
        job_free(sc, j);
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory preparing to score");
    }
    return ACV_OK;
}

void acv_scorer_close(acv_scorer *sc)
{
    if (!sc)
        return;
    job_free(sc, &sc->job);
    acv_strings_free(sc->sdg_codes, sc->n_sdg);
    acv_strings_free(sc->sdg_units, sc->n_sdg);
    free(sc->slots);
    free(sc->hash_order);
    free(sc->fallback);
    free(sc->fallback_at);
    free(sc->rows);
    acv_buf_free(&sc->vocab_body);
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
           np = fw->n_pillars;
    acv_status st = acv_store_each_indicator_id(ctx->store, add_slot, sc, err);
    if (st == ACV_OK && sc->oom)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory preparing to score");
    if (st != ACV_OK) {
        acv_scorer_close(sc);
        return st;
    }
    size_t n_fallback = 0;
    for (size_t i = 0; i < ni; i++)
        n_fallback += fw->indicators[i].n_sdg;
    sc->fallback = calloc(n_fallback + 1, sizeof *sc->fallback);
    sc->fallback_at = calloc(ni + 1, sizeof *sc->fallback_at);
    sc->hash_order = calloc(ni + nd + sc->n_sdg + 1, sizeof *sc->hash_order);
    sc->rows = calloc(ni + 3 * na + 2 * np + 2, sizeof *sc->rows);
    if (!sc->fallback || !sc->fallback_at || !sc->hash_order || !sc->rows) {
        acv_scorer_close(sc);
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory preparing to score");
    }
    /* an indicator without data of its own may use an imported series of one of its SDG codes:
     * the scripts get them in the framework's order and decide which, if any, is comparable */
    size_t k = 0;
    for (size_t i = 0; i < ni; i++) {
        sc->fallback_at[i] = k;
        const acv_indicator *ind = &fw->indicators[i];
        for (size_t g = 0; g < ind->n_sdg; g++) {
            sc->fallback[k] = -1;
            for (size_t j = 0; j < sc->n_sdg; j++)
                if (strcmp(sc->sdg_codes[j] + 4, ind->sdg[g]) == 0)
                    sc->fallback[k] = (long)j;
            k++;
        }
    }
    sc->fallback_at[ni] = k;
    /* the data hash reads the series by code, whatever ids the workspace gave them */
    for (size_t i = 0; i < ni; i++)
        sc->hash_order[sc->n_hash_order++] =
            (hashed_series){fw->indicators[i].id, {SLOT_INDICATOR, (uint32_t)i}};
    for (size_t i = 0; i < nd; i++)
        sc->hash_order[sc->n_hash_order++] =
            (hashed_series){fw->data_elements[i].id, {SLOT_DATA_ELEMENT, (uint32_t)i}};
    for (size_t j = 0; j < sc->n_sdg; j++)
        sc->hash_order[sc->n_hash_order++] =
            (hashed_series){sc->sdg_codes[j], {SLOT_SDG, (uint32_t)j}};
    qsort(sc->hash_order, sc->n_hash_order, sizeof *sc->hash_order, by_code);
    st = job_init(sc, &sc->job, err);
    /* the class vocabulary of the methods the runs are scored with, read once (the scoring
     * module, and with it methods.progress, is loaded already) */
    int found = 0;
    if (st == ACV_OK && ctx->lua)
        st = acv_bridge_class_vocabulary(ctx->lua, &sc->vocab_body, &found, err);
    if (st == ACV_OK && found) {
        acv_sha256 h;
        acv_sha256_init(&h);
        acv_sha256_update(&h, sc->vocab_body.data, sc->vocab_body.len);
        acv_sha256_final_hex(&h, sc->vocab_hash);
    }
    if (st == ACV_OK)
        st = acv_overlay_scripts_hash(&ctx->roots, sc->methods_hash, err);
    if (st != ACV_OK) {
        acv_scorer_close(sc);
        return st;
    }
    acv_sha256 *h = &sc->inputs_base;
    acv_sha256_init(h);
    const char *parts[] = {"acvtrack inputs 1", ACV_VERSION, fw->hash,
                           fw->overlay_name ? fw->overlay_name : "", sc->methods_hash};
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
        acv_sha256_update(h, parts[i], strlen(parts[i]) + 1);
    for (size_t i = 0; i < sc->n_sdg; i++) {
        acv_sha256_update(h, sc->sdg_codes[i], strlen(sc->sdg_codes[i]) + 1);
        acv_sha256_update(h, sc->sdg_units[i], strlen(sc->sdg_units[i]) + 1);
    }
    *out = sc;
    return ACV_OK;
}

static growing_series *series_at(area_job *j, slot where)
{
    switch (where.kind) {
    case SLOT_INDICATOR:
        return &j->indicators[where.index];
    case SLOT_DATA_ELEMENT:
        return &j->data_elements[where.index];
    case SLOT_SDG:
        return &j->sdg[where.index];
    default:
        return NULL;
    }
}

typedef struct {
    acv_scorer *sc;
    area_job *job;
} collector;

static int collect(void *ud, int64_t indicator_id, const char *period, double value)
{
    collector *c = ud;
    acv_scorer *sc = c->sc;
    if (indicator_id < 0 || (uint64_t)indicator_id >= sc->n_slots)
        return 0;
    growing_series *s = series_at(c->job, sc->slots[indicator_id]);
    if (!s)
        return 0; /* no longer in the framework: kept in the workspace, not scored */
    if (ACV_GROW(s->points, s->cap, s->n, 8) != 0) {
        sc->oom = 1;
        return 1;
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
 * order, the value as its 8 IEEE-754 bytes, least significant first (docs/methodology.md). */
static void hash_data(const acv_scorer *sc, area_job *j)
{
    acv_sha256 h;
    acv_sha256_init(&h);
    for (size_t k = 0; k < sc->n_hash_order; k++) {
        const hashed_series *hs = &sc->hash_order[k];
        const growing_series *s = series_at(j, hs->where);
        size_t code_len = strlen(hs->code);
        for (size_t i = 0; i < s->n; i++) {
            const acv_point *p = &s->points[i];
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
    acv_sha256_final_hex(&h, j->data_hash);
}

static void hash_bytes(acv_sha256 *h, const void *p, size_t n)
{
    acv_sha256_update(h, p, n);
}

static void hash_text(acv_sha256 *h, const char *s)
{
    acv_sha256_update(h, s, strlen(s) + 1);
}

/* The area's series for the inputs hash, in the data hash's order but more compactly (each
 * non-empty series' code and count, then per observation its period's length and bytes and its
 * value's 8 bytes): about half the bytes of the data hash's records, so that telling an unchanged
 * area costs less than scoring it. The data hash itself is computed only for the areas scored. */
static void hash_series(const acv_scorer *sc, const area_job *j, acv_sha256 *h)
{
    unsigned char buf[4096];
    size_t used = 0;
    for (size_t k = 0; k < sc->n_hash_order; k++) {
        const hashed_series *hs = &sc->hash_order[k];
        const growing_series *s = series_at((area_job *)j, hs->where);
        if (s->n == 0)
            continue;
        if (used)
            acv_sha256_update(h, buf, used);
        used = 0;
        hash_text(h, hs->code);
        uint64_t n = s->n;
        acv_sha256_update(h, &n, sizeof n);
        for (size_t i = 0; i < s->n; i++) {
            const acv_point *p = &s->points[i];
            size_t len = strnlen(p->period, ACV_PERIOD_MAX);
            if (used + len + 9 > sizeof buf) {
                acv_sha256_update(h, buf, used);
                used = 0;
            }
            buf[used++] = (unsigned char)len;
            memcpy(buf + used, p->period, len);
            used += len;
            memcpy(buf + used, &p->value, 8);
            used += 8;
        }
    }
    if (used)
        acv_sha256_update(h, buf, used);
}

/* Everything the methods compute the run from: the scorer's part (engine, framework, overlay,
 * methods) and the area's (its facts, the year, its series, the self-assessment it uses). Ints
 * and doubles are hashed as this machine stores them: a workspace's hashes are compared on the
 * machine that wrote them or re-scored once. */
static void hash_inputs(const acv_scorer *sc, area_job *j)
{
    const acv_framework *fw = sc->fw;
    acv_sha256 h = sc->inputs_base;
    hash_text(&h, j->code);
    hash_text(&h, j->name);
    hash_text(&h, j->level);
    hash_text(&h, j->country);
    int ints[3] = {j->year, j->has_population, j->answers_year};
    hash_bytes(&h, ints, sizeof ints);
    double pop = j->has_population ? j->population : 0;
    hash_bytes(&h, &pop, sizeof pop);
    hash_series(sc, j, &h);
    if (j->answers_year) {
        hash_bytes(&h, j->levels, fw->n_questions * sizeof *j->levels);
        hash_bytes(&h, j->effective, fw->n_questions * sizeof *j->effective);
    }
    acv_sha256_final_hex(&h, j->inputs_hash);
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
    r.has_provisional = g->has_provisional;
    r.provisional = g->provisional;
    r.has_core = g->has_core;
    r.n_core_scored = g->n_core_scored;
    r.n_core_total = g->n_core_total;
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
        r.collect_rank = ir->collect_rank;
        r.collect_source = ir->collect_source[0] ? ir->collect_source : NULL;
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
        r.note = p->reasons[0] ? p->reasons : NULL;
        if (p->no_data) {
            /* not ranked: no priority, no rank (scripts/methods/priorities.lua) */
            r.class_name = "no_data";
        } else {
            r.has_value = 1;
            r.value = p->priority;
            r.rank = (int)i + 1;
        }
        rows[n++] = r;
    }
    /* inside the caller's transaction (score --all batches areas): a savepoint, so that a
     * failing area leaves the others of the batch alone */
    int nested = acv_store_in_transaction(ctx->store);
    acv_status st =
        nested ? acv_store_savepoint(ctx->store, err) : acv_store_begin(ctx->store, err);
    if (st == ACV_OK && sc->vocab_body.len && !sc->vocabulary_id)
        st = acv_store_vocabulary_put(ctx->store, sc->vocab_hash, sc->vocab_body.data,
                                      &sc->vocabulary_id, err);
    run->vocabulary_id = sc->vocabulary_id;
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
    sc->vocabulary_id = 0; /* its row may have gone with the rollback */
    return st;
}

/* Reads everything the methods need about one area into j (main thread: uses the workspace).
 * An area without any observation gets j->skip when skip_empty is set; with incremental, the id
 * and inputs hash of its latest run of the year are read too, for score_job to compare. */
static acv_status read_area(acv_scorer *sc, area_job *j, const char *area_code, int year,
                            int skip_empty, int incremental, acv_error *err)
{
    acv_ctx *ctx = sc->ctx;
    const acv_framework *fw = sc->fw;
    j->skip = 0;
    j->unchanged = 0;
    j->unchanged_run = 0;
    j->st = ACV_OK;
    snprintf(j->code, sizeof j->code, "%s", area_code);
    acv_area area;
    acv_status st = acv_store_get_area(ctx->store, area_code, &area, err);
    if (st != ACV_OK)
        return st;
    /* the store's strings live until its next call: keep copies */
    snprintf(j->name, sizeof j->name, "%s", area.name);
    snprintf(j->level, sizeof j->level, "%s", area.level);
    snprintf(j->country, sizeof j->country, "%s", area.country ? area.country : "");
    j->area_id = area.id;
    j->has_population = area.has_population;
    j->population = area.population;
    if (skip_empty && !acv_store_has_observations(ctx->store, area.id)) {
        j->skip = 1;
        return ACV_OK;
    }
    if (year <= 0) {
        year = acv_store_latest_year(ctx->store, area.id);
        if (year <= 0)
            return acv_error_set(err, ACV_ERR_NOTFOUND,
                                 "area '%s' has no observations yet; import some with 'acvtrack "
                                 "import FILE.csv'",
                                 area_code);
    }
    j->year = year;

    size_t ni = fw->n_indicators, nd = fw->n_data_elements, nq = fw->n_questions;
    for (size_t i = 0; i < ni; i++)
        j->indicators[i].n = 0;
    for (size_t i = 0; i < nd; i++)
        j->data_elements[i].n = 0;
    for (size_t i = 0; i < sc->n_sdg; i++)
        j->sdg[i].n = 0;
    sc->oom = 0;
    collector c = {sc, j};
    st = acv_store_area_series(ctx->store, j->area_id, year, collect, &c, err);
    if (st == ACV_OK && sc->oom)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory scoring %s", area_code);
    if (st != ACV_OK)
        return st;
    for (size_t i = 0; i < ni; i++) {
        j->in_ind[i] = (acv_series){j->indicators[i].points, j->indicators[i].n, NULL, NULL};
        /* an indicator without data of its own may use an imported series of its SDG codes,
         * when the scripts find its unit comparable (scripts/methods/units.lua) */
        for (size_t k = sc->fallback_at[i]; k < sc->fallback_at[i + 1]; k++) {
            long g = sc->fallback[k];
            j->in_linked[k] = (acv_series){0};
            if (g >= 0 && j->sdg[g].n > 0 && j->in_ind[i].n == 0)
                j->in_linked[k] =
                    (acv_series){j->sdg[g].points, j->sdg[g].n, sc->sdg_codes[g], sc->sdg_units[g]};
        }
    }
    for (size_t i = 0; i < nd; i++)
        j->in_de[i] = (acv_series){j->data_elements[i].points, j->data_elements[i].n, NULL, NULL};

    /* the self-assessment of the scored year, or the latest before it */
    j->answers_year = nq ? acv_store_latest_answer_year(ctx->store, j->area_id, year) : 0;
    for (size_t q = 0; q < nq; q++)
        j->levels[q] = j->effective[q] = -1;
    if (j->answers_year) {
        answer_collector ac = {fw, j->levels, j->effective};
        st = acv_store_each_answer(ctx->store, j->area_id, j->answers_year, collect_answer, &ac,
                                   err);
    }
    /* the inputs are hashed and compared on the scoring thread (score_job) */
    j->check_unchanged = incremental;
    j->stored_run = 0;
    j->stored_hash[0] = 0;
    if (st == ACV_OK && incremental)
        st = acv_store_latest_inputs_hash(ctx->store, j->area_id, year, &j->stored_run,
                                          j->stored_hash, err);
    return st;
}

/* Hashes j's inputs and, unless they are those of its latest run, runs the Lua methods on it (any
 * thread, with a Lua state of its own); sets j->st and j->err, or j->unchanged. */
static void score_job(acv_lua *lua, const acv_scorer *sc, area_job *j)
{
    const acv_framework *fw = sc->fw;
    hash_inputs(sc, j);
    if (j->check_unchanged && j->stored_run > 0 && strcmp(j->stored_hash, j->inputs_hash) == 0) {
        j->unchanged = 1;
        j->unchanged_run = j->stored_run;
        return;
    }
    acv_area_input in = {
        .code = j->code,
        .name = j->name,
        .level = j->level,
        .country = j->country[0] ? j->country : NULL,
        .has_population = j->has_population,
        .population = j->population,
        .year = j->year,
        .indicators = j->in_ind,
        .linked = j->in_linked,
        .linked_at = sc->fallback_at,
        .data_elements = j->in_de,
        .answer_levels = j->answers_year ? j->levels : NULL,
        .answer_effective = j->answers_year ? j->effective : NULL,
        .answers_year = j->answers_year,
    };
    acv_error_clear(&j->err);
    /* here rather than in read_area: on the scoring threads, and only for the areas scored */
    hash_data(sc, j);
    j->st = acv_bridge_score_area(lua, fw, &in, &j->res, &j->err);
}

/* Answers imported for a later year than the scored one, which the run could not use. */
static int later_answers(acv_scorer *sc, const area_job *j)
{
    if (!sc->fw->n_questions || j->answers_year == j->year)
        return 0;
    int latest = acv_store_latest_answer_year(sc->ctx->store, j->area_id, 0);
    return latest > j->year ? latest : 0;
}

/* Stores a scored job as a run (main thread) and summarises it. */
static acv_status store_job(acv_scorer *sc, area_job *j, acv_score_summary *out, acv_error *err)
{
    const acv_framework *fw = sc->fw;
    const acv_area_results *res = &j->res;
    memset(out, 0, sizeof *out);
    out->year = j->year;
    for (size_t i = 0; i < fw->n_indicators; i++) {
        out->n_with_value += res->indicators[i].has_value;
        out->n_scored += res->indicators[i].has_score;
    }
    out->n_indicators = fw->n_indicators;
    out->has_overall = res->overall.has_score;
    out->overall = res->overall.score;
    out->has_provisional = res->overall.has_provisional;
    out->provisional = res->overall.provisional;
    out->n_core_scored = res->overall.n_core_scored;
    out->n_core_total = res->overall.n_core_total;
    out->has_alignment = res->has_alignment && res->alignment_overall.has_score;
    out->alignment = res->alignment_overall.score;
    out->n_priorities = res->n_priorities;
    if (res->n_priorities && !res->priorities[0].no_data)
        snprintf(out->top_priority, sizeof out->top_priority, "%s",
                 fw->action_areas[res->priorities[0].action_area].id);
    out->answers_year = j->answers_year;
    out->later_answers_year = later_answers(sc, j);
    acv_run run = {
        .area_id = j->area_id,
        .year = j->year,
        .engine_version = ACV_VERSION,
        .framework_id = fw->id ? fw->id : "",
        .framework_version = fw->version ? fw->version : "",
        .framework_hash = fw->hash,
        .data_hash = j->data_hash,
        .methods_hash = sc->methods_hash,
        .overlay = fw->overlay_name,
        .inputs_hash = j->inputs_hash,
    };
    acv_status st = store_run(sc, &run, res, err);
    if (st == ACV_OK)
        out->run_id = run.id;
    return st;
}

acv_status acv_scorer_area(acv_scorer *sc, const char *area_code, int year, acv_score_summary *out,
                           acv_error *err)
{
    memset(out, 0, sizeof *out);
    area_job *j = &sc->job;
    acv_status st = read_area(sc, j, area_code, year, 0, 0, err);
    if (st != ACV_OK)
        return st;
    score_job(sc->ctx->lua, sc, j);
    if (j->st != ACV_OK) {
        *err = j->err;
        return j->st;
    }
    return store_job(sc, j, out, err);
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

/* ---- many areas, on several threads ------------------------------------------------------- */

/* The jobs form a ring: the main thread reads areas into free jobs ahead of the workers, the
 * workers score them in order, the main thread stores them in order. Only the main thread uses
 * the workspace; each worker has a Lua state of its own. */
typedef struct {
    acv_scorer *sc;
    area_job *ring;
    size_t k;
    pthread_mutex_t mu;
    pthread_cond_t ready, done;
    size_t published;     /* jobs [0, published) have been read */
    size_t next_to_score; /* the next job a worker takes */
    int quit;
} job_ring;

typedef struct {
    job_ring *r;
    acv_lua *lua;
    pthread_t thread;
    int started, owned;
} worker;

static void *worker_main(void *arg)
{
    worker *w = arg;
    job_ring *r = w->r;
    pthread_mutex_lock(&r->mu);
    for (;;) {
        while (!r->quit && r->next_to_score >= r->published)
            pthread_cond_wait(&r->ready, &r->mu);
        if (r->quit)
            break;
        area_job *j = &r->ring[r->next_to_score++ % r->k];
        pthread_mutex_unlock(&r->mu);
        if (!j->skip && j->st == ACV_OK)
            score_job(w->lua, r->sc, j);
        pthread_mutex_lock(&r->mu);
        j->done = 1;
        pthread_cond_broadcast(&r->done);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

int acv_score_default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > ACV_SCORE_MAX_JOBS ? ACV_SCORE_MAX_JOBS : (int)n;
}

/* What the main thread does with a finished job: store it in the current batch's transaction
 * and report it. Returns non-zero to stop. */
static int finish_job(acv_scorer *sc, area_job *j, const acv_score_all_options *o,
                      acv_status *st_out, acv_error *err)
{
    if (j->skip) {
        if (o->skipped)
            (*o->skipped)++;
        return 0;
    }
    acv_score_summary sum;
    memset(&sum, 0, sizeof sum);
    acv_status st = j->st;
    acv_error area_err = j->err;
    if (st == ACV_OK && j->unchanged) {
        sum.unchanged = 1;
        sum.run_id = j->unchanged_run;
        sum.year = j->year;
        sum.answers_year = j->answers_year;
        sum.later_answers_year = later_answers(sc, j);
    } else if (st == ACV_OK) {
        st = store_job(sc, j, &sum, &area_err);
        if (st != ACV_OK) {
            /* the workspace refused a write (full, failing, out of memory): no later area
             * would fare better; the batch is rolled back */
            *err = area_err;
            *st_out = st;
            return 1;
        }
    }
    return o->each ? o->each(o->ud, j->code, st, &sum, &area_err) : 0;
}

acv_status acv_score_all(acv_ctx *ctx, const char *const *codes, size_t n,
                         const acv_score_all_options *o, acv_error *err)
{
    size_t batch = o->batch ? o->batch : 100;
    int n_jobs = o->jobs > 0 ? o->jobs : acv_score_default_jobs();
    if (n_jobs > ACV_SCORE_MAX_JOBS)
        n_jobs = ACV_SCORE_MAX_JOBS;
    if ((size_t)n_jobs > n)
        n_jobs = n > 0 ? (int)n : 1;
    acv_scorer *sc = NULL;
    acv_status st = acv_scorer_open(ctx, &sc, err);
    if (st != ACV_OK)
        return st;
    /* every run row refers to the run just written and to an area read above: the per-row
     * foreign-key lookups are redundant, as in an import */
    int bulk = acv_store_bulk_cache(ctx->store, 16, err) == ACV_OK;
    acv_error_clear(err);

    job_ring r = {.sc = sc, .k = n_jobs > 1 ? 2 * (size_t)n_jobs + 2 : 1};
    worker workers[ACV_SCORE_MAX_JOBS];
    memset(workers, 0, sizeof workers);
    r.ring = calloc(r.k, sizeof *r.ring);
    if (!r.ring)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory preparing to score");
    size_t n_init = 0;
    for (; st == ACV_OK && n_init < r.k; n_init++)
        st = job_init(sc, &r.ring[n_init], err);
    int threads = n_jobs > 1;
    if (threads && st == ACV_OK) {
        pthread_mutex_init(&r.mu, NULL);
        pthread_cond_init(&r.ready, NULL);
        pthread_cond_init(&r.done, NULL);
        for (int w = 0; st == ACV_OK && w < n_jobs; w++) {
            workers[w].r = &r;
            /* the context's own state serves the first worker: the main thread runs no Lua */
            if (w == 0) {
                workers[w].lua = ctx->lua;
            } else {
                st = acv_ctx_new_lua(ctx, &workers[w].lua, err);
                workers[w].owned = st == ACV_OK;
            }
            if (st == ACV_OK) {
                if (pthread_create(&workers[w].thread, NULL, worker_main, &workers[w]) != 0)
                    st = acv_error_set(err, ACV_ERR_NOMEM, "cannot start a scoring thread");
                else
                    workers[w].started = 1;
            }
        }
    }

    size_t next_read = 0, next_store = 0;
    int stop = 0;
    if (o->progress)
        acv_progress_start(o->progress, "scoring", n, "areas");
    while (st == ACV_OK && !stop && next_store < n) {
        /* read ahead into every free job */
        while (next_read < n && next_read - next_store < r.k) {
            area_job *j = &r.ring[next_read % r.k];
            j->done = 0;
            acv_error_clear(&j->err);
            j->st = read_area(sc, j, codes[next_read], o->year, 1, !o->force, &j->err);
            next_read++;
            if (!threads) {
                if (!j->skip && j->st == ACV_OK)
                    score_job(ctx->lua, sc, j);
                j->done = 1;
            } else {
                pthread_mutex_lock(&r.mu);
                r.published = next_read;
                pthread_cond_signal(&r.ready);
                pthread_mutex_unlock(&r.mu);
            }
        }
        area_job *j = &r.ring[next_store % r.k];
        if (threads) {
            pthread_mutex_lock(&r.mu);
            while (!j->done)
                pthread_cond_wait(&r.done, &r.mu);
            pthread_mutex_unlock(&r.mu);
        }
        if (next_store % batch == 0 && (st = acv_store_begin(ctx->store, err)) != ACV_OK)
            break;
        stop = finish_job(sc, j, o, &st, err);
        next_store++;
        if (o->progress)
            acv_progress_update(o->progress, next_store);
        if (st == ACV_OK && (stop || next_store % batch == 0 || next_store == n))
            st = acv_store_commit(ctx->store, err);
    }
    if (st != ACV_OK)
        acv_store_rollback(ctx->store);
    if (o->progress) {
        if (st == ACV_OK)
            acv_progress_finish(o->progress);
        else
            acv_progress_clear(o->progress);
    }
    if (threads && r.ring) {
        pthread_mutex_lock(&r.mu);
        r.quit = 1;
        pthread_cond_broadcast(&r.ready);
        pthread_mutex_unlock(&r.mu);
        for (int w = 0; w < n_jobs; w++) {
            if (workers[w].started)
                pthread_join(workers[w].thread, NULL);
            if (workers[w].owned)
                acv_lua_free(workers[w].lua);
        }
        pthread_cond_destroy(&r.done);
        pthread_cond_destroy(&r.ready);
        pthread_mutex_destroy(&r.mu);
    }
    for (size_t i = 0; i < n_init; i++)
        job_free(sc, &r.ring[i]);
    free(r.ring);
    if (bulk)
        acv_store_bulk_end(ctx->store);
    acv_scorer_close(sc);
    return st;
}
