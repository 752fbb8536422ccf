/*
 * cli_practices.c — `acvtrack practices`: import, add, search, show and list the best-practice
 * registry. Parses nothing itself (cli.c did) and computes nothing (practices.c does): it opens
 * the workspace, calls the engine and prints.
 */
#include "cli_practices.h"
#include "practices.h"
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEARCH_DEFAULT_LIMIT 20

#define NEEDS (ACV_NEED_STORE | ACV_NEED_FRAMEWORK)

/* import DIR / add FILE.yml: every problem on its own line, as a compiler would list them. */
static int run_import(cli_args *a, int is_dir)
{
    if (a->argc != 2)
        return cli_usage_error("practices ", "%s",
                               is_dir ? "practices import needs one DIR"
                                      : "practices add needs one FILE.yml");
    acv_error err;
    acv_ctx *ctx;
    int rc = cli_open(a, NEEDS, &ctx, &err);
    if (rc)
        return rc;
    acv_practices_import_options opt = {.dry_run = a->dry_run};
    acv_practices_summary sum;
    acv_status st = is_dir ? acv_practices_import_dir(ctx, a->argv[1], &opt, &sum, &err)
                           : acv_practices_import_file(ctx, a->argv[1], &opt, &sum, &err);
    acv_ctx_close(ctx);
    if (st == ACV_OK && sum.files == 0) /* more likely a wrong path than a wish */
        st = acv_error_set(&err, ACV_ERR_INPUT, "%s: no practice files (*.yml) in the folder",
                           a->argv[1]);
    if (st != ACV_OK) {
        if (sum.n_problems) {
            for (size_t i = 0; i < sum.n_problems; i++)
                fprintf(stderr, "%s\n", sum.problems[i]);
            fprintf(stderr, "acvtrack: %zu problem%s in %s; nothing was imported\n", sum.n_problems,
                    sum.n_problems == 1 ? "" : "s", a->argv[1]);
        } else {
            cli_fail(st, &err);
            fprintf(stderr, "acvtrack: nothing was imported\n");
        }
        acv_practices_summary_free(&sum);
        return acv_status_exit_code(st);
    }
    printf("%s: %s%zu practice%s read: %zu new, %zu replaced, %zu unchanged\n", a->argv[1],
           a->dry_run ? "dry run (nothing written): " : "",
           sum.added + sum.replaced + sum.unchanged,
           sum.added + sum.replaced + sum.unchanged == 1 ? "" : "s", sum.added, sum.replaced,
           sum.unchanged);
    acv_practices_summary_free(&sum);
    return 0;
}

static void print_hits(const acv_practice_hits *h)
{
    printf("%-20s %-12s %-22s %-7s %s\n", "ID", "YEARS", "CITY", "COUNTRY", "TITLE");
    for (size_t i = 0; i < h->n; i++) {
        const acv_practice_hit *p = &h->hits[i];
        char years[32];
        if (!p->year_to)
            snprintf(years, sizeof years, "%d-", p->year_from);
        else if (p->year_to == p->year_from)
            snprintf(years, sizeof years, "%d", p->year_from);
        else
            snprintf(years, sizeof years, "%d-%d", p->year_from, p->year_to);
        printf("%-20s %-12s %-22s %-7s %s%s\n", p->id, years, p->city, p->country ? p->country : "",
               p->title, p->illustrative ? " [illustrative]" : "");
    }
}

/* search WORDS... / list: the filters of cli_args become the query. */
static int run_search(cli_args *a, int with_words)
{
    if (!with_words && a->argc != 1)
        return cli_usage_error("practices ", "%s",
                               "practices list takes no words; use practices search WORDS");
    acv_buf words = {0};
    for (int i = 1; with_words && i < a->argc; i++) {
        if (i > 1)
            acv_buf_puts(&words, " ");
        acv_buf_puts(&words, a->argv[i]);
    }
    acv_error err;
    acv_error_clear(&err);
    if (words.failed) {
        acv_buf_free(&words);
        return cli_fail(acv_error_set(&err, ACV_ERR_NOMEM, "out of memory"), &err);
    }
    acv_ctx *ctx;
    int rc = cli_open(a, NEEDS, &ctx, &err);
    if (rc) {
        acv_buf_free(&words);
        return rc;
    }
    acv_practice_query q = {
        .words = words.data,
        .pillar = a->pillar,
        .action_area = a->action_area,
        .indicator = a->indicator,
        .country = a->country,
        .city = a->area,
        .year = a->year,
        .limit = a->limit     ? a->limit
                 : with_words ? SEARCH_DEFAULT_LIMIT
                              : 0,
    };
    acv_practice_hits hits;
    acv_status st = acv_practices_search(ctx, &q, &hits, &err);
    acv_ctx_close(ctx);
    acv_buf_free(&words);
    if (st != ACV_OK)
        return cli_fail(st, &err);
    print_hits(&hits);
    cli_note(a, "%zu practice%s\n", hits.n, hits.n == 1 ? "" : "s");
    acv_practice_hits_free(&hits);
    return 0;
}

static acv_status practice_text(acv_ctx *ctx, const cli_args *a, const void *ud, acv_buf *out,
                                acv_error *err)
{
    (void)ud;
    acv_practice_detail *d = NULL;
    acv_status st = acv_practices_get(ctx, a->argv[1], &d, err);
    if (st == ACV_OK)
        st = acv_render_practice_markdown(d, ctx->fw, out, err);
    acv_practice_detail_free(d);
    return st;
}

static int run_show(cli_args *a)
{
    if (a->argc != 2)
        return cli_usage_error("practices ", "%s", "practices show needs one practice ID");
    return cli_run_text(a, NEEDS, "practice", practice_text, NULL);
}

int cli_cmd_practices(cli_args *a)
{
    if (a->argc < 1)
        return cli_usage_error("practices ", "%s",
                               "practices needs a subcommand: import DIR, add FILE.yml, search "
                               "WORDS, show ID or list");
    const char *sub = a->argv[0];
    if (strcmp(sub, "import") == 0)
        return run_import(a, 1);
    if (strcmp(sub, "add") == 0)
        return run_import(a, 0);
    if (strcmp(sub, "search") == 0)
        return run_search(a, 1);
    if (strcmp(sub, "list") == 0)
        return run_search(a, 0);
    if (strcmp(sub, "show") == 0)
        return run_show(a);
    return cli_usage_error("practices ", "unknown practices subcommand '%s'", sub);
}
