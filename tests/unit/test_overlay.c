/*
 * test_overlay.c — the framework and overlay roots (overlay.c): display names, "find this file"
 * (overlay first), "each file of this kind" in the order each kind needs, and overlays that hold
 * only some folders.
 */
#include "overlay.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *fw, *ov;
    acv_overlay roots;
} fixture;

/* A framework with two rule files and a plugin, an overlay (folder "city") with a rule file, a
 * plugin folder and a script that replaces the framework's. */
static fixture make(const char *tag)
{
    fixture f = {0};
    f.fw = acv_test_tmpdir(tag);
    char ovdir[700];
    snprintf(ovdir, sizeof ovdir, "%s-city/city", acv_test_tmpdir(tag));
    const char *files[][2] = {
        {f.fw, "indicators/validation/b.yml"},
        {f.fw, "indicators/validation/a.yml"},
        {f.fw, "indicators/validation/.hidden.yml"},
        {f.fw, "indicators/validation/notes.txt"},
        {f.fw, "plugins/z.lua"},
        {f.fw, "scripts/methods/m.lua"},
        {f.fw, "scripts/methods/only-shipped.lua"},
        {ovdir, "indicators/validation/c.yml"},
        {ovdir, "plugins/many/init.lua"},
        {ovdir, "plugins/many/helper.lua"},
        {ovdir, "plugins/empty/readme.txt"},
        {ovdir, "scripts/methods/m.lua"},
    };
    for (size_t i = 0; i < sizeof files / sizeof *files; i++)
        free(acv_test_write(files[i][0], files[i][1], "x: 1\n"));
    f.ov = strdup(ovdir);
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_overlay_init(&f.roots, f.fw, f.ov, &err), ACV_OK);
    return f;
}

static void done(fixture *f)
{
    acv_overlay_free(&f->roots);
    free((char *)f->ov);
}

static void display_prefix_is_the_folder_name(void **state)
{
    (void)state;
    char p[64];
    acv_overlay_display_prefix("/a/b/coastal-town", p, sizeof p);
    assert_string_equal(p, "coastal-town/");
    acv_overlay_display_prefix("coastal-town/", p, sizeof p);
    assert_string_equal(p, "coastal-town/");
    acv_overlay_display_prefix("city", p, sizeof p);
    assert_string_equal(p, "city/");
}

static void find_prefers_the_overlay(void **state)
{
    (void)state;
    fixture f = make("overlay-find");
    char *path, *display;
    assert_int_equal(acv_overlay_find(&f.roots, "scripts/methods/m.lua", &path, &display), 1);
    assert_string_equal(display, "city/scripts/methods/m.lua");
    assert_non_null(strstr(path, "-city/city/scripts/methods/m.lua"));
    free(path);
    free(display);
    assert_int_equal(
        acv_overlay_find(&f.roots, "scripts/methods/only-shipped.lua", &path, &display), 1);
    assert_string_equal(display, "scripts/methods/only-shipped.lua");
    free(path);
    free(display);
    assert_int_equal(acv_overlay_find(&f.roots, "scripts/nothing.lua", &path, &display), 0);
    assert_null(path);
    assert_null(display);
    done(&f);
}

static char *displays(const acv_files *fl)
{
    size_t len = 1;
    for (size_t i = 0; i < fl->n; i++)
        len += strlen(fl->items[i].display) + 1;
    char *s = calloc(len, 1);
    for (size_t i = 0; i < fl->n; i++) {
        strcat(s, fl->items[i].display);
        strcat(s, "\n");
    }
    return s;
}

static void rules_come_framework_first_plugins_overlay_first(void **state)
{
    (void)state;
    fixture f = make("overlay-files");
    acv_files fl;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_overlay_files(&f.roots, ACV_FILES_RULES, &fl, &err), ACV_OK);
    char *s = displays(&fl);
    assert_string_equal(s, "indicators/validation/a.yml\nindicators/validation/b.yml\n"
                           "city/indicators/validation/c.yml\n");
    assert_int_equal(fl.items[2].root, ACV_ROOT_OVERLAY);
    free(s);
    acv_files_free(&fl);
    assert_int_equal(acv_overlay_files(&f.roots, ACV_FILES_PLUGINS, &fl, &err), ACV_OK);
    s = displays(&fl);
    assert_string_equal(s, "city/plugins/many/init.lua\nplugins/z.lua\n");
    free(s);
    acv_files_free(&fl);
    /* neither root has practices: none, no error */
    assert_int_equal(acv_overlay_files(&f.roots, ACV_FILES_PRACTICES, &fl, &err), ACV_OK);
    assert_int_equal(fl.n, 0);
    acv_files_free(&fl);
    done(&f);
}

static void folders_are_named_like_messages_name_them(void **state)
{
    (void)state;
    fixture f = make("overlay-folder");
    char *path, *display;
    assert_int_equal(
        acv_overlay_folder(&f.roots, ACV_ROOT_OVERLAY, ACV_FILES_RULES, &path, &display), 1);
    assert_string_equal(display, "city/indicators/validation");
    free(path);
    free(display);
    assert_int_equal(
        acv_overlay_folder(&f.roots, ACV_ROOT_FRAMEWORK, ACV_FILES_INDICATORS, &path, &display), 1);
    assert_string_equal(display, "indicators");
    free(path);
    free(display);
    done(&f);
}

static void without_an_overlay_there_is_one_root(void **state)
{
    (void)state;
    acv_overlay roots;
    acv_error err;
    acv_error_clear(&err);
    assert_int_equal(acv_overlay_init(&roots, "/fw", "", &err), ACV_OK);
    assert_int_equal(roots.n_roots, 1);
    acv_files fl;
    assert_int_equal(acv_overlay_root_files(&roots, ACV_ROOT_OVERLAY, ACV_FILES_PLUGINS, &fl, &err),
                     ACV_OK);
    assert_int_equal(fl.n, 0);
    acv_overlay_free(&roots);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(display_prefix_is_the_folder_name),
    cmocka_unit_test(find_prefers_the_overlay),
    cmocka_unit_test(rules_come_framework_first_plugins_overlay_first),
    cmocka_unit_test(folders_are_named_like_messages_name_them),
    cmocka_unit_test(without_an_overlay_there_is_one_root),
};

ACV_TEST_MAIN("overlay", tests)
