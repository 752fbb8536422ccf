/*
 * catalogue.h — the framework as a readable Markdown catalogue for city planners: every pillar,
 * action area, indicator (every field) and self-assessment question, and the data elements; and
 * the one-line-per-indicator listing of `acvtrack indicators`.
 */
#ifndef ACV_CATALOGUE_H
#define ACV_CATALOGUE_H

#include "framework.h"
#include "util.h"

/* Appends the catalogue to out; returns ACV_ERR_NOMEM when the buffer could not grow. */
acv_status acv_catalogue_markdown(const acv_framework *fw, acv_buf *out, acv_error *err);

/* Which indicators the listing shows; zeros and NULLs show every one. */
typedef struct {
    const char *pillar; /* a pillar id */
    int core_only;
    int optional_only;
    const char *sdg; /* an SDG indicator ("11.6.2") or a prefix of whole parts ("11.6", "11") */
} acv_catalogue_filter;

/* Appends the listing to out: a header and one row per indicator that passes the filter (id,
 * core, direction, unit, SDG indicators, short name), aligned by display width, with the unit
 * and SDG columns wrapped at a space or comma rather than cut (table.h). *shown is the number
 * of indicators listed. ACV_ERR_NOMEM when the buffer could not grow. */
acv_status acv_catalogue_list(const acv_framework *fw, const acv_catalogue_filter *filter,
                              acv_buf *out, size_t *shown, acv_error *err);

#endif
