/*
 * test_faults.c — the workspace under faults and concurrency (docs/data.md, "Safety"):
 *
 *   kill -9 at random moments of a large import, many times (the built binary, fork/exec, a
 *   SIGKILL after a random delay): the database stays consistent (PRAGMA integrity_check), the
 *   import is there whole or not at all, an acknowledged import is always there, and every
 *   earlier import is intact. The seed is printed; ACV_FAULT_SEED=N repeats a run,
 *   ACV_FAULT_ITERATIONS=N (default 25) changes its length and ACV_FAULT_BUDGET_MS (default
 *   15000) the time after which it stops early (never before 10 runs);
 *   a crash at every single write, sync and truncate of an import (a VFS shim that _exit()s at
 *   the K-th operation, K = 1, 2, ... until the import completes), including the checkpoint;
 *   an I/O error at every operation, once (transient) and from then on (persistent): the import
 *   fails cleanly and nothing of it stays;
 *   a full disk (ACVTRACK_MAX_PAGES): a clear message, exit 5, nothing written;
 *   a second writer: waits for the busy timeout, then fails with "workspace is busy" and writes
 *   nothing; or succeeds when the first finishes in time; two imports at once both land;
 *   readers polling during an import only ever see it absent or complete;
 *   corrupt, truncated, empty and foreign files: refused before anything is written.
 *
 * The oracle reads the file with SQLite directly. No assertion depends on timing: delays only
 * decide where a kill lands, and every outcome has to satisfy the same checks.
 */
#include "testutil.h"

#include "context.h"
#include "import.h"
#include "util.h"

#define STR_(x) #x
#define STR(x) STR_(x)
#define SCHEMA_VERSION_TEXT STR(ACV_SCHEMA_VERSION)

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FRAMEWORK ACV_TEST_FIXTURES "/validate/framework"

static const char *const SERIES[] = {"AA.ONE.1", "AA.ONE.2", "AA.ONE.3", "AA.TWO.1", "BB.ONE.1",
                                     "BB.ONE.2", "BB.ONE.3", "DE.POP",   "DE.DEATHS"};
#define N_SERIES 9
#define FIRST_YEAR 2011

/* ---- files and processes ----------------------------------------------------------------------
 */

static void write_areas(const char *dir, int n)
{
    acv_buf b = {0};
    acv_buf_puts(&b, "code,name,level,parent,country\nTC,Test country,country,,TC\n");
    for (int a = 0; a < n; a++)
        acv_buf_printf(&b, "a%04d,Area %d,city,TC,TC\n", a, a);
    free(acv_test_write(dir, "areas.csv", b.data));
    acv_buf_free(&b);
}

/* Observations of areas [from, to) for `years` years; every value is version * 1000 + a small
 * number, so the version a stored value came from can be read back. */
static void write_version(const char *dir, const char *name, int from, int to, int years,
                          int version)
{
    acv_buf b = {0};
    acv_buf_puts(&b, "area,indicator,period,value\n");
    for (int a = from; a < to; a++)
        for (int s = 0; s < N_SERIES; s++)
            for (int y = 0; y < years; y++)
                acv_buf_printf(&b, "a%04d,%s,%d,%d\n", a, SERIES[s], FIRST_YEAR + y,
                               version * 1000 + (a * 7 + s * 3 + y) % 997);
    assert_false(b.failed);
    free(acv_test_write(dir, name, b.data));
    acv_buf_free(&b);
}

/* Runs the binary in dir on w.db; stdout and stderr into *out and *err (either may be NULL). */
static int acv(const char *dir, const char *env, const char *args, char **out, char **err)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "(cd '%s' && %s '%s' --db w.db --framework '%s' %s >out.txt 2>err.txt)", dir,
             env ? env : "", ACV_TEST_BINARY, FRAMEWORK, args);
    int rc = acv_test_run(cmd, NULL);
    char path[1024];
    if (out) {
        snprintf(path, sizeof path, "%s/out.txt", dir);
        *out = acv_test_read(path);
    }
    if (err) {
        snprintf(path, sizeof path, "%s/err.txt", dir);
        *err = acv_test_read(path);
    }
    return rc;
}

static void acv_ok(const char *dir, const char *args)
{
    char *err = NULL;
    int rc = acv(dir, NULL, args, NULL, &err);
    if (rc != 0)
        fprintf(stderr, "acvtrack %s: %s", args, err);
    assert_int_equal(rc, 0);
    free(err);
}

/* Starts `acvtrack import FILE` in dir without waiting; stdout goes to out_name. */
static pid_t spawn_import(const char *dir, const char *file, const char *out_name,
                          const char *busy_ms)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (chdir(dir) != 0)
            _exit(126);
        int fd = open(out_name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int efd = open("spawn-err.txt", O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd < 0 || efd < 0 || dup2(fd, 1) < 0 || dup2(efd, 2) < 0)
            _exit(126);
        if (busy_ms)
            setenv("ACVTRACK_BUSY_TIMEOUT", busy_ms, 1);
        execl(ACV_TEST_BINARY, "acvtrack", "--db", "w.db", "--framework", FRAMEWORK, "import", file,
              (char *)NULL);
        _exit(127);
    }
    return pid;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* ---- the oracle --------------------------------------------------------------------------- */

typedef struct {
    char integrity[128];
    long long observations;
    long long imports, unfinished, full_imports;
    long long revisions;
    long long min_version, max_version;
    long long sources; /* distinct imports the observations come from */
} db_state;

static long long q_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &q, NULL);
    if (rc != SQLITE_OK)
        fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(db));
    assert_int_equal(rc, SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    long long v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return v;
}

/* Opens like any later acvtrack would (so a crashed writer's WAL is recovered) and reads. */
static db_state read_state(const char *dir, long long full_rows)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/w.db", dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    db_state s;
    memset(&s, 0, sizeof s);
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    snprintf(s.integrity, sizeof s.integrity, "%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    s.observations = q_int(db, "SELECT count(*) FROM observations");
    s.imports = q_int(db, "SELECT count(*) FROM imports");
    s.unfinished = q_int(db, "SELECT count(*) FROM imports WHERE finished = 0");
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM imports WHERE finished = 1 AND rows = %lld",
             full_rows);
    s.full_imports = q_int(db, sql);
    s.revisions = q_int(db, "SELECT count(*) FROM observation_revisions");
    s.min_version = q_int(db, "SELECT ifnull(min(CAST(value AS INTEGER) / 1000), 0) FROM "
                              "observations");
    s.max_version = q_int(db, "SELECT ifnull(max(CAST(value AS INTEGER) / 1000), 0) FROM "
                              "observations");
    s.sources = q_int(db, "SELECT count(DISTINCT import_id) FROM observations");
    sqlite3_close(db);
    return s;
}

static int file_contains(const char *dir, const char *name, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *s = acv_test_read(path);
    int found = s && strstr(s, text) != NULL;
    free(s);
    return found;
}

static unsigned env_uint(const char *name, unsigned fallback)
{
    const char *v = getenv(name);
    return v && *v ? (unsigned)strtoul(v, NULL, 10) : fallback;
}

/* ---- kill -9 at random moments ------------------------------------------------------------- */

#define KILL_AREAS 100
#define KILL_YEARS 15
#define KILL_KEYS (KILL_AREAS * N_SERIES * KILL_YEARS)

static void test_kill_during_import(void **state)
{
    (void)state;
    unsigned seed = env_uint("ACV_FAULT_SEED", (unsigned)time(NULL) ^ (unsigned)getpid());
    unsigned iterations = env_uint("ACV_FAULT_ITERATIONS", 25);
    fprintf(stderr, "kill test: seed %u, up to %u runs (repeat with ACV_FAULT_SEED=%u)\n", seed,
            iterations, seed);
    const char *dir = acv_test_tmpdir("faults-kill");
    write_areas(dir, KILL_AREAS);
    acv_ok(dir, "init");
    acv_ok(dir, "areas import areas.csv");
    /* version 1 makes every key; version 2 revises every value and tells how long that takes */
    write_version(dir, "v1.csv", 0, KILL_AREAS, KILL_YEARS, 1);
    acv_ok(dir, "import v1.csv");
    write_version(dir, "v2.csv", 0, KILL_AREAS, KILL_YEARS, 2);
    double t0 = now_ms();
    acv_ok(dir, "import v2.csv");
    long span = (long)(now_ms() - t0);
    if (span < 20)
        span = 20;

    long long committed = 2, current = 2;
    unsigned absent = 0, present_unacked = 0, finished = 0;
    /* a loaded machine makes every run slower: past the time budget, stop after 10 runs */
    double budget = env_uint("ACV_FAULT_BUDGET_MS", 15000), start = now_ms();
    unsigned i;
    for (i = 0; i < iterations && (i < 10 || now_ms() - start < budget); i++) {
        int version = 3 + (int)i;
        char name[32];
        snprintf(name, sizeof name, "v%d.csv", version);
        write_version(dir, name, 0, KILL_AREAS, KILL_YEARS, version);
        long delay = (long)(rand_r(&seed) % (unsigned)(span * 2 + 1));
        char ack_path[1024], ack_text[64];
        snprintf(ack_path, sizeof ack_path, "%s/ack.txt", dir);
        remove(ack_path); /* a child killed before it opens the file must not find the last one */
        snprintf(ack_text, sizeof ack_text, "%s: import ", name);
        pid_t pid = spawn_import(dir, name, "ack.txt", NULL);
        sleep_ms(delay);
        kill(pid, SIGKILL);
        int status = 0;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        int completed = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        assert_true(completed || (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL));
        int acked = file_contains(dir, "ack.txt", ack_text);

        db_state s = read_state(dir, KILL_KEYS);
        if (strcmp(s.integrity, "ok") != 0 || s.min_version != s.max_version)
            fprintf(stderr, "run %u (seed %u, delay %ld ms): integrity '%s', versions %lld-%lld\n",
                    i, seed, delay, s.integrity, s.min_version, s.max_version);
        assert_string_equal(s.integrity, "ok");
        assert_int_equal(s.observations, KILL_KEYS);
        assert_int_equal(s.unfinished, 0);
        /* every value from one import: this one whole, or the one before */
        assert_int_equal(s.min_version, s.max_version);
        assert_int_equal(s.sources, 1);
        if ((acked || completed) && s.max_version != version)
            fprintf(stderr,
                    "run %u (seed %u, delay %ld ms): acknowledged=%d finished=%d, but the "
                    "values are of version %lld, not %d\n",
                    i, seed, delay, acked, completed, s.max_version, version);
        if (acked || completed)
            assert_int_equal(s.max_version, version);
        assert_true(s.max_version == version || s.max_version == current);
        if (s.max_version == version) {
            committed++;
            current = version;
            if (!completed)
                present_unacked += !acked;
            if (completed)
                finished++;
        } else {
            absent++;
        }
        /* earlier imports intact: each one whole, with one revision per value it replaced */
        assert_int_equal(s.imports, committed);
        assert_int_equal(s.full_imports, committed);
        assert_int_equal(s.revisions, (committed - 1) * KILL_KEYS);
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        remove(path);
    }
    /* a last import runs to the end and lands whole */
    write_version(dir, "last.csv", 0, KILL_AREAS, KILL_YEARS, 999);
    acv_ok(dir, "import last.csv");
    db_state s = read_state(dir, KILL_KEYS);
    assert_string_equal(s.integrity, "ok");
    assert_int_equal(s.min_version, 999);
    assert_int_equal(s.max_version, 999);
    assert_int_equal(s.imports, committed + 1);
    fprintf(stderr,
            "kill test: %u runs of a %d-row import (~%ld ms): %u killed before the commit "
            "(absent), %u killed after it (present, not yet acknowledged), %u finished first; "
            "every check passed\n",
            i, KILL_KEYS, span, absent, (unsigned)(i - absent - finished), finished);
    (void)present_unacked;
}

/* ---- a VFS shim: crash or fail at the K-th write, sync or truncate ----------------------- */

typedef struct {
    sqlite3_vfs vfs;
    sqlite3_vfs *real;
    int armed;
    long ops;       /* writes, syncs and truncates since armed */
    long crash_at;  /* _exit(99) at this operation; 0: never */
    long fail_at;   /* SQLITE_IOERR at this operation; 0: never */
    int persistent; /* and at every one after it */
    long failures;
} shim;

typedef struct {
    sqlite3_file base;
    shim *s;
    sqlite3_file *real;
} shim_file;

static shim the_shim; /* registered with SQLite while a test uses it */

/* Counts one operation; returns non-zero when it must fail. */
static int shim_fault(shim *s)
{
    if (!s->armed)
        return 0;
    s->ops++;
    if (s->crash_at && s->ops == s->crash_at)
        _exit(99);
    if (s->fail_at && (s->ops == s->fail_at || (s->persistent && s->ops > s->fail_at))) {
        s->failures++;
        return 1;
    }
    return 0;
}

#define REAL(f) (((shim_file *)(f))->real)

static int shim_close(sqlite3_file *f)
{
    int rc = REAL(f)->pMethods ? REAL(f)->pMethods->xClose(REAL(f)) : SQLITE_OK;
    return rc;
}
static int shim_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o)
{
    return REAL(f)->pMethods->xRead(REAL(f), b, n, o);
}
static int shim_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{
    if (shim_fault(((shim_file *)f)->s))
        return SQLITE_IOERR_WRITE;
    return REAL(f)->pMethods->xWrite(REAL(f), b, n, o);
}
static int shim_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    if (shim_fault(((shim_file *)f)->s))
        return SQLITE_IOERR_TRUNCATE;
    return REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int shim_sync(sqlite3_file *f, int flags)
{
    if (shim_fault(((shim_file *)f)->s))
        return SQLITE_IOERR_FSYNC;
    return REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int shim_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int shim_lock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xLock(REAL(f), l);
}
static int shim_unlock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), l);
}
static int shim_check_lock(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int shim_control(sqlite3_file *f, int op, void *arg)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int shim_sector(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}
static int shim_device(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int shim_shm_map(sqlite3_file *f, int i, int sz, int extend, void volatile **p)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), i, sz, extend, p);
}
static int shim_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
    return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}
static void shim_shm_barrier(sqlite3_file *f)
{
    REAL(f)->pMethods->xShmBarrier(REAL(f));
}
static int shim_shm_unmap(sqlite3_file *f, int del)
{
    return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}
static int shim_fetch(sqlite3_file *f, sqlite3_int64 o, int n, void **p)
{
    return REAL(f)->pMethods->xFetch(REAL(f), o, n, p);
}
static int shim_unfetch(sqlite3_file *f, sqlite3_int64 o, void *p)
{
    return REAL(f)->pMethods->xUnfetch(REAL(f), o, p);
}

static const sqlite3_io_methods SHIM_METHODS = {
    3,           shim_close,   shim_read,     shim_write,       shim_truncate,  shim_sync,
    shim_size,   shim_lock,    shim_unlock,   shim_check_lock,  shim_control,   shim_sector,
    shim_device, shim_shm_map, shim_shm_lock, shim_shm_barrier, shim_shm_unmap, shim_fetch,
    shim_unfetch};

static int shim_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
    shim *s = vfs->pAppData;
    shim_file *sf = (shim_file *)f;
    sf->s = s;
    sf->real = (sqlite3_file *)(sf + 1);
    int rc = s->real->xOpen(s->real, name, sf->real, flags, out_flags);
    sf->base.pMethods = sf->real->pMethods ? &SHIM_METHODS : NULL;
    return rc;
}

static int shim_delete(sqlite3_vfs *vfs, const char *name, int sync)
{
    shim *s = vfs->pAppData;
    return s->real->xDelete(s->real, name, sync);
}
static int shim_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    shim *s = vfs->pAppData;
    return s->real->xAccess(s->real, name, flags, out);
}
static int shim_full_path(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    shim *s = vfs->pAppData;
    return s->real->xFullPathname(s->real, name, n, out);
}
static int shim_randomness(sqlite3_vfs *vfs, int n, char *out)
{
    shim *s = vfs->pAppData;
    return s->real->xRandomness(s->real, n, out);
}
static int shim_sleep(sqlite3_vfs *vfs, int us)
{
    shim *s = vfs->pAppData;
    return s->real->xSleep(s->real, us);
}
static int shim_time(sqlite3_vfs *vfs, double *out)
{
    shim *s = vfs->pAppData;
    return s->real->xCurrentTime(s->real, out);
}
static int shim_last_error(sqlite3_vfs *vfs, int n, char *out)
{
    shim *s = vfs->pAppData;
    return s->real->xGetLastError(s->real, n, out);
}
static int shim_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
    shim *s = vfs->pAppData;
    return s->real->xCurrentTimeInt64(s->real, out);
}

/* Makes the shim SQLite's default VFS (disarmed). */
static void shim_install(void)
{
    sqlite3_initialize();
    sqlite3_vfs *real = sqlite3_vfs_find(NULL);
    assert_non_null(real);
    if (real == &the_shim.vfs)
        real = the_shim.real;
    memset(&the_shim, 0, sizeof the_shim);
    the_shim.real = real;
    sqlite3_vfs *v = &the_shim.vfs;
    v->iVersion = 2;
    v->szOsFile = (int)sizeof(shim_file) + real->szOsFile;
    v->mxPathname = real->mxPathname;
    v->zName = "acvtest-shim";
    v->pAppData = &the_shim;
    v->xOpen = shim_open;
    v->xDelete = shim_delete;
    v->xAccess = shim_access;
    v->xFullPathname = shim_full_path;
    v->xRandomness = shim_randomness;
    v->xSleep = shim_sleep;
    v->xCurrentTime = shim_time;
    v->xGetLastError = shim_last_error;
    v->xCurrentTimeInt64 = shim_time64;
    assert_int_equal(sqlite3_vfs_register(v, 1), SQLITE_OK);
}

static void shim_remove(void)
{
    sqlite3_vfs_unregister(&the_shim.vfs);
    assert_true(sqlite3_vfs_find(NULL) == the_shim.real);
}

/* One import in this process: 0 when it succeeded, else the status. */
static acv_status import_in_process(const char *dir, const char *file, acv_error *err,
                                    acv_import_summary *sum, int arm)
{
    char db[1024], path[1024];
    snprintf(db, sizeof db, "%s/w.db", dir);
    snprintf(path, sizeof path, "%s/%s", dir, file);
    acv_ctx_options o = {.db_path = db, .framework_dir = FRAMEWORK};
    acv_ctx *ctx = NULL;
    acv_error_clear(err);
    acv_status st = acv_ctx_open(&o, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, &ctx, err);
    if (st != ACV_OK)
        return st;
    the_shim.armed = arm;
    the_shim.ops = 0;
    acv_import_options io = {.display_name = file};
    st = acv_import_csv(ctx, path, &io, sum, err);
    acv_ctx_close(ctx); /* the checkpoint at close is part of the run */
    the_shim.armed = 0;
    return st;
}

#define SMALL_AREAS 10
#define SMALL_YEARS 3
#define SMALL_KEYS (SMALL_AREAS * N_SERIES * SMALL_YEARS)

/* A workspace with 10 areas and version 1 of their values, checkpointed into one file that
 * reset_workspace copies back before every run, so that each run starts from the same state
 * (the revisions of earlier runs would otherwise make every run longer). */
static const char *small_workspace(const char *tag)
{
    const char *dir = acv_test_tmpdir(tag);
    write_areas(dir, SMALL_AREAS);
    acv_ok(dir, "init");
    acv_ok(dir, "areas import areas.csv");
    write_version(dir, "v1.csv", 0, SMALL_AREAS, SMALL_YEARS, 1);
    acv_ok(dir, "import v1.csv");
    write_version(dir, "v2.csv", 0, SMALL_AREAS, SMALL_YEARS, 2);
    return dir;
}

static long long checkpointed_pages(const char *dir);

static void save_workspace(const char *dir)
{
    checkpointed_pages(dir);
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cp '%s/w.db' '%s/pristine.db'", dir, dir);
    assert_int_equal(system(cmd), 0);
}

static void reset_workspace(const char *dir)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cd '%s' && rm -f w.db-wal w.db-shm && cp pristine.db w.db", dir);
    assert_int_equal(system(cmd), 0);
}

/* After a run that imported v2.csv or was stopped: v1 or v2, whole. */
static int check_v1_or_v2(const char *dir, const char *what, long n)
{
    db_state s = read_state(dir, SMALL_KEYS);
    if (strcmp(s.integrity, "ok") != 0)
        fprintf(stderr, "%s at operation %ld: %s\n", what, n, s.integrity);
    assert_string_equal(s.integrity, "ok");
    assert_int_equal(s.observations, SMALL_KEYS);
    assert_int_equal(s.unfinished, 0);
    assert_int_equal(s.min_version, s.max_version);
    assert_true(s.max_version == 1 || s.max_version == 2);
    int present = s.max_version == 2;
    assert_int_equal(s.imports, 1 + present);
    assert_int_equal(s.full_imports, 1 + present);
    assert_int_equal(s.revisions, present * SMALL_KEYS);
    return present;
}

static void test_crash_at_every_write(void **state)
{
    (void)state;
    const char *dir = small_workspace("faults-crash");
    save_workspace(dir);
    long k;
    int done = 0;
    unsigned absent = 0, present = 0;
    for (k = 1; !done && k < 2000; k++) {
        reset_workspace(dir);
        fflush(NULL);
        pid_t pid = fork(); /* no connection is open in this process here */
        assert_true(pid >= 0);
        if (pid == 0) {
            shim_install();
            the_shim.crash_at = k;
            acv_error err;
            acv_import_summary sum;
            acv_status st = import_in_process(dir, "v2.csv", &err, &sum, 1);
            _exit(st == ACV_OK ? 0 : 1);
        }
        int status = 0;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        int code = WEXITSTATUS(status);
        assert_true(code == 0 || code == 99);
        done = code == 0;
        int there = check_v1_or_v2(dir, "crash", k);
        if (done)
            assert_true(there);
        else if (there)
            present++;
        else
            absent++;
    }
    assert_true(done);
    fprintf(stderr,
            "crash test: the import crashed at each of its %ld writes, syncs and truncates in "
            "turn: %u times before its commit (absent afterwards), %u times after it, in the "
            "checkpoint (present); then it ran to the end\n",
            k - 2, absent, present);
}

static void io_error_loop(int persistent, const char *tag)
{
    const char *dir = small_workspace(tag);
    save_workspace(dir);
    shim_install();
    long n;
    unsigned failed = 0, committed = 0;
    for (n = 1; n < 2000; n++) {
        reset_workspace(dir);
        the_shim.fail_at = n;
        the_shim.persistent = persistent;
        the_shim.failures = 0;
        acv_error err;
        acv_import_summary sum;
        acv_status st = import_in_process(dir, "v2.csv", &err, &sum, 1);
        long failures = the_shim.failures;
        the_shim.fail_at = 0;
        int there = check_v1_or_v2(dir, "I/O error", n);
        if (st == ACV_OK) {
            /* an error after the commit (in the checkpoint) cannot undo it */
            assert_true(there);
            if (failures == 0)
                break; /* no operation left to fail */
            committed++;
        } else {
            /* a clear error, no summary, and nothing of the import left */
            assert_int_equal(st, ACV_ERR_STORAGE);
            if (!strstr(err.message, "disk I/O error"))
                fprintf(stderr, "operation %ld: %s\n", n, err.message);
            assert_non_null(strstr(err.message, "disk I/O error"));
            assert_int_equal(sum.rows, 0);
            assert_int_equal(sum.import_id, 0);
            assert_false(there);
            failed++;
        }
    }
    shim_remove();
    assert_true(n < 2000);
    fprintf(stderr,
            "I/O error test (%s): an error at each of the import's %ld operations in "
            "turn: %u times it failed cleanly with nothing written, %u times the error "
            "came after the commit\n",
            persistent ? "persistent" : "transient", n - 1, failed, committed);
}

static void test_io_error_transient(void **state)
{
    (void)state;
    io_error_loop(0, "faults-ioerr-once");
}

static void test_io_error_persistent(void **state)
{
    (void)state;
    io_error_loop(1, "faults-ioerr-always");
}

/* ---- disk full --------------------------------------------------------------------------------
 */

static long long checkpointed_pages(const char *dir)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/w.db", dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL),
                     SQLITE_OK);
    long long pages = q_int(db, "PRAGMA page_count");
    sqlite3_close(db);
    return pages;
}

static void test_disk_full(void **state)
{
    (void)state;
    const char *dir = acv_test_tmpdir("faults-full");
    write_areas(dir, 100);
    acv_ok(dir, "init");
    acv_ok(dir, "areas import areas.csv");
    write_version(dir, "half.csv", 0, 50, 10, 1);
    acv_ok(dir, "import half.csv");
    write_version(dir, "rest.csv", 50, 100, 10, 1);
    db_state before = read_state(dir, 50 * N_SERIES * 10);
    long long pages = checkpointed_pages(dir);
    char env[64];
    snprintf(env, sizeof env, "ACVTRACK_MAX_PAGES=%lld", pages);
    char *out = NULL, *err = NULL;
    assert_int_equal(acv(dir, env, "import rest.csv", &out, &err), 5);
    assert_string_equal(out, "");
    assert_string_equal(err, "acvtrack: w.db: the disk (or the database size limit) is full "
                             "while storing an observation; nothing was changed\n"
                             "acvtrack: nothing was imported\n");
    free(out);
    free(err);
    db_state after = read_state(dir, 50 * N_SERIES * 10);
    assert_string_equal(after.integrity, "ok");
    assert_int_equal(after.observations, before.observations);
    assert_int_equal(after.imports, before.imports);
    assert_int_equal(after.revisions, before.revisions);
    /* with room, the same file is new and lands whole */
    assert_int_equal(acv(dir, NULL, "import rest.csv", &out, NULL), 0);
    assert_string_equal(out, "rest.csv: import 2: 4500 observations: 4500 new, 0 revised, 0 "
                             "unchanged\n");
    free(out);
}

/* ---- two writers, readers ---------------------------------------------------------------------
 */

static sqlite3 *hold_write_lock(const char *dir)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/w.db", dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    return db;
}

static void test_second_writer_gives_up(void **state)
{
    (void)state;
    const char *dir = small_workspace("faults-busy");
    write_version(dir, "v2.csv", 0, SMALL_AREAS, SMALL_YEARS, 2);
    db_state before = read_state(dir, SMALL_KEYS);
    sqlite3 *holder = hold_write_lock(dir);
    char *out = NULL, *err = NULL;
    assert_int_equal(acv(dir, "ACVTRACK_BUSY_TIMEOUT=200", "import v2.csv", &out, &err), 6);
    assert_string_equal(out, "");
    assert_string_equal(err, "acvtrack: w.db: workspace is busy: another acvtrack process is "
                             "writing to it (waited for the busy timeout; try again later)\n"
                             "acvtrack: nothing was imported\n");
    free(out);
    free(err);
    /* a dry run needs the write lock too, and says the same */
    assert_int_equal(acv(dir, "ACVTRACK_BUSY_TIMEOUT=100", "import --dry-run v2.csv", NULL, NULL),
                     6);
    assert_int_equal(sqlite3_exec(holder, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(holder);
    db_state after = read_state(dir, SMALL_KEYS);
    assert_string_equal(after.integrity, "ok");
    assert_int_equal(after.imports, before.imports);
    assert_int_equal(after.max_version, 1);
    assert_int_equal(after.revisions, 0);
}

static void test_second_writer_waits(void **state)
{
    (void)state;
    const char *dir = small_workspace("faults-wait");
    write_version(dir, "v2.csv", 0, SMALL_AREAS, SMALL_YEARS, 2);
    int ready[2];
    assert_int_equal(pipe(ready), 0);
    fflush(NULL);
    pid_t holder = fork();
    assert_true(holder >= 0);
    if (holder == 0) {
        /* its own connection, opened after the fork */
        char path[1024];
        snprintf(path, sizeof path, "%s/w.db", dir);
        sqlite3 *db = NULL;
        if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
            sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
            _exit(1);
        if (write(ready[1], "x", 1) != 1)
            _exit(1);
        sleep_ms(300);
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
        sqlite3_close(db);
        _exit(0);
    }
    char c;
    assert_int_equal(read(ready[0], &c, 1), 1);
    close(ready[0]);
    close(ready[1]);
    /* the lock is held now; the import waits for it (up to 20 s) and then runs */
    char *out = NULL;
    assert_int_equal(acv(dir, "ACVTRACK_BUSY_TIMEOUT=20000", "import v2.csv", &out, NULL), 0);
    assert_string_equal(out, "v2.csv: import 2: 270 observations: 0 new, 270 revised, 0 "
                             "unchanged\n");
    free(out);
    int status;
    assert_int_equal(waitpid(holder, &status, 0), holder);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_two_imports_at_once(void **state)
{
    (void)state;
    const char *dir = acv_test_tmpdir("faults-two");
    write_areas(dir, 200);
    acv_ok(dir, "init");
    acv_ok(dir, "areas import areas.csv");
    write_version(dir, "first.csv", 0, 100, 10, 1);
    write_version(dir, "second.csv", 100, 200, 10, 1);
    pid_t a = spawn_import(dir, "first.csv", "a.txt", "20000");
    pid_t b = spawn_import(dir, "second.csv", "b.txt", "20000");
    int sa, sb;
    assert_int_equal(waitpid(a, &sa, 0), a);
    assert_int_equal(waitpid(b, &sb, 0), b);
    assert_true(WIFEXITED(sa) && WEXITSTATUS(sa) == 0);
    assert_true(WIFEXITED(sb) && WEXITSTATUS(sb) == 0);
    db_state s = read_state(dir, 100 * N_SERIES * 10);
    assert_string_equal(s.integrity, "ok");
    assert_int_equal(s.observations, 2 * 100 * N_SERIES * 10);
    assert_int_equal(s.imports, 2);
    assert_int_equal(s.full_imports, 2);
}

static void test_readers_never_see_half_an_import(void **state)
{
    (void)state;
    const char *dir = acv_test_tmpdir("faults-readers");
    write_areas(dir, KILL_AREAS);
    acv_ok(dir, "init");
    acv_ok(dir, "areas import areas.csv");
    write_version(dir, "v1.csv", 0, KILL_AREAS, KILL_YEARS, 1);
    acv_ok(dir, "import v1.csv");
    write_version(dir, "v2.csv", 0, KILL_AREAS, KILL_YEARS, 2);
    char path[1024];
    snprintf(path, sizeof path, "%s/w.db", dir);
    pid_t pid = spawn_import(dir, "v2.csv", "ack.txt", NULL);
    long polls = 0, saw_before = 0, saw_after = 0;
    int status = 0;
    for (;;) {
        pid_t done = waitpid(pid, &status, WNOHANG);
        sqlite3 *db = NULL;
        assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
        sqlite3_busy_timeout(db, 5000);
        sqlite3_stmt *q = NULL;
        /* one statement, one snapshot: the import record and its values agree */
        assert_int_equal(sqlite3_prepare_v2(db,
                                            "SELECT (SELECT count(*) FROM imports), (SELECT "
                                            "count(*) FROM observations WHERE value >= 2000 AND "
                                            "value < 3000), (SELECT count(*) FROM "
                                            "observation_revisions)",
                                            -1, &q, NULL),
                         SQLITE_OK);
        assert_int_equal(sqlite3_step(q), SQLITE_ROW);
        long long imports = sqlite3_column_int64(q, 0), new_values = sqlite3_column_int64(q, 1),
                  revisions = sqlite3_column_int64(q, 2);
        sqlite3_finalize(q);
        sqlite3_close(db);
        polls++;
        if (imports == 1) {
            assert_int_equal(new_values, 0);
            assert_int_equal(revisions, 0);
            saw_before++;
        } else {
            assert_int_equal(imports, 2);
            assert_int_equal(new_values, KILL_KEYS);
            assert_int_equal(revisions, KILL_KEYS);
            saw_after++;
        }
        if (done == pid)
            break;
        sleep_ms(5);
    }
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_true(saw_after > 0); /* the last poll came after the import ended */
    fprintf(stderr,
            "readers test: %ld polls during the import: %ld saw it absent, %ld complete, "
            "none anything between\n",
            polls, saw_before, saw_after);
}

/* ---- damaged and foreign files ----------------------------------------------------------------
 */

static void file_sha(const char *path, char hex[65])
{
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(acv_read_file(path, 1 << 26, &data, &len), 0);
    acv_sha256 h;
    acv_sha256_init(&h);
    acv_sha256_update(&h, data, len);
    acv_sha256_final_hex(&h, hex);
    free(data);
}

static void make_sqlite(const char *path, const char *sql)
{
    remove(path);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void patch_bytes(const char *path, long offset, const char *bytes, size_t n)
{
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, offset, SEEK_SET), 0);
    assert_int_equal(fwrite(bytes, 1, n, f), n);
    fclose(f);
}

typedef struct {
    const char *name;
    const char *message;
} damaged_case;

static void test_damaged_and_foreign_files_are_refused(void **state)
{
    (void)state;
    /* a good workspace with data, checkpointed into its main file, to damage copies of */
    const char *dir = small_workspace("faults-damaged");
    checkpointed_pages(dir);
    char good[1024];
    snprintf(good, sizeof good, "%s/w.db", dir);
    struct stat sb;
    assert_int_equal(stat(good, &sb), 0);
    long size = (long)sb.st_size;
    write_version(dir, "v2.csv", 0, SMALL_AREAS, SMALL_YEARS, 2);

    static const damaged_case cases[] = {
        {"text", "acvtrack: x.db: not an acvtrack workspace (the file is not a SQLite database, "
                 "or it is damaged); refusing to touch it\n"},
        {"random", "acvtrack: x.db: not an acvtrack workspace (the file is not a SQLite "
                   "database, or it is damaged); refusing to touch it\n"},
        {"magic", "acvtrack: x.db: not an acvtrack workspace (the file is not a SQLite database, "
                  "or it is damaged); refusing to touch it\n"},
        {"page-size", "acvtrack: x.db: not an acvtrack workspace (the file is not a SQLite "
                      "database, or it is damaged); refusing to touch it\n"},
        {"schema-page", "acvtrack: x.db: not an acvtrack workspace (the file is not a SQLite "
                        "database, or it is damaged); refusing to touch it\n"},
        {"truncated", "acvtrack: x.db: not an acvtrack workspace (the file is not a SQLite "
                      "database, or it is damaged); refusing to touch it\n"},
        {"empty", "acvtrack: x.db: the file is empty, not an acvtrack workspace; refusing to "
                  "touch it (create a workspace with 'acvtrack init')\n"},
        {"other-app", "acvtrack: x.db: this SQLite database belongs to another application "
                      "(application_id 305419896); refusing to touch it\n"},
        {"no-app-id", "acvtrack: x.db: this SQLite database belongs to another application "
                      "(application_id 0); refusing to touch it\n"},
        {"newer", "acvtrack: x.db: made by a newer acvtrack (schema version 99; this build knows "
                  "up to " SCHEMA_VERSION_TEXT "); upgrade acvtrack to use it\n"},
    };
    unsigned seed = 2045;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char path[1024], cmd[2048];
        snprintf(path, sizeof path, "%s/x.db", dir);
        snprintf(cmd, sizeof cmd, "rm -f '%s'*", path);
        assert_int_equal(system(cmd), 0);
        const char *name = cases[i].name;
        if (strcmp(name, "empty") == 0) {
            free(acv_test_write(dir, "x.db", ""));
        } else if (strcmp(name, "text") == 0) {
            free(acv_test_write(dir, "x.db", "area,indicator,period,value\nthis is not SQLite\n"));
        } else if (strcmp(name, "random") == 0) {
            char junk[8192];
            for (size_t k = 0; k < sizeof junk; k++)
                junk[k] = (char)(rand_r(&seed) & 0xff);
            FILE *f = fopen(path, "wb");
            assert_non_null(f);
            assert_int_equal(fwrite(junk, 1, sizeof junk, f), sizeof junk);
            fclose(f);
        } else if (strcmp(name, "other-app") == 0) {
            make_sqlite(path, "PRAGMA application_id = 305419896; CREATE TABLE t(x); INSERT INTO "
                              "t VALUES (1)");
        } else if (strcmp(name, "no-app-id") == 0) {
            make_sqlite(path, "CREATE TABLE notes(x); INSERT INTO notes VALUES ('mine')");
        } else {
            snprintf(cmd, sizeof cmd, "cp '%s' '%s'", good, path);
            assert_int_equal(system(cmd), 0);
            if (strcmp(name, "magic") == 0)
                patch_bytes(path, 0, "SQLite formut 3", 15);
            else if (strcmp(name, "page-size") == 0)
                patch_bytes(path, 16, "\x00\x03", 2);
            else if (strcmp(name, "schema-page") == 0) {
                char junk[2000];
                memset(junk, 0x5a, sizeof junk);
                patch_bytes(path, 100, junk, sizeof junk);
            } else if (strcmp(name, "truncated") == 0)
                assert_int_equal(truncate(path, size / 2), 0);
            else if (strcmp(name, "newer") == 0)
                make_sqlite(path, "PRAGMA application_id = 1094932052; PRAGMA user_version = 99");
        }
        char before[65], after[65];
        struct stat s1, s2;
        file_sha(path, before);
        assert_int_equal(stat(path, &s1), 0);
        snprintf(cmd, sizeof cmd,
                 "(cd '%s' && '%s' --db x.db --framework '%s' import v2.csv >out.txt 2>err.txt)",
                 dir, ACV_TEST_BINARY, FRAMEWORK);
        int rc = acv_test_run(cmd, NULL);
        char errp[1024];
        snprintf(errp, sizeof errp, "%s/err.txt", dir);
        char *err = acv_test_read(errp);
        if (rc != 5)
            fprintf(stderr, "%s: exit %d: %s", name, rc, err);
        assert_int_equal(rc, 5);
        assert_string_equal(err, cases[i].message);
        free(err);
        file_sha(path, after);
        assert_int_equal(stat(path, &s2), 0);
        if (strcmp(before, after) != 0)
            fprintf(stderr, "%s: the file changed\n", name);
        assert_string_equal(before, after);
        assert_int_equal(s1.st_size, s2.st_size);
        assert_true(s1.st_mtim.tv_sec == s2.st_mtim.tv_sec &&
                    s1.st_mtim.tv_nsec == s2.st_mtim.tv_nsec);
    }
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill_during_import),
        cmocka_unit_test(test_crash_at_every_write),
        cmocka_unit_test(test_io_error_transient),
        cmocka_unit_test(test_io_error_persistent),
        cmocka_unit_test(test_disk_full),
        cmocka_unit_test(test_second_writer_gives_up),
        cmocka_unit_test(test_second_writer_waits),
        cmocka_unit_test(test_two_imports_at_once),
        cmocka_unit_test(test_readers_never_see_half_an_import),
        cmocka_unit_test(test_damaged_and_foreign_files_are_refused),
    };
    return acv_test_main(argc, argv, "faults", tests, sizeof tests / sizeof *tests);
}
