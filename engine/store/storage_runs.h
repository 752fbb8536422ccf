/*
 * storage_runs.h — the stored runs as a whole (`acvtrack runs list|prune`), what refers to them,
 * and the workspace's size.
 *
 * References. Anything that is built from stored runs and must stay reproducible records the
 * runs it used in the table run_references(run_id, kind, ref): `report` records each file it
 * writes (kind "report", ref the id of its row in the reports table, which holds the file,
 * the format and when it was written); submissions record their runs with kind "submission" and
 * their own id as ref through acv_store_run_reference, in the transaction that stores them.
 * A referenced run is never pruned (and the foreign key refuses its deletion).
 *
 * Pruning keeps, for each (area, year), its latest keep_latest runs (by run id: the order runs
 * are stored in, which is what reports and rankings call the latest), every referenced run, and
 * with `before` every run created on or after that date; the rest are deleted with their
 * results and overlay changes, in one transaction. The space is then given back to the file
 * system: by an incremental vacuum (workspaces are created with auto_vacuum = INCREMENTAL, and
 * older ones are converted when they are migrated), or by a full VACUUM when the file still has
 * no auto-vacuum, then a WAL checkpoint so the file shrinks at once.
 */
#ifndef ACV_STORAGE_RUNS_H
#define ACV_STORAGE_RUNS_H

#include "storage.h"

typedef struct {
    int64_t id;
    const char *area; /* code */
    int year;
    const char *created_at; /* "2026-12-06T05:12:00Z" (UTC) */
    int latest;             /* the latest run of its (area, year) */
    const char *references; /* "report 3; submission S-12", or NULL when none */
} acv_run_row;

/* Calls fn for every stored run (only area's when area is not NULL) ordered by area code, year
 * and run id. Strings are valid during the call only; fn returns non-zero to stop.
 * ACV_ERR_NOTFOUND when area is not an area of the workspace. */
acv_status acv_store_runs_each(acv_store *s, const char *area,
                               int (*fn)(void *ud, const acv_run_row *r), void *ud, acv_error *err);

/* Records that run_id is used by (kind, ref), e.g. ("submission", "S-12"); recording it twice is
 * harmless. ACV_ERR_NOTFOUND when there is no such run. */
acv_status acv_store_run_reference(acv_store *s, int64_t run_id, const char *kind, const char *ref,
                                   acv_error *err);

/* Records a report file written from runs (n of them, duplicates allowed) in one transaction:
 * a row of reports, and a "report" reference from each run to it; *report_id is its id. */
acv_status acv_store_record_report(acv_store *s, const char *file, const char *format,
                                   const int64_t *runs, size_t n, int64_t *report_id,
                                   acv_error *err);

typedef struct {
    int keep_latest;    /* runs kept per (area, year), newest first; at least 1 */
    const char *before; /* "YYYY-MM-DD": only runs created before that day may go; NULL: any */
    int dry_run;        /* count, change nothing */
} acv_prune_options;

typedef struct {
    long runs;            /* stored before pruning */
    long removed;         /* deleted (dry run: would be) */
    long kept_latest;     /* among the keep_latest latest of their (area, year) */
    long kept_referenced; /* older, but referenced by a report or a submission */
    long kept_recent;     /* older and not referenced, but created on or after `before` */
    int64_t bytes_before; /* page_count * page_size before */
    int64_t bytes_after;  /* and after the vacuum (dry run: = bytes_before) */
    int full_vacuum;      /* the file had no auto-vacuum: a full VACUUM was run */
} acv_prune_summary;

/* Prunes as described above. Outside any transaction (it vacuums). */
acv_status acv_store_runs_prune(acv_store *s, const acv_prune_options *o, acv_prune_summary *out,
                                acv_error *err);

/* The workspace's size in bytes: page_count * page_size. */
acv_status acv_store_size(acv_store *s, int64_t *bytes, acv_error *err);

#endif
