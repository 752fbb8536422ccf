/*
 * validate_internal.h — what the files of the validation module share, and nothing else may use.
 *
 * The module (public API in validate.h) is four files, one concern each:
 *   validate_rules.c  the strict loader of indicators/validation/NAME.yml into compiled rules;
 *   validate_expr.c   the expression language of compare rules: compiler and evaluator;
 *   validate.c        running the rules over one area's observations (Lua rules through
 *                     acv_bridge_validate in engine/lua) and reporting violations;
 *   completeness.c    completeness shares and `acvtrack status`.
 * A series is an indicator (index < fw->n_indicators) or a data element (the rest).
 */
#ifndef ACV_VALIDATE_INTERNAL_H
#define ACV_VALIDATE_INTERNAL_H

#include "validate.h"
#include "yamlschema.h"

#include <stdint.h>

/* ---- series ------------------------------------------------------------------------------- */

const char *acv_val_series_id(const acv_framework *fw, size_t s);
const char *acv_val_series_unit(const acv_framework *fw, size_t s);
/* The series with this id, or -1. */
long acv_val_find_series(const acv_framework *fw, const char *id);

/* Series ids sorted for lookups while reading observations (one bsearch per row). */
typedef struct {
    const char *code;
    size_t series;
} acv_val_code;

/* Every series of fw, sorted by id (*n of them); NULL when out of memory. Free with free(). */
acv_val_code *acv_val_index_new(const acv_framework *fw, size_t *n);
/* The series of code, or -1. */
long acv_val_index_find(const acv_val_code *index, size_t n, const char *code);

/* ---- expressions -------------------------------------------------------------------------- */

typedef enum {
    VAL_X_NUM,
    VAL_X_VAR,
    VAL_X_ADD,
    VAL_X_SUB,
    VAL_X_MUL,
    VAL_X_DIV,
    VAL_X_NEG
} val_xop;

typedef struct {
    val_xop op;
    double num;
    size_t var; /* series index */
} val_xinst;

/* An expression compiled to postfix. */
typedef struct {
    const char *text;
    val_xinst *code;
    size_t n;
    int is_number; /* a plain number: messages do not repeat it */
} val_expr;

/* One stored observation of the area being validated. */
typedef struct {
    size_t series;
    const char *disagg;
    const char *period;
    int year;
    double value;
    int64_t import_id;
    const char *file;
    long line;
} val_obs;

/* Compiles the text of node v (NULL: leaves out empty) into out, code and text in arena; an
 * unknown id or a malformed expression is a problem at v ("... in the expression of CTX"). */
void acv_val_expr_compile(acv_ys *S, const acv_framework *fw, acv_arena *arena, const yt_node *v,
                          val_expr *out, const char *ctx);

/* Evaluates e over one group of observations (same period and disaggregation); *missing and
 * *present count the variables, *first is the first observation used. A missing variable is 0
 * with zero_missing, else NAN. NAN also when it cannot be computed (a division by zero). */
double acv_val_expr_eval(const val_expr *e, val_obs *const *group, size_t n, int zero_missing,
                         int *missing, int *present, const val_obs **first);

/* 1 when e names a series that has an observation in group. */
int acv_val_expr_uses(const val_expr *e, val_obs *const *group, size_t n);

/* ---- rules -------------------------------------------------------------------------------- */

typedef enum {
    VAL_EQ,
    VAL_NE,
    VAL_LT,
    VAL_LE,
    VAL_GT,
    VAL_GE,
    VAL_COMPULSORY_PAIR,
    VAL_EXCLUSIVE_PAIR
} val_op;

/* "==", "<=", "compulsory_pair", ... */
const char *acv_val_op_text(val_op op);

typedef enum { VAL_SKIP_IF_ANY_MISSING, VAL_SKIP_IF_ALL_MISSING, VAL_NEVER_SKIP } val_missing;

typedef struct {
    const char *id;
    const char *description;
    acv_rule_kind kind;
    acv_importance importance;
    const char *file;
    int line;
    size_t dir;             /* index of the folder it came from */
    unsigned char *applies; /* range, jump: one flag per series */
    int has_min, has_max;
    double min, max;
    int physical; /* range: a value outside is impossible, refused by every import */
    val_expr left, right;
    val_op op;
    val_missing missing;
    double max_change_percent;
    double min_change;
    int max_gap_years;
    const char *module;
} val_rule;

struct acv_rules {
    acv_arena arena;
    const acv_framework *fw;
    size_t n_series; /* indicators, then data elements */
    val_rule *rules;
    size_t n, cap;
};

#endif
