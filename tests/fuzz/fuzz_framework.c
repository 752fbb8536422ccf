/*
 * fuzz_framework.c — libFuzzer harness for the framework loader with a city overlay
 * (engine/model/framework.h, overlay.h).
 *
 * The input is a small folder layout: parts separated by the line "#~~~" (a YAML comment, so a
 * mutation that breaks it still leaves YAML) are written, in order, to the files of PATHS below
 * under a temporary folder made once per process; an empty part is a file that is not there. The
 * framework is loaded with the overlay when the overlay part is given. Besides the sanitizers, the
 * oracle is the loader's contract: a load that fails sets a message, and the framework it returns
 * is well formed (indices in range, a hash); every problem it lists is a non-empty string.
 */
#define _GNU_SOURCE /* memmem */
#include "framework.h"
#include "overlay.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SEPARATOR "#~~~\n"
#define OVERLAY_PART 4

/* under the temporary folder; the overlay folder is called "city", so messages read "city/..." */
static const char *const PATHS[] = {
    "fw/indicators/framework.yml",     "fw/indicators/economic.yml",
    "fw/indicators/data-elements.yml", "fw/indicators/assessment/questions.yml",
    "city/indicators/overlay.yml",
};
#define N_PARTS (sizeof PATHS / sizeof PATHS[0])

/* the folder is the same for every input and holds only what the input wrote: written once at
 * start, its files are replaced or removed on every input, so no input depends on another */
static char root[4096];

static void remove_root(void)
{
    for (size_t i = 0; i < N_PARTS; i++) {
        char p[4200];
        snprintf(p, sizeof p, "%s/%s", root, PATHS[i]);
        unlink(p);
    }
    static const char *const dirs[] = {"fw/indicators/assessment", "fw/indicators", "fw",
                                       "city/indicators",          "city",          ""};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        char p[4200];
        snprintf(p, sizeof p, "%s/%s", root, dirs[i]);
        rmdir(p);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *tmp = getenv("TMPDIR");
    snprintf(root, sizeof root, "%s/acv-fuzz-framework-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(root)) {
        fprintf(stderr, "fuzz_framework: cannot make a temporary folder: %s\n", strerror(errno));
        exit(1);
    }
    static const char *const dirs[] = {"fw", "fw/indicators", "fw/indicators/assessment", "city",
                                       "city/indicators"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        char p[4200];
        snprintf(p, sizeof p, "%s/%s", root, dirs[i]);
        if (mkdir(p, 0700) != 0) {
            fprintf(stderr, "fuzz_framework: cannot make %s: %s\n", p, strerror(errno));
            exit(1);
        }
    }
    atexit(remove_root);
    return 0;
}

static void write_part(size_t i, const uint8_t *p, size_t n)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", root, PATHS[i]);
    unlink(path);
    if (!n)
        return;
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
        fprintf(stderr, "fuzz_framework: cannot write %s\n", path);
        abort();
    }
}

static void check(const acv_framework *fw)
{
    for (size_t i = 0; i < fw->n_problems; i++)
        if (!fw->problems[i] || !fw->problems[i][0])
            abort();
    for (size_t i = 0; i < fw->n_action_areas; i++)
        if (fw->action_areas[i].pillar >= fw->n_pillars)
            abort();
    if (fw->n_problems)
        return;
    for (size_t i = 0; i < fw->n_indicators; i++) {
        const acv_indicator *ind = &fw->indicators[i];
        if (ind->action_area >= fw->n_action_areas || !ind->id ||
            acv_framework_find_indicator(fw, ind->id) < 0)
            abort();
    }
    if (strlen(fw->hash) != 64)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p = data, *end = data + size;
    int has_overlay = 0;
    for (size_t i = 0; i < N_PARTS; i++) {
        const uint8_t *sep = p < end ? memmem(p, (size_t)(end - p), SEPARATOR, 5) : NULL;
        const uint8_t *stop = sep ? sep : end;
        write_part(i, p, (size_t)(stop - p));
        if (i == OVERLAY_PART)
            has_overlay = stop > p;
        p = sep ? sep + 5 : end;
    }

    char fw_dir[4200], city_dir[4200];
    snprintf(fw_dir, sizeof fw_dir, "%s/fw", root);
    snprintf(city_dir, sizeof city_dir, "%s/city", root);
    acv_overlay ov;
    acv_error err;
    acv_error_clear(&err);
    if (acv_overlay_init(&ov, fw_dir, has_overlay ? city_dir : NULL, &err) != ACV_OK)
        abort(); /* both folders exist */
    acv_framework *fw = NULL;
    acv_status st = acv_framework_load_roots(&ov, &fw, &err);
    if (st != ACV_OK && !err.message[0])
        abort();
    if (fw)
        check(fw);
    acv_framework_free(fw);
    acv_overlay_free(&ov);
    return 0;
}
