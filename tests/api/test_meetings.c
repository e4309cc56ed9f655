/*
 * test_meetings.c - meetings (spec6): creating one (who may, whom they must reach, the chair and
 * carer checked, a stability meeting's carer taken from the open placement, S3's team-manager
 * chair); holding one (S3: the chair, the foster carer, the SSW and the CSW present and the
 * child's views; U1: the IRO chair, the views and the learning, inside the window; P2: the
 * child's views); minutes, frozen once circulated; circulation on time or late (S4: flagged);
 * the action plan of a held meeting (P2, S5: every action with an owner and a due date); the
 * list and its filters; who is refused (403) and who cannot see (404).
 *
 * Each test builds its own team (meeting_fixtures.h). Dates are worked out here from the clock
 * in London terms, never read back from the service; each expected value says how.
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

/* A body held for a ppm (P2: the five it invites are listed, the IRO invited but absent) or
 * another meeting without rules about its attendees. */
static json_t *plain_held(const char *held_on, const char *child_views)
{
    return mtg_held_body(held_on, mtg_ppm_invited(json_array()), child_views, NULL, NULL,
                         "Plan agreed");
}

/* The meetings of `child` in the database. */
static long meetings_of(const char *child)
{
    return db_long("select count(*) from meetings where child_id::text = $1", 1, child);
}

/* The list answer's item ids, in order, joined by "," (caller frees). */
static char *list_ids(const http_response *res)
{
    json_t *items = body_items(res);
    json_t *item;
    size_t i;
    size_t size = 1 + json_array_size(items) * (FX_ID_MAX + 1);
    char *out = calloc(1, size);

    ck_assert_msg(out != NULL, "out of memory");
    json_array_foreach(items, i, item) {
        const char *id = json_string_value(json_object_get(item, "id"));

        if (i > 0)
            strcat(out, ",");
        strcat(out, id != NULL ? id : "?");
    }
    return out;
}

/* GETs `path` as `who` and checks the listed meeting ids are exactly `want` ("a,b,c"). */
static void expect_list(const fx_person *who, const char *want, const char *path)
{
    http_response res = http_get(who->token, "%s", path);
    char *got;

    EXPECT_STATUS(res, 200);
    got = list_ids(&res);
    ck_assert_msg(strcmp(got, want) == 0, "%s listed [%s], expected [%s]", res.what, got, want);
    free(got);
    http_response_free(&res);
}

START_TEST(test_meetings_create_stability_takes_the_placed_carer)
{
    mtg_scene s;
    mtg_day today = mtg_today();
    char when[32], id[FX_ID_MAX], location[FX_ID_MAX + 16];
    http_response res;

    mtg_scene_create(&s, NULL, FX_PLACEMENT_START, 0);
    snprintf(when, sizeof when, "%s", mtg_at(today + 7, "10:00"));
    /* S3: without carer_id, a stability meeting is about the carer of the open placement */
    res = mtg_meeting_post(&s.csw, "stability", s.child, NULL, NULL, when, s.tm.id);
    EXPECT_STATUS(res, 201);
    snprintf(id, sizeof id, "%s", body_string(&res, "id"));
    ck_assert_msg(is_uuid(id), "meeting id [%s] is not a UUID", id);
    snprintf(location, sizeof location, "/v1/meetings/%s", id);
    expect_location(&res, location);
    ck_assert_msg(http_header(&res, "ETag") != NULL, "no ETag");
    mfx_expect_at(&res, "type", "stability");
    mfx_expect_at(&res, "child_id", s.child);
    mfx_expect_at(&res, "carer_id", s.carer);
    mfx_expect_at(&res, "placement_id", NULL);
    mfx_expect_at(&res, "scheduled_at", when);
    mfx_expect_at(&res, "chair_id", s.tm.id);
    mfx_expect_at(&res, "status", "scheduled");
    mfx_expect_at(&res, "held_on", NULL);
    mfx_expect_at(&res, "minutes", NULL);
    mfx_expect_at(&res, "minutes_due_at", NULL);
    mfx_expect_at(&res, "circulated_at", NULL);
    mfx_expect_at(&res, "minutes_late", NULL);
    mfx_expect_at(&res, "created_by", s.csw.id);
    mtg_expect_int_at(&res, "version", 1);
    ck_assert_msg(json_is_array(mfx_at(res.json, "attendees")), "attendees: %s", res.body);
    http_response_free(&res);
    mfx_expect_row("meetings", id, "carer_id", s.carer);
}
END_TEST

START_TEST(test_meetings_create_row_and_audit)
{
    mtg_scene s;
    mtg_day today = mtg_today();
    char when[32], id[FX_ID_MAX], want[1024];
    http_response res;

    mtg_scene_create(&s, NULL, FX_PLACEMENT_START, 0);
    snprintf(when, sizeof when, "%s", mtg_at(today + 9, "14:30"));
    mtg_meeting_create(&s.csw, "stability", s.child, NULL, NULL, when, s.tm.id, id);
    snprintf(want, sizeof want, "stability|scheduled|%s|%s|%s|%s", s.carer, s.tm.id, when,
             s.csw.id);
    mfx_expect_row("meetings", id,
                   "type || '|' || status || '|' || carer_id || '|' || chair_id || '|' || "
                   "iso_utc(scheduled_at) || '|' || created_by",
                   want);
    mfx_expect_row("meetings", id, "held_on", NULL);
    /* every write is audited (R1) */
    ck_assert_int_eq(db_long("select count(*) from audit_log where resource_type = 'meeting' and "
                             "resource_id = $1 and method = 'POST' and status = 201 and sub = $2",
                             2, id, s.csw.id),
                     1);
    /* the IRO and the SSW whose carer has the child read it; so does the chair */
    for (int i = 0; i < 3; i++) {
        const fx_person *who = i == 0 ? &s.iro : i == 1 ? &s.ssw : &s.tm;

        res = http_get(who->token, "/v1/meetings/%s", id);
        EXPECT_STATUS(res, 200);
        mfx_expect_at(&res, "id", id);
        mfx_expect_at(&res, "status", "scheduled");
        http_response_free(&res);
    }
}
END_TEST

START_TEST(test_meetings_create_who_may_and_whom_they_reach)
{
    static const char *const REFUSED[] = {"panel_member", "chair", "adm", "panel_admin",
                                          "voice_ambassador", "admin", "agency", NULL};
    mtg_scene s;
    fx_person other_csw, other_tm, loose_iro, other_ssw;
    char other_team[FX_ID_MAX], other_carer[FX_ID_MAX], id[FX_ID_MAX], when[32];
    mtg_day today = mtg_today();
    http_response res;

    mtg_scene_create(&s, NULL, FX_PLACEMENT_START, 0);
    fx_unique(other_team, sizeof other_team, "team");
    fx_person_create(&other_csw, "csw", other_team);
    fx_person_create(&other_tm, "team_manager", other_team);
    fx_person_create(&loose_iro, "iro", NULL);
    fx_person_create(&other_ssw, "ssw", other_team);
    fx_carer_create(&other_tm, NULL, "approved", 1, other_carer);
    fx_carer_allocate(&other_tm, other_carer, other_ssw.id);
    snprintf(when, sizeof when, "%s", mtg_at(today + 14, "11:00"));

    /* roles that never create meetings: 403 */
    for (int i = 0; REFUSED[i] != NULL; i++) {
        fx_person p;

        mtg_token_for(&p, REFUSED[i]);
        res = mtg_meeting_post(&p, "ppm", s.child, NULL, NULL, when, s.tm.id);
        expect_problem(&res, 403, "forbidden");
        http_response_free(&res);
    }
    /* the right role without a way to the child: 404 */
    mfx_expect_only(mtg_meeting_post(&other_csw, "ppm", s.child, NULL, NULL, when, s.tm.id), 404,
                    "not-found");
    mfx_expect_only(mtg_meeting_post(&other_tm, "ppm", s.child, NULL, NULL, when, s.tm.id), 404,
                    "not-found");
    mfx_expect_only(mtg_meeting_post(&loose_iro, "ppm", s.child, NULL, NULL, when, s.tm.id), 404,
                    "not-found");
    mfx_expect_only(mtg_meeting_post(&other_ssw, "ppm", s.child, NULL, NULL, when, s.tm.id), 404,
                    "not-found");
    ck_assert_int_eq(mfx_audit_rows(other_csw.id, "/v1/meetings", 404), 1);
    ck_assert_int_eq(meetings_of(s.child), 0);

    /* field checks: an unknown chair or carer, a type or time that is not one */
    res = mtg_meeting_post(&s.csw, "ppm", s.child, "7d1e2b8a-9c3f-4e5d-8a6b-0c1d2e3f4a5b", NULL,
                           when, "nobody-at-all");
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "chair_id");
    expect_error_field(&res, "carer_id");
    http_response_free(&res);
    res = mtg_meeting_post(&s.csw, "party", s.child, NULL, NULL, "next Tuesday", s.tm.id);
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "type");
    expect_error_field(&res, "scheduled_at");
    http_response_free(&res);
    ck_assert_int_eq(meetings_of(s.child), 0);

    /* the allocated CSW, IRO and family finder, the SSW whose carer has the child, and the
     * team manager of the child's team may */
    mtg_meeting_create(&s.csw, "ppm", s.child, NULL, NULL, when, s.tm.id, id);
    mtg_meeting_create(&s.iro, "cic_review", s.child, NULL, NULL, when, s.iro.id, id);
    mtg_meeting_create(&s.finder, "ppm", s.child, NULL, NULL, when, s.tm.id, id);
    mtg_meeting_create(&s.ssw, "placement_planning", s.child, s.carer, NULL, when, s.tm.id, id);
    mtg_meeting_create(&s.tm, "joint_visit", s.child, s.carer, NULL, when, s.tm.id, id);
    ck_assert_int_eq(meetings_of(s.child), 5);
    /* a carer given for a ppm is kept as given */
    mfx_expect_row("meetings", id, "carer_id", s.carer);
}
END_TEST

START_TEST(test_S3_stability_chaired_by_a_team_manager_only)
{
    mtg_scene s;
    char when[32], id[FX_ID_MAX], want[FX_ID_MAX + 16];
    mtg_day today = mtg_today();
    http_response res;

    mtg_scene_create(&s, NULL, FX_PLACEMENT_START, 0);
    snprintf(when, sizeof when, "%s", mtg_at(today + 3, "10:00"));
    res = mtg_meeting_post(&s.csw, "stability", s.child, NULL, NULL, when, s.iro.id);
    mfx_expect_rule(&res, 422, "S3", "chair_id", NULL);
    res = mtg_meeting_post(&s.csw, "stability_review", s.child, NULL, NULL, when, s.csw.id);
    mfx_expect_rule(&res, 422, "S3", "chair_id", NULL);
    ck_assert_int_eq(meetings_of(s.child), 0);
    /* a ppm has no such rule */
    mtg_meeting_create(&s.csw, "ppm", s.child, NULL, NULL, when, s.csw.id, id);
    mtg_meeting_create(&s.csw, "stability", s.child, NULL, NULL, when, s.tm.id, id);
    snprintf(want, sizeof want, "stability|%s", s.tm.id);
    mfx_expect_row("meetings", id, "type || '|' || chair_id", want);
}
END_TEST

START_TEST(test_S3_held_without_foster_carer_refused)
{
    mtg_scene s;
    char id[FX_ID_MAX], today_s[16], want[FX_ID_MAX + 32];
    mtg_day today = mtg_today();
    json_t *attendees;
    http_response res;

    mtg_scene_create(&s, NULL, FX_PLACEMENT_START, 0);
    snprintf(today_s, sizeof today_s, "%s", mtg_date(today));
    mtg_meeting_create(&s.csw, "stability", s.child, NULL, NULL, mtg_at(today, "09:00"), s.tm.id,
                       id);

    /* the carer invited but not there: S3 names the foster carer and nothing else */
    attendees = json_array();
    mtg_attendee(attendees, NULL, "Alex Carer", "foster_carer", 0);
    mtg_attendee(attendees, s.ssw.id, NULL, "ssw", 1);
    mtg_attendee(attendees, s.csw.id, NULL, "csw", 1);
    res = mtg_hold(&s.tm, id, mtg_held_body(today_s, attendees, "Wants to stay", NULL, NULL, "x"));
    mfx_expect_rule(&res, 422, "S3", "attendees.foster_carer", NULL);

    /* nobody there and the child's views blank: each missing thing named */
    attendees = json_array();
    mtg_attendee(attendees, s.iro.id, NULL, "iro", 1);
    res = mtg_hold(&s.tm, id, mtg_held_body(today_s, attendees, "   ", NULL, NULL, "x"));
    mfx_expect_rule(&res, 422, "S3", "attendees.foster_carer", "attendees.ssw", "attendees.csw",
                    "child_views", NULL);
    mfx_expect_row("meetings", id, "status", "scheduled");
    mfx_expect_row("meetings", id, "held_on", NULL);
    ck_assert_int_eq(mtg_count_actions("source_id", id, NULL, NULL, NULL), 0);

    res = mtg_hold(&s.tm, id,
                   mtg_held_body(today_s, mtg_stability_attendees(&s), "Wants to stay with Alex",
                                 NULL, NULL, "More respite"));
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "status", "held");
    mfx_expect_at(&res, "held_on", today_s);
    mfx_expect_at(&res, "child_views", "Wants to stay with Alex");
    mfx_expect_at(&res, "outcome", "More respite");
    mfx_expect_at(&res, "attendees.0.role", "foster_carer");
    mfx_expect_at(&res, "attendees.0.name", "Alex Carer");
    mfx_expect_at(&res, "attendees.0.attended", "true");
    ck_assert_int_eq(json_array_size(mfx_at(res.json, "attendees")), 3);
    http_response_free(&res);
    snprintf(want, sizeof want, "held|%s", today_s);
    mfx_expect_row("meetings", id, "status || '|' || held_on", want);
    mfx_expect_row("meetings", id, "child_views", "Wants to stay with Alex");
    /* held once only */
    mfx_expect_only(mtg_hold(&s.tm, id,
                             mtg_held_body(today_s, mtg_stability_attendees(&s), "v", NULL, NULL,
                                           "y")),
                    409, "conflict");
    mfx_expect_row("meetings", id, "outcome", "More respite");
}
END_TEST

START_TEST(test_S3_chair_must_still_be_a_team_manager_when_held)
{
    mtg_scene s;
    fx_person tm2;
    char id[FX_ID_MAX], today_s[16];
    mtg_day today = mtg_today();
    http_response res;

    mtg_scene_create(&s, NULL, FX_PLACEMENT_START, 0);
    fx_person_create(&tm2, "team_manager", s.team);
    snprintf(today_s, sizeof today_s, "%s", mtg_date(today));
    mtg_meeting_create(&s.csw, "stability", s.child, NULL, NULL, mtg_at(today, "09:00"), tm2.id,
                       id);
    /* the chair stops being a team manager before the meeting */
    res = http_patch(fx_admin_token(), "\"1\"", json_pack("{s:[s]}", "roles", "csw"),
                     "/v1/people/%s", tm2.id);
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
    res = mtg_hold(&s.csw, id,
                   mtg_held_body(today_s, mtg_stability_attendees(&s), "Wants to stay", NULL, NULL,
                                 "x"));
    mfx_expect_rule(&res, 422, "S3", "chair_id", NULL);
    mfx_expect_row("meetings", id, "status", "scheduled");
}
END_TEST

START_TEST(test_meetings_held_validation_and_who_holds)
{
    mtg_scene s;
    fx_person outside_tm, stranger, member;
    char id[FX_ID_MAX], today_s[16], tomorrow_s[16];
    mtg_day today = mtg_today();
    json_t *attendees;
    http_response res;

    mtg_scene_create(&s, NULL, FX_PLACEMENT_START, 0);
    fx_person_create(&outside_tm, "team_manager", NULL);
    fx_person_create(&stranger, "csw", NULL);
    fx_token_only(&member, "panel_member");
    snprintf(today_s, sizeof today_s, "%s", mtg_date(today));
    snprintf(tomorrow_s, sizeof tomorrow_s, "%s", mtg_date(today + 1));
    /* a ppm chaired by a team manager from outside the child's team */
    mtg_meeting_create(&s.csw, "ppm", s.child, NULL, NULL, mtg_at(today, "09:00"), outside_tm.id,
                       id);

    res = mtg_hold(&s.csw, id, plain_held(tomorrow_s, "Likes school")); /* never in the future */
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "held_on");
    http_response_free(&res);
    res = mtg_hold(&s.csw, id, json_pack("{s:s, s:s}", "held_on", today_s, "child_views", "x"));
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "attendees"); /* required */
    http_response_free(&res);
    attendees = json_array();
    mtg_attendee(attendees, NULL, "Pat", "neighbour", 1);
    res = mtg_hold(&s.csw, id, mtg_held_body(today_s, attendees, "x", NULL, NULL, NULL));
    expect_problem(&res, 422, "validation");
    expect_error_field_like(&res, "attendees");
    http_response_free(&res);

    mfx_expect_only(mtg_hold(&member, id, plain_held(today_s, "x")), 403, "forbidden");
    mfx_expect_only(mtg_hold(&stranger, id, plain_held(today_s, "x")), 404, "not-found");
    mfx_expect_row("meetings", id, "status", "scheduled");

    /* the chair holds it though the child is not in their team; held_on defaults to today */
    res = mtg_hold(&outside_tm, id, plain_held(NULL, "Likes school"));
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "status", "held");
    mfx_expect_at(&res, "held_on", today_s);
    http_response_free(&res);
    mfx_expect_row("meetings", id, "held_on", today_s);
    /* and reads it as its chair */
    mfx_expect_only(http_get(outside_tm.token, "/v1/meetings/%s", id), 200, NULL);
}
END_TEST

START_TEST(test_P2_ppm_held_needs_the_childs_views_and_the_five_invited)
{
    mtg_scene s;
    char id[FX_ID_MAX], today_s[16];
    mtg_day today = mtg_today();
    http_response res;

    mtg_scene_create(&s, NULL, FX_PLACEMENT_START, 0);
    snprintf(today_s, sizeof today_s, "%s", mtg_date(today));
    mtg_meeting_create(&s.csw, "ppm", s.child, NULL, NULL, mtg_at(today, "09:00"), s.tm.id, id);
    res = mtg_hold(&s.csw, id, plain_held(today_s, NULL));
    mfx_expect_rule(&res, 422, "P2", "child_views", NULL);
    res = mtg_hold(&s.csw, id, plain_held(today_s, ""));
    mfx_expect_rule(&res, 422, "P2", "child_views", NULL);
    /* P2 invites the foster carer, CSW, SSW, IRO and team manager: two of them not listed */
    {
        json_t *list = json_array();

        mtg_attendee(list, NULL, "Alex Carer", "foster_carer", 1);
        mtg_attendee(list, s.csw.id, NULL, "csw", 1);
        mtg_attendee(list, s.ssw.id, NULL, "ssw", 0);
        res = mtg_hold(&s.csw, id, mtg_held_body(today_s, list, "Wants to see her brother", NULL,
                                                 NULL, "Plan agreed"));
        mfx_expect_rule(&res, 422, "P2", "attendees.iro", "attendees.team_manager", NULL);
    }
    mfx_expect_row("meetings", id, "status", "scheduled");
    res = mtg_hold(&s.csw, id, plain_held(today_s, "Wants to see her brother"));
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "child_views", "Wants to see her brother");
    /* a ppm has no minutes deadline */
    mfx_expect_at(&res, "minutes_due_at", NULL);
    http_response_free(&res);
    mfx_expect_row("meetings", id, "status || '|' || child_views",
                   "held|Wants to see her brother");
}
END_TEST

START_TEST(test_U1_held_needs_iro_views_and_learning_inside_the_window)
{
    mtg_scene s;
    mtg_day today = mtg_today();
    /* ended 35 days ago: the window [end + 1 month, end + 6 weeks] runs from 4 or 5 days ago
     * (35 days less a month of 30 or 31 days) to 7 days ahead, so today is inside it and the
     * day before its first day is outside */
    mtg_day end = today - 35;
    mtg_day earliest = mtg_add_months(end, 1);
    char id[FX_ID_MAX], end_s[16], before_s[16], today_s[16], u1[FX_ID_MAX];
    http_response res;

    mtg_scene_create(&s, json_pack("{s:s}", "date_of_birth", "2010-01-01"), FX_PLACEMENT_START, 0);
    snprintf(end_s, sizeof end_s, "%s", mtg_date(end));
    snprintf(before_s, sizeof before_s, "%s", mtg_date(earliest - 1));
    snprintf(today_s, sizeof today_s, "%s", mtg_date(today));
    res = mtg_end(&s.tm, s.placement, end_s, "CREQB", -1);
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
    mtg_find_action("placement", s.placement, "U1", NULL, s.iro.id, u1);
    mtg_meeting_create(&s.csw, "unplanned_ending", s.child, NULL, s.placement,
                       mtg_at(today, "10:00"), s.iro.id, id);
    mfx_expect_row("meetings", id, "carer_id", s.carer); /* the placement's carer */

    res = mtg_hold(&s.iro, id, mtg_held_body(today_s, json_array(), NULL, " ", NULL, NULL));
    mfx_expect_rule(&res, 422, "U1", "child_views", "carer_views", "learning", NULL);
    res = mtg_hold(&s.iro, id,
                   mtg_held_body(before_s, json_array(), "Missed school friends",
                                 "Needed more support at night", "Respite earlier", NULL));
    mfx_expect_rule(&res, 422, "U1", "held_on", NULL);
    mfx_expect_row("meetings", id, "status", "scheduled");
    mtg_expect_action_status(u1, "open");

    res = mtg_hold(&s.iro, id,
                   mtg_held_body(today_s, json_array(), "Missed school friends",
                                 "Needed more support at night", "Respite earlier", "Learning"));
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "learning", "Respite earlier");
    mfx_expect_at(&res, "carer_views", "Needed more support at night");
    http_response_free(&res);
    /* holding it closes the child's U1 action */
    mtg_expect_action_status(u1, "done");
    mfx_expect_row("meetings", id, "status || '|' || learning", "held|Respite earlier");
}
END_TEST

/*
 * The S4 deadline is the end of the 3rd working day after held_on. The meeting here was held on
 * the latest day H whose 3rd working day after is W, the last working day before today: so the
 * deadline was the end of W, now past, and when today is a working day it is the 4th working
 * day after H (e.g. today Tuesday 1 December 2026: W Monday 30 November, H Wednesday 25
 * November, whose working days after are Thu 26, Fri 27, Mon 30 and Tue 1). Working days skip
 * weekends and the bank holidays of meeting_fixtures.c; the database's own calendar is asked
 * too and must agree.
 */
START_TEST(test_S4_minutes_circulated_on_day_4_late_and_flagged)
{
    mtg_scene s;
    mtg_day today = mtg_today();
    mtg_day w = today - 1;
    mtg_day held;
    char id[FX_ID_MAX], held_s[16], due[32], s4[FX_ID_MAX];
    char *db_due;
    const char *note;
    http_response res;

    while (!mtg_is_working_day(w))
        w--;
    held = w - 1;
    while (mtg_working_day_after(held, 3) != w)
        held--;
    if (mtg_is_working_day(today))
        ck_assert_int_eq(mtg_working_day_after(held, 4), today);
    snprintf(held_s, sizeof held_s, "%s", mtg_date(held));
    snprintf(due, sizeof due, "%s", mtg_end_of_day(w));
    db_due = mfx_working_day_end(held_s, 3);
    ck_assert_str_eq(db_due, due); /* the database's calendar agrees */
    free(db_due);

    mtg_scene_create(&s, NULL, FX_PLACEMENT_START, 0);
    mtg_stability_held(&s, held_s, "Placement holding", id);
    res = http_get(s.csw.token, "/v1/meetings/%s", id);
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "minutes_due_at", due);
    mfx_expect_at(&res, "minutes_late", NULL); /* not circulated yet */
    http_response_free(&res);
    mtg_find_action("meeting", id, "S4", NULL, s.tm.id, s4);
    mtg_expect_action(s4, "child", s.child, "meeting", id, due, "open", NULL);

    res = http_post(s.tm.token, json_pack("{s:s, s:s}", "overview", "Placement under strain",
                                          "plan_and_actions", "Respite monthly"),
                    "/v1/meetings/%s/minutes", id);
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
    res = http_post(s.tm.token, json_object(), "/v1/meetings/%s/circulate", id);
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "minutes_late", "true");
    mfx_expect_at(&res, "minutes_due_at", due);
    mtg_expect_near("circulated_at", json_string_value(mfx_at(res.json, "circulated_at")),
                    time(NULL), 30);
    http_response_free(&res);
    mfx_expect_row("meetings", id, "circulated_at > minutes_due_at", "true");
    /* S4's action is done, its closing note saying it was late */
    mtg_expect_action(s4, "child", s.child, "meeting", id, due, "done", NULL);
    res = afx_get_action(s4);
    note = json_string_value(json_object_get(res.json, "closing_note"));
    ck_assert_msg(note != NULL && strcasestr(note, "late") != NULL,
                  "the closing note does not say late: %s", res.body);
    http_response_free(&res);
}
END_TEST

/*
 * On time: (a) held today, due the end of the 3rd working day after today; (b) when today is a
 * working day, held on the latest day H whose 3rd working day after is today (the deadline is
 * tonight at 23:59:59 London), circulated now: still on time.
 */
START_TEST(test_S4_minutes_circulated_on_time)
{
    mtg_scene s;
    mtg_day today = mtg_today();
    char id[FX_ID_MAX], held_s[16], due[32], s4[FX_ID_MAX];
    http_response res;

    mtg_scene_create(&s, NULL, FX_PLACEMENT_START, 0);
    for (int round = 0; round < 2; round++) {
        mtg_day held = today;

        if (round == 1) {
            if (!mtg_is_working_day(today))
                break; /* the boundary exists only on a working day */
            held = today - 1;
            while (mtg_working_day_after(held, 3) != today)
                held--;
        }
        snprintf(held_s, sizeof held_s, "%s", mtg_date(held));
        snprintf(due, sizeof due, "%s", mtg_end_of_day(mtg_working_day_after(held, 3)));
        mtg_stability_held(&s, held_s, "Stable", id);
        mfx_expect_row("meetings", id, "iso_utc(minutes_due_at)", due);
        mtg_find_action("meeting", id, "S4", NULL, s.tm.id, s4);
        mtg_expect_action(s4, "child", s.child, "meeting", id, due, "open", NULL);
        /* circulating needs minutes first */
        mfx_expect_only(http_post(s.tm.token, json_object(), "/v1/meetings/%s/circulate", id), 409,
                        "conflict");
        mfx_expect_only(http_post(s.tm.token, json_pack("{s:s}", "overview", "All well"),
                                  "/v1/meetings/%s/minutes", id),
                        200, NULL);
        res = http_post(s.tm.token, json_object(), "/v1/meetings/%s/circulate", id);
        EXPECT_STATUS(res, 200);
        mfx_expect_at(&res, "minutes_late", "false");
        mfx_expect_at(&res, "minutes_due_at", due);
        http_response_free(&res);
        mfx_expect_row("meetings", id, "circulated_at <= minutes_due_at", "true");
        mtg_expect_action_status(s4, "done");
    }
}
END_TEST

START_TEST(test_meetings_minutes_only_after_held_and_frozen_once_circulated)
{
    mtg_scene s;
    char id[FX_ID_MAX], today_s[16], *big;
    mtg_day today = mtg_today();
    http_response res;

    mtg_scene_create(&s, NULL, FX_PLACEMENT_START, 0);
    snprintf(today_s, sizeof today_s, "%s", mtg_date(today));
    mtg_meeting_create(&s.csw, "ppm", s.child, NULL, NULL, mtg_at(today, "09:00"), s.tm.id, id);
    mfx_expect_only(http_post(s.csw.token, json_pack("{s:s}", "overview", "Early"),
                              "/v1/meetings/%s/minutes", id),
                    409, "conflict"); /* not held yet */
    mfx_expect_row("meetings", id, "minutes", NULL);
    mfx_expect_only(mtg_hold(&s.csw, id, plain_held(today_s, "Happy")), 200, NULL);

    res = http_post(s.csw.token, json_object(), "/v1/meetings/%s/minutes", id);
    expect_problem(&res, 422, "validation"); /* at least one section */
    http_response_free(&res);
    big = malloc(20002);
    ck_assert_ptr_nonnull(big);
    memset(big, 'a', 20001);
    big[20001] = '\0';
    res = http_post(s.csw.token, json_pack("{s:s, s:s}", "overview", big, "next_meeting_date",
                                           "soon"),
                    "/v1/meetings/%s/minutes", id);
    free(big);
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "overview");
    expect_error_field(&res, "next_meeting_date");
    http_response_free(&res);
    mfx_expect_row("meetings", id, "minutes", NULL);
    mfx_expect_only(http_post(s.csw.token, json_object(), "/v1/meetings/%s/circulate", id), 409,
                    "conflict"); /* no minutes */

    res = http_post(s.csw.token,
                    json_pack("{s:s, s:s, s:s, s:s}", "overview", "Settled", "worries",
                              "Contact with mum", "plan_and_actions", "Review in 3 months",
                              "next_meeting_date", "2027-03-01"),
                    "/v1/meetings/%s/minutes", id);
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "minutes.overview", "Settled");
    mfx_expect_at(&res, "minutes.worries", "Contact with mum");
    mfx_expect_at(&res, "minutes.next_meeting_date", "2027-03-01");
    http_response_free(&res);
    mfx_expect_row("meetings", id, "minutes->>'worries'", "Contact with mum");

    res = http_post(s.csw.token, json_object(), "/v1/meetings/%s/circulate", id);
    EXPECT_STATUS(res, 200);
    ck_assert_msg(json_is_string(mfx_at(res.json, "circulated_at")), "%s", res.body);
    mfx_expect_at(&res, "minutes_late", NULL); /* a ppm has no deadline */
    mfx_expect_row("meetings", id, "iso_utc(circulated_at)",
                   json_string_value(mfx_at(res.json, "circulated_at")));
    http_response_free(&res);
    mfx_expect_only(http_post(s.csw.token, json_object(), "/v1/meetings/%s/circulate", id), 409,
                    "conflict");
    mfx_expect_only(http_post(s.csw.token, json_pack("{s:s}", "overview", "Rewritten"),
                              "/v1/meetings/%s/minutes", id),
                    409, "conflict");
    mfx_expect_row("meetings", id, "minutes->>'overview'", "Settled");
}
END_TEST

START_TEST(test_P2_meeting_actions_need_an_owner_and_a_due_date)
{
    mtg_scene s;
    char id[FX_ID_MAX], today_s[16], due[32], past[32];
    mtg_day today = mtg_today();
    json_t *item, *items;
    size_t i;
    http_response res;

    mtg_scene_create(&s, NULL, FX_PLACEMENT_START, 0);
    snprintf(today_s, sizeof today_s, "%s", mtg_date(today));
    snprintf(due, sizeof due, "%s", mtg_end_of_day(today + 10));
    snprintf(past, sizeof past, "%s", mtg_end_of_day(today - 2));
    mtg_meeting_create(&s.csw, "ppm", s.child, NULL, NULL, mtg_at(today, "09:00"), s.tm.id, id);
    res = http_post(s.csw.token,
                    json_pack("{s:[{s:s, s:s, s:s}]}", "actions", "title", "Book respite",
                              "owner_id", s.ssw.id, "due_at", due),
                    "/v1/meetings/%s/actions", id);
    expect_problem(&res, 409, "conflict"); /* not held */
    http_response_free(&res);
    mfx_expect_only(mtg_hold(&s.csw, id, plain_held(today_s, "Wants a pet")), 200, NULL);

    res = http_post(s.csw.token,
                    json_pack("{s:[{s:s, s:s}, {s:s, s:s}]}", "actions", "title", "Book respite",
                              "due_at", due, "title", "Call the school", "owner_id", s.csw.id),
                    "/v1/meetings/%s/actions", id);
    mfx_expect_rule(&res, 422, "P2", "actions[0].owner_id", "actions[1].due_at", NULL);
    res = http_post(s.csw.token,
                    json_pack("{s:[{s:s, s:s, s:s}, {s:s, s:s, s:s}]}", "actions", "title", "A",
                              "owner_id", "nobody-at-all", "due_at", due, "title", "B", "owner_id",
                              s.csw.id, "due_at", past),
                    "/v1/meetings/%s/actions", id);
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "actions[0].owner_id");
    expect_error_field(&res, "actions[1].due_at");
    http_response_free(&res);
    ck_assert_int_eq(mtg_count_actions("source_id", id, NULL, NULL, NULL), 0);

    res = http_post(s.csw.token,
                    json_pack("{s:[{s:s, s:s, s:s, s:s}, {s:s, s:s, s:s}]}", "actions", "title",
                              "Book respite", "owner_id", s.ssw.id, "due_at", due, "detail",
                              "Two weekends", "title", "Call the school", "owner_id", s.csw.id,
                              "due_at", due),
                    "/v1/meetings/%s/actions", id);
    EXPECT_STATUS(res, 201);
    ck_assert_int_eq(json_array_size(json_object_get(res.json, "items")), 2);
    json_array_foreach(json_object_get(res.json, "items"), i, item) {
        ck_assert_msg(json_member_is(item, "source_rule", "P2") &&
                          json_member_is(json_object_get(item, "subject"), "type", "child") &&
                          json_member_is(json_object_get(item, "subject"), "id", s.child) &&
                          json_member_is(json_object_get(item, "source"), "type", "meeting_plan") &&
                          json_member_is(json_object_get(item, "source"), "id", id) &&
                          json_member_is(item, "due_at", due) &&
                          json_member_is(item, "status", "open"),
                      "action %zu: %s", i, res.body);
    }
    items = json_object_get(res.json, "items");
    ck_assert_msg(mtg_items_have(items, "title", "Book respite", "owner_id", s.ssw.id) &&
                      mtg_items_have(items, "title", "Call the school", "owner_id", s.csw.id),
                  "owners: %s", res.body);
    http_response_free(&res);
    ck_assert_int_eq(mtg_count_actions("source_id", id, "P2", "open", NULL), 2);
    ck_assert_int_eq(db_long("select count(*) from actions where source_id::text = $1 and "
                             "owner_id = $2 and detail = 'Two weekends' and subject_id::text = $3",
                             3, id, s.ssw.id, s.child),
                     1);
    /* a plan of no actions at all is not one (1..50) */
    res = http_post(s.csw.token, json_pack("{s:[]}", "actions"), "/v1/meetings/%s/actions", id);
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "actions");
    http_response_free(&res);
    ck_assert_int_eq(mtg_count_actions("source_id", id, NULL, NULL, NULL), 2);
}
END_TEST

START_TEST(test_S5_stability_actions_need_an_owner_and_a_due_date)
{
    mtg_scene s;
    char stab[FX_ID_MAX], review[FX_ID_MAX], today_s[16], due[32];
    mtg_day today = mtg_today();
    http_response res;

    mtg_scene_create(&s, NULL, FX_PLACEMENT_START, 0);
    snprintf(today_s, sizeof today_s, "%s", mtg_date(today));
    snprintf(due, sizeof due, "%s", mtg_end_of_day(today + 14));
    mtg_stability_held(&s, today_s, "Support plan", stab);
    res = http_post(s.tm.token,
                    json_pack("{s:[{s:s, s:s}]}", "actions", "title", "Therapy referral", "due_at",
                              due),
                    "/v1/meetings/%s/actions", stab);
    mfx_expect_rule(&res, 422, "S5", "actions[0].owner_id", NULL);
    res = http_post(s.tm.token,
                    json_pack("{s:[{s:s, s:s, s:s}]}", "actions", "title", "Therapy referral",
                              "owner_id", s.csw.id, "due_at", due),
                    "/v1/meetings/%s/actions", stab);
    EXPECT_STATUS(res, 201);
    mfx_expect_at(&res, "items.0.source_rule", "S5");
    mfx_expect_at(&res, "items.0.owner_id", s.csw.id);
    http_response_free(&res);
    ck_assert_int_eq(db_long("select count(*) from actions where source_id::text = $1 and "
                             "source_rule = 'S5' and title = 'Therapy referral'",
                             1, stab),
                     1);

    /* a cic_review has no rule for its actions: plain field errors, no source_rule */
    mtg_meeting_create(&s.iro, "cic_review", s.child, NULL, NULL, mtg_at(today, "09:00"),
                       s.iro.id, review);
    mfx_expect_only(mtg_hold(&s.iro, review, plain_held(today_s, "Fine")), 200, NULL);
    res = http_post(s.iro.token,
                    json_pack("{s:[{s:s, s:s}]}", "actions", "title", "Update plan", "due_at",
                              due),
                    "/v1/meetings/%s/actions", review);
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "actions[0].owner_id");
    ck_assert_msg(json_object_get(res.json, "rule") == NULL, "no rule: %s", res.body);
    http_response_free(&res);
    res = http_post(s.iro.token,
                    json_pack("{s:[{s:s, s:s, s:s}]}", "actions", "title", "Update plan",
                              "owner_id", s.csw.id, "due_at", due),
                    "/v1/meetings/%s/actions", review);
    EXPECT_STATUS(res, 201);
    mfx_expect_at(&res, "items.0.source_rule", NULL);
    http_response_free(&res);
    ck_assert_int_eq(db_long("select count(*) from actions where source_id::text = $1 and "
                             "source_rule is null and title = 'Update plan'",
                             1, review),
                     1);
}
END_TEST

START_TEST(test_meetings_list_filters_and_order)
{
    mtg_scene s;
    fx_person stranger;
    char a[FX_ID_MAX], b[FX_ID_MAX], c[FX_ID_MAX], y[FX_ID_MAX], other[FX_ID_MAX];
    char want[6 * FX_ID_MAX], path[FX_ID_MAX + 128];

    mtg_scene_create(&s, NULL, NULL, 0);
    fx_person_create(&stranger, "csw", NULL);
    fx_child_create(&s.csw, other);
    /* 9 July 2027 10:00 BST = 09:00Z; B at 23:30Z on 10 July is 00:30 BST on 11 July, so its
     * London date is the 11th; C on 12 July; another child's meeting on 11 July 10:00 BST */
    mtg_meeting_create(&s.csw, "ppm", s.child, NULL, NULL, "2027-07-09T09:00:00Z", s.tm.id, a);
    mtg_meeting_create(&s.csw, "cic_review", s.child, NULL, NULL, "2027-07-10T23:30:00Z",
                       s.iro.id, b);
    mtg_meeting_create(&s.csw, "ppm", s.child, NULL, NULL, "2027-07-12T08:00:00Z", s.tm.id, c);
    mtg_meeting_create(&s.csw, "ppm", other, NULL, NULL, "2027-07-11T09:00:00Z", s.tm.id, y);

    snprintf(want, sizeof want, "%s,%s,%s", a, b, c);
    snprintf(path, sizeof path, "/v1/meetings?child_id=%s", s.child);
    expect_list(&s.csw, want, path);
    snprintf(want, sizeof want, "%s,%s", a, c);
    snprintf(path, sizeof path, "/v1/meetings?child_id=%s&type=ppm", s.child);
    expect_list(&s.csw, want, path);
    snprintf(want, sizeof want, "%s,%s", b, c);
    snprintf(path, sizeof path, "/v1/meetings?child_id=%s&from=2027-07-11", s.child);
    expect_list(&s.csw, want, path);
    snprintf(want, sizeof want, "%s", a);
    snprintf(path, sizeof path, "/v1/meetings?child_id=%s&to=2027-07-10", s.child);
    expect_list(&s.csw, want, path);
    snprintf(want, sizeof want, "%s", b);
    snprintf(path, sizeof path, "/v1/meetings?child_id=%s&from=2027-07-11&to=2027-07-11", s.child);
    expect_list(&s.csw, want, path);
    /* without child_id: every meeting of the children the caller reaches, in scheduled order */
    snprintf(want, sizeof want, "%s,%s,%s,%s", a, b, y, c);
    expect_list(&s.csw, want, "/v1/meetings?from=2027-07-09&to=2027-07-12");
    snprintf(want, sizeof want, "%s", y);
    expect_list(&s.csw, want, "/v1/meetings?from=2027-07-11&to=2027-07-11&type=ppm");
    /* the IRO reaches only the allocated child */
    snprintf(want, sizeof want, "%s,%s,%s", a, b, c);
    expect_list(&s.iro, want, "/v1/meetings?from=2027-07-09&to=2027-07-12");
    /* someone who reaches neither child sees nothing */
    snprintf(path, sizeof path, "/v1/meetings?child_id=%s", s.child);
    expect_list(&stranger, "", path);
}
END_TEST

START_TEST(test_meetings_list_bad_filters_422_and_pages)
{
    mtg_scene s;
    char ids[3][FX_ID_MAX], path[FX_ID_MAX + 128];
    const char *cursor;
    char *escaped;
    http_response res, next;

    mtg_scene_create(&s, NULL, NULL, 0);
    res = http_get(s.csw.token, "/v1/meetings?type=party");
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "type");
    http_response_free(&res);
    res = http_get(s.csw.token, "/v1/meetings?from=2027-02-30");
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "from");
    http_response_free(&res);
    res = http_get(s.csw.token, "/v1/meetings?to=yesterday");
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "to");
    http_response_free(&res);
    res = http_get(s.csw.token, "/v1/meetings?child_id=not-a-uuid");
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "child_id");
    http_response_free(&res);

    for (int i = 0; i < 3; i++) {
        char when[32];

        snprintf(when, sizeof when, "2027-08-0%dT09:00:00Z", i + 2);
        mtg_meeting_create(&s.csw, "ppm", s.child, NULL, NULL, when, s.tm.id, ids[i]);
    }
    snprintf(path, sizeof path, "/v1/meetings?child_id=%s&limit=2", s.child);
    res = http_get(s.csw.token, "%s", path);
    EXPECT_STATUS(res, 200);
    ck_assert_int_eq(json_array_size(body_items(&res)), 2);
    mfx_expect_at(&res, "items.0.id", ids[0]);
    mfx_expect_at(&res, "items.1.id", ids[1]);
    /* the contract's lists page "as everywhere in the service": an opaque cursor in "next",
     * passed back as "after" (spec6 calls them cursor / next_cursor; openapi.yaml and every
     * other list of the service use after / next) */
    cursor = json_string_value(json_object_get(res.json, "next"));
    ck_assert_msg(cursor != NULL, "a full page gives next: %s", res.body);
    escaped = http_escape(cursor);
    next = http_get(s.csw.token, "%s&after=%s", path, escaped);
    free(escaped);
    EXPECT_STATUS(next, 200);
    ck_assert_int_eq(json_array_size(body_items(&next)), 1);
    mfx_expect_at(&next, "items.0.id", ids[2]);
    ck_assert_msg(json_is_null(json_object_get(next.json, "next")), "last page: %s",
                  next.body);
    http_response_free(&next);
    http_response_free(&res);
}
END_TEST

START_TEST(test_meetings_refused_403_and_unreachable_404)
{
    mtg_scene s;
    fx_person stranger, member, other_tm;
    char id[FX_ID_MAX], today_s[16];
    mtg_day today = mtg_today();

    mtg_scene_create(&s, NULL, FX_PLACEMENT_START, 0);
    fx_person_create(&stranger, "csw", NULL);
    fx_person_create(&other_tm, "team_manager", NULL);
    fx_token_only(&member, "panel_member");
    snprintf(today_s, sizeof today_s, "%s", mtg_date(today));
    mtg_meeting_create(&s.csw, "ppm", s.child, NULL, NULL, mtg_at(today, "09:00"), s.tm.id, id);

    mfx_expect_only(http_get(stranger.token, "/v1/meetings/%s", id), 404, "not-found");
    mfx_expect_only(http_get(other_tm.token, "/v1/meetings/%s", id), 404, "not-found");
    mfx_expect_only(http_get(s.csw.token, "/v1/meetings/7d1e2b8a-9c3f-4e5d-8a6b-0c1d2e3f4a5b"),
                    404, "not-found");
    mfx_expect_only(http_get(s.csw.token, "/v1/meetings/not-a-uuid"), 404, "not-found");
    mfx_expect_only(mtg_hold(&member, id, plain_held(today_s, "x")), 403, "forbidden");
    mfx_expect_only(mtg_hold(&stranger, id, plain_held(today_s, "x")), 404, "not-found");
    mfx_expect_only(mtg_hold(&s.csw, id, plain_held(today_s, "Fine")), 200, NULL);
    mfx_expect_only(http_post(stranger.token, json_pack("{s:s}", "overview", "x"),
                              "/v1/meetings/%s/minutes", id),
                    404, "not-found");
    mfx_expect_only(http_post(member.token, json_pack("{s:s}", "overview", "x"),
                              "/v1/meetings/%s/minutes", id),
                    403, "forbidden");
    mfx_expect_only(http_post(s.csw.token, json_pack("{s:s}", "overview", "Mine"),
                              "/v1/meetings/%s/minutes", id),
                    200, NULL);
    mfx_expect_only(http_post(stranger.token, json_object(), "/v1/meetings/%s/circulate", id), 404,
                    "not-found");
    mfx_expect_only(http_post(stranger.token,
                              json_pack("{s:[{s:s, s:s, s:s}]}", "actions", "title", "x",
                                        "owner_id", stranger.id, "due_at",
                                        mtg_end_of_day(today + 5)),
                              "/v1/meetings/%s/actions", id),
                    404, "not-found");
    mfx_expect_row("meetings", id, "minutes->>'overview' || '|' || (circulated_at is null)",
                   "Mine|true");
    ck_assert_int_eq(mtg_count_actions("source_id", id, NULL, NULL, NULL), 0);
    /* refusals are audited (R1) */
    ck_assert_int_eq(mfx_audit_rows(stranger.id, "/held", 404), 1);
    ck_assert_int_eq(mfx_audit_rows(member.id, "/held", 403), 1);
}
END_TEST

Suite *meetings_suite(void)
{
    Suite *s = suite_create("meetings");
    TCase *tc = tcase_create("meetings");

    tcase_set_timeout(tc, TEST_TIMEOUT_SECONDS);
    tcase_add_test(tc, test_meetings_create_stability_takes_the_placed_carer);
    tcase_add_test(tc, test_meetings_create_row_and_audit);
    tcase_add_test(tc, test_meetings_create_who_may_and_whom_they_reach);
    tcase_add_test(tc, test_S3_stability_chaired_by_a_team_manager_only);
    tcase_add_test(tc, test_S3_held_without_foster_carer_refused);
    tcase_add_test(tc, test_S3_chair_must_still_be_a_team_manager_when_held);
    tcase_add_test(tc, test_meetings_held_validation_and_who_holds);
    tcase_add_test(tc, test_P2_ppm_held_needs_the_childs_views_and_the_five_invited);
    tcase_add_test(tc, test_U1_held_needs_iro_views_and_learning_inside_the_window);
    tcase_add_test(tc, test_S4_minutes_circulated_on_day_4_late_and_flagged);
    tcase_add_test(tc, test_S4_minutes_circulated_on_time);
    tcase_add_test(tc, test_meetings_minutes_only_after_held_and_frozen_once_circulated);
    tcase_add_test(tc, test_P2_meeting_actions_need_an_owner_and_a_due_date);
    tcase_add_test(tc, test_S5_stability_actions_need_an_owner_and_a_due_date);
    tcase_add_test(tc, test_meetings_list_filters_and_order);
    tcase_add_test(tc, test_meetings_list_bad_filters_422_and_pages);
    tcase_add_test(tc, test_meetings_refused_403_and_unreachable_404);
    suite_add_tcase(s, tc);
    return s;
}
