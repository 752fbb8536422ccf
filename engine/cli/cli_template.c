/*
 * cli_template.c — `acvtrack template`: the blank observations file of an area (template.h), as
 * CSV or as an xlsx workbook (render.h), for a city or a ministry to fill and import.
 */
#include "cli_commands.h"
#include "render.h"
#include "template.h"

#include <string.h>
#include <strings.h>
#include <unistd.h>

static acv_status write_template(acv_ctx *ctx, const cli_args *a, const void *ud, acv_buf *out,
                                 acv_error *err)
{
    const int *xlsx = ud;
    acv_obs_template t;
    acv_status st = acv_obs_template_load(ctx, a->area, a->year, &t, err);
    if (st != ACV_OK)
        return st;
    return *xlsx ? acv_render_template_xlsx(&t, out, err) : acv_render_template_csv(&t, out, err);
}

int cli_cmd_template(cli_args *a)
{
    if (!a->area)
        return cli_usage_error("template ", "%s", "template needs --area CODE");
    if (a->argc > 0)
        return cli_usage_error("template ", "unexpected argument '%s'", a->argv[0]);
    const char *fmt = a->format;
    if (!fmt && a->output) {
        size_t n = strlen(a->output);
        fmt = n > 5 && strcasecmp(a->output + n - 5, ".xlsx") == 0 ? "xlsx" : "csv";
    }
    int xlsx = 0;
    if (!fmt || strcmp(fmt, "csv") == 0)
        xlsx = 0;
    else if (strcmp(fmt, "xlsx") == 0)
        xlsx = 1;
    else
        return cli_usage_error("template ", "--format '%s' is not csv or xlsx", fmt);
    if (xlsx && !a->output && isatty(STDOUT_FILENO))
        return cli_usage_error("template ", "%s",
                               "--format xlsx is a binary file: give -o FILE.xlsx");
    return cli_run_text(a, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, "template", write_template, &xlsx);
}
