/*
 * test_uncertainty.c — the pieces of the uncertainty analysis of ranks that have no Lua in them:
 * the ranks of one replication (reports/uncertainty.h: competition ranks, areas without a score
 * after the others) and the assumptions file (model/assumptions.h: the shipped one, and the
 * errors of a wrong one, with file:line:col).
 */
#include "testutil.h"

#include "assumptions.h"
#include "uncertainty.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void replication_ranks(void **state)
{
    (void)state;
    /* c 80 first; a 70 and d 70 + 1e-10 (the same score within 1e-9) share 2; b and e have no
     * score and share the place after the three scored: 1, 2, 2, 4, 4 */
    const double scores[] = {70, NAN, 80, 70.0000000001, NAN};
    const char *const codes[] = {"a", "b", "c", "d", "e"};
    int ranks[5];
    assert_int_equal(acv_uncertainty_rank(scores, codes, 5, ranks), 0);
    const int expected[] = {2, 4, 1, 2, 4};
    for (int i = 0; i < 5; i++)
        assert_int_equal(ranks[i], expected[i]);
    /* 90, 50, 50, 10: 1, 2, 2, 4 */
    const double s2[] = {50, 10, 90, 50};
    const char *const c2[] = {"x", "y", "z", "w"};
    assert_int_equal(acv_uncertainty_rank(s2, c2, 4, ranks), 0);
    assert_int_equal(ranks[0], 2);
    assert_int_equal(ranks[1], 4);
    assert_int_equal(ranks[2], 1);
    assert_int_equal(ranks[3], 2);
}

static void shipped_assumptions(void **state)
{
    (void)state;
    acv_overlay ov;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_overlay_init(&ov, ACV_TEST_SOURCE_DIR, NULL, &err), ACV_OK);
    acv_assumptions a;
    assert_int_equal(acv_assumptions_load(&ov, NULL, &a, &err), ACV_OK);
    assert_string_equal(a.file, "indicators/uncertainty/assumptions.yml");
    assert_float_equal(a.noise, 0.25, 0);
    assert_true(a.on_indicators && a.on_action_areas && a.on_pillars);
    assert_int_equal(a.n_alternatives[ACV_FACTOR_AGGREGATION], 2);
    assert_string_equal(a.alternatives[ACV_FACTOR_AGGREGATION][0], "arithmetic");
    assert_string_equal(a.alternatives[ACV_FACTOR_AGGREGATION][1], "geometric");
    assert_string_equal(a.alternatives[ACV_FACTOR_NORMALISATION][1], "distance_to_target");
    assert_string_equal(a.alternatives[ACV_FACTOR_IMPUTATION][1], "mean");
    acv_assumptions_free(&a);
    acv_overlay_free(&ov);
}

static void wrong_assumptions(void **state)
{
    (void)state;
    const char *dir = acv_test_tmpdir("assumptions");
    char *path = acv_test_write(dir, "a.yml",
                                "uncertainty:\n"
                                "  weights:\n"
                                "    noise: 0.1\n"
                                "    levels: [indicator, district]\n"
                                "  aggregation: [arithmetic]\n"
                                "  normalisation: [minmax, minmax]\n"
                                "  imputation: [none]\n");
    acv_assumptions a;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_assumptions_load(NULL, path, &a, &err), ACV_ERR_INPUT);
    assert_non_null(strstr(err.message, ":4:25: unknown level 'district' in the weights"));
    assert_non_null(strstr(err.message, "(and more problems in the file)"));
    free(path);
    path = acv_test_write(dir, "b.yml",
                          "uncertainty:\n  weights:\n    noise: 0\n  aggregation: [mean]\n"
                          "  normalisation: [minmax]\n  imputation: [none]\n");
    assert_int_equal(acv_assumptions_load(NULL, path, &a, &err), ACV_ERR_INPUT);
    assert_non_null(strstr(err.message, ":4:17: unknown aggregation 'mean' in the uncertainty "
                                        "assumptions (known: framework, arithmetic, geometric)"));
    free(path);
    /* no file in the framework: says which file and how to name one */
    acv_overlay ov;
    assert_int_equal(acv_overlay_init(&ov, dir, NULL, &err), ACV_OK);
    assert_int_equal(acv_assumptions_load(&ov, NULL, &a, &err), ACV_ERR_NOTFOUND);
    assert_non_null(strstr(err.message, "no indicators/uncertainty/assumptions.yml"));
    acv_overlay_free(&ov);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(replication_ranks),
    cmocka_unit_test(shipped_assumptions),
    cmocka_unit_test(wrong_assumptions),
};

ACV_TEST_MAIN("uncertainty", tests)
