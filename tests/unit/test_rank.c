/*
 * test_rank.c — standard competition ranks (reports/rank.h): the order (score descending, then
 * area code), ties sharing the best rank of their group and the places they skip, worked by hand.
 */
#include "testutil.h"

#include "rank.h"

#include <string.h>

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

/* The CSV for Excel: the byte order mark EF BB BF, then the records of the plain CSV with CRLF
 * ends, a name with a comma quoted, a name a spreadsheet would run defused with an apostrophe, the
 * score to 15 significant digits (what Excel holds), the tie flag as TRUE/FALSE. */
static void csv_for_excel(void **state)
{
    (void)state;
    acv_rank_entry ranked[] = {
        {.code = "VN-DN",
         .name = "Đà Nẵng",
         .score = 71.66666666666667,
         .rank = 1,
         .previous_rank = 3},
        {.code = "VN-HUE", .name = "Huế, city", .score = 45, .rank = 2},
    };
    acv_rank_entry unranked[] = {
        {.code = "VN-X", .name = "=cmd", .reason = "no scoring run for 2025"},
    };
    acv_rank_model m = {.level = "overall",
                        .code = "ACV",
                        .year = 2025,
                        .previous_year = 2024,
                        .ranked = ranked,
                        .n_ranked = 2,
                        .unranked = unranked,
                        .n_unranked = 1};
    const char *records = "rank,tied,area,name,score,previous_rank,change,reason\r\n"
                          "1,%s,VN-DN,Đà Nẵng,71.6666666666667,3,2,\r\n"
                          "2,%s,VN-HUE,\"Huế, city\",45,,new,\r\n"
                          ",,VN-X,'=cmd,,,,no scoring run for 2025\r\n";
    char want[512];
    acv_buf b = {0};
    acv_rank_render(&m, ACV_RANK_XLSX_CSV, &b);
    snprintf(want, sizeof want, records, "FALSE", "FALSE");
    assert_int_equal(b.len, 3 + strlen(want));
    assert_memory_equal(b.data, "\xEF\xBB\xBF", 3);
    assert_string_equal(b.data + 3, want);
    acv_buf_free(&b);
    /* the plain CSV: the same records, no byte order mark, lower-case booleans */
    acv_rank_render(&m, ACV_RANK_CSV, &b);
    snprintf(want, sizeof want, records, "false", "false");
    assert_string_equal(b.data, want);
    acv_buf_free(&b);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(competition_ranks),
    cmocka_unit_test(tie_at_the_top_and_rounding_noise),
    cmocka_unit_test(csv_for_excel),
};

ACV_TEST_MAIN("rank", tests)
