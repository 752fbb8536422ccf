/* format.c — numbers and progress classes for people, for every renderer; see format.h. */
#include "format.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void acv_format_thousands(char *s, size_t size)
{
    char *start = s + (*s == '-');
    char *dot = strchr(start, '.');
    size_t int_len = dot ? (size_t)(dot - start) : strlen(start);
    size_t commas = int_len > 3 ? (int_len - 1) / 3 : 0;
    if (!commas || strlen(s) + commas + 1 > size)
        return;
    size_t len = strlen(s);
    memmove(start + int_len + commas, start + int_len, len - (size_t)(start - s) - int_len + 1);
    char *src = start + int_len - 1, *dst = start + int_len + commas - 1;
    for (size_t digits = 0; src >= start; src--) {
        *dst-- = *src;
        if (++digits % 3 == 0 && src > start)
            *dst-- = ',';
    }
}

void acv_format_number(char *out, size_t size, double v)
{
    if (!isfinite(v)) {
        snprintf(out, size, "no data");
        return;
    }
    double a = fabs(v);
    /* sensible decimals: people read 10,500,000, 27.4, 2.35 and 0.012, not 0.012000000; past
     * ACV_FORMAT_EXPONENT_FROM an exponent ("1.23e+20"), not a label of up to 309 digits */
    if (a >= ACV_FORMAT_EXPONENT_FROM) {
        snprintf(out, size, "%.3g", v);
        return;
    }
    if (a >= 1000)
        snprintf(out, size, "%.0f", v);
    else if (a >= 10)
        snprintf(out, size, "%.1f", v);
    else if (a >= 0.1 || a == 0)
        snprintf(out, size, "%.2f", v);
    else
        snprintf(out, size, "%.2g", v);
    if (strchr(out, '.') && !strchr(out, 'e')) {
        char *end = out + strlen(out) - 1;
        while (*end == '0')
            *end-- = '\0';
        if (*end == '.')
            *end = '\0';
    }
    if (strcmp(out, "-0") == 0)
        snprintf(out, size, "0");
    acv_format_thousands(out, size);
}

void acv_format_score(char *out, size_t size, double v)
{
    if (!isfinite(v))
        snprintf(out, size, "no data");
    else
        snprintf(out, size, "%.1f", v);
}

void acv_format_decimals(char *out, size_t size, double v, int decimals)
{
    if (!isfinite(v)) {
        snprintf(out, size, "%s", "");
        return;
    }
    if (fabs(v) >= ACV_FORMAT_EXPONENT_FROM) {
        snprintf(out, size, "%.3g", v);
        return;
    }
    snprintf(out, size, "%.*f", decimals, v);
    if (strchr(out, '.')) {
        char *end = out + strlen(out) - 1;
        while (*end == '0')
            *end-- = '\0';
        if (*end == '.')
            *end = '\0';
    }
    if (strcmp(out, "-0") == 0)
        snprintf(out, size, "0");
}

void acv_format_value(char *out, size_t size, double v)
{
    if (fabs(v) >= ACV_FORMAT_EXPONENT_FROM) {
        snprintf(out, size, "%.3g", v);
        return;
    }
    snprintf(out, size, "%.2f", v);
    char *dot = strchr(out, '.');
    if (dot) {
        char *end = out + strlen(out) - 1;
        while (end > dot && *end == '0')
            *end-- = '\0';
        if (end == dot)
            *end = '\0';
    }
    if (strcmp(out, "-0") == 0)
        snprintf(out, size, "0");
}

void acv_format_population(char *out, size_t size, double v)
{
    if (v >= 1e6) {
        snprintf(out, size, "%.1f million", v / 1e6);
        return;
    }
    snprintf(out, size, "%.0f", v);
    acv_format_thousands(out, size);
}

void acv_format_progress(char *out, size_t size, const acv_vocabulary *v, const char *class_name)
{
    if (!class_name) {
        snprintf(out, size, "%s", "");
        return;
    }
    snprintf(out, size, "%s %s", acv_vocab_symbol(v, class_name), acv_vocab_label(v, class_name));
}

const char *acv_class_label(const char *class_name)
{
    return acv_vocab_label(NULL, class_name);
}

const char *acv_class_symbol(const char *class_name)
{
    return acv_vocab_symbol(NULL, class_name);
}

const char *acv_format_next_reason(const char *s, char *one, size_t size)
{
    if (!s || !*s || !size)
        return NULL;
    const char *e = strstr(s, "; ");
    size_t len = e ? (size_t)(e - s) : strlen(s);
    if (len >= size)
        len = size - 1;
    memcpy(one, s, len);
    one[len] = '\0';
    return s + len + (e ? 2 : 0);
}

void acv_format_coverage(char *out, size_t size, int n_scored, int n_total)
{
    snprintf(out, size, "provisional: %d of %d core indicator%s", n_scored, n_total,
             n_total == 1 ? "" : "s");
}
