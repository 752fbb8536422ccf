/* luareplicate.c — the bridge to scripts/methods/uncertainty.lua; see luareplicate.h. */
#include "luareplicate.h"
#include "convert.h"
#include "sandbox_lua.h"

#include <lauxlib.h>
#include <math.h>
#include <string.h>

static const char REG_MODULE = 'm', REG_MODEL = 'd', REG_BLOCK = 'b';

/* The target a distance-to-target normalisation aims at: the absolute target of the framework's
 * target year, if the indicator has one. */
static int absolute_target(const acv_framework *fw, const acv_indicator *ind, double *out)
{
    for (size_t t = 0; t < ind->n_targets; t++) {
        const acv_target *tg = &ind->targets[t];
        if (tg->year == fw->scoring.target_year && tg->has_value && tg->kind &&
            strcmp(tg->kind, "abs") == 0) {
            *out = tg->value;
            return 1;
        }
    }
    return 0;
}

static int build_model(lua_State *L)
{
    const acv_replicate_model *m = lua_touserdata(L, 1);
    const acv_framework *fw = m->fw;
    /* the module, left by require */
    if (!lua_istable(L, 2))
        return luaL_error(L, "scripts/methods/uncertainty.lua must return a table of functions");
    lua_pushvalue(L, 2);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &REG_MODULE);
    lua_createtable(L, 0, 6);
    acv_convert_set_string(L, "level", m->level);
    acv_convert_set_string(L, "code", m->code);
    lua_createtable(L, 0, 3);
    acv_convert_set_string(L, "aggregation",
                           fw->scoring.aggregation ? fw->scoring.aggregation : "arithmetic");
    acv_convert_set_number(L, "min_share", fw->scoring.min_share);
    acv_convert_set_number(L, "max_missing_core", fw->scoring.max_missing_core);
    lua_setfield(L, -2, "options");
    lua_createtable(L, (int)fw->n_indicators, 0);
    for (size_t k = 0; k < fw->n_indicators; k++) {
        const acv_indicator *ind = &fw->indicators[k];
        lua_createtable(L, 0, 10);
        acv_convert_set_string(L, "id", ind->id);
        if (ind->has_bounds) {
            acv_convert_set_number(L, "worst", ind->worst);
            acv_convert_set_number(L, "best", ind->best);
        }
        double target;
        if (absolute_target(fw, ind, &target))
            acv_convert_set_number(L, "target", target);
        acv_convert_set_string(L, "transform", ind->transform);
        acv_convert_set_bool(L, "core", ind->core);
        acv_convert_set_bool(L, "contextual", ind->direction == ACV_DIR_CONTEXTUAL);
        acv_convert_set_bool(L, "not_applicable", ind->not_applicable != NULL);
        acv_convert_set_number(L, "weight", ind->weight);
        lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
    lua_setfield(L, -2, "indicators");
    lua_createtable(L, (int)fw->n_pillars, 0);
    for (size_t p = 0; p < fw->n_pillars; p++) {
        lua_createtable(L, 0, 3);
        acv_convert_set_string(L, "id", fw->pillars[p].id);
        acv_convert_set_number(L, "weight", fw->pillars[p].weight);
        acv_convert_set_integer(L, "at", (lua_Integer)(fw->n_indicators + fw->n_action_areas + p));
        lua_newtable(L);
        lua_Integer n_areas = 0;
        for (size_t a = 0; a < fw->n_action_areas; a++) {
            if (fw->action_areas[a].pillar != p)
                continue;
            lua_createtable(L, 0, 3);
            acv_convert_set_string(L, "id", fw->action_areas[a].id);
            acv_convert_set_number(L, "weight", fw->action_areas[a].weight);
            acv_convert_set_integer(L, "at", (lua_Integer)(fw->n_indicators + a));
            lua_newtable(L);
            lua_Integer n_inds = 0;
            for (size_t k = 0; k < fw->n_indicators; k++) {
                if (fw->indicators[k].action_area != a)
                    continue;
                lua_pushstring(L, fw->indicators[k].id);
                lua_rawseti(L, -2, ++n_inds);
            }
            lua_setfield(L, -2, "indicators");
            lua_rawseti(L, -2, ++n_areas);
        }
        lua_setfield(L, -2, "action_areas");
        lua_rawseti(L, -2, (lua_Integer)p + 1);
    }
    lua_setfield(L, -2, "pillars");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &REG_MODEL);
    return 0;
}

acv_status acv_replicate_open(acv_lua *lua, const acv_replicate_model *m, acv_error *err)
{
    lua_State *L = acv_lua_state(lua);
    acv_status st = acv_lua_require(lua, ACV_UNCERTAINTY_MODULE, err);
    if (st != ACV_OK)
        return st;
    lua_pushcfunction(L, build_model);
    lua_insert(L, -2);
    lua_pushlightuserdata(L, (void *)m);
    lua_insert(L, -2);
    return acv_lua_pcall(lua, 2, 0, err);
}

/* Pushes the block as {n =, value = {[k] = {...}}, score = {[k] = {...}}}, false where none. */
static void push_block(lua_State *L, const acv_replicate_block *b, size_t n_ind)
{
    lua_createtable(L, 0, 3);
    acv_convert_set_integer(L, "n", (lua_Integer)b->n_areas);
    for (int which = 0; which < 2; which++) {
        const double *src = which ? b->scores : b->values;
        lua_createtable(L, (int)n_ind, 0);
        for (size_t k = 0; k < n_ind; k++) {
            lua_createtable(L, (int)b->n_areas, 0);
            for (size_t i = 0; i < b->n_areas; i++) {
                double v = src[i * n_ind + k];
                if (isnan(v))
                    lua_pushboolean(L, 0);
                else
                    lua_pushnumber(L, v);
                lua_rawseti(L, -2, (lua_Integer)i + 1);
            }
            lua_rawseti(L, -2, (lua_Integer)k + 1);
        }
        lua_setfield(L, -2, which ? "score" : "value");
    }
}

static size_t model_indicators(lua_State *L)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &REG_MODEL);
    lua_getfield(L, -1, "indicators");
    size_t n = (size_t)lua_rawlen(L, -1);
    lua_pop(L, 2);
    return n;
}

typedef struct {
    const acv_replicate_block *block;
    double *sums;
    const double *totals;
    const acv_replicate_assumption *assumption;
    double *out;
} call_args;

/* Pushes module[name], the model and (when block) the loaded block. */
static void push_call(lua_State *L, const char *name)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &REG_MODULE);
    if (lua_getfield(L, -1, name) != LUA_TFUNCTION)
        luaL_error(L, "scripts/methods/uncertainty.lua must provide a function '%s'", name);
    lua_remove(L, -2);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &REG_MODEL);
}

static int protected_sums(lua_State *L)
{
    call_args *a = lua_touserdata(L, 1);
    size_t n_ind = model_indicators(L);
    push_call(L, "sums");
    push_block(L, a->block, n_ind);
    lua_call(L, 2, 1);
    if (!lua_istable(L, -1))
        return luaL_error(L, "uncertainty.sums must return a list of numbers");
    for (size_t i = 0; i < 4 * n_ind; i++) {
        if (lua_rawgeti(L, -1, (lua_Integer)i + 1) != LUA_TNUMBER)
            return luaL_error(L, "uncertainty.sums: entry %d is not a number", (int)i + 1);
        a->sums[i] += lua_tonumber(L, -1);
        lua_pop(L, 1);
    }
    return 0;
}

static acv_status call_protected(acv_lua *lua, lua_CFunction f, call_args *a, acv_error *err)
{
    lua_State *L = acv_lua_state(lua);
    lua_pushcfunction(L, f);
    lua_pushlightuserdata(L, a);
    return acv_lua_pcall(lua, 1, 0, err);
}

acv_status acv_replicate_sums(acv_lua *lua, const acv_replicate_block *b, double *sums,
                              acv_error *err)
{
    call_args a = {.block = b, .sums = sums};
    return call_protected(lua, protected_sums, &a, err);
}

static int protected_totals(lua_State *L)
{
    call_args *a = lua_touserdata(L, 1);
    size_t n_ind = model_indicators(L);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &REG_MODEL);
    lua_createtable(L, (int)(4 * n_ind), 0);
    for (size_t i = 0; i < 4 * n_ind; i++) {
        lua_pushnumber(L, a->totals[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "totals");
    return 0;
}

acv_status acv_replicate_set_totals(acv_lua *lua, const double *totals, acv_error *err)
{
    call_args a = {.totals = totals};
    return call_protected(lua, protected_totals, &a, err);
}

static int protected_load_block(lua_State *L)
{
    call_args *a = lua_touserdata(L, 1);
    push_block(L, a->block, model_indicators(L));
    lua_rawsetp(L, LUA_REGISTRYINDEX, &REG_BLOCK);
    return 0;
}

acv_status acv_replicate_load_block(acv_lua *lua, const acv_replicate_block *b, acv_error *err)
{
    call_args a = {.block = b};
    return call_protected(lua, protected_load_block, &a, err);
}

static int protected_run(lua_State *L)
{
    call_args *a = lua_touserdata(L, 1);
    const acv_replicate_assumption *as = a->assumption;
    push_call(L, "replicate");
    lua_rawgetp(L, LUA_REGISTRYINDEX, &REG_BLOCK);
    lua_getfield(L, -1, "n");
    lua_Integer n = lua_tointeger(L, -1);
    lua_pop(L, 1);
    lua_createtable(L, 0, 4);
    acv_convert_set_string(L, "aggregation", as->aggregation);
    acv_convert_set_string(L, "normalisation", as->normalisation);
    acv_convert_set_string(L, "imputation", as->imputation);
    if (as->multipliers) {
        /* ids from the model: indicators, then action areas and pillars in framework order */
        lua_createtable(L, 0, 0);
        int t = lua_gettop(L);
        lua_rawgetp(L, LUA_REGISTRYINDEX, &REG_MODEL);
        int model = lua_gettop(L);
        lua_getfield(L, model, "indicators");
        lua_Integer n_ind = (lua_Integer)lua_rawlen(L, -1);
        for (lua_Integer k = 1; k <= n_ind; k++) {
            lua_rawgeti(L, -1, k);
            lua_getfield(L, -1, "id");
            lua_pushnumber(L, as->multipliers[k - 1]);
            lua_rawset(L, t);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
        /* pillars and action areas: each carries its index among the multipliers ("at") */
        lua_getfield(L, model, "pillars");
        lua_Integer n_p = (lua_Integer)lua_rawlen(L, -1);
        for (lua_Integer p = 1; p <= n_p; p++) {
            lua_rawgeti(L, -1, p);
            lua_getfield(L, -1, "id");
            lua_getfield(L, -2, "at");
            lua_Integer at = lua_tointeger(L, -1);
            lua_pop(L, 1);
            lua_pushnumber(L, as->multipliers[at]);
            lua_rawset(L, t);
            lua_getfield(L, -1, "action_areas");
            lua_Integer n_a = (lua_Integer)lua_rawlen(L, -1);
            for (lua_Integer i = 1; i <= n_a; i++) {
                lua_rawgeti(L, -1, i);
                lua_getfield(L, -1, "id");
                lua_getfield(L, -2, "at");
                lua_Integer aat = lua_tointeger(L, -1);
                lua_pop(L, 1);
                lua_pushnumber(L, as->multipliers[aat]);
                lua_rawset(L, t);
                lua_pop(L, 1);
            }
            lua_pop(L, 2);
        }
        lua_pop(L, 2);
        lua_setfield(L, -2, "weights");
    }
    lua_call(L, 3, 1);
    if (!lua_istable(L, -1))
        return luaL_error(L, "uncertainty.replicate must return a list of scores");
    for (lua_Integer i = 1; i <= n; i++) {
        int type = lua_rawgeti(L, -1, i);
        if (type == LUA_TNUMBER)
            a->out[i - 1] = lua_tonumber(L, -1);
        else if (type == LUA_TBOOLEAN && !lua_toboolean(L, -1))
            a->out[i - 1] = NAN;
        else
            return luaL_error(L, "uncertainty.replicate: entry %d is not a score or false", (int)i);
        lua_pop(L, 1);
    }
    return 0;
}

acv_status acv_replicate_run(acv_lua *lua, const acv_replicate_assumption *a, double *out,
                             acv_error *err)
{
    call_args c = {.assumption = a, .out = out};
    return call_protected(lua, protected_run, &c, err);
}

void acv_replicate_close(acv_lua *lua)
{
    lua_State *L = acv_lua_state(lua);
    lua_pushnil(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &REG_BLOCK);
    lua_pushnil(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &REG_MODEL);
    lua_pushnil(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &REG_MODULE);
}
