/* boundaries.c — boundary changes and carried series; see boundaries.h and docs/boundaries.md. */
#include "boundaries.h"
#include "csv.h"
#include "import.h"
#include "storage_boundaries.h"
#include "values.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- recording a change ---------------------------------------------------------------------- */

enum { X_YEAR, X_PRED, X_SUCC, X_SHARE, X_BASIS, X_COUNT };
static const char *const XCOLS[X_COUNT] = {"year", "predecessor", "successor", "share", "basis"};

typedef struct {
    int64_t pred, succ;
    char pred_code[80], succ_code[80];
    double share;
    const char *basis;
    long line;
} xlink;

static int in_list(const xlink *l, size_t n, int64_t id, int as_pred)
{
    for (size_t i = 0; i < n; i++)
        if ((as_pred ? l[i].pred : l[i].succ) == id)
            return 1;
    return 0;
}

/* The links of the crosswalk, checked line by line. */
static acv_status read_crosswalk(acv_ctx *ctx, acv_csv *csv, const char *name, xlink **out,
                                 size_t *n_out, int *year_out, acv_error *err)
{
    long col[X_COUNT];
    for (int i = 0; i < X_COUNT; i++)
        col[i] = -1;
    size_t width = acv_csv_count(csv);
    acv_csv_set_width(csv, width);
    for (size_t c = 0; c < width; c++) {
        const char *h = acv_csv_field(csv, c);
        int found = 0;
        for (int i = 0; i < X_COUNT; i++)
            if (strcmp(h, XCOLS[i]) == 0) {
                if (col[i] >= 0)
                    return acv_error_at(err, ACV_ERR_INPUT, name, 1, 0,
                                        "column '%s' appears twice in the header", h);
                col[i] = (long)c;
                found = 1;
            }
        if (!found)
            return acv_error_at(err, ACV_ERR_INPUT, name, 1, 0,
                                "unknown column '%s' (expected year, predecessor, successor, "
                                "share, and optionally basis)",
                                h);
    }
    for (int i = 0; i < X_BASIS; i++)
        if (col[i] < 0)
            return acv_error_at(err, ACV_ERR_INPUT, name, 1, 0,
                                "the header has no '%s' column (needed: year, predecessor, "
                                "successor, share)",
                                XCOLS[i]);
    xlink *links = NULL;
    size_t n = 0, cap = 0;
    int year = 0, rc;
    acv_status st = ACV_OK;
    while (st == ACV_OK && (rc = acv_csv_next(csv, err)) == 1) {
        long line = acv_csv_line(csv);
#define XF(k) (col[k] >= 0 ? acv_csv_field(csv, (size_t)col[k]) : "")
        if (acv_csv_count(csv) != width) {
            st = acv_error_at(err, ACV_ERR_INPUT, name, line, 0,
                              "%zu columns, but the header has %zu", acv_csv_count(csv), width);
            break;
        }
        double y;
        if (!acv_parse_number(XF(X_YEAR), &y) || y != floor(y) || y < 1901 || y > 2100) {
            st = acv_error_at(err, ACV_ERR_INPUT, name, line, 0,
                              "column 'year': '%s' is not a year like 2025 (the first year on "
                              "the new boundaries)",
                              XF(X_YEAR));
            break;
        }
        if (year && (int)y != year) {
            st = acv_error_at(err, ACV_ERR_INPUT, name, line, 0,
                              "column 'year': %d, but the lines before say %d (one change per "
                              "file)",
                              (int)y, year);
            break;
        }
        year = (int)y;
        if (ACV_GROW(links, cap, n, 16) != 0) {
            st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
            break;
        }
        xlink *l = &links[n];
        memset(l, 0, sizeof *l);
        l->line = line;
        const char *roles[2] = {"predecessor", "successor"};
        for (int r = 0; r < 2 && st == ACV_OK; r++) {
            const char *code = XF(r == 0 ? X_PRED : X_SUCC);
            char *dst = r == 0 ? l->pred_code : l->succ_code;
            snprintf(dst, sizeof l->pred_code, "%s", code);
            acv_area a;
            acv_error lookup;
            if (!*code || strlen(code) >= sizeof l->pred_code ||
                acv_store_get_area(ctx->store, dst, &a, &lookup) != ACV_OK) {
                st = acv_error_at(err, ACV_ERR_INPUT, name, line, 0,
                                  "column '%s': unknown area '%s' (import the areas first with "
                                  "'acvtrack areas import'; see 'acvtrack areas list')",
                                  roles[r], code);
                break;
            }
            if (a.valid_to) {
                st = acv_error_at(err, ACV_ERR_INPUT, name, line, 0,
                                  "column '%s': area '%s' ended in %d with an earlier change",
                                  roles[r], dst, a.valid_to);
                break;
            }
            *(r == 0 ? &l->pred : &l->succ) = a.id;
        }
        if (st != ACV_OK)
            break;
        if (!acv_parse_number(XF(X_SHARE), &l->share) || !(l->share > 0) || l->share > 1) {
            st = acv_error_at(err, ACV_ERR_INPUT, name, line, 0,
                              "column 'share': '%s' is not a share above 0 and at most 1 (the "
                              "part of the predecessor's population that went to the successor)",
                              XF(X_SHARE));
            break;
        }
        const char *basis = *XF(X_BASIS) ? XF(X_BASIS) : "population";
        if (strcmp(basis, "population") != 0 && strcmp(basis, "area") != 0) {
            st = acv_error_at(err, ACV_ERR_INPUT, name, line, 0,
                              "column 'basis': '%s' is not population or area", basis);
            break;
        }
        l->basis = strcmp(basis, "area") == 0 ? "area" : "population";
        for (size_t i = 0; i < n; i++)
            if (links[i].pred == l->pred && links[i].succ == l->succ) {
                st = acv_error_at(err, ACV_ERR_INPUT, name, line, 0,
                                  "%s -> %s is given twice (line %ld)", l->pred_code, l->succ_code,
                                  links[i].line);
                break;
            }
        n++;
#undef XF
    }
    if (st == ACV_OK && rc < 0)
        st = err->status;
    if (st == ACV_OK && n == 0)
        st = acv_error_at(err, ACV_ERR_INPUT, name, 1, 0,
                          "the crosswalk has no lines: one line per predecessor and successor");
    /* every predecessor's population goes somewhere: its shares sum to 1 */
    for (size_t i = 0; st == ACV_OK && i < n; i++) {
        double sum = 0;
        long last = 0;
        int first = 1;
        for (size_t j = 0; j < n; j++)
            if (links[j].pred == links[i].pred) {
                if (j < i)
                    first = 0;
                sum += links[j].share;
                last = links[j].line;
            }
        if (first && fabs(sum - 1) > 1e-9)
            st = acv_error_at(err, ACV_ERR_INPUT, name, last, 0,
                              "the shares of predecessor '%s' sum to %.10g, not 1 (every part of "
                              "its population goes to a successor; list it as its own successor "
                              "for the part it keeps)",
                              links[i].pred_code, sum);
    }
    if (st != ACV_OK) {
        free(links);
        return st;
    }
    *out = links;
    *n_out = n;
    *year_out = year;
    return ACV_OK;
}

static acv_status sha_of_file(const char *path, const char *name, char hex[65], acv_error *err)
{
    char *data = NULL;
    size_t len = 0;
    if (acv_read_file(path, 1u << 26, &data, &len) != 0)
        return acv_error_at(err, ACV_ERR_IO, name, 0, 0, "cannot read the file");
    acv_sha256 h;
    acv_sha256_init(&h);
    acv_sha256_update(&h, data, len);
    acv_sha256_final_hex(&h, hex);
    free(data);
    return ACV_OK;
}

acv_status acv_areas_change(acv_ctx *ctx, const char *path, const char *display,
                            acv_change_summary *out, acv_error *err)
{
    memset(out, 0, sizeof *out);
    const char *name = display ? display : path;
    char sha[65];
    acv_status st = sha_of_file(path, name, sha, err);
    if (st != ACV_OK)
        return st;
    acv_csv *csv = NULL;
    st = acv_csv_open(path, name, &csv, err);
    if (st != ACV_OK)
        return st;
    int rc = acv_csv_next(csv, err);
    if (rc <= 0) {
        acv_csv_close(csv);
        return rc == 0 ? acv_error_at(err, ACV_ERR_INPUT, name, 1, 0,
                                      "the file is empty; expected a header row with year, "
                                      "predecessor, successor, share")
                       : err->status;
    }
    st = acv_store_begin(ctx->store, err);
    if (st != ACV_OK) {
        acv_csv_close(csv);
        return st;
    }
    out->already = acv_store_boundary_change_by_sha(ctx->store, sha);
    if (out->already) {
        acv_csv_close(csv);
        acv_store_rollback(ctx->store);
        return ACV_OK;
    }
    xlink *links = NULL;
    size_t n = 0;
    st = read_crosswalk(ctx, csv, name, &links, &n, &out->year, err);
    acv_csv_close(csv);
    int merger = 0, split = 0;
    for (size_t i = 0; st == ACV_OK && i < n; i++) {
        int preds = 0, succs = 0;
        for (size_t j = 0; j < n; j++) {
            preds += links[j].succ == links[i].succ;
            succs += links[j].pred == links[i].pred;
        }
        merger |= preds > 1;
        split |= succs > 1;
    }
    out->kind = merger && split ? "merger and split" : split ? "split" : "merger";
    if (st == ACV_OK)
        st = acv_store_boundary_change_add(ctx->store, out->year, out->kind, name, sha,
                                           &out->change_id, err);
    for (size_t i = 0; st == ACV_OK && i < n; i++)
        st = acv_store_boundary_link_add(ctx->store, out->change_id, links[i].pred, links[i].succ,
                                         links[i].share, links[i].basis, links[i].line, err);
    for (size_t i = 0; st == ACV_OK && i < n; i++) {
        int first_pred = 1, first_succ = 1;
        for (size_t j = 0; j < i; j++) {
            first_pred &= links[j].pred != links[i].pred;
            first_succ &= links[j].succ != links[i].succ;
        }
        if (first_pred && !in_list(links, n, links[i].pred, 0)) {
            st = acv_store_area_set_validity(ctx->store, links[i].pred, 0, out->year - 1, err);
            out->dissolved++;
        }
        if (st == ACV_OK && first_succ && !in_list(links, n, links[i].succ, 1)) {
            st = acv_store_area_set_validity(ctx->store, links[i].succ, out->year, 0, err);
            out->created++;
        }
    }
    out->links = (long)n;
    free(links);
    if (st != ACV_OK) {
        acv_store_rollback(ctx->store);
        memset(out, 0, sizeof *out);
        return st;
    }
    return acv_store_commit(ctx->store, err);
}

/* ---- the carry rule -------------------------------------------------------------------------- */

const char *acv_carry_rule_name(acv_carry_rule rule)
{
    return rule == ACV_CARRY_SUM             ? "sum"
           : rule == ACV_CARRY_WEIGHTED_MEAN ? "population-weighted mean"
                                             : "not comparable";
}

static int has_word(const char *lower, const char *word)
{
    return strstr(lower, word) != NULL;
}

static acv_carry_rule rule_of_unit(const char *unit)
{
    char lower[128];
    size_t n = 0;
    for (; unit && unit[n] && n + 1 < sizeof lower; n++)
        lower[n] = (char)tolower((unsigned char)unit[n]);
    lower[n] = '\0';
    static const char *const means[] = {"%",     "per ",       "per_",    "rate", "ratio",
                                        "share", "proportion", "percent", NULL};
    static const char *const sums[] = {"count",
                                       "number",
                                       "persons",
                                       "people",
                                       "households",
                                       "deaths",
                                       "births",
                                       "enterprises",
                                       "establishments",
                                       "facilities",
                                       "tonnes",
                                       "t co2e",
                                       "currency",
                                       "usd",
                                       "km",
                                       "m³",
                                       "mwh",
                                       "trips",
                                       "vehicles",
                                       "permits",
                                       "applications",
                                       "guest-nights",
                                       "schools",
                                       "seats",
                                       "services",
                                       "systems",
                                       "assets",
                                       "votes",
                                       "points of entry",
                                       NULL};
    for (const char *const *w = means; *w; w++)
        if (has_word(lower, *w))
            return ACV_CARRY_WEIGHTED_MEAN;
    for (const char *const *w = sums; *w; w++)
        if (has_word(lower, *w))
            return ACV_CARRY_SUM;
    return ACV_CARRY_NONE;
}

acv_carry_rule acv_carry_rule_of(const acv_framework *fw, const char *code)
{
    for (size_t i = 0; fw && i < fw->n_indicators; i++) {
        const acv_indicator *ind = &fw->indicators[i];
        if (strcmp(ind->id, code) != 0)
            continue;
        if (ind->area_aggregation)
            return strcmp(ind->area_aggregation, "sum") == 0             ? ACV_CARRY_SUM
                   : strcmp(ind->area_aggregation, "weighted_mean") == 0 ? ACV_CARRY_WEIGHTED_MEAN
                                                                         : ACV_CARRY_NONE;
        return rule_of_unit(ind->unit);
    }
    for (size_t i = 0; fw && i < fw->n_data_elements; i++)
        if (strcmp(fw->data_elements[i].id, code) == 0)
            return rule_of_unit(fw->data_elements[i].unit);
    return ACV_CARRY_NONE;
}

/* ---- carrying series ------------------------------------------------------------------------- */

typedef struct {
    int64_t id;
    char code[80];
    double share;
    int has_population;
    double population;
} pred;

typedef struct {
    char *indicator; /* owned by the carry's arena */
    int year;
    size_t pred; /* index into preds */
    double value;
} pvalue;

typedef struct {
    pred *preds;
    size_t n_preds, cap_preds;
    int64_t change_id;
    int year;
    pvalue *values;
    size_t n_values, cap_values;
    size_t current; /* the predecessor being read */
    acv_arena arena;
    int oom;
} carry;

static int collect_link(void *ud, const acv_boundary_link *l)
{
    carry *c = ud;
    if (c->change_id && l->change_id != c->change_id)
        return 1; /* the latest change only */
    c->change_id = l->change_id;
    c->year = l->year;
    if (ACV_GROW(c->preds, c->cap_preds, c->n_preds, 4) != 0) {
        c->oom = 1;
        return 1;
    }
    pred *p = &c->preds[c->n_preds++];
    p->id = l->predecessor_id;
    snprintf(p->code, sizeof p->code, "%s", l->predecessor);
    p->share = l->share;
    p->has_population = l->has_population;
    p->population = l->population;
    return 0;
}

static int collect_value(void *ud, const char *indicator, const char *period, double value)
{
    carry *c = ud;
    acv_period p;
    if (!acv_period_parse(period, &p) || p.year >= c->year)
        return 0;
    if (ACV_GROW(c->values, c->cap_values, c->n_values, 64) != 0) {
        c->oom = 1;
        return 1;
    }
    pvalue *v = &c->values[c->n_values];
    v->indicator = acv_arena_strdup(&c->arena, indicator);
    if (!v->indicator) {
        c->oom = 1;
        return 1;
    }
    v->year = p.year;
    v->pred = c->current;
    v->value = value;
    c->n_values++;
    return 0;
}

static int value_cmp(const void *a, const void *b)
{
    const pvalue *x = a, *y = b;
    int k = strcmp(x->indicator, y->indicator);
    if (k)
        return k;
    if (x->year != y->year)
        return x->year < y->year ? -1 : 1;
    return x->pred < y->pred ? -1 : x->pred > y->pred;
}

static void carry_free(carry *c)
{
    free(c->preds);
    free(c->values);
    acv_arena_free(&c->arena);
}

acv_status acv_areas_carry(acv_ctx *ctx, const char *code, const acv_carry_options *opt,
                           acv_carry_summary *out, acv_buf *table, acv_error *err)
{
    memset(out, 0, sizeof *out);
    acv_area area;
    acv_status st = acv_store_get_area(ctx->store, code, &area, err);
    if (st != ACV_OK)
        return st;
    int64_t successor = area.id;
    char succ_code[80];
    snprintf(succ_code, sizeof succ_code, "%s", code);
    carry c = {0};
    st = acv_store_each_predecessor(ctx->store, successor, collect_link, &c, err);
    if (st == ACV_OK && c.oom)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    if (st == ACV_OK && c.n_preds == 0)
        st = acv_error_set(err, ACV_ERR_INPUT,
                           "area '%s' has no predecessors: record its change first with "
                           "'acvtrack areas change FILE.csv'",
                           succ_code);
    for (size_t i = 0; st == ACV_OK && i < c.n_preds; i++) {
        c.current = i;
        st = acv_store_area_observations(ctx->store, c.preds[i].id, c.year - 1, collect_value, &c,
                                         err);
        if (st == ACV_OK && c.oom)
            st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    }
    out->year = c.year;
    if (st != ACV_OK) {
        carry_free(&c);
        return st;
    }
    qsort(c.values, c.n_values, sizeof *c.values, value_cmp);
    /* the values to import, one row per indicator-year, text as the row API reads it */
    typedef struct {
        const char *indicator;
        char period[8], value[40], comment[512];
    } out_row;
    out_row *rows = calloc(c.n_values + 1, sizeof *rows);
    if (!rows) {
        carry_free(&c);
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    }
    size_t n_rows = 0;
    acv_buf_printf(table, "%-16s %-6s %-14s %-26s %s\n", "INDICATOR", "YEAR", "VALUE", "RULE",
                   "FROM (PREDECESSOR=VALUE x SHARE)");
    for (size_t i = 0; i < c.n_values;) {
        size_t j = i;
        while (j < c.n_values && strcmp(c.values[j].indicator, c.values[i].indicator) == 0 &&
               c.values[j].year == c.values[i].year)
            j++;
        acv_carry_rule rule = acv_carry_rule_of(ctx->fw, c.values[i].indicator);
        char from[400];
        size_t fl = 0;
        from[0] = '\0';
        for (size_t k = i; k < j && fl < sizeof from; k++) {
            const pred *p = &c.preds[c.values[k].pred];
            int w = snprintf(from + fl, sizeof from - fl, "%s%s=%.15g x %.15g", k > i ? ", " : "",
                             p->code, c.values[k].value, p->share);
            if (w > 0)
                fl += (size_t)w;
        }
        const char *why = NULL;
        double value = 0;
        if (j - i < c.n_preds) {
            why = "incomplete: a predecessor has no value";
            out->incomplete++;
        } else if (rule == ACV_CARRY_NONE) {
            why = "not comparable";
            out->not_comparable++;
        } else if (rule == ACV_CARRY_SUM) {
            for (size_t k = i; k < j; k++)
                value += c.preds[c.values[k].pred].share * c.values[k].value;
        } else {
            double wsum = 0;
            for (size_t k = i; k < j && !why; k++) {
                const pred *p = &c.preds[c.values[k].pred];
                if (!p->has_population) {
                    why = "not comparable: a predecessor has no population";
                    out->not_comparable++;
                    break;
                }
                value += p->share * p->population * c.values[k].value;
                wsum += p->share * p->population;
            }
            if (!why && wsum > 0)
                value /= wsum;
            else if (!why) {
                why = "not comparable: the predecessors' population is 0";
                out->not_comparable++;
            }
        }
        if (why) {
            acv_buf_printf(table, "%-16s %-6d %-14s %-26s %s\n", c.values[i].indicator,
                           c.values[i].year, "-", why, from);
        } else {
            out_row *r = &rows[n_rows++];
            r->indicator = c.values[i].indicator;
            snprintf(r->period, sizeof r->period, "%04d", c.values[i].year);
            snprintf(r->value, sizeof r->value, "%.15g", value);
            snprintf(r->comment, sizeof r->comment,
                     "carried onto %s (boundary change %lld): %s of %s", succ_code,
                     (long long)c.change_id, acv_carry_rule_name(rule), from);
            acv_buf_printf(table, "%-16s %-6d %-14s %-26s %s\n", r->indicator, c.values[i].year,
                           r->value, acv_carry_rule_name(rule), from);
        }
        i = j;
    }
    /* one import through the row API: provenance, dry run and revert for free */
    acv_buf content = {0};
    for (size_t i = 0; i < n_rows; i++)
        acv_buf_printf(&content, "%s,%s,%s,%s,%s\n", succ_code, rows[i].indicator, rows[i].period,
                       rows[i].value, rows[i].comment);
    char sha[65];
    acv_sha256 h;
    acv_sha256_init(&h);
    acv_sha256_update(&h, content.data ? content.data : "", content.len);
    acv_sha256_final_hex(&h, sha);
    acv_buf_free(&content);
    char origin_name[160];
    snprintf(origin_name, sizeof origin_name, "areas carry --to %s", succ_code);
    acv_import_origin origin = {
        .name = origin_name, .sha256 = sha, .field_word = "field", .unit = "values"};
    acv_import_options io = {.dry_run = opt && opt->dry_run};
    acv_import_summary sum;
    acv_import *im = NULL;
    st = n_rows ? acv_import_begin(ctx, &origin, &io, &sum, &im, err) : ACV_OK;
    if (st == ACV_OK && n_rows && !im)
        out->already = 1;
    for (size_t i = 0; im && st == ACV_OK && i < n_rows; i++) {
        acv_import_row row = {.area = succ_code,
                              .indicator = rows[i].indicator,
                              .period = rows[i].period,
                              .value = rows[i].value,
                              .status = "estimated",
                              .comment = rows[i].comment};
        acv_import_where where = {.line = (long)i + 1};
        st = acv_import_add(im, &where, &row, 1, err);
    }
    if (im)
        st = acv_import_end(im, st, err);
    if (st == ACV_OK && n_rows && !out->already) {
        out->carried = (long)n_rows;
        out->import_id = sum.import_id;
    }
    free(rows);
    carry_free(&c);
    return st;
}
