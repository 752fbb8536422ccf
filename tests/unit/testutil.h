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

#endif
