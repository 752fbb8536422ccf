/* framework.c — strict loader for `indicators/NAME.yml`; see framework.h and
 * docs/framework-format.md. */
#include "framework.h"
#include "overlay.h"
#include "values.h"
#include "yamlschema.h"

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
    acv_ys S;                /* S.file: display name of the file being read */
    acv_problems problems;   /* becomes fw->problems when the load ends */
    const char *file_pillar; /* id of the pillar declared in this file, if any */
    size_t cap_pillars, cap_areas, cap_indicators, cap_elements, cap_questions, cap_dimensions,
        cap_units, cap_conversions, cap_method_refs;
    int scale_seen;
    int framework_seen;
} loader;

/* Indexed by acv_direction; NULL-terminated, so it is also the list 'direction' accepts. */
static const char *const DIRECTION_NAMES[] = {[ACV_DIR_HIGHER] = "higher",
                                              [ACV_DIR_LOWER] = "lower",
                                              [ACV_DIR_HIGHER_TO_CAP] = "higher_to_cap",
                                              [ACV_DIR_CONTEXTUAL] = "contextual",
                                              [ACV_DIR_CONTEXTUAL + 1] = NULL};
#define N_DIRECTIONS (sizeof DIRECTION_NAMES / sizeof *DIRECTION_NAMES - 1)

const char *acv_direction_name(acv_direction d)
{
    return acv_name_of(DIRECTION_NAMES, N_DIRECTIONS, (int)d, "?");
}

/* Starts reading into fw; an overlay's problems follow the framework's. */
static void loader_init(loader *L, acv_framework *fw)
{
    *L = (loader){.fw = fw};
    L->problems = (acv_problems){
        .items = fw->problems, .n = fw->n_problems, .cap = fw->n_problems, .max = MAX_PROBLEMS};
    fw->problems = NULL;
    fw->n_problems = 0;
    L->S = (acv_ys){.problems = &L->problems, .arena = &fw->arena};
    L->cap_method_refs = fw->n_method_refs; /* the framework's, when an overlay follows */
}

/* Hands the problems to fw (which frees them); returns 1 when memory ran out. */
static int loader_finish(loader *L)
{
    L->fw->problems = L->problems.items;
    L->fw->n_problems = L->problems.n;
    return acv_ys_oom(&L->S);
}

/* Takes an ACV_GROW result: 1 when there is room, else 0 with the loader out of memory. */
static int has_room(loader *L, int status)
{
    if (status != 0)
        L->S.oom = 1;
    return status == 0;
}

/* The index of the item of array (n items of type) whose id is want, or -1. */
#define FIND_ID(type, array, n, want)                                                              \
    find_id((array), (n), sizeof(type), offsetof(type, id), (want))
static long find_id(const void *array, size_t n, size_t size, size_t id_at, const char *want)
{
    for (size_t i = 0; i < n; i++) {
        const char *id;
        memcpy(&id, (const char *)array + i * size + id_at, sizeof id);
        if (strcmp(id, want) == 0)
            return (long)i;
    }
    return -1;
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

/* Keeps a progress method name with where it is written (framework.h acv_method_ref); the
 * methods' own list decides whether it is known, not the engine. */
static const char *method_ref(loader *L, const yt_node *m, const char *key, const char *ctx)
{
    const char *name = acv_ys_string(&L->S, m, key, 0, ctx);
    acv_framework *fw = L->fw;
    if (!name || !has_room(L, ACV_ARENA_GROW(&fw->arena, fw->method_refs, L->cap_method_refs,
                                             fw->n_method_refs, 8)))
        return name;
    const yt_node *at = yt_map_get(m, key);
    char where[600];
    snprintf(where, sizeof where, "%s:%d:%d", L->S.file, at->line, at->col);
    acv_method_ref *r = &fw->method_refs[fw->n_method_refs];
    r->name = name;
    r->where = acv_arena_strdup(&fw->arena, where);
    r->what = acv_arena_strdup(&fw->arena, ctx);
    if (!r->where || !r->what)
        L->S.oom = 1;
    else
        fw->n_method_refs++;
    return name;
}

static void load_scoring_defaults(loader *L, const yt_node *m, const char *ctx)
{
    static const char *const keys[] = {
        "progress",  "aggregation",      "imputation", "carry_forward_years",
        "min_share", "max_missing_core", "base_year",  "target_year",
        NULL};
    static const char *const aggregation[] = {"arithmetic", "geometric", NULL};
    static const char *const imputation[] = {"none", "locf", "interpolate", NULL};
    acv_scoring_defaults *d = &L->fw->scoring;
    acv_ys_check_keys(&L->S, m, keys, ctx);
    const char *v;
    if ((v = method_ref(L, m, "progress", ctx)))
        d->progress = v;
    if ((v = acv_ys_enum(&L->S, m, "aggregation", 0, aggregation, ctx)))
        d->aggregation = v;
    if ((v = acv_ys_enum(&L->S, m, "imputation", 0, imputation, ctx)))
        d->imputation = v;
    int n;
    if (acv_ys_int(&L->S, m, "carry_forward_years", 0, &n, ctx)) {
        if (n < 1 || n > 10)
            acv_ys_problem(&L->S, yt_map_get(m, "carry_forward_years"),
                           "'carry_forward_years' must be 1 to 10 in %s", ctx);
        else
            d->carry_forward_years = n;
    }
    if (acv_ys_int(&L->S, m, "base_year", 0, &n, ctx))
        d->base_year = n;
    if (acv_ys_int(&L->S, m, "target_year", 0, &n, ctx))
        d->target_year = n;
    double x;
    if (acv_ys_number(&L->S, m, "min_share", 0, &x, ctx)) {
        if (x < 0 || x > 1)
            acv_ys_problem(&L->S, yt_map_get(m, "min_share"), "'min_share' must be 0 to 1 in %s",
                           ctx);
        else
            d->min_share = x;
    }
    if (acv_ys_number(&L->S, m, "max_missing_core", 0, &x, ctx)) {
        if (x < 0 || x > 1)
            acv_ys_problem(&L->S, yt_map_get(m, "max_missing_core"),
                           "'max_missing_core' must be 0 to 1 in %s", ctx);
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
        acv_ys_problem(&L->S, m, "'framework' must be a mapping, found %s", acv_ys_kind_name(m));
        return;
    }
    if (L->framework_seen) {
        acv_ys_problem(&L->S, m, "a second 'framework' block; exactly one file may have it");
        return;
    }
    L->framework_seen = 1;
    acv_ys_check_keys(&L->S, m, keys, ctx);
    acv_framework *fw = L->fw;
    fw->id = acv_ys_string(&L->S, m, "id", 1, ctx);
    fw->name = acv_ys_string(&L->S, m, "name", 1, ctx);
    fw->version = acv_ys_string(&L->S, m, "version", 1, ctx);
    fw->description = acv_ys_string(&L->S, m, "description", 0, ctx);
    fw->sources = acv_ys_string_list(&L->S, m, "sources", 0, &fw->n_sources, NULL, ctx);
    size_t n_order = 0;
    acv_ys_string_list(&L->S, m, "pillar_order", 0, &n_order, NULL, ctx);
    const yt_node *scoring = acv_ys_map(&L->S, m, "scoring", 0, ctx);
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

/* 1 when id is new (found, its index among the items read so far, is -1); else "duplicate WHAT id"
 * at the item's id, and 0. */
static int unique_id(loader *L, const yt_node *m, const char *what, const char *id, long found)
{
    if (found < 0)
        return 1;
    acv_ys_problem(&L->S, yt_map_get(m, "id"), "duplicate %s id '%s'", what, id);
    return 0;
}

/* Names a nested list item in ctx (fmt: "target #%zu of %s") and checks that it is a mapping:
 * "CTX must be a mapping" and 0 when it is not. */
static int mapping_item(loader *L, const yt_node *m, char *ctx, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int mapping_item(loader *L, const yt_node *m, char *ctx, size_t size, const char *fmt, ...)
{
    ACV_VFORMAT(ctx, size, fmt);
    if (m->kind != YT_MAP) {
        acv_ys_problem(&L->S, m, "%s must be a mapping", ctx);
        return 0;
    }
    return 1;
}

/* Zeroed room in the framework's arena for the items of seq and one more; NULL when out of memory
 * (recorded). */
static void *list_items(loader *L, const yt_node *seq, size_t elem)
{
    void *items = acv_arena_alloc(&L->fw->arena, (seq->count + 1) * elem);
    if (!items)
        L->S.oom = 1;
    return items;
}

/* Starts reading item #index (from 0) of a list of `what`s ("indicator"): checks it is a mapping
 * with an id and only the given keys, and leaves "what ID" (or "what #N" when the id is missing)
 * in ctx for later messages. Returns the id, or NULL (a problem recorded) when there is none. */
static const char *item_id(loader *L, const yt_node *m, size_t index, const char *what,
                           const char *const *keys, char *ctx, size_t size)
{
    if (m->kind != YT_MAP) {
        acv_ys_problem(&L->S, m, "%s #%zu must be a mapping, found %s", what, index + 1,
                       acv_ys_kind_name(m));
        return NULL;
    }
    snprintf(ctx, size, "%s #%zu", what, index + 1);
    const char *id = acv_ys_string(&L->S, m, "id", 1, ctx);
    if (id)
        snprintf(ctx, size, "%s %s", what, id);
    acv_ys_check_keys(&L->S, m, keys, ctx);
    return id;
}

static void load_pillar(loader *L, const yt_node *m)
{
    static const char *const keys[] = {"id", "name", "community", "description", NULL};
    if (m->kind != YT_MAP) {
        acv_ys_problem(&L->S, m, "'pillar' must be a mapping, found %s", acv_ys_kind_name(m));
        return;
    }
    acv_framework *fw = L->fw;
    const char *id = acv_ys_string(&L->S, m, "id", 1, "pillar");
    char ctx[128];
    snprintf(ctx, sizeof ctx, "pillar %s", id ? id : "?");
    acv_ys_check_keys(&L->S, m, keys, ctx);
    if (id && !valid_code(id, 1))
        acv_ys_problem(&L->S, yt_map_get(m, "id"),
                       "pillar id '%s' must be upper-case letters, like PS", id);
    if (!unique_id(L, m, "pillar", id, id ? acv_framework_find_pillar(fw, id) : -1) ||
        !has_room(L, ACV_GROW(fw->pillars, L->cap_pillars, fw->n_pillars, 16)))
        return;
    acv_pillar *p = &fw->pillars[fw->n_pillars];
    p->id = id;
    p->weight = 1;
    p->name = acv_ys_string(&L->S, m, "name", 1, ctx);
    p->community = acv_ys_string(&L->S, m, "community", 0, ctx);
    p->description = acv_ys_string(&L->S, m, "description", 0, ctx);
    if (id)
        fw->n_pillars++;
    L->file_pillar = id;
}

static void load_action_area(loader *L, const yt_node *m, size_t index)
{
    static const char *const keys[] = {
        "id", "name", "description", "agmf_theme", "asus_focus", "strategic_goals", NULL};
    static const char *const goal_keys[] = {"code", "title", "verified", NULL};
    acv_framework *fw = L->fw;
    char ctx[128];
    const char *id = item_id(L, m, index, "action area", keys, ctx, sizeof ctx);
    if (!id)
        return;
    if (!L->file_pillar) {
        acv_ys_problem(&L->S, m, "%s is in a file without a 'pillar'", ctx);
        return;
    }
    size_t plen = strlen(L->file_pillar);
    if (!valid_code(id, 2) || strncmp(id, L->file_pillar, plen) != 0 || id[plen] != '.') {
        acv_ys_problem(&L->S, yt_map_get(m, "id"),
                       "action area id '%s' must be the pillar id, a dot and a code, like %s.DRR",
                       id, L->file_pillar);
        return;
    }
    if (!unique_id(L, m, "action area", id, acv_framework_find_action_area(fw, id)) ||
        !has_room(L, ACV_GROW(fw->action_areas, L->cap_areas, fw->n_action_areas, 16)))
        return;
    acv_action_area *a = &fw->action_areas[fw->n_action_areas];
    a->id = id;
    a->weight = 1;
    a->pillar = (size_t)acv_framework_find_pillar(fw, L->file_pillar);
    a->name = acv_ys_string(&L->S, m, "name", 1, ctx);
    a->description = acv_ys_string(&L->S, m, "description", 0, ctx);
    acv_ys_bool(&L->S, m, "agmf_theme", 0, &a->agmf_theme, ctx);
    a->asus_focus = acv_ys_string_list(&L->S, m, "asus_focus", 0, &a->n_asus_focus, NULL, ctx);
    const yt_node *goals = yt_map_get(m, "strategic_goals");
    if (goals && goals->kind != YT_SEQ) {
        acv_ys_problem(&L->S, goals, "'strategic_goals' must be a list in %s", ctx);
    } else if (goals) {
        if (!(a->goals = list_items(L, goals, sizeof *a->goals)))
            return;
        for (size_t i = 0; i < goals->count; i++) {
            const yt_node *g = goals->items[i];
            char gctx[160];
            if (!mapping_item(L, g, gctx, sizeof gctx, "strategic goal #%zu of %s", i + 1, id))
                continue;
            acv_ys_check_keys(&L->S, g, goal_keys, gctx);
            acv_goal *goal = &a->goals[a->n_goals];
            goal->code = acv_ys_string(&L->S, g, "code", 1, gctx);
            goal->title = acv_ys_string(&L->S, g, "title", 0, gctx);
            if (!acv_ys_bool(&L->S, g, "verified", 1, &goal->verified, gctx))
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
        acv_ys_problem(&L->S, seq, "'targets' must be a list in %s", ctx);
        return;
    }
    if (!(ind->targets = list_items(L, seq, sizeof *ind->targets)))
        return;
    for (size_t i = 0; i < seq->count; i++) {
        const yt_node *t = seq->items[i];
        char tctx[192];
        if (!mapping_item(L, t, tctx, sizeof tctx, "target #%zu of %s", i + 1, ctx))
            continue;
        acv_target *tg = &ind->targets[ind->n_targets];
        int ok = acv_ys_int(&L->S, t, "year", 1, &tg->year, tctx);
        if (ok)
            snprintf(tctx, sizeof tctx, "%d target of %s", tg->year, ctx);
        acv_ys_check_keys(&L->S, t, keys, tctx);
        tg->kind = acv_ys_enum(&L->S, t, "kind", 1, kinds, tctx);
        tg->has_value = acv_ys_number(&L->S, t, "value", 0, &tg->value, tctx);
        tg->baseline = acv_ys_string(&L->S, t, "baseline", 0, tctx);
        tg->provenance = acv_ys_string(&L->S, t, "provenance", 0, tctx);
        tg->reference = acv_ys_string(&L->S, t, "reference", 0, tctx);
        if (!tg->provenance)
            acv_ys_problem(&L->S, t, "missing provenance ('provenance') in %s", tctx);
        else
            acv_ys_enum(&L->S, t, "provenance", ACV_YS_OPTIONAL, provenances, tctx);
        if (!tg->reference)
            acv_ys_problem(&L->S, t, "missing provenance ('reference') in %s", tctx);
        if (ok && (tg->year < 2000 || tg->year > 2100))
            acv_ys_problem(&L->S, yt_map_get(t, "year"),
                           "target year %d is outside 2000-2100 in %s", tg->year, ctx);
        for (size_t j = 0; ok && j < ind->n_targets; j++)
            if (ind->targets[j].year == tg->year)
                acv_ys_problem(&L->S, yt_map_get(t, "year"), "a second %d target in %s", tg->year,
                               ctx);
        if (!tg->kind) {
            ind->n_targets++;
            continue;
        }
        int needs_value = strncmp(tg->kind, "rel_", 4) == 0 || strcmp(tg->kind, "abs") == 0;
        int needs_baseline =
            strncmp(tg->kind, "rel_", 4) == 0 || strcmp(tg->kind, "halve_gap") == 0;
        if (needs_value && !tg->has_value && !yt_map_get(t, "value"))
            acv_ys_problem(&L->S, t, "missing key 'value' in %s (kind %s)", tctx, tg->kind);
        if (!needs_value && tg->has_value)
            acv_ys_problem(&L->S, yt_map_get(t, "value"), "a %s target takes no 'value' in %s",
                           tg->kind, tctx);
        if (needs_baseline && !tg->baseline)
            acv_ys_problem(&L->S, t, "missing key 'baseline' in %s (kind %s)", tctx, tg->kind);
        if (tg->baseline && !valid_baseline(tg->baseline))
            acv_ys_problem(
                &L->S, yt_map_get(t, "baseline"),
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
    acv_ys_check_keys(&L->S, m, keys, lctx);
    ind->sdg = acv_ys_string_list(&L->S, m, "sdg", 0, &ind->n_sdg, NULL, lctx);
    const yt_node *sdg = yt_map_get(m, "sdg");
    for (size_t i = 0; i < ind->n_sdg && sdg && sdg->kind == YT_SEQ; i++)
        if (!valid_sdg_code(ind->sdg[i]))
            acv_ys_problem(
                &L->S, sdg->items[i],
                "malformed SDG indicator code '%s' in %s (expected goal.target.indicator, "
                "like 11.5.1 or 4.a.1)",
                ind->sdg[i], lctx);
    ind->sdg_relation = acv_ys_enum(&L->S, m, "sdg_relation", 0, relations, lctx);
    ind->iso37120 = acv_ys_string(&L->S, m, "iso37120", 0, lctx);
    ind->umf = acv_ys_string(&L->S, m, "umf", 0, lctx);
    ind->asus = acv_ys_string_list(&L->S, m, "asus", 0, &ind->n_asus, NULL, lctx);
    ind->other_links = acv_ys_string_list(&L->S, m, "other", 0, &ind->n_other_links, NULL, lctx);
}

static void load_bounds(loader *L, const yt_node *bounds, acv_indicator *ind, const char *ctx)
{
    static const char *const bounds_keys[] = {"worst", "best", "reason", NULL};
    char bctx[160];
    snprintf(bctx, sizeof bctx, "bounds of %s", ctx);
    acv_ys_check_keys(&L->S, bounds, bounds_keys, bctx);
    int w = acv_ys_number(&L->S, bounds, "worst", 1, &ind->worst, bctx);
    int b = acv_ys_number(&L->S, bounds, "best", 1, &ind->best, bctx);
    ind->bounds_reason = acv_ys_string(&L->S, bounds, "reason", 0, bctx);
    if (!ind->bounds_reason)
        acv_ys_problem(&L->S, bounds, "missing provenance ('reason') in %s", bctx);
    ind->has_bounds = w && b;
    if (ind->has_bounds) {
        if (ind->worst == ind->best)
            acv_ys_problem(&L->S, bounds, "worst and best are both %g in %s", ind->worst, bctx);
        else if (ind->direction == ACV_DIR_LOWER && ind->worst < ind->best)
            acv_ys_problem(&L->S, bounds,
                           "inverted bounds in %s: lower is better, so worst (%g) must be above "
                           "best (%g)",
                           bctx, ind->worst, ind->best);
        else if (ind->direction != ACV_DIR_LOWER && ind->worst > ind->best)
            acv_ys_problem(&L->S, bounds,
                           "inverted bounds in %s: higher is better, so worst (%g) must be below "
                           "best (%g)",
                           bctx, ind->worst, ind->best);
    }
    if (ind->direction == ACV_DIR_CONTEXTUAL)
        acv_ys_problem(&L->S, bounds, "%s is contextual (never scored) and takes no bounds", ctx);
}

/* A log transform scores log(value) between log(worst) and log(best): a bound of 0 or less has no
 * logarithm, and clamping it to a tiny number would score a value of 0.5 at 79 with worst 0. */
static void check_log_bounds(loader *L, const yt_node *at, const acv_indicator *ind,
                             const char *ctx)
{
    if (ind->transform && strcmp(ind->transform, "log") == 0 && ind->has_bounds &&
        (ind->worst <= 0 || ind->best <= 0))
        acv_ys_problem(&L->S, at,
                       "the log transform of %s needs bounds above 0, found worst %g and best %g",
                       ctx, ind->worst, ind->best);
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
                acv_ys_problem(&L->S, targets,
                               "the %d target %g of %s is outside its new bounds [%g, %g]", t->year,
                               t->value, ctx, lo, hi);
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
                acv_ys_problem(&L->S, yt_map_get(targets->items[item], "value"),
                               "the %d target %g of %s is outside its bounds [%g, %g]", t->year,
                               t->value, ctx, lo, hi);
        }
    }
}

static void load_indicator(loader *L, const yt_node *m, size_t index)
{
    static const char *const keys[] = {"id",
                                       "action_area",
                                       "name",
                                       "short_name",
                                       "definition",
                                       "unit",
                                       "unit_code",
                                       "direction",
                                       "core",
                                       "bounds",
                                       "targets",
                                       "links",
                                       "data_source",
                                       "frequency",
                                       "disaggregations",
                                       "formula",
                                       "scoring",
                                       "year",
                                       "area_aggregation",
                                       NULL};
    static const char *const formula_keys[] = {"numerator", "denominator", "factor", NULL};
    static const char *const scoring_keys[] = {"transform", "smoothing_years", "method", NULL};
    static const char *const transforms[] = {"none", "log", NULL};
    acv_framework *fw = L->fw;
    char ctx[128];
    const char *id = item_id(L, m, index, "indicator", keys, ctx, sizeof ctx);
    if (!id)
        return;
    if (!valid_code(id, 3))
        acv_ys_problem(&L->S, yt_map_get(m, "id"),
                       "indicator id '%s' must be pillar.area.number, like PS.DRR.1", id);
    if (!unique_id(L, m, "indicator", id, acv_framework_find_indicator(fw, id)) ||
        !has_room(L, ACV_GROW(fw->indicators, L->cap_indicators, fw->n_indicators, 16)))
        return;
    acv_indicator *ind = &fw->indicators[fw->n_indicators];
    ind->id = id;
    ind->weight = 1;
    ind->file = acv_arena_strdup(&fw->arena, L->S.file);
    ind->line = m->line;
    ind->col = m->col;
    ind->action_area = (size_t)-1;
    const char *area = acv_ys_string(&L->S, m, "action_area", 1, ctx);
    if (area) {
        long a = acv_framework_find_action_area(fw, area);
        if (a < 0)
            acv_ys_problem(&L->S, yt_map_get(m, "action_area"), "unknown action area '%s' in %s",
                           area, ctx);
        else
            ind->action_area = (size_t)a;
        size_t alen = strlen(area);
        if (a >= 0 && (strncmp(id, area, alen) != 0 || id[alen] != '.'))
            acv_ys_problem(&L->S, yt_map_get(m, "id"),
                           "indicator id '%s' must start with its action area '%s.'", id, area);
    }
    ind->name = acv_ys_string(&L->S, m, "name", 1, ctx);
    ind->short_name = acv_ys_string(&L->S, m, "short_name", 0, ctx);
    if (!ind->short_name)
        ind->short_name = ind->name;
    ind->definition = acv_ys_string(&L->S, m, "definition", 1, ctx);
    ind->unit = acv_ys_string(&L->S, m, "unit", 1, ctx);
    ind->unit_code = acv_ys_string(&L->S, m, "unit_code", 0, ctx); /* checked once all are read */
    const char *dir = acv_ys_enum(&L->S, m, "direction", 1, DIRECTION_NAMES, ctx);
    int named = dir ? acv_name_index(DIRECTION_NAMES, N_DIRECTIONS, dir) : -1;
    ind->direction = named >= 0 ? (acv_direction)named : ACV_DIR_HIGHER;
    acv_ys_bool(&L->S, m, "core", 1, &ind->core, ctx);

    const yt_node *bounds =
        acv_ys_map(&L->S, m, "bounds", dir && ind->direction != ACV_DIR_CONTEXTUAL, ctx);
    if (bounds)
        load_bounds(L, bounds, ind, ctx);
    const yt_node *targets = yt_map_get(m, "targets");
    if (targets && !acv_ys_is_null(targets)) {
        load_targets(L, targets, ind, ctx);
        check_targets_in_bounds(L, targets, ind, ctx);
    }

    const yt_node *links = acv_ys_map(&L->S, m, "links", 0, ctx);
    if (links)
        load_links(L, links, ind, ctx);
    ind->data_source = acv_ys_string(&L->S, m, "data_source", 0, ctx);
    ind->frequency = acv_ys_string(&L->S, m, "frequency", 0, ctx);
    ind->disaggregations =
        acv_ys_string_list(&L->S, m, "disaggregations", 0, &ind->n_disaggregations, NULL, ctx);

    const yt_node *formula = acv_ys_map(&L->S, m, "formula", 0, ctx);
    if (formula) {
        char fctx[160];
        snprintf(fctx, sizeof fctx, "formula of %s", ctx);
        acv_ys_check_keys(&L->S, formula, formula_keys, fctx);
        ind->numerator = acv_ys_string(&L->S, formula, "numerator", 1, fctx);
        ind->denominator = acv_ys_string(&L->S, formula, "denominator", 0, fctx);
        ind->factor = 1;
        acv_ys_number(&L->S, formula, "factor", 0, &ind->factor, fctx);
        if (ind->factor <= 0)
            acv_ys_problem(&L->S, yt_map_get(formula, "factor"), "'factor' must be above 0 in %s",
                           fctx);
        ind->has_formula = ind->numerator != NULL;
    }
    static const char *const year_bases[] = {"calendar", "fiscal", NULL};
    static const char *const aggregations[] = {"sum", "weighted_mean", "none", NULL};
    const char *basis = acv_ys_enum(&L->S, m, "year", 0, year_bases, ctx);
    ind->fiscal_year = basis && strcmp(basis, "fiscal") == 0;
    ind->area_aggregation = acv_ys_enum(&L->S, m, "area_aggregation", 0, aggregations, ctx);
    const yt_node *scoring = acv_ys_map(&L->S, m, "scoring", 0, ctx);
    if (scoring) {
        char sctx[160];
        snprintf(sctx, sizeof sctx, "scoring of %s", ctx);
        acv_ys_check_keys(&L->S, scoring, scoring_keys, sctx);
        ind->transform = acv_ys_enum(&L->S, scoring, "transform", 0, transforms, sctx);
        if (acv_ys_int(&L->S, scoring, "smoothing_years", 0, &ind->smoothing_years, sctx) &&
            (ind->smoothing_years < 1 || ind->smoothing_years > 20))
            acv_ys_problem(&L->S, yt_map_get(scoring, "smoothing_years"),
                           "'smoothing_years' must be 1 to 20 in %s", sctx);
        ind->method = method_ref(L, scoring, "method", sctx);
        check_log_bounds(L, yt_map_get(scoring, "transform"), ind, ctx);
    }
    fw->n_indicators++;
}

static void load_data_element(loader *L, const yt_node *m, size_t index)
{
    static const char *const keys[] = {"id", "name", "unit", "description", "year", NULL};
    static const char *const year_bases[] = {"calendar", "fiscal", NULL};
    acv_framework *fw = L->fw;
    char ctx[128];
    const char *id = item_id(L, m, index, "data element", keys, ctx, sizeof ctx);
    if (!id)
        return;
    if (strncmp(id, "DE.", 3) != 0 || !valid_code(id, 0))
        acv_ys_problem(&L->S, yt_map_get(m, "id"),
                       "data element id '%s' must start with 'DE.' and use upper-case words, like "
                       "DE.POP",
                       id);
    if (!unique_id(L, m, "data element", id,
                   FIND_ID(acv_data_element, fw->data_elements, fw->n_data_elements, id)) ||
        !has_room(L, ACV_GROW(fw->data_elements, L->cap_elements, fw->n_data_elements, 16)))
        return;
    acv_data_element *de = &fw->data_elements[fw->n_data_elements];
    de->id = id;
    de->name = acv_ys_string(&L->S, m, "name", 1, ctx);
    de->unit = acv_ys_string(&L->S, m, "unit", 1, ctx);
    de->description = acv_ys_string(&L->S, m, "description", 0, ctx);
    const char *basis = acv_ys_enum(&L->S, m, "year", 0, year_bases, ctx);
    de->fiscal_year = basis && strcmp(basis, "fiscal") == 0;
    fw->n_data_elements++;
}

/* Unit codes: lower-case letters, digits and '_', starting with a letter, at most 40. */
static int valid_unit_code(const char *s)
{
    size_t n = 0;
    for (const char *p = s; *p; p++, n++)
        if (!(islower((unsigned char)*p) || (n > 0 && (isdigit((unsigned char)*p) || *p == '_'))))
            return 0;
    return n > 0 && n <= 40;
}

/* 1 when two unit texts are the same once spaces are trimmed and collapsed and ASCII letters
 * lowered: the comparison scripts/methods/units.lua makes when it normalises a series' unit. */
static int same_unit_text(const char *a, const char *b)
{
    for (;;) {
        while (*a == ' ' || *a == '\t')
            a++;
        while (*b == ' ' || *b == '\t')
            b++;
        if (!*a || !*b)
            return !*a && !*b;
        while (*a && *a != ' ' && *a != '\t' && *b && *b != ' ' && *b != '\t') {
            if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
                return 0;
            a++;
            b++;
        }
        int a_space = !*a || *a == ' ' || *a == '\t', b_space = !*b || *b == ' ' || *b == '\t';
        if (!a_space || !b_space)
            return 0;
    }
}

/* The unit with that code, or -1. */
static long unit_code_index(const acv_framework *fw, const char *code)
{
    return find_id(fw->units, fw->n_units, sizeof(acv_unit), offsetof(acv_unit, code), code);
}

/* The unit whose code, name or alias is text (same_unit_text), or -1. */
static long unit_named(const acv_framework *fw, const char *text)
{
    for (size_t u = 0; u < fw->n_units; u++) {
        const acv_unit *un = &fw->units[u];
        if (same_unit_text(un->code, text) || (un->name && same_unit_text(un->name, text)))
            return (long)u;
        for (size_t k = 0; k < un->n_aliases; k++)
            if (same_unit_text(un->aliases[k], text))
                return (long)u;
    }
    return -1;
}

static void load_unit(loader *L, const yt_node *m, size_t index)
{
    static const char *const keys[] = {"code", "name", "aliases", NULL};
    acv_framework *fw = L->fw;
    char ctx[128];
    if (!mapping_item(L, m, ctx, sizeof ctx, "unit #%zu", index + 1))
        return;
    const char *code = acv_ys_string(&L->S, m, "code", ACV_YS_REQUIRED, ctx);
    if (code)
        snprintf(ctx, sizeof ctx, "unit %s", code);
    acv_ys_check_keys(&L->S, m, keys, ctx);
    if (!code)
        return;
    if (!valid_unit_code(code)) {
        acv_ys_problem(&L->S, yt_map_get(m, "code"),
                       "unit code '%s' must be lower-case letters, digits and _, like per_100000",
                       code);
        return;
    }
    if (unit_code_index(fw, code) >= 0) {
        acv_ys_problem(&L->S, yt_map_get(m, "code"), "duplicate unit code '%s'", code);
        return;
    }
    acv_unit un = {.code = code,
                   .file = acv_arena_strdup(&fw->arena, L->S.file),
                   .line = m->line,
                   .col = m->col};
    un.name = acv_ys_string(&L->S, m, "name", ACV_YS_REQUIRED | ACV_YS_NOT_BLANK, ctx);
    const yt_node *list = NULL;
    un.aliases =
        acv_ys_string_list(&L->S, m, "aliases", ACV_YS_NOT_BLANK, &un.n_aliases, &list, ctx);
    /* a unit text may name one unit only, or a series' unit would depend on the table's order */
    const char *texts[2] = {code, un.name};
    for (size_t k = 0; k < 2 + un.n_aliases; k++) {
        const char *t = k < 2 ? texts[k] : un.aliases[k - 2];
        long other = t ? unit_named(fw, t) : -1;
        if (other >= 0) {
            const yt_node *at = k == 0   ? yt_map_get(m, "code")
                                : k == 1 ? yt_map_get(m, "name")
                                : list && list->kind == YT_SEQ && k - 2 < list->count
                                    ? list->items[k - 2]
                                    : m;
            acv_ys_problem(&L->S, at, "unit text '%s' of %s already names unit %s", t, ctx,
                           fw->units[other].code);
        }
    }
    if (!has_room(L, ACV_GROW(fw->units, L->cap_units, fw->n_units, 16)))
        return;
    fw->units[fw->n_units++] = un;
}

static void load_unit_conversion(loader *L, const yt_node *m, size_t index)
{
    static const char *const keys[] = {"from", "to", "factor", NULL};
    acv_framework *fw = L->fw;
    char ctx[128];
    if (!mapping_item(L, m, ctx, sizeof ctx, "unit conversion #%zu", index + 1))
        return;
    acv_ys_check_keys(&L->S, m, keys, ctx);
    acv_unit_conversion c = {
        .file = acv_arena_strdup(&fw->arena, L->S.file), .line = m->line, .col = m->col};
    c.from = acv_ys_string(&L->S, m, "from", ACV_YS_REQUIRED, ctx);
    c.to = acv_ys_string(&L->S, m, "to", ACV_YS_REQUIRED, ctx);
    if (!acv_ys_number(&L->S, m, "factor", ACV_YS_REQUIRED, &c.factor, ctx))
        return;
    if (!(c.factor > 0)) {
        acv_ys_problem(&L->S, yt_map_get(m, "factor"), "'factor' must be above 0 in %s", ctx);
        return;
    }
    if (!c.from || !c.to)
        return;
    if (strcmp(c.from, c.to) == 0) {
        acv_ys_problem(&L->S, m, "%s converts '%s' to itself (the identity needs no declaring)",
                       ctx, c.from);
        return;
    }
    for (size_t k = 0; k < fw->n_unit_conversions; k++) {
        const acv_unit_conversion *o = &fw->unit_conversions[k];
        if ((strcmp(o->from, c.from) == 0 && strcmp(o->to, c.to) == 0) ||
            (strcmp(o->from, c.to) == 0 && strcmp(o->to, c.from) == 0)) {
            acv_ys_problem(&L->S, m, "a second conversion between '%s' and '%s' in %s", c.from,
                           c.to, ctx);
            return;
        }
    }
    if (!has_room(L, ACV_GROW(fw->unit_conversions, L->cap_conversions, fw->n_unit_conversions, 8)))
        return;
    fw->unit_conversions[fw->n_unit_conversions++] = c;
}

static void load_list(loader *L, const yt_node *root, const char *key,
                      void (*one)(loader *, const yt_node *, size_t))
{
    const yt_node *seq = yt_map_get(root, key);
    if (!seq || acv_ys_is_null(seq))
        return;
    if (seq->kind != YT_SEQ) {
        acv_ys_problem(&L->S, seq, "'%s' must be a list, found %s", key, acv_ys_kind_name(seq));
        return;
    }
    for (size_t i = 0; i < seq->count && !L->S.oom; i++)
        one(L, seq->items[i], i);
}

static void load_document(loader *L, const yt_node *root)
{
    static const char *const keys[] = {"framework",     "pillar", "action_areas",     "indicators",
                                       "data_elements", "units",  "unit_conversions", NULL};
    L->file_pillar = NULL;
    if (!root)
        return;
    if (root->kind != YT_MAP) {
        acv_ys_problem(&L->S, root,
                       "a framework file must be a mapping with keys like 'pillar' and "
                       "'indicators', found %s",
                       acv_ys_kind_name(root));
        return;
    }
    acv_ys_check_keys(&L->S, root, keys, "a framework file");
    const yt_node *meta = yt_map_get(root, "framework");
    if (meta)
        load_framework_meta(L, meta);
    const yt_node *pillar = yt_map_get(root, "pillar");
    if (pillar)
        load_pillar(L, pillar);
    load_list(L, root, "units", load_unit);
    load_list(L, root, "unit_conversions", load_unit_conversion);
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
    const char *id = item_id(L, m, index, "question", keys, ctx, sizeof ctx);
    if (!id)
        return;
    if (!unique_id(L, m, "question", id, acv_framework_find_question(fw, id)) ||
        !has_room(L, ACV_GROW(fw->questions, L->cap_questions, fw->n_questions, 16)))
        return;
    acv_question *q = &fw->questions[fw->n_questions];
    q->id = id;
    q->action_area = acv_ys_string(&L->S, m, "action_area", 1, ctx);
    q->area = (size_t)-1;
    if (q->action_area) {
        long a = acv_framework_find_action_area(fw, q->action_area);
        if (a < 0)
            acv_ys_problem(&L->S, yt_map_get(m, "action_area"), "unknown action area '%s' in %s",
                           q->action_area, ctx);
        else
            q->area = (size_t)a;
    }
    q->dimensions = acv_ys_string_list(&L->S, m, "dimensions", 0, &q->n_dimensions, NULL, ctx);
    const yt_node *dims = yt_map_get(m, "dimensions");
    if (!dims)
        acv_ys_problem(&L->S, m, "missing key 'dimensions' in %s", ctx);
    for (size_t i = 0; i < q->n_dimensions && dims && dims->kind == YT_SEQ; i++) {
        int known = 0;
        for (size_t d = 0; d < fw->n_dimensions; d++)
            if (strcmp(fw->dimensions[d].id, q->dimensions[i]) == 0)
                known = 1;
        if (!known)
            acv_ys_problem(&L->S, dims->items[i], "unknown dimension '%s' in %s", q->dimensions[i],
                           ctx);
    }
    q->text = acv_ys_string(&L->S, m, "text", 1, ctx);
    q->level4 = acv_ys_string(&L->S, m, "level4", 1, ctx);
    fw->n_questions++;
}

static void load_dimension(loader *L, const yt_node *m, size_t index)
{
    static const char *const keys[] = {"id", "name", "meaning", NULL};
    acv_framework *fw = L->fw;
    char ctx[64];
    if (!mapping_item(L, m, ctx, sizeof ctx, "dimension #%zu", index + 1))
        return;
    acv_ys_check_keys(&L->S, m, keys, ctx);
    if (!has_room(L, ACV_GROW(fw->dimensions, L->cap_dimensions, fw->n_dimensions, 16)))
        return;
    acv_dimension *d = &fw->dimensions[fw->n_dimensions];
    d->id = acv_ys_string(&L->S, m, "id", 1, ctx);
    d->name = acv_ys_string(&L->S, m, "name", 1, ctx);
    d->meaning = acv_ys_string(&L->S, m, "meaning", 0, ctx);
    if (d->id)
        fw->n_dimensions++;
}

static void load_scale(loader *L, const yt_node *seq)
{
    static const char *const keys[] = {"level", "label", "meaning", NULL};
    acv_framework *fw = L->fw;
    if (seq->kind != YT_SEQ) {
        acv_ys_problem(&L->S, seq, "'scale' must be a list of levels 0 to %d",
                       ACV_MATURITY_LEVELS - 1);
        return;
    }
    L->scale_seen = 1;
    for (size_t i = 0; i < seq->count; i++) {
        const yt_node *m = seq->items[i];
        if (m->kind != YT_MAP) {
            acv_ys_problem(&L->S, m, "scale level #%zu must be a mapping", i + 1);
            continue;
        }
        acv_ys_check_keys(&L->S, m, keys, "a scale level");
        int level;
        if (!acv_ys_int(&L->S, m, "level", 1, &level, "a scale level"))
            continue;
        if (level < 0 || level >= ACV_MATURITY_LEVELS) {
            acv_ys_problem(&L->S, yt_map_get(m, "level"), "scale levels go from 0 to %d, found %d",
                           ACV_MATURITY_LEVELS - 1, level);
            continue;
        }
        fw->scale[level].label = acv_ys_string(&L->S, m, "label", 1, "a scale level");
        fw->scale[level].meaning = acv_ys_string(&L->S, m, "meaning", 0, "a scale level");
    }
    for (int level = 0; level < ACV_MATURITY_LEVELS; level++)
        if (!fw->scale[level].label)
            acv_ys_problem(&L->S, seq, "the scale has no level %d", level);
}

static void load_assessment_document(loader *L, const yt_node *root)
{
    static const char *const keys[] = {"scale", "dimensions", "rules", "questions", NULL};
    static const char *const rule_keys[] = {"evidence_required_from_level", "cap_without_evidence",
                                            NULL};
    if (!root)
        return;
    if (root->kind != YT_MAP) {
        acv_ys_problem(&L->S, root,
                       "an assessment file must be a mapping with 'questions', found %s",
                       acv_ys_kind_name(root));
        return;
    }
    acv_ys_check_keys(&L->S, root, keys, "an assessment file");
    const yt_node *scale = yt_map_get(root, "scale");
    if (scale)
        load_scale(L, scale);
    load_list(L, root, "dimensions", load_dimension);
    const yt_node *rules = acv_ys_map(&L->S, root, "rules", 0, "an assessment file");
    if (rules) {
        acv_ys_check_keys(&L->S, rules, rule_keys, "rules");
        int v;
        if (acv_ys_int(&L->S, rules, "evidence_required_from_level", 0, &v, "rules"))
            L->fw->evidence_from_level = v;
        if (acv_ys_int(&L->S, rules, "cap_without_evidence", 0, &v, "rules"))
            L->fw->cap_without_evidence = v;
    }
    load_list(L, root, "questions", load_question);
}

/* Reads indicators/assessment/NAME.yml of the framework in name order; a missing folder means
 * no guideline. */
static acv_status load_assessment_folder(loader *L, const acv_overlay *roots, acv_sha256 *hash,
                                         acv_error *err)
{
    acv_framework *fw = L->fw;
    acv_files files;
    acv_status st =
        acv_overlay_root_files(roots, ACV_ROOT_FRAMEWORK, ACV_FILES_ASSESSMENT, &files, err);
    if (st != ACV_OK)
        return st;
    for (size_t i = 0; i < files.n && i < MAX_FRAMEWORK_FILES && !L->S.oom; i++) {
        const char *display = files.items[i].display;
        L->S.file = acv_arena_strdup(&fw->arena, display);
        char *buf = NULL;
        size_t len = 0;
        int rc = acv_read_file(files.items[i].path, YT_MAX_BYTES, &buf, &len);
        if (rc != 0) {
            acv_ys_problem(&L->S, NULL,
                           rc == -2 ? "file is larger than 1 MiB" : "cannot read the file");
            continue;
        }
        acv_sha256_update(hash, display, strlen(display) + 1);
        acv_sha256_update(hash, buf, len);
        yt_doc *doc = NULL;
        acv_error yerr;
        if (acv_ys_parsed(&L->S, yt_parse_buffer(buf, len, display, &doc, &yerr), &yerr) > 0)
            load_assessment_document(L, yt_root(doc));
        yt_free(doc);
        free(buf);
    }
    acv_files_free(&files);
    if (fw->n_questions > 0 && !L->scale_seen)
        acv_ys_problem(&L->S, NULL, "the assessment has questions but no 'scale'");
    for (size_t a = 0; fw->n_questions > 0 && a < fw->n_action_areas; a++) {
        size_t n = 0;
        for (size_t q = 0; q < fw->n_questions; q++)
            n += fw->questions[q].area == a;
        if (n < 3) {
            L->S.file = "indicators/assessment";
            acv_ys_problem(&L->S, NULL,
                           "action area %s has %zu self-assessment question%s; the guideline "
                           "needs at least 3",
                           fw->action_areas[a].id, n, n == 1 ? "" : "s");
        }
    }
    return ACV_OK;
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
                L->S.file = ind->file;
                yt_node at = {.line = ind->line, .col = ind->col};
                acv_ys_problem(&L->S, &at,
                               "the formula of indicator %s names unknown data element '%s'",
                               ind->id, names[k]);
            }
        }
    }
    /* unit codes name units of the table, which any file may declare */
    for (size_t i = 0; i < fw->n_indicators; i++) {
        const acv_indicator *ind = &fw->indicators[i];
        if (!ind->unit_code || unit_code_index(fw, ind->unit_code) >= 0)
            continue;
        L->S.file = ind->file;
        yt_node at = {.line = ind->line, .col = ind->col};
        acv_ys_problem(&L->S, &at,
                       "unknown unit code '%s' in indicator %s (declare it under 'units')",
                       ind->unit_code, ind->id);
    }
    for (size_t k = 0; k < fw->n_unit_conversions; k++) {
        const acv_unit_conversion *c = &fw->unit_conversions[k];
        const char *ends[2] = {c->from, c->to};
        for (int e = 0; e < 2; e++) {
            if (unit_code_index(fw, ends[e]) >= 0)
                continue;
            L->S.file = c->file;
            yt_node at = {.line = c->line, .col = c->col};
            acv_ys_problem(&L->S, &at, "unknown unit code '%s' in the conversion from '%s' to '%s'",
                           ends[e], c->from, c->to);
        }
    }
    if (!L->framework_seen) {
        L->S.file = "indicators";
        acv_ys_problem(&L->S, NULL, "no file has a 'framework' block (id, name, version)");
    }
    if (fw->n_indicators == 0) {
        L->S.file = "indicators";
        acv_ys_problem(&L->S, NULL, "the framework defines no indicators");
    }
}

/* The framework's indicators/ folder, or an overlay's own folder, must exist (an overlay may lack
 * indicators/: one holding only plugins/ is fine). what: "framework" or "overlay". */
static acv_status readable_folder(const acv_overlay *roots, size_t root, const char *what,
                                  acv_error *err)
{
    char *dir = root == ACV_ROOT_FRAMEWORK ? acv_path_join(roots->roots[root].dir, "indicators")
                                           : strdup(roots->roots[root].dir);
    if (!dir)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    DIR *d = opendir(dir);
    acv_status st = ACV_OK;
    if (!d)
        st = acv_error_set(err, ACV_ERR_IO, "%s: cannot read the %s folder: %s", dir, what,
                           strerror(errno));
    else
        closedir(d);
    free(dir);
    return st;
}

/* Loads the framework root of roots (the overlay is applied by the caller). */
static acv_status load_framework(const acv_overlay *roots, acv_framework **out, acv_error *err)
{
    const char *dir = roots->roots[ACV_ROOT_FRAMEWORK].dir;
    *out = NULL;
    acv_framework *fw = calloc(1, sizeof *fw);
    if (!fw)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory loading the framework");
    fw->dir = acv_arena_strdup(&fw->arena, dir);
    fw->evidence_from_level = 3;
    fw->cap_without_evidence = 2;
    fw->scoring =
        (acv_scoring_defaults){"escap_api", "arithmetic", "none", 3, 0.5, 0.2, 2015, 2030};
    loader L;
    loader_init(&L, fw);

    acv_files files;
    acv_status st = readable_folder(roots, ACV_ROOT_FRAMEWORK, "framework", err);
    if (st == ACV_OK)
        st = acv_overlay_root_files(roots, ACV_ROOT_FRAMEWORK, ACV_FILES_INDICATORS, &files, err);
    if (st != ACV_OK) {
        acv_framework_free(fw);
        return st;
    }
    size_t n_names = files.n < MAX_FRAMEWORK_FILES ? files.n : MAX_FRAMEWORK_FILES;

    acv_sha256 hash;
    acv_sha256_init(&hash);
    yt_doc *docs[MAX_FRAMEWORK_FILES] = {0};
    /* A file the YAML reader refuses is left out whole, so every other file's reference to what
     * it defines would be reported missing too (13 follow-on problems for one tab): its first
     * syntax error is then the only problem reported, and the loading stops there. */
    int yaml_refused = 0;
    for (size_t i = 0; i < n_names && st == ACV_OK && !L.S.oom; i++) {
        const char *display = files.items[i].display;
        char *buf = NULL;
        size_t len = 0;
        int rc = acv_read_file(files.items[i].path, YT_MAX_BYTES, &buf, &len);
        if (rc == -2) {
            L.S.file = acv_arena_strdup(&fw->arena, display);
            acv_ys_problem(&L.S, NULL, "file is larger than %d bytes", YT_MAX_BYTES);
            continue;
        }
        if (rc != 0) {
            st = acv_error_set(err, ACV_ERR_IO, "%s: cannot read: %s", display, strerror(errno));
            break;
        }
        acv_sha256_update(&hash, display, strlen(display) + 1);
        acv_sha256_update(&hash, buf, len);
        acv_error yerr;
        if (acv_ys_parsed(&L.S, yt_parse_buffer(buf, len, display, &docs[i], &yerr), &yerr) == 0)
            yaml_refused = 1;
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
    for (size_t k = 0; k < n_names && st == ACV_OK && !L.S.oom && !yaml_refused; k++) {
        size_t i = order[k];
        if (!docs[i])
            continue;
        L.S.file = acv_arena_strdup(&fw->arena, yt_doc_name(docs[i]));
        load_document(&L, yt_root(docs[i]));
    }
    if (pillar_order && pillar_order->kind == YT_SEQ && st == ACV_OK && !L.S.oom && !yaml_refused) {
        for (size_t k = 0; k < pillar_order->count; k++) {
            const yt_node *item = pillar_order->items[k];
            if (item->kind == YT_SCALAR && acv_framework_find_pillar(fw, item->str) < 0) {
                L.S.file = "indicators/framework.yml";
                for (size_t i = 0; i < n_names; i++)
                    if (yt_map_get(yt_root(docs[i]), "framework"))
                        L.S.file = acv_arena_strdup(&fw->arena, yt_doc_name(docs[i]));
                acv_ys_problem(&L.S, item, "unknown pillar '%s' in pillar_order", item->str);
            }
        }
    }
    for (size_t i = 0; i < n_names; i++)
        yt_free(docs[i]);
    if (st == ACV_OK && !L.S.oom && !yaml_refused)
        st = load_assessment_folder(&L, roots, &hash, err);
    acv_files_free(&files);
    acv_sha256_final_hex(&hash, fw->hash);

    if (st == ACV_OK && !L.S.oom && !yaml_refused)
        check_cross_references(&L);
    if (loader_finish(&L)) {
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
    acv_strings_free(fw->problems, fw->n_problems);
    free(fw->pillars);
    free(fw->action_areas);
    free(fw->indicators);
    free(fw->data_elements);
    free(fw->units);
    free(fw->unit_conversions);
    free(fw->questions);
    free(fw->dimensions);
    acv_strings_free(fw->changes, fw->n_changes);
    acv_arena_free(&fw->arena);
    free(fw);
}

long acv_framework_find_indicator(const acv_framework *fw, const char *id)
{
    return FIND_ID(acv_indicator, fw->indicators, fw->n_indicators, id);
}

long acv_framework_find_question(const acv_framework *fw, const char *id)
{
    return FIND_ID(acv_question, fw->questions, fw->n_questions, id);
}

long acv_framework_find_action_area(const acv_framework *fw, const char *id)
{
    return FIND_ID(acv_action_area, fw->action_areas, fw->n_action_areas, id);
}

long acv_framework_find_pillar(const acv_framework *fw, const char *id)
{
    return FIND_ID(acv_pillar, fw->pillars, fw->n_pillars, id);
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
    ACV_VFORMAT(msg, sizeof msg, fmt);
    if (!has_room(O->L, ACV_GROW(fw->changes, O->cap_changes, fw->n_changes, 16)))
        return;
    if ((fw->changes[fw->n_changes] = strdup(msg)) != NULL)
        fw->n_changes++;
    else
        O->L->S.oom = 1;
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
        acv_ys_problem(&L->S, m,
                       "'weights' must be a mapping with pillars, action_areas or indicators");
        return;
    }
    acv_ys_check_keys(&L->S, m, keys, "weights");
    for (int level = 0; level < 3; level++) {
        const yt_node *group = yt_map_get(m, keys[level]);
        if (!group)
            continue;
        if (group->kind != YT_MAP) {
            acv_ys_problem(&L->S, group, "'%s' in weights must map ids to numbers", keys[level]);
            continue;
        }
        for (size_t i = 0; i < group->count; i++) {
            const char *id = group->keys[i]->str;
            double w;
            if (!acv_ys_is_number(group->items[i], &w)) {
                acv_ys_problem(&L->S, group->items[i], "the weight of %s must be a number", id);
                continue;
            }
            if (w < 0.5 || w > 2) {
                acv_ys_problem(
                    &L->S, group->items[i],
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
                acv_ys_problem(&L->S, group->keys[i], "unknown %s '%s' in weights",
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
    if (!mapping_item(L, m, ctx, sizeof ctx, "override #%zu", index + 1))
        return;
    acv_ys_check_keys(&L->S, m, keys, ctx);
    const char *id = acv_ys_string(&L->S, m, "indicator", 1, ctx);
    const char *reason = acv_ys_string(&L->S, m, "reason", 1, ctx);
    if (!id)
        return;
    long k = acv_framework_find_indicator(fw, id);
    if (k < 0) {
        acv_ys_problem(&L->S, yt_map_get(m, "indicator"), "unknown indicator '%s' in %s", id, ctx);
        return;
    }
    acv_indicator *ind = &fw->indicators[k];
    snprintf(ctx, sizeof ctx, "the override of %s", id);
    const yt_node *bounds = acv_ys_map(&L->S, m, "bounds", 0, ctx);
    if (bounds) {
        double worst = ind->worst, best = ind->best;
        load_bounds(L, bounds, ind, ctx);
        ind->changed |= ACV_CHANGED_BOUNDS;
        change(O, "%s bounds: worst %g, best %g -> worst %g, best %g (%s)", id, worst, best,
               ind->worst, ind->best, reason ? reason : "no reason given");
    }
    const yt_node *targets = yt_map_get(m, "targets");
    if (targets && !acv_ys_is_null(targets)) {
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
    if (bounds || (targets && !acv_ys_is_null(targets)))
        check_targets_in_bounds(L, targets ? targets : bounds, ind, ctx);
    const yt_node *scoring = acv_ys_map(&L->S, m, "scoring", 0, ctx);
    if (scoring) {
        acv_ys_check_keys(&L->S, scoring, scoring_keys, ctx);
        const char *t = acv_ys_enum(&L->S, scoring, "transform", 0, transforms, ctx);
        if (t)
            ind->transform = t;
        int years;
        if (acv_ys_int(&L->S, scoring, "smoothing_years", 0, &years, ctx))
            ind->smoothing_years = years;
        const char *method = method_ref(L, scoring, "method", ctx);
        if (method)
            ind->method = method;
        ind->changed |= ACV_CHANGED_SCORING;
        change(O, "%s scoring options changed (%s)", id, reason ? reason : "no reason given");
    }
    if (bounds || scoring) {
        const yt_node *transform = scoring ? yt_map_get(scoring, "transform") : NULL;
        check_log_bounds(L, transform ? transform : bounds ? bounds : scoring, ind, ctx);
    }
    if (!bounds && !scoring && !(targets && !acv_ys_is_null(targets)))
        acv_ys_problem(&L->S, m, "%s changes nothing (give bounds, targets or scoring)", ctx);
}

static void load_not_applicable(overlay_loader *O, const yt_node *m, size_t index)
{
    loader *L = O->L;
    acv_framework *fw = L->fw;
    static const char *const keys[] = {"indicator", "reason", NULL};
    char ctx[64];
    snprintf(ctx, sizeof ctx, "not_applicable #%zu", index + 1);
    if (m->kind != YT_MAP) {
        acv_ys_problem(&L->S, m, "%s must be a mapping with indicator and reason", ctx);
        return;
    }
    acv_ys_check_keys(&L->S, m, keys, ctx);
    const char *id = acv_ys_string(&L->S, m, "indicator", 1, ctx);
    const char *reason = acv_ys_string(&L->S, m, "reason", 1, ctx);
    if (!id || !reason)
        return;
    long k = acv_framework_find_indicator(fw, id);
    if (k < 0) {
        acv_ys_problem(&L->S, yt_map_get(m, "indicator"), "unknown indicator '%s' in %s", id, ctx);
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
    if (!seq || acv_ys_is_null(seq))
        return;
    if (seq->kind != YT_SEQ) {
        acv_ys_problem(&O->L->S, seq, "'%s' must be a list, found %s", key, acv_ys_kind_name(seq));
        return;
    }
    for (size_t i = 0; i < seq->count && !O->L->S.oom; i++)
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
        acv_ys_problem(&L->S, root, "an overlay file must be a mapping, found %s",
                       acv_ys_kind_name(root));
        return;
    }
    acv_ys_check_keys(&L->S, root, keys, "an overlay file");
    const yt_node *meta = acv_ys_map(&L->S, root, "overlay", 0, "an overlay file");
    if (meta) {
        acv_ys_check_keys(&L->S, meta, meta_keys, "overlay");
        const char *name = acv_ys_string(&L->S, meta, "name", 1, "overlay");
        if (name)
            fw->overlay_name = name;
        acv_ys_string(&L->S, meta, "area", 0, "overlay");
        acv_ys_string(&L->S, meta, "description", 0, "overlay");
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
    const yt_node *scoring = acv_ys_map(&L->S, root, "scoring", 0, "an overlay file");
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

/* Applies the overlay root of roots to fw. */
static acv_status apply_overlay(acv_framework *fw, const acv_overlay *roots, acv_error *err)
{
    const char *dir = roots->roots[ACV_ROOT_OVERLAY].dir;
    acv_status st = readable_folder(roots, ACV_ROOT_OVERLAY, "overlay", err);
    acv_files files = {0};
    if (st == ACV_OK)
        st = acv_overlay_root_files(roots, ACV_ROOT_OVERLAY, ACV_FILES_INDICATORS, &files, err);
    if (st != ACV_OK)
        return st;
    loader L;
    loader_init(&L, fw);
    L.cap_pillars = fw->n_pillars;
    L.cap_areas = fw->n_action_areas;
    L.cap_indicators = fw->n_indicators;
    L.cap_elements = fw->n_data_elements;
    L.cap_units = fw->n_units;
    L.cap_conversions = fw->n_unit_conversions;
    L.cap_questions = fw->n_questions;
    L.cap_dimensions = fw->n_dimensions;
    L.framework_seen = 1;
    overlay_loader O = {.L = &L, .cap_changes = fw->n_changes};
    size_t problems_before = L.problems.n;
    fw->overlay_dir = acv_arena_strdup(&fw->arena, dir);

    /* the run's framework hash covers the shared framework and the overlay */
    acv_sha256 hash;
    acv_sha256_init(&hash);
    acv_sha256_update(&hash, fw->hash, 64);
    int yaml_refused = 0; /* the files after one that is not YAML are left out, see below */
    for (size_t i = 0; i < files.n && i < MAX_FRAMEWORK_FILES && !L.S.oom; i++) {
        const char *display = files.items[i].display;
        L.S.file = acv_arena_strdup(&fw->arena, display);
        char *buf = NULL;
        size_t len = 0;
        int rc = acv_read_file(files.items[i].path, YT_MAX_BYTES, &buf, &len);
        if (rc != 0) {
            acv_ys_problem(&L.S, NULL,
                           rc == -2 ? "file is larger than 1 MiB" : "cannot read the file");
            continue;
        }
        acv_sha256_update(&hash, display, strlen(display) + 1);
        acv_sha256_update(&hash, buf, len);
        yt_doc *doc = NULL;
        acv_error yerr;
        if (acv_ys_parsed(&L.S, yt_parse_buffer(buf, len, display, &doc, &yerr), &yerr) <= 0)
            yaml_refused = 1;
        else if (!yaml_refused)
            load_overlay_document(&O, yt_root(doc));
        yt_free(doc);
        free(buf);
    }
    acv_files_free(&files);
    acv_sha256_final_hex(&hash, fw->hash);
    if (!fw->overlay_name) {
        /* the overlay's folder name, as messages show it ("coastal/" -> "coastal") */
        char base[300];
        snprintf(base, sizeof base, "%s", roots->roots[ACV_ROOT_OVERLAY].display);
        base[strcspn(base, "/")] = '\0';
        fw->overlay_name = acv_arena_strdup(&fw->arena, base);
    }
    if (!L.S.oom && !yaml_refused) /* as in acv_framework_load: no follow-on problems */
        check_cross_references(&L);
    if (loader_finish(&L))
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory loading the overlay");
    if (fw->n_problems > problems_before) {
        size_t n = fw->n_problems - problems_before;
        if (n == 1)
            return acv_error_set(err, ACV_ERR_INPUT, "%s", fw->problems[problems_before]);
        return acv_error_set(err, ACV_ERR_INPUT, "%s\n(%zu problems in the overlay)",
                             fw->problems[problems_before], n);
    }
    return ACV_OK;
}

acv_status acv_framework_load_roots(const acv_overlay *roots, acv_framework **out, acv_error *err)
{
    acv_status st = load_framework(roots, out, err);
    if (st == ACV_OK && roots->n_roots > ACV_ROOT_OVERLAY)
        st = apply_overlay(*out, roots, err);
    return st;
}

acv_status acv_framework_load(const char *dir, acv_framework **out, acv_error *err)
{
    acv_overlay roots;
    *out = NULL;
    acv_status st = acv_overlay_init(&roots, dir, NULL, err);
    if (st == ACV_OK)
        st = load_framework(&roots, out, err);
    acv_overlay_free(&roots);
    return st;
}
