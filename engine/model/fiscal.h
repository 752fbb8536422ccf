/*
 * fiscal.h — countries' fiscal (budget) years, declared in YAML (indicators/calendars/
 * fiscal-years.yml, or an overlay's copy), and how a fiscal year maps to the year the framework
 * scores.
 *
 * Owns: the loader of that file (strict, every problem "file:line:col: message") and the one
 * mapping rule: a fiscal year is scored as the calendar year that holds most of its months (seven
 * or more: the start year when it starts in January to June, else the year after). Labels: a
 * country's `label` says whether "FY2024" names the year the fiscal year starts or ends in;
 * "FY2023/24" names both. A fiscal year before a country's first rule or in a transition between
 * two rules is refused, naming the rules. docs/calendars.md has the rules and their sources.
 */
#ifndef ACV_FISCAL_H
#define ACV_FISCAL_H

#include "calendar.h"
#include "error.h"
#include "util.h"
#include "yamlschema.h"

typedef struct {
    int from;  /* year * 12 + month - 1 of the month the first fiscal year under the rule starts */
    int until; /* the same for the last one; -1: up to the next rule (or open) */
    int start_month; /* 1: the calendar year */
    const char *source;
    int line;
} acv_fiscal_rule;

typedef struct {
    const char *country; /* ISO 3166-1 alpha-2 */
    const char *name;
    int label_end; /* "FY2024" ends in 2024 (else: starts in 2024) */
    acv_fiscal_rule *rules;
    size_t n_rules;
} acv_fiscal_country;

typedef struct {
    acv_arena arena;
    acv_fiscal_country *countries;
    size_t n;
    const char *file; /* as named in messages */
} acv_fiscal_table;

/* Reads the file (display names it in messages). Every problem goes to problems; returns
 * ACV_ERR_INPUT with the first of them in err when there is any. On success *out is the table
 * (acv_fiscal_free releases it). */
acv_status acv_fiscal_load(const char *path, const char *display, acv_fiscal_table **out,
                           acv_problems *problems, acv_error *err);
void acv_fiscal_free(acv_fiscal_table *t);

const acv_fiscal_country *acv_fiscal_country_find(const acv_fiscal_table *t, const char *country);

typedef struct {
    int start_year, start_month; /* the first month of the fiscal year */
    int end_year, end_month;     /* its last month */
    int scored;                  /* the calendar year the framework scores it as */
} acv_fiscal_year;

/* The fiscal year p names in country (p in CE years: ACV_RAW_FY or ACV_RAW_FY_SPAN; a plain year
 * is read as ACV_RAW_FY, for an indicator measured per fiscal year). Returns 1 and fills *out, or
 * 0 with why filled (no rule for the country, a fiscal year outside its rules, a span for a
 * country whose fiscal year is the calendar year). */
int acv_fiscal_map(const acv_fiscal_table *t, const char *country, const acv_raw_period *p,
                   acv_fiscal_year *out, char *why, size_t size);

#endif
