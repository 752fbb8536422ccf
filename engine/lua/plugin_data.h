/*
 * plugin_data.h — the workspace side of the `acv` API (acv_api.h): acv.areas, acv.observations
 * and acv.results read the workspace of the context a plugin runs in. They live above the report
 * model they read, while the API registry stays below everything, so the scoring bridge and the
 * context can install the API without depending on the reports.
 */
#ifndef ACV_PLUGIN_DATA_H
#define ACV_PLUGIN_DATA_H

#include "acv_api.h"

/* The functions for acv_api_set_workspace; the workspace they take is an acv_ctx. */
const acv_api_workspace_fn *acv_plugin_data_functions(void);

#endif
