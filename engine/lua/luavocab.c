/* luavocab.c — the progress-class vocabulary read from methods.progress; see luavocab.h. */
#include "luavocab.h"
#include "sandbox_lua.h"

#include <lauxlib.h>

typedef struct {
    acv_buf *body;
    int found;
    acv_error err; /* a field the body refuses */
    int refused;
} vocab_read;

static const char *field(lua_State *L, lua_Integer i, const char *name)
{
    if (lua_getfield(L, -1, name) != LUA_TSTRING)
        luaL_error(L, "%s: VOCABULARY[%d].%s must be a string, not %s", ACV_PROGRESS_MODULE, (int)i,
                   name, luaL_typename(L, -1));
    const char *s = lua_tostring(L, -1);
    lua_pop(L, 1); /* the string stays alive: the entry table holds it */
    return s;
}

/* module -> (); fills the vocab_read in the upvalue */
static int protected_read(lua_State *L)
{
    vocab_read *r = lua_touserdata(L, lua_upvalueindex(1));
    if (lua_getfield(L, 1, "VOCABULARY") == LUA_TNIL)
        return 0;
    if (!lua_istable(L, -1))
        return luaL_error(L, "%s: VOCABULARY must be a list of classes", ACV_PROGRESS_MODULE);
    r->found = 1;
    acv_vocab_body_start(r->body);
    lua_Integer n = luaL_len(L, -1);
    for (lua_Integer i = 1; i <= n; i++) {
        acv_lua_charge(L, 1); /* n comes from a __len the script may define */
        if (lua_geti(L, -1, i) != LUA_TTABLE)
            return luaL_error(L, "%s: VOCABULARY[%d] must be a table", ACV_PROGRESS_MODULE, (int)i);
        acv_class_entry e = {field(L, i, "class"), field(L, i, "symbol"), field(L, i, "colour"),
                             field(L, i, "methods"), field(L, i, "label")};
        if (acv_vocab_body_add(r->body, &e, &r->err) != ACV_OK) {
            r->refused = 1;
            return 0;
        }
        lua_pop(L, 1);
    }
    return 0;
}

acv_status acv_bridge_class_vocabulary(acv_lua *lua, acv_buf *body, int *found, acv_error *err)
{
    *found = 0;
    acv_status st = acv_lua_require(lua, ACV_PROGRESS_MODULE, err);
    if (st != ACV_OK)
        return st;
    lua_State *L = acv_lua_state(lua);
    vocab_read r = {.body = body};
    lua_pushlightuserdata(L, &r);
    lua_pushcclosure(L, protected_read, 1);
    lua_rotate(L, -2, 1); /* function, module */
    st = acv_lua_pcall(lua, 1, 0, err);
    if (st == ACV_OK && r.refused) {
        *err = r.err;
        st = r.err.status;
    }
    if (st == ACV_OK && body->failed)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory reading the class vocabulary");
    if (st == ACV_OK)
        *found = r.found;
    return st;
}
