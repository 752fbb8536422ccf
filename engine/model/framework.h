/*
 * framework.h — the indicator framework as plain C structs, loaded from `indicators/NAME.yml`.
 *
 * Owns: pillars, action areas, indicators, data elements and the framework metadata, all allocated
 * in one arena freed by acv_framework_free. The loader is strict (see docs/framework-format.md):
 * every problem is reported as "file:line:col: message"; all problems of a load are collected so
 * that `acvtrack framework check` can list them at once. The framework hash covers every file read,
 * so a stored scoring run can say exactly which framework produced it.
 */
#ifndef ACV_FRAMEWORK_H
#define ACV_FRAMEWORK_H

#include "error.h"
#include "overlay.h"
#include "util.h"

#include <stddef.h>

typedef enum {
    ACV_DIR_HIGHER,
    ACV_DIR_LOWER,
    ACV_DIR_HIGHER_TO_CAP,
    ACV_DIR_CONTEXTUAL
} acv_direction;

const char *acv_direction_name(acv_direction d);

typedef struct {
    const char *code;
    const char *title; /* may be NULL */
    int verified;
} acv_goal;

typedef struct {
    const char *id;
    const char *name;
    const char *community;
    const char *description;
    double weight; /* relative weight in the overall score; 1 unless an overlay changes it */
} acv_pillar;

typedef struct {
    const char *id;
    const char *name;
    const char *description;
    int agmf_theme;
    const char **asus_focus;
    size_t n_asus_focus;
    acv_goal *goals;
    size_t n_goals;
    size_t pillar; /* index into pillars */
    double weight; /* relative weight within its pillar; 1 unless an overlay changes it */
} acv_action_area;

typedef struct {
    int year;
    const char *kind; /* abs, rel_pct, rel_pp, rel_abs, halve_gap, none */
    int has_value;
    double value;
    const char *baseline; /* NULL, "2019" or "2015-2019" */
    const char *provenance;
    const char *reference;
} acv_target;

typedef struct {
    const char *id;
    const char *name;
    const char *short_name; /* falls back to name */
    const char *definition;
    const char *unit;
    const char *unit_code; /* a code of the framework's unit table, or NULL: the code whose name
                            * or alias is `unit` (the scoring scripts resolve it) */
    acv_direction direction;
    int core;
    int has_bounds;
    double worst, best;
    const char *bounds_reason;
    acv_target *targets;
    size_t n_targets;
    const char **sdg;
    size_t n_sdg;
    const char *sdg_relation;
    const char *iso37120;
    const char *umf;
    const char **asus;
    size_t n_asus;
    const char **other_links;
    size_t n_other_links;
    const char *data_source;
    const char *frequency;
    const char **disaggregations;
    size_t n_disaggregations;
    int has_formula;
    const char *numerator;
    const char *denominator;
    double factor;
    const char *transform;        /* NULL or "none"/"log" */
    int smoothing_years;          /* 0: not set */
    const char *method;           /* NULL: framework default */
    int fiscal_year;              /* `year: fiscal`: measured per fiscal year (docs/calendars.md) */
    const char *area_aggregation; /* `area_aggregation`: sum, weighted_mean or none; NULL: from
                                   * the unit (docs/boundaries.md) */
    size_t action_area;           /* index into action_areas */
    const char *file;             /* where it is defined */
    int line, col;
    double weight;              /* relative weight within its action area; default 1 */
    const char *not_applicable; /* reason, when an overlay marks it not applicable */
    int local;                  /* added by an overlay, not part of the shared framework */
    unsigned changed;           /* ACV_CHANGED_* bits set by an overlay */
} acv_indicator;

enum {
    ACV_CHANGED_BOUNDS = 1,
    ACV_CHANGED_TARGETS = 2,
    ACV_CHANGED_WEIGHT = 4,
    ACV_CHANGED_SCORING = 8,
    ACV_CHANGED_NOT_APPLICABLE = 16,
    ACV_CHANGED_LOCAL = 32,
};

typedef struct {
    const char *id;
    const char *name;
    const char *unit;
    const char *description;
    int fiscal_year; /* `year: fiscal`: reported per fiscal year (docs/calendars.md) */
} acv_data_element;

/* A unit of measure of the unit table (`units`): what imported series' unit texts are normalised
 * to before they may feed a framework indicator (docs/framework-format.md). */
typedef struct {
    const char *code; /* lower-case letters, digits and _, e.g. per_100000 */
    const char *name;
    const char **aliases; /* unit texts meaning this unit ("Rate per 100,000") */
    size_t n_aliases;
    const char *file;
    int line, col;
} acv_unit;

/* A declared conversion: a value in `from` times factor is the value in `to` (and the other way
 * round, divided). */
typedef struct {
    const char *from, *to;
    double factor;
    const char *file;
    int line, col;
} acv_unit_conversion;

typedef struct {
    const char *id; /* e.g. PS.DRR.Q1 */
    const char *action_area;
    size_t area; /* index into action_areas */
    const char **dimensions;
    size_t n_dimensions;
    const char *text;
    const char *level4; /* what level 4 looks like */
} acv_question;

typedef struct {
    const char *id; /* POL, BUD, CAP, DAT, PAR */
    const char *name;
    const char *meaning;
} acv_dimension;

typedef struct {
    const char *label;
    const char *meaning;
} acv_scale_level;

#define ACV_MATURITY_LEVELS 5 /* 0 not started ... 4 institutionalised and monitored */

/* Framework-wide method choices (the `scoring` block of the framework; an overlay may change
 * them). Strings name methods the Lua scripts know; the engine passes them through. */
typedef struct {
    const char *progress;    /* escap_api (default); any name in the scripts' METHODS table */
    const char *aggregation; /* arithmetic (default) or geometric, at pillar and overall level */
    const char *imputation;  /* none (default), locf or interpolate */
    int carry_forward_years; /* how far locf may reach back; default 3 */
    double min_share;        /* share of an action area's indicators needed for a score; 0.5 */
    double max_missing_core; /* share of core indicators that may miss for an overall score; 0.2 */
    int base_year;           /* progress base year; default 2015 */
    int target_year;         /* progress target year; default 2030 */
} acv_scoring_defaults;

/* A progress method the framework or overlay names (`scoring.progress`, an indicator's
 * `scoring.method`, an override's). The loader cannot know the names: the Lua methods define them
 * (METHODS in scripts/methods/progress.lua, which an overlay may replace), so it keeps where each
 * name was written for the Lua side to check (lua/scriptcheck.h). */
typedef struct {
    const char *name;
    const char *where; /* "indicators/x.yml:12:30" */
    const char *what;  /* "scoring of the framework", "scoring of indicator PS.DRR.1" */
} acv_method_ref;

typedef struct acv_framework {
    acv_arena arena;
    const char *dir; /* the framework root (holding indicators/ and scripts/) */
    const char *id;
    const char *name;
    const char *version;
    const char *description;
    const char **sources;
    size_t n_sources;
    acv_scoring_defaults scoring;
    acv_pillar *pillars;
    size_t n_pillars;
    acv_action_area *action_areas;
    size_t n_action_areas;
    acv_indicator *indicators;
    size_t n_indicators;
    acv_data_element *data_elements;
    size_t n_data_elements;
    acv_unit *units; /* the unit table, for linked series (NULL: none declared) */
    size_t n_units;
    acv_unit_conversion *unit_conversions;
    size_t n_unit_conversions;
    /* the self-assessment guideline (indicators/assessment/NAME.yml) */
    acv_question *questions;
    size_t n_questions;
    acv_dimension *dimensions;
    size_t n_dimensions;
    acv_scale_level scale[ACV_MATURITY_LEVELS];
    int evidence_from_level;  /* answers at this level or above need evidence */
    int cap_without_evidence; /* ... and are capped at this level without it */
    /* a city overlay applied on top (acv_framework_load_roots) */
    const char *overlay_name;
    const char *overlay_dir;
    char **changes; /* what the overlay changed against the shared framework, in plain words */
    size_t n_changes;
    char hash[65];               /* covers the overlay's files too */
    acv_method_ref *method_refs; /* in the arena */
    size_t n_method_refs;
    /* every problem found, "file:line:col: message" */
    char **problems;
    size_t n_problems;
} acv_framework;

/*
 * Loads every `NAME.yml` directly under DIR/indicators (pillar files in the framework's
 * pillar_order), then the self-assessment guideline from DIR/indicators/assessment/NAME.yml. On
 * success *out owns the framework. On failure *out is still set (so callers may list fw->problems)
 * unless memory ran out; err carries the first problem and the count.
 */
acv_status acv_framework_load(const char *dir, acv_framework **out, acv_error *err);

void acv_framework_free(acv_framework *fw);

/*
 * Loads the framework of roots (overlay.h) and, when roots has an overlay, applies it: the
 * overlay's indicators/NAME.yml (an `overlay` block, `weights`, `overrides`, `not_applicable`,
 * local `indicators` and `data_elements`; see docs/adapting-a-city.md). Every change is recorded
 * in fw->changes and flagged on the indicator, so reports can say what differs from the shared
 * framework. Problems are collected like the loader's, with file:line:col. An overlay without an
 * indicators/ folder (one that only brings plugins or scripts) changes nothing; an overlay folder
 * that does not exist is an error.
 */
acv_status acv_framework_load_roots(const acv_overlay *roots, acv_framework **out, acv_error *err);

/* Index of the indicator / action area / pillar / question with that id, or -1. */
long acv_framework_find_question(const acv_framework *fw, const char *id);
long acv_framework_find_indicator(const acv_framework *fw, const char *id);
long acv_framework_find_action_area(const acv_framework *fw, const char *id);
long acv_framework_find_pillar(const acv_framework *fw, const char *id);

/* The target for a year, or NULL. */
const acv_target *acv_indicator_target(const acv_indicator *ind, int year);

/* Formats a target for people: "≥ 100", "−50% vs 2015-2019", "none". */
void acv_target_describe(const acv_indicator *ind, const acv_target *t, char *out, size_t size);

#endif
