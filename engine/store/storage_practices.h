/*
 * storage_practices.h — the practice records the storage module reads and writes, and the SQL
 * functions of the practice registry (storage_practices.c). The registry itself (YAML loader,
 * search ranking, peer suggestions) is practices.h; it sits above the storage and includes this.
 */
#ifndef ACV_STORAGE_PRACTICES_H
#define ACV_STORAGE_PRACTICES_H

#include "storage.h"
#include "util.h"

/* One practice as authored. Strings belong to whoever loaded it (an arena). */
typedef struct {
    const char *id;
    const char *title;
    const char *city; /* area code */
    int year_from;
    int year_to; /* 0: ongoing */
    const char *pillar;
    const char **action_areas;
    size_t n_action_areas;
    const char **indicators; /* the indicators it aims to move */
    size_t n_indicators;
    const char *summary;
    const char *what_was_done;
    const char *cost;    /* NULL when not known */
    const char *funding; /* NULL when not known */
    const char **partners;
    size_t n_partners;
    const char **contacts;
    size_t n_contacts;
    const char **evidence; /* links or references */
    size_t n_evidence;
    const char **tags;
    size_t n_tags;
    int illustrative; /* an invented example, not a verified case */
    const char *file; /* display name of the file it came from */
    int line;
    const char *sha256; /* of the file name and content: an unchanged file is not rewritten */
} acv_practice;

typedef struct {
    const char *words;       /* free text; NULL or blank: every practice, by id */
    const char *pillar;      /* NULL: any */
    const char *action_area; /* practices linked to this action area */
    const char *indicator;   /* practices linked to this indicator */
    const char *country;     /* practices of cities in this country (area country code) */
    const char *city;        /* practices of this area */
    int year;                /* practices under way in this year; 0: any */
    int limit;               /* 0: no limit */
} acv_practice_query;

/* A practice as a search result or a report suggestion. */
typedef struct {
    const char *id;
    const char *title;
    const char *city;
    const char *city_name; /* NULL when the area is not in the workspace */
    const char *country;   /* NULL when unknown */
    int has_population;
    double population;
    const char *pillar;
    const char *summary;
    int year_from, year_to;
    int illustrative;
    double rank; /* search with words: bm25, lower is better; otherwise 0 */
} acv_practice_hit;

/* ---- storage (SQL in storage_practices.c) ---------------------------------------------------- */

/* Creates the practice tables and the FTS5 index when missing (CREATE ... IF NOT EXISTS): called
 * by every write before anything else, inside its transaction. */
acv_status acv_store_practices_ensure(acv_store *s, acv_error *err);
/* 1 when the practice tables exist; readers check instead of creating them. */
int acv_store_practices_exist(acv_store *s);
/* Number of practices (0 without the tables). */
long long acv_store_practices_count(acv_store *s);
/* The stored hash of a practice, copied into hash; *found 0 when the id is not stored. */
acv_status acv_store_practice_hash(acv_store *s, const char *id, char hash[65], int *found,
                                   acv_error *err);
/* Inserts or replaces a practice with its links and full-text row; inside a transaction. */
acv_status acv_store_practice_put(acv_store *s, const acv_practice *p, acv_error *err);
/* Reads a practice into out, its strings in arena; ACV_ERR_NOTFOUND when absent. */
acv_status acv_store_practice_get(acv_store *s, const char *id, acv_arena *arena, acv_practice *out,
                                  acv_error *err);

typedef int (*acv_practice_hit_fn)(void *ud, const acv_practice_hit *h);
/* Calls fn for each match (strings valid during the call); match is an FTS5 expression, or NULL
 * to list by id. fn returns non-zero to stop. */
acv_status acv_store_practices_search(acv_store *s, const acv_practice_query *q, const char *match,
                                      acv_practice_hit_fn fn, void *ud, acv_error *err);
/* Calls fn for each practice linked to (kind, value) whose city is not exclude_city. */
acv_status acv_store_practices_linked(acv_store *s, const char *kind, const char *value,
                                      const char *exclude_city, acv_practice_hit_fn fn, void *ud,
                                      acv_error *err);
/* The latest total observation of an indicator for an area in a year before (after = 0) or
 * after (after = 1) year; *found 0 when there is none. period is copied into a caller buffer. */
acv_status acv_store_practice_observation(acv_store *s, const char *area_code,
                                          const char *indicator, int year, int after, int *found,
                                          char *period, size_t period_size, double *value,
                                          acv_error *err);

#endif
