/*
 * areas.h — local governments and their hierarchy (ASEAN → country → province → city), imported
 * from CSV all or nothing. Header: code,name,level[,parent,country,population,population_year,
 * source]; a parent must be known (earlier in the file or already in the workspace).
 */
#ifndef ACV_AREAS_H
#define ACV_AREAS_H

#include "context.h"

typedef struct {
    long rows;
    long changed; /* inserted or modified */
} acv_areas_summary;

acv_status acv_areas_import(acv_ctx *ctx, const char *path, const char *display,
                            acv_areas_summary *out, acv_error *err);

#endif
