/* atomicfile.c — replace a file through a temporary file, fsync and rename; see atomicfile.h. */
#include "atomicfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct acv_atomic_file {
    char *path, *tmp;
    FILE *f; /* NULL once closed */
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

acv_status acv_atomic_open(const char *path, int make_parents, acv_atomic_file **out,
                           acv_error *err)
{
    *out = NULL;
    if (make_parents && make_parent_dirs(path) != 0)
        return io_error(err, path, errno);
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
    ok = fsync(fileno(a->f)) == 0 && ok;
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

acv_status acv_atomic_publish(acv_atomic_file *a, acv_error *err)
{
    acv_status st = acv_atomic_close(a, err);
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
    remove(a->tmp);
    free(a->tmp);
    free(a->path);
    free(a);
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
