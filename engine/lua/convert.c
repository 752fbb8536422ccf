/* convert.c — moving values between C and Lua; see convert.h. */
#include "convert.h"

#include <lauxlib.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

/* ---- C to Lua: fields ------------------------------------------------------------------- */

void acv_convert_set_string(lua_State *L, const char *key, const char *value)
{
    if (!value)
        return;
    lua_pushstring(L, value);
    lua_setfield(L, -2, key);
}

void acv_convert_set_number(lua_State *L, const char *key, double value)
{
    lua_pushnumber(L, value);
    lua_setfield(L, -2, key);
}

void acv_convert_set_integer(lua_State *L, const char *key, lua_Integer value)
{
    lua_pushinteger(L, value);
    lua_setfield(L, -2, key);
}

void acv_convert_set_bool(lua_State *L, const char *key, int value)
{
    lua_pushboolean(L, value);
    lua_setfield(L, -2, key);
}

void acv_convert_set_fields(lua_State *L, const void *record, const acv_field *fields, size_t n)
{
    const char *base = record;
    for (size_t i = 0; i < n; i++) {
        const char *at = base + fields[i].offset;
        switch (fields[i].type) {
        case ACV_FIELD_TEXT: {
            const char *text;
            memcpy(&text, at, sizeof text);
            acv_convert_set_string(L, fields[i].key, text);
            break;
        }
        case ACV_FIELD_CHARS:
            acv_convert_set_string(L, fields[i].key, at);
            break;
        case ACV_FIELD_DOUBLE: {
            double v;
            memcpy(&v, at, sizeof v);
            acv_convert_set_number(L, fields[i].key, v);
            break;
        }
        case ACV_FIELD_INT: {
            int v;
            memcpy(&v, at, sizeof v);
            acv_convert_set_integer(L, fields[i].key, v);
            break;
        }
        case ACV_FIELD_INT64: {
            int64_t v;
            memcpy(&v, at, sizeof v);
            acv_convert_set_integer(L, fields[i].key, (lua_Integer)v);
            break;
        }
        }
    }
}

/* ---- C to Lua: tables ------------------------------------------------------------------- */

void acv_convert_push_strings(lua_State *L, const char *const *items, size_t n)
{
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_pushstring(L, items[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

void acv_convert_push_series(lua_State *L, const acv_series *s)
{
    lua_createtable(L, (int)s->n, 0);
    static const acv_field POINT[] = {
        ACV_FIELD("period", ACV_FIELD_CHARS, acv_point, period),
        ACV_FIELD("year", ACV_FIELD_INT, acv_point, year),
        ACV_FIELD("value", ACV_FIELD_DOUBLE, acv_point, value),
    };
    for (size_t i = 0; i < s->n; i++) {
        lua_createtable(L, 0, 3);
        acv_convert_set_fields(L, &s->points[i], POINT, sizeof POINT / sizeof *POINT);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

/* Pushes indicator i's table with room for `fields` fields, and sets the facts both of its shapes
 * carry: id, name, unit, unit_code, direction, action_area, pillar, core, local, worst and best. */
static const acv_indicator *push_indicator_common(lua_State *L, const acv_framework *fw, size_t i,
                                                  int fields)
{
    const acv_indicator *ind = &fw->indicators[i];
    const acv_action_area *area = &fw->action_areas[ind->action_area];
    lua_createtable(L, 0, fields);
    acv_convert_set_string(L, "id", ind->id);
    acv_convert_set_string(L, "name", ind->name);
    acv_convert_set_string(L, "unit", ind->unit);
    acv_convert_set_string(L, "unit_code", ind->unit_code);
    acv_convert_set_string(L, "direction", acv_direction_name(ind->direction));
    acv_convert_set_string(L, "action_area", area->id);
    acv_convert_set_string(L, "pillar", fw->pillars[area->pillar].id);
    acv_convert_set_bool(L, "core", ind->core);
    acv_convert_set_bool(L, "local", ind->local);
    if (ind->has_bounds) {
        acv_convert_set_number(L, "worst", ind->worst);
        acv_convert_set_number(L, "best", ind->best);
    }
    return ind;
}

/* Sets t.targets, read-only: {[year] = {kind, value, baseline}} for scoring input (a target
 * without a kind says "none"), and with `described` also provenance, reference and text, as
 * acv.framework shows them (a kind only when the target has one). */
static void set_targets(acv_lua *lua, const acv_indicator *ind, int described)
{
    lua_State *L = acv_lua_state(lua);
    lua_createtable(L, 0, (int)ind->n_targets);
    for (size_t t = 0; t < ind->n_targets; t++) {
        const acv_target *tg = &ind->targets[t];
        lua_createtable(L, 0, described ? 6 : 4);
        acv_convert_set_string(L, "kind", (tg->kind || described) ? tg->kind : "none");
        if (tg->has_value)
            acv_convert_set_number(L, "value", tg->value);
        acv_convert_set_string(L, "baseline", tg->baseline);
        if (described) {
            char desc[160];
            acv_target_describe(ind, tg, desc, sizeof desc);
            acv_convert_set_string(L, "provenance", tg->provenance);
            acv_convert_set_string(L, "reference", tg->reference);
            acv_convert_set_string(L, "text", desc);
        }
        acv_lua_make_readonly(lua);
        lua_rawseti(L, -2, tg->year);
    }
    acv_lua_make_readonly(lua);
    lua_setfield(L, -2, "targets");
}

static void push_framework_indicator(acv_lua *lua, const acv_framework *fw, size_t i)
{
    lua_State *L = acv_lua_state(lua);
    const acv_indicator *ind = push_indicator_common(L, fw, i, 16);
    acv_convert_set_string(L, "short_name", ind->short_name);
    acv_convert_set_string(L, "definition", ind->definition);
    acv_convert_push_strings(L, (const char *const *)ind->sdg, ind->n_sdg);
    acv_lua_make_readonly(lua);
    lua_setfield(L, -2, "sdg");
    acv_convert_set_string(L, "sdg_relation", ind->sdg_relation);
    set_targets(lua, ind, 1);
    acv_lua_make_readonly(lua);
}

void acv_convert_push_framework(acv_lua *lua, const acv_framework *fw)
{
    lua_State *L = acv_lua_state(lua);
    lua_createtable(L, 0, 8);
    acv_convert_set_string(L, "id", fw->id ? fw->id : "");
    acv_convert_set_string(L, "name", fw->name);
    acv_convert_set_string(L, "version", fw->version ? fw->version : "");
    acv_convert_set_string(L, "hash", fw->hash);
    acv_convert_set_string(L, "overlay", fw->overlay_name);
    lua_createtable(L, (int)fw->n_pillars, 0);
    for (size_t p = 0; p < fw->n_pillars; p++) {
        lua_createtable(L, 0, 2);
        acv_convert_set_string(L, "id", fw->pillars[p].id);
        acv_convert_set_string(L, "name", fw->pillars[p].name);
        acv_lua_make_readonly(lua);
        lua_rawseti(L, -2, (lua_Integer)p + 1);
    }
    acv_lua_make_readonly(lua);
    lua_setfield(L, -2, "pillars");
    lua_createtable(L, (int)fw->n_action_areas, 0);
    for (size_t a = 0; a < fw->n_action_areas; a++) {
        lua_createtable(L, 0, 3);
        acv_convert_set_string(L, "id", fw->action_areas[a].id);
        acv_convert_set_string(L, "name", fw->action_areas[a].name);
        acv_convert_set_string(L, "pillar", fw->pillars[fw->action_areas[a].pillar].id);
        acv_lua_make_readonly(lua);
        lua_rawseti(L, -2, (lua_Integer)a + 1);
    }
    acv_lua_make_readonly(lua);
    lua_setfield(L, -2, "action_areas");
    lua_createtable(L, (int)fw->n_indicators, 0);
    for (size_t i = 0; i < fw->n_indicators; i++) {
        push_framework_indicator(lua, fw, i);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    acv_lua_make_readonly(lua);
    lua_setfield(L, -2, "indicators");
    acv_lua_make_readonly(lua);
}

/* The name of data element id, or NULL (no id, an unknown one, or one without a name). */
static const char *data_element_name(const acv_framework *fw, const char *id)
{
    for (size_t k = 0; id && k < fw->n_data_elements; k++)
        if (strcmp(fw->data_elements[k].id, id) == 0)
            return fw->data_elements[k].name;
    return NULL;
}

void acv_convert_push_indicator_facts(acv_lua *lua, const acv_framework *fw, size_t i)
{
    lua_State *L = acv_lua_state(lua);
    const acv_indicator *ind = push_indicator_common(L, fw, i, 23);
    /* what the collect-first list orders by (scripts/methods/collect.lua) */
    acv_convert_set_string(L, "data_source", ind->data_source);
    if (ind->smoothing_years)
        acv_convert_set_integer(L, "smoothing_years", ind->smoothing_years);
    acv_convert_set_string(L, "transform", ind->transform);
    acv_convert_set_string(L, "method", ind->method);
    acv_convert_set_number(L, "weight", ind->weight);
    acv_convert_set_string(L, "not_applicable", ind->not_applicable);
    acv_convert_set_bool(L, "changed", ind->changed != 0);
    set_targets(lua, ind, 0);
    if (ind->has_formula) {
        lua_createtable(L, 0, 5);
        acv_convert_set_string(L, "numerator", ind->numerator);
        acv_convert_set_string(L, "denominator", ind->denominator);
        acv_convert_set_number(L, "factor", ind->factor);
        /* notes name a missing data element by what an officer knows it as */
        acv_convert_set_string(L, "numerator_name", data_element_name(fw, ind->numerator));
        acv_convert_set_string(L, "denominator_name", data_element_name(fw, ind->denominator));
        acv_lua_make_readonly(lua);
        lua_setfield(L, -2, "formula");
    }
}

/* ---- Lua to C: fields ------------------------------------------------------------------- */

int acv_convert_opt_number(lua_State *L, int t, const char *field, double *out, const char *what)
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

void acv_convert_opt_string(lua_State *L, int t, const char *field, char *out, size_t size,
                            const char *what)
{
    int type = lua_getfield(L, t, field);
    if (type == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    if (type != LUA_TSTRING && type != LUA_TNUMBER)
        luaL_error(L, "%s: field '%s' must be a string, got %s", what, field, luaL_typename(L, -1));
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    if (len >= size)
        len = size - 1;
    memcpy(out, s, len);
    out[len] = '\0';
    lua_pop(L, 1);
}

int acv_convert_opt_bool(lua_State *L, int t, const char *field)
{
    lua_getfield(L, t, field);
    int v = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return v;
}

const char *acv_convert_field_text(lua_State *L, int t, const char *key, int required,
                                   const char *what)
{
    int type = lua_getfield(L, t, key);
    if (type == LUA_TNIL) {
        if (required)
            luaL_error(L, "%s: missing field '%s'", what, key);
        return NULL;
    }
    if (type != LUA_TSTRING && type != LUA_TNUMBER)
        luaL_error(L, "%s: field '%s' must be a string or number", what, key);
    if (type == LUA_TNUMBER && !lua_isinteger(L, -1)) {
        /* a float keeps every digit: lua_tostring would round it to 14 */
        double d = lua_tonumber(L, -1);
        if (!isfinite(d))
            luaL_error(L, "%s: field '%s' is not a finite number", what, key);
        char buf[64];
        snprintf(buf, sizeof buf, "%.17g", d);
        lua_pop(L, 1);
        return lua_pushstring(L, buf);
    }
    return lua_tostring(L, -1);
}

/* ---- Lua to C: arguments ---------------------------------------------------------------- */

int acv_convert_arg_error(lua_State *L, int arg, const char *fname, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *msg = lua_pushvfstring(L, fmt, ap);
    va_end(ap);
    return luaL_error(L, "bad argument #%d to '%s' (%s)", arg, fname, msg);
}

static const char *type_name_at(lua_State *L, int arg)
{
    return lua_isnone(L, arg) ? "no value" : luaL_typename(L, arg);
}

void acv_convert_check_table(lua_State *L, int arg, const char *fname)
{
    if (!lua_istable(L, arg))
        acv_convert_arg_error(L, arg, fname, "table expected, got %s", type_name_at(L, arg));
}

const char *acv_convert_check_string(lua_State *L, int arg, const char *fname, size_t *len)
{
    int type = lua_type(L, arg);
    if (type != LUA_TSTRING && type != LUA_TNUMBER)
        acv_convert_arg_error(L, arg, fname, "string expected, got %s", type_name_at(L, arg));
    return lua_tolstring(L, arg, len);
}

const char *acv_convert_opt_string_arg(lua_State *L, int arg, const char *fname)
{
    if (lua_isnoneornil(L, arg))
        return NULL;
    return acv_convert_check_string(L, arg, fname, NULL);
}

lua_Integer acv_convert_opt_integer(lua_State *L, int arg, const char *fname, lua_Integer def)
{
    if (lua_isnoneornil(L, arg))
        return def;
    int isnum = 0;
    lua_Integer v = lua_tointegerx(L, arg, &isnum);
    if (!isnum) {
        if (lua_type(L, arg) == LUA_TNUMBER)
            acv_convert_arg_error(L, arg, fname, "number has no integer representation");
        acv_convert_arg_error(L, arg, fname, "number expected, got %s", type_name_at(L, arg));
    }
    return v;
}

const char *acv_convert_field_string_arg(lua_State *L, int arg, const char *field, int required,
                                         const char *fname)
{
    int type = lua_getfield(L, arg, field);
    if (type == LUA_TSTRING || type == LUA_TNUMBER)
        return lua_tostring(L, -1);
    if (type == LUA_TNIL && !required)
        return NULL;
    acv_convert_arg_error(L, arg, fname, "field '%s': string expected, got %s", field,
                          luaL_typename(L, -1));
    return NULL;
}

/* ---- owners ----------------------------------------------------------------------------- */

struct acv_owner {
    void *ptr;
    void (*free_fn)(void *);
};

static int owner_gc(lua_State *L)
{
    acv_owner *o = luaL_checkudata(L, 1, "acv.Owner");
    acv_convert_release(o);
    return 0;
}

acv_owner *acv_convert_push_owner(lua_State *L, void *ptr, void (*free_fn)(void *))
{
    acv_owner *o = lua_newuserdatauv(L, sizeof *o, 0);
    o->ptr = NULL;
    o->free_fn = free_fn;
    if (luaL_newmetatable(L, "acv.Owner")) {
        lua_pushcfunction(L, owner_gc);
        lua_setfield(L, -2, "__gc");
        lua_pushliteral(L, "locked");
        lua_setfield(L, -2, "__metatable");
    }
    lua_setmetatable(L, -2);
    o->ptr = ptr;
    return o;
}

void acv_convert_release(acv_owner *o)
{
    if (o->ptr && o->free_fn)
        o->free_fn(o->ptr);
    o->ptr = NULL;
}
