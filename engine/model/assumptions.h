/*
 * assumptions.h — what an uncertainty analysis of rankings varies, loaded from
 * indicators/uncertainty/assumptions.yml (the overlay's first, then the framework's) or a file
 * named on the command line (docs/methodology.md, "Uncertainty and sensitivity of ranks").
 *
 * Owns the loaded assumptions (one arena). The loader is strict: unknown keys, unknown
 * alternatives, a noise outside 0..0.99 are "file:line:col: message" errors, all of a file at
 * once. The names of the alternatives are those scripts/methods/uncertainty.lua applies.
 */
#ifndef ACV_ASSUMPTIONS_H
#define ACV_ASSUMPTIONS_H

#include "error.h"
#include "overlay.h"
#include "util.h"

#define ACV_ASSUMPTIONS_FILE "indicators/uncertainty/assumptions.yml"

/* The four factors of the analysis, in the order of every output. */
enum {
    ACV_FACTOR_WEIGHTS,
    ACV_FACTOR_AGGREGATION,
    ACV_FACTOR_NORMALISATION,
    ACV_FACTOR_IMPUTATION,
    ACV_N_FACTORS
};

/* "weights", "aggregation", "normalisation", "imputation" */
const char *acv_factor_name(int factor);

typedef struct {
    double noise; /* each varied weight times 1 + U(-noise, noise); 0: weights fixed */
    int on_indicators, on_action_areas, on_pillars; /* which weights vary */
    /* the alternatives of the discrete factors, drawn uniformly (ACV_FACTOR_AGGREGATION ...) */
    const char *alternatives[ACV_N_FACTORS][3];
    size_t n_alternatives[ACV_N_FACTORS]; /* 0 for ACV_FACTOR_WEIGHTS */
    const char *file;                     /* as messages name it */
    acv_arena arena;
} acv_assumptions;

/* Loads path (a file the user named) or, when path is NULL, ACV_ASSUMPTIONS_FILE of the overlay
 * or the framework (ACV_ERR_NOTFOUND when neither has one). */
acv_status acv_assumptions_load(const acv_overlay *roots, const char *path, acv_assumptions *out,
                                acv_error *err);
void acv_assumptions_free(acv_assumptions *a);

#endif
