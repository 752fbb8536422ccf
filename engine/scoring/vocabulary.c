/* vocabulary.c — a run's progress-class vocabulary: body text, parsing, lookups and the fallback
 * for runs stored without one; see vocabulary.h. */
#include "vocabulary.h"

#include <stdlib.h>
#include <string.h>

/* What the reports showed before runs stored their vocabulary (and so what those runs were
 * shown with): no SDSN dashboard colours, `maintaining` with the achieved tick. */
static const acv_class_entry FALLBACK[] = {
    {"target_achieved", "✓", "green", "escap_csi opensdg", "Target achieved"},
    {"maintaining", "✓", "green", "sdsn_trend", "Maintaining achievement"},
    {"on_track", "↑", "green", "escap_csi opensdg sdsn_trend", "On track"},
    {"maintain", "↑", "green", "escap_api", "On track (maintain progress)"},
    {"moderately_improving", "➚", "yellow", "sdsn_trend", "Improving, not fast enough"},
    {"progress_needs_acceleration", "➚", "yellow", "opensdg", "Progress needs acceleration"},
    {"accelerate", "➚", "yellow", "escap_api", "Progress needs acceleration"},
    {"progressing_slowly", "➚", "yellow", "escap_csi", "Progressing too slowly"},
    {"limited_progress", "→", "orange", "opensdg", "Limited progress"},
    {"stagnating", "→", "orange", "sdsn_trend", "Stagnating"},
    {"deterioration", "↓", "red", "opensdg", "Moving away from the target"},
    {"decreasing", "↓", "red", "sdsn_trend", "Moving away from the target"},
    {"regressing", "↓", "red", "escap_csi", "Moving away from the target"},
    {"reverse", "↓", "red", "escap_api", "Moving away from the target"},
    {"insufficient_data", "?", "grey", "escap_csi escap_api opensdg sdsn_trend",
     "Not enough data for a trend"},
};

static const acv_vocabulary FALLBACK_VOCABULARY = {
    FALLBACK, sizeof FALLBACK / sizeof *FALLBACK, {0}};

const acv_vocabulary *acv_vocab_fallback(void)
{
    return &FALLBACK_VOCABULARY;
}

void acv_vocab_body_start(acv_buf *body)
{
    acv_buf_puts(body, ACV_VOCABULARY_HEADER "\n");
}

acv_status acv_vocab_body_add(acv_buf *body, const acv_class_entry *e, acv_error *err)
{
    const char *fields[] = {e->code, e->symbol, e->colour, e->methods, e->label};
    static const char *const NAMES[] = {"class", "symbol", "colour", "methods", "label"};
    for (size_t i = 0; i < 5; i++) {
        if (!fields[i] || strpbrk(fields[i], "\t\r\n") || (i == 0 && !*fields[i]))
            return acv_error_set(err, ACV_ERR_SCRIPT,
                                 "progress class '%s': %s must be one line of text without tabs",
                                 e->code ? e->code : "?", NAMES[i]);
        acv_buf_puts(body, fields[i]);
        acv_buf_puts(body, i < 4 ? "\t" : "\n");
    }
    return ACV_OK;
}

acv_status acv_vocab_parse(const char *body, acv_vocabulary **out, acv_error *err)
{
    *out = NULL;
    size_t hl = strlen(ACV_VOCABULARY_HEADER);
    if (!body || strncmp(body, ACV_VOCABULARY_HEADER, hl) != 0 || body[hl] != '\n')
        return acv_error_set(err, ACV_ERR_STORAGE, "stored class vocabulary:1: not a %s body",
                             ACV_VOCABULARY_HEADER);
    acv_vocabulary *v = calloc(1, sizeof *v);
    if (!v)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    size_t lines = 0;
    for (const char *p = body + hl + 1; *p; p++)
        lines += *p == '\n';
    acv_class_entry *entries = acv_arena_alloc(&v->arena, (lines + 1) * sizeof *entries);
    char *copy = acv_arena_strdup(&v->arena, body + hl + 1);
    if (!entries || !copy) {
        acv_vocab_free(v);
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    }
    v->entries = entries;
    long line = 1;
    for (char *p = copy; *p;) {
        line++;
        char *end = strchr(p, '\n');
        if (!end) {
            acv_vocab_free(v);
            return acv_error_set(err, ACV_ERR_STORAGE,
                                 "stored class vocabulary:%ld: the line does not end", line);
        }
        *end = '\0';
        const char *f[5];
        size_t n = 0;
        for (char *q = p; n < 5;) {
            f[n++] = q;
            char *tab = strchr(q, '\t');
            if (!tab)
                break;
            *tab = '\0';
            q = tab + 1;
        }
        if (n != 5 || !*f[0]) {
            acv_vocab_free(v);
            return acv_error_set(err, ACV_ERR_STORAGE,
                                 "stored class vocabulary:%ld: expected 5 tab-separated fields",
                                 line);
        }
        entries[v->n++] = (acv_class_entry){f[0], f[1], f[2], f[3], f[4]};
        p = end + 1;
    }
    *out = v;
    return ACV_OK;
}

void acv_vocab_free(acv_vocabulary *v)
{
    if (!v || v == &FALLBACK_VOCABULARY)
        return;
    acv_arena_free(&v->arena);
    free(v);
}

const acv_class_entry *acv_vocab_find(const acv_vocabulary *v, const char *code)
{
    if (!v)
        v = &FALLBACK_VOCABULARY;
    for (size_t i = 0; code && i < v->n; i++)
        if (strcmp(v->entries[i].code, code) == 0)
            return &v->entries[i];
    return NULL;
}

const char *acv_vocab_label(const acv_vocabulary *v, const char *code)
{
    const acv_class_entry *e = acv_vocab_find(v, code);
    return e ? e->label : code ? code : "";
}

const char *acv_vocab_symbol(const acv_vocabulary *v, const char *code)
{
    const acv_class_entry *e = acv_vocab_find(v, code);
    return e ? e->symbol : "";
}

const char *acv_vocab_colour(const acv_vocabulary *v, const char *code)
{
    const acv_class_entry *e = acv_vocab_find(v, code);
    return e ? e->colour : "grey";
}

int acv_vocab_off_track(const acv_vocabulary *v, const char *code)
{
    const char *sym = acv_vocab_symbol(v, code);
    return strcmp(sym, "➚") == 0 || strcmp(sym, "→") == 0 || strcmp(sym, "↓") == 0;
}
