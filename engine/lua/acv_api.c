/*
 * acv_api.c — the `acv` table (acv_api.h): its one registry and the functions behind it (those
 * that read the workspace are plugin_data.c's, reached through acv_api_set_workspace). Values
 * are converted by convert.c; memory the C side holds while Lua can raise belongs to an owner
 * (convert.h), so an error or a limit never leaks it.
 */
#include "acv_api.h"
#include "convert.h"
#include "csv.h"
#include "yamltree.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef ACV_VERSION
#define ACV_VERSION "0.0.0"
#endif

static const char REG_API = 'a';  /* the acv table */
static const char REG_HOST = 'h'; /* the host userdata, upvalue 1 of every function */

/* What the functions of one Lua state reach: the workspace and its functions while a plugin
 * runs, else NULL. */
typedef struct {
    void *workspace;
    const acv_api_workspace_fn *fns;
} api_host;

/* acv.NAME for a workspace entry (upvalue 2: its name): the function the workspace owner gave,
 * or an error naming it outside plugins. */
static int l_api_workspace(lua_State *L)
{
    api_host *h = lua_touserdata(L, lua_upvalueindex(1));
    const char *name = lua_tostring(L, lua_upvalueindex(2));
    for (const acv_api_workspace_fn *f = h && h->workspace ? h->fns : NULL; f && f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f->fn(L, h->workspace);
    return luaL_error(L,
                      "acv.%s: only plugins read the workspace (scoring scripts and validation "
                      "rules get their data as input)",
                      name);
}

/* ---- acv.parse_csv, acv.parse_yaml --------------------------------------------------------- */

/* The arguments of acv.parse_csv and acv.parse_yaml, (text, name): the text and its length, and
 * the name errors give (def when absent). */
static const char *parse_args(lua_State *L, const char *fname, const char *def, size_t *len,
                              const char **name)
{
    const char *text = acv_convert_check_string(L, 1, fname, len);
    *name = acv_convert_opt_string_arg(L, 2, fname);
    if (!*name)
        *name = def;
    return text;
}

/* What owners (convert.h) free: the reader, its stream and the YAML document. */
static void csv_close(void *p)
{
    acv_csv_close(p);
}

static void fp_close(void *p)
{
    fclose(p);
}

static void yt_free_any(void *p)
{
    yt_free(p);
}

/* acv.parse_csv(text, name): the engine's strict RFC 4180 reader; rows are arrays of strings
 * with a `line` field. Errors raise "name:line: message". */
static int l_api_parse_csv(lua_State *L)
{
    size_t len;
    const char *name;
    const char *text = parse_args(L, "parse_csv", "csv", &len, &name);
    FILE *fp = fmemopen((void *)text, len ? len : 1, "rb");
    if (!fp)
        return luaL_error(L, "cannot read %s", name);
    if (len == 0) {
        fclose(fp);
        lua_newtable(L);
        return 1;
    }
    /* the stream is closed by the reader's owner (below) or here */
    acv_csv *csv = NULL;
    acv_error err;
    if (acv_csv_open_stream(fp, name, &csv, &err) != ACV_OK) {
        fclose(fp);
        return luaL_error(L, "%s", err.message);
    }
    /* closing the reader does not close a stream it did not open: two owners, reader first */
    acv_owner *o2 = acv_convert_push_owner(L, fp, fp_close);
    acv_owner *o = acv_convert_push_owner(L, csv, csv_close);
    lua_newtable(L);
    int rows = lua_gettop(L);
    lua_Integer k = 0;
    int rc;
    while ((rc = acv_csv_next(csv, &err)) == 1) {
        size_t n = acv_csv_count(csv);
        lua_createtable(L, (int)n, 1);
        for (size_t i = 0; i < n; i++) {
            lua_pushlstring(L, acv_csv_field(csv, i), acv_csv_field_len(csv, i));
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        acv_convert_set_integer(L, "line", acv_csv_line(csv));
        lua_rawseti(L, rows, ++k);
    }
    if (rc < 0) {
        lua_pushstring(L, err.message);
        acv_convert_release(o);
        acv_convert_release(o2);
        return lua_error(L);
    }
    acv_convert_release(o);
    acv_convert_release(o2);
    lua_pushvalue(L, rows);
    return 1;
}

static void push_yaml(lua_State *L, const yt_node *n)
{
    luaL_checkstack(L, 4, "YAML nesting");
    if (!n) {
        lua_pushnil(L);
        return;
    }
    if (n->kind == YT_SCALAR) {
        lua_pushlstring(L, n->str, n->len);
        return;
    }
    lua_createtable(L, n->kind == YT_SEQ ? (int)n->count : 0,
                    n->kind == YT_MAP ? (int)n->count : 0);
    for (size_t i = 0; i < n->count; i++) {
        if (n->kind == YT_MAP) {
            lua_pushlstring(L, n->keys[i]->str, n->keys[i]->len);
            push_yaml(L, n->items[i]);
            lua_rawset(L, -3);
        } else {
            push_yaml(L, n->items[i]);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
    }
}

/* acv.parse_yaml(text, name): the engine's bounded YAML reader; scalars stay strings. */
static int l_api_parse_yaml(lua_State *L)
{
    size_t len;
    const char *name;
    const char *text = parse_args(L, "parse_yaml", "yaml", &len, &name);
    yt_doc *doc = NULL;
    acv_error err;
    if (yt_parse_buffer(text, len, name, &doc, &err) != ACV_OK)
        return luaL_error(L, "%s", err.message);
    acv_owner *o = acv_convert_push_owner(L, doc, yt_free_any);
    push_yaml(L, yt_root(doc));
    lua_remove(L, -2);
    acv_convert_release(o);
    return 1;
}

/* ---- fields ------------------------------------------------------------------------------- */

static void push_version(acv_lua *lua, const acv_framework *fw)
{
    (void)fw;
    lua_pushliteral(acv_lua_state(lua), ACV_VERSION);
}

static void push_api_version(acv_lua *lua, const acv_framework *fw)
{
    (void)fw;
    lua_pushinteger(acv_lua_state(lua), ACV_PLUGIN_API);
}

/* acv.framework() answers the table itself, so plugins written when it was a function still
 * run. */
static int framework_call(lua_State *L)
{
    lua_settop(L, 1);
    return 1;
}

static void push_framework(acv_lua *lua, const acv_framework *fw)
{
    lua_State *L = acv_lua_state(lua);
    acv_convert_push_framework(lua, fw);
    lua_getmetatable(L, -1);
    lua_pushcfunction(L, framework_call);
    lua_setfield(L, -2, "__call");
    lua_pop(L, 1);
}

/* ---- the registry ------------------------------------------------------------------------- */

typedef struct {
    acv_api_entry info;
    lua_CFunction fn;                                    /* a function's C side */
    void (*push)(acv_lua *lua, const acv_framework *fw); /* a field's value */
} api_reg;

static const api_reg API[] = {
    {{"version", ACV_API_FIELD, 0}, NULL, push_version},
    {{"api", ACV_API_FIELD, 0}, NULL, push_api_version},
    {{"framework", ACV_API_FIELD, 0}, NULL, push_framework},
    {{"areas", ACV_API_FUNCTION, 1}, l_api_workspace, NULL},
    {{"observations", ACV_API_FUNCTION, 1}, l_api_workspace, NULL},
    {{"results", ACV_API_FUNCTION, 1}, l_api_workspace, NULL},
    {{"parse_csv", ACV_API_FUNCTION, 0}, l_api_parse_csv, NULL},
    {{"parse_yaml", ACV_API_FUNCTION, 0}, l_api_parse_yaml, NULL},
};

const acv_api_entry *acv_api_entry_at(size_t i)
{
    return i < sizeof API / sizeof *API ? &API[i].info : NULL;
}

typedef struct {
    acv_lua *lua;
    const acv_framework *fw;
} install_args;

static int protected_install(lua_State *L)
{
    install_args *a = lua_touserdata(L, 1);
    api_host *h = lua_newuserdatauv(L, sizeof *h, 0);
    h->workspace = NULL;
    h->fns = NULL;
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &REG_HOST);
    int host = lua_gettop(L);
    lua_createtable(L, 0, (int)(sizeof API / sizeof *API));
    for (size_t i = 0; i < sizeof API / sizeof *API; i++) {
        if (API[i].fn) {
            lua_pushvalue(L, host);
            lua_pushstring(L, API[i].info.name);
            lua_pushcclosure(L, API[i].fn, 2);
        } else {
            API[i].push(a->lua, a->fw);
        }
        lua_setfield(L, -2, API[i].info.name);
    }
    acv_lua_make_readonly(a->lua);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &REG_API);
    return 1;
}

acv_status acv_api_install(acv_lua *lua, const acv_framework *fw, acv_error *err)
{
    lua_State *L = acv_lua_state(lua);
    install_args a = {lua, fw};
    lua_pushcfunction(L, protected_install);
    lua_pushlightuserdata(L, &a);
    acv_status st = acv_lua_pcall(lua, 1, 1, err);
    if (st != ACV_OK)
        return st;
    acv_lua_set_base(lua, "acv");
    return ACV_OK;
}

void acv_api_set_workspace(acv_lua *lua, void *workspace, const acv_api_workspace_fn *fns)
{
    lua_State *L = acv_lua_state(lua);
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &REG_HOST) == LUA_TUSERDATA) {
        api_host *h = lua_touserdata(L, -1);
        h->workspace = workspace;
        h->fns = workspace ? fns : NULL;
    }
    lua_pop(L, 1);
}

void acv_api_push(acv_lua *lua)
{
    lua_rawgetp(acv_lua_state(lua), LUA_REGISTRYINDEX, &REG_API);
}
