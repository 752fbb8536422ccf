/*
 * template.h — the blank observations file an area fills in (`acvtrack template`): the wide
 * layout the import reads (import.h, docs/data.md), one row per indicator of the framework, with
 * the area and the indicator filled and a column per year left blank. What it holds is loaded
 * here; render.h writes it as CSV or as an xlsx workbook.
 */
#ifndef ACV_TEMPLATE_H
#define ACV_TEMPLATE_H

#include "context.h"

/* Years a template has a column for: the year asked for and the ones before it. */
#define ACV_TEMPLATE_YEARS 5

typedef struct acv_obs_template {
    const acv_framework *fw; /* its indicators are the rows, in framework order */
    char area[128];          /* the area's code */
    char area_name[256];
    int first_year, last_year; /* the year columns, oldest first */
} acv_obs_template;

/* The template for an area of the workspace and the years up to year (0: this calendar year);
 * ACV_ERR_NOTFOUND for an unknown area. */
acv_status acv_obs_template_load(acv_ctx *ctx, const char *area_code, int year,
                                 acv_obs_template *out, acv_error *err);

#endif
