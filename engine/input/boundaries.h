/*
 * boundaries.h — boundary changes of local governments: recording a merger or a split from a
 * crosswalk (`acvtrack areas change FILE.csv`), and carrying an area's predecessors' older series
 * onto its new boundaries (`acvtrack areas carry --to CODE`). docs/boundaries.md has the rules and
 * the worked example (a Vietnamese commune merger of 2025).
 *
 * Owns: the crosswalk format and its checks (all or nothing, "file:line: message"), what a change
 * does to the areas' validity years, and the carry rule per indicator: sums for counts,
 * population-weighted means for rates and shares, "not comparable" otherwise, chosen from the
 * framework's `area_aggregation` key or, without one, from the indicator's unit.
 */
#ifndef ACV_BOUNDARIES_H
#define ACV_BOUNDARIES_H

#include "context.h"
#include "util.h"

typedef struct {
    int64_t change_id; /* the change recorded (or, in .already, recorded before) */
    int64_t already;
    int year;         /* the first year on the new boundaries */
    const char *kind; /* merger, split, merger and split */
    long links;       /* crosswalk lines */
    long dissolved;   /* predecessors that end the year before */
    long created;     /* successors that begin that year */
} acv_change_summary;

/* Records the change the crosswalk describes. Header: year,predecessor,successor,share[,basis]
 * (basis: population, the default, or area). One transaction; a failure writes nothing. */
acv_status acv_areas_change(acv_ctx *ctx, const char *path, const char *display,
                            acv_change_summary *out, acv_error *err);

typedef enum { ACV_CARRY_SUM, ACV_CARRY_WEIGHTED_MEAN, ACV_CARRY_NONE } acv_carry_rule;

/* The rule for an indicator or data element of the framework (code), and its name for messages.
 * `area_aggregation` wins; else the unit: a percentage, share, ratio, rate or a unit "per"
 * something is a weighted mean; a count of people, things or money is a sum; anything else (an
 * index, a score, a concentration) is not comparable. A code outside the framework: none. */
acv_carry_rule acv_carry_rule_of(const acv_framework *fw, const char *code);
const char *acv_carry_rule_name(acv_carry_rule rule);

typedef struct {
    int dry_run;
} acv_carry_options;

typedef struct {
    int year;            /* the change's first year: values are carried for the years before it */
    long carried;        /* values computed and imported */
    long not_comparable; /* indicator-years whose rule is none, or a weighted mean without the
                          * predecessors' populations */
    long incomplete;     /* indicator-years where a predecessor has no value */
    int64_t import_id;   /* the import that holds them (in a dry run: the one it would be) */
    int already;         /* the same values were carried before: nothing changed */
} acv_carry_summary;

/* Carries the older series of the area's predecessors (its latest change) onto it, as one import
 * ("areas carry --to CODE") through the row API, so the values have provenance and `imports
 * revert` takes them back. table receives one line per indicator and year: the value, the rule
 * and the predecessors' values. */
acv_status acv_areas_carry(acv_ctx *ctx, const char *code, const acv_carry_options *opt,
                           acv_carry_summary *out, acv_buf *table, acv_error *err);

#endif
