/*
 * storage_boundaries.h — boundary changes in the workspace: the changes recorded (a merger or a
 * split, its first year on the new boundaries, the crosswalk file), their links (predecessor,
 * successor, the share of the predecessor's population or land area that moved) and the areas'
 * validity years. The rules are model/boundaries.h; the SQL is storage_boundaries.c.
 */
#ifndef ACV_STORAGE_BOUNDARIES_H
#define ACV_STORAGE_BOUNDARIES_H

#include "storage.h"

/* Records a change; *id is its number. Inside the caller's transaction. */
acv_status acv_store_boundary_change_add(acv_store *s, int year, const char *kind, const char *file,
                                         const char *sha256, int64_t *id, acv_error *err);

/* The change already recorded from a crosswalk with this content, or 0. */
int64_t acv_store_boundary_change_by_sha(acv_store *s, const char *sha256);

acv_status acv_store_boundary_link_add(acv_store *s, int64_t change_id, int64_t predecessor,
                                       int64_t successor, double share, const char *basis,
                                       long line, acv_error *err);

/* Sets an area's first (valid_from) or last (valid_to) year; 0 leaves that one as it is. */
acv_status acv_store_area_set_validity(acv_store *s, int64_t area_id, int valid_from, int valid_to,
                                       acv_error *err);

typedef struct {
    int64_t change_id;
    int year; /* the first year on the new boundaries */
    int64_t predecessor_id;
    const char *predecessor; /* code */
    double share;
    const char *basis; /* population or area */
    int has_population;
    double population; /* the predecessor's, from the areas file */
    int population_year;
} acv_boundary_link;

/* Calls fn for every link into successor (latest change first, then predecessor code); strings
 * valid during the call. fn returns non-zero to stop. */
acv_status acv_store_each_predecessor(acv_store *s, int64_t successor,
                                      int (*fn)(void *ud, const acv_boundary_link *l), void *ud,
                                      acv_error *err);

/* Codes of the areas a dissolved area went to (comma-separated into out), for messages. */
void acv_store_successor_codes(acv_store *s, int64_t predecessor, char *out, size_t size);

#endif
