/*
 * practices.h — the best-practice registry: what worked in which city, for which action area and
 * indicators, with what evidence (docs/practices.md).
 *
 * Owns: the practice YAML format (one practice per file) and its strict loader, the import into
 * the workspace (all or nothing, every problem as "file:line:col: message"), the search, the
 * before/after values of a practice's indicators (computed from the city's observations, never
 * typed in), and the choice of peer practices for a city ("cities like mine"). It returns data:
 * the Markdown of a practice and of the report's "Practices from peer cities" is written by
 * render_markdown.c (render.h), and the report model picks the targets from a run's results
 * (report.h, acv_report_practices). Its SQL lives in storage_practices.c (declared, with the
 * practice records it reads and writes, in storage_practices.h, because the storage module owns
 * all SQL); its commands in cli_practices.c.
 *
 * A practice names its city by area code. The code is checked against the workspace's areas on
 * import, except for the examples shipped with the framework: `acvtrack init` loads them before a
 * user has imported, say, the demo cities, so they may wait for their area (allow_unknown_areas)
 * and connect to it as soon as it is imported, because the link is made by code when read.
 */
#ifndef ACV_PRACTICES_H
#define ACV_PRACTICES_H

#include "context.h"
#include "storage_practices.h"
#include "util.h"

#include <stddef.h>

/* How many practices the report lists per priority or off-track indicator, and how many of the
 * top-ranked priority action areas it looks at. */
#define ACV_PRACTICES_PER_TARGET 3
#define ACV_PRACTICES_REPORT_PRIORITIES 3

/* ---- import ---------------------------------------------------------------------------------- */

typedef struct {
    const char *display_dir; /* how messages name the folder or file; NULL: as given */
    int allow_unknown_areas; /* keep practices whose city is not in the workspace (shipped
                                examples loaded by `acvtrack init`) */
    int dry_run;             /* check only, write nothing */
} acv_practices_import_options;

typedef struct {
    size_t files;
    size_t added, replaced, unchanged;
    size_t waiting;  /* practices whose city is not in the workspace yet */
    char **problems; /* every problem, "file:line:col: message", in file and line order */
    size_t n_problems;
} acv_practices_summary;

/*
 * Imports every `*.yml` directly under dir (in name order; hidden files are skipped), all or
 * nothing: every file is checked first and every problem collected in out->problems; only when
 * there is none are the practices written, in one transaction. A practice whose id is already in
 * the workspace is replaced (so editing a file and importing again updates it, and importing the
 * same folder twice changes nothing). Within one import an id may appear once. On problems,
 * returns ACV_ERR_INPUT with the first problem in err (and the count when there are more).
 * A folder without practice files imports nothing (out->files is 0). Needs ctx->store and ctx->fw.
 * out is always initialised; free it with acv_practices_summary_free.
 */
acv_status acv_practices_import_dir(acv_ctx *ctx, const char *dir,
                                    const acv_practices_import_options *opt,
                                    acv_practices_summary *out, acv_error *err);

/* The same for one file (`acvtrack practices add FILE.yml`). */
acv_status acv_practices_import_file(acv_ctx *ctx, const char *path,
                                     const acv_practices_import_options *opt,
                                     acv_practices_summary *out, acv_error *err);

void acv_practices_summary_free(acv_practices_summary *s);

/* ---- search ---------------------------------------------------------------------------------- */

typedef struct {
    acv_arena arena;
    acv_practice_hit *hits;
    size_t n;
} acv_practice_hits;

/*
 * Full-text search over title, summary, what_was_done and tags (SQLite FTS5), narrowed by the
 * query's filters. A practice needs one of the words; those with more of the words come first,
 * then documented cases before illustrative examples, then by bm25 with the column weights of
 * docs/practices.md, then by id. A word ending in '*' matches as a prefix. Without words,
 * practices come in id order. An unknown pillar, action area or indicator in a filter is an
 * ACV_ERR_INPUT error. Needs ctx->store and ctx->fw.
 */
acv_status acv_practices_search(acv_ctx *ctx, const acv_practice_query *q, acv_practice_hits *out,
                                acv_error *err);
void acv_practice_hits_free(acv_practice_hits *h);

/* ---- one practice, with its before/after values ---------------------------------------------- */

typedef struct {
    const char *indicator;
    int has_before;
    const char *before_period;
    double before_value;
    int has_after;
    const char *after_period;
    double after_value;
} acv_practice_change;

typedef struct acv_practice_detail {
    acv_arena arena;
    acv_practice practice;
    const char *city_name; /* NULL when the area is not in the workspace */
    const char *country;
    int has_population;
    double population;
    int population_year;
    acv_practice_change *changes; /* one per linked indicator, in the practice's order */
    size_t n_changes;
} acv_practice_detail;

/*
 * Reads a practice and computes, for each linked indicator, from the city's own total (not
 * disaggregated) observations in the workspace: "before", the latest observation in a year before
 * the practice's first year, and "after", the latest observation in a year after it. The first
 * year itself is neither: the practice was under way. ACV_ERR_NOTFOUND for an unknown id.
 */
acv_status acv_practices_get(acv_ctx *ctx, const char *id, acv_practice_detail **out,
                             acv_error *err);
void acv_practice_detail_free(acv_practice_detail *d);

/* ---- "cities like mine": the report section ----------------------------------------------------
 */

typedef struct {
    const char *kind; /* "action_area" or "indicator" */
    const char *code;
    const char *why; /* "priority 1", "↓ Moving away from the target" (acv_report_practices), or
                        NULL */
    acv_practice_hit *practices; /* best first, at most per_target */
    size_t n_practices;
} acv_practice_target;

typedef struct acv_practice_suggestions acv_practice_suggestions;
struct acv_practice_suggestions {
    acv_arena arena;
    const char *area_code;
    acv_practice_target *targets; /* action areas first, then indicators, in the order given */
    size_t n_targets;
};

/*
 * For a city, the practices of OTHER cities linked to each of the given action areas and
 * indicators, at most per_target each (0: ACV_PRACTICES_PER_TARGET), ranked (docs/practices.md):
 * documented cases before illustrative examples; then cities in the same country as this one;
 * then the smallest population ratio either way (|ln(pop / my pop)|; a city without a population
 * figure, or this city without one, comes after those with one); then the most recent first
 * year; then id. Needs ctx->store; the city must be a known area.
 */
acv_status acv_practices_for_report(acv_ctx *ctx, const char *area_code,
                                    const char *const *action_area_ids, size_t n_action_areas,
                                    const char *const *indicator_ids, size_t n_indicators,
                                    size_t per_target, acv_practice_suggestions **out,
                                    acv_error *err);

void acv_practice_suggestions_free(acv_practice_suggestions *s);

#endif
