/* report.c — the report model from a stored run; see report.h. */
#include "report.h"
#include "format.h"
#include "practices.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *keep(acv_report_model *m, const char *s)
{
    return s ? acv_arena_strdup(&m->strings, s) : NULL;
}

typedef struct {
    acv_report_model *m;
    int scores_only;
} result_collector;

/* What a result's code names: a framework element of one kind, or nothing (overall). */
typedef enum { NAMES_NOTHING, NAMES_INDICATOR, NAMES_ACTION_AREA, NAMES_PILLAR } names_kind;

/* The index of code among the framework's elements of that kind and, through id, the
 * framework's own id for it (so a model points at the framework instead of copying); -1 when
 * the framework has no such element. */
static long find_named(const acv_framework *fw, names_kind kind, const char *code, const char **id)
{
    long i = -1;
    if (kind == NAMES_INDICATOR && (i = acv_framework_find_indicator(fw, code)) >= 0)
        *id = fw->indicators[i].id;
    else if (kind == NAMES_ACTION_AREA && (i = acv_framework_find_action_area(fw, code)) >= 0)
        *id = fw->action_areas[i].id;
    else if (kind == NAMES_PILLAR && (i = acv_framework_find_pillar(fw, code)) >= 0)
        *id = fw->pillars[i].id;
    return i;
}

/* The slot of the model that keeps a result of this level, or NULL for a level the model does
 * not keep or a code the framework does not know. level and code point at constants and the
 * framework's ids: a comparison holds thousands of models. */
static acv_result *slot_of(result_collector *rc, const acv_result *r, const char **level,
                           const char **code)
{
    acv_report_model *m = rc->m;
    const acv_framework *fw = m->fw;
    struct {
        const char *level;
        names_kind kind;
        acv_result *slots; /* one per element of the kind; the one slot for NAMES_NOTHING */
    } const LEVELS[] = {
        {"indicator", NAMES_INDICATOR, m->indicators},
        {"action_area", NAMES_ACTION_AREA, m->action_areas},
        {"pillar", NAMES_PILLAR, m->pillars},
        {"overall", NAMES_NOTHING, &m->overall},
        {"alignment_area", NAMES_ACTION_AREA, m->alignment_areas},
        {"alignment_pillar", NAMES_PILLAR, m->alignment_pillars},
        {"alignment_overall", NAMES_NOTHING, &m->alignment_overall},
    };
    for (size_t k = 0; k < sizeof LEVELS / sizeof *LEVELS; k++) {
        if (strcmp(r->level, LEVELS[k].level) != 0)
            continue;
        long i =
            LEVELS[k].kind == NAMES_NOTHING ? 0 : find_named(fw, LEVELS[k].kind, r->code, code);
        if (i < 0)
            return NULL;
        *level = LEVELS[k].level;
        /* a run with a self-assessment has an alignment score for its action areas */
        if (strcmp(r->level, "alignment_area") == 0)
            m->has_alignment = 1;
        return &LEVELS[k].slots[i];
    }
    if (strcmp(r->level, "priority") == 0 && r->class_name &&
        strcmp(r->class_name, "no_data") == 0 && m->n_no_data < fw->n_action_areas &&
        !rc->scores_only) {
        *level = "priority";
        find_named(fw, NAMES_ACTION_AREA, r->code, code);
        return &m->no_data[m->n_no_data++];
    }
    if (strcmp(r->level, "priority") == 0 && r->rank >= 1 &&
        (size_t)r->rank <= fw->n_action_areas && !rc->scores_only) {
        if ((size_t)r->rank > m->n_priorities)
            m->n_priorities = (size_t)r->rank;
        *level = "priority";
        find_named(fw, NAMES_ACTION_AREA, r->code, code);
        return &m->priorities[r->rank - 1];
    }
    return NULL;
}

static int keep_result(void *ud, const acv_result *r)
{
    result_collector *rc = ud;
    acv_report_model *m = rc->m;
    const char *level = NULL, *code = NULL;
    acv_result *slot = slot_of(rc, r, &level, &code);
    if (!slot)
        return 0;
    *slot = *r;
    slot->level = level;
    slot->code = code ? code : keep(m, r->code);
    slot->period = keep(m, r->period);
    /* scores only: the one note a comparison reads is an overlay's "not applicable" */
    slot->note = !rc->scores_only || (r->note && strncmp(r->note, "not applicable", 14) == 0)
                     ? keep(m, r->note)
                     : NULL;
    slot->class_name = keep(m, r->class_name);
    slot->collect_source = keep(m, r->collect_source);
    return 0;
}

typedef struct {
    acv_report_model *m;
    size_t cap;
    int oom;
} change_collector;

static int keep_change(void *ud, const char *text)
{
    change_collector *c = ud;
    acv_report_model *m = c->m;
    if (ACV_ARENA_GROW(&m->strings, m->changes, c->cap, m->n_changes, 16) != 0) {
        c->oom = 1;
        return 1;
    }
    m->changes[m->n_changes++] = keep(m, text);
    return 0;
}

typedef struct {
    acv_report_model *m;
    size_t *caps;
    int oom;
} series_collector;

static int keep_point(void *ud, const char *code, const char *period, double value)
{
    series_collector *c = ud;
    acv_report_model *m = c->m;
    long i = acv_framework_find_indicator(m->fw, code);
    if (i < 0)
        return 0;
    acv_series *s = &m->series[i];
    if (ACV_ARENA_GROW(&m->strings, s->points, c->caps[i], s->n, 8) != 0) {
        c->oom = 1;
        return 1;
    }
    acv_point *pt = (acv_point *)&s->points[s->n++];
    snprintf(pt->period, sizeof pt->period, "%s", period);
    pt->year = atoi(period);
    pt->value = value;
    return 0;
}

acv_status acv_report_practices(acv_ctx *ctx, const char *area_code, const acv_result *priorities,
                                size_t n_priorities, const acv_result *indicators,
                                const acv_vocabulary *vocab, acv_practice_suggestions **out,
                                acv_error *err)
{
    *out = NULL;
    const acv_framework *fw = ctx->fw;
    size_t n_ind_max = indicators ? fw->n_indicators : 0;
    const char **areas = calloc(ACV_PRACTICES_REPORT_PRIORITIES + 1, sizeof *areas);
    const char **inds = calloc(n_ind_max + 1, sizeof *inds);
    const acv_result **area_results =
        calloc(ACV_PRACTICES_REPORT_PRIORITIES + 1, sizeof *area_results);
    const acv_result **ind_results = calloc(n_ind_max + 1, sizeof *ind_results);
    acv_status st = ACV_OK;
    if (!areas || !inds || !area_results || !ind_results) {
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
        goto done;
    }
    size_t na = 0, ni = 0;
    for (size_t i = 0; i < n_priorities && na < ACV_PRACTICES_REPORT_PRIORITIES; i++)
        if (priorities[i].code) {
            area_results[na] = &priorities[i];
            areas[na++] = priorities[i].code;
        }
    for (size_t i = 0; i < n_ind_max; i++) {
        const acv_result *r = &indicators[i];
        if (fw->indicators[i].core && r->code && r->class_name &&
            acv_vocab_off_track(vocab, r->class_name)) {
            ind_results[ni] = r;
            inds[ni++] = fw->indicators[i].id;
        }
    }
    st = acv_practices_for_report(ctx, area_code, areas, na, inds, ni, 0, out, err);
    if (st != ACV_OK)
        goto done;
    /* say why each target is there, in the report's own words */
    for (size_t t = 0; t < (*out)->n_targets; t++) {
        acv_practice_target *target = &(*out)->targets[t];
        char why[160];
        if (t < na) {
            const acv_result *r = area_results[t];
            snprintf(why, sizeof why, "priority %d", r->rank > 0 ? r->rank : (int)t + 1);
        } else {
            const char *c = ind_results[t - na]->class_name;
            acv_format_progress(why, sizeof why, vocab, c);
        }
        if (!(target->why = acv_arena_strdup(&(*out)->arena, why))) {
            acv_practice_suggestions_free(*out);
            *out = NULL;
            st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
            goto done;
        }
    }
done:
    free(areas);
    free(inds);
    free(area_results);
    free(ind_results);
    return st;
}

static acv_status load_model(acv_ctx *ctx, const char *area_code, int year, int scores_only,
                             acv_report_model **out, acv_error *err)
{
    *out = NULL;
    const acv_framework *fw = ctx->fw;
    acv_report_model *m = calloc(1, sizeof *m);
    if (!m)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    m->fw = fw;
    acv_area area;
    acv_status st = acv_store_get_area(ctx->store, area_code, &area, err);
    if (st != ACV_OK)
        goto fail;
    m->code = keep(m, area.code);
    m->name = keep(m, area.name);
    m->level = keep(m, area.level);
    m->country = keep(m, area.country);
    m->has_population = area.has_population;
    m->population = area.population;
    m->population_year = area.population_year;

    acv_run run;
    st = acv_store_latest_run(ctx->store, area.id, year, &run, err);
    if (st == ACV_ERR_NOTFOUND) {
        if (year > 0)
            st = acv_error_set(err, ACV_ERR_NOTFOUND,
                               "no scoring run for %s in %d; run 'acvtrack score --area %s "
                               "--year %d' first",
                               area_code, year, area_code, year);
        else
            st = acv_error_set(err, ACV_ERR_NOTFOUND,
                               "no scoring run for %s; run 'acvtrack score --area %s' first",
                               area_code, area_code);
    }
    if (st != ACV_OK)
        goto fail;
    m->run_id = run.id;
    m->year = run.year;
    m->created_at = keep(m, run.created_at);
    m->engine_version = keep(m, run.engine_version);
    m->framework_id = keep(m, run.framework_id);
    m->framework_version = keep(m, run.framework_version);
    m->framework_hash = keep(m, run.framework_hash);
    m->data_hash = keep(m, run.data_hash);
    m->methods_hash = keep(m, run.methods_hash);
    m->overlay = keep(m, run.overlay);
    if (run.vocabulary_id > 0) {
        char *body = NULL;
        st = acv_store_vocabulary_get(ctx->store, run.vocabulary_id, &body, err);
        if (st == ACV_OK)
            st = acv_vocab_parse(body, &m->vocab, err);
        free(body);
        if (st != ACV_OK)
            goto fail;
    }

    size_t na = fw->n_action_areas + 1, np = fw->n_pillars + 1;
    m->indicators = acv_arena_alloc(&m->strings, (fw->n_indicators + 1) * sizeof *m->indicators);
    m->action_areas = acv_arena_alloc(&m->strings, na * sizeof *m->action_areas);
    m->pillars = acv_arena_alloc(&m->strings, np * sizeof *m->pillars);
    m->alignment_areas = acv_arena_alloc(&m->strings, na * sizeof *m->alignment_areas);
    m->alignment_pillars = acv_arena_alloc(&m->strings, np * sizeof *m->alignment_pillars);
    m->priorities = acv_arena_alloc(&m->strings, na * sizeof *m->priorities);
    m->no_data = acv_arena_alloc(&m->strings, na * sizeof *m->no_data);
    m->collect_first =
        acv_arena_alloc(&m->strings, (fw->n_indicators + 1) * sizeof *m->collect_first);
    if (!m->indicators || !m->action_areas || !m->pillars || !m->alignment_areas ||
        !m->alignment_pillars || !m->priorities || !m->no_data || !m->collect_first ||
        !m->created_at || !m->methods_hash) {
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
        goto fail;
    }
    result_collector rc = {m, scores_only};
    st = acv_store_each_result(ctx->store, run.id, keep_result, &rc, err);
    if (st != ACV_OK)
        goto fail;
    /* the collect-first list in its order: ranks are 1..n, each once */
    for (size_t i = 0; i < fw->n_indicators; i++) {
        int k = m->indicators[i].code ? m->indicators[i].collect_rank : 0;
        if (k >= 1 && (size_t)k <= fw->n_indicators) {
            m->collect_first[k - 1] = i;
            if ((size_t)k > m->n_collect_first)
                m->n_collect_first = (size_t)k;
        }
    }
    m->series = acv_arena_alloc(&m->strings, (fw->n_indicators + 1) * sizeof *m->series);
    size_t *caps = calloc(fw->n_indicators + 1, sizeof *caps);
    if (!m->series || !caps) {
        free(caps);
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
        goto fail;
    }
    series_collector sc = {m, caps, 0};
    if (!scores_only)
        st = acv_store_area_observations(ctx->store, area.id, m->year, keep_point, &sc, err);
    free(caps);
    if (st == ACV_OK && sc.oom)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    if (st != ACV_OK)
        goto fail;
    change_collector cc = {m, 0, 0};
    st = acv_store_each_change(ctx->store, run.id, keep_change, &cc, err);
    if (st == ACV_OK && cc.oom)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    if (st != ACV_OK)
        goto fail;
    if (strcmp(m->framework_hash, fw->hash) != 0)
        fprintf(stderr,
                "acvtrack: note: run %lld was scored with another framework version or overlay; "
                "names and targets shown are the current ones\n",
                (long long)run.id);
    if (!scores_only)
        st = acv_report_practices(ctx, m->code, m->priorities, m->n_priorities, m->indicators,
                                  m->vocab, &m->practices, err);
    if (st != ACV_OK)
        goto fail;
    *out = m;
    return ACV_OK;
fail:
    acv_report_model_free(m);
    return st;
}

acv_status acv_report_model_load(acv_ctx *ctx, const char *area_code, int year,
                                 acv_report_model **out, acv_error *err)
{
    return load_model(ctx, area_code, year, 0, out, err);
}

acv_status acv_report_model_load_scores(acv_ctx *ctx, const char *area_code, int year,
                                        acv_report_model **out, acv_error *err)
{
    return load_model(ctx, area_code, year, 1, out, err);
}

void acv_report_model_free(acv_report_model *m)
{
    if (!m)
        return;
    acv_practice_suggestions_free(m->practices);
    acv_vocab_free(m->vocab);
    acv_arena_free(&m->strings);
    free(m);
}
