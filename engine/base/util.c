/* util.c — arena, buffer, SHA-256 (FIPS 180-4) and file helpers; see util.h. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ARENA_BLOCK 16384

struct acv_arena_block {
    acv_arena_block *next;
    size_t size;
    size_t used;
    max_align_t data[];
};

void *acv_arena_alloc(acv_arena *a, size_t size)
{
    size_t align = sizeof(max_align_t);
    size = (size + align - 1) / align * align;
    acv_arena_block *b = a->head;
    if (!b || b->size - b->used < size) {
        size_t bsize = size > ARENA_BLOCK / 4 ? size : ARENA_BLOCK;
        b = malloc(sizeof *b + bsize);
        if (!b)
            return NULL;
        b->size = bsize;
        b->used = 0;
        if (bsize == size && a->head) {
            /* a large piece gets a block of its own behind the head, so the head's free space
             * still serves the small pieces that follow (a comparison holds thousands of arenas) */
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = a->head;
            a->head = b;
        }
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    memset(p, 0, size);
    return p;
}

char *acv_arena_strdup(acv_arena *a, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = acv_arena_alloc(a, n);
    if (p)
        memcpy(p, s, n);
    return p;
}

void acv_arena_free(acv_arena *a)
{
    acv_arena_block *b = a->head;
    while (b) {
        acv_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}

/* The pointer behind arrayp is read and written as a void *: all object pointers share one
 * representation on the platforms we build for, and memcpy keeps the access well defined. */
static size_t grown_cap(size_t cap, size_t elem, size_t first)
{
    size_t ncap = cap ? cap * 2 : first;
    if (ncap < cap || (elem && ncap > SIZE_MAX / elem))
        return 0;
    return ncap;
}

int acv_array_grow(void *arrayp, size_t *cap, size_t count, size_t elem, size_t first)
{
    if (count < *cap)
        return 0;
    size_t ncap = grown_cap(*cap, elem, first);
    void *array;
    memcpy(&array, arrayp, sizeof array);
    void *p = ncap ? realloc(array, ncap * elem) : NULL;
    if (!p)
        return -1;
    memset((char *)p + *cap * elem, 0, (ncap - *cap) * elem);
    memcpy(arrayp, &p, sizeof p);
    *cap = ncap;
    return 0;
}

int acv_arena_grow(acv_arena *a, void *arrayp, size_t *cap, size_t count, size_t elem, size_t first)
{
    if (count < *cap)
        return 0;
    size_t ncap = grown_cap(*cap, elem, first);
    void *p = ncap ? acv_arena_alloc(a, ncap * elem) : NULL;
    if (!p)
        return -1;
    void *array;
    memcpy(&array, arrayp, sizeof array);
    if (count)
        memcpy(p, array, count * elem);
    memcpy(arrayp, &p, sizeof p);
    *cap = ncap;
    return 0;
}

void acv_strings_free(char **strings, size_t n)
{
    if (!strings)
        return;
    for (size_t i = 0; i < n; i++)
        free(strings[i]);
    free(strings);
}

const char *acv_name_of(const char *const *names, size_t n, int value, const char *fallback)
{
    if (value < 0 || (size_t)value >= n || !names[value])
        return fallback;
    return names[value];
}

int acv_name_index(const char *const *names, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (names[i] && strcmp(names[i], s) == 0)
            return (int)i;
    return -1;
}

void acv_buf_append(acv_buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t ncap = b->cap ? b->cap : 256;
        while (ncap < b->len + n + 1)
            ncap *= 2;
        char *d = realloc(b->data, ncap);
        if (!d) {
            b->failed = 1;
            return;
        }
        b->data = d;
        b->cap = ncap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void acv_buf_puts(acv_buf *b, const char *s)
{
    acv_buf_append(b, s, strlen(s));
}

void acv_buf_printf(acv_buf *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        acv_buf_append(b, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        b->failed = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    acv_buf_append(b, big, (size_t)n);
    free(big);
}

/* The length of the valid UTF-8 sequence at p (1 to 4), or 0 when it is not one: a stray
 * continuation byte, a truncated, overlong or surrogate sequence, or a code point past U+10FFFF. */
size_t acv_utf8_length(const char *text)
{
    const unsigned char *p = (const unsigned char *)text;
    unsigned char b = p[0];
    size_t need;
    unsigned cp;
    if (b < 0x80)
        return 1;
    if ((b & 0xE0) == 0xC0) {
        need = 1;
        cp = b & 0x1F;
    } else if ((b & 0xF0) == 0xE0) {
        need = 2;
        cp = b & 0x0F;
    } else if ((b & 0xF8) == 0xF0) {
        need = 3;
        cp = b & 0x07;
    } else {
        return 0;
    }
    for (size_t k = 1; k <= need; k++) { /* stops at the NUL, which is no continuation byte */
        if ((p[k] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[k] & 0x3F);
    }
    if ((need == 1 && cp < 0x80) || (need == 2 && cp < 0x800) ||
        (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return need + 1;
}

int acv_utf8_valid(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)s[i] < 0x80)
            continue;
        size_t k = acv_utf8_length(s + i);
        if (!k || i + k > n)
            return 0;
        i += k - 1;
    }
    return 1;
}

size_t acv_buf_utf8_char(acv_buf *b, const char *p)
{
    size_t n = acv_utf8_length(p);
    if (n)
        acv_buf_append(b, p, n);
    else
        acv_buf_puts(b, "\xEF\xBF\xBD"); /* U+FFFD for the one byte */
    return n ? n : 1;
}

/* Every JSON document the engine writes goes through here, so this is where text from scripts,
 * plugins and files that is not valid UTF-8 is made valid: each byte that does not start a valid
 * sequence becomes U+FFFD (docs/report-json.md), and the document stays parseable. */
void acv_buf_json_string(acv_buf *b, const char *s)
{
    if (!s) {
        acv_buf_puts(b, "null");
        return;
    }
    acv_buf_puts(b, "\"");
    /* the characters with a short escape, and the letter that follows the backslash */
    static const char SHORT[] = "\"\\\n\r\t", LETTER[] = "\"\\nrt";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        const char *e = strchr(SHORT, *p);
        if (e) {
            char esc[2] = {'\\', LETTER[e - SHORT]};
            acv_buf_append(b, esc, 2);
        } else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&') {
            acv_buf_printf(b, "\\u%04x", *p);
        } else if (*p < 0x80) {
            acv_buf_append(b, (const char *)p, 1);
        } else {
            p += acv_buf_utf8_char(b, (const char *)p) - 1;
        }
    }
    acv_buf_puts(b, "\"");
}

void acv_buf_json_number(acv_buf *b, double v)
{
    if (v != v || v > 1e308 || v < -1e308) {
        acv_buf_puts(b, "null");
        return;
    }
    acv_buf_printf(b, "%.15g", v);
}

void acv_buf_json_key(acv_buf *b, const char *key)
{
    acv_buf_json_string(b, key);
    acv_buf_puts(b, ":");
}

void acv_buf_json_str_field(acv_buf *b, const char *key, const char *value, int comma)
{
    acv_buf_json_key(b, key);
    acv_buf_json_string(b, value);
    if (comma)
        acv_buf_puts(b, ",");
}

void acv_buf_json_num_field(acv_buf *b, const char *key, int has, double value, int comma)
{
    acv_buf_json_key(b, key);
    if (has)
        acv_buf_json_number(b, value);
    else
        acv_buf_puts(b, "null");
    if (comma)
        acv_buf_puts(b, ",");
}

void acv_buf_free(acv_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(acv_sha256 *h, const unsigned char *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h->state[0], b = h->state[1], c = h->state[2], d = h->state[3];
    uint32_t e = h->state[4], f = h->state[5], g = h->state[6], k = h->state[7];
    for (int i = 0; i < 64; i++) {
        uint32_t S1 = ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25);
        uint32_t ch = (e & f) ^ (~e & g);
        uint32_t t1 = k + S1 + ch + K256[i] + w[i];
        uint32_t S0 = ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22);
        uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
        uint32_t t2 = S0 + maj;
        k = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h->state[0] += a;
    h->state[1] += b;
    h->state[2] += c;
    h->state[3] += d;
    h->state[4] += e;
    h->state[5] += f;
    h->state[6] += g;
    h->state[7] += k;
}

void acv_sha256_init(acv_sha256 *h)
{
    static const uint32_t init[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(h->state, init, sizeof init);
    h->bytes = 0;
    h->used = 0;
}

void acv_sha256_update(acv_sha256 *h, const void *data, size_t len)
{
    const unsigned char *p = data;
    h->bytes += len;
    while (len > 0) {
        size_t take = 64 - h->used;
        if (take > len)
            take = len;
        memcpy(h->block + h->used, p, take);
        h->used += take;
        p += take;
        len -= take;
        if (h->used == 64) {
            sha256_block(h, h->block);
            h->used = 0;
        }
    }
}

void acv_sha256_final_hex(acv_sha256 *h, char hex[65])
{
    uint64_t bits = h->bytes * 8;
    unsigned char pad = 0x80;
    acv_sha256_update(h, &pad, 1);
    unsigned char zero = 0;
    while (h->used != 56)
        acv_sha256_update(h, &zero, 1);
    unsigned char len[8];
    for (int i = 0; i < 8; i++)
        len[i] = (unsigned char)(bits >> (56 - 8 * i));
    acv_sha256_update(h, len, 8);
    for (int i = 0; i < 8; i++)
        snprintf(hex + 8 * i, 9, "%08x", h->state[i]);
    hex[64] = '\0';
}

char *acv_path_join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    int slash = la > 0 && a[la - 1] != '/';
    char *p = malloc(la + lb + 2);
    if (!p)
        return NULL;
    memcpy(p, a, la);
    if (slash)
        p[la++] = '/';
    memcpy(p + la, b, lb + 1);
    return p;
}

FILE *acv_fopen_regular(const char *path)
{
    /* regular files only, and never wait on a FIFO or device to open */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    struct stat sb;
    if (fd < 0)
        return NULL;
    int code = fstat(fd, &sb) != 0   ? errno
               : S_ISREG(sb.st_mode) ? 0
               : S_ISDIR(sb.st_mode) ? EISDIR
                                     : EINVAL;
    if (code) {
        close(fd);
        errno = code;
        return NULL;
    }
    FILE *f = fdopen(fd, "rb");
    if (!f)
        close(fd);
    return f;
}

int acv_read_file(const char *path, size_t max, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    FILE *f = acv_fopen_regular(path);
    if (!f)
        return -1;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf) {
        fclose(f);
        errno = ENOMEM;
        return -1;
    }
    for (;;) {
        if (n == cap) {
            if (cap > max) {
                free(buf);
                fclose(f);
                return -2;
            }
            cap *= 2;
            char *nb = realloc(buf, cap + 1);
            if (!nb) {
                free(buf);
                fclose(f);
                errno = ENOMEM;
                return -1;
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        errno = EIO;
        return -1;
    }
    if (n > max) {
        free(buf);
        return -2;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

void acv_buf_items(acv_buf *b, const char *const *items, size_t n, const char *sep,
                   const char *before, const char *after, acv_buf_escaper esc)
{
    for (size_t i = 0; i < n; i++) {
        if (i && sep)
            acv_buf_puts(b, sep);
        acv_buf_puts(b, before);
        esc(b, items[i]);
        acv_buf_puts(b, after);
    }
}

void acv_buf_md_text(acv_buf *b, const char *s, int html_too)
{
    for (const char *p = s; p && *p; p++) {
        if (*p == '|')
            acv_buf_puts(b, "\\|");
        else if (*p == '\n' || *p == '\r')
            acv_buf_puts(b, " ");
        else if (html_too && *p == '<')
            acv_buf_puts(b, "&lt;");
        else if (html_too && *p == '&')
            acv_buf_puts(b, "&amp;");
        else if (html_too && strchr("[]!\\", *p)) {
            /* no link or image ([x](url), ![](url)) from the data; the backslash too, or "\["
             * would escape the escape */
            char esc[2] = {'\\', *p};
            acv_buf_append(b, esc, 2);
        } else if ((unsigned char)*p >= 0x80)
            p += acv_buf_utf8_char(b, p) - 1;
        else
            acv_buf_append(b, p, 1);
    }
}
