/*
 * cli_rank.c — `acvtrack rank`: reads the selection, the level and the format from the command
 * line and prints the ranking reports/rank.h builds.
 */
#include "cli_commands.h"
#include "rank.h"
#include "uncertainty.h"
#include "render.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    acv_rank_request req;
    acv_rank_format format;
    acv_uncertainty_request uq;
    int xlsx; /* an Excel workbook (render.h) instead of format */
} rank_args;

static acv_status write_uncertainty(acv_ctx *ctx, const cli_args *a, const void *ud, acv_buf *out,
                                    acv_error *err)
{
    (void)a;
    const rank_args *r = ud;
    acv_uncertainty_model *m;
    acv_status st = acv_uncertainty_run_analysis(ctx, &r->uq, &m, err);
    if (st != ACV_OK)
        return st;
    acv_uncertainty_render(m, r->format, out);
    acv_uncertainty_free(m);
    return out->failed ? acv_error_set(err, ACV_ERR_NOMEM, "out of memory") : ACV_OK;
}

static acv_status write_rank(acv_ctx *ctx, const cli_args *a, const void *ud, acv_buf *out,
                             acv_error *err)
{
    const rank_args *r = ud;
    acv_progress progress;
    cli_progress_init(a, &progress);
    acv_rank_request req = r->req;
    req.progress = &progress;
    acv_rank_model *m;
    acv_status st = acv_rank_load(ctx, &req, &m, err);
    if (st != ACV_OK)
        return st;
    if (r->xlsx)
        st = acv_render_rank_xlsx(m, out, err);
    else
        acv_rank_render(m, r->format, out);
    acv_rank_free(m);
    if (st != ACV_OK)
        return st;
    return out->failed ? acv_error_set(err, ACV_ERR_NOMEM, "out of memory") : ACV_OK;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

int cli_cmd_rank(cli_args *a)
{
    rank_args r = {.req = {.level = "overall", .year = a->year}};
    int n_selections = (a->country != NULL) + (a->parent != NULL) + (a->all != 0);
    if (n_selections > 1)
        return cli_usage_error("rank ", "%s", "--country, --parent and --all exclude each other");
    if (n_selections == 0)
        return cli_usage_error("rank ", "%s", "rank needs --country CC, --parent CODE or --all");
    r.req.selection.country = a->country;
    r.req.selection.parent = a->parent;
    int used_args = 0;
    if (a->by && strcmp(a->by, "overall") != 0) {
        if (strcmp(a->by, "pillar") == 0)
            r.req.level = "pillar";
        else if (strcmp(a->by, "action-area") == 0)
            r.req.level = "action_area";
        else
            return cli_usage_error(
                "rank ", "--by '%s' is not overall, pillar CODE or action-area CODE", a->by);
        if (a->argc < 1)
            return cli_usage_error("rank ", "--by %s needs a code, e.g. --by pillar PS", a->by);
        r.req.code = a->argv[0];
        used_args = 1;
    }
    if (a->argc > used_args)
        return cli_usage_error("rank ", "unexpected argument '%s'", a->argv[used_args]);
    const char *fmt = a->format;
    if (!fmt && a->output)
        fmt = ends_with(a->output, ".csv")    ? "csv"
              : ends_with(a->output, ".json") ? "json"
              : ends_with(a->output, ".xlsx") ? "xlsx"
                                              : NULL;
    if (!fmt || strcmp(fmt, "table") == 0)
        r.format = ACV_RANK_TABLE;
    else if (strcmp(fmt, "csv") == 0)
        r.format = ACV_RANK_CSV;
    else if (strcmp(fmt, "json") == 0)
        r.format = ACV_RANK_JSON;
    else if (strcmp(fmt, "xlsx-csv") == 0)
        r.format = ACV_RANK_XLSX_CSV;
    else if (strcmp(fmt, "xlsx") == 0)
        r.xlsx = 1;
    else
        return cli_usage_error("rank ", "--format '%s' is not table, csv, xlsx-csv, json or xlsx",
                               fmt);
    if (r.xlsx && !a->output && isatty(STDOUT_FILENO))
        return cli_usage_error("rank ", "%s", "--format xlsx is a binary file: give -o FILE.xlsx");
    if (!a->uncertainty) {
        if (a->seed || a->sensitivity || a->assumptions)
            return cli_usage_error("rank ", "%s",
                                   "--seed, --sensitivity and --assumptions need --uncertainty N");
        return cli_run_text(a, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, "ranking", write_rank, &r);
    }
    if (r.format == ACV_RANK_XLSX_CSV || r.xlsx)
        return cli_usage_error("rank ", "--format %s is for a ranking without --uncertainty",
                               r.xlsx ? "xlsx" : "xlsx-csv");
    char *end;
    errno = 0;
    unsigned long long n = strtoull(a->uncertainty, &end, 10);
    if (*end || errno || a->uncertainty[0] == '-' || n < 2 || n > ACV_UNCERTAINTY_MAX_RUNS)
        return cli_usage_error("rank ",
                               "--uncertainty '%s' is not a number of replications from 2 "
                               "to 100000",
                               a->uncertainty);
    unsigned long long seed = 1;
    if (a->seed) {
        errno = 0;
        seed = strtoull(a->seed, &end, 10);
        if (*end || errno || !a->seed[0] || a->seed[0] == '-')
            return cli_usage_error("rank ", "--seed '%s' is not a whole number from 0 to 2^64 - 1",
                                   a->seed);
    }
    r.uq = (acv_uncertainty_request){.rank = r.req,
                                     .n = (size_t)n,
                                     .seed = seed,
                                     .sensitivity = a->sensitivity,
                                     .assumptions = a->assumptions,
                                     .jobs = a->jobs};
    return cli_run_text(a, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, "uncertainty analysis",
                        write_uncertainty, &r);
}
