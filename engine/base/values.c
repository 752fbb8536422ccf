/* values.c — numbers and periods as text; see values.h. */
#include "values.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int acv_parse_number(const char *s, double *out)
{
    while (*s == ' ')
        s++;
    if (!*s)
        return 0;
    /* strtod alone would take hex, "inf" and "nan" */
    for (const char *p = s; *p; p++)
        if (!(isdigit((unsigned char)*p) || *p == '.' || *p == '-' || *p == '+' || *p == 'e' ||
              *p == 'E' || *p == ' '))
            return 0;
    char *end;
    errno = 0;
    double d = strtod(s, &end);
    while (*end == ' ')
        end++;
    if (*end || errno == ERANGE || !isfinite(d))
        return 0;
    *out = d;
    return 1;
}

int acv_period_parse(const char *text, acv_period *out)
{
    for (int i = 0; i < 4; i++)
        if (!isdigit((unsigned char)text[i]))
            return 0;
    if (text[4] != '\0')
        return 0;
    int year =
        (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
    if (year < 1900 || year > 2100)
        return 0;
    out->kind = ACV_PERIOD_YEAR;
    out->year = year;
    out->sub = 0;
    return 1;
}

void acv_period_previous(const acv_period *p, char *out, size_t size)
{
    snprintf(out, size, "%04d", p->year - 1);
}
