/*
 * storage_package.h — the SQL of a submission package file (docs/submissions.md, "The package
 * schema"): a SQLite database of its own (application_id 0x41435653 "ACVS", user_version
 * ACV_PACKAGE_FORMAT), keyed by codes, never by a workspace's row ids. A package is built in
 * memory and written out as bytes; a received one is read from the bytes already checked in
 * memory (sqlite3_deserialize), so what is verified is what is read.
 */
#ifndef ACV_STORAGE_PACKAGE_H
#define ACV_STORAGE_PACKAGE_H

#include "error.h"
#include "storage.h"
#include "util.h"

#include <stddef.h>
#include <stdint.h>

#define ACV_PACKAGE_APPLICATION_ID 0x41435653 /* "ACVS" */
#define ACV_PACKAGE_FORMAT 1
#define ACV_PACKAGE_SEAL_MARK 32 /* random bytes that find the signature in the file */
#define ACV_PACKAGE_SEAL_BYTES (ACV_PACKAGE_SEAL_MARK + 64)

typedef struct acv_pkgdb acv_pkgdb;

/* A new empty package in memory with its schema. */
acv_status acv_pkgdb_create(acv_pkgdb **out, acv_error *err);
/* Opens the bytes of a package read-only (they must stay alive until close). Refuses a database
 * of another application, a newer format, and tables this format does not have (a package from
 * a newer acvtrack: the message names them) or lacks. name is how messages call the file. */
acv_status acv_pkgdb_open_bytes(const unsigned char *bytes, size_t len, const char *name,
                                acv_pkgdb **out, acv_error *err);
void acv_pkgdb_close(acv_pkgdb *p);
/* The package as file bytes, freed with acv_pkgdb_free_bytes. */
acv_status acv_pkgdb_serialize(acv_pkgdb *p, unsigned char **bytes, size_t *len, acv_error *err);
void acv_pkgdb_free_bytes(unsigned char *bytes);

/* Writing (a created package) */
acv_status acv_pkgdb_begin(acv_pkgdb *p, acv_error *err);
acv_status acv_pkgdb_commit(acv_pkgdb *p, acv_error *err);
acv_status acv_pkgdb_set(acv_pkgdb *p, const char *key, const char *value, acv_error *err);
acv_status acv_pkgdb_add_overlay_change(acv_pkgdb *p, long seq, const char *change, acv_error *err);
acv_status acv_pkgdb_add_area(acv_pkgdb *p, const acv_area *a, acv_error *err);
acv_status acv_pkgdb_add_series(acv_pkgdb *p, const char *code, const char *name, const char *unit,
                                acv_error *err);

/* An observation (current, or an earlier version: seq > 0, replaced_at set) as it travels. */
typedef struct {
    const char *area, *indicator, *disaggregation, *period;
    double value;
    const char *source, *status, *comment; /* NULL: none */
    const char *file;                      /* where it came from in the sender's workspace */
    long line;
    const char *recorded_at;
    long seq;                /* revisions: 1 = oldest */
    const char *replaced_at; /* revisions only */
} acv_pkg_obs;

acv_status acv_pkgdb_add_observation(acv_pkgdb *p, const acv_pkg_obs *o, acv_error *err);
acv_status acv_pkgdb_add_revision(acv_pkgdb *p, const acv_pkg_obs *o, acv_error *err);

typedef struct {
    const char *area;
    int year;
    const char *question;
    int level, effective_level; /* -1: none */
    const char *evidence, *file;
    long line;
    const char *answered_at;
} acv_pkg_answer;
acv_status acv_pkgdb_add_answer(acv_pkgdb *p, const acv_pkg_answer *a, acv_error *err);

typedef struct {
    long run_key;
    const char *area;
    int year;
    const char *created_at, *engine_version, *framework_id, *framework_version;
    const char *framework_hash, *data_hash, *methods_hash, *overlay;
} acv_pkg_run;
typedef struct {
    long run_key;
    const char *level, *code;
    int has_value, has_score;
    double value, score;
    const char *period, *class_code, *note;
    long n_scored, n_total;
} acv_pkg_result;
acv_status acv_pkgdb_add_run(acv_pkgdb *p, const acv_pkg_run *r, acv_error *err);
acv_status acv_pkgdb_add_result(acv_pkgdb *p, const acv_pkg_result *r, acv_error *err);

acv_status acv_pkgdb_add_forwarded(acv_pkgdb *p, long seq, const char *submission_id,
                                   const char *content_hash, const void *package, size_t len,
                                   acv_error *err);
/* The signature row: who signs and the seal (ACV_PACKAGE_SEAL_BYTES: the random mark, then the
 * 64-byte signature, zero until the file is signed). */
acv_status acv_pkgdb_set_signature(acv_pkgdb *p, const char *key_id, const char *public_key_hex,
                                   const char *label, const unsigned char *seal, acv_error *err);

/* Reading */
/* A manifest value copied into buf; ACV_ERR_NOTFOUND when the key is missing. */
acv_status acv_pkgdb_get(acv_pkgdb *p, const char *key, char *buf, size_t size, acv_error *err);
acv_status acv_pkgdb_get_signature(acv_pkgdb *p, char key_id[17], char public_key_hex[65],
                                   char *label, size_t label_size,
                                   unsigned char seal[ACV_PACKAGE_SEAL_BYTES], acv_error *err);
/* SHA-256 over the canonical serialisation of the content (docs/submissions.md): every table
 * but `signature`, in a fixed order, rows in primary-key order, each field with its type;
 * the manifest's content_hash and submission_id rows are left out. */
acv_status acv_pkgdb_content_hash(acv_pkgdb *p, char hex[65], acv_error *err);

/* Callbacks return non-zero to stop; strings valid during the call only. */
acv_status acv_pkgdb_each_overlay_change(acv_pkgdb *p,
                                         int (*fn)(void *ud, long seq, const char *change),
                                         void *ud, acv_error *err);
acv_status acv_pkgdb_each_area(acv_pkgdb *p, int (*fn)(void *ud, const acv_area *a), void *ud,
                               acv_error *err);
acv_status acv_pkgdb_each_series(acv_pkgdb *p,
                                 int (*fn)(void *ud, const char *code, const char *name,
                                           const char *unit),
                                 void *ud, acv_error *err);
/* Observations in key order (area, indicator, disaggregation, period). */
acv_status acv_pkgdb_each_observation(acv_pkgdb *p, int (*fn)(void *ud, const acv_pkg_obs *o),
                                      void *ud, acv_error *err);
acv_status acv_pkgdb_each_answer(acv_pkgdb *p, int (*fn)(void *ud, const acv_pkg_answer *a),
                                 void *ud, acv_error *err);
acv_status acv_pkgdb_each_run(acv_pkgdb *p, int (*fn)(void *ud, const acv_pkg_run *r), void *ud,
                              acv_error *err);
acv_status acv_pkgdb_each_result(acv_pkgdb *p, int (*fn)(void *ud, const acv_pkg_result *r),
                                 void *ud, acv_error *err);
acv_status acv_pkgdb_each_forwarded(acv_pkgdb *p,
                                    int (*fn)(void *ud, long seq, const char *submission_id,
                                              const char *content_hash,
                                              const unsigned char *package, size_t len),
                                    void *ud, acv_error *err);
/* Indicator codes the package's observations use that are neither known to the workspace s nor
 * series the package declares, comma-separated in code order into out ("" when none). */
acv_status acv_pkgdb_unknown_indicators(acv_pkgdb *p, acv_store *s, acv_buf *out, acv_error *err);
/* Row count of a package table (-1 for a name that is not one of its tables). */
long acv_pkgdb_count(acv_pkgdb *p, const char *table);

#endif
