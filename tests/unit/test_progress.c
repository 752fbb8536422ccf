/*
 * test_progress.c — the progress line (engine/base/progress.h) with a clock the test moves by
 * hand: figures, rate and time left worked out by hand, redraws only after the interval, the
 * final line and the erased line, byte units, a long label cut to the terminal.
 */
#include "testutil.h"

#include "progress.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    double t;
} fake_clock;

static double fake_now(void *ud)
{
    return ((fake_clock *)ud)->t;
}

/* A progress writing into a memory stream, on the fake clock. */
typedef struct {
    acv_progress p;
    fake_clock clock;
    char *text;
    size_t len;
    FILE *f;
} rig;

static void rig_open(rig *r)
{
    memset(r, 0, sizeof *r);
    r->f = open_memstream(&r->text, &r->len);
    assert_non_null(r->f);
    acv_progress_init(&r->p, r->f);
    r->p.clock = fake_now;
    r->p.clock_ud = &r->clock;
    r->p.columns = 80;
}

static const char *rig_text(rig *r)
{
    fflush(r->f);
    return r->text;
}

static void rig_close(rig *r)
{
    fclose(r->f);
    free(r->text);
}

static const char *line_at(acv_progress *p, double now, int finished)
{
    static char buf[256];
    acv_progress_format(p, now, finished, buf, sizeof buf);
    return buf;
}

static void rate_and_time_left(void **state)
{
    (void)state;
    rig r;
    rig_open(&r);
    r.clock.t = 100;
    acv_progress_start(&r.p, "scoring", 2000, "areas");
    /* nothing done yet: no rate, no time left */
    assert_string_equal(line_at(&r.p, 100, 0), "scoring: 0/2000 areas 0%");
    r.p.done = 500;
    /* 500 areas in 4 s: 125 areas/s; 1500 left / 125 = 12 s */
    assert_string_equal(line_at(&r.p, 104, 0),
                        "scoring: 500/2000 areas 25%, 125 areas/s, 0:12 left");
    r.p.done = 7;
    /* 7 in 2 s: 3.5/s (one decimal below 10); 1993 / 3.5 = 569.4 s = 9:29 */
    assert_string_equal(line_at(&r.p, 102, 0), "scoring: 7/2000 areas 0%, 3.5 areas/s, 9:29 left");
    r.p.done = 1;
    /* 1 in 2 s: 0.5/s; 1999 / 0.5 = 3998 s = 1:06:38 */
    assert_string_equal(line_at(&r.p, 102, 0),
                        "scoring: 1/2000 areas 0%, 0.5 areas/s, 1:06:38 left");
    r.p.done = 2000;
    /* finished after 80 s: 25 areas/s, done in 1:20 */
    assert_string_equal(line_at(&r.p, 180, 1),
                        "scoring: 2000/2000 areas 100%, 25 areas/s, done in 1:20");
    rig_close(&r);
}

static void unknown_total(void **state)
{
    (void)state;
    rig r;
    rig_open(&r);
    acv_progress_start(&r.p, "reading", 0, "rows");
    r.p.done = 30;
    /* no total: no percentage and no time left; 30 rows in 2 s = 15 rows/s */
    assert_string_equal(line_at(&r.p, 2, 0), "reading: 30 rows, 15 rows/s");
    rig_close(&r);
}

static void bytes_are_scaled_by_the_total(void **state)
{
    (void)state;
    rig r;
    rig_open(&r);
    /* under 10 KiB: whole bytes; 3120 B in 2 s = 1560 B/s, 3120 left = 2 s */
    acv_progress_start(&r.p, "importing obs.csv", 6240, "B");
    r.p.done = 3120;
    assert_string_equal(line_at(&r.p, 2, 0),
                        "importing obs.csv: 3120/6240 B 50%, 1560 B/s, 0:02 left");
    /* 50 MiB of 200 MiB in 10 s: MiB with one decimal, 5 MiB/s = 5120 KiB/s (< 10 MiB/s keeps
     * KiB), 150 MiB left / 5 MiB/s = 30 s */
    acv_progress_start(&r.p, "importing big.csv", 200ull << 20, "B");
    r.p.done = 50ull << 20;
    assert_string_equal(line_at(&r.p, 10, 0),
                        "importing big.csv: 50.0/200.0 MiB 25%, 5120.0 KiB/s, 0:30 left");
    /* 12,345 B of 20,000: KiB (12345 / 1024 = 12.06, 20000 / 1024 = 19.53) */
    acv_progress_start(&r.p, "x", 20000, "B");
    r.p.done = 12345;
    assert_string_equal(line_at(&r.p, 0, 0), "x: 12.1/19.5 KiB 61%");
    rig_close(&r);
}

static void redraws_at_most_every_interval(void **state)
{
    (void)state;
    rig r;
    rig_open(&r);
    r.clock.t = 10;
    acv_progress_start(&r.p, "ranking", 4, "areas");
    acv_progress_update(&r.p, 1); /* at start: not drawn */
    assert_string_equal(rig_text(&r), "");
    r.clock.t = 10.1;
    acv_progress_update(&r.p, 2); /* 0.1 s < 0.25 s: not drawn */
    assert_string_equal(rig_text(&r), "");
    r.clock.t = 10.5; /* 0.5 s after start: drawn; 3 in 0.5 s = 6.0/s; 1 left: 0.17 s -> 0:00 */
    acv_progress_update(&r.p, 3);
    assert_string_equal(rig_text(&r), "\rranking: 3/4 areas 75%, 6.0 areas/s, 0:00 left");
    r.clock.t = 10.6; /* 0.1 s after the last draw: not drawn */
    acv_progress_update(&r.p, 4);
    assert_string_equal(rig_text(&r), "\rranking: 3/4 areas 75%, 6.0 areas/s, 0:00 left");
    r.clock.t = 12;
    acv_progress_finish(&r.p);
    /* the final line overwrites the last one (padded to its width) and ends the line */
    assert_string_equal(rig_text(&r), "\rranking: 3/4 areas 75%, 6.0 areas/s, 0:00 left"
                                      "\rranking: 4/4 areas 100%, 2.0 areas/s, done in 0:02\n");
    /* after finish, updates draw nothing */
    size_t before = r.len;
    r.clock.t = 20;
    acv_progress_update(&r.p, 5);
    rig_text(&r);
    assert_int_equal(r.len, before);
    rig_close(&r);
}

static void clear_erases_the_line(void **state)
{
    (void)state;
    rig r;
    rig_open(&r);
    acv_progress_start(&r.p, "a", 10, "rows");
    r.clock.t = 1;
    acv_progress_update(&r.p, 5);
    /* "a: 5/10 rows 50%, 5.0 rows/s, 0:01 left" is 39 characters */
    const char *drawn = "\ra: 5/10 rows 50%, 5.0 rows/s, 0:01 left";
    assert_string_equal(rig_text(&r), drawn);
    acv_progress_clear(&r.p);
    char expected[128];
    snprintf(expected, sizeof expected, "%s\r%39s\r", drawn, "");
    assert_string_equal(rig_text(&r), expected);
    /* clearing again writes nothing; the next update draws again at once */
    acv_progress_clear(&r.p);
    assert_string_equal(rig_text(&r), expected);
    r.clock.t = 1.01;
    acv_progress_update(&r.p, 6);
    assert_true(strlen(rig_text(&r)) > strlen(expected));
    rig_close(&r);
}

static void silent_progress_writes_nothing(void **state)
{
    (void)state;
    acv_progress p;
    acv_progress_init(&p, NULL);
    acv_progress_start(&p, "importing", 10, "rows");
    acv_progress_update(&p, 5);
    acv_progress_clear(&p);
    acv_progress_finish(&p);
    assert_null(p.out);
    assert_int_equal(p.shown, 0);
}

static void long_label_is_cut(void **state)
{
    (void)state;
    rig r;
    rig_open(&r);
    r.p.columns = 40;
    acv_progress_start(&r.p, "importing a-very-long-folder-name/observations.csv", 100, "rows");
    r.p.done = 50;
    /* figures "50/100 rows 50%, 25 rows/s, 0:02 left" are 37 characters; 39 columns leave no
     * room for the label and ": ", so the label goes */
    assert_string_equal(line_at(&r.p, 2, 0), "50/100 rows 50%, 25 rows/s, 0:02 left");
    r.p.columns = 60;
    /* 59 - 37 - 2 = 20 characters of label: 17 kept and "..." */
    const char *s = line_at(&r.p, 2, 0);
    assert_string_equal(s, "importing a-very-...: 50/100 rows 50%, 25 rows/s, 0:02 left");
    assert_int_equal(strlen(s), 59);
    rig_close(&r);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(rate_and_time_left),
    cmocka_unit_test(unknown_total),
    cmocka_unit_test(bytes_are_scaled_by_the_total),
    cmocka_unit_test(redraws_at_most_every_interval),
    cmocka_unit_test(clear_erases_the_line),
    cmocka_unit_test(silent_progress_writes_nothing),
    cmocka_unit_test(long_label_is_cut),
};

ACV_TEST_MAIN("progress", tests)
