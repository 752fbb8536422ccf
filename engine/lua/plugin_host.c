/* plugin_host.c — finding, declaring and running plugins; see plugin_host.h and plugins.h. */
#include "plugin_host.h"
#include "acv_api.h"
#include "convert.h"
#include "plugin_data.h"

#include <dirent.h>
#include <errno.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_PLUGINS 64
#define MAX_INPUT_BYTES (64u * 1024 * 1024)

/* ---- where plugins are -------------------------------------------------------------------- */

typedef struct {
    char path[700];
    char display[700];
} plugin_file;

/* Overlay plugins first: one of the same name replaces the shipped one (overlay.h). */
static size_t plugin_files(acv_ctx *ctx, plugin_file *out, size_t max)
{
    acv_files files;
    acv_error err;
    acv_error_clear(&err);
    if (acv_overlay_files(&ctx->roots, ACV_FILES_PLUGINS, &files, &err) != ACV_OK)
        return 0;
    size_t n = 0;
    for (; n < files.n && n < max; n++) {
        snprintf(out[n].path, sizeof out[n].path, "%s", files.items[n].path);
        snprintf(out[n].display, sizeof out[n].display, "%s", files.items[n].display);
    }
    acv_files_free(&files);
    return n;
}

/* ---- declarations ------------------------------------------------------------------------- */

static const char *const KINDS[] = {"exporter", "importer", "renderer", "validator", NULL};

/* Checks the table a plugin file returned (on top of the stack) and fills info. */
static int protected_declaration(lua_State *L)
{
    acv_plugin_info *info = lua_touserdata(L, 1);
    int t = 2;
    if (!lua_istable(L, t))
        return luaL_error(L, "%s must return a table (name, version, kind, ...)", info->file);
    lua_getfield(L, t, "api");
    if (lua_tointeger(L, -1) != ACV_PLUGIN_API)
        return luaL_error(L, "%s: 'api' must be %d (this acvtrack's plugin interface)", info->file,
                          ACV_PLUGIN_API);
    const char *strings[] = {"name", "version", "kind", "description"};
    char *dest[] = {info->name, info->version, info->kind, info->description};
    size_t size[] = {sizeof info->name, sizeof info->version, sizeof info->kind,
                     sizeof info->description};
    for (int i = 0; i < 4; i++) {
        if (lua_getfield(L, t, strings[i]) != LUA_TSTRING)
            return luaL_error(L, "%s: '%s' must be a string", info->file, strings[i]);
        snprintf(dest[i], size[i], "%s", lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    int kind_ok = 0;
    for (const char *const *k = KINDS; *k; k++)
        if (strcmp(*k, info->kind) == 0)
            kind_ok = 1;
    if (!kind_ok)
        return luaL_error(L,
                          "%s: 'kind' must be exporter, importer, renderer or validator, not "
                          "'%s'",
                          info->file, info->kind);
    const char *fn = strcmp(info->kind, "importer") == 0    ? "import"
                     : strcmp(info->kind, "validator") == 0 ? "validate"
                     : strcmp(info->kind, "renderer") == 0  ? "render"
                                                            : "export";
    lua_getfield(L, t, fn);
    if (!lua_isfunction(L, -1))
        return luaL_error(L, "%s: an %s must provide a function '%s'", info->file, info->kind, fn);
    lua_pop(L, 1);
    info->options[0] = '\0';
    if (lua_getfield(L, t, "options") == LUA_TTABLE) {
        lua_Integer n = luaL_len(L, -1);
        size_t used = 0;
        for (lua_Integer i = 1; i <= n; i++) {
            acv_lua_charge(L, 1); /* n comes from a __len the plugin may define */
            lua_rawgeti(L, -1, i);
            if (!lua_istable(L, -1))
                return luaL_error(L, "%s: options[%d] must be a table {name =, help =}", info->file,
                                  (int)i);
            lua_getfield(L, -1, "name");
            lua_getfield(L, -2, "help");
            const char *oname = lua_tostring(L, -2), *help = lua_tostring(L, -1);
            if (!oname)
                return luaL_error(L, "%s: options[%d] has no name", info->file, (int)i);
            int w = snprintf(info->options + used, sizeof info->options - used, "%s%s: %s",
                             used ? "\n" : "", oname, help ? help : "");
            if (w > 0 && used + (size_t)w < sizeof info->options)
                used += (size_t)w;
            lua_pop(L, 3);
        }
    }
    lua_pop(L, 1);
    return 0;
}

/* Loads one plugin file; leaves its table on the stack when ok. */
static acv_status load_plugin(acv_ctx *ctx, const plugin_file *pf, acv_plugin_info *info,
                              acv_error *err)
{
    memset(info, 0, sizeof *info);
    snprintf(info->file, sizeof info->file, "%s", pf->display);
    acv_status st = acv_lua_load_path(ctx->lua, pf->path, pf->display, err);
    if (st != ACV_OK)
        return st;
    lua_State *L = acv_lua_state(ctx->lua);
    lua_pushcfunction(L, protected_declaration);
    lua_pushlightuserdata(L, info);
    lua_pushvalue(L, -3);
    st = acv_lua_pcall(ctx->lua, 2, 0, err);
    if (st != ACV_OK) {
        lua_pop(L, 1);
        /* the declaration's checks are the engine's: their traceback shows nothing of the plugin */
        char *tb = strstr(err->message, "\nstack traceback:");
        if (tb)
            *tb = '\0';
    }
    return st;
}

/* The name a plugin file stands for before it declares one: NAME of plugins/NAME.lua and of
 * plugins/NAME/init.lua. */
static void file_name_of(const plugin_file *pf, char *name, size_t size)
{
    const char *d = pf->display;
    size_t len = strlen(d);
    if (len > 9 && strcmp(d + len - 9, "/init.lua") == 0)
        len -= 9;
    else if (len > 4 && strcmp(d + len - 4, ".lua") == 0)
        len -= 4;
    size_t start = len;
    while (start > 0 && d[start - 1] != '/')
        start--;
    snprintf(name, size, "%.*s", (int)(len - start), d + start);
}

/* Marks info as the broken plugin of pf: one that did not load or declare itself. Out of memory is
 * not the plugin's fault, and stays an error. */
static int mark_broken(const plugin_file *pf, acv_plugin_info *info, const acv_error *why)
{
    if (why->status == ACV_ERR_NOMEM)
        return 0;
    memset(info, 0, sizeof *info);
    file_name_of(pf, info->name, sizeof info->name);
    snprintf(info->kind, sizeof info->kind, "broken");
    snprintf(info->version, sizeof info->version, "-");
    snprintf(info->file, sizeof info->file, "%s", pf->display);
    /* the first line: a traceback is for running the plugin, not for listing it */
    snprintf(info->error, sizeof info->error, "%.*s", (int)strcspn(why->message, "\n"),
             why->message);
    snprintf(info->description, sizeof info->description, "%s", info->error);
    info->broken = 1;
    return 1;
}

acv_status acv_plugins_list(acv_ctx *ctx, acv_plugin_info **out, size_t *n, acv_error *err)
{
    *out = NULL;
    *n = 0;
    plugin_file *files = calloc(MAX_PLUGINS, sizeof *files);
    acv_plugin_info *infos = calloc(MAX_PLUGINS, sizeof *infos);
    if (!files || !infos) {
        free(files);
        free(infos);
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    }
    size_t nf = plugin_files(ctx, files, MAX_PLUGINS);
    acv_status st = ACV_OK;
    for (size_t i = 0; i < nf && st == ACV_OK; i++) {
        st = load_plugin(ctx, &files[i], &infos[*n], err);
        if (st != ACV_OK && mark_broken(&files[i], &infos[*n], err))
            st = ACV_OK; /* listed as broken; the others still load */
        else if (st != ACV_OK)
            break;
        else
            lua_pop(acv_lua_state(ctx->lua), 1);
        int duplicate = 0;
        for (size_t k = 0; k < *n; k++)
            if (strcmp(infos[k].name, infos[*n].name) == 0)
                duplicate = 1; /* an overlay's plugin replaces the shipped one */
        if (!duplicate)
            (*n)++;
    }
    free(files);
    if (st != ACV_OK) {
        free(infos);
        *n = 0;
        return st;
    }
    *out = infos;
    return ACV_OK;
}

acv_status acv_plugin_find(acv_ctx *ctx, const char *name, const char *kind_a, const char *kind_b,
                           acv_plugin_info *info, acv_error *err)
{
    plugin_file *files = calloc(MAX_PLUGINS, sizeof *files);
    if (!files)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    size_t nf = plugin_files(ctx, files, MAX_PLUGINS);
    lua_State *L = acv_lua_state(ctx->lua);
    for (size_t i = 0; i < nf; i++) {
        acv_status st = load_plugin(ctx, &files[i], info, err);
        if (st != ACV_OK) {
            /* a broken plugin stops only a command that asks for it (by its file's name) */
            char file_name[sizeof info->name];
            file_name_of(&files[i], file_name, sizeof file_name);
            if (st != ACV_ERR_NOMEM && strcmp(file_name, name) != 0)
                continue;
            if (st != ACV_ERR_NOMEM)
                acv_error_prefix(err, "plugin '%s' (%s) is broken", name, files[i].display);
            free(files);
            return st;
        }
        if (strcmp(info->name, name) == 0) {
            free(files);
            if (strcmp(info->kind, kind_a) != 0 && (!kind_b || strcmp(info->kind, kind_b) != 0)) {
                lua_pop(L, 1);
                return acv_error_set(err, ACV_ERR_USAGE, "plugin '%s' (%s) is an %s, not an %s",
                                     name, info->file, info->kind, kind_a);
            }
            return ACV_OK;
        }
        lua_pop(L, 1);
    }
    free(files);
    return acv_error_set(err, ACV_ERR_NOTFOUND, "no plugin named '%s' (see 'acvtrack plugins')",
                         name);
}

static int push_options(lua_State *L, const char *const *opts, size_t n)
{
    lua_createtable(L, 0, (int)n);
    for (size_t i = 0; i < n; i++) {
        const char *eq = strchr(opts[i], '=');
        if (!eq)
            continue;
        lua_pushlstring(L, opts[i], (size_t)(eq - opts[i]));
        lua_pushstring(L, eq + 1);
        lua_rawset(L, -3);
    }
    return 1;
}

typedef struct {
    acv_lua *lua;
    const acv_plugin_call *call;
    acv_sink *out;
} run_args;

static void free_text(void *p)
{
    free(p);
}

/* plugin[fn](ctx) with ctx = {acv = the acv table, out = sink, options = {...}, inputs = {...}} */
static int protected_run(lua_State *L)
{
    run_args *a = lua_touserdata(L, 1);
    const acv_plugin_call *c = a->call;
    int plugin = 2;
    lua_getfield(L, plugin, c->fn);
    lua_createtable(L, 0, 4);
    acv_api_push(a->lua);
    lua_setfield(L, -2, "acv");
    acv_sink_push(L, a->out);
    lua_setfield(L, -2, "out");
    push_options(L, c->opts, c->n_opts);
    lua_setfield(L, -2, "options");
    if (c->n_inputs) {
        lua_createtable(L, (int)c->n_inputs, 0);
        for (size_t i = 0; i < c->n_inputs; i++) {
            char *text = NULL;
            size_t len = 0;
            int rc = acv_read_file(c->input_paths[i], MAX_INPUT_BYTES, &text, &len);
            if (rc != 0)
                return luaL_error(L, "%s: cannot read (%s)", c->input_names[i],
                                  rc == -2 ? "too large" : strerror(errno));
            acv_owner *o = acv_convert_push_owner(L, text, free_text);
            lua_createtable(L, 0, 2);
            acv_convert_set_string(L, "name", c->input_names[i]);
            lua_pushlstring(L, text, len);
            lua_setfield(L, -2, "text");
            acv_convert_release(o);
            lua_rawseti(L, -3, (lua_Integer)i + 1);
            lua_pop(L, 1);
        }
        lua_setfield(L, -2, "inputs");
    }
    lua_call(L, 1, 0);
    return 0;
}

/* Whether msg starts with a Lua position, "chunk:line:" (what error(msg) and runtime errors
 * add, and error(msg, 0) does not). */
static int has_position(const char *msg)
{
    size_t chunk = strcspn(msg, ": \n");
    size_t digits = msg[chunk] == ':' ? strspn(msg + chunk + 1, "0123456789") : 0;
    return chunk > 0 && digits > 0 && msg[chunk + 1 + digits] == ':';
}

/* Every --opt key must be one of the plugin's declared options (info->options, "name: help"
 * lines), so a typo is refused instead of silently ignored; area and year are always accepted,
 * since --area and --year pass them to every plugin. */
static acv_status check_options(const acv_plugin_info *info, const acv_plugin_call *call,
                                acv_error *err)
{
    for (size_t i = 0; i < call->n_opts; i++) {
        const char *opt = call->opts[i];
        size_t klen = strcspn(opt, "=");
        int known = (klen == 4 && strncmp(opt, "area", 4) == 0) ||
                    (klen == 4 && strncmp(opt, "year", 4) == 0);
        char names[sizeof info->options] = "";
        for (const char *o = info->options; *o;
             o += strcspn(o, "\n") + (o[strcspn(o, "\n")] != 0)) {
            size_t n = strcspn(o, ":\n");
            known |= n == klen && strncmp(o, opt, klen) == 0;
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%.*s",
                     names[0] ? ", " : "", (int)n, o);
        }
        if (!known)
            return acv_error_set(err, ACV_ERR_USAGE, "plugin '%s' has no option '%.*s' (%s%s)",
                                 info->name, (int)klen, opt,
                                 names[0] ? "its options: " : "it declares no options",
                                 names[0] ? names : "");
    }
    return ACV_OK;
}

acv_status acv_plugin_run(acv_ctx *ctx, const acv_plugin_info *info, const acv_plugin_call *call,
                          acv_sink *out, acv_error *err)
{
    lua_State *L = acv_lua_state(ctx->lua);
    if (check_options(info, call, err) != ACV_OK) {
        lua_pop(L, 1);
        return err->status;
    }
    run_args a = {ctx->lua, call, out};
    lua_pushcfunction(L, protected_run);
    lua_pushlightuserdata(L, &a);
    lua_rotate(L, -3, 2); /* fn, args, plugin */
    acv_api_set_workspace(ctx->lua, ctx, acv_plugin_data_functions());
    acv_status st = acv_lua_pcall(ctx->lua, 2, 0, err);
    acv_api_set_workspace(ctx->lua, NULL, NULL);
    /* error(msg, 0) is how a plugin reports the user's mistake (docs/plugins.md): the message
     * alone, without the traceback the sandbox adds for script errors */
    char *tb = st != ACV_OK ? strstr(err->message, "\nstack traceback:\n\t[C]: in function 'error'")
                            : NULL;
    if (tb && !has_position(err->message))
        *tb = '\0';
    if (st != ACV_OK)
        acv_error_prefix(err, "plugin '%s' (%s) failed; nothing was written", info->name,
                         info->file);
    if (st == ACV_OK && out->oom)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory collecting the output of '%s'",
                           info->name);
    return st;
}

acv_status acv_plugin_export(acv_ctx *ctx, const char *name, const char *const *opts, size_t n_opts,
                             const char *output, acv_export_summary *sum, acv_error *err)
{
    memset(sum, 0, sizeof *sum);
    acv_plugin_info info;
    acv_status st = acv_plugin_find(ctx, name, "exporter", "renderer", &info, err);
    if (st != ACV_OK)
        return st;
    acv_sink s = {0};
    acv_plugin_call call = {
        strcmp(info.kind, "renderer") == 0 ? "render" : "export", opts, n_opts, NULL, NULL, 0};
    st = acv_plugin_run(ctx, &info, &call, &s, err);
    if (st == ACV_OK && s.n_files == 0)
        st = acv_error_set(err, ACV_ERR_SCRIPT, "plugin '%s' (%s) wrote nothing", name, info.file);
    if (st == ACV_OK) {
        sum->bytes = s.bytes;
        st = acv_sink_write(&s, name, output, sum, err);
    }
    acv_sink_free(&s);
    return st;
}
