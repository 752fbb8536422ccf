/*
 * baseline_insert.c — acvbench-insert, the import baseline of the benchmark (issue 8): the least a
 * program can do to put the generator's observations into the workspace's schema. It reads
 * areas.csv and indicators.csv to number the areas and series the way a fresh workspace does (file
 * order), then streams observations.csv through one prepared INSERT reused for every row, in one
 * transaction, with the engine's connection settings (WAL, synchronous=NORMAL, foreign keys on
 * unless --no-fk). No per-row SELECT, no change detection, no sorting: fed the key-ordered file it
 * is the floor the engine's import is measured against; fed the shuffled file it shows what
 * inserting in file order costs.
 *
 * With --sort-chunk N it shows what the engine could do with a file in any order: it reads up to
 * N rows, sorts them by key in memory (24 bytes a row), inserts them, and repeats; N at least the
 * row count sorts the whole file at once.
 *
 * Usage: acvbench-insert [--no-fk] [--cache-mib N] [--sort-chunk N] DB AREAS.csv INDICATORS.csv
 *                        OBSERVATIONS.csv
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The observations table and the tables it references, as engine/storage.c creates them. */
static const char *const SCHEMA =
    "CREATE TABLE areas(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
    "  level TEXT NOT NULL, parent_id INTEGER REFERENCES areas(id), country TEXT,"
    "  population REAL, population_year INTEGER, source TEXT);"
    "CREATE TABLE indicators(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL DEFAULT '', unit TEXT NOT NULL DEFAULT '',"
    "  direction TEXT NOT NULL DEFAULT '', pillar TEXT NOT NULL DEFAULT '',"
    "  action_area TEXT NOT NULL DEFAULT '', core INTEGER NOT NULL DEFAULT 0,"
    "  kind TEXT NOT NULL DEFAULT 'indicator', in_framework INTEGER NOT NULL DEFAULT 1);"
    "CREATE TABLE imports(id INTEGER PRIMARY KEY, file TEXT NOT NULL, sha256 TEXT NOT NULL,"
    "  rows INTEGER NOT NULL, imported_at TEXT NOT NULL, finished INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE observations("
    "  area_id INTEGER NOT NULL REFERENCES areas(id),"
    "  indicator_id INTEGER NOT NULL REFERENCES indicators(id),"
    "  disaggregation TEXT NOT NULL DEFAULT '',"
    "  period TEXT NOT NULL,"
    "  value REAL NOT NULL,"
    "  source TEXT,"
    "  status TEXT,"
    "  comment TEXT,"
    "  import_id INTEGER NOT NULL REFERENCES imports(id),"
    "  line INTEGER NOT NULL,"
    "  PRIMARY KEY (area_id, indicator_id, disaggregation, period)) WITHOUT ROWID;";

/* ---- a string -> id map (open addressing, FNV-1a) ----------------------------------------------
 */

typedef struct {
    char **keys;
    int64_t *ids;
    size_t cap, n;
} code_map;

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int map_put(code_map *m, const char *key, int64_t id)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 1024;
        char **keys = calloc(ncap, sizeof *keys);
        int64_t *ids = calloc(ncap, sizeof *ids);
        if (!keys || !ids) {
            free(keys);
            free(ids);
            return -1;
        }
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i]) {
                size_t j = fnv1a(m->keys[i]) & (ncap - 1);
                while (keys[j])
                    j = (j + 1) & (ncap - 1);
                keys[j] = m->keys[i];
                ids[j] = m->ids[i];
            }
        free(m->keys);
        free(m->ids);
        m->keys = keys;
        m->ids = ids;
        m->cap = ncap;
    }
    size_t j = fnv1a(key) & (m->cap - 1);
    while (m->keys[j]) {
        if (strcmp(m->keys[j], key) == 0)
            return 0; /* first one wins */
        j = (j + 1) & (m->cap - 1);
    }
    if (!(m->keys[j] = strdup(key)))
        return -1;
    m->ids[j] = id;
    m->n++;
    return 0;
}

static int64_t map_get(const code_map *m, const char *key)
{
    if (!m->cap)
        return 0;
    size_t j = fnv1a(key) & (m->cap - 1);
    while (m->keys[j]) {
        if (strcmp(m->keys[j], key) == 0)
            return m->ids[j];
        j = (j + 1) & (m->cap - 1);
    }
    return 0;
}

static void map_free(code_map *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->ids);
}

/* ---- sorting in chunks --------------------------------------------------------------------------
 */

typedef struct {
    uint32_t area, indicator, line;
    uint16_t year, pad;
    double value;
} row;

static int row_cmp(const void *a, const void *b)
{
    const row *x = a, *y = b;
    if (x->area != y->area)
        return x->area < y->area ? -1 : 1;
    if (x->indicator != y->indicator)
        return x->indicator < y->indicator ? -1 : 1;
    if (x->year != y->year)
        return x->year < y->year ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

static int flush_rows(sqlite3 *db, sqlite3_stmt *ins, row *rows, size_t n)
{
    qsort(rows, n, sizeof *rows, row_cmp);
    for (size_t i = 0; i < n; i++) {
        char period[8];
        snprintf(period, sizeof period, "%04u", (unsigned)rows[i].year);
        sqlite3_bind_int64(ins, 1, rows[i].area);
        sqlite3_bind_int64(ins, 2, rows[i].indicator);
        sqlite3_bind_text(ins, 3, period, -1, SQLITE_TRANSIENT);
        sqlite3_bind_double(ins, 4, rows[i].value);
        sqlite3_bind_int64(ins, 5, rows[i].line);
        if (sqlite3_step(ins) != SQLITE_DONE) {
            fprintf(stderr, "acvbench-insert: inserting: %s\n", sqlite3_errmsg(db));
            return -1;
        }
        sqlite3_reset(ins);
    }
    return 0;
}

/* ---- helpers -----------------------------------------------------------------------------------
 */

/* Splits a generator line (no quoted commas in the fields used) in place. */
static size_t split(char *line, char **fields, size_t max)
{
    size_t n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    char *p = line;
    while (n < max) {
        fields[n++] = p;
        char *c = strchr(p, ',');
        if (!c)
            break;
        *c = '\0';
        p = c + 1;
    }
    return n;
}

static int die(sqlite3 *db, const char *what)
{
    fprintf(stderr, "acvbench-insert: %s: %s\n", what, db ? sqlite3_errmsg(db) : "failed");
    return 1;
}

/* Reads the first column of a CSV (after its header) into the map and, with `insert`, the
 * table; ids are 1, 2, ... in file order. */
static int load_codes(sqlite3 *db, const char *path, const char *insert_sql, code_map *m)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return -1;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, insert_sql, -1, &st, NULL) != SQLITE_OK) {
        fclose(f);
        return die(db, "preparing"), -1;
    }
    char *line = NULL;
    size_t cap = 0;
    int64_t id = 0;
    int rc = 0;
    for (long ln = 0; rc == 0 && getline(&line, &cap, f) >= 0; ln++) {
        if (ln == 0)
            continue;
        char *fields[4];
        split(line, fields, 1);
        if (!fields[0][0] || map_get(m, fields[0]))
            continue;
        id++;
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, fields[0], -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_DONE || map_put(m, fields[0], id) != 0)
            rc = -1;
        sqlite3_reset(st);
    }
    if (rc != 0)
        die(db, path);
    free(line);
    sqlite3_finalize(st);
    fclose(f);
    return rc;
}

int main(int argc, char **argv)
{
    int fk = 1, argi = 1;
    long cache_mib = 0, sort_chunk = 0;
    while (argi < argc && strncmp(argv[argi], "--", 2) == 0) {
        if (strcmp(argv[argi], "--no-fk") == 0) {
            fk = 0;
            argi++;
        } else if (strcmp(argv[argi], "--cache-mib") == 0 && argi + 1 < argc) {
            cache_mib = strtol(argv[argi + 1], NULL, 10);
            argi += 2;
        } else if (strcmp(argv[argi], "--sort-chunk") == 0 && argi + 1 < argc) {
            sort_chunk = strtol(argv[argi + 1], NULL, 10);
            argi += 2;
        } else {
            break;
        }
    }
    if (argc - argi != 4) {
        fprintf(stderr, "Usage: acvbench-insert [--no-fk] [--cache-mib N] [--sort-chunk N] DB "
                        "AREAS.csv INDICATORS.csv OBSERVATIONS.csv\n");
        return 2;
    }
    const char *path = argv[argi], *areas = argv[argi + 1], *inds = argv[argi + 2],
               *obs = argv[argi + 3];
    char side[4096];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);

    sqlite3 *db = NULL;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return die(db, path);
    char pragmas[256];
    snprintf(pragmas, sizeof pragmas,
             "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = %s;",
             fk ? "ON" : "OFF");
    if (sqlite3_exec(db, pragmas, NULL, NULL, NULL) != SQLITE_OK)
        return die(db, "pragmas");
    if (cache_mib > 0) {
        snprintf(pragmas, sizeof pragmas, "PRAGMA cache_size = -%ld;", cache_mib * 1024);
        sqlite3_exec(db, pragmas, NULL, NULL, NULL);
    }
    if (sqlite3_exec(db, SCHEMA, NULL, NULL, NULL) != SQLITE_OK)
        return die(db, "schema");
    code_map area_ids = {0}, indicator_ids = {0};
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
        load_codes(db, areas,
                   "INSERT INTO areas(id, code, name, level) VALUES (?1, ?2, ?2, 'city')",
                   &area_ids) != 0 ||
        load_codes(db, inds, "INSERT INTO indicators(id, code, name) VALUES (?1, ?2, ?2)",
                   &indicator_ids) != 0 ||
        sqlite3_exec(db,
                     "INSERT INTO imports(id, file, sha256, rows, imported_at) VALUES "
                     "(1, 'observations.csv', '', 0, '')",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        return die(db, "loading areas and indicators");

    FILE *f = fopen(obs, "r");
    if (!f) {
        perror(obs);
        return 1;
    }
    sqlite3_stmt *ins = NULL;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO observations(area_id, indicator_id, disaggregation, "
                           "period, value, source, status, comment, import_id, line) VALUES "
                           "(?1, ?2, '', ?3, ?4, NULL, NULL, NULL, 1, ?5)",
                           -1, &ins, NULL) != SQLITE_OK)
        return die(db, "preparing the insert");
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return die(db, "BEGIN");
    char *line = NULL;
    size_t cap = 0;
    long ln = 0, rows = 0;
    int rc = 0;
    row *chunk = NULL;
    size_t n_chunk = 0;
    if (sort_chunk > 0 && !(chunk = malloc((size_t)sort_chunk * sizeof *chunk))) {
        fprintf(stderr, "acvbench-insert: out of memory for %ld rows\n", sort_chunk);
        return 1;
    }
    while (getline(&line, &cap, f) >= 0) {
        if (++ln == 1)
            continue;
        char *fld[4];
        if (split(line, fld, 4) != 4) {
            fprintf(stderr, "acvbench-insert: %s:%ld: expected 4 fields\n", obs, ln);
            rc = 1;
            break;
        }
        int64_t a = map_get(&area_ids, fld[0]), i = map_get(&indicator_ids, fld[1]);
        if (!a || !i) {
            fprintf(stderr, "acvbench-insert: %s:%ld: unknown area or indicator\n", obs, ln);
            rc = 1;
            break;
        }
        if (chunk) {
            chunk[n_chunk++] = (row){.area = (uint32_t)a,
                                     .indicator = (uint32_t)i,
                                     .line = (uint32_t)ln,
                                     .year = (uint16_t)atoi(fld[2]),
                                     .value = strtod(fld[3], NULL)};
            rows++;
            if (n_chunk == (size_t)sort_chunk) {
                if (flush_rows(db, ins, chunk, n_chunk) != 0) {
                    rc = 1;
                    break;
                }
                n_chunk = 0;
            }
            continue;
        }
        sqlite3_bind_int64(ins, 1, a);
        sqlite3_bind_int64(ins, 2, i);
        sqlite3_bind_text(ins, 3, fld[2], -1, SQLITE_STATIC);
        sqlite3_bind_double(ins, 4, strtod(fld[3], NULL));
        sqlite3_bind_int64(ins, 5, ln);
        if (sqlite3_step(ins) != SQLITE_DONE) {
            rc = die(db, "inserting");
            break;
        }
        sqlite3_reset(ins);
        rows++;
    }
    if (rc == 0 && chunk && n_chunk && flush_rows(db, ins, chunk, n_chunk) != 0)
        rc = 1;
    free(chunk);
    free(line);
    fclose(f);
    sqlite3_finalize(ins);
    if (rc == 0 && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = die(db, "COMMIT");
    map_free(&area_ids);
    map_free(&indicator_ids);
    sqlite3_close(db);
    if (rc == 0)
        printf("acvbench-insert: %ld rows into %s (foreign keys %s)\n", rows, path,
               fk ? "on" : "off");
    return rc;
}
