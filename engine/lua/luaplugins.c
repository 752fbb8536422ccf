/*
 * luaplugins.c — importing what an importer plugin emitted (acv_plugin_import in plugins.h): the
 * files handed to the plugin, and the areas, series and observations of its sink handed to the
 * row API of import.h (the one import path), with the file and line the plugin read each from.
 * Finding and running the plugin is plugin_host.c; the sink is plugin_sink.c.
 */
#include "plugin_host.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_INPUT_FILES 5000

/* ---- importer inputs ---------------------------------------------------------------------- */

typedef struct {
    char **paths, **names;
    size_t n, cap;
} input_list;

static void input_list_free(input_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->paths[i]);
        free(l->names[i]);
    }
    free(l->paths);
    free(l->names);
}

static int input_add(input_list *l, const char *path, const char *name)
{
    if (l->n == MAX_INPUT_FILES)
        return -2;
    /* two arrays of one length, l->cap counting the paths: names grow first, so a failure of the
     * second growth leaves names larger than l->cap, never smaller */
    size_t cap_names = l->cap;
    if (ACV_GROW(l->names, cap_names, l->n, 64) != 0 || ACV_GROW(l->paths, l->cap, l->n, 64) != 0)
        return -1;
    l->paths[l->n] = strdup(path);
    l->names[l->n] = strdup(name);
    if (!l->paths[l->n] || !l->names[l->n]) {
        free(l->paths[l->n]);
        free(l->names[l->n]);
        return -1;
    }
    l->n++;
    return 0;
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the regular files under path (recursively, in name order); names are relative to the
 * folder given, prefixed with its last component. */
static int input_walk(input_list *l, const char *path, const char *name, int depth)
{
    /* the path given is followed; inside it, a symbolic link to a file is read but one to a folder
     * is not entered (no loops), and FIFOs, devices and sockets are skipped (never block) */
    struct stat sb, ls;
    if (stat(path, &sb) != 0)
        return depth ? 0 : -3;
    if (S_ISREG(sb.st_mode))
        return input_add(l, path, name);
    if (!S_ISDIR(sb.st_mode) || depth > 8 ||
        (depth && (lstat(path, &ls) != 0 || S_ISLNK(ls.st_mode))))
        return 0;
    DIR *d = opendir(path);
    if (!d)
        return -3;
    char **entries = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **ne = realloc(entries, cap * sizeof *ne);
            if (!ne) {
                rc = -1;
                break;
            }
            entries = ne;
        }
        if (!(entries[n] = strdup(e->d_name))) {
            rc = -1;
            break;
        }
        n++;
    }
    closedir(d);
    if (rc == 0 && n) /* an empty folder has no array to sort */
        qsort(entries, n, sizeof *entries, str_cmp);
    for (size_t i = 0; i < n && rc == 0; i++) {
        char child[1024], child_name[1024];
        snprintf(child, sizeof child, "%s/%s", path, entries[i]);
        snprintf(child_name, sizeof child_name, "%s/%s", name, entries[i]);
        rc = input_walk(l, child, child_name, depth + 1);
    }
    for (size_t i = 0; i < n; i++)
        free(entries[i]);
    free(entries);
    return rc;
}

/* ---- importing what an importer emitted -------------------------------------------------- */

/* The fields of a rejected row, under the names out:observation gives them (the disaggregation
 * as "name=value;name=value"): what remains of the rejects file without its first three columns
 * is a long-layout CSV `acvtrack import` reads. */
static const char *const REJECT_COLUMNS[] = {"area",   "indicator", "period",  "value",
                                             "source", "status",    "comment", "disaggregation"};

/* A row's disaggregation as the rejects file writes it, "name=value;name=value" (names sorted,
 * blank values left out as they are the total), into b (reset first). */
static const char *dims_text(acv_buf *b, const acv_sink_row *r)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
    for (size_t d = 0; d < r->n_dims; d++)
        if (r->dims[d].value && r->dims[d].value[0])
            acv_buf_printf(b, "%s%s=%s", b->len ? ";" : "", r->dims[d].name, r->dims[d].value);
    return b->data ? b->data : "";
}

static void hash_field(acv_sha256 *h, const char *s)
{
    if (s)
        acv_sha256_update(h, s, strlen(s));
    acv_sha256_update(h, s ? "\x1f" : "\x1e", 1);
}

/* The content hash of everything the plugin emitted: emitting the same again changes nothing
 * ("already imported"), as for a CSV file with the same bytes. */
static void hash_sink(const acv_sink *s, char hex[65])
{
    acv_sha256 h;
    acv_sha256_init(&h);
    acv_sha256_update(&h, "acvtrack plugin rows 1\n", 23);
    for (size_t i = 0; i < s->n_series; i++)
        hash_field(&h, s->series[i]);
    acv_sha256_update(&h, "\n", 1);
    for (size_t i = 0; i < s->n_areas; i++) {
        const acv_area *a = &s->areas[i];
        const char *f[] = {a->code, a->name, a->level, a->parent_code, a->country, a->source};
        for (size_t k = 0; k < sizeof f / sizeof *f; k++)
            hash_field(&h, f[k]);
    }
    acv_sha256_update(&h, "\n", 1);
    for (size_t i = 0; i < s->n_rows; i++) {
        const acv_sink_row *r = &s->rows[i];
        char line[32];
        snprintf(line, sizeof line, "%ld", r->line);
        const char *f[] = {r->area,   r->indicator, r->period, r->value, r->source,
                           r->status, r->comment,   r->file,   line,     r->skip};
        for (size_t k = 0; k < sizeof f / sizeof *f; k++)
            hash_field(&h, f[k]);
        for (size_t d = 0; d < r->n_dims; d++) {
            hash_field(&h, r->dims[d].name);
            hash_field(&h, r->dims[d].value);
        }
    }
    acv_sha256_final_hex(&h, hex);
}

/* Feeds the sink into the row API: series and areas first (rows may name them), then every row
 * with the file and line the plugin read it from (a skipped row through acv_import_skip). */
static acv_status import_sink(acv_import *im, const acv_sink *s, const char *plugin,
                              acv_plugin_import_summary *sum, acv_error *err)
{
    acv_status st = ACV_OK;
    for (size_t i = 0; i < s->n_series && st == ACV_OK; i += 3) {
        int added = 0;
        st = acv_import_add_series(im, s->series[i], s->series[i + 1], s->series[i + 2], &added,
                                   err);
        if (st != ACV_OK)
            acv_error_prefix(err, "plugin '%s': series '%s'", plugin, s->series[i]);
        sum->series_added += (size_t)added;
    }
    for (size_t i = 0; i < s->n_areas && st == ACV_OK; i++) {
        int added = 0;
        st = acv_import_add_area(im, &s->areas[i], &added, err);
        if (st != ACV_OK)
            acv_error_prefix(err, "plugin '%s': area %zu", plugin,
                             i + 1); /* the code may be unprintable */
        sum->areas_added += (size_t)added;
    }
    char unnamed[128];
    snprintf(unnamed, sizeof unnamed, "plugin-%s-output", plugin);
    acv_buf dims = {0};
    for (size_t i = 0; i < s->n_rows && st == ACV_OK; i++) {
        const acv_sink_row *r = &s->rows[i];
        const char *fields[] = {r->area,   r->indicator, r->period,  r->value,
                                r->source, r->status,    r->comment, dims_text(&dims, r)};
        if (dims.failed) {
            st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
            break;
        }
        /* a row without a file is named by its place in the plugin's output */
        acv_import_where where = {.file = r->file ? r->file : unnamed,
                                  .line = r->file ? r->line : (long)i + 1,
                                  .fields = fields,
                                  .n_fields = sizeof fields / sizeof *fields};
        if (r->skip) {
            st = acv_import_skip(im, &where, r->skip, err);
            continue;
        }
        acv_import_row row = {.area = r->area,
                              .indicator = r->indicator,
                              .period = r->period,
                              .value = r->value ? r->value : "",
                              .source = r->source,
                              .status = r->status,
                              .comment = r->comment,
                              .dims = r->dims,
                              .n_dims = r->n_dims};
        st = acv_import_add(im, &where, &row, 1, err);
    }
    acv_buf_free(&dims);
    return st;
}

acv_status acv_plugin_import(acv_ctx *ctx, const char *name, const char *const *inputs,
                             size_t n_inputs, const char *const *opts, size_t n_opts,
                             const acv_import_options *io, acv_plugin_import_summary *sum,
                             acv_error *err)
{
    memset(sum, 0, sizeof *sum);
    input_list files = {0};
    acv_buf own = {0}; /* the import's own name: the inputs as the plugin sees them */
    for (size_t i = 0; i < n_inputs; i++) {
        const char *base = strrchr(inputs[i], '/');
        base = base && base[1] ? base + 1 : inputs[i];
        acv_buf_printf(&own, "%s%s", i ? ", " : "", base);
        int rc = input_walk(&files, inputs[i], base, 0);
        if (rc != 0) {
            input_list_free(&files);
            acv_buf_free(&own);
            if (rc == -2)
                return acv_error_set(err, ACV_ERR_INPUT, "more than %d input files",
                                     MAX_INPUT_FILES);
            if (rc == -3)
                return acv_error_set(err, ACV_ERR_IO, "%s: cannot read: %s", inputs[i],
                                     strerror(errno));
            return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
        }
    }
    sum->inputs = files.n;
    acv_plugin_info info;
    acv_status st = own.failed ? acv_error_set(err, ACV_ERR_NOMEM, "out of memory")
                               : acv_plugin_find(ctx, name, "importer", NULL, &info, err);
    if (st != ACV_OK) {
        input_list_free(&files);
        acv_buf_free(&own);
        return st;
    }
    acv_sink s = {0};
    acv_plugin_call call = {
        "import", opts, n_opts, (const char *const *)files.names, (const char *const *)files.paths,
        files.n};
    st = acv_plugin_run(ctx, &info, &call, &s, err);
    input_list_free(&files);

    if (st == ACV_OK) {
        char sha[65];
        hash_sink(&s, sha);
        char via[128];
        snprintf(via, sizeof via, "read by plugin '%s'", info.name);
        acv_import_origin origin = {.name = own.data ? own.data : info.name,
                                    .sha256 = sha,
                                    .field_word = "field",
                                    .via = via,
                                    .unit = "rows",
                                    .total = s.n_rows,
                                    .reject_columns = REJECT_COLUMNS,
                                    .n_reject_columns =
                                        sizeof REJECT_COLUMNS / sizeof *REJECT_COLUMNS,
                                    .reject_with_file = 1};
        acv_import_options opt = {0};
        if (io)
            opt = *io;
        opt.display_name = NULL;
        opt.layout = ACV_LAYOUT_AUTO;
        acv_import *im = NULL;
        st = acv_import_begin(ctx, &origin, &opt, &sum->import, &im, err);
        if (im)
            st = acv_import_end(im, import_sink(im, &s, info.name, sum, err), err);
    }
    if (st != ACV_OK || sum->import.already) {
        sum->areas_added = 0;
        sum->series_added = 0;
    }
    acv_sink_free(&s);
    acv_buf_free(&own);
    return st;
}
