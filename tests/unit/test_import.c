/*
 * test_import.c — observations from CSV through a real context: the sample data, re-imports,
 * changed values, CSV dialects, every kind of bad row (all or nothing, exact messages),
 * disaggregation columns and a full disk in the middle of an import; then the long and wide
 * layouts, revisions kept on re-import and shown by history, provenance, dry runs that match the
 * real run exactly, the rejects file (accepted + rejected = read), duplicates within a file,
 * --strict against the validation rules, and periods; importer plugins through the same row
 * API (the same stored rows, provenance and history as a CSV import; dry run, rejects, --strict).
 */
#include "testutil.h"

#include "areas.h"
#include "context.h"
#include "import.h"
#include "storage.h"
#include "util.h"

#include <regex.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SAMPLE_AREAS ACV_TEST_SOURCE_DIR "/indicators/sample/areas.csv"
#define SAMPLE_OBSERVATIONS ACV_TEST_SOURCE_DIR "/indicators/sample/observations.csv"

typedef struct {
    const char *dir;
    char *db;
    acv_ctx *ctx;
} workspace;

/* A new workspace with the framework of the source tree and the sample areas. */
static workspace open_workspace(void)
{
    workspace w = {0};
    w.dir = acv_test_tmpdir("import");
    assert_non_null(w.dir);
    w.db = acv_path_join(w.dir, "acvtrack.db");
    acv_ctx_options opt = {0};
    opt.db_path = w.db;
    opt.framework_dir = ACV_TEST_SOURCE_DIR;
    opt.create_db = 1;
    acv_error err;
    acv_error_clear(&err);
    acv_status st = acv_ctx_open(&opt, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, &w.ctx, &err);
    if (st != ACV_OK)
        fprintf(stderr, "acv_ctx_open: %s\n", err.message);
    assert_int_equal(st, ACV_OK);
    acv_areas_summary as;
    st = acv_areas_import(w.ctx, SAMPLE_AREAS, "areas.csv", &as, &err);
    if (st != ACV_OK)
        fprintf(stderr, "acv_areas_import: %s\n", err.message);
    assert_int_equal(st, ACV_OK);
    assert_int_equal(as.rows, 4);
    return w;
}

static void close_workspace(workspace *w)
{
    acv_ctx_close(w->ctx);
    free(w->db);
}

static acv_import_summary import_ok(workspace *w, const char *path, const char *display)
{
    acv_import_options opt = {.display_name = display};
    acv_import_summary sum;
    acv_error err;
    acv_error_clear(&err);
    acv_status st = acv_import_csv(w->ctx, path, &opt, &sum, &err);
    if (st != ACV_OK)
        fprintf(stderr, "import of %s: %s\n", path, err.message);
    assert_int_equal(st, ACV_OK);
    return sum;
}

/* Imports text as NAME and checks it fails with exactly want, changing nothing. */
static void import_fails(workspace *w, const char *name, const char *text, acv_status status,
                         const char *want)
{
    long long obs = acv_store_count(w->ctx->store, "observations");
    long long imports = acv_store_count(w->ctx->store, "imports");
    char *path = acv_test_write(w->dir, name, text);
    acv_import_options opt = {.display_name = name};
    acv_import_summary sum;
    acv_error err;
    acv_error_clear(&err);
    acv_status st = acv_import_csv(w->ctx, path, &opt, &sum, &err);
    if (st != status || strcmp(err.message, want) != 0)
        fprintf(stderr, "wanted (%d): %s\ngot (%d): %s\n", (int)status, want, (int)st, err.message);
    assert_int_equal(st, status);
    assert_string_equal(err.message, want);
    assert_int_equal(sum.rows, 0);
    assert_int_equal(sum.added, 0);
    assert_int_equal(sum.import_id, 0);
    assert_int_equal(acv_store_count(w->ctx->store, "observations"), obs);
    assert_int_equal(acv_store_count(w->ctx->store, "imports"), imports);
    free(path);
}

/* The first column of the first row of a query on the workspace file, as text (malloc'd). */
static char *query(workspace *w, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(w->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &q, NULL);
    if (rc != SQLITE_OK)
        fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(db));
    assert_int_equal(rc, SQLITE_OK);
    char *out;
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
        out = strdup((const char *)sqlite3_column_text(q, 0));
    else
        out = strdup("(none)");
    sqlite3_finalize(q);
    sqlite3_close(db);
    return out;
}

static void expect_query(workspace *w, const char *sql, const char *want)
{
    char *got = query(w, sql);
    if (strcmp(got, want) != 0)
        fprintf(stderr, "%s\n  wanted: %s\n  got:    %s\n", sql, want, got);
    assert_string_equal(got, want);
    free(got);
}

static void test_sample_imports_all_rows_new(void **state)
{
    (void)state;
    workspace w = open_workspace();
    acv_import_summary s = import_ok(&w, SAMPLE_OBSERVATIONS, "observations.csv");
    assert_int_equal(s.import_id, 1);
    assert_int_equal(s.already, 0);
    assert_int_equal(s.rows, 399);
    assert_int_equal(s.added, 399);
    assert_int_equal(s.changed, 0);
    assert_int_equal(s.unchanged, 0);
    assert_int_equal(acv_store_count(w.ctx->store, "observations"), 399);
    assert_int_equal(acv_store_count(w.ctx->store, "imports"), 1);
    expect_query(&w, "SELECT file || ',' || rows || ',' || finished FROM imports",
                 "observations.csv,399,1");
    /* the first data row, with its provenance */
    expect_query(&w,
                 "SELECT o.value || '|' || o.source || '|' || o.status || '|' || "
                 "ifnull(o.comment, 'NULL') || '|' || o.line || '|' || o.disaggregation FROM "
                 "observations o JOIN areas a ON a.id = o.area_id JOIN indicators i ON i.id = "
                 "o.indicator_id WHERE a.code = 'demo_capital_metro' AND i.code = 'PS.DRR.1' AND "
                 "o.period = '2019'",
                 "0.35|illustrative sample data (not official statistics)|provisional|NULL|2|");
    close_workspace(&w);
}

static void test_reimport_of_same_content_changes_nothing(void **state)
{
    (void)state;
    workspace w = open_workspace();
    acv_import_summary first = import_ok(&w, SAMPLE_OBSERVATIONS, "observations.csv");
    /* the same bytes under another name are still the same import */
    char *text = acv_test_read(SAMPLE_OBSERVATIONS);
    assert_non_null(text);
    char *copy = acv_test_write(w.dir, "copy.csv", text);
    acv_import_summary again = import_ok(&w, copy, "copy.csv");
    assert_int_equal(again.already, first.import_id);
    assert_int_equal(again.import_id, 0);
    assert_int_equal(again.rows, 0);
    assert_int_equal(again.added + again.changed + again.unchanged, 0);
    assert_int_equal(acv_store_count(w.ctx->store, "observations"), 399);
    assert_int_equal(acv_store_count(w.ctx->store, "imports"), 1);
    free(copy);
    free(text);
    close_workspace(&w);
}

static void test_one_changed_value_is_one_change(void **state)
{
    (void)state;
    workspace w = open_workspace();
    import_ok(&w, SAMPLE_OBSERVATIONS, "observations.csv");
    char *text = acv_test_read(SAMPLE_OBSERVATIONS);
    assert_non_null(text);
    const char *row = "\ndemo_secondary_city,EC.JOB.1,2022,";
    char *at = strstr(text, row);
    assert_non_null(at);
    char *value = at + strlen(row);
    char *comma = strchr(value, ',');
    assert_non_null(comma);
    /* line number of that row, and its new value */
    long line = 1;
    for (char *p = text; p <= at; p++)
        line += *p == '\n';
    char *changed = malloc(strlen(text) + 32);
    snprintf(changed, strlen(text) + 32, "%.*s45.5%s", (int)(value - text), text, comma);
    char *path = acv_test_write(w.dir, "changed.csv", changed);
    acv_import_summary s = import_ok(&w, path, "changed.csv");
    assert_int_equal(s.already, 0);
    assert_int_equal(s.import_id, 2);
    assert_int_equal(s.rows, 399);
    assert_int_equal(s.added, 0);
    assert_int_equal(s.changed, 1);
    assert_int_equal(s.unchanged, 398);
    assert_int_equal(acv_store_count(w.ctx->store, "observations"), 399);
    char want[64];
    snprintf(want, sizeof want, "45.5|2|%ld", line);
    expect_query(&w,
                 "SELECT o.value || '|' || o.import_id || '|' || o.line FROM observations o JOIN "
                 "areas a ON a.id = o.area_id JOIN indicators i ON i.id = o.indicator_id WHERE "
                 "a.code = 'demo_secondary_city' AND i.code = 'EC.JOB.1' AND o.period = '2022'",
                 want);
    /* unchanged rows keep the import they came from */
    expect_query(&w, "SELECT count(*) FROM observations WHERE import_id = 1", "398");
    free(path);
    free(changed);
    free(text);
    close_workspace(&w);
}

static void test_csv_dialects(void **state)
{
    (void)state;
    workspace w = open_workspace();
    /* a BOM, CRLF line ends, quoted fields with commas, quotes and a line break, a `year`
     * header in another case and order, a blank line and no newline at the end */
    char *path = acv_test_write(w.dir, "dialect.csv",
                                "\xEF\xBB\xBF"
                                "Value,Year,Indicator,Area,Comment,Status\r\n"
                                "\"0.5\",2019,PS.DRR.1,\"demo_coastal_town\",\"a, b and "
                                "\"\"c\"\"\",final\r\n"
                                "\r\n"
                                " 1e2 ,\"2020\",PS.DRR.1,demo_coastal_town,\"two\r\nlines\",\r\n"
                                "+3.25,2021,PS.DRR.1,demo_coastal_town,,estimated");
    acv_import_summary s = import_ok(&w, path, "dialect.csv");
    assert_int_equal(s.rows, 3);
    assert_int_equal(s.added, 3);
    expect_query(&w,
                 "SELECT group_concat(period || '=' || value || '/' || ifnull(status, 'NULL') || "
                 "'/' || ifnull(comment, 'NULL') || '@' || line, ' ; ') FROM (SELECT * FROM "
                 "observations ORDER BY period)",
                 "2019=0.5/final/a, b and \"c\"@2 ; 2020=100.0/NULL/two\r\nlines@4 ; "
                 "2021=3.25/estimated/NULL@6");
    free(path);
    close_workspace(&w);
}

/* Values outside an indicator's physical range (the range rules marked physical in
 * indicators/validation/ranges.yml) are refused by every import, without --strict; the ends of
 * the range are allowed. */
static void test_impossible_values_refused(void **state)
{
    (void)state;
    workspace w = open_workspace();
    /* PS.DRR.1 is a rate per 100,000: 0 or more */
    import_fails(&w, "neg.csv",
                 "area,indicator,period,value\ndemo_coastal_town,PS.DRR.1,2021,-3.25\n",
                 ACV_ERR_INPUT,
                 "neg.csv:2: column 'value': '-3.25' is impossible for PS.DRR.1, whose values are "
                 "0 or more (range rule 'not-negative')");
    /* CN.DIG.1 is a percentage: 0 to 100; a wide line names its year column */
    import_fails(&w, "pct.csv", "area,indicator,2024,2025\ndemo_coastal_town,CN.DIG.1,100,100.5\n",
                 ACV_ERR_INPUT,
                 "pct.csv:2: column '2025': '100.5' is impossible for CN.DIG.1, whose values are "
                 "from 0 to 100 (range rule 'percent-0-100')");
    /* EC.FIN.4 is a percentage that may pass 100 (excluded from percent-0-100), never below 0 */
    char *path = acv_test_write(w.dir, "ends.csv",
                                "area,indicator,period,value\n"
                                "demo_coastal_town,CN.DIG.1,2024,0\n"
                                "demo_coastal_town,CN.DIG.1,2025,100\n"
                                "demo_coastal_town,EC.FIN.4,2025,140\n");
    acv_import_summary s = import_ok(&w, path, "ends.csv");
    assert_int_equal(s.added, 3);
    free(path);
    import_fails(&w, "fin.csv", "area,indicator,period,value\ndemo_coastal_town,EC.FIN.4,2024,-1\n",
                 ACV_ERR_INPUT,
                 "fin.csv:2: column 'value': '-1' is impossible for EC.FIN.4, whose values are 0 "
                 "or more (range rule 'not-negative')");
    close_workspace(&w);
}

static const char *const HEADER = "area,indicator,period,value,status\n";
static const char *const GOOD = "demo_capital_metro,PS.DRR.1,2030,0.5,final\n"
                                "demo_capital_metro,PS.DRR.1,2031,0.6,final\n";

/* A file with two good rows, the bad row on line 4 and a good row after it. */
static void bad_row(workspace *w, const char *row, const char *want_tail)
{
    char text[1024], want[1024];
    snprintf(text, sizeof text, "%s%s%s\ndemo_capital_metro,PS.DRR.1,2032,0.7,final\n", HEADER,
             GOOD, row);
    snprintf(want, sizeof want, "bad.csv:4: %s", want_tail);
    import_fails(w, "bad.csv", text, ACV_ERR_INPUT, want);
}

static void test_bad_rows_fail_whole_file(void **state)
{
    (void)state;
    workspace w = open_workspace();
    import_ok(&w, SAMPLE_OBSERVATIONS, "observations.csv");
    bad_row(&w, "demo_capital_metro,PS.DRR.1,2033,abc,final",
            "column 'value': 'abc' is not a number (use a dot for decimals and no thousands "
            "separators)");
    bad_row(&w, "demo_capital_metro,PS.DRR.1,2033,\"1,5\",final",
            "column 'value': '1,5' is not a number (use a dot for decimals and no thousands "
            "separators)");
    bad_row(&w, "demo_capital_metro,PS.DRR.1,2033,nan,final",
            "column 'value': 'nan' is not a number (use a dot for decimals and no thousands "
            "separators)");
    bad_row(&w, "demo_capital_metro,PS.DRR.1,2033,1e999,final",
            "column 'value': '1e999' is not a number (use a dot for decimals and no thousands "
            "separators)");
    bad_row(&w, "demo_capital_metro,PS.DRR.1,2033,,final",
            "column 'value': empty (leave the row out when there is no data)");
    bad_row(&w, "atlantis,PS.DRR.1,2033,1,final",
            "column 'area': unknown area 'atlantis' (see 'acvtrack areas list'; add it with "
            "'acvtrack areas import')");
    bad_row(&w, "demo_capital_metro,XX.NONE.9,2033,1,final",
            "column 'indicator': unknown indicator 'XX.NONE.9' (see 'acvtrack indicators')");
    bad_row(&w, "demo_capital_metro,PS.DRR.1,25,1,final",
            "column 'period': '25' is not a year like 2025 (1900-2100)");
    bad_row(&w, "demo_capital_metro,PS.DRR.1,1899,1,final",
            "column 'period': '1899' is not a year like 2025 (1900-2100)");
    bad_row(&w, "demo_capital_metro,PS.DRR.1,2025-Q1,1,final",
            "column 'period': '2025-Q1' is not a year like 2025 (1900-2100)");
    bad_row(&w, "demo_capital_metro,PS.DRR.1,2033,1,guessed",
            "column 'status': 'guessed' is not one of provisional, final, estimated, imputed");
    bad_row(&w, "demo_capital_metro,PS.DRR.1,2030,0.9,final",
            "the same area, indicator and period was already given on line 2 of this file");
    bad_row(&w, "demo_capital_metro,PS.DRR.1,2033", "3 columns, but the header has 5");
    bad_row(&w, "demo_capital_metro,PS.DRR.1,2033,1,final,extra",
            "6 columns, but the header has 5");
    /* a CSV syntax error is reported by the reader with its line, and also rolls back */
    char text[512];
    snprintf(text, sizeof text, "%s%sdemo_capital_metro,PS.DRR.1,2033,\"1,final\n", HEADER, GOOD);
    import_fails(&w, "bad.csv", text, ACV_ERR_INPUT,
                 "bad.csv:4: unclosed quote in column 4 (the file ends inside it)");
    bad_row(&w, "demo_capital_metro,PS.DRR.1,2033,1\"5,final",
            "a quote inside unquoted column 4 (quote the whole field and double the quote)");
    /* the good rows alone go in */
    snprintf(text, sizeof text, "%s%s", HEADER, GOOD);
    char *path = acv_test_write(w.dir, "good.csv", text);
    acv_import_summary s = import_ok(&w, path, "good.csv");
    assert_int_equal(s.added, 2);
    assert_int_equal(acv_store_count(w.ctx->store, "observations"), 401);
    free(path);
    close_workspace(&w);
}

static void test_bad_headers(void **state)
{
    (void)state;
    workspace w = open_workspace();
    import_fails(&w, "h.csv", "area,indicator,period,value,colour\n", ACV_ERR_INPUT,
                 "h.csv:1: unknown column 'colour' (expected area, indicator, period, value; "
                 "optionally source, status, comment, or a disaggregation the framework names, "
                 "like sex or age, or all of them in one disaggregation column; or, in the wide "
                 "layout, one column per year)");
    import_fails(&w, "h.csv", "area,indicator,period\n", ACV_ERR_INPUT,
                 "h.csv:1: the header has no 'value' column (needed: area, indicator, period, "
                 "value)");
    import_fails(&w, "h.csv", "area,indicator,year,period,value\n", ACV_ERR_INPUT,
                 "h.csv:1: column 'period' appears twice in the header");
    import_fails(&w, "h.csv", "area,indicator,period,value,\n", ACV_ERR_INPUT,
                 "h.csv:1: column 5 has an empty name");
    import_fails(&w, "h.csv", "", ACV_ERR_INPUT,
                 "h.csv:1: the file is empty; expected a header row with area, indicator, period "
                 "and value (or one column per year)");
    acv_import_options opt = {.display_name = "missing.csv"};
    acv_import_summary sum;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_import_csv(w.ctx, "tmp/does/not/exist.csv", &opt, &sum, &err), ACV_ERR_IO);
    assert_string_equal(err.message, "missing.csv: cannot open: No such file or directory");
    close_workspace(&w);
}

static void test_disaggregation_columns(void **state)
{
    (void)state;
    workspace w = open_workspace();
    char *path = acv_test_write(w.dir, "dis.csv",
                                "area,indicator,period,value,Sex,age\n"
                                "demo_capital_metro,SC.HLT.1,2024,10,,\n"
                                "demo_capital_metro,SC.HLT.1,2024,4,female,\n"
                                "demo_capital_metro,SC.HLT.1,2024,6,male,\n"
                                "demo_capital_metro,SC.HLT.1,2024,2,female,15-24\n"
                                "demo_capital_metro,SC.HLT.1,2024,3,,65+\n");
    acv_import_summary s = import_ok(&w, path, "dis.csv");
    assert_int_equal(s.rows, 5);
    assert_int_equal(s.added, 5);
    /* blank cells are the total; dimensions are named in alphabetical order */
    expect_query(&w,
                 "SELECT group_concat('[' || disaggregation || ']=' || value, ' ') FROM (SELECT * "
                 "FROM observations ORDER BY disaggregation)",
                 "[]=10.0 [age=15-24;sex=female]=2.0 [age=65+]=3.0 [sex=female]=4.0 "
                 "[sex=male]=6.0");
    free(path);
    close_workspace(&w);
}

static void test_parse_number(void **state)
{
    (void)state;
    double d = -1;
    assert_int_equal(acv_parse_number("0.25", &d), 1);
    assert_true(d == 0.25);
    assert_int_equal(acv_parse_number(" -1.5e3 ", &d), 1);
    assert_true(d == -1500.0);
    assert_int_equal(acv_parse_number("+7", &d), 1);
    assert_true(d == 7.0);
    d = 99;
    static const char *const bad[] = {"",      " ", "abc", "1,5", "1 000", "0x10", "inf", "nan",
                                      "1e999", "-", ".",   "1e",  "1.2.3", "12%",  NULL};
    for (const char *const *b = bad; *b; b++) {
        if (acv_parse_number(*b, &d))
            fprintf(stderr, "accepted '%s'\n", *b);
        assert_int_equal(acv_parse_number(*b, &d), 0);
    }
    assert_true(d == 99);
}

/* Every connection the test opens passes through here (sqlite3_auto_extension): the way to the
 * context's own connection, to lower its size limit. */
static sqlite3 *last_opened;

static int remember_connection(sqlite3 *db, const char **msg,
                               const struct sqlite3_api_routines *api)
{
    (void)msg;
    (void)api;
    last_opened = db;
    return SQLITE_OK;
}

static int int_query(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    int v = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return v;
}

static void test_full_disk_rolls_back_the_import(void **state)
{
    (void)state;
    assert_int_equal(sqlite3_auto_extension((void (*)(void))remember_connection), SQLITE_OK);
    last_opened = NULL;
    workspace w = open_workspace();
    sqlite3 *db = last_opened;
    sqlite3_reset_auto_extension();
    assert_non_null(db);
    import_ok(&w, SAMPLE_OBSERVATIONS, "observations.csv");

    /* 3 areas x 20 indicators x 201 years: far more than a few pages hold */
    static const char *const areas[] = {"demo_capital_metro", "demo_secondary_city",
                                        "demo_coastal_town"};
    static const char *const indicators[] = {
        "CN.DIG.1", "CN.DIG.2", "CN.MOB.2", "CN.REG.1",  "CN.UTL.2", "CN.UTL.5", "EC.FIN.1",
        "EC.GBE.1", "EC.JOB.1", "EC.JOB.4", "EC.MSME.3", "PS.DRR.1", "PS.DRR.5", "PS.GOV.3",
        "PS.SRL.1", "SC.ENV.1", "SC.ENV.2", "SC.HLT.1",  "SC.HLT.5", "SC.INC.1"};
    acv_buf big = {0};
    acv_buf_puts(&big, "area,indicator,period,value,comment\n");
    for (int a = 0; a < 3; a++)
        for (int i = 0; i < 20; i++)
            for (int y = 1900; y <= 2100; y++)
                acv_buf_printf(&big, "%s,%s,%d,%d.5,a comment long enough to need pages\n",
                               areas[a], indicators[i], y, y % 100);
    assert_false(big.failed);
    char *path = acv_test_write(w.dir, "big.csv", big.data);
    acv_buf_free(&big);

    /* room for the import record, not for the rows */
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %d", int_query(db, "PRAGMA page_count") + 3);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);

    acv_import_options opt = {.display_name = "big.csv"};
    acv_import_summary sum;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_import_csv(w.ctx, path, &opt, &sum, &err), ACV_ERR_STORAGE);
    /* the workspace is full, not the line: the message names the workspace */
    char want[1200];
    snprintf(want, sizeof want,
             "%s: the disk (or the database size limit) is full while storing an observation; "
             "nothing was changed",
             w.db);
    assert_string_equal(err.message, want);
    assert_int_equal(sum.rows, 0);
    assert_int_equal(acv_store_count(w.ctx->store, "observations"), 399);
    assert_int_equal(acv_store_count(w.ctx->store, "imports"), 1);

    /* with room again the same file is new (nothing of it was recorded) and goes in whole */
    assert_int_equal(sqlite3_exec(db, "PRAGMA max_page_count = 1000000000", NULL, NULL, NULL),
                     SQLITE_OK);
    acv_import_summary s = import_ok(&w, path, "big.csv");
    assert_int_equal(s.already, 0);
    assert_int_equal(s.rows, 12060);
    assert_int_equal(s.added, 12060 - 399);
    assert_int_equal(s.changed, 399);
    assert_int_equal(acv_store_count(w.ctx->store, "observations"), 12060);
    free(path);
    close_workspace(&w);
}

/* ==== revisions, layouts, rejects, dry runs and --strict, through the binary ==============
 *
 * These run the built binary (what a city officer types) on the small framework in
 * fixtures/validate/framework, with the fixtures of fixtures/import copied next to the workspace
 * so that messages name them without a folder; the stored state is read back with SQLite
 * directly, so the checks do not trust the code under test. history is checked through the
 * engine (acv_history_text) and through the binary (`acvtrack history`).
 */

#define FRAMEWORK ACV_TEST_FIXTURES "/validate/framework"
#define IMPORT_FIXTURES ACV_TEST_FIXTURES "/import"

typedef struct {
    int rc;
    char *out;
    char *err;
} run_result;

static void run_free(run_result *r)
{
    free(r->out);
    free(r->err);
}

/* Runs the binary in dir on dir/w.db with the test framework; env is a prefix like "X=1". */
static run_result acv(const char *dir, const char *env, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static run_result acv(const char *dir, const char *env, const char *fmt, ...)
{
    char args[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "(cd '%s' && %s '%s' --db w.db --framework '%s' %s >out.txt 2>err.txt)", dir,
             env ? env : "", ACV_TEST_BINARY, FRAMEWORK, args);
    run_result r;
    r.rc = acv_test_run(cmd, NULL);
    char path[1024];
    snprintf(path, sizeof path, "%s/out.txt", dir);
    r.out = acv_test_read(path);
    snprintf(path, sizeof path, "%s/err.txt", dir);
    r.err = acv_test_read(path);
    assert_non_null(r.out);
    assert_non_null(r.err);
    return r;
}

static void copy_fixture(const char *dir, const char *name)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cp '%s/%s' '%s/'", IMPORT_FIXTURES, name, dir);
    assert_int_equal(system(cmd), 0);
}

/* A workspace with the test framework and the areas city_a and city_b, and the import fixtures
 * copied next to it (so that messages name them without a folder). */
static const char *cli_workspace(const char *tag)
{
    const char *dir = acv_test_tmpdir(tag);
    assert_non_null(dir);
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cp '%s'/*.csv '%s/' && cp '%s/areas.csv' '%s/areas.csv'",
             IMPORT_FIXTURES, dir, ACV_TEST_FIXTURES "/validate", dir);
    assert_int_equal(system(cmd), 0);
    run_result r = acv(dir, NULL, "init");
    assert_int_equal(r.rc, 0);
    run_free(&r);
    r = acv(dir, NULL, "areas import areas.csv");
    assert_int_equal(r.rc, 0);
    run_free(&r);
    return dir;
}

static long long db_int(const char *dir, const char *sql)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/w.db", dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    long long v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return v;
}

/* Every row of a query as "a|b|c\n" lines. */
static char *db_rows(const char *dir, const char *sql)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/w.db", dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    acv_buf b = {0};
    while (sqlite3_step(q) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(q); c++) {
            const unsigned char *t = sqlite3_column_text(q, c);
            acv_buf_printf(&b, "%s%s", c ? "|" : "", t ? (const char *)t : "NULL");
        }
        acv_buf_puts(&b, "\n");
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    if (!b.data)
        acv_buf_puts(&b, "");
    return b.data;
}

/* Replaces every UTC timestamp (2026-01-31T12:00:00Z) with "<time>", in place. */
static char *no_times(char *s)
{
    regex_t re;
    assert_int_equal(
        regcomp(&re, "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z", REG_EXTENDED), 0);
    regmatch_t m;
    char *p = s;
    while (regexec(&re, p, 1, &m, 0) == 0) {
        memcpy(p + m.rm_so, "<time>", 6);
        memmove(p + m.rm_so + 6, p + m.rm_eo, strlen(p + m.rm_eo) + 1);
        p += m.rm_so + 6;
    }
    regfree(&re);
    return s;
}

static const char *const ALL_OBSERVATIONS =
    "SELECT a.code, i.code, o.disaggregation, o.period, o.value, o.source, o.status, o.comment, "
    "o.import_id, o.line FROM observations o JOIN areas a ON a.id = o.area_id JOIN indicators i "
    "ON i.id = o.indicator_id ORDER BY 1, 2, 3, 4";

/* ---- long layout and provenance ---------------------------------------------------------- */

static void test_long_layout_keeps_provenance(void **state)
{
    (void)state;
    const char *dir = cli_workspace("import-long");
    run_result r = acv(dir, NULL, "import long.csv");
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.out,
                        "long.csv: import 1: 6 observations: 6 new, 0 revised, 0 unchanged\n");
    assert_string_equal(r.err, "");
    run_free(&r);
    char *rows = db_rows(dir, ALL_OBSERVATIONS);
    assert_string_equal(rows,
                        "city_a|AA.ONE.1||2021|61.5|census|provisional|NULL|1|2\n"
                        "city_a|AA.ONE.1||2022|63.0|census|provisional|NULL|1|3\n"
                        "city_a|AA.ONE.1|sex=female|2022|60.0|census|provisional|NULL|1|4\n"
                        "city_a|AA.ONE.2||2022|7.5|labour survey|final|revised series, 2022|1|5\n"
                        "city_b|AA.ONE.1||2022|70.0|census|final|NULL|1|6\n"
                        "city_b|BB.ONE.1||2022|120.0|registry|NULL|NULL|1|7\n");
    free(rows);
    rows = db_rows(dir, "SELECT id, file, rows, finished FROM imports");
    assert_string_equal(rows, "1|long.csv|6|1\n");
    free(rows);
}

static void test_same_file_again_changes_nothing(void **state)
{
    (void)state;
    const char *dir = cli_workspace("import-again");
    run_result r = acv(dir, NULL, "import long.csv");
    assert_int_equal(r.rc, 0);
    run_free(&r);
    r = acv(dir, NULL, "import long.csv");
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.out, "long.csv: already imported as import 1; nothing changed\n");
    run_free(&r);
    assert_int_equal(db_int(dir, "SELECT count(*) FROM imports"), 1);
    assert_int_equal(db_int(dir, "SELECT count(*) FROM observation_revisions"), 0);
}

/* ---- revisions ----------------------------------------------------------------------------- */

static void test_reimport_keeps_revisions(void **state)
{
    (void)state;
    const char *dir = cli_workspace("import-revise");
    run_result r = acv(dir, NULL, "import long.csv");
    assert_int_equal(r.rc, 0);
    run_free(&r);
    r = acv(dir, NULL, "import long-revised.csv");
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.out, "long-revised.csv: import 2: 6 observations: 1 new, 2 revised, "
                               "3 unchanged\n");
    run_free(&r);
    /* the old versions, with where they came from and what replaced them */
    char *rows = db_rows(dir, "SELECT a.code, i.code, r.disaggregation, r.period, r.value, "
                              "r.status, r.import_id, r.line, r.replaced_by FROM "
                              "observation_revisions r JOIN areas a ON a.id = r.area_id JOIN "
                              "indicators i ON i.id = r.indicator_id ORDER BY r.id");
    assert_string_equal(rows, "city_a|AA.ONE.1||2022|63.0|provisional|1|3|2\n"
                              "city_a|AA.ONE.1|sex=female|2022|60.0|provisional|1|4|2\n");
    free(rows);
    /* the current values: unchanged rows keep the provenance of the first import */
    rows = db_rows(dir, ALL_OBSERVATIONS);
    assert_string_equal(rows,
                        "city_a|AA.ONE.1||2021|61.5|census|provisional|NULL|1|2\n"
                        "city_a|AA.ONE.1||2022|64.2|census|final|NULL|2|3\n"
                        "city_a|AA.ONE.1|sex=female|2022|60.0|census|final|NULL|2|4\n"
                        "city_a|AA.ONE.2||2022|7.5|labour survey|final|revised series, 2022|1|5\n"
                        "city_a|AA.ONE.2||2023|7.1|labour survey|provisional|NULL|2|6\n"
                        "city_b|AA.ONE.1||2022|70.0|census|final|NULL|1|6\n"
                        "city_b|BB.ONE.1||2022|120.0|registry|NULL|NULL|1|7\n");
    free(rows);
}

static acv_ctx *open_ctx(const char *dir)
{
    char db[1024];
    snprintf(db, sizeof db, "%s/w.db", dir);
    acv_ctx_options o = {.db_path = db, .framework_dir = FRAMEWORK};
    acv_ctx *ctx = NULL;
    acv_error err;
    acv_error_clear(&err);
    acv_status st = acv_ctx_open(&o, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, &ctx, &err);
    if (st != ACV_OK)
        fprintf(stderr, "%s\n", err.message);
    assert_int_equal(st, ACV_OK);
    return ctx;
}

static const char *const HISTORY_AFTER_REVISION =
    "city_a AA.ONE.1 (Households with piped water): 3 values, 2 earlier versions\n"
    "PERIOD  DISAGGREGATION  VALUE  STATUS       STATE                 IMPORT  FILE:LINE           "
    "IMPORTED AT           SOURCE\n"
    "2021                     61.5  provisional  current               1       long.csv:2          "
    "<time>  census\n"
    "2022                       63  provisional  replaced by import 2  1       long.csv:3          "
    "<time>  census\n"
    "2022                     64.2  final        current               2       long-revised.csv:3  "
    "<time>  census\n"
    "2022    sex=female         60  provisional  replaced by import 2  1       long.csv:4          "
    "<time>  census\n"
    "2022    sex=female         60  final        current               2       long-revised.csv:4  "
    "<time>  census\n";

static void test_history_shows_every_version(void **state)
{
    (void)state;
    const char *dir = cli_workspace("import-history");
    run_result r = acv(dir, NULL, "import long.csv");
    run_free(&r);
    r = acv(dir, NULL, "import long-revised.csv");
    run_free(&r);
    acv_ctx *ctx = open_ctx(dir);
    acv_buf b = {0};
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_history_text(ctx, "city_a", "AA.ONE.1", 0, &b, &err), ACV_OK);
    /* no_times shortens the 20-character timestamps to "<time>" after the table is laid out */
    assert_string_equal(no_times(b.data), HISTORY_AFTER_REVISION);
    acv_buf_free(&b);

    /* one year; a comment shows as a last column */
    assert_int_equal(acv_history_text(ctx, "city_a", "AA.ONE.2", 2022, &b, &err), ACV_OK);
    assert_string_equal(no_times(b.data),
                        "city_a AA.ONE.2 (Unemployment rate), 2022: 1 value, 0 earlier versions\n"
                        "PERIOD  VALUE  STATUS  STATE    IMPORT  FILE:LINE   IMPORTED AT           "
                        "SOURCE         COMMENT\n"
                        "2022      7.5  final   current  1       long.csv:5  <time>  "
                        "labour survey  revised series, 2022\n");
    acv_buf_free(&b);

    assert_int_equal(acv_history_text(ctx, "city_b", "BB.ONE.3", 0, &b, &err), ACV_OK);
    assert_string_equal(b.data,
                        "city_b BB.ONE.3 (Cultural events): 0 values, 0 earlier versions\n");
    acv_buf_free(&b);

    assert_int_equal(acv_history_text(ctx, "city_b", "NO.SUCH.1", 0, &b, &err), ACV_ERR_NOTFOUND);
    assert_string_equal(err.message, "unknown indicator 'NO.SUCH.1' (see 'acvtrack indicators')");
    assert_int_equal(acv_history_text(ctx, "nowhere", "AA.ONE.1", 0, &b, &err), ACV_ERR_NOTFOUND);
    assert_string_equal(err.message, "unknown area 'nowhere' (see 'acvtrack areas list'; add it "
                                     "with 'acvtrack areas import')");
    acv_buf_free(&b);
    acv_ctx_close(ctx);
}

/* `acvtrack history` itself. */
static void test_history_command(void **state)
{
    (void)state;
    const char *dir = cli_workspace("import-history-cli");
    run_result r = acv(dir, NULL, "import long.csv");
    run_free(&r);
    r = acv(dir, NULL, "import long-revised.csv");
    run_free(&r);
    r = acv(dir, NULL, "history --area city_a --indicator AA.ONE.1");
    assert_int_equal(r.rc, 0);
    assert_string_equal(no_times(r.out), HISTORY_AFTER_REVISION);
    run_free(&r);
    r = acv(dir, NULL, "history --area city_a");
    assert_int_equal(r.rc, 2);
    assert_string_equal(r.err, "acvtrack: history needs --area CODE and --indicator ID\n"
                               "Try 'acvtrack history --help'.\n");
    run_free(&r);
}

/* ---- wide layout --------------------------------------------------------------------------- */

static void test_wide_layout_equals_long(void **state)
{
    (void)state;
    const char *dir = cli_workspace("import-wide");
    run_result r = acv(dir, NULL, "import wide.csv");
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.out, "wide.csv: import 1 (wide layout): 6 observations: 6 new, 0 "
                               "revised, 0 unchanged\n");
    run_free(&r);
    char *rows = db_rows(dir, "SELECT a.code, i.code, o.disaggregation, o.period, o.value, "
                              "o.source, o.status, o.comment, o.line FROM observations o JOIN "
                              "areas a ON a.id = o.area_id JOIN indicators i ON i.id = "
                              "o.indicator_id ORDER BY 1, 2, 3, 4");
    assert_string_equal(rows,
                        "city_a|AA.ONE.1||2021|61.5|census|provisional|NULL|2\n"
                        "city_a|AA.ONE.1||2022|63.0|census|provisional|NULL|2\n"
                        "city_a|AA.ONE.1|sex=female|2022|60.0|census|provisional|NULL|3\n"
                        "city_a|AA.ONE.2||2022|7.5|labour survey|final|revised series, 2022|4\n"
                        "city_b|AA.ONE.1||2022|70.0|census|final|NULL|5\n"
                        "city_b|BB.ONE.1||2022|120.0|registry|NULL|NULL|6\n");
    free(rows);
    /* the same data in the long layout changes nothing */
    r = acv(dir, NULL, "import long.csv");
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.out, "long.csv: import 2: 6 observations: 0 new, 0 revised, 6 "
                               "unchanged\n");
    run_free(&r);
}

static void test_layout_chosen_with_format(void **state)
{
    (void)state;
    const char *dir = cli_workspace("import-format");
    run_result r = acv(dir, NULL, "import --format long wide.csv");
    assert_int_equal(r.rc, 3);
    assert_string_equal(r.err, "acvtrack: wide.csv:1: the header has no 'period' column (the long "
                               "layout needs area, indicator, period and value; the year columns "
                               "suggest the wide layout)\n"
                               "acvtrack: nothing was imported\n");
    run_free(&r);
    r = acv(dir, NULL, "import --format wide long.csv");
    assert_int_equal(r.rc, 3);
    assert_string_equal(r.err, "acvtrack: long.csv:1: column 'period' belongs to the long "
                               "layout; the wide layout has one column per year instead\n"
                               "acvtrack: nothing was imported\n");
    run_free(&r);
    r = acv(dir, NULL, "import --format tall long.csv");
    assert_int_equal(r.rc, 2);
    assert_string_equal(r.err, "acvtrack: --format 'tall' is neither a layout (long, wide) nor an "
                               "importer plugin (see 'acvtrack plugins')\n"
                               "Try 'acvtrack import --help'.\n");
    run_free(&r);
    r = acv(dir, NULL, "import --format wide wide.csv");
    assert_int_equal(r.rc, 0);
    run_free(&r);
    assert_int_equal(db_int(dir, "SELECT count(*) FROM observations"), 6);
}

/* ---- header and line errors: all or nothing ------------------------------------------------- */

typedef struct {
    const char *csv;
    const char *message; /* after "acvtrack: t.csv:" */
} bad_case;

static void test_bad_files_name_the_line(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {"area,indicator,2020,2020\n", "1: column '2020' appears twice in the header"},
        {"area,indicator,period,value,2021\n",
         "1: column '2021' is a year, but the long layout has one 'period' and one 'value' "
         "column (for one column per year use the wide layout)"},
        {"area,indicator\n", "1: the header has no 'period' column (needed: area, indicator, "
                             "period, value)"},
        {"area,indicator,2021,value\n",
         "1: column '2021' is a year, but the long layout has one 'period' and one 'value' "
         "column (for one column per year use the wide layout)"},
        {"area,indicator,period,value,sex\ncity_a,AA.ONE.1,2021,5,f\ncity_a,AA.ONE.1,2021,6,f\n",
         "3: the same area, indicator, disaggregation and period was already given on line 2 of "
         "this file"},
        {"area,indicator,2021,2022\ncity_a,AA.ONE.1,5,x\n",
         "2: column '2022': 'x' is not a number (use a dot for decimals and no thousands "
         "separators)"},
        {"area,indicator,2021,2022\ncity_a,AA.ONE.1,5,6\ncity_a,AA.ONE.1,,6.5\n",
         "3: column '2022': the same area, indicator and period was already given on line 2 of "
         "this file"},
    };
    const char *dir = cli_workspace("import-bad");
    run_result r = acv(dir, NULL, "import long.csv");
    run_free(&r);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        free(acv_test_write(dir, "t.csv", cases[i].csv));
        r = acv(dir, NULL, "import t.csv");
        char expected[2048];
        snprintf(expected, sizeof expected, "acvtrack: t.csv:%s\nacvtrack: nothing was imported\n",
                 cases[i].message);
        if (strcmp(r.err, expected) != 0)
            fprintf(stderr, "case %zu\n", i);
        assert_string_equal(r.err, expected);
        assert_int_equal(r.rc, 3);
        assert_string_equal(r.out, "");
        run_free(&r);
        /* nothing of the failed import stays */
        assert_int_equal(db_int(dir, "SELECT count(*) FROM imports"), 1);
        assert_int_equal(db_int(dir, "SELECT count(*) FROM observations"), 6);
        assert_int_equal(db_int(dir, "SELECT count(*) FROM observation_revisions"), 0);
    }
}

static void test_unknown_area_or_indicator_fails_whole_file(void **state)
{
    (void)state;
    const char *dir = cli_workspace("import-unknown");
    run_result r = acv(dir, NULL, "import bad-lines.csv");
    assert_int_equal(r.rc, 3);
    assert_string_equal(r.out, "");
    assert_string_equal(r.err, "acvtrack: bad-lines.csv:3: column 'area': unknown area "
                               "'nowhere' (see 'acvtrack areas list'; add it with 'acvtrack "
                               "areas import')\n"
                               "acvtrack: nothing was imported\n");
    run_free(&r);
    assert_int_equal(db_int(dir, "SELECT count(*) FROM observations"), 0);
    assert_int_equal(db_int(dir, "SELECT count(*) FROM imports"), 0);
    free(acv_test_write(dir, "u.csv", "area,indicator,year,value\ncity_a,AA.ONE.9,2021,1\n"));
    r = acv(dir, NULL, "import u.csv");
    assert_int_equal(r.rc, 3);
    assert_string_equal(r.err, "acvtrack: u.csv:2: column 'indicator': unknown indicator "
                               "'AA.ONE.9' (see 'acvtrack indicators')\n"
                               "acvtrack: nothing was imported\n");
    run_free(&r);
}

/* ---- rejects -------------------------------------------------------------------------------- */

static const char *const BAD_LINES_REJECTS =
    "line,error,area,indicator,period,value\r\n"
    "3,column 'area': unknown area 'nowhere' (see 'acvtrack areas list'; add it with 'acvtrack "
    "areas import'),nowhere,AA.ONE.1,2021,50\r\n"
    "4,column 'indicator': unknown indicator 'XX.NOPE.1' (see 'acvtrack indicators'),city_a,"
    "XX.NOPE.1,2021,50\r\n"
    "5,column 'period': '20x1' is not a year like 2025 (1900-2100),city_a,AA.ONE.2,20x1,5\r\n"
    "6,\"column 'value': '1,5' is not a number (use a dot for decimals and no thousands "
    "separators)\",city_a,AA.ONE.2,2021,\"1,5\"\r\n"
    "8,\"the same area, indicator and period was already given on line 2 of this file\","
    "city_a,AA.ONE.1,2021,51\r\n"
    "9,\"3 columns, but the header has 4\",city_b,AA.ONE.1,2021\r\n"
    "10,column 'value': empty (leave the row out when there is no data),city_b,AA.ONE.1,2021,\r\n";

/* A disaggregation column holds every dimension as "name=value;name=value" (the form a plugin's
 * rejects file writes it in), stored as written, names in order; a cell that is not in that
 * form rejects its line, and the column cannot be combined with dimension columns. */
static void test_disaggregation_column(void **state)
{
    (void)state;
    workspace w = open_workspace();
    char *path = acv_test_write(w.dir, "dis1.csv",
                                "area,indicator,period,value,disaggregation\n"
                                "demo_capital_metro,SC.HLT.1,2024,10,\n"
                                "demo_capital_metro,SC.HLT.1,2024,4,Sex=Female\n"
                                "demo_capital_metro,SC.HLT.1,2024,2,Sex=Female;Age group=15-24\n");
    acv_import_summary s = import_ok(&w, path, "dis1.csv");
    assert_int_equal(s.added, 3);
    expect_query(&w,
                 "SELECT group_concat('[' || disaggregation || ']=' || value, ' ') FROM (SELECT * "
                 "FROM observations ORDER BY disaggregation)",
                 "[]=10.0 [Age group=15-24;Sex=Female]=2.0 [Sex=Female]=4.0");
    free(path);
    import_fails(&w, "dis2.csv", "area,indicator,period,value,sex,disaggregation\n", ACV_ERR_INPUT,
                 "dis2.csv:1: column 'disaggregation' gives every dimension of a line "
                 "(name=value;name=value): it cannot be combined with the dimension column "
                 "'sex'");
    close_workspace(&w);

    /* through the binary with --rejects: the bad cells are rejected with their line */
    const char *dir = cli_workspace("import-disaggregation-column");
    free(acv_test_write(dir, "d.csv",
                        "area,indicator,period,value,disaggregation\n"
                        "city_a,AA.ONE.1,2021,50,sex=female\n"
                        "city_a,AA.ONE.1,2021,51,female\n"
                        "city_a,AA.ONE.1,2021,52,sex=female;sex=male\n"));
    run_result r = acv(dir, NULL, "import d.csv --rejects r.csv");
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.out, "d.csv: import 1: 1 observations: 1 new, 0 revised, 0 unchanged\n"
                               "d.csv: 3 lines: 1 imported, 2 rejected (written to r.csv)\n");
    run_free(&r);
    char p2[1024];
    snprintf(p2, sizeof p2, "%s/r.csv", dir);
    char *rej = acv_test_read(p2);
    assert_string_equal(rej,
                        "line,error,area,indicator,period,value,disaggregation\r\n"
                        "3,column 'disaggregation': 'female' is not name=value (the form is "
                        "name=value;name=value),city_a,AA.ONE.1,2021,51,female\r\n"
                        "4,column 'disaggregation': 'sex' is given twice,city_a,AA.ONE.1,2021,52,"
                        "sex=female;sex=male\r\n");
    free(rej);
}

/* The three good lines of bad-lines.csv, stored by import 1 with their own line numbers. */
static void expect_bad_lines_kept(const char *dir)
{
    char *rows = db_rows(dir, "SELECT a.code, i.code, o.period, o.value, o.line FROM "
                              "observations o JOIN areas a ON a.id = o.area_id JOIN indicators i "
                              "ON i.id = o.indicator_id ORDER BY o.line");
    assert_string_equal(rows, "city_a|AA.ONE.1|2021|50.0|2\n"
                              "city_a|AA.ONE.3|2021|55.0|7\n"
                              "city_b|BB.ONE.1|2021|12.0|11\n");
    free(rows);
    assert_int_equal(db_int(dir, "SELECT rows FROM imports WHERE id = 1"), 3);
}

static void test_rejects_file_collects_bad_lines(void **state)
{
    (void)state;
    const char *dir = cli_workspace("import-rejects");
    run_result r = acv(dir, NULL, "import bad-lines.csv --rejects rejects.csv");
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.out, "bad-lines.csv: import 1: 3 observations: 3 new, 0 revised, 0 "
                               "unchanged\n"
                               "bad-lines.csv: 10 lines: 3 imported, 7 rejected (written to "
                               "rejects.csv)\n");
    run_free(&r);
    char path[1024];
    snprintf(path, sizeof path, "%s/rejects.csv", dir);
    char *rej = acv_test_read(path);
    assert_non_null(rej);
    assert_string_equal(rej, BAD_LINES_REJECTS);
    free(rej);
    /* the rejects file is a CSV the reader takes back: line and error, then the line as read */
    expect_bad_lines_kept(dir);
}

static void test_rejects_take_wide_lines_whole(void **state)
{
    (void)state;
    const char *dir = cli_workspace("import-rejects-wide");
    run_result r = acv(dir, NULL, "import wide-bad.csv --rejects r.csv");
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.out, "wide-bad.csv: import 1 (wide layout): 6 observations: 6 new, 0 "
                               "revised, 0 unchanged\n"
                               "wide-bad.csv: 6 lines: 3 imported, 3 rejected (written to "
                               "r.csv)\n");
    run_free(&r);
    char path[1024];
    snprintf(path, sizeof path, "%s/r.csv", dir);
    char *rej = acv_test_read(path);
    assert_string_equal(rej,
                        "line,error,area,indicator,2020,2021,2022\r\n"
                        "3,column '2021': 'n/a' is not a number (use a dot for decimals and no "
                        "thousands separators),city_a,AA.ONE.2,5,n/a,6\r\n"
                        "5,column 'area': unknown area 'nowhere' (see 'acvtrack areas list'; "
                        "add it with 'acvtrack areas import'),nowhere,AA.ONE.1,1,2,3\r\n"
                        "6,\"column '2021': the same area, indicator and period was already "
                        "given on line 4 of this file\",city_b,AA.ONE.1,69,72,\r\n");
    free(rej);
    /* line 6's 2020 value was undone with the rest of its line */
    char *rows = db_rows(dir, "SELECT a.code, i.code, o.period, o.value, o.line FROM "
                              "observations o JOIN areas a ON a.id = o.area_id JOIN indicators i "
                              "ON i.id = o.indicator_id ORDER BY 1, 2, 3");
    assert_string_equal(rows, "city_a|AA.ONE.1|2020|50.0|2\n"
                              "city_a|AA.ONE.1|2021|51.0|2\n"
                              "city_a|AA.ONE.1|2022|52.0|2\n"
                              "city_b|AA.ONE.1|2021|70.0|4\n"
                              "city_b|BB.ONE.1|2020|100.0|7\n"
                              "city_b|BB.ONE.1|2022|110.0|7\n");
    free(rows);
}

/* A rejected line's cells go back as read, except text a spreadsheet would run as a formula:
 * that gets a leading apostrophe (the full-width ＝ too); numbers, negative ones included, stay
 * numbers so the corrected file imports again, and so does a comment that starts with a sign and
 * a digit but can neither call, run nor reference anything ("+2 since 2020", docs/reports.md). */
static void test_rejects_file_defuses_formulas(void **state)
{
    (void)state;
    const char *dir = cli_workspace("import-rejects-defused");
    free(acv_test_write(dir, "f.csv",
                        "area,indicator,period,value,comment\n"
                        "\"=HYPERLINK(\"\"http://x\"\")\",AA.ONE.1,2021,-5,@SUM(A1)\n"
                        "city_a,\xEF\xBC\x9D"
                        "1+1,2021,-1.5e2,+2 since 2020\n"));
    run_result r = acv(dir, NULL, "import f.csv --rejects r.csv");
    assert_int_equal(r.rc, 0);
    run_free(&r);
    char path[1024];
    snprintf(path, sizeof path, "%s/r.csv", dir);
    char *rej = acv_test_read(path);
    assert_non_null(rej);
    assert_string_equal(rej, "line,error,area,indicator,period,value,comment\r\n"
                             "2,\"column 'area': unknown area '=HYPERLINK(\"\"http://x\"\")' "
                             "(see 'acvtrack areas list'; add it with 'acvtrack areas import')\","
                             "\"'=HYPERLINK(\"\"http://x\"\")\",AA.ONE.1,2021,-5,'@SUM(A1)\r\n"
                             "3,column 'indicator': unknown indicator '\xEF\xBC\x9D"
                             "1+1' (see 'acvtrack indicators'),city_a,'\xEF\xBC\x9D"
                             "1+1,2021,-1.5e2,+2 since 2020\r\n");
    free(rej);
}

static void test_failed_import_leaves_no_rejects_file(void **state)
{
    (void)state;
    const char *dir = cli_workspace("import-rejects-fail");
    /* a broken header is not a line problem: the import fails and no rejects file appears */
    free(acv_test_write(dir, "h.csv", "area,indicator,period\ncity_a,AA.ONE.1,2021\n"));
    run_result r = acv(dir, NULL, "import h.csv --rejects r.csv");
    assert_int_equal(r.rc, 3);
    run_free(&r);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "ls -A '%s' | grep -c '^r\\.csv' ", dir);
    char *out = NULL;
    acv_test_run(cmd, &out);
    assert_string_equal(out, "0\n");
    free(out);
}

/* ---- dry runs ------------------------------------------------------------------------------- */

static char *snapshot(const char *dir)
{
    acv_buf b = {0};
    char *parts[] = {db_rows(dir, ALL_OBSERVATIONS),
                     db_rows(dir, "SELECT * FROM observation_revisions ORDER BY id"),
                     db_rows(dir, "SELECT * FROM imports ORDER BY id")};
    for (int i = 0; i < 3; i++) {
        acv_buf_puts(&b, parts[i]);
        acv_buf_puts(&b, "--\n");
        free(parts[i]);
    }
    return b.data;
}

static void test_dry_run_matches_real_run(void **state)
{
    (void)state;
    const char *dir = cli_workspace("import-dry");
    run_result r = acv(dir, NULL, "import long.csv");
    run_free(&r);
    char *before = snapshot(dir);
    r = acv(dir, NULL, "import long-revised.csv --dry-run");
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.out, "long-revised.csv: dry run, nothing written: would be import 2: 6 "
                               "observations: 1 new, 2 revised, 3 unchanged\n");
    run_free(&r);
    char *after = snapshot(dir);
    assert_string_equal(before, after);
    free(after);
    r = acv(dir, NULL, "import long-revised.csv");
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.out, "long-revised.csv: import 2: 6 observations: 1 new, 2 revised, 3 "
                               "unchanged\n");
    run_free(&r);
    free(before);

    /* with rejects: the same lines rejected, the same rejects file */
    before = snapshot(dir);
    r = acv(dir, NULL, "import bad-lines.csv --dry-run --rejects dry.csv");
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.out, "bad-lines.csv: dry run, nothing written: would be import 3: 3 "
                               "observations: 2 new, 1 revised, 0 unchanged\n"
                               "bad-lines.csv: 10 lines: 3 accepted, 7 rejected (written to "
                               "dry.csv)\n");
    run_free(&r);
    after = snapshot(dir);
    assert_string_equal(before, after);
    free(before);
    free(after);
    r = acv(dir, NULL, "import bad-lines.csv --rejects real.csv");
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.out, "bad-lines.csv: import 3: 3 observations: 2 new, 1 revised, 0 "
                               "unchanged\n"
                               "bad-lines.csv: 10 lines: 3 imported, 7 rejected (written to "
                               "real.csv)\n");
    run_free(&r);
    char p1[1024], p2[1024];
    snprintf(p1, sizeof p1, "%s/dry.csv", dir);
    snprintf(p2, sizeof p2, "%s/real.csv", dir);
    char *a = acv_test_read(p1), *b = acv_test_read(p2);
    assert_string_equal(a, b);
    assert_string_equal(a, BAD_LINES_REJECTS);
    free(a);
    free(b);

    /* a dry run of a file already imported says so */
    r = acv(dir, NULL, "import long.csv --dry-run");
    assert_string_equal(r.out, "long.csv: already imported as import 1; nothing changed\n");
    run_free(&r);
}

/* ---- --strict -------------------------------------------------------------------------------- */

static void test_strict_refuses_high_importance_violations(void **state)
{
    (void)state;
    const char *dir = cli_workspace("import-strict");
    copy_fixture(dir, "../validate/planted.csv");
    run_result r = acv(dir, NULL, "import --strict planted.csv");
    assert_int_equal(r.rc, 3);
    assert_string_equal(r.out, "");
    assert_string_equal(
        r.err,
        "high    city_a                2023    percent-0-100: AA.ONE.1 = 104 is above the maximum "
        "100 (planted.csv:3)\n"
        "high    city_a                2023    percent-0-100: AA.ONE.1 [sex=female] = -1 is below "
        "the minimum 0 (planted.csv:4)\n"
        "medium  city_a                2023    enterprises-not-negative: BB.ONE.1 = -5 is below "
        "the minimum 0 (planted.csv:7)\n"
        "medium  city_a                2023    employment-plus-unemployment: Employment and "
        "unemployment rates add up to at most 100: AA.ONE.2 + AA.ONE.3 = 105 is not <= 100 "
        "(planted.csv:5)\n"
        "low     city_a                2023    deaths-within-population: DE.DEATHS = 60 is not < "
        "DE.POP / 1000 = 50 (planted.csv:14)\n"
        "low     city_a                2023    green-space-jump: BB.ONE.2 changed from 10 in 2022 "
        "to 18 in 2023 (+80%; the rule allows 50%) (planted.csv:9)\n"
        "acvtrack: planted.csv: refused (--strict): the file breaks 2 high-importance validation "
        "rules\n"
        "acvtrack: nothing was imported\n");
    run_free(&r);
    assert_int_equal(db_int(dir, "SELECT count(*) FROM observations"), 0);
    assert_int_equal(db_int(dir, "SELECT count(*) FROM imports"), 0);
}

static void test_strict_accepts_clean_files(void **state)
{
    (void)state;
    const char *dir = cli_workspace("import-strict-ok");
    /* an earlier, non-strict import with a broken value does not block a later clean file */
    free(acv_test_write(dir, "old.csv", "area,indicator,period,value\ncity_a,AA.ONE.1,2020,140\n"));
    run_result r = acv(dir, NULL, "import old.csv");
    assert_int_equal(r.rc, 0);
    run_free(&r);
    r = acv(dir, NULL, "import --strict long.csv");
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.out, "long.csv: import 2: 6 observations: 6 new, 0 revised, 0 "
                               "unchanged\n");
    assert_string_equal(r.err, "");
    run_free(&r);
    /* a medium or low violation is reported but does not refuse */
    free(acv_test_write(dir, "jump.csv",
                        "area,indicator,period,value\n"
                        "city_b,BB.ONE.2,2021,5\ncity_b,BB.ONE.2,2022,9\n"));
    r = acv(dir, NULL, "import --strict jump.csv");
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.err, "low     city_b                2022    green-space-jump: BB.ONE.2 "
                               "changed from 5 in 2021 to 9 in 2022 (+80%; the rule allows 50%) "
                               "(jump.csv:3)\n");
    run_free(&r);
}

/* ---- importer plugins: the same row API ---------------------------------------------------- */

/* An overlay (absolute path) holding the fixture importer long-rows, which emits the rows of
 * long-layout CSV files unchecked, with their file and line. */
static const char *plugin_overlay(void)
{
    static char path[1200];
    if (path[0])
        return path;
    const char *dir = acv_test_tmpdir("import-overlay");
    char *text = acv_test_read(ACV_TEST_FIXTURES "/plugins/long-rows.lua");
    assert_non_null(text);
    free(acv_test_write(dir, "plugins/long-rows.lua", text));
    free(acv_test_write(dir, "indicators/README", "plugins only\n"));
    free(text);
    char cwd[600];
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(path, sizeof path, "%s/%s", cwd, dir);
    return path;
}

/* Every stored observation and earlier version with its provenance: the file and line of the
 * original source, wherever that is recorded. */
static const char *const PROVENANCE =
    "SELECT 'obs', a.code, i.code, o.disaggregation, o.period, o.value, o.source, o.status, "
    "o.comment, o.import_id, coalesce(o.source_file, im.file), o.line, 0 FROM observations o "
    "JOIN areas a ON a.id = o.area_id JOIN indicators i ON i.id = o.indicator_id JOIN imports im "
    "ON im.id = o.import_id UNION ALL SELECT 'rev', a.code, i.code, r.disaggregation, r.period, "
    "r.value, r.source, r.status, r.comment, r.import_id, coalesce(r.source_file, im.file), "
    "r.line, r.replaced_by FROM observation_revisions r JOIN areas a ON a.id = r.area_id JOIN "
    "indicators i ON i.id = r.indicator_id JOIN imports im ON im.id = r.import_id ORDER BY 1, 2, "
    "3, 4, 5, 13";

static const char *const ROWS_V1 =
    "area,indicator,period,value,source,status,comment\n"
    "city_a,AA.ONE.1,2021,61.5,census,provisional,\n"
    "city_a,AA.ONE.1,2022,63,census,provisional,\n"
    "city_a,AA.ONE.2,2022,7.5,labour survey,final,\"revised, 2022\"\n"
    "city_b,BB.ONE.1,2022,120,registry,,\n";
static const char *const ROWS_V2 = "area,indicator,period,value,source,status,comment\n"
                                   "city_a,AA.ONE.1,2021,61.5,census,provisional,\n"
                                   "city_a,AA.ONE.1,2022,64.2,census,final,\n"
                                   "city_a,AA.ONE.2,2023,7.1,labour survey,provisional,\n"
                                   "city_b,BB.ONE.1,2022,118,registry,final,\n";

static void test_plugin_import_equals_csv_import(void **state)
{
    (void)state;
    const char *csv_dir = cli_workspace("import-same-csv");
    const char *plugin_dir = cli_workspace("import-same-plugin");
    const char *dirs[] = {csv_dir, plugin_dir};
    for (int d = 0; d < 2; d++) {
        free(acv_test_write(dirs[d], "v1.csv", ROWS_V1));
        free(acv_test_write(dirs[d], "v2.csv", ROWS_V2));
    }
    run_result r = acv(csv_dir, NULL, "import v1.csv");
    assert_int_equal(r.rc, 0);
    run_free(&r);
    r = acv(csv_dir, NULL, "import v2.csv");
    assert_string_equal(r.out, "v2.csv: import 2: 4 observations: 1 new, 2 revised, 1 unchanged\n");
    run_free(&r);
    r = acv(plugin_dir, NULL, "--overlay '%s' import --format long-rows v1.csv", plugin_overlay());
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.out, "long-rows: 1 files read; import 1: 0 areas and 0 data series "
                               "added; 4 observations: 4 new, 0 revised, 0 unchanged\n");
    run_free(&r);
    r = acv(plugin_dir, NULL, "--overlay '%s' import --format long-rows v2.csv", plugin_overlay());
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.out, "long-rows: 1 files read; import 2: 0 areas and 0 data series "
                               "added; 4 observations: 1 new, 2 revised, 1 unchanged\n");
    run_free(&r);

    char *from_csv = db_rows(csv_dir, PROVENANCE);
    char *from_plugin = db_rows(plugin_dir, PROVENANCE);
    assert_string_equal(from_csv,
                        "obs|city_a|AA.ONE.1||2021|61.5|census|provisional|NULL|1|v1.csv|2|0\n"
                        "obs|city_a|AA.ONE.1||2022|64.2|census|final|NULL|2|v2.csv|3|0\n"
                        "obs|city_a|AA.ONE.2||2022|7.5|labour survey|final|revised, 2022|1|"
                        "v1.csv|4|0\n"
                        "obs|city_a|AA.ONE.2||2023|7.1|labour survey|provisional|NULL|2|v2.csv|4|"
                        "0\n"
                        "obs|city_b|BB.ONE.1||2022|118.0|registry|final|NULL|2|v2.csv|5|0\n"
                        "rev|city_a|AA.ONE.1||2022|63.0|census|provisional|NULL|1|v1.csv|3|2\n"
                        "rev|city_b|BB.ONE.1||2022|120.0|registry|NULL|NULL|1|v1.csv|5|2\n");
    assert_string_equal(from_plugin, from_csv);
    free(from_csv);
    free(from_plugin);
    /* the rows came from the import's own file: nothing more to record */
    assert_int_equal(db_int(plugin_dir, "SELECT count(*) FROM observations WHERE source_file IS "
                                        "NOT NULL"),
                     0);
    char *imports_csv = db_rows(csv_dir, "SELECT id, file, rows, finished FROM imports");
    char *imports_plugin = db_rows(plugin_dir, "SELECT id, file, rows, finished FROM imports");
    assert_string_equal(imports_plugin, imports_csv);
    free(imports_csv);
    free(imports_plugin);

    /* history, through the binary, names the same files and lines */
    run_result h1 = acv(csv_dir, NULL, "history --area city_a --indicator AA.ONE.1");
    run_result h2 = acv(plugin_dir, NULL, "history --area city_a --indicator AA.ONE.1");
    assert_int_equal(h2.rc, 0);
    assert_string_equal(no_times(h2.out), no_times(h1.out));
    assert_non_null(strstr(h2.out, "v1.csv:3"));
    run_free(&h1);
    run_free(&h2);

    /* the same rows again change nothing, as the same file does */
    r = acv(plugin_dir, NULL, "--overlay '%s' import --format long-rows v2.csv", plugin_overlay());
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.out, "long-rows: 1 files read; the same rows were imported before as "
                               "import 2; nothing changed\n");
    run_free(&r);
}

/* A folder's files keep their own names: the history and duplicates name them. */
static void test_plugin_rows_name_their_source_file(void **state)
{
    (void)state;
    const char *dir = cli_workspace("import-plugin-folder");
    free(acv_test_write(dir, "in/a.csv", ROWS_V1));
    free(acv_test_write(dir, "in/b.csv",
                        "area,indicator,period,value\ncity_b,AA.ONE.1,2022,70\n"
                        "city_a,AA.ONE.2,2022,7.5\n"));
    run_result r = acv(dir, NULL, "--overlay '%s' import --format long-rows in", plugin_overlay());
    assert_int_equal(r.rc, 3);
    assert_string_equal(r.err, "acvtrack: in/b.csv:3: the same area, indicator and period was "
                               "already given at in/a.csv:4 (read by plugin 'long-rows')\n"
                               "acvtrack: nothing was imported\n");
    run_free(&r);
    assert_int_equal(db_int(dir, "SELECT count(*) FROM imports"), 0);
    free(acv_test_write(dir, "in/b.csv", "area,indicator,period,value\ncity_b,AA.ONE.1,2022,70\n"));
    r = acv(dir, NULL, "--overlay '%s' import --format long-rows in", plugin_overlay());
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.out, "long-rows: 2 files read; import 1: 0 areas and 0 data series "
                               "added; 5 observations: 5 new, 0 revised, 0 unchanged\n");
    run_free(&r);
    char *rows = db_rows(dir, "SELECT i.code, o.period, o.source_file, o.line, im.file FROM "
                              "observations o JOIN indicators i ON i.id = o.indicator_id JOIN "
                              "imports im ON im.id = o.import_id JOIN areas a ON a.id = "
                              "o.area_id WHERE a.code = 'city_b'");
    assert_string_equal(rows, "AA.ONE.1|2022|in/b.csv|2|in\n"
                              "BB.ONE.1|2022|in/a.csv|5|in\n");
    free(rows);
    r = acv(dir, NULL, "history --area city_a --indicator AA.ONE.2");
    assert_int_equal(r.rc, 0);
    assert_string_equal(no_times(r.out),
                        "city_a AA.ONE.2 (Unemployment rate): 1 value, 0 earlier versions\n"
                        "PERIOD  VALUE  STATUS  STATE    IMPORT  FILE:LINE   IMPORTED AT           "
                        "SOURCE         COMMENT\n"
                        "2022      7.5  final   current  1       in/a.csv:4  <time>  "
                        "labour survey  revised, 2022\n");
    run_free(&r);
}

static const char *const PLUGIN_REJECTS =
    "file,line,error,area,indicator,period,value,source,status,comment,disaggregation\r\n"
    "bad-lines.csv,3,field 'area': unknown area 'nowhere' (see 'acvtrack areas list'; add it "
    "with 'acvtrack areas import'),nowhere,AA.ONE.1,2021,50,,,,\r\n"
    "bad-lines.csv,4,field 'indicator': unknown indicator 'XX.NOPE.1' (see 'acvtrack "
    "indicators'),city_a,XX.NOPE.1,2021,50,,,,\r\n"
    "bad-lines.csv,5,field 'period': '20x1' is not a year like 2025 (1900-2100),city_a,AA.ONE.2,"
    "20x1,5,,,,\r\n"
    "bad-lines.csv,6,\"field 'value': '1,5' is not a number (use a dot for decimals and no "
    "thousands separators)\",city_a,AA.ONE.2,2021,\"1,5\",,,,\r\n"
    "bad-lines.csv,8,\"the same area, indicator and period was already given on line 2 of this "
    "file\",city_a,AA.ONE.1,2021,51,,,,\r\n"
    "bad-lines.csv,9,field 'value': empty (leave the row out when there is no data),city_b,"
    "AA.ONE.1,2021,,,,,\r\n"
    "bad-lines.csv,10,field 'value': empty (leave the row out when there is no data),city_b,"
    "AA.ONE.1,2021,,,,,\r\n";

/* The whole workspace file, byte for byte (*len its size). */
static char *file_bytes(const char *dir, const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *data = NULL;
    assert_int_equal(acv_read_file(path, 1u << 30, &data, len), 0);
    return data;
}

static void test_plugin_dry_run_and_rejects(void **state)
{
    (void)state;
    const char *dir = cli_workspace("import-plugin-rejects");
    /* without a rejects file the first bad row stops the import, named by its file and line */
    run_result r =
        acv(dir, NULL, "--overlay '%s' import --format long-rows bad-lines.csv", plugin_overlay());
    assert_int_equal(r.rc, 3);
    assert_string_equal(r.out, "");
    assert_string_equal(r.err, "acvtrack: bad-lines.csv:3: field 'area': unknown area 'nowhere' "
                               "(see 'acvtrack areas list'; add it with 'acvtrack areas import') "
                               "(read by plugin 'long-rows')\n"
                               "acvtrack: nothing was imported\n");
    run_free(&r);
    assert_int_equal(db_int(dir, "SELECT count(*) FROM imports"), 0);

    size_t before_len, after_len;
    char *before = file_bytes(dir, "w.db", &before_len);
    r = acv(dir, NULL,
            "--overlay '%s' import --format long-rows --dry-run --rejects dry.csv "
            "bad-lines.csv",
            plugin_overlay());
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.out, "long-rows: 1 files read; dry run, nothing written: would be "
                               "import 1: 0 areas and 0 data series to add; 3 observations: 3 "
                               "new, 0 revised, 0 unchanged\n"
                               "long-rows: 10 rows: 3 accepted, 7 rejected (written to dry.csv)\n");
    run_free(&r);
    char *after = file_bytes(dir, "w.db", &after_len);
    assert_int_equal(after_len, before_len);
    assert_memory_equal(after, before, before_len);
    free(before);
    free(after);

    r = acv(dir, NULL, "--overlay '%s' import --format long-rows --rejects real.csv bad-lines.csv",
            plugin_overlay());
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.out,
                        "long-rows: 1 files read; import 1: 0 areas and 0 data series "
                        "added; 3 observations: 3 new, 0 revised, 0 unchanged\n"
                        "long-rows: 10 rows: 3 imported, 7 rejected (written to real.csv)\n");
    run_free(&r);
    char path[1024];
    snprintf(path, sizeof path, "%s/dry.csv", dir);
    char *dry = acv_test_read(path);
    snprintf(path, sizeof path, "%s/real.csv", dir);
    char *real = acv_test_read(path);
    assert_string_equal(real, PLUGIN_REJECTS);
    assert_string_equal(dry, real);
    free(dry);
    free(real);
    /* the rows the CSV import of the same file keeps (test_rejects_file_collects_bad_lines) */
    expect_bad_lines_kept(dir);
}

static void test_plugin_strict(void **state)
{
    (void)state;
    const char *dir = cli_workspace("import-plugin-strict");
    free(acv_test_write(dir, "high.csv",
                        "area,indicator,period,value\ncity_a,AA.ONE.1,2023,104\n"
                        "city_a,AA.ONE.2,2023,5\n"));
    run_result r = acv(dir, NULL, "--overlay '%s' import --format long-rows --strict high.csv",
                       plugin_overlay());
    assert_int_equal(r.rc, 3);
    assert_string_equal(r.out, "");
    assert_string_equal(r.err, "high    city_a                2023    percent-0-100: AA.ONE.1 = "
                               "104 is above the maximum 100 (high.csv:2)\n"
                               "acvtrack: high.csv: refused (--strict): the file breaks 1 "
                               "high-importance validation rule\n"
                               "acvtrack: nothing was imported\n");
    run_free(&r);
    assert_int_equal(db_int(dir, "SELECT count(*) FROM observations"), 0);
    assert_int_equal(db_int(dir, "SELECT count(*) FROM imports"), 0);
    free(acv_test_write(dir, "ok.csv", "area,indicator,period,value\ncity_a,AA.ONE.1,2023,94\n"));
    r = acv(dir, NULL, "--overlay '%s' import --format long-rows --strict ok.csv",
            plugin_overlay());
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.err, "");
    run_free(&r);
    assert_int_equal(db_int(dir, "SELECT count(*) FROM observations"), 1);
}

/* ---- the row API itself --------------------------------------------------------------------- */

/* Areas, series and records of several areas in one import; a failing record leaves none of
 * them behind, and the same import without it stores them all. */
static void row_api_run(workspace *w, int with_bad_row, acv_import_summary *sum, acv_status *st,
                        acv_error *err)
{
    acv_import_origin origin = {
        .name = "rows", .sha256 = with_bad_row ? "bad" : "good", .field_word = "field"};
    acv_import *im = NULL;
    *st = acv_import_begin(w->ctx, &origin, NULL, sum, &im, err);
    assert_int_equal(*st, ACV_OK);
    assert_non_null(im);
    acv_area town = {.code = "XX-NEW", .name = "New town", .level = "city", .country = "XX"};
    int added = 0;
    assert_int_equal(acv_import_add_area(im, &town, &added, err), ACV_OK);
    assert_int_equal(added, 1);
    assert_int_equal(acv_import_add_series(im, "SDG:99.9.9", "a series", "%", &added, err), ACV_OK);
    assert_int_equal(added, 1);
    /* one record, two areas: both rows or neither */
    acv_import_row rows[2] = {
        {.area = "XX-NEW", .indicator = "SDG:99.9.9", .period = "2024", .value = "1.5"},
        {.area = "demo_capital_metro", .indicator = "SC.ENV.1", .period = "2024", .value = "21"}};
    acv_import_where where = {.file = "a/b.txt", .line = 7};
    *st = acv_import_add(im, &where, rows, 2, err);
    assert_int_equal(*st, ACV_OK);
    if (with_bad_row) {
        acv_import_row bad = {
            .area = "XX-NEW", .indicator = "SC.ENV.1", .period = "24", .value = "1"};
        acv_import_where at = {.file = "a/c.txt", .line = 3};
        *st = acv_import_add(im, &at, &bad, 1, err);
    }
    *st = acv_import_end(im, *st, err);
}

static void test_row_api_all_or_nothing(void **state)
{
    (void)state;
    workspace w = open_workspace();
    long long areas = acv_store_count(w.ctx->store, "areas");
    long long indicators = acv_store_count(w.ctx->store, "indicators");
    acv_import_summary sum;
    acv_status st;
    acv_error err;
    acv_error_clear(&err);
    row_api_run(&w, 1, &sum, &st, &err);
    assert_int_equal(st, ACV_ERR_INPUT);
    assert_string_equal(err.message,
                        "a/c.txt:3: field 'period': '24' is not a year like 2025 (1900-2100)");
    assert_int_equal(sum.rows, 0);
    assert_int_equal(acv_store_count(w.ctx->store, "areas"), areas);
    assert_int_equal(acv_store_count(w.ctx->store, "indicators"), indicators);
    assert_int_equal(acv_store_count(w.ctx->store, "observations"), 0);
    assert_int_equal(acv_store_count(w.ctx->store, "imports"), 0);

    row_api_run(&w, 0, &sum, &st, &err);
    assert_int_equal(st, ACV_OK);
    assert_int_equal(sum.lines, 1);
    assert_int_equal(sum.rows, 2);
    assert_int_equal(sum.added, 2);
    assert_int_equal(acv_store_count(w.ctx->store, "areas"), areas + 1);
    assert_int_equal(acv_store_count(w.ctx->store, "indicators"), indicators + 1);
    assert_int_equal(acv_store_count(w.ctx->store, "observations"), 2);
    acv_buf b = {0};
    assert_int_equal(acv_history_text(w.ctx, "XX-NEW", "SDG:99.9.9", 0, &b, &err), ACV_OK);
    assert_non_null(strstr(b.data, " a/b.txt:7 "));
    acv_buf_free(&b);
    close_workspace(&w);
}

/* ---- periods and numbers -------------------------------------------------------------------- */

static void test_periods(void **state)
{
    (void)state;
    acv_period p;
    assert_true(acv_period_parse("2025", &p));
    assert_int_equal(p.kind, ACV_PERIOD_YEAR);
    assert_int_equal(p.year, 2025);
    assert_int_equal(p.sub, 0);
    assert_true(acv_period_parse("1900", &p));
    assert_true(acv_period_parse("2100", &p));
    const char *bad[] = {"",      "1899",  "2101",    "202",  "20251",
                         " 2025", "2025 ", "2025-Q1", "FY25", "20x5"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_false(acv_period_parse(bad[i], &p));
    acv_period_parse("2025", &p);
    char prev[16];
    acv_period_previous(&p, prev, sizeof prev);
    assert_string_equal(prev, "2024");
    double v;
    assert_true(acv_parse_number(" 7.5 ", &v));
    assert_true(v == 7.5);
    assert_false(acv_parse_number("1,5", &v));
    assert_false(acv_parse_number("nan", &v));
    assert_false(acv_parse_number("0x10", &v));
    assert_false(acv_parse_number("", &v));
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_sample_imports_all_rows_new),
    cmocka_unit_test(test_reimport_of_same_content_changes_nothing),
    cmocka_unit_test(test_one_changed_value_is_one_change),
    cmocka_unit_test(test_csv_dialects),
    cmocka_unit_test(test_impossible_values_refused),
    cmocka_unit_test(test_bad_rows_fail_whole_file),
    cmocka_unit_test(test_bad_headers),
    cmocka_unit_test(test_disaggregation_columns),
    cmocka_unit_test(test_disaggregation_column),
    cmocka_unit_test(test_parse_number),
    cmocka_unit_test(test_full_disk_rolls_back_the_import),
    cmocka_unit_test(test_long_layout_keeps_provenance),
    cmocka_unit_test(test_same_file_again_changes_nothing),
    cmocka_unit_test(test_reimport_keeps_revisions),
    cmocka_unit_test(test_history_shows_every_version),
    cmocka_unit_test(test_history_command),
    cmocka_unit_test(test_wide_layout_equals_long),
    cmocka_unit_test(test_layout_chosen_with_format),
    cmocka_unit_test(test_bad_files_name_the_line),
    cmocka_unit_test(test_unknown_area_or_indicator_fails_whole_file),
    cmocka_unit_test(test_rejects_file_collects_bad_lines),
    cmocka_unit_test(test_rejects_take_wide_lines_whole),
    cmocka_unit_test(test_rejects_file_defuses_formulas),
    cmocka_unit_test(test_failed_import_leaves_no_rejects_file),
    cmocka_unit_test(test_dry_run_matches_real_run),
    cmocka_unit_test(test_strict_refuses_high_importance_violations),
    cmocka_unit_test(test_strict_accepts_clean_files),
    cmocka_unit_test(test_plugin_import_equals_csv_import),
    cmocka_unit_test(test_plugin_rows_name_their_source_file),
    cmocka_unit_test(test_plugin_dry_run_and_rejects),
    cmocka_unit_test(test_plugin_strict),
    cmocka_unit_test(test_row_api_all_or_nothing),
    cmocka_unit_test(test_periods),
};

ACV_TEST_MAIN("import", tests)
