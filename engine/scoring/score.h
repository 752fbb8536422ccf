/*
 * score.h — scoring orchestration: reads an area's observations in bulk, hands each indicator's
 * area to the Lua methods in one call (every indicator and data-element series, the
 * self-assessment answers), and stores the run with its results, the overlay's changes and a
 * reproducibility stamp (framework, data, methods and inputs hashes). Many areas at once skip
 * those whose latest run was computed from the same inputs. Many areas are scored on several
 * threads, one Lua state each, while the calling thread alone reads and writes the workspace. The
 * formulas are not here: they live in scripts/.
 */
#ifndef ACV_SCORE_H
#define ACV_SCORE_H

#include "context.h"
#include "progress.h"

typedef struct {
    int64_t run_id;
    int year;
    size_t n_indicators;
    size_t n_with_value;
    size_t n_scored;
    int has_overall;
    double overall;
    int has_provisional; /* no overall score: the provisional one, on n_core_scored of
                            n_core_total core indicators */
    double provisional;
    int n_core_scored, n_core_total;
    int has_alignment;
    double alignment; /* overall self-assessment alignment, 0-100 */
    size_t n_priorities;
    char top_priority[64];  /* the action area to act on first */
    int answers_year;       /* the self-assessment the run used (its year or earlier), or 0 */
    int later_answers_year; /* the latest year after the scored one with answers, or 0: the
                               run could not use them (score that year, or import them again
                               for the scored year) */
    int unchanged; /* acv_score_all: the area's latest run of the year (run_id) was computed from
                      the same inputs, so it was not scored again; only run_id, year and the
                      answer years are set */
} acv_score_summary;

/* Scores one area for a year (0: the latest year with data) and stores the run. */
acv_status acv_score_area(acv_ctx *ctx, const char *area_code, int year, acv_score_summary *out,
                          acv_error *err);

/* The same for many areas: what does not change from area to area (where each stored series
 * goes, buffers) is prepared once. The workspace's indicators must not change while it is open. */
typedef struct acv_scorer acv_scorer;
acv_status acv_scorer_open(acv_ctx *ctx, acv_scorer **out, acv_error *err);
acv_status acv_scorer_area(acv_scorer *sc, const char *area_code, int year, acv_score_summary *out,
                           acv_error *err);
void acv_scorer_close(acv_scorer *sc);

#define ACV_SCORE_MAX_JOBS 16

typedef struct {
    int year;     /* 0: each area's latest year with data */
    int jobs;     /* Lua states scoring at once, each on a thread; 0: one per processor */
    size_t batch; /* areas stored per write transaction; 0: 100 (about a second of lock) */
    int force;    /* score every area, even one whose latest run of the year has the same
                     inputs hash (the area's observations and answers, framework, overlay,
                     methods, engine) as it would have now */
    /* Called on the calling thread, in the order of codes, for every area that has observations:
     * st is ACV_OK with its summary, or why it failed. Returning non-zero stops the run. */
    int (*each)(void *ud, const char *code, acv_status st, const acv_score_summary *sum,
                const acv_error *err);
    void *ud;
    size_t *skipped;        /* when set: counts the areas skipped for having no observation */
    acv_progress *progress; /* when set: the caller's progress line ("scoring", areas done of n),
                             * finished at the end, cleared on a failure of the workspace; each
                             * calls acv_progress_clear before it prints on the terminal */
} acv_score_all_options;

/* Scores many areas and stores a run for each, committed in batches: what was stored before a
 * stop stays. Areas without any observation are skipped, and so are areas whose inputs are
 * unchanged since their latest run of the year (unless o->force): each reports them with
 * sum->unchanged. Returns a non-OK status only when the
 * workspace failed (the batch in progress is then rolled back). */
acv_status acv_score_all(acv_ctx *ctx, const char *const *codes, size_t n,
                         const acv_score_all_options *o, acv_error *err);

/* One per online processor, at most ACV_SCORE_MAX_JOBS. */
int acv_score_default_jobs(void);

#endif
