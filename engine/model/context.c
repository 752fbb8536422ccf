/* context.c — opening and closing what a command needs; see context.h. */
#include "context.h"
#include "install.h"
#include "luabridge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef ACV_SOURCE_DIR
#define ACV_SOURCE_DIR "."
#endif
#ifndef ACV_DATA_DIR
#define ACV_DATA_DIR "/usr/local/share/acvtrack"
#endif

static int has_indicators(const char *dir)
{
    char *p = acv_path_join(dir, "indicators");
    struct stat sb;
    int ok = p && stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
    free(p);
    return ok;
}

const char *acv_default_framework_dir(void)
{
    const char *env = getenv("ACVTRACK_FRAMEWORK");
    if (env && *env)
        return env;
    if (acv_install_data_dir()) /* <prefix>/share/acvtrack beside <prefix>/bin/acvtrack */
        return acv_install_data_dir();
    /* a build tree uses the sources it was built from; an installed copy uses its data folder */
    if (has_indicators(ACV_SOURCE_DIR))
        return ACV_SOURCE_DIR;
    return ACV_DATA_DIR;
}

acv_status acv_ctx_new_lua(acv_ctx *ctx, acv_lua **out, acv_error *err)
{
    *out = NULL;
    /* an overlay's scripts replace the shipped ones of the same name: it is searched first */
    acv_script_root roots[2];
    size_t n_roots = 0;
    for (size_t k = ctx->roots.n_roots; k-- > 0;)
        roots[n_roots++] = (acv_script_root){ctx->roots.roots[k].dir, ctx->roots.roots[k].display};
    acv_lua *lua = NULL;
    acv_status st = acv_lua_new(&ctx->limits, roots, n_roots, &lua, err);
    if (st == ACV_OK)
        st = acv_bridge_open(lua, ctx->fw, err);
    if (st != ACV_OK) {
        acv_lua_free(lua);
        return st;
    }
    *out = lua;
    return ACV_OK;
}

acv_status acv_ctx_open(const acv_ctx_options *opt, unsigned needs, acv_ctx **out, acv_error *err)
{
    *out = NULL;
    acv_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    const char *db = opt && opt->db_path ? opt->db_path : getenv("ACVTRACK_DB");
    if (!db || !*db)
        db = "acvtrack.db";
    const char *fwdir =
        opt && opt->framework_dir ? opt->framework_dir : acv_default_framework_dir();
    const char *overlay = opt && opt->overlay_dir ? opt->overlay_dir : getenv("ACVTRACK_OVERLAY");
    if (opt)
        ctx->limits = opt->limits; /* zeros: the sandbox's defaults */
    const char *env_time = getenv("ACVTRACK_TIME_LIMIT");
    if (ctx->limits.time_limit <= 0 && env_time && *env_time) {
        char *end = NULL;
        double t = strtod(env_time, &end);
        if (*end || !(t > 0 && t <= 86400.0)) {
            acv_ctx_close(ctx);
            return acv_error_set(err, ACV_ERR_USAGE,
                                 "ACVTRACK_TIME_LIMIT '%s' is not a number of seconds above 0",
                                 env_time);
        }
        ctx->limits.time_limit = t;
    }
    ctx->db_path = strdup(db);
    ctx->framework_dir = strdup(fwdir);
    ctx->overlay_dir = overlay && *overlay ? strdup(overlay) : NULL;
    if (!ctx->db_path || !ctx->framework_dir || (overlay && *overlay && !ctx->overlay_dir)) {
        acv_ctx_close(ctx);
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    }
    acv_status st = acv_overlay_init(&ctx->roots, ctx->framework_dir, ctx->overlay_dir, err);
    if (st != ACV_OK) {
        acv_ctx_close(ctx);
        return st;
    }
    if (needs & (ACV_NEED_FRAMEWORK | ACV_NEED_LUA)) {
        st = acv_framework_load_roots(&ctx->roots, &ctx->fw, err);
        if (st != ACV_OK) {
            acv_ctx_close(ctx);
            return st;
        }
    }
    if (needs & ACV_NEED_STORE) {
        acv_store_options so = {0};
        so.create = opt ? opt->create_db : 0;
        so.busy_timeout_ms = opt ? opt->busy_timeout_ms : 0;
        const char *env_timeout = getenv("ACVTRACK_BUSY_TIMEOUT");
        if (so.busy_timeout_ms <= 0 && env_timeout && *env_timeout)
            so.busy_timeout_ms = atoi(env_timeout);
        st = acv_store_open(ctx->db_path, &so, &ctx->store, err);
        if (st == ACV_OK && ctx->fw)
            st = acv_store_sync_framework(ctx->store, ctx->fw, err);
        if (st != ACV_OK) {
            acv_ctx_close(ctx);
            return st;
        }
    }
    if (needs & ACV_NEED_LUA) {
        st = acv_ctx_new_lua(ctx, &ctx->lua, err);
        if (st != ACV_OK) {
            acv_ctx_close(ctx);
            return st;
        }
    }
    *out = ctx;
    return ACV_OK;
}

void acv_ctx_close(acv_ctx *ctx)
{
    if (!ctx)
        return;
    acv_lua_free(ctx->lua);
    acv_store_close(ctx->store);
    acv_framework_free(ctx->fw);
    free(ctx->db_path);
    free(ctx->framework_dir);
    free(ctx->overlay_dir);
    acv_overlay_free(&ctx->roots);
    free(ctx);
}
