/*
 * luabridge.h — the calls from the engine into Lua scripts: the scoring methods in scripts/ and
 * the Lua validation rules. Everything that converts between C structs and Lua tables (convert.c)
 * runs inside protected calls, so a misbehaving script can only ever produce an error, never a
 * crash or a half-filled result. The `acv` table the scripts see is acv_api.h.
 *
 * The contract (docs/scripting.md): `scripts/scoring.lua` returns a table whose function
 * `area(input)` is called once per area and returns the results model.
 */
#ifndef ACV_LUABRIDGE_H
#define ACV_LUABRIDGE_H

#include "error.h"
#include "framework.h"
#include "results.h"
#include "sandbox.h"

#define ACV_SCORING_MODULE "scoring"

/* Installs the `acv` API (acv_api_install) and loads the scoring module. */
acv_status acv_bridge_open(acv_lua *lua, const acv_framework *fw, acv_error *err);

/* What the engine knows about one area for one scoring call. */
typedef struct {
    const char *code, *name, *level, *country;
    int has_population;
    double population;
    int year;
    const acv_series *indicators; /* fw->n_indicators series, oldest first */
    /* the imported series of each indicator's SDG codes, for an indicator without data of its
     * own: linked[linked_at[i]] to linked[linked_at[i + 1]] (n 0: no data); NULL: none */
    const acv_series *linked;
    const size_t *linked_at;
    const acv_series *data_elements; /* fw->n_data_elements series */
    const int *answer_levels;        /* fw->n_questions given levels (-1: unanswered), or NULL */
    const int *answer_effective;     /* the same after the evidence rule */
    int answers_year;
} acv_area_input;

/* Calls scoring.area once and fills out (whose arrays the caller sized from the framework). */
acv_status acv_bridge_score_area(acv_lua *lua, const acv_framework *fw, const acv_area_input *in,
                                 acv_area_results *out, acv_error *err);

/* Lua validation rules (docs/data.md): loads the module `module` (scripts/<module, dots as
 * slashes>.lua) and calls its function check(input) with {year, area = {code, name, level,
 * country, population}, indicators = {[id] = the same table as for scoring, with series},
 * data_elements = {[id] = series}}. check returns a list of violations {message = "...",
 * indicator = "ID" (optional), period = "2023" (optional)}; fn is called for each (non-zero
 * stops). A malformed result is an error naming the module. */
acv_status acv_bridge_validate(acv_lua *lua, const acv_framework *fw, const char *module,
                               const acv_area_input *in,
                               int (*fn)(void *ud, const char *indicator, const char *period,
                                         const char *message),
                               void *ud, acv_error *err);

#endif
