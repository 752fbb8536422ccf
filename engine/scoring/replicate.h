/*
 * replicate.h — the replications of an uncertainty analysis (`acvtrack rank --uncertainty`):
 * scores ranked areas again, from their stored indicator results, once per set of assumptions,
 * with scripts/methods/uncertainty.lua (lua/luareplicate.h) on several threads, one Lua state
 * each. It reads nothing from the workspace and writes nothing to it: the caller hands it the
 * stored results and gets the scores back.
 *
 * The areas are cut into blocks (a sixteenth of the areas, at most ACV_REPLICATE_BLOCK, so
 * that a few areas still share out over the threads); each thread takes the next block and
 * scores it under every assumption. Mean imputation needs each indicator's mean over all the
 * areas: a first pass sums each block, and the sums are added in block order. The blocks depend
 * on the number of areas only, so the numbers do not depend on the number of threads.
 */
#ifndef ACV_REPLICATE_H
#define ACV_REPLICATE_H

#include "context.h"
#include "luareplicate.h"

#define ACV_REPLICATE_BLOCK 256
#define ACV_REPLICATE_MAX_JOBS 16

typedef struct {
    const char *level, *code; /* the level ranked (luareplicate.h) */
    size_t n_areas;
    /* the stored results, values[i * fw->n_indicators + k] (NaN: none), scores likewise */
    const double *values, *scores;
    size_t n_runs;
    const acv_replicate_assumption *runs;
    int jobs; /* threads; 0: one per online processor, at most ACV_REPLICATE_MAX_JOBS */
} acv_replicate_request;

/* Fills out[run * n_areas + area] with the area's score under the run's assumptions (NaN: no
 * score at that level). */
acv_status acv_replicate_all(acv_ctx *ctx, const acv_replicate_request *r, double *out,
                             acv_error *err);

#endif
