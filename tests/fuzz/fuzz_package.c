/*
 * fuzz_package.c — libFuzzer harness for the submission package reader
 * (engine/exchange/submission.h, engine/store/storage_package.h).
 *
 * The input is a package file. It goes through the whole check a receive makes
 * (acv_package_open_bytes: header, tables, signature, content hash, manifest) and, since a
 * mutated file almost never keeps a valid signature, also straight through the store's reader
 * of a package database: its tables, its content hash and every row reader. The oracle, besides
 * the sanitizers: a package accepted by the full check has a content hash that matches its
 * manifest and a submission id that is that hash's first 16 digits.
 */
#include "storage_package.h"
#include "submission.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_obs(void *ud, const acv_pkg_obs *o)
{
    (void)ud;
    return o->area == NULL; /* the reader never hands out a row without its key */
}

static int on_answer(void *ud, const acv_pkg_answer *a)
{
    (void)ud;
    return a->question == NULL;
}

static int on_run(void *ud, const acv_pkg_run *r)
{
    (void)ud;
    return r->area == NULL;
}

static int on_area(void *ud, const acv_area *a)
{
    (void)ud;
    return a->code == NULL;
}

static int on_forwarded(void *ud, long seq, const char *id, const char *hash,
                        const unsigned char *package, size_t len)
{
    (void)ud;
    (void)seq;
    (void)package;
    (void)len;
    return id == NULL || hash == NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    acv_error err;
    acv_error_clear(&err);
    acv_package *p = NULL;
    if (acv_package_open_bytes(data, size, "fuzz.acvs", &p, &err) == ACV_OK) {
        char hash[65];
        if (acv_pkgdb_content_hash(p->db, hash, &err) != ACV_OK ||
            strcmp(hash, p->content_hash) != 0 || strncmp(hash, p->submission_id, 16) != 0)
            abort();
        acv_package_free(p);
    }
    /* the store's reader alone, on a copy (deserialize reads the caller's bytes in place) */
    if (size < 100)
        return 0;
    unsigned char *copy = malloc(size);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    acv_pkgdb *db = NULL;
    if (acv_pkgdb_open_bytes(copy, size, "fuzz.acvs", &db, &err) == ACV_OK) {
        char hash[65], buf[256];
        (void)acv_pkgdb_content_hash(db, hash, &err);
        (void)acv_pkgdb_get(db, "kind", buf, sizeof buf, &err);
        (void)acv_pkgdb_each_observation(db, on_obs, NULL, &err);
        (void)acv_pkgdb_each_answer(db, on_answer, NULL, &err);
        (void)acv_pkgdb_each_run(db, on_run, NULL, &err);
        (void)acv_pkgdb_each_area(db, on_area, NULL, &err);
        (void)acv_pkgdb_each_forwarded(db, on_forwarded, NULL, &err);
        (void)acv_pkgdb_count(db, "observations");
        acv_pkgdb_close(db);
    }
    free(copy);
    return 0;
}
