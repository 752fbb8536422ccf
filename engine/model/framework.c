/* framework.c — strict loader for `indicators/NAME.yml`; see framework.h and
 * docs/framework-format.md. */
#include "framework.h"
#include "yamltree.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PROBLEMS 200
#define MAX_FRAMEWORK_FILES 256

typedef struct {
    acv_framework *fw;
    const char *file;        /* display name of the file being read */
    const char *file_pillar; /* id of the pillar declared in this file, if any */
    int oom;
    size_t cap_pillars, cap_areas, cap_indicators, cap_elements, cap_problems, cap_questions,
        cap_dimensions;
    int scale_seen;
    int framework_seen;
} loader;

const char *acv_direction_name(acv_direction d)
{
    switch (d) {
    case ACV_DIR_HIGHER:
        return "higher";
    case ACV_DIR_LOWER:
        return "lower";
    case ACV_DIR_HIGHER_TO_CAP:
        return "higher_to_cap";
    case ACV_DIR_CONTEXTUAL:
        return "contextual";
    }
    return "?";
}

/* Records a message that already carries its own "file:line:col: " prefix. */
static void raw_problem(loader *L, const char *message)
{
    acv_framework *fw = L->fw;
    if (fw->n_problems >= MAX_PROBLEMS)
        return;
    if (fw->n_problems == L->cap_problems) {
        size_t ncap = L->cap_problems ? L->cap_problems * 2 : 16;
        char **p = realloc(fw->problems, ncap * sizeof *p);
        if (!p) {
            L->oom = 1;
            return;
        }
        fw->problems = p;
        L->cap_problems = ncap;
    }
    char *copy = strdup(message);
    if (!copy) {
        L->oom = 1;
        return;
    }
    fw->problems[fw->n_problems++] = copy;
}

static void problem(loader *L, const yt_node *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem(loader *L, const yt_node *at, const char *fmt, ...)
{
    if (L->fw->n_problems >= MAX_PROBLEMS)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char full[1400];
    if (at)
        snprintf(full, sizeof full, "%s:%d:%d: %s", L->file, at->line, at->col, msg);
    else
        snprintf(full, sizeof full, "%s: %s", L->file, msg);
    raw_problem(L, full);
}

static void *grow(loader *L, void *array, size_t *cap, size_t count, size_t elem)
{
    if (count < *cap)
        return array;
    size_t ncap = *cap ? *cap * 2 : 16;
    void *p = realloc(array, ncap * elem);
    if (!p) {
        L->oom = 1;
        return NULL;
    }
    memset((char *)p + *cap * elem, 0, (ncap - *cap) * elem);
    *cap = ncap;
    return p;
}

static const char *kind_name(const yt_node *n)
{
    switch (n->kind) {
    case YT_MAP:
        return "a mapping";
    case YT_SEQ:
        return "a list";
    case YT_SCALAR:
        return "a value";
    }
    return "?";
}

/* Refuses keys not in allowed (NULL-terminated); reports them at the key's position. */
static void check_keys(loader *L, const yt_node *map, const char *const *allowed, const char *ctx)
{
    for (size_t i = 0; i < map->count; i++) {
        const char *k = map->keys[i]->str;
        int ok = 0;
        for (const char *const *a = allowed; *a; a++)
            if (strcmp(*a, k) == 0)
                ok = 1;
        if (!ok)
            problem(L, map->keys[i], "unknown key '%s' in %s", k, ctx);
    }
}

static int is_null_scalar(const yt_node *n)
{
    return n->kind == YT_SCALAR && n->plain &&
           (n->len == 0 || strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0);
}

static const char *get_string(loader *L, const yt_node *map, const char *key, int required,
                              const char *ctx)
{
    const yt_node *v = yt_map_get(map, key);
    if (!v || is_null_scalar(v)) {
        if (required)
            problem(L, v ? v : map, "missing key '%s' in %s", key, ctx);
        return NULL;
    }
    if (v->kind != YT_SCALAR) {
        problem(L, v, "'%s' must be text in %s, found %s", key, ctx, kind_name(v));
        return NULL;
    }
    const char *s = acv_arena_strdup(&L->fw->arena, v->str);
    if (!s)
        L->oom = 1;
    return s;
}

static int parse_number(const yt_node *v, double *out)
{
    if (v->kind != YT_SCALAR || !v->plain || v->len == 0)
        return 0;
    char *end;
    errno = 0;
    double d = strtod(v->str, &end);
    if (*end || errno || !isfinite(d))
        return 0;
    /* strtod accepts hex and "inf"; YAML numbers here are decimal only */
    for (const char *p = v->str; *p; p++)
        if (!(isdigit((unsigned char)*p) || *p == '.' || *p == '-' || *p == '+' || *p == 'e' ||
              *p == 'E'))
            return 0;
    *out = d;
    return 1;
}

static int get_number(loader *L, const yt_node *map, const char *key, int required, double *out,
                      const char *ctx)
{
    const yt_node *v = yt_map_get(map, key);
    if (!v || is_null_scalar(v)) {
        if (required)
            problem(L, v ? v : map, "missing key '%s' in %s", key, ctx);
        return 0;
    }
    if (!parse_number(v, out)) {
        problem(L, v, "'%s' must be a number in %s, found '%s'", key, ctx,
                v->kind == YT_SCALAR ? v->str : kind_name(v));
        return 0;
    }
    return 1;
}

static int get_int(loader *L, const yt_node *map, const char *key, int required, int *out,
                   const char *ctx)
{
    double d;
    if (!get_number(L, map, key, required, &d, ctx))
        return 0;
    if (d != floor(d) || d < -1e9 || d > 1e9) {
        problem(L, yt_map_get(map, key), "'%s' must be a whole number in %s", key, ctx);
        return 0;
    }
    *out = (int)d;
    return 1;
}

static int get_bool(loader *L, const yt_node *map, const char *key, int required, int *out,
                    const char *ctx)
{
    const yt_node *v = yt_map_get(map, key);
    if (!v || is_null_scalar(v)) {
        if (required)
            problem(L, v ? v : map, "missing key '%s' in %s", key, ctx);
        return 0;
    }
    if (v->kind == YT_SCALAR && v->plain && strcmp(v->str, "true") == 0) {
        *out = 1;
        return 1;
    }
    if (v->kind == YT_SCALAR && v->plain && strcmp(v->str, "false") == 0) {
        *out = 0;
        return 1;
    }
    problem(L, v, "'%s' must be true or false in %s, found '%s'", key, ctx,
            v->kind == YT_SCALAR ? v->str : kind_name(v));
    return 0;
}

static const char **get_string_list(loader *L, const yt_node *map, const char *key, size_t *n,
                                    const char *ctx)
{
    *n = 0;
    const yt_node *v = yt_map_get(map, key);
    if (!v || is_null_scalar(v))
        return NULL;
    if (v->kind != YT_SEQ) {
        problem(L, v, "'%s' must be a list in %s, found %s", key, ctx, kind_name(v));
        return NULL;
    }
    const char **list = acv_arena_alloc(&L->fw->arena, (v->count + 1) * sizeof *list);
    if (!list) {
        L->oom = 1;
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < v->count; i++) {
        const yt_node *item = v->items[i];
        if (item->kind != YT_SCALAR || is_null_scalar(item)) {
            problem(L, item, "items of '%s' must be text in %s", key, ctx);
            continue;
        }
        list[k++] = acv_arena_strdup(&L->fw->arena, item->str);
    }
    *n = k;
    return list;
}

static const yt_node *get_map(loader *L, const yt_node *map, const char *key, int required,
                              const char *ctx)
{
    const yt_node *v = yt_map_get(map, key);
    if (!v || is_null_scalar(v)) {
        if (required)
            problem(L, v ? v : map, "missing key '%s' in %s", key, ctx);
        return NULL;
    }
    if (v->kind != YT_MAP) {
        problem(L, v, "'%s' must be a mapping in %s, found %s", key, ctx, kind_name(v));
        return NULL;
    }
    return v;
}

static int one_of(const char *s, const char *const *options)
{
    for (const char *const *o = options; *o; o++)
        if (strcmp(s, *o) == 0)
            return 1;
    return 0;
}

static void join_options(const char *const *options, char *out, size_t size)
{
    out[0] = '\0';
    for (const char *const *o = options; *o; o++) {
        if (o != options)
            strncat(out, ", ", size - strlen(out) - 1);
        strncat(out, *o, size - strlen(out) - 1);
    }
}

static const char *get_enum(loader *L, const yt_node *map, const char *key, int required,
                            const char *const *options, const char *ctx)
{
    const char *s = get_string(L, map, key, required, ctx);
    if (s && !one_of(s, options)) {
        char opts[512];
        join_options(options, opts, sizeof opts);
        problem(L, yt_map_get(map, key), "'%s' must be one of %s in %s, found '%s'", key, opts, ctx,
                s);
        return NULL;
    }
    return s;
}

/* SDG indicator codes: goal 1-17, target digits or a letter, indicator digits, optional (a). */
static int valid_sdg_code(const char *s)
{
    const char *p = s;
    int goal = 0, digits = 0;
    while (isdigit((unsigned char)*p)) {
        goal = goal * 10 + (*p - '0');
        p++;
        digits++;
    }
    if (digits == 0 || digits > 2 || goal < 1 || goal > 17 || *p != '.')
        return 0;
    p++;
    if (isdigit((unsigned char)*p)) {
        digits = 0;
        while (isdigit((unsigned char)*p)) {
            p++;
            digits++;
        }
        if (digits > 2)
            return 0;
    } else if (*p >= 'a' && *p <= 'j') {
        p++;
    } else {
        return 0;
    }
    if (*p != '.')
        return 0;
    p++;
    digits = 0;
    while (isdigit((unsigned char)*p)) {
        p++;
        digits++;
    }
    if (digits == 0 || digits > 2)
        return 0;
    if (*p == '(') {
        if (!(p[1] >= 'a' && p[1] <= 'z') || p[2] != ')')
            return 0;
        p += 3;
    }
    return *p == '\0';
}

static int valid_baseline(const char *s)
{
    int a, b;
    char tail;
    if (sscanf(s, "%4d-%4d%c", &a, &b, &tail) == 2)
        return a >= 1900 && b <= 2100 && a < b && strlen(s) == 9;
    if (sscanf(s, "%4d%c", &a, &tail) == 1)
        return a >= 1900 && a <= 2100 && strlen(s) == 4;
    return 0;
}

static void load_scoring_defaults(loader *L, const yt_node *m, const char *ctx)
{
    static const char *const keys[] = {
        "progress",  "aggregation",      "imputation", "carry_forward_years",
        "min_share", "max_missing_core", "base_year",  "target_year",
        NULL};
    static const char *const progress[] = {"escap_api", "escap_csi", "opensdg", "sdsn", NULL};
    static const char *const aggregation[] = {"arithmetic", "geometric", NULL};
    static const char *const imputation[] = {"none", "locf", "interpolate", NULL};
    acv_scoring_defaults *d = &L->fw->scoring;
    check_keys(L, m, keys, ctx);
    const char *v;
    if ((v = get_enum(L, m, "progress", 0, progress, ctx)))
        d->progress = v;
    if ((v = get_enum(L, m, "aggregation", 0, aggregation, ctx)))
        d->aggregation = v;
    if ((v = get_enum(L, m, "imputation", 0, imputation, ctx)))
        d->imputation = v;
    int n;
    if (get_int(L, m, "carry_forward_years", 0, &n, ctx)) {
        if (n < 1 || n > 10)
            problem(L, yt_map_get(m, "carry_forward_years"),
                    "'carry_forward_years' must be 1 to 10 in %s", ctx);
        else
            d->carry_forward_years = n;
    }
    if (get_int(L, m, "base_year", 0, &n, ctx))
        d->base_year = n;
    if (get_int(L, m, "target_year", 0, &n, ctx))
        d->target_year = n;
    double x;
    if (get_number(L, m, "min_share", 0, &x, ctx)) {
        if (x < 0 || x > 1)
            problem(L, yt_map_get(m, "min_share"), "'min_share' must be 0 to 1 in %s", ctx);
        else
            d->min_share = x;
    }
    if (get_number(L, m, "max_missing_core", 0, &x, ctx)) {
        if (x < 0 || x > 1)
            problem(L, yt_map_get(m, "max_missing_core"), "'max_missing_core' must be 0 to 1 in %s",
                    ctx);
        else
            d->max_missing_core = x;
    }
}

static void load_framework_meta(loader *L, const yt_node *m)
{
    static const char *const keys[] = {"id",      "name",         "version", "description",
                                       "sources", "pillar_order", "scoring", NULL};
    const char *ctx = "framework";
    if (m->kind != YT_MAP) {
        problem(L, m, "'framework' must be a mapping, found %s", kind_name(m));
        return;
    }
    if (L->framework_seen) {
        problem(L, m, "a second 'framework' block; exactly one file may have it");
        return;
    }
    L->framework_seen = 1;
    check_keys(L, m, keys, ctx);
    acv_framework *fw = L->fw;
    fw->id = get_string(L, m, "id", 1, ctx);
    fw->name = get_string(L, m, "name", 1, ctx);
    fw->version = get_string(L, m, "version", 1, ctx);
    fw->description = get_string(L, m, "description", 0, ctx);
    fw->sources = get_string_list(L, m, "sources", &fw->n_sources, ctx);
    size_t n_order = 0;
    get_string_list(L, m, "pillar_order", &n_order, ctx);
    const yt_node *scoring = get_map(L, m, "scoring", 0, ctx);
    if (scoring)
        load_scoring_defaults(L, scoring, "scoring of the framework");
}

static int valid_code(const char *s, int parts)
{
    /* upper-case letters/digits separated by dots, exactly `parts` parts when parts > 0 */
    int n = 1, len = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '.') {
            if (len == 0)
                return 0;
            n++;
            len = 0;
        } else if (isupper((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_') {
            len++;
        } else {
            return 0;
        }
    }
    return len > 0 && (parts == 0 || n == parts);
}

static void load_pillar(loader *L, const yt_node *m)
{
    static const char *const keys[] = {"id", "name", "community", "description", NULL};
    if (m->kind != YT_MAP) {
        problem(L, m, "'pillar' must be a mapping, found %s", kind_name(m));
        return;
    }
    acv_framework *fw = L->fw;
    const char *id = get_string(L, m, "id", 1, "pillar");
    char ctx[128];
    snprintf(ctx, sizeof ctx, "pillar %s", id ? id : "?");
    check_keys(L, m, keys, ctx);
    if (id && !valid_code(id, 1))
        problem(L, yt_map_get(m, "id"), "pillar id '%s' must be upper-case letters, like PS", id);
    if (id && acv_framework_find_pillar(fw, id) >= 0) {
        problem(L, yt_map_get(m, "id"), "duplicate pillar id '%s'", id);
        return;
    }
    acv_pillar *arr = grow(L, fw->pillars, &L->cap_pillars, fw->n_pillars, sizeof *arr);
    if (!arr)
        return;
    fw->pillars = arr;
    acv_pillar *p = &arr[fw->n_pillars];
    p->id = id;
    p->weight = 1;
    p->name = get_string(L, m, "name", 1, ctx);
    p->community = get_string(L, m, "community", 0, ctx);
    p->description = get_string(L, m, "description", 0, ctx);
    if (id)
        fw->n_pillars++;
    L->file_pillar = id;
}

static void load_action_area(loader *L, const yt_node *m, size_t index)
{
    static const char *const keys[] = {
        "id", "name", "description", "agmf_theme", "asus_focus", "strategic_goals", NULL};
    static const char *const goal_keys[] = {"code", "title", "verified", NULL};
    char ctx[128];
    if (m->kind != YT_MAP) {
        problem(L, m, "action area #%zu must be a mapping, found %s", index + 1, kind_name(m));
        return;
    }
    acv_framework *fw = L->fw;
    snprintf(ctx, sizeof ctx, "action area #%zu", index + 1);
    const char *id = get_string(L, m, "id", 1, ctx);
    if (id)
        snprintf(ctx, sizeof ctx, "action area %s", id);
    check_keys(L, m, keys, ctx);
    if (!id)
        return;
    if (!L->file_pillar) {
        problem(L, m, "%s is in a file without a 'pillar'", ctx);
        return;
    }
    size_t plen = strlen(L->file_pillar);
    if (!valid_code(id, 2) || strncmp(id, L->file_pillar, plen) != 0 || id[plen] != '.') {
        problem(L, yt_map_get(m, "id"),
                "action area id '%s' must be the pillar id, a dot and a code, like %s.DRR", id,
                L->file_pillar);
        return;
    }
    if (acv_framework_find_action_area(fw, id) >= 0) {
        problem(L, yt_map_get(m, "id"), "duplicate action area id '%s'", id);
        return;
    }
    acv_action_area *arr =
        grow(L, fw->action_areas, &L->cap_areas, fw->n_action_areas, sizeof *arr);
    if (!arr)
        return;
    fw->action_areas = arr;
    acv_action_area *a = &arr[fw->n_action_areas];
    a->id = id;
    a->weight = 1;
    a->pillar = (size_t)acv_framework_find_pillar(fw, L->file_pillar);
    a->name = get_string(L, m, "name", 1, ctx);
    a->description = get_string(L, m, "description", 0, ctx);
    get_bool(L, m, "agmf_theme", 0, &a->agmf_theme, ctx);
    a->asus_focus = get_string_list(L, m, "asus_focus", &a->n_asus_focus, ctx);
    const yt_node *goals = yt_map_get(m, "strategic_goals");
    if (goals && goals->kind != YT_SEQ) {
        problem(L, goals, "'strategic_goals' must be a list in %s", ctx);
    } else if (goals) {
        a->goals = acv_arena_alloc(&fw->arena, (goals->count + 1) * sizeof *a->goals);
        if (!a->goals) {
            L->oom = 1;
            return;
        }
        for (size_t i = 0; i < goals->count; i++) {
            const yt_node *g = goals->items[i];
            char gctx[160];
            snprintf(gctx, sizeof gctx, "strategic goal #%zu of %s", i + 1, id);
            if (g->kind != YT_MAP) {
                problem(L, g, "%s must be a mapping", gctx);
                continue;
            }
            check_keys(L, g, goal_keys, gctx);
            acv_goal *goal = &a->goals[a->n_goals];
            goal->code = get_string(L, g, "code", 1, gctx);
            goal->title = get_string(L, g, "title", 0, gctx);
            if (!get_bool(L, g, "verified", 1, &goal->verified, gctx))
                continue;
            if (goal->code)
                a->n_goals++;
        }
    }
    fw->n_action_areas++;
}

static void load_targets(loader *L, const yt_node *seq, acv_indicator *ind, const char *ctx)
{
    static const char *const keys[] = {"year",       "kind",      "value", "baseline",
                                       "provenance", "reference", NULL};
    static const char *const kinds[] = {"abs",       "rel_pct", "rel_pp", "rel_abs",
                                        "halve_gap", "none",    NULL};
    static const char *const provenances[] = {
        "sdg",      "who",           "sendai",          "unga",   "asean",
        "national", "international", "best_performers", "expert", NULL};
    if (seq->kind != YT_SEQ) {
        problem(L, seq, "'targets' must be a list in %s", ctx);
        return;
    }
    ind->targets = acv_arena_alloc(&L->fw->arena, (seq->count + 1) * sizeof *ind->targets);
    if (!ind->targets) {
        L->oom = 1;
        return;
    }
    for (size_t i = 0; i < seq->count; i++) {
        const yt_node *t = seq->items[i];
        char tctx[192];
        snprintf(tctx, sizeof tctx, "target #%zu of %s", i + 1, ctx);
        if (t->kind != YT_MAP) {
            problem(L, t, "%s must be a mapping", tctx);
            continue;
        }
        acv_target *tg = &ind->targets[ind->n_targets];
        int ok = get_int(L, t, "year", 1, &tg->year, tctx);
        if (ok)
            snprintf(tctx, sizeof tctx, "%d target of %s", tg->year, ctx);
        check_keys(L, t, keys, tctx);
        tg->kind = get_enum(L, t, "kind", 1, kinds, tctx);
        tg->has_value = get_number(L, t, "value", 0, &tg->value, tctx);
        tg->baseline = get_string(L, t, "baseline", 0, tctx);
        tg->provenance = get_string(L, t, "provenance", 0, tctx);
        tg->reference = get_string(L, t, "reference", 0, tctx);
        if (!tg->provenance)
            problem(L, t, "missing provenance ('provenance') in %s", tctx);
        else if (!one_of(tg->provenance, provenances)) {
            char opts[256];
            join_options(provenances, opts, sizeof opts);
            problem(L, yt_map_get(t, "provenance"),
                    "'provenance' must be one of %s in %s, found '%s'", opts, tctx, tg->provenance);
        }
        if (!tg->reference)
            problem(L, t, "missing provenance ('reference') in %s", tctx);
        if (ok && (tg->year < 2000 || tg->year > 2100))
            problem(L, yt_map_get(t, "year"), "target year %d is outside 2000-2100 in %s", tg->year,
                    ctx);
        for (size_t j = 0; ok && j < ind->n_targets; j++)
            if (ind->targets[j].year == tg->year)
                problem(L, yt_map_get(t, "year"), "a second %d target in %s", tg->year, ctx);
        if (!tg->kind) {
            ind->n_targets++;
            continue;
        }
        int needs_value = strncmp(tg->kind, "rel_", 4) == 0 || strcmp(tg->kind, "abs") == 0;
        int needs_baseline =
            strncmp(tg->kind, "rel_", 4) == 0 || strcmp(tg->kind, "halve_gap") == 0;
        if (needs_value && !tg->has_value && !yt_map_get(t, "value"))
            problem(L, t, "missing key 'value' in %s (kind %s)", tctx, tg->kind);
        if (!needs_value && tg->has_value)
            problem(L, yt_map_get(t, "value"), "a %s target takes no 'value' in %s", tg->kind,
                    tctx);
        if (needs_baseline && !tg->baseline)
            problem(L, t, "missing key 'baseline' in %s (kind %s)", tctx, tg->kind);
        if (tg->baseline && !valid_baseline(tg->baseline))
            problem(L, yt_map_get(t, "baseline"),
                    "'baseline' must be a year like 2019 or a range like 2015-2019 in %s, found "
                    "'%s'",
                    tctx, tg->baseline);
        ind->n_targets++;
    }
}

static void load_links(loader *L, const yt_node *m, acv_indicator *ind, const char *ctx)
{
    static const char *const keys[] = {"sdg",  "sdg_relation", "iso37120", "umf",
                                       "asus", "other",        NULL};
    static const char *const relations[] = {"direct", "related", "local_analogue", "proxy", NULL};
    char lctx[160];
    snprintf(lctx, sizeof lctx, "links of %s", ctx);
    check_keys(L, m, keys, lctx);
    ind->sdg = get_string_list(L, m, "sdg", &ind->n_sdg, lctx);
    const yt_node *sdg = yt_map_get(m, "sdg");
    for (size_t i = 0; i < ind->n_sdg && sdg && sdg->kind == YT_SEQ; i++)
        if (!valid_sdg_code(ind->sdg[i]))
            problem(L, sdg->items[i],
                    "malformed SDG indicator code '%s' in %s (expected goal.target.indicator, "
                    "like 11.5.1 or 4.a.1)",
                    ind->sdg[i], lctx);
    ind->sdg_relation = get_enum(L, m, "sdg_relation", 0, relations, lctx);
    ind->iso37120 = get_string(L, m, "iso37120", 0, lctx);
    ind->umf = get_string(L, m, "umf", 0, lctx);
    ind->asus = get_string_list(L, m, "asus", &ind->n_asus, lctx);
    ind->other_links = get_string_list(L, m, "other", &ind->n_other_links, lctx);
}

static void load_bounds(loader *L, const yt_node *bounds, acv_indicator *ind, const char *ctx)
{
    static const char *const bounds_keys[] = {"worst", "best", "reason", NULL};
    char bctx[160];
    snprintf(bctx, sizeof bctx, "bounds of %s", ctx);
    check_keys(L, bounds, bounds_keys, bctx);
    int w = get_number(L, bounds, "worst", 1, &ind->worst, bctx);
    int b = get_number(L, bounds, "best", 1, &ind->best, bctx);
    ind->bounds_reason = get_string(L, bounds, "reason", 0, bctx);
    if (!ind->bounds_reason)
        problem(L, bounds, "missing provenance ('reason') in %s", bctx);
    ind->has_bounds = w && b;
    if (ind->has_bounds) {
        if (ind->worst == ind->best)
            problem(L, bounds, "worst and best are both %g in %s", ind->worst, bctx);
        else if (ind->direction == ACV_DIR_LOWER && ind->worst < ind->best)
            problem(L, bounds,
                    "inverted bounds in %s: lower is better, so worst (%g) must be above "
                    "best (%g)",
                    bctx, ind->worst, ind->best);
        else if (ind->direction != ACV_DIR_LOWER && ind->worst > ind->best)
            problem(L, bounds,
                    "inverted bounds in %s: higher is better, so worst (%g) must be below "
                    "best (%g)",
                    bctx, ind->worst, ind->best);
    }
    if (ind->direction == ACV_DIR_CONTEXTUAL)
        problem(L, bounds, "%s is contextual (never scored) and takes no bounds", ctx);
}

static void check_targets_in_bounds(loader *L, const yt_node *targets, const acv_indicator *ind,
                                    const char *ctx)
{
    if (targets->kind == YT_MAP) {
        /* only the bounds changed (an overlay): check the existing targets, at the bounds */
        for (size_t i = 0; i < ind->n_targets; i++) {
            const acv_target *t = &ind->targets[i];
            double lo = ind->worst < ind->best ? ind->worst : ind->best;
            double hi = ind->worst < ind->best ? ind->best : ind->worst;
            if (t->kind && strcmp(t->kind, "abs") == 0 && t->has_value && ind->has_bounds &&
                (t->value < lo || t->value > hi))
                problem(L, targets, "the %d target %g of %s is outside its new bounds [%g, %g]",
                        t->year, t->value, ctx, lo, hi);
        }
        return;
    }
    /* items that are not mappings were refused and left out of ind->targets, so target i may
     * come from a later item; without skipping them the problem lost its line and column */
    size_t item = 0;
    for (size_t i = 0; i < ind->n_targets && targets->kind == YT_SEQ; i++, item++) {
        while (item < targets->count && targets->items[item]->kind != YT_MAP)
            item++;
        const acv_target *t = &ind->targets[i];
        if (t->kind && strcmp(t->kind, "abs") == 0 && t->has_value && ind->has_bounds &&
            item < targets->count) {
            double lo = ind->worst < ind->best ? ind->worst : ind->best;
            double hi = ind->worst < ind->best ? ind->best : ind->worst;
            if (t->value < lo || t->value > hi)
                problem(L, yt_map_get(targets->items[item], "value"),
                        "the %d target %g of %s is outside its bounds [%g, %g]", t->year, t->value,
                        ctx, lo, hi);
        }
    }
}

static void load_indicator(loader *L, const yt_node *m, size_t index)
{
    static const char *const keys[] = {
        "id",      "action_area", "name",      "short_name",      "definition",
        "unit",    "direction",   "core",      "bounds",          "targets",
        "links",   "data_source", "frequency", "disaggregations", "formula",
        "scoring", NULL};
    static const char *const directions[] = {"higher", "lower", "higher_to_cap", "contextual",
                                             NULL};
    static const char *const formula_keys[] = {"numerator", "denominator", "factor", NULL};
    static const char *const scoring_keys[] = {"transform", "smoothing_years", "method", NULL};
    static const char *const transforms[] = {"none", "log", NULL};
    acv_framework *fw = L->fw;
    char ctx[128];
    if (m->kind != YT_MAP) {
        problem(L, m, "indicator #%zu must be a mapping, found %s", index + 1, kind_name(m));
        return;
    }
    snprintf(ctx, sizeof ctx, "indicator #%zu", index + 1);
    const char *id = get_string(L, m, "id", 1, ctx);
    if (id)
        snprintf(ctx, sizeof ctx, "indicator %s", id);
    check_keys(L, m, keys, ctx);
    if (!id)
        return;
    if (!valid_code(id, 3))
        problem(L, yt_map_get(m, "id"),
                "indicator id '%s' must be pillar.area.number, like PS.DRR.1", id);
    if (acv_framework_find_indicator(fw, id) >= 0) {
        problem(L, yt_map_get(m, "id"), "duplicate indicator id '%s'", id);
        return;
    }
    acv_indicator *arr = grow(L, fw->indicators, &L->cap_indicators, fw->n_indicators, sizeof *arr);
    if (!arr)
        return;
    fw->indicators = arr;
    acv_indicator *ind = &arr[fw->n_indicators];
    ind->id = id;
    ind->weight = 1;
    ind->file = acv_arena_strdup(&fw->arena, L->file);
    ind->line = m->line;
    ind->col = m->col;
    ind->action_area = (size_t)-1;
    const char *area = get_string(L, m, "action_area", 1, ctx);
    if (area) {
        long a = acv_framework_find_action_area(fw, area);
        if (a < 0)
            problem(L, yt_map_get(m, "action_area"), "unknown action area '%s' in %s", area, ctx);
        else
            ind->action_area = (size_t)a;
        size_t alen = strlen(area);
        if (a >= 0 && (strncmp(id, area, alen) != 0 || id[alen] != '.'))
            problem(L, yt_map_get(m, "id"),
                    "indicator id '%s' must start with its action area '%s.'", id, area);
    }
    ind->name = get_string(L, m, "name", 1, ctx);
    ind->short_name = get_string(L, m, "short_name", 0, ctx);
    if (!ind->short_name)
        ind->short_name = ind->name;
    ind->definition = get_string(L, m, "definition", 1, ctx);
    ind->unit = get_string(L, m, "unit", 1, ctx);
    const char *dir = get_enum(L, m, "direction", 1, directions, ctx);
    ind->direction = !dir                                ? ACV_DIR_HIGHER
                     : strcmp(dir, "lower") == 0         ? ACV_DIR_LOWER
                     : strcmp(dir, "higher_to_cap") == 0 ? ACV_DIR_HIGHER_TO_CAP
                     : strcmp(dir, "contextual") == 0    ? ACV_DIR_CONTEXTUAL
                                                         : ACV_DIR_HIGHER;
    get_bool(L, m, "core", 1, &ind->core, ctx);

    const yt_node *bounds =
        get_map(L, m, "bounds", dir && ind->direction != ACV_DIR_CONTEXTUAL, ctx);
    if (bounds)
        load_bounds(L, bounds, ind, ctx);
    const yt_node *targets = yt_map_get(m, "targets");
    if (targets && !is_null_scalar(targets)) {
        load_targets(L, targets, ind, ctx);
        check_targets_in_bounds(L, targets, ind, ctx);
    }

    const yt_node *links = get_map(L, m, "links", 0, ctx);
    if (links)
        load_links(L, links, ind, ctx);
    ind->data_source = get_string(L, m, "data_source", 0, ctx);
    ind->frequency = get_string(L, m, "frequency", 0, ctx);
    ind->disaggregations = get_string_list(L, m, "disaggregations", &ind->n_disaggregations, ctx);

    const yt_node *formula = get_map(L, m, "formula", 0, ctx);
    if (formula) {
        char fctx[160];
        snprintf(fctx, sizeof fctx, "formula of %s", ctx);
        check_keys(L, formula, formula_keys, fctx);
        ind->numerator = get_string(L, formula, "numerator", 1, fctx);
        ind->denominator = get_string(L, formula, "denominator", 0, fctx);
        ind->factor = 1;
        get_number(L, formula, "factor", 0, &ind->factor, fctx);
        if (ind->factor <= 0)
            problem(L, yt_map_get(formula, "factor"), "'factor' must be above 0 in %s", fctx);
        ind->has_formula = ind->numerator != NULL;
    }
    const yt_node *scoring = get_map(L, m, "scoring", 0, ctx);
    if (scoring) {
        char sctx[160];
        snprintf(sctx, sizeof sctx, "scoring of %s", ctx);
        check_keys(L, scoring, scoring_keys, sctx);
        ind->transform = get_enum(L, scoring, "transform", 0, transforms, sctx);
        if (get_int(L, scoring, "smoothing_years", 0, &ind->smoothing_years, sctx) &&
            (ind->smoothing_years < 1 || ind->smoothing_years > 20))
            problem(L, yt_map_get(scoring, "smoothing_years"),
                    "'smoothing_years' must be 1 to 20 in %s", sctx);
        ind->method = get_string(L, scoring, "method", 0, sctx);
    }
    fw->n_indicators++;
}

static void load_data_element(loader *L, const yt_node *m, size_t index)
{
    static const char *const keys[] = {"id", "name", "unit", "description", NULL};
    acv_framework *fw = L->fw;
    char ctx[128];
    if (m->kind != YT_MAP) {
        problem(L, m, "data element #%zu must be a mapping, found %s", index + 1, kind_name(m));
        return;
    }
    snprintf(ctx, sizeof ctx, "data element #%zu", index + 1);
    const char *id = get_string(L, m, "id", 1, ctx);
    if (id)
        snprintf(ctx, sizeof ctx, "data element %s", id);
    check_keys(L, m, keys, ctx);
    if (!id)
        return;
    if (strncmp(id, "DE.", 3) != 0 || !valid_code(id, 0))
        problem(L, yt_map_get(m, "id"),
                "data element id '%s' must start with 'DE.' and use upper-case words, like "
                "DE.POP",
                id);
    for (size_t i = 0; i < fw->n_data_elements; i++)
        if (strcmp(fw->data_elements[i].id, id) == 0) {
            problem(L, yt_map_get(m, "id"), "duplicate data element id '%s'", id);
            return;
        }
    acv_data_element *arr =
        grow(L, fw->data_elements, &L->cap_elements, fw->n_data_elements, sizeof *arr);
    if (!arr)
        return;
    fw->data_elements = arr;
    acv_data_element *de = &arr[fw->n_data_elements];
    de->id = id;
    de->name = get_string(L, m, "name", 1, ctx);
    de->unit = get_string(L, m, "unit", 1, ctx);
    de->description = get_string(L, m, "description", 0, ctx);
    fw->n_data_elements++;
}

static void load_list(loader *L, const yt_node *root, const char *key,
                      void (*one)(loader *, const yt_node *, size_t))
{
    const yt_node *seq = yt_map_get(root, key);
    if (!seq || is_null_scalar(seq))
        return;
    if (seq->kind != YT_SEQ) {
        problem(L, seq, "'%s' must be a list, found %s", key, kind_name(seq));
        return;
    }
    for (size_t i = 0; i < seq->count && !L->oom; i++)
        one(L, seq->items[i], i);
}

static void load_document(loader *L, const yt_node *root)
{
    static const char *const keys[] = {"framework",  "pillar",        "action_areas",
                                       "indicators", "data_elements", NULL};
    L->file_pillar = NULL;
    if (!root)
        return;
    if (root->kind != YT_MAP) {
        problem(L, root,
                "a framework file must be a mapping with keys like 'pillar' and "
                "'indicators', found %s",
                kind_name(root));
        return;
    }
    check_keys(L, root, keys, "a framework file");
    const yt_node *meta = yt_map_get(root, "framework");
    if (meta)
        load_framework_meta(L, meta);
    const yt_node *pillar = yt_map_get(root, "pillar");
    if (pillar)
        load_pillar(L, pillar);
    /* data elements first: formulas in the same file may name them */
    load_list(L, root, "data_elements", load_data_element);
    load_list(L, root, "action_areas", load_action_area);
    load_list(L, root, "indicators", load_indicator);
}

static void load_question(loader *L, const yt_node *m, size_t index)
{
    static const char *const keys[] = {"id", "action_area", "dimensions", "text", "level4", NULL};
    acv_framework *fw = L->fw;
    char ctx[128];
    if (m->kind != YT_MAP) {
        problem(L, m, "question #%zu must be a mapping, found %s", index + 1, kind_name(m));
        return;
    }
    snprintf(ctx, sizeof ctx, "question #%zu", index + 1);
    const char *id = get_string(L, m, "id", 1, ctx);
    if (id)
        snprintf(ctx, sizeof ctx, "question %s", id);
    check_keys(L, m, keys, ctx);
    if (!id)
        return;
    if (acv_framework_find_question(fw, id) >= 0) {
        problem(L, yt_map_get(m, "id"), "duplicate question id '%s'", id);
        return;
    }
    acv_question *arr = grow(L, fw->questions, &L->cap_questions, fw->n_questions, sizeof *arr);
    if (!arr)
        return;
    fw->questions = arr;
    acv_question *q = &arr[fw->n_questions];
    q->id = id;
    q->action_area = get_string(L, m, "action_area", 1, ctx);
    q->area = (size_t)-1;
    if (q->action_area) {
        long a = acv_framework_find_action_area(fw, q->action_area);
        if (a < 0)
            problem(L, yt_map_get(m, "action_area"), "unknown action area '%s' in %s",
                    q->action_area, ctx);
        else
            q->area = (size_t)a;
    }
    q->dimensions = get_string_list(L, m, "dimensions", &q->n_dimensions, ctx);
    const yt_node *dims = yt_map_get(m, "dimensions");
    if (!dims)
        problem(L, m, "missing key 'dimensions' in %s", ctx);
    for (size_t i = 0; i < q->n_dimensions && dims && dims->kind == YT_SEQ; i++) {
        int known = 0;
        for (size_t d = 0; d < fw->n_dimensions; d++)
            if (strcmp(fw->dimensions[d].id, q->dimensions[i]) == 0)
                known = 1;
        if (!known)
            problem(L, dims->items[i], "unknown dimension '%s' in %s", q->dimensions[i], ctx);
    }
    q->text = get_string(L, m, "text", 1, ctx);
    q->level4 = get_string(L, m, "level4", 1, ctx);
    fw->n_questions++;
}

static void load_dimension(loader *L, const yt_node *m, size_t index)
{
    static const char *const keys[] = {"id", "name", "meaning", NULL};
    acv_framework *fw = L->fw;
    char ctx[64];
    snprintf(ctx, sizeof ctx, "dimension #%zu", index + 1);
    if (m->kind != YT_MAP) {
        problem(L, m, "%s must be a mapping", ctx);
        return;
    }
    check_keys(L, m, keys, ctx);
    acv_dimension *arr = grow(L, fw->dimensions, &L->cap_dimensions, fw->n_dimensions, sizeof *arr);
    if (!arr)
        return;
    fw->dimensions = arr;
    acv_dimension *d = &arr[fw->n_dimensions];
    d->id = get_string(L, m, "id", 1, ctx);
    d->name = get_string(L, m, "name", 1, ctx);
    d->meaning = get_string(L, m, "meaning", 0, ctx);
    if (d->id)
        fw->n_dimensions++;
}

static void load_scale(loader *L, const yt_node *seq)
{
    static const char *const keys[] = {"level", "label", "meaning", NULL};
    acv_framework *fw = L->fw;
    if (seq->kind != YT_SEQ) {
        problem(L, seq, "'scale' must be a list of levels 0 to %d", ACV_MATURITY_LEVELS - 1);
        return;
    }
    L->scale_seen = 1;
    for (size_t i = 0; i < seq->count; i++) {
        const yt_node *m = seq->items[i];
        if (m->kind != YT_MAP) {
            problem(L, m, "scale level #%zu must be a mapping", i + 1);
            continue;
        }
        check_keys(L, m, keys, "a scale level");
        int level;
        if (!get_int(L, m, "level", 1, &level, "a scale level"))
            continue;
        if (level < 0 || level >= ACV_MATURITY_LEVELS) {
            problem(L, yt_map_get(m, "level"), "scale levels go from 0 to %d, found %d",
                    ACV_MATURITY_LEVELS - 1, level);
            continue;
        }
        fw->scale[level].label = get_string(L, m, "label", 1, "a scale level");
        fw->scale[level].meaning = get_string(L, m, "meaning", 0, "a scale level");
    }
    for (int level = 0; level < ACV_MATURITY_LEVELS; level++)
        if (!fw->scale[level].label)
            problem(L, seq, "the scale has no level %d", level);
}

static void load_assessment_document(loader *L, const yt_node *root)
{
    static const char *const keys[] = {"scale", "dimensions", "rules", "questions", NULL};
    static const char *const rule_keys[] = {"evidence_required_from_level", "cap_without_evidence",
                                            NULL};
    if (!root)
        return;
    if (root->kind != YT_MAP) {
        problem(L, root, "an assessment file must be a mapping with 'questions', found %s",
                kind_name(root));
        return;
    }
    check_keys(L, root, keys, "an assessment file");
    const yt_node *scale = yt_map_get(root, "scale");
    if (scale)
        load_scale(L, scale);
    load_list(L, root, "dimensions", load_dimension);
    const yt_node *rules = get_map(L, root, "rules", 0, "an assessment file");
    if (rules) {
        check_keys(L, rules, rule_keys, "rules");
        int v;
        if (get_int(L, rules, "evidence_required_from_level", 0, &v, "rules"))
            L->fw->evidence_from_level = v;
        if (get_int(L, rules, "cap_without_evidence", 0, &v, "rules"))
            L->fw->cap_without_evidence = v;
    }
    load_list(L, root, "questions", load_question);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

/* Reads DIR/indicators/assessment/NAME.yml in name order; a missing folder means no guideline. */
static void load_assessment_folder(loader *L, const char *dir, acv_sha256 *hash)
{
    acv_framework *fw = L->fw;
    char *folder = acv_path_join(dir, "indicators/assessment");
    DIR *d = folder ? opendir(folder) : NULL;
    if (!d) {
        free(folder);
        return;
    }
    char *names[MAX_FRAMEWORK_FILES];
    size_t n_names = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n_names < MAX_FRAMEWORK_FILES)
        if (e->d_name[0] != '.' && has_suffix(e->d_name, ".yml") &&
            (names[n_names] = strdup(e->d_name)) != NULL)
            n_names++;
    closedir(d);
    qsort(names, n_names, sizeof *names, name_cmp);
    for (size_t i = 0; i < n_names && !L->oom; i++) {
        char display[600];
        snprintf(display, sizeof display, "indicators/assessment/%s", names[i]);
        L->file = acv_arena_strdup(&fw->arena, display);
        char *path = acv_path_join(folder, names[i]);
        char *buf = NULL;
        size_t len = 0;
        int rc = path ? acv_read_file(path, YT_MAX_BYTES, &buf, &len) : -1;
        free(path);
        if (rc != 0) {
            problem(L, NULL, rc == -2 ? "file is larger than 1 MiB" : "cannot read the file");
            continue;
        }
        acv_sha256_update(hash, display, strlen(display) + 1);
        acv_sha256_update(hash, buf, len);
        yt_doc *doc = NULL;
        acv_error yerr;
        acv_error_clear(&yerr);
        if (yt_parse_buffer(buf, len, display, &doc, &yerr) != ACV_OK) {
            if (yerr.status == ACV_ERR_NOMEM)
                L->oom = 1;
            else
                raw_problem(L, yerr.message);
        } else {
            load_assessment_document(L, yt_root(doc));
        }
        yt_free(doc);
        free(buf);
    }
    for (size_t i = 0; i < n_names; i++)
        free(names[i]);
    free(folder);
    if (fw->n_questions > 0 && !L->scale_seen)
        problem(L, NULL, "the assessment has questions but no 'scale'");
    for (size_t a = 0; fw->n_questions > 0 && a < fw->n_action_areas; a++) {
        size_t n = 0;
        for (size_t q = 0; q < fw->n_questions; q++)
            n += fw->questions[q].area == a;
        if (n < 3) {
            L->file = "indicators/assessment";
            problem(L, NULL,
                    "action area %s has %zu self-assessment question%s; the guideline "
                    "needs at least 3",
                    fw->action_areas[a].id, n, n == 1 ? "" : "s");
        }
    }
}

/* Checks that need the whole framework: formulas naming data elements declared anywhere. */
static void check_cross_references(loader *L)
{
    acv_framework *fw = L->fw;
    for (size_t i = 0; i < fw->n_indicators; i++) {
        acv_indicator *ind = &fw->indicators[i];
        if (!ind->has_formula)
            continue;
        const char *names[2] = {ind->numerator, ind->denominator};
        for (int k = 0; k < 2; k++) {
            if (!names[k])
                continue;
            int found = 0;
            for (size_t d = 0; d < fw->n_data_elements; d++)
                if (strcmp(fw->data_elements[d].id, names[k]) == 0)
                    found = 1;
            if (!found) {
                L->file = ind->file;
                yt_node at = {.line = ind->line, .col = ind->col};
                problem(L, &at, "the formula of indicator %s names unknown data element '%s'",
                        ind->id, names[k]);
            }
        }
    }
    if (!L->framework_seen) {
        L->file = "indicators";
        problem(L, NULL, "no file has a 'framework' block (id, name, version)");
    }
    if (fw->n_indicators == 0) {
        L->file = "indicators";
        problem(L, NULL, "the framework defines no indicators");
    }
}

acv_status acv_framework_load(const char *dir, acv_framework **out, acv_error *err)
{
    *out = NULL;
    acv_framework *fw = calloc(1, sizeof *fw);
    if (!fw)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory loading the framework");
    fw->dir = acv_arena_strdup(&fw->arena, dir);
    fw->evidence_from_level = 3;
    fw->cap_without_evidence = 2;
    fw->scoring =
        (acv_scoring_defaults){"escap_api", "arithmetic", "none", 3, 0.5, 0.2, 2015, 2030};
    loader L = {.fw = fw};

    char *ind_dir = acv_path_join(dir, "indicators");
    DIR *d = ind_dir ? opendir(ind_dir) : NULL;
    if (!d) {
        acv_status st = acv_error_set(err, ACV_ERR_IO, "%s: cannot read the framework folder: %s",
                                      ind_dir ? ind_dir : dir, strerror(errno));
        free(ind_dir);
        acv_framework_free(fw);
        return st;
    }
    char *names[MAX_FRAMEWORK_FILES];
    size_t n_names = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || !has_suffix(e->d_name, ".yml"))
            continue;
        if (n_names == MAX_FRAMEWORK_FILES)
            break;
        names[n_names] = strdup(e->d_name);
        if (names[n_names])
            n_names++;
    }
    closedir(d);
    qsort(names, n_names, sizeof *names, name_cmp);

    acv_sha256 hash;
    acv_sha256_init(&hash);
    acv_status st = ACV_OK;
    yt_doc *docs[MAX_FRAMEWORK_FILES] = {0};
    /* A file the YAML reader refuses is left out whole, so every other file's reference to what
     * it defines would be reported missing too (13 follow-on problems for one tab): its first
     * syntax error is then the only problem reported, and the loading stops there. */
    int yaml_refused = 0;
    for (size_t i = 0; i < n_names && st == ACV_OK && !L.oom; i++) {
        char display[600];
        snprintf(display, sizeof display, "indicators/%s", names[i]);
        char *path = acv_path_join(ind_dir, names[i]);
        char *buf = NULL;
        size_t len = 0;
        int rc = path ? acv_read_file(path, YT_MAX_BYTES, &buf, &len) : -1;
        free(path);
        if (rc == -2) {
            L.file = acv_arena_strdup(&fw->arena, display);
            problem(&L, NULL, "file is larger than %d bytes", YT_MAX_BYTES);
            continue;
        }
        if (rc != 0) {
            st = acv_error_set(err, ACV_ERR_IO, "%s: cannot read: %s", display, strerror(errno));
            break;
        }
        acv_sha256_update(&hash, display, strlen(display) + 1);
        acv_sha256_update(&hash, buf, len);
        acv_error yerr;
        acv_error_clear(&yerr);
        if (yt_parse_buffer(buf, len, display, &docs[i], &yerr) != ACV_OK) {
            if (yerr.status == ACV_ERR_NOMEM) {
                L.oom = 1;
            } else {
                raw_problem(&L, yerr.message);
                yaml_refused = 1;
            }
        }
        free(buf);
    }
    /* Files load in name order, except that pillar files follow the framework's pillar_order, so
     * reports list pillars the way the Vision does rather than alphabetically. */
    size_t order[MAX_FRAMEWORK_FILES];
    for (size_t i = 0; i < n_names; i++)
        order[i] = i;
    const yt_node *pillar_order = NULL;
    for (size_t i = 0; i < n_names; i++) {
        const yt_node *meta = yt_map_get(yt_root(docs[i]), "framework");
        if (meta && !pillar_order)
            pillar_order = yt_map_get(meta, "pillar_order");
    }
    if (pillar_order && pillar_order->kind == YT_SEQ) {
        long rank[MAX_FRAMEWORK_FILES];
        for (size_t i = 0; i < n_names; i++) {
            const yt_node *pillar = yt_map_get(yt_root(docs[i]), "pillar");
            const yt_node *id = yt_map_get(pillar, "id");
            rank[i] = pillar ? 1000 : -1;
            for (size_t k = 0; id && id->kind == YT_SCALAR && k < pillar_order->count; k++)
                if (pillar_order->items[k]->kind == YT_SCALAR &&
                    strcmp(pillar_order->items[k]->str, id->str) == 0)
                    rank[i] = (long)k;
        }
        /* insertion sort: stable, and there are only a handful of files */
        for (size_t i = 1; i < n_names; i++) {
            size_t v = order[i], j = i;
            while (j > 0 && rank[order[j - 1]] > rank[v]) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = v;
        }
    }
    for (size_t k = 0; k < n_names && st == ACV_OK && !L.oom && !yaml_refused; k++) {
        size_t i = order[k];
        if (!docs[i])
            continue;
        L.file = acv_arena_strdup(&fw->arena, yt_doc_name(docs[i]));
        load_document(&L, yt_root(docs[i]));
    }
    if (pillar_order && pillar_order->kind == YT_SEQ && st == ACV_OK && !L.oom && !yaml_refused) {
        for (size_t k = 0; k < pillar_order->count; k++) {
            const yt_node *item = pillar_order->items[k];
            if (item->kind == YT_SCALAR && acv_framework_find_pillar(fw, item->str) < 0) {
                L.file = "indicators/framework.yml";
                for (size_t i = 0; i < n_names; i++)
                    if (yt_map_get(yt_root(docs[i]), "framework"))
                        L.file = acv_arena_strdup(&fw->arena, yt_doc_name(docs[i]));
                problem(&L, item, "unknown pillar '%s' in pillar_order", item->str);
            }
        }
    }
    for (size_t i = 0; i < n_names; i++)
        yt_free(docs[i]);
    if (st == ACV_OK && !L.oom && !yaml_refused)
        load_assessment_folder(&L, dir, &hash);
    for (size_t i = 0; i < n_names; i++)
        free(names[i]);
    free(ind_dir);
    acv_sha256_final_hex(&hash, fw->hash);

    if (st == ACV_OK && !L.oom && !yaml_refused)
        check_cross_references(&L);
    if (L.oom) {
        acv_framework_free(fw);
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory loading the framework");
    }
    *out = fw;
    if (st != ACV_OK)
        return st;
    if (fw->n_problems > 0) {
        if (fw->n_problems == 1)
            return acv_error_set(err, ACV_ERR_INPUT, "%s", fw->problems[0]);
        return acv_error_set(err, ACV_ERR_INPUT,
                             "%s\n(%zu problems in the framework; "
                             "'acvtrack framework check' lists them all)",
                             fw->problems[0], fw->n_problems);
    }
    return ACV_OK;
}

void acv_framework_free(acv_framework *fw)
{
    if (!fw)
        return;
    for (size_t i = 0; i < fw->n_problems; i++)
        free(fw->problems[i]);
    free(fw->problems);
    free(fw->pillars);
    free(fw->action_areas);
    free(fw->indicators);
    free(fw->data_elements);
    free(fw->questions);
    free(fw->dimensions);
    for (size_t i = 0; i < fw->n_changes; i++)
        free(fw->changes[i]);
    free(fw->changes);
    acv_arena_free(&fw->arena);
    free(fw);
}

long acv_framework_find_indicator(const acv_framework *fw, const char *id)
{
    for (size_t i = 0; i < fw->n_indicators; i++)
        if (strcmp(fw->indicators[i].id, id) == 0)
            return (long)i;
    return -1;
}

long acv_framework_find_question(const acv_framework *fw, const char *id)
{
    for (size_t i = 0; i < fw->n_questions; i++)
        if (strcmp(fw->questions[i].id, id) == 0)
            return (long)i;
    return -1;
}

long acv_framework_find_action_area(const acv_framework *fw, const char *id)
{
    for (size_t i = 0; i < fw->n_action_areas; i++)
        if (strcmp(fw->action_areas[i].id, id) == 0)
            return (long)i;
    return -1;
}

long acv_framework_find_pillar(const acv_framework *fw, const char *id)
{
    for (size_t i = 0; i < fw->n_pillars; i++)
        if (strcmp(fw->pillars[i].id, id) == 0)
            return (long)i;
    return -1;
}

const acv_target *acv_indicator_target(const acv_indicator *ind, int year)
{
    for (size_t i = 0; i < ind->n_targets; i++)
        if (ind->targets[i].year == year)
            return &ind->targets[i];
    return NULL;
}

void acv_target_describe(const acv_indicator *ind, const acv_target *t, char *out, size_t size)
{
    if (!t || !t->kind || strcmp(t->kind, "none") == 0) {
        snprintf(out, size, "none");
        return;
    }
    const char *cmp = ind->direction == ACV_DIR_LOWER ? "≤" : "≥";
    if (strcmp(t->kind, "abs") == 0)
        snprintf(out, size, "%s %g", cmp, t->value);
    else if (strcmp(t->kind, "rel_pct") == 0)
        snprintf(out, size, "%+g%% vs %s", t->value, t->baseline ? t->baseline : "baseline");
    else if (strcmp(t->kind, "rel_pp") == 0)
        snprintf(out, size, "%+g pp vs %s", t->value, t->baseline ? t->baseline : "baseline");
    else if (strcmp(t->kind, "rel_abs") == 0)
        snprintf(out, size, "%+g vs %s", t->value, t->baseline ? t->baseline : "baseline");
    else if (strcmp(t->kind, "halve_gap") == 0)
        snprintf(out, size, "halve the gap to %g vs %s", ind->best,
                 t->baseline ? t->baseline : "baseline");
    else
        snprintf(out, size, "%s", t->kind);
}

/* ---- city overlays ------------------------------------------------------------------------ */

typedef struct {
    loader *L;
    size_t cap_changes;
} overlay_loader;

static void change(overlay_loader *O, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void change(overlay_loader *O, const char *fmt, ...)
{
    acv_framework *fw = O->L->fw;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char **arr = grow(O->L, fw->changes, &O->cap_changes, fw->n_changes, sizeof *arr);
    if (!arr)
        return;
    fw->changes = arr;
    if ((fw->changes[fw->n_changes] = strdup(msg)) != NULL)
        fw->n_changes++;
    else
        O->L->oom = 1;
}

static void describe_targets(const acv_indicator *ind, char *out, size_t size)
{
    out[0] = '\0';
    for (size_t i = 0; i < ind->n_targets; i++) {
        char one[160];
        acv_target_describe(ind, &ind->targets[i], one, sizeof one);
        size_t n = strlen(out);
        snprintf(out + n, size - n, "%s%d %s", i ? ", " : "", ind->targets[i].year, one);
    }
    if (!out[0])
        snprintf(out, size, "none");
}

/* Weights beyond half or twice the equal weight could weight an area away (starter framework
 * C.2 guard-rail). */
static void load_weights(overlay_loader *O, const yt_node *m)
{
    loader *L = O->L;
    acv_framework *fw = L->fw;
    static const char *const keys[] = {"pillars", "action_areas", "indicators", NULL};
    if (m->kind != YT_MAP) {
        problem(L, m, "'weights' must be a mapping with pillars, action_areas or indicators");
        return;
    }
    check_keys(L, m, keys, "weights");
    for (int level = 0; level < 3; level++) {
        const yt_node *group = yt_map_get(m, keys[level]);
        if (!group)
            continue;
        if (group->kind != YT_MAP) {
            problem(L, group, "'%s' in weights must map ids to numbers", keys[level]);
            continue;
        }
        for (size_t i = 0; i < group->count; i++) {
            const char *id = group->keys[i]->str;
            double w;
            if (!parse_number(group->items[i], &w)) {
                problem(L, group->items[i], "the weight of %s must be a number", id);
                continue;
            }
            if (w < 0.5 || w > 2) {
                problem(L, group->items[i],
                        "the weight of %s is %g; weights stay between 0.5 and 2 (half to twice "
                        "the equal weight) so no area is weighted away",
                        id, w);
                continue;
            }
            double *slot = NULL;
            long k = level == 0   ? acv_framework_find_pillar(fw, id)
                     : level == 1 ? acv_framework_find_action_area(fw, id)
                                  : acv_framework_find_indicator(fw, id);
            if (k < 0) {
                problem(L, group->keys[i], "unknown %s '%s' in weights",
                        level == 0   ? "pillar"
                        : level == 1 ? "action area"
                                     : "indicator",
                        id);
                continue;
            }
            slot = level == 0   ? &fw->pillars[k].weight
                   : level == 1 ? &fw->action_areas[k].weight
                                : &fw->indicators[k].weight;
            if (level == 2)
                fw->indicators[k].changed |= ACV_CHANGED_WEIGHT;
            change(O, "weight of %s %s: %g -> %g",
                   level == 0   ? "pillar"
                   : level == 1 ? "action area"
                                : "indicator",
                   id, *slot, w);
            *slot = w;
        }
    }
}

static void load_override(overlay_loader *O, const yt_node *m, size_t index)
{
    loader *L = O->L;
    acv_framework *fw = L->fw;
    static const char *const keys[] = {"indicator", "reason", "bounds", "targets", "scoring", NULL};
    static const char *const scoring_keys[] = {"transform", "smoothing_years", "method", NULL};
    static const char *const transforms[] = {"none", "log", NULL};
    char ctx[128];
    snprintf(ctx, sizeof ctx, "override #%zu", index + 1);
    if (m->kind != YT_MAP) {
        problem(L, m, "%s must be a mapping", ctx);
        return;
    }
    check_keys(L, m, keys, ctx);
    const char *id = get_string(L, m, "indicator", 1, ctx);
    const char *reason = get_string(L, m, "reason", 1, ctx);
    if (!id)
        return;
    long k = acv_framework_find_indicator(fw, id);
    if (k < 0) {
        problem(L, yt_map_get(m, "indicator"), "unknown indicator '%s' in %s", id, ctx);
        return;
    }
    acv_indicator *ind = &fw->indicators[k];
    snprintf(ctx, sizeof ctx, "the override of %s", id);
    const yt_node *bounds = get_map(L, m, "bounds", 0, ctx);
    if (bounds) {
        double worst = ind->worst, best = ind->best;
        load_bounds(L, bounds, ind, ctx);
        ind->changed |= ACV_CHANGED_BOUNDS;
        change(O, "%s bounds: worst %g, best %g -> worst %g, best %g (%s)", id, worst, best,
               ind->worst, ind->best, reason ? reason : "no reason given");
    }
    const yt_node *targets = yt_map_get(m, "targets");
    if (targets && !is_null_scalar(targets)) {
        char before[512], after[512];
        describe_targets(ind, before, sizeof before);
        ind->targets = NULL;
        ind->n_targets = 0;
        load_targets(L, targets, ind, ctx);
        describe_targets(ind, after, sizeof after);
        ind->changed |= ACV_CHANGED_TARGETS;
        change(O, "%s targets: %s -> %s (%s)", id, before, after,
               reason ? reason : "no reason given");
    }
    if (bounds || (targets && !is_null_scalar(targets)))
        check_targets_in_bounds(L, targets ? targets : bounds, ind, ctx);
    const yt_node *scoring = get_map(L, m, "scoring", 0, ctx);
    if (scoring) {
        check_keys(L, scoring, scoring_keys, ctx);
        const char *t = get_enum(L, scoring, "transform", 0, transforms, ctx);
        if (t)
            ind->transform = t;
        int years;
        if (get_int(L, scoring, "smoothing_years", 0, &years, ctx))
            ind->smoothing_years = years;
        const char *method = get_string(L, scoring, "method", 0, ctx);
        if (method)
            ind->method = method;
        ind->changed |= ACV_CHANGED_SCORING;
        change(O, "%s scoring options changed (%s)", id, reason ? reason : "no reason given");
    }
    if (!bounds && !scoring && !(targets && !is_null_scalar(targets)))
        problem(L, m, "%s changes nothing (give bounds, targets or scoring)", ctx);
}

static void load_not_applicable(overlay_loader *O, const yt_node *m, size_t index)
{
    loader *L = O->L;
    acv_framework *fw = L->fw;
    static const char *const keys[] = {"indicator", "reason", NULL};
    char ctx[64];
    snprintf(ctx, sizeof ctx, "not_applicable #%zu", index + 1);
    if (m->kind != YT_MAP) {
        problem(L, m, "%s must be a mapping with indicator and reason", ctx);
        return;
    }
    check_keys(L, m, keys, ctx);
    const char *id = get_string(L, m, "indicator", 1, ctx);
    const char *reason = get_string(L, m, "reason", 1, ctx);
    if (!id || !reason)
        return;
    long k = acv_framework_find_indicator(fw, id);
    if (k < 0) {
        problem(L, yt_map_get(m, "indicator"), "unknown indicator '%s' in %s", id, ctx);
        return;
    }
    fw->indicators[k].not_applicable = reason;
    fw->indicators[k].changed |= ACV_CHANGED_NOT_APPLICABLE;
    change(O, "%s not applicable: %s", id, reason);
}

static void each_item(overlay_loader *O, const yt_node *root, const char *key,
                      void (*one)(overlay_loader *, const yt_node *, size_t))
{
    const yt_node *seq = yt_map_get(root, key);
    if (!seq || is_null_scalar(seq))
        return;
    if (seq->kind != YT_SEQ) {
        problem(O->L, seq, "'%s' must be a list, found %s", key, kind_name(seq));
        return;
    }
    for (size_t i = 0; i < seq->count && !O->L->oom; i++)
        one(O, seq->items[i], i);
}

static void load_overlay_document(overlay_loader *O, const yt_node *root)
{
    static const char *const keys[] = {"overlay",    "weights",       "overrides", "not_applicable",
                                       "indicators", "data_elements", "scoring",   NULL};
    static const char *const meta_keys[] = {"name", "area", "description", NULL};
    loader *L = O->L;
    acv_framework *fw = L->fw;
    if (!root)
        return;
    if (root->kind != YT_MAP) {
        problem(L, root, "an overlay file must be a mapping, found %s", kind_name(root));
        return;
    }
    check_keys(L, root, keys, "an overlay file");
    const yt_node *meta = get_map(L, root, "overlay", 0, "an overlay file");
    if (meta) {
        check_keys(L, meta, meta_keys, "overlay");
        const char *name = get_string(L, meta, "name", 1, "overlay");
        if (name)
            fw->overlay_name = name;
        get_string(L, meta, "area", 0, "overlay");
        get_string(L, meta, "description", 0, "overlay");
    }
    load_list(L, root, "data_elements", load_data_element);
    size_t before = fw->n_indicators;
    load_list(L, root, "indicators", load_indicator);
    for (size_t i = before; i < fw->n_indicators; i++) {
        fw->indicators[i].local = 1;
        fw->indicators[i].changed |= ACV_CHANGED_LOCAL;
        change(O, "local indicator %s added: %s", fw->indicators[i].id,
               fw->indicators[i].name ? fw->indicators[i].name : "");
    }
    const yt_node *weights = yt_map_get(root, "weights");
    if (weights)
        load_weights(O, weights);
    each_item(O, root, "overrides", load_override);
    each_item(O, root, "not_applicable", load_not_applicable);
    const yt_node *scoring = get_map(L, root, "scoring", 0, "an overlay file");
    if (scoring) {
        acv_scoring_defaults was = fw->scoring;
        load_scoring_defaults(L, scoring, "scoring of the overlay");
        if (strcmp(was.progress, fw->scoring.progress) != 0)
            change(O, "progress method: %s -> %s", was.progress, fw->scoring.progress);
        if (strcmp(was.aggregation, fw->scoring.aggregation) != 0)
            change(O, "aggregation: %s -> %s", was.aggregation, fw->scoring.aggregation);
        if (strcmp(was.imputation, fw->scoring.imputation) != 0)
            change(O, "imputation: %s -> %s", was.imputation, fw->scoring.imputation);
        if (was.carry_forward_years != fw->scoring.carry_forward_years ||
            was.min_share != fw->scoring.min_share ||
            was.max_missing_core != fw->scoring.max_missing_core ||
            was.base_year != fw->scoring.base_year || was.target_year != fw->scoring.target_year)
            change(O,
                   "scoring rules: carry forward %d years, min share %g, max missing core "
                   "%g, base %d, target %d",
                   fw->scoring.carry_forward_years, fw->scoring.min_share,
                   fw->scoring.max_missing_core, fw->scoring.base_year, fw->scoring.target_year);
    }
}

acv_status acv_framework_apply_overlay(acv_framework *fw, const char *dir, acv_error *err)
{
    loader L = {.fw = fw};
    L.cap_pillars = fw->n_pillars;
    L.cap_areas = fw->n_action_areas;
    L.cap_indicators = fw->n_indicators;
    L.cap_elements = fw->n_data_elements;
    L.cap_problems = fw->n_problems;
    L.cap_questions = fw->n_questions;
    L.cap_dimensions = fw->n_dimensions;
    L.framework_seen = 1;
    overlay_loader O = {.L = &L, .cap_changes = fw->n_changes};
    size_t problems_before = fw->n_problems;
    fw->overlay_dir = acv_arena_strdup(&fw->arena, dir);

    char *folder = acv_path_join(dir, "indicators");
    DIR *d = folder ? opendir(folder) : NULL;
    if (!d) {
        acv_status st = acv_error_set(err, ACV_ERR_IO, "%s: cannot read the overlay folder: %s",
                                      folder ? folder : dir, strerror(errno));
        free(folder);
        return st;
    }
    char *names[MAX_FRAMEWORK_FILES];
    size_t n_names = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n_names < MAX_FRAMEWORK_FILES)
        if (e->d_name[0] != '.' && has_suffix(e->d_name, ".yml") &&
            (names[n_names] = strdup(e->d_name)) != NULL)
            n_names++;
    closedir(d);
    qsort(names, n_names, sizeof *names, name_cmp);

    /* the run's framework hash covers the shared framework and the overlay */
    acv_sha256 hash;
    acv_sha256_init(&hash);
    acv_sha256_update(&hash, fw->hash, 64);
    int yaml_refused = 0; /* the files after one that is not YAML are left out, see below */
    const char *base = strrchr(dir, '/');
    base = base && base[1] ? base + 1 : dir;
    for (size_t i = 0; i < n_names && !L.oom; i++) {
        char display[700];
        snprintf(display, sizeof display, "%s/indicators/%s", base, names[i]);
        L.file = acv_arena_strdup(&fw->arena, display);
        char *path = acv_path_join(folder, names[i]);
        char *buf = NULL;
        size_t len = 0;
        int rc = path ? acv_read_file(path, YT_MAX_BYTES, &buf, &len) : -1;
        free(path);
        if (rc != 0) {
            problem(&L, NULL, rc == -2 ? "file is larger than 1 MiB" : "cannot read the file");
            continue;
        }
        acv_sha256_update(&hash, display, strlen(display) + 1);
        acv_sha256_update(&hash, buf, len);
        yt_doc *doc = NULL;
        acv_error yerr;
        acv_error_clear(&yerr);
        if (yt_parse_buffer(buf, len, display, &doc, &yerr) != ACV_OK) {
            if (yerr.status == ACV_ERR_NOMEM)
                L.oom = 1;
            else
                raw_problem(&L, yerr.message);
            yaml_refused = 1;
        } else if (!yaml_refused) {
            load_overlay_document(&O, yt_root(doc));
        }
        yt_free(doc);
        free(buf);
    }
    for (size_t i = 0; i < n_names; i++)
        free(names[i]);
    free(folder);
    acv_sha256_final_hex(&hash, fw->hash);
    if (!fw->overlay_name)
        fw->overlay_name = acv_arena_strdup(&fw->arena, base);
    if (L.oom)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory loading the overlay");
    if (!L.oom && !yaml_refused) /* as in acv_framework_load: no follow-on problems */
        check_cross_references(&L);
    if (fw->n_problems > problems_before) {
        size_t n = fw->n_problems - problems_before;
        if (n == 1)
            return acv_error_set(err, ACV_ERR_INPUT, "%s", fw->problems[problems_before]);
        return acv_error_set(err, ACV_ERR_INPUT, "%s\n(%zu problems in the overlay)",
                             fw->problems[problems_before], n);
    }
    return ACV_OK;
}
