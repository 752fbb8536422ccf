/* csvwrite.c — the one CSV writer (quoting, formula defusing, numbers); see csvwrite.h. */
#include "csvwrite.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

acv_csv_writer acv_csvwrite_to_buf(acv_buf *b)
{
    return (acv_csv_writer){.buf = b};
}

acv_csv_writer acv_csvwrite_to_file(FILE *f)
{
    return (acv_csv_writer){.file = f};
}

static void put(acv_csv_writer *w, const char *s, size_t n)
{
    if (!n)
        return;
    if (w->buf)
        acv_buf_append(w->buf, s, n);
    else if (w->file)
        fwrite(s, 1, n, w->file);
}

static void puts_(acv_csv_writer *w, const char *s)
{
    put(w, s, strlen(s));
}

/* The separator before every cell but a record's first. */
static void next_cell(acv_csv_writer *w)
{
    if (w->cells++)
        put(w, ",", 1);
}

void acv_csvwrite_bom(acv_csv_writer *w)
{
    puts_(w, "\xEF\xBB\xBF");
}

/* A cell starting with + or - that no spreadsheet can make run anything: the sign is followed by a
 * digit or a point (a number, a percentage, "-50% vs 2015-2019"), and the cell holds none of what
 * a formula needs to call a function ( ), run a program | or reach another sheet or file ! [ ],
 * no = or @, no $ and no letter followed by a digit (a cell reference such as A1 or R1C1). */
static int inert_signed(const char *s, size_t len)
{
    if (len < 2 || !(isdigit((unsigned char)s[1]) || s[1] == '.'))
        return 0;
    for (size_t i = 1; i < len; i++) {
        if (memchr("()|![]=@$", s[i], 9))
            return 0;
        if (isalpha((unsigned char)s[i]) && i + 1 < len && isdigit((unsigned char)s[i + 1]))
            return 0;
    }
    return 1;
}

int acv_csvwrite_needs_defusing(const char *s, size_t len)
{
    static const char *const FULLWIDTH[] = {"\xEF\xBC\x9D", "\xEF\xBC\x8B", "\xEF\xBC\x8D",
                                            "\xEF\xBC\xA0"}; /* ＝ ＋ － ＠ */
    if (!s || !len)
        return 0;
    if (memchr("=@\t\r", s[0], 4))
        return 1;
    if (s[0] == '+' || s[0] == '-')
        return !inert_signed(s, len);
    for (size_t i = 0; len >= 3 && i < sizeof FULLWIDTH / sizeof *FULLWIDTH; i++)
        if (memcmp(s, FULLWIDTH[i], 3) == 0)
            return 1;
    return 0;
}

void acv_csvwrite_textn(acv_csv_writer *w, const char *s, size_t len)
{
    if (s && len && !acv_utf8_valid(s, len)) {
        /* text that is not UTF-8 leaves the engine with U+FFFD in place of each bad byte */
        acv_buf fixed = {0};
        for (size_t i = 0; i < len; i++) {
            if ((unsigned char)s[i] >= 0x80)
                i += acv_buf_utf8_char(&fixed, s + i) - 1; /* s[len] is a NUL: cells are strings */
            else
                acv_buf_append(&fixed, s + i, 1);
        }
        acv_csvwrite_textn(w, fixed.data ? fixed.data : "", fixed.len);
        acv_buf_free(&fixed);
        return;
    }
    next_cell(w);
    if (!s || !len)
        return;
    int quote = s[0] == ' ' || s[len - 1] == ' ';
    for (size_t i = 0; i < len && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (quote)
        put(w, "\"", 1);
    if (acv_csvwrite_needs_defusing(s, len))
        put(w, "'", 1);
    size_t start = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '"') {
            put(w, s + start, i + 1 - start); /* the quote itself, then its double */
            put(w, "\"", 1);
            start = i + 1;
        }
    put(w, s + start, len - start);
    if (quote)
        put(w, "\"", 1);
}

void acv_csvwrite_text(acv_csv_writer *w, const char *s)
{
    acv_csvwrite_textn(w, s, s ? strlen(s) : 0);
}

void acv_csvwrite_raw(acv_csv_writer *w, const char *s)
{
    next_cell(w);
    if (s)
        puts_(w, s);
}

void acv_csvwrite_number(acv_csv_writer *w, int has, double v)
{
    next_cell(w);
    if (!has || !isfinite(v))
        return;
    char s[64];
    snprintf(s, sizeof s, "%.15g", v);
    puts_(w, strcmp(s, "-0") == 0 ? "0" : s);
}

void acv_csvwrite_integer(acv_csv_writer *w, long long v)
{
    next_cell(w);
    char s[32];
    snprintf(s, sizeof s, "%lld", v);
    puts_(w, s);
}

void acv_csvwrite_end_row(acv_csv_writer *w)
{
    put(w, "\r\n", 2);
    w->cells = 0;
}
