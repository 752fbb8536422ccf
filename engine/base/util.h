/*
 * util.h — small shared helpers with no domain knowledge: a string arena that owns the strings of a
 * loaded structure, growable arrays, a growable byte buffer, SHA-256 for content hashes, path
 * joining and name tables for enums.
 */
#ifndef ACV_UTIL_H
#define ACV_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* An arena frees everything it handed out at once; it owns framework strings and arrays. */
typedef struct acv_arena_block acv_arena_block;
typedef struct {
    acv_arena_block *head;
} acv_arena;

void *acv_arena_alloc(acv_arena *a, size_t size);    /* zeroed; NULL on OOM */
char *acv_arena_strdup(acv_arena *a, const char *s); /* NULL s gives NULL */
void acv_arena_free(acv_arena *a);

/* Growable arrays. ACV_GROW(array, cap, count, first) makes room for element array[count] of a
 * malloc'd array of cap elements: while count < cap it does nothing; otherwise it reallocates
 * array to twice cap elements (first when cap is 0), zeroes the new ones and updates array and
 * cap. Returns 0, or -1 when out of memory, leaving array and cap as they were (still owned by
 * the caller). ACV_ARENA_GROW does the same in an arena: the old copy is abandoned to the arena,
 * so what is kept at most doubles. array must be an lvalue of pointer type, cap one of size_t. */
#define ACV_GROW(array, cap, count, first)                                                         \
    acv_array_grow(&(array), &(cap), (count), sizeof *(array), (first))
#define ACV_ARENA_GROW(arena, array, cap, count, first)                                            \
    acv_arena_grow((arena), &(array), &(cap), (count), sizeof *(array), (first))
/* arrayp is the address of the array pointer; the macros above pass it with the element size. */
int acv_array_grow(void *arrayp, size_t *cap, size_t count, size_t elem, size_t first);
int acv_arena_grow(acv_arena *a, void *arrayp, size_t *cap, size_t count, size_t elem,
                   size_t first);

/* In a variadic function whose last named parameter is fmt: formats the arguments that follow fmt
 * into buf, size bytes at most (vsnprintf: truncated, always NUL-terminated). */
#define ACV_VFORMAT(buf, size, fmt)                                                                \
    do {                                                                                           \
        va_list acv_ap_;                                                                           \
        va_start(acv_ap_, fmt);                                                                    \
        vsnprintf((buf), (size), fmt, acv_ap_);                                                    \
        va_end(acv_ap_);                                                                           \
    } while (0)

/* Frees n malloc'd strings and the malloc'd array that holds them (NULL: nothing). */
void acv_strings_free(char **strings, size_t n);

/* Enum names kept as a table indexed by the enum (designated initializers), so that one table
 * serves naming, parsing and the list of accepted words. acv_name_of gives names[value] when
 * value is within the n entries and has a name, else fallback; acv_name_index gives the index of
 * s among the n names, or -1. */
const char *acv_name_of(const char *const *names, size_t n, int value, const char *fallback);
int acv_name_index(const char *const *names, size_t n, const char *s);

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
/* Appends s as a JSON string literal (quoted and escaped; a byte that does not start valid UTF-8
 * becomes U+FFFD); NULL appends null. */
void acv_buf_json_string(acv_buf *b, const char *s);
/* Appends a finite number with up to 15 significant digits, or null. */
/* Appends the UTF-8 character at p (a byte of 0x80 or more), or U+FFFD when the bytes there
 * are not valid UTF-8 (a stray byte, a cut or overlong sequence, a surrogate); returns how many
 * bytes of p it took. Every writer of text that leaves the engine goes through it. */
size_t acv_buf_utf8_char(acv_buf *b, const char *p);
/* The length of the valid UTF-8 character at p (1-4), or 0 when the bytes there are not one;
 * p must be NUL-terminated (a NUL is never a continuation byte). */
size_t acv_utf8_length(const char *p);
/* 1 when the n bytes at s are valid UTF-8 (NUL bytes allowed); s[n] must be readable (a NUL). */
int acv_utf8_valid(const char *s, size_t n);

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

/* Reads a whole regular file (at most max bytes) into a malloc'd NUL-terminated buffer; returns 0
 * on success, -1 with errno set on failure (EISDIR, or EINVAL for a FIFO, device or socket: it is
 * opened without waiting and refused), -2 when the file is larger than max. */
int acv_read_file(const char *path, size_t max, char **out, size_t *len);

/* Opens a regular file for reading, never waiting on a FIFO or device; NULL with errno set
 * (EISDIR for a folder, EINVAL for anything else that is not a regular file). */
FILE *acv_fopen_regular(const char *path);

/* How a format escapes one string into a buffer (HTML entities, Markdown cells, ...). */
typedef void (*acv_buf_escaper)(acv_buf *b, const char *s);
/* Appends each of the n items as before, the item through esc, after; sep (may be NULL) stands
 * between two items. The one loop behind every renderer's bullet lists and joined lists. */
void acv_buf_items(acv_buf *b, const char *const *items, size_t n, const char *sep,
                   const char *before, const char *after, acv_buf_escaper esc);

/* Appends s (NULL: nothing) as Markdown text that stays in its table cell and row: a pipe is
 * escaped and a line break becomes a space; with html_too, < and & become entities and [, ], ! and
 * \ get a backslash as well, so no text of the data turns into markup, a link or an image
 * (parentheses stay: without a bracket before them they link nothing; > stays: with < escaped it
 * closes no tag, and mid-line it starts no quote). */
void acv_buf_md_text(acv_buf *b, const char *s, int html_too);

#endif
