/* scriptcheck.c — scripts that compile and method names the methods define; see scriptcheck.h. */
#include "scriptcheck.h"
#include "luavocab.h" /* ACV_PROGRESS_MODULE */
#include "sandbox_lua.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const SCRIPT_FOLDERS[] = {"scripts", "plugins"};

acv_status acv_scriptcheck_compile(acv_lua *lua, const acv_overlay *roots, acv_problems *out,
                                   size_t *n_files, acv_error *err)
{
    *n_files = 0;
    for (size_t root = 0; root < roots->n_roots; root++) {
        for (size_t k = 0; k < sizeof SCRIPT_FOLDERS / sizeof *SCRIPT_FOLDERS; k++) {
            acv_files files;
            acv_status st = acv_overlay_lua_files(roots, root, SCRIPT_FOLDERS[k], &files, err);
            if (st != ACV_OK)
                return st;
            for (size_t i = 0; i < files.n; i++) {
                acv_error e;
                acv_error_clear(&e);
                st = acv_lua_compile_path(lua, files.items[i].path, files.items[i].display, &e);
                if (st == ACV_ERR_NOMEM) {
                    acv_files_free(&files);
                    *err = e;
                    return st;
                }
                if (st != ACV_OK)
                    acv_problems_add(out, e.message);
                (*n_files)++;
            }
            acv_files_free(&files);
        }
    }
    return out->oom ? acv_error_set(err, ACV_ERR_NOMEM, "out of memory") : ACV_OK;
}

typedef struct {
    const acv_framework *fw;
    acv_problems *out;
} methods_read;

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* module -> (); checks every reference against the module's METHODS keys */
static int protected_methods(lua_State *L)
{
    methods_read *r = lua_touserdata(L, lua_upvalueindex(1));
    int has_table = lua_getfield(L, 1, "METHODS") == LUA_TTABLE;
    if (!has_table && !lua_isnil(L, -1))
        return luaL_error(L, "%s: METHODS must be a table of method names", ACV_PROGRESS_MODULE);
    /* the known names, sorted, for the message: "escap_api, escap_csi, opensdg, sdsn" */
    char list[1024] = "";
    if (has_table) {
        const char *names[64];
        size_t n = 0;
        lua_pushnil(L);
        while (lua_next(L, -2) != 0) {
            if (lua_type(L, -2) == LUA_TSTRING && n < sizeof names / sizeof *names)
                names[n++] = lua_tostring(L, -2); /* the table keeps the key alive */
            lua_pop(L, 1);
        }
        qsort(names, n, sizeof *names, by_name);
        for (size_t i = 0; i < n; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                     names[i]);
    }
    for (size_t i = 0; i < r->fw->n_method_refs; i++) {
        const acv_method_ref *m = &r->fw->method_refs[i];
        int ok = 0;
        if (has_table) {
            ok = lua_getfield(L, -1, m->name) != LUA_TNIL;
            lua_pop(L, 1);
        }
        if (ok)
            continue;
        char msg[1400];
        if (has_table)
            snprintf(msg, sizeof msg,
                     "%s: unknown progress method '%s' in %s (the methods define %s)", m->where,
                     m->name, m->what, list);
        else
            snprintf(msg, sizeof msg,
                     "%s: progress method '%s' in %s cannot be checked: %s has no METHODS table",
                     m->where, m->name, m->what, ACV_PROGRESS_MODULE);
        acv_problems_add(r->out, msg);
    }
    return 0;
}

acv_status acv_scriptcheck_methods(acv_lua *lua, const acv_framework *fw, acv_problems *out,
                                   acv_error *err)
{
    if (!fw || fw->n_method_refs == 0)
        return ACV_OK;
    acv_status st = acv_lua_require(lua, ACV_PROGRESS_MODULE, err);
    if (st != ACV_OK)
        return st;
    lua_State *L = acv_lua_state(lua);
    methods_read r = {fw, out};
    lua_pushlightuserdata(L, &r);
    lua_pushcclosure(L, protected_methods, 1);
    lua_rotate(L, -2, 1); /* function, module */
    st = acv_lua_pcall(lua, 1, 0, err);
    if (st == ACV_OK && out->oom)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    return st;
}

acv_status acv_scriptcheck_framework(const acv_overlay *roots, const acv_framework *fw,
                                     const acv_lua_limits *limits, acv_problems *out,
                                     size_t *n_files, acv_error *err)
{
    /* an overlay's scripts are searched first, as for scoring (context.c) */
    acv_script_root sr[2];
    size_t n_roots = 0;
    for (size_t k = roots->n_roots; k-- > 0 && n_roots < 2;)
        sr[n_roots++] = (acv_script_root){roots->roots[k].dir, roots->roots[k].display};
    acv_lua *lua = NULL;
    acv_status st = acv_lua_new(limits, sr, n_roots, &lua, err);
    if (st != ACV_OK)
        return st;
    size_t before = out->n;
    st = acv_scriptcheck_compile(lua, roots, out, n_files, err);
    /* the progress module's own syntax error is already a problem: nothing more to say */
    int progress_broken = 0;
    for (size_t i = before; i < out->n; i++)
        progress_broken |= strstr(out->items[i], "scripts/methods/progress.lua:") != NULL;
    if (st == ACV_OK && !progress_broken) {
        acv_error e;
        acv_error_clear(&e);
        st = acv_scriptcheck_methods(lua, fw, out, &e);
        if (st != ACV_OK && st != ACV_ERR_NOMEM) { /* a runtime error loading the methods */
            acv_problems_add(out, e.message);
            st = ACV_OK;
        } else if (st != ACV_OK) {
            *err = e;
        }
    }
    acv_lua_free(lua);
    return st;
}
