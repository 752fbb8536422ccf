/*
 * test_csv.c — the strict RFC 4180 reader: records, field values and the line each record starts
 * on, and every refusal with its exact "file:line: message" text.
 *
 * Most cases read from memory (fmemopen) and compare a dump of the whole file: one line per record,
 * "LINE:<field><field>...", and "error: MESSAGE" when reading stops on an error.
 */
#include "testutil.h"

#include "csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Appends to a growing malloc'd string. */
typedef struct {
    char *s;
    size_t len, cap;
} text;

static void text_add(text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->s = realloc(t->s, t->cap);
        assert_non_null(t->s);
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

static void text_addf(text *t, const char *fmt, long v)
{
    char buf[64];
    int n = snprintf(buf, sizeof buf, fmt, v);
    text_add(t, buf, (size_t)n);
}

/* Reads every record of an open reader into a dump (malloc'd). */
static char *dump_reader(acv_csv *c)
{
    text t = {0};
    text_add(&t, "", 0);
    acv_error err;
    acv_error_clear(&err);
    int rc;
    while ((rc = acv_csv_next(c, &err)) == 1) {
        text_addf(&t, "%ld:", acv_csv_line(c));
        for (size_t i = 0; i < acv_csv_count(c); i++) {
            const char *f = acv_csv_field(c, i);
            /* the length is the NUL-terminated length: fields can hold no NUL */
            assert_int_equal(acv_csv_field_len(c, i), strlen(f));
            text_add(&t, "<", 1);
            text_add(&t, f, strlen(f));
            text_add(&t, ">", 1);
        }
        text_add(&t, "\n", 1);
    }
    if (rc == -1) {
        assert_int_equal(err.status, ACV_ERR_INPUT);
        text_add(&t, "error: ", 7);
        text_add(&t, err.message, strlen(err.message));
    } else {
        assert_int_equal(rc, 0);
        /* end of file stays end of file */
        assert_int_equal(acv_csv_next(c, &err), 0);
    }
    return t.s;
}

/* Dumps len bytes of data read through a stream named "x.csv". */
static char *dump_len(const char *data, size_t len)
{
    FILE *fp = fmemopen((void *)data, len, "rb");
    assert_non_null(fp);
    acv_csv *c = NULL;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_csv_open_stream(fp, "x.csv", &c, &err), ACV_OK);
    assert_non_null(c);
    char *out = dump_reader(c);
    acv_csv_close(c);
    fclose(fp);
    return out;
}

static void check_len(const char *data, size_t len, const char *expected)
{
    char *out = dump_len(data, len);
    assert_string_equal(out, expected);
    free(out);
}

static void check(const char *data, const char *expected)
{
    check_len(data, strlen(data), expected);
}

/* Dumps a file of tests/fixtures/csv, named by its file name in messages. */
static void check_fixture(const char *name, const char *expected)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/csv/%s", ACV_TEST_FIXTURES, name);
    acv_csv *c = NULL;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_csv_open(path, name, &c, &err), ACV_OK);
    assert_string_equal(acv_csv_name(c), name);
    char *out = dump_reader(c);
    assert_string_equal(out, expected);
    free(out);
    acv_csv_close(c);
}

static void simple_records(void **state)
{
    (void)state;
    check("id,name,value\n1,Hanoi,3.5\n2,Cebu,-1\n",
          "1:<id><name><value>\n2:<1><Hanoi><3.5>\n3:<2><Cebu><-1>\n");
    /* spaces are data, not trimmed */
    check(" a , b \n", "1:< a >< b >\n");
    /* a single column */
    check("x\ny\n", "1:<x>\n2:<y>\n");
}

static void field_access(void **state)
{
    (void)state;
    static const char data[] = "a,bc,\n";
    FILE *fp = fmemopen((void *)data, sizeof data - 1, "rb");
    assert_non_null(fp);
    acv_csv *c = NULL;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_csv_open_stream(fp, "mem.csv", &c, &err), ACV_OK);
    assert_string_equal(acv_csv_name(c), "mem.csv");
    assert_int_equal(acv_csv_offset(c), 0);
    assert_int_equal(acv_csv_next(c, &err), 1);
    assert_int_equal(acv_csv_count(c), 3);
    assert_string_equal(acv_csv_field(c, 0), "a");
    assert_int_equal(acv_csv_field_len(c, 0), 1);
    assert_string_equal(acv_csv_field(c, 1), "bc");
    assert_int_equal(acv_csv_field_len(c, 1), 2);
    assert_string_equal(acv_csv_field(c, 2), "");
    assert_int_equal(acv_csv_field_len(c, 2), 0);
    /* past the last column: an empty string, never out of bounds */
    assert_string_equal(acv_csv_field(c, 3), "");
    assert_int_equal(acv_csv_field_len(c, 3), 0);
    assert_int_equal(acv_csv_line(c), 1);
    assert_int_equal(acv_csv_offset(c), 6);
    assert_int_equal(acv_csv_next(c, &err), 0);
    assert_int_equal(acv_csv_offset(c), 6);
    acv_csv_close(c);
    fclose(fp);
    acv_csv_close(NULL);
}

static void quoted_comma(void **state)
{
    (void)state;
    check("\"a,b\",c\n\",\",\",,\"\n", "1:<a,b><c>\n2:<,><,,>\n");
}

static void doubled_quote(void **state)
{
    (void)state;
    check("\"say \"\"hi\"\"\",x\n", "1:<say \"hi\"><x>\n");
    /* a field that is just one quote, written as four */
    check("\"\"\"\"\n", "1:<\">\n");
    check("\"\"\"\"\"\",\"a\"\"\"\n", "1:<\"\"><a\">\n");
}

static void embedded_newlines(void **state)
{
    (void)state;
    /* the next record's line counts the newlines inside the quotes */
    check("a,\"line1\nline2\nline3\"\nnext,row\n", "1:<a><line1\nline2\nline3>\n4:<next><row>\n");
    check("a,\"x\r\ny\"\r\nb,c\r\n", "1:<a><x\r\ny>\n3:<b><c>\n");
    /* a lone CR inside quotes is a line break too */
    check("\"x\ry\"\nb\n", "1:<x\ry>\n3:<b>\n");
    /* a quoted newline at the start and the end of a field */
    check("\"\nx\n\"\nz\n", "1:<\nx\n>\n4:<z>\n");
}

static void crlf_line_ends(void **state)
{
    (void)state;
    check("a,b\r\nc,d\r\n", "1:<a><b>\n2:<c><d>\n");
    /* old Mac line ends (CR only) */
    check("a\rb\r", "1:<a>\n2:<b>\n");
    check("\"q\"\r\n\"r\"\r\n", "1:<q>\n2:<r>\n");
}

static void last_line_without_newline(void **state)
{
    (void)state;
    check("a,b\nc,d", "1:<a><b>\n2:<c><d>\n");
    check("a,", "1:<a><>\n");
    check("\"quoted\"", "1:<quoted>\n");
    check("x,\"\"", "1:<x><>\n");
}

static void empty_quoted_and_empty_fields(void **state)
{
    (void)state;
    check("\"\",,x\n", "1:<><><x>\n");
    check(",\n", "1:<><>\n");
    check(",,\n", "1:<><><>\n");
    /* a line holding only "" is a record with one empty field, not a blank line */
    check("\"\"\nb\n", "1:<>\n2:<b>\n");
}

static void bom_stripped(void **state)
{
    (void)state;
    check("\xEF\xBB\xBFid,name\n1,x\n", "1:<id><name>\n2:<1><x>\n");
    check("\xEF\xBB\xBF\"id\"\n", "1:<id>\n");
    /* a file that is only a byte order mark has no records */
    check("\xEF\xBB\xBF", "");
    /* the offset counts the mark */
    static const char data[] = "\xEF\xBB\xBF"
                               "a\n";
    FILE *fp = fmemopen((void *)data, sizeof data - 1, "rb");
    acv_csv *c = NULL;
    acv_error err;
    assert_int_equal(acv_csv_open_stream(fp, "bom.csv", &c, &err), ACV_OK);
    assert_int_equal(acv_csv_next(c, &err), 1);
    assert_string_equal(acv_csv_field(c, 0), "a");
    assert_int_equal(acv_csv_field_len(c, 0), 1);
    assert_int_equal(acv_csv_offset(c), 5);
    acv_csv_close(c);
    fclose(fp);
}

static void blank_lines_skipped(void **state)
{
    (void)state;
    check("\n\na\n\r\n\nb\n\n", "3:<a>\n6:<b>\n");
    check("\n", "");
    check("\r\n\r\n", "");
    check("", "");
}

static void unclosed_quote(void **state)
{
    (void)state;
    /* reported at the line where the quote opened, after the records before it */
    check("a,b\nc,\"open\nmore\nstill\n",
          "1:<a><b>\nerror: x.csv:2: unclosed quote in column 2 (the file ends inside it)");
    check("\"", "error: x.csv:1: unclosed quote in column 1 (the file ends inside it)");
    /* a doubled quote at the very end does not close the field */
    check("\"ab\"\"", "error: x.csv:1: unclosed quote in column 1 (the file ends inside it)");
}

static void quote_in_unquoted_field(void **state)
{
    (void)state;
    check("ok\nx,ab\"c\n",
          "1:<ok>\nerror: x.csv:2: a quote inside unquoted column 2 (quote the whole field and "
          "double the quote)");
    check("5\" screen\n", "error: x.csv:1: a quote inside unquoted column 1 (quote the whole "
                          "field and double the quote)");
}

static void text_after_closing_quote(void **state)
{
    (void)state;
    check("\"abc\"d,e\n", "error: x.csv:1: text after a closing quote in column 1");
    check("a,\"b\" \n", "error: x.csv:1: text after a closing quote in column 2");
    /* the line is the one of the closing quote */
    check("h\na,\"x\ny\"z\n", "1:<h>\nerror: x.csv:3: text after a closing quote in column 2");
    check("\"a\"\"b\"c\n", "error: x.csv:1: text after a closing quote in column 1");
}

static void nul_byte(void **state)
{
    (void)state;
    static const char unquoted[] = "a,b\nc\0d\n";
    check_len(unquoted, sizeof unquoted - 1, "1:<a><b>\nerror: x.csv:2: a NUL byte in the file");
    static const char quoted[] = "a\n\"x\ny\0\"\n";
    check_len(quoted, sizeof quoted - 1, "1:<a>\nerror: x.csv:3: a NUL byte in the file");
    static const char first[] = "\0";
    check_len(first, 1, "error: x.csv:1: a NUL byte in the file");
}

static void invalid_utf8(void **state)
{
    (void)state;
    const char *msg2 = "error: x.csv:2: column 2 is not valid UTF-8 (save the file as UTF-8)";
    char expected[256];
    snprintf(expected, sizeof expected, "1:<ok>\n%s", msg2);
    check("ok\nbad,caf\xE9\n", expected);              /* Latin-1 */
    check("ok\nbad,\xC3(\n", expected);                /* bad continuation */
    check("ok\nbad,\xC3\n", expected);                 /* truncated at the field's end */
    check("ok\nbad,x\xE2\x82\n", expected);            /* truncated three-byte sequence */
    check("ok\nbad,\xC0\xAF\n", expected);             /* overlong '/' */
    check("ok\nbad,\xE0\x80\xAF\n", expected);         /* overlong, three bytes */
    check("ok\nbad,\xED\xA0\x80\n", expected);         /* UTF-16 surrogate */
    check("ok\nbad,\xF4\x90\x80\x80\n", expected);     /* above U+10FFFF */
    check("ok\nbad,\x80\n", expected);                 /* lone continuation byte */
    check("ok\nbad,\xF8\x88\x80\x80\x80\n", expected); /* five-byte form */
    check("ok\nbad,\"\xFF\"\n", expected);             /* quoting does not help */
    /* valid two-, three- and four-byte characters */
    check("caf\xC3\xA9,\xE2\x82\xAC,\xF0\x9F\x98\x80,\xF4\x8F\xBF\xBF\n",
          "1:<caf\xC3\xA9><\xE2\x82\xAC><\xF0\x9F\x98\x80><\xF4\x8F\xBF\xBF>\n");
}

static void bom_in_the_middle(void **state)
{
    (void)state;
    check("a,b\n\xEF\xBB\xBF"
          "c,d\n",
          "1:<a><b>\nerror: x.csv:2: a byte order mark in column 1; files may only start with "
          "one");
    check("a,\xEF\xBB\xBF"
          "b\n",
          "error: x.csv:1: a byte order mark in column 2; files may only start with one");
    /* two marks at the start: the first is stripped, the second is data */
    check("\xEF\xBB\xBF\xEF\xBB\xBF"
          "a\n",
          "error: x.csv:1: a byte order mark in column 1; files may only start with one");
}

/* A record of n columns "c1,c2,...", malloc'd, ending with a newline. */
static char *columns(size_t n)
{
    char *s = malloc(n * 8 + 2);
    assert_non_null(s);
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(s + len, i ? ",c%zu" : "c%zu", i + 1);
    s[len++] = '\n';
    s[len] = '\0';
    return s;
}

static void too_many_columns(void **state)
{
    (void)state;
    char *ok = columns(ACV_CSV_MAX_COLUMNS);
    char *over = columns(ACV_CSV_MAX_COLUMNS + 1);
    size_t n = strlen(ok) + strlen(over) + 8;
    char *data = malloc(n);
    assert_non_null(data);
    snprintf(data, n, "%s%s", ok, over);

    FILE *fp = fmemopen(data, strlen(data), "rb");
    assert_non_null(fp);
    acv_csv *c = NULL;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_csv_open_stream(fp, "x.csv", &c, &err), ACV_OK);
    /* exactly the maximum is fine */
    assert_int_equal(acv_csv_next(c, &err), 1);
    assert_int_equal(acv_csv_count(c), ACV_CSV_MAX_COLUMNS);
    assert_string_equal(acv_csv_field(c, 0), "c1");
    assert_string_equal(acv_csv_field(c, ACV_CSV_MAX_COLUMNS - 1), "c1024");
    assert_int_equal(acv_csv_next(c, &err), -1);
    assert_int_equal(err.status, ACV_ERR_INPUT);
    assert_string_equal(err.message, "x.csv:2: more than 1024 columns");
    acv_csv_close(c);
    fclose(fp);
    free(data);
    free(ok);
    free(over);

    /* empty columns count too */
    char commas[ACV_CSV_MAX_COLUMNS + 2];
    memset(commas, ',', ACV_CSV_MAX_COLUMNS);
    commas[ACV_CSV_MAX_COLUMNS] = '\n';
    commas[ACV_CSV_MAX_COLUMNS + 1] = '\0';
    check(commas, "error: x.csv:1: more than 1024 columns");
}

static void field_too_long(void **state)
{
    (void)state;
    size_t max = ACV_CSV_MAX_FIELD;
    char *data = malloc(max + 16);
    assert_non_null(data);

    /* exactly the maximum, quoted, starting on line 2 */
    memcpy(data, "h\n\"", 3);
    memset(data + 3, 'x', max);
    memcpy(data + 3 + max, "\"\n", 3);
    FILE *fp = fmemopen(data, max + 5, "rb");
    assert_non_null(fp);
    acv_csv *c = NULL;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_csv_open_stream(fp, "x.csv", &c, &err), ACV_OK);
    assert_int_equal(acv_csv_next(c, &err), 1);
    assert_int_equal(acv_csv_next(c, &err), 1);
    assert_int_equal(acv_csv_line(c), 2);
    assert_int_equal(acv_csv_field_len(c, 0), max);
    assert_int_equal(strlen(acv_csv_field(c, 0)), max);
    assert_int_equal(acv_csv_next(c, &err), 0);
    acv_csv_close(c);
    fclose(fp);

    /* one byte more, unquoted in column 2 of line 2 */
    memcpy(data, "h\na,", 4);
    memset(data + 4, 'y', max + 1);
    memcpy(data + 5 + max, "\n", 2);
    check_len(data, max + 6, "1:<h>\nerror: x.csv:2: column 2 is longer than 1048576 bytes");

    /* one byte more in a quoted field that spans lines: the record's first line is named */
    memcpy(data, "h\n\"\n", 4);
    memset(data + 4, 'z', max);
    memcpy(data + 4 + max, "\"\n", 3);
    check_len(data, max + 6, "1:<h>\nerror: x.csv:2: column 1 is longer than 1048576 bytes");
    free(data);
}

/* The record cap is checked while reading: 17 columns of 1,000,000 bytes, each under the column
 * cap, pass 16,777,216 bytes in the 17th (17,000,000 in all) and stop the read there. */
static void record_size_cap(void **state)
{
    (void)state;
    size_t col = 1000000, n = 17;
    size_t len = 2 + n * (col + 1) + 1;
    char *data = malloc(len);
    assert_non_null(data);
    memcpy(data, "h\n", 2);
    for (size_t i = 0; i < n; i++) {
        memset(data + 2 + i * (col + 1), 'x', col);
        data[2 + i * (col + 1) + col] = i + 1 < n ? ',' : '\n';
    }
    data[len - 1] = '\0';
    check_len(data, len - 1, "1:<h>\nerror: x.csv:2: a record longer than 16777216 bytes");
    /* 16 of them (16,000,000 bytes) are one record under the cap */
    data[2 + 15 * (col + 1) + col] = '\n';
    FILE *fp = fmemopen(data, 2 + 16 * (col + 1), "rb");
    assert_non_null(fp);
    acv_csv *c = NULL;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_csv_open_stream(fp, "x.csv", &c, &err), ACV_OK);
    assert_int_equal(acv_csv_next(c, &err), 1);
    assert_int_equal(acv_csv_next(c, &err), 1);
    assert_int_equal(acv_csv_count(c), 16);
    assert_int_equal(acv_csv_field_len(c, 15), col);
    acv_csv_close(c);
    fclose(fp);
    free(data);
}

/* With the header's width set, a wider record keeps its count but not its extra columns. */
static void width_drops_extra_columns(void **state)
{
    (void)state;
    static const char data[] = "a,b\n1,2,\"x,y\",zz\n3,4\n";
    FILE *fp = fmemopen((void *)data, strlen(data), "rb");
    assert_non_null(fp);
    acv_csv *c = NULL;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_csv_open_stream(fp, "x.csv", &c, &err), ACV_OK);
    assert_int_equal(acv_csv_next(c, &err), 1);
    acv_csv_set_width(c, acv_csv_count(c));
    assert_int_equal(acv_csv_next(c, &err), 1);
    assert_int_equal(acv_csv_count(c), 4); /* 1, 2, "x,y" (quoted: one column), zz */
    assert_string_equal(acv_csv_field(c, 0), "1");
    assert_string_equal(acv_csv_field(c, 1), "2");
    assert_string_equal(acv_csv_field(c, 2), "");
    assert_int_equal(acv_csv_field_len(c, 3), 0);
    assert_int_equal(acv_csv_next(c, &err), 1);
    assert_int_equal(acv_csv_count(c), 2);
    assert_string_equal(acv_csv_field(c, 1), "4");
    assert_int_equal(acv_csv_next(c, &err), 0);
    acv_csv_close(c);
    fclose(fp);
}

static void open_file_and_missing_file(void **state)
{
    (void)state;
    const char *dir = acv_test_tmpdir("csv");
    char *path = acv_test_write(dir, "obs.csv", "area,value\r\nhanoi,\"1,5\"\r\n");
    acv_csv *c = NULL;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_csv_open(path, "obs.csv", &c, &err), ACV_OK);
    char *out = dump_reader(c);
    assert_string_equal(out, "1:<area><value>\n2:<hanoi><1,5>\n");
    free(out);
    acv_csv_close(c);
    free(path);

    char missing[600];
    snprintf(missing, sizeof missing, "%s/missing.csv", dir);
    c = (acv_csv *)&c; /* not NULL, so the test sees that open clears it */
    assert_int_equal(acv_csv_open(missing, "data/missing.csv", &c, &err), ACV_ERR_IO);
    assert_null(c);
    assert_string_equal(err.message, "data/missing.csv: cannot open: No such file or directory");
}

/* csv-spectrum style samples, read from tests/fixtures/csv. */

static void spectrum_comma_in_quotes(void **state)
{
    (void)state;
    check_fixture("comma_in_quotes.csv", "1:<first><last><address><city><zip>\n"
                                         "2:<John><Doe><120 any st.><Anytown, WW><08123>\n");
}

static void spectrum_escaped_quotes(void **state)
{
    (void)state;
    check_fixture("escaped_quotes.csv", "1:<a><b>\n2:<1><ha \"ha\" ha>\n3:<3><4>\n");
    check_fixture("json.csv", "1:<key><val>\n"
                              "2:<1><{\"type\": \"Point\", \"coordinates\": [102.0, 0.5]}>\n");
}

static void spectrum_newlines(void **state)
{
    (void)state;
    check_fixture("newlines.csv",
                  "1:<a><b><c>\n2:<1><2><3>\n3:<Once upon \na time><5><6>\n5:<7><8><9>\n");
    check_fixture("newlines_crlf.csv",
                  "1:<a><b><c>\n2:<1><2><3>\n3:<Once upon \r\na time><5><6>\n5:<7><8><9>\n");
}

static void spectrum_quotes_and_newlines(void **state)
{
    (void)state;
    check_fixture("quotes_and_newlines.csv", "1:<a><b>\n2:<1><ha \n\"ha\" \nha>\n5:<3><4>\n");
}

static void spectrum_utf8(void **state)
{
    (void)state;
    check_fixture("utf8.csv", "1:<a><b><c>\n2:<1><2><3>\n3:<4><5><\xCA\xA4>\n");
}

static void spectrum_empty(void **state)
{
    (void)state;
    check_fixture("empty.csv", "1:<a><b><c>\n2:<1><><>\n3:<2><3><4>\n");
    check_fixture("empty_crlf.csv", "1:<a><b><c>\n2:<1><><>\n3:<2><3><4>\n");
}

/* Dumps data read with the separator sep (ACV_CSV_DETECT: detected), then the separator used. */
static void check_sep(const char *data, char sep, const char *expected, char used)
{
    FILE *fp = fmemopen((void *)data, strlen(data), "rb");
    assert_non_null(fp);
    acv_csv *c = NULL;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_csv_open_stream(fp, "x.csv", &c, &err), ACV_OK);
    acv_csv_set_separator(c, sep);
    char *out = dump_reader(c);
    assert_string_equal(out, expected);
    assert_int_equal(acv_csv_separator(c), used);
    free(out);
    acv_csv_close(c);
    fclose(fp);
}

static void separators(void **state)
{
    (void)state;
    /* a spreadsheet's semicolons: commas are data (decimal commas), quotes work as usual */
    check_sep("a;b;c\n1,5;\"x;y\";\n", ';', "1:<a><b><c>\n2:<1,5><x;y><>\n", ';');
    check_sep("a\tb\n1,5\t\"x\ty\"\n", '\t', "1:<a><b>\n2:<1,5><x\ty>\n", '\t');
    /* detected from the first line: ';' or a tab only when it has no comma outside quotes */
    check_sep("\xEF\xBB\xBF"
              "a;b;c\r\n1,5;2;3\r\n",
              ACV_CSV_DETECT, "1:<a><b><c>\n2:<1,5><2><3>\n", ';');
    check_sep("a\tb\n1,5\t2\n", ACV_CSV_DETECT, "1:<a><b>\n2:<1,5><2>\n", '\t');
    check_sep("a,b;c\n1;2,3\n", ACV_CSV_DETECT, "1:<a><b;c>\n2:<1;2><3>\n", ',');
    check_sep("\"a,b\";c\n1;2\n", ACV_CSV_DETECT, "1:<a,b><c>\n2:<1><2>\n", ';');
    /* a quoted header hides its semicolons: one column, read with commas */
    check_sep("\"a;b\"\n1\n", ACV_CSV_DETECT, "1:<a;b>\n2:<1>\n", ',');
    /* the more frequent of ';' and tab; a tie goes to ';' */
    check_sep("a\tb\tc;d\n", ACV_CSV_DETECT, "1:<a><b><c;d>\n", '\t');
    check_sep("a\tb;c\n", ACV_CSV_DETECT, "1:<a\tb><c>\n", ';');
    /* nothing to go by, or an empty file: a comma */
    check_sep("a\n", ACV_CSV_DETECT, "1:<a>\n", ',');
    check_sep("", ACV_CSV_DETECT, "", ',');
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(separators),
    cmocka_unit_test(simple_records),
    cmocka_unit_test(field_access),
    cmocka_unit_test(quoted_comma),
    cmocka_unit_test(doubled_quote),
    cmocka_unit_test(embedded_newlines),
    cmocka_unit_test(crlf_line_ends),
    cmocka_unit_test(last_line_without_newline),
    cmocka_unit_test(empty_quoted_and_empty_fields),
    cmocka_unit_test(bom_stripped),
    cmocka_unit_test(blank_lines_skipped),
    cmocka_unit_test(unclosed_quote),
    cmocka_unit_test(quote_in_unquoted_field),
    cmocka_unit_test(text_after_closing_quote),
    cmocka_unit_test(nul_byte),
    cmocka_unit_test(invalid_utf8),
    cmocka_unit_test(bom_in_the_middle),
    cmocka_unit_test(too_many_columns),
    cmocka_unit_test(field_too_long),
    cmocka_unit_test(record_size_cap),
    cmocka_unit_test(width_drops_extra_columns),
    cmocka_unit_test(open_file_and_missing_file),
    cmocka_unit_test(spectrum_comma_in_quotes),
    cmocka_unit_test(spectrum_escaped_quotes),
    cmocka_unit_test(spectrum_newlines),
    cmocka_unit_test(spectrum_quotes_and_newlines),
    cmocka_unit_test(spectrum_utf8),
    cmocka_unit_test(spectrum_empty),
};

ACV_TEST_MAIN("csv", tests)
