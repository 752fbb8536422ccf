/*
 * cli.c — the `acvtrack` command line: parses arguments, calls the engine, prints results on
 * stdout and messages on stderr, and maps engine statuses to the documented exit codes. No engine
 * logic lives here.
 */
#include "cli.h"
#include "compare.h"
#include "cli_commands.h"
#include "cli_practices.h"
#include "areas.h"
#include "assess.h"
#include "atomicfile.h"
#include "catalogue.h"
#include "context.h"
#include "import.h"
#include "practices.h"
#include "render.h"
#include "report.h"
#include "score.h"
#include "scriptcheck.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef ACV_VERSION
#define ACV_VERSION "0.0.0"
#endif

static const char *const EXIT_CODES =
    "Exit codes:\n"
    "  0  success\n"
    "  1  out of memory or a file could not be read or written\n"
    "  2  usage error (unknown command or option, missing argument)\n"
    "  3  bad input (YAML, CSV or answer file; unknown area or indicator)\n"
    "  4  a Lua script failed or hit a sandbox limit\n"
    "  5  the workspace database refused or failed\n"
    "  6  the workspace is busy (another process is writing to it)\n";

static void usage_main(FILE *out)
{
    fprintf(out,
            "acvtrack %s — localise the ASEAN Community Vision 2045 and track a city's progress\n"
            "\n"
            "Usage: acvtrack [--db PATH] [--framework DIR] COMMAND [OPTIONS]\n"
            "\n"
            "Commands:\n"
            "  init                      create a workspace and load the framework and ASEAN "
            "areas\n"
            "  areas import FILE.csv     add or update areas (code,name,level,parent,...)\n"
            "  areas list                list the workspace's areas\n"
            "  areas change FILE.csv     record a merger or a split from a crosswalk\n"
            "  areas carry --to CODE     carry the predecessors' series onto new boundaries\n"
            "  import FILE.csv           import observations (long or wide CSV; --dry-run,\n"
            "                            --rejects FILE, --strict, --calendar be-th|me-mm)\n"
            "  imports                   list the imports; 'imports revert N' takes one back\n"
            "  history --area CODE --indicator ID\n"
            "                            every version of the area's values and where each came "
            "from\n"
            "  validate [--area CODE]    check the observations against the validation rules\n"
            "  status --area CODE        what the workspace holds for an area; completeness\n"
            "  score --area CODE         score an area with the Lua methods and store the run\n"
            "  report --area CODE        write a report (md, html, json, csv, xlsx, pdf) from the\n"
            "                            latest run\n"
            "  report --compare A,B,...  compare areas, or a whole country (country:CC)\n"
            "  rank --country CC         rank areas by their stored scores, ties and coverage "
            "shown\n"
            "  runs list | prune         the stored scoring runs; prune old ones, give the space "
            "back\n"
            "  indicators                list the framework's indicators\n"
            "  framework check | doc     validate the framework, or write its catalogue\n"
            "  plugins                   list the export, import and report plugins\n"
            "  export --format NAME      write a reporting format through a plugin\n"
            "  assess template | import  the self-assessment answer sheet\n"
            "  template --area CODE      the blank observations file to fill (csv or xlsx)\n"
            "  practices search WORDS    search what peer cities did (also import, add, show, "
            "list)\n"
            "  keys create | trust | list\n"
            "                            the workspace's signing key; keys trusted to submit\n"
            "  submission create | receive | forward | ack\n"
            "                            signed packages from a city to its ministry and on\n"
            "  review                    datasets waiting for review; accept or return one\n"
            "  submissions --year YEAR   which areas reported, are missing, late, returned, "
            "accepted\n"
            "\n"
            "Options for every command:\n"
            "  --db PATH          workspace file (default: $ACVTRACK_DB, else ./acvtrack.db)\n"
            "  --framework DIR    folder with indicators/ and scripts/ (default: "
            "$ACVTRACK_FRAMEWORK,\n"
            "                     else %s)\n"
            "  --overlay DIR      a city's adaptation: its own indicators/, scripts/ "
            "(default: $ACVTRACK_OVERLAY)\n"
            "  -q, --quiet        no progress or summary messages on stderr (a progress line\n"
            "                     shows only while stderr is a terminal)\n"
            "  -h, --help         help for a command: acvtrack COMMAND --help\n"
            "  --version          print the version\n"
            "\n"
            "Environment: ACVTRACK_DB, ACVTRACK_FRAMEWORK, ACVTRACK_OVERLAY, ACVTRACK_BUSY_TIMEOUT "
            "(milliseconds, default 5000);\n"
            "ACVTRACK_MAX_PAGES caps the workspace size during an import (a testing aid: it "
            "simulates a full disk);\n"
            "ACVTRACK_TIME_LIMIT sets the seconds each call into a Lua script may take (default "
            "10);\n"
            "ACVTRACK_MAX_PACKAGE_BYTES: the largest submission package received (default "
            "268435456).\n"
            "\n%s",
            ACV_VERSION, acv_default_framework_dir(), EXIT_CODES);
}

typedef struct {
    const char *name;
    const char *usage;
    const char *help;
    int (*run)(cli_args *a);
} command;

int cli_fail(acv_status st, const acv_error *err)
{
    fprintf(stderr, "acvtrack: %s\n", err->message[0] ? err->message : acv_status_name(st));
    return acv_status_exit_code(st);
}

int cli_usage_error(const char *cmd, const char *fmt, const char *arg)
{
    fprintf(stderr, "acvtrack: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'acvtrack %s--help'.\n", cmd);
    return acv_status_exit_code(ACV_ERR_USAGE);
}

void cli_progress_init(const cli_args *a, acv_progress *p)
{
    acv_progress_init(p, acv_progress_terminal(a->quiet));
}

void cli_note(const cli_args *a, const char *fmt, ...)
{
    if (a->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

/* Writes b to -o FILE (whole or not at all) or to standard output. */
acv_status cli_emit(const cli_args *a, const acv_buf *b, const char *what, acv_error *err)
{
    if (a->output) {
        acv_status st = acv_write_file_atomic(a->output, b->data ? b->data : "", b->len, 0, err);
        if (st == ACV_OK)
            cli_note(a, "acvtrack: %s written to %s\n", what, a->output);
        return st;
    }
    if (b->len && fwrite(b->data, 1, b->len, stdout) != b->len)
        return acv_error_set(err, ACV_ERR_IO, "cannot write to standard output");
    return ACV_OK;
}

int cli_open(cli_args *a, unsigned needs, acv_ctx **ctx, acv_error *err)
{
    acv_error_clear(err);
    *ctx = NULL;
    acv_status st = acv_ctx_open(&a->ctx, needs, ctx, err);
    return st == ACV_OK ? 0 : cli_fail(st, err);
}

int cli_run_text(cli_args *a, unsigned needs, const char *what, cli_text_fn write, const void *ud)
{
    acv_error err;
    acv_ctx *ctx;
    int rc = cli_open(a, needs, &ctx, &err);
    if (rc)
        return rc;
    acv_buf b = {0};
    acv_status st = write(ctx, a, ud, &b, &err);
    acv_ctx_close(ctx);
    if (st == ACV_OK)
        st = cli_emit(a, &b, what, &err);
    acv_buf_free(&b);
    return st == ACV_OK ? 0 : cli_fail(st, &err);
}

/* ---- commands ----------------------------------------------------------------------------- */

/* Loads the example practices shipped with the framework, then the overlay's own, so a new
 * workspace has them at once. Their cities may not be in the workspace yet (the demo cities come
 * with `areas import indicators/sample/areas.csv`): such practices wait for their area. */
static acv_status init_practices(acv_ctx *ctx, acv_error *err)
{
    for (size_t k = 0; k < ctx->roots.n_roots; k++) {
        char *dir, *display;
        if (!acv_overlay_folder(&ctx->roots, k, ACV_FILES_PRACTICES, &dir, &display))
            return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
        acv_status st = ACV_OK;
        if (access(dir, R_OK) == 0) {
            acv_practices_import_options opt = {
                .display_dir = display,
                .allow_unknown_areas = 1,
            };
            acv_practices_summary sum;
            st = acv_practices_import_dir(ctx, dir, &opt, &sum, err);
            acv_practices_summary_free(&sum);
        }
        free(dir);
        free(display);
        if (st != ACV_OK)
            return st;
    }
    return ACV_OK;
}

static int cmd_init(cli_args *a)
{
    a->ctx.create_db = 1;
    acv_error err;
    acv_ctx *ctx;
    int rc = cli_open(a, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, &ctx, &err);
    if (rc)
        return rc;
    acv_status st = ACV_OK;
    char *areas = acv_path_join(ctx->framework_dir, "indicators/areas/asean-areas.csv");
    acv_areas_summary sum = {0};
    if (areas && access(areas, R_OK) == 0)
        st = acv_areas_import(ctx, areas, "indicators/areas/asean-areas.csv", &sum, &err);
    free(areas);
    if (st == ACV_OK)
        st = init_practices(ctx, &err);
    if (st != ACV_OK) {
        acv_ctx_close(ctx);
        return cli_fail(st, &err);
    }
    printf("workspace %s ready: framework %s %s with %zu indicators in %zu pillars and %zu "
           "action areas; %lld areas; %lld practices\n",
           ctx->db_path, ctx->fw->id, ctx->fw->version, ctx->fw->n_indicators, ctx->fw->n_pillars,
           ctx->fw->n_action_areas, acv_store_count(ctx->store, "areas"),
           acv_store_practices_count(ctx->store));
    acv_ctx_close(ctx);
    return 0;
}

static int print_area(void *ud, const acv_area *ar)
{
    const cli_args *a = ud;
    if (a->country && (!ar->country || strcmp(a->country, ar->country) != 0))
        return 0;
    if (a->level && strcmp(a->level, ar->level) != 0)
        return 0;
    char pop[32] = "";
    if (ar->has_population)
        snprintf(pop, sizeof pop, "%.0f (%d)", ar->population, ar->population_year);
    char years[32] = "";
    if (ar->valid_from || ar->valid_to)
        snprintf(years, sizeof years, " [%.0d-%.0d]", ar->valid_from, ar->valid_to);
    printf("%-22s %-13s %-8s %-12s %14s  %s%s\n", ar->code, ar->level,
           ar->country ? ar->country : "", ar->parent_code ? ar->parent_code : "", pop, ar->name,
           years);
    return 0;
}

static int cmd_areas(cli_args *a)
{
    if (a->argc < 1)
        return cli_usage_error("areas ", "%s",
                               "areas needs a subcommand: import FILE.csv, or list");
    acv_error err;
    acv_ctx *ctx;
    const char *sub = a->argv[0];
    if (strcmp(sub, "import") == 0) {
        if (a->argc != 2)
            return cli_usage_error("areas ", "%s", "areas import needs one FILE.csv");
        int rc = cli_open(a, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, &ctx, &err);
        if (rc)
            return rc;
        acv_areas_summary sum;
        acv_status st = acv_areas_import(ctx, a->argv[1], NULL, &sum, &err);
        acv_ctx_close(ctx);
        if (st != ACV_OK)
            return cli_fail(st, &err);
        printf("%s: %ld areas read, %ld added or changed\n", a->argv[1], sum.rows, sum.changed);
        return 0;
    }
    if (strcmp(sub, "list") == 0) {
        int rc = cli_open(a, ACV_NEED_STORE, &ctx, &err);
        if (rc)
            return rc;
        printf("%-22s %-13s %-8s %-12s %14s  %s\n", "CODE", "LEVEL", "COUNTRY", "PARENT",
               "POPULATION", "NAME");
        acv_status st = acv_store_each_area(ctx->store, print_area, a, &err);
        acv_ctx_close(ctx);
        return st == ACV_OK ? 0 : cli_fail(st, &err);
    }
    if (strcmp(sub, "change") == 0 || strcmp(sub, "carry") == 0)
        return cli_cmd_areas_boundaries(a);
    return cli_usage_error("areas ", "unknown areas subcommand '%s'", sub);
}

typedef struct {
    const cli_args *a;
    acv_progress *progress;
    int failures, scored, unchanged;
    size_t skipped;
    acv_buf failed; /* "acvtrack: CODE: reason" lines, listed after the summary */
    acv_status last;
} score_all_state;

static void print_summary(const char *area, const acv_score_summary *sum)
{
    printf("%s %d: run %lld: %zu of %zu indicators have data, %zu scored; overall ", area,
           sum->year, (long long)sum->run_id, sum->n_with_value, sum->n_indicators, sum->n_scored);
    if (sum->has_overall)
        printf("%.1f", sum->overall);
    else if (sum->has_provisional)
        printf("not scored (provisional %.1f on %d of %d core indicators)", sum->provisional,
               sum->n_core_scored, sum->n_core_total);
    else
        printf("not scored");
    if (sum->has_alignment)
        printf("; alignment %.1f", sum->alignment);
    if (sum->top_priority[0])
        printf("; first priority %s", sum->top_priority);
    printf("\n");
}

/* Answers imported for a later year than the scored one are not used by the run (a sheet made
 * for this calendar year while the data end last year): say so, on stderr and even with -q, since
 * the report would otherwise show no self-assessment without a reason. */
static void warn_answers(const char *area, const acv_score_summary *sum)
{
    if (!sum->later_answers_year)
        return;
    fprintf(stderr, "acvtrack: warning: %s has self-assessment answers for %d but none for %d",
            area, sum->later_answers_year, sum->year);
    if (sum->answers_year)
        fprintf(stderr, "; this run uses those of %d", sum->answers_year);
    else
        fprintf(stderr, "; this run uses none");
    fprintf(stderr, " (score --year %d, or set year: %d in the answer sheet and import it again)\n",
            sum->later_answers_year, sum->year);
}

#define AREA_CODE_SIZE 80

/* score --all first lists the areas, then scores them: a SELECT left open while each area
 * commits keeps the WAL from restarting (it grew to ~0.9 GB at 20,000 areas). The codes go into
 * a buffer as records of AREA_CODE_SIZE bytes. */
typedef struct {
    acv_buf codes;
    int year; /* --year: areas whose boundaries did not exist then are left out */
} area_listing;

static int list_area(void *ud, const acv_area *ar)
{
    area_listing *listing = ud;
    acv_buf *codes = &listing->codes;
    if (listing->year && ((ar->valid_to && ar->valid_to < listing->year) ||
                          (ar->valid_from && ar->valid_from > listing->year)))
        return 0;
    char code[AREA_CODE_SIZE];
    snprintf(code, sizeof code, "%s", ar->code);
    acv_buf_append(codes, code, sizeof code);
    return codes->failed;
}

static int report_area(void *ud, const char *code, acv_status st, const acv_score_summary *sum,
                       const acv_error *err)
{
    score_all_state *s = ud;
    if (st != ACV_OK) {
        acv_buf_printf(&s->failed, "acvtrack: %s: %s\n", code, err->message);
        if (s->a->verbose) {
            acv_progress_clear(s->progress);
            fprintf(stderr, "acvtrack: %s: %s\n", code, err->message);
        }
        s->failures++;
        s->last = st;
        return st == ACV_ERR_SCRIPT; /* a script limit poisons a Lua state: stop */
    }
    if (sum->unchanged)
        s->unchanged++; /* its latest run stands: nothing new to print */
    else
        s->scored++;
    if (s->a->verbose && !s->a->quiet && !sum->unchanged) {
        acv_progress_clear(s->progress);
        fflush(stderr);
        print_summary(code, sum);
        fflush(stdout);
    }
    if (sum->later_answers_year)
        acv_progress_clear(s->progress);
    warn_answers(code, sum);
    return 0;
}

static int cmd_score(cli_args *a)
{
    if (!a->area && !a->all)
        return cli_usage_error("score ", "%s", "score needs --area CODE or --all");
    if (a->json && !a->area)
        return cli_usage_error("score ", "%s", "--json needs one --area CODE");
    acv_error err;
    acv_ctx *ctx;
    int rc = cli_open(a, ACV_NEED_STORE | ACV_NEED_LUA, &ctx, &err);
    if (rc)
        return rc;
    acv_status st;
    if (a->all) {
        acv_progress progress;
        cli_progress_init(a, &progress);
        score_all_state s = {.a = a, .progress = &progress, .last = ACV_OK};
        area_listing listing = {.year = a->year};
        st = acv_store_each_area(ctx->store, list_area, &listing, &err);
        acv_buf l = listing.codes;
        if (st == ACV_OK && l.failed)
            st = acv_error_set(&err, ACV_ERR_NOMEM, "out of memory listing the areas");
        size_t n = l.len / AREA_CODE_SIZE;
        const char **codes = st == ACV_OK ? calloc(n + 1, sizeof *codes) : NULL;
        if (st == ACV_OK && !codes)
            st = acv_error_set(&err, ACV_ERR_NOMEM, "out of memory listing the areas");
        if (st == ACV_OK) {
            for (size_t i = 0; i < n; i++)
                codes[i] = l.data + i * AREA_CODE_SIZE;
            acv_score_all_options o = {.year = a->year,
                                       .jobs = a->jobs,
                                       .force = a->force,
                                       .each = report_area,
                                       .ud = &s,
                                       .skipped = &s.skipped,
                                       .progress = &progress};
            st = acv_score_all(ctx, codes, n, &o, &err);
        }
        free(codes);
        acv_buf_free(&l);
        acv_ctx_close(ctx);
        if (st != ACV_OK) {
            acv_buf_free(&s.failed);
            return cli_fail(st, &err);
        }
        /* the summary, then every failure (even with -q: they are errors) unless --verbose
         * printed them as they came */
        char unchanged[96] = "";
        if (s.unchanged)
            snprintf(unchanged, sizeof unchanged,
                     ", %d unchanged since their latest run (--force scores them again)",
                     s.unchanged);
        cli_note(a, "scored %d area%s%s, %zu skipped (no observations), %d failed\n", s.scored,
                 s.scored == 1 ? "" : "s", unchanged, s.skipped, s.failures);
        if (!a->verbose && s.failed.len)
            fputs(s.failed.data, stderr);
        acv_buf_free(&s.failed);
        return s.failures ? acv_status_exit_code(s.last) : 0;
    }
    acv_score_summary sum;
    st = cli_check_boundary_year(ctx, a->area, a->year, &err);
    if (st == ACV_OK)
        st = acv_score_area(ctx, a->area, a->year, &sum, &err);
    if (st == ACV_OK && a->json) {
        acv_report_model *m = NULL;
        acv_buf b = {0};
        st = acv_report_model_load(ctx, a->area, sum.year, &m, &err);
        if (st == ACV_OK)
            st = acv_render_json(m, &b, &err);
        if (st == ACV_OK && b.len && fwrite(b.data, 1, b.len, stdout) != b.len)
            st = acv_error_set(&err, ACV_ERR_IO, "cannot write to standard output");
        acv_report_model_free(m);
        acv_buf_free(&b);
    } else if (st == ACV_OK) {
        print_summary(a->area, &sum);
    }
    if (st == ACV_OK)
        warn_answers(a->area, &sum);
    acv_ctx_close(ctx);
    return st == ACV_OK ? 0 : cli_fail(st, &err);
}

static int cmd_indicators(cli_args *a)
{
    acv_error err;
    acv_ctx *ctx;
    int rc = cli_open(a, ACV_NEED_FRAMEWORK, &ctx, &err);
    if (rc)
        return rc;
    acv_catalogue_filter filter = {.pillar = a->pillar,
                                   .core_only = a->core_only,
                                   .optional_only = a->optional_only,
                                   .sdg = a->sdg};
    acv_buf b = {0};
    size_t shown = 0;
    acv_status st = acv_catalogue_list(ctx->fw, &filter, &b, &shown, &err);
    if (st == ACV_OK && fwrite(b.data, 1, b.len, stdout) != b.len)
        st = acv_error_set(&err, ACV_ERR_IO, "cannot write to standard output");
    acv_buf_free(&b);
    if (st != ACV_OK) {
        acv_ctx_close(ctx);
        return cli_fail(st, &err);
    }
    const acv_framework *fw = ctx->fw;
    cli_note(a, "%zu of %zu indicators\n", shown, fw->n_indicators);
    acv_ctx_close(ctx);
    return 0;
}

/* `framework check`: every problem of the framework's files (and the overlay's, with --overlay),
 * then every script or plugin that does not compile and every progress method the methods do not
 * define, one per line on stdout; the summary on stderr. */
static int framework_check(cli_args *a, const char *dir)
{
    acv_error err;
    acv_error_clear(&err);
    const char *overlay = a->ctx.overlay_dir ? a->ctx.overlay_dir : getenv("ACVTRACK_OVERLAY");
    acv_overlay roots;
    acv_status st = acv_overlay_init(&roots, dir, overlay, &err);
    if (st != ACV_OK)
        return cli_fail(st, &err);
    acv_framework *fw = NULL;
    st = acv_framework_load_roots(&roots, &fw, &err);
    if (!fw) {
        acv_overlay_free(&roots);
        return cli_fail(st, &err);
    }
    acv_problems scripts = {0};
    size_t n_scripts = 0;
    acv_error serr;
    acv_error_clear(&serr);
    acv_status sst =
        acv_scriptcheck_framework(&roots, fw, &a->ctx.limits, &scripts, &n_scripts, &serr);
    acv_overlay_free(&roots);
    if (sst != ACV_OK) {
        acv_problems_free(&scripts);
        acv_framework_free(fw);
        return cli_fail(sst, &serr);
    }
    for (size_t i = 0; i < fw->n_problems; i++)
        printf("%s\n", fw->problems[i]);
    for (size_t i = 0; i < scripts.n; i++)
        printf("%s\n", scripts.items[i]);
    size_t n = fw->n_problems + scripts.n;
    if (st == ACV_OK && n == 0) {
        size_t core = 0;
        for (size_t i = 0; i < fw->n_indicators; i++)
            core += fw->indicators[i].core;
        cli_note(a,
                 "%s: framework %s %s is valid: %zu pillars, %zu action areas, %zu indicators "
                 "(%zu core), %zu data elements, %zu self-assessment questions\n",
                 dir, fw->id, fw->version, fw->n_pillars, fw->n_action_areas, fw->n_indicators,
                 core, fw->n_data_elements, fw->n_questions);
    } else if (n > 0) {
        cli_note(a, "%zu problem%s in the framework at %s%s%s\n", n, n == 1 ? "" : "s", dir,
                 overlay && *overlay ? " with the overlay " : "", overlay ? overlay : "");
        st = ACV_ERR_INPUT;
    } else {
        fprintf(stderr, "acvtrack: %s\n", err.message);
    }
    acv_problems_free(&scripts);
    acv_framework_free(fw);
    return acv_status_exit_code(st);
}

static int cmd_framework(cli_args *a)
{
    if (a->argc != 1 || (strcmp(a->argv[0], "check") != 0 && strcmp(a->argv[0], "doc") != 0))
        return cli_usage_error("framework ", "%s", "framework needs a subcommand: check or doc");
    const char *dir = a->ctx.framework_dir ? a->ctx.framework_dir : acv_default_framework_dir();
    if (strcmp(a->argv[0], "check") == 0)
        return framework_check(a, dir);
    acv_error err;
    acv_error_clear(&err);
    acv_framework *fw = NULL;
    acv_status st = acv_framework_load(dir, &fw, &err);
    if (st != ACV_OK) {
        acv_framework_free(fw);
        return cli_fail(st, &err);
    }
    acv_buf b = {0};
    st = acv_catalogue_markdown(fw, &b, &err);
    if (st == ACV_OK)
        st = cli_emit(a, &b, "catalogue", &err);
    acv_buf_free(&b);
    acv_framework_free(fw);
    return st == ACV_OK ? 0 : cli_fail(st, &err);
}

static acv_status assess_template_text(acv_ctx *ctx, const cli_args *a, const void *year,
                                       acv_buf *out, acv_error *err)
{
    return acv_assess_template(ctx, a->area, *(const int *)year, out, err);
}

static int cmd_assess(cli_args *a)
{
    if (a->argc < 1)
        return cli_usage_error("assess ", "%s", "assess needs a subcommand: template or import");
    if (strcmp(a->argv[0], "template") == 0) {
        if (!a->area)
            return cli_usage_error("assess ", "%s", "assess template needs --area CODE");
        /* year 0: the year score will use (acv_assess_template) */
        int year = a->year;
        return cli_run_text(a, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, "answer sheet",
                            assess_template_text, &year);
    }
    if (strcmp(a->argv[0], "import") == 0) {
        if (a->argc != 2)
            return cli_usage_error("assess ", "%s", "assess import needs one answers.yml");
        acv_error err;
        acv_ctx *ctx;
        int rc = cli_open(a, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, &ctx, &err);
        if (rc)
            return rc;
        acv_assess_summary sum;
        acv_status st = acv_assess_import(ctx, a->argv[1], NULL, &sum, &err);
        acv_ctx_close(ctx);
        if (st != ACV_OK) {
            cli_fail(st, &err);
            fprintf(stderr, "acvtrack: nothing was imported\n");
            return acv_status_exit_code(st);
        }
        printf("%s: %s %d: %d answered, %d unanswered, %d capped for lack of evidence\n",
               a->argv[1], sum.area, sum.year, sum.answered, sum.unanswered, sum.capped);
        if (sum.unanswered)
            printf("unanswered: %s\n", sum.unanswered_ids.data);
        if (sum.capped)
            printf("counted at level 2 until evidence is given: %s\n", sum.capped_ids.data);
        acv_assess_summary_free(&sum);
        return 0;
    }
    return cli_usage_error("assess ", "unknown assess subcommand '%s'", a->argv[0]);
}

static const command COMMANDS[] = {
    {"init", "acvtrack init [--db PATH] [--framework DIR]",
     "Creates the workspace (or opens an existing one), records the framework's indicators and\n"
     "loads the ASEAN member states and sample cities from indicators/areas/asean-areas.csv\n"
     "and the illustrative example practices from indicators/practices/ (and the overlay's).\n"
     "Running it again is harmless.",
     cmd_init},
    {"areas",
     "acvtrack areas import FILE.csv | acvtrack areas list [--country CC] [--level L] | "
     "acvtrack areas change FILE.csv | acvtrack areas carry --to CODE [--dry-run]",
     "import: adds or updates areas from CSV with the header\n"
     "  code,name,level,parent,country,population,population_year,source,calendar\n"
     "(code, name and level are required; level is region, country, province, district, city,\n"
     "municipality or other; a parent must come before its children; calendar is the default\n"
     "calendar of the area's data files, be-th or me-mm, see docs/calendars.md). All or nothing.\n"
     "list: prints the areas, optionally only one country's or one level's, with the years of\n"
     "their boundaries when a change ended or began them ([2025-], [-2024]).\n"
     "change: records a merger or a split from a crosswalk CSV with the header\n"
     "  year,predecessor,successor,share[,basis]\n"
     "(year: the first year on the new boundaries; share: the part of the predecessor's\n"
     "population, or land area with basis area, that went to the successor; each predecessor's\n"
     "shares sum to 1). A predecessor that is no successor ends the year before; a successor\n"
     "that is no predecessor begins that year. All or nothing. See docs/boundaries.md.\n"
     "carry --to CODE: carries the older series of CODE's predecessors onto its boundaries, as\n"
     "one import (sums for counts, population-weighted means for rates and shares, not\n"
     "comparable otherwise); --dry-run shows the values and writes nothing.",
     cmd_areas},
    {"import",
     "acvtrack import FILE.csv [--format long|wide] [--dry-run] [--rejects FILE] "
     "[--strict] [--calendar NAME] | acvtrack import --format PLUGIN [--area CODE] "
     "[--opt KEY=VALUE]... FILE|FOLDER...",
     "With --format naming an importer plugin (see 'acvtrack plugins'), the plugin reads the\n"
     "files and folders given (for example an Open SDG data repository) and what it emits is\n"
     "imported all or nothing.\n"
     "Imports observations. Long layout: a header with area, indicator, period (or year) and\n"
     "value, and optionally source, status (provisional, final, estimated, imputed), comment, and\n"
     "disaggregation columns the framework names (a blank cell means the total). Wide layout, as\n"
     "statistical offices publish: area, indicator, the same optional columns and one column per\n"
     "year (a blank cell is no data). The layout is read from the header; --format chooses it.\n"
     "RFC 4180 CSV in UTF-8: quoted fields, embedded commas and newlines, CRLF and a byte order\n"
     "mark are fine. A header without commas but with ';' or tabs (a spreadsheet in a\n"
     "comma-decimal locale) separates by those, and then values may use a decimal comma.\n"
     "The whole file is one transaction: one bad line and nothing is imported,\n"
     "with an error naming the line, the column and the value; with --rejects FILE bad lines\n"
     "(unknown area or indicator, bad value, ...) go to FILE with the reason and the rest is\n"
     "imported (lines imported + rejected = lines read). A changed value keeps the earlier one\n"
     "as a revision (see history). --dry-run reports new, revised, unchanged and rejected\n"
     "exactly as the import would, and writes nothing. A value outside its indicator's\n"
     "physical range (a percentage of 140, a negative count) is always a bad line; the other\n"
     "validation rules warn (the count and the first five), and --strict refuses the file when\n"
     "it breaks one of high importance. Importing the same file again changes nothing.\n"
     "Periods are years (2025) or fiscal years (FY2024, FY2023/24, FY2023-24), mapped to the\n"
     "calendar year holding most of their months by the country's rules in\n"
     "indicators/calendars/fiscal-years.yml. --calendar NAME reads the years in a local\n"
     "calendar: be-th (Thai Buddhist Era, CE + 543) or me-mm (Myanmar Era); without it, the\n"
     "area's calendar from the areas file, else CE. Stored years are always CE. See\n"
     "docs/calendars.md.",
     cli_cmd_import},
    {"imports", "acvtrack imports | acvtrack imports revert N [--force] [--dry-run]",
     "Lists the imports: id, time, rows (observations in the file), new, revised and removed\n"
     "values, and the file.\n"
     "revert N: takes import N back. Every value it changed gets back the version it had before,\n"
     "every value it added is removed; nothing leaves the history (see history), and the revert\n"
     "is recorded as an import of its own, which can be reverted in turn. Refused when a later\n"
     "import changed some of the same values since (the message names it and a value); revert\n"
     "that one first, or use --force to put back the values from before import N anyway.\n"
     "Areas the import added stay. --dry-run reports the counts and writes nothing.",
     cli_cmd_imports},
    {"history", "acvtrack history --area CODE --indicator ID [--year YEAR] [-o FILE]",
     "Every version of an area's values of one indicator or data element, per period: the\n"
     "current value and each earlier one it replaced, with status, source, comment, the import,\n"
     "the file and line it came from, and when it was imported or replaced.",
     cli_cmd_history},
    {"validate",
     "acvtrack validate [--area CODE] [--year YEAR] [--indicator ID] [--limit N] "
     "[--strict] [-o FILE]",
     "Checks the stored observations against the validation rules in indicators/validation/\n"
     "(and the overlay's): ranges per indicator, cross-indicator rules (left side, operator,\n"
     "right side), jumps against the previous period and Lua rules. Prints one line per\n"
     "violation: severity, area, period, rule, message and the file:line the value came from.\n"
     "Exit 3 when any violation is of high importance (with --strict: any violation at all).\n"
     "See docs/data.md.",
     cli_cmd_validate},
    {"status", "acvtrack status --area CODE [--year YEAR] [--opt years=N] [-o FILE]",
     "What the workspace holds for an area: observations by status, earlier versions kept, the\n"
     "last import, validation counts, and completeness: the share of core indicators with a\n"
     "value in the last N years up to YEAR (default: the latest year with data; N: the\n"
     "framework's carry_forward_years) overall, per pillar and per action area; then, when a\n"
     "dataset of the area was reviewed, its state per year and, for a returned one, the comments\n"
     "with the value held now and whether it changed since the return (see 'review').",
     cli_cmd_status},
    {"score",
     "acvtrack score --area CODE [--year YEAR] [--json] | acvtrack score --all [--year YEAR] "
     "[--jobs N] [--force] [--verbose]",
     "Scores an area for a year (default: the latest year with data) with the Lua methods in\n"
     "scripts/: indicator scores and progress classes, action-area, pillar and overall scores,\n"
     "self-assessment alignment and ranked priority action areas with their reasons. The run is\n"
     "stored with the framework, overlay, data and methods hashes, so reports can be reproduced.\n"
     "--json prints the stored results model (docs/report-json.md); --all scores every area that\n"
     "has data, on N threads (default: one per processor), storing 100 areas per transaction;\n"
     "it shows a progress line while stderr is a terminal, then a summary: areas scored,\n"
     "unchanged, skipped (no observations) and failed, and each failure with its reason. An\n"
     "area whose latest run of the year was computed from the same inputs (its observations\n"
     "and answers, the framework and overlay, the methods' scripts, the engine) is not scored\n"
     "again unless --force is given. --verbose also prints each area's line as it is stored\n"
     "(the line 'score --area' prints). With --year, areas whose boundaries did not exist\n"
     "that year are left out (docs/boundaries.md).",
     cmd_score},
    {"report",
     "acvtrack report --area CODE | --compare CODE1,CODE2,... | --compare country:CC "
     "[--highlight CODE,...] [--top N] [--year YEAR] [--format md|html|json|csv|xlsx|pdf] "
     "[--calendar NAME] [-o FILE]",
     "Writes a report of the latest scoring run for the area (and year) to FILE or to standard\n"
     "output: Markdown (default), a self-contained HTML page with charts (no network, prints\n"
     "well), JSON (docs/report-json.md), the indicator table as CSV, an Excel workbook (xlsx: a\n"
     "sheet per section, numbers as numbers, the run stamp on its own sheet) or PDF (the HTML\n"
     "printed by headless Chromium, fonts embedded; $ACVTRACK_CHROMIUM names the browser).\n"
     "Without --format the format follows the extension of -o FILE (.md, .html, .json, .csv,\n"
     ".xlsx, .pdf; Markdown when there is none); a --format that disagrees with the extension\n"
     "is refused. xlsx and pdf are never written to a terminal.\n"
     "--compare puts up to 12 areas side by side on the core indicators they all apply, marks\n"
     "what a city's adaptation changed, and adds population-weighted country figures;\n"
     "country:CC takes every scored area of country CC (--country CC alone does the same).\n"
     "More than 12 areas are compared as distributions: per overall score, pillar and action\n"
     "area the quartiles and a histogram of all areas, the top and bottom N (--top N, default\n"
     "10), the population-weighted figure and the ranking (complete in CSV and JSON).\n"
     "--highlight CODE,... marks up to 8 areas in their own colour (codes named beside\n"
     "country:CC are highlighted too).\n"
     "--calendar be-th|me-mm also names the year in that calendar (Markdown and HTML report of\n"
     "an area: 2024 (BE 2567)); stored years stay CE (docs/calendars.md).\n"
     "See docs/reports.md. The file is written whole or not\n"
     "at all.",
     cli_cmd_report},
    {"rank",
     "acvtrack rank [--country CC | --parent CODE | --all] [--by overall | --by pillar CODE | "
     "--by action-area CODE] [--year YEAR] [--format table|csv|xlsx-csv|json|xlsx] [-o FILE] "
     "[--uncertainty N "
     "[--seed S] [--sensitivity] [--assumptions FILE] [--jobs N]]",
     "Ranks areas by the official score their latest stored run of the year has at one level\n"
     "(default: overall; the year defaults to the latest with a run): the sub-national areas of\n"
     "country CC, the areas directly under CODE, or --all sub-national areas. Equal scores share\n"
     "a rank, marked '=' (1, =2, =2, 4) and are listed by area code.\n"
     "Areas without an official score are listed apart with the reason, never ranked as zero.\n"
     "CHANGE is against the same ranking of the year before: +2 is two places up, 'new' an area\n"
     "not ranked then. Nothing is scored: run 'acvtrack score' first. See docs/reports.md.\n"
     "--format xlsx-csv writes the CSV for a spreadsheet to open as it is: a UTF-8 byte order\n"
     "mark first, CRLF, commas, numbers with a '.' decimal and TRUE/FALSE (docs/reports.md).\n"
     "--uncertainty N: scores the ranked areas again N times under assumptions drawn from\n"
     "indicators/uncertainty/assumptions.yml (or --assumptions FILE): weights +-25%, arithmetic\n"
     "or geometric means, min-max or distance to target, mean imputation or none; shows each\n"
     "area's mean and median rank and 5th-95th percentiles. --seed S (default 1): the same seed\n"
     "gives the same numbers. --sensitivity: also the first-order and total Sobol indices of the\n"
     "mean absolute rank change per assumption (6N replications). --jobs N: threads (default:\n"
     "one per processor). Nothing is written to the workspace. See docs/methodology.md.",
     cli_cmd_rank},
    {"runs",
     "acvtrack runs list [--area CODE] [--format table|csv] [-o FILE] | acvtrack runs prune "
     "[--keep-latest N] [--before DATE] [--dry-run]",
     "list: every stored scoring run (or one area's): id, area, year, when it was created (UTC),\n"
     "whether it is the latest of its area and year, and what refers to it (the reports written\n"
     "from it, submissions).\n"
     "prune: removes older runs with their results. Runs are kept until you prune, and pruning\n"
     "always keeps the latest N runs of each area and year (default 1), every run a report or\n"
     "a submission refers to and, with --before DATE (YYYY-MM-DD), every run created on or after\n"
     "that day (UTC). The space is given back to the file system at once and the workspace's\n"
     "size before and after is printed. --dry-run counts what would go and changes nothing.",
     cli_cmd_runs},
    {"template", "acvtrack template --area CODE [--year YEAR] [--format csv|xlsx] [-o FILE]",
     "Writes the blank observations file of an area in the wide layout 'import' reads: a row\n"
     "per indicator with the area and the indicator filled, a column for YEAR (default: this\n"
     "year) and each of the four years before it, and source and comment. As CSV it imports as\n"
     "it is once filled; as xlsx (-o FILE.xlsx) its sheet Observations does, saved as CSV,\n"
     "and the sheet Indicators gives each indicator's name, unit, target and data source.\n"
     "See docs/data.md.",
     cli_cmd_template},
    {"framework", "acvtrack framework check | acvtrack framework doc [-o FILE]",
     "check: validates every framework file and lists each problem as file:line:col: message\n"
     "(exit 3 when there is any).\n"
     "doc: writes a Markdown catalogue of the framework: pillars, action areas, every field of\n"
     "every indicator, the self-assessment questions and the data elements.\n"
     "Use --framework DIR to check or document a changed copy.",
     cmd_framework},
    {"assess",
     "acvtrack assess template --area CODE [--year YEAR] [-o FILE] | acvtrack assess "
     "import FILE.yml",
     "template: writes a blank self-assessment answer sheet (YAML) for an area and year\n"
     "(default: the year 'score' uses, the latest with data, or this year when there is none),\n"
     "with every question of the Guideline, the 0-4 maturity scale and what level 4 looks like.\n"
     "import: stores the answers (all or nothing). Unanswered questions are listed, never scored\n"
     "as zero; levels 3 and 4 without evidence count as 2; a level outside 0-4 is an error\n"
     "naming the line.",
     cmd_assess},
    {"plugins", "acvtrack plugins [--all]",
     "Lists the installed Lua plugins (the framework's plugins/ folder and the overlay's) with\n"
     "their kind and version; --all also lists each plugin's options. See docs/plugins.md.",
     cli_cmd_plugins},
    {"export",
     "acvtrack export --format NAME [--area CODE] [--year YEAR] [--opt KEY=VALUE]... "
     "[-o FILE|FOLDER]",
     "Runs an exporter plugin: national and international reporting formats (Open SDG,\n"
     "SDMX-CSV, a VLR draft, ...). Options go to the plugin as --opt key=value (--area and\n"
     "--year are passed as options too). Files are written only when the plugin succeeds: a\n"
     "broken plugin leaves no partial output.",
     cli_cmd_export},
    {"indicators", "acvtrack indicators [--pillar ID] [--core | --optional] [--sdg CODE]",
     "Lists the framework's indicators, optionally only one pillar's, only core or optional\n"
     "ones, or those linked to an SDG goal, target or indicator (--sdg 11, 11.5 or 11.5.1).\n"
     "Columns line up by display width (Thai, Vietnamese, µ, –); a long unit or SDG list wraps\n"
     "onto the next line at a space or comma, never cut.",
     cmd_indicators},
    {"practices", CLI_PRACTICES_USAGE, CLI_PRACTICES_HELP, cli_cmd_practices},
    {"keys",
     "acvtrack keys create [LABEL] | acvtrack keys trust PUBLIC-KEY-FILE --areas CODE[,CODE...] "
     "| acvtrack keys list",
     "create: makes the workspace's Ed25519 signing key pair: the secret key in DB.key beside\n"
     "the workspace file DB (mode 0600, never replaced, never put into a package) and the\n"
     "public key in DB.pub, the file to give to the workspace you submit to. LABEL (default:\n"
     "the workspace path) names the key in listings.\n"
     "trust: lets the key in PUBLIC-KEY-FILE submit for the areas given and every area under\n"
     "them (a ministry trusts each city's key for its city, the secretariat each ministry's for\n"
     "its country); running it again replaces the key's areas.\n"
     "list: the workspace's own key and every trusted key with its areas.\n"
     "See docs/submissions.md.",
     cli_cmd_keys},
    {"submission",
     "acvtrack submission create --area CODE [--year YEAR | --since N | --full] -o FILE | "
     "acvtrack submission receive FILE... | acvtrack submission forward --area CODE -o FILE | "
     "acvtrack submission ack SUBMISSION-ID",
     "create: a signed package of the area's data (and every area's under it) for the workspace\n"
     "you report to: observations with their provenance and earlier versions, self-assessment\n"
     "answers, the latest stored run of each area and year, and a manifest (framework and\n"
     "overlay hashes and the overlay's changes, methods hash, areas and years, content hash).\n"
     "It holds what changed since the last package the receiver acknowledged (everything the\n"
     "first time); --since N: since package N sent from here; --full: everything; --year: only\n"
     "that year's values. Signed with the key of 'acvtrack keys create'.\n"
     "receive: verifies each package (signature over every byte, content hash, the sender's\n"
     "key trusted for its areas, same framework id, indicators known) and imports it all or\n"
     "nothing, each value with its origin 'submission S from AREA, key K, FILE' at its line\n"
     "(see history). A value that replaces one held from another source is listed as a\n"
     "conflict, the earlier value kept. Receiving a package again changes nothing. Packages\n"
     "larger than 256 MiB are refused ($ACVTRACK_MAX_PACKAGE_BYTES changes the limit).\n"
     "forward: a package signed with this workspace's key holding every package received for\n"
     "the area and those under it, each unchanged with its own signature, for the next level.\n"
     "ack: records that the receiver acknowledged the package SUBMISSION-ID (the id create\n"
     "printed); the next create of its area without --since or --full starts after it.\n"
     "See docs/submissions.md.",
     cli_cmd_submission},
    {"review",
     "acvtrack review [--year YEAR] | acvtrack review accept AREA YEAR [--comment TEXT] | "
     "acvtrack review return AREA YEAR --comment TEXT [--indicator CODE [--period P] "
     "--comment TEXT]... [-o FILE] | acvtrack review export-return AREA YEAR -o FILE | "
     "acvtrack review import-return FILE | acvtrack review history AREA [YEAR]",
     "Review of the (area, year) datasets that submissions bring in (docs/submissions.md,\n"
     "\"Review\"). A dataset is a draft until a submission covering it is received; it is then\n"
     "submitted, and is accepted or returned. Without a subcommand: the datasets that wait for a\n"
     "decision.\n"
     "accept: records that the dataset is accepted (only a submitted one can be).\n"
     "return: sends it back for correction, with a comment on the dataset (--comment TEXT)\n"
     "and/or on values (--indicator CODE, optionally --period P, then --comment TEXT; repeat).\n"
     "-o FILE writes the signed return file for the city (export-return writes it again).\n"
     "Each decision records who took it (the user name from $ACVTRACK_USER, else $USER), the\n"
     "workspace's signing key and when (UTC); a decision the state does not allow is refused\n"
     "with the reason.\n"
     "import-return (at the city): checks the return file's signature against a key trusted\n"
     "for the area ('acvtrack keys trust'), then records the return; 'acvtrack status --area'\n"
     "lists the returned values and comments.\n"
     "history: every decision on an area's datasets with its comments, oldest first.",
     cli_cmd_review},
    {"submissions",
     "acvtrack submissions [--year YEAR] [--country CC] [--calendar FILE] [--as-of YYYY-MM-DD] "
     "[--format table|csv|html] [-o FILE]",
     "Which areas have reported for a year (default: the latest year with a submission), at a\n"
     "ministry or the secretariat: every sub-national area of country CC (or of every country)\n"
     "with the state of its dataset (missing, submitted, returned, accepted), when it was first\n"
     "received, its deadline from the reporting calendar and its timeliness (on time, late,\n"
     "not due yet, overdue: nothing received and the deadline past --as-of, default today),\n"
     "and its score from this workspace's latest run, computed with this workspace's framework.\n"
     "The calendar is --calendar FILE, else indicators/calendar/reporting-calendar.yml (the\n"
     "overlay's first); docs/submissions.md gives its format. -o FILE picks the format from\n"
     "its extension (.csv, .html); the file is written whole or not at all.",
     cli_cmd_submissions},
};

static void usage_command(const command *c, FILE *out)
{
    fprintf(out,
            "Usage: %s\n\n%s\n\nOptions for every command: --db PATH, --framework DIR, "
            "--overlay DIR, -q/--quiet.\n\n%s",
            c->usage, c->help, EXIT_CODES);
}

enum {
    OPT_DB = 1000,
    OPT_FRAMEWORK,
    OPT_VERSION,
    OPT_CORE,
    OPT_OPTIONAL,
    OPT_SDG,
    OPT_PILLAR,
    OPT_COUNTRY,
    OPT_LEVEL,
    OPT_OVERLAY,
    OPT_FORMAT,
    OPT_JSON,
    OPT_ALL,
    OPT_OPT,
    OPT_ACTION_AREA,
    OPT_INDICATOR,
    OPT_LIMIT,
    OPT_JOBS,
    OPT_DRY_RUN,
    OPT_STRICT,
    OPT_REJECTS,
    OPT_COMPARE,
    OPT_FORCE,
    OPT_BY,
    OPT_PARENT,
    OPT_AREAS,
    OPT_SINCE,
    OPT_FULL,
    OPT_HIGHLIGHT,
    OPT_TOP,
    OPT_VERBOSE,
    OPT_KEEP_LATEST,
    OPT_BEFORE,
    OPT_UNCERTAINTY,
    OPT_SEED,
    OPT_SENSITIVITY,
    OPT_ASSUMPTIONS,
    OPT_CALENDAR,
    OPT_TO,
    OPT_COMMENT,
    OPT_PERIOD,
    OPT_AS_OF
};

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"framework", required_argument, NULL, OPT_FRAMEWORK},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, OPT_VERSION},
        {"area", required_argument, NULL, 'a'},
        {"year", required_argument, NULL, 'y'},
        {"output", required_argument, NULL, 'o'},
        {"pillar", required_argument, NULL, OPT_PILLAR},
        {"core", no_argument, NULL, OPT_CORE},
        {"optional", no_argument, NULL, OPT_OPTIONAL},
        {"sdg", required_argument, NULL, OPT_SDG},
        {"country", required_argument, NULL, OPT_COUNTRY},
        {"level", required_argument, NULL, OPT_LEVEL},
        {"overlay", required_argument, NULL, OPT_OVERLAY},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"json", no_argument, NULL, OPT_JSON},
        {"all", no_argument, NULL, OPT_ALL},
        {"opt", required_argument, NULL, OPT_OPT},
        {"action-area", required_argument, NULL, OPT_ACTION_AREA},
        {"indicator", required_argument, NULL, OPT_INDICATOR},
        {"limit", required_argument, NULL, OPT_LIMIT},
        {"jobs", required_argument, NULL, OPT_JOBS},
        {"dry-run", no_argument, NULL, OPT_DRY_RUN},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"rejects", required_argument, NULL, OPT_REJECTS},
        {"compare", required_argument, NULL, OPT_COMPARE},
        {"force", no_argument, NULL, OPT_FORCE},
        {"by", required_argument, NULL, OPT_BY},
        {"parent", required_argument, NULL, OPT_PARENT},
        {"areas", required_argument, NULL, OPT_AREAS},
        {"since", required_argument, NULL, OPT_SINCE},
        {"full", no_argument, NULL, OPT_FULL},
        {"highlight", required_argument, NULL, OPT_HIGHLIGHT},
        {"top", required_argument, NULL, OPT_TOP},
        {"verbose", no_argument, NULL, OPT_VERBOSE},
        {"keep-latest", required_argument, NULL, OPT_KEEP_LATEST},
        {"before", required_argument, NULL, OPT_BEFORE},
        {"uncertainty", required_argument, NULL, OPT_UNCERTAINTY},
        {"seed", required_argument, NULL, OPT_SEED},
        {"sensitivity", no_argument, NULL, OPT_SENSITIVITY},
        {"assumptions", required_argument, NULL, OPT_ASSUMPTIONS},
        {"calendar", required_argument, NULL, OPT_CALENDAR},
        {"to", required_argument, NULL, OPT_TO},
        {"comment", required_argument, NULL, OPT_COMMENT},
        {"period", required_argument, NULL, OPT_PERIOD},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {NULL, 0, NULL, 0}};
    cli_args a = {0};
    int help = 0;
    opterr = 0;
    /* '+' stops at the command so that global options come first; the command's own options are
     * parsed in a second pass below */
    int c;
    for (int pass = 0; pass < 2; pass++) {
        while ((c = getopt_long(argc, argv, pass == 0 ? "+qha:y:o:" : "qha:y:o:", options, NULL)) !=
               -1) {
            switch (c) {
            case OPT_DB:
                a.ctx.db_path = optarg;
                break;
            case OPT_FRAMEWORK:
                a.ctx.framework_dir = optarg;
                break;
            case 'q':
                a.quiet = 1;
                break;
            case 'h':
                help = 1;
                break;
            case OPT_VERSION:
                printf("acvtrack %s\n", ACV_VERSION);
                return 0;
            case 'a':
                a.area = optarg;
                break;
            case 'y': {
                char *end;
                long y = strtol(optarg, &end, 10);
                if (*end || y < 1900 || y > 2100)
                    return cli_usage_error("", "--year '%s' is not a year like 2025", optarg);
                a.year = (int)y;
                break;
            }
            case 'o':
                a.output = optarg;
                break;
            case OPT_PILLAR:
                a.pillar = optarg;
                break;
            case OPT_CORE:
                a.core_only = 1;
                break;
            case OPT_OPTIONAL:
                a.optional_only = 1;
                break;
            case OPT_SDG:
                a.sdg = optarg;
                break;
            case OPT_COUNTRY:
                a.country = optarg;
                break;
            case OPT_LEVEL:
                a.level = optarg;
                break;
            case OPT_OVERLAY:
                a.ctx.overlay_dir = optarg;
                break;
            case OPT_FORMAT:
                a.format = optarg;
                break;
            case OPT_JSON:
                a.json = 1;
                break;
            case OPT_ALL:
                a.all = 1;
                break;
            case OPT_OPT:
                if (a.n_opts == CLI_MAX_OPTS)
                    return cli_usage_error("", "more than %s --opt options", "32");
                if (!strchr(optarg, '='))
                    return cli_usage_error("", "--opt '%s' is not key=value", optarg);
                a.opts[a.n_opts++] = optarg;
                break;
            case OPT_ACTION_AREA:
                a.action_area = optarg;
                break;
            case OPT_INDICATOR:
                a.indicator = optarg;
                a.pending_indicator = optarg;
                break;
            case OPT_PERIOD:
                a.period = optarg;
                a.pending_period = optarg;
                break;
            case OPT_COMMENT:
                if (a.n_comments == CLI_MAX_COMMENTS)
                    return cli_usage_error("", "more than %s --comment options", "64");
                a.comments[a.n_comments++] =
                    (cli_comment){a.pending_indicator, a.pending_period, optarg};
                a.pending_indicator = a.pending_period = NULL;
                break;
            case OPT_AS_OF:
                a.as_of = optarg;
                break;
            case OPT_JOBS: {
                char *end;
                long n = strtol(optarg, &end, 10);
                if (*end || n < 1 || n > ACV_SCORE_MAX_JOBS)
                    return cli_usage_error("", "--jobs '%s' is not a number from 1 to 16", optarg);
                a.jobs = (int)n;
                break;
            }
            case OPT_LIMIT: {
                char *end;
                long n = strtol(optarg, &end, 10);
                if (*end || n < 1 || n > 1000000)
                    return cli_usage_error("", "--limit '%s' is not a count", optarg);
                a.limit = (int)n;
                break;
            }
            case OPT_DRY_RUN:
                a.dry_run = 1;
                break;
            case OPT_STRICT:
                a.strict = 1;
                break;
            case OPT_REJECTS:
                a.rejects = optarg;
                break;
            case OPT_COMPARE:
                a.compare = optarg;
                break;
            case OPT_FORCE:
                a.force = 1;
                break;
            case OPT_BY:
                a.by = optarg;
                break;
            case OPT_PARENT:
                a.parent = optarg;
                break;
            case OPT_AREAS:
                a.areas = optarg;
                break;
            case OPT_SINCE: {
                char *end;
                long n = strtol(optarg, &end, 10);
                if (*end || n < 1)
                    return cli_usage_error("", "--since '%s' is not the number of a package sent",
                                           optarg);
                a.since = n;
                break;
            }
            case OPT_FULL:
                a.full = 1;
                break;
            case OPT_HIGHLIGHT:
                a.highlight = optarg;
                break;
            case OPT_TOP: {
                char *end;
                long n = strtol(optarg, &end, 10);
                if (*end || n < 1 || n > ACV_COMPARE_TOP_MAX)
                    return cli_usage_error("", "--top '%s' is not a number from 1 to 1000", optarg);
                a.top = (int)n;
                break;
            }
            case OPT_VERBOSE:
                a.verbose = 1;
                break;
            case OPT_KEEP_LATEST: {
                char *end;
                long n = strtol(optarg, &end, 10);
                if (*end || n < 1 || n > 1000000)
                    return cli_usage_error("", "--keep-latest '%s' is not a count of 1 or more",
                                           optarg);
                a.keep_latest = (int)n;
                break;
            }
            case OPT_BEFORE:
                a.before = optarg;
                break;
            case OPT_UNCERTAINTY:
                a.uncertainty = optarg;
                break;
            case OPT_SEED:
                a.seed = optarg;
                break;
            case OPT_SENSITIVITY:
                a.sensitivity = 1;
                break;
            case OPT_ASSUMPTIONS:
                a.assumptions = optarg;
                break;
            case OPT_CALENDAR:
                a.calendar = optarg;
                break;
            case OPT_TO:
                a.to = optarg;
                break;
            case ':':
                return cli_usage_error("", "option '%s' needs a value", argv[optind - 1]);
            default:
                return cli_usage_error("", "unknown option '%s'", argv[optind - 1]);
            }
        }
        if (pass == 0) {
            if (optind >= argc) {
                if (help) {
                    usage_main(stdout);
                    return 0;
                }
                usage_main(stderr);
                return acv_status_exit_code(ACV_ERR_USAGE);
            }
            /* skip the command word and parse the rest, options and operands mixed */
            argv += optind;
            argc -= optind;
            optind = 0; /* glibc: 0 restarts the scan, taking argv[0] (the command) as the name */
        }
    }
    const char *name = argv[0];
    const command *cmd = NULL;
    for (size_t i = 0; i < sizeof COMMANDS / sizeof *COMMANDS; i++)
        if (strcmp(COMMANDS[i].name, name) == 0)
            cmd = &COMMANDS[i];
    if (strcmp(name, "help") == 0) {
        usage_main(stdout);
        return 0;
    }
    if (!cmd)
        return cli_usage_error("", "unknown command '%s'", name);
    if (help) {
        usage_command(cmd, stdout);
        return 0;
    }
    if (a.core_only && a.optional_only)
        return cli_usage_error("indicators ", "%s", "--core and --optional exclude each other");
    a.argc = argc - optind;
    a.argv = argv + optind;
    return cmd->run(&a);
}
