/*
 * gen.c — acvbench-gen, the deterministic ASEAN-scale data generator of the benchmark (issue 8).
 *
 * Writes, into --out DIR:
 *   areas.csv                 ASEAN -> 10 member states -> provinces/regions -> local governments,
 *                             in the layout of `acvtrack areas import` (parents before children)
 *   observations.csv          long layout area,indicator,period,value in the workspace's key order
 *                             (area, indicator, period) for a fresh workspace that imported
 * areas.csv observations-shuffled.csv the same lines in a random order (only with --shuffle)
 *   indicators.csv            the series written, in key order: code,kind,direction,worst,best,
 *                             action_area,pillar (read by the baselines)
 *
 * The series are the framework's indicators (all of them: 86 in the starter framework) followed by
 * its first K data elements (--data-elements, default 19), so a local government has 105 series;
 * with 5 years and about 5% gaps that is ~499 rows, and the full size (20,000 local governments) is
 * ~10.0 million rows. The indicators and their bounds come from a small line scanner over
 * the YAML files in FRAMEWORK/indicators/ (the `- id:`, `direction:`, `action_area:`, `worst:` and
 * `best:` lines), in the order the engine loads them (pillar files in framework.pillar_order, data
 * elements after).
 *
 * Determinism: every value is a pure function of (seed, area, series, year) through a 64-bit mixer,
 * the shuffle uses the same mixer as its random stream, and no libm function is called, so the same
 * seed and framework give the same bytes on every machine.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define GEN_MAX_SERIES 1024
#define GEN_MAX_FILES 64

typedef struct {
    char code[64];
    char direction[24];
    char action_area[64];
    char pillar[16];
    double worst, best;
    int has_worst, has_best;
    int is_data_element;
} gen_series;

typedef struct {
    const char *code;
    const char *name;
    int tier1;           /* provinces, regions or states */
    int local_govs;      /* local governments at the level the benchmark scores */
    double pop_millions; /* approximate national population, for plausible area sizes */
} gen_country;

/* Counts from shared/reference/acv2045-context.md section 4.2 (tier-1 units; municipal-level local
 * governments, or the lowest elected tier where there is no municipal one). Sum: 15,618; the
 * generator scales them to the requested total. Populations are rounded national figures. */
static const gen_country GEN_COUNTRIES[] = {
    {"BN", "Brunei Darussalam", 4, 3, 0.45}, /* 4 districts; 3 municipal boards */
    {"ID", "Indonesia", 38, 514, 278.0},     /* 38 provinces; 416 kabupaten + 98 kota */
    {"KH", "Cambodia", 25, 1650, 17.0},      /* 25 capital/provinces; ~1,650 communes/sangkats */
    {"LA", "Lao PDR", 18, 148, 7.6},         /* 18 provinces; ~148 districts */
    {"MM", "Myanmar", 15, 330, 54.0},        /* 15 states/regions/NPT; ~330 townships */
    {"MY", "Malaysia", 16, 155, 34.0},       /* 13 states + 3 FTs; 155 local authorities */
    {"PH", "Philippines", 82, 1642, 113.0},  /* 82 provinces; ~149 cities + ~1,493 municipalities */
    {"SG", "Singapore", 1, 5, 6.0},          /* city-state; 5 CDC districts */
    {"TH", "Thailand", 76, 7850, 66.0},      /* 76 provinces; ~7,850 LAOs */
    {"VN", "Viet Nam", 34, 3321, 100.0},     /* 34 provinces (2025); 3,321 communes */
};
#define GEN_N_COUNTRIES (sizeof GEN_COUNTRIES / sizeof GEN_COUNTRIES[0])

typedef struct {
    char code[24];
    double population;
} gen_lg;

typedef struct {
    const char *framework;
    const char *out;
    uint64_t seed;
    long n_lgs;
    int n_years, last_year, n_data_elements;
    int shuffle, list_series;
    /* loaded */
    gen_series *series;
    size_t n_series;
    gen_lg *lgs;
} gen_state;

enum {
    SALT_DEV = 1,
    SALT_BASE,
    SALT_TREND,
    SALT_NOISE1,
    SALT_NOISE2,
    SALT_NOISE3,
    SALT_SERIES_GAP,
    SALT_YEAR_GAP,
    SALT_OUTLIER,
    SALT_OUTLIER_SIZE,
    SALT_POP1,
    SALT_POP2,
    SALT_POP3,
    SALT_PROV,
    SALT_DE_FACTOR,
    SALT_DE_GROWTH,
    SALT_SHUFFLE
};

/* ---- randomness: splitmix64's finaliser as a stateless hash ------------------------------------
 */

static uint64_t gen_mix(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t gen_hash(uint64_t seed, uint64_t a, uint64_t b, uint64_t c, uint64_t salt)
{
    return gen_mix(seed ^ gen_mix(a ^ gen_mix(b ^ gen_mix(c ^ gen_mix(salt)))));
}

/* A double in [0, 1) from a hash. */
static double gen_unit(uint64_t h)
{
    return (double)(h >> 11) * (1.0 / 9007199254740992.0);
}

static double gen_u(const gen_state *g, uint64_t a, uint64_t b, uint64_t c, uint64_t salt)
{
    return gen_unit(gen_hash(g->seed, a, b, c, salt));
}

/* ---- the framework's series, by a line scanner -------------------------------------------------
 */

static char *gen_trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    if (n >= 2 && ((s[0] == '"' && s[n - 1] == '"') || (s[0] == '\'' && s[n - 1] == '\''))) {
        s[n - 1] = '\0';
        s++;
    }
    return s;
}

/* "    key: value" at exactly `indent` spaces: the value, or NULL. */
static char *gen_key(char *line, int indent, const char *key)
{
    for (int i = 0; i < indent; i++)
        if (line[i] != ' ')
            return NULL;
    line += indent;
    size_t k = strlen(key);
    if (strncmp(line, key, k) != 0 || line[k] != ':')
        return NULL;
    return gen_trim(line + k + 1);
}

typedef struct {
    char name[256];
    char pillar[16];
    char order[128]; /* framework.pillar_order, as written: "[PS, EC, SC, CN]" */
    gen_series *ind;
    size_t n_ind;
    gen_series *de;
    size_t n_de;
} gen_file;

static int gen_name_cmp(const void *a, const void *b)
{
    return strcmp(((const gen_file *)a)->name, ((const gen_file *)b)->name);
}

static int gen_scan_file(const char *dir, gen_file *f)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, f->name);
    FILE *in = fopen(path, "r");
    if (!in) {
        fprintf(stderr, "acvbench-gen: %s: %s\n", path, strerror(errno));
        return -1;
    }
    f->ind = calloc(GEN_MAX_SERIES, sizeof *f->ind);
    f->de = calloc(GEN_MAX_SERIES, sizeof *f->de);
    if (!f->ind || !f->de) {
        fclose(in);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    char section[64] = "";
    gen_series *cur = NULL;
    int in_bounds = 0;
    while (getline(&line, &cap, in) >= 0) {
        if (line[0] == '#' || line[0] == '\n' || line[0] == '\r')
            continue;
        if (line[0] != ' ') {
            char *colon = strchr(line, ':');
            size_t n = colon ? (size_t)(colon - line) : 0;
            if (n >= sizeof section)
                n = sizeof section - 1;
            memcpy(section, line, n);
            section[n] = '\0';
            cur = NULL;
            in_bounds = 0;
            continue;
        }
        char *v;
        if (strcmp(section, "pillar") == 0 && (v = gen_key(line, 2, "id")) != NULL) {
            snprintf(f->pillar, sizeof f->pillar, "%s", v);
        } else if (strcmp(section, "framework") == 0 &&
                   (v = gen_key(line, 2, "pillar_order")) != NULL) {
            snprintf(f->order, sizeof f->order, "%s", v);
        } else if (strcmp(section, "indicators") == 0 || strcmp(section, "data_elements") == 0) {
            int is_de = section[0] == 'd';
            if ((v = gen_key(line, 2, "- id")) != NULL) {
                size_t *n = is_de ? &f->n_de : &f->n_ind;
                if (*n == GEN_MAX_SERIES) {
                    fprintf(stderr, "acvbench-gen: %s: more than %d series\n", path,
                            GEN_MAX_SERIES);
                    free(line);
                    fclose(in);
                    return -1;
                }
                cur = is_de ? &f->de[(*n)++] : &f->ind[(*n)++];
                snprintf(cur->code, sizeof cur->code, "%s", v);
                cur->is_data_element = is_de;
                snprintf(cur->pillar, sizeof cur->pillar, "%s", f->pillar);
                in_bounds = 0;
            } else if (cur && line[4] != ' ') {
                in_bounds = 0;
                if ((v = gen_key(line, 4, "direction")) != NULL)
                    snprintf(cur->direction, sizeof cur->direction, "%s", v);
                else if ((v = gen_key(line, 4, "action_area")) != NULL)
                    snprintf(cur->action_area, sizeof cur->action_area, "%s", v);
                else if (gen_key(line, 4, "bounds") != NULL)
                    in_bounds = 1;
            } else if (cur && in_bounds) {
                if ((v = gen_key(line, 6, "worst")) != NULL) {
                    cur->worst = strtod(v, NULL);
                    cur->has_worst = 1;
                } else if ((v = gen_key(line, 6, "best")) != NULL) {
                    cur->best = strtod(v, NULL);
                    cur->has_best = 1;
                }
            }
        }
    }
    free(line);
    fclose(in);
    return 0;
}

/* Position of pillar `id` in "[PS, EC, SC, CN]"; 1000 when absent (the engine's rank). */
static long gen_pillar_rank(const char *order, const char *id)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", order);
    long k = 0;
    for (char *tok = strtok(buf, "[], "); tok; tok = strtok(NULL, "[], "), k++)
        if (strcmp(tok, id) == 0)
            return k;
    return 1000;
}

static int gen_load_series(gen_state *g)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/indicators", g->framework);
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr,
                "acvbench-gen: %s: %s (use --framework with the folder that holds "
                "indicators/)\n",
                dir, strerror(errno));
        return -1;
    }
    gen_file *files = calloc(GEN_MAX_FILES, sizeof *files);
    if (!files) {
        closedir(d);
        return -1;
    }
    size_t n_files = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n_files < GEN_MAX_FILES) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] == '.' || n < 5 || strcmp(e->d_name + n - 4, ".yml") != 0)
            continue;
        snprintf(files[n_files++].name, sizeof files[0].name, "%s", e->d_name);
    }
    closedir(d);
    qsort(files, n_files, sizeof *files, gen_name_cmp);
    int rc = 0;
    const char *order = "";
    for (size_t i = 0; i < n_files && rc == 0; i++) {
        rc = gen_scan_file(dir, &files[i]);
        if (rc == 0 && files[i].order[0])
            order = files[i].order;
    }
    /* the engine's order: files by name, pillar files moved after the others in pillar_order */
    size_t idx[GEN_MAX_FILES];
    long rank[GEN_MAX_FILES];
    for (size_t i = 0; i < n_files; i++) {
        idx[i] = i;
        rank[i] = files[i].pillar[0] ? gen_pillar_rank(order, files[i].pillar) : -1;
    }
    for (size_t i = 1; i < n_files; i++) {
        size_t v = idx[i], j = i;
        while (j > 0 && rank[idx[j - 1]] > rank[v]) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = v;
    }
    size_t total = 0, n_de = 0;
    for (size_t i = 0; i < n_files; i++) {
        total += files[i].n_ind;
        n_de += files[i].n_de;
    }
    size_t want_de = (size_t)g->n_data_elements < n_de ? (size_t)g->n_data_elements : n_de;
    g->series = calloc(total + want_de + 1, sizeof *g->series);
    if (rc == 0 && !g->series)
        rc = -1;
    for (size_t k = 0; rc == 0 && k < n_files; k++) {
        const gen_file *f = &files[idx[k]];
        for (size_t i = 0; i < f->n_ind; i++)
            g->series[g->n_series++] = f->ind[i];
    }
    for (size_t k = 0; rc == 0 && k < n_files; k++) {
        const gen_file *f = &files[idx[k]];
        for (size_t i = 0; i < f->n_de && want_de > 0; i++, want_de--)
            g->series[g->n_series++] = f->de[i];
    }
    for (size_t i = 0; i < n_files; i++) {
        free(files[i].ind);
        free(files[i].de);
    }
    free(files);
    if (rc == 0 && g->n_series == 0) {
        fprintf(stderr, "acvbench-gen: no indicators found in the .yml files of %s\n", dir);
        rc = -1;
    }
    return rc;
}

/* ---- areas
 * --------------------------------------------------------------------------------------- */

/* Largest-remainder apportionment of `total` by weights; each part gets at least `min_each`. */
static void gen_apportion(long total, const double *w, size_t n, long min_each, long *out)
{
    long base = total - min_each * (long)n;
    if (base < 0) {
        min_each = 0;
        base = total;
    }
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += w[i];
    long given = 0;
    double rem[128];
    for (size_t i = 0; i < n; i++) {
        double q = sum > 0 ? (double)base * w[i] / sum : 0;
        out[i] = (long)q;
        rem[i] = q - (double)out[i];
        given += out[i];
    }
    while (given < base) {
        size_t best = 0;
        for (size_t i = 1; i < n; i++)
            if (rem[i] > rem[best])
                best = i;
        out[best]++;
        rem[best] = -1;
        given++;
    }
    for (size_t i = 0; i < n; i++)
        out[i] += min_each;
}

static FILE *gen_open(const gen_state *g, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", g->out, name);
    FILE *f = fopen(path, "w");
    if (!f)
        fprintf(stderr, "acvbench-gen: %s: %s\n", path, strerror(errno));
    else
        setvbuf(f, NULL, _IOFBF, 1 << 20);
    return f;
}

static int gen_close(FILE *f, const gen_state *g, const char *name)
{
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        fprintf(stderr, "acvbench-gen: %s/%s: write error\n", g->out, name);
        return -1;
    }
    return 0;
}

static int gen_areas(gen_state *g)
{
    const char *src = "acvtrack bench generator (synthetic; counts after acv2045-context.md 4.2)";
    FILE *f = gen_open(g, "areas.csv");
    if (!f)
        return -1;
    g->lgs = calloc((size_t)g->n_lgs + 1, sizeof *g->lgs);
    if (!g->lgs) {
        fclose(f);
        return -1;
    }
    double w[GEN_N_COUNTRIES];
    long per_country[GEN_N_COUNTRIES];
    for (size_t c = 0; c < GEN_N_COUNTRIES; c++)
        w[c] = GEN_COUNTRIES[c].local_govs;
    gen_apportion(g->n_lgs, w, GEN_N_COUNTRIES, g->n_lgs >= (long)GEN_N_COUNTRIES ? 1 : 0,
                  per_country);
    fprintf(f, "code,name,level,parent,country,population,population_year,source\n");
    fprintf(f, "ASEAN,Association of Southeast Asian Nations (ASEAN),region,,,,,%s\n", src);
    for (size_t c = 0; c < GEN_N_COUNTRIES; c++)
        fprintf(f, "%s,%s,country,ASEAN,%s,%.0f,2024,%s\n", GEN_COUNTRIES[c].code,
                GEN_COUNTRIES[c].name, GEN_COUNTRIES[c].code, GEN_COUNTRIES[c].pop_millions * 1e6,
                src);
    long lg = 0;
    for (size_t c = 0; c < GEN_N_COUNTRIES; c++) {
        const gen_country *co = &GEN_COUNTRIES[c];
        long n = per_country[c];
        if (n == 0)
            continue;
        long n_prov = co->tier1 < n ? co->tier1 : n;
        double pw[128];
        long per_prov[128];
        for (long p = 0; p < n_prov; p++)
            pw[p] = 0.3 + gen_u(g, c, (uint64_t)p, 0, SALT_PROV);
        gen_apportion(n, pw, (size_t)n_prov, 1, per_prov);
        /* the real average size of the country's local governments, whatever the requested total */
        double mean_pop = co->pop_millions * 1e6 / (double)co->local_govs;
        for (long p = 0; p < n_prov; p++) {
            /* province population: the sum of its local governments, computed first */
            long first = lg;
            double prov_pop = 0;
            for (long k = 0; k < per_prov[p]; k++, lg++) {
                double skew = (0.15 + 1.7 * gen_u(g, (uint64_t)lg, 0, 0, SALT_POP1)) *
                              (0.3 + 1.4 * gen_u(g, (uint64_t)lg, 0, 0, SALT_POP2)) *
                              (0.5 + gen_u(g, (uint64_t)lg, 0, 0, SALT_POP3));
                if (k == 0 && per_prov[p] > 1)
                    skew *= 4; /* the provincial capital */
                double pop = (double)(long)(mean_pop * skew + 500.5);
                snprintf(g->lgs[lg].code, sizeof g->lgs[lg].code, "%s-P%02ld-%04ld", co->code,
                         p + 1, k + 1);
                g->lgs[lg].population = pop;
                prov_pop += pop;
            }
            fprintf(f, "%s-P%02ld,%s province %02ld (synthetic),province,%s,%s,%.0f,2024,%s\n",
                    co->code, p + 1, co->name, p + 1, co->code, co->code, prov_pop, src);
            for (long k = first; k < lg; k++)
                fprintf(f, "%s,%s local government %s (synthetic),%s,%s-P%02ld,%s,%.0f,2024,%s\n",
                        g->lgs[k].code, co->name, g->lgs[k].code + strlen(co->code) + 1,
                        k == first ? "city" : "municipality", co->code, p + 1, co->code,
                        g->lgs[k].population, src);
        }
    }
    return gen_close(f, g, "areas.csv");
}

/* ---- observations -------------------------------------------------------------------------------
 */

/* Writes the row of cell (lg, s, y) into buf; returns its length, or 0 for a gap. */
static int gen_cell(const gen_state *g, size_t lg, size_t s, int y, char *buf, size_t size)
{
    const gen_series *se = &g->series[s];
    if (gen_u(g, lg, s, 0, SALT_SERIES_GAP) < 0.02) /* the area never reports this series */
        return 0;
    if (gen_u(g, lg, s, (uint64_t)y, SALT_YEAR_GAP) < 0.03) /* a missing year */
        return 0;
    int year = g->last_year - g->n_years + 1 + y;
    double value;
    if (se->is_data_element) {
        double factor = strcmp(se->code, "DE.POP") == 0
                            ? 1.0
                            : 0.001 + 0.999 * gen_u(g, 0, s, 0, SALT_DE_FACTOR);
        double growth = 1.0 + 0.03 * gen_u(g, lg, s, 0, SALT_DE_GROWTH);
        value = g->lgs[lg].population * factor;
        for (int k = y; k < g->n_years - 1; k++)
            value /= growth;
        return snprintf(buf, size, "%s,%s,%d,%.0f\n", g->lgs[lg].code, se->code, year, value);
    }
    double worst = se->has_worst ? se->worst : 0, best = se->has_best ? se->best : 20;
    if (worst == best)
        best = worst + 1;
    /* position between worst (0) and best (1): the area's development level, the series' own
     * level, a trend (mostly improving, sometimes worsening) and year-to-year noise */
    double dev = gen_u(g, lg, 0, 0, SALT_DEV);
    double p0 = 0.1 + 0.8 * (0.6 * dev + 0.4 * gen_u(g, lg, s, 0, SALT_BASE));
    double slope = -0.015 + 0.05 * gen_u(g, lg, s, 0, SALT_TREND);
    double noise =
        (gen_u(g, lg, s, (uint64_t)y, SALT_NOISE1) + gen_u(g, lg, s, (uint64_t)y, SALT_NOISE2) +
         gen_u(g, lg, s, (uint64_t)y, SALT_NOISE3) - 1.5) *
        0.04;
    double pos = p0 + slope * y + noise;
    pos = pos < 0 ? 0 : pos > 1 ? 1 : pos;
    value = worst + pos * (best - worst);
    if (gen_u(g, lg, s, (uint64_t)y, SALT_OUTLIER) < 0.0005) {
        /* a data-entry slip: ten times the largest plausible value */
        double hi = worst > best ? worst : best;
        if (hi <= 0)
            hi = 1;
        value = hi * (8 + 4 * gen_u(g, lg, s, (uint64_t)y, SALT_OUTLIER_SIZE));
        /* still possible: a series whose bounds stay within 0-100 may be a percentage, and an
         * import refuses a percentage above 100 (its physical range); 100 is still a jump */
        if (hi <= 100 && value > 100)
            value = 100;
    }
    return snprintf(buf, size, "%s,%s,%d,%.2f\n", g->lgs[lg].code, se->code, year, value);
}

static int gen_observations(const gen_state *g, long *rows)
{
    FILE *f = gen_open(g, "observations.csv");
    if (!f)
        return -1;
    fputs("area,indicator,period,value\n", f);
    char buf[256];
    *rows = 0;
    for (size_t lg = 0; lg < (size_t)g->n_lgs; lg++)
        for (size_t s = 0; s < g->n_series; s++)
            for (int y = 0; y < g->n_years; y++) {
                int n = gen_cell(g, lg, s, y, buf, sizeof buf);
                if (n > 0) {
                    fwrite(buf, 1, (size_t)n, f);
                    (*rows)++;
                }
            }
    if (gen_close(f, g, "observations.csv") != 0)
        return -1;
    if (!g->shuffle)
        return 0;
    /* the same cells in a random order: a Fisher-Yates permutation of the cell numbers */
    uint64_t cells = (uint64_t)g->n_lgs * g->n_series * (uint64_t)g->n_years;
    if (cells > UINT32_MAX) {
        fprintf(stderr, "acvbench-gen: too many cells to shuffle\n");
        return -1;
    }
    uint32_t *perm = malloc((size_t)cells * sizeof *perm);
    if (!perm) {
        fprintf(stderr, "acvbench-gen: out of memory shuffling %llu cells\n",
                (unsigned long long)cells);
        return -1;
    }
    for (uint32_t i = 0; i < cells; i++)
        perm[i] = i;
    uint64_t state = g->seed ^ 0x5eedULL;
    for (uint64_t i = cells; i > 1; i--) {
        state = gen_mix(state + SALT_SHUFFLE);
        uint64_t j = state % i;
        uint32_t t = perm[i - 1];
        perm[i - 1] = perm[j];
        perm[j] = t;
    }
    f = gen_open(g, "observations-shuffled.csv");
    if (!f) {
        free(perm);
        return -1;
    }
    fputs("area,indicator,period,value\n", f);
    size_t per_lg = g->n_series * (size_t)g->n_years;
    for (uint64_t i = 0; i < cells; i++) {
        size_t c = perm[i];
        int n = gen_cell(g, c / per_lg, (c % per_lg) / (size_t)g->n_years,
                         (int)(c % (size_t)g->n_years), buf, sizeof buf);
        if (n > 0)
            fwrite(buf, 1, (size_t)n, f);
    }
    free(perm);
    return gen_close(f, g, "observations-shuffled.csv");
}

static int gen_indicators(const gen_state *g)
{
    FILE *f = gen_open(g, "indicators.csv");
    if (!f)
        return -1;
    fputs("code,kind,direction,worst,best,action_area,pillar\n", f);
    for (size_t s = 0; s < g->n_series; s++) {
        const gen_series *se = &g->series[s];
        char worst[32] = "", best[32] = "";
        if (se->has_worst)
            snprintf(worst, sizeof worst, "%.17g", se->worst);
        if (se->has_best)
            snprintf(best, sizeof best, "%.17g", se->best);
        fprintf(f, "%s,%s,%s,%s,%s,%s,%s\n", se->code,
                se->is_data_element ? "data_element" : "indicator", se->direction, worst, best,
                se->action_area, se->pillar);
    }
    return gen_close(f, g, "indicators.csv");
}

/* ---- command line -------------------------------------------------------------------------------
 */

static void gen_usage(FILE *out)
{
    fprintf(
        out,
        "Usage: acvbench-gen --framework DIR --out DIR [--size tiny|small|medium|full|N]\n"
        "                    [--seed N] [--years N] [--last-year YEAR] [--data-elements K]\n"
        "                    [--shuffle] [--list-series]\n"
        "Writes areas.csv, observations.csv (key order), indicators.csv and, with --shuffle,\n"
        "observations-shuffled.csv into --out. Sizes are local governments: tiny 20, small 200,\n"
        "medium 2000, full 20000 (default), or N. Defaults: --seed 2045 --years 5 --last-year "
        "2025\n"
        "--data-elements 19 (86 indicators + 19 data elements = 105 series per area).\n"
        "Same seed and framework, same bytes.\n");
}

static long gen_parse_size(const char *s)
{
    if (strcmp(s, "tiny") == 0)
        return 20;
    if (strcmp(s, "small") == 0)
        return 200;
    if (strcmp(s, "medium") == 0)
        return 2000;
    if (strcmp(s, "full") == 0)
        return 20000;
    char *end;
    long n = strtol(s, &end, 10);
    if (*end || n < 1 || n > 1000000)
        return -1;
    return n;
}

static int gen_main(int argc, char **argv)
{
    gen_state g = {
        .seed = 2045, .n_lgs = 20000, .n_years = 5, .last_year = 2025, .n_data_elements = 19};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *end = NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            gen_usage(stdout);
            return 0;
        } else if (strcmp(a, "--shuffle") == 0) {
            g.shuffle = 1;
        } else if (strcmp(a, "--list-series") == 0) {
            g.list_series = 1;
        } else if (!v) {
            fprintf(stderr, "acvbench-gen: '%s' needs a value or is unknown\n", a);
            gen_usage(stderr);
            return 2;
        } else if (strcmp(a, "--framework") == 0) {
            g.framework = v, i++;
        } else if (strcmp(a, "--out") == 0) {
            g.out = v, i++;
        } else if (strcmp(a, "--size") == 0) {
            if ((g.n_lgs = gen_parse_size(v)) < 0) {
                fprintf(stderr,
                        "acvbench-gen: --size '%s' is not tiny, small, medium, full or a "
                        "count of areas\n",
                        v);
                return 2;
            }
            i++;
        } else if (strcmp(a, "--seed") == 0) {
            g.seed = strtoull(v, &end, 10), i++;
        } else if (strcmp(a, "--years") == 0) {
            g.n_years = (int)strtol(v, &end, 10), i++;
        } else if (strcmp(a, "--last-year") == 0) {
            g.last_year = (int)strtol(v, &end, 10), i++;
        } else if (strcmp(a, "--data-elements") == 0) {
            g.n_data_elements = (int)strtol(v, &end, 10), i++;
        } else {
            fprintf(stderr, "acvbench-gen: unknown option '%s'\n", a);
            gen_usage(stderr);
            return 2;
        }
        if (end && *end) {
            fprintf(stderr, "acvbench-gen: '%s %s': not a number\n", a, v);
            return 2;
        }
    }
    if (!g.framework || (!g.out && !g.list_series) || g.n_years < 1 || g.n_years > 50 ||
        g.last_year < 1900 + g.n_years || g.last_year > 2100 || g.n_data_elements < 0) {
        gen_usage(stderr);
        return 2;
    }
    int rc = gen_load_series(&g);
    if (rc == 0 && g.list_series) {
        for (size_t s = 0; s < g.n_series; s++)
            printf("%s\n", g.series[s].code);
        free(g.series);
        return 0;
    }
    if (rc == 0 && mkdir(g.out, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "acvbench-gen: %s: %s\n", g.out, strerror(errno));
        rc = -1;
    }
    long rows = 0;
    if (rc == 0)
        rc = gen_areas(&g);
    if (rc == 0)
        rc = gen_indicators(&g);
    if (rc == 0)
        rc = gen_observations(&g, &rows);
    if (rc == 0)
        printf("acvbench-gen: seed %llu: %ld local governments in %zu countries, %zu series x %d "
               "years: %ld observations%s\n",
               (unsigned long long)g.seed, g.n_lgs,
               g.n_lgs < (long)GEN_N_COUNTRIES ? (size_t)g.n_lgs : GEN_N_COUNTRIES, g.n_series,
               g.n_years, rows, g.shuffle ? " (and a shuffled copy)" : "");
    free(g.series);
    free(g.lgs);
    return rc == 0 ? 0 : 1;
}

#ifndef ACVBENCH_GEN_NO_MAIN
int main(int argc, char **argv)
{
    return gen_main(argc, argv);
}
#endif
