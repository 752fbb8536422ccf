/*
 * context.h — the one struct that owns what a command works with: the workspace database, the
 * loaded framework and the Lua host, and where the framework's and the overlay's files are
 * (resolved once here; see overlay.h). There is no global mutable state in the engine; every engine
 * call takes a context (or one of the parts it owns).
 */
#ifndef ACV_CONTEXT_H
#define ACV_CONTEXT_H

#include "error.h"
#include "framework.h"
#include "overlay.h"
#include "sandbox.h"
#include "storage.h"

enum {
    ACV_NEED_STORE = 1,     /* open (or create) the workspace */
    ACV_NEED_FRAMEWORK = 2, /* load indicators/NAME.yml */
    ACV_NEED_LUA = 4,       /* start the Lua host and load the scoring methods */
};

typedef struct {
    const char *db_path;       /* NULL: $ACVTRACK_DB, else ./acvtrack.db */
    const char *framework_dir; /* NULL: $ACVTRACK_FRAMEWORK, else the built-in default */
    const char *overlay_dir;   /* a city overlay; NULL: $ACVTRACK_OVERLAY, else none */
    int create_db;             /* create the workspace file when missing */
    int busy_timeout_ms;       /* 0: $ACVTRACK_BUSY_TIMEOUT (ms), else 5000 */
    acv_lua_limits limits;
} acv_ctx_options;

typedef struct {
    char *db_path;
    char *framework_dir;
    char *overlay_dir; /* NULL without an overlay */
    acv_overlay roots; /* the framework and overlay folders: ask it for files (overlay.h) */
    acv_store *store;  /* NULL unless ACV_NEED_STORE */
    acv_framework *fw; /* NULL unless ACV_NEED_FRAMEWORK */
    acv_lua *lua;      /* NULL unless ACV_NEED_LUA */
    acv_lua_limits limits;
} acv_ctx;

/* Opens what `needs` asks for. With a store and a framework, the framework's indicators are
 * synced into the workspace. On failure *out is NULL and nothing is left open. */
acv_status acv_ctx_open(const acv_ctx_options *opt, unsigned needs, acv_ctx **out, acv_error *err);
void acv_ctx_close(acv_ctx *ctx);

/* Starts another Lua host like the context's own (same scripts, overlay and limits, scoring
 * methods loaded), for scoring on another thread. The caller frees it with acv_lua_free. */
acv_status acv_ctx_new_lua(acv_ctx *ctx, acv_lua **out, acv_error *err);

/* The framework folder that would be used without --framework (for --help). */
const char *acv_default_framework_dir(void);

#endif
