/*
 * fuzz_lua.c — libFuzzer harness for the Lua sandbox (engine/lua/sandbox.h) under small limits.
 *
 * An input whose first byte is even is a Lua source (the rest of the bytes). One whose first
 * byte is odd is a sequence of operations: every following byte picks a snippet from OPS (a
 * hostile use of the allowed library: C functions that loop, metatables that lie, caught errors,
 * big strings), and the snippets run in order inside one pcall'd chunk, so the fuzzer composes
 * them. Each input gets a fresh state with 8 MiB, 2 million instructions and 0.1 s per call.
 * The oracle, besides the sanitizers: no run outlives its time limit by more than a second (the
 * watchdog would end the process after 2.1 s, which libFuzzer reports as a crash), the state never
 * holds more than its memory limit, and an op sequence stopped by a limit leaves the state
 * refusing to run more Lua.
 */
#include "sandbox.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MEMORY_LIMIT (8u * 1024 * 1024)
#define TIME_LIMIT 0.1

static const char *const OPS[] = {
    "local s = string.rep('a', 4096) ; local _ = s:find('a*a*a*a*b')\n",
    "local s = string.rep('ab', 1 << 16) ; local _ = s:gsub('(a-)(b+)', '%2%1')\n",
    "local _ = ('x'):rep(1 << 20):match('.-.-.-y')\n",
    "for _ in (string.rep('a,', 1000)):gmatch('([^,]*),') do end\n",
    "table.move({}, 1, 1 << 50, 1, {})\n",
    "local t = setmetatable({}, {__len = function() return 1 << 50 end}) ; table.insert(t, 1)\n",
    "local t = setmetatable({}, {__len = function() return math.maxinteger end}) ; "
    "table.remove(t)\n",
    "local t = {} ; for i = 1, 1e5 do t[i] = i end ; table.sort(t, function(a, b) return a > b "
    "end)\n",
    "local t = {} ; for i = 1, 2e5 do t[i] = i end ; table.insert(t, 1, 0) ; table.remove(t, 1)\n",
    "local x = 'x' ; while true do x = x .. x end\n",
    "local t = {} ; for i = 1, 1e9 do t[i] = i end\n",
    "while true do end\n",
    "while true do pcall(function() while true do end end) end\n",
    "pcall(string.rep, 'x', 1 << 40)\n",
    "local _ = table.concat(setmetatable({}, {__index = function() return 'x' end}), ',', 1, "
    "1 << 30)\n",
    "local _ = table.unpack({}, 1, 1 << 30)\n",
    "local _ = select('#', table.unpack({1, 2, 3}, -1 << 31, 1 << 31))\n",
    "local _ = string.format('%99999d', 1)\n",
    "local _ = string.format('%q', 1 / 0) .. string.format('%.99f', -0.0)\n",
    "local _ = ('%d'):format(math.mininteger) .. math.tointeger(2 ^ 63 // 1 or 0)\n",
    "local _ = string.pack('i16', 1) .. string.pack('s1', ('x'):rep(300))\n",
    "local _ = utf8 and utf8.char(0x7fffffff)\n",
    "setmetatable(_ENV or {}, {__index = function() error('x') end})\n",
    "getmetatable('').__index = {}\n",
    "string.upper = nil\n",
    "rawset(_G or {}, 'x', 1)\n",
    "local _ = string.dump(print)\n",
    "local _ = ('x'):dump()\n",
    "setmetatable({}, {__gc = function() while true do end end})\n",
    "do local _ <close> = setmetatable({}, {__close = function() while true do end end}) end\n",
    "xpcall(function() error({}) end, function() while true do end end)\n",
    "local co = coroutine.wrap(function() while true do end end) ; co()\n",
    "require('..')\n",
    "require(('x'):rep(5000))\n",
    "for i = 1, 2000 do print(('p'):rep(5000)) end\n",
    "local _ = os.date('%c', math.maxinteger)\n",
    "local _ = os.time({year = 1 << 40, month = 1, day = 1})\n",
    "local _ = math.random(math.mininteger, math.maxinteger) + math.fmod(1, 0.0)\n",
    "local _ = tostring(setmetatable({}, {__tostring = function() return {} end}))\n",
    "local _ = ('x'):rep(1 << 22):reverse():upper():lower():byte(-1, 1 << 30)\n",
    "local f ; f = function(n) return f(n + 1) + 1 end ; f(1)\n",
    "local t = {} ; t = setmetatable(t, {__index = t}) ; local _ = t.x\n",
    "local _ = next({}, 'missing')\n",
    "error(setmetatable({}, {__tostring = function() error('y') end}))\n",
};
#define N_OPS (sizeof OPS / sizeof OPS[0])

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* the op sequence as one chunk: every snippet is pcall'd on its own, so one that fails (or is
 * refused) lets the next run, and the limits are the ones that must stop the whole */
static char *compose(const uint8_t *data, size_t size)
{
    size_t cap = 64;
    for (size_t i = 0; i < size; i++)
        cap += strlen(OPS[data[i] % N_OPS]) + 32;
    char *src = malloc(cap);
    if (!src)
        abort();
    size_t n = 0;
    for (size_t i = 0; i < size; i++)
        n +=
            (size_t)snprintf(src + n, cap - n, "pcall(function()\n%s end)\n", OPS[data[i] % N_OPS]);
    src[n] = '\0';
    return src;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 64 * 1024)
        return 0;
    char *src;
    int ops = data[0] % 2;
    if (!ops) {
        src = malloc(size);
        if (!src)
            abort();
        memcpy(src, data + 1, size - 1);
        src[size - 1] = '\0';
    } else {
        src = compose(data + 1, size - 1 > 64 ? 64 : size - 1);
    }

    acv_lua_limits limits = {MEMORY_LIMIT, 2000000, TIME_LIMIT};
    acv_lua *lua = NULL;
    acv_error err;
    acv_error_clear(&err);
    if (acv_lua_new(&limits, NULL, 0, &lua, &err) != ACV_OK) {
        fprintf(stderr, "fuzz_lua: acv_lua_new: %s\n", err.message);
        abort();
    }
    double t0 = now();
    acv_status st = acv_lua_run_string(lua, src, "fuzz.lua", &err);
    double took = now() - t0;
    if (took > TIME_LIMIT + 1.0) {
        fprintf(stderr, "fuzz_lua: a run took %.2f s with a time limit of %g s\n", took,
                TIME_LIMIT);
        abort();
    }
    if (acv_lua_memory_peak(lua) > MEMORY_LIMIT) {
        fprintf(stderr, "fuzz_lua: the state held %zu bytes with a limit of %u\n",
                acv_lua_memory_peak(lua), MEMORY_LIMIT);
        abort();
    }
    if (ops && st != ACV_OK && strstr(err.message, "script stopped: ")) {
        /* a limit poisons the state: no more Lua may run in it (a source could raise the same
         * words itself, so only the op sequences, which never do, are held to this) */
        acv_error err2;
        acv_error_clear(&err2);
        if (acv_lua_run_string(lua, "return 1", "after.lua", &err2) == ACV_OK) {
            fprintf(stderr, "fuzz_lua: Lua ran after \"%s\"\n", err.message);
            abort();
        }
    }
    acv_lua_free(lua);
    free(src);
    return 0;
}
