/* cli_report.c — `acvtrack report`: renders the report model of a stored run, or a comparison
 * of several areas' runs (compare.h). */
#include "calendar.h"
#include "cli.h"
#include "cli_commands.h"
#include "compare.h"
#include "render.h"
#include "report.h"
#include "storage_runs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

typedef acv_status (*area_renderer)(const acv_report_model *, acv_buf *, acv_error *);
typedef acv_status (*compare_renderer)(const acv_compare_model *, acv_buf *, acv_error *);
typedef acv_status (*many_renderer)(const acv_compare_many *, acv_buf *, acv_error *);

static const struct {
    const char *name;
    area_renderer area;
    compare_renderer compare;
    many_renderer many;
} FORMATS[] = {
    {"md", acv_render_markdown, acv_render_compare_markdown, acv_render_compare_many_markdown},
    {"html", acv_render_html, acv_render_compare_html, acv_render_compare_many_html},
    {"json", acv_render_json, acv_render_compare_json, acv_render_compare_many_json},
    {"csv", acv_render_csv, acv_render_compare_csv, acv_render_compare_many_csv},
    {"xlsx", acv_render_xlsx, acv_render_compare_xlsx, NULL},
    {"pdf", acv_render_pdf, acv_render_compare_pdf, NULL},
};

#define N_FORMATS (sizeof FORMATS / sizeof *FORMATS)

/* The format a file name asks for by its extension (case-insensitive, .htm and .markdown too):
 * the index into FORMATS, N_FORMATS when the name has no extension (a dot that starts the base
 * name does not count), or -1 for an extension that is not a report format. The extension is
 * returned in *ext (pointing into path, after the dot). */
static int format_of_name(const char *path, const char **ext)
{
    static const struct {
        const char *ext;
        const char *format;
    } EXTENSIONS[] = {{"md", "md"},     {"markdown", "md"}, {"html", "html"}, {"htm", "html"},
                      {"json", "json"}, {"csv", "csv"},     {"xlsx", "xlsx"}, {"pdf", "pdf"}};
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    *ext = NULL;
    if (!dot || dot == base || dot[1] == '\0')
        return (int)N_FORMATS;
    *ext = dot + 1;
    for (size_t e = 0; e < sizeof EXTENSIONS / sizeof *EXTENSIONS; e++)
        if (strcasecmp(EXTENSIONS[e].ext, *ext) == 0)
            for (size_t f = 0; f < N_FORMATS; f++)
                if (strcmp(FORMATS[f].name, EXTENSIONS[e].format) == 0)
                    return (int)f;
    return -1;
}

/* The format to render: --format when given, else the one -o FILE's extension names, else
 * Markdown (standard output, or a file without extension). An explicit --format that disagrees
 * with a known extension is refused rather than writing, say, CSV into report.html; an unknown
 * extension needs --format. Returns the index into FORMATS, or -1 after printing the usage error
 * (its exit status in *rc). */
static int choose_format(const cli_args *a, int *rc)
{
    char msg[600];
    size_t f = 0;
    if (a->format) {
        while (f < N_FORMATS && strcmp(FORMATS[f].name, a->format) != 0)
            f++;
        if (f == N_FORMATS) {
            *rc = cli_usage_error(
                "report ", "unknown --format '%s' (md, html, json, csv, xlsx or pdf)", a->format);
            return -1;
        }
    }
    if (!a->output)
        return (int)f;
    const char *ext;
    int named = format_of_name(a->output, &ext);
    if (named == (int)N_FORMATS)
        return (int)f;
    if (named < 0) {
        if (a->format)
            return (int)f;
        snprintf(msg, sizeof msg,
                 "cannot tell the report format from '%s' (.%s): name the file .md, .html, "
                 ".json, .csv, .xlsx or .pdf, or give --format md|html|json|csv|xlsx|pdf",
                 a->output, ext);
        *rc = cli_usage_error("report ", "%s", msg);
        return -1;
    }
    if (a->format && (size_t)named != f) {
        snprintf(msg, sizeof msg,
                 "--format %s does not match the file name '%s' (.%s is %s): drop --format "
                 "or change the file name",
                 a->format, a->output, ext, FORMATS[named].name);
        *rc = cli_usage_error("report ", "%s", msg);
        return -1;
    }
    return named;
}

/* Whether the format is a binary file (xlsx, pdf), which is never written to a terminal. */
static int binary_format(int f)
{
    return strcmp(FORMATS[f].name, "xlsx") == 0 || strcmp(FORMATS[f].name, "pdf") == 0;
}

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

typedef struct {
    int format;       /* index into FORMATS */
    const char *spec; /* compare_spec's, NULL for one area */
} report_job;

static acv_status report_text(acv_ctx *ctx, const cli_args *a, const void *ud, acv_buf *out,
                              acv_error *err)
{
    const report_job *job = ud;
    acv_status st;
    /* a file written from runs is recorded with them (storage_runs.h), so `runs prune` keeps
     * them; recorded before the file is written: a failed write leaves a record too many, never
     * a file whose runs may go */
    int64_t one_run = 0, *runs = NULL, report_id;
    size_t n_runs = 0, n = 0;
    if (job->spec && (st = acv_compare_count(ctx, job->spec, a->year, &n, err)) != ACV_OK)
        return st;
    if (job->spec && n > ACV_COMPARE_SIDE_BY_SIDE_MAX && !FORMATS[job->format].many)
        return acv_error_set(err, ACV_ERR_USAGE,
                             "--format %s compares up to %d areas side by side; %zu areas are "
                             "compared as distributions in md, html, json or csv",
                             FORMATS[job->format].name, ACV_COMPARE_SIDE_BY_SIDE_MAX, n);
    if (job->spec && n > ACV_COMPARE_SIDE_BY_SIDE_MAX) {
        /* many areas: distributions, read one area at a time */
        acv_compare_many *c = NULL;
        st = acv_compare_many_load(ctx, job->spec, a->highlight, (size_t)a->top, a->year, &c, err);
        if (st == ACV_OK)
            st = FORMATS[job->format].many(c, out, err);
        if (st == ACV_OK && a->output) {
            if (!(runs = malloc((c->n_areas + 1) * sizeof *runs)))
                st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
            for (size_t i = 0; st == ACV_OK && i < c->n_areas; i++)
                runs[n_runs++] = c->areas[i].run_id;
        }
        acv_compare_many_free(c);
    } else if (job->spec) {
        acv_compare_model *c = NULL;
        acv_progress progress;
        cli_progress_init(a, &progress);
        st = acv_compare_load_progress(ctx, job->spec, a->year, &progress, &c, err);
        if (st == ACV_OK)
            st = FORMATS[job->format].compare(c, out, err);
        if (st == ACV_OK && a->output) {
            if (!(runs = malloc((c->n_areas + 1) * sizeof *runs)))
                st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
            for (size_t i = 0; st == ACV_OK && i < c->n_areas; i++)
                runs[n_runs++] = c->areas[i].m->run_id;
        }
        acv_compare_free(c);
    } else {
        acv_report_model *m = NULL;
        st = acv_report_model_load(ctx, a->area, a->year, &m, err);
        acv_calendar cal;
        char why[300];
        if (st == ACV_OK && a->calendar && acv_calendar_find(a->calendar, &cal, why, sizeof why) &&
            cal != ACV_CAL_CE)
            snprintf(m->year_local, sizeof m->year_local, "%s %d", acv_calendar_label(cal),
                     acv_calendar_from_ce(cal, m->year));
        if (st == ACV_OK)
            st = FORMATS[job->format].area(m, out, err);
        if (st == ACV_OK) {
            one_run = m->run_id;
            n_runs = 1;
        }
        acv_report_model_free(m);
    }
    if (st == ACV_OK && a->output)
        st = acv_store_record_report(ctx->store, a->output, FORMATS[job->format].name,
                                     runs ? runs : &one_run, n_runs, &report_id, err);
    free(runs);
    return st;
}

int cli_cmd_report(cli_args *a)
{
    if ((a->highlight || a->top) && !a->compare && !(a->country && !a->area))
        return cli_usage_error("report ", "%s", "--highlight and --top are for --compare");
    if (!a->area && !a->compare && !a->country)
        return cli_usage_error("report ", "%s",
                               "report needs --area CODE, --compare CODE1,CODE2,... or "
                               "--compare country:CC");
    int rc = 0;
    int f = choose_format(a, &rc);
    if (f < 0)
        return rc;
    if (binary_format(f) && !a->output && isatty(STDOUT_FILENO))
        return cli_usage_error("report ", "--format %s is a binary file: give -o FILE",
                               FORMATS[f].name);
    acv_error err;
    acv_error_clear(&err);
    char *spec = NULL;
    acv_status st = compare_spec(a, &spec, &err);
    if (st != ACV_OK)
        return cli_fail(st, &err);
    if (a->calendar) {
        acv_calendar cal;
        char why[300];
        if (!acv_calendar_find(a->calendar, &cal, why, sizeof why)) {
            free(spec);
            return cli_usage_error("report ", "--calendar: %s", why);
        }
    }
    report_job job = {f, spec};
    rc = cli_run_text(a, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, spec ? "comparison" : "report",
                      report_text, &job);
    free(spec);
    return rc;
}
