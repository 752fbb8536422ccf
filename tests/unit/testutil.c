/* testutil.c — see testutil.h. */
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int acv_test_main(int argc, char **argv, const char *group, const struct CMUnitTest *tests,
                  size_t n)
{
    if (argc > 1)
        cmocka_set_test_filter(argv[1]);
    return _cmocka_run_group_tests(group, tests, n, NULL, NULL);
}

static void mkdirs(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(buf, 0755);
            *p = '/';
        }
    }
    mkdir(buf, 0755);
}

const char *acv_test_tmpdir(const char *tag)
{
    static int counter;
    static char paths[64][512];
    int i = counter++ % 64;
    snprintf(paths[i], sizeof paths[i], "tmp/%s-%ld-%d", tag, (long)getpid(), i);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", paths[i]);
    if (system(cmd) != 0)
        return NULL;
    mkdirs(paths[i]);
    return paths[i];
}

char *acv_test_write(const char *dir, const char *name, const char *text)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    snprintf(path, n, "%s/%s", dir, name);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    mkdirs(path);
    *slash = '/';
    FILE *f = fopen(path, "wb");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    return path;
}

const char *acv_test_copy_framework(const char *tag)
{
    const char *dir = acv_test_tmpdir(tag);
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "mkdir -p '%s/indicators' && cp '%s'/indicators/*.yml '%s/indicators/' && "
             "cp -r '%s/scripts' '%s/'",
             dir, ACV_TEST_SOURCE_DIR, dir, ACV_TEST_SOURCE_DIR, dir);
    if (system(cmd) != 0)
        return NULL;
    return dir;
}

char *acv_test_read(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    buf[n] = '\0';
    fclose(f);
    return buf;
}

int acv_test_run(const char *command, char **output)
{
    char *full = malloc(strlen(command) + 16);
    sprintf(full, "%s 2>&1", command);
    FILE *p = popen(full, "r");
    free(full);
    if (!p)
        return -1;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, p)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    buf[n] = '\0';
    int status = pclose(p);
    if (output)
        *output = buf;
    else
        free(buf);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 255;
}
