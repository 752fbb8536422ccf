/*
 * test_csvwrite.c — the one CSV writer: RFC 4180 quoting, formula defusing of every trigger
 * character (ASCII and full-width), numbers never defused, and the same bytes to a buffer and to
 * a FILE.
 */
#include "testutil.h"

#include "csvwrite.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One text cell, written alone in a record, as the writer puts it in a buffer. */
static char *one_cell(const char *s)
{
    acv_buf b = {0};
    acv_csv_writer w = acv_csvwrite_to_buf(&b);
    acv_csvwrite_text(&w, s);
    acv_csvwrite_end_row(&w);
    assert_false(b.failed);
    char *out = strdup(b.data ? b.data : "");
    acv_buf_free(&b);
    return out;
}

static void expect_cell(const char *in, const char *want)
{
    char *got = one_cell(in);
    assert_string_equal(got, want);
    free(got);
}

static void test_defuses_each_ascii_trigger(void **state)
{
    (void)state;
    expect_cell("=SUM(A1:A3)", "'=SUM(A1:A3)\r\n");
    expect_cell("+SUM(1)", "'+SUM(1)\r\n");
    expect_cell("-cmd", "'-cmd\r\n");
    expect_cell("@SUM(1)", "'@SUM(1)\r\n");
    expect_cell("\tx", "'\tx\r\n");
    /* CR also makes the cell quoted: the apostrophe goes inside the quotes */
    expect_cell("\rx", "\"'\rx\"\r\n");
    /* only the first character counts */
    expect_cell("a=b", "a=b\r\n");
    expect_cell("", "\r\n");
    expect_cell(NULL, "\r\n");
}

/* + and - begin a formula in Excel and Google Sheets (LibreOffice 7.4 reads them as text), but a
 * formula can only run something through a function call ( ), a program | or another sheet or
 * file ! [ ], and show another cell's value through a reference (A1, R1C1, $A$1). A cell with a
 * digit after its sign and none of those is a number or words: it is left as it is, without the
 * apostrophe that LibreOffice would show (docs/reports.md). */
static void test_defuses_signed_cells_only_when_they_can_run(void **state)
{
    (void)state;
    /* left as they are: a target text of the report, a phone number, numbers as text */
    expect_cell("-50% vs 2015-2019", "-50% vs 2015-2019\r\n");
    expect_cell("+25% vs 2019", "+25% vs 2019\r\n");
    expect_cell("+41 22", "+41 22\r\n");
    expect_cell("-5", "-5\r\n");
    expect_cell("-.5", "-.5\r\n");
    /* 1.5e3 holds "e3", which the rule does not tell from the cell E3: defused, to be safe */
    expect_cell("+1.5e3", "'+1.5e3\r\n");
    /* defused: a function, a program (DDE), another sheet, a comparison, references */
    expect_cell("-1+SUM(1)", "'-1+SUM(1)\r\n");
    expect_cell("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0\r\n");
    expect_cell("+1+Sheet2!B1", "'+1+Sheet2!B1\r\n");
    expect_cell("+1+[book.xlsx]x", "'+1+[book.xlsx]x\r\n");
    expect_cell("-1=1", "'-1=1\r\n");
    expect_cell("-1+A1", "'-1+A1\r\n");
    expect_cell("-1+R1C1", "'-1+R1C1\r\n");
    expect_cell("-1+$A$1", "'-1+$A$1\r\n");
    expect_cell("-1@x", "'-1@x\r\n");
    /* no digit after the sign: words or a name, defused */
    expect_cell("-x", "'-x\r\n");
    expect_cell("- 5", "'- 5\r\n");
    expect_cell("-", "'-\r\n");
    expect_cell("+", "'+\r\n");
}

static void test_defuses_each_fullwidth_trigger(void **state)
{
    (void)state;
    expect_cell("\xEF\xBC\x9D"
                "1+1",
                "'\xEF\xBC\x9D"
                "1+1\r\n"); /* ＝ */
    expect_cell("\xEF\xBC\x8B"
                "1",
                "'\xEF\xBC\x8B"
                "1\r\n"); /* ＋ */
    expect_cell("\xEF\xBC\x8D"
                "1",
                "'\xEF\xBC\x8D"
                "1\r\n"); /* － */
    expect_cell("\xEF\xBC\xA0"
                "x",
                "'\xEF\xBC\xA0"
                "x\r\n"); /* ＠ */
    /* another full-width character (＜, U+FF1C) is plain text */
    expect_cell("\xEF\xBC\x9C"
                "x",
                "\xEF\xBC\x9C"
                "x\r\n");
    assert_int_equal(acv_csvwrite_needs_defusing("\xEF\xBC", 2), 0); /* a cut-off sequence */
}

static void test_quotes_as_rfc4180_needs(void **state)
{
    (void)state;
    expect_cell("Bangkok, Thailand", "\"Bangkok, Thailand\"\r\n");
    expect_cell("say \"hi\"", "\"say \"\"hi\"\"\"\r\n");
    expect_cell("two\nlines", "\"two\nlines\"\r\n");
    expect_cell(" padded", "\" padded\"\r\n");
    expect_cell("padded ", "\"padded \"\r\n");
    expect_cell("=1,2", "\"'=1,2\"\r\n");
    expect_cell("ឃ្លាំង Thai ไทย", "ឃ្លាំង Thai ไทย\r\n");
}

static void test_numbers_raw_and_rows(void **state)
{
    (void)state;
    acv_buf b = {0};
    acv_csv_writer w = acv_csvwrite_to_buf(&b);
    acv_csvwrite_bom(&w);
    acv_csvwrite_raw(&w, "line");
    acv_csvwrite_text(&w, "value");
    acv_csvwrite_end_row(&w);
    acv_csvwrite_integer(&w, -42);
    acv_csvwrite_number(&w, 1, -3.5); /* a negative number is never defused */
    acv_csvwrite_number(&w, 1, -0.0);
    acv_csvwrite_number(&w, 0, 7);
    acv_csvwrite_number(&w, 1, NAN);
    acv_csvwrite_number(&w, 1, 0.1 + 0.2);
    acv_csvwrite_end_row(&w);
    assert_string_equal(b.data, "\xEF\xBB\xBFline,value\r\n-42,-3.5,0,,,0.3\r\n");
    acv_buf_free(&b);
}

static void test_textn_keeps_nul_bytes(void **state)
{
    (void)state;
    acv_buf b = {0};
    acv_csv_writer w = acv_csvwrite_to_buf(&b);
    acv_csvwrite_textn(&w, "a\0b", 3);
    acv_csvwrite_textn(&w, "-\0", 2);
    acv_csvwrite_end_row(&w);
    assert_int_equal(b.len, 9);
    assert_memory_equal(b.data, "a\0b,'-\0\r\n", 9);
    acv_buf_free(&b);
}

static void test_file_and_buffer_agree(void **state)
{
    (void)state;
    const char *cells[] = {"=x",
                           "a,b",
                           "\"q\"",
                           NULL,
                           "\xEF\xBC\xA0"
                           "y",
                           "plain"};
    acv_buf b = {0};
    acv_csv_writer wb = acv_csvwrite_to_buf(&b);
    char *mem = NULL;
    size_t mem_len = 0;
    FILE *f = open_memstream(&mem, &mem_len);
    assert_non_null(f);
    acv_csv_writer wf = acv_csvwrite_to_file(f);
    for (size_t i = 0; i < sizeof cells / sizeof *cells; i++) {
        acv_csvwrite_text(&wb, cells[i]);
        acv_csvwrite_text(&wf, cells[i]);
    }
    acv_csvwrite_number(&wb, 1, 2.25);
    acv_csvwrite_number(&wf, 1, 2.25);
    acv_csvwrite_end_row(&wb);
    acv_csvwrite_end_row(&wf);
    fclose(f);
    assert_string_equal(b.data, "'=x,\"a,b\",\"\"\"q\"\"\",,'\xEF\xBC\xA0"
                                "y,plain,2.25\r\n");
    assert_int_equal(mem_len, b.len);
    assert_memory_equal(mem, b.data, b.len);
    free(mem);
    acv_buf_free(&b);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_defuses_each_ascii_trigger),
    cmocka_unit_test(test_defuses_signed_cells_only_when_they_can_run),
    cmocka_unit_test(test_defuses_each_fullwidth_trigger),
    cmocka_unit_test(test_quotes_as_rfc4180_needs),
    cmocka_unit_test(test_numbers_raw_and_rows),
    cmocka_unit_test(test_textn_keeps_nul_bytes),
    cmocka_unit_test(test_file_and_buffer_agree),
};

ACV_TEST_MAIN("csvwrite", tests)
