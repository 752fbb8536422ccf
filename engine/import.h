/*
 * import.h — observations from CSV into the workspace, all or nothing.
 *
 * The long layout: a header row with the columns area, indicator, period (or year) and value, and
 * optionally source, status, comment and disaggregation columns that the framework names (sex,
 * age, ...); a blank disaggregation cell means the total. One transaction holds the whole file: the
 * first bad row rolls everything back and the error names the file, the line, the column and the
 * value. A file whose exact content was imported before changes nothing.
 */
#ifndef ACV_IMPORT_H
#define ACV_IMPORT_H

#include "context.h"

typedef struct {
    int64_t import_id;
    int64_t already;     /* non-zero: the same content was imported before as this import */
    long rows;
    long added, changed, unchanged;
} acv_import_summary;

typedef struct {
    const char *display_name; /* how messages name the file; NULL: the path */
    int progress;             /* print progress on stderr */
} acv_import_options;

acv_status acv_import_csv(acv_ctx *ctx, const char *path, const acv_import_options *opt,
                          acv_import_summary *out, acv_error *err);

/* Parses a decimal number the way imports accept it (no hex, inf, nan or thousands separators).
 * Returns 1 on success. */
int acv_parse_number(const char *s, double *out);

#endif
