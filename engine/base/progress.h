/*
 * progress.h — the progress line of long work (an import, `score --all`, a comparison, a ranking):
 * "importing obs.csv: 3120/6240 B 50%, 1560 B/s, 0:02 left" on one line of a terminal, redrawn
 * in place at most every ACV_PROGRESS_INTERVAL seconds of a monotonic clock, and ended with
 * "..., done in 0:04" and a newline.
 *
 * The caller owns the struct (no global state) and decides where it goes: acv_progress_init with
 * the stream, or with NULL for a silent one; acv_progress_terminal(quiet) gives stderr only when it
 * is a terminal and the user did not ask for quiet, so output redirected to a file or a pipe never
 * carries progress lines. Every function is a no-op on a silent progress, so work can call them
 * unconditionally. Not thread-safe: call it from one thread (the one that finishes the work).
 *
 * The life of a line: the work that knows its total calls acv_progress_start (label, total,
 * unit), then acv_progress_update with the amount done so far as often as it likes (drawing
 * happens only when the interval has passed), then acv_progress_finish when it succeeded (the
 * final line, exact figures, and a newline) or acv_progress_clear when it failed (the line is
 * erased, so the error message starts on a clean line). Anything else that prints on the same
 * terminal while a line is shown calls acv_progress_clear first; the next update draws it again.
 *
 * Figures: done/total in the unit given; the unit "B" counts bytes and shows them as B below
 * 10 KiB, else KiB, MiB or GiB with one decimal (scaled by the total). The rate is done divided by
 * the time since start; time left is (total - done) / rate. Both are left out until there is
 * something to divide (no elapsed time, nothing done). acv_progress_format is the pure part:
 * tests call it with a clock of their own.
 */
#ifndef ACV_PROGRESS_H
#define ACV_PROGRESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Seconds between two redraws of a running line. */
#define ACV_PROGRESS_INTERVAL 0.25

/* Seconds from a monotonic origin; ud is the clock's own state. */
typedef double (*acv_progress_clock)(void *ud);

typedef struct {
    FILE *out;                /* NULL: silent */
    acv_progress_clock clock; /* NULL: CLOCK_MONOTONIC */
    void *clock_ud;
    size_t columns; /* the line is cut to columns - 1 characters (0: 80) */
    char label[64];
    char unit[16];
    uint64_t done, total;
    double start, last_draw;
    size_t shown; /* characters of the line on screen now (0: none) */
    int started;
} acv_progress;

/* A progress that writes to out (NULL: silent) with the monotonic clock. */
void acv_progress_init(acv_progress *p, FILE *out);

/* stderr when it is a terminal and !quiet, else NULL: what acv_progress_init should get from a
 * command. */
FILE *acv_progress_terminal(int quiet);

/* Starts a line: label ("importing obs.csv"), the total (0: unknown, no percentage and no time
 * left) and the unit of done and total ("areas", "rows", "B" for bytes). Nothing is drawn yet. */
void acv_progress_start(acv_progress *p, const char *label, uint64_t total, const char *unit);

/* Sets the amount done; redraws when ACV_PROGRESS_INTERVAL has passed since the last draw (or
 * since start). */
void acv_progress_update(acv_progress *p, uint64_t done);

/* Draws the final line (done as last updated, the time taken) and ends it with a newline. */
void acv_progress_finish(acv_progress *p);

/* Erases the line if one is shown (the work failed, or something else is printed). */
void acv_progress_clear(acv_progress *p);

/* Writes the line as it would be drawn at time now (finished: the final form) into buf (always
 * NUL-terminated); returns its length. */
size_t acv_progress_format(const acv_progress *p, double now, int finished, char *buf, size_t size);

#endif
