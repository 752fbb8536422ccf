/* cli_report.c — `acvtrack report`: renders the report model of a stored run, or a comparison
 * of several areas' runs (compare.h). */
#include "cli.h"
#include "cli_commands.h"
#include "compare.h"
#include "render.h"
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef acv_status (*area_renderer)(const acv_report_model *, acv_buf *, acv_error *);
typedef acv_status (*compare_renderer)(const acv_compare_model *, acv_buf *, acv_error *);

static const struct {
    const char *name;
    area_renderer area;
    compare_renderer compare;
} FORMATS[] = {
    {"md", acv_render_markdown, acv_render_compare_markdown},
    {"html", acv_render_html, acv_render_compare_html},
    {"json", acv_render_json, acv_render_compare_json},
    {"csv", acv_render_csv, acv_render_compare_csv},
};

/* The comparison asked for: --compare LIST, with --area put first when both are given, or
 * --country CC alone as a shorthand for --compare country:CC. NULL when this is a one-area
 * report; *spec_out is malloc'd. */
static acv_status compare_spec(const cli_args *a, char **spec_out, acv_error *err)
{
    *spec_out = NULL;
    const char *area = a->area ? a->area : "";
    size_t n;
    if (a->compare) {
        n = strlen(area) + strlen(a->compare) + 2;
        if (!(*spec_out = malloc(n)))
            return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
        snprintf(*spec_out, n, "%s%s%s", area, *area ? "," : "", a->compare);
    } else if (a->country && !a->area) {
        n = strlen(a->country) + 16;
        if (!(*spec_out = malloc(n)))
            return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
        snprintf(*spec_out, n, "country:%s", a->country);
    }
    return ACV_OK;
}

int cli_cmd_report(cli_args *a)
{
    if (!a->area && !a->compare && !a->country)
        return cli_usage_error("report ", "%s",
                               "report needs --area CODE, --compare CODE1,CODE2,... or "
                               "--compare country:CC");
    const char *format = a->format ? a->format : "md";
    size_t f = 0;
    while (f < sizeof FORMATS / sizeof *FORMATS && strcmp(FORMATS[f].name, format) != 0)
        f++;
    if (f == sizeof FORMATS / sizeof *FORMATS)
        return cli_usage_error("report ", "unknown --format '%s' (md, html, json or csv)", format);
    acv_error err;
    acv_error_clear(&err);
    char *spec = NULL;
    acv_status st = compare_spec(a, &spec, &err);
    if (st != ACV_OK)
        return cli_fail(st, &err);
    acv_ctx *ctx = NULL;
    st = acv_ctx_open(&a->ctx, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, &ctx, &err);
    if (st != ACV_OK) {
        free(spec);
        return cli_fail(st, &err);
    }
    acv_buf b = {0};
    int comparing = spec != NULL;
    if (comparing) {
        acv_compare_model *c = NULL;
        st = acv_compare_load(ctx, spec, a->year, &c, &err);
        if (st == ACV_OK)
            st = FORMATS[f].compare(c, &b, &err);
        acv_compare_free(c);
    } else {
        acv_report_model *m = NULL;
        st = acv_report_model_load(ctx, a->area, a->year, &m, &err);
        if (st == ACV_OK)
            st = FORMATS[f].area(m, &b, &err);
        acv_report_model_free(m);
    }
    free(spec);
    acv_ctx_close(ctx);
    if (st == ACV_OK)
        st = cli_emit(a, &b, comparing ? "comparison" : "report", &err);
    acv_buf_free(&b);
    return st == ACV_OK ? 0 : cli_fail(st, &err);
}
