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
