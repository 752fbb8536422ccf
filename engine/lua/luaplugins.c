/*
 * luaplugins.c — the binding side of plugins (plugins.h): finding and loading plugin files,
 * checking their declarations, the read-only `acv` data API they call, and the output sink they
 * write to. Every conversion runs inside a protected call; memory the C side needs while Lua can
 * raise is owned by a userdata with a finalizer, so an error or a limit never leaks it.
 */
#include "plugins.h"
#include "csv.h"
#include "report.h"
#include "sandbox_lua.h"
#include "yamltree.h"

#include <dirent.h>
#include <errno.h>
#include <lauxlib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_PLUGINS 64
#define MAX_OUTPUT_BYTES (256u * 1024 * 1024)
#define MAX_OUTPUT_FILES 2000
#define MAX_INPUT_BYTES (64u * 1024 * 1024)
#define MAX_INPUT_FILES 5000

/* ---- where plugins are -------------------------------------------------------------------- */

typedef struct {
    char path[700];
    char display[700];
} plugin_file;

static int name_cmp(const void *a, const void *b)
{
    return strcmp(((const plugin_file *)a)->display, ((const plugin_file *)b)->display);
}

static size_t find_in(const char *root, const char *prefix, plugin_file *out, size_t n, size_t max)
{
    char dir[700];
    snprintf(dir, sizeof dir, "%s/plugins", root);
    DIR *d = opendir(dir);
    if (!d)
        return n;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < max) {
        if (e->d_name[0] == '.')
            continue;
        size_t len = strlen(e->d_name);
        struct stat sb;
        char path[700];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".lua") == 0 && stat(path, &sb) == 0 &&
            S_ISREG(sb.st_mode)) {
            snprintf(out[n].path, sizeof out[n].path, "%s", path);
            snprintf(out[n].display, sizeof out[n].display, "%splugins/%s", prefix, e->d_name);
            n++;
        } else if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
            char init[760];
            snprintf(init, sizeof init, "%s/init.lua", path);
            if (stat(init, &sb) == 0 && S_ISREG(sb.st_mode)) {
                snprintf(out[n].path, sizeof out[n].path, "%s", init);
                snprintf(out[n].display, sizeof out[n].display, "%splugins/%s/init.lua", prefix,
                         e->d_name);
                n++;
            }
        }
    }
    closedir(d);
    return n;
}

/* Overlay plugins first: one of the same name replaces the shipped one. */
static size_t plugin_files(acv_ctx *ctx, plugin_file *out, size_t max)
{
    size_t n = 0;
    if (ctx->overlay_dir) {
        const char *base = strrchr(ctx->overlay_dir, '/');
        base = base && base[1] ? base + 1 : ctx->overlay_dir;
        char prefix[300];
        snprintf(prefix, sizeof prefix, "%s/", base);
        n = find_in(ctx->overlay_dir, prefix, out, 0, max);
        qsort(out, n, sizeof *out, name_cmp);
    }
    size_t first = n;
    n = find_in(ctx->framework_dir, "", out, n, max);
    qsort(out + first, n - first, sizeof *out, name_cmp);
    return n;
}

/* ---- owners: C memory that Lua code may be unwound past ----------------------------------- */

typedef struct {
    void *ptr;
    void (*free_fn)(void *);
} owner;

static int owner_gc(lua_State *L)
{
    owner *o = luaL_checkudata(L, 1, "acv.Owner");
    if (o->ptr && o->free_fn)
        o->free_fn(o->ptr);
    o->ptr = NULL;
    return 0;
}

/* Pushes an owner of ptr; ptr is freed by free_fn when the owner is collected (or released). */
static owner *push_owner(lua_State *L, void *ptr, void (*free_fn)(void *))
{
    owner *o = lua_newuserdatauv(L, sizeof *o, 0);
    o->ptr = NULL;
    o->free_fn = free_fn;
    if (luaL_newmetatable(L, "acv.Owner")) {
        lua_pushcfunction(L, owner_gc);
        lua_setfield(L, -2, "__gc");
        lua_pushliteral(L, "locked");
        lua_setfield(L, -2, "__metatable");
    }
    lua_setmetatable(L, -2);
    o->ptr = ptr;
    return o;
}

static void release(owner *o)
{
    if (o->ptr && o->free_fn)
        o->free_fn(o->ptr);
    o->ptr = NULL;
}

/* ---- the output sink ---------------------------------------------------------------------- */

typedef struct {
    char name[256];
    acv_buf buf;
} out_file;

typedef struct {
    char *area, *indicator, *period, *value, *source, *status, *comment, *file;
    long line;
} out_row;

typedef struct {
    out_file *files;
    size_t n_files, cap_files;
    size_t bytes;
    out_row *rows;
    size_t n_rows, cap_rows;
    acv_area *areas;
    size_t n_areas, cap_areas;
    char **series; /* code, name, unit triples */
    size_t n_series, cap_series;
    acv_arena strings;
    int oom;
} sink;

static void sink_free(sink *s)
{
    for (size_t i = 0; i < s->n_files; i++)
        acv_buf_free(&s->files[i].buf);
    free(s->files);
    free(s->rows);
    free(s->areas);
    free(s->series);
    acv_arena_free(&s->strings);
}

typedef struct {
    acv_ctx *ctx;
    sink *out;
} run_state;

static run_state *state_of(lua_State *L)
{
    return lua_touserdata(L, lua_upvalueindex(1));
}

static int valid_output_name(const char *s)
{
    if (!*s || strlen(s) > 200 || s[0] == '/' || strstr(s, ".."))
        return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '-' || *p == '.' || *p == '/'))
            return 0;
    return 1;
}

static int l_file_write(lua_State *L)
{
    run_state *rs = state_of(L);
    size_t index = (size_t)lua_tointeger(L, lua_upvalueindex(2));
    out_file *f = &rs->out->files[index];
    int n = lua_gettop(L);
    for (int i = 2; i <= n; i++) { /* 1 is the file itself (f:write(...)) */
        size_t len;
        const char *s = luaL_checklstring(L, i, &len);
        if (rs->out->bytes + len > MAX_OUTPUT_BYTES)
            return luaL_error(L, "plugin output exceeds %u bytes", MAX_OUTPUT_BYTES);
        acv_buf_append(&f->buf, s, len);
        rs->out->bytes += len;
    }
    if (f->buf.failed)
        return luaL_error(L, "out of memory writing %s", f->name);
    return 0;
}

/* A cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV injection). */
static void csv_cell(acv_buf *b, const char *s, size_t len, int is_number)
{
    int quote = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
            quote = 1;
    int defuse =
        !is_number && len > 0 &&
        (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r');
    if (quote)
        acv_buf_puts(b, "\"");
    if (defuse)
        acv_buf_puts(b, "'");
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"')
            acv_buf_puts(b, "\"\"");
        else
            acv_buf_append(b, s + i, 1);
    }
    if (quote)
        acv_buf_puts(b, "\"");
}

static int l_file_csv(lua_State *L)
{
    run_state *rs = state_of(L);
    size_t index = (size_t)lua_tointeger(L, lua_upvalueindex(2));
    out_file *f = &rs->out->files[index];
    luaL_checktype(L, 2, LUA_TTABLE);
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
    size_t before = f->buf.len;
    for (lua_Integer i = 1; i <= n; i++) {
        if (i > 1)
            acv_buf_puts(&f->buf, ",");
        int t = lua_rawgeti(L, 2, i);
        if (t == LUA_TNUMBER) {
            char num[64];
            if (lua_isinteger(L, -1))
                snprintf(num, sizeof num, "%lld", (long long)lua_tointeger(L, -1));
            else
                snprintf(num, sizeof num, "%.15g", lua_tonumber(L, -1));
            acv_buf_puts(&f->buf, num);
        } else if (t == LUA_TSTRING) {
            size_t len;
            const char *s = lua_tolstring(L, -1, &len);
            csv_cell(&f->buf, s, len, 0);
        } else if (t == LUA_TBOOLEAN) {
            acv_buf_puts(&f->buf, lua_toboolean(L, -1) ? "true" : "false");
        } else if (t != LUA_TNIL) {
            return luaL_error(L, "csv: cell %d is a %s; cells are strings, numbers or nil", (int)i,
                              luaL_typename(L, -1));
        }
        lua_pop(L, 1);
    }
    acv_buf_puts(&f->buf, "\r\n");
    rs->out->bytes += f->buf.len - before;
    if (rs->out->bytes > MAX_OUTPUT_BYTES)
        return luaL_error(L, "plugin output exceeds %u bytes", MAX_OUTPUT_BYTES);
    if (f->buf.failed)
        return luaL_error(L, "out of memory writing %s", f->name);
    return 0;
}

static int l_out_file(lua_State *L)
{
    run_state *rs = state_of(L);
    sink *s = rs->out;
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
        if (s->n_files == s->cap_files) {
            size_t ncap = s->cap_files ? s->cap_files * 2 : 8;
            out_file *nf = realloc(s->files, ncap * sizeof *nf);
            if (!nf)
                return luaL_error(L, "out of memory");
            s->files = nf;
            s->cap_files = ncap;
        }
        memset(&s->files[index], 0, sizeof s->files[index]);
        snprintf(s->files[index].name, sizeof s->files[index].name, "%s", name);
        s->n_files++;
    }
    lua_createtable(L, 0, 3);
    lua_pushlightuserdata(L, rs);
    lua_pushinteger(L, (lua_Integer)index);
    lua_pushcclosure(L, l_file_write, 2);
    lua_setfield(L, -2, "write");
    lua_pushlightuserdata(L, rs);
    lua_pushinteger(L, (lua_Integer)index);
    lua_pushcclosure(L, l_file_csv, 2);
    lua_setfield(L, -2, "csv");
    lua_pushstring(L, name);
    lua_setfield(L, -2, "name");
    return 1;
}

static char *field_copy(lua_State *L, sink *s, int t, const char *key, int required,
                        const char *what)
{
    int type = lua_getfield(L, t, key);
    if (type == LUA_TNIL) {
        lua_pop(L, 1);
        if (required)
            luaL_error(L, "%s: missing field '%s'", what, key);
        return NULL;
    }
    if (type != LUA_TSTRING && type != LUA_TNUMBER)
        luaL_error(L, "%s: field '%s' must be a string or number", what, key);
    char buf[64];
    const char *v;
    if (type == LUA_TNUMBER && !lua_isinteger(L, -1)) {
        double d = lua_tonumber(L, -1);
        if (!isfinite(d))
            luaL_error(L, "%s: field '%s' is not a finite number", what, key);
        snprintf(buf, sizeof buf, "%.17g", d);
        v = buf;
    } else {
        v = lua_tostring(L, -1);
    }
    char *copy = acv_arena_strdup(&s->strings, v);
    lua_pop(L, 1);
    if (!copy)
        luaL_error(L, "out of memory");
    return copy;
}

static int l_out_observation(lua_State *L)
{
    run_state *rs = state_of(L);
    sink *s = rs->out;
    luaL_checktype(L, 2, LUA_TTABLE);
    if (s->n_rows == s->cap_rows) {
        size_t ncap = s->cap_rows ? s->cap_rows * 2 : 256;
        out_row *nr = realloc(s->rows, ncap * sizeof *nr);
        if (!nr)
            return luaL_error(L, "out of memory");
        s->rows = nr;
        s->cap_rows = ncap;
    }
    out_row r = {0};
    r.area = field_copy(L, s, 2, "area", 1, "out:observation");
    r.indicator = field_copy(L, s, 2, "indicator", 1, "out:observation");
    r.period = field_copy(L, s, 2, "period", 1, "out:observation");
    r.value = field_copy(L, s, 2, "value", 1, "out:observation");
    r.source = field_copy(L, s, 2, "source", 0, "out:observation");
    r.status = field_copy(L, s, 2, "status", 0, "out:observation");
    r.comment = field_copy(L, s, 2, "comment", 0, "out:observation");
    r.file = field_copy(L, s, 2, "file", 0, "out:observation");
    lua_getfield(L, 2, "line");
    r.line = (long)lua_tointeger(L, -1);
    lua_pop(L, 1);
    s->rows[s->n_rows++] = r;
    return 0;
}

static int l_out_area(lua_State *L)
{
    run_state *rs = state_of(L);
    sink *s = rs->out;
    luaL_checktype(L, 2, LUA_TTABLE);
    if (s->n_areas == s->cap_areas) {
        size_t ncap = s->cap_areas ? s->cap_areas * 2 : 8;
        acv_area *na = realloc(s->areas, ncap * sizeof *na);
        if (!na)
            return luaL_error(L, "out of memory");
        s->areas = na;
        s->cap_areas = ncap;
    }
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
    run_state *rs = state_of(L);
    sink *s = rs->out;
    luaL_checktype(L, 2, LUA_TTABLE);
    if (s->n_series + 3 > s->cap_series) {
        size_t ncap = s->cap_series ? s->cap_series * 2 : 48;
        char **ns = realloc(s->series, ncap * sizeof *ns);
        if (!ns)
            return luaL_error(L, "out of memory");
        s->series = ns;
        s->cap_series = ncap;
    }
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

static void push_sink(lua_State *L, run_state *rs)
{
    lua_createtable(L, 0, 4);
    lua_pushlightuserdata(L, rs);
    lua_pushcclosure(L, l_out_series, 1);
    lua_setfield(L, -2, "series");
    lua_pushlightuserdata(L, rs);
    lua_pushcclosure(L, l_out_file, 1);
    lua_setfield(L, -2, "file");
    lua_pushlightuserdata(L, rs);
    lua_pushcclosure(L, l_out_observation, 1);
    lua_setfield(L, -2, "observation");
    lua_pushlightuserdata(L, rs);
    lua_pushcclosure(L, l_out_area, 1);
    lua_setfield(L, -2, "area");
}

/* ---- the read-only data API --------------------------------------------------------------- */

static void set_str(lua_State *L, const char *k, const char *v)
{
    if (!v)
        return;
    lua_pushstring(L, v);
    lua_setfield(L, -2, k);
}

static void set_num(lua_State *L, const char *k, double v)
{
    lua_pushnumber(L, v);
    lua_setfield(L, -2, k);
}

typedef struct {
    acv_arena arena;
    acv_area *items;
    size_t n, cap;
    int oom;
} area_list;

static void area_list_free(void *p)
{
    area_list *l = p;
    acv_arena_free(&l->arena);
    free(l->items);
    free(l);
}

static int collect_area(void *ud, const acv_area *a)
{
    area_list *l = ud;
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 64;
        acv_area *ni = realloc(l->items, ncap * sizeof *ni);
        if (!ni) {
            l->oom = 1;
            return 1;
        }
        l->items = ni;
        l->cap = ncap;
    }
    acv_area c = *a;
    c.code = acv_arena_strdup(&l->arena, a->code);
    c.name = acv_arena_strdup(&l->arena, a->name);
    c.level = acv_arena_strdup(&l->arena, a->level);
    c.parent_code = acv_arena_strdup(&l->arena, a->parent_code);
    c.country = acv_arena_strdup(&l->arena, a->country);
    c.source = acv_arena_strdup(&l->arena, a->source);
    l->items[l->n++] = c;
    return 0;
}

static int l_areas(lua_State *L)
{
    run_state *rs = state_of(L);
    area_list *l = calloc(1, sizeof *l);
    if (!l)
        return luaL_error(L, "out of memory");
    owner *o = push_owner(L, l, area_list_free);
    acv_error err;
    if (acv_store_each_area(rs->ctx->store, collect_area, l, &err) != ACV_OK || l->oom)
        return luaL_error(L, "%s", l->oom ? "out of memory" : err.message);
    lua_createtable(L, (int)l->n, 0);
    for (size_t i = 0; i < l->n; i++) {
        const acv_area *a = &l->items[i];
        lua_createtable(L, 0, 8);
        set_str(L, "code", a->code);
        set_str(L, "name", a->name);
        set_str(L, "level", a->level);
        set_str(L, "parent", a->parent_code);
        set_str(L, "country", a->country);
        set_str(L, "source", a->source);
        if (a->has_population) {
            set_num(L, "population", a->population);
            lua_pushinteger(L, a->population_year);
            lua_setfield(L, -2, "population_year");
        }
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    release(o);
    return 1;
}

typedef struct {
    acv_arena arena;
    char **codes, **periods;
    double *values;
    size_t n, cap;
    int oom;
} obs_list;

static void obs_list_free(void *p)
{
    obs_list *l = p;
    acv_arena_free(&l->arena);
    free(l->codes);
    free(l->periods);
    free(l->values);
    free(l);
}

static int collect_obs(void *ud, const char *code, const char *period, double value)
{
    obs_list *l = ud;
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 256;
        char **c = realloc(l->codes, ncap * sizeof *c);
        if (c)
            l->codes = c;
        char **p = realloc(l->periods, ncap * sizeof *p);
        if (p)
            l->periods = p;
        double *v = realloc(l->values, ncap * sizeof *v);
        if (v)
            l->values = v;
        if (!c || !p || !v) {
            l->oom = 1;
            return 1;
        }
        l->cap = ncap;
    }
    l->codes[l->n] = acv_arena_strdup(&l->arena, code);
    l->periods[l->n] = acv_arena_strdup(&l->arena, period);
    l->values[l->n] = value;
    l->n++;
    return 0;
}

/* acv.observations{area = CODE, indicator = ID (optional)}: totals, ordered by indicator and
 * period. */
static int l_observations(lua_State *L)
{
    run_state *rs = state_of(L);
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_getfield(L, 1, "area");
    const char *area = luaL_checkstring(L, -1);
    lua_getfield(L, 1, "indicator");
    const char *indicator = luaL_optstring(L, -1, NULL);
    obs_list *l = calloc(1, sizeof *l);
    if (!l)
        return luaL_error(L, "out of memory");
    owner *o = push_owner(L, l, obs_list_free);
    acv_area a;
    acv_error err;
    if (acv_store_get_area(rs->ctx->store, area, &a, &err) != ACV_OK)
        return luaL_error(L, "%s", err.message);
    if (acv_store_area_observations(rs->ctx->store, a.id, 9999, collect_obs, l, &err) != ACV_OK ||
        l->oom)
        return luaL_error(L, "%s", l->oom ? "out of memory" : err.message);
    lua_newtable(L);
    lua_Integer k = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (indicator && strcmp(indicator, l->codes[i]) != 0)
            continue;
        lua_createtable(L, 0, 4);
        set_str(L, "indicator", l->codes[i]);
        set_str(L, "period", l->periods[i]);
        lua_pushinteger(L, atoi(l->periods[i]));
        lua_setfield(L, -2, "year");
        set_num(L, "value", l->values[i]);
        lua_rawseti(L, -2, ++k);
    }
    release(o);
    return 1;
}

static void push_framework(lua_State *L, const acv_framework *fw)
{
    lua_createtable(L, 0, 6);
    set_str(L, "id", fw->id);
    set_str(L, "name", fw->name);
    set_str(L, "version", fw->version);
    lua_createtable(L, (int)fw->n_pillars, 0);
    for (size_t p = 0; p < fw->n_pillars; p++) {
        lua_createtable(L, 0, 2);
        set_str(L, "id", fw->pillars[p].id);
        set_str(L, "name", fw->pillars[p].name);
        lua_rawseti(L, -2, (lua_Integer)p + 1);
    }
    lua_setfield(L, -2, "pillars");
    lua_createtable(L, (int)fw->n_action_areas, 0);
    for (size_t a = 0; a < fw->n_action_areas; a++) {
        lua_createtable(L, 0, 3);
        set_str(L, "id", fw->action_areas[a].id);
        set_str(L, "name", fw->action_areas[a].name);
        set_str(L, "pillar", fw->pillars[fw->action_areas[a].pillar].id);
        lua_rawseti(L, -2, (lua_Integer)a + 1);
    }
    lua_setfield(L, -2, "action_areas");
    lua_createtable(L, (int)fw->n_indicators, 0);
    for (size_t i = 0; i < fw->n_indicators; i++) {
        const acv_indicator *ind = &fw->indicators[i];
        lua_createtable(L, 0, 16);
        set_str(L, "id", ind->id);
        set_str(L, "name", ind->name);
        set_str(L, "short_name", ind->short_name);
        set_str(L, "definition", ind->definition);
        set_str(L, "unit", ind->unit);
        set_str(L, "direction", acv_direction_name(ind->direction));
        set_str(L, "action_area", fw->action_areas[ind->action_area].id);
        set_str(L, "pillar", fw->pillars[fw->action_areas[ind->action_area].pillar].id);
        lua_pushboolean(L, ind->core);
        lua_setfield(L, -2, "core");
        lua_pushboolean(L, ind->local);
        lua_setfield(L, -2, "local");
        if (ind->has_bounds) {
            set_num(L, "worst", ind->worst);
            set_num(L, "best", ind->best);
        }
        lua_createtable(L, (int)ind->n_sdg, 0);
        for (size_t s = 0; s < ind->n_sdg; s++) {
            lua_pushstring(L, ind->sdg[s]);
            lua_rawseti(L, -2, (lua_Integer)s + 1);
        }
        lua_setfield(L, -2, "sdg");
        set_str(L, "sdg_relation", ind->sdg_relation);
        lua_createtable(L, 0, (int)ind->n_targets);
        for (size_t t = 0; t < ind->n_targets; t++) {
            const acv_target *tg = &ind->targets[t];
            char desc[160];
            acv_target_describe(ind, tg, desc, sizeof desc);
            lua_createtable(L, 0, 6);
            set_str(L, "kind", tg->kind);
            if (tg->has_value)
                set_num(L, "value", tg->value);
            set_str(L, "baseline", tg->baseline);
            set_str(L, "provenance", tg->provenance);
            set_str(L, "reference", tg->reference);
            set_str(L, "text", desc);
            lua_rawseti(L, -2, tg->year);
        }
        lua_setfield(L, -2, "targets");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "indicators");
}

static int l_framework(lua_State *L)
{
    push_framework(L, state_of(L)->ctx->fw);
    return 1;
}

static void free_model(void *p)
{
    acv_report_model_free(p);
}

static void push_result(lua_State *L, const acv_result *r)
{
    lua_createtable(L, 0, 10);
    if (!r->code)
        return;
    if (r->has_value)
        set_num(L, "value", r->value);
    set_str(L, "period", r->period);
    if (r->has_score)
        set_num(L, "score", r->score);
    lua_pushinteger(L, r->n_scored);
    lua_setfield(L, -2, "n_scored");
    lua_pushinteger(L, r->n_total);
    lua_setfield(L, -2, "n_total");
    set_str(L, "note", r->note);
    set_str(L, "class", r->class_name);
    if (r->class_name) {
        set_str(L, "class_label", acv_class_label(r->class_name));
        set_str(L, "symbol", acv_class_symbol(r->class_name));
    }
    lua_pushboolean(L, r->imputed);
    lua_setfield(L, -2, "imputed");
    if (r->has_target_gap)
        set_num(L, "target_gap", r->target_gap);
}

/* acv.results(area[, year]): the report model of the latest stored run, as plain tables. */
static int l_results(lua_State *L)
{
    run_state *rs = state_of(L);
    const char *area = luaL_checkstring(L, 1);
    int year = (int)luaL_optinteger(L, 2, 0);
    acv_report_model *m = NULL;
    acv_error err;
    if (acv_report_model_load(rs->ctx, area, year, &m, &err) != ACV_OK)
        return luaL_error(L, "%s", err.message);
    owner *o = push_owner(L, m, free_model);
    const acv_framework *fw = m->fw;
    lua_createtable(L, 0, 12);
    lua_createtable(L, 0, 6);
    set_str(L, "code", m->code);
    set_str(L, "name", m->name);
    set_str(L, "level", m->level);
    set_str(L, "country", m->country);
    if (m->has_population)
        set_num(L, "population", m->population);
    lua_setfield(L, -2, "area");
    lua_createtable(L, 0, 8);
    lua_pushinteger(L, m->run_id);
    lua_setfield(L, -2, "id");
    lua_pushinteger(L, m->year);
    lua_setfield(L, -2, "year");
    set_str(L, "created_at", m->created_at);
    set_str(L, "engine_version", m->engine_version);
    set_str(L, "framework_hash", m->framework_hash);
    set_str(L, "data_hash", m->data_hash);
    set_str(L, "methods_hash", m->methods_hash);
    set_str(L, "overlay", m->overlay);
    lua_setfield(L, -2, "run");
    push_result(L, &m->overall);
    lua_setfield(L, -2, "overall");
    lua_createtable(L, 0, (int)fw->n_pillars);
    for (size_t p = 0; p < fw->n_pillars; p++) {
        push_result(L, &m->pillars[p]);
        lua_setfield(L, -2, fw->pillars[p].id);
    }
    lua_setfield(L, -2, "pillars");
    lua_createtable(L, 0, (int)fw->n_action_areas);
    for (size_t a = 0; a < fw->n_action_areas; a++) {
        push_result(L, &m->action_areas[a]);
        lua_setfield(L, -2, fw->action_areas[a].id);
    }
    lua_setfield(L, -2, "action_areas");
    lua_createtable(L, 0, (int)fw->n_indicators);
    for (size_t i = 0; i < fw->n_indicators; i++) {
        push_result(L, &m->indicators[i]);
        lua_setfield(L, -2, fw->indicators[i].id);
    }
    lua_setfield(L, -2, "indicators");
    if (m->has_alignment) {
        push_result(L, &m->alignment_overall);
        lua_setfield(L, -2, "alignment");
    }
    lua_createtable(L, (int)m->n_priorities, 0);
    for (size_t i = 0; i < m->n_priorities; i++) {
        lua_createtable(L, 0, 4);
        set_str(L, "action_area", m->priorities[i].code);
        set_num(L, "priority", m->priorities[i].value);
        set_str(L, "reasons", m->priorities[i].note);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "priorities");
    lua_createtable(L, (int)m->n_changes, 0);
    for (size_t i = 0; i < m->n_changes; i++) {
        lua_pushstring(L, m->changes[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "overlay_changes");
    release(o);
    return 1;
}

static void csv_close(void *p)
{
    acv_csv_close(p);
}

static void fp_close(void *p)
{
    fclose(p);
}

/* acv.parse_csv(text, name): the engine's strict RFC 4180 reader; rows are arrays of strings
 * with a `line` field. Errors raise "name:line: message". */
static int l_parse_csv(lua_State *L)
{
    size_t len;
    const char *text = luaL_checklstring(L, 1, &len);
    const char *name = luaL_optstring(L, 2, "csv");
    FILE *fp = fmemopen((void *)text, len ? len : 1, "rb");
    if (!fp)
        return luaL_error(L, "cannot read %s", name);
    if (len == 0) {
        fclose(fp);
        lua_newtable(L);
        return 1;
    }
    /* the stream is closed by the reader's owner (below) or here */
    acv_csv *csv = NULL;
    acv_error err;
    if (acv_csv_open_stream(fp, name, &csv, &err) != ACV_OK) {
        fclose(fp);
        return luaL_error(L, "%s", err.message);
    }
    /* closing the reader does not close a stream it did not open: two owners, reader first */
    owner *o2 = push_owner(L, fp, fp_close);
    owner *o = push_owner(L, csv, csv_close);
    lua_newtable(L);
    int rows = lua_gettop(L);
    lua_Integer k = 0;
    int rc;
    while ((rc = acv_csv_next(csv, &err)) == 1) {
        size_t n = acv_csv_count(csv);
        lua_createtable(L, (int)n, 1);
        for (size_t i = 0; i < n; i++) {
            lua_pushlstring(L, acv_csv_field(csv, i), acv_csv_field_len(csv, i));
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        lua_pushinteger(L, acv_csv_line(csv));
        lua_setfield(L, -2, "line");
        lua_rawseti(L, rows, ++k);
    }
    if (rc < 0) {
        lua_pushstring(L, err.message);
        release(o);
        release(o2);
        return lua_error(L);
    }
    release(o);
    release(o2);
    lua_pushvalue(L, rows);
    return 1;
}

static void push_yaml(lua_State *L, const yt_node *n)
{
    luaL_checkstack(L, 4, "YAML nesting");
    if (!n) {
        lua_pushnil(L);
        return;
    }
    if (n->kind == YT_SCALAR) {
        lua_pushlstring(L, n->str, n->len);
        return;
    }
    lua_createtable(L, n->kind == YT_SEQ ? (int)n->count : 0,
                    n->kind == YT_MAP ? (int)n->count : 0);
    for (size_t i = 0; i < n->count; i++) {
        if (n->kind == YT_MAP) {
            lua_pushlstring(L, n->keys[i]->str, n->keys[i]->len);
            push_yaml(L, n->items[i]);
            lua_rawset(L, -3);
        } else {
            push_yaml(L, n->items[i]);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
    }
}

static void yt_free_any(void *p)
{
    yt_free(p);
}

/* acv.parse_yaml(text, name): the engine's bounded YAML reader; scalars stay strings. */
static int l_parse_yaml(lua_State *L)
{
    size_t len;
    const char *text = luaL_checklstring(L, 1, &len);
    const char *name = luaL_optstring(L, 2, "yaml");
    yt_doc *doc = NULL;
    acv_error err;
    if (yt_parse_buffer(text, len, name, &doc, &err) != ACV_OK)
        return luaL_error(L, "%s", err.message);
    owner *o = push_owner(L, doc, yt_free_any);
    push_yaml(L, yt_root(doc));
    lua_remove(L, -2);
    release(o);
    return 1;
}

static void push_api(lua_State *L, run_state *rs)
{
    static const luaL_Reg fns[] = {{"areas", l_areas},
                                   {"observations", l_observations},
                                   {"framework", l_framework},
                                   {"results", l_results},
                                   {"parse_csv", l_parse_csv},
                                   {"parse_yaml", l_parse_yaml},
                                   {NULL, NULL}};
    lua_createtable(L, 0, 8);
    for (const luaL_Reg *f = fns; f->name; f++) {
        lua_pushlightuserdata(L, rs);
        lua_pushcclosure(L, f->func, 1);
        lua_setfield(L, -2, f->name);
    }
    lua_pushinteger(L, ACV_PLUGIN_API);
    lua_setfield(L, -2, "api");
#ifdef ACV_VERSION
    lua_pushliteral(L, ACV_VERSION);
    lua_setfield(L, -2, "version");
#endif
}

/* ---- declarations ------------------------------------------------------------------------- */

static const char *const KINDS[] = {"exporter", "importer", "renderer", "validator", NULL};

/* Checks the table a plugin file returned (on top of the stack) and fills info. */
static int protected_declaration(lua_State *L)
{
    acv_plugin_info *info = lua_touserdata(L, 1);
    int t = 2;
    if (!lua_istable(L, t))
        return luaL_error(L, "%s must return a table (name, version, kind, ...)", info->file);
    lua_getfield(L, t, "api");
    if (lua_tointeger(L, -1) != ACV_PLUGIN_API)
        return luaL_error(L, "%s: 'api' must be %d (this acvtrack's plugin interface)", info->file,
                          ACV_PLUGIN_API);
    const char *strings[] = {"name", "version", "kind", "description"};
    char *dest[] = {info->name, info->version, info->kind, info->description};
    size_t size[] = {sizeof info->name, sizeof info->version, sizeof info->kind,
                     sizeof info->description};
    for (int i = 0; i < 4; i++) {
        if (lua_getfield(L, t, strings[i]) != LUA_TSTRING)
            return luaL_error(L, "%s: '%s' must be a string", info->file, strings[i]);
        snprintf(dest[i], size[i], "%s", lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    int kind_ok = 0;
    for (const char *const *k = KINDS; *k; k++)
        if (strcmp(*k, info->kind) == 0)
            kind_ok = 1;
    if (!kind_ok)
        return luaL_error(L,
                          "%s: 'kind' must be exporter, importer, renderer or validator, not "
                          "'%s'",
                          info->file, info->kind);
    const char *fn = strcmp(info->kind, "importer") == 0    ? "import"
                     : strcmp(info->kind, "validator") == 0 ? "validate"
                     : strcmp(info->kind, "renderer") == 0  ? "render"
                                                            : "export";
    lua_getfield(L, t, fn);
    if (!lua_isfunction(L, -1))
        return luaL_error(L, "%s: an %s must provide a function '%s'", info->file, info->kind, fn);
    lua_pop(L, 1);
    info->options[0] = '\0';
    if (lua_getfield(L, t, "options") == LUA_TTABLE) {
        lua_Integer n = luaL_len(L, -1);
        size_t used = 0;
        for (lua_Integer i = 1; i <= n; i++) {
            lua_rawgeti(L, -1, i);
            if (!lua_istable(L, -1))
                return luaL_error(L, "%s: options[%d] must be a table {name =, help =}", info->file,
                                  (int)i);
            lua_getfield(L, -1, "name");
            lua_getfield(L, -2, "help");
            const char *oname = lua_tostring(L, -2), *help = lua_tostring(L, -1);
            if (!oname)
                return luaL_error(L, "%s: options[%d] has no name", info->file, (int)i);
            int w = snprintf(info->options + used, sizeof info->options - used, "%s%s: %s",
                             used ? "\n" : "", oname, help ? help : "");
            if (w > 0 && used + (size_t)w < sizeof info->options)
                used += (size_t)w;
            lua_pop(L, 3);
        }
    }
    lua_pop(L, 1);
    return 0;
}

/* Loads one plugin file; leaves its table on the stack when ok. */
static acv_status load_plugin(acv_ctx *ctx, const plugin_file *pf, acv_plugin_info *info,
                              acv_error *err)
{
    memset(info, 0, sizeof *info);
    snprintf(info->file, sizeof info->file, "%s", pf->display);
    acv_status st = acv_lua_load_path(ctx->lua, pf->path, pf->display, err);
    if (st != ACV_OK)
        return st;
    lua_State *L = acv_lua_state(ctx->lua);
    lua_pushcfunction(L, protected_declaration);
    lua_pushlightuserdata(L, info);
    lua_pushvalue(L, -3);
    st = acv_lua_pcall(ctx->lua, 2, 0, err);
    if (st != ACV_OK)
        lua_pop(L, 1);
    return st;
}

acv_status acv_plugins_list(acv_ctx *ctx, acv_plugin_info **out, size_t *n, acv_error *err)
{
    *out = NULL;
    *n = 0;
    plugin_file *files = calloc(MAX_PLUGINS, sizeof *files);
    acv_plugin_info *infos = calloc(MAX_PLUGINS, sizeof *infos);
    if (!files || !infos) {
        free(files);
        free(infos);
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    }
    size_t nf = plugin_files(ctx, files, MAX_PLUGINS);
    acv_status st = ACV_OK;
    for (size_t i = 0; i < nf && st == ACV_OK; i++) {
        st = load_plugin(ctx, &files[i], &infos[*n], err);
        if (st != ACV_OK)
            break;
        lua_pop(acv_lua_state(ctx->lua), 1);
        int duplicate = 0;
        for (size_t k = 0; k < *n; k++)
            if (strcmp(infos[k].name, infos[*n].name) == 0)
                duplicate = 1; /* an overlay's plugin replaces the shipped one */
        if (!duplicate)
            (*n)++;
    }
    free(files);
    if (st != ACV_OK) {
        free(infos);
        *n = 0;
        return st;
    }
    *out = infos;
    return ACV_OK;
}

/* Finds the plugin named `name` and leaves its table on the stack. */
static acv_status find_plugin(acv_ctx *ctx, const char *name, const char *kind_a,
                              const char *kind_b, acv_plugin_info *info, acv_error *err)
{
    plugin_file *files = calloc(MAX_PLUGINS, sizeof *files);
    if (!files)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    size_t nf = plugin_files(ctx, files, MAX_PLUGINS);
    lua_State *L = acv_lua_state(ctx->lua);
    for (size_t i = 0; i < nf; i++) {
        acv_status st = load_plugin(ctx, &files[i], info, err);
        if (st != ACV_OK) {
            free(files);
            return st;
        }
        if (strcmp(info->name, name) == 0) {
            free(files);
            if (strcmp(info->kind, kind_a) != 0 && (!kind_b || strcmp(info->kind, kind_b) != 0)) {
                lua_pop(L, 1);
                return acv_error_set(err, ACV_ERR_USAGE, "plugin '%s' (%s) is an %s, not an %s",
                                     name, info->file, info->kind, kind_a);
            }
            return ACV_OK;
        }
        lua_pop(L, 1);
    }
    free(files);
    return acv_error_set(err, ACV_ERR_NOTFOUND, "no plugin named '%s' (see 'acvtrack plugins')",
                         name);
}

static int push_options(lua_State *L, const char *const *opts, size_t n)
{
    lua_createtable(L, 0, (int)n);
    for (size_t i = 0; i < n; i++) {
        const char *eq = strchr(opts[i], '=');
        if (!eq)
            continue;
        lua_pushlstring(L, opts[i], (size_t)(eq - opts[i]));
        lua_pushstring(L, eq + 1);
        lua_rawset(L, -3);
    }
    return 1;
}

typedef struct {
    run_state *rs;
    const char *fn;
    const char *const *opts;
    size_t n_opts;
    const char *const *input_names; /* importer inputs */
    const char *const *input_paths;
    size_t n_inputs;
} call_args;

static void free_text(void *p)
{
    free(p);
}

/* plugin[fn](ctx) with ctx = {acv = API, out = sink, options = {...}, inputs = {...}} */
static int protected_run(lua_State *L)
{
    call_args *a = lua_touserdata(L, 1);
    int plugin = 2;
    lua_getfield(L, plugin, a->fn);
    lua_createtable(L, 0, 4);
    push_api(L, a->rs);
    lua_setfield(L, -2, "acv");
    push_sink(L, a->rs);
    lua_setfield(L, -2, "out");
    push_options(L, a->opts, a->n_opts);
    lua_setfield(L, -2, "options");
    if (a->n_inputs) {
        lua_createtable(L, (int)a->n_inputs, 0);
        for (size_t i = 0; i < a->n_inputs; i++) {
            char *text = NULL;
            size_t len = 0;
            int rc = acv_read_file(a->input_paths[i], MAX_INPUT_BYTES, &text, &len);
            if (rc != 0)
                return luaL_error(L, "%s: cannot read (%s)", a->input_names[i],
                                  rc == -2 ? "too large" : strerror(errno));
            owner *o = push_owner(L, text, free_text);
            lua_createtable(L, 0, 2);
            lua_pushstring(L, a->input_names[i]);
            lua_setfield(L, -2, "name");
            lua_pushlstring(L, text, len);
            lua_setfield(L, -2, "text");
            release(o);
            lua_rawseti(L, -3, (lua_Integer)i + 1);
            lua_pop(L, 1);
        }
        lua_setfield(L, -2, "inputs");
    }
    lua_call(L, 1, 0);
    return 0;
}

/* Whether msg starts with a Lua position, "chunk:line:" (what error(msg) and runtime errors
 * add, and error(msg, 0) does not). */
static int has_position(const char *msg)
{
    size_t chunk = strcspn(msg, ": \n");
    size_t digits = msg[chunk] == ':' ? strspn(msg + chunk + 1, "0123456789") : 0;
    return chunk > 0 && digits > 0 && msg[chunk + 1 + digits] == ':';
}

/* Every --opt key must be one of the plugin's declared options (info->options, "name: help"
 * lines), so a typo is refused instead of silently ignored; area and year are always accepted,
 * since --area and --year pass them to every plugin. */
static acv_status check_options(const acv_plugin_info *info, const call_args *a, acv_error *err)
{
    for (size_t i = 0; i < a->n_opts; i++) {
        size_t klen = strcspn(a->opts[i], "=");
        int known = (klen == 4 && strncmp(a->opts[i], "area", 4) == 0) ||
                    (klen == 4 && strncmp(a->opts[i], "year", 4) == 0);
        char names[sizeof info->options] = "";
        for (const char *o = info->options; *o;
             o += strcspn(o, "\n") + (o[strcspn(o, "\n")] != 0)) {
            size_t n = strcspn(o, ":\n");
            known |= n == klen && strncmp(o, a->opts[i], klen) == 0;
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%.*s",
                     names[0] ? ", " : "", (int)n, o);
        }
        if (!known)
            return acv_error_set(err, ACV_ERR_USAGE, "plugin '%s' has no option '%.*s' (%s%s)",
                                 info->name, (int)klen, a->opts[i],
                                 names[0] ? "its options: " : "it declares no options",
                                 names[0] ? names : "");
    }
    return ACV_OK;
}

/* Runs fn of the plugin table on top of the stack (popped). */
static acv_status run_plugin(acv_ctx *ctx, const acv_plugin_info *info, call_args *a,
                             acv_error *err)
{
    lua_State *L = acv_lua_state(ctx->lua);
    if (check_options(info, a, err) != ACV_OK) {
        lua_pop(L, 1);
        return err->status;
    }
    lua_pushcfunction(L, protected_run);
    lua_pushlightuserdata(L, a);
    lua_rotate(L, -3, 2); /* fn, args, plugin */
    acv_status st = acv_lua_pcall(ctx->lua, 2, 0, err);
    /* error(msg, 0) is how a plugin reports the user's mistake (docs/plugins.md): the message
     * alone, without the traceback the sandbox adds for script errors */
    char *tb = st != ACV_OK ? strstr(err->message, "\nstack traceback:\n\t[C]: in function 'error'")
                            : NULL;
    if (tb && !has_position(err->message))
        *tb = '\0';
    if (st != ACV_OK)
        acv_error_prefix(err, "plugin '%s' (%s) failed; nothing was written", info->name,
                         info->file);
    if (st == ACV_OK && a->rs->out->oom)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory collecting the output of '%s'",
                           info->name);
    return st;
}

static int mkdirs(const char *path)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0755) != 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    }
    if (mkdir(buf, 0755) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

/* Writes every file to a temporary name first and renames them only when all were written, so a
 * failure leaves none of them behind. */
static acv_status write_outputs(const sink *s, const char *output, acv_export_summary *sum,
                                acv_error *err)
{
    struct stat sb;
    int to_dir = s->n_files > 1 || (output[strlen(output) - 1] == '/') ||
                 (stat(output, &sb) == 0 && S_ISDIR(sb.st_mode));
    char(*final)[1024] = calloc(s->n_files + 1, sizeof *final);
    char(*tmp)[1100] = calloc(s->n_files + 1, sizeof *tmp);
    if (!final || !tmp) {
        free(final);
        free(tmp);
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    }
    acv_status st = ACV_OK;
    size_t written = 0;
    for (size_t i = 0; i < s->n_files && st == ACV_OK; i++) {
        if (to_dir)
            snprintf(final[i], sizeof final[i], "%s%s%s", output,
                     output[strlen(output) - 1] == '/' ? "" : "/", s->files[i].name);
        else
            snprintf(final[i], sizeof final[i], "%s", output);
        char dir[1024];
        snprintf(dir, sizeof dir, "%s", final[i]);
        char *slash = strrchr(dir, '/');
        if (slash && slash != dir) {
            *slash = '\0';
            if (mkdirs(dir) != 0) {
                st = acv_error_set(err, ACV_ERR_IO, "%s: cannot create the folder: %s", dir,
                                   strerror(errno));
                break;
            }
        }
        snprintf(tmp[i], sizeof tmp[i], "%s.tmp.%ld", final[i], (long)getpid());
        FILE *f = fopen(tmp[i], "wb");
        int ok = f != NULL;
        if (ok && s->files[i].buf.len)
            ok = fwrite(s->files[i].buf.data, 1, s->files[i].buf.len, f) == s->files[i].buf.len;
        if (f)
            ok = fclose(f) == 0 && ok;
        if (!ok) {
            st = acv_error_set(err, ACV_ERR_IO, "%s: cannot write: %s", final[i], strerror(errno));
            remove(tmp[i]);
            break;
        }
        written++;
    }
    for (size_t i = 0; i < written; i++) {
        if (st == ACV_OK && rename(tmp[i], final[i]) != 0)
            st = acv_error_set(err, ACV_ERR_IO, "%s: cannot write: %s", final[i], strerror(errno));
        if (st != ACV_OK)
            remove(tmp[i]);
    }
    if (st == ACV_OK && s->n_files) {
        sum->files = s->n_files;
        snprintf(sum->first_path, sizeof sum->first_path, "%s", final[0]);
    }
    free(final);
    free(tmp);
    return st;
}

acv_status acv_plugin_export(acv_ctx *ctx, const char *name, const char *const *opts, size_t n_opts,
                             const char *output, acv_export_summary *sum, acv_error *err)
{
    memset(sum, 0, sizeof *sum);
    acv_plugin_info info;
    acv_status st = find_plugin(ctx, name, "exporter", "renderer", &info, err);
    if (st != ACV_OK)
        return st;
    sink s = {0};
    run_state rs = {ctx, &s};
    call_args a = {
        &rs, strcmp(info.kind, "renderer") == 0 ? "render" : "export", opts, n_opts, NULL, NULL, 0};
    st = run_plugin(ctx, &info, &a, err);
    if (st == ACV_OK && s.n_files == 0)
        st = acv_error_set(err, ACV_ERR_SCRIPT, "plugin '%s' (%s) wrote nothing", name, info.file);
    if (st == ACV_OK) {
        sum->bytes = s.bytes;
        if (!output) {
            if (s.n_files > 1)
                st = acv_error_set(err, ACV_ERR_USAGE,
                                   "plugin '%s' writes %zu files; give -o FOLDER", name, s.n_files);
            else if (fwrite(s.files[0].buf.data ? s.files[0].buf.data : "", 1, s.files[0].buf.len,
                            stdout) != s.files[0].buf.len)
                st = acv_error_set(err, ACV_ERR_IO, "cannot write to standard output");
            else {
                sum->files = 1;
                snprintf(sum->first_path, sizeof sum->first_path, "-");
            }
        } else {
            st = write_outputs(&s, output, sum, err);
        }
    }
    sink_free(&s);
    return st;
}

/* ---- importer inputs ---------------------------------------------------------------------- */

typedef struct {
    char **paths, **names;
    size_t n, cap;
} input_list;

static void input_list_free(input_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->paths[i]);
        free(l->names[i]);
    }
    free(l->paths);
    free(l->names);
}

static int input_add(input_list *l, const char *path, const char *name)
{
    if (l->n == MAX_INPUT_FILES)
        return -2;
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 64;
        char **p = realloc(l->paths, ncap * sizeof *p);
        if (!p)
            return -1;
        l->paths = p;
        char **nm = realloc(l->names, ncap * sizeof *nm);
        if (!nm)
            return -1;
        l->names = nm;
        l->cap = ncap;
    }
    l->paths[l->n] = strdup(path);
    l->names[l->n] = strdup(name);
    if (!l->paths[l->n] || !l->names[l->n]) {
        free(l->paths[l->n]);
        free(l->names[l->n]);
        return -1;
    }
    l->n++;
    return 0;
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the regular files under path (recursively, in name order); names are relative to the
 * folder given, prefixed with its last component. */
static int input_walk(input_list *l, const char *path, const char *name, int depth)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return -3;
    if (S_ISREG(sb.st_mode))
        return input_add(l, path, name);
    if (!S_ISDIR(sb.st_mode) || depth > 8)
        return 0;
    DIR *d = opendir(path);
    if (!d)
        return -3;
    char **entries = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **ne = realloc(entries, cap * sizeof *ne);
            if (!ne) {
                rc = -1;
                break;
            }
            entries = ne;
        }
        if (!(entries[n] = strdup(e->d_name))) {
            rc = -1;
            break;
        }
        n++;
    }
    closedir(d);
    if (rc == 0)
        qsort(entries, n, sizeof *entries, str_cmp);
    for (size_t i = 0; i < n && rc == 0; i++) {
        char child[1024], child_name[1024];
        snprintf(child, sizeof child, "%s/%s", path, entries[i]);
        snprintf(child_name, sizeof child_name, "%s/%s", name, entries[i]);
        rc = input_walk(l, child, child_name, depth + 1);
    }
    for (size_t i = 0; i < n; i++)
        free(entries[i]);
    free(entries);
    return rc;
}

/* Rewrites "tmpname:LINE: message" from the generated CSV into the plugin's own file:line. */
static void map_error_line(acv_error *err, const char *tmp_display, const sink *s,
                           const char *plugin)
{
    size_t n = strlen(tmp_display);
    if (strncmp(err->message, tmp_display, n) != 0 || err->message[n] != ':')
        return;
    long line = strtol(err->message + n + 1, NULL, 10);
    const char *rest = strchr(err->message + n + 1, ':');
    char msg[ACV_ERROR_MAX];
    long row = line - 2; /* the header is line 1 */
    if (row >= 0 && (size_t)row < s->n_rows && s->rows[row].file)
        snprintf(msg, sizeof msg, "%s:%ld%s (read by plugin '%s')", s->rows[row].file,
                 s->rows[row].line, rest ? rest : "", plugin);
    else
        snprintf(msg, sizeof msg, "plugin '%s' row %ld%s", plugin, row + 1, rest ? rest : "");
    snprintf(err->message, sizeof err->message, "%s", msg);
}

static void csv_field(FILE *f, const char *s)
{
    if (!s)
        return;
    fputc('"', f);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            fputc('"', f);
        fputc(*p, f);
    }
    fputc('"', f);
}

acv_status acv_plugin_import(acv_ctx *ctx, const char *name, const char *const *inputs,
                             size_t n_inputs, const char *const *opts, size_t n_opts,
                             acv_plugin_import_summary *sum, acv_error *err)
{
    memset(sum, 0, sizeof *sum);
    input_list files = {0};
    for (size_t i = 0; i < n_inputs; i++) {
        const char *base = strrchr(inputs[i], '/');
        base = base && base[1] ? base + 1 : inputs[i];
        int rc = input_walk(&files, inputs[i], base, 0);
        if (rc != 0) {
            input_list_free(&files);
            if (rc == -2)
                return acv_error_set(err, ACV_ERR_INPUT, "more than %d input files",
                                     MAX_INPUT_FILES);
            if (rc == -3)
                return acv_error_set(err, ACV_ERR_IO, "%s: cannot read: %s", inputs[i],
                                     strerror(errno));
            return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
        }
    }
    sum->inputs = files.n;
    acv_plugin_info info;
    acv_status st = find_plugin(ctx, name, "importer", NULL, &info, err);
    if (st != ACV_OK) {
        input_list_free(&files);
        return st;
    }
    sink s = {0};
    run_state rs = {ctx, &s};
    call_args a = {&rs,
                   "import",
                   opts,
                   n_opts,
                   (const char *const *)files.names,
                   (const char *const *)files.paths,
                   files.n};
    st = run_plugin(ctx, &info, &a, err);
    input_list_free(&files);

    /* new areas first (an importer may bring its own city), remembered to undo on failure */
    char **created = calloc(s.n_areas + 1, sizeof *created);
    size_t n_created = 0;
    if (st == ACV_OK && !created)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    if (st == ACV_OK && (s.n_areas || s.n_series)) {
        st = acv_store_begin(ctx->store, err);
        for (size_t i = 0; i < s.n_series && st == ACV_OK; i += 3) {
            if (acv_store_indicator_id(ctx->store, s.series[i]) == 0)
                sum->series_added++;
            st = acv_store_put_series(ctx->store, s.series[i], s.series[i + 1], s.series[i + 2],
                                      err);
        }
        for (size_t i = 0; i < s.n_areas && st == ACV_OK; i++) {
            acv_area existing;
            acv_error lookup;
            if (acv_store_get_area(ctx->store, s.areas[i].code, &existing, &lookup) == ACV_OK)
                continue;
            int changed = 0;
            st = acv_store_put_area(ctx->store, &s.areas[i], &changed, err);
            if (st == ACV_OK)
                created[n_created++] = (char *)s.areas[i].code;
        }
        if (st == ACV_OK)
            st = acv_store_commit(ctx->store, err);
        else
            acv_store_rollback(ctx->store);
        if (st != ACV_OK)
            n_created = 0;
    }
    sum->areas_added = n_created;

    char tmp[] = "/tmp/acvtrack-plugin-XXXXXX";
    int fd = -1;
    if (st == ACV_OK && s.n_rows) {
        fd = mkstemp(tmp);
        FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
        if (!f) {
            st = acv_error_set(err, ACV_ERR_IO, "cannot create a temporary file: %s",
                               strerror(errno));
            if (fd >= 0)
                close(fd);
        } else {
            fputs("area,indicator,period,value,source,status,comment\n", f);
            for (size_t i = 0; i < s.n_rows; i++) {
                const out_row *r = &s.rows[i];
                csv_field(f, r->area);
                fputc(',', f);
                csv_field(f, r->indicator);
                fputc(',', f);
                csv_field(f, r->period);
                fputc(',', f);
                csv_field(f, r->value);
                fputc(',', f);
                csv_field(f, r->source);
                fputc(',', f);
                csv_field(f, r->status);
                fputc(',', f);
                csv_field(f, r->comment);
                fputc('\n', f);
            }
            if (fclose(f) != 0)
                st = acv_error_set(err, ACV_ERR_IO, "cannot write a temporary file");
        }
        if (st == ACV_OK) {
            char display[128];
            snprintf(display, sizeof display, "plugin-%s-output", info.name);
            acv_import_options io = {.display_name = display};
            st = acv_import_csv(ctx, tmp, &io, &sum->import, err);
            if (st != ACV_OK)
                map_error_line(err, display, &s, info.name);
        }
        remove(tmp);
    }
    if (st != ACV_OK && n_created) {
        /* all or nothing: the areas this import created go again */
        acv_error ignored;
        if (acv_store_begin(ctx->store, &ignored) == ACV_OK) {
            for (size_t i = 0; i < n_created; i++)
                acv_store_delete_area(ctx->store, created[i], &ignored);
            if (acv_store_commit(ctx->store, &ignored) != ACV_OK)
                acv_store_rollback(ctx->store);
        }
        sum->areas_added = 0;
    }
    free(created);
    sink_free(&s);
    return st;
}
