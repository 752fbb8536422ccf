/*
 * util.h — small shared helpers with no domain knowledge: a string arena that owns the strings of a
 * loaded structure, a growable byte buffer, SHA-256 for content hashes, and path joining.
 */
#ifndef ACV_UTIL_H
#define ACV_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* An arena frees everything it handed out at once; it owns framework strings and arrays. */
typedef struct acv_arena_block acv_arena_block;
typedef struct {
    acv_arena_block *head;
} acv_arena;

void *acv_arena_alloc(acv_arena *a, size_t size);    /* zeroed; NULL on OOM */
char *acv_arena_strdup(acv_arena *a, const char *s); /* NULL s gives NULL */
void acv_arena_free(acv_arena *a);

/* A growable buffer; data is always NUL-terminated. */
typedef struct {
    char *data;
    size_t len;
    size_t cap;
    int failed; /* set when an allocation failed; later appends are ignored */
} acv_buf;

void acv_buf_append(acv_buf *b, const char *s, size_t n);
void acv_buf_puts(acv_buf *b, const char *s);
void acv_buf_printf(acv_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void acv_buf_free(acv_buf *b);
/* Appends s as a JSON string literal (quoted and escaped); NULL appends null. */
void acv_buf_json_string(acv_buf *b, const char *s);
/* Appends a finite number with up to 15 significant digits, or null. */
void acv_buf_json_number(acv_buf *b, double v);
/* Appends "key": ; the field helpers append "key":value and a comma when `comma` is set. */
void acv_buf_json_key(acv_buf *b, const char *key);
void acv_buf_json_str_field(acv_buf *b, const char *key, const char *value, int comma);
/* has == 0 writes null */
void acv_buf_json_num_field(acv_buf *b, const char *key, int has, double value, int comma);

typedef struct {
    uint32_t state[8];
    uint64_t bytes;
    unsigned char block[64];
    size_t used;
} acv_sha256;

void acv_sha256_init(acv_sha256 *h);
void acv_sha256_update(acv_sha256 *h, const void *data, size_t len);
/* Writes 64 lowercase hex digits and a NUL into hex. */
void acv_sha256_final_hex(acv_sha256 *h, char hex[65]);

/* Joins a and b with one '/', into a malloc'd string. */
char *acv_path_join(const char *a, const char *b);

/* Reads a whole file (at most max bytes) into a malloc'd NUL-terminated buffer; returns 0 on
 * success, -1 with errno set on failure, -2 when the file is larger than max. */
int acv_read_file(const char *path, size_t max, char **out, size_t *len);

/* Room for one more element in an arena-held array of n elements of `size` bytes at items, whose
 * capacity is *cap: items itself while n < *cap, else a copy in a new arena block of twice the
 * capacity (first_cap at first), *cap updated and the old copy abandoned to the arena. NULL when
 * the arena cannot grow (items and *cap are unchanged). */
void *acv_arena_grow(acv_arena *a, const void *items, size_t n, size_t *cap, size_t size,
                     size_t first_cap);

/* How a format escapes one string into a buffer (HTML entities, Markdown cells, ...). */
typedef void (*acv_buf_escaper)(acv_buf *b, const char *s);
/* Appends each of the n items as before, the item through esc, after; sep (may be NULL) stands
 * between two items. The one loop behind every renderer's bullet lists and joined lists. */
void acv_buf_items(acv_buf *b, const char *const *items, size_t n, const char *sep,
                   const char *before, const char *after, acv_buf_escaper esc);

/* Appends s (NULL: nothing) as Markdown text that stays in its table cell and row: a pipe is
 * escaped and a line break becomes a space; with html_too, < and & become entities as well, so
 * no text of the data turns into markup. */
void acv_buf_md_text(acv_buf *b, const char *s, int html_too);

#endif
