/*
 * test_review.c — the dataset state machine and decisions (exchange/review.h): every transition
 * allowed or refused with its reason, decisions recorded with who and when and their comments,
 * a refused decision writing nothing, and a submission marking its dataset once.
 */
#include "testutil.h"

#include "areas.h"
#include "keys.h"
#include "review.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static acv_ctx *workspace(const char *tag)
{
    const char *dir = acv_test_tmpdir(tag);
    static char db[8][600];
    static int next;
    char *path = db[next++ % 8];
    snprintf(path, 600, "%s/acvtrack.db", dir);
    acv_ctx_options opt = {.db_path = path, .framework_dir = ACV_TEST_SOURCE_DIR, .create_db = 1};
    acv_ctx *ctx = NULL;
    acv_error err;
    assert_int_equal(acv_ctx_open(&opt, ACV_NEED_STORE | ACV_NEED_FRAMEWORK, &ctx, &err), ACV_OK);
    acv_areas_summary as;
    assert_int_equal(
        acv_areas_import(ctx, ACV_TEST_SOURCE_DIR "/indicators/sample/areas.csv", NULL, &as, &err),
        ACV_OK);
    return ctx;
}

/* Every pair of states: to submitted always; to accepted or returned only from submitted; to
 * draft never; each refusal with its reason. */
static void transitions(void **state)
{
    (void)state;
    static const struct {
        acv_ds_state from, to;
        int allowed;
        const char *why;
    } cases[] = {
        {ACV_DS_DRAFT, ACV_DS_SUBMITTED, 1, NULL},
        {ACV_DS_SUBMITTED, ACV_DS_SUBMITTED, 1, NULL},
        {ACV_DS_ACCEPTED, ACV_DS_SUBMITTED, 1, NULL},
        {ACV_DS_RETURNED, ACV_DS_SUBMITTED, 1, NULL},
        {ACV_DS_SUBMITTED, ACV_DS_ACCEPTED, 1, NULL},
        {ACV_DS_SUBMITTED, ACV_DS_RETURNED, 1, NULL},
        {ACV_DS_DRAFT, ACV_DS_ACCEPTED, 0, "it is a draft: nothing was submitted to accept"},
        {ACV_DS_DRAFT, ACV_DS_RETURNED, 0, "it is a draft: nothing was submitted to return"},
        {ACV_DS_ACCEPTED, ACV_DS_ACCEPTED, 0, "it is accepted already"},
        {ACV_DS_ACCEPTED, ACV_DS_RETURNED, 0,
         "an accepted dataset is not returned; a new submission reopens it"},
        {ACV_DS_RETURNED, ACV_DS_RETURNED, 0,
         "it is returned already and waits for a corrected submission"},
        {ACV_DS_RETURNED, ACV_DS_ACCEPTED, 0,
         "it was returned and waits for a corrected submission; accept that one"},
        {ACV_DS_SUBMITTED, ACV_DS_DRAFT, 0, "no decision makes a dataset a draft again"},
        {ACV_DS_ACCEPTED, ACV_DS_DRAFT, 0, "no decision makes a dataset a draft again"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char why[200] = "";
        int ok = acv_review_transition(cases[i].from, cases[i].to, why, sizeof why);
        if (ok != cases[i].allowed)
            fail_msg("%s -> %s: allowed %d", acv_ds_state_name(cases[i].from),
                     acv_ds_state_name(cases[i].to), ok);
        if (!ok)
            assert_string_equal(why, cases[i].why);
    }
    acv_ds_state s;
    assert_true(acv_ds_state_parse("returned", &s));
    assert_int_equal(s, ACV_DS_RETURNED);
    assert_false(acv_ds_state_parse("Returned", &s));
    assert_string_equal(acv_ds_state_name(ACV_DS_ACCEPTED), "accepted");
}

static void who_comes_from_the_environment(void **state)
{
    (void)state;
    char who[64];
    setenv("ACVTRACK_USER", "analyst.th", 1);
    acv_review_who(who, sizeof who);
    assert_string_equal(who, "analyst.th");
    unsetenv("ACVTRACK_USER");
    setenv("USER", "somchai", 1);
    acv_review_who(who, sizeof who);
    assert_string_equal(who, "somchai");
}

static acv_ds_state state_of(acv_ctx *ctx, const char *area, int year)
{
    acv_ds_state s = ACV_DS_DRAFT;
    acv_error err;
    assert_int_equal(acv_review_state(ctx, area, year, &s, NULL, &err), ACV_OK);
    return s;
}

static void mark(acv_ctx *ctx, const char *area, int year, const char *origin)
{
    acv_error err;
    assert_int_equal(acv_store_begin(ctx->store, &err), ACV_OK);
    assert_int_equal(acv_review_mark_submitted(ctx->store, acv_store_area_id(ctx->store, area),
                                               year, origin, "receiver", "k1", &err),
                     ACV_OK);
    assert_int_equal(acv_store_commit(ctx->store, &err), ACV_OK);
}

typedef struct {
    char lines[8][200];
    int n;
} collected;

static int collect_comment(void *ud, const acv_review_comment *c)
{
    collected *k = ud;
    snprintf(k->lines[k->n++], 200, "%s|%s|%s", c->indicator ? c->indicator : "-",
             c->period ? c->period : "-", c->comment);
    return 0;
}

static int collect_decision(void *ud, const acv_review_decision *d)
{
    collected *k = ud;
    snprintf(k->lines[k->n++], 200, "%s %d %s>%s %s %s %s", d->area, d->year, d->from_state,
             d->to_state, d->who, d->key_id ? d->key_id : "-", d->origin);
    return 0;
}

/* draft → submitted → returned (with comments) → submitted → accepted, and every refusal on the
 * way recording nothing. */
static void decisions_follow_the_state_machine(void **state)
{
    (void)state;
    acv_ctx *ctx = workspace("review-decisions");
    acv_error err;
    const char *city = "demo_capital_metro";
    assert_int_equal(state_of(ctx, city, 2025), ACV_DS_DRAFT);

    acv_review_request accept = {
        .area = city, .year = 2025, .to = ACV_DS_ACCEPTED, .who = "reviewer"};
    assert_int_equal(acv_review_decide(ctx, &accept, NULL, &err), ACV_ERR_INPUT);
    assert_string_equal(err.message, "cannot accept demo_capital_metro 2025: it is a draft: "
                                     "nothing was submitted to accept");
    assert_int_equal(acv_store_count(ctx->store, "review_decisions"), 0);

    mark(ctx, city, 2025, "submission a");
    mark(ctx, city, 2025, "submission a"); /* the same submission again: nothing new */
    assert_int_equal(acv_store_count(ctx->store, "review_decisions"), 1);
    assert_int_equal(state_of(ctx, city, 2025), ACV_DS_SUBMITTED);
    assert_int_equal(state_of(ctx, city, 2024), ACV_DS_DRAFT);

    /* a return needs a comment; an unknown indicator or a period of another year is refused */
    acv_review_request ret = {.area = city, .year = 2025, .to = ACV_DS_RETURNED, .who = "reviewer"};
    assert_int_equal(acv_review_decide(ctx, &ret, NULL, &err), ACV_ERR_INPUT);
    assert_string_equal(err.message,
                        "returning demo_capital_metro 2025 needs a comment saying what to correct "
                        "(--comment TEXT, or --indicator CODE --comment TEXT per value)");
    acv_review_comment bad[] = {{.indicator = "NO.SUCH", .comment = "x"}};
    ret.values = bad;
    ret.n_values = 1;
    assert_int_equal(acv_review_decide(ctx, &ret, NULL, &err), ACV_ERR_INPUT);
    assert_string_equal(err.message, "comment 1: unknown indicator 'NO.SUCH' (not in the "
                                     "framework or the workspace's series)");
    acv_review_comment other_year[] = {
        {.indicator = "EC.MSME.1", .period = "2024", .comment = "x"}};
    ret.values = other_year;
    assert_int_equal(acv_review_decide(ctx, &ret, NULL, &err), ACV_ERR_INPUT);
    assert_string_equal(err.message,
                        "comment 1 on EC.MSME.1: period '2024' is not a period of 2025");
    assert_int_equal(acv_store_count(ctx->store, "review_decisions"), 1);
    assert_int_equal(acv_store_count(ctx->store, "review_comments"), 0);

    acv_review_comment good[] = {
        {.indicator = "EC.MSME.1", .period = "2025", .comment = "twice last year's; check"},
        {.indicator = "PS.DRR.4", .comment = "source missing"},
    };
    ret.values = good;
    ret.n_values = 2;
    ret.comment = "see the two values";
    ret.key_id = "k2";
    int64_t id = 0;
    assert_int_equal(acv_review_decide(ctx, &ret, &id, &err), ACV_OK);
    assert_true(id > 0);
    assert_int_equal(state_of(ctx, city, 2025), ACV_DS_RETURNED);
    collected k = {0};
    assert_int_equal(acv_store_each_decision_comment(ctx->store, id, collect_comment, &k, &err),
                     ACV_OK);
    assert_int_equal(k.n, 2);
    assert_string_equal(k.lines[0], "EC.MSME.1|2025|twice last year's; check");
    assert_string_equal(k.lines[1], "PS.DRR.4|-|source missing");

    /* returned: neither accepted nor returned again until a new submission */
    assert_int_equal(acv_review_decide(ctx, &accept, NULL, &err), ACV_ERR_INPUT);
    acv_review_decision latest;
    acv_ds_state s;
    assert_int_equal(acv_review_state(ctx, city, 2025, &s, &latest, &err), ACV_OK);
    char want[400];
    snprintf(want, sizeof want,
             "cannot accept demo_capital_metro 2025: it was returned and waits for a corrected "
             "submission; accept that one (returned by reviewer at %s)",
             latest.at);
    assert_int_equal(strlen(latest.at), 20); /* 2026-12-06T04:50:00Z */
    assert_int_equal(latest.at[10], 'T');
    assert_int_equal(latest.at[19], 'Z');
    acv_error again; /* latest's strings are the store's until its next call */
    assert_int_equal(acv_review_decide(ctx, &accept, NULL, &again), ACV_ERR_INPUT);
    assert_string_equal(again.message, want);

    mark(ctx, city, 2025, "submission b");
    assert_int_equal(state_of(ctx, city, 2025), ACV_DS_SUBMITTED);
    assert_int_equal(acv_review_decide(ctx, &accept, NULL, &err), ACV_OK);
    assert_int_equal(state_of(ctx, city, 2025), ACV_DS_ACCEPTED);
    assert_int_equal(acv_review_decide(ctx, &accept, NULL, &err), ACV_ERR_INPUT);
    ret.values = good;
    assert_int_equal(acv_review_decide(ctx, &ret, NULL, &err), ACV_ERR_INPUT);

    /* the history, oldest first */
    collected h = {0};
    int64_t area_id = acv_store_area_id(ctx->store, city);
    assert_int_equal(acv_store_each_decision(ctx->store, area_id, 2025, collect_decision, &h, &err),
                     ACV_OK);
    assert_int_equal(h.n, 4);
    assert_string_equal(h.lines[0], "demo_capital_metro 2025 draft>submitted receiver k1 "
                                    "submission a");
    assert_string_equal(h.lines[1],
                        "demo_capital_metro 2025 submitted>returned reviewer k2 review");
    assert_string_equal(h.lines[2], "demo_capital_metro 2025 returned>submitted receiver k1 "
                                    "submission b");
    assert_string_equal(h.lines[3], "demo_capital_metro 2025 submitted>accepted reviewer - review");
    assert_int_equal(acv_store_count(ctx->store, "review_comments"), 2);

    /* an unknown area */
    accept.area = "nowhere";
    assert_int_equal(acv_review_decide(ctx, &accept, NULL, &err), ACV_ERR_NOTFOUND);
    assert_string_equal(err.message, "unknown area 'nowhere' (see 'acvtrack areas list')");
    acv_ctx_close(ctx);
}

/* The calendar's rule and its dates for a year; a country it does not name has no deadline. */
static void calendar_deadlines(void **state)
{
    (void)state;
    const char *dir = acv_test_tmpdir("review-calendar");
    char *path = acv_test_write(dir, "cal.yml",
                                "calendar: 1\n"
                                "countries:\n"
                                "  TH:\n"
                                "    due: \"03-31\"\n"
                                "    deadlines:\n"
                                "      2024: \"2025-06-30\"\n"
                                "  VN:\n"
                                "    due: \"12-15\"\n"
                                "    years_after: 0\n"
                                "  LA:\n"
                                "    deadlines:\n"
                                "      2025: \"2026-02-28\"\n");
    acv_calendar *c = NULL;
    acv_error err;
    assert_int_equal(acv_calendar_load(path, "cal.yml", &c, &err), ACV_OK);
    char d[11];
    assert_true(acv_calendar_deadline(c, "TH", 2025, d)); /* the rule: 31 March of 2025 + 1 */
    assert_string_equal(d, "2026-03-31");
    assert_true(acv_calendar_deadline(c, "TH", 2024, d)); /* the date given for 2024 */
    assert_string_equal(d, "2025-06-30");
    assert_true(acv_calendar_deadline(c, "VN", 2025, d)); /* years_after 0: the same year */
    assert_string_equal(d, "2025-12-15");
    assert_true(acv_calendar_deadline(c, "LA", 2025, d));
    assert_string_equal(d, "2026-02-28");
    assert_false(acv_calendar_deadline(c, "LA", 2024, d)); /* no rule, no date for 2024 */
    assert_false(acv_calendar_deadline(c, "MY", 2025, d));
    assert_false(acv_calendar_deadline(NULL, "TH", 2025, d));
    acv_calendar_free(c);
    free(path);
}

/* Each mistake is refused with its file, line and column. */
static void calendar_errors(void **state)
{
    (void)state;
    static const struct {
        const char *yaml, *message;
    } cases[] = {
        {"calendar: 1\ncountries:\n  TH:\n    due: \"02-30\"\n",
         "cal.yml:4:10: 'due' must be a day of the year as MM-DD like 03-31 in country TH of the "
         "reporting calendar, found '02-30'"},
        {"calendar: 1\ncountries:\n  TH:\n    deadlines:\n      2025: \"2026-02-29\"\n",
         "cal.yml:5:13: the deadline for 2025 in country TH of the reporting calendar must be a "
         "date YYYY-MM-DD, found '2026-02-29'"},
        {"calendar: 1\ncountries:\n  TH:\n    due: \"03-31\"\n    dew: 1\n",
         "cal.yml:5:5: unknown key 'dew' in country TH of the reporting calendar"},
        {"calendar: 2\ncountries:\n  TH:\n    due: \"03-31\"\n",
         "cal.yml:1:11: this acvtrack reads calendar format 1, found 2"},
        {"calendar: 1\ncountries:\n  TH: {}\n",
         "cal.yml:3:3: country TH of the reporting calendar needs 'due' (MM-DD) or 'deadlines' "
         "(year: YYYY-MM-DD)"},
    };
    const char *dir = acv_test_tmpdir("review-calendar-errors");
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *path = acv_test_write(dir, "cal.yml", cases[i].yaml);
        acv_calendar *c = (acv_calendar *)1;
        acv_error err;
        assert_int_equal(acv_calendar_load(path, "cal.yml", &c, &err), ACV_ERR_INPUT);
        assert_null(c);
        assert_string_equal(err.message, cases[i].message);
        free(path);
    }
}

/* Records a decision with a given time, as a receive or a review would. */
static void decide_at(acv_ctx *ctx, const char *area, int year, const char *from, const char *to,
                      const char *at)
{
    acv_error err;
    acv_review_decision d = {
        .from_state = from, .to_state = to, .who = "ministry", .at = at, .origin = "test"};
    assert_int_equal(acv_store_begin(ctx->store, &err), ACV_OK);
    assert_int_equal(acv_store_add_decision(ctx->store, acv_store_area_id(ctx->store, area), year,
                                            &d, NULL, 0, NULL, &err),
                     ACV_OK);
    assert_int_equal(acv_store_commit(ctx->store, &err), ACV_OK);
}

/* The three DEMO cities for 2025 against the deadline 2026-03-31 (the shipped calendar's rule):
 *   capital: received 2026-03-01, returned 2026-03-10, received again 2026-04-02, accepted
 *            2026-04-05: accepted, first received 2026-03-01 (on time);
 *   secondary: received 2026-04-15 (late), returned 2026-04-20: returned, late;
 *   coastal: nothing: missing, overdue as of 2026-05-01, not due yet as of 2026-03-31 (the
 *            deadline day itself). */
static void submissions_listing(void **state)
{
    (void)state;
    acv_ctx *ctx = workspace("review-listing");
    decide_at(ctx, "demo_capital_metro", 2025, "draft", "submitted", "2026-03-01T09:00:00Z");
    decide_at(ctx, "demo_capital_metro", 2025, "submitted", "returned", "2026-03-10T09:00:00Z");
    decide_at(ctx, "demo_capital_metro", 2025, "returned", "submitted", "2026-04-02T09:00:00Z");
    decide_at(ctx, "demo_capital_metro", 2025, "submitted", "accepted", "2026-04-05T10:30:00Z");
    decide_at(ctx, "demo_secondary_city", 2025, "draft", "submitted", "2026-04-15T08:00:00Z");
    decide_at(ctx, "demo_secondary_city", 2025, "submitted", "returned", "2026-04-20T08:00:00Z");
    decide_at(ctx, "demo_coastal_town", 2024, "draft", "submitted", "2025-01-15T08:00:00Z");
    /* the runs packages carried (as submission receive stores them): the capital's in two
     * packages, the later one (received 2, without an overlay, 70.5) wins over the earlier
     * (received 1, overlay demo-coast, 61.25); the secondary city's run has no overall score */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(ctx->db_path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "INSERT INTO submission_runs VALUES (1, 1, 'demo_capital_metro', 2025, "
                     "'2026-03-01T00:00:00Z', '0.1.0', 'f', 'd', 'm', 'demo-coast'), (2, 1, "
                     "'demo_capital_metro', 2025, '2026-04-01T00:00:00Z', '0.1.0', 'f', 'd', 'm', "
                     "NULL), (3, 1, 'demo_secondary_city', 2025, '2026-04-15T00:00:00Z', '0.1.0', "
                     "'f', 'd', 'm', NULL), (3, 2, 'demo_secondary_city', 2024, "
                     "'2026-04-15T00:00:00Z', '0.1.0', 'f', 'd', 'm', NULL);"
                     "INSERT INTO submission_run_results VALUES (1, 1, 'overall', 'ACV', 61.25, "
                     "NULL), (2, 1, 'overall', 'ACV', 70.5, NULL), (2, 1, 'pillar', 'PS', 12, "
                     "NULL), (3, 1, 'pillar', 'PS', 40, NULL), (3, 2, 'overall', 'ACV', 33, NULL)",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    acv_calendar *cal = NULL;
    acv_error err;
    assert_int_equal(acv_calendar_load(ACV_TEST_SOURCE_DIR
                                       "/indicators/calendar/reporting-calendar.yml",
                                       NULL, &cal, &err),
                     ACV_OK);
    acv_submissions_request req = {
        .country = "DEMO", .year = 2025, .as_of = "2026-05-01", .calendar = cal};
    acv_submissions_model *m = NULL;
    assert_int_equal(acv_submissions_load(ctx, &req, &m, &err), ACV_OK);
    assert_int_equal(m->n, 3);
    assert_int_equal(m->n_accepted, 1);
    assert_int_equal(m->n_returned, 1);
    assert_int_equal(m->n_submitted, 0);
    assert_int_equal(m->n_missing, 1);
    assert_int_equal(m->n_late, 1);
    assert_int_equal(m->n_overdue, 1);
    acv_buf b = {0};
    acv_submissions_render(m, ACV_SUBMISSIONS_CSV, &b);
    assert_string_equal(
        b.data,
        "year,area,name,country,state,received_at,deadline,timeliness,decided_at,decided_by,"
        "score,score_overlay,sender_score,sender_overlay\r\n"
        "2025,demo_capital_metro,Demo capital metro (fictional),DEMO,accepted,"
        "2026-03-01T09:00:00Z,2026-03-31,on time,2026-04-05T10:30:00Z,ministry,,,70.5,shared "
        "framework\r\n"
        "2025,demo_coastal_town,Demo coastal town (fictional),DEMO,missing,,2026-03-31,overdue,"
        ",,,,,\r\n"
        "2025,demo_secondary_city,Demo secondary city (fictional),DEMO,returned,"
        "2026-04-15T08:00:00Z,2026-03-31,late,2026-04-20T08:00:00Z,ministry,,,,shared "
        "framework\r\n");
    acv_buf_free(&b);
    acv_submissions_render(m, ACV_SUBMISSIONS_TABLE, &b);
    /* the table labels both scores; the secondary city's run has no overall score */
    assert_non_null(strstr(b.data, "SENDER'S SCORE"));
    assert_non_null(strstr(b.data, "70.5 (shared framework)"));
    assert_non_null(strstr(b.data, "  no score  "));
    acv_buf_free(&b);
    acv_submissions_free(m);

    /* on the deadline day nothing is overdue yet; 2024 has its own date (2025-06-30) */
    req.as_of = "2026-03-31";
    assert_int_equal(acv_submissions_load(ctx, &req, &m, &err), ACV_OK);
    assert_string_equal(m->entries[1].area, "demo_coastal_town");
    assert_int_equal(m->entries[1].timeliness, ACV_TIME_NOT_DUE);
    acv_submissions_free(m);
    req.year = 2024;
    assert_int_equal(acv_submissions_load(ctx, &req, &m, &err), ACV_OK);
    assert_string_equal(m->entries[1].state, "submitted");
    assert_string_equal(m->entries[1].deadline, "2025-06-30");
    assert_int_equal(m->entries[1].timeliness, ACV_TIME_ON_TIME);
    assert_int_equal(m->n_missing, 2);
    assert_int_equal(m->n_overdue, 2); /* capital and secondary: 2025-06-30 is past */
    acv_submissions_free(m);

    /* HTML: one page, every text escaped */
    acv_area x = {.code = "demo_x",
                  .name = "X <b>&\"q\"</b>",
                  .level = "city",
                  .parent_code = "DEMO",
                  .country = "DEMO"};
    int changed;
    assert_int_equal(acv_store_begin(ctx->store, &err), ACV_OK);
    assert_int_equal(acv_store_put_area(ctx->store, &x, &changed, &err), ACV_OK);
    assert_int_equal(acv_store_commit(ctx->store, &err), ACV_OK);
    req.year = 2025;
    assert_int_equal(acv_submissions_load(ctx, &req, &m, &err), ACV_OK);
    acv_submissions_render(m, ACV_SUBMISSIONS_HTML, &b);
    assert_non_null(strstr(b.data, "<td>X &lt;b&gt;&amp;&quot;q&quot;&lt;/b&gt;</td>"));
    assert_null(strstr(b.data, "<b>"));
    assert_non_null(strstr(b.data, "<title>Submissions for 2025: DEMO, as of 2026-03-31</title>"));
    assert_non_null(strstr(b.data, "<p>4 areas expected: 1 accepted, 1 returned, 0 submitted "
                                   "(waiting for review), 2 missing; 1 late, 0 overdue\n</p>"));
    assert_non_null(strstr(b.data, "<td class=\"returned\">returned</td>"));
    assert_non_null(strstr(b.data, "<td class=\"late\">late</td>"));
    assert_null(strstr(b.data, "http"));
    acv_buf_free(&b);
    acv_submissions_free(m);

    req.as_of = "2026-02-30";
    assert_int_equal(acv_submissions_load(ctx, &req, &m, &err), ACV_ERR_INPUT);
    assert_string_equal(err.message, "--as-of '2026-02-30' is not a date YYYY-MM-DD");
    req.as_of = NULL;
    req.country = "XX";
    assert_int_equal(acv_submissions_load(ctx, &req, &m, &err), ACV_ERR_NOTFOUND);
    acv_calendar_free(cal);
    acv_ctx_close(ctx);
}

static void write_all(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* The return travels from the ministry to the city: written signed, imported where the
 * ministry's key is trusted for the city, refused (recording nothing) when changed, untrusted,
 * trusted for another area or not a return file at all; the same file twice changes nothing. */
static void return_file_round_trip(void **state)
{
    (void)state;
    const char *city_code = "demo_capital_metro";
    acv_ctx *ministry = workspace("review-return-ministry");
    acv_ctx *city = workspace("review-return-city");
    acv_ctx *other = workspace("review-return-other");
    acv_error err;
    acv_public_key pk;
    assert_int_equal(acv_keys_create(ministry->db_path, "Ministry", &pk, &err), ACV_OK);
    const char *city_areas[] = {city_code};
    assert_int_equal(acv_keys_trust(city->store, &pk, city_areas, 1, &err), ACV_OK);
    const char *other_areas[] = {"demo_coastal_town"};
    assert_int_equal(acv_keys_trust(other->store, &pk, other_areas, 1, &err), ACV_OK);

    mark(ministry, city_code, 2025, "submission a");
    acv_review_comment values[] = {
        {.indicator = "EC.MSME.1", .period = "2025", .comment = "twice last year's: \"units?\""},
        {.indicator = "PS.DRR.4", .comment = "source missing\nsee the note"},
    };
    char key_id[ACV_REVIEW_KEY_ID_SIZE];
    assert_true(acv_review_workspace_key(ministry, key_id));
    assert_string_equal(key_id, pk.id);
    acv_review_request ret = {.area = city_code,
                              .year = 2025,
                              .to = ACV_DS_RETURNED,
                              .comment = "two values to check",
                              .values = values,
                              .n_values = 2,
                              .who = "somchai",
                              .key_id = key_id};
    assert_int_equal(acv_review_decide(ministry, &ret, NULL, &err), ACV_OK);
    const char *dir = acv_test_tmpdir("review-return-files");
    char path[700];
    snprintf(path, sizeof path, "%s/return.yml", dir);
    assert_int_equal(acv_review_return_write(ministry, city_code, 2025, path, &err), ACV_OK);
    /* an accepted (or any not returned) dataset has no return to write */
    assert_int_equal(acv_review_return_write(ministry, city_code, 2024, path, &err), ACV_ERR_INPUT);
    assert_string_equal(err.message, "demo_capital_metro 2024 is draft, not returned: there is "
                                     "no return to write");

    char *good = acv_test_read(path);
    assert_non_null(good);
    size_t len = strlen(good);
    acv_review_decision at_ministry;
    acv_ds_state st;
    assert_int_equal(acv_review_state(ministry, city_code, 2025, &st, &at_ministry, &err), ACV_OK);
    char expect_head[600];
    snprintf(expect_head, sizeof expect_head,
             "format: acvtrack-return\nversion: 1\narea: \"demo_capital_metro\"\nyear: 2025\n"
             "decision: returned\ndecided_by: \"somchai\"\ndecided_at: \"%s\"\nkey_id: \"%s\"\n",
             at_ministry.at, pk.id);
    assert_non_null(strstr(good, expect_head));
    assert_non_null(strstr(good, "values:\n  - indicator: \"EC.MSME.1\"\n    period: \"2025\"\n"
                                 "    comment: \"twice last year's: \\\"units?\\\"\"\n"));

    /* one byte changed, in the text or in the signature: refused, nothing recorded */
    const char *mark_text = strstr(good, "two values");
    size_t positions[] = {(size_t)(mark_text - good), len - 10};
    for (size_t i = 0; i < 2; i++) {
        char *bad = malloc(len);
        memcpy(bad, good, len);
        /* another letter; in the signature another hex digit */
        bad[positions[i]] = bad[positions[i]] == '0' ? '1' : '0';
        write_all(path, bad, len);
        free(bad);
        acv_review_import r;
        assert_int_equal(acv_review_return_import(city, path, &r, &err), ACV_ERR_INPUT);
        char want[900];
        snprintf(want, sizeof want,
                 "%s: the signature does not match the content (the file was changed after it "
                 "was signed, or damaged)",
                 path);
        assert_string_equal(err.message, want);
        assert_int_equal(acv_store_count(city->store, "review_decisions"), 0);
    }
    /* cut short, empty: not a signed return file */
    write_all(path, good, len / 2);
    acv_review_import r;
    assert_int_equal(acv_review_return_import(city, path, &r, &err), ACV_ERR_INPUT);
    char want[900];
    snprintf(want, sizeof want,
             "%s: not a signed acvtrack return file (it does not end in its signature line)", path);
    assert_string_equal(err.message, want);
    write_all(path, "", 0);
    assert_int_equal(acv_review_return_import(city, path, &r, &err), ACV_ERR_INPUT);
    assert_string_equal(err.message, want);

    /* the intact file where the key is trusted for another area only */
    write_all(path, good, len);
    assert_int_equal(acv_review_return_import(other, path, &r, &err), ACV_ERR_INPUT);
    snprintf(want, sizeof want,
             "%s: signed by key %s, which this workspace does not trust for demo_capital_metro "
             "(acvtrack keys trust THEIR-KEY.pub --areas demo_capital_metro)",
             path, pk.id);
    assert_string_equal(err.message, want);
    assert_int_equal(acv_store_count(other->store, "review_decisions"), 0);

    /* imported at the city: the reviewer's decision, who and when, with the comments */
    assert_int_equal(acv_review_return_import(city, path, &r, &err), ACV_OK);
    assert_false(r.already);
    assert_string_equal(r.area, city_code);
    assert_int_equal(r.year, 2025);
    assert_int_equal(r.n_comments, 3);
    acv_review_decision d;
    assert_int_equal(acv_review_state(city, city_code, 2025, &st, &d, &err), ACV_OK);
    assert_int_equal(st, ACV_DS_RETURNED);
    assert_string_equal(d.who, "somchai");
    assert_string_equal(d.at, at_ministry.at);
    assert_string_equal(d.key_id, pk.id);
    assert_string_equal(d.comment, "two values to check");
    assert_string_equal(d.origin, "return file return.yml");
    collected k = {0};
    assert_int_equal(acv_store_each_decision_comment(city->store, d.id, collect_comment, &k, &err),
                     ACV_OK);
    assert_int_equal(k.n, 2);
    assert_string_equal(k.lines[0], "EC.MSME.1|2025|twice last year's: \"units?\"");
    assert_string_equal(k.lines[1], "PS.DRR.4|-|source missing\nsee the note");
    /* again: nothing changes */
    assert_int_equal(acv_review_return_import(city, path, &r, &err), ACV_OK);
    assert_true(r.already);
    assert_int_equal(acv_store_count(city->store, "review_decisions"), 1);
    assert_int_equal(acv_store_count(city->store, "review_comments"), 2);

    free(good);
    acv_ctx_close(ministry);
    acv_ctx_close(city);
    acv_ctx_close(other);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(return_file_round_trip),
    cmocka_unit_test(submissions_listing),
    cmocka_unit_test(calendar_deadlines),
    cmocka_unit_test(calendar_errors),
    cmocka_unit_test(transitions),
    cmocka_unit_test(who_comes_from_the_environment),
    cmocka_unit_test(decisions_follow_the_state_machine),
};

ACV_TEST_MAIN("review", tests)
