/*
 * cli_review.c — `acvtrack review` (what waits, accept, return, history, and the signed return
 * file) and `acvtrack submissions` (who reported for a year): reads the command line and calls
 * exchange/review.h.
 */
#include "cli_commands.h"
#include "review.h"

#include <stdlib.h>
#include <string.h>

static int parse_year(const char *cmd, const char *s, int *year)
{
    char *end;
    long y = strtol(s, &end, 10);
    if (!*s || *end || y < 1900 || y > 2100)
        return cli_usage_error(cmd, "'%s' is not a year like 2025", s);
    *year = (int)y;
    return 0;
}

static acv_status pending_text(acv_ctx *ctx, const cli_args *a, const void *ud, acv_buf *out,
                               acv_error *err)
{
    (void)ud;
    return acv_review_pending_text(ctx, a->year, out, err);
}

typedef struct {
    const char *area;
    int year;
} dataset_arg;

static acv_status history_text(acv_ctx *ctx, const cli_args *a, const void *ud, acv_buf *out,
                               acv_error *err)
{
    (void)a;
    const dataset_arg *d = ud;
    return acv_review_history_text(ctx, d->area, d->year, out, err);
}

/* review accept|return AREA YEAR [--comment TEXT] [--indicator CODE [--period P] --comment
 * TEXT]... */
static int review_decide(cli_args *a, acv_ds_state to)
{
    const char *verb = to == ACV_DS_ACCEPTED ? "accept" : "return";
    if (a->argc != 3)
        return cli_usage_error("review ", "review %s needs AREA YEAR", verb);
    if (a->pending_indicator || a->pending_period)
        return cli_usage_error("review ", "--indicator/--period %s has no --comment after it",
                               a->pending_indicator ? a->pending_indicator : a->pending_period);
    acv_review_request req = {.area = a->argv[1], .to = to};
    int rc = parse_year("review ", a->argv[2], &req.year);
    if (rc)
        return rc;
    acv_review_comment values[CLI_MAX_COMMENTS];
    for (int i = 0; i < a->n_comments; i++) {
        const cli_comment *c = &a->comments[i];
        if (!c->indicator && c->period)
            return cli_usage_error("review ", "--period %s needs an --indicator", c->period);
        if (!c->indicator) {
            if (req.comment)
                return cli_usage_error("review ", "%s",
                                       "one --comment on the dataset; comments on values follow "
                                       "--indicator CODE");
            req.comment = c->text;
        } else {
            values[req.n_values++] = (acv_review_comment){
                .indicator = c->indicator, .period = c->period, .comment = c->text};
        }
    }
    req.values = values;
    if (a->output && to != ACV_DS_RETURNED)
        return cli_usage_error("review ", "%s",
                               "-o FILE (the signed return file) goes with return");
    acv_error err;
    acv_ctx *ctx;
    rc = cli_open(a, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, &ctx, &err);
    if (rc)
        return rc;
    char key_id[ACV_REVIEW_KEY_ID_SIZE];
    if (acv_review_workspace_key(ctx, key_id))
        req.key_id = key_id;
    /* a return file needs the signing key: checked before anything is recorded */
    acv_status st = a->output ? acv_review_can_sign(ctx, &err) : ACV_OK;
    int64_t id = 0;
    if (st == ACV_OK)
        st = acv_review_decide(ctx, &req, &id, &err);
    acv_review_decision d;
    acv_ds_state state;
    if (st == ACV_OK)
        st = acv_review_state(ctx, req.area, req.year, &state, &d, &err);
    if (st == ACV_OK)
        printf("%s %d: %s -> %s by %s at %s (decision %lld, %zu comment%s)\n", req.area, req.year,
               d.from_state, d.to_state, d.who, d.at, (long long)id,
               req.n_values + (req.comment != NULL),
               req.n_values + (req.comment != NULL) == 1 ? "" : "s");
    if (st == ACV_OK && a->output) {
        st = acv_review_return_write(ctx, req.area, req.year, a->output, &err);
        acv_ctx_close(ctx);
        if (st != ACV_OK) {
            cli_fail(st, &err);
            fprintf(stderr,
                    "acvtrack: the return is recorded; write its file with 'acvtrack review "
                    "export-return %s %d -o FILE'\n",
                    req.area, req.year);
            return acv_status_exit_code(st);
        }
        cli_note(a, "acvtrack: signed return file written to %s; send it to the city\n", a->output);
        return 0;
    }
    acv_ctx_close(ctx);
    if (st != ACV_OK) {
        cli_fail(st, &err);
        fprintf(stderr, "acvtrack: nothing was recorded\n");
        return acv_status_exit_code(st);
    }
    return 0;
}

/* review export-return AREA YEAR -o FILE */
static int review_export_return(cli_args *a)
{
    if (a->argc != 3 || !a->output)
        return cli_usage_error("review ", "%s", "review export-return needs AREA YEAR -o FILE");
    int year;
    int rc = parse_year("review ", a->argv[2], &year);
    if (rc)
        return rc;
    acv_error err;
    acv_ctx *ctx;
    rc = cli_open(a, ACV_NEED_STORE, &ctx, &err);
    if (rc)
        return rc;
    acv_status st = acv_review_return_write(ctx, a->argv[1], year, a->output, &err);
    acv_ctx_close(ctx);
    if (st != ACV_OK)
        return cli_fail(st, &err);
    cli_note(a, "acvtrack: signed return file written to %s; send it to the city\n", a->output);
    return 0;
}

/* review import-return FILE (at the city) */
static int review_import_return(cli_args *a)
{
    if (a->argc != 2)
        return cli_usage_error("review ", "%s", "review import-return needs one FILE");
    acv_error err;
    acv_ctx *ctx;
    int rc = cli_open(a, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, &ctx, &err);
    if (rc)
        return rc;
    acv_review_import r;
    acv_status st = acv_review_return_import(ctx, a->argv[1], &r, &err);
    acv_ctx_close(ctx);
    if (st != ACV_OK) {
        cli_fail(st, &err);
        fprintf(stderr, "acvtrack: nothing was imported\n");
        return acv_status_exit_code(st);
    }
    if (r.already)
        printf("%s: %s %d: this return was imported before; nothing changed\n", a->argv[1], r.area,
               r.year);
    else
        printf("%s: %s %d returned, %zu comment%s; see 'acvtrack status --area %s'\n", a->argv[1],
               r.area, r.year, r.n_comments, r.n_comments == 1 ? "" : "s", r.area);
    return 0;
}

int cli_cmd_review(cli_args *a)
{
    if (a->argc == 0)
        return cli_run_text(a, ACV_NEED_STORE, "review", pending_text, NULL);
    const char *sub = a->argv[0];
    if (strcmp(sub, "accept") == 0)
        return review_decide(a, ACV_DS_ACCEPTED);
    if (strcmp(sub, "return") == 0)
        return review_decide(a, ACV_DS_RETURNED);
    if (strcmp(sub, "export-return") == 0)
        return review_export_return(a);
    if (strcmp(sub, "import-return") == 0)
        return review_import_return(a);
    if (strcmp(sub, "history") == 0) {
        if (a->argc < 2 || a->argc > 3)
            return cli_usage_error("review ", "%s", "review history needs AREA [YEAR]");
        dataset_arg d = {.area = a->argv[1], .year = a->year};
        if (a->argc == 3) {
            int rc = parse_year("review ", a->argv[2], &d.year);
            if (rc)
                return rc;
        }
        return cli_run_text(a, ACV_NEED_STORE, "review history", history_text, &d);
    }
    return cli_usage_error("review ",
                           "unknown review subcommand '%s' (accept, return, history, "
                           "import-return, export-return)",
                           sub);
}

typedef struct {
    acv_submissions_format format;
} submissions_args;

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static acv_status submissions_text(acv_ctx *ctx, const cli_args *a, const void *ud, acv_buf *out,
                                   acv_error *err)
{
    const submissions_args *sa = ud;
    acv_submissions_request req = {.country = a->country, .year = a->year, .as_of = a->as_of};
    if (!req.year)
        req.year = acv_store_review_latest_year(ctx->store);
    if (!req.year)
        return acv_error_set(err, ACV_ERR_NOTFOUND,
                             "no submission was received in this workspace; name the year with "
                             "--year YEAR");
    acv_calendar *cal = NULL;
    acv_status st = ACV_OK;
    if (a->calendar) {
        st = acv_calendar_load(a->calendar, NULL, &cal, err);
    } else {
        char *path = NULL, *display = NULL;
        if (acv_overlay_find(&ctx->roots, "indicators/calendar/reporting-calendar.yml", &path,
                             &display))
            st = acv_calendar_load(path, display, &cal, err);
        free(path);
        free(display);
    }
    if (st != ACV_OK)
        return st;
    req.calendar = cal;
    acv_submissions_model *m = NULL;
    st = acv_submissions_load(ctx, &req, &m, err);
    if (st == ACV_OK)
        acv_submissions_render(m, sa->format, out);
    acv_submissions_free(m);
    acv_calendar_free(cal);
    if (st == ACV_OK && out->failed)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    return st;
}

int cli_cmd_submissions(cli_args *a)
{
    if (a->argc)
        return cli_usage_error("submissions ", "unexpected argument '%s'", a->argv[0]);
    submissions_args sa = {ACV_SUBMISSIONS_TABLE};
    const char *fmt = a->format;
    if (!fmt && a->output)
        fmt = ends_with(a->output, ".csv") ? "csv" : ends_with(a->output, ".html") ? "html" : NULL;
    if (!fmt || strcmp(fmt, "table") == 0)
        sa.format = ACV_SUBMISSIONS_TABLE;
    else if (strcmp(fmt, "csv") == 0)
        sa.format = ACV_SUBMISSIONS_CSV;
    else if (strcmp(fmt, "html") == 0)
        sa.format = ACV_SUBMISSIONS_HTML;
    else
        return cli_usage_error("submissions ", "--format '%s' is not table, csv or html", fmt);
    return cli_run_text(a, ACV_NEED_STORE, "submissions", submissions_text, &sa);
}
