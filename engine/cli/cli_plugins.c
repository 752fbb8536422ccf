/* cli_plugins.c — `acvtrack plugins` and `acvtrack export`: the Lua plugins (docs/plugins.md). */
#include "cli.h"
#include "cli_commands.h"
#include "plugins.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void plugin_opts_init(cli_plugin_opts *o, const cli_args *a, int with_year)
{
    o->n = 0;
    for (int i = 0; i < a->n_opts; i++)
        o->opts[o->n++] = a->opts[i];
    if (a->area) {
        snprintf(o->area, sizeof o->area, "area=%s", a->area);
        o->opts[o->n++] = o->area;
    }
    if (with_year && a->year) {
        snprintf(o->year, sizeof o->year, "year=%d", a->year);
        o->opts[o->n++] = o->year;
    }
}

int cli_open_for_plugin(cli_args *a, int with_year, acv_ctx **ctx, cli_plugin_opts *po,
                        acv_error *err)
{
    plugin_opts_init(po, a, with_year);
    return cli_open(a, ACV_NEED_STORE | ACV_NEED_LUA, ctx, err);
}

int cli_cmd_plugins(cli_args *a)
{
    acv_error err;
    acv_ctx *ctx;
    int rc = cli_open(a, ACV_NEED_LUA, &ctx, &err);
    if (rc)
        return rc;
    acv_plugin_info *infos = NULL;
    size_t n = 0;
    acv_status st = acv_plugins_list(ctx, &infos, &n, &err);
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
    size_t broken = 0;
    for (size_t i = 0; i < n; i++)
        broken += infos[i].broken;
    /* a broken plugin is listed with its error and stops only the commands that ask for it */
    if (broken)
        cli_note(a, "%zu plugins, %zu broken (the others work; fix or remove the broken)%s\n", n,
                 broken, a->all ? "" : "; --all shows the options");
    else
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
    /* --area and --year are passed to the plugin as options too */
    acv_error err;
    acv_ctx *ctx;
    cli_plugin_opts po;
    int rc = cli_open_for_plugin(a, 1, &ctx, &po, &err);
    if (rc)
        return rc;
    acv_export_summary sum;
    acv_status st = acv_plugin_export(ctx, a->format, po.opts, po.n, a->output, &sum, &err);
    acv_ctx_close(ctx);
    if (st != ACV_OK)
        return cli_fail(st, &err);
    if (a->output)
        cli_note(a, "%s: %zu file%s, %zu bytes, first %s\n", a->format, sum.files,
                 sum.files == 1 ? "" : "s", sum.bytes, sum.first_path);
    return 0;
}
