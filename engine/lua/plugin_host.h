/*
 * plugin_host.h — the plugin host (plugins.h is its public side): finding plugin files in the
 * framework and overlay folders, loading them and checking their declarations, and running one
 * plugin function under the sandbox with ctx = {acv, out, options, inputs}. The `acv` table is
 * acv_api.h; `out` is the sink of plugin_sink.h. The export and list commands are here; the
 * import of what an importer emitted builds on acv_plugin_find and acv_plugin_run.
 */
#ifndef ACV_PLUGIN_HOST_H
#define ACV_PLUGIN_HOST_H

#include "plugin_sink.h"
#include "plugins.h"

/* One call of a plugin function. */
typedef struct {
    const char *fn;          /* "export", "render", "import" or "validate" */
    const char *const *opts; /* "key=value" */
    size_t n_opts;
    const char *const *input_names; /* importers: the files handed over, as shown */
    const char *const *input_paths; /* ... and where they are */
    size_t n_inputs;
} acv_plugin_call;

/* Finds the plugin named `name` (an overlay's first) and leaves its table on the Lua stack of
 * ctx->lua; fails, leaving nothing, when there is none or it is neither of kind_a nor kind_b
 * (kind_b may be NULL). Every plugin file is loaded on the way, so a broken one fails here. */
acv_status acv_plugin_find(acv_ctx *ctx, const char *name, const char *kind_a, const char *kind_b,
                           acv_plugin_info *info, acv_error *err);

/* Calls call->fn of the plugin table on top of the stack (popped) with ctx = {acv = the `acv`
 * table, out = a sink filling `out`, options, inputs}; the workspace is open to acv functions
 * for the call only. A failure is prefixed "plugin 'NAME' (FILE) failed; nothing was written". */
acv_status acv_plugin_run(acv_ctx *ctx, const acv_plugin_info *info, const acv_plugin_call *call,
                          acv_sink *out, acv_error *err);

#endif
