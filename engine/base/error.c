/* error.c — status codes and located messages; see error.h. */
#include "error.h"

#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void acv_error_clear(acv_error *err)
{
    if (!err)
        return;
    err->status = ACV_OK;
    err->message[0] = '\0';
}

acv_status acv_error_set(acv_error *err, acv_status status, const char *fmt, ...)
{
    if (!err)
        return status;
    ACV_VFORMAT(err->message, sizeof err->message, fmt);
    err->status = status;
    return status;
}

acv_status acv_error_at(acv_error *err, acv_status status, const char *file, long line, long col,
                        const char *fmt, ...)
{
    if (!err)
        return status;
    int n;
    if (file && line > 0 && col > 0)
        n = snprintf(err->message, sizeof err->message, "%s:%ld:%ld: ", file, line, col);
    else if (file && line > 0)
        n = snprintf(err->message, sizeof err->message, "%s:%ld: ", file, line);
    else if (file)
        n = snprintf(err->message, sizeof err->message, "%s: ", file);
    else
        n = 0;
    if (n < 0 || (size_t)n >= sizeof err->message)
        n = 0;
    ACV_VFORMAT(err->message + n, sizeof err->message - (size_t)n, fmt);
    err->status = status;
    return status;
}

void acv_error_prefix(acv_error *err, const char *fmt, ...)
{
    if (!err)
        return;
    char prefix[512];
    ACV_VFORMAT(prefix, sizeof prefix, fmt);
    char old[ACV_ERROR_MAX];
    memcpy(old, err->message, sizeof old);
    snprintf(err->message, sizeof err->message, "%s: %s", prefix, old);
}

int acv_status_exit_code(acv_status status)
{
    switch (status) {
    case ACV_OK:
        return 0;
    case ACV_ERR_USAGE:
        return 2;
    case ACV_ERR_INPUT:
    case ACV_ERR_NOTFOUND:
        return 3;
    case ACV_ERR_SCRIPT:
        return 4;
    case ACV_ERR_STORAGE:
        return 5;
    case ACV_ERR_BUSY:
        return 6;
    case ACV_ERR_NOMEM:
    case ACV_ERR_IO:
        return 1;
    }
    return 1;
}

static const char *const STATUS_NAMES[] = {[ACV_OK] = "ok",
                                           [ACV_ERR_USAGE] = "usage error",
                                           [ACV_ERR_INPUT] = "bad input",
                                           [ACV_ERR_SCRIPT] = "script error",
                                           [ACV_ERR_STORAGE] = "storage error",
                                           [ACV_ERR_BUSY] = "workspace busy",
                                           [ACV_ERR_NOMEM] = "out of memory",
                                           [ACV_ERR_IO] = "i/o error",
                                           [ACV_ERR_NOTFOUND] = "not found"};

const char *acv_status_name(acv_status status)
{
    return acv_name_of(STATUS_NAMES, sizeof STATUS_NAMES / sizeof *STATUS_NAMES, (int)status,
                       "error");
}
