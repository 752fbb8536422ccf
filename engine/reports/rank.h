/*
 * rank.h — rankings of areas from their stored runs (`acvtrack rank`).
 *
 * A ranking never scores: it reads, for each area of a selection, the official score the area's
 * latest run of a year stored at one level (overall, a pillar, an action area), ranks the areas
 * that have one, and lists the others apart with the reason: an area without an official score is
 * never ranked as zero. Ranks are standard competition ranks ("1, 2, 2, 4"): areas whose scores
 * are equal share the best rank of their group and the next rank skips as many places. The order
 * is score descending, then area code, so it is the same on every run. The change of rank is
 * against the same ranking of the year before (docs/reports.md).
 */
#ifndef ACV_RANK_H
#define ACV_RANK_H

#include "context.h"
#include "progress.h"
#include "storage_rank.h"

typedef struct {
    const char *code; /* the area */
    const char *name;
    int has_score; /* ranked when set */
    double score;
    int rank;           /* 1 = best; ranked areas only */
    int tied;           /* another ranked area has the same rank */
    int previous_rank;  /* the rank the year before, or 0 ("new": not ranked then) */
    const char *reason; /* not ranked: why */
} acv_rank_entry;

typedef struct {
    acv_rank_selection selection;
    const char *level;      /* "overall", "pillar" or "action_area" */
    const char *code;       /* the pillar or action area; NULL for overall */
    int year;               /* 0: the latest year with a stored run in the selection */
    acv_progress *progress; /* NULL, or the caller's progress line: "ranking", the selection's
                             * areas read of their number (progress.h) */
} acv_rank_request;

typedef struct {
    acv_rank_selection selection;
    const char *level;
    const char *code; /* "ACV" for overall */
    const char *what; /* "overall score", "pillar PS (Political-Security)", ... */
    int year;
    int previous_year;
    acv_rank_entry *ranked; /* by rank, then area code */
    size_t n_ranked;
    acv_rank_entry *unranked; /* in area code order */
    size_t n_unranked;
    acv_arena arena;
} acv_rank_model;

/* ACV_RANK_XLSX_CSV: the CSV a spreadsheet opens as it is (docs/reports.md, "CSV for Excel"):
 * the same columns and records as ACV_RANK_CSV (RFC 4180, comma, CRLF, text defused, numbers
 * unquoted with a '.' decimal and up to 15 significant digits, which is what Excel holds), after
 * a UTF-8 byte order mark so that Excel reads the names as UTF-8 rather than the local code page,
 * with no "sep=" line (an Excel-only hint other readers take as data), and the tie flag written
 * TRUE/FALSE as Excel writes booleans. */
typedef enum { ACV_RANK_TABLE, ACV_RANK_CSV, ACV_RANK_JSON, ACV_RANK_XLSX_CSV } acv_rank_format;

/* Loads the ranking asked for (ACV_ERR_INPUT for an unknown pillar or action area or a parent
 * that is not an area; ACV_ERR_NOTFOUND when no area of the selection has a run). */
acv_status acv_rank_load(acv_ctx *ctx, const acv_rank_request *req, acv_rank_model **out,
                         acv_error *err);
void acv_rank_free(acv_rank_model *m);

/* Orders entries that all have a score (score descending, then code) and gives each its
 * competition rank and tie flag; exposed for tests. */
void acv_rank_assign(acv_rank_entry *e, size_t n);

/* Appends the text table of the areas without an official score (nothing when there is none);
 * the ranking's and the uncertainty analysis's tables end with it. */
void acv_rank_render_unranked(const acv_rank_model *m, acv_buf *out);

/* Appends the ranking as a text table, CSV (through csvwrite.h) or JSON. */
void acv_rank_render(const acv_rank_model *m, acv_rank_format format, acv_buf *out);

#endif
