/* import_revert.c — taking an import back (part of the import module, import.h): the list of
 * imports (`acvtrack imports`) and `acvtrack imports revert N`, which puts back the value each
 * value import N changed had before it, removes the values it added, and records itself as an
 * import so `history` shows it and a revert can be reverted in turn. Nothing is deleted from the
 * history. The SQL is in storage_observations.c; docs/data.md describes the rules. */
#include "import.h"
#include "table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the list ------------------------------------------------------------------------------ */

typedef struct {
    acv_table table;
    acv_error *err;
    acv_status st;
} imports_list;

static int list_import(void *ud, const acv_import_record *r)
{
    imports_list *l = ud;
    char id[24], rows[24], added[24], changed[24], removed[24], file[700];
    snprintf(id, sizeof id, "%lld", (long long)r->id);
    snprintf(rows, sizeof rows, "%ld", r->rows);
    snprintf(added, sizeof added, "%ld", r->added);
    snprintf(changed, sizeof changed, "%ld", r->changed);
    snprintf(removed, sizeof removed, "%ld", r->removed);
    if (r->reverted_by)
        snprintf(file, sizeof file, "%s (reverted by import %lld)", r->file,
                 (long long)r->reverted_by);
    else
        snprintf(file, sizeof file, "%s", r->file);
    const char *cells[] = {id, r->imported_at, rows, added, changed, removed, file};
    l->st = acv_table_add(&l->table, cells, l->err);
    return l->st != ACV_OK;
}

acv_status acv_imports_text(acv_ctx *ctx, acv_buf *out, acv_error *err)
{
    static const acv_table_column columns[] = {{"ID", 0},  {"IMPORTED AT", 0}, {"ROWS", 0},
                                               {"NEW", 0}, {"REVISED", 0},     {"REMOVED", 0},
                                               {"FILE", 0}};
    imports_list l = {.err = err, .st = ACV_OK};
    acv_table_init(&l.table, columns, sizeof columns / sizeof *columns);
    acv_status st = acv_store_each_import(ctx->store, list_import, &l, err);
    if (st == ACV_OK)
        st = l.st;
    if (st == ACV_OK) {
        if (l.table.n_rows)
            acv_table_render(&l.table, out);
        else
            acv_buf_puts(out, "no imports yet\n");
        if (out->failed)
            st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    }
    acv_table_free(&l.table);
    return st;
}

/* ---- the revert ---------------------------------------------------------------------------- */

/* A value import N touched, copied out of the store's callback. */
typedef struct {
    acv_import_key key;
    int held; /* its current state is still the one import N left */
} touched;

typedef struct {
    int64_t import_id; /* N */
    touched *keys;
    size_t n, cap;
    acv_arena strings;
    int oom;
} touched_list;

/* Import N still holds a value when nothing changed it since: N set the current value, or N (a
 * revert) removed it and no later import wrote it again. */
static int still_held(const acv_import_key *k, int64_t n)
{
    if (k->current_import)
        return k->current_import == n;
    return k->before && k->latest == k->before;
}

static int collect_key(void *ud, const acv_import_key *k)
{
    touched_list *l = ud;
    if (ACV_GROW(l->keys, l->cap, l->n, 64) != 0) {
        l->oom = 1;
        return 1;
    }
    touched *t = &l->keys[l->n++];
    t->key = *k;
    t->key.area = acv_arena_strdup(&l->strings, k->area);
    t->key.indicator = acv_arena_strdup(&l->strings, k->indicator);
    t->key.disaggregation = acv_arena_strdup(&l->strings, k->disaggregation);
    t->key.period = acv_arena_strdup(&l->strings, k->period);
    t->held = still_held(k, l->import_id);
    if (!t->key.area || !t->key.indicator || !t->key.disaggregation || !t->key.period)
        l->oom = 1;
    return l->oom;
}

/* The import that changed a value since N: the one that set its current value, or the one that
 * removed it. */
static int64_t changed_since_by(const acv_import_key *k)
{
    return k->current_import ? k->current_import : k->latest_replaced_by;
}

static void describe_key(acv_buf *b, const acv_import_key *k)
{
    acv_buf_printf(b, "%s %s", k->area, k->indicator);
    if (k->disaggregation[0])
        acv_buf_printf(b, " (%s)", k->disaggregation);
    acv_buf_printf(b, " %s", k->period);
}

#define CONFLICT_IMPORTS_NAMED 3

/* The refusal when later imports changed values of import N: how many, by which imports (the
 * first few, with how many each and one example), and the two ways on. */
static acv_status conflict_error(acv_store *s, const acv_import_record *n, const touched_list *l,
                                 long conflicts, acv_error *err)
{
    acv_buf b = {0};
    acv_buf_printf(&b,
                   "import %lld (%s): %ld of the %zu values it changed %s been changed since "
                   "by a later import: ",
                   (long long)n->id, n->file, conflicts, l->n, conflicts == 1 ? "has" : "have");
    int64_t named[CONFLICT_IMPORTS_NAMED];
    size_t n_named = 0, more = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (l->keys[i].held)
            continue;
        int64_t by = changed_since_by(&l->keys[i].key);
        int seen = 0;
        for (size_t j = 0; j < n_named; j++)
            seen |= named[j] == by;
        if (seen)
            continue;
        if (n_named == CONFLICT_IMPORTS_NAMED) {
            more++;
            continue;
        }
        named[n_named++] = by;
        long count = 0;
        const acv_import_key *example = NULL;
        for (size_t j = 0; j < l->n; j++)
            if (!l->keys[j].held && changed_since_by(&l->keys[j].key) == by) {
                count++;
                if (!example)
                    example = &l->keys[j].key;
            }
        acv_import_record later;
        acv_error ignored;
        int known = acv_store_get_import(s, by, &later, &ignored) == ACV_OK;
        acv_buf_printf(&b, "%simport %lld", n_named > 1 ? "; " : "", (long long)by);
        if (known)
            acv_buf_printf(&b, " (%s)", later.file);
        acv_buf_printf(&b, " changed %ld value%s: ", count, count > 1 ? "s, such as" : "");
        describe_key(&b, example);
    }
    if (more)
        acv_buf_printf(&b, "; and %zu more import%s", more, more == 1 ? "" : "s");
    acv_buf_printf(&b,
                   ". Revert %s first, or use --force to put back the values from before import "
                   "%lld anyway (the later ones stay in the history)",
                   n_named + more == 1 ? "that import" : "those imports", (long long)n->id);
    acv_status st = b.failed ? acv_error_set(err, ACV_ERR_NOMEM, "out of memory")
                             : acv_error_set(err, ACV_ERR_INPUT, "%s", b.data);
    acv_buf_free(&b);
    return st;
}

static acv_status revert_in_transaction(acv_ctx *ctx, const acv_import_record *n,
                                        const acv_revert_options *opt, touched_list *l,
                                        acv_revert_summary *out, acv_error *err)
{
    acv_store *s = ctx->store;
    acv_status st = acv_store_each_import_key(s, n->id, collect_key, l, err);
    if (st == ACV_OK && l->oom)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    if (st != ACV_OK)
        return st;
    if (l->n == 0)
        return acv_error_set(err, ACV_ERR_INPUT,
                             "import %lld (%s) changed no values (every value it held was "
                             "already stored): nothing to revert",
                             (long long)n->id, n->file);
    long conflicts = 0;
    for (size_t i = 0; i < l->n; i++)
        conflicts += !l->keys[i].held;
    if (conflicts && !(opt && opt->force))
        return conflict_error(s, n, l, conflicts, err);
    st = acv_store_add_revert(s, n->id, &out->revert_id, err);
    for (size_t i = 0; i < l->n && st == ACV_OK; i++) {
        const acv_import_key *k = &l->keys[i].key;
        if (!k->current_import && !k->before)
            continue; /* forced: removed since, and nothing before N either */
        st = acv_store_revert_key(s, k, out->revert_id, err);
        if (k->current_import && k->before)
            out->changed++;
        else if (k->before)
            out->added++;
        else
            out->removed++;
        out->forced += !l->keys[i].held;
    }
    out->values = out->added + out->changed + out->removed;
    if (st == ACV_OK)
        st = acv_store_finish_import(s, out->revert_id, out->values, out->added, out->changed,
                                     out->removed, err);
    return st;
}

acv_status acv_import_revert(acv_ctx *ctx, int64_t import_id, const acv_revert_options *opt,
                             acv_revert_summary *out, acv_error *err)
{
    memset(out, 0, sizeof *out);
    out->reverted = import_id;
    out->dry_run = opt && opt->dry_run;
    acv_store *s = ctx->store;
    /* the write lock first: the values and the decision must not change in between */
    acv_status st = acv_store_begin(s, err);
    if (st != ACV_OK)
        return st;
    acv_import_record n;
    st = acv_store_get_import(s, import_id, &n, err);
    if (st == ACV_OK) {
        snprintf(out->file, sizeof out->file, "%s", n.file);
        n.file = out->file;
        if (n.reverted_by)
            st = acv_error_set(err, ACV_ERR_INPUT,
                               "import %lld (%s) was already reverted by import %lld (revert "
                               "import %lld to bring its values back)",
                               (long long)import_id, n.file, (long long)n.reverted_by,
                               (long long)n.reverted_by);
    }
    touched_list l = {.import_id = import_id};
    if (st == ACV_OK)
        st = revert_in_transaction(ctx, &n, opt, &l, out, err);
    free(l.keys);
    acv_arena_free(&l.strings);
    if (st == ACV_OK && !out->dry_run)
        st = acv_store_commit(s, err);
    else
        acv_store_rollback(s);
    if (st != ACV_OK) {
        int64_t reverted = out->reverted;
        memset(out, 0, sizeof *out);
        out->reverted = reverted;
    }
    return st;
}
