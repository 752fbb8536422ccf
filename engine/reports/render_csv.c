/*
 * render_csv.c — the indicator table as CSV, for one area and for a comparison; see report.h,
 * compare.h and docs/reports.md.
 *
 * RFC 4180: fields with a comma, quote, CR or LF are quoted, quotes doubled, records end in
 * CRLF. A UTF-8 byte order mark comes first because Excel, which is where most of these files
 * are opened, otherwise reads Thai, Khmer or Vietnamese names as mojibake.
 *
 * Spreadsheet formula injection: a text cell that begins with = + - @ TAB or CR (or the
 * full-width = + - @ that some East Asian input methods type) would be run as a formula by a
 * spreadsheet, so it gets a leading apostrophe. Numeric cells are written by us from doubles and
 * never defused: a negative value must stay a number.
 */
#include "compare.h"
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int starts_like_formula(const char *s)
{
    static const char *const FULLWIDTH[] = {"\xEF\xBC\x9D", "\xEF\xBC\x8B", "\xEF\xBC\x8D",
                                            "\xEF\xBC\xA0"}; /* ＝ ＋ － ＠ */
    if (!s || !*s)
        return 0;
    if (strchr("=+-@\t\r", *s))
        return 1;
    for (size_t i = 0; i < sizeof FULLWIDTH / sizeof *FULLWIDTH; i++)
        if (strncmp(s, FULLWIDTH[i], 3) == 0)
            return 1;
    return 0;
}

/* A text cell: defused, then quoted when RFC 4180 needs it. NULL is an empty cell. */
static void text_cell(acv_buf *b, const char *s, int comma)
{
    if (comma)
        acv_buf_puts(b, ",");
    if (!s)
        return;
    int defuse = starts_like_formula(s);
    int quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        acv_buf_puts(b, "\"");
    if (defuse)
        acv_buf_puts(b, "'");
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            acv_buf_puts(b, "\"\"");
        else
            acv_buf_append(b, p, 1);
    }
    if (quote)
        acv_buf_puts(b, "\"");
}

/* A numeric cell: up to 15 significant digits, as the JSON renderer writes numbers; empty when
 * there is none. Never defused or quoted: %g output has no comma, quote or newline. */
static void number_cell(acv_buf *b, int has, double v)
{
    acv_buf_puts(b, ",");
    if (!has || !isfinite(v))
        return;
    char s[64];
    snprintf(s, sizeof s, "%.15g", v);
    if (strcmp(s, "-0") == 0)
        snprintf(s, sizeof s, "0");
    acv_buf_puts(b, s);
}

static void bom(acv_buf *b)
{
    acv_buf_puts(b, "\xEF\xBB\xBF");
}

acv_status acv_render_csv(const acv_report_model *m, acv_buf *b, acv_error *err)
{
    const acv_framework *fw = m->fw;
    bom(b);
    acv_buf_puts(b, "id,name,unit,value,period,target_2030,score,class,note,imputed\r\n");
    for (size_t i = 0; i < fw->n_indicators; i++) {
        const acv_indicator *ind = &fw->indicators[i];
        const acv_result *r = &m->indicators[i];
        char target[160];
        acv_target_describe(ind, acv_indicator_target(ind, 2030), target, sizeof target);
        text_cell(b, ind->id, 0);
        text_cell(b, ind->name, 1);
        text_cell(b, ind->unit, 1);
        number_cell(b, r->code && r->has_value, r->value);
        text_cell(b, r->code ? r->period : NULL, 1);
        text_cell(b, target, 1);
        number_cell(b, r->code && r->has_score, r->score);
        text_cell(b, r->code ? r->class_name : NULL, 1);
        text_cell(b, r->code ? r->note : "not scored in this run", 1);
        acv_buf_puts(b, r->code && r->imputed ? ",true\r\n" : ",false\r\n");
    }
    if (b->failed)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory writing CSV");
    return ACV_OK;
}

/* One row of the comparison's long table. */
typedef struct {
    const char *area, *area_name, *country;
    int has_population;
    double population;
    const char *level, *id, *name, *unit;
    int has_value;
    double value;
    const char *period;
    int has_score;
    double score;
    const char *class_name;
    const char *adapted; /* "true", "false" or NULL (aggregates) */
} compare_row;

static void compare_csv_row(acv_buf *b, const compare_row *r)
{
    text_cell(b, r->area, 0);
    text_cell(b, r->area_name, 1);
    text_cell(b, r->country, 1);
    number_cell(b, r->has_population, r->population);
    text_cell(b, r->level, 1);
    text_cell(b, r->id, 1);
    text_cell(b, r->name, 1);
    text_cell(b, r->unit, 1);
    number_cell(b, r->has_value, r->value);
    text_cell(b, r->period, 1);
    number_cell(b, r->has_score, r->score);
    text_cell(b, r->class_name, 1);
    text_cell(b, r->adapted, 1);
    acv_buf_puts(b, "\r\n");
}

acv_status acv_render_compare_csv(const acv_compare_model *c, acv_buf *b, acv_error *err)
{
    const acv_framework *fw = c->fw;
    bom(b);
    acv_buf_puts(b, "area,area_name,country,population,level,id,name,unit,value,period,score,"
                    "class,adapted\r\n");
    for (size_t a = 0; a < c->n_areas; a++) {
        const acv_report_model *m = c->areas[a].m;
        compare_row base = {m->code,
                            m->name,
                            m->country,
                            m->has_population,
                            m->population,
                            "overall",
                            "ACV",
                            "Overall",
                            NULL,
                            0,
                            0,
                            NULL,
                            m->overall.code && m->overall.has_score,
                            m->overall.score,
                            NULL,
                            NULL};
        compare_csv_row(b, &base);
        for (size_t p = 0; p < fw->n_pillars; p++) {
            compare_row r = base;
            r.level = "pillar";
            r.id = fw->pillars[p].id;
            r.name = fw->pillars[p].name;
            r.has_score = m->pillars[p].code && m->pillars[p].has_score;
            r.score = m->pillars[p].score;
            compare_csv_row(b, &r);
        }
        for (size_t i = 0; i < fw->n_indicators; i++) {
            if (!c->common[i])
                continue;
            const acv_result *res = &m->indicators[i];
            compare_row r = base;
            r.level = "indicator";
            r.id = fw->indicators[i].id;
            r.name = fw->indicators[i].name;
            r.unit = fw->indicators[i].unit;
            r.has_value = res->code && res->has_value;
            r.value = res->value;
            r.period = res->code ? res->period : NULL;
            r.has_score = res->code && res->has_score;
            r.score = res->score;
            r.class_name = res->code ? res->class_name : NULL;
            r.adapted = c->areas[a].adapted[i] ? "true" : "false";
            compare_csv_row(b, &r);
        }
    }
    for (size_t j = 0; j < c->n_countries; j++) {
        const acv_compare_country *cc = &c->countries[j];
        char code[160], name[200];
        snprintf(code, sizeof code, "country:%s", cc->country ? cc->country : "");
        snprintf(name, sizeof name, "%s (population-weighted)", cc->country ? cc->country : "");
        compare_row base = {code,
                            name,
                            cc->country,
                            cc->overall.has,
                            cc->overall.population,
                            "overall",
                            "ACV",
                            "Overall",
                            NULL,
                            0,
                            0,
                            NULL,
                            cc->overall.has,
                            cc->overall.value,
                            NULL,
                            NULL};
        compare_csv_row(b, &base);
        for (size_t p = 0; p < fw->n_pillars; p++) {
            compare_row r = base;
            r.level = "pillar";
            r.id = fw->pillars[p].id;
            r.name = fw->pillars[p].name;
            r.has_population = r.has_score = cc->pillars[p].has;
            r.population = cc->pillars[p].population;
            r.score = cc->pillars[p].value;
            compare_csv_row(b, &r);
        }
        for (size_t i = 0; i < fw->n_indicators; i++) {
            if (!c->common[i])
                continue;
            compare_row r = base;
            r.level = "indicator";
            r.id = fw->indicators[i].id;
            r.name = fw->indicators[i].name;
            r.unit = fw->indicators[i].unit;
            r.has_population = r.has_score = cc->indicators[i].has;
            r.population = cc->indicators[i].population;
            r.score = cc->indicators[i].value;
            compare_csv_row(b, &r);
        }
    }
    if (b->failed)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory writing CSV");
    return ACV_OK;
}
