/*
 * storage_compare.h — what a comparison of many areas reads from the workspace (compare.h,
 * acv_compare_many_load): for each area asked for, its latest run (of a year) with the run's stamp,
 * and the scores that run stored at the overall, pillar and action-area levels; one area at a time,
 * so that memory does not grow with the number of areas. The SQL is storage_compare.c.
 */
#ifndef ACV_STORAGE_COMPARE_H
#define ACV_STORAGE_COMPARE_H

#include "storage.h"

typedef struct {
    const char *level; /* "overall", "pillar" or "action_area" */
    const char *code;  /* "ACV" for overall, else the pillar's or action area's id */
    int has_score;     /* the run stored an official score there */
    double score;
} acv_compare_stored_score;

typedef struct {
    const char *code; /* as asked for */
    int exists;       /* the area is in the workspace; nothing below is set otherwise */
    const char *name, *country;
    int has_population;
    double population;
    int has_run; /* it has a run (of the year when one was asked for); nothing below otherwise */
    int64_t run_id;
    int year;
    const char *created_at, *engine_version, *framework_hash, *data_hash, *methods_hash, *overlay;
    const acv_compare_stored_score *scores; /* in level, code order */
    size_t n_scores;
} acv_compare_stored;

/* Calls fn once for each of the n codes, in the order given, with the area's latest run (of year
 * when year > 0; the latest is the highest run id, as acv_store_latest_run) and its scores. fn
 * returns non-zero to stop. Everything handed to fn is valid during the call only. */
acv_status acv_store_compare_each(acv_store *s, const char *const *codes, size_t n, int year,
                                  int (*fn)(void *ud, const acv_compare_stored *a), void *ud,
                                  acv_error *err);

#endif
