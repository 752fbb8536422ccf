/*
 * yamlschema.h — the strict-YAML schema checks every loader shares, and the list of problems they
 * collect.
 *
 * Owns: what a framework, overlay, practice, validation-rule or answer-sheet loader says when a
 * key is unknown, missing or of the wrong type, and where it says it ("file:line:col: message",
 * the position of the offending key or value). The loaders own their formats (which keys, which
 * ranges); this module owns the wording and the bookkeeping, so that all of them speak alike and
 * report every problem of a load rather than the first. yamltree.h reads the YAML; this checks it.
 *
 * Conventions shared by the getters: a key with an empty or null value (`key:`, `key: ~`,
 * `key: null`) counts as absent; `ctx` names what is being read ("indicator EC.MSME.1") and ends
 * every message ("... in indicator EC.MSME.1"). Getters return NULL/0 when the value is absent or
 * wrong; a wrong value is always a problem, an absent one only when required.
 */
#ifndef ACV_YAMLSCHEMA_H
#define ACV_YAMLSCHEMA_H

#include "util.h"
#include "yamltree.h"

#include <stddef.h>

/* Every problem of one load, each "file:line:col: message", in the order found. */
typedef struct {
    char **items; /* owned; acv_problems_free releases them */
    size_t n, cap;
    size_t max;   /* keep at most this many (0: all); the rest are only counted in total */
    size_t total; /* problems found, kept or not */
    int oom;      /* a problem could not be kept for lack of memory */
} acv_problems;

/* Keeps a message that already carries its "file:line:col: " prefix. */
void acv_problems_add(acv_problems *p, const char *message);
void acv_problems_free(acv_problems *p);

/* Reading one file: where problems go, how the file is named, where text is copied. */
typedef struct {
    acv_problems *problems;
    const char *file; /* display name of the file being read (a repository-relative path) */
    acv_arena *arena; /* acv_ys_string and acv_ys_string_list copy into it */
    int oom;          /* a copy failed */
} acv_ys;

enum {
    ACV_YS_OPTIONAL = 0,
    ACV_YS_REQUIRED = 1,  /* absent is a problem: "missing key 'k' in CTX" */
    ACV_YS_NOT_BLANK = 2, /* text (and list items) must hold more than spaces */
};

/* Takes what yt_parse_file or yt_parse_buffer returned, and the error it filled: 1 when the file
 * was read; 0 when it is not YAML the loader can read, its message (already "file:line:col: ...")
 * kept as a problem; -1 when memory ran out (S->oom set). */
int acv_ys_parsed(acv_ys *S, acv_status st, const acv_error *yerr);

/* Records "FILE:LINE:COL: message" at node at (NULL: "FILE: message"). */
void acv_ys_problem(acv_ys *S, const yt_node *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* 1 when memory ran out: a copy failed or a problem could not be kept. */
int acv_ys_oom(const acv_ys *S);

/* "a mapping", "a list" or "a value", for "found ..." in messages. */
const char *acv_ys_kind_name(const yt_node *n);

/* An empty, `~` or `null` plain scalar. */
int acv_ys_is_null(const yt_node *n);

/* "unknown key 'k' in CTX" for every key of map not in allowed (NULL-terminated), at the key. */
void acv_ys_check_keys(acv_ys *S, const yt_node *map, const char *const *allowed, const char *ctx);

/* The scalar node under key: "'k' must be text in CTX, found a list" when it is not one. flags:
 * ACV_YS_REQUIRED, ACV_YS_NOT_BLANK ("'k' must not be empty in CTX"). */
const yt_node *acv_ys_scalar(acv_ys *S, const yt_node *map, const char *key, int flags,
                             const char *ctx);

/* The same, as text copied into S->arena. */
const char *acv_ys_string(acv_ys *S, const yt_node *map, const char *key, int flags,
                          const char *ctx);

/* 1 when node is a plain scalar holding a decimal number (values.h rules), stored in *out. */
int acv_ys_is_number(const yt_node *node, double *out);

/* A decimal number (values.h rules: no hex, inf or nan): "'k' must be a number in CTX, found 'x'".
 * Returns 1 when *out was set. */
int acv_ys_number(acv_ys *S, const yt_node *map, const char *key, int flags, double *out,
                  const char *ctx);

/* A whole number within +-1e9: "'k' must be a whole number in CTX". */
int acv_ys_int(acv_ys *S, const yt_node *map, const char *key, int flags, int *out,
               const char *ctx);

/* true or false, unquoted: "'k' must be true or false in CTX, found 'x'". */
int acv_ys_bool(acv_ys *S, const yt_node *map, const char *key, int flags, int *out,
                const char *ctx);

/* A mapping: "'k' must be a mapping in CTX, found a list". */
const yt_node *acv_ys_map(acv_ys *S, const yt_node *map, const char *key, int flags,
                          const char *ctx);

/* Text that is one of options (NULL-terminated): "'k' must be one of a, b in CTX, found 'x'". */
const char *acv_ys_enum(acv_ys *S, const yt_node *map, const char *key, int flags,
                        const char *const *options, const char *ctx);

/* A list of texts copied into S->arena; *n counts the good items (a bad item is a problem:
 * "items of 'k' must be text in CTX, found a mapping"). With ACV_YS_REQUIRED an empty list is a
 * problem too ("'k' needs at least one item in CTX"). node, when not NULL, receives the list node
 * (NULL when absent). */
const char **acv_ys_string_list(acv_ys *S, const yt_node *map, const char *key, int flags,
                                size_t *n, const yt_node **node, const char *ctx);

#endif
