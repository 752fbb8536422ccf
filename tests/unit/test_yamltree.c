/*
 * test_yamltree.c — the bounded YAML reader: the positioned tree it builds, and every refusal
 * with its exact "file:line:col: message" text.
 */
#include "testutil.h"

#include "yamltree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Parses text (of len bytes) and expects success. */
static yt_doc *parse_len(const char *text, size_t len)
{
    yt_doc *doc = NULL;
    acv_error err;
    acv_error_clear(&err);
    acv_status st = yt_parse_buffer(text, len, "t.yml", &doc, &err);
    if (st != ACV_OK)
        fprintf(stderr, "unexpected error: %s\n", err.message);
    assert_int_equal(st, ACV_OK);
    assert_non_null(doc);
    return doc;
}

static yt_doc *parse(const char *text)
{
    return parse_len(text, strlen(text));
}

/* Parses text (of len bytes), expects ACV_ERR_INPUT with exactly message, and no document. */
static void refuse_len(const char *text, size_t len, const char *message)
{
    yt_doc *doc = (yt_doc *)&doc; /* not NULL, so the test sees that the parser clears it */
    acv_error err;
    acv_error_clear(&err);
    acv_status st = yt_parse_buffer(text, len, "t.yml", &doc, &err);
    assert_int_equal(st, ACV_ERR_INPUT);
    assert_int_equal(err.status, ACV_ERR_INPUT);
    assert_null(doc);
    assert_string_equal(err.message, message);
}

static void refuse(const char *text, const char *message)
{
    refuse_len(text, strlen(text), message);
}

static void assert_scalar(const yt_node *n, int line, int col, int plain, const char *str)
{
    assert_non_null(n);
    assert_int_equal(n->kind, YT_SCALAR);
    assert_int_equal(n->line, line);
    assert_int_equal(n->col, col);
    assert_int_equal(n->plain, plain);
    assert_string_equal(n->str, str);
    assert_int_equal(n->len, strlen(str));
    assert_int_equal(n->count, 0);
}

static void assert_container(const yt_node *n, yt_kind kind, int line, int col, size_t count)
{
    assert_non_null(n);
    assert_int_equal(n->kind, kind);
    assert_int_equal(n->line, line);
    assert_int_equal(n->col, col);
    assert_int_equal(n->count, count);
    assert_null(n->str);
}

static void tree_positions(void **state)
{
    (void)state;
    const char *text = "name: acv\n"
                       "list:\n"
                       "  - 1\n"
                       "  - \"two\"\n"
                       "  - 'three'\n"
                       "nested: {k: v, q: \"x\"}\n"
                       "block: |\n"
                       "  line\n"
                       "empty:\n";
    yt_doc *doc = parse(text);
    assert_string_equal(yt_doc_name(doc), "t.yml");
    const yt_node *root = yt_root(doc);
    assert_container(root, YT_MAP, 1, 1, 5);
    assert_scalar(root->keys[0], 1, 1, 1, "name");
    assert_scalar(root->items[0], 1, 7, 1, "acv");
    assert_scalar(root->keys[1], 2, 1, 1, "list");
    const yt_node *list = root->items[1];
    assert_container(list, YT_SEQ, 3, 3, 3);
    assert_null(list->keys);
    assert_scalar(list->items[0], 3, 5, 1, "1");
    assert_scalar(list->items[1], 4, 5, 0, "two");
    assert_scalar(list->items[2], 5, 5, 0, "three");
    assert_scalar(root->keys[2], 6, 1, 1, "nested");
    const yt_node *nested = root->items[2];
    assert_container(nested, YT_MAP, 6, 9, 2);
    assert_scalar(nested->keys[0], 6, 10, 1, "k");
    assert_scalar(nested->items[0], 6, 13, 1, "v");
    assert_scalar(nested->keys[1], 6, 16, 1, "q");
    assert_scalar(nested->items[1], 6, 19, 0, "x");
    assert_scalar(root->keys[3], 7, 1, 1, "block");
    assert_scalar(root->items[3], 7, 8, 0, "line\n");
    assert_scalar(root->keys[4], 9, 1, 1, "empty");
    assert_scalar(root->items[4], 9, 7, 1, "");
    yt_free(doc);
}

static void sequence_of_mappings(void **state)
{
    (void)state;
    yt_doc *doc = parse("items:\n"
                        "  - id: A\n"
                        "    n: 2\n"
                        "  - [x, [y]]\n");
    const yt_node *items = yt_map_get(yt_root(doc), "items");
    assert_container(items, YT_SEQ, 2, 3, 2);
    const yt_node *first = items->items[0];
    assert_container(first, YT_MAP, 2, 5, 2);
    assert_scalar(yt_map_get(first, "id"), 2, 9, 1, "A");
    assert_scalar(yt_map_get(first, "n"), 3, 8, 1, "2");
    const yt_node *second = items->items[1];
    assert_container(second, YT_SEQ, 4, 5, 2);
    assert_scalar(second->items[0], 4, 6, 1, "x");
    assert_container(second->items[1], YT_SEQ, 4, 9, 1);
    assert_scalar(second->items[1]->items[0], 4, 10, 1, "y");
    yt_free(doc);
}

static void plain_and_quoted_scalars(void **state)
{
    (void)state;
    yt_doc *doc = parse("a: true\n"
                        "b: \"true\"\n"
                        "c: '12'\n"
                        "d: 12\n"
                        "e: \"say \\\"hi\\\"\\n\"\n"
                        "f: 'it''s'\n"
                        "g: caf\xC3\xA9\n");
    const yt_node *root = yt_root(doc);
    assert_scalar(yt_map_get(root, "a"), 1, 4, 1, "true");
    assert_scalar(yt_map_get(root, "b"), 2, 4, 0, "true");
    assert_scalar(yt_map_get(root, "c"), 3, 4, 0, "12");
    assert_scalar(yt_map_get(root, "d"), 4, 4, 1, "12");
    assert_scalar(yt_map_get(root, "e"), 5, 4, 0, "say \"hi\"\n");
    assert_scalar(yt_map_get(root, "f"), 6, 4, 0, "it's");
    /* columns count characters: 'é' is two bytes but one column */
    assert_scalar(yt_map_get(root, "g"), 7, 4, 1, "caf\xC3\xA9");
    yt_free(doc);
}

static void map_get(void **state)
{
    (void)state;
    yt_doc *doc = parse("a: 1\nlist: [a]\n");
    const yt_node *root = yt_root(doc);
    assert_scalar(yt_map_get(root, "a"), 1, 4, 1, "1");
    assert_null(yt_map_get(root, "b"));
    assert_null(yt_map_get(root, "A"));
    /* not a mapping: no value, even when a scalar item equals the key */
    assert_null(yt_map_get(yt_map_get(root, "list"), "a"));
    assert_null(yt_map_get(yt_map_get(root, "a"), "a"));
    assert_null(yt_map_get(NULL, "a"));
    yt_free(doc);
}

static void empty_document(void **state)
{
    (void)state;
    yt_doc *doc = parse("");
    assert_null(yt_root(doc));
    assert_string_equal(yt_doc_name(doc), "t.yml");
    yt_free(doc);
    doc = parse("# only a comment\n\n");
    assert_null(yt_root(doc));
    yt_free(doc);
    assert_null(yt_root(NULL));
    assert_string_equal(yt_doc_name(NULL), "");
    yt_free(NULL);
}

static void scalar_root(void **state)
{
    (void)state;
    yt_doc *doc = parse("--- just text\n");
    assert_scalar(yt_root(doc), 1, 5, 1, "just text");
    yt_free(doc);
}

static void utf8_bom_at_start(void **state)
{
    (void)state;
    /* a second top-level key must not look mis-indented because of the mark */
    yt_doc *doc = parse("\xEF\xBB\xBF"
                        "a: 1\n"
                        "b: 2\n");
    const yt_node *root = yt_root(doc);
    assert_container(root, YT_MAP, 1, 1, 2);
    assert_scalar(root->keys[0], 1, 1, 1, "a");
    assert_scalar(root->items[1], 2, 4, 1, "2");
    yt_free(doc);
    refuse("\xEF\xBB\xBF"
           "a: ok\n"
           "b: caf\xE9\n",
           "t.yml:2:7: incomplete UTF-8 octet sequence");
}

static void duplicate_key(void **state)
{
    (void)state;
    refuse("a: 1\n"
           "b:\n"
           "  c: 2\n"
           "  d: 3\n"
           "  c: 4\n",
           "t.yml:5:3: duplicate key 'c' (first at line 3)");
    /* three times: the second is reported, against the first */
    refuse("k: 1\nk: 2\nk: 3\n", "t.yml:2:1: duplicate key 'k' (first at line 1)");
    refuse("x: {k: 1, j: 2, k: 3}\n", "t.yml:1:17: duplicate key 'k' (first at line 1)");
    /* quoting does not make a key different */
    refuse("id: 1\n\"id\": 2\n", "t.yml:2:1: duplicate key 'id' (first at line 1)");
    /* the same key in two different mappings is fine */
    yt_doc *doc = parse("- id: 1\n- id: 2\n");
    assert_int_equal(yt_root(doc)->count, 2);
    yt_free(doc);
}

static void alias_refused(void **state)
{
    (void)state;
    refuse("a: 1\nb: *x\n", "t.yml:2:4: aliases ('*x') are not allowed; write the value out");
}

static void anchor_refused(void **state)
{
    (void)state;
    refuse("a: &x 1\nb: *x\n", "t.yml:1:4: anchors ('&x') are not allowed; write the value out");
    refuse("list:\n  - &item [1]\n",
           "t.yml:2:5: anchors ('&item') are not allowed; write the value out");
    refuse("m: &m {a: 1}\n", "t.yml:1:4: anchors ('&m') are not allowed; write the value out");
}

static void tag_refused(void **state)
{
    (void)state;
    refuse("a: !!str x\n", "t.yml:1:4: tags ('tag:yaml.org,2002:str') are not allowed");
    refuse("a: 1\nb: !local {c: 1}\n", "t.yml:2:4: tags ('!local') are not allowed");
    refuse("- !!seq [1]\n", "t.yml:1:3: tags ('tag:yaml.org,2002:seq') are not allowed");
}

static void second_document_refused(void **state)
{
    (void)state;
    refuse("a: 1\n---\nb: 2\n", "t.yml:2:1: a second YAML document; one file holds one document");
    refuse("---\na: 1\n...\n---\nb: 2\n",
           "t.yml:4:1: a second YAML document; one file holds one document");
    /* one explicit document is fine */
    yt_doc *doc = parse("---\na: 1\n...\n");
    assert_scalar(yt_map_get(yt_root(doc), "a"), 2, 4, 1, "1");
    yt_free(doc);
}

static void flow_nesting_too_deep(void **state)
{
    (void)state;
    char text[128];
    memset(text, '[', 40);
    memset(text + 40, ']', 40);
    strcpy(text + 80, "\n");
    refuse(text, "t.yml:1:33: nesting deeper than 32 levels");

    /* exactly YT_MAX_DEPTH levels is accepted */
    memset(text, '[', YT_MAX_DEPTH);
    memset(text + YT_MAX_DEPTH, ']', YT_MAX_DEPTH);
    strcpy(text + 2 * YT_MAX_DEPTH, "\n");
    yt_doc *doc = parse(text);
    const yt_node *n = yt_root(doc);
    int levels = 0;
    while (n) {
        assert_int_equal(n->kind, YT_SEQ);
        levels++;
        assert_int_equal(n->col, levels);
        n = n->count ? n->items[0] : NULL;
    }
    assert_int_equal(levels, YT_MAX_DEPTH);
    yt_free(doc);
}

static void block_nesting_too_deep(void **state)
{
    (void)state;
    /* k0:\n  k1:\n    k2: ... every key opens one more mapping */
    char text[4096] = "";
    size_t len = 0;
    for (int i = 0; i < 40; i++)
        len += (size_t)snprintf(text + len, sizeof text - len, "%*sk%d:\n", 2 * i, "", i);
    snprintf(text + len, sizeof text - len, "%*sv\n", 80, "");
    /* the 33rd mapping starts at key k32, on line 33 after 64 spaces */
    refuse(text, "t.yml:33:65: nesting deeper than 32 levels");
}

static void non_scalar_key_refused(void **state)
{
    (void)state;
    refuse("? [a]\n: b\n", "t.yml:1:3: a mapping key must be a plain value");
    refuse("{[a]: b}\n", "t.yml:1:2: a mapping key must be a plain value");
    refuse("x:\n  ? {k: v}\n  : b\n", "t.yml:2:5: a mapping key must be a plain value");
}

static void utf16_refused(void **state)
{
    (void)state;
    static const char le[] = "\xFF\xFE"
                             "a\0:\0 \0001\0\n\0";
    refuse_len(le, sizeof le - 1, "t.yml:1:1: file is UTF-16; save it as UTF-8");
    static const char be[] = "\xFE\xFF"
                             "\0a\0:\0 \0001\0\n";
    refuse_len(be, sizeof be - 1, "t.yml:1:1: file is UTF-16; save it as UTF-8");
    /* without a byte order mark, UTF-16 text is full of NUL bytes */
    static const char bare[] = "a\0:\0 \0001\0\n\0";
    refuse_len(bare, sizeof bare - 1, "t.yml: file contains a NUL byte");
}

static void nul_byte_refused(void **state)
{
    (void)state;
    static const char text[] = "a: 1\nb: x\0y\n";
    refuse_len(text, sizeof text - 1, "t.yml: file contains a NUL byte");
}

static void invalid_utf8_refused(void **state)
{
    (void)state;
    /* positioned at the bad byte, not at 1:1 */
    refuse("a: ok\nb: caf\xE9\n", "t.yml:2:7: incomplete UTF-8 octet sequence");
    refuse("a: ok\nb\xC3\xA9: x\x01y\n", "t.yml:2:6: control characters are not allowed");
    refuse("\xFFx: 1\n", "t.yml:1:1: invalid leading UTF-8 octet");
}

static void too_large_buffer(void **state)
{
    (void)state;
    size_t len = YT_MAX_BYTES + 1;
    char *text = malloc(len + 1);
    assert_non_null(text);
    text[0] = '#';
    memset(text + 1, 'x', len - 2);
    text[len - 1] = '\n';
    text[len] = '\0';
    refuse_len(text, len, "t.yml: file is 1048577 bytes; YAML files may be at most 1048576 bytes");
    /* one byte less is exactly the limit, and is read */
    text[len - 2] = '\n';
    yt_doc *doc = parse_len(text, len - 1);
    assert_null(yt_root(doc));
    yt_free(doc);
    free(text);
}

static void too_many_nodes(void **state)
{
    (void)state;
    /* [0,0,...,0] with 200001 scalars: the sequence and 200000 scalars fit, the next does not */
    size_t n = YT_MAX_NODES + 1;
    char *text = malloc(2 * n + 3);
    assert_non_null(text);
    size_t len = 0;
    text[len++] = '[';
    for (size_t i = 0; i < n; i++) {
        text[len++] = '0';
        text[len++] = i + 1 < n ? ',' : ']';
    }
    text[len++] = '\n';
    text[len] = '\0';
    refuse(text, "t.yml:1:400000: more than 200000 YAML nodes");
    /* two scalars fewer: exactly YT_MAX_NODES nodes */
    len = 0;
    text[len++] = '[';
    for (size_t i = 0; i < n - 2; i++) {
        text[len++] = '0';
        text[len++] = i + 3 < n ? ',' : ']';
    }
    text[len] = '\0';
    yt_doc *doc = parse(text);
    assert_int_equal(yt_root(doc)->count, YT_MAX_NODES - 1);
    yt_free(doc);
    free(text);
}

static void syntax_errors(void **state)
{
    (void)state;
    refuse("a: [1, 2\nb: 3\n",
           "t.yml:2:2: did not find expected ',' or ']' while parsing a flow sequence");
    refuse("a: \"abc\n",
           "t.yml:2:1: found unexpected end of stream while scanning a quoted scalar");
    refuse("a:\n  b: 1\n c: 2\n",
           "t.yml:3:2: did not find expected key while parsing a block mapping");
}

static void tab_indentation(void **state)
{
    (void)state;
    /* libyaml says "found character that cannot start any token", "a tab character that
     * violates indentation" or "where an indentation space is expected", depending on where the
     * tab is; all of them become one message at the tab's own line and column */
    refuse("a:\n\tb: 1\n",
           "t.yml:2:1: tab characters are not allowed for indentation (line 2, column 1)");
    refuse("a:\n  b: 1\n\tc: 2\n",
           "t.yml:3:1: tab characters are not allowed for indentation (line 3, column 1)");
    /* after two spaces: the third column */
    refuse("a:\n  b: 1\n  \tc: 2\n",
           "t.yml:3:3: tab characters are not allowed for indentation (line 3, column 3)");
    refuse("a:\n  - x\n\t- y\n",
           "t.yml:3:1: tab characters are not allowed for indentation (line 3, column 1)");
    refuse("a:\n  b: |\n    x\n\ty\n",
           "t.yml:4:1: tab characters are not allowed for indentation (line 4, column 1)");
    /* after a byte order mark, which is not a column */
    refuse("\xEF\xBB\xBF"
           "a:\n\t- 1\n",
           "t.yml:2:1: tab characters are not allowed for indentation (line 2, column 1)");
    /* a tab that is not indentation is fine: between a key and its value, inside a flow
     * collection, inside a quoted scalar */
    yt_free(parse("a:\tb\nc: [1,\n\t2]\nd: \"x\n\ty\"\n"));
    /* and a syntax error on a line indented with spaces keeps libyaml's words */
    refuse("a:\n  b: 1\n c: 2\n",
           "t.yml:3:2: did not find expected key while parsing a block mapping");
}

static void billion_laughs_refused(void **state)
{
    (void)state;
    /* ten levels of nine aliases each: 9^10 "lol"s if expanded */
    char text[1024];
    size_t len =
        (size_t)snprintf(text, sizeof text, "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n");
    for (int i = 1; i < 10; i++) {
        char p = (char)('a' + i - 1), c = (char)('a' + i);
        len += (size_t)snprintf(text + len, sizeof text - len,
                                "%c: &%c [*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c]\n", c, c, p, p, p, p,
                                p, p, p, p, p);
    }
    assert_true(len > 350 && len < 450);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    refuse(text, "t.yml:1:4: anchors ('&a') are not allowed; write the value out");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    assert_true(seconds < 1.0);
    /* aliases alone (no anchor to expand) are refused at the first one */
    refuse("b: [*a,*a]\n", "t.yml:1:5: aliases ('*a') are not allowed; write the value out");
}

static void parse_file(void **state)
{
    (void)state;
    const char *dir = acv_test_tmpdir("yamltree");
    char *path = acv_test_write(dir, "ok.yml", "a: [1, 2]\n");
    yt_doc *doc = NULL;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(yt_parse_file(path, "indicators/ok.yml", &doc, &err), ACV_OK);
    assert_string_equal(yt_doc_name(doc), "indicators/ok.yml");
    assert_int_equal(yt_map_get(yt_root(doc), "a")->count, 2);
    yt_free(doc);
    free(path);

    path = acv_test_write(dir, "dup.yml", "a: 1\na: 2\n");
    assert_int_equal(yt_parse_file(path, "indicators/dup.yml", &doc, &err), ACV_ERR_INPUT);
    assert_null(doc);
    assert_string_equal(err.message, "indicators/dup.yml:2:1: duplicate key 'a' (first at line 1)");
    free(path);

    char missing[600];
    snprintf(missing, sizeof missing, "%s/missing.yml", dir);
    assert_int_equal(yt_parse_file(missing, "missing.yml", &doc, &err), ACV_ERR_IO);
    assert_null(doc);
    assert_string_equal(err.message, "missing.yml: cannot open: No such file or directory");

    char *big = malloc(YT_MAX_BYTES + 2);
    assert_non_null(big);
    memset(big, '#', YT_MAX_BYTES + 1);
    big[YT_MAX_BYTES + 1] = '\0';
    path = acv_test_write(dir, "big.yml", big);
    free(big);
    assert_int_equal(yt_parse_file(path, "big.yml", &doc, &err), ACV_ERR_INPUT);
    assert_null(doc);
    assert_string_equal(
        err.message, "big.yml: file is larger than 1048576 bytes; YAML files may be at most that");
    free(path);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(tree_positions),
    cmocka_unit_test(sequence_of_mappings),
    cmocka_unit_test(plain_and_quoted_scalars),
    cmocka_unit_test(map_get),
    cmocka_unit_test(empty_document),
    cmocka_unit_test(scalar_root),
    cmocka_unit_test(utf8_bom_at_start),
    cmocka_unit_test(duplicate_key),
    cmocka_unit_test(alias_refused),
    cmocka_unit_test(anchor_refused),
    cmocka_unit_test(tag_refused),
    cmocka_unit_test(second_document_refused),
    cmocka_unit_test(flow_nesting_too_deep),
    cmocka_unit_test(block_nesting_too_deep),
    cmocka_unit_test(non_scalar_key_refused),
    cmocka_unit_test(utf16_refused),
    cmocka_unit_test(nul_byte_refused),
    cmocka_unit_test(invalid_utf8_refused),
    cmocka_unit_test(too_large_buffer),
    cmocka_unit_test(too_many_nodes),
    cmocka_unit_test(syntax_errors),
    cmocka_unit_test(tab_indentation),
    cmocka_unit_test(billion_laughs_refused),
    cmocka_unit_test(parse_file),
};

ACV_TEST_MAIN("yamltree", tests)
