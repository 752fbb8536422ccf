/*
 * convert.h — moving values between C and Lua, for every binding in engine/lua: the scoring and
 * validation bridge (luabridge.c), the `acv` API (acv_api.c), the workspace functions plugins
 * call (plugin_data.c) and the plugin host and sink (plugin_host.c, plugin_sink.c). One place
 * decides how a framework, an indicator, a series looks in Lua, and how a typed field is read back
 * with an error that names what was wrong.
 *
 * Push and set functions allocate in Lua and can raise (out of memory): call them inside a
 * protected call, or where the caller accepts that. Readers raise with luaL_error, so messages
 * carry the calling script's file:line.
 */
#ifndef ACV_CONVERT_H
#define ACV_CONVERT_H

#include "framework.h"
#include "results.h"
#include "sandbox_lua.h"

#include <stddef.h>

/* ---- C to Lua: fields of the table on top of the stack ---------------------------------- */

/* t[key] = value; a NULL value sets nothing (the field stays nil). */
void acv_convert_set_string(lua_State *L, const char *key, const char *value);
void acv_convert_set_number(lua_State *L, const char *key, double value);
void acv_convert_set_integer(lua_State *L, const char *key, lua_Integer value);
void acv_convert_set_bool(lua_State *L, const char *key, int value);

/* A record's fields as a table, declared once: each entry names the Lua key, the C type and the
 * member's offset (ACV_FIELD), so a struct's Lua shape is one table instead of a run of set
 * calls. Text fields that are NULL stay nil. */
typedef enum {
    ACV_FIELD_TEXT,  /* const char * */
    ACV_FIELD_CHARS, /* char[] inside the struct */
    ACV_FIELD_DOUBLE,
    ACV_FIELD_INT,
    ACV_FIELD_INT64,
} acv_field_type;

typedef struct {
    const char *key;
    acv_field_type type;
    size_t offset;
} acv_field;

#define ACV_FIELD(key, type, record, member)                                                       \
    {                                                                                              \
        (key), (type), offsetof(record, member)                                                    \
    }

/* Sets the n fields of record on the table on top of the stack. */
void acv_convert_set_fields(lua_State *L, const void *record, const acv_field *fields, size_t n);

/* ---- C to Lua: whole tables ------------------------------------------------------------- */

/* Pushes an array of n strings. */
void acv_convert_push_strings(lua_State *L, const char *const *items, size_t n);

/* Pushes a series as {{period =, year =, value =}, ...}, oldest first. */
void acv_convert_push_series(lua_State *L, const acv_series *s);

/* Pushes `acv.framework`, read-only at every level: {id, name, version, hash, overlay, pillars =
 * {{id, name}}, action_areas = {{id, name, pillar}}, indicators = {{id, name, short_name,
 * definition, unit, direction, action_area, pillar, core, local, worst, best, sdg =
 * {"11.6.2"}, sdg_relation, targets = {[year] = {kind, value, baseline, provenance, reference,
 * text}}}}}. Read-only proxies answer #, ipairs and pairs like the tables they stand for. */
void acv_convert_push_framework(acv_lua *lua, const acv_framework *fw);

/* Pushes the framework's facts about indicator i as scoring input sees them (everything but its
 * series; docs/scripting.md), with read-only `targets` and `formula`. */
void acv_convert_push_indicator_facts(acv_lua *lua, const acv_framework *fw, size_t i);

/* ---- Lua to C: typed fields of the table at index t ------------------------------------ */

/* An optional finite number: 1 and *out set when present, 0 when nil; raises "what: field 'x'
 * must be a finite number, got ..." otherwise. */
int acv_convert_opt_number(lua_State *L, int t, const char *field, double *out, const char *what);

/* An optional string (a number is taken as its text), truncated to size; nil leaves out as it
 * is; raises "what: field 'x' must be a string, got ..." otherwise. */
void acv_convert_opt_string(lua_State *L, int t, const char *field, char *out, size_t size,
                            const char *what);

/* A field's truth (nil and false are 0). */
int acv_convert_opt_bool(lua_State *L, int t, const char *field);

/* A string-or-number field as text, for values that are stored as written ("12", "0.5", a
 * float as %.17g). Leaves exactly one value on the stack, which keeps the returned text alive
 * until the caller pops it. Returns NULL when the field is nil and not required; raises "what:
 * missing field 'x'", "what: field 'x' must be a string or number" or "... is not a finite
 * number". */
const char *acv_convert_field_text(lua_State *L, int t, const char *key, int required,
                                   const char *what);

/* ---- Lua to C: arguments of an API function ---------------------------------------------- */

/* Raises "bad argument #arg to 'fname' (message)" at the caller's file:line, like luaL_argerror
 * but with the name given (a function reached through pcall or a local has no name of its own). */
int acv_convert_arg_error(lua_State *L, int arg, const char *fname, const char *fmt, ...);

/* Argument arg must be a table; raises "bad argument #1 to 'f' (table expected, got nil)". */
void acv_convert_check_table(lua_State *L, int arg, const char *fname);

/* Argument arg must be a string (or a number, as text). */
const char *acv_convert_check_string(lua_State *L, int arg, const char *fname, size_t *len);

/* An optional string or number argument; NULL when nil or absent. */
const char *acv_convert_opt_string_arg(lua_State *L, int arg, const char *fname);

/* An optional integer argument; def when nil or absent. */
lua_Integer acv_convert_opt_integer(lua_State *L, int arg, const char *fname, lua_Integer def);

/* Field `field` of table argument arg as a string (required, or NULL when nil and optional).
 * Leaves one value on the stack, which keeps the text alive; raises "bad argument #1 to 'f'
 * (field 'area': string expected, got nil)". */
const char *acv_convert_field_string_arg(lua_State *L, int arg, const char *field, int required,
                                         const char *fname);

/* ---- C memory that Lua code may be unwound past ------------------------------------------ */

typedef struct acv_owner acv_owner;

/* Pushes an owner of ptr: free_fn(ptr) runs when the owner is collected or released, so an
 * error raised while ptr is in use does not leak it. */
acv_owner *acv_convert_push_owner(lua_State *L, void *ptr, void (*free_fn)(void *));

/* Frees what the owner holds now (the owner stays on the stack, empty). */
void acv_convert_release(acv_owner *o);

#endif
