/* practices.c — the best-practice registry: loader, import, search, before/after values and the
 * report section; see practices.h and docs/practices.md. */
#include "practices.h"
#include "yamlschema.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Enough to list every problem of a broken folder without flooding a terminal. */
#define MAX_PROBLEMS 200

/* ---- loader ---------------------------------------------------------------------------------- */

typedef struct {
    acv_ctx *ctx;
    const acv_practices_import_options *opt;
    acv_practices_summary *sum;
    acv_arena arena; /* every practice read, and their strings */
    acv_practice *items;
    size_t n_items, cap_items;
    acv_problems problems; /* handed to sum->problems when the load ends */
    acv_ys S;              /* S.file: display name of the file being read */
    acv_status fatal;      /* a database error while checking: stops the import */
    acv_error fatal_err;
} loader;

static const char *keep(loader *L, const char *s)
{
    const char *copy = acv_arena_strdup(&L->arena, s);
    if (s && !copy)
        L->S.oom = 1;
    return copy;
}

/* A whole year 1900-2100 under key of map; 0 when absent or wrong. */
static int get_year(loader *L, const yt_node *map, const char *key, int required, const char *where)
{
    const yt_node *v = yt_map_get(map, key);
    if (!v || acv_ys_is_null(v)) {
        if (required)
            acv_ys_problem(&L->S, v ? v : map, "missing key '%s' in %s", key, where);
        return 0;
    }
    long y = 0;
    int ok = v->kind == YT_SCALAR && v->plain && v->len == 4;
    for (size_t i = 0; ok && i < v->len; i++)
        ok = isdigit((unsigned char)v->str[i]);
    if (ok) {
        y = strtol(v->str, NULL, 10);
        ok = y >= 1900 && y <= 2100;
    }
    if (!ok) {
        acv_ys_problem(&L->S, v, "'%s' must be a year like 2021 in %s, found '%s'", key, where,
                       v->kind == YT_SCALAR ? v->str : acv_ys_kind_name(v));
        return 0;
    }
    return (int)y;
}

/* Ids appear on command lines and in Markdown: keep them to a safe alphabet. */
static int valid_practice_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64 || !isalnum((unsigned char)s[0]))
        return 0;
    for (const char *p = s; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '.' || *p == '-' || *p == '_'))
            return 0;
    return 1;
}

/* Reports the second of two equal entries of a list. */
static void check_twice(loader *L, const yt_node *list, const char *what, const char *where)
{
    if (!list)
        return;
    for (size_t i = 1; i < list->count; i++)
        for (size_t j = 0; j < i; j++)
            if (list->items[i]->kind == YT_SCALAR && list->items[j]->kind == YT_SCALAR &&
                strcmp(list->items[i]->str, list->items[j]->str) == 0) {
                acv_ys_problem(&L->S, list->items[i], "%s '%s' is listed twice in %s", what,
                               list->items[i]->str, where);
                break;
            }
}

static const acv_practice *find_loaded(const loader *L, const char *id)
{
    for (size_t i = 0; i < L->n_items; i++)
        if (strcmp(L->items[i].id, id) == 0)
            return &L->items[i];
    return NULL;
}

static void check_city(loader *L, const yt_node *root, const char *city, const char *where)
{
    acv_area area;
    acv_error lookup;
    acv_error_clear(&lookup);
    acv_status st = acv_store_get_area(L->ctx->store, city, &area, &lookup);
    if (st == ACV_OK)
        return;
    if (st != ACV_ERR_NOTFOUND) {
        if (L->fatal == ACV_OK) {
            L->fatal = st;
            L->fatal_err = lookup;
        }
        return;
    }
    if (L->opt->allow_unknown_areas) {
        L->sum->waiting++;
        return;
    }
    acv_ys_problem(
        &L->S, yt_map_get(root, "city"),
        "unknown area '%s' in %s (see 'acvtrack areas list'; add it with 'acvtrack areas "
        "import')",
        city, where);
}

static void load_practice(loader *L, const yt_node *root, const char *sha)
{
    static const char *const KEYS[] = {
        "id",         "title",    "city",          "years",        "pillar",  "action_areas",
        "indicators", "summary",  "what_was_done", "cost",         "funding", "partners",
        "contacts",   "evidence", "tags",          "illustrative", NULL};
    static const char *const YEAR_KEYS[] = {"from", "to", NULL};
    const acv_framework *fw = L->ctx->fw;
    size_t before = L->problems.total;

    const char *id =
        acv_ys_string(&L->S, root, "id", ACV_YS_REQUIRED | ACV_YS_NOT_BLANK, "the practice");
    char where[160];
    if (id)
        snprintf(where, sizeof where, "practice %s", id);
    else
        snprintf(where, sizeof where, "the practice");
    acv_ys_check_keys(&L->S, root, KEYS, where);
    if (id && !valid_practice_id(id))
        acv_ys_problem(
            &L->S, yt_map_get(root, "id"),
            "practice id '%s' may only hold letters, digits, '.', '-' and '_' (at most 64, "
            "starting with a letter or digit)",
            id);
    const acv_practice *other = id ? find_loaded(L, id) : NULL;
    if (other)
        acv_ys_problem(&L->S, yt_map_get(root, "id"), "duplicate practice id '%s' (also in %s:%d)",
                       id, other->file, other->line);

    acv_practice p = {0};
    p.id = id;
    p.title = acv_ys_string(&L->S, root, "title", ACV_YS_REQUIRED | ACV_YS_NOT_BLANK, where);
    p.city = acv_ys_string(&L->S, root, "city", ACV_YS_REQUIRED | ACV_YS_NOT_BLANK, where);
    if (p.city)
        check_city(L, root, p.city, where);

    const yt_node *years = yt_map_get(root, "years");
    if (!years || acv_ys_is_null(years)) {
        acv_ys_problem(&L->S, years ? years : root, "missing key 'years' in %s", where);
    } else if (years->kind != YT_MAP) {
        acv_ys_problem(&L->S, years,
                       "'years' must be a mapping with from (and to, unless ongoing) in %s, "
                       "found %s",
                       where, acv_ys_kind_name(years));
    } else {
        char years_where[200];
        snprintf(years_where, sizeof years_where, "'years' of %s", where);
        acv_ys_check_keys(&L->S, years, YEAR_KEYS, years_where);
        p.year_from = get_year(L, years, "from", 1, where);
        p.year_to = get_year(L, years, "to", 0, where);
        if (p.year_from && p.year_to && p.year_to < p.year_from)
            acv_ys_problem(&L->S, yt_map_get(years, "to"), "'to' (%d) is before 'from' (%d) in %s",
                           p.year_to, p.year_from, where);
    }

    p.pillar = acv_ys_string(&L->S, root, "pillar", ACV_YS_REQUIRED | ACV_YS_NOT_BLANK, where);
    long pillar = -1;
    if (p.pillar && (pillar = acv_framework_find_pillar(fw, p.pillar)) < 0)
        acv_ys_problem(&L->S, yt_map_get(root, "pillar"), "unknown pillar '%s' in %s", p.pillar,
                       where);

    const yt_node *list = NULL;
    p.action_areas =
        acv_ys_string_list(&L->S, root, "action_areas", ACV_YS_REQUIRED | ACV_YS_NOT_BLANK,
                           &p.n_action_areas, &list, where);
    int in_pillar = 0, all_known = 1;
    for (size_t i = 0; i < p.n_action_areas; i++) {
        long a = acv_framework_find_action_area(fw, p.action_areas[i]);
        if (a < 0) {
            all_known = 0;
            /* the list node's items line up with the texts only when every item was text */
            const yt_node *at = list->count == p.n_action_areas ? list->items[i] : list;
            acv_ys_problem(&L->S, at, "unknown action area '%s' in %s", p.action_areas[i], where);
        } else if ((long)fw->action_areas[a].pillar == pillar) {
            in_pillar = 1;
        }
    }
    check_twice(L, list, "action area", where);
    /* the pillar is the practice's main one; its action areas may reach into others */
    if (pillar >= 0 && all_known && p.n_action_areas && !in_pillar)
        acv_ys_problem(&L->S, yt_map_get(root, "pillar"),
                       "none of the action areas of %s is in pillar '%s'", where, p.pillar);

    p.indicators = acv_ys_string_list(&L->S, root, "indicators", ACV_YS_NOT_BLANK, &p.n_indicators,
                                      &list, where);
    for (size_t i = 0; i < p.n_indicators; i++)
        if (acv_framework_find_indicator(fw, p.indicators[i]) < 0) {
            const yt_node *at = list->count == p.n_indicators ? list->items[i] : list;
            acv_ys_problem(&L->S, at, "unknown indicator '%s' in %s", p.indicators[i], where);
        }
    check_twice(L, list, "indicator", where);

    p.summary = acv_ys_string(&L->S, root, "summary", ACV_YS_REQUIRED | ACV_YS_NOT_BLANK, where);
    p.what_was_done =
        acv_ys_string(&L->S, root, "what_was_done", ACV_YS_REQUIRED | ACV_YS_NOT_BLANK, where);
    p.cost = acv_ys_string(&L->S, root, "cost", ACV_YS_NOT_BLANK, where);
    p.funding = acv_ys_string(&L->S, root, "funding", ACV_YS_NOT_BLANK, where);
    p.partners =
        acv_ys_string_list(&L->S, root, "partners", ACV_YS_NOT_BLANK, &p.n_partners, &list, where);
    p.contacts =
        acv_ys_string_list(&L->S, root, "contacts", ACV_YS_NOT_BLANK, &p.n_contacts, &list, where);
    p.evidence = acv_ys_string_list(&L->S, root, "evidence", ACV_YS_REQUIRED | ACV_YS_NOT_BLANK,
                                    &p.n_evidence, &list, where);
    p.tags = acv_ys_string_list(&L->S, root, "tags", ACV_YS_NOT_BLANK, &p.n_tags, &list, where);

    acv_ys_bool(&L->S, root, "illustrative", ACV_YS_OPTIONAL, &p.illustrative, where);

    if (L->problems.total != before || !id || other)
        return;
    p.file = keep(L, L->S.file);
    p.line = yt_map_get(root, "id")->line;
    p.sha256 = keep(L, sha);
    if (ACV_GROW(L->items, L->cap_items, L->n_items, 16) != 0) {
        L->S.oom = 1;
        return;
    }
    L->items[L->n_items++] = p;
}

static void load_file(loader *L, const char *path, const char *display)
{
    L->S.file = display;
    L->sum->files++;
    char *buf = NULL;
    size_t len = 0;
    int rc = acv_read_file(path, YT_MAX_BYTES, &buf, &len);
    if (rc != 0) {
        if (rc == -2)
            acv_ys_problem(&L->S, NULL, "the file is larger than 1 MiB");
        else
            acv_ys_problem(&L->S, NULL, "cannot read the file: %s", strerror(errno));
        return;
    }
    /* the name is hashed too, so a practice moved to another file is rewritten with its new
     * source */
    acv_sha256 h;
    char sha[65];
    acv_sha256_init(&h);
    acv_sha256_update(&h, display, strlen(display) + 1);
    acv_sha256_update(&h, buf, len);
    acv_sha256_final_hex(&h, sha);
    yt_doc *doc = NULL;
    acv_error yerr;
    if (acv_ys_parsed(&L->S, yt_parse_buffer(buf, len, display, &doc, &yerr), &yerr) > 0) {
        const yt_node *root = yt_root(doc);
        if (!root || root->kind != YT_MAP) {
            char msg[600];
            snprintf(msg, sizeof msg,
                     "%s:%d:%d: a practice file is a mapping with id, title, city, years, pillar, "
                     "action_areas, summary, what_was_done and evidence (see docs/practices.md)",
                     display, root ? root->line : 1, root ? root->col : 1);
            acv_problems_add(&L->problems, msg);
        } else {
            load_practice(L, root, sha);
        }
    }
    yt_free(doc);
    free(buf);
}

void acv_practices_summary_free(acv_practices_summary *s)
{
    if (!s)
        return;
    acv_strings_free(s->problems, s->n_problems);
    memset(s, 0, sizeof *s);
}

/* Writes what the loader read, in one transaction (or only counts, for a dry run). */
static acv_status store_loaded(loader *L, acv_error *err)
{
    acv_store *store = L->ctx->store;
    int dry = L->opt->dry_run;
    int exist = acv_store_practices_exist(store);
    acv_status st = ACV_OK;
    if (!dry) {
        st = acv_store_begin(store, err);
        if (st != ACV_OK)
            return st;
        st = acv_store_practices_ensure(store, err);
        exist = 1;
    }
    for (size_t i = 0; st == ACV_OK && i < L->n_items; i++) {
        const acv_practice *p = &L->items[i];
        char hash[65];
        int found = 0;
        if (exist)
            st = acv_store_practice_hash(store, p->id, hash, &found, err);
        if (st != ACV_OK)
            break;
        if (found && strcmp(hash, p->sha256) == 0) {
            L->sum->unchanged++;
            continue;
        }
        if (found)
            L->sum->replaced++;
        else
            L->sum->added++;
        if (!dry)
            st = acv_store_practice_put(store, p, err);
    }
    if (dry)
        return st;
    if (st != ACV_OK) {
        acv_store_rollback(store);
        return st;
    }
    return acv_store_commit(store, err);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_yml_suffix(const char *s)
{
    size_t n = strlen(s);
    return n > 4 && strcmp(s + n - 4, ".yml") == 0;
}

/* Loads the files (paths[i], shown as displays[i]), then stores them when there is no problem. */
static acv_status import_files(acv_ctx *ctx, const char *const *paths, const char *const *displays,
                               size_t n, const char *what, const acv_practices_import_options *opt,
                               acv_practices_summary *out, acv_error *err)
{
    static const acv_practices_import_options defaults = {0};
    loader L = {.ctx = ctx,
                .opt = opt ? opt : &defaults,
                .sum = out,
                .problems = {.max = MAX_PROBLEMS},
                .fatal = ACV_OK};
    L.S = (acv_ys){.problems = &L.problems, .arena = &L.arena};
    for (size_t i = 0; i < n && !L.S.oom && L.fatal == ACV_OK; i++)
        load_file(&L, paths[i], displays[i]);
    out->problems = L.problems.items;
    out->n_problems = L.problems.n;
    acv_status st = ACV_OK;
    if (acv_ys_oom(&L.S)) {
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory reading the practices");
    } else if (L.fatal != ACV_OK) {
        st = L.fatal;
        if (err)
            *err = L.fatal_err;
    } else if (out->n_problems == 1) {
        st = acv_error_set(err, ACV_ERR_INPUT, "%s", out->problems[0]);
    } else if (out->n_problems > 1) {
        st = acv_error_set(err, ACV_ERR_INPUT, "%s\n(%zu problems in %s)", out->problems[0],
                           out->n_problems, what);
    } else {
        st = store_loaded(&L, err);
    }
    if (st != ACV_OK) {
        out->added = out->replaced = out->unchanged = 0;
    }
    free(L.items);
    acv_arena_free(&L.arena);
    return st;
}

acv_status acv_practices_import_file(acv_ctx *ctx, const char *path,
                                     const acv_practices_import_options *opt,
                                     acv_practices_summary *out, acv_error *err)
{
    memset(out, 0, sizeof *out);
    const char *paths[] = {path};
    const char *displays[] = {opt && opt->display_dir ? opt->display_dir : path};
    return import_files(ctx, paths, displays, 1, displays[0], opt, out, err);
}

acv_status acv_practices_import_dir(acv_ctx *ctx, const char *dir,
                                    const acv_practices_import_options *opt,
                                    acv_practices_summary *out, acv_error *err)
{
    memset(out, 0, sizeof *out);
    const char *shown = opt && opt->display_dir ? opt->display_dir : dir;
    DIR *d = opendir(dir);
    if (!d)
        return acv_error_set(err, errno == ENOENT ? ACV_ERR_NOTFOUND : ACV_ERR_IO,
                             "%s: cannot open the folder: %s", shown, strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    int oom = 0;
    struct dirent *e;
    while (!oom && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || !has_yml_suffix(e->d_name))
            continue;
        if (ACV_GROW(names, cap, n, 32) != 0) {
            oom = 1;
            break;
        }
        if (!(names[n] = strdup(e->d_name)))
            oom = 1;
        else
            n++;
    }
    closedir(d);
    /* an empty folder imports nothing and is no error here: `acvtrack init` may meet one in an
     * overlay; the command line refuses it, where a wrong path is the likelier cause */
    acv_status st = ACV_OK;
    char **paths = NULL, **displays = NULL;
    if (!oom && n > 0) {
        qsort(names, n, sizeof *names, name_cmp);
        paths = calloc(n, sizeof *paths);
        displays = calloc(n, sizeof *displays);
        oom = !paths || !displays;
        for (size_t i = 0; !oom && i < n; i++) {
            paths[i] = acv_path_join(dir, names[i]);
            displays[i] = acv_path_join(shown, names[i]);
            oom = !paths[i] || !displays[i];
        }
    }
    if (oom)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory reading %s", shown);
    if (st == ACV_OK && n > 0)
        st = import_files(ctx, (const char *const *)paths, (const char *const *)displays, n, shown,
                          opt, out, err);
    for (size_t i = 0; i < n; i++) {
        free(names[i]);
        if (paths)
            free(paths[i]);
        if (displays)
            free(displays[i]);
    }
    free(names);
    free(paths);
    free(displays);
    return st;
}

/* ---- search ---------------------------------------------------------------------------------- */

/* Turns what a person typed into an FTS5 expression: each word quoted (so '-', ':' or '"' are
 * never operators), a trailing '*' kept as a prefix match, and the words joined by OR so that a
 * practice matching some of them is still found, ranked below those matching more. Words with no
 * letter or digit are dropped. Returns NULL when no word is left, or on OOM (*oom set). */
static char *match_expression(const char *words, int *oom)
{
    acv_buf b = {0};
    const char *p = words;
    while (p && *p) {
        while (*p && isspace((unsigned char)*p))
            p++;
        const char *start = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        size_t len = (size_t)(p - start);
        int prefix = 0;
        while (len && start[len - 1] == '*') {
            len--;
            prefix = 1;
        }
        int wordlike = 0;
        for (size_t i = 0; i < len && !wordlike; i++)
            wordlike = isalnum((unsigned char)start[i]) || (unsigned char)start[i] >= 0x80;
        /* a word given twice would count twice among the words found */
        int seen = 0;
        for (const char *w = words; wordlike && !seen && w < start; w++)
            seen = (w == words || isspace((unsigned char)w[-1])) &&
                   strncasecmp(w, start, len) == 0 &&
                   (w[len] == '\0' || isspace((unsigned char)w[len]) || w[len] == '*');
        if (!wordlike || seen)
            continue;
        if (b.len)
            acv_buf_puts(&b, " OR ");
        acv_buf_puts(&b, "\"");
        for (size_t i = 0; i < len; i++)
            acv_buf_append(&b, start[i] == '"' ? "\"\"" : &start[i], start[i] == '"' ? 2 : 1);
        acv_buf_puts(&b, prefix ? "\"*" : "\"");
    }
    if (b.failed) {
        *oom = 1;
        acv_buf_free(&b);
        return NULL;
    }
    return b.data;
}

typedef struct {
    acv_arena *arena;
    acv_practice_hit *hits;
    size_t n, cap;
    int oom;
} hit_collector;

static int collect_hit(void *ud, const acv_practice_hit *h)
{
    hit_collector *c = ud;
    if (ACV_ARENA_GROW(c->arena, c->hits, c->cap, c->n, 16) != 0) {
        c->oom = 1;
        return 1;
    }
    acv_practice_hit *k = &c->hits[c->n];
    *k = *h;
    const char **texts[] = {&k->id,      &k->title,  &k->city,   &k->city_name,
                            &k->country, &k->pillar, &k->summary};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        if (*texts[i] && !(*texts[i] = acv_arena_strdup(c->arena, *texts[i]))) {
            c->oom = 1;
            return 1;
        }
    c->n++;
    return 0;
}

acv_status acv_practices_search(acv_ctx *ctx, const acv_practice_query *q, acv_practice_hits *out,
                                acv_error *err)
{
    memset(out, 0, sizeof *out);
    const acv_framework *fw = ctx->fw;
    if (fw && q->pillar && acv_framework_find_pillar(fw, q->pillar) < 0)
        return acv_error_set(err, ACV_ERR_INPUT, "unknown pillar '%s' (see 'acvtrack indicators')",
                             q->pillar);
    if (fw && q->action_area && acv_framework_find_action_area(fw, q->action_area) < 0)
        return acv_error_set(err, ACV_ERR_INPUT,
                             "unknown action area '%s' (see 'acvtrack framework doc')",
                             q->action_area);
    if (fw && q->indicator && acv_framework_find_indicator(fw, q->indicator) < 0)
        return acv_error_set(err, ACV_ERR_INPUT,
                             "unknown indicator '%s' (see 'acvtrack indicators')", q->indicator);
    if (!acv_store_practices_exist(ctx->store))
        return ACV_OK; /* a workspace without practices yet: nothing to find */
    int oom = 0;
    char *match = match_expression(q->words, &oom);
    if (oom)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    hit_collector c = {.arena = &out->arena};
    acv_status st = acv_store_practices_search(ctx->store, q, match, collect_hit, &c, err);
    free(match);
    if (st == ACV_OK && c.oom)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    if (st != ACV_OK) {
        acv_practice_hits_free(out);
        return st;
    }
    out->hits = c.hits;
    out->n = c.n;
    return ACV_OK;
}

void acv_practice_hits_free(acv_practice_hits *h)
{
    if (!h)
        return;
    acv_arena_free(&h->arena);
    memset(h, 0, sizeof *h);
}

/* ---- one practice ---------------------------------------------------------------------------- */

void acv_practice_detail_free(acv_practice_detail *d)
{
    if (!d)
        return;
    acv_arena_free(&d->arena);
    free(d);
}

acv_status acv_practices_get(acv_ctx *ctx, const char *id, acv_practice_detail **out,
                             acv_error *err)
{
    *out = NULL;
    if (!acv_store_practices_exist(ctx->store))
        return acv_error_set(err, ACV_ERR_NOTFOUND,
                             "unknown practice '%s' (the workspace has no practices yet; import "
                             "them with 'acvtrack practices import DIR')",
                             id);
    acv_practice_detail *d = calloc(1, sizeof *d);
    if (!d)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    acv_status st = acv_store_practice_get(ctx->store, id, &d->arena, &d->practice, err);
    if (st != ACV_OK)
        goto fail;
    const acv_practice *p = &d->practice;
    acv_area area;
    acv_error lookup;
    st = acv_store_get_area(ctx->store, p->city, &area, &lookup);
    if (st == ACV_OK) {
        /* the store's strings live until its next call: copy them */
        d->city_name = acv_arena_strdup(&d->arena, area.name);
        d->country = acv_arena_strdup(&d->arena, area.country);
        d->has_population = area.has_population;
        d->population = area.population;
        d->population_year = area.population_year;
        if (!d->city_name || (area.country && !d->country)) {
            st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
            goto fail;
        }
    } else if (st != ACV_ERR_NOTFOUND) {
        *err = lookup;
        goto fail;
    }
    st = ACV_OK;
    if (p->n_indicators) {
        d->changes = acv_arena_alloc(&d->arena, p->n_indicators * sizeof *d->changes);
        if (!d->changes) {
            st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
            goto fail;
        }
    }
    for (size_t i = 0; i < p->n_indicators; i++) {
        acv_practice_change *c = &d->changes[i];
        c->indicator = p->indicators[i];
        char period[64];
        st = acv_store_practice_observation(ctx->store, p->city, c->indicator, p->year_from, 0,
                                            &c->has_before, period, sizeof period, &c->before_value,
                                            err);
        if (st == ACV_OK && c->has_before &&
            !(c->before_period = acv_arena_strdup(&d->arena, period)))
            st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
        if (st == ACV_OK)
            st = acv_store_practice_observation(ctx->store, p->city, c->indicator, p->year_from, 1,
                                                &c->has_after, period, sizeof period,
                                                &c->after_value, err);
        if (st == ACV_OK && c->has_after &&
            !(c->after_period = acv_arena_strdup(&d->arena, period)))
            st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
        if (st != ACV_OK)
            goto fail;
        d->n_changes++;
    }
    *out = d;
    return ACV_OK;
fail:
    acv_practice_detail_free(d);
    return st;
}

/* ---- cities like mine ------------------------------------------------------------------------ */

void acv_practice_suggestions_free(acv_practice_suggestions *s)
{
    if (!s)
        return;
    acv_arena_free(&s->arena);
    free(s);
}

typedef struct {
    const acv_practice_hit *hit;
    int illustrative;
    int other_country;
    double distance; /* |ln(population ratio)|, INFINITY when either is unknown */
} ranked;

static int ranked_cmp(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->illustrative != y->illustrative)
        return x->illustrative - y->illustrative;
    if (x->other_country != y->other_country)
        return x->other_country - y->other_country;
    if (x->distance != y->distance)
        return x->distance < y->distance ? -1 : 1;
    if (x->hit->year_from != y->hit->year_from)
        return y->hit->year_from - x->hit->year_from;
    return strcmp(x->hit->id, y->hit->id);
}

acv_status acv_practices_for_report(acv_ctx *ctx, const char *area_code,
                                    const char *const *action_area_ids, size_t n_action_areas,
                                    const char *const *indicator_ids, size_t n_indicators,
                                    size_t per_target, acv_practice_suggestions **out,
                                    acv_error *err)
{
    *out = NULL;
    if (per_target == 0)
        per_target = ACV_PRACTICES_PER_TARGET;
    acv_area area;
    acv_status st = acv_store_get_area(ctx->store, area_code, &area, err);
    if (st != ACV_OK)
        return st;
    char country[80] = "";
    if (area.country)
        snprintf(country, sizeof country, "%s", area.country);
    double population = area.has_population ? area.population : 0;

    acv_practice_suggestions *s = calloc(1, sizeof *s);
    if (!s)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    size_t n = n_action_areas + n_indicators;
    s->area_code = acv_arena_strdup(&s->arena, area_code);
    s->targets = n ? acv_arena_alloc(&s->arena, n * sizeof *s->targets) : NULL;
    if (!s->area_code || (n && !s->targets)) {
        acv_practice_suggestions_free(s);
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    }
    int exist = acv_store_practices_exist(ctx->store);
    ranked *order = NULL;
    for (size_t t = 0; t < n; t++) {
        acv_practice_target *target = &s->targets[s->n_targets++];
        int is_area = t < n_action_areas;
        target->kind = is_area ? "action_area" : "indicator";
        target->code = acv_arena_strdup(&s->arena, is_area ? action_area_ids[t]
                                                           : indicator_ids[t - n_action_areas]);
        if (!target->code) {
            st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
            break;
        }
        if (!exist)
            continue;
        hit_collector c = {.arena = &s->arena};
        st = acv_store_practices_linked(ctx->store, target->kind, target->code, area_code,
                                        collect_hit, &c, err);
        if (st == ACV_OK && c.oom)
            st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
        if (st != ACV_OK)
            break;
        if (c.n == 0)
            continue;
        free(order);
        order = malloc(c.n * sizeof *order);
        if (!order) {
            st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
            break;
        }
        for (size_t i = 0; i < c.n; i++) {
            const acv_practice_hit *h = &c.hits[i];
            order[i].hit = h;
            order[i].illustrative = h->illustrative != 0;
            order[i].other_country =
                !(country[0] && h->country && strcmp(h->country, country) == 0);
            order[i].distance = population > 0 && h->has_population && h->population > 0
                                    ? fabs(log(h->population / population))
                                    : INFINITY;
        }
        qsort(order, c.n, sizeof *order, ranked_cmp);
        size_t keep_n = c.n < per_target ? c.n : per_target;
        target->practices = acv_arena_alloc(&s->arena, keep_n * sizeof *target->practices);
        if (!target->practices) {
            st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
            break;
        }
        for (size_t i = 0; i < keep_n; i++)
            target->practices[i] = *order[i].hit;
        target->n_practices = keep_n;
    }
    free(order);
    if (st != ACV_OK) {
        acv_practice_suggestions_free(s);
        return st;
    }
    *out = s;
    return ACV_OK;
}
