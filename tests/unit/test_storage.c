/*
 * test_storage.c — the workspace database: the schema and its stamps, refusing files that are not
 * ours without touching them, the busy timeout, areas, imports and observations, and how a full
 * disk is reported. Files are inspected through a separate sqlite3 connection.
 */
#include "testutil.h"

#include "framework.h"
#include "storage.h"
#include "util.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define STRINGIFY_(x) #x
#define STRINGIFY_VALUE(x) STRINGIFY_(x)
/* the current schema version as text, for expect_sql */
#define SCHEMA_VERSION STRINGIFY_VALUE(ACV_SCHEMA_VERSION)

static char *db_path(const char *tag)
{
    const char *dir = acv_test_tmpdir(tag);
    assert_non_null(dir);
    return acv_path_join(dir, "acvtrack.db");
}

static acv_store *open_store(const char *path, int create, int busy_ms)
{
    acv_store_options opt = {busy_ms, create};
    acv_store *s = NULL;
    acv_error err;
    acv_error_clear(&err);
    acv_status st = acv_store_open(path, &opt, &s, &err);
    if (st != ACV_OK)
        fprintf(stderr, "acv_store_open: %s\n", err.message);
    assert_int_equal(st, ACV_OK);
    assert_non_null(s);
    return s;
}

static void expect_open_fails(const char *path, int create, acv_status status, const char *want)
{
    acv_store_options opt = {0, create};
    acv_store *s = (acv_store *)&opt; /* must be reset to NULL */
    acv_error err;
    acv_error_clear(&err);
    acv_status st = acv_store_open(path, &opt, &s, &err);
    if (st != status || strcmp(err.message, want) != 0)
        fprintf(stderr, "wanted (%d): %s\ngot (%d): %s\n", (int)status, want, (int)st, err.message);
    assert_int_equal(st, status);
    assert_null(s);
    assert_string_equal(err.message, want);
}

/* Runs one SQL statement on a fresh connection and returns its first column as text (malloc'd,
 * "" when there is no row). */
static char *sql_text(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &q, NULL);
    if (rc != SQLITE_OK)
        fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(db));
    assert_int_equal(rc, SQLITE_OK);
    char *out = NULL;
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
        out = strdup((const char *)sqlite3_column_text(q, 0));
    else
        out = strdup("");
    sqlite3_finalize(q);
    sqlite3_close(db);
    return out;
}

static void expect_sql(const char *path, const char *sql, const char *want)
{
    char *got = sql_text(path, sql);
    if (strcmp(got, want) != 0)
        fprintf(stderr, "%s: wanted %s, got %s\n", sql, want, got);
    assert_string_equal(got, want);
    free(got);
}

static void exec_sql(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                     SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fprintf(stderr, "%s: %s\n", sql, msg);
    sqlite3_free(msg);
    assert_int_equal(rc, SQLITE_OK);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

typedef struct {
    unsigned char *bytes;
    size_t len;
    struct timespec mtime;
} file_snapshot;

static file_snapshot snapshot(const char *path)
{
    file_snapshot f = {0};
    char *data = NULL;
    assert_int_equal(acv_read_file(path, 1u << 26, &data, &f.len), 0);
    f.bytes = (unsigned char *)data;
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    f.mtime = sb.st_mtim;
    return f;
}

/* The file has the same bytes and modification time, and no journal, WAL or shm appeared. */
static void expect_untouched(const char *path, file_snapshot *before)
{
    file_snapshot after = snapshot(path);
    assert_int_equal(after.len, before->len);
    assert_memory_equal(after.bytes, before->bytes, before->len);
    assert_int_equal(after.mtime.tv_sec, before->mtime.tv_sec);
    assert_int_equal(after.mtime.tv_nsec, before->mtime.tv_nsec);
    static const char *const sidecars[] = {"-wal", "-shm", "-journal", NULL};
    for (const char *const *s = sidecars; *s; s++) {
        char side[1024];
        snprintf(side, sizeof side, "%s%s", path, *s);
        assert_int_equal(access(side, F_OK), -1);
    }
    free(after.bytes);
    free(before->bytes);
}

/* Sets the file's mtime to a fixed moment in the past, so a rewrite would show. */
static void age_file(const char *path)
{
    struct timespec times[2] = {{1000000000, 123456789}, {1000000000, 123456789}};
    assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
}

static void test_new_workspace_has_schema(void **state)
{
    (void)state;
    char *path = db_path("storage");
    acv_store *s = open_store(path, 1, 0);
    acv_store_close(s);
    expect_sql(path, "PRAGMA application_id", "1094932052"); /* 0x41435654, "ACVT" */
    expect_sql(path, "PRAGMA user_version", SCHEMA_VERSION);
    expect_sql(path, "PRAGMA journal_mode", "wal");
    /* the tables the engine relies on (others may be added by later work) */
    expect_sql(path,
               "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('areas', "
               "'assessment_answers', 'imports', 'indicators', 'meta', 'observations', "
               "'run_results', 'runs')",
               "8");
    /* reopening (without create) keeps it as it is */
    s = open_store(path, 0, 0);
    assert_int_equal(acv_store_count(s, "areas"), 0);
    assert_int_equal(acv_store_count(s, "observations"), 0);
    assert_int_equal(acv_store_count(s, "sqlite_schema"), -1);
    assert_int_equal(acv_store_count(s, "areas; DROP TABLE areas"), -1);
    acv_store_close(s);
    expect_sql(path, "PRAGMA user_version", SCHEMA_VERSION);
    free(path);
}

/* What version 9 added, taken away again to make an older workspace. */
#define V9_UNDONE                                                                                  \
    "DROP TABLE review_comments;"                                                                  \
    "DROP TABLE review_decisions;"

/* What version 8 added, taken away again to make an older workspace. */
#define V8_UNDONE                                                                                  \
    V9_UNDONE                                                                                      \
    "DROP INDEX boundary_links_successor;"                                                         \
    "DROP TABLE boundary_links;"                                                                   \
    "DROP TABLE boundary_changes;"                                                                 \
    "ALTER TABLE areas DROP COLUMN calendar;"                                                      \
    "ALTER TABLE areas DROP COLUMN valid_from;"                                                    \
    "ALTER TABLE areas DROP COLUMN valid_to;"

/* What version 7 added, taken away again to make an older workspace. */
#define V7_UNDONE V8_UNDONE "ALTER TABLE runs DROP COLUMN inputs_hash;"

/* A workspace of schema version 6 keeps its runs, with no inputs hash: the next `score --all`
 * scores their areas again instead of taking them for up to date. */
static void test_version_6_workspace_migrated(void **state)
{
    (void)state;
    char *path = db_path("storage-v6");
    acv_store *s = open_store(path, 1, 0);
    acv_store_close(s);
    exec_sql(path, V7_UNDONE
             "INSERT INTO areas(id, code, name, level) VALUES (1, 'c', 'C', 'city');"
             "INSERT INTO runs(id, area_id, year, created_at, engine_version, framework_id, "
             "framework_version, framework_hash, data_hash, methods_hash) VALUES (1, 1, 2025, "
             "'t', 'e', 'f', '1', 'h', 'd', 'm');"
             "INSERT INTO run_results(run_id, level, code, score, n_scored, n_total) "
             "VALUES (1, 'overall', 'ACV', 61.5, 4, 4);"
             "PRAGMA user_version = 6;");
    expect_sql(path, "SELECT count(*) FROM pragma_table_info('runs') WHERE name = 'inputs_hash'",
               "0");
    s = open_store(path, 0, 0);
    char hex[65] = "x";
    int64_t run_id = -1;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_store_latest_inputs_hash(s, 1, 2025, &run_id, hex, &err), ACV_OK);
    assert_int_equal(run_id, 1);
    assert_string_equal(hex, "");
    /* no run of that year */
    assert_int_equal(acv_store_latest_inputs_hash(s, 1, 2024, &run_id, hex, &err), ACV_OK);
    assert_int_equal(run_id, 0);
    /* a run stored now has its hash, and the latest run is the one compared */
    const char *h64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    acv_run run = {.area_id = 1,
                   .year = 2025,
                   .engine_version = "e",
                   .framework_id = "f",
                   .framework_version = "1",
                   .framework_hash = "h",
                   .data_hash = "d",
                   .methods_hash = "m",
                   .inputs_hash = h64};
    assert_int_equal(acv_store_begin(s, &err), ACV_OK);
    assert_int_equal(acv_store_add_run(s, &run, &err), ACV_OK);
    assert_int_equal(acv_store_commit(s, &err), ACV_OK);
    assert_int_equal(acv_store_latest_inputs_hash(s, 1, 2025, &run_id, hex, &err), ACV_OK);
    assert_int_equal(run_id, 2);
    assert_string_equal(hex, h64);
    acv_store_close(s);
    expect_sql(path, "PRAGMA user_version", SCHEMA_VERSION);
    expect_sql(path, "SELECT group_concat(id || ':' || coalesce(inputs_hash, '-'), ' ') FROM runs",
               "1:- 2:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    expect_sql(path, "SELECT score FROM run_results WHERE run_id = 1", "61.5");
    free(path);
}

/* What version 6 added, taken away again to make an older workspace: the tables of what refers to
 * runs, and incremental auto-vacuum (a workspace made before it has none). */
#define V6_UNDONE                                                                                  \
    V7_UNDONE                                                                                      \
    "DROP TABLE run_references;"                                                                   \
    "DROP TABLE reports;"

/* A workspace of schema version 8 keeps its rows and gets the empty review tables, so every
 * dataset in it is a draft. */
static void test_version_8_workspace_migrated(void **state)
{
    (void)state;
    char *path = db_path("storage-v8");
    acv_store *s = open_store(path, 1, 0);
    acv_store_close(s);
    exec_sql(path, V9_UNDONE "INSERT INTO areas(id, code, name, level) VALUES (1, 'c', 'C', "
                             "'city');"
                             "PRAGMA user_version = 8;");
    expect_sql(path, "SELECT count(*) FROM sqlite_schema WHERE name LIKE 'review_%'", "0");
    s = open_store(path, 0, 0);
    acv_store_close(s);
    expect_sql(path, "PRAGMA user_version", SCHEMA_VERSION);
    expect_sql(path, "SELECT group_concat(code) FROM areas", "c");
    expect_sql(path,
               "SELECT group_concat(name) FROM (SELECT name FROM sqlite_schema WHERE name LIKE "
               "'review_%' ORDER BY name)",
               "review_comments,review_decisions,review_decisions_dataset");
    expect_sql(path, "SELECT count(*) FROM review_decisions", "0");
    /* the state check holds */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO review_decisions(area_id, year, from_state, "
                                  "to_state, who, decided_at, origin) VALUES (1, 2025, 'draft', "
                                  "'draft', 'u', 't', 'review')",
                                  NULL, NULL, NULL),
                     SQLITE_CONSTRAINT);
    sqlite3_close(db);
    free(path);
}

/* What version 5 added, taken away again to make an older workspace. */
#define V5_UNDONE                                                                                  \
    V6_UNDONE                                                                                      \
    "DROP TABLE submissions_sent; DROP TABLE submission_run_results; DROP TABLE submission_runs;"  \
    "DROP TABLE submission_conflicts; DROP TABLE submission_overlay_changes;"                      \
    "DROP TABLE submission_datasets; DROP TABLE submissions_received;"                             \
    "DROP TABLE trusted_key_areas; DROP TABLE trusted_keys;"

/* A workspace of schema version 5 keeps its runs, gets the tables of reports and run references,
 * and turns to incremental auto-vacuum (one VACUUM when it is migrated). */
static void test_version_5_workspace_migrated(void **state)
{
    (void)state;
    char *path = db_path("storage-v5");
    acv_store *s = open_store(path, 1, 0);
    acv_store_close(s);
    expect_sql(path, "PRAGMA auto_vacuum", "2"); /* a new workspace has it from the start */
    exec_sql(path, V6_UNDONE
             "INSERT INTO areas(id, code, name, level) VALUES (1, 'c', 'C', 'city');"
             "INSERT INTO runs(id, area_id, year, created_at, engine_version, framework_id, "
             "framework_version, framework_hash, data_hash, methods_hash) VALUES (1, 1, 2025, "
             "'t', 'e', 'f', '1', 'h', 'd', 'm'), (2, 1, 2025, 't', 'e', 'f', '1', 'h', 'd', 'm');"
             "INSERT INTO run_results(run_id, level, code, score) VALUES (1, 'overall', 'ACV', "
             "61.5), (2, 'overall', 'ACV', 62.5);"
             "PRAGMA user_version = 5;");
    /* as a workspace of version 5 was made: without auto-vacuum */
    exec_sql(path, "PRAGMA auto_vacuum = NONE; VACUUM;");
    expect_sql(path, "PRAGMA auto_vacuum", "0");
    expect_sql(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'run_references'", "0");
    s = open_store(path, 0, 0);
    acv_store_close(s);
    expect_sql(path, "PRAGMA user_version", SCHEMA_VERSION);
    expect_sql(path, "PRAGMA auto_vacuum", "2");
    expect_sql(path,
               "SELECT count(*) FROM sqlite_schema WHERE name IN ('reports', 'run_references', "
               "'run_references_ref')",
               "3");
    expect_sql(path, "SELECT group_concat(run_id || ':' || score, ' ') FROM run_results",
               "1:61.5 2:62.5");
    /* a reference to a run that does not exist is refused, and a referenced run cannot go */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO run_references VALUES (3, 'submission', 'S', 't')",
                                  NULL, NULL, NULL),
                     SQLITE_CONSTRAINT);
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO run_references VALUES (1, 'submission', 'S', 't')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "DELETE FROM runs WHERE id = 1", NULL, NULL, NULL),
                     SQLITE_CONSTRAINT);
    sqlite3_close(db);
    free(path);
}

/* A workspace of schema version 4 gets the empty tables of signed submissions and keeps its
 * rows. */
static void test_version_4_workspace_migrated(void **state)
{
    (void)state;
    char *path = db_path("storage-v4");
    acv_store *s = open_store(path, 1, 0);
    acv_store_close(s);
    exec_sql(path,
             V5_UNDONE "INSERT INTO areas(id, code, name, level) VALUES (1, 'c', 'C', 'city');"
                       "PRAGMA user_version = 4;");
    expect_sql(path, "SELECT count(*) FROM sqlite_schema WHERE name LIKE '%submission%'", "0");
    s = open_store(path, 0, 0);
    acv_store_close(s);
    expect_sql(path, "PRAGMA user_version", SCHEMA_VERSION);
    expect_sql(path, "SELECT group_concat(code) FROM areas", "c");
    expect_sql(path,
               "SELECT group_concat(name) FROM (SELECT name FROM sqlite_schema WHERE type = "
               "'table' AND (name LIKE 'submission%' OR name LIKE 'trusted%') ORDER BY name)",
               "submission_conflicts,submission_datasets,submission_overlay_changes,"
               "submission_run_results,submission_runs,submissions_received,submissions_sent,"
               "trusted_key_areas,trusted_keys");
    free(path);
}

/* A workspace of schema version 7 keeps its areas and gets their calendar and boundary years
 * (empty: CE, always valid) and the tables of boundary changes. */
static void test_version_7_workspace_migrated(void **state)
{
    (void)state;
    char *path = db_path("storage-v7");
    acv_store *s = open_store(path, 1, 0);
    acv_store_close(s);
    exec_sql(path, V8_UNDONE
             "INSERT INTO areas(id, code, name, level, population, population_year) VALUES (1, "
             "'c', 'C', 'city', 1200, 2020);"
             "PRAGMA user_version = 7;");
    expect_sql(path, "SELECT count(*) FROM pragma_table_info('areas')", "9");
    s = open_store(path, 0, 0);
    acv_area a;
    acv_error err;
    assert_int_equal(acv_store_get_area(s, "c", &a, &err), ACV_OK);
    assert_string_equal(a.name, "C");
    assert_true(a.population == 1200);
    assert_null(a.calendar);
    assert_int_equal(a.valid_from, 0);
    assert_int_equal(a.valid_to, 0);
    acv_store_close(s);
    expect_sql(path, "PRAGMA user_version", SCHEMA_VERSION);
    expect_sql(path, "SELECT count(*) FROM pragma_table_info('areas')", "12");
    expect_sql(path, "SELECT count(*) FROM boundary_changes", "0");
    /* a link keeps its share check */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO boundary_changes(id, year, kind, file, sha256, "
                                  "recorded_at) VALUES (1, 2025, 'merger', 'f', 'h', 't');"
                                  "INSERT INTO boundary_links VALUES (1, 1, 1, 1.5, 'population', "
                                  "2)",
                                  NULL, NULL, NULL),
                     SQLITE_CONSTRAINT);
    sqlite3_close(db);
    free(path);
}

/* What version 4 added, taken away again to make an older workspace. */
#define V4_UNDONE                                                                                  \
    V5_UNDONE                                                                                      \
    "ALTER TABLE run_results DROP COLUMN provisional;"                                             \
    "ALTER TABLE run_results DROP COLUMN n_core_scored;"                                           \
    "ALTER TABLE run_results DROP COLUMN n_core_total;"                                            \
    "ALTER TABLE run_results DROP COLUMN collect_rank;"                                            \
    "ALTER TABLE run_results DROP COLUMN collect_source;"

/* A workspace of schema version 3 keeps its stored runs and gets the provisional-score and
 * collect-first columns, empty for the runs stored before them. */
static void test_version_3_workspace_migrated(void **state)
{
    (void)state;
    char *path = db_path("storage-v3");
    acv_store *s = open_store(path, 1, 0);
    acv_store_close(s);
    exec_sql(path, V4_UNDONE
             "INSERT INTO areas(id, code, name, level) VALUES (1, 'c', 'C', 'city');"
             "INSERT INTO runs(id, area_id, year, created_at, engine_version, framework_id, "
             "framework_version, framework_hash, data_hash, methods_hash) VALUES (1, 1, 2025, "
             "'t', 'e', 'f', '1', 'h', 'd', 'm');"
             "INSERT INTO run_results(run_id, level, code, score, n_scored, n_total, rank) "
             "VALUES (1, 'overall', 'ACV', 61.5, 4, 4, NULL), (1, 'priority', 'PS.DRR', NULL, "
             "0, 0, 1);"
             "PRAGMA user_version = 3;");
    expect_sql(path, "SELECT count(*) FROM pragma_table_info('run_results')", "13");
    s = open_store(path, 0, 0);
    acv_store_close(s);
    expect_sql(path, "PRAGMA user_version", SCHEMA_VERSION);
    expect_sql(path, "SELECT count(*) FROM pragma_table_info('run_results')", "18");
    expect_sql(path,
               "SELECT group_concat(level || ':' || code || ':' || coalesce(score, '-') || ':' || "
               "coalesce(provisional, '-') || ':' || coalesce(n_core_total, '-') || ':' || "
               "coalesce(collect_rank, '-'), ' ') FROM run_results",
               "overall:ACV:61.5:-:-:- priority:PS.DRR:-:-:-:-");
    /* the new column keeps its range check */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "UPDATE run_results SET provisional = 101 WHERE level = "
                                  "'overall'",
                                  NULL, NULL, NULL),
                     SQLITE_CONSTRAINT);
    sqlite3_close(db);
    free(path);
}

/* What version 3 added, taken away again to make an older workspace. */
#define V3_UNDONE                                                                                  \
    V4_UNDONE                                                                                      \
    "DROP INDEX observation_revisions_replaced;"                                                   \
    "ALTER TABLE imports DROP COLUMN added;"                                                       \
    "ALTER TABLE imports DROP COLUMN changed;"                                                     \
    "ALTER TABLE imports DROP COLUMN removed;"                                                     \
    "ALTER TABLE imports DROP COLUMN reverts;"

/* A workspace of schema version 2 gets the counts `acvtrack imports` lists, worked out from the
 * versions each import wrote and replaced, and the reverts column. */
static void test_version_2_workspace_migrated(void **state)
{
    (void)state;
    char *path = db_path("storage-v2");
    acv_store *s = open_store(path, 1, 0);
    acv_store_close(s);
    /* import 1 wrote X and Y; import 2 left X as it was, revised Y (import 1's version kept as a
     * revision replaced by 2) and added Z. So import 1: added = 1 current (X) + 1 revision it
     * wrote (Y) - 0 it replaced = 2, changed 0; import 2: changed = 1 (the revision it replaced),
     * added = 2 current (Y, Z) + 0 revisions it wrote - 1 = 1. */
    exec_sql(
        path, V3_UNDONE
        "INSERT INTO areas(id, code, name, level) VALUES (1, 'c', 'C', 'city');"
        "INSERT INTO indicators(id, code, name, unit, direction, pillar, action_area, core) "
        "VALUES (1, 'I', 'I', '%', 'higher', 'P', 'A', 1);"
        "INSERT INTO imports VALUES (1, 'a.csv', 'h1', 2, 't1', 1), (2, 'b.csv', 'h2', 3, "
        "'t2', 1);"
        "INSERT INTO observations(area_id, indicator_id, period, value, import_id, line) VALUES "
        "(1, 1, '2020', 1, 1, 2), (1, 1, '2021', 5, 2, 3), (1, 1, '2022', 6, 2, 4);"
        "INSERT INTO observation_revisions(area_id, indicator_id, disaggregation, period, "
        "value, import_id, line, replaced_by) VALUES (1, 1, '', '2021', 4, 1, 3, 2);"
        "PRAGMA user_version = 2;");
    s = open_store(path, 0, 0);
    acv_store_close(s);
    expect_sql(path, "PRAGMA user_version", SCHEMA_VERSION);
    expect_sql(path,
               "SELECT group_concat(id || ':' || rows || '/' || added || '/' || changed || '/' || "
               "removed || '/' || coalesce(reverts, '-'), ' ') FROM imports",
               "1:2/2/0/0/- 2:3/1/1/0/-");
    expect_sql(path, "SELECT count(*) FROM observations", "3");
    free(path);
}

/* A workspace of schema version 1 is brought to the current version when it is opened, its rows
 * kept. */
static void test_version_1_workspace_migrated(void **state)
{
    (void)state;
    char *path = db_path("storage-v1");
    acv_store *s = open_store(path, 1, 0);
    acv_store_close(s);
    exec_sql(path, "INSERT INTO meta VALUES ('kept', 'yes');" V3_UNDONE
                   "ALTER TABLE observations DROP COLUMN source_file;"
                   "ALTER TABLE observation_revisions DROP COLUMN source_file;"
                   "ALTER TABLE runs DROP COLUMN vocabulary_id;"
                   "DROP TABLE class_vocabularies;"
                   "PRAGMA user_version = 1;");
    expect_sql(path, "SELECT count(*) FROM pragma_table_info('observations')", "10");
    s = open_store(path, 0, 0);
    acv_store_close(s);
    expect_sql(path, "PRAGMA user_version", SCHEMA_VERSION);
    expect_sql(path, "SELECT value FROM meta WHERE key = 'kept'", "yes");
    expect_sql(path,
               "SELECT group_concat(name) FROM (SELECT name FROM pragma_table_info('observations') "
               "WHERE name = 'source_file' UNION ALL SELECT name FROM "
               "pragma_table_info('observation_revisions') WHERE name = 'source_file' UNION ALL "
               "SELECT name FROM pragma_table_info('runs') WHERE name = 'vocabulary_id' UNION ALL "
               "SELECT name FROM sqlite_schema WHERE name = 'class_vocabularies')",
               "source_file,source_file,vocabulary_id,class_vocabularies");
    free(path);
}

static void test_missing_file_without_create(void **state)
{
    (void)state;
    char *path = db_path("storage");
    char want[1200];
    snprintf(want, sizeof want, "%s: no workspace here; create it with 'acvtrack init'", path);
    expect_open_fails(path, 0, ACV_ERR_NOTFOUND, want);
    assert_int_equal(access(path, F_OK), -1);

    /* a folder is not a workspace either */
    const char *dir = acv_test_tmpdir("storage");
    snprintf(want, sizeof want, "%s: not a regular file", dir);
    expect_open_fails(dir, 1, ACV_ERR_STORAGE, want);
    free(path);
}

static void test_random_bytes_are_refused_untouched(void **state)
{
    (void)state;
    char *path = db_path("storage");
    char *bytes = malloc(8193);
    unsigned x = 12345;
    for (size_t i = 0; i < 8192; i++) {
        x = x * 1103515245u + 12345u;
        bytes[i] = (char)(1 + (x >> 16) % 255); /* no NUL: acv_test_write writes a string */
    }
    bytes[8192] = '\0';
    free(acv_test_write(".", path, bytes));
    free(bytes);
    age_file(path);
    file_snapshot before = snapshot(path);
    char want[1200];
    snprintf(want, sizeof want,
             "%s: not an acvtrack workspace (the file is not a SQLite database, or it is "
             "damaged); refusing to touch it",
             path);
    expect_open_fails(path, 0, ACV_ERR_STORAGE, want);
    expect_open_fails(path, 1, ACV_ERR_STORAGE, want);
    expect_untouched(path, &before);
    free(path);
}

static void test_other_application_database_is_refused_untouched(void **state)
{
    (void)state;
    char *path = db_path("storage");
    exec_sql(path, "CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT);"
                   "INSERT INTO customers(name) VALUES ('someone');");
    age_file(path);
    file_snapshot before = snapshot(path);
    char want[1200];
    snprintf(want, sizeof want,
             "%s: this SQLite database belongs to another application (application_id 0); "
             "refusing to touch it",
             path);
    expect_open_fails(path, 1, ACV_ERR_STORAGE, want);
    expect_untouched(path, &before);
    expect_sql(path, "PRAGMA journal_mode", "delete");
    expect_sql(path, "SELECT name FROM customers", "someone");

    /* with an application_id of its own, and even without tables */
    char *other = db_path("storage");
    exec_sql(other, "PRAGMA application_id = 1234;");
    snprintf(want, sizeof want,
             "%s: this SQLite database belongs to another application (application_id 1234); "
             "refusing to touch it",
             other);
    expect_open_fails(other, 0, ACV_ERR_STORAGE, want);
    expect_sql(other, "PRAGMA journal_mode", "delete");
    free(other);
    free(path);
}

static void test_newer_workspace_is_refused_untouched(void **state)
{
    (void)state;
    char *path = db_path("storage");
    exec_sql(path, "PRAGMA application_id = 1094932052; PRAGMA user_version = 99;"
                   "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);");
    age_file(path);
    file_snapshot before = snapshot(path);
    char want[1200];
    snprintf(want, sizeof want,
             "%s: made by a newer acvtrack (schema version 99; this build knows up to %d); "
             "upgrade acvtrack to use it",
             path, ACV_SCHEMA_VERSION);
    expect_open_fails(path, 0, ACV_ERR_STORAGE, want);
    expect_untouched(path, &before);
    expect_sql(path, "PRAGMA journal_mode", "delete");
    expect_sql(path, "PRAGMA user_version", "99");
    free(path);
}

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void test_busy_workspace_times_out(void **state)
{
    (void)state;
    char *path = db_path("storage");
    acv_store *s = open_store(path, 1, 200);
    sqlite3 *other = NULL;
    assert_int_equal(sqlite3_open_v2(path, &other, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);

    acv_error err;
    acv_error_clear(&err);
    double t0 = now_seconds();
    assert_int_equal(acv_store_begin(s, &err), ACV_ERR_BUSY);
    double waited = now_seconds() - t0;
    char want[1200];
    snprintf(want, sizeof want,
             "%s: workspace is busy: another acvtrack process is writing to it (waited for the "
             "busy timeout; try again later)",
             path);
    assert_string_equal(err.message, want);
    assert_true(waited >= 0.15); /* it did wait for the timeout ... */
    assert_true(waited < 5.0);   /* ... and not forever */

    /* once the other writer is done, the write lock is ours */
    assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_close(other), SQLITE_OK);
    acv_error_clear(&err);
    assert_int_equal(acv_store_begin(s, &err), ACV_OK);
    assert_int_equal(acv_store_commit(s, &err), ACV_OK);
    acv_store_close(s);
    free(path);
}

static void put_area(acv_store *s, const acv_area *a, int want_changed)
{
    acv_error err;
    acv_error_clear(&err);
    int changed = -1;
    acv_status st = acv_store_put_area(s, a, &changed, &err);
    if (st != ACV_OK)
        fprintf(stderr, "put_area %s: %s\n", a->code, err.message);
    assert_int_equal(st, ACV_OK);
    assert_int_equal(changed, want_changed);
}

static void test_area_round_trip(void **state)
{
    (void)state;
    char *path = db_path("storage");
    acv_store *s = open_store(path, 1, 0);
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_store_begin(s, &err), ACV_OK);
    acv_area country = {.code = "XC", .name = "Example country", .level = "country"};
    acv_area city = {.code = "xc_city",
                     .name = "Example city",
                     .level = "city",
                     .parent_code = "XC",
                     .country = "XC",
                     .has_population = 1,
                     .population = 123456.5,
                     .population_year = 2024,
                     .source = "census, 2024"};
    put_area(s, &country, 1);
    put_area(s, &city, 1);
    put_area(s, &city, 0); /* the same again changes nothing */
    city.population = 123457;
    put_area(s, &city, 1);
    assert_int_equal(acv_store_commit(s, &err), ACV_OK);
    acv_store_close(s);

    s = open_store(path, 0, 0);
    acv_area got;
    assert_int_equal(acv_store_get_area(s, "xc_city", &got, &err), ACV_OK);
    assert_true(got.id > 0);
    assert_string_equal(got.code, "xc_city");
    assert_string_equal(got.name, "Example city");
    assert_string_equal(got.level, "city");
    assert_string_equal(got.parent_code, "XC");
    assert_string_equal(got.country, "XC");
    assert_int_equal(got.has_population, 1);
    assert_true(got.population == 123457.0);
    assert_int_equal(got.population_year, 2024);
    assert_string_equal(got.source, "census, 2024");

    assert_int_equal(acv_store_get_area(s, "XC", &got, &err), ACV_OK);
    assert_string_equal(got.name, "Example country");
    assert_null(got.parent_code);
    assert_null(got.country);
    assert_null(got.source);
    assert_int_equal(got.has_population, 0);

    acv_error_clear(&err);
    assert_int_equal(acv_store_get_area(s, "nowhere", &got, &err), ACV_ERR_NOTFOUND);
    assert_string_equal(err.message, "unknown area 'nowhere' (see 'acvtrack areas list'; add it "
                                     "with 'acvtrack areas import')");

    /* the schema refuses a level that is not one of the known ones */
    assert_int_equal(acv_store_begin(s, &err), ACV_OK);
    acv_area bad = {.code = "bad", .name = "Bad", .level = "galaxy"};
    int changed = -1;
    acv_error_clear(&err);
    assert_int_equal(acv_store_put_area(s, &bad, &changed, &err), ACV_ERR_STORAGE);
    char want[1200];
    snprintf(want, sizeof want, "%s: database error while storing an area: CHECK constraint failed",
             path);
    assert_true(strncmp(err.message, want, strlen(want)) == 0);
    acv_store_rollback(s);
    assert_int_equal(acv_store_count(s, "areas"), 2);
    acv_store_close(s);
    free(path);
}

typedef struct {
    char codes[8][16];
    int n;
    int stop_after;
} area_list;

static int collect_area(void *ud, const acv_area *a)
{
    area_list *l = ud;
    snprintf(l->codes[l->n], sizeof l->codes[l->n], "%s", a->code);
    l->n++;
    return l->stop_after && l->n >= l->stop_after;
}

static void test_each_area_in_code_order(void **state)
{
    (void)state;
    char *path = db_path("storage");
    acv_store *s = open_store(path, 1, 0);
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_store_begin(s, &err), ACV_OK);
    static const char *const codes[] = {"b", "A", "c", "a", NULL};
    for (const char *const *c = codes; *c; c++) {
        acv_area a = {.code = *c, .name = *c, .level = "city"};
        put_area(s, &a, 1);
    }
    assert_int_equal(acv_store_commit(s, &err), ACV_OK);

    area_list all = {.n = 0};
    assert_int_equal(acv_store_each_area(s, collect_area, &all, &err), ACV_OK);
    assert_int_equal(all.n, 4);
    assert_string_equal(all.codes[0], "A");
    assert_string_equal(all.codes[1], "a");
    assert_string_equal(all.codes[2], "b");
    assert_string_equal(all.codes[3], "c");

    area_list two = {.n = 0, .stop_after = 2};
    assert_int_equal(acv_store_each_area(s, collect_area, &two, &err), ACV_OK);
    assert_int_equal(two.n, 2);
    assert_string_equal(two.codes[1], "a");
    acv_store_close(s);
    free(path);
}

static void put_obs(acv_store *s, const acv_observation *o, acv_obs_outcome want)
{
    acv_error err;
    acv_error_clear(&err);
    acv_obs_outcome got = (acv_obs_outcome)-1;
    acv_status st = acv_store_put_observation(s, o, &got, &err);
    if (st != ACV_OK)
        fprintf(stderr, "put_observation: %s\n", err.message);
    assert_int_equal(st, ACV_OK);
    assert_int_equal(got, want);
}

typedef struct {
    char text[512];
} series_text;

static int collect_series(void *ud, const char *indicator, const char *period, double value)
{
    series_text *t = ud;
    size_t n = strlen(t->text);
    snprintf(t->text + n, sizeof t->text - n, "%s/%s=%g;", indicator, period, value);
    return 0;
}

/* Records import number n (sha: n in 64 digits, written to sha) and returns its id. */
static int64_t new_import(acv_store *s, int n, char sha[65])
{
    snprintf(sha, 65, "%064d", n);
    int64_t id = 0;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_store_add_import(s, "obs.csv", sha, &id, &err), ACV_OK);
    assert_int_equal(id, n);
    return id;
}

static void test_observation_outcomes(void **state)
{
    (void)state;
    char *path = db_path("storage");
    acv_store *s = open_store(path, 1, 0);
    acv_framework *fw = NULL;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_framework_load(ACV_TEST_SOURCE_DIR, &fw, &err), ACV_OK);
    assert_int_equal(acv_store_sync_framework(s, fw, &err), ACV_OK);
    /* one row per indicator and per raw data element the formulas name */
    assert_int_equal(acv_store_count(s, "indicators"),
                     (long long)(fw->n_indicators + fw->n_data_elements));
    int64_t drr = acv_store_indicator_id(s, "PS.DRR.1");
    int64_t hlt = acv_store_indicator_id(s, "SC.HLT.1");
    assert_true(drr > 0);
    assert_true(hlt > 0);
    assert_true(drr != hlt);
    assert_int_equal(acv_store_indicator_id(s, "XX.NONE.1"), 0);

    assert_int_equal(acv_store_begin(s, &err), ACV_OK);
    acv_area a = {.code = "xc_city", .name = "Example city", .level = "city"};
    put_area(s, &a, 1);
    acv_area got;
    assert_int_equal(acv_store_get_area(s, "xc_city", &got, &err), ACV_OK);
    char sha[65];
    int64_t import_id = new_import(s, 1, sha);
    assert_int_equal(import_id, 1);
    assert_int_equal(acv_store_find_import(s, sha), 0); /* not finished yet */

    acv_observation o = {.area_id = got.id,
                         .indicator_id = drr,
                         .period = "2024",
                         .disaggregation = "",
                         .value = 0.5,
                         .source = "survey",
                         .status = "final",
                         .import_id = import_id,
                         .line = 2};
    put_obs(s, &o, ACV_OBS_NEW);
    /* the same key twice in one import is an input error naming the first line */
    acv_obs_outcome outcome;
    acv_error_clear(&err);
    o.line = 3;
    assert_int_equal(acv_store_put_observation(s, &o, &outcome, &err), ACV_ERR_INPUT);
    assert_string_equal(err.message, "the same area, indicator and period was already given on "
                                     "line 2 of this file");
    /* later imports: where it came from is not a change */
    char other[65];
    o.import_id = new_import(s, 2, other);
    o.line = 7;
    put_obs(s, &o, ACV_OBS_UNCHANGED);
    o.value = 0.25;
    o.import_id = new_import(s, 3, other);
    put_obs(s, &o, ACV_OBS_CHANGED);
    o.import_id = new_import(s, 4, other);
    put_obs(s, &o, ACV_OBS_UNCHANGED);
    o.source = NULL;
    o.import_id = new_import(s, 5, other);
    put_obs(s, &o, ACV_OBS_CHANGED);
    o.comment = "checked";
    o.import_id = new_import(s, 6, other);
    put_obs(s, &o, ACV_OBS_CHANGED);
    o.status = "provisional";
    o.import_id = new_import(s, 7, other);
    put_obs(s, &o, ACV_OBS_CHANGED);
    o.import_id = new_import(s, 8, other);
    o.disaggregation = "sex=f"; /* another series */
    put_obs(s, &o, ACV_OBS_NEW);
    acv_observation o2 = o;
    o2.disaggregation = NULL; /* NULL is the total, like "" */
    put_obs(s, &o2, ACV_OBS_UNCHANGED);
    o2.indicator_id = hlt;
    o2.period = "2023";
    o2.value = 12;
    put_obs(s, &o2, ACV_OBS_NEW);
    o2.period = "2026";
    o2.value = 13;
    put_obs(s, &o2, ACV_OBS_NEW);
    assert_int_equal(acv_store_finish_import(s, import_id, 4, 4, 0, 0, &err), ACV_OK);
    assert_int_equal(acv_store_commit(s, &err), ACV_OK);

    assert_int_equal(acv_store_find_import(s, sha), import_id);
    assert_int_equal(acv_store_count(s, "observations"), 4);
    expect_sql(path, "SELECT rows || ',' || finished FROM imports WHERE id = 1", "4,1");
    expect_sql(path,
               "SELECT value || ',' || ifnull(source, 'NULL') || ',' || status || ',' || comment "
               "|| ',' || line FROM observations WHERE disaggregation = '' AND period = '2024' "
               "AND indicator_id = (SELECT id FROM indicators WHERE code = 'PS.DRR.1')",
               "0.25,NULL,provisional,checked,7");
    expect_sql(path, "SELECT count(*) FROM imports", "8");

    /* totals only, up to the year, by indicator code then period */
    series_text t = {""};
    assert_int_equal(acv_store_area_observations(s, got.id, 2025, collect_series, &t, &err),
                     ACV_OK);
    assert_string_equal(t.text, "PS.DRR.1/2024=0.25;SC.HLT.1/2023=12;");
    assert_int_equal(acv_store_latest_year(s, got.id), 2026);
    assert_int_equal(acv_store_latest_year(s, got.id + 100), 0);

    acv_framework_free(fw);
    acv_store_close(s);
    free(path);
}

/* Every connection the test process opens goes through here (sqlite3_auto_extension), which is
 * how the test reaches the store's own connection to lower its size limit. */
static sqlite3 *last_opened;

static int remember_connection(sqlite3 *db, const char **msg,
                               const struct sqlite3_api_routines *api)
{
    (void)msg;
    (void)api;
    last_opened = db;
    return SQLITE_OK;
}

static void test_full_disk_is_a_storage_error(void **state)
{
    (void)state;
    char *path = db_path("storage");
    assert_int_equal(sqlite3_auto_extension((void (*)(void))remember_connection), SQLITE_OK);
    last_opened = NULL;
    acv_store *s = open_store(path, 1, 0);
    sqlite3 *db = last_opened;
    assert_non_null(db);
    sqlite3_reset_auto_extension();

    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_store_begin(s, &err), ACV_OK);
    acv_area first = {.code = "first", .name = "First", .level = "city"};
    put_area(s, &first, 1);
    assert_int_equal(acv_store_commit(s, &err), ACV_OK);

    /* no more pages than the file has now */
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA page_count", -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    int pages = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %d", pages);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);

    assert_int_equal(acv_store_begin(s, &err), ACV_OK);
    char name[600];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    acv_status st = ACV_OK;
    int i;
    for (i = 0; i < 1000 && st == ACV_OK; i++) {
        char code[32];
        snprintf(code, sizeof code, "area%d", i);
        acv_area a = {.code = code, .name = name, .level = "city"};
        int changed = 0;
        st = acv_store_put_area(s, &a, &changed, &err);
    }
    assert_true(i < 1000);
    assert_int_equal(st, ACV_ERR_STORAGE);
    char want[1200];
    snprintf(want, sizeof want,
             "%s: the disk (or the database size limit) is full while storing an area; nothing "
             "was changed",
             path);
    assert_string_equal(err.message, want);
    acv_store_rollback(s);
    assert_int_equal(acv_store_count(s, "areas"), 1);
    acv_store_close(s);
    expect_sql(path, "SELECT group_concat(code) FROM areas", "first");
    free(path);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_new_workspace_has_schema),
    cmocka_unit_test(test_version_1_workspace_migrated),
    cmocka_unit_test(test_version_2_workspace_migrated),
    cmocka_unit_test(test_version_3_workspace_migrated),
    cmocka_unit_test(test_version_4_workspace_migrated),
    cmocka_unit_test(test_version_5_workspace_migrated),
    cmocka_unit_test(test_version_6_workspace_migrated),
    cmocka_unit_test(test_version_7_workspace_migrated),
    cmocka_unit_test(test_version_8_workspace_migrated),
    cmocka_unit_test(test_missing_file_without_create),
    cmocka_unit_test(test_random_bytes_are_refused_untouched),
    cmocka_unit_test(test_other_application_database_is_refused_untouched),
    cmocka_unit_test(test_newer_workspace_is_refused_untouched),
    cmocka_unit_test(test_busy_workspace_times_out),
    cmocka_unit_test(test_area_round_trip),
    cmocka_unit_test(test_each_area_in_code_order),
    cmocka_unit_test(test_observation_outcomes),
    cmocka_unit_test(test_full_disk_is_a_storage_error),
};

ACV_TEST_MAIN("storage", tests)
