/*
 * practices.h — the best-practice registry: what worked in which city, for which action area and
 * indicators, with what evidence (docs/practices.md).
 *
 * Owns: the practice YAML format (one practice per file) and its strict loader, the import into
 * the workspace (all or nothing, every problem as "file:line:col: message"), the search, the
 * before/after values of a practice's indicators (computed from the city's observations, never
 * typed in), and the choice of peer practices for a city ("cities like mine"). It returns data:
 * the Markdown of a practice and of the report's "Practices from peer cities" is written by
 * render_markdown.c (render.h), and the report model picks the targets from a run's results
 * (report.h, acv_report_practices). Its SQL lives in storage_practices.c (declared at the end of
 * this header, because the storage module owns all SQL); its commands in cli_practices.c.
 *
 * A practice names its city by area code. The code is checked against the workspace's areas on
 * import, except for the examples shipped with the framework: `acvtrack init` loads them before a
 * user has imported, say, the demo cities, so they may wait for their area (allow_unknown_areas)
 * and connect to it as soon as it is imported, because the link is made by code when read.
 */
#ifndef ACV_PRACTICES_H
#define ACV_PRACTICES_H

#include "context.h"
#include "storage.h"
#include "util.h"

#include <stddef.h>

/* How many practices the report lists per priority or off-track indicator, and how many of the
 * top-ranked priority action areas it looks at. */
#define ACV_PRACTICES_PER_TARGET 3
#define ACV_PRACTICES_REPORT_PRIORITIES 3

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

/* ---- import ---------------------------------------------------------------------------------- */

typedef struct {
    const char *display_dir; /* how messages name the folder or file; NULL: as given */
    int allow_unknown_areas; /* keep practices whose city is not in the workspace (shipped
                                examples loaded by `acvtrack init`) */
    int dry_run;             /* check only, write nothing */
} acv_practices_import_options;

typedef struct {
    size_t files;
    size_t added, replaced, unchanged;
    size_t waiting;  /* practices whose city is not in the workspace yet */
    char **problems; /* every problem, "file:line:col: message", in file and line order */
    size_t n_problems;
} acv_practices_summary;

/*
 * Imports every `*.yml` directly under dir (in name order; hidden files are skipped), all or
 * nothing: every file is checked first and every problem collected in out->problems; only when
 * there is none are the practices written, in one transaction. A practice whose id is already in
 * the workspace is replaced (so editing a file and importing again updates it, and importing the
 * same folder twice changes nothing). Within one import an id may appear once. On problems,
 * returns ACV_ERR_INPUT with the first problem in err (and the count when there are more).
 * A folder without practice files imports nothing (out->files is 0). Needs ctx->store and ctx->fw.
 * out is always initialised; free it with acv_practices_summary_free.
 */
acv_status acv_practices_import_dir(acv_ctx *ctx, const char *dir,
                                    const acv_practices_import_options *opt,
                                    acv_practices_summary *out, acv_error *err);

/* The same for one file (`acvtrack practices add FILE.yml`). */
acv_status acv_practices_import_file(acv_ctx *ctx, const char *path,
                                     const acv_practices_import_options *opt,
                                     acv_practices_summary *out, acv_error *err);

void acv_practices_summary_free(acv_practices_summary *s);

/* ---- search ---------------------------------------------------------------------------------- */

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

typedef struct {
    acv_arena arena;
    acv_practice_hit *hits;
    size_t n;
} acv_practice_hits;

/*
 * Full-text search over title, summary, what_was_done and tags (SQLite FTS5), narrowed by the
 * query's filters. A practice needs one of the words; those with more of the words come first,
 * then documented cases before illustrative examples, then by bm25 with the column weights of
 * docs/practices.md, then by id. A word ending in '*' matches as a prefix. Without words,
 * practices come in id order. An unknown pillar, action area or indicator in a filter is an
 * ACV_ERR_INPUT error. Needs ctx->store and ctx->fw.
 */
acv_status acv_practices_search(acv_ctx *ctx, const acv_practice_query *q, acv_practice_hits *out,
                                acv_error *err);
void acv_practice_hits_free(acv_practice_hits *h);

/* ---- one practice, with its before/after values ---------------------------------------------- */

typedef struct {
    const char *indicator;
    int has_before;
    const char *before_period;
    double before_value;
    int has_after;
    const char *after_period;
    double after_value;
} acv_practice_change;

typedef struct acv_practice_detail {
    acv_arena arena;
    acv_practice practice;
    const char *city_name; /* NULL when the area is not in the workspace */
    const char *country;
    int has_population;
    double population;
    int population_year;
    acv_practice_change *changes; /* one per linked indicator, in the practice's order */
    size_t n_changes;
} acv_practice_detail;

/*
 * Reads a practice and computes, for each linked indicator, from the city's own total (not
 * disaggregated) observations in the workspace: "before", the latest observation in a year before
 * the practice's first year, and "after", the latest observation in a year after it. The first
 * year itself is neither: the practice was under way. ACV_ERR_NOTFOUND for an unknown id.
 */
acv_status acv_practices_get(acv_ctx *ctx, const char *id, acv_practice_detail **out,
                             acv_error *err);
void acv_practice_detail_free(acv_practice_detail *d);

/* ---- "cities like mine": the report section ----------------------------------------------------
 */

typedef struct {
    const char *kind; /* "action_area" or "indicator" */
    const char *code;
    const char *why; /* "priority 1", "↓ Moving away from the target" (acv_report_practices), or
                        NULL */
    acv_practice_hit *practices; /* best first, at most per_target */
    size_t n_practices;
} acv_practice_target;

typedef struct acv_practice_suggestions acv_practice_suggestions;
struct acv_practice_suggestions {
    acv_arena arena;
    const char *area_code;
    acv_practice_target *targets; /* action areas first, then indicators, in the order given */
    size_t n_targets;
};

/*
 * For a city, the practices of OTHER cities linked to each of the given action areas and
 * indicators, at most per_target each (0: ACV_PRACTICES_PER_TARGET), ranked (docs/practices.md):
 * documented cases before illustrative examples; then cities in the same country as this one;
 * then the smallest population ratio either way (|ln(pop / my pop)|; a city without a population
 * figure, or this city without one, comes after those with one); then the most recent first
 * year; then id. Needs ctx->store; the city must be a known area.
 */
acv_status acv_practices_for_report(acv_ctx *ctx, const char *area_code,
                                    const char *const *action_area_ids, size_t n_action_areas,
                                    const char *const *indicator_ids, size_t n_indicators,
                                    size_t per_target, acv_practice_suggestions **out,
                                    acv_error *err);

void acv_practice_suggestions_free(acv_practice_suggestions *s);

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
