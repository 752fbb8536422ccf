/* template.c — the blank observations file of an area; see template.h. */
#include "template.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

acv_status acv_obs_template_load(acv_ctx *ctx, const char *area_code, int year,
                                 acv_obs_template *out, acv_error *err)
{
    memset(out, 0, sizeof *out);
    acv_area area;
    acv_status st = acv_store_get_area(ctx->store, area_code, &area, err);
    if (st != ACV_OK)
        return st;
    if (year <= 0) {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        year = tm.tm_year + 1900;
    }
    out->fw = ctx->fw;
    snprintf(out->area, sizeof out->area, "%s", area.code ? area.code : area_code);
    snprintf(out->area_name, sizeof out->area_name, "%s", area.name ? area.name : "");
    out->last_year = year;
    out->first_year = year - ACV_TEMPLATE_YEARS + 1;
    return ACV_OK;
}
