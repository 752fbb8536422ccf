/* storage_observations.c — the SQL of imports and observations (part of the storage module). */
#include "storage.h"
#include "storage_internal.h"

#include <stdio.h>
#include <string.h>

/* An import taken back by a revert (itself not reverted) no longer counts as imported, so the
 * same file can be imported again after a revert. */
static const char SQL_IMPORT_FIND[] =
    "SELECT id FROM imports i WHERE sha256 = ?1 AND finished = 1 AND NOT EXISTS (SELECT 1 FROM "
    "imports r WHERE r.reverts = i.id AND NOT EXISTS (SELECT 1 FROM imports rr WHERE rr.reverts "
    "= r.id)) ORDER BY id LIMIT 1";
static const char SQL_IMPORT_ADD[] =
    "INSERT INTO imports(file, sha256, rows, imported_at, finished) VALUES "
    "(?1, ?2, 0, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 0)";
static const char SQL_IMPORT_FINISH[] = "UPDATE imports SET rows = ?2, added = ?3, changed = ?4, "
                                        "removed = ?5, finished = 1 WHERE id = ?1";
static const char SQL_OBS_GET[] =
    "SELECT value, source, status, comment, import_id, line, source_file FROM observations WHERE "
    "area_id = ?1 AND indicator_id = ?2 AND disaggregation = ?3 AND period = ?4";
static const char SQL_OBS_INSERT[] =
    "INSERT INTO observations(area_id, indicator_id, disaggregation, period, "
    "value, source, status, comment, import_id, line, source_file) VALUES (?1, ?2, ?3, ?4, "
    "?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT DO NOTHING";
static const char SQL_OBS_UPDATE[] =
    "UPDATE observations SET value = ?5, source = ?6, status = ?7, comment = "
    "?8, import_id = ?9, line = ?10, source_file = ?11 WHERE area_id = ?1 AND indicator_id = ?2 "
    "AND disaggregation = ?3 AND period = ?4";
static const char SQL_REVISION_ADD[] =
    "INSERT INTO observation_revisions(area_id, indicator_id, disaggregation, period, value, "
    "source, status, comment, import_id, line, source_file, replaced_by) VALUES (?1, ?2, ?3, ?4, "
    "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
static const char SQL_AREA_ID[] = "SELECT id FROM areas WHERE code = ?1";

int64_t acv_store_find_import(acv_store *s, const char *sha256)
{
    acv_error ignored;
    return acv_store_first_id(acv_store_cached(s, SQL_IMPORT_FIND, &ignored), sha256);
}

acv_status acv_store_add_import(acv_store *s, const char *file, const char *sha256,
                                int64_t *import_id, acv_error *err)
{
    sqlite3_stmt *st = acv_store_cached(s, SQL_IMPORT_ADD, err);
    if (!st)
        return err->status;
    sqlite3_bind_text(st, 1, file, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, sha256, -1, SQLITE_STATIC);
    acv_status rc = acv_store_step_done(s, st, err, "recording the import");
    if (rc == ACV_OK)
        *import_id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

acv_status acv_store_finish_import(acv_store *s, int64_t import_id, long rows, long added,
                                   long changed, long removed, acv_error *err)
{
    sqlite3_stmt *st = acv_store_cached(s, SQL_IMPORT_FINISH, err);
    if (!st)
        return err->status;
    sqlite3_bind_int64(st, 1, import_id);
    sqlite3_bind_int64(st, 2, rows);
    sqlite3_bind_int64(st, 3, added);
    sqlite3_bind_int64(st, 4, changed);
    sqlite3_bind_int64(st, 5, removed);
    return acv_store_step_done(s, st, err, "recording the import");
}

/* ---- the list of imports and reverts (acvtrack imports) ------------------------------------ */

/* reverted_by: the latest revert of the import that is not itself reverted */
#define IMPORT_COLUMNS                                                                             \
    "i.id, i.file, i.imported_at, i.rows, i.added, i.changed, i.removed, coalesce(i.reverts, 0), " \
    "coalesce((SELECT max(r.id) FROM imports r WHERE r.reverts = i.id AND r.finished = 1 AND NOT " \
    "EXISTS (SELECT 1 FROM imports rr WHERE rr.reverts = r.id AND rr.finished = 1)), 0)"

static const char SQL_IMPORT_EACH[] =
    "SELECT " IMPORT_COLUMNS " FROM imports i WHERE i.finished = 1 ORDER BY i.id";
static const char SQL_IMPORT_ONE[] =
    "SELECT " IMPORT_COLUMNS " FROM imports i WHERE i.finished = 1 AND i.id = ?1";
static const char SQL_REVERT_ADD[] =
    "INSERT INTO imports(file, sha256, rows, imported_at, finished, reverts) VALUES ('revert of "
    "import ' || ?1, '', 0, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 0, ?1)";

static void fill_import(sqlite3_stmt *q, acv_import_record *r)
{
    r->id = sqlite3_column_int64(q, 0);
    r->file = (const char *)sqlite3_column_text(q, 1);
    r->imported_at = (const char *)sqlite3_column_text(q, 2);
    r->rows = (long)sqlite3_column_int64(q, 3);
    r->added = (long)sqlite3_column_int64(q, 4);
    r->changed = (long)sqlite3_column_int64(q, 5);
    r->removed = (long)sqlite3_column_int64(q, 6);
    r->reverts = sqlite3_column_int64(q, 7);
    r->reverted_by = sqlite3_column_int64(q, 8);
}

acv_status acv_store_each_import(acv_store *s, int (*fn)(void *ud, const acv_import_record *r),
                                 void *ud, acv_error *err)
{
    sqlite3_stmt *q = acv_store_cached(s, SQL_IMPORT_EACH, err);
    if (!q)
        return err->status;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        acv_import_record r;
        fill_import(q, &r);
        if (fn(ud, &r))
            break;
    }
    return acv_store_rows_end(s, q, rc, err, "reading the imports");
}

acv_status acv_store_get_import(acv_store *s, int64_t id, acv_import_record *out, acv_error *err)
{
    sqlite3_stmt *q = acv_store_cached(s, SQL_IMPORT_ONE, err);
    if (!q)
        return err->status;
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        fill_import(q, out);
        acv_arena_free(&s->scratch);
        out->file = acv_store_scratch_text(s, q, 1);
        out->imported_at = acv_store_scratch_text(s, q, 2);
        sqlite3_reset(q);
        if (!out->file || !out->imported_at)
            return acv_error_set(err, ACV_ERR_NOMEM, "out of memory reading an import");
        return ACV_OK;
    }
    acv_status st = acv_store_rows_end(s, q, rc, err, "reading an import");
    if (st != ACV_OK)
        return st;
    return acv_error_set(err, ACV_ERR_NOTFOUND, "there is no import %lld (see 'acvtrack imports')",
                         (long long)id);
}

acv_status acv_store_add_revert(acv_store *s, int64_t reverted, int64_t *import_id, acv_error *err)
{
    sqlite3_stmt *st = acv_store_cached(s, SQL_REVERT_ADD, err);
    if (!st)
        return err->status;
    sqlite3_bind_int64(st, 1, reverted);
    acv_status rc = acv_store_step_done(s, st, err, "recording the revert");
    if (rc == ACV_OK)
        *import_id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

#define KEY_MATCH(t)                                                                               \
    t ".area_id = k.area_id AND " t ".indicator_id = k.indicator_id AND " t                        \
      ".disaggregation = k.disaggregation AND " t ".period = k.period"

static const char SQL_IMPORT_KEYS[] =
    "WITH k AS (SELECT area_id, indicator_id, disaggregation, period FROM observations WHERE "
    "import_id = ?1 UNION SELECT area_id, indicator_id, disaggregation, period FROM "
    "observation_revisions WHERE import_id = ?1 OR replaced_by = ?1) SELECT k.area_id, "
    "k.indicator_id, a.code, i.code, k.disaggregation, k.period, coalesce((SELECT o.import_id "
    "FROM observations o WHERE " KEY_MATCH(
        "o") "), 0), coalesce((SELECT max(r.id) FROM "
             "observation_revisions r WHERE " KEY_MATCH(
                 "r") " AND r.replaced_by = ?1), 0), "
                      "coalesce((SELECT max(r.id) FROM observation_revisions r WHERE " KEY_MATCH(
                          "r") "), 0), "
                               "coalesce((SELECT r.replaced_by FROM observation_revisions r "
                               "WHERE " KEY_MATCH(
                                   "r") " ORDER "
                                        "BY r.id DESC LIMIT 1), 0) FROM k JOIN areas a ON a.id = "
                                        "k.area_id JOIN indicators i ON i.id "
                                        "= k.indicator_id ORDER BY a.code, i.code, "
                                        "k.disaggregation, k.period";

acv_status acv_store_each_import_key(acv_store *s, int64_t import_id,
                                     int (*fn)(void *ud, const acv_import_key *k), void *ud,
                                     acv_error *err)
{
    sqlite3_stmt *q = acv_store_cached(s, SQL_IMPORT_KEYS, err);
    if (!q)
        return err->status;
    sqlite3_bind_int64(q, 1, import_id);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        acv_import_key k = {
            .area_id = sqlite3_column_int64(q, 0),
            .indicator_id = sqlite3_column_int64(q, 1),
            .area = (const char *)sqlite3_column_text(q, 2),
            .indicator = (const char *)sqlite3_column_text(q, 3),
            .disaggregation = (const char *)sqlite3_column_text(q, 4),
            .period = (const char *)sqlite3_column_text(q, 5),
            .current_import = sqlite3_column_int64(q, 6),
            .before = sqlite3_column_int64(q, 7),
            .latest = sqlite3_column_int64(q, 8),
            .latest_replaced_by = sqlite3_column_int64(q, 9),
        };
        if (fn(ud, &k))
            break;
    }
    return acv_store_rows_end(s, q, rc, err, "reading the values of an import");
}

/* The current value into the revisions, replaced by ?5 (the revert). */
static const char SQL_REVERT_KEEP[] =
    "INSERT INTO observation_revisions(area_id, indicator_id, disaggregation, period, value, "
    "source, status, comment, import_id, line, source_file, replaced_by) SELECT area_id, "
    "indicator_id, disaggregation, period, value, source, status, comment, import_id, line, "
    "source_file, ?5 FROM observations WHERE area_id = ?1 AND indicator_id = ?2 AND "
    "disaggregation = ?3 AND period = ?4";
static const char SQL_REVERT_DELETE[] =
    "DELETE FROM observations WHERE area_id = ?1 AND indicator_id = ?2 AND disaggregation = ?3 "
    "AND period = ?4";
/* Revision ?6 as the current value, set by the revert ?5, naming the file its line is in. */
static const char SQL_REVERT_RESTORE[] =
    "INSERT INTO observations(area_id, indicator_id, disaggregation, period, value, source, "
    "status, comment, import_id, line, source_file) SELECT ?1, ?2, ?3, ?4, r.value, r.source, "
    "r.status, r.comment, ?5, r.line, coalesce(r.source_file, im.file) FROM "
    "observation_revisions r JOIN imports im ON im.id = r.import_id WHERE r.id = ?6";

static sqlite3_stmt *revert_statement(acv_store *s, const char *sql, const acv_import_key *k,
                                      int64_t revert_id, acv_error *err)
{
    sqlite3_stmt *st = acv_store_cached(s, sql, err);
    if (st) {
        sqlite3_bind_int64(st, 1, k->area_id);
        sqlite3_bind_int64(st, 2, k->indicator_id);
        sqlite3_bind_text(st, 3, k->disaggregation, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, k->period, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, revert_id);
    }
    return st;
}

acv_status acv_store_revert_key(acv_store *s, const acv_import_key *k, int64_t revert_id,
                                acv_error *err)
{
    acv_status rc = ACV_OK;
    if (k->current_import) {
        sqlite3_stmt *st = revert_statement(s, SQL_REVERT_KEEP, k, revert_id, err);
        rc = st ? acv_store_step_done(s, st, err, "keeping the reverted value") : err->status;
        if (rc == ACV_OK) {
            st = revert_statement(s, SQL_REVERT_DELETE, k, revert_id, err);
            rc = st ? acv_store_step_done(s, st, err, "reverting a value") : err->status;
        }
    }
    if (rc == ACV_OK && k->before) {
        sqlite3_stmt *st = revert_statement(s, SQL_REVERT_RESTORE, k, revert_id, err);
        if (!st)
            return err->status;
        sqlite3_bind_int64(st, 6, k->before);
        rc = acv_store_step_done(s, st, err, "putting an earlier value back");
    }
    return rc;
}

static int same_text(sqlite3_stmt *q, int col, const char *s)
{
    const unsigned char *t = sqlite3_column_text(q, col);
    if (!t || !s)
        return !t && !s;
    return strcmp((const char *)t, s) == 0;
}

static void bind_key(sqlite3_stmt *st, const acv_observation *o)
{
    sqlite3_bind_int64(st, 1, o->area_id);
    sqlite3_bind_int64(st, 2, o->indicator_id);
    sqlite3_bind_text(st, 3, o->disaggregation ? o->disaggregation : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, o->period, -1, SQLITE_STATIC);
}

static void bind_observation(sqlite3_stmt *st, const acv_observation *o)
{
    bind_key(st, o);
    sqlite3_bind_double(st, 5, o->value);
    acv_store_bind_text(st, 6, o->source);
    acv_store_bind_text(st, 7, o->status);
    acv_store_bind_text(st, 8, o->comment);
    sqlite3_bind_int64(st, 9, o->import_id);
    sqlite3_bind_int64(st, 10, o->line);
    acv_store_bind_text(st, 11, o->source_file);
}

/* Inserts when the key is free: *inserted is 1 when it was. */
static acv_status try_insert(acv_store *s, const acv_observation *o, int *inserted, acv_error *err)
{
    sqlite3_stmt *ins = acv_store_cached(s, SQL_OBS_INSERT, err);
    if (!ins)
        return err->status;
    bind_observation(ins, o);
    acv_status st = acv_store_step_done(s, ins, err, "storing an observation");
    *inserted = st == ACV_OK && sqlite3_changes(s->db) > 0;
    return st;
}

static const char SQL_IMPORT_FILE[] = "SELECT file FROM imports WHERE id = ?1";

/* The same key twice in one import. The earlier row is named by its line when both rows are in
 * the same file (always so for a CSV import), else by its file and line (an importer plugin
 * reads many files). */
static acv_status duplicate_error(acv_store *s, const acv_observation *o, const char *earlier_file,
                                  long earlier, acv_error *err)
{
    const char *what = o->disaggregation && *o->disaggregation ? ", disaggregation" : "";
    char own[512] = "";
    if ((earlier_file == NULL) != (o->source_file == NULL)) {
        sqlite3_stmt *q = acv_store_cached(s, SQL_IMPORT_FILE, err);
        if (!q)
            return err->status;
        sqlite3_bind_int64(q, 1, o->import_id);
        if (sqlite3_step(q) == SQLITE_ROW)
            snprintf(own, sizeof own, "%s", (const char *)sqlite3_column_text(q, 0));
        sqlite3_reset(q);
    }
    const char *a = earlier_file ? earlier_file : own;
    const char *b = o->source_file ? o->source_file : own;
    if (strcmp(a, b) == 0)
        return acv_error_set(err, ACV_ERR_INPUT,
                             "the same area, indicator%s and period was already given on line "
                             "%ld of this file",
                             what, earlier);
    return acv_error_set(err, ACV_ERR_INPUT,
                         "the same area, indicator%s and period was already given at %s:%ld", what,
                         a, earlier);
}

/* The key exists: unchanged, a duplicate within this import, or a revision. *found is 0 when the
 * key does not exist after all. */
static acv_status update_existing(acv_store *s, const acv_observation *o, int *found,
                                  acv_obs_outcome *outcome, acv_error *err)
{
    sqlite3_stmt *q = acv_store_cached(s, SQL_OBS_GET, err);
    if (!q)
        return err->status;
    bind_key(q, o);
    int rc = sqlite3_step(q);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(q);
        *found = 0;
        return rc == SQLITE_DONE ? ACV_OK
                                 : acv_store_db_error(s, rc, err, "reading an observation");
    }
    *found = 1;
    if (sqlite3_column_int64(q, 4) == o->import_id) {
        long earlier = (long)sqlite3_column_int64(q, 5);
        const unsigned char *sf = sqlite3_column_text(q, 6);
        char earlier_file[512];
        snprintf(earlier_file, sizeof earlier_file, "%s", sf ? (const char *)sf : "");
        sqlite3_reset(q);
        return duplicate_error(s, o, earlier_file[0] ? earlier_file : NULL, earlier, err);
    }
    int same = sqlite3_column_double(q, 0) == o->value && same_text(q, 1, o->source) &&
               same_text(q, 2, o->status) && same_text(q, 3, o->comment);
    if (same) {
        sqlite3_reset(q);
        *outcome = ACV_OBS_UNCHANGED;
        return ACV_OK;
    }
    /* the earlier version, from the row just read (bound values are copies) */
    sqlite3_stmt *r = acv_store_cached(s, SQL_REVISION_ADD, err);
    if (!r) {
        sqlite3_reset(q);
        return err->status;
    }
    bind_key(r, o);
    for (int c = 0; c < 7; c++)
        sqlite3_bind_value(r, 5 + c, sqlite3_column_value(q, c));
    sqlite3_bind_int64(r, 12, o->import_id);
    sqlite3_reset(q);
    acv_status st = acv_store_step_done(s, r, err, "keeping the earlier value");
    if (st != ACV_OK)
        return st;
    sqlite3_stmt *u = acv_store_cached(s, SQL_OBS_UPDATE, err);
    if (!u)
        return err->status;
    bind_observation(u, o);
    *outcome = ACV_OBS_CHANGED;
    return acv_store_step_done(s, u, err, "updating an observation");
}

acv_status acv_store_put_observation_hinted(acv_store *s, const acv_observation *o,
                                            int expect_existing, acv_obs_outcome *outcome,
                                            acv_error *err)
{
    int done = 0;
    acv_status st;
    if (expect_existing) {
        st = update_existing(s, o, &done, outcome, err);
        if (st != ACV_OK || done)
            return st;
    }
    st = try_insert(s, o, &done, err);
    if (st != ACV_OK)
        return st;
    if (done) {
        *outcome = ACV_OBS_NEW;
        return ACV_OK;
    }
    st = update_existing(s, o, &done, outcome, err);
    if (st == ACV_OK && !done) /* cannot happen inside a write transaction */
        st = acv_error_set(err, ACV_ERR_STORAGE, "%s: an observation vanished while storing it",
                           s->path);
    return st;
}

acv_status acv_store_put_observation(acv_store *s, const acv_observation *o,
                                     acv_obs_outcome *outcome, acv_error *err)
{
    return acv_store_put_observation_hinted(s, o, 0, outcome, err);
}

int64_t acv_store_area_id(acv_store *s, const char *code)
{
    acv_error ignored;
    return acv_store_first_id(acv_store_cached(s, SQL_AREA_ID, &ignored), code);
}

/* sql, a query of one area's observations up to a year, with the area (?1) and year (?2) bound. */
static sqlite3_stmt *area_rows(acv_store *s, const char *sql, int64_t area_id, int max_year,
                               acv_error *err)
{
    sqlite3_stmt *q = acv_store_cached(s, sql, err);
    if (q) {
        sqlite3_bind_int64(q, 1, area_id);
        sqlite3_bind_int(q, 2, max_year);
    }
    return q;
}

static const char SQL_AREA_OBSERVATIONS[] =
    "SELECT i.code, o.period, o.value FROM observations o JOIN indicators i ON i.id = "
    "o.indicator_id WHERE o.area_id = ?1 AND o.disaggregation = '' AND "
    "CAST(substr(o.period, 1, 4) AS INTEGER) <= ?2 ORDER BY i.code, o.period";

acv_status acv_store_area_observations(acv_store *s, int64_t area_id, int max_year,
                                       acv_series_fn fn, void *ud, acv_error *err)
{
    sqlite3_stmt *q = area_rows(s, SQL_AREA_OBSERVATIONS, area_id, max_year, err);
    if (!q)
        return err->status;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (fn(ud, (const char *)sqlite3_column_text(q, 0), (const char *)sqlite3_column_text(q, 1),
               sqlite3_column_double(q, 2)))
            break;
    }
    return acv_store_rows_end(s, q, rc, err, "reading observations");
}

/* The primary key's order (area, indicator id, disaggregation, period): a range scan, no sort. */
static const char SQL_AREA_SERIES[] =
    "SELECT indicator_id, period, value FROM observations WHERE area_id = ?1 AND "
    "disaggregation = '' AND CAST(substr(period, 1, 4) AS INTEGER) <= ?2";

acv_status acv_store_area_series(acv_store *s, int64_t area_id, int max_year, acv_series_id_fn fn,
                                 void *ud, acv_error *err)
{
    sqlite3_stmt *q = area_rows(s, SQL_AREA_SERIES, area_id, max_year, err);
    if (!q)
        return err->status;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (fn(ud, sqlite3_column_int64(q, 0), (const char *)sqlite3_column_text(q, 1),
               sqlite3_column_double(q, 2)))
            break;
    }
    return acv_store_rows_end(s, q, rc, err, "reading observations");
}

static const char SQL_EACH_INDICATOR_ID[] = "SELECT id, code, unit FROM indicators ORDER BY id";

acv_status acv_store_each_indicator_id(acv_store *s,
                                       int (*fn)(void *ud, int64_t id, const char *code,
                                                 const char *unit),
                                       void *ud, acv_error *err)
{
    sqlite3_stmt *q = acv_store_cached(s, SQL_EACH_INDICATOR_ID, err);
    if (!q)
        return err->status;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        if (fn(ud, sqlite3_column_int64(q, 0), (const char *)sqlite3_column_text(q, 1),
               (const char *)sqlite3_column_text(q, 2)))
            break;
    return acv_store_rows_end(s, q, rc, err, "reading the indicators");
}

static const char SQL_HAS_OBSERVATIONS[] = "SELECT 1 FROM observations WHERE area_id = ?1 LIMIT 1";

int acv_store_has_observations(acv_store *s, int64_t area_id)
{
    acv_error ignored;
    return acv_store_first_int(acv_store_cached(s, SQL_HAS_OBSERVATIONS, &ignored), area_id) != 0;
}

static const char SQL_LATEST_YEAR[] =
    "SELECT max(CAST(substr(period, 1, 4) AS INTEGER)) FROM observations WHERE area_id = ?1";

int acv_store_latest_year(acv_store *s, int64_t area_id)
{
    acv_error ignored;
    return (int)acv_store_first_int(acv_store_cached(s, SQL_LATEST_YEAR, &ignored), area_id);
}

acv_status acv_store_savepoint(acv_store *s, acv_error *err)
{
    return acv_store_exec(s, "SAVEPOINT acv_line", err, "starting a savepoint");
}

acv_status acv_store_savepoint_release(acv_store *s, acv_error *err)
{
    return acv_store_exec(s, "RELEASE acv_line", err, "releasing a savepoint");
}

void acv_store_savepoint_rollback(acv_store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK TO acv_line; RELEASE acv_line", NULL, NULL, NULL);
}

acv_status acv_store_bulk_cache(acv_store *s, int mib, acv_error *err)
{
    char sql[96];
    /* A bulk import resolves every area and indicator code through its own code map, so the
     * per-row foreign-key lookups are redundant: off until acv_store_bulk_end (the pragma is a
     * no-op inside a transaction, so this runs before BEGIN). */
    snprintf(sql, sizeof sql, "PRAGMA cache_size = %d; PRAGMA foreign_keys = OFF",
             -1024 * (mib > 0 ? mib : 2));
    return acv_store_exec(s, sql, err, "sizing the page cache");
}

void acv_store_bulk_end(acv_store *s)
{
    sqlite3_exec(s->db, "PRAGMA foreign_keys = ON; PRAGMA cache_size = -2000", NULL, NULL, NULL);
}

acv_status acv_store_limit_pages(acv_store *s, long long max_pages, acv_error *err)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", max_pages > 0 ? max_pages : 1);
    return acv_store_exec(s, sql, err, "limiting the workspace size");
}

/* Columns shared by the observation and history queries; see fill_record. */
#define RECORD_COLUMNS                                                                             \
    "h.area_id, a.code, i.code, h.disaggregation, h.period, h.value, h.source, h.status, "         \
    "h.comment, h.import_id, coalesce(h.source_file, im.file), h.line, im.imported_at, "           \
    "h.replaced_by, rb.imported_at, rb.reverts IS NOT NULL, i.unit, i.name"

static const char SQL_EACH_OBSERVATION[] =
    "SELECT " RECORD_COLUMNS " FROM (SELECT o.*, 0 AS replaced_by FROM observations o WHERE "
    "o.area_id = ?1) h JOIN areas a ON a.id = h.area_id JOIN indicators i ON i.id = "
    "h.indicator_id JOIN imports im ON im.id = h.import_id LEFT JOIN imports rb ON rb.id = "
    "h.replaced_by WHERE (?2 IS NULL OR i.code = ?2) AND (?3 = 0 OR CAST(substr(h.period, 1, 4) "
    "AS INTEGER) >= ?3) AND (?4 = 0 OR CAST(substr(h.period, 1, 4) AS INTEGER) <= ?4) AND (?5 = 0 "
    "OR h.disaggregation = '') ORDER BY i.code, h.disaggregation, h.period";

static const char SQL_HISTORY[] =
    "SELECT " RECORD_COLUMNS " FROM (SELECT area_id, indicator_id, disaggregation, period, value, "
    "source, status, comment, import_id, line, source_file, 0 AS replaced_by, NULL AS seq FROM "
    "observations "
    "WHERE area_id = ?1 AND indicator_id = (SELECT id FROM indicators WHERE code = ?2) UNION ALL "
    "SELECT area_id, indicator_id, disaggregation, period, value, source, status, comment, "
    "import_id, line, source_file, replaced_by, id FROM observation_revisions WHERE area_id = ?1 "
    "AND "
    "indicator_id = (SELECT id FROM indicators WHERE code = ?2)) h JOIN areas a ON a.id = "
    "h.area_id JOIN indicators i ON i.id = h.indicator_id JOIN imports im ON im.id = h.import_id "
    "LEFT JOIN imports rb ON rb.id = h.replaced_by WHERE (?3 = 0 OR CAST(substr(h.period, 1, 4) "
    "AS INTEGER) >= ?3) AND (?4 = 0 OR CAST(substr(h.period, 1, 4) AS INTEGER) <= ?4) AND (?5 = 0 "
    "OR h.disaggregation = '') ORDER BY h.period, h.disaggregation, h.replaced_by = 0, h.seq";

static void fill_record(sqlite3_stmt *q, acv_obs_record *r)
{
    r->area_id = sqlite3_column_int64(q, 0);
    r->area = (const char *)sqlite3_column_text(q, 1);
    r->indicator = (const char *)sqlite3_column_text(q, 2);
    r->disaggregation = (const char *)sqlite3_column_text(q, 3);
    r->period = (const char *)sqlite3_column_text(q, 4);
    r->value = sqlite3_column_double(q, 5);
    r->source = (const char *)sqlite3_column_text(q, 6);
    r->status = (const char *)sqlite3_column_text(q, 7);
    r->comment = (const char *)sqlite3_column_text(q, 8);
    r->import_id = sqlite3_column_int64(q, 9);
    r->file = (const char *)sqlite3_column_text(q, 10);
    r->line = (long)sqlite3_column_int64(q, 11);
    r->imported_at = (const char *)sqlite3_column_text(q, 12);
    r->replaced_by = sqlite3_column_int64(q, 13);
    r->replaced_at = (const char *)sqlite3_column_text(q, 14);
    r->replaced_by_revert = sqlite3_column_int(q, 15);
    r->unit = (const char *)sqlite3_column_text(q, 16);
    r->name = (const char *)sqlite3_column_text(q, 17);
}

static acv_status each_record(acv_store *s, const char *sql, const acv_obs_filter *f,
                              acv_obs_record_fn fn, void *ud, acv_error *err, const char *what)
{
    sqlite3_stmt *q = acv_store_cached(s, sql, err);
    if (!q)
        return err->status;
    sqlite3_bind_int64(q, 1, f->area_id);
    acv_store_bind_text(q, 2, f->indicator);
    sqlite3_bind_int(q, 3, f->min_year);
    sqlite3_bind_int(q, 4, f->max_year);
    sqlite3_bind_int(q, 5, f->totals_only);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        acv_obs_record r;
        fill_record(q, &r);
        if (fn(ud, &r))
            break;
    }
    return acv_store_rows_end(s, q, rc, err, what);
}

acv_status acv_store_each_observation(acv_store *s, const acv_obs_filter *f, acv_obs_record_fn fn,
                                      void *ud, acv_error *err)
{
    return each_record(s, SQL_EACH_OBSERVATION, f, fn, ud, err, "reading observations");
}

acv_status acv_store_observation_history(acv_store *s, const acv_obs_filter *f,
                                         acv_obs_record_fn fn, void *ud, acv_error *err)
{
    if (!f->indicator)
        return acv_error_set(err, ACV_ERR_USAGE, "the history of observations needs an indicator");
    return each_record(s, SQL_HISTORY, f, fn, ud, err, "reading the history of observations");
}

static const char SQL_AREA_SUMMARY[] =
    "SELECT count(*), sum(status = 'provisional'), sum(status = 'final'), sum(status = "
    "'estimated'), sum(status = 'imputed'), sum(status IS NULL), min(CAST(substr(period, 1, 4) AS "
    "INTEGER)), max(CAST(substr(period, 1, 4) AS INTEGER)), max(import_id), (SELECT count(*) FROM "
    "observation_revisions WHERE area_id = ?1) FROM observations WHERE area_id = ?1";
static const char SQL_IMPORT_GET[] = "SELECT file, imported_at FROM imports WHERE id = ?1";

acv_status acv_store_area_data_summary(acv_store *s, int64_t area_id, acv_area_data_summary *out,
                                       acv_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *q = acv_store_cached(s, SQL_AREA_SUMMARY, err);
    if (!q)
        return err->status;
    sqlite3_bind_int64(q, 1, area_id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        out->observations = sqlite3_column_int64(q, 0);
        out->provisional = sqlite3_column_int64(q, 1);
        out->final = sqlite3_column_int64(q, 2);
        out->estimated = sqlite3_column_int64(q, 3);
        out->imputed = sqlite3_column_int64(q, 4);
        out->no_status = sqlite3_column_int64(q, 5);
        out->first_year = sqlite3_column_int(q, 6);
        out->last_year = sqlite3_column_int(q, 7);
        out->last_import_id = sqlite3_column_int64(q, 8);
        out->revisions = sqlite3_column_int64(q, 9);
    }
    sqlite3_reset(q);
    if (rc != SQLITE_ROW)
        return acv_store_db_error(s, rc, err, "summarising observations");
    if (!out->last_import_id)
        return ACV_OK;
    q = acv_store_cached(s, SQL_IMPORT_GET, err);
    if (!q)
        return err->status;
    sqlite3_bind_int64(q, 1, out->last_import_id);
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        snprintf(out->last_import_file, sizeof out->last_import_file, "%s",
                 (const char *)sqlite3_column_text(q, 0));
        snprintf(out->last_import_at, sizeof out->last_import_at, "%s",
                 (const char *)sqlite3_column_text(q, 1));
    }
    return acv_store_rows_end(s, q, rc, err, "reading an import");
}
