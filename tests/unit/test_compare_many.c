/*
 * test_compare_many.c — comparisons of many areas (compare.h, acv_compare_many_*; docs/reports.md):
 * quantiles, ranks, the population-weighted figure, top and bottom N and the highlighted areas on
 * a small workspace whose scores are worked by hand, the choice between the side-by-side view and
 * the distributions, errors, and the size and structure of every format at 2,000 areas.
 */
#include "testutil.h"

#include "compare.h"
#include "montecarlo.h"
#include "context.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the small workspace: 22 areas of XX ---------------------------------------------------
 * Areas XX-0001..XX-0020 (index i = 0..19) have the overall score 5(i + 1): 5, 10, ..., 100, and
 * so does every level but the first pillar, where all 21 scored areas have 60 (one tie). XX-0021
 * has a run without an overall score (nor any but the first pillar's); XX-0022 has no run.
 * Population of XX-000k: 1000k. */
static double small_scores(void *ud, size_t area, size_t level)
{
    (void)ud;
    if (level == 1)
        return 60;
    return area < 20 ? 5.0 * (double)(area + 1) : NAN;
}

typedef struct {
    char db[600];
    char dir[600];
} workspace;

static void small_workspace(workspace *w, const char *tag)
{
    const char *dir = acv_test_tmpdir(tag);
    assert_non_null(dir);
    snprintf(w->dir, sizeof w->dir, "%s", dir);
    snprintf(w->db, sizeof w->db, "%s/acvtrack.db", dir);
    acv_test_synthetic_workspace(w->db, "XX", 22, 1, small_scores, NULL);
}

/* Runs `acvtrack --db DB ARGS -o FILE` and returns the file's text (malloc'd). */
static char *report(const workspace *w, const char *args, const char *file)
{
    char cmd[4096], path[800], *out = NULL;
    snprintf(path, sizeof path, "%s/%s", w->dir, file);
    snprintf(cmd, sizeof cmd, "%s --db %s %s -o %s", ACV_TEST_BINARY, w->db, args, path);
    int rc = acv_test_run(cmd, &out);
    if (rc)
        fprintf(stderr, "%s: %s\n", cmd, out ? out : "");
    free(out);
    assert_int_equal(rc, 0);
    char *text = acv_test_read(path);
    assert_non_null(text);
    return text;
}

static void assert_contains(const char *text, const char *what)
{
    if (!strstr(text, what)) {
        fprintf(stderr, "missing: %s\n", what);
        fail();
    }
}

static size_t count(const char *text, const char *what)
{
    size_t n = 0;
    for (const char *p = strstr(text, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

static void quantile_type_7(void **state)
{
    (void)state;
    /* h = (n - 1)p; Q = x[j] + (h - j)(x[j+1] - x[j]) */
    double x[] = {1, 2, 4, 8};
    assert_true(fabs(acv_quantile_sorted(x, 4, 0.25) - 1.75) < 1e-12); /* h 0.75 */
    assert_true(fabs(acv_quantile_sorted(x, 4, 0.5) - 3.0) < 1e-12);   /* h 1.5 */
    assert_true(fabs(acv_quantile_sorted(x, 4, 0.75) - 5.0) < 1e-12);  /* h 2.25: 4 + .25*4 */
    assert_true(acv_quantile_sorted(x, 4, 0) == 1 && acv_quantile_sorted(x, 4, 1) == 8);
    double one[] = {42};
    assert_true(acv_quantile_sorted(one, 1, 0.25) == 42);
}

static void model_worked_by_hand(void **state)
{
    (void)state;
    workspace w;
    small_workspace(&w, "compare-many-model");
    acv_ctx_options opt = {.db_path = w.db};
    acv_ctx *ctx = NULL;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_ctx_open(&opt, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, &ctx, &err), ACV_OK);
    size_t n = 0;
    assert_int_equal(acv_compare_count(ctx, "country:XX", 0, &n, &err), ACV_OK);
    assert_int_equal(n, 22);
    acv_compare_many *c = NULL;
    assert_int_equal(acv_compare_many_load(ctx, "country:XX,XX-0005", "XX-0017", 0, 2025, &c, &err),
                     ACV_OK);
    assert_string_equal(c->group, "country:XX and 1 area named");
    assert_int_equal(c->n_areas, 21); /* XX-0022 has no run */
    assert_int_equal(c->n_skipped, 1);
    assert_string_equal(c->skipped[0], "XX-0022: no scoring run for that year");
    assert_int_equal(c->top, ACV_COMPARE_TOP_DEFAULT);
    const acv_compare_level *o = &c->levels[0];
    assert_string_equal(o->code, "ACV");
    assert_int_equal(o->n_scored, 20);
    /* sorted 5, 10, ..., 100: Q1 h = 19 × .25 = 4.75 → 25 + .75 × 5 = 28.75; median h = 9.5 →
     * 52.5; Q3 h = 14.25 → 75 + .25 × 5 = 76.25 */
    assert_true(o->min == 5 && o->max == 100);
    assert_true(fabs(o->q1 - 28.75) < 1e-9);
    assert_true(fabs(o->median - 52.5) < 1e-9);
    assert_true(fabs(o->q3 - 76.25) < 1e-9);
    /* weights 1000k: sum 1000k × 5k / sum 1000k = 5 × 2870 / 210 = 68.333... */
    assert_true(o->weighted.has);
    assert_int_equal(o->weighted.n, 20);
    assert_true(fabs(o->weighted.value - 5.0 * 2870 / 210) < 1e-9);
    assert_true(fabs(o->weighted.population - 210000) < 1e-9);
    /* bins of 5: the score 5k falls in bin k (k = 1..19), and 100 joins 95 in the last */
    assert_int_equal(o->bins[0], 0);
    for (int k = 1; k < 19; k++)
        assert_int_equal(o->bins[k], 1);
    assert_int_equal(o->bins[19], 2);
    /* the order and ranks: XX-0020 first, XX-0001 last; XX-0021 unranked */
    assert_string_equal(c->areas[o->order[0]].code, "XX-0020");
    assert_string_equal(c->areas[o->order[19]].code, "XX-0001");
    for (size_t a = 0; a < c->n_areas; a++) {
        unsigned want = strcmp(c->areas[a].code, "XX-0021") == 0 ? 0 : 21 - (unsigned)(a + 1);
        assert_int_equal(c->ranks[a * c->n_levels], want);
    }
    /* the first pillar: 21 areas all at 60 share rank 1 */
    const acv_compare_level *p = &c->levels[1];
    assert_string_equal(p->level, "pillar");
    assert_int_equal(p->n_scored, 21);
    assert_true(p->min == 60 && p->q1 == 60 && p->median == 60 && p->q3 == 60 && p->max == 60);
    for (size_t a = 0; a < c->n_areas; a++)
        assert_int_equal(c->ranks[a * c->n_levels + 1], 1);
    /* highlights: the area named beside the country first, then --highlight */
    assert_int_equal(c->n_highlighted, 2);
    assert_string_equal(c->areas[c->highlighted[0]].code, "XX-0005");
    assert_string_equal(c->areas[c->highlighted[1]].code, "XX-0017");
    assert_int_equal(c->areas[c->highlighted[0]].highlight, 1);
    assert_int_equal(c->areas[c->highlighted[1]].highlight, 2);
    /* stamps: one framework hash, 21 runs */
    const char *values[4];
    size_t counts[4];
    assert_int_equal(acv_compare_many_distinct(c, ACV_STAMP_FRAMEWORK, values, counts, 4), 1);
    assert_int_equal(counts[0], 21);
    assert_string_equal(values[0], "f00dfeedf00dfeedf00dfeedf00dfeed");
    acv_compare_many_free(c);
    acv_ctx_close(ctx);
}

static void outputs_worked_by_hand(void **state)
{
    (void)state;
    workspace w;
    small_workspace(&w, "compare-many-outputs");
    const char *args = "report --compare country:XX,XX-0005 --highlight XX-0017 --year 2025";
    char cmd[1024];

    snprintf(cmd, sizeof cmd, "%s --top 3", args);
    char *md = report(&w, cmd, "c.md");
    /* the title names the group, not 21 names */
    assert_contains(md, "# ACV 2045 comparison: country:XX and 1 area named, 21 areas\n");
    assert_true(strstr(md, "Area 0002") == NULL || strstr(md, "Area 0002") > strstr(md, "## Top"));
    assert_contains(md, "| Overall | 20 | 5.0 | 28.8 | 52.5 | 76.2 | 100.0 | 68.3 | 25.0 (rank 16 "
                        "of 20) | 85.0 (rank 4 of 20) |");
    /* top and bottom 3 of the overall score, 14 between */
    assert_contains(md, "| 1 | Area 0020 (`XX-0020`) | XX | 100.0 |\n| 2 | Area 0019 (`XX-0019`) "
                        "| XX | 95.0 |\n| 3 | Area 0018 (`XX-0018`) | XX | 90.0 |\n| … | 14 areas "
                        "between | | |\n| 18 | Area 0003 (`XX-0003`) | XX | 15.0 |");
    assert_contains(md, "## Not compared\n\n- XX-0022: no scoring run for that year\n");
    /* the run stamps come last */
    assert_contains(md, "## Runs compared\n\n21 runs");
    assert_true(strstr(md, "## Runs compared") > strstr(md, "## Not compared"));
    assert_contains(md, "- framework: `f00dfeedf00d` (21 runs)\n");
    free(md);

    char *csv = report(&w, args, "c.csv");
    /* one row per compared area, ranked; XX-0021 (no overall score) last, unranked */
    assert_int_equal(count(csv, "\r\n"), 1 + 21);
    assert_contains(csv, "\xef\xbb\xbfrank,area,area_name,country,population,highlighted,overall,");
    assert_contains(csv, "\r\n1,XX-0020,Area 0020,XX,20000,,100,60,");
    assert_contains(csv, "\r\n4,XX-0017,Area 0017,XX,17000,2,85,60,85,");
    assert_contains(csv, "\r\n16,XX-0005,Area 0005,XX,5000,1,25,60,25,");
    assert_contains(csv, "\r\n,XX-0021,Area 0021,XX,21000,,,60,,");
    assert_true(strstr(csv, "XX-0021") > strstr(csv, "XX-0001,"));
    assert_true(strstr(csv, "XX-0022") == NULL);
    free(csv);

    char *json = report(&w, args, "c.json");
    assert_contains(json, "\"schema\":\"acvtrack-comparison-many/1\"");
    assert_contains(json, "\"highlighted\":[\"XX-0005\",\"XX-0017\"]");
    assert_contains(json, "\"level\":\"overall\",\"code\":\"ACV\",\"name\":\"Overall\","
                          "\"n_scored\":20,\"min\":5,\"q1\":28.75,\"median\":52.5,\"q3\":76.25,"
                          "\"max\":100,\"population_weighted\":{\"score\":68.33,\"areas\":20,"
                          "\"population\":210000},\"histogram\":[0,1,1,1,1,1,1,1,1,1,1,1,1,1,1,"
                          "1,1,1,1,2],\"top\":[{\"rank\":1,\"area\":\"XX-0020\",\"score\":100}");
    assert_contains(json, "\"not_compared\":[\"XX-0022: no scoring run for that year\"]");
    assert_int_equal(count(json, "\"data_hash\":"), 21);
    free(json);

    char *html = report(&w, args, "c.html");
    assert_contains(html, "<title>ACV 2045 comparison: country:XX and 1 area named, 21 areas");
    /* one colour per highlighted area, the same everywhere */
    assert_contains(html, "<span class=\"sw\" style=\"background:#0072B2\">1</span>Area 0005");
    assert_contains(html, "<span class=\"sw\" style=\"background:#D55E00\">2</span>Area 0017");
    assert_contains(html, "Area 0005 <span class=\"mono nodata\">XX-0005</span>: 25.0 (rank 16 of "
                          "20)");
    /* the ranking's data: 21 rows; run stamps after the ranking */
    assert_int_equal(count(html, "\n[") + count(html, "\"rows\":[\n["), 21 + 1);
    assert_true(strstr(html, "id=\"runs\"") > strstr(html, "id=\"ranking\""));
    assert_contains(html, "script-src 'sha256-");
    free(html);
}

static void side_by_side_up_to_twelve(void **state)
{
    (void)state;
    workspace w;
    small_workspace(&w, "compare-many-few");
    /* 12 named areas: side by side (their names in the title); 13: distributions */
    char *md = report(&w,
                      "report --compare XX-0001,XX-0002,XX-0003,XX-0004,XX-0005,XX-0006,XX-0007,"
                      "XX-0008,XX-0009,XX-0010,XX-0011,XX-0012",
                      "12.md");
    assert_contains(md, "Area 0011 and Area 0012\n");
    free(md);
    md = report(&w,
                "report --compare XX-0001,XX-0002,XX-0003,XX-0004,XX-0005,XX-0006,XX-0007,"
                "XX-0008,XX-0009,XX-0010,XX-0011,XX-0012,XX-0013",
                "13.md");
    assert_contains(md, "# ACV 2045 comparison: 13 areas named, 13 areas\n");
    free(md);
}

static void errors(void **state)
{
    (void)state;
    workspace w;
    small_workspace(&w, "compare-many-errors");
    char cmd[2048], *out = NULL;
    snprintf(cmd, sizeof cmd, "%s --db %s report --compare country:XX --highlight XX-0022",
             ACV_TEST_BINARY, w.db);
    assert_int_equal(acv_test_run(cmd, &out), 2);
    assert_contains(out, "--highlight XX-0022: not among the compared areas");
    free(out);
    snprintf(cmd, sizeof cmd,
             "%s --db %s report --compare country:XX --highlight "
             "XX-0001,XX-0002,XX-0003,XX-0004,XX-0005,XX-0006,XX-0007,XX-0008,XX-0009",
             ACV_TEST_BINARY, w.db);
    assert_int_equal(acv_test_run(cmd, &out), 2);
    assert_contains(out, "at most 8 areas can be highlighted (one colour each); XX-0009 is one "
                         "more");
    free(out);
    snprintf(cmd, sizeof cmd, "%s --db %s report --compare country:XX --top 0", ACV_TEST_BINARY,
             w.db);
    assert_int_equal(acv_test_run(cmd, &out), 2);
    assert_contains(out, "--top '0' is not a number from 1 to 1000");
    free(out);
    snprintf(cmd, sizeof cmd, "%s --db %s report --area XX-0001 --top 3", ACV_TEST_BINARY, w.db);
    assert_int_equal(acv_test_run(cmd, &out), 2);
    assert_contains(out, "--highlight and --top are for --compare");
    free(out);
}

/* ---- 2,000 areas ---------------------------------------------------------------------------- */

static double many_scores(void *ud, size_t area, size_t level)
{
    (void)ud;
    return (double)((area * 7919 + level * 104729) % 1001) / 10.0;
}

static void two_thousand_areas(void **state)
{
    (void)state;
    workspace w;
    const char *dir = acv_test_tmpdir("compare-many-2000");
    assert_non_null(dir);
    snprintf(w.dir, sizeof w.dir, "%s", dir);
    snprintf(w.db, sizeof w.db, "%s/acvtrack.db", dir);
    /* 2,010 areas, the last 10 without a run */
    acv_test_synthetic_workspace(w.db, "YY", 2010, 10, many_scores, NULL);
    const char *args = "report --compare country:YY --highlight YY-0001,YY-0777";

    char *csv = report(&w, args, "yy.csv");
    assert_int_equal(count(csv, "\r\n"), 1 + 2000); /* the complete ranked table */
    free(csv);

    char *json = report(&w, args, "yy.json");
    assert_int_equal(count(json, "\"data_hash\":"), 2000);
    assert_contains(json, "\"n_areas\":2000");
    free(json);

    char *html = report(&w, args, "yy.html");
    size_t size = strlen(html);
    fprintf(stderr, "HTML of 2,000 areas: %zu bytes\n", size);
    /* 2 MB for 10,049 areas is 199 bytes an area: at 2,000 areas under 400 kB, of which the
     * charts, tables and style take about 120 kB whatever the count */
    assert_true(size < 400000);
    assert_contains(html, "<h1>country:YY, 2000 areas</h1>");
    /* a histogram per level, a level block per level */
    assert_contains(html, "<details class=\"aas\">");
    size_t charts = count(html, "<svg class=\"dist\"");
    assert_true(charts >= 5);
    /* the first page of the ranking as rows, every row as data */
    const char *body = strstr(html, "<tbody id=\"rank-body\">");
    assert_non_null(body);
    const char *end = strstr(body, "</tbody>");
    size_t rows = 0;
    for (const char *p = strstr(body, "<tr"); p && p < end; p = strstr(p + 1, "<tr"))
        rows++;
    assert_int_equal(rows, 50);
    assert_int_equal(count(html, "\n["), 2000);
    /* the highlighted areas, in their colours, with the long name whole (never cut) */
    assert_contains(html, "<span class=\"sw\" style=\"background:#0072B2\">1</span>Municipality "
                          "of Area 0001 whose official name is long enough to wrap on any "
                          "screen <span");
    assert_contains(html, "<span class=\"sw\" style=\"background:#D55E00\">2</span>Area 0777");
    /* no name is drawn in a chart (where it could be clipped): chart texts are numbers */
    for (const char *p = strstr(html, "<svg class=\"dist\""); p;
         p = strstr(p + 1, "<svg class=\"dist\"")) {
        const char *svg_end = strstr(p, "</svg>");
        for (const char *t = strstr(p, "<text"); t && t < svg_end; t = strstr(t + 1, "<text")) {
            const char *txt = strchr(t, '>') + 1;
            for (; *txt != '<'; txt++)
                assert_true(*txt >= '0' && *txt <= '9');
        }
    }
    assert_true(strstr(html, "text-overflow") == NULL);
    /* the run stamps at the end */
    assert_true(strstr(html, "id=\"runs\"") > strstr(html, "id=\"rank-data\""));
    assert_contains(html, "<code>f00dfeedf00d</code> (2000 runs)");
    assert_contains(html, "<ul class=\"inline\"><li>YY-2001: no scoring run</li>");
    free(html);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(quantile_type_7),
    cmocka_unit_test(model_worked_by_hand),
    cmocka_unit_test(outputs_worked_by_hand),
    cmocka_unit_test(side_by_side_up_to_twelve),
    cmocka_unit_test(errors),
    cmocka_unit_test(two_thousand_areas),
};

ACV_TEST_MAIN("compare_many", tests)
