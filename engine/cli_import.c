/* cli_import.c — `acvtrack import`: observations from CSV into the workspace. */
#include "cli.h"
#include "cli_commands.h"
#include "import.h"

#include <stdio.h>
#include <string.h>

int cli_cmd_import(cli_args *a)
{
    if (a->argc != 1)
        return cli_usage_error("import ", "%s", "import needs exactly one FILE.csv");
    acv_error err;
    acv_error_clear(&err);
    acv_ctx *ctx = NULL;
    acv_status st = acv_ctx_open(&a->ctx, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, &ctx, &err);
    if (st != ACV_OK)
        return cli_fail(st, &err);
    acv_import_options opt = {.progress = cli_progress_wanted(a)};
    acv_import_summary sum;
    st = acv_import_csv(ctx, a->argv[0], &opt, &sum, &err);
    acv_ctx_close(ctx);
    if (st != ACV_OK) {
        cli_fail(st, &err);
        fprintf(stderr, "acvtrack: nothing was imported\n");
        return acv_status_exit_code(st);
    }
    if (sum.already)
        printf("%s: already imported as import %lld; nothing changed\n", a->argv[0],
               (long long)sum.already);
    else
        printf("%s: import %lld: %ld rows: %ld new, %ld changed, %ld unchanged\n", a->argv[0],
               (long long)sum.import_id, sum.rows, sum.added, sum.changed, sum.unchanged);
    return 0;
}

