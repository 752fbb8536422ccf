/*
 * cli_exchange.c — `acvtrack keys` (signing keys and trust) and `acvtrack submission` (signed
 * packages: create, receive, forward). The work is in engine/exchange/.
 */
#include "cli_commands.h"
#include "keys.h"

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
