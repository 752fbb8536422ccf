/* storage_observations.c — the SQL of imports and observations (part of the storage module). */
#include "storage.h"
#include "storage_internal.h"

#include <string.h>

static const char SQL_IMPORT_FIND[] =
    "SELECT id FROM imports WHERE sha256 = ?1 AND finished = 1 ORDER BY id LIMIT 1";
static const char SQL_IMPORT_ADD[] =
    "INSERT INTO imports(file, sha256, rows, imported_at, finished) VALUES "
    "(?1, ?2, 0, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 0)";
static const char SQL_IMPORT_FINISH[] = "UPDATE imports SET rows = ?2, finished = 1 WHERE id = ?1";
static const char SQL_OBS_GET[] =
    "SELECT value, source, status, comment FROM observations WHERE area_id = ?1 "
    "AND indicator_id = ?2 AND disaggregation = ?3 AND period = ?4";
static const char SQL_OBS_INSERT[] =
    "INSERT INTO observations(area_id, indicator_id, disaggregation, period, "
    "value, source, status, comment, import_id, line) VALUES (?1, ?2, ?3, ?4, "
    "?5, ?6, ?7, ?8, ?9, ?10)";
static const char SQL_OBS_UPDATE[] =
    "UPDATE observations SET value = ?5, source = ?6, status = ?7, comment = "
    "?8, import_id = ?9, line = ?10 WHERE area_id = ?1 AND indicator_id = ?2 "
    "AND disaggregation = ?3 AND period = ?4";

int64_t acv_store_find_import(acv_store *s, const char *sha256)
{
    acv_error ignored;
    sqlite3_stmt *q = acv_store_cached(s, SQL_IMPORT_FIND, &ignored);
    if (!q)
        return 0;
    sqlite3_bind_text(q, 1, sha256, -1, SQLITE_STATIC);
    int64_t id = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    sqlite3_reset(q);
    return id;
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

acv_status acv_store_finish_import(acv_store *s, int64_t import_id, long rows, acv_error *err)
{
    sqlite3_stmt *st = acv_store_cached(s, SQL_IMPORT_FINISH, err);
    if (!st)
        return err->status;
    sqlite3_bind_int64(st, 1, import_id);
    sqlite3_bind_int64(st, 2, rows);
    return acv_store_step_done(s, st, err, "recording the import");
}

static int same_text(sqlite3_stmt *q, int col, const char *s)
{
    const unsigned char *t = sqlite3_column_text(q, col);
    if (!t || !s)
        return !t && !s;
    return strcmp((const char *)t, s) == 0;
}

static void bind_observation(sqlite3_stmt *st, const acv_observation *o)
{
    sqlite3_bind_int64(st, 1, o->area_id);
    sqlite3_bind_int64(st, 2, o->indicator_id);
    sqlite3_bind_text(st, 3, o->disaggregation ? o->disaggregation : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, o->period, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 5, o->value);
    acv_store_bind_text(st, 6, o->source);
    acv_store_bind_text(st, 7, o->status);
    acv_store_bind_text(st, 8, o->comment);
    sqlite3_bind_int64(st, 9, o->import_id);
    sqlite3_bind_int64(st, 10, o->line);
}

acv_status acv_store_put_observation(acv_store *s, const acv_observation *o,
                                     acv_obs_outcome *outcome, acv_error *err)
{
    sqlite3_stmt *q = acv_store_cached(s, SQL_OBS_GET, err);
    if (!q)
        return err->status;
    sqlite3_bind_int64(q, 1, o->area_id);
    sqlite3_bind_int64(q, 2, o->indicator_id);
    sqlite3_bind_text(q, 3, o->disaggregation ? o->disaggregation : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, o->period, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        int same = sqlite3_column_double(q, 0) == o->value && same_text(q, 1, o->source) &&
                   same_text(q, 2, o->status) && same_text(q, 3, o->comment);
        sqlite3_reset(q);
        if (same) {
            *outcome = ACV_OBS_UNCHANGED;
            return ACV_OK;
        }
        sqlite3_stmt *u = acv_store_cached(s, SQL_OBS_UPDATE, err);
        if (!u)
            return err->status;
        bind_observation(u, o);
        *outcome = ACV_OBS_CHANGED;
        return acv_store_step_done(s, u, err, "updating an observation");
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        return acv_store_db_error(s, rc, err, "reading an observation");
    sqlite3_stmt *ins = acv_store_cached(s, SQL_OBS_INSERT, err);
    if (!ins)
        return err->status;
    bind_observation(ins, o);
    *outcome = ACV_OBS_NEW;
    return acv_store_step_done(s, ins, err, "storing an observation");
}

acv_status acv_store_area_observations(acv_store *s, int64_t area_id, int max_year,
                                       acv_series_fn fn, void *ud, acv_error *err)
{
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(
        s->db,
        "SELECT i.code, o.period, o.value FROM observations o JOIN indicators i ON i.id = "
        "o.indicator_id WHERE o.area_id = ?1 AND o.disaggregation = '' AND "
        "CAST(substr(o.period, 1, 4) AS INTEGER) <= ?2 ORDER BY i.code, o.period",
        -1, &q, NULL);
    if (rc != SQLITE_OK)
        return acv_store_db_error(s, rc, err, "reading observations");
    sqlite3_bind_int64(q, 1, area_id);
    sqlite3_bind_int(q, 2, max_year);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (fn(ud, (const char *)sqlite3_column_text(q, 0),
               (const char *)sqlite3_column_text(q, 1), sqlite3_column_double(q, 2)))
            break;
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return acv_store_db_error(s, rc, err, "reading observations");
    return ACV_OK;
}

int acv_store_latest_year(acv_store *s, int64_t area_id)
{
    sqlite3_stmt *q = NULL;
    int year = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT max(CAST(substr(period, 1, 4) AS INTEGER)) FROM observations "
                           "WHERE area_id = ?1",
                           -1, &q, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(q, 1, area_id);
        if (sqlite3_step(q) == SQLITE_ROW)
            year = sqlite3_column_int(q, 0);
    }
    sqlite3_finalize(q);
    return year;
}

