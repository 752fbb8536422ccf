/*
 * luaplugins.c — importing what an importer plugin emitted (acv_plugin_import in plugins.h): the
 * files handed to the plugin, and the areas, series and observations of its sink stored in the
 * workspace. Finding and running the plugin is plugin_host.c; the sink is plugin_sink.c.
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
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 64;
        char **p = realloc(l->paths, ncap * sizeof *p);
        if (!p)
            return -1;
        l->paths = p;
        char **nm = realloc(l->names, ncap * sizeof *nm);
        if (!nm)
            return -1;
        l->names = nm;
        l->cap = ncap;
    }
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
    struct stat sb;
    if (stat(path, &sb) != 0)
        return -3;
    if (S_ISREG(sb.st_mode))
        return input_add(l, path, name);
    if (!S_ISDIR(sb.st_mode) || depth > 8)
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
    if (rc == 0)
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

/* Rewrites "tmpname:LINE: message" from the generated CSV into the plugin's own file:line. */
static void map_error_line(acv_error *err, const char *tmp_display, const acv_sink *s,
                           const char *plugin)
{
    size_t n = strlen(tmp_display);
    if (strncmp(err->message, tmp_display, n) != 0 || err->message[n] != ':')
        return;
    long line = strtol(err->message + n + 1, NULL, 10);
    const char *rest = strchr(err->message + n + 1, ':');
    char msg[ACV_ERROR_MAX];
    long row = line - 2; /* the header is line 1 */
    if (row >= 0 && (size_t)row < s->n_rows && s->rows[row].file)
        snprintf(msg, sizeof msg, "%s:%ld%s (read by plugin '%s')", s->rows[row].file,
                 s->rows[row].line, rest ? rest : "", plugin);
    else
        snprintf(msg, sizeof msg, "plugin '%s' row %ld%s", plugin, row + 1, rest ? rest : "");
    snprintf(err->message, sizeof err->message, "%s", msg);
}

static void csv_field(FILE *f, const char *s)
{
    if (!s)
        return;
    fputc('"', f);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            fputc('"', f);
        fputc(*p, f);
    }
    fputc('"', f);
}

acv_status acv_plugin_import(acv_ctx *ctx, const char *name, const char *const *inputs,
                             size_t n_inputs, const char *const *opts, size_t n_opts,
                             acv_plugin_import_summary *sum, acv_error *err)
{
    memset(sum, 0, sizeof *sum);
    input_list files = {0};
    for (size_t i = 0; i < n_inputs; i++) {
        const char *base = strrchr(inputs[i], '/');
        base = base && base[1] ? base + 1 : inputs[i];
        int rc = input_walk(&files, inputs[i], base, 0);
        if (rc != 0) {
            input_list_free(&files);
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
    acv_status st = acv_plugin_find(ctx, name, "importer", NULL, &info, err);
    if (st != ACV_OK) {
        input_list_free(&files);
        return st;
    }
    acv_sink s = {0};
    acv_plugin_call call = {
        "import", opts, n_opts, (const char *const *)files.names, (const char *const *)files.paths,
        files.n};
    st = acv_plugin_run(ctx, &info, &call, &s, err);
    input_list_free(&files);

    /* new areas first (an importer may bring its own city), remembered to undo on failure */
    char **created = calloc(s.n_areas + 1, sizeof *created);
    size_t n_created = 0;
    if (st == ACV_OK && !created)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    if (st == ACV_OK && (s.n_areas || s.n_series)) {
        st = acv_store_begin(ctx->store, err);
        for (size_t i = 0; i < s.n_series && st == ACV_OK; i += 3) {
            if (acv_store_indicator_id(ctx->store, s.series[i]) == 0)
                sum->series_added++;
            st = acv_store_put_series(ctx->store, s.series[i], s.series[i + 1], s.series[i + 2],
                                      err);
        }
        for (size_t i = 0; i < s.n_areas && st == ACV_OK; i++) {
            acv_area existing;
            acv_error lookup;
            if (acv_store_get_area(ctx->store, s.areas[i].code, &existing, &lookup) == ACV_OK)
                continue;
            int changed = 0;
            st = acv_store_put_area(ctx->store, &s.areas[i], &changed, err);
            if (st == ACV_OK)
                created[n_created++] = (char *)s.areas[i].code;
        }
        if (st == ACV_OK)
            st = acv_store_commit(ctx->store, err);
        else
            acv_store_rollback(ctx->store);
        if (st != ACV_OK)
            n_created = 0;
    }
    sum->areas_added = n_created;

    char tmp[] = "/tmp/acvtrack-plugin-XXXXXX";
    int fd = -1;
    if (st == ACV_OK && s.n_rows) {
        fd = mkstemp(tmp);
        FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
        if (!f) {
            st = acv_error_set(err, ACV_ERR_IO, "cannot create a temporary file: %s",
                               strerror(errno));
            if (fd >= 0)
                close(fd);
        } else {
            fputs("area,indicator,period,value,source,status,comment\n", f);
            for (size_t i = 0; i < s.n_rows; i++) {
                const acv_sink_row *r = &s.rows[i];
                csv_field(f, r->area);
                fputc(',', f);
                csv_field(f, r->indicator);
                fputc(',', f);
                csv_field(f, r->period);
                fputc(',', f);
                csv_field(f, r->value);
                fputc(',', f);
                csv_field(f, r->source);
                fputc(',', f);
                csv_field(f, r->status);
                fputc(',', f);
                csv_field(f, r->comment);
                fputc('\n', f);
            }
            if (fclose(f) != 0)
                st = acv_error_set(err, ACV_ERR_IO, "cannot write a temporary file");
        }
        if (st == ACV_OK) {
            char display[128];
            snprintf(display, sizeof display, "plugin-%s-output", info.name);
            acv_import_options io = {.display_name = display};
            st = acv_import_csv(ctx, tmp, &io, &sum->import, err);
            if (st != ACV_OK)
                map_error_line(err, display, &s, info.name);
        }
        remove(tmp);
    }
    if (st != ACV_OK && n_created) {
        /* all or nothing: the areas this import created go again */
        acv_error ignored;
        if (acv_store_begin(ctx->store, &ignored) == ACV_OK) {
            for (size_t i = 0; i < n_created; i++)
                acv_store_delete_area(ctx->store, created[i], &ignored);
            if (acv_store_commit(ctx->store, &ignored) != ACV_OK)
                acv_store_rollback(ctx->store);
        }
        sum->areas_added = 0;
    }
    free(created);
    acv_sink_free(&s);
    return st;
}
