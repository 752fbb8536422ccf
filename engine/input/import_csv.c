/*
 * import_csv.c — the CSV reader of imports (import.h): the header (long or wide layout, detected or
 * chosen), then each data line as one record of the row API in import.c, so CSV files and importer
 * plugins share every check, the rejects file, dry runs, --strict and provenance. See docs/data.md.
 */
#include "calendar.h"
#include "csv.h"
#include "import.h"
#include "values.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_DIMS 16

enum {
    COL_AREA,
    COL_INDICATOR,
    COL_PERIOD,
    COL_VALUE,
    COL_SOURCE,
    COL_STATUS,
    COL_COMMENT,
    COL_DISAGG, /* every dimension in one cell, "name=value;name=value" (a plugin's rejects) */
    N_FIXED
};

static const char *const FIXED_NAMES[N_FIXED] = {
    "area", "indicator", "period", "value", "source", "status", "comment", "disaggregation"};

static const char *const LAYOUT_NAMES[] = {
    [ACV_LAYOUT_AUTO] = "auto", [ACV_LAYOUT_LONG] = "long", [ACV_LAYOUT_WIDE] = "wide"};

const char *acv_layout_name(acv_layout layout)
{
    return acv_name_of(LAYOUT_NAMES, sizeof LAYOUT_NAMES / sizeof *LAYOUT_NAMES, (int)layout,
                       "auto");
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
    acv_strings_free(h->cells, h->width);
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
    acv_raw_period p; /* a year or fiscal year in any calendar: the row API converts it */
    char why[160];
    if (!acv_raw_period_parse(buf, &p, why, sizeof why))
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
    /* a separator the detection could not see: the whole header quoted as one cell */
    const char *only = h->width == 1 ? acv_csv_field(csv, 0) : "";
    if (strchr(only, ';') || strchr(only, '\t'))
        return acv_error_at(err, ACV_ERR_INPUT, name, 1, 0,
                            "the header is one column, '%s', with %s inside it: the column names "
                            "must be separated by commas, or by %s outside quotes",
                            only, strchr(only, ';') ? "';'" : "tabs",
                            strchr(only, ';') ? "semicolons" : "tabs");
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
                                "framework names, like sex or age, or all of them in one "
                                "disaggregation column; or, in the wide layout, one column per "
                                "year)",
                                raw);
        if (h->n_dims == MAX_DIMS)
            return acv_error_at(err, ACV_ERR_INPUT, name, 1, 0,
                                "more than %d disaggregation columns", MAX_DIMS);
        snprintf(h->dims[h->n_dims].name, sizeof h->dims[h->n_dims].name, "%s", col);
        h->dims[h->n_dims].column = c;
        h->n_dims++;
    }
    qsort(h->dims, h->n_dims, sizeof *h->dims, dim_cmp);
    if (h->fixed[COL_DISAGG] >= 0 && h->n_dims > 0)
        return acv_error_at(err, ACV_ERR_INPUT, name, 1, 0,
                            "column 'disaggregation' gives every dimension of a line "
                            "(name=value;name=value): it cannot be combined with the dimension "
                            "column '%s'",
                            h->cells[h->dims[0].column]);

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

/* ---- the CSV reader ------------------------------------------------------------------------ */

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

typedef char number_text[64];

typedef struct {
    acv_csv *csv;
    header h;
    int decimal_comma;    /* the separator is not a comma: "12,5" is 12.5 */
    number_text *numbers; /* values with the decimal comma made a point, one per row */
    acv_import_row *rows; /* one per year column (wide), or one */
    const char **cells;   /* the line's fields, for the rejects file */
    size_t cap_cells;
    acv_import_dim dims[MAX_DIMS];
    char *disagg; /* the line's disaggregation cell, cut into names and values */
    size_t cap_disagg;
} csv_reader;

static const char *fixed_cell(const csv_reader *r, int col)
{
    return r->h.fixed[col] >= 0 ? acv_csv_field(r->csv, (size_t)r->h.fixed[col]) : NULL;
}

/* A value as the row API reads it: with a decimal comma (only in a file not separated by commas)
 * the comma becomes a point in *buf, when that makes a number; anything else is left as written,
 * so a message quotes the file. */
static const char *decimal_point(const csv_reader *r, const char *cell, number_text *buf)
{
    const char *comma = r->decimal_comma && cell ? strchr(cell, ',') : NULL;
    if (!comma || strchr(comma + 1, ',') || strchr(cell, '.') || strlen(cell) >= sizeof *buf)
        return cell;
    memcpy(*buf, cell, strlen(cell) + 1);
    (*buf)[comma - cell] = '.';
    double ignored;
    return acv_parse_number(*buf, &ignored) ? *buf : cell;
}

static int import_dim_cmp(const void *a, const void *b)
{
    return strcmp(((const acv_import_dim *)a)->name, ((const acv_import_dim *)b)->name);
}

/* The disaggregation cell "name=value;name=value" into r->dims (sorted by name, as the row API
 * wants them) and *n; a blank cell is the total. Returns 0, 1 when the cell cannot be read (why
 * in reason) or -1 when out of memory. */
static int disagg_cell(csv_reader *r, const char *cell, size_t *n, char *reason, size_t size)
{
    *n = 0;
    size_t len = strlen(cell);
    if (len + 1 > r->cap_disagg) {
        char *p = realloc(r->disagg, len + 1);
        if (!p)
            return -1;
        r->disagg = p;
        r->cap_disagg = len + 1;
    }
    memcpy(r->disagg, cell, len + 1);
    for (char *part = r->disagg; *part;) {
        char *end = strchr(part, ';');
        if (end)
            *end = '\0';
        char *eq = strchr(part, '=');
        if (!eq || eq == part) {
            snprintf(reason, size,
                     "column 'disaggregation': '%.60s' is not name=value (the form is "
                     "name=value;name=value)",
                     part);
            return 1;
        }
        *eq = '\0';
        for (size_t d = 0; d < *n; d++)
            if (strcmp(r->dims[d].name, part) == 0) {
                snprintf(reason, size, "column 'disaggregation': '%.60s' is given twice", part);
                return 1;
            }
        if (*n == MAX_DIMS) {
            snprintf(reason, size, "column 'disaggregation': more than %d dimensions", MAX_DIMS);
            return 1;
        }
        r->dims[*n].name = part;
        r->dims[(*n)++].value = eq + 1;
        part = end ? end + 1 : part + strlen(part);
    }
    qsort(r->dims, *n, sizeof *r->dims, import_dim_cmp);
    return 0;
}

/* One data line into the row API. */
static acv_status csv_line(acv_import *im, csv_reader *r, int rejects, acv_error *err)
{
    acv_csv *csv = r->csv;
    size_t width = acv_csv_count(csv);
    acv_import_where where = {.line = acv_csv_line(csv)};
    if (rejects) {
        if (width > r->cap_cells) {
            const char **nc = realloc(r->cells, width * sizeof *nc);
            if (!nc)
                return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
            r->cells = nc;
            r->cap_cells = width;
        }
        for (size_t c = 0; c < width; c++)
            r->cells[c] = acv_csv_field(csv, c);
        where.fields = r->cells;
        where.n_fields = width;
    }
    if (width != r->h.width) {
        char reason[128];
        snprintf(reason, sizeof reason, "%zu columns, but the header has %zu", width, r->h.width);
        return acv_import_reject(im, &where, reason, err);
    }
    size_t n_dims = r->h.n_dims;
    for (size_t d = 0; d < r->h.n_dims; d++)
        r->dims[d].value = acv_csv_field(csv, r->h.dims[d].column);
    if (r->h.fixed[COL_DISAGG] >= 0) {
        char reason[160];
        int rc = disagg_cell(r, fixed_cell(r, COL_DISAGG), &n_dims, reason, sizeof reason);
        if (rc < 0)
            return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
        if (rc > 0)
            return acv_import_reject(im, &where, reason, err);
    }
    acv_import_row base = {.area = fixed_cell(r, COL_AREA),
                           .indicator = fixed_cell(r, COL_INDICATOR),
                           .source = fixed_cell(r, COL_SOURCE),
                           .status = fixed_cell(r, COL_STATUS),
                           .comment = fixed_cell(r, COL_COMMENT),
                           .dims = r->dims,
                           .n_dims = n_dims};
    if (r->h.layout == ACV_LAYOUT_LONG) {
        r->rows[0] = base;
        r->rows[0].period = fixed_cell(r, COL_PERIOD);
        r->rows[0].value = decimal_point(r, fixed_cell(r, COL_VALUE), &r->numbers[0]);
        return acv_import_add(im, &where, r->rows, 1, err);
    }
    /* wide: one row per year cell that holds something; a line without any is still checked */
    size_t n = 0;
    for (size_t p = 0; p < r->h.n_periods; p++) {
        const char *cell = acv_csv_field(csv, r->h.periods[p].column);
        const char *t = cell;
        while (*t == ' ')
            t++;
        if (!*t)
            continue;
        r->rows[n] = base;
        r->rows[n].period = r->h.periods[p].name;
        r->rows[n].value = decimal_point(r, cell, &r->numbers[n]);
        r->rows[n].value_name = r->h.periods[p].name;
        n++;
    }
    if (n == 0)
        r->rows[n++] = base;
    return acv_import_add(im, &where, r->rows, n, err);
}

static acv_status read_csv(acv_ctx *ctx, const char *path, const char *name,
                           const acv_import_options *opt, acv_import_summary *out, acv_error *err)
{
    FILE *fp = acv_fopen_regular(path);
    if (!fp)
        return acv_error_at(err, ACV_ERR_IO, name, 0, 0, "cannot open: %s",
                            errno == EINVAL ? "not a regular file" : strerror(errno));
    csv_reader r = {0};
    char sha[65];
    acv_status st = hash_stream(fp, name, sha, err);
    if (st == ACV_OK)
        st = acv_csv_open_stream(fp, name, &r.csv, err);
    int rc = 0;
    if (st == ACV_OK) {
        acv_csv_set_separator(r.csv, ACV_CSV_DETECT);
        rc = acv_csv_next(r.csv, err);
        if (rc == 0)
            st = acv_error_at(err, ACV_ERR_INPUT, name, 1, 0,
                              "the file is empty; expected a header row with area, indicator, "
                              "period and value (or one column per year)");
        else if (rc < 0)
            st = err->status;
        r.decimal_comma = acv_csv_separator(r.csv) != ',';
    }
    if (st == ACV_OK)
        st = read_header(ctx, r.csv, name, opt ? opt->layout : ACV_LAYOUT_AUTO, &r.h, err);
    if (st == ACV_OK) {
        acv_csv_set_width(r.csv, r.h.width); /* an over-wide line is rejected, not held */
        for (size_t d = 0; d < r.h.n_dims; d++)
            r.dims[d].name = r.h.dims[d].name;
        if (!(r.rows = calloc(r.h.n_periods + 1, sizeof *r.rows)) ||
            !(r.numbers = calloc(r.h.n_periods + 1, sizeof *r.numbers)))
            st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    }
    acv_import *im = NULL;
    struct stat sb;
    if (st == ACV_OK) {
        acv_import_origin origin = {.name = name,
                                    .sha256 = sha,
                                    .field_word = "column",
                                    .unit = "B",
                                    .total = fstat(fileno(fp), &sb) == 0 ? (uint64_t)sb.st_size : 0,
                                    .reject_columns = (const char *const *)r.h.cells,
                                    .n_reject_columns = r.h.width};
        st = acv_import_begin(ctx, &origin, opt, out, &im, err);
        out->layout = r.h.layout;
    }
    if (im) {
        int rejects = opt && opt->rejects;
        while (st == ACV_OK && (rc = acv_csv_next(r.csv, err)) == 1) {
            acv_import_at(im, (uint64_t)acv_csv_offset(r.csv));
            st = csv_line(im, &r, rejects, err);
        }
        if (st == ACV_OK && rc < 0)
            st = err->status;
        st = acv_import_end(im, st, err);
    } else if (st != ACV_OK) {
        acv_layout layout = out->layout;
        memset(out, 0, sizeof *out);
        out->layout = layout;
    }
    acv_csv_close(r.csv);
    fclose(fp);
    header_free(&r.h);
    free(r.rows);
    free(r.numbers);
    free(r.cells);
    free(r.disagg);
    return st;
}

acv_status acv_import_csv(acv_ctx *ctx, const char *path, const acv_import_options *opt,
                          acv_import_summary *out, acv_error *err)
{
    memset(out, 0, sizeof *out);
    out->dry_run = opt && opt->dry_run;
    const char *name = opt && opt->display_name ? opt->display_name : path;
    return read_csv(ctx, path, name, opt, out, err);
}
