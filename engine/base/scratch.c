/* scratch.c — a private temporary folder, read back and removed; see scratch.h. */
#define _XOPEN_SOURCE 700 /* nftw */
#include "scratch.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

acv_status acv_scratch_open(acv_scratch *s, const char *what, acv_error *err)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    s->dir[0] = '\0';
    int n = snprintf(s->dir, sizeof s->dir, "%s/acvtrack-XXXXXX", tmp);
    if (n < 0 || (size_t)n >= sizeof s->dir) {
        s->dir[0] = '\0';
        return acv_error_set(err, ACV_ERR_IO, "cannot create a temporary folder for %s: %s", what,
                             "$TMPDIR is too long");
    }
    if (!mkdtemp(s->dir)) {
        int e = errno;
        s->dir[0] = '\0';
        return acv_error_set(err, ACV_ERR_IO, "cannot create a temporary folder for %s in %s: %s",
                             what, tmp, strerror(e));
    }
    return ACV_OK;
}

char *acv_scratch_path(const acv_scratch *s, const char *name)
{
    return acv_path_join(s->dir, name);
}

acv_status acv_scratch_read(const acv_scratch *s, const char *name, size_t max, acv_buf *out,
                            const char *what, acv_error *err)
{
    char *path = acv_scratch_path(s, name);
    if (!path)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    char *data;
    size_t len;
    int rc = acv_read_file(path, max, &data, &len);
    int e = errno;
    free(path);
    if (rc == -2)
        return acv_error_set(err, ACV_ERR_IO, "%s is larger than %zu bytes", what, max);
    if (rc != 0)
        return acv_error_set(err, e == ENOMEM ? ACV_ERR_NOMEM : ACV_ERR_IO,
                             "%s was not written: %s", what, strerror(e));
    acv_buf_append(out, data, len);
    free(data);
    if (out->failed)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    return ACV_OK;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

void acv_scratch_close(acv_scratch *s)
{
    if (!s->dir[0])
        return;
    nftw(s->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    s->dir[0] = '\0';
}
