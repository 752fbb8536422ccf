/*
 * table.h — plain-text tables for the terminal, aligned by display width: the number of columns a
 * UTF-8 text takes (a code point is one column, a combining mark none, an East Asian wide or
 * full-width character two), not its bytes, so `–`, `µ`, Thai and Vietnamese line up. A column
 * may have a width limit: a longer cell wraps onto continuation lines at a space or after a comma,
 * and a single word wider than the limit widens the column, so a word is never cut.
 */
#ifndef ACV_TABLE_H
#define ACV_TABLE_H

#include "error.h"
#include "util.h"

#include <stddef.h>

/* The display width of the first len bytes of s (UTF-8); a byte that does not start a valid
 * sequence counts as one column. */
size_t acv_text_width(const char *s, size_t len);

typedef struct {
    const char *title; /* the header cell */
    size_t max_width;  /* wrap cells wider than this; 0: never wrap (the column is as wide as
                          its widest cell) */
} acv_table_column;

/* The table owns copies of its cells; free it with acv_table_free. */
typedef struct {
    const acv_table_column *columns; /* borrowed; must outlive the table */
    size_t n_columns;
    char **cells; /* n_rows × n_columns, row by row */
    size_t n_rows;
    size_t cap_rows;
} acv_table;

/* Starts an empty table with these columns (borrowed, not copied). */
void acv_table_init(acv_table *t, const acv_table_column *columns, size_t n_columns);

/* Adds a row of n_columns cells (copied; NULL is an empty cell); ACV_ERR_NOMEM when it cannot. */
acv_status acv_table_add(acv_table *t, const char *const *cells, acv_error *err);

/* Appends the header line and the rows to out: columns separated by two spaces, every column but
 * the last padded to its width, no trailing spaces. */
void acv_table_render(const acv_table *t, acv_buf *out);

void acv_table_free(acv_table *t);

#endif
