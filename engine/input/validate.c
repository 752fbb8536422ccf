/* validate.c — running validation rules over stored observations, one area at a time, and
 * reporting violations; see validate.h. The rules come compiled from validate_rules.c; Lua rules
 * run through the binding layer (acv_bridge_validate in engine/lua), the only place besides the
 * sandbox that may touch Lua. */
#include "validate_internal.h"
#include "luabridge.h"
#include "results.h"
#include "values.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- evaluation ----------------------------------------------------------------------------- */

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
    acv_val_code *index; /* sorted by code */
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

static long val_lookup(val_run *R, const char *code)
{
    if (R->last_code && strcmp(R->last_code, code) == 0)
        return R->last_series;
    R->last_series = acv_val_index_find(R->index, R->n_index, code);
    R->last_code =
        R->last_series >= 0 ? acv_val_series_id(R->rules->fw, (size_t)R->last_series) : NULL;
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
    if (ACV_GROW(R->obs, R->cap_obs, R->n_obs, 256) != 0) {
        R->oom = 1;
        return 1;
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
    if (ACV_GROW(R->found, R->cap_found, R->n_found, 32) != 0) {
        R->oom = 1;
        return;
    }
    char msg[1024];
    ACV_VFORMAT(msg, sizeof msg, fmt);
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
        snprintf(out, size, "%s [%s]", acv_val_series_id(fw, o->series), o->disagg);
    else
        snprintf(out, size, "%s", acv_val_series_id(fw, o->series));
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
            val_add(R, ri, o->period, acv_val_series_id(fw, o->series), o->disagg, o,
                    val_mine(R, o), "%s = %.15g is below the minimum %.15g", label, o->value,
                    rule->min);
        else if (rule->has_max && o->value > rule->max)
            val_add(R, ri, o->period, acv_val_series_id(fw, o->series), o->disagg, o,
                    val_mine(R, o), "%s = %.15g is above the maximum %.15g", label, o->value,
                    rule->max);
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
        val_add(R, ri, o->period, acv_val_series_id(fw, o->series), o->disagg, o,
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

static int val_mine_in(const val_run *R, const val_expr *e, val_obs *const *group, size_t n)
{
    for (size_t k = 0; k < e->n; k++)
        if (e->code[k].op == VAL_X_VAR)
            for (size_t g = 0; g < n; g++)
                if (group[g]->series == e->code[k].var && val_mine(R, group[g]))
                    return 1;
    return 0;
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
    int uses_l = acv_val_expr_uses(&rule->left, group, n),
        uses_r = acv_val_expr_uses(&rule->right, group, n);
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
        acv_val_expr_eval(&rule->left, group, n, 1, &ml, &pl, &first);
        acv_val_expr_eval(&rule->right, group, n, 1, &mr, &pr, &first);
        int has_l = pl > 0, has_r = pr > 0;
        if (rule->op == VAL_COMPULSORY_PAIR && has_l != has_r)
            val_add(R, ri, period, acv_val_series_id(fw, first->series), disagg, first, mine,
                    "%s%s has a value but %s has none (they go together)", what,
                    has_l ? rule->left.text : rule->right.text,
                    has_l ? rule->right.text : rule->left.text);
        else if (rule->op == VAL_EXCLUSIVE_PAIR && has_l && has_r)
            val_add(R, ri, period, acv_val_series_id(fw, first->series), disagg, first, mine,
                    "%s%s and %s both have values (only one may)", what, rule->left.text,
                    rule->right.text);
        return;
    }
    int missing = 0, present = 0;
    int zero = rule->missing != VAL_SKIP_IF_ANY_MISSING;
    double l = acv_val_expr_eval(&rule->left, group, n, zero, &missing, &present, &first);
    double r = acv_val_expr_eval(&rule->right, group, n, zero, &missing, &present, &first);
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
    val_add(R, ri, period, first ? acv_val_series_id(fw, first->series) : "", disagg, first, mine,
            "%s%s is not %s %s", what, ls, acv_val_op_text(rule->op), rs);
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
    long s = indicator && *indicator ? acv_val_find_series(R->rules->fw, indicator) : -1;
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
                strcmp(acv_val_series_id(fw, sides[s]->code[k].var), indicator) == 0)
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
    R.index = acv_val_index_new(rules->fw, &R.n_index);
    if (!R.index)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
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
