/* luabridge.c — the calls into scripts/scoring.lua and the Lua validation rules: their input
 * tables and the reading of what they return. The `acv` API is acv_api.c; conversions are
 * convert.c. */
#include "luabridge.h"
#include "acv_api.h"
#include "convert.h"
#include "scriptcheck.h"

#include <lauxlib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char REG_SCORING = 's';

static int protected_open(lua_State *L)
{
    /* the module table is left on the stack by require */
    if (!lua_istable(L, 1))
        return luaL_error(L, "scripts/%s.lua must return a table of functions", ACV_SCORING_MODULE);
    lua_getfield(L, 1, "area");
    if (!lua_isfunction(L, -1))
        return luaL_error(L, "scripts/%s.lua must provide a function 'area'", ACV_SCORING_MODULE);
    lua_pop(L, 1);
    lua_pushvalue(L, 1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &REG_SCORING);
    return 0;
}

/* A progress method the methods do not define would be scored by another one without a word:
 * refused as `framework check` refuses it (scriptcheck.h), the first with how many there are. */
static acv_status check_methods(acv_lua *lua, const acv_framework *fw, acv_error *err)
{
    acv_problems p = {0};
    acv_status st = acv_scriptcheck_methods(lua, fw, &p, err);
    if (st == ACV_OK && p.n == 1)
        st = acv_error_set(err, ACV_ERR_INPUT, "%s", p.items[0]);
    else if (st == ACV_OK && p.n > 1)
        st = acv_error_set(err, ACV_ERR_INPUT,
                           "%s\n(%zu problems; 'acvtrack framework check' lists them all)",
                           p.items[0], p.n);
    acv_problems_free(&p);
    return st;
}

acv_status acv_bridge_open(acv_lua *lua, const acv_framework *fw, acv_error *err)
{
    acv_status st = acv_api_install(lua, fw, err);
    if (st != ACV_OK)
        return st;
    lua_State *L = acv_lua_state(lua);
    st = acv_lua_require(lua, ACV_SCORING_MODULE, err);
    if (st != ACV_OK)
        return st;
    lua_pushcfunction(L, protected_open);
    lua_insert(L, -2);
    st = acv_lua_pcall(lua, 1, 0, err);
    return st == ACV_OK ? check_methods(lua, fw, err) : st;
}

/* ---- C to Lua ----------------------------------------------------------------------------- */

/* next() over an indicator table: its own fields (series, and whatever a script set), then the
 * framework's facts it does not shadow. */
static int indicator_next(lua_State *L)
{
    lua_settop(L, 2);
    luaL_checktype(L, 1, LUA_TTABLE);
    /* a script may call this iterator on any table: only an indicator table has its facts */
    if (!lua_getmetatable(L, 1) || lua_getfield(L, 3, "__index") != LUA_TTABLE)
        return luaL_error(L, "this iterator only walks an indicator table");
    int facts = lua_gettop(L);
    int own = lua_isnil(L, 2) || (lua_pushvalue(L, 2), lua_rawget(L, 1) != LUA_TNIL);
    lua_settop(L, facts);
    if (own) {
        lua_pushvalue(L, 2);
        if (lua_next(L, 1))
            return 2;
        lua_pushnil(L); /* own fields done: start on the facts */
    } else {
        lua_pushvalue(L, 2);
    }
    while (lua_next(L, facts)) {
        lua_pushvalue(L, -2);
        if (lua_rawget(L, 1) == LUA_TNIL) {
            lua_pop(L, 1);
            return 2;
        }
        lua_pop(L, 2); /* shadowed by an own field, already returned */
    }
    lua_pushnil(L);
    return 1;
}

static int indicator_pairs(lua_State *L)
{
    lua_pushcfunction(L, indicator_next);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

static const char REG_INDICATOR_META = 'i';

/* Pushes the list of per-indicator metatables ({__index = facts}) for fw, built on first use. */
static void push_indicator_metas(acv_lua *lua, const acv_framework *fw)
{
    lua_State *L = acv_lua_state(lua);
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &REG_INDICATOR_META) == LUA_TTABLE) {
        lua_rawgeti(L, -1, 0);
        int same = lua_touserdata(L, -1) == (void *)fw;
        lua_pop(L, 1);
        if (same)
            return;
    }
    lua_pop(L, 1);
    lua_createtable(L, (int)fw->n_indicators, 1);
    lua_pushlightuserdata(L, (void *)fw);
    lua_rawseti(L, -2, 0);
    for (size_t i = 0; i < fw->n_indicators; i++) {
        lua_createtable(L, 0, 3);
        acv_convert_push_indicator_facts(lua, fw, i);
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, indicator_pairs);
        lua_setfield(L, -2, "__pairs");
        lua_pushliteral(L, "locked");
        lua_setfield(L, -2, "__metatable");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &REG_INDICATOR_META);
}

/* Pushes indicator i for one area: a fresh table with its series, whose other fields come from the
 * framework's facts (metas: the index of push_indicator_metas's list). An indicator without data
 * of its own gets `linked`, the imported series of its SDG codes that have data ({code, unit,
 * series}, in the framework's order), for the scripts to judge (scripts/methods/units.lua). */
static void push_indicator(lua_State *L, int metas, size_t i, const acv_series *s,
                           const acv_series *linked, size_t n_linked)
{
    lua_createtable(L, 0, 3);
    acv_convert_push_series(L, s);
    lua_setfield(L, -2, "series");
    acv_convert_set_string(L, "series_from", s->from);
    int k = 0;
    for (size_t g = 0; g < n_linked; g++) {
        if (linked[g].n == 0)
            continue;
        if (k == 0)
            lua_createtable(L, (int)n_linked, 0);
        lua_createtable(L, 0, 3);
        acv_convert_set_string(L, "code", linked[g].from);
        acv_convert_set_string(L, "unit", linked[g].unit);
        acv_convert_push_series(L, &linked[g]);
        lua_setfield(L, -2, "series");
        lua_rawseti(L, -2, ++k);
    }
    if (k > 0)
        lua_setfield(L, -2, "linked");
    lua_rawgeti(L, metas, (lua_Integer)i + 1);
    lua_setmetatable(L, -2);
}

/* Pushes the input table both scoring and validation rules get: year, area, indicators (with
 * their series) and the data elements that have data; room for `fields` fields in all. */
static void push_area_input(acv_lua *lua, const acv_framework *fw, const acv_area_input *in,
                            int fields)
{
    lua_State *L = acv_lua_state(lua);
    lua_createtable(L, 0, fields);
    acv_convert_set_integer(L, "year", in->year);
    lua_createtable(L, 0, 5);
    acv_convert_set_string(L, "code", in->code);
    acv_convert_set_string(L, "name", in->name);
    acv_convert_set_string(L, "level", in->level);
    acv_convert_set_string(L, "country", in->country);
    if (in->has_population)
        acv_convert_set_number(L, "population", in->population);
    lua_setfield(L, -2, "area");
    push_indicator_metas(lua, fw);
    int metas = lua_gettop(L);
    lua_createtable(L, 0, (int)fw->n_indicators);
    for (size_t i = 0; i < fw->n_indicators; i++) {
        const acv_series *linked = in->linked ? in->linked + in->linked_at[i] : NULL;
        size_t n_linked = in->linked ? in->linked_at[i + 1] - in->linked_at[i] : 0;
        push_indicator(L, metas, i, &in->indicators[i], linked, n_linked);
        lua_setfield(L, -2, fw->indicators[i].id);
    }
    lua_remove(L, metas);
    lua_setfield(L, -2, "indicators");
    lua_createtable(L, 0, (int)fw->n_data_elements);
    for (size_t i = 0; i < fw->n_data_elements; i++) {
        if (in->data_elements[i].n == 0)
            continue;
        acv_convert_push_series(L, &in->data_elements[i]);
        lua_setfield(L, -2, fw->data_elements[i].id);
    }
    lua_setfield(L, -2, "data_elements");
}

/* A pillar or action area of the framework tree: {id, name, weight}, room for `fields` in all. */
static void push_node(lua_State *L, const char *id, const char *name, double weight, int fields)
{
    lua_createtable(L, 0, fields);
    acv_convert_set_string(L, "id", id);
    acv_convert_set_string(L, "name", name);
    acv_convert_set_number(L, "weight", weight);
}

static const char REG_UNITS = 'u';

/* Pushes the framework's unit table, read-only and built once per framework: {units = {{code,
 * name, aliases = {...}}, ...}, conversions = {{from, to, factor}, ...}}. */
static void push_units(acv_lua *lua, const acv_framework *fw)
{
    lua_State *L = acv_lua_state(lua);
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &REG_UNITS) == LUA_TTABLE) {
        lua_rawgeti(L, -1, 0);
        int same = lua_touserdata(L, -1) == (void *)fw;
        lua_pop(L, 1);
        if (same) {
            lua_getfield(L, -1, "table");
            lua_remove(L, -2);
            return;
        }
    }
    lua_pop(L, 1);
    lua_createtable(L, 1, 1); /* the cache: [0] = fw, table = the unit table */
    lua_pushlightuserdata(L, (void *)fw);
    lua_rawseti(L, -2, 0);
    lua_createtable(L, 0, 2);
    lua_createtable(L, (int)fw->n_units, 0);
    for (size_t u = 0; u < fw->n_units; u++) {
        const acv_unit *un = &fw->units[u];
        lua_createtable(L, 0, 3);
        acv_convert_set_string(L, "code", un->code);
        acv_convert_set_string(L, "name", un->name);
        acv_convert_push_strings(L, (const char *const *)un->aliases, un->n_aliases);
        acv_lua_make_readonly(lua);
        lua_setfield(L, -2, "aliases");
        acv_lua_make_readonly(lua);
        lua_rawseti(L, -2, (lua_Integer)u + 1);
    }
    acv_lua_make_readonly(lua);
    lua_setfield(L, -2, "units");
    lua_createtable(L, (int)fw->n_unit_conversions, 0);
    for (size_t k = 0; k < fw->n_unit_conversions; k++) {
        const acv_unit_conversion *c = &fw->unit_conversions[k];
        lua_createtable(L, 0, 3);
        acv_convert_set_string(L, "from", c->from);
        acv_convert_set_string(L, "to", c->to);
        acv_convert_set_number(L, "factor", c->factor);
        acv_lua_make_readonly(lua);
        lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
    acv_lua_make_readonly(lua);
    lua_setfield(L, -2, "conversions");
    acv_lua_make_readonly(lua);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "table");
    lua_insert(L, -2);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &REG_UNITS);
}

static void push_framework_tree(acv_lua *lua, const acv_framework *fw)
{
    lua_State *L = acv_lua_state(lua);
    push_units(lua, fw);
    lua_createtable(L, 0, 3);
    lua_insert(L, -2);
    lua_setfield(L, -2, "units");
    lua_createtable(L, (int)fw->n_pillars, 0);
    for (size_t p = 0; p < fw->n_pillars; p++) {
        push_node(L, fw->pillars[p].id, fw->pillars[p].name, fw->pillars[p].weight, 4);
        lua_newtable(L);
        int k = 0;
        for (size_t a = 0; a < fw->n_action_areas; a++) {
            if (fw->action_areas[a].pillar != p)
                continue;
            push_node(L, fw->action_areas[a].id, fw->action_areas[a].name,
                      fw->action_areas[a].weight, 5);
            lua_newtable(L);
            int j = 0;
            for (size_t i = 0; i < fw->n_indicators; i++)
                if (fw->indicators[i].action_area == a) {
                    lua_pushstring(L, fw->indicators[i].id);
                    lua_rawseti(L, -2, ++j);
                }
            lua_setfield(L, -2, "indicators");
            lua_newtable(L);
            j = 0;
            for (size_t q = 0; q < fw->n_questions; q++)
                if (fw->questions[q].area == a) {
                    lua_pushstring(L, fw->questions[q].id);
                    lua_rawseti(L, -2, ++j);
                }
            lua_setfield(L, -2, "questions");
            lua_rawseti(L, -2, ++k);
        }
        lua_setfield(L, -2, "action_areas");
        lua_rawseti(L, -2, (lua_Integer)p + 1);
    }
    lua_setfield(L, -2, "pillars");
    const acv_scoring_defaults *d = &fw->scoring;
    static const acv_field OPTIONS[] = {
        ACV_FIELD("progress", ACV_FIELD_TEXT, acv_scoring_defaults, progress),
        ACV_FIELD("aggregation", ACV_FIELD_TEXT, acv_scoring_defaults, aggregation),
        ACV_FIELD("imputation", ACV_FIELD_TEXT, acv_scoring_defaults, imputation),
        ACV_FIELD("carry_forward_years", ACV_FIELD_INT, acv_scoring_defaults, carry_forward_years),
        ACV_FIELD("min_share", ACV_FIELD_DOUBLE, acv_scoring_defaults, min_share),
        ACV_FIELD("max_missing_core", ACV_FIELD_DOUBLE, acv_scoring_defaults, max_missing_core),
        ACV_FIELD("base_year", ACV_FIELD_INT, acv_scoring_defaults, base_year),
        ACV_FIELD("target_year", ACV_FIELD_INT, acv_scoring_defaults, target_year),
    };
    lua_createtable(L, 0, 8);
    acv_convert_set_fields(L, d, OPTIONS, sizeof OPTIONS / sizeof *OPTIONS);
    lua_setfield(L, -2, "options");
}

/* ---- Lua to C ----------------------------------------------------------------------------- */

static void check_score(lua_State *L, double score, const char *what)
{
    if (score < 0 || score > 100)
        luaL_error(L, "%s: score %f is outside 0-100", what, score);
}

static void read_group(lua_State *L, int t, acv_group_result *g, const char *what)
{
    memset(g, 0, sizeof *g);
    if (lua_isnil(L, t))
        return;
    if (!lua_istable(L, t))
        luaL_error(L, "%s must be a table, got %s", what, luaL_typename(L, t));
    g->has_score = acv_convert_opt_number(L, t, "score", &g->score, what);
    if (g->has_score)
        check_score(L, g->score, what);
    double n = 0;
    if (acv_convert_opt_number(L, t, "n_scored", &n, what))
        g->n_scored = (int)n;
    if (acv_convert_opt_number(L, t, "n_total", &n, what))
        g->n_total = (int)n;
    acv_convert_opt_string(L, t, "note", g->note, sizeof g->note, what);
    if (!g->has_score) {
        g->has_provisional = acv_convert_opt_number(L, t, "provisional", &g->provisional, what);
        if (g->has_provisional)
            check_score(L, g->provisional, what);
    }
    double core = 0;
    if (acv_convert_opt_number(L, t, "n_core_total", &core, what)) {
        g->has_core = 1;
        g->n_core_total = (int)core;
        if (acv_convert_opt_number(L, t, "n_core_scored", &core, what))
            g->n_core_scored = (int)core;
    }
}

/* results[key][id] for each id into groups; a missing table leaves the groups empty. */
static void read_groups(lua_State *L, int results, const char *key, const char *const *ids,
                        size_t n, acv_group_result *groups, const char *what_prefix)
{
    lua_getfield(L, results, key);
    int t = lua_gettop(L);
    if (!lua_isnil(L, t) && !lua_istable(L, t))
        luaL_error(L, "%s.%s must be a table", what_prefix, key);
    for (size_t i = 0; i < n; i++) {
        char what[160];
        snprintf(what, sizeof what, "%s.%s[%s]", what_prefix, key, ids[i]);
        if (lua_isnil(L, t)) {
            memset(&groups[i], 0, sizeof groups[i]);
            continue;
        }
        lua_getfield(L, t, ids[i]);
        read_group(L, lua_gettop(L), &groups[i], what);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* results.collect_first, {{id =, source =}, ...} in order, into each indicator's collect_rank and
 * collect_source; a missing list leaves them 0. Returns 1 with an error message pushed. */
static int read_collect_first(lua_State *L, int results, const acv_framework *fw,
                              acv_area_results *out)
{
    lua_getfield(L, results, "collect_first");
    int t = lua_gettop(L);
    if (lua_isnil(L, t)) {
        lua_pop(L, 1);
        return 0;
    }
    if (!lua_istable(L, t)) {
        lua_pushfstring(L, "scoring.area collect_first must be a list, got %s",
                        luaL_typename(L, t));
        return 1;
    }
    lua_Integer n = luaL_len(L, t);
    for (lua_Integer k = 1; k <= n; k++) {
        lua_rawgeti(L, t, k);
        int e = lua_gettop(L);
        char what[64], id[64] = "";
        snprintf(what, sizeof what, "scoring.area collect_first[%d]", (int)k);
        if (!lua_istable(L, e)) {
            lua_pushfstring(L, "%s must be a table", what);
            return 1;
        }
        acv_convert_opt_string(L, e, "id", id, sizeof id, what);
        long i = acv_framework_find_indicator(fw, id);
        if (i < 0) {
            lua_pushfstring(L, "%s: unknown indicator '%s'", what, id);
            return 1;
        }
        acv_indicator_result *ir = &out->indicators[i];
        ir->collect_rank = (int)k;
        acv_convert_opt_string(L, e, "source", ir->collect_source, sizeof ir->collect_source, what);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return 0;
}

typedef struct {
    acv_lua *lua;
    const acv_framework *fw;
    const acv_area_input *in;
    acv_area_results *out;
    const char **area_ids;
    const char **pillar_ids;
} area_args;

static int protected_area(lua_State *L)
{
    area_args *a = lua_touserdata(L, 1);
    const acv_framework *fw = a->fw;
    const acv_area_input *in = a->in;
    acv_area_results *out = a->out;
    lua_rawgetp(L, LUA_REGISTRYINDEX, &REG_SCORING);
    lua_getfield(L, -1, "area");

    /* input */
    push_area_input(a->lua, fw, in, 8);
    push_framework_tree(a->lua, fw);
    lua_setfield(L, -2, "framework");
    if (in->answer_levels) {
        lua_createtable(L, 0, (int)fw->n_questions);
        for (size_t q = 0; q < fw->n_questions; q++) {
            const acv_question *qu = &fw->questions[q];
            lua_createtable(L, 0, 4);
            if (in->answer_levels[q] >= 0) {
                acv_convert_set_integer(L, "level", in->answer_levels[q]);
                acv_convert_set_integer(L, "effective_level", in->answer_effective[q]);
            }
            acv_convert_set_string(L, "action_area", qu->action_area);
            acv_convert_push_strings(L, qu->dimensions, qu->n_dimensions);
            lua_setfield(L, -2, "dimensions");
            lua_setfield(L, -2, qu->id);
        }
        lua_setfield(L, -2, "answers");
        acv_convert_set_integer(L, "answers_year", in->answers_year);
    }
    lua_call(L, 1, 1);

    /* output */
    if (!lua_istable(L, -1))
        return luaL_error(L, "scoring.area must return a table, got %s", luaL_typename(L, -1));
    int r = lua_gettop(L);
    lua_getfield(L, r, "indicators");
    int it = lua_gettop(L);
    if (!lua_istable(L, it))
        return luaL_error(L, "scoring.area must return a table 'indicators'");
    for (size_t i = 0; i < fw->n_indicators; i++) {
        acv_indicator_result *ir = &out->indicators[i];
        memset(ir, 0, sizeof *ir);
        char what[160];
        snprintf(what, sizeof what, "scoring.area indicators[%s]", fw->indicators[i].id);
        lua_getfield(L, it, fw->indicators[i].id);
        int t = lua_gettop(L);
        if (!lua_isnil(L, t)) {
            if (!lua_istable(L, t))
                return luaL_error(L, "%s must be a table", what);
            ir->has_value = acv_convert_opt_number(L, t, "value", &ir->value, what);
            ir->has_score = acv_convert_opt_number(L, t, "score", &ir->score, what);
            if (ir->has_score)
                check_score(L, ir->score, what);
            ir->has_target_gap = acv_convert_opt_number(L, t, "target_gap", &ir->target_gap, what);
            acv_convert_opt_string(L, t, "period", ir->period, sizeof ir->period, what);
            acv_convert_opt_string(L, t, "note", ir->note, sizeof ir->note, what);
            acv_convert_opt_string(L, t, "class", ir->class_name, sizeof ir->class_name, what);
            ir->imputed = acv_convert_opt_bool(L, t, "imputed");
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    if (read_collect_first(L, r, fw, out))
        return lua_error(L);
    read_groups(L, r, "action_areas", a->area_ids, fw->n_action_areas, out->action_areas,
                "scoring.area");
    read_groups(L, r, "pillars", a->pillar_ids, fw->n_pillars, out->pillars, "scoring.area");
    lua_getfield(L, r, "overall");
    read_group(L, lua_gettop(L), &out->overall, "scoring.area overall");
    lua_pop(L, 1);

    lua_getfield(L, r, "alignment");
    int al = lua_gettop(L);
    out->has_alignment = lua_istable(L, al);
    if (out->has_alignment) {
        read_groups(L, al, "action_areas", a->area_ids, fw->n_action_areas, out->alignment_areas,
                    "scoring.area alignment");
        read_groups(L, al, "pillars", a->pillar_ids, fw->n_pillars, out->alignment_pillars,
                    "scoring.area alignment");
        lua_getfield(L, al, "overall");
        read_group(L, lua_gettop(L), &out->alignment_overall, "scoring.area alignment.overall");
        lua_pop(L, 1);
    }
    lua_pop(L, 1);

    out->n_priorities = 0;
    lua_getfield(L, r, "priorities");
    int pr = lua_gettop(L);
    if (lua_istable(L, pr)) {
        /* the list ends at its first nil, read raw: a __len that answers math.maxinteger once
         * made this loop (and the one over reasons) spin for ever; so each element is real, and
         * each is charged against the limits */
        for (lua_Integer k = 1; out->n_priorities < fw->n_action_areas; k++) {
            acv_lua_charge(L, 1);
            if (lua_rawgeti(L, pr, k) == LUA_TNIL) {
                lua_pop(L, 1);
                break;
            }
            int t = lua_gettop(L);
            if (!lua_istable(L, t))
                return luaL_error(L, "scoring.area priorities[%d] must be a table", (int)k);
            char id[64] = "";
            acv_convert_opt_string(L, t, "id", id, sizeof id, "scoring.area priorities");
            long area = acv_framework_find_action_area(fw, id);
            if (area < 0)
                return luaL_error(L, "scoring.area priorities[%d]: unknown action area '%s'",
                                  (int)k, id);
            acv_priority *p = &out->priorities[out->n_priorities++];
            memset(p, 0, sizeof *p);
            p->action_area = (size_t)area;
            p->no_data = acv_convert_opt_bool(L, t, "no_data");
            acv_convert_opt_number(L, t, "priority", &p->priority, "scoring.area priorities");
            lua_getfield(L, t, "reasons");
            int rs = lua_gettop(L);
            if (lua_istable(L, rs)) {
                size_t used = 0;
                for (lua_Integer j = 1; used + 3 < sizeof p->reasons; j++) {
                    acv_lua_charge(L, 1);
                    if (lua_rawgeti(L, rs, j) == LUA_TNIL) {
                        lua_pop(L, 1);
                        break;
                    }
                    size_t len = 0;
                    const char *s = lua_tolstring(L, -1, &len);
                    if (s && used + len + 3 < sizeof p->reasons) {
                        if (used) {
                            memcpy(p->reasons + used, "; ", 2);
                            used += 2;
                        }
                        memcpy(p->reasons + used, s, len);
                        used += len;
                        p->reasons[used] = '\0';
                    }
                    lua_pop(L, 1);
                }
            }
            lua_pop(L, 2);
        }
    }
    lua_pop(L, 1);
    return 0;
}

acv_status acv_bridge_score_area(acv_lua *lua, const acv_framework *fw, const acv_area_input *in,
                                 acv_area_results *out, acv_error *err)
{
    /* ids as C arrays, so the protected function does no allocation of its own */
    const char *area_ids[512], *pillar_ids[64];
    if (fw->n_action_areas > 512 || fw->n_pillars > 64)
        return acv_error_set(err, ACV_ERR_INPUT, "too many action areas or pillars");
    for (size_t i = 0; i < fw->n_action_areas; i++)
        area_ids[i] = fw->action_areas[i].id;
    for (size_t i = 0; i < fw->n_pillars; i++)
        pillar_ids[i] = fw->pillars[i].id;
    area_args a = {lua, fw, in, out, area_ids, pillar_ids};
    acv_lua_reseed(lua);
    lua_State *L = acv_lua_state(lua);
    lua_pushcfunction(L, protected_area);
    lua_pushlightuserdata(L, &a);
    return acv_lua_pcall(lua, 1, 0, err);
}

/* ---- Lua validation rules ------------------------------------------------------------------ */

typedef struct {
    acv_lua *lua;
    const acv_framework *fw;
    const acv_area_input *in;
    const char *module;
    int (*fn)(void *ud, const char *indicator, const char *period, const char *message);
    void *ud;
} validate_args;

/* A string field of a violation, or NULL; numbers (a period written as 2023) are accepted. */
static const char *violation_field(lua_State *L, int t, const char *field, const char *module,
                                   lua_Integer k)
{
    int type = lua_getfield(L, t, field);
    if (type == LUA_TNIL)
        return NULL;
    if (type != LUA_TSTRING && type != LUA_TNUMBER)
        luaL_error(L, "scripts/%s.lua: check() result [%d]: '%s' must be a string, got %s", module,
                   (int)k, field, luaL_typename(L, -1));
    return lua_tostring(L, -1);
}

static int protected_validate(lua_State *L)
{
    validate_args *a = lua_touserdata(L, 1);
    const acv_framework *fw = a->fw;
    const acv_area_input *in = a->in;
    if (!lua_istable(L, 2))
        return luaL_error(L, "scripts/%s.lua must return a table with a function 'check'",
                          a->module);
    lua_getfield(L, 2, "check");
    if (!lua_isfunction(L, -1))
        return luaL_error(L, "scripts/%s.lua must provide a function 'check'", a->module);
    push_area_input(a->lua, fw, in, 4);
    lua_call(L, 1, 1);
    int r = lua_gettop(L);
    if (lua_isnil(L, r))
        return 0;
    if (!lua_istable(L, r))
        return luaL_error(L, "scripts/%s.lua: check() must return a list of violations, got %s",
                          a->module, luaL_typename(L, r));
    lua_Integer n = (lua_Integer)lua_rawlen(L, r);
    for (lua_Integer k = 1; k <= n; k++) {
        int base = lua_gettop(L);
        lua_rawgeti(L, r, k);
        int t = lua_gettop(L);
        if (!lua_istable(L, t))
            return luaL_error(L, "scripts/%s.lua: check() result [%d] must be a table", a->module,
                              (int)k);
        const char *message = violation_field(L, t, "message", a->module, k);
        if (!message)
            return luaL_error(L, "scripts/%s.lua: check() result [%d] has no 'message'", a->module,
                              (int)k);
        const char *indicator = violation_field(L, t, "indicator", a->module, k);
        const char *period = violation_field(L, t, "period", a->module, k);
        if (a->fn(a->ud, indicator, period, message))
            break;
        lua_settop(L, base);
    }
    return 0;
}

acv_status acv_bridge_validate(acv_lua *lua, const acv_framework *fw, const char *module,
                               const acv_area_input *in,
                               int (*fn)(void *ud, const char *indicator, const char *period,
                                         const char *message),
                               void *ud, acv_error *err)
{
    validate_args a = {lua, fw, in, module, fn, ud};
    acv_status st = acv_lua_require(lua, module, err);
    if (st != ACV_OK)
        return st;
    lua_State *L = acv_lua_state(lua);
    lua_pushcfunction(L, protected_validate);
    lua_insert(L, -2);
    lua_pushlightuserdata(L, &a);
    lua_insert(L, -2);
    return acv_lua_pcall(lua, 2, 0, err);
}
