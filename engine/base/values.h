/*
 * values.h — the text forms of numbers and periods that every input accepts.
 *
 * Owns: what counts as a number in a CSV cell, a YAML value or an area's population (decimal
 * only: no hex, inf, nan or thousands separators), and what counts as a period. Imports,
 * validation rules, area lists and the YAML schema helper all ask here, so that "is this a
 * number" and "which year is this" have one answer.
 */
#ifndef ACV_VALUES_H
#define ACV_VALUES_H

#include <stddef.h>

/* Parses a decimal number the way imports accept it (no hex, inf, nan or thousands separators;
 * spaces around it are allowed). Returns 1 on success; *out is untouched on failure. */
int acv_parse_number(const char *s, double *out);

/*
 * Periods. Every period is text that starts with its four-digit year, so that the year can be read
 * from any of them and text order is time order within a kind. Only years are accepted today;
 * the model leaves room for quarters ("2025-Q1"), months ("2025-M03") and fiscal years
 * ("2025-FY", labelled by the year it ends in) without changing stored data.
 */
typedef enum { ACV_PERIOD_YEAR } acv_period_kind;

typedef struct {
    acv_period_kind kind;
    int year; /* 1900-2100 */
    int sub;  /* quarter or month later; 0 for a year */
} acv_period;

/* Returns 1 when text is a period acvtrack accepts. */
int acv_period_parse(const char *text, acv_period *out);

/* The period before p, as text (e.g. "2024" for "2025"). */
void acv_period_previous(const acv_period *p, char *out, size_t size);

#endif
