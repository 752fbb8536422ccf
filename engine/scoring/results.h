/*
 * results.h — the plain C shapes of a scoring run: what goes into the Lua methods for one area
 * and what comes back (indicator, action-area, pillar and overall scores, self-assessment
 * alignment, ranked priorities). No behaviour lives here.
 */
#ifndef ACV_RESULTS_H
#define ACV_RESULTS_H

#include <stddef.h>

#define ACV_PERIOD_MAX 16
#define ACV_NOTE_MAX 240
#define ACV_CLASS_MAX 40
#define ACV_REASONS_MAX 600

/* One observation handed to a scoring method. */
typedef struct {
    char period[ACV_PERIOD_MAX];
    int year;
    double value;
} acv_point;

typedef struct {
    const acv_point *points;
    size_t n;
    const char *from; /* NULL, or the imported series it comes from ("SDG:11.6.2") */
    const char *unit; /* an imported series' unit text as imported ("" when none), or NULL */
} acv_series;

typedef struct {
    int has_value;
    double value;                /* the value scored (after any smoothing or imputation) */
    char period[ACV_PERIOD_MAX]; /* the period it comes from */
    int has_score;
    double score;                   /* 0-100 */
    char note[ACV_NOTE_MAX];        /* why there is no score, or how the value was chosen */
    char class_name[ACV_CLASS_MAX]; /* progress class, e.g. on_track */
    int imputed;
    int has_target_gap;
    double target_gap; /* share of the distance to the 2030 target still to go (0-1) */
    int collect_rank;  /* place in the collect-first list (1 = collect first), 0 when not in it */
    char collect_source[ACV_CLASS_MAX]; /* the kind of its data source, when in that list */
} acv_indicator_result;

typedef struct {
    int has_score;
    double score;
    int n_scored; /* members with a score */
    int n_total;  /* members that could have one */
    char note[ACV_NOTE_MAX];
    /* no score under the availability rules: the score on the data there is, never official */
    int has_provisional;
    double provisional;
    int has_core; /* the applicable core indicators below the group, and those with a score */
    int n_core_scored, n_core_total;
} acv_group_result;

typedef struct {
    size_t action_area;            /* index into the framework's action areas */
    double priority;               /* 0-100, higher = act first */
    char reasons[ACV_REASONS_MAX]; /* plain words, "; "-separated */
    int no_data; /* none of its indicators has data: listed after the ranked ones, not ranked */
} acv_priority;

/* Everything one call of scoring.area produces, sized by the framework. */
typedef struct {
    acv_indicator_result *indicators; /* n_indicators */
    acv_group_result *action_areas;   /* n_action_areas */
    acv_group_result *pillars;        /* n_pillars */
    acv_group_result overall;
    int has_alignment;
    acv_group_result *alignment_areas;   /* n_action_areas */
    acv_group_result *alignment_pillars; /* n_pillars */
    acv_group_result alignment_overall;
    acv_priority *priorities; /* at most n_action_areas, in rank order */
    size_t n_priorities;
} acv_area_results;

#endif
