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
#include "format.h"
#include "report.h"
#include "template.h"

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
        if (r->code && r->collect_rank > 0) {
            /* the collect-first list, marked in the note so the table keeps its columns */
            char note[ACV_NOTE_MAX + 160];
            snprintf(note, sizeof note, "collect first: %d of %zu (%s)%s%s", r->collect_rank,
                     m->n_collect_first, r->collect_source ? r->collect_source : "other source",
                     r->note ? "; " : "", r->note ? r->note : "");
            acv_csvwrite_text(&w, note);
        } else {
            acv_csvwrite_text(&w, r->code ? r->note : "not scored in this run");
        }
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
    const char *class_methods; /* the methods whose vocabulary the class is from (vocabulary.h) */
    const char *adapted;       /* "true", "false" or NULL (aggregates) */
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
    /* a score out of 100 to the hundredth (format.h), as the comparison of many areas writes it;
     * values stay as imported */
    char score[64];
    acv_format_decimals(score, sizeof score, r->score, 2);
    acv_csvwrite_raw(w, r->has_score ? score : NULL);
    acv_csvwrite_text(w, r->class_name);
    acv_csvwrite_text(w, r->class_methods);
    acv_csvwrite_raw(w, r->adapted);
    acv_csvwrite_end_row(w);
}

/* The overall row of an area or a country, which its other rows start from. */
static compare_row overall_row(const char *area, const char *area_name, const char *country,
                               int has_population, double population, int has_score, double score)
{
    return (compare_row){.area = area,
                         .area_name = area_name,
                         .country = country,
                         .has_population = has_population,
                         .population = population,
                         .level = "overall",
                         .id = "ACV",
                         .name = "Overall",
                         .has_score = has_score,
                         .score = score};
}

/* A pillar's or an indicator's row, from its area's or country's overall row. */
static compare_row level_row(const compare_row *overall, const char *level, const char *id,
                             const char *name, const char *unit)
{
    compare_row r = *overall;
    r.level = level;
    r.id = id;
    r.name = name;
    r.unit = unit;
    return r;
}

/* A country's row of a pillar or an indicator: its population-weighted mean, with the population
 * that weighs it. */
static void country_row(acv_csv_writer *w, const compare_row *overall, const char *level,
                        const char *id, const char *name, const char *unit,
                        const acv_weighted_mean *mean)
{
    compare_row r = level_row(overall, level, id, name, unit);
    r.has_population = r.has_score = mean->has;
    r.population = mean->population;
    r.score = mean->value;
    compare_csv_row(w, &r);
}

acv_status acv_render_compare_csv(const acv_compare_model *c, acv_buf *b, acv_error *err)
{
    const acv_framework *fw = c->fw;
    acv_csv_writer w = acv_csvwrite_to_buf(b);
    acv_csvwrite_bom(&w);
    acv_buf_puts(b, "area,area_name,country,population,level,id,name,unit,value,period,score,"
                    "class,class_methods,adapted\r\n");
    for (size_t a = 0; a < c->n_areas; a++) {
        const acv_report_model *m = c->areas[a].m;
        compare_row base =
            overall_row(m->code, m->name, m->country, m->has_population, m->population,
                        m->overall.code && m->overall.has_score, m->overall.score);
        compare_csv_row(&w, &base);
        for (size_t p = 0; p < fw->n_pillars; p++) {
            compare_row r =
                level_row(&base, "pillar", fw->pillars[p].id, fw->pillars[p].name, NULL);
            r.has_score = m->pillars[p].code && m->pillars[p].has_score;
            r.score = m->pillars[p].score;
            compare_csv_row(&w, &r);
        }
        for (size_t i = 0; i < fw->n_indicators; i++) {
            if (!c->common[i])
                continue;
            const acv_indicator *ind = &fw->indicators[i];
            const acv_result *res = &m->indicators[i];
            compare_row r = level_row(&base, "indicator", ind->id, ind->name, ind->unit);
            r.has_value = res->code && res->has_value;
            r.value = res->value;
            r.period = res->code ? res->period : NULL;
            r.has_score = res->code && res->has_score;
            r.score = res->score;
            r.class_name = res->code ? res->class_name : NULL;
            /* areas scored with different methods give classes of different vocabularies: each
             * row names the methods its class comes from, so they are never read as one scale */
            const acv_class_entry *ce =
                r.class_name ? acv_vocab_find(m->vocab, r.class_name) : NULL;
            r.class_methods = ce ? ce->methods : NULL;
            r.adapted = c->areas[a].adapted[i] ? "true" : "false";
            compare_csv_row(&w, &r);
        }
    }
    for (size_t j = 0; j < c->n_countries; j++) {
        const acv_compare_country *cc = &c->countries[j];
        char code[160], name[200];
        snprintf(code, sizeof code, "country:%s", cc->country ? cc->country : "");
        snprintf(name, sizeof name, "%s (population-weighted)", cc->country ? cc->country : "");
        compare_row base = overall_row(code, name, cc->country, cc->overall.has,
                                       cc->overall.population, cc->overall.has, cc->overall.value);
        compare_csv_row(&w, &base);
        for (size_t p = 0; p < fw->n_pillars; p++)
            country_row(&w, &base, "pillar", fw->pillars[p].id, fw->pillars[p].name, NULL,
                        &cc->pillars[p]);
        for (size_t i = 0; i < fw->n_indicators; i++) {
            const acv_indicator *ind = &fw->indicators[i];
            if (c->common[i])
                country_row(&w, &base, "indicator", ind->id, ind->name, ind->unit,
                            &cc->indicators[i]);
        }
    }
    if (b->failed)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory writing CSV");
    return ACV_OK;
}

/* ---- the comparison of many areas: the complete ranked table ------------------------------ */

/* A number cell for a program: scores with two decimals, populations whole (format.h). */
static void csv_decimals(acv_csv_writer *w, int has, double v, int decimals)
{
    char s[64];
    acv_format_decimals(s, sizeof s, v, decimals);
    acv_csvwrite_raw(w, has ? s : NULL);
}

static void many_row(acv_csv_writer *w, const acv_compare_many *c, size_t a)
{
    const acv_compare_entry *e = &c->areas[a];
    unsigned rank = c->ranks[a * c->n_levels];
    if (rank)
        acv_csvwrite_integer(w, rank);
    else
        acv_csvwrite_raw(w, NULL);
    acv_csvwrite_text(w, e->code);
    acv_csvwrite_text(w, e->name);
    acv_csvwrite_text(w, e->country);
    csv_decimals(w, e->has_population, e->population, 0);
    if (e->highlight)
        acv_csvwrite_integer(w, e->highlight);
    else
        acv_csvwrite_raw(w, NULL);
    for (size_t l = 0; l < c->n_levels; l++) {
        double v;
        int has = acv_compare_many_score(c, a, l, &v);
        csv_decimals(w, has, v, 2);
    }
    acv_csvwrite_integer(w, e->year);
    acv_csvwrite_integer(w, e->run_id);
    acv_csvwrite_text(w, e->created_at);
    acv_csvwrite_text(w, e->engine_version);
    acv_csvwrite_text(w, e->framework_hash);
    acv_csvwrite_text(w, e->data_hash);
    acv_csvwrite_text(w, e->methods_hash);
    acv_csvwrite_text(w, e->overlay);
    acv_csvwrite_end_row(w);
}

acv_status acv_render_compare_many_csv(const acv_compare_many *c, acv_buf *b, acv_error *err)
{
    acv_csv_writer w = acv_csvwrite_to_buf(b);
    acv_csvwrite_bom(&w);
    static const char *const HEAD[] = {"rank",    "area",       "area_name",
                                       "country", "population", "highlighted"};
    static const char *const TAIL[] = {
        "year",           "run",       "created_at",   "engine_version",
        "framework_hash", "data_hash", "methods_hash", "overlay"};
    for (size_t i = 0; i < sizeof HEAD / sizeof *HEAD; i++)
        acv_csvwrite_text(&w, HEAD[i]);
    for (size_t l = 0; l < c->n_levels; l++)
        acv_csvwrite_text(&w, l == 0 ? "overall" : c->levels[l].code);
    for (size_t i = 0; i < sizeof TAIL / sizeof *TAIL; i++)
        acv_csvwrite_text(&w, TAIL[i]);
    acv_csvwrite_end_row(&w);
    /* ranked by the overall score, then the areas without one in the order compared */
    const acv_compare_level *overall = &c->levels[0];
    for (size_t i = 0; i < overall->n_scored; i++)
        many_row(&w, c, overall->order[i]);
    for (size_t a = 0; a < c->n_areas; a++)
        if (!c->has[a * c->n_levels])
            many_row(&w, c, a);
    if (b->failed)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory writing CSV");
    return ACV_OK;
}

acv_status acv_render_template_csv(const acv_obs_template *t, acv_buf *b, acv_error *err)
{
    acv_csv_writer w = acv_csvwrite_to_buf(b);
    acv_csvwrite_bom(&w);
    acv_csvwrite_raw(&w, "area");
    acv_csvwrite_raw(&w, "indicator");
    for (int y = t->first_year; y <= t->last_year; y++)
        acv_csvwrite_integer(&w, y);
    acv_csvwrite_raw(&w, "source");
    acv_csvwrite_raw(&w, "comment");
    acv_csvwrite_end_row(&w);
    for (size_t i = 0; i < t->fw->n_indicators; i++) {
        acv_csvwrite_text(&w, t->area);
        acv_csvwrite_text(&w, t->fw->indicators[i].id);
        for (int y = t->first_year; y <= t->last_year + 2; y++)
            acv_csvwrite_text(&w, NULL);
        acv_csvwrite_end_row(&w);
    }
    if (b->failed)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory writing CSV");
    return ACV_OK;
}
