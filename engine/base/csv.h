/*
 * csv.h — a strict, streaming RFC 4180 reader.
 *
 * Reads one record at a time with bounded memory. Quoted fields with embedded commas, quotes ("")
 * and newlines, LF or CRLF line ends, a UTF-8 byte order mark at the start and a last line without
 * a newline are accepted; blank lines are skipped. A stray or unclosed quote, text after a closing
 * quote, a NUL byte, invalid UTF-8, a field over ACV_CSV_MAX_FIELD bytes, a record whose fields
 * together pass ACV_CSV_MAX_RECORD bytes or more than ACV_CSV_MAX_COLUMNS columns is an error
 * naming the line, raised while reading, before the record is held whole. Checking that records
 * have the header's width is the caller's job, so it can say which column is wrong; a caller that
 * knows the width says so (acv_csv_set_width) and the reader keeps no bytes beyond it.
 *
 * The separator is a comma unless the caller chooses ';' or a tab, or asks for it to be detected
 * from the first line (spreadsheets in comma-decimal locales save CSV with semicolons).
 */
#ifndef ACV_CSV_H
#define ACV_CSV_H

#include "error.h"

#include <stdio.h>

#define ACV_CSV_MAX_FIELD (1024 * 1024)
#define ACV_CSV_MAX_COLUMNS 1024
#define ACV_CSV_MAX_RECORD (16 * 1024 * 1024)

typedef struct acv_csv acv_csv;

/* Opens path for reading; display is the name used in messages. */
acv_status acv_csv_open(const char *path, const char *display, acv_csv **out, acv_error *err);

/* Reads from an open stream (not closed by acv_csv_close). */
acv_status acv_csv_open_stream(FILE *fp, const char *display, acv_csv **out, acv_error *err);

/* The field separator: ',' (the default), ';' or '\t'; or ACV_CSV_DETECT: the first line's, ';'
 * or a tab when that line has none of the others outside quotes but has them (a comma wins, then
 * the more frequent of ';' and tab, ';' on a tie). Set before the first acv_csv_next. */
#define ACV_CSV_DETECT 0
void acv_csv_set_separator(acv_csv *c, char sep);
/* The separator in use; after detection, known once the first record is read. */
char acv_csv_separator(const acv_csv *c);

/* The header's width, once it is read: the fields of a record past it are counted but dropped
 * (acv_csv_field gives ""), so an over-wide record costs no memory beyond width fields and
 * acv_csv_count still says how many it had. 0 (the default) keeps every field. */
void acv_csv_set_width(acv_csv *c, size_t width);

/* Reads the next record: 1 when there is one, 0 at end of file, -1 on error (err is set). */
int acv_csv_next(acv_csv *c, acv_error *err);

size_t acv_csv_count(const acv_csv *c);
const char *acv_csv_field(const acv_csv *c, size_t i); /* NUL-terminated */
size_t acv_csv_field_len(const acv_csv *c, size_t i);
long acv_csv_line(const acv_csv *c); /* the line where the current record starts (1-based) */
const char *acv_csv_name(const acv_csv *c);
/* Bytes consumed so far (for progress). */
long long acv_csv_offset(const acv_csv *c);

void acv_csv_close(acv_csv *c);

#endif
