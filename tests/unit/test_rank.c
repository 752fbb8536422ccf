/*
 * test_rank.c — standard competition ranks (reports/rank.h): the order (score descending, then
 * area code), ties sharing the best rank of their group and the places they skip, worked by hand.
 */
#include "testutil.h"

#include "rank.h"

static void competition_ranks(void **state)
{
    (void)state;
    /* scores 50, 80, 80, 90, 80, 10 for areas f, e, b, a, c, d: ordered 90 (a), then the three
     * 80s by code (b, c, e) sharing rank 2, then 50 (f) at 2 + 3 = 5 and 10 (d) at 6:
     * 1, 2, 2, 2, 5, 6 */
    acv_rank_entry e[] = {
        {.code = "f", .score = 50}, {.code = "e", .score = 80}, {.code = "b", .score = 80},
        {.code = "a", .score = 90}, {.code = "c", .score = 80}, {.code = "d", .score = 10},
    };
    acv_rank_assign(e, 6);
    const char *codes[] = {"a", "b", "c", "e", "f", "d"};
    int ranks[] = {1, 2, 2, 2, 5, 6};
    int tied[] = {0, 1, 1, 1, 0, 0};
    for (int i = 0; i < 6; i++) {
        assert_string_equal(e[i].code, codes[i]);
        assert_int_equal(e[i].rank, ranks[i]);
        assert_int_equal(e[i].tied, tied[i]);
    }
}

static void tie_at_the_top_and_rounding_noise(void **state)
{
    (void)state;
    /* x and z are 215 / 3 computed along two paths, differing in the last digits only: they
     * tie at 2 behind y (71.7, a different score), and w comes 4th: 1, 2, 2, 4 */
    acv_rank_entry e[] = {
        {.code = "z", .score = 71.66666666666667},
        {.code = "x", .score = 71.66666666666666},
        {.code = "y", .score = 71.7},
        {.code = "w", .score = 0},
    };
    acv_rank_assign(e, 4);
    assert_string_equal(e[0].code, "y");
    assert_int_equal(e[0].rank, 1);
    assert_int_equal(e[0].tied, 0);
    assert_string_equal(e[1].code, "x");
    assert_string_equal(e[2].code, "z");
    assert_int_equal(e[1].rank, 2);
    assert_int_equal(e[2].rank, 2);
    assert_true(e[1].tied && e[2].tied);
    /* a real zero is a score like any other: ranked last, at 4 */
    assert_string_equal(e[3].code, "w");
    assert_int_equal(e[3].rank, 4);
    assert_int_equal(e[3].tied, 0);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(competition_ranks),
    cmocka_unit_test(tie_at_the_top_and_rounding_noise),
};

ACV_TEST_MAIN("rank", tests)
