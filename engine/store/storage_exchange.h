/*
 * storage_exchange.h — the SQL of signed submissions in the workspace (docs/submissions.md): the
 * keys this workspace trusts and for which areas, the packages it received (with their original
 * bytes), the (area, year) datasets, disclosed overlay changes, conflicts and stored runs they
 * carried, and the packages it sent. The package file's own SQL is storage_package.h.
 */
#ifndef ACV_STORAGE_EXCHANGE_H
#define ACV_STORAGE_EXCHANGE_H

#include "storage.h"
#include "storage_package.h"

#include <stddef.h>

/* ---- Trusted keys -------------------------------------------------------------------------- */

/* Records (or replaces) a trusted key and the areas it may submit for: the areas given replace
 * the ones it had. Call inside a transaction. */
acv_status acv_store_trust_key(acv_store *s, const char *key_id, const char *public_key_hex,
                               const char *label, const char *const *areas, size_t n_areas,
                               acv_error *err);

/* A trusted key by id: its public key (64 hex digits) and label copied into the caller's
 * buffers; ACV_ERR_NOTFOUND when the key is not trusted. */
acv_status acv_store_trusted_key(acv_store *s, const char *key_id, char public_key_hex[65],
                                 char *label, size_t label_size, acv_error *err);

/* 1 when key_id is trusted for exactly this area code (not its parents: the caller walks them). */
int acv_store_key_has_area(acv_store *s, const char *key_id, const char *area);

typedef struct {
    const char *key_id, *public_key, *label, *trusted_at;
    const char *areas; /* comma-separated, in code order */
} acv_trusted_key;

/* Every trusted key by id; strings valid during the callback only; fn returns non-zero to stop. */
acv_status acv_store_each_trusted_key(acv_store *s, int (*fn)(void *ud, const acv_trusted_key *k),
                                      void *ud, acv_error *err);

/* ---- What a package carries, read from the workspace ---------------------------------------- */

/* The selection: the area root and every area under it; year 0 means every year; observations
 * set by imports after after_import only (0: all) and the earlier versions those imports
 * replaced. */
typedef struct {
    const char *root;
    int year;
    int64_t after_import;
} acv_export_selection;

/* The selection's areas and the root's ancestors, parents before children. */
acv_status acv_store_export_areas(acv_store *s, const acv_export_selection *sel,
                                  int (*fn)(void *ud, const acv_area *a), void *ud, acv_error *err);
/* The data series outside the framework the selected observations use. */
acv_status acv_store_export_series(acv_store *s, const acv_export_selection *sel,
                                   int (*fn)(void *ud, const char *code, const char *name,
                                             const char *unit),
                                   void *ud, acv_error *err);
/* The current observations, with the file (the row's own, else the import's) and line. */
acv_status acv_store_export_observations(acv_store *s, const acv_export_selection *sel,
                                         int (*fn)(void *ud, const acv_pkg_obs *o), void *ud,
                                         acv_error *err);
/* The earlier versions, numbered per key from 1 (oldest) with when they were replaced. */
acv_status acv_store_export_revisions(acv_store *s, const acv_export_selection *sel,
                                      int (*fn)(void *ud, const acv_pkg_obs *o), void *ud,
                                      acv_error *err);
/* The self-assessment answers of the selection (of the year when one is chosen). */
acv_status acv_store_export_answers(acv_store *s, const acv_export_selection *sel,
                                    int (*fn)(void *ud, const acv_pkg_answer *a), void *ud,
                                    acv_error *err);
/* The latest run of each selected area and year, run_key = the workspace's run id, and their
 * results. */
acv_status acv_store_export_runs(acv_store *s, const acv_export_selection *sel,
                                 int (*run_fn)(void *ud, const acv_pkg_run *r),
                                 int (*result_fn)(void *ud, const acv_pkg_result *r), void *ud,
                                 acv_error *err);
/* The highest import id (0 when there is none). */
int64_t acv_store_last_import(acv_store *s);

/* ---- Sent packages ------------------------------------------------------------------------ */

typedef struct {
    const char *submission_id, *content_hash, *kind, *areas, *file;
    int first_year, last_year;
    int64_t through_import; /* the last import the package covers */
    int64_t since_sent;     /* the sent package it continues (0: none) */
} acv_sent;

acv_status acv_store_add_sent(acv_store *s, const acv_sent *r, int64_t *id, acv_error *err);
/* The import a package continuing sent package `id` starts after (id 0: the latest
 * acknowledged one for root; *found 0 and *through 0 when there is none). ACV_ERR_NOTFOUND for
 * an id that was never sent. */
acv_status acv_store_sent_through(acv_store *s, int64_t id, const char *root, int64_t *through,
                                  int64_t *found, acv_error *err);
/* Marks a sent package acknowledged by its receiver; ACV_ERR_NOTFOUND when it was not sent. */
acv_status acv_store_acknowledge_sent(acv_store *s, const char *submission_id, acv_error *err);

/* ---- Received packages -------------------------------------------------------------------- */

typedef struct {
    int64_t id;
    const char *submission_id, *content_hash, *kind, *sender_key, *sender_label, *areas;
    int first_year, last_year;
    const char *framework_id, *framework_version, *framework_hash;
    const char *overlay, *overlay_hash, *methods_hash, *acvtrack_version, *created_at;
    const char *received_at;
    int64_t via;       /* the forward it came inside, or 0 */
    int64_t import_id; /* the import of its observations, or 0 */
    long observations;
    const unsigned char *package; /* the original signed bytes */
    size_t package_len;
} acv_received;

/* The received package with that content hash, or 0. */
int64_t acv_store_find_received(acv_store *s, const char *content_hash);
/* Records a received package (r->id and r->received_at are ignored); inside a transaction. */
acv_status acv_store_add_received(acv_store *s, const acv_received *r, int64_t *id, acv_error *err);
acv_status acv_store_add_received_dataset(acv_store *s, int64_t id, const char *area, int year,
                                          long observations, acv_error *err);
acv_status acv_store_add_received_change(acv_store *s, int64_t id, long seq, const char *change,
                                         acv_error *err);
acv_status acv_store_add_received_run(acv_store *s, int64_t id, const acv_pkg_run *r,
                                      acv_error *err);
acv_status acv_store_add_received_result(acv_store *s, int64_t id, const acv_pkg_result *r,
                                         acv_error *err);
acv_status acv_store_add_conflict(acv_store *s, int64_t id, const acv_pkg_obs *received,
                                  double held_value, int64_t held_import, acv_error *err);
/* The value the workspace holds for a key and the import that set it; 0 when there is none. */
int acv_store_current_value(acv_store *s, const char *area, const char *indicator,
                            const char *disaggregation, const char *period, double *value,
                            int64_t *import_id);
/* 1 when import_id imported a received package signed by key (0: a local import, or another
 * sender's). */
int acv_store_import_has_sender(acv_store *s, int64_t import_id, const char *key);

/* Received packages in the order they were received; with_bytes: package and package_len are
 * set; strings valid during the callback only; fn returns non-zero to stop. */
acv_status acv_store_each_received(acv_store *s, int with_bytes,
                                   int (*fn)(void *ud, const acv_received *r), void *ud,
                                   acv_error *err);

#endif
