/*
 * areas.h — local governments and their hierarchy (ASEAN → country → province → city), imported
 * from CSV all or nothing. Header: code,name,level[,parent,country,population,population_year,
 * source,calendar]; a parent must be known (earlier in the file or already in the workspace).
 * calendar is the default calendar of the area's data files (calendar.h: be-th, me-mm; blank: CE).
 */
#ifndef ACV_AREAS_H
#define ACV_AREAS_H

#include "context.h"

typedef struct {
    long rows;
    long changed; /* inserted or modified */
} acv_areas_summary;

/* The one rule for an area entering the workspace, however it comes (areas import, an importer
 * plugin's out:area through acv_import_add_area): a code of 1 to ACV_AREA_CODE_MAX letters, digits,
 * '_', '-', '.' without "..", a name of valid UTF-8 without control characters of at most
 * ACV_AREA_NAME_MAX bytes, a known level, a parent code of the same form. Returns 1 when a may be
 * stored, else 0 with why filled ("WHAT 'code': ...", what being "column" or "field"; the bad
 * code or name is never quoted, it may be unprintable). */
enum { ACV_AREA_CODE_MAX = 64, ACV_AREA_NAME_MAX = 200 };
int acv_area_check(const acv_area *a, const char *what, char *why, size_t size);

acv_status acv_areas_import(acv_ctx *ctx, const char *path, const char *display,
                            acv_areas_summary *out, acv_error *err);

#endif
