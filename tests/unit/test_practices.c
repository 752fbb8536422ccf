/*
 * test_practices.c — the best-practice registry. Broken practice files (one fixture folder per
 * kind of error under tests/fixtures/practices/errors/, each a valid practice with one thing
 * broken) with the exact problems they must produce; all-or-nothing imports; the search ranking
 * on a small corpus (tests/fixtures/practices/corpus/) and each filter; before/after values from
 * a small observations file, checked by hand below; the "cities like mine" ranking and the report
 * section; the shipped examples; and the `practices` command line.
 *
 * The fixture cities (tests/fixtures/practices/areas.csv):
 *   country XA: xa_big 2,000,000   xa_mid 500,000   xa_small 50,000
 *   country XB: xb_mid 450,000     xb_nopop (no population figure)
 */
#include "testutil.h"

#include "areas.h"
#include "context.h"
#include "import.h"
#include "practices.h"
#include "render.h"
#include "report.h"
#include "vocabulary.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIXTURE(name) ACV_TEST_FIXTURES "/practices/" name

/* A new workspace on the shipped framework, with the demo areas and (when fixture_areas) the
 * fixture cities. */
static acv_ctx *open_workspace(const char *tag, int fixture_areas, int sample_areas)
{
    const char *dir = acv_test_tmpdir(tag);
    assert_non_null(dir);
    char db[600];
    snprintf(db, sizeof db, "%s/acvtrack.db", dir);
    acv_ctx_options opt = {.db_path = db, .framework_dir = ACV_TEST_SOURCE_DIR, .create_db = 1};
    acv_ctx *ctx = NULL;
    acv_error err;
    acv_error_clear(&err);
    acv_status st = acv_ctx_open(&opt, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, &ctx, &err);
    if (st != ACV_OK)
        fprintf(stderr, "unexpected: %s\n", err.message);
    assert_int_equal(st, ACV_OK);
    acv_areas_summary sum;
    if (sample_areas) {
        st = acv_areas_import(ctx, ACV_TEST_SOURCE_DIR "/indicators/sample/areas.csv", NULL, &sum,
                              &err);
        assert_int_equal(st, ACV_OK);
    }
    if (fixture_areas) {
        st = acv_areas_import(ctx, FIXTURE("areas.csv"), NULL, &sum, &err);
        if (st != ACV_OK)
            fprintf(stderr, "unexpected: %s\n", err.message);
        assert_int_equal(st, ACV_OK);
    }
    return ctx;
}

static void import_corpus(acv_ctx *ctx)
{
    acv_practices_import_options opt = {.display_dir = "fixtures/practices/corpus"};
    acv_practices_summary sum;
    acv_error err;
    acv_error_clear(&err);
    acv_status st = acv_practices_import_dir(ctx, FIXTURE("corpus"), &opt, &sum, &err);
    for (size_t i = 0; i < sum.n_problems; i++)
        fprintf(stderr, "problem: %s\n", sum.problems[i]);
    assert_int_equal(st, ACV_OK);
    assert_int_equal(sum.files, 8);
    assert_int_equal(sum.n_problems, 0);
    acv_practices_summary_free(&sum);
}

/* ---- broken files -----------------------------------------------------------------------------
 */

/* Imports errors/NAME expecting exactly the problems given (paths shown as
 * fixtures/practices/errors/NAME/...), and nothing written. */
static void expect_problems(const char *name, const char *const *expected, size_t n)
{
    acv_ctx *ctx = open_workspace("practices-errors", 1, 0);
    char dir[1024], display[256];
    snprintf(dir, sizeof dir, "%s/practices/errors/%s", ACV_TEST_FIXTURES, name);
    snprintf(display, sizeof display, "fixtures/practices/errors/%s", name);
    acv_practices_import_options opt = {.display_dir = display};
    acv_practices_summary sum;
    acv_error err;
    acv_error_clear(&err);
    acv_status st = acv_practices_import_dir(ctx, dir, &opt, &sum, &err);
    for (size_t i = 0; i < sum.n_problems; i++)
        fprintf(stderr, "problem %zu: %s\n", i, sum.problems[i]);
    assert_int_equal(st, ACV_ERR_INPUT);
    assert_int_equal(sum.n_problems, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(sum.problems[i], expected[i]);
    char first[ACV_ERROR_MAX];
    if (n == 1)
        snprintf(first, sizeof first, "%s", expected[0]);
    else
        snprintf(first, sizeof first, "%s\n(%zu problems in %s)", expected[0], n, display);
    assert_string_equal(err.message, first);
    assert_int_equal(sum.added + sum.replaced + sum.unchanged, 0);
    assert_int_equal(acv_store_practices_count(ctx->store), 0);
    acv_practices_summary_free(&sum);
    acv_ctx_close(ctx);
}

#define EXPECT_PROBLEMS(name, ...)                                                                 \
    do {                                                                                           \
        static const char *const expected_[] = {__VA_ARGS__};                                      \
        expect_problems(name, expected_, sizeof expected_ / sizeof expected_[0]);                  \
    } while (0)

#define E(name) "fixtures/practices/errors/" name

static void error_unknown_key(void **state)
{
    (void)state;
    /* a misspelt key is unknown, and the key it should have been is then missing */
    EXPECT_PROBLEMS("unknown_key",
                    E("unknown_key/practice.yml:3:1: unknown key 'titel' in practice PR.E01"),
                    E("unknown_key/practice.yml:2:1: missing key 'title' in practice PR.E01"));
}

static void error_missing_key(void **state)
{
    (void)state;
    EXPECT_PROBLEMS("missing_key",
                    E("missing_key/practice.yml:2:1: missing key 'summary' in practice PR.E02"));
}

static void error_wrong_type_text(void **state)
{
    (void)state;
    EXPECT_PROBLEMS("wrong_type_text", E("wrong_type_text/practice.yml:3:8: 'title' must be text "
                                         "in practice PR.E03, found a list"));
}

static void error_wrong_type_list(void **state)
{
    (void)state;
    EXPECT_PROBLEMS("wrong_type_list", E("wrong_type_list/practice.yml:12:7: 'tags' must be a "
                                         "list in practice PR.E04, found a value"));
}

static void error_wrong_type_year(void **state)
{
    (void)state;
    EXPECT_PROBLEMS("wrong_type_year", E("wrong_type_year/practice.yml:5:15: 'from' must be a "
                                         "year like 2021 in practice PR.E05, found 'soon'"));
}

static void error_wrong_type_bool(void **state)
{
    (void)state;
    EXPECT_PROBLEMS("wrong_type_bool", E("wrong_type_bool/practice.yml:13:15: 'illustrative' must "
                                         "be true or false in practice PR.E06, found 'yes'"));
}

static void error_duplicate_id(void **state)
{
    (void)state;
    EXPECT_PROBLEMS("duplicate_id", E("duplicate_id/b.yml:2:5: duplicate practice id 'PR.E07' "
                                      "(also in fixtures/practices/errors/duplicate_id/a.yml:2)"));
}

static void error_duplicate_key(void **state)
{
    (void)state;
    EXPECT_PROBLEMS("duplicate_key",
                    E("duplicate_key/practice.yml:4:1: duplicate key 'title' (first at line 3)"));
}

static void error_unknown_area(void **state)
{
    (void)state;
    EXPECT_PROBLEMS("unknown_area",
                    E("unknown_area/practice.yml:4:7: unknown area 'nowhere' in practice PR.E09 "
                      "(see 'acvtrack areas list'; add it with 'acvtrack areas import')"));
}

static void error_unknown_action_area(void **state)
{
    (void)state;
    EXPECT_PROBLEMS("unknown_action_area", E("unknown_action_area/practice.yml:7:24: unknown "
                                             "action area 'PS.XYZ' in practice PR.E10"));
}

static void error_unknown_indicator(void **state)
{
    (void)state;
    EXPECT_PROBLEMS("unknown_indicator", E("unknown_indicator/practice.yml:8:14: unknown "
                                           "indicator 'PS.DRR.99' in practice PR.E11"));
}

static void error_unknown_pillar(void **state)
{
    (void)state;
    EXPECT_PROBLEMS("unknown_pillar",
                    E("unknown_pillar/practice.yml:6:9: unknown pillar 'XX' in practice PR.E12"));
}

static void error_pillar_mismatch(void **state)
{
    (void)state;
    EXPECT_PROBLEMS("pillar_mismatch", E("pillar_mismatch/practice.yml:6:9: none of the action "
                                         "areas of practice PR.E13 is in pillar 'EC'"));
}

static void error_years_reversed(void **state)
{
    (void)state;
    EXPECT_PROBLEMS("years_reversed", E("years_reversed/practice.yml:5:25: 'to' (2020) is before "
                                        "'from' (2022) in practice PR.E14"));
}

static void error_not_a_mapping(void **state)
{
    (void)state;
    EXPECT_PROBLEMS("not_a_mapping",
                    E("not_a_mapping/practice.yml:2:1: a practice file is a mapping with id, "
                      "title, city, years, pillar, action_areas, summary, what_was_done and "
                      "evidence (see docs/practices.md)"));
}

static void error_bad_id(void **state)
{
    (void)state;
    EXPECT_PROBLEMS("bad_id", E("bad_id/practice.yml:2:5: practice id 'PR E16' may only hold "
                                "letters, digits, '.', '-' and '_' (at most 64, starting with a "
                                "letter or digit)"));
}

static void error_listed_twice(void **state)
{
    (void)state;
    EXPECT_PROBLEMS("listed_twice", E("listed_twice/practice.yml:8:24: indicator 'PS.DRR.5' is "
                                      "listed twice in practice PR.E18"));
}

static void error_empty_evidence(void **state)
{
    (void)state;
    EXPECT_PROBLEMS("empty_evidence", E("empty_evidence/practice.yml:11:11: 'evidence' needs at "
                                        "least one item in practice PR.E19"));
}

static void error_several_all_listed(void **state)
{
    (void)state;
    /* every problem of every file, in file order and within a file in key order */
    EXPECT_PROBLEMS("several",
                    E("several/a-broken.yml:9:1: unknown key 'summry' in practice PR.E17"),
                    E("several/a-broken.yml:5:25: 'to' (2019) is before 'from' (2020) in "
                      "practice PR.E17"),
                    E("several/a-broken.yml:8:24: unknown indicator 'EC.NOPE.1' in practice "
                      "PR.E17"),
                    E("several/a-broken.yml:2:1: missing key 'summary' in practice PR.E17"));
}

static void error_leaves_workspace_unchanged(void **state)
{
    (void)state;
    /* a failed import replaces nothing: several/b-good.yml would give PR.T01 a new title */
    acv_ctx *ctx = open_workspace("practices-unchanged", 1, 0);
    import_corpus(ctx);
    acv_practices_import_options opt = {0};
    acv_practices_summary sum;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_practices_import_dir(ctx, FIXTURE("errors/several"), &opt, &sum, &err),
                     ACV_ERR_INPUT);
    acv_practices_summary_free(&sum);
    acv_practice_detail *d = NULL;
    assert_int_equal(acv_practices_get(ctx, "PR.T01", &d, &err), ACV_OK);
    assert_string_equal(d->practice.title, "Flood early warning by village sirens");
    acv_practice_detail_free(d);
    assert_int_equal(acv_store_practices_count(ctx->store), 8);
    acv_ctx_close(ctx);
}

/* ---- import --------------------------------------------------------------------------------- */

static void import_reads_every_field(void **state)
{
    (void)state;
    acv_ctx *ctx = open_workspace("practices-fields", 1, 0);
    import_corpus(ctx);
    acv_error err;
    acv_error_clear(&err);
    acv_practice_detail *d = NULL;
    assert_int_equal(acv_practices_get(ctx, "PR.T01", &d, &err), ACV_OK);
    const acv_practice *p = &d->practice;
    assert_string_equal(p->id, "PR.T01");
    assert_string_equal(p->title, "Flood early warning by village sirens");
    assert_string_equal(p->city, "xa_small");
    assert_int_equal(p->year_from, 2020);
    assert_int_equal(p->year_to, 2021);
    assert_string_equal(p->pillar, "PS");
    assert_int_equal(p->n_action_areas, 1);
    assert_string_equal(p->action_areas[0], "PS.DRR");
    assert_int_equal(p->n_indicators, 2);
    assert_string_equal(p->indicators[0], "PS.DRR.5");
    assert_string_equal(p->indicators[1], "PS.DRR.1");
    assert_string_equal(p->summary, "Sirens and volunteers warn every village of river floods.");
    assert_string_equal(p->what_was_done,
                        "Twelve sirens, one volunteer per street, two drills a year.");
    assert_string_equal(p->cost, "USD 100,000");
    assert_string_equal(p->funding, "Town budget");
    assert_int_equal(p->n_partners, 1);
    assert_string_equal(p->partners[0], "Red Cross");
    assert_int_equal(p->n_contacts, 1);
    assert_string_equal(p->contacts[0], "Town DRR office");
    assert_int_equal(p->n_evidence, 2);
    assert_string_equal(p->evidence[0], "Town council resolution 12/2020");
    assert_string_equal(p->evidence[1], "https://example.org/t01");
    assert_int_equal(p->n_tags, 3);
    assert_string_equal(p->tags[2], "sirens");
    assert_int_equal(p->illustrative, 0);
    assert_string_equal(p->file, "fixtures/practices/corpus/t01.yml");
    assert_int_equal(p->line, 2);
    assert_string_equal(d->city_name, "Small town A");
    assert_string_equal(d->country, "XA");
    assert_int_equal(d->has_population, 1);
    assert_true(d->population == 50000);
    acv_practice_detail_free(d);

    /* optional fields absent; ongoing; illustrative */
    assert_int_equal(acv_practices_get(ctx, "PR.T04", &d, &err), ACV_OK);
    assert_int_equal(d->practice.year_to, 0);
    assert_null(d->practice.cost);
    assert_null(d->practice.funding);
    assert_int_equal(d->practice.n_partners, 0);
    assert_int_equal(d->practice.n_action_areas, 2);
    assert_string_equal(d->practice.action_areas[1], "SC.EDU");
    acv_practice_detail_free(d);
    assert_int_equal(acv_practices_get(ctx, "PR.T06", &d, &err), ACV_OK);
    assert_int_equal(d->practice.illustrative, 1);
    assert_int_equal(d->has_population, 0);
    acv_practice_detail_free(d);

    assert_int_equal(acv_practices_get(ctx, "PR.NONE", &d, &err), ACV_ERR_NOTFOUND);
    assert_null(d);
    assert_string_equal(err.message, "unknown practice 'PR.NONE' (see 'acvtrack practices list')");
    acv_ctx_close(ctx);
}

static void import_again_changes_nothing(void **state)
{
    (void)state;
    acv_ctx *ctx = open_workspace("practices-again", 1, 0);
    import_corpus(ctx);
    acv_practices_import_options opt = {.display_dir = "fixtures/practices/corpus"};
    acv_practices_summary sum;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_practices_import_dir(ctx, FIXTURE("corpus"), &opt, &sum, &err), ACV_OK);
    assert_int_equal(sum.added, 0);
    assert_int_equal(sum.replaced, 0);
    assert_int_equal(sum.unchanged, 8);
    acv_practices_summary_free(&sum);
    assert_int_equal(acv_store_practices_count(ctx->store), 8);
    acv_ctx_close(ctx);
}

static void add_replaces_and_reindexes(void **state)
{
    (void)state;
    acv_ctx *ctx = open_workspace("practices-add", 1, 0);
    import_corpus(ctx);
    acv_practices_summary sum;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(
        acv_practices_import_file(ctx, FIXTURE("errors/several/b-good.yml"), NULL, &sum, &err),
        ACV_OK);
    assert_int_equal(sum.files, 1);
    assert_int_equal(sum.replaced, 1);
    assert_int_equal(sum.added, 0);
    acv_practices_summary_free(&sum);
    assert_int_equal(acv_store_practices_count(ctx->store), 8);
    acv_practice_detail *d = NULL;
    assert_int_equal(acv_practices_get(ctx, "PR.T01", &d, &err), ACV_OK);
    assert_string_equal(d->practice.title, "Replaced title");
    assert_int_equal(d->practice.n_indicators, 1);
    assert_int_equal(d->practice.n_tags, 1);
    acv_practice_detail_free(d);
    /* the index follows: the old words are gone, the new ones found */
    acv_practice_query q = {.words = "sirens"};
    acv_practice_hits hits;
    assert_int_equal(acv_practices_search(ctx, &q, &hits, &err), ACV_OK);
    assert_int_equal(hits.n, 0);
    acv_practice_hits_free(&hits);
    q.words = "replaced";
    assert_int_equal(acv_practices_search(ctx, &q, &hits, &err), ACV_OK);
    assert_int_equal(hits.n, 1);
    assert_string_equal(hits.hits[0].id, "PR.T01");
    acv_practice_hits_free(&hits);
    acv_ctx_close(ctx);
}

static void dry_run_writes_nothing(void **state)
{
    (void)state;
    acv_ctx *ctx = open_workspace("practices-dry", 1, 0);
    acv_practices_import_options opt = {.dry_run = 1};
    acv_practices_summary sum;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_practices_import_dir(ctx, FIXTURE("corpus"), &opt, &sum, &err), ACV_OK);
    assert_int_equal(sum.added, 8);
    acv_practices_summary_free(&sum);
    assert_int_equal(acv_store_practices_exist(ctx->store), 0);
    assert_int_equal(acv_store_practices_count(ctx->store), 0);
    acv_ctx_close(ctx);
}

static void empty_and_missing_folders(void **state)
{
    (void)state;
    acv_ctx *ctx = open_workspace("practices-empty", 1, 0);
    const char *empty = acv_test_tmpdir("practices-empty-dir");
    acv_practices_summary sum;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_practices_import_dir(ctx, empty, NULL, &sum, &err), ACV_OK);
    assert_int_equal(sum.files, 0);
    acv_practices_summary_free(&sum);
    acv_practices_import_options opt = {.display_dir = "nowhere"};
    assert_int_equal(acv_practices_import_dir(ctx, FIXTURE("nowhere"), &opt, &sum, &err),
                     ACV_ERR_NOTFOUND);
    assert_string_equal(err.message, "nowhere: cannot open the folder: No such file or directory");
    acv_practices_summary_free(&sum);
    acv_ctx_close(ctx);
}

/* ---- search -----------------------------------------------------------------------------------
 */

/* Runs a query and compares the ids found, in order, with expected (space-separated). */
static void expect_hits(acv_ctx *ctx, const acv_practice_query *q, const char *expected)
{
    acv_practice_hits hits;
    acv_error err;
    acv_error_clear(&err);
    acv_status st = acv_practices_search(ctx, q, &hits, &err);
    if (st != ACV_OK)
        fprintf(stderr, "unexpected: %s\n", err.message);
    assert_int_equal(st, ACV_OK);
    char got[1024] = "";
    for (size_t i = 0; i < hits.n; i++) {
        if (i)
            strcat(got, " ");
        strcat(got, hits.hits[i].id);
    }
    acv_practice_hits_free(&hits);
    assert_string_equal(got, expected);
}

static void search_ranking(void **state)
{
    (void)state;
    acv_ctx *ctx = open_workspace("practices-rank", 1, 0);
    import_corpus(ctx);
    /* Most words found first, documented before illustrative, then bm25. T01 and T06 have all
     * three words (T06 is illustrative); T04 and T07 have "early" and "warning" (T04 in its
     * title; T07 in its tags, and "warned", which stems to "warn", in its summary); T02 has
     * "flood" (in its title, summary and tags) and T03 "early" (once, in its title), and
     * "flood", in fewer practices than "early", weighs more. T05 and T08 have none. */
    acv_practice_query q = {.words = "flood early warning"};
    expect_hits(ctx, &q, "PR.T01 PR.T06 PR.T04 PR.T07 PR.T02 PR.T03");
    /* the order of the words does not matter, nor their case */
    q.words = "WARNING Early flood";
    expect_hits(ctx, &q, "PR.T01 PR.T06 PR.T04 PR.T07 PR.T02 PR.T03");
    /* stemming, prefixes, and characters that would be FTS5 syntax */
    q.words = "floods";
    expect_hits(ctx, &q, "PR.T02 PR.T01 PR.T06");
    q.words = "transp*";
    expect_hits(ctx, &q, "PR.T05");
    q.words = "\"budget\" - : ( NEAR";
    expect_hits(ctx, &q, "PR.T05");
    q.words = "- : *";
    expect_hits(ctx, &q, "PR.T01 PR.T02 PR.T03 PR.T04 PR.T05 PR.T06 PR.T07 PR.T08");
    q.words = "nothing-like-this";
    expect_hits(ctx, &q, "");
    /* the limit keeps the best */
    q.words = "flood early warning";
    q.limit = 2;
    expect_hits(ctx, &q, "PR.T01 PR.T06");
    acv_ctx_close(ctx);
}

static void search_filters(void **state)
{
    (void)state;
    acv_ctx *ctx = open_workspace("practices-filters", 1, 0);
    import_corpus(ctx);
    acv_practice_query q = {0};
    expect_hits(ctx, &q, "PR.T01 PR.T02 PR.T03 PR.T04 PR.T05 PR.T06 PR.T07 PR.T08");
    q = (acv_practice_query){.pillar = "SC"};
    expect_hits(ctx, &q, "PR.T03");
    q = (acv_practice_query){.action_area = "CN.DIG"};
    expect_hits(ctx, &q, "PR.T07");
    q = (acv_practice_query){.action_area = "SC.EDU"};
    expect_hits(ctx, &q, "PR.T03 PR.T04");
    q = (acv_practice_query){.indicator = "PS.DRR.6"};
    expect_hits(ctx, &q, "PR.T02");
    q = (acv_practice_query){.country = "XB"};
    expect_hits(ctx, &q, "PR.T02 PR.T05 PR.T06 PR.T07");
    q = (acv_practice_query){.city = "xa_big"};
    expect_hits(ctx, &q, "PR.T03 PR.T08");
    /* under way in the year: from <= year <= to, or ongoing */
    q = (acv_practice_query){.year = 2019};
    expect_hits(ctx, &q, "PR.T02 PR.T03 PR.T05 PR.T08");
    q = (acv_practice_query){.year = 2030};
    expect_hits(ctx, &q, "PR.T04");
    /* filters combine with words and with each other */
    q = (acv_practice_query){.words = "flood early warning", .country = "XA"};
    expect_hits(ctx, &q, "PR.T01 PR.T04 PR.T03");
    q = (acv_practice_query){.words = "flood early warning", .country = "XB", .year = 2022};
    expect_hits(ctx, &q, "PR.T06");
    q = (acv_practice_query){.pillar = "PS", .indicator = "PS.DRR.5", .limit = 3};
    expect_hits(ctx, &q, "PR.T01 PR.T04 PR.T06");

    acv_practice_hits hits;
    acv_error err;
    acv_error_clear(&err);
    q = (acv_practice_query){.pillar = "XX"};
    assert_int_equal(acv_practices_search(ctx, &q, &hits, &err), ACV_ERR_INPUT);
    assert_string_equal(err.message, "unknown pillar 'XX' (see 'acvtrack indicators')");
    q = (acv_practice_query){.action_area = "PS.XYZ"};
    assert_int_equal(acv_practices_search(ctx, &q, &hits, &err), ACV_ERR_INPUT);
    assert_string_equal(err.message, "unknown action area 'PS.XYZ' (see 'acvtrack framework doc')");
    q = (acv_practice_query){.indicator = "PS.DRR.99"};
    assert_int_equal(acv_practices_search(ctx, &q, &hits, &err), ACV_ERR_INPUT);
    assert_string_equal(err.message, "unknown indicator 'PS.DRR.99' (see 'acvtrack indicators')");
    acv_ctx_close(ctx);
}

static void search_without_practices(void **state)
{
    (void)state;
    /* a workspace from before the registry: nothing found, and nothing created by reading */
    acv_ctx *ctx = open_workspace("practices-none", 0, 0);
    acv_practice_query q = {.words = "flood"};
    expect_hits(ctx, &q, "");
    assert_int_equal(acv_store_practices_exist(ctx->store), 0);
    acv_error err;
    acv_error_clear(&err);
    acv_practice_detail *d = NULL;
    assert_int_equal(acv_practices_get(ctx, "PR.T01", &d, &err), ACV_ERR_NOTFOUND);
    assert_string_equal(err.message,
                        "unknown practice 'PR.T01' (the workspace has no practices yet; import "
                        "them with 'acvtrack practices import DIR')");
    acv_ctx_close(ctx);
}

/* ---- before and after -------------------------------------------------------------------------
 */

static acv_ctx *workspace_with_observations(const char *tag)
{
    acv_ctx *ctx = open_workspace(tag, 1, 0);
    import_corpus(ctx);
    acv_import_options opt = {.display_name = "fixtures/practices/observations.csv"};
    acv_import_summary sum;
    acv_error err;
    acv_error_clear(&err);
    acv_status st = acv_import_csv(ctx, FIXTURE("observations.csv"), &opt, &sum, &err);
    if (st != ACV_OK)
        fprintf(stderr, "unexpected: %s\n", err.message);
    assert_int_equal(st, ACV_OK);
    assert_int_equal(sum.rows, 13);
    return ctx;
}

static void before_after_from_observations(void **state)
{
    (void)state;
    acv_ctx *ctx = workspace_with_observations("practices-before-after");
    acv_error err;
    acv_error_clear(&err);
    acv_practice_detail *d = NULL;
    /* PR.T04, xa_mid, from 2022 (ongoing). Worked by hand from observations.csv:
     *   PS.DRR.5  2019 40, 2020 41, 2021 44 | 2022 50 | 2023 58, 2024 63.5 (2024 female 70: a
     *             disaggregation, not the total)       -> before 44 (2021), after 63.5 (2024)
     *   PS.DRR.1  2020 0.5 | 2022 0.9 | 2023 0.25       -> before 0.5 (2020: the latest before,
     *             2021 is missing), after 0.25 (2023); 2022, the first year, is neither
     *   CN.DIG.4  2019 30 only                          -> before 30 (2019), no after
     *   SC.EDU.1  nothing                               -> neither
     * xa_big's values of PS.DRR.5 belong to another city and are never read. */
    assert_int_equal(acv_practices_get(ctx, "PR.T04", &d, &err), ACV_OK);
    assert_int_equal(d->n_changes, 4);
    const acv_practice_change *c = d->changes;
    assert_string_equal(c[0].indicator, "PS.DRR.5");
    assert_int_equal(c[0].has_before, 1);
    assert_string_equal(c[0].before_period, "2021");
    assert_true(c[0].before_value == 44);
    assert_int_equal(c[0].has_after, 1);
    assert_string_equal(c[0].after_period, "2024");
    assert_true(c[0].after_value == 63.5);
    assert_string_equal(c[1].indicator, "PS.DRR.1");
    assert_string_equal(c[1].before_period, "2020");
    assert_true(c[1].before_value == 0.5);
    assert_string_equal(c[1].after_period, "2023");
    assert_true(c[1].after_value == 0.25);
    assert_string_equal(c[2].indicator, "CN.DIG.4");
    assert_int_equal(c[2].has_before, 1);
    assert_string_equal(c[2].before_period, "2019");
    assert_true(c[2].before_value == 30);
    assert_int_equal(c[2].has_after, 0);
    assert_null(c[2].after_period);
    assert_string_equal(c[3].indicator, "SC.EDU.1");
    assert_int_equal(c[3].has_before, 0);
    assert_int_equal(c[3].has_after, 0);

    /* the table of `acvtrack practices show`, with the directions of the framework: PS.DRR.5 is
     * higher-is-better (+19.5 better), PS.DRR.1 lower-is-better (-0.25 better) */
    const acv_framework *fw = ctx->fw;
    acv_buf b = {0};
    assert_int_equal(acv_render_practice_markdown(d, fw, &b, &err), ACV_OK);
    char row[512];
    const char *names[4];
    for (int i = 0; i < 4; i++) {
        long k = acv_framework_find_indicator(fw, c[i].indicator);
        assert_true(k >= 0);
        names[i] = fw->indicators[k].short_name;
    }
    snprintf(row, sizeof row,
             "| Indicator | Before | After | Change |\n|---|---:|---:|---|\n"
             "| PS.DRR.5 %s | 44 (2021) | 63.5 (2024) | +19.5, better |\n"
             "| PS.DRR.1 %s | 0.5 (2020) | 0.25 (2023) | -0.25, better |\n"
             "| CN.DIG.4 %s | 30 (2019) | — | no observation after 2022 |\n"
             "| SC.EDU.1 %s | — | — | no observations around 2022 |\n",
             names[0], names[1], names[2], names[3]);
    if (!strstr(b.data, row))
        fprintf(stderr, "got:\n%s\nexpected to contain:\n%s\n", b.data, row);
    assert_non_null(strstr(b.data, row));
    assert_non_null(strstr(b.data, "# PR.T04 Heat early warning for schools\n\n| | |\n|---|---|\n"
                                   "| City | Mid city A (`xa_mid`), XA, population 500000 (2024) "
                                   "|\n| Years | 2022 onwards |\n"));
    assert_non_null(strstr(b.data, "the latest before 2022, when the practice started, and the "
                                   "latest after 2022. They show what changed, not that the "
                                   "practice caused it."));
    assert_non_null(strstr(b.data, "| Source | fixtures/practices/corpus/t04.yml:2 |\n"));
    assert_non_null(strstr(b.data, "\n## Evidence\n\n- Circular 7/2022 of the education office\n"));
    assert_null(strstr(b.data, "Illustrative"));
    acv_buf_free(&b);
    acv_practice_detail_free(d);

    /* an illustrative practice says so before anything else */
    assert_int_equal(acv_practices_get(ctx, "PR.T06", &d, &err), ACV_OK);
    assert_int_equal(acv_render_practice_markdown(d, fw, &b, &err), ACV_OK);
    assert_non_null(strstr(b.data, "# PR.T06 Flood warning text messages\n\n> **Illustrative "
                                   "example, not a verified case.**"));
    acv_buf_free(&b);
    acv_practice_detail_free(d);
    acv_ctx_close(ctx);
}

/* ---- cities like mine ------------------------------------------------------------------------ */

/* The ids of a target's practices, space-separated. */
static void expect_target(const acv_practice_target *t, const char *kind, const char *code,
                          const char *expected)
{
    assert_string_equal(t->kind, kind);
    assert_string_equal(t->code, code);
    char got[512] = "";
    for (size_t i = 0; i < t->n_practices; i++) {
        if (i)
            strcat(got, " ");
        strcat(got, t->practices[i].id);
    }
    assert_string_equal(got, expected);
}

static void peers_ranked_like_mine(void **state)
{
    (void)state;
    acv_ctx *ctx = open_workspace("practices-peers", 1, 0);
    import_corpus(ctx);
    acv_error err;
    acv_error_clear(&err);
    const char *areas[] = {"PS.DRR"};
    const char *inds[] = {"PS.DRR.5"};
    acv_practice_suggestions *s = NULL;
    /* For xa_mid (XA, 500,000). PS.DRR.5 is linked by T01 (xa_small, XA, 50,000, |ln 0.1| =
     * 2.30), T04 (xa_mid itself: left out), T06 (illustrative), T07 (xb_mid, XB, 450,000,
     * |ln 0.9| = 0.11) and T08 (xa_big, XA, 2,000,000, |ln 4| = 1.39). Documented first, then
     * the same country by closeness in size: T08, T01; then XB: T07; then the illustrative T06.
     * PS.DRR adds T02 (xb_mid like T07, so the same distance: the more recent T07 first). */
    assert_int_equal(acv_practices_for_report(ctx, "xa_mid", areas, 1, inds, 1, 10, &s, &err),
                     ACV_OK);
    assert_int_equal(s->n_targets, 2);
    expect_target(&s->targets[0], "action_area", "PS.DRR", "PR.T08 PR.T01 PR.T07 PR.T02 PR.T06");
    expect_target(&s->targets[1], "indicator", "PS.DRR.5", "PR.T08 PR.T01 PR.T07 PR.T06");
    assert_null(s->targets[0].why);
    acv_practice_suggestions_free(s);

    /* at most ACV_PRACTICES_PER_TARGET by default */
    assert_int_equal(acv_practices_for_report(ctx, "xa_mid", areas, 1, inds, 1, 0, &s, &err),
                     ACV_OK);
    expect_target(&s->targets[0], "action_area", "PS.DRR", "PR.T08 PR.T01 PR.T07");
    expect_target(&s->targets[1], "indicator", "PS.DRR.5", "PR.T08 PR.T01 PR.T07");
    acv_practice_suggestions_free(s);

    /* a city without a population figure: every distance is unknown, so after the country the
     * most recent comes first (T06 is its own, left out) */
    assert_int_equal(acv_practices_for_report(ctx, "xb_nopop", areas, 1, NULL, 0, 10, &s, &err),
                     ACV_OK);
    expect_target(&s->targets[0], "action_area", "PS.DRR", "PR.T07 PR.T02 PR.T04 PR.T01 PR.T08");
    acv_practice_suggestions_free(s);

    /* an unknown city is an error; a target nobody addressed is listed empty */
    assert_int_equal(acv_practices_for_report(ctx, "nowhere", areas, 1, NULL, 0, 0, &s, &err),
                     ACV_ERR_NOTFOUND);
    assert_null(s);
    const char *none[] = {"EC.FIN"};
    assert_int_equal(acv_practices_for_report(ctx, "xa_mid", none, 1, NULL, 0, 0, &s, &err),
                     ACV_OK);
    expect_target(&s->targets[0], "action_area", "EC.FIN", "");
    acv_practice_suggestions_free(s);
    acv_ctx_close(ctx);
}

static void off_track_classes(void **state)
{
    (void)state;
    assert_int_equal(acv_vocab_off_track(NULL, "regressing"), 1);
    assert_int_equal(acv_vocab_off_track(NULL, "reverse"), 1);
    assert_int_equal(acv_vocab_off_track(NULL, "stagnating"), 1);
    assert_int_equal(acv_vocab_off_track(NULL, "limited_progress"), 1);
    assert_int_equal(acv_vocab_off_track(NULL, "progressing_slowly"), 1);
    assert_int_equal(acv_vocab_off_track(NULL, "accelerate"), 1);
    assert_int_equal(acv_vocab_off_track(NULL, "on_track"), 0);
    assert_int_equal(acv_vocab_off_track(NULL, "maintain"), 0);
    assert_int_equal(acv_vocab_off_track(NULL, "target_achieved"), 0);
    assert_int_equal(acv_vocab_off_track(NULL, "insufficient_data"), 0);
    assert_int_equal(acv_vocab_off_track(NULL, "a_city_own_class"), 0);
    assert_int_equal(acv_vocab_off_track(NULL, NULL), 0);
}

static const char *indicator_name(const acv_framework *fw, const char *id)
{
    long i = acv_framework_find_indicator(fw, id);
    assert_true(i >= 0);
    return fw->indicators[i].short_name;
}

static const char *area_name(const acv_framework *fw, const char *id)
{
    long i = acv_framework_find_action_area(fw, id);
    assert_true(i >= 0);
    return fw->action_areas[i].name;
}

static void report_section_for_off_track_city(void **state)
{
    (void)state;
    acv_ctx *ctx = open_workspace("practices-report", 1, 0);
    import_corpus(ctx);
    const acv_framework *fw = ctx->fw;
    /* a run of xa_mid as the report model holds it: PS.GOV is the first priority, PS.DRR.5 moves
     * away from its target, SC.EDU.1 stagnates, PS.DRR.1 is on track (not a target), the optional
     * PS.DRR.3 regresses (not a target: only core indicators are) and CN.MOB.2 regresses with no
     * practice for it */
    acv_result *inds = calloc(fw->n_indicators + 1, sizeof *inds);
    assert_non_null(inds);
    struct {
        const char *id, *class_name;
    } set[] = {{"PS.DRR.5", "regressing"},
               {"SC.EDU.1", "stagnating"},
               {"PS.DRR.1", "on_track"},
               {"PS.DRR.3", "regressing"},
               {"CN.MOB.2", "deterioration"}};
    for (size_t k = 0; k < sizeof set / sizeof *set; k++) {
        long i = acv_framework_find_indicator(fw, set[k].id);
        assert_true(i >= 0);
        inds[i].level = "indicator";
        inds[i].code = set[k].id;
        inds[i].class_name = set[k].class_name;
    }
    assert_int_equal(fw->indicators[acv_framework_find_indicator(fw, "PS.DRR.3")].core, 0);
    acv_result prios[2] = {{.level = "priority", .code = "PS.GOV", .rank = 1},
                           {.level = "priority", .code = "EC.FIN", .rank = 2}};
    acv_practice_suggestions *s = NULL;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_report_practices(ctx, "xa_mid", prios, 2, inds, NULL, &s, &err), ACV_OK);
    assert_int_equal(s->n_targets, 5);
    expect_target(&s->targets[0], "action_area", "PS.GOV", "PR.T05");
    expect_target(&s->targets[1], "action_area", "EC.FIN", "");
    /* indicators in framework order */
    expect_target(&s->targets[2], "indicator", "PS.DRR.5", "PR.T08 PR.T01 PR.T07");
    expect_target(&s->targets[3], "indicator", "SC.EDU.1", "PR.T03");
    expect_target(&s->targets[4], "indicator", "CN.MOB.2", "");
    assert_string_equal(s->targets[0].why, "priority 1");
    assert_string_equal(s->targets[2].why, "↓ Moving away from the target");
    assert_string_equal(s->targets[3].why, "→ Stagnating");

    acv_buf b = {0};
    acv_render_practices_markdown(s, fw, &b);
    assert_int_equal(b.failed, 0);
    char expected[8192];
    snprintf(expected, sizeof expected,
             "\n## Practices from peer cities\n\n"
             "What other cities did about this city's priority action areas and off-track core "
             "indicators, from the practice registry (`acvtrack practices search`, `acvtrack "
             "practices show ID`). Documented cases come before illustrative examples; then "
             "cities in the same country, then those closest in population, then the most "
             "recent. A practice is a lead to follow up, not proof that it would work here.\n"
             "\n### PS.GOV %s (priority 1)\n\n"
             "- **PR.T05** Open budget portal: City B without a population figure (`xb_nopop`, "
             "XB), 2017–2020. Every payment of the city is published within a week.\n"
             "\n### PS.DRR.5 %s (↓ Moving away from the target)\n\n"
             "- **PR.T08** Community disaster drills: Big city A (`xa_big`, XA, population "
             "2000000), 2019–2020. Every district rehearses its evacuation once a year.\n"
             "- **PR.T01** Flood early warning by village sirens: Small town A (`xa_small`, XA, "
             "population 50000), 2020–2021. Sirens and volunteers warn every village of river "
             "floods.\n"
             "- **PR.T07** Cell broadcast alerts: Mid city B (`xb_mid`, XB, population 450000), "
             "2023. Alerts reach every phone in the warned zone.\n"
             "\n### SC.EDU.1 %s (→ Stagnating)\n\n"
             "- **PR.T03** Early childhood learning centres: Big city A (`xa_big`, XA, "
             "population 2000000), 2019. Neighbourhood centres prepare children for school.\n"
             "\nNo practice in the registry yet for: EC.FIN, CN.MOB.2.\n",
             area_name(fw, "PS.GOV"), indicator_name(fw, "PS.DRR.5"),
             indicator_name(fw, "SC.EDU.1"));
    if (strcmp(b.data, expected) != 0)
        fprintf(stderr, "got:\n%s\n", b.data);
    assert_string_equal(b.data, expected);
    acv_buf_free(&b);
    acv_practice_suggestions_free(s);

    /* an illustrative practice is marked, and its invented summary left out; a city with nothing
     * to act on gets no section */
    const char *areas[] = {"PS.DRR"};
    assert_int_equal(acv_practices_for_report(ctx, "xa_big", areas, 1, NULL, 0, 10, &s, &err),
                     ACV_OK);
    acv_render_practices_markdown(s, fw, &b);
    assert_non_null(strstr(b.data, "- **PR.T06** Flood warning text messages: City B without a "
                                   "population figure (`xb_nopop`, XB), 2021–2022. *Illustrative "
                                   "example, not a verified case.*\n"));
    acv_buf_free(&b);
    acv_practice_suggestions_free(s);
    memset(inds, 0, (fw->n_indicators + 1) * sizeof *inds);
    assert_int_equal(acv_report_practices(ctx, "xa_mid", NULL, 0, inds, NULL, &s, &err), ACV_OK);
    assert_int_equal(s->n_targets, 0);
    acv_render_practices_markdown(s, fw, &b);
    assert_int_equal(b.len, 0);
    acv_render_practices_markdown(NULL, fw, &b);
    assert_int_equal(b.len, 0);
    acv_buf_free(&b);
    acv_practice_suggestions_free(s);
    free(inds);

    /* nobody has done anything yet about any target */
    const char *fin[] = {"EC.FIN"};
    assert_int_equal(acv_practices_for_report(ctx, "xa_mid", fin, 1, NULL, 0, 0, &s, &err), ACV_OK);
    acv_render_practices_markdown(s, fw, &b);
    assert_non_null(strstr(b.data, "\nNo practice in the registry targets these yet. Record what "
                                   "a city did with `acvtrack practices add FILE.yml` "
                                   "(docs/practices.md).\n"));
    acv_buf_free(&b);
    acv_practice_suggestions_free(s);
    acv_ctx_close(ctx);
}

/* ---- the shipped examples ---------------------------------------------------------------------
 */

static void shipped_examples_are_valid(void **state)
{
    (void)state;
    /* strict: with the ASEAN areas and the demo cities every shipped example imports */
    acv_ctx *ctx = open_workspace("practices-shipped", 0, 1);
    acv_areas_summary asum;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_areas_import(ctx, ACV_TEST_SOURCE_DIR "/indicators/areas/asean-areas.csv",
                                      NULL, &asum, &err),
                     ACV_OK);
    acv_practices_import_options opt = {.display_dir = "indicators/practices"};
    acv_practices_summary sum;
    acv_status st = acv_practices_import_dir(ctx, ACV_TEST_SOURCE_DIR "/indicators/practices", &opt,
                                             &sum, &err);
    for (size_t i = 0; i < sum.n_problems; i++)
        fprintf(stderr, "problem: %s\n", sum.problems[i]);
    assert_int_equal(st, ACV_OK);
    assert_true(sum.files >= 4);
    assert_int_equal(sum.waiting, 0);
    acv_practices_summary_free(&sum);
    /* every one is marked illustrative, in its flag and in its own words */
    acv_practice_query q = {0};
    acv_practice_hits hits;
    assert_int_equal(acv_practices_search(ctx, &q, &hits, &err), ACV_OK);
    assert_true(hits.n >= 4);
    for (size_t i = 0; i < hits.n; i++) {
        assert_int_equal(hits.hits[i].illustrative, 1);
        assert_non_null(strstr(hits.hits[i].summary, "Illustrative example, not a verified case"));
        acv_practice_detail *d = NULL;
        assert_int_equal(acv_practices_get(ctx, hits.hits[i].id, &d, &err), ACV_OK);
        assert_int_equal(d->practice.n_evidence, 1);
        assert_string_equal(d->practice.evidence[0],
                            "None: an illustrative example written for acvtrack, not a verified "
                            "case");
        acv_practice_detail_free(d);
    }
    acv_practice_hits_free(&hits);
    /* the demo coastal town's early warning, before and after from the sample data */
    acv_import_options iopt = {0};
    acv_import_summary isum;
    assert_int_equal(acv_import_csv(ctx, ACV_TEST_SOURCE_DIR "/indicators/sample/observations.csv",
                                    &iopt, &isum, &err),
                     ACV_OK);
    acv_practice_detail *d = NULL;
    assert_int_equal(acv_practices_get(ctx, "PR.DEMO.001", &d, &err), ACV_OK);
    assert_string_equal(d->changes[0].indicator, "PS.DRR.5");
    assert_string_equal(d->changes[0].before_period, "2020");
    assert_true(d->changes[0].before_value == 38);
    assert_string_equal(d->changes[0].after_period, "2025");
    assert_true(d->changes[0].after_value == 90);
    acv_practice_detail_free(d);
    acv_ctx_close(ctx);
}

static void shipped_examples_wait_for_their_areas(void **state)
{
    (void)state;
    /* what `acvtrack init` meets: the ASEAN areas but not yet the demo cities */
    acv_ctx *ctx = open_workspace("practices-waiting", 0, 0);
    acv_areas_summary asum;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_areas_import(ctx, ACV_TEST_SOURCE_DIR "/indicators/areas/asean-areas.csv",
                                      NULL, &asum, &err),
                     ACV_OK);
    acv_practices_import_options opt = {.display_dir = "indicators/practices"};
    acv_practices_summary sum;
    /* strictly, the demo cities are unknown */
    assert_int_equal(acv_practices_import_dir(ctx, ACV_TEST_SOURCE_DIR "/indicators/practices",
                                              &opt, &sum, &err),
                     ACV_ERR_INPUT);
    assert_non_null(strstr(sum.problems[0], "unknown area 'demo_"));
    acv_practices_summary_free(&sum);
    opt.allow_unknown_areas = 1;
    assert_int_equal(acv_practices_import_dir(ctx, ACV_TEST_SOURCE_DIR "/indicators/practices",
                                              &opt, &sum, &err),
                     ACV_OK);
    size_t waiting = sum.waiting, total = sum.added;
    assert_true(waiting >= 1);
    acv_practices_summary_free(&sum);
    assert_int_equal(acv_store_practices_count(ctx->store), (long long)total);
    /* they are there, without a country until their area comes */
    acv_practice_query q = {.words = "sirens"};
    acv_practice_hits hits;
    assert_int_equal(acv_practices_search(ctx, &q, &hits, &err), ACV_OK);
    assert_int_equal(hits.n, 1);
    assert_string_equal(hits.hits[0].id, "PR.DEMO.001");
    assert_null(hits.hits[0].country);
    assert_null(hits.hits[0].city_name);
    acv_practice_hits_free(&hits);
    acv_areas_summary s2;
    assert_int_equal(
        acv_areas_import(ctx, ACV_TEST_SOURCE_DIR "/indicators/sample/areas.csv", NULL, &s2, &err),
        ACV_OK);
    assert_int_equal(acv_practices_search(ctx, &q, &hits, &err), ACV_OK);
    assert_string_equal(hits.hits[0].country, "DEMO");
    acv_practice_hits_free(&hits);
    acv_ctx_close(ctx);
}

/* ---- the command line -------------------------------------------------------------------------
 */

/* Runs the binary on a workspace; returns the exit code and the output (stdout and stderr). */
static int run(const char *db, const char *args, char **out)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s --db %s --framework %s %s", ACV_TEST_BINARY, db,
             ACV_TEST_SOURCE_DIR, args);
    return acv_test_run(cmd, out);
}

static void cli_commands(void **state)
{
    (void)state;
    const char *dir = acv_test_tmpdir("practices-cli");
    char db[600];
    snprintf(db, sizeof db, "%s/acvtrack.db", dir);
    char *out = NULL;
    int rc = run(db, "init", &out);
    if (rc != 0)
        fprintf(stderr, "init failed (%d): %s\n", rc, out);
    free(out);
    assert_int_equal(rc, 0);
    rc = run(db, "practices list", &out);
    /* `acvtrack init` loaded the shipped examples: a new workspace has them */
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "PR.DEMO.001 "));
    assert_non_null(strstr(out, "PR.EXAMPLE.001 "));
    free(out);
    assert_int_equal(
        run(db, "areas import " ACV_TEST_SOURCE_DIR "/indicators/sample/areas.csv", NULL), 0);
    assert_int_equal(
        run(db, "import " ACV_TEST_SOURCE_DIR "/indicators/sample/observations.csv", NULL), 0);
    assert_int_equal(run(db, "-q practices search flood early warning --country DEMO", &out), 0);
    assert_non_null(strstr(out, "\nPR.DEMO.001 "));
    assert_null(strstr(out, "PR.EXAMPLE.001"));
    free(out);
    assert_int_equal(run(db, "practices show PR.DEMO.001", &out), 0);
    assert_non_null(strstr(out, "| 38 (2020) | 90 (2025) | +52, better |"));
    free(out);
    assert_int_equal(run(db, "practices show PR.NOPE", &out), 3);
    assert_non_null(
        strstr(out, "acvtrack: unknown practice 'PR.NOPE' (see 'acvtrack practices list')\n"));
    free(out);
    /* a broken folder: every problem on its own line, then the verdict */
    assert_int_equal(run(db, "areas import " ACV_TEST_FIXTURES "/practices/areas.csv", NULL), 0);
    assert_int_equal(
        run(db, "practices import " ACV_TEST_FIXTURES "/practices/errors/several", &out), 3);
    assert_non_null(strstr(out, "/practices/errors/several/a-broken.yml:9:1: unknown key "
                                "'summry' in practice PR.E17\n"));
    assert_non_null(strstr(out, "acvtrack: 4 problems in " ACV_TEST_FIXTURES
                                "/practices/errors/several; nothing was imported\n"));
    free(out);
    assert_int_equal(run(db, "practices import " ACV_TEST_FIXTURES "/practices/corpus", &out), 0);
    assert_non_null(strstr(out, "8 practices read: 8 new, 0 replaced, 0 unchanged\n"));
    free(out);
    assert_int_equal(run(db, "practices add " ACV_TEST_FIXTURES "/practices/corpus/t01.yml", &out),
                     0);
    assert_non_null(strstr(out, "1 practice read: 0 new, 0 replaced, 1 unchanged\n"));
    free(out);
    assert_int_equal(run(db, "practices", &out), 2);
    free(out);
    assert_int_equal(run(db, "practices search flood --pillar XX", &out), 3);
    assert_non_null(strstr(out, "acvtrack: unknown pillar 'XX' (see 'acvtrack indicators')\n"));
    free(out);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(error_unknown_key),
    cmocka_unit_test(error_missing_key),
    cmocka_unit_test(error_wrong_type_text),
    cmocka_unit_test(error_wrong_type_list),
    cmocka_unit_test(error_wrong_type_year),
    cmocka_unit_test(error_wrong_type_bool),
    cmocka_unit_test(error_duplicate_id),
    cmocka_unit_test(error_duplicate_key),
    cmocka_unit_test(error_unknown_area),
    cmocka_unit_test(error_unknown_action_area),
    cmocka_unit_test(error_unknown_indicator),
    cmocka_unit_test(error_unknown_pillar),
    cmocka_unit_test(error_pillar_mismatch),
    cmocka_unit_test(error_years_reversed),
    cmocka_unit_test(error_not_a_mapping),
    cmocka_unit_test(error_bad_id),
    cmocka_unit_test(error_listed_twice),
    cmocka_unit_test(error_empty_evidence),
    cmocka_unit_test(error_several_all_listed),
    cmocka_unit_test(error_leaves_workspace_unchanged),
    cmocka_unit_test(import_reads_every_field),
    cmocka_unit_test(import_again_changes_nothing),
    cmocka_unit_test(add_replaces_and_reindexes),
    cmocka_unit_test(dry_run_writes_nothing),
    cmocka_unit_test(empty_and_missing_folders),
    cmocka_unit_test(search_ranking),
    cmocka_unit_test(search_filters),
    cmocka_unit_test(search_without_practices),
    cmocka_unit_test(before_after_from_observations),
    cmocka_unit_test(peers_ranked_like_mine),
    cmocka_unit_test(off_track_classes),
    cmocka_unit_test(report_section_for_off_track_city),
    cmocka_unit_test(shipped_examples_are_valid),
    cmocka_unit_test(shipped_examples_wait_for_their_areas),
    cmocka_unit_test(cli_commands),
};

ACV_TEST_MAIN("practices", tests)
