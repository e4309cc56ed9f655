/*
 * test_sweep_reassign.c - S7 across a reassignment (contract of POST /v1/actions/{id}/reassign):
 * flagged_at and escalations are unchanged and a flagged action is re-checked
 * escalation_recheck_working_days (5) working days from today (23:59:59 London), so S7 goes on
 * and escalates to the NEW owner's manager; the same for an action an administrator takes out
 * of the administrators' queue.
 */
#include "action_fixtures.h"
#include "db.h"
#include "expect.h"
#include "fixtures.h"
#include "http_client.h"
#include "suites.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DUE "2026-12-23T17:00:00Z"

/*
 * The end (23:59:59 Europe/London, as RFC 3339 UTC) of the 5th working day after today's London
 * date, from the database's own calendar (bank holidays and closure days). The caller frees.
 */
static char *five_working_days_from_today(void)
{
    return db_text("select iso_utc((d + time '23:59:59') at time zone 'Europe/London') "
                   "from (select g::date as d from generate_series(london_today() + 1, "
                   "london_today() + 40, interval '1 day') g) days "
                   "where extract(isodow from d) < 6 "
                   "and d not in (select day from bank_holidays) "
                   "and d not in (select day from calendar_closures) "
                   "order by d offset 4 limit 1", 0);
}

START_TEST(test_s7_reassign_keeps_state_and_escalates_to_new_manager)
{
    afx_scene s;
    fx_person other_mgr;
    fx_person colleague;
    char id[FX_ID_MAX];
    http_response moved;
    http_response res;
    char *expected;
    char *after_recheck;

    afx_scene_create(&s, 1);
    afx_person(&other_mgr, "team_manager", NULL, NULL);
    afx_person(&colleague, "csw", s.team, other_mgr.id);
    afx_action_create(s.csw.token, afx_action_body("Keep going", "child", s.child, s.csw.id, DUE),
                      id);
    afx_sweep_only("2026-12-24T12:00:00Z");

    moved = http_post(s.csw.token, json_pack("{s:s, s:s}", "owner_id", colleague.id, "reason",
                                             "Handover"), "/v1/actions/%s/reassign", id);
    EXPECT_STATUS(moved, 200);
    expect_json_string(&moved, "owner_id", colleague.id);
    expect_json_string(&moved, "flagged_at", "2026-12-24T12:00:00Z");
    expected = five_working_days_from_today();
    ck_assert_msg(expected != NULL, "no 5th working day found");
    expect_json_string(&moved, "recheck_at", expected);
    expect_json_int(&moved, "escalations", 0);
    http_response_free(&moved);
    free(expected);

    /* one second after the new re-check: one escalation, to the new owner's manager */
    after_recheck = db_text("select iso_utc(recheck_at + interval '1 second') from actions "
                            "where id::text = $1", 1, id);
    afx_sweep_only(after_recheck);
    free(after_recheck);
    res = afx_get_action(id);
    expect_json_string(&res, "owner_id", other_mgr.id);
    expect_json_int(&res, "escalations", 1);
    http_response_free(&res);
    ck_assert_int_eq(db_long("select count(*) from action_history where action_id::text = $1 "
                             "and event = 'escalated' and from_owner = $2 and to_owner = $3",
                             3, id, colleague.id, other_mgr.id), 1);
    ck_assert_int_eq(afx_history_count(id, "flagged"), 1);
}
END_TEST

START_TEST(test_s7_taken_out_of_admin_queue_rechecked_from_today)
{
    afx_scene s;
    fx_person admin;
    char id[FX_ID_MAX];
    char *expected;
    http_response taken;

    afx_scene_create(&s, 0);
    fx_token_only(&admin, "admin");
    afx_action_create(s.csw.token, afx_action_body("Queued", "child", s.child, s.csw.id, DUE), id);
    afx_sweep_only("2027-01-05T00:00:01Z");
    ck_assert_int_eq(db_long("select count(*) from actions where id::text = $1 and owner_id is "
                             "null and recheck_at is null and escalations = 1", 1, id), 1);

    taken = http_post(admin.token, json_pack("{s:s, s:s}", "owner_id", s.csw.id, "reason",
                                             "Back to the social worker"),
                      "/v1/actions/%s/reassign", id);
    EXPECT_STATUS(taken, 200);
    expect_json_string(&taken, "owner_id", s.csw.id);
    afx_expect_null(taken.json, "owner_queue", 0);
    expect_json_int(&taken, "escalations", 1);
    ck_assert_int_eq(db_long("select count(*) from action_history where action_id::text = $1 "
                             "and event = 'reassigned' and from_owner is null and to_owner = $2 "
                             "and by_sub = $3", 3, id, s.csw.id, admin.id), 1);
    expected = five_working_days_from_today();
    ck_assert_msg(expected != NULL, "no 5th working day found");
    ck_assert_msg(json_is_string(json_object_get(taken.json, "recheck_at")),
                  "S7 stopped: an action taken out of the admin queue has no recheck_at "
                  "(expected %s): %.600s", expected, taken.body);
    expect_json_string(&taken, "recheck_at", expected);
    free(expected);
    http_response_free(&taken);
}
END_TEST

Suite *sweep_reassign_suite(void)
{
    Suite *s = suite_create("sweep_reassign");
    TCase *tc = tcase_create("sweep_reassign");

    tcase_set_timeout(tc, TEST_TIMEOUT_SECONDS);
    tcase_add_test(tc, test_s7_reassign_keeps_state_and_escalates_to_new_manager);
    tcase_add_test(tc, test_s7_taken_out_of_admin_queue_rechecked_from_today);
    suite_add_tcase(s, tc);
    return s;
}
