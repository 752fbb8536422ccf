/* Calendars and fiscal years (docs/calendars.md): the Thai Buddhist Era, the Myanmar Era around
 * its new year, the period texts, and every country's fiscal-year mapping read from the shipped
 * indicators/calendars/fiscal-years.yml. */
#include "testutil.h"

#include "calendar.h"
#include "fiscal.h"
#include "import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_calendar_names(void **state)
{
    (void)state;
    acv_calendar c;
    char why[400];
    assert_true(acv_calendar_find("be-th", &c, why, sizeof why));
    assert_int_equal(c, ACV_CAL_BE_TH);
    assert_true(acv_calendar_find("me-mm", &c, why, sizeof why));
    assert_int_equal(c, ACV_CAL_ME_MM);
    assert_true(acv_calendar_find("ce", &c, why, sizeof why));
    assert_int_equal(c, ACV_CAL_CE);
    /* not verified from an official source: refused, never guessed */
    assert_false(acv_calendar_find("be-kh", &c, why, sizeof why));
    assert_non_null(strstr(why, "not been verified"));
    assert_false(acv_calendar_find("be-la", &c, why, sizeof why));
    assert_non_null(strstr(why, "Lao PDR's Buddhist Era is not supported"));
    assert_false(acv_calendar_find("BE", &c, why, sizeof why));
    assert_string_equal(why, "unknown calendar 'BE' (known: ce, be-th for Thailand's Buddhist "
                             "Era, me-mm for the Myanmar Era)");
}

static void test_year_offsets(void **state)
{
    (void)state;
    /* Calendar Years Act B.E. 2483: 2484 began on 1 January 1941 */
    assert_int_equal(acv_calendar_to_ce(ACV_CAL_BE_TH, 2484), 1941);
    assert_int_equal(acv_calendar_to_ce(ACV_CAL_BE_TH, 2567), 2024);
    assert_int_equal(acv_calendar_from_ce(ACV_CAL_BE_TH, 2023), 2566);
    /* ME 1385 began in April 2023: scored as 2023 */
    assert_int_equal(acv_calendar_to_ce(ACV_CAL_ME_MM, 1385), 2023);
    assert_int_equal(acv_calendar_from_ce(ACV_CAL_ME_MM, 2013), 1375);
    assert_int_equal(acv_calendar_to_ce(ACV_CAL_CE, 2024), 2024);
}

static int me(int y, int m, int d)
{
    int out = -1;
    assert_true(acv_myanmar_era_year(y, m, d, &out));
    return out;
}

/* The atat time of ME 1375 is 2013-04-16 08:10 (the published worked example): the 16th is the
 * last day of 1374, the 17th the first of 1375. Before the new year ME = CE - 639, after it - 638.
 */
static void test_myanmar_new_year(void **state)
{
    (void)state;
    assert_int_equal(me(2013, 4, 16), 1374);
    assert_int_equal(me(2013, 4, 17), 1375);
    assert_int_equal(me(2013, 1, 1), 2013 - 639);
    assert_int_equal(me(2013, 12, 31), 2013 - 638);
    assert_int_equal(me(2024, 3, 31), 2024 - 639);
    assert_int_equal(me(2024, 5, 1), 2024 - 638);
    assert_int_equal(me(2023, 4, 1), 1384);
    assert_int_equal(me(2023, 4, 30), 1385);
    int out = 7;
    assert_false(acv_myanmar_era_year(2023, 2, 29, &out));
    assert_false(acv_myanmar_era_year(2023, 13, 1, &out));
    assert_int_equal(out, 7);
}

static acv_raw_period raw(const char *text)
{
    acv_raw_period p;
    char why[200] = "";
    if (!acv_raw_period_parse(text, &p, why, sizeof why))
        fail_msg("'%s' refused: %s", text, why);
    return p;
}

static void test_period_texts(void **state)
{
    (void)state;
    acv_raw_period p = raw("2566");
    assert_int_equal(p.kind, ACV_RAW_YEAR);
    assert_int_equal(p.year, 2566);
    p = raw("FY2024");
    assert_int_equal(p.kind, ACV_RAW_FY);
    assert_int_equal(p.year, 2024);
    p = raw("fy 2567");
    assert_int_equal(p.kind, ACV_RAW_FY);
    assert_int_equal(p.year, 2567);
    const char *spans[] = {"FY2023/24", "FY2023-24", "FY2023/2024", "FY2023-2024"};
    for (size_t i = 0; i < 4; i++) {
        p = raw(spans[i]);
        assert_int_equal(p.kind, ACV_RAW_FY_SPAN);
        assert_int_equal(p.year, 2023);
        assert_int_equal(p.end_year, 2024);
    }
    p = raw("FY1999/00");
    assert_int_equal(p.year, 1999);
    assert_int_equal(p.end_year, 2000);
    char why[200] = "";
    assert_false(acv_raw_period_parse("FY2023/25", &p, why, sizeof why));
    assert_string_equal(why, "'FY2023/25' is not a fiscal year: the years it names (2023 and "
                             "2025) must follow each other");
    why[0] = '\0';
    assert_false(acv_raw_period_parse("FY24", &p, why, sizeof why));
    assert_string_equal(why, "'FY24' is not a fiscal year like FY2024, FY2023/24 or FY2023-24");
    why[0] = '\0';
    assert_false(acv_raw_period_parse("20245", &p, why, sizeof why));
    assert_false(acv_raw_period_parse("2025-Q1", &p, why, sizeof why));
    assert_string_equal(why, "");
}

static acv_fiscal_table *shipped(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", ACV_TEST_SOURCE_DIR, ACV_FISCAL_FILE);
    acv_problems problems = {0};
    acv_error err;
    acv_fiscal_table *t = NULL;
    acv_status st = acv_fiscal_load(path, ACV_FISCAL_FILE, &t, &problems, &err);
    if (st != ACV_OK)
        fail_msg("%s", err.message);
    acv_problems_free(&problems);
    return t;
}

typedef struct {
    const char *country, *text;
    int start_year, start_month, end_year, end_month, scored;
} fy_case;

static void test_fiscal_years_per_country(void **state)
{
    (void)state;
    acv_fiscal_table *t = shipped();
    static const fy_case cases[] = {
        /* Thailand: Oct-Sep, labelled by the year it ends in */
        {"TH", "FY2024", 2023, 10, 2024, 9, 2024},
        {"TH", "FY2023/24", 2023, 10, 2024, 9, 2024},
        /* Singapore: Apr-Mar, FY2024 = 1 April 2024 - 31 March 2025 */
        {"SG", "FY2024", 2024, 4, 2025, 3, 2024},
        /* Brunei: the calendar year until 2003, Apr-Mar from 2004 */
        {"BN", "FY2003", 2003, 1, 2003, 12, 2003},
        {"BN", "FY2024/25", 2024, 4, 2025, 3, 2024},
        {"BN", "FY2004", 2004, 4, 2005, 3, 2004},
        /* Myanmar: Apr-Mar to 2017-18, Oct-Sep 2018-19 to 2020-21, Apr-Mar from 2022-23 */
        {"MM", "FY2017-18", 2017, 4, 2018, 3, 2017},
        {"MM", "FY2018-19", 2018, 10, 2019, 9, 2019},
        {"MM", "FY2020-21", 2020, 10, 2021, 9, 2021},
        {"MM", "FY2022-23", 2022, 4, 2023, 3, 2022},
        {"MM", "FY2023-24", 2023, 4, 2024, 3, 2023},
        /* the Philippines, Indonesia, Cambodia: the calendar year */
        {"PH", "FY2024", 2024, 1, 2024, 12, 2024},
        {"ID", "FY2024", 2024, 1, 2024, 12, 2024},
        {"KH", "FY2024", 2024, 1, 2024, 12, 2024},
        /* Lao PDR: Oct-Sep until 2015/16 (labelled by the end year), the calendar year since 2017
         */
        {"LA", "FY2015/16", 2015, 10, 2016, 9, 2016},
        {"LA", "FY2016", 2015, 10, 2016, 9, 2016},
        {"LA", "FY2017", 2017, 1, 2017, 12, 2017},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const fy_case *c = &cases[i];
        acv_raw_period p = raw(c->text);
        acv_fiscal_year fy;
        char why[400];
        if (!acv_fiscal_map(t, c->country, &p, &fy, why, sizeof why))
            fail_msg("%s %s: %s", c->country, c->text, why);
        assert_int_equal(fy.start_year, c->start_year);
        assert_int_equal(fy.start_month, c->start_month);
        assert_int_equal(fy.end_year, c->end_year);
        assert_int_equal(fy.end_month, c->end_month);
        assert_int_equal(fy.scored, c->scored);
    }
    acv_fiscal_free(t);
}

static void expect_refused(acv_fiscal_table *t, const char *country, const char *text,
                           const char *want)
{
    acv_raw_period p = raw(text);
    acv_fiscal_year fy;
    char why[400];
    assert_false(acv_fiscal_map(t, country, &p, &fy, why, sizeof why));
    if (strcmp(why, want) != 0)
        fprintf(stderr, "wanted: %s\ngot:    %s\n", want, why);
    assert_string_equal(why, want);
}

static void test_fiscal_years_refused(void **state)
{
    (void)state;
    acv_fiscal_table *t = shipped();
    static const char *const MM_RULES =
        "(Apr-Mar starting 1974-04 to 2017-04; Oct-Sep starting 2018-10 to 2020-10; Apr-Mar "
        "starting 2022-04 on; a transition between rules is no fiscal year; ";
    char want[600];
    /* April-September 2018 and October 2021-March 2022 were transitions, no fiscal years */
    snprintf(want, sizeof want,
             "FY2021/22 is not a fiscal year of Myanmar under its declared rules %s\"FY2021\" "
             "starts in 2021)",
             MM_RULES);
    expect_refused(t, "MM", "FY2021-22", want);
    snprintf(want, sizeof want,
             "FY2018/19 is not a fiscal year of Myanmar under its declared rules %s\"FY2018\" "
             "starts in 2018)",
             MM_RULES);
    /* FY2018-19 is Oct-Sep; written as Apr-Mar it does not exist: same text, same answer */
    acv_raw_period p = raw("FY2021");
    acv_fiscal_year fy;
    char why[400];
    assert_false(acv_fiscal_map(t, "MM", &p, &fy, why, sizeof why));
    /* Lao PDR: October-December 2016 fell between the two rules */
    expect_refused(t, "LA", "FY2016/17",
                   "FY2016/17 is not a fiscal year of Lao PDR under its declared rules (Oct-Sep "
                   "starting 2007-10 to 2015-10; Jan-Dec starting 2017-01 on; a transition "
                   "between rules is no fiscal year; \"FY2016\" ends in 2016)");
    expect_refused(t, "PH", "FY2023/24",
                   "FY2023/24 names two years, but the fiscal year of Philippines is the "
                   "calendar year (write FY2023 or 2023)");
    expect_refused(t, "VN", "FY2024",
                   "FY2024: no fiscal-year rule is declared for country 'VN' "
                   "(indicators/calendars/fiscal-years.yml declares them)");
    /* before the first rule the source confirms */
    assert_false(
        acv_fiscal_map(t, "TH", &(acv_raw_period){ACV_RAW_FY, 1950, 0}, &fy, why, sizeof why));
    acv_fiscal_free(t);
}

/* A plain year of a fiscal-year indicator is stored as written (docs/calendars.md): for every
 * declared country the label of a fiscal year is the year it is scored as, but Myanmar's
 * October-September years 2018-19 to 2020-21, labelled by their start year and scored as the next
 * one (write FY2018-19 for those). */
static void test_labels_are_scored_years(void **state)
{
    (void)state;
    acv_fiscal_table *t = shipped();
    int exceptions = 0;
    for (size_t c = 0; c < t->n; c++) {
        const acv_fiscal_country *k = &t->countries[c];
        for (size_t r = 0; r < k->n_rules; r++) {
            int first = k->rules[r].from / 12 + (k->label_end && k->rules[r].start_month != 1);
            for (int label = first; label < first + 3; label++) {
                acv_raw_period p = {ACV_RAW_FY, label, 0};
                acv_fiscal_year fy;
                char why[400];
                if (!acv_fiscal_map(t, k->country, &p, &fy, why, sizeof why))
                    continue;
                if (fy.scored != label) {
                    assert_string_equal(k->country, "MM");
                    assert_int_equal(fy.start_month, 10);
                    exceptions++;
                }
            }
        }
    }
    assert_int_equal(exceptions, 3); /* FY2018, FY2019, FY2020 of Myanmar */
    acv_fiscal_free(t);
}

static void test_fiscal_file_problems(void **state)
{
    (void)state;
    const char *dir = acv_test_tmpdir("fiscal-bad");
    char *path = acv_test_write(dir, "bad.yml",
                                "countries:\n"
                                "  - country: TH\n"
                                "    name: Thailand\n"
                                "    label: end\n"
                                "    rules:\n"
                                "      - from: 1961-13\n"
                                "        start_month: 10\n"
                                "        source: x\n"
                                "      - from: 2020-04\n"
                                "        start_mont: 4\n");
    acv_problems problems = {0};
    acv_error err;
    acv_fiscal_table *t = NULL;
    assert_int_equal(acv_fiscal_load(path, "bad.yml", &t, &problems, &err), ACV_ERR_INPUT);
    assert_null(t);
    assert_string_equal(err.message, "bad.yml:6:15: 'from' must be a month like 2018-10 "
                                     "(YYYY-MM) in rule 1 of country TH, found '1961-13'");
    assert_int_equal(problems.n, 4);
    assert_string_equal(problems.items[1], "bad.yml:10:9: unknown key 'start_mont' in rule 2 of "
                                           "country TH");
    acv_problems_free(&problems);
    free(path);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_calendar_names),           cmocka_unit_test(test_year_offsets),
    cmocka_unit_test(test_myanmar_new_year),         cmocka_unit_test(test_period_texts),
    cmocka_unit_test(test_fiscal_years_per_country), cmocka_unit_test(test_fiscal_years_refused),
    cmocka_unit_test(test_labels_are_scored_years),  cmocka_unit_test(test_fiscal_file_problems),
};

ACV_TEST_MAIN("calendar", tests)
