/*
 * uncertainty.c — the uncertainty and sensitivity analysis of a ranking (uncertainty.h): the
 * stored results of the ranked areas, the sample design, the ranks of every replication, their
 * quantiles and the Sobol indices, and the table, CSV and JSON renderings.
 */
#include "uncertainty.h"
#include "csvwrite.h"
#include "replicate.h"
#include "storage_rank.h"
#include "table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The rule of rank.c: scores closer than this are the same score. */
#define SAME_SCORE 1e-9

typedef struct {
    double score;
    const char *code;
    size_t at;
} slot;

static int by_score_then_code(const void *pa, const void *pb)
{
    const slot *a = pa, *b = pb;
    int na = isnan(a->score), nb = isnan(b->score);
    if (na != nb)
        return na ? 1 : -1;
    if (!na && fabs(a->score - b->score) > SAME_SCORE)
        return a->score > b->score ? -1 : 1;
    return strcmp(a->code, b->code);
}

int acv_uncertainty_rank(const double *scores, const char *const *codes, size_t n, int *ranks)
{
    slot *s = malloc((n ? n : 1) * sizeof *s);
    if (!s)
        return -1;
    for (size_t i = 0; i < n; i++)
        s[i] = (slot){scores[i], codes[i], i};
    qsort(s, n, sizeof *s, by_score_then_code);
    int rank = 0;
    for (size_t i = 0; i < n; i++) {
        int same =
            i > 0 && (isnan(s[i].score) ? isnan(s[i - 1].score)
                                        : !isnan(s[i - 1].score) &&
                                              fabs(s[i].score - s[i - 1].score) <= SAME_SCORE);
        if (!same)
            rank = (int)i + 1;
        ranks[s[i].at] = rank;
    }
    free(s);
    return 0;
}

/* ---- the stored results ------------------------------------------------------------------ */

typedef struct {
    const char *code;
    size_t at;
} named;

static int by_name(const void *a, const void *b)
{
    return strcmp(((const named *)a)->code, ((const named *)b)->code);
}

typedef struct {
    named *areas, *indicators;
    size_t n_areas, n_ind;
    double *values, *scores;
} results_load;

static int take_row(void *ud, const acv_rank_indicator_row *r)
{
    results_load *L = ud;
    named key = {.code = r->area};
    const named *a = bsearch(&key, L->areas, L->n_areas, sizeof key, by_name);
    key.code = r->indicator;
    const named *k = a ? bsearch(&key, L->indicators, L->n_ind, sizeof key, by_name) : NULL;
    if (!k)
        return 0; /* not ranked, or no longer in the framework */
    size_t at = a->at * L->n_ind + k->at;
    L->values[at] = r->has_value ? r->value : NAN;
    L->scores[at] = r->has_score ? r->score : NAN;
    return 0;
}

/* ---- the design ---------------------------------------------------------------------------- */

typedef struct {
    uint64_t key;
    double u[ACV_N_FACTORS];
} design_row;

static void draw_row(acv_rng *r, design_row *row)
{
    row->key = acv_rng_next(r);
    for (int f = ACV_FACTOR_AGGREGATION; f < ACV_N_FACTORS; f++)
        row->u[f] = acv_rng_uniform(r);
}

/* The weight multipliers of a key: 1 + noise (2 v - 1) per weight that varies, v the next
 * uniform of a generator seeded with the key (drawn for every weight, so a weight's draw does
 * not depend on which levels vary). */
static void fill_multipliers(const acv_uncertainty_model *m, uint64_t key, double *out)
{
    const acv_assumptions *as = &m->assumptions;
    const acv_framework *fw = m->fw;
    acv_rng r;
    acv_rng_seed(&r, key);
    for (size_t w = 0; w < m->n_weights; w++) {
        double v = acv_rng_uniform(&r);
        int varies = w < fw->n_indicators                        ? as->on_indicators
                     : w < fw->n_indicators + fw->n_action_areas ? as->on_action_areas
                                                                 : as->on_pillars;
        out[w] = varies ? 1 + as->noise * (2 * v - 1) : 1;
    }
}

static void set_run(acv_uncertainty_model *m, acv_uncertainty_run *run, const design_row *row)
{
    run->weights_key = row->key;
    run->alternative[ACV_FACTOR_WEIGHTS] = -1;
    for (int f = ACV_FACTOR_AGGREGATION; f < ACV_N_FACTORS; f++) {
        size_t n = m->assumptions.n_alternatives[f];
        size_t i = (size_t)(row->u[f] * (double)n);
        run->alternative[f] = (int)(i < n ? i : n - 1);
    }
    fill_multipliers(m, row->key, run->multipliers);
}

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

acv_status acv_uncertainty_run_analysis(acv_ctx *ctx, const acv_uncertainty_request *req,
                                        acv_uncertainty_model **out, acv_error *err)
{
    *out = NULL;
    if (req->n < 2 || req->n > ACV_UNCERTAINTY_MAX_RUNS)
        return acv_error_set(err, ACV_ERR_USAGE, "--uncertainty needs from 2 to %d replications",
                             ACV_UNCERTAINTY_MAX_RUNS);
    acv_uncertainty_model *m = calloc(1, sizeof *m);
    if (!m)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    m->fw = ctx->fw;
    m->seed = req->seed;
    m->n = req->n;
    m->sensitivity = req->sensitivity;
    double *values = NULL, *scores = NULL, *replicated = NULL, *sorted = NULL;
    int *ranks = NULL;
    named *area_names = NULL, *ind_names = NULL;
    acv_replicate_assumption *assumptions = NULL;
    const char **codes = NULL;
    acv_status st = acv_assumptions_load(&ctx->roots, req->assumptions, &m->assumptions, err);
    if (st == ACV_OK)
        st = acv_rank_load(ctx, &req->rank, &m->nominal, err);
    if (st != ACV_OK)
        goto done;
    const acv_framework *fw = ctx->fw;
    size_t n_areas = m->nominal->n_ranked, n_ind = fw->n_indicators;
    if (n_areas == 0) {
        st = acv_error_set(err, ACV_ERR_NOTFOUND,
                           "no area of the selection has an official score for %s in %d: there "
                           "is no ranking to analyse",
                           m->nominal->what, m->nominal->year);
        goto done;
    }
    m->n_areas = n_areas;
    m->n_weights = fw->n_indicators + fw->n_action_areas + fw->n_pillars;
    m->n_runs = req->sensitivity ? (2 + ACV_N_FACTORS) * req->n : req->n;

    /* the stored indicator results of the ranked areas */
    m->areas = acv_arena_alloc(&m->arena, n_areas * sizeof *m->areas);
    values = malloc(n_areas * (n_ind ? n_ind : 1) * sizeof *values);
    scores = malloc(n_areas * (n_ind ? n_ind : 1) * sizeof *scores);
    area_names = malloc(n_areas * sizeof *area_names);
    ind_names = malloc((n_ind ? n_ind : 1) * sizeof *ind_names);
    codes = malloc(n_areas * sizeof *codes);
    if (!m->areas || !values || !scores || !area_names || !ind_names || !codes) {
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n_areas * n_ind; i++)
        values[i] = scores[i] = NAN;
    for (size_t a = 0; a < n_areas; a++) {
        const acv_rank_entry *e = &m->nominal->ranked[a];
        m->areas[a] = (acv_uncertainty_area){
            .code = e->code, .name = e->name, .score = e->score, .rank = e->rank, .tied = e->tied};
        area_names[a] = (named){e->code, a};
        codes[a] = e->code;
    }
    for (size_t k = 0; k < n_ind; k++)
        ind_names[k] = (named){fw->indicators[k].id, k};
    qsort(area_names, n_areas, sizeof *area_names, by_name);
    qsort(ind_names, n_ind, sizeof *ind_names, by_name);
    results_load L = {area_names, ind_names, n_areas, n_ind, values, scores};
    st = acv_store_rank_indicators(ctx->store, &m->nominal->selection, m->nominal->year, take_row,
                                   &L, err);
    if (st != ACV_OK)
        goto done;

    /* the design: the A rows, then the B rows, then AB_i (A with factor i from B) */
    m->runs = acv_arena_alloc(&m->arena, m->n_runs * sizeof *m->runs);
    double *mult = acv_arena_alloc(&m->arena, m->n_runs * m->n_weights * sizeof *mult);
    design_row *rows = acv_arena_alloc(&m->arena, 2 * req->n * sizeof *rows);
    assumptions = calloc(m->n_runs, sizeof *assumptions);
    if (!m->runs || !mult || !rows || !assumptions) {
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
        goto done;
    }
    acv_rng rng;
    acv_rng_seed(&rng, req->seed);
    for (size_t j = 0; j < (req->sensitivity ? 2 : 1) * req->n; j++)
        draw_row(&rng, &rows[j]);
    for (size_t r = 0; r < m->n_runs; r++) {
        m->runs[r].multipliers = mult + r * m->n_weights;
        design_row row;
        if (r < 2 * req->n) {
            row = rows[r];
        } else {
            size_t f = (r - 2 * req->n) / req->n, j = (r - 2 * req->n) % req->n;
            row = rows[j];
            if (f == ACV_FACTOR_WEIGHTS)
                row.key = rows[req->n + j].key;
            else
                row.u[f] = rows[req->n + j].u[f];
        }
        set_run(m, &m->runs[r], &row);
        const acv_assumptions *as = &m->assumptions;
        assumptions[r] = (acv_replicate_assumption){
            .multipliers = as->noise > 0 ? m->runs[r].multipliers : NULL,
            .aggregation = as->alternatives[ACV_FACTOR_AGGREGATION]
                                           [m->runs[r].alternative[ACV_FACTOR_AGGREGATION]],
            .normalisation = as->alternatives[ACV_FACTOR_NORMALISATION]
                                             [m->runs[r].alternative[ACV_FACTOR_NORMALISATION]],
            .imputation = as->alternatives[ACV_FACTOR_IMPUTATION]
                                          [m->runs[r].alternative[ACV_FACTOR_IMPUTATION]],
        };
    }

    /* the replications, their ranks and each one's mean absolute rank change */
    replicated = malloc(m->n_runs * n_areas * sizeof *replicated);
    ranks = malloc(m->n_runs * n_areas * sizeof *ranks);
    sorted = malloc(req->n * sizeof *sorted);
    if (!replicated || !ranks || !sorted) {
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory for %zu replications of %zu areas",
                           m->n_runs, n_areas);
        goto done;
    }
    acv_replicate_request rr = {.level = m->nominal->level,
                                .code = m->nominal->code,
                                .n_areas = n_areas,
                                .values = values,
                                .scores = scores,
                                .n_runs = m->n_runs,
                                .runs = assumptions,
                                .jobs = req->jobs};
    st = acv_replicate_all(ctx, &rr, replicated, err);
    if (st != ACV_OK)
        goto done;
    for (size_t r = 0; r < m->n_runs; r++) {
        int *rk = ranks + r * n_areas;
        if (acv_uncertainty_rank(replicated + r * n_areas, codes, n_areas, rk) != 0) {
            st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
            goto done;
        }
        double sum = 0;
        for (size_t a = 0; a < n_areas; a++)
            sum += abs(rk[a] - m->areas[a].rank);
        m->runs[r].mean_abs_change = sum / (double)n_areas;
    }

    /* per area, over the A rows */
    for (size_t a = 0; a < n_areas; a++) {
        acv_uncertainty_area *ar = &m->areas[a];
        ar->ranks = acv_arena_alloc(&m->arena, req->n * sizeof *ar->ranks);
        if (!ar->ranks) {
            st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
            goto done;
        }
        double sum = 0;
        for (size_t j = 0; j < req->n; j++) {
            ar->ranks[j] = ranks[j * n_areas + a];
            sorted[j] = ar->ranks[j];
            sum += sorted[j];
        }
        qsort(sorted, req->n, sizeof *sorted, by_double);
        ar->mean_rank = sum / (double)req->n;
        ar->median_rank = acv_quantile_sorted(sorted, req->n, 0.5);
        ar->q05 = acv_quantile_sorted(sorted, req->n, 0.05);
        ar->q95 = acv_quantile_sorted(sorted, req->n, 0.95);
    }
    if (req->sensitivity) {
        double *f = malloc(m->n_runs * sizeof *f);
        if (!f) {
            st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
            goto done;
        }
        for (size_t r = 0; r < m->n_runs; r++)
            f[r] = m->runs[r].mean_abs_change;
        m->variance =
            acv_sobol_estimate(f, f + req->n, f + 2 * req->n, req->n, ACV_N_FACTORS, m->sobol);
        free(f);
    }
done:
    free(values);
    free(scores);
    free(replicated);
    free(ranks);
    free(sorted);
    free(area_names);
    free(ind_names);
    free(assumptions);
    free(codes);
    if (st != ACV_OK) {
        acv_uncertainty_free(m);
        return st;
    }
    *out = m;
    return ACV_OK;
}

void acv_uncertainty_free(acv_uncertainty_model *m)
{
    if (!m)
        return;
    acv_rank_free(m->nominal);
    acv_assumptions_free(&m->assumptions);
    acv_arena_free(&m->arena);
    free(m);
}

/* ---- rendering ---------------------------------------------------------------------------- */

/* A rank statistic: up to three decimals, no trailing zeros ("2", "2.5", "2.625"). */
static void fmt_rank(double v, char *out, size_t size)
{
    snprintf(out, size, "%.3f", v);
    char *dot = strchr(out, '.');
    if (!dot)
        return;
    char *end = out + strlen(out) - 1;
    while (end > dot && *end == '0')
        *end-- = '\0';
    if (end == dot)
        *end = '\0';
}

static const char *alternative(const acv_uncertainty_model *m, const acv_uncertainty_run *r, int f)
{
    return m->assumptions.alternatives[f][r->alternative[f]];
}

static void selection_phrase(const acv_rank_model *m, acv_buf *b)
{
    if (m->selection.parent)
        acv_buf_printf(b, "areas under %s", m->selection.parent);
    else if (m->selection.country)
        acv_buf_printf(b, "sub-national areas of country %s", m->selection.country);
    else
        acv_buf_puts(b, "all sub-national areas");
}

static void levels_phrase(const acv_assumptions *as, acv_buf *b)
{
    const char *sep = "";
    if (as->on_indicators) {
        acv_buf_puts(b, "indicator");
        sep = ", ";
    }
    if (as->on_action_areas) {
        acv_buf_printf(b, "%saction_area", sep);
        sep = ", ";
    }
    if (as->on_pillars)
        acv_buf_printf(b, "%spillar", sep);
}

static void render_table(const acv_uncertainty_model *m, acv_buf *out)
{
    const acv_rank_model *n = m->nominal;
    const acv_assumptions *as = &m->assumptions;
    acv_buf_printf(out, "Uncertainty of the ranking by %s, %d: ", n->what, n->year);
    selection_phrase(n, out);
    acv_buf_printf(out,
                   "\n%zu ranked, %zu without an official score; %zu replications, seed %llu\n",
                   n->n_ranked, n->n_unranked, m->n, (unsigned long long)m->seed);
    acv_buf_printf(out, "Assumptions (%s): weights x (1 + U(-%g, %g)) on ", as->file, as->noise,
                   as->noise);
    levels_phrase(as, out);
    for (int f = ACV_FACTOR_AGGREGATION; f < ACV_N_FACTORS; f++) {
        acv_buf_printf(out, "; %s ", acv_factor_name(f));
        for (size_t i = 0; i < as->n_alternatives[f]; i++)
            acv_buf_printf(out, "%s%s", i ? " | " : "", as->alternatives[f][i]);
    }
    acv_buf_puts(out, "\nRank over the replications: mean, median and 5th to 95th percentiles "
                      "(Hyndman-Fan definition 7)\n\n");
    static const acv_table_column cols[] = {{"RANK", 0}, {"AREA", 0},   {"NAME", 48}, {"SCORE", 0},
                                            {"MEAN", 0}, {"MEDIAN", 0}, {"Q5", 0},    {"Q95", 0}};
    acv_table t;
    acv_table_init(&t, cols, 8);
    acv_error err;
    for (size_t i = 0; i < m->n_areas; i++) {
        const acv_uncertainty_area *a = &m->areas[i];
        char rank[32], score[32], mean[32], median[32], q05[32], q95[32];
        snprintf(rank, sizeof rank, "%s%d", a->tied ? "=" : "", a->rank);
        snprintf(score, sizeof score, "%.1f", a->score);
        fmt_rank(a->mean_rank, mean, sizeof mean);
        fmt_rank(a->median_rank, median, sizeof median);
        fmt_rank(a->q05, q05, sizeof q05);
        fmt_rank(a->q95, q95, sizeof q95);
        const char *cells[] = {rank, a->code, a->name, score, mean, median, q05, q95};
        if (acv_table_add(&t, cells, &err) != ACV_OK)
            out->failed = 1;
    }
    acv_table_render(&t, out);
    acv_table_free(&t);
    acv_rank_render_unranked(n, out);
    if (!m->sensitivity)
        return;
    acv_buf_printf(out,
                   "\nSensitivity: Sobol indices of the mean absolute rank change (%zu base rows, "
                   "%zu replications; variance %.4g)\n",
                   m->n, m->n_runs, m->variance);
    static const acv_table_column scols[] = {{"ASSUMPTION", 0}, {"FIRST-ORDER", 0}, {"TOTAL", 0}};
    acv_table_init(&t, scols, 3);
    for (int f = 0; f < ACV_N_FACTORS; f++) {
        char first[32], total[32];
        snprintf(first, sizeof first, "%.3f", m->sobol[f].first);
        snprintf(total, sizeof total, "%.3f", m->sobol[f].total);
        const char *cells[] = {acv_factor_name(f), first, total};
        if (acv_table_add(&t, cells, &err) != ACV_OK)
            out->failed = 1;
    }
    acv_table_render(&t, out);
    acv_table_free(&t);
}

static void render_csv(const acv_uncertainty_model *m, acv_buf *out)
{
    acv_csv_writer w = acv_csvwrite_to_buf(out);
    static const char *const head[] = {"rank",      "tied",        "area", "name", "score",
                                       "mean_rank", "median_rank", "q05",  "q95",  "reason"};
    for (size_t i = 0; i < sizeof head / sizeof *head; i++)
        acv_csvwrite_raw(&w, head[i]);
    acv_csvwrite_end_row(&w);
    for (size_t i = 0; i < m->n_areas; i++) {
        const acv_uncertainty_area *a = &m->areas[i];
        acv_csvwrite_integer(&w, a->rank);
        acv_csvwrite_raw(&w, a->tied ? "true" : "false");
        acv_csvwrite_text(&w, a->code);
        acv_csvwrite_text(&w, a->name);
        acv_csvwrite_number(&w, 1, a->score);
        acv_csvwrite_number(&w, 1, a->mean_rank);
        acv_csvwrite_number(&w, 1, a->median_rank);
        acv_csvwrite_number(&w, 1, a->q05);
        acv_csvwrite_number(&w, 1, a->q95);
        acv_csvwrite_text(&w, NULL);
        acv_csvwrite_end_row(&w);
    }
    for (size_t i = 0; i < m->nominal->n_unranked; i++) {
        const acv_rank_entry *e = &m->nominal->unranked[i];
        acv_csvwrite_text(&w, NULL);
        acv_csvwrite_text(&w, NULL);
        acv_csvwrite_text(&w, e->code);
        acv_csvwrite_text(&w, e->name);
        for (int k = 0; k < 5; k++)
            acv_csvwrite_text(&w, NULL);
        acv_csvwrite_text(&w, e->reason);
        acv_csvwrite_end_row(&w);
    }
}

/* Whether weight w (luareplicate.h order) can change a score at the level ranked: the
 * indicators of the action area ranked; the action areas of the pillar ranked and their
 * indicators; every weight for the overall score. */
static int weight_matters(const acv_uncertainty_model *m, size_t w)
{
    const acv_framework *fw = m->fw;
    const char *level = m->nominal->level, *code = m->nominal->code;
    if (strcmp(level, "overall") == 0)
        return 1;
    size_t n_ind = fw->n_indicators, n_aa = fw->n_action_areas;
    if (w >= n_ind + n_aa)
        return 0; /* a pillar weight */
    size_t aa = w < n_ind ? fw->indicators[w].action_area : w - n_ind;
    if (strcmp(level, "action_area") == 0)
        return w < n_ind && strcmp(fw->action_areas[aa].id, code) == 0;
    return strcmp(fw->pillars[fw->action_areas[aa].pillar].id, code) == 0;
}

static void render_json(const acv_uncertainty_model *m, acv_buf *out)
{
    const acv_rank_model *n = m->nominal;
    const acv_assumptions *as = &m->assumptions;
    const acv_framework *fw = m->fw;
    acv_buf_puts(out, "{");
    acv_buf_json_str_field(out, "level", n->level, 1);
    acv_buf_json_str_field(out, "code", n->code, 1);
    acv_buf_json_str_field(out, "country", n->selection.country, 1);
    acv_buf_json_str_field(out, "parent", n->selection.parent, 1);
    acv_buf_printf(out, "\"year\":%d,\"replications\":%zu,\"seed\":%llu,", n->year, m->n,
                   (unsigned long long)m->seed);
    acv_buf_puts(out, "\"assumptions\":{");
    acv_buf_json_str_field(out, "file", as->file, 1);
    acv_buf_json_num_field(out, "weights_noise", 1, as->noise, 1);
    acv_buf_printf(out, "\"weights_levels\":[%s%s%s%s%s]", as->on_indicators ? "\"indicator\"" : "",
                   as->on_indicators && as->on_action_areas ? "," : "",
                   as->on_action_areas ? "\"action_area\"" : "",
                   (as->on_indicators || as->on_action_areas) && as->on_pillars ? "," : "",
                   as->on_pillars ? "\"pillar\"" : "");
    for (int f = ACV_FACTOR_AGGREGATION; f < ACV_N_FACTORS; f++) {
        acv_buf_printf(out, ",\"%s\":[", acv_factor_name(f));
        for (size_t i = 0; i < as->n_alternatives[f]; i++) {
            acv_buf_puts(out, i ? "," : "");
            acv_buf_json_string(out, as->alternatives[f][i]);
        }
        acv_buf_puts(out, "]");
    }
    acv_buf_puts(out, "},\"quantiles\":\"Hyndman-Fan definition 7\",\"ranked\":[");
    for (size_t i = 0; i < m->n_areas; i++) {
        const acv_uncertainty_area *a = &m->areas[i];
        acv_buf_printf(out, "%s{\"rank\":%d,\"tied\":%s,", i ? "," : "", a->rank,
                       a->tied ? "true" : "false");
        acv_buf_json_str_field(out, "area", a->code, 1);
        acv_buf_json_str_field(out, "name", a->name, 1);
        acv_buf_json_num_field(out, "score", 1, a->score, 1);
        acv_buf_json_num_field(out, "mean_rank", 1, a->mean_rank, 1);
        acv_buf_json_num_field(out, "median_rank", 1, a->median_rank, 1);
        acv_buf_json_num_field(out, "q05", 1, a->q05, 1);
        acv_buf_json_num_field(out, "q95", 1, a->q95, 1);
        acv_buf_puts(out, "\"ranks\":[");
        for (size_t j = 0; j < m->n; j++)
            acv_buf_printf(out, "%s%d", j ? "," : "", a->ranks[j]);
        acv_buf_puts(out, "]}");
    }
    acv_buf_puts(out, "],\"not_ranked\":[");
    for (size_t i = 0; i < n->n_unranked; i++) {
        const acv_rank_entry *e = &n->unranked[i];
        acv_buf_puts(out, i ? ",{" : "{");
        acv_buf_json_str_field(out, "area", e->code, 1);
        acv_buf_json_str_field(out, "name", e->name, 1);
        acv_buf_json_str_field(out, "reason", e->reason, 0);
        acv_buf_puts(out, "}");
    }
    acv_buf_puts(out, "],\"runs\":[");
    for (size_t r = 0; r < m->n; r++) {
        const acv_uncertainty_run *run = &m->runs[r];
        acv_buf_printf(out, "%s{\"run\":%zu,", r ? "," : "", r + 1);
        for (int f = ACV_FACTOR_AGGREGATION; f < ACV_N_FACTORS; f++)
            acv_buf_json_str_field(out, acv_factor_name(f), alternative(m, run, f), 1);
        acv_buf_puts(out, "\"weights\":{");
        int first = 1;
        for (size_t w = 0; as->noise > 0 && w < m->n_weights; w++) {
            if (run->multipliers[w] == 1 || !weight_matters(m, w))
                continue;
            const char *id = w < fw->n_indicators ? fw->indicators[w].id
                             : w < fw->n_indicators + fw->n_action_areas
                                 ? fw->action_areas[w - fw->n_indicators].id
                                 : fw->pillars[w - fw->n_indicators - fw->n_action_areas].id;
            acv_buf_puts(out, first ? "" : ",");
            acv_buf_json_num_field(out, id, 1, run->multipliers[w], 0);
            first = 0;
        }
        acv_buf_puts(out, "},");
        acv_buf_json_num_field(out, "mean_abs_rank_change", 1, run->mean_abs_change, 0);
        acv_buf_puts(out, "}");
    }
    acv_buf_puts(out, "],\"sensitivity\":");
    if (!m->sensitivity) {
        acv_buf_puts(out, "null}\n");
        return;
    }
    acv_buf_printf(out, "{\"base_rows\":%zu,\"replications\":%zu,", m->n, m->n_runs);
    acv_buf_json_num_field(out, "variance", 1, m->variance, 1);
    acv_buf_puts(out, "\"indices\":[");
    for (int f = 0; f < ACV_N_FACTORS; f++) {
        acv_buf_puts(out, f ? ",{" : "{");
        acv_buf_json_str_field(out, "assumption", acv_factor_name(f), 1);
        acv_buf_json_num_field(out, "first_order", 1, m->sobol[f].first, 1);
        acv_buf_json_num_field(out, "total", 1, m->sobol[f].total, 0);
        acv_buf_puts(out, "}");
    }
    acv_buf_puts(out, "]}}\n");
}

void acv_uncertainty_render(const acv_uncertainty_model *m, acv_rank_format format, acv_buf *out)
{
    if (format == ACV_RANK_CSV)
        render_csv(m, out);
    else if (format == ACV_RANK_JSON)
        render_json(m, out);
    else
        render_table(m, out);
}
