/*
 * test_validate.c — validation rules and completeness: the shipped rule files load against the
 * shipped framework; broken rule files are refused with file:line:col; each rule kind (range,
 * compare with every operator family and missing-value strategy, jump, Lua) catches exactly the
 * errors planted in fixtures/validate/planted.csv; an overlay's rule replaces the framework's;
 * filters by area, year, indicator and import; completeness figures checked by hand; the status
 * text; and `acvtrack validate` itself.
 *
 * The data set (fixtures/validate/planted.csv) on the small framework of
 * fixtures/validate/framework (5 core indicators in 2 pillars and 3 action areas):
 *   city_a: AA.ONE.1 95 (2022), 104 (2023) and -1 for women (2023); AA.ONE.2 12 and AA.ONE.3 93
 *           (2023); BB.ONE.1 -5 (2023); BB.ONE.2 10 -> 18 (2022 -> 2023); BB.ONE.3 7 in 2021, 2022
 *           and 2023; DE.POP 50000 and DE.DEATHS 60 (2023);
 *   city_b: AA.ONE.1 80 (2019); AA.ONE.2 8 and AA.ONE.3 70 (2023); BB.ONE.1 100 (2020) and 120
 *           (2022); BB.ONE.2 10 -> 10.4 (2022 -> 2023); DE.POP 80000 (2023).
 */
#include "testutil.h"

#include "areas.h"
#include "context.h"
#include "import.h"
#include "validate.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FRAMEWORK ACV_TEST_FIXTURES "/validate/framework"
#define RULES ACV_TEST_FIXTURES "/validate/rules"

typedef struct {
    const char *dir;
    acv_ctx *ctx;
} ws;

/* A workspace on the test framework with the areas and planted.csv imported. */
static ws open_ws(const char *tag)
{
    ws w;
    w.dir = acv_test_tmpdir(tag);
    assert_non_null(w.dir);
    char db[1024];
    snprintf(db, sizeof db, "%s/w.db", w.dir);
    acv_ctx_options o = {.db_path = db, .framework_dir = FRAMEWORK, .create_db = 1};
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_ctx_open(&o, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, &w.ctx, &err), ACV_OK);
    acv_areas_summary as;
    assert_int_equal(
        acv_areas_import(w.ctx, ACV_TEST_FIXTURES "/validate/areas.csv", "areas.csv", &as, &err),
        ACV_OK);
    acv_import_options io = {.display_name = "planted.csv"};
    acv_import_summary is;
    acv_status st =
        acv_import_csv(w.ctx, ACV_TEST_FIXTURES "/validate/planted.csv", &io, &is, &err);
    if (st != ACV_OK)
        fprintf(stderr, "%s\n", err.message);
    assert_int_equal(st, ACV_OK);
    assert_int_equal(is.rows, 21);
    return w;
}

static acv_rules *load(const acv_framework *fw, const char *dir)
{
    acv_rules *r = NULL;
    acv_error err;
    acv_error_clear(&err);
    const char *dirs[1] = {dir};
    acv_status st = acv_rules_load(fw, dirs, NULL, 1, &r, &err);
    if (st != ACV_OK)
        fprintf(stderr, "%s\n", err.message);
    assert_int_equal(st, ACV_OK);
    return r;
}

static int collect(void *ud, const acv_violation *v)
{
    acv_violation_format(v, ud);
    return 0;
}

/* The violations as acvtrack validate prints them (the whole workspace unless f says). */
static char *run_rules(ws *w, const acv_rules *r, const acv_validate_filter *f,
                       acv_validate_summary *sum)
{
    acv_buf b = {0};
    acv_buf_puts(&b, "");
    acv_error err;
    acv_error_clear(&err);
    acv_status st = acv_validate(w->ctx, r, f, collect, &b, sum, &err);
    if (st != ACV_OK)
        fprintf(stderr, "%s\n", err.message);
    assert_int_equal(st, ACV_OK);
    return b.data;
}

/* ---- loading -------------------------------------------------------------------------------- */

static void test_shipped_rules_load(void **state)
{
    (void)state;
    acv_framework *fw = NULL;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_framework_load(ACV_TEST_SOURCE_DIR, &fw, &err), ACV_OK);
    acv_rules *r = load(fw, ACV_TEST_SOURCE_DIR "/indicators/validation");
    assert_int_equal(acv_rules_count(r), 20);
    acv_rules_free(r);
    acv_framework_free(fw);
}

typedef struct {
    const char *yaml;
    const char *message;
} bad_rules_case;

static void test_broken_rule_files_are_refused(void **state)
{
    (void)state;
    static const bad_rules_case cases[] = {
        {"rules:\n  - id: a\n    kind: range\n    units: [\"%\"]\n    min: 0\n    maximum: 1\n",
         "v/x.yml:6:5: unknown key 'maximum' in rule 'a'"},
        {"rules:\n  - id: a\n    kind: range\n    indicators: [AA.ONE.9]\n    min: 0\n",
         "v/x.yml:4:18: unknown indicator or data element 'AA.ONE.9' in rule 'a'"},
        {"rules:\n  - id: a\n    kind: range\n    units: [litres]\n    min: 0\n",
         "v/x.yml:4:13: no indicator or data element has the unit 'litres' (in rule 'a')"},
        {"rules:\n  - id: a\n    kind: range\n    units: [\"%\"]\n",
         "v/x.yml:2:5: rule 'a' needs 'min', 'max' or both"},
        {"rules:\n  - id: a\n    kind: range\n    units: [\"%\"]\n    min: 5\n    max: 1\n",
         "v/x.yml:5:10: min 5 is above max 1 in rule 'a'"},
        {"rules:\n  - id: a\n    kind: range\n    min: 0\n",
         "v/x.yml:2:5: rule 'a' needs 'indicators' (a list of ids, or all) or 'units'"},
        {"rules:\n  - id: a\n    kind: range\n    units: [\"%\"]\n    min: zero\n",
         "v/x.yml:5:10: 'min' must be a number in rule 'a', found 'zero'"},
        {"rules:\n  - id: a\n    kind: ratio\n", "v/x.yml:3:11: unknown kind 'ratio' in rule 'a' "
                                                 "(expected range, compare, jump or lua)"},
        {"rules:\n  - kind: range\n", "v/x.yml:2:5: missing key 'id' in rule #1"},
        {"rules:\n  - id: a\n    kind: range\n    units: [\"%\"]\n    min: 0\n    importance: "
         "urgent\n",
         "v/x.yml:6:17: importance 'urgent' in rule 'a' is not high, medium or low"},
        {"rules:\n  - id: a\n    kind: compare\n    left: AA.ONE.2 +\n    operator: \"<\"\n    "
         "right: \"1\"\n",
         "v/x.yml:4:11: the expression of rule 'a' ends too early"},
        {"rules:\n  - id: a\n    kind: compare\n    left: AA.ONE.2 # 2\n    operator: \"<\"\n    "
         "right: (1\n",
         "v/x.yml:6:12: missing ')' in the expression of rule 'a'"},
        {"rules:\n  - id: a\n    kind: compare\n    left: AA.ONE.2 ^ 2\n    operator: \"<\"\n    "
         "right: \"1\"\n",
         "v/x.yml:4:11: unexpected '^' in the expression of rule 'a'"},
        {"rules:\n  - id: a\n    kind: compare\n    left: AA.ONE.2 * AA.NOPE\n    operator: "
         "\"<\"\n    right: \"1\"\n",
         "v/x.yml:4:11: unknown indicator or data element 'AA.NOPE' in the expression of rule "
         "'a'"},
        {"rules:\n  - id: a\n    kind: compare\n    left: AA.ONE.2\n    operator: \"=<\"\n    "
         "right: \"1\"\n",
         "v/x.yml:5:15: unknown operator '=<' in rule 'a' (expected ==, !=, <, <=, >, >=, "
         "compulsory_pair or exclusive_pair; quote '>' and '>=')"},
        {"rules:\n  - id: a\n    kind: compare\n    left: AA.ONE.2\n    operator: \"<\"\n    "
         "right: \"1\"\n    missing: ignore\n",
         "v/x.yml:7:14: missing 'ignore' in rule 'a' is not skip_if_any_missing, "
         "skip_if_all_missing or never_skip"},
        {"rules:\n  - id: a\n    kind: jump\n    units: [\"%\"]\n",
         "v/x.yml:2:5: rule 'a' needs 'max_change_percent'"},
        {"rules:\n  - id: a\n    kind: jump\n    units: [\"%\"]\n    max_change_percent: 10\n    "
         "max_gap_years: 1.5\n",
         "v/x.yml:6:20: 'max_gap_years' must be a whole number from 1 to 50 in rule 'a'"},
        {"rules:\n  - id: a\n    kind: lua\n    module: ../etc/passwd\n",
         "v/x.yml:4:13: module '../etc/passwd' in rule 'a' is not a module name like "
         "validation.population (scripts/validation/population.lua)"},
        {"rules:\n  - id: a\n    kind: range\n    units: [\"%\"]\n    min: 0\n  - id: a\n    kind: "
         "range\n    units: [\"%\"]\n    max: 1\n",
         "v/x.yml:6:9: rule 'a' is defined twice (also at v/x.yml:2)"},
        {"rule:\n  - id: a\n", "v/x.yml:1:1: unknown key 'rule' (a rule file has only 'rules')"},
        {"- id: a\n", "v/x.yml:1:1: a rule file is a mapping with one key, 'rules'"},
        {"rules: none\n", "v/x.yml:1:8: 'rules' must be a list of rules"},
        {"rules:\n  a: 1\n  a: 2\n", "v/x.yml:3:3: duplicate key 'a' (first at line 2)"},
    };
    acv_framework *fw = NULL;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_framework_load(FRAMEWORK, &fw, &err), ACV_OK);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *dir = acv_test_tmpdir("validate-bad");
        free(acv_test_write(dir, "x.yml", cases[i].yaml));
        acv_rules *r = NULL;
        const char *dirs[1] = {dir}, *shown[1] = {"v"};
        acv_error_clear(&err);
        acv_status st = acv_rules_load(fw, dirs, shown, 1, &r, &err);
        if (strncmp(err.message, cases[i].message, strlen(cases[i].message)) != 0)
            fprintf(stderr, "case %zu: %s\n", i, err.message);
        assert_int_equal(st, ACV_ERR_INPUT);
        assert_null(r);
        assert_string_equal(err.message, cases[i].message);
    }
    /* every problem of a file at once, one per line */
    const char *dir = acv_test_tmpdir("validate-bad");
    free(acv_test_write(dir, "x.yml",
                        "rules:\n  - id: a\n    kind: range\n    min: 0\n"
                        "  - id: b\n    kind: size\n"));
    acv_rules *r = NULL;
    const char *dirs[1] = {dir}, *shown[1] = {"v"};
    assert_int_equal(acv_rules_load(fw, dirs, shown, 1, &r, &err), ACV_ERR_INPUT);
    assert_string_equal(err.message,
                        "v/x.yml:2:5: rule 'a' needs 'indicators' (a list of ids, or all) or "
                        "'units'\n"
                        "v/x.yml:6:11: unknown kind 'size' in rule 'b' (expected range, compare, "
                        "jump or lua)");
    /* no folder, no rules */
    const char *none[1] = {"tmp/no/such/folder"};
    assert_int_equal(acv_rules_load(fw, none, NULL, 1, &r, &err), ACV_OK);
    assert_int_equal(acv_rules_count(r), 0);
    acv_rules_free(r);
    acv_framework_free(fw);
}

/* ---- each kind on the planted errors ------------------------------------------------------ */

static void test_range_rules(void **state)
{
    (void)state;
    ws w = open_ws("validate-range");
    acv_rules *r = load(w.ctx->fw, RULES "/range");
    acv_validate_summary sum;
    char *out = run_rules(&w, r, NULL, &sum);
    assert_string_equal(
        out,
        "high    city_a                2023    percent-0-100: AA.ONE.1 = 104 is above the maximum "
        "100 (planted.csv:3)\n"
        "high    city_a                2023    percent-0-100: AA.ONE.1 [sex=female] = -1 is below "
        "the minimum 0 (planted.csv:4)\n"
        "medium  city_a                2023    employment-30-90: AA.ONE.3 = 93 is above the "
        "maximum 90 (planted.csv:6)\n"
        "low     city_a                2023    never-negative: AA.ONE.1 [sex=female] = -1 is below "
        "the minimum 0 (planted.csv:4)\n"
        "low     city_a                2023    never-negative: BB.ONE.1 = -5 is below the minimum "
        "0 (planted.csv:7)\n");
    assert_int_equal(sum.violations, 5);
    assert_int_equal(sum.by_importance[ACV_IMPORTANCE_HIGH], 2);
    assert_int_equal(sum.by_importance[ACV_IMPORTANCE_MEDIUM], 1);
    assert_int_equal(sum.by_importance[ACV_IMPORTANCE_LOW], 2);
    assert_int_equal(sum.rules, 3);
    assert_int_equal(sum.areas, 3);
    assert_int_equal(sum.observations, 21);
    free(out);
    acv_rules_free(r);
    acv_ctx_close(w.ctx);
}

static void test_compare_rules(void **state)
{
    (void)state;
    ws w = open_ws("validate-compare");
    acv_rules *r = load(w.ctx->fw, RULES "/compare");
    char *out = run_rules(&w, r, NULL, NULL);
    assert_string_equal(
        out,
        /* never_skip: a period with data but no DE.DEATHS counts it as 0 */
        "low     city_a                2021    deaths-every-year: (DE.DEATHS) = 0 is not >= "
        "-(-1) = 1\n"
        "low     city_a                2022    deaths-every-year: (DE.DEATHS) = 0 is not >= "
        "-(-1) = 1\n"
        "medium  city_a                2023    employment-plus-unemployment: Employment and "
        "unemployment rates add up to at most 100: AA.ONE.2 + AA.ONE.3 = 105 is not <= 100 "
        "(planted.csv:5)\n"
        "high    city_a                2023    deaths-within-population: DE.DEATHS = 60 is not < "
        "DE.POP / 1000 = 50 (planted.csv:14)\n"
        "low     city_a                2023    employment-or-events: Only one of these is "
        "collected per year: AA.ONE.3 and BB.ONE.3 both have values (only one may) "
        "(planted.csv:6)\n"
        "low     city_a                2023    deaths-every-year: (DE.DEATHS) = 0 is not >= "
        "-(-1) = 1\n"
        "low     city_b                2019    deaths-every-year: (DE.DEATHS) = 0 is not >= "
        "-(-1) = 1\n"
        "low     city_b                2020    deaths-every-year: (DE.DEATHS) = 0 is not >= "
        "-(-1) = 1\n"
        "low     city_b                2022    deaths-every-year: (DE.DEATHS) = 0 is not >= "
        "-(-1) = 1\n"
        "low     city_b                2023    population-needs-deaths: DE.POP has a value but "
        "DE.DEATHS has none (they go together) (planted.csv:21)\n"
        "low     city_b                2023    enough-activity: AA.ONE.2 + AA.ONE.3 = 78 is not "
        ">= 80 (planted.csv:16)\n"
        "low     city_b                2023    deaths-every-year: (DE.DEATHS) = 0 is not >= "
        "-(-1) = 1\n");
    free(out);
    acv_rules_free(r);
    acv_ctx_close(w.ctx);
}

static void test_jump_rules(void **state)
{
    (void)state;
    ws w = open_ws("validate-jump");
    acv_rules *r = load(w.ctx->fw, RULES "/jump");
    char *out = run_rules(&w, r, NULL, NULL);
    assert_string_equal(
        out,
        "low     city_a                2023    green-space-jump: BB.ONE.2 changed from 10 in 2022 "
        "to 18 in 2023 (+80%; the rule allows 50%) (planted.csv:9)\n"
        "medium  city_a                2023    any-jump-over-2-years: AA.ONE.1 changed from 95 in "
        "2022 to 104 in 2023 (+9%; the rule allows 5%) (planted.csv:3)\n"
        "medium  city_b                2022    any-jump-over-2-years: BB.ONE.1 changed from 100 in "
        "2020 to 120 in 2022 (+20%; the rule allows 5%) (planted.csv:18)\n");
    free(out);
    acv_rules_free(r);
    acv_ctx_close(w.ctx);
}

static void test_lua_rules(void **state)
{
    (void)state;
    ws w = open_ws("validate-lua");
    acv_rules *r = load(w.ctx->fw, RULES "/lua");
    char *out = run_rules(&w, r, NULL, NULL);
    assert_string_equal(out, "medium  city_a                2023    copied-forward: BB.ONE.3 is 7 "
                             "in 2021, 2022 and 2023: copied forward? (planted.csv:12)\n");
    free(out);
    acv_rules_free(r);

    /* a rule script that returns nonsense, or is missing, fails with its name */
    const char *dir = acv_test_tmpdir("validate-lua-bad");
    free(acv_test_write(dir, "bad.yml",
                        "rules:\n  - id: bad\n    kind: lua\n    module: "
                        "validation.nothing_here\n"));
    r = load(w.ctx->fw, dir);
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_validate(w.ctx, r, NULL, NULL, NULL, NULL, &err), ACV_ERR_SCRIPT);
    assert_non_null(strstr(err.message, "rule 'bad' ("));
    assert_non_null(strstr(err.message, "validation.nothing_here"));
    acv_rules_free(r);
    acv_ctx_close(w.ctx);
}

static void test_overlay_rule_replaces_framework_rule(void **state)
{
    (void)state;
    ws w = open_ws("validate-overlay");
    acv_rules *r = NULL;
    acv_error err;
    acv_error_clear(&err);
    const char *dirs[2] = {RULES "/range", RULES "/overlay"};
    assert_int_equal(acv_rules_load(w.ctx->fw, dirs, NULL, 2, &r, &err), ACV_OK);
    assert_int_equal(acv_rules_count(r), 3);
    char *out = run_rules(&w, r, NULL, NULL);
    /* 104 is within the overlay's 0-110, and -1 is now of low importance */
    assert_string_equal(
        out,
        "low     city_a                2023    percent-0-100: AA.ONE.1 [sex=female] = -1 is below "
        "the minimum 0 (planted.csv:4)\n"
        "medium  city_a                2023    employment-30-90: AA.ONE.3 = 93 is above the "
        "maximum 90 (planted.csv:6)\n"
        "low     city_a                2023    never-negative: AA.ONE.1 [sex=female] = -1 is below "
        "the minimum 0 (planted.csv:4)\n"
        "low     city_a                2023    never-negative: BB.ONE.1 = -5 is below the minimum "
        "0 (planted.csv:7)\n");
    free(out);
    acv_rules_free(r);
    acv_ctx_close(w.ctx);
}

/* ---- filters and the whole planted set ---------------------------------------------------- */

static const char *const PLANTED_BY_FRAMEWORK_RULES =
    "high    city_a                2023    percent-0-100: AA.ONE.1 = 104 is above the maximum 100 "
    "(planted.csv:3)\n"
    "high    city_a                2023    percent-0-100: AA.ONE.1 [sex=female] = -1 is below the "
    "minimum 0 (planted.csv:4)\n"
    "medium  city_a                2023    enterprises-not-negative: BB.ONE.1 = -5 is below the "
    "minimum 0 (planted.csv:7)\n"
    "medium  city_a                2023    employment-plus-unemployment: Employment and "
    "unemployment rates add up to at most 100: AA.ONE.2 + AA.ONE.3 = 105 is not <= 100 "
    "(planted.csv:5)\n"
    "low     city_a                2023    deaths-within-population: DE.DEATHS = 60 is not < "
    "DE.POP / 1000 = 50 (planted.csv:14)\n"
    "low     city_a                2023    green-space-jump: BB.ONE.2 changed from 10 in 2022 to "
    "18 in 2023 (+80%; the rule allows 50%) (planted.csv:9)\n";

static void test_every_planted_error_is_caught(void **state)
{
    (void)state;
    ws w = open_ws("validate-planted");
    acv_rules *r = NULL;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_rules_load_ctx(w.ctx, &r, &err), ACV_OK);
    assert_int_equal(acv_rules_count(r), 5);
    acv_validate_summary sum;
    char *out = run_rules(&w, r, NULL, &sum);
    assert_string_equal(out, PLANTED_BY_FRAMEWORK_RULES);
    assert_int_equal(sum.violations, 6);
    free(out);
    acv_rules_free(r);

    /* the planted value that only a Lua rule can see */
    const char *dirs[2] = {FRAMEWORK "/indicators/validation", RULES "/lua"};
    assert_int_equal(acv_rules_load(w.ctx->fw, dirs, NULL, 2, &r, &err), ACV_OK);
    out = run_rules(&w, r, NULL, &sum);
    assert_int_equal(sum.violations, 7);
    assert_non_null(strstr(out, "copied-forward: BB.ONE.3 is 7 in 2021, 2022 and 2023"));
    free(out);
    acv_rules_free(r);
    acv_ctx_close(w.ctx);
}

static void test_filters(void **state)
{
    (void)state;
    ws w = open_ws("validate-filters");
    acv_rules *r = load(w.ctx->fw, RULES "/jump");
    const char *b[1] = {"city_b"};
    acv_validate_filter f = {.areas = b, .n_areas = 1};
    acv_validate_summary sum;
    char *out = run_rules(&w, r, &f, &sum);
    assert_string_equal(out, "medium  city_b                2022    any-jump-over-2-years: "
                             "BB.ONE.1 changed from 100 in 2020 to 120 in 2022 (+20%; the rule "
                             "allows 5%) (planted.csv:18)\n");
    assert_int_equal(sum.areas, 1);
    assert_int_equal(sum.observations, 8);
    free(out);

    acv_validate_filter year = {.year = 2022};
    out = run_rules(&w, r, &year, NULL);
    assert_string_equal(out, "medium  city_b                2022    any-jump-over-2-years: "
                             "BB.ONE.1 changed from 100 in 2020 to 120 in 2022 (+20%; the rule "
                             "allows 5%) (planted.csv:18)\n");
    free(out);
    acv_rules_free(r);

    r = load(w.ctx->fw, RULES "/compare");
    acv_validate_filter ind = {.indicator = "AA.ONE.3"};
    out = run_rules(&w, r, &ind, NULL);
    /* rules whose sides name the indicator, wherever the violation points */
    assert_string_equal(
        out,
        "medium  city_a                2023    employment-plus-unemployment: Employment and "
        "unemployment rates add up to at most 100: AA.ONE.2 + AA.ONE.3 = 105 is not <= 100 "
        "(planted.csv:5)\n"
        "low     city_a                2023    employment-or-events: Only one of these is "
        "collected per year: AA.ONE.3 and BB.ONE.3 both have values (only one may) "
        "(planted.csv:6)\n"
        "low     city_b                2023    enough-activity: AA.ONE.2 + AA.ONE.3 = 78 is not "
        ">= 80 (planted.csv:16)\n");
    free(out);
    acv_rules_free(r);

    /* an unknown area */
    const char *x[1] = {"atlantis"};
    acv_validate_filter fx = {.areas = x, .n_areas = 1};
    acv_error err;
    acv_error_clear(&err);
    r = load(w.ctx->fw, RULES "/jump");
    assert_int_equal(acv_validate(w.ctx, r, &fx, NULL, NULL, NULL, &err), ACV_ERR_NOTFOUND);
    assert_string_equal(err.message, "unknown area 'atlantis' (see 'acvtrack areas list'; add it "
                                     "with 'acvtrack areas import')");
    acv_rules_free(r);
    acv_ctx_close(w.ctx);
}

/* ---- completeness -----------------------------------------------------------------------------
 */

static void test_completeness_by_hand(void **state)
{
    (void)state;
    ws w = open_ws("validate-completeness");
    const acv_framework *fw = w.ctx->fw;
    acv_completeness c;
    acv_error err;
    acv_error_clear(&err);
    /*
     * city_b, 2021-2023. Core: AA.ONE.1, AA.ONE.2 (AA.ONE), AA.TWO.1 (AA.TWO, a formula
     * DE.DEATHS / DE.POP), BB.ONE.1, BB.ONE.2 (BB.ONE).
     *   AA.ONE.1: only 2019                          -> no
     *   AA.ONE.2: 2023                               -> yes
     *   AA.TWO.1: DE.POP 2023 but no DE.DEATHS       -> no
     *   BB.ONE.1: 2022                               -> yes
     *   BB.ONE.2: 2022, 2023                         -> yes
     * overall 3 of 5; AA 1 of 3 (AA.ONE 1 of 2, AA.TWO 0 of 1); BB 2 of 2.
     */
    assert_int_equal(acv_completeness_compute(w.ctx, "city_b", 2023, 3, &c, &err), ACV_OK);
    assert_int_equal(c.from_year, 2021);
    assert_int_equal(c.to_year, 2023);
    assert_int_equal(c.overall.core, 5);
    assert_int_equal(c.overall.with_value, 3);
    assert_int_equal(c.pillars[0].core, 3);
    assert_int_equal(c.pillars[0].with_value, 1);
    assert_int_equal(c.pillars[1].core, 2);
    assert_int_equal(c.pillars[1].with_value, 2);
    assert_int_equal(c.action_areas[0].with_value, 1); /* AA.ONE */
    assert_int_equal(c.action_areas[0].core, 2);
    assert_int_equal(c.action_areas[1].with_value, 0); /* AA.TWO */
    assert_int_equal(c.action_areas[1].core, 1);
    assert_string_equal(fw->indicators[0].id, "AA.ONE.1");
    assert_int_equal(c.has_value[0], 0);
    assert_int_equal(c.has_value[2], 1); /* AA.ONE.3, optional, has a value */
    acv_completeness_free(&c);

    /* five years reach back to 2019: AA.ONE.1 counts */
    assert_int_equal(acv_completeness_compute(w.ctx, "city_b", 2023, 5, &c, &err), ACV_OK);
    assert_int_equal(c.overall.with_value, 4);
    acv_completeness_free(&c);

    /* city_a: the formula indicator counts through its data elements (2023) */
    assert_int_equal(acv_completeness_compute(w.ctx, "city_a", 0, 0, &c, &err), ACV_OK);
    assert_int_equal(c.to_year, 2023);   /* the latest year with data */
    assert_int_equal(c.from_year, 2021); /* the framework's carry_forward_years (3) */
    assert_int_equal(c.overall.with_value, 5);
    assert_int_equal(c.action_areas[1].with_value, 1);
    acv_completeness_free(&c);

    /* a year before the data: nothing */
    assert_int_equal(acv_completeness_compute(w.ctx, "city_a", 2010, 3, &c, &err), ACV_OK);
    assert_int_equal(c.overall.with_value, 0);
    assert_int_equal(c.overall.core, 5);
    acv_completeness_free(&c);

    assert_int_equal(acv_completeness_compute(w.ctx, "atlantis", 2023, 3, &c, &err),
                     ACV_ERR_NOTFOUND);
    acv_ctx_close(w.ctx);
}

static char *no_times(char *s)
{
    regex_t re;
    assert_int_equal(
        regcomp(&re, "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z", REG_EXTENDED), 0);
    regmatch_t m;
    char *p = s;
    while (regexec(&re, p, 1, &m, 0) == 0) {
        memcpy(p + m.rm_so, "<time>", 6);
        memmove(p + m.rm_so + 6, p + m.rm_eo, strlen(p + m.rm_eo) + 1);
        p += m.rm_so + 6;
    }
    regfree(&re);
    return s;
}

static const char *const STATUS_CITY_B =
    "city_b: City B (city, TC)\n"
    "observations: 8, 2019-2023 (8 final); 0 earlier versions kept\n"
    "last import: 1 (planted.csv, <time>)\n"
    "completeness: core indicators with a value in 2021-2023\n"
    "  overall     3 of   5   60.0%\n"
    "  AA          1 of   3   33.3%  Alpha\n"
    "    AA.ONE    1 of   2   50.0%  First area\n"
    "    AA.TWO    0 of   1    0.0%  Second area\n"
    "  BB          2 of   2  100.0%  Beta\n"
    "    BB.ONE    2 of   2  100.0%  Third area\n"
    "core indicators without a value: AA.ONE.1, AA.TWO.1\n"
    "validation: 0 high, 0 medium, 0 low (details: acvtrack validate --area city_b)\n";

static void test_status_text(void **state)
{
    (void)state;
    ws w = open_ws("validate-status");
    acv_buf b = {0};
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_status_text(w.ctx, "city_b", 2023, 3, &b, &err), ACV_OK);
    assert_string_equal(no_times(b.data), STATUS_CITY_B);
    acv_buf_free(&b);
    assert_int_equal(acv_status_text(w.ctx, "TC", 0, 0, &b, &err), ACV_OK);
    char *t = no_times(b.data);
    assert_non_null(strstr(t, "TC: Test country (country, TC)\n"
                              "observations: none yet (import them with 'acvtrack import')\n"));
    acv_buf_free(&b);
    acv_ctx_close(w.ctx);
}

/* ---- the command line ---------------------------------------------------------------------- */

/* Runs the binary in dir; *out is its standard output, and *err (when asked) its standard error;
 * without err both go to *out. */
static int run2(const char *dir, char **out, char **err, const char *args)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "(cd '%s' && '%s' --db w.db --framework '%s' %s %s)", dir,
             ACV_TEST_BINARY, FRAMEWORK, args, err ? "2>err.txt" : "2>&1");
    int rc = acv_test_run(cmd, out);
    if (err) {
        char path[1024];
        snprintf(path, sizeof path, "%s/err.txt", dir);
        *err = acv_test_read(path);
        assert_non_null(*err);
    }
    return rc;
}

static int run(const char *dir, char **out, const char *args)
{
    return run2(dir, out, NULL, args);
}

static void test_validate_and_status_commands(void **state)
{
    (void)state;
    ws w = open_ws("validate-cli");
    acv_ctx_close(w.ctx);
    char *out = NULL;
    char *err = NULL;
    assert_int_equal(run2(w.dir, &out, &err, "validate"), 3);
    assert_string_equal(out, PLANTED_BY_FRAMEWORK_RULES);
    assert_string_equal(err, "6 violations (2 high, 2 medium, 2 low); 5 rules over 21 "
                             "observations of 3 areas\n");
    free(out);
    free(err);
    /* no high-importance violation: exit 0; --strict: any violation fails */
    assert_int_equal(run(w.dir, &out, "validate --area city_b"), 0);
    assert_string_equal(out, "0 violations (0 high, 0 medium, 0 low); 5 rules over 8 "
                             "observations of 1 area\n");
    free(out);
    assert_int_equal(run(w.dir, &out,
                         "validate --area city_a --year 2023 --indicator BB.ONE.2 "
                         "--strict -q"),
                     3);
    assert_string_equal(out, "low     city_a                2023    green-space-jump: BB.ONE.2 "
                             "changed from 10 in 2022 to 18 in 2023 (+80%; the rule allows 50%) "
                             "(planted.csv:9)\n");
    free(out);
    assert_int_equal(run(w.dir, &out, "validate --year 2023 --limit 1 -q"), 3);
    assert_string_equal(out, "high    city_a                2023    percent-0-100: AA.ONE.1 = "
                             "104 is above the maximum 100 (planted.csv:3)\n");
    free(out);
    assert_int_equal(run(w.dir, &out, "status --area city_b --year 2023"), 0);
    assert_string_equal(no_times(out), STATUS_CITY_B);
    free(out);
    assert_int_equal(run(w.dir, &out, "status"), 2);
    assert_string_equal(out, "acvtrack: status needs --area CODE\nTry 'acvtrack status --help'.\n");
    free(out);
    assert_int_equal(run(w.dir, &out, "status --area city_b --opt years=0"), 2);
    assert_string_equal(out, "acvtrack: --opt 'years=0': years is a count from 1 to 100\n"
                             "Try 'acvtrack status --help'.\n");
    free(out);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_rules_load),
        cmocka_unit_test(test_broken_rule_files_are_refused),
        cmocka_unit_test(test_range_rules),
        cmocka_unit_test(test_compare_rules),
        cmocka_unit_test(test_jump_rules),
        cmocka_unit_test(test_lua_rules),
        cmocka_unit_test(test_overlay_rule_replaces_framework_rule),
        cmocka_unit_test(test_every_planted_error_is_caught),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_completeness_by_hand),
        cmocka_unit_test(test_status_text),
        cmocka_unit_test(test_validate_and_status_commands),
    };
    return acv_test_main(argc, argv, "validate", tests, sizeof tests / sizeof *tests);
}
