/* cli_report.c — `acvtrack report`: renders the report model of a stored run. */
#include "cli.h"
#include "cli_commands.h"
#include "report.h"

#include <string.h>

int cli_cmd_report(cli_args *a)
{
    if (!a->area)
        return cli_usage_error("report ", "%s", "report needs --area CODE");
    const char *format = a->format ? a->format : "md";
    if (strcmp(format, "md") != 0 && strcmp(format, "json") != 0)
        return cli_usage_error("report ", "unknown --format '%s' (md or json)", format);
    acv_error err;
    acv_error_clear(&err);
    acv_ctx *ctx = NULL;
    acv_status st = acv_ctx_open(&a->ctx, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, &ctx, &err);
    if (st != ACV_OK)
        return cli_fail(st, &err);
    acv_report_model *m = NULL;
    acv_buf b = {0};
    st = acv_report_model_load(ctx, a->area, a->year, &m, &err);
    if (st == ACV_OK)
        st = strcmp(format, "json") == 0 ? acv_render_json(m, &b, &err)
                                         : acv_render_markdown(m, &b, &err);
    acv_report_model_free(m);
    acv_ctx_close(ctx);
    if (st == ACV_OK)
        st = cli_emit(a, &b, "report", &err);
    acv_buf_free(&b);
    return st == ACV_OK ? 0 : cli_fail(st, &err);
}

