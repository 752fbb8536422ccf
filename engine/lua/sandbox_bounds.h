/*
 * sandbox_bounds.h — the standard library functions that loop in C, bounded by the sandbox's
 * limits (part of the sandbox module, see sandbox.h): the count hook cannot run inside a C
 * function, so table.insert/remove/move/sort and the pattern functions charge the work they are
 * about to do against the instruction limit (acv_lua_charge) before doing it.
 */
#ifndef ACV_SANDBOX_BOUNDS_H
#define ACV_SANDBOX_BOUNDS_H

#include "sandbox_lua.h"

/* Replaces insert, remove and move of the table library copy on top of the stack with bounded
 * versions, and wraps its sort. */
void acv_bounds_table(lua_State *L);

/* Wraps find, match, gmatch and gsub of the string library copy on top of the stack: each checks
 * the subject and pattern sizes and a bound on the matcher's backtracking before it runs. */
void acv_bounds_string(lua_State *L);

#endif
