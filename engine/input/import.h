/*
 * import.h — observations into the workspace, all or nothing: CSV files (import_csv.c) and every
 * importer plugin, through one row API (import.c).
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
#include "progress.h"
#include "storage.h"
#include "util.h"
#include "values.h"

/* The largest magnitude a value may have on a side its indicator's physical range rule leaves
 * open (docs/data.md): more than any count, amount or rate a city reports. */
#define ACV_IMPORT_MAX_MAGNITUDE 1e15

typedef enum { ACV_LAYOUT_AUTO, ACV_LAYOUT_LONG, ACV_LAYOUT_WIDE } acv_layout;

typedef struct {
    int64_t import_id; /* in a dry run: the id the import would get */
    int64_t already;   /* non-zero: the same content was imported before as this import */
    long rows;         /* observations imported (new + changed + unchanged) */
    long added, changed, unchanged; /* changed: revised, the earlier version kept */
    long lines;                     /* data lines read (the header and blank lines not counted) */
    long rejected;                  /* data lines written to the rejects file */
    long skipped;      /* records the importer skipped (acv_import_skip) without a rejects file */
    acv_layout layout; /* the layout used */
    int dry_run;
    long violations_high; /* high-importance rule violations this import causes */
    long warnings;        /* without --strict: every rule violation this import causes */
} acv_import_summary;

typedef struct {
    const char *display_name; /* how messages name the file; NULL: the path */
    acv_progress *progress;   /* the caller's progress line (progress.h), or NULL: started with
                               * the origin's total, updated per record, finished or cleared by
                               * acv_import_end */
    acv_layout layout;        /* ACV_LAYOUT_AUTO: detect from the header */
    int dry_run;              /* do everything, then roll back */
    const char *rejects;      /* collect bad lines into this CSV file instead of failing */
    int strict;               /* refuse the file when it breaks a high-importance rule */
    acv_buf *report;          /* when set: one line per violation found by strict mode, or
                               * without it the warning count and the first few violations */
    acv_buf *skips;           /* when set: "file:line: reason" of the first max_skips records
                               * the importer skipped (acv_import_skip); the rest are counted */
    long max_skips;
    const char *calendar; /* the calendar of the file's years (calendar.h name: ce, be-th,
                           * me-mm); NULL: each area's own (the areas file), else CE */
} acv_import_options;

/* Where the countries' fiscal years are declared, under the framework (or an overlay). */
#define ACV_FISCAL_FILE "indicators/calendars/fiscal-years.yml"

acv_status acv_import_csv(acv_ctx *ctx, const char *path, const acv_import_options *opt,
                          acv_import_summary *out, acv_error *err);

/*
 * The row API: the one path every import takes (the CSV reader above and importer plugins).
 *
 *   acv_import_begin   takes the write lock and records the import (or finds that the same
 *                      content was imported before: out->already, and the importer stops);
 *   acv_import_add_area / acv_import_add_series
 *                      areas and data series the source brings, in the same transaction;
 *   acv_import_add     one record of the source (a CSV line, a plugin row) with its origin and
 *                      its observations, accepted or rejected as a whole;
 *   acv_import_reject  a record the importer could not even read into observations;
 *   acv_import_skip    a record the importer read but leaves out on purpose, with the reason (a
 *                      plugin's "duplicate row"): listed, never an error;
 *   acv_import_end     commits (or, for a dry run, an import found before, or any failure, rolls
 *                      back) and frees the import.
 *
 * Accounting: records read (out->lines) = records accepted + records rejected (out->rejected)
 * + records skipped without a rejects file (out->skipped; with one they are rejected).
 * A record problem (ACV_ERR_INPUT) goes to the rejects file when there is one, else it stops the
 * import with "file:line: message" naming the record's origin. Nothing is written before
 * acv_import_end commits, so a failed import leaves nothing behind.
 */
typedef struct acv_import acv_import;

typedef struct {
    const char *name; /* the import's own file as recorded (imports.file) and named in messages */
    const char
        *sha256; /* hex digest of what is imported: content imported before changes nothing */
    const char *field_word; /* how messages name a field: "column" (CSV), "field" (plugin rows) */
    const char *via;        /* appended to messages about a record with its own file, e.g.
                             * "read by plugin 'opensdg'"; NULL: nothing */
    const char *unit;       /* the progress line's unit: "rows" (records, counted by the row
                             * API) or "B" (bytes, reported by the importer: acv_import_at) */
    uint64_t total;         /* the progress line's total in that unit (0: unknown) */
    /* the rejects file: "line,error" (with_file: "file,line,error"), then these column names;
     * each rejected record's fields follow under them */
    const char *const *reject_columns;
    size_t n_reject_columns;
    int reject_with_file;
} acv_import_origin;

/* Where a record comes from, as the user knows it. */
typedef struct {
    const char *file; /* NULL: the import's own file (origin name) */
    long line;
    const char *const *fields; /* the record as read, for the rejects file (may be NULL) */
    size_t n_fields;
} acv_import_where;

typedef struct {
    const char *name, *value; /* a disaggregation dimension; a blank value is the total */
} acv_import_dim;

/* One observation as read: text, checked and converted by the row API. */
typedef struct {
    const char *area, *indicator; /* codes */
    const char *period;           /* a period (acv_period_parse) */
    const char *value;            /* a decimal number (acv_parse_number); NULL: check the rest of
                                   * the row but store nothing (a wide line without values) */
    const char *source, *status, *comment; /* NULL or "": none */
    const acv_import_dim *dims;            /* sorted by name; stored as "age=15-24;sex=female" */
    size_t n_dims;
    const char *value_name; /* how messages name the value's field when it is not "value" (the
                             * year column of a wide line); such errors are prefixed with it */
} acv_import_row;

/* opt may be NULL (defaults); opt->layout and opt->display_name are the CSV reader's. On success
 * *out_im is the import, or NULL when out->already is set (nothing more to do). On failure
 * nothing was started. */
acv_status acv_import_begin(acv_ctx *ctx, const acv_import_origin *origin,
                            const acv_import_options *opt, acv_import_summary *out,
                            acv_import **out_im, acv_error *err);

/* An area the source brings: stored when its code is new (*added = 1), left as it is otherwise. */
acv_status acv_import_add_area(acv_import *im, const acv_area *area, int *added, acv_error *err);

/* A data series outside the framework (code, name, unit): created, or renamed when it exists;
 * *added is 1 when it was new. */
acv_status acv_import_add_series(acv_import *im, const char *code, const char *name,
                                 const char *unit, int *added, acv_error *err);

/* One record and its n observations (n may be 0: a record without data is counted as accepted).
 * Every row is checked before any is stored; with a rejects file a record refused by the store
 * is undone as a whole. Returns ACV_OK when the record was accepted or rejected into the rejects
 * file; any other status stops the import (call acv_import_end). */
acv_status acv_import_add(acv_import *im, const acv_import_where *where, const acv_import_row *rows,
                          size_t n, acv_error *err);

/* A record refused for reason before it became observations (a CSV line with the wrong number of
 * columns): rejected like a refused record. */
acv_status acv_import_reject(acv_import *im, const acv_import_where *where, const char *reason,
                             acv_error *err);

/* A record the importer leaves out on purpose (for reason): with a rejects file it is written
 * there like a rejected record; without one it is counted in out->skipped and listed in
 * opt->skips, and the import goes on. */
acv_status acv_import_skip(acv_import *im, const acv_import_where *where, const char *reason,
                           acv_error *err);

/* Where the importer is in its source, in the origin's unit (bytes read of a CSV file), for the
 * progress line; without calls the row API counts records. */
void acv_import_at(acv_import *im, uint64_t done);

/* Finishes the import: with st == ACV_OK it runs --strict, then commits (a dry run rolls back);
 * otherwise it rolls back and returns st (err as set). The rejects file is published only when
 * the import succeeded. Frees im; out is zeroed (but its layout) when the import failed. */
acv_status acv_import_end(acv_import *im, acv_status st, acv_error *err);

const char *acv_layout_name(acv_layout layout);

/* ---- Taking an import back (import_revert.c) ----------------------------------------------- */

/* `acvtrack imports`: every finished import as a table: id, time, the observations it carried
 * (rows) and the values it added (new), changed (revised) and removed, and its file (with the
 * revert that took it back, if any). */
acv_status acv_imports_text(acv_ctx *ctx, acv_buf *out, acv_error *err);

typedef struct {
    int force;   /* also put back values that later imports changed since */
    int dry_run; /* do everything, then roll back */
} acv_revert_options;

typedef struct {
    int64_t reverted;  /* the import taken back */
    int64_t revert_id; /* the revert's own import (in a dry run: the id it would get) */
    char file[512];    /* the reverted import's file */
    long values;       /* values changed by the revert = added + changed + removed */
    long added;        /* put back where the value had been removed */
    long changed;      /* put back to the version from before the import */
    long removed;      /* the import had added them */
    long forced;       /* of those, values a later import had changed (only with force) */
    int dry_run;
} acv_revert_summary;

/* `acvtrack imports revert N`, in one transaction: every value import N changed gets back the
 * version it had before N (the current one kept in the history as replaced by the revert), and
 * every value N added is removed (kept in the history too). The revert is recorded as an import
 * ("revert of import N") that can itself be reverted. Refused with ACV_ERR_INPUT when a later
 * import changed some of those values since (naming the imports and a value each) unless
 * opt->force, when the import was reverted already, or when it changed no value;
 * ACV_ERR_NOTFOUND when there is no import N. Areas and series the import added stay. */
acv_status acv_import_revert(acv_ctx *ctx, int64_t import_id, const acv_revert_options *opt,
                             acv_revert_summary *out, acv_error *err);

/* `acvtrack history`: every version of an area's observations of one indicator (or data
 * element), with where each came from, as a text table; year 0 means every year. */
acv_status acv_history_text(acv_ctx *ctx, const char *area, const char *indicator, int year,
                            acv_buf *out, acv_error *err);

#endif
