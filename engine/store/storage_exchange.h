/*
 * storage_exchange.h — the SQL of signed submissions in the workspace (docs/submissions.md): the
 * keys this workspace trusts and for which areas, the packages it received (with their original
 * bytes), the (area, year) datasets, disclosed overlay changes, conflicts and stored runs they
 * carried, and the packages it sent. The package file's own SQL is storage_package.h.
 */
#ifndef ACV_STORAGE_EXCHANGE_H
#define ACV_STORAGE_EXCHANGE_H

#include "storage.h"

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

#endif
