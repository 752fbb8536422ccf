/*
 * plugin_sink.h — the output sink of a plugin run (ctx.out in docs/plugins.md): the files an
 * exporter writes (out:file, f:write, f:csv) and the rows, areas and series an importer emits
 * (out:observation, out:skip, out:area, out:series), all held in memory until the plugin returns.
 * The host then writes the files (acv_sink_write) or hands the rows to the import, so a plugin that
 * fails leaves nothing behind.
 *
 * A sink is owned by the C caller (zero-initialised, freed with acv_sink_free); the Lua closures
 * that fill it only point at it, and only live during the one protected call of the run.
 */
#ifndef ACV_PLUGIN_SINK_H
#define ACV_PLUGIN_SINK_H

#include "areas.h"
#include "plugins.h"
#include "sandbox_lua.h"
#include "util.h"

/* One output file: its relative name and its bytes so far. */
typedef struct {
    char name[256];
    acv_buf buf;
} acv_sink_file;

/* One out:observation, its fields as the plugin gave them (numbers as text); file and line say
 * where the plugin read it (NULL and 0 when it did not say); dims its disaggregation, sorted by
 * name. An out:skip is a row with skip (the reason) set and no dims: a source row the plugin
 * leaves out, which the import lists (or writes to the rejects file). Strings and dims live in
 * the sink's arena. */
typedef struct {
    char *area, *indicator, *period, *value, *source, *status, *comment, *file, *skip;
    long line;
    acv_import_dim *dims;
    size_t n_dims;
} acv_sink_row;

typedef struct {
    acv_sink_file *files;
    size_t n_files, cap_files;
    size_t bytes; /* held so far: files, and the rows', areas' and series' strings */
    acv_sink_row *rows;
    size_t n_rows, cap_rows;
    acv_area *areas; /* out:area, in order */
    size_t n_areas, cap_areas;
    char **series; /* out:series as code, name, unit triples (unit may be NULL) */
    size_t n_series, cap_series;
    acv_arena strings;
    int oom;
} acv_sink;

void acv_sink_free(acv_sink *s);

/* Pushes the `out` table a plugin writes to, its functions bound to s. Raises only for memory. */
void acv_sink_push(lua_State *L, acv_sink *s);

/*
 * Writes the sink's files for plugin `plugin`: to `output` (a file path when there is one file,
 * a folder when there are several or it ends in "/" or is a folder), or with output NULL the one
 * file to standard output. Every file goes to a temporary name first and is renamed only when all
 * were written, so a failure leaves none of them behind. Fills sum->files and sum->first_path.
 */
acv_status acv_sink_write(const acv_sink *s, const char *plugin, const char *output,
                          acv_export_summary *sum, acv_error *err);

#endif
