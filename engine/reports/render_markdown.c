/* render_markdown.c — the Markdown renderer of the report model; see report.h. */
#include "report.h"
#include "practices.h"

#include <stdio.h>
#include <string.h>

void acv_md_cell(acv_buf *b, const char *s)
{
    for (const char *p = s; p && *p; p++) {
        if (*p == '|')
            acv_buf_puts(b, "\\|");
        else if (*p == '\n' || *p == '\r')
            acv_buf_puts(b, " ");
        else if (*p == '<')
            acv_buf_puts(b, "&lt;");
        else if (*p == '&')
            acv_buf_puts(b, "&amp;");
        else
            acv_buf_append(b, p, 1);
    }
}

static void score_cell(acv_buf *b, const acv_result *r)
{
    if (r->code && r->has_score)
        acv_buf_printf(b, "%.1f", r->score);
    else
        acv_buf_puts(b, "—");
}

static void group_table_row(acv_buf *b, const char *id, const char *name, const acv_result *r,
                            int with_note)
{
    acv_buf_printf(b, "| %s ", id);
    acv_md_cell(b, name);
    acv_buf_puts(b, " | ");
    score_cell(b, r);
    acv_buf_printf(b, " | %d of %d |", r->code ? r->n_scored : 0, r->code ? r->n_total : 0);
    if (with_note) {
        acv_buf_puts(b, " ");
        acv_md_cell(b, r->code ? r->note : NULL);
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
    acv_buf_printf(b, " |\n| Year | %d |\n| Framework | ", m->year);
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

    acv_buf_puts(b, "## Pillars\n\n| Pillar | Score | Action areas scored |");
    if (m->has_alignment)
        acv_buf_puts(b, " Alignment |");
    acv_buf_puts(b, m->has_alignment ? "\n|---|---:|---:|---:|\n" : "\n|---|---:|---:|\n");
    for (size_t p = 0; p < fw->n_pillars; p++) {
        acv_buf_printf(b, "| %s ", fw->pillars[p].id);
        acv_md_cell(b, fw->pillars[p].name);
        acv_buf_puts(b, " | ");
        score_cell(b, &m->pillars[p]);
        acv_buf_printf(b, " | %d of %d |", m->pillars[p].code ? m->pillars[p].n_scored : 0,
                       m->pillars[p].code ? m->pillars[p].n_total : 0);
        if (m->has_alignment) {
            acv_buf_puts(b, " ");
            score_cell(b, &m->alignment_pillars[p]);
            acv_buf_puts(b, " |");
        }
        acv_buf_puts(b, "\n");
    }

    acv_buf_puts(b, "\n## Action areas\n\n| Action area | Score | Indicators scored | Note |");
    if (m->has_alignment)
        acv_buf_puts(b, " Alignment |");
    acv_buf_puts(b, m->has_alignment ? "\n|---|---:|---:|---|---:|\n" : "\n|---|---:|---:|---|\n");
    for (size_t a = 0; a < fw->n_action_areas; a++) {
        group_table_row(b, fw->action_areas[a].id, fw->action_areas[a].name, &m->action_areas[a],
                        1);
        if (m->has_alignment) {
            b->len--; /* drop the newline to append the alignment cell */
            acv_buf_puts(b, " ");
            score_cell(b, &m->alignment_areas[a]);
            acv_buf_puts(b, " |\n");
        }
    }

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

    acv_practices_markdown(m->practices, fw, b);

    if (m->n_changes) {
        acv_buf_puts(b, "\n## What this city changed against the ASEAN framework\n\nScores of "
                        "adapted indicators are not comparable with other cities'; the unchanged "
                        "core indicators are.\n\n");
        for (size_t i = 0; i < m->n_changes; i++) {
            acv_buf_puts(b, "- ");
            acv_md_cell(b, m->changes[i]);
            acv_buf_puts(b, "\n");
        }
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
