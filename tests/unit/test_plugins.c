/*
 * test_plugins.c — the bundled plugins and the plugin contract (issue 7): Open SDG and SDMX-CSV
 * round trips, the City of Barcelona Open SDG repository imported and counted against its own
 * rows, golden files for every exporter on the demo data, broken plugins (syntax error, runtime
 * error, infinite loop, memory bomb, failing importers) leaving no file and no workspace change,
 * formula injection defused in plugin CSV, the API stubs matching the engine, and every code
 * block of docs/plugins.md run as written.
 *
 * Importers run through the C API (acv_plugin_import); what a plugin prints goes to stderr and
 * is captured where a test reads it. Golden files are tests/golden/plugins/NAME.txt (each output
 * file of an export under a "==> name <==" line, line ends as LF, the VLR's run comment
 * normalised); after a deliberate change accept the new output with
 *   ACV_UPDATE_GOLDEN=1 ctest -R '^plugins\.golden'
 * The Barcelona snapshot ships with the project in tests/data/opensdg-barcelona (MIT licence,
 * its LICENSE and SOURCE.txt beside it); $ACV_OPENSDG_BARCELONA points at another copy. A missing
 * snapshot fails the cases that need it.
 */
#include "testutil.h"

#include "acv_api.h"
#include "context.h"
#include "csv.h"
#include "plugins.h"
#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SAMPLE ACV_TEST_SOURCE_DIR "/indicators/sample"
#define GOLDEN ACV_TEST_SOURCE_DIR "/tests/golden/plugins"
#define FIXTURES ACV_TEST_FIXTURES "/plugins"
#define GUIDE ACV_TEST_SOURCE_DIR "/docs/plugins.md"
#define API_STUBS ACV_TEST_SOURCE_DIR "/docs/acv-api.lua"

/* ---- small helpers ----------------------------------------------------------------------- */

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    va_start(ap, f);
    vsnprintf(s, (size_t)n + 1, f, ap);
    va_end(ap);
    return s;
}

static void sh_ok(const char *cmd)
{
    char *out = NULL;
    int rc = acv_test_run(cmd, &out);
    if (rc != 0)
        fprintf(stderr, "command failed (%d): %s\n%s\n", rc, cmd, out ? out : "");
    free(out);
    assert_int_equal(rc, 0);
}

static int is_dir(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static int contains(const char *haystack, const char *needle)
{
    return haystack && strstr(haystack, needle) != NULL;
}

#define assert_contains(h, n)                                                                      \
    do {                                                                                           \
        if (!contains((h), (n))) {                                                                 \
            fprintf(stderr, "expected to find \"%s\" in:\n%s\n", (n), (h) ? (h) : "(null)");       \
            fail();                                                                                \
        }                                                                                          \
    } while (0)

/* ---- workspaces -------------------------------------------------------------------------- */

/* A fresh workspace with the ASEAN areas and (with_sample) the demo areas; returns its path. */
static const char *fresh_workspace(const char *tag, int with_sample)
{
    static char paths[16][700];
    static int next;
    char *db = paths[next++ % 16];
    snprintf(db, sizeof paths[0], "%s/acvtrack.db", acv_test_tmpdir(tag));
    char *cmd = fmt("%s --framework %s --db %s init", ACV_TEST_BINARY, ACV_TEST_SOURCE_DIR, db);
    sh_ok(cmd);
    free(cmd);
    if (with_sample) {
        cmd = fmt("%s --framework %s --db %s areas import %s/areas.csv", ACV_TEST_BINARY,
                  ACV_TEST_SOURCE_DIR, db, SAMPLE);
        sh_ok(cmd);
        free(cmd);
    }
    return db;
}

/* The demo workspace of `make demo` (two cities scored for 2025), built once per process. */
static const char *demo_workspace(void)
{
    static const char *db;
    if (db)
        return db;
    db = fresh_workspace("plugins-demo", 1);
    const char *steps[] = {"import " SAMPLE "/observations.csv",
                           "import " SAMPLE "/observations-more.csv",
                           "assess import " SAMPLE "/assessment-demo_capital_metro.yml",
                           "assess import " SAMPLE "/assessment-demo_secondary_city.yml",
                           "score --area demo_capital_metro --year 2025",
                           "score --area demo_secondary_city --year 2025"};
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        char *cmd =
            fmt("%s --framework %s --db %s %s", ACV_TEST_BINARY, ACV_TEST_SOURCE_DIR, db, steps[i]);
        sh_ok(cmd);
        free(cmd);
    }
    return db;
}

typedef struct {
    size_t memory_limit;
    long long instruction_limit;
} limits;

static acv_ctx *open_ctx_in(const char *db, const char *framework, const char *overlay, limits lim)
{
    acv_ctx_options o = {0};
    o.db_path = db;
    o.framework_dir = framework;
    o.overlay_dir = overlay;
    o.limits.memory_limit = lim.memory_limit;
    o.limits.instruction_limit = lim.instruction_limit;
    acv_ctx *ctx = NULL;
    acv_error err;
    acv_error_clear(&err);
    if (acv_ctx_open(&o, ACV_NEED_STORE | ACV_NEED_FRAMEWORK | ACV_NEED_LUA, &ctx, &err) !=
        ACV_OK) {
        fprintf(stderr, "cannot open %s: %s\n", db, err.message);
        fail();
    }
    return ctx;
}

static acv_ctx *open_ctx(const char *db, const char *overlay)
{
    limits none = {0, 0};
    return open_ctx_in(db, ACV_TEST_SOURCE_DIR, overlay, none);
}

/* An overlay holding one fixture plugin (tests/fixtures/plugins/NAME.lua). */
static const char *fixture_overlay(const char *name)
{
    /* an overlay holding only plugins/ */
    const char *dir = acv_test_tmpdir("overlay");
    char *src = fmt("%s/%s.lua", FIXTURES, name);
    char *text = acv_test_read(src);
    assert_non_null(text);
    char *rel = fmt("plugins/%s.lua", name);
    free(acv_test_write(dir, rel, text));
    free(rel);
    free(text);
    free(src);
    return dir;
}

/* ---- what plugins print ------------------------------------------------------------------ */

static int saved_stderr = -1;
static char capture_path[700];

static void capture_begin(void)
{
    const char *dir = acv_test_tmpdir("stderr");
    snprintf(capture_path, sizeof capture_path, "%s/stderr.txt", dir);
    fflush(stderr);
    int fd = open(capture_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    saved_stderr = dup(2);
    dup2(fd, 2);
    close(fd);
}

static char *capture_end(void)
{
    fflush(stderr);
    dup2(saved_stderr, 2);
    close(saved_stderr);
    saved_stderr = -1;
    char *text = acv_test_read(capture_path);
    assert_non_null(text);
    return text;
}

/* ---- running plugins --------------------------------------------------------------------- */

static acv_status run_export(acv_ctx *ctx, const char *name, const char *area,
                             const char *const *extra, size_t n_extra, const char *output,
                             acv_error *err)
{
    const char *opts[16];
    size_t n = 0;
    char *area_opt = area ? fmt("area=%s", area) : NULL;
    if (area_opt)
        opts[n++] = area_opt;
    for (size_t i = 0; i < n_extra && n < 16; i++)
        opts[n++] = extra[i];
    acv_export_summary sum;
    acv_error_clear(err);
    acv_status st = acv_plugin_export(ctx, name, opts, n, output, &sum, err);
    free(area_opt);
    return st;
}

static void export_ok(const char *db, const char *name, const char *area, const char *const *extra,
                      size_t n_extra, const char *output)
{
    acv_ctx *ctx = open_ctx(db, NULL);
    acv_error err;
    acv_status st = run_export(ctx, name, area, extra, n_extra, output, &err);
    if (st != ACV_OK)
        fprintf(stderr, "export %s failed: %s\n", name, err.message);
    acv_ctx_close(ctx);
    assert_int_equal(st, ACV_OK);
}

static acv_status run_import(const char *db, const char *overlay, const char *name,
                             const char *input, const char *const *opts, size_t n_opts,
                             acv_plugin_import_summary *sum, acv_error *err)
{
    acv_ctx *ctx = open_ctx(db, overlay);
    const char *inputs[1] = {input};
    acv_error_clear(err);
    acv_status st = acv_plugin_import(ctx, name, inputs, 1, opts, n_opts, NULL, sum, err);
    acv_ctx_close(ctx);
    return st;
}

static void import_ok(const char *db, const char *name, const char *input, const char *const *opts,
                      size_t n_opts, acv_plugin_import_summary *sum)
{
    acv_error err;
    acv_status st = run_import(db, NULL, name, input, opts, n_opts, sum, &err);
    if (st != ACV_OK)
        fprintf(stderr, "import %s failed: %s\n", name, err.message);
    assert_int_equal(st, ACV_OK);
}

/* ---- reading workspaces and folders ------------------------------------------------------ */

/* One line per stored observation of an area: code|disaggregation|period|value. */
static char *dump_observations(const char *db_path, const char *area)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT i.code, o.disaggregation, o.period, o.value FROM "
                                        "observations o JOIN indicators i ON i.id = "
                                        "o.indicator_id JOIN areas a ON a.id = o.area_id WHERE "
                                        "a.code = ?1 ORDER BY i.code, o.disaggregation, o.period",
                                        -1, &q, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(q, 1, area, -1, SQLITE_STATIC);
    acv_buf b = {0};
    while (sqlite3_step(q) == SQLITE_ROW)
        acv_buf_printf(&b, "%s|%s|%s|%.17g\n", (const char *)sqlite3_column_text(q, 0),
                       (const char *)sqlite3_column_text(q, 1),
                       (const char *)sqlite3_column_text(q, 2), sqlite3_column_double(q, 3));
    sqlite3_finalize(q);
    sqlite3_close(db);
    return b.data ? b.data : strdup("");
}

/* What else an Open SDG round trip keeps of an area: each observation's comment and the name and
 * unit of each data series it has values of (the series name holds the series label). */
static char *dump_comments_and_series(const char *db_path, const char *area)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(
        sqlite3_prepare_v2(db,
                           "SELECT i.code || '|' || o.disaggregation || '|' || o.period || '|' || "
                           "coalesce(o.comment, '') FROM observations o JOIN indicators i ON "
                           "i.id = o.indicator_id JOIN areas a ON a.id = o.area_id WHERE a.code = "
                           "?1 UNION ALL SELECT DISTINCT 'series ' || i.code || '|' || i.name || "
                           "'|' || i.unit FROM observations o JOIN indicators i ON i.id = "
                           "o.indicator_id JOIN areas a ON a.id = o.area_id WHERE a.code = ?1 AND "
                           "i.kind = 'series' ORDER BY 1",
                           -1, &q, NULL),
        SQLITE_OK);
    sqlite3_bind_text(q, 1, area, -1, SQLITE_STATIC);
    acv_buf b = {0};
    while (sqlite3_step(q) == SQLITE_ROW)
        acv_buf_printf(&b, "%s\n", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    sqlite3_close(db);
    return b.data ? b.data : strdup("");
}

/* A one-value SQL query as text ("" when NULL or no row). */
static char *query_text(const char *db_path, const char *sql, const char *param)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK) {
        fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(db));
        fail();
    }
    if (param)
        sqlite3_bind_text(q, 1, param, -1, SQLITE_STATIC);
    char *out = strdup("");
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0)) {
        free(out);
        out = strdup((const char *)sqlite3_column_text(q, 0));
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    return out;
}

/* Everything a workspace holds that a failed plugin must not change. */
static char *workspace_state(const char *db)
{
    return query_text(db,
                      "SELECT (SELECT count(*) FROM areas) || '/' || (SELECT count(*) FROM "
                      "indicators) || '/' || (SELECT count(*) FROM observations) || '/' || "
                      "(SELECT count(*) FROM imports) || '/' || (SELECT total(value) FROM "
                      "observations)",
                      NULL);
}

typedef struct {
    char **items;
    size_t n, cap;
} path_list;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_files(const char *root, const char *rel, path_list *l)
{
    char *dir = rel[0] ? fmt("%s/%s", root, rel) : strdup(root);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *r = rel[0] ? fmt("%s/%s", rel, e->d_name) : strdup(e->d_name);
        char *full = fmt("%s/%s", root, r);
        if (is_dir(full)) {
            list_files(root, r, l);
            free(r);
        } else {
            if (l->n == l->cap) {
                l->cap = l->cap ? l->cap * 2 : 64;
                l->items = realloc(l->items, l->cap * sizeof *l->items);
                assert_non_null(l->items);
            }
            l->items[l->n++] = r;
        }
        free(full);
    }
    closedir(d);
    free(dir);
}

static void free_list(path_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
}

/* The files under root, sorted, each after a "==> name <==" line. */
static char *concat_folder(const char *root)
{
    path_list l = {0};
    list_files(root, "", &l);
    qsort(l.items, l.n, sizeof *l.items, cmp_str);
    acv_buf b = {0};
    for (size_t i = 0; i < l.n; i++) {
        char *path = fmt("%s/%s", root, l.items[i]);
        char *text = acv_test_read(path);
        acv_buf_printf(&b, "==> %s <==\n%s", l.items[i], text ? text : "");
        free(text);
        free(path);
    }
    free_list(&l);
    return b.data ? b.data : strdup("");
}

/* ---- golden files ------------------------------------------------------------------------ */

/* CRLF as LF, and the VLR's run comment (time, versions, hashes) as a fixed line. */
static char *normalise(const char *s)
{
    acv_buf b = {0};
    for (const char *p = s; *p;) {
        if (p[0] == '\r' && p[1] == '\n') {
            p++;
            continue;
        }
        if (strncmp(p, "<!-- acvtrack run ", 18) == 0) {
            const char *end = strstr(p, "-->");
            if (end) {
                acv_buf_puts(&b, "<!-- acvtrack run (normalised) -->");
                p = end + 3;
                continue;
            }
        }
        acv_buf_append(&b, p++, 1);
    }
    return b.data ? b.data : strdup("");
}

static void golden(const char *actual, const char *name)
{
    char *path = fmt("%s/%s", GOLDEN, name);
    char *norm = normalise(actual);
    const char *update = getenv("ACV_UPDATE_GOLDEN");
    if (update && *update && strcmp(update, "0") != 0) {
        free(acv_test_write(GOLDEN, name, norm));
        fprintf(stderr, "updated %s\n", path);
    } else {
        char *expected = acv_test_read(path);
        if (!expected) {
            fprintf(stderr, "missing golden file %s; create it with ACV_UPDATE_GOLDEN=1\n", path);
            fail();
        }
        char *exp_norm = normalise(expected);
        if (strcmp(norm, exp_norm) != 0) {
            const char *dir = acv_test_tmpdir("golden");
            char *actual_path = acv_test_write(dir, name, norm);
            fprintf(stderr,
                    "%s differs from the golden file; see: diff %s %s\n(accept a "
                    "deliberate change with ACV_UPDATE_GOLDEN=1)\n",
                    name, path, actual_path);
            free(actual_path);
            fail();
        }
        free(exp_norm);
        free(expected);
    }
    free(norm);
    free(path);
}

/* ---- the plugin list --------------------------------------------------------------------- */

static void test_bundled_plugins_listed(void **state)
{
    (void)state;
    acv_ctx *ctx = open_ctx(demo_workspace(), NULL);
    acv_plugin_info *infos = NULL;
    size_t n = 0;
    acv_error err;
    acv_status st = acv_plugins_list(ctx, &infos, &n, &err);
    acv_ctx_close(ctx);
    if (st != ACV_OK)
        fprintf(stderr, "%s\n", err.message);
    assert_int_equal(st, ACV_OK);
    static const char *const expected[][3] = {
        {"indicator-csv", "exporter", "plugins/indicator-csv.lua"},
        {"opensdg", "importer", "plugins/opensdg/init.lua"},
        {"opensdg-export", "exporter", "plugins/opensdg-export.lua"},
        {"sdmx-csv", "exporter", "plugins/sdmx-csv.lua"},
        {"sdmx-csv-import", "importer", "plugins/sdmx-csv-import.lua"},
        {"vlr", "exporter", "plugins/vlr.lua"},
        {"sglg", "exporter", "plugins/sglg.lua"},
    };
    for (size_t e = 0; e < sizeof expected / sizeof *expected; e++) {
        int found = 0;
        for (size_t i = 0; i < n; i++)
            if (strcmp(infos[i].name, expected[e][0]) == 0) {
                found = 1;
                assert_string_equal(infos[i].kind, expected[e][1]);
                assert_string_equal(infos[i].file, expected[e][2]);
                assert_true(infos[i].version[0] && infos[i].description[0]);
                assert_true(infos[i].options[0]); /* every bundled plugin documents options */
            }
        if (!found)
            fprintf(stderr, "plugin %s not listed\n", expected[e][0]);
        assert_true(found);
    }
    free(infos);
}

/* ---- Open SDG: the City of Barcelona snapshot ------------------------------------------- */

static const char *barcelona_dir(void)
{
    const char *env = getenv("ACV_OPENSDG_BARCELONA");
    if (env && *env)
        return is_dir(env) ? env : NULL;
    static const char path[] = ACV_TEST_SOURCE_DIR "/tests/data/opensdg-barcelona";
    return is_dir(path) ? path : NULL;
}

static const char *require_barcelona(void)
{
    const char *dir = barcelona_dir();
    /* a missing data file fails the test: the importer's accounting is proved on it */
    if (!dir)
        fail_msg("the Open SDG Barcelona snapshot is not there "
                 "(tests/data/opensdg-barcelona or $ACV_OPENSDG_BARCELONA)");
    return dir;
}

static const char *const BCN_OPTS[] = {"area=ES-BCN", "area_name=Barcelona", "country=ES"};

/* Numeric rows of every CSV under root, counted with the engine's CSV reader: data lines whose
 * last cell (trimmed of spaces and tabs) is a decimal number. */
static long count_numeric_rows(const char *root)
{
    path_list l = {0};
    list_files(root, "", &l);
    long numeric = 0;
    for (size_t i = 0; i < l.n; i++) {
        size_t len = strlen(l.items[i]);
        if (len < 4 || strcmp(l.items[i] + len - 4, ".csv") != 0)
            continue;
        char *path = fmt("%s/%s", root, l.items[i]);
        acv_csv *csv = NULL;
        acv_error err;
        assert_int_equal(acv_csv_open(path, l.items[i], &csv, &err), ACV_OK);
        int rc, header = 1;
        while ((rc = acv_csv_next(csv, &err)) == 1) {
            if (header) {
                header = 0;
                continue;
            }
            size_t n = acv_csv_count(csv);
            const char *v = acv_csv_field(csv, n - 1);
            while (*v == ' ' || *v == '\t')
                v++;
            char *copy = strdup(v);
            size_t k = strlen(copy);
            while (k && (copy[k - 1] == ' ' || copy[k - 1] == '\t'))
                copy[--k] = '\0';
            char *end;
            if (k && !strchr(copy, 'x') && !strchr(copy, 'X') && !strchr(copy, 'n') &&
                !strchr(copy, 'N')) {
                strtod(copy, &end);
                if (*end == '\0')
                    numeric++;
            }
            free(copy);
        }
        assert_int_equal(rc, 0);
        acv_csv_close(csv);
        free(path);
    }
    free_list(&l);
    return numeric;
}

/* The numbers of the importer's last line "NAME: numeric rows N = imported A + skipped S". */
static void read_account(const char *log, const char *plugin, long *n, long *a, long *s)
{
    char *prefix = fmt("%s: numeric rows ", plugin);
    const char *p = strstr(log, prefix);
    if (!p)
        fprintf(stderr, "no account line in:\n%s\n", log);
    assert_non_null(p);
    assert_int_equal(sscanf(p + strlen(prefix), "%ld = imported %ld + skipped %ld", n, a, s), 3);
    free(prefix);
}

static void test_opensdg_barcelona_counts(void **state)
{
    (void)state;
    const char *bcn = require_barcelona();
    const char *db = fresh_workspace("bcn", 0);
    acv_plugin_import_summary sum;
    capture_begin();
    acv_error err;
    acv_status st = run_import(db, NULL, "opensdg", bcn, BCN_OPTS, 3, &sum, &err);
    char *log = capture_end();
    if (st != ACV_OK)
        fprintf(stderr, "%s\n%s\n", err.message, log);
    assert_int_equal(st, ACV_OK);

    long n, imported, skipped;
    read_account(log, "opensdg", &n, &imported, &skipped);
    long counted = count_numeric_rows(bcn);
    fprintf(stderr,
            "Barcelona: %ld numeric rows in the CSV files; plugin: %ld = %ld + %ld; "
            "%ld observations stored, %zu series, %zu inputs\n",
            counted, n, imported, skipped, sum.import.rows, sum.series_added, sum.inputs);
    assert_int_equal(n, counted);
    assert_int_equal(imported + skipped, n);
    assert_int_equal(sum.import.rows, imported);
    assert_int_equal(sum.import.added, imported);
    assert_int_equal(sum.areas_added, 1);
    assert_true(sum.series_added > 100);

    /* every skipped row reaches the import with its file and line: counted as skipped there */
    assert_int_equal(sum.import.skipped, skipped);
    assert_int_equal(sum.import.lines, n);
    assert_contains(log, "opensdg: skipped rows by reason: duplicate row: 4; not an indicator "
                         "file: 107\n");

    /* the area, a headline series, a disaggregated one, a target and a year range */
    char *name = query_text(db,
                            "SELECT name || '/' || level || '/' || country FROM areas WHERE "
                            "code = ?1",
                            "ES-BCN");
    assert_string_equal(name, "Barcelona/city/ES");
    free(name);
    char *v = query_text(db,
                         "SELECT o.value || '/' || o.comment FROM observations o JOIN "
                         "indicators i ON i.id = o.indicator_id WHERE i.code = ?1 AND "
                         "o.period = '2016'",
                         "SDG:1.1.1");
    assert_contains(v, "59.0/");
    assert_contains(v, "2030 target (Open SDG graph_target_lines): 2030 target = 100.0");
    free(v);
    /* a disaggregation is the observation's, under the SDG series (4 years of Housing) */
    v = query_text(db,
                   "SELECT count(*) FROM observations o JOIN indicators i ON i.id = "
                   "o.indicator_id WHERE i.code = ?1 AND o.disaggregation = 'Sector=Housing'",
                   "SDG:8.1.2");
    assert_string_equal(v, "4");
    free(v);
    v = query_text(db,
                   "SELECT count(*) FROM observations WHERE comment LIKE 'period ____-____ "
                   "in the source%'",
                   NULL);
    assert_true(atol(v) > 300);
    free(v);
    free(log);
}

static void test_opensdg_barcelona_scores(void **state)
{
    (void)state;
    const char *bcn = require_barcelona();
    const char *db = fresh_workspace("bcn-score", 0);
    acv_plugin_import_summary sum;
    capture_begin();
    acv_error err;
    acv_status st = run_import(db, NULL, "opensdg", bcn, BCN_OPTS, 3, &sum, &err);
    free(capture_end());
    assert_int_equal(st, ACV_OK);
    char *cmd = fmt("%s --framework %s --db %s score --area ES-BCN --year 2024", ACV_TEST_BINARY,
                    ACV_TEST_SOURCE_DIR, db);
    char *out = NULL;
    int rc = acv_test_run(cmd, &out);
    fprintf(stderr, "%s", out);
    assert_int_equal(rc, 0);
    assert_contains(out, "ES-BCN 2024: run");
    free(out);
    free(cmd);
    /* framework indicators without data of their own were scored on the SDG series in their
     * unit (indicators/units.yml): 14 of the 38 with a linked series that has data; the other 24
     * say why not, and none of them has a score */
    char *n = query_text(db,
                         "SELECT count(*) FROM run_results WHERE level = 'indicator' AND "
                         "score IS NOT NULL AND note LIKE 'from the imported series SDG:%'",
                         NULL);
    fprintf(stderr, "indicators scored on Barcelona's SDG series: %s\n", n);
    assert_string_equal(n, "14");
    free(n);
    n = query_text(db,
                   "SELECT count(*) || '/' || count(score) FROM run_results WHERE level = "
                   "'indicator' AND note LIKE 'not comparable: %'",
                   NULL);
    assert_string_equal(n, "24/0");
    free(n);
    /* Barcelona's 16.1.1 is a count of homicides (11 in 2015), never a rate per 100,000 */
    n = query_text(db, "SELECT note FROM run_results WHERE level = 'indicator' AND code = ?1",
                   "PS.SRL.1");
    assert_string_equal(n, "not comparable: unit count, expected per_100000 (imported series "
                           "SDG:16.1.1)");
    free(n);
    /* 4.2.2 is in "Percentage", the unit of SC.EDU.1 (percent): fed as it is */
    n = query_text(db,
                   "SELECT note FROM run_results WHERE level = 'indicator' AND code = ?1 AND "
                   "score IS NOT NULL",
                   "SC.EDU.1");
    /* the series starts in 2016, after the 2015 base year: the progress method says so */
    assert_string_equal(n, "from the imported series SDG:4.2.2; no value for 2015; base year 2016 "
                           "used");
    free(n);
}

static void test_opensdg_barcelona_round_trip(void **state)
{
    (void)state;
    const char *bcn = require_barcelona();
    const char *db1 = fresh_workspace("bcn-rt1", 0);
    const char *db2 = fresh_workspace("bcn-rt2", 0);
    acv_plugin_import_summary sum;
    capture_begin();
    import_ok(db1, "opensdg", bcn, BCN_OPTS, 3, &sum);
    free(capture_end());
    const char *out1 = acv_test_tmpdir("bcn-export1");
    const char *out2 = acv_test_tmpdir("bcn-export2");
    char *o1 = fmt("%s/site/", out1);
    char *o2 = fmt("%s/site/", out2);
    export_ok(db1, "opensdg-export", "ES-BCN", NULL, 0, o1);
    capture_begin();
    import_ok(db2, "opensdg", o1, BCN_OPTS, 3, &sum);
    char *log = capture_end();
    long n, a, s;
    read_account(log, "opensdg", &n, &a, &s);
    assert_int_equal(s, 0); /* what the exporter wrote imports completely */
    export_ok(db2, "opensdg-export", "ES-BCN", NULL, 0, o2);

    char *d1 = dump_observations(db1, "ES-BCN");
    char *d2 = dump_observations(db2, "ES-BCN");
    assert_true(strlen(d1) > 1000);
    assert_string_equal(d1, d2);
    /* comments (year-range originals, 2030 target lines) and series names and units too */
    char *m1 = dump_comments_and_series(db1, "ES-BCN");
    char *m2 = dump_comments_and_series(db2, "ES-BCN");
    assert_non_null(strstr(m1, "|period 2016-2017 in the source"));
    assert_non_null(strstr(m1, "2030 target (Open SDG graph_target_lines): "));
    assert_string_equal(m1, m2);
    char *c1 = concat_folder(o1);
    char *c2 = concat_folder(o2);
    assert_string_equal(c1, c2);
    free(log);

    /* re-importing into the same workspace changes nothing: the snapshot again (the same rows:
     * nothing to do) and the export of it (every value read back unchanged, comments included) */
    capture_begin();
    import_ok(db1, "opensdg", bcn, BCN_OPTS, 3, &sum);
    free(capture_end());
    assert_int_equal(sum.import.added, 0);
    assert_int_equal(sum.import.changed, 0);
    capture_begin();
    import_ok(db1, "opensdg", o1, BCN_OPTS, 3, &sum);
    log = capture_end();
    read_account(log, "opensdg", &n, &a, &s);
    assert_int_equal(sum.import.added, 0);
    assert_int_equal(sum.import.changed, 0);
    assert_int_equal(sum.import.unchanged, a);
    assert_int_equal(a, 2711); /* docs/plugins.md: 2,711 imported from the snapshot */
    char *m3 = dump_comments_and_series(db1, "ES-BCN");
    assert_string_equal(m1, m3);
    free(m3);
    free(m1);
    free(m2);
    free(c1);
    free(c2);
    free(d1);
    free(d2);
    free(log);
    free(o1);
    free(o2);
}

/* ---- round trips on the demo data -------------------------------------------------------- */

static void test_opensdg_demo_round_trip(void **state)
{
    (void)state;
    const char *demo = demo_workspace();
    const char *dir = acv_test_tmpdir("opensdg-demo");
    char *site = fmt("%s/site/", dir);
    export_ok(demo, "opensdg-export", "demo_capital_metro", NULL, 0, site);
    const char *fresh = fresh_workspace("opensdg-demo-import", 1);
    const char *opts[] = {"area=demo_capital_metro"};
    acv_plugin_import_summary sum;
    capture_begin();
    import_ok(fresh, "opensdg", site, opts, 1, &sum);
    char *log = capture_end();
    long n, a, s;
    read_account(log, "opensdg", &n, &a, &s);
    assert_int_equal(s, 0);
    assert_int_equal(sum.areas_added, 0);
    char *d1 = dump_observations(demo, "demo_capital_metro");
    char *d2 = dump_observations(fresh, "demo_capital_metro");
    assert_true(strlen(d1) > 1000);
    assert_string_equal(d1, d2);
    assert_int_equal(sum.import.rows, a);
    /* comments too; the 2030 targets opensdg-export writes from the framework are the
     * framework's own and are not added to them */
    free(d1);
    free(d2);
    d1 = dump_comments_and_series(demo, "demo_capital_metro");
    d2 = dump_comments_and_series(fresh, "demo_capital_metro");
    assert_string_equal(d1, d2);
    free(d1);
    free(d2);
    free(log);
    free(site);
}

static void sdmx_round_trip(const char *extra_opt, const char *tag)
{
    const char *demo = demo_workspace();
    const char *dir = acv_test_tmpdir(tag);
    char *file = fmt("%s/capital.csv", dir);
    const char *extra[] = {extra_opt};
    export_ok(demo, "sdmx-csv", "demo_capital_metro", extra, extra_opt ? 1 : 0, file);
    const char *fresh = fresh_workspace(tag, 1);
    acv_plugin_import_summary sum;
    capture_begin();
    import_ok(fresh, "sdmx-csv-import", file, NULL, 0, &sum);
    char *log = capture_end();
    long n, a, s;
    read_account(log, "sdmx-csv-import", &n, &a, &s);
    assert_int_equal(s, 0);
    char *d1 = dump_observations(demo, "demo_capital_metro");
    char *d2 = dump_observations(fresh, "demo_capital_metro");
    assert_true(strlen(d1) > 1000);
    assert_string_equal(d1, d2);
    /* and the second export is the first one */
    char *again = fmt("%s/again.csv", dir);
    export_ok(fresh, "sdmx-csv", "demo_capital_metro", extra, extra_opt ? 1 : 0, again);
    char *t1 = acv_test_read(file);
    char *t2 = acv_test_read(again);
    assert_string_equal(t1, t2);
    free(t1);
    free(t2);
    free(again);
    free(d1);
    free(d2);
    free(log);
    free(file);
}

static void test_sdmx_demo_round_trip(void **state)
{
    (void)state;
    sdmx_round_trip(NULL, "sdmx-rt");
}

/* Without the ACV_CODE column the importer maps SERIES back through the mapping table. */
static void test_sdmx_round_trip_by_series_codes(void **state)
{
    (void)state;
    sdmx_round_trip("acv_code=no", "sdmx-rt-series");
}

static void test_sdmx_import_reports_what_it_skips(void **state)
{
    (void)state;
    const char *db = fresh_workspace("sdmx-skip", 1);
    const char *dir = acv_test_tmpdir("sdmx-skip-in");
    char *file =
        acv_test_write(dir, "mixed.csv",
                       "DATAFLOW,FREQ,SERIES,REF_AREA,SEX,TIME_PERIOD,OBS_VALUE,OBS_STATUS\n"
                       "IAEG-SDGs:DF_SDG_GLH(1.0),A,EN_ATM_PM25,demo_capital_metro,_T,2024,21.5,E\n"
                       "IAEG-SDGs:DF_SDG_GLH(1.0),A,EN_ATM_PM25,demo_capital_metro,F,2024,20.1,\n"
                       "IAEG-SDGs:DF_SDG_GLH(1.0),A,XX_UNKNOWN,demo_capital_metro,_T,2024,3,\n"
                       "IAEG-SDGs:DF_SDG_GLH(1.0),A,SH_STA_TRAF,demo_capital_metro,_T,2024-Q1,3,\n"
                       "IAEG-SDGs:DF_SDG_GLH(1.0),A,SH_STA_TRAF,demo_capital_metro,_T,2023,,\n");
    acv_plugin_import_summary sum;
    capture_begin();
    import_ok(db, "sdmx-csv-import", file, NULL, 0, &sum);
    char *log = capture_end();
    long n, a, s;
    read_account(log, "sdmx-csv-import", &n, &a, &s);
    assert_int_equal(n, 4);
    assert_int_equal(a, 1);
    assert_int_equal(s, 3);
    assert_contains(log, "mixed.csv:3: breakdown SEX=F is not a total");
    assert_contains(log, "mixed.csv:4: series XX_UNKNOWN maps to no acvtrack indicator");
    assert_contains(log, "mixed.csv:5: TIME_PERIOD '2024-Q1' is not a year");
    char *v = query_text(db,
                         "SELECT o.value || '/' || o.status FROM observations o JOIN "
                         "indicators i ON i.id = o.indicator_id WHERE i.code = ?1",
                         "SC.ENV.1");
    assert_string_equal(v, "21.5/estimated");
    free(v);
    free(log);
    free(file);
}

/* ---- golden files for every exporter ----------------------------------------------------- */

static void golden_export(const char *plugin, const char *const *extra, size_t n_extra,
                          const char *golden_name, int folder)
{
    const char *dir = acv_test_tmpdir("golden-out");
    char *out = folder ? fmt("%s/out/", dir) : fmt("%s/out.txt", dir);
    export_ok(demo_workspace(), plugin, "demo_capital_metro", extra, n_extra, out);
    char *text = folder ? concat_folder(out) : acv_test_read(out);
    assert_non_null(text);
    golden(text, golden_name);
    free(text);
    free(out);
}

static void test_golden_indicator_csv(void **state)
{
    (void)state;
    golden_export("indicator-csv", NULL, 0, "indicator-csv.demo_capital_metro.txt", 0);
}

static void test_golden_opensdg_export(void **state)
{
    (void)state;
    golden_export("opensdg-export", NULL, 0, "opensdg-export.demo_capital_metro.txt", 1);
}

static void test_golden_sdmx_csv(void **state)
{
    (void)state;
    golden_export("sdmx-csv", NULL, 0, "sdmx-csv.demo_capital_metro.txt", 0);
}

static void test_golden_vlr(void **state)
{
    (void)state;
    const char *html[] = {"html=yes"};
    golden_export("vlr", html, 1, "vlr.demo_capital_metro.txt", 1);
    /* the draft marks what the city must write, and fills the rest */
    const char *dir = acv_test_tmpdir("vlr");
    char *md = fmt("%s/vlr.md", dir);
    export_ok(demo_workspace(), "vlr", "demo_secondary_city", NULL, 0, md);
    char *text = acv_test_read(md);
    assert_contains(text, "# Voluntary Local Review 2025: Demo secondary city");
    assert_contains(text, "## 6. Progress on goals and targets");
    assert_contains(text, "### SDG 11: Sustainable cities and communities");
    assert_contains(text, "## Annex A. Statistical annex");
    assert_contains(text, "> **[PLACEHOLDER]** Statement by the mayor");
    assert_contains(text, "| SC.ENV.1 | ");
    free(text);
    free(md);
}

static void test_golden_sglg(void **state)
{
    (void)state;
    const char *psgc[] = {"psgc=0000000000"};
    golden_export("sglg", psgc, 1, "sglg.demo_capital_metro.txt", 0);
}

/* ---- broken plugins ---------------------------------------------------------------------- */

/* Runs a broken exporter fixture: it must fail naming its file and line, write no file (not
 * even a temporary one) and change nothing in the workspace. */
static void broken_exporter(const char *name, int line, limits lim)
{
    const char *db = demo_workspace();
    const char *overlay = fixture_overlay(name);
    char *before = workspace_state(db);
    const char *dir = acv_test_tmpdir("broken-out");
    char *single = fmt("%s/out.csv", dir);
    char *folder = fmt("%s/folder/", dir);
    const char *outputs[] = {single, folder};
    for (int i = 0; i < 2; i++) {
        acv_ctx *ctx = open_ctx_in(db, ACV_TEST_SOURCE_DIR, overlay, lim);
        acv_error err;
        acv_status st = run_export(ctx, name, "demo_capital_metro", NULL, 0, outputs[i], &err);
        acv_ctx_close(ctx);
        fprintf(stderr, "%s: %s\n", name, err.message);
        assert_int_not_equal(st, ACV_OK);
        char *where = fmt("plugins/%s.lua:%d:", name, line);
        assert_contains(err.message, where);
        free(where);
        if (strstr(name, "syntax") == NULL)
            assert_contains(err.message, "nothing was written");
    }
    assert_false(exists(single));
    assert_false(exists(folder));
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.') {
            fprintf(stderr, "left behind: %s/%s\n", dir, e->d_name);
            fail();
        }
    closedir(d);
    char *after = workspace_state(db);
    assert_string_equal(before, after);
    free(before);
    free(after);
    free(single);
    free(folder);
}

static void test_broken_syntax_error(void **state)
{
    (void)state;
    limits none = {0, 0};
    broken_exporter("syntax-error", 5, none);
}

static void test_broken_runtime_error(void **state)
{
    (void)state;
    limits none = {0, 0};
    broken_exporter("runtime-error", 13, none);
}

static void test_broken_infinite_loop(void **state)
{
    (void)state;
    limits fast = {0, 5000000}; /* 5 million instructions keep the test short */
    broken_exporter("infinite-loop", 11, fast);
}

static void test_broken_memory_bomb(void **state)
{
    (void)state;
    limits small = {16u * 1024 * 1024, 0};
    broken_exporter("memory-bomb", 11, small);
}

static void test_broken_importer_changes_nothing(void **state)
{
    (void)state;
    const char *db = fresh_workspace("broken-import", 1);
    const char *overlay = fixture_overlay("failing-importer");
    const char *dir = acv_test_tmpdir("broken-import-in");
    char *input = acv_test_write(dir, "in.csv", "anything\n1\n");
    char *before = workspace_state(db);
    acv_plugin_import_summary sum;
    acv_error err;
    acv_status st = run_import(db, overlay, "failing-importer", input, NULL, 0, &sum, &err);
    fprintf(stderr, "%s\n", err.message);
    assert_int_not_equal(st, ACV_OK);
    assert_contains(err.message, "plugins/failing-importer.lua:16:");
    char *after = workspace_state(db);
    assert_string_equal(before, after);
    free(before);
    free(after);
    free(input);
}

static void test_bad_row_names_input_and_rolls_back(void **state)
{
    (void)state;
    const char *db = fresh_workspace("bad-row", 1);
    const char *overlay = fixture_overlay("bad-row-importer");
    const char *dir = acv_test_tmpdir("bad-row-in");
    char *input = acv_test_write(dir, "rows.csv",
                                 "indicator,year,value\nSC.ENV.1,2024,12\nNO.SUCH.1,2024,3\n");
    char *before = workspace_state(db);
    acv_plugin_import_summary sum;
    acv_error err;
    acv_status st = run_import(db, overlay, "bad-row-importer", input, NULL, 0, &sum, &err);
    fprintf(stderr, "%s\n", err.message);
    assert_int_not_equal(st, ACV_OK);
    /* the engine's error points at the input the plugin read, not at its own temporary file */
    assert_contains(err.message, "rows.csv:3");
    assert_contains(err.message, "NO.SUCH.1");
    assert_contains(err.message, "bad-row-importer");
    char *after = workspace_state(db);
    assert_string_equal(before, after); /* the new area XX-NEW went again */
    free(before);
    free(after);
    free(input);
}

/* ---- formula injection ------------------------------------------------------------------- */

static void test_formula_injection_defused(void **state)
{
    (void)state;
    const char *overlay = fixture_overlay("formula-cells");
    const char *dir = acv_test_tmpdir("formula");
    char *out = fmt("%s/out/", dir);
    acv_ctx *ctx = open_ctx(demo_workspace(), overlay);
    acv_error err;
    acv_status st = run_export(ctx, "formula-cells", NULL, NULL, 0, out, &err);
    acv_ctx_close(ctx);
    if (st != ACV_OK)
        fprintf(stderr, "%s\n", err.message);
    assert_int_equal(st, ACV_OK);
    char *path = fmt("%scells.csv", out);
    char *cells = acv_test_read(path);
    /* "+1" and "-1" are numbers as text, which no spreadsheet can make run anything: left as they
     * are; with a reference, a function or a word after the sign they are defused */
    assert_string_equal(cells, "'=1+1,+1,-1,'@x,'\t=1,\"'\r=1\"\r\n"
                               "'+1+A1,'-1+SUM(1),'-x\r\n"
                               "-1,1.5,1,a=1,,'quoted\r\n"
                               "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",\"'=1,2\",'-,'+\r\n"
                               "'\uFF1D1+1,'\uFF0B1,'\uFF0D1,'\uFF20x,a\uFF1D1\r\n");
    free(cells);
    free(path);
    path = fmt("%sraw.txt", out);
    char *raw = acv_test_read(path);
    assert_string_equal(raw, "=1+1\n"); /* write() is raw by contract */
    free(raw);
    free(path);

    /* and in a bundled exporter: a target text starting with "+" and a digit, with no reference,
     * function or program in it, is text in every spreadsheet: it comes out without an apostrophe
     */
    const char *d2 = acv_test_tmpdir("formula-sglg");
    char *csv = fmt("%s/sglg.csv", d2);
    export_ok(demo_workspace(), "sglg", "demo_capital_metro", NULL, 0, csv);
    char *text = acv_test_read(csv);
    assert_contains(text, ",+10 pp vs 2019,");
    assert_false(contains(text, ",'+10 pp"));
    free(text);
    free(csv);
    free(out);
}

static void test_csv_nil_cells_keep_their_place(void **state)
{
    (void)state;
    const char *overlay = fixture_overlay("nil-cells");
    const char *dir = acv_test_tmpdir("nil-cells");
    char *out = fmt("%s/cells.csv", dir);
    acv_ctx *ctx = open_ctx(demo_workspace(), overlay);
    acv_error err;
    acv_status st = run_export(ctx, "nil-cells", NULL, NULL, 0, out, &err);
    acv_ctx_close(ctx);
    assert_int_equal(st, ACV_OK);
    char *cells = acv_test_read(out);
    assert_string_equal(cells, "a,b,c,d\r\nx,,,y\r\n,second,,fourth\r\nfirst,,third\r\n");
    free(cells);
    free(out);
}

/* ---- the API stubs ----------------------------------------------------------------------- */

/* The `acv.API` class block of the stubs: from its ---@class line to the first line that is not a
 * comment. */
static char *api_class_block(const char *stubs)
{
    const char *start = strstr(stubs, "---@class acv.API\n");
    assert_non_null(start);
    const char *end = start;
    while (*end && strncmp(end, "---", 3) == 0) {
        const char *eol = strchr(end, '\n');
        end = eol ? eol + 1 : end + strlen(end);
    }
    return strndup(start, (size_t)(end - start));
}

static void test_api_stubs_match_registry(void **state)
{
    (void)state;
    char *stubs = acv_test_read(API_STUBS);
    assert_non_null(stubs);
    assert_contains(stubs, "---@meta");
    char *fields = api_class_block(stubs);
    /* every registry name has its stub: functions as function acv.NAME(, fields as ---@field */
    size_t n_functions = 0, n_fields = 0;
    for (size_t i = 0; acv_api_entry_at(i); i++) {
        const acv_api_entry *e = acv_api_entry_at(i);
        char *decl = e->kind == ACV_API_FUNCTION ? fmt("\nfunction acv.%s(", e->name)
                                                 : fmt("---@field %s ", e->name);
        if (!contains(e->kind == ACV_API_FUNCTION ? stubs : fields, decl))
            fprintf(stderr, "docs/acv-api.lua does not declare acv.%s (\"%s\")\n", e->name, decl);
        assert_true(contains(e->kind == ACV_API_FUNCTION ? stubs : fields, decl));
        free(decl);
        if (e->kind == ACV_API_FUNCTION)
            n_functions++;
        else
            n_fields++;
    }
    assert_true(n_functions >= 5 && n_fields >= 3);
    /* ...and the stubs declare nothing the registry lacks */
    for (const char *p = stubs; (p = strstr(p, "\nfunction acv.")) != NULL; p++) {
        char name[64];
        assert_int_equal(sscanf(p, "\nfunction acv.%63[a-z_](", name), 1);
        int found = 0;
        for (size_t i = 0; acv_api_entry_at(i); i++)
            found |= acv_api_entry_at(i)->kind == ACV_API_FUNCTION &&
                     strcmp(acv_api_entry_at(i)->name, name) == 0;
        if (!found)
            fprintf(stderr, "docs/acv-api.lua declares acv.%s, which the registry lacks\n", name);
        assert_true(found);
    }
    size_t declared_fields = 0;
    for (const char *p = fields; (p = strstr(p, "---@field ")) != NULL; p++) {
        char name[64];
        assert_int_equal(sscanf(p, "---@field %63[a-z_]", name), 1);
        int found = 0;
        for (size_t i = 0; acv_api_entry_at(i); i++)
            found |= acv_api_entry_at(i)->kind == ACV_API_FIELD &&
                     strcmp(acv_api_entry_at(i)->name, name) == 0;
        if (!found)
            fprintf(stderr,
                    "docs/acv-api.lua declares the field acv.%s, which the registry lacks\n", name);
        assert_true(found);
        declared_fields++;
    }
    assert_int_equal(declared_fields, n_fields);
    /* the stubs are Lua the sandbox loads */
    acv_lua *lua = NULL;
    acv_error err;
    acv_script_root root = {ACV_TEST_SOURCE_DIR, ""};
    assert_int_equal(acv_lua_new(NULL, &root, 1, &lua, &err), ACV_OK);
    acv_status st = acv_lua_run_string(lua, stubs, "docs/acv-api.lua", &err);
    if (st != ACV_OK)
        fprintf(stderr, "%s\n", err.message);
    assert_int_equal(st, ACV_OK);
    acv_lua_free(lua);
    free(fields);
    free(stubs);
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void test_api_plugins_get_the_registry(void **state)
{
    (void)state;
    const char *overlay = fixture_overlay("api-names");
    const char *dir = acv_test_tmpdir("api-names");
    char *out = fmt("%s/names.txt", dir);
    acv_ctx *ctx = open_ctx(demo_workspace(), overlay);
    acv_error err;
    acv_status st = run_export(ctx, "api-names", NULL, NULL, 0, out, &err);
    acv_ctx_close(ctx);
    if (st != ACV_OK)
        fprintf(stderr, "%s\n", err.message);
    assert_int_equal(st, ACV_OK);
    char *names = acv_test_read(out);
    assert_non_null(names);
    /* the global acv and ctx.acv are one table */
    assert_contains(names, "\none acv table\n");
    /* ctx.acv holds exactly the registry's names */
    acv_buf expected = {0}, actual = {0};
    const char *sorted[64];
    size_t n = 0;
    for (size_t i = 0; acv_api_entry_at(i) && n < 64; i++)
        sorted[n++] = acv_api_entry_at(i)->name;
    qsort(sorted, n, sizeof *sorted, cmp_cstr);
    for (size_t i = 0; i < n; i++)
        acv_buf_printf(&expected, "acv.%s\n", sorted[i]);
    /* the sink's and the file's functions have their stubs */
    char *stubs = acv_test_read(API_STUBS);
    size_t sink_functions = 0;
    for (char *line = strtok(names, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, "acv.", 4) == 0) {
            acv_buf_printf(&actual, "%s\n", line);
        } else if (strncmp(line, "Sink:", 5) == 0 || strncmp(line, "File:", 5) == 0) {
            char *decl = fmt("\nfunction %s(", line);
            if (!contains(stubs, decl))
                fprintf(stderr, "docs/acv-api.lua does not declare %s\n", line);
            assert_true(contains(stubs, decl));
            free(decl);
            sink_functions++;
        }
    }
    assert_string_equal(actual.data, expected.data);
    assert_int_equal(sink_functions, 5 + 2); /* observation, skip, area, series, file; write, csv */
    size_t declared = 0;
    for (const char *p = stubs; (p = strstr(p, "\nfunction Sink:")) != NULL; p++)
        declared++;
    for (const char *p = stubs; (p = strstr(p, "\nfunction File:")) != NULL; p++)
        declared++;
    assert_int_equal(declared, sink_functions);
    acv_buf_free(&expected);
    acv_buf_free(&actual);
    free(stubs);
    free(names);
    free(out);
}

/* A wrong argument names itself, the function and the plugin's file:line, like luaL_argerror. */
static void bad_argument(const char *call, const char *expected)
{
    const char *overlay = fixture_overlay("bad-argument");
    const char *dir = acv_test_tmpdir("bad-argument");
    char *out = fmt("%s/never.txt", dir);
    char *opt = fmt("call=%s", call);
    const char *extra[] = {opt};
    acv_ctx *ctx = open_ctx(demo_workspace(), overlay);
    acv_error err;
    acv_status st = run_export(ctx, "bad-argument", NULL, extra, 1, out, &err);
    acv_ctx_close(ctx);
    assert_int_equal(st, ACV_ERR_SCRIPT);
    fprintf(stderr, "%s\n", err.message);
    const char *after = "failed; nothing was written: ";
    const char *msg = strstr(err.message, after);
    assert_non_null(msg);
    msg += strlen(after);
    char *first = strndup(msg, strcspn(msg, "\n")); /* the traceback follows */
    /* the plugin's chunk name starts with the overlay folder's name: compare from "plugins/" */
    const char *from = expected[0] == 'p' ? strstr(first, "plugins/") : first;
    assert_non_null(from);
    assert_string_equal(from, expected);
    assert_false(exists(out));
    free(first);
    free(opt);
    free(out);
}

static void test_api_argument_errors_name_the_argument(void **state)
{
    (void)state;
    bad_argument("no-area", "plugins/bad-argument.lua:12: bad argument #1 to 'observations' "
                            "(field 'area': string expected, got nil)");
    bad_argument("no-table", "plugins/bad-argument.lua:14: bad argument #1 to 'observations' "
                             "(table expected, got no value)");
    /* through pcall the function has no name of its own, and no caller line: Lua's rule */
    bad_argument("through-pcall", "bad argument #1 to 'results' (string expected, got table)");
}

/* Scoring scripts and validation rules see the same acv table; the workspace functions raise. */
static void test_api_same_table_in_scripts(void **state)
{
    (void)state;
    acv_ctx *ctx = open_ctx(demo_workspace(), NULL);
    acv_error err;
    acv_status st = acv_lua_run_string(ctx->lua,
                                       "local fw = acv.framework\n"
                                       "assert(type(fw) == 'table' and fw() == fw)\n"
                                       "assert(fw.id ~= '' and #fw.hash == 64)\n"
                                       "assert(#fw.indicators > 50 and #fw.pillars == 4)\n"
                                       "assert(fw.indicators[1].pillar == fw.pillars[1].id)\n"
                                       "assert(acv.api == 1 and type(acv.version) == 'string')\n"
                                       "assert(#acv.parse_csv('a,b\\n1,2\\n', 'x.csv') == 2)\n"
                                       "assert(not pcall(function() fw.id = 'x' end))\n"
                                       "acv.areas()\n",
                                       "scripts/probe.lua", &err);
    acv_ctx_close(ctx);
    assert_int_equal(st, ACV_ERR_SCRIPT);
    char *first = strndup(err.message, strcspn(err.message, "\n"));
    assert_string_equal(first, "scripts/probe.lua:9: acv.areas: only plugins read the workspace "
                               "(scoring scripts and validation rules get their data as input)");
    free(first);
}

/* ---- the guide ----------------------------------------------------------------------------- */

typedef struct {
    const char *workdir;
    const char *framework;
    const char *db;
    const char *bindir;
    char *last_output; /* stdout of the last sh block */
} guide_env;

/* Runs one "acvtrack import --format ..." line through the C API (the command line may not be
 * wired to plugins yet), with paths relative to the work folder. */
static void guide_import(guide_env *g, const char *line)
{
    char *copy = strdup(line);
    const char *opts[16], *inputs[8];
    char *owned[32];
    size_t n_opts = 0, n_inputs = 0, n_owned = 0;
    const char *format = NULL;
    char *save = NULL;
    strtok_r(copy, " ", &save); /* acvtrack */
    strtok_r(NULL, " ", &save); /* import */
    for (char *tok = strtok_r(NULL, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        if (strcmp(tok, "--format") == 0)
            format = strtok_r(NULL, " ", &save);
        else if (strcmp(tok, "--opt") == 0)
            opts[n_opts++] = strtok_r(NULL, " ", &save);
        else if (strcmp(tok, "--area") == 0)
            opts[n_opts++] = owned[n_owned++] = fmt("area=%s", strtok_r(NULL, " ", &save));
        else
            inputs[n_inputs++] = owned[n_owned++] =
                tok[0] == '/' ? strdup(tok) : fmt("%s/%s", g->workdir, tok);
    }
    assert_non_null(format);
    limits none = {0, 0};
    acv_ctx *ctx = open_ctx_in(g->db, g->framework, NULL, none);
    acv_plugin_import_summary sum;
    acv_error err;
    acv_error_clear(&err);
    acv_status st =
        acv_plugin_import(ctx, format, inputs, n_inputs, opts, n_opts, NULL, &sum, &err);
    acv_ctx_close(ctx);
    if (st != ACV_OK)
        fprintf(stderr, "guide: %s: %s\n", line, err.message);
    assert_int_equal(st, ACV_OK);
    for (size_t i = 0; i < n_owned; i++)
        free(owned[i]);
    free(copy);
}

static void guide_sh(guide_env *g, const char *block)
{
    acv_buf out = {0};
    const char *bcn_ref = "tests/data/opensdg-barcelona";
    if (strstr(block, bcn_ref))
        require_barcelona();
    char *copy = strdup(block);
    char *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *cmdline = strdup(line);
        char *at = strstr(cmdline, bcn_ref);
        if (at) {
            *at = '\0';
            char *replaced = fmt("%s%s%s", cmdline, barcelona_dir(), at + strlen(bcn_ref));
            free(cmdline);
            cmdline = replaced;
        }
        /* imports that show what the binary prints (dry run, rejects, --strict) run it */
        if (strncmp(cmdline, "acvtrack import --format", 24) == 0 &&
            !strstr(cmdline, " --dry-run") && !strstr(cmdline, " --rejects") &&
            !strstr(cmdline, " --strict")) {
            guide_import(g, cmdline);
            free(cmdline);
            continue;
        }
        char *cmd = fmt("cd '%s' && unset ACVTRACK_OVERLAY && PATH='%s':\"$PATH\" "
                        "ACVTRACK_DB='%s' ACVTRACK_FRAMEWORK='%s' sh -c '%s' 2>'%s/stderr.txt'",
                        g->workdir, g->bindir, g->db, g->framework, cmdline, g->workdir);
        FILE *p = popen(cmd, "r");
        assert_non_null(p);
        char buf[4096];
        size_t got;
        while ((got = fread(buf, 1, sizeof buf, p)) > 0)
            acv_buf_append(&out, buf, got);
        int status = pclose(p);
        if (status != 0) {
            char *errpath = fmt("%s/stderr.txt", g->workdir);
            char *errtext = acv_test_read(errpath);
            fprintf(stderr, "guide: command failed: %s\n%s\n", line, errtext ? errtext : "");
            free(errtext);
            free(errpath);
        }
        assert_int_equal(status, 0);
        free(cmd);
        free(cmdline);
    }
    free(copy);
    free(g->last_output);
    g->last_output = out.data ? out.data : strdup("");
}

static void test_guide_examples_run_as_written(void **state)
{
    (void)state;
    guide_env g = {0};
    /* a copy of the framework folder that receives the guide's plugins */
    const char *fw = acv_test_tmpdir("guide-fw");
    char *cmd = fmt("cp -r '%s/indicators' '%s/scripts' '%s/plugins' '%s/'", ACV_TEST_SOURCE_DIR,
                    ACV_TEST_SOURCE_DIR, ACV_TEST_SOURCE_DIR, fw);
    sh_ok(cmd);
    free(cmd);
    char cwd[600];
    assert_non_null(getcwd(cwd, sizeof cwd));
    char *fw_abs = fmt("%s/%s", cwd, fw);
    char *db_abs = fmt("%s/%s", cwd, demo_workspace());
    const char *work = acv_test_tmpdir("guide-work");
    char *work_abs = fmt("%s/%s", cwd, work);
    const char *bin = acv_test_tmpdir("guide-bin");
    char *bin_abs = fmt("%s/%s", cwd, bin);
    char *link = fmt("%s/acvtrack", bin_abs);
    assert_int_equal(symlink(ACV_TEST_BINARY, link), 0);
    g.workdir = work_abs;
    g.framework = fw_abs;
    g.db = db_abs;
    g.bindir = bin_abs;

    char *guide = acv_test_read(GUIDE);
    assert_non_null(guide);
    int blocks = 0, lua_blocks = 0, sh_blocks = 0, outputs = 0;
    char *marker = NULL; /* the HTML comment line just before a fence */
    char *p = guide;
    while (*p) {
        char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        char *line = strndup(p, len);
        p += len + (eol ? 1 : 0);
        if (strncmp(line, "<!-- ", 5) == 0) {
            free(marker);
            marker = line;
            continue;
        }
        if (strncmp(line, "```", 3) != 0) {
            if (line[0] != '\0') {
                free(marker);
                marker = NULL;
            }
            free(line);
            continue;
        }
        /* a fenced block: its language and body */
        char *lang = strdup(line + 3);
        free(line);
        acv_buf body = {0};
        while (*p) {
            eol = strchr(p, '\n');
            len = eol ? (size_t)(eol - p) : strlen(p);
            int end = strncmp(p, "```", 3) == 0;
            if (!end) {
                acv_buf_append(&body, p, len);
                acv_buf_puts(&body, "\n");
            }
            p += len + (eol ? 1 : 0);
            if (end)
                break;
        }
        const char *text = body.data ? body.data : "";
        blocks++;
        if (strcmp(lang, "lua") == 0) {
            /* a complete plugin, its path on the first line */
            char path[200];
            assert_int_equal(sscanf(text, "-- %199s", path), 1);
            assert_int_equal(strncmp(path, "plugins/", 8), 0);
            free(acv_test_write(fw_abs, path, text));
            lua_blocks++;
        } else if (strcmp(lang, "sh") == 0) {
            guide_sh(&g, text);
            sh_blocks++;
        } else if (strcmp(lang, "text") == 0 && marker && strstr(marker, "<!-- output -->")) {
            char *expected = normalise(text);
            char *actual = normalise(g.last_output ? g.last_output : "");
            if (strcmp(expected, actual) != 0)
                fprintf(stderr, "guide: the output shown:\n%s\nthe output now:\n%s\n", expected,
                        actual);
            assert_string_equal(expected, actual);
            free(expected);
            free(actual);
            outputs++;
        } else if (marker && strncmp(marker, "<!-- file: ", 11) == 0) {
            char name[200];
            assert_int_equal(sscanf(marker + 11, "%199s", name), 1);
            free(acv_test_write(work_abs, name, text));
        } else {
            fprintf(stderr, "guide: a ```%s block that no test runs:\n%s\n", lang, text);
            fail();
        }
        free(marker);
        marker = NULL;
        free(lang);
        acv_buf_free(&body);
    }
    free(marker);
    fprintf(stderr, "guide: %d blocks: %d plugins, %d command blocks, %d outputs checked\n", blocks,
            lua_blocks, sh_blocks, outputs);
    assert_true(lua_blocks >= 2 && sh_blocks >= 3 && outputs >= 1);
    /* the importer of step 2 stored what readings.csv holds (the later Open SDG round trip of
     * the guide stores the same value again, keeping this one as a revision) */
    char *v = query_text(db_abs,
                         "SELECT o.value FROM observations o JOIN indicators i ON i.id = "
                         "o.indicator_id JOIN areas a ON a.id = o.area_id WHERE a.code = "
                         "'demo_capital_metro' AND i.code = 'SC.ENV.1' AND o.period = ?1",
                         "2027");
    assert_string_equal(v, "14.8");
    free(v);
    v = query_text(db_abs,
                   "SELECT count(*) FROM (SELECT source FROM observations UNION ALL "
                   "SELECT source FROM observation_revisions) WHERE source = ?1",
                   "hello-import: readings.csv");
    assert_string_equal(v, "2");
    free(v);
    free(g.last_output);
    free(guide);
    free(link);
    free(bin_abs);
    free(work_abs);
    free(db_abs);
    free(fw_abs);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bundled_plugins_listed),
        cmocka_unit_test(test_opensdg_barcelona_counts),
        cmocka_unit_test(test_opensdg_barcelona_scores),
        cmocka_unit_test(test_opensdg_barcelona_round_trip),
        cmocka_unit_test(test_opensdg_demo_round_trip),
        cmocka_unit_test(test_sdmx_demo_round_trip),
        cmocka_unit_test(test_sdmx_round_trip_by_series_codes),
        cmocka_unit_test(test_sdmx_import_reports_what_it_skips),
        cmocka_unit_test(test_golden_indicator_csv),
        cmocka_unit_test(test_golden_opensdg_export),
        cmocka_unit_test(test_golden_sdmx_csv),
        cmocka_unit_test(test_golden_vlr),
        cmocka_unit_test(test_golden_sglg),
        cmocka_unit_test(test_broken_syntax_error),
        cmocka_unit_test(test_broken_runtime_error),
        cmocka_unit_test(test_broken_infinite_loop),
        cmocka_unit_test(test_broken_memory_bomb),
        cmocka_unit_test(test_broken_importer_changes_nothing),
        cmocka_unit_test(test_bad_row_names_input_and_rolls_back),
        cmocka_unit_test(test_formula_injection_defused),
        cmocka_unit_test(test_csv_nil_cells_keep_their_place),
        cmocka_unit_test(test_api_stubs_match_registry),
        cmocka_unit_test(test_api_plugins_get_the_registry),
        cmocka_unit_test(test_api_argument_errors_name_the_argument),
        cmocka_unit_test(test_api_same_table_in_scripts),
        cmocka_unit_test(test_guide_examples_run_as_written),
    };
    return acv_test_main(argc, argv, "plugins", tests, sizeof tests / sizeof tests[0]);
}
