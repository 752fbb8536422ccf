/*
 * report.h — reports from a stored scoring run. A report never computes a score: it reads the run
 * that `acvtrack score` stored (the latest for the area and year), so what it shows can be
 * reproduced from the stamp it prints.
 */
#ifndef ACV_REPORT_H
#define ACV_REPORT_H

#include "context.h"
#include "util.h"

/* Appends a Markdown report for the area to out (year 0: the latest run of any year). */
acv_status acv_report_markdown(acv_ctx *ctx, const char *area_code, int year, acv_buf *out,
                               acv_error *err);

/* Writes data to path through a temporary file and a rename, so a failure never leaves a partial
 * file behind. */
acv_status acv_write_file_atomic(const char *path, const char *data, size_t len, acv_error *err);

#endif
