/*
 * csvwrite.h — the one CSV writer of the engine: reports, comparisons, import rejects and plugin
 * output all write their cells through it, so quoting and formula defusing are decided once.
 *
 * RFC 4180: a cell with a comma, quote, CR or LF, or with a space at either end (which some
 * readers trim), is quoted and its quotes doubled; records end in CRLF.
 *
 * Spreadsheet formula injection (OWASP "CSV injection"): a text cell that a spreadsheet could run
 * when the file is opened gets a leading apostrophe. Only those cells: the apostrophe shows in
 * LibreOffice (and in any text reader), so a cell nothing can run is left as it is (the rule and
 * why are in docs/reports.md). Defused: a cell beginning with = or @, TAB or CR (stripped by some
 * readers before what follows), the full-width ＝ ＋ － ＠ (U+FF1D U+FF0B U+FF0D U+FF20) that East
 * Asian input methods type, and + or - unless a digit or a point follows the sign and the cell
 * holds no ( ) | ! [ ] = @ $ and no letter followed by a digit ("-50% vs 2015-2019", "+41 22"
 * and "-5" stay; "-1+A1", "-2+3+cmd|' /C calc'!A0" and "-x" are defused). Numbers are written by
 * the writer from doubles or integers and never defused or quoted: a negative value must stay a
 * number.
 *
 * The writer appends to an acv_buf or writes to a FILE; it never fails by itself: a failed buffer
 * sets b->failed, and a FILE's errors show in ferror().
 */
#ifndef ACV_CSVWRITE_H
#define ACV_CSVWRITE_H

#include "util.h"

#include <stdio.h>

typedef struct {
    acv_buf *buf; /* one of buf and file */
    FILE *file;
    size_t cells; /* cells written in the current record */
} acv_csv_writer;

/* A writer that appends to b, or writes to f. */
acv_csv_writer acv_csvwrite_to_buf(acv_buf *b);
acv_csv_writer acv_csvwrite_to_file(FILE *f);

/* The UTF-8 byte order mark, for files meant for Excel (which otherwise reads UTF-8 as the local
 * code page). */
void acv_csvwrite_bom(acv_csv_writer *w);

/* A text cell, defused and quoted as needed; NULL is an empty cell. */
void acv_csvwrite_text(acv_csv_writer *w, const char *s);
/* The same for len bytes that may hold NUL bytes (Lua strings). */
void acv_csvwrite_textn(acv_csv_writer *w, const char *s, size_t len);
/* A cell written as given: the caller guarantees it needs no quoting and is not text a
 * spreadsheet could run ("true", a header name, a line number). */
void acv_csvwrite_raw(acv_csv_writer *w, const char *s);
/* A number with up to 15 significant digits ("-0" as "0"); empty when !has or not finite. */
void acv_csvwrite_number(acv_csv_writer *w, int has, double v);
void acv_csvwrite_integer(acv_csv_writer *w, long long v);
/* Ends the record with CRLF. */
void acv_csvwrite_end_row(acv_csv_writer *w);

/* 1 when a text cell starting with s would be defused (exposed for tests and for callers that
 * warn about such cells). */
int acv_csvwrite_needs_defusing(const char *s, size_t len);

#endif
