/*
 * submission.c — create, verify, receive and forward signed packages (submission.h).
 */
#include "submission.h"
#include "atomicfile.h"
#include "import.h"
#include "review.h"
#include "sandbox.h"
#include "storage_package.h"
#include "storage_runs.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char SIGNED_PREFIX[] = "acvtrack package 1\n";

size_t acv_package_max_bytes(void)
{
    const char *env = getenv("ACVTRACK_MAX_PACKAGE_BYTES");
    if (env && *env) {
        char *end;
        unsigned long long v = strtoull(env, &end, 10);
        if (!*end && v > 0)
            return (size_t)v;
    }
    return ACV_PACKAGE_MAX_BYTES;
}

/* ---- The seal: a signature over every byte of the file but its own 64 ------------------------ */

/* The offset of the 64 signature bytes: just after the seal's random mark, which must occur
 * exactly once in the file; 0 when it does not. */
static size_t seal_offset(const unsigned char *bytes, size_t len, const unsigned char *mark)
{
    size_t found = 0;
    int count = 0;
    for (size_t i = 0; i + ACV_PACKAGE_SEAL_BYTES <= len; i++) {
        if (bytes[i] == mark[0] && memcmp(bytes + i, mark, ACV_PACKAGE_SEAL_MARK) == 0) {
            found = i + ACV_PACKAGE_SEAL_MARK;
            count++;
        }
    }
    return count == 1 ? found : 0;
}

/* What is signed: a prefix and the SHA-256 of the file with the signature bytes zeroed. */
static void signed_message(const unsigned char *bytes, size_t len, size_t off, char msg[128])
{
    static const unsigned char zeros[ACV_SIGNATURE_BYTES];
    acv_sha256 h;
    char hex[65];
    acv_sha256_init(&h);
    acv_sha256_update(&h, bytes, off);
    acv_sha256_update(&h, zeros, sizeof zeros);
    acv_sha256_update(&h, bytes + off + ACV_SIGNATURE_BYTES, len - off - ACV_SIGNATURE_BYTES);
    acv_sha256_final_hex(&h, hex);
    snprintf(msg, 128, "%s%s\n", SIGNED_PREFIX, hex);
}

/* Signs the finished package p with k and writes it to path through a temporary file. */
static acv_status seal_and_write(acv_pkgdb *p, const acv_secret_key *k, const char *path,
                                 acv_error *err)
{
    unsigned char seal[ACV_PACKAGE_SEAL_BYTES] = {0};
    randombytes_buf(seal, ACV_PACKAGE_SEAL_MARK);
    acv_status st = acv_pkgdb_set_signature(p, k->pub.id, k->pub.hex, k->pub.label, seal, err);
    if (st != ACV_OK)
        return st;
    unsigned char *bytes = NULL;
    size_t len = 0;
    if ((st = acv_pkgdb_serialize(p, &bytes, &len, err)) != ACV_OK)
        return st;
    size_t off = seal_offset(bytes, len, seal);
    if (!off) {
        acv_pkgdb_free_bytes(bytes);
        return acv_error_set(err, ACV_ERR_IO, "%s: could not place the signature in the package",
                             path);
    }
    char msg[128];
    signed_message(bytes, len, off, msg);
    acv_sign(k, msg, strlen(msg), bytes + off);
    st = acv_write_file_atomic(path, (const char *)bytes, len, 0, err);
    acv_pkgdb_free_bytes(bytes);
    return st;
}

/* ---- Opening and verifying ------------------------------------------------------------------- */

void acv_package_free(acv_package *p)
{
    if (!p)
        return;
    acv_pkgdb_close(p->db);
    free(p->bytes);
    free(p);
}

static uint32_t be32(const unsigned char *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | (uint32_t)b[3];
}

/* What the first bytes say about a file that is not a package. */
static acv_status check_header(const unsigned char *b, size_t len, const char *name, acv_error *err)
{
    if (len == 0)
        return acv_error_set(err, ACV_ERR_INPUT, "%s: not a submission package: the file is empty",
                             name);
    if (len >= 4 && memcmp(b, "PK\003\004", 4) == 0)
        return acv_error_set(err, ACV_ERR_INPUT,
                             "%s: not a submission package: it is a zip archive (send the .acvs "
                             "file itself)",
                             name);
    if (len < 100 || memcmp(b, "SQLite format 3", 16) != 0)
        return acv_error_set(err, ACV_ERR_INPUT,
                             "%s: not a submission package: not a SQLite database (or it is "
                             "truncated)",
                             name);
    uint32_t app = be32(b + 68), version = be32(b + 60);
    if (app == 0x41435654)
        return acv_error_set(err, ACV_ERR_INPUT,
                             "%s: not a submission package: it is an acvtrack workspace (make a "
                             "package with 'acvtrack submission create')",
                             name);
    if (app != ACV_PACKAGE_APPLICATION_ID)
        return acv_error_set(err, ACV_ERR_INPUT,
                             "%s: not a submission package: a SQLite database of another "
                             "application (application_id %lu)",
                             name, (unsigned long)app);
    if (version > ACV_PACKAGE_FORMAT)
        return acv_error_set(err, ACV_ERR_INPUT,
                             "%s: made by a newer acvtrack (package format %lu; this acvtrack "
                             "reads up to %d); upgrade acvtrack to receive it",
                             name, (unsigned long)version, ACV_PACKAGE_FORMAT);
    return ACV_OK;
}

static acv_status manifest_text(acv_package *p, const char *key, char *buf, size_t size,
                                acv_error *err)
{
    acv_status st = acv_pkgdb_get(p->db, key, buf, size, err);
    if (st == ACV_ERR_NOTFOUND)
        return acv_error_set(err, ACV_ERR_INPUT, "%s: damaged package: the manifest has no '%s'",
                             p->name, key);
    return st;
}

/* Takes ownership of bytes. */
static acv_status open_owned(unsigned char *bytes, size_t len, const char *name, acv_package **out,
                             acv_error *err)
{
    *out = NULL;
    acv_status st = check_header(bytes, len, name, err);
    if (st != ACV_OK) {
        free(bytes);
        return st;
    }
    acv_package *p = calloc(1, sizeof *p);
    if (!p) {
        free(bytes);
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    }
    p->bytes = bytes;
    p->len = len;
    snprintf(p->name, sizeof p->name, "%s", name);
    if ((st = acv_pkgdb_open_bytes(bytes, len, name, &p->db, err)) != ACV_OK)
        goto fail;
    /* the signature first: nothing else of a package is believed before it verifies */
    char key_id[17], pk_hex[65], label[ACV_KEY_LABEL_MAX];
    unsigned char seal[ACV_PACKAGE_SEAL_BYTES];
    if ((st = acv_pkgdb_get_signature(p->db, key_id, pk_hex, label, sizeof label, seal, err)) !=
        ACV_OK)
        goto fail;
    if (acv_public_key_from_hex(pk_hex, label, &p->signer, err) != ACV_OK ||
        strcmp(p->signer.id, key_id) != 0) {
        st = acv_error_set(err, ACV_ERR_INPUT, "%s: damaged package: its signing key is not valid",
                           name);
        goto fail;
    }
    size_t off = seal_offset(bytes, len, seal);
    char msg[128];
    if (off)
        signed_message(bytes, len, off, msg);
    if (!off || !acv_verify(&p->signer, msg, strlen(msg), bytes + off)) {
        st = acv_error_set(err, ACV_ERR_INPUT,
                           "%s: the signature does not verify: the package was changed after "
                           "key %s signed it, or it is damaged; nothing was received",
                           name, p->signer.id);
        goto fail;
    }
    char hash[65];
    if ((st = acv_pkgdb_content_hash(p->db, hash, err)) != ACV_OK)
        goto fail;
    if ((st = manifest_text(p, "content_hash", p->content_hash, sizeof p->content_hash, err)) !=
        ACV_OK)
        goto fail;
    if (strcmp(hash, p->content_hash) != 0) {
        st = acv_error_set(err, ACV_ERR_INPUT,
                           "%s: the content hash %s does not match the content (%s)", name,
                           p->content_hash, hash);
        goto fail;
    }
    struct {
        const char *key;
        char *buf;
        size_t size;
    } fields[] = {
        {"submission_id", p->submission_id, sizeof p->submission_id},
        {"kind", p->kind, sizeof p->kind},
        {"areas", p->areas, sizeof p->areas},
        {"framework_id", p->framework_id, sizeof p->framework_id},
        {"framework_version", p->framework_version, sizeof p->framework_version},
        {"framework_hash", p->framework_hash, sizeof p->framework_hash},
        {"overlay", p->overlay, sizeof p->overlay},
        {"overlay_hash", p->overlay_hash, sizeof p->overlay_hash},
        {"methods_hash", p->methods_hash, sizeof p->methods_hash},
        {"acvtrack_version", p->acvtrack_version, sizeof p->acvtrack_version},
        {"created_at", p->created_at, sizeof p->created_at},
    };
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        if ((st = manifest_text(p, fields[i].key, fields[i].buf, fields[i].size, err)) != ACV_OK)
            goto fail;
    char year[32];
    if ((st = manifest_text(p, "first_year", year, sizeof year, err)) != ACV_OK)
        goto fail;
    p->first_year = atoi(year);
    if ((st = manifest_text(p, "last_year", year, sizeof year, err)) != ACV_OK)
        goto fail;
    p->last_year = atoi(year);
    if (strcmp(p->kind, "submission") != 0 && strcmp(p->kind, "forward") != 0) {
        st = acv_error_set(err, ACV_ERR_INPUT,
                           "%s: a package of kind '%s' this acvtrack does not "
                           "know; upgrade acvtrack to receive it",
                           name, p->kind);
        goto fail;
    }
    if (strncmp(p->content_hash, p->submission_id, 16) != 0) {
        st =
            acv_error_set(err, ACV_ERR_INPUT,
                          "%s: damaged package: its submission id is not its content hash's", name);
        goto fail;
    }
    *out = p;
    return ACV_OK;
fail:
    acv_package_free(p);
    return st;
}

acv_status acv_package_open_file(const char *path, size_t max, acv_package **out, acv_error *err)
{
    *out = NULL;
    char *data = NULL;
    size_t len = 0;
    int rc = acv_read_file(path, max, &data, &len);
    if (rc == -2)
        return acv_error_set(err, ACV_ERR_INPUT,
                             "%s: larger than the %zu bytes a package may have (set "
                             "ACVTRACK_MAX_PACKAGE_BYTES to allow more); nothing was received",
                             path, max);
    if (rc != 0)
        return acv_error_set(err, ACV_ERR_IO, "%s: cannot read: %s", path, strerror(errno));
    return open_owned((unsigned char *)data, len, path, out, err);
}

acv_status acv_package_open_bytes(const unsigned char *bytes, size_t len, const char *name,
                                  acv_package **out, acv_error *err)
{
    *out = NULL;
    unsigned char *copy = malloc(len ? len : 1);
    if (!copy)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    if (len)
        memcpy(copy, bytes, len);
    return open_owned(copy, len, name, out, err);
}

/* ---- Create ---------------------------------------------------------------------------------- */

typedef struct {
    acv_pkgdb *db;
    acv_error *err;
    acv_status st;
    long n;
    int first_year, last_year;
    int64_t *run_ids; /* the stored runs the package carries (their references) */
    size_t n_runs, cap_runs;
} copy_state;

static int copy_fail(copy_state *c, acv_status st)
{
    c->st = st;
    return st != ACV_OK;
}

static int copy_area(void *ud, const acv_area *a)
{
    copy_state *c = ud;
    c->n++;
    return copy_fail(c, acv_pkgdb_add_area(c->db, a, c->err));
}

static int copy_series(void *ud, const char *code, const char *name, const char *unit)
{
    copy_state *c = ud;
    return copy_fail(c, acv_pkgdb_add_series(c->db, code, name, unit ? unit : "", c->err));
}

static void note_year(copy_state *c, const char *period)
{
    int y = atoi(period);
    if (y <= 0)
        return;
    if (!c->first_year || y < c->first_year)
        c->first_year = y;
    if (y > c->last_year)
        c->last_year = y;
}

static int copy_observation(void *ud, const acv_pkg_obs *o)
{
    copy_state *c = ud;
    c->n++;
    note_year(c, o->period);
    return copy_fail(c, acv_pkgdb_add_observation(c->db, o, c->err));
}

static int copy_revision(void *ud, const acv_pkg_obs *o)
{
    copy_state *c = ud;
    c->n++;
    return copy_fail(c, acv_pkgdb_add_revision(c->db, o, c->err));
}

static int copy_answer(void *ud, const acv_pkg_answer *a)
{
    copy_state *c = ud;
    c->n++;
    return copy_fail(c, acv_pkgdb_add_answer(c->db, a, c->err));
}

static int copy_run(void *ud, const acv_pkg_run *r)
{
    copy_state *c = ud;
    c->n++;
    if (c->n_runs == c->cap_runs) {
        size_t cap = c->cap_runs ? 2 * c->cap_runs : 16;
        int64_t *grown = realloc(c->run_ids, cap * sizeof *grown);
        if (!grown)
            return copy_fail(c, acv_error_set(c->err, ACV_ERR_NOMEM, "out of memory"));
        c->run_ids = grown;
        c->cap_runs = cap;
    }
    c->run_ids[c->n_runs++] = r->run_key;
    return copy_fail(c, acv_pkgdb_add_run(c->db, r, c->err));
}

static int copy_result(void *ud, const acv_pkg_result *r)
{
    copy_state *c = ud;
    return copy_fail(c, acv_pkgdb_add_result(c->db, r, c->err));
}

static void utc_now(char buf[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The manifest every package has; the content hash and submission id come last (set_identity). */
static acv_status put_manifest(acv_ctx *ctx, acv_pkgdb *db, const char *kind, const char *area,
                               const acv_secret_key *k, int first_year, int last_year,
                               int64_t since, int full, acv_error *err)
{
    const acv_framework *fw = ctx->fw;
    char shared_hash[65], methods[65] = "";
    snprintf(shared_hash, sizeof shared_hash, "%s", fw->hash);
    if (ctx->overlay_dir) {
        /* the shared framework's own hash, without the overlay */
        acv_framework *plain = NULL;
        acv_error e = {0};
        if (acv_framework_load(ctx->framework_dir, &plain, &e) == ACV_OK)
            snprintf(shared_hash, sizeof shared_hash, "%s", plain->hash);
        acv_framework_free(plain);
    }
    if (ctx->lua)
        acv_lua_scripts_hash(ctx->lua, methods);
    char created[32], y1[16], y2[16], since_text[32];
    utc_now(created);
    snprintf(y1, sizeof y1, "%d", first_year);
    snprintf(y2, sizeof y2, "%d", last_year);
    snprintf(since_text, sizeof since_text, "%lld", (long long)since);
    const char *const pairs[][2] = {
        {"format", "1"},
        {"kind", kind},
        {"areas", area},
        {"first_year", y1},
        {"last_year", y2},
        {"framework_id", fw->id ? fw->id : ""},
        {"framework_version", fw->version ? fw->version : ""},
        {"framework_hash", shared_hash},
        {"overlay", fw->overlay_name ? fw->overlay_name : ""},
        {"overlay_hash", ctx->overlay_dir ? fw->hash : ""},
        {"methods_hash", methods},
        {"acvtrack_version", ACV_VERSION},
        {"created_at", created},
        {"since_submission", since_text},
        {"full", full ? "1" : "0"},
        {"sender_key", k->pub.id},
        {"sender_label", k->pub.label},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        acv_status st = acv_pkgdb_set(db, pairs[i][0], pairs[i][1], err);
        if (st != ACV_OK)
            return st;
    }
    for (size_t i = 0; i < fw->n_changes; i++) {
        acv_status st = acv_pkgdb_add_overlay_change(db, (long)i + 1, fw->changes[i], err);
        if (st != ACV_OK)
            return st;
    }
    return ACV_OK;
}

/* Computes the content hash and records it with the submission id (its first 16 digits). */
static acv_status set_identity(acv_pkgdb *db, acv_submission_summary *out, acv_error *err)
{
    acv_status st = acv_pkgdb_content_hash(db, out->content_hash, err);
    if (st != ACV_OK)
        return st;
    memcpy(out->submission_id, out->content_hash, 16);
    out->submission_id[16] = '\0';
    st = acv_pkgdb_set(db, "content_hash", out->content_hash, err);
    if (st == ACV_OK)
        st = acv_pkgdb_set(db, "submission_id", out->submission_id, err);
    return st;
}

/* Records the package sent and, in the same transaction, a "submission" reference from each
 * stored run it carries (runs, n of them), so that `runs prune` keeps them. */
static acv_status record_sent(acv_ctx *ctx, const acv_submission_request *req, const char *kind,
                              int64_t since, const int64_t *runs, size_t n,
                              acv_submission_summary *out, acv_error *err)
{
    acv_sent sent = {
        .submission_id = out->submission_id,
        .content_hash = out->content_hash,
        .kind = kind,
        .areas = req->area,
        .file = req->output,
        .first_year = out->first_year,
        .last_year = out->last_year,
        .through_import = out->through_import,
        .since_sent = since,
    };
    acv_status st = acv_store_begin(ctx->store, err);
    if (st != ACV_OK)
        return st;
    st = acv_store_add_sent(ctx->store, &sent, &out->sent_id, err);
    for (size_t i = 0; st == ACV_OK && i < n; i++)
        st = acv_store_run_reference(ctx->store, runs[i], "submission", out->submission_id, err);
    if (st == ACV_OK)
        st = acv_store_commit(ctx->store, err);
    if (st != ACV_OK)
        acv_store_rollback(ctx->store);
    return st;
}

static acv_status check_area(acv_ctx *ctx, const char *code, acv_error *err)
{
    acv_area a;
    acv_status st = acv_store_get_area(ctx->store, code, &a, err);
    if (st == ACV_ERR_NOTFOUND)
        return acv_error_set(err, ACV_ERR_NOTFOUND,
                             "area '%s' is not in this workspace (see 'acvtrack areas list')",
                             code);
    return st;
}

acv_status acv_submission_create(acv_ctx *ctx, const acv_submission_request *req,
                                 acv_submission_summary *out, acv_error *err)
{
    memset(out, 0, sizeof *out);
    acv_status st = check_area(ctx, req->area, err);
    if (st != ACV_OK)
        return st;
    acv_secret_key k;
    if ((st = acv_keys_load_secret(ctx->db_path, &k, err)) != ACV_OK)
        return st;
    snprintf(out->key_id, sizeof out->key_id, "%s", k.pub.id);
    int64_t since = 0, after = 0;
    if (!req->full) {
        if ((st = acv_store_sent_through(ctx->store, req->since, req->area, &after, &since, err)) !=
            ACV_OK) {
            acv_keys_wipe(&k);
            return st;
        }
    }
    out->after_import = after;
    out->through_import = acv_store_last_import(ctx->store);
    acv_export_selection sel = {.root = req->area, .year = req->year, .after_import = after};
    acv_pkgdb *db = NULL;
    if ((st = acv_pkgdb_create(&db, err)) != ACV_OK) {
        acv_keys_wipe(&k);
        return st;
    }
    copy_state c = {.db = db, .err = err, .st = ACV_OK};
    st = acv_pkgdb_begin(db, err);
    if (st == ACV_OK)
        st = acv_store_export_areas(ctx->store, &sel, copy_area, &c, err);
    if (st == ACV_OK && (st = c.st) == ACV_OK) {
        out->areas = c.n;
        c.n = 0;
        st = acv_store_export_series(ctx->store, &sel, copy_series, &c, err);
    }
    if (st == ACV_OK && (st = c.st) == ACV_OK)
        st = acv_store_export_observations(ctx->store, &sel, copy_observation, &c, err);
    if (st == ACV_OK && (st = c.st) == ACV_OK) {
        out->observations = c.n;
        c.n = 0;
        st = acv_store_export_revisions(ctx->store, &sel, copy_revision, &c, err);
    }
    if (st == ACV_OK && (st = c.st) == ACV_OK) {
        out->revisions = c.n;
        c.n = 0;
        st = acv_store_export_answers(ctx->store, &sel, copy_answer, &c, err);
    }
    if (st == ACV_OK && (st = c.st) == ACV_OK) {
        out->answers = c.n;
        c.n = 0;
        st = acv_store_export_runs(ctx->store, &sel, copy_run, copy_result, &c, err);
    }
    if (st == ACV_OK && (st = c.st) == ACV_OK) {
        out->runs = c.n;
        out->first_year = req->year ? req->year : c.first_year;
        out->last_year = req->year ? req->year : c.last_year;
        st = put_manifest(ctx, db, "submission", req->area, &k, out->first_year, out->last_year,
                          since, req->full, err);
    }
    if (st == ACV_OK)
        st = set_identity(db, out, err);
    if (st == ACV_OK)
        st = acv_pkgdb_commit(db, err);
    if (st == ACV_OK)
        st = seal_and_write(db, &k, req->output, err);
    acv_pkgdb_close(db);
    acv_keys_wipe(&k);
    if (st == ACV_OK)
        st = record_sent(ctx, req, "submission", since, c.run_ids, c.n_runs, out, err);
    free(c.run_ids);
    return st;
}

/* ---- Forward --------------------------------------------------------------------------------- */

/* 1 when code is root or an area under it in the workspace. */
static int under(acv_store *s, const char *code, const char *root)
{
    char cur[256];
    snprintf(cur, sizeof cur, "%s", code);
    for (int depth = 0; depth < 32; depth++) {
        if (strcmp(cur, root) == 0)
            return 1;
        acv_area a;
        acv_error e = {0};
        if (acv_store_get_area(s, cur, &a, &e) != ACV_OK || !a.parent_code)
            return 0;
        snprintf(cur, sizeof cur, "%s", a.parent_code);
    }
    return 0;
}

typedef struct {
    acv_store *store;
    const char *root;
    acv_forward_filter filter;
    void *filter_ud;
    int (*fn)(void *ud, const acv_received *r);
    void *ud;
} select_state;

static int select_one(void *ud, const acv_received *r)
{
    select_state *s = ud;
    if (!r->kind || strcmp(r->kind, "submission") != 0 || !r->areas)
        return 0;
    if (!under(s->store, r->areas, s->root))
        return 0;
    if (s->filter && !s->filter(s->filter_ud, r))
        return 0;
    return s->fn(s->ud, r);
}

acv_status acv_forward_select(acv_ctx *ctx, const char *area, acv_forward_filter filter,
                              void *filter_ud, int (*fn)(void *ud, const acv_received *r), void *ud,
                              acv_error *err)
{
    select_state s = {ctx->store, area, filter, filter_ud, fn, ud};
    return acv_store_each_received(ctx->store, 1, select_one, &s, err);
}

typedef struct {
    acv_pkgdb *db;
    acv_error *err;
    acv_status st;
    long n;
    int first_year, last_year;
} forward_state;

static int forward_one(void *ud, const acv_received *r)
{
    forward_state *f = ud;
    if (f->n >= ACV_FORWARD_MAX_PACKAGES) {
        f->st = acv_error_set(f->err, ACV_ERR_INPUT, "more than %d packages to forward at once",
                              ACV_FORWARD_MAX_PACKAGES);
        return 1;
    }
    f->n++;
    if (r->first_year && (!f->first_year || r->first_year < f->first_year))
        f->first_year = r->first_year;
    if (r->last_year > f->last_year)
        f->last_year = r->last_year;
    f->st = acv_pkgdb_add_forwarded(f->db, f->n, r->submission_id, r->content_hash, r->package,
                                    r->package_len, f->err);
    return f->st != ACV_OK;
}

acv_status acv_submission_forward(acv_ctx *ctx, const acv_submission_request *req,
                                  acv_forward_filter filter, void *filter_ud,
                                  acv_submission_summary *out, acv_error *err)
{
    memset(out, 0, sizeof *out);
    acv_status st = check_area(ctx, req->area, err);
    if (st != ACV_OK)
        return st;
    acv_secret_key k;
    if ((st = acv_keys_load_secret(ctx->db_path, &k, err)) != ACV_OK)
        return st;
    snprintf(out->key_id, sizeof out->key_id, "%s", k.pub.id);
    out->through_import = acv_store_last_import(ctx->store);
    acv_pkgdb *db = NULL;
    if ((st = acv_pkgdb_create(&db, err)) != ACV_OK) {
        acv_keys_wipe(&k);
        return st;
    }
    forward_state f = {.db = db, .err = err, .st = ACV_OK};
    st = acv_pkgdb_begin(db, err);
    if (st == ACV_OK)
        st = acv_forward_select(ctx, req->area, filter, filter_ud, forward_one, &f, err);
    if (st == ACV_OK)
        st = f.st;
    if (st == ACV_OK && f.n == 0)
        st = acv_error_set(err, ACV_ERR_NOTFOUND,
                           "nothing to forward: this workspace has received no package for %s "
                           "or the areas under it",
                           req->area);
    if (st == ACV_OK) {
        out->forwarded = f.n;
        out->first_year = f.first_year;
        out->last_year = f.last_year;
        st = put_manifest(ctx, db, "forward", req->area, &k, f.first_year, f.last_year, 0, 1, err);
    }
    if (st == ACV_OK)
        st = set_identity(db, out, err);
    if (st == ACV_OK)
        st = acv_pkgdb_commit(db, err);
    if (st == ACV_OK)
        st = seal_and_write(db, &k, req->output, err);
    acv_pkgdb_close(db);
    acv_keys_wipe(&k);
    if (st == ACV_OK)
        st = record_sent(ctx, req, "forward", 0, NULL, 0, out, err);
    return st;
}

/* ---- Receive --------------------------------------------------------------------------------- */

/* A set of strings (the keys a forward's later packages carry). */
typedef struct {
    char **slots;
    size_t cap, n;
} key_set;

static uint64_t fnv(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* Adds s; returns 1 when it was there already, 0 when added, -1 on OOM. */
static int key_set_add(key_set *k, const char *s)
{
    if (2 * (k->n + 1) > k->cap) {
        size_t cap = k->cap ? 2 * k->cap : 1024;
        char **slots = calloc(cap, sizeof *slots);
        if (!slots)
            return -1;
        for (size_t i = 0; i < k->cap; i++)
            if (k->slots[i]) {
                size_t j = fnv(k->slots[i]) & (cap - 1);
                while (slots[j])
                    j = (j + 1) & (cap - 1);
                slots[j] = k->slots[i];
            }
        free(k->slots);
        k->slots = slots;
        k->cap = cap;
    }
    size_t j = fnv(s) & (k->cap - 1);
    while (k->slots[j]) {
        if (strcmp(k->slots[j], s) == 0)
            return 1;
        j = (j + 1) & (k->cap - 1);
    }
    if (!(k->slots[j] = strdup(s)))
        return -1;
    k->n++;
    return 0;
}

static void key_set_free(key_set *k)
{
    for (size_t i = 0; i < k->cap; i++)
        free(k->slots[i]);
    free(k->slots);
}

typedef struct {
    char area[128];
    int year;
    long n;
} dataset;

typedef struct {
    acv_ctx *ctx;
    acv_import *im;
    acv_import_summary isum;
    const acv_package *pkg; /* the package whose rows are imported */
    const acv_package *via; /* the forward it came in, or NULL */
    int64_t received_id;
    acv_receive_summary *out;
    acv_buf *conflicts;
    key_set *seen; /* forwards: keys a later package in it carries */
    acv_buf where;
    dataset *datasets;
    size_t n_datasets, cap_datasets;
    acv_error *err;
    acv_status st;
} recv_state;

/* "submission S from AREA, key K[, forwarded in F by key M], FILE" */
static const char *provenance(recv_state *r, const char *file)
{
    r->where.len = 0;
    if (r->where.data)
        r->where.data[0] = '\0';
    acv_buf_printf(&r->where, "submission %s from %s, key %s", r->pkg->submission_id, r->pkg->areas,
                   r->pkg->signer.id);
    if (r->via)
        acv_buf_printf(&r->where, ", forwarded in %s by key %s", r->via->submission_id,
                       r->via->signer.id);
    acv_buf_printf(&r->where, ", %s", file ? file : "");
    return r->where.failed ? "submission" : r->where.data;
}

static acv_status count_dataset(recv_state *r, const char *area, const char *period)
{
    int year = atoi(period);
    for (size_t i = r->n_datasets; i-- > 0;)
        if (r->datasets[i].year == year && strcmp(r->datasets[i].area, area) == 0) {
            r->datasets[i].n++;
            return ACV_OK;
        }
    if (acv_array_grow(&r->datasets, &r->cap_datasets, r->n_datasets, sizeof *r->datasets, 16))
        return acv_error_set(r->err, ACV_ERR_NOMEM, "out of memory");
    dataset *d = &r->datasets[r->n_datasets++];
    snprintf(d->area, sizeof d->area, "%s", area);
    d->year = year;
    d->n = 1;
    return ACV_OK;
}

#define MAX_DIMS 16

static int receive_observation(void *ud, const acv_pkg_obs *o)
{
    recv_state *r = ud;
    if (r->seen) {
        char key[1024];
        snprintf(key, sizeof key, "%s\x1f%s\x1f%s\x1f%s", o->area, o->indicator,
                 o->disaggregation ? o->disaggregation : "", o->period);
        int had = key_set_add(r->seen, key);
        if (had < 0) {
            r->st = acv_error_set(r->err, ACV_ERR_NOMEM, "out of memory");
            return 1;
        }
        if (had) {
            r->out->superseded++;
            return 0;
        }
    }
    /* the disaggregation "age=15-24;sex=female" back into dimensions */
    char dis[512];
    snprintf(dis, sizeof dis, "%s", o->disaggregation ? o->disaggregation : "");
    acv_import_dim dims[MAX_DIMS];
    size_t n_dims = 0;
    for (char *save = NULL, *tok = strtok_r(dis, ";", &save); tok && n_dims < MAX_DIMS;
         tok = strtok_r(NULL, ";", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq)
            continue;
        *eq = '\0';
        dims[n_dims].name = tok;
        dims[n_dims].value = eq + 1;
        n_dims++;
    }
    double held;
    int64_t held_import;
    if (acv_store_current_value(r->ctx->store, o->area, o->indicator, o->disaggregation, o->period,
                                &held, &held_import) &&
        held != o->value &&
        !acv_store_import_has_sender(r->ctx->store, held_import, r->pkg->signer.id)) {
        r->out->conflicts++;
        r->st = acv_store_add_conflict(r->ctx->store, r->received_id, o, held, held_import, r->err);
        if (r->st != ACV_OK)
            return 1;
        if (r->conflicts)
            acv_buf_printf(r->conflicts,
                           "conflict: %s %s %s%s%s: received %.15g (submission %s) replaces "
                           "%.15g (import %lld), kept as an earlier version\n",
                           o->area, o->indicator, o->period, *o->disaggregation ? " " : "",
                           o->disaggregation, o->value, r->pkg->submission_id, held,
                           (long long)held_import);
    }
    char value[64];
    snprintf(value, sizeof value, "%.17g", o->value);
    acv_import_row row = {
        .area = o->area,
        .indicator = o->indicator,
        .period = o->period,
        .value = value,
        .source = o->source,
        .status = o->status,
        .comment = o->comment,
        .dims = dims,
        .n_dims = n_dims,
    };
    acv_import_where where = {.file = provenance(r, o->file), .line = o->line};
    r->st = acv_import_add(r->im, &where, &row, 1, r->err);
    if (r->st == ACV_OK) {
        r->out->observations++;
        r->st = count_dataset(r, o->area, o->period);
    }
    return r->st != ACV_OK;
}

static int receive_answer(void *ud, const acv_pkg_answer *a)
{
    recv_state *r = ud;
    acv_area area;
    r->st = acv_store_get_area(r->ctx->store, a->area, &area, r->err);
    if (r->st != ACV_OK)
        return 1;
    acv_answer ans = {
        .area_id = area.id,
        .year = a->year,
        .question = a->question,
        .level = a->level,
        .effective_level = a->effective_level,
        .evidence = a->evidence,
        .file = provenance(r, a->file),
        .line = a->line,
    };
    r->st = acv_store_put_answer(r->ctx->store, &ans, r->err);
    if (r->st == ACV_OK)
        r->out->answers++;
    return r->st != ACV_OK;
}

static int receive_run(void *ud, const acv_pkg_run *run)
{
    recv_state *r = ud;
    r->st = acv_store_add_received_run(r->ctx->store, r->received_id, run, r->err);
    if (r->st == ACV_OK)
        r->out->runs++;
    return r->st != ACV_OK;
}

static int receive_result(void *ud, const acv_pkg_result *res)
{
    recv_state *r = ud;
    r->st = acv_store_add_received_result(r->ctx->store, r->received_id, res, r->err);
    return r->st != ACV_OK;
}

static int receive_change(void *ud, long seq, const char *change)
{
    recv_state *r = ud;
    r->st = acv_store_add_received_change(r->ctx->store, r->received_id, seq, change, r->err);
    return r->st != ACV_OK;
}

static int receive_series(void *ud, const char *code, const char *name, const char *unit)
{
    recv_state *r = ud;
    int added;
    r->st =
        acv_import_add_series(r->im, code, name ? name : code, unit ? unit : "", &added, r->err);
    return r->st != ACV_OK;
}

/* The package's areas, kept to add the missing ones parents first and to answer "the parent of
 * an area the workspace does not hold yet" for the trust check. */
typedef struct {
    acv_arena arena;
    acv_area *areas;
    size_t n, cap;
    acv_error *err;
    acv_status st;
} area_list;

static int keep_area(void *ud, const acv_area *a)
{
    area_list *l = ud;
    if (acv_array_grow(&l->areas, &l->cap, l->n, sizeof *l->areas, 16)) {
        l->st = acv_error_set(l->err, ACV_ERR_NOMEM, "out of memory");
        return 1;
    }
    acv_area *c = &l->areas[l->n++];
    *c = *a;
    c->code = acv_arena_strdup(&l->arena, a->code);
    c->name = acv_arena_strdup(&l->arena, a->name);
    c->level = acv_arena_strdup(&l->arena, a->level);
    c->parent_code = acv_arena_strdup(&l->arena, a->parent_code);
    c->country = acv_arena_strdup(&l->arena, a->country);
    c->source = acv_arena_strdup(&l->arena, a->source);
    if (!c->code || !c->name || !c->level) {
        l->st = acv_error_set(l->err, ACV_ERR_NOMEM, "out of memory");
        return 1;
    }
    return 0;
}

static const char *list_parent(void *ud, const char *code)
{
    area_list *l = ud;
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->areas[i].code, code) == 0)
            return l->areas[i].parent_code;
    return NULL;
}

static void area_list_free(area_list *l)
{
    free(l->areas);
    acv_arena_free(&l->arena);
}

static acv_status load_areas(acv_package *p, area_list *l, acv_error *err)
{
    l->err = err;
    l->st = ACV_OK;
    acv_status st = acv_pkgdb_each_area(p->db, keep_area, l, err);
    return st != ACV_OK ? st : l->st;
}

/* The areas a package carries data for, each checked against what key may submit for. */
typedef struct {
    acv_ctx *ctx;
    const char *key_id, *key_label;
    area_list *areas;
    const char *name;
    acv_error *err;
    acv_status st;
    char last[256];
} trust_state;

static int check_trust_area(trust_state *t, const char *area)
{
    if (strcmp(t->last, area) == 0)
        return 0;
    snprintf(t->last, sizeof t->last, "%s", area);
    if (acv_keys_may_submit(t->ctx->store, t->key_id, area, list_parent, t->areas))
        return 0;
    t->st = acv_error_set(t->err, ACV_ERR_INPUT,
                          "%s: key %s (%s) may not submit for area '%s' (see 'acvtrack keys "
                          "list'); nothing was received",
                          t->name, t->key_id, t->key_label, area);
    return 1;
}

static int trust_obs(void *ud, const acv_pkg_obs *o)
{
    return check_trust_area(ud, o->area);
}

static int trust_answer(void *ud, const acv_pkg_answer *a)
{
    return check_trust_area(ud, a->area);
}

static int trust_run(void *ud, const acv_pkg_run *r)
{
    return check_trust_area(ud, r->area);
}

/* Everything checked before a package's rows go in: the framework, the indicators, and that
 * key (the sender's, or the forwarder's for a forwarded package) may submit for its areas. */
static acv_status check_package(acv_ctx *ctx, acv_package *p, const char *key_id,
                                const char *key_label, area_list *areas, acv_receive_summary *out,
                                acv_error *err)
{
    const acv_framework *fw = ctx->fw;
    if (strcmp(p->framework_id, fw->id ? fw->id : "") != 0)
        return acv_error_set(err, ACV_ERR_INPUT,
                             "%s: made with framework '%s', this workspace uses '%s': a "
                             "package is received into a workspace of the same framework; "
                             "nothing was received",
                             p->name, p->framework_id, fw->id ? fw->id : "");
    if (strcmp(p->framework_version, fw->version ? fw->version : "") != 0 &&
        !out->framework_note[0])
        snprintf(out->framework_note, sizeof out->framework_note,
                 "%s was made with framework version %s; this workspace has version %s",
                 p->submission_id, p->framework_version, fw->version ? fw->version : "");
    acv_status st = load_areas(p, areas, err);
    if (st != ACV_OK)
        return st;
    trust_state t = {ctx, key_id, key_label, areas, p->name, err, ACV_OK, ""};
    if (check_trust_area(&t, p->areas))
        return t.st;
    st = acv_pkgdb_each_observation(p->db, trust_obs, &t, err);
    if (st == ACV_OK && t.st == ACV_OK)
        st = acv_pkgdb_each_answer(p->db, trust_answer, &t, err);
    if (st == ACV_OK && t.st == ACV_OK)
        st = acv_pkgdb_each_run(p->db, trust_run, &t, err);
    if (st != ACV_OK)
        return st;
    if (t.st != ACV_OK)
        return t.st;
    acv_buf unknown = {0};
    st = acv_pkgdb_unknown_indicators(p->db, ctx->store, &unknown, err);
    if (st == ACV_OK && unknown.len)
        st = acv_error_set(err, ACV_ERR_INPUT,
                           "%s: indicators this workspace's framework does not know: %s; "
                           "nothing was received",
                           p->name, unknown.data);
    acv_buf_free(&unknown);
    return st;
}

/* Adds the areas the workspace lacks, parents first. */
static acv_status add_areas(recv_state *r, area_list *l)
{
    int progress = 1;
    while (progress) {
        progress = 0;
        for (size_t i = 0; i < l->n; i++) {
            acv_area *a = &l->areas[i];
            if (!a->code)
                continue;
            acv_area have;
            acv_error e = {0};
            if (acv_store_get_area(r->ctx->store, a->code, &have, &e) == ACV_OK) {
                a->code = NULL;
                continue;
            }
            if (a->parent_code &&
                acv_store_get_area(r->ctx->store, a->parent_code, &have, &e) != ACV_OK)
                continue;
            int added;
            acv_status st = acv_import_add_area(r->im, a, &added, r->err);
            if (st != ACV_OK)
                return st;
            a->code = NULL;
            progress = 1;
        }
    }
    for (size_t i = 0; i < l->n; i++)
        if (l->areas[i].code)
            return acv_error_set(r->err, ACV_ERR_INPUT,
                                 "%s: area '%s' has parent '%s', which neither the package nor "
                                 "this workspace holds",
                                 r->pkg->name, l->areas[i].code,
                                 l->areas[i].parent_code ? l->areas[i].parent_code : "");
    return ACV_OK;
}

static acv_status record_received(recv_state *r, acv_package *p, int64_t via, int64_t *id)
{
    acv_received rec = {
        .submission_id = p->submission_id,
        .content_hash = p->content_hash,
        .kind = p->kind,
        .sender_key = p->signer.id,
        .sender_label = p->signer.label,
        .areas = p->areas,
        .first_year = p->first_year,
        .last_year = p->last_year,
        .framework_id = p->framework_id,
        .framework_version = p->framework_version,
        .framework_hash = p->framework_hash,
        .overlay = p->overlay[0] ? p->overlay : NULL,
        .overlay_hash = p->overlay_hash[0] ? p->overlay_hash : NULL,
        .methods_hash = p->methods_hash,
        .acvtrack_version = p->acvtrack_version,
        .created_at = p->created_at,
        .via = via,
        .import_id = r->isum.import_id,
        .observations = acv_pkgdb_count(p->db, "observations"),
        .package = p->bytes,
        .package_len = p->len,
    };
    return acv_store_add_received(r->ctx->store, &rec, id, r->err);
}

/* One city package's content into the open import: its areas, series, the received row and the
 * observations, answers, runs and disclosed overlay changes. */
static acv_status import_package(recv_state *r, acv_package *p, area_list *areas, int64_t via)
{
    r->pkg = p;
    r->n_datasets = 0;
    acv_status st = add_areas(r, areas);
    if (st == ACV_OK)
        st = acv_pkgdb_each_series(p->db, receive_series, r, r->err);
    if (st == ACV_OK)
        st = r->st;
    if (st == ACV_OK)
        st = record_received(r, p, via, &r->received_id);
    if (st == ACV_OK)
        st = acv_pkgdb_each_observation(p->db, receive_observation, r, r->err);
    if (st == ACV_OK)
        st = r->st;
    if (st == ACV_OK)
        st = acv_pkgdb_each_answer(p->db, receive_answer, r, r->err);
    if (st == ACV_OK)
        st = r->st;
    if (st == ACV_OK)
        st = acv_pkgdb_each_run(p->db, receive_run, r, r->err);
    if (st == ACV_OK)
        st = r->st;
    if (st == ACV_OK)
        st = acv_pkgdb_each_result(p->db, receive_result, r, r->err);
    if (st == ACV_OK)
        st = r->st;
    if (st == ACV_OK)
        st = acv_pkgdb_each_overlay_change(p->db, receive_change, r, r->err);
    if (st == ACV_OK)
        st = r->st;
    for (size_t i = 0; st == ACV_OK && i < r->n_datasets; i++)
        st = acv_store_add_received_dataset(r->ctx->store, r->received_id, r->datasets[i].area,
                                            r->datasets[i].year, r->datasets[i].n, r->err);
    /* the review workflow (review.h): each dataset the package covers is submitted for review,
     * by the package's signer */
    char origin[64];
    snprintf(origin, sizeof origin, "submission %s", p->submission_id);
    for (size_t i = 0; st == ACV_OK && i < r->n_datasets; i++)
        st = acv_review_mark_submitted(
            r->ctx->store, acv_store_area_id(r->ctx->store, r->datasets[i].area),
            r->datasets[i].year, origin, p->signer.label, p->signer.id, r->err);
    if (st == ACV_OK)
        r->out->packages++;
    return st;
}

/* The packages a forward carries, verified. */
typedef struct {
    acv_ctx *ctx;
    acv_package *outer;
    acv_package **inner;
    area_list *areas;
    size_t n, cap;
    acv_receive_summary *out;
    acv_error *err;
    acv_status st;
} inner_list;

static int open_inner(void *ud, long seq, const char *submission_id, const char *content_hash,
                      const unsigned char *package, size_t len)
{
    inner_list *l = ud;
    if (l->n >= ACV_FORWARD_MAX_PACKAGES) {
        l->st = acv_error_set(l->err, ACV_ERR_INPUT, "%s: more than %d forwarded packages",
                              l->outer->name, ACV_FORWARD_MAX_PACKAGES);
        return 1;
    }
    if (acv_store_find_received(l->ctx->store, content_hash)) {
        l->out->packages_already++;
        return 0;
    }
    if (acv_array_grow(&l->inner, &l->cap, l->n, sizeof *l->inner, 8)) {
        l->st = acv_error_set(l->err, ACV_ERR_NOMEM, "out of memory");
        return 1;
    }
    area_list *areas = realloc(l->areas, l->cap * sizeof *areas);
    if (!areas) {
        l->st = acv_error_set(l->err, ACV_ERR_NOMEM, "out of memory");
        return 1;
    }
    l->areas = areas;
    memset(&l->areas[l->n], 0, sizeof *l->areas);
    char name[768];
    snprintf(name, sizeof name, "%s: forwarded package %ld (%s)", l->outer->name, seq,
             submission_id);
    acv_package *p = NULL;
    l->st = acv_package_open_bytes(package, len, name, &p, l->err);
    if (l->st != ACV_OK)
        return 1;
    l->inner[l->n] = p;
    l->n++;
    if (strcmp(p->kind, "submission") != 0 || strcmp(p->content_hash, content_hash) != 0) {
        l->st = acv_error_set(l->err, ACV_ERR_INPUT,
                              "%s: not the city package its forward names (kind %s, content "
                              "hash %s)",
                              name, p->kind, p->content_hash);
        return 1;
    }
    l->st = check_package(l->ctx, p, l->outer->signer.id, l->outer->signer.label,
                          &l->areas[l->n - 1], l->out, l->err);
    return l->st != ACV_OK;
}

static void inner_list_free(inner_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        acv_package_free(l->inner[i]);
        area_list_free(&l->areas[i]);
    }
    free(l->inner);
    free(l->areas);
}

acv_status acv_submission_receive(acv_ctx *ctx, const char *path, acv_buf *conflicts,
                                  acv_receive_summary *out, acv_error *err)
{
    memset(out, 0, sizeof *out);
    acv_package *p = NULL;
    acv_status st = acv_package_open_file(path, acv_package_max_bytes(), &p, err);
    if (st != ACV_OK)
        return st;
    snprintf(out->submission_id, sizeof out->submission_id, "%s", p->submission_id);
    snprintf(out->sender, sizeof out->sender, "%s", p->signer.id);
    snprintf(out->sender_label, sizeof out->sender_label, "%s", p->signer.label);
    snprintf(out->kind, sizeof out->kind, "%s", p->kind);
    snprintf(out->areas, sizeof out->areas, "%s", p->areas);
    if (acv_store_find_received(ctx->store, p->content_hash)) {
        out->already = 1;
        acv_package_free(p);
        return ACV_OK;
    }
    char pk[65];
    st = acv_store_trusted_key(ctx->store, p->signer.id, pk, NULL, 0, err);
    if (st == ACV_ERR_NOTFOUND || (st == ACV_OK && strcmp(pk, p->signer.hex) != 0))
        st = acv_error_set(err, ACV_ERR_INPUT,
                           "%s: signed by key %s (%s), which this workspace does not trust (add "
                           "it with 'acvtrack keys trust PUBLIC-KEY-FILE --areas CODES'); "
                           "nothing was received",
                           path, p->signer.id, p->signer.label);
    area_list outer_areas = {0};
    inner_list inner = {.ctx = ctx, .outer = p, .out = out, .err = err, .st = ACV_OK};
    if (st == ACV_OK)
        st = check_package(ctx, p, p->signer.id, p->signer.label, &outer_areas, out, err);
    int forward = strcmp(p->kind, "forward") == 0;
    if (st == ACV_OK && forward) {
        st = acv_pkgdb_each_forwarded(p->db, open_inner, &inner, err);
        if (st == ACV_OK)
            st = inner.st;
    }
    recv_state r = {.ctx = ctx, .out = out, .conflicts = conflicts, .err = err, .st = ACV_OK};
    key_set seen = {0};
    char name[600]; /* the import's name: the row API keeps pointing at it */
    if (st == ACV_OK) {
        snprintf(name, sizeof name, "submission %s from %s, key %s", p->submission_id, p->areas,
                 p->signer.id);
        acv_import_origin origin = {
            .name = name,
            .sha256 = p->content_hash,
            .field_word = "field",
            .unit = "rows",
        };
        st = acv_import_begin(ctx, &origin, NULL, &r.isum, &r.im, err);
        if (st == ACV_OK && !r.im)
            out->already = 1;
    }
    if (st == ACV_OK && r.im) {
        out->import_id = r.isum.import_id;
        if (forward) {
            r.pkg = p;
            st = add_areas(&r, &outer_areas);
            if (st == ACV_OK)
                st = record_received(&r, p, 0, &r.received_id);
            int64_t outer_id = r.received_id;
            r.via = p;
            r.seen = &seen;
            /* the latest package first: a value a later package revised comes from it */
            for (size_t i = inner.n; st == ACV_OK && i-- > 0;)
                st = import_package(&r, inner.inner[i], &inner.areas[i], outer_id);
        } else {
            st = import_package(&r, p, &outer_areas, 0);
        }
        st = acv_import_end(r.im, st, err);
        if (st == ACV_OK) {
            out->added = r.isum.added;
            out->changed = r.isum.changed;
            out->unchanged = r.isum.unchanged;
        }
    }
    if (st != ACV_OK)
        memset(out, 0, sizeof *out);
    key_set_free(&seen);
    free(r.datasets);
    acv_buf_free(&r.where);
    inner_list_free(&inner);
    area_list_free(&outer_areas);
    acv_package_free(p);
    return st;
}
