/*
 * test_stability.c - placement stability (spec6): who may ask for a stability meeting (S1: the
 * child's CSW or IRO, the SSW whose carer has the child, acting also for a carer or a
 * professional; nobody else), the S2 action(s) the request creates (48 hours by default; the
 * Birmingham setting's joint visit first, counted in working days) and their closing when the
 * meeting is scheduled; what holding a stability meeting sets in motion (S3 the IRO told and
 * asked to read the outcome, S4 the minutes, S5 the review meeting, S6 the IRO's check) and
 * what the review meeting closes; the outcome on both the child's and the carer's chronology
 * (S8, R2); and a carer's wish to end a placement (S9: discussed with the SSW and their team
 * manager before the service gives notice).
 *
 * Each test builds its own team (meeting_fixtures.h). Dates are worked out here from the clock
 * in London terms; each expected value says how.
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

#define JOINT_VISIT "stability_joint_visit_working_days"

/* POST /v1/children/{id}/stability-requests as `who`. */
static http_response request(const fx_person *who, const char *child, json_t *body)
{
    return http_post(who->token, body, "/v1/children/%s/stability-requests", child);
}

static json_t *reason(const char *text)
{
    return json_pack("{s:s}", "reason", text);
}

/* The stability requests of `child` in the database made by `who`. */
static long requests_by(const char *child, const char *who)
{
    return db_long("select count(*) from stability_requests where child_id::text = $1 and "
                   "requested_by = $2",
                   2, child, who);
}

/* Checks a 201 answer to a stability request by `who` for `child`, and its row. Writes the
 * request's id into `id`. */
static void expect_request(const http_response *res, const char *child, const fx_person *who,
                           const char *why, char *id)
{
    EXPECT_STATUS(*res, 201);
    snprintf(id, FX_ID_MAX, "%s", body_string(res, "id"));
    ck_assert_msg(is_uuid(id), "request id [%s]", id);
    mfx_expect_at(res, "child_id", child);
    mfx_expect_at(res, "reason", why);
    mfx_expect_at(res, "requested_by", who->id);
    mtg_expect_near("requested_at", json_string_value(mfx_at(res->json, "requested_at")),
                    time(NULL), 30);
    ck_assert_msg(json_is_array(mfx_at(res->json, "action_ids")), "%s", res->body);
    ck_assert_int_eq(db_long("select count(*) from stability_requests where id::text = $1 and "
                             "child_id::text = $2 and reason = $3 and requested_by = $4",
                             4, id, child, why, who->id),
                     1);
}

START_TEST(test_S1_csw_iro_and_the_placed_ssw_may_request)
{
    mtg_scene s;
    char id[FX_ID_MAX], want[1024];
    http_response res;

    mtg_scene_create(&s, NULL, FX_PLACEMENT_START, 0);
    res = request(&s.csw, s.child, reason("Carer exhausted"));
    EXPECT_STATUS(res, 201);
    snprintf(id, sizeof id, "%s", body_string(&res, "id"));
    mfx_expect_at(&res, "raised_by", NULL);
    http_response_free(&res);
    snprintf(want, sizeof want, "%s|Carer exhausted|%s", s.child, s.csw.id);
    mfx_expect_row("stability_requests", id,
                   "child_id::text || '|' || reason || '|' || requested_by", want);

    res = request(&s.iro, s.child, reason("Child asked to move"));
    EXPECT_STATUS(res, 201);
    mfx_expect_at(&res, "requested_by", s.iro.id);
    http_response_free(&res);

    /* the SSW acts for the foster carer, or for a professional who flags the need */
    res = request(&s.ssw, s.child,
                  json_pack("{s:s, s:{s:s, s:s}}", "reason", "Carer wants help", "raised_by",
                            "role", "foster_carer", "name", "Alex Carer"));
    EXPECT_STATUS(res, 201);
    mfx_expect_at(&res, "raised_by.role", "foster_carer");
    mfx_expect_at(&res, "raised_by.name", "Alex Carer");
    mfx_expect_at(&res, "requested_by", s.ssw.id);
    snprintf(id, sizeof id, "%s", body_string(&res, "id"));
    http_response_free(&res);
    snprintf(want, sizeof want, "foster_carer|Alex Carer|%s", s.ssw.id);
    mfx_expect_row("stability_requests", id,
                   "(raised_by->>'role') || '|' || (raised_by->>'name') || '|' || requested_by",
                   want);

    /* the child's CSW may ask too */
    res = request(&s.csw, s.child, reason("Placement wobbling"));
    EXPECT_STATUS(res, 201);
    mfx_expect_at(&res, "requested_by", s.csw.id);
    http_response_free(&res);
}
END_TEST

START_TEST(test_S1_request_by_someone_not_allowed_refused_403)
{
    static const char *const ROLES[] = {"panel_member", "chair", "adm", "panel_admin",
                                        "voice_ambassador", "admin", "agency", NULL};
    mtg_scene s;
    http_response res;

    mtg_scene_create(&s, NULL, FX_PLACEMENT_START, 0);
    /* the child's own team manager and allocated family finder reach the child, but S1 does
     * not let them ask */
    res = request(&s.tm, s.child, reason("Worried"));
    mfx_expect_rule(&res, 403, "S1", NULL);
    res = request(&s.finder, s.child, reason("Worried"));
    mfx_expect_rule(&res, 403, "S1", NULL);
    for (int i = 0; ROLES[i] != NULL; i++) {
        fx_person p;

        mtg_token_for(&p, ROLES[i]);
        res = request(&p, s.child, reason("Worried"));
        mfx_expect_rule(&res, 403, "S1", NULL);
    }
    ck_assert_int_eq(db_long("select count(*) from stability_requests where child_id::text = $1",
                             1, s.child),
                     0);
    ck_assert_int_eq(mtg_count_actions("subject_id", s.child, "S2", NULL, NULL), 0);
    ck_assert_int_eq(mfx_audit_rows(s.tm.id, "/stability-requests", 403), 1);
}
END_TEST

START_TEST(test_S1_csw_iro_ssw_who_do_not_reach_the_child_404)
{
    mtg_scene s;
    fx_person other_csw, loose_iro, other_ssw;
    char other_carer[FX_ID_MAX];
    http_response res;

    mtg_scene_create(&s, NULL, FX_PLACEMENT_START, 0);
    fx_person_create(&other_csw, "csw", s.team); /* same team, not allocated */
    fx_person_create(&loose_iro, "iro", NULL);
    fx_person_create(&other_ssw, "ssw", s.team);
    fx_carer_create(&s.tm, NULL, "approved", 1, other_carer);
    fx_carer_allocate(&s.tm, other_carer, other_ssw.id);

    mfx_expect_only(request(&other_csw, s.child, reason("x")), 404, "not-found");
    mfx_expect_only(request(&loose_iro, s.child, reason("x")), 404, "not-found");
    mfx_expect_only(request(&other_ssw, s.child, reason("x")), 404, "not-found");
    /* once the placement has ended, its SSW no longer reaches the child */
    res = mtg_end(&s.tm, s.placement, mtg_date(mtg_today() - 1), "CARPL", -1);
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
    mfx_expect_only(request(&s.ssw, s.child, reason("x")), 404, "not-found");
    ck_assert_int_eq(db_long("select count(*) from stability_requests where child_id::text = $1",
                             1, s.child),
                     0);
    ck_assert_int_eq(mfx_audit_rows(loose_iro.id, "/stability-requests", 404), 1);
}
END_TEST

START_TEST(test_S1_request_validation_422)
{
    mtg_scene s;
    char *big;
    http_response res;

    mtg_scene_create(&s, NULL, FX_PLACEMENT_START, 0);
    res = request(&s.csw, s.child, json_pack("{s:{s:s}}", "raised_by", "role", "neighbour"));
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "reason");
    expect_error_field(&res, "raised_by.role");
    http_response_free(&res);
    big = malloc(20002);
    ck_assert_ptr_nonnull(big);
    memset(big, 'r', 20001);
    big[20001] = '\0';
    res = request(&s.csw, s.child, json_pack("{s:s}", "reason", big));
    free(big);
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "reason");
    http_response_free(&res);
    ck_assert_int_eq(requests_by(s.child, s.csw.id), 0);
}
END_TEST

/*
 * S2 by default (stability_joint_visit_working_days 0): one action, "Convene the stability
 * meeting", for the child's CSW, due the request time plus stability_meeting_within_hours (48 by
 * default, read from the settings). Scheduling the stability meeting closes it. A child with no
 * CSW: the administrators' queue.
 */
START_TEST(test_S2_convene_the_meeting_within_48_hours)
{
    mtg_scene s;
    fx_person tm2, iro2;
    char rid[FX_ID_MAX], action[FX_ID_MAX], meeting[FX_ID_MAX], orphan[FX_ID_MAX];
    char requested[32], due[32];
    long hours = mtg_setting("stability_meeting_within_hours");
    http_response res;

    ck_assert_int_eq(mtg_setting(JOINT_VISIT), 0); /* the default: no joint visit first */
    mtg_scene_create(&s, NULL, FX_PLACEMENT_START, 0);
    res = request(&s.csw, s.child, reason("Carer exhausted"));
    expect_request(&res, s.child, &s.csw, "Carer exhausted", rid);
    snprintf(requested, sizeof requested, "%s",
             json_string_value(mfx_at(res.json, "requested_at")));
    ck_assert_int_eq(json_array_size(mfx_at(res.json, "action_ids")), 1);
    mtg_find_action("stability_request", rid, "S2", "Convene the stability meeting", s.csw.id,
                    action);
    mfx_expect_at(&res, "action_ids.0", action);
    http_response_free(&res);
    snprintf(due, sizeof due, "%s", mtg_instant(mtg_parse_instant(requested) + hours * 3600));
    mtg_expect_action(action, "child", s.child, "stability_request", rid, due, "open", NULL);
    res = afx_get_action(action);
    mfx_expect_at(&res, "source_rule", "S2");
    mfx_expect_at(&res, "due_at", due);
    mfx_expect_at(&res, "duty", NULL);
    http_response_free(&res);

    /* a ppm does not close it; the stability meeting does, when scheduled */
    mtg_meeting_create(&s.csw, "ppm", s.child, NULL, NULL, mtg_at(mtg_today() + 1, "10:00"),
                       s.tm.id, meeting);
    mtg_expect_action_status(action, "open");
    mtg_meeting_create(&s.csw, "stability", s.child, NULL, NULL, mtg_at(mtg_today() + 1, "10:00"),
                       s.tm.id, meeting);
    mtg_expect_action_status(action, "done");

    /* no CSW allocated: the queue */
    fx_unique(rid, sizeof rid, "team");
    fx_person_create(&tm2, "team_manager", rid);
    fx_person_create(&iro2, "iro", NULL);
    fx_child_create(&tm2, orphan);
    fx_child_allocate(&tm2, orphan, iro2.id, "iro");
    res = request(&iro2, orphan, reason("School worried"));
    EXPECT_STATUS(res, 201);
    snprintf(rid, sizeof rid, "%s", body_string(&res, "id"));
    http_response_free(&res);
    mtg_find_action("stability_request", rid, "S2", "Convene the stability meeting", NULL, action);
}
END_TEST

/* Unchecked teardown: whatever the Birmingham test did, the setting goes back to its default. */
static void restore_joint_visit(void)
{
    http_response got = http_get(fx_admin_token(), "/v1/settings");
    const char *etag = http_header(&got, "ETag");

    if (got.status == 200 && etag != NULL) {
        http_response res = http_patch(fx_admin_token(), etag, json_pack("{s:n}", JOINT_VISIT),
                                       "/v1/settings");

        http_response_free(&res);
    }
    http_response_free(&got);
}

/*
 * S2, Birmingham: stability_joint_visit_working_days = 5. A joint visit is due at the end of
 * the 5th working day after today, and the meeting at the end of the (5 +
 * stability_meeting_after_visit_working_days = 10)th; working days skip weekends and bank
 * holidays (meeting_fixtures.c), and the database's calendar must agree. The setting goes back
 * to null (its default, 0) at the end, and in the TCase's teardown should the test fail.
 */
START_TEST(test_S2_birmingham_joint_visit_within_5_working_days_then_the_meeting)
{
    mtg_scene s;
    char rid[FX_ID_MAX], visit[FX_ID_MAX], meeting[FX_ID_MAX], visit_due[32], meeting_due[32];
    mtg_day today = mtg_today();
    long after = mtg_setting("stability_meeting_after_visit_working_days");
    char *db_due;
    http_response res;

    mtg_scene_create(&s, NULL, FX_PLACEMENT_START, 0);
    res = http_get(s.csw.token, "/v1/settings");
    EXPECT_STATUS(res, 200);
    {
        json_t *item;
        size_t i;
        int found = 0;

        json_array_foreach(json_object_get(res.json, "items"), i, item) {
            if (json_member_is(item, "name", JOINT_VISIT)) {
                found = 1;
                ck_assert_msg(json_integer_value(json_object_get(item, "default")) == 0 &&
                                  json_integer_value(json_object_get(item, "min")) == 0 &&
                                  json_integer_value(json_object_get(item, "max")) == 20 &&
                                  json_member_is(item, "unit", "working_days") &&
                                  json_member_is(item, "rule", "S2"),
                              "the setting as the contract gives it: %s", res.body);
            }
        }
        ck_assert_msg(found, "no setting %s", JOINT_VISIT);
    }
    http_response_free(&res);
    ck_assert_int_eq(after, 5); /* the default */

    mtg_setting_set(JOINT_VISIT, 5);
    ck_assert_int_eq(mtg_setting(JOINT_VISIT), 5);
    res = request(&s.ssw, s.child,
                  json_pack("{s:s, s:{s:s}}", "reason", "Teacher saw bruising", "raised_by", "role",
                            "education"));
    expect_request(&res, s.child, &s.ssw, "Teacher saw bruising", rid);
    ck_assert_int_eq(json_array_size(mfx_at(res.json, "action_ids")), 2);
    http_response_free(&res);
    snprintf(visit_due, sizeof visit_due, "%s", mtg_end_of_day(mtg_working_day_after(today, 5)));
    snprintf(meeting_due, sizeof meeting_due, "%s",
             mtg_end_of_day(mtg_working_day_after(today, 5 + (int)after)));
    db_due = mfx_working_day_end(NULL, 5);
    ck_assert_str_eq(db_due, visit_due); /* the database's calendar agrees */
    free(db_due);
    mtg_find_action("stability_request", rid, "S2",
                    "Joint visit about the concern for the placement", s.csw.id, visit);
    mtg_find_action("stability_request", rid, "S2", "Convene the stability meeting", s.csw.id,
                    meeting);
    mtg_expect_action(visit, "child", s.child, "stability_request", rid, visit_due, "open", NULL);
    mtg_expect_action(meeting, "child", s.child, "stability_request", rid, meeting_due, "open",
                      NULL);

    mtg_setting_set(JOINT_VISIT, -1);
    ck_assert_int_eq(mtg_setting(JOINT_VISIT), 0);
    ck_assert_int_eq(db_long("select count(*) from setting_overrides where name = $1", 1,
                             JOINT_VISIT),
                     0);
}
END_TEST

/*
 * Held today: S3 event meeting.held and "Read the outcome" for the IRO, due minutes_due_at; S4
 * for the chair due the end of the 3rd working day after today (stability_minutes_working_days);
 * S5 for the chair at the end of today + stability_review_within_months (3) months; S6 for the
 * IRO at the end of today + iro_check_weeks (6) weeks = 42 days. Each subject the child, source
 * the meeting.
 */
START_TEST(test_S3_S4_S5_S6_actions_after_the_stability_meeting_is_held)
{
    mtg_scene s;
    mtg_day today = mtg_today();
    char id[FX_ID_MAX], today_s[16], s3[FX_ID_MAX], s4[FX_ID_MAX], s5[FX_ID_MAX], s6[FX_ID_MAX];
    char minutes_due[32], review_due[32], check_due[32];
    long minutes_days = mtg_setting("stability_minutes_working_days");
    long review_months = mtg_setting("stability_review_within_months");
    long check_weeks = mtg_setting("iro_check_weeks");
    http_response res;

    ck_assert_msg(minutes_days == 3 && review_months == 3 && check_weeks == 6,
                  "the defaults: %ld %ld %ld", minutes_days, review_months, check_weeks);
    mtg_scene_create(&s, NULL, FX_PLACEMENT_START, 0);
    snprintf(today_s, sizeof today_s, "%s", mtg_date(today));
    snprintf(minutes_due, sizeof minutes_due, "%s",
             mtg_end_of_day(mtg_working_day_after(today, 3)));
    snprintf(review_due, sizeof review_due, "%s", mtg_end_of_day(mtg_add_months(today, 3)));
    snprintf(check_due, sizeof check_due, "%s", mtg_end_of_day(today + 42));
    mtg_stability_held(&s, today_s, "Extra respite agreed", id);

    res = http_get(s.tm.token, "/v1/meetings/%s", id);
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "minutes_due_at", minutes_due);
    mfx_expect_at(&res, "status", "held");
    http_response_free(&res);
    mfx_expect_row("meetings", id, "iso_utc(minutes_due_at)", minutes_due);

    ck_assert_int_eq(db_long("select count(*) from events where type = 'meeting.held' and "
                             "recipient = $1 and (subject_id = $2 or payload::text like '%' || "
                             "$2 || '%')",
                             2, s.iro.id, id),
                     1);
    mtg_find_action("meeting", id, "S3", "Read the outcome of the stability meeting", s.iro.id, s3);
    mtg_expect_action(s3, "child", s.child, "meeting", id, minutes_due, "open", NULL);
    mtg_find_action("meeting", id, "S4", "Circulate the minutes", s.tm.id, s4);
    mtg_expect_action(s4, "child", s.child, "meeting", id, minutes_due, "open", NULL);
    mtg_find_action("meeting", id, "S5", "Hold the stability review meeting", s.tm.id, s5);
    mtg_expect_action(s5, "child", s.child, "meeting", id, review_due, "open", NULL);
    mtg_find_action("meeting", id, "S6", NULL, s.iro.id, s6);
    mtg_expect_action(s6, "child", s.child, "meeting", id, check_due, "open", NULL);
    ck_assert_int_eq(mtg_count_actions("source_id", id, NULL, NULL, NULL), 4);
    /* the IRO sees the action in their list */
    res = http_get(s.iro.token, "/v1/actions/%s", s6);
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "source_rule", "S6");
    mfx_expect_at(&res, "owner_id", s.iro.id);
    mfx_expect_at(&res, "due_at", check_due);
    http_response_free(&res);
}
END_TEST

START_TEST(test_S3_S6_without_an_iro_go_to_the_queue)
{
    mtg_scene s;
    mtg_day today = mtg_today();
    char id[FX_ID_MAX], today_s[16], s3[FX_ID_MAX], s6[FX_ID_MAX];

    mtg_scene_create(&s, NULL, FX_PLACEMENT_START, MTG_NO_IRO);
    snprintf(today_s, sizeof today_s, "%s", mtg_date(today));
    mtg_stability_held(&s, today_s, "Holding", id);
    mtg_find_action("meeting", id, "S3", NULL, NULL, s3);
    mtg_find_action("meeting", id, "S6", NULL, NULL, s6);
    mtg_expect_action(s6, "child", s.child, "meeting", id, mtg_end_of_day(today + 42), "open",
                      NULL);
    mfx_expect_row("actions", s3, "owner_id", NULL);
}
END_TEST

/*
 * The review meeting (stability_review): S3's rules again; held, it closes the child's open S5
 * action and has its own S4 deadline (the end of the 3rd working day after it was held).
 */
START_TEST(test_S5_stability_review_closes_the_review_action)
{
    mtg_scene s;
    mtg_day today = mtg_today();
    char stab[FX_ID_MAX], review[FX_ID_MAX], today_s[16], s5[FX_ID_MAX], s4[FX_ID_MAX];
    char due[32];
    json_t *attendees;
    http_response res;

    mtg_scene_create(&s, NULL, FX_PLACEMENT_START, 0);
    snprintf(today_s, sizeof today_s, "%s", mtg_date(today));
    snprintf(due, sizeof due, "%s", mtg_end_of_day(mtg_working_day_after(today, 3)));
    mtg_stability_held(&s, today_s, "Plan made", stab);
    mtg_find_action("meeting", stab, "S5", NULL, s.tm.id, s5);
    mtg_meeting_create(&s.ssw, "stability_review", s.child, NULL, NULL, mtg_at(today, "15:00"),
                       s.tm.id, review);
    mfx_expect_row("meetings", review, "carer_id", s.carer);

    attendees = json_array();
    mtg_attendee(attendees, s.ssw.id, NULL, "ssw", 1);
    mtg_attendee(attendees, s.csw.id, NULL, "csw", 1);
    res = mtg_hold(&s.tm, review, mtg_held_body(today_s, attendees, "Happier now", NULL, NULL,
                                               "Stable"));
    mfx_expect_rule(&res, 422, "S3", "attendees.foster_carer", NULL);
    mtg_expect_action_status(s5, "open");

    res = mtg_hold(&s.tm, review,
                   mtg_held_body(today_s, mtg_stability_attendees(&s), "Happier now", NULL, NULL,
                                 "Stable"));
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "minutes_due_at", due);
    http_response_free(&res);
    mtg_expect_action_status(s5, "done");
    mtg_find_action("meeting", review, "S4", NULL, s.tm.id, s4);
    mtg_expect_action(s4, "child", s.child, "meeting", review, due, "open", NULL);
    /* a review sets no further review */
    ck_assert_int_eq(mtg_count_actions("source_id", review, "S5", NULL, NULL), 0);
}
END_TEST

/* Finds the chronology item of `kind` about `ref_id`; returns its index or -1. */
static long chronology_index(const json_t *items, const char *kind, const char *ref_id)
{
    size_t i;
    json_t *item;

    json_array_foreach((json_t *)items, i, item) {
        if (json_member_is(item, "kind", kind) &&
            json_member_is(json_object_get(item, "ref"), "id", ref_id))
            return (long)i;
    }
    return -1;
}

/* Checks the chronology at `path` as `who`: oldest first, with the meeting scheduled and held
 * (the held item's summary carrying `outcome`). */
static void expect_chronology(const fx_person *who, const char *path, const char *meeting,
                              const char *outcome)
{
    http_response res = http_get(who->token, "%s?limit=200", path);
    json_t *items;
    json_t *item;
    size_t i;
    long scheduled, held;
    time_t last = 0;

    EXPECT_STATUS(res, 200);
    items = body_items(&res);
    json_array_foreach(items, i, item) {
        time_t at = mtg_parse_instant(json_string_value(json_object_get(item, "at")));

        ck_assert_msg(at >= last, "%s: not oldest first at %zu: %.2000s", res.what, i, res.body);
        last = at;
        ck_assert_msg(json_is_string(json_object_get(item, "summary")) &&
                          json_is_string(json_object_get(item, "kind")),
                      "%s: item %zu: %.2000s", res.what, i, res.body);
    }
    /* both steps are there (the contract does not say which instant a held meeting carries:
     * its held_on date may sort it before the moment it was scheduled) */
    scheduled = chronology_index(items, "meeting_scheduled", meeting);
    held = chronology_index(items, "meeting_held", meeting);
    ck_assert_msg(scheduled >= 0 && held >= 0, "%s: the meeting scheduled and held: %.3000s",
                  res.what, res.body);
    item = json_array_get(items, (size_t)held);
    ck_assert_msg(json_member_is(json_object_get(item, "ref"), "type", "meeting") &&
                      strstr(json_string_value(json_object_get(item, "summary")), outcome) != NULL,
                  "%s: meeting_held carries the outcome [%s]: %.3000s", res.what, outcome,
                  res.body);
    http_response_free(&res);
}

START_TEST(test_S8_R2_outcome_on_the_childs_and_the_carers_chronology)
{
    mtg_scene s;
    fx_person stranger;
    mtg_day today = mtg_today();
    char id[FX_ID_MAX], ppm[FX_ID_MAX], today_s[16], path[FX_ID_MAX + 48];
    const char *outcome = "Placement to continue with weekly support";
    http_response res;

    mtg_scene_create(&s, NULL, FX_PLACEMENT_START, 0);
    fx_person_create(&stranger, "csw", NULL);
    snprintf(today_s, sizeof today_s, "%s", mtg_date(today));
    mfx_expect_only(request(&s.csw, s.child, reason("Carer exhausted")), 201, NULL);
    mtg_stability_held(&s, today_s, outcome, id);
    /* a meeting without a carer stays on the child's chronology only */
    mtg_meeting_create(&s.csw, "ppm", s.child, NULL, NULL, mtg_at(today, "11:00"), s.tm.id, ppm);

    snprintf(path, sizeof path, "/v1/children/%s/chronology", s.child);
    expect_chronology(&s.csw, path, id, outcome);
    res = http_get(s.csw.token, "%s?limit=200", path);
    EXPECT_STATUS(res, 200);
    ck_assert_msg(chronology_index(body_items(&res), "meeting_scheduled", ppm) >= 0,
                  "the ppm on the child's chronology: %.2000s", res.body);
    ck_assert_msg(mtg_items_have(body_items(&res), "kind", "stability_request", NULL, NULL) &&
                      mtg_items_have(body_items(&res), "kind", "placement_started", NULL, NULL),
                  "the request and the placement on the child's chronology: %.2000s", res.body);
    http_response_free(&res);

    snprintf(path, sizeof path, "/v1/carers/%s/chronology", s.carer);
    expect_chronology(&s.ssw, path, id, outcome);
    res = http_get(s.ssw.token, "%s?limit=200", path);
    EXPECT_STATUS(res, 200);
    ck_assert_msg(chronology_index(body_items(&res), "meeting_scheduled", ppm) < 0,
                  "a meeting without the carer is not theirs: %.2000s", res.body);
    http_response_free(&res);

    mfx_expect_only(http_get(stranger.token, "/v1/children/%s/chronology", s.child), 404,
                    "not-found");
    mfx_expect_only(http_get(stranger.token, "/v1/carers/%s/chronology", s.carer), 404,
                    "not-found");
}
END_TEST

/* POST /v1/placements/{id}/carer-notice[/discussion] or /notice as `who`. */
static http_response notice_step(const fx_person *who, const char *placement, const char *step,
                                 json_t *body)
{
    return http_post(who->token, body, "/v1/placements/%s/%s", placement, step);
}

START_TEST(test_S9_notice_only_after_the_wish_is_discussed_with_ssw_and_team_manager)
{
    mtg_scene s;
    fx_person stranger_tm;
    char other_child[FX_ID_MAX], other[FX_ID_MAX], today_s[16], ended[FX_ID_MAX];
    char ended_child[FX_ID_MAX], ended_carer[FX_ID_MAX];
    mtg_day today = mtg_today();
    json_t *discussion;
    http_response res;

    mtg_scene_create(&s, NULL, FX_PLACEMENT_START, 0);
    fx_person_create(&stranger_tm, "team_manager", NULL);
    snprintf(today_s, sizeof today_s, "%s", mtg_date(today));
    fx_child_create(&s.csw, other_child);
    fx_placement_create(&s.tm, other_child, s.carer, FX_PLACEMENT_START, other);

    /* nothing recorded: notice refused naming both */
    res = notice_step(&s.tm, other, "notice",
                      json_pack("{s:s, s:s}", "given_on", today_s, "reason", "Carer retiring"));
    mfx_expect_rule(&res, 422, "S9", "carer_wish", "discussion", NULL);
    mfx_expect_only(notice_step(&s.ssw, other, "carer-notice/discussion",
                                json_pack("{s:s, s:s, s:s}", "held_on", today_s, "ssw_id", s.ssw.id,
                                          "team_manager_id", s.tm.id)),
                    409, "conflict"); /* no wish to discuss */

    /* the carer's wish: the CSW may not record it, a team manager outside both teams cannot */
    mfx_expect_only(notice_step(&s.csw, s.placement, "carer-notice",
                                json_pack("{s:s}", "reason", "Retiring")),
                    403, "forbidden");
    mfx_expect_only(notice_step(&stranger_tm, s.placement, "carer-notice",
                                json_pack("{s:s}", "reason", "Retiring")),
                    404, "not-found");
    /* an If-Match sent must be the placement's current ETag */
    mfx_expect_only(http_post_if_match(s.ssw.token, "\"99\"",
                                       json_pack("{s:s}", "reason", "Retiring"),
                                       "/v1/placements/%s/carer-notice", s.placement),
                    412, NULL);
    ck_assert_int_eq(db_long("select count(*) from carer_notices where placement_id::text = $1",
                             1, s.placement), 0);
    res = notice_step(&s.ssw, s.placement, "carer-notice",
                      json_pack("{s:s}", "reason", "Retiring"));
    EXPECT_STATUS(res, 201);
    mfx_expect_at(&res, "placement_id", s.placement);
    mfx_expect_at(&res, "carer_wish.reason", "Retiring");
    mfx_expect_at(&res, "carer_wish.recorded_by", s.ssw.id);
    mfx_expect_at(&res, "discussion", NULL);
    mfx_expect_at(&res, "notice", NULL);
    http_response_free(&res);
    mfx_expect_only(notice_step(&s.tm, s.placement, "carer-notice",
                                json_pack("{s:s}", "reason", "Again")),
                    409, "conflict");
    ck_assert_int_eq(db_long("select count(*) from carer_notices where placement_id::text = $1 "
                             "and wish_reason = 'Retiring' and wish_recorded_by = $2",
                             2, s.placement, s.ssw.id),
                     1);

    /* the wish alone is not enough */
    res = notice_step(&s.tm, s.placement, "notice",
                      json_pack("{s:s, s:s}", "given_on", today_s, "reason", "Carer retiring"));
    mfx_expect_rule(&res, 422, "S9", "discussion", NULL);
    /* the discussion is with a person who is an SSW and one who is a team manager */
    res = notice_step(&s.ssw, s.placement, "carer-notice/discussion",
                      json_pack("{s:s, s:s, s:s}", "held_on", today_s, "ssw_id", s.csw.id,
                                "team_manager_id", s.tm.id));
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "ssw_id");
    http_response_free(&res);
    res = notice_step(&s.ssw, s.placement, "carer-notice/discussion",
                      json_pack("{s:s, s:s, s:s}", "held_on", today_s, "ssw_id", s.ssw.id,
                                "team_manager_id", s.ssw.id));
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "team_manager_id");
    http_response_free(&res);
    ck_assert_int_eq(db_long("select count(*) from carer_notices where placement_id::text = $1 "
                             "and discussed_on is null",
                             1, s.placement),
                     1);
    discussion = json_pack("{s:s, s:s, s:s, s:s}", "held_on", today_s, "ssw_id", s.ssw.id,
                           "team_manager_id", s.tm.id, "notes", "Respite offered, declined");
    res = notice_step(&s.ssw, s.placement, "carer-notice/discussion", discussion);
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "discussion.held_on", today_s);
    mfx_expect_at(&res, "discussion.ssw_id", s.ssw.id);
    mfx_expect_at(&res, "discussion.team_manager_id", s.tm.id);
    mfx_expect_at(&res, "discussion.notes", "Respite offered, declined");
    mfx_expect_at(&res, "discussion.recorded_by", s.ssw.id);
    mfx_expect_at(&res, "notice", NULL);
    http_response_free(&res);

    res = notice_step(&s.tm, s.placement, "notice",
                      json_pack("{s:s, s:s}", "given_on", today_s, "reason", "Carer retiring"));
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "notice.given_on", today_s);
    mfx_expect_at(&res, "notice.reason", "Carer retiring");
    mfx_expect_at(&res, "notice.given_by", s.tm.id);
    mfx_expect_at(&res, "carer_wish.reason", "Retiring");
    http_response_free(&res);
    ck_assert_int_eq(db_long("select count(*) from carer_notices where placement_id::text = $1 "
                             "and discussion_ssw_id = $2 and discussion_team_manager_id = $3 "
                             "and notice_given_by = $3 and notice_given_on = $4::date",
                             4, s.placement, s.ssw.id, s.tm.id, today_s),
                     1);

    /* an ended placement takes no wish */
    fx_carer_create(&s.tm, NULL, "approved", 1, ended_carer);
    fx_child_create(&s.csw, ended_child);
    fx_placement_create(&s.tm, ended_child, ended_carer, "2021-04-01", ended);
    fx_placement_end(&s.tm, ended, "2022-01-01", "CARPL");
    mfx_expect_only(notice_step(&s.tm, ended, "carer-notice",
                                json_pack("{s:s}", "reason", "Too late")),
                    409, "conflict");
    ck_assert_int_eq(db_long("select count(*) from carer_notices where placement_id::text = $1",
                             1, ended),
                     0);

    /* both people wrong: each field named in one answer */
    res = notice_step(&s.ssw, other, "carer-notice", json_pack("{s:s}", "reason", "Moving away"));
    EXPECT_STATUS(res, 201);
    http_response_free(&res);
    res = notice_step(&s.ssw, other, "carer-notice/discussion",
                      json_pack("{s:s, s:s, s:s}", "held_on", today_s, "ssw_id", s.csw.id,
                                "team_manager_id", s.ssw.id));
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "ssw_id");
    expect_error_field(&res, "team_manager_id");
    http_response_free(&res);
}
END_TEST

Suite *stability_suite(void)
{
    Suite *s = suite_create("stability");
    TCase *tc = tcase_create("stability");
    TCase *birmingham = tcase_create("stability_birmingham");

    tcase_set_timeout(tc, TEST_TIMEOUT_SECONDS);
    tcase_add_test(tc, test_S1_csw_iro_and_the_placed_ssw_may_request);
    tcase_add_test(tc, test_S1_request_by_someone_not_allowed_refused_403);
    tcase_add_test(tc, test_S1_csw_iro_ssw_who_do_not_reach_the_child_404);
    tcase_add_test(tc, test_S1_request_validation_422);
    tcase_add_test(tc, test_S2_convene_the_meeting_within_48_hours);
    tcase_add_test(tc, test_S3_S4_S5_S6_actions_after_the_stability_meeting_is_held);
    tcase_add_test(tc, test_S3_S6_without_an_iro_go_to_the_queue);
    tcase_add_test(tc, test_S5_stability_review_closes_the_review_action);
    tcase_add_test(tc, test_S8_R2_outcome_on_the_childs_and_the_carers_chronology);
    tcase_add_test(tc, test_S9_notice_only_after_the_wish_is_discussed_with_ssw_and_team_manager);
    suite_add_tcase(s, tc);

    /* alone in its TCase, so its teardown (run in the runner's process, even when the test
     * fails) puts the setting back before any other test runs */
    tcase_set_timeout(birmingham, TEST_TIMEOUT_SECONDS);
    tcase_add_unchecked_fixture(birmingham, NULL, restore_joint_visit);
    tcase_add_test(birmingham,
                   test_S2_birmingham_joint_visit_within_5_working_days_then_the_meeting);
    suite_add_tcase(s, birmingham);
    return s;
}
