/*
 * review.h — the review of (area, year) datasets on their way from a city to its ministry and on
 * to the ASEAN secretariat (docs/submissions.md, "Review").
 *
 * Owns: the states of a dataset and which decision may follow which (the state machine below),
 * recording decisions with who took them and when, the texts `acvtrack review` prints, the
 * signed return file that takes a returned dataset back to the city (review_return.c), the
 * reporting calendar (review_calendar.c) and the submissions listing (review_listing.c). The SQL
 * is store/storage_review.h; signatures are keys.h's.
 *
 * States: a dataset with no decision is a draft. Receiving a submission that covers it moves it
 * to submitted (from any state: a corrected dataset after a return, or new data for an accepted
 * one, is reviewed again; a second submission while one waits is recorded too). A submitted
 * dataset is accepted or returned; nothing else is: a draft has nothing to decide on, an
 * accepted one is reopened only by a new submission, a returned one waits for a corrected
 * submission.
 */
#ifndef ACV_REVIEW_H
#define ACV_REVIEW_H

#include "context.h"
#include "storage_exchange.h"
#include "storage_review.h"

typedef enum {
    ACV_DS_DRAFT,
    ACV_DS_SUBMITTED,
    ACV_DS_ACCEPTED,
    ACV_DS_RETURNED,
} acv_ds_state;

/* "draft", "submitted", "accepted", "returned". */
const char *acv_ds_state_name(acv_ds_state s);
/* 1 and *out set when name is one of those. */
int acv_ds_state_parse(const char *name, acv_ds_state *out);

/* 1 when a dataset in state `from` may move to `to`; else 0 with the reason in why ("it is a
 * draft: nothing was submitted to accept", ...). */
int acv_review_transition(acv_ds_state from, acv_ds_state to, char *why, size_t size);

/* Who takes a decision: the user name from $ACVTRACK_USER, else $USER, else $LOGNAME, else the
 * account's name, else "uid N" (written into out, at most size bytes). */
void acv_review_who(char *out, size_t size);

/* The current state of a dataset and, unless a draft, its latest decision (strings valid until
 * the next call into the store). ACV_ERR_NOTFOUND when the area is unknown. */
acv_status acv_review_state(acv_ctx *ctx, const char *area, int year, acv_ds_state *state,
                            acv_review_decision *latest, acv_error *err);

typedef struct {
    const char *area;
    int year;
    acv_ds_state to;                  /* ACV_DS_ACCEPTED or ACV_DS_RETURNED */
    const char *comment;              /* on the dataset; required to return */
    const acv_review_comment *values; /* comments per value (indicator, optional period) */
    size_t n_values;
    const char *who;    /* NULL: acv_review_who() */
    const char *key_id; /* the workspace's signing key id, or NULL */
} acv_review_request;

/* Records an accept or return decision in one transaction. Refused, writing nothing, with
 * ACV_ERR_NOTFOUND for an unknown area and ACV_ERR_INPUT for a decision the state does not allow
 * ("AREA YEAR is accepted (by WHO at WHEN): ..."), a return without a comment, an empty
 * comment, an indicator the workspace does not know or a period that is not one of the year.
 * *id: the decision's id (may be NULL). */
acv_status acv_review_decide(acv_ctx *ctx, const acv_review_request *req, int64_t *id,
                             acv_error *err);

/* Moves a dataset to submitted for the receive of a submission (origin names it), inside the
 * caller's transaction. Nothing is recorded when the latest decision already has this origin
 * (the same submission received again). */
acv_status acv_review_mark_submitted(acv_store *s, int64_t area_id, int year, const char *origin,
                                     const char *who, const char *key_id, acv_error *err);

/* The forwarding filter of the review workflow (submission.h's acv_forward_filter; ud is the
 * acv_store): keeps a received package when every dataset it carried is accepted here. */
int acv_review_accepted_only(void *ud, const acv_received *r);

/* `acvtrack review`: the datasets waiting for a decision (submitted), one line each with when
 * they came and from what, and a count line. */
acv_status acv_review_pending_text(acv_ctx *ctx, int year, acv_buf *out, acv_error *err);

/* `acvtrack review history AREA [YEAR]`: every decision on the area's datasets, oldest first,
 * with its comments. */
acv_status acv_review_history_text(acv_ctx *ctx, const char *area, int year, acv_buf *out,
                                   acv_error *err);

/* What `acvtrack status` adds for an area: each dataset of the area (year 0: every year) whose
 * state is not draft, and for a returned one the comments of the return with, per value, whether
 * it was changed since. Appends nothing when every dataset is a draft. */
acv_status acv_review_status_text(acv_ctx *ctx, const char *area, int year, acv_buf *out,
                                  acv_error *err);

/* ---- the return file (review_return.c) ----------------------------------------------------
 * A returned dataset travels back to the city as a small text file signed with the reviewing
 * workspace's key (keys.h): YAML whose strings are JSON-escaped, ending in the line
 * `signature: "HEX"`, the Ed25519 signature of every byte before that line. It names the area,
 * the year, who returned it and when, the key's id and public key, and the comments. The city's
 * workspace imports it when the signature holds and it trusts the key for the area (or an area
 * above it): `acvtrack keys trust MINISTRY.pub --areas CITY`. */
#define ACV_RETURN_MAX_BYTES (1 << 20)
#define ACV_REVIEW_KEY_ID_SIZE 17

/* Writes the latest decision on the dataset, which must be a return, as a signed return file at
 * path (atomically). ACV_ERR_INPUT when the dataset is not returned; keys.h's errors when the
 * workspace has no usable signing key. */
acv_status acv_review_return_write(acv_ctx *ctx, const char *area, int year, const char *path,
                                   acv_error *err);

typedef struct {
    char area[128];
    int year;
    size_t n_comments; /* on the dataset and on values */
    int already;       /* the same return was imported before: nothing changed */
} acv_review_import;

/* Imports a return file at the city, in one transaction: refused, writing nothing, when it is
 * not a return file, larger than ACV_RETURN_MAX_BYTES, changed since it was signed, signed by a
 * key this workspace does not trust for the area, or names an area or indicator the workspace
 * does not know. The decision is recorded as the reviewer took it (who, when, key, comments),
 * from the dataset's state here. */
acv_status acv_review_return_import(acv_ctx *ctx, const char *path, acv_review_import *out,
                                    acv_error *err);

/* The id of the workspace's own signing key (DB.pub) into out; 0 when it has none. */
int acv_review_workspace_key(acv_ctx *ctx, char out[ACV_REVIEW_KEY_ID_SIZE]);
/* ACV_OK when the workspace's secret key loads (a return file can be signed). */
acv_status acv_review_can_sign(acv_ctx *ctx, acv_error *err);

/* ---- the reporting calendar (review_calendar.c) ------------------------------------------
 * YAML, strict (docs/submissions.md):
 *   calendar: 1
 *   countries:
 *     DEMO:
 *       due: "03-31"        # the data of year Y are due on 31 March of Y + years_after
 *       years_after: 1      # optional, 0-5, default 1
 *       deadlines:          # optional: a date for a year, which the rule does not decide then
 *         2024: "2025-06-30"
 * The shipped example is indicators/calendar/reporting-calendar.yml. */
typedef struct acv_calendar acv_calendar;

/* Loads a calendar; the first problem as "FILE:LINE:COL: message" (ACV_ERR_INPUT). */
acv_status acv_calendar_load(const char *path, const char *display, acv_calendar **out,
                             acv_error *err);
void acv_calendar_free(acv_calendar *c);
/* The deadline of country's data of year as YYYY-MM-DD into out; 0 when the calendar (may be
 * NULL) has none for that country and year. */
int acv_calendar_deadline(const acv_calendar *c, const char *country, int year, char out[11]);
/* 1 when s is a date YYYY-MM-DD that exists (1900-2100). */
int acv_calendar_date_valid(const char *s);

/* ---- the submissions listing (review_listing.c) ------------------------------------------- */

typedef struct {
    const char *country;          /* NULL: every country */
    int year;                     /* required */
    const char *as_of;            /* YYYY-MM-DD that decides what is overdue; NULL: today (UTC) */
    const acv_calendar *calendar; /* NULL: no deadlines */
} acv_submissions_request;

/* Timeliness of an area's dataset against its country's deadline. */
typedef enum {
    ACV_TIME_NO_DEADLINE, /* the calendar has no deadline for the country and year */
    ACV_TIME_ON_TIME,     /* first received on or before the deadline */
    ACV_TIME_LATE,        /* first received after the deadline */
    ACV_TIME_NOT_DUE,     /* nothing received, the deadline is not past */
    ACV_TIME_OVERDUE,     /* nothing received and the deadline is past */
} acv_timeliness;

/* "no deadline", "on time", "late", "not due yet", "overdue". */
const char *acv_timeliness_name(acv_timeliness t);

typedef struct {
    const char *area, *name, *country;
    const char *state;       /* missing (nothing received), submitted, returned, accepted */
    const char *received_at; /* first submission of the year, or NULL */
    const char *decided_at, *decided_by; /* the latest decision, or NULL */
    char deadline[11];                   /* "" when none */
    acv_timeliness timeliness;
    int has_score; /* this workspace's latest run of the year, with its own framework */
    double score;
    const char *score_overlay; /* that run's overlay, or NULL (the shared framework) */
    int has_own_run;           /* the area's own run of the year came in a package */
    int has_own_score;         /* its overall score, computed by the sender with its framework */
    double own_score;          /* and overlay (the city's own score, shown beside, labelled) */
    const char *own_overlay;   /* that run's overlay, or NULL */
} acv_submission_entry;

typedef struct {
    acv_submissions_request req;
    char as_of[11];
    acv_submission_entry *entries; /* expected areas in code order */
    size_t n, cap;
    size_t n_missing, n_submitted, n_returned, n_accepted, n_late, n_overdue;
    acv_arena arena;
} acv_submissions_model;

typedef enum {
    ACV_SUBMISSIONS_TABLE,
    ACV_SUBMISSIONS_CSV,
    ACV_SUBMISSIONS_HTML
} acv_submissions_format;

/* Loads the listing (ACV_ERR_INPUT for a bad as_of; ACV_ERR_NOTFOUND when no area of the
 * country is in the workspace). */
acv_status acv_submissions_load(acv_ctx *ctx, const acv_submissions_request *req,
                                acv_submissions_model **out, acv_error *err);
void acv_submissions_free(acv_submissions_model *m);
/* Appends the listing as a text table, CSV (csvwrite.h) or a self-contained HTML page. */
void acv_submissions_render(const acv_submissions_model *m, acv_submissions_format f, acv_buf *out);

#endif
