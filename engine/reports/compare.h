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

#endif
