/* calendar.c — local calendars and fiscal-year texts; see calendar.h and docs/calendars.md. */
#include "calendar.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    const char *name;
    const char *why; /* NULL: supported; else why it is refused */
} calendar_name;

static const calendar_name NAMES[] = {
    {"ce", NULL},
    {"be-th", NULL},
    {"me-mm", NULL},
    {"be-kh",
     "Cambodia's Buddhist Era is not supported: its offset from the Common Era (544, changing at "
     "Visak Bochea in April or May, by some accounts) has not been verified from an official "
     "Cambodian source (see docs/calendars.md); convert the years to CE first"},
    {"be-la",
     "Lao PDR's Buddhist Era is not supported: official Lao statistics and budgets use CE years, "
     "and no official source for a Lao Buddhist Era offset was found (see docs/calendars.md); "
     "convert the years to CE first"},
};

int acv_calendar_find(const char *name, acv_calendar *out, char *why, size_t size)
{
    for (size_t i = 0; i < sizeof NAMES / sizeof *NAMES; i++)
        if (strcmp(NAMES[i].name, name) == 0) {
            if (NAMES[i].why) {
                snprintf(why, size, "%s", NAMES[i].why);
                return 0;
            }
            *out = i == 0 ? ACV_CAL_CE : i == 1 ? ACV_CAL_BE_TH : ACV_CAL_ME_MM;
            return 1;
        }
    snprintf(why, size,
             "unknown calendar '%.40s' (known: ce, be-th for Thailand's Buddhist Era, me-mm for "
             "the Myanmar Era)",
             name);
    return 0;
}

const char *acv_calendar_name(acv_calendar cal)
{
    return cal == ACV_CAL_BE_TH ? "be-th" : cal == ACV_CAL_ME_MM ? "me-mm" : "ce";
}

const char *acv_calendar_label(acv_calendar cal)
{
    return cal == ACV_CAL_BE_TH ? "BE" : cal == ACV_CAL_ME_MM ? "ME" : "";
}

int acv_calendar_to_ce(acv_calendar cal, int year)
{
    switch (cal) {
    case ACV_CAL_BE_TH:
        return year - 543;
    case ACV_CAL_ME_MM:
        return year + 638;
    case ACV_CAL_CE:
        break;
    }
    return year;
}

int acv_calendar_from_ce(acv_calendar cal, int ce)
{
    switch (cal) {
    case ACV_CAL_BE_TH:
        return ce + 543;
    case ACV_CAL_ME_MM:
        return ce - 638;
    case ACV_CAL_CE:
        break;
    }
    return ce;
}

/* Julian day number of a Gregorian date (the day that starts at noon of it). */
static long julian_day(int y, int m, int d)
{
    long a = (14 - m) / 12;
    long yy = (long)y + 4800 - a;
    long mm = m + 12 * a - 3;
    return d + (153 * mm + 2) / 5 + 365 * yy + yy / 4 - yy / 100 + yy / 400 - 32045;
}

int acv_myanmar_era_year(int y, int m, int d, int *me)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > days[m - 1] + (m == 2 && leap))
        return 0;
    /* the atat time of ME year Y is SY * Y + MO (Julian date, Myanmar local time): SY the solar
     * year of the Myanmar calendar, MO the epoch fitted to published calendars (Yan Naing Aye,
     * after Irwin 1909); a day belongs to the year whose atat time is before its start */
    const double SY = 1577917828.0 / 4320000.0;
    const double MO = 1954168.050623;
    double start = (double)julian_day(y, m, d) - 0.5;
    *me = (int)floor((start - MO) / SY);
    return 1;
}

static int four_digits(const char *s, int *out)
{
    for (int i = 0; i < 4; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    *out = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    return 1;
}

int acv_raw_period_parse(const char *text, acv_raw_period *out, char *why, size_t size)
{
    int y;
    if (four_digits(text, &y) && text[4] == '\0') {
        *out = (acv_raw_period){ACV_RAW_YEAR, y, 0};
        return 1;
    }
    if (!((text[0] == 'F' || text[0] == 'f') && (text[1] == 'Y' || text[1] == 'y')))
        return 0;
    const char *p = text + 2;
    if (*p == ' ')
        p++;
    if (!four_digits(p, &y)) {
        snprintf(why, size, "'%.40s' is not a fiscal year like FY2024, FY2023/24 or FY2023-24",
                 text);
        return 0;
    }
    p += 4;
    if (*p == '\0') {
        *out = (acv_raw_period){ACV_RAW_FY, y, 0};
        return 1;
    }
    if (*p != '/' && *p != '-') {
        snprintf(why, size, "'%.40s' is not a fiscal year like FY2024, FY2023/24 or FY2023-24",
                 text);
        return 0;
    }
    p++;
    size_t n = strlen(p);
    int end = -1;
    if (n == 2 && isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]))
        end = y / 100 * 100 + (p[0] - '0') * 10 + (p[1] - '0');
    else if (n == 4 && !four_digits(p, &end))
        end = -1;
    if (n == 2 && end >= 0 && end < y) /* FY1999/00 */
        end += 100;
    if (end < 0) {
        snprintf(why, size, "'%.40s' is not a fiscal year like FY2024, FY2023/24 or FY2023-24",
                 text);
        return 0;
    }
    if (end != y + 1) {
        snprintf(why, size,
                 "'%.40s' is not a fiscal year: the years it names (%d and %d) must follow each "
                 "other",
                 text, y, end);
        return 0;
    }
    *out = (acv_raw_period){ACV_RAW_FY_SPAN, y, end};
    return 1;
}
