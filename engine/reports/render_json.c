/* render_json.c — the report and the comparison as JSON (schema: docs/report-json.md,
 * docs/report.schema.json); see render.h. Strings are escaped by acv_buf_json_string (util.h). */
#include "render.h"
#include "compare.h"
#include "format.h"
#include "report.h"
#include "results.h"

#include <stdio.h>
#include <string.h>

void acv_render_json_run_stamp(acv_buf *b, const acv_report_model *m, int with_framework_id)
{
    acv_buf_json_num_field(b, "id", 1, (double)m->run_id, 1);
    acv_buf_json_num_field(b, "year", 1, m->year, 1);
    acv_buf_json_str_field(b, "created_at", m->created_at, 1);
    acv_buf_json_str_field(b, "engine_version", m->engine_version, 1);
    if (with_framework_id) {
        acv_buf_json_str_field(b, "framework_id", m->framework_id, 1);
        acv_buf_json_str_field(b, "framework_version", m->framework_version, 1);
    }
    acv_buf_json_str_field(b, "framework_hash", m->framework_hash, 1);
    acv_buf_json_str_field(b, "data_hash", m->data_hash, 1);
    acv_buf_json_str_field(b, "methods_hash", m->methods_hash, 1);
    acv_buf_json_str_field(b, "overlay", m->overlay, 0);
}

static void group_fields(acv_buf *b, const acv_result *r)
{
    acv_buf_json_num_field(b, "score", r->code && r->has_score, r->score, 1);
    /* only where the rules withhold the score: reports of fully scored runs are unchanged */
    if (r->code && !r->has_score && r->has_provisional) {
        char coverage[96];
        acv_format_coverage(coverage, sizeof coverage, r->n_core_scored, r->n_core_total);
        acv_buf_json_num_field(b, "provisional", 1, r->provisional, 1);
        acv_buf_json_num_field(b, "n_core_scored", 1, r->n_core_scored, 1);
        acv_buf_json_num_field(b, "n_core_total", 1, r->n_core_total, 1);
        acv_buf_json_str_field(b, "coverage", coverage, 1);
    }
    acv_buf_json_num_field(b, "n_scored", 1, r->code ? r->n_scored : 0, 1);
    acv_buf_json_num_field(b, "n_total", 1, r->code ? r->n_total : 0, 1);
    acv_buf_json_str_field(b, "note", r->code ? r->note : NULL, 0);
}

/* "key":true or "key":false, and a comma when `comma` is set. */
static void bool_field(acv_buf *b, const char *key, int value, int comma)
{
    acv_buf_json_key(b, key);
    acv_buf_puts(b, value ? "true" : "false");
    if (comma)
        acv_buf_puts(b, ",");
}

/* A key and the bracket that opens its array or object. */
static void key_open(acv_buf *b, const char *key, const char *bracket)
{
    acv_buf_json_key(b, key);
    acv_buf_puts(b, bracket);
}

/* A pillar's or an action area's weight, its self-assessment alignment and its score. */
static void weighted_group_fields(acv_buf *b, const acv_report_model *m, double weight,
                                  const acv_result *alignment, const acv_result *r)
{
    acv_buf_json_num_field(b, "weight", 1, weight, 1);
    acv_buf_json_num_field(b, "alignment",
                           m->has_alignment && alignment->code && alignment->has_score,
                           alignment->score, 1);
    group_fields(b, r);
}

/* The area as the report and each compared area name it; a comma after the last field when
 * more follow. */
static void area_fields(acv_buf *b, const acv_report_model *m, int comma)
{
    acv_buf_json_str_field(b, "code", m->code, 1);
    acv_buf_json_str_field(b, "name", m->name, 1);
    acv_buf_json_str_field(b, "level", m->level, 1);
    acv_buf_json_str_field(b, "country", m->country, 1);
    acv_buf_json_num_field(b, "population", m->has_population, m->population, 1);
    acv_buf_json_num_field(b, "population_year", m->has_population, m->population_year, comma);
}

/* Which indicator: its ids and names, and where it sits in the framework. */
static void indicator_fields(acv_buf *b, const acv_framework *fw, const acv_indicator *ind)
{
    const acv_action_area *area = &fw->action_areas[ind->action_area];
    acv_buf_json_str_field(b, "id", ind->id, 1);
    acv_buf_json_str_field(b, "name", ind->name, 1);
    acv_buf_json_str_field(b, "short_name", ind->short_name, 1);
    acv_buf_json_str_field(b, "action_area", area->id, 1);
    acv_buf_json_str_field(b, "pillar", fw->pillars[area->pillar].id, 1);
}

/* An indicator's result for one area, from its value to its class, each followed by a comma. */
static void result_fields(acv_buf *b, const acv_result *r)
{
    acv_buf_json_num_field(b, "value", r->code && r->has_value, r->value, 1);
    acv_buf_json_str_field(b, "period", r->code ? r->period : NULL, 1);
    bool_field(b, "imputed", r->code && r->imputed, 1);
    acv_buf_json_num_field(b, "score", r->code && r->has_score, r->score, 1);
    acv_buf_json_str_field(b, "class", r->code ? r->class_name : NULL, 1);
}

static void string_list(acv_buf *b, const char *const *s, size_t n)
{
    acv_buf_puts(b, "[");
    acv_buf_items(b, s, n, ",", "", "", acv_buf_json_string);
    acv_buf_puts(b, "]");
}

/* Closes the document's object; ACV_ERR_NOMEM when the buffer could not grow. */
static acv_status document_end(acv_buf *b, acv_error *err)
{
    acv_buf_puts(b, "}\n");
    if (b->failed)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory writing JSON");
    return ACV_OK;
}

acv_status acv_render_json(const acv_report_model *m, acv_buf *b, acv_error *err)
{
    const acv_framework *fw = m->fw;
    acv_buf_puts(b, "{");
    acv_buf_json_str_field(b, "schema", "acvtrack-report/1", 1);
    key_open(b, "area", "{");
    area_fields(b, m, 0);
    acv_buf_puts(b, "},");
    key_open(b, "run", "{");
    acv_render_json_run_stamp(b, m, 1);
    acv_buf_puts(b, "},");
    key_open(b, "overall", "{");
    group_fields(b, &m->overall);
    acv_buf_puts(b, "},");
    acv_buf_json_key(b, "alignment");
    if (m->has_alignment) {
        acv_buf_puts(b, "{");
        group_fields(b, &m->alignment_overall);
        acv_buf_puts(b, "},");
    } else {
        acv_buf_puts(b, "null,");
    }
    key_open(b, "pillars", "[");
    for (size_t p = 0; p < fw->n_pillars; p++) {
        acv_buf_puts(b, p ? ",{" : "{");
        acv_buf_json_str_field(b, "id", fw->pillars[p].id, 1);
        acv_buf_json_str_field(b, "name", fw->pillars[p].name, 1);
        weighted_group_fields(b, m, fw->pillars[p].weight, &m->alignment_pillars[p],
                              &m->pillars[p]);
        acv_buf_puts(b, "}");
    }
    acv_buf_puts(b, "],");
    key_open(b, "action_areas", "[");
    for (size_t a = 0; a < fw->n_action_areas; a++) {
        const acv_action_area *area = &fw->action_areas[a];
        acv_buf_puts(b, a ? ",{" : "{");
        acv_buf_json_str_field(b, "id", area->id, 1);
        acv_buf_json_str_field(b, "pillar", fw->pillars[area->pillar].id, 1);
        acv_buf_json_str_field(b, "name", area->name, 1);
        weighted_group_fields(b, m, area->weight, &m->alignment_areas[a], &m->action_areas[a]);
        acv_buf_puts(b, "}");
    }
    acv_buf_puts(b, "],");
    key_open(b, "indicators", "[");
    for (size_t i = 0; i < fw->n_indicators; i++) {
        const acv_indicator *ind = &fw->indicators[i];
        const acv_result *r = &m->indicators[i];
        acv_buf_puts(b, i ? ",{" : "{");
        indicator_fields(b, fw, ind);
        bool_field(b, "core", ind->core, 1);
        bool_field(b, "local", ind->local, 1);
        bool_field(b, "adapted", ind->changed, 1);
        acv_buf_json_str_field(b, "not_applicable", ind->not_applicable, 1);
        acv_buf_json_str_field(b, "unit", ind->unit, 1);
        acv_buf_json_str_field(b, "direction", acv_direction_name(ind->direction), 1);
        result_fields(b, r);
        acv_buf_json_str_field(
            b, "class_label",
            r->code && r->class_name ? acv_vocab_label(m->vocab, r->class_name) : NULL, 1);
        acv_buf_json_num_field(b, "target_gap", r->code && r->has_target_gap, r->target_gap, 1);
        key_open(b, "targets", "{");
        for (size_t t = 0; t < ind->n_targets; t++) {
            char year[16], desc[160];
            snprintf(year, sizeof year, "%d", ind->targets[t].year);
            acv_target_describe(ind, &ind->targets[t], desc, sizeof desc);
            if (t)
                acv_buf_puts(b, ",");
            acv_buf_json_str_field(b, year, desc, 0);
        }
        acv_buf_puts(b, "},");
        key_open(b, "series", "[");
        for (size_t k = 0; m->series && k < m->series[i].n; k++) {
            acv_buf_puts(b, k ? ",{" : "{");
            acv_buf_json_str_field(b, "period", m->series[i].points[k].period, 1);
            acv_buf_json_num_field(b, "value", 1, m->series[i].points[k].value, 0);
            acv_buf_puts(b, "}");
        }
        acv_buf_puts(b, "],");
        acv_buf_json_str_field(b, "note", r->code ? r->note : "not scored in this run", 0);
        acv_buf_puts(b, "}");
    }
    acv_buf_puts(b, "],");
    key_open(b, "priorities", "[");
    int first = 1;
    for (size_t i = 0; i < m->n_priorities; i++) {
        const acv_result *p = &m->priorities[i];
        if (!p->code)
            continue;
        acv_buf_puts(b, first ? "{" : ",{");
        first = 0;
        acv_buf_json_num_field(b, "rank", 1, (double)(i + 1), 1);
        acv_buf_json_str_field(b, "action_area", p->code, 1);
        acv_buf_json_num_field(b, "priority", 1, p->value, 1);
        key_open(b, "reasons", "[");
        char one[ACV_REASONS_MAX];
        const char *s = p->note;
        for (int n = 0; (s = acv_format_next_reason(s, one, sizeof one)); n++) {
            if (n)
                acv_buf_puts(b, ",");
            acv_buf_json_string(b, one);
        }
        acv_buf_puts(b, "]}");
    }
    acv_buf_puts(b, "],");
    if (m->n_no_data) {
        key_open(b, "no_data_yet", "[");
        for (size_t i = 0; i < m->n_no_data; i++) {
            acv_buf_puts(b, i ? ",{" : "{");
            acv_buf_json_str_field(b, "action_area", m->no_data[i].code, 1);
            acv_buf_json_str_field(b, "reason", m->no_data[i].note, 0);
            acv_buf_puts(b, "}");
        }
        acv_buf_puts(b, "],");
    }
    if (m->n_collect_first) {
        key_open(b, "collect_first", "[");
        for (size_t k = 0; k < m->n_collect_first; k++) {
            const acv_indicator *ind = &fw->indicators[m->collect_first[k]];
            acv_buf_puts(b, k ? ",{" : "{");
            acv_buf_json_num_field(b, "rank", 1, (double)(k + 1), 1);
            acv_buf_json_str_field(b, "indicator", ind->id, 1);
            acv_buf_json_str_field(b, "source_kind",
                                   m->indicators[m->collect_first[k]].collect_source, 1);
            acv_buf_json_str_field(b, "data_source", ind->data_source, 0);
            acv_buf_puts(b, "}");
        }
        acv_buf_puts(b, "],");
    }
    acv_buf_json_key(b, "overlay_changes");
    string_list(b, m->changes, m->n_changes);
    return document_end(b, err);
}

/* ---- the comparison ---------------------------------------------------------------------- */

static void weighted_fields(acv_buf *b, const acv_weighted_mean *w)
{
    acv_buf_json_num_field(b, "score", w->has, w->value, 1);
    acv_buf_json_num_field(b, "n", 1, w->n, 1);
    acv_buf_json_num_field(b, "population", 1, w->population, 0);
}

static void weighted(acv_buf *b, const acv_weighted_mean *w)
{
    acv_buf_puts(b, "{");
    weighted_fields(b, w);
    acv_buf_puts(b, "}");
}

static void id_list(acv_buf *b, const acv_framework *fw, const unsigned char *flags)
{
    acv_buf_puts(b, "[");
    int first = 1;
    for (size_t i = 0; i < fw->n_indicators; i++) {
        if (!flags[i])
            continue;
        if (!first)
            acv_buf_puts(b, ",");
        first = 0;
        acv_buf_json_string(b, fw->indicators[i].id);
    }
    acv_buf_puts(b, "]");
}

acv_status acv_render_compare_json(const acv_compare_model *c, acv_buf *b, acv_error *err)
{
    const acv_framework *fw = c->fw;
    acv_buf_puts(b, "{");
    acv_buf_json_str_field(b, "schema", "acvtrack-comparison/1", 1);
    acv_buf_json_num_field(b, "year", c->year > 0, c->year, 1);
    acv_buf_json_num_field(b, "n_common", 1, (double)c->n_common, 1);
    acv_buf_json_num_field(b, "n_common_with_data", 1, (double)c->n_common_with_data, 1);
    key_open(b, "pillars", "[");
    for (size_t p = 0; p < fw->n_pillars; p++) {
        acv_buf_puts(b, p ? ",{" : "{");
        acv_buf_json_str_field(b, "id", fw->pillars[p].id, 1);
        acv_buf_json_str_field(b, "name", fw->pillars[p].name, 0);
        acv_buf_puts(b, "}");
    }
    acv_buf_puts(b, "],");
    key_open(b, "areas", "[");
    for (size_t a = 0; a < c->n_areas; a++) {
        const acv_report_model *m = c->areas[a].m;
        acv_buf_puts(b, a ? ",{" : "{");
        area_fields(b, m, 1);
        key_open(b, "run", "{");
        acv_render_json_run_stamp(b, m, 0);
        acv_buf_puts(b, "},");
        acv_buf_json_num_field(b, "overall", m->overall.code && m->overall.has_score,
                               m->overall.score, 1);
        key_open(b, "pillars", "{");
        for (size_t p = 0; p < fw->n_pillars; p++)
            acv_buf_json_num_field(b, fw->pillars[p].id,
                                   m->pillars[p].code && m->pillars[p].has_score,
                                   m->pillars[p].score, p + 1 < fw->n_pillars);
        acv_buf_puts(b, "},");
        acv_buf_json_key(b, "overlay_changes");
        string_list(b, m->changes, m->n_changes);
        acv_buf_puts(b, ",");
        acv_buf_json_key(b, "adapted");
        id_list(b, fw, c->areas[a].adapted);
        acv_buf_puts(b, ",");
        acv_buf_json_key(b, "not_applicable");
        id_list(b, fw, c->areas[a].not_applicable);
        acv_buf_puts(b, "}");
    }
    acv_buf_puts(b, "],");
    key_open(b, "indicators", "[");
    int first = 1;
    for (size_t i = 0; i < fw->n_indicators; i++) {
        if (!c->common[i])
            continue;
        const acv_indicator *ind = &fw->indicators[i];
        char target[160];
        acv_target_describe(ind, acv_indicator_target(ind, 2030), target, sizeof target);
        acv_buf_puts(b, first ? "{" : ",{");
        first = 0;
        indicator_fields(b, fw, ind);
        acv_buf_json_str_field(b, "unit", ind->unit, 1);
        acv_buf_json_str_field(b, "direction", acv_direction_name(ind->direction), 1);
        acv_buf_json_str_field(b, "target_2030", target, 1);
        key_open(b, "areas", "[");
        for (size_t a = 0; a < c->n_areas; a++) {
            acv_buf_puts(b, a ? ",{" : "{");
            acv_buf_json_str_field(b, "area", c->areas[a].m->code, 1);
            result_fields(b, &c->areas[a].m->indicators[i]);
            bool_field(b, "adapted", c->areas[a].adapted[i], 0);
            acv_buf_puts(b, "}");
        }
        acv_buf_puts(b, "],");
        key_open(b, "countries", "[");
        for (size_t j = 0; j < c->n_countries; j++) {
            acv_buf_puts(b, j ? ",{" : "{");
            acv_buf_json_str_field(b, "country", c->countries[j].country, 1);
            weighted_fields(b, &c->countries[j].indicators[i]);
            acv_buf_puts(b, "}");
        }
        acv_buf_puts(b, "]}");
    }
    acv_buf_puts(b, "],");
    key_open(b, "countries", "[");
    for (size_t j = 0; j < c->n_countries; j++) {
        const acv_compare_country *cc = &c->countries[j];
        acv_buf_puts(b, j ? ",{" : "{");
        acv_buf_json_str_field(b, "country", cc->country, 1);
        acv_buf_json_num_field(b, "population", 1, cc->population, 1);
        acv_buf_json_key(b, "members");
        string_list(b, cc->members, cc->n_members);
        acv_buf_puts(b, ",");
        acv_buf_json_key(b, "excluded");
        string_list(b, cc->excluded, cc->n_excluded);
        acv_buf_puts(b, ",");
        acv_buf_json_key(b, "overall");
        weighted(b, &cc->overall);
        acv_buf_puts(b, ",");
        key_open(b, "pillars", "{");
        for (size_t p = 0; p < fw->n_pillars; p++) {
            acv_buf_json_key(b, fw->pillars[p].id);
            weighted(b, &cc->pillars[p]);
            if (p + 1 < fw->n_pillars)
                acv_buf_puts(b, ",");
        }
        acv_buf_puts(b, "}}");
    }
    acv_buf_puts(b, "],");
    acv_buf_json_key(b, "skipped");
    string_list(b, c->skipped, c->n_skipped);
    return document_end(b, err);
}

/* ---- the comparison of many areas ----------------------------------------------------------- */

/* A number with at most `decimals` decimals (format.h), or null. */
static void json_decimals(acv_buf *b, const char *key, int has, double v, int decimals, int comma)
{
    char s[64];
    acv_buf_json_key(b, key);
    acv_format_decimals(s, sizeof s, v, decimals);
    acv_buf_puts(b, has && *s ? s : "null");
    if (comma)
        acv_buf_puts(b, ",");
}

static void json_ranked(acv_buf *b, const acv_compare_many *c, size_t l, size_t from, size_t to)
{
    const acv_compare_level *lv = &c->levels[l];
    for (size_t i = from; i < to; i++) {
        size_t a = lv->order[i];
        acv_buf_puts(b, i > from ? ",{" : "{");
        acv_buf_json_num_field(b, "rank", 1, c->ranks[a * c->n_levels + l], 1);
        acv_buf_json_str_field(b, "area", c->areas[a].code, 1);
        json_decimals(b, "score", 1, c->scores[a * c->n_levels + l], 2, 0);
        acv_buf_puts(b, "}");
    }
}

acv_status acv_render_compare_many_json(const acv_compare_many *c, acv_buf *b, acv_error *err)
{
    acv_buf_puts(b, "{");
    acv_buf_json_str_field(b, "schema", "acvtrack-comparison-many/1", 1);
    acv_buf_json_str_field(b, "group", c->group, 1);
    acv_buf_json_num_field(b, "year", c->year > 0, c->year, 1);
    acv_buf_json_num_field(b, "n_areas", 1, (double)c->n_areas, 1);
    acv_buf_json_num_field(b, "top", 1, (double)c->top, 1);
    acv_buf_json_str_field(b, "quantiles",
                           "linear interpolation between order statistics "
                           "(type 7)",
                           1);
    key_open(b, "highlighted", "[");
    for (size_t h = 0; h < c->n_highlighted; h++) {
        acv_buf_puts(b, h ? "," : "");
        acv_buf_json_string(b, c->areas[c->highlighted[h]].code);
    }
    acv_buf_puts(b, "],");
    key_open(b, "levels", "[");
    for (size_t l = 0; l < c->n_levels; l++) {
        const acv_compare_level *lv = &c->levels[l];
        int has = lv->n_scored > 0;
        acv_buf_puts(b, l ? ",{" : "{");
        acv_buf_json_str_field(b, "level", lv->level, 1);
        acv_buf_json_str_field(b, "code", lv->code, 1);
        acv_buf_json_str_field(b, "name", lv->name, 1);
        acv_buf_json_num_field(b, "n_scored", 1, (double)lv->n_scored, 1);
        json_decimals(b, "min", has, lv->min, 2, 1);
        json_decimals(b, "q1", has, lv->q1, 2, 1);
        json_decimals(b, "median", has, lv->median, 2, 1);
        json_decimals(b, "q3", has, lv->q3, 2, 1);
        json_decimals(b, "max", has, lv->max, 2, 1);
        key_open(b, "population_weighted", "{");
        json_decimals(b, "score", lv->weighted.has, lv->weighted.value, 2, 1);
        acv_buf_json_num_field(b, "areas", 1, lv->weighted.n, 1);
        json_decimals(b, "population", 1, lv->weighted.population, 0, 0);
        acv_buf_puts(b, "},");
        key_open(b, "histogram", "[");
        for (int k = 0; k < ACV_COMPARE_BINS; k++)
            acv_buf_printf(b, "%s%u", k ? "," : "", lv->bins[k]);
        acv_buf_puts(b, "],");
        size_t n_top = lv->n_scored < c->top ? lv->n_scored : c->top;
        key_open(b, "top", "[");
        json_ranked(b, c, l, 0, n_top);
        acv_buf_puts(b, "],");
        key_open(b, "bottom", "[");
        json_ranked(b, c, l, lv->n_scored - n_top, lv->n_scored);
        acv_buf_puts(b, "]}");
    }
    acv_buf_puts(b, "],");
    /* every area, ranked by the overall score, then those without one */
    key_open(b, "areas", "[");
    const acv_compare_level *overall = &c->levels[0];
    size_t written = 0;
    for (size_t pass = 0; pass < 2; pass++) {
        size_t n = pass == 0 ? overall->n_scored : c->n_areas;
        for (size_t i = 0; i < n; i++) {
            size_t a = pass == 0 ? overall->order[i] : i;
            if (pass == 1 && c->has[a * c->n_levels])
                continue;
            const acv_compare_entry *e = &c->areas[a];
            acv_buf_puts(b, written++ ? ",{" : "{");
            acv_buf_json_str_field(b, "code", e->code, 1);
            acv_buf_json_str_field(b, "name", e->name, 1);
            acv_buf_json_str_field(b, "country", e->country, 1);
            json_decimals(b, "population", e->has_population, e->population, 0, 1);
            acv_buf_json_num_field(b, "highlight", e->highlight, e->highlight, 1);
            key_open(b, "scores", "{");
            for (size_t l = 0; l < c->n_levels; l++) {
                double v;
                int has = acv_compare_many_score(c, a, l, &v);
                json_decimals(b, c->levels[l].code, has, v, 2, l + 1 < c->n_levels);
            }
            acv_buf_puts(b, "},");
            key_open(b, "ranks", "{");
            for (size_t l = 0; l < c->n_levels; l++) {
                unsigned r = c->ranks[a * c->n_levels + l];
                acv_buf_json_num_field(b, c->levels[l].code, r > 0, r, l + 1 < c->n_levels);
            }
            acv_buf_puts(b, "},");
            key_open(b, "run", "{");
            acv_buf_json_num_field(b, "id", 1, (double)e->run_id, 1);
            acv_buf_json_num_field(b, "year", 1, e->year, 1);
            acv_buf_json_str_field(b, "created_at", e->created_at, 1);
            acv_buf_json_str_field(b, "engine_version", e->engine_version, 1);
            acv_buf_json_str_field(b, "framework_hash", e->framework_hash, 1);
            acv_buf_json_str_field(b, "data_hash", e->data_hash, 1);
            acv_buf_json_str_field(b, "methods_hash", e->methods_hash, 1);
            acv_buf_json_str_field(b, "overlay", e->overlay, 0);
            acv_buf_puts(b, "}}");
        }
    }
    acv_buf_puts(b, "],");
    key_open(b, "not_compared", "[");
    for (size_t i = 0; i < c->n_skipped; i++) {
        acv_buf_puts(b, i ? "," : "");
        acv_buf_json_string(b, c->skipped[i]);
    }
    acv_buf_puts(b, "]}\n");
    if (b->failed)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory writing JSON");
    return ACV_OK;
}
