/*
 * sandbox_lua.h — the sandbox seen from the binding layer (engine/lua: luabridge.c, acv_api.c,
 * convert.c, the plugin host and sink): the lua_State and the one protected-call path into Lua.
 * The C core never includes this header.
 */
#ifndef ACV_SANDBOX_LUA_H
#define ACV_SANDBOX_LUA_H

#include "sandbox.h"

#include <lua.h>

#if !defined(LUA_VERSION_NUM) || LUA_VERSION_NUM != 504
#error "acvtrack needs Lua 5.4 (liblua5.4-dev); this lua.h is another version"
#endif

lua_State *acv_lua_state(acv_lua *lua);

/*
 * Calls the function below nargs arguments on the stack, like lua_pcall, with fresh limits and a
 * message handler that adds a traceback. On failure the stack is restored to below the function
 * and err says what went wrong with the script's file:line. Never call user code another way.
 */
acv_status acv_lua_pcall(acv_lua *lua, int nargs, int nresults, acv_error *err);

/*
 * Counts `steps` of work a C function is about to do for a script (elements it moves, matches it
 * may try) against the instruction limit of the call running now, and checks the time limit;
 * raises the limit's error (and poisons the state) when one is reached. The hook cannot run
 * inside a C function, so every C loop over a script's data charges its length here first, or
 * checks with 0 steps as it goes. Outside a call into Lua it does nothing.
 */
void acv_lua_charge(lua_State *L, long long steps);

/* Defined only in the test binary acvtrack-test-hooks (tests/e2e/lib/test_hooks.c), never in
 * acvtrack: adds to the base table on top of the stack what a test needs that no script may have
 * (a C function that never returns, for the watchdog). */
void acv_lua_test_hooks(lua_State *L) __attribute__((weak));

/* Pushes the module `name` (as `require(name)` would inside a script), loading it when needed. */
acv_status acv_lua_require(acv_lua *lua, const char *name, acv_error *err);

/* Loads and runs the script at a file-system path (a plugin), shown as `display` in chunk names
 * and errors, in a fresh environment; pushes what it returns. */
acv_status acv_lua_load_path(acv_lua *lua, const char *path, const char *display, acv_error *err);

/* Pops the value on top of the stack into the read-only base environment as `name` (for the
 * binding layer's `acv` API). Call only between protected calls. */
void acv_lua_set_base(acv_lua *lua, const char *name);

/* Replaces the table on top of the stack with a read-only proxy of it; #, ipairs and pairs on the
 * proxy see the table's contents. */
void acv_lua_make_readonly(acv_lua *lua);

/* Restarts math.random from the fixed seed: each scoring call starts from the same sequence,
 * whatever ran before it in this state (or on another thread). */
void acv_lua_reseed(acv_lua *lua);

#endif
