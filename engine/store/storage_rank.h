/*
 * storage_rank.h — what a ranking reads from the workspace: for each area of a selection, the
 * score its latest run of a year stored at one level (overall, a pillar or an action area), or
 * why there is none. The ranking itself is reports/rank.h; the SQL is storage_rank.c.
 */
#ifndef ACV_STORAGE_RANK_H
#define ACV_STORAGE_RANK_H

#include "storage.h"

/* Which areas are ranked: the sub-national areas of a country, the direct children of an area,
 * or (both NULL) every sub-national area. Countries and regions are never among "sub-national". */
typedef struct {
    const char *country;
    const char *parent;
} acv_rank_selection;

typedef struct {
    const char *code; /* the area */
    const char *name;
    int has_run;   /* the area has a stored run for the year */
    int has_score; /* that run stored an official score at the level asked for */
    double score;
    const char *note; /* why there is no score (from the run), or NULL */
} acv_rank_stored;

/* Calls fn for every area of the selection in code order with the latest run's result of `year`
 * at level/code (level "overall" with code "ACV", "pillar" or "action_area"); one query. fn
 * returns non-zero to stop. Strings are valid during the call only. */
acv_status acv_store_rank_scores(acv_store *s, const acv_rank_selection *sel, int year,
                                 const char *level, const char *code,
                                 int (*fn)(void *ud, const acv_rank_stored *r), void *ud,
                                 acv_error *err);

/* How many areas the selection holds (for a progress line). */
acv_status acv_store_rank_count(acv_store *s, const acv_rank_selection *sel, size_t *n,
                                acv_error *err);

/* The latest year with a stored run among the selection's areas, or 0 when there is none. */
acv_status acv_store_rank_latest_year(acv_store *s, const acv_rank_selection *sel, int *year,
                                      acv_error *err);

/* One indicator result of an area's latest run of a year (the uncertainty analysis of a ranking
 * scores the area again from these). */
typedef struct {
    const char *area;      /* the area's code */
    const char *indicator; /* the indicator's code */
    int has_value;
    double value;
    int has_score;
    double score; /* the run's 0-100 score */
} acv_rank_indicator_row;

/* Calls fn for every indicator result of the latest run of `year` of every area of the
 * selection, by area code; one query. fn returns non-zero to stop. Strings are valid during the
 * call only. */
acv_status acv_store_rank_indicators(acv_store *s, const acv_rank_selection *sel, int year,
                                     int (*fn)(void *ud, const acv_rank_indicator_row *r), void *ud,
                                     acv_error *err);

#endif
