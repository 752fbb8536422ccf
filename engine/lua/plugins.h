/*
 * plugins.h — Lua plugins: exporters, importers and report renderers that integrators write
 * without recompiling (docs/plugins.md). A plugin is plugins/NAME.lua (or plugins/NAME/init.lua)
 * in the framework folder or a city overlay. It runs in the same sandbox as every script: it has
 * no file or network access of its own, reads data through the read-only `acv` API, and writes
 * through an output sink the engine gives it. The engine writes the sink's files only when the
 * plugin finished without error, so a broken plugin leaves no partial output and no database
 * change.
 */
#ifndef ACV_PLUGINS_H
#define ACV_PLUGINS_H

#include "acv_api.h" /* ACV_PLUGIN_API */
#include "context.h"
#include "import.h"

typedef struct {
    char name[64];
    char version[32];
    char kind[16]; /* exporter, importer, renderer, validator */
    char description[300];
    char file[600];     /* as shown in messages */
    char options[1024]; /* "name: help" lines */
    int broken; /* its file did not load or declare itself: name from the file, kind "broken" */
    char error[600]; /* ... and why: the first line of the load or declaration error */
} acv_plugin_info;

/* Every plugin of the framework (and overlay) folders; *out is malloc'd. A plugin that does not
 * load (a syntax error, a bad declaration) is listed as broken with its error, and the others are
 * listed as usual. */
acv_status acv_plugins_list(acv_ctx *ctx, acv_plugin_info **out, size_t *n, acv_error *err);

typedef struct {
    size_t files;
    size_t bytes;
    char first_path[600]; /* where the first file went ("-" for standard output) */
} acv_export_summary;

/*
 * Runs an exporter (or renderer) plugin with `opts` ("key=value"). Its files go to `output`: a
 * file path when it writes one file, a folder otherwise; NULL writes a single file to standard
 * output.
 */
acv_status acv_plugin_export(acv_ctx *ctx, const char *name, const char *const *opts, size_t n_opts,
                             const char *output, acv_export_summary *sum, acv_error *err);

typedef struct {
    acv_import_summary import; /* rows, as for a CSV import; lines = rows emitted */
    size_t areas_added;        /* (in a dry run: would be added) */
    size_t series_added;
    size_t inputs; /* files handed to the plugin */
} acv_plugin_import_summary;

/*
 * Runs an importer plugin over the given files or folders (their files, recursively, are read by
 * the engine and handed to the plugin as text) and imports what it emits through the row API of
 * import.h, all or nothing: its series, areas and rows in one transaction. io (may be NULL)
 * gives dry run, rejects file, --strict and progress as for a CSV import; its layout and
 * display_name are not used. Each row's error, rejects line and stored provenance name the file
 * and line the plugin gave it; sum->import.lines counts the rows emitted (= imported +
 * rejected). The import is recorded under the inputs' names as the plugin sees them.
 */
acv_status acv_plugin_import(acv_ctx *ctx, const char *name, const char *const *inputs,
                             size_t n_inputs, const char *const *opts, size_t n_opts,
                             const acv_import_options *io, acv_plugin_import_summary *sum,
                             acv_error *err);

#endif
