/*
 * test_framework.c — the strict framework loader. A valid framework with every field set, one
 * fixture folder per kind of error (tests/fixtures/framework/CASE/indicators/NAME.yml, each a
 * minimal valid framework with one thing broken) with the exact problems it must produce, and the
 * shipped framework.
 */
#include "testutil.h"

#include "framework.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIXTURE(name) ACV_TEST_FIXTURES "/framework/" name

/* Loads a fixture folder expecting success and no problems. */
static acv_framework *load_ok(const char *dir)
{
    acv_framework *fw = NULL;
    acv_error err;
    acv_error_clear(&err);
    acv_status st = acv_framework_load(dir, &fw, &err);
    if (st != ACV_OK)
        fprintf(stderr, "unexpected: %s\n", err.message);
    assert_int_equal(st, ACV_OK);
    assert_non_null(fw);
    assert_int_equal(fw->n_problems, 0);
    return fw;
}

/* Loads a fixture folder expecting ACV_ERR_INPUT with exactly the problems given, in order. */
static void expect_problems(const char *dir, const char *const *expected, size_t n)
{
    acv_framework *fw = NULL;
    acv_error err;
    acv_error_clear(&err);
    acv_status st = acv_framework_load(dir, &fw, &err);
    assert_int_equal(st, ACV_ERR_INPUT);
    assert_int_equal(err.status, ACV_ERR_INPUT);
    assert_non_null(fw);
    for (size_t i = 0; i < fw->n_problems; i++)
        fprintf(stderr, "problem %zu: %s\n", i, fw->problems[i]);
    assert_int_equal(fw->n_problems, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(fw->problems[i], expected[i]);
    /* err carries the first problem, and the count when there are more */
    char first[ACV_ERROR_MAX];
    if (n == 1)
        snprintf(first, sizeof first, "%s", expected[0]);
    else
        snprintf(first, sizeof first,
                 "%s\n(%zu problems in the framework; 'acvtrack framework check' lists them all)",
                 expected[0], n);
    assert_string_equal(err.message, first);
    acv_framework_free(fw);
}

#define EXPECT_PROBLEMS(dir, ...)                                                                  \
    do {                                                                                           \
        static const char *const expected_[] = {__VA_ARGS__};                                      \
        expect_problems(dir, expected_, sizeof expected_ / sizeof expected_[0]);                   \
    } while (0)

static int is_hex64(const char *s)
{
    if (strlen(s) != 64)
        return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return 0;
    return 1;
}

static void minimal_loads(void **state)
{
    (void)state;
    /* the base every error fixture below changes in one place */
    acv_framework *fw = load_ok(FIXTURE("minimal"));
    assert_string_equal(fw->id, "test-minimal");
    assert_string_equal(fw->name, "Minimal test framework");
    assert_string_equal(fw->version, "1.0");
    assert_null(fw->description);
    assert_int_equal(fw->n_sources, 0);
    assert_int_equal(fw->n_pillars, 1);
    assert_int_equal(fw->n_action_areas, 1);
    assert_int_equal(fw->n_indicators, 2);
    assert_int_equal(fw->n_data_elements, 0);
    assert_true(is_hex64(fw->hash));
    acv_framework_free(fw);
}

static void valid_framework_fields(void **state)
{
    (void)state;
    acv_framework *fw = load_ok(FIXTURE("valid"));
    assert_string_equal(fw->dir, FIXTURE("valid"));
    assert_string_equal(fw->id, "test-valid");
    assert_string_equal(fw->name, "Valid test framework");
    assert_string_equal(fw->version, "2.1.0");
    assert_string_equal(fw->description, "One pillar, one action area, three indicators.");
    assert_int_equal(fw->n_sources, 2);
    assert_string_equal(fw->sources[0], "Test source one");
    assert_string_equal(fw->sources[1], "Test source two");

    assert_int_equal(fw->n_pillars, 1);
    const acv_pillar *p = &fw->pillars[0];
    assert_string_equal(p->id, "EC");
    assert_string_equal(p->name, "Economic");
    assert_string_equal(p->community, "AEC");
    assert_string_equal(p->description, "The economic pillar.");
    assert_int_equal(acv_framework_find_pillar(fw, "EC"), 0);
    assert_int_equal(acv_framework_find_pillar(fw, "PS"), -1);

    assert_int_equal(fw->n_action_areas, 1);
    const acv_action_area *a = &fw->action_areas[0];
    assert_string_equal(a->id, "EC.MSME");
    assert_string_equal(a->name, "MSME development");
    assert_string_equal(a->description, "Small firms.");
    assert_int_equal(a->agmf_theme, 1);
    assert_int_equal(a->n_asus_focus, 1);
    assert_string_equal(a->asus_focus[0], "Industry & innovation");
    assert_int_equal(a->n_goals, 2);
    assert_string_equal(a->goals[0].code, "AEC-SG1");
    assert_string_equal(a->goals[0].title, "An action-oriented community");
    assert_int_equal(a->goals[0].verified, 1);
    assert_string_equal(a->goals[1].code, "AEC-SG?-DIGITAL");
    assert_null(a->goals[1].title);
    assert_int_equal(a->goals[1].verified, 0);
    assert_int_equal(a->pillar, 0);
    assert_int_equal(acv_framework_find_action_area(fw, "EC.MSME"), 0);
    assert_int_equal(acv_framework_find_action_area(fw, "EC.JOB"), -1);

    assert_int_equal(fw->n_indicators, 3);
    assert_int_equal(acv_framework_find_indicator(fw, "EC.MSME.4"), -1);

    /* every field set */
    long i1 = acv_framework_find_indicator(fw, "EC.MSME.1");
    assert_true(i1 >= 0);
    const acv_indicator *ind = &fw->indicators[i1];
    assert_string_equal(ind->id, "EC.MSME.1");
    assert_string_equal(ind->name, "Active registered MSMEs per 1,000 population");
    assert_string_equal(ind->short_name, "Active MSMEs");
    assert_string_equal(ind->definition,
                        "MSMEs holding a valid registration at year-end, per 1,000 residents.");
    assert_string_equal(ind->unit, "per 1,000");
    assert_int_equal(ind->direction, ACV_DIR_HIGHER);
    assert_string_equal(acv_direction_name(ind->direction), "higher");
    assert_int_equal(ind->core, 1);
    assert_int_equal(ind->has_bounds, 1);
    assert_true(ind->worst == 5.0);
    assert_true(ind->best == 60.0);
    assert_string_equal(ind->bounds_reason, "Spans low- and high-formalisation cities.");
    assert_int_equal(ind->n_targets, 2);
    const acv_target *t = &ind->targets[0];
    assert_int_equal(t->year, 2030);
    assert_string_equal(t->kind, "rel_pct");
    assert_int_equal(t->has_value, 1);
    assert_true(t->value == 25.0);
    assert_string_equal(t->baseline, "2015-2019");
    assert_string_equal(t->provenance, "expert");
    assert_string_equal(t->reference, "+25% vs the 2015-2019 average");
    t = &ind->targets[1];
    assert_int_equal(t->year, 2045);
    assert_string_equal(t->kind, "abs");
    assert_int_equal(t->has_value, 1);
    assert_true(t->value == 50.5);
    assert_null(t->baseline);
    assert_string_equal(t->provenance, "sdg");
    assert_string_equal(t->reference, "SDG 8.3");
    assert_ptr_equal(acv_indicator_target(ind, 2030), &ind->targets[0]);
    assert_ptr_equal(acv_indicator_target(ind, 2045), &ind->targets[1]);
    assert_null(acv_indicator_target(ind, 2040));
    char desc[128];
    acv_target_describe(ind, &ind->targets[0], desc, sizeof desc);
    assert_string_equal(desc, "+25% vs 2015-2019");
    acv_target_describe(ind, &ind->targets[1], desc, sizeof desc);
    assert_string_equal(desc, "\xE2\x89\xA5 50.5");
    acv_target_describe(ind, NULL, desc, sizeof desc);
    assert_string_equal(desc, "none");
    assert_int_equal(ind->n_sdg, 2);
    assert_string_equal(ind->sdg[0], "8.3.1");
    assert_string_equal(ind->sdg[1], "9.a.1(b)");
    assert_string_equal(ind->sdg_relation, "related");
    assert_string_equal(ind->iso37120, "cl.5 Economy");
    assert_string_equal(ind->umf, "Inclusive x Economy");
    assert_int_equal(ind->n_asus, 1);
    assert_string_equal(ind->asus[0], "Industry & innovation");
    assert_int_equal(ind->n_other_links, 1);
    assert_string_equal(ind->other_links[0], "SAP-SMED 2016-2025");
    assert_string_equal(ind->data_source, "Business-permit office");
    assert_string_equal(ind->frequency, "annual");
    assert_int_equal(ind->n_disaggregations, 2);
    assert_string_equal(ind->disaggregations[0], "size class");
    assert_string_equal(ind->disaggregations[1], "sex of owner");
    assert_int_equal(ind->has_formula, 1);
    assert_string_equal(ind->numerator, "DE.MSME");
    assert_string_equal(ind->denominator, "DE.POP");
    assert_true(ind->factor == 1000.0);
    assert_string_equal(ind->transform, "log");
    assert_int_equal(ind->smoothing_years, 3);
    assert_string_equal(ind->method, "goalposts");
    assert_int_equal(ind->action_area, 0);
    assert_string_equal(ind->file, "indicators/economic.yml");
    assert_int_equal(ind->line, 21);
    assert_int_equal(ind->col, 5);

    /* a lower indicator with only the required fields, bounds and targets in flow style */
    long i2 = acv_framework_find_indicator(fw, "EC.MSME.2");
    assert_true(i2 >= 0);
    ind = &fw->indicators[i2];
    assert_string_equal(ind->name, "Share of MSME loans in arrears");
    assert_string_equal(ind->short_name, "Share of MSME loans in arrears"); /* falls back */
    assert_string_equal(ind->unit, "%");
    assert_int_equal(ind->direction, ACV_DIR_LOWER);
    assert_string_equal(acv_direction_name(ind->direction), "lower");
    assert_int_equal(ind->core, 0);
    assert_int_equal(ind->has_bounds, 1);
    assert_true(ind->worst == 20.0);
    assert_true(ind->best == 2.0);
    assert_string_equal(ind->bounds_reason, "Observed range in ASEAN cities.");
    assert_int_equal(ind->n_targets, 2);
    assert_int_equal(ind->targets[0].year, 2030);
    assert_string_equal(ind->targets[0].kind, "halve_gap");
    assert_int_equal(ind->targets[0].has_value, 0);
    assert_string_equal(ind->targets[0].baseline, "2019");
    assert_string_equal(ind->targets[0].provenance, "national");
    assert_string_equal(ind->targets[0].reference, "City plan");
    assert_int_equal(ind->targets[1].year, 2045);
    assert_string_equal(ind->targets[1].kind, "none");
    assert_int_equal(ind->targets[1].has_value, 0);
    assert_null(ind->targets[1].baseline);
    acv_target_describe(ind, &ind->targets[0], desc, sizeof desc);
    assert_string_equal(desc, "halve the gap to 2 vs 2019");
    acv_target_describe(ind, &ind->targets[1], desc, sizeof desc);
    assert_string_equal(desc, "none");
    assert_int_equal(ind->n_sdg, 0);
    assert_null(ind->sdg_relation);
    assert_null(ind->iso37120);
    assert_null(ind->data_source);
    assert_int_equal(ind->n_disaggregations, 0);
    assert_int_equal(ind->has_formula, 0);
    assert_null(ind->transform);
    assert_int_equal(ind->smoothing_years, 0);
    assert_null(ind->method);
    assert_int_equal(ind->line, 58);
    assert_int_equal(ind->col, 5);

    /* a contextual indicator: no bounds, a formula without denominator or factor */
    long i3 = acv_framework_find_indicator(fw, "EC.MSME.3");
    assert_true(i3 >= 0);
    ind = &fw->indicators[i3];
    assert_int_equal(ind->direction, ACV_DIR_CONTEXTUAL);
    assert_string_equal(acv_direction_name(ind->direction), "contextual");
    assert_int_equal(ind->has_bounds, 0);
    assert_null(ind->bounds_reason);
    assert_int_equal(ind->n_targets, 0);
    assert_int_equal(ind->has_formula, 1);
    assert_string_equal(ind->numerator, "DE.MSME");
    assert_null(ind->denominator);
    assert_true(ind->factor == 1.0);

    assert_int_equal(fw->n_data_elements, 2);
    assert_string_equal(fw->data_elements[0].id, "DE.MSME");
    assert_string_equal(fw->data_elements[0].name, "Active registered MSMEs");
    assert_string_equal(fw->data_elements[0].unit, "enterprises");
    assert_string_equal(fw->data_elements[0].description, "MSMEs with a valid permit at year-end.");
    assert_string_equal(fw->data_elements[1].id, "DE.POP");
    assert_string_equal(fw->data_elements[1].unit, "persons");
    assert_null(fw->data_elements[1].description);

    assert_true(is_hex64(fw->hash));
    acv_framework_free(fw);
}

/* Copies the 'valid' fixture into a temp folder, so a test can change a file. */
static const char *copy_valid(const char *tag)
{
    static const char *const files[] = {"framework.yml", "economic.yml", "data-elements.yml"};
    const char *dir = acv_test_tmpdir(tag);
    assert_non_null(dir);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char src[1024], dst[256];
        snprintf(src, sizeof src, "%s/indicators/%s", FIXTURE("valid"), files[i]);
        snprintf(dst, sizeof dst, "indicators/%s", files[i]);
        char *text = acv_test_read(src);
        assert_non_null(text);
        free(acv_test_write(dir, dst, text));
        free(text);
    }
    return dir;
}

static void hash_covers_the_files(void **state)
{
    (void)state;
    acv_framework *fw = load_ok(FIXTURE("valid"));
    char original[65];
    memcpy(original, fw->hash, sizeof original);
    assert_true(is_hex64(original));
    acv_framework_free(fw);

    /* the same files elsewhere: the same hash (the folder is not part of it) */
    const char *dir = copy_valid("fwhash");
    fw = load_ok(dir);
    assert_string_equal(fw->hash, original);
    acv_framework_free(fw);

    /* a comment changes no field, but the hash still says the files differ */
    char path[600];
    snprintf(path, sizeof path, "%s/indicators/economic.yml", dir);
    char *text = acv_test_read(path);
    assert_non_null(text);
    size_t n = strlen(text) + 32;
    char *changed = malloc(n);
    assert_non_null(changed);
    snprintf(changed, n, "%s# a comment\n", text);
    free(acv_test_write(dir, "indicators/economic.yml", changed));
    fw = load_ok(dir);
    assert_true(is_hex64(fw->hash));
    assert_string_not_equal(fw->hash, original);
    char with_comment[65];
    memcpy(with_comment, fw->hash, sizeof with_comment);
    acv_framework_free(fw);

    /* loading again gives the same hash */
    fw = load_ok(dir);
    assert_string_equal(fw->hash, with_comment);
    acv_framework_free(fw);

    /* and restoring the file restores the hash */
    free(acv_test_write(dir, "indicators/economic.yml", text));
    fw = load_ok(dir);
    assert_string_equal(fw->hash, original);
    acv_framework_free(fw);
    free(changed);
    free(text);
}

static void missing_folder(void **state)
{
    (void)state;
    acv_framework *fw = (acv_framework *)&fw; /* not NULL, so the test sees it cleared */
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_framework_load("tmp/no-such-framework", &fw, &err), ACV_ERR_IO);
    assert_null(fw);
    assert_string_equal(err.message, "tmp/no-such-framework/indicators: cannot read the framework "
                                     "folder: No such file or directory");
}

static void empty_folder(void **state)
{
    (void)state;
    const char *dir = acv_test_tmpdir("fwempty");
    free(acv_test_write(dir, "indicators/README.txt", "not a .yml file\n"));
    EXPECT_PROBLEMS(dir, "indicators: no file has a 'framework' block (id, name, version)",
                    "indicators: the framework defines no indicators");
}

static void unknown_key(void **state)
{
    (void)state;
    /* the misspelt key is reported, and the key it should have been is then missing */
    EXPECT_PROBLEMS(FIXTURE("unknown_key"),
                    "indicators/economic.yml:15:5: unknown key 'drection' in indicator EC.MSME.1",
                    "indicators/economic.yml:10:5: missing key 'direction' in indicator EC.MSME.1");
}

static void missing_key(void **state)
{
    (void)state;
    EXPECT_PROBLEMS(FIXTURE("missing_key"),
                    "indicators/economic.yml:35:5: missing key 'unit' in indicator EC.MSME.2");
}

static void wrong_type_number(void **state)
{
    (void)state;
    /* a quoted number is text */
    EXPECT_PROBLEMS(FIXTURE("wrong_type_number"),
                    "indicators/economic.yml:18:14: 'worst' must be a number in bounds of "
                    "indicator EC.MSME.1, found '5'");
}

static void wrong_type_bool(void **state)
{
    (void)state;
    /* YAML 1.1's yes/no are not booleans here */
    EXPECT_PROBLEMS(FIXTURE("wrong_type_bool"),
                    "indicators/economic.yml:41:11: 'core' must be true or false in indicator "
                    "EC.MSME.2, found 'yes'");
}

static void wrong_type_text(void **state)
{
    (void)state;
    EXPECT_PROBLEMS(FIXTURE("wrong_type_text"),
                    "indicators/economic.yml:37:11: 'name' must be text in indicator EC.MSME.2, "
                    "found a list");
}

static void duplicate_indicator(void **state)
{
    (void)state;
    EXPECT_PROBLEMS(FIXTURE("duplicate_indicator"),
                    "indicators/extra.yml:3:9: duplicate indicator id 'EC.MSME.1'");
}

static void duplicate_key(void **state)
{
    (void)state;
    /* a file the YAML reader refuses is left out whole; its error is the only problem, not
     * followed by everything that goes missing with it ("the framework defines no indicators") */
    EXPECT_PROBLEMS(FIXTURE("duplicate_key"),
                    "indicators/economic.yml:40:5: duplicate key 'name' (first at line 37)");
}

static void unknown_action_area(void **state)
{
    (void)state;
    EXPECT_PROBLEMS(FIXTURE("unknown_action_area"),
                    "indicators/economic.yml:36:18: unknown action area 'EC.JOB' in indicator "
                    "EC.JOB.1");
}

static void action_area_pillar_mismatch(void **state)
{
    (void)state;
    EXPECT_PROBLEMS(FIXTURE("action_area_pillar_mismatch"),
                    "indicators/economic.yml:8:9: action area id 'PS.DRR' must be the pillar id, "
                    "a dot and a code, like EC.DRR");
}

static void bounds_inverted_lower(void **state)
{
    (void)state;
    EXPECT_PROBLEMS(FIXTURE("bounds_inverted_lower"),
                    "indicators/economic.yml:43:7: inverted bounds in bounds of indicator "
                    "EC.MSME.2: lower is better, so worst (2) must be above best (20)");
}

static void bounds_inverted_higher(void **state)
{
    (void)state;
    EXPECT_PROBLEMS(FIXTURE("bounds_inverted_higher"),
                    "indicators/economic.yml:18:7: inverted bounds in bounds of indicator "
                    "EC.MSME.1: higher is better, so worst (60) must be below best (5)");
}

static void log_bound_not_positive(void **state)
{
    (void)state;
    /* log(0) and the log of a negative number are undefined: clamping worst 0 to a tiny number
     * would score a value of 0.5 at 79 between worst 0 and best 100 */
    EXPECT_PROBLEMS(FIXTURE("log_bound_not_positive"),
                    "indicators/economic.yml:35:26: the log transform of indicator EC.MSME.1 "
                    "needs bounds above 0, found worst 0 and best 60",
                    "indicators/economic.yml:48:18: the log transform of indicator EC.MSME.2 "
                    "needs bounds above 0, found worst 20 and best -1");
}

static void target_outside_bounds(void **state)
{
    (void)state;
    EXPECT_PROBLEMS(FIXTURE("target_outside_bounds"),
                    "indicators/economic.yml:30:16: the 2045 target 80 of indicator EC.MSME.1 is "
                    "outside its bounds [5, 60]");
}

static void malformed_sdg(void **state)
{
    (void)state;
    /* "8.3" is a target, not an indicator; there is no goal 18; 4.a.1(b) is fine */
    EXPECT_PROBLEMS(FIXTURE("malformed_sdg"),
                    "indicators/economic.yml:34:20: malformed SDG indicator code '8.3' in links "
                    "of indicator EC.MSME.1 (expected goal.target.indicator, like 11.5.1 or "
                    "4.a.1)",
                    "indicators/economic.yml:34:27: malformed SDG indicator code '18.2.1' in "
                    "links of indicator EC.MSME.1 (expected goal.target.indicator, like 11.5.1 "
                    "or 4.a.1)");
}

static void target_without_provenance(void **state)
{
    (void)state;
    EXPECT_PROBLEMS(FIXTURE("target_no_provenance"),
                    "indicators/economic.yml:22:9: missing provenance ('provenance') in 2030 "
                    "target of indicator EC.MSME.1");
}

static void target_without_reference(void **state)
{
    (void)state;
    EXPECT_PROBLEMS(FIXTURE("target_no_reference"),
                    "indicators/economic.yml:28:9: missing provenance ('reference') in 2045 "
                    "target of indicator EC.MSME.1");
}

static void bounds_without_reason(void **state)
{
    (void)state;
    EXPECT_PROBLEMS(FIXTURE("bounds_no_reason"),
                    "indicators/economic.yml:43:7: missing provenance ('reason') in bounds of "
                    "indicator EC.MSME.2");
}

static void rel_pct_without_baseline(void **state)
{
    (void)state;
    EXPECT_PROBLEMS(FIXTURE("rel_pct_without_baseline"),
                    "indicators/economic.yml:22:9: missing key 'baseline' in 2030 target of "
                    "indicator EC.MSME.1 (kind rel_pct)");
}

static void formula_unknown_element(void **state)
{
    (void)state;
    /* reported at the indicator, once the data elements of every file are known */
    EXPECT_PROBLEMS(FIXTURE("formula_unknown_element"),
                    "indicators/economic.yml:10:5: the formula of indicator EC.MSME.1 names "
                    "unknown data element 'DE.MSME'");
}

static void contextual_with_bounds(void **state)
{
    (void)state;
    EXPECT_PROBLEMS(FIXTURE("contextual_with_bounds"),
                    "indicators/economic.yml:43:7: indicator EC.MSME.2 is contextual (never "
                    "scored) and takes no bounds");
}

static void no_framework_block(void **state)
{
    (void)state;
    EXPECT_PROBLEMS(FIXTURE("no_framework_block"),
                    "indicators: no file has a 'framework' block (id, name, version)");
}

static void target_not_a_mapping(void **state)
{
    (void)state;
    /* the out-of-bounds target is still named at its own value after a skipped item */
    EXPECT_PROBLEMS(FIXTURE("target_not_a_mapping"),
                    "indicators/economic.yml:22:9: target #1 of indicator EC.MSME.1 must be a "
                    "mapping",
                    "indicators/economic.yml:25:16: the 2045 target 80 of indicator EC.MSME.1 is "
                    "outside its bounds [5, 60]");
}

static void several_problems_listed(void **state)
{
    (void)state;
    /* files in name order, each file's problems in the order they appear */
    EXPECT_PROBLEMS(FIXTURE("several_problems"),
                    "indicators/economic.yml:4:3: unknown key 'comunity' in pillar EC",
                    "indicators/economic.yml:17:11: 'core' must be true or false in indicator "
                    "EC.MSME.1, found 'true'",
                    "indicators/economic.yml:29:9: missing provenance ('reference') in 2045 "
                    "target of indicator EC.MSME.1",
                    "indicators/economic.yml:43:7: inverted bounds in bounds of indicator "
                    "EC.MSME.2: lower is better, so worst (1) must be above best (2)",
                    "indicators/framework.yml:2:3: missing key 'version' in framework");
}

/* A copy of the valid fixture with a units file, and EC.MSME.1 given unit_code (NULL: none). */
static const char *valid_with_units(const char *tag, const char *units_yml, const char *unit_code)
{
    const char *dir = copy_valid(tag);
    free(acv_test_write(dir, "indicators/units.yml", units_yml));
    if (unit_code) {
        char path[1024];
        snprintf(path, sizeof path, "%s/indicators/economic.yml", dir);
        char *text = acv_test_read(path);
        assert_non_null(text);
        const char *at = strstr(text, "    unit: per 1,000\n");
        assert_non_null(at);
        size_t head = (size_t)(at - text) + strlen("    unit: per 1,000\n");
        char *edited = malloc(strlen(text) + 64);
        assert_non_null(edited);
        snprintf(edited, strlen(text) + 64, "%.*s    unit_code: %s\n%s", (int)head, text, unit_code,
                 text + head);
        free(acv_test_write(dir, "indicators/economic.yml", edited));
        free(edited);
        free(text);
    }
    return dir;
}

static void units_and_conversions_load(void **state)
{
    (void)state;
    const char *dir = valid_with_units("units-ok",
                                       "units:\n"
                                       "  - code: per_1000\n"
                                       "    name: per 1,000 population\n"
                                       "    aliases: [\"Rate per 1.000\", PER_1000_POP]\n"
                                       "  - code: per_100000\n"
                                       "    name: per 100,000 population\n"
                                       "unit_conversions:\n"
                                       "  - {from: per_1000, to: per_100000, factor: 100}\n",
                                       "per_1000");
    acv_framework *fw = load_ok(dir);
    assert_int_equal(fw->n_units, 2);
    assert_string_equal(fw->units[0].code, "per_1000");
    assert_string_equal(fw->units[0].name, "per 1,000 population");
    assert_int_equal(fw->units[0].n_aliases, 2);
    assert_string_equal(fw->units[0].aliases[0], "Rate per 1.000");
    assert_string_equal(fw->units[1].code, "per_100000");
    assert_int_equal(fw->units[1].n_aliases, 0);
    assert_int_equal(fw->n_unit_conversions, 1);
    assert_string_equal(fw->unit_conversions[0].from, "per_1000");
    assert_string_equal(fw->unit_conversions[0].to, "per_100000");
    assert_true(fw->unit_conversions[0].factor == 100);
    long i = acv_framework_find_indicator(fw, "EC.MSME.1");
    assert_true(i >= 0);
    assert_string_equal(fw->indicators[i].unit_code, "per_1000");
    /* an indicator without unit_code has none: the scripts resolve its unit text */
    assert_null(fw->indicators[acv_framework_find_indicator(fw, "EC.MSME.2")].unit_code);
    acv_framework_free(fw);
}

static void unit_problems(void **state)
{
    (void)state;
    const char *dir = valid_with_units("units-bad",
                                       "units:\n"
                                       "  - code: Per-1000\n"
                                       "    name: per 1,000\n"
                                       "  - code: percent\n"
                                       "    name: percent\n"
                                       "    aliases: [\"%\"]\n"
                                       "  - code: share\n"
                                       "    name: share\n"
                                       "    aliases: [\"  PERCENT \"]\n"
                                       "  - code: percent\n"
                                       "    name: per cent\n"
                                       "  - code: count\n"
                                       "unit_conversions:\n"
                                       "  - {from: share, to: percent, factor: 0}\n"
                                       "  - {from: share, to: share, factor: 1}\n"
                                       "  - {from: share, to: per_mil, factor: 1000}\n"
                                       "  - {from: percent, to: share, factor: 0.01}\n"
                                       "  - {from: share, to: percent, factor: 100}\n"
                                       "  - {from: share, to: percent}\n",
                                       "per_100000");
    EXPECT_PROBLEMS(
        dir,
        "indicators/units.yml:2:11: unit code 'Per-1000' must be lower-case letters, digits and "
        "_, like per_100000",
        "indicators/units.yml:9:15: unit text '  PERCENT ' of unit share already names unit "
        "percent",
        "indicators/units.yml:10:11: duplicate unit code 'percent'",
        "indicators/units.yml:12:5: missing key 'name' in unit count",
        "indicators/units.yml:14:40: 'factor' must be above 0 in unit conversion #1",
        "indicators/units.yml:15:5: unit conversion #2 converts 'share' to itself (the identity "
        "needs no declaring)",
        "indicators/units.yml:18:5: a second conversion between 'share' and 'percent' in unit "
        "conversion #5",
        "indicators/units.yml:19:5: missing key 'factor' in unit conversion #6",
        "indicators/economic.yml:21:5: unknown unit code 'per_100000' in indicator EC.MSME.1 "
        "(declare it under 'units')",
        "indicators/units.yml:16:5: unknown unit code 'per_mil' in the conversion from 'share' "
        "to 'per_mil'");
}

static void shipped_framework(void **state)
{
    (void)state;
    acv_framework *fw = load_ok(ACV_TEST_SOURCE_DIR);
    assert_string_equal(fw->id, "acv2045-asean-starter");
    assert_true(is_hex64(fw->hash));
    assert_int_equal(fw->n_pillars, 4);
    assert_int_equal(fw->n_action_areas, 17);
    assert_int_equal(fw->n_indicators, 86);

    /* the pillar ids as a set: the order may follow the framework's pillar_order */
    static const char *const pillar_ids[] = {"PS", "EC", "SC", "CN"};
    for (size_t k = 0; k < 4; k++) {
        long at = acv_framework_find_pillar(fw, pillar_ids[k]);
        assert_true(at >= 0 && at < 4);
        for (size_t j = 0; j < k; j++)
            assert_int_not_equal(at, acv_framework_find_pillar(fw, pillar_ids[j]));
    }

    for (size_t i = 0; i < fw->n_action_areas; i++) {
        const acv_action_area *a = &fw->action_areas[i];
        assert_true(a->pillar < fw->n_pillars);
        const char *pid = fw->pillars[a->pillar].id;
        assert_int_equal(strncmp(a->id, pid, strlen(pid)), 0);
        assert_int_equal(a->id[strlen(pid)], '.');
    }

    size_t core = 0;
    for (size_t i = 0; i < fw->n_indicators; i++) {
        const acv_indicator *ind = &fw->indicators[i];
        core += ind->core ? 1 : 0;
        assert_true(ind->action_area < fw->n_action_areas);
        assert_non_null(ind->name);
        assert_non_null(ind->definition);
        assert_non_null(ind->unit);
        if (ind->direction != ACV_DIR_CONTEXTUAL) {
            if (!ind->has_bounds || !ind->bounds_reason || !ind->bounds_reason[0])
                fail_msg("%s has no bounds or no reason for them", ind->id);
            assert_true(ind->direction == ACV_DIR_LOWER ? ind->worst > ind->best
                                                        : ind->worst < ind->best);
        } else {
            assert_int_equal(ind->has_bounds, 0);
        }
        for (size_t k = 0; k < ind->n_targets; k++) {
            const acv_target *t = &ind->targets[k];
            if (!t->provenance || !t->provenance[0] || !t->reference || !t->reference[0])
                fail_msg("the %d target of %s has no provenance or reference", t->year, ind->id);
        }
    }
    assert_int_equal(core, 55);
    acv_framework_free(fw);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(minimal_loads),
    cmocka_unit_test(valid_framework_fields),
    cmocka_unit_test(hash_covers_the_files),
    cmocka_unit_test(missing_folder),
    cmocka_unit_test(empty_folder),
    cmocka_unit_test(unknown_key),
    cmocka_unit_test(missing_key),
    cmocka_unit_test(wrong_type_number),
    cmocka_unit_test(wrong_type_bool),
    cmocka_unit_test(wrong_type_text),
    cmocka_unit_test(duplicate_indicator),
    cmocka_unit_test(duplicate_key),
    cmocka_unit_test(unknown_action_area),
    cmocka_unit_test(action_area_pillar_mismatch),
    cmocka_unit_test(bounds_inverted_lower),
    cmocka_unit_test(bounds_inverted_higher),
    cmocka_unit_test(target_outside_bounds),
    cmocka_unit_test(log_bound_not_positive),
    cmocka_unit_test(malformed_sdg),
    cmocka_unit_test(target_without_provenance),
    cmocka_unit_test(target_without_reference),
    cmocka_unit_test(bounds_without_reason),
    cmocka_unit_test(rel_pct_without_baseline),
    cmocka_unit_test(formula_unknown_element),
    cmocka_unit_test(contextual_with_bounds),
    cmocka_unit_test(no_framework_block),
    cmocka_unit_test(target_not_a_mapping),
    cmocka_unit_test(several_problems_listed),
    cmocka_unit_test(units_and_conversions_load),
    cmocka_unit_test(unit_problems),
    cmocka_unit_test(shipped_framework),
};

ACV_TEST_MAIN("framework", tests)
