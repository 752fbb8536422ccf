/*
 * acv_api.h — the `acv` table: the one Lua API that scoring scripts, validation rules and plugins
 * see, defined by one registry in acv_api.c. docs/acv-api.lua documents it (a test checks that
 * every registry name has a stub there and every stub a registry entry); docs/scripting.md and
 * docs/plugins.md say what each host uses it for.
 *
 * Every Lua state of a context gets the same table, as the read-only global `acv` (plugins get it
 * again as ctx.acv). Every name is there in every host, with the same shape. Functions that read
 * the workspace (acv.areas, acv.observations, acv.results) work while a plugin runs, the only
 * time the engine opens the workspace to Lua (acv_api_set_workspace); elsewhere they raise
 * "acv.NAME: only plugins read the workspace ...", because scoring scripts and validation rules
 * get their data as input and must not depend on anything else.
 *
 * This header has no Lua types, so tests can read the registry.
 */
#ifndef ACV_API_H
#define ACV_API_H

#include "error.h"
#include "framework.h"
#include "sandbox.h"

typedef enum {
    ACV_API_FUNCTION, /* acv.name(...) */
    ACV_API_FIELD     /* acv.name, a value */
} acv_api_kind;

typedef struct {
    const char *name;
    acv_api_kind kind;
    int workspace; /* 1: reads the workspace, so it works in plugins only */
} acv_api_entry;

/* Entry i of the registry, in registration order; NULL past the last. */
const acv_api_entry *acv_api_entry_at(size_t i);

/* Builds the `acv` table for fw from the registry and installs it in the sandbox's base
 * environment as the global `acv`. Call once per Lua state, before any script runs. */
acv_status acv_api_install(acv_lua *lua, const acv_framework *fw, acv_error *err);

/* The version of the plugin contract (a plugin declares `api = 1`); also acv.api. */
#define ACV_PLUGIN_API 1

struct lua_State;

/* The C side of a workspace entry, given by the layer that owns the workspace (plugin_data.h):
 * called as the Lua function acv.NAME with the workspace handed to acv_api_set_workspace. The
 * list ends with a NULL name. */
typedef struct {
    const char *name;
    int (*fn)(struct lua_State *L, void *workspace);
} acv_api_workspace_fn;

/* Opens a workspace to the workspace entries of this state (fns: their C side), or closes it
 * (workspace NULL). The plugin host opens it for the duration of one plugin call; the API itself
 * never reads the workspace, so it sits below everything that does. */
void acv_api_set_workspace(acv_lua *lua, void *workspace, const acv_api_workspace_fn *fns);

/* Pushes the installed `acv` table (nil before acv_api_install). Never raises. */
void acv_api_push(acv_lua *lua);

#endif
