/* catalogue.c — the framework catalogue in Markdown; see catalogue.h. */
#include "catalogue.h"
#include "table.h"

#include <stdio.h>
#include <string.h>

/* Text in the catalogue's tables and lines; the catalogue has always kept < and & as written. */
static void text(acv_buf *b, const char *s)
{
    acv_buf_md_text(b, s, 0);
}

static void row(acv_buf *b, const char *label, const char *value)
{
    if (!value || !*value)
        return;
    acv_buf_printf(b, "| %s | ", label);
    text(b, value);
    acv_buf_puts(b, " |\n");
}

static void join(acv_buf *b, const char **items, size_t n)
{
    acv_buf_items(b, items, n, ", ", "", "", text);
}

/* A row listing items, with a note in brackets after them (may be NULL); none without items. */
static void list_row(acv_buf *b, const char *label, const char **items, size_t n, const char *note)
{
    if (!n)
        return;
    acv_buf_printf(b, "| %s | ", label);
    join(b, items, n);
    if (note)
        acv_buf_printf(b, " (%s)", note);
    acv_buf_puts(b, " |\n");
}

static const char *direction_words(acv_direction d)
{
    switch (d) {
    case ACV_DIR_HIGHER:
        return "higher is better";
    case ACV_DIR_LOWER:
        return "lower is better";
    case ACV_DIR_HIGHER_TO_CAP:
        return "higher is better, up to the best value (a cap)";
    case ACV_DIR_CONTEXTUAL:
        return "contextual: reported, not scored";
    }
    return "";
}

static const char *data_element_name(const acv_framework *fw, const char *id)
{
    for (size_t i = 0; i < fw->n_data_elements; i++)
        if (strcmp(fw->data_elements[i].id, id) == 0)
            return fw->data_elements[i].name;
    return "?";
}

static void indicator(acv_buf *b, const acv_framework *fw, const acv_indicator *ind)
{
    acv_buf_printf(b, "\n#### %s ", ind->id);
    text(b, ind->name);
    acv_buf_printf(b, " (%s)\n\n", ind->core ? "core" : "optional");
    text(b, ind->definition);
    acv_buf_puts(b, "\n\n| | |\n|---|---|\n");
    row(b, "Unit", ind->unit);
    row(b, "Direction", direction_words(ind->direction));
    if (ind->has_bounds) {
        char bounds[128];
        snprintf(bounds, sizeof bounds, "worst %g, best %g", ind->worst, ind->best);
        acv_buf_printf(b, "| Bounds | %s", bounds);
        if (ind->bounds_reason) {
            acv_buf_puts(b, ". ");
            text(b, ind->bounds_reason);
        }
        acv_buf_puts(b, " |\n");
    }
    for (size_t t = 0; t < ind->n_targets; t++) {
        const acv_target *tg = &ind->targets[t];
        char desc[160];
        acv_target_describe(ind, tg, desc, sizeof desc);
        acv_buf_printf(b, "| Target %d | %s (%s", tg->year, desc,
                       tg->provenance ? tg->provenance : "no provenance");
        if (tg->reference) {
            acv_buf_puts(b, ": ");
            text(b, tg->reference);
        }
        acv_buf_puts(b, ") |\n");
    }
    list_row(b, "SDG indicators", ind->sdg, ind->n_sdg, ind->sdg_relation);
    row(b, "ISO 37120", ind->iso37120);
    row(b, "UN-Habitat UMF", ind->umf);
    list_row(b, "ASEAN Smart Cities", ind->asus, ind->n_asus, NULL);
    list_row(b, "Other frameworks", ind->other_links, ind->n_other_links, NULL);
    row(b, "Data source", ind->data_source);
    row(b, "Frequency", ind->frequency);
    list_row(b, "Disaggregations", ind->disaggregations, ind->n_disaggregations, NULL);
    if (ind->has_formula) {
        acv_buf_printf(b, "| Formula | %g × %s (", ind->factor, ind->numerator);
        text(b, data_element_name(fw, ind->numerator));
        acv_buf_puts(b, ")");
        if (ind->denominator) {
            acv_buf_printf(b, " ÷ %s (", ind->denominator);
            text(b, data_element_name(fw, ind->denominator));
            acv_buf_puts(b, ")");
        }
        acv_buf_puts(b, " |\n");
    }
    if (ind->smoothing_years || ind->transform || ind->method) {
        acv_buf_puts(b, "| Scoring |");
        if (ind->smoothing_years)
            acv_buf_printf(b, " mean of the last %d years;", ind->smoothing_years);
        if (ind->transform)
            acv_buf_printf(b, " %s transform;", ind->transform);
        if (ind->method)
            acv_buf_printf(b, " method %s;", ind->method);
        acv_buf_puts(b, " |\n");
    }
}

acv_status acv_catalogue_markdown(const acv_framework *fw, acv_buf *b, acv_error *err)
{
    size_t core = 0;
    for (size_t i = 0; i < fw->n_indicators; i++)
        core += fw->indicators[i].core;
    acv_buf_puts(b, "# ");
    text(b, fw->name);
    acv_buf_printf(b,
                   ": indicator catalogue\n\nFramework `%s` version %s: %zu indicators (%zu core, "
                   "%zu optional) in %zu pillars and %zu action areas",
                   fw->id, fw->version, fw->n_indicators, core, fw->n_indicators - core,
                   fw->n_pillars, fw->n_action_areas);
    if (fw->n_questions)
        acv_buf_printf(b, ", with %zu self-assessment questions", fw->n_questions);
    acv_buf_puts(b, ".\n\n");
    if (fw->description) {
        text(b, fw->description);
        acv_buf_puts(b, "\n\n");
    }
    acv_buf_puts(b,
                 "Core indicators are the ones every ASEAN city reports; optional ones suit some "
                 "cities. Bounds are the worst and best realistic values for ASEAN cities: a "
                 "value at the worst bound scores 0 and one at the best scores 100. Targets name "
                 "their provenance: sdg, who, sendai, unga, asean, national, international, "
                 "best_performers or expert (an expert proposal to be validated locally).\n");
    if (fw->n_sources) {
        acv_buf_puts(b, "\nSources:\n\n");
        acv_buf_items(b, fw->sources, fw->n_sources, NULL, "- ", "\n", text);
    }
    acv_buf_puts(b, "\n## Contents\n\n");
    for (size_t p = 0; p < fw->n_pillars; p++) {
        acv_buf_printf(b, "- %s ", fw->pillars[p].id);
        text(b, fw->pillars[p].name);
        acv_buf_puts(b, ": ");
        int first = 1;
        for (size_t a = 0; a < fw->n_action_areas; a++) {
            if (fw->action_areas[a].pillar != p)
                continue;
            acv_buf_printf(b, "%s%s ", first ? "" : ", ", fw->action_areas[a].id);
            text(b, fw->action_areas[a].name);
            first = 0;
        }
        acv_buf_puts(b, "\n");
    }
    for (size_t p = 0; p < fw->n_pillars; p++) {
        const acv_pillar *pl = &fw->pillars[p];
        acv_buf_printf(b, "\n## %s ", pl->id);
        text(b, pl->name);
        acv_buf_puts(b, "\n\n");
        if (pl->community)
            acv_buf_printf(b, "ASEAN community pillar: %s. ", pl->community);
        if (pl->description)
            text(b, pl->description);
        acv_buf_puts(b, "\n");
        for (size_t a = 0; a < fw->n_action_areas; a++) {
            const acv_action_area *area = &fw->action_areas[a];
            if (area->pillar != p)
                continue;
            acv_buf_printf(b, "\n### %s ", area->id);
            text(b, area->name);
            acv_buf_puts(b, area->agmf_theme ? " (ASEAN Governors and Mayors Forum priority "
                                               "theme)\n\n"
                                             : "\n\n");
            if (area->description) {
                text(b, area->description);
                acv_buf_puts(b, "\n\n");
            }
            if (area->n_asus_focus) {
                acv_buf_puts(b, "ASEAN Smart Cities Framework focus: ");
                join(b, area->asus_focus, area->n_asus_focus);
                acv_buf_puts(b, ".\n\n");
            }
            if (area->n_goals) {
                acv_buf_puts(b, "Strategic-plan goals it serves:\n\n");
                for (size_t g = 0; g < area->n_goals; g++) {
                    acv_buf_printf(b, "- `%s`", area->goals[g].code);
                    if (area->goals[g].title) {
                        acv_buf_puts(b, " ");
                        text(b, area->goals[g].title);
                    }
                    if (!area->goals[g].verified)
                        acv_buf_puts(b, " (unverified: code only, wording to be confirmed)");
                    acv_buf_puts(b, "\n");
                }
                acv_buf_puts(b, "\n");
            }
            size_t nq = 0;
            for (size_t q = 0; q < fw->n_questions; q++) {
                const acv_question *qu = &fw->questions[q];
                if (qu->area != a)
                    continue;
                if (nq++ == 0)
                    acv_buf_puts(b, "Self-assessment questions (0-4 maturity):\n\n");
                acv_buf_printf(b, "%zu. **%s** ", nq, qu->id);
                text(b, qu->text);
                acv_buf_puts(b, " *(");
                join(b, qu->dimensions, qu->n_dimensions);
                acv_buf_puts(b, ")* Level 4: ");
                text(b, qu->level4);
                acv_buf_puts(b, "\n");
            }
            for (size_t i = 0; i < fw->n_indicators; i++)
                if (fw->indicators[i].action_area == a)
                    indicator(b, fw, &fw->indicators[i]);
        }
    }
    if (fw->n_data_elements) {
        acv_buf_puts(b, "\n## Data elements\n\nRaw figures that indicator formulas combine.\n\n"
                        "| Id | Name | Unit |\n|---|---|---|\n");
        for (size_t i = 0; i < fw->n_data_elements; i++) {
            acv_buf_printf(b, "| %s | ", fw->data_elements[i].id);
            text(b, fw->data_elements[i].name);
            acv_buf_puts(b, " | ");
            text(b, fw->data_elements[i].unit);
            acv_buf_puts(b, " |\n");
        }
    }
    if (b->failed)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory writing the catalogue");
    return ACV_OK;
}

static int sdg_matches(const acv_indicator *ind, const char *sdg)
{
    size_t n = strlen(sdg);
    for (size_t s = 0; s < ind->n_sdg; s++)
        if (strcmp(ind->sdg[s], sdg) == 0 ||
            (strncmp(ind->sdg[s], sdg, n) == 0 && ind->sdg[s][n] == '.'))
            return 1;
    return 0;
}

/* The unit and SDG columns wrap beyond these widths so the name stays on screen; a word wider
 * than that (no unit is cut) widens the column instead. */
static const acv_table_column LIST_COLUMNS[] = {
    {"ID", 0}, {"CORE", 0}, {"DIR", 0}, {"UNIT", 14}, {"SDG", 16}, {"NAME", 0},
};

acv_status acv_catalogue_list(const acv_framework *fw, const acv_catalogue_filter *filter,
                              acv_buf *out, size_t *shown, acv_error *err)
{
    static const acv_catalogue_filter all = {0};
    const acv_catalogue_filter *f = filter ? filter : &all;
    acv_table t;
    acv_table_init(&t, LIST_COLUMNS, sizeof LIST_COLUMNS / sizeof *LIST_COLUMNS);
    acv_buf sdg = {0};
    acv_status st = ACV_OK;
    *shown = 0;
    for (size_t i = 0; i < fw->n_indicators && st == ACV_OK; i++) {
        const acv_indicator *ind = &fw->indicators[i];
        const acv_action_area *area = &fw->action_areas[ind->action_area];
        if (f->pillar && strcmp(f->pillar, fw->pillars[area->pillar].id) != 0)
            continue;
        if ((f->core_only && !ind->core) || (f->optional_only && ind->core))
            continue;
        if (f->sdg && !sdg_matches(ind, f->sdg))
            continue;
        sdg.len = 0;
        acv_buf_puts(&sdg, "");
        for (size_t s = 0; s < ind->n_sdg; s++) {
            if (s)
                acv_buf_puts(&sdg, ",");
            acv_buf_puts(&sdg, ind->sdg[s]);
        }
        if (sdg.failed) {
            st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory listing the indicators");
            break;
        }
        const char *cells[] = {
            ind->id,  ind->core ? "yes" : "no", acv_direction_name(ind->direction), ind->unit,
            sdg.data, ind->short_name};
        st = acv_table_add(&t, cells, err);
        if (st == ACV_OK)
            (*shown)++;
    }
    if (st == ACV_OK) {
        acv_table_render(&t, out);
        if (out->failed)
            st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory listing the indicators");
    }
    acv_buf_free(&sdg);
    acv_table_free(&t);
    return st;
}
