/* assess.c — self-assessment answer sheets; see assess.h. */
#include "assess.h"
#include "yamlschema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* YAML comments end at a newline: keep question texts on one line. */
static void comment_text(acv_buf *b, const char *s)
{
    for (const char *p = s; p && *p; p++)
        acv_buf_append(b, *p == '\n' || *p == '\r' ? " " : p, 1);
}

acv_status acv_assess_template(acv_ctx *ctx, const char *area_code, int year, acv_buf *b,
                               acv_error *err)
{
    const acv_framework *fw = ctx->fw;
    acv_area area;
    acv_status st = acv_store_get_area(ctx->store, area_code, &area, err);
    if (st != ACV_OK)
        return st;
    if (fw->n_questions == 0)
        return acv_error_set(err, ACV_ERR_NOTFOUND,
                             "the framework has no self-assessment questions "
                             "(indicators/assessment/)");
    /* The sheet's year must be the one 'score' without --year will use, or its answers are not
     * found when scoring (answers count for their own year and later ones only). */
    int chosen = year > 0, no_data = 0;
    if (!chosen) {
        year = acv_store_latest_year(ctx->store, area.id);
        if (year <= 0) {
            time_t now = time(NULL);
            struct tm tm;
            gmtime_r(&now, &tm);
            year = tm.tm_year + 1900;
            no_data = 1;
        }
    }
    acv_buf_puts(b, "# ACV 2045 self-assessment: ");
    comment_text(b, area.name);
    acv_buf_printf(b, " (%s), %d\n#\n", area_code, year);
    if (no_data)
        acv_buf_printf(b,
                       "# Year %d: this calendar year, as %s has no data yet. 'acvtrack score'\n"
                       "# uses the latest year with data: set `year` below to it before importing "
                       "this sheet.\n#\n",
                       year, area_code);
    else if (!chosen)
        acv_buf_printf(b,
                       "# Year %d: the latest year with data for %s, the year 'acvtrack score'\n"
                       "# uses without --year.\n#\n",
                       year, area_code);
    acv_buf_puts(b, "# For each question give the level that describes the city today:\n");
    for (int l = 0; l < ACV_MATURITY_LEVELS; l++) {
        acv_buf_printf(b, "#   %d  ", l);
        comment_text(b, fw->scale[l].label);
        if (fw->scale[l].meaning) {
            acv_buf_puts(b, ": ");
            comment_text(b, fw->scale[l].meaning);
        }
        acv_buf_puts(b, "\n");
    }
    acv_buf_printf(b,
                   "# Levels %d and above need evidence (a document, ordinance number or link); "
                   "without it they\n# count as %d. Leave `level` empty for a question not "
                   "answered yet: it is reported, not\n# scored as zero. Import with: acvtrack "
                   "assess import FILE.yml\n\narea: %s\nyear: %d\nanswers:\n",
                   fw->evidence_from_level, fw->cap_without_evidence, area_code, year);
    const char *current_area = NULL;
    for (size_t i = 0; i < fw->n_questions; i++) {
        const acv_question *q = &fw->questions[i];
        if (!current_area || strcmp(current_area, q->action_area) != 0) {
            current_area = q->action_area;
            acv_buf_printf(b, "\n  # %s ", q->action_area);
            if (q->area != (size_t)-1)
                comment_text(b, fw->action_areas[q->area].name);
            acv_buf_puts(b, "\n");
        }
        acv_buf_printf(b, "  - question: %s\n    # ", q->id);
        comment_text(b, q->text);
        acv_buf_puts(b, "\n    # Level 4 looks like: ");
        comment_text(b, q->level4);
        acv_buf_puts(b, "\n    level:\n    evidence: \"\"\n");
    }
    if (b->failed)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    return ACV_OK;
}

void acv_assess_summary_free(acv_assess_summary *s)
{
    acv_buf_free(&s->unanswered_ids);
    acv_buf_free(&s->capped_ids);
}

static void list_add(acv_buf *b, const char *id)
{
    if (b->len)
        acv_buf_puts(b, ", ");
    acv_buf_puts(b, id);
}

acv_status acv_assess_import(acv_ctx *ctx, const char *path, const char *display,
                             acv_assess_summary *out, acv_error *err)
{
    memset(out, 0, sizeof *out);
    const acv_framework *fw = ctx->fw;
    const char *name = display ? display : path;
    yt_doc *doc = NULL;
    acv_status st = yt_parse_file(path, name, &doc, err);
    if (st != ACV_OK)
        return st;
    const yt_node *root = yt_root(doc);
    char *seen = calloc(fw->n_questions + 1, 1);
    if (!seen) {
        yt_free(doc);
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    }
    /* an answer sheet stops at its first problem: the store is written as it is read */
    acv_problems problems = {.max = 1};
    acv_ys S = {.problems = &problems, .file = name};
#define FAIL(node, ...)                                                                            \
    do {                                                                                           \
        acv_ys_problem(&S, node, __VA_ARGS__);                                                     \
        goto done;                                                                                 \
    } while (0)
    static const yt_node top = {.line = 1, .col = 1};
    static const char *const keys[] = {"area", "year", "answers", NULL};
    static const char *const answer_keys[] = {"question", "level", "evidence", NULL};
    if (!root || root->kind != YT_MAP)
        FAIL(&top, "an answer sheet is a mapping with area, year and answers (make one with "
                   "'acvtrack assess template')");
    acv_ys_check_keys(&S, root, keys, "the answer sheet (expected area, year, answers)");
    if (problems.total)
        goto done;
    const yt_node *area_node = yt_map_get(root, "area");
    const yt_node *year_node = yt_map_get(root, "year");
    const yt_node *answers = yt_map_get(root, "answers");
    if (!area_node || area_node->kind != YT_SCALAR || acv_ys_is_null(area_node))
        FAIL(area_node ? area_node : root, "missing key 'area' (an area code)");
    if (!year_node || year_node->kind != YT_SCALAR || !year_node->plain)
        FAIL(year_node ? year_node : root, "missing key 'year' (like 2025)");
    char *end;
    long year = strtol(year_node->str, &end, 10);
    if (*end || year < 1900 || year > 2100)
        FAIL(year_node, "'year' must be a year like 2025, found '%s'", year_node->str);
    if (!answers || answers->kind != YT_SEQ)
        FAIL(answers ? answers : root, "missing list 'answers'");
    acv_area area;
    acv_error lookup;
    if (acv_store_get_area(ctx->store, area_node->str, &area, &lookup) != ACV_OK)
        FAIL(area_node, "%s", lookup.message);
    int64_t area_id = area.id;
    snprintf(out->area, sizeof out->area, "%s", area_node->str);
    out->year = (int)year;

    st = acv_store_begin(ctx->store, err);
    if (st != ACV_OK)
        goto done;
    for (size_t i = 0; i < answers->count; i++) {
        const yt_node *a = answers->items[i];
        if (a->kind != YT_MAP)
            FAIL(a, "answer #%zu must be a mapping with question, level and evidence", i + 1);
        char where[80];
        snprintf(where, sizeof where, "answer #%zu (expected question, level, evidence)", i + 1);
        acv_ys_check_keys(&S, a, answer_keys, where);
        if (problems.total)
            goto done;
        const yt_node *qn = yt_map_get(a, "question");
        if (!qn || qn->kind != YT_SCALAR || acv_ys_is_null(qn))
            FAIL(a, "answer #%zu has no 'question'", i + 1);
        long qi = acv_framework_find_question(fw, qn->str);
        if (qi < 0)
            FAIL(qn, "unknown question '%s' (see the template from 'acvtrack assess template')",
                 qn->str);
        if (seen[qi])
            FAIL(qn, "question '%s' is answered twice", qn->str);
        seen[qi] = 1;
        const yt_node *ln = yt_map_get(a, "level");
        int level = -1;
        if (ln && !acv_ys_is_null(ln)) {
            long v = -1;
            if (ln->kind == YT_SCALAR && ln->plain) {
                v = strtol(ln->str, &end, 10);
                if (*end || ln->len == 0)
                    v = -1;
            }
            if (v < 0 || v > 4)
                FAIL(ln, "the answer to %s must be a level from 0 to 4, found '%s'", qn->str,
                     ln->kind == YT_SCALAR ? ln->str : "a list or mapping");
            level = (int)v;
        }
        const yt_node *en = yt_map_get(a, "evidence");
        const char *evidence = NULL;
        if (en && !acv_ys_is_null(en)) {
            if (en->kind != YT_SCALAR)
                FAIL(en, "'evidence' of %s must be text", qn->str);
            if (en->len > 0)
                evidence = en->str;
        }
        int effective = level;
        if (level >= fw->evidence_from_level && !evidence) {
            effective = fw->cap_without_evidence;
            out->capped++;
            list_add(&out->capped_ids, qn->str);
        }
        if (level < 0) {
            out->unanswered++;
            list_add(&out->unanswered_ids, qn->str);
        } else {
            out->answered++;
        }
        acv_answer ans = {area_id, (int)year, qn->str, level, effective, evidence, name, qn->line};
        st = acv_store_put_answer(ctx->store, &ans, err);
        if (st != ACV_OK)
            goto done;
    }
    for (size_t q = 0; q < fw->n_questions; q++)
        if (!seen[q]) {
            out->unanswered++;
            list_add(&out->unanswered_ids, fw->questions[q].id);
        }
    st = acv_store_commit(ctx->store, err);
#undef FAIL
done:
    if (problems.total)
        st = acv_error_set(err, problems.oom ? ACV_ERR_NOMEM : ACV_ERR_INPUT, "%s",
                           problems.oom ? "out of memory" : problems.items[0]);
    acv_problems_free(&problems);
    if (st != ACV_OK) {
        acv_store_rollback(ctx->store);
        acv_assess_summary_free(out);
        memset(out, 0, sizeof *out);
    }
    free(seen);
    yt_free(doc);
    return st;
}
