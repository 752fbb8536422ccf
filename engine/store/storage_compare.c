/*
 * storage_compare.c — the SQL of comparisons of many areas (storage_compare.h): two statements
 * prepared once and stepped per area, the area with its latest run, then that run's scores at the
 * overall, pillar and action-area levels (a range of run_results' primary key).
 */
#include "storage_compare.h"
#include "storage_internal.h"

#include <stdlib.h>
#include <string.h>

#define WHAT "reading the runs to compare"

acv_status acv_store_compare_each(acv_store *s, const char *const *codes, size_t n, int year,
                                  int (*fn)(void *ud, const acv_compare_stored *a), void *ud,
                                  acv_error *err)
{
    sqlite3_stmt *area = acv_store_prepare(
        s,
        "SELECT a.name, a.country, a.population, r.id, r.year, r.created_at, r.engine_version, "
        "r.framework_hash, r.data_hash, r.methods_hash, r.overlay FROM areas a LEFT JOIN runs r "
        "ON r.id = (SELECT max(id) FROM runs WHERE area_id = a.id AND (?2 = 0 OR year = ?2)) "
        "WHERE a.code = ?1",
        err, WHAT);
    if (!area)
        return err->status;
    sqlite3_stmt *scores = acv_store_prepare(
        s,
        "SELECT level, code, score FROM run_results WHERE run_id = ?1 AND level IN "
        "('action_area', 'overall', 'pillar') ORDER BY level, code",
        err, WHAT);
    if (!scores) {
        sqlite3_finalize(area);
        return err->status;
    }
    /* one read transaction: one lock and one look at the file for all the areas, not two per
     * statement step */
    int own = !acv_store_in_transaction(s);
    acv_status st = own ? acv_store_exec(s, "BEGIN", err, WHAT) : ACV_OK;
    acv_compare_stored_score *rows = NULL;
    size_t cap = 0;
    acv_arena codes_arena = {0};
    for (size_t i = 0; i < n && st == ACV_OK; i++) {
        sqlite3_reset(area);
        sqlite3_bind_text(area, 1, codes[i], -1, SQLITE_STATIC);
        sqlite3_bind_int(area, 2, year > 0 ? year : 0);
        acv_compare_stored a = {.code = codes[i]};
        int rc = sqlite3_step(area);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            st = acv_store_db_error(s, rc, err, WHAT);
            break;
        }
        size_t k = 0;
        if (rc == SQLITE_ROW) {
            a.exists = 1;
            a.name = (const char *)sqlite3_column_text(area, 0);
            a.country = (const char *)sqlite3_column_text(area, 1);
            a.has_population = sqlite3_column_type(area, 2) != SQLITE_NULL;
            a.population = sqlite3_column_double(area, 2);
            a.has_run = sqlite3_column_type(area, 3) != SQLITE_NULL;
        }
        if (a.has_run) {
            a.run_id = sqlite3_column_int64(area, 3);
            a.year = sqlite3_column_int(area, 4);
            a.created_at = (const char *)sqlite3_column_text(area, 5);
            a.engine_version = (const char *)sqlite3_column_text(area, 6);
            a.framework_hash = (const char *)sqlite3_column_text(area, 7);
            a.data_hash = (const char *)sqlite3_column_text(area, 8);
            a.methods_hash = (const char *)sqlite3_column_text(area, 9);
            a.overlay = (const char *)sqlite3_column_text(area, 10);
            sqlite3_reset(scores);
            sqlite3_bind_int64(scores, 1, a.run_id);
            while ((rc = sqlite3_step(scores)) == SQLITE_ROW) {
                if (ACV_GROW(rows, cap, k, 64) != 0) {
                    st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory " WHAT);
                    break;
                }
                /* a column's text lasts until the next step: the codes are copied (into an
                 * arena freed after the area), the levels are the three names */
                const char *level = (const char *)sqlite3_column_text(scores, 0);
                rows[k].level = !level                          ? ""
                                : strcmp(level, "overall") == 0 ? "overall"
                                : strcmp(level, "pillar") == 0  ? "pillar"
                                                                : "action_area";
                rows[k].code =
                    acv_arena_strdup(&codes_arena, (const char *)sqlite3_column_text(scores, 1));
                if (!rows[k].code) {
                    st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory " WHAT);
                    break;
                }
                rows[k].has_score = sqlite3_column_type(scores, 2) != SQLITE_NULL;
                rows[k].score = sqlite3_column_double(scores, 2);
                k++;
            }
            if (st != ACV_OK)
                break;
            if (rc != SQLITE_DONE) {
                st = acv_store_db_error(s, rc, err, WHAT);
                break;
            }
        }
        a.scores = rows;
        a.n_scores = k;
        int stop = fn(ud, &a);
        acv_arena_free(&codes_arena);
        if (stop)
            break;
    }
    sqlite3_reset(area);
    sqlite3_reset(scores);
    sqlite3_finalize(area);
    sqlite3_finalize(scores);
    if (own && acv_store_in_transaction(s)) {
        acv_error ignored; /* it only read: nothing to lose when the end fails */
        acv_store_exec(s, "COMMIT", &ignored, WHAT);
    }
    free(rows);
    acv_arena_free(&codes_arena);
    return st;
}
