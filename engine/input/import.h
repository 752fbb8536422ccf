/*
 * import.h — observations from CSV into the workspace, all or nothing.
 *
 * Two layouts (docs/data.md). Long: a header row with the columns area, indicator, period (or
 * year) and value, and optionally source, status, comment and disaggregation columns that the
 * framework names (sex, age, ...); a blank disaggregation cell means the total. Wide, as
 * statistical offices publish: area, indicator, the same optional columns, and one column per
 * period ("2019", "2020", ...) whose cells are the values (a blank cell is no data). The layout is
 * detected from the header unless the caller chooses it.
 *
 * One transaction holds the whole file: the first bad line rolls everything back and the error
 * names the file, the line, the column and the value. With a rejects file, bad lines are written
 * there instead (with their line and the reason) and the rest is imported; data lines read =
 * lines imported + lines rejected, always. Changing a stored value keeps the old one as a
 * revision; the same key twice in one file is an error. A file whose exact content was imported
 * before changes nothing. A dry run does all of this and rolls back, so its counts are exactly
 * those of the real import that follows (when nobody writes in between).
 */
#ifndef ACV_IMPORT_H
#define ACV_IMPORT_H

#include "context.h"
#include "util.h"
#include "values.h"

typedef enum { ACV_LAYOUT_AUTO, ACV_LAYOUT_LONG, ACV_LAYOUT_WIDE } acv_layout;

typedef struct {
    int64_t import_id; /* in a dry run: the id the import would get */
    int64_t already;   /* non-zero: the same content was imported before as this import */
    long rows;         /* observations imported (new + changed + unchanged) */
    long added, changed, unchanged; /* changed: revised, the earlier version kept */
    long lines;                     /* data lines read (the header and blank lines not counted) */
    long rejected;                  /* data lines written to the rejects file */
    acv_layout layout;              /* the layout used */
    int dry_run;
    long violations_high; /* --strict: high-importance rule violations this import causes */
} acv_import_summary;

typedef struct {
    const char *display_name; /* how messages name the file; NULL: the path */
    int progress;             /* print progress on stderr */
    acv_layout layout;        /* ACV_LAYOUT_AUTO: detect from the header */
    int dry_run;              /* do everything, then roll back */
    const char *rejects;      /* collect bad lines into this CSV file instead of failing */
    int strict;               /* refuse the file when it breaks a high-importance rule */
    acv_buf *report;          /* when set: one line per violation found by strict mode */
} acv_import_options;

acv_status acv_import_csv(acv_ctx *ctx, const char *path, const acv_import_options *opt,
                          acv_import_summary *out, acv_error *err);

const char *acv_layout_name(acv_layout layout);

/* `acvtrack history`: every version of an area's observations of one indicator (or data
 * element), with where each came from, as a text table; year 0 means every year. */
acv_status acv_history_text(acv_ctx *ctx, const char *area, const char *indicator, int year,
                            acv_buf *out, acv_error *err);

#endif
