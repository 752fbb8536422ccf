/* validate_rules.c — the strict loader of validation rules (indicators/validation/NAME.yml of the
 * framework and the overlay) into compiled rules; see validate.h and validate_internal.h. */
#include "validate_internal.h"
#include "overlay.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Problems shown when rules do not load; the rest are counted. */
#define VAL_MAX_PROBLEMS 20

/* Names the rules file uses for importance, indexed by acv_importance. */
static const char *const IMPORTANCE_NAMES[] = {[ACV_IMPORTANCE_LOW] = "low",
                                               [ACV_IMPORTANCE_MEDIUM] = "medium",
                                               [ACV_IMPORTANCE_HIGH] = "high"};
#define N_IMPORTANCE (sizeof IMPORTANCE_NAMES / sizeof *IMPORTANCE_NAMES)

const char *acv_importance_name(acv_importance i)
{
    return acv_name_of(IMPORTANCE_NAMES, N_IMPORTANCE, (int)i, "?");
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

static const char *const VAL_OP_NAMES[][2] = {
    {"==", "equal_to"},      {"!=", "not_equal_to"},
    {"<", "less_than"},      {"<=", "less_than_or_equal_to"},
    {">", "greater_than"},   {">=", "greater_than_or_equal_to"},
    {"compulsory_pair", ""}, {"exclusive_pair", ""},
};

const char *acv_val_op_text(val_op op)
{
    return VAL_OP_NAMES[op][0];
}

size_t acv_rules_count(const acv_rules *r)
{
    return r ? r->n : 0;
}

int acv_rules_physical_range(const acv_rules *r, const char *code, acv_physical_range *out)
{
    memset(out, 0, sizeof *out);
    long series = r ? acv_val_find_series(r->fw, code) : -1;
    if (series < 0)
        return 0;
    for (size_t i = 0; i < r->n; i++) {
        const val_rule *rule = &r->rules[i];
        if (rule->kind != ACV_RULE_RANGE || !rule->physical || !rule->applies ||
            !rule->applies[series])
            continue;
        /* several rules narrow the range: the highest minimum, the lowest maximum */
        if (rule->has_min && (!out->has_min || rule->min > out->min)) {
            out->has_min = 1;
            out->min = rule->min;
            out->rule = rule->id;
        }
        if (rule->has_max && (!out->has_max || rule->max < out->max)) {
            out->has_max = 1;
            out->max = rule->max;
            out->rule = rule->id;
        }
    }
    return out->has_min || out->has_max;
}

void acv_rules_free(acv_rules *r)
{
    if (!r)
        return;
    free(r->rules);
    acv_arena_free(&r->arena);
    free(r);
}

const char *acv_val_series_id(const acv_framework *fw, size_t s)
{
    return s < fw->n_indicators ? fw->indicators[s].id : fw->data_elements[s - fw->n_indicators].id;
}

const char *acv_val_series_unit(const acv_framework *fw, size_t s)
{
    return s < fw->n_indicators ? fw->indicators[s].unit
                                : fw->data_elements[s - fw->n_indicators].unit;
}

long acv_val_find_series(const acv_framework *fw, const char *id)
{
    long i = acv_framework_find_indicator(fw, id);
    if (i >= 0)
        return i;
    for (size_t d = 0; d < fw->n_data_elements; d++)
        if (strcmp(fw->data_elements[d].id, id) == 0)
            return (long)(fw->n_indicators + d);
    return -1;
}

static int val_code_cmp(const void *a, const void *b)
{
    return strcmp(((const acv_val_code *)a)->code, ((const acv_val_code *)b)->code);
}

acv_val_code *acv_val_index_new(const acv_framework *fw, size_t *n)
{
    *n = fw->n_indicators + fw->n_data_elements;
    acv_val_code *index = malloc((*n + 1) * sizeof *index);
    if (!index)
        return NULL;
    for (size_t s = 0; s < *n; s++)
        index[s] = (acv_val_code){acv_val_series_id(fw, s), s};
    qsort(index, *n, sizeof *index, val_code_cmp);
    return index;
}

long acv_val_index_find(const acv_val_code *index, size_t n, const char *code)
{
    acv_val_code key = {code, 0};
    const acv_val_code *hit = bsearch(&key, index, n, sizeof key, val_code_cmp);
    return hit ? (long)hit->series : -1;
}

/* Keys every rule may have. */
#define VAL_COMMON_KEYS "id", "kind", "description", "importance"

typedef struct {
    acv_rules *r;
    size_t dir;
    acv_ys S; /* S.file: the rule file being read */
} val_loader;

static const char *val_strdup(val_loader *L, const char *s)
{
    const char *c = acv_arena_strdup(&L->r->arena, s);
    if (!c && s)
        L->S.oom = 1;
    return c;
}

/* Present with a value: `min:` alone is no bound. */
static int val_has(const yt_node *m, const char *key)
{
    const yt_node *v = yt_map_get(m, key);
    return v && !acv_ys_is_null(v);
}

/* Sets rule->applies to value for every indicator or data element id listed in ids. */
static void val_mark_ids(val_loader *L, val_rule *rule, const yt_node *ids, unsigned char value,
                         const char *ctx)
{
    for (size_t i = 0; i < ids->count; i++) {
        const yt_node *it = ids->items[i];
        long s = it->kind == YT_SCALAR ? acv_val_find_series(L->r->fw, it->str) : -1;
        if (s < 0)
            acv_ys_problem(&L->S, it, "unknown indicator or data element '%s' in %s",
                           it->kind == YT_SCALAR ? it->str : "?", ctx);
        else
            rule->applies[s] = value;
    }
}

/* indicators (a list of ids, or `all`), units and exclude: which series a rule applies to. */
static void val_selector(val_loader *L, val_rule *rule, const yt_node *m, const char *ctx)
{
    const acv_framework *fw = L->r->fw;
    rule->applies = acv_arena_alloc(&L->r->arena, L->r->n_series + 1);
    if (!rule->applies) {
        L->S.oom = 1;
        return;
    }
    const yt_node *inds = yt_map_get(m, "indicators");
    const yt_node *units = yt_map_get(m, "units");
    const yt_node *excl = yt_map_get(m, "exclude");
    if (!inds && !units) {
        acv_ys_problem(&L->S, m, "%s needs 'indicators' (a list of ids, or all) or 'units'", ctx);
        return;
    }
    if (inds && inds->kind == YT_SCALAR && strcmp(inds->str, "all") == 0) {
        memset(rule->applies, 1, L->r->n_series);
    } else if (inds && inds->kind == YT_SEQ) {
        val_mark_ids(L, rule, inds, 1, ctx);
    } else if (inds) {
        acv_ys_problem(&L->S, inds, "'indicators' must be a list of ids, or all, in %s", ctx);
    }
    if (units && units->kind == YT_SEQ) {
        for (size_t i = 0; i < units->count; i++) {
            const yt_node *it = units->items[i];
            if (it->kind != YT_SCALAR) {
                acv_ys_problem(&L->S, it, "'units' must list units as text in %s", ctx);
                continue;
            }
            int any = 0;
            for (size_t s = 0; s < L->r->n_series; s++) {
                const char *u = acv_val_series_unit(fw, s);
                if (u && strcmp(u, it->str) == 0) {
                    rule->applies[s] = 1;
                    any = 1;
                }
            }
            if (!any)
                acv_ys_problem(&L->S, it, "no indicator or data element has the unit '%s' (in %s)",
                               it->str, ctx);
        }
    } else if (units) {
        acv_ys_problem(&L->S, units, "'units' must be a list in %s", ctx);
    }
    if (excl && excl->kind == YT_SEQ) {
        val_mark_ids(L, rule, excl, 0, ctx);
    } else if (excl) {
        acv_ys_problem(&L->S, excl, "'exclude' must be a list of ids in %s", ctx);
    }
}

static val_rule *val_new_rule(val_loader *L, const char *id, const yt_node *at)
{
    acv_rules *r = L->r;
    for (size_t i = 0; i < r->n; i++) {
        if (strcmp(r->rules[i].id, id) != 0)
            continue;
        if (r->rules[i].dir == L->dir) {
            acv_ys_problem(&L->S, at, "rule '%s' is defined twice (also at %s:%d)", id,
                           r->rules[i].file, r->rules[i].line);
            return NULL;
        }
        /* an overlay's rule replaces the framework's rule of the same id */
        memset(&r->rules[i], 0, sizeof r->rules[i]);
        return &r->rules[i];
    }
    if (ACV_GROW(r->rules, r->cap, r->n, 32) != 0) {
        L->S.oom = 1;
        return NULL;
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
        acv_ys_problem(&L->S, m, "%s must be a mapping with id, kind and importance", ctx);
        return;
    }
    const yt_node *idn = acv_ys_scalar(&L->S, m, "id", ACV_YS_REQUIRED, ctx);
    const yt_node *kindn = acv_ys_scalar(&L->S, m, "kind", ACV_YS_REQUIRED, ctx);
    if (!idn || !kindn)
        return;
    snprintf(ctx, sizeof ctx, "rule '%s'", idn->str);
    static const char *const kinds[] = {"range", "compare", "jump", "lua"};
    int kind = -1;
    for (int k = 0; k < 4; k++)
        if (strcmp(kindn->str, kinds[k]) == 0)
            kind = k;
    if (kind < 0) {
        acv_ys_problem(&L->S, kindn,
                       "unknown kind '%s' in %s (expected range, compare, jump or lua)", kindn->str,
                       ctx);
        return;
    }
    acv_importance importance = ACV_IMPORTANCE_MEDIUM;
    const yt_node *imp = acv_ys_scalar(&L->S, m, "importance", ACV_YS_OPTIONAL, ctx);
    if (imp) {
        int named = acv_name_index(IMPORTANCE_NAMES, N_IMPORTANCE, imp->str);
        if (named >= 0)
            importance = (acv_importance)named;
        else
            acv_ys_problem(&L->S, imp, "importance '%s' in %s is not high, medium or low", imp->str,
                           ctx);
    }
    val_rule *rule = val_new_rule(L, idn->str, idn);
    if (!rule)
        return;
    rule->id = val_strdup(L, idn->str);
    rule->kind = (acv_rule_kind)kind;
    rule->importance = importance;
    rule->file = val_strdup(L, L->S.file);
    rule->line = idn->line;
    rule->dir = L->dir;
    const yt_node *desc = acv_ys_scalar(&L->S, m, "description", ACV_YS_OPTIONAL, ctx);
    rule->description = desc ? val_strdup(L, desc->str) : NULL;
    switch (rule->kind) {
    case ACV_RULE_RANGE: {
        static const char *const keys[] = {VAL_COMMON_KEYS, "indicators", "units",    "exclude",
                                           "min",           "max",        "physical", NULL};
        acv_ys_check_keys(&L->S, m, keys, ctx);
        val_selector(L, rule, m, ctx);
        acv_ys_bool(&L->S, m, "physical", ACV_YS_OPTIONAL, &rule->physical, ctx);
        rule->has_min = acv_ys_number(&L->S, m, "min", ACV_YS_OPTIONAL, &rule->min, ctx);
        rule->has_max = acv_ys_number(&L->S, m, "max", ACV_YS_OPTIONAL, &rule->max, ctx);
        if (!rule->has_min && !rule->has_max && !val_has(m, "min") && !val_has(m, "max"))
            acv_ys_problem(&L->S, m, "%s needs 'min', 'max' or both", ctx);
        if (rule->has_min && rule->has_max && rule->min > rule->max)
            acv_ys_problem(&L->S, yt_map_get(m, "min"), "min %g is above max %g in %s", rule->min,
                           rule->max, ctx);
        break;
    }
    case ACV_RULE_COMPARE: {
        static const char *const keys[] = {VAL_COMMON_KEYS, "left",    "operator",
                                           "right",         "missing", NULL};
        acv_ys_check_keys(&L->S, m, keys, ctx);
        acv_val_expr_compile(&L->S, L->r->fw, &L->r->arena,
                             acv_ys_scalar(&L->S, m, "left", ACV_YS_REQUIRED, ctx), &rule->left,
                             ctx);
        acv_val_expr_compile(&L->S, L->r->fw, &L->r->arena,
                             acv_ys_scalar(&L->S, m, "right", ACV_YS_REQUIRED, ctx), &rule->right,
                             ctx);
        const yt_node *op = acv_ys_scalar(&L->S, m, "operator", ACV_YS_REQUIRED, ctx);
        if (op) {
            int found = -1;
            for (int o = 0; o < (int)(sizeof VAL_OP_NAMES / sizeof *VAL_OP_NAMES); o++)
                if (strcmp(op->str, VAL_OP_NAMES[o][0]) == 0 ||
                    (VAL_OP_NAMES[o][1][0] && strcmp(op->str, VAL_OP_NAMES[o][1]) == 0))
                    found = o;
            if (found < 0)
                acv_ys_problem(&L->S, op,
                               "unknown operator '%s' in %s (expected ==, !=, <, <=, >, >=, "
                               "compulsory_pair or exclusive_pair; quote '>' and '>=')",
                               op->str, ctx);
            else
                rule->op = (val_op)found;
        }
        const yt_node *miss = acv_ys_scalar(&L->S, m, "missing", ACV_YS_OPTIONAL, ctx);
        if (miss) {
            if (strcmp(miss->str, "skip_if_any_missing") == 0)
                rule->missing = VAL_SKIP_IF_ANY_MISSING;
            else if (strcmp(miss->str, "skip_if_all_missing") == 0)
                rule->missing = VAL_SKIP_IF_ALL_MISSING;
            else if (strcmp(miss->str, "never_skip") == 0)
                rule->missing = VAL_NEVER_SKIP;
            else
                acv_ys_problem(&L->S, miss,
                               "missing '%s' in %s is not skip_if_any_missing, "
                               "skip_if_all_missing or never_skip",
                               miss->str, ctx);
        }
        break;
    }
    case ACV_RULE_JUMP: {
        static const char *const keys[] = {
            VAL_COMMON_KEYS,      "indicators", "units",         "exclude",
            "max_change_percent", "min_change", "max_gap_years", NULL};
        acv_ys_check_keys(&L->S, m, keys, ctx);
        val_selector(L, rule, m, ctx);
        if (!acv_ys_number(&L->S, m, "max_change_percent", ACV_YS_OPTIONAL,
                           &rule->max_change_percent, ctx)) {
            if (!val_has(m, "max_change_percent"))
                acv_ys_problem(&L->S, m, "%s needs 'max_change_percent'", ctx);
        } else if (rule->max_change_percent <= 0) {
            acv_ys_problem(&L->S, yt_map_get(m, "max_change_percent"),
                           "'max_change_percent' must be above 0 in %s", ctx);
        }
        acv_ys_number(&L->S, m, "min_change", ACV_YS_OPTIONAL, &rule->min_change, ctx);
        double gap = 1;
        if (acv_ys_number(&L->S, m, "max_gap_years", ACV_YS_OPTIONAL, &gap, ctx) &&
            (gap < 1 || gap > 50 || gap != floor(gap)))
            acv_ys_problem(&L->S, yt_map_get(m, "max_gap_years"),
                           "'max_gap_years' must be a whole number from 1 to 50 in %s", ctx);
        rule->max_gap_years = (int)gap;
        break;
    }
    case ACV_RULE_LUA: {
        static const char *const keys[] = {VAL_COMMON_KEYS, "module", NULL};
        acv_ys_check_keys(&L->S, m, keys, ctx);
        const yt_node *mod = acv_ys_scalar(&L->S, m, "module", ACV_YS_REQUIRED, ctx);
        if (mod) {
            int ok = mod->len > 0;
            for (const char *p = mod->str; *p; p++)
                if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                      (*p >= '0' && *p <= '9') || *p == '_' || *p == '.'))
                    ok = 0;
            if (!ok)
                acv_ys_problem(&L->S, mod,
                               "module '%s' in %s is not a module name like "
                               "validation.population (scripts/validation/population.lua)",
                               mod->str, ctx);
            rule->module = val_strdup(L, mod->str);
        }
        break;
    }
    }
}

static void val_load_dir(val_loader *L, const char *dir, const char *display)
{
    acv_files files;
    acv_error lerr;
    acv_error_clear(&lerr);
    acv_status st = acv_files_yml(dir, display, &files, &lerr); /* a missing folder: no rules */
    if (st == ACV_ERR_NOMEM)
        L->S.oom = 1;
    else if (st != ACV_OK)
        acv_problems_add(L->S.problems, lerr.message);
    for (size_t i = 0; i < files.n && !L->S.oom; i++) {
        L->S.file = files.items[i].display;
        yt_doc *doc = NULL;
        acv_error yerr;
        if (acv_ys_parsed(&L->S, yt_parse_file(files.items[i].path, L->S.file, &doc, &yerr),
                          &yerr) > 0) {
            const yt_node *root = yt_root(doc);
            const yt_node *rules = root && root->kind == YT_MAP ? yt_map_get(root, "rules") : NULL;
            size_t before = L->S.problems->total;
            if (!root || root->kind != YT_MAP) {
                acv_ys_problem(&L->S, root, "a rule file is a mapping with one key, 'rules'");
            } else {
                for (size_t k = 0; k < root->count; k++)
                    if (strcmp(root->keys[k]->str, "rules") != 0)
                        acv_ys_problem(&L->S, root->keys[k],
                                       "unknown key '%s' (a rule file has only 'rules')",
                                       root->keys[k]->str);
                if (rules && rules->kind != YT_SEQ)
                    acv_ys_problem(&L->S, rules, "'rules' must be a list of rules");
                else if (!rules && L->S.problems->total == before)
                    acv_ys_problem(&L->S, root, "missing key 'rules' (a list of rules)");
            }
            for (size_t r = 0; rules && rules->kind == YT_SEQ && r < rules->count; r++)
                val_load_rule(L, rules->items[r], r);
        }
        yt_free(doc);
        L->S.file = NULL;
    }
    acv_files_free(&files);
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
    acv_problems problems = {.max = VAL_MAX_PROBLEMS};
    val_loader L = {.r = r, .S = {.problems = &problems, .arena = &r->arena}};
    for (size_t i = 0; i < n_dirs && !L.S.oom; i++) {
        L.dir = i;
        val_load_dir(&L, dirs[i], display ? display[i] : dirs[i]);
    }
    acv_status st = ACV_OK;
    if (acv_ys_oom(&L.S)) {
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory loading validation rules");
    } else if (problems.total) {
        /* every problem shown (up to the limit), one per line */
        acv_buf all = {0};
        for (size_t i = 0; i < problems.n; i++)
            acv_buf_printf(&all, "%s%s", i ? "\n" : "", problems.items[i]);
        if (problems.total > problems.n)
            acv_buf_puts(&all, "\n(more problems not shown)");
        st = all.failed ? acv_error_set(err, ACV_ERR_NOMEM, "out of memory")
                        : acv_error_set(err, ACV_ERR_INPUT, "%s", all.data);
        acv_buf_free(&all);
    }
    acv_problems_free(&problems);
    if (st != ACV_OK) {
        acv_rules_free(r);
        return st;
    }
    *out = r;
    return ACV_OK;
}

acv_status acv_rules_load_ctx(acv_ctx *ctx, acv_rules **out, acv_error *err)
{
    /* the framework's rules, then the overlay's (which may replace them by id) */
    char *dirs[2] = {NULL, NULL}, *display[2] = {NULL, NULL};
    size_t n = 0;
    int oom = 0;
    for (size_t k = 0; k < ctx->roots.n_roots && !oom; k++, n++)
        oom = !acv_overlay_folder(&ctx->roots, k, ACV_FILES_RULES, &dirs[k], &display[k]);
    acv_status st = oom ? acv_error_set(err, ACV_ERR_NOMEM, "out of memory")
                        : acv_rules_load(ctx->fw, (const char *const *)dirs,
                                         (const char *const *)display, n, out, err);
    for (size_t k = 0; k < 2; k++) {
        free(dirs[k]);
        free(display[k]);
    }
    return st;
}
