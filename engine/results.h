/*
 * results.h — the plain C shapes that scoring produces and stores: one result per indicator and
 * one per group (action area, pillar, overall). No behaviour lives here.
 */
#ifndef ACV_RESULTS_H
#define ACV_RESULTS_H

#define ACV_PERIOD_MAX 16
#define ACV_NOTE_MAX 240

typedef struct {
    int has_value;
    double value;                /* the value scored (after any smoothing) */
    char period[ACV_PERIOD_MAX]; /* the period it comes from */
    int has_score;
    double score; /* 0-100 */
    char note[ACV_NOTE_MAX]; /* why there is no score, or how the value was chosen */
} acv_indicator_result;

typedef struct {
    int has_score;
    double score;
    int n_scored; /* members with a score */
    int n_total;  /* members that could have one */
    char note[ACV_NOTE_MAX];
} acv_group_result;

/* One observation handed to a scoring method. */
typedef struct {
    char period[ACV_PERIOD_MAX];
    int year;
    double value;
} acv_point;

#endif
