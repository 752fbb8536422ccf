/* assumptions.c — the loader of indicators/uncertainty/assumptions.yml; see assumptions.h. */
#include "assumptions.h"
#include "yamlschema.h"

#include <stdlib.h>
#include <string.h>

static const char *const FACTORS[ACV_N_FACTORS] = {"weights", "aggregation", "normalisation",
                                                   "imputation"};

const char *acv_factor_name(int factor)
{
    return factor >= 0 && factor < ACV_N_FACTORS ? FACTORS[factor] : "?";
}

static const char *const AGGREGATIONS[] = {"framework", "arithmetic", "geometric", NULL};
static const char *const NORMALISATIONS[] = {"minmax", "distance_to_target", NULL};
static const char *const IMPUTATIONS[] = {"none", "mean", NULL};
static const char *const LEVELS[] = {"indicator", "action_area", "pillar", NULL};

static int listed(const char *const *names, const char *s)
{
    for (size_t i = 0; names[i]; i++)
        if (strcmp(names[i], s) == 0)
            return 1;
    return 0;
}

static void join(const char *const *names, char *out, size_t size)
{
    out[0] = '\0';
    for (size_t i = 0; names[i]; i++) {
        strncat(out, i ? ", " : "", size - strlen(out) - 1);
        strncat(out, names[i], size - strlen(out) - 1);
    }
}

/* One discrete factor: a list of 1 to 3 distinct known alternatives. */
static void load_factor(acv_ys *S, const yt_node *map, int factor, const char *const *known,
                        acv_assumptions *a)
{
    const char *key = FACTORS[factor];
    const yt_node *list = NULL;
    size_t n = 0;
    const char **items = acv_ys_string_list(S, map, key, ACV_YS_REQUIRED | ACV_YS_NOT_BLANK, &n,
                                            &list, "the uncertainty assumptions");
    char names[128];
    join(known, names, sizeof names);
    for (size_t i = 0; items && i < n; i++) {
        const yt_node *at = list && list->kind == YT_SEQ && i < list->count ? list->items[i] : list;
        if (!listed(known, items[i])) {
            acv_ys_problem(S, at, "unknown %s '%s' in the uncertainty assumptions (known: %s)", key,
                           items[i], names);
            continue;
        }
        int twice = 0;
        for (size_t j = 0; j < a->n_alternatives[factor]; j++)
            twice |= strcmp(a->alternatives[factor][j], items[i]) == 0;
        if (twice) {
            acv_ys_problem(S, at, "%s '%s' is listed twice in the uncertainty assumptions", key,
                           items[i]);
            continue;
        }
        if (a->n_alternatives[factor] < 3)
            a->alternatives[factor][a->n_alternatives[factor]++] = items[i];
    }
}

static void load_root(acv_ys *S, const yt_node *root, acv_assumptions *a)
{
    static const char *const ROOT_KEYS[] = {"uncertainty", NULL};
    static const char *const KEYS[] = {"weights", "aggregation", "normalisation", "imputation",
                                       NULL};
    static const char *const WEIGHT_KEYS[] = {"noise", "levels", NULL};
    if (!root || root->kind != YT_MAP) {
        acv_ys_problem(S, root,
                       "the uncertainty assumptions must be a mapping with the key "
                       "'uncertainty'");
        return;
    }
    acv_ys_check_keys(S, root, ROOT_KEYS, "the file");
    const yt_node *u = acv_ys_map(S, root, "uncertainty", ACV_YS_REQUIRED, "the file");
    if (!u)
        return;
    acv_ys_check_keys(S, u, KEYS, "the uncertainty assumptions");
    const yt_node *w = acv_ys_map(S, u, "weights", ACV_YS_REQUIRED, "the uncertainty assumptions");
    if (w) {
        acv_ys_check_keys(S, w, WEIGHT_KEYS, "the weights");
        if (acv_ys_number(S, w, "noise", ACV_YS_REQUIRED, &a->noise, "the weights") &&
            (a->noise < 0 || a->noise > 0.99))
            acv_ys_problem(S, yt_map_get(w, "noise"),
                           "'noise' must be from 0 to 0.99 in the weights, found %g", a->noise);
        const yt_node *list = NULL;
        size_t n = 0;
        const char **levels =
            acv_ys_string_list(S, w, "levels", ACV_YS_NOT_BLANK, &n, &list, "the weights");
        if (!list) /* absent: every level */
            a->on_indicators = a->on_action_areas = a->on_pillars = 1;
        for (size_t i = 0; levels && i < n; i++) {
            if (!listed(LEVELS, levels[i]))
                acv_ys_problem(S, list->kind == YT_SEQ && i < list->count ? list->items[i] : list,
                               "unknown level '%s' in the weights (known: indicator, "
                               "action_area, pillar)",
                               levels[i]);
            a->on_indicators |= strcmp(levels[i], "indicator") == 0;
            a->on_action_areas |= strcmp(levels[i], "action_area") == 0;
            a->on_pillars |= strcmp(levels[i], "pillar") == 0;
        }
    }
    load_factor(S, u, ACV_FACTOR_AGGREGATION, AGGREGATIONS, a);
    load_factor(S, u, ACV_FACTOR_NORMALISATION, NORMALISATIONS, a);
    load_factor(S, u, ACV_FACTOR_IMPUTATION, IMPUTATIONS, a);
}

acv_status acv_assumptions_load(const acv_overlay *roots, const char *path, acv_assumptions *out,
                                acv_error *err)
{
    memset(out, 0, sizeof *out);
    char *found = NULL, *display = NULL;
    if (!path) {
        if (!acv_overlay_find(roots, ACV_ASSUMPTIONS_FILE, &found, &display))
            return acv_error_set(err, ACV_ERR_NOTFOUND,
                                 "no %s in the framework or the overlay: it declares what "
                                 "--uncertainty varies (docs/methodology.md); name one with "
                                 "--assumptions FILE",
                                 ACV_ASSUMPTIONS_FILE);
        path = found;
    }
    out->file = acv_arena_strdup(&out->arena, display ? display : path);
    acv_problems problems = {.max = 20};
    acv_ys S = {.problems = &problems, .file = out->file, .arena = &out->arena};
    yt_doc *doc = NULL;
    acv_error yerr;
    acv_error_clear(&yerr);
    acv_status st = yt_parse_file(path, out->file, &doc, &yerr);
    free(found);
    free(display);
    if (acv_ys_parsed(&S, st, &yerr) == 1)
        load_root(&S, yt_root(doc), out);
    yt_free(doc);
    if (acv_ys_oom(&S) || !out->file)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory reading the uncertainty assumptions");
    else if (problems.total)
        st = acv_error_set(err, ACV_ERR_INPUT, "%s%s", problems.items[0],
                           problems.total > 1 ? " (and more problems in the file)" : "");
    else
        st = ACV_OK;
    acv_problems_free(&problems);
    if (st != ACV_OK)
        acv_assumptions_free(out);
    return st;
}

void acv_assumptions_free(acv_assumptions *a)
{
    acv_arena_free(&a->arena);
    memset(a, 0, sizeof *a);
}
