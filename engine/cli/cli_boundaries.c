/* cli_boundaries.c — `acvtrack areas change FILE.csv` (record a merger or a split) and `acvtrack
 * areas carry --to CODE` (carry the predecessors' series onto new boundaries). See
 * docs/boundaries.md. */
#include "boundaries.h"
#include "cli.h"
#include "cli_commands.h"
#include "storage_boundaries.h"

#include <stdio.h>
#include <string.h>

static int areas_change(cli_args *a)
{
    if (a->argc != 2)
        return cli_usage_error("areas ", "%s", "areas change needs one crosswalk FILE.csv");
    acv_error err;
    acv_ctx *ctx;
    int rc = cli_open(a, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, &ctx, &err);
    if (rc)
        return rc;
    acv_change_summary sum;
    acv_status st = acv_areas_change(ctx, a->argv[1], NULL, &sum, &err);
    acv_ctx_close(ctx);
    if (st != ACV_OK) {
        cli_fail(st, &err);
        fprintf(stderr, "acvtrack: nothing was recorded\n");
        return acv_status_exit_code(st);
    }
    if (sum.already) {
        printf("%s: already recorded as change %lld; nothing changed\n", a->argv[1],
               (long long)sum.already);
        return 0;
    }
    printf("%s: change %lld, a %s from %d: %ld links; %ld areas end in %d, %ld begin in %d\n",
           a->argv[1], (long long)sum.change_id, sum.kind, sum.year, sum.links, sum.dissolved,
           sum.year - 1, sum.created, sum.year);
    return 0;
}

static int areas_carry(cli_args *a)
{
    if (a->argc != 1 || !a->to)
        return cli_usage_error("areas ", "%s", "areas carry needs --to CODE (and nothing else)");
    acv_error err;
    acv_ctx *ctx;
    int rc = cli_open(a, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, &ctx, &err);
    if (rc)
        return rc;
    acv_carry_options opt = {.dry_run = a->dry_run};
    acv_carry_summary sum;
    acv_buf table = {0};
    acv_status st = acv_areas_carry(ctx, a->to, &opt, &sum, &table, &err);
    acv_ctx_close(ctx);
    if (st != ACV_OK) {
        acv_buf_free(&table);
        cli_fail(st, &err);
        fprintf(stderr, "acvtrack: nothing was carried\n");
        return acv_status_exit_code(st);
    }
    fputs(table.data ? table.data : "", stdout);
    acv_buf_free(&table);
    if (sum.already)
        printf("%s: the same values were carried before; nothing changed\n", a->to);
    else if (sum.carried == 0)
        printf("%s: nothing to carry from before %d\n", a->to, sum.year);
    else
        printf("%s: %s%lld: %ld values carried from before %d; %ld not comparable, %ld "
               "incomplete\n",
               a->to, a->dry_run ? "dry run, nothing written: would be import " : "import ",
               (long long)sum.import_id, sum.carried, sum.year, sum.not_comparable, sum.incomplete);
    return 0;
}

int cli_cmd_areas_boundaries(cli_args *a)
{
    return strcmp(a->argv[0], "change") == 0 ? areas_change(a) : areas_carry(a);
}

acv_status cli_check_boundary_year(acv_ctx *ctx, const char *area, int year, acv_error *err)
{
    acv_area ar;
    acv_error ignored;
    if (year == 0 || acv_store_get_area(ctx->store, area, &ar, &ignored) != ACV_OK ||
        !ar.valid_to || year <= ar.valid_to)
        return ACV_OK;
    int last = ar.valid_to;
    char successors[256];
    acv_store_successor_codes(ctx->store, ar.id, successors, sizeof successors);
    return acv_error_set(err, ACV_ERR_INPUT,
                         "area '%s' ended in %d with a boundary change; in %d its population is "
                         "in %s (score that area; 'acvtrack areas carry --to CODE' carries the "
                         "older series onto it)",
                         area, last, year, successors[0] ? successors : "its successors");
}
