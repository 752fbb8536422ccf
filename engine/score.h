/*
 * score.h — scoring orchestration: reads an area's observations in bulk, hands each indicator's
 * area to the Lua methods in one call (every indicator and data-element series, the
 * self-assessment answers), and stores the run with its results, the overlay's changes and a
 * reproducibility stamp (framework, data and methods hashes). The formulas are not here: they
 * live in scripts/.
 */
#ifndef ACV_SCORE_H
#define ACV_SCORE_H

#include "context.h"

typedef struct {
    int64_t run_id;
    int year;
    size_t n_indicators;
    size_t n_with_value;
    size_t n_scored;
    int has_overall;
    double overall;
    int has_alignment;
    double alignment; /* overall self-assessment alignment, 0-100 */
    size_t n_priorities;
    char top_priority[64]; /* the action area to act on first */
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

#endif
