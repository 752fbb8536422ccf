/* atomicfile.c — replace a file through a temporary file, fsync and rename; see atomicfile.h. */
#include "atomicfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct acv_atomic_file {
    char *path, *tmp; /* tmp is NULL when writing through to a device or FIFO */
    FILE *f;          /* NULL once closed */
};

/* Creates every missing folder above path (not path itself). */
static int make_parent_dirs(const char *path)
{
    char *buf = strdup(path);
    if (!buf)
        return -1;
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST) {
            free(buf);
            return -1;
        }
        *p = '/';
    }
    free(buf);
    return 0;
}

static acv_status io_error(acv_error *err, const char *path, int code)
{
    return acv_error_set(err, ACV_ERR_IO, "%s: cannot write: %s", path, strerror(code));
}

/* A target that is not a regular file is never replaced: a character device or FIFO (also
 * through a symbolic link, as /dev/stdout is) is written through; any other symbolic link, a
 * folder, a socket or a block device is refused. 1: write through; 0: replace; -1: refused. */
static int target_kind(const char *path, acv_error *err)
{
    struct stat ls, ts;
    if (lstat(path, &ls) != 0)
        return 0; /* nothing there yet (or unreachable: creating the temporary file says why) */
    int resolved = stat(path, &ts) == 0;
    if (resolved && (S_ISCHR(ts.st_mode) || S_ISFIFO(ts.st_mode)))
        return 1;
    if (S_ISLNK(ls.st_mode)) {
        acv_error_set(err, ACV_ERR_IO,
                      "%s: cannot write: it is a symbolic link, which acvtrack neither replaces "
                      "nor follows; give the path it points to",
                      path);
        return -1;
    }
    if (S_ISDIR(ls.st_mode)) {
        acv_error_set(err, ACV_ERR_IO, "%s: cannot write: it is a folder", path);
        return -1;
    }
    if (!S_ISREG(ls.st_mode)) {
        acv_error_set(err, ACV_ERR_IO, "%s: cannot write: it is not a regular file", path);
        return -1;
    }
    return 0;
}

/* Opens a device or FIFO for writing through; it is not replaced, so it is not atomic. */
static acv_status open_through(const char *path, acv_atomic_file **out, acv_error *err)
{
    acv_atomic_file *a = calloc(1, sizeof *a);
    if (!a || !(a->path = strdup(path))) {
        free(a);
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    }
    int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0 || !(a->f = fdopen(fd, "wb"))) {
        int code = errno;
        if (fd >= 0)
            close(fd);
        free(a->path);
        free(a);
        return io_error(err, path, code);
    }
    *out = a;
    return ACV_OK;
}

acv_status acv_atomic_open(const char *path, int make_parents, acv_atomic_file **out,
                           acv_error *err)
{
    *out = NULL;
    if (make_parents && make_parent_dirs(path) != 0)
        return io_error(err, path, errno);
    int kind = target_kind(path, err);
    if (kind < 0)
        return err->status;
    if (kind > 0)
        return open_through(path, out, err);
    acv_atomic_file *a = calloc(1, sizeof *a);
    size_t n = strlen(path) + 16;
    if (!a || !(a->path = strdup(path)) || !(a->tmp = malloc(n))) {
        if (a)
            free(a->path);
        free(a);
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    }
    /* beside the target, so the rename stays within one file system */
    snprintf(a->tmp, n, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(a->tmp);
    if (fd < 0 || !(a->f = fdopen(fd, "wb"))) {
        int code = errno;
        if (fd >= 0) {
            close(fd);
            remove(a->tmp);
        }
        free(a->tmp);
        free(a->path);
        free(a);
        return io_error(err, path, code);
    }
    /* mkstemp creates 0600; the file is a report for people, like any other they write */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    *out = a;
    return ACV_OK;
}

FILE *acv_atomic_stream(acv_atomic_file *f)
{
    return f->f;
}

acv_status acv_atomic_close(acv_atomic_file *a, acv_error *err)
{
    if (!a->f)
        return ACV_OK;
    int ok = !ferror(a->f);
    ok = fflush(a->f) == 0 && ok;
    int code = errno;
    /* a terminal, /dev/null or a pipe cannot be synced, and need not be */
    ok = (fsync(fileno(a->f)) == 0 || (!a->tmp && (errno == EINVAL || errno == ENOTSUP))) && ok;
    if (!ok)
        code = errno ? errno : code;
    ok = fclose(a->f) == 0 && ok;
    a->f = NULL;
    if (!ok)
        return io_error(err, a->path, code ? code : EIO);
    return ACV_OK;
}

/* Makes the rename durable: the folder's entry is what changed. */
static void sync_parent(const char *path)
{
    char *dir = strdup(path);
    if (!dir)
        return;
    char *slash = strrchr(dir, '/');
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    int fd = open(slash ? dir : ".", O_RDONLY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(dir);
}

static void atomic_free(acv_atomic_file *a)
{
    free(a->tmp);
    free(a->path);
    free(a);
}

acv_status acv_atomic_publish(acv_atomic_file *a, acv_error *err)
{
    acv_status st = acv_atomic_close(a, err);
    if (!a->tmp) { /* written through: nothing to rename */
        atomic_free(a);
        return st;
    }
    if (st == ACV_OK) {
        if (rename(a->tmp, a->path) == 0)
            sync_parent(a->path);
        else
            st = io_error(err, a->path, errno);
    }
    if (st != ACV_OK)
        remove(a->tmp);
    free(a->tmp);
    free(a->path);
    free(a);
    return st;
}

void acv_atomic_abandon(acv_atomic_file *a)
{
    if (!a)
        return;
    if (a->f)
        fclose(a->f);
    if (a->tmp)
        remove(a->tmp);
    atomic_free(a);
}

/* Publishing several files: each replaced target is first hard-linked aside (the old file stays
 * in place meanwhile), so a rename that fails can put every earlier target back. */
acv_status acv_atomic_publish_all(acv_atomic_file **files, size_t n, acv_error *err)
{
    acv_status st = ACV_OK;
    for (size_t i = 0; i < n && st == ACV_OK; i++)
        st = acv_atomic_close(files[i], err);
    char **aside = calloc(n + 1, sizeof *aside);
    if (st == ACV_OK && !aside)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n && st == ACV_OK; i++) {
        struct stat sb;
        if (!files[i]->tmp || lstat(files[i]->path, &sb) != 0)
            continue; /* written through, or a new file: nothing to keep */
        size_t len = strlen(files[i]->tmp) + 5;
        if (!(aside[i] = malloc(len))) {
            st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
            break;
        }
        snprintf(aside[i], len, "%s.old", files[i]->tmp);
        if (link(files[i]->path, aside[i]) != 0) {
            st = acv_error_set(err, ACV_ERR_IO,
                               "%s: cannot write: cannot keep the old file while replacing it: %s",
                               files[i]->path, strerror(errno));
            free(aside[i]);
            aside[i] = NULL;
        }
    }
    size_t done = 0; /* files[0..done) are renamed into place */
    while (st == ACV_OK && done < n) {
        if (files[done]->tmp && rename(files[done]->tmp, files[done]->path) != 0)
            st = io_error(err, files[done]->path, errno);
        else
            done++;
    }
    if (st != ACV_OK) /* put back what was replaced, remove what was new */
        for (size_t i = 0; i < done; i++) {
            if (!files[i]->tmp)
                continue;
            if (aside[i]) {
                /* renamed back, nothing is left to remove; if that fails too, the old content
                 * stays beside the target as NAME.tmp.XXXXXX.old rather than being lost */
                rename(aside[i], files[i]->path);
                free(aside[i]);
                aside[i] = NULL;
            } else {
                remove(files[i]->path);
            }
        }
    for (size_t i = 0; i < n; i++) {
        if (aside && aside[i])
            remove(aside[i]);
        if (aside)
            free(aside[i]);
        if (st == ACV_OK && files[i]->tmp)
            sync_parent(files[i]->path);
        if (files[i]->tmp && (st != ACV_OK && i >= done))
            remove(files[i]->tmp);
        atomic_free(files[i]);
    }
    free(aside);
    return st;
}

acv_status acv_write_file_atomic(const char *path, const char *data, size_t len, int make_parents,
                                 acv_error *err)
{
    acv_atomic_file *a = NULL;
    acv_status st = acv_atomic_open(path, make_parents, &a, err);
    if (st != ACV_OK)
        return st;
    if (len && fwrite(data, 1, len, a->f) != len) {
        st = io_error(err, path, errno);
        acv_atomic_abandon(a);
        return st;
    }
    return acv_atomic_publish(a, err);
}
