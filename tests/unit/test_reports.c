/*
 * test_reports.c — the reports people read (issue 6): golden files for Markdown, JSON and CSV on
 * the demo data, the JSON checked against docs/report.schema.json, names in Thai, Khmer and
 * Vietnamese with < & " ' escaped in every format, CSV defused against formula injection, the
 * population-weighted country figures of a comparison, and the HTML opened in a real headless
 * browser (Debian's chromium): no console error, every chart there, a screenshot to look at.
 *
 * Golden files live in tests/golden/ with the volatile parts (run time, run ids, hashes)
 * replaced by placeholders; see normalise(). After a deliberate change to a renderer or to the
 * scoring, accept the new output with:  ACV_UPDATE_GOLDEN=1 ctest -R '^reports\.test_golden'
 */
#include "testutil.h"

#include "compare.h"
#include "context.h"
#include "format.h"
#include "render.h"
#include "report.h"
#include "vocabulary.h"

#include <ctype.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#define OVERLAY ACV_TEST_SOURCE_DIR "/scripts/adaptations/demo-coastal-town"
#define SAMPLE ACV_TEST_SOURCE_DIR "/indicators/sample"
#define GOLDEN ACV_TEST_SOURCE_DIR "/tests/golden"

/* ---- running the binary ------------------------------------------------------------------ */

static void run_ok(const char *cmd)
{
    char *out = NULL;
    int rc = acv_test_run(cmd, &out);
    if (rc != 0)
        fprintf(stderr, "command failed (%d): %s\n%s\n", rc, cmd, out ? out : "");
    free(out);
    assert_int_equal(rc, 0);
}

static void runf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void runf(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    run_ok(cmd);
}

typedef struct {
    char db[600];
    char dir[600];
} workspace;

/* The demo workspace as `make demo` builds it: the sample areas and observations, the coastal
 * town's overlay and local data, the self-assessments, the three cities scored for 2025. */
static void demo_workspace(workspace *w)
{
    const char *dir = acv_test_tmpdir("reports-demo");
    assert_non_null(dir);
    snprintf(w->dir, sizeof w->dir, "%s", dir);
    snprintf(w->db, sizeof w->db, "%s/acvtrack.db", dir);
    const char *bin = ACV_TEST_BINARY;
    runf("%s --db %s init", bin, w->db);
    runf("%s --db %s areas import %s/areas.csv", bin, w->db, SAMPLE);
    runf("%s --db %s import %s/observations.csv", bin, w->db, SAMPLE);
    runf("%s --db %s import %s/observations-more.csv", bin, w->db, SAMPLE);
    runf("%s --db %s --overlay %s import %s/local-observations.csv", bin, w->db, OVERLAY, OVERLAY);
    static const char *const cities[] = {"demo_capital_metro", "demo_secondary_city",
                                         "demo_coastal_town"};
    for (int i = 0; i < 3; i++)
        runf("%s --db %s assess import %s/assessment-%s.yml", bin, w->db, SAMPLE, cities[i]);
    runf("%s --db %s score --area demo_capital_metro --year 2025", bin, w->db);
    runf("%s --db %s score --area demo_secondary_city --year 2025", bin, w->db);
    runf("%s --db %s --overlay %s score --area demo_coastal_town --year 2025", bin, w->db, OVERLAY);
}

/* Runs `acvtrack --db DB ARGS -o FILE` and returns the file's text (malloc'd). */
static char *report(const workspace *w, const char *args, const char *file)
{
    char path[800];
    snprintf(path, sizeof path, "%s/%s", w->dir, file);
    runf("%s --db %s %s -o %s", ACV_TEST_BINARY, w->db, args, path);
    char *text = acv_test_read(path);
    assert_non_null(text);
    return text;
}

/* ---- golden files ------------------------------------------------------------------------ */

static int is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* Replaces what changes from run to run: timestamps (2026-11-28T11:03:46Z -> <time>), hashes
 * (12 or more hex digits -> <hash>), run ids ("run 3", "Run 3", "run":{"id":3 -> <id>). */
static char *normalise(const char *s)
{
    acv_buf b = {0};
    const char *p = s;
    while (*p) {
        int y, mo, d, h, mi, se, n = 0;
        if (isdigit((unsigned char)*p) &&
            sscanf(p, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &se, &n) == 6 &&
            n == 20) {
            acv_buf_puts(&b, "<time>");
            p += n;
            continue;
        }
        if (is_hex(*p) && (p == s || !isalnum((unsigned char)p[-1]))) {
            size_t k = 0;
            while (is_hex(p[k]))
                k++;
            int has_letter = 0;
            for (size_t i = 0; i < k; i++)
                has_letter |= p[i] >= 'a';
            if (k >= 12 && has_letter && !isalnum((unsigned char)p[k])) {
                acv_buf_puts(&b, "<hash>");
                p += k;
                continue;
            }
        }
        /* long decimals to 10 significant digits: the last digits of a Lua computation may
         * differ between C libraries, the meaning does not */
        if (isdigit((unsigned char)*p) &&
            (p == s || (!isalnum((unsigned char)p[-1]) && p[-1] != '.'))) {
            char *end;
            double v = strtod(p, &end);
            size_t digits = 0;
            int dot = 0;
            for (const char *q = p; q < end; q++) {
                digits += isdigit((unsigned char)*q) != 0;
                dot |= *q == '.';
            }
            if (dot && digits > 10 && !isalnum((unsigned char)*end)) {
                acv_buf_printf(&b, "%.10g", v);
                p = end;
                continue;
            }
        }
        static const char *const RUN_PREFIXES[] = {
            "run ", "Run ", "\"run\":{\"id\":", "\"id\":", "run=", NULL};
        int matched = 0;
        for (int r = 0; RUN_PREFIXES[r] && !matched; r++) {
            size_t len = strlen(RUN_PREFIXES[r]);
            if (strncmp(p, RUN_PREFIXES[r], len) == 0 && isdigit((unsigned char)p[len])) {
                acv_buf_append(&b, p, len);
                p += len;
                while (isdigit((unsigned char)*p))
                    p++;
                acv_buf_puts(&b, "<id>");
                matched = 1;
            }
        }
        if (!matched)
            acv_buf_append(&b, p++, 1);
    }
    return b.data ? b.data : strdup("");
}

/* One JSON value or member per line, so that a golden diff points at the field that changed;
 * the text of every token is kept as it is. */
static char *json_lines(const char *s)
{
    acv_buf b = {0};
    int depth = 0, in_string = 0;
    for (const char *p = s; *p; p++) {
        char c = *p;
        if (in_string) {
            acv_buf_append(&b, p, 1);
            if (c == '\\' && p[1])
                acv_buf_append(&b, ++p, 1);
            else if (c == '"')
                in_string = 0;
            continue;
        }
        if (c == '\n')
            continue;
        if (c == '}' || c == ']') {
            depth--;
            acv_buf_printf(&b, "\n%*s", depth * 2, "");
        }
        acv_buf_append(&b, p, 1);
        if (c == '"')
            in_string = 1;
        if (c == '{' || c == '[') {
            depth++;
            acv_buf_printf(&b, "\n%*s", depth * 2, "");
        } else if (c == ',')
            acv_buf_printf(&b, "\n%*s", depth * 2, "");
    }
    acv_buf_puts(&b, "\n");
    return b.data;
}

static void golden(const char *actual, const char *name)
{
    char path[800];
    snprintf(path, sizeof path, "%s/%s", GOLDEN, name);
    char *norm = normalise(actual);
    if (strstr(name, ".json")) {
        char *lines = json_lines(norm);
        free(norm);
        norm = lines;
    }
    const char *update = getenv("ACV_UPDATE_GOLDEN");
    if (update && *update && strcmp(update, "0") != 0) {
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        fputs(norm, f);
        fclose(f);
        fprintf(stderr, "updated %s\n", path);
        free(norm);
        return;
    }
    char *expected = acv_test_read(path);
    if (!expected) {
        fprintf(stderr, "missing golden file %s; create it with ACV_UPDATE_GOLDEN=1\n", path);
        free(norm);
        fail();
    }
    if (strcmp(norm, expected) != 0) {
        /* keep the actual output next to the test for a diff */
        char got[800];
        snprintf(got, sizeof got, "golden-actual-%s", name);
        FILE *f = fopen(got, "wb");
        if (f) {
            fputs(norm, f);
            fclose(f);
        }
        size_t line = 1, i = 0;
        while (norm[i] && norm[i] == expected[i]) {
            if (norm[i] == '\n')
                line++;
            i++;
        }
        char cwd[600];
        fprintf(stderr,
                "%s differs from the golden file at line %zu.\n  diff -u %s %s/%s\nIf the "
                "change is intended: ACV_UPDATE_GOLDEN=1 ctest -R '^reports\\.test_golden'\n",
                name, line, path, getcwd(cwd, sizeof cwd) ? cwd : ".", got);
        free(norm);
        free(expected);
        fail();
    }
    free(norm);
    free(expected);
}

static void test_normalise(void **state)
{
    (void)state;
    char *n = normalise("Scored | 2026-11-28T10:59:04Z (run 12) · framework `86234f3323b3` "
                        "{\"run\":{\"id\":7,\"data_hash\":\"c1aecd689c98f05e\"} 11145962 "
                        "PS.DRR.1 2025 decade");
    assert_string_equal(n, "Scored | <time> (run <id>) · framework `<hash>` "
                           "{\"run\":{\"id\":<id>,\"data_hash\":\"<hash>\"} 11145962 PS.DRR.1 "
                           "2025 decade");
    free(n);
    n = normalise("69.9917044062377,-12.3456789012345,0.1.0,27.4,2015-2019");
    assert_string_equal(n, "69.99170441,-12.3456789,0.1.0,27.4,2015-2019");
    free(n);
    n = json_lines("{\"a\":[1,{\"b\":\"x,{\\\"y\"}],\"c\":null}");
    assert_string_equal(n, "{\n  \"a\":[\n    1,\n    {\n      \"b\":\"x,{\\\"y\"\n    }\n  ],"
                           "\n  \"c\":null\n}\n");
    free(n);
}

#define COMPARE_ARGS                                                                               \
    "report --compare demo_capital_metro,demo_secondary_city,demo_coastal_town --year 2025"

static void test_golden_markdown(void **state)
{
    (void)state;
    workspace w;
    demo_workspace(&w);
    char *md = report(&w, "report --area demo_capital_metro --year 2025", "capital.md");
    golden(md, "demo_capital_metro.md");
    free(md);
    /* the overlay's changes, listed in the report of the city that made them */
    md = report(&w, "--overlay " OVERLAY " report --area demo_coastal_town --year 2025",
                "coastal.md");
    golden(md, "demo_coastal_town.md");
    free(md);
}

static void test_golden_json(void **state)
{
    (void)state;
    workspace w;
    demo_workspace(&w);
    char *json =
        report(&w, "report --area demo_capital_metro --year 2025 --format json", "capital.json");
    golden(json, "demo_capital_metro.json");
    free(json);
}

static void test_golden_csv(void **state)
{
    (void)state;
    workspace w;
    demo_workspace(&w);
    char *csv =
        report(&w, "report --area demo_capital_metro --year 2025 --format csv", "capital.csv");
    golden(csv, "demo_capital_metro.csv");
    free(csv);
}

static void test_golden_compare(void **state)
{
    (void)state;
    workspace w;
    demo_workspace(&w);
    char *md = report(&w, COMPARE_ARGS, "compare.md");
    golden(md, "compare_demo.md");
    free(md);
    char *json = report(&w, COMPARE_ARGS " --format json", "compare.json");
    golden(json, "compare_demo.json");
    free(json);
    char *csv = report(&w, COMPARE_ARGS " --format csv", "compare.csv");
    golden(csv, "compare_demo.csv");
    free(csv);
    /* country:DEMO names the same three cities, in code order */
    char *by_country = report(&w, "report --compare country:DEMO --year 2025", "country.md");
    assert_non_null(strstr(by_country, "| Demo capital metro (fictional) (`demo_capital_metro`)"));
    assert_non_null(strstr(by_country, "**DEMO**: 3 cities"));
    free(by_country);
}

/* ---- a tiny JSON parser and a validator for the subset of JSON Schema we use ------------- */

typedef enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } jtype;

typedef struct jv {
    jtype type;
    int boolean;
    double num;
    int integer; /* the number was written without fraction or exponent */
    char *str;
    size_t n;
    char **keys;     /* J_OBJ */
    struct jv *kids; /* J_ARR items, J_OBJ values */
} jv;

typedef struct {
    const char *p;
    int bad;
} jparser;

static void jfree(jv *v)
{
    free(v->str);
    for (size_t i = 0; i < v->n; i++) {
        if (v->keys)
            free(v->keys[i]);
        jfree(&v->kids[i]);
    }
    free(v->keys);
    free(v->kids);
}

static void jspace(jparser *P)
{
    while (*P->p == ' ' || *P->p == '\n' || *P->p == '\r' || *P->p == '\t')
        P->p++;
}

static void utf8(acv_buf *b, unsigned cp)
{
    char out[4];
    size_t n;
    if (cp < 0x80)
        out[0] = (char)cp, n = 1;
    else if (cp < 0x800)
        out[0] = (char)(0xC0 | cp >> 6), out[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
    else if (cp < 0x10000)
        out[0] = (char)(0xE0 | cp >> 12), out[1] = (char)(0x80 | ((cp >> 6) & 0x3F)),
        out[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
    else
        out[0] = (char)(0xF0 | cp >> 18), out[1] = (char)(0x80 | ((cp >> 12) & 0x3F)),
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), out[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
    acv_buf_append(b, out, n);
}

static char *jstring(jparser *P)
{
    acv_buf b = {0};
    if (*P->p != '"') {
        P->bad = 1;
        return NULL;
    }
    P->p++;
    while (*P->p && *P->p != '"') {
        if ((unsigned char)*P->p < 0x20) {
            P->bad = 1; /* raw control characters are not allowed in JSON strings */
            break;
        }
        if (*P->p != '\\') {
            acv_buf_append(&b, P->p++, 1);
            continue;
        }
        P->p++;
        char c = *P->p++;
        const char *simple = strchr("\"\\/bfnrt", c);
        if (simple && c) {
            static const char OUT[] = "\"\\/\b\f\n\r\t";
            acv_buf_append(&b, &OUT[simple - "\"\\/bfnrt"], 1);
        } else if (c == 'u') {
            unsigned cp = 0;
            if (sscanf(P->p, "%4x", &cp) != 1) {
                P->bad = 1;
                break;
            }
            P->p += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && P->p[0] == '\\' && P->p[1] == 'u') {
                unsigned lo = 0;
                if (sscanf(P->p + 2, "%4x", &lo) == 1) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    P->p += 6;
                }
            }
            utf8(&b, cp);
        } else {
            P->bad = 1;
            break;
        }
    }
    if (*P->p != '"')
        P->bad = 1;
    else
        P->p++;
    if (!b.data)
        acv_buf_puts(&b, "");
    return b.data;
}

static void jvalue(jparser *P, jv *v, int depth)
{
    memset(v, 0, sizeof *v);
    jspace(P);
    if (depth > 64) {
        P->bad = 1;
        return;
    }
    if (*P->p == '{' || *P->p == '[') {
        int obj = *P->p == '{';
        v->type = obj ? J_OBJ : J_ARR;
        P->p++;
        jspace(P);
        size_t cap = 0;
        if (*P->p == (obj ? '}' : ']')) {
            P->p++;
            return;
        }
        while (!P->bad) {
            if (v->n == cap) {
                cap = cap ? cap * 2 : 8;
                v->kids = realloc(v->kids, cap * sizeof *v->kids);
                if (obj)
                    v->keys = realloc(v->keys, cap * sizeof *v->keys);
            }
            if (obj) {
                jspace(P);
                v->keys[v->n] = jstring(P);
                jspace(P);
                if (*P->p != ':') {
                    free(v->keys[v->n]);
                    P->bad = 1;
                    break;
                }
                P->p++;
            }
            jvalue(P, &v->kids[v->n], depth + 1);
            v->n++;
            jspace(P);
            if (*P->p == ',') {
                P->p++;
                continue;
            }
            if (*P->p == (obj ? '}' : ']'))
                P->p++;
            else
                P->bad = 1;
            break;
        }
    } else if (*P->p == '"') {
        v->type = J_STR;
        v->str = jstring(P);
    } else if (strncmp(P->p, "true", 4) == 0 || strncmp(P->p, "false", 5) == 0) {
        v->type = J_BOOL;
        v->boolean = *P->p == 't';
        P->p += v->boolean ? 4 : 5;
    } else if (strncmp(P->p, "null", 4) == 0) {
        v->type = J_NULL;
        P->p += 4;
    } else {
        char *end;
        v->type = J_NUM;
        v->num = strtod(P->p, &end);
        if (end == P->p) {
            P->bad = 1;
            return;
        }
        v->integer = 1;
        for (const char *q = P->p; q < end; q++)
            if (*q == '.' || *q == 'e' || *q == 'E')
                v->integer = 0;
        P->p = end;
    }
}

static int jparse(const char *text, jv *out)
{
    jparser P = {text, 0};
    jvalue(&P, out, 0);
    jspace(&P);
    if (P.bad || *P.p) {
        fprintf(stderr, "JSON error near: %.40s\n", P.p);
        return -1;
    }
    return 0;
}

static const jv *jget(const jv *o, const char *key)
{
    if (!o || o->type != J_OBJ)
        return NULL;
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->keys[i], key) == 0)
            return &o->kids[i];
    return NULL;
}

static int type_matches(const jv *v, const char *t)
{
    return (strcmp(t, "null") == 0 && v->type == J_NULL) ||
           (strcmp(t, "boolean") == 0 && v->type == J_BOOL) ||
           (strcmp(t, "number") == 0 && v->type == J_NUM) ||
           (strcmp(t, "integer") == 0 && v->type == J_NUM && v->integer) ||
           (strcmp(t, "string") == 0 && v->type == J_STR) ||
           (strcmp(t, "array") == 0 && v->type == J_ARR) ||
           (strcmp(t, "object") == 0 && v->type == J_OBJ);
}

static int jequal(const jv *a, const jv *b)
{
    if (a->type != b->type)
        return 0;
    switch (a->type) {
    case J_NULL:
        return 1;
    case J_BOOL:
        return a->boolean == b->boolean;
    case J_NUM:
        return a->num == b->num;
    case J_STR:
        return strcmp(a->str, b->str) == 0;
    default:
        return 0; /* the schema compares scalars only */
    }
}

/* Validates v against schema s: $ref (#/$defs/NAME), oneOf, type, const, enum, required,
 * properties, additionalProperties (false or a schema), items, minimum, maximum. Returns the
 * number of errors, printed with their path unless quiet. */
static int validate(const jv *root, const jv *s, const jv *v, const char *path, int quiet)
{
    int errors = 0;
#define BAD(...)                                                                                   \
    do {                                                                                           \
        if (!quiet) {                                                                              \
            fprintf(stderr, "schema: %s: ", path);                                                 \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fprintf(stderr, "\n");                                                                 \
        }                                                                                          \
        errors++;                                                                                  \
    } while (0)
    const jv *ref = jget(s, "$ref");
    if (ref) {
        const char *prefix = "#/$defs/";
        assert_int_equal(strncmp(ref->str, prefix, strlen(prefix)), 0);
        const jv *target = jget(jget(root, "$defs"), ref->str + strlen(prefix));
        assert_non_null(target);
        return validate(root, target, v, path, quiet);
    }
    const jv *one = jget(s, "oneOf");
    if (one) {
        int passing = 0;
        for (size_t i = 0; i < one->n; i++)
            passing += validate(root, &one->kids[i], v, path, 1) == 0;
        if (passing != 1) {
            BAD("matches %d of the oneOf alternatives, not exactly one", passing);
            /* say why against the alternative that fits best */
            if (!quiet && passing == 0 && one->n) {
                int best = -1, fewest = 1 << 30;
                for (size_t i = 0; i < one->n; i++) {
                    int e = validate(root, &one->kids[i], v, path, 1);
                    if (e < fewest)
                        fewest = e, best = (int)i;
                }
                validate(root, &one->kids[best], v, path, 0);
            }
        }
        return errors;
    }
    const jv *type = jget(s, "type");
    if (type) {
        int ok = 0;
        if (type->type == J_STR)
            ok = type_matches(v, type->str);
        for (size_t i = 0; type->type == J_ARR && i < type->n; i++)
            ok |= type_matches(v, type->kids[i].str);
        if (!ok) {
            BAD("wrong type");
            return errors;
        }
    }
    const jv *c = jget(s, "const");
    if (c && !jequal(c, v))
        BAD("not the constant the schema requires");
    const jv *en = jget(s, "enum");
    if (en) {
        int ok = 0;
        for (size_t i = 0; i < en->n; i++)
            ok |= jequal(&en->kids[i], v);
        if (!ok)
            BAD("not one of the allowed values");
    }
    const jv *mn = jget(s, "minimum"), *mx = jget(s, "maximum");
    if (v->type == J_NUM && mn && v->num < mn->num)
        BAD("%g is below the minimum %g", v->num, mn->num);
    if (v->type == J_NUM && mx && v->num > mx->num)
        BAD("%g is above the maximum %g", v->num, mx->num);
    if (v->type == J_OBJ) {
        const jv *req = jget(s, "required");
        for (size_t i = 0; req && i < req->n; i++)
            if (!jget(v, req->kids[i].str))
                BAD("missing required key '%s'", req->kids[i].str);
        const jv *props = jget(s, "properties"), *extra = jget(s, "additionalProperties");
        for (size_t i = 0; i < v->n; i++) {
            char sub[1024];
            snprintf(sub, sizeof sub, "%s.%s", path, v->keys[i]);
            const jv *ps = jget(props, v->keys[i]);
            if (ps)
                errors += validate(root, ps, &v->kids[i], sub, quiet);
            else if (extra && extra->type == J_BOOL && !extra->boolean)
                BAD("key '%s' is not in the schema", v->keys[i]);
            else if (extra && extra->type == J_OBJ)
                errors += validate(root, extra, &v->kids[i], sub, quiet);
        }
    }
    const jv *items = jget(s, "items");
    if (v->type == J_ARR && items)
        for (size_t i = 0; i < v->n; i++) {
            char sub[1024];
            snprintf(sub, sizeof sub, "%s[%zu]", path, i);
            errors += validate(root, items, &v->kids[i], sub, quiet);
        }
#undef BAD
    return errors;
}

/* Parses text and validates it against docs/report.schema.json; returns the error count. */
static int schema_errors(const char *text, int quiet)
{
    char *schema_text = acv_test_read(ACV_TEST_SOURCE_DIR "/docs/report.schema.json");
    assert_non_null(schema_text);
    jv schema, doc;
    assert_int_equal(jparse(schema_text, &schema), 0);
    int errors = 1;
    if (jparse(text, &doc) == 0) {
        errors = validate(&schema, &schema, &doc, "$", quiet);
        jfree(&doc);
    }
    jfree(&schema);
    free(schema_text);
    return errors;
}

static void test_json_schema(void **state)
{
    (void)state;
    workspace w;
    demo_workspace(&w);
    char *json =
        report(&w, "report --area demo_capital_metro --year 2025 --format json", "capital.json");
    assert_int_equal(schema_errors(json, 0), 0);
    free(json);
    json = report(&w, "--overlay " OVERLAY " report --area demo_coastal_town --format json",
                  "coastal.json");
    assert_int_equal(schema_errors(json, 0), 0);
    free(json);
    json = report(&w, COMPARE_ARGS " --format json", "compare.json");
    assert_int_equal(schema_errors(json, 0), 0);
    free(json);
    /* the validator is not a rubber stamp: a missing key, a wrong type, an unknown key, a
     * score out of range and a wrong schema name are each caught */
    assert_true(schema_errors("{\"schema\":\"acvtrack-report/1\"}", 1) > 0);
    assert_true(schema_errors("{\"schema\":\"acvtrack-report/2\"}", 1) > 0);
    json = report(&w, "report --area demo_capital_metro --year 2025 --format json", "c2.json");
    static const struct {
        const char *from, *to;
    } breaks[] = {
        {"\"n_scored\":4", "\"n_scored\":\"4\""},
        {"\"schema\":\"acvtrack-report/1\",", "\"schema\":\"acvtrack-report/1\",\"extra\":1,"},
        {"\"imputed\":false", "\"imputed\":0"},
        {"\"population_year\":2025", "\"population_year\":2025.5"},
    };
    for (size_t i = 0; i < sizeof breaks / sizeof *breaks; i++) {
        char *at = strstr(json, breaks[i].from);
        assert_non_null(at);
        size_t n = strlen(json) + strlen(breaks[i].to) + 1;
        char *broken = malloc(n);
        snprintf(broken, n, "%.*s%s%s", (int)(at - json), json, breaks[i].to,
                 at + strlen(breaks[i].from));
        assert_true(schema_errors(broken, 1) > 0);
        free(broken);
    }
    free(json);
}

/* ---- special characters ------------------------------------------------------------------ */

#define NASTY "กรุงเทพฯ ភ្នំពេញ Hà Nội <b>&\"' | *x*"
#define NASTY_HTML "กรุงเทพฯ ភ្នំពេញ Hà Nội &lt;b&gt;&amp;&quot;&#39; | *x*"
#define NASTY_CSV "\"กรุงเทพฯ ភ្នំពេញ Hà Nội <b>&\"\"' | *x*\""
#define FORMULA "=HYPERLINK(\"http://example.invalid\",\"click\")"

/* A workspace with a city named in Thai, Khmer and Vietnamese plus markup and quotes, and one
 * whose name is a spreadsheet formula, each with a little data, scored. */
static void nasty_workspace(workspace *w)
{
    const char *dir = acv_test_tmpdir("reports-nasty");
    assert_non_null(dir);
    snprintf(w->dir, sizeof w->dir, "%s", dir);
    snprintf(w->db, sizeof w->db, "%s/acvtrack.db", dir);
    char *areas = acv_test_write(
        dir, "areas.csv",
        "code,name,level,parent,country,population,population_year,source\n"
        "ZZ,Testland,country,,ZZ,,,test\n"
        "zz_nasty,\"กรุงเทพฯ ភ្នំពេញ Hà Nội <b>&\"\"' | *x*\",city,ZZ,ZZ,250000,2025,test\n"
        "zz_formula,\"=HYPERLINK(\"\"http://example.invalid\"\",\"\"click\"\")\",city,ZZ,ZZ,"
        "750000,2025,test\n"
        "zz_nopop,Town \\[x](https://e.invalid) ![](https://tracker.invalid/p.gif),city,ZZ,ZZ,,,"
        "test\n");
    acv_buf obs = {0};
    acv_buf_puts(&obs, "area,indicator,period,value\n");
    static const char *const codes[] = {"zz_nasty", "zz_formula", "zz_nopop"};
    for (int c = 0; c < 3; c++)
        for (int y = 2019; y <= 2025; y++) {
            acv_buf_printf(&obs, "%s,PS.DRR.5,%d,%d\n", codes[c], y, 50 + 5 * (y - 2019) + c);
            acv_buf_printf(&obs, "%s,EC.JOB.1,%d,%.1f\n", codes[c], y, 8.0 - 0.5 * (y - 2019));
            acv_buf_printf(&obs, "%s,CN.DIG.1,%d,%d\n", codes[c], y, 60 + 3 * (y - 2019) + c);
        }
    char *obs_path = acv_test_write(dir, "obs.csv", obs.data);
    acv_buf_free(&obs);
    const char *bin = ACV_TEST_BINARY;
    runf("%s --db %s init", bin, w->db);
    runf("%s --db %s areas import %s", bin, w->db, areas);
    runf("%s --db %s import %s", bin, w->db, obs_path);
    for (int c = 0; c < 3; c++)
        runf("%s --db %s score --area %s --year 2025", bin, w->db, codes[c]);
    free(areas);
    free(obs_path);
}

static void assert_contains(const char *haystack, const char *needle, const char *what)
{
    if (!strstr(haystack, needle)) {
        fprintf(stderr, "%s: expected to find\n  %s\n", what, needle);
        fail();
    }
}

static void assert_lacks(const char *haystack, const char *needle, const char *what)
{
    if (strstr(haystack, needle)) {
        fprintf(stderr, "%s: must not contain\n  %s\n", what, needle);
        fail();
    }
}

static void test_special_characters(void **state)
{
    (void)state;
    workspace w;
    nasty_workspace(&w);
    /* Markdown: < and & as entities, the pipe escaped so the table keeps its columns */
    char *md = report(&w, "report --area zz_nasty", "nasty.md");
    assert_contains(md,
                    "# ACV 2045 localisation report: กรุงเทพฯ ភ្នំពេញ Hà Nội &lt;b>&amp;\"' "
                    "\\| *x*",
                    "markdown");
    assert_lacks(md, "<b>", "markdown");
    free(md);
    /* nor a link or an image: brackets, '!' and the backslash typed before a bracket (which
     * would otherwise escape the escape) get a backslash each */
    md = report(&w, "report --area zz_nopop", "nopop.md");
    assert_contains(md,
                    "Town \\\\\\[x\\](https://e.invalid) \\!\\[\\](https://tracker.invalid/p.gif)",
                    "markdown");
    assert_lacks(md, "[x](", "markdown");
    assert_lacks(md, "![](", "markdown");
    free(md);
    /* HTML: every special character escaped, in text and in the <title> */
    char *html = report(&w, "report --area zz_nasty --format html", "nasty.html");
    assert_contains(html, "<h1>" NASTY_HTML "</h1>", "html");
    assert_contains(html, "<title>ACV 2045 report: " NASTY_HTML " (2025)</title>", "html");
    assert_lacks(html, "<b>&", "html");
    assert_lacks(html, "&\"'", "html");
    free(html);
    /* JSON: parses, and gives the name back exactly */
    char *json = report(&w, "report --area zz_nasty --format json", "nasty.json");
    jv doc;
    assert_int_equal(jparse(json, &doc), 0);
    assert_string_equal(jget(jget(&doc, "area"), "name")->str, NASTY);
    jfree(&doc);
    assert_int_equal(schema_errors(json, 0), 0);
    free(json);
    /* CSV of a comparison (the one-area CSV has no area name): quoted with doubled quotes, and
     * the formula defused */
    char *csv = report(&w, "report --compare zz_nasty,zz_formula --format csv", "nasty.csv");
    assert_contains(csv, "zz_nasty," NASTY_CSV ",ZZ,250000,overall,", "csv");
    assert_contains(csv, "zz_formula,\"'=HYPERLINK(\"\"http://example.invalid\"\",\"\"click\"\")\"",
                    "csv");
    assert_lacks(csv, ",=HYPERLINK", "csv");
    assert_lacks(csv, ",\"=HYPERLINK", "csv");
    free(csv);
    /* the comparison in every other format */
    char *cmd = report(&w, "report --compare country:ZZ", "nasty-compare.md");
    assert_contains(cmd, "กรุงเทพฯ ភ្នំពេញ Hà Nội &lt;b>&amp;\"' \\| *x*", "compare markdown");
    assert_lacks(cmd, "<b>", "compare markdown");
    free(cmd);
    char *chtml = report(&w, "report --compare country:ZZ --format html", "nasty-compare.html");
    assert_contains(chtml, NASTY_HTML, "compare html");
    assert_lacks(chtml, "<b>&", "compare html");
    free(chtml);
    char *cjson = report(&w, "report --compare country:ZZ --format json", "nasty-compare.json");
    assert_int_equal(jparse(cjson, &doc), 0);
    const jv *areas = jget(&doc, "areas");
    assert_non_null(areas);
    int found = 0;
    for (size_t i = 0; i < areas->n; i++)
        found |= strcmp(jget(&areas->kids[i], "name")->str, NASTY) == 0;
    assert_true(found);
    jfree(&doc);
    assert_int_equal(schema_errors(cjson, 0), 0);
    free(cjson);
}

/* ---- made-up models: CSV defusing, imputed values, the country figures ------------------- */

static acv_framework *load_framework(void)
{
    acv_framework *fw = NULL;
    acv_error err;
    acv_error_clear(&err);
    acv_status st = acv_framework_load(ACV_TEST_SOURCE_DIR, &fw, &err);
    if (st != ACV_OK)
        fprintf(stderr, "%s\n", err.message);
    assert_int_equal(st, ACV_OK);
    return fw;
}

/* A report model as acv_report_model_load would give, with nothing scored yet. */
static acv_report_model *fake_model(const acv_framework *fw, const char *code, const char *name,
                                    const char *country, double population)
{
    acv_report_model *m = calloc(1, sizeof *m);
    assert_non_null(m);
    acv_arena *A = &m->strings;
    m->fw = fw;
    m->code = acv_arena_strdup(A, code);
    m->name = acv_arena_strdup(A, name);
    m->level = "city";
    m->country = country ? acv_arena_strdup(A, country) : NULL;
    m->has_population = population > 0;
    m->population = population;
    m->population_year = 2025;
    m->run_id = 1;
    m->year = 2025;
    m->created_at = "2026-01-01T00:00:00Z";
    m->engine_version = "test";
    m->framework_id = fw->id;
    m->framework_version = fw->version;
    m->framework_hash = m->data_hash = m->methods_hash = "0123456789abcdef";
    size_t ni = fw->n_indicators + 1, na = fw->n_action_areas + 1, np = fw->n_pillars + 1;
    m->indicators = acv_arena_alloc(A, ni * sizeof *m->indicators);
    m->series = acv_arena_alloc(A, ni * sizeof *m->series);
    m->action_areas = acv_arena_alloc(A, na * sizeof *m->action_areas);
    m->alignment_areas = acv_arena_alloc(A, na * sizeof *m->alignment_areas);
    m->priorities = acv_arena_alloc(A, na * sizeof *m->priorities);
    m->pillars = acv_arena_alloc(A, np * sizeof *m->pillars);
    m->alignment_pillars = acv_arena_alloc(A, np * sizeof *m->alignment_pillars);
    assert_non_null(m->indicators);
    assert_non_null(m->pillars);
    m->overall.code = "ACV";
    m->overall.level = "overall";
    return m;
}

static void set_indicator(acv_report_model *m, const char *id, int has_value, double value,
                          int has_score, double score)
{
    long i = acv_framework_find_indicator(m->fw, id);
    assert_true(i >= 0);
    acv_result *r = &m->indicators[i];
    r->level = "indicator";
    r->code = m->fw->indicators[i].id;
    r->has_value = has_value;
    r->value = value;
    r->period = has_value ? "2025" : NULL;
    r->has_score = has_score;
    r->score = score;
}

static void set_changes(acv_report_model *m, const char *const *changes, size_t n)
{
    m->changes = acv_arena_alloc(&m->strings, (n + 1) * sizeof *m->changes);
    for (size_t i = 0; i < n; i++)
        m->changes[i] = changes[i];
    m->n_changes = n;
    m->overlay = "test overlay";
}

static void test_csv_defused(void **state)
{
    (void)state;
    acv_framework *fw = load_framework();
    acv_report_model *m = fake_model(fw, "x", "X", "ZZ", 1000);
    /* a negative number stays a number; text that a spreadsheet would run does not, and a target
     * text that starts with a sign and a digit but can run nothing keeps no apostrophe */
    set_indicator(m, "PS.DRR.1", 1, -3.5, 1, 12.25);
    long i = acv_framework_find_indicator(fw, "PS.DRR.1");
    m->indicators[i].note = "=1+2";
    m->indicators[i].class_name = "@SUM(A1)";
    set_indicator(m, "PS.DRR.2", 1, 2, 0, 0);
    m->indicators[acv_framework_find_indicator(fw, "PS.DRR.2")].note = "+cmd|' /C calc'!A0";
    set_indicator(m, "PS.DRR.4", 1, 3, 0, 0);
    m->indicators[acv_framework_find_indicator(fw, "PS.DRR.4")].note = "\xEF\xBC\x9D"
                                                                       "1+1";
    set_indicator(m, "PS.DRR.5", 1, 4, 0, 0);
    /* a series makes the HTML draw PS.DRR.5's card and chart */
    static const acv_point pts[] = {{"2019", 2019, 2}, {"2021", 2021, 3}, {"2023", 2023, 4}};
    m->series[acv_framework_find_indicator(fw, "PS.DRR.5")].points = pts;
    m->series[acv_framework_find_indicator(fw, "PS.DRR.5")].n = 3;
    m->indicators[acv_framework_find_indicator(fw, "PS.DRR.5")].note = "\tx, \"quoted\"\r\n";
    m->indicators[acv_framework_find_indicator(fw, "PS.DRR.5")].imputed = 1;
    acv_buf b = {0};
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_render_csv(m, &b, &err), ACV_OK);
    assert_memory_equal(b.data, "\xEF\xBB\xBFid,name,unit,value,period,target_2030,score,", 44);
    assert_contains(b.data,
                    ",\"per 100,000\",-3.5,2025,-50% vs 2015-2019,12.25,'@SUM(A1),'=1+2,false\r\n",
                    "csv");
    assert_contains(b.data, ",'+cmd|' /C calc'!A0,false\r\n", "csv");
    assert_contains(b.data,
                    ",'\xEF\xBC\x9D"
                    "1+1,false\r\n",
                    "csv");
    assert_contains(b.data, ",\"'\tx, \"\"quoted\"\"\r\n\",true\r\n", "csv");
    /* every record ends in CRLF, and no bare LF outside quotes */
    size_t records = 0;
    int quoted = 0;
    for (const char *p = b.data; *p; p++) {
        if (*p == '"')
            quoted = !quoted;
        if (!quoted && *p == '\n') {
            assert_true(p > b.data && p[-1] == '\r');
            records++;
        }
    }
    assert_int_equal(records, fw->n_indicators + 1);
    acv_buf_free(&b);
    /* imputed values are marked in the other formats too */
    assert_int_equal(acv_render_markdown(m, &b, &err), ACV_OK);
    assert_contains(b.data, "| 4 *imputed* |", "markdown");
    acv_buf_free(&b);
    assert_int_equal(acv_render_html(m, &b, &err), ACV_OK);
    assert_contains(b.data, "4%</span><span class=\"when\">in 2025</span><span class=\"imp\"",
                    "html card");
    assert_contains(b.data, "4% <span class=\"imp\">imputed</span>", "html table");
    assert_contains(b.data, "-3.5", "html");
    acv_buf_free(&b);
    acv_report_model_free(m);
    acv_framework_free(fw);
}

/* The small writers the renderers share: reasons split at "; ", lists with separators and
 * escapers, Markdown text with and without HTML escapes, and arena arrays that grow. */
static void test_shared_writers(void **state)
{
    (void)state;
    char one[16], small[4];
    const char *s = "a; long reason; ; b";
    char got[5][16];
    size_t n = 0;
    while (n < 5 && (s = acv_format_next_reason(s, one, sizeof one)))
        strcpy(got[n++], one);
    assert_int_equal(n, 4);
    assert_string_equal(got[0], "a");
    assert_string_equal(got[1], "long reason");
    assert_string_equal(got[2], "");
    assert_string_equal(got[3], "b");
    assert_non_null(acv_format_next_reason("abcdefghij", small, sizeof small));
    assert_string_equal(small, "abc"); /* cut to the buffer */
    assert_null(acv_format_next_reason(NULL, one, sizeof one));
    assert_null(acv_format_next_reason("", one, sizeof one));

    acv_buf b = {0};
    const char *items[] = {"x|y", "a<b&c\n"};
    acv_buf_items(&b, items, 2, ", ", "[", "]", acv_buf_json_string);
    assert_string_equal(b.data, "[\"x|y\"], [\"a\\u003cb\\u0026c\\n\"]");
    b.len = 0;
    acv_buf_items(&b, items, 0, ", ", "[", "]", acv_buf_json_string);
    acv_buf_puts(&b, "");
    assert_string_equal(b.data, "");
    acv_buf_md_text(&b, items[1], 0);
    acv_buf_puts(&b, " ");
    acv_buf_md_text(&b, items[0], 1);
    acv_buf_puts(&b, " ");
    acv_buf_md_text(&b, items[1], 1);
    assert_string_equal(b.data, "a<b&c  x\\|y a&lt;b&amp;c ");
    acv_buf_free(&b);
}

static void test_human_numbers(void **state)
{
    (void)state;
    static const struct {
        double v;
        const char *s;
    } cases[] = {
        {11145962, "11,145,962"},
        {1000, "1,000"},
        {999.94, "999.9"},
        {27.4, "27.4"},
        {90, "90"},
        {0.35, "0.35"},
        {0.224, "0.22"},
        {0.012, "0.012"},
        {0, "0"},
        {-0.0, "0"},
        {-3.5, "-3.5"},
        {-12345.6, "-12,346"},
        {2.5e-7, "2.5e-07"},
        /* in full below 1e16 (the import limit is 1e15), with an exponent from there on */
        {9999999999999998, "9,999,999,999,999,998"},
        {1e16, "1e+16"},
        {-1.234e20, "-1.23e+20"},
        {1e308, "1e+308"},
        {NAN, "no data"},
        {INFINITY, "no data"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char s[64];
        acv_format_number(s, sizeof s, cases[i].v);
        if (strcmp(s, cases[i].s) != 0) {
            fprintf(stderr, "%g -> '%s', expected '%s'\n", cases[i].v, s, cases[i].s);
            fail();
        }
    }
}

static void test_compare_country_figures(void **state)
{
    (void)state;
    acv_framework *fw = load_framework();
    acv_report_model *models[4];
    /* a: 100 people; b: 300 people, its overlay changed PS.DRR.1's bounds; c: no population;
     * d: another country, its overlay says PS.DRR.2 does not apply */
    models[0] = fake_model(fw, "a", "Alpha", "ZZ", 100);
    models[1] = fake_model(fw, "b", "Beta", "ZZ", 300);
    models[2] = fake_model(fw, "c", "Gamma", "ZZ", 0);
    models[3] = fake_model(fw, "d", "Delta", "YY", 50);
    double overall[4] = {50, 70, 90, 10}, pillar0[4] = {40, NAN, 20, 30};
    double drr1[4] = {10, 30, 99, 5};
    for (int k = 0; k < 4; k++) {
        models[k]->overall.has_score = 1;
        models[k]->overall.score = overall[k];
        models[k]->pillars[0].code = fw->pillars[0].id;
        models[k]->pillars[0].has_score = !isnan(pillar0[k]);
        models[k]->pillars[0].score = pillar0[k];
        set_indicator(models[k], "PS.DRR.1", 1, 1, 1, drr1[k]);
    }
    static const char *const b_changes[] = {
        "PS.DRR.1 bounds: worst 5, best 0 -> worst 4, best 0 (local hazard)",
        "weight of action_area PS.DRR: 1 -> 1.5"};
    set_changes(models[1], b_changes, 2);
    static const char *const d_changes[] = {"PS.DRR.2 not applicable: no coast"};
    set_changes(models[3], d_changes, 1);
    acv_compare_model *c = NULL;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_compare_build(fw, models, 4, 2025, &c, &err), ACV_OK);
    long drr1_i = acv_framework_find_indicator(fw, "PS.DRR.1");
    long drr2_i = acv_framework_find_indicator(fw, "PS.DRR.2");
    long drr5_i = acv_framework_find_indicator(fw, "PS.DRR.5");
    assert_true(c->areas[1].adapted[drr1_i]);
    assert_false(c->areas[0].adapted[drr1_i]);
    assert_false(c->areas[1].adapted[drr5_i]); /* an action-area weight adapts no indicator */
    assert_true(c->areas[3].not_applicable[drr2_i]);
    assert_false(c->common[drr2_i]);
    assert_true(c->common[drr1_i]);
    assert_int_equal(c->n_common_with_data, 1);
    assert_int_equal(c->n_countries, 2);
    const acv_compare_country *zz = &c->countries[0];
    assert_string_equal(zz->country, "ZZ");
    assert_int_equal(zz->n_members, 2);
    assert_int_equal(zz->n_excluded, 1);
    assert_string_equal(zz->excluded[0], "c");
    /* (100 × 50 + 300 × 70) / 400 */
    assert_true(zz->overall.has);
    assert_true(fabs(zz->overall.value - 65.0) < 1e-12);
    assert_int_equal(zz->overall.n, 2);
    assert_true(fabs(zz->overall.population - 400) < 1e-12);
    /* b has no pillar score: only a counts */
    assert_true(fabs(zz->pillars[0].value - 40.0) < 1e-12);
    assert_int_equal(zz->pillars[0].n, 1);
    /* b's adapted PS.DRR.1 is another scale: left out */
    assert_true(fabs(zz->indicators[drr1_i].value - 10.0) < 1e-12);
    assert_int_equal(zz->indicators[drr1_i].n, 1);
    assert_false(zz->indicators[drr5_i].has);
    assert_true(fabs(c->countries[1].overall.value - 10.0) < 1e-12);
    /* every renderer of a comparison runs, says the same, and the JSON is valid */
    acv_buf b = {0};
    assert_int_equal(acv_render_compare_markdown(c, &b, &err), ACV_OK);
    assert_contains(b.data, "| Overall | 50.0 | 70.0 | 90.0 | 10.0 | 65.0 | 10.0 |", "markdown");
    assert_contains(b.data, "| 10.0 (1, 2025) | 30.0† (1, 2025) |", "markdown");
    assert_contains(b.data, "Left out, no population recorded: c.", "markdown");
    assert_contains(b.data, "Weights: a 25.0%, b 75.0%.", "markdown");
    acv_buf_free(&b);
    assert_int_equal(acv_render_compare_json(c, &b, &err), ACV_OK);
    assert_int_equal(schema_errors(b.data, 0), 0);
    assert_contains(b.data, "\"adapted\":[\"PS.DRR.1\"]", "json");
    assert_contains(b.data, "\"excluded\":[\"c\"]", "json");
    acv_buf_free(&b);
    assert_int_equal(acv_render_compare_html(c, &b, &err), ACV_OK);
    assert_contains(b.data, "<span class=\"adapted\">adapted</span>", "html");
    acv_buf_free(&b);
    assert_int_equal(acv_render_compare_csv(c, &b, &err), ACV_OK);
    assert_contains(b.data,
                    "country:ZZ,ZZ (population-weighted),ZZ,400,overall,ACV,Overall,,,,65,,,\r\n",
                    "csv");
    assert_contains(b.data, "b,Beta,ZZ,300,indicator,PS.DRR.1,", "csv");
    acv_buf_free(&b);
    acv_compare_free(c);
    acv_framework_free(fw);
}

static void test_compare_errors(void **state)
{
    (void)state;
    workspace w;
    demo_workspace(&w);
    char cmd[2048], *out = NULL;
    snprintf(cmd, sizeof cmd, "%s --db %s report --compare demo_capital_metro,nowhere",
             ACV_TEST_BINARY, w.db);
    assert_int_not_equal(acv_test_run(cmd, &out), 0);
    assert_non_null(strstr(out, "nowhere"));
    free(out);
    snprintf(cmd, sizeof cmd, "%s --db %s report --compare country:QQ", ACV_TEST_BINARY, w.db);
    assert_int_not_equal(acv_test_run(cmd, &out), 0);
    assert_non_null(strstr(out, "no area below country level has country 'QQ'"));
    free(out);
    snprintf(cmd, sizeof cmd, "%s --db %s report --area demo_capital_metro --format docx",
             ACV_TEST_BINARY, w.db);
    assert_int_equal(acv_test_run(cmd, &out), 2);
    assert_non_null(strstr(out, "md, html, json, csv, xlsx or pdf"));
    free(out);
}

static size_t count(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* A city with little data: Song Lam, the first-hour fixture (tests/fixtures/first-hour/), 18 of
 * the 86 indicators with three years each, scored for 2025. */
static void little_data_workspace(workspace *w)
{
    const char *dir = acv_test_tmpdir("reports-little");
    assert_non_null(dir);
    snprintf(w->dir, sizeof w->dir, "%s", dir);
    snprintf(w->db, sizeof w->db, "%s/acvtrack.db", dir);
    const char *bin = ACV_TEST_BINARY, *fx = ACV_TEST_SOURCE_DIR "/tests/fixtures/first-hour";
    runf("%s --db %s init", bin, w->db);
    runf("%s --db %s areas import %s/areas.csv", bin, w->db, fx);
    runf("%s --db %s import %s/observations.csv", bin, w->db, fx);
    runf("%s --db %s score --area fh_song_lam --year 2025", bin, w->db);
}

/* Indicators without data are folded into one line per action area (issue 15): the table of all
 * indicators has a row for each of the 18 with data and none for the 68 without, which appear
 * once, in the lines under "Indicators over time". */
static void test_html_little_data_folded(void **state)
{
    (void)state;
    workspace w;
    little_data_workspace(&w);
    char *html = report(&w, "report --area fh_song_lam --format html", "little.html");
    const char *table = strstr(html, "<section id=\"table\"");
    assert_non_null(table);
    /* a row header of the table: <tr><th scope="row"><span class="mono">ID</span> */
    assert_int_equal(count(table, "<tr><th scope=\"row\"><span class=\"mono\">"), 18);
    /* every indicator id appears once in a fold line: 86 - 18 = 68 items, and each action area
     * with an indicator lacking data has one line (all 17 do: no area has all its data here) */
    const char *section = strstr(html, "<section id=\"indicators\"");
    assert_non_null(section);
    assert_true(section < table);
    assert_int_equal(count(section, "<ul class=\"inline\"><li>"), 17);
    assert_int_equal(count(section, "<li><span class=\"mono\">"), 68);
    free(html);
}

/* ---- the HTML in a real browser ---------------------------------------------------------- */

/* Debian's chromium, or $ACV_CHROMIUM (a path; "none" to see the test skip). */
static const char *chromium_binary(void)
{
    static const char *const names[] = {"/usr/bin/chromium", "/usr/bin/chromium-browser", NULL};
    const char *env = getenv("ACV_CHROMIUM");
    if (env)
        return *env && strcmp(env, "none") != 0 && access(env, X_OK) == 0 ? env : NULL;
    for (int i = 0; names[i]; i++)
        if (access(names[i], X_OK) == 0)
            return names[i];
    return NULL;
}

/* <svg ...> start tags with role="img": every chart is one. */
static size_t count_charts(const char *dom)
{
    size_t n = 0;
    for (const char *p = strstr(dom, "<svg"); p; p = strstr(p + 1, "<svg")) {
        const char *end = strchr(p, '>');
        if (!end)
            break;
        const char *role = strstr(p, "role=\"img\"");
        if (role && role < end)
            n++;
    }
    return n;
}

/* Opens file in headless chromium: the DOM it built, whatever it logged, and a screenshot. */
static void browse(const char *chromium, const char *html, const char *png, char **dom, char **log)
{
    char abs[4096], cmd[8192], profile[4200], cwd[4096];
    assert_non_null(realpath(html, abs));
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(profile, sizeof profile, "%s/reports-browser/profile-%ld", cwd, (long)getpid());
    /* --no-sandbox: CI runs as root; the profile folder keeps parallel runs apart */
    const char *flags = "--headless --disable-gpu --no-sandbox --no-first-run "
                        "--disable-dev-shm-usage --hide-scrollbars";
    /* in parentheses: acv_test_run adds 2>&1, which must not undo the log's redirection */
    snprintf(cmd, sizeof cmd,
             "(timeout 120 %s %s --user-data-dir=%s --enable-logging=stderr --v=0 --dump-dom "
             "'file://%s' 2>reports-browser/stderr.txt)",
             chromium, flags, profile, abs);
    assert_int_equal(acv_test_run(cmd, dom), 0);
    *log = acv_test_read("reports-browser/stderr.txt");
    assert_non_null(*log);
    snprintf(cmd, sizeof cmd,
             "timeout 120 %s %s --user-data-dir=%s --screenshot=%s --window-size=1280,2000 "
             "'file://%s' >/dev/null 2>&1",
             chromium, flags, profile, png, abs);
    assert_int_equal(acv_test_run(cmd, NULL), 0);
    struct stat st;
    assert_int_equal(stat(png, &st), 0);
    /* a blank white page is about 10 kB */
    assert_true(st.st_size > 40000);
    fprintf(stderr, "screenshot: %s/%s\n", cwd, png);
    snprintf(cmd, sizeof cmd, "rm -rf %s", profile);
    assert_int_equal(system(cmd), 0);
}

static void assert_no_console_messages(const char *log, const char *what)
{
    /* chromium logs every console message, and every CSP refusal, as a CONSOLE line */
    for (const char *p = strstr(log, ":CONSOLE"); p; p = strstr(p + 1, ":CONSOLE")) {
        const char *eol = strchr(p, '\n');
        fprintf(stderr, "%s: console: %.*s\n", what, eol ? (int)(eol - p) : 200, p);
        fail();
    }
}

/* ---- layout on a phone, on a desktop and on paper ---------------------------------------- */

/* The report forbids scripts (its CSP), so it is measured from outside: a page of our own holds
 * the report in an iframe exactly `width` px wide (srcdoc, so the two are the same origin and the
 * report's own CSP still applies to it), and this script, run by the outer page when the report
 * has loaded, writes what it found into <pre id="acv-measure">, which --dump-dom prints. An iframe
 * rather than --window-size: headless Chromium will not make a window narrower than 500 px.
 * Lines starting "wide:" name an element reaching past the viewport outside a .scroll box;
 * "chart:" a label of a time-series chart cut by the chart's edge, overlapping another label,
 * lying on the data line, a point or the other dashed line. */
static const char MEASURE_JS[] =
    "function acvMeasure(f) {\n"
    "  var document = f.contentDocument, getComputedStyle = "
    "f.contentWindow.getComputedStyle.bind(f.contentWindow);\n"
    "  var out = [], de = document.documentElement, vw = de.clientWidth;\n"
    "  function name(e) {\n"
    "    var c = typeof e.className === 'string' ? e.className : (e.className && "
    "e.className.baseVal) || '';\n"
    "    return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (c ? '.' + "
    "c.trim().split(/\\s+/).join('.') : '');\n"
    "  }\n"
    "  out.push('viewport ' + vw + ', page height ' + de.scrollHeight);\n"
    "  if (de.scrollWidth > vw) out.push('wide: the page scrolls sideways (' + de.scrollWidth + ' "
    "px)');\n"
    "  var all = document.body.querySelectorAll('*');\n"
    "  for (var i = 0; i < all.length; i++) {\n"
    "    var e = all[i];\n"
    "    if (e.parentElement.closest('.scroll')) continue;\n"
    "    var r = e.getBoundingClientRect();\n"
    "    if (!r.width && !r.height) continue;\n"
    "    if (r.right > vw + 0.5 || r.left < -0.5)\n"
    "      out.push('wide: ' + name(e) + ' from ' + Math.round(r.left) + ' to ' + "
    "Math.round(r.right) + ' px');\n"
    "  }\n"
    "  var scrolls = document.querySelectorAll('.scroll');\n"
    "  var scrolling = 0;\n"
    "  for (i = 0; i < scrolls.length; i++) if (scrolls[i].scrollWidth > scrolls[i].clientWidth) "
    "scrolling++;\n"
    "  out.push('scroll boxes ' + scrolls.length + ', scrolling ' + scrolling);\n"
    "  function inter(a, b) { return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + "
    "b.height && b.y < a.y + a.height; }\n"
    "  function shrink(b, d) { return { x: b.x + d, y: b.y + d, width: b.width - 2 * d, height: "
    "b.height - 2 * d }; }\n"
    "  function segHits(b, x1, y1, x2, y2) {\n"
    "    for (var k = 0; k <= 40; k++) {\n"
    "      var x = x1 + (x2 - x1) * k / 40, y = y1 + (y2 - y1) * k / 40;\n"
    "      if (x > b.x && x < b.x + b.width && y > b.y && y < b.y + b.height) return true;\n"
    "    }\n"
    "    return false;\n"
    "  }\n"
    "  var sparks = document.querySelectorAll('svg.spark'), minFont = 1e9, nt = 0;\n"
    "  for (i = 0; i < sparks.length; i++) {\n"
    "    var svg = sparks[i], vb = svg.viewBox.baseVal, scale = svg.getBoundingClientRect().width "
    "/ vb.width;\n"
    "    var id = svg.getAttribute('aria-labelledby').split(' ')[0];\n"
    "    var texts = svg.querySelectorAll('text'), boxes = [];\n"
    "    for (var j = 0; j < texts.length; j++) {\n"
    "      var t = texts[j], bb = shrink(t.getBBox(), 1);\n"
    "      boxes.push(bb);\n"
    "      nt++;\n"
    "      var px = parseFloat(getComputedStyle(t).fontSize) * scale;\n"
    "      if (px < minFont) minFont = px;\n"
    "      if (bb.x < vb.x || bb.y < vb.y || bb.x + bb.width > vb.x + vb.width || bb.y + bb.height "
    "> vb.y + vb.height)\n"
    "        out.push('chart: ' + id + ': \"' + t.textContent + '\" is cut by the chart edge');\n"
    "      for (var k = 0; k < j; k++)\n"
    "        if (inter(bb, boxes[k]))\n"
    "          out.push('chart: ' + id + ': \"' + t.textContent + '\" overlaps \"' + "
    "texts[k].textContent + '\"');\n"
    "      if (t.closest('.axis')) continue;\n"
    "      var own = t.getAttribute('class') === 'tlabel' ? 'target' : 'base';\n"
    "      var lines = svg.querySelectorAll('line:not(.grid),polyline');\n"
    "      for (var l = 0; l < lines.length; l++) {\n"
    "        var ln = lines[l];\n"
    "        if (ln.getAttribute('class') === own) continue;\n"
    "        var pts = ln.tagName === 'line' ? [[ln.x1.baseVal.value, ln.y1.baseVal.value], "
    "[ln.x2.baseVal.value, ln.y2.baseVal.value]]\n"
    "          : [].map.call(ln.points, function (p) { return [p.x, p.y]; });\n"
    "        for (var q = 1; q < pts.length; q++)\n"
    "          if (segHits(bb, pts[q - 1][0], pts[q - 1][1], pts[q][0], pts[q][1])) {\n"
    "            out.push('chart: ' + id + ': \"' + t.textContent + '\" lies on the ' + "
    "(ln.getAttribute('class') || 'line'));\n"
    "            break;\n"
    "          }\n"
    "      }\n"
    "      var dots = svg.querySelectorAll('circle');\n"
    "      for (l = 0; l < dots.length; l++)\n"
    "        if (inter(bb, dots[l].getBBox())) { out.push('chart: ' + id + ': \"' + t.textContent "
    "+ '\" covers a point'); break; }\n"
    "    }\n"
    "  }\n"
    "  out.push('charts ' + sparks.length + ', labels ' + nt + ', smallest label ' + "
    "minFont.toFixed(1) + ' px');\n"
    "  var pre = window.document.createElement('pre');\n"
    "  pre.id = 'acv-measure';\n"
    "  pre.textContent = out.join('\\n');\n"
    "  window.document.body.appendChild(pre);\n"
    "}\n";

typedef struct {
    char *text;       /* what the script wrote, one finding a line */
    int viewport;     /* the iframe's width as the report saw it */
    int height;       /* the page's height in px */
    int scroll_boxes; /* .scroll boxes, and how many of them scroll at this width */
    int scrolling;
    int charts; /* time-series charts and the smallest label's size on screen */
    double smallest_label;
} layout;

static layout measure_layout(const char *chromium, const char *html, int width)
{
    char *page = acv_test_read(html);
    assert_non_null(page);
    acv_buf b = {0};
    acv_buf_printf(&b,
                   "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><script>%s</script>"
                   "</head><body style=\"margin:0\"><iframe style=\"border:0;width:%dpx;"
                   "height:900px\" onload=\"acvMeasure(this)\" srcdoc=\"",
                   MEASURE_JS, width);
    for (const char *p = page; *p; p++)
        if (*p == '&')
            acv_buf_puts(&b, "&amp;");
        else if (*p == '"')
            acv_buf_puts(&b, "&quot;");
        else
            acv_buf_append(&b, p, 1);
    acv_buf_puts(&b, "\"></iframe></body></html>\n");
    free(page);
    assert_false(b.failed);
    char path[600], abs[4096], cwd[4096], cmd[9000];
    /* one file per process: the browser cases run in parallel and measure the same widths */
    snprintf(path, sizeof path, "reports-browser/measure-%ld-%d.html", (long)getpid(), width);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fwrite(b.data, 1, b.len, f), b.len);
    assert_int_equal(fclose(f), 0);
    acv_buf_free(&b);
    assert_non_null(realpath(path, abs));
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(cmd, sizeof cmd,
             "(timeout 120 %s --headless --disable-gpu --no-sandbox --no-first-run "
             "--disable-dev-shm-usage --hide-scrollbars --user-data-dir=%s/reports-browser/"
             "profile-m%ld --window-size=1400,1000 --dump-dom 'file://%s' 2>/dev/null)",
             chromium, cwd, (long)getpid(), abs);
    char *dom = NULL;
    assert_int_equal(acv_test_run(cmd, &dom), 0);
    snprintf(cmd, sizeof cmd, "rm -rf %s/reports-browser/profile-m%ld", cwd, (long)getpid());
    assert_int_equal(system(cmd), 0);
    const char *start = strstr(dom, "<pre id=\"acv-measure\">");
    if (!start)
        fprintf(stderr, "%s: the measuring script wrote nothing\n", html);
    assert_non_null(start);
    start += strlen("<pre id=\"acv-measure\">");
    const char *end = strstr(start, "</pre>");
    assert_non_null(end);
    layout l = {0};
    l.text = strndup(start, (size_t)(end - start));
    free(dom);
    assert_int_equal(sscanf(l.text, "viewport %d, page height %d", &l.viewport, &l.height), 2);
    const char *sb = strstr(l.text, "scroll boxes ");
    assert_non_null(sb);
    assert_int_equal(sscanf(sb, "scroll boxes %d, scrolling %d", &l.scroll_boxes, &l.scrolling), 2);
    const char *ch = strstr(l.text, "\ncharts ");
    assert_non_null(ch);
    int labels = 0;
    assert_int_equal(sscanf(ch, "\ncharts %d, labels %d, smallest label %lf", &l.charts, &labels,
                            &l.smallest_label),
                     3);
    fprintf(stderr,
            "%s at %d px: %d px high, %d of %d scroll boxes scroll, %d charts, "
            "smallest chart label %.1f px\n",
            html, width, l.height, l.scrolling, l.scroll_boxes, l.charts, l.smallest_label);
    return l;
}

/* No element wider than the viewport outside a scroll box, no chart label cut or overlapping, and
 * chart labels no smaller than 11 px on screen. */
static void assert_layout_clean(const layout *l, int width, const char *what)
{
    assert_int_equal(l->viewport, width);
    int bad = 0;
    for (const char *p = l->text; p && *p;) {
        const char *eol = strchr(p, '\n');
        int len = eol ? (int)(eol - p) : (int)strlen(p);
        if (!strncmp(p, "wide:", 5) || !strncmp(p, "chart:", 6)) {
            fprintf(stderr, "%s at %d px: %.*s\n", what, width, len, p);
            bad++;
        }
        p = eol ? eol + 1 : NULL;
    }
    assert_int_equal(bad, 0);
    if (l->charts)
        assert_true(l->smallest_label >= 11);
}

/* Prints html to an A4 PDF and counts its pages: the /Type /Page objects (not /Pages) that
 * Chromium writes uncompressed, so no PDF tool is needed. */
static int print_pages(const char *chromium, const char *html, const char *pdf)
{
    char abs[4096], cwd[4096], cmd[9000];
    assert_non_null(realpath(html, abs));
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(cmd, sizeof cmd,
             "timeout 120 %s --headless --disable-gpu --no-sandbox --no-first-run "
             "--disable-dev-shm-usage --user-data-dir=%s/reports-browser/profile-p%ld "
             "--no-pdf-header-footer --print-to-pdf=%s 'file://%s' >/dev/null 2>&1",
             chromium, cwd, (long)getpid(), pdf, abs);
    assert_int_equal(acv_test_run(cmd, NULL), 0);
    snprintf(cmd, sizeof cmd, "rm -rf %s/reports-browser/profile-p%ld", cwd, (long)getpid());
    assert_int_equal(system(cmd), 0);
    FILE *f = fopen(pdf, "rb");
    assert_non_null(f);
    int pages = 0;
    const char *key = "/Type /Page";
    size_t k = 0;
    for (int c; (c = fgetc(f)) != EOF;) {
        if (k == strlen(key)) {
            pages += c != 's';
            k = 0;
        }
        k = c == key[k] ? k + 1 : c == key[0] ? 1 : 0;
    }
    fclose(f);
    fprintf(stderr, "%s: %d A4 pages (%s/%s)\n", html, pages, cwd, pdf);
    return pages;
}

static void test_browser_html(void **state)
{
    (void)state;
    const char *chromium = chromium_binary();
    if (!chromium) {
        fprintf(stderr, "SKIPPED: chromium is not installed (apt-get install chromium); the "
                        "HTML report was not checked in a browser\n");
        skip();
    }
    workspace w;
    demo_workspace(&w);
    mkdir("reports-browser", 0755);
    char *html =
        report(&w, "report --area demo_capital_metro --year 2025 --format html", "capital.html");
    /* the charts there must be: the overall ring, the pillar chart, one action-area chart per
     * pillar, one time series per indicator with data (counted from the model, not the page) */
    acv_ctx_options opt = {0};
    opt.db_path = w.db;
    acv_ctx *ctx = NULL;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_ctx_open(&opt, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, &ctx, &err), ACV_OK);
    acv_report_model *m = NULL;
    assert_int_equal(acv_report_model_load(ctx, "demo_capital_metro", 2025, &m, &err), ACV_OK);
    size_t expected = 2, with_series = 0;
    for (size_t p = 0; p < ctx->fw->n_pillars; p++) {
        int has_areas = 0;
        for (size_t a = 0; a < ctx->fw->n_action_areas; a++)
            has_areas |= ctx->fw->action_areas[a].pillar == p;
        expected += has_areas;
    }
    for (size_t i = 0; i < ctx->fw->n_indicators; i++)
        with_series += m->series[i].n > 0;
    expected += with_series;
    acv_report_model_free(m);
    acv_ctx_close(ctx);
    assert_true(with_series >= 20);
    char path[800];
    snprintf(path, sizeof path, "%s/capital.html", w.dir);
    char *dom = NULL, *log = NULL;
    browse(chromium, path, "reports-browser/report.png", &dom, &log);
    assert_no_console_messages(log, "report");
    if (count_charts(dom) != expected) {
        fprintf(stderr, "report: %zu charts in the page, expected %zu\n", count_charts(dom),
                expected);
        fail();
    }
    /* each chart has its text alternative */
    assert_true(count(dom, "<desc id=\"") >= expected);
    assert_true(count(dom, "<title id=\"") >= expected);
    assert_non_null(strstr(dom, "id=\"priorities\""));
    assert_non_null(strstr(dom, "Demo capital metro (fictional)"));
    /* no script at all, and nothing fetched */
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "http://"));
    /* PS.DRR.6 has the relative target "-25% vs 2019": 24.5 in 2019 × (1 − 0.25) = 18.375, shown
     * as 18.4 in the chart's description and on its dashed line, which reaches 2030 */
    assert_non_null(strstr(html, "2030 target -25% vs 2019, that is 18.4."));
    const char *drr6 = strstr(html, "<title id=\"ts-PS-DRR-6-");
    assert_non_null(drr6);
    const char *drr6_end = strstr(drr6, "</svg>");
    char *chart = strndup(drr6, (size_t)(drr6_end - drr6));
    assert_non_null(strstr(chart, ">2030 target 18.4</text>"));
    assert_non_null(strstr(chart, ">2030</text>"));
    free(chart);
    /* a phone and a desktop: nothing wider than the screen outside a scroll box, no chart label
     * cut or on another or on the data; at 390 px the tables and bar charts do scroll in their
     * boxes (so the check above had something to find), at 1280 px none does */
    layout l = measure_layout(chromium, path, 390);
    assert_layout_clean(&l, 390, "report");
    assert_true(l.scrolling > 0);
    assert_int_equal(l.charts, (int)with_series);
    free(l.text);
    l = measure_layout(chromium, path, 1280);
    assert_layout_clean(&l, 1280, "report");
    assert_int_equal(l.scrolling, 0);
    free(l.text);
    /* paper: the demo city prints on 6 A4 pages (21 before the print stylesheet of issue 15) */
    int pages = print_pages(chromium, path, "reports-browser/report.pdf");
    assert_true(pages >= 4);
    assert_true(pages <= 6);
    free(dom);
    free(log);
    free(html);

    char *cmp = report(&w, COMPARE_ARGS " --format html", "compare.html");
    snprintf(path, sizeof path, "%s/compare.html", w.dir);
    browse(chromium, path, "reports-browser/compare.png", &dom, &log);
    assert_no_console_messages(log, "comparison");
    assert_int_equal(count_charts(dom), 1);
    assert_non_null(strstr(dom, "DEMO (population-weighted)"));
    l = measure_layout(chromium, path, 390);
    assert_layout_clean(&l, 390, "comparison");
    free(l.text);
    free(dom);
    free(log);
    free(cmp);

    /* a city with little data on a phone */
    workspace little;
    little_data_workspace(&little);
    free(report(&little, "report --area fh_song_lam --format html", "little.html"));
    snprintf(path, sizeof path, "%s/little.html", little.dir);
    l = measure_layout(chromium, path, 390);
    assert_layout_clean(&l, 390, "little data");
    assert_int_equal(l.charts, 18);
    free(l.text);

    /* the special characters reach the page as text, not as markup */
    workspace nasty;
    nasty_workspace(&nasty);
    free(report(&nasty, "report --area zz_nasty --format html", "nasty.html"));
    snprintf(path, sizeof path, "%s/nasty.html", nasty.dir);
    browse(chromium, path, "reports-browser/special-characters.png", &dom, &log);
    assert_no_console_messages(log, "special characters");
    assert_contains(dom, "<h1>กรุงเทพฯ ភ្នំពេញ Hà Nội &lt;b&gt;&amp;\"' | *x*</h1>", "dom");
    free(dom);
    free(log);
}

/* The comparison of 2,000 areas in the browser: the pager's script runs (allowed by its hash: a
 * refused script would log a console line), its first page is there, nothing reaches past a phone's
 * width. The time chromium takes is printed, not asserted (bench/run.sh measures it at scale). */
static double many_scores(void *ud, size_t area, size_t level)
{
    (void)ud;
    return (double)((area * 7919 + level * 104729) % 1001) / 10.0;
}

static void test_browser_many(void **state)
{
    (void)state;
    const char *chromium = chromium_binary();
    if (!chromium) {
        fprintf(stderr, "SKIPPED: chromium is not installed (apt-get install chromium); the "
                        "comparison of many areas was not checked in a browser\n");
        skip();
    }
    workspace w;
    const char *dir = acv_test_tmpdir("reports-many");
    assert_non_null(dir);
    snprintf(w.dir, sizeof w.dir, "%s", dir);
    snprintf(w.db, sizeof w.db, "%s/acvtrack.db", dir);
    acv_test_synthetic_workspace(w.db, "YY", 2000, 0, many_scores, NULL);
    mkdir("reports-browser", 0755);
    char *html = report(&w, "report --compare country:YY --highlight YY-0001,YY-0777 --format html",
                        "many.html");
    char path[800];
    snprintf(path, sizeof path, "%s/many.html", w.dir);
    char *dom = NULL, *log = NULL;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    browse(chromium, path, "reports-browser/compare-many.png", &dom, &log);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    fprintf(stderr,
            "2,000 areas, %zu bytes of HTML: chromium loaded, rendered and screenshot it "
            "in %.2f s (start-ups included; not a target)\n",
            strlen(html),
            (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    assert_no_console_messages(log, "comparison of many areas");
    /* the script ran: it wrote the pager's line and rebuilt the first page */
    assert_contains(dom, "<span id=\"rank-page\">Page 1 of 40 · 2000 areas</span>", "dom");
    assert_contains(dom, "<div class=\"pager\" id=\"rank-pager\">", "dom");
    const char *body = strstr(dom, "<tbody id=\"rank-body\">");
    assert_non_null(body);
    const char *end = strstr(body, "</tbody>");
    size_t rows = 0;
    for (const char *p = strstr(body, "<tr"); p && p < end; p = strstr(p + 1, "<tr"))
        rows++;
    assert_int_equal(rows, 50);
    /* a chart per level: overall, the pillars and the action areas */
    assert_true(count_charts(dom) >= 5);
    layout l = measure_layout(chromium, path, 390);
    assert_layout_clean(&l, 390, "comparison of many areas");
    free(l.text);
    free(dom);
    free(log);
    free(html);
}

/* ---- the progress-class vocabulary a run was scored with --------------------------------- */

static void sql_exec(const char *db_path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fprintf(stderr, "%s: %s\n", sql, msg ? msg : "");
    sqlite3_free(msg);
    sqlite3_close(db);
    assert_int_equal(rc, SQLITE_OK);
}

static char *sql_text(const char *db_path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    const char *t = (const char *)sqlite3_column_text(q, 0);
    char *out = strdup(t ? t : "(null)");
    sqlite3_finalize(q);
    sqlite3_close(db);
    return out;
}

static void test_vocabulary_stored_with_run(void **state)
{
    (void)state;
    workspace w;
    demo_workspace(&w);
    /* one vocabulary, shared by the three runs, read from scripts/methods/progress.lua */
    char *n = sql_text(w.db, "SELECT count(*) || ' ' || (SELECT count(*) FROM runs WHERE "
                             "vocabulary_id = (SELECT id FROM class_vocabularies)) FROM "
                             "class_vocabularies");
    assert_string_equal(n, "1 3");
    free(n);
    char *body = sql_text(w.db, "SELECT body FROM class_vocabularies");
    acv_vocabulary *v = NULL;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_vocab_parse(body, &v, &err), ACV_OK);
    /* the methods' table wins over what the C reports had: maintaining is SDSN's ↑, and the
     * SDSN dashboard colours are there */
    assert_string_equal(acv_vocab_symbol(v, "maintaining"), "↑");
    assert_string_equal(acv_vocab_label(v, "orange"), "Significant challenges remain");
    assert_string_equal(acv_vocab_colour(v, "limited_progress"), "orange");
    assert_int_equal(acv_vocab_off_track(v, "stagnating"), 1);
    assert_int_equal(acv_vocab_off_track(v, "maintaining"), 0);
    acv_vocab_free(v);
    free(body);
    /* reports show the stored words, not today's table: change the stored label */
    sql_exec(w.db, "UPDATE class_vocabularies SET body = replace(body, 'On track (maintain "
                   "progress)', 'Keep the pace')");
    char *md = report(&w, "report --area demo_capital_metro", "stored.md");
    assert_contains(md, "| ↑ Keep the pace |", "markdown");
    assert_lacks(md, "On track (maintain progress)", "markdown");
    free(md);
    char *html = report(&w, "report --area demo_capital_metro --format html", "stored.html");
    assert_contains(html,
                    "<span class=\"pg pg-green\"><span class=\"sym\" "
                    "aria-hidden=\"true\">↑</span> Keep the pace</span>",
                    "html");
    free(html);
    /* a run stored before vocabularies were renders with the fallback, as it did then */
    sql_exec(w.db, "UPDATE runs SET vocabulary_id = NULL");
    md = report(&w, "report --area demo_capital_metro", "fallback.md");
    assert_contains(md, "| ↑ On track (maintain progress) |", "markdown");
    free(md);
    assert_string_equal(acv_vocab_symbol(NULL, "maintaining"), "✓");
    assert_string_equal(acv_vocab_symbol(NULL, "green"), "");
    /* a damaged stored body is an error naming its line */
    sql_exec(w.db, "UPDATE runs SET vocabulary_id = (SELECT id FROM class_vocabularies);"
                   "UPDATE class_vocabularies SET body = 'acvtrack-class-vocabulary/1' || "
                   "char(10) || 'on_track' || char(9) || 'x' || char(10)");
    char cmd[1400], *out = NULL;
    snprintf(cmd, sizeof cmd, "%s --db %s report --area demo_capital_metro", ACV_TEST_BINARY, w.db);
    assert_int_not_equal(acv_test_run(cmd, &out), 0);
    assert_contains(out, "stored class vocabulary:2: expected 5 tab-separated fields", "error");
    free(out);
}

static void test_vocabulary_body(void **state)
{
    (void)state;
    acv_buf b = {0};
    acv_error err;
    acv_error_clear(&err);
    acv_vocab_body_start(&b);
    acv_class_entry e = {"on_track", "↑", "green", "opensdg", "On track"};
    assert_int_equal(acv_vocab_body_add(&b, &e, &err), ACV_OK);
    assert_string_equal(b.data,
                        "acvtrack-class-vocabulary/1\non_track\t↑\tgreen\topensdg\tOn track\n");
    acv_class_entry bad = {"x", "↑", "green", "opensdg", "two\tfields"};
    assert_int_equal(acv_vocab_body_add(&b, &bad, &err), ACV_ERR_SCRIPT);
    assert_string_equal(err.message,
                        "progress class 'x': label must be one line of text without tabs");
    acv_buf_free(&b);
    acv_vocabulary *v = NULL;
    assert_int_equal(acv_vocab_parse("acvtrack-class-vocabulary/1\non_track\t↑\tgreen\topensdg\tOn "
                                     "track\n",
                                     &v, &err),
                     ACV_OK);
    assert_int_equal(v->n, 1);
    assert_string_equal(acv_vocab_label(v, "on_track"), "On track");
    assert_string_equal(acv_vocab_label(v, "own_class"), "own_class");
    assert_string_equal(acv_vocab_colour(v, "own_class"), "grey");
    acv_vocab_free(v);
    assert_int_equal(acv_vocab_parse("something else\n", &v, &err), ACV_ERR_STORAGE);
    assert_string_equal(err.message,
                        "stored class vocabulary:1: not a acvtrack-class-vocabulary/1 body");
}

int main(int argc, char **argv)
{
    /* one case per line: tests/CMakeLists.txt registers the first case of each line */
    // clang-format off
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalise),
        cmocka_unit_test(test_human_numbers),
        cmocka_unit_test(test_shared_writers),
        cmocka_unit_test(test_golden_markdown),
        cmocka_unit_test(test_golden_json),
        cmocka_unit_test(test_golden_csv),
        cmocka_unit_test(test_golden_compare),
        cmocka_unit_test(test_json_schema),
        cmocka_unit_test(test_special_characters),
        cmocka_unit_test(test_csv_defused),
        cmocka_unit_test(test_compare_country_figures),
        cmocka_unit_test(test_compare_errors),
        cmocka_unit_test(test_html_little_data_folded),
        cmocka_unit_test(test_browser_html),
        cmocka_unit_test(test_browser_many),
        cmocka_unit_test(test_vocabulary_stored_with_run),
        cmocka_unit_test(test_vocabulary_body),
    };
    // clang-format on
    return acv_test_main(argc, argv, "reports", tests, sizeof tests / sizeof *tests);
}
