/*
 * atomicfile.h — the one way the engine replaces a file: reports, comparisons, import rejects and
 * plugin exports write through it, so a reader sees the old file or the new one, never half.
 *
 * The data goes to a temporary file in the same folder (a rename is atomic only within one file
 * system), is flushed and fsync'd, then renamed over the target and the folder fsync'd so the
 * rename survives a crash. Any failure removes the temporary file and leaves the old target as it
 * was. Several files are published together with acv_atomic_publish_all: all or none.
 *
 * A target that is not a regular file is never replaced by one: a character device or a FIFO
 * (also reached through a symbolic link, like /dev/stdout) is written through, without the
 * temporary file and so without atomicity; any other symbolic link, a folder, a socket or a block
 * device is refused ("PATH: cannot write: it is a symbolic link, ...").
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

/* Publishes n files all or none, and frees every one of them: each is closed, every target that
 * exists is hard-linked aside, then each is renamed into place; when one close, link or rename
 * fails, the targets already replaced get their old file back and new ones are removed. Left
 * open: a crash (not a failure) between the first and last rename leaves the earlier files new. */
acv_status acv_atomic_publish_all(acv_atomic_file **files, size_t n, acv_error *err);

/* Removes the temporary file and frees f (NULL is fine); the target is untouched. */
void acv_atomic_abandon(acv_atomic_file *f);

/* All of the above for data held in memory. */
acv_status acv_write_file_atomic(const char *path, const char *data, size_t len, int make_parents,
                                 acv_error *err);

#endif
