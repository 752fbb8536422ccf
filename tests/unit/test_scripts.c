/*
 * test_scripts.c — the Lua test runner itself (tests/lua/runner.c, acvluatest). The Lua tests in
 * tests/lua/ are registered one ctest test per case by tests/CMakeLists.txt; here a fixture file
 * with a case that fails on purpose (tests/fixtures/lua/runner_test.lua) shows that a failure is
 * reported with its file and line and does not stop or change the other cases, that a case
 * missing from the registration is caught, and that a file that is not a table of cases is
 * refused.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIXTURE "tests/fixtures/lua/runner_test.lua"

static int runner(char **out, const char *args)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' %s 2>&1", ACV_TEST_LUA_RUNNER, args);
    return acv_test_run(cmd, out);
}

static void test_a_failing_case_does_not_hide_the_others(void **state)
{
    (void)state;
    char *out = NULL;
    assert_int_equal(runner(&out, FIXTURE), 1);
    /* file order; each case in a fresh sandbox, so the counter starts at 0 again */
    const char *expected[] = {
        "ok    " FIXTURE ": first_passes\n",
        "FAIL  " FIXTURE ": fails_on_purpose\n      " FIXTURE ":15: expected 3, got 2\n",
        "ok    " FIXTURE ": after_a_failure_still_runs\n",
        "FAIL  " FIXTURE ": raises_an_error\n      " FIXTURE
        ":26: attempt to index a nil value (local 't')\n",
        "FAIL  " FIXTURE ": leaks_a_global\n      " FIXTURE
        ": case 'leaks_a_global' assigned a global: leaked (declare it local)\n",
        "ok    " FIXTURE ": last_passes\n",
        FIXTURE ": 6 cases: 3 passed, 3 failed\n",
    };
    const char *at = out;
    for (size_t i = 0; i < sizeof expected / sizeof *expected; i++) {
        const char *found = strstr(at, expected[i]);
        if (!found)
            fprintf(stderr, "missing after offset %td: %s\n--- output:\n%s", at - out, expected[i],
                    out);
        assert_non_null(found);
        at = found + strlen(expected[i]);
    }
    free(out);
}

static void test_one_case_at_a_time(void **state)
{
    (void)state;
    char *out = NULL;
    assert_int_equal(runner(&out, FIXTURE " fails_on_purpose"), 1);
    assert_non_null(strstr(out, FIXTURE ":15: expected 3, got 2"));
    free(out);
    assert_int_equal(runner(&out, FIXTURE " last_passes"), 0);
    assert_string_equal(out, "ok    " FIXTURE ": last_passes\n");
    free(out);
    assert_int_equal(runner(&out, FIXTURE " no_such_case"), 1);
    assert_string_equal(out, "FAIL  " FIXTURE ": no_such_case\n      " FIXTURE
                             " has no case 'no_such_case'\n");
    free(out);
}

static void test_list_in_file_order(void **state)
{
    (void)state;
    char *out = NULL;
    assert_int_equal(runner(&out, "--list " FIXTURE), 0);
    assert_string_equal(out, "first_passes\nfails_on_purpose\nafter_a_failure_still_runs\n"
                             "raises_an_error\nleaks_a_global\nlast_passes\n");
    free(out);
}

/* --expect is what stops a case written another way from silently not being registered */
static void test_expect_catches_unregistered_cases(void **state)
{
    (void)state;
    char *out = NULL;
    assert_int_equal(runner(&out, "--expect " FIXTURE " first_passes fails_on_purpose "
                                  "after_a_failure_still_runs raises_an_error leaks_a_global "
                                  "last_passes"),
                     0);
    assert_string_equal(out, FIXTURE ": 6 cases, all registered\n");
    free(out);
    assert_int_equal(runner(&out, "--expect " FIXTURE " first_passes fails_on_purpose "
                                  "after_a_failure_still_runs raises_an_error leaks_a_global "
                                  "renamed"),
                     1);
    assert_string_equal(out, FIXTURE ":33: case 'last_passes' is not registered (write it as "
                                     "`function T.last_passes()`)\n" FIXTURE
                                     ": registered case 'renamed' is not in the returned table\n");
    free(out);
}

static void test_files_that_are_not_tables_of_cases(void **state)
{
    (void)state;
    const char *dir = acv_test_tmpdir("scripts");
    free(acv_test_write(dir, "tests/lua/nothing_test.lua", "local x = 1\n"));
    free(acv_test_write(dir, "tests/lua/empty_test.lua", "return {}\n"));
    free(acv_test_write(dir, "tests/lua/mixed_test.lua",
                        "return { ok = function() end, count = 3 }\n"));
    free(acv_test_write(dir, "tests/lua/syntax_test.lua", "return {\n"));
    char args[1024], *out = NULL;
    snprintf(args, sizeof args, "--root '%s' tests/lua/nothing_test.lua", dir);
    assert_int_equal(runner(&out, args), 2);
    assert_string_equal(out, "tests/lua/nothing_test.lua: returns nil, not a table of test cases "
                             "(end the file with `return T`)\n");
    free(out);
    snprintf(args, sizeof args, "--root '%s' tests/lua/empty_test.lua", dir);
    assert_int_equal(runner(&out, args), 2);
    assert_string_equal(out, "tests/lua/empty_test.lua: no test cases (define them as "
                             "`function T.name() ... end`)\n");
    free(out);
    snprintf(args, sizeof args, "--root '%s' tests/lua/mixed_test.lua", dir);
    assert_int_equal(runner(&out, args), 2);
    assert_string_equal(out,
                        "tests/lua/mixed_test.lua: case 'count' is a number, not a function\n");
    free(out);
    snprintf(args, sizeof args, "--root '%s' tests/lua/syntax_test.lua", dir);
    assert_int_equal(runner(&out, args), 2);
    assert_non_null(strstr(out, "tests/lua/syntax_test.lua:"));
    free(out);
    assert_int_equal(runner(&out, "tests/lua/missing_test.lua"), 2);
    assert_string_equal(out, "acvluatest: tests/lua/missing_test.lua: no such test file\n");
    free(out);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_a_failing_case_does_not_hide_the_others),
    cmocka_unit_test(test_one_case_at_a_time),
    cmocka_unit_test(test_list_in_file_order),
    cmocka_unit_test(test_expect_catches_unregistered_cases),
    cmocka_unit_test(test_files_that_are_not_tables_of_cases),
};

ACV_TEST_MAIN("scripts", tests)
