/* sandbox.c — the Lua state, its limits and its allow-listed environment; see sandbox.h. */
#include "sandbox_lua.h"
#include "sandbox_bounds.h"
#include "util.h"

#include <errno.h>
#include <lauxlib.h>
#include <limits.h>
#include <lualib.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define HOOK_EVERY 1000
#define LARGE_ALLOCATION (64 * 1024)
#define MAX_SCRIPT_BYTES (1024 * 1024)
#define MAX_REP_BYTES (16 * 1024 * 1024)
#define MAX_LOG_LINES 1000
#define MAX_LOG_LINE_BYTES 4096
/* the watchdog ends the process when a call into Lua runs past its time limit by this much (or
 * by the time limit itself when that is longer): only a C function that the hook cannot
 * interrupt gets there, every Lua instruction is stopped by the limit itself */
#define WATCHDOG_MARGIN 2.0
#define WATCHDOG_POLL_NS 100000000L /* 0.1 s */
#define WATCHDOG_EXIT_STATUS 4      /* "a Lua script failed or hit a sandbox limit" */

enum { LIMIT_NONE, LIMIT_INSTRUCTIONS, LIMIT_TIME, LIMIT_MEMORY };

/* registry keys: addresses of these statics are unique and never written */
static const char REG_BASE = 'b';
static const char REG_ENV_MT = 'e';
static const char REG_MODULES = 'm';
static const char REG_LOADING = 'l';
static const char REG_RANDOMSEED = 'r';
#define RANDOM_SEED 20450101

struct acv_lua {
    lua_State *L;
    size_t mem_used, mem_peak, mem_limit;
    int enforce_memory;
    long long instruction_limit, ticks;
    double time_limit;
    struct timespec deadline;
    int limit_reason;
    int poisoned;
    size_t memory_pending; /* the size of a refused growth that no growth as large rescued yet */
    int hook_count;        /* instructions between two calls of the hook, as set now */
    char last_where[200];  /* "chunk:line" the limit hook last saw running, for memory errors */
    acv_script_root *roots;
    size_t n_roots;
    acv_sha256 scripts_hash;
    int log_lines;
    /* the watchdog thread: watch_until is the monotonic time in ns past which the call into Lua
     * running now has overrun its limit by the margin (0: no call is running) */
    pthread_t watchdog;
    int watchdog_started;
    pthread_mutex_t watchdog_mu;
    pthread_cond_t watchdog_cv;
    int watchdog_stop;
    _Atomic long long watch_until;
};

static acv_lua *host_of(lua_State *L)
{
    void *ud = NULL;
    lua_getallocf(L, &ud);
    return ud;
}

static void limit_hook(lua_State *L, lua_Debug *ar);

static double seconds_until(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(t->tv_sec - now.tv_sec) + (double)(t->tv_nsec - now.tv_nsec) / 1e9;
}

static void *capped_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    acv_lua *x = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        x->mem_used -= old;
        return NULL;
    }
    /* growth past the cap fails; shrinking always succeeds. Lua answers a refusal with an
     * emergency collection and one more try (a string buffer does not retry): only when that
     * size was not granted by the script's next instruction has the limit been reached. The hook
     * then runs at that very instruction (the count of 1) and stops the script, so a pcall cannot
     * catch the limit. */
    if (nsize > old && x->enforce_memory && x->mem_used - old + nsize > x->mem_limit) {
        if (nsize > x->memory_pending)
            x->memory_pending = nsize;
        x->hook_count = 1;
        lua_sethook(x->L, limit_hook, LUA_MASKCOUNT, 1);
        return NULL;
    }
    /* a large allocation is C work the count hook does not see (string.rep, concatenation,
     * table.concat, gsub results): past the deadline, the hook runs at the next instruction, so
     * a loop of such work stops on time instead of after the next thousand instructions */
    if (nsize > old && nsize - old >= LARGE_ALLOCATION && x->enforce_memory && x->hook_count != 1 &&
        seconds_until(&x->deadline) < 0) {
        x->hook_count = 1;
        lua_sethook(x->L, limit_hook, LUA_MASKCOUNT, 1);
    }
    void *p = realloc(ptr, nsize);
    if (!p)
        return NULL;
    if (nsize > old && nsize >= x->memory_pending) /* Lua's retry after its emergency collection */
        x->memory_pending = 0;
    x->mem_used = x->mem_used - old + nsize;
    if (x->mem_used > x->mem_peak)
        x->mem_peak = x->mem_used;
    return p;
}

static int panic_handler(lua_State *L)
{
    const char *msg = lua_tostring(L, -1);
    fprintf(stderr, "acvtrack: internal error: unprotected Lua error: %s\n",
            msg ? msg : "(no message)");
    abort();
}

/* Stops the script: the limit that tripped, where (luaL_where at `level`: 0 in the hook, 1 in a
 * C function called by the script). Re-arms the hook on every instruction, so a script that
 * catches this error with pcall is stopped again at its very next instruction. */
static int raise_limit(lua_State *L, int level)
{
    acv_lua *x = host_of(L);
    x->poisoned = 1;
    x->hook_count = 1;
    lua_sethook(L, limit_hook, LUA_MASKCOUNT, 1);
    /* formatted in C: lua_pushfstring knows neither %lld nor %g (luaL_error raised "invalid
     * option '%l'" instead of this message) */
    char msg[128];
    if (x->limit_reason == LIMIT_INSTRUCTIONS)
        snprintf(msg, sizeof msg, "script stopped: instruction limit of %lld reached",
                 x->instruction_limit);
    else if (x->limit_reason == LIMIT_TIME)
        snprintf(msg, sizeof msg, "script stopped: time limit of %g s reached", x->time_limit);
    else
        snprintf(msg, sizeof msg, "script stopped: memory limit of %zu MiB reached",
                 x->mem_limit / (1024 * 1024));
    luaL_where(L, level);
    lua_pushstring(L, msg);
    lua_concat(L, 2);
    return lua_error(L);
}

static void check_limits(acv_lua *x)
{
    if (x->limit_reason)
        return;
    if (x->memory_pending)
        x->limit_reason = LIMIT_MEMORY;
    else if (x->ticks > x->instruction_limit)
        x->limit_reason = LIMIT_INSTRUCTIONS;
    else if (seconds_until(&x->deadline) < 0)
        x->limit_reason = LIMIT_TIME;
}

static void limit_hook(lua_State *L, lua_Debug *ar)
{
    acv_lua *x = host_of(L);
    x->ticks += x->hook_count;
    /* where the script is, so that a memory error (which unwinds without a traceback) can say
     * near which line it happened */
    if (lua_getinfo(L, "Sl", ar) && ar->currentline > 0)
        snprintf(x->last_where, sizeof x->last_where, "%s:%d", ar->short_src, ar->currentline);
    check_limits(x);
    if (!x->limit_reason) {
        if (x->hook_count != HOOK_EVERY) { /* a refused growth was retried and succeeded */
            x->hook_count = HOOK_EVERY;
            lua_sethook(L, limit_hook, LUA_MASKCOUNT, HOOK_EVERY);
        }
        return;
    }
    /* a hook has no frame of its own, so level 0 is the script line that was running */
    raise_limit(L, 0);
}

void acv_lua_charge(lua_State *L, long long steps)
{
    acv_lua *x = host_of(L);
    if (!x->enforce_memory) /* not inside acv_lua_pcall: the engine's own work */
        return;
    if (steps > 0)
        x->ticks = steps > LLONG_MAX - x->ticks ? LLONG_MAX : x->ticks + steps;
    check_limits(x);
    if (x->limit_reason)
        raise_limit(L, 1);
}

static int message_handler(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    if (!msg)
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    luaL_traceback(L, L, msg, 1);
    return 1;
}

lua_State *acv_lua_state(acv_lua *lua)
{
    return lua->L;
}

static long long monotonic_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000000000LL + now.tv_nsec;
}

acv_status acv_lua_pcall(acv_lua *x, int nargs, int nresults, acv_error *err)
{
    lua_State *L = x->L;
    if (x->poisoned) {
        lua_pop(L, nargs + 1);
        return acv_error_set(err, ACV_ERR_SCRIPT,
                             "a script was stopped by a limit earlier; no more scripts run in "
                             "this command");
    }
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, message_handler);
    lua_insert(L, base);
    x->ticks = 0;
    x->limit_reason = LIMIT_NONE;
    x->memory_pending = 0;
    x->last_where[0] = '\0';
    clock_gettime(CLOCK_MONOTONIC, &x->deadline);
    x->deadline.tv_sec += (time_t)x->time_limit;
    x->deadline.tv_nsec += (long)((x->time_limit - (double)(time_t)x->time_limit) * 1e9);
    if (x->deadline.tv_nsec >= 1000000000L) {
        x->deadline.tv_sec++;
        x->deadline.tv_nsec -= 1000000000L;
    }
    double margin = x->time_limit > WATCHDOG_MARGIN ? x->time_limit : WATCHDOG_MARGIN;
    long long watch_before = atomic_load(&x->watch_until);
    atomic_store(&x->watch_until, monotonic_ns() + (long long)((x->time_limit + margin) * 1e9));
    x->hook_count = HOOK_EVERY;
    lua_sethook(L, limit_hook, LUA_MASKCOUNT, HOOK_EVERY);
    x->enforce_memory = 1;
    int rc = lua_pcall(L, nargs, nresults, base);
    x->enforce_memory = 0;
    lua_sethook(L, NULL, 0, 0);
    atomic_store(&x->watch_until, watch_before);
    lua_remove(L, base);
    /* a refused growth that nothing rescued is the limit, even when the script caught the error
     * it raised and returned normally */
    if (x->memory_pending && !x->limit_reason)
        x->limit_reason = LIMIT_MEMORY;
    if (x->limit_reason)
        x->poisoned = 1;
    if (rc == LUA_OK && !x->limit_reason)
        return ACV_OK;
    const char *msg = rc == LUA_OK ? NULL : lua_tostring(L, -1);
    acv_status st;
    if (x->limit_reason == LIMIT_MEMORY && (!msg || !strstr(msg, "script stopped: memory limit"))) {
        /* the allocation failed where no hook could run (a memory error unwinds without a
         * traceback): say near which line the hook last saw the script */
        st = acv_error_set(err, ACV_ERR_SCRIPT,
                           "%s%sscript stopped: memory limit of %zu MiB reached", x->last_where,
                           x->last_where[0] ? ": " : "", x->mem_limit / (1024 * 1024));
    } else {
        st = acv_error_set(err, ACV_ERR_SCRIPT, "%s", msg ? msg : "script failed");
    }
    if (rc != LUA_OK)
        lua_pop(L, 1);
    else
        lua_pop(L, nresults == LUA_MULTRET ? lua_gettop(L) - base + 1 : nresults);
    return st;
}

/* ---- watchdog ----------------------------------------------------------------------------- */

/*
 * The last line of defence: the hook cannot run inside a C function, so a C function that loops
 * (a case the bounds in sandbox_bounds.c missed) would run for ever. A thread per state wakes
 * every 0.1 s and, when the call into Lua running now is past its time limit by the margin, ends
 * the process at once: the command's transaction never commits, so the workspace stays as it was
 * before the command, and no output file was published (they are published after the scripts).
 */
static void *watchdog_main(void *arg)
{
    acv_lua *x = arg;
    pthread_mutex_lock(&x->watchdog_mu);
    while (!x->watchdog_stop) {
        struct timespec wake;
        clock_gettime(CLOCK_MONOTONIC, &wake);
        wake.tv_nsec += WATCHDOG_POLL_NS;
        if (wake.tv_nsec >= 1000000000L) {
            wake.tv_sec++;
            wake.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&x->watchdog_cv, &x->watchdog_mu, &wake);
        long long until = atomic_load(&x->watch_until);
        if (!x->watchdog_stop && until && monotonic_ns() > until) {
            char msg[256];
            double margin = x->time_limit > WATCHDOG_MARGIN ? x->time_limit : WATCHDOG_MARGIN;
            int n = snprintf(msg, sizeof msg,
                             "acvtrack: script stopped by the watchdog: a call into Lua ran %g s "
                             "past its time limit of %g s inside a C function; the process ends "
                             "and nothing was saved\n",
                             margin, x->time_limit);
            if (n > 0)
                (void)!write(STDERR_FILENO, msg, (size_t)n < sizeof msg ? (size_t)n : sizeof msg);
            _exit(WATCHDOG_EXIT_STATUS);
        }
    }
    pthread_mutex_unlock(&x->watchdog_mu);
    return NULL;
}

static int watchdog_start(acv_lua *x)
{
    pthread_condattr_t ca;
    if (pthread_condattr_init(&ca) != 0)
        return -1;
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    int rc = pthread_cond_init(&x->watchdog_cv, &ca);
    pthread_condattr_destroy(&ca);
    if (rc != 0)
        return -1;
    if (pthread_mutex_init(&x->watchdog_mu, NULL) != 0) {
        pthread_cond_destroy(&x->watchdog_cv);
        return -1;
    }
    if (pthread_create(&x->watchdog, NULL, watchdog_main, x) != 0) {
        pthread_mutex_destroy(&x->watchdog_mu);
        pthread_cond_destroy(&x->watchdog_cv);
        return -1;
    }
    x->watchdog_started = 1;
    return 0;
}

static void watchdog_stop(acv_lua *x)
{
    if (!x->watchdog_started)
        return;
    pthread_mutex_lock(&x->watchdog_mu);
    x->watchdog_stop = 1;
    pthread_cond_signal(&x->watchdog_cv);
    pthread_mutex_unlock(&x->watchdog_mu);
    pthread_join(x->watchdog, NULL);
    pthread_mutex_destroy(&x->watchdog_mu);
    pthread_cond_destroy(&x->watchdog_cv);
    x->watchdog_started = 0;
}

/* ---- environment ------------------------------------------------------------------------- */

static int readonly_newindex(lua_State *L)
{
    return luaL_error(L, "attempt to modify a read-only library table");
}

static int readonly_next(lua_State *L)
{
    /* iterates the real table held as an upvalue, so scripts never get hold of it */
    lua_settop(L, 2);
    if (lua_next(L, lua_upvalueindex(1)) == 0) {
        lua_pushnil(L);
        return 1;
    }
    return 2;
}

/* # of a read-only proxy: the length of the table it stands for (the proxy itself is empty) */
static int readonly_len(lua_State *L)
{
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "__index");
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
    return 1;
}

static int readonly_pairs(lua_State *L)
{
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "__index");
    lua_pushcclosure(L, readonly_next, 1);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

/* Replaces the table on top of the stack with a read-only proxy of it. */
static void make_readonly(lua_State *L)
{
    lua_newtable(L); /* real proxy */
    lua_newtable(L); /* real proxy mt */
    lua_pushvalue(L, -3);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, readonly_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushcfunction(L, readonly_pairs);
    lua_setfield(L, -2, "__pairs");
    lua_pushcfunction(L, readonly_len);
    lua_setfield(L, -2, "__len");
    lua_pushliteral(L, "locked");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_remove(L, -2);
}

/* __index of the shared base table: reached only for a name the base does not have, which is a
 * script bug. Script environments index the base table itself, so that known names are found
 * without a C call. */
static int undeclared_global(lua_State *L)
{
    /* (base, key); level 1 is the script function reading the global */
    luaL_where(L, 1);
    if (lua_type(L, 2) == LUA_TSTRING)
        lua_pushfstring(L, "undeclared global '%s'", lua_tostring(L, 2));
    else
        lua_pushliteral(L, "undeclared global");
    lua_concat(L, 2);
    return lua_error(L);
}

/* Pushes a fresh global table for one script. */
static void push_new_env(lua_State *L)
{
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_setfield(L, -2, "_G");
    lua_rawgetp(L, LUA_REGISTRYINDEX, &REG_ENV_MT);
    lua_setmetatable(L, -2);
}

/* print(...): a line on stderr; at most MAX_LOG_LINES lines per state, each cut at
 * MAX_LOG_LINE_BYTES (the whole line, not each value: a call with thousands of arguments once
 * wrote gigabytes), so a script prints at most about 4 MiB. */
static int l_print(lua_State *L)
{
    acv_lua *x = host_of(L);
    if (x->log_lines >= MAX_LOG_LINES) {
        if (x->log_lines++ == MAX_LOG_LINES)
            fprintf(stderr, "lua: (further output dropped: more than %d lines)\n", MAX_LOG_LINES);
        return 0;
    }
    x->log_lines++;
    int n = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    size_t used = 0;
    for (int i = 1; i <= n && used < MAX_LOG_LINE_BYTES; i++) {
        /* the buffer may keep a box on the stack top: add to it only while the stack is balanced
         * and hand it pushed values through luaL_addvalue (adding from a string left on top
         * wrote garbage once a line passed the buffer's first block) */
        if (i > 1) {
            luaL_addchar(&b, '\t');
            if (++used == MAX_LOG_LINE_BYTES)
                break;
        }
        size_t len;
        const char *s = luaL_tolstring(L, i, &len);
        if (len > MAX_LOG_LINE_BYTES - used) {
            len = MAX_LOG_LINE_BYTES - used;
            lua_pushlstring(L, s, len);
            lua_remove(L, -2);
        }
        luaL_addvalue(&b);
        used += len;
    }
    luaL_pushresult(&b);
    fprintf(stderr, "lua: %s\n", lua_tostring(L, -1));
    return 0;
}

/* The guards below wrap a standard function (their upvalue 1): after their own checks they call it
 * with the arguments they got and return what it returns (nresults, or all with LUA_MULTRET). */
static int call_wrapped(lua_State *L, int nresults)
{
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, nresults);
    return nresults == LUA_MULTRET ? lua_gettop(L) : nresults;
}

static int l_setmetatable(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL)
            return luaL_error(L, "__gc metamethods are not allowed in scripts");
        lua_pop(L, 1);
    }
    lua_settop(L, 2);
    return call_wrapped(L, 1);
}

/* A limit error is raised from inside the count hook, where Lua runs with hooks switched off, and
 * an xpcall handler runs before the error unwinds: a script's handler that looped then escaped
 * every limit. So a script's handler sees ordinary errors only; after a limit the message passes
 * through as it is. */
static int xpcall_handler(lua_State *L)
{
    if (host_of(L)->limit_reason)
        return 1;
    return call_wrapped(L, 1);
}

static int l_xpcall(lua_State *L)
{
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, xpcall_handler, 1);
    lua_replace(L, 2);
    return call_wrapped(L, LUA_MULTRET);
}

static int l_string_rep(lua_State *L)
{
    size_t l, lsep;
    luaL_checklstring(L, 1, &l);
    lua_Integer n = luaL_checkinteger(L, 2);
    luaL_optlstring(L, 3, "", &lsep);
    if (n > 0 && ((double)n * (double)(l + lsep) > MAX_REP_BYTES || n > MAX_REP_BYTES))
        return luaL_error(L, "string.rep result would exceed %d bytes", MAX_REP_BYTES);
    return call_wrapped(L, LUA_MULTRET);
}

static int l_require(lua_State *L);

/* Copies the named fields of the table on top into a new table, left on top (original popped). */
static void copy_fields(lua_State *L, const char *const *names)
{
    lua_newtable(L);
    for (const char *const *n = names; *n; n++) {
        lua_getfield(L, -2, *n);
        lua_setfield(L, -2, *n);
    }
    lua_remove(L, -2);
}

static void wrap_field(lua_State *L, const char *name, lua_CFunction wrapper)
{
    /* table on top: t[name] = closure(wrapper, t[name]) */
    lua_getfield(L, -1, name);
    lua_pushcclosure(L, wrapper, 1);
    lua_setfield(L, -2, name);
}

static void build_base(lua_State *L)
{
    static const char *const base_names[] = {
        "assert", "error",  "ipairs",   "next",   "pairs", "select",       "tonumber", "tostring",
        "type",   "rawlen", "rawequal", "rawget", "pcall", "getmetatable", "_VERSION", NULL};
    static const char *const string_names[] = {
        "byte", "char",    "find", "format", "gmatch", "gsub",     "len",    "lower", "match",
        "rep",  "reverse", "sub",  "upper",  "pack",   "packsize", "unpack", NULL};
    static const char *const table_names[] = {"concat", "insert", "move",   "pack",
                                              "remove", "sort",   "unpack", NULL};
    static const char *const math_names[] = {
        "abs",  "ceil",       "cos",       "deg",        "exp",  "floor", "fmod", "huge",   "log",
        "max",  "maxinteger", "min",       "mininteger", "modf", "pi",    "rad",  "random", "sin",
        "sqrt", "tan",        "tointeger", "type",       "ult",  "asin",  "acos", "atan",   NULL};
    static const char *const utf8_names[] = {"char", "charpattern", "codes", "codepoint",
                                             "len",  "offset",      NULL};
    static const char *const os_names[] = {"clock", "date", "difftime", "time", NULL};

    luaL_openlibs(L);
    /* a fixed seed keeps scoring reproducible; scripts cannot reseed, the engine can
     * (acv_lua_reseed) */
    lua_getglobal(L, "math");
    lua_getfield(L, -1, "randomseed");
    lua_remove(L, -2);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &REG_RANDOMSEED);
    lua_pushinteger(L, RANDOM_SEED);
    lua_call(L, 1, 0);

    lua_newtable(L); /* base */
    int base = lua_gettop(L);
    lua_pushglobaltable(L);
    for (const char *const *n = base_names; *n; n++) {
        lua_getfield(L, -1, *n);
        lua_setfield(L, base, *n);
    }
    lua_getfield(L, -1, "setmetatable");
    lua_pushcclosure(L, l_setmetatable, 1);
    lua_setfield(L, base, "setmetatable");
    lua_getfield(L, -1, "xpcall");
    lua_pushcclosure(L, l_xpcall, 1);
    lua_setfield(L, base, "xpcall");
    lua_pop(L, 1);
    lua_pushcfunction(L, l_print);
    lua_setfield(L, base, "print");
    lua_pushcfunction(L, l_require);
    lua_setfield(L, base, "require");

    lua_getglobal(L, "string");
    copy_fields(L, string_names);
    wrap_field(L, "rep", l_string_rep);
    acv_bounds_string(L); /* find, match, gmatch, gsub within the limits */
    make_readonly(L);
    /* the shared string metatable serves method calls ("x"):upper(): point it at the safe copy
     * and lock it, so ("x"):dump() finds nothing and no script can change it */
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushvalue(L, -3);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 2);
    lua_setfield(L, base, "string");

    /* the other libraries: read-only copies of their safe functions */
    static const struct {
        const char *name;
        const char *const *fields;
    } libs[] = {
        {"table", table_names}, {"math", math_names}, {"utf8", utf8_names}, {"os", os_names}};
    for (size_t i = 0; i < sizeof libs / sizeof *libs; i++) {
        lua_getglobal(L, libs[i].name);
        copy_fields(L, libs[i].fields);
        if (i == 0)
            acv_bounds_table(L); /* insert, remove, move and sort within the limits */
        make_readonly(L);
        lua_setfield(L, base, libs[i].name);
    }

    lua_newtable(L); /* the base's metatable: unknown names raise */
    lua_pushcfunction(L, undeclared_global);
    lua_setfield(L, -2, "__index");
    lua_pushliteral(L, "locked");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, base);
    if (acv_lua_test_hooks) {
        lua_pushvalue(L, base);
        acv_lua_test_hooks(L);
        lua_pop(L, 1);
    }
    lua_pushvalue(L, base);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &REG_BASE);

    lua_newtable(L); /* metatable of every script environment */
    lua_pushvalue(L, base);
    lua_setfield(L, -2, "__index");
    lua_pushliteral(L, "locked");
    lua_setfield(L, -2, "__metatable");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &REG_ENV_MT);

    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &REG_MODULES);
}

/* ---- loading scripts ---------------------------------------------------------------------- */

typedef struct {
    const char *buf;
    size_t len;
    const char *chunkname;
} load_args;

static int protected_load(lua_State *L)
{
    load_args *a = lua_touserdata(L, 1);
    int rc = luaL_loadbufferx(L, a->buf, a->len, a->chunkname, "t");
    if (rc != LUA_OK)
        return lua_error(L);
    push_new_env(L);
    if (!lua_setupvalue(L, -2, 1))
        lua_pop(L, 1);
    return 1;
}

/*
 * Pushes the compiled chunk (with a fresh environment) or returns non-zero with the error message
 * pushed. The source buffer is C memory, so the compilation that can raise runs in its own
 * protected call and the buffer is freed by the caller whatever happens.
 */
static int load_chunk(lua_State *L, char *buf, size_t len, const char *display)
{
    acv_lua *x = host_of(L);
    acv_sha256_update(&x->scripts_hash, display, strlen(display) + 1);
    acv_sha256_update(&x->scripts_hash, buf, len);
    /* a first line starting with '#' (a shebang) is skipped, like lua.c does */
    if (len > 0 && buf[0] == '#') {
        if (len > 1 && buf[1] != '\n' && buf[1] != '\r')
            buf[0] = buf[1] = '-';
        else
            buf[0] = ' ';
    }
    char chunkname[600];
    snprintf(chunkname, sizeof chunkname, "@%s", display);
    load_args a = {buf, len, chunkname};
    lua_pushcfunction(L, protected_load);
    lua_pushlightuserdata(L, &a);
    return lua_pcall(L, 1, 1, 0);
}

static int valid_module_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 100 || name[0] == '.' || name[n - 1] == '.')
        return 0;
    for (const char *p = name; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '-' || *p == '.'))
            return 0;
        if (p[0] == '.' && p[1] == '.')
            return 0;
    }
    return 1;
}

/* Whether path, its symbolic links resolved, is a file inside one of the roots: a link in an
 * overlay must not make a script of a file elsewhere. */
static int inside_roots(const acv_lua *x, const char *path)
{
    char *real = realpath(path, NULL);
    if (!real)
        return 1; /* missing: reading it fails and says so */
    int inside = 0;
    for (size_t i = 0; i < x->n_roots && !inside; i++) {
        char *root = realpath(x->roots[i].dir, NULL);
        size_t n = root ? strlen(root) : 0;
        inside = root && strncmp(real, root, n) == 0 && (real[n] == '/' || n == 1);
        free(root);
    }
    free(real);
    return inside;
}

/* Finds scripts/<relpath> in the roots; on success *buf is malloc'd and display filled. On
 * failure *too_big is 1 for a file too large, 2 for one outside the roots, else 0. */
static int find_script(acv_lua *x, const char *relpath, char **buf, size_t *len, char *display,
                       size_t display_size, int *too_big)
{
    *too_big = 0;
    for (size_t i = 0; i < x->n_roots; i++) {
        char *path = acv_path_join(x->roots[i].dir, relpath);
        if (!path)
            return 0;
        if (!inside_roots(x, path)) {
            free(path);
            snprintf(display, display_size, "%s%s", x->roots[i].display, relpath);
            *too_big = 2;
            return 0;
        }
        int rc = acv_read_file(path, MAX_SCRIPT_BYTES, buf, len);
        free(path);
        if (rc == 0) {
            snprintf(display, display_size, "%s%s", x->roots[i].display, relpath);
            return 1;
        }
        if (rc == -2) {
            *too_big = 1;
            return 0;
        }
    }
    return 0;
}

/* __close of the mark l_require holds while a module runs: when the module fails, forget that it
 * was loading, or every later require of it would report a require loop instead of its error */
static int loading_mark_close(lua_State *L)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &REG_MODULES);
    int modules = lua_gettop(L);
    lua_rawgeti(L, 1, 1);
    lua_pushvalue(L, -1);
    if (lua_rawget(L, modules) == LUA_TLIGHTUSERDATA &&
        lua_touserdata(L, -1) == (void *)&REG_LOADING) {
        lua_pop(L, 1);
        lua_pushnil(L);
        lua_rawset(L, modules);
    }
    return 0;
}

static int l_require(lua_State *L)
{
    acv_lua *x = host_of(L);
    const char *name = luaL_checkstring(L, 1);
    if (!valid_module_name(name))
        return luaL_error(L, "bad module name '%s' (use names like 'methods.normalise')", name);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &REG_MODULES);
    int modules = lua_gettop(L);
    lua_getfield(L, modules, name);
    if (lua_touserdata(L, -1) == (void *)&REG_LOADING)
        return luaL_error(L, "module '%s' requires itself (a require loop)", name);
    if (!lua_isnil(L, -1))
        return 1;
    lua_pop(L, 1);
    /* mark the module as loading before anything can raise, with a to-be-closed guard that
     * drops the mark again if the lookup, compilation or module body fails */
    lua_pushlightuserdata(L, (void *)&REG_LOADING);
    lua_setfield(L, modules, name);
    lua_createtable(L, 1, 0);
    lua_pushvalue(L, 1);
    lua_rawseti(L, -2, 1);
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, loading_mark_close);
    lua_setfield(L, -2, "__close");
    lua_setmetatable(L, -2);
    lua_toclose(L, -1);

    char relpath[256];
    snprintf(relpath, sizeof relpath, "scripts/%s.lua", name);
    for (char *p = relpath + 8; *p; p++)
        if (*p == '.' && strcmp(p, ".lua") != 0)
            *p = '/';
    char display[512];
    char *buf = NULL;
    size_t len = 0;
    int too_big = 0;
    if (!find_script(x, relpath, &buf, &len, display, sizeof display, &too_big)) {
        if (too_big == 2)
            return luaL_error(L,
                              "module '%s': %s is a symbolic link to a file outside the framework "
                              "and overlay folders",
                              name, display);
        if (too_big)
            return luaL_error(L, "module '%s' (%s) is larger than %d bytes", name, relpath,
                              MAX_SCRIPT_BYTES);
        return luaL_error(L, "module '%s' not found (looked for %s)", name, relpath);
    }
    int rc = load_chunk(L, buf, len, display);
    free(buf);
    if (rc != LUA_OK) {
        lua_pushnil(L);
        lua_setfield(L, modules, name);
        return lua_error(L);
    }
    lua_call(L, 0, 1);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, modules, name);
    return 1;
}

static int protected_require(lua_State *L)
{
    lua_pushcfunction(L, l_require);
    lua_insert(L, 1);
    lua_call(L, 1, 1);
    return 1;
}

acv_status acv_lua_require(acv_lua *x, const char *name, acv_error *err)
{
    lua_pushcfunction(x->L, protected_require);
    lua_pushstring(x->L, name);
    return acv_lua_pcall(x, 1, 1, err);
}

/* ---- life cycle --------------------------------------------------------------------------- */

acv_status acv_lua_new(const acv_lua_limits *limits, const acv_script_root *roots, size_t n_roots,
                       acv_lua **out, acv_error *err)
{
    *out = NULL;
    acv_lua *x = calloc(1, sizeof *x);
    if (!x)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory starting Lua");
    x->mem_limit = limits && limits->memory_limit ? limits->memory_limit : 64u * 1024 * 1024;
    x->instruction_limit =
        limits && limits->instruction_limit ? limits->instruction_limit : 200000000LL;
    x->time_limit = limits && limits->time_limit > 0 ? limits->time_limit : 10.0;
    acv_sha256_init(&x->scripts_hash);
    x->roots = calloc(n_roots ? n_roots : 1, sizeof *x->roots);
    if (!x->roots) {
        free(x);
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory starting Lua");
    }
    for (size_t i = 0; i < n_roots; i++) {
        x->roots[i].dir = strdup(roots[i].dir);
        x->roots[i].display = strdup(roots[i].display ? roots[i].display : "");
        x->n_roots++;
        if (!x->roots[i].dir || !x->roots[i].display) {
            acv_lua_free(x);
            return acv_error_set(err, ACV_ERR_NOMEM, "out of memory starting Lua");
        }
    }
    x->L = lua_newstate(capped_alloc, x);
    if (!x->L) {
        acv_lua_free(x);
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory starting Lua");
    }
    lua_atpanic(x->L, panic_handler);
    if (watchdog_start(x) != 0) {
        acv_lua_free(x);
        return acv_error_set(err, ACV_ERR_NOMEM, "cannot start the script watchdog");
    }
    /* scoring makes ~1 MB of short-lived tables per area on top of a small live heap: a longer
     * pause between collections roughly halves the collector's share (measured at 2,000 areas:
     * 17.3 s -> 14.9 s for score --all), for a few MB of memory */
    lua_gc(x->L, LUA_GCINC, 400, 200, 0);
    build_base(x->L);
    *out = x;
    return ACV_OK;
}

void acv_lua_free(acv_lua *x)
{
    if (!x)
        return;
    watchdog_stop(x);
    if (x->L) {
        lua_gc(x->L, LUA_GCCOLLECT, 0);
        lua_close(x->L);
    }
    for (size_t i = 0; i < x->n_roots; i++) {
        free((char *)x->roots[i].dir);
        free((char *)x->roots[i].display);
    }
    free(x->roots);
    free(x);
}

/* Loads buf (len bytes, malloc'd: freed here) as the chunk `name` and runs it; a chunk that does
 * not load is the script's error. */
static acv_status run_chunk(acv_lua *x, char *buf, size_t len, const char *name, acv_error *err)
{
    int rc = load_chunk(x->L, buf, len, name);
    free(buf);
    if (rc != LUA_OK) {
        acv_status st = acv_error_set(err, ACV_ERR_SCRIPT, "%s", lua_tostring(x->L, -1));
        lua_pop(x->L, 1);
        return st;
    }
    return acv_lua_pcall(x, 0, 0, err);
}

acv_status acv_lua_run_string(acv_lua *x, const char *source, const char *name, acv_error *err)
{
    size_t len = strlen(source);
    char *buf = malloc(len + 1);
    if (!buf)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    memcpy(buf, source, len + 1);
    return run_chunk(x, buf, len, name, err);
}

acv_status acv_lua_run_file(acv_lua *x, const char *relpath, acv_error *err)
{
    char display[512];
    char *buf = NULL;
    size_t len = 0;
    int too_big = 0;
    if (!find_script(x, relpath, &buf, &len, display, sizeof display, &too_big))
        return acv_error_set(err, too_big ? ACV_ERR_INPUT : ACV_ERR_IO, "%s: %s", relpath,
                             too_big == 2   ? "a symbolic link to a file outside the framework "
                                              "and overlay folders"
                             : too_big == 1 ? "script is larger than 1 MiB"
                                            : "script not found");
    return run_chunk(x, buf, len, display, err);
}

void acv_lua_set_base(acv_lua *x, const char *name)
{
    lua_rawgetp(x->L, LUA_REGISTRYINDEX, &REG_BASE);
    lua_insert(x->L, -2);
    lua_setfield(x->L, -2, name);
    lua_pop(x->L, 1);
}

void acv_lua_reseed(acv_lua *x)
{
    /* math.randomseed with an integer allocates nothing, so it cannot raise */
    lua_rawgetp(x->L, LUA_REGISTRYINDEX, &REG_RANDOMSEED);
    lua_pushinteger(x->L, RANDOM_SEED);
    lua_call(x->L, 1, 0);
}

void acv_lua_make_readonly(acv_lua *x)
{
    make_readonly(x->L);
}

void acv_lua_scripts_hash(acv_lua *x, char hex[65])
{
    acv_sha256 copy = x->scripts_hash;
    acv_sha256_final_hex(&copy, hex);
}

size_t acv_lua_memory_in_use(const acv_lua *x)
{
    return x->mem_used;
}

size_t acv_lua_memory_peak(const acv_lua *x)
{
    return x->mem_peak;
}

/* Reads and compiles the script at path, leaving the compiled chunk on the stack (ACV_OK) or
 * nothing (an error naming display). */
static acv_status compile_file(acv_lua *x, const char *path, const char *display, acv_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    int rc = acv_read_file(path, MAX_SCRIPT_BYTES, &buf, &len);
    if (rc != 0)
        return acv_error_set(err, rc == -2 ? ACV_ERR_INPUT : ACV_ERR_IO, "%s: %s", display,
                             rc == -2 ? "script is larger than 1 MiB" : strerror(errno));
    rc = load_chunk(x->L, buf, len, display);
    free(buf);
    if (rc == LUA_OK)
        return ACV_OK;
    acv_status st = acv_error_set(err, ACV_ERR_SCRIPT, "%s", lua_tostring(x->L, -1));
    lua_pop(x->L, 1);
    return st;
}

acv_status acv_lua_compile_path(acv_lua *x, const char *path, const char *display, acv_error *err)
{
    acv_status st = compile_file(x, path, display, err);
    if (st == ACV_OK)
        lua_pop(x->L, 1); /* the compiled chunk, never run */
    return st;
}

static int protected_call_chunk(lua_State *L)
{
    lua_call(L, 0, 1);
    return 1;
}

acv_status acv_lua_load_path(acv_lua *x, const char *path, const char *display, acv_error *err)
{
    acv_status st = compile_file(x, path, display, err);
    if (st != ACV_OK)
        return st;
    /* run the chunk under the limits; its return value stays on the stack */
    lua_pushcfunction(x->L, protected_call_chunk);
    lua_insert(x->L, -2);
    return acv_lua_pcall(x, 1, 1, err);
}
