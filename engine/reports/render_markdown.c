/*
 * render_markdown.c — everything acvtrack writes as Markdown: the report, the comparison, one
 * practice (`practices show`) and the report's "Practices from peer cities"; see render.h. Its
 * one escaper is acv_md_cell.
 */
#include "render.h"
#include "compare.h"
#include "format.h"
#include "practices.h"
#include "report.h"

#include <stdio.h>
#include <string.h>

/* The one Markdown escaper: text for a table cell or a line; a pipe would end the cell and a
 * newline the row; < and & are escaped. */
static void acv_md_cell(acv_buf *b, const char *s)
{
    acv_buf_md_text(b, s, 1);
}

static void score_cell(acv_buf *b, const acv_result *r)
{
    if (r->code && r->has_score)
        acv_buf_printf(b, "%.1f", r->score);
    else
        acv_buf_puts(b, "—");
}

/* A group's score, or its provisional score in italics with its coverage, never mistaken for an
 * official one: "*41.2* (provisional: 1 of 3 core indicators)". */
static void group_score_cell(acv_buf *b, const acv_result *r)
{
    if (r->code && !r->has_score && r->has_provisional) {
        char coverage[96];
        acv_format_coverage(coverage, sizeof coverage, r->n_core_scored, r->n_core_total);
        acv_buf_printf(b, "*%.1f* (%s)", r->provisional, coverage);
    } else {
        score_cell(b, r);
    }
}

/* The heading and header of the pillars' or the action areas' table: head ends with the header
 * cells and rule aligns them; a run with a self-assessment adds the alignment column. */
static void group_table_head(acv_buf *b, const char *head, const char *rule, int alignment)
{
    acv_buf_puts(b, head);
    if (alignment)
        acv_buf_puts(b, " Alignment |");
    acv_buf_printf(b, "\n%s%s\n", rule, alignment ? "---:|" : "");
}

/* A pillar's or an action area's row: its score, how many of its parts were scored, its note
 * when with_note, and its self-assessment alignment when alignment is not NULL. */
static void group_table_row(acv_buf *b, const char *id, const char *name, const acv_result *r,
                            int with_note, const acv_result *alignment)
{
    acv_buf_printf(b, "| %s ", id);
    acv_md_cell(b, name);
    acv_buf_puts(b, " | ");
    group_score_cell(b, r);
    acv_buf_printf(b, " | %d of %d |", r->code ? r->n_scored : 0, r->code ? r->n_total : 0);
    if (with_note) {
        acv_buf_puts(b, " ");
        acv_md_cell(b, r->code ? r->note : NULL);
        acv_buf_puts(b, " |");
    }
    if (alignment) {
        acv_buf_puts(b, " ");
        score_cell(b, alignment);
        acv_buf_puts(b, " |");
    }
    acv_buf_puts(b, "\n");
}

acv_status acv_render_markdown(const acv_report_model *m, acv_buf *b, acv_error *err)
{
    const acv_framework *fw = m->fw;
    acv_buf_puts(b, "# ACV 2045 localisation report: ");
    acv_md_cell(b, m->name);
    acv_buf_puts(b, "\n\n| | |\n|---|---|\n| Area | ");
    acv_md_cell(b, m->name);
    acv_buf_printf(b, " (`%s`), %s", m->code, m->level);
    if (m->country)
        acv_buf_printf(b, " in %s", m->country);
    if (m->has_population)
        acv_buf_printf(b, ", population %.0f (%d)", m->population, m->population_year);
    acv_buf_printf(b, " |\n| Year | %d", m->year);
    if (m->year_local[0])
        acv_buf_printf(b, " (%s)", m->year_local);
    acv_buf_puts(b, " |\n| Framework | ");
    acv_md_cell(b, fw->name);
    acv_buf_printf(b, " (%s %s) |\n", m->framework_id, m->framework_version);
    if (m->overlay) {
        acv_buf_puts(b, "| City adaptation | ");
        acv_md_cell(b, m->overlay);
        acv_buf_printf(b, " (%zu changes, listed below) |\n", m->n_changes);
    }
    acv_buf_printf(b, "| Scored | %s (run %lld) |\n\n", m->created_at, (long long)m->run_id);

    acv_buf_puts(b, "## Overall\n\n");
    if (m->overall.code && m->overall.has_score)
        acv_buf_printf(b, "**%.1f** out of 100, from %d of %d pillars.", m->overall.score,
                       m->overall.n_scored, m->overall.n_total);
    else {
        acv_buf_puts(b, "No overall score");
        if (m->overall.note) {
            acv_buf_puts(b, ": ");
            acv_md_cell(b, m->overall.note);
        }
        acv_buf_puts(b, ".");
    }
    if (m->has_alignment && m->alignment_overall.code && m->alignment_overall.has_score)
        acv_buf_printf(b, " Self-assessment alignment: **%.1f** out of 100.",
                       m->alignment_overall.score);
    acv_buf_puts(b, "\n\n");
    if (m->overall.code && !m->overall.has_score && m->overall.has_provisional) {
        char coverage[96];
        acv_format_coverage(coverage, sizeof coverage, m->overall.n_core_scored,
                            m->overall.n_core_total);
        acv_buf_printf(b,
                       "Provisional score: *%.1f* out of 100 (%s). It rests on the data there "
                       "is, below the framework's availability rules: not an official score, "
                       "not comparable with other cities'.\n\n",
                       m->overall.provisional, coverage);
    }
    if (m->n_collect_first) {
        acv_buf_puts(b, "## Collect these first\n\nThe official overall score needs data for "
                        "more core indicators. These would give it, cheapest to collect first "
                        "(by the kind of their data source):\n\n| # | Indicator | Kind of "
                        "source | Data source |\n|---:|---|---|---|\n");
        for (size_t k = 0; k < m->n_collect_first; k++) {
            const acv_indicator *ind = &fw->indicators[m->collect_first[k]];
            const acv_result *r = &m->indicators[m->collect_first[k]];
            acv_buf_printf(b, "| %zu | %s ", k + 1, ind->id);
            acv_md_cell(b, ind->short_name);
            acv_buf_puts(b, " | ");
            acv_md_cell(b, r->collect_source);
            acv_buf_puts(b, " | ");
            acv_md_cell(b, ind->data_source);
            acv_buf_puts(b, " |\n");
        }
        acv_buf_puts(b, "\n");
    }

    if (m->n_priorities) {
        acv_buf_puts(b, "## Priority action areas\n\n| Rank | Action area | Priority | Why "
                        "|\n|---:|---|---:|---|\n");
        for (size_t i = 0; i < m->n_priorities; i++) {
            const acv_result *p = &m->priorities[i];
            if (!p->code)
                continue;
            long a = acv_framework_find_action_area(fw, p->code);
            acv_buf_printf(b, "| %zu | %s ", i + 1, p->code);
            acv_md_cell(b, a >= 0 ? fw->action_areas[a].name : "");
            acv_buf_printf(b, " | %.1f | ", p->value);
            acv_md_cell(b, p->note);
            acv_buf_puts(b, " |\n");
        }
        acv_buf_puts(b, "\n");
    }
    if (m->n_no_data) {
        acv_buf_puts(b, "## No data yet\n\nNone of the indicators of these action areas has data, "
                        "so they are not ranked: a self-assessment alone does not make an area a "
                        "priority.\n\n");
        for (size_t i = 0; i < m->n_no_data; i++) {
            const acv_result *p = &m->no_data[i];
            long a = acv_framework_find_action_area(fw, p->code);
            acv_buf_printf(b, "- %s ", p->code);
            acv_md_cell(b, a >= 0 ? fw->action_areas[a].name : "");
            if (p->note) {
                acv_buf_puts(b, ": ");
                acv_md_cell(b, p->note);
            }
            acv_buf_puts(b, "\n");
        }
        acv_buf_puts(b, "\n");
    }

    group_table_head(b, "## Pillars\n\n| Pillar | Score | Action areas scored |", "|---|---:|---:|",
                     m->has_alignment);
    for (size_t p = 0; p < fw->n_pillars; p++)
        group_table_row(b, fw->pillars[p].id, fw->pillars[p].name, &m->pillars[p], 0,
                        m->has_alignment ? &m->alignment_pillars[p] : NULL);

    group_table_head(b, "\n## Action areas\n\n| Action area | Score | Indicators scored | Note |",
                     "|---|---:|---:|---|", m->has_alignment);
    for (size_t a = 0; a < fw->n_action_areas; a++)
        group_table_row(b, fw->action_areas[a].id, fw->action_areas[a].name, &m->action_areas[a], 1,
                        m->has_alignment ? &m->alignment_areas[a] : NULL);

    acv_buf_puts(b, "\n## Indicators\n\nProgress shows the class and a symbol: ✓ achieved, ↑ on "
                    "track, ➚ needs acceleration, → stagnating or limited, ↓ moving away, ? not "
                    "enough data. *Imputed* values were carried forward or interpolated.\n");
    for (size_t p = 0; p < fw->n_pillars; p++) {
        acv_buf_printf(b, "\n### %s ", fw->pillars[p].id);
        acv_md_cell(b, fw->pillars[p].name);
        acv_buf_puts(b, "\n\n| Indicator | Value | Unit | Year | Target 2030 | Score | Progress | "
                        "Note |\n|---|---:|---|---|---|---:|---|---|\n");
        for (size_t i = 0; i < fw->n_indicators; i++) {
            const acv_indicator *ind = &fw->indicators[i];
            if (fw->action_areas[ind->action_area].pillar != p)
                continue;
            const acv_result *r = &m->indicators[i];
            acv_buf_printf(b, "| %s ", ind->id);
            acv_md_cell(b, ind->short_name);
            if (!ind->core)
                acv_buf_puts(b, " (optional)");
            if (ind->local)
                acv_buf_puts(b, " (local)");
            else if (ind->changed)
                acv_buf_puts(b, " (adapted)");
            acv_buf_puts(b, " | ");
            if (r->code && r->has_value) {
                char v[64];
                acv_format_value(v, sizeof v, r->value);
                acv_buf_puts(b, v);
                if (r->imputed)
                    acv_buf_puts(b, " *imputed*");
            } else {
                acv_buf_puts(b, "—");
            }
            acv_buf_puts(b, " | ");
            acv_md_cell(b, ind->unit);
            acv_buf_puts(b, " | ");
            acv_md_cell(b, r->code && r->period ? r->period : "—");
            acv_buf_puts(b, " | ");
            char target[160];
            acv_target_describe(ind, acv_indicator_target(ind, 2030), target, sizeof target);
            acv_md_cell(b, target);
            acv_buf_puts(b, " | ");
            score_cell(b, r);
            acv_buf_puts(b, " | ");
            if (r->code && r->class_name) {
                char progress[256];
                acv_format_progress(progress, sizeof progress, m->vocab, r->class_name);
                acv_buf_puts(b, progress);
            }
            acv_buf_puts(b, " | ");
            acv_md_cell(b, r->code ? r->note : "not scored in this run");
            acv_buf_puts(b, " |\n");
        }
    }

    acv_render_practices_markdown(m->practices, fw, b);

    if (m->n_changes) {
        acv_buf_puts(b, "\n## What this city changed against the ASEAN framework\n\nScores of "
                        "adapted indicators are not comparable with other cities'; the unchanged "
                        "core indicators are.\n\n");
        acv_buf_items(b, m->changes, m->n_changes, NULL, "- ", "\n", acv_md_cell);
    }

    acv_buf_printf(b,
                   "\n## How these numbers were made\n\n"
                   "Indicator values up to %d are placed between the framework's worst and best "
                   "values for ASEAN cities and scaled to 0-100 (higher is always better; values "
                   "beyond the bounds are clamped). Action-area, pillar and overall scores are "
                   "weighted means of the scores below them, given only when enough data exist. "
                   "Alignment is the self-assessment: the mean maturity level of the answers "
                   "(0-4) times 25. The formulas are the Lua scripts in `scripts/`; see "
                   "`docs/methodology.md`. A dash means no data or no score.\n\n"
                   "Reproducibility: acvtrack %s · framework `%.12s` · data `%.12s` · methods "
                   "`%.12s`\n",
                   m->year, m->engine_version, m->framework_hash, m->data_hash, m->methods_hash);
    if (b->failed)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory writing the report");
    return ACV_OK;
}

/* ---- the comparison ---------------------------------------------------------------------- */

/* ---- Markdown ---------------------------------------------------------------------------- */

static void md_number(acv_buf *b, double v)
{
    char s[64];
    acv_format_number(s, sizeof s, v);
    acv_buf_puts(b, s);
}

static void md_score(acv_buf *b, int has, double v)
{
    if (has)
        acv_buf_printf(b, "%.1f", v);
    else
        acv_buf_puts(b, "—");
}

/* A score as a table cell of its own, after the previous one. */
static void md_score_cell(acv_buf *b, int has, double v)
{
    acv_buf_puts(b, " ");
    md_score(b, has, v);
    acv_buf_puts(b, " |");
}

static void country_name(acv_buf *b, const char *country)
{
    acv_md_cell(b, country ? country : "no country");
    acv_buf_puts(b, " (population-weighted)");
}

static void md_table_head(acv_buf *b, const acv_compare_model *c, const char *first)
{
    acv_buf_printf(b, "| %s |", first);
    for (size_t a = 0; a < c->n_areas; a++) {
        acv_buf_puts(b, " ");
        acv_md_cell(b, c->areas[a].m->name);
        acv_buf_puts(b, " |");
    }
    for (size_t j = 0; j < c->n_countries; j++) {
        acv_buf_puts(b, " ");
        country_name(b, c->countries[j].country);
        acv_buf_puts(b, " |");
    }
    acv_buf_puts(b, "\n|---|");
    for (size_t k = 0; k < c->n_areas + c->n_countries; k++)
        acv_buf_puts(b, "---:|");
    acv_buf_puts(b, "\n");
}

acv_status acv_render_compare_markdown(const acv_compare_model *c, acv_buf *b, acv_error *err)
{
    const acv_framework *fw = c->fw;
    acv_buf_puts(b, "# ACV 2045 comparison: ");
    acv_compare_names(c, b, acv_md_cell);
    acv_buf_puts(b, "\n\n");
    if (c->year)
        acv_buf_printf(b, "Results for %d. ", c->year);
    else
        acv_buf_puts(b, "Each area's latest scoring run. ");
    acv_buf_printf(b,
                   "Compared on the %zu core indicators that every area applies (%zu of them "
                   "with data).\n\n",
                   c->n_common, c->n_common_with_data);
    acv_buf_puts(b, "| Area | Country | Population | Year | City adaptation | Run |\n"
                    "|---|---|---:|---:|---|---|\n");
    for (size_t a = 0; a < c->n_areas; a++) {
        const acv_report_model *m = c->areas[a].m;
        acv_buf_puts(b, "| ");
        acv_md_cell(b, m->name);
        acv_buf_puts(b, " (`");
        acv_md_cell(b, m->code);
        acv_buf_puts(b, "`) | ");
        acv_md_cell(b, m->country ? m->country : "—");
        acv_buf_puts(b, " | ");
        if (m->has_population) {
            md_number(b, m->population);
            acv_buf_printf(b, " (%d)", m->population_year);
        } else
            acv_buf_puts(b, "—");
        acv_buf_printf(b, " | %d | ", m->year);
        if (m->overlay) {
            acv_md_cell(b, m->overlay);
            acv_buf_printf(b, " (%zu changes)", m->n_changes);
        } else
            acv_buf_puts(b, "none");
        acv_buf_printf(b, " | run %lld, %s, framework `%.12s`, data `%.12s`, methods `%.12s` |\n",
                       (long long)m->run_id, m->created_at, m->framework_hash, m->data_hash,
                       m->methods_hash);
    }
    if (c->n_skipped) {
        acv_buf_puts(b, "\nNot compared, no scoring run: ");
        acv_buf_items(b, c->skipped, c->n_skipped, "; ", "", "", acv_md_cell);
        acv_buf_puts(b, ".\n");
    }

    acv_buf_puts(b, "\n## Overall and pillars\n\n");
    md_table_head(b, c, "Score (0-100)");
    acv_buf_puts(b, "| Overall |");
    for (size_t a = 0; a < c->n_areas; a++) {
        const acv_report_model *m = c->areas[a].m;
        md_score_cell(b, m->overall.code && m->overall.has_score, m->overall.score);
    }
    for (size_t j = 0; j < c->n_countries; j++)
        md_score_cell(b, c->countries[j].overall.has, c->countries[j].overall.value);
    acv_buf_puts(b, "\n");
    for (size_t p = 0; p < fw->n_pillars; p++) {
        acv_buf_printf(b, "| %s ", fw->pillars[p].id);
        acv_md_cell(b, fw->pillars[p].name);
        acv_buf_puts(b, " |");
        for (size_t a = 0; a < c->n_areas; a++) {
            const acv_result *r = &c->areas[a].m->pillars[p];
            md_score_cell(b, r->code && r->has_score, r->score);
        }
        for (size_t j = 0; j < c->n_countries; j++)
            md_score_cell(b, c->countries[j].pillars[p].has, c->countries[j].pillars[p].value);
        acv_buf_puts(b, "\n");
    }

    acv_buf_puts(b, "\n## Common core indicators\n\nScore (0-100), then the latest value and its "
                    "year, then the progress symbol (✓ achieved, ↑ on track, ➚ needs "
                    "acceleration, → stagnating, ↓ moving away, ? not enough data). † marks a "
                    "score the city's own adaptation changed: not comparable, and left out of "
                    "the country figure. A dash means no data.\n\n");
    md_table_head(b, c, "Indicator");
    for (size_t i = 0; i < fw->n_indicators; i++) {
        if (!c->common[i] || !acv_compare_has_data(c, i))
            continue;
        const acv_indicator *ind = &fw->indicators[i];
        acv_buf_printf(b, "| %s ", ind->id);
        acv_md_cell(b, ind->short_name);
        acv_buf_puts(b, " |");
        for (size_t a = 0; a < c->n_areas; a++) {
            const acv_result *r = &c->areas[a].m->indicators[i];
            acv_buf_puts(b, " ");
            if (r->code && r->has_value) {
                md_score(b, r->has_score, r->score);
                if (c->areas[a].adapted[i])
                    acv_buf_puts(b, "†");
                acv_buf_puts(b, " (");
                md_number(b, r->value);
                if (r->imputed)
                    acv_buf_puts(b, " *imputed*");
                acv_buf_puts(b, ", ");
                acv_md_cell(b, r->period);
                acv_buf_puts(b, ")");
                const char *sym = acv_vocab_symbol(c->areas[a].m->vocab, r->class_name);
                if (r->class_name && *sym)
                    acv_buf_printf(b, " %s", sym);
            } else
                acv_buf_puts(b, "—");
            acv_buf_puts(b, " |");
        }
        for (size_t j = 0; j < c->n_countries; j++)
            md_score_cell(b, c->countries[j].indicators[i].has,
                          c->countries[j].indicators[i].value);
        acv_buf_puts(b, "\n");
    }
    if (c->n_common > c->n_common_with_data)
        acv_buf_printf(b,
                       "\n%zu further common core indicators have no data in any compared "
                       "area.\n",
                       c->n_common - c->n_common_with_data);

    acv_buf_puts(b, "\n## Country figures\n\nA country figure is the mean of its compared "
                    "cities' scores weighted by population, Σ population × score ÷ Σ "
                    "population, over the cities that have both (see docs/reports.md). It "
                    "describes the compared cities, not the whole country.\n");
    for (size_t j = 0; j < c->n_countries; j++) {
        const acv_compare_country *cc = &c->countries[j];
        acv_buf_puts(b, "\n- **");
        acv_md_cell(b, cc->country ? cc->country : "no country");
        acv_buf_printf(b, "**: %zu cit%s, population ", cc->n_members,
                       cc->n_members == 1 ? "y" : "ies");
        md_number(b, cc->population);
        acv_buf_puts(b, cc->n_members ? ". Weights:"
                                      : ". No city with a population: no country "
                                        "figure");
        for (size_t k = 0; k < cc->n_members; k++) {
            for (size_t a = 0; a < c->n_areas; a++) {
                const acv_report_model *m = c->areas[a].m;
                if (strcmp(m->code, cc->members[k]) != 0)
                    continue;
                acv_buf_puts(b, k ? ", " : " ");
                acv_md_cell(b, m->code);
                acv_buf_printf(b, " %.1f%%", 100.0 * m->population / cc->population);
            }
        }
        acv_buf_puts(b, ".");
        if (cc->n_excluded) {
            acv_buf_puts(b, " Left out, no population recorded: ");
            acv_buf_items(b, cc->excluded, cc->n_excluded, ", ", "", "", acv_md_cell);
            acv_buf_puts(b, ".");
        }
        acv_buf_puts(b, "\n");
    }
    if (b->failed)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory writing the comparison");
    return ACV_OK;
}

/* ---- the comparison of many areas --------------------------------------------------------- */

static void md_many_score(acv_buf *b, int has, double v)
{
    char s[32];
    if (!has) {
        acv_buf_puts(b, "—");
        return;
    }
    acv_format_score(s, sizeof s, v);
    acv_buf_puts(b, s);
}

static void md_level_name(acv_buf *b, const acv_compare_level *lv)
{
    if (strcmp(lv->level, "overall") != 0) {
        acv_md_cell(b, lv->code);
        acv_buf_puts(b, " ");
    }
    acv_md_cell(b, lv->name);
}

static void md_area(acv_buf *b, const acv_compare_entry *e)
{
    acv_md_cell(b, e->name);
    acv_buf_puts(b, " (`");
    acv_md_cell(b, e->code);
    acv_buf_puts(b, "`)");
    if (e->highlight)
        acv_buf_printf(b, " ◆%d", e->highlight);
}

/* One list of the top or bottom N of a level: rank, area, country, score. */
static void md_ranked_rows(acv_buf *b, const acv_compare_many *c, size_t l, size_t from, size_t to)
{
    const acv_compare_level *lv = &c->levels[l];
    for (size_t i = from; i < to; i++) {
        size_t a = lv->order[i];
        double v;
        int has = acv_compare_many_score(c, a, l, &v);
        acv_buf_printf(b, "| %u | ", c->ranks[a * c->n_levels + l]);
        md_area(b, &c->areas[a]);
        acv_buf_puts(b, " | ");
        acv_md_cell(b, c->areas[a].country ? c->areas[a].country : "—");
        acv_buf_puts(b, " | ");
        md_many_score(b, has, v);
        acv_buf_puts(b, " |\n");
    }
}

static void md_stamp_line(acv_buf *b, const acv_compare_many *c, const char *label,
                          acv_compare_stamp_field f, int code)
{
    const char *values[8];
    size_t counts[8], n = acv_compare_many_distinct(c, f, values, counts, 8), listed = 0;
    acv_buf_printf(b, "- %s: ", label);
    for (size_t i = 0; i < n; i++) {
        acv_buf_puts(b, i ? ", " : "");
        if (!values[i])
            acv_buf_puts(b, "none");
        else if (code) {
            acv_buf_puts(b, "`");
            acv_buf_printf(b, "%.12s", values[i]);
            acv_buf_puts(b, "`");
        } else
            acv_md_cell(b, values[i]);
        acv_buf_printf(b, " (%zu run%s)", counts[i], counts[i] == 1 ? "" : "s");
        listed += counts[i];
    }
    if (listed < c->n_areas)
        acv_buf_printf(b, ", and %zu runs with other values", c->n_areas - listed);
    acv_buf_puts(b, "\n");
}

acv_status acv_render_compare_many_markdown(const acv_compare_many *c, acv_buf *b, acv_error *err)
{
    acv_buf_puts(b, "# ACV 2045 comparison: ");
    acv_md_cell(b, c->group);
    acv_buf_printf(b, ", %zu areas\n\n", c->n_areas);
    if (c->year)
        acv_buf_printf(b, "Results for %d. ", c->year);
    else
        acv_buf_puts(b, "Each area's latest scoring run. ");
    acv_buf_printf(b,
                   "%zu areas compared on their official overall, pillar and action-area "
                   "scores (0-100)",
                   c->n_areas);
    if (c->n_skipped)
        acv_buf_printf(b, "; %zu without a scoring run are listed under “Not compared”",
                       c->n_skipped);
    acv_buf_puts(b, ". The complete ranked table is in the CSV and JSON formats.\n\n");
    if (c->n_highlighted) {
        acv_buf_puts(b, "Highlighted:");
        for (size_t h = 0; h < c->n_highlighted; h++) {
            acv_buf_puts(b, h ? "," : "");
            acv_buf_puts(b, " ");
            md_area(b, &c->areas[c->highlighted[h]]);
        }
        acv_buf_puts(b, ".\n\n");
    }
    acv_buf_puts(b, "## Distribution of scores\n\nQuartiles interpolate linearly between the "
                    "scores in order; areas without an official score at a level are not "
                    "counted there, never as zero. The population-weighted figure weighs each "
                    "scored area by its population (areas without one are left out).\n\n"
                    "| Score (0-100) | Areas scored | Min | Q1 | Median | Q3 | Max | "
                    "Population-weighted |");
    for (size_t h = 0; h < c->n_highlighted; h++) {
        acv_buf_puts(b, " ");
        md_area(b, &c->areas[c->highlighted[h]]);
        acv_buf_puts(b, " |");
    }
    acv_buf_puts(b, "\n|---|---:|---:|---:|---:|---:|---:|---:|");
    for (size_t h = 0; h < c->n_highlighted; h++)
        acv_buf_puts(b, "---:|");
    acv_buf_puts(b, "\n");
    for (size_t l = 0; l < c->n_levels; l++) {
        const acv_compare_level *lv = &c->levels[l];
        int has = lv->n_scored > 0;
        acv_buf_puts(b, "| ");
        md_level_name(b, lv);
        acv_buf_printf(b, " | %zu | ", lv->n_scored);
        md_many_score(b, has, lv->min);
        acv_buf_puts(b, " | ");
        md_many_score(b, has, lv->q1);
        acv_buf_puts(b, " | ");
        md_many_score(b, has, lv->median);
        acv_buf_puts(b, " | ");
        md_many_score(b, has, lv->q3);
        acv_buf_puts(b, " | ");
        md_many_score(b, has, lv->max);
        acv_buf_puts(b, " | ");
        md_many_score(b, lv->weighted.has, lv->weighted.value);
        acv_buf_puts(b, " |");
        for (size_t h = 0; h < c->n_highlighted; h++) {
            size_t a = c->highlighted[h];
            double v;
            int hs = acv_compare_many_score(c, a, l, &v);
            acv_buf_puts(b, " ");
            md_many_score(b, hs, v);
            if (hs)
                acv_buf_printf(b, " (rank %u of %zu)", c->ranks[a * c->n_levels + l], lv->n_scored);
            acv_buf_puts(b, " |");
        }
        acv_buf_puts(b, "\n");
    }
    acv_buf_printf(b,
                   "\n## Top and bottom %zu\n\nRanks are standard competition ranks: equal "
                   "scores share a rank and the next rank skips as many places.\n",
                   c->top);
    for (size_t l = 0; l < c->n_levels; l++) {
        const acv_compare_level *lv = &c->levels[l];
        acv_buf_puts(b, "\n### ");
        md_level_name(b, lv);
        acv_buf_puts(b, "\n\n");
        if (!lv->n_scored) {
            acv_buf_puts(b, "No compared area has an official score here.\n");
            continue;
        }
        acv_buf_puts(b, "| Rank | Area | Country | Score |\n|---:|---|---|---:|\n");
        if (lv->n_scored <= 2 * c->top)
            md_ranked_rows(b, c, l, 0, lv->n_scored);
        else {
            md_ranked_rows(b, c, l, 0, c->top);
            acv_buf_printf(b, "| … | %zu areas between | | |\n", lv->n_scored - 2 * c->top);
            md_ranked_rows(b, c, l, lv->n_scored - c->top, lv->n_scored);
        }
    }
    if (c->n_skipped) {
        acv_buf_puts(b, "\n## Not compared\n\n");
        acv_buf_items(b, c->skipped, c->n_skipped, "\n", "- ", "", acv_md_cell);
        acv_buf_puts(b, "\n");
    }
    const char *first, *last;
    acv_compare_many_run_times(c, &first, &last);
    acv_buf_printf(b, "\n## Runs compared\n\n%zu runs, scored from ", c->n_areas);
    acv_md_cell(b, first ? first : "?");
    acv_buf_puts(b, " to ");
    acv_md_cell(b, last ? last : "?");
    acv_buf_puts(b, ". Each area's run id and data hash are in the CSV and JSON formats.\n\n");
    md_stamp_line(b, c, "acvtrack", ACV_STAMP_ENGINE, 0);
    md_stamp_line(b, c, "framework", ACV_STAMP_FRAMEWORK, 1);
    md_stamp_line(b, c, "methods", ACV_STAMP_METHODS, 1);
    md_stamp_line(b, c, "city overlay", ACV_STAMP_OVERLAY, 0);
    if (b->failed)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory writing the comparison");
    return ACV_OK;
}

/* ---- practices ----------------------------------------------------------------------------- */

static void years_text(acv_buf *b, int from, int to)
{
    if (!to)
        acv_buf_printf(b, "%d onwards", from);
    else if (to == from)
        acv_buf_printf(b, "%d", from);
    else
        acv_buf_printf(b, "%d–%d", from, to);
}

/* A labelled line of the practice's table; none without a value. */
static void md_line(acv_buf *b, const char *label, const char *value)
{
    if (!value)
        return;
    acv_buf_printf(b, "| %s | ", label);
    acv_md_cell(b, value);
    acv_buf_puts(b, " |\n");
}

static void md_list_line(acv_buf *b, const char *label, const char *const *items, size_t n)
{
    if (!n)
        return;
    acv_buf_printf(b, "| %s | ", label);
    acv_buf_items(b, items, n, "; ", "", "", acv_md_cell);
    acv_buf_puts(b, " |\n");
}

/* The next cell: an observed value and its period, or a dash. */
static void observed_cell(acv_buf *b, int has, double value, const char *period)
{
    acv_buf_puts(b, " | ");
    if (!has) {
        acv_buf_puts(b, "—");
        return;
    }
    char v[64];
    acv_format_value(v, sizeof v, value);
    acv_buf_printf(b, "%s (%s)", v, period);
}

/* "better" when the change goes the indicator's way, from its direction in the framework. */
static const char *change_word(const acv_framework *fw, const char *indicator, double delta)
{
    if (delta == 0)
        return "no change";
    long i = fw ? acv_framework_find_indicator(fw, indicator) : -1;
    if (i < 0)
        return NULL;
    switch (fw->indicators[i].direction) {
    case ACV_DIR_HIGHER:
    case ACV_DIR_HIGHER_TO_CAP:
        return delta > 0 ? "better" : "worse";
    case ACV_DIR_LOWER:
        return delta < 0 ? "better" : "worse";
    case ACV_DIR_CONTEXTUAL:
        break;
    }
    return NULL;
}

acv_status acv_render_practice_markdown(const acv_practice_detail *d, const acv_framework *fw,
                                        acv_buf *b, acv_error *err)
{
    const acv_practice *p = &d->practice;
    acv_buf_printf(b, "# %s ", p->id);
    acv_md_cell(b, p->title);
    acv_buf_puts(b, "\n\n");
    if (p->illustrative)
        acv_buf_puts(b, "> **Illustrative example, not a verified case.** It shows how a practice "
                        "is recorded; do not cite it.\n\n");
    acv_buf_puts(b, "| | |\n|---|---|\n| City | ");
    if (d->city_name) {
        acv_md_cell(b, d->city_name);
        acv_buf_printf(b, " (`%s`)", p->city);
        if (d->country)
            acv_buf_printf(b, ", %s", d->country);
        if (d->has_population)
            acv_buf_printf(b, ", population %.0f (%d)", d->population, d->population_year);
    } else {
        acv_buf_printf(b,
                       "`%s` (not in this workspace: import its area to see it, and its "
                       "observations for the values below)",
                       p->city);
    }
    acv_buf_puts(b, " |\n| Years | ");
    years_text(b, p->year_from, p->year_to);
    acv_buf_printf(b, " |\n| Pillar | %s", p->pillar);
    long pi = fw ? acv_framework_find_pillar(fw, p->pillar) : -1;
    if (pi >= 0) {
        acv_buf_puts(b, " ");
        acv_md_cell(b, fw->pillars[pi].name);
    }
    acv_buf_puts(b, " |\n| Action areas | ");
    for (size_t i = 0; i < p->n_action_areas; i++) {
        long a = fw ? acv_framework_find_action_area(fw, p->action_areas[i]) : -1;
        if (i)
            acv_buf_puts(b, "; ");
        acv_md_cell(b, p->action_areas[i]);
        if (a >= 0) {
            acv_buf_puts(b, " ");
            acv_md_cell(b, fw->action_areas[a].name);
        }
    }
    acv_buf_puts(b, " |\n");
    md_line(b, "Cost", p->cost);
    md_line(b, "Funding", p->funding);
    md_list_line(b, "Partners", p->partners, p->n_partners);
    md_list_line(b, "Contacts", p->contacts, p->n_contacts);
    md_list_line(b, "Tags", p->tags, p->n_tags);
    acv_buf_puts(b, "| Source | ");
    acv_md_cell(b, p->file);
    acv_buf_printf(b, ":%d |\n\n## Summary\n\n", p->line);
    acv_md_cell(b, p->summary);
    acv_buf_puts(b, "\n\n## What was done\n\n");
    acv_md_cell(b, p->what_was_done);
    acv_buf_puts(b, "\n");

    if (d->n_changes) {
        acv_buf_printf(b,
                       "\n## Indicators before and after\n\n"
                       "From the city's own observations in this workspace: the latest before "
                       "%d, when the practice started, and the latest after %d. They show what "
                       "changed, not that the practice caused it.\n\n"
                       "| Indicator | Before | After | Change |\n|---|---:|---:|---|\n",
                       p->year_from, p->year_from);
        for (size_t i = 0; i < d->n_changes; i++) {
            const acv_practice_change *c = &d->changes[i];
            long ii = fw ? acv_framework_find_indicator(fw, c->indicator) : -1;
            acv_buf_printf(b, "| %s", c->indicator);
            if (ii >= 0) {
                acv_buf_puts(b, " ");
                acv_md_cell(b, fw->indicators[ii].short_name);
            }
            observed_cell(b, c->has_before, c->before_value, c->before_period);
            observed_cell(b, c->has_after, c->after_value, c->after_period);
            acv_buf_puts(b, " | ");
            char v[64];
            if (c->has_before && c->has_after) {
                double delta = c->after_value - c->before_value;
                acv_format_value(v, sizeof v, delta);
                const char *word = change_word(fw, c->indicator, delta);
                if (delta > 0)
                    acv_buf_puts(b, "+");
                acv_buf_puts(b, v);
                if (word && delta != 0)
                    acv_buf_printf(b, ", %s", word);
            } else if (!c->has_before && !c->has_after) {
                acv_buf_printf(b, "no observations around %d", p->year_from);
            } else {
                acv_buf_printf(b, "no observation %s %d", c->has_before ? "after" : "before",
                               p->year_from);
            }
            acv_buf_puts(b, " |\n");
        }
    }

    acv_buf_puts(b, "\n## Evidence\n\n");
    acv_buf_items(b, p->evidence, p->n_evidence, NULL, "- ", "\n", acv_md_cell);
    if (b->failed)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory writing the practice");
    return ACV_OK;
}

static void target_heading(acv_buf *b, const acv_practice_target *t, const acv_framework *fw)
{
    int is_area = strcmp(t->kind, "action_area") == 0;
    acv_buf_printf(b, "%s", t->code);
    long i = !fw       ? -1
             : is_area ? acv_framework_find_action_area(fw, t->code)
                       : acv_framework_find_indicator(fw, t->code);
    if (i >= 0) {
        acv_buf_puts(b, " ");
        acv_md_cell(b, is_area ? fw->action_areas[i].name : fw->indicators[i].short_name);
    }
    acv_buf_puts(b, " (");
    acv_md_cell(b, t->why ? t->why : is_area ? "priority action area" : "off track");
    acv_buf_puts(b, ")");
}

void acv_render_practices_markdown(const acv_practice_suggestions *s, const acv_framework *fw,
                                   acv_buf *b)
{
    if (!s || s->n_targets == 0)
        return;
    acv_buf_puts(b, "\n## Practices from peer cities\n\n"
                    "What other cities did about this city's priority action areas and off-track "
                    "core indicators, from the practice registry (`acvtrack practices search`, "
                    "`acvtrack practices show ID`). Documented cases come before illustrative "
                    "examples; then cities in the same country, then those closest in "
                    "population, then the most recent. A practice is a lead to follow up, not "
                    "proof that it would work here.\n");
    size_t without = 0;
    for (size_t t = 0; t < s->n_targets; t++) {
        const acv_practice_target *target = &s->targets[t];
        if (!target->n_practices) {
            without++;
            continue;
        }
        acv_buf_puts(b, "\n### ");
        target_heading(b, target, fw);
        acv_buf_puts(b, "\n\n");
        for (size_t i = 0; i < target->n_practices; i++) {
            const acv_practice_hit *h = &target->practices[i];
            acv_buf_printf(b, "- **%s** ", h->id);
            acv_md_cell(b, h->title);
            acv_buf_puts(b, ": ");
            acv_md_cell(b, h->city_name ? h->city_name : h->city);
            acv_buf_printf(b, " (`%s`", h->city);
            if (h->country)
                acv_buf_printf(b, ", %s", h->country);
            if (h->has_population)
                acv_buf_printf(b, ", population %.0f", h->population);
            acv_buf_puts(b, "), ");
            years_text(b, h->year_from, h->year_to);
            /* an invented example's words have no place in a city's report: only its marker */
            if (h->illustrative) {
                acv_buf_puts(b, ". *Illustrative example, not a verified case.*\n");
                continue;
            }
            acv_buf_puts(b, ". ");
            acv_md_cell(b, h->summary);
            acv_buf_puts(b, "\n");
        }
    }
    if (without == s->n_targets) {
        acv_buf_puts(b, "\nNo practice in the registry targets these yet. Record what a city did "
                        "with `acvtrack practices add FILE.yml` (docs/practices.md).\n");
        return;
    }
    if (without) {
        acv_buf_puts(b, "\nNo practice in the registry yet for: ");
        size_t k = 0;
        for (size_t t = 0; t < s->n_targets; t++) {
            const acv_practice_target *target = &s->targets[t];
            if (target->n_practices)
                continue;
            if (k++)
                acv_buf_puts(b, ", ");
            acv_buf_puts(b, target->code);
        }
        acv_buf_puts(b, ".\n");
    }
}
