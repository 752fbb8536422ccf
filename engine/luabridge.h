/*
 * luabridge.h — the C↔Lua boundary: the `acv` API that scripts see, and the calls from the engine
 * into the scoring methods in scripts/. Everything that converts between C structs and Lua tables
 * lives in luabridge.c, inside protected calls, so a misbehaving script can only ever produce an
 * error, never a crash or a half-filled result.
 *
 * The scoring contract (docs/scripting.md): `scripts/scoring.lua` returns a table with
 *   indicator(ind, series, year) -> {value=, period=, score=, note=}
 *   aggregate(framework, results) -> {action_areas={[id]=group}, pillars={[id]=group}, overall=group}
 * where group = {score=, n_scored=, n_total=, note=}.
 */
#ifndef ACV_LUABRIDGE_H
#define ACV_LUABRIDGE_H

#include "error.h"
#include "framework.h"
#include "results.h"
#include "sandbox.h"

#define ACV_SCORING_MODULE "scoring"

/* Installs the `acv` API in the sandbox's base environment and loads the scoring module. */
acv_status acv_bridge_open(acv_lua *lua, const acv_framework *fw, acv_error *err);

/* Calls scoring.indicator once for one indicator's series (ascending periods; n may be 0). */
acv_status acv_bridge_score_indicator(acv_lua *lua, const acv_framework *fw, size_t indicator,
                                      const acv_point *series, size_t n, int year,
                                      acv_indicator_result *out, acv_error *err);

/* Calls scoring.aggregate once with every indicator result (fw->n_indicators of them) and fills
 * one group result per action area, per pillar and the overall one. */
acv_status acv_bridge_aggregate(acv_lua *lua, const acv_framework *fw,
                                const acv_indicator_result *indicators,
                                acv_group_result *action_areas, acv_group_result *pillars,
                                acv_group_result *overall, acv_error *err);

#endif
