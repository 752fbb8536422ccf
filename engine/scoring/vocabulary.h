/*
 * vocabulary.h — the progress-class vocabulary of a scoring run: for each class a method can give
 * (on_track, deterioration, green, ...) its symbol, traffic-light colour, plain-words label and the
 * methods that give it.
 *
 * The one source is the table VOCABULARY in scripts/methods/progress.lua, where the methods live.
 * The scorer reads it from the Lua state (luavocab.h), turns it into a body text (below) and
 * stores the body with each run (storage.h: class_vocabularies, runs.vocabulary_id); reports parse
 * the stored body, so an old run renders with the words and symbols it was scored with even after
 * a method's table changed. Runs stored before vocabularies were stored have none: they render with
 * the built-in fallback, the table the reports used before (the only copy kept in C).
 *
 * Body text: the first line "acvtrack-class-vocabulary/1", then one line per class,
 * "class TAB symbol TAB colour TAB methods TAB label", in the Lua table's order; no field holds a
 * tab or a newline. The hash stored beside it is the SHA-256 of the body.
 */
#ifndef ACV_VOCABULARY_H
#define ACV_VOCABULARY_H

#include "error.h"
#include "util.h"

#define ACV_VOCABULARY_HEADER "acvtrack-class-vocabulary/1"

typedef struct {
    const char *code;    /* "on_track" */
    const char *symbol;  /* "↑" */
    const char *colour;  /* "green", "yellow", "orange", "red" or "grey" */
    const char *methods; /* space-separated: "escap_csi opensdg sdsn_trend" */
    const char *label;   /* "On track" */
} acv_class_entry;

typedef struct {
    const acv_class_entry *entries;
    size_t n;
    acv_arena arena; /* owns entries and their strings (empty for the fallback) */
} acv_vocabulary;

/* Appends one class line to a body being built (after acv_vocab_body_start). A field holding a tab
 * or newline, or an empty code, is an ACV_ERR_SCRIPT error naming the class and the field. */
void acv_vocab_body_start(acv_buf *body);
acv_status acv_vocab_body_add(acv_buf *body, const acv_class_entry *e, acv_error *err);

/* Parses a stored body; a malformed one is an ACV_ERR_STORAGE error naming its line. Free the
 * result with acv_vocab_free. */
acv_status acv_vocab_parse(const char *body, acv_vocabulary **out, acv_error *err);
void acv_vocab_free(acv_vocabulary *v);

/* The vocabulary of runs stored without one (static; never freed). */
const acv_vocabulary *acv_vocab_fallback(void);

/* The entry of a class, or NULL. v NULL means the fallback. */
const acv_class_entry *acv_vocab_find(const acv_vocabulary *v, const char *code);
/* Label of a class; the code itself when unknown, "" for NULL. */
const char *acv_vocab_label(const acv_vocabulary *v, const char *code);
/* Symbol of a class; "" when unknown or NULL. */
const char *acv_vocab_symbol(const acv_vocabulary *v, const char *code);
/* Colour of a class; "grey" when unknown or NULL. */
const char *acv_vocab_colour(const acv_vocabulary *v, const char *code);
/* 1 for a class that asks for action: one whose symbol is ➚ (too slow), → (stagnating or
 * limited) or ↓ (moving away). */
int acv_vocab_off_track(const acv_vocabulary *v, const char *code);

#endif
