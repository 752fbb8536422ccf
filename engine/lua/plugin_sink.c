/* plugin_sink.c — the output sink of a plugin run; see plugin_sink.h. */
#include "plugin_sink.h"
#include "atomicfile.h"
#include "convert.h"
#include "csv.h"
#include "csvwrite.h"

#include <errno.h>
#include <math.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_OUTPUT_BYTES (256u * 1024 * 1024)
#define MAX_OUTPUT_FILES 2000

void acv_sink_free(acv_sink *s)
{
    for (size_t i = 0; i < s->n_files; i++)
        acv_buf_free(&s->files[i].buf);
    free(s->files);
    free(s->rows);
    free(s->areas);
    free(s->series);
    acv_arena_free(&s->strings);
}

/* The sink a closure writes to (upvalue 1). */
static acv_sink *sink_of(lua_State *L)
{
    return lua_touserdata(L, lua_upvalueindex(1));
}

/* The result of ACV_GROW on a sink array: out of memory raises (the sink keeps the old array,
 * and frees it). */
static void grown_or_raise(lua_State *L, int rc)
{
    if (rc != 0)
        luaL_error(L, "out of memory");
}

/* Counts n more bytes of output against the cap before they are held (file bytes, and the
 * strings and records of the rows, areas and series an importer emits), so a plugin cannot hold
 * more than MAX_OUTPUT_BYTES whatever it calls; raises past the cap. */
static void sink_reserve(lua_State *L, acv_sink *s, size_t n)
{
    if (n > MAX_OUTPUT_BYTES - s->bytes)
        luaL_error(L, "plugin output exceeds %d bytes", (int)MAX_OUTPUT_BYTES);
    s->bytes += n;
}

/* A relative path of letters, digits, '_', '-', '.' and '/' whose every part names a file or
 * folder: no empty part ("a//b", "a/"), no "." and nothing with ".." */
static int valid_output_name(const char *s)
{
    if (!*s || strlen(s) > 200 || s[0] == '/' || strstr(s, "..") || strstr(s, "//"))
        return 0;
    for (const char *p = s; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '-' || *p == '.' || *p == '/'))
            return 0;
        int part_start = p == s || p[-1] == '/';
        if (part_start && p[0] == '.' && (p[1] == '\0' || p[1] == '/'))
            return 0;
    }
    return s[strlen(s) - 1] != '/';
}

/* f:write(...): appends its strings as they are. */
static int l_file_write(lua_State *L)
{
    acv_sink *out = sink_of(L);
    size_t index = (size_t)lua_tointeger(L, lua_upvalueindex(2));
    acv_sink_file *f = &out->files[index];
    int n = lua_gettop(L);
    for (int i = 2; i <= n; i++) { /* 1 is the file itself (f:write(...)) */
        size_t len;
        const char *s = luaL_checklstring(L, i, &len);
        sink_reserve(L, out, len);
        acv_buf_append(&f->buf, s, len);
    }
    if (f->buf.failed)
        return luaL_error(L, "out of memory writing %s", f->name);
    return 0;
}

/* f:csv(row [, {exact = true}]): appends one CSV record, its text cells defused; numbers with
 * 15 significant digits, or with exact every digit needed to read back the same number. */
static int l_file_csv(lua_State *L)
{
    acv_sink *out = sink_of(L);
    size_t index = (size_t)lua_tointeger(L, lua_upvalueindex(2));
    acv_sink_file *f = &out->files[index];
    luaL_checktype(L, 2, LUA_TTABLE);
    int exact = 0;
    if (lua_istable(L, 3)) {
        lua_getfield(L, 3, "exact");
        exact = lua_toboolean(L, -1);
        lua_pop(L, 1);
    }
    /* the highest cell index, not the table's length: a nil cell between others ({a, nil, c})
     * is an empty cell, and the length operator may stop at any nil */
    lua_Integer n = 0;
    lua_pushnil(L);
    while (lua_next(L, 2) != 0) {
        if (lua_isinteger(L, -2) && lua_tointeger(L, -2) > n)
            n = lua_tointeger(L, -2);
        lua_pop(L, 1);
    }
    if (n > ACV_CSV_MAX_COLUMNS)
        return luaL_error(L, "csv: a row of more than %d cells", ACV_CSV_MAX_COLUMNS);
    /* the most the record can take, reserved before anything is appended (a row of 64 cells of
     * 16 MiB once grew the file by 1 GiB before the cap was checked): a text cell at most
     * doubles its quotes, and gains two quotes and a defusing prefix */
    size_t bound = 2 + (size_t)n;
    for (lua_Integer i = 1; i <= n; i++) {
        size_t len = 0;
        if (lua_rawgeti(L, 2, i) == LUA_TSTRING)
            lua_tolstring(L, -1, &len);
        bound += len > MAX_OUTPUT_BYTES ? MAX_OUTPUT_BYTES : 2 * len + 3 + 64;
        lua_pop(L, 1);
        if (bound > MAX_OUTPUT_BYTES)
            break;
    }
    sink_reserve(L, out, bound);
    size_t before = f->buf.len;
    acv_csv_writer w = acv_csvwrite_to_buf(&f->buf);
    for (lua_Integer i = 1; i <= n; i++) {
        int t = lua_rawgeti(L, 2, i);
        if (t == LUA_TNUMBER && lua_isinteger(L, -1)) {
            acv_csvwrite_integer(&w, (long long)lua_tointeger(L, -1));
        } else if (t == LUA_TNUMBER) {
            double d = lua_tonumber(L, -1);
            char text[64];
            if (exact && isfinite(d)) {
                /* the shortest of 15 or 17 significant digits that reads back the same double,
                 * so an exported value imports again exactly */
                snprintf(text, sizeof text, "%.15g", d);
                if (strtod(text, NULL) != d)
                    snprintf(text, sizeof text, "%.17g", d);
                acv_csvwrite_raw(&w, strcmp(text, "-0") == 0 ? "0" : text);
            } else {
                acv_csvwrite_number(&w, 1, d);
            }
        } else if (t == LUA_TSTRING) {
            size_t len;
            const char *s = lua_tolstring(L, -1, &len);
            acv_csvwrite_textn(&w, s, len);
        } else if (t == LUA_TBOOLEAN) {
            acv_csvwrite_raw(&w, lua_toboolean(L, -1) ? "true" : "false");
        } else if (t == LUA_TNIL) {
            acv_csvwrite_text(&w, NULL);
        } else {
            return luaL_error(L, "csv: cell %d is a %s; cells are strings, numbers or nil", (int)i,
                              luaL_typename(L, -1));
        }
        lua_pop(L, 1);
    }
    acv_csvwrite_end_row(&w);
    out->bytes -= bound - (f->buf.len - before); /* what the record really took */
    if (f->buf.failed)
        return luaL_error(L, "out of memory writing %s", f->name);
    return 0;
}

/* out:file(name): opens (or reopens) an output file. */
static int l_out_file(lua_State *L)
{
    acv_sink *s = sink_of(L);
    const char *name = luaL_optstring(L, 2, "output");
    if (!valid_output_name(name))
        return luaL_error(L,
                          "bad output file name '%s' (a relative path of letters, digits, "
                          "'_', '-', '.', '/')",
                          name);
    size_t index = s->n_files;
    for (size_t i = 0; i < s->n_files; i++)
        if (strcmp(s->files[i].name, name) == 0)
            index = i;
    if (index == s->n_files) {
        if (s->n_files == MAX_OUTPUT_FILES)
            return luaL_error(L, "a plugin may write at most %d files", MAX_OUTPUT_FILES);
        grown_or_raise(L, ACV_GROW(s->files, s->cap_files, s->n_files, 8));
        memset(&s->files[index], 0, sizeof s->files[index]);
        snprintf(s->files[index].name, sizeof s->files[index].name, "%s", name);
        s->n_files++;
    }
    static const luaL_Reg file_fns[] = {{"write", l_file_write}, {"csv", l_file_csv}, {NULL, NULL}};
    lua_createtable(L, 0, 3);
    for (const luaL_Reg *fn = file_fns; fn->name; fn++) {
        lua_pushlightuserdata(L, s);
        lua_pushinteger(L, (lua_Integer)index);
        lua_pushcclosure(L, fn->func, 2);
        lua_setfield(L, -2, fn->name);
    }
    acv_convert_set_string(L, "name", name);
    return 1;
}

/* A copy in the sink's arena of a string-or-number field (convert.h); NULL when absent. */
static char *field_copy(lua_State *L, acv_sink *s, int t, const char *key, int required,
                        const char *what)
{
    const char *v = acv_convert_field_text(L, t, key, required, what);
    if (v)
        sink_reserve(L, s, strlen(v) + 1);
    char *copy = v ? acv_arena_strdup(&s->strings, v) : NULL;
    lua_pop(L, 1);
    if (v && !copy)
        luaL_error(L, "out of memory");
    return copy;
}

static int dim_cmp(const void *a, const void *b)
{
    return strcmp(((const acv_import_dim *)a)->name, ((const acv_import_dim *)b)->name);
}

/* The row's disaggregation = {name = value, ...} (optional) into r->dims, sorted by name as the
 * row API wants them; names are strings, values strings or numbers. what names the call in
 * errors ("out:observation", "out:skip"). */
static void sink_dims(lua_State *L, acv_sink *s, acv_sink_row *r, const char *what)
{
    int type = lua_getfield(L, 2, "disaggregation");
    if (type == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    if (type != LUA_TTABLE)
        luaL_error(L, "%s: field 'disaggregation' must be a table {name = value}", what);
    int t = lua_gettop(L);
    size_t n = 0;
    lua_pushnil(L);
    while (lua_next(L, t) != 0) {
        n++;
        lua_pop(L, 1);
    }
    if (n > 64)
        luaL_error(L, "%s: more than 64 disaggregation dimensions", what);
    sink_reserve(L, s, n * sizeof *r->dims);
    r->dims = n ? acv_arena_alloc(&s->strings, n * sizeof *r->dims) : NULL;
    if (n && !r->dims)
        luaL_error(L, "%s: out of memory", what);
    lua_pushnil(L);
    while (lua_next(L, t) != 0) {
        if (lua_type(L, -2) != LUA_TSTRING)
            luaL_error(L, "%s: disaggregation names must be strings", what);
        char num[64];
        const char *v = NULL;
        if (lua_type(L, -1) == LUA_TSTRING) {
            v = lua_tostring(L, -1);
        } else if (lua_isinteger(L, -1)) {
            snprintf(num, sizeof num, "%lld", (long long)lua_tointeger(L, -1));
            v = num;
        } else if (lua_type(L, -1) == LUA_TNUMBER && isfinite(lua_tonumber(L, -1))) {
            snprintf(num, sizeof num, "%.17g", lua_tonumber(L, -1)); /* every digit */
            v = num;
        } else {
            luaL_error(L, "%s: disaggregation '%s' must be a string or number", what,
                       lua_tostring(L, -2));
        }
        acv_import_dim *d = &r->dims[r->n_dims++];
        sink_reserve(L, s, lua_rawlen(L, -2) + strlen(v) + 2);
        d->name = acv_arena_strdup(&s->strings, lua_tostring(L, -2));
        d->value = acv_arena_strdup(&s->strings, v);
        if (!d->name || !d->value)
            luaL_error(L, "%s: out of memory", what);
        lua_pop(L, 1); /* the value; the key stays for lua_next */
    }
    lua_pop(L, 1);
    qsort(r->dims, r->n_dims, sizeof *r->dims, dim_cmp);
}

/* out:observation{...}: one row for an importer; out:skip{file =, line =, reason =, ...}: a
 * source row the importer leaves out on purpose, its other fields (area, indicator, period,
 * value, ..., disaggregation) what it read, for the rejects file. An observation needs its area,
 * indicator, period and value; a skip its reason and file. Fields are read in the order their
 * errors should be reported. */
static int add_row(lua_State *L, int skip)
{
    const char *what = skip ? "out:skip" : "out:observation";
    acv_sink *s = sink_of(L);
    luaL_checktype(L, 2, LUA_TTABLE);
    sink_reserve(L, s, sizeof *s->rows);
    grown_or_raise(L, ACV_GROW(s->rows, s->cap_rows, s->n_rows, 256));
    acv_sink_row r = {0};
    if (skip) {
        r.skip = field_copy(L, s, 2, "reason", 1, what);
        r.file = field_copy(L, s, 2, "file", 1, what);
    }
    r.area = field_copy(L, s, 2, "area", !skip, what);
    r.indicator = field_copy(L, s, 2, "indicator", !skip, what);
    r.period = field_copy(L, s, 2, "period", !skip, what);
    r.value = field_copy(L, s, 2, "value", !skip, what);
    r.source = field_copy(L, s, 2, "source", 0, what);
    r.status = field_copy(L, s, 2, "status", 0, what);
    r.comment = field_copy(L, s, 2, "comment", 0, what);
    if (!skip)
        r.file = field_copy(L, s, 2, "file", 0, what);
    lua_getfield(L, 2, "line");
    r.line = (long)lua_tointeger(L, -1);
    lua_pop(L, 1);
    sink_dims(L, s, &r, what);
    s->rows[s->n_rows++] = r;
    return 0;
}

static int l_out_observation(lua_State *L)
{
    return add_row(L, 0);
}

static int l_out_skip(lua_State *L)
{
    return add_row(L, 1);
}

/* out:area{...}: an area for an importer to create when new. */
static int l_out_area(lua_State *L)
{
    acv_sink *s = sink_of(L);
    luaL_checktype(L, 2, LUA_TTABLE);
    sink_reserve(L, s, sizeof *s->areas);
    grown_or_raise(L, ACV_GROW(s->areas, s->cap_areas, s->n_areas, 8));
    acv_area a = {0};
    a.code = field_copy(L, s, 2, "code", 1, "out:area");
    a.name = field_copy(L, s, 2, "name", 1, "out:area");
    a.level = field_copy(L, s, 2, "level", 1, "out:area");
    a.parent_code = field_copy(L, s, 2, "parent", 0, "out:area");
    a.country = field_copy(L, s, 2, "country", 0, "out:area");
    a.source = field_copy(L, s, 2, "source", 0, "out:area");
    s->areas[s->n_areas++] = a;
    return 0;
}

/* out:series{code = "SDG:11.6.2", name =, unit =}: a data series outside the framework; codes
 * "SDG:<indicator code>" are used by framework indicators linked to that SDG indicator. */
static int l_out_series(lua_State *L)
{
    acv_sink *s = sink_of(L);
    luaL_checktype(L, 2, LUA_TTABLE);
    /* three strings a series; the capacity stays a multiple of three */
    grown_or_raise(L, ACV_GROW(s->series, s->cap_series, s->n_series + 2, 48));
    char *code = field_copy(L, s, 2, "code", 1, "out:series");
    char *name = field_copy(L, s, 2, "name", 1, "out:series");
    char *unit = field_copy(L, s, 2, "unit", 0, "out:series");
    if (strlen(code) > 100)
        return luaL_error(L, "out:series: code '%s' is too long", code);
    s->series[s->n_series++] = code;
    s->series[s->n_series++] = name;
    s->series[s->n_series++] = unit;
    return 0;
}

void acv_sink_push(lua_State *L, acv_sink *s)
{
    static const luaL_Reg fns[] = {
        {"series", l_out_series}, {"file", l_out_file}, {"observation", l_out_observation},
        {"skip", l_out_skip},     {"area", l_out_area}, {NULL, NULL}};
    lua_createtable(L, 0, 5);
    for (const luaL_Reg *fn = fns; fn->name; fn++) {
        lua_pushlightuserdata(L, s);
        lua_pushcclosure(L, fn->func, 1);
        lua_setfield(L, -2, fn->name);
    }
}

/* Writes every file completely before publishing any, so a failure leaves none of them behind. */
static acv_status write_files(const acv_sink *s, const char *output, acv_export_summary *sum,
                              acv_error *err)
{
    struct stat sb;
    size_t olen = strlen(output);
    int to_dir = s->n_files > 1 || output[olen - 1] == '/' ||
                 (stat(output, &sb) == 0 && S_ISDIR(sb.st_mode));
    acv_atomic_file **files = calloc(s->n_files + 1, sizeof *files);
    if (!files)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    acv_status st = ACV_OK;
    /* every name is checked before anything is written (out:file checked them already) */
    for (size_t i = 0; i < s->n_files && st == ACV_OK; i++)
        if (to_dir && !valid_output_name(s->files[i].name))
            st = acv_error_set(err, ACV_ERR_USAGE, "bad output file name '%s'", s->files[i].name);
    acv_buf path = {0};
    size_t opened = 0;
    for (size_t i = 0; i < s->n_files && st == ACV_OK; i++) {
        path.len = 0;
        if (to_dir)
            acv_buf_printf(&path, "%s%s%s", output, output[olen - 1] == '/' ? "" : "/",
                           s->files[i].name);
        else
            acv_buf_puts(&path, output);
        if (path.failed) {
            st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
            break;
        }
        if (i == 0)
            snprintf(sum->first_path, sizeof sum->first_path, "%s", path.data);
        st = acv_atomic_open(path.data, 1, &files[i], err);
        if (st != ACV_OK)
            break;
        opened++;
        if (s->files[i].buf.len && fwrite(s->files[i].buf.data, 1, s->files[i].buf.len,
                                          acv_atomic_stream(files[i])) != s->files[i].buf.len)
            st = acv_error_set(err, ACV_ERR_IO, "%s: cannot write: %s", path.data, strerror(errno));
    }
    /* all complete before any is published; publishing is all or none (atomicfile.h) */
    if (st == ACV_OK)
        st = acv_atomic_publish_all(files, opened, err);
    else
        for (size_t i = 0; i < opened; i++)
            acv_atomic_abandon(files[i]);
    if (st == ACV_OK)
        sum->files = s->n_files;
    else
        sum->first_path[0] = '\0';
    acv_buf_free(&path);
    free(files);
    return st;
}

acv_status acv_sink_write(const acv_sink *s, const char *plugin, const char *output,
                          acv_export_summary *sum, acv_error *err)
{
    if (output)
        return write_files(s, output, sum, err);
    if (s->n_files > 1)
        return acv_error_set(err, ACV_ERR_USAGE, "plugin '%s' writes %zu files; give -o FOLDER",
                             plugin, s->n_files);
    if (s->n_files == 0)
        return ACV_OK;
    if (fwrite(s->files[0].buf.data ? s->files[0].buf.data : "", 1, s->files[0].buf.len, stdout) !=
        s->files[0].buf.len)
        return acv_error_set(err, ACV_ERR_IO, "cannot write to standard output");
    sum->files = 1;
    snprintf(sum->first_path, sizeof sum->first_path, "-");
    return ACV_OK;
}
