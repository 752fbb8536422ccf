/*
 * render_csv.c — the indicator table as CSV, for one area and for a comparison; see render.h
 * and docs/reports.md.
 *
 * Cells go through the engine's one CSV writer (csvwrite.h: RFC 4180 quoting, formula defusing,
 * numbers never defused). A UTF-8 byte order mark comes first because Excel, which is where most
 * of these files are opened, otherwise reads Thai, Khmer or Vietnamese names as mojibake.
 */
#include "render.h"
#include "compare.h"
#include "csvwrite.h"
#include "report.h"

#include <stdio.h>
#include <string.h>

acv_status acv_render_csv(const acv_report_model *m, acv_buf *b, acv_error *err)
{
    const acv_framework *fw = m->fw;
    acv_csv_writer w = acv_csvwrite_to_buf(b);
    acv_csvwrite_bom(&w);
    acv_buf_puts(b, "id,name,unit,value,period,target_2030,score,class,note,imputed\r\n");
    for (size_t i = 0; i < fw->n_indicators; i++) {
        const acv_indicator *ind = &fw->indicators[i];
        const acv_result *r = &m->indicators[i];
        char target[160];
        acv_target_describe(ind, acv_indicator_target(ind, 2030), target, sizeof target);
        acv_csvwrite_text(&w, ind->id);
        acv_csvwrite_text(&w, ind->name);
        acv_csvwrite_text(&w, ind->unit);
        acv_csvwrite_number(&w, r->code && r->has_value, r->value);
        acv_csvwrite_text(&w, r->code ? r->period : NULL);
        acv_csvwrite_text(&w, target);
        acv_csvwrite_number(&w, r->code && r->has_score, r->score);
        acv_csvwrite_text(&w, r->code ? r->class_name : NULL);
        acv_csvwrite_text(&w, r->code ? r->note : "not scored in this run");
        acv_csvwrite_raw(&w, r->code && r->imputed ? "true" : "false");
        acv_csvwrite_end_row(&w);
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

static void compare_csv_row(acv_csv_writer *w, const compare_row *r)
{
    acv_csvwrite_text(w, r->area);
    acv_csvwrite_text(w, r->area_name);
    acv_csvwrite_text(w, r->country);
    acv_csvwrite_number(w, r->has_population, r->population);
    acv_csvwrite_text(w, r->level);
    acv_csvwrite_text(w, r->id);
    acv_csvwrite_text(w, r->name);
    acv_csvwrite_text(w, r->unit);
    acv_csvwrite_number(w, r->has_value, r->value);
    acv_csvwrite_text(w, r->period);
    acv_csvwrite_number(w, r->has_score, r->score);
    acv_csvwrite_text(w, r->class_name);
    acv_csvwrite_raw(w, r->adapted);
    acv_csvwrite_end_row(w);
}

acv_status acv_render_compare_csv(const acv_compare_model *c, acv_buf *b, acv_error *err)
{
    const acv_framework *fw = c->fw;
    acv_csv_writer w = acv_csvwrite_to_buf(b);
    acv_csvwrite_bom(&w);
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
        compare_csv_row(&w, &base);
        for (size_t p = 0; p < fw->n_pillars; p++) {
            compare_row r = base;
            r.level = "pillar";
            r.id = fw->pillars[p].id;
            r.name = fw->pillars[p].name;
            r.has_score = m->pillars[p].code && m->pillars[p].has_score;
            r.score = m->pillars[p].score;
            compare_csv_row(&w, &r);
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
            compare_csv_row(&w, &r);
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
        compare_csv_row(&w, &base);
        for (size_t p = 0; p < fw->n_pillars; p++) {
            compare_row r = base;
            r.level = "pillar";
            r.id = fw->pillars[p].id;
            r.name = fw->pillars[p].name;
            r.has_population = r.has_score = cc->pillars[p].has;
            r.population = cc->pillars[p].population;
            r.score = cc->pillars[p].value;
            compare_csv_row(&w, &r);
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
            compare_csv_row(&w, &r);
        }
    }
    if (b->failed)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory writing CSV");
    return ACV_OK;
}
