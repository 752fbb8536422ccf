/*
 * fuzz_csv.c — libFuzzer harness for the CSV reader (engine/base/csv.h).
 *
 * The first byte chooses the separator (',', ';', tab or detection), the rest is the file. Every
 * record is read to the end or to the first error; the oracle, besides the sanitizers, is the
 * reader's own contract: fields are NUL-terminated at their length with no NUL inside, a record
 * has at most ACV_CSV_MAX_COLUMNS fields of at most ACV_CSV_MAX_FIELD bytes, lines only grow, and
 * an error names the file.
 */
#include "csv.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char seps[4] = {',', ';', '\t', ACV_CSV_DETECT};
    if (size < 1)
        return 0;
    char sep = seps[data[0] % 4];
    data++;
    size--;
    /* fmemopen refuses a zero-length buffer: give it one byte it never reads */
    FILE *fp = fmemopen(size ? (void *)data : (void *)"", size ? size : 1, "r");
    if (!fp)
        return 0;
    if (!size)
        (void)fgetc(fp);
    acv_csv *c = NULL;
    acv_error err;
    acv_error_clear(&err);
    if (acv_csv_open_stream(fp, "fuzz.csv", &c, &err) != ACV_OK) {
        fclose(fp);
        return 0;
    }
    acv_csv_set_separator(c, sep);
    long last_line = 0;
    int rc;
    while ((rc = acv_csv_next(c, &err)) == 1) {
        size_t n = acv_csv_count(c);
        if (n > ACV_CSV_MAX_COLUMNS)
            abort();
        long line = acv_csv_line(c);
        if (line < 1 || line < last_line)
            abort();
        last_line = line;
        for (size_t i = 0; i < n; i++) {
            size_t len = acv_csv_field_len(c, i);
            if (len > ACV_CSV_MAX_FIELD || strlen(acv_csv_field(c, i)) != len)
                abort();
        }
        char s = acv_csv_separator(c);
        if (s != ',' && s != ';' && s != '\t')
            abort();
    }
    if (rc == -1 && strstr(err.message, "fuzz.csv") == NULL)
        abort();
    acv_csv_close(c);
    fclose(fp);
    return 0;
}
