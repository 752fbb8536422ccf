/*
 * test_bench.c — the ASEAN-scale benchmark of issue 8: the generator is deterministic (the hash of
 * a small output is checked against a constant), and bench/run.sh runs end to end at a tiny size
 * (a smoke test: it must exit 0 and print every step; no timing is asserted).
 *
 * The generator is compiled into this program (bench/gen.c without its main), so the determinism
 * cases need no other binary and run under the sanitizers with the rest of the tests.
 */
#include "testutil.h"
#include "util.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ACVBENCH_GEN_NO_MAIN
#include "../../bench/gen.c"

/* A framework small enough to write out here, so that the hash below does not change whenever the
 * starter framework's indicators or bounds do. */
static const char *const FW_META = "framework:\n"
                                   "  id: bench-test\n"
                                   "  pillar_order: [ZZ, AA]\n";
static const char *const FW_AA = "pillar:\n"
                                 "  id: AA\n"
                                 "indicators:\n"
                                 "  - id: AA.ONE.1\n"
                                 "    action_area: AA.ONE\n"
                                 "    direction: higher\n"
                                 "    bounds:\n"
                                 "      worst: 0\n"
                                 "      best: 100\n"
                                 "  - id: AA.ONE.2\n"
                                 "    action_area: AA.ONE\n"
                                 "    direction: contextual\n";
static const char *const FW_ZZ = "pillar:\n"
                                 "  id: ZZ\n"
                                 "indicators:\n"
                                 "  - id: ZZ.TWO.1\n"
                                 "    action_area: ZZ.TWO\n"
                                 "    direction: lower\n"
                                 "    bounds:\n"
                                 "      worst: 30\n"
                                 "      best: 1.5\n"
                                 "      reason: \"a comment: with a colon\"\n";
static const char *const FW_DE = "data_elements:\n"
                                 "  - id: DE.POP\n"
                                 "    unit: persons\n"
                                 "  - id: DE.HH\n"
                                 "  - id: DE.UNUSED\n";

/* The SHA-256 of areas.csv, indicators.csv, observations.csv and observations-shuffled.csv (each
 * name, a NUL, the content) for the framework above, --size 12 --seed 7 --data-elements 2. */
#define GEN_EXPECTED_SHA "16b2bfbeb8b29dcc842d1945bd579ab9c82207e0da0ef866f8b63fb630e3200a"

static const char *const GEN_FILES[] = {"areas.csv", "indicators.csv", "observations.csv",
                                        "observations-shuffled.csv"};

static int run_gen(const char *framework, const char *out, const char *size, const char *seed)
{
    char *argv[] = {"acvbench-gen",
                    "--framework",
                    (char *)framework,
                    "--out",
                    (char *)out,
                    "--size",
                    (char *)size,
                    "--seed",
                    (char *)seed,
                    "--data-elements",
                    "2",
                    "--shuffle",
                    NULL};
    return gen_main(12, argv);
}

static void hash_output(const char *dir, char hex[65])
{
    acv_sha256 h;
    acv_sha256_init(&h);
    for (size_t i = 0; i < sizeof GEN_FILES / sizeof *GEN_FILES; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, GEN_FILES[i]);
        char *text = acv_test_read(path);
        assert_non_null(text);
        acv_sha256_update(&h, GEN_FILES[i], strlen(GEN_FILES[i]) + 1);
        acv_sha256_update(&h, text, strlen(text));
        free(text);
    }
    acv_sha256_final_hex(&h, hex);
}

static void test_gen_hash_is_constant(void **state)
{
    (void)state;
    const char *fw = acv_test_tmpdir("bench-fw");
    assert_non_null(fw);
    free(acv_test_write(fw, "indicators/framework.yml", FW_META));
    free(acv_test_write(fw, "indicators/aa.yml", FW_AA));
    free(acv_test_write(fw, "indicators/zz.yml", FW_ZZ));
    free(acv_test_write(fw, "indicators/data-elements.yml", FW_DE));
    char out[600];
    snprintf(out, sizeof out, "%s/out", fw);
    assert_int_equal(run_gen(fw, out, "12", "7"), 0);

    /* the engine's order: pillar files in pillar_order (ZZ before AA), then data elements */
    char path[700];
    snprintf(path, sizeof path, "%s/indicators.csv", out);
    char *inds = acv_test_read(path);
    assert_non_null(inds);
    assert_string_equal(inds, "code,kind,direction,worst,best,action_area,pillar\n"
                              "ZZ.TWO.1,indicator,lower,30,1.5,ZZ.TWO,ZZ\n"
                              "AA.ONE.1,indicator,higher,0,100,AA.ONE,AA\n"
                              "AA.ONE.2,indicator,contextual,,,AA.ONE,AA\n"
                              "DE.POP,data_element,,,,,\n"
                              "DE.HH,data_element,,,,,\n");
    free(inds);

    char hex[65];
    hash_output(out, hex);
    if (strcmp(hex, GEN_EXPECTED_SHA) != 0)
        fprintf(stderr, "generator output hash: %s\n", hex);
    assert_string_equal(hex, GEN_EXPECTED_SHA);
}

static void test_gen_same_seed_same_bytes(void **state)
{
    (void)state;
    const char *a = acv_test_tmpdir("bench-a");
    const char *b = acv_test_tmpdir("bench-b");
    const char *c = acv_test_tmpdir("bench-c");
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);
    /* the real starter framework, twice with one seed and once with another */
    assert_int_equal(run_gen(ACV_TEST_SOURCE_DIR, a, "tiny", "2045"), 0);
    assert_int_equal(run_gen(ACV_TEST_SOURCE_DIR, b, "tiny", "2045"), 0);
    assert_int_equal(run_gen(ACV_TEST_SOURCE_DIR, c, "tiny", "2046"), 0);
    char ha[65], hb[65], hc[65];
    hash_output(a, ha);
    hash_output(b, hb);
    hash_output(c, hc);
    assert_string_equal(ha, hb);
    assert_string_not_equal(ha, hc);

    /* the shuffled file holds the same lines as the key-ordered one, in another order */
    char cmd[1400], *out = NULL;
    snprintf(cmd, sizeof cmd,
             "cd '%s' && sort observations.csv > s1 && sort observations-shuffled.csv > s2 && "
             "cmp -s s1 s2 && ! cmp -s observations.csv observations-shuffled.csv && "
             "test $(wc -l < observations.csv) -gt 1000",
             a);
    int rc = acv_test_run(cmd, &out);
    if (rc != 0)
        fprintf(stderr, "%s\n", out ? out : "");
    free(out);
    assert_int_equal(rc, 0);
}

static void test_bench_smoke_tiny(void **state)
{
    (void)state;
    const char *dir = acv_test_tmpdir("bench-run");
    assert_non_null(dir);
    char binary[1024];
    snprintf(binary, sizeof binary, "%s", ACV_TEST_BINARY);
    char cmd[4096], *out = NULL;
    snprintf(cmd, sizeof cmd,
             "BUILD='%s' BENCH_OUT='%s' ACVTRACK='%s' bash '%s/bench/run.sh' tiny 2>&1",
             dirname(binary), dir, ACV_TEST_BINARY, ACV_TEST_SOURCE_DIR);
    int rc = acv_test_run(cmd, &out);
    if (rc != 0)
        fprintf(stderr, "bench/run.sh failed (%d):\n%s\n", rc, out ? out : "");
    assert_int_equal(rc, 0);
    static const char *const steps[] = {
        "0. generate",
        "1. import (key-ordered CSV)",
        "1. import (shuffled CSV)",
        "2. score --all --year 2025",
        "3. rank all areas of one country",
        "3. rank all ASEAN areas",
        "4. report --format",
        "5. sqlite3 .import, plain table",
        "5. sqlite3 .import, keyed table",
        "5. C prepared inserts (key order)",
        "5. C prepared inserts (shuffled)",
        "5. C sort 2M-row chunks",
        "5. SQL aggregate",
        "5. C min-max loop",
        "check: areas scored",
        "targets",
        "one city's report",
    };
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        if (!strstr(out, steps[i]))
            fprintf(stderr, "missing '%s' in:\n%s\n", steps[i], out);
        assert_non_null(strstr(out, steps[i]));
    }
    assert_null(strstr(out, "DISAGREE"));
    free(out);
    char json[700];
    snprintf(json, sizeof json, "%s/results-tiny.json", dir);
    char *text = acv_test_read(json);
    assert_non_null(text);
    assert_non_null(strstr(text, "\"baselines_agree\": true"));
    assert_non_null(strstr(text, "\"import_shuffled\""));
    free(text);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gen_hash_is_constant),
        cmocka_unit_test(test_gen_same_seed_same_bytes),
        cmocka_unit_test(test_bench_smoke_tiny),
    };
    return acv_test_main(argc, argv, "bench", tests, sizeof tests / sizeof *tests);
}
