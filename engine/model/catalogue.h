/*
 * catalogue.h — the framework as a readable Markdown catalogue for city planners: every pillar,
 * action area, indicator (every field) and self-assessment question, and the data elements.
 */
#ifndef ACV_CATALOGUE_H
#define ACV_CATALOGUE_H

#include "framework.h"
#include "util.h"

/* Appends the catalogue to out; returns ACV_ERR_NOMEM when the buffer could not grow. */
acv_status acv_catalogue_markdown(const acv_framework *fw, acv_buf *out, acv_error *err);

#endif
