/*
 * atomicfile.h — the one way the engine replaces a file: reports, comparisons, import rejects and
 * plugin exports write through it, so a reader sees the old file or the new one, never half.
 *
 * The data goes to a temporary file in the same folder (a rename is atomic only within one file
 * system), is flushed and fsync'd, then renamed over the target and the folder fsync'd so the
 * rename survives a crash. Any failure removes the temporary file and leaves the old target as it
 * was. Several files can be published together (all or none written): close each first, then
 * publish each, abandoning the rest if one fails.
 */
#ifndef ACV_ATOMICFILE_H
#define ACV_ATOMICFILE_H

#include "error.h"

#include <stdio.h>

typedef struct acv_atomic_file acv_atomic_file;

/* Creates the temporary file for path; make_parents creates missing parent folders first
 * (0755). Errors name path: "PATH: cannot write: REASON". */
acv_status acv_atomic_open(const char *path, int make_parents, acv_atomic_file **out,
                           acv_error *err);

/* The stream to write the content to (owned by f; do not fclose it). */
FILE *acv_atomic_stream(acv_atomic_file *f);

/* Flushes, fsyncs and closes the temporary file: the content is complete on disk, the target is
 * not replaced yet. On failure f is still owned by the caller (abandon it). */
acv_status acv_atomic_close(acv_atomic_file *f, acv_error *err);

/* Renames the closed (or still open: it is closed first) temporary file over the target and frees
 * f, also on failure, when the temporary file is removed. */
acv_status acv_atomic_publish(acv_atomic_file *f, acv_error *err);

/* Removes the temporary file and frees f (NULL is fine); the target is untouched. */
void acv_atomic_abandon(acv_atomic_file *f);

/* All of the above for data held in memory. */
acv_status acv_write_file_atomic(const char *path, const char *data, size_t len, int make_parents,
                                 acv_error *err);

#endif
