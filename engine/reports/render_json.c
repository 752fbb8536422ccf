/* render_json.c — the JSON renderer of the report model (schema: docs/report-json.md). */
#include "report.h"
#include "results.h"

#include <stdio.h>
#include <string.h>

static void group_fields(acv_buf *b, const acv_result *r)
{
    acv_buf_json_num_field(b, "score", r->code && r->has_score, r->score, 1);
    acv_buf_json_num_field(b, "n_scored", 1, r->code ? r->n_scored : 0, 1);
    acv_buf_json_num_field(b, "n_total", 1, r->code ? r->n_total : 0, 1);
    acv_buf_json_str_field(b, "note", r->code ? r->note : NULL, 0);
}

acv_status acv_render_json(const acv_report_model *m, acv_buf *b, acv_error *err)
{
    const acv_framework *fw = m->fw;
    acv_buf_puts(b, "{");
    acv_buf_json_str_field(b, "schema", "acvtrack-report/1", 1);
    acv_buf_json_key(b, "area");
    acv_buf_puts(b, "{");
    acv_buf_json_str_field(b, "code", m->code, 1);
    acv_buf_json_str_field(b, "name", m->name, 1);
    acv_buf_json_str_field(b, "level", m->level, 1);
    acv_buf_json_str_field(b, "country", m->country, 1);
    acv_buf_json_num_field(b, "population", m->has_population, m->population, 1);
    acv_buf_json_num_field(b, "population_year", m->has_population, m->population_year, 0);
    acv_buf_puts(b, "},");
    acv_buf_json_key(b, "run");
    acv_buf_puts(b, "{");
    acv_buf_json_num_field(b, "id", 1, (double)m->run_id, 1);
    acv_buf_json_num_field(b, "year", 1, m->year, 1);
    acv_buf_json_str_field(b, "created_at", m->created_at, 1);
    acv_buf_json_str_field(b, "engine_version", m->engine_version, 1);
    acv_buf_json_str_field(b, "framework_id", m->framework_id, 1);
    acv_buf_json_str_field(b, "framework_version", m->framework_version, 1);
    acv_buf_json_str_field(b, "framework_hash", m->framework_hash, 1);
    acv_buf_json_str_field(b, "data_hash", m->data_hash, 1);
    acv_buf_json_str_field(b, "methods_hash", m->methods_hash, 1);
    acv_buf_json_str_field(b, "overlay", m->overlay, 0);
    acv_buf_puts(b, "},");
    acv_buf_json_key(b, "overall");
    acv_buf_puts(b, "{");
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
    acv_buf_json_key(b, "pillars");
    acv_buf_puts(b, "[");
    for (size_t p = 0; p < fw->n_pillars; p++) {
        acv_buf_puts(b, p ? ",{" : "{");
        acv_buf_json_str_field(b, "id", fw->pillars[p].id, 1);
        acv_buf_json_str_field(b, "name", fw->pillars[p].name, 1);
        acv_buf_json_num_field(b, "weight", 1, fw->pillars[p].weight, 1);
        acv_buf_json_num_field(b, "alignment",
                               m->has_alignment && m->alignment_pillars[p].code &&
                                   m->alignment_pillars[p].has_score,
                               m->alignment_pillars[p].score, 1);
        group_fields(b, &m->pillars[p]);
        acv_buf_puts(b, "}");
    }
    acv_buf_puts(b, "],");
    acv_buf_json_key(b, "action_areas");
    acv_buf_puts(b, "[");
    for (size_t a = 0; a < fw->n_action_areas; a++) {
        const acv_action_area *area = &fw->action_areas[a];
        acv_buf_puts(b, a ? ",{" : "{");
        acv_buf_json_str_field(b, "id", area->id, 1);
        acv_buf_json_str_field(b, "pillar", fw->pillars[area->pillar].id, 1);
        acv_buf_json_str_field(b, "name", area->name, 1);
        acv_buf_json_num_field(b, "weight", 1, area->weight, 1);
        acv_buf_json_num_field(b, "alignment",
                               m->has_alignment && m->alignment_areas[a].code &&
                                   m->alignment_areas[a].has_score,
                               m->alignment_areas[a].score, 1);
        group_fields(b, &m->action_areas[a]);
        acv_buf_puts(b, "}");
    }
    acv_buf_puts(b, "],");
    acv_buf_json_key(b, "indicators");
    acv_buf_puts(b, "[");
    for (size_t i = 0; i < fw->n_indicators; i++) {
        const acv_indicator *ind = &fw->indicators[i];
        const acv_result *r = &m->indicators[i];
        const acv_action_area *area = &fw->action_areas[ind->action_area];
        acv_buf_puts(b, i ? ",{" : "{");
        acv_buf_json_str_field(b, "id", ind->id, 1);
        acv_buf_json_str_field(b, "name", ind->name, 1);
        acv_buf_json_str_field(b, "short_name", ind->short_name, 1);
        acv_buf_json_str_field(b, "action_area", area->id, 1);
        acv_buf_json_str_field(b, "pillar", fw->pillars[area->pillar].id, 1);
        acv_buf_json_key(b, "core");
        acv_buf_puts(b, ind->core ? "true," : "false,");
        acv_buf_json_key(b, "local");
        acv_buf_puts(b, ind->local ? "true," : "false,");
        acv_buf_json_key(b, "adapted");
        acv_buf_puts(b, ind->changed ? "true," : "false,");
        acv_buf_json_str_field(b, "not_applicable", ind->not_applicable, 1);
        acv_buf_json_str_field(b, "unit", ind->unit, 1);
        acv_buf_json_str_field(b, "direction", acv_direction_name(ind->direction), 1);
        acv_buf_json_num_field(b, "value", r->code && r->has_value, r->value, 1);
        acv_buf_json_str_field(b, "period", r->code ? r->period : NULL, 1);
        acv_buf_json_key(b, "imputed");
        acv_buf_puts(b, r->code && r->imputed ? "true," : "false,");
        acv_buf_json_num_field(b, "score", r->code && r->has_score, r->score, 1);
        acv_buf_json_str_field(b, "class", r->code ? r->class_name : NULL, 1);
        acv_buf_json_str_field(b, "class_label",
                               r->code && r->class_name ? acv_vocab_label(m->vocab, r->class_name) : NULL, 1);
        acv_buf_json_num_field(b, "target_gap", r->code && r->has_target_gap, r->target_gap, 1);
        acv_buf_json_key(b, "targets");
        acv_buf_puts(b, "{");
        for (size_t t = 0; t < ind->n_targets; t++) {
            char year[16], desc[160];
            snprintf(year, sizeof year, "%d", ind->targets[t].year);
            acv_target_describe(ind, &ind->targets[t], desc, sizeof desc);
            if (t)
                acv_buf_puts(b, ",");
            acv_buf_json_str_field(b, year, desc, 0);
        }
        acv_buf_puts(b, "},");
        acv_buf_json_key(b, "series");
        acv_buf_puts(b, "[");
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
    acv_buf_json_key(b, "priorities");
    acv_buf_puts(b, "[");
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
        acv_buf_json_key(b, "reasons");
        acv_buf_puts(b, "[");
        /* reasons are stored "; "-separated */
        const char *s = p->note ? p->note : "";
        int n = 0;
        while (*s) {
            const char *e = strstr(s, "; ");
            size_t len = e ? (size_t)(e - s) : strlen(s);
            char one[ACV_REASONS_MAX];
            if (len >= sizeof one)
                len = sizeof one - 1;
            memcpy(one, s, len);
            one[len] = '\0';
            if (n++)
                acv_buf_puts(b, ",");
            acv_buf_json_string(b, one);
            s += len + (e ? 2 : 0);
        }
        acv_buf_puts(b, "]}");
    }
    acv_buf_puts(b, "],");
    acv_buf_json_key(b, "overlay_changes");
    acv_buf_puts(b, "[");
    for (size_t i = 0; i < m->n_changes; i++) {
        if (i)
            acv_buf_puts(b, ",");
        acv_buf_json_string(b, m->changes[i]);
    }
    acv_buf_puts(b, "]}\n");
    if (b->failed)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory writing JSON");
    return ACV_OK;
}
