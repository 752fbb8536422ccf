/*
 * fuzz_yaml.c — libFuzzer harness for the bounded YAML reader (engine/base/yamltree.h).
 *
 * The bytes are one YAML buffer. Besides the sanitizers, the oracle is the reader's contract: a
 * tree that loads is no deeper than YT_MAX_DEPTH and has at most YT_MAX_NODES nodes, scalars
 * are NUL-terminated at their length, mappings have scalar keys that yt_map_get finds, positions
 * are 1-based; a refusal names the buffer.
 */
#include "yamltree.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t walk(const yt_node *n, int depth)
{
    if (depth > YT_MAX_DEPTH + 1 || n->line < 1 || n->col < 1)
        abort();
    size_t count = 1;
    if (n->kind == YT_SCALAR) {
        if (!n->str || strlen(n->str) > n->len)
            abort();
        return count;
    }
    for (size_t i = 0; i < n->count; i++) {
        if (n->kind == YT_MAP) {
            const yt_node *k = n->keys[i];
            if (k->kind != YT_SCALAR)
                abort();
            /* keys are unique, so the lookup finds this very item (a key with a NUL inside
             * cannot be asked for by a C string) */
            if (strlen(k->str) == k->len && yt_map_get(n, k->str) != n->items[i])
                abort();
            count += walk(k, depth + 1);
        }
        count += walk(n->items[i], depth + 1);
    }
    return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    yt_doc *doc = NULL;
    acv_error err;
    acv_error_clear(&err);
    if (yt_parse_buffer((const char *)data, size, "fuzz.yml", &doc, &err) != ACV_OK) {
        if (strstr(err.message, "fuzz.yml") == NULL)
            abort();
        yt_free(doc);
        return 0;
    }
    const yt_node *root = yt_root(doc);
    if (root && walk(root, 1) > (size_t)YT_MAX_NODES * 2)
        abort();
    yt_free(doc);
    return 0;
}
