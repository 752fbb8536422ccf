/*
 * keys.c — key pairs, key files, signatures and trust (keys.h).
 */
#include "keys.h"
#include "atomicfile.h"
#include "storage_exchange.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_FILE_MAX 4096

static acv_status need_sodium(acv_error *err)
{
    if (sodium_init() < 0)
        return acv_error_set(err, ACV_ERR_IO, "libsodium could not be initialised");
    return ACV_OK;
}

static char *with_suffix(const char *path, const char *suffix)
{
    size_t n = strlen(path), k = strlen(suffix);
    char *p = malloc(n + k + 1);
    if (p) {
        memcpy(p, path, n);
        memcpy(p + n, suffix, k + 1);
    }
    return p;
}

char *acv_keys_secret_path(const char *db_path)
{
    return with_suffix(db_path, ".key");
}

char *acv_keys_public_path(const char *db_path)
{
    return with_suffix(db_path, ".pub");
}

static void key_id(const unsigned char pk[ACV_PUBLIC_KEY_BYTES], char id[ACV_KEY_ID_HEX + 1])
{
    acv_sha256 h;
    char hex[65];
    acv_sha256_init(&h);
    acv_sha256_update(&h, pk, ACV_PUBLIC_KEY_BYTES);
    acv_sha256_final_hex(&h, hex);
    memcpy(id, hex, ACV_KEY_ID_HEX);
    id[ACV_KEY_ID_HEX] = '\0';
}

/* A label on one line of printable text. */
static void set_label(char dst[ACV_KEY_LABEL_MAX], const char *label)
{
    size_t j = 0;
    for (const char *p = label ? label : ""; *p && j + 1 < ACV_KEY_LABEL_MAX; p++)
        dst[j++] = (unsigned char)*p < 0x20 ? ' ' : *p;
    dst[j] = '\0';
}

static void fill_public(acv_public_key *k, const char *label)
{
    key_id(k->pk, k->id);
    sodium_bin2hex(k->hex, sizeof k->hex, k->pk, sizeof k->pk);
    set_label(k->label, label);
}

acv_status acv_public_key_from_hex(const char *hex, const char *label, acv_public_key *out,
                                   acv_error *err)
{
    memset(out, 0, sizeof *out);
    size_t n = 0;
    if (!hex || strlen(hex) != 2 * ACV_PUBLIC_KEY_BYTES ||
        sodium_hex2bin(out->pk, sizeof out->pk, hex, strlen(hex), NULL, &n, NULL) != 0 ||
        n != ACV_PUBLIC_KEY_BYTES)
        return acv_error_set(err, ACV_ERR_INPUT, "a public key is 64 hex digits");
    fill_public(out, label);
    return ACV_OK;
}

/* Finds "name: value" in a key file's text; returns the value's line number or 0. */
static long field(const char *text, const char *name, char *value, size_t size)
{
    long line = 1;
    size_t k = strlen(name);
    for (const char *p = text; *p; line++) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > k + 1 && strncmp(p, name, k) == 0 && p[k] == ':' && p[k + 1] == ' ') {
            size_t vlen = len - k - 2;
            if (vlen >= size)
                vlen = size - 1;
            memcpy(value, p + k + 2, vlen);
            value[vlen] = '\0';
            return line;
        }
        if (!end)
            break;
        p = end + 1;
    }
    return 0;
}

static acv_status read_key_text(const char *path, const char *first, const char *what, char **out,
                                acv_error *err)
{
    size_t len = 0;
    int rc = acv_read_file(path, KEY_FILE_MAX, out, &len);
    if (rc == -2)
        return acv_error_set(err, ACV_ERR_INPUT, "%s: not an acvtrack key file (too large)", path);
    if (rc != 0) {
        if (errno == ENOENT)
            return acv_error_set(err, ACV_ERR_NOTFOUND, "%s: no such file", path);
        return acv_error_set(err, ACV_ERR_IO, "%s: cannot read: %s", path, strerror(errno));
    }
    size_t k = strlen(first);
    if (len < k + 1 || strncmp(*out, first, k) != 0 || (*out)[k] != '\n') {
        free(*out);
        *out = NULL;
        return acv_error_set(err, ACV_ERR_INPUT,
                             "%s:1: not an acvtrack %s file (it starts with '%s')", path, what,
                             first);
    }
    return ACV_OK;
}

acv_status acv_public_key_read(const char *path, acv_public_key *out, acv_error *err)
{
    char *text = NULL;
    acv_status st = read_key_text(path, "acvtrack public key 1", "public key", &text, err);
    if (st != ACV_OK)
        return st;
    char hex[160] = "", label[ACV_KEY_LABEL_MAX] = "", id[64] = "";
    long line = field(text, "public", hex, sizeof hex);
    field(text, "label", label, sizeof label);
    long id_line = field(text, "id", id, sizeof id);
    free(text);
    if (!line)
        return acv_error_at(err, ACV_ERR_INPUT, path, 1, 0, "no 'public:' line");
    if (acv_public_key_from_hex(hex, label, out, err) != ACV_OK)
        return acv_error_at(err, ACV_ERR_INPUT, path, line, 0, "'public:' is not 64 hex digits");
    if (id_line && strcmp(id, out->id) != 0)
        return acv_error_at(err, ACV_ERR_INPUT, path, id_line, 0,
                            "id %s does not match the public key (its id is %s)", id, out->id);
    return ACV_OK;
}

acv_status acv_keys_load_secret(const char *db_path, acv_secret_key *out, acv_error *err)
{
    memset(out, 0, sizeof *out);
    acv_status st = need_sodium(err);
    if (st != ACV_OK)
        return st;
    char *path = acv_keys_secret_path(db_path);
    if (!path)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    struct stat sb;
    if (stat(path, &sb) != 0) {
        st = errno == ENOENT ? acv_error_set(err, ACV_ERR_NOTFOUND,
                                             "%s: this workspace has no signing key (make one "
                                             "with 'acvtrack keys create')",
                                             path)
                             : acv_error_set(err, ACV_ERR_IO, "%s: %s", path, strerror(errno));
        free(path);
        return st;
    }
    if (sb.st_mode & 077) {
        st = acv_error_set(err, ACV_ERR_INPUT,
                           "%s: the secret key is readable by others (mode %03o); refusing to "
                           "use it (chmod 600 it, or make a new key)",
                           path, (unsigned)(sb.st_mode & 0777));
        free(path);
        return st;
    }
    char *text = NULL;
    st = read_key_text(path, "acvtrack secret key 1", "secret key", &text, err);
    if (st != ACV_OK) {
        free(path);
        return st;
    }
    char hex[300] = "", label[ACV_KEY_LABEL_MAX] = "";
    long line = field(text, "secret", hex, sizeof hex);
    field(text, "label", label, sizeof label);
    sodium_memzero(text, strlen(text));
    free(text);
    size_t n = 0;
    if (!line || strlen(hex) != 128 ||
        sodium_hex2bin(out->sk, sizeof out->sk, hex, 128, NULL, &n, NULL) != 0 || n != 64) {
        sodium_memzero(hex, sizeof hex);
        st = acv_error_at(err, ACV_ERR_INPUT, path, line ? line : 1, 0,
                          "no 'secret:' line of 128 hex digits");
        free(path);
        return st;
    }
    sodium_memzero(hex, sizeof hex);
    /* the public key is the second half of libsodium's secret key; check the pair holds */
    unsigned char pk[ACV_PUBLIC_KEY_BYTES];
    crypto_sign_ed25519_sk_to_pk(pk, out->sk);
    unsigned char seed[32], check_pk[32], check_sk[64];
    crypto_sign_ed25519_sk_to_seed(seed, out->sk);
    crypto_sign_seed_keypair(check_pk, check_sk, seed);
    sodium_memzero(seed, sizeof seed);
    sodium_memzero(check_sk, sizeof check_sk);
    if (memcmp(check_pk, pk, sizeof pk) != 0) {
        acv_keys_wipe(out);
        st = acv_error_at(err, ACV_ERR_INPUT, path, line, 0, "the secret key is damaged");
        free(path);
        return st;
    }
    free(path);
    memcpy(out->pub.pk, pk, sizeof pk);
    fill_public(&out->pub, label);
    return ACV_OK;
}

void acv_keys_wipe(acv_secret_key *k)
{
    sodium_memzero(k, sizeof *k);
}

acv_status acv_keys_create(const char *db_path, const char *label, acv_public_key *out,
                           acv_error *err)
{
    acv_status st = need_sodium(err);
    if (st != ACV_OK)
        return st;
    char *secret_path = acv_keys_secret_path(db_path);
    char *public_path = acv_keys_public_path(db_path);
    if (!secret_path || !public_path) {
        free(secret_path);
        free(public_path);
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    }
    acv_secret_key k;
    crypto_sign_keypair(k.pub.pk, k.sk);
    fill_public(&k.pub, label ? label : db_path);
    char sk_hex[129];
    sodium_bin2hex(sk_hex, sizeof sk_hex, k.sk, sizeof k.sk);
    acv_buf secret = {0}, public = {0};
    acv_buf_printf(&secret, "acvtrack secret key 1\nid: %s\nlabel: %s\nsecret: %s\n", k.pub.id,
                   k.pub.label, sk_hex);
    acv_buf_printf(&public, "acvtrack public key 1\nid: %s\nlabel: %s\npublic: %s\n", k.pub.id,
                   k.pub.label, k.pub.hex);
    sodium_memzero(sk_hex, sizeof sk_hex);
    if (secret.failed || public.failed) {
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
        goto done;
    }
    int fd = open(secret_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        st = errno == EEXIST
                 ? acv_error_set(err, ACV_ERR_INPUT,
                                 "%s: the workspace has a signing key already; a new one would "
                                 "make every receiver's trust in it useless (remove the file "
                                 "first if you really mean to replace it)",
                                 secret_path)
                 : acv_error_set(err, ACV_ERR_IO, "%s: cannot create: %s", secret_path,
                                 strerror(errno));
        goto done;
    }
    size_t off = 0;
    while (off < secret.len) {
        ssize_t w = write(fd, secret.data + off, secret.len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    int ok = off == secret.len && fsync(fd) == 0;
    int saved = errno;
    if (close(fd) != 0)
        ok = 0;
    if (!ok) {
        unlink(secret_path);
        st = acv_error_set(err, ACV_ERR_IO, "%s: cannot write: %s", secret_path, strerror(saved));
        goto done;
    }
    st = acv_write_file_atomic(public_path, public.data, public.len, 0, err);
    if (st != ACV_OK) {
        unlink(secret_path);
        goto done;
    }
    *out = k.pub;
done:
    sodium_memzero(secret.data, secret.len);
    acv_buf_free(&secret);
    acv_buf_free(&public);
    acv_keys_wipe(&k);
    free(secret_path);
    free(public_path);
    return st;
}

void acv_sign(const acv_secret_key *k, const void *msg, size_t len,
              unsigned char sig[ACV_SIGNATURE_BYTES])
{
    crypto_sign_detached(sig, NULL, msg, len, k->sk);
}

int acv_verify(const acv_public_key *k, const void *msg, size_t len,
               const unsigned char sig[ACV_SIGNATURE_BYTES])
{
    if (sodium_init() < 0)
        return 0;
    return crypto_sign_verify_detached(sig, msg, len, k->pk) == 0;
}

static acv_status read_whole(const char *path, size_t max, char **data, size_t *len, acv_error *err)
{
    int rc = acv_read_file(path, max, data, len);
    if (rc == -2)
        return acv_error_set(err, ACV_ERR_INPUT, "%s: larger than %zu bytes", path, max);
    if (rc != 0)
        return acv_error_set(err, ACV_ERR_IO, "%s: cannot read: %s", path, strerror(errno));
    return ACV_OK;
}

acv_status acv_sign_file(const acv_secret_key *k, const char *path, size_t max,
                         unsigned char sig[ACV_SIGNATURE_BYTES], acv_error *err)
{
    char *data = NULL;
    size_t len = 0;
    acv_status st = read_whole(path, max, &data, &len, err);
    if (st == ACV_OK)
        acv_sign(k, data, len, sig);
    free(data);
    return st;
}

acv_status acv_verify_file(const acv_public_key *k, const char *path, size_t max,
                           const unsigned char sig[ACV_SIGNATURE_BYTES], int *valid, acv_error *err)
{
    char *data = NULL;
    size_t len = 0;
    *valid = 0;
    acv_status st = read_whole(path, max, &data, &len, err);
    if (st == ACV_OK)
        *valid = acv_verify(k, data, len, sig);
    free(data);
    return st;
}

acv_status acv_keys_trust(acv_store *s, const acv_public_key *k, const char *const *areas,
                          size_t n_areas, acv_error *err)
{
    if (n_areas == 0)
        return acv_error_set(err, ACV_ERR_USAGE, "keys trust needs --areas CODE[,CODE...]");
    for (size_t i = 0; i < n_areas; i++) {
        acv_area a;
        acv_status st = acv_store_get_area(s, areas[i], &a, err);
        if (st == ACV_ERR_NOTFOUND)
            return acv_error_set(err, ACV_ERR_NOTFOUND,
                                 "area '%s' is not in this workspace (see 'acvtrack areas list')",
                                 areas[i]);
        if (st != ACV_OK)
            return st;
    }
    acv_status st = acv_store_begin(s, err);
    if (st != ACV_OK)
        return st;
    st = acv_store_trust_key(s, k->id, k->hex, k->label, areas, n_areas, err);
    if (st == ACV_OK)
        st = acv_store_commit(s, err);
    if (st != ACV_OK)
        acv_store_rollback(s);
    return st;
}

#define MAX_AREA_DEPTH 32

int acv_keys_may_submit(acv_store *s, const char *key_id, const char *area, acv_parent_fn parent_of,
                        void *ud)
{
    char code[256];
    snprintf(code, sizeof code, "%s", area);
    for (int depth = 0; depth < MAX_AREA_DEPTH && code[0]; depth++) {
        if (acv_store_key_has_area(s, key_id, code))
            return 1;
        acv_area a;
        acv_error e = {0};
        const char *parent = NULL;
        if (acv_store_get_area(s, code, &a, &e) == ACV_OK)
            parent = a.parent_code;
        else if (parent_of)
            parent = parent_of(ud, code);
        if (!parent)
            return 0;
        snprintf(code, sizeof code, "%s", parent);
    }
    return 0;
}

static int list_trusted(void *ud, const acv_trusted_key *k)
{
    acv_buf *out = ud;
    acv_buf_printf(out, "trusted %s  %s  areas %s  (since %s)\n", k->key_id, k->label, k->areas,
                   k->trusted_at);
    return 0;
}

acv_status acv_keys_list_text(acv_store *s, const char *db_path, acv_buf *out, acv_error *err)
{
    acv_secret_key k;
    acv_error e = {0};
    acv_status st = acv_keys_load_secret(db_path, &k, &e);
    if (st == ACV_OK) {
        char *pub = acv_keys_public_path(db_path);
        char *sec = acv_keys_secret_path(db_path);
        acv_buf_printf(out, "own     %s  %s  (secret %s, public %s)\n", k.pub.id, k.pub.label,
                       sec ? sec : "", pub ? pub : "");
        free(pub);
        free(sec);
        acv_keys_wipe(&k);
    } else if (st == ACV_ERR_NOTFOUND) {
        acv_buf_puts(out, "own     none (make one with 'acvtrack keys create')\n");
    } else {
        acv_buf_printf(out, "own     unusable: %s\n", e.message);
    }
    size_t before = out->len;
    st = acv_store_each_trusted_key(s, list_trusted, out, err);
    if (st == ACV_OK && out->len == before)
        acv_buf_puts(out, "trusted none (add one with 'acvtrack keys trust FILE --areas CODES')\n");
    if (st == ACV_OK && out->failed)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    return st;
}
