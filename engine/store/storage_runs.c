/*
 * storage_runs.c — the SQL of the stored runs as a whole (storage_runs.h): listing, references,
 * recorded reports, pruning and giving the space back.
 */
#include "storage_runs.h"
#include "storage_internal.h"

#include <string.h>

acv_status acv_store_size(acv_store *s, int64_t *bytes, acv_error *err)
{
    *bytes = 0;
    sqlite3_stmt *q = acv_store_prepare(
        s, "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()", err,
        "reading the workspace size");
    if (!q)
        return err->status;
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *bytes = sqlite3_column_int64(q, 0);
    acv_status st = acv_store_rows_end(s, q, rc, err, "reading the workspace size");
    sqlite3_finalize(q);
    return st;
}

acv_status acv_store_runs_each(acv_store *s, const char *area,
                               int (*fn)(void *ud, const acv_run_row *r), void *ud, acv_error *err)
{
    if (area && !acv_store_area_id(s, area))
        return acv_error_set(err, ACV_ERR_NOTFOUND, "no area '%s' in the workspace", area);
    sqlite3_stmt *q = acv_store_prepare(
        s,
        "SELECT r.id, a.code, r.year, r.created_at, r.id = (SELECT max(l.id) FROM runs l WHERE "
        "l.area_id = r.area_id AND l.year = r.year), (SELECT group_concat(x.kind || ' ' || "
        "x.ref, '; ') FROM (SELECT kind, ref FROM run_references WHERE run_id = r.id ORDER BY "
        "kind, ref) x) FROM runs r JOIN areas a ON a.id = r.area_id WHERE ?1 IS NULL OR a.code "
        "= ?1 ORDER BY a.code, r.year, r.id",
        err, "listing the runs");
    if (!q)
        return err->status;
    acv_store_bind_text(q, 1, area);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        acv_run_row r = {
            .id = sqlite3_column_int64(q, 0),
            .area = (const char *)sqlite3_column_text(q, 1),
            .year = sqlite3_column_int(q, 2),
            .created_at = (const char *)sqlite3_column_text(q, 3),
            .latest = sqlite3_column_int(q, 4),
            .references = (const char *)sqlite3_column_text(q, 5),
        };
        if (fn(ud, &r))
            break;
    }
    acv_status st = acv_store_rows_end(s, q, rc, err, "listing the runs");
    sqlite3_finalize(q);
    return st;
}

static acv_status add_reference(acv_store *s, int64_t run_id, const char *kind, const char *ref,
                                acv_error *err)
{
    sqlite3_stmt *q = acv_store_cached(
        s,
        "INSERT OR IGNORE INTO run_references(run_id, kind, ref, created_at) SELECT id, ?2, ?3, "
        "strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM runs WHERE id = ?1",
        err);
    if (!q)
        return err->status;
    sqlite3_bind_int64(q, 1, run_id);
    acv_store_bind_text(q, 2, kind);
    acv_store_bind_text(q, 3, ref);
    int rc = sqlite3_step(q);
    if (rc != SQLITE_DONE) {
        acv_status st = acv_store_db_error(s, rc, err, "recording what refers to a run");
        sqlite3_reset(q);
        return st;
    }
    sqlite3_reset(q);
    /* nothing inserted: no such run (a second insert of the same reference is ignored, but its
     * run exists) */
    sqlite3_stmt *e = acv_store_cached(s, "SELECT 1 FROM runs WHERE id = ?1", err);
    if (!e)
        return err->status;
    sqlite3_bind_int64(e, 1, run_id);
    rc = sqlite3_step(e);
    sqlite3_reset(e);
    if (rc == SQLITE_ROW)
        return ACV_OK;
    if (rc == SQLITE_DONE)
        return acv_error_set(err, ACV_ERR_NOTFOUND, "no run %lld in the workspace",
                             (long long)run_id);
    return acv_store_db_error(s, rc, err, "recording what refers to a run");
}

acv_status acv_store_run_reference(acv_store *s, int64_t run_id, const char *kind, const char *ref,
                                   acv_error *err)
{
    return add_reference(s, run_id, kind, ref, err);
}

acv_status acv_store_record_report(acv_store *s, const char *file, const char *format,
                                   const int64_t *runs, size_t n, int64_t *report_id,
                                   acv_error *err)
{
    *report_id = 0;
    acv_status st = acv_store_begin(s, err);
    if (st != ACV_OK)
        return st;
    sqlite3_stmt *q = acv_store_cached(s,
                                       "INSERT INTO reports(file, format, written_at) VALUES "
                                       "(?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                                       err);
    if (!q)
        st = err->status;
    if (st == ACV_OK) {
        acv_store_bind_text(q, 1, file);
        acv_store_bind_text(q, 2, format);
        st = acv_store_step_done(s, q, err, "recording a report");
    }
    char ref[32];
    if (st == ACV_OK) {
        *report_id = sqlite3_last_insert_rowid(acv_store_handle(s));
        snprintf(ref, sizeof ref, "%lld", (long long)*report_id);
    }
    for (size_t i = 0; st == ACV_OK && i < n; i++)
        st = add_reference(s, runs[i], "report", ref, err);
    if (st == ACV_OK)
        return acv_store_commit(s, err);
    acv_store_rollback(s);
    *report_id = 0;
    return st;
}

/* ---- pruning ------------------------------------------------------------------------------ */

/* Every run with why it stays: 0 it goes, 1 among the latest, 2 referenced, 3 on or after the
 * date. ?1 keep_latest, ?2 the date or NULL. */
#define PRUNE_PLAN                                                                                 \
    "CREATE TEMP TABLE prune_plan AS SELECT id, CASE WHEN k <= ?1 THEN 1 WHEN EXISTS (SELECT 1 "   \
    "FROM run_references x WHERE x.run_id = r.id) THEN 2 WHEN ?2 IS NOT NULL AND created_at >= "   \
    "?2 THEN 3 ELSE 0 END AS why FROM (SELECT id, created_at, row_number() OVER (PARTITION BY "    \
    "area_id, year ORDER BY id DESC) AS k FROM runs) r"

static acv_status count_plan(acv_store *s, acv_prune_summary *out, acv_error *err)
{
    sqlite3_stmt *q = acv_store_prepare(s, "SELECT why, count(*) FROM temp.prune_plan GROUP BY why",
                                        err, "planning the prune");
    if (!q)
        return err->status;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        long n = (long)sqlite3_column_int64(q, 1);
        switch (sqlite3_column_int(q, 0)) {
        case 0:
            out->removed = n;
            break;
        case 1:
            out->kept_latest = n;
            break;
        case 2:
            out->kept_referenced = n;
            break;
        default:
            out->kept_recent = n;
            break;
        }
        out->runs += n;
    }
    acv_status st = acv_store_rows_end(s, q, rc, err, "planning the prune");
    sqlite3_finalize(q);
    return st;
}

static acv_status auto_vacuum_mode(acv_store *s, int *mode, acv_error *err)
{
    *mode = 0;
    sqlite3_stmt *q = acv_store_prepare(s, "PRAGMA auto_vacuum", err, "reading auto_vacuum");
    if (!q)
        return err->status;
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *mode = sqlite3_column_int(q, 0);
    acv_status st = acv_store_rows_end(s, q, rc, err, "reading auto_vacuum");
    sqlite3_finalize(q);
    return st;
}

acv_status acv_store_runs_prune(acv_store *s, const acv_prune_options *o, acv_prune_summary *out,
                                acv_error *err)
{
    memset(out, 0, sizeof *out);
    int keep = o->keep_latest > 0 ? o->keep_latest : 1;
    acv_status st = acv_store_size(s, &out->bytes_before, err);
    if (st != ACV_OK)
        return st;
    out->bytes_after = out->bytes_before;
    if ((st = acv_store_begin(s, err)) != ACV_OK)
        return st;
    sqlite3_stmt *q = acv_store_prepare(s, PRUNE_PLAN, err, "planning the prune");
    if (!q)
        st = err->status;
    if (st == ACV_OK) {
        sqlite3_bind_int(q, 1, keep);
        acv_store_bind_text(q, 2, o->before);
        int rc = sqlite3_step(q);
        if (rc != SQLITE_DONE)
            st = acv_store_db_error(s, rc, err, "planning the prune");
        sqlite3_finalize(q);
    }
    if (st == ACV_OK)
        st = count_plan(s, out, err);
    if (st == ACV_OK && !o->dry_run && out->removed)
        st = acv_store_exec(s,
                            "DELETE FROM runs WHERE id IN (SELECT id FROM temp.prune_plan WHERE "
                            "why = 0);"
                            "DELETE FROM class_vocabularies WHERE id NOT IN (SELECT vocabulary_id "
                            "FROM runs WHERE vocabulary_id IS NOT NULL);",
                            err, "removing runs");
    if (st == ACV_OK)
        st = acv_store_exec(s, "DROP TABLE temp.prune_plan", err, "planning the prune");
    if (st != ACV_OK || o->dry_run) {
        acv_store_rollback(s);
        return st;
    }
    if ((st = acv_store_commit(s, err)) != ACV_OK)
        return st;
    if (!out->removed)
        return ACV_OK;
    /* give the free pages back: incrementally, or with a full VACUUM (which also turns
     * incremental auto-vacuum on) when the file has none */
    int mode;
    st = auto_vacuum_mode(s, &mode, err);
    if (st == ACV_OK) {
        out->full_vacuum = mode != 2;
        st = acv_store_exec(s,
                            out->full_vacuum ? "PRAGMA auto_vacuum = INCREMENTAL; VACUUM;"
                                             : "PRAGMA incremental_vacuum;",
                            err, "giving the space back");
    }
    if (st == ACV_OK)
        st = acv_store_exec(s, "PRAGMA wal_checkpoint(TRUNCATE);", err, "giving the space back");
    if (st == ACV_OK)
        st = acv_store_size(s, &out->bytes_after, err);
    return st;
}
