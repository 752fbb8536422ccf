/*
 * storage_review.c — the SQL of dataset review (storage_review.h): decisions and their comments,
 * the current state of each dataset (its latest decision's) and the submissions listing in one
 * query over the expected areas.
 */
#include "storage_review.h"
#include "storage_internal.h"

#define NOW_UTC "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

acv_status acv_store_add_decision(acv_store *s, int64_t area_id, int year,
                                  const acv_review_decision *d, const acv_review_comment *comments,
                                  size_t n_comments, int64_t *id, acv_error *err)
{
    static const char sql[] =
        "INSERT INTO review_decisions(area_id, year, from_state, to_state, who, key_id, "
        "decided_at, comment, origin, last_import) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
        "coalesce(?7, " NOW_UTC "), ?8, ?9, (SELECT max(id) FROM imports))";
    sqlite3_stmt *q = acv_store_cached(s, sql, err);
    if (!q)
        return err->status;
    sqlite3_bind_int64(q, 1, area_id);
    sqlite3_bind_int(q, 2, year);
    acv_store_bind_text(q, 3, d->from_state);
    acv_store_bind_text(q, 4, d->to_state);
    acv_store_bind_text(q, 5, d->who);
    acv_store_bind_text(q, 6, d->key_id);
    acv_store_bind_text(q, 7, d->at);
    acv_store_bind_text(q, 8, d->comment);
    acv_store_bind_text(q, 9, d->origin);
    acv_status st = acv_store_step_done(s, q, err, "recording a review decision");
    if (st != ACV_OK)
        return st;
    int64_t decision = sqlite3_last_insert_rowid(acv_store_handle(s));
    if (id)
        *id = decision;
    static const char csql[] = "INSERT INTO review_comments(decision_id, seq, indicator, period, "
                               "comment) VALUES (?1, ?2, ?3, ?4, ?5)";
    for (size_t i = 0; i < n_comments; i++) {
        sqlite3_stmt *c = acv_store_cached(s, csql, err);
        if (!c)
            return err->status;
        sqlite3_bind_int64(c, 1, decision);
        sqlite3_bind_int64(c, 2, (sqlite3_int64)i + 1);
        acv_store_bind_text(c, 3, comments[i].indicator);
        acv_store_bind_text(c, 4, comments[i].period);
        acv_store_bind_text(c, 5, comments[i].comment);
        st = acv_store_step_done(s, c, err, "recording a review comment");
        if (st != ACV_OK)
            return st;
    }
    return ACV_OK;
}

#define DECISION_COLUMNS                                                                           \
    "d.id, a.code, d.year, d.from_state, d.to_state, d.who, d.key_id, d.decided_at, d.comment, "   \
    "d.origin, coalesce(d.last_import, 0)"

static acv_review_decision decision_row(sqlite3_stmt *q)
{
    acv_review_decision d = {
        .id = sqlite3_column_int64(q, 0),
        .area = (const char *)sqlite3_column_text(q, 1),
        .year = sqlite3_column_int(q, 2),
        .from_state = (const char *)sqlite3_column_text(q, 3),
        .to_state = (const char *)sqlite3_column_text(q, 4),
        .who = (const char *)sqlite3_column_text(q, 5),
        .key_id = (const char *)sqlite3_column_text(q, 6),
        .at = (const char *)sqlite3_column_text(q, 7),
        .comment = (const char *)sqlite3_column_text(q, 8),
        .origin = (const char *)sqlite3_column_text(q, 9),
        .last_import = sqlite3_column_int64(q, 10),
    };
    return d;
}

acv_status acv_store_latest_decision(acv_store *s, int64_t area_id, int year,
                                     acv_review_decision *out, acv_error *err)
{
    static const char sql[] = "SELECT " DECISION_COLUMNS " FROM review_decisions d JOIN areas a ON "
                              "a.id = d.area_id WHERE d.area_id = ?1 AND d.year = ?2 ORDER BY "
                              "d.id DESC LIMIT 1";
    sqlite3_stmt *q = acv_store_cached(s, sql, err);
    if (!q)
        return err->status;
    sqlite3_bind_int64(q, 1, area_id);
    sqlite3_bind_int(q, 2, year);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(q);
        return acv_error_set(err, ACV_ERR_NOTFOUND, "no review decision");
    }
    if (rc != SQLITE_ROW)
        return acv_store_rows_end(s, q, rc, err, "reading review decisions");
    acv_arena_free(&s->scratch);
    *out = decision_row(q);
    out->area = acv_store_scratch_text(s, q, 1);
    out->from_state = acv_store_scratch_text(s, q, 3);
    out->to_state = acv_store_scratch_text(s, q, 4);
    out->who = acv_store_scratch_text(s, q, 5);
    out->key_id = acv_store_scratch_text(s, q, 6);
    out->at = acv_store_scratch_text(s, q, 7);
    out->comment = acv_store_scratch_text(s, q, 8);
    out->origin = acv_store_scratch_text(s, q, 9);
    sqlite3_reset(q);
    return ACV_OK;
}

acv_status acv_store_each_decision(acv_store *s, int64_t area_id, int year,
                                   int (*fn)(void *ud, const acv_review_decision *d), void *ud,
                                   acv_error *err)
{
    sqlite3_stmt *q = acv_store_prepare(
        s,
        "SELECT " DECISION_COLUMNS " FROM review_decisions d JOIN areas a ON a.id = d.area_id "
        "WHERE (?1 = 0 OR d.area_id = ?1) AND (?2 = 0 OR d.year = ?2) ORDER BY d.id",
        err, "reading review decisions");
    if (!q)
        return err->status;
    sqlite3_bind_int64(q, 1, area_id);
    sqlite3_bind_int(q, 2, year);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        acv_review_decision d = decision_row(q);
        if (fn(ud, &d))
            break;
    }
    acv_status st = acv_store_rows_end(s, q, rc, err, "reading review decisions");
    sqlite3_finalize(q);
    return st;
}

acv_status acv_store_each_decision_comment(acv_store *s, int64_t decision_id,
                                           int (*fn)(void *ud, const acv_review_comment *c),
                                           void *ud, acv_error *err)
{
    sqlite3_stmt *q = acv_store_prepare(s,
                                        "SELECT indicator, period, comment FROM review_comments "
                                        "WHERE decision_id = ?1 ORDER BY seq",
                                        err, "reading review comments");
    if (!q)
        return err->status;
    sqlite3_bind_int64(q, 1, decision_id);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        acv_review_comment c = {
            .indicator = (const char *)sqlite3_column_text(q, 0),
            .period = (const char *)sqlite3_column_text(q, 1),
            .comment = (const char *)sqlite3_column_text(q, 2),
        };
        if (fn(ud, &c))
            break;
    }
    acv_status st = acv_store_rows_end(s, q, rc, err, "reading review comments");
    sqlite3_finalize(q);
    return st;
}

acv_status acv_store_each_dataset(acv_store *s, const char *state, int year,
                                  int (*fn)(void *ud, const acv_review_decision *latest), void *ud,
                                  acv_error *err)
{
    sqlite3_stmt *q = acv_store_prepare(
        s,
        "WITH latest AS (SELECT max(id) AS id FROM review_decisions WHERE (?2 = 0 OR year = ?2) "
        "GROUP BY area_id, year) SELECT " DECISION_COLUMNS " FROM latest JOIN review_decisions d "
        "ON d.id = latest.id JOIN areas a ON a.id = d.area_id WHERE (?1 IS NULL OR d.to_state = "
        "?1) ORDER BY a.code, d.year",
        err, "reading datasets under review");
    if (!q)
        return err->status;
    acv_store_bind_text(q, 1, state);
    sqlite3_bind_int(q, 2, year);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        acv_review_decision d = decision_row(q);
        if (fn(ud, &d))
            break;
    }
    acv_status st = acv_store_rows_end(s, q, rc, err, "reading datasets under review");
    sqlite3_finalize(q);
    return st;
}

acv_status acv_store_each_submission_row(acv_store *s, const char *country, int year,
                                         int (*fn)(void *ud, const acv_submission_row *r), void *ud,
                                         acv_error *err)
{
    /* sel: the expected areas; latest: each one's latest decision of the year; received: its
     * first decision to submitted; run: its latest stored run of the year; own: the runs of the
     * year that received packages carried, the latest package's first (rn 1) */
    sqlite3_stmt *q = acv_store_prepare(
        s,
        "WITH sel AS (SELECT id, code, name, country FROM areas WHERE level NOT IN ('country', "
        "'region') AND (?1 IS NULL OR country = ?1)), "
        "latest AS (SELECT d.area_id, max(d.id) AS id, min(CASE WHEN d.to_state = 'submitted' "
        "THEN d.decided_at END) AS received FROM review_decisions d JOIN sel ON sel.id = "
        "d.area_id WHERE d.year = ?2 GROUP BY d.area_id), "
        "run AS (SELECT r.area_id, max(r.id) AS id FROM runs r JOIN sel ON sel.id = r.area_id "
        "WHERE r.year = ?2 GROUP BY r.area_id), "
        "own AS (SELECT area, received_id, run_key, overlay, row_number() OVER (PARTITION BY "
        "area ORDER BY received_id DESC, created_at DESC, run_key DESC) AS rn FROM "
        "submission_runs WHERE year = ?2) "
        "SELECT sel.code, sel.name, sel.country, d.to_state, latest.received, d.decided_at, "
        "d.who, rr.score, runs.overlay, own.area IS NOT NULL, srr.score, own.overlay FROM sel "
        "LEFT JOIN latest ON latest.area_id = sel.id "
        "LEFT JOIN review_decisions d ON d.id = latest.id LEFT JOIN run ON run.area_id = sel.id "
        "LEFT JOIN runs ON runs.id = run.id LEFT JOIN run_results rr ON rr.run_id = run.id AND "
        "rr.level = 'overall' AND rr.code = 'ACV' "
        "LEFT JOIN own ON own.area = sel.code AND own.rn = 1 "
        "LEFT JOIN submission_run_results srr ON srr.received_id = own.received_id AND "
        "srr.run_key = own.run_key AND srr.level = 'overall' AND srr.code = 'ACV' "
        "ORDER BY sel.code",
        err, "reading the submissions of the year");
    if (!q)
        return err->status;
    acv_store_bind_text(q, 1, country);
    sqlite3_bind_int(q, 2, year);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        acv_submission_row r = {
            .area = (const char *)sqlite3_column_text(q, 0),
            .name = (const char *)sqlite3_column_text(q, 1),
            .country = (const char *)sqlite3_column_text(q, 2),
            .state = (const char *)sqlite3_column_text(q, 3),
            .received_at = (const char *)sqlite3_column_text(q, 4),
            .decided_at = (const char *)sqlite3_column_text(q, 5),
            .decided_by = (const char *)sqlite3_column_text(q, 6),
            .has_score = sqlite3_column_type(q, 7) != SQLITE_NULL,
            .score = sqlite3_column_double(q, 7),
            .run_overlay = (const char *)sqlite3_column_text(q, 8),
            .has_own_run = sqlite3_column_int(q, 9),
            .has_own_score = sqlite3_column_type(q, 10) != SQLITE_NULL,
            .own_score = sqlite3_column_double(q, 10),
            .own_overlay = (const char *)sqlite3_column_text(q, 11),
        };
        if (fn(ud, &r))
            break;
    }
    acv_status st = acv_store_rows_end(s, q, rc, err, "reading the submissions of the year");
    sqlite3_finalize(q);
    return st;
}

int acv_store_review_latest_year(acv_store *s)
{
    acv_error err;
    sqlite3_stmt *q = acv_store_cached(s, "SELECT max(year) FROM review_decisions", &err);
    if (!q)
        return 0;
    int year = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
    sqlite3_reset(q);
    return year;
}

int acv_store_received_accepted(acv_store *s, int64_t received_id)
{
    acv_error err;
    sqlite3_stmt *q = acv_store_cached(
        s,
        "SELECT count(*), coalesce(sum(coalesce((SELECT d.to_state FROM review_decisions d JOIN "
        "areas a ON a.id = d.area_id WHERE a.code = sd.area AND d.year = sd.year ORDER BY d.id "
        "DESC LIMIT 1), 'draft') = 'accepted'), 0) FROM submission_datasets sd WHERE "
        "sd.received_id = ?1",
        &err);
    if (!q)
        return 0;
    sqlite3_bind_int64(q, 1, received_id);
    int all = 0;
    if (sqlite3_step(q) == SQLITE_ROW) {
        long long n = sqlite3_column_int64(q, 0), accepted = sqlite3_column_int64(q, 1);
        all = n > 0 && accepted == n;
    }
    sqlite3_reset(q);
    return all;
}
