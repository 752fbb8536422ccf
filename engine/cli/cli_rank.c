/*
 * cli_rank.c — `acvtrack rank`: reads the selection, the level and the format from the command
 * line and prints the ranking reports/rank.h builds.
 */
#include "cli_commands.h"
#include "rank.h"
#include "render.h"

#include <string.h>
#include <unistd.h>

typedef struct {
    acv_rank_request req;
    acv_rank_format format;
    int xlsx; /* an Excel workbook (render.h) instead of format */
} rank_args;

static acv_status write_rank(acv_ctx *ctx, const cli_args *a, const void *ud, acv_buf *out,
                             acv_error *err)
{
    (void)a;
    const rank_args *r = ud;
    acv_rank_model *m;
    acv_status st = acv_rank_load(ctx, &r->req, &m, err);
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
    else if (strcmp(fmt, "xlsx") == 0)
        r.xlsx = 1;
    else
        return cli_usage_error("rank ", "--format '%s' is not table, csv, json or xlsx", fmt);
    if (r.xlsx && !a->output && isatty(STDOUT_FILENO))
        return cli_usage_error("rank ", "%s", "--format xlsx is a binary file: give -o FILE.xlsx");
    return cli_run_text(a, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, "ranking", write_rank, &r);
}
