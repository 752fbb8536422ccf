/*
 * review_return.c — the signed return file (review.h): a returned dataset with its comments,
 * written by the reviewing workspace and read by the city's. Text, so that it can be read before
 * it is imported: YAML whose strings are JSON-escaped double-quoted scalars, ending in the line
 * `signature: "HEX"`, the Ed25519 signature (keys.h) of every byte before that line.
 */
#include "atomicfile.h"
#include "keys.h"
#include "review.h"
#include "yamlschema.h"
#include "yamltree.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIGNATURE_PREFIX "signature: \""

typedef struct {
    acv_buf *out;
} comment_writer;

static int write_value_comment(void *ud, const acv_review_comment *c)
{
    comment_writer *w = ud;
    if (!c->indicator)
        return 0;
    acv_buf_puts(w->out, "  - indicator: ");
    acv_buf_json_string(w->out, c->indicator);
    if (c->period) {
        acv_buf_puts(w->out, "\n    period: ");
        acv_buf_json_string(w->out, c->period);
    }
    acv_buf_puts(w->out, "\n    comment: ");
    acv_buf_json_string(w->out, c->comment);
    acv_buf_puts(w->out, "\n");
    return 0;
}

static int count_value_comment(void *ud, const acv_review_comment *c)
{
    if (c->indicator)
        ++*(size_t *)ud;
    return 0;
}

static void hex_of(const unsigned char *b, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 15];
    }
    out[2 * n] = '\0';
}

static int unhex(const char *s, unsigned char *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int v = 0;
        for (int k = 0; k < 2; k++) {
            char c = s[2 * i + k];
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (d < 0)
                return 0;
            v = v * 16 + d;
        }
        out[i] = (unsigned char)v;
    }
    return s[2 * n] == '\0' || s[2 * n] == '"';
}

acv_status acv_review_return_write(acv_ctx *ctx, const char *area, int year, const char *path,
                                   acv_error *err)
{
    acv_ds_state state;
    acv_review_decision d;
    acv_status st = acv_review_state(ctx, area, year, &state, &d, err);
    if (st != ACV_OK)
        return st;
    if (state != ACV_DS_RETURNED)
        return acv_error_set(err, ACV_ERR_INPUT,
                             "%s %d is %s, not returned: there is no return to write", area, year,
                             acv_ds_state_name(state));
    acv_secret_key key;
    st = acv_keys_load_secret(ctx->db_path, &key, err);
    if (st != ACV_OK)
        return st;
    acv_buf b = {0};
    acv_buf_puts(&b, "# acvtrack return: a dataset sent back for correction; import it with\n"
                     "# 'acvtrack review import-return FILE' (docs/submissions.md, \"Review\")\n"
                     "format: acvtrack-return\nversion: 1\narea: ");
    acv_buf_json_string(&b, d.area);
    acv_buf_printf(&b, "\nyear: %d\ndecision: returned\ndecided_by: ", year);
    acv_buf_json_string(&b, d.who);
    acv_buf_puts(&b, "\ndecided_at: ");
    acv_buf_json_string(&b, d.at);
    acv_buf_printf(&b, "\nkey_id: \"%s\"\npublic_key: \"%s\"\n", key.pub.id, key.pub.hex);
    if (d.comment) {
        acv_buf_puts(&b, "comment: ");
        acv_buf_json_string(&b, d.comment);
        acv_buf_puts(&b, "\n");
    }
    size_t n_values = 0;
    int64_t decision_id = d.id;
    st = acv_store_each_decision_comment(ctx->store, decision_id, count_value_comment, &n_values,
                                         err);
    if (st == ACV_OK && n_values) {
        acv_buf_puts(&b, "values:\n");
        comment_writer w = {&b};
        st = acv_store_each_decision_comment(ctx->store, decision_id, write_value_comment, &w, err);
    }
    if (st == ACV_OK && b.failed)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    if (st == ACV_OK) {
        unsigned char sig[ACV_SIGNATURE_BYTES];
        acv_sign(&key, b.data, b.len, sig);
        char hex[2 * ACV_SIGNATURE_BYTES + 1];
        hex_of(sig, sizeof sig, hex);
        acv_buf_printf(&b, SIGNATURE_PREFIX "%s\"\n", hex);
        if (b.failed)
            st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    }
    acv_keys_wipe(&key);
    if (st == ACV_OK)
        st = acv_write_file_atomic(path, b.data, b.len, 0, err);
    acv_buf_free(&b);
    return st;
}

/* The decision a return file carries, checked. Strings point into doc. */
typedef struct {
    const char *area, *who, *at, *key_id, *public_key, *comment;
    int year;
    acv_review_comment *values;
    size_t n_values;
} return_content;

static const char *text_of(acv_ys *S, const yt_node *map, const char *key, int flags)
{
    const yt_node *n = acv_ys_scalar(S, map, key, flags | ACV_YS_NOT_BLANK, "the return file");
    return n ? n->str : NULL;
}

static void read_content(acv_ys *S, const yt_node *root, return_content *c)
{
    static const yt_node top = {.line = 1, .col = 1};
    if (!root || root->kind != YT_MAP) {
        acv_ys_problem(S, &top, "not an acvtrack return file");
        return;
    }
    const char *format = text_of(S, root, "format", ACV_YS_REQUIRED);
    if (!format || strcmp(format, "acvtrack-return") != 0) {
        acv_ys_problem(S, yt_map_get(root, "format"),
                       "not an acvtrack return file (format "
                       "is not acvtrack-return)");
        return;
    }
    int version = 0;
    if (acv_ys_int(S, root, "version", ACV_YS_REQUIRED, &version, "the return file") &&
        version != 1) {
        acv_ys_problem(S, yt_map_get(root, "version"),
                       "return file version %d is from a newer acvtrack (this one reads 1)",
                       version);
        return;
    }
    static const char *const keys[] = {
        "format", "version",    "area",    "year",   "decision",  "decided_by", "decided_at",
        "key_id", "public_key", "comment", "values", "signature", NULL};
    acv_ys_check_keys(S, root, keys, "the return file");
    c->area = text_of(S, root, "area", ACV_YS_REQUIRED);
    acv_ys_int(S, root, "year", ACV_YS_REQUIRED, &c->year, "the return file");
    const char *decision = text_of(S, root, "decision", ACV_YS_REQUIRED);
    if (decision && strcmp(decision, "returned") != 0)
        acv_ys_problem(S, yt_map_get(root, "decision"),
                       "'decision' must be returned in the return file, found '%s'", decision);
    c->who = text_of(S, root, "decided_by", ACV_YS_REQUIRED);
    c->at = text_of(S, root, "decided_at", ACV_YS_REQUIRED);
    c->key_id = text_of(S, root, "key_id", ACV_YS_REQUIRED);
    c->public_key = text_of(S, root, "public_key", ACV_YS_REQUIRED);
    c->comment = text_of(S, root, "comment", ACV_YS_OPTIONAL);
    const yt_node *values = yt_map_get(root, "values");
    if (!values || acv_ys_is_null(values))
        return;
    if (values->kind != YT_SEQ) {
        acv_ys_problem(S, values, "'values' must be a list in the return file, found %s",
                       acv_ys_kind_name(values));
        return;
    }
    c->values = calloc(values->count ? values->count : 1, sizeof *c->values);
    if (!c->values) {
        S->oom = 1;
        return;
    }
    static const char *const value_keys[] = {"indicator", "period", "comment", NULL};
    for (size_t i = 0; i < values->count; i++) {
        const yt_node *v = values->items[i];
        char ctx[64];
        snprintf(ctx, sizeof ctx, "value comment #%zu", i + 1);
        if (v->kind != YT_MAP) {
            acv_ys_problem(S, v, "%s must be a mapping with indicator, period, comment", ctx);
            continue;
        }
        acv_ys_check_keys(S, v, value_keys, ctx);
        acv_review_comment *rc = &c->values[c->n_values++];
        const yt_node *n =
            acv_ys_scalar(S, v, "indicator", ACV_YS_REQUIRED | ACV_YS_NOT_BLANK, ctx);
        rc->indicator = n ? n->str : NULL;
        n = acv_ys_scalar(S, v, "period", ACV_YS_NOT_BLANK, ctx);
        rc->period = n ? n->str : NULL;
        n = acv_ys_scalar(S, v, "comment", ACV_YS_REQUIRED | ACV_YS_NOT_BLANK, ctx);
        rc->comment = n ? n->str : NULL;
    }
}

acv_status acv_review_return_import(acv_ctx *ctx, const char *path, acv_review_import *out,
                                    acv_error *err)
{
    memset(out, 0, sizeof *out);
    char *data = NULL;
    size_t len = 0;
    int rc = acv_read_file(path, ACV_RETURN_MAX_BYTES, &data, &len);
    if (rc == -2)
        return acv_error_set(err, ACV_ERR_INPUT,
                             "%s: larger than %d KiB: not an acvtrack return file", path,
                             ACV_RETURN_MAX_BYTES / 1024);
    if (rc != 0)
        return acv_error_set(err, ACV_ERR_IO, "%s: cannot read: %s", path, strerror(errno));
    /* the last line is the signature of every byte before it */
    const char *sigline = NULL;
    if (len > 1 && data[len - 1] == '\n') {
        const char *p = data + len - 1;
        while (p > data && p[-1] != '\n')
            p--;
        if (strncmp(p, SIGNATURE_PREFIX, strlen(SIGNATURE_PREFIX)) == 0)
            sigline = p;
    }
    unsigned char sig[ACV_SIGNATURE_BYTES];
    if (!sigline || memchr(data, '\0', len) ||
        strlen(sigline) != strlen(SIGNATURE_PREFIX) + 2 * ACV_SIGNATURE_BYTES + 2 ||
        !unhex(sigline + strlen(SIGNATURE_PREFIX), sig, ACV_SIGNATURE_BYTES)) {
        free(data);
        return acv_error_set(err, ACV_ERR_INPUT,
                             "%s: not a signed acvtrack return file (it does not end in its "
                             "signature line)",
                             path);
    }
    size_t signed_len = (size_t)(sigline - data);
    yt_doc *doc = NULL;
    acv_status st = yt_parse_buffer(data, len, path, &doc, err);
    if (st != ACV_OK) {
        free(data);
        return st;
    }
    acv_problems problems = {.max = 1};
    acv_ys S = {.problems = &problems, .file = path};
    return_content c = {0};
    read_content(&S, yt_root(doc), &c);
    acv_public_key pk;
    acv_error kerr;
    if (!problems.total && !S.oom) {
        if (acv_public_key_from_hex(c.public_key, NULL, &pk, &kerr) != ACV_OK)
            acv_ys_problem(&S, yt_map_get(yt_root(doc), "public_key"), "%s", kerr.message);
        else if (strcmp(pk.id, c.key_id) != 0)
            acv_ys_problem(&S, yt_map_get(yt_root(doc), "key_id"),
                           "key_id %s is not the id of the public key given (%s)", c.key_id, pk.id);
    }
    if (problems.total || S.oom) {
        st = acv_error_set(err, S.oom || problems.oom ? ACV_ERR_NOMEM : ACV_ERR_INPUT, "%s",
                           S.oom || problems.oom ? "out of memory" : problems.items[0]);
        goto done;
    }
    if (!acv_verify(&pk, data, signed_len, sig)) {
        st = acv_error_set(err, ACV_ERR_INPUT,
                           "%s: the signature does not match the content (the file was changed "
                           "after it was signed, or damaged)",
                           path);
        goto done;
    }
    int64_t area_id = acv_store_area_id(ctx->store, c.area);
    if (!area_id) {
        st = acv_error_set(err, ACV_ERR_NOTFOUND, "%s: area '%s' is not in this workspace", path,
                           c.area);
        goto done;
    }
    if (!acv_keys_may_submit(ctx->store, c.key_id, c.area, NULL, NULL)) {
        st = acv_error_set(err, ACV_ERR_INPUT,
                           "%s: signed by key %s, which this workspace does not trust for %s "
                           "(acvtrack keys trust THEIR-KEY.pub --areas %s)",
                           path, c.key_id, c.area, c.area);
        goto done;
    }
    for (size_t i = 0; i < c.n_values; i++)
        if (!acv_store_indicator_id(ctx->store, c.values[i].indicator)) {
            st = acv_error_set(err, ACV_ERR_INPUT,
                               "%s: value comment #%zu names indicator '%s', which this "
                               "workspace does not know",
                               path, i + 1, c.values[i].indicator);
            goto done;
        }
    snprintf(out->area, sizeof out->area, "%s", c.area);
    out->year = c.year;
    out->n_comments = c.n_values + (c.comment != NULL);
    st = acv_store_begin(ctx->store, err);
    if (st != ACV_OK)
        goto done;
    acv_review_decision latest;
    const char *from = "draft";
    char from_copy[16];
    st = acv_store_latest_decision(ctx->store, area_id, c.year, &latest, err);
    if (st == ACV_OK) {
        if (strcmp(latest.to_state, "returned") == 0 && latest.key_id &&
            strcmp(latest.key_id, c.key_id) == 0 && strcmp(latest.at, c.at) == 0)
            out->already = 1;
        from = latest.to_state;
    } else if (st == ACV_ERR_NOTFOUND) {
        acv_error_clear(err);
        st = ACV_OK;
    }
    snprintf(from_copy, sizeof from_copy, "%s", from);
    if (st == ACV_OK && !out->already) {
        const char *base = strrchr(path, '/');
        char origin[600];
        snprintf(origin, sizeof origin, "return file %s", base ? base + 1 : path);
        acv_review_decision d = {.from_state = from_copy,
                                 .to_state = "returned",
                                 .who = c.who,
                                 .key_id = c.key_id,
                                 .at = c.at,
                                 .comment = c.comment,
                                 .origin = origin};
        st = acv_store_add_decision(ctx->store, area_id, c.year, &d, c.values, c.n_values, NULL,
                                    err);
    }
    if (st == ACV_OK)
        st = acv_store_commit(ctx->store, err);
    else
        acv_store_rollback(ctx->store);
done:
    acv_problems_free(&problems);
    free(c.values);
    yt_free(doc);
    free(data);
    return st;
}

int acv_review_workspace_key(acv_ctx *ctx, char out[ACV_REVIEW_KEY_ID_SIZE])
{
    char *path = acv_keys_public_path(ctx->db_path);
    acv_public_key pk;
    acv_error err;
    int ok = path && acv_public_key_read(path, &pk, &err) == ACV_OK;
    free(path);
    if (ok)
        snprintf(out, ACV_REVIEW_KEY_ID_SIZE, "%s", pk.id);
    return ok;
}

acv_status acv_review_can_sign(acv_ctx *ctx, acv_error *err)
{
    acv_secret_key key;
    acv_status st = acv_keys_load_secret(ctx->db_path, &key, err);
    if (st == ACV_OK)
        acv_keys_wipe(&key);
    return st;
}
