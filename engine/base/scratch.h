/*
 * scratch.h — a private temporary folder for renderers that need files on disk before their
 * output exists: libxlsxwriter writes a workbook to a file name, Chromium prints a PDF to one.
 * The folder is made with mode 0700 under $TMPDIR (or /tmp); what it holds is read back into
 * memory and the folder is removed with everything in it, so the caller publishes the output
 * through atomicfile.h like any other report and a failure leaves nothing behind.
 */
#ifndef ACV_SCRATCH_H
#define ACV_SCRATCH_H

#include "error.h"
#include "util.h"

typedef struct {
    char dir[4096]; /* "" when not open */
} acv_scratch;

/* Creates the folder; what names the use in errors ("cannot create a temporary folder for the
 * xlsx workbook: REASON"). */
acv_status acv_scratch_open(acv_scratch *s, const char *what, acv_error *err);

/* The path of name inside the folder, into a malloc'd string (NULL when out of memory). */
char *acv_scratch_path(const acv_scratch *s, const char *name);

/* Appends the whole file name of the folder to out (at most max bytes); what names the output
 * in errors ("the xlsx workbook was not written: REASON"). */
acv_status acv_scratch_read(const acv_scratch *s, const char *name, size_t max, acv_buf *out,
                            const char *what, acv_error *err);

/* Removes the folder and everything in it (nothing when not open). */
void acv_scratch_close(acv_scratch *s);

#endif
