/* csv.c — strict streaming RFC 4180 reader; see csv.h. */
#include "csv.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK 65536

struct acv_csv {
    FILE *fp;
    int owns_fp;
    char *name;
    unsigned char chunk[CHUNK];
    size_t chunk_len, chunk_pos;
    int eof;
    long line;        /* current physical line */
    long record_line; /* line where the current record began */
    long long offset;
    int started; /* BOM check done */
    char sep;    /* ',', ';', '\t', or ACV_CSV_DETECT until the first record */
    /* current record: field bytes back to back, each NUL-terminated */
    char *data;
    size_t data_len, data_cap;
    size_t *starts;
    size_t *lens;
    size_t n_fields, fields_cap;
    size_t record_bytes; /* field bytes of the current record, dropped ones included */
    size_t width;        /* fields kept per record; 0 keeps up to ACV_CSV_MAX_COLUMNS */
};

static acv_status init(acv_csv *c, const char *display, acv_error *err)
{
    c->name = strdup(display);
    c->line = 1;
    c->sep = ',';
    if (!c->name)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory opening %s", display);
    return ACV_OK;
}

acv_status acv_csv_open(const char *path, const char *display, acv_csv **out, acv_error *err)
{
    *out = NULL;
    FILE *fp = acv_fopen_regular(path);
    if (!fp)
        return acv_error_at(err, ACV_ERR_IO, display, 0, 0, "cannot open: %s",
                            errno == EINVAL ? "not a regular file" : strerror(errno));
    acv_csv *c = calloc(1, sizeof *c);
    if (!c) {
        fclose(fp);
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory opening %s", display);
    }
    c->fp = fp;
    c->owns_fp = 1;
    if (init(c, display, err) != ACV_OK) {
        acv_csv_close(c);
        return ACV_ERR_NOMEM;
    }
    *out = c;
    return ACV_OK;
}

acv_status acv_csv_open_stream(FILE *fp, const char *display, acv_csv **out, acv_error *err)
{
    *out = NULL;
    acv_csv *c = calloc(1, sizeof *c);
    if (!c)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory opening %s", display);
    c->fp = fp;
    if (init(c, display, err) != ACV_OK) {
        acv_csv_close(c);
        return ACV_ERR_NOMEM;
    }
    *out = c;
    return ACV_OK;
}

void acv_csv_close(acv_csv *c)
{
    if (!c)
        return;
    if (c->owns_fp && c->fp)
        fclose(c->fp);
    free(c->name);
    free(c->data);
    free(c->starts);
    free(c->lens);
    free(c);
}

/* The byte at the read position without taking it (refilling the chunk when it is used up), or
 * -1 at end of file, -2 on read error. */
static int peek_byte(acv_csv *c)
{
    if (c->chunk_pos == c->chunk_len) {
        if (c->eof)
            return -1;
        c->chunk_len = fread(c->chunk, 1, CHUNK, c->fp);
        c->chunk_pos = 0;
        if (c->chunk_len < CHUNK) {
            if (ferror(c->fp))
                return -2;
            c->eof = 1;
        }
        if (c->chunk_len == 0)
            return -1;
    }
    return c->chunk[c->chunk_pos];
}

/* Next byte, or -1 at end of file, -2 on read error. */
static int next_byte(acv_csv *c)
{
    int ch = peek_byte(c);
    if (ch >= 0) {
        c->chunk_pos++;
        c->offset++;
    }
    return ch;
}

static int push_byte(acv_csv *c, int ch)
{
    if (c->data_len + 2 > c->data_cap) {
        size_t ncap = c->data_cap ? c->data_cap * 2 : 1024;
        char *d = realloc(c->data, ncap);
        if (!d)
            return -1;
        c->data = d;
        c->data_cap = ncap;
    }
    c->data[c->data_len++] = (char)ch;
    return 0;
}

static int end_field(acv_csv *c, size_t start, acv_error *err)
{
    size_t len = c->data_len - start;
    if (push_byte(c, '\0') != 0) {
        acv_error_set(err, ACV_ERR_NOMEM, "out of memory reading %s", c->name);
        return -1;
    }
    if (c->n_fields == ACV_CSV_MAX_COLUMNS) {
        acv_error_at(err, ACV_ERR_INPUT, c->name, c->record_line, 0, "more than %d columns",
                     ACV_CSV_MAX_COLUMNS);
        return -1;
    }
    if (c->n_fields == c->fields_cap) {
        size_t ncap = c->fields_cap ? c->fields_cap * 2 : 16;
        size_t *s = realloc(c->starts, ncap * sizeof *s);
        if (!s) {
            acv_error_set(err, ACV_ERR_NOMEM, "out of memory reading %s", c->name);
            return -1;
        }
        c->starts = s;
        size_t *l = realloc(c->lens, ncap * sizeof *l);
        if (!l) {
            acv_error_set(err, ACV_ERR_NOMEM, "out of memory reading %s", c->name);
            return -1;
        }
        c->lens = l;
        c->fields_cap = ncap;
    }
    if (!acv_utf8_valid(c->data + start, len)) { /* the field ends in a NUL already */
        acv_error_at(err, ACV_ERR_INPUT, c->name, c->line, 0,
                     "column %zu is not valid UTF-8 (save the file as UTF-8)", c->n_fields + 1);
        return -1;
    }
    if (len >= 3 && memcmp(c->data + start, "\xEF\xBB\xBF", 3) == 0) {
        acv_error_at(err, ACV_ERR_INPUT, c->name, c->line, 0,
                     "a byte order mark in column %zu; files may only start with one",
                     c->n_fields + 1);
        return -1;
    }
    c->starts[c->n_fields] = start; /* a dropped field (see dropping) is empty */
    c->lens[c->n_fields] = len;
    c->n_fields++;
    return 0;
}

void acv_csv_set_width(acv_csv *c, size_t width)
{
    c->width = width;
}

/* Whether the field being read is beyond the width the caller keeps: its bytes are dropped as
 * they are read, so an over-wide record costs no memory past the header's width. */
static int dropping(const acv_csv *c)
{
    return c->width && c->n_fields >= c->width;
}

/* A byte of the field being read: kept, or only counted when the field is dropped. */
static int keep_byte(acv_csv *c, int ch)
{
    c->record_bytes++;
    return dropping(c) ? 0 : push_byte(c, ch);
}

void acv_csv_set_separator(acv_csv *c, char sep)
{
    c->sep = sep;
}

char acv_csv_separator(const acv_csv *c)
{
    return c->sep;
}

/* The separator of the first line, from the bytes of the first chunk (a header longer than a
 * chunk is judged by its first 64 KiB). */
static char detect_separator(const acv_csv *c)
{
    size_t commas = 0, semicolons = 0, tabs = 0;
    int quoted = 0;
    for (size_t i = c->chunk_pos; i < c->chunk_len; i++) {
        unsigned char ch = c->chunk[i];
        if (ch == '"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (ch == '\n' || ch == '\r')
            break;
        else if (ch == ',')
            commas++;
        else if (ch == ';')
            semicolons++;
        else if (ch == '\t')
            tabs++;
    }
    if (commas || (!semicolons && !tabs))
        return ',';
    return semicolons >= tabs ? ';' : '\t';
}

int acv_csv_next(acv_csv *c, acv_error *err)
{
    if (!c->started) {
        c->started = 1;
        /* the first read fills the chunk, so a byte order mark is wholly inside it */
        if (peek_byte(c) == 0xEF && c->chunk_len - c->chunk_pos >= 3 &&
            memcmp(c->chunk + c->chunk_pos, "\xEF\xBB\xBF", 3) == 0) {
            c->chunk_pos += 3;
            c->offset += 3;
        }
        if (c->sep == ACV_CSV_DETECT)
            c->sep = detect_separator(c);
    }
    for (;;) {
        c->data_len = 0;
        c->n_fields = 0;
        c->record_bytes = 0;
        c->record_line = c->line;
        int ch = next_byte(c);
        if (ch == -2)
            goto read_error;
        if (ch == -1)
            return 0;
        /* skip blank lines */
        if (ch == '\n') {
            c->line++;
            continue;
        }
        if (ch == '\r') {
            if (peek_byte(c) == '\n')
                next_byte(c);
            c->line++;
            continue;
        }
        size_t start = 0;
        int quoted = 0, after_quote = 0;
        long quote_line = 0;
        for (;;) {
            if (ch == -2)
                goto read_error;
            if (ch == 0) {
                acv_error_at(err, ACV_ERR_INPUT, c->name, c->line, 0, "a NUL byte in the file");
                return -1;
            }
            if (quoted) {
                if (ch == -1) {
                    acv_error_at(err, ACV_ERR_INPUT, c->name, quote_line, 0,
                                 "unclosed quote in column %zu (the file ends inside it)",
                                 c->n_fields + 1);
                    return -1;
                }
                if (ch == '"') {
                    if (peek_byte(c) == '"') {
                        next_byte(c);
                        if (keep_byte(c, '"') != 0)
                            goto oom;
                    } else {
                        quoted = 0;
                        after_quote = 1;
                    }
                } else {
                    if (ch == '\n')
                        c->line++;
                    else if (ch == '\r' && peek_byte(c) != '\n')
                        c->line++;
                    if (keep_byte(c, ch) != 0)
                        goto oom;
                }
            } else if (ch == c->sep || ch == '\n' || ch == '\r' || ch == -1) {
                if (end_field(c, start, err) != 0)
                    return -1;
                start = c->data_len;
                after_quote = 0;
                if (ch == c->sep) {
                    /* a field follows, even if the line ends here */
                } else {
                    if (ch == '\r' && peek_byte(c) == '\n')
                        next_byte(c);
                    if (ch != -1)
                        c->line++;
                    return 1;
                }
            } else if (after_quote) {
                acv_error_at(err, ACV_ERR_INPUT, c->name, c->line, 0,
                             "text after a closing quote in column %zu", c->n_fields + 1);
                return -1;
            } else if (ch == '"') {
                if (c->data_len != start) {
                    acv_error_at(err, ACV_ERR_INPUT, c->name, c->line, 0,
                                 "a quote inside unquoted column %zu (quote the whole field and "
                                 "double the quote)",
                                 c->n_fields + 1);
                    return -1;
                }
                quoted = 1;
                quote_line = c->line;
            } else {
                if (keep_byte(c, ch) != 0)
                    goto oom;
            }
            if (c->data_len - start > ACV_CSV_MAX_FIELD) {
                acv_error_at(err, ACV_ERR_INPUT, c->name, c->record_line, 0,
                             "column %zu is longer than %d bytes", c->n_fields + 1,
                             ACV_CSV_MAX_FIELD);
                return -1;
            }
            if (c->record_bytes > ACV_CSV_MAX_RECORD) {
                acv_error_at(err, ACV_ERR_INPUT, c->name, c->record_line, 0,
                             "a record longer than %d bytes", ACV_CSV_MAX_RECORD);
                return -1;
            }
            ch = next_byte(c);
        }
    }
oom:
    acv_error_set(err, ACV_ERR_NOMEM, "out of memory reading %s", c->name);
    return -1;
read_error:
    acv_error_at(err, ACV_ERR_IO, c->name, c->line, 0, "read error: %s", strerror(errno));
    return -1;
}

size_t acv_csv_count(const acv_csv *c)
{
    return c->n_fields;
}

const char *acv_csv_field(const acv_csv *c, size_t i)
{
    return i < c->n_fields ? c->data + c->starts[i] : "";
}

size_t acv_csv_field_len(const acv_csv *c, size_t i)
{
    return i < c->n_fields ? c->lens[i] : 0;
}

long acv_csv_line(const acv_csv *c)
{
    return c->record_line;
}

const char *acv_csv_name(const acv_csv *c)
{
    return c->name;
}

long long acv_csv_offset(const acv_csv *c)
{
    return c->offset;
}
