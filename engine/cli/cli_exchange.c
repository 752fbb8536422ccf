/*
 * cli_exchange.c — `acvtrack keys` (signing keys and trust) and `acvtrack submission` (signed
 * packages: create, receive, forward, ack). The work is in engine/exchange/.
 */
#include "cli_commands.h"
#include "review.h"
#include "keys.h"
#include "submission.h"

#include <stdlib.h>
#include <string.h>

/* Splits a comma-separated list in place into at most max items. */
static size_t split_codes(char *list, char **items, size_t max)
{
    size_t n = 0;
    for (char *tok = strtok(list, ","); tok && n < max; tok = strtok(NULL, ","))
        if (*tok)
            items[n++] = tok;
    return n;
}

static int keys_create(cli_args *a)
{
    if (a->argc > 2)
        return cli_usage_error("keys ", "unexpected argument '%s'", a->argv[2]);
    acv_error err;
    acv_ctx *ctx;
    int rc = cli_open(a, ACV_NEED_STORE, &ctx, &err);
    if (rc)
        return rc;
    acv_public_key k;
    acv_status st = acv_keys_create(ctx->db_path, a->argc == 2 ? a->argv[1] : NULL, &k, &err);
    if (st == ACV_OK) {
        char *sec = acv_keys_secret_path(ctx->db_path), *pub = acv_keys_public_path(ctx->db_path);
        printf("key %s (%s)\n", k.id, k.label);
        cli_note(a,
                 "secret key: %s (mode 0600; keep it here, it never goes into a package)\n"
                 "public key: %s (give it to the workspace you submit to: 'acvtrack keys "
                 "trust %s --areas CODE')\n",
                 sec ? sec : "", pub ? pub : "", pub ? pub : "");
        free(sec);
        free(pub);
    }
    acv_ctx_close(ctx);
    return st == ACV_OK ? 0 : cli_fail(st, &err);
}

#define MAX_TRUST_AREAS 256

static int keys_trust(cli_args *a)
{
    if (a->argc != 2)
        return cli_usage_error("keys ", "%s", "keys trust needs one PUBLIC-KEY-FILE");
    if (!a->areas)
        return cli_usage_error("keys ", "%s", "keys trust needs --areas CODE[,CODE...]");
    acv_error err;
    acv_public_key k;
    acv_status st = acv_public_key_read(a->argv[1], &k, &err);
    if (st != ACV_OK)
        return cli_fail(st, &err);
    char *list = strdup(a->areas);
    if (!list)
        return cli_fail(acv_error_set(&err, ACV_ERR_NOMEM, "out of memory"), &err);
    char *areas[MAX_TRUST_AREAS];
    size_t n = split_codes(list, areas, MAX_TRUST_AREAS);
    acv_ctx *ctx;
    int rc = cli_open(a, ACV_NEED_STORE, &ctx, &err);
    if (rc) {
        free(list);
        return rc;
    }
    st = acv_keys_trust(ctx->store, &k, (const char *const *)areas, n, &err);
    if (st == ACV_OK) {
        printf("trusted key %s (%s) for", k.id, k.label);
        for (size_t i = 0; i < n; i++)
            printf("%s%s", i ? "," : " ", areas[i]);
        printf(" and the areas under them\n");
    }
    acv_ctx_close(ctx);
    free(list);
    return st == ACV_OK ? 0 : cli_fail(st, &err);
}

static acv_status write_keys_list(acv_ctx *ctx, const cli_args *a, const void *ud, acv_buf *out,
                                  acv_error *err)
{
    (void)a;
    (void)ud;
    return acv_keys_list_text(ctx->store, ctx->db_path, out, err);
}

int cli_cmd_keys(cli_args *a)
{
    if (a->argc < 1)
        return cli_usage_error("keys ", "%s", "keys needs create, trust or list");
    const char *sub = a->argv[0];
    if (strcmp(sub, "create") == 0)
        return keys_create(a);
    if (strcmp(sub, "trust") == 0)
        return keys_trust(a);
    if (strcmp(sub, "list") == 0) {
        if (a->argc > 1)
            return cli_usage_error("keys ", "unexpected argument '%s'", a->argv[1]);
        return cli_run_text(a, ACV_NEED_STORE, "key list", write_keys_list, NULL);
    }
    return cli_usage_error("keys ", "'%s' is not create, trust or list", sub);
}

static int submission_create(cli_args *a, int forward)
{
    const char *sub = forward ? "forward" : "create";
    if (a->argc > 1)
        return cli_usage_error("submission ", "unexpected argument '%s'", a->argv[1]);
    if (!a->area)
        return cli_usage_error("submission ", "submission %s needs --area CODE", sub);
    if (!a->output)
        return cli_usage_error("submission ", "submission %s needs -o FILE", sub);
    if ((a->year != 0) + (a->since != 0) + (a->full != 0) > 1)
        return cli_usage_error("submission ", "%s",
                               "--year, --since and --full exclude each other");
    if (forward && (a->year || a->since || a->full))
        return cli_usage_error("submission ", "%s",
                               "submission forward takes no --year, --since or --full");
    acv_error err;
    acv_ctx *ctx;
    int rc = cli_open(a, ACV_NEED_STORE | ACV_NEED_FRAMEWORK | ACV_NEED_LUA, &ctx, &err);
    if (rc)
        return rc;
    acv_submission_request req = {
        .area = a->area, .year = a->year, .since = a->since, .full = a->full, .output = a->output};
    acv_submission_summary s;
    /* a forward carries only the packages whose datasets were all accepted here (review.h) */
    acv_status st =
        forward ? acv_submission_forward(ctx, &req, acv_review_accepted_only, ctx->store, &s, &err)
                : acv_submission_create(ctx, &req, &s, &err);
    acv_ctx_close(ctx);
    if (st != ACV_OK)
        return cli_fail(st, &err);
    if (forward)
        printf("submission %s (package %lld sent): %ld packages received for %s forwarded, "
               "signed with key %s, in %s\n",
               s.submission_id, (long long)s.sent_id, s.forwarded, a->area, s.key_id, a->output);
    else
        printf("submission %s (package %lld sent): %ld observations, %ld earlier versions, %ld "
               "answers, %ld runs for %s%s, signed with key %s, in %s\n",
               s.submission_id, (long long)s.sent_id, s.observations, s.revisions, s.answers,
               s.runs, a->area,
               s.after_import ? " (changes since the last package acknowledged)" : "", s.key_id,
               a->output);
    cli_note(a, "content hash %s\n", s.content_hash);
    return 0;
}

static int submission_receive(cli_args *a)
{
    if (a->argc < 2)
        return cli_usage_error("submission ", "%s", "submission receive needs FILE...");
    acv_error err;
    acv_ctx *ctx;
    int rc = cli_open(a, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, &ctx, &err);
    if (rc)
        return rc;
    acv_status st = ACV_OK;
    for (int i = 1; i < a->argc && st == ACV_OK; i++) {
        acv_receive_summary s;
        acv_buf conflicts = {0};
        st = acv_submission_receive(ctx, a->argv[i], &conflicts, &s, &err);
        if (st == ACV_OK && s.already)
            printf("%s: submission %s from %s (key %s) was received before; nothing changed\n",
                   a->argv[i], s.submission_id, s.areas, s.sender);
        else if (st == ACV_OK && strcmp(s.kind, "forward") == 0)
            printf("%s: forward %s from %s (key %s, %s): %ld packages received (%ld received "
                   "before), %ld observations (%ld new, %ld revised, %ld unchanged, %ld "
                   "superseded by a later package), %ld answers, %ld runs, %ld conflicts\n",
                   a->argv[i], s.submission_id, s.areas, s.sender, s.sender_label, s.packages,
                   s.packages_already, s.observations, s.added, s.changed, s.unchanged,
                   s.superseded, s.answers, s.runs, s.conflicts);
        else if (st == ACV_OK)
            printf("%s: submission %s from %s (key %s, %s): %ld observations (%ld new, %ld "
                   "revised, %ld unchanged), %ld answers, %ld runs, %ld conflicts\n",
                   a->argv[i], s.submission_id, s.areas, s.sender, s.sender_label, s.observations,
                   s.added, s.changed, s.unchanged, s.answers, s.runs, s.conflicts);
        if (st == ACV_OK && conflicts.len)
            fputs(conflicts.data, stdout);
        if (st == ACV_OK && s.framework_note[0])
            cli_note(a, "note: %s\n", s.framework_note);
        acv_buf_free(&conflicts);
    }
    acv_ctx_close(ctx);
    return st == ACV_OK ? 0 : cli_fail(st, &err);
}

/* The receiver acknowledged a package sent from here: the next `create` without --since or
 * --full holds what changed after the latest acknowledged package of its area. */
static int submission_ack(cli_args *a)
{
    if (a->argc != 2)
        return cli_usage_error("submission ", "%s", "submission ack needs one SUBMISSION-ID");
    acv_error err;
    acv_ctx *ctx;
    int rc = cli_open(a, ACV_NEED_STORE, &ctx, &err);
    if (rc)
        return rc;
    acv_status st = acv_store_acknowledge_sent(ctx->store, a->argv[1], &err);
    acv_ctx_close(ctx);
    if (st != ACV_OK)
        return cli_fail(st, &err);
    printf("submission %s acknowledged: the next 'submission create' of its area without "
           "--since or --full holds what changed after it\n",
           a->argv[1]);
    return 0;
}

int cli_cmd_submission(cli_args *a)
{
    if (a->argc < 1)
        return cli_usage_error("submission ", "%s",
                               "submission needs create, receive, forward or ack");
    const char *sub = a->argv[0];
    if (strcmp(sub, "create") == 0)
        return submission_create(a, 0);
    if (strcmp(sub, "forward") == 0)
        return submission_create(a, 1);
    if (strcmp(sub, "receive") == 0)
        return submission_receive(a);
    if (strcmp(sub, "ack") == 0)
        return submission_ack(a);
    return cli_usage_error("submission ", "'%s' is not create, receive, forward or ack", sub);
}
