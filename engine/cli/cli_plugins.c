/* cli_plugins.c — `acvtrack plugins` and `acvtrack export`: the Lua plugins (docs/plugins.md). */
#include "cli.h"
#include "cli_commands.h"
#include "plugins.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_cmd_plugins(cli_args *a)
{
    acv_error err;
    acv_error_clear(&err);
    acv_ctx *ctx = NULL;
    acv_status st = acv_ctx_open(&a->ctx, ACV_NEED_LUA, &ctx, &err);
    if (st != ACV_OK)
        return cli_fail(st, &err);
    acv_plugin_info *infos = NULL;
    size_t n = 0;
    st = acv_plugins_list(ctx, &infos, &n, &err);
    acv_ctx_close(ctx);
    if (st != ACV_OK)
        return cli_fail(st, &err);
    printf("%-16s %-9s %-9s %-34s %s\n", "NAME", "KIND", "VERSION", "FILE", "DESCRIPTION");
    for (size_t i = 0; i < n; i++) {
        printf("%-16s %-9s %-9s %-34s %s\n", infos[i].name, infos[i].kind, infos[i].version,
               infos[i].file, infos[i].description);
        if (a->all && infos[i].options[0]) {
            /* the options, one per line, indented */
            const char *s = infos[i].options;
            while (*s) {
                const char *e = strchr(s, '\n');
                int len = e ? (int)(e - s) : (int)strlen(s);
                printf("    --opt %.*s\n", len, s);
                s += len + (e ? 1 : 0);
            }
        }
    }
    cli_note(a, "%zu plugins%s\n", n, a->all ? "" : " (--all shows their options)");
    free(infos);
    return 0;
}

int cli_cmd_export(cli_args *a)
{
    if (!a->format)
        return cli_usage_error("export ", "%s",
                               "export needs --format NAME (see 'acvtrack "
                               "plugins')");
    acv_error err;
    acv_error_clear(&err);
    acv_ctx *ctx = NULL;
    acv_status st = acv_ctx_open(&a->ctx, ACV_NEED_STORE | ACV_NEED_LUA, &ctx, &err);
    if (st != ACV_OK)
        return cli_fail(st, &err);
    /* --area and --year are passed to the plugin as options too */
    const char *opts[CLI_MAX_OPTS + 2];
    size_t n = 0;
    char area_opt[128], year_opt[32];
    for (int i = 0; i < a->n_opts; i++)
        opts[n++] = a->opts[i];
    if (a->area) {
        snprintf(area_opt, sizeof area_opt, "area=%s", a->area);
        opts[n++] = area_opt;
    }
    if (a->year) {
        snprintf(year_opt, sizeof year_opt, "year=%d", a->year);
        opts[n++] = year_opt;
    }
    acv_export_summary sum;
    st = acv_plugin_export(ctx, a->format, opts, n, a->output, &sum, &err);
    acv_ctx_close(ctx);
    if (st != ACV_OK)
        return cli_fail(st, &err);
    if (a->output)
        cli_note(a, "%s: %zu file%s, %zu bytes, first %s\n", a->format, sum.files,
                 sum.files == 1 ? "" : "s", sum.bytes, sum.first_path);
    return 0;
}
