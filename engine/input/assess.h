/*
 * assess.h — the Guideline's self-assessment: blank answer sheets and their import.
 *
 * An answer sheet is YAML: `area`, `year` and a list of `answers`, each with a `question` id, a
 * `level` (0-4, or empty when not answered yet) and `evidence` (a document, ordinance number or
 * link). Levels at or above the framework's evidence threshold (3) without evidence count at the
 * capped level (2), as the guideline asks; unanswered questions are reported, never scored as zero.
 * An import is all or nothing, with `file:line:col` errors.
 */
#ifndef ACV_ASSESS_H
#define ACV_ASSESS_H

#include "context.h"
#include "util.h"

/* Appends a blank answer sheet for the area and year to out. Year 0: the year 'score' uses
 * without --year (the latest year with data for the area), or the current calendar year when the
 * area has no data yet; a comment line of the sheet says which. */
acv_status acv_assess_template(acv_ctx *ctx, const char *area_code, int year, acv_buf *out,
                               acv_error *err);

typedef struct {
    char area[80];
    int year;
    int answered;
    int unanswered;         /* questions of the guideline without a level in the sheet */
    int capped;             /* answers lowered for lack of evidence */
    acv_buf unanswered_ids; /* comma-separated */
    acv_buf capped_ids;
} acv_assess_summary;

acv_status acv_assess_import(acv_ctx *ctx, const char *path, const char *display,
                             acv_assess_summary *out, acv_error *err);
void acv_assess_summary_free(acv_assess_summary *s);

#endif
