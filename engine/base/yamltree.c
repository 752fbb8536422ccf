/* yamltree.c — libyaml events to a bounded, positioned node tree; see yamltree.h. */
#include "yamltree.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

struct yt_doc {
    char *name;
    yt_node *root;
};

typedef struct {
    yt_node *node;
    size_t cap;
} open_container;

static void node_free(yt_node *n)
{
    if (!n)
        return;
    free(n->str);
    for (size_t i = 0; i < n->count; i++) {
        if (n->keys)
            node_free(n->keys[i]);
        if (n->items)
            node_free(n->items[i]);
    }
    free(n->keys);
    free(n->items);
    free(n);
}

void yt_free(yt_doc *doc)
{
    if (!doc)
        return;
    node_free(doc->root);
    free(doc->name);
    free(doc);
}

const yt_node *yt_root(const yt_doc *doc)
{
    return doc ? doc->root : NULL;
}

const char *yt_doc_name(const yt_doc *doc)
{
    return doc ? doc->name : "";
}

const yt_node *yt_map_get(const yt_node *map, const char *key)
{
    if (!map || map->kind != YT_MAP)
        return NULL;
    for (size_t i = 0; i < map->count; i++)
        if (strcmp(map->keys[i]->str, key) == 0)
            return map->items[i];
    return NULL;
}

static int key_cmp(const void *a, const void *b)
{
    const yt_node *ka = *(yt_node *const *)a;
    const yt_node *kb = *(yt_node *const *)b;
    int c = strcmp(ka->str, kb->str);
    if (c)
        return c;
    /* later position second, so the duplicate reported is the later one */
    if (ka->line != kb->line)
        return ka->line - kb->line;
    return ka->col - kb->col;
}

/* Sorting a copy keeps duplicate detection O(n log n) even for adversarially large mappings. */
static acv_status check_duplicate_keys(const yt_node *map, const char *name, acv_error *err)
{
    if (map->count < 2)
        return ACV_OK;
    yt_node **sorted = malloc(map->count * sizeof *sorted);
    if (!sorted)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory reading %s", name);
    memcpy(sorted, map->keys, map->count * sizeof *sorted);
    qsort(sorted, map->count, sizeof *sorted, key_cmp);
    for (size_t i = 1; i < map->count; i++) {
        if (strcmp(sorted[i - 1]->str, sorted[i]->str) == 0) {
            acv_status st = acv_error_at(err, ACV_ERR_INPUT, name, sorted[i]->line, sorted[i]->col,
                                         "duplicate key '%s' (first at line %d)", sorted[i]->str,
                                         sorted[i - 1]->line);
            free(sorted);
            return st;
        }
    }
    free(sorted);
    return ACV_OK;
}

static acv_status append_child(open_container *c, yt_node *child, int is_key, const char *name,
                               acv_error *err)
{
    yt_node *p = c->node;
    if (p->kind == YT_MAP && !is_key) {
        p->items[p->count - 1] = child;
        return ACV_OK;
    }
    if (p->count == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 8;
        yt_node **items = realloc(p->items, ncap * sizeof *items);
        if (!items)
            return acv_error_set(err, ACV_ERR_NOMEM, "out of memory reading %s", name);
        p->items = items;
        if (p->kind == YT_MAP) {
            yt_node **keys = realloc(p->keys, ncap * sizeof *keys);
            if (!keys)
                return acv_error_set(err, ACV_ERR_NOMEM, "out of memory reading %s", name);
            p->keys = keys;
        }
        c->cap = ncap;
    }
    if (p->kind == YT_MAP) {
        p->keys[p->count] = child;
        p->items[p->count] = NULL;
    } else {
        p->items[p->count] = child;
    }
    p->count++;
    return ACV_OK;
}

static yt_node *new_node(yt_kind kind, const yaml_mark_t *mark)
{
    yt_node *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    n->kind = kind;
    n->line = (int)mark->line + 1;
    n->col = (int)mark->column + 1;
    return n;
}

/* libyaml's reader errors (bad UTF-8, control characters) carry a byte offset and no mark, so
 * without this every one of them was reported at 1:1. Columns count characters, like libyaml's. */
static void offset_position(const char *buf, size_t len, size_t offset, long *line, long *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < offset && i < len; i++) {
        if (buf[i] == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)buf[i] & 0xC0) != 0x80) {
            (*col)++;
        }
    }
}

/* The column (1-based) of the first tab in the indentation of line `line` (1-based) of buf, or 0
 * when that line is indented with spaces only. libyaml words a tab in the indentation in three
 * ways ("found character that cannot start any token", "a tab character that violates
 * indentation", "where an indentation space is expected"), none of which says what to do. */
static long indentation_tab(const char *buf, size_t len, long line)
{
    size_t i = 0;
    for (long l = 1; l < line && i < len; i++)
        if (buf[i] == '\n')
            l++;
    for (long col = 1; i < len && (buf[i] == ' ' || buf[i] == '\t'); i++, col++)
        if (buf[i] == '\t')
            return col;
    return 0;
}

acv_status yt_parse_buffer(const char *buf, size_t len, const char *name, yt_doc **out,
                           acv_error *err)
{
    *out = NULL;
    if (len > YT_MAX_BYTES)
        return acv_error_at(err, ACV_ERR_INPUT, name, 0, 0,
                            "file is %zu bytes; YAML files may be at most %d bytes", len,
                            YT_MAX_BYTES);
    if (len >= 2 && (((unsigned char)buf[0] == 0xFF && (unsigned char)buf[1] == 0xFE) ||
                     ((unsigned char)buf[0] == 0xFE && (unsigned char)buf[1] == 0xFF)))
        return acv_error_at(err, ACV_ERR_INPUT, name, 1, 1, "file is UTF-16; save it as UTF-8");
    if (memchr(buf, '\0', len))
        return acv_error_at(err, ACV_ERR_INPUT, name, 0, 0, "file contains a NUL byte");

    yt_doc *doc = calloc(1, sizeof *doc);
    if (!doc || !(doc->name = strdup(name))) {
        free(doc);
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory reading %s", name);
    }

    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        yt_free(doc);
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory reading %s", name);
    }
    /* libyaml drops a UTF-8 byte order mark only when it detects the encoding itself; with the
     * encoding set, the mark counts as a column, so a second top-level key looked mis-indented */
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
        buf += 3;
        len -= 3;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);

    open_container stack[YT_MAX_DEPTH + 1];
    int depth = 0;
    int documents = 0;
    long nodes = 0;
    acv_status st = ACV_OK;
    int done = 0;
    /* For mappings: whether the next child is a key. One flag per open container. */
    int expect_key[YT_MAX_DEPTH + 1];

    while (!done && st == ACV_OK) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            long line = (long)parser.problem_mark.line + 1;
            long col = (long)parser.problem_mark.column + 1;
            long tab = 0;
            if (parser.error == YAML_READER_ERROR)
                offset_position(buf, len, parser.problem_offset, &line, &col);
            else
                tab = indentation_tab(buf, len, line);
            if (tab) {
                st = acv_error_at(err, ACV_ERR_INPUT, name, line, tab,
                                  "tab characters are not allowed for indentation (line %ld, "
                                  "column %ld)",
                                  line, tab);
                break;
            }
            st = acv_error_at(err, ACV_ERR_INPUT, name, line, col, "%s%s%s",
                              parser.problem ? parser.problem : "YAML syntax error",
                              parser.context ? " " : "", parser.context ? parser.context : "");
            break;
        }
        const yaml_mark_t *m = &ev.start_mark;
        yt_node *n = NULL;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++documents > 1)
                st = acv_error_at(err, ACV_ERR_INPUT, name, (long)m->line + 1, (long)m->column + 1,
                                  "a second YAML document; one file holds one document");
            break;
        case YAML_ALIAS_EVENT:
            st = acv_error_at(err, ACV_ERR_INPUT, name, (long)m->line + 1, (long)m->column + 1,
                              "aliases ('*%s') are not allowed; write the value out",
                              (const char *)ev.data.alias.anchor);
            break;
        case YAML_SCALAR_EVENT:
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT: {
            const yaml_char_t *anchor = ev.type == YAML_SCALAR_EVENT ? ev.data.scalar.anchor
                                        : ev.type == YAML_SEQUENCE_START_EVENT
                                            ? ev.data.sequence_start.anchor
                                            : ev.data.mapping_start.anchor;
            const yaml_char_t *tag = ev.type == YAML_SCALAR_EVENT ? ev.data.scalar.tag
                                     : ev.type == YAML_SEQUENCE_START_EVENT
                                         ? ev.data.sequence_start.tag
                                         : ev.data.mapping_start.tag;
            if (anchor) {
                st = acv_error_at(err, ACV_ERR_INPUT, name, (long)m->line + 1, (long)m->column + 1,
                                  "anchors ('&%s') are not allowed; write the value out",
                                  (const char *)anchor);
                break;
            }
            if (tag) {
                st = acv_error_at(err, ACV_ERR_INPUT, name, (long)m->line + 1, (long)m->column + 1,
                                  "tags ('%s') are not allowed", (const char *)tag);
                break;
            }
            if (++nodes > YT_MAX_NODES) {
                st = acv_error_at(err, ACV_ERR_INPUT, name, (long)m->line + 1, (long)m->column + 1,
                                  "more than %d YAML nodes", YT_MAX_NODES);
                break;
            }
            yt_kind kind = ev.type == YAML_SCALAR_EVENT           ? YT_SCALAR
                           : ev.type == YAML_SEQUENCE_START_EVENT ? YT_SEQ
                                                                  : YT_MAP;
            n = new_node(kind, m);
            if (!n) {
                st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory reading %s", name);
                break;
            }
            if (kind == YT_SCALAR) {
                n->len = ev.data.scalar.length;
                n->str = malloc(n->len + 1);
                if (!n->str) {
                    node_free(n);
                    st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory reading %s", name);
                    break;
                }
                memcpy(n->str, ev.data.scalar.value, n->len);
                n->str[n->len] = '\0';
                n->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
            }
            int is_key = 0;
            if (depth > 0) {
                open_container *top = &stack[depth - 1];
                if (top->node->kind == YT_MAP) {
                    is_key = expect_key[depth - 1];
                    if (is_key && kind != YT_SCALAR) {
                        st = acv_error_at(err, ACV_ERR_INPUT, name, n->line, n->col,
                                          "a mapping key must be a plain value");
                        node_free(n);
                        break;
                    }
                    expect_key[depth - 1] = !is_key;
                }
                st = append_child(top, n, is_key, name, err);
                if (st != ACV_OK) {
                    node_free(n);
                    break;
                }
            } else {
                doc->root = n;
            }
            if (kind != YT_SCALAR) {
                if (depth >= YT_MAX_DEPTH) {
                    st = acv_error_at(err, ACV_ERR_INPUT, name, n->line, n->col,
                                      "nesting deeper than %d levels", YT_MAX_DEPTH);
                    break;
                }
                stack[depth].node = n;
                stack[depth].cap = 0;
                expect_key[depth] = 1;
                depth++;
            }
            break;
        }
        case YAML_SEQUENCE_END_EVENT:
            depth--;
            break;
        case YAML_MAPPING_END_EVENT:
            depth--;
            st = check_duplicate_keys(stack[depth].node, name, err);
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    if (st != ACV_OK) {
        yt_free(doc);
        return st;
    }
    *out = doc;
    return ACV_OK;
}

acv_status yt_parse_file(const char *path, const char *display_name, yt_doc **out, acv_error *err)
{
    *out = NULL;
    /* a regular file only: a FIFO or device is opened without waiting and refused */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    struct stat sb;
    FILE *f = fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) ? fdopen(fd, "rb") : NULL;
    if (!f) {
        int code = fd < 0 ? errno : EINVAL;
        if (fd >= 0)
            close(fd);
        return acv_error_at(err, ACV_ERR_IO, display_name, 0, 0, "cannot open: %s",
                            code == EINVAL ? "not a regular file" : strerror(code));
    }
    /* Read at most one byte past the cap so an oversized file is refused without reading it all. */
    char *buf = malloc(YT_MAX_BYTES + 1);
    if (!buf) {
        fclose(f);
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory reading %s", display_name);
    }
    size_t len = fread(buf, 1, YT_MAX_BYTES + 1, f);
    int read_error = ferror(f);
    fclose(f);
    if (read_error) {
        free(buf);
        return acv_error_at(err, ACV_ERR_IO, display_name, 0, 0, "read error");
    }
    if (len > YT_MAX_BYTES) {
        free(buf);
        return acv_error_at(err, ACV_ERR_INPUT, display_name, 0, 0,
                            "file is larger than %d bytes; YAML files may be at most that",
                            YT_MAX_BYTES);
    }
    acv_status st = yt_parse_buffer(buf, len, display_name, out, err);
    free(buf);
    return st;
}
