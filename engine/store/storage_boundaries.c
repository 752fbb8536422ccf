/* storage_boundaries.c — the SQL of boundary changes; see storage_boundaries.h. */
#include "storage_boundaries.h"
#include "storage_internal.h"

#include <stdio.h>
#include <string.h>

acv_status acv_store_boundary_change_add(acv_store *s, int year, const char *kind, const char *file,
                                         const char *sha256, int64_t *id, acv_error *err)
{
    sqlite3_stmt *q = acv_store_cached(
        s,
        "INSERT INTO boundary_changes(year, kind, file, sha256, recorded_at) VALUES (?1, ?2, ?3, "
        "?4, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
        err);
    if (!q)
        return err->status;
    sqlite3_bind_int(q, 1, year);
    sqlite3_bind_text(q, 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, file, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, sha256, -1, SQLITE_STATIC);
    acv_status st = acv_store_step_done(s, q, err, "recording a boundary change");
    if (st == ACV_OK)
        *id = sqlite3_last_insert_rowid(acv_store_handle(s));
    return st;
}

int64_t acv_store_boundary_change_by_sha(acv_store *s, const char *sha256)
{
    acv_error ignored;
    return acv_store_first_id(
        acv_store_cached(s, "SELECT id FROM boundary_changes WHERE sha256 = ?1", &ignored), sha256);
}

acv_status acv_store_boundary_link_add(acv_store *s, int64_t change_id, int64_t predecessor,
                                       int64_t successor, double share, const char *basis,
                                       long line, acv_error *err)
{
    sqlite3_stmt *q = acv_store_cached(
        s,
        "INSERT INTO boundary_links(change_id, predecessor_id, successor_id, share, basis, line) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        err);
    if (!q)
        return err->status;
    sqlite3_bind_int64(q, 1, change_id);
    sqlite3_bind_int64(q, 2, predecessor);
    sqlite3_bind_int64(q, 3, successor);
    sqlite3_bind_double(q, 4, share);
    sqlite3_bind_text(q, 5, basis, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 6, line);
    return acv_store_step_done(s, q, err, "recording a boundary link");
}

acv_status acv_store_area_set_validity(acv_store *s, int64_t area_id, int valid_from, int valid_to,
                                       acv_error *err)
{
    sqlite3_stmt *q = acv_store_cached(
        s,
        "UPDATE areas SET valid_from = CASE WHEN ?2 > 0 THEN ?2 ELSE valid_from END, valid_to = "
        "CASE WHEN ?3 > 0 THEN ?3 ELSE valid_to END WHERE id = ?1",
        err);
    if (!q)
        return err->status;
    sqlite3_bind_int64(q, 1, area_id);
    sqlite3_bind_int(q, 2, valid_from);
    sqlite3_bind_int(q, 3, valid_to);
    return acv_store_step_done(s, q, err, "setting an area's boundary years");
}

acv_status acv_store_each_predecessor(acv_store *s, int64_t successor,
                                      int (*fn)(void *ud, const acv_boundary_link *l), void *ud,
                                      acv_error *err)
{
    sqlite3_stmt *q = acv_store_prepare(
        s,
        "SELECT l.change_id, c.year, a.id, a.code, l.share, l.basis, a.population, "
        "a.population_year FROM boundary_links l JOIN boundary_changes c ON c.id = l.change_id "
        "JOIN areas a ON a.id = l.predecessor_id WHERE l.successor_id = ?1 "
        "ORDER BY c.id DESC, a.code",
        err, "reading boundary links");
    if (!q)
        return err->status;
    sqlite3_bind_int64(q, 1, successor);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        acv_boundary_link l = {
            .change_id = sqlite3_column_int64(q, 0),
            .year = sqlite3_column_int(q, 1),
            .predecessor_id = sqlite3_column_int64(q, 2),
            .predecessor = (const char *)sqlite3_column_text(q, 3),
            .share = sqlite3_column_double(q, 4),
            .basis = (const char *)sqlite3_column_text(q, 5),
            .has_population = sqlite3_column_type(q, 6) != SQLITE_NULL,
            .population = sqlite3_column_double(q, 6),
            .population_year = sqlite3_column_int(q, 7),
        };
        if (fn(ud, &l))
            break;
    }
    acv_status st = acv_store_rows_end(s, q, rc, err, "reading boundary links");
    sqlite3_finalize(q);
    return st;
}

void acv_store_successor_codes(acv_store *s, int64_t predecessor, char *out, size_t size)
{
    out[0] = '\0';
    acv_error ignored;
    sqlite3_stmt *q = acv_store_cached(
        s,
        "SELECT DISTINCT a.code FROM boundary_links l JOIN areas a ON a.id = l.successor_id "
        "WHERE l.predecessor_id = ?1 AND l.successor_id <> ?1 ORDER BY a.code",
        &ignored);
    if (!q)
        return;
    sqlite3_bind_int64(q, 1, predecessor);
    size_t n = 0;
    while (sqlite3_step(q) == SQLITE_ROW && n + 1 < size) {
        int w = snprintf(out + n, size - n, "%s%s", n ? ", " : "",
                         (const char *)sqlite3_column_text(q, 0));
        if (w < 0)
            break;
        n += (size_t)w;
    }
    sqlite3_reset(q);
}
