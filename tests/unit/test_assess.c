/*
 * test_assess.c — the self-assessment answer sheet (template, import, the evidence rule,
 * unanswered questions, errors with file:line:col) and the framework catalogue.
 */
#include "testutil.h"

#include "areas.h"
#include "assess.h"
#include "catalogue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static acv_ctx *workspace(const char *tag)
{
    const char *dir = acv_test_tmpdir(tag);
    static char db[16][600];
    static int next;
    char *path = db[next++ % 16];
    snprintf(path, 600, "%s/acvtrack.db", dir);
    acv_ctx_options opt = {.db_path = path, .framework_dir = ACV_TEST_SOURCE_DIR, .create_db = 1};
    acv_ctx *ctx = NULL;
    acv_error err;
    assert_int_equal(acv_ctx_open(&opt, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, &ctx, &err), ACV_OK);
    acv_areas_summary as;
    assert_int_equal(
        acv_areas_import(ctx, ACV_TEST_SOURCE_DIR "/indicators/sample/areas.csv", NULL, &as, &err),
        ACV_OK);
    return ctx;
}

/* Answers the first question of a template still blank ("level:\n    evidence: \"\""). */
static void answer(char *sheet, const char *replacement)
{
    const char *blank = "level:\n    evidence: \"\"";
    char *p = strstr(sheet, blank);
    assert_non_null(p);
    size_t blen = strlen(blank), rlen = strlen(replacement);
    assert_true(rlen <= blen + 40);
    memmove(p + rlen, p + blen, strlen(p + blen) + 1);
    memcpy(p, replacement, rlen);
}

static int count_answers(void *ud, const acv_answer *a)
{
    int *levels = ud;
    if (strcmp(a->question, "PS.DRR.Q1") == 0) {
        levels[0] = a->level;
        levels[1] = a->effective_level;
    } else if (strcmp(a->question, "PS.DRR.Q2") == 0) {
        levels[2] = a->level;
        levels[3] = a->effective_level;
    }
    levels[4]++;
    return 0;
}

static void test_template_round_trip(void **state)
{
    (void)state;
    acv_ctx *ctx = workspace("assess");
    acv_buf b = {0};
    acv_error err;
    assert_int_equal(acv_assess_template(ctx, "demo_coastal_town", 2025, &b, &err), ACV_OK);
    assert_non_null(strstr(b.data, "area: demo_coastal_town\nyear: 2025\nanswers:\n"));
    /* every question of the guideline is in the sheet, once */
    for (size_t q = 0; q < ctx->fw->n_questions; q++) {
        char line[80];
        snprintf(line, sizeof line, "  - question: %s\n", ctx->fw->questions[q].id);
        char *at = strstr(b.data, line);
        assert_non_null(at);
        assert_null(strstr(at + 1, line));
    }
    /* answer two: level 4 with evidence, level 3 without (counts as 2) */
    char *sheet = malloc(b.len + 64);
    memcpy(sheet, b.data, b.len + 1);
    answer(sheet, "level: 4\n    evidence: \"Ordinance 12/2023\"");
    answer(sheet, "level: 3\n    evidence: \"\"");
    const char *dir = acv_test_tmpdir("assess-sheet");
    char *path = acv_test_write(dir, "answers.yml", sheet);
    acv_assess_summary sum;
    assert_int_equal(acv_assess_import(ctx, path, "answers.yml", &sum, &err), ACV_OK);
    assert_string_equal(sum.area, "demo_coastal_town");
    assert_int_equal(sum.year, 2025);
    assert_int_equal(sum.answered, 2);
    assert_int_equal(sum.unanswered, (int)ctx->fw->n_questions - 2);
    assert_int_equal(sum.capped, 1);
    assert_string_equal(sum.capped_ids.data, "PS.DRR.Q2");
    assert_true(strncmp(sum.unanswered_ids.data, "PS.DRR.Q3, PS.SRL.Q1", 20) == 0);
    acv_assess_summary_free(&sum);
    acv_area area;
    assert_int_equal(acv_store_get_area(ctx->store, "demo_coastal_town", &area, &err), ACV_OK);
    int levels[5] = {-9, -9, -9, -9, 0};
    assert_int_equal(acv_store_each_answer(ctx->store, area.id, 2025, count_answers, levels, &err),
                     ACV_OK);
    assert_int_equal(levels[0], 4);
    assert_int_equal(levels[1], 4);
    assert_int_equal(levels[2], 3);
    assert_int_equal(levels[3], 2);                         /* the evidence rule */
    assert_int_equal(levels[4], (int)ctx->fw->n_questions); /* unanswered are stored as such */
    free(path);
    free(sheet);
    acv_buf_free(&b);
    acv_ctx_close(ctx);
}

static void import_fails(acv_ctx *ctx, const char *text, const char *expected)
{
    const char *dir = acv_test_tmpdir("assess-bad");
    char *path = acv_test_write(dir, "bad.yml", text);
    acv_assess_summary sum;
    acv_error err;
    acv_error_clear(&err);
    long long before = acv_store_count(ctx->store, "assessment_answers");
    assert_int_equal(acv_assess_import(ctx, path, "bad.yml", &sum, &err), ACV_ERR_INPUT);
    assert_string_equal(err.message, expected);
    assert_int_equal(acv_store_count(ctx->store, "assessment_answers"), before);
    free(path);
}

static void test_bad_answer_sheets(void **state)
{
    (void)state;
    acv_ctx *ctx = workspace("assess-errors");
    import_fails(ctx,
                 "area: demo_capital_metro\nyear: 2025\nanswers:\n"
                 "  - question: PS.DRR.Q1\n    level: 2\n"
                 "  - question: PS.DRR.Q2\n    level: 5\n",
                 "bad.yml:7:12: the answer to PS.DRR.Q2 must be a level from 0 to 4, found '5'");
    import_fails(ctx,
                 "area: demo_capital_metro\nyear: 2025\nanswers:\n"
                 "  - question: PS.DRR.Q9\n    level: 2\n",
                 "bad.yml:4:15: unknown question 'PS.DRR.Q9' (see the template from 'acvtrack "
                 "assess template')");
    import_fails(ctx,
                 "area: demo_capital_metro\nyear: 2025\nanswers:\n"
                 "  - question: PS.DRR.Q1\n    level: 2\n"
                 "  - question: PS.DRR.Q1\n    level: 3\n",
                 "bad.yml:6:15: question 'PS.DRR.Q1' is answered twice");
    import_fails(ctx, "area: nowhere\nyear: 2025\nanswers: []\n",
                 "bad.yml:1:7: unknown area 'nowhere' (see 'acvtrack areas list'; add it with "
                 "'acvtrack areas import')");
    import_fails(ctx,
                 "area: demo_capital_metro\nyear: 2025\nanswers:\n"
                 "  - question: PS.DRR.Q1\n    levle: 2\n",
                 "bad.yml:5:5: unknown key 'levle' in answer #1 (expected question, level, "
                 "evidence)");
    import_fails(ctx, "area: demo_capital_metro\nyear: twenty\nanswers: []\n",
                 "bad.yml:2:7: 'year' must be a year like 2025, found 'twenty'");
    acv_ctx_close(ctx);
}

static void test_catalogue_lists_every_indicator_and_question(void **state)
{
    (void)state;
    acv_framework *fw = NULL;
    acv_error err;
    assert_int_equal(acv_framework_load(ACV_TEST_SOURCE_DIR, &fw, &err), ACV_OK);
    acv_buf b = {0};
    assert_int_equal(acv_catalogue_markdown(fw, &b, &err), ACV_OK);
    for (size_t i = 0; i < fw->n_indicators; i++) {
        char heading[64];
        snprintf(heading, sizeof heading, "\n#### %s ", fw->indicators[i].id);
        assert_non_null(strstr(b.data, heading));
    }
    for (size_t q = 0; q < fw->n_questions; q++) {
        char item[64];
        snprintf(item, sizeof item, "**%s** ", fw->questions[q].id);
        assert_non_null(strstr(b.data, item));
    }
    for (size_t a = 0; a < fw->n_action_areas; a++) {
        char heading[64];
        snprintf(heading, sizeof heading, "\n### %s ", fw->action_areas[a].id);
        assert_non_null(strstr(b.data, heading));
    }
    assert_non_null(strstr(b.data, "86 indicators (55 core, 31 optional) in 4 pillars and 17 "
                                   "action areas, with 51 self-assessment questions."));
    assert_non_null(strstr(b.data, "| Bounds | worst 5, best 0. "));
    acv_buf_free(&b);
    acv_framework_free(fw);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_template_round_trip),
    cmocka_unit_test(test_bad_answer_sheets),
    cmocka_unit_test(test_catalogue_lists_every_indicator_and_question),
};

ACV_TEST_MAIN("assess", tests)
