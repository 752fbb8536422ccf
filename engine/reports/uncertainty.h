/*
 * uncertainty.h — the uncertainty and sensitivity analysis of a ranking (`acvtrack rank
 * --uncertainty N [--seed S] [--sensitivity]`; the method is docs/methodology.md, "Uncertainty
 * and sensitivity of ranks").
 *
 * The nominal ranking is the one rank.h loads from the stored runs. The analysis draws N sets of
 * assumptions (the A rows of a Saltelli design) from the seed with the generator of
 * montecarlo.h, over the factors assumptions.h declares; has the ranked areas scored again under
 * each set (scoring/replicate.h, which runs scripts/methods/uncertainty.lua on every processor);
 * ranks each replication with the rule of rank.h (competition ranks, scores within 1e-9 equal);
 * and reports per area its nominal, mean and median rank and the 5th to 95th percentile
 * interval (definition 7). With --sensitivity it also runs the B rows and the four AB_i
 * matrices (6N replications in all) and estimates the first-order and total Sobol indices of
 * the mean absolute rank change of each replication against the nominal ranks. Nothing is
 * written to the workspace. Same request, same seed: the same numbers, whatever the number of
 * threads.
 */
#ifndef ACV_UNCERTAINTY_H
#define ACV_UNCERTAINTY_H

#include "assumptions.h"
#include "montecarlo.h"
#include "rank.h"

#define ACV_UNCERTAINTY_MAX_RUNS 100000

typedef struct {
    acv_rank_request rank;   /* the ranking whose uncertainty is analysed */
    size_t n;                /* replications (base rows of the design with sensitivity) */
    uint64_t seed;           /* the generator's seed */
    int sensitivity;         /* also estimate the Sobol indices */
    const char *assumptions; /* a file; NULL: the overlay's or the framework's */
    int jobs;                /* threads; 0: one per processor */
} acv_uncertainty_request;

typedef struct {
    const char *code, *name;
    double score; /* the nominal (stored) score */
    int rank;     /* nominal rank */
    int tied;
    double mean_rank, median_rank, q05, q95;
    int *ranks; /* in each of the n replications (A rows) */
} acv_uncertainty_area;

/* One replication's assumptions. */
typedef struct {
    uint64_t weights_key;           /* the seed of its weight noise */
    int alternative[ACV_N_FACTORS]; /* index into the factor's alternatives (weights: -1) */
    double *multipliers;            /* per weight (luareplicate.h order) */
    double mean_abs_change;         /* mean |rank - nominal rank| over the ranked areas */
} acv_uncertainty_run;

typedef struct {
    acv_rank_model *nominal;
    acv_assumptions assumptions;
    const acv_framework *fw; /* the context's; valid while it is open */
    uint64_t seed;
    size_t n;
    int sensitivity;
    acv_uncertainty_area *areas; /* nominal->n_ranked, in nominal order */
    size_t n_areas;
    acv_uncertainty_run *runs; /* the n A rows, then (sensitivity) n B rows and 4n AB rows */
    size_t n_runs;
    size_t n_weights;
    acv_sobol_index sobol[ACV_N_FACTORS];
    double variance; /* of the mean absolute rank change over the A and B rows */
    acv_arena arena;
} acv_uncertainty_model;

/* Runs the analysis (errors: those of acv_rank_load and acv_assumptions_load, ACV_ERR_USAGE for
 * an N out of range, a script's error). */
acv_status acv_uncertainty_run_analysis(acv_ctx *ctx, const acv_uncertainty_request *req,
                                        acv_uncertainty_model **out, acv_error *err);
void acv_uncertainty_free(acv_uncertainty_model *m);

/* Appends the analysis as a text table, CSV (one row per area) or JSON (areas with their rank
 * in every replication, the replications' assumptions, the indices). */
void acv_uncertainty_render(const acv_uncertainty_model *m, acv_rank_format format, acv_buf *out);

/* Competition ranks of scores[0..n-1] (NaN: no score, all sharing the place after every scored
 * one), ordered by score descending then codes[], scores within 1e-9 equal (the rule of rank.h);
 * ranks[i] for scores[i]. Returns -1 when out of memory. Exposed for tests. */
int acv_uncertainty_rank(const double *scores, const char *const *codes, size_t n, int *ranks);

#endif
