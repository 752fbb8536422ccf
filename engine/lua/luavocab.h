/*
 * luavocab.h — reads the progress-class vocabulary (vocabulary.h) from the methods loaded in a Lua
 * state: the table VOCABULARY of the module `methods.progress`, the one place it is defined.
 */
#ifndef ACV_LUAVOCAB_H
#define ACV_LUAVOCAB_H

#include "sandbox.h"
#include "util.h"
#include "vocabulary.h"

#define ACV_PROGRESS_MODULE "methods.progress"

/*
 * Appends the vocabulary body (vocabulary.h) of the progress module to body and sets *found; a
 * module without a VOCABULARY table (an overlay's copy older than the table) leaves body empty
 * and *found 0. A malformed table is an ACV_ERR_SCRIPT error naming the entry and field. Call it
 * after the scoring module is loaded (acv_bridge_open): the module is then already loaded and
 * reading it changes neither the state nor the methods hash.
 */
acv_status acv_bridge_class_vocabulary(acv_lua *lua, acv_buf *body, int *found, acv_error *err);

#endif
