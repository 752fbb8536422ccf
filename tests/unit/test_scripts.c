/*
 * test_scripts.c — runs the Lua tests in tests/lua/ inside the real sandbox, with the project's
 * scripts/ on the module path, one cmocka case per test file. A failing check reports the Lua
 * file and line.
 */
#include "testutil.h"

#include "sandbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void run_lua_test(const char *relpath)
{
    acv_script_root roots[] = {{ACV_TEST_SOURCE_DIR, ""}};
    acv_lua *lua = NULL;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_lua_new(NULL, roots, 1, &lua, &err), ACV_OK);
    acv_status st = acv_lua_run_file(lua, relpath, &err);
    if (st != ACV_OK)
        fprintf(stderr, "%s\n", err.message);
    assert_int_equal(st, ACV_OK);
    acv_lua_free(lua);
}

static void test_normalise(void **state)
{
    (void)state;
    run_lua_test("tests/lua/normalise_test.lua");
}

static void test_aggregate(void **state)
{
    (void)state;
    run_lua_test("tests/lua/aggregate_test.lua");
}

static void test_scoring(void **state)
{
    (void)state;
    run_lua_test("tests/lua/scoring_test.lua");
}

static void test_progress(void **state)
{
    (void)state;
    run_lua_test("tests/lua/progress_test.lua");
}

static void test_impute(void **state)
{
    (void)state;
    run_lua_test("tests/lua/impute_test.lua");
}

static void test_derive(void **state)
{
    (void)state;
    run_lua_test("tests/lua/derive_test.lua");
}

static void test_alignment(void **state)
{
    (void)state;
    run_lua_test("tests/lua/alignment_test.lua");
}

static void test_priorities(void **state)
{
    (void)state;
    run_lua_test("tests/lua/priorities_test.lua");
}

/* The runner itself must fail on a failing check, and say where. */
static void test_failing_check_reports_file_and_line(void **state)
{
    (void)state;
    const char *dir = acv_test_tmpdir("scripts");
    free(acv_test_write(dir, "tests/lua/bad_test.lua",
                        "local check = require('helpers.check')\n"
                        "check.equal(1 + 1, 3)\n"));
    acv_script_root roots[] = {{ACV_TEST_SOURCE_DIR, ""}, {dir, ""}};
    acv_lua *lua = NULL;
    acv_error err;
    assert_int_equal(acv_lua_new(NULL, roots, 2, &lua, &err), ACV_OK);
    assert_int_equal(acv_lua_run_file(lua, "tests/lua/bad_test.lua", &err), ACV_ERR_SCRIPT);
    assert_non_null(strstr(err.message, "tests/lua/bad_test.lua:2: expected 3, got 2"));
    acv_lua_free(lua);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_normalise),
    cmocka_unit_test(test_aggregate),
    cmocka_unit_test(test_scoring),
    cmocka_unit_test(test_progress),
    cmocka_unit_test(test_impute),
    cmocka_unit_test(test_derive),
    cmocka_unit_test(test_alignment),
    cmocka_unit_test(test_priorities),
    cmocka_unit_test(test_failing_check_reports_file_and_line),
};

ACV_TEST_MAIN("scripts", tests)
