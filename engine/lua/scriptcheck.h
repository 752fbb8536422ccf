/*
 * scriptcheck.h — what the Lua side of `acvtrack framework check` checks: every script and plugin
 * of the framework and overlay compiles, and every progress method the framework names is one
 * the methods define (the METHODS table of methods.progress, which an overlay may replace, so a
 * city's added method is accepted). The scoring bridge runs the method check too, so no run falls
 * back silently from a mistyped method to another.
 *
 * Owns: the compile pass (compile only: no script runs) and the method-name check, with their
 * messages ("file:line: ..." from Lua for syntax, "file:line:col: ..." at the YAML value for
 * methods). The engine keeps no list of method names.
 */
#ifndef ACV_SCRIPTCHECK_H
#define ACV_SCRIPTCHECK_H

#include "framework.h"
#include "overlay.h"
#include "sandbox.h"
#include "yamlschema.h" /* acv_problems */

/* Compiles every .lua under scripts/ and plugins/ of each root (overlay.h acv_overlay_lua_files),
 * adding one problem per file that does not compile; *n_files counts the files compiled. */
acv_status acv_scriptcheck_compile(acv_lua *lua, const acv_overlay *roots, acv_problems *out,
                                   size_t *n_files, acv_error *err);

/* Adds one problem per method reference of fw (framework.h acv_method_ref) whose name is not a
 * key of METHODS in methods.progress, loaded through lua's require (so a script error in it is
 * the returned error). */
acv_status acv_scriptcheck_methods(acv_lua *lua, const acv_framework *fw, acv_problems *out,
                                   acv_error *err);

/* Both, in a sandbox of their own over roots: what `framework check` adds to the framework's
 * problems. The method check is skipped when methods/progress.lua itself does not compile (its
 * syntax error is the problem). */
acv_status acv_scriptcheck_framework(const acv_overlay *roots, const acv_framework *fw,
                                     const acv_lua_limits *limits, acv_problems *out,
                                     size_t *n_files, acv_error *err);

#endif
