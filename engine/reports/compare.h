/*
 * compare.h — several areas side by side, and population-weighted country aggregates.
 *
 * A comparison never computes a score either: it loads each area's stored run (the latest, or
 * the latest for --year) as a report model (report.h) and puts them next to each other on what
 * they have in common, the core indicators every compared area applies, so that a city's own
 * adaptation never makes it look better or worse than another. The only arithmetic is the
 * country aggregate, a weighted mean of city scores with population weights (docs/reports.md).
 */
#ifndef ACV_COMPARE_H
#define ACV_COMPARE_H

#include "progress.h"
#include "report.h"

/* A population-weighted mean: sum(population × score) / sum(population) over the members that
 * have both a score and a population. */
typedef struct {
    int has;           /* at least one member counted */
    double value;      /* the weighted mean */
    int n;             /* members counted */
    double population; /* the sum of their populations (the denominator) */
} acv_weighted_mean;

typedef struct {
    acv_report_model *m; /* owned */
    /* per framework indicator, from the run's own list of overlay changes (not from the overlay
     * loaded now, which may be another city's) */
    unsigned char *adapted;        /* the city's overlay changed its bounds, targets, scoring or
                                      weight: its score is not comparable */
    unsigned char *not_applicable; /* the city's overlay marked it not applicable */
} acv_compare_area;

typedef struct {
    const char *country;
    const char **members; /* codes of the areas counted: those with a population */
    size_t n_members;
    const char **excluded; /* codes of the areas without a population: never counted */
    size_t n_excluded;
    double population; /* sum over the members */
    acv_weighted_mean overall;
    acv_weighted_mean *pillars;    /* n_pillars */
    acv_weighted_mean *indicators; /* n_indicators; filled for the common indicators only, and
                                      only from scores no overlay adapted */
} acv_compare_country;

typedef struct acv_compare_model {
    const acv_framework *fw;
    int year; /* the --year asked for, or 0: each area's latest run */
    acv_compare_area *areas;
    size_t n_areas;
    /* per framework indicator: core, not local, and applicable in every compared area */
    unsigned char *common;
    size_t n_common;
    size_t n_common_with_data; /* common indicators at least one compared area has a value for */
    acv_compare_country *countries; /* in order of first appearance */
    size_t n_countries;
    const char **skipped; /* "CODE: why" for areas of a country that have no run to compare */
    size_t n_skipped;
    acv_arena arena;
} acv_compare_model;

/*
 * Loads the areas named by spec, a comma-separated list of area codes and `country:CC` items
 * (every sub-national area of country CC that has a scoring run; those without one are listed
 * in skipped). A named area without a run is an error. Duplicates are dropped, order is kept.
 */
acv_status acv_compare_load(acv_ctx *ctx, const char *spec, int year, acv_compare_model **out,
                            acv_error *err);
/* The same with a progress line (progress.h; NULL: none): "loading areas", areas loaded of the
 * areas asked for, finished when every area is loaded, cleared on a failure. */
acv_status acv_compare_load_progress(acv_ctx *ctx, const char *spec, int year,
                                     acv_progress *progress, acv_compare_model **out,
                                     acv_error *err);

/* Builds the comparison of already-loaded models (taking ownership of them, also on failure);
 * what acv_compare_load does after loading, exposed so tests can compare made-up models. */
acv_status acv_compare_build(const acv_framework *fw, acv_report_model **models, size_t n, int year,
                             acv_compare_model **out, acv_error *err);

void acv_compare_free(acv_compare_model *c);

/* Whether at least one compared area has a value for framework indicator i: the renderers show
 * only such common indicators, and n_common_with_data counts them. */
int acv_compare_has_data(const acv_compare_model *c, size_t i);

/* The compared areas' names as a phrase ("A, B and C"), each through the format's escaper. */
void acv_compare_names(const acv_compare_model *c, acv_buf *b, acv_buf_escaper esc);

/* ---- comparisons of many areas (compare_many.c) -------------------------------------------
 *
 * Up to ACV_COMPARE_SIDE_BY_SIDE_MAX areas asked for are put side by side (the model above);
 * more are shown as distributions: for the overall score, each pillar and each action area, the
 * quantiles and a histogram of all areas' scores, the top and bottom N, the population-weighted
 * figure and a ranking, with a few highlighted areas. That model holds a few numbers per area and
 * level, never an area's full report: it is read one area at a time from the store
 * (storage_compare.h), so its memory grows by about a hundred bytes per area and level. */
#define ACV_COMPARE_SIDE_BY_SIDE_MAX 12
#define ACV_COMPARE_HIGHLIGHT_MAX 8 /* one colour each */
#define ACV_COMPARE_TOP_DEFAULT 10
#define ACV_COMPARE_TOP_MAX 1000
#define ACV_COMPARE_BINS 20 /* histogram bins of 5 points: [0,5), [5,10), ..., [95,100] */

/* The scores of all compared areas at one level. Quantiles interpolate linearly between the
 * order statistics (Hyndman and Fan's type 7, the default of R, NumPy and Excel's QUARTILE.INC;
 * acv_quantile_sorted in montecarlo.h):
 * for sorted x[0..n-1], Q(p) = x[j] + (h - j)(x[j+1] - x[j]) with h = (n - 1)p, j = floor(h). */
typedef struct {
    const char *level; /* "overall", "pillar" or "action_area" */
    const char *code;  /* "ACV" for overall */
    const char *name;  /* "Overall", the pillar's or action area's name */
    size_t n_scored;   /* areas with an official score here; the figures below need one */
    double min, q1, median, q3, max;
    acv_weighted_mean weighted; /* over the scored areas with a population */
    size_t *order;              /* n_scored indexes into areas: score descending, then code */
    unsigned bins[ACV_COMPARE_BINS];
} acv_compare_level;

typedef struct {
    const char *code, *name, *country;
    int has_population;
    double population;
    /* the stamp of the run compared */
    int64_t run_id;
    int year;
    const char *created_at, *engine_version, *framework_hash, *data_hash, *methods_hash, *overlay;
    int highlight; /* 0, or 1 + the area's place among the highlighted (its colour) */
} acv_compare_entry;

typedef struct acv_compare_many {
    const acv_framework *fw;
    const char *group; /* what was compared, for titles: "country:VN", "country:VN and 2 more" */
    int year;          /* the --year asked for, or 0 */
    size_t top;        /* N of the top and bottom N */
    acv_compare_entry *areas; /* the compared areas (those with a run), in the order asked */
    size_t n_areas;
    acv_compare_level *levels; /* overall, then the pillars, then the action areas */
    size_t n_levels;
    /* per area and level, [a * n_levels + l]: the score, whether there is one, and the standard
     * competition rank at that level (1, 2, 2, 4; 0 without a score) */
    double *scores;
    unsigned char *has;
    unsigned *ranks;
    size_t *highlighted; /* indexes into areas, in the order asked */
    size_t n_highlighted;
    const char **skipped; /* "CODE: why", areas of a country without a run to compare */
    size_t n_skipped;
    acv_arena arena;
} acv_compare_many;

/* The codes spec names (as acv_compare_load reads it), countries expanded to their
 * sub-national areas within the boundaries of year (docs/boundaries.md; 0: today's), duplicates
 * dropped, in order; named[i] is 1 for a code spec names itself. Free with acv_compare_codes_free
 * (also after a failure). */
typedef struct {
    char **codes;
    unsigned char *named;
    size_t n;
    size_t n_countries;  /* country:CC items */
    char *first_country; /* the first of them ("country:VN"), or NULL */
} acv_compare_codes;
acv_status acv_compare_resolve(acv_ctx *ctx, const char *spec, int year, acv_compare_codes *out,
                               acv_error *err);
void acv_compare_codes_free(acv_compare_codes *c);

/* How many areas spec (as acv_compare_load) names, countries expanded, before any is loaded:
 * the command line picks the view with it (more than ACV_COMPARE_SIDE_BY_SIDE_MAX: many). */
acv_status acv_compare_count(acv_ctx *ctx, const char *spec, int year, size_t *n, acv_error *err);

/* Loads the comparison of many areas. The highlighted areas are those of highlight (a
 * comma-separated list of codes, may be NULL) and, when spec has a country:CC item, the area
 * codes spec names beside it; each must be among the compared areas, and there may be at most
 * ACV_COMPARE_HIGHLIGHT_MAX (ACV_ERR_USAGE otherwise). top is N of the top and bottom N (0:
 * ACV_COMPARE_TOP_DEFAULT). */
acv_status acv_compare_many_load(acv_ctx *ctx, const char *spec, const char *highlight, size_t top,
                                 int year, acv_compare_many **out, acv_error *err);
void acv_compare_many_free(acv_compare_many *c);

/* The distinct values of one stamp field among the compared runs, with how many runs have each
 * (NULL counts as a value: no overlay), the first max distinct ones met, most frequent first;
 * returns how many were filled. Runs with a value past those are n_areas minus the counts. */
typedef enum {
    ACV_STAMP_ENGINE,
    ACV_STAMP_FRAMEWORK,
    ACV_STAMP_METHODS,
    ACV_STAMP_OVERLAY
} acv_compare_stamp_field;
size_t acv_compare_many_distinct(const acv_compare_many *c, acv_compare_stamp_field field,
                                 const char **values, size_t *counts, size_t max);
/* The earliest and latest scoring time of the compared runs (ISO 8601 texts). */
void acv_compare_many_run_times(const acv_compare_many *c, const char **first, const char **last);

/* The score of area a at level l, and whether there is one. */
static inline int acv_compare_many_score(const acv_compare_many *c, size_t a, size_t l,
                                         double *score)
{
    *score = c->scores[a * c->n_levels + l];
    return c->has[a * c->n_levels + l];
}

#endif
