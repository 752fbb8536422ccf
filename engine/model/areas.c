/* areas.c — area hierarchy import; see areas.h. */
#include "areas.h"
#include "calendar.h"
#include "csv.h"
#include "values.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
    A_CODE,
    A_NAME,
    A_LEVEL,
    A_PARENT,
    A_COUNTRY,
    A_POPULATION,
    A_POPULATION_YEAR,
    A_SOURCE,
    A_CALENDAR,
    A_COUNT
};
static const char *const COLUMNS[A_COUNT] = {"code",    "name",       "level",           "parent",
                                             "country", "population", "population_year", "source",
                                             "calendar"};
static const char *const LEVELS[] = {"region", "country",      "province", "district",
                                     "city",   "municipality", "other",    NULL};

static int valid_area_code(const char *s)
{
    if (!*s || strlen(s) > ACV_AREA_CODE_MAX || strcmp(s, ".") == 0 || strstr(s, ".."))
        return 0;
    for (const char *p = s; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == '.'))
            return 0;
    return 1;
}

/* Length of the well-formed UTF-8 sequence at p (no overlongs, surrogates or code points past
 * U+10FFFF), 0 when it is not one. */
static size_t utf8_sequence(const unsigned char *p)
{
    if (p[0] < 0x80)
        return 1;
    size_t n = p[0] >= 0xC2 && p[0] <= 0xDF   ? 2
               : p[0] >= 0xE0 && p[0] <= 0xEF ? 3
               : p[0] >= 0xF0 && p[0] <= 0xF4 ? 4
                                              : 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    if ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] > 0x9F) ||
        (p[0] == 0xF0 && p[1] < 0x90) || (p[0] == 0xF4 && p[1] > 0x8F))
        return 0;
    return n;
}

/* A name is text people read in listings and reports: valid UTF-8 without control characters. */
static int valid_area_name(const char *s)
{
    if (strlen(s) > ACV_AREA_NAME_MAX)
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = utf8_sequence(p);
        if (!n || *p < 0x20 || *p == 0x7F)
            return 0;
        p += n;
    }
    return 1;
}

int acv_area_check(const acv_area *a, const char *what, char *why, size_t size)
{
    if (!valid_area_code(a->code)) {
        snprintf(why, size,
                 "%s 'code': not a valid area code (1 to %d letters, digits, '_', '-', '.'; "
                 "no '..')",
                 what, ACV_AREA_CODE_MAX);
        return 0;
    }
    if (!a->name || !*a->name) {
        snprintf(why, size, "%s 'name': empty", what);
        return 0;
    }
    if (!valid_area_name(a->name)) {
        snprintf(why, size,
                 "%s 'name': not valid UTF-8 text of at most %d bytes without control "
                 "characters",
                 what, ACV_AREA_NAME_MAX);
        return 0;
    }
    int level_ok = 0;
    for (const char *const *l = LEVELS; *l; l++)
        if (a->level && strcmp(*l, a->level) == 0)
            level_ok = 1;
    if (!level_ok) {
        snprintf(why, size,
                 "%s 'level': '%.40s' is not one of region, country, province, district, "
                 "city, municipality, other",
                 what, a->level ? a->level : "");
        return 0;
    }
    if (a->parent_code && !valid_area_code(a->parent_code)) {
        snprintf(why, size, "%s 'parent': not a valid area code", what);
        return 0;
    }
    return 1;
}

acv_status acv_areas_import(acv_ctx *ctx, const char *path, const char *display,
                            acv_areas_summary *out, acv_error *err)
{
    memset(out, 0, sizeof *out);
    const char *name = display ? display : path;
    acv_csv *csv = NULL;
    acv_status st = acv_csv_open(path, name, &csv, err);
    if (st != ACV_OK)
        return st;
    int rc = acv_csv_next(csv, err);
    if (rc <= 0) {
        acv_csv_close(csv);
        return rc == 0 ? acv_error_at(err, ACV_ERR_INPUT, name, 1, 0,
                                      "the file is empty; expected a header row with code, name, "
                                      "level")
                       : err->status;
    }
    long col[A_COUNT];
    for (int i = 0; i < A_COUNT; i++)
        col[i] = -1;
    size_t width = acv_csv_count(csv);
    acv_csv_set_width(csv, width); /* a wider line is an error: its extra fields are not held */
    for (size_t c = 0; c < width; c++) {
        const char *h = acv_csv_field(csv, c);
        int found = 0;
        for (int i = 0; i < A_COUNT; i++)
            if (strcmp(h, COLUMNS[i]) == 0) {
                if (col[i] >= 0) {
                    acv_status st2 = acv_error_at(err, ACV_ERR_INPUT, name, 1, 0,
                                                  "column '%s' appears twice in the header", h);
                    acv_csv_close(csv);
                    return st2;
                }
                col[i] = (long)c;
                found = 1;
            }
        if (!found) {
            /* the message quotes the field: format it before the reader frees it */
            acv_status st2 = acv_error_at(err, ACV_ERR_INPUT, name, 1, 0,
                                          "unknown column '%s' (expected code, name, level, "
                                          "parent, country, population, population_year, source, "
                                          "calendar)",
                                          h);
            acv_csv_close(csv);
            return st2;
        }
    }
    for (int i = 0; i < 3; i++)
        if (col[i] < 0) {
            acv_csv_close(csv);
            return acv_error_at(err, ACV_ERR_INPUT, name, 1, 0,
                                "the header has no '%s' column (needed: code, name, level)",
                                COLUMNS[i]);
        }
    st = acv_store_begin(ctx->store, err);
    while (st == ACV_OK && (rc = acv_csv_next(csv, err)) == 1) {
        long line = acv_csv_line(csv);
        if (acv_csv_count(csv) != width) {
            st = acv_error_at(err, ACV_ERR_INPUT, name, line, 0,
                              "%zu columns, but the header has %zu", acv_csv_count(csv), width);
            break;
        }
#define FIELD(k) (col[k] >= 0 ? acv_csv_field(csv, (size_t)col[k]) : "")
        acv_area a = {0};
        a.code = FIELD(A_CODE);
        a.name = FIELD(A_NAME);
        a.level = FIELD(A_LEVEL);
        a.parent_code = *FIELD(A_PARENT) ? FIELD(A_PARENT) : NULL;
        a.country = *FIELD(A_COUNTRY) ? FIELD(A_COUNTRY) : NULL;
        a.source = *FIELD(A_SOURCE) ? FIELD(A_SOURCE) : NULL;
        char why[300];
        if (*FIELD(A_CALENDAR)) {
            acv_calendar cal;
            if (!acv_calendar_find(FIELD(A_CALENDAR), &cal, why, sizeof why)) {
                st = acv_error_at(err, ACV_ERR_INPUT, name, line, 0, "column 'calendar': %s", why);
                break;
            }
            a.calendar = cal == ACV_CAL_CE ? NULL : acv_calendar_name(cal);
        }
        if (!acv_area_check(&a, "column", why, sizeof why)) {
            st = acv_error_at(err, ACV_ERR_INPUT, name, line, 0, "%s", why);
            break;
        }
        const char *pop = FIELD(A_POPULATION);
        const char *pop_year = FIELD(A_POPULATION_YEAR);
        if (*pop) {
            if (!acv_parse_number(pop, &a.population) || a.population < 0) {
                st = acv_error_at(err, ACV_ERR_INPUT, name, line, 0,
                                  "column 'population': '%s' is not a number of people", pop);
                break;
            }
            double y;
            if (!acv_parse_number(pop_year, &y) || y != floor(y) || y < 1900 || y > 2100) {
                st = acv_error_at(err, ACV_ERR_INPUT, name, line, 0,
                                  "column 'population_year': '%s' is not a year (it is needed "
                                  "with a population)",
                                  pop_year);
                break;
            }
            a.has_population = 1;
            a.population_year = (int)y;
        }
        if (a.parent_code) {
            if (strcmp(a.parent_code, a.code) == 0) {
                st = acv_error_at(err, ACV_ERR_INPUT, name, line, 0,
                                  "column 'parent': an area cannot be its own parent");
                break;
            }
            acv_area parent;
            acv_error lookup;
            /* the lookup reuses the store's scratch strings: copy the code first */
            char parent_code[80];
            snprintf(parent_code, sizeof parent_code, "%s", a.parent_code);
            if (acv_store_get_area(ctx->store, parent_code, &parent, &lookup) != ACV_OK) {
                st = acv_error_at(err, ACV_ERR_INPUT, name, line, 0,
                                  "column 'parent': unknown area '%s' (list parents before their "
                                  "children)",
                                  parent_code);
                break;
            }
        }
#undef FIELD
        int changed = 0;
        st = acv_store_put_area(ctx->store, &a, &changed, err);
        if (st != ACV_OK) {
            acv_error_prefix(err, "%s:%ld", name, line);
            break;
        }
        out->rows++;
        out->changed += changed;
    }
    if (st == ACV_OK && rc < 0)
        st = err->status;
    acv_csv_close(csv);
    if (st != ACV_OK) {
        acv_store_rollback(ctx->store);
        memset(out, 0, sizeof *out);
        return st;
    }
    return acv_store_commit(ctx->store, err);
}
