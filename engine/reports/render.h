/*
 * render.h — the rendering entry points: each format's renderer (render_<format>.c) writes both a
 * report (report.h) and a comparison (compare.h), the Markdown one also a practice and the
 * peer-practice suggestions (practices.h), the xlsx one also a ranking (rank.h). Renderers only
 * read their model; numbers and progress classes are written through format.h, and each format has
 * one escaper in its renderer (CSV: csvwrite.h, JSON: util.h).
 */
#ifndef ACV_RENDER_H
#define ACV_RENDER_H

#include "error.h"
#include "framework.h"
#include "rank.h"
#include "util.h"

#include <stdint.h>

typedef struct acv_report_model acv_report_model;
typedef struct acv_compare_model acv_compare_model;
typedef struct acv_compare_many acv_compare_many; /* many areas: distributions (compare.h) */
struct acv_practice_detail;
struct acv_practice_suggestions;

/* Markdown (render_markdown.c). */
acv_status acv_render_markdown(const acv_report_model *m, acv_buf *out, acv_error *err);
acv_status acv_render_compare_markdown(const acv_compare_model *c, acv_buf *out, acv_error *err);
acv_status acv_render_compare_many_markdown(const acv_compare_many *c, acv_buf *out,
                                            acv_error *err);
/* One practice (`acvtrack practices show`); fw gives names and directions, it may be NULL. */
acv_status acv_render_practice_markdown(const struct acv_practice_detail *d,
                                        const acv_framework *fw, acv_buf *b, acv_error *err);
/* The report section "Practices from peer cities" (nothing when s is NULL or has no targets);
 * fw gives action-area and indicator names. Check b->failed afterwards. */
void acv_render_practices_markdown(const struct acv_practice_suggestions *s,
                                   const acv_framework *fw, acv_buf *b);

/* JSON (render_json.c; docs/report-json.md). */
acv_status acv_render_json(const acv_report_model *m, acv_buf *out, acv_error *err);
acv_status acv_render_compare_json(const acv_compare_model *c, acv_buf *out, acv_error *err);
acv_status acv_render_compare_many_json(const acv_compare_many *c, acv_buf *out, acv_error *err);

/* A self-contained HTML page (render_html.c: inline CSS and SVG, no script, nothing from the
 * network): charts of the scores, each indicator's values over time with baseline and target,
 * priorities first. */
acv_status acv_render_html(const acv_report_model *m, acv_buf *out, acv_error *err);
acv_status acv_render_compare_html(const acv_compare_model *c, acv_buf *out, acv_error *err);
/* Many areas: histograms with quartiles, the highlighted areas in their colours, top and bottom
 * N, and the ranking paged by a small inline script (allowed by its hash in the page's policy;
 * without it the first page shows). */
acv_status acv_render_compare_many_html(const acv_compare_many *c, acv_buf *out, acv_error *err);

/* The indicator table as RFC 4180 CSV (render_csv.c: UTF-8 with a byte order mark, CRLF), its
 * text cells defused against spreadsheet formula injection; see docs/reports.md. */
acv_status acv_render_csv(const acv_report_model *m, acv_buf *out, acv_error *err);
acv_status acv_render_compare_csv(const acv_compare_model *c, acv_buf *out, acv_error *err);
/* Many areas: the complete ranked table, one row per area. */
acv_status acv_render_compare_many_csv(const acv_compare_many *c, acv_buf *out, acv_error *err);

/* An Excel workbook (render_xlsx.c, libxlsxwriter; docs/reports.md): a sheet per section, real
 * numbers, frozen header rows, the run stamp on a sheet of its own; the ranking of `acvtrack rank`
 * too. The bytes of the .xlsx file are appended to out. */
acv_status acv_render_xlsx(const acv_report_model *m, acv_buf *out, acv_error *err);
acv_status acv_render_compare_xlsx(const acv_compare_model *c, acv_buf *out, acv_error *err);
acv_status acv_render_rank_xlsx(const acv_rank_model *m, acv_buf *out, acv_error *err);

/* The blank observations file of an area (template.h; `acvtrack template`): the wide layout the
 * import reads, as CSV (render_csv.c; the file imports as it is, once filled) or as a workbook
 * (render_xlsx.c: that table on the sheet "Observations", which saved as CSV imports, the
 * indicators' names, units, targets and sources on "Indicators", and how to import). */
struct acv_obs_template;
acv_status acv_render_template_csv(const struct acv_obs_template *t, acv_buf *out, acv_error *err);
acv_status acv_render_template_xlsx(const struct acv_obs_template *t, acv_buf *out, acv_error *err);

/* The report as PDF (render_pdf.c): the HTML report printed by headless Chromium with its print
 * stylesheet, fonts embedded. Chromium is $ACVTRACK_CHROMIUM, else chromium or chromium-browser
 * on the PATH; without it, ACV_ERR_IO saying how to install it. The bytes of the .pdf file
 * are appended to out. */
acv_status acv_render_pdf(const acv_report_model *m, acv_buf *out, acv_error *err);
acv_status acv_render_compare_pdf(const acv_compare_model *c, acv_buf *out, acv_error *err);

/* The run stamp as JSON fields ("id", "year", "created_at", "engine_version", the framework
 * id and version when with_framework_id, the framework, data and methods hashes, "overlay"),
 * without braces: the one writer of the stamp for reports and comparisons. */
void acv_render_json_run_stamp(acv_buf *b, const acv_report_model *m, int with_framework_id);

#endif
