/*
 * storage_rank.c — the SQL of rankings (storage_rank.h): the selection's areas joined to their
 * latest run of a year and that run's result at one level, in one statement, so that ranking
 * 20,000 areas is one pass over an index rather than 20,000 look-ups.
 */
#include "storage_rank.h"
#include "storage_internal.h"

/* sel: the areas asked for. ?1 country, ?2 parent code (NULL when not asked); countries and
 * regions are left out unless children of a parent were asked for, since a parent's children are
 * what the user named, and so are areas whose boundaries did not exist in year ?3 (a dissolved area
 * is not ranked after its last year, nor a new one before its first: docs/boundaries.md).
 * latest: the highest run id per area for the year (runs_area_year). */
#define RANK_SELECTION                                                                             \
    "WITH sel AS (SELECT id, code, name FROM areas WHERE "                                         \
    "(?2 IS NOT NULL OR level NOT IN ('country', 'region')) "                                      \
    "AND (?1 IS NULL OR country = ?1) "                                                            \
    "AND (?2 IS NULL OR parent_id = (SELECT id FROM areas WHERE code = ?2)) "                      \
    "AND (?3 IS NULL OR ((valid_from IS NULL OR valid_from <= ?3) "                                \
    "AND (valid_to IS NULL OR valid_to >= ?3)))) "

static void bind_selection(sqlite3_stmt *q, const acv_rank_selection *sel)
{
    acv_store_bind_text(q, 1, sel->country);
    acv_store_bind_text(q, 2, sel->parent);
}

acv_status acv_store_rank_scores(acv_store *s, const acv_rank_selection *sel, int year,
                                 const char *level, const char *code,
                                 int (*fn)(void *ud, const acv_rank_stored *r), void *ud,
                                 acv_error *err)
{
    sqlite3_stmt *q = acv_store_prepare(
        s,
        RANK_SELECTION
        ", latest AS (SELECT r.area_id, max(r.id) AS run_id FROM runs r JOIN sel ON sel.id = "
        "r.area_id WHERE r.year = ?3 GROUP BY r.area_id) "
        "SELECT sel.code, sel.name, latest.run_id IS NOT NULL, rr.score, rr.note FROM sel "
        "LEFT JOIN latest ON latest.area_id = sel.id LEFT JOIN run_results rr ON rr.run_id = "
        "latest.run_id AND rr.level = ?4 AND rr.code = ?5 ORDER BY sel.code",
        err, "reading scores to rank");
    if (!q)
        return err->status;
    bind_selection(q, sel);
    sqlite3_bind_int(q, 3, year);
    acv_store_bind_text(q, 4, level);
    acv_store_bind_text(q, 5, code);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        acv_rank_stored r = {
            .code = (const char *)sqlite3_column_text(q, 0),
            .name = (const char *)sqlite3_column_text(q, 1),
            .has_run = sqlite3_column_int(q, 2),
            .has_score = sqlite3_column_type(q, 3) != SQLITE_NULL,
            .score = sqlite3_column_double(q, 3),
            .note = (const char *)sqlite3_column_text(q, 4),
        };
        if (fn(ud, &r))
            break;
    }
    acv_status st = acv_store_rows_end(s, q, rc, err, "reading scores to rank");
    sqlite3_finalize(q);
    return st;
}

acv_status acv_store_rank_latest_year(acv_store *s, const acv_rank_selection *sel, int *year,
                                      acv_error *err)
{
    *year = 0;
    sqlite3_stmt *q = acv_store_prepare(
        s, RANK_SELECTION "SELECT max(r.year) FROM runs r JOIN sel ON sel.id = r.area_id", err,
        "reading scoring runs");
    if (!q)
        return err->status;
    bind_selection(q, sel);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *year = sqlite3_column_int(q, 0); /* NULL (no run) reads as 0 */
    acv_status st = acv_store_rows_end(s, q, rc, err, "reading scoring runs");
    sqlite3_finalize(q);
    return st;
}

acv_status acv_store_rank_count(acv_store *s, const acv_rank_selection *sel, size_t *n,
                                acv_error *err)
{
    *n = 0;
    sqlite3_stmt *q =
        acv_store_prepare(s, RANK_SELECTION "SELECT count(*) FROM sel", err, "counting areas");
    if (!q)
        return err->status;
    bind_selection(q, sel);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *n = (size_t)sqlite3_column_int64(q, 0);
    acv_status st = acv_store_rows_end(s, q, rc, err, "counting areas");
    sqlite3_finalize(q);
    return st;
}

acv_status acv_store_rank_indicators(acv_store *s, const acv_rank_selection *sel, int year,
                                     int (*fn)(void *ud, const acv_rank_indicator_row *r), void *ud,
                                     acv_error *err)
{
    sqlite3_stmt *q = acv_store_prepare(
        s,
        RANK_SELECTION
        ", latest AS (SELECT r.area_id, max(r.id) AS run_id FROM runs r JOIN sel ON sel.id = "
        "r.area_id WHERE r.year = ?3 GROUP BY r.area_id) "
        "SELECT sel.code, rr.code, rr.value, rr.score FROM sel JOIN latest ON latest.area_id = "
        "sel.id JOIN run_results rr ON rr.run_id = latest.run_id AND rr.level = 'indicator' "
        "ORDER BY sel.code",
        err, "reading indicator results to rank");
    if (!q)
        return err->status;
    bind_selection(q, sel);
    sqlite3_bind_int(q, 3, year);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        acv_rank_indicator_row r = {
            .area = (const char *)sqlite3_column_text(q, 0),
            .indicator = (const char *)sqlite3_column_text(q, 1),
            .has_value = sqlite3_column_type(q, 2) != SQLITE_NULL,
            .value = sqlite3_column_double(q, 2),
            .has_score = sqlite3_column_type(q, 3) != SQLITE_NULL,
            .score = sqlite3_column_double(q, 3),
        };
        if (fn(ud, &r))
            break;
    }
    acv_status st = acv_store_rows_end(s, q, rc, err, "reading indicator results to rank");
    sqlite3_finalize(q);
    return st;
}
