/*
 * overlay.h — where a command's files come from: the framework folder and, when a city gives one,
 * its overlay folder (`--overlay DIR`), resolved once per context with the names messages use.
 *
 * Owns: the two roots and their display prefixes ("" for the framework, "NAME/" for an overlay in
 * a folder called NAME, so messages say `indicators/x.yml` and `NAME/scripts/y.lua`), the folder
 * each kind of file lives in, the order the kinds are read in, and listing a folder's files in
 * name order. Everything that reads framework or overlay files asks here instead of joining
 * paths itself. An overlay may hold any subset of the folders (only plugins/, say): a folder it
 * lacks simply has no files.
 */
#ifndef ACV_OVERLAY_H
#define ACV_OVERLAY_H

#include "error.h"

#include <stddef.h>

typedef enum {
    ACV_FILES_INDICATORS, /* indicators/NAME.yml: the framework, or an overlay's changes */
    ACV_FILES_ASSESSMENT, /* indicators/assessment/NAME.yml: self-assessment questions */
    ACV_FILES_RULES,      /* indicators/validation/NAME.yml: validation rules */
    ACV_FILES_PRACTICES,  /* indicators/practices/NAME.yml: example practices */
    ACV_FILES_PLUGINS,    /* plugins/NAME.lua and plugins/NAME/init.lua */
} acv_file_kind;

enum { ACV_ROOT_FRAMEWORK = 0, ACV_ROOT_OVERLAY = 1 };

typedef struct {
    char *dir;     /* the folder on disk */
    char *display; /* prefix of display names: "" or "NAME/" */
} acv_root;

typedef struct {
    acv_root roots[2]; /* [ACV_ROOT_FRAMEWORK], then [ACV_ROOT_OVERLAY] when n_roots is 2 */
    size_t n_roots;
} acv_overlay;

typedef struct {
    char *path;    /* to open */
    char *display; /* how messages name it: "indicators/validation/x.yml", "NAME/plugins/y.lua" */
    size_t root;   /* ACV_ROOT_FRAMEWORK or ACV_ROOT_OVERLAY */
} acv_file;

typedef struct {
    acv_file *items;
    size_t n;
} acv_files;

/* Resolves the roots; overlay_dir NULL or "" means none. Free with acv_overlay_free. */
acv_status acv_overlay_init(acv_overlay *ov, const char *framework_dir, const char *overlay_dir,
                            acv_error *err);
void acv_overlay_free(acv_overlay *ov);

/* The display prefix of a folder used as an overlay: its last path component and "/". */
void acv_overlay_display_prefix(const char *dir, char *out, size_t size);

/* The folder of kind under one root, as a path to open and as messages name it ("indicators",
 * "NAME/indicators/validation"). malloc'd; returns 0 when out of memory. */
int acv_overlay_folder(const acv_overlay *ov, size_t root, acv_file_kind kind, char **path,
                       char **display);

/* Finds rel (like "scripts/methods/progress.lua"): the overlay's file first, then the framework's.
 * Returns 1 with malloc'd *path and *display, 0 when neither root has it (or out of memory). */
int acv_overlay_find(const acv_overlay *ov, const char *rel, char **path, char **display);

/*
 * Every file of kind, root by root, each root's in name order. Plugins come overlay first (the
 * first plugin of a name wins, so an overlay's replaces the shipped one); the other kinds come
 * framework first (an overlay's rules and practices are read after, to add or replace). A folder
 * a root does not have holds no files. Free with acv_files_free.
 */
acv_status acv_overlay_files(const acv_overlay *ov, acv_file_kind kind, acv_files *out,
                             acv_error *err);

/* The files of kind in one root only. */
acv_status acv_overlay_root_files(const acv_overlay *ov, size_t root, acv_file_kind kind,
                                  acv_files *out, acv_error *err);

/* Every NAME.yml directly in dir (hidden files skipped), in name order, shown as display/NAME.
 * A missing folder has none; another folder that cannot be read is an error. */
acv_status acv_files_yml(const char *dir, const char *display, acv_files *out, acv_error *err);

/* Every NAME.lua under folder ("scripts" or "plugins") of one root, at any depth up to 8 folders
 * (hidden ones skipped), in display-name order: what `framework check` compiles. A missing
 * folder has none. */
acv_status acv_overlay_lua_files(const acv_overlay *ov, size_t root, const char *folder,
                                 acv_files *out, acv_error *err);

/* SHA-256 over every NAME.lua under scripts/ of each root (framework, then overlay), each file's
 * display name and content in display-name order: the same whatever scripts a Lua state has
 * loaded so far, so runs scored on different threads record the same methods hash. A file that
 * cannot be read counts by its name alone (loading it fails anyway). */
acv_status acv_overlay_scripts_hash(const acv_overlay *ov, char hex[65], acv_error *err);

void acv_files_free(acv_files *f);

#endif
