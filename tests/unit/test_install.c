/*
 * test_install.c — where an installed binary finds its data: <prefix>/share/acvtrack beside
 * <prefix>/bin/acvtrack, only when that folder holds indicators/ (install.h).
 */
#include "testutil.h"

#include "install.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A prefix with bin/ and, when with_data, share/acvtrack/indicators/; returns its real path. */
static const char *make_prefix(const char *tag, int with_data)
{
    static char real[PATH_MAX];
    const char *dir = acv_test_tmpdir(tag);
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/bin", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    if (with_data) {
        snprintf(path, sizeof path, "%s/share", dir);
        assert_int_equal(mkdir(path, 0755), 0);
        snprintf(path, sizeof path, "%s/share/acvtrack", dir);
        assert_int_equal(mkdir(path, 0755), 0);
        snprintf(path, sizeof path, "%s/share/acvtrack/indicators", dir);
        assert_int_equal(mkdir(path, 0755), 0);
    }
    assert_non_null(realpath(dir, real));
    return real;
}

static void installed_layout(void **state)
{
    (void)state;
    const char *prefix = make_prefix("install_layout", 1);
    char exe[PATH_MAX], out[PATH_MAX], want[PATH_MAX];
    snprintf(exe, sizeof exe, "%s/bin/acvtrack", prefix);
    snprintf(want, sizeof want, "%s/share/acvtrack", prefix);
    assert_int_equal(acv_install_data_dir_for(exe, out, sizeof out), 1);
    /* resolved: no bin/.. left in it */
    assert_string_equal(out, want);
}

static void no_data_beside_the_binary(void **state)
{
    (void)state;
    /* a build folder: bin/ (here the binary's folder) without ../share/acvtrack/indicators */
    const char *prefix = make_prefix("install_none", 0);
    char exe[PATH_MAX], out[PATH_MAX];
    snprintf(exe, sizeof exe, "%s/bin/acvtrack", prefix);
    assert_int_equal(acv_install_data_dir_for(exe, out, sizeof out), 0);
    assert_string_equal(out, "");
    /* share/acvtrack/indicators beside a folder that is not bin/ (a build folder next to an
     * installation into the source tree) is not an installation */
    const char *other = make_prefix("install_not_bin", 1);
    snprintf(exe, sizeof exe, "%s/build/acvtrack", other);
    assert_int_equal(acv_install_data_dir_for(exe, out, sizeof out), 0);
    assert_string_equal(out, "");
    snprintf(exe, sizeof exe, "%s/xbin/acvtrack", other);
    assert_int_equal(acv_install_data_dir_for(exe, out, sizeof out), 0);
    /* no folder in the name at all */
    assert_int_equal(acv_install_data_dir_for("acvtrack", out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(acv_install_data_dir_for(NULL, out, sizeof out), 0);
}

static void too_small_a_buffer(void **state)
{
    (void)state;
    const char *prefix = make_prefix("install_small", 1);
    char exe[PATH_MAX], out[8];
    snprintf(exe, sizeof exe, "%s/bin/acvtrack", prefix);
    assert_int_equal(acv_install_data_dir_for(exe, out, sizeof out), 0);
    assert_string_equal(out, "");
}

static void test_binary_is_not_installed(void **state)
{
    (void)state;
    /* this test program lives in the build folder: there is no share/acvtrack beside it */
    assert_null(acv_install_data_dir());
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(installed_layout),
    cmocka_unit_test(no_data_beside_the_binary),
    cmocka_unit_test(too_small_a_buffer),
    cmocka_unit_test(test_binary_is_not_installed),
};

ACV_TEST_MAIN("install", tests)
