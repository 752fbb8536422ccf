/*
 * storage_practices.c — every SQL statement of the practice registry (storage_practices.h): its
 * tables, its FTS5 index, writes, search and the observations behind before/after values.
 *
 * The tables are created with CREATE ... IF NOT EXISTS by acv_store_practices_ensure rather than
 * by a numbered migration in storage.c, so a workspace made before the registry existed gains it
 * on its first practice import without a schema version bump (meta key `practices_schema`
 * records the layout, for a later migration to take over). A practice names its city by area
 * code, joined to `areas` when read, so a shipped example can wait for its area.
 */
#include "storage_internal.h"
#include "storage_practices.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static const char SQL_SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS practices("
    "  id INTEGER PRIMARY KEY,"
    "  code TEXT NOT NULL UNIQUE,"
    "  title TEXT NOT NULL,"
    "  city TEXT NOT NULL,"
    "  year_from INTEGER NOT NULL,"
    "  year_to INTEGER CHECK (year_to IS NULL OR year_to >= year_from),"
    "  pillar TEXT NOT NULL,"
    "  summary TEXT NOT NULL,"
    "  what_was_done TEXT NOT NULL,"
    "  cost TEXT,"
    "  funding TEXT,"
    "  illustrative INTEGER NOT NULL DEFAULT 0,"
    "  file TEXT NOT NULL,"
    "  line INTEGER NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  imported_at TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS practices_city ON practices(city);"
    "CREATE TABLE IF NOT EXISTS practice_links("
    "  practice_id INTEGER NOT NULL REFERENCES practices(id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL CHECK (kind IN ('action_area','indicator','partner','contact',"
    "    'evidence','tag')),"
    "  seq INTEGER NOT NULL,"
    "  value TEXT NOT NULL,"
    "  PRIMARY KEY (practice_id, kind, seq)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS practice_links_value ON practice_links(kind, value);"
    /* porter: 'warnings' finds 'warning'; remove_diacritics: 'Ha Noi' finds 'Hà Nội' */
    "CREATE VIRTUAL TABLE IF NOT EXISTS practices_fts USING fts5(title, summary, what_was_done,"
    "  tags, tokenize = 'porter unicode61 remove_diacritics 2');"
    "INSERT OR IGNORE INTO meta(key, value) VALUES ('practices_schema', '1');";

static const char SQL_EXISTS[] =
    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('practices', "
    "'practice_links', 'practices_fts')";
static const char SQL_COUNT[] = "SELECT count(*) FROM practices";
static const char SQL_HASH[] = "SELECT sha256 FROM practices WHERE code = ?1";
static const char SQL_ID[] = "SELECT id FROM practices WHERE code = ?1";
static const char SQL_INSERT[] =
    "INSERT INTO practices(code, title, city, year_from, year_to, pillar, summary, "
    "what_was_done, cost, funding, illustrative, file, line, sha256, imported_at) VALUES (?1, ?2, "
    "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))";
static const char SQL_UPDATE[] =
    "UPDATE practices SET title = ?2, city = ?3, year_from = ?4, year_to = ?5, pillar = ?6, "
    "summary = ?7, what_was_done = ?8, cost = ?9, funding = ?10, illustrative = ?11, file = ?12, "
    "line = ?13, sha256 = ?14, imported_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE code = "
    "?1";
static const char SQL_LINKS_DELETE[] = "DELETE FROM practice_links WHERE practice_id = ?1";
static const char SQL_LINK_INSERT[] =
    "INSERT INTO practice_links(practice_id, kind, seq, value) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_FTS_DELETE[] = "DELETE FROM practices_fts WHERE rowid = ?1";
static const char SQL_FTS_INSERT[] =
    "INSERT INTO practices_fts(rowid, title, summary, what_was_done, tags) VALUES (?1, ?2, ?3, "
    "?4, ?5)";
static const char SQL_GET[] =
    "SELECT id, code, title, city, year_from, year_to, pillar, summary, what_was_done, cost, "
    "funding, illustrative, file, line, sha256 FROM practices WHERE code = ?1";
static const char SQL_GET_LINKS[] =
    "SELECT kind, value FROM practice_links WHERE practice_id = ?1 ORDER BY kind, seq";

/* The filters shared by both searches; ?2-?7 as in bind_filters. */
#define PRACTICE_FILTERS                                                                           \
    " AND (?2 IS NULL OR p.pillar = ?2)"                                                           \
    " AND (?3 IS NULL OR EXISTS (SELECT 1 FROM practice_links l WHERE l.practice_id = p.id AND "   \
    "l.kind = 'action_area' AND l.value = ?3))"                                                    \
    " AND (?4 IS NULL OR EXISTS (SELECT 1 FROM practice_links l WHERE l.practice_id = p.id AND "   \
    "l.kind = 'indicator' AND l.value = ?4))"                                                      \
    " AND (?5 IS NULL OR a.country = ?5)"                                                          \
    " AND (?6 IS NULL OR p.city = ?6)"                                                             \
    " AND (?7 = 0 OR (p.year_from <= ?7 AND (p.year_to IS NULL OR p.year_to >= ?7)))"

#define HIT_COLUMNS                                                                                \
    "p.code, p.title, p.city, a.name, a.country, a.population, p.pillar, p.summary, "              \
    "p.year_from, p.year_to, p.illustrative"

/* Most words found first (acv_words_found, below); among those, documented cases before
 * illustrative examples; then bm25 with column weights (title, summary, what_was_done, tags): a
 * word in the title or the tags says more about what a practice is than one in the long
 * description. docs/practices.md. */
static const char SQL_SEARCH_WORDS[] =
    "SELECT " HIT_COLUMNS ", bm25(practices_fts, 4.0, 2.0, 1.0, 3.0) AS r, "
    "acv_words_found(practices_fts) AS w FROM practices_fts f JOIN practices p ON p.id = "
    "f.rowid LEFT JOIN areas a ON a.code = p.city WHERE practices_fts MATCH ?1" PRACTICE_FILTERS
    " ORDER BY w DESC, p.illustrative, r, p.code LIMIT ?8";
static const char SQL_SEARCH_ALL[] =
    "SELECT " HIT_COLUMNS ", 0.0 FROM practices p LEFT JOIN areas a ON a.code = p.city WHERE "
    "(?1 IS NULL)" PRACTICE_FILTERS " ORDER BY p.code LIMIT ?8";
static const char SQL_LINKED[] =
    "SELECT " HIT_COLUMNS ", 0.0 FROM practice_links l JOIN practices p ON p.id = l.practice_id "
    "LEFT JOIN areas a ON a.code = p.city WHERE l.kind = ?1 AND l.value = ?2 AND p.city <> ?3 "
    "ORDER BY p.code";

/* Periods are compared by their year (the first four characters), as everywhere in storage.c. */
static const char SQL_OBS_BEFORE[] =
    "SELECT o.period, o.value FROM observations o JOIN areas a ON a.id = o.area_id JOIN "
    "indicators i ON i.id = o.indicator_id WHERE a.code = ?1 AND i.code = ?2 AND "
    "o.disaggregation = '' AND CAST(substr(o.period, 1, 4) AS INTEGER) < ?3 ORDER BY o.period "
    "DESC LIMIT 1";
static const char SQL_OBS_AFTER[] =
    "SELECT o.period, o.value FROM observations o JOIN areas a ON a.id = o.area_id JOIN "
    "indicators i ON i.id = o.indicator_id WHERE a.code = ?1 AND i.code = ?2 AND "
    "o.disaggregation = '' AND CAST(substr(o.period, 1, 4) AS INTEGER) > ?3 ORDER BY o.period "
    "DESC LIMIT 1";

acv_status acv_store_practices_ensure(acv_store *s, acv_error *err)
{
    return acv_store_exec(s, SQL_SCHEMA, err, "creating the practice tables");
}

int acv_store_practices_exist(acv_store *s)
{
    acv_error ignored;
    sqlite3_stmt *q = acv_store_cached(s, SQL_EXISTS, &ignored);
    if (!q)
        return 0;
    int n = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
    sqlite3_reset(q);
    return n == 3;
}

long long acv_store_practices_count(acv_store *s)
{
    if (!acv_store_practices_exist(s))
        return 0;
    acv_error ignored;
    sqlite3_stmt *q = acv_store_cached(s, SQL_COUNT, &ignored);
    if (!q)
        return 0;
    long long n = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    sqlite3_reset(q);
    return n;
}

acv_status acv_store_practice_hash(acv_store *s, const char *id, char hash[65], int *found,
                                   acv_error *err)
{
    *found = 0;
    hash[0] = '\0';
    sqlite3_stmt *q = acv_store_cached(s, SQL_HASH, err);
    if (!q)
        return err->status;
    sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        const unsigned char *h = sqlite3_column_text(q, 0);
        snprintf(hash, 65, "%s", h ? (const char *)h : "");
        *found = 1;
    }
    return acv_store_rows_end(s, q, rc, err, "reading a practice");
}

static acv_status put_links(acv_store *s, int64_t pid, const char *kind, const char *const *values,
                            size_t n, acv_error *err)
{
    for (size_t i = 0; i < n; i++) {
        sqlite3_stmt *st = acv_store_cached(s, SQL_LINK_INSERT, err);
        if (!st)
            return err->status;
        sqlite3_bind_int64(st, 1, pid);
        sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)i);
        sqlite3_bind_text(st, 4, values[i], -1, SQLITE_STATIC);
        acv_status rc = acv_store_step_done(s, st, err, "storing a practice");
        if (rc != ACV_OK)
            return rc;
    }
    return ACV_OK;
}

acv_status acv_store_practice_put(acv_store *s, const acv_practice *p, acv_error *err)
{
    /* update-or-insert by code keeps the row id stable, which is also the FTS rowid */
    sqlite3_stmt *q = acv_store_cached(s, SQL_ID, err);
    if (!q)
        return err->status;
    sqlite3_bind_text(q, 1, p->id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    int64_t pid = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    sqlite3_reset(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return acv_store_db_error(s, rc, err, "reading a practice");

    sqlite3_stmt *w = acv_store_cached(s, pid ? SQL_UPDATE : SQL_INSERT, err);
    if (!w)
        return err->status;
    sqlite3_bind_text(w, 1, p->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(w, 2, p->title, -1, SQLITE_STATIC);
    sqlite3_bind_text(w, 3, p->city, -1, SQLITE_STATIC);
    sqlite3_bind_int(w, 4, p->year_from);
    if (p->year_to)
        sqlite3_bind_int(w, 5, p->year_to);
    sqlite3_bind_text(w, 6, p->pillar, -1, SQLITE_STATIC);
    sqlite3_bind_text(w, 7, p->summary, -1, SQLITE_STATIC);
    sqlite3_bind_text(w, 8, p->what_was_done, -1, SQLITE_STATIC);
    acv_store_bind_text(w, 9, p->cost);
    acv_store_bind_text(w, 10, p->funding);
    sqlite3_bind_int(w, 11, p->illustrative);
    sqlite3_bind_text(w, 12, p->file, -1, SQLITE_STATIC);
    sqlite3_bind_int(w, 13, p->line);
    sqlite3_bind_text(w, 14, p->sha256 ? p->sha256 : "", -1, SQLITE_STATIC);
    acv_status st = acv_store_step_done(s, w, err, "storing a practice");
    if (st != ACV_OK)
        return st;
    if (!pid) {
        pid = sqlite3_last_insert_rowid(acv_store_handle(s));
    } else {
        sqlite3_stmt *d = acv_store_cached(s, SQL_LINKS_DELETE, err);
        if (!d)
            return err->status;
        sqlite3_bind_int64(d, 1, pid);
        if ((st = acv_store_step_done(s, d, err, "replacing a practice")) != ACV_OK)
            return st;
        d = acv_store_cached(s, SQL_FTS_DELETE, err);
        if (!d)
            return err->status;
        sqlite3_bind_int64(d, 1, pid);
        if ((st = acv_store_step_done(s, d, err, "replacing a practice")) != ACV_OK)
            return st;
    }
    const struct {
        const char *kind;
        const char *const *values;
        size_t n;
    } links[] = {
        {"action_area", p->action_areas, p->n_action_areas},
        {"indicator", p->indicators, p->n_indicators},
        {"partner", p->partners, p->n_partners},
        {"contact", p->contacts, p->n_contacts},
        {"evidence", p->evidence, p->n_evidence},
        {"tag", p->tags, p->n_tags},
    };
    for (size_t k = 0; k < sizeof links / sizeof *links; k++)
        if ((st = put_links(s, pid, links[k].kind, links[k].values, links[k].n, err)) != ACV_OK)
            return st;
    /* the tags as one text for the index: words of a tag stay together, tags are separated */
    acv_buf tags = {0};
    for (size_t i = 0; i < p->n_tags; i++) {
        if (i)
            acv_buf_puts(&tags, "; ");
        acv_buf_puts(&tags, p->tags[i]);
    }
    if (tags.failed) {
        acv_buf_free(&tags);
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory storing a practice");
    }
    sqlite3_stmt *f = acv_store_cached(s, SQL_FTS_INSERT, err);
    if (!f) {
        acv_buf_free(&tags);
        return err->status;
    }
    sqlite3_bind_int64(f, 1, pid);
    sqlite3_bind_text(f, 2, p->title, -1, SQLITE_STATIC);
    sqlite3_bind_text(f, 3, p->summary, -1, SQLITE_STATIC);
    sqlite3_bind_text(f, 4, p->what_was_done, -1, SQLITE_STATIC);
    sqlite3_bind_text(f, 5, tags.data ? tags.data : "", -1, SQLITE_TRANSIENT);
    acv_buf_free(&tags);
    return acv_store_step_done(s, f, err, "indexing a practice");
}

static const char *arena_text(acv_arena *a, sqlite3_stmt *q, int col, int *oom)
{
    const unsigned char *t = sqlite3_column_text(q, col);
    if (!t)
        return NULL;
    const char *copy = acv_arena_strdup(a, (const char *)t);
    if (!copy)
        *oom = 1;
    return copy;
}

/* Appends value to a list grown in the arena (lists are short: copying is cheap). */
static int list_push(acv_arena *a, const char ***list, size_t *n, const char *value)
{
    const char **grown = acv_arena_alloc(a, (*n + 1) * sizeof *grown);
    if (!grown || !value)
        return 0;
    if (*n)
        memcpy(grown, *list, *n * sizeof *grown);
    grown[(*n)++] = value;
    *list = grown;
    return 1;
}

acv_status acv_store_practice_get(acv_store *s, const char *id, acv_arena *arena, acv_practice *out,
                                  acv_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *q = acv_store_cached(s, SQL_GET, err);
    if (!q)
        return err->status;
    sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(q);
        if (rc == SQLITE_DONE)
            return acv_error_set(err, ACV_ERR_NOTFOUND,
                                 "unknown practice '%s' (see 'acvtrack practices list')", id);
        return acv_store_db_error(s, rc, err, "reading a practice");
    }
    int oom = 0;
    int64_t pid = sqlite3_column_int64(q, 0);
    out->id = arena_text(arena, q, 1, &oom);
    out->title = arena_text(arena, q, 2, &oom);
    out->city = arena_text(arena, q, 3, &oom);
    out->year_from = sqlite3_column_int(q, 4);
    out->year_to = sqlite3_column_int(q, 5); /* NULL reads as 0: ongoing */
    out->pillar = arena_text(arena, q, 6, &oom);
    out->summary = arena_text(arena, q, 7, &oom);
    out->what_was_done = arena_text(arena, q, 8, &oom);
    out->cost = arena_text(arena, q, 9, &oom);
    out->funding = arena_text(arena, q, 10, &oom);
    out->illustrative = sqlite3_column_int(q, 11);
    out->file = arena_text(arena, q, 12, &oom);
    out->line = sqlite3_column_int(q, 13);
    out->sha256 = arena_text(arena, q, 14, &oom);
    sqlite3_reset(q);

    q = acv_store_cached(s, SQL_GET_LINKS, err);
    if (!q)
        return err->status;
    sqlite3_bind_int64(q, 1, pid);
    while (!oom && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *kind = (const char *)sqlite3_column_text(q, 0);
        const char *value = arena_text(arena, q, 1, &oom);
        int ok = 1;
        if (strcmp(kind, "action_area") == 0)
            ok = list_push(arena, &out->action_areas, &out->n_action_areas, value);
        else if (strcmp(kind, "indicator") == 0)
            ok = list_push(arena, &out->indicators, &out->n_indicators, value);
        else if (strcmp(kind, "partner") == 0)
            ok = list_push(arena, &out->partners, &out->n_partners, value);
        else if (strcmp(kind, "contact") == 0)
            ok = list_push(arena, &out->contacts, &out->n_contacts, value);
        else if (strcmp(kind, "evidence") == 0)
            ok = list_push(arena, &out->evidence, &out->n_evidence, value);
        else if (strcmp(kind, "tag") == 0)
            ok = list_push(arena, &out->tags, &out->n_tags, value);
        if (!ok)
            oom = 1;
    }
    sqlite3_reset(q);
    if (oom)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory reading a practice");
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return acv_store_db_error(s, rc, err, "reading a practice");
    return ACV_OK;
}

static void read_hit(sqlite3_stmt *q, acv_practice_hit *h)
{
    memset(h, 0, sizeof *h);
    h->id = (const char *)sqlite3_column_text(q, 0);
    h->title = (const char *)sqlite3_column_text(q, 1);
    h->city = (const char *)sqlite3_column_text(q, 2);
    h->city_name = (const char *)sqlite3_column_text(q, 3);
    h->country = (const char *)sqlite3_column_text(q, 4);
    h->has_population = sqlite3_column_type(q, 5) != SQLITE_NULL;
    h->population = sqlite3_column_double(q, 5);
    h->pillar = (const char *)sqlite3_column_text(q, 6);
    h->summary = (const char *)sqlite3_column_text(q, 7);
    h->year_from = sqlite3_column_int(q, 8);
    h->year_to = sqlite3_column_int(q, 9);
    h->illustrative = sqlite3_column_int(q, 10);
    h->rank = sqlite3_column_double(q, 11);
}

static acv_status each_hit(acv_store *s, sqlite3_stmt *q, acv_practice_hit_fn fn, void *ud,
                           acv_error *err, const char *what)
{
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        acv_practice_hit h;
        read_hit(q, &h);
        if (fn(ud, &h))
            break;
    }
    return acv_store_rows_end(s, q, rc, err, what);
}

/*
 * acv_words_found(practices_fts): how many of the query's words (FTS5 phrases) a row contains.
 * bm25 alone may rank a practice with one rare word above one with all the words asked for, and
 * in a small registry a word found in more than half of the practices weighs nothing at all
 * (FTS5 clamps its inverse document frequency), so the count of words found ranks first.
 */
static void fts_words_found(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                            int n_args, sqlite3_value **args)
{
    (void)n_args;
    (void)args;
    int found = 0, n = api->xPhraseCount(fts);
    for (int i = 0; i < n; i++) {
        Fts5PhraseIter it;
        int col = -1;
        int rc = api->xPhraseFirstColumn(fts, i, &it, &col);
        if (rc != SQLITE_OK) {
            sqlite3_result_error_code(ctx, rc);
            return;
        }
        found += col >= 0;
    }
    sqlite3_result_int(ctx, found);
}

/* Registers acv_words_found on the connection (FTS5's documented way to reach its API). */
static int register_words_found(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &q, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_pointer(q, 1, (void *)&api, "fts5_api_ptr", NULL);
        sqlite3_step(q);
        rc = sqlite3_finalize(q);
    } else {
        sqlite3_finalize(q);
    }
    if (rc == SQLITE_OK && (!api || api->iVersion < 2))
        rc = SQLITE_ERROR;
    if (rc == SQLITE_OK)
        rc = api->xCreateFunction(api, "acv_words_found", NULL, fts_words_found, NULL);
    return rc;
}

acv_status acv_store_practices_search(acv_store *s, const acv_practice_query *q, const char *match,
                                      acv_practice_hit_fn fn, void *ud, acv_error *err)
{
    sqlite3_stmt *st = acv_store_cached(s, match ? SQL_SEARCH_WORDS : SQL_SEARCH_ALL, err);
    if (!st && match) {
        /* the first search on this connection: its ranking function is registered on demand,
         * once, because the statement is cached from then on */
        int rc = register_words_found(acv_store_handle(s));
        if (rc != SQLITE_OK)
            return acv_store_db_error(s, rc, err, "preparing the practice search");
        st = acv_store_cached(s, SQL_SEARCH_WORDS, err);
    }
    if (!st)
        return err->status;
    acv_store_bind_text(st, 1, match);
    acv_store_bind_text(st, 2, q->pillar);
    acv_store_bind_text(st, 3, q->action_area);
    acv_store_bind_text(st, 4, q->indicator);
    acv_store_bind_text(st, 5, q->country);
    acv_store_bind_text(st, 6, q->city);
    sqlite3_bind_int(st, 7, q->year);
    sqlite3_bind_int64(st, 8, q->limit > 0 ? q->limit : -1); /* LIMIT -1: no limit */
    return each_hit(s, st, fn, ud, err, "searching practices");
}

acv_status acv_store_practices_linked(acv_store *s, const char *kind, const char *value,
                                      const char *exclude_city, acv_practice_hit_fn fn, void *ud,
                                      acv_error *err)
{
    sqlite3_stmt *st = acv_store_cached(s, SQL_LINKED, err);
    if (!st)
        return err->status;
    sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, exclude_city ? exclude_city : "", -1, SQLITE_STATIC);
    return each_hit(s, st, fn, ud, err, "reading practices for the report");
}

acv_status acv_store_practice_observation(acv_store *s, const char *area_code,
                                          const char *indicator, int year, int after, int *found,
                                          char *period, size_t period_size, double *value,
                                          acv_error *err)
{
    *found = 0;
    sqlite3_stmt *q = acv_store_cached(s, after ? SQL_OBS_AFTER : SQL_OBS_BEFORE, err);
    if (!q)
        return err->status;
    sqlite3_bind_text(q, 1, area_code, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, indicator, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 3, year);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        const unsigned char *p = sqlite3_column_text(q, 0);
        snprintf(period, period_size, "%s", p ? (const char *)p : "");
        *value = sqlite3_column_double(q, 1);
        *found = 1;
    }
    return acv_store_rows_end(s, q, rc, err, "reading observations");
}
