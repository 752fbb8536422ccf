/*
 * yamltree.h — a bounded YAML reader that turns one YAML document into a tree of positioned nodes.
 *
 * libyaml 0.2.5 bounds neither input size, nesting depth nor alias expansion, so this module does:
 * files over YT_MAX_BYTES, nesting deeper than YT_MAX_DEPTH, more than YT_MAX_NODES nodes, anchors,
 * aliases, explicit tags, duplicate mapping keys, non-scalar keys, UTF-16 input and a second
 * document are all refused with "file:line:col: message". The tree owns every string; yt_free
 * releases it all. Schema checks (which keys, which types) belong to the callers, not here.
 */
#ifndef ACV_YAMLTREE_H
#define ACV_YAMLTREE_H

#include "error.h"

#include <stddef.h>

#define YT_MAX_BYTES (1024 * 1024)
#define YT_MAX_DEPTH 32
#define YT_MAX_NODES 200000

typedef enum { YT_SCALAR, YT_MAP, YT_SEQ } yt_kind;

typedef struct yt_node yt_node;
struct yt_node {
    yt_kind kind;
    int line; /* 1-based */
    int col;  /* 1-based */
    /* scalars */
    char *str; /* NUL-terminated; len excludes the NUL */
    size_t len;
    int plain; /* 1 when written without quotes (so `true`/`12` may be a boolean/number) */
    /* mappings: keys[i] maps to items[i]; sequences: items[i] */
    size_t count;
    yt_node **keys;
    yt_node **items;
};

typedef struct yt_doc yt_doc;

/* Parses the file at path; messages name it as display_name (a repository-relative path). */
acv_status yt_parse_file(const char *path, const char *display_name, yt_doc **out, acv_error *err);

/* Parses a buffer; name is used in messages. */
acv_status yt_parse_buffer(const char *buf, size_t len, const char *name, yt_doc **out,
                           acv_error *err);

/* The root node, or NULL for an empty document. */
const yt_node *yt_root(const yt_doc *doc);

/* The display name given at parse time. */
const char *yt_doc_name(const yt_doc *doc);

/* Value for key in a mapping, or NULL. */
const yt_node *yt_map_get(const yt_node *map, const char *key);

void yt_free(yt_doc *doc);

#endif
