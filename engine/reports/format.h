/*
 * format.h — how every renderer writes numbers and progress classes for people: one place for
 * decimals, thousands separators and population figures, and for a class's symbol and words,
 * which come from the vocabulary the run was scored with (vocabulary.h). Escaping is the
 * renderers' own: one escaper per format, beside the format's renderer (Markdown and HTML), in
 * util.h (JSON) and csvwrite.h (CSV).
 */
#ifndef ACV_FORMAT_H
#define ACV_FORMAT_H

#include "vocabulary.h"

#include <stddef.h>

/* From this magnitude on, numbers are written with an exponent ("1e+16"): more than the 1e15
 * an import accepts unless a range rule declares more (import.h), and past it digits in full
 * would make labels hundreds of characters wide. */
#define ACV_FORMAT_EXPONENT_FROM 1e16

/* A number for people: sensible decimals and thousands separators ("10,500,000", "27.4",
 * "0.35"), an exponent from ACV_FORMAT_EXPONENT_FROM ("1.23e+20"); "no data" for NaN or
 * infinity. */
void acv_format_number(char *out, size_t size, double v);
/* A value as the Markdown tables write it: up to two decimals, no trailing zeros ("0.1", "27.4",
 * "10500000"), an exponent from ACV_FORMAT_EXPONENT_FROM. */
void acv_format_value(char *out, size_t size, double v);
/* A score out of 100 for people: one decimal ("69.9", "100.0"). */
void acv_format_score(char *out, size_t size, double v);
/* A number for files read by programs (CSV, JSON of comparisons): at most `decimals` decimals,
 * trailing zeros dropped, no thousands separators ("69.99", "11145962", "0"); an exponent from
 * ACV_FORMAT_EXPONENT_FROM; "" for NaN or infinity. */
void acv_format_decimals(char *out, size_t size, double v, int decimals);
/* A population for a header: "11.1 million" from a million up, in full below ("850,000"). */
void acv_format_population(char *out, size_t size, double v);
/* Inserts thousands separators into the integer part of a plain decimal number in s. */
void acv_format_thousands(char *s, size_t size);

/* A progress class as reports write it, its symbol and its words ("↓ Moving away from the
 * target"), from the run's vocabulary (NULL: the fallback); "" for NULL. */
void acv_format_progress(char *out, size_t size, const acv_vocabulary *v, const char *class_name);

/* The reasons of a priority are stored "; "-separated in one note: copies the first reason of s
 * into one (cut to size) and returns where the next starts; NULL when s (may be NULL) has none
 * left. The one reader of that list for every renderer. */
const char *acv_format_next_reason(const char *s, char *one, size_t size);

/* What a provisional score rests on, as every renderer marks it: "provisional: 18 of 55 core
 * indicators" (n_scored of n_total applicable core indicators have a score). */
void acv_format_coverage(char *out, size_t size, int n_scored, int n_total);

/* The label and symbol of a class in the fallback vocabulary, for callers that have no run (the
 * plugin API's results); a renderer of a run uses acv_vocab_label/acv_vocab_symbol with the run's
 * vocabulary instead. */
const char *acv_class_label(const char *class_name);
const char *acv_class_symbol(const char *class_name);

#endif
