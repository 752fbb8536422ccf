/* table.c — plain-text tables aligned by display width; see table.h. */
#include "table.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint32_t first, last;
} range;

/* Combining marks (Mn, Me) and invisible format characters: they draw over or between their
 * neighbours, so they take no column. The ranges cover the scripts of South-East Asia (Thai,
 * Lao, Myanmar, Khmer), decomposed Vietnamese and the general combining blocks. */
static const range ZERO_WIDTH[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x05BF, 0x05BF}, {0x05C1, 0x05C2},
    {0x05C4, 0x05C5}, {0x05C7, 0x05C7}, {0x0610, 0x061A}, {0x064B, 0x065F}, {0x0670, 0x0670},
    {0x06D6, 0x06DC}, {0x06DF, 0x06E4}, {0x06E7, 0x06E8}, {0x06EA, 0x06ED}, {0x0900, 0x0902},
    {0x093A, 0x093A}, {0x093C, 0x093C}, {0x0941, 0x0948}, {0x094D, 0x094D}, {0x0951, 0x0957},
    {0x0962, 0x0963}, {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E}, {0x0EB1, 0x0EB1},
    {0x0EB4, 0x0EBC}, {0x0EC8, 0x0ECE}, {0x102D, 0x1030}, {0x1032, 0x1037}, {0x1039, 0x103A},
    {0x103D, 0x103E}, {0x1058, 0x1059}, {0x105E, 0x1060}, {0x1071, 0x1074}, {0x1082, 0x1082},
    {0x1085, 0x1086}, {0x108D, 0x108D}, {0x109D, 0x109D}, {0x1160, 0x11FF}, {0x17B4, 0x17B5},
    {0x17B7, 0x17BD}, {0x17C6, 0x17C6}, {0x17C9, 0x17D3}, {0x17DD, 0x17DD}, {0x180B, 0x180F},
    {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F}, {0x202A, 0x202E}, {0x2060, 0x2064},
    {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}, {0xE0100, 0xE01EF},
};

/* East Asian Wide and Fullwidth characters (Unicode UAX #11), which a terminal draws two
 * columns wide: Hangul, CJK, kana, full-width forms and the emoji presentation blocks. */
static const range WIDE[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},
    {0x23F0, 0x23F0},   {0x23F3, 0x23F3},   {0x25FD, 0x25FE},   {0x2614, 0x2615},
    {0x2648, 0x2653},   {0x267F, 0x267F},   {0x2693, 0x2693},   {0x26A1, 0x26A1},
    {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},   {0x26CE, 0x26CE},
    {0x26D4, 0x26D4},   {0x26EA, 0x26EA},   {0x26F2, 0x26F3},   {0x26F5, 0x26F5},
    {0x26FA, 0x26FA},   {0x26FD, 0x26FD},   {0x2705, 0x2705},   {0x270A, 0x270B},
    {0x2728, 0x2728},   {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},
    {0x2757, 0x2757},   {0x2795, 0x2797},   {0x27B0, 0x27B0},   {0x27BF, 0x27BF},
    {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},   {0x2B55, 0x2B55},   {0x2E80, 0x303E},
    {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
    {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},
    {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x16FE0, 0x16FE4},
    {0x17000, 0x18AFF}, {0x1B000, 0x1B2FF}, {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF},
    {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F251}, {0x1F300, 0x1F64F},
    {0x1F680, 0x1F6FF}, {0x1F900, 0x1F9FF}, {0x1FA70, 0x1FAFF}, {0x20000, 0x2FFFD},
    {0x30000, 0x3FFFD},
};

static int in_ranges(uint32_t c, const range *r, size_t n)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c < r[mid].first)
            hi = mid;
        else if (c > r[mid].last)
            lo = mid + 1;
        else
            return 1;
    }
    return 0;
}

/* Decodes the code point at s (at most len bytes) into *c; returns its length in bytes, or 0
 * for a byte that does not start a well-formed sequence. */
static size_t decode(const unsigned char *s, size_t len, uint32_t *c)
{
    size_t n;
    uint32_t min;
    if (s[0] < 0x80) {
        *c = s[0];
        return 1;
    } else if ((s[0] & 0xE0) == 0xC0) {
        n = 2, min = 0x80, *c = s[0] & 0x1F;
    } else if ((s[0] & 0xF0) == 0xE0) {
        n = 3, min = 0x800, *c = s[0] & 0x0F;
    } else if ((s[0] & 0xF8) == 0xF0) {
        n = 4, min = 0x10000, *c = s[0] & 0x07;
    } else {
        return 0;
    }
    if (n > len)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        *c = (*c << 6) | (s[i] & 0x3F);
    }
    if (*c < min || *c > 0x10FFFF || (*c >= 0xD800 && *c <= 0xDFFF))
        return 0;
    return n;
}

size_t acv_text_width(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t w = 0;
    while (len > 0) {
        uint32_t c;
        size_t n = decode(p, len, &c);
        if (n == 0) {
            w++, p++, len--;
            continue;
        }
        if (in_ranges(c, WIDE, sizeof WIDE / sizeof *WIDE))
            w += 2;
        else if (!in_ranges(c, ZERO_WIDTH, sizeof ZERO_WIDTH / sizeof *ZERO_WIDTH))
            w += 1;
        p += n, len -= n;
    }
    return w;
}

void acv_table_init(acv_table *t, const acv_table_column *columns, size_t n_columns)
{
    memset(t, 0, sizeof *t);
    t->columns = columns;
    t->n_columns = n_columns;
}

acv_status acv_table_add(acv_table *t, const char *const *cells, acv_error *err)
{
    if (t->n_rows == t->cap_rows) {
        size_t cap = t->cap_rows ? 2 * t->cap_rows : 32;
        char **grown = realloc(t->cells, cap * t->n_columns * sizeof *grown);
        if (!grown)
            return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
        t->cells = grown;
        t->cap_rows = cap;
    }
    char **row = t->cells + t->n_rows * t->n_columns;
    for (size_t c = 0; c < t->n_columns; c++) {
        row[c] = strdup(cells[c] ? cells[c] : "");
        if (!row[c]) {
            while (c > 0)
                free(row[--c]);
            return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
        }
    }
    t->n_rows++;
    return ACV_OK;
}

/* The end of the word that starts at s: a line may break after a space or a comma. */
static const char *word_end(const char *s)
{
    while (*s && *s != ' ' && *s != ',')
        s++;
    return *s ? s + 1 : s;
}

/* Display width of [s, e) without trailing spaces. */
static size_t trimmed_width(const char *s, const char *e)
{
    while (e > s && e[-1] == ' ')
        e--;
    return acv_text_width(s, (size_t)(e - s));
}

/* The widest word of s: the narrowest the column can be without cutting one. */
static size_t widest_word(const char *s)
{
    size_t w = 0;
    for (const char *e; *s; s = e) {
        e = word_end(s);
        size_t ww = trimmed_width(s, e);
        if (ww > w)
            w = ww;
    }
    return w;
}

/* The line of s that starts at *s and fits width (at least one word); advances *s past it and
 * the spaces after it, and returns the end of the line's text without trailing spaces. */
static const char *next_line(const char **s, size_t width)
{
    const char *start = *s, *end = word_end(start);
    while (*end) {
        const char *more = word_end(end);
        if (trimmed_width(start, more) > width)
            break;
        end = more;
    }
    const char *text_end = end;
    while (text_end > start && text_end[-1] == ' ')
        text_end--;
    while (*end == ' ')
        end++;
    *s = end;
    return text_end;
}

static size_t column_width(const acv_table *t, size_t c)
{
    const acv_table_column *col = &t->columns[c];
    size_t w = acv_text_width(col->title, strlen(col->title));
    for (size_t r = 0; r < t->n_rows; r++) {
        const char *cell = t->cells[r * t->n_columns + c];
        size_t cw = acv_text_width(cell, strlen(cell));
        if (col->max_width && cw > col->max_width) {
            cw = col->max_width;
            size_t word = widest_word(cell);
            if (word > cw)
                cw = word;
        }
        if (cw > w)
            w = cw;
    }
    return w;
}

/* Appends one table line: the next piece of each cell in pos[] (advanced), padded. Returns
 * whether any cell has text left. */
static int render_line(const acv_table *t, const size_t *widths, const char **pos, acv_buf *out)
{
    size_t pending = 0; /* spaces owed before the next text, so none trail the line */
    int more = 0;
    for (size_t c = 0; c < t->n_columns; c++) {
        const char *start = pos[c];
        const char *end = start;
        if (*start) {
            size_t limit = t->columns[c].max_width ? widths[c] : (size_t)-1;
            end = next_line(&pos[c], limit);
        }
        size_t w = acv_text_width(start, (size_t)(end - start));
        if (end > start) {
            for (; pending > 0; pending--)
                acv_buf_puts(out, " ");
            acv_buf_append(out, start, (size_t)(end - start));
        }
        if (*pos[c])
            more = 1;
        pending += (c + 1 < t->n_columns) ? widths[c] - (w < widths[c] ? w : widths[c]) + 2 : 0;
    }
    acv_buf_puts(out, "\n");
    return more;
}

void acv_table_render(const acv_table *t, acv_buf *out)
{
    size_t *widths = calloc(t->n_columns ? t->n_columns : 1, sizeof *widths);
    const char **pos = calloc(t->n_columns ? t->n_columns : 1, sizeof *pos);
    if (!widths || !pos) {
        free(widths);
        free(pos);
        out->failed = 1;
        return;
    }
    for (size_t c = 0; c < t->n_columns; c++) {
        widths[c] = column_width(t, c);
        pos[c] = t->columns[c].title;
    }
    while (render_line(t, widths, pos, out))
        ;
    for (size_t r = 0; r < t->n_rows; r++) {
        for (size_t c = 0; c < t->n_columns; c++)
            pos[c] = t->cells[r * t->n_columns + c];
        while (render_line(t, widths, pos, out))
            ;
    }
    free(widths);
    free(pos);
}

void acv_table_free(acv_table *t)
{
    acv_strings_free(t->cells, t->n_rows * t->n_columns);
    memset(t, 0, sizeof *t);
}
