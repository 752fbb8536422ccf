/* luabridge.c — the C↔Lua boundary: the `acv` API and calls into scripts/scoring.lua. */
#include "luabridge.h"
#include "sandbox_lua.h"

#include <lauxlib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char REG_SCORING = 's';

#ifndef ACV_VERSION
#define ACV_VERSION "0.0.0"
#endif

static int protected_open(lua_State *L)
{
    /* the module table is left on the stack by require */
    if (!lua_istable(L, 1))
        return luaL_error(L, "scripts/%s.lua must return a table of functions",
                          ACV_SCORING_MODULE);
    const char *needed[] = {"indicator", "aggregate"};
    for (int i = 0; i < 2; i++) {
        lua_getfield(L, 1, needed[i]);
        if (!lua_isfunction(L, -1))
            return luaL_error(L, "scripts/%s.lua must provide a function '%s'",
                              ACV_SCORING_MODULE, needed[i]);
        lua_pop(L, 1);
    }
    lua_pushvalue(L, 1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &REG_SCORING);
    return 0;
}

acv_status acv_bridge_open(acv_lua *lua, const acv_framework *fw, acv_error *err)
{
    lua_State *L = acv_lua_state(lua);
    lua_newtable(L);
    lua_pushliteral(L, ACV_VERSION);
    lua_setfield(L, -2, "version");
    lua_newtable(L);
    lua_pushstring(L, fw->id ? fw->id : "");
    lua_setfield(L, -2, "id");
    lua_pushstring(L, fw->version ? fw->version : "");
    lua_setfield(L, -2, "version");
    lua_pushstring(L, fw->hash);
    lua_setfield(L, -2, "hash");
    acv_lua_make_readonly(lua);
    lua_setfield(L, -2, "framework");
    acv_lua_make_readonly(lua);
    acv_lua_set_base(lua, "acv");

    acv_status st = acv_lua_require(lua, ACV_SCORING_MODULE, err);
    if (st != ACV_OK)
        return st;
    lua_pushcfunction(L, protected_open);
    lua_insert(L, -2);
    return acv_lua_pcall(lua, 1, 0, err);
}

static void push_indicator(lua_State *L, const acv_framework *fw, size_t i)
{
    const acv_indicator *ind = &fw->indicators[i];
    const acv_action_area *area = &fw->action_areas[ind->action_area];
    lua_createtable(L, 0, 16);
    lua_pushstring(L, ind->id);
    lua_setfield(L, -2, "id");
    lua_pushstring(L, ind->name);
    lua_setfield(L, -2, "name");
    lua_pushstring(L, ind->unit);
    lua_setfield(L, -2, "unit");
    lua_pushstring(L, acv_direction_name(ind->direction));
    lua_setfield(L, -2, "direction");
    lua_pushboolean(L, ind->core);
    lua_setfield(L, -2, "core");
    lua_pushstring(L, area->id);
    lua_setfield(L, -2, "action_area");
    lua_pushstring(L, fw->pillars[area->pillar].id);
    lua_setfield(L, -2, "pillar");
    if (ind->has_bounds) {
        lua_pushnumber(L, ind->worst);
        lua_setfield(L, -2, "worst");
        lua_pushnumber(L, ind->best);
        lua_setfield(L, -2, "best");
    }
    if (ind->smoothing_years) {
        lua_pushinteger(L, ind->smoothing_years);
        lua_setfield(L, -2, "smoothing_years");
    }
    if (ind->transform) {
        lua_pushstring(L, ind->transform);
        lua_setfield(L, -2, "transform");
    }
    if (ind->method) {
        lua_pushstring(L, ind->method);
        lua_setfield(L, -2, "method");
    }
    lua_createtable(L, 0, (int)ind->n_targets);
    for (size_t t = 0; t < ind->n_targets; t++) {
        const acv_target *tg = &ind->targets[t];
        lua_createtable(L, 0, 4);
        lua_pushstring(L, tg->kind ? tg->kind : "none");
        lua_setfield(L, -2, "kind");
        if (tg->has_value) {
            lua_pushnumber(L, tg->value);
            lua_setfield(L, -2, "value");
        }
        if (tg->baseline) {
            lua_pushstring(L, tg->baseline);
            lua_setfield(L, -2, "baseline");
        }
        lua_rawseti(L, -2, tg->year);
    }
    lua_setfield(L, -2, "targets");
}

typedef struct {
    const acv_framework *fw;
    size_t indicator;
    const acv_point *series;
    size_t n;
    int year;
    acv_indicator_result *out;
} score_args;

/* Reads an optional number field; raises when it is present but not a finite number. */
static int opt_number(lua_State *L, int t, const char *field, double *out, const char *what)
{
    int type = lua_getfield(L, t, field);
    if (type == LUA_TNIL) {
        lua_pop(L, 1);
        return 0;
    }
    int isnum = 0;
    lua_Number v = lua_tonumberx(L, -1, &isnum);
    if (type != LUA_TNUMBER || !isnum || !isfinite(v))
        return luaL_error(L, "%s: field '%s' must be a finite number, got %s", what, field,
                          type == LUA_TNUMBER ? lua_tostring(L, -1) : luaL_typename(L, -1));
    lua_pop(L, 1);
    *out = v;
    return 1;
}

static void opt_string(lua_State *L, int t, const char *field, char *out, size_t size,
                       const char *what)
{
    int type = lua_getfield(L, t, field);
    if (type == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    if (type != LUA_TSTRING && type != LUA_TNUMBER)
        luaL_error(L, "%s: field '%s' must be a string, got %s", what, field,
                   luaL_typename(L, -1));
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    if (len >= size)
        len = size - 1;
    memcpy(out, s, len);
    out[len] = '\0';
    lua_pop(L, 1);
}

static double checked_score(lua_State *L, double score, const char *what)
{
    if (score < 0 || score > 100)
        luaL_error(L, "%s: score %f is outside 0-100", what, score);
    return score;
}

static int protected_score(lua_State *L)
{
    score_args *a = lua_touserdata(L, 1);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &REG_SCORING);
    lua_getfield(L, -1, "indicator");
    push_indicator(L, a->fw, a->indicator);
    lua_createtable(L, (int)a->n, 0);
    for (size_t i = 0; i < a->n; i++) {
        lua_createtable(L, 0, 3);
        lua_pushstring(L, a->series[i].period);
        lua_setfield(L, -2, "period");
        lua_pushinteger(L, a->series[i].year);
        lua_setfield(L, -2, "year");
        lua_pushnumber(L, a->series[i].value);
        lua_setfield(L, -2, "value");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_pushinteger(L, a->year);
    lua_call(L, 3, 1);

    char what[160];
    snprintf(what, sizeof what, "scoring.indicator for %s", a->fw->indicators[a->indicator].id);
    if (!lua_istable(L, -1))
        return luaL_error(L, "%s must return a table, got %s", what, luaL_typename(L, -1));
    int t = lua_gettop(L);
    acv_indicator_result *out = a->out;
    memset(out, 0, sizeof *out);
    out->has_value = opt_number(L, t, "value", &out->value, what);
    out->has_score = opt_number(L, t, "score", &out->score, what);
    if (out->has_score)
        checked_score(L, out->score, what);
    opt_string(L, t, "period", out->period, sizeof out->period, what);
    opt_string(L, t, "note", out->note, sizeof out->note, what);
    return 0;
}

acv_status acv_bridge_score_indicator(acv_lua *lua, const acv_framework *fw, size_t indicator,
                                      const acv_point *series, size_t n, int year,
                                      acv_indicator_result *out, acv_error *err)
{
    score_args a = {fw, indicator, series, n, year, out};
    lua_State *L = acv_lua_state(lua);
    lua_pushcfunction(L, protected_score);
    lua_pushlightuserdata(L, &a);
    acv_status st = acv_lua_pcall(lua, 1, 0, err);
    if (st != ACV_OK)
        memset(out, 0, sizeof *out);
    return st;
}

typedef struct {
    const acv_framework *fw;
    const acv_indicator_result *indicators;
    acv_group_result *areas, *pillars, *overall;
} aggregate_args;

static void read_group(lua_State *L, int t, acv_group_result *g, const char *what)
{
    memset(g, 0, sizeof *g);
    if (lua_isnil(L, t))
        return;
    if (!lua_istable(L, t))
        luaL_error(L, "%s must be a table, got %s", what, luaL_typename(L, t));
    g->has_score = opt_number(L, t, "score", &g->score, what);
    if (g->has_score)
        checked_score(L, g->score, what);
    double n = 0;
    if (opt_number(L, t, "n_scored", &n, what))
        g->n_scored = (int)n;
    if (opt_number(L, t, "n_total", &n, what))
        g->n_total = (int)n;
    opt_string(L, t, "note", g->note, sizeof g->note, what);
}

static int protected_aggregate(lua_State *L)
{
    aggregate_args *a = lua_touserdata(L, 1);
    const acv_framework *fw = a->fw;
    lua_rawgetp(L, LUA_REGISTRYINDEX, &REG_SCORING);
    lua_getfield(L, -1, "aggregate");

    /* framework = {pillars = {{id=, name=, action_areas = {{id=, name=, indicators = {...}}}}}} */
    lua_createtable(L, 0, 1);
    lua_createtable(L, (int)fw->n_pillars, 0);
    for (size_t p = 0; p < fw->n_pillars; p++) {
        lua_createtable(L, 0, 3);
        lua_pushstring(L, fw->pillars[p].id);
        lua_setfield(L, -2, "id");
        lua_pushstring(L, fw->pillars[p].name);
        lua_setfield(L, -2, "name");
        lua_newtable(L);
        int k = 0;
        for (size_t aa = 0; aa < fw->n_action_areas; aa++) {
            if (fw->action_areas[aa].pillar != p)
                continue;
            lua_createtable(L, 0, 3);
            lua_pushstring(L, fw->action_areas[aa].id);
            lua_setfield(L, -2, "id");
            lua_pushstring(L, fw->action_areas[aa].name);
            lua_setfield(L, -2, "name");
            lua_newtable(L);
            int j = 0;
            for (size_t i = 0; i < fw->n_indicators; i++) {
                if (fw->indicators[i].action_area != aa)
                    continue;
                lua_pushstring(L, fw->indicators[i].id);
                lua_rawseti(L, -2, ++j);
            }
            lua_setfield(L, -2, "indicators");
            lua_rawseti(L, -2, ++k);
        }
        lua_setfield(L, -2, "action_areas");
        lua_rawseti(L, -2, (lua_Integer)p + 1);
    }
    lua_setfield(L, -2, "pillars");

    /* results = {[id] = {score=, core=, contextual=}} */
    lua_createtable(L, 0, (int)fw->n_indicators);
    for (size_t i = 0; i < fw->n_indicators; i++) {
        const acv_indicator_result *r = &a->indicators[i];
        lua_createtable(L, 0, 3);
        if (r->has_score) {
            lua_pushnumber(L, r->score);
            lua_setfield(L, -2, "score");
        }
        lua_pushboolean(L, fw->indicators[i].core);
        lua_setfield(L, -2, "core");
        lua_pushboolean(L, fw->indicators[i].direction == ACV_DIR_CONTEXTUAL);
        lua_setfield(L, -2, "contextual");
        lua_setfield(L, -2, fw->indicators[i].id);
    }
    lua_call(L, 2, 1);
    if (!lua_istable(L, -1))
        return luaL_error(L, "scoring.aggregate must return a table, got %s",
                          luaL_typename(L, -1));
    int t = lua_gettop(L);
    char what[160];
    const char *groups[2] = {"action_areas", "pillars"};
    for (int g = 0; g < 2; g++) {
        lua_getfield(L, t, groups[g]);
        int gt = lua_gettop(L);
        if (!lua_istable(L, gt))
            return luaL_error(L, "scoring.aggregate must return a table '%s'", groups[g]);
        size_t n = g == 0 ? fw->n_action_areas : fw->n_pillars;
        for (size_t i = 0; i < n; i++) {
            const char *id = g == 0 ? fw->action_areas[i].id : fw->pillars[i].id;
            lua_getfield(L, gt, id);
            snprintf(what, sizeof what, "scoring.aggregate %s.%s", groups[g], id);
            read_group(L, lua_gettop(L), g == 0 ? &a->areas[i] : &a->pillars[i], what);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    lua_getfield(L, t, "overall");
    read_group(L, lua_gettop(L), a->overall, "scoring.aggregate overall");
    lua_pop(L, 1);
    return 0;
}

acv_status acv_bridge_aggregate(acv_lua *lua, const acv_framework *fw,
                                const acv_indicator_result *indicators,
                                acv_group_result *action_areas, acv_group_result *pillars,
                                acv_group_result *overall, acv_error *err)
{
    aggregate_args a = {fw, indicators, action_areas, pillars, overall};
    lua_State *L = acv_lua_state(lua);
    lua_pushcfunction(L, protected_aggregate);
    lua_pushlightuserdata(L, &a);
    return acv_lua_pcall(lua, 1, 0, err);
}
