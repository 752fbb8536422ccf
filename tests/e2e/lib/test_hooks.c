/*
 * test_hooks.c — linked only into acvtrack-test-hooks, the binary tests/e2e/watchdog.sh runs: a C
 * function a script can call that loops for ever without returning to Lua, standing for a C
 * function the sandbox's bounds missed, so the test can show the watchdog ends it.
 */
#include "sandbox_lua.h"

#include <lauxlib.h>

static int spin_in_c(lua_State *L)
{
    (void)L;
    volatile unsigned long spins = 0;
    for (;;)
        spins++;
    return 0;
}

void acv_lua_test_hooks(lua_State *L)
{
    lua_pushcfunction(L, spin_in_c);
    lua_setfield(L, -2, "spin_in_c");
}
