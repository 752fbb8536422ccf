/* testutil.c — see testutil.h. */
#include "testutil.h"

#include "context.h"
#include "storage.h"
#include "util.h"

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

void acv_test_synthetic_workspace(const char *db, const char *country, size_t n, size_t n_unscored,
                                  double (*score)(void *ud, size_t area, size_t level), void *ud)
{
    char cmd[4096], *out = NULL;
    const char *dir = acv_test_tmpdir("synthetic-areas");
    assert_non_null(dir);
    acv_buf csv = {0};
    acv_buf_printf(&csv,
                   "code,name,level,parent,country,population,population_year,source\n"
                   "%s,Country %s,country,,%s,,,test\n",
                   country, country, country);
    for (size_t i = 1; i <= n; i++) {
        if (i == 1)
            acv_buf_printf(&csv,
                           "%s-%04zu,Municipality of Area 0001 whose official name is long "
                           "enough to wrap on any screen,city,%s,%s,%zu,2025,test\n",
                           country, i, country, country, i * 1000);
        else
            acv_buf_printf(&csv, "%s-%04zu,Area %04zu,city,%s,%s,%zu,2025,test\n", country, i, i,
                           country, country, i * 1000);
    }
    assert_false(csv.failed);
    char *path = acv_test_write(dir, "areas.csv", csv.data);
    acv_buf_free(&csv);
    snprintf(cmd, sizeof cmd, "%s --db %s init && %s --db %s areas import %s", ACV_TEST_BINARY, db,
             ACV_TEST_BINARY, db, path);
    int rc = acv_test_run(cmd, &out);
    if (rc)
        fprintf(stderr, "%s\n", out ? out : "");
    assert_int_equal(rc, 0);
    free(out);
    free(path);

    acv_ctx_options opt = {.db_path = db};
    acv_ctx *ctx = NULL;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_ctx_open(&opt, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, &ctx, &err), ACV_OK);
    const acv_framework *fw = ctx->fw;
    size_t n_levels = 1 + fw->n_pillars + fw->n_action_areas;
    acv_result *rows = calloc(n_levels, sizeof *rows);
    assert_non_null(rows);
    assert_int_equal(acv_store_begin(ctx->store, &err), ACV_OK);
    for (size_t i = 0; i + n_unscored < n; i++) {
        char code[64], data_hash[65];
        snprintf(code, sizeof code, "%s-%04zu", country, i + 1);
        snprintf(data_hash, sizeof data_hash, "%064zx", i + 1);
        acv_run run = {.area_id = acv_store_area_id(ctx->store, code),
                       .year = 2025,
                       .engine_version = "test",
                       .framework_id = "acv2045",
                       .framework_version = "test",
                       .framework_hash = "f00dfeedf00dfeedf00dfeedf00dfeed",
                       .data_hash = data_hash,
                       .methods_hash = "beefcafebeefcafebeefcafebeefcafe"};
        assert_true(run.area_id > 0);
        assert_int_equal(acv_store_add_run(ctx->store, &run, &err), ACV_OK);
        for (size_t l = 0; l < n_levels; l++) {
            double v = score(ud, i, l);
            rows[l] = (acv_result){.level = l == 0               ? "overall"
                                            : l <= fw->n_pillars ? "pillar"
                                                                 : "action_area",
                                   .code = l == 0 ? "ACV"
                                           : l <= fw->n_pillars
                                               ? fw->pillars[l - 1].id
                                               : fw->action_areas[l - 1 - fw->n_pillars].id,
                                   .has_score = v == v,
                                   .score = v == v ? v : 0};
        }
        assert_int_equal(acv_store_add_results(ctx->store, run.id, rows, n_levels, &err), ACV_OK);
    }
    assert_int_equal(acv_store_commit(ctx->store, &err), ACV_OK);
    free(rows);
    acv_ctx_close(ctx);
}
