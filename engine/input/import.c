/* import.c — CSV observations (long and wide layouts) into the workspace, all or nothing; the
 * history of stored observations. See import.h and docs/data.md. */
#include "import.h"
#include "csv.h"
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

#define MAX_DIMS 16
#define PROGRESS_EVERY 100000

enum {
    COL_AREA,
    COL_INDICATOR,
    COL_PERIOD,
    COL_VALUE,
    COL_SOURCE,
    COL_STATUS,
    COL_COMMENT,
    N_FIXED
};

static const char *const FIXED_NAMES[N_FIXED] = {"area",   "indicator", "period", "value",
                                                 "source", "status",    "comment"};

static const char *const STATUSES[] = {"provisional", "final", "estimated", "imputed", NULL};

const char *acv_layout_name(acv_layout layout)
{
    switch (layout) {
    case ACV_LAYOUT_LONG:
        return "long";
    case ACV_LAYOUT_WIDE:
        return "wide";
    case ACV_LAYOUT_AUTO:
        break;
    }
    return "auto";
}

static void normalise_name(const char *in, char *out, size_t size)
{
    while (*in == ' ')
        in++;
    size_t n = 0;
    for (; *in && n + 1 < size; in++)
        out[n++] = *in == ' ' || *in == '-' ? '_' : (char)tolower((unsigned char)*in);
    while (n > 0 && out[n - 1] == '_')
        n--;
    out[n] = '\0';
}

/* The disaggregation dimensions any indicator of the framework names. */
static int framework_has_dimension(const acv_framework *fw, const char *name)
{
    char norm[64];
    for (size_t i = 0; i < fw->n_indicators; i++)
        for (size_t d = 0; d < fw->indicators[i].n_disaggregations; d++) {
            normalise_name(fw->indicators[i].disaggregations[d], norm, sizeof norm);
            if (strcmp(norm, name) == 0)
                return 1;
        }
    return 0;
}

/* ---- code -> id cache: one lookup in the workspace per distinct area or indicator ---------- */

typedef struct {
    const char *code; /* NULL: empty slot */
    uint64_t hash;
    int64_t id;  /* 0: not in the workspace */
    int touched; /* an observation of this area was written */
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
 * memory ran out. */
static code_slot *code_map_get(code_map *m, const char *code, int *fresh)
{
    *fresh = 0;
    if ((m->n + 1) * 10 >= m->cap * 7 && !code_map_grow(m))
        return NULL;
    uint64_t h = hash_code(code);
    code_slot *s = probe(m->slots, m->cap, code, h);
    if (s->code)
        return s;
    s->code = acv_arena_strdup(&m->strings, code);
    if (!s->code)
        return NULL;
    s->hash = h;
    s->id = 0;
    s->touched = 0;
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

/* ---- the header ------------------------------------------------------------------------------ */

typedef struct {
    char name[64];
    size_t column;
} dim_column;

typedef struct {
    char name[16]; /* canonical period text */
    size_t column;
} period_column;

typedef struct {
    acv_layout layout;
    size_t width;
    long fixed[N_FIXED];
    dim_column dims[MAX_DIMS];
    size_t n_dims;
    period_column *periods; /* wide layout */
    size_t n_periods;
    char **cells; /* the header as written, for the rejects file */
} header;

static void header_free(header *h)
{
    free(h->periods);
    if (h->cells)
        for (size_t i = 0; i < h->width; i++)
            free(h->cells[i]);
    free(h->cells);
}

static int dim_cmp(const void *a, const void *b)
{
    return strcmp(((const dim_column *)a)->name, ((const dim_column *)b)->name);
}

/* A header cell that names a period (wide layout), trimmed. */
static int period_cell(const char *cell, char out[16])
{
    while (*cell == ' ')
        cell++;
    size_t n = strlen(cell);
    while (n > 0 && cell[n - 1] == ' ')
        n--;
    if (n == 0 || n >= 16)
        return 0;
    char buf[16];
    memcpy(buf, cell, n);
    buf[n] = '\0';
    acv_period p;
    if (!acv_period_parse(buf, &p))
        return 0;
    memcpy(out, buf, n + 1);
    return 1;
}

static acv_status read_header(acv_ctx *ctx, acv_csv *csv, const char *name, acv_layout wanted,
                              header *h, acv_error *err)
{
    memset(h, 0, sizeof *h);
    for (int i = 0; i < N_FIXED; i++)
        h->fixed[i] = -1;
    h->width = acv_csv_count(csv);
    h->cells = calloc(h->width, sizeof *h->cells);
    h->periods = calloc(h->width, sizeof *h->periods);
    if (!h->cells || !h->periods)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory reading the header of %s", name);
    for (size_t c = 0; c < h->width; c++) {
        h->cells[c] = strdup(acv_csv_field(csv, c));
        if (!h->cells[c])
            return acv_error_set(err, ACV_ERR_NOMEM, "out of memory reading the header of %s",
                                 name);
    }
    for (size_t c = 0; c < h->width; c++) {
        const char *raw = acv_csv_field(csv, c);
        char col[64];
        normalise_name(raw, col, sizeof col);
        if (strcmp(col, "year") == 0)
            strcpy(col, "period");
        int known = 0;
        for (int i = 0; i < N_FIXED; i++)
            if (strcmp(col, FIXED_NAMES[i]) == 0) {
                if (h->fixed[i] >= 0)
                    return acv_error_at(err, ACV_ERR_INPUT, name, 1, 0,
                                        "column '%s' appears twice in the header", col);
                h->fixed[i] = (long)c;
                known = 1;
            }
        if (known)
            continue;
        char period[16];
        if (period_cell(raw, period)) {
            for (size_t p = 0; p < h->n_periods; p++)
                if (strcmp(h->periods[p].name, period) == 0)
                    return acv_error_at(err, ACV_ERR_INPUT, name, 1, 0,
                                        "column '%s' appears twice in the header", period);
            memcpy(h->periods[h->n_periods].name, period, sizeof period);
            h->periods[h->n_periods++].column = c;
            continue;
        }
        if (!col[0])
            return acv_error_at(err, ACV_ERR_INPUT, name, 1, 0, "column %zu has an empty name",
                                c + 1);
        if (!framework_has_dimension(ctx->fw, col))
            return acv_error_at(err, ACV_ERR_INPUT, name, 1, 0,
                                "unknown column '%s' (expected area, indicator, period, value; "
                                "optionally source, status, comment, or a disaggregation the "
                                "framework names, like sex or age; or, in the wide layout, one "
                                "column per year)",
                                raw);
        if (h->n_dims == MAX_DIMS)
            return acv_error_at(err, ACV_ERR_INPUT, name, 1, 0,
                                "more than %d disaggregation columns", MAX_DIMS);
        snprintf(h->dims[h->n_dims].name, sizeof h->dims[h->n_dims].name, "%s", col);
        h->dims[h->n_dims].column = c;
        h->n_dims++;
    }
    qsort(h->dims, h->n_dims, sizeof *h->dims, dim_cmp);

    int long_cols = h->fixed[COL_PERIOD] >= 0 || h->fixed[COL_VALUE] >= 0;
    h->layout = wanted;
    if (h->layout == ACV_LAYOUT_AUTO)
        h->layout = !long_cols && h->n_periods > 0 ? ACV_LAYOUT_WIDE : ACV_LAYOUT_LONG;
    if (h->layout == ACV_LAYOUT_LONG && h->n_periods > 0 && long_cols)
        return acv_error_at(err, ACV_ERR_INPUT, name, 1, 0,
                            "column '%s' is a year, but the long layout has one 'period' and "
                            "one 'value' column (for one column per year use the wide layout)",
                            h->cells[h->periods[0].column]);
    int needed = h->layout == ACV_LAYOUT_WIDE ? 2 : 4;
    for (int i = 0; i < needed; i++)
        if (h->fixed[i] < 0)
            return acv_error_at(
                err, ACV_ERR_INPUT, name, 1, 0,
                h->layout == ACV_LAYOUT_WIDE
                    ? "the header has no '%s' column (the wide layout needs area, indicator and "
                      "one column per year)"
                    : (h->n_periods > 0 && !long_cols
                           ? "the header has no '%s' column (the long layout needs area, "
                             "indicator, period and value; the year columns suggest the wide "
                             "layout)"
                           : "the header has no '%s' column (needed: area, indicator, period, "
                             "value)"),
                FIXED_NAMES[i]);
    if (h->layout == ACV_LAYOUT_WIDE) {
        if (long_cols)
            return acv_error_at(err, ACV_ERR_INPUT, name, 1, 0,
                                "column '%s' belongs to the long layout; the wide layout has one "
                                "column per year instead",
                                h->fixed[COL_PERIOD] >= 0 ? "period" : "value");
        if (h->n_periods == 0)
            return acv_error_at(err, ACV_ERR_INPUT, name, 1, 0,
                                "the wide layout needs at least one column per year, like 2019");
    }
    return ACV_OK;
}

/* ---- the rejects file ---------------------------------------------------------------------- */

typedef struct {
    const char *path;
    char *tmp;
    FILE *f;
    int failed;
} rejects_out;

static void csv_put(FILE *f, const char *s)
{
    int quote = !*s ? 0 : (s[0] == ' ' || s[strlen(s) - 1] == ' ');
    for (const char *p = s; *p && !quote; p++)
        if (*p == ',' || *p == '"' || *p == '\n' || *p == '\r')
            quote = 1;
    if (!quote) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            fputc('"', f);
        fputc(*p, f);
    }
    fputc('"', f);
}

static acv_status rejects_open(rejects_out *r, const char *path, const header *h, acv_error *err)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    size_t n = strlen(path) + 32;
    r->tmp = malloc(n);
    if (!r->tmp)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    snprintf(r->tmp, n, "%s.tmp.%ld", path, (long)getpid());
    r->f = fopen(r->tmp, "wb");
    if (!r->f) {
        acv_status st = acv_error_set(err, ACV_ERR_IO, "%s: cannot write the rejects file: %s",
                                      path, strerror(errno));
        free(r->tmp);
        r->tmp = NULL;
        return st;
    }
    fputs("line,error", r->f);
    for (size_t c = 0; c < h->width; c++) {
        fputc(',', r->f);
        csv_put(r->f, h->cells[c]);
    }
    fputs("\r\n", r->f);
    return ACV_OK;
}

static void rejects_add(rejects_out *r, const acv_csv *csv, long line, const char *reason)
{
    fprintf(r->f, "%ld,", line);
    csv_put(r->f, reason);
    for (size_t c = 0; c < acv_csv_count(csv); c++) {
        fputc(',', r->f);
        csv_put(r->f, acv_csv_field(csv, c));
    }
    fputs("\r\n", r->f);
}

/* Publishes the file (keep = 1) or removes it. */
static acv_status rejects_close(rejects_out *r, int keep, acv_error *err)
{
    acv_status st = ACV_OK;
    if (r->f) {
        int ok = !ferror(r->f);
        ok = fclose(r->f) == 0 && ok;
        r->f = NULL;
        if (keep && (!ok || rename(r->tmp, r->path) != 0))
            st = acv_error_set(err, ACV_ERR_IO, "%s: cannot write the rejects file: %s", r->path,
                               strerror(errno));
        if (!keep || st != ACV_OK)
            remove(r->tmp);
    }
    free(r->tmp);
    r->tmp = NULL;
    return st;
}

/* ---- one import ------------------------------------------------------------------------------ */

typedef struct {
    acv_ctx *ctx;
    const char *name;
    const acv_import_options *opt;
    acv_import_summary *out;
    acv_csv *csv;
    header h;
    code_map areas, indicators;
    code_slot *last_area, *last_indicator;
    int expect_existing;
    double *values; /* wide layout: one per period column */
    unsigned char *present;
    char disagg[1024];
    /* Long-layout rows waiting to be written in key order (see flush_pending): a file in random
     * order would otherwise insert into the observations B-tree at random, several times slower
     * once the workspace outgrows the page cache. */
    int defer;
    struct pending_row *pending;
    size_t n_pending;
    char *strings; /* disaggregation, source, status, comment of pending rows, NUL-separated */
    size_t strings_len, strings_cap;
} importer;

/* One parsed observation waiting for its write: 48 bytes plus its optional strings. */
typedef struct pending_row {
    uint32_t area_id, indicator_id, line;
    uint32_t strings; /* offset of four NUL-terminated strings in importer.strings, or NONE */
    double value;
    const char *disagg; /* set just before sorting, when importer.strings no longer moves */
    char period[16];
} pending_row;

#define PENDING_MAX (2u << 20) /* rows sorted and written at a time: 2M rows, 96 MB */
#define NO_STRINGS UINT32_MAX

static void importer_free(importer *im)
{
    free(im->pending);
    free(im->strings);
    header_free(&im->h);
    code_map_free(&im->areas);
    code_map_free(&im->indicators);
    free(im->values);
    free(im->present);
}

/* Area and indicator of the current line; a line error sets err (ACV_ERR_INPUT). */
static acv_status resolve_codes(importer *im, code_slot **area, code_slot **indicator,
                                acv_error *err)
{
    acv_store *s = im->ctx->store;
    const char *a = acv_csv_field(im->csv, (size_t)im->h.fixed[COL_AREA]);
    const char *i = acv_csv_field(im->csv, (size_t)im->h.fixed[COL_INDICATOR]);
    if (!im->last_area || strcmp(im->last_area->code, a) != 0) {
        int fresh;
        code_slot *slot = code_map_get(&im->areas, a, &fresh);
        if (!slot)
            return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
        if (fresh)
            slot->id = acv_store_area_id(s, a);
        im->last_area = slot;
    }
    if (!im->last_area->id)
        return acv_error_set(err, ACV_ERR_INPUT,
                             "column 'area': unknown area '%s' (see 'acvtrack areas list'; add "
                             "it with 'acvtrack areas import')",
                             a);
    if (!im->last_indicator || strcmp(im->last_indicator->code, i) != 0) {
        int fresh;
        code_slot *slot = code_map_get(&im->indicators, i, &fresh);
        if (!slot)
            return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
        if (fresh)
            slot->id = acv_store_indicator_id(s, i);
        im->last_indicator = slot;
    }
    if (!im->last_indicator->id)
        return acv_error_set(err, ACV_ERR_INPUT,
                             "column 'indicator': unknown indicator '%s' (see 'acvtrack "
                             "indicators')",
                             i);
    *area = im->last_area;
    *indicator = im->last_indicator;
    return ACV_OK;
}

static acv_status parse_value(const char *column, const char *text, double *value, acv_error *err)
{
    if (acv_parse_number(text, value))
        return ACV_OK;
    if (!text[0])
        return acv_error_set(err, ACV_ERR_INPUT,
                             "column '%s': empty (leave the row out when there is no data)",
                             column);
    return acv_error_set(err, ACV_ERR_INPUT,
                         "column '%s': '%s' is not a number (use a dot for decimals and no "
                         "thousands separators)",
                         column, text);
}

/* Status, source, comment and disaggregation of the current line, into o. */
static acv_status line_details(importer *im, acv_observation *o, acv_error *err)
{
    acv_csv *csv = im->csv;
    const long *fixed = im->h.fixed;
    const char *status =
        fixed[COL_STATUS] >= 0 ? acv_csv_field(csv, (size_t)fixed[COL_STATUS]) : NULL;
    if (status && !*status)
        status = NULL;
    if (status) {
        int ok = 0;
        for (const char *const *s = STATUSES; *s; s++)
            if (strcmp(status, *s) == 0)
                ok = 1;
        if (!ok)
            return acv_error_set(err, ACV_ERR_INPUT,
                                 "column 'status': '%s' is not one of provisional, final, "
                                 "estimated, imputed",
                                 status);
    }
    size_t dl = 0;
    im->disagg[0] = '\0';
    for (size_t d = 0; d < im->h.n_dims; d++) {
        const char *v = acv_csv_field(csv, im->h.dims[d].column);
        if (!*v)
            continue;
        int n = snprintf(im->disagg + dl, sizeof im->disagg - dl, "%s%s=%s", dl ? ";" : "",
                         im->h.dims[d].name, v);
        if (n < 0 || (size_t)n >= sizeof im->disagg - dl)
            return acv_error_set(err, ACV_ERR_INPUT,
                                 "column '%s': the disaggregation values are too long",
                                 im->h.dims[d].name);
        dl += (size_t)n;
    }
    const char *source =
        fixed[COL_SOURCE] >= 0 ? acv_csv_field(csv, (size_t)fixed[COL_SOURCE]) : NULL;
    const char *comment =
        fixed[COL_COMMENT] >= 0 ? acv_csv_field(csv, (size_t)fixed[COL_COMMENT]) : NULL;
    o->disaggregation = im->disagg;
    o->source = source && *source ? source : NULL;
    o->status = status;
    o->comment = comment && *comment ? comment : NULL;
    return ACV_OK;
}

static acv_status put(importer *im, const acv_observation *o, acv_error *err)
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

static const char *pending_string(const importer *im, const pending_row *r, int k)
{
    if (r->strings == NO_STRINGS)
        return k == 0 ? "" : NULL;
    const char *s = im->strings + r->strings;
    for (int i = 0; i < k; i++)
        s += strlen(s) + 1;
    return k > 0 && !*s ? NULL : s;
}

/* The observations primary key (area, indicator, disaggregation, period), then file order. */
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
    return x->line < y->line ? -1 : x->line > y->line;
}

static acv_status put(importer *im, const acv_observation *o, acv_error *err);

/* Writes the pending rows in key order. A refused row is reported with its own line. */
static acv_status flush_pending(importer *im, acv_error *err)
{
    for (size_t i = 0; i < im->n_pending; i++)
        im->pending[i].disagg = pending_string(im, &im->pending[i], 0);
    qsort(im->pending, im->n_pending, sizeof *im->pending, pending_cmp);
    acv_status st = ACV_OK;
    for (size_t i = 0; i < im->n_pending && st == ACV_OK; i++) {
        const pending_row *r = &im->pending[i];
        acv_observation o = {.area_id = r->area_id,
                             .indicator_id = r->indicator_id,
                             .period = r->period,
                             .disaggregation = pending_string(im, r, 0),
                             .value = r->value,
                             .source = pending_string(im, r, 1),
                             .status = pending_string(im, r, 2),
                             .comment = pending_string(im, r, 3),
                             .import_id = im->out->import_id,
                             .line = (long)r->line};
        acv_error row_err;
        acv_error_clear(&row_err);
        st = put(im, &o, &row_err);
        if (st == ACV_ERR_INPUT)
            st =
                acv_error_at(err, ACV_ERR_INPUT, im->name, (long)r->line, 0, "%s", row_err.message);
        else if (st != ACV_OK)
            *err = row_err;
    }
    im->n_pending = 0;
    im->strings_len = 0;
    return st;
}

static int keep_strings(importer *im, const acv_observation *o, uint32_t *off)
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

/* Queues a long-layout observation; writes the queue when it is full. */
static acv_status defer_put(importer *im, const acv_observation *o, acv_error *err)
{
    if (!im->pending && !(im->pending = malloc(PENDING_MAX * sizeof *im->pending)))
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    pending_row *r = &im->pending[im->n_pending];
    if (o->area_id > UINT32_MAX || o->indicator_id > UINT32_MAX || o->line > (long)UINT32_MAX ||
        strlen(o->period) >= sizeof r->period || keep_strings(im, o, &r->strings) != 0)
        return put(im, o, err); /* out of the compact row's range: write it now */
    r->area_id = (uint32_t)o->area_id;
    r->indicator_id = (uint32_t)o->indicator_id;
    r->line = (uint32_t)o->line;
    r->value = o->value;
    snprintf(r->period, sizeof r->period, "%s", o->period);
    im->n_pending++; /* run_import writes the queue when it is full */
    return ACV_OK;
}

/* One data line. ACV_ERR_INPUT is a problem of this line (err without the location); anything
 * else stops the import. */
static acv_status import_line(importer *im, long line, acv_error *err)
{
    acv_csv *csv = im->csv;
    if (acv_csv_count(csv) != im->h.width)
        return acv_error_set(err, ACV_ERR_INPUT, "%zu columns, but the header has %zu",
                             acv_csv_count(csv), im->h.width);
    code_slot *area = NULL, *indicator = NULL;
    acv_status st = resolve_codes(im, &area, &indicator, err);
    if (st != ACV_OK)
        return st;
    acv_observation o = {.area_id = area->id,
                         .indicator_id = indicator->id,
                         .import_id = im->out->import_id,
                         .line = line};
    if (im->h.layout == ACV_LAYOUT_LONG) {
        const char *period = acv_csv_field(csv, (size_t)im->h.fixed[COL_PERIOD]);
        acv_period p;
        if (!acv_period_parse(period, &p))
            return acv_error_set(err, ACV_ERR_INPUT,
                                 "column 'period': '%s' is not a year like 2025 (1900-2100)",
                                 period);
        st =
            parse_value("value", acv_csv_field(csv, (size_t)im->h.fixed[COL_VALUE]), &o.value, err);
        if (st == ACV_OK)
            st = line_details(im, &o, err);
        if (st != ACV_OK)
            return st;
        o.period = period;
        st = im->defer ? defer_put(im, &o, err) : put(im, &o, err);
        if (st == ACV_OK)
            area->touched = 1;
        return st;
    }

    /* wide: check every cell before writing any */
    size_t n_values = 0;
    for (size_t p = 0; p < im->h.n_periods; p++) {
        const char *cell = acv_csv_field(csv, im->h.periods[p].column);
        im->present[p] = 0;
        const char *t = cell;
        while (*t == ' ')
            t++;
        if (!*t)
            continue;
        st = parse_value(im->h.periods[p].name, cell, &im->values[p], err);
        if (st != ACV_OK)
            return st;
        im->present[p] = 1;
        n_values++;
    }
    st = line_details(im, &o, err);
    if (st != ACV_OK || n_values == 0)
        return st;
    /* a line with several values is undone as a whole when one of them is refused */
    int savepoint = im->opt && im->opt->rejects && n_values > 1;
    if (savepoint && (st = acv_store_savepoint(im->ctx->store, err)) != ACV_OK)
        return st;
    acv_import_summary before = *im->out;
    for (size_t p = 0; p < im->h.n_periods && st == ACV_OK; p++) {
        if (!im->present[p])
            continue;
        o.period = im->h.periods[p].name;
        o.value = im->values[p];
        st = put(im, &o, err);
        if (st == ACV_ERR_INPUT)
            acv_error_prefix(err, "column '%s'", im->h.periods[p].name);
    }
    if (savepoint) {
        if (st == ACV_OK) {
            st = acv_store_savepoint_release(im->ctx->store, err);
        } else {
            acv_store_savepoint_rollback(im->ctx->store);
            *im->out = before;
        }
    }
    if (st == ACV_OK)
        area->touched = 1;
    return st;
}

static acv_status hash_stream(FILE *f, const char *display, char hex[65], acv_error *err)
{
    acv_sha256 h;
    acv_sha256_init(&h);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        acv_sha256_update(&h, buf, n);
    if (ferror(f))
        return acv_error_at(err, ACV_ERR_IO, display, 0, 0, "read error");
    rewind(f);
    acv_sha256_final_hex(&h, hex);
    return ACV_OK;
}

typedef struct {
    acv_import_options opt;
    acv_import_summary *out;
    long medium, low;
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
    if (s->opt.report)
        acv_violation_format(v, s->opt.report);
    return 0;
}

/* --strict: the rules over the areas this import wrote, counting what this import causes. */
static acv_status strict_check(importer *im, const acv_rules *rules, acv_error *err)
{
    const char **codes = malloc((im->areas.n + 1) * sizeof *codes);
    if (!codes)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < im->areas.cap; i++)
        if (im->areas.slots[i].code && im->areas.slots[i].touched)
            codes[n++] = im->areas.slots[i].code;
    acv_validate_filter f = {.areas = codes, .n_areas = n, .import_id = im->out->import_id};
    strict_state s = {.opt = *im->opt, .out = im->out};
    acv_status st = ACV_OK;
    if (n > 0)
        st = acv_validate(im->ctx, rules, &f, strict_violation, &s, NULL, err);
    free(codes);
    if (st == ACV_OK && im->out->violations_high > 0)
        st = acv_error_set(err, ACV_ERR_INPUT,
                           "%s: refused (--strict): the file breaks %ld high-importance "
                           "validation rule%s",
                           im->name, im->out->violations_high,
                           im->out->violations_high == 1 ? "" : "s");
    return st;
}

static acv_status run_import(importer *im, const char *path, const acv_rules *rules,
                             rejects_out *rej, acv_error *err)
{
    const acv_import_options *opt = im->opt;
    acv_import_summary *out = im->out;
    const char *name = im->name;
    acv_store *store = im->ctx->store;

    FILE *fp = fopen(path, "rb");
    if (!fp)
        return acv_error_at(err, ACV_ERR_IO, name, 0, 0, "cannot open: %s", strerror(errno));
    char sha[65];
    acv_status st = hash_stream(fp, name, sha, err);
    if (st == ACV_OK)
        st = acv_csv_open_stream(fp, name, &im->csv, err);
    if (st != ACV_OK) {
        fclose(fp);
        return st;
    }
    int rc = acv_csv_next(im->csv, err);
    if (rc == 0)
        st = acv_error_at(err, ACV_ERR_INPUT, name, 1, 0,
                          "the file is empty; expected a header row with area, indicator, "
                          "period and value (or one column per year)");
    else if (rc < 0)
        st = err->status;
    if (st == ACV_OK)
        st = read_header(im->ctx, im->csv, name, opt ? opt->layout : ACV_LAYOUT_AUTO, &im->h, err);
    if (st == ACV_OK) {
        out->layout = im->h.layout;
        im->values = calloc(im->h.n_periods + 1, sizeof *im->values);
        im->present = calloc(im->h.n_periods + 1, 1);
        if (!im->values || !im->present)
            st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    }
    if (st == ACV_OK)
        st = acv_store_bulk_cache(store, 64, err);
    /* rejects need the line's CSV fields when a write is refused: write those at once */
    im->defer = st == ACV_OK && im->h.layout == ACV_LAYOUT_LONG && !(opt && opt->rejects);
    const char *max_pages = getenv("ACVTRACK_MAX_PAGES");
    if (st == ACV_OK && max_pages && *max_pages)
        st = acv_store_limit_pages(store, atoll(max_pages), err);
    if (st == ACV_OK && opt && opt->rejects)
        st = rejects_open(rej, opt->rejects, &im->h, err);
    if (st != ACV_OK) {
        acv_csv_close(im->csv);
        fclose(fp);
        im->csv = NULL;
        return st;
    }

    st = acv_store_begin(store, err);
    if (st == ACV_OK) {
        /* checked under the write lock: a second process importing the same file waits, then
         * finds the first one's import */
        out->already = acv_store_find_import(store, sha);
        if (out->already) {
            acv_store_rollback(store);
            acv_csv_close(im->csv);
            fclose(fp);
            im->csv = NULL;
            return ACV_OK;
        }
        st = acv_store_add_import(store, name, sha, &out->import_id, err);
    }

    long line = 0;
    while (st == ACV_OK && (rc = acv_csv_next(im->csv, err)) == 1) {
        line = acv_csv_line(im->csv);
        out->lines++;
        acv_error line_err;
        acv_error_clear(&line_err);
        acv_status ls = import_line(im, line, &line_err);
        if (ls == ACV_ERR_INPUT && rej->f) {
            rejects_add(rej, im->csv, line, line_err.message);
            out->rejected++;
        } else if (ls == ACV_ERR_INPUT) {
            st = acv_error_at(err, ACV_ERR_INPUT, name, line, 0, "%s", line_err.message);
        } else if (ls != ACV_OK) {
            *err = line_err;
            st = ls;
        }
        if (opt && opt->progress && out->lines % PROGRESS_EVERY == 0)
            fprintf(stderr, "\rimporting %s: %ld lines", name, out->lines);
        if (st == ACV_OK && im->n_pending == PENDING_MAX)
            st = flush_pending(im, err);
    }
    if (st == ACV_OK && rc < 0)
        st = err->status;
    if (st == ACV_OK && im->n_pending)
        st = flush_pending(im, err);
    if (opt && opt->progress && out->lines >= PROGRESS_EVERY)
        fputc('\n', stderr);
    acv_csv_close(im->csv);
    im->csv = NULL;
    fclose(fp);
    if (st == ACV_OK && opt && opt->strict)
        st = strict_check(im, rules, err);
    if (st == ACV_OK)
        st = acv_store_finish_import(store, out->import_id, out->rows, err);
    return st;
}

acv_status acv_import_csv(acv_ctx *ctx, const char *path, const acv_import_options *opt,
                          acv_import_summary *out, acv_error *err)
{
    memset(out, 0, sizeof *out);
    out->dry_run = opt && opt->dry_run;
    importer im = {.ctx = ctx, .opt = opt, .out = out};
    im.name = opt && opt->display_name ? opt->display_name : path;
    acv_rules *rules = NULL;
    if (opt && opt->strict) {
        acv_status st = acv_rules_load_ctx(ctx, &rules, err);
        if (st != ACV_OK)
            return st;
    }
    rejects_out rej = {0};
    acv_status st = run_import(&im, path, rules, &rej, err);
    importer_free(&im);
    acv_rules_free(rules);
    if (st != ACV_OK || out->already || out->dry_run) {
        acv_store_rollback(ctx->store);
        acv_store_bulk_end(ctx->store);
        if (st != ACV_OK) {
            rejects_close(&rej, 0, NULL);
            acv_layout layout = out->layout;
            long high = out->violations_high;
            memset(out, 0, sizeof *out);
            out->layout = layout;
            out->violations_high = high;
            return st;
        }
        return rejects_close(&rej, !out->already, err);
    }
    st = acv_store_commit(ctx->store, err);
    acv_store_bulk_end(ctx->store);
    acv_status rs = rejects_close(&rej, st == ACV_OK, err);
    if (st != ACV_OK) {
        memset(out, 0, sizeof *out);
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
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return strdup(buf);
}

static int history_add(void *ud, const acv_obs_record *r)
{
    history_table *t = ud;
    if (t->n == t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 32;
        history_row *nr = realloc(t->rows, ncap * sizeof *nr);
        if (!nr) {
            t->oom = 1;
            return 1;
        }
        t->rows = nr;
        t->cap = ncap;
    }
    history_row *row = &t->rows[t->n++];
    if (r->disaggregation[0])
        t->any_disaggregation = 1;
    row->cell[0] = strdup(r->period);
    row->cell[1] = strdup(r->disaggregation);
    row->cell[2] = fmt_dup("%.15g", r->value);
    row->cell[3] = strdup(r->status ? r->status : "-");
    row->cell[4] = r->replaced_by ? fmt_dup("replaced by import %lld", (long long)r->replaced_by)
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
