/*
 * storage_exchange.c — the SQL of storage_exchange.h: trusted keys, received and sent
 * submissions in the workspace.
 */
#include "storage_exchange.h"
#include "storage_internal.h"

#include <string.h>

acv_status acv_store_trust_key(acv_store *s, const char *key_id, const char *public_key_hex,
                               const char *label, const char *const *areas, size_t n_areas,
                               acv_error *err)
{
    static const char put[] =
        "INSERT INTO trusted_keys(key_id, public_key, label, trusted_at) VALUES (?1, ?2, ?3, "
        "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) ON CONFLICT(key_id) DO UPDATE SET label = "
        "excluded.label, trusted_at = excluded.trusted_at";
    static const char clear[] = "DELETE FROM trusted_key_areas WHERE key_id = ?1";
    static const char add[] =
        "INSERT OR IGNORE INTO trusted_key_areas(key_id, area) VALUES (?1, ?2)";
    sqlite3_stmt *q = acv_store_cached(s, put, err);
    if (!q)
        return err->status;
    sqlite3_bind_text(q, 1, key_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, public_key_hex, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, label, -1, SQLITE_STATIC);
    acv_status st = acv_store_step_done(s, q, err, "recording a trusted key");
    if (st != ACV_OK)
        return st;
    if (!(q = acv_store_cached(s, clear, err)))
        return err->status;
    sqlite3_bind_text(q, 1, key_id, -1, SQLITE_STATIC);
    if ((st = acv_store_step_done(s, q, err, "recording a trusted key")) != ACV_OK)
        return st;
    for (size_t i = 0; i < n_areas; i++) {
        if (!(q = acv_store_cached(s, add, err)))
            return err->status;
        sqlite3_bind_text(q, 1, key_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, areas[i], -1, SQLITE_STATIC);
        if ((st = acv_store_step_done(s, q, err, "recording a trusted key's areas")) != ACV_OK)
            return st;
    }
    return ACV_OK;
}

acv_status acv_store_trusted_key(acv_store *s, const char *key_id, char public_key_hex[65],
                                 char *label, size_t label_size, acv_error *err)
{
    static const char sql[] = "SELECT public_key, label FROM trusted_keys WHERE key_id = ?1";
    sqlite3_stmt *q = acv_store_cached(s, sql, err);
    if (!q)
        return err->status;
    sqlite3_bind_text(q, 1, key_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        const char *pk = (const char *)sqlite3_column_text(q, 0);
        const char *lb = (const char *)sqlite3_column_text(q, 1);
        snprintf(public_key_hex, 65, "%s", pk ? pk : "");
        if (label && label_size)
            snprintf(label, label_size, "%s", lb ? lb : "");
        sqlite3_reset(q);
        return ACV_OK;
    }
    acv_status st = acv_store_rows_end(s, q, rc, err, "reading a trusted key");
    if (st != ACV_OK)
        return st;
    return acv_error_set(err, ACV_ERR_NOTFOUND, "key %s is not trusted by this workspace", key_id);
}

int acv_store_key_has_area(acv_store *s, const char *key_id, const char *area)
{
    static const char sql[] = "SELECT 1 FROM trusted_key_areas WHERE key_id = ?1 AND area = ?2";
    acv_error err = {0};
    sqlite3_stmt *q = acv_store_cached(s, sql, &err);
    if (!q)
        return 0;
    sqlite3_bind_text(q, 1, key_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, area, -1, SQLITE_STATIC);
    int found = sqlite3_step(q) == SQLITE_ROW;
    sqlite3_reset(q);
    return found;
}

acv_status acv_store_each_trusted_key(acv_store *s, int (*fn)(void *ud, const acv_trusted_key *k),
                                      void *ud, acv_error *err)
{
    sqlite3_stmt *q = acv_store_prepare(
        s,
        "SELECT k.key_id, k.public_key, k.label, k.trusted_at, (SELECT group_concat(area, ',') "
        "FROM (SELECT area FROM trusted_key_areas a WHERE a.key_id = k.key_id ORDER BY area)) "
        "FROM trusted_keys k ORDER BY k.key_id",
        err, "listing trusted keys");
    if (!q)
        return err->status;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *areas = (const char *)sqlite3_column_text(q, 4);
        acv_trusted_key k = {
            .key_id = (const char *)sqlite3_column_text(q, 0),
            .public_key = (const char *)sqlite3_column_text(q, 1),
            .label = (const char *)sqlite3_column_text(q, 2),
            .trusted_at = (const char *)sqlite3_column_text(q, 3),
            .areas = areas ? areas : "",
        };
        if (fn(ud, &k))
            break;
    }
    acv_status st = acv_store_rows_end(s, q, rc, err, "listing trusted keys");
    sqlite3_finalize(q);
    return st;
}

/* ---- What a package carries --------------------------------------------------------------- */

/* ?1 the root area's code, ?2 the year (0: all), ?3 the import after which changes count. */
#define SELECTION                                                                                  \
    "WITH RECURSIVE sel(id, code) AS (SELECT id, code FROM areas WHERE code = ?1 UNION SELECT "    \
    "a.id, a.code FROM areas a JOIN sel ON a.parent_id = sel.id) "
#define IN_YEAR(col) "(?2 = 0 OR substr(" col ", 1, 4) = printf('%04d', ?2))"

static void bind_selection(sqlite3_stmt *q, const acv_export_selection *sel)
{
    sqlite3_bind_text(q, 1, sel->root, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 2, sel->year);
    sqlite3_bind_int64(q, 3, sel->after_import);
}

static const char *text_col(sqlite3_stmt *q, int c)
{
    return (const char *)sqlite3_column_text(q, c);
}

acv_status acv_store_export_areas(acv_store *s, const acv_export_selection *sel,
                                  int (*fn)(void *ud, const acv_area *a), void *ud, acv_error *err)
{
    sqlite3_stmt *q = acv_store_prepare(
        s,
        "WITH RECURSIVE sel(id, depth) AS (SELECT id, 0 FROM areas WHERE code = ?1 UNION SELECT "
        "a.id, sel.depth + 1 FROM areas a JOIN sel ON a.parent_id = sel.id), up(id, depth) AS "
        "(SELECT parent_id, -1 FROM areas WHERE code = ?1 AND parent_id IS NOT NULL UNION SELECT "
        "a.parent_id, up.depth - 1 FROM areas a JOIN up ON a.id = up.id WHERE a.parent_id IS NOT "
        "NULL), every(id, depth) AS (SELECT id, depth FROM sel UNION ALL SELECT id, depth FROM "
        "up) SELECT a.code, a.name, a.level, p.code, a.country, a.population, "
        "a.population_year, a.source FROM every JOIN areas a ON a.id = every.id LEFT JOIN areas "
        "p ON p.id = a.parent_id ORDER BY every.depth, a.code",
        err, "reading the areas to send");
    if (!q)
        return err->status;
    sqlite3_bind_text(q, 1, sel->root, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        acv_area a = {
            .code = text_col(q, 0),
            .name = text_col(q, 1),
            .level = text_col(q, 2),
            .parent_code = text_col(q, 3),
            .country = text_col(q, 4),
            .has_population = sqlite3_column_type(q, 5) != SQLITE_NULL,
            .population = sqlite3_column_double(q, 5),
            .population_year = sqlite3_column_int(q, 6),
            .source = text_col(q, 7),
        };
        if (fn(ud, &a))
            break;
    }
    acv_status st = acv_store_rows_end(s, q, rc, err, "reading the areas to send");
    sqlite3_finalize(q);
    return st;
}

acv_status acv_store_export_series(acv_store *s, const acv_export_selection *sel,
                                   int (*fn)(void *ud, const char *code, const char *name,
                                             const char *unit),
                                   void *ud, acv_error *err)
{
    sqlite3_stmt *q = acv_store_prepare(
        s,
        SELECTION "SELECT DISTINCT i.code, i.name, i.unit FROM observations o JOIN sel ON sel.id "
                  "= o.area_id JOIN indicators i ON i.id = o.indicator_id WHERE i.kind = "
                  "'series' AND " IN_YEAR("o.period") " AND o.import_id > ?3 ORDER BY i.code",
        err, "reading the series to send");
    if (!q)
        return err->status;
    bind_selection(q, sel);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        if (fn(ud, text_col(q, 0), text_col(q, 1), text_col(q, 2)))
            break;
    acv_status st = acv_store_rows_end(s, q, rc, err, "reading the series to send");
    sqlite3_finalize(q);
    return st;
}

acv_status acv_store_export_observations(acv_store *s, const acv_export_selection *sel,
                                         int (*fn)(void *ud, const acv_pkg_obs *o), void *ud,
                                         acv_error *err)
{
    sqlite3_stmt *q = acv_store_prepare(
        s,
        SELECTION "SELECT sel.code, i.code, o.disaggregation, o.period, o.value, o.source, "
                  "o.status, o.comment, coalesce(o.source_file, im.file), o.line, im.imported_at "
                  "FROM observations o JOIN sel ON sel.id = o.area_id JOIN indicators i ON i.id "
                  "= o.indicator_id JOIN imports im ON im.id = o.import_id WHERE " IN_YEAR(
                      "o.period") " AND o.import_id > ?3 ORDER BY 1, 2, 3, 4",
        err, "reading the observations to send");
    if (!q)
        return err->status;
    bind_selection(q, sel);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        acv_pkg_obs o = {
            .area = text_col(q, 0),
            .indicator = text_col(q, 1),
            .disaggregation = text_col(q, 2),
            .period = text_col(q, 3),
            .value = sqlite3_column_double(q, 4),
            .source = text_col(q, 5),
            .status = text_col(q, 6),
            .comment = text_col(q, 7),
            .file = text_col(q, 8),
            .line = (long)sqlite3_column_int64(q, 9),
            .recorded_at = text_col(q, 10),
        };
        if (fn(ud, &o))
            break;
    }
    acv_status st = acv_store_rows_end(s, q, rc, err, "reading the observations to send");
    sqlite3_finalize(q);
    return st;
}

acv_status acv_store_export_revisions(acv_store *s, const acv_export_selection *sel,
                                      int (*fn)(void *ud, const acv_pkg_obs *o), void *ud,
                                      acv_error *err)
{
    sqlite3_stmt *q = acv_store_prepare(
        s,
        SELECTION
        ", rev AS (SELECT r.*, row_number() OVER (PARTITION BY r.area_id, r.indicator_id, "
        "r.disaggregation, r.period ORDER BY r.id) AS seq FROM observation_revisions r JOIN sel "
        "ON sel.id = r.area_id) SELECT sel.code, i.code, r.disaggregation, r.period, r.seq, "
        "r.value, r.source, r.status, r.comment, coalesce(r.source_file, im.file), r.line, "
        "im.imported_at, rb.imported_at FROM rev r JOIN sel ON sel.id = r.area_id JOIN "
        "indicators i ON i.id = r.indicator_id JOIN imports im ON im.id = r.import_id JOIN "
        "imports rb ON rb.id = r.replaced_by WHERE " IN_YEAR(
            "r.period") " AND r.replaced_by > ?3 ORDER BY 1, 2, 3, 4, 5",
        err, "reading the earlier versions to send");
    if (!q)
        return err->status;
    bind_selection(q, sel);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        acv_pkg_obs o = {
            .area = text_col(q, 0),
            .indicator = text_col(q, 1),
            .disaggregation = text_col(q, 2),
            .period = text_col(q, 3),
            .seq = (long)sqlite3_column_int64(q, 4),
            .value = sqlite3_column_double(q, 5),
            .source = text_col(q, 6),
            .status = text_col(q, 7),
            .comment = text_col(q, 8),
            .file = text_col(q, 9),
            .line = (long)sqlite3_column_int64(q, 10),
            .recorded_at = text_col(q, 11),
            .replaced_at = text_col(q, 12),
        };
        if (fn(ud, &o))
            break;
    }
    acv_status st = acv_store_rows_end(s, q, rc, err, "reading the earlier versions to send");
    sqlite3_finalize(q);
    return st;
}

acv_status acv_store_export_answers(acv_store *s, const acv_export_selection *sel,
                                    int (*fn)(void *ud, const acv_pkg_answer *a), void *ud,
                                    acv_error *err)
{
    sqlite3_stmt *q = acv_store_prepare(
        s,
        SELECTION "SELECT sel.code, a.year, a.question, a.level, a.effective_level, a.evidence, "
                  "a.file, a.line, a.answered_at FROM assessment_answers a JOIN sel ON sel.id = "
                  "a.area_id WHERE (?2 = 0 OR a.year = ?2) AND ?3 >= 0 ORDER BY 1, 2, 3",
        err, "reading the answers to send");
    if (!q)
        return err->status;
    bind_selection(q, sel);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        acv_pkg_answer a = {
            .area = text_col(q, 0),
            .year = sqlite3_column_int(q, 1),
            .question = text_col(q, 2),
            .level = sqlite3_column_type(q, 3) == SQLITE_NULL ? -1 : sqlite3_column_int(q, 3),
            .effective_level =
                sqlite3_column_type(q, 4) == SQLITE_NULL ? -1 : sqlite3_column_int(q, 4),
            .evidence = text_col(q, 5),
            .file = text_col(q, 6),
            .line = (long)sqlite3_column_int64(q, 7),
            .answered_at = text_col(q, 8),
        };
        if (fn(ud, &a))
            break;
    }
    acv_status st = acv_store_rows_end(s, q, rc, err, "reading the answers to send");
    sqlite3_finalize(q);
    return st;
}

#define LATEST_RUNS                                                                                \
    SELECTION ", latest(id) AS (SELECT max(r.id) FROM runs r JOIN sel ON sel.id = r.area_id "      \
              "WHERE (?2 = 0 OR r.year = ?2) AND ?3 >= 0 GROUP BY r.area_id, r.year) "

acv_status acv_store_export_runs(acv_store *s, const acv_export_selection *sel,
                                 int (*run_fn)(void *ud, const acv_pkg_run *r),
                                 int (*result_fn)(void *ud, const acv_pkg_result *r), void *ud,
                                 acv_error *err)
{
    sqlite3_stmt *q = acv_store_prepare(
        s,
        LATEST_RUNS "SELECT r.id, sel.code, r.year, r.created_at, r.engine_version, "
                    "r.framework_id, r.framework_version, r.framework_hash, r.data_hash, "
                    "r.methods_hash, r.overlay FROM runs r JOIN latest ON latest.id = r.id JOIN "
                    "sel ON sel.id = r.area_id ORDER BY r.id",
        err, "reading the runs to send");
    if (!q)
        return err->status;
    bind_selection(q, sel);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        acv_pkg_run r = {
            .run_key = (long)sqlite3_column_int64(q, 0),
            .area = text_col(q, 1),
            .year = sqlite3_column_int(q, 2),
            .created_at = text_col(q, 3),
            .engine_version = text_col(q, 4),
            .framework_id = text_col(q, 5),
            .framework_version = text_col(q, 6),
            .framework_hash = text_col(q, 7),
            .data_hash = text_col(q, 8),
            .methods_hash = text_col(q, 9),
            .overlay = text_col(q, 10),
        };
        if (run_fn(ud, &r))
            break;
    }
    acv_status st = acv_store_rows_end(s, q, rc, err, "reading the runs to send");
    sqlite3_finalize(q);
    if (st != ACV_OK)
        return st;
    q = acv_store_prepare(s,
                          LATEST_RUNS "SELECT rr.run_id, rr.level, rr.code, rr.value, rr.period, "
                                      "rr.score, rr.class, rr.n_scored, rr.n_total, rr.note FROM "
                                      "run_results rr JOIN latest ON latest.id = rr.run_id ORDER "
                                      "BY 1, 2, 3",
                          err, "reading the run results to send");
    if (!q)
        return err->status;
    bind_selection(q, sel);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        acv_pkg_result r = {
            .run_key = (long)sqlite3_column_int64(q, 0),
            .level = text_col(q, 1),
            .code = text_col(q, 2),
            .has_value = sqlite3_column_type(q, 3) != SQLITE_NULL,
            .value = sqlite3_column_double(q, 3),
            .period = text_col(q, 4),
            .has_score = sqlite3_column_type(q, 5) != SQLITE_NULL,
            .score = sqlite3_column_double(q, 5),
            .class_code = text_col(q, 6),
            .n_scored = (long)sqlite3_column_int64(q, 7),
            .n_total = (long)sqlite3_column_int64(q, 8),
            .note = text_col(q, 9),
        };
        if (result_fn(ud, &r))
            break;
    }
    st = acv_store_rows_end(s, q, rc, err, "reading the run results to send");
    sqlite3_finalize(q);
    return st;
}

int64_t acv_store_last_import(acv_store *s)
{
    static const char sql[] = "SELECT coalesce(max(id), 0) FROM imports WHERE ?1 IS NULL";
    acv_error err = {0};
    return acv_store_first_id(acv_store_cached(s, sql, &err), NULL);
}

/* ---- Sent packages ------------------------------------------------------------------------ */

acv_status acv_store_add_sent(acv_store *s, const acv_sent *r, int64_t *id, acv_error *err)
{
    static const char sql[] =
        "INSERT INTO submissions_sent(submission_id, content_hash, kind, areas, first_year, "
        "last_year, through_import, since_sent, created_at, file) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
        "?7, ?8, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?9)";
    sqlite3_stmt *q = acv_store_cached(s, sql, err);
    if (!q)
        return err->status;
    sqlite3_bind_text(q, 1, r->submission_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, r->content_hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, r->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, r->areas, -1, SQLITE_STATIC);
    if (r->first_year)
        sqlite3_bind_int(q, 5, r->first_year);
    if (r->last_year)
        sqlite3_bind_int(q, 6, r->last_year);
    sqlite3_bind_int64(q, 7, r->through_import);
    if (r->since_sent)
        sqlite3_bind_int64(q, 8, r->since_sent);
    sqlite3_bind_text(q, 9, r->file, -1, SQLITE_STATIC);
    acv_status st = acv_store_step_done(s, q, err, "recording the package sent");
    if (st == ACV_OK)
        *id = sqlite3_last_insert_rowid(acv_store_handle(s));
    return st;
}

acv_status acv_store_sent_through(acv_store *s, int64_t id, const char *root, int64_t *through,
                                  int64_t *found, acv_error *err)
{
    static const char by_id[] = "SELECT through_import, id FROM submissions_sent WHERE id = ?1";
    static const char last_ack[] =
        "SELECT through_import, id FROM submissions_sent WHERE acknowledged_at IS NOT NULL AND "
        "areas = ?2 AND ?1 = 0 ORDER BY id DESC LIMIT 1";
    sqlite3_stmt *q = acv_store_cached(s, id ? by_id : last_ack, err);
    if (!q)
        return err->status;
    sqlite3_bind_int64(q, 1, id);
    if (!id)
        sqlite3_bind_text(q, 2, root, -1, SQLITE_STATIC);
    *through = 0;
    *found = 0;
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        *through = sqlite3_column_int64(q, 0);
        *found = sqlite3_column_int64(q, 1);
    }
    acv_status st = acv_store_rows_end(s, q, rc, err, "reading the packages sent");
    if (st == ACV_OK && id && !*found)
        return acv_error_set(err, ACV_ERR_NOTFOUND, "no package %lld was sent from this workspace",
                             (long long)id);
    return st;
}

acv_status acv_store_acknowledge_sent(acv_store *s, const char *submission_id, acv_error *err)
{
    static const char sql[] =
        "UPDATE submissions_sent SET acknowledged_at = coalesce(acknowledged_at, "
        "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) WHERE submission_id = ?1";
    sqlite3_stmt *q = acv_store_cached(s, sql, err);
    if (!q)
        return err->status;
    sqlite3_bind_text(q, 1, submission_id, -1, SQLITE_STATIC);
    acv_status st = acv_store_step_done(s, q, err, "acknowledging a package sent");
    if (st == ACV_OK && sqlite3_changes(acv_store_handle(s)) == 0)
        return acv_error_set(err, ACV_ERR_NOTFOUND,
                             "submission %s was not sent from this workspace: nothing "
                             "acknowledged",
                             submission_id);
    return st;
}

/* ---- Received packages -------------------------------------------------------------------- */

int64_t acv_store_find_received(acv_store *s, const char *content_hash)
{
    static const char sql[] = "SELECT id FROM submissions_received WHERE content_hash = ?1";
    acv_error err = {0};
    return acv_store_first_id(acv_store_cached(s, sql, &err), content_hash);
}

acv_status acv_store_add_received(acv_store *s, const acv_received *r, int64_t *id, acv_error *err)
{
    static const char sql[] =
        "INSERT INTO submissions_received(submission_id, content_hash, kind, sender_key, "
        "sender_label, areas, first_year, last_year, framework_id, framework_version, "
        "framework_hash, overlay, overlay_hash, methods_hash, acvtrack_version, created_at, "
        "received_at, via, import_id, observations, package) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
        "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?17, "
        "?18, ?19, ?20)";
    sqlite3_stmt *q = acv_store_cached(s, sql, err);
    if (!q)
        return err->status;
    const char *texts[] = {r->submission_id, r->content_hash, r->kind,
                           r->sender_key,    r->sender_label, r->areas};
    for (int i = 0; i < 6; i++)
        acv_store_bind_text(q, i + 1, texts[i]);
    if (r->first_year)
        sqlite3_bind_int(q, 7, r->first_year);
    if (r->last_year)
        sqlite3_bind_int(q, 8, r->last_year);
    const char *more[] = {r->framework_id,     r->framework_version, r->framework_hash,
                          r->overlay,          r->overlay_hash,      r->methods_hash,
                          r->acvtrack_version, r->created_at};
    for (int i = 0; i < 8; i++)
        acv_store_bind_text(q, i + 9, more[i]);
    if (r->via)
        sqlite3_bind_int64(q, 17, r->via);
    if (r->import_id)
        sqlite3_bind_int64(q, 18, r->import_id);
    sqlite3_bind_int64(q, 19, r->observations);
    sqlite3_bind_blob64(q, 20, r->package, r->package_len, SQLITE_STATIC);
    acv_status st = acv_store_step_done(s, q, err, "recording a received package");
    if (st == ACV_OK)
        *id = sqlite3_last_insert_rowid(acv_store_handle(s));
    return st;
}

acv_status acv_store_add_received_dataset(acv_store *s, int64_t id, const char *area, int year,
                                          long observations, acv_error *err)
{
    static const char sql[] =
        "INSERT INTO submission_datasets VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO UPDATE SET "
        "observations = observations + excluded.observations";
    sqlite3_stmt *q = acv_store_cached(s, sql, err);
    if (!q)
        return err->status;
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_text(q, 2, area, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 3, year);
    sqlite3_bind_int64(q, 4, observations);
    return acv_store_step_done(s, q, err, "recording a received dataset");
}

acv_status acv_store_add_received_change(acv_store *s, int64_t id, long seq, const char *change,
                                         acv_error *err)
{
    static const char sql[] = "INSERT INTO submission_overlay_changes VALUES (?1, ?2, ?3)";
    sqlite3_stmt *q = acv_store_cached(s, sql, err);
    if (!q)
        return err->status;
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int64(q, 2, seq);
    sqlite3_bind_text(q, 3, change, -1, SQLITE_STATIC);
    return acv_store_step_done(s, q, err, "recording a disclosed overlay change");
}

acv_status acv_store_add_received_run(acv_store *s, int64_t id, const acv_pkg_run *r,
                                      acv_error *err)
{
    static const char sql[] = "INSERT INTO submission_runs VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                              "?8, ?9, ?10)";
    sqlite3_stmt *q = acv_store_cached(s, sql, err);
    if (!q)
        return err->status;
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int64(q, 2, r->run_key);
    acv_store_bind_text(q, 3, r->area);
    sqlite3_bind_int(q, 4, r->year);
    acv_store_bind_text(q, 5, r->created_at);
    acv_store_bind_text(q, 6, r->framework_version);
    acv_store_bind_text(q, 7, r->framework_hash);
    acv_store_bind_text(q, 8, r->data_hash);
    acv_store_bind_text(q, 9, r->methods_hash);
    acv_store_bind_text(q, 10, r->overlay);
    return acv_store_step_done(s, q, err, "recording a sender's run");
}

acv_status acv_store_add_received_result(acv_store *s, int64_t id, const acv_pkg_result *r,
                                         acv_error *err)
{
    static const char sql[] =
        "INSERT OR REPLACE INTO submission_run_results VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    sqlite3_stmt *q = acv_store_cached(s, sql, err);
    if (!q)
        return err->status;
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int64(q, 2, r->run_key);
    acv_store_bind_text(q, 3, r->level);
    acv_store_bind_text(q, 4, r->code);
    if (r->has_score)
        sqlite3_bind_double(q, 5, r->score);
    acv_store_bind_text(q, 6, r->class_code);
    return acv_store_step_done(s, q, err, "recording a sender's run result");
}

acv_status acv_store_add_conflict(acv_store *s, int64_t id, const acv_pkg_obs *o, double held_value,
                                  int64_t held_import, acv_error *err)
{
    static const char sql[] =
        "INSERT OR REPLACE INTO submission_conflicts VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
    sqlite3_stmt *q = acv_store_cached(s, sql, err);
    if (!q)
        return err->status;
    sqlite3_bind_int64(q, 1, id);
    acv_store_bind_text(q, 2, o->area);
    acv_store_bind_text(q, 3, o->indicator);
    acv_store_bind_text(q, 4, o->disaggregation ? o->disaggregation : "");
    acv_store_bind_text(q, 5, o->period);
    sqlite3_bind_double(q, 6, o->value);
    sqlite3_bind_double(q, 7, held_value);
    sqlite3_bind_int64(q, 8, held_import);
    return acv_store_step_done(s, q, err, "recording a conflict");
}

int acv_store_current_value(acv_store *s, const char *area, const char *indicator,
                            const char *disaggregation, const char *period, double *value,
                            int64_t *import_id)
{
    static const char sql[] =
        "SELECT o.value, o.import_id FROM observations o WHERE o.area_id = (SELECT id FROM areas "
        "WHERE code = ?1) AND o.indicator_id = (SELECT id FROM indicators WHERE code = ?2) AND "
        "o.disaggregation = ?3 AND o.period = ?4";
    acv_error err = {0};
    sqlite3_stmt *q = acv_store_cached(s, sql, &err);
    if (!q)
        return 0;
    sqlite3_bind_text(q, 1, area, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, indicator, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, disaggregation ? disaggregation : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, period, -1, SQLITE_STATIC);
    int found = sqlite3_step(q) == SQLITE_ROW;
    if (found) {
        *value = sqlite3_column_double(q, 0);
        *import_id = sqlite3_column_int64(q, 1);
    }
    sqlite3_reset(q);
    return found;
}

int acv_store_import_has_sender(acv_store *s, int64_t import_id, const char *key)
{
    static const char sql[] =
        "SELECT 1 FROM submissions_received WHERE import_id = ?1 AND sender_key = ?2";
    acv_error err = {0};
    sqlite3_stmt *q = acv_store_cached(s, sql, &err);
    if (!q)
        return 0;
    sqlite3_bind_int64(q, 1, import_id);
    sqlite3_bind_text(q, 2, key, -1, SQLITE_STATIC);
    int found = sqlite3_step(q) == SQLITE_ROW;
    sqlite3_reset(q);
    return found;
}

acv_status acv_store_each_received(acv_store *s, int with_bytes,
                                   int (*fn)(void *ud, const acv_received *r), void *ud,
                                   acv_error *err)
{
    sqlite3_stmt *q = acv_store_prepare(
        s,
        "SELECT id, submission_id, content_hash, kind, sender_key, sender_label, areas, "
        "coalesce(first_year, 0), coalesce(last_year, 0), framework_id, framework_version, "
        "framework_hash, overlay, overlay_hash, methods_hash, acvtrack_version, created_at, "
        "received_at, coalesce(via, 0), coalesce(import_id, 0), observations, CASE WHEN ?1 THEN "
        "package END FROM submissions_received ORDER BY id",
        err, "reading the received packages");
    if (!q)
        return err->status;
    sqlite3_bind_int(q, 1, with_bytes);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        acv_received r = {
            .id = sqlite3_column_int64(q, 0),
            .submission_id = text_col(q, 1),
            .content_hash = text_col(q, 2),
            .kind = text_col(q, 3),
            .sender_key = text_col(q, 4),
            .sender_label = text_col(q, 5),
            .areas = text_col(q, 6),
            .first_year = sqlite3_column_int(q, 7),
            .last_year = sqlite3_column_int(q, 8),
            .framework_id = text_col(q, 9),
            .framework_version = text_col(q, 10),
            .framework_hash = text_col(q, 11),
            .overlay = text_col(q, 12),
            .overlay_hash = text_col(q, 13),
            .methods_hash = text_col(q, 14),
            .acvtrack_version = text_col(q, 15),
            .created_at = text_col(q, 16),
            .received_at = text_col(q, 17),
            .via = sqlite3_column_int64(q, 18),
            .import_id = sqlite3_column_int64(q, 19),
            .observations = (long)sqlite3_column_int64(q, 20),
            .package = sqlite3_column_blob(q, 21),
            .package_len = (size_t)sqlite3_column_bytes(q, 21),
        };
        if (fn(ud, &r))
            break;
    }
    acv_status st = acv_store_rows_end(s, q, rc, err, "reading the received packages");
    sqlite3_finalize(q);
    return st;
}
