/*
 * storage_internal.h — shared by the files of the storage module (storage.c, storage_*.c) and by
 * nothing else: the connection, statement caching and error mapping. SQL lives only in these
 * files; the rest of the engine sees storage.h.
 */
#ifndef ACV_STORAGE_INTERNAL_H
#define ACV_STORAGE_INTERNAL_H

#include "storage.h"
#include "util.h"

#include <sqlite3.h>

#define ACV_STORE_STATEMENTS 16
#define ACV_STORE_MAX_CACHED 64

struct acv_store {
    sqlite3 *db;
    char *path;
    sqlite3_stmt *stmt[ACV_STORE_STATEMENTS]; /* storage.c's own, by its enum */
    const char *cached_sql[ACV_STORE_MAX_CACHED];
    sqlite3_stmt *cached[ACV_STORE_MAX_CACHED];
    size_t n_cached;
    acv_arena scratch; /* strings handed out by getters, reset on each getter call */
};

/* A prepared statement for sql (a string literal: cached by its address), reset and unbound. */
sqlite3_stmt *acv_store_cached(acv_store *s, const char *sql, acv_error *err);
/* Maps a SQLite result code to the engine's error model ("workspace is busy", "disk full"...). */
acv_status acv_store_db_error(acv_store *s, int rc, acv_error *err, const char *what);
acv_status acv_store_exec(acv_store *s, const char *sql, acv_error *err, const char *what);
/* Steps a statement that returns no rows and resets it. */
acv_status acv_store_step_done(acv_store *s, sqlite3_stmt *st, acv_error *err, const char *what);
/* A statement for one use (the caller finalizes it); NULL with err set for `what` when sql does
 * not prepare. */
sqlite3_stmt *acv_store_prepare(acv_store *s, const char *sql, acv_error *err, const char *what);
/* Ends a loop over a statement's rows that stopped with rc: resets st (a statement left mid-way
 * would hold the read lock) and returns ACV_OK when the rows ran out (SQLITE_DONE) or a callback
 * stopped early (SQLITE_ROW), else the database's error for `what`. */
acv_status acv_store_rows_end(acv_store *s, sqlite3_stmt *st, int rc, acv_error *err,
                              const char *what);
/* The integer in the first column of the first row of st with key bound to ?1 (an id by its
 * code), then resets st; 0 when there is no such row or st is NULL (it failed to prepare). */
int64_t acv_store_first_id(sqlite3_stmt *st, const char *key);
/* The same with an integer key (an area id); NULL in that column reads as 0. */
int64_t acv_store_first_int(sqlite3_stmt *st, int64_t key);
/* Binds text, or NULL when s is NULL. */
void acv_store_bind_text(sqlite3_stmt *st, int i, const char *s);
/* Copies a text column into the store's scratch arena (valid until the next getter). */
const char *acv_store_scratch_text(acv_store *s, sqlite3_stmt *st, int col);
sqlite3 *acv_store_handle(acv_store *s);

#endif
