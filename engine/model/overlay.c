/* overlay.c — the framework and overlay roots, and the files of each kind; see overlay.h. */
#include "overlay.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const FOLDERS[] = {
    [ACV_FILES_INDICATORS] = "indicators",
    [ACV_FILES_ASSESSMENT] = "indicators/assessment",
    [ACV_FILES_RULES] = "indicators/validation",
    [ACV_FILES_PRACTICES] = "indicators/practices",
    [ACV_FILES_PLUGINS] = "plugins",
};

void acv_overlay_display_prefix(const char *dir, char *out, size_t size)
{
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--; /* "city/" names the folder city */
    size_t start = len;
    while (start > 0 && dir[start - 1] != '/')
        start--;
    snprintf(out, size, "%.*s/", (int)(len - start), dir + start);
}

acv_status acv_overlay_init(acv_overlay *ov, const char *framework_dir, const char *overlay_dir,
                            acv_error *err)
{
    memset(ov, 0, sizeof *ov);
    ov->roots[0].dir = strdup(framework_dir);
    ov->roots[0].display = strdup("");
    ov->n_roots = 1;
    int oom = !ov->roots[0].dir || !ov->roots[0].display;
    if (overlay_dir && *overlay_dir) {
        char prefix[300];
        acv_overlay_display_prefix(overlay_dir, prefix, sizeof prefix);
        ov->roots[1].dir = strdup(overlay_dir);
        ov->roots[1].display = strdup(prefix);
        ov->n_roots = 2;
        oom = oom || !ov->roots[1].dir || !ov->roots[1].display;
    }
    if (oom) {
        acv_overlay_free(ov);
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    }
    return ACV_OK;
}

void acv_overlay_free(acv_overlay *ov)
{
    for (size_t i = 0; i < 2; i++) {
        free(ov->roots[i].dir);
        free(ov->roots[i].display);
    }
    memset(ov, 0, sizeof *ov);
}

/* "PREFIX" + "rel", or NULL when out of memory. */
static char *shown(const char *prefix, const char *rel)
{
    size_t a = strlen(prefix), b = strlen(rel);
    char *s = malloc(a + b + 1);
    if (s) {
        memcpy(s, prefix, a);
        memcpy(s + a, rel, b + 1);
    }
    return s;
}

int acv_overlay_folder(const acv_overlay *ov, size_t root, acv_file_kind kind, char **path,
                       char **display)
{
    *path = acv_path_join(ov->roots[root].dir, FOLDERS[kind]);
    *display = shown(ov->roots[root].display, FOLDERS[kind]);
    if (*path && *display)
        return 1;
    free(*path);
    free(*display);
    *path = *display = NULL;
    return 0;
}

static int is_file(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

int acv_overlay_find(const acv_overlay *ov, const char *rel, char **path, char **display)
{
    *path = *display = NULL;
    for (size_t k = ov->n_roots; k-- > 0;) {
        char *p = acv_path_join(ov->roots[k].dir, rel);
        if (p && is_file(p)) {
            *path = p;
            *display = shown(ov->roots[k].display, rel);
            if (*display)
                return 1;
            free(p);
            *path = NULL;
            return 0;
        }
        free(p);
    }
    return 0;
}

void acv_files_free(acv_files *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->items[i].path);
        free(f->items[i].display);
    }
    free(f->items);
    f->items = NULL;
    f->n = 0;
}

/* Appends one file; returns 0 when out of memory. */
static int add(acv_files *f, size_t *cap, const char *path, const char *display, size_t root)
{
    if (ACV_GROW(f->items, *cap, f->n, 16) != 0)
        return 0;
    acv_file *it = &f->items[f->n];
    it->path = strdup(path);
    it->display = strdup(display);
    it->root = root;
    if (!it->path || !it->display) {
        free(it->path);
        free(it->display);
        return 0;
    }
    f->n++;
    return 1;
}

static int by_display(const void *a, const void *b)
{
    return strcmp(((const acv_file *)a)->display, ((const acv_file *)b)->display);
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls > lx && strcmp(s + ls - lx, suffix) == 0;
}

/* Appends the files of dir (shown as display/...) that kind takes, sorted. A missing folder adds
 * nothing; any other failure to open it is an error, with errno kept. */
static acv_status list_folder(const char *dir, const char *display, acv_file_kind kind, size_t root,
                              acv_files *out, acv_error *err)
{
    DIR *d = opendir(dir);
    if (!d) {
        int e = errno;
        acv_status st = e == ENOENT || e == ENOTDIR
                            ? ACV_ERR_NOTFOUND
                            : acv_error_set(err, ACV_ERR_IO, "%s: cannot read the folder: %s",
                                            display, strerror(e));
        if (st == ACV_ERR_NOTFOUND)
            acv_error_set(err, st, "%s: no such folder", display);
        errno = e;
        return st;
    }
    size_t first = out->n, cap = out->n;
    int oom = 0;
    struct dirent *e;
    while (!oom && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *path = acv_path_join(dir, e->d_name);
        char *name = NULL, *target = NULL;
        if (!path) {
            oom = 1;
        } else if (kind != ACV_FILES_PLUGINS) {
            if (has_suffix(e->d_name, ".yml") && is_file(path))
                name = acv_path_join(display, e->d_name), target = path, oom = !name;
        } else if (has_suffix(e->d_name, ".lua") && is_file(path)) {
            name = acv_path_join(display, e->d_name), target = path, oom = !name;
        } else {
            /* a plugin of several files: its folder with an init.lua */
            char *init = acv_path_join(path, "init.lua");
            if (init && is_file(init)) {
                char rel[600];
                snprintf(rel, sizeof rel, "%s/init.lua", e->d_name);
                name = acv_path_join(display, rel);
                target = init;
                init = NULL;
                oom = !name;
                free(path);
                path = target;
            } else {
                oom = !init;
            }
            free(init);
        }
        if (name && target && !add(out, &cap, target, name, root))
            oom = 1;
        free(name);
        free(path);
    }
    closedir(d);
    if (oom)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory listing %s", display);
    if (out->n > first)
        qsort(out->items + first, out->n - first, sizeof *out->items, by_display);
    return ACV_OK;
}

acv_status acv_files_yml(const char *dir, const char *display, acv_files *out, acv_error *err)
{
    out->items = NULL;
    out->n = 0;
    acv_status st = list_folder(dir, display, ACV_FILES_RULES, 0, out, err);
    if (st == ACV_ERR_NOTFOUND)
        return ACV_OK;
    if (st != ACV_OK)
        acv_files_free(out);
    return st;
}

/* Appends every .lua file under dir, depth folders deep at most; returns 0 when out of memory. An
 * unreadable folder below the top is skipped: compiling reports what it can read. */
static int walk_lua(const char *dir, const char *display, size_t root, int depth, acv_files *out,
                    size_t *cap)
{
    DIR *d = opendir(dir);
    if (!d)
        return 1;
    int ok = 1;
    struct dirent *e;
    while (ok && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *path = acv_path_join(dir, e->d_name);
        char *name = acv_path_join(display, e->d_name);
        struct stat sb, ls;
        int found = path && stat(path, &sb) == 0;
        /* a symbolic link to a folder is not entered: links to "." would loop */
        int link = path && lstat(path, &ls) == 0 && S_ISLNK(ls.st_mode);
        if (!path || !name)
            ok = 0;
        else if (found && S_ISDIR(sb.st_mode) && !link && depth > 0)
            ok = walk_lua(path, name, root, depth - 1, out, cap);
        else if (found && S_ISREG(sb.st_mode) && has_suffix(e->d_name, ".lua"))
            ok = add(out, cap, path, name, root);
        free(path);
        free(name);
    }
    closedir(d);
    return ok;
}

acv_status acv_overlay_lua_files(const acv_overlay *ov, size_t root, const char *folder,
                                 acv_files *out, acv_error *err)
{
    out->items = NULL;
    out->n = 0;
    if (root >= ov->n_roots)
        return ACV_OK;
    char *dir = acv_path_join(ov->roots[root].dir, folder);
    char *display = shown(ov->roots[root].display, folder);
    size_t cap = 0;
    int ok = dir && display && walk_lua(dir, display, root, 8, out, &cap);
    free(dir);
    free(display);
    if (!ok) {
        acv_files_free(out);
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory listing the scripts");
    }
    if (out->n > 1)
        qsort(out->items, out->n, sizeof *out->items, by_display);
    return ACV_OK;
}

acv_status acv_overlay_scripts_hash(const acv_overlay *ov, char hex[65], acv_error *err)
{
    acv_sha256 h;
    acv_sha256_init(&h);
    acv_sha256_update(&h, "acvtrack scripts 1\n", 19);
    for (size_t root = 0; root < ov->n_roots; root++) {
        acv_files files;
        acv_status st = acv_overlay_lua_files(ov, root, "scripts", &files, err);
        if (st != ACV_OK)
            return st;
        for (size_t i = 0; i < files.n; i++) {
            char *buf = NULL;
            size_t len = 0;
            int rc = acv_read_file(files.items[i].path, (size_t)64 << 20, &buf, &len);
            acv_sha256_update(&h, files.items[i].display, strlen(files.items[i].display) + 1);
            /* the length first, so that no two sets of files hash alike */
            char size[32];
            int n = snprintf(size, sizeof size, "%zu\n", rc == 0 ? len : (size_t)0);
            acv_sha256_update(&h, size, (size_t)n);
            if (rc == 0)
                acv_sha256_update(&h, buf, len);
            free(buf);
        }
        acv_files_free(&files);
    }
    acv_sha256_final_hex(&h, hex);
    return ACV_OK;
}

static acv_status root_files(const acv_overlay *ov, size_t root, acv_file_kind kind, acv_files *out,
                             acv_error *err)
{
    char *dir, *display;
    if (!acv_overlay_folder(ov, root, kind, &dir, &display))
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    acv_status st = list_folder(dir, display, kind, root, out, err);
    free(dir);
    free(display);
    return st == ACV_ERR_NOTFOUND ? ACV_OK : st;
}

acv_status acv_overlay_root_files(const acv_overlay *ov, size_t root, acv_file_kind kind,
                                  acv_files *out, acv_error *err)
{
    out->items = NULL;
    out->n = 0;
    acv_status st = root < ov->n_roots ? root_files(ov, root, kind, out, err) : ACV_OK;
    if (st != ACV_OK)
        acv_files_free(out);
    return st;
}

acv_status acv_overlay_files(const acv_overlay *ov, acv_file_kind kind, acv_files *out,
                             acv_error *err)
{
    out->items = NULL;
    out->n = 0;
    acv_status st = ACV_OK;
    for (size_t k = 0; k < ov->n_roots && st == ACV_OK; k++) {
        size_t root = kind == ACV_FILES_PLUGINS ? ov->n_roots - 1 - k : k;
        st = root_files(ov, root, kind, out, err);
    }
    if (st != ACV_OK)
        acv_files_free(out);
    return st;
}
