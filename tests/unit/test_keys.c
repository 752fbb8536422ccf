/*
 * test_keys.c — engine/exchange/keys.h: key files, Ed25519 signatures against RFC 8032's first
 * test vector, the secret key's mode, and trust by area with its parents.
 */
#include "keys.h"
#include "storage_exchange.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* RFC 8032, section 7.1, TEST 1: secret key (seed), public key, empty message, signature. */
#define RFC_SEED "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
#define RFC_PUBLIC "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
#define RFC_SIGNATURE                                                                              \
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9" \
    "b4"                                                                                           \
    "6bd25bf5f0595bbe24655141438e7a100b"
/* sha256(public key bytes), first 16 hex digits (worked out with Python's hashlib) */
#define RFC_KEY_ID "21fe31dfa154a261"

static void hex_to_bytes(const char *hex, unsigned char *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (unsigned char)v;
    }
}

/* A workspace path whose DB.key holds the RFC key, written with mode 0600. */
static char *rfc_workspace(const char *tag)
{
    const char *dir = acv_test_tmpdir(tag);
    char *db = acv_test_write(dir, "acvtrack.db", "");
    char text[512];
    snprintf(text, sizeof text,
             "acvtrack secret key 1\nid: " RFC_KEY_ID "\nlabel: RFC 8032\nsecret: %s%s\n", RFC_SEED,
             RFC_PUBLIC);
    char *key = acv_test_write(dir, "acvtrack.db.key", text);
    assert_int_equal(chmod(key, 0600), 0);
    free(key);
    return db;
}

static void test_rfc8032_signature(void **state)
{
    (void)state;
    char *db = rfc_workspace("keys-rfc");
    acv_secret_key k;
    acv_error err = {0};
    assert_int_equal(acv_keys_load_secret(db, &k, &err), ACV_OK);
    assert_string_equal(k.pub.hex, RFC_PUBLIC);
    assert_string_equal(k.pub.id, RFC_KEY_ID);
    assert_string_equal(k.pub.label, "RFC 8032");
    unsigned char sig[64], want[64];
    acv_sign(&k, "", 0, sig);
    hex_to_bytes(RFC_SIGNATURE, want, 64);
    assert_memory_equal(sig, want, 64);
    assert_int_equal(acv_verify(&k.pub, "", 0, sig), 1);
    /* one bit changed in the message or the signature, and it no longer verifies */
    assert_int_equal(acv_verify(&k.pub, "x", 1, sig), 0);
    sig[10] ^= 1;
    assert_int_equal(acv_verify(&k.pub, "", 0, sig), 0);
    acv_keys_wipe(&k);
    free(db);
}

static void test_create_makes_private_secret(void **state)
{
    (void)state;
    const char *dir = acv_test_tmpdir("keys-create");
    char *db = acv_test_write(dir, "ws.db", "");
    acv_public_key pub;
    acv_error err = {0};
    assert_int_equal(acv_keys_create(db, "City A", &pub, &err), ACV_OK);
    char *sec = acv_keys_secret_path(db), *pubp = acv_keys_public_path(db);
    struct stat sb;
    assert_int_equal(stat(sec, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    /* the public key file reads back as the same key; the secret key signs for it */
    acv_public_key read;
    assert_int_equal(acv_public_key_read(pubp, &read, &err), ACV_OK);
    assert_string_equal(read.hex, pub.hex);
    assert_string_equal(read.id, pub.id);
    assert_string_equal(read.label, "City A");
    acv_secret_key k;
    assert_int_equal(acv_keys_load_secret(db, &k, &err), ACV_OK);
    unsigned char sig[64];
    acv_sign(&k, "abc", 3, sig);
    assert_int_equal(acv_verify(&read, "abc", 3, sig), 1);
    acv_keys_wipe(&k);
    /* a second create is refused and leaves the first key as it was */
    char *before = acv_test_read(sec);
    assert_int_equal(acv_keys_create(db, "again", &pub, &err), ACV_ERR_INPUT);
    assert_non_null(strstr(err.message, "has a signing key already"));
    char *after = acv_test_read(sec);
    assert_string_equal(before, after);
    /* a secret key others can read is refused */
    assert_int_equal(chmod(sec, 0644), 0);
    assert_int_equal(acv_keys_load_secret(db, &k, &err), ACV_ERR_INPUT);
    assert_non_null(strstr(err.message, "readable by others (mode 644)"));
    free(before);
    free(after);
    free(sec);
    free(pubp);
    free(db);
}

static void test_public_key_file_errors(void **state)
{
    (void)state;
    const char *dir = acv_test_tmpdir("keys-files");
    acv_public_key k;
    acv_error err = {0};
    char *p = acv_test_write(dir, "a.pub", "hello\n");
    assert_int_equal(acv_public_key_read(p, &k, &err), ACV_ERR_INPUT);
    assert_non_null(strstr(err.message, ":1: not an acvtrack public key file"));
    free(p);
    p = acv_test_write(dir, "b.pub", "acvtrack public key 1\nid: 21fe31dfa154a261\npublic: abcd\n");
    assert_int_equal(acv_public_key_read(p, &k, &err), ACV_ERR_INPUT);
    assert_non_null(strstr(err.message, "b.pub:3: 'public:' is not 64 hex digits"));
    free(p);
    p = acv_test_write(dir, "c.pub",
                       "acvtrack public key 1\nid: 0000000000000000\npublic: " RFC_PUBLIC "\n");
    assert_int_equal(acv_public_key_read(p, &k, &err), ACV_ERR_INPUT);
    assert_non_null(strstr(err.message, "c.pub:2: id 0000000000000000 does not match the public "
                                        "key (its id is " RFC_KEY_ID ")"));
    free(p);
}

static const char *package_parent(void *ud, const char *area)
{
    (void)ud;
    return strcmp(area, "NEWTOWN") == 0 ? "TH" : NULL;
}

static void test_trust_covers_areas_below(void **state)
{
    (void)state;
    const char *dir = acv_test_tmpdir("keys-trust");
    char *db = acv_path_join(dir, "ws.db");
    acv_store *s = NULL;
    acv_error err = {0};
    acv_store_options o = {.create = 1};
    assert_int_equal(acv_store_open(db, &o, &s, &err), ACV_OK);
    assert_int_equal(acv_store_begin(s, &err), ACV_OK);
    acv_area th = {.code = "TH", .name = "Thailand", .level = "country", .country = "TH"};
    acv_area bkk = {
        .code = "TH-BKK", .name = "Bangkok", .level = "city", .parent_code = "TH", .country = "TH"};
    acv_area vn = {.code = "VN", .name = "Viet Nam", .level = "country", .country = "VN"};
    int changed;
    assert_int_equal(acv_store_put_area(s, &th, &changed, &err), ACV_OK);
    assert_int_equal(acv_store_put_area(s, &bkk, &changed, &err), ACV_OK);
    assert_int_equal(acv_store_put_area(s, &vn, &changed, &err), ACV_OK);
    assert_int_equal(acv_store_commit(s, &err), ACV_OK);
    acv_public_key k;
    assert_int_equal(acv_public_key_from_hex(RFC_PUBLIC, "ministry", &k, &err), ACV_OK);
    const char *areas[] = {"TH"};
    assert_int_equal(acv_keys_trust(s, &k, areas, 1, &err), ACV_OK);
    assert_int_equal(acv_keys_may_submit(s, RFC_KEY_ID, "TH", NULL, NULL), 1);
    assert_int_equal(acv_keys_may_submit(s, RFC_KEY_ID, "TH-BKK", NULL, NULL), 1);
    assert_int_equal(acv_keys_may_submit(s, RFC_KEY_ID, "VN", NULL, NULL), 0);
    /* an area the workspace does not hold yet: its parent as the package says */
    assert_int_equal(acv_keys_may_submit(s, RFC_KEY_ID, "NEWTOWN", NULL, NULL), 0);
    assert_int_equal(acv_keys_may_submit(s, RFC_KEY_ID, "NEWTOWN", package_parent, NULL), 1);
    assert_int_equal(acv_keys_may_submit(s, "0000000000000000", "TH", NULL, NULL), 0);
    /* trusting again replaces the areas */
    const char *vn_only[] = {"VN"};
    assert_int_equal(acv_keys_trust(s, &k, vn_only, 1, &err), ACV_OK);
    assert_int_equal(acv_keys_may_submit(s, RFC_KEY_ID, "TH-BKK", NULL, NULL), 0);
    assert_int_equal(acv_keys_may_submit(s, RFC_KEY_ID, "VN", NULL, NULL), 1);
    /* an unknown area is refused and nothing changes */
    const char *bad[] = {"TH", "XX"};
    assert_int_equal(acv_keys_trust(s, &k, bad, 2, &err), ACV_ERR_NOTFOUND);
    assert_string_equal(err.message,
                        "area 'XX' is not in this workspace (see 'acvtrack areas list')");
    assert_int_equal(acv_keys_may_submit(s, RFC_KEY_ID, "TH", NULL, NULL), 0);
    char pk[65], label[64];
    assert_int_equal(acv_store_trusted_key(s, RFC_KEY_ID, pk, label, sizeof label, &err), ACV_OK);
    assert_string_equal(pk, RFC_PUBLIC);
    assert_string_equal(label, "ministry");
    acv_store_close(s);
    free(db);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_rfc8032_signature),
    cmocka_unit_test(test_create_makes_private_secret),
    cmocka_unit_test(test_public_key_file_errors),
    cmocka_unit_test(test_trust_covers_areas_below),
};

ACV_TEST_MAIN("keys", tests)
