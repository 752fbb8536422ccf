/* import.c — the row API every import goes through (import.h): records with their origin into
 * the workspace, all or nothing, with rejects, dry runs and --strict; numbers and periods as
 * imports accept them; the history of stored observations. The CSV reader is import_csv.c;
 * importer plugins feed the same API from luaplugins.c. See docs/data.md. */
#include "import.h"
#include "areas.h"
#include "atomicfile.h"
#include "calendar.h"
#include "csvwrite.h"
#include "fiscal.h"
#include "validate.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const STATUSES[] = {"provisional", "final", "estimated", "imputed", NULL};

/* ---- code -> id cache: one lookup in the workspace per distinct area or indicator ---------- */

typedef struct {
    const char *code; /* NULL: empty slot */
    uint64_t hash;
    int64_t id;  /* 0: not in the workspace */
    int touched; /* an observation of this area was written */
    int ranged;  /* indicators: range below was looked up */
    acv_physical_range range;
    int info;         /* the fields below were looked up */
    acv_calendar cal; /* areas: the default calendar of their files */
    char country[8];  /* areas: the country, for its fiscal-year rules */
    int fiscal;       /* indicators: measured per fiscal year (framework `year: fiscal`) */
} code_slot;

typedef struct {
    code_slot *slots;
    size_t cap, n;
    acv_arena strings;
} code_map;

static uint64_t hash_code(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static code_slot *probe(code_slot *slots, size_t cap, const char *code, uint64_t h)
{
    size_t i = (size_t)h & (cap - 1);
    while (slots[i].code && (slots[i].hash != h || strcmp(slots[i].code, code) != 0))
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

static int code_map_grow(code_map *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 256;
    code_slot *ns = calloc(ncap, sizeof *ns);
    if (!ns)
        return 0;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].code)
            *probe(ns, ncap, m->slots[i].code, m->slots[i].hash) = m->slots[i];
    free(m->slots);
    m->slots = ns;
    m->cap = ncap;
    return 1;
}

/* The slot for code; *fresh is 1 when it was just added (the caller fills in the id). NULL when
 * memory ran out. Adding a code may move every slot: earlier slot pointers are then stale. */
static code_slot *code_map_get(code_map *m, const char *code, int *fresh)
{
    *fresh = 0;
    uint64_t h = hash_code(code);
    code_slot *s = m->cap ? probe(m->slots, m->cap, code, h) : NULL;
    if (s && s->code)
        return s; /* slots move only when a code is added */
    if ((m->n + 1) * 10 >= m->cap * 7) {
        if (!code_map_grow(m))
            return NULL;
        s = probe(m->slots, m->cap, code, h);
    }
    s->code = acv_arena_strdup(&m->strings, code);
    if (!s->code)
        return NULL;
    s->hash = h;
    s->id = 0;
    s->touched = 0;
    s->ranged = 0;
    s->info = 0;
    m->n++;
    *fresh = 1;
    return s;
}

static void code_map_free(code_map *m)
{
    free(m->slots);
    acv_arena_free(&m->strings);
    memset(m, 0, sizeof *m);
}

/* ---- the rejects file ---------------------------------------------------------------------- */

typedef struct {
    const char *path;
    acv_atomic_file *file;
    acv_csv_writer w;
    FILE *f; /* the open file's stream; NULL without a rejects file */
} rejects_out;

/* A rejected row's own cells: a number stays a number (the file is meant to be corrected and
 * imported again), any other text goes through the writer's formula defusing. */
static void rejects_cell(rejects_out *r, const char *s)
{
    double ignored;
    if (s && acv_parse_number(s, &ignored))
        acv_csvwrite_raw(&r->w, s);
    else
        acv_csvwrite_text(&r->w, s);
}

static acv_status rejects_error(const rejects_out *r, acv_error *err)
{
    return acv_error_set(err, ACV_ERR_IO, "%s: cannot write the rejects file: %s", r->path,
                         strerror(errno ? errno : EIO));
}

static acv_status rejects_open(rejects_out *r, const char *path, const acv_import_origin *origin,
                               acv_error *err)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    acv_error open_err;
    acv_error_clear(&open_err);
    if (acv_atomic_open(path, 0, &r->file, &open_err) != ACV_OK)
        return rejects_error(r, err);
    r->f = acv_atomic_stream(r->file);
    r->w = acv_csvwrite_to_file(r->f);
    if (origin->reject_with_file)
        acv_csvwrite_raw(&r->w, "file");
    acv_csvwrite_raw(&r->w, "line");
    acv_csvwrite_raw(&r->w, "error");
    for (size_t c = 0; c < origin->n_reject_columns; c++)
        acv_csvwrite_text(&r->w, origin->reject_columns[c]);
    acv_csvwrite_end_row(&r->w);
    return ACV_OK;
}

static void rejects_add(rejects_out *r, const char *file, const acv_import_where *where,
                        const char *reason)
{
    if (file)
        acv_csvwrite_text(&r->w, file);
    acv_csvwrite_integer(&r->w, where->line);
    acv_csvwrite_text(&r->w, reason);
    for (size_t c = 0; c < where->n_fields; c++)
        rejects_cell(r, where->fields[c] ? where->fields[c] : "");
    acv_csvwrite_end_row(&r->w);
}

/* Publishes the file (keep = 1) or removes it. */
static acv_status rejects_close(rejects_out *r, int keep, acv_error *err)
{
    acv_status st = ACV_OK;
    if (r->file) {
        acv_error write_err;
        acv_error_clear(&write_err);
        if (!keep) {
            acv_atomic_abandon(r->file);
        } else if (ferror(r->f)) {
            st = rejects_error(r, err);
            acv_atomic_abandon(r->file);
        } else if (acv_atomic_publish(r->file, &write_err) != ACV_OK) {
            st = rejects_error(r, err);
        }
        r->file = NULL;
        r->f = NULL;
    }
    return st;
}

/* ---- the row API: one import ------------------------------------------------------------------
 */

/* One observation of the current record, checked and waiting for its write. */
typedef struct {
    const char *area_code; /* the area map's copy (stable; its slot may move) */
    int64_t area_id;
    int64_t indicator_id;
    double value;
    size_t disagg; /* offset in acv_import.scratch */
    const char *source, *status, *comment;
    acv_physical_range range; /* the indicator's (a copy: code slots move as codes are added) */
    acv_calendar cal;         /* the calendar of the row's years (--calendar, else the area's) */
    char country[8];          /* the area's country */
    int fiscal;               /* the indicator is measured per fiscal year */
    char period[16];          /* the period as stored: a CE year */
} checked_row;

struct acv_import {
    acv_ctx *ctx;
    acv_import_origin origin;
    acv_import_options opt;
    acv_import_summary *out;
    acv_rules *rules; /* physical ranges, and the rules run after the rows (warnings, --strict) */
    rejects_out rej;
    acv_fiscal_table *fiscal; /* the countries' fiscal years (NULL: no file declares them) */
    int has_calendar;         /* --calendar given: it overrides the areas' own */
    acv_calendar calendar;
    code_map areas, indicators;
    code_slot *last_area, *last_indicator;
    /* the files records come from when not the import's own: interned, so observations and
     * pending rows point at one copy; a pending row holds index + 1 (0: the import's own) */
    code_map files;
    code_slot *last_file;
    const char **file_names;
    size_t n_files, cap_files;
    int expect_existing;
    checked_row *checked;
    size_t cap_checked;
    char *scratch; /* the disaggregations of the current record, NUL-separated */
    size_t scratch_len, scratch_cap;
    /* Single-row records waiting to be written in key order (see flush_pending): a file in random
     * order would otherwise insert into the observations B-tree at random, several times slower
     * once the workspace outgrows the page cache. */
    struct pending_row *pending;
    size_t n_pending;
    char *strings; /* disaggregation, source, status, comment of pending rows, NUL-separated */
    size_t strings_len, strings_cap;
    uint64_t at; /* progress reported by the importer (acv_import_at); 0: count records */
};

/* One parsed observation waiting for its write: 48 bytes plus its optional strings. */
typedef struct pending_row {
    uint32_t area_id, indicator_id, line;
    uint32_t strings; /* offset of four NUL-terminated strings in acv_import.strings, or NONE */
    uint32_t file;    /* index + 1 in acv_import.file_names; 0: the import's own file */
    char period[12];
    double value;
    const char *disagg; /* set just before sorting, when acv_import.strings no longer moves */
} pending_row;

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

#define PENDING_MAX (2u << 20) /* rows sorted and written at a time: 2M rows, 96 MB */
#define NO_STRINGS UINT32_MAX

static void import_free(acv_import *im)
{
    free(im->pending);
    free(im->strings);
    free(im->checked);
    free(im->scratch);
    free(im->file_names);
    code_map_free(&im->areas);
    code_map_free(&im->indicators);
    code_map_free(&im->files);
    acv_rules_free(im->rules);
    acv_fiscal_free(im->fiscal);
    free(im);
}

/* The interned name of a record's file; 0 and *name NULL for the import's own file. -1: out of
 * memory. */
static long intern_file(acv_import *im, const char *file, const char **name)
{
    *name = NULL;
    if (!file || strcmp(file, im->origin.name) == 0)
        return 0;
    if (!im->last_file || strcmp(im->last_file->code, file) != 0) {
        int fresh;
        code_slot *slot = code_map_get(&im->files, file, &fresh);
        if (!slot)
            return -1;
        if (fresh) {
            if (ACV_GROW(im->file_names, im->cap_files, im->n_files, 16) != 0)
                return -1;
            im->file_names[im->n_files++] = slot->code;
            slot->id = (int64_t)im->n_files;
        }
        im->last_file = slot;
    }
    *name = im->last_file->code;
    return (long)im->last_file->id;
}

/* The record's location in messages and the rejects file. */
static const char *where_file(const acv_import *im, const acv_import_where *where)
{
    return where->file ? where->file : im->origin.name;
}

/* A record problem: into the rejects file (ACV_OK), or the import's error "file:line: message". */
static acv_status record_problem(acv_import *im, const acv_import_where *where, acv_status st,
                                 const acv_error *problem, acv_error *err)
{
    if (st == ACV_ERR_INPUT && im->rej.f) {
        rejects_add(&im->rej, im->origin.reject_with_file ? where_file(im, where) : NULL, where,
                    problem->message);
        im->out->rejected++;
        return ACV_OK;
    }
    if (st != ACV_ERR_INPUT) {
        *err = *problem;
        return st;
    }
    if (where->file && im->origin.via)
        return acv_error_at(err, ACV_ERR_INPUT, where_file(im, where), where->line, 0, "%s (%s)",
                            problem->message, im->origin.via);
    return acv_error_at(err, ACV_ERR_INPUT, where_file(im, where), where->line, 0, "%s",
                        problem->message);
}

static void progress(acv_import *im)
{
    if (im->opt.progress)
        acv_progress_update(im->opt.progress, im->at ? im->at : (uint64_t)im->out->lines);
}

void acv_import_at(acv_import *im, uint64_t done)
{
    im->at = done;
}

/* The countries' fiscal years: the overlay's file, else the framework's; none is no error (a
 * fiscal-year period is then refused, saying so). A broken file stops the import. */
static acv_status load_fiscal(acv_ctx *ctx, acv_fiscal_table **out, acv_error *err)
{
    *out = NULL;
    char *path = NULL, *display = NULL;
    if (!acv_overlay_find(&ctx->roots, ACV_FISCAL_FILE, &path, &display))
        return ACV_OK;
    acv_problems problems = {.max = 1};
    acv_status st = acv_fiscal_load(path, display, out, &problems, err);
    acv_problems_free(&problems);
    free(path);
    free(display);
    return st;
}

acv_status acv_import_begin(acv_ctx *ctx, const acv_import_origin *origin,
                            const acv_import_options *opt, acv_import_summary *out,
                            acv_import **out_im, acv_error *err)
{
    *out_im = NULL;
    memset(out, 0, sizeof *out);
    out->dry_run = opt && opt->dry_run;
    acv_import *im = calloc(1, sizeof *im);
    if (!im)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    im->ctx = ctx;
    im->origin = *origin;
    if (!im->origin.field_word)
        im->origin.field_word = "column";
    if (opt)
        im->opt = *opt;
    im->out = out;
    acv_store *store = ctx->store;
    acv_status st = ACV_OK;
    if (ctx->fw)
        st = acv_rules_load_ctx(ctx, &im->rules, err);
    if (st == ACV_OK && im->opt.calendar) {
        char why[300];
        if (!acv_calendar_find(im->opt.calendar, &im->calendar, why, sizeof why))
            st = acv_error_set(err, ACV_ERR_USAGE, "--calendar: %s", why);
        im->has_calendar = 1;
    }
    if (st == ACV_OK)
        st = load_fiscal(ctx, &im->fiscal, err);
    if (st == ACV_OK)
        st = acv_store_bulk_cache(store, 64, err);
    const char *max_pages = getenv("ACVTRACK_MAX_PAGES");
    if (st == ACV_OK && max_pages && *max_pages)
        st = acv_store_limit_pages(store, atoll(max_pages), err);
    if (st == ACV_OK && im->opt.rejects)
        st = rejects_open(&im->rej, im->opt.rejects, &im->origin, err);
    if (st == ACV_OK)
        st = acv_store_begin(store, err);
    if (st == ACV_OK) {
        /* checked under the write lock: a second process importing the same content waits,
         * then finds the first one's import */
        out->already = origin->sha256 ? acv_store_find_import(store, origin->sha256) : 0;
        if (out->already) {
            acv_store_rollback(store);
            acv_store_bulk_end(store);
            rejects_close(&im->rej, 0, NULL);
            import_free(im);
            return ACV_OK;
        }
        st = acv_store_add_import(store, origin->name, origin->sha256 ? origin->sha256 : "",
                                  &out->import_id, err);
    }
    if (st != ACV_OK) {
        acv_store_rollback(store);
        acv_store_bulk_end(store);
        rejects_close(&im->rej, 0, NULL);
        import_free(im);
        memset(out, 0, sizeof *out);
        return st;
    }
    if (im->opt.progress) {
        char label[128];
        snprintf(label, sizeof label, "importing %s", origin->name);
        acv_progress_start(im->opt.progress, label, origin->total,
                           origin->unit ? origin->unit : "rows");
    }
    *out_im = im;
    return ACV_OK;
}

acv_status acv_import_add_area(acv_import *im, const acv_area *area, int *added, acv_error *err)
{
    *added = 0;
    char why[200];
    if (!acv_area_check(area, "field", why, sizeof why)) /* the rule `areas import` applies too */
        return acv_error_set(err, ACV_ERR_INPUT, "%s", why);
    if (acv_store_area_id(im->ctx->store, area->code))
        return ACV_OK;
    int changed = 0;
    acv_status st = acv_store_put_area(im->ctx->store, area, &changed, err);
    if (st != ACV_OK)
        return st;
    *added = 1;
    /* a record that named the code before it existed looked it up in vain */
    int fresh;
    code_slot *slot = code_map_get(&im->areas, area->code, &fresh);
    if (!slot)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    slot->id = acv_store_area_id(im->ctx->store, area->code);
    im->last_area = NULL; /* the map may have moved its slots */
    return ACV_OK;
}

acv_status acv_import_add_series(acv_import *im, const char *code, const char *name,
                                 const char *unit, int *added, acv_error *err)
{
    *added = acv_store_indicator_id(im->ctx->store, code) == 0;
    acv_status st = acv_store_put_series(im->ctx->store, code, name, unit, err);
    if (st != ACV_OK || !*added)
        return st;
    int fresh;
    code_slot *slot = code_map_get(&im->indicators, code, &fresh);
    if (!slot)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    slot->id = acv_store_indicator_id(im->ctx->store, code);
    im->last_indicator = NULL;
    return ACV_OK;
}

/* The workspace id of a row's code for key ("area", "indicator"), through map: the workspace is
 * asked (lookup) the first time a code is met, and *last remembers the slot, since a file's rows
 * mostly repeat the code of the row before. An unknown code is a record problem that says where
 * to look (see_also). */
static acv_status resolve_code(acv_import *im, code_map *map, code_slot **last, const char *key,
                               const char *code, int64_t (*lookup)(acv_store *, const char *),
                               const char *see_also, acv_error *err)
{
    if (!*last || strcmp((*last)->code, code) != 0) {
        int fresh;
        code_slot *slot = code_map_get(map, code, &fresh);
        if (!slot)
            return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
        if (fresh)
            slot->id = lookup(im->ctx->store, code);
        *last = slot;
    }
    if (!(*last)->id)
        return acv_error_set(err, ACV_ERR_INPUT, "%s '%s': unknown %s '%s' (see %s)",
                             im->origin.field_word, key, key, code, see_also);
    return ACV_OK;
}

/* Area and indicator codes of a row; a record problem sets err (ACV_ERR_INPUT). */
static acv_status resolve_codes(acv_import *im, const acv_import_row *row, checked_row *c,
                                acv_error *err)
{
    acv_status st = resolve_code(im, &im->areas, &im->last_area, "area", row->area ? row->area : "",
                                 acv_store_area_id,
                                 "'acvtrack areas list'; add it with 'acvtrack areas import'", err);
    if (st != ACV_OK)
        return st;
    st = resolve_code(im, &im->indicators, &im->last_indicator, "indicator",
                      row->indicator ? row->indicator : "", acv_store_indicator_id,
                      "'acvtrack indicators'", err);
    if (st != ACV_OK)
        return st;
    if (!im->last_area->info) {
        acv_area a;
        acv_error ignored;
        im->last_area->info = 1;
        im->last_area->cal = ACV_CAL_CE;
        if (acv_store_get_area(im->ctx->store, im->last_area->code, &a, &ignored) == ACV_OK) {
            char why[300];
            if (a.calendar)
                acv_calendar_find(a.calendar, &im->last_area->cal, why, sizeof why);
            snprintf(im->last_area->country, sizeof im->last_area->country, "%s",
                     a.country ? a.country : "");
        }
    }
    if (!im->last_indicator->info) {
        im->last_indicator->info = 1;
        const acv_framework *fw = im->ctx->fw;
        for (size_t i = 0; fw && i < fw->n_indicators; i++)
            if (strcmp(fw->indicators[i].id, im->last_indicator->code) == 0)
                im->last_indicator->fiscal = fw->indicators[i].fiscal_year;
        for (size_t i = 0; fw && i < fw->n_data_elements; i++)
            if (strcmp(fw->data_elements[i].id, im->last_indicator->code) == 0)
                im->last_indicator->fiscal = fw->data_elements[i].fiscal_year;
    }
    c->cal = im->has_calendar ? im->calendar : im->last_area->cal;
    memcpy(c->country, im->last_area->country, sizeof c->country);
    c->fiscal = im->last_indicator->fiscal;
    c->area_code = im->last_area->code;
    c->area_id = im->last_area->id;
    c->indicator_id = im->last_indicator->id;
    if (!im->last_indicator->ranged) {
        im->last_indicator->ranged = 1;
        acv_rules_physical_range(im->rules, im->last_indicator->code, &im->last_indicator->range);
    }
    c->range = im->last_indicator->range;
    return ACV_OK;
}

/* A value outside the physical range of its indicator (a percentage of 140, a negative count)
 * cannot be true: refused by every import, naming the range and the rule that sets it. A value
 * past ACV_IMPORT_MAX_MAGNITUDE on a side the range leaves open is refused too: no indicator
 * holds a number like 1e308, and every report after it would print 309 digits. */
static acv_status check_physical(const acv_import *im, const char *column, const char *text,
                                 const char *indicator, const acv_physical_range *r, double v,
                                 acv_error *err)
{
    if ((v > ACV_IMPORT_MAX_MAGNITUDE && !r->has_max) ||
        (v < -ACV_IMPORT_MAX_MAGNITUDE && !r->has_min))
        return acv_error_set(err, ACV_ERR_INPUT,
                             "%s '%s': '%s' is beyond the limit of %g in magnitude (a range rule "
                             "for %s may declare larger values)",
                             im->origin.field_word, column, text, ACV_IMPORT_MAX_MAGNITUDE,
                             indicator);
    if ((!r->has_min || v >= r->min) && (!r->has_max || v <= r->max))
        return ACV_OK;
    char range[96];
    if (r->has_min && r->has_max)
        snprintf(range, sizeof range, "from %g to %g", r->min, r->max);
    else if (r->has_min)
        snprintf(range, sizeof range, "%g or more", r->min);
    else
        snprintf(range, sizeof range, "%g or less", r->max);
    return acv_error_set(err, ACV_ERR_INPUT,
                         "%s '%s': '%s' is impossible for %s, whose values are %s (range rule "
                         "'%s')",
                         im->origin.field_word, column, text, indicator, range, r->rule);
}

static acv_status parse_value(const char *word, const char *column, const char *text, double *value,
                              acv_error *err)
{
    if (acv_parse_number(text, value))
        return ACV_OK;
    if (!text[0])
        return acv_error_set(err, ACV_ERR_INPUT,
                             "%s '%s': empty (leave the row out when there is no data)", word,
                             column);
    return acv_error_set(err, ACV_ERR_INPUT,
                         "%s '%s': '%s' is not a number (use a dot for decimals and no "
                         "thousands separators)",
                         word, column, text);
}

static const char *none_if_empty(const char *s)
{
    return s && *s ? s : NULL;
}

/* Status and disaggregation of a row (source and comment need no check). */
static acv_status row_details(acv_import *im, const acv_import_row *row, checked_row *c,
                              acv_error *err)
{
    const char *status = none_if_empty(row->status);
    if (status) {
        int ok = 0;
        for (const char *const *s = STATUSES; *s; s++)
            if (strcmp(status, *s) == 0)
                ok = 1;
        if (!ok)
            return acv_error_set(err, ACV_ERR_INPUT,
                                 "%s 'status': '%s' is not one of provisional, final, "
                                 "estimated, imputed",
                                 im->origin.field_word, status);
    }
    char disagg[1024];
    size_t dl = 0;
    disagg[0] = '\0';
    for (size_t d = 0; d < row->n_dims; d++) {
        const char *v = row->dims[d].value;
        if (!v || !*v)
            continue;
        /* the stored key is "name=value;name=value": these characters would make it ambiguous */
        if (!row->dims[d].name[0] || strpbrk(row->dims[d].name, "=;") || strchr(v, ';'))
            return acv_error_set(err, ACV_ERR_INPUT,
                                 "%s '%s': a disaggregation name may not be empty or contain "
                                 "'=' or ';', nor its value ';' (value '%s')",
                                 im->origin.field_word, row->dims[d].name, v);
        int n = snprintf(disagg + dl, sizeof disagg - dl, "%s%s=%s", dl ? ";" : "",
                         row->dims[d].name, v);
        if (n < 0 || (size_t)n >= sizeof disagg - dl)
            return acv_error_set(err, ACV_ERR_INPUT,
                                 "%s '%s': the disaggregation values are too long",
                                 im->origin.field_word, row->dims[d].name);
        dl += (size_t)n;
    }
    if (im->scratch_len + dl + 1 > im->scratch_cap) {
        size_t ncap = im->scratch_cap ? im->scratch_cap * 2 : 4096;
        while (ncap < im->scratch_len + dl + 1)
            ncap *= 2;
        char *p = realloc(im->scratch, ncap);
        if (!p)
            return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
        im->scratch = p;
        im->scratch_cap = ncap;
    }
    c->disagg = im->scratch_len;
    memcpy(im->scratch + im->scratch_len, disagg, dl + 1);
    im->scratch_len += dl + 1;
    c->status = status;
    c->source = none_if_empty(row->source);
    c->comment = none_if_empty(row->comment);
    return ACV_OK;
}

/* The period a row's text stands for, as stored (a CE year) into c->period: its years read in the
 * row's calendar, then a fiscal year ("FY2024") mapped to the year the framework scores by the
 * area's country's rules (fiscal.h); one that is not the calendar year only for an indicator
 * measured per fiscal year. docs/calendars.md. */
static acv_status row_period(acv_import *im, const char *text, const char *indicator,
                             const char *column, checked_row *c, acv_error *err)
{
    const char *word = im->origin.field_word;
    acv_raw_period raw;
    char why[512];
    why[0] = '\0';
    if (!acv_raw_period_parse(text, &raw, why, sizeof why)) {
        if (why[0])
            return acv_error_set(err, ACV_ERR_INPUT, "%s '%s': %s", word, column, why);
        return acv_error_set(err, ACV_ERR_INPUT,
                             "%s '%s': '%s' is not a year like 2025 (1900-2100)", word, column,
                             text);
    }
    int year = acv_calendar_to_ce(c->cal, raw.year);
    if (year < 1900 || year > 2100) {
        if (c->cal == ACV_CAL_CE)
            return acv_error_set(
                err, ACV_ERR_INPUT, "%s '%s': '%s' is not a year like 2025 (1900-2100)%s", word,
                column, text,
                raw.year >= 2443 && raw.year <= 2643
                    ? "; a Buddhist Era year? import with --calendar be-th, or give the area "
                      "calendar be-th in the areas file"
                    : "");
        return acv_error_set(err, ACV_ERR_INPUT,
                             "%s '%s': '%s' read as %s year %d is %d CE, outside 1900-2100", word,
                             column, text, acv_calendar_label(c->cal), raw.year, year);
    }
    raw.year = year;
    if (raw.kind == ACV_RAW_FY_SPAN)
        raw.end_year = year + 1;
    /* a plain year is stored as written (in CE), for a fiscal-year indicator too: every declared
     * country labels its fiscal years by the year the majority rule scores them as */
    if (raw.kind == ACV_RAW_YEAR) {
        snprintf(c->period, sizeof c->period, "%04d", year);
        return ACV_OK;
    }
    acv_fiscal_year fy;
    if (!im->fiscal)
        return acv_error_set(err, ACV_ERR_INPUT,
                             "%s '%s': '%s' is a fiscal year, but no file declares the "
                             "countries' fiscal years (%s)",
                             word, column, text, ACV_FISCAL_FILE);
    if (!acv_fiscal_map(im->fiscal, c->country, &raw, &fy, why, sizeof why))
        return acv_error_set(err, ACV_ERR_INPUT, "%s '%s': '%s': %s", word, column, text, why);
    if (!c->fiscal && fy.start_month != 1) {
        static const char *const M[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        return acv_error_set(err, ACV_ERR_INPUT,
                             "%s '%s': '%s' is the fiscal year %s %d to %s %d, but %s is "
                             "measured per calendar year (an indicator measured per fiscal year "
                             "declares 'year: fiscal' in the framework)",
                             word, column, text, M[fy.start_month - 1], fy.start_year,
                             M[fy.end_month - 1], fy.end_year,
                             indicator ? indicator : "the indicator");
    }
    snprintf(c->period, sizeof c->period, "%04d", fy.scored);
    return ACV_OK;
}

/* Every row of a record, in the order a reader finds problems: codes, then periods and values,
 * then status and disaggregation. */
static acv_status check_rows(acv_import *im, const acv_import_row *rows, size_t n, acv_error *err)
{
    if (n > im->cap_checked) {
        checked_row *nc = realloc(im->checked, n * sizeof *nc);
        if (!nc)
            return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
        im->checked = nc;
        im->cap_checked = n;
    }
    im->scratch_len = 0;
    acv_status st = ACV_OK;
    for (size_t r = 0; r < n && st == ACV_OK; r++)
        st = resolve_codes(im, &rows[r], &im->checked[r], err);
    for (size_t r = 0; r < n && st == ACV_OK; r++) {
        if (!rows[r].value)
            continue;
        st = row_period(im, rows[r].period ? rows[r].period : "", rows[r].indicator,
                        rows[r].value_name ? rows[r].value_name : "period", &im->checked[r], err);
        if (st != ACV_OK)
            return st;
        const char *column = rows[r].value_name ? rows[r].value_name : "value";
        st = parse_value(im->origin.field_word, column, rows[r].value, &im->checked[r].value, err);
        if (st == ACV_OK)
            st = check_physical(im, column, rows[r].value, rows[r].indicator, &im->checked[r].range,
                                im->checked[r].value, err);
    }
    for (size_t r = 0; r < n && st == ACV_OK; r++)
        st = row_details(im, &rows[r], &im->checked[r], err);
    return st;
}

static acv_status put(acv_import *im, const acv_observation *o, acv_error *err)
{
    acv_obs_outcome outcome;
    acv_status st =
        acv_store_put_observation_hinted(im->ctx->store, o, im->expect_existing, &outcome, err);
    if (st != ACV_OK)
        return st;
    im->expect_existing = outcome != ACV_OBS_NEW;
    im->out->rows++;
    if (outcome == ACV_OBS_NEW)
        im->out->added++;
    else if (outcome == ACV_OBS_CHANGED)
        im->out->changed++;
    else
        im->out->unchanged++;
    return ACV_OK;
}

static const char *pending_string(const acv_import *im, const pending_row *r, int k)
{
    if (r->strings == NO_STRINGS)
        return k == 0 ? "" : NULL;
    const char *s = im->strings + r->strings;
    for (int i = 0; i < k; i++)
        s += strlen(s) + 1;
    return k > 0 && !*s ? NULL : s;
}

/* The observations primary key (area, indicator, disaggregation, period), then source order. */
static int pending_cmp(const void *a, const void *b)
{
    const pending_row *x = a, *y = b;
    if (x->area_id != y->area_id)
        return x->area_id < y->area_id ? -1 : 1;
    if (x->indicator_id != y->indicator_id)
        return x->indicator_id < y->indicator_id ? -1 : 1;
    int c = strcmp(x->disagg, y->disagg);
    if (c)
        return c;
    c = strcmp(x->period, y->period);
    if (c)
        return c;
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

/* Writes the pending rows in key order. A refused row stops the import, named by its own
 * origin (pending rows exist only without a rejects file). */
static acv_status flush_pending(acv_import *im, acv_error *err)
{
    for (size_t i = 0; i < im->n_pending; i++)
        im->pending[i].disagg = pending_string(im, &im->pending[i], 0);
    qsort(im->pending, im->n_pending, sizeof *im->pending, pending_cmp);
    acv_status st = ACV_OK;
    for (size_t i = 0; i < im->n_pending && st == ACV_OK; i++) {
        const pending_row *r = &im->pending[i];
        const char *file = r->file ? im->file_names[r->file - 1] : NULL;
        acv_observation o = {.area_id = r->area_id,
                             .indicator_id = r->indicator_id,
                             .period = r->period,
                             .disaggregation = pending_string(im, r, 0),
                             .value = r->value,
                             .source = pending_string(im, r, 1),
                             .status = pending_string(im, r, 2),
                             .comment = pending_string(im, r, 3),
                             .import_id = im->out->import_id,
                             .line = (long)r->line,
                             .source_file = file};
        acv_error row_err;
        acv_error_clear(&row_err);
        st = put(im, &o, &row_err);
        if (st != ACV_OK) {
            acv_import_where where = {.file = file, .line = (long)r->line};
            st = record_problem(im, &where, st, &row_err, err);
        }
    }
    im->n_pending = 0;
    im->strings_len = 0;
    return st;
}

static int keep_strings(acv_import *im, const acv_observation *o, uint32_t *off)
{
    if (!o->disaggregation[0] && !o->source && !o->status && !o->comment) {
        *off = NO_STRINGS;
        return 0;
    }
    const char *parts[4] = {o->disaggregation, o->source ? o->source : "",
                            o->status ? o->status : "", o->comment ? o->comment : ""};
    size_t need = 0;
    for (int k = 0; k < 4; k++)
        need += strlen(parts[k]) + 1;
    if (im->strings_len + need > im->strings_cap) {
        size_t ncap = im->strings_cap ? im->strings_cap * 2 : 1 << 16;
        while (ncap < im->strings_len + need)
            ncap *= 2;
        char *p = ncap < NO_STRINGS ? realloc(im->strings, ncap) : NULL;
        if (!p)
            return -1;
        im->strings = p;
        im->strings_cap = ncap;
    }
    *off = (uint32_t)im->strings_len;
    for (int k = 0; k < 4; k++) {
        size_t n = strlen(parts[k]) + 1;
        memcpy(im->strings + im->strings_len, parts[k], n);
        im->strings_len += n;
    }
    return 0;
}

/* Queues an observation (file: its index + 1, 0 for the import's own); *queued is 0 when the
 * row is out of the compact row's range and must be written now. acv_import_add writes the
 * queue when it is full. */
static acv_status defer_put(acv_import *im, const acv_observation *o, long file, int *queued,
                            acv_error *err)
{
    *queued = 0;
    if (!im->pending && !(im->pending = malloc(PENDING_MAX * sizeof *im->pending)))
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    pending_row *r = &im->pending[im->n_pending];
    if (o->area_id > UINT32_MAX || o->indicator_id > UINT32_MAX || o->line > (long)UINT32_MAX ||
        o->line < 0 || file > (long)UINT32_MAX || strlen(o->period) >= sizeof r->period ||
        keep_strings(im, o, &r->strings) != 0)
        return ACV_OK;
    r->area_id = (uint32_t)o->area_id;
    r->indicator_id = (uint32_t)o->indicator_id;
    r->line = (uint32_t)o->line;
    r->file = (uint32_t)file;
    r->value = o->value;
    snprintf(r->period, sizeof r->period, "%s", o->period);
    im->n_pending++;
    *queued = 1;
    return ACV_OK;
}

/* Writes the checked rows of a record; a refused write is a problem of the record (err without
 * its location), and with a rejects file the record's earlier writes are undone. */
static acv_status write_rows(acv_import *im, const acv_import_where *where,
                             const acv_import_row *rows, size_t n, size_t n_values, acv_error *err)
{
    const char *source_file;
    long file = intern_file(im, where->file, &source_file);
    if (file < 0)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    acv_observation o = {
        .import_id = im->out->import_id, .line = where->line, .source_file = source_file};
    /* a record with several values is undone as a whole when one of them is refused */
    int savepoint = im->rej.f && n_values > 1;
    acv_status st = ACV_OK;
    if (savepoint && (st = acv_store_savepoint(im->ctx->store, err)) != ACV_OK)
        return st;
    acv_import_summary before = *im->out;
    for (size_t r = 0; r < n && st == ACV_OK; r++) {
        if (!rows[r].value)
            continue;
        const checked_row *c = &im->checked[r];
        o.area_id = c->area_id;
        o.indicator_id = c->indicator_id;
        o.period = c->period;
        o.disaggregation = im->scratch + c->disagg;
        o.value = c->value;
        o.source = c->source;
        o.status = c->status;
        o.comment = c->comment;
        /* single-value records are queued (without a rejects file, which needs the record's
         * fields when a write is refused); a value with a name of its own is written at once so
         * that a refusal names it */
        if (n_values == 1 && !im->rej.f && !rows[r].value_name) {
            int queued;
            st = defer_put(im, &o, file, &queued, err);
            if (st != ACV_OK || queued)
                continue;
        }
        st = put(im, &o, err);
        if (st == ACV_ERR_INPUT && rows[r].value_name)
            acv_error_prefix(err, "%s '%s'", im->origin.field_word, rows[r].value_name);
    }
    if (savepoint) {
        if (st == ACV_OK) {
            st = acv_store_savepoint_release(im->ctx->store, err);
        } else {
            acv_store_savepoint_rollback(im->ctx->store);
            *im->out = before;
        }
    }
    for (size_t r = 0; r < n && st == ACV_OK; r++) {
        if (!rows[r].value)
            continue;
        /* --strict checks the areas written; last_area is the current slot of the last code
         * looked up, usually this row's */
        code_slot *slot = im->last_area;
        if (slot->code != im->checked[r].area_code) {
            int fresh;
            slot = code_map_get(&im->areas, im->checked[r].area_code, &fresh);
        }
        slot->touched = 1;
    }
    return st;
}

acv_status acv_import_add(acv_import *im, const acv_import_where *where, const acv_import_row *rows,
                          size_t n, acv_error *err)
{
    im->out->lines++;
    acv_error problem;
    acv_error_clear(&problem);
    acv_status st = check_rows(im, rows, n, &problem);
    size_t n_values = 0;
    for (size_t r = 0; r < n; r++)
        n_values += rows[r].value != NULL;
    if (st == ACV_OK && n_values)
        st = write_rows(im, where, rows, n, n_values, &problem);
    if (st != ACV_OK)
        st = record_problem(im, where, st, &problem, err);
    progress(im);
    if (st == ACV_OK && im->n_pending == PENDING_MAX)
        st = flush_pending(im, err);
    return st;
}

acv_status acv_import_reject(acv_import *im, const acv_import_where *where, const char *reason,
                             acv_error *err)
{
    im->out->lines++;
    acv_error problem;
    acv_error_set(&problem, ACV_ERR_INPUT, "%s", reason);
    acv_status st = record_problem(im, where, ACV_ERR_INPUT, &problem, err);
    progress(im);
    return st;
}

acv_status acv_import_skip(acv_import *im, const acv_import_where *where, const char *reason,
                           acv_error *err)
{
    if (im->rej.f)
        return acv_import_reject(im, where, reason, err);
    im->out->lines++;
    if (im->opt.skips && im->out->skipped < im->opt.max_skips) {
        acv_buf_printf(im->opt.skips, "%s:%ld: %s\n", where_file(im, where), where->line, reason);
        if (im->opt.skips->failed)
            return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    }
    im->out->skipped++;
    progress(im);
    return ACV_OK;
}

/* Violations listed when the import only warns; `acvtrack validate` lists them all. */
#define WARNINGS_SHOWN 5

typedef struct {
    acv_import_options opt;
    acv_import_summary *out;
    long medium, low;
    acv_buf first; /* without --strict: the first WARNINGS_SHOWN violations */
} strict_state;

static int strict_violation(void *ud, const acv_violation *v)
{
    strict_state *s = ud;
    if (v->importance == ACV_IMPORTANCE_HIGH)
        s->out->violations_high++;
    else if (v->importance == ACV_IMPORTANCE_MEDIUM)
        s->medium++;
    else
        s->low++;
    if (s->opt.strict && s->opt.report)
        acv_violation_format(v, s->opt.report);
    else if (!s->opt.strict && s->out->warnings++ < WARNINGS_SHOWN)
        acv_violation_format(v, &s->first);
    return 0;
}

/* The rules over the areas this import wrote, counting what this import causes: with --strict a
 * high-importance violation refuses the file; without, every violation is a warning (the count
 * and the first few go to opt.report). Physical ranges were checked row by row already. */
static acv_status strict_check(acv_import *im, acv_error *err)
{
    const char **codes = malloc((im->areas.n + 1) * sizeof *codes);
    if (!codes)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < im->areas.cap; i++)
        if (im->areas.slots[i].code && im->areas.slots[i].touched)
            codes[n++] = im->areas.slots[i].code;
    acv_validate_filter f = {.areas = codes, .n_areas = n, .import_id = im->out->import_id};
    strict_state s = {.opt = im->opt, .out = im->out};
    acv_status st = ACV_OK;
    if (n > 0)
        st = acv_validate(im->ctx, im->rules, &f, strict_violation, &s, NULL, err);
    free(codes);
    if (st == ACV_OK && !im->opt.strict && im->out->warnings && im->opt.report) {
        long w = im->out->warnings;
        acv_buf_printf(im->opt.report,
                       "acvtrack: warning: %s breaks validation rules %ld time%s (%ld high, %ld "
                       "medium, %ld low importance)%s:\n%s",
                       im->origin.name, w, w == 1 ? "" : "s", im->out->violations_high, s.medium,
                       s.low, w > WARNINGS_SHOWN ? "; the first " STRINGIFY(WARNINGS_SHOWN) : "",
                       s.first.data ? s.first.data : "");
        acv_buf_puts(im->opt.report, "acvtrack: 'acvtrack validate' lists them all; --strict "
                                     "refuses a file that breaks a rule of high importance\n");
    }
    acv_buf_free(&s.first);
    if (st == ACV_OK && im->opt.strict && im->out->violations_high > 0)
        st = acv_error_set(err, ACV_ERR_INPUT,
                           "%s: refused (--strict): the file breaks %ld high-importance "
                           "validation rule%s",
                           im->origin.name, im->out->violations_high,
                           im->out->violations_high == 1 ? "" : "s");
    return st;
}

acv_status acv_import_end(acv_import *im, acv_status st, acv_error *err)
{
    acv_store *store = im->ctx->store;
    acv_import_summary *out = im->out;
    if (st == ACV_OK && im->n_pending)
        st = flush_pending(im, err);
    if (im->opt.progress) {
        /* the records are read: the line ends here, before the rules run */
        if (st == ACV_OK) {
            progress(im);
            acv_progress_finish(im->opt.progress);
        } else {
            acv_progress_clear(im->opt.progress);
        }
    }
    if (st == ACV_OK && im->rules)
        st = strict_check(im, err);
    if (st == ACV_OK)
        st = acv_store_finish_import(store, out->import_id, out->rows, out->added, out->changed, 0,
                                     err);
    if (st == ACV_OK && !out->dry_run) {
        st = acv_store_commit(store, err);
        acv_store_bulk_end(store);
        acv_status rs = rejects_close(&im->rej, st == ACV_OK, err);
        import_free(im);
        if (st != ACV_OK) {
            memset(out, 0, sizeof *out);
            return st;
        }
        return rs;
    }
    acv_store_rollback(store);
    acv_store_bulk_end(store);
    acv_status rs = rejects_close(&im->rej, st == ACV_OK, st == ACV_OK ? err : NULL);
    import_free(im);
    if (st != ACV_OK) {
        acv_layout layout = out->layout;
        long high = out->violations_high;
        memset(out, 0, sizeof *out);
        out->layout = layout;
        out->violations_high = high;
        return st;
    }
    return rs;
}

/* ---- history ------------------------------------------------------------------------------- */

#define HISTORY_COLUMNS 10

typedef struct {
    char *cell[HISTORY_COLUMNS];
} history_row;

typedef struct {
    history_row *rows;
    size_t n, cap;
    int any_disaggregation;
    int oom;
} history_table;

static char *fmt_dup(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *fmt_dup(const char *fmt, ...)
{
    char buf[1024];
    ACV_VFORMAT(buf, sizeof buf, fmt);
    return strdup(buf);
}

static int history_add(void *ud, const acv_obs_record *r)
{
    history_table *t = ud;
    if (ACV_GROW(t->rows, t->cap, t->n, 32) != 0) {
        t->oom = 1;
        return 1;
    }
    history_row *row = &t->rows[t->n++];
    if (r->disaggregation[0])
        t->any_disaggregation = 1;
    row->cell[0] = strdup(r->period);
    row->cell[1] = strdup(r->disaggregation);
    row->cell[2] = fmt_dup("%.15g", r->value);
    row->cell[3] = strdup(r->status ? r->status : "-");
    row->cell[4] = r->replaced_by ? fmt_dup("%s by import %lld",
                                            r->replaced_by_revert ? "reverted" : "replaced",
                                            (long long)r->replaced_by)
                                  : strdup("current");
    row->cell[5] = fmt_dup("%lld", (long long)r->import_id);
    row->cell[6] = fmt_dup("%s:%ld", r->file, r->line);
    row->cell[7] = strdup(r->imported_at);
    row->cell[8] = strdup(r->source ? r->source : "-");
    row->cell[9] = strdup(r->comment ? r->comment : "");
    for (int c = 0; c < HISTORY_COLUMNS; c++)
        if (!row->cell[c])
            t->oom = 1;
    return t->oom;
}

static void history_free(history_table *t)
{
    for (size_t i = 0; i < t->n; i++)
        for (int c = 0; c < HISTORY_COLUMNS; c++)
            free(t->rows[i].cell[c]);
    free(t->rows);
}

acv_status acv_history_text(acv_ctx *ctx, const char *area, const char *indicator, int year,
                            acv_buf *out, acv_error *err)
{
    acv_area a;
    acv_status st = acv_store_get_area(ctx->store, area, &a, err);
    if (st != ACV_OK)
        return st;
    int64_t area_id = a.id;
    long known = ctx->fw ? acv_framework_find_indicator(ctx->fw, indicator) : -1;
    if (!acv_store_indicator_id(ctx->store, indicator))
        return acv_error_set(err, ACV_ERR_NOTFOUND,
                             "unknown indicator '%s' (see 'acvtrack indicators')", indicator);
    acv_obs_filter f = {
        .area_id = area_id, .indicator = indicator, .min_year = year, .max_year = year};
    history_table t = {0};
    st = acv_store_observation_history(ctx->store, &f, history_add, &t, err);
    if (st == ACV_OK && t.oom)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    if (st != ACV_OK) {
        history_free(&t);
        return st;
    }
    size_t current = 0, earlier = 0;
    for (size_t i = 0; i < t.n; i++) {
        if (strcmp(t.rows[i].cell[4], "current") == 0)
            current++;
        else
            earlier++;
    }
    acv_buf_printf(out, "%s %s", area, indicator);
    if (known >= 0)
        acv_buf_printf(out, " (%s)", ctx->fw->indicators[known].short_name);
    if (year)
        acv_buf_printf(out, ", %d", year);
    acv_buf_printf(out, ": %zu value%s, %zu earlier version%s\n", current, current == 1 ? "" : "s",
                   earlier, earlier == 1 ? "" : "s");
    if (t.n) {
        static const char *const titles[HISTORY_COLUMNS] = {
            "PERIOD", "DISAGGREGATION", "VALUE",       "STATUS", "STATE",
            "IMPORT", "FILE:LINE",      "IMPORTED AT", "SOURCE", "COMMENT"};
        size_t width[HISTORY_COLUMNS];
        int show[HISTORY_COLUMNS];
        for (int c = 0; c < HISTORY_COLUMNS; c++) {
            width[c] = strlen(titles[c]);
            show[c] = c != 1 && c != 9;
            for (size_t i = 0; i < t.n; i++) {
                size_t len = strlen(t.rows[i].cell[c]);
                if (len > width[c])
                    width[c] = len;
                if (len)
                    show[c] = 1;
            }
        }
        for (size_t i = 0; i <= t.n; i++) {
            const char *const *cells = i == 0 ? titles : (const char *const *)t.rows[i - 1].cell;
            size_t start = out->len;
            int first = 1;
            for (int c = 0; c < HISTORY_COLUMNS; c++) {
                if (!show[c])
                    continue;
                acv_buf_printf(out, c == 2 ? "%s%*s" : "%s%-*s", first ? "" : "  ", (int)width[c],
                               cells[c]);
                first = 0;
            }
            while (out->len > start && out->data[out->len - 1] == ' ')
                out->data[--out->len] = '\0';
            acv_buf_puts(out, "\n");
        }
    }
    history_free(&t);
    if (out->failed)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    return ACV_OK;
}
