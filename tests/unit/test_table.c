/*
 * test_table.c — display width of UTF-8 text and the plain-text tables built on it: widths worked
 * out by hand per code point, exact rendered lines with wrapping and widening.
 */
#include "testutil.h"

#include "table.h"

#include <stdlib.h>
#include <string.h>

static size_t width(const char *s)
{
    return acv_text_width(s, strlen(s));
}

static void ascii_and_latin(void **state)
{
    (void)state;
    assert_int_equal(width(""), 0);
    assert_int_equal(width("per 100,000"), 11);
    /* – (U+2013, 3 bytes), µ (U+00B5) and ³ (U+00B3, 2 bytes each) are one column each */
    assert_int_equal(width("score 0–100"), 11);
    assert_int_equal(strlen("score 0–100"), 13);
    assert_int_equal(width("µg/m³"), 5);
    assert_int_equal(strlen("µg/m³"), 7); /* µ and ³ are two bytes each */
}

static void combining_marks(void **state)
{
    (void)state;
    /* Thai ครัวเรือน: 9 code points, U+0E31 and U+0E37 sit above their consonant: 7 columns */
    assert_int_equal(width("ครัวเรือน"), 7);
    /* Thai น้ำ (water): น, the tone mark U+0E49 above it, and sara am U+0E33, which takes
     * its own column: 1 + 0 + 1 */
    assert_int_equal(width("น้ำ"), 2);
    /* Vietnamese người decomposed: n g u U+031B o U+031B U+0300 i: 5 columns */
    assert_int_equal(width("ngu\xcc\x9bo\xcc\x9b\xcc\x80i"), 5);
    /* and precomposed (ư U+01B0, ờ U+1EDD): the same 5 columns */
    assert_int_equal(width("người"), 5);
    /* Khmer ក្រុង (krong, city): ក U+17D2 រ U+17BB ង: coeng and vowel sign u are marks */
    assert_int_equal(width("ក្រុង"), 3);
}

static void wide_characters(void **state)
{
    (void)state;
    /* CJK and full-width forms take two columns */
    assert_int_equal(width("人/km²"), 6);
    assert_int_equal(width("東京"), 4);
    assert_int_equal(width("ＡＢ"), 4);
    assert_int_equal(width("서울"), 4);
}

static void invalid_bytes(void **state)
{
    (void)state;
    /* a stray continuation byte, a truncated sequence and an overlong encoding: one column per
     * byte, so a damaged name still pads to a stable width */
    assert_int_equal(width("a\x80z"), 3);
    assert_int_equal(acv_text_width("\xe2\x80", 2), 2);
    assert_int_equal(width("\xc0\xaf"), 2);
    /* len limits what is read: the first two code points of "µg" */
    assert_int_equal(acv_text_width("µgm", 3), 2);
}

static char *render(const acv_table_column *cols, size_t ncols, const char *const *cells,
                    size_t nrows)
{
    acv_table t;
    acv_table_init(&t, cols, ncols);
    acv_error err;
    acv_error_clear(&err);
    for (size_t r = 0; r < nrows; r++)
        assert_int_equal(acv_table_add(&t, cells + r * ncols, &err), ACV_OK);
    acv_buf b = {0};
    acv_table_render(&t, &b);
    acv_table_free(&t);
    assert_false(b.failed);
    return b.data;
}

static void aligned_by_display_width(void **state)
{
    (void)state;
    static const acv_table_column cols[] = {{"UNIT", 0}, {"NAME", 0}};
    const char *cells[] = {"%",   "share",   "µg/m³", "PM2.5",  "score 0–100",
                           "DRR", "ครัวเรือน", "Thai",  "人/km²", "wide"};
    char *out = render(cols, 2, cells, 5);
    /* the unit column is 11 columns wide (score 0–100), then two spaces */
    assert_string_equal(out, "UNIT         NAME\n"
                             "%            share\n"
                             "µg/m³        PM2.5\n"
                             "score 0–100  DRR\n"
                             "ครัวเรือน      Thai\n"
                             "人/km²       wide\n");
    free(out);
}

static void wraps_without_cutting_a_word(void **state)
{
    (void)state;
    static const acv_table_column cols[] = {{"ID", 0}, {"UNIT", 12}, {"SDG", 8}, {"NAME", 0}};
    const char *cells[] = {
        "A.1",
        "guest-nights per 100 residents",
        "11.5.1,1.5.1",
        "Visitors", /* wraps */
        "A.2",
        "%",
        "",
        "Share", /* fits */
        "A.3",
        "disability-adjusted",
        "3.4.1",
        "DALY", /* widens */
        "A.4",
        "",
        "",
        "", /* empty */
    };
    char *out = render(cols, 4, cells, 4);
    /* UNIT: the limit is 12, but disability-adjusted (19) is one word, so the column is 19;
     * guest-nights per (16) fits it, + " 100" would be 20. SDG wraps after the comma (7 + 5 >
     * 8). No line ends in a space. */
    assert_string_equal(out, "ID   UNIT                 SDG       NAME\n"
                             "A.1  guest-nights per     11.5.1,   Visitors\n"
                             "     100 residents        1.5.1\n"
                             "A.2  %                              Share\n"
                             "A.3  disability-adjusted  3.4.1     DALY\n"
                             "A.4\n");
    free(out);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(ascii_and_latin),          cmocka_unit_test(combining_marks),
    cmocka_unit_test(wide_characters),          cmocka_unit_test(invalid_bytes),
    cmocka_unit_test(aligned_by_display_width), cmocka_unit_test(wraps_without_cutting_a_word),
};

ACV_TEST_MAIN("table", tests)
