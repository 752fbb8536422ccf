/*
 * cli_runs.c — `acvtrack runs list|prune`: the stored runs, and pruning them with the space given
 * back (store/storage_runs.h does the work).
 */
#include "cli_commands.h"
#include "csvwrite.h"
#include "storage_runs.h"
#include "table.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    int csv;
    acv_table table;
    acv_csv_writer w;
    long n;
    int oom;
} list_state;

static int list_run(void *ud, const acv_run_row *r)
{
    list_state *l = ud;
    char id[32], year[16];
    snprintf(id, sizeof id, "%lld", (long long)r->id);
    snprintf(year, sizeof year, "%d", r->year);
    l->n++;
    if (l->csv) {
        acv_csvwrite_integer(&l->w, r->id);
        acv_csvwrite_text(&l->w, r->area);
        acv_csvwrite_integer(&l->w, r->year);
        acv_csvwrite_text(&l->w, r->created_at);
        acv_csvwrite_raw(&l->w, r->latest ? "true" : "false");
        acv_csvwrite_text(&l->w, r->references);
        acv_csvwrite_end_row(&l->w);
        return 0;
    }
    const char *cells[] = {id, r->area, year, r->created_at, r->latest ? "yes" : "", r->references};
    acv_error err;
    if (acv_table_add(&l->table, cells, &err) != ACV_OK)
        l->oom = 1;
    return l->oom;
}

static acv_status write_list(acv_ctx *ctx, const cli_args *a, const void *ud, acv_buf *out,
                             acv_error *err)
{
    (void)ud;
    static const acv_table_column cols[] = {{"RUN", 0},     {"AREA", 0},   {"YEAR", 0},
                                            {"CREATED", 0}, {"LATEST", 0}, {"REFERENCED BY", 60}};
    list_state l = {.csv = a->format && strcmp(a->format, "csv") == 0};
    if (l.csv) {
        l.w = acv_csvwrite_to_buf(out);
        static const char *const head[] = {"run",     "area",   "year",
                                           "created", "latest", "referenced_by"};
        for (size_t i = 0; i < sizeof head / sizeof *head; i++)
            acv_csvwrite_raw(&l.w, head[i]);
        acv_csvwrite_end_row(&l.w);
    } else {
        acv_table_init(&l.table, cols, sizeof cols / sizeof *cols);
    }
    acv_status st = acv_store_runs_each(ctx->store, a->area, list_run, &l, err);
    if (st == ACV_OK && l.oom)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    if (!l.csv) {
        if (st == ACV_OK)
            acv_table_render(&l.table, out);
        acv_table_free(&l.table);
    }
    if (st == ACV_OK && out->failed)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    if (st == ACV_OK)
        cli_note(a, "%ld run%s\n", l.n, l.n == 1 ? "" : "s");
    return st;
}

/* "2026-01-31": a date, checked enough for a string comparison with stored UTC times. */
static int is_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    int month = (s[5] - '0') * 10 + (s[6] - '0'), day = (s[8] - '0') * 10 + (s[9] - '0');
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

static int runs_prune(cli_args *a)
{
    if (a->before && !is_date(a->before))
        return cli_usage_error("runs ", "--before '%s' is not a date like 2026-01-31", a->before);
    acv_error err;
    acv_ctx *ctx;
    int rc = cli_open(a, ACV_NEED_STORE, &ctx, &err);
    if (rc)
        return rc;
    acv_prune_options o = {.keep_latest = a->keep_latest ? a->keep_latest : 1,
                           .before = a->before,
                           .dry_run = a->dry_run};
    acv_prune_summary sum;
    acv_status st = acv_store_runs_prune(ctx->store, &o, &sum, &err);
    acv_ctx_close(ctx);
    if (st != ACV_OK)
        return cli_fail(st, &err);
    printf("runs prune%s: %ld of %ld runs %s; kept: %ld latest of their area and year (up to %d "
           "each), %ld older referenced by a report or a submission",
           o.dry_run ? " --dry-run" : "", sum.removed, sum.runs,
           o.dry_run ? "would be removed" : "removed", sum.kept_latest, o.keep_latest,
           sum.kept_referenced);
    if (o.before)
        printf(", %ld older created on or after %s", sum.kept_recent, o.before);
    printf("\n");
    if (o.dry_run) {
        printf("workspace: %lld bytes; nothing changed\n", (long long)sum.bytes_before);
        return 0;
    }
    long long reclaimed = (long long)(sum.bytes_before - sum.bytes_after);
    printf("workspace: %lld bytes before, %lld after: %lld bytes (%.1f MiB) reclaimed%s\n",
           (long long)sum.bytes_before, (long long)sum.bytes_after, reclaimed,
           (double)reclaimed / (1024.0 * 1024.0),
           sum.full_vacuum ? " (a full VACUUM: the file had no incremental auto-vacuum yet)" : "");
    return 0;
}

int cli_cmd_runs(cli_args *a)
{
    if (a->argc < 1)
        return cli_usage_error("runs ", "%s", "runs needs 'list' or 'prune'");
    const char *sub = a->argv[0];
    if (a->argc > 1)
        return cli_usage_error("runs ", "unexpected argument '%s'", a->argv[1]);
    if (strcmp(sub, "list") == 0) {
        if (a->format && strcmp(a->format, "table") != 0 && strcmp(a->format, "csv") != 0)
            return cli_usage_error("runs ", "--format '%s' is not table or csv", a->format);
        if (a->keep_latest || a->before || a->dry_run)
            return cli_usage_error("runs ", "%s",
                                   "--keep-latest, --before and --dry-run are for 'runs prune'");
        return cli_run_text(a, ACV_NEED_STORE, "run list", write_list, NULL);
    }
    if (strcmp(sub, "prune") == 0) {
        if (a->area || a->format)
            return cli_usage_error("runs ", "%s", "--area and --format are for 'runs list'");
        return runs_prune(a);
    }
    return cli_usage_error("runs ", "unknown runs subcommand '%s' (list or prune)", sub);
}
