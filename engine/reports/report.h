/*
 * report.h — the report model: what one area's stored scoring run says, loaded, nothing rendered.
 *
 * A report never computes a score: acv_report_model_load reads the run that `acvtrack score`
 * stored (the latest for the area and year) into one model, and every renderer (render.h:
 * Markdown, HTML, JSON, CSV; the plugins' report API) reads that same model, so what a report
 * shows can be reproduced from the stamp it prints.
 */
#ifndef ACV_REPORT_H
#define ACV_REPORT_H

#include "context.h"
#include "vocabulary.h"
#include "results.h"
#include "util.h"

typedef struct acv_report_model {
    const acv_framework *fw;
    /* the area */
    const char *code, *name, *level, *country;
    int has_population;
    double population;
    int population_year;
    /* the run's stamp */
    int64_t run_id;
    int year;
    char year_local[32]; /* the year in a local calendar ("BE 2567", `report --calendar`); "":
                          * none */
    const char *created_at, *engine_version, *framework_id, *framework_version;
    const char *framework_hash, *data_hash, *methods_hash, *overlay;
    /* results, indexed like the framework; an entry with code NULL was not in the run */
    acv_result *indicators;
    acv_result *action_areas;
    acv_result *pillars;
    acv_result overall;
    int has_alignment;
    acv_result *alignment_areas;
    acv_result *alignment_pillars;
    acv_result alignment_overall;
    acv_result *priorities; /* in rank order */
    size_t n_priorities;
    /* action areas none of whose indicators has data: not ranked, listed under "no data yet"
     * (priority rows of class no_data), by id */
    acv_result *no_data;
    size_t n_no_data;
    /* the core indicators to collect first to unlock the official overall score, cheapest
     * first: indexes into the framework's indicators (their results have collect_rank 1, 2, ...) */
    size_t *collect_first;
    size_t n_collect_first;
    const char **changes; /* what the city's overlay changed, in plain words */
    size_t n_changes;
    /* practices of peer cities for the priorities and off-track core indicators (practices.h):
     * read from the registry when the model is loaded, not part of the run */
    struct acv_practice_suggestions *practices;
    /* each indicator's observations up to the run's year (totals), oldest first, for charts */
    acv_series *series; /* indexed like the framework's indicators */
    /* the progress-class vocabulary the run was scored with (owned); NULL for runs stored before
     * vocabularies were, which render with the fallback (acv_vocab_* take NULL for it) */
    acv_vocabulary *vocab;
    acv_arena strings;
} acv_report_model;

/* Loads the latest run for the area (and year, when year > 0). */
acv_status acv_report_model_load(acv_ctx *ctx, const char *area_code, int year,
                                 acv_report_model **out, acv_error *err);
/* What a comparison of thousands of areas needs, in a fraction of the memory: the same model
 * without the observation series (every series empty), the priorities, the peer practices, and
 * any note but an overlay's "not applicable ...". */
acv_status acv_report_model_load_scores(acv_ctx *ctx, const char *area_code, int year,
                                        acv_report_model **out, acv_error *err);
void acv_report_model_free(acv_report_model *m);

/* The peer practices a report suggests (practices.h) for a run's results: the first
 * ACV_PRACTICES_REPORT_PRIORITIES ranked priority action areas, and every core indicator of
 * ctx->fw whose progress class asks for action in the run's vocabulary (acv_vocab_off_track).
 * indicators is indexed like ctx->fw->indicators (entries with code NULL were not scored); each
 * target's `why` is "priority N" or the class as the report writes it ("↓ Moving away from the
 * target"). */
acv_status acv_report_practices(acv_ctx *ctx, const char *area_code, const acv_result *priorities,
                                size_t n_priorities, const acv_result *indicators,
                                const acv_vocabulary *vocab, struct acv_practice_suggestions **out,
                                acv_error *err);

#endif
