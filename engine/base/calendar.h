/*
 * calendar.h — the year-counting calendars of South-East Asia and the text forms of fiscal years.
 *
 * Owns: which local calendars an input may be written in (`--calendar NAME`, an area's default),
 * how a year of each converts to and from the Common Era (CE), the Myanmar Era year of a date, and
 * how the period texts "FY2024", "FY2023/24" and "FY2023-24" read. It knows nothing of countries'
 * budget rules: which months a fiscal year covers is declared in YAML (model/fiscal.h). Every rule
 * and its source: docs/calendars.md.
 */
#ifndef ACV_CALENDAR_H
#define ACV_CALENDAR_H

#include <stddef.h>

typedef enum {
    ACV_CAL_CE,    /* the Common Era (Gregorian years): what is stored */
    ACV_CAL_BE_TH, /* Thailand's Buddhist Era: BE = CE + 543, years from 1 January since 1941 */
    ACV_CAL_ME_MM, /* the Myanmar Era: ME year Y runs from the Myanmar new year (mid-April) of CE
                    * Y + 638 to the one of CE Y + 639 */
} acv_calendar;

/* The calendar named (ce, be-th, me-mm). Returns 1 and sets *out; otherwise 0 with why filled: an
 * unknown name, or a calendar whose offset acvtrack has not verified from an official source
 * (be-kh, be-la), which it refuses rather than guess. */
int acv_calendar_find(const char *name, acv_calendar *out, char *why, size_t size);

/* The calendar's name as --calendar takes it, and how years of it are labelled ("BE", "ME", ""). */
const char *acv_calendar_name(acv_calendar cal);
const char *acv_calendar_label(acv_calendar cal);

/* The CE year a year of cal stands for (for me-mm: the CE year in which the ME year begins, which
 * holds eight and a half of its twelve months). */
int acv_calendar_to_ce(acv_calendar cal, int year);

/* The year of cal shown for CE year ce (the inverse of acv_calendar_to_ce). */
int acv_calendar_from_ce(acv_calendar cal, int ce);

/* The Myanmar Era year that the Gregorian date y-m-d falls in: the year begins on the day after
 * the atat time (the end of Thingyan) computed from the Myanmar Calendar Advisory Board's solar
 * year (docs/calendars.md). Returns 0 for a date that is not a valid Gregorian date. */
int acv_myanmar_era_year(int y, int m, int d, int *me);

/*
 * A period as written, before any calendar or fiscal rule is applied. Years are in the file's
 * calendar (2567 in a Thai file). "2024" is a year; "FY2024" a fiscal year named by one year
 * (which one, start or end, is the country's labelling rule); "FY2023/24", "FY2023-24" and
 * "FY2023/2024" a fiscal year named by the years it starts and ends in. A short second year
 * takes the century of the first. "FY" may be lower case and followed by a space.
 */
typedef enum { ACV_RAW_YEAR, ACV_RAW_FY, ACV_RAW_FY_SPAN } acv_raw_period_kind;

typedef struct {
    acv_raw_period_kind kind;
    int year;     /* the year, or the one year of "FY2024", or the first of a span */
    int end_year; /* a span's second year (year + 1); else 0 */
} acv_raw_period;

/* Returns 1 when text has one of the forms above (years of four digits; a span's years
 * consecutive), else 0 with why filled when it looked like a fiscal year. */
int acv_raw_period_parse(const char *text, acv_raw_period *out, char *why, size_t size);

#endif
