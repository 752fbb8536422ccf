/*
 * test_scoring.c — scoring through the engine: the data-availability rules, city overlays that
 * change exactly what they should, and a broken overlay script that changes nothing.
 */
#include "testutil.h"

#include "areas.h"
#include "import.h"
#include "render.h"
#include "report.h"
#include "score.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SAMPLE ACV_TEST_SOURCE_DIR "/indicators/sample"

/* A workspace with the sample areas and the given observation files. */
static const char *make_workspace(const char *tag, int all_data)
{
    const char *dir = acv_test_tmpdir(tag);
    static char db[64][600];
    static int next;
    char *path = db[next++ % 64];
    snprintf(path, 600, "%s/acvtrack.db", dir);
    acv_ctx_options opt = {.db_path = path, .framework_dir = ACV_TEST_SOURCE_DIR, .create_db = 1};
    acv_ctx *ctx = NULL;
    acv_error err;
    assert_int_equal(acv_ctx_open(&opt, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, &ctx, &err), ACV_OK);
    acv_areas_summary as;
    assert_int_equal(acv_areas_import(ctx, SAMPLE "/areas.csv", NULL, &as, &err), ACV_OK);
    acv_import_summary is;
    assert_int_equal(acv_import_csv(ctx, SAMPLE "/observations.csv", NULL, &is, &err), ACV_OK);
    if (all_data)
        assert_int_equal(acv_import_csv(ctx, SAMPLE "/observations-more.csv", NULL, &is, &err),
                         ACV_OK);
    acv_ctx_close(ctx);
    return path;
}

static acv_status score(const char *db, const char *overlay, const char *area, acv_error *err)
{
    acv_ctx_options opt = {
        .db_path = db, .framework_dir = ACV_TEST_SOURCE_DIR, .overlay_dir = overlay};
    acv_ctx *ctx = NULL;
    acv_status st = acv_ctx_open(&opt, ACV_NEED_STORE | ACV_NEED_LUA, &ctx, err);
    if (st != ACV_OK)
        return st;
    acv_score_summary sum;
    st = acv_score_area(ctx, area, 2025, &sum, err);
    acv_ctx_close(ctx);
    return st;
}

/* The latest stored run of an area as a report model (caller frees model and context). */
static acv_report_model *latest(const char *db, const char *overlay, const char *area,
                                acv_ctx **ctx_out)
{
    acv_ctx_options opt = {
        .db_path = db, .framework_dir = ACV_TEST_SOURCE_DIR, .overlay_dir = overlay};
    acv_error err;
    assert_int_equal(acv_ctx_open(&opt, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, ctx_out, &err),
                     ACV_OK);
    acv_report_model *m = NULL;
    assert_int_equal(acv_report_model_load(*ctx_out, area, 2025, &m, &err), ACV_OK);
    return m;
}

static long index_of(const acv_framework *fw, const char *id)
{
    long i = acv_framework_find_indicator(fw, id);
    if (i < 0)
        i = acv_framework_find_action_area(fw, id);
    assert_true(i >= 0);
    return i;
}

static void test_availability_rules_withhold_scores_with_reasons(void **state)
{
    (void)state;
    const char *db = make_workspace("avail", 0);
    acv_error err;
    assert_int_equal(score(db, NULL, "demo_capital_metro", &err), ACV_OK);
    acv_ctx *ctx;
    acv_report_model *m = latest(db, NULL, "demo_capital_metro", &ctx);
    const acv_result *dig = &m->action_areas[index_of(ctx->fw, "CN.DIG")];
    /* CN.DIG.1 and CN.DIG.2 of its 6 indicators have data: fewer than half */
    assert_false(dig->has_score);
    assert_int_equal(dig->n_scored, 2);
    assert_int_equal(dig->n_total, 6);
    assert_string_equal(dig->note, "2 of 6 indicators have data; at least half are needed");
    assert_false(m->overall.has_score);
    assert_string_equal(m->overall.note, "no pillar with a score");
    /* indicators are still scored: CN.DIG.1 = 100 * (94 - 30) / (100 - 30) */
    const acv_result *dig1 = &m->indicators[index_of(ctx->fw, "CN.DIG.1")];
    assert_true(fabs(dig1->score - 100.0 * 64 / 70) < 1e-9);
    acv_report_model_free(m);
    acv_ctx_close(ctx);
}

static const char *write_overlay(const char *tag, const char *yml)
{
    const char *dir = acv_test_tmpdir(tag);
    free(acv_test_write(dir, "indicators/overlay.yml", yml));
    return dir;
}

static void test_overlay_target_changes_only_that_target(void **state)
{
    (void)state;
    const char *db = make_workspace("target", 1);
    const char *overlay =
        write_overlay("target-ov", "overlay: {name: test}\n"
                                   "overrides:\n"
                                   "  - indicator: SC.ENV.1\n"
                                   "    reason: provincial plan\n"
                                   "    targets:\n"
                                   "      - {year: 2030, kind: abs, value: 20, provenance: "
                                   "national, reference: plan}\n");
    acv_error err;
    assert_int_equal(score(db, NULL, "demo_capital_metro", &err), ACV_OK);
    acv_ctx *c1, *c2;
    acv_report_model *base = latest(db, NULL, "demo_capital_metro", &c1);
    assert_int_equal(score(db, overlay, "demo_capital_metro", &err), ACV_OK);
    acv_report_model *adapted = latest(db, overlay, "demo_capital_metro", &c2);
    const acv_framework *fw = c1->fw;
    long env1 = index_of(fw, "SC.ENV.1");
    for (size_t i = 0; i < fw->n_indicators; i++) {
        const acv_result *a = &base->indicators[i], *b = &adapted->indicators[i];
        /* a target is not a bound: no score moves */
        assert_int_equal(a->has_score, b->has_score);
        if (a->has_score)
            assert_true(a->score == b->score);
        if ((long)i != env1 && a->has_target_gap)
            assert_true(a->target_gap == b->target_gap);
    }
    /* SC.ENV.1: the capital's PM2.5 is 29 in 2025, short of both targets; with a looser target
     * (20 instead of 15) less of the distance is left */
    assert_true(adapted->indicators[env1].target_gap < base->indicators[env1].target_gap);
    assert_true(base->overall.score == adapted->overall.score);
    assert_int_equal(adapted->n_changes, 1);
    assert_string_equal(adapted->changes[0],
                        "SC.ENV.1 targets: 2030 ≤ 15, 2045 ≤ 10 -> 2030 ≤ 20 (provincial plan)");
    acv_report_model_free(base);
    acv_report_model_free(adapted);
    acv_ctx_close(c1);
    acv_ctx_close(c2);
}

static void test_overlay_bounds_change_only_their_branch(void **state)
{
    (void)state;
    const char *db = make_workspace("bounds", 1);
    const char *overlay =
        write_overlay("bounds-ov", "overlay: {name: test}\n"
                                   "overrides:\n"
                                   "  - indicator: CN.DIG.1\n"
                                   "    reason: national survey ceiling\n"
                                   "    bounds: {worst: 50, best: 100, reason: test}\n");
    acv_error err;
    assert_int_equal(score(db, NULL, "demo_coastal_town", &err), ACV_OK);
    acv_ctx *c1, *c2;
    acv_report_model *base = latest(db, NULL, "demo_coastal_town", &c1);
    assert_int_equal(score(db, overlay, "demo_coastal_town", &err), ACV_OK);
    acv_report_model *adapted = latest(db, overlay, "demo_coastal_town", &c2);
    const acv_framework *fw = c1->fw;
    long dig1 = index_of(fw, "CN.DIG.1"), dig = index_of(fw, "CN.DIG");
    /* CN.DIG.1 is 84 in 2025: 100 * (84 - 30) / 70 before, 100 * (84 - 50) / 50 after */
    assert_true(fabs(base->indicators[dig1].score - 100.0 * 54 / 70) < 1e-9);
    assert_true(fabs(adapted->indicators[dig1].score - 68.0) < 1e-9);
    for (size_t i = 0; i < fw->n_indicators; i++)
        if ((long)i != dig1 && base->indicators[i].has_score)
            assert_true(base->indicators[i].score == adapted->indicators[i].score);
    for (size_t a = 0; a < fw->n_action_areas; a++) {
        if ((long)a == dig)
            assert_true(base->action_areas[a].score != adapted->action_areas[a].score);
        else if (base->action_areas[a].has_score)
            assert_true(base->action_areas[a].score == adapted->action_areas[a].score);
    }
    acv_report_model_free(base);
    acv_report_model_free(adapted);
    acv_ctx_close(c1);
    acv_ctx_close(c2);
}

static void test_broken_overlay_script_names_file_and_line_and_keeps_results(void **state)
{
    (void)state;
    const char *db = make_workspace("broken", 1);
    acv_error err;
    assert_int_equal(score(db, NULL, "demo_capital_metro", &err), ACV_OK);
    const char *overlay = write_overlay("broken-ov", "overlay: {name: broken}\n");
    free(acv_test_write(overlay, "scripts/methods/normalise.lua",
                        "local M = {}\n"
                        "function M.minmax(x, worst, best)\n"
                        "  return x.value * 2\n"
                        "end\n"
                        "return M\n"));
    acv_error_clear(&err);
    assert_int_equal(score(db, overlay, "demo_capital_metro", &err), ACV_ERR_SCRIPT);
    assert_non_null(strstr(err.message, "broken-ov"));
    assert_non_null(strstr(err.message, "/scripts/methods/normalise.lua:3: attempt to index a "
                                        "number value (local 'x')"));
    /* the workspace still holds exactly the earlier run */
    acv_ctx *ctx;
    acv_report_model *m = latest(db, NULL, "demo_capital_metro", &ctx);
    assert_int_equal(m->run_id, 1);
    assert_int_equal(acv_store_count(ctx->store, "runs"), 1);
    acv_report_model_free(m);
    acv_ctx_close(ctx);
}

static void test_overlay_problems_name_file_line_and_col(void **state)
{
    (void)state;
    const char *overlay = write_overlay("bad-ov", "overlay: {name: bad}\n"
                                                  "weights:\n"
                                                  "  action_areas: {PS.DRR: 3}\n"
                                                  "not_applicable:\n"
                                                  "  - {indicator: XX.YY.1, reason: none}\n");
    acv_ctx_options opt = {.framework_dir = ACV_TEST_SOURCE_DIR, .overlay_dir = overlay};
    acv_ctx *ctx = NULL;
    acv_error err;
    assert_int_equal(acv_ctx_open(&opt, ACV_NEED_FRAMEWORK, &ctx, &err), ACV_ERR_INPUT);
    const char *base = strrchr(overlay, '/') + 1;
    char expected[600];
    snprintf(expected, sizeof expected,
             "%s/indicators/overlay.yml:3:26: the weight of PS.DRR is 3; weights stay between "
             "0.5 and 2 (half to twice the equal weight) so no area is weighted away\n"
             "(2 problems in the overlay)",
             base);
    assert_string_equal(err.message, expected);
}

static void test_overlay_log_transform_needs_positive_bounds(void **state)
{
    (void)state;
    /* PS.DRR.2 is scored on a log scale (worst 10000, best 1): an overlay that sets its best bound
     * to 0 is refused at the bounds, and one that puts a log transform on CN.DIG.1 (worst 30, best
     * 100) is fine, but on PS.DRR.1 (worst 5, best 0) is refused at the transform */
    const char *overlay =
        write_overlay("log-ov", "overlay: {name: log}\n"
                                "overrides:\n"
                                "  - indicator: PS.DRR.2\n"
                                "    reason: no one affected is the best\n"
                                "    bounds: {worst: 10000, best: 0, reason: test}\n"
                                "  - indicator: CN.DIG.1\n"
                                "    reason: skewed\n"
                                "    scoring: {transform: log}\n"
                                "  - indicator: PS.DRR.1\n"
                                "    reason: skewed\n"
                                "    scoring: {transform: log}\n");
    acv_ctx_options opt = {.framework_dir = ACV_TEST_SOURCE_DIR, .overlay_dir = overlay};
    acv_ctx *ctx = NULL;
    acv_error err;
    assert_int_equal(acv_ctx_open(&opt, ACV_NEED_FRAMEWORK, &ctx, &err), ACV_ERR_INPUT);
    const char *base = strrchr(overlay, '/') + 1;
    char expected[600];
    snprintf(expected, sizeof expected,
             "%s/indicators/overlay.yml:5:13: the log transform of the override of PS.DRR.2 needs "
             "bounds above 0, found worst 10000 and best 0\n"
             "(2 problems in the overlay)",
             base);
    assert_string_equal(err.message, expected);
}

/* One point of the data hash's input (docs/methodology.md "Reproducibility"). */
static void hash_point(acv_sha256 *h, const char *code, const char *period, double value)
{
    unsigned char bits[8];
    uint64_t u;
    memcpy(&u, &value, sizeof u);
    for (int b = 0; b < 8; b++)
        bits[b] = (unsigned char)(u >> (8 * b));
    acv_sha256_update(h, code, strlen(code));
    acv_sha256_update(h, "\t", 1);
    acv_sha256_update(h, period, strlen(period));
    acv_sha256_update(h, "\t", 1);
    acv_sha256_update(h, bits, 8);
    acv_sha256_update(h, "\n", 1);
}

static void test_data_hash_reads_series_by_code_and_year(void **state)
{
    (void)state;
    const char *dir = acv_test_tmpdir("hash");
    char db[600];
    snprintf(db, sizeof db, "%s/acvtrack.db", dir);
    /* out of order on purpose; the 2026 value is after the scored year and the XX.GONE.1 code is
     * not in the framework, so neither is read */
    char *csv = acv_test_write(dir, "obs.csv",
                               "area,indicator,period,value\n"
                               "demo_capital_metro,PS.DRR.1,2025,0.25\n"
                               "demo_capital_metro,DE.POP,2024,1250000\n"
                               "demo_capital_metro,CN.DIG.1,2025,94\n"
                               "demo_capital_metro,PS.DRR.1,2024,0.5\n"
                               "demo_capital_metro,PS.DRR.1,2026,0.1\n");
    acv_ctx_options opt = {.db_path = db, .framework_dir = ACV_TEST_SOURCE_DIR, .create_db = 1};
    acv_ctx *ctx = NULL;
    acv_error err;
    assert_int_equal(acv_ctx_open(&opt, ACV_NEED_STORE | ACV_NEED_LUA, &ctx, &err), ACV_OK);
    acv_areas_summary as;
    assert_int_equal(acv_areas_import(ctx, SAMPLE "/areas.csv", NULL, &as, &err), ACV_OK);
    acv_import_summary is;
    assert_int_equal(acv_import_csv(ctx, csv, NULL, &is, &err), ACV_OK);
    acv_score_summary sum;
    assert_int_equal(acv_score_area(ctx, "demo_capital_metro", 2025, &sum, &err), ACV_OK);
    acv_report_model *m = NULL;
    assert_int_equal(acv_report_model_load(ctx, "demo_capital_metro", 2025, &m, &err), ACV_OK);
    acv_sha256 h;
    acv_sha256_init(&h);
    hash_point(&h, "CN.DIG.1", "2025", 94);
    hash_point(&h, "DE.POP", "2024", 1250000);
    hash_point(&h, "PS.DRR.1", "2024", 0.5);
    hash_point(&h, "PS.DRR.1", "2025", 0.25);
    char want[65];
    acv_sha256_final_hex(&h, want);
    assert_string_equal(m->data_hash, want);
    acv_report_model_free(m);
    acv_ctx_close(ctx);
    free(csv);
}

/* Each area gets indicator tables of its own: what a script writes into one is gone for the
 * next area, the framework's facts read through them, pairs() lists both, and the targets
 * cannot be changed. */
static const char ISOLATION_SCORING[] =
    "local M = {}\n"
    "function M.area(input)\n"
    "  local out = { indicators = {} }\n"
    "  for id, ind in pairs(input.indicators) do\n"
    "    assert(ind.mark == nil, 'a mark from an earlier area is visible')\n"
    "    assert(ind.id == id and type(ind.series) == 'table')\n"
    "    ind.mark = input.area.code\n"
    "    ind.weight = 99\n"
    "    local keys = {}\n"
    "    for k in pairs(ind) do keys[#keys + 1] = k end\n"
    "    table.sort(keys)\n"
    "    local walk = pairs(ind)\n"
    "    assert(not pcall(walk, {}, nil), 'the iterator walked a plain table')\n"
    "    local ok = pcall(function() ind.targets[2030].value = 1 end)\n"
    "    assert(not ok or ind.targets[2030] == nil, 'a target was changed')\n"
    "    out.indicators[id] = { note = table.concat(keys, ',') }\n"
    "  end\n"
    "  return out\n"
    "end\n"
    "return M\n";

static void test_indicator_tables_are_fresh_for_each_area(void **state)
{
    (void)state;
    const char *db = make_workspace("isolation", 0);
    const char *overlay = write_overlay("isolation-ov", "overlay: {name: isolation}\n");
    free(acv_test_write(overlay, "scripts/scoring.lua", ISOLATION_SCORING));
    acv_ctx_options opt = {
        .db_path = db, .framework_dir = ACV_TEST_SOURCE_DIR, .overlay_dir = overlay};
    acv_ctx *ctx = NULL;
    acv_error err;
    assert_int_equal(acv_ctx_open(&opt, ACV_NEED_STORE | ACV_NEED_LUA, &ctx, &err), ACV_OK);
    acv_scorer *sc = NULL;
    assert_int_equal(acv_scorer_open(ctx, &sc, &err), ACV_OK);
    acv_score_summary sum;
    const char *areas[] = {"demo_capital_metro", "demo_coastal_town", "demo_capital_metro"};
    for (size_t i = 0; i < 3; i++) {
        acv_status st = acv_scorer_area(sc, areas[i], 2025, &sum, &err);
        if (st != ACV_OK)
            fail_msg("%s: %s", areas[i], err.message);
    }
    acv_scorer_close(sc);
    acv_report_model *m = NULL;
    assert_int_equal(acv_report_model_load(ctx, "demo_coastal_town", 2025, &m, &err), ACV_OK);
    const acv_result *drr = &m->indicators[index_of(ctx->fw, "PS.DRR.1")];
    assert_non_null(drr->note);
    assert_string_equal(
        drr->note, "action_area,best,changed,core,data_source,direction,formula,id,local,mark,name,"
                   "pillar,series,smoothing_years,targets,unit,weight,worst");
    acv_report_model_free(m);
    acv_ctx_close(ctx);
}

typedef struct {
    char codes[8][64];
    acv_status st[8];
    size_t n;
} score_log;

static int log_area(void *ud, const char *code, acv_status st, const acv_score_summary *sum,
                    const acv_error *err)
{
    (void)sum;
    (void)err;
    score_log *l = ud;
    if (l->n < 8) {
        snprintf(l->codes[l->n], sizeof l->codes[0], "%s", code);
        l->st[l->n++] = st;
    }
    return st == ACV_ERR_SCRIPT;
}

static const char *const DEMO_CITIES[] = {"demo_capital_metro", "demo_coastal_town",
                                          "demo_secondary_city"};

/* Scores every sample area (in code order, the country without data included) on `jobs`
 * threads. */
static acv_status score_all(const char *db, const char *overlay, int jobs, score_log *log,
                            acv_error *err)
{
    acv_ctx_options opt = {
        .db_path = db, .framework_dir = ACV_TEST_SOURCE_DIR, .overlay_dir = overlay};
    acv_ctx *ctx = NULL;
    acv_status st = acv_ctx_open(&opt, ACV_NEED_STORE | ACV_NEED_LUA, &ctx, err);
    if (st != ACV_OK)
        return st;
    const char *codes[] = {"DEMO", DEMO_CITIES[0], DEMO_CITIES[1], DEMO_CITIES[2]};
    acv_score_all_options o = {.year = 2025, .jobs = jobs, .each = log_area, .ud = log};
    st = acv_score_all(ctx, codes, 4, &o, err);
    acv_ctx_close(ctx);
    return st;
}

static void assert_same_result(const acv_result *a, const acv_result *b)
{
    assert_int_equal(a->has_score, b->has_score);
    if (a->has_score)
        assert_true(a->score == b->score);
    assert_int_equal(a->has_value, b->has_value);
    if (a->has_value)
        assert_true(a->value == b->value);
    assert_string_equal(a->note ? a->note : "", b->note ? b->note : "");
    assert_string_equal(a->class_name ? a->class_name : "", b->class_name ? b->class_name : "");
}

static void test_score_all_on_threads_matches_one_thread(void **state)
{
    (void)state;
    const char *one = make_workspace("all-one", 1);
    const char *three = make_workspace("all-three", 1);
    acv_error err;
    score_log l1 = {0}, l3 = {0};
    assert_int_equal(score_all(one, NULL, 1, &l1, &err), ACV_OK);
    assert_int_equal(score_all(three, NULL, 3, &l3, &err), ACV_OK);
    /* the country has no observations: skipped; the cities come back in order */
    assert_int_equal(l1.n, 3);
    assert_int_equal(l3.n, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(l1.codes[i], DEMO_CITIES[i]);
        assert_string_equal(l3.codes[i], DEMO_CITIES[i]);
        assert_int_equal(l3.st[i], ACV_OK);
        acv_ctx *c1, *c3;
        acv_report_model *m1 = latest(one, NULL, DEMO_CITIES[i], &c1);
        acv_report_model *m3 = latest(three, NULL, DEMO_CITIES[i], &c3);
        assert_int_equal(m1->run_id, (int64_t)i + 1);
        assert_int_equal(m3->run_id, (int64_t)i + 1);
        assert_string_equal(m1->data_hash, m3->data_hash);
        assert_same_result(&m1->overall, &m3->overall);
        for (size_t k = 0; k < c1->fw->n_indicators; k++)
            assert_same_result(&m1->indicators[k], &m3->indicators[k]);
        assert_int_equal(m1->n_priorities, m3->n_priorities);
        for (size_t k = 0; k < m1->n_priorities; k++)
            assert_string_equal(m1->priorities[k].code, m3->priorities[k].code);
        acv_report_model_free(m1);
        acv_report_model_free(m3);
        acv_ctx_close(c1);
        acv_ctx_close(c3);
    }
}

/* A minimal scoring script: one indicator gets a note, nothing else is scored. */
static const char *write_scoring(const char *tag, const char *note_expr)
{
    const char *overlay = write_overlay(tag, "overlay: {name: script}\n");
    char script[1200];
    snprintf(script, sizeof script,
             "local M = {}\n"
             "function M.area(input)\n"
             "  return { indicators = { [\"PS.DRR.1\"] = { note = %s } } }\n"
             "end\n"
             "return M\n",
             note_expr);
    free(acv_test_write(overlay, "scripts/scoring.lua", script));
    return overlay;
}

static void test_score_all_stops_at_a_script_error_keeping_earlier_areas(void **state)
{
    (void)state;
    const char *db = make_workspace("all-stop", 0);
    const char *overlay = write_scoring(
        "all-stop-ov", "input.area.code == 'demo_coastal_town' and error('no coast') or 'ok'");
    acv_error err;
    score_log l = {0};
    assert_int_equal(score_all(db, overlay, 2, &l, &err), ACV_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.codes[0], "demo_capital_metro");
    assert_int_equal(l.st[0], ACV_OK);
    assert_string_equal(l.codes[1], "demo_coastal_town");
    assert_int_equal(l.st[1], ACV_ERR_SCRIPT);
    acv_ctx_options opt = {.db_path = db, .framework_dir = ACV_TEST_SOURCE_DIR};
    acv_ctx *ctx = NULL;
    assert_int_equal(acv_ctx_open(&opt, ACV_NEED_STORE, &ctx, &err), ACV_OK);
    /* the area before the error is stored; nothing after it */
    assert_int_equal(acv_store_count(ctx->store, "runs"), 1);
    acv_ctx_close(ctx);
}

static void test_random_numbers_do_not_depend_on_earlier_areas(void **state)
{
    (void)state;
    const char *db = make_workspace("all-random", 0);
    const char *overlay =
        write_scoring("all-random-ov", "tostring(math.random(1, 1000000000)) .. ' ' .. "
                                       "tostring(math.random(1, 1000000000))");
    acv_error err;
    score_log l = {0};
    assert_int_equal(score_all(db, overlay, 2, &l, &err), ACV_OK);
    assert_int_equal(l.n, 3);
    char first[ACV_NOTE_MAX] = "";
    for (size_t i = 0; i < 3; i++) {
        acv_ctx *ctx;
        acv_report_model *m = latest(db, overlay, DEMO_CITIES[i], &ctx);
        const acv_result *drr = &m->indicators[index_of(ctx->fw, "PS.DRR.1")];
        assert_non_null(drr->note);
        if (i == 0)
            snprintf(first, sizeof first, "%s", drr->note);
        else
            assert_string_equal(drr->note, first);
        acv_report_model_free(m);
        acv_ctx_close(ctx);
    }
}

/* ---- linked series only in a comparable unit ------------------------------------------------ */

/* The result row of indicator code in the latest run of area (note and score). */
static const acv_result *row_of(const acv_report_model *m, const char *code)
{
    long i = acv_framework_find_indicator(m->fw, code);
    assert_true(i >= 0);
    assert_non_null(m->indicators[i].code);
    return &m->indicators[i];
}

/* Series imported outside the framework (as the opensdg importer stores them) feed the shipped
 * framework's indicators that have no data of their own only in their unit, converted by a
 * declared conversion (indicators/units.yml); the others say why in the report, unscored. */
static void test_linked_series_feed_only_comparable_units(void **state)
{
    (void)state;
    const char *db = make_workspace("units", 0);
    acv_ctx_options opt = {.db_path = db, .framework_dir = ACV_TEST_SOURCE_DIR};
    acv_ctx *ctx = NULL;
    acv_error err;
    assert_int_equal(acv_ctx_open(&opt, ACV_NEED_STORE | ACV_NEED_LUA, &ctx, &err), ACV_OK);
    acv_import_origin origin = {.name = "series", .sha256 = "units", .field_word = "field"};
    acv_import_summary sum;
    acv_import *im = NULL;
    assert_int_equal(acv_import_begin(ctx, &origin, NULL, &sum, &im, &err), ACV_OK);
    acv_area city = {.code = "XX-CITY", .name = "A city", .level = "city", .country = "XX"};
    int added = 0;
    assert_int_equal(acv_import_add_area(im, &city, &added, &err), ACV_OK);
    static const struct {
        const char *code, *unit;
    } series[] = {
        {"SDG:16.1.1", "Rate per 1,000"}, /* PS.SRL.1 is per 100,000: converted */
        {"SDG:3.6.1", "Total Number"},    /* CN.MOB.2 is per 100,000: a count is not */
        {"SDG:4.2.2", ""},                /* a placeholder file without a unit */
        {"SDG:11.1.1", "proportion"},     /* SC.INC.1 is in %: a share converts */
    };
    for (size_t i = 0; i < sizeof series / sizeof *series; i++)
        assert_int_equal(
            acv_import_add_series(im, series[i].code, "a series", series[i].unit, &added, &err),
            ACV_OK);
    acv_import_row rows[] = {
        {.area = "XX-CITY", .indicator = "SDG:16.1.1", .period = "2023", .value = "0.04"},
        {.area = "XX-CITY", .indicator = "SDG:16.1.1", .period = "2024", .value = "0.05"},
        {.area = "XX-CITY", .indicator = "SDG:3.6.1", .period = "2024", .value = "255"},
        {.area = "XX-CITY", .indicator = "SDG:4.2.2", .period = "2024", .value = "2"},
        {.area = "XX-CITY", .indicator = "SDG:11.1.1", .period = "2024", .value = "0.2"},
    };
    acv_import_where where = {.file = "series.csv", .line = 2};
    assert_int_equal(acv_import_add(im, &where, rows, sizeof rows / sizeof *rows, &err), ACV_OK);
    assert_int_equal(acv_import_end(im, ACV_OK, &err), ACV_OK);
    acv_score_summary ss;
    assert_int_equal(acv_score_area(ctx, "XX-CITY", 2024, &ss, &err), ACV_OK);
    /* PS.SRL.1, SC.INC.1 and PS.DRR.6 (also linked to 11.1.1) have values; no other */
    assert_int_equal(ss.n_with_value, 3);
    assert_int_equal(ss.n_scored, 3);

    acv_report_model *m = NULL;
    assert_int_equal(acv_report_model_load(ctx, "XX-CITY", 2024, &m, &err), ACV_OK);
    /* 0.05 per 1,000 × 100 = 5 per 100,000; lower is better, worst 10, best 0.5:
     * 100 × (5 − 10)/(0.5 − 10) = 52.631578947... */
    const acv_result *r = row_of(m, "PS.SRL.1");
    assert_true(r->has_value && fabs(r->value - 5) < 1e-9);
    assert_true(r->has_score && fabs(r->score - 500.0 / 9.5) < 1e-9);
    /* the progress method's note follows: the series starts after the 2015 base year */
    assert_string_equal(r->note, "from the imported series SDG:16.1.1, unit per_1000 converted "
                                 "to per_100000 (× 100); no value for 2015; base year 2023 used");
    /* a share of 0.2 is 20%; lower is better, worst 50, best 0: 100 × (20 − 50)/(0 − 50) = 60 */
    r = row_of(m, "SC.INC.1");
    assert_true(r->has_value && fabs(r->value - 20) < 1e-9);
    assert_true(r->has_score && fabs(r->score - 60) < 1e-9);
    /* 255 road deaths are a count: not scored as a rate (it would have scored 0) */
    r = row_of(m, "CN.MOB.2");
    assert_false(r->has_score);
    assert_false(r->has_value);
    assert_string_equal(r->note, "not comparable: unit count, expected per_100000 (imported "
                                 "series SDG:3.6.1)");
    r = row_of(m, "SC.EDU.1");
    assert_false(r->has_score);
    assert_string_equal(r->note, "not comparable: unit unknown, expected percent (imported "
                                 "series SDG:4.2.2)");
    /* the report says so in words */
    acv_buf md = {0};
    assert_int_equal(acv_render_markdown(m, &md, &err), ACV_OK);
    assert_non_null(strstr(md.data, "| not comparable: unit count, expected per_100000 "
                                    "(imported series SDG:3.6.1) |"));
    acv_buf_free(&md);
    acv_report_model_free(m);
    acv_ctx_close(ctx);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_linked_series_feed_only_comparable_units),
    cmocka_unit_test(test_availability_rules_withhold_scores_with_reasons),
    cmocka_unit_test(test_overlay_target_changes_only_that_target),
    cmocka_unit_test(test_overlay_bounds_change_only_their_branch),
    cmocka_unit_test(test_broken_overlay_script_names_file_and_line_and_keeps_results),
    cmocka_unit_test(test_overlay_problems_name_file_line_and_col),
    cmocka_unit_test(test_overlay_log_transform_needs_positive_bounds),
    cmocka_unit_test(test_data_hash_reads_series_by_code_and_year),
    cmocka_unit_test(test_indicator_tables_are_fresh_for_each_area),
    cmocka_unit_test(test_score_all_on_threads_matches_one_thread),
    cmocka_unit_test(test_score_all_stops_at_a_script_error_keeping_earlier_areas),
    cmocka_unit_test(test_random_numbers_do_not_depend_on_earlier_areas),
};

ACV_TEST_MAIN("scoring", tests)
