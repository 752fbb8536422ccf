/*
 * test_atomicfile.c — the one atomic file writer: the new content replaces the old whole, no
 * temporary file is ever left in the folder, a failed write keeps the old file byte for byte, and
 * several files are published together or not at all.
 */
#include "testutil.h"

#include "atomicfile.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Number of entries in dir other than . and .. */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

/* dir/name in a malloc'd string freed when the test program exits. */
static char *paths[64];
static size_t n_paths;

static void free_paths(void)
{
    for (size_t i = 0; i < n_paths; i++)
        free(paths[i]);
}

static const char *path_in(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    assert_true(n_paths < sizeof paths / sizeof *paths);
    if (!n_paths)
        atexit(free_paths);
    char *p = paths[n_paths++] = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static void test_replaces_whole_and_leaves_no_temp(void **state)
{
    (void)state;
    const char *dir = acv_test_tmpdir("atomic-replace");
    const char *path = path_in(dir, "report.md");
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_write_file_atomic(path, "old content\n", 12, 0, &err), ACV_OK);
    assert_int_equal(acv_write_file_atomic(path, "new\n", 4, 0, &err), ACV_OK);
    char *text = acv_test_read(path);
    assert_string_equal(text, "new\n");
    free(text);
    assert_int_equal(entries(dir), 1);
    /* an empty file is a file too */
    assert_int_equal(acv_write_file_atomic(path, "", 0, 0, &err), ACV_OK);
    text = acv_test_read(path);
    assert_string_equal(text, "");
    free(text);
    assert_int_equal(entries(dir), 1);
}

static void test_failed_rename_keeps_old_target(void **state)
{
    (void)state;
    const char *dir = acv_test_tmpdir("atomic-fail");
    /* the target is a folder with a file in it: the rename over it fails */
    const char *target = path_in(dir, "out");
    assert_int_equal(mkdir(target, 0755), 0);
    free(acv_test_write(target, "keep.txt", "kept\n"));
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_write_file_atomic(target, "data", 4, 0, &err), ACV_ERR_IO);
    char want[1100];
    snprintf(want, sizeof want, "%s: cannot write: ", target);
    assert_memory_equal(err.message, want, strlen(want));
    char *text = acv_test_read(path_in(target, "keep.txt"));
    assert_string_equal(text, "kept\n");
    free(text);
    assert_int_equal(entries(dir), 1);
    assert_int_equal(entries(target), 1);
}

static void test_missing_folder(void **state)
{
    (void)state;
    const char *dir = acv_test_tmpdir("atomic-parents");
    const char *path = path_in(dir, "a/b/c.csv");
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_write_file_atomic(path, "x", 1, 0, &err), ACV_ERR_IO);
    char want[1100];
    snprintf(want, sizeof want, "%s: cannot write: No such file or directory", path);
    assert_string_equal(err.message, want);
    assert_int_equal(entries(dir), 0);
    assert_int_equal(acv_write_file_atomic(path, "x", 1, 1, &err), ACV_OK);
    char *text = acv_test_read(path);
    assert_string_equal(text, "x");
    free(text);
    assert_int_equal(entries(path_in(dir, "a/b")), 1);
}

static void test_abandon_keeps_old_file(void **state)
{
    (void)state;
    const char *dir = acv_test_tmpdir("atomic-abandon");
    const char *path = path_in(dir, "data.csv");
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_write_file_atomic(path, "a,b\r\n", 5, 0, &err), ACV_OK);
    acv_atomic_file *f = NULL;
    assert_int_equal(acv_atomic_open(path, 0, &f, &err), ACV_OK);
    fputs("half a new fi", acv_atomic_stream(f));
    assert_int_equal(entries(dir), 2); /* the temporary file sits beside the target */
    acv_atomic_abandon(f);
    char *text = acv_test_read(path);
    assert_string_equal(text, "a,b\r\n");
    free(text);
    assert_int_equal(entries(dir), 1);
}

static void test_several_files_all_or_none(void **state)
{
    (void)state;
    const char *dir = acv_test_tmpdir("atomic-several");
    acv_error err;
    acv_error_clear(&err);
    acv_atomic_file *a = NULL, *b = NULL;
    assert_int_equal(acv_atomic_open(path_in(dir, "one.txt"), 0, &a, &err), ACV_OK);
    assert_int_equal(acv_atomic_open(path_in(dir, "two.txt"), 0, &b, &err), ACV_OK);
    fputs("1", acv_atomic_stream(a));
    fputs("2", acv_atomic_stream(b));
    assert_int_equal(acv_atomic_close(a, &err), ACV_OK);
    assert_int_equal(acv_atomic_close(b, &err), ACV_OK);
    /* closed but not published: the targets do not exist yet */
    assert_null(acv_test_read(path_in(dir, "one.txt")));
    assert_int_equal(acv_atomic_publish(a, &err), ACV_OK);
    assert_int_equal(acv_atomic_publish(b, &err), ACV_OK);
    char *one = acv_test_read(path_in(dir, "one.txt")),
         *two = acv_test_read(path_in(dir, "two.txt"));
    assert_string_equal(one, "1");
    assert_string_equal(two, "2");
    free(one);
    free(two);
    assert_int_equal(entries(dir), 2);
}

/* A rename that fails after an earlier one succeeded: the earlier target gets its old content
 * back, a new file is removed, and no temporary or aside file is left. The second target becomes
 * a folder with a file in it after it was opened, so only its rename can fail. */
static void test_publish_all_restores_on_failure(void **state)
{
    (void)state;
    const char *dir = acv_test_tmpdir("atomic-restore");
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_write_file_atomic(path_in(dir, "first.txt"), "old\n", 4, 0, &err), ACV_OK);
    acv_atomic_file *f[3] = {NULL, NULL, NULL};
    assert_int_equal(acv_atomic_open(path_in(dir, "first.txt"), 0, &f[0], &err), ACV_OK);
    assert_int_equal(acv_atomic_open(path_in(dir, "fresh.txt"), 0, &f[1], &err), ACV_OK);
    assert_int_equal(acv_atomic_open(path_in(dir, "second"), 0, &f[2], &err), ACV_OK);
    fputs("new first", acv_atomic_stream(f[0]));
    fputs("new fresh", acv_atomic_stream(f[1]));
    fputs("new second", acv_atomic_stream(f[2]));
    assert_int_equal(mkdir(path_in(dir, "second"), 0755), 0);
    free(acv_test_write(path_in(dir, "second"), "keep.txt", "kept\n"));
    assert_int_equal(acv_atomic_publish_all(f, 3, &err), ACV_ERR_IO);
    char want[1100];
    snprintf(want, sizeof want, "%s: cannot write: ", path_in(dir, "second"));
    assert_memory_equal(err.message, want, strlen(want));
    char *text = acv_test_read(path_in(dir, "first.txt"));
    assert_string_equal(text, "old\n");
    free(text);
    assert_null(acv_test_read(path_in(dir, "fresh.txt")));
    assert_int_equal(entries(dir), 2); /* first.txt and the folder second, nothing else */
    /* and without the obstacle all three appear */
    assert_int_equal(acv_atomic_open(path_in(dir, "first.txt"), 0, &f[0], &err), ACV_OK);
    assert_int_equal(acv_atomic_open(path_in(dir, "fresh.txt"), 0, &f[1], &err), ACV_OK);
    fputs("new first", acv_atomic_stream(f[0]));
    assert_int_equal(acv_atomic_publish_all(f, 2, &err), ACV_OK);
    text = acv_test_read(path_in(dir, "first.txt"));
    assert_string_equal(text, "new first");
    free(text);
    assert_int_equal(entries(dir), 3);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_replaces_whole_and_leaves_no_temp),
    cmocka_unit_test(test_failed_rename_keeps_old_target),
    cmocka_unit_test(test_missing_folder),
    cmocka_unit_test(test_abandon_keeps_old_file),
    cmocka_unit_test(test_several_files_all_or_none),
    cmocka_unit_test(test_publish_all_restores_on_failure),
};

ACV_TEST_MAIN("atomicfile", tests)
