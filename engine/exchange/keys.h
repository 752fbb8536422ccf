/*
 * keys.h — Ed25519 signing keys of a workspace (libsodium) and the trust a receiving workspace
 * puts in other workspaces' keys (docs/submissions.md).
 *
 * `acvtrack keys create` makes a key pair beside the workspace file DB: the secret key in
 * DB.key (created with open(O_CREAT|O_EXCL, 0600): never replaced, never readable by others,
 * never copied into a package) and the public key in DB.pub, the file to hand to the receiver.
 * A key is named by its id: the first 16 hex digits of the SHA-256 of its 32 public-key bytes.
 *
 * `acvtrack keys trust FILE --areas CODES` records in the receiving workspace that the key in
 * FILE may submit for those areas and every area under them (a ministry trusts each city's key
 * for its city; the secretariat trusts a ministry's key for its country).
 *
 * File formats (text, one "name: value" per line after the first):
 *   acvtrack public key 1          acvtrack secret key 1
 *   id: 0123456789abcdef           id: 0123456789abcdef
 *   label: TEXT                    label: TEXT
 *   public: 64 hex digits          secret: 128 hex digits (libsodium's secret key: seed + public)
 */
#ifndef ACV_KEYS_H
#define ACV_KEYS_H

#include "error.h"
#include "storage.h"
#include "util.h"

#include <stddef.h>

#define ACV_KEY_ID_HEX 16
#define ACV_SIGNATURE_BYTES 64
#define ACV_PUBLIC_KEY_BYTES 32
#define ACV_KEY_LABEL_MAX 128

typedef struct {
    unsigned char pk[ACV_PUBLIC_KEY_BYTES];
    char id[ACV_KEY_ID_HEX + 1];
    char hex[2 * ACV_PUBLIC_KEY_BYTES + 1];
    char label[ACV_KEY_LABEL_MAX];
} acv_public_key;

typedef struct {
    unsigned char sk[64];
    acv_public_key pub;
} acv_secret_key;

/* The key files of the workspace at db_path: DB.key and DB.pub (malloc'd; NULL on OOM). */
char *acv_keys_secret_path(const char *db_path);
char *acv_keys_public_path(const char *db_path);

/* Makes a key pair for the workspace at db_path, labelled label (NULL: the workspace path).
 * Refuses when DB.key exists already. On failure neither file is left behind. */
acv_status acv_keys_create(const char *db_path, const char *label, acv_public_key *out,
                           acv_error *err);

/* Loads the workspace's secret key; ACV_ERR_NOTFOUND when there is none ("run acvtrack keys
 * create"), ACV_ERR_INPUT when the file is damaged or readable by others than its owner. */
acv_status acv_keys_load_secret(const char *db_path, acv_secret_key *out, acv_error *err);
/* Wipes a loaded secret key. */
void acv_keys_wipe(acv_secret_key *k);

/* Reads a public key file (errors "FILE:LINE: ..."). */
acv_status acv_public_key_read(const char *path, acv_public_key *out, acv_error *err);
/* A public key from its 64 hex digits (as packages and the workspace store it). */
acv_status acv_public_key_from_hex(const char *hex, const char *label, acv_public_key *out,
                                   acv_error *err);

/* Signs len bytes; detached Ed25519 signature. */
void acv_sign(const acv_secret_key *k, const void *msg, size_t len,
              unsigned char sig[ACV_SIGNATURE_BYTES]);
/* 1 when sig is k's signature of the bytes. */
int acv_verify(const acv_public_key *k, const void *msg, size_t len,
               const unsigned char sig[ACV_SIGNATURE_BYTES]);
/* The same for a whole file (at most max bytes). */
acv_status acv_sign_file(const acv_secret_key *k, const char *path, size_t max,
                         unsigned char sig[ACV_SIGNATURE_BYTES], acv_error *err);
acv_status acv_verify_file(const acv_public_key *k, const char *path, size_t max,
                           const unsigned char sig[ACV_SIGNATURE_BYTES], int *valid,
                           acv_error *err);

/* `keys trust`: records that the key may submit for the areas (each must exist in the
 * workspace), replacing the areas it had; one transaction. */
acv_status acv_keys_trust(acv_store *s, const acv_public_key *k, const char *const *areas,
                          size_t n_areas, acv_error *err);

/* The parent of an area code as a caller knows it (a package's areas for codes the workspace
 * does not hold yet); NULL when it does not know. */
typedef const char *(*acv_parent_fn)(void *ud, const char *area);

/* 1 when the trusted key key_id may submit for area: the area or one above it (its parent as the
 * workspace holds it, else as parent_of says) is one of the key's areas. */
int acv_keys_may_submit(acv_store *s, const char *key_id, const char *area, acv_parent_fn parent_of,
                        void *ud);

/* `keys list`: the workspace's own key (when DB.key exists) and every trusted key with its
 * areas, as text. */
acv_status acv_keys_list_text(acv_store *s, const char *db_path, acv_buf *out, acv_error *err);

#endif
