/*
 * test_util.c — the growable-array and enum-name helpers of util.h: capacities step by step,
 * kept contents, zeroed new slots, the arena variant, and names in and out of range; JSON
 * strings that stay valid UTF-8 whatever bytes they are given.
 */
#include "testutil.h"

#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void grow_doubles_from_first(void **state)
{
    (void)state;
    int *a = NULL;
    size_t n = 0, cap = 0;
    size_t caps[40];
    for (int i = 0; i < 40; i++) {
        assert_int_equal(ACV_GROW(a, cap, n, 4), 0);
        a[n++] = i * 3;
        caps[i] = cap;
    }
    /* 4 after the first push, 8 after the fifth, 16 after the ninth, 32, then 64 */
    assert_int_equal(caps[0], 4);
    assert_int_equal(caps[3], 4);
    assert_int_equal(caps[4], 8);
    assert_int_equal(caps[8], 16);
    assert_int_equal(caps[16], 32);
    assert_int_equal(caps[32], 64);
    for (int i = 0; i < 40; i++)
        assert_int_equal(a[i], i * 3);
    /* the slots not yet used are zero */
    for (size_t i = n; i < cap; i++)
        assert_int_equal(a[i], 0);
    free(a);
}

static void grow_leaves_room_alone(void **state)
{
    (void)state;
    long *a = malloc(5 * sizeof *a);
    assert_non_null(a);
    long *before = a;
    size_t cap = 5;
    assert_int_equal(ACV_GROW(a, cap, 4, 16), 0);
    assert_ptr_equal(a, before);
    assert_int_equal(cap, 5);
    free(a);
}

static void grow_refuses_an_overflowing_size(void **state)
{
    (void)state;
    char big[64];
    void *a = NULL;
    size_t cap = SIZE_MAX / 2 + 1;
    /* doubling the capacity would wrap: refused, nothing changed */
    assert_int_equal(acv_array_grow(&a, &cap, cap, sizeof big, 8), -1);
    assert_null(a);
    assert_int_equal(cap, SIZE_MAX / 2 + 1);
    cap = SIZE_MAX / sizeof big;
    assert_int_equal(acv_array_grow(&a, &cap, cap, sizeof big, 8), -1);
    assert_null(a);
}

static void arena_grow_copies_what_is_kept(void **state)
{
    (void)state;
    acv_arena arena = {0};
    double *a = NULL;
    size_t n = 0, cap = 0;
    for (int i = 0; i < 20; i++) {
        assert_int_equal(ACV_ARENA_GROW(&arena, a, cap, n, 2), 0);
        a[n++] = i + 0.5;
    }
    assert_int_equal(cap, 32);
    for (int i = 0; i < 20; i++)
        assert_true(a[i] == i + 0.5);
    for (size_t i = n; i < cap; i++)
        assert_true(a[i] == 0);
    acv_arena_free(&arena);
}

typedef enum { COLOUR_RED, COLOUR_GREEN, COLOUR_UNNAMED, COLOUR_BLUE } colour;
static const char *const COLOUR_NAMES[] = {
    [COLOUR_RED] = "red", [COLOUR_GREEN] = "green", [COLOUR_BLUE] = "blue"};
#define N_COLOURS (sizeof COLOUR_NAMES / sizeof *COLOUR_NAMES)

static void names_in_and_out_of_range(void **state)
{
    (void)state;
    assert_string_equal(acv_name_of(COLOUR_NAMES, N_COLOURS, COLOUR_RED, "?"), "red");
    assert_string_equal(acv_name_of(COLOUR_NAMES, N_COLOURS, COLOUR_BLUE, "?"), "blue");
    assert_string_equal(acv_name_of(COLOUR_NAMES, N_COLOURS, COLOUR_UNNAMED, "?"), "?");
    assert_string_equal(acv_name_of(COLOUR_NAMES, N_COLOURS, 4, "none"), "none");
    assert_string_equal(acv_name_of(COLOUR_NAMES, N_COLOURS, -1, "none"), "none");
    assert_int_equal(acv_name_index(COLOUR_NAMES, N_COLOURS, "green"), COLOUR_GREEN);
    assert_int_equal(acv_name_index(COLOUR_NAMES, N_COLOURS, "blue"), COLOUR_BLUE);
    assert_int_equal(acv_name_index(COLOUR_NAMES, N_COLOURS, "Blue"), -1);
    assert_int_equal(acv_name_index(COLOUR_NAMES, N_COLOURS, ""), -1);
}

static void json_string_replaces_invalid_utf8(void **state)
{
    (void)state;
    acv_buf b = {0};
    /* valid two-, three- and four-byte sequences (é, €, 😀) are copied as they are */
    acv_buf_json_string(&b, "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
    assert_string_equal(b.data, "\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"");
    b.len = 0;
    /* each bad byte becomes U+FFFD (EF BF BD): a Latin-1 é (E9), a stray continuation byte (80),
     * an overlong '/' (C0 AF: two bad bytes, as C0 starts nothing and AF continues nothing), a
     * surrogate (ED A0 80: three), a truncated € at the end (E2 82: two) */
    acv_buf_json_string(&b, "a\xE9"
                            "b\x80"
                            "c\xC0\xAF"
                            "d\xED\xA0\x80"
                            "e\xE2\x82");
    assert_string_equal(b.data, "\"a\xEF\xBF\xBD"
                                "b\xEF\xBF\xBD"
                                "c\xEF\xBF\xBD\xEF\xBF\xBD"
                                "d\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
                                "e\xEF\xBF\xBD\xEF\xBF\xBD\"");
    acv_buf_free(&b);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(grow_doubles_from_first),
    cmocka_unit_test(grow_leaves_room_alone),
    cmocka_unit_test(grow_refuses_an_overflowing_size),
    cmocka_unit_test(arena_grow_copies_what_is_kept),
    cmocka_unit_test(names_in_and_out_of_range),
    cmocka_unit_test(json_string_replaces_invalid_utf8),
};

ACV_TEST_MAIN("util", tests)
