/*
 * storage.h — the workspace database. All SQL of the engine lives in storage.c.
 *
 * Owns the SQLite connection and its prepared statements. Opening refuses, before anything is
 * written, a file that is not SQLite, another application's database (application_id) or one made
 * by a newer acvtrack (user_version). The schema is created and migrated inside one transaction.
 * Writes take the write lock up front (BEGIN IMMEDIATE), so a second writer waits up to the busy
 * timeout and then fails with ACV_ERR_BUSY instead of deadlocking.
 */
#ifndef ACV_STORAGE_H
#define ACV_STORAGE_H

#include "error.h"
#include "framework.h"

#include <stdint.h>

#define ACV_APPLICATION_ID 0x41435654 /* "ACVT" */
#define ACV_SCHEMA_VERSION 9

typedef struct acv_store acv_store;

typedef struct {
    int busy_timeout_ms; /* 0: default 5000 */
    int create;          /* create the file when missing */
} acv_store_options;

acv_status acv_store_open(const char *path, const acv_store_options *opt, acv_store **out,
                          acv_error *err);
/* acv_store_open refuses an existing zero-length file unless opt->create (test_faults.c). */
void acv_store_close(acv_store *s);

/* Transactions: begin takes the write lock (BEGIN IMMEDIATE). */
acv_status acv_store_begin(acv_store *s, acv_error *err);
acv_status acv_store_commit(acv_store *s, acv_error *err);
void acv_store_rollback(acv_store *s);
/* 1 inside a transaction begun with acv_store_begin. */
int acv_store_in_transaction(acv_store *s);

/* Makes the indicators table match the framework (inside its own transaction, skipped when the
 * framework hash is unchanged). */
acv_status acv_store_sync_framework(acv_store *s, const acv_framework *fw, acv_error *err);

/* Areas */
typedef struct {
    int64_t id;
    const char *code;
    const char *name;
    const char *level;
    const char *parent_code; /* NULL at the top */
    const char *country;
    int has_population;
    double population;
    int population_year;
    const char *source;
    const char *calendar; /* the default calendar of its files (calendar.h name); NULL: CE */
    int valid_from;       /* first year of its boundaries; 0: open (set by `areas change`) */
    int valid_to;         /* last year of its boundaries; 0: open (still current) */
} acv_area;

/* Inserts or updates an area by code; *changed is 1 when a row was inserted or modified.
 * The parent must exist already. Call inside a transaction. */
acv_status acv_store_put_area(acv_store *s, const acv_area *a, int *changed, acv_error *err);
/* Records a data series that is not part of the framework (an imported SDG series, code like
 * "SDG:11.6.2"), so its observations can be stored and linked indicators can use them. */
acv_status acv_store_put_series(acv_store *s, const char *code, const char *name, const char *unit,
                                acv_error *err);
/* Deletes an area that has no observations, runs or children (undoing a failed import). */
acv_status acv_store_delete_area(acv_store *s, const char *code, acv_error *err);
/* Looks an area up by code; returns ACV_ERR_NOTFOUND when absent. Strings in out are valid until
 * the next call into the store. */
acv_status acv_store_get_area(acv_store *s, const char *code, acv_area *out, acv_error *err);
/* Calls fn for every area in code order; fn returns non-zero to stop. */
acv_status acv_store_each_area(acv_store *s, int (*fn)(void *ud, const acv_area *a), void *ud,
                               acv_error *err);

/* Database id of an indicator or data element by code, or 0 when it is not in the synced
 * framework. */
int64_t acv_store_indicator_id(acv_store *s, const char *code);

/* Imports */
/* The id of an earlier import with that content hash, or 0. */
int64_t acv_store_find_import(acv_store *s, const char *sha256);
acv_status acv_store_add_import(acv_store *s, const char *file, const char *sha256,
                                int64_t *import_id, acv_error *err);
/* Marks an import finished with its counts: observations it carried (rows), and the values it
 * added, changed (a revision kept) and removed (only a revert removes). */
acv_status acv_store_finish_import(acv_store *s, int64_t import_id, long rows, long added,
                                   long changed, long removed, acv_error *err);

/* A finished import as `acvtrack imports` lists it. Strings valid during the callback only. */
typedef struct {
    int64_t id;
    const char *file; /* as named at import time; a revert's is "revert of import N" */
    const char *imported_at;
    long rows, added, changed, removed;
    int64_t reverts;     /* a revert: the import it took back; else 0 */
    int64_t reverted_by; /* the latest revert of this import still in effect, or 0 */
} acv_import_record;

/* Every finished import, oldest first; fn returns non-zero to stop. */
acv_status acv_store_each_import(acv_store *s, int (*fn)(void *ud, const acv_import_record *r),
                                 void *ud, acv_error *err);
/* One finished import; ACV_ERR_NOTFOUND when there is none with that id. Strings valid until the
 * next call into the store. */
acv_status acv_store_get_import(acv_store *s, int64_t id, acv_import_record *out, acv_error *err);
/* Records a revert of import `reverted` (named "revert of import N"); inside a transaction. */
acv_status acv_store_add_revert(acv_store *s, int64_t reverted, int64_t *import_id, acv_error *err);

/* A value an import touched: it wrote a version of it, or replaced (or removed) one. */
typedef struct {
    int64_t area_id, indicator_id;
    const char *area, *indicator; /* codes */
    const char *disaggregation, *period;
    int64_t current_import; /* the import that set the current value; 0: no current value */
    int64_t before;         /* the revision the import replaced: the value before it; 0: none */
    int64_t latest;         /* the key's latest revision (revision ids grow with time); 0: none */
    int64_t latest_replaced_by; /* the import that replaced the latest revision */
} acv_import_key;

/* Every value import_id touched, by area, indicator, disaggregation and period; strings valid
 * during the callback only; fn returns non-zero to stop. */
acv_status acv_store_each_import_key(acv_store *s, int64_t import_id,
                                     int (*fn)(void *ud, const acv_import_key *k), void *ud,
                                     acv_error *err);
/* Takes one value back for the revert revert_id, inside its transaction: the current value (when
 * there is one) becomes a revision replaced by revert_id, then revision k->before is put back as
 * the current value (set by revert_id, with the file and line it came from), or, without one, the
 * value is removed. */
acv_status acv_store_revert_key(acv_store *s, const acv_import_key *k, int64_t revert_id,
                                acv_error *err);

typedef struct {
    int64_t area_id;
    int64_t indicator_id;
    const char *period;
    const char *disaggregation; /* "" for the total */
    double value;
    const char *source, *status, *comment; /* may be NULL */
    int64_t import_id;
    long line;
    const char *source_file; /* the file the line is in when it is not the import's own (an
                              * importer plugin reads many); NULL: the import's own file */
} acv_observation;

typedef enum { ACV_OBS_NEW, ACV_OBS_CHANGED, ACV_OBS_UNCHANGED } acv_obs_outcome;

/* Inserts an observation, or updates it when its value or provenance differs. Call inside a
 * transaction. */
acv_status acv_store_put_observation(acv_store *s, const acv_observation *o,
                                     acv_obs_outcome *outcome, acv_error *err);

/* Calls fn for each total (not disaggregated) observation of an area up to and including year,
 * ordered by indicator code and period. */
typedef int (*acv_series_fn)(void *ud, const char *indicator, const char *period, double value);
acv_status acv_store_area_observations(acv_store *s, int64_t area_id, int max_year,
                                       acv_series_fn fn, void *ud, acv_error *err);

/* The same by indicator id (the indicators table's), in the primary key's order: indicator id,
 * then period. Cheaper than acv_store_area_observations: no join and no sort. */
typedef int (*acv_series_id_fn)(void *ud, int64_t indicator_id, const char *period, double value);
acv_status acv_store_area_series(acv_store *s, int64_t area_id, int max_year, acv_series_id_fn fn,
                                 void *ud, acv_error *err);
/* Calls fn for each row of the indicators table (framework indicators, data elements and imported
 * series such as "SDG:..."), by id, with its unit text as declared or imported ("" when none). */
acv_status acv_store_each_indicator_id(acv_store *s,
                                       int (*fn)(void *ud, int64_t id, const char *code,
                                                 const char *unit),
                                       void *ud, acv_error *err);

/* 1 when the area has any observation. */
int acv_store_has_observations(acv_store *s, int64_t area_id);

/* The latest year with an observation for the area, or 0. */
int acv_store_latest_year(acv_store *s, int64_t area_id);

/* Scoring runs */
typedef struct {
    int64_t id;
    int64_t area_id;
    int year;
    const char *created_at;
    const char *engine_version;
    const char *framework_id;
    const char *framework_version;
    const char *framework_hash;
    const char *data_hash;
    const char *methods_hash;
    const char *overlay;     /* name of the city overlay, or NULL */
    int64_t vocabulary_id;   /* the progress-class vocabulary it was scored with; 0: none stored */
    const char *inputs_hash; /* SHA-256 of everything the run was computed from, or NULL */
} acv_run;

typedef struct {
    const char *level; /* indicator, action_area, pillar, overall */
    const char *code;
    int has_value;
    double value;
    const char *period; /* the period the value is from, or NULL */
    int has_score;
    double score;
    int n_scored, n_total;
    const char *note;       /* why there is no score, or NULL */
    const char *class_name; /* progress class (on_track, ...), or NULL */
    int imputed;            /* the value was carried forward or interpolated */
    int has_target_gap;
    double target_gap; /* share of the distance to the 2030 target still to go */
    int rank;          /* priorities: 1 = act first; 0 for an area with no data (class no_data) */
    int has_provisional;
    double provisional; /* groups without a score: the score on the data there is (provisional) */
    int has_core;       /* groups: the core indicators below them, and those with a score */
    int n_core_scored, n_core_total;
    int collect_rank;           /* indicators: place in the collect-first list (1 = first), or 0 */
    const char *collect_source; /* indicators in that list: the kind of their data source */
} acv_result;

/* Inserts a run (created_at is set by the store); call inside a transaction. */
acv_status acv_store_add_run(acv_store *s, acv_run *run, acv_error *err);
/* The id of the class vocabulary with this body (vocabulary.h), stored once per distinct body
 * (by its SHA-256, hash); inside a write transaction. */
acv_status acv_store_vocabulary_put(acv_store *s, const char *hash, const char *body, int64_t *id,
                                    acv_error *err);
/* The body of a stored vocabulary in a malloc'd string (*body); ACV_ERR_NOTFOUND when absent. */
acv_status acv_store_vocabulary_get(acv_store *s, int64_t id, char **body, acv_error *err);
acv_status acv_store_add_result(acv_store *s, int64_t run_id, const acv_result *r, acv_error *err);
/* The same for n rows, in fewer statements. */
acv_status acv_store_add_results(acv_store *s, int64_t run_id, const acv_result *rows, size_t n,
                                 acv_error *err);
/* Records, in order, what the run's city overlay changed against the shared framework. */
acv_status acv_store_add_change(acv_store *s, int64_t run_id, int seq, const char *text,
                                acv_error *err);
acv_status acv_store_each_change(acv_store *s, int64_t run_id,
                                 int (*fn)(void *ud, const char *change), void *ud, acv_error *err);
/* The id and inputs hash of the area's latest run of the year: *run_id 0 when there is none, hex
 * "" when that run has no inputs hash (stored before there was one). */
acv_status acv_store_latest_inputs_hash(acv_store *s, int64_t area_id, int year, int64_t *run_id,
                                        char hex[65], acv_error *err);
/* The latest run for the area (and year, when year > 0). Strings valid until the next call. */
acv_status acv_store_latest_run(acv_store *s, int64_t area_id, int year, acv_run *out,
                                acv_error *err);
acv_status acv_store_each_result(acv_store *s, int64_t run_id,
                                 int (*fn)(void *ud, const acv_result *r), void *ud,
                                 acv_error *err);

/* Self-assessment answers */
typedef struct {
    int64_t area_id;
    int year;
    const char *question;
    int level;           /* 0-4, or -1 when unanswered */
    int effective_level; /* level after the evidence rule, or -1 */
    const char *evidence;
    const char *file;
    long line;
} acv_answer;

/* Inserts or replaces the answer to a question for an area and year; inside a transaction. */
acv_status acv_store_put_answer(acv_store *s, const acv_answer *a, acv_error *err);
acv_status acv_store_each_answer(acv_store *s, int64_t area_id, int year,
                                 int (*fn)(void *ud, const acv_answer *a), void *ud,
                                 acv_error *err);
/* The latest year (up to max_year when > 0) with answers for the area, or 0. */
int acv_store_latest_answer_year(acv_store *s, int64_t area_id, int max_year);

/* Row counts, for status messages and tests. */
long long acv_store_count(acv_store *s, const char *table);

/* ---- Observations: revisions, provenance, validation and completeness ----------------------
 * (storage_observations.c) */

/* Database id of an area by code, or 0 when there is none. */
int64_t acv_store_area_id(acv_store *s, const char *code);

/* acv_store_put_observation for bulk imports. A key that the same import wrote already is refused
 * with ACV_ERR_INPUT naming that line ("... was already given on line N"). Changing the value,
 * source, status or comment of a stored observation first copies the old version into its
 * revisions (ACV_OBS_CHANGED); identical data leaves the row, and so its provenance, as it is.
 * expect_existing (say: the previous row was not new) only picks the cheaper statement order: one
 * statement for a new key without it, one for an unchanged key with it; never the outcome. */
acv_status acv_store_put_observation_hinted(acv_store *s, const acv_observation *o,
                                            int expect_existing, acv_obs_outcome *outcome,
                                            acv_error *err);

/* A savepoint inside the current transaction, so one input line can be undone on its own. */
acv_status acv_store_savepoint(acv_store *s, acv_error *err);
acv_status acv_store_savepoint_release(acv_store *s, acv_error *err);
void acv_store_savepoint_rollback(acv_store *s);

/* Sizes this connection's page cache (MiB) for a bulk write such as an import. */
acv_status acv_store_bulk_cache(acv_store *s, int mib, acv_error *err);
/* Ends a bulk write begun with acv_store_bulk_cache (after its commit or rollback). */
void acv_store_bulk_end(acv_store *s);

/* Testing aid: caps the workspace file at max_pages pages (PRAGMA max_page_count) for this
 * connection, so a growing write fails as on a full disk. Never lowers it below the current size.
 */
acv_status acv_store_limit_pages(acv_store *s, long long max_pages, acv_error *err);

/* One stored observation, or one earlier version of it, with its provenance. Strings are valid
 * during the callback only. */
typedef struct {
    int64_t area_id;
    const char *area;           /* code */
    const char *indicator;      /* code */
    const char *disaggregation; /* "" for the total */
    const char *period;
    double value;
    const char *source, *status, *comment; /* may be NULL */
    int64_t import_id;
    const char *file; /* the file the line is in: the row's own source file, else the file of
                       * its import, as it was named */
    long line;
    const char *imported_at;
    int64_t replaced_by;     /* the import that replaced this version; 0 for the current one */
    int replaced_by_revert;  /* replaced_by is a revert (acvtrack imports revert) */
    const char *replaced_at; /* when; NULL for the current one */
    const char *unit;        /* the unit of the indicator, data element or data series */
    const char *name;        /* its name */
} acv_obs_record;

typedef int (*acv_obs_record_fn)(void *ud, const acv_obs_record *r);

typedef struct {
    int64_t area_id;        /* required */
    const char *indicator;  /* an indicator or data element code; NULL: all */
    int min_year, max_year; /* 0: open */
    int totals_only;        /* only observations without disaggregation */
} acv_obs_filter;

/* Current observations of an area, ordered by indicator code, disaggregation and period; fn
 * returns non-zero to stop. */
acv_status acv_store_each_observation(acv_store *s, const acv_obs_filter *f, acv_obs_record_fn fn,
                                      void *ud, acv_error *err);

/* Every version of the observations that match f (its indicator is required): per period and
 * disaggregation the earlier versions oldest first, then the current one. */
acv_status acv_store_observation_history(acv_store *s, const acv_obs_filter *f,
                                         acv_obs_record_fn fn, void *ud, acv_error *err);

/* What the workspace holds for an area, for `acvtrack status`. */
typedef struct {
    long long observations;
    long long revisions; /* earlier versions kept */
    long long provisional, final, estimated, imputed, no_status;
    int first_year, last_year; /* 0 when there is no observation */
    int64_t last_import_id;    /* the latest import that wrote any of the area's values, or 0 */
    char last_import_file[512];
    char last_import_at[32];
} acv_area_data_summary;

acv_status acv_store_area_data_summary(acv_store *s, int64_t area_id, acv_area_data_summary *out,
                                       acv_error *err);

#endif
