/*
 * plugin_data.c — the workspace behind acv.areas, acv.observations and acv.results
 * (plugin_data.h): what a plugin reads of the workspace while it runs. Values are converted as
 * convert.h converts; memory held while Lua can raise belongs to an owner (convert.h).
 */
#include "plugin_data.h"
#include "convert.h"
#include "report.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

/* A stored area: {code, name, level, parent, country, source, population, population_year}. */
static void push_area(lua_State *L, const acv_area *a)
{
    static const acv_field AREA[] = {
        ACV_FIELD("code", ACV_FIELD_TEXT, acv_area, code),
        ACV_FIELD("name", ACV_FIELD_TEXT, acv_area, name),
        ACV_FIELD("level", ACV_FIELD_TEXT, acv_area, level),
        ACV_FIELD("parent", ACV_FIELD_TEXT, acv_area, parent_code),
        ACV_FIELD("country", ACV_FIELD_TEXT, acv_area, country),
        ACV_FIELD("source", ACV_FIELD_TEXT, acv_area, source),
    };
    lua_createtable(L, 0, 8);
    acv_convert_set_fields(L, a, AREA, sizeof AREA / sizeof *AREA);
    if (a->has_population) {
        acv_convert_set_number(L, "population", a->population);
        acv_convert_set_integer(L, "population_year", a->population_year);
    }
}

/* One result; an empty table when the run did not have it. */
static void push_result(lua_State *L, const acv_vocabulary *vocab, const acv_result *r)
{
    lua_createtable(L, 0, 10);
    if (!r->code)
        return;
    if (r->has_value)
        acv_convert_set_number(L, "value", r->value);
    acv_convert_set_string(L, "period", r->period);
    if (r->has_score)
        acv_convert_set_number(L, "score", r->score);
    acv_convert_set_integer(L, "n_scored", r->n_scored);
    acv_convert_set_integer(L, "n_total", r->n_total);
    acv_convert_set_string(L, "note", r->note);
    acv_convert_set_string(L, "class", r->class_name);
    if (r->class_name) {
        acv_convert_set_string(L, "class_label", acv_vocab_label(vocab, r->class_name));
        acv_convert_set_string(L, "symbol", acv_vocab_symbol(vocab, r->class_name));
    }
    acv_convert_set_bool(L, "imputed", r->imputed);
    if (r->has_target_gap)
        acv_convert_set_number(L, "target_gap", r->target_gap);
}

/* {[id] = result} for n framework items, their ids given by id_of. */
static void push_results_by_id(lua_State *L, const acv_vocabulary *vocab, const acv_result *results,
                               size_t n, const char *(*id_of)(const acv_framework *, size_t),
                               const acv_framework *fw)
{
    lua_createtable(L, 0, (int)n);
    for (size_t i = 0; i < n; i++) {
        push_result(L, vocab, &results[i]);
        lua_setfield(L, -2, id_of(fw, i));
    }
}

static const char *pillar_id(const acv_framework *fw, size_t i)
{
    return fw->pillars[i].id;
}

static const char *action_area_id(const acv_framework *fw, size_t i)
{
    return fw->action_areas[i].id;
}

static const char *indicator_id(const acv_framework *fw, size_t i)
{
    return fw->indicators[i].id;
}

/* A report model as plain tables (docs/acv-api.lua, acv.Results). */
static void push_results(lua_State *L, const acv_report_model *m)
{
    const acv_framework *fw = m->fw;
    lua_createtable(L, 0, 12);
    static const acv_field AREA[] = {
        ACV_FIELD("code", ACV_FIELD_TEXT, acv_report_model, code),
        ACV_FIELD("name", ACV_FIELD_TEXT, acv_report_model, name),
        ACV_FIELD("level", ACV_FIELD_TEXT, acv_report_model, level),
        ACV_FIELD("country", ACV_FIELD_TEXT, acv_report_model, country),
    };
    /* the run's stamp (acv.Results.run in docs/acv-api.lua) */
    static const acv_field RUN[] = {
        ACV_FIELD("id", ACV_FIELD_INT64, acv_report_model, run_id),
        ACV_FIELD("year", ACV_FIELD_INT, acv_report_model, year),
        ACV_FIELD("created_at", ACV_FIELD_TEXT, acv_report_model, created_at),
        ACV_FIELD("engine_version", ACV_FIELD_TEXT, acv_report_model, engine_version),
        ACV_FIELD("framework_hash", ACV_FIELD_TEXT, acv_report_model, framework_hash),
        ACV_FIELD("data_hash", ACV_FIELD_TEXT, acv_report_model, data_hash),
        ACV_FIELD("methods_hash", ACV_FIELD_TEXT, acv_report_model, methods_hash),
        ACV_FIELD("overlay", ACV_FIELD_TEXT, acv_report_model, overlay),
    };
    lua_createtable(L, 0, 6);
    acv_convert_set_fields(L, m, AREA, sizeof AREA / sizeof *AREA);
    if (m->has_population)
        acv_convert_set_number(L, "population", m->population);
    lua_setfield(L, -2, "area");
    lua_createtable(L, 0, 8);
    acv_convert_set_fields(L, m, RUN, sizeof RUN / sizeof *RUN);
    lua_setfield(L, -2, "run");
    push_result(L, m->vocab, &m->overall);
    lua_setfield(L, -2, "overall");
    push_results_by_id(L, m->vocab, m->pillars, fw->n_pillars, pillar_id, fw);
    lua_setfield(L, -2, "pillars");
    push_results_by_id(L, m->vocab, m->action_areas, fw->n_action_areas, action_area_id, fw);
    lua_setfield(L, -2, "action_areas");
    push_results_by_id(L, m->vocab, m->indicators, fw->n_indicators, indicator_id, fw);
    lua_setfield(L, -2, "indicators");
    if (m->has_alignment) {
        push_result(L, m->vocab, &m->alignment_overall);
        lua_setfield(L, -2, "alignment");
    }
    lua_createtable(L, (int)m->n_priorities, 0);
    for (size_t i = 0; i < m->n_priorities; i++) {
        lua_createtable(L, 0, 4);
        acv_convert_set_string(L, "action_area", m->priorities[i].code);
        acv_convert_set_number(L, "priority", m->priorities[i].value);
        acv_convert_set_string(L, "reasons", m->priorities[i].note);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "priorities");
    acv_convert_push_strings(L, (const char *const *)m->changes, m->n_changes);
    lua_setfield(L, -2, "overlay_changes");
}

typedef struct {
    const char *code, *period, *disagg, *unit, *source, *comment, *name;
    double value;
} obs_item;

/* What one store walk collects: items in a malloc'd array, their text in the arena. The Lua
 * owner frees both, so a raise while the list is read leaks nothing. */
typedef struct {
    acv_arena arena;
    union {
        acv_area *areas;
        obs_item *obs;
    } items; /* one member is used per list; both name the same malloc'd block */
    size_t n, cap;
    int oom;
} collected;

static void collected_free(void *p)
{
    collected *l = p;
    acv_arena_free(&l->arena);
    free(l->items.areas);
    free(l);
}

/* A new empty list, owned by the Lua value pushed on the stack (*owner releases it). Raises when
 * out of memory. */
static collected *push_collected(lua_State *L, acv_owner **owner)
{
    collected *l = calloc(1, sizeof *l);
    if (!l)
        luaL_error(L, "out of memory");
    *owner = acv_convert_push_owner(L, l, collected_free);
    return l;
}

/* ---- acv.areas ---------------------------------------------------------------------------- */

static int collect_area(void *ud, const acv_area *a)
{
    collected *l = ud;
    if (ACV_GROW(l->items.areas, l->cap, l->n, 64) != 0) {
        l->oom = 1;
        return 1;
    }
    acv_area c = *a;
    c.code = acv_arena_strdup(&l->arena, a->code);
    c.name = acv_arena_strdup(&l->arena, a->name);
    c.level = acv_arena_strdup(&l->arena, a->level);
    c.parent_code = acv_arena_strdup(&l->arena, a->parent_code);
    c.country = acv_arena_strdup(&l->arena, a->country);
    c.source = acv_arena_strdup(&l->arena, a->source);
    l->items.areas[l->n++] = c;
    return 0;
}

/* acv.areas(): every area of the workspace. */
static int l_data_areas(lua_State *L, void *workspace)
{
    acv_ctx *ctx = workspace;
    acv_owner *o;
    collected *l = push_collected(L, &o);
    acv_error err;
    if (acv_store_each_area(ctx->store, collect_area, l, &err) != ACV_OK || l->oom)
        return luaL_error(L, "%s", l->oom ? "out of memory" : err.message);
    lua_createtable(L, (int)l->n, 0);
    for (size_t i = 0; i < l->n; i++) {
        push_area(L, &l->items.areas[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    acv_convert_release(o);
    return 1;
}

/* ---- acv.observations --------------------------------------------------------------------- */

static int collect_obs(void *ud, const acv_obs_record *r)
{
    collected *l = ud;
    if (ACV_GROW(l->items.obs, l->cap, l->n, 256) != 0) {
        l->oom = 1;
        return 1;
    }
    acv_arena *a = &l->arena;
    l->items.obs[l->n++] =
        (obs_item){acv_arena_strdup(a, r->indicator),      acv_arena_strdup(a, r->period),
                   acv_arena_strdup(a, r->disaggregation), acv_arena_strdup(a, r->unit),
                   acv_arena_strdup(a, r->source),         acv_arena_strdup(a, r->comment),
                   acv_arena_strdup(a, r->name),           r->value};
    return 0;
}

/* The stored disaggregation "age=15-24;sex=female" as {age = "15-24", sex = "female"}. */
static void push_disaggregation(lua_State *L, const char *key)
{
    lua_newtable(L);
    while (*key) {
        const char *end = strchr(key, ';');
        size_t len = end ? (size_t)(end - key) : strlen(key);
        const char *eq = memchr(key, '=', len);
        if (eq) {
            lua_pushlstring(L, key, (size_t)(eq - key));
            lua_pushlstring(L, eq + 1, len - (size_t)(eq - key) - 1);
            lua_rawset(L, -3);
        }
        key += len + (end ? 1 : 0);
    }
}

/* acv.observations{area = CODE, indicator = ID (optional), disaggregations = true (optional)}:
 * totals (and with disaggregations, every disaggregated value too), ordered by indicator,
 * disaggregation and period. Raises for an unknown area. */
static int l_data_observations(lua_State *L, void *workspace)
{
    acv_ctx *ctx = workspace;
    acv_convert_check_table(L, 1, "observations");
    const char *area = acv_convert_field_string_arg(L, 1, "area", 1, "observations");
    const char *indicator = acv_convert_field_string_arg(L, 1, "indicator", 0, "observations");
    lua_getfield(L, 1, "disaggregations");
    int with_disagg = lua_toboolean(L, -1);
    lua_pop(L, 1);
    acv_owner *o;
    collected *l = push_collected(L, &o);
    acv_area a;
    acv_error err;
    if (acv_store_get_area(ctx->store, area, &a, &err) != ACV_OK)
        return luaL_error(L, "%s", err.message);
    acv_obs_filter f = {.area_id = a.id, .indicator = indicator, .totals_only = !with_disagg};
    if (acv_store_each_observation(ctx->store, &f, collect_obs, l, &err) != ACV_OK || l->oom)
        return luaL_error(L, "%s", l->oom ? "out of memory" : err.message);
    lua_createtable(L, (int)l->n, 0);
    for (size_t i = 0; i < l->n; i++) {
        const obs_item *it = &l->items.obs[i];
        lua_createtable(L, 0, 9);
        acv_convert_set_string(L, "indicator", it->code);
        acv_convert_set_string(L, "name", it->name);
        acv_convert_set_string(L, "period", it->period);
        acv_convert_set_integer(L, "year", atoi(it->period));
        acv_convert_set_number(L, "value", it->value);
        if (it->unit && *it->unit)
            acv_convert_set_string(L, "unit", it->unit);
        acv_convert_set_string(L, "source", it->source);
        acv_convert_set_string(L, "comment", it->comment);
        if (it->disagg && *it->disagg) {
            push_disaggregation(L, it->disagg);
            lua_setfield(L, -2, "disaggregation");
        }
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    acv_convert_release(o);
    return 1;
}

/* ---- acv.results -------------------------------------------------------------------------- */

static void free_model(void *p)
{
    acv_report_model_free(p);
}

/* acv.results(area[, year]): the report model of the latest stored run, as plain tables. Raises
 * when there is none. */
static int l_data_results(lua_State *L, void *workspace)
{
    acv_ctx *ctx = workspace;
    const char *area = acv_convert_check_string(L, 1, "results", NULL);
    int year = (int)acv_convert_opt_integer(L, 2, "results", 0);
    acv_report_model *m = NULL;
    acv_error err;
    if (acv_report_model_load(ctx, area, year, &m, &err) != ACV_OK)
        return luaL_error(L, "%s", err.message);
    acv_owner *o = acv_convert_push_owner(L, m, free_model);
    push_results(L, m);
    acv_convert_release(o);
    return 1;
}

static const acv_api_workspace_fn FUNCTIONS[] = {
    {"areas", l_data_areas},
    {"observations", l_data_observations},
    {"results", l_data_results},
    {NULL, NULL},
};

const acv_api_workspace_fn *acv_plugin_data_functions(void)
{
    return FUNCTIONS;
}
