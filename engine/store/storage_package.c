/*
 * storage_package.c — the SQL of a submission package file (storage_package.h).
 */
#include "storage_package.h"
#include "storage_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct acv_pkgdb {
    sqlite3 *db;
    char name[512];
};

/* The tables of format 1, in the order the content hash reads them, with that order's key. */
static const struct {
    const char *name, *order;
} TABLES[] = {
    {"manifest", "key"},
    {"overlay_changes", "seq"},
    {"areas", "code"},
    {"series", "code"},
    {"observations", "area, indicator, disaggregation, period"},
    {"revisions", "area, indicator, disaggregation, period, seq"},
    {"answers", "area, year, question"},
    {"runs", "run_key"},
    {"run_results", "run_key, level, code"},
    {"forwarded", "seq"},
};
#define N_TABLES (sizeof TABLES / sizeof *TABLES)

static const char SCHEMA[] =
    "CREATE TABLE manifest(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE overlay_changes(seq INTEGER PRIMARY KEY, change TEXT NOT NULL);"
    "CREATE TABLE areas(code TEXT PRIMARY KEY, name TEXT NOT NULL, level TEXT NOT NULL,"
    "  parent TEXT, country TEXT, population REAL, population_year INTEGER, source TEXT)"
    "  WITHOUT ROWID;"
    "CREATE TABLE series(code TEXT PRIMARY KEY, name TEXT NOT NULL, unit TEXT NOT NULL)"
    "  WITHOUT ROWID;"
    "CREATE TABLE observations(area TEXT NOT NULL, indicator TEXT NOT NULL,"
    "  disaggregation TEXT NOT NULL, period TEXT NOT NULL, value REAL NOT NULL, source TEXT,"
    "  status TEXT, comment TEXT, file TEXT NOT NULL, line INTEGER NOT NULL,"
    "  recorded_at TEXT NOT NULL,"
    "  PRIMARY KEY (area, indicator, disaggregation, period)) WITHOUT ROWID;"
    "CREATE TABLE revisions(area TEXT NOT NULL, indicator TEXT NOT NULL,"
    "  disaggregation TEXT NOT NULL, period TEXT NOT NULL, seq INTEGER NOT NULL,"
    "  value REAL NOT NULL, source TEXT, status TEXT, comment TEXT, file TEXT NOT NULL,"
    "  line INTEGER NOT NULL, recorded_at TEXT NOT NULL, replaced_at TEXT NOT NULL,"
    "  PRIMARY KEY (area, indicator, disaggregation, period, seq)) WITHOUT ROWID;"
    "CREATE TABLE answers(area TEXT NOT NULL, year INTEGER NOT NULL, question TEXT NOT NULL,"
    "  level INTEGER, effective_level INTEGER, evidence TEXT, file TEXT NOT NULL,"
    "  line INTEGER NOT NULL, answered_at TEXT NOT NULL,"
    "  PRIMARY KEY (area, year, question)) WITHOUT ROWID;"
    "CREATE TABLE runs(run_key INTEGER PRIMARY KEY, area TEXT NOT NULL, year INTEGER NOT NULL,"
    "  created_at TEXT NOT NULL, engine_version TEXT NOT NULL, framework_id TEXT NOT NULL,"
    "  framework_version TEXT NOT NULL, framework_hash TEXT NOT NULL, data_hash TEXT NOT NULL,"
    "  methods_hash TEXT NOT NULL, overlay TEXT);"
    "CREATE TABLE run_results(run_key INTEGER NOT NULL, level TEXT NOT NULL, code TEXT NOT NULL,"
    "  value REAL, period TEXT, score REAL, class TEXT, n_scored INTEGER, n_total INTEGER,"
    "  note TEXT, PRIMARY KEY (run_key, level, code)) WITHOUT ROWID;"
    "CREATE TABLE forwarded(seq INTEGER PRIMARY KEY, submission_id TEXT NOT NULL,"
    "  content_hash TEXT NOT NULL, package BLOB NOT NULL);"
    "CREATE TABLE signature(slot INTEGER PRIMARY KEY CHECK (slot = 1), key_id TEXT NOT NULL,"
    "  public_key TEXT NOT NULL, label TEXT NOT NULL, seal BLOB NOT NULL);";

static acv_status db_error(acv_pkgdb *p, acv_error *err, const char *what)
{
    return acv_error_set(err, ACV_ERR_INPUT, "%s: not a readable submission package (%s: %s)",
                         p->name, what, sqlite3_errmsg(p->db));
}

static acv_status exec(acv_pkgdb *p, const char *sql, acv_error *err, const char *what)
{
    if (sqlite3_exec(p->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_error(p, err, what);
    return ACV_OK;
}

static sqlite3_stmt *prep(acv_pkgdb *p, const char *sql, acv_error *err)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(p->db, sql, -1, &q, NULL) != SQLITE_OK) {
        db_error(p, err, "preparing a statement");
        sqlite3_finalize(q);
        return NULL;
    }
    return q;
}

/* Steps a one-shot statement to its end and finalizes it. */
static acv_status done(acv_pkgdb *p, sqlite3_stmt *q, acv_error *err, const char *what)
{
    int rc = sqlite3_step(q);
    acv_status st = rc == SQLITE_DONE ? ACV_OK : db_error(p, err, what);
    sqlite3_finalize(q);
    return st;
}

static void bind_text(sqlite3_stmt *q, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(q, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(q, i);
}

static acv_pkgdb *new_pkgdb(const char *name)
{
    acv_pkgdb *p = calloc(1, sizeof *p);
    if (p)
        snprintf(p->name, sizeof p->name, "%s", name);
    return p;
}

acv_status acv_pkgdb_create(acv_pkgdb **out, acv_error *err)
{
    *out = NULL;
    acv_pkgdb *p = new_pkgdb("package");
    if (!p)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    if (sqlite3_open_v2(":memory:", &p->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        acv_pkgdb_close(p);
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory opening a package");
    }
    char stamp[128];
    snprintf(stamp, sizeof stamp, "PRAGMA application_id = %d; PRAGMA user_version = %d;",
             (int)ACV_PACKAGE_APPLICATION_ID, ACV_PACKAGE_FORMAT);
    acv_status st = exec(p, "PRAGMA page_size = 4096;", err, "creating the package");
    if (st == ACV_OK)
        st = exec(p, SCHEMA, err, "creating the package");
    if (st == ACV_OK)
        st = exec(p, stamp, err, "creating the package");
    if (st != ACV_OK) {
        acv_pkgdb_close(p);
        return st;
    }
    *out = p;
    return ACV_OK;
}

static int known_table(const char *name)
{
    if (strcmp(name, "signature") == 0)
        return 1;
    for (size_t i = 0; i < N_TABLES; i++)
        if (strcmp(TABLES[i].name, name) == 0)
            return 1;
    return 0;
}

acv_status acv_pkgdb_open_bytes(const unsigned char *bytes, size_t len, const char *name,
                                acv_pkgdb **out, acv_error *err)
{
    *out = NULL;
    acv_pkgdb *p = new_pkgdb(name);
    if (!p)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    if (sqlite3_open_v2(":memory:", &p->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        acv_pkgdb_close(p);
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory opening a package");
    }
    /* read-only over the caller's bytes: nothing is copied and nothing can be written */
    if (sqlite3_deserialize(p->db, "main", (unsigned char *)bytes, (sqlite3_int64)len,
                            (sqlite3_int64)len, SQLITE_DESERIALIZE_READONLY) != SQLITE_OK) {
        acv_status st = db_error(p, err, "opening");
        acv_pkgdb_close(p);
        return st;
    }
    acv_buf unknown = {0};
    int n_known = 0;
    sqlite3_stmt *q =
        prep(p, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name", err);
    if (!q) {
        acv_pkgdb_close(p);
        return err->status;
    }
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(q, 0);
        if (known_table(t ? t : ""))
            n_known++;
        else
            acv_buf_printf(&unknown, "%s%s", unknown.len ? ", " : "", t ? t : "");
    }
    sqlite3_finalize(q);
    acv_status st = ACV_OK;
    if (rc != SQLITE_DONE)
        st = db_error(p, err, "reading its tables");
    else if (unknown.len)
        st = acv_error_set(err, ACV_ERR_INPUT,
                           "%s: made by a newer acvtrack: tables this acvtrack does not know "
                           "(%s); upgrade acvtrack to receive it",
                           name, unknown.data);
    else if (n_known != (int)N_TABLES + 1)
        st = acv_error_set(err, ACV_ERR_INPUT,
                           "%s: not a complete submission package (%d of its %d tables)", name,
                           n_known, (int)N_TABLES + 1);
    acv_buf_free(&unknown);
    if (st != ACV_OK) {
        acv_pkgdb_close(p);
        return st;
    }
    *out = p;
    return ACV_OK;
}

void acv_pkgdb_close(acv_pkgdb *p)
{
    if (!p)
        return;
    sqlite3_close(p->db);
    free(p);
}

acv_status acv_pkgdb_serialize(acv_pkgdb *p, unsigned char **bytes, size_t *len, acv_error *err)
{
    sqlite3_int64 n = 0;
    *bytes = sqlite3_serialize(p->db, "main", &n, 0);
    if (!*bytes)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory writing the package");
    *len = (size_t)n;
    return ACV_OK;
}

void acv_pkgdb_free_bytes(unsigned char *bytes)
{
    sqlite3_free(bytes);
}

acv_status acv_pkgdb_begin(acv_pkgdb *p, acv_error *err)
{
    return exec(p, "BEGIN", err, "writing");
}

acv_status acv_pkgdb_commit(acv_pkgdb *p, acv_error *err)
{
    return exec(p, "COMMIT", err, "writing");
}

acv_status acv_pkgdb_set(acv_pkgdb *p, const char *key, const char *value, acv_error *err)
{
    sqlite3_stmt *q = prep(p, "INSERT OR REPLACE INTO manifest VALUES (?1, ?2)", err);
    if (!q)
        return err->status;
    bind_text(q, 1, key);
    bind_text(q, 2, value ? value : "");
    return done(p, q, err, "writing the manifest");
}

acv_status acv_pkgdb_add_overlay_change(acv_pkgdb *p, long seq, const char *change, acv_error *err)
{
    sqlite3_stmt *q = prep(p, "INSERT INTO overlay_changes VALUES (?1, ?2)", err);
    if (!q)
        return err->status;
    sqlite3_bind_int64(q, 1, seq);
    bind_text(q, 2, change);
    return done(p, q, err, "writing the overlay changes");
}

acv_status acv_pkgdb_add_area(acv_pkgdb *p, const acv_area *a, acv_error *err)
{
    sqlite3_stmt *q =
        prep(p, "INSERT OR IGNORE INTO areas VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", err);
    if (!q)
        return err->status;
    bind_text(q, 1, a->code);
    bind_text(q, 2, a->name);
    bind_text(q, 3, a->level);
    bind_text(q, 4, a->parent_code);
    bind_text(q, 5, a->country);
    if (a->has_population) {
        sqlite3_bind_double(q, 6, a->population);
        sqlite3_bind_int(q, 7, a->population_year);
    }
    bind_text(q, 8, a->source);
    return done(p, q, err, "writing the areas");
}

acv_status acv_pkgdb_add_series(acv_pkgdb *p, const char *code, const char *name, const char *unit,
                                acv_error *err)
{
    sqlite3_stmt *q = prep(p, "INSERT OR IGNORE INTO series VALUES (?1, ?2, ?3)", err);
    if (!q)
        return err->status;
    bind_text(q, 1, code);
    bind_text(q, 2, name);
    bind_text(q, 3, unit);
    return done(p, q, err, "writing the series");
}

static void bind_obs(sqlite3_stmt *q, const acv_pkg_obs *o, int revision)
{
    bind_text(q, 1, o->area);
    bind_text(q, 2, o->indicator);
    bind_text(q, 3, o->disaggregation ? o->disaggregation : "");
    bind_text(q, 4, o->period);
    int i = 5;
    if (revision)
        sqlite3_bind_int64(q, i++, o->seq);
    sqlite3_bind_double(q, i++, o->value);
    bind_text(q, i++, o->source);
    bind_text(q, i++, o->status);
    bind_text(q, i++, o->comment);
    bind_text(q, i++, o->file);
    sqlite3_bind_int64(q, i++, o->line);
    bind_text(q, i++, o->recorded_at);
    if (revision)
        bind_text(q, i, o->replaced_at);
}

acv_status acv_pkgdb_add_observation(acv_pkgdb *p, const acv_pkg_obs *o, acv_error *err)
{
    static const char sql[] =
        "INSERT INTO observations VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
    sqlite3_stmt *q = prep(p, sql, err);
    if (!q)
        return err->status;
    bind_obs(q, o, 0);
    return done(p, q, err, "writing the observations");
}

acv_status acv_pkgdb_add_revision(acv_pkgdb *p, const acv_pkg_obs *o, acv_error *err)
{
    static const char sql[] =
        "INSERT INTO revisions VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
    sqlite3_stmt *q = prep(p, sql, err);
    if (!q)
        return err->status;
    bind_obs(q, o, 1);
    return done(p, q, err, "writing the revisions");
}

acv_status acv_pkgdb_add_answer(acv_pkgdb *p, const acv_pkg_answer *a, acv_error *err)
{
    sqlite3_stmt *q =
        prep(p, "INSERT OR REPLACE INTO answers VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", err);
    if (!q)
        return err->status;
    bind_text(q, 1, a->area);
    sqlite3_bind_int(q, 2, a->year);
    bind_text(q, 3, a->question);
    if (a->level >= 0)
        sqlite3_bind_int(q, 4, a->level);
    if (a->effective_level >= 0)
        sqlite3_bind_int(q, 5, a->effective_level);
    bind_text(q, 6, a->evidence);
    bind_text(q, 7, a->file);
    sqlite3_bind_int64(q, 8, a->line);
    bind_text(q, 9, a->answered_at);
    return done(p, q, err, "writing the answers");
}

acv_status acv_pkgdb_add_run(acv_pkgdb *p, const acv_pkg_run *r, acv_error *err)
{
    sqlite3_stmt *q =
        prep(p, "INSERT INTO runs VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", err);
    if (!q)
        return err->status;
    sqlite3_bind_int64(q, 1, r->run_key);
    bind_text(q, 2, r->area);
    sqlite3_bind_int(q, 3, r->year);
    bind_text(q, 4, r->created_at);
    bind_text(q, 5, r->engine_version);
    bind_text(q, 6, r->framework_id);
    bind_text(q, 7, r->framework_version);
    bind_text(q, 8, r->framework_hash);
    bind_text(q, 9, r->data_hash);
    bind_text(q, 10, r->methods_hash);
    bind_text(q, 11, r->overlay);
    return done(p, q, err, "writing the runs");
}

acv_status acv_pkgdb_add_result(acv_pkgdb *p, const acv_pkg_result *r, acv_error *err)
{
    sqlite3_stmt *q =
        prep(p, "INSERT INTO run_results VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", err);
    if (!q)
        return err->status;
    sqlite3_bind_int64(q, 1, r->run_key);
    bind_text(q, 2, r->level);
    bind_text(q, 3, r->code);
    if (r->has_value)
        sqlite3_bind_double(q, 4, r->value);
    bind_text(q, 5, r->period);
    if (r->has_score)
        sqlite3_bind_double(q, 6, r->score);
    bind_text(q, 7, r->class_code);
    sqlite3_bind_int64(q, 8, r->n_scored);
    sqlite3_bind_int64(q, 9, r->n_total);
    bind_text(q, 10, r->note);
    return done(p, q, err, "writing the run results");
}

acv_status acv_pkgdb_add_forwarded(acv_pkgdb *p, long seq, const char *submission_id,
                                   const char *content_hash, const void *package, size_t len,
                                   acv_error *err)
{
    sqlite3_stmt *q = prep(p, "INSERT INTO forwarded VALUES (?1, ?2, ?3, ?4)", err);
    if (!q)
        return err->status;
    sqlite3_bind_int64(q, 1, seq);
    bind_text(q, 2, submission_id);
    bind_text(q, 3, content_hash);
    sqlite3_bind_blob64(q, 4, package, len, SQLITE_TRANSIENT);
    return done(p, q, err, "writing the forwarded packages");
}

acv_status acv_pkgdb_set_signature(acv_pkgdb *p, const char *key_id, const char *public_key_hex,
                                   const char *label, const unsigned char *seal, acv_error *err)
{
    sqlite3_stmt *q = prep(p, "INSERT OR REPLACE INTO signature VALUES (1, ?1, ?2, ?3, ?4)", err);
    if (!q)
        return err->status;
    bind_text(q, 1, key_id);
    bind_text(q, 2, public_key_hex);
    bind_text(q, 3, label);
    sqlite3_bind_blob(q, 4, seal, ACV_PACKAGE_SEAL_BYTES, SQLITE_TRANSIENT);
    return done(p, q, err, "writing the signature");
}

acv_status acv_pkgdb_get(acv_pkgdb *p, const char *key, char *buf, size_t size, acv_error *err)
{
    sqlite3_stmt *q = prep(p, "SELECT value FROM manifest WHERE key = ?1", err);
    if (!q)
        return err->status;
    bind_text(q, 1, key);
    int rc = sqlite3_step(q);
    acv_status st = ACV_OK;
    if (rc == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(q, 0);
        snprintf(buf, size, "%s", v ? v : "");
    } else if (rc == SQLITE_DONE) {
        st = acv_error_set(err, ACV_ERR_NOTFOUND, "%s: the manifest has no '%s'", p->name, key);
    } else {
        st = db_error(p, err, "reading the manifest");
    }
    sqlite3_finalize(q);
    return st;
}

acv_status acv_pkgdb_get_signature(acv_pkgdb *p, char key_id[17], char public_key_hex[65],
                                   char *label, size_t label_size,
                                   unsigned char seal[ACV_PACKAGE_SEAL_BYTES], acv_error *err)
{
    sqlite3_stmt *q = prep(p, "SELECT key_id, public_key, label, seal FROM signature", err);
    if (!q)
        return err->status;
    int rc = sqlite3_step(q);
    acv_status st = ACV_OK;
    if (rc == SQLITE_ROW && sqlite3_column_bytes(q, 3) == ACV_PACKAGE_SEAL_BYTES &&
        sqlite3_column_type(q, 3) == SQLITE_BLOB) {
        const char *k = (const char *)sqlite3_column_text(q, 0);
        const char *pk = (const char *)sqlite3_column_text(q, 1);
        const char *lb = (const char *)sqlite3_column_text(q, 2);
        snprintf(key_id, 17, "%s", k ? k : "");
        snprintf(public_key_hex, 65, "%s", pk ? pk : "");
        snprintf(label, label_size, "%s", lb ? lb : "");
        memcpy(seal, sqlite3_column_blob(q, 3), ACV_PACKAGE_SEAL_BYTES);
    } else if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
        st = acv_error_set(err, ACV_ERR_INPUT, "%s: the package is not signed", p->name);
    } else {
        st = db_error(p, err, "reading the signature");
    }
    sqlite3_finalize(q);
    return st;
}

/* One field of the canonical serialisation: its type, then its value (docs/submissions.md). */
static void hash_field(acv_sha256 *h, sqlite3_stmt *q, int col)
{
    char head[64];
    int n;
    switch (sqlite3_column_type(q, col)) {
    case SQLITE_NULL:
        acv_sha256_update(h, "n;", 2);
        return;
    case SQLITE_INTEGER:
        n = snprintf(head, sizeof head, "i%lld;", (long long)sqlite3_column_int64(q, col));
        acv_sha256_update(h, head, (size_t)n);
        return;
    case SQLITE_FLOAT:
        n = snprintf(head, sizeof head, "r%.17g;", sqlite3_column_double(q, col));
        acv_sha256_update(h, head, (size_t)n);
        return;
    case SQLITE_TEXT: {
        const unsigned char *t = sqlite3_column_text(q, col);
        int len = sqlite3_column_bytes(q, col);
        n = snprintf(head, sizeof head, "t%d:", len);
        acv_sha256_update(h, head, (size_t)n);
        acv_sha256_update(h, t, (size_t)len);
        acv_sha256_update(h, ";", 1);
        return;
    }
    default: {
        const void *b = sqlite3_column_blob(q, col);
        int len = sqlite3_column_bytes(q, col);
        n = snprintf(head, sizeof head, "b%d:", len);
        acv_sha256_update(h, head, (size_t)n);
        if (len)
            acv_sha256_update(h, b, (size_t)len);
        acv_sha256_update(h, ";", 1);
        return;
    }
    }
}

acv_status acv_pkgdb_content_hash(acv_pkgdb *p, char hex[65], acv_error *err)
{
    acv_sha256 h;
    acv_sha256_init(&h);
    acv_sha256_update(&h, "acvtrack package content 1\n", 27);
    for (size_t t = 0; t < N_TABLES; t++) {
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT * FROM %s%s ORDER BY %s", TABLES[t].name,
                 t == 0 ? " WHERE key NOT IN ('content_hash', 'submission_id')" : "",
                 TABLES[t].order);
        sqlite3_stmt *q = prep(p, sql, err);
        if (!q)
            return err->status;
        char head[64];
        int n = snprintf(head, sizeof head, "table %s\n", TABLES[t].name);
        acv_sha256_update(&h, head, (size_t)n);
        int rc, cols = sqlite3_column_count(q);
        while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
            for (int c = 0; c < cols; c++)
                hash_field(&h, q, c);
            acv_sha256_update(&h, "\n", 1);
        }
        sqlite3_finalize(q);
        if (rc != SQLITE_DONE)
            return db_error(p, err, "reading the content");
    }
    acv_sha256_final_hex(&h, hex);
    return ACV_OK;
}

#define ROWS_END(q, rc, what)                                                                      \
    do {                                                                                           \
        sqlite3_finalize(q);                                                                       \
        if ((rc) != SQLITE_DONE && (rc) != SQLITE_ROW)                                             \
            return db_error(p, err, what);                                                         \
        return ACV_OK;                                                                             \
    } while (0)

static const char *col_text(sqlite3_stmt *q, int c)
{
    return (const char *)sqlite3_column_text(q, c);
}

acv_status acv_pkgdb_each_overlay_change(acv_pkgdb *p,
                                         int (*fn)(void *ud, long seq, const char *change),
                                         void *ud, acv_error *err)
{
    sqlite3_stmt *q = prep(p, "SELECT seq, change FROM overlay_changes ORDER BY seq", err);
    if (!q)
        return err->status;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        if (fn(ud, (long)sqlite3_column_int64(q, 0), col_text(q, 1)))
            break;
    ROWS_END(q, rc, "reading the overlay changes");
}

acv_status acv_pkgdb_each_area(acv_pkgdb *p, int (*fn)(void *ud, const acv_area *a), void *ud,
                               acv_error *err)
{
    sqlite3_stmt *q = prep(p,
                           "SELECT code, name, level, parent, country, population, "
                           "population_year, source FROM areas ORDER BY code",
                           err);
    if (!q)
        return err->status;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        acv_area a = {
            .code = col_text(q, 0),
            .name = col_text(q, 1),
            .level = col_text(q, 2),
            .parent_code = col_text(q, 3),
            .country = col_text(q, 4),
            .has_population = sqlite3_column_type(q, 5) != SQLITE_NULL,
            .population = sqlite3_column_double(q, 5),
            .population_year = sqlite3_column_int(q, 6),
            .source = col_text(q, 7),
        };
        if (!a.code || !a.name || !a.level)
            continue;
        if (fn(ud, &a))
            break;
    }
    ROWS_END(q, rc, "reading the areas");
}

acv_status acv_pkgdb_each_series(acv_pkgdb *p,
                                 int (*fn)(void *ud, const char *code, const char *name,
                                           const char *unit),
                                 void *ud, acv_error *err)
{
    sqlite3_stmt *q = prep(p, "SELECT code, name, unit FROM series ORDER BY code", err);
    if (!q)
        return err->status;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        if (fn(ud, col_text(q, 0), col_text(q, 1), col_text(q, 2)))
            break;
    ROWS_END(q, rc, "reading the series");
}

acv_status acv_pkgdb_each_observation(acv_pkgdb *p, int (*fn)(void *ud, const acv_pkg_obs *o),
                                      void *ud, acv_error *err)
{
    sqlite3_stmt *q = prep(p,
                           "SELECT area, indicator, disaggregation, period, value, source, "
                           "status, comment, file, line, recorded_at FROM observations ORDER BY "
                           "area, indicator, disaggregation, period",
                           err);
    if (!q)
        return err->status;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        acv_pkg_obs o = {
            .area = col_text(q, 0),
            .indicator = col_text(q, 1),
            .disaggregation = col_text(q, 2),
            .period = col_text(q, 3),
            .value = sqlite3_column_double(q, 4),
            .source = col_text(q, 5),
            .status = col_text(q, 6),
            .comment = col_text(q, 7),
            .file = col_text(q, 8),
            .line = (long)sqlite3_column_int64(q, 9),
            .recorded_at = col_text(q, 10),
        };
        if (!o.area || !o.indicator || !o.period || !o.file)
            continue;
        if (fn(ud, &o))
            break;
    }
    ROWS_END(q, rc, "reading the observations");
}

acv_status acv_pkgdb_each_answer(acv_pkgdb *p, int (*fn)(void *ud, const acv_pkg_answer *a),
                                 void *ud, acv_error *err)
{
    sqlite3_stmt *q = prep(p,
                           "SELECT area, year, question, level, effective_level, evidence, file, "
                           "line, answered_at FROM answers ORDER BY area, year, question",
                           err);
    if (!q)
        return err->status;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        acv_pkg_answer a = {
            .area = col_text(q, 0),
            .year = sqlite3_column_int(q, 1),
            .question = col_text(q, 2),
            .level = sqlite3_column_type(q, 3) == SQLITE_NULL ? -1 : sqlite3_column_int(q, 3),
            .effective_level =
                sqlite3_column_type(q, 4) == SQLITE_NULL ? -1 : sqlite3_column_int(q, 4),
            .evidence = col_text(q, 5),
            .file = col_text(q, 6),
            .line = (long)sqlite3_column_int64(q, 7),
            .answered_at = col_text(q, 8),
        };
        if (!a.area || !a.question || !a.file)
            continue;
        if (fn(ud, &a))
            break;
    }
    ROWS_END(q, rc, "reading the answers");
}

acv_status acv_pkgdb_each_run(acv_pkgdb *p, int (*fn)(void *ud, const acv_pkg_run *r), void *ud,
                              acv_error *err)
{
    sqlite3_stmt *q = prep(p,
                           "SELECT run_key, area, year, created_at, engine_version, "
                           "framework_id, framework_version, framework_hash, data_hash, "
                           "methods_hash, overlay FROM runs ORDER BY run_key",
                           err);
    if (!q)
        return err->status;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        acv_pkg_run r = {
            .run_key = (long)sqlite3_column_int64(q, 0),
            .area = col_text(q, 1),
            .year = sqlite3_column_int(q, 2),
            .created_at = col_text(q, 3),
            .engine_version = col_text(q, 4),
            .framework_id = col_text(q, 5),
            .framework_version = col_text(q, 6),
            .framework_hash = col_text(q, 7),
            .data_hash = col_text(q, 8),
            .methods_hash = col_text(q, 9),
            .overlay = col_text(q, 10),
        };
        if (!r.area || !r.created_at || !r.framework_version || !r.framework_hash || !r.data_hash ||
            !r.methods_hash)
            continue;
        if (fn(ud, &r))
            break;
    }
    ROWS_END(q, rc, "reading the runs");
}

acv_status acv_pkgdb_each_result(acv_pkgdb *p, int (*fn)(void *ud, const acv_pkg_result *r),
                                 void *ud, acv_error *err)
{
    sqlite3_stmt *q = prep(p,
                           "SELECT run_key, level, code, value, period, score, class, n_scored, "
                           "n_total, note FROM run_results ORDER BY run_key, level, code",
                           err);
    if (!q)
        return err->status;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        acv_pkg_result r = {
            .run_key = (long)sqlite3_column_int64(q, 0),
            .level = col_text(q, 1),
            .code = col_text(q, 2),
            .has_value = sqlite3_column_type(q, 3) != SQLITE_NULL,
            .value = sqlite3_column_double(q, 3),
            .period = col_text(q, 4),
            .has_score = sqlite3_column_type(q, 5) != SQLITE_NULL,
            .score = sqlite3_column_double(q, 5),
            .class_code = col_text(q, 6),
            .n_scored = (long)sqlite3_column_int64(q, 7),
            .n_total = (long)sqlite3_column_int64(q, 8),
            .note = col_text(q, 9),
        };
        if (!r.level || !r.code)
            continue;
        if (fn(ud, &r))
            break;
    }
    ROWS_END(q, rc, "reading the run results");
}

acv_status acv_pkgdb_each_forwarded(acv_pkgdb *p,
                                    int (*fn)(void *ud, long seq, const char *submission_id,
                                              const char *content_hash,
                                              const unsigned char *package, size_t len),
                                    void *ud, acv_error *err)
{
    sqlite3_stmt *q = prep(
        p, "SELECT seq, submission_id, content_hash, package FROM forwarded ORDER BY seq", err);
    if (!q)
        return err->status;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const unsigned char *b = sqlite3_column_blob(q, 3);
        size_t len = (size_t)sqlite3_column_bytes(q, 3);
        if (!col_text(q, 1) || !col_text(q, 2))
            continue;
        if (fn(ud, (long)sqlite3_column_int64(q, 0), col_text(q, 1), col_text(q, 2), b, len))
            break;
    }
    ROWS_END(q, rc, "reading the forwarded packages");
}

acv_status acv_pkgdb_unknown_indicators(acv_pkgdb *p, acv_store *s, acv_buf *out, acv_error *err)
{
    sqlite3_stmt *q = prep(p,
                           "SELECT DISTINCT indicator FROM observations WHERE indicator NOT IN "
                           "(SELECT code FROM series) ORDER BY indicator",
                           err);
    if (!q)
        return err->status;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *code = col_text(q, 0);
        if (code && acv_store_indicator_id(s, code) == 0)
            acv_buf_printf(out, "%s%s", out->len ? ", " : "", code);
    }
    ROWS_END(q, rc, "reading the indicators");
}

long acv_pkgdb_count(acv_pkgdb *p, const char *table)
{
    if (!known_table(table))
        return -1;
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    acv_error err = {0};
    sqlite3_stmt *q = prep(p, sql, &err);
    if (!q)
        return -1;
    long n = sqlite3_step(q) == SQLITE_ROW ? (long)sqlite3_column_int64(q, 0) : -1;
    sqlite3_finalize(q);
    return n;
}
