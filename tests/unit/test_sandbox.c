/*
 * test_sandbox.c — the Lua host at its boundary: error locations, the allow-listed environment,
 * the instruction/time/memory limits and poisoning, read-only libraries, require, and print.
 * Every case checks the exact message a script author would see.
 */
#include "testutil.h"

#include "sandbox_lua.h"
#include "util.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MIB (1024u * 1024u)

/* A temp project folder with scripts/ in it; returns the folder. */
static const char *project(const char *tag)
{
    const char *dir = acv_test_tmpdir(tag);
    assert_non_null(dir);
    free(acv_test_write(dir, "scripts/.keep", ""));
    return dir;
}

static acv_lua *new_lua(const char *dir, size_t memory, long long instructions, double seconds)
{
    acv_script_root root = {dir, ""};
    acv_lua_limits limits = {memory, instructions, seconds};
    acv_lua *lua = NULL;
    acv_error err;
    acv_error_clear(&err);
    acv_status st = acv_lua_new(&limits, &root, 1, &lua, &err);
    if (st != ACV_OK)
        fprintf(stderr, "acv_lua_new: %s\n", err.message);
    assert_int_equal(st, ACV_OK);
    assert_non_null(lua);
    return lua;
}

static void run_ok(acv_lua *lua, const char *source)
{
    acv_error err;
    acv_error_clear(&err);
    acv_status st = acv_lua_run_string(lua, source, "snippet", &err);
    if (st != ACV_OK)
        fprintf(stderr, "unexpected failure of [%s]: %s\n", source, err.message);
    assert_int_equal(st, ACV_OK);
    assert_string_equal(err.message, "");
}

/* Runs source and checks that it fails with a message starting with want, followed by the
 * traceback the message handler adds. */
static void run_fails(acv_lua *lua, const char *source, const char *want)
{
    acv_error err;
    acv_error_clear(&err);
    acv_status st = acv_lua_run_string(lua, source, "snippet", &err);
    if (st == ACV_OK || strncmp(err.message, want, strlen(want)) != 0)
        fprintf(stderr, "[%s]\n  wanted: %s\n  got (%d): %s\n", source, want, (int)st, err.message);
    assert_int_equal(st, ACV_ERR_SCRIPT);
    assert_true(strncmp(err.message, want, strlen(want)) == 0);
    assert_true(strncmp(err.message + strlen(want), "\nstack traceback:\n", 18) == 0);
}

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void test_runtime_error_names_file_and_line(void **state)
{
    (void)state;
    const char *dir = project("sandbox");
    free(acv_test_write(dir, "scripts/x.lua",
                        "local t = {}\n"
                        "\n"
                        "local function f()\n"
                        "  return t.missing.field\n"
                        "end\n"
                        "local v = f()\n"
                        "return v\n"));
    free(acv_test_write(dir, "scripts/y.lua", "local a = 1\n\nerror('boom at three')\n"));
    acv_lua *lua = new_lua(dir, 0, 0, 0);
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_lua_run_file(lua, "scripts/x.lua", &err), ACV_ERR_SCRIPT);
    const char *want = "scripts/x.lua:4: attempt to index a nil value (field 'missing')\n"
                       "stack traceback:\n";
    assert_true(strncmp(err.message, want, strlen(want)) == 0);
    assert_non_null(strstr(err.message, "scripts/x.lua:6: in main chunk"));

    acv_error_clear(&err);
    assert_int_equal(acv_lua_run_file(lua, "scripts/y.lua", &err), ACV_ERR_SCRIPT);
    want = "scripts/y.lua:3: boom at three\nstack traceback:\n";
    assert_true(strncmp(err.message, want, strlen(want)) == 0);

    /* a non-string error object is described, not lost */
    run_fails(lua, "error({})", "(error object is a table value)");
    acv_lua_free(lua);
}

static void test_syntax_error_names_file_and_line(void **state)
{
    (void)state;
    const char *dir = project("sandbox");
    free(acv_test_write(dir, "scripts/bad.lua", "local x = 1\nlocal = 2\n"));
    acv_lua *lua = new_lua(dir, 0, 0, 0);
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_lua_run_file(lua, "scripts/bad.lua", &err), ACV_ERR_SCRIPT);
    assert_string_equal(err.message, "scripts/bad.lua:2: <name> expected near '='");
    acv_lua_free(lua);
}

static void test_missing_and_oversized_scripts(void **state)
{
    (void)state;
    const char *dir = project("sandbox");
    char *big = malloc(MIB + 2);
    memset(big, '-', MIB + 1);
    big[MIB + 1] = '\0';
    free(acv_test_write(dir, "scripts/big.lua", big));
    free(big);
    acv_lua *lua = new_lua(dir, 0, 0, 0);
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_lua_run_file(lua, "scripts/missing.lua", &err), ACV_ERR_IO);
    assert_string_equal(err.message, "scripts/missing.lua: script not found");
    acv_error_clear(&err);
    assert_int_equal(acv_lua_run_file(lua, "scripts/big.lua", &err), ACV_ERR_INPUT);
    assert_string_equal(err.message, "scripts/big.lua: script is larger than 1 MiB");
    run_fails(lua, "require('big')",
              "snippet:1: module 'big' (scripts/big.lua) is larger than 1048576 bytes");
    acv_lua_free(lua);
}

/* Reading a global that exists nowhere is an error at the line that reads it. */
static void test_dangerous_globals_are_undeclared(void **state)
{
    (void)state;
    static const char *const names[] = {
        "io",     "package",        "debug",     "dofile", "loadfile",
        "load",   "collectgarbage", "coroutine", "rawset", "loadstring",
        "module", "setfenv",        "newproxy",  "arg",    NULL};
    acv_lua *lua = new_lua(project("sandbox"), 0, 0, 0);
    for (const char *const *n = names; *n; n++) {
        char src[128], want[128];
        snprintf(src, sizeof src, "local x = 1\nlocal y = %s\n", *n);
        snprintf(want, sizeof want, "snippet:2: undeclared global '%s'", *n);
        run_fails(lua, src, want);
    }
    /* inside a function the error points at the reading line, not at the caller */
    run_fails(lua, "local function f()\n  return io.open('x')\nend\n\nf()\n",
              "snippet:2: undeclared global 'io'");
    /* what the documentation promises is there */
    run_ok(lua, "assert(type(pcall) == 'function') assert(type(xpcall) == 'function')\n"
                "assert(type(setmetatable) == 'function') assert(_VERSION == 'Lua 5.4')\n"
                "assert(type(utf8.char) == 'function') assert(math.pi > 3.14)\n"
                "assert(table.concat({1, 2}, ',') == '1,2')\n");
    acv_lua_free(lua);
}

static void test_os_has_only_time_functions(void **state)
{
    (void)state;
    acv_lua *lua = new_lua(project("sandbox"), 0, 0, 0);
    run_fails(lua, "os.execute('touch pwned')",
              "snippet:1: attempt to call a nil value (field 'execute')");
    run_fails(lua, "return os.getenv('HOME')",
              "snippet:1: attempt to call a nil value (field 'getenv')");
    run_fails(lua, "os.remove('x')", "snippet:1: attempt to call a nil value (field 'remove')");
    run_fails(lua, "os.exit(3)", "snippet:1: attempt to call a nil value (field 'exit')");
    run_ok(lua, "local n = 0 for k, v in pairs(os) do n = n + 1 end assert(n == 4, n)\n"
                "assert(type(os.time()) == 'number') assert(type(os.clock()) == 'number')\n"
                "assert(os.date('!%Y', 0) == '1970') assert(os.difftime(5, 2) == 3)\n");
    assert_int_equal(access("pwned", F_OK), -1);
    acv_lua_free(lua);
}

static void test_require_loads_only_scripts_modules(void **state)
{
    (void)state;
    acv_lua *lua = new_lua(project("sandbox"), 0, 0, 0);
    run_fails(lua, "require('os')", "snippet:1: module 'os' not found (looked for scripts/os.lua)");
    run_fails(lua, "local x = require('io')",
              "snippet:1: module 'io' not found (looked for scripts/io.lua)");
    run_fails(lua, "require('methods.none')",
              "snippet:1: module 'methods.none' not found (looked for scripts/methods/none.lua)");
    run_fails(lua, "require('../etc/passwd')",
              "snippet:1: bad module name '../etc/passwd' (use names like 'methods.normalise')");
    run_fails(lua, "require('a..b')",
              "snippet:1: bad module name 'a..b' (use names like 'methods.normalise')");
    run_fails(lua, "require('.hidden')",
              "snippet:1: bad module name '.hidden' (use names like 'methods.normalise')");
    run_fails(lua, "require('/tmp/x')",
              "snippet:1: bad module name '/tmp/x' (use names like 'methods.normalise')");
    acv_lua_free(lua);
}

static void test_string_dump_is_unavailable(void **state)
{
    (void)state;
    acv_lua *lua = new_lua(project("sandbox"), 0, 0, 0);
    run_fails(lua, "return string.dump(print)",
              "snippet:1: attempt to call a nil value (field 'dump')");
    run_fails(lua, "return ('x'):dump()", "snippet:1: attempt to call a nil value (method 'dump')");
    /* the library lists exactly the documented functions, and iterating it hands out no table */
    run_ok(lua, "local n = 0\n"
                "for k, v in pairs(string) do\n"
                "  n = n + 1 assert(k ~= 'dump') assert(type(v) == 'function', k)\n"
                "end\n"
                "assert(n == 16, n) assert(next(string) == nil)\n");
    acv_lua_free(lua);
}

static int collect_dump(lua_State *L, const void *p, size_t sz, void *ud)
{
    (void)L;
    acv_buf *b = ud;
    acv_buf_append(b, p, sz);
    return 0;
}

static void write_binary(const char *dir, const char *name, const char *data, size_t len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void test_bytecode_is_refused(void **state)
{
    (void)state;
    /* bytecode made by a plain, unsandboxed state */
    lua_State *plain = luaL_newstate();
    assert_non_null(plain);
    assert_int_equal(luaL_loadstring(plain, "return 42"), LUA_OK);
    acv_buf code = {0};
    assert_int_equal(lua_dump(plain, collect_dump, &code, 0), 0);
    lua_close(plain);
    assert_false(code.failed);
    assert_true(code.len > 4);
    assert_memory_equal(code.data, "\x1bLua", 4);

    const char *dir = project("sandbox");
    write_binary(dir, "scripts/bin.lua", code.data, code.len);
    acv_buf_free(&code);
    acv_lua *lua = new_lua(dir, 0, 0, 0);
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_lua_run_file(lua, "scripts/bin.lua", &err), ACV_ERR_SCRIPT);
    assert_string_equal(err.message, "attempt to load a binary chunk (mode is 't')");
    /* nor through require */
    run_fails(lua, "require('bin')", "attempt to load a binary chunk (mode is 't')");
    acv_lua_free(lua);
}

static void test_instruction_limit_stops_a_loop(void **state)
{
    (void)state;
    acv_lua *lua = new_lua(project("sandbox"), 0, 1000000, 0);
    run_fails(lua, "local x = 0\nwhile true do x = x + 1 end\n",
              "snippet:2: script stopped: instruction limit of 1000000 reached");
    /* the state is poisoned: nothing runs any more, not even a harmless line */
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_lua_run_string(lua, "local y = 1", "snippet", &err), ACV_ERR_SCRIPT);
    assert_string_equal(err.message, "a script was stopped by a limit earlier; no more scripts "
                                     "run in this command");
    acv_lua_free(lua);
}

static void test_pcall_cannot_swallow_the_instruction_limit(void **state)
{
    (void)state;
    acv_lua *lua = new_lua(project("sandbox"), 0, 1000000, 0);
    run_fails(lua, "while true do pcall(function() while true do end end) end",
              "snippet:1: script stopped: instruction limit of 1000000 reached");
    acv_lua_free(lua);

    /* nor an error handler that loops itself (it used to run with hooks off, forever: the
     * alarm turns a regression into a failure instead of a hang) */
    alarm(20);
    lua = new_lua(project("sandbox"), 0, 1000000, 0);
    run_fails(lua,
              "local ok = xpcall(function() while true do end end,\n"
              "                  function() while true do end end)\n"
              "return ok\n",
              "snippet:3: script stopped: instruction limit of 1000000 reached");
    alarm(0);
    acv_lua_free(lua);
}

/* xpcall still works as documented for ordinary errors. */
static void test_xpcall_handles_ordinary_errors(void **state)
{
    (void)state;
    acv_lua *lua = new_lua(project("sandbox"), 0, 1000000, 0);
    run_ok(lua, "local ok, e = xpcall(function() error('x') end,\n"
                "                     function(m) return 'handled: ' .. m end)\n"
                "assert(ok == false and e == 'handled: snippet:1: x', e)\n"
                "local ok2, sum = xpcall(function(a, b) return a + b end, print, 2, 3)\n"
                "assert(ok2 == true and sum == 5)\n");
    run_fails(lua, "xpcall(print)",
              "snippet:1: bad argument #2 to 'xpcall' (function expected, got no value)");
    acv_lua_free(lua);
}

static void test_time_limit_stops_a_loop(void **state)
{
    (void)state;
    acv_lua *lua = new_lua(project("sandbox"), 0, 1000000000000000LL, 0.2);
    double t0 = now_seconds();
    run_fails(lua, "while true do end", "snippet:1: script stopped: time limit of 0.2 s reached");
    double took = now_seconds() - t0;
    assert_true(took >= 0.2);
    assert_true(took < 2.0);
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_lua_run_string(lua, "return 1", "snippet", &err), ACV_ERR_SCRIPT);
    assert_string_equal(err.message, "a script was stopped by a limit earlier; no more scripts "
                                     "run in this command");
    acv_lua_free(lua);
}

static void check_memory_bomb(const char *source)
{
    acv_lua *lua = new_lua(project("sandbox"), 16 * MIB, 0, 0);
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_lua_run_string(lua, source, "snippet", &err), ACV_ERR_SCRIPT);
    /* "snippet:1: " first when the limit hook saw the script running before the allocation
     * failed (a memory error unwinds without a traceback) */
    const char *tail = "script stopped: memory limit of 16 MiB reached";
    size_t n = strlen(err.message), k = strlen(tail);
    assert_true(n >= k);
    assert_string_equal(err.message + n - k, tail);
    assert_true(n == k || (n == k + 11 && strncmp(err.message, "snippet:1: ", 11) == 0));
    assert_true(acv_lua_memory_peak(lua) <= 16 * MIB);
    assert_true(acv_lua_memory_peak(lua) > 4 * MIB);
    assert_true(acv_lua_memory_in_use(lua) <= acv_lua_memory_peak(lua));
    acv_error_clear(&err);
    assert_int_equal(acv_lua_run_string(lua, "return 1", "snippet", &err), ACV_ERR_SCRIPT);
    assert_string_equal(err.message, "a script was stopped by a limit earlier; no more scripts "
                                     "run in this command");
    acv_lua_free(lua);
}

static void test_memory_limit_stops_a_growing_table(void **state)
{
    (void)state;
    check_memory_bomb("local t = {} for i = 1, 1e8 do t[i] = i end");
}

static void test_memory_limit_stops_string_doubling(void **state)
{
    (void)state;
    check_memory_bomb("local s = 'x' while true do s = s .. s end");
}

/* A memory error that the script catches still counts and still poisons the state: the script is
 * stopped at the first instruction after the pcall (line 4, before error('after') runs). */
static void test_memory_limit_caught_by_pcall_still_reported(void **state)
{
    (void)state;
    acv_lua *lua = new_lua(project("sandbox"), 16 * MIB, 0, 0);
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_lua_run_string(lua,
                                        "local ok, e = pcall(function()\n"
                                        "  local s = 'x' while true do s = s .. s end\n"
                                        "end)\n"
                                        "error('after: ' .. tostring(e))\n",
                                        "snippet", &err),
                     ACV_ERR_SCRIPT);
    const char *want = "snippet:4: script stopped: memory limit of 16 MiB reached\n"
                       "stack traceback:\n";
    assert_true(strncmp(err.message, want, strlen(want)) == 0);
    acv_error_clear(&err);
    assert_int_equal(acv_lua_run_string(lua, "return 1", "snippet", &err), ACV_ERR_SCRIPT);
    acv_lua_free(lua);
}

static void test_gc_metamethod_is_refused(void **state)
{
    (void)state;
    acv_lua *lua = new_lua(project("sandbox"), 0, 0, 0);
    run_fails(lua, "setmetatable({}, {__gc = function() end})",
              "snippet:1: __gc metamethods are not allowed in scripts");
    run_fails(lua, "setmetatable({}, {__gc = false})",
              "snippet:1: __gc metamethods are not allowed in scripts");
    /* other metatables work, and protected ones stay protected */
    run_ok(lua, "local t = setmetatable({}, {__index = function(_, k) return k .. '!' end})\n"
                "assert(t.x == 'x!')\n"
                "assert(getmetatable(setmetatable({}, nil)) == nil)\n");
    /* raised by the real setmetatable under the wrapper, so the message has no location (the
     * traceback has it) */
    run_fails(lua, "setmetatable(_G, nil)", "cannot change a protected metatable");
    run_fails(lua, "setmetatable(string, {})", "cannot change a protected metatable");
    acv_lua_free(lua);
}

static void test_globals_do_not_leak_between_runs(void **state)
{
    (void)state;
    acv_lua *lua = new_lua(project("sandbox"), 0, 0, 0);
    run_ok(lua, "g = 1 assert(g == 1) assert(_G.g == 1)\nprint = nil string = nil");
    run_fails(lua, "local x = g", "snippet:1: undeclared global 'g'");
    /* what the first script overwrote in its own globals is intact for the next */
    run_ok(lua, "assert(string.upper('a') == 'A') assert(type(print) == 'function')");
    acv_lua_free(lua);
}

static void test_library_tables_are_read_only(void **state)
{
    (void)state;
    acv_lua *lua = new_lua(project("sandbox"), 0, 0, 0);
    run_fails(lua, "string.upper = nil", "snippet:1: attempt to modify a read-only library table");
    run_fails(lua, "string.dump = function() end",
              "snippet:1: attempt to modify a read-only library table");
    run_fails(lua, "math.pi = 3", "snippet:1: attempt to modify a read-only library table");
    run_fails(lua, "table.insert = print",
              "snippet:1: attempt to modify a read-only library table");
    run_fails(lua, "os.time = nil", "snippet:1: attempt to modify a read-only library table");
    run_fails(lua, "utf8.len = nil", "snippet:1: attempt to modify a read-only library table");
    run_fails(lua, "local t = {} table.insert(t, 1) t.x = 1 rawset(string, 'upper', nil)",
              "snippet:1: undeclared global 'rawset'");
    run_ok(lua, "assert(('a'):upper() == 'A') assert(string.upper('b') == 'B')\n"
                "assert(math.pi > 3.14) assert(getmetatable(string) == 'locked')\n");
    acv_lua_free(lua);
}

static void test_string_metatable_is_hidden(void **state)
{
    (void)state;
    acv_lua *lua = new_lua(project("sandbox"), 0, 0, 0);
    run_ok(lua, "assert(getmetatable('') == false)\nassert(getmetatable('abc') == false)\n"
                "assert(getmetatable(_G) == 'locked')\n");
    run_fails(lua, "local mt = getmetatable('') mt.__index = {}",
              "snippet:1: attempt to index a boolean value (local 'mt')");
    acv_lua_free(lua);
}

static void test_string_rep_is_capped(void **state)
{
    (void)state;
    acv_lua *lua = new_lua(project("sandbox"), 0, 0, 0);
    run_fails(lua, "return string.rep('x', 1e9)",
              "snippet:1: string.rep result would exceed 16777216 bytes");
    run_fails(lua, "return ('xy'):rep(8 * 1024 * 1024 + 1)",
              "snippet:1: string.rep result would exceed 16777216 bytes");
    run_fails(lua, "return string.rep('', 1e9, 'sep')",
              "snippet:1: string.rep result would exceed 16777216 bytes");
    run_ok(lua, "assert(string.rep('ab', 3, ',') == 'ab,ab,ab')\n"
                "assert(#string.rep('x', 16 * 1024 * 1024) == 16 * 1024 * 1024)\n"
                "assert(string.rep('x', -1) == '')\n");
    acv_lua_free(lua);
}

static void test_pattern_subject_and_pattern_are_capped(void **state)
{
    (void)state;
    acv_lua *lua = new_lua(project("sandbox"), 0, 0, 0);
    run_fails(lua, "local s = string.rep('a', 256 * 1024 + 1)\nreturn s:find('b')",
              "snippet:2: pattern functions take strings up to 262144 bytes");
    run_fails(lua, "local s = string.rep('a', 256 * 1024 + 1)\nreturn string.match(s, 'a')",
              "snippet:2: pattern functions take strings up to 262144 bytes");
    run_fails(lua, "local s = string.rep('a', 300000)\nfor w in s:gmatch('a') do end",
              "snippet:2: pattern functions take strings up to 262144 bytes");
    run_fails(lua, "local s = string.rep('a', 300000)\nreturn s:gsub('a', 'b')",
              "snippet:2: pattern functions take strings up to 262144 bytes");
    run_fails(lua, "return ('abc'):find(string.rep('a', 257))",
              "snippet:1: patterns may be at most 256 bytes");
    run_ok(lua, "local s = string.rep('a', 256 * 1024)\nassert(s:find('b') == nil)\n"
                "assert(select(2, s:gsub('a', 'a')) == 256 * 1024)\n"
                "assert(('abc'):find(string.rep('.', 256)) == nil)\n");
    acv_lua_free(lua);
}

static void test_require_loads_once_and_caches(void **state)
{
    (void)state;
    const char *dir = project("sandbox");
    free(acv_test_write(dir, "scripts/counter.lua", "return {loads = 0}\n"));
    free(acv_test_write(dir, "scripts/methods/mod.lua",
                        "local counter = require('counter')\n"
                        "counter.loads = counter.loads + 1\n"
                        "module_global = 'inside'\n"
                        "return {answer = 42}\n"));
    free(acv_test_write(dir, "scripts/noreturn.lua", "local x = 1\n"));
    acv_lua *lua = new_lua(dir, 0, 0, 0);
    run_ok(lua, "local a = require('methods.mod')\n"
                "local b = require('methods.mod')\n"
                "assert(a == b) assert(a.answer == 42)\n"
                "assert(require('counter').loads == 1)\n"
                "assert(require('noreturn') == true)\n");
    /* the cache lives as long as the state: a later run does not load it again */
    run_ok(lua, "assert(require('methods.mod').answer == 42)\n"
                "assert(require('counter').loads == 1)\n");
    /* a module's globals stay in the module */
    run_fails(lua, "require('methods.mod') return module_global",
              "snippet:1: undeclared global 'module_global'");
    acv_lua_free(lua);
}

static void test_require_loop_is_reported(void **state)
{
    (void)state;
    const char *dir = project("sandbox");
    free(acv_test_write(dir, "scripts/loop_a.lua", "return require('loop_b')\n"));
    free(acv_test_write(dir, "scripts/loop_b.lua", "local x = 1\nreturn require('loop_a')\n"));
    acv_lua *lua = new_lua(dir, 0, 0, 0);
    run_fails(lua, "require('loop_a')",
              "scripts/loop_b.lua:2: module 'loop_a' requires itself (a require loop)");
    acv_lua_free(lua);
}

/* A module that fails to load reports its own error every time, not a require loop. */
static void test_failed_module_reports_its_error_again(void **state)
{
    (void)state;
    const char *dir = project("sandbox");
    free(acv_test_write(dir, "scripts/broken.lua", "local x = 1\nerror('broken at load')\n"));
    free(acv_test_write(dir, "scripts/badsyntax.lua", "return +\n"));
    acv_lua *lua = new_lua(dir, 0, 0, 0);
    run_fails(lua, "require('broken')", "scripts/broken.lua:2: broken at load");
    run_fails(lua, "require('broken')", "scripts/broken.lua:2: broken at load");
    run_ok(lua, "local ok, e = pcall(require, 'broken')\n"
                "assert(not ok and e == 'scripts/broken.lua:2: broken at load', e)\n"
                "ok, e = pcall(require, 'broken')\n"
                "assert(not ok and e == 'scripts/broken.lua:2: broken at load', e)\n"
                "ok, e = pcall(require, 'absent')\n"
                "ok, e = pcall(require, 'absent')\n"
                "assert(e == \"module 'absent' not found (looked for scripts/absent.lua)\", e)\n");
    run_fails(lua, "require('badsyntax')", "scripts/badsyntax.lua:1: unexpected symbol near '+'");
    run_fails(lua, "require('badsyntax')", "scripts/badsyntax.lua:1: unexpected symbol near '+'");
    acv_lua_free(lua);
}

static void test_earlier_root_wins_and_display_names_chunks(void **state)
{
    (void)state;
    const char *first = project("sandbox");
    const char *second = project("sandbox");
    free(acv_test_write(first, "scripts/both.lua", "return 'first'\n"));
    free(acv_test_write(second, "scripts/both.lua", "return 'second'\n"));
    free(acv_test_write(second, "scripts/only2.lua", "\nerror('from the plugin')\n"));
    acv_script_root roots[] = {{first, ""}, {second, "plugins/demo/"}};
    acv_lua *lua = NULL;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_lua_new(NULL, roots, 2, &lua, &err), ACV_OK);
    run_ok(lua, "assert(require('both') == 'first')");
    run_fails(lua, "require('only2')", "plugins/demo/scripts/only2.lua:2: from the plugin");
    acv_lua_free(lua);
}

static void test_shebang_line_is_accepted(void **state)
{
    (void)state;
    const char *dir = project("sandbox");
    free(acv_test_write(dir, "scripts/sb.lua", "#!/usr/bin/env lua\nerror('line two')\n"));
    free(acv_test_write(dir, "scripts/hash.lua", "#\nreturn 1\n"));
    free(acv_test_write(dir, "scripts/sbmod.lua", "#!/usr/bin/env lua\nreturn 'ok'\n"));
    acv_lua *lua = new_lua(dir, 0, 0, 0);
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_lua_run_file(lua, "scripts/sb.lua", &err), ACV_ERR_SCRIPT);
    const char *want = "scripts/sb.lua:2: line two\nstack traceback:\n";
    assert_true(strncmp(err.message, want, strlen(want)) == 0);
    acv_error_clear(&err);
    assert_int_equal(acv_lua_run_file(lua, "scripts/hash.lua", &err), ACV_OK);
    run_ok(lua, "assert(require('sbmod') == 'ok')");
    acv_lua_free(lua);
}

/* Runs fn with stderr sent to a file; returns what was written (malloc'd). */
static char *capture_stderr(const char *dir, void (*fn)(acv_lua *), acv_lua *lua)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/stderr.txt", dir);
    fflush(stderr);
    int saved = dup(2);
    assert_true(saved >= 0);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_true(dup2(fileno(f), 2) >= 0);
    fn(lua);
    fflush(stderr);
    assert_true(dup2(saved, 2) >= 0);
    close(saved);
    fclose(f);
    char *text = acv_test_read(path);
    assert_non_null(text);
    return text;
}

static void print_2000(acv_lua *lua)
{
    run_ok(lua, "for i = 1, 2000 do print('line', i) end");
    run_ok(lua, "print('after the cap')");
}

static void print_long(acv_lua *lua)
{
    run_ok(lua, "print(string.rep('y', 5000))");
}

static void test_print_output_is_capped(void **state)
{
    (void)state;
    const char *dir = project("sandbox");
    acv_lua *lua = new_lua(dir, 0, 0, 0);
    char *out = capture_stderr(dir, print_2000, lua);
    long lines = 0;
    for (const char *p = out; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 1001);
    assert_true(strncmp(out, "lua: line\t1\nlua: line\t2\n", 24) == 0);
    const char *tail = "lua: line\t1000\nlua: (further output dropped: more than 1000 lines)\n";
    assert_string_equal(out + strlen(out) - strlen(tail), tail);
    free(out);
    acv_lua_free(lua);

    /* one line is cut at 4096 bytes */
    lua = new_lua(dir, 0, 0, 0);
    out = capture_stderr(dir, print_long, lua);
    assert_int_equal(strlen(out), strlen("lua: \n") + 4096);
    assert_int_equal(strspn(out + 5, "y"), 4096);
    free(out);
    acv_lua_free(lua);
}

static void test_scripts_hash_covers_names_and_contents(void **state)
{
    (void)state;
    acv_lua *lua = new_lua(project("sandbox"), 0, 0, 0);
    char hex[65];
    acv_lua_scripts_hash(lua, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    run_ok(lua, "return 1");
    acv_lua_scripts_hash(lua, hex);
    acv_sha256 h;
    acv_sha256_init(&h);
    acv_sha256_update(&h, "snippet", 8); /* the name and its NUL */
    acv_sha256_update(&h, "return 1", 8);
    char want[65];
    acv_sha256_final_hex(&h, want);
    assert_string_equal(hex, want);
    acv_lua_free(lua);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_runtime_error_names_file_and_line),
    cmocka_unit_test(test_syntax_error_names_file_and_line),
    cmocka_unit_test(test_missing_and_oversized_scripts),
    cmocka_unit_test(test_dangerous_globals_are_undeclared),
    cmocka_unit_test(test_os_has_only_time_functions),
    cmocka_unit_test(test_require_loads_only_scripts_modules),
    cmocka_unit_test(test_string_dump_is_unavailable),
    cmocka_unit_test(test_bytecode_is_refused),
    cmocka_unit_test(test_instruction_limit_stops_a_loop),
    cmocka_unit_test(test_pcall_cannot_swallow_the_instruction_limit),
    cmocka_unit_test(test_xpcall_handles_ordinary_errors),
    cmocka_unit_test(test_time_limit_stops_a_loop),
    cmocka_unit_test(test_memory_limit_stops_a_growing_table),
    cmocka_unit_test(test_memory_limit_stops_string_doubling),
    cmocka_unit_test(test_memory_limit_caught_by_pcall_still_reported),
    cmocka_unit_test(test_gc_metamethod_is_refused),
    cmocka_unit_test(test_globals_do_not_leak_between_runs),
    cmocka_unit_test(test_library_tables_are_read_only),
    cmocka_unit_test(test_string_metatable_is_hidden),
    cmocka_unit_test(test_string_rep_is_capped),
    cmocka_unit_test(test_pattern_subject_and_pattern_are_capped),
    cmocka_unit_test(test_require_loads_once_and_caches),
    cmocka_unit_test(test_require_loop_is_reported),
    cmocka_unit_test(test_failed_module_reports_its_error_again),
    cmocka_unit_test(test_earlier_root_wins_and_display_names_chunks),
    cmocka_unit_test(test_shebang_line_is_accepted),
    cmocka_unit_test(test_print_output_is_capped),
    cmocka_unit_test(test_scripts_hash_covers_names_and_contents),
};

ACV_TEST_MAIN("sandbox", tests)
