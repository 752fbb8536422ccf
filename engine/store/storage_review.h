/*
 * storage_review.h — the SQL of dataset review (exchange/review.h): the decisions taken on each
 * (area, year) dataset, oldest first, with their comments per value or per dataset, and what the
 * submissions listing reads (the expected areas of a selection with the state of their dataset).
 * The state of a dataset is the state its latest decision moved it to; a dataset without a
 * decision is a draft. The rules of which decision may follow which are review.h's; this module
 * only stores and reads.
 */
#ifndef ACV_STORAGE_REVIEW_H
#define ACV_STORAGE_REVIEW_H

#include "storage.h"

/* One decision on a dataset. Strings are valid during the callback (or until the next call into
 * the store for the getters). */
typedef struct {
    int64_t id;
    const char *area; /* code */
    int year;
    const char *from_state; /* "draft" for the first decision */
    const char *to_state;   /* submitted, accepted or returned */
    const char *who;        /* the user name that took it (review.h says where it comes from) */
    const char *key_id;     /* the signing key of the workspace that took it, or NULL */
    const char *at;         /* UTC, YYYY-MM-DDTHH:MM:SSZ */
    const char *comment;    /* on the dataset, or NULL */
    const char *origin;     /* what recorded it: "review", "submission ...", "return file ..." */
    int64_t last_import;    /* the latest import when it was recorded (0: none); set by the store */
} acv_review_decision;

/* A comment of a decision on one value (indicator and, when given, period) or, with indicator
 * NULL, on the dataset. */
typedef struct {
    const char *indicator; /* an indicator, data element or series code; NULL: the dataset */
    const char *period;    /* NULL: every period of the year */
    const char *comment;
} acv_review_comment;

/* Records a decision (at NULL: now) and its comments, inside the caller's transaction;
 * *id receives its id when id is not NULL. */
acv_status acv_store_add_decision(acv_store *s, int64_t area_id, int year,
                                  const acv_review_decision *d, const acv_review_comment *comments,
                                  size_t n_comments, int64_t *id, acv_error *err);

/* The latest decision on the dataset into *out; ACV_ERR_NOTFOUND when there is none (a draft). */
acv_status acv_store_latest_decision(acv_store *s, int64_t area_id, int year,
                                     acv_review_decision *out, acv_error *err);

/* Every decision on the dataset, oldest first (area_id 0: every area; year 0: every year). */
acv_status acv_store_each_decision(acv_store *s, int64_t area_id, int year,
                                   int (*fn)(void *ud, const acv_review_decision *d), void *ud,
                                   acv_error *err);

/* The comments of a decision in the order they were given. */
acv_status acv_store_each_decision_comment(acv_store *s, int64_t decision_id,
                                           int (*fn)(void *ud, const acv_review_comment *c),
                                           void *ud, acv_error *err);

/* Every dataset whose latest decision moved it to `state` (NULL: any), by area code then year,
 * with that decision; year 0: every year. */
acv_status acv_store_each_dataset(acv_store *s, const char *state, int year,
                                  int (*fn)(void *ud, const acv_review_decision *latest), void *ud,
                                  acv_error *err);

/* 1 when the received package received_id (storage_exchange.h) carried at least one dataset and
 * every one of them is accepted now (its latest decision); else 0 (also on a database error). */
int acv_store_received_accepted(acv_store *s, int64_t received_id);

/* The latest year of any decision, or 0 when there is none. */
int acv_store_review_latest_year(acv_store *s);

/* One row of the submissions listing: an expected area and its dataset of the year. */
typedef struct {
    const char *area, *name, *country;
    const char *state;       /* NULL: no decision (nothing received) */
    const char *received_at; /* the first decision to "submitted" of the year, or NULL */
    const char *decided_at;  /* the latest decision, or NULL */
    const char *decided_by;  /* its who, or NULL */
    int has_score;           /* the area's latest stored run of the year has an overall score */
    double score;            /* ... computed with this workspace's framework */
    const char *run_overlay; /* that run's overlay name, or NULL */
    int has_own_run;         /* a received package carried the area's own run of the year */
    int has_own_score;       /* ... with an overall score */
    double own_score;        /* the sender's score, with its own framework and overlay */
    const char *own_overlay; /* that run's overlay, or NULL */
} acv_submission_row;

/* The sub-national areas (every level but region and country) of `country` (NULL: every
 * country) in code order, each with the state of its dataset of `year`, its latest stored
 * run's overall score of that year, and the overall score of the area's own latest run of the
 * year that a received package carried (submission_runs, the latest package first); one query. fn
 * returns non-zero to stop. */
acv_status acv_store_each_submission_row(acv_store *s, const char *country, int year,
                                         int (*fn)(void *ud, const acv_submission_row *r), void *ud,
                                         acv_error *err);

#endif
