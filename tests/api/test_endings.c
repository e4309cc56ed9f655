/*
 * test_endings.c - unplanned endings (spec6): the placement's end decides whether it was
 * unplanned (POLICY.md E, and a person's say for LAREQ, CUSTOD and OTHER); an unplanned ending
 * opens the U1 window [end + 1 month, end + 6 weeks] with its action for the IRO, and a U4 action
 * to list it at Part 2 of the permanence panel; the unplanned-ending meeting is scheduled inside
 * the window only (around a month of 30 days, one of 31, and the end of February), chaired by an
 * IRO; the team manager's waiver (U2) needs a stability meeting held in the 12 weeks before the
 * ending; a breakdown before the 11th birthday goes back to family finding (P3); the panel item
 * and its reflective learning circle (U4).
 *
 * Each test builds its own team (meeting_fixtures.h). Children are born on 1 January 2010 unless
 * the test is about their age, so that P3 (under 11 on the day of the ending) stays out of the
 * way. Dates are worked out here; each expected value says how.
 */
#include "action_fixtures.h"
#include "db.h"
#include "expect.h"
#include "fixtures.h"
#include "http_client.h"
#include "match_fixtures.h"
#include "meeting_fixtures.h"
#include "suites.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OLDER_CHILD "2010-01-01"

static json_t *born(const char *dob)
{
    return json_pack("{s:s}", "date_of_birth", dob);
}

/* Ends the placement as the team manager, unplanned by its reason, asserting 200. */
static void end_unplanned(const mtg_scene *s, const char *placement, const char *end_date)
{
    http_response res = mtg_end(&s->tm, placement, end_date, "CREQB", -1);

    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "unplanned", "true");
    http_response_free(&res);
}

/* Checks the placement's unplanned_ending_meeting in `res`: the window, and no waiver. */
static void expect_window(const http_response *res, const char *earliest, const char *latest)
{
    mfx_expect_at(res, "unplanned_ending_meeting.earliest_on", earliest);
    mfx_expect_at(res, "unplanned_ending_meeting.latest_on", latest);
    mfx_expect_at(res, "unplanned_ending_meeting.waiver", NULL);
}

/* An unplanned-ending meeting for the scene's placement at `when`, chaired by its IRO. */
static http_response u1_meeting(const mtg_scene *s, const char *when)
{
    return mtg_meeting_post(&s->csw, "unplanned_ending", s->child, NULL, s->placement, when,
                            s->iro.id);
}

static long u1_meetings(const char *placement)
{
    return db_long("select count(*) from meetings where placement_id::text = $1 and type = "
                   "'unplanned_ending'",
                   1, placement);
}

/*
 * Ended 10 days ago, unplanned (CREQB): the window runs from end + 1 calendar month to end + 42
 * days; U1 "Hold the unplanned-ending meeting" for the IRO and U4 for the administrators' queue,
 * both due at the end of latest_on (23:59:59 London); the placement's social worker visits
 * (P8) are cancelled. A planned ending (CARPL) opens nothing.
 */
START_TEST(test_U1_unplanned_ending_creates_the_action_and_the_window)
{
    mtg_scene s;
    mtg_day today = mtg_today();
    mtg_day end = today - 10;
    char end_s[16], earliest[16], latest[16], due[32], u1[FX_ID_MAX], u4[FX_ID_MAX];
    char visit[FX_ID_MAX], other_child[FX_ID_MAX], planned[FX_ID_MAX], want[256];
    http_response res;

    mtg_scene_create(&s, born(OLDER_CHILD), FX_PLACEMENT_START, 0);
    snprintf(end_s, sizeof end_s, "%s", mtg_date(end));
    snprintf(earliest, sizeof earliest, "%s", mtg_date(mtg_add_months(end, 1)));
    snprintf(latest, sizeof latest, "%s", mtg_date(end + 42));
    snprintf(due, sizeof due, "%s", mtg_end_of_day(end + 42));
    mtg_find_action("placement", s.placement, "P8", NULL, s.csw.id, visit);
    mfx_expect_row("actions", visit, "duty", "sw_visit");

    res = mtg_end(&s.tm, s.placement, end_s, "CREQB", -1);
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "unplanned", "true");
    mfx_expect_at(&res, "end_date", end_s);
    expect_window(&res, earliest, latest);
    http_response_free(&res);
    res = http_get(s.csw.token, "/v1/placements/%s", s.placement);
    EXPECT_STATUS(res, 200);
    expect_window(&res, earliest, latest);
    http_response_free(&res);
    snprintf(want, sizeof want, "%s|%s", earliest, latest);
    mfx_expect_row("placements", s.placement, "u1_earliest_on || '|' || u1_latest_on", want);

    mtg_find_action("placement", s.placement, "U1", "Hold the unplanned-ending meeting", s.iro.id,
                    u1);
    mtg_expect_action(u1, "child", s.child, "placement", s.placement, due, "open", NULL);
    mtg_find_action("placement", s.placement, "U4",
                    "List the unplanned ending at Part 2 of the permanence panel", NULL, u4);
    mtg_expect_action(u4, "child", s.child, "placement", s.placement, due, "open", NULL);
    mtg_expect_action_status(visit, "cancelled");

    /* a planned ending: no window, no U1, no U4 */
    fx_child_create(&s.csw, other_child);
    fx_placement_create(&s.tm, other_child, s.carer, FX_PLACEMENT_START, planned);
    res = mtg_end(&s.tm, planned, end_s, "CARPL", -1);
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "unplanned", "false");
    mfx_expect_at(&res, "unplanned_ending_meeting", NULL);
    http_response_free(&res);
    ck_assert_int_eq(mtg_count_actions("source_id", planned, "U1", NULL, NULL), 0);
    ck_assert_int_eq(mtg_count_actions("source_id", planned, "U4", NULL, NULL), 0);
    mfx_expect_row("placements", planned, "u1_earliest_on", NULL);
}
END_TEST

/* A child of `tm`'s team born OLDER_CHILD, created by the team manager (no CSW). */
static void older_child(const fx_person *tm, char *id)
{
    char family[FX_ID_MAX];
    json_t *body;

    fx_unique(family, sizeof family, "Child");
    body = fx_child_body(family);
    json_object_set_new(body, "date_of_birth", json_string(OLDER_CHILD));
    mfx_create(tm, body, "/v1/children", id);
}

typedef struct unplanned_case {
    const char *reason;
    int unplanned;   /* the member sent: -1 none, 0 false, 1 true */
    int status;      /* 200 or 422 */
    const char *flag; /* "true", "false" or NULL (JSON null) after the ending */
} unplanned_case;

START_TEST(test_U1_unplanned_decided_for_lareq_custod_and_other)
{
    static const unplanned_case CASES[] = {
        {"LAREQ", 1, 200, "true"},  {"CUSTOD", 0, 200, "false"}, {"OTHER", -1, 200, NULL},
        {"CARPL", 1, 422, NULL},    {"CREQB", 0, 422, NULL},     {"ALLEG", 1, 200, "true"},
        {"LAREQ", -1, 200, NULL},
    };
    char team[FX_ID_MAX], carer[FX_ID_MAX];
    fx_person tm;

    fx_unique(team, sizeof team, "team");
    fx_person_create(&tm, "team_manager", team);
    fx_carer_create(&tm, NULL, "approved", 1, carer);
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        char child[FX_ID_MAX], placement[FX_ID_MAX], start[16], end[16];
        http_response res;
        long expected = CASES[i].flag != NULL && strcmp(CASES[i].flag, "true") == 0;

        /* one placement after another with the same carer, never overlapping */
        snprintf(start, sizeof start, "2022-%02zu-01", i + 1);
        snprintf(end, sizeof end, "2022-%02zu-15", i + 1);
        older_child(&tm, child);
        mtg_place(&tm, child, carer, start, "U4", placement);
        res = mtg_end(&tm, placement, end, CASES[i].reason, CASES[i].unplanned);
        if (CASES[i].status == 422) {
            expect_problem(&res, 422, "validation");
            expect_error_field(&res, "unplanned");
            http_response_free(&res);
            mfx_expect_row("placements", placement, "end_date", NULL);
            fx_placement_end(&tm, placement, end, "CARPL"); /* free the carer's place */
            ck_assert_int_eq(mtg_count_actions("source_id", placement, "U1", NULL, NULL), 0);
            continue;
        }
        EXPECT_STATUS(res, 200);
        mfx_expect_at(&res, "unplanned", CASES[i].flag);
        if (!expected)
            mfx_expect_at(&res, "unplanned_ending_meeting", NULL);
        http_response_free(&res);
        ck_assert_msg(mtg_count_actions("source_id", placement, "U1", NULL, NULL) == expected &&
                          mtg_count_actions("source_id", placement, "U4", NULL, NULL) == expected,
                      "case %zu (%s): U1 and U4 actions should number %ld", i, CASES[i].reason,
                      expected);
    }
}
END_TEST

/* Tries each (scheduled_at, accepted) of `tries` for the scene's unplanned-ending meeting. */
typedef struct window_try {
    const char *scheduled_at;
    int accepted;
} window_try;

static void try_window(const mtg_scene *s, const window_try *tries, size_t n)
{
    long accepted = 0;

    for (size_t i = 0; i < n; i++) {
        http_response res = u1_meeting(s, tries[i].scheduled_at);

        if (tries[i].accepted) {
            EXPECT_STATUS(res, 201);
            mfx_expect_at(&res, "scheduled_at", tries[i].scheduled_at);
            mfx_expect_at(&res, "placement_id", s->placement);
            mfx_expect_at(&res, "carer_id", s->carer); /* the placement's carer */
            http_response_free(&res);
            accepted++;
        } else {
            mfx_expect_rule(&res, 422, "U1", "scheduled_at", NULL);
        }
        ck_assert_msg(u1_meetings(s->placement) == accepted, "after %s: %ld meetings",
                      tries[i].scheduled_at, u1_meetings(s->placement));
    }
}

/*
 * Ended Wednesday 15 April 2026 (April has 30 days): earliest = 15 April + 1 month = 15 May
 * 2026; latest = 15 April + 42 days = 27 May 2026 (15 days to 30 April, 27 more into May). Both
 * in summer time, so the London date of 23:30Z is the next day.
 */
START_TEST(test_U1_meeting_window_after_a_30_day_month)
{
    static const window_try TRIES[] = {
        {"2026-05-14T11:00:00Z", 0}, /* 12:00 BST on 14 May: a day early */
        {"2026-05-14T22:30:00Z", 0}, /* 23:30 BST on 14 May */
        {"2026-05-14T23:30:00Z", 1}, /* 00:30 BST on 15 May: the first day */
        {"2026-05-27T17:00:00Z", 1}, /* 18:00 BST on 27 May: end + 42 days, the last day */
        {"2026-05-27T23:30:00Z", 0}, /* 00:30 BST on 28 May: end + 43 days */
        {"2026-05-28T09:00:00Z", 0},
    };
    mtg_scene s;
    http_response res;

    ck_assert_str_eq(mtg_date(mtg_add_months(mtg_parse("2026-04-15"), 1)), "2026-05-15");
    ck_assert_str_eq(mtg_date(mtg_parse("2026-04-15") + 42), "2026-05-27");
    mtg_scene_create(&s, born(OLDER_CHILD), FX_PLACEMENT_START, 0);
    res = mtg_end(&s.tm, s.placement, "2026-04-15", "CREQB", -1);
    EXPECT_STATUS(res, 200);
    expect_window(&res, "2026-05-15", "2026-05-27");
    http_response_free(&res);
    try_window(&s, TRIES, sizeof TRIES / sizeof TRIES[0]);
}
END_TEST

/*
 * Ended Sunday 15 March 2026 (March has 31 days): earliest = 15 April 2026; latest = 15 March +
 * 42 days = 26 April 2026 (16 days to 31 March, 26 more into April). Summer time from 29 March.
 */
START_TEST(test_U1_meeting_window_after_a_31_day_month)
{
    static const window_try TRIES[] = {
        {"2026-04-14T09:00:00Z", 0}, /* 10:00 BST on 14 April */
        {"2026-04-15T09:00:00Z", 1}, /* 15 April: the first day */
        {"2026-04-26T09:00:00Z", 1}, /* 26 April: end + 42 days */
        {"2026-04-27T09:00:00Z", 0}, /* 27 April: end + 43 days */
    };
    mtg_scene s;
    http_response res;

    ck_assert_str_eq(mtg_date(mtg_add_months(mtg_parse("2026-03-15"), 1)), "2026-04-15");
    ck_assert_str_eq(mtg_date(mtg_parse("2026-03-15") + 42), "2026-04-26");
    mtg_scene_create(&s, born(OLDER_CHILD), FX_PLACEMENT_START, 0);
    res = mtg_end(&s.tm, s.placement, "2026-03-15", "CHILD", -1);
    EXPECT_STATUS(res, 200);
    expect_window(&res, "2026-04-15", "2026-04-26");
    http_response_free(&res);
    try_window(&s, TRIES, sizeof TRIES / sizeof TRIES[0]);
}
END_TEST

/* Ended 31 January 2026: + 1 month clamps to 28 February 2026 (not a leap year); latest = 31
 * January + 42 days = 14 March 2026. */
START_TEST(test_U1_window_clamps_at_the_end_of_february)
{
    static const window_try TRIES[] = {
        {"2026-02-27T12:00:00Z", 0},
        {"2026-02-28T12:00:00Z", 1},
        {"2026-03-14T12:00:00Z", 1},
        {"2026-03-15T12:00:00Z", 0},
    };
    mtg_scene s;
    http_response res;

    ck_assert_str_eq(mtg_date(mtg_add_months(mtg_parse("2026-01-31"), 1)), "2026-02-28");
    mtg_scene_create(&s, born(OLDER_CHILD), FX_PLACEMENT_START, 0);
    res = mtg_end(&s.tm, s.placement, "2026-01-31", "STAND", -1);
    EXPECT_STATUS(res, 200);
    expect_window(&res, "2026-02-28", "2026-03-14");
    http_response_free(&res);
    try_window(&s, TRIES, sizeof TRIES / sizeof TRIES[0]);
}
END_TEST

START_TEST(test_U1_meeting_needs_an_unplanned_ending_and_an_iro_chair)
{
    mtg_scene s;
    char other_child[FX_ID_MAX], planned[FX_ID_MAX], when[32];
    mtg_day today = mtg_today();
    http_response res;

    mtg_scene_create(&s, born(OLDER_CHILD), FX_PLACEMENT_START, 0);
    snprintf(when, sizeof when, "%s", mtg_at(today, "10:00"));
    /* the placement is still open */
    res = u1_meeting(&s, when);
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "placement_id");
    http_response_free(&res);
    res = mtg_meeting_post(&s.csw, "unplanned_ending", s.child, NULL, NULL, when, s.iro.id);
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "placement_id");
    http_response_free(&res);

    /* a planned ending of another child of the carer, ended 35 days ago */
    fx_child_create(&s.csw, other_child);
    fx_placement_create(&s.tm, other_child, s.carer, FX_PLACEMENT_START, planned);
    fx_placement_end(&s.tm, planned, mtg_date(today - 35), "CARPL");
    res = mtg_meeting_post(&s.csw, "unplanned_ending", other_child, NULL, planned, when, s.iro.id);
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "placement_id");
    http_response_free(&res);

    end_unplanned(&s, s.placement, mtg_date(today - 35)); /* today is inside its window */
    /* another child's placement */
    res = mtg_meeting_post(&s.csw, "unplanned_ending", other_child, NULL, s.placement, when,
                           s.iro.id);
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "placement_id");
    http_response_free(&res);
    /* chaired by an IRO only */
    res = mtg_meeting_post(&s.csw, "unplanned_ending", s.child, NULL, s.placement, when, s.tm.id);
    mfx_expect_rule(&res, 422, "U1", "chair_id", NULL);
    ck_assert_int_eq(u1_meetings(s.placement), 0);
    mfx_expect_only(u1_meeting(&s, when), 201, NULL);
    ck_assert_int_eq(u1_meetings(s.placement), 1);
}
END_TEST

/* POST /v1/placements/{id}/unplanned-ending-waiver {reason} as `who`. */
static http_response waive(const fx_person *who, const char *placement, const char *why)
{
    return http_post(who->token, why != NULL ? json_pack("{s:s}", "reason", why) : json_object(),
                     "/v1/placements/%s/unplanned-ending-waiver", placement);
}

/*
 * U2: the placement ended 35 days ago (so its U1 action is still open); a stability meeting was
 * held exactly 12 weeks (84 days) before the ending, the first day the lookback reaches. The
 * team manager waives the meeting; the reason is recorded and the U1 action cancelled with it.
 */
START_TEST(test_U2_waiver_with_a_stability_meeting_12_weeks_before)
{
    mtg_scene s;
    fx_person other_tm;
    mtg_day today = mtg_today();
    mtg_day end = today - 35;
    char stab[FX_ID_MAX], end_s[16], held_s[16], u1[FX_ID_MAX], u4[FX_ID_MAX], want[256];
    const char *why = "Stability meeting in March covered the learning";
    const char *note;
    http_response res;

    ck_assert_int_eq(mtg_setting("waiver_stability_lookback_weeks"), 12);
    mtg_scene_create(&s, born(OLDER_CHILD), FX_PLACEMENT_START, 0);
    fx_person_create(&other_tm, "team_manager", NULL);
    snprintf(end_s, sizeof end_s, "%s", mtg_date(end));
    snprintf(held_s, sizeof held_s, "%s", mtg_date(end - 84));
    mtg_stability_held(&s, held_s, "Placement fragile", stab);
    end_unplanned(&s, s.placement, end_s);
    mtg_find_action("placement", s.placement, "U1", NULL, s.iro.id, u1);
    mtg_find_action("placement", s.placement, "U4", NULL, NULL, u4);

    mfx_expect_only(waive(&s.csw, s.placement, why), 403, "forbidden");
    mfx_expect_only(waive(&s.iro, s.placement, why), 403, "forbidden");
    mfx_expect_only(waive(&other_tm, s.placement, why), 404, "not-found");
    res = waive(&s.tm, s.placement, NULL);
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "reason");
    http_response_free(&res);
    mfx_expect_row("placements", s.placement, "u1_waiver_reason", NULL);
    mtg_expect_action_status(u1, "open");

    res = waive(&s.tm, s.placement, why);
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "id", s.placement);
    mfx_expect_at(&res, "unplanned_ending_meeting.waiver.reason", why);
    mfx_expect_at(&res, "unplanned_ending_meeting.waiver.by", s.tm.id);
    mtg_expect_near("waiver.at",
                    json_string_value(mfx_at(res.json, "unplanned_ending_meeting.waiver.at")),
                    time(NULL), 30);
    mfx_expect_at(&res, "unplanned_ending_meeting.latest_on", mtg_date(end + 42));
    http_response_free(&res);
    snprintf(want, sizeof want, "%s|%s", why, s.tm.id);
    mfx_expect_row("placements", s.placement, "u1_waiver_reason || '|' || u1_waived_by", want);
    mtg_expect_action_status(u1, "cancelled");
    res = afx_get_action(u1);
    note = json_string_value(json_object_get(res.json, "closing_note"));
    ck_assert_msg(note != NULL && strstr(note, why) != NULL, "cancelled with the reason: %s",
                  res.body);
    http_response_free(&res);
    mtg_expect_action_status(u4, "open"); /* the panel still hears it */
    mfx_expect_only(waive(&s.tm, s.placement, "again"), 409, "conflict");
    mfx_expect_row("placements", s.placement, "u1_waiver_reason", why);
}
END_TEST

/*
 * U2 refused: no stability meeting at all; one held 13 weeks (91 days) before the ending, one
 * week beyond the lookback; one scheduled inside the 12 weeks but never held. And a planned
 * ending has nothing to waive (409).
 */
START_TEST(test_U2_waiver_refused_without_a_stability_meeting_in_the_12_weeks)
{
    mtg_scene none, old;
    mtg_day today = mtg_today();
    mtg_day end = today - 35;
    char end_s[16], stab[FX_ID_MAX], pending[FX_ID_MAX], other_child[FX_ID_MAX];
    char planned[FX_ID_MAX], u1[FX_ID_MAX];
    http_response res;

    snprintf(end_s, sizeof end_s, "%s", mtg_date(end));
    mtg_scene_create(&none, born(OLDER_CHILD), FX_PLACEMENT_START, 0);
    end_unplanned(&none, none.placement, end_s);
    res = waive(&none.tm, none.placement, "No need");
    mfx_expect_rule(&res, 422, "U2", "stability_meeting", NULL);

    mtg_scene_create(&old, born(OLDER_CHILD), FX_PLACEMENT_START, 0);
    mtg_stability_held(&old, mtg_date(end - 91), "Fragile", stab);
    mtg_meeting_create(&old.csw, "stability", old.child, NULL, NULL, mtg_at(end - 10, "10:00"),
                       old.tm.id, pending);
    end_unplanned(&old, old.placement, end_s);
    mtg_find_action("placement", old.placement, "U1", NULL, old.iro.id, u1);
    res = waive(&old.tm, old.placement, "Covered in the spring");
    mfx_expect_rule(&res, 422, "U2", "stability_meeting", NULL);
    mtg_expect_action_status(u1, "open");
    mfx_expect_row("placements", old.placement, "u1_waiver_reason", NULL);

    fx_child_create(&old.csw, other_child);
    fx_placement_create(&old.tm, other_child, old.carer, FX_PLACEMENT_START, planned);
    fx_placement_end(&old.tm, planned, end_s, "CARPL");
    mfx_expect_only(waive(&old.tm, planned, "Planned"), 409, "conflict");
    mfx_expect_row("placements", planned, "u1_waiver_reason", NULL);
}
END_TEST

/* The matches of `child` in family finding, as "kind|carer|started_on|finder_id|finder_role". */
static char *finding_match(const char *child)
{
    return db_text("select kind || '|' || coalesce(carer_id::text, '') || '|' || started_on || "
                   "'|' || finder_id || '|' || finder_role from matches where child_id::text = $1 "
                   "and status = 'family_finding'",
                   1, child);
}

/*
 * P3 at 10: born 1 June 2015, the placement breaks down on Sunday 31 May 2026, the day before
 * the 11th birthday (so 10). A long-term match in family finding, started that day, found by the
 * allocated family finder; and "Hold a permanency planning meeting" for the CSW, due at the end
 * of the 10th working day after 31 May 2026 (ppm_after_breakdown_working_days): 1-5 and 8-12
 * June, so Friday 12 June 2026, 23:59:59 BST = 22:59:59Z. Holding the ppm closes it. Without a
 * family finder the CSW finds.
 */
START_TEST(test_P3_breakdown_at_10_goes_back_to_family_finding)
{
    mtg_scene s;
    char p3[FX_ID_MAX], ppm[FX_ID_MAX], want[512], today_s[16], younger[FX_ID_MAX];
    char placement2[FX_ID_MAX], family[FX_ID_MAX];
    char *row;
    json_t *body;
    mtg_day today = mtg_today();
    http_response res;

    ck_assert_int_eq(mtg_setting("ppm_after_breakdown_working_days"), 10);
    ck_assert_int_eq(mtg_setting("family_finding_referral_age"), 11);
    ck_assert_str_eq(mtg_end_of_day(mtg_working_day_after(mtg_parse("2026-05-31"), 10)),
                     "2026-06-12T22:59:59Z");
    mtg_scene_create(&s, born("2015-06-01"), FX_PLACEMENT_START, 0);
    ck_assert_int_eq(db_long("select count(*) from matches where child_id::text = $1", 1, s.child),
                     0);
    end_unplanned(&s, s.placement, "2026-05-31");

    row = finding_match(s.child);
    snprintf(want, sizeof want, "long_term||2026-05-31|%s|family_finder", s.finder.id);
    ck_assert_msg(row != NULL && strcmp(row, want) == 0, "the P3 match is [%s], expected [%s]",
                  row ? row : "(none)", want);
    free(row);
    mtg_find_subject_action("child", s.child, "P3", "Hold a permanency planning meeting", s.csw.id,
                            p3);
    mtg_expect_action(p3, "child", s.child, "*", NULL, "2026-06-12T22:59:59Z", "open", NULL);
    res = http_get(s.finder.token, "/v1/matches?child_id=%s", s.child);
    EXPECT_STATUS(res, 200);
    ck_assert_int_eq(json_array_size(body_items(&res)), 1);
    mfx_expect_at(&res, "items.0.status", "family_finding");
    mfx_expect_at(&res, "items.0.carer_id", NULL);
    http_response_free(&res);

    /* the PPM closes it (P2 wants the child's views) */
    snprintf(today_s, sizeof today_s, "%s", mtg_date(today));
    mtg_meeting_create(&s.csw, "ppm", s.child, NULL, NULL, mtg_at(today, "10:00"), s.tm.id, ppm);
    mfx_expect_only(mtg_hold(&s.csw, ppm,
                             mtg_held_body(today_s, mtg_ppm_invited(json_array()),
                                           "Wants a family", NULL, NULL, "Family finding")),
                    200, NULL);
    mtg_expect_action_status(p3, "done");

    /* no family finder allocated: the child's CSW finds */
    fx_unique(family, sizeof family, "Child");
    body = fx_child_body(family);
    json_object_set_new(body, "date_of_birth", json_string("2015-06-01"));
    mfx_create(&s.csw, body, "/v1/children", younger);
    fx_placement_create(&s.tm, younger, s.carer, FX_PLACEMENT_START, placement2);
    end_unplanned(&s, placement2, "2026-05-31");
    row = finding_match(younger);
    snprintf(want, sizeof want, "long_term||2026-05-31|%s|csw", s.csw.id);
    ck_assert_msg(row != NULL && strcmp(row, want) == 0, "the P3 match is [%s], expected [%s]",
                  row ? row : "(none)", want);
    free(row);
}
END_TEST

/* P3 at 11: born 1 June 2015, the placement breaks down on the 11th birthday, 1 June 2026: no
 * referral. Its twin (same birthday, same carer) broke down the day before: referred, so the
 * difference is the age alone. */
START_TEST(test_P3_breakdown_on_the_11th_birthday_does_not)
{
    mtg_scene s;
    char u1[FX_ID_MAX], twin[FX_ID_MAX], twin_placement[FX_ID_MAX], family[FX_ID_MAX];
    json_t *body;

    mtg_scene_create(&s, born("2015-06-01"), FX_PLACEMENT_START, 0);
    end_unplanned(&s, s.placement, "2026-06-01");
    ck_assert_int_eq(db_long("select count(*) from matches where child_id::text = $1", 1, s.child),
                     0);
    ck_assert_int_eq(mtg_count_actions("subject_id", s.child, "P3", NULL, NULL), 0);
    /* the ending is still unplanned */
    mtg_find_action("placement", s.placement, "U1", NULL, s.iro.id, u1);

    fx_unique(family, sizeof family, "Twin");
    body = fx_child_body(family);
    json_object_set_new(body, "date_of_birth", json_string("2015-06-01"));
    mfx_create(&s.csw, body, "/v1/children", twin);
    fx_placement_create(&s.tm, twin, s.carer, FX_PLACEMENT_START, twin_placement);
    end_unplanned(&s, twin_placement, "2026-05-31");
    ck_assert_int_eq(db_long("select count(*) from matches where child_id::text = $1 and status = "
                             "'family_finding'",
                             1, twin),
                     1);
    ck_assert_int_eq(mtg_count_actions("subject_id", twin, "P3", "open", NULL), 1);
}
END_TEST

/* Seats `p` on `panel` in `seat` and records them present, as the panel administrator. */
static void seat_present(const fx_person *padmin, const char *panel, const fx_person *p,
                         const char *seat)
{
    mfx_expect_only(http_post(padmin->token, json_pack("{s:s, s:s}", "person_id", p->id, "seat",
                                                       seat),
                              "/v1/panels/%s/members", panel),
                    201, NULL);
    mfx_expect_only(http_post(padmin->token, json_pack("{s:s, s:b}", "person_id", p->id,
                                                       "attended", 1),
                              "/v1/panels/%s/attendance", panel),
                    200, NULL);
}

/*
 * U4: the unplanned ending is listed at Part 2 of a permanence panel (in a month of its own far
 * ahead, so the papers circulated now are on time), which closes the U4 action; a planned ending
 * is refused. The chair's recommendation records whether a reflective learning circle is
 * recommended.
 */
START_TEST(test_U4_unplanned_ending_listed_at_part_2_with_a_reflective_learning_circle)
{
    mtg_scene s;
    fx_person padmin, chair, core[3];
    mtg_day today = mtg_today();
    char panel[FX_ID_MAX], item[FX_ID_MAX], u4[FX_ID_MAX], date[16], month[16] = "";
    char other_child[FX_ID_MAX], planned[FX_ID_MAX];
    json_t *rec;
    http_response res;

    mtg_scene_create(&s, born(OLDER_CHILD), FX_PLACEMENT_START, 0);
    fx_person_create(&padmin, "panel_admin", NULL);
    fx_person_create(&chair, "chair", NULL);
    for (int i = 0; i < 3; i++)
        fx_person_create(&core[i], "panel_member", NULL);
    end_unplanned(&s, s.placement, mtg_date(today - 10));
    mtg_find_action("placement", s.placement, "U4", NULL, NULL, u4);
    fx_child_create(&s.csw, other_child);
    fx_placement_create(&s.tm, other_child, s.carer, FX_PLACEMENT_START, planned);
    fx_placement_end(&s.tm, planned, mtg_date(today - 10), "CARPL");

    mfx_unique_day(month, 12, date);
    mfx_create(&padmin, json_pack("{s:s, s:s, s:i}", "date", date, "kind", "permanence", "part", 2),
               "/v1/panels", panel);
    seat_present(&padmin, panel, &chair, "chair");
    for (int i = 0; i < 3; i++)
        seat_present(&padmin, panel, &core[i], "core");

    res = http_post(padmin.token, json_pack("{s:s}", "placement_id", planned),
                    "/v1/panels/%s/items", panel);
    mfx_expect_rule(&res, 422, "U4", NULL);
    res = http_post(padmin.token,
                    json_pack("{s:s, s:s}", "placement_id", s.placement, "summary",
                              "Ended after allegations of night-time aggression"),
                    "/v1/panels/%s/items", panel);
    EXPECT_STATUS(res, 201);
    snprintf(item, sizeof item, "%s", body_string(&res, "id"));
    mfx_expect_at(&res, "type", "unplanned_ending");
    mfx_expect_at(&res, "placement_id", s.placement);
    mfx_expect_at(&res, "child_id", s.child);
    mfx_expect_at(&res, "status", "listed");
    mtg_expect_int_at(&res, "part", 2);
    http_response_free(&res);
    ck_assert_int_eq(db_long("select count(*) from panel_items where id::text = $1 and type = "
                             "'unplanned_ending' and part = 2 and placement_id::text = $2",
                             2, item, s.placement),
                     1);
    mtg_expect_action_status(u4, "done");
    ck_assert_int_eq(db_long("select count(*) from panel_items where placement_id::text = $1", 1,
                             planned),
                     0);

    mfx_expect_only(http_post(padmin.token, json_object(), "/v1/panels/%s/papers/circulate", panel),
                    200, NULL);
    rec = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:b}", "outcome", "approve", "reasons",
                    "Learning for the fostering team", "minutes", "Part 2, item 1",
                    "wishes_and_feelings", "Wants to stay in touch with the carer", "wishes_via",
                    "child", "child_invited", 1, "reflective_learning_circle", 1);
    res = http_post(chair.token, rec, "/v1/panels/%s/items/%s/recommendation", panel, item);
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "recommendation.reflective_learning_circle", "true");
    http_response_free(&res);
    mfx_expect_row("panel_items", item, "recommendation->>'reflective_learning_circle'", "true");
    mfx_expect_row("panel_items", item, "status", "recommended");
}
END_TEST

Suite *endings_suite(void)
{
    Suite *s = suite_create("endings");
    TCase *tc = tcase_create("endings");

    tcase_set_timeout(tc, TEST_TIMEOUT_SECONDS);
    tcase_add_test(tc, test_U1_unplanned_ending_creates_the_action_and_the_window);
    tcase_add_test(tc, test_U1_unplanned_decided_for_lareq_custod_and_other);
    tcase_add_test(tc, test_U1_meeting_window_after_a_30_day_month);
    tcase_add_test(tc, test_U1_meeting_window_after_a_31_day_month);
    tcase_add_test(tc, test_U1_window_clamps_at_the_end_of_february);
    tcase_add_test(tc, test_U1_meeting_needs_an_unplanned_ending_and_an_iro_chair);
    tcase_add_test(tc, test_U2_waiver_with_a_stability_meeting_12_weeks_before);
    tcase_add_test(tc, test_U2_waiver_refused_without_a_stability_meeting_in_the_12_weeks);
    tcase_add_test(tc, test_P3_breakdown_at_10_goes_back_to_family_finding);
    tcase_add_test(tc, test_P3_breakdown_on_the_11th_birthday_does_not);
    tcase_add_test(tc, test_U4_unplanned_ending_listed_at_part_2_with_a_reflective_learning_circle);
    suite_add_tcase(s, tc);
    return s;
}
