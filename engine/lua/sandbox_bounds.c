/* sandbox_bounds.c — library functions that loop in C, bounded by the limits; see
 * sandbox_bounds.h. */
#include "sandbox_bounds.h"

#include <ctype.h>
#include <lauxlib.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define MAX_PATTERN_SUBJECT (256 * 1024)
#define MAX_PATTERN_LENGTH 256
/* the bound below that one pattern call may reach: "a-b" against 14,000 "a" (2·10^8) took 0.96 s
 * on the development machine, "a*b" 0.71 s; the calls of the shipped scripts are far below it */
#define MAX_PATTERN_WORK 1.5e8
/* a C loop checks the time limit this often */
#define CHECK_EVERY 65536

/* Charges n steps; n as an unsigned count that may exceed what a long long holds. */
static void charge(lua_State *L, lua_Unsigned n)
{
    acv_lua_charge(L, n > (lua_Unsigned)LLONG_MAX ? LLONG_MAX : (long long)n);
}

/* ---- table ------------------------------------------------------------------------------- */

/* The three below do what the manual says of table.insert, table.remove and table.move, element
 * by element through lua_geti/lua_seti (so metamethods apply), after charging the number of
 * elements they will move: a __len that returns 2^50 then stops the script at once instead of
 * running for months. */

static int bounded_insert(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    /* #list + 1, wrapping like the standard function does */
    lua_Integer e = (lua_Integer)((lua_Unsigned)luaL_len(L, 1) + 1u);
    lua_Integer pos = e;
    switch (lua_gettop(L)) {
    case 2:
        break;
    case 3:
        pos = luaL_checkinteger(L, 2);
        luaL_argcheck(L, (lua_Unsigned)pos - 1u < (lua_Unsigned)e, 2, "position out of bounds");
        charge(L, (lua_Unsigned)e - (lua_Unsigned)pos);
        for (lua_Integer i = e; i > pos; i--) {
            if ((i & (CHECK_EVERY - 1)) == 0)
                acv_lua_charge(L, 0);
            lua_geti(L, 1, i - 1);
            lua_seti(L, 1, i);
        }
        break;
    default:
        return luaL_error(L, "wrong number of arguments to 'insert'");
    }
    lua_seti(L, 1, pos);
    return 0;
}

static int bounded_remove(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_Integer size = luaL_len(L, 1);
    lua_Integer pos = luaL_optinteger(L, 2, size);
    if (pos != size) /* size + 1 is allowed: it removes list[#list + 1] */
        luaL_argcheck(L, (lua_Unsigned)pos - 1u <= (lua_Unsigned)size, 2, "position out of bounds");
    lua_geti(L, 1, pos);
    if (pos < size)
        charge(L, (lua_Unsigned)size - (lua_Unsigned)pos);
    for (; pos < size; pos++) {
        if ((pos & (CHECK_EVERY - 1)) == 0)
            acv_lua_charge(L, 0);
        lua_geti(L, 1, pos + 1);
        lua_seti(L, 1, pos);
    }
    lua_pushnil(L);
    lua_seti(L, 1, pos);
    return 1;
}

static int bounded_move(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_Integer f = luaL_checkinteger(L, 2);
    lua_Integer e = luaL_checkinteger(L, 3);
    lua_Integer t = luaL_checkinteger(L, 4);
    int tt = !lua_isnoneornil(L, 5) ? 5 : 1;
    luaL_checktype(L, tt, LUA_TTABLE);
    if (e >= f) {
        luaL_argcheck(L, f > 0 || e < LUA_MAXINTEGER + f, 3, "too many elements to move");
        lua_Integer n = e - f; /* elements to move, less one */
        luaL_argcheck(L, t <= LUA_MAXINTEGER - n, 4, "destination wrap around");
        charge(L, (lua_Unsigned)n + 1u);
        if (t > e || t <= f || (tt != 1 && !lua_compare(L, 1, tt, LUA_OPEQ))) {
            for (lua_Integer i = 0; i <= n; i++) {
                if ((i & (CHECK_EVERY - 1)) == CHECK_EVERY - 1)
                    acv_lua_charge(L, 0);
                lua_geti(L, 1, f + i);
                lua_seti(L, tt, t + i);
            }
        } else { /* overlapping, destination after the source: copy from the end */
            for (lua_Integer i = n; i >= 0; i--) {
                if ((i & (CHECK_EVERY - 1)) == 0)
                    acv_lua_charge(L, 0);
                lua_geti(L, 1, f + i);
                lua_seti(L, tt, t + i);
            }
        }
    }
    lua_pushvalue(L, tt);
    return 1;
}

/* table.sort: the standard sort (upvalue 1) after charging n·log2(n) comparisons. It reads the
 * length itself: a __len could answer it differently than it answered us, so a table with one
 * is refused (sorting a proxy is not something a method needs). */
static int bounded_sort(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    if (luaL_getmetafield(L, 1, "__len") != LUA_TNIL)
        return luaL_error(L, "table.sort: a table with a __len metamethod cannot be sorted");
    double n = (double)lua_rawlen(L, 1);
    double work = n > 1 ? n * log2(n) : 0;
    charge(L, work >= 9.2e18 ? (lua_Unsigned)LLONG_MAX : (lua_Unsigned)work);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 0);
    return 0;
}

void acv_bounds_table(lua_State *L)
{
    lua_pushcfunction(L, bounded_insert);
    lua_setfield(L, -2, "insert");
    lua_pushcfunction(L, bounded_remove);
    lua_setfield(L, -2, "remove");
    lua_pushcfunction(L, bounded_move);
    lua_setfield(L, -2, "move");
    lua_getfield(L, -1, "sort");
    lua_pushcclosure(L, bounded_sort, 1);
    lua_setfield(L, -2, "sort");
}

/* ---- patterns ---------------------------------------------------------------------------- */

/*
 * Lua's matcher backtracks, inside one C call: "a*a*a*a*b" against 4 KiB of "a" runs for
 * minutes. A bound on its work: from each start it tries, an item with * + or - tries at most
 * one length more than the longest run of subject bytes the item matches, and ? two; %b and a
 * back-reference scan up to the whole subject. So the work is at most
 *   starts × Π (run + 1) × 2^(number of ?) × (subject + 1)^(number of %b and %1-9) × step
 * where step is the length of the longest repeated item (a set is tested member by member),
 * starts is the subject length + 1, or the number of bytes the first item matches when
 * the first item must match, or 1 after ^. The classes follow the manual (§6.4.1).
 */

static int class_matches(int c, int cl)
{
    int r;
    switch (tolower(cl)) {
    case 'a':
        r = isalpha(c);
        break;
    case 'c':
        r = iscntrl(c);
        break;
    case 'd':
        r = isdigit(c);
        break;
    case 'g':
        r = isgraph(c);
        break;
    case 'l':
        r = islower(c);
        break;
    case 'p':
        r = ispunct(c);
        break;
    case 's':
        r = isspace(c);
        break;
    case 'u':
        r = isupper(c);
        break;
    case 'w':
        r = isalnum(c);
        break;
    case 'x':
        r = isxdigit(c);
        break;
    default:
        return cl == c;
    }
    return isupper(cl) ? !r : r != 0;
}

/* The end of the single-character item at p (one past it), or NULL when malformed (the real
 * function then reports it). A set's first character belongs to it even when it is ']'. */
static const char *item_end(const char *p, const char *end)
{
    if (*p == '%')
        return p + 1 < end ? p + 2 : NULL;
    if (*p != '[')
        return p + 1;
    const char *q = p + 1;
    if (q < end && *q == '^')
        q++;
    for (;;) {
        if (q >= end)
            return NULL;
        q += *q == '%' ? 2 : 1;
        if (q >= end)
            return NULL;
        if (*q == ']')
            return q + 1;
    }
}

/* Does subject byte c match the set from '[' at p to its ']' at close? */
static int set_matches(int c, const char *p, const char *close)
{
    int neg = 0;
    p++;
    if (*p == '^') {
        neg = 1;
        p++;
    }
    while (p < close) {
        if (*p == '%' && p + 1 < close) {
            if (class_matches(c, (unsigned char)p[1]))
                return !neg;
            p += 2;
        } else if (p + 2 < close && p[1] == '-') {
            if ((unsigned char)p[0] <= c && c <= (unsigned char)p[2])
                return !neg;
            p += 3;
        } else {
            if ((unsigned char)*p == c)
                return !neg;
            p++;
        }
    }
    return neg;
}

static int item_matches(int c, const char *p, const char *ep)
{
    switch (*p) {
    case '.':
        return 1;
    case '%':
        return class_matches(c, (unsigned char)p[1]);
    case '[':
        return set_matches(c, p, ep - 1);
    default:
        return (unsigned char)*p == c;
    }
}

/* The longest run of subject bytes the item matches, and how many bytes it matches in all. */
static void item_scan(const char *s, size_t n, const char *p, const char *ep, size_t *run,
                      size_t *count)
{
    size_t cur = 0;
    *run = *count = 0;
    for (size_t i = 0; i < n; i++) {
        if (item_matches((unsigned char)s[i], p, ep)) {
            ++*count;
            if (++cur > *run)
                *run = cur;
        } else {
            cur = 0;
        }
    }
}

/*
 * The lines idiom "(.-)\n" (captures, one lazy item, one plain item, captures): from start i the
 * lazy item stops at the first byte the plain item matches, or where its own run ends, so the
 * work is Σ min(run from i, distance to the next such byte) + 1 over the starts. Returns -1 for a
 * pattern of another shape.
 */
static double lazy_line_work(const char *s, size_t n, const char *p, const char *end)
{
    int anchored = p < end && *p == '^';
    p += anchored;
    while (p < end && *p == '(')
        p++;
    if (p >= end || *p == ')' || (*p == '%' && p + 1 < end && strchr("bf0123456789", p[1])))
        return -1;
    const char *x = p, *xe = item_end(p, end);
    if (!xe || xe >= end || *xe != '-')
        return -1;
    const char *c = xe + 1;
    while (c < end && *c == ')')
        c++;
    if (c >= end || *c == '(' || *c == ')' || *c == '$' ||
        (*c == '%' && c + 1 < end && strchr("bf0123456789", c[1])))
        return -1;
    const char *ce = item_end(c, end);
    if (!ce || (ce < end && strchr("*+-?", *ce)))
        return -1;
    for (const char *q = ce; q < end; q++)
        if (*q != ')')
            return -1;
    double work = 0;
    size_t run = 0, dist = 0;
    for (size_t i = n; i-- > 0;) {
        int cm = item_matches((unsigned char)s[i], c, ce);
        run = item_matches((unsigned char)s[i], x, xe) ? run + 1 : 0;
        dist = cm ? 0 : dist + 1;
        if (!anchored || i == 0)
            work += (double)(run < dist ? run : dist) + 1;
    }
    return work * (double)(xe - x > ce - c ? xe - x : ce - c) + (double)n;
}

/* The bound above for pattern p against subject s; 0 for a malformed pattern. */
static double pattern_work(const char *s, size_t n, const char *p, size_t lp)
{
    const char *end = p + lp;
    double lines = lazy_line_work(s, n, p, end);
    if (lines >= 0)
        return lines;
    double starts = (double)n + 1, work = 1, whole = (double)n + 1, step = 1;
    int first = 1;
    if (p < end && *p == '^') {
        /* an anchor (find, match, gsub), or a plain '^' for gmatch: at most one start per '^' */
        size_t carets = 0;
        for (size_t i = 0; i < n; i++)
            carets += s[i] == '^';
        starts = carets > 1 ? (double)carets : 1;
        p++;
        first = 0;
    }
    while (p < end) {
        if (*p == '(' || *p == ')') {
            p++;
            continue;
        }
        if (*p == '$' && p + 1 == end)
            break;
        if (*p == '%' && p + 1 < end && (p[1] == 'b' || (p[1] >= '0' && p[1] <= '9'))) {
            work *= whole;
            p += p[1] == 'b' ? (end - p >= 4 ? 4 : end - p) : 2;
            first = 0;
            continue;
        }
        if (*p == '%' && p + 1 < end && p[1] == 'f') {
            p += 2;
            if (p < end && *p == '[') {
                p = item_end(p, end);
                if (!p)
                    return 0;
            }
            first = 0;
            continue;
        }
        const char *ep = item_end(p, end);
        if (!ep)
            return 0;
        char q = ep < end ? *ep : '\0';
        size_t run = 0, count = 0;
        if (q == '*' || q == '+' || q == '-' || (first && q != '?'))
            item_scan(s, n, p, ep, &run, &count);
        if (q == '*' || q == '+' || q == '-') {
            work *= (double)run + 1;
            if ((double)(ep - p) > step) /* a set is tested member by member */
                step = (double)(ep - p);
        } else if (q == '?')
            work *= 2;
        if (first && q != '*' && q != '-' && q != '?') /* the first item must match */
            starts = count > 1 ? (double)count : 1;
        p = q == '*' || q == '+' || q == '-' || q == '?' ? ep + 1 : ep;
        first = 0;
    }
    /* every start that fails at the first item costs a step too */
    return starts * work * step + (double)n;
}

/* The guard (upvalue 1: the standard function; upvalue 2: true for find, whose fourth argument
 * asks for a plain search). */
static int bounded_pattern(lua_State *L)
{
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    if (ls > MAX_PATTERN_SUBJECT)
        return luaL_error(L, "pattern functions take strings up to %d bytes", MAX_PATTERN_SUBJECT);
    if (lp > MAX_PATTERN_LENGTH)
        return luaL_error(L, "patterns may be at most %d bytes", MAX_PATTERN_LENGTH);
    acv_lua_charge(L, 0); /* the time limit, before work the hook cannot interrupt */
    /* string.find(s, p, init, true) is a plain search: no backtracking */
    int plain = lua_toboolean(L, lua_upvalueindex(2)) && lua_toboolean(L, 4);
    if (!plain) {
        double work = pattern_work(s, ls, p, lp);
        if (work > MAX_PATTERN_WORK) {
            /* formatted in C: lua_pushfstring has no %g */
            char bound[32];
            snprintf(bound, sizeof bound, "%.2g", work);
            return luaL_error(L,
                              "pattern '%s' on a string of %d bytes could take up to %s matching "
                              "steps (the limit is %d): use a more specific pattern or a shorter "
                              "string",
                              p, (int)ls, bound, (int)MAX_PATTERN_WORK);
        }
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

void acv_bounds_string(lua_State *L)
{
    static const char *const names[] = {"find", "match", "gmatch", "gsub"};
    for (int i = 0; i < 4; i++) {
        lua_getfield(L, -1, names[i]);
        lua_pushboolean(L, i == 0);
        lua_pushcclosure(L, bounded_pattern, 2);
        lua_setfield(L, -2, names[i]);
    }
}
