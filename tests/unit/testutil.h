/*
 * testutil.h — shared helpers for the cmocka programs: a main that runs one named case (or all),
 * temporary folders, and writing fixture files.
 */
#ifndef ACV_TESTUTIL_H
#define ACV_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* Runs the group; with a case name in argv[1] only that case runs (ctest registers each). */
int acv_test_main(int argc, char **argv, const char *group, const struct CMUnitTest *tests,
                  size_t n);
#define ACV_TEST_MAIN(group, tests)                                                                \
    int main(int argc, char **argv)                                                                \
    {                                                                                              \
        return acv_test_main(argc, argv, group, tests, sizeof(tests) / sizeof(tests[0]));          \
    }

/* A fresh empty folder under the build tree, unique per process and call; the returned string
 * is owned by the test util and lives until exit. */
const char *acv_test_tmpdir(const char *tag);

/* Writes text to dir/name (creating subfolders) and returns the malloc'd path. */
char *acv_test_write(const char *dir, const char *name, const char *text);

/* Copies the project's framework (indicators/NAME.yml and scripts/) into a new temp folder, so a
 * test can break one file; returns the folder. */
const char *acv_test_copy_framework(const char *tag);

/* Reads a whole file into a malloc'd string (NULL when missing). */
char *acv_test_read(const char *path);

/* Runs a shell command, returns its exit status (0-255), capturing stdout+stderr into *output
 * (malloc'd) when output is not NULL. */
int acv_test_run(const char *command, char **output);

/* Makes db a workspace of n synthetic areas of country CC below a country row CC: codes
 * "CC-0001", ... (1-based), names "Area 0001" (area 1 has a long name of 90 characters),
 * population 1000 × the area's number, every one but the last n_unscored scored for 2025 with
 * the scores score() gives: level 0 is the overall score, then the framework's pillars, then its
 * action areas (the order of acv_compare_many's levels); NAN means no score at that level. The
 * runs are written straight to the store, so 2,000 areas take a second, not a scoring run. */
void acv_test_synthetic_workspace(const char *db, const char *country, size_t n, size_t n_unscored,
                                  double (*score)(void *ud, size_t area, size_t level), void *ud);

#endif
