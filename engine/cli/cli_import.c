/* cli_import.c — the data commands: `acvtrack import` (observations from CSV), `imports` (the
 * list of imports, and taking one back), `history` (every version of a value and where it came
 * from), `validate` (the validation rules) and `status`
 * (what the workspace holds for an area, and its completeness). See docs/data.md. */
#include "cli.h"
#include "cli_commands.h"
#include "review.h"
#include "import.h"
#include "plugins.h"
#include "validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Skipped rows an importer plugin's import lists on the terminal; --rejects writes them all. */
#define SKIPS_LISTED 50

/* `import --format NAME` with a name that is not a CSV layout runs an importer plugin over the
 * files and folders given (docs/plugins.md); --dry-run, --rejects and --strict work as for CSV. */
static int import_with_plugin(cli_args *a)
{
    if (a->argc < 1)
        return cli_usage_error("import ", "%s", "import --format NAME needs files or folders");
    acv_error err;
    acv_ctx *ctx;
    cli_plugin_opts po;
    int rc = cli_open_for_plugin(a, 0, &ctx, &po, &err);
    if (rc)
        return rc;
    acv_buf report = {0}, skips = {0};
    acv_progress progress;
    cli_progress_init(a, &progress);
    acv_import_options io = {.progress = &progress,
                             .dry_run = a->dry_run,
                             .rejects = a->rejects,
                             .strict = a->strict,
                             .report = &report,
                             .skips = &skips,
                             .max_skips = SKIPS_LISTED,
                             .calendar = a->calendar};
    acv_plugin_import_summary sum;
    acv_status st = acv_plugin_import(ctx, a->format, (const char *const *)a->argv, (size_t)a->argc,
                                      po.opts, po.n, &io, &sum, &err);
    acv_ctx_close(ctx);
    if (report.len)
        fputs(report.data, stderr);
    acv_buf_free(&report);
    const acv_import_summary *im = &sum.import;
    if (st == ACV_OK && !im->already && im->skipped) {
        /* the rows the plugin left out: listed, the list capped; --rejects writes them all */
        fputs(skips.data ? skips.data : "", stderr);
        if (im->skipped > SKIPS_LISTED)
            fprintf(stderr,
                    "%s: %ld more skipped rows not listed here (--rejects FILE writes every "
                    "one with its file, line and reason)\n",
                    a->format, im->skipped - SKIPS_LISTED);
    }
    acv_buf_free(&skips);
    if (st == ACV_ERR_NOTFOUND && strncmp(err.message, "no plugin named", 15) == 0)
        return cli_usage_error("import ",
                               "--format '%s' is neither a layout (long, wide) nor an importer "
                               "plugin (see 'acvtrack plugins')",
                               a->format);
    if (st != ACV_OK) {
        cli_fail(st, &err);
        fprintf(stderr, "acvtrack: nothing was imported\n");
        return acv_status_exit_code(st);
    }
    if (im->already) {
        printf("%s: %zu files read; the same rows were imported before as import %lld; nothing "
               "changed\n",
               a->format, sum.inputs, (long long)im->already);
        return 0;
    }
    printf("%s: %zu files read; %s%lld: %zu areas and %zu data series %s; %ld observations: %ld "
           "new, %ld revised, %ld unchanged\n",
           a->format, sum.inputs,
           im->dry_run ? "dry run, nothing written: would be import " : "import ",
           (long long)im->import_id, sum.areas_added, sum.series_added,
           im->dry_run ? "to add" : "added", im->rows, im->added, im->changed, im->unchanged);
    if (a->rejects)
        printf("%s: %ld rows: %ld %s, %ld rejected (written to %s)\n", a->format, im->lines,
               im->lines - im->rejected, im->dry_run ? "accepted" : "imported", im->rejected,
               a->rejects);
    else if (im->skipped)
        printf("%s: %ld rows: %ld %s, %ld skipped (listed on stderr)\n", a->format, im->lines,
               im->lines - im->skipped, im->dry_run ? "accepted" : "imported", im->skipped);
    return 0;
}

int cli_cmd_import(cli_args *a)
{
    if (a->format && strcmp(a->format, "long") != 0 && strcmp(a->format, "wide") != 0)
        return import_with_plugin(a);
    if (a->argc != 1)
        return cli_usage_error("import ", "%s", "import needs exactly one FILE.csv");
    acv_layout layout = ACV_LAYOUT_AUTO;
    if (a->format && strcmp(a->format, "long") == 0)
        layout = ACV_LAYOUT_LONG;
    else if (a->format && strcmp(a->format, "wide") == 0)
        layout = ACV_LAYOUT_WIDE;
    acv_error err;
    acv_ctx *ctx;
    int rc = cli_open(a, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, &ctx, &err);
    if (rc)
        return rc;
    acv_buf report = {0};
    acv_progress progress;
    cli_progress_init(a, &progress);
    acv_import_options opt = {.progress = &progress,
                              .layout = layout,
                              .dry_run = a->dry_run,
                              .rejects = a->rejects,
                              .strict = a->strict,
                              .report = &report,
                              .calendar = a->calendar};
    acv_import_summary sum;
    acv_status st = acv_import_csv(ctx, a->argv[0], &opt, &sum, &err);
    acv_ctx_close(ctx);
    if (report.len)
        fputs(report.data, stderr);
    acv_buf_free(&report);
    if (st != ACV_OK) {
        cli_fail(st, &err);
        fprintf(stderr, "acvtrack: nothing was imported\n");
        return acv_status_exit_code(st);
    }
    const char *file = a->argv[0];
    if (sum.already) {
        printf("%s: already imported as import %lld; nothing changed\n", file,
               (long long)sum.already);
        return 0;
    }
    printf("%s: %s%lld%s: %ld observations: %ld new, %ld revised, %ld unchanged\n", file,
           sum.dry_run ? "dry run, nothing written: would be import " : "import ",
           (long long)sum.import_id, sum.layout == ACV_LAYOUT_WIDE ? " (wide layout)" : "",
           sum.rows, sum.added, sum.changed, sum.unchanged);
    if (a->rejects)
        printf("%s: %ld lines: %ld %s, %ld rejected (written to %s)\n", file, sum.lines,
               sum.lines - sum.rejected, sum.dry_run ? "accepted" : "imported", sum.rejected,
               a->rejects);
    return 0;
}

static acv_status imports_text(acv_ctx *ctx, const cli_args *a, const void *ud, acv_buf *out,
                               acv_error *err)
{
    (void)a;
    (void)ud;
    return acv_imports_text(ctx, out, err);
}

static int imports_revert(cli_args *a)
{
    if (a->argc != 2)
        return cli_usage_error("imports ", "%s", "imports revert needs one import number N");
    char *end;
    long long id = strtoll(a->argv[1], &end, 10);
    if (*end || end == a->argv[1] || id < 1)
        return cli_usage_error("imports ",
                               "'%s' is not an import number (see the ID column of "
                               "'acvtrack imports')",
                               a->argv[1]);
    acv_error err;
    acv_ctx *ctx;
    int rc = cli_open(a, ACV_NEED_STORE, &ctx, &err);
    if (rc)
        return rc;
    acv_revert_options opt = {.force = a->force, .dry_run = a->dry_run};
    acv_revert_summary sum;
    acv_status st = acv_import_revert(ctx, (int64_t)id, &opt, &sum, &err);
    acv_ctx_close(ctx);
    if (st != ACV_OK) {
        cli_fail(st, &err);
        fprintf(stderr, "acvtrack: nothing was reverted\n");
        return acv_status_exit_code(st);
    }
    long back = sum.added + sum.changed;
    printf("%simport %lld (%s) as import %lld: %ld value%s put back as before it, %ld value%s it "
           "added removed",
           sum.dry_run ? "dry run, nothing written: would revert " : "reverted ", id, sum.file,
           (long long)sum.revert_id, back, back == 1 ? "" : "s", sum.removed,
           sum.removed == 1 ? "" : "s");
    if (sum.forced)
        printf("; %ld of them had been changed since by a later import (--force)", sum.forced);
    printf("\n");
    if (!sum.dry_run)
        cli_note(a, "acvtrack: score again to bring the reports up to date\n");
    return 0;
}

int cli_cmd_imports(cli_args *a)
{
    if (a->argc == 0) {
        if (a->force || a->dry_run)
            return cli_usage_error("imports ", "%s",
                                   "--force and --dry-run go with 'imports revert N'");
        return cli_run_text(a, ACV_NEED_STORE, "imports", imports_text, NULL);
    }
    if (strcmp(a->argv[0], "revert") == 0)
        return imports_revert(a);
    return cli_usage_error("imports ",
                           "unknown imports subcommand '%s' (list with 'acvtrack "
                           "imports', take one back with 'imports revert N')",
                           a->argv[0]);
}

static acv_status history_text(acv_ctx *ctx, const cli_args *a, const void *ud, acv_buf *out,
                               acv_error *err)
{
    (void)ud;
    return acv_history_text(ctx, a->area, a->indicator, a->year, out, err);
}

int cli_cmd_history(cli_args *a)
{
    if (!a->area || !a->indicator)
        return cli_usage_error("history ", "%s", "history needs --area CODE and --indicator ID");
    if (a->argc)
        return cli_usage_error("history ", "unexpected argument '%s'", a->argv[0]);
    return cli_run_text(a, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, "history", history_text, NULL);
}

typedef struct {
    acv_buf *out;
    long shown, limit;
} validate_print;

static int print_violation(void *ud, const acv_violation *v)
{
    validate_print *p = ud;
    if (p->limit && p->shown >= p->limit)
        return 0; /* keep counting */
    acv_violation_format(v, p->out);
    p->shown++;
    return 0;
}

int cli_cmd_validate(cli_args *a)
{
    if (a->argc)
        return cli_usage_error("validate ", "unexpected argument '%s'", a->argv[0]);
    acv_error err;
    acv_ctx *ctx;
    int rc = cli_open(a, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, &ctx, &err);
    if (rc)
        return rc;
    acv_rules *rules = NULL;
    acv_status st = acv_rules_load_ctx(ctx, &rules, &err);
    if (st != ACV_OK) {
        acv_ctx_close(ctx);
        return cli_fail(st, &err);
    }
    const char *areas[1] = {a->area};
    acv_validate_filter f = {.areas = a->area ? areas : NULL,
                             .n_areas = a->area ? 1 : 0,
                             .year = a->year,
                             .indicator = a->indicator};
    acv_buf b = {0};
    validate_print p = {.out = &b, .limit = a->limit};
    acv_validate_summary sum;
    st = acv_validate(ctx, rules, &f, print_violation, &p, &sum, &err);
    acv_rules_free(rules);
    acv_ctx_close(ctx);
    if (st == ACV_OK)
        st = cli_emit(a, &b, "violations", &err);
    acv_buf_free(&b);
    if (st != ACV_OK)
        return cli_fail(st, &err);
    if (sum.rules == 0)
        cli_note(a, "no validation rules (indicators/validation/*.yml); nothing checked\n");
    else
        cli_note(a,
                 "%ld violation%s (%ld high, %ld medium, %ld low)%s; %ld rule%s over %ld "
                 "observation%s of %ld area%s\n",
                 sum.violations, sum.violations == 1 ? "" : "s",
                 sum.by_importance[ACV_IMPORTANCE_HIGH], sum.by_importance[ACV_IMPORTANCE_MEDIUM],
                 sum.by_importance[ACV_IMPORTANCE_LOW],
                 p.limit && sum.violations > p.shown ? ", not all shown (--limit)" : "", sum.rules,
                 sum.rules == 1 ? "" : "s", sum.observations, sum.observations == 1 ? "" : "s",
                 sum.areas, sum.areas == 1 ? "" : "s");
    if (sum.by_importance[ACV_IMPORTANCE_HIGH] > 0 || (a->strict && sum.violations > 0))
        return acv_status_exit_code(ACV_ERR_INPUT);
    return 0;
}

static acv_status status_text(acv_ctx *ctx, const cli_args *a, const void *years, acv_buf *out,
                              acv_error *err)
{
    acv_status st = acv_status_text(ctx, a->area, a->year, *(const int *)years, out, err);
    if (st == ACV_OK) /* the review of the area's datasets, when there is any (review.h) */
        st = acv_review_status_text(ctx, a->area, a->year, out, err);
    return st;
}

int cli_cmd_status(cli_args *a)
{
    if (!a->area)
        return cli_usage_error("status ", "%s", "status needs --area CODE");
    if (a->argc)
        return cli_usage_error("status ", "unexpected argument '%s'", a->argv[0]);
    int years = 0;
    for (int i = 0; i < a->n_opts; i++) {
        if (strncmp(a->opts[i], "years=", 6) != 0)
            return cli_usage_error("status ", "unknown --opt '%s' (status knows years=N)",
                                   a->opts[i]);
        char *end;
        long n = strtol(a->opts[i] + 6, &end, 10);
        if (*end || n < 1 || n > 100)
            return cli_usage_error("status ", "--opt '%s': years is a count from 1 to 100",
                                   a->opts[i]);
        years = (int)n;
    }
    return cli_run_text(a, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, "status", status_text, &years);
}
