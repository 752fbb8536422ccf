/* validate_expr.c — the expression language of compare rules (ids of indicators and data
 * elements, numbers, + - * /, unary minus and parentheses): a recursive-descent compiler to
 * postfix code at load time, and a stack evaluator per group of observations. See
 * validate_internal.h. */
#include "validate_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    acv_ys *S;
    const acv_framework *fw;
    const yt_node *at;
    const char *p;
    val_xinst *code;
    size_t n, cap;
    int failed;
    const char *ctx;
} val_parser;

static void val_emit(val_parser *P, val_xop op, double num, size_t var)
{
    if (ACV_GROW(P->code, P->cap, P->n, 16) != 0) {
        P->S->oom = 1;
        P->failed = 1;
        return;
    }
    P->code[P->n++] = (val_xinst){op, num, var};
}

static void val_skip_space(val_parser *P)
{
    while (*P->p == ' ' || *P->p == '\t')
        P->p++;
}

static void val_parse_sum(val_parser *P, int depth);

static void val_parse_factor(val_parser *P, int depth)
{
    val_skip_space(P);
    if (P->failed)
        return;
    if (depth > 32) {
        acv_ys_problem(P->S, P->at, "the expression nests too deeply in %s", P->ctx);
        P->failed = 1;
        return;
    }
    char c = *P->p;
    if (c == '(') {
        P->p++;
        val_parse_sum(P, depth + 1);
        val_skip_space(P);
        if (P->failed)
            return;
        if (*P->p != ')') {
            acv_ys_problem(P->S, P->at, "missing ')' in the expression of %s", P->ctx);
            P->failed = 1;
            return;
        }
        P->p++;
    } else if (c == '-') {
        P->p++;
        val_parse_factor(P, depth + 1);
        val_emit(P, VAL_X_NEG, 0, 0);
    } else if ((c >= '0' && c <= '9') || c == '.') {
        char *end;
        double d = strtod(P->p, &end);
        if (end == P->p || !isfinite(d)) {
            acv_ys_problem(P->S, P->at, "bad number in the expression of %s", P->ctx);
            P->failed = 1;
            return;
        }
        P->p = end;
        val_emit(P, VAL_X_NUM, d, 0);
    } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_') {
        const char *start = P->p;
        while ((*P->p >= 'A' && *P->p <= 'Z') || (*P->p >= 'a' && *P->p <= 'z') ||
               (*P->p >= '0' && *P->p <= '9') || *P->p == '_' || *P->p == '.')
            P->p++;
        char id[128];
        size_t len = (size_t)(P->p - start);
        if (len >= sizeof id)
            len = sizeof id - 1;
        memcpy(id, start, len);
        id[len] = '\0';
        long s = acv_val_find_series(P->fw, id);
        if (s < 0) {
            acv_ys_problem(P->S, P->at,
                           "unknown indicator or data element '%s' in the expression "
                           "of %s",
                           id, P->ctx);
            P->failed = 1;
            return;
        }
        val_emit(P, VAL_X_VAR, 0, (size_t)s);
    } else {
        if (c)
            acv_ys_problem(P->S, P->at, "unexpected '%c' in the expression of %s", c, P->ctx);
        else
            acv_ys_problem(P->S, P->at, "the expression of %s ends too early", P->ctx);
        P->failed = 1;
    }
}

/* The binary operators, loosest first: each level's operands are the next level's expressions
 * (the last level's are factors), and all of them associate to the left. */
static const struct {
    const char *ops;
    val_xop code[2];
} VAL_LEVELS[] = {{"+-", {VAL_X_ADD, VAL_X_SUB}}, {"*/", {VAL_X_MUL, VAL_X_DIV}}};
#define VAL_N_LEVELS (sizeof VAL_LEVELS / sizeof *VAL_LEVELS)

static void val_parse_level(val_parser *P, int depth, size_t level)
{
    if (level == VAL_N_LEVELS) {
        val_parse_factor(P, depth);
        return;
    }
    val_parse_level(P, depth, level + 1);
    for (;;) {
        val_skip_space(P);
        char c = *P->p;
        const char *op = c ? strchr(VAL_LEVELS[level].ops, c) : NULL;
        if (P->failed || !op)
            return;
        P->p++;
        val_parse_level(P, depth, level + 1);
        val_emit(P, VAL_LEVELS[level].code[op - VAL_LEVELS[level].ops], 0, 0);
    }
}

static void val_parse_sum(val_parser *P, int depth)
{
    val_parse_level(P, depth, 0);
}

void acv_val_expr_compile(acv_ys *S, const acv_framework *fw, acv_arena *arena, const yt_node *v,
                          val_expr *out, const char *ctx)
{
    memset(out, 0, sizeof *out);
    if (!v)
        return;
    char text[512];
    if (v->kind != YT_SCALAR || !v->len) {
        acv_ys_problem(S, v, "an expression must be text like 'EC.JOB.1 + EC.JOB.2' in %s", ctx);
        return;
    }
    snprintf(text, sizeof text, "%s", v->str);
    val_parser P = {.S = S, .fw = fw, .at = v, .p = text, .ctx = ctx};
    val_parse_sum(&P, 0);
    val_skip_space(&P);
    if (!P.failed && *P.p) {
        acv_ys_problem(S, v, "unexpected '%c' in the expression of %s", *P.p, ctx);
        P.failed = 1;
    }
    if (!P.failed) {
        out->text = acv_arena_strdup(arena, text);
        out->code = acv_arena_alloc(arena, P.n * sizeof *out->code + 1);
        if (!out->text || !out->code) {
            S->oom = 1;
        } else {
            memcpy(out->code, P.code, P.n * sizeof *out->code);
            out->n = P.n;
            out->is_number = P.n == 1 && P.code[0].op == VAL_X_NUM;
        }
    }
    free(P.code);
}

/* Evaluates e over one group; *missing / *present count the variables. NAN when it cannot be
 * computed (a division by zero). */
double acv_val_expr_eval(const val_expr *e, val_obs *const *group, size_t n, int zero_missing,
                         int *missing, int *present, const val_obs **first)
{
    double stack[64];
    size_t sp = 0;
    for (size_t k = 0; k < e->n; k++) {
        const val_xinst *x = &e->code[k];
        if (sp >= 64)
            return NAN;
        switch (x->op) {
        case VAL_X_NUM:
            stack[sp++] = x->num;
            break;
        case VAL_X_VAR: {
            const val_obs *hit = NULL;
            for (size_t g = 0; g < n && !hit; g++)
                if (group[g]->series == x->var)
                    hit = group[g];
            if (hit) {
                (*present)++;
                if (!*first)
                    *first = hit;
            } else {
                (*missing)++;
            }
            stack[sp++] = hit ? hit->value : (zero_missing ? 0 : NAN);
            break;
        }
        case VAL_X_NEG:
            if (sp < 1)
                return NAN;
            stack[sp - 1] = -stack[sp - 1];
            break;
        default: {
            if (sp < 2)
                return NAN;
            double b = stack[--sp], a = stack[sp - 1];
            double r = x->op == VAL_X_ADD   ? a + b
                       : x->op == VAL_X_SUB ? a - b
                       : x->op == VAL_X_MUL ? a * b
                       : b != 0             ? a / b
                                            : NAN;
            stack[sp - 1] = r;
        }
        }
    }
    return sp == 1 ? stack[0] : NAN;
}

int acv_val_expr_uses(const val_expr *e, val_obs *const *group, size_t n)
{
    for (size_t k = 0; k < e->n; k++)
        if (e->code[k].op == VAL_X_VAR)
            for (size_t g = 0; g < n; g++)
                if (group[g]->series == e->code[k].var)
                    return 1;
    return 0;
}
