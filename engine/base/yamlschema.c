/* yamlschema.c — shared strict-YAML checks and the problem list; see yamlschema.h. */
#include "yamlschema.h"
#include "values.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void acv_problems_add(acv_problems *p, const char *message)
{
    p->total++;
    if (p->max && p->n >= p->max)
        return;
    if (ACV_GROW(p->items, p->cap, p->n, 16) != 0) {
        p->oom = 1;
        return;
    }
    char *copy = strdup(message);
    if (!copy) {
        p->oom = 1;
        return;
    }
    p->items[p->n++] = copy;
}

void acv_problems_free(acv_problems *p)
{
    acv_strings_free(p->items, p->n);
    memset(p, 0, sizeof *p);
}

void acv_ys_problem(acv_ys *S, const yt_node *at, const char *fmt, ...)
{
    acv_problems *p = S->problems;
    if (p->max && p->n >= p->max) {
        p->total++; /* counted, not kept: no need to format it */
        return;
    }
    char msg[1024];
    ACV_VFORMAT(msg, sizeof msg, fmt);
    char full[1400];
    if (at)
        snprintf(full, sizeof full, "%s:%d:%d: %s", S->file, at->line, at->col, msg);
    else
        snprintf(full, sizeof full, "%s: %s", S->file, msg);
    acv_problems_add(p, full);
}

int acv_ys_parsed(acv_ys *S, acv_status st, const acv_error *yerr)
{
    if (st == ACV_OK)
        return 1;
    if (yerr->status == ACV_ERR_NOMEM) {
        S->oom = 1;
        return -1;
    }
    acv_problems_add(S->problems, yerr->message);
    return 0;
}

int acv_ys_oom(const acv_ys *S)
{
    return S->oom || S->problems->oom;
}

const char *acv_ys_kind_name(const yt_node *n)
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

int acv_ys_is_null(const yt_node *n)
{
    return n->kind == YT_SCALAR && n->plain &&
           (n->len == 0 || strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0);
}

void acv_ys_check_keys(acv_ys *S, const yt_node *map, const char *const *allowed, const char *ctx)
{
    for (size_t i = 0; i < map->count; i++) {
        const char *k = map->keys[i]->str;
        int ok = 0;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = strcmp(*a, k) == 0;
        if (!ok)
            acv_ys_problem(S, map->keys[i], "unknown key '%s' in %s", k, ctx);
    }
}

static int is_blank(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    return *s == '\0';
}

/* The value under key, or NULL when absent ("missing key" when required). */
static const yt_node *present(acv_ys *S, const yt_node *map, const char *key, int flags,
                              const char *ctx)
{
    const yt_node *v = yt_map_get(map, key);
    if (!v || acv_ys_is_null(v)) {
        if (flags & ACV_YS_REQUIRED)
            acv_ys_problem(S, v ? v : map, "missing key '%s' in %s", key, ctx);
        return NULL;
    }
    return v;
}

/* The value under key when it is of the given kind ("'k' must be WHAT in CTX, found a list" when
 * it is not), or NULL when absent or wrong. */
static const yt_node *present_kind(acv_ys *S, const yt_node *map, const char *key, int flags,
                                   const char *ctx, yt_kind kind, const char *what)
{
    const yt_node *v = present(S, map, key, flags, ctx);
    if (v && v->kind != kind) {
        acv_ys_problem(S, v, "'%s' must be %s in %s, found %s", key, what, ctx,
                       acv_ys_kind_name(v));
        return NULL;
    }
    return v;
}

static const char *keep(acv_ys *S, const char *s)
{
    const char *copy = acv_arena_strdup(S->arena, s);
    if (!copy)
        S->oom = 1;
    return copy;
}

const yt_node *acv_ys_scalar(acv_ys *S, const yt_node *map, const char *key, int flags,
                             const char *ctx)
{
    const yt_node *v = present_kind(S, map, key, flags, ctx, YT_SCALAR, "text");
    if (!v)
        return NULL;
    if ((flags & ACV_YS_NOT_BLANK) && is_blank(v->str)) {
        acv_ys_problem(S, v, "'%s' must not be empty in %s", key, ctx);
        return NULL;
    }
    return v;
}

const char *acv_ys_string(acv_ys *S, const yt_node *map, const char *key, int flags,
                          const char *ctx)
{
    const yt_node *v = acv_ys_scalar(S, map, key, flags, ctx);
    return v ? keep(S, v->str) : NULL;
}

int acv_ys_is_number(const yt_node *node, double *out)
{
    /* a quoted "12" is text, not a number */
    return node->kind == YT_SCALAR && node->plain && acv_parse_number(node->str, out);
}

int acv_ys_number(acv_ys *S, const yt_node *map, const char *key, int flags, double *out,
                  const char *ctx)
{
    const yt_node *v = present(S, map, key, flags, ctx);
    if (!v)
        return 0;
    if (!acv_ys_is_number(v, out)) {
        acv_ys_problem(S, v, "'%s' must be a number in %s, found '%s'", key, ctx,
                       v->kind == YT_SCALAR ? v->str : acv_ys_kind_name(v));
        return 0;
    }
    return 1;
}

int acv_ys_int(acv_ys *S, const yt_node *map, const char *key, int flags, int *out, const char *ctx)
{
    double d;
    if (!acv_ys_number(S, map, key, flags, &d, ctx))
        return 0;
    if (d != floor(d) || d < -1e9 || d > 1e9) {
        acv_ys_problem(S, yt_map_get(map, key), "'%s' must be a whole number in %s", key, ctx);
        return 0;
    }
    *out = (int)d;
    return 1;
}

int acv_ys_bool(acv_ys *S, const yt_node *map, const char *key, int flags, int *out,
                const char *ctx)
{
    const yt_node *v = present(S, map, key, flags, ctx);
    if (!v)
        return 0;
    if (v->kind == YT_SCALAR && v->plain && strcmp(v->str, "true") == 0) {
        *out = 1;
        return 1;
    }
    if (v->kind == YT_SCALAR && v->plain && strcmp(v->str, "false") == 0) {
        *out = 0;
        return 1;
    }
    acv_ys_problem(S, v, "'%s' must be true or false in %s, found '%s'", key, ctx,
                   v->kind == YT_SCALAR ? v->str : acv_ys_kind_name(v));
    return 0;
}

const yt_node *acv_ys_map(acv_ys *S, const yt_node *map, const char *key, int flags,
                          const char *ctx)
{
    return present_kind(S, map, key, flags, ctx, YT_MAP, "a mapping");
}

const char *acv_ys_enum(acv_ys *S, const yt_node *map, const char *key, int flags,
                        const char *const *options, const char *ctx)
{
    const char *s = acv_ys_string(S, map, key, flags, ctx);
    if (!s)
        return NULL;
    for (const char *const *o = options; *o; o++)
        if (strcmp(s, *o) == 0)
            return s;
    char opts[512] = "";
    for (const char *const *o = options; *o; o++) {
        if (o != options)
            strncat(opts, ", ", sizeof opts - strlen(opts) - 1);
        strncat(opts, *o, sizeof opts - strlen(opts) - 1);
    }
    acv_ys_problem(S, yt_map_get(map, key), "'%s' must be one of %s in %s, found '%s'", key, opts,
                   ctx, s);
    return NULL;
}

const char **acv_ys_string_list(acv_ys *S, const yt_node *map, const char *key, int flags,
                                size_t *n, const yt_node **node, const char *ctx)
{
    *n = 0;
    if (node)
        *node = NULL;
    const yt_node *v = present_kind(S, map, key, flags, ctx, YT_SEQ, "a list");
    if (!v)
        return NULL;
    if (node)
        *node = v;
    if (v->count == 0 && (flags & ACV_YS_REQUIRED)) {
        acv_ys_problem(S, v, "'%s' needs at least one item in %s", key, ctx);
        return NULL;
    }
    const char **list = acv_arena_alloc(S->arena, (v->count + 1) * sizeof *list);
    if (!list) {
        S->oom = 1;
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < v->count; i++) {
        const yt_node *item = v->items[i];
        int empty = item->kind == YT_SCALAR &&
                    (acv_ys_is_null(item) || ((flags & ACV_YS_NOT_BLANK) && is_blank(item->str)));
        if (item->kind != YT_SCALAR || empty) {
            acv_ys_problem(S, item, "items of '%s' must be text in %s, found %s", key, ctx,
                           empty ? "an empty value" : acv_ys_kind_name(item));
            continue;
        }
        list[k++] = keep(S, item->str);
    }
    *n = k;
    return list;
}
