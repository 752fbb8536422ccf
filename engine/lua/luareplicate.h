/*
 * luareplicate.h — the calls from the engine into scripts/methods/uncertainty.lua, which scores
 * ranked areas again under other assumptions (`acvtrack rank --uncertainty`; the method is in
 * docs/methodology.md). One Lua state holds one model (the framework's structure, weights, bounds
 * and targets, the level ranked) and one block of areas at a time; the engine calls it once per
 * replication and block, so several states on several threads share the work. Every table is
 * built inside a protected call: a failing script is an error, never a crash.
 */
#ifndef ACV_LUAREPLICATE_H
#define ACV_LUAREPLICATE_H

#include "error.h"
#include "framework.h"
#include "sandbox.h"

#define ACV_UNCERTAINTY_MODULE "methods.uncertainty"

typedef struct {
    const acv_framework *fw;
    const char *level; /* "overall", "pillar" or "action_area" */
    const char *code;  /* the pillar or action area ("ACV" for overall) */
} acv_replicate_model;

/* Areas' stored indicator results, area by area: values[i * fw->n_indicators + k] is area i's
 * value of framework indicator k (NaN: none), scores likewise the run's 0-100 score. */
typedef struct {
    size_t n_areas;
    const double *values, *scores;
} acv_replicate_block;

typedef struct {
    /* multipliers of the weights: fw->n_indicators, then fw->n_action_areas, then
     * fw->n_pillars; NULL: every weight as the framework has it */
    const double *multipliers;
    const char *aggregation, *normalisation, *imputation;
} acv_replicate_assumption;

/* Loads the module and keeps the model in the state. */
acv_status acv_replicate_open(acv_lua *lua, const acv_replicate_model *m, acv_error *err);
/* Adds the block's sums of scores (4 per indicator: see uncertainty.lua `sums`) to sums. */
acv_status acv_replicate_sums(acv_lua *lua, const acv_replicate_block *b, double *sums,
                              acv_error *err);
/* Hands the totals of every block's sums (4 * n_indicators) to the model. */
acv_status acv_replicate_set_totals(acv_lua *lua, const double *totals, acv_error *err);
/* Keeps a block in the state for the calls of acv_replicate_run that follow. */
acv_status acv_replicate_load_block(acv_lua *lua, const acv_replicate_block *b, acv_error *err);
/* Scores the loaded block under one assumption: out[i] per area, NaN when it has no score. */
acv_status acv_replicate_run(acv_lua *lua, const acv_replicate_assumption *a, double *out,
                             acv_error *err);
/* Lets go of the model and block (the state stays usable for anything else). */
void acv_replicate_close(acv_lua *lua);

#endif
