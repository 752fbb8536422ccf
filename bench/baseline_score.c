/*
 * baseline_score.c — acvbench-score, the scoring baseline of the benchmark (issue 8): a plain C
 * loop that reads the same rows the engine scores from a workspace (one scan of observations in
 * primary-key order) and applies the same method as scripts/scoring.lua: per indicator the latest
 * value up to YEAR, min-max between the framework's worst and best bounds clamped to 0-100
 * (contextual indicators not scored), then nested equal-weight means: action area, pillar, overall.
 * It stores nothing; it prints the number of areas scored and the sum of their overall scores, so
 * the benchmark can check that the engine computed the same thing.
 *
 * Usage: acvbench-score DB INDICATORS.csv YEAR [OUT.csv]
 *   INDICATORS.csv is the generator's (code,kind,direction,worst,best,action_area,pillar);
 *   OUT.csv, when given, receives area_id,overall for every area scored.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SERIES 2048
#define MAX_GROUPS 256

typedef struct {
    char code[64];
    int scored; /* an indicator with both bounds, not contextual */
    double worst, best;
    int action_area, pillar;
} series_info;

typedef struct {
    series_info s[MAX_SERIES];
    size_t n;
    char areas[MAX_GROUPS][64];
    int area_pillar[MAX_GROUPS];
    size_t n_areas;
    char pillars[MAX_GROUPS][16];
    size_t n_pillars;
} method;

static int intern(char (*names)[64], size_t *n, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(names[i], name) == 0)
            return (int)i;
    if (*n == MAX_GROUPS)
        return -1;
    snprintf(names[*n], 64, "%s", name);
    return (int)(*n)++;
}

static int intern16(char (*names)[16], size_t *n, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(names[i], name) == 0)
            return (int)i;
    if (*n == MAX_GROUPS)
        return -1;
    snprintf(names[*n], 16, "%s", name);
    return (int)(*n)++;
}

static int load_method(const char *path, method *m)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    long ln = 0;
    while (getline(&line, &cap, f) >= 0) {
        if (++ln == 1)
            continue;
        line[strcspn(line, "\r\n")] = '\0';
        char *fld[7] = {0};
        size_t n = 0;
        for (char *p = line; n < 7;) {
            fld[n++] = p;
            char *c = strchr(p, ',');
            if (!c)
                break;
            *c = '\0';
            p = c + 1;
        }
        if (n != 7 || strcmp(fld[1], "indicator") != 0 || m->n == MAX_SERIES)
            continue;
        series_info *s = &m->s[m->n++];
        snprintf(s->code, sizeof s->code, "%s", fld[0]);
        s->scored = strcmp(fld[2], "contextual") != 0 && fld[3][0] && fld[4][0];
        s->worst = strtod(fld[3], NULL);
        s->best = strtod(fld[4], NULL);
        if (s->worst == s->best)
            s->scored = 0;
        s->pillar = intern16(m->pillars, &m->n_pillars, fld[6]);
        size_t before = m->n_areas;
        s->action_area = intern(m->areas, &m->n_areas, fld[5]);
        if (s->action_area >= 0 && m->n_areas > before)
            m->area_pillar[s->action_area] = s->pillar;
        if (s->pillar < 0 || s->action_area < 0) {
            fclose(f);
            free(line);
            return -1;
        }
    }
    free(line);
    fclose(f);
    return 0;
}

typedef struct {
    const method *m;
    double *latest; /* per series: the latest value up to the year */
    unsigned char *has;
    double area_sum[MAX_GROUPS], pillar_sum[MAX_GROUPS];
    int area_n[MAX_GROUPS], pillar_n[MAX_GROUPS];
    long n_scored;
    double overall_sum;
    FILE *out;
} scorer;

/* Scores one area from the latest values collected, then clears them. */
static void finish_area(scorer *sc, int64_t area_id)
{
    const method *m = sc->m;
    memset(sc->area_sum, 0, sizeof sc->area_sum);
    memset(sc->area_n, 0, sizeof sc->area_n);
    memset(sc->pillar_sum, 0, sizeof sc->pillar_sum);
    memset(sc->pillar_n, 0, sizeof sc->pillar_n);
    for (size_t i = 0; i < m->n; i++) {
        if (!sc->has[i])
            continue;
        sc->has[i] = 0;
        const series_info *s = &m->s[i];
        if (!s->scored)
            continue;
        double score = 100.0 * (sc->latest[i] - s->worst) / (s->best - s->worst);
        score = score < 0 ? 0 : score > 100 ? 100 : score;
        sc->area_sum[s->action_area] += score;
        sc->area_n[s->action_area]++;
    }
    for (size_t a = 0; a < m->n_areas; a++)
        if (sc->area_n[a]) {
            sc->pillar_sum[m->area_pillar[a]] += sc->area_sum[a] / sc->area_n[a];
            sc->pillar_n[m->area_pillar[a]]++;
        }
    double sum = 0;
    int n = 0;
    for (size_t p = 0; p < m->n_pillars; p++)
        if (sc->pillar_n[p]) {
            sum += sc->pillar_sum[p] / sc->pillar_n[p];
            n++;
        }
    if (!n)
        return;
    sc->n_scored++;
    sc->overall_sum += sum / n;
    if (sc->out)
        fprintf(sc->out, "%lld,%.6f\n", (long long)area_id, sum / n);
}

int main(int argc, char **argv)
{
    if (argc < 4 || argc > 5) {
        fprintf(stderr, "Usage: acvbench-score DB INDICATORS.csv YEAR [OUT.csv]\n");
        return 2;
    }
    int year = atoi(argv[3]);
    method *m = calloc(1, sizeof *m);
    if (!m || load_method(argv[2], m) != 0) {
        fprintf(stderr, "acvbench-score: cannot read %s\n", argv[2]);
        free(m);
        return 1;
    }
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "acvbench-score: %s: %s\n", argv[1], sqlite3_errmsg(db));
        sqlite3_close(db);
        free(m);
        return 1;
    }
    /* workspace indicator id -> series index */
    sqlite3_stmt *q = NULL;
    int64_t max_id = 0;
    if (sqlite3_prepare_v2(db, "SELECT max(id) FROM indicators", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        max_id = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    int *index = malloc((size_t)(max_id + 1) * sizeof *index);
    scorer sc = {.m = m};
    sc.latest = calloc(m->n + 1, sizeof *sc.latest);
    sc.has = calloc(m->n + 1, 1);
    if (!index || !sc.latest || !sc.has) {
        fprintf(stderr, "acvbench-score: out of memory\n");
        return 1;
    }
    for (int64_t i = 0; i <= max_id; i++)
        index[i] = -1;
    sqlite3_prepare_v2(db, "SELECT id, code FROM indicators", -1, &q, NULL);
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(q, 1);
        for (size_t i = 0; i < m->n; i++)
            if (strcmp(m->s[i].code, code) == 0)
                index[sqlite3_column_int64(q, 0)] = (int)i;
    }
    sqlite3_finalize(q);
    if (argc == 5 && !(sc.out = fopen(argv[4], "w"))) {
        perror(argv[4]);
        return 1;
    }

    int rc = sqlite3_prepare_v2(db,
                                "SELECT area_id, indicator_id, period, value FROM observations "
                                "WHERE disaggregation = '' ORDER BY area_id, indicator_id, period",
                                -1, &q, NULL);
    if (rc != SQLITE_OK) {
        fprintf(stderr, "acvbench-score: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    int64_t area = -1;
    long rows = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        rows++;
        int64_t a = sqlite3_column_int64(q, 0), ind = sqlite3_column_int64(q, 1);
        if (a != area) {
            if (area >= 0)
                finish_area(&sc, area);
            area = a;
        }
        if (ind < 0 || ind > max_id || index[ind] < 0)
            continue;
        const unsigned char *period = sqlite3_column_text(q, 2);
        if (atoi((const char *)period) > year)
            continue;
        /* rows come in period order: the last one kept is the latest */
        sc.latest[index[ind]] = sqlite3_column_double(q, 3);
        sc.has[index[ind]] = 1;
    }
    if (area >= 0)
        finish_area(&sc, area);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        fprintf(stderr, "acvbench-score: %s\n", sqlite3_errmsg(db));
    sqlite3_close(db);
    if (sc.out)
        fclose(sc.out);
    printf("acvbench-score: %ld rows read, %ld areas scored, sum of overall scores %.6f\n", rows,
           sc.n_scored, sc.overall_sum);
    free(index);
    free(sc.latest);
    free(sc.has);
    free(m);
    return rc == SQLITE_DONE ? 0 : 1;
}
