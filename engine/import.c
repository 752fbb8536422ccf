/* import.c — long-layout CSV observations into the workspace, all or nothing; see import.h. */
#include "import.h"
#include "csv.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DIMS 16

enum { COL_AREA, COL_INDICATOR, COL_PERIOD, COL_VALUE, COL_SOURCE, COL_STATUS, COL_COMMENT,
       N_FIXED };

static const char *const FIXED_NAMES[N_FIXED] = {"area",   "indicator", "period", "value",
                                                 "source", "status",    "comment"};

typedef struct {
    char name[64];
    size_t column;
} dim_column;

int acv_parse_number(const char *s, double *out)
{
    while (*s == ' ')
        s++;
    if (!*s)
        return 0;
    for (const char *p = s; *p; p++)
        if (!(isdigit((unsigned char)*p) || *p == '.' || *p == '-' || *p == '+' || *p == 'e' ||
              *p == 'E' || *p == ' '))
            return 0;
    char *end;
    errno = 0;
    double d = strtod(s, &end);
    while (*end == ' ')
        end++;
    if (*end || errno == ERANGE || !isfinite(d))
        return 0;
    *out = d;
    return 1;
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

static int valid_period(const char *p, int *year)
{
    if (strlen(p) != 4)
        return 0;
    for (int i = 0; i < 4; i++)
        if (!isdigit((unsigned char)p[i]))
            return 0;
    *year = atoi(p);
    return *year >= 1900 && *year <= 2100;
}

static int dim_cmp(const void *a, const void *b)
{
    return strcmp(((const dim_column *)a)->name, ((const dim_column *)b)->name);
}

static acv_status hash_file(const char *path, const char *display, char hex[65], acv_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return acv_error_at(err, ACV_ERR_IO, display, 0, 0, "cannot open: %s", strerror(errno));
    acv_sha256 h;
    acv_sha256_init(&h);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        acv_sha256_update(&h, buf, n);
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return acv_error_at(err, ACV_ERR_IO, display, 0, 0, "read error");
    acv_sha256_final_hex(&h, hex);
    return ACV_OK;
}

acv_status acv_import_csv(acv_ctx *ctx, const char *path, const acv_import_options *opt,
                          acv_import_summary *out, acv_error *err)
{
    memset(out, 0, sizeof *out);
    const char *name = opt && opt->display_name ? opt->display_name : path;
    char sha[65];
    acv_status st = hash_file(path, name, sha, err);
    if (st != ACV_OK)
        return st;
    out->already = acv_store_find_import(ctx->store, sha);
    if (out->already)
        return ACV_OK;

    acv_csv *csv = NULL;
    st = acv_csv_open(path, name, &csv, err);
    if (st != ACV_OK)
        return st;
    int rc = acv_csv_next(csv, err);
    if (rc <= 0) {
        acv_csv_close(csv);
        if (rc == 0)
            return acv_error_at(err, ACV_ERR_INPUT, name, 1, 0,
                                "the file is empty; expected a header row with area, indicator, "
                                "period and value");
        return err->status;
    }

    /* header */
    long fixed[N_FIXED];
    for (int i = 0; i < N_FIXED; i++)
        fixed[i] = -1;
    dim_column dims[MAX_DIMS];
    size_t n_dims = 0;
    size_t width = acv_csv_count(csv);
    for (size_t c = 0; c < width; c++) {
        char col[64];
        normalise_name(acv_csv_field(csv, c), col, sizeof col);
        if (strcmp(col, "year") == 0)
            strcpy(col, "period");
        int known = 0;
        for (int i = 0; i < N_FIXED; i++)
            if (strcmp(col, FIXED_NAMES[i]) == 0) {
                if (fixed[i] >= 0) {
                    acv_csv_close(csv);
                    return acv_error_at(err, ACV_ERR_INPUT, name, 1, 0,
                                        "column '%s' appears twice in the header", col);
                }
                fixed[i] = (long)c;
                known = 1;
            }
        if (known)
            continue;
        if (!col[0]) {
            acv_csv_close(csv);
            return acv_error_at(err, ACV_ERR_INPUT, name, 1, 0, "column %zu has an empty name",
                                c + 1);
        }
        if (!framework_has_dimension(ctx->fw, col)) {
            acv_csv_close(csv);
            return acv_error_at(err, ACV_ERR_INPUT, name, 1, 0,
                                "unknown column '%s' (expected area, indicator, period, value; "
                                "optionally source, status, comment, or a disaggregation the "
                                "framework names, like sex or age)",
                                acv_csv_field(csv, c));
        }
        if (n_dims == MAX_DIMS) {
            acv_csv_close(csv);
            return acv_error_at(err, ACV_ERR_INPUT, name, 1, 0,
                                "more than %d disaggregation columns", MAX_DIMS);
        }
        snprintf(dims[n_dims].name, sizeof dims[n_dims].name, "%s", col);
        dims[n_dims].column = c;
        n_dims++;
    }
    for (int i = 0; i < 4; i++)
        if (fixed[i] < 0) {
            acv_csv_close(csv);
            return acv_error_at(err, ACV_ERR_INPUT, name, 1, 0,
                                "the header has no '%s' column (needed: area, indicator, period, "
                                "value)",
                                FIXED_NAMES[i]);
        }
    qsort(dims, n_dims, sizeof *dims, dim_cmp);

    st = acv_store_begin(ctx->store, err);
    if (st != ACV_OK) {
        acv_csv_close(csv);
        return st;
    }
    st = acv_store_add_import(ctx->store, name, sha, &out->import_id, err);

    char last_area[128] = "", last_indicator[128] = "";
    int64_t area_id = 0, indicator_id = 0;
    char disagg[1024];
    while (st == ACV_OK && (rc = acv_csv_next(csv, err)) == 1) {
        long line = acv_csv_line(csv);
        if (acv_csv_count(csv) != width) {
            st = acv_error_at(err, ACV_ERR_INPUT, name, line, 0,
                              "%zu columns, but the header has %zu", acv_csv_count(csv), width);
            break;
        }
        const char *area = acv_csv_field(csv, (size_t)fixed[COL_AREA]);
        const char *indicator = acv_csv_field(csv, (size_t)fixed[COL_INDICATOR]);
        const char *period = acv_csv_field(csv, (size_t)fixed[COL_PERIOD]);
        const char *value_text = acv_csv_field(csv, (size_t)fixed[COL_VALUE]);
        if (strcmp(area, last_area) != 0) {
            acv_area a;
            acv_error lookup;
            if (acv_store_get_area(ctx->store, area, &a, &lookup) != ACV_OK) {
                st = acv_error_at(err, lookup.status == ACV_ERR_NOTFOUND ? ACV_ERR_INPUT
                                                                          : lookup.status,
                                  name, line, 0, "column 'area': %s", lookup.message);
                break;
            }
            area_id = a.id;
            snprintf(last_area, sizeof last_area, "%s", area);
        }
        if (strcmp(indicator, last_indicator) != 0) {
            indicator_id = acv_store_indicator_id(ctx->store, indicator);
            if (!indicator_id) {
                st = acv_error_at(err, ACV_ERR_INPUT, name, line, 0,
                                  "column 'indicator': unknown indicator '%s' (see 'acvtrack "
                                  "indicators')",
                                  indicator);
                break;
            }
            snprintf(last_indicator, sizeof last_indicator, "%s", indicator);
        }
        int year;
        if (!valid_period(period, &year)) {
            st = acv_error_at(err, ACV_ERR_INPUT, name, line, 0,
                              "column 'period': '%s' is not a year like 2025 (1900-2100)", period);
            break;
        }
        double value;
        if (!acv_parse_number(value_text, &value)) {
            st = acv_error_at(err, ACV_ERR_INPUT, name, line, 0,
                              value_text[0] ? "column 'value': '%s' is not a number (use a dot "
                                              "for decimals and no thousands separators)"
                                            : "column 'value': empty%s (leave the row out when "
                                              "there is no data)",
                              value_text);
            break;
        }
        const char *status = fixed[COL_STATUS] >= 0
                                 ? acv_csv_field(csv, (size_t)fixed[COL_STATUS])
                                 : NULL;
        if (status && !*status)
            status = NULL;
        if (status && strcmp(status, "provisional") != 0 && strcmp(status, "final") != 0 &&
            strcmp(status, "estimated") != 0 && strcmp(status, "imputed") != 0) {
            st = acv_error_at(err, ACV_ERR_INPUT, name, line, 0,
                              "column 'status': '%s' is not one of provisional, final, "
                              "estimated, imputed",
                              status);
            break;
        }
        size_t dl = 0;
        disagg[0] = '\0';
        for (size_t d = 0; d < n_dims; d++) {
            const char *v = acv_csv_field(csv, dims[d].column);
            if (!*v)
                continue;
            int n = snprintf(disagg + dl, sizeof disagg - dl, "%s%s=%s", dl ? ";" : "",
                             dims[d].name, v);
            if (n < 0 || (size_t)n >= sizeof disagg - dl) {
                st = acv_error_at(err, ACV_ERR_INPUT, name, line, 0,
                                  "disaggregation values are too long");
                break;
            }
            dl += (size_t)n;
        }
        if (st != ACV_OK)
            break;
        const char *source =
            fixed[COL_SOURCE] >= 0 ? acv_csv_field(csv, (size_t)fixed[COL_SOURCE]) : NULL;
        const char *comment =
            fixed[COL_COMMENT] >= 0 ? acv_csv_field(csv, (size_t)fixed[COL_COMMENT]) : NULL;
        acv_observation o = {
            .area_id = area_id,
            .indicator_id = indicator_id,
            .period = period,
            .disaggregation = disagg,
            .value = value,
            .source = source && *source ? source : NULL,
            .status = status,
            .comment = comment && *comment ? comment : NULL,
            .import_id = out->import_id,
            .line = line,
        };
        acv_obs_outcome outcome;
        st = acv_store_put_observation(ctx->store, &o, &outcome, err);
        if (st != ACV_OK) {
            acv_error_prefix(err, "%s:%ld", name, line);
            break;
        }
        out->rows++;
        if (outcome == ACV_OBS_NEW)
            out->added++;
        else if (outcome == ACV_OBS_CHANGED)
            out->changed++;
        else
            out->unchanged++;
        if (opt && opt->progress && out->rows % 100000 == 0)
            fprintf(stderr, "\rimporting %s: %ld rows", name, out->rows);
    }
    if (st == ACV_OK && rc < 0)
        st = err->status;
    if (opt && opt->progress && out->rows >= 100000)
        fputc('\n', stderr);
    acv_csv_close(csv);
    if (st == ACV_OK)
        st = acv_store_finish_import(ctx->store, out->import_id, out->rows, err);
    if (st != ACV_OK) {
        acv_store_rollback(ctx->store);
        long rows = out->rows;
        memset(out, 0, sizeof *out);
        (void)rows;
        return st;
    }
    return acv_store_commit(ctx->store, err);
}
