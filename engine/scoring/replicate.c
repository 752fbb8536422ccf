/* replicate.c — the threads of an uncertainty analysis; see replicate.h. */
#include "replicate.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct shared shared;

typedef struct {
    shared *sh;
    acv_lua *lua;
    pthread_t thread;
    int started;
    acv_status st;
    acv_error err;
} worker;

struct shared {
    const acv_replicate_request *r;
    size_t n_ind;
    size_t block; /* areas per block */
    size_t n_blocks;
    double *block_sums; /* phase 1: 4 * n_ind per block */
    double *out;        /* phase 2 */
    int phase;
    pthread_mutex_t mu;
    size_t next; /* the next block to take */
    size_t done; /* area-runs finished */
    int failed;
};

static acv_replicate_block block_at(const shared *sh, size_t b)
{
    size_t first = b * sh->block;
    size_t n = sh->r->n_areas - first;
    if (n > sh->block)
        n = sh->block;
    return (acv_replicate_block){.n_areas = n,
                                 .values = sh->r->values + first * sh->n_ind,
                                 .scores = sh->r->scores + first * sh->n_ind};
}

/* One block: its sums (phase 1) or its scores under every assumption (phase 2). */
static acv_status do_block(shared *sh, acv_lua *lua, size_t b, acv_error *err)
{
    acv_replicate_block blk = block_at(sh, b);
    if (sh->phase == 1)
        return acv_replicate_sums(lua, &blk, sh->block_sums + b * 4 * sh->n_ind, err);
    acv_status st = acv_replicate_load_block(lua, &blk, err);
    size_t first = b * sh->block;
    for (size_t run = 0; st == ACV_OK && run < sh->r->n_runs; run++)
        st = acv_replicate_run(lua, &sh->r->runs[run], sh->out + run * sh->r->n_areas + first, err);
    return st;
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    shared *sh = w->sh;
    for (;;) {
        pthread_mutex_lock(&sh->mu);
        size_t b = sh->failed ? sh->n_blocks : sh->next++;
        pthread_mutex_unlock(&sh->mu);
        if (b >= sh->n_blocks)
            break;
        w->st = do_block(sh, w->lua, b, &w->err);
        pthread_mutex_lock(&sh->mu);
        if (w->st != ACV_OK)
            sh->failed = 1;
        pthread_mutex_unlock(&sh->mu);
        if (w->st != ACV_OK)
            break;
    }
    return NULL;
}

/* Runs the current phase over every block on the workers (on this thread when there is one). */
static acv_status run_phase(shared *sh, worker *ws, int n, acv_error *err)
{
    sh->next = 0;
    if (n == 1) {
        for (size_t b = 0; b < sh->n_blocks; b++) {
            acv_status st = do_block(sh, ws[0].lua, b, err);
            if (st != ACV_OK)
                return st;
        }
        return ACV_OK;
    }
    acv_status st = ACV_OK;
    for (int i = 0; i < n; i++) {
        ws[i].st = ACV_OK;
        ws[i].started = pthread_create(&ws[i].thread, NULL, worker_main, &ws[i]) == 0;
        if (!ws[i].started) {
            pthread_mutex_lock(&sh->mu);
            sh->failed = 1;
            pthread_mutex_unlock(&sh->mu);
            st = acv_error_set(err, ACV_ERR_NOMEM, "cannot start a replication thread");
        }
    }
    for (int i = 0; i < n; i++)
        if (ws[i].started)
            pthread_join(ws[i].thread, NULL);
    /* the first failure in worker order */
    for (int i = 0; st == ACV_OK && i < n; i++)
        if (ws[i].st != ACV_OK) {
            *err = ws[i].err;
            st = ws[i].st;
        }
    return st;
}

static int default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > ACV_REPLICATE_MAX_JOBS ? ACV_REPLICATE_MAX_JOBS : (int)n;
}

acv_status acv_replicate_all(acv_ctx *ctx, const acv_replicate_request *r, double *out,
                             acv_error *err)
{
    if (r->n_areas == 0)
        return ACV_OK;
    shared sh = {.r = r, .n_ind = ctx->fw->n_indicators, .out = out};
    sh.block = (r->n_areas + 15) / 16;
    if (sh.block > ACV_REPLICATE_BLOCK)
        sh.block = ACV_REPLICATE_BLOCK;
    sh.n_blocks = (r->n_areas + sh.block - 1) / sh.block;
    int n = r->jobs > 0 ? r->jobs : default_jobs();
    if (n > ACV_REPLICATE_MAX_JOBS)
        n = ACV_REPLICATE_MAX_JOBS;
    if ((size_t)n > sh.n_blocks)
        n = (int)sh.n_blocks;
    worker ws[ACV_REPLICATE_MAX_JOBS];
    memset(ws, 0, sizeof ws);
    size_t n_sums = 4 * sh.n_ind;
    sh.block_sums = calloc(sh.n_blocks * n_sums + n_sums, sizeof *sh.block_sums);
    if (!sh.block_sums)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory preparing the replications");
    double *totals = sh.block_sums + sh.n_blocks * n_sums;
    pthread_mutex_init(&sh.mu, NULL);
    acv_replicate_model model = {.fw = ctx->fw, .level = r->level, .code = r->code};
    acv_status st = ACV_OK;
    int opened = 0;
    for (; st == ACV_OK && opened < n; opened++) {
        ws[opened].sh = &sh;
        st = acv_ctx_new_lua(ctx, &ws[opened].lua, err);
        if (st == ACV_OK)
            st = acv_replicate_open(ws[opened].lua, &model, err);
        else
            break;
    }
    if (st == ACV_OK) {
        sh.phase = 1;
        st = run_phase(&sh, ws, n, err);
    }
    if (st == ACV_OK) {
        /* in block order: the same totals whatever the number of threads */
        for (size_t b = 0; b < sh.n_blocks; b++)
            for (size_t i = 0; i < n_sums; i++)
                totals[i] += sh.block_sums[b * n_sums + i];
        for (int i = 0; st == ACV_OK && i < n; i++)
            st = acv_replicate_set_totals(ws[i].lua, totals, err);
    }
    if (st == ACV_OK) {
        sh.phase = 2;
        st = run_phase(&sh, ws, n, err);
    }
    for (int i = 0; i < ACV_REPLICATE_MAX_JOBS; i++)
        if (ws[i].lua)
            acv_lua_free(ws[i].lua);
    pthread_mutex_destroy(&sh.mu);
    free(sh.block_sums);
    return st;
}
