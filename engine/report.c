/* report.c — Markdown report from a stored run; see report.h. */
#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    const acv_framework *fw;
    acv_result *indicators;
    acv_result *areas;
    acv_result *pillars;
    acv_result overall;
    acv_arena strings;
    int oom;
} run_results;

static int keep_result(void *ud, const acv_result *r)
{
    run_results *rr = ud;
    acv_result *slot = NULL;
    long i;
    if (strcmp(r->level, "indicator") == 0 &&
        (i = acv_framework_find_indicator(rr->fw, r->code)) >= 0)
        slot = &rr->indicators[i];
    else if (strcmp(r->level, "action_area") == 0 &&
             (i = acv_framework_find_action_area(rr->fw, r->code)) >= 0)
        slot = &rr->areas[i];
    else if (strcmp(r->level, "pillar") == 0 &&
             (i = acv_framework_find_pillar(rr->fw, r->code)) >= 0)
        slot = &rr->pillars[i];
    else if (strcmp(r->level, "overall") == 0)
        slot = &rr->overall;
    if (!slot)
        return 0;
    *slot = *r;
    slot->level = NULL;
    slot->code = acv_arena_strdup(&rr->strings, r->code);
    slot->period = acv_arena_strdup(&rr->strings, r->period);
    slot->note = acv_arena_strdup(&rr->strings, r->note);
    if (!slot->code)
        rr->oom = 1;
    return 0;
}

/* Table cells: a pipe would end the cell and a newline the row. */
static void md_cell(acv_buf *b, const char *s)
{
    if (!s)
        return;
    for (const char *p = s; *p; p++) {
        if (*p == '|')
            acv_buf_puts(b, "\\|");
        else if (*p == '\n' || *p == '\r')
            acv_buf_puts(b, " ");
        else
            acv_buf_append(b, p, 1);
    }
}

/* Up to two decimals, without trailing zeros: 0.1, 27.4, 10500000. */
static void fmt_value(char *out, size_t size, double v)
{
    snprintf(out, size, "%.2f", v);
    char *dot = strchr(out, '.');
    if (dot) {
        char *end = out + strlen(out) - 1;
        while (end > dot && *end == '0')
            *end-- = '\0';
        if (end == dot)
            *end = '\0';
    }
    if (strcmp(out, "-0") == 0)
        snprintf(out, size, "0");
}

static void score_cell(acv_buf *b, const acv_result *r)
{
    if (r->code && r->has_score)
        acv_buf_printf(b, "%.1f", r->score);
    else
        acv_buf_puts(b, "—");
}

acv_status acv_report_markdown(acv_ctx *ctx, const char *area_code, int year, acv_buf *b,
                               acv_error *err)
{
    const acv_framework *fw = ctx->fw;
    acv_area area;
    acv_status st = acv_store_get_area(ctx->store, area_code, &area, err);
    if (st != ACV_OK)
        return st;
    char area_name[256], area_level[32], area_country[32];
    snprintf(area_name, sizeof area_name, "%s", area.name);
    snprintf(area_level, sizeof area_level, "%s", area.level);
    snprintf(area_country, sizeof area_country, "%s", area.country ? area.country : "");
    int64_t area_id = area.id;

    acv_run run;
    st = acv_store_latest_run(ctx->store, area_id, year, &run, err);
    if (st == ACV_ERR_NOTFOUND) {
        if (year > 0)
            return acv_error_set(err, ACV_ERR_NOTFOUND,
                                 "no scoring run for %s in %d; run 'acvtrack score --area %s "
                                 "--year %d' first",
                                 area_code, year, area_code, year);
        return acv_error_set(err, ACV_ERR_NOTFOUND,
                             "no scoring run for %s; run 'acvtrack score --area %s' first",
                             area_code, area_code);
    }
    if (st != ACV_OK)
        return st;
    /* copy the stamp: the store's strings live only until its next call */
    acv_arena stamp = {0};
    const char *created = acv_arena_strdup(&stamp, run.created_at);
    const char *framework_hash = acv_arena_strdup(&stamp, run.framework_hash);
    const char *data_hash = acv_arena_strdup(&stamp, run.data_hash);
    const char *methods_hash = acv_arena_strdup(&stamp, run.methods_hash);
    const char *engine_version = acv_arena_strdup(&stamp, run.engine_version);

    run_results rr = {.fw = fw};
    rr.indicators = calloc(fw->n_indicators + 1, sizeof *rr.indicators);
    rr.areas = calloc(fw->n_action_areas + 1, sizeof *rr.areas);
    rr.pillars = calloc(fw->n_pillars + 1, sizeof *rr.pillars);
    if (!rr.indicators || !rr.areas || !rr.pillars || !methods_hash || !engine_version) {
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
        goto done;
    }
    st = acv_store_each_result(ctx->store, run.id, keep_result, &rr, err);
    if (st == ACV_OK && rr.oom)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    if (st != ACV_OK)
        goto done;
    if (strcmp(framework_hash, fw->hash) != 0)
        fprintf(stderr,
                "acvtrack: note: run %lld was scored with another version of the framework; "
                "names and targets below are today's\n",
                (long long)run.id);

    acv_buf_puts(b, "# ACV 2045 localisation report: ");
    md_cell(b, area_name);
    acv_buf_puts(b, "\n\n| | |\n|---|---|\n| Area | ");
    md_cell(b, area_name);
    acv_buf_printf(b, " (`%s`), %s", area_code, area_level);
    if (area_country[0])
        acv_buf_printf(b, " in %s", area_country);
    acv_buf_printf(b, " |\n| Year | %d |\n| Framework | ", run.year);
    md_cell(b, fw->name);
    acv_buf_printf(b, " (%s %s) |\n| Scored | %s (run %lld) |\n\n", fw->id ? fw->id : "",
                   fw->version ? fw->version : "", created, (long long)run.id);

    acv_buf_puts(b, "## Overall\n\n");
    if (rr.overall.code && rr.overall.has_score)
        acv_buf_printf(b, "**%.1f** out of 100, from %d of %d pillars.\n\n", rr.overall.score,
                       rr.overall.n_scored, rr.overall.n_total);
    else {
        acv_buf_puts(b, "No overall score");
        if (rr.overall.note) {
            acv_buf_puts(b, ": ");
            md_cell(b, rr.overall.note);
        }
        acv_buf_puts(b, ".\n\n");
    }

    acv_buf_puts(b, "## Pillars\n\n| Pillar | Score | Action areas scored |\n|---|---:|---:|\n");
    for (size_t p = 0; p < fw->n_pillars; p++) {
        acv_buf_printf(b, "| %s ", fw->pillars[p].id);
        md_cell(b, fw->pillars[p].name);
        acv_buf_puts(b, " | ");
        score_cell(b, &rr.pillars[p]);
        acv_buf_printf(b, " | %d of %d |\n", rr.pillars[p].n_scored, rr.pillars[p].n_total);
    }

    acv_buf_puts(b, "\n## Action areas\n\n| Action area | Score | Indicators scored | Note "
                    "|\n|---|---:|---:|---|\n");
    for (size_t a = 0; a < fw->n_action_areas; a++) {
        acv_buf_printf(b, "| %s ", fw->action_areas[a].id);
        md_cell(b, fw->action_areas[a].name);
        acv_buf_puts(b, " | ");
        score_cell(b, &rr.areas[a]);
        acv_buf_printf(b, " | %d of %d | ", rr.areas[a].n_scored, rr.areas[a].n_total);
        md_cell(b, rr.areas[a].note);
        acv_buf_puts(b, " |\n");
    }

    acv_buf_puts(b, "\n## Indicators\n");
    for (size_t p = 0; p < fw->n_pillars; p++) {
        acv_buf_printf(b, "\n### %s ", fw->pillars[p].id);
        md_cell(b, fw->pillars[p].name);
        acv_buf_puts(b, "\n\n| Indicator | Value | Unit | Year | Target 2030 | Score | Note "
                        "|\n|---|---:|---|---|---|---:|---|\n");
        for (size_t i = 0; i < fw->n_indicators; i++) {
            const acv_indicator *ind = &fw->indicators[i];
            if (fw->action_areas[ind->action_area].pillar != p)
                continue;
            const acv_result *r = &rr.indicators[i];
            acv_buf_printf(b, "| %s ", ind->id);
            md_cell(b, ind->short_name);
            acv_buf_puts(b, ind->core ? " | " : " (optional) | ");
            if (r->code && r->has_value) {
                char v[64];
                fmt_value(v, sizeof v, r->value);
                acv_buf_puts(b, v);
            } else {
                acv_buf_puts(b, "—");
            }
            acv_buf_puts(b, " | ");
            md_cell(b, ind->unit);
            acv_buf_puts(b, " | ");
            md_cell(b, r->code && r->period ? r->period : "—");
            acv_buf_puts(b, " | ");
            char target[160];
            acv_target_describe(ind, acv_indicator_target(ind, 2030), target, sizeof target);
            md_cell(b, target);
            acv_buf_puts(b, " | ");
            score_cell(b, r);
            acv_buf_puts(b, " | ");
            md_cell(b, r->code ? r->note : "not scored in this run");
            acv_buf_puts(b, " |\n");
        }
    }

    acv_buf_printf(b,
                   "\n## How these numbers were made\n\n"
                   "Each indicator's latest value up to %d is placed between the framework's "
                   "worst and best values for ASEAN cities and scaled to 0-100 (higher is always "
                   "better; values beyond the bounds are clamped). Action-area, pillar and overall "
                   "scores are means of the scores below them. The formulas are the Lua scripts "
                   "in `scripts/`; see `docs/methodology.md`. A dash means no data or no score.\n\n"
                   "Reproducibility: acvtrack %s · framework `%.12s` · data `%.12s` · methods "
                   "`%.12s`\n",
                   run.year, engine_version, framework_hash, data_hash, methods_hash);
    if (b->failed)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory writing the report");

done:
    free(rr.indicators);
    free(rr.areas);
    free(rr.pillars);
    acv_arena_free(&rr.strings);
    acv_arena_free(&stamp);
    return st;
}

acv_status acv_write_file_atomic(const char *path, const char *data, size_t len, acv_error *err)
{
    size_t n = strlen(path);
    char *tmp = malloc(n + 32);
    if (!tmp)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    snprintf(tmp, n + 32, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        acv_status st = acv_error_set(err, ACV_ERR_IO, "%s: cannot write: %s", path,
                                      strerror(errno));
        free(tmp);
        return st;
    }
    int ok = fwrite(data, 1, len, f) == len;
    ok = fflush(f) == 0 && ok;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        acv_status st = acv_error_set(err, ACV_ERR_IO, "%s: cannot write: %s", path,
                                      strerror(errno));
        remove(tmp);
        free(tmp);
        return st;
    }
    free(tmp);
    return ACV_OK;
}
