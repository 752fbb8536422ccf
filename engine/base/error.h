/*
 * error.h — the one error model of the engine.
 *
 * Every fallible engine function returns an acv_status and, on failure, fills an acv_error owned by
 * the caller. The message names the file and line (and column when known) where the problem is, in
 * the form "file:line:col: what is wrong", so that a city officer can go straight to it.
 */
#ifndef ACV_ERROR_H
#define ACV_ERROR_H

#include <stddef.h>

typedef enum {
    ACV_OK = 0,
    ACV_ERR_USAGE,   /* the command line is wrong */
    ACV_ERR_INPUT,   /* a YAML, CSV or answer file is wrong */
    ACV_ERR_SCRIPT,  /* a Lua script failed, or hit a sandbox limit */
    ACV_ERR_STORAGE, /* the workspace database refused or failed */
    ACV_ERR_BUSY,    /* another process holds the workspace */
    ACV_ERR_NOMEM,   /* out of memory */
    ACV_ERR_IO,      /* a file could not be read or written */
    ACV_ERR_NOTFOUND /* an area, indicator or run does not exist */
} acv_status;

#define ACV_ERROR_MAX 2048

typedef struct {
    acv_status status;
    char message[ACV_ERROR_MAX];
} acv_error;

/* Clears err (status ACV_OK, empty message). */
void acv_error_clear(acv_error *err);

/* Sets status and a printf-style message; returns status so callers can write
 * `return acv_error_set(err, ACV_ERR_INPUT, "...")`. err may be NULL. */
acv_status acv_error_set(acv_error *err, acv_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Same, prefixed with "file:line:col: " (col 0 omits the column, line 0 omits both). */
acv_status acv_error_at(acv_error *err, acv_status status, const char *file, long line, long col,
                        const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Prepends "prefix: " to an existing message (used to add context while unwinding). */
void acv_error_prefix(acv_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The process exit code documented for a status (see `acvtrack --help`). */
int acv_status_exit_code(acv_status status);

/* A short lowercase name for a status, for messages. */
const char *acv_status_name(acv_status status);

#endif
