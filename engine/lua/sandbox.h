/*
 * sandbox.h — the Lua host: one Lua 5.4 state per engine context, built for untrusted scripts.
 *
 * Owns the lua_State, its capped allocator, the instruction/time hook and the allow-listed
 * environment. Scripts are read by the host (never by Lua), loaded as text only ("t" mode) with
 * chunk names that are their repository-relative paths, and each gets its own global table over a
 * read-only base in which reading an undeclared global is an error. There is no io, os beyond
 * clock/date/time/difftime, debug, package, load, dofile, loadfile, string.dump, collectgarbage,
 * coroutine or rawset. A limit that trips (instructions, wall time, memory) poisons the state: the
 * context refuses to run more Lua in it, because a script may have been stopped half-way.
 *
 * This header is for the C core and does not expose Lua types; the binding layer (the other
 * files of engine/lua) uses sandbox_lua.h for the lua_State.
 */
#ifndef ACV_SANDBOX_H
#define ACV_SANDBOX_H

#include "error.h"

#include <stddef.h>

typedef struct acv_lua acv_lua;

typedef struct {
    size_t memory_limit;         /* bytes; 0: 64 MiB */
    long long instruction_limit; /* VM instructions per call into Lua; 0: 200 million */
    double time_limit;           /* seconds of wall time per call into Lua; 0: 10 s */
} acv_lua_limits;

/* A folder that scripts are looked up in; display is how chunk names show it ("" for the
 * project, so chunks read "scripts/methods/normalise.lua"). Earlier roots win. */
typedef struct {
    const char *dir;
    const char *display;
} acv_script_root;

acv_status acv_lua_new(const acv_lua_limits *limits, const acv_script_root *roots, size_t n_roots,
                       acv_lua **out, acv_error *err);
void acv_lua_free(acv_lua *lua);

/* Runs a Lua source string as a chunk named `name` in a fresh environment (for tests and
 * `acvtrack` subcommands that evaluate user snippets). Results are discarded. */
acv_status acv_lua_run_string(acv_lua *lua, const char *source, const char *name, acv_error *err);

/* Runs the script at a root-relative path ("scripts/x.lua") in a fresh environment. */
acv_status acv_lua_run_file(acv_lua *lua, const char *relpath, acv_error *err);

/* Compiles the script at a file-system path, shown as `display`, without running it (`framework
 * check`): a syntax error is ACV_ERR_SCRIPT "DISPLAY:LINE: what Lua found". */
acv_status acv_lua_compile_path(acv_lua *lua, const char *path, const char *display,
                                acv_error *err);

/* SHA-256 over the names and contents of every script loaded so far, in load order. */
void acv_lua_scripts_hash(acv_lua *lua, char hex[65]);

/* Bytes the state holds now, and at most so far. */
size_t acv_lua_memory_in_use(const acv_lua *lua);
size_t acv_lua_memory_peak(const acv_lua *lua);

#endif
