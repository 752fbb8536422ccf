/* storage.c — every SQL statement of the engine; see storage.h. */
#include "storage.h"
#include "storage_internal.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A run has ~150 result rows: written 16 to a statement, since each statement execution also
 * rebuilds the lookup table of the level column's CHECK (... IN (...)). */
#define RESULTS_PER_INSERT 16
#define RESULT_ROW "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
#define RESULT_ROWS_4 RESULT_ROW "," RESULT_ROW "," RESULT_ROW "," RESULT_ROW
#define RESULT_ROWS_16 RESULT_ROWS_4 "," RESULT_ROWS_4 "," RESULT_ROWS_4 "," RESULT_ROWS_4
#define RESULT_COLUMNS 18

enum {
    ST_AREA_PUT,
    ST_AREA_GET,
    ST_AREA_ID,
    ST_INDICATOR_ID,
    ST_RUN_ADD,
    ST_RESULT_ADD,
    ST_RESULT_ADD_MANY,
    ST_ANSWER_PUT,
    ST_CHANGE_ADD,
    ST_COUNT
};
_Static_assert(ST_COUNT <= ACV_STORE_STATEMENTS, "raise ACV_STORE_STATEMENTS");

static const char *const SQL[ST_COUNT] = {
    [ST_AREA_PUT] =
        "INSERT INTO areas(code, name, level, parent_id, country, population, population_year, "
        "source, calendar) VALUES (?1, ?2, ?3, (SELECT id FROM areas WHERE code = ?4), ?5, ?6, "
        "?7, ?8, ?9) "
        "ON CONFLICT(code) DO UPDATE SET name = excluded.name, level = excluded.level, "
        "parent_id = excluded.parent_id, country = excluded.country, "
        "population = excluded.population, population_year = excluded.population_year, "
        "source = excluded.source, calendar = excluded.calendar WHERE name IS NOT excluded.name "
        "OR level IS NOT excluded.level "
        "OR parent_id IS NOT excluded.parent_id OR country IS NOT excluded.country OR "
        "population IS NOT excluded.population OR population_year IS NOT "
        "excluded.population_year OR source IS NOT excluded.source OR calendar IS NOT "
        "excluded.calendar",
    [ST_AREA_GET] = "SELECT a.id, a.code, a.name, a.level, p.code, a.country, a.population, "
                    "a.population_year, a.source, a.calendar, a.valid_from, a.valid_to FROM areas "
                    "a LEFT JOIN areas p ON p.id = a.parent_id WHERE a.code = ?1",
    [ST_AREA_ID] = "SELECT id FROM areas WHERE code = ?1",
    [ST_INDICATOR_ID] = "SELECT id FROM indicators WHERE code = ?1 AND in_framework = 1",
    [ST_RUN_ADD] =
        "INSERT INTO runs(area_id, year, created_at, engine_version, framework_id, "
        "framework_version, framework_hash, data_hash, methods_hash, overlay, vocabulary_id, "
        "inputs_hash) VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?3, ?4, ?5, ?6, "
        "?7, ?8, ?9, ?10, ?11)",
    [ST_RESULT_ADD] = "INSERT INTO run_results(run_id, level, code, value, period, score, "
                      "n_scored, n_total, note, class, imputed, target_gap, rank, provisional, "
                      "n_core_scored, n_core_total, collect_rank, collect_source) VALUES (?1, ?2, "
                      "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    [ST_RESULT_ADD_MANY] =
        "INSERT INTO run_results(run_id, level, code, value, period, score, "
        "n_scored, n_total, note, class, imputed, target_gap, rank, provisional, n_core_scored, "
        "n_core_total, collect_rank, collect_source) VALUES " RESULT_ROWS_16,
    [ST_CHANGE_ADD] = "INSERT INTO run_changes(run_id, seq, change) VALUES (?1, ?2, ?3)",
    [ST_ANSWER_PUT] =
        "INSERT INTO assessment_answers(area_id, year, question, level, effective_level, "
        "evidence, file, line, answered_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
        "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) ON CONFLICT(area_id, year, question) DO UPDATE "
        "SET level = excluded.level, effective_level = excluded.effective_level, evidence = "
        "excluded.evidence, file = excluded.file, line = excluded.line, answered_at = "
        "excluded.answered_at",
};

/* The schema, one migration per version. Later versions append a migration; never edit a shipped
 * one. */
static const char *const MIGRATIONS[] = {
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE areas("
    "  id INTEGER PRIMARY KEY,"
    "  code TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL,"
    "  level TEXT NOT NULL CHECK (level IN ('region','country','province','district','city',"
    "    'municipality','other')),"
    "  parent_id INTEGER REFERENCES areas(id),"
    "  country TEXT,"
    "  population REAL CHECK (population IS NULL OR population >= 0),"
    "  population_year INTEGER,"
    "  source TEXT);"
    "CREATE INDEX areas_parent ON areas(parent_id);"
    "CREATE TABLE indicators("
    "  id INTEGER PRIMARY KEY,"
    "  code TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL,"
    "  unit TEXT NOT NULL,"
    "  direction TEXT NOT NULL,"
    "  pillar TEXT NOT NULL,"
    "  action_area TEXT NOT NULL,"
    "  core INTEGER NOT NULL,"
    "  kind TEXT NOT NULL DEFAULT 'indicator' CHECK (kind IN "
    "('indicator','data_element','series')),"
    "  in_framework INTEGER NOT NULL DEFAULT 1);"
    "CREATE TABLE imports("
    "  id INTEGER PRIMARY KEY,"
    "  file TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  rows INTEGER NOT NULL,"
    "  imported_at TEXT NOT NULL,"
    "  finished INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX imports_sha ON imports(sha256);"
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
    "  PRIMARY KEY (area_id, indicator_id, disaggregation, period)) WITHOUT ROWID;"
    "CREATE TABLE runs("
    "  id INTEGER PRIMARY KEY,"
    "  area_id INTEGER NOT NULL REFERENCES areas(id),"
    "  year INTEGER NOT NULL,"
    "  created_at TEXT NOT NULL,"
    "  engine_version TEXT NOT NULL,"
    "  framework_id TEXT NOT NULL,"
    "  framework_version TEXT NOT NULL,"
    "  framework_hash TEXT NOT NULL,"
    "  data_hash TEXT NOT NULL,"
    "  methods_hash TEXT NOT NULL,"
    "  overlay TEXT);"
    "CREATE INDEX runs_area_year ON runs(area_id, year);"
    "CREATE TABLE run_changes("
    "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL,"
    "  change TEXT NOT NULL,"
    "  PRIMARY KEY (run_id, seq)) WITHOUT ROWID;"
    "CREATE TABLE run_results("
    "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    "  level TEXT NOT NULL CHECK (level IN ('indicator','action_area','pillar','overall',"
    "    'alignment_area','alignment_pillar','alignment_overall','priority')),"
    "  code TEXT NOT NULL,"
    "  value REAL,"
    "  period TEXT,"
    "  score REAL CHECK (score IS NULL OR (score >= 0 AND score <= 100)),"
    "  n_scored INTEGER,"
    "  n_total INTEGER,"
    "  note TEXT,"
    "  class TEXT,"
    "  imputed INTEGER NOT NULL DEFAULT 0,"
    "  target_gap REAL,"
    "  rank INTEGER,"
    "  PRIMARY KEY (run_id, level, code)) WITHOUT ROWID;"
    "CREATE TABLE assessment_answers("
    "  area_id INTEGER NOT NULL REFERENCES areas(id),"
    "  year INTEGER NOT NULL,"
    "  question TEXT NOT NULL,"
    "  level INTEGER CHECK (level IS NULL OR level BETWEEN 0 AND 4),"
    "  effective_level INTEGER CHECK (effective_level IS NULL OR effective_level BETWEEN 0 AND 4),"
    "  evidence TEXT,"
    "  file TEXT NOT NULL,"
    "  line INTEGER NOT NULL,"
    "  answered_at TEXT NOT NULL,"
    "  PRIMARY KEY (area_id, year, question)) WITHOUT ROWID;"
    /* earlier versions of observations, kept when an import changes a value or its provenance
     * (storage_observations.c); replaced_by is the import that changed it */
    "CREATE TABLE observation_revisions("
    "  id INTEGER PRIMARY KEY,"
    "  area_id INTEGER NOT NULL REFERENCES areas(id),"
    "  indicator_id INTEGER NOT NULL REFERENCES indicators(id),"
    "  disaggregation TEXT NOT NULL,"
    "  period TEXT NOT NULL,"
    "  value REAL NOT NULL,"
    "  source TEXT,"
    "  status TEXT,"
    "  comment TEXT,"
    "  import_id INTEGER NOT NULL REFERENCES imports(id),"
    "  line INTEGER NOT NULL,"
    "  replaced_by INTEGER NOT NULL REFERENCES imports(id));"
    "CREATE INDEX observation_revisions_key ON observation_revisions(area_id, indicator_id, "
    "disaggregation, period);",
    /* Version 2. source_file: the file a row came from when it is not the import's own file (an
     * importer plugin reads many), so provenance names the file and line the user knows; NULL
     * means imports.file. class_vocabularies: the progress-class labels, symbols and colours a
     * run was scored with (one row per distinct vocabulary), so old runs render as scored. */
    "ALTER TABLE observations ADD COLUMN source_file TEXT;"
    "ALTER TABLE observation_revisions ADD COLUMN source_file TEXT;"
    "CREATE TABLE class_vocabularies("
    "  id INTEGER PRIMARY KEY,"
    "  hash TEXT NOT NULL UNIQUE,"
    "  body TEXT NOT NULL);"
    "ALTER TABLE runs ADD COLUMN vocabulary_id INTEGER REFERENCES class_vocabularies(id);",
    /* Version 3. The counts `acvtrack imports` lists (new, revised and removed values; for the
     * imports made before, worked out from the versions they wrote and replaced) and, for a
     * revert, the import it took back (storage_observations.c). */
    "ALTER TABLE imports ADD COLUMN added INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE imports ADD COLUMN changed INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE imports ADD COLUMN removed INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE imports ADD COLUMN reverts INTEGER REFERENCES imports(id);"
    "UPDATE imports SET changed = (SELECT count(*) FROM observation_revisions r WHERE "
    "r.replaced_by = imports.id), added = (SELECT count(*) FROM observations o WHERE o.import_id "
    "= imports.id) + (SELECT count(*) FROM observation_revisions r WHERE r.import_id = "
    "imports.id) - (SELECT count(*) FROM observation_revisions r WHERE r.replaced_by = "
    "imports.id);"
    "CREATE INDEX observation_revisions_replaced ON observation_revisions(replaced_by);",
    /* 4: what a report shows while the availability rules withhold the official scores: a
     * provisional score of a group and the core indicators it rests on, and each indicator's
     * place in the collect-first list with the kind of its data source. Priority rows of areas
     * with no data at all have class 'no_data' and no rank. */
    "ALTER TABLE run_results ADD COLUMN provisional REAL CHECK (provisional IS NULL OR "
    "(provisional >= 0 AND provisional <= 100));"
    "ALTER TABLE run_results ADD COLUMN n_core_scored INTEGER;"
    "ALTER TABLE run_results ADD COLUMN n_core_total INTEGER;"
    "ALTER TABLE run_results ADD COLUMN collect_rank INTEGER;"
    "ALTER TABLE run_results ADD COLUMN collect_source TEXT;",
    /* 5: signed submissions (docs/submissions.md, storage_exchange.c). trusted_keys: the public
     * keys this workspace accepts submissions from, and for which areas (an area and every area
     * under it). submissions_received: each package received (a forwarded city package inside a
     * national one too, with `via` naming the outer one), its original bytes kept so it can be
     * forwarded with its own signature; submission_datasets: the (area, year) datasets it
     * carried; submission_overlay_changes: the overlay changes its sender disclosed;
     * submission_conflicts: values that replaced one this workspace held from another source,
     * listed for review; submission_runs and submission_run_results: the sender's own stored
     * runs. submissions_sent: packages this workspace made, up to which import, and whether
     * the receiver acknowledged them (the start of the next incremental package). */
    "CREATE TABLE trusted_keys("
    "  key_id TEXT PRIMARY KEY,"
    "  public_key TEXT NOT NULL UNIQUE,"
    "  label TEXT NOT NULL,"
    "  trusted_at TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE trusted_key_areas("
    "  key_id TEXT NOT NULL REFERENCES trusted_keys(key_id) ON DELETE CASCADE,"
    "  area TEXT NOT NULL,"
    "  PRIMARY KEY (key_id, area)) WITHOUT ROWID;"
    "CREATE TABLE submissions_received("
    "  id INTEGER PRIMARY KEY,"
    "  submission_id TEXT NOT NULL,"
    "  content_hash TEXT NOT NULL UNIQUE,"
    "  kind TEXT NOT NULL CHECK (kind IN ('submission','forward')),"
    "  sender_key TEXT NOT NULL,"
    "  sender_label TEXT NOT NULL,"
    "  areas TEXT NOT NULL,"
    "  first_year INTEGER,"
    "  last_year INTEGER,"
    "  framework_id TEXT NOT NULL,"
    "  framework_version TEXT NOT NULL,"
    "  framework_hash TEXT NOT NULL,"
    "  overlay TEXT,"
    "  overlay_hash TEXT,"
    "  methods_hash TEXT,"
    "  acvtrack_version TEXT NOT NULL,"
    "  created_at TEXT NOT NULL,"
    "  received_at TEXT NOT NULL,"
    "  via INTEGER REFERENCES submissions_received(id),"
    "  import_id INTEGER REFERENCES imports(id),"
    "  observations INTEGER NOT NULL DEFAULT 0,"
    "  package BLOB NOT NULL);"
    "CREATE TABLE submission_datasets("
    "  received_id INTEGER NOT NULL REFERENCES submissions_received(id),"
    "  area TEXT NOT NULL,"
    "  year INTEGER NOT NULL,"
    "  observations INTEGER NOT NULL,"
    "  PRIMARY KEY (received_id, area, year)) WITHOUT ROWID;"
    "CREATE INDEX submission_datasets_area ON submission_datasets(area, year);"
    "CREATE TABLE submission_overlay_changes("
    "  received_id INTEGER NOT NULL REFERENCES submissions_received(id),"
    "  seq INTEGER NOT NULL,"
    "  change TEXT NOT NULL,"
    "  PRIMARY KEY (received_id, seq)) WITHOUT ROWID;"
    "CREATE TABLE submission_conflicts("
    "  received_id INTEGER NOT NULL REFERENCES submissions_received(id),"
    "  area TEXT NOT NULL,"
    "  indicator TEXT NOT NULL,"
    "  disaggregation TEXT NOT NULL,"
    "  period TEXT NOT NULL,"
    "  received_value REAL NOT NULL,"
    "  held_value REAL NOT NULL,"
    "  held_import INTEGER NOT NULL REFERENCES imports(id),"
    "  PRIMARY KEY (received_id, area, indicator, disaggregation, period)) WITHOUT ROWID;"
    "CREATE TABLE submission_runs("
    "  received_id INTEGER NOT NULL REFERENCES submissions_received(id),"
    "  run_key INTEGER NOT NULL,"
    "  area TEXT NOT NULL,"
    "  year INTEGER NOT NULL,"
    "  created_at TEXT NOT NULL,"
    "  framework_version TEXT NOT NULL,"
    "  framework_hash TEXT NOT NULL,"
    "  data_hash TEXT NOT NULL,"
    "  methods_hash TEXT NOT NULL,"
    "  overlay TEXT,"
    "  PRIMARY KEY (received_id, run_key)) WITHOUT ROWID;"
    "CREATE TABLE submission_run_results("
    "  received_id INTEGER NOT NULL,"
    "  run_key INTEGER NOT NULL,"
    "  level TEXT NOT NULL,"
    "  code TEXT NOT NULL,"
    "  score REAL,"
    "  class TEXT,"
    "  PRIMARY KEY (received_id, run_key, level, code)) WITHOUT ROWID;"
    "CREATE TABLE submissions_sent("
    "  id INTEGER PRIMARY KEY,"
    "  submission_id TEXT NOT NULL UNIQUE,"
    "  content_hash TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('submission','forward')),"
    "  areas TEXT NOT NULL,"
    "  first_year INTEGER,"
    "  last_year INTEGER,"
    "  through_import INTEGER NOT NULL,"
    "  since_sent INTEGER REFERENCES submissions_sent(id),"
    "  created_at TEXT NOT NULL,"
    "  file TEXT NOT NULL,"
    "  acknowledged_at TEXT);",
    /* 6: what refers to stored runs, so that `runs prune` keeps them (storage_runs.c): the
     * report files `report -o` wrote, and run_references, which reports and submissions (and
     * anything else built from runs) insert into. No cascade: a referenced run cannot be
     * deleted. The workspace also turns to incremental auto-vacuum (migrate, after this runs). */
    "CREATE TABLE reports("
    "  id INTEGER PRIMARY KEY,"
    "  file TEXT NOT NULL,"
    "  format TEXT NOT NULL,"
    "  written_at TEXT NOT NULL);"
    "CREATE TABLE run_references("
    "  run_id INTEGER NOT NULL REFERENCES runs(id),"
    "  kind TEXT NOT NULL,"
    "  ref TEXT NOT NULL,"
    "  created_at TEXT NOT NULL,"
    "  PRIMARY KEY (run_id, kind, ref)) WITHOUT ROWID;"
    "CREATE INDEX run_references_ref ON run_references(kind, ref);",
    /* 7: the hash of everything a run was computed from (the area's observations and answers,
     * the framework with its overlay, the methods' scripts, the engine version), so that `score
     * --all` re-scores only the areas whose inputs changed since their latest run. NULL for the
     * runs stored before it: they are scored again. */
    "ALTER TABLE runs ADD COLUMN inputs_hash TEXT;",
    /* 8: calendars and boundary changes (docs/calendars.md, docs/boundaries.md). An area's
     * calendar is the default of the years in its files (be-th, me-mm; NULL: CE); valid_from and
     * valid_to are the first and last years of its boundaries (NULL: open), set by recorded
     * changes. A change is a merger or a split recorded from a crosswalk file; each link says which
     * share of a predecessor's population (or land area) went to a successor. */
    "ALTER TABLE areas ADD COLUMN calendar TEXT;"
    "ALTER TABLE areas ADD COLUMN valid_from INTEGER;"
    "ALTER TABLE areas ADD COLUMN valid_to INTEGER;"
    "CREATE TABLE boundary_changes("
    "  id INTEGER PRIMARY KEY,"
    "  year INTEGER NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('merger','split','merger and split')),"
    "  file TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  recorded_at TEXT NOT NULL);"
    "CREATE TABLE boundary_links("
    "  change_id INTEGER NOT NULL REFERENCES boundary_changes(id),"
    "  predecessor_id INTEGER NOT NULL REFERENCES areas(id),"
    "  successor_id INTEGER NOT NULL REFERENCES areas(id),"
    "  share REAL NOT NULL CHECK (share > 0 AND share <= 1),"
    "  basis TEXT NOT NULL CHECK (basis IN ('population','area')),"
    "  line INTEGER NOT NULL,"
    "  PRIMARY KEY (change_id, predecessor_id, successor_id)) WITHOUT ROWID;"
    "CREATE INDEX boundary_links_successor ON boundary_links(successor_id);",
    /* 9: review of (area, year) datasets (storage_review.c). Each decision moves a dataset from
     * one state to the next (draft, submitted, accepted, returned; the rules are in
     * exchange/review.h); the current state is the latest decision's, so the history is never
     * lost. Comments belong to a decision: on one value (indicator, optionally period) or, with
     * indicator NULL, on the dataset. last_import: the latest import when the decision was
     * recorded, so a value imported after it shows as changed since. */
    "CREATE TABLE review_decisions("
    "  id INTEGER PRIMARY KEY,"
    "  area_id INTEGER NOT NULL REFERENCES areas(id),"
    "  year INTEGER NOT NULL,"
    "  from_state TEXT NOT NULL CHECK (from_state IN ('draft','submitted','accepted',"
    "    'returned')),"
    "  to_state TEXT NOT NULL CHECK (to_state IN ('submitted','accepted','returned')),"
    "  who TEXT NOT NULL,"
    "  key_id TEXT,"
    "  decided_at TEXT NOT NULL,"
    "  comment TEXT,"
    "  origin TEXT NOT NULL,"
    "  last_import INTEGER);"
    "CREATE INDEX review_decisions_dataset ON review_decisions(area_id, year, id);"
    "CREATE TABLE review_comments("
    "  decision_id INTEGER NOT NULL REFERENCES review_decisions(id),"
    "  seq INTEGER NOT NULL,"
    "  indicator TEXT,"
    "  period TEXT,"
    "  comment TEXT NOT NULL,"
    "  PRIMARY KEY (decision_id, seq)) WITHOUT ROWID;",
};

acv_status acv_store_db_error(acv_store *s, int rc, acv_error *err, const char *what)
{
    const char *msg = s && s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);
    int primary = rc & 0xff;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
        return acv_error_set(err, ACV_ERR_BUSY,
                             "%s: workspace is busy: another acvtrack process is writing to it "
                             "(waited for the busy timeout; try again later)",
                             s && s->path ? s->path : "database");
    if (primary == SQLITE_NOMEM)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory while %s", what);
    if (primary == SQLITE_FULL)
        return acv_error_set(err, ACV_ERR_STORAGE,
                             "%s: the disk (or the database size limit) is full while %s; "
                             "nothing was changed",
                             s && s->path ? s->path : "database", what);
    if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
        return acv_error_set(err, ACV_ERR_STORAGE,
                             "%s: the database file is damaged or not an acvtrack workspace (%s)",
                             s && s->path ? s->path : "database", msg);
    return acv_error_set(err, ACV_ERR_STORAGE, "%s: database error while %s: %s",
                         s && s->path ? s->path : "database", what, msg);
}

acv_status acv_store_exec(acv_store *s, const char *sql, acv_error *err, const char *what)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return acv_store_db_error(s, rc, err, what);
    return ACV_OK;
}

static sqlite3_stmt *stmt(acv_store *s, int which, acv_error *err)
{
    if (!s->stmt[which]) {
        int rc = sqlite3_prepare_v3(s->db, SQL[which], -1, SQLITE_PREPARE_PERSISTENT,
                                    &s->stmt[which], NULL);
        if (rc != SQLITE_OK) {
            acv_store_db_error(s, rc, err, "preparing a statement");
            return NULL;
        }
    } else {
        sqlite3_reset(s->stmt[which]);
        sqlite3_clear_bindings(s->stmt[which]);
    }
    return s->stmt[which];
}

static int pragma_int(acv_store *s, const char *sql, int *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int(st, 0);
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) {
            *out = 0;
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

/* Refuses files that are not ours before anything is written to them. */
static acv_status check_identity(acv_store *s, int *is_new, acv_error *err)
{
    int app = 0, version = 0, tables = 0;
    int rc = pragma_int(s, "PRAGMA application_id", &app);
    if (rc == SQLITE_OK)
        rc = pragma_int(s, "PRAGMA user_version", &version);
    if (rc == SQLITE_OK)
        rc = pragma_int(s, "SELECT count(*) FROM sqlite_schema", &tables);
    if (rc != SQLITE_OK) {
        if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT)
            return acv_error_set(err, ACV_ERR_STORAGE,
                                 "%s: not an acvtrack workspace (the file is not a SQLite "
                                 "database, or it is damaged); refusing to touch it",
                                 s->path);
        return acv_store_db_error(s, rc, err, "reading the workspace header");
    }
    if (app == 0 && version == 0 && tables == 0) {
        *is_new = 1;
        return ACV_OK;
    }
    if ((uint32_t)app != ACV_APPLICATION_ID)
        return acv_error_set(err, ACV_ERR_STORAGE,
                             "%s: this SQLite database belongs to another application "
                             "(application_id %d); refusing to touch it",
                             s->path, app);
    if (version > ACV_SCHEMA_VERSION)
        return acv_error_set(err, ACV_ERR_STORAGE,
                             "%s: made by a newer acvtrack (schema version %d; this build knows "
                             "up to %d); upgrade acvtrack to use it",
                             s->path, version, ACV_SCHEMA_VERSION);
    *is_new = 0;
    return ACV_OK;
}

/* Incremental auto-vacuum lets `runs prune` give space back without rewriting the file. A new
 * workspace gets it before its first table; an older one, when it is migrated: the mode of a
 * file with tables changes only through a VACUUM (outside any transaction), once. */
static acv_status incremental_auto_vacuum(acv_store *s, acv_error *err)
{
    int mode = 0;
    int rc = pragma_int(s, "PRAGMA auto_vacuum", &mode);
    if (rc != SQLITE_OK)
        return acv_store_db_error(s, rc, err, "reading the auto-vacuum mode");
    if (mode == 2)
        return ACV_OK;
    return acv_store_exec(s, "PRAGMA auto_vacuum = INCREMENTAL; VACUUM;", err,
                          "turning on incremental auto-vacuum");
}

static acv_status migrate(acv_store *s, acv_error *err)
{
    int version = 0;
    int rc = pragma_int(s, "PRAGMA user_version", &version);
    if (rc != SQLITE_OK)
        return acv_store_db_error(s, rc, err, "reading the schema version");
    if (version == ACV_SCHEMA_VERSION)
        return ACV_OK;
    acv_status st = acv_store_begin(s, err);
    if (st != ACV_OK)
        return st;
    /* another process may have migrated while we waited for the lock */
    rc = pragma_int(s, "PRAGMA user_version", &version);
    if (rc != SQLITE_OK) {
        acv_store_rollback(s);
        return acv_store_db_error(s, rc, err, "reading the schema version");
    }
    for (int v = version; v < ACV_SCHEMA_VERSION && st == ACV_OK; v++)
        st = acv_store_exec(s, MIGRATIONS[v], err, "creating the workspace schema");
    if (st == ACV_OK) {
        char sql[128];
        snprintf(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = %d;",
                 (int)ACV_APPLICATION_ID, ACV_SCHEMA_VERSION);
        st = acv_store_exec(s, sql, err, "stamping the workspace");
    }
    if (st != ACV_OK) {
        acv_store_rollback(s);
        return st;
    }
    st = acv_store_commit(s, err);
    if (st == ACV_OK && version > 0)
        st = incremental_auto_vacuum(s, err);
    return st;
}

acv_status acv_store_open(const char *path, const acv_store_options *opt, acv_store **out,
                          acv_error *err)
{
    *out = NULL;
    struct stat sb;
    int exists = stat(path, &sb) == 0;
    if (!exists && !(opt && opt->create))
        return acv_error_set(err, ACV_ERR_NOTFOUND,
                             "%s: no workspace here; create it with 'acvtrack init'", path);
    if (exists && !S_ISREG(sb.st_mode))
        return acv_error_set(err, ACV_ERR_STORAGE, "%s: not a regular file", path);
    /* SQLite takes an empty file for a new database: only `init` may make one a workspace */
    if (exists && sb.st_size == 0 && !(opt && opt->create))
        return acv_error_set(err, ACV_ERR_STORAGE,
                             "%s: the file is empty, not an acvtrack workspace; refusing to touch "
                             "it (create a workspace with 'acvtrack init')",
                             path);
    acv_store *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path))) {
        free(s);
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory opening %s", path);
    }
    int flags = SQLITE_OPEN_READWRITE | (opt && opt->create ? SQLITE_OPEN_CREATE : 0);
    /* one connection per thread: SQLite's own mutexes cost ~6% of an import */
    int rc = sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        acv_status st = acv_error_set(err, ACV_ERR_STORAGE, "%s: cannot open the workspace: %s",
                                      path, s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        acv_store_close(s);
        return st;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, opt && opt->busy_timeout_ms > 0 ? opt->busy_timeout_ms : 5000);
    int is_new = 0;
    acv_status st = check_identity(s, &is_new, err);
    if (st == ACV_OK && is_new)
        st = acv_store_exec(s, "PRAGMA auto_vacuum = INCREMENTAL;", err,
                            "configuring the workspace");
    if (st == ACV_OK)
        st = acv_store_exec(s, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;", err,
                            "configuring the workspace");
    if (st == ACV_OK) {
        /* journal_mode=WAL writes the header: only after the identity check passed */
        rc = sqlite3_exec(s->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            st = acv_store_db_error(s, rc, err, "switching the workspace to WAL mode");
    }
    if (st == ACV_OK)
        st = migrate(s, err);
    if (st != ACV_OK) {
        acv_store_close(s);
        return st;
    }
    *out = s;
    return ACV_OK;
}

sqlite3_stmt *acv_store_cached(acv_store *s, const char *sql, acv_error *err)
{
    for (size_t i = 0; i < s->n_cached; i++)
        if (s->cached_sql[i] == sql) {
            sqlite3_reset(s->cached[i]);
            sqlite3_clear_bindings(s->cached[i]);
            return s->cached[i];
        }
    if (s->n_cached == ACV_STORE_MAX_CACHED) {
        acv_error_set(err, ACV_ERR_STORAGE, "too many cached statements");
        return NULL;
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) {
        acv_store_db_error(s, rc, err, "preparing a statement");
        return NULL;
    }
    s->cached_sql[s->n_cached] = sql;
    s->cached[s->n_cached++] = st;
    return st;
}

sqlite3 *acv_store_handle(acv_store *s)
{
    return s->db;
}

void acv_store_close(acv_store *s)
{
    if (!s)
        return;
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->stmt[i]);
    for (size_t i = 0; i < s->n_cached; i++)
        sqlite3_finalize(s->cached[i]);
    if (s->db)
        sqlite3_close(s->db);
    acv_arena_free(&s->scratch);
    free(s->path);
    free(s);
}

acv_status acv_store_begin(acv_store *s, acv_error *err)
{
    return acv_store_exec(s, "BEGIN IMMEDIATE", err, "starting a write");
}

acv_status acv_store_commit(acv_store *s, acv_error *err)
{
    int rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        acv_status st = acv_store_db_error(s, rc, err, "committing");
        acv_store_rollback(s);
        return st;
    }
    return ACV_OK;
}

int acv_store_in_transaction(acv_store *s)
{
    return !sqlite3_get_autocommit(s->db);
}

void acv_store_rollback(acv_store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

acv_status acv_store_step_done(acv_store *s, sqlite3_stmt *st, acv_error *err, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return acv_store_db_error(s, rc, err, what);
    return ACV_OK;
}

sqlite3_stmt *acv_store_prepare(acv_store *s, const char *sql, acv_error *err, const char *what)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(st);
        acv_store_db_error(s, rc, err, what);
        return NULL;
    }
    return st;
}

acv_status acv_store_rows_end(acv_store *s, sqlite3_stmt *st, int rc, acv_error *err,
                              const char *what)
{
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return acv_store_db_error(s, rc, err, what);
    return ACV_OK;
}

static int64_t first_int(sqlite3_stmt *st)
{
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return v;
}

int64_t acv_store_first_id(sqlite3_stmt *st, const char *key)
{
    if (!st)
        return 0;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    return first_int(st);
}

int64_t acv_store_first_int(sqlite3_stmt *st, int64_t key)
{
    if (!st)
        return 0;
    sqlite3_bind_int64(st, 1, key);
    return first_int(st);
}

void acv_store_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

acv_status acv_store_sync_framework(acv_store *s, const acv_framework *fw, acv_error *err)
{
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key = 'framework_hash'", -1,
                                &q, NULL);
    if (rc != SQLITE_OK)
        return acv_store_db_error(s, rc, err, "reading the framework stamp");
    int same = 0;
    if (sqlite3_step(q) == SQLITE_ROW) {
        const unsigned char *h = sqlite3_column_text(q, 0);
        same = h && strcmp((const char *)h, fw->hash) == 0;
    }
    sqlite3_finalize(q);
    if (same)
        return ACV_OK;

    acv_status st = acv_store_begin(s, err);
    if (st != ACV_OK)
        return st;
    sqlite3_stmt *up = NULL;
    rc = sqlite3_prepare_v2(
        s->db,
        "INSERT INTO indicators(code, name, unit, direction, pillar, action_area, core, "
        "in_framework) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1) ON CONFLICT(code) DO UPDATE SET "
        "name = excluded.name, unit = excluded.unit, direction = excluded.direction, pillar = "
        "excluded.pillar, action_area = excluded.action_area, core = excluded.core, "
        "kind = 'indicator', in_framework = 1",
        -1, &up, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(s->db, "UPDATE indicators SET in_framework = 0 WHERE kind != 'series'",
                          NULL, NULL, NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < fw->n_indicators; i++) {
        const acv_indicator *ind = &fw->indicators[i];
        const acv_action_area *area = &fw->action_areas[ind->action_area];
        sqlite3_bind_text(up, 1, ind->id, -1, SQLITE_STATIC);
        sqlite3_bind_text(up, 2, ind->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(up, 3, ind->unit, -1, SQLITE_STATIC);
        sqlite3_bind_text(up, 4, acv_direction_name(ind->direction), -1, SQLITE_STATIC);
        sqlite3_bind_text(up, 5, fw->pillars[area->pillar].id, -1, SQLITE_STATIC);
        sqlite3_bind_text(up, 6, area->id, -1, SQLITE_STATIC);
        sqlite3_bind_int(up, 7, ind->core);
        rc = sqlite3_step(up);
        sqlite3_reset(up);
        if (rc == SQLITE_DONE)
            rc = SQLITE_OK;
    }
    sqlite3_finalize(up);
    up = NULL;
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(
            s->db,
            "INSERT INTO indicators(code, name, unit, direction, pillar, action_area, core, kind, "
            "in_framework) VALUES (?1, ?2, ?3, 'higher', '', '', 0, 'data_element', 1) ON "
            "CONFLICT(code) DO UPDATE SET name = excluded.name, unit = excluded.unit, kind = "
            "'data_element', in_framework = 1",
            -1, &up, NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < fw->n_data_elements; i++) {
        const acv_data_element *de = &fw->data_elements[i];
        sqlite3_bind_text(up, 1, de->id, -1, SQLITE_STATIC);
        sqlite3_bind_text(up, 2, de->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(up, 3, de->unit, -1, SQLITE_STATIC);
        rc = sqlite3_step(up);
        sqlite3_reset(up);
        if (rc == SQLITE_DONE)
            rc = SQLITE_OK;
    }
    sqlite3_finalize(up);
    if (rc == SQLITE_OK) {
        sqlite3_stmt *m = NULL;
        rc = sqlite3_prepare_v2(s->db,
                                "INSERT INTO meta(key, value) VALUES ('framework_hash', ?1) ON "
                                "CONFLICT(key) DO UPDATE SET value = excluded.value",
                                -1, &m, NULL);
        if (rc == SQLITE_OK) {
            sqlite3_bind_text(m, 1, fw->hash, -1, SQLITE_STATIC);
            rc = sqlite3_step(m);
            if (rc == SQLITE_DONE)
                rc = SQLITE_OK;
        }
        sqlite3_finalize(m);
    }
    if (rc != SQLITE_OK) {
        st = acv_store_db_error(s, rc, err, "recording the framework's indicators");
        acv_store_rollback(s);
        return st;
    }
    return acv_store_commit(s, err);
}

acv_status acv_store_put_area(acv_store *s, const acv_area *a, int *changed, acv_error *err)
{
    sqlite3_stmt *st = stmt(s, ST_AREA_PUT, err);
    if (!st)
        return err->status;
    sqlite3_bind_text(st, 1, a->code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, a->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, a->level, -1, SQLITE_STATIC);
    acv_store_bind_text(st, 4, a->parent_code);
    acv_store_bind_text(st, 5, a->country);
    if (a->has_population) {
        sqlite3_bind_double(st, 6, a->population);
        sqlite3_bind_int(st, 7, a->population_year);
    }
    acv_store_bind_text(st, 8, a->source);
    acv_store_bind_text(st, 9, a->calendar);
    acv_status rc = acv_store_step_done(s, st, err, "storing an area");
    if (rc == ACV_OK && changed)
        *changed = sqlite3_changes(s->db) > 0;
    return rc;
}

const char *acv_store_scratch_text(acv_store *s, sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return t ? acv_arena_strdup(&s->scratch, (const char *)t) : NULL;
}

static void fill_area(acv_store *s, sqlite3_stmt *q, acv_area *out)
{
    memset(out, 0, sizeof *out);
    out->id = sqlite3_column_int64(q, 0);
    out->code = acv_store_scratch_text(s, q, 1);
    out->name = acv_store_scratch_text(s, q, 2);
    out->level = acv_store_scratch_text(s, q, 3);
    out->parent_code = acv_store_scratch_text(s, q, 4);
    out->country = acv_store_scratch_text(s, q, 5);
    out->has_population = sqlite3_column_type(q, 6) != SQLITE_NULL;
    out->population = sqlite3_column_double(q, 6);
    out->population_year = sqlite3_column_int(q, 7);
    out->source = acv_store_scratch_text(s, q, 8);
    out->calendar = acv_store_scratch_text(s, q, 9);
    out->valid_from = sqlite3_column_int(q, 10);
    out->valid_to = sqlite3_column_int(q, 11);
}

acv_status acv_store_put_series(acv_store *s, const char *code, const char *name, const char *unit,
                                acv_error *err)
{
    static const char sql[] =
        "INSERT INTO indicators(code, name, unit, direction, pillar, action_area, core, kind, "
        "in_framework) VALUES (?1, ?2, ?3, 'higher', '', '', 0, 'series', 1) ON CONFLICT(code) "
        "DO UPDATE SET name = excluded.name, unit = excluded.unit WHERE kind = 'series'";
    sqlite3_stmt *st = acv_store_cached(s, sql, err);
    if (!st)
        return err->status;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, unit ? unit : "", -1, SQLITE_STATIC);
    return acv_store_step_done(s, st, err, "storing a data series");
}

acv_status acv_store_delete_area(acv_store *s, const char *code, acv_error *err)
{
    static const char sql[] = "DELETE FROM areas WHERE code = ?1";
    sqlite3_stmt *st = acv_store_cached(s, sql, err);
    if (!st)
        return err->status;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    return acv_store_step_done(s, st, err, "removing an area");
}

acv_status acv_store_get_area(acv_store *s, const char *code, acv_area *out, acv_error *err)
{
    sqlite3_stmt *q = stmt(s, ST_AREA_GET, err);
    if (!q)
        return err->status;
    acv_arena_free(&s->scratch);
    sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        fill_area(s, q, out);
        sqlite3_reset(q);
        return ACV_OK;
    }
    sqlite3_reset(q);
    if (rc == SQLITE_DONE)
        return acv_error_set(err, ACV_ERR_NOTFOUND,
                             "unknown area '%s' (see 'acvtrack areas list'; add it with "
                             "'acvtrack areas import')",
                             code);
    return acv_store_db_error(s, rc, err, "reading an area");
}

acv_status acv_store_each_area(acv_store *s, int (*fn)(void *ud, const acv_area *a), void *ud,
                               acv_error *err)
{
    sqlite3_stmt *q =
        acv_store_prepare(s,
                          "SELECT a.id, a.code, a.name, a.level, p.code, a.country, "
                          "a.population, a.population_year, a.source, a.calendar, a.valid_from, "
                          "a.valid_to FROM areas a LEFT JOIN areas p ON p.id = a.parent_id "
                          "ORDER BY a.code",
                          err, "listing areas");
    if (!q)
        return err->status;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        acv_area a;
        acv_arena_free(&s->scratch);
        fill_area(s, q, &a);
        if (fn(ud, &a))
            break;
    }
    acv_status st = acv_store_rows_end(s, q, rc, err, "listing areas");
    sqlite3_finalize(q);
    return st;
}

static int64_t lookup_id(acv_store *s, int which, const char *key)
{
    acv_error ignored;
    return acv_store_first_id(stmt(s, which, &ignored), key);
}

int64_t acv_store_indicator_id(acv_store *s, const char *code)
{
    return lookup_id(s, ST_INDICATOR_ID, code);
}

acv_status acv_store_add_run(acv_store *s, acv_run *run, acv_error *err)
{
    sqlite3_stmt *st = stmt(s, ST_RUN_ADD, err);
    if (!st)
        return err->status;
    sqlite3_bind_int64(st, 1, run->area_id);
    sqlite3_bind_int(st, 2, run->year);
    sqlite3_bind_text(st, 3, run->engine_version, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, run->framework_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, run->framework_version, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, run->framework_hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, run->data_hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, run->methods_hash, -1, SQLITE_STATIC);
    acv_store_bind_text(st, 9, run->overlay);
    if (run->vocabulary_id > 0)
        sqlite3_bind_int64(st, 10, run->vocabulary_id);
    else
        sqlite3_bind_null(st, 10);
    acv_store_bind_text(st, 11, run->inputs_hash);
    acv_status rc = acv_store_step_done(s, st, err, "recording the scoring run");
    if (rc == ACV_OK)
        run->id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

acv_status acv_store_vocabulary_put(acv_store *s, const char *hash, const char *body, int64_t *id,
                                    acv_error *err)
{
    *id = 0;
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(s->db,
                                "INSERT INTO class_vocabularies(hash, body) VALUES (?1, ?2) "
                                "ON CONFLICT(hash) DO NOTHING",
                                -1, &q, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(q, 1, hash, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, body, -1, SQLITE_STATIC);
        rc = sqlite3_step(q);
        rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    sqlite3_finalize(q);
    q = NULL;
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(s->db, "SELECT id FROM class_vocabularies WHERE hash = ?1", -1, &q,
                                NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(q, 1, hash, -1, SQLITE_STATIC);
        rc = sqlite3_step(q);
        if (rc == SQLITE_ROW) {
            *id = sqlite3_column_int64(q, 0);
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_OK || !*id)
        return acv_store_db_error(s, rc, err, "storing the class vocabulary");
    return ACV_OK;
}

acv_status acv_store_vocabulary_get(acv_store *s, int64_t id, char **body, acv_error *err)
{
    *body = NULL;
    sqlite3_stmt *q = acv_store_prepare(s, "SELECT body FROM class_vocabularies WHERE id = ?1", err,
                                        "reading the class vocabulary");
    if (!q)
        return err->status;
    int rc;
    sqlite3_bind_int64(q, 1, id);
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        const char *text = (const char *)sqlite3_column_text(q, 0);
        *body = strdup(text ? text : "");
        sqlite3_finalize(q);
        return *body ? ACV_OK : acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    }
    sqlite3_finalize(q);
    if (rc == SQLITE_DONE)
        return acv_error_set(err, ACV_ERR_NOTFOUND, "class vocabulary %lld is not stored",
                             (long long)id);
    return acv_store_db_error(s, rc, err, "reading the class vocabulary");
}

static void bind_result(sqlite3_stmt *st, int at, int64_t run_id, const acv_result *r)
{
    sqlite3_bind_int64(st, at + 1, run_id);
    sqlite3_bind_text(st, at + 2, r->level, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, at + 3, r->code, -1, SQLITE_STATIC);
    if (r->has_value)
        sqlite3_bind_double(st, at + 4, r->value);
    acv_store_bind_text(st, at + 5, r->period);
    if (r->has_score)
        sqlite3_bind_double(st, at + 6, r->score);
    sqlite3_bind_int(st, at + 7, r->n_scored);
    sqlite3_bind_int(st, at + 8, r->n_total);
    acv_store_bind_text(st, at + 9, r->note);
    acv_store_bind_text(st, at + 10, r->class_name);
    sqlite3_bind_int(st, at + 11, r->imputed);
    if (r->has_target_gap)
        sqlite3_bind_double(st, at + 12, r->target_gap);
    if (r->rank > 0)
        sqlite3_bind_int(st, at + 13, r->rank);
    if (r->has_provisional)
        sqlite3_bind_double(st, at + 14, r->provisional);
    if (r->has_core) {
        sqlite3_bind_int(st, at + 15, r->n_core_scored);
        sqlite3_bind_int(st, at + 16, r->n_core_total);
    }
    if (r->collect_rank > 0)
        sqlite3_bind_int(st, at + 17, r->collect_rank);
    acv_store_bind_text(st, at + 18, r->collect_source);
}

acv_status acv_store_add_result(acv_store *s, int64_t run_id, const acv_result *r, acv_error *err)
{
    sqlite3_stmt *st = stmt(s, ST_RESULT_ADD, err);
    if (!st)
        return err->status;
    bind_result(st, 0, run_id, r);
    return acv_store_step_done(s, st, err, "storing a score");
}

acv_status acv_store_add_results(acv_store *s, int64_t run_id, const acv_result *rows, size_t n,
                                 acv_error *err)
{
    size_t i = 0;
    for (; i + RESULTS_PER_INSERT <= n; i += RESULTS_PER_INSERT) {
        sqlite3_stmt *st = stmt(s, ST_RESULT_ADD_MANY, err);
        if (!st)
            return err->status;
        for (int k = 0; k < RESULTS_PER_INSERT; k++)
            bind_result(st, k * RESULT_COLUMNS, run_id, &rows[i + (size_t)k]);
        acv_status rc = acv_store_step_done(s, st, err, "storing scores");
        if (rc != ACV_OK)
            return rc;
    }
    for (; i < n; i++) {
        acv_status rc = acv_store_add_result(s, run_id, &rows[i], err);
        if (rc != ACV_OK)
            return rc;
    }
    return ACV_OK;
}

acv_status acv_store_add_change(acv_store *s, int64_t run_id, int seq, const char *text,
                                acv_error *err)
{
    sqlite3_stmt *st = stmt(s, ST_CHANGE_ADD, err);
    if (!st)
        return err->status;
    sqlite3_bind_int64(st, 1, run_id);
    sqlite3_bind_int(st, 2, seq);
    sqlite3_bind_text(st, 3, text, -1, SQLITE_STATIC);
    return acv_store_step_done(s, st, err, "storing an overlay change");
}

acv_status acv_store_each_change(acv_store *s, int64_t run_id,
                                 int (*fn)(void *ud, const char *change), void *ud, acv_error *err)
{
    sqlite3_stmt *q =
        acv_store_prepare(s, "SELECT change FROM run_changes WHERE run_id = ?1 ORDER BY seq", err,
                          "reading overlay changes");
    if (!q)
        return err->status;
    int rc;
    sqlite3_bind_int64(q, 1, run_id);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        if (fn(ud, (const char *)sqlite3_column_text(q, 0)))
            break;
    acv_status st = acv_store_rows_end(s, q, rc, err, "reading overlay changes");
    sqlite3_finalize(q);
    return st;
}

#define SQL_LATEST_INPUTS                                                                          \
    "SELECT id, inputs_hash FROM runs WHERE area_id = ?1 AND year = ?2 ORDER BY id DESC LIMIT 1"

acv_status acv_store_latest_inputs_hash(acv_store *s, int64_t area_id, int year, int64_t *run_id,
                                        char hex[65], acv_error *err)
{
    *run_id = 0;
    hex[0] = 0;
    sqlite3_stmt *q = acv_store_cached(s, SQL_LATEST_INPUTS, err);
    if (!q)
        return err->status;
    sqlite3_bind_int64(q, 1, area_id);
    sqlite3_bind_int(q, 2, year);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        *run_id = sqlite3_column_int64(q, 0);
        const char *h = (const char *)sqlite3_column_text(q, 1);
        if (h && strlen(h) == 64)
            memcpy(hex, h, 65);
    }
    sqlite3_reset(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return acv_store_db_error(s, rc, err, "reading scoring runs");
    return ACV_OK;
}

acv_status acv_store_latest_run(acv_store *s, int64_t area_id, int year, acv_run *out,
                                acv_error *err)
{
    sqlite3_stmt *q =
        acv_store_prepare(s,
                          "SELECT id, area_id, year, created_at, engine_version, "
                          "framework_id, framework_version, framework_hash, data_hash, "
                          "methods_hash, overlay, vocabulary_id FROM runs WHERE area_id = ?1 "
                          "AND (?2 = 0 "
                          "OR year = ?2) ORDER BY id DESC LIMIT 1",
                          err, "reading scoring runs");
    if (!q)
        return err->status;
    int rc;
    sqlite3_bind_int64(q, 1, area_id);
    sqlite3_bind_int(q, 2, year);
    rc = sqlite3_step(q);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(q);
        if (rc == SQLITE_DONE)
            return acv_error_set(err, ACV_ERR_NOTFOUND, "no scoring run");
        return acv_store_db_error(s, rc, err, "reading scoring runs");
    }
    acv_arena_free(&s->scratch);
    out->id = sqlite3_column_int64(q, 0);
    out->area_id = sqlite3_column_int64(q, 1);
    out->year = sqlite3_column_int(q, 2);
    out->created_at = acv_store_scratch_text(s, q, 3);
    out->engine_version = acv_store_scratch_text(s, q, 4);
    out->framework_id = acv_store_scratch_text(s, q, 5);
    out->framework_version = acv_store_scratch_text(s, q, 6);
    out->framework_hash = acv_store_scratch_text(s, q, 7);
    out->data_hash = acv_store_scratch_text(s, q, 8);
    out->methods_hash = acv_store_scratch_text(s, q, 9);
    out->overlay = acv_store_scratch_text(s, q, 10);
    out->vocabulary_id = sqlite3_column_int64(q, 11); /* 0 for NULL */
    sqlite3_finalize(q);
    return ACV_OK;
}

acv_status acv_store_each_result(acv_store *s, int64_t run_id,
                                 int (*fn)(void *ud, const acv_result *r), void *ud, acv_error *err)
{
    sqlite3_stmt *q =
        acv_store_prepare(s,
                          "SELECT level, code, value, period, score, n_scored, n_total, "
                          "note, class, imputed, target_gap, rank, provisional, n_core_scored, "
                          "n_core_total, collect_rank, collect_source FROM run_results WHERE "
                          "run_id = ?1",
                          err, "reading scores");
    if (!q)
        return err->status;
    int rc;
    sqlite3_bind_int64(q, 1, run_id);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        acv_result r = {
            .level = (const char *)sqlite3_column_text(q, 0),
            .code = (const char *)sqlite3_column_text(q, 1),
            .has_value = sqlite3_column_type(q, 2) != SQLITE_NULL,
            .value = sqlite3_column_double(q, 2),
            .period = (const char *)sqlite3_column_text(q, 3),
            .has_score = sqlite3_column_type(q, 4) != SQLITE_NULL,
            .score = sqlite3_column_double(q, 4),
            .n_scored = sqlite3_column_int(q, 5),
            .n_total = sqlite3_column_int(q, 6),
            .note = (const char *)sqlite3_column_text(q, 7),
            .class_name = (const char *)sqlite3_column_text(q, 8),
            .imputed = sqlite3_column_int(q, 9),
            .has_target_gap = sqlite3_column_type(q, 10) != SQLITE_NULL,
            .target_gap = sqlite3_column_double(q, 10),
            .rank = sqlite3_column_int(q, 11),
            .has_provisional = sqlite3_column_type(q, 12) != SQLITE_NULL,
            .provisional = sqlite3_column_double(q, 12),
            .has_core = sqlite3_column_type(q, 14) != SQLITE_NULL,
            .n_core_scored = sqlite3_column_int(q, 13),
            .n_core_total = sqlite3_column_int(q, 14),
            .collect_rank = sqlite3_column_int(q, 15),
            .collect_source = (const char *)sqlite3_column_text(q, 16),
        };
        if (fn(ud, &r))
            break;
    }
    acv_status st = acv_store_rows_end(s, q, rc, err, "reading scores");
    sqlite3_finalize(q);
    return st;
}

long long acv_store_count(acv_store *s, const char *table)
{
    static const char *const allowed[] = {
        "areas",       "indicators",         "imports",          "observations",    "runs",
        "run_results", "assessment_answers", "review_decisions", "review_comments", NULL};
    int ok = 0;
    for (const char *const *a = allowed; *a; a++)
        if (strcmp(*a, table) == 0)
            ok = 1;
    if (!ok)
        return -1;
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    sqlite3_stmt *q = NULL;
    long long n = -1;
    if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
        n = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return n;
}

acv_status acv_store_put_answer(acv_store *s, const acv_answer *a, acv_error *err)
{
    sqlite3_stmt *st = stmt(s, ST_ANSWER_PUT, err);
    if (!st)
        return err->status;
    sqlite3_bind_int64(st, 1, a->area_id);
    sqlite3_bind_int(st, 2, a->year);
    sqlite3_bind_text(st, 3, a->question, -1, SQLITE_STATIC);
    if (a->level >= 0) {
        sqlite3_bind_int(st, 4, a->level);
        sqlite3_bind_int(st, 5, a->effective_level);
    }
    acv_store_bind_text(st, 6, a->evidence);
    sqlite3_bind_text(st, 7, a->file, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, a->line);
    return acv_store_step_done(s, st, err, "storing an answer");
}

static const char SQL_EACH_ANSWER[] =
    "SELECT question, level, effective_level, evidence, file, line FROM assessment_answers "
    "WHERE area_id = ?1 AND year = ?2 ORDER BY question";

acv_status acv_store_each_answer(acv_store *s, int64_t area_id, int year,
                                 int (*fn)(void *ud, const acv_answer *a), void *ud, acv_error *err)
{
    sqlite3_stmt *q = acv_store_cached(s, SQL_EACH_ANSWER, err);
    if (!q)
        return err->status;
    sqlite3_bind_int64(q, 1, area_id);
    sqlite3_bind_int(q, 2, year);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        acv_answer a = {
            .area_id = area_id,
            .year = year,
            .question = (const char *)sqlite3_column_text(q, 0),
            .level = sqlite3_column_type(q, 1) == SQLITE_NULL ? -1 : sqlite3_column_int(q, 1),
            .effective_level =
                sqlite3_column_type(q, 2) == SQLITE_NULL ? -1 : sqlite3_column_int(q, 2),
            .evidence = (const char *)sqlite3_column_text(q, 3),
            .file = (const char *)sqlite3_column_text(q, 4),
            .line = sqlite3_column_int64(q, 5),
        };
        if (fn(ud, &a))
            break;
    }
    return acv_store_rows_end(s, q, rc, err, "reading answers");
}

static const char SQL_LATEST_ANSWER_YEAR[] =
    "SELECT max(year) FROM assessment_answers WHERE area_id = ?1 AND (?2 = 0 OR year <= ?2)";

int acv_store_latest_answer_year(acv_store *s, int64_t area_id, int max_year)
{
    acv_error ignored;
    sqlite3_stmt *q = acv_store_cached(s, SQL_LATEST_ANSWER_YEAR, &ignored);
    if (!q)
        return 0;
    sqlite3_bind_int64(q, 1, area_id);
    sqlite3_bind_int(q, 2, max_year);
    int year = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
    sqlite3_reset(q);
    return year;
}
