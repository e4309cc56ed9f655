/*
 * test_meeting_edges.c - the edges a second reading of issue 6 found: a chronology paged one
 * entry at a time reaches its end without repeating an entry (R2); a stability review settles
 * the action to hold it but not the first meeting's plan (S5); the next child-in-care review
 * follows the reviews held, whoever completed what (P7); the S9 steps keep their order in time;
 * reading a meeting is audited (R1); a meeting's placement is its child's.
 */
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

/* R2: every entry of the child's chronology, one page of one entry at a time, each once. */
START_TEST(test_R2_chronology_pages_to_its_end_one_entry_at_a_time)
{
    mtg_scene s;
    char meeting[FX_ID_MAX];
    char after[512] = "";
    mtg_day today = mtg_today();

    mtg_scene_create(&s, NULL, mtg_date(today - 30), 0);
    mtg_stability_held(&s, mtg_date(today - 2), "a plan of support", meeting);
    http_response all = http_get(s.csw.token, "/v1/children/%s/chronology?limit=200", s.child);
    EXPECT_STATUS(all, 200);
    size_t total = json_array_size(json_object_get(all.json, "items"));
    ck_assert_int_ge(total, 5);
    size_t seen = 0;
    for (size_t page = 0; page <= total; page++) {
        http_response res = after[0] == '\0'
                                ? http_get(s.csw.token, "/v1/children/%s/chronology?limit=1", s.child)
                                : http_get(s.csw.token, "/v1/children/%s/chronology?limit=1&after=%s",
                                           s.child, after);
        EXPECT_STATUS(res, 200);
        json_t *items = json_object_get(res.json, "items");
        ck_assert_int_eq(json_array_size(items), 1);
        json_t *want = json_array_get(json_object_get(all.json, "items"), seen);
        ck_assert_msg(json_equal(json_array_get(items, 0), want), "entry %zu differs", seen);
        seen++;
        json_t *next = json_object_get(res.json, "next");
        if (json_is_null(next)) {
            http_response_free(&res);
            break;
        }
        snprintf(after, sizeof after, "%s", json_string_value(next));
        http_response_free(&res);
    }
    ck_assert_int_eq(seen, total);
    http_response_free(&all);
}
END_TEST

/* S5: holding the review completes the action to hold it; the first meeting's plan stays. */
START_TEST(test_S5_review_settles_only_the_review_action)
{
    mtg_scene s;
    char first[FX_ID_MAX];
    char review[FX_ID_MAX];
    char hold_review[FX_ID_MAX];
    mtg_day today = mtg_today();

    mtg_scene_create(&s, NULL, mtg_date(today - 60), 0);
    mtg_stability_held(&s, mtg_date(today - 1), "support", first);
    http_response res = http_post(
        s.tm.token,
        json_pack("{s:[{s:s, s:s, s:s}]}", "actions", "title", "Arrange therapy", "owner_id",
                  s.csw.id, "due_at", mtg_end_of_day(today + 60)),
        "/v1/meetings/%s/actions", first);
    EXPECT_STATUS(res, 201);
    char plan_action[FX_ID_MAX];
    snprintf(plan_action, sizeof plan_action, "%s",
             json_string_value(json_object_get(json_array_get(json_object_get(res.json, "items"), 0), "id")));
    mfx_expect_at(&res, "items.0.source.type", "meeting_plan");
    http_response_free(&res);
    mtg_find_action("meeting", first, "S5", "Hold the stability review meeting", s.tm.id,
                    hold_review);

    mtg_meeting_create(&s.csw, "stability_review", s.child, NULL, NULL, mtg_at(today, "10:00"),
                       s.tm.id, review);
    res = mtg_hold(&s.tm, review,
                   mtg_held_body(mtg_date(today), mtg_stability_attendees(&s), "better now", NULL,
                                 NULL, "settled"));
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
    mtg_expect_action_status(hold_review, "done");
    mtg_expect_action_status(plan_action, "open");
}
END_TEST

/* P7: a review held before the IRO was allocated counts; the next review after the second is
 * six months (cic_review_interval_months) after it, as the schedule says. */
START_TEST(test_P7_next_review_follows_the_reviews_held)
{
    mtg_scene s;
    char first[FX_ID_MAX];
    char second[FX_ID_MAX];
    char action[FX_ID_MAX];
    mtg_day today = mtg_today();
    mtg_day entered = today - 200;
    mtg_day first_on = today - 170;
    mtg_day second_on = today - 10;
    json_t *extra = json_pack("{s:s}", "entered_care_on", mtg_date(entered));

    mtg_scene_create(&s, extra, NULL, MTG_NO_IRO);
    mtg_meeting_create(&s.csw, "cic_review", s.child, NULL, NULL, mtg_at(first_on, "10:00"),
                       s.tm.id, first);
    http_response res = mtg_hold(&s.csw, first,
                                 mtg_held_body(mtg_date(first_on), json_array(), NULL, NULL, NULL,
                                               NULL));
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
    fx_child_allocate(&s.tm, s.child, s.iro.id, "iro");
    /* the IRO's action is for the second review: 3 months after the first was held */
    mtg_find_subject_action("child", s.child, "P7", NULL, s.iro.id, action);
    mtg_expect_action(action, "child", s.child, "*", NULL,
                      mtg_end_of_day(mtg_add_months(first_on, mtg_setting("cic_review_second_months"))),
                      "open", "cic_review");
    mtg_meeting_create(&s.csw, "cic_review", s.child, NULL, NULL, mtg_at(second_on, "10:00"),
                       s.iro.id, second);
    res = mtg_hold(&s.iro, second,
                   mtg_held_body(mtg_date(second_on), json_array(), NULL, NULL, NULL, NULL));
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
    mtg_expect_action_status(action, "done");
    char next[FX_ID_MAX];
    long interval = mtg_setting("cic_review_interval_months");
    ck_assert_int_eq(mtg_count_actions("subject_id", s.child, "P7", "open", "cic_review"), 1);
    char *next_id = db_text("SELECT id::text FROM actions WHERE subject_id::text = $1"
                            " AND source_rule = 'P7' AND status = 'open'", 1, s.child);
    snprintf(next, sizeof next, "%s", next_id);
    free(next_id);
    mtg_expect_action(next, "child", s.child, "*", NULL,
                      mtg_end_of_day(mtg_add_months(second_on, (int)interval)), "open",
                      "cic_review");
    res = http_get(s.csw.token, "/v1/children/%s/review-schedule", s.child);
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "next_due_on", mtg_date(mtg_add_months(second_on, (int)interval)));
    http_response_free(&res);
}
END_TEST

/* S9: notice is given on or after the discussion, a discussion is never in the future and is
 * not rewritten once notice was given; a team manager of the child's team may take the steps. */
START_TEST(test_S9_steps_keep_their_order_in_time)
{
    mtg_scene s;
    mtg_day today = mtg_today();

    mtg_scene_create(&s, NULL, mtg_date(today - 100), 0);
    http_response res = http_post(s.tm.token, json_pack("{s:s}", "reason", "exhausted"),
                                  "/v1/placements/%s/carer-notice", s.placement);
    EXPECT_STATUS(res, 201);
    http_response_free(&res);
    res = http_post(s.ssw.token,
                    json_pack("{s:s, s:s, s:s}", "held_on", mtg_date(today + 1), "ssw_id",
                              s.ssw.id, "team_manager_id", s.tm.id),
                    "/v1/placements/%s/carer-notice/discussion", s.placement);
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "held_on");
    http_response_free(&res);
    res = http_post(s.ssw.token,
                    json_pack("{s:s, s:s, s:s}", "held_on", mtg_date(today - 5), "ssw_id",
                              s.ssw.id, "team_manager_id", s.tm.id),
                    "/v1/placements/%s/carer-notice/discussion", s.placement);
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
    res = http_post(s.ssw.token,
                    json_pack("{s:s, s:s}", "given_on", mtg_date(today - 6), "reason", "ending"),
                    "/v1/placements/%s/notice", s.placement);
    mfx_expect_rule(&res, 422, "S9", "discussion", NULL);
    res = http_post(s.ssw.token,
                    json_pack("{s:s, s:s}", "given_on", mtg_date(today - 5), "reason", "ending"),
                    "/v1/placements/%s/notice", s.placement);
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "notice.given_on", mtg_date(today - 5));
    http_response_free(&res);
    res = http_post(s.ssw.token,
                    json_pack("{s:s, s:s, s:s}", "held_on", mtg_date(today - 1), "ssw_id",
                              s.ssw.id, "team_manager_id", s.tm.id),
                    "/v1/placements/%s/carer-notice/discussion", s.placement);
    expect_problem(&res, 409, "conflict");
    http_response_free(&res);
    char *discussed = db_text("SELECT discussed_on::text FROM carer_notices"
                              " WHERE placement_id::text = $1", 1, s.placement);
    ck_assert_str_eq(discussed, mtg_date(today - 5));
    free(discussed);
}
END_TEST

/* R1: reading a meeting and listing meetings are audited with what was shown. */
START_TEST(test_R1_meeting_reads_are_audited)
{
    mtg_scene s;
    char meeting[FX_ID_MAX];
    mtg_day today = mtg_today();

    mtg_scene_create(&s, NULL, mtg_date(today - 30), 0);
    mtg_meeting_create(&s.csw, "ppm", s.child, NULL, NULL, mtg_at(today + 3, "10:00"), s.tm.id,
                       meeting);
    http_response res = http_get(s.ssw.token, "/v1/meetings/%s", meeting);
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
    res = http_get(s.iro.token, "/v1/meetings?child_id=%s", s.child);
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
    ck_assert_int_eq(db_long("SELECT count(*) FROM audit_log WHERE sub = $1 AND method = 'GET'"
                             " AND resource_type = 'meeting' AND resource_id = $2 AND status = 200",
                             2, s.ssw.id, meeting),
                     1);
    ck_assert_int_eq(db_long("SELECT count(*) FROM audit_log WHERE sub = $1 AND method = 'GET'"
                             " AND resource_type = 'meeting' AND status = 200"
                             " AND changes->'read' ? $2",
                             2, s.iro.id, meeting),
                     1);
}
END_TEST

/* A meeting about a placement names one of its child's placements. */
START_TEST(test_meeting_placement_is_the_childs)
{
    mtg_scene s;
    mtg_scene other;
    mtg_day today = mtg_today();

    mtg_scene_create(&s, NULL, mtg_date(today - 30), 0);
    mtg_scene_create(&other, NULL, mtg_date(today - 30), 0);
    http_response res = mtg_meeting_post(&s.csw, "placement_planning", s.child, NULL,
                                         other.placement, mtg_at(today + 1, "10:00"), s.tm.id);
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "placement_id");
    http_response_free(&res);
    res = mtg_meeting_post(&s.csw, "placement_planning", s.child, NULL, s.placement,
                           mtg_at(today + 1, "10:00"), s.tm.id);
    EXPECT_STATUS(res, 201);
    mfx_expect_at(&res, "placement_id", s.placement);
    http_response_free(&res);
}
END_TEST

Suite *meeting_edges_suite(void)
{
    Suite *s = suite_create("meeting_edges");
    TCase *tc = tcase_create("meeting_edges");

    tcase_set_timeout(tc, TEST_TIMEOUT_SECONDS);
    tcase_add_test(tc, test_R2_chronology_pages_to_its_end_one_entry_at_a_time);
    tcase_add_test(tc, test_S5_review_settles_only_the_review_action);
    tcase_add_test(tc, test_P7_next_review_follows_the_reviews_held);
    tcase_add_test(tc, test_S9_steps_keep_their_order_in_time);
    tcase_add_test(tc, test_R1_meeting_reads_are_audited);
    tcase_add_test(tc, test_meeting_placement_is_the_childs);
    suite_add_tcase(s, tc);
    return s;
}
