/*
 * test_submission.c — engine/exchange/submission.h: a package made from a small workspace reads
 * back with its values, provenance and manifest; one byte changed anywhere in it (each of the
 * first 200 bytes and every fifth byte after) is refused; the content hash does
 * not depend on the signature.
 */
#include "import.h"
#include "submission.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *dir;
    char *db;
    acv_ctx *ctx;
} workspace;

/* A workspace with the demo areas, three values of the capital and a key. */
static workspace make_workspace(const char *tag)
{
    workspace w = {0};
    w.dir = acv_test_tmpdir(tag);
    w.db = acv_path_join(w.dir, "acvtrack.db");
    acv_ctx_options opt = {.db_path = w.db, .framework_dir = ACV_TEST_SOURCE_DIR, .create_db = 1};
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_ctx_open(&opt, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, &w.ctx, &err), ACV_OK);
    assert_int_equal(acv_store_begin(w.ctx->store, &err), ACV_OK);
    acv_area demo = {.code = "DEMO", .name = "Demo", .level = "country", .country = "DEMO"};
    acv_area cap = {.code = "demo_capital_metro",
                    .name = "Capital",
                    .level = "city",
                    .parent_code = "DEMO",
                    .country = "DEMO"};
    int changed;
    assert_int_equal(acv_store_put_area(w.ctx->store, &demo, &changed, &err), ACV_OK);
    assert_int_equal(acv_store_put_area(w.ctx->store, &cap, &changed, &err), ACV_OK);
    assert_int_equal(acv_store_commit(w.ctx->store, &err), ACV_OK);
    char *csv = acv_test_write(w.dir, "city.csv",
                               "area,indicator,period,value\n"
                               "demo_capital_metro,PS.DRR.1,2019,0.35\n"
                               "demo_capital_metro,PS.DRR.1,2020,0.2\n"
                               "demo_capital_metro,CN.DIG.3,2024,63\n");
    acv_import_summary sum;
    assert_int_equal(acv_import_csv(w.ctx, csv, NULL, &sum, &err), ACV_OK);
    assert_int_equal(sum.added, 3);
    free(csv);
    acv_public_key k;
    assert_int_equal(acv_keys_create(w.db, "Capital", &k, &err), ACV_OK);
    return w;
}

static void close_workspace(workspace *w)
{
    acv_ctx_close(w->ctx);
    free(w->db);
}

typedef struct {
    acv_buf lines;
} obs_lines;

static int obs_line(void *ud, const acv_pkg_obs *o)
{
    obs_lines *l = ud;
    acv_buf_printf(&l->lines, "%s %s %s %g %s:%ld\n", o->area, o->indicator, o->period, o->value,
                   strrchr(o->file, '/') + 1, o->line);
    return 0;
}

static void test_package_reads_back(void **state)
{
    (void)state;
    workspace w = make_workspace("submission-read");
    char *out = acv_path_join(w.dir, "cap.acvs");
    acv_submission_request req = {.area = "demo_capital_metro", .output = out};
    acv_submission_summary s;
    acv_error err = {0};
    assert_int_equal(acv_submission_create(w.ctx, &req, &s, &err), ACV_OK);
    assert_int_equal(s.observations, 3);
    assert_int_equal(s.revisions, 0);
    assert_int_equal(s.areas, 2); /* the city and its country */
    assert_int_equal(s.first_year, 2019);
    assert_int_equal(s.last_year, 2024);
    assert_int_equal(s.sent_id, 1);
    acv_package *p = NULL;
    assert_int_equal(acv_package_open_file(out, ACV_PACKAGE_MAX_BYTES, &p, &err), ACV_OK);
    assert_string_equal(p->content_hash, s.content_hash);
    assert_string_equal(p->submission_id, s.submission_id);
    assert_memory_equal(p->submission_id, s.content_hash, 16);
    assert_string_equal(p->kind, "submission");
    assert_string_equal(p->areas, "demo_capital_metro");
    assert_string_equal(p->framework_id, w.ctx->fw->id);
    assert_string_equal(p->signer.label, "Capital");
    assert_string_equal(p->signer.id, s.key_id);
    obs_lines l = {0};
    assert_int_equal(acv_pkgdb_each_observation(p->db, obs_line, &l, &err), ACV_OK);
    /* key order: area, indicator, disaggregation, period; lines of city.csv */
    assert_string_equal(l.lines.data, "demo_capital_metro CN.DIG.3 2024 63 city.csv:4\n"
                                      "demo_capital_metro PS.DRR.1 2019 0.35 city.csv:2\n"
                                      "demo_capital_metro PS.DRR.1 2020 0.2 city.csv:3\n");
    acv_buf_free(&l.lines);
    /* the content hash is recomputed from the content alone: the signature is not in it */
    char again[65];
    assert_int_equal(acv_pkgdb_content_hash(p->db, again, &err), ACV_OK);
    assert_string_equal(again, s.content_hash);
    /* a too small limit refuses the file before reading it */
    acv_package *q = NULL;
    assert_int_equal(acv_package_open_file(out, 1000, &q, &err), ACV_ERR_INPUT);
    assert_null(q);
    assert_non_null(strstr(err.message, "larger than the 1000 bytes a package may have"));
    acv_package_free(p);
    free(out);
    close_workspace(&w);
}

static void test_one_byte_changed_is_refused(void **state)
{
    (void)state;
    workspace w = make_workspace("submission-tamper");
    char *out = acv_path_join(w.dir, "cap.acvs");
    acv_submission_request req = {.area = "demo_capital_metro", .output = out};
    acv_submission_summary s;
    acv_error err = {0};
    assert_int_equal(acv_submission_create(w.ctx, &req, &s, &err), ACV_OK);
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(acv_read_file(out, ACV_PACKAGE_MAX_BYTES, &data, &len), 0);
    unsigned char *bytes = (unsigned char *)data;
    acv_package *p = NULL;
    assert_int_equal(acv_package_open_bytes(bytes, len, "cap", &p, &err), ACV_OK);
    acv_package_free(p);
    size_t tried = 0, refused = 0;
    for (size_t i = 0; i < len; i++) {
        if (i >= 200 && i % 5 != 0)
            continue;
        bytes[i] ^= 0x5a;
        acv_package *t = NULL;
        acv_status st = acv_package_open_bytes(bytes, len, "cap", &t, &err);
        tried++;
        if (st != ACV_OK)
            refused++;
        else
            fprintf(stderr, "byte %zu changed and the package was accepted\n", i);
        acv_package_free(t);
        bytes[i] ^= 0x5a;
    }
    assert_true(tried > len / 5);
    assert_int_equal(refused, tried);
    /* truncated anywhere */
    for (size_t cut = 0; cut < len; cut += len / 16) {
        acv_package *t = NULL;
        assert_int_not_equal(acv_package_open_bytes(bytes, cut, "cap", &t, &err), ACV_OK);
        assert_null(t);
    }
    free(data);
    free(out);
    close_workspace(&w);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_package_reads_back),
    cmocka_unit_test(test_one_byte_changed_is_refused),
};

ACV_TEST_MAIN("submission", tests)
