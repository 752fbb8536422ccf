/*
 * runner.c — acvluatest, the runner of the Lua tests (tests/lua/<name>_test.lua, docs/testing.md).
 *
 * A test file returns a table of named cases, each defined as `function T.name() ... end`:
 *
 *   local check = require("helpers.check")
 *   local T = {}
 *   function T.clamps_at_both_ends() check.equal(normalise.minmax(9, 0, 6), 100) end
 *   return T
 *
 * Every case runs in a fresh sandbox (the engine's, with the project's scripts/ on the module
 * path), so a failing case cannot stop or change the others. tests/CMakeLists.txt registers one
 * ctest test per case, found by the pattern `function T.<name>(`; `--expect` checks that the
 * pattern found exactly the cases the file returns, so a case written another way is not lost.
 *
 *   acvluatest [--root DIR]... FILE           run every case in file order; exit 1 if any failed
 *   acvluatest [--root DIR]... FILE CASE      run one case
 *   acvluatest [--root DIR]... --list FILE    print the case names, one a line, in file order
 *   acvluatest [--root DIR]... --expect FILE CASE...   exit 1 unless the file's cases are these
 *
 * FILE is relative to a root (the project by default; --root adds folders looked in first) and is
 * how failures name it: `tests/lua/normalise_test.lua:12: expected 98, got 97.5`. Exit status 2
 * means the file could not be run at all (missing, a syntax error, not a table of cases).
 */
#include "sandbox_lua.h"

#include <lauxlib.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_ROOTS 8
#define MAX_CASES 512

typedef struct {
    acv_script_root roots[MAX_ROOTS];
    size_t n_roots;
    const char *file; /* root-relative */
    char path[4096];  /* where it is on disk */
} runner;

typedef struct {
    char *name;
    int line;
} test_case;

static int find_file(runner *r)
{
    for (size_t i = 0; i < r->n_roots; i++) {
        snprintf(r->path, sizeof r->path, "%s/%s", r->roots[i].dir, r->file);
        if (access(r->path, R_OK) == 0)
            return 1;
    }
    return 0;
}

/* A fresh sandbox with the file's table of cases on top of its stack; NULL (message printed)
 * when the file cannot be run or does not return a table. */
static acv_lua *load_cases(const runner *r)
{
    acv_lua *lua = NULL;
    acv_error err;
    acv_error_clear(&err);
    if (acv_lua_new(NULL, r->roots, r->n_roots, &lua, &err) != ACV_OK) {
        fprintf(stderr, "acvluatest: %s\n", err.message);
        return NULL;
    }
    if (acv_lua_load_path(lua, r->path, r->file, &err) != ACV_OK) {
        fprintf(stderr, "%s\n", err.message);
        acv_lua_free(lua);
        return NULL;
    }
    lua_State *L = acv_lua_state(lua);
    if (!lua_istable(L, -1)) {
        fprintf(stderr,
                "%s: returns %s, not a table of test cases (end the file with `return T`)\n",
                r->file, luaL_typename(L, -1));
        acv_lua_free(lua);
        return NULL;
    }
    return lua;
}

static int by_line(const void *a, const void *b)
{
    const test_case *x = a, *y = b;
    return x->line != y->line ? (x->line > y->line) - (x->line < y->line)
                              : strcmp(x->name, y->name);
}

static int valid_name(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!(*s == '_' || (*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
              (*s >= 'A' && *s <= 'Z')))
            return 0;
    return 1;
}

/* The cases of the file, in the order they are defined; -1 (message printed) when a key is not a
 * case name or a value not a function. */
static int list_cases(const runner *r, test_case *cases, size_t max)
{
    acv_lua *lua = load_cases(r);
    if (!lua)
        return -1;
    lua_State *L = acv_lua_state(lua);
    int n = 0, bad = 0;
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        if (lua_type(L, -2) != LUA_TSTRING || !valid_name(lua_tostring(L, -2))) {
            fprintf(stderr,
                    "%s: the table has a key that is not a case name (letters, digits, _)\n",
                    r->file);
            bad = 1;
        } else if (!lua_isfunction(L, -1)) {
            fprintf(stderr, "%s: case '%s' is a %s, not a function\n", r->file, lua_tostring(L, -2),
                    luaL_typename(L, -1));
            bad = 1;
        } else if ((size_t)n < max) {
            lua_Debug ar;
            lua_pushvalue(L, -1);
            lua_getinfo(L, ">S", &ar);
            cases[n].name = strdup(lua_tostring(L, -2));
            cases[n].line = ar.linedefined;
            n++;
        } else {
            fprintf(stderr, "%s: more than %d cases\n", r->file, MAX_CASES);
            bad = 1;
        }
        lua_pop(L, 1);
    }
    acv_lua_free(lua);
    if (!bad && n == 0) {
        fprintf(stderr, "%s: no test cases (define them as `function T.name() ... end`)\n",
                r->file);
        bad = 1;
    }
    if (bad) {
        for (int i = 0; i < n; i++)
            free(cases[i].name);
        return -1;
    }
    qsort(cases, (size_t)n, sizeof *cases, by_line);
    return n;
}

/* Pushes a set of the keys the table has now (rawget, so no metamethods run). */
static void push_keys(lua_State *L, int table)
{
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, table)) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_pushboolean(L, 1);
        lua_rawset(L, -4);
    }
}

/* The keys of table that are not in the set at index seen: printed when print, counted. */
static int new_keys(lua_State *L, int table, int seen, int print)
{
    int n = 0;
    lua_pushnil(L);
    while (lua_next(L, table)) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        if (lua_rawget(L, seen) == LUA_TNIL) {
            if (print)
                printf(" %s", lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?");
            n++;
        }
        lua_pop(L, 1);
    }
    return n;
}

/* Runs one case in its own sandbox: 0 passed, 1 failed (the message printed, indented). */
static int run_case(const runner *r, const char *name)
{
    acv_lua *lua = load_cases(r);
    if (!lua)
        return 1;
    lua_State *L = acv_lua_state(lua);
    int failed = 0;
    if (lua_getfield(L, -1, name) != LUA_TFUNCTION) {
        printf("FAIL  %s: %s\n      %s has no case '%s'\n", r->file, name, r->file, name);
        failed = 1;
    } else {
        /* the case's globals table: a case that assigns a global has a missing `local` */
        int env = 0;
        for (int up = 1; !env; up++) {
            const char *upname = lua_getupvalue(L, -1, up);
            if (!upname)
                break;
            if (strcmp(upname, "_ENV") == 0 && lua_istable(L, -1))
                env = lua_gettop(L);
            else
                lua_pop(L, 1);
        }
        int fn = env ? env - 1 : lua_gettop(L);
        int seen = 0;
        if (env) {
            push_keys(L, env);
            seen = lua_gettop(L);
        }
        lua_pushvalue(L, fn);
        acv_error err;
        acv_error_clear(&err);
        if (acv_lua_pcall(lua, 0, 0, &err) != ACV_OK) {
            printf("FAIL  %s: %s\n      ", r->file, name);
            for (const char *p = err.message; *p; p++) {
                putchar(*p);
                if (*p == '\n')
                    fputs("      ", stdout);
            }
            putchar('\n');
            failed = 1;
        } else if (env && new_keys(L, env, seen, 0) > 0) {
            printf("FAIL  %s: %s\n      %s: case '%s' assigned a global:", r->file, name, r->file,
                   name);
            new_keys(L, env, seen, 1);
            printf(" (declare it local)\n");
            failed = 1;
        } else {
            printf("ok    %s: %s\n", r->file, name);
        }
    }
    acv_lua_free(lua);
    return failed;
}

static int usage(void)
{
    fprintf(stderr, "usage: acvluatest [--root DIR]... FILE [CASE]\n"
                    "       acvluatest [--root DIR]... --list FILE\n"
                    "       acvluatest [--root DIR]... --expect FILE CASE...\n");
    return 2;
}

int main(int argc, char **argv)
{
    runner r = {0};
    int list = 0, expect = 0, i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--root") == 0 && i + 1 < argc && r.n_roots < MAX_ROOTS - 1)
            r.roots[r.n_roots++] = (acv_script_root){argv[++i], ""};
        else if (strcmp(argv[i], "--list") == 0)
            list = 1;
        else if (strcmp(argv[i], "--expect") == 0)
            expect = 1;
        else
            return usage();
    }
    r.roots[r.n_roots++] = (acv_script_root){ACV_TEST_SOURCE_DIR, ""};
    if (i >= argc || (list && i + 1 != argc) || (list && expect))
        return usage();
    r.file = argv[i++];
    if (!find_file(&r)) {
        fprintf(stderr, "acvluatest: %s: no such test file\n", r.file);
        return 2;
    }

    if (!expect && i + 1 == argc)
        return run_case(&r, argv[i]);
    if (!expect && i < argc)
        return usage();

    test_case *cases = calloc(MAX_CASES, sizeof *cases);
    if (!cases)
        return 2;
    int n = list_cases(&r, cases, MAX_CASES);
    if (n < 0) {
        free(cases);
        return 2;
    }
    int rc = 0;
    if (list) {
        for (int k = 0; k < n; k++)
            printf("%s\n", cases[k].name);
    } else if (expect) {
        /* both directions: a case the file returns but nobody registered, and a registered
         * name the file does not return */
        for (int k = 0; k < n; k++) {
            int found = 0;
            for (int a = i; a < argc && !found; a++)
                found = strcmp(argv[a], cases[k].name) == 0;
            if (!found) {
                fprintf(stderr,
                        "%s:%d: case '%s' is not registered (write it as `function T.%s()`)\n",
                        r.file, cases[k].line, cases[k].name, cases[k].name);
                rc = 1;
            }
        }
        for (int a = i; a < argc; a++) {
            int found = 0;
            for (int k = 0; k < n && !found; k++)
                found = strcmp(argv[a], cases[k].name) == 0;
            if (!found) {
                fprintf(stderr, "%s: registered case '%s' is not in the returned table\n", r.file,
                        argv[a]);
                rc = 1;
            }
        }
        if (rc == 0)
            printf("%s: %d cases, all registered\n", r.file, n);
    } else {
        int failed = 0;
        for (int k = 0; k < n; k++)
            failed += run_case(&r, cases[k].name);
        printf("%s: %d cases: %d passed, %d failed\n", r.file, n, n - failed, failed);
        rc = failed ? 1 : 0;
    }
    for (int k = 0; k < n; k++)
        free(cases[k].name);
    free(cases);
    return rc;
}
