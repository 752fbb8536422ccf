/* validate.c — validation rules (YAML and Lua) over stored observations, and completeness; see
 * validate.h and docs/data.md. All names here start with val_ (or acv_ when public). */
#include "validate.h"
#include "luabridge.h"
#include "results.h"
#include "values.h"
#include "yamltree.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Lua rules go through the binding layer (luabridge.c), the only place besides the sandbox that
 * may touch Lua. */

#define VAL_MAX_FILES 256
#define VAL_MAX_PROBLEMS 20

const char *acv_importance_name(acv_importance i)
{
    switch (i) {
    case ACV_IMPORTANCE_HIGH:
        return "high";
    case ACV_IMPORTANCE_MEDIUM:
        return "medium";
    case ACV_IMPORTANCE_LOW:
        return "low";
    }
    return "?";
}

const char *acv_rule_kind_name(acv_rule_kind k)
{
    switch (k) {
    case ACV_RULE_RANGE:
        return "range";
    case ACV_RULE_COMPARE:
        return "compare";
    case ACV_RULE_JUMP:
        return "jump";
    case ACV_RULE_LUA:
        return "lua";
    }
    return "?";
}

/* ---- rules ----------------------------------------------------------------------------------- */

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

static const char *const VAL_OP_NAMES[][2] = {
    {"==", "equal_to"},      {"!=", "not_equal_to"},
    {"<", "less_than"},      {"<=", "less_than_or_equal_to"},
    {">", "greater_than"},   {">=", "greater_than_or_equal_to"},
    {"compulsory_pair", ""}, {"exclusive_pair", ""},
};

int acv_rules_lua_supported(void)
{
    return 1;
}

size_t acv_rules_count(const acv_rules *r)
{
    return r ? r->n : 0;
}

void acv_rules_free(acv_rules *r)
{
    if (!r)
        return;
    free(r->rules);
    acv_arena_free(&r->arena);
    free(r);
}

static const char *val_series_id(const acv_framework *fw, size_t s)
{
    return s < fw->n_indicators ? fw->indicators[s].id : fw->data_elements[s - fw->n_indicators].id;
}

static const char *val_series_unit(const acv_framework *fw, size_t s)
{
    return s < fw->n_indicators ? fw->indicators[s].unit
                                : fw->data_elements[s - fw->n_indicators].unit;
}

static long val_find_series(const acv_framework *fw, const char *id)
{
    long i = acv_framework_find_indicator(fw, id);
    if (i >= 0)
        return i;
    for (size_t d = 0; d < fw->n_data_elements; d++)
        if (strcmp(fw->data_elements[d].id, id) == 0)
            return (long)(fw->n_indicators + d);
    return -1;
}

typedef struct {
    acv_rules *r;
    const char *file;
    size_t dir;
    acv_buf problems;
    size_t n_problems;
    int oom;
} val_loader;

static void val_problem(val_loader *L, const yt_node *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void val_problem(val_loader *L, const yt_node *at, const char *fmt, ...)
{
    L->n_problems++;
    if (L->n_problems > VAL_MAX_PROBLEMS)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (L->problems.len)
        acv_buf_puts(&L->problems, "\n");
    if (at)
        acv_buf_printf(&L->problems, "%s:%d:%d: %s", L->file, at->line, at->col, msg);
    else
        acv_buf_printf(&L->problems, "%s: %s", L->file, msg);
}

static const char *val_strdup(val_loader *L, const char *s)
{
    const char *c = acv_arena_strdup(&L->r->arena, s);
    if (!c && s)
        L->oom = 1;
    return c;
}

static const yt_node *val_scalar(val_loader *L, const yt_node *m, const char *key, int required,
                                 const char *ctx)
{
    const yt_node *v = yt_map_get(m, key);
    if (!v) {
        if (required)
            val_problem(L, m, "missing key '%s' in %s", key, ctx);
        return NULL;
    }
    if (v->kind != YT_SCALAR) {
        val_problem(L, v, "'%s' must be a single value in %s", key, ctx);
        return NULL;
    }
    return v;
}

static int val_number(val_loader *L, const yt_node *m, const char *key, double *out,
                      const char *ctx)
{
    const yt_node *v = val_scalar(L, m, key, 0, ctx);
    if (!v)
        return 0;
    char *end;
    errno = 0;
    double d = v->plain && v->len ? strtod(v->str, &end) : 0;
    if (!v->plain || !v->len || *end || errno == ERANGE || !isfinite(d)) {
        val_problem(L, v, "'%s' must be a number in %s, found '%s'", key, ctx, v->str);
        return 0;
    }
    *out = d;
    return 1;
}

/* indicators (a list of ids, or `all`), units and exclude: which series a rule applies to. */
static void val_selector(val_loader *L, val_rule *rule, const yt_node *m, const char *ctx)
{
    const acv_framework *fw = L->r->fw;
    rule->applies = acv_arena_alloc(&L->r->arena, L->r->n_series + 1);
    if (!rule->applies) {
        L->oom = 1;
        return;
    }
    const yt_node *inds = yt_map_get(m, "indicators");
    const yt_node *units = yt_map_get(m, "units");
    const yt_node *excl = yt_map_get(m, "exclude");
    if (!inds && !units) {
        val_problem(L, m, "%s needs 'indicators' (a list of ids, or all) or 'units'", ctx);
        return;
    }
    if (inds && inds->kind == YT_SCALAR && strcmp(inds->str, "all") == 0) {
        memset(rule->applies, 1, L->r->n_series);
    } else if (inds && inds->kind == YT_SEQ) {
        for (size_t i = 0; i < inds->count; i++) {
            const yt_node *it = inds->items[i];
            long s = it->kind == YT_SCALAR ? val_find_series(fw, it->str) : -1;
            if (s < 0)
                val_problem(L, it, "unknown indicator or data element '%s' in %s",
                            it->kind == YT_SCALAR ? it->str : "?", ctx);
            else
                rule->applies[s] = 1;
        }
    } else if (inds) {
        val_problem(L, inds, "'indicators' must be a list of ids, or all, in %s", ctx);
    }
    if (units && units->kind == YT_SEQ) {
        for (size_t i = 0; i < units->count; i++) {
            const yt_node *it = units->items[i];
            if (it->kind != YT_SCALAR) {
                val_problem(L, it, "'units' must list units as text in %s", ctx);
                continue;
            }
            int any = 0;
            for (size_t s = 0; s < L->r->n_series; s++) {
                const char *u = val_series_unit(fw, s);
                if (u && strcmp(u, it->str) == 0) {
                    rule->applies[s] = 1;
                    any = 1;
                }
            }
            if (!any)
                val_problem(L, it, "no indicator or data element has the unit '%s' (in %s)",
                            it->str, ctx);
        }
    } else if (units) {
        val_problem(L, units, "'units' must be a list in %s", ctx);
    }
    if (excl && excl->kind == YT_SEQ) {
        for (size_t i = 0; i < excl->count; i++) {
            const yt_node *it = excl->items[i];
            long s = it->kind == YT_SCALAR ? val_find_series(fw, it->str) : -1;
            if (s < 0)
                val_problem(L, it, "unknown indicator or data element '%s' in %s",
                            it->kind == YT_SCALAR ? it->str : "?", ctx);
            else
                rule->applies[s] = 0;
        }
    } else if (excl) {
        val_problem(L, excl, "'exclude' must be a list of ids in %s", ctx);
    }
}

/* ---- expressions ------------------------------------------------------------------------------
 */

typedef struct {
    val_loader *L;
    const yt_node *at;
    const char *p;
    val_xinst *code;
    size_t n, cap;
    int failed;
    const char *ctx;
} val_parser;

static void val_emit(val_parser *P, val_xop op, double num, size_t var)
{
    if (P->n == P->cap) {
        size_t ncap = P->cap ? P->cap * 2 : 16;
        val_xinst *nc = realloc(P->code, ncap * sizeof *nc);
        if (!nc) {
            P->L->oom = 1;
            P->failed = 1;
            return;
        }
        P->code = nc;
        P->cap = ncap;
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
        val_problem(P->L, P->at, "the expression nests too deeply in %s", P->ctx);
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
            val_problem(P->L, P->at, "missing ')' in the expression of %s", P->ctx);
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
            val_problem(P->L, P->at, "bad number in the expression of %s", P->ctx);
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
        long s = val_find_series(P->L->r->fw, id);
        if (s < 0) {
            val_problem(P->L, P->at,
                        "unknown indicator or data element '%s' in the expression "
                        "of %s",
                        id, P->ctx);
            P->failed = 1;
            return;
        }
        val_emit(P, VAL_X_VAR, 0, (size_t)s);
    } else {
        if (c)
            val_problem(P->L, P->at, "unexpected '%c' in the expression of %s", c, P->ctx);
        else
            val_problem(P->L, P->at, "the expression of %s ends too early", P->ctx);
        P->failed = 1;
    }
}

static void val_parse_product(val_parser *P, int depth)
{
    val_parse_factor(P, depth);
    for (;;) {
        val_skip_space(P);
        char c = *P->p;
        if (P->failed || (c != '*' && c != '/'))
            return;
        P->p++;
        val_parse_factor(P, depth);
        val_emit(P, c == '*' ? VAL_X_MUL : VAL_X_DIV, 0, 0);
    }
}

static void val_parse_sum(val_parser *P, int depth)
{
    val_parse_product(P, depth);
    for (;;) {
        val_skip_space(P);
        char c = *P->p;
        if (P->failed || (c != '+' && c != '-'))
            return;
        P->p++;
        val_parse_product(P, depth);
        val_emit(P, c == '+' ? VAL_X_ADD : VAL_X_SUB, 0, 0);
    }
}

static void val_compile(val_loader *L, const yt_node *v, val_expr *out, const char *ctx)
{
    memset(out, 0, sizeof *out);
    if (!v)
        return;
    char text[512];
    if (v->kind != YT_SCALAR || !v->len) {
        val_problem(L, v, "an expression must be text like 'EC.JOB.1 + EC.JOB.2' in %s", ctx);
        return;
    }
    snprintf(text, sizeof text, "%s", v->str);
    val_parser P = {.L = L, .at = v, .p = text, .ctx = ctx};
    val_parse_sum(&P, 0);
    val_skip_space(&P);
    if (!P.failed && *P.p) {
        val_problem(L, v, "unexpected '%c' in the expression of %s", *P.p, ctx);
        P.failed = 1;
    }
    if (!P.failed) {
        out->text = val_strdup(L, text);
        out->code = acv_arena_alloc(&L->r->arena, P.n * sizeof *out->code);
        if (!out->code) {
            L->oom = 1;
        } else {
            memcpy(out->code, P.code, P.n * sizeof *out->code);
            out->n = P.n;
            out->is_number = P.n == 1 && P.code[0].op == VAL_X_NUM;
        }
    }
    free(P.code);
}

/* ---- loading ------------------------------------------------------------------------------------
 */

static const char *const VAL_COMMON_KEYS[] = {"id", "kind", "description", "importance"};

static void val_check_keys(val_loader *L, const yt_node *m, const char *const *extra,
                           const char *ctx)
{
    for (size_t i = 0; i < m->count; i++) {
        const char *k = m->keys[i]->str;
        int ok = 0;
        for (size_t c = 0; c < sizeof VAL_COMMON_KEYS / sizeof *VAL_COMMON_KEYS; c++)
            if (strcmp(k, VAL_COMMON_KEYS[c]) == 0)
                ok = 1;
        for (const char *const *e = extra; *e; e++)
            if (strcmp(k, *e) == 0)
                ok = 1;
        if (!ok)
            val_problem(L, m->keys[i], "unknown key '%s' in %s", k, ctx);
    }
}

static val_rule *val_new_rule(val_loader *L, const char *id, const yt_node *at)
{
    acv_rules *r = L->r;
    for (size_t i = 0; i < r->n; i++) {
        if (strcmp(r->rules[i].id, id) != 0)
            continue;
        if (r->rules[i].dir == L->dir) {
            val_problem(L, at, "rule '%s' is defined twice (also at %s:%d)", id, r->rules[i].file,
                        r->rules[i].line);
            return NULL;
        }
        /* an overlay's rule replaces the framework's rule of the same id */
        memset(&r->rules[i], 0, sizeof r->rules[i]);
        return &r->rules[i];
    }
    if (r->n == r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : 32;
        val_rule *nr = realloc(r->rules, ncap * sizeof *nr);
        if (!nr) {
            L->oom = 1;
            return NULL;
        }
        r->rules = nr;
        r->cap = ncap;
    }
    val_rule *rule = &r->rules[r->n++];
    memset(rule, 0, sizeof *rule);
    return rule;
}

static void val_load_rule(val_loader *L, const yt_node *m, size_t index)
{
    char ctx[160];
    snprintf(ctx, sizeof ctx, "rule #%zu", index + 1);
    if (m->kind != YT_MAP) {
        val_problem(L, m, "%s must be a mapping with id, kind and importance", ctx);
        return;
    }
    const yt_node *idn = val_scalar(L, m, "id", 1, ctx);
    const yt_node *kindn = val_scalar(L, m, "kind", 1, ctx);
    if (!idn || !kindn)
        return;
    snprintf(ctx, sizeof ctx, "rule '%s'", idn->str);
    static const char *const kinds[] = {"range", "compare", "jump", "lua"};
    int kind = -1;
    for (int k = 0; k < 4; k++)
        if (strcmp(kindn->str, kinds[k]) == 0)
            kind = k;
    if (kind < 0) {
        val_problem(L, kindn, "unknown kind '%s' in %s (expected range, compare, jump or lua)",
                    kindn->str, ctx);
        return;
    }
    acv_importance importance = ACV_IMPORTANCE_MEDIUM;
    const yt_node *imp = val_scalar(L, m, "importance", 0, ctx);
    if (imp) {
        if (strcmp(imp->str, "high") == 0)
            importance = ACV_IMPORTANCE_HIGH;
        else if (strcmp(imp->str, "medium") == 0)
            importance = ACV_IMPORTANCE_MEDIUM;
        else if (strcmp(imp->str, "low") == 0)
            importance = ACV_IMPORTANCE_LOW;
        else
            val_problem(L, imp, "importance '%s' in %s is not high, medium or low", imp->str, ctx);
    }
    val_rule *rule = val_new_rule(L, idn->str, idn);
    if (!rule)
        return;
    rule->id = val_strdup(L, idn->str);
    rule->kind = (acv_rule_kind)kind;
    rule->importance = importance;
    rule->file = val_strdup(L, L->file);
    rule->line = idn->line;
    rule->dir = L->dir;
    const yt_node *desc = val_scalar(L, m, "description", 0, ctx);
    rule->description = desc ? val_strdup(L, desc->str) : NULL;
    switch (rule->kind) {
    case ACV_RULE_RANGE: {
        static const char *const keys[] = {"indicators", "units", "exclude", "min", "max", NULL};
        val_check_keys(L, m, keys, ctx);
        val_selector(L, rule, m, ctx);
        rule->has_min = val_number(L, m, "min", &rule->min, ctx);
        rule->has_max = val_number(L, m, "max", &rule->max, ctx);
        if (!rule->has_min && !rule->has_max && !yt_map_get(m, "min") && !yt_map_get(m, "max"))
            val_problem(L, m, "%s needs 'min', 'max' or both", ctx);
        if (rule->has_min && rule->has_max && rule->min > rule->max)
            val_problem(L, yt_map_get(m, "min"), "min %g is above max %g in %s", rule->min,
                        rule->max, ctx);
        break;
    }
    case ACV_RULE_COMPARE: {
        static const char *const keys[] = {"left", "operator", "right", "missing", NULL};
        val_check_keys(L, m, keys, ctx);
        val_compile(L, val_scalar(L, m, "left", 1, ctx), &rule->left, ctx);
        val_compile(L, val_scalar(L, m, "right", 1, ctx), &rule->right, ctx);
        const yt_node *op = val_scalar(L, m, "operator", 1, ctx);
        if (op) {
            int found = -1;
            for (int o = 0; o < (int)(sizeof VAL_OP_NAMES / sizeof *VAL_OP_NAMES); o++)
                if (strcmp(op->str, VAL_OP_NAMES[o][0]) == 0 ||
                    (VAL_OP_NAMES[o][1][0] && strcmp(op->str, VAL_OP_NAMES[o][1]) == 0))
                    found = o;
            if (found < 0)
                val_problem(L, op,
                            "unknown operator '%s' in %s (expected ==, !=, <, <=, >, >=, "
                            "compulsory_pair or exclusive_pair; quote '>' and '>=')",
                            op->str, ctx);
            else
                rule->op = (val_op)found;
        }
        const yt_node *miss = val_scalar(L, m, "missing", 0, ctx);
        if (miss) {
            if (strcmp(miss->str, "skip_if_any_missing") == 0)
                rule->missing = VAL_SKIP_IF_ANY_MISSING;
            else if (strcmp(miss->str, "skip_if_all_missing") == 0)
                rule->missing = VAL_SKIP_IF_ALL_MISSING;
            else if (strcmp(miss->str, "never_skip") == 0)
                rule->missing = VAL_NEVER_SKIP;
            else
                val_problem(L, miss,
                            "missing '%s' in %s is not skip_if_any_missing, "
                            "skip_if_all_missing or never_skip",
                            miss->str, ctx);
        }
        break;
    }
    case ACV_RULE_JUMP: {
        static const char *const keys[] = {
            "indicators", "units",         "exclude", "max_change_percent",
            "min_change", "max_gap_years", NULL};
        val_check_keys(L, m, keys, ctx);
        val_selector(L, rule, m, ctx);
        if (!val_number(L, m, "max_change_percent", &rule->max_change_percent, ctx)) {
            if (!yt_map_get(m, "max_change_percent"))
                val_problem(L, m, "%s needs 'max_change_percent'", ctx);
        } else if (rule->max_change_percent <= 0) {
            val_problem(L, yt_map_get(m, "max_change_percent"),
                        "'max_change_percent' must be above 0 in %s", ctx);
        }
        val_number(L, m, "min_change", &rule->min_change, ctx);
        double gap = 1;
        if (val_number(L, m, "max_gap_years", &gap, ctx) &&
            (gap < 1 || gap > 50 || gap != floor(gap)))
            val_problem(L, yt_map_get(m, "max_gap_years"),
                        "'max_gap_years' must be a whole number from 1 to 50 in %s", ctx);
        rule->max_gap_years = (int)gap;
        break;
    }
    case ACV_RULE_LUA: {
        static const char *const keys[] = {"module", NULL};
        val_check_keys(L, m, keys, ctx);
        const yt_node *mod = val_scalar(L, m, "module", 1, ctx);
        if (mod) {
            int ok = mod->len > 0;
            for (const char *p = mod->str; *p; p++)
                if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                      (*p >= '0' && *p <= '9') || *p == '_' || *p == '.'))
                    ok = 0;
            if (!ok)
                val_problem(L, mod,
                            "module '%s' in %s is not a module name like "
                            "validation.population (scripts/validation/population.lua)",
                            mod->str, ctx);
            rule->module = val_strdup(L, mod->str);
        }
        break;
    }
    }
}

static int val_name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void val_load_dir(val_loader *L, const char *dir, const char *display)
{
    DIR *d = opendir(dir);
    if (!d)
        return; /* no rules there */
    char *names[VAL_MAX_FILES];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < VAL_MAX_FILES) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] != '.' && len > 4 && strcmp(e->d_name + len - 4, ".yml") == 0 &&
            (names[n] = strdup(e->d_name)) != NULL)
            n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, val_name_cmp);
    for (size_t i = 0; i < n && !L->oom; i++) {
        char shown[1024], *path = acv_path_join(dir, names[i]);
        snprintf(shown, sizeof shown, "%s/%s", display, names[i]);
        L->file = shown;
        yt_doc *doc = NULL;
        acv_error yerr;
        acv_error_clear(&yerr);
        if (!path) {
            L->oom = 1;
        } else if (yt_parse_file(path, shown, &doc, &yerr) != ACV_OK) {
            if (yerr.status == ACV_ERR_NOMEM)
                L->oom = 1;
            L->n_problems++;
            if (L->problems.len)
                acv_buf_puts(&L->problems, "\n");
            acv_buf_puts(&L->problems, yerr.message);
        } else {
            const yt_node *root = yt_root(doc);
            const yt_node *rules = root && root->kind == YT_MAP ? yt_map_get(root, "rules") : NULL;
            size_t before = L->n_problems;
            if (!root || root->kind != YT_MAP) {
                val_problem(L, root, "a rule file is a mapping with one key, 'rules'");
            } else {
                for (size_t k = 0; k < root->count; k++)
                    if (strcmp(root->keys[k]->str, "rules") != 0)
                        val_problem(L, root->keys[k],
                                    "unknown key '%s' (a rule file has only "
                                    "'rules')",
                                    root->keys[k]->str);
                if (rules && rules->kind != YT_SEQ)
                    val_problem(L, rules, "'rules' must be a list of rules");
                else if (!rules && L->n_problems == before)
                    val_problem(L, root, "missing key 'rules' (a list of rules)");
            }
            for (size_t r = 0; rules && rules->kind == YT_SEQ && r < rules->count; r++)
                val_load_rule(L, rules->items[r], r);
        }
        yt_free(doc);
        free(path);
        L->file = NULL;
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
}

acv_status acv_rules_load(const acv_framework *fw, const char *const *dirs,
                          const char *const *display, size_t n_dirs, acv_rules **out,
                          acv_error *err)
{
    *out = NULL;
    acv_rules *r = calloc(1, sizeof *r);
    if (!r)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory loading validation rules");
    r->fw = fw;
    r->n_series = fw->n_indicators + fw->n_data_elements;
    val_loader L = {.r = r};
    for (size_t i = 0; i < n_dirs && !L.oom; i++) {
        L.dir = i;
        val_load_dir(&L, dirs[i], display ? display[i] : dirs[i]);
    }
    acv_status st = ACV_OK;
    if (L.oom || L.problems.failed)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory loading validation rules");
    else if (L.n_problems)
        st = acv_error_set(err, ACV_ERR_INPUT, "%s%s", L.problems.data,
                           L.n_problems > VAL_MAX_PROBLEMS ? "\n(more problems not shown)" : "");
    acv_buf_free(&L.problems);
    if (st != ACV_OK) {
        acv_rules_free(r);
        return st;
    }
    *out = r;
    return ACV_OK;
}

acv_status acv_rules_load_ctx(acv_ctx *ctx, acv_rules **out, acv_error *err)
{
    char *dirs[2] = {NULL, NULL};
    const char *display[2] = {"indicators/validation", NULL};
    char overlay_display[600];
    size_t n = 0;
    dirs[n++] = acv_path_join(ctx->framework_dir, "indicators/validation");
    if (ctx->overlay_dir) {
        const char *base = strrchr(ctx->overlay_dir, '/');
        base = base && base[1] ? base + 1 : ctx->overlay_dir;
        snprintf(overlay_display, sizeof overlay_display, "%s/indicators/validation", base);
        display[n] = overlay_display;
        dirs[n++] = acv_path_join(ctx->overlay_dir, "indicators/validation");
    }
    acv_status st;
    if (!dirs[0] || (n == 2 && !dirs[1]))
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    else
        st = acv_rules_load(ctx->fw, (const char *const *)dirs, display, n, out, err);
    free(dirs[0]);
    free(dirs[1]);
    return st;
}

/* ---- evaluation ----------------------------------------------------------------------------- */

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

typedef struct {
    const char *code;
    size_t series;
} val_code_index;

typedef struct {
    size_t rule;
    const char *period;
    const char *indicator;
    const char *disagg;
    char *message;
    const char *file;
    long line;
    int from_import;
} val_found;

typedef struct {
    acv_ctx *ctx;
    const acv_rules *rules;
    const acv_validate_filter *f;
    acv_validate_summary *sum;
    val_code_index *index; /* sorted by code */
    size_t n_index;
    const char *last_code;
    long last_series;
    /* one area at a time */
    acv_arena arena;
    val_obs *obs;
    size_t n_obs, cap_obs;
    val_found *found;
    size_t n_found, cap_found;
    acv_lua *lua; /* for Lua rules */
    int own_lua;
    int oom;
} val_run;

static int val_index_cmp(const void *a, const void *b)
{
    return strcmp(((const val_code_index *)a)->code, ((const val_code_index *)b)->code);
}

static long val_lookup(val_run *R, const char *code)
{
    if (R->last_code && strcmp(R->last_code, code) == 0)
        return R->last_series;
    val_code_index key = {code, 0};
    val_code_index *hit = bsearch(&key, R->index, R->n_index, sizeof key, val_index_cmp);
    R->last_series = hit ? (long)hit->series : -1;
    R->last_code = hit ? hit->code : NULL;
    return R->last_series;
}

static int val_collect(void *ud, const acv_obs_record *r)
{
    val_run *R = ud;
    long s = val_lookup(R, r->indicator);
    if (s < 0)
        return 0; /* no longer in the framework */
    acv_period p;
    if (!acv_period_parse(r->period, &p))
        return 0;
    if (R->n_obs == R->cap_obs) {
        size_t ncap = R->cap_obs ? R->cap_obs * 2 : 256;
        val_obs *no = realloc(R->obs, ncap * sizeof *no);
        if (!no) {
            R->oom = 1;
            return 1;
        }
        R->obs = no;
        R->cap_obs = ncap;
    }
    val_obs *o = &R->obs[R->n_obs];
    o->series = (size_t)s;
    o->disagg = acv_arena_strdup(&R->arena, r->disaggregation);
    o->period = acv_arena_strdup(&R->arena, r->period);
    o->file = acv_arena_strdup(&R->arena, r->file);
    if (!o->disagg || !o->period || !o->file) {
        R->oom = 1;
        return 1;
    }
    o->year = p.year;
    o->value = r->value;
    o->import_id = r->import_id;
    o->line = r->line;
    R->n_obs++;
    return 0;
}

static void val_add(val_run *R, size_t rule, const char *period, const char *indicator,
                    const char *disagg, const val_obs *where, int from_import, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
static void val_add(val_run *R, size_t rule, const char *period, const char *indicator,
                    const char *disagg, const val_obs *where, int from_import, const char *fmt, ...)
{
    if (R->n_found == R->cap_found) {
        size_t ncap = R->cap_found ? R->cap_found * 2 : 32;
        val_found *nf = realloc(R->found, ncap * sizeof *nf);
        if (!nf) {
            R->oom = 1;
            return;
        }
        R->found = nf;
        R->cap_found = ncap;
    }
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    val_found *v = &R->found[R->n_found];
    v->rule = rule;
    v->period = acv_arena_strdup(&R->arena, period ? period : "");
    v->indicator = acv_arena_strdup(&R->arena, indicator ? indicator : "");
    v->disagg = acv_arena_strdup(&R->arena, disagg ? disagg : "");
    v->message = acv_arena_strdup(&R->arena, msg);
    v->file = where ? where->file : NULL;
    v->line = where ? where->line : 0;
    v->from_import = from_import;
    if (!v->period || !v->indicator || !v->disagg || !v->message) {
        R->oom = 1;
        return;
    }
    R->n_found++;
}

static int val_mine(const val_run *R, const val_obs *o)
{
    return o && R->f && R->f->import_id && o->import_id == R->f->import_id;
}

/* "SC.ENV.2" or "SC.ENV.2 [sex=female]" */
static void val_label(const acv_framework *fw, const val_obs *o, char *out, size_t size)
{
    if (o->disagg[0])
        snprintf(out, size, "%s [%s]", val_series_id(fw, o->series), o->disagg);
    else
        snprintf(out, size, "%s", val_series_id(fw, o->series));
}

static void val_range(val_run *R, size_t ri)
{
    const val_rule *rule = &R->rules->rules[ri];
    const acv_framework *fw = R->rules->fw;
    for (size_t i = 0; i < R->n_obs; i++) {
        const val_obs *o = &R->obs[i];
        if (!rule->applies[o->series])
            continue;
        char label[256];
        val_label(fw, o, label, sizeof label);
        if (rule->has_min && o->value < rule->min)
            val_add(R, ri, o->period, val_series_id(fw, o->series), o->disagg, o, val_mine(R, o),
                    "%s = %.15g is below the minimum %.15g", label, o->value, rule->min);
        else if (rule->has_max && o->value > rule->max)
            val_add(R, ri, o->period, val_series_id(fw, o->series), o->disagg, o, val_mine(R, o),
                    "%s = %.15g is above the maximum %.15g", label, o->value, rule->max);
    }
}

static void val_jump(val_run *R, size_t ri)
{
    const val_rule *rule = &R->rules->rules[ri];
    const acv_framework *fw = R->rules->fw;
    /* observations arrive ordered by indicator code, disaggregation and period */
    for (size_t i = 1; i < R->n_obs; i++) {
        const val_obs *prev = &R->obs[i - 1], *o = &R->obs[i];
        if (prev->series != o->series || strcmp(prev->disagg, o->disagg) != 0 ||
            !rule->applies[o->series])
            continue;
        if (o->year - prev->year > rule->max_gap_years)
            continue;
        double change = o->value - prev->value;
        double limit = fabs(prev->value) * rule->max_change_percent / 100.0;
        if (fabs(change) <= limit * (1 + 1e-9) || fabs(change) < rule->min_change || change == 0)
            continue;
        char label[256], pct[64];
        val_label(fw, o, label, sizeof label);
        if (prev->value != 0)
            snprintf(pct, sizeof pct, "%+.0f%%", change / fabs(prev->value) * 100.0);
        else
            snprintf(pct, sizeof pct, "from zero");
        val_add(R, ri, o->period, val_series_id(fw, o->series), o->disagg, o,
                val_mine(R, o) || val_mine(R, prev),
                "%s changed from %.15g in %s to %.15g in %s (%s; the rule allows %.15g%%)", label,
                prev->value, prev->period, o->value, o->period, pct, rule->max_change_percent);
    }
}

static int val_group_cmp(const void *a, const void *b)
{
    const val_obs *x = *(const val_obs *const *)a, *y = *(const val_obs *const *)b;
    int c = strcmp(x->period, y->period);
    if (!c)
        c = strcmp(x->disagg, y->disagg);
    if (!c)
        c = x->series < y->series ? -1 : x->series > y->series;
    return c;
}

/* Evaluates e over one group; *missing / *present count the variables. NAN when it cannot be
 * computed (a division by zero). */
static double val_eval(const val_expr *e, val_obs *const *group, size_t n, int zero_missing,
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

static int val_uses(const val_expr *e, val_obs *const *group, size_t n)
{
    for (size_t k = 0; k < e->n; k++)
        if (e->code[k].op == VAL_X_VAR)
            for (size_t g = 0; g < n; g++)
                if (group[g]->series == e->code[k].var)
                    return 1;
    return 0;
}

static int val_mine_in(const val_run *R, const val_expr *e, val_obs *const *group, size_t n)
{
    for (size_t k = 0; k < e->n; k++)
        if (e->code[k].op == VAL_X_VAR)
            for (size_t g = 0; g < n; g++)
                if (group[g]->series == e->code[k].var && val_mine(R, group[g]))
                    return 1;
    return 0;
}

static const char *val_op_text(val_op op)
{
    return VAL_OP_NAMES[op][0];
}

static void val_side(char *out, size_t size, const val_expr *e, double v)
{
    if (e->is_number)
        snprintf(out, size, "%.15g", v);
    else
        snprintf(out, size, "%s = %.15g", e->text, v);
}

static void val_compare_group(val_run *R, size_t ri, val_obs *const *group, size_t n)
{
    const val_rule *rule = &R->rules->rules[ri];
    const acv_framework *fw = R->rules->fw;
    int uses_l = val_uses(&rule->left, group, n), uses_r = val_uses(&rule->right, group, n);
    if (!uses_l && !uses_r && rule->missing != VAL_NEVER_SKIP)
        return; /* nothing on either side for this period */
    const val_obs *first = NULL;
    int mine = val_mine_in(R, &rule->left, group, n) || val_mine_in(R, &rule->right, group, n);
    /* "Description: " before the values, when the rule has one */
    char what[300] = "";
    if (rule->description)
        snprintf(what, sizeof what, "%s: ", rule->description);
    const char *period = group[0]->period, *disagg = group[0]->disagg;
    if (rule->op == VAL_COMPULSORY_PAIR || rule->op == VAL_EXCLUSIVE_PAIR) {
        int ml = 0, pl = 0, mr = 0, pr = 0;
        val_eval(&rule->left, group, n, 1, &ml, &pl, &first);
        val_eval(&rule->right, group, n, 1, &mr, &pr, &first);
        int has_l = pl > 0, has_r = pr > 0;
        if (rule->op == VAL_COMPULSORY_PAIR && has_l != has_r)
            val_add(R, ri, period, val_series_id(fw, first->series), disagg, first, mine,
                    "%s%s has a value but %s has none (they go together)", what,
                    has_l ? rule->left.text : rule->right.text,
                    has_l ? rule->right.text : rule->left.text);
        else if (rule->op == VAL_EXCLUSIVE_PAIR && has_l && has_r)
            val_add(R, ri, period, val_series_id(fw, first->series), disagg, first, mine,
                    "%s%s and %s both have values (only one may)", what, rule->left.text,
                    rule->right.text);
        return;
    }
    int missing = 0, present = 0;
    int zero = rule->missing != VAL_SKIP_IF_ANY_MISSING;
    double l = val_eval(&rule->left, group, n, zero, &missing, &present, &first);
    double r = val_eval(&rule->right, group, n, zero, &missing, &present, &first);
    if (rule->missing == VAL_SKIP_IF_ANY_MISSING && missing > 0)
        return;
    if (rule->missing == VAL_SKIP_IF_ALL_MISSING && present == 0)
        return;
    if (isnan(l) || isnan(r))
        return;
    double eps = 1e-9 * fmax(1.0, fmax(fabs(l), fabs(r)));
    int ok;
    switch (rule->op) {
    case VAL_EQ:
        ok = fabs(l - r) <= eps;
        break;
    case VAL_NE:
        ok = fabs(l - r) > eps;
        break;
    case VAL_LT:
        ok = l < r - eps;
        break;
    case VAL_LE:
        ok = l <= r + eps;
        break;
    case VAL_GT:
        ok = l > r + eps;
        break;
    case VAL_GE:
        ok = l >= r - eps;
        break;
    default:
        ok = 1;
    }
    if (ok)
        return;
    char ls[300], rs[300];
    val_side(ls, sizeof ls, &rule->left, l);
    val_side(rs, sizeof rs, &rule->right, r);
    val_add(R, ri, period, first ? val_series_id(fw, first->series) : "", disagg, first, mine,
            "%s%s is not %s %s", what, ls, val_op_text(rule->op), rs);
}

static void val_compare(val_run *R, val_obs **sorted)
{
    for (size_t start = 0; start < R->n_obs;) {
        size_t end = start + 1;
        while (end < R->n_obs && strcmp(sorted[end]->period, sorted[start]->period) == 0 &&
               strcmp(sorted[end]->disagg, sorted[start]->disagg) == 0)
            end++;
        for (size_t ri = 0; ri < R->rules->n; ri++)
            if (R->rules->rules[ri].kind == ACV_RULE_COMPARE)
                val_compare_group(R, ri, sorted + start, end - start);
        start = end;
    }
}

/* ---- Lua rules ------------------------------------------------------------------------------- */

typedef struct {
    val_run *R;
    size_t rule;
} val_lua_state;

static int val_lua_violation(void *ud, const char *indicator, const char *period,
                             const char *message)
{
    val_lua_state *ls = ud;
    val_run *R = ls->R;
    const val_obs *where = NULL;
    int any_mine = 0;
    long s = indicator && *indicator ? val_find_series(R->rules->fw, indicator) : -1;
    for (size_t i = 0; i < R->n_obs; i++) {
        const val_obs *o = &R->obs[i];
        if (period && *period && strcmp(o->period, period) != 0)
            continue;
        if (val_mine(R, o))
            any_mine = 1;
        if (!where && s >= 0 && o->series == (size_t)s && !o->disagg[0])
            where = o;
    }
    int mine = where ? val_mine(R, where) : any_mine || !(period && *period);
    val_add(R, ls->rule, period, indicator, "", where, mine, "%s", message ? message : "");
    return R->oom;
}

static acv_status val_open_lua(val_run *R, acv_error *err)
{
    acv_ctx *ctx = R->ctx;
    if (ctx->lua) {
        R->lua = ctx->lua;
        return ACV_OK;
    }
    acv_status st = acv_ctx_new_lua(ctx, &R->lua, err);
    if (st != ACV_OK)
        return st;
    R->own_lua = 1;
    return ACV_OK;
}

static acv_status val_lua(val_run *R, const acv_area *area, acv_error *err)
{
    const acv_framework *fw = R->rules->fw;
    size_t n_series = R->rules->n_series;
    acv_point *points = calloc(R->n_obs + 1, sizeof *points);
    acv_series *series = calloc(n_series + 1, sizeof *series);
    acv_status st = ACV_OK;
    if (!points || !series)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    /* totals, grouped by series in period order (the order they arrived in) */
    size_t np = 0;
    int latest = 0;
    for (size_t i = 0; st == ACV_OK && i < R->n_obs; i++) {
        const val_obs *o = &R->obs[i];
        if (o->disagg[0])
            continue;
        acv_point *p = &points[np];
        snprintf(p->period, sizeof p->period, "%s", o->period);
        p->year = o->year;
        p->value = o->value;
        if (!series[o->series].points)
            series[o->series].points = p;
        series[o->series].n++;
        np++;
        if (o->year > latest)
            latest = o->year;
    }
    acv_area_input in = {.code = area->code,
                         .name = area->name,
                         .level = area->level,
                         .country = area->country,
                         .has_population = area->has_population,
                         .population = area->population,
                         .year = latest,
                         .indicators = series,
                         .data_elements = series + fw->n_indicators};
    for (size_t ri = 0; st == ACV_OK && ri < R->rules->n; ri++) {
        const val_rule *rule = &R->rules->rules[ri];
        if (rule->kind != ACV_RULE_LUA)
            continue;
        if (!R->lua && (st = val_open_lua(R, err)) != ACV_OK)
            break;
        val_lua_state ls = {R, ri};
        st = acv_bridge_validate(R->lua, fw, rule->module, &in, val_lua_violation, &ls, err);
        if (st != ACV_OK)
            acv_error_prefix(err, "rule '%s' (%s:%d)", rule->id, rule->file, rule->line);
    }
    free(points);
    free(series);
    return st;
}

/* ---- one area -------------------------------------------------------------------------------- */

static int val_found_cmp(const void *a, const void *b)
{
    const val_found *x = a, *y = b;
    int c = strcmp(x->period, y->period);
    if (!c)
        c = x->rule < y->rule ? -1 : x->rule > y->rule;
    if (!c)
        c = strcmp(x->indicator, y->indicator);
    if (!c)
        c = strcmp(x->disagg, y->disagg);
    return c;
}

static int val_involves(const val_rule *rule, const acv_framework *fw, const val_found *v,
                        const char *indicator)
{
    if (strcmp(v->indicator, indicator) == 0)
        return 1;
    if (rule->kind != ACV_RULE_COMPARE)
        return 0;
    const val_expr *sides[2] = {&rule->left, &rule->right};
    for (int s = 0; s < 2; s++)
        for (size_t k = 0; k < sides[s]->n; k++)
            if (sides[s]->code[k].op == VAL_X_VAR &&
                strcmp(val_series_id(fw, sides[s]->code[k].var), indicator) == 0)
                return 1;
    return 0;
}

static acv_status val_area(val_run *R, const acv_area *area,
                           int (*fn)(void *ud, const acv_violation *v), void *ud, int *stop,
                           acv_error *err)
{
    acv_arena_free(&R->arena);
    R->n_obs = 0;
    R->n_found = 0;
    acv_obs_filter f = {.area_id = area->id};
    acv_status st = acv_store_each_observation(R->ctx->store, &f, val_collect, R, err);
    if (st == ACV_OK && R->oom)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory validating %s", area->code);
    if (st != ACV_OK)
        return st;
    const acv_rules *rules = R->rules;
    int has_compare = 0, has_lua = 0;
    for (size_t ri = 0; ri < rules->n; ri++) {
        switch (rules->rules[ri].kind) {
        case ACV_RULE_RANGE:
            val_range(R, ri);
            break;
        case ACV_RULE_JUMP:
            val_jump(R, ri);
            break;
        case ACV_RULE_COMPARE:
            has_compare = 1;
            break;
        case ACV_RULE_LUA:
            has_lua = 1;
            break;
        }
    }
    if (has_compare && R->n_obs) {
        val_obs **sorted = malloc(R->n_obs * sizeof *sorted);
        if (!sorted)
            return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
        for (size_t i = 0; i < R->n_obs; i++)
            sorted[i] = &R->obs[i];
        qsort(sorted, R->n_obs, sizeof *sorted, val_group_cmp);
        val_compare(R, sorted);
        free(sorted);
    }
    if (has_lua && R->n_obs && (st = val_lua(R, area, err)) != ACV_OK)
        return st;
    if (R->oom)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory validating %s", area->code);
    if (R->sum) {
        R->sum->areas++;
        R->sum->observations += (long)R->n_obs;
    }
    if (R->n_found > 1)
        qsort(R->found, R->n_found, sizeof *R->found, val_found_cmp);
    const acv_validate_filter *flt = R->f;
    for (size_t i = 0; i < R->n_found && !*stop; i++) {
        const val_found *v = &R->found[i];
        const val_rule *rule = &rules->rules[v->rule];
        if (flt && flt->year && atoi(v->period) != flt->year)
            continue;
        if (flt && flt->import_id && !v->from_import)
            continue;
        if (flt && flt->indicator && !val_involves(rule, rules->fw, v, flt->indicator))
            continue;
        acv_violation out = {.rule = rule->id,
                             .kind = rule->kind,
                             .importance = rule->importance,
                             .area = area->code,
                             .period = v->period,
                             .indicator = v->indicator,
                             .disaggregation = v->disagg,
                             .message = v->message,
                             .file = v->file,
                             .line = v->line,
                             .from_import = v->from_import};
        if (R->sum) {
            R->sum->violations++;
            R->sum->by_importance[rule->importance]++;
        }
        if (fn && fn(ud, &out))
            *stop = 1;
    }
    return ACV_OK;
}

typedef struct {
    val_run *R;
    int (*fn)(void *ud, const acv_violation *v);
    void *ud;
    int stop;
    acv_status st;
    acv_error *err;
} val_each_state;

static int val_each_area(void *ud, const acv_area *a)
{
    val_each_state *s = ud;
    /* the area's strings stay valid: validating an area calls no store getter */
    s->st = val_area(s->R, a, s->fn, s->ud, &s->stop, s->err);
    return s->st != ACV_OK || s->stop;
}

acv_status acv_validate(acv_ctx *ctx, const acv_rules *rules, const acv_validate_filter *f,
                        int (*fn)(void *ud, const acv_violation *v), void *ud,
                        acv_validate_summary *sum, acv_error *err)
{
    if (sum) {
        memset(sum, 0, sizeof *sum);
        sum->rules = (long)rules->n;
    }
    val_run R = {.ctx = ctx, .rules = rules, .f = f, .sum = sum};
    R.n_index = rules->n_series;
    R.index = malloc((R.n_index + 1) * sizeof *R.index);
    if (!R.index)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    for (size_t s = 0; s < R.n_index; s++)
        R.index[s] = (val_code_index){val_series_id(rules->fw, s), s};
    qsort(R.index, R.n_index, sizeof *R.index, val_index_cmp);
    acv_status st = ACV_OK;
    int stop = 0;
    if (f && f->areas) {
        for (size_t i = 0; i < f->n_areas && st == ACV_OK && !stop; i++) {
            acv_area a;
            st = acv_store_get_area(ctx->store, f->areas[i], &a, err);
            if (st != ACV_OK)
                break;
            st = val_area(&R, &a, fn, ud, &stop, err);
        }
    } else {
        val_each_state s = {.R = &R, .fn = fn, .ud = ud, .st = ACV_OK, .err = err};
        st = acv_store_each_area(ctx->store, val_each_area, &s, err);
        if (st == ACV_OK)
            st = s.st;
    }
    if (R.own_lua)
        acv_lua_free(R.lua);
    free(R.index);
    free(R.obs);
    free(R.found);
    acv_arena_free(&R.arena);
    return st;
}

void acv_violation_format(const acv_violation *v, acv_buf *out)
{
    acv_buf_printf(out, "%-6s  %-20s  %-6s  %s: %s", acv_importance_name(v->importance), v->area,
                   v->period[0] ? v->period : "-", v->rule, v->message);
    if (v->file)
        acv_buf_printf(out, " (%s:%ld)", v->file, v->line);
    acv_buf_puts(out, "\n");
}

/* ---- completeness -----------------------------------------------------------------------------
 */

typedef struct {
    val_code_index *index;
    size_t n_index;
    int from, years;
    unsigned char *seen; /* n_series x years: a value for that year */
    double *value;       /* n_series x years */
} val_completeness_state;

static int val_completeness_row(void *ud, const acv_obs_record *r)
{
    val_completeness_state *s = ud;
    val_code_index key = {r->indicator, 0};
    val_code_index *hit = bsearch(&key, s->index, s->n_index, sizeof key, val_index_cmp);
    acv_period p;
    if (!hit || !acv_period_parse(r->period, &p) || p.year < s->from ||
        p.year >= s->from + s->years)
        return 0;
    size_t k = hit->series * (size_t)s->years + (size_t)(p.year - s->from);
    s->seen[k] = 1;
    s->value[k] = r->value;
    return 0;
}

void acv_completeness_free(acv_completeness *c)
{
    if (!c)
        return;
    free(c->pillars);
    free(c->action_areas);
    free(c->has_value);
    memset(c, 0, sizeof *c);
}

acv_status acv_completeness_compute(acv_ctx *ctx, const char *area, int year, int years,
                                    acv_completeness *out, acv_error *err)
{
    memset(out, 0, sizeof *out);
    const acv_framework *fw = ctx->fw;
    acv_area a;
    acv_status st = acv_store_get_area(ctx->store, area, &a, err);
    if (st != ACV_OK)
        return st;
    int64_t area_id = a.id;
    if (year <= 0)
        year = acv_store_latest_year(ctx->store, area_id);
    if (year <= 0) {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        year = tm.tm_year + 1900;
    }
    if (years <= 0)
        years = fw->scoring.carry_forward_years > 0 ? fw->scoring.carry_forward_years : 3;
    if (years > 100)
        years = 100;
    out->to_year = year;
    out->from_year = year - years + 1;
    size_t n_series = fw->n_indicators + fw->n_data_elements;
    val_completeness_state s = {.from = out->from_year, .years = years, .n_index = n_series};
    s.index = malloc((n_series + 1) * sizeof *s.index);
    s.seen = calloc(n_series * (size_t)years + 1, 1);
    s.value = calloc(n_series * (size_t)years + 1, sizeof *s.value);
    out->pillars = calloc(fw->n_pillars + 1, sizeof *out->pillars);
    out->action_areas = calloc(fw->n_action_areas + 1, sizeof *out->action_areas);
    out->has_value = calloc(fw->n_indicators + 1, 1);
    if (!s.index || !s.seen || !s.value || !out->pillars || !out->action_areas || !out->has_value)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    if (st == ACV_OK) {
        for (size_t i = 0; i < n_series; i++)
            s.index[i] = (val_code_index){val_series_id(fw, i), i};
        qsort(s.index, n_series, sizeof *s.index, val_index_cmp);
        acv_obs_filter f = {.area_id = area_id,
                            .min_year = out->from_year,
                            .max_year = out->to_year,
                            .totals_only = 1};
        st = acv_store_each_observation(ctx->store, &f, val_completeness_row, &s, err);
    }
    for (size_t i = 0; st == ACV_OK && i < fw->n_indicators; i++) {
        const acv_indicator *ind = &fw->indicators[i];
        int has = 0;
        for (int y = 0; y < years && !has; y++)
            has = s.seen[i * (size_t)years + (size_t)y];
        if (!has && ind->has_formula) {
            long num = val_find_series(fw, ind->numerator);
            long den = val_find_series(fw, ind->denominator);
            for (int y = 0; y < years && !has && num >= 0 && den >= 0; y++) {
                size_t kn = (size_t)num * (size_t)years + (size_t)y;
                size_t kd = (size_t)den * (size_t)years + (size_t)y;
                has = s.seen[kn] && s.seen[kd] && s.value[kd] != 0;
            }
        }
        out->has_value[i] = (unsigned char)has;
        if (!ind->core || ind->not_applicable)
            continue;
        size_t aa = ind->action_area, p = fw->action_areas[aa].pillar;
        out->overall.core++;
        out->pillars[p].core++;
        out->action_areas[aa].core++;
        if (has) {
            out->overall.with_value++;
            out->pillars[p].with_value++;
            out->action_areas[aa].with_value++;
        }
    }
    free(s.index);
    free(s.seen);
    free(s.value);
    if (st != ACV_OK)
        acv_completeness_free(out);
    return st;
}

/* "  2 of   5   40.0%  Name" and a newline */
static void val_share_text(acv_buf *out, const acv_share *s, const char *name)
{
    if (s->core == 0)
        acv_buf_printf(out, "%3zu of %3zu       -", s->with_value, s->core);
    else
        acv_buf_printf(out, "%3zu of %3zu  %5.1f%%", s->with_value, s->core,
                       100.0 * (double)s->with_value / (double)s->core);
    if (name)
        acv_buf_printf(out, "  %s", name);
    acv_buf_puts(out, "\n");
}

typedef struct {
    long by_importance[3];
} val_status_count;

static int val_status_violation(void *ud, const acv_violation *v)
{
    val_status_count *c = ud;
    c->by_importance[v->importance]++;
    return 0;
}

acv_status acv_status_text(acv_ctx *ctx, const char *area, int year, int years, acv_buf *out,
                           acv_error *err)
{
    const acv_framework *fw = ctx->fw;
    acv_area a;
    acv_status st = acv_store_get_area(ctx->store, area, &a, err);
    if (st != ACV_OK)
        return st;
    acv_buf_printf(out, "%s: %s (%s%s%s)\n", a.code, a.name, a.level, a.country ? ", " : "",
                   a.country ? a.country : "");
    int64_t area_id = a.id;
    acv_area_data_summary d;
    st = acv_store_area_data_summary(ctx->store, area_id, &d, err);
    if (st != ACV_OK)
        return st;
    if (d.observations == 0) {
        acv_buf_puts(out, "observations: none yet (import them with 'acvtrack import')\n");
    } else {
        acv_buf_printf(out, "observations: %lld, %d-%d", d.observations, d.first_year, d.last_year);
        const char *names[] = {"provisional", "final", "estimated", "imputed", "without status"};
        long long counts[] = {d.provisional, d.final, d.estimated, d.imputed, d.no_status};
        const char *sep = " (";
        for (int i = 0; i < 5; i++)
            if (counts[i]) {
                acv_buf_printf(out, "%s%lld %s", sep, counts[i], names[i]);
                sep = ", ";
            }
        acv_buf_printf(out, "%s; %lld earlier version%s kept\n", sep[0] == ',' ? ")" : "",
                       d.revisions, d.revisions == 1 ? "" : "s");
        acv_buf_printf(out, "last import: %lld (%s, %s)\n", (long long)d.last_import_id,
                       d.last_import_file, d.last_import_at);
    }

    acv_completeness c;
    st = acv_completeness_compute(ctx, area, year, years, &c, err);
    if (st != ACV_OK)
        return st;
    acv_buf_printf(out, "completeness: core indicators with a value in %d-%d\n", c.from_year,
                   c.to_year);
    int w = 7; /* "overall" */
    for (size_t p = 0; p < fw->n_pillars; p++)
        if ((int)strlen(fw->pillars[p].id) > w)
            w = (int)strlen(fw->pillars[p].id);
    for (size_t aa = 0; aa < fw->n_action_areas; aa++)
        if ((int)strlen(fw->action_areas[aa].id) + 2 > w)
            w = (int)strlen(fw->action_areas[aa].id) + 2;
    acv_buf_printf(out, "  %-*s  ", w, "overall");
    val_share_text(out, &c.overall, NULL);
    for (size_t p = 0; p < fw->n_pillars; p++) {
        acv_buf_printf(out, "  %-*s  ", w, fw->pillars[p].id);
        val_share_text(out, &c.pillars[p], fw->pillars[p].name);
        for (size_t aa = 0; aa < fw->n_action_areas; aa++) {
            if (fw->action_areas[aa].pillar != p)
                continue;
            acv_buf_printf(out, "    %-*s  ", w - 2, fw->action_areas[aa].id);
            val_share_text(out, &c.action_areas[aa], fw->action_areas[aa].name);
        }
    }
    int any_missing = 0;
    for (size_t i = 0; i < fw->n_indicators; i++) {
        const acv_indicator *ind = &fw->indicators[i];
        if (!ind->core || ind->not_applicable || c.has_value[i])
            continue;
        acv_buf_printf(out, "%s%s",
                       any_missing ? ", " : "core indicators without a value: ", ind->id);
        any_missing = 1;
    }
    if (any_missing)
        acv_buf_puts(out, "\n");
    acv_completeness_free(&c);

    /* validation, when there are rules */
    acv_rules *rules = NULL;
    acv_error rerr;
    acv_error_clear(&rerr);
    if (acv_rules_load_ctx(ctx, &rules, &rerr) != ACV_OK) {
        acv_buf_printf(out, "validation: the rules do not load (run 'acvtrack validate')\n");
    } else if (acv_rules_count(rules) > 0) {
        const char *codes[1] = {area};
        acv_validate_filter f = {.areas = codes, .n_areas = 1};
        val_status_count count = {{0, 0, 0}};
        if (acv_validate(ctx, rules, &f, val_status_violation, &count, NULL, &rerr) != ACV_OK)
            acv_buf_printf(out, "validation: not run: %s\n", rerr.message);
        else
            acv_buf_printf(out,
                           "validation: %ld high, %ld medium, %ld low (details: acvtrack "
                           "validate --area %s)\n",
                           count.by_importance[ACV_IMPORTANCE_HIGH],
                           count.by_importance[ACV_IMPORTANCE_MEDIUM],
                           count.by_importance[ACV_IMPORTANCE_LOW], area);
    }
    acv_rules_free(rules);
    if (out->failed)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    return ACV_OK;
}
