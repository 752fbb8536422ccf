/*
 * validate.h — validation rules over stored observations, and completeness.
 *
 * Rules live in indicators/validation/NAME.yml of the framework (an overlay's rules add to them; a
 * rule with the id of a shipped one replaces it). Four kinds, each with an importance (high,
 * medium, low) that `acvtrack validate` shows as the severity (docs/data.md):
 *   range    a value outside [min, max] for the indicators or units named (a percentage in 0-100);
 *   compare  DHIS2-style: a left side, an operator and a right side, each side an expression of
 *            indicator and data-element ids, numbers, + - * / and parentheses, evaluated per area,
 *            period and disaggregation, with a missing-value strategy;
 *   jump     a change against the previous period beyond a relative threshold (an outlier);
 *   lua      a Lua module (scripts/NAME.lua, run in the sandbox) for what YAML cannot say.
 * The loader is strict like the framework's: unknown keys, ids the framework does not have, bad
 * operators and malformed expressions are errors with file:line:col.
 *
 * Completeness: the share of core indicators with a value in the last N years, per area, pillar
 * and action area.
 */
#ifndef ACV_VALIDATE_H
#define ACV_VALIDATE_H

#include "context.h"
#include "util.h"

typedef enum { ACV_IMPORTANCE_LOW, ACV_IMPORTANCE_MEDIUM, ACV_IMPORTANCE_HIGH } acv_importance;
typedef enum { ACV_RULE_RANGE, ACV_RULE_COMPARE, ACV_RULE_JUMP, ACV_RULE_LUA } acv_rule_kind;

const char *acv_importance_name(acv_importance i);
const char *acv_rule_kind_name(acv_rule_kind k);

typedef struct acv_rules acv_rules;

/* Loads every NAME.yml directly in each folder of dirs, in order (a missing folder has no
 * rules), checking ids against fw. display[i] is how messages name dirs[i]. */
acv_status acv_rules_load(const acv_framework *fw, const char *const *dirs,
                          const char *const *display, size_t n_dirs, acv_rules **out,
                          acv_error *err);
/* The rules of the context's framework folder and overlay: DIR/indicators/validation. */
acv_status acv_rules_load_ctx(acv_ctx *ctx, acv_rules **out, acv_error *err);
size_t acv_rules_count(const acv_rules *r);

/* The physical range of an indicator or data element: what the range rules marked `physical:
 * true` allow (percentages 0-100, counts and rates not below 0). Every import refuses a value
 * outside it, --strict or not (import.c). */
typedef struct {
    int has_min, has_max;
    double min, max;
    const char *rule; /* the id of the rule that set the narrower end */
} acv_physical_range;

/* 1 when the physical range rules of r apply to code (*out set), else 0. */
int acv_rules_physical_range(const acv_rules *r, const char *code, acv_physical_range *out);
void acv_rules_free(acv_rules *r);

typedef struct {
    const char *rule; /* its id */
    acv_rule_kind kind;
    acv_importance importance;
    const char *area; /* area code */
    const char *period;
    const char *indicator;      /* the (first) indicator involved; "" when the rule names none */
    const char *disaggregation; /* "" for totals */
    const char *message;
    const char *file; /* where the (first) value involved came from, or NULL */
    long line;
    int from_import; /* a value involved comes from the filter's import */
} acv_violation;

typedef struct {
    const char *const *areas; /* area codes; NULL: every area of the workspace */
    size_t n_areas;
    int year;              /* 0: every period; else only violations in that year */
    const char *indicator; /* NULL, or only violations that involve this indicator */
    int64_t import_id;     /* non-zero: only violations involving a value of this import */
} acv_validate_filter;

typedef struct {
    long areas, observations, rules;
    long violations;
    long by_importance[3]; /* indexed by acv_importance */
} acv_validate_summary;

/* Runs the rules, calling fn for each violation (per area in code order; within an area by
 * period, rule order, indicator); fn returns non-zero to stop. sum may be NULL. */
acv_status acv_validate(acv_ctx *ctx, const acv_rules *rules, const acv_validate_filter *f,
                        int (*fn)(void *ud, const acv_violation *v), void *ud,
                        acv_validate_summary *sum, acv_error *err);

/* Appends one line: "high    AREA  PERIOD  rule: message (file:line)". */
void acv_violation_format(const acv_violation *v, acv_buf *out);

/* ---- completeness ------------------------------------------------------------------------ */

typedef struct {
    size_t core;       /* core indicators that apply (an overlay may mark some not applicable) */
    size_t with_value; /* ... with a value in the window */
} acv_share;

typedef struct {
    int from_year, to_year;
    acv_share overall;
    acv_share *pillars;       /* fw->n_pillars */
    acv_share *action_areas;  /* fw->n_action_areas */
    unsigned char *has_value; /* fw->n_indicators: a value in the window */
} acv_completeness;

/* For the years year-years+1 .. year (year 0: the area's latest year with data; years 0: the
 * framework's carry_forward_years, else 3). An indicator with a formula also counts when its
 * numerator and denominator both have a value for the same period in the window. */
acv_status acv_completeness_compute(acv_ctx *ctx, const char *area, int year, int years,
                                    acv_completeness *out, acv_error *err);
void acv_completeness_free(acv_completeness *c);

/* `acvtrack status --area CODE`: what the workspace holds for the area and its completeness. */
acv_status acv_status_text(acv_ctx *ctx, const char *area, int year, int years, acv_buf *out,
                           acv_error *err);

#endif
