/*
 * test_sweep.c - S7: an action not done by its due date is flagged to its owner and checked
 * again `escalation_recheck_working_days` (5) working days later (23:59:59 Europe/London of the
 * 5th working day after the due date, bank holidays skipped); still open then, it escalates to
 * the owner's manager, who becomes its owner; with no manager, to the administrators' queue.
 * POST /v1/actions/sweep {as_of} replays every step due by as_of, is idempotent, writes
 * history, events and audit rows, and is an administrator's alone.
 *
 * The database is shared and a sweep moves every open action, so these tests assert only on
 * their own actions, never on the sweep's global counts.
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
#include <time.h>

/* Wednesday before Christmas 2026; its 5th working day after skips 25 and 28 Dec and 1 Jan. */
#define DUE "2026-12-23T17:00:00Z"
#define FIRST_RECHECK "2027-01-04T23:59:59Z"
#define SECOND_RECHECK "2027-01-11T23:59:59Z"

/* events rows of type `type` about action `id`. */
static long event_count(const char *id, const char *type)
{
    return db_long("select count(*) from events where subject_type = 'action' and "
                   "subject_id = $1 and type = $2", 2, id, type);
}

/* audit_log rows the sweep wrote for action `id`. */
static long sweep_audit_count(const char *id)
{
    return db_long("select count(*) from audit_log where method = 'SWEEP' and "
                   "resource_type = 'action' and resource_id = $1", 1, id);
}

/* The action `id` created by the scene's csw, owned by them, due DUE. */
static void due_before_christmas(const afx_scene *s, char *id)
{
    afx_action_create(s->csw.token, afx_action_body("Stability plan step", "child", s->child,
                                                    s->csw.id, DUE), id);
}

START_TEST(test_s7_flag_recheck_over_bank_holidays_then_escalate)
{
    afx_scene s;
    char id[FX_ID_MAX];
    http_response res;
    http_response mine;
    long version;

    afx_scene_create(&s, 1);
    due_before_christmas(&s, id);

    afx_sweep_only("2026-12-24T12:00:00Z");
    res = afx_get_action(id);
    expect_json_string(&res, "flagged_at", "2026-12-24T12:00:00Z");
    expect_json_string(&res, "recheck_at", FIRST_RECHECK);
    expect_json_string(&res, "owner_id", s.csw.id);
    expect_json_int(&res, "escalations", 0);
    http_response_free(&res);
    ck_assert_int_eq(afx_history_count(id, "flagged"), 1);
    ck_assert_int_eq(afx_history_total(id), 2);
    ck_assert_int_eq(db_long("select count(*) from events where type = 'action.flagged' and "
                             "subject_id = $1 and recipient = $2", 2, id, s.csw.id), 1);
    ck_assert_int_eq(sweep_audit_count(id), 1);

    /* an hour before the re-check: nothing more */
    afx_sweep_only("2027-01-04T23:00:00Z");
    res = afx_get_action(id);
    expect_json_string(&res, "owner_id", s.csw.id);
    expect_json_int(&res, "escalations", 0);
    http_response_free(&res);
    ck_assert_int_eq(afx_history_total(id), 2);
    ck_assert_int_eq(event_count(id, "action.escalated"), 0);

    /* just after it: the manager takes the action */
    afx_sweep_only("2027-01-05T00:00:01Z");
    res = afx_get_action(id);
    expect_json_string(&res, "owner_id", s.mgr.id);
    expect_json_int(&res, "escalations", 1);
    expect_json_string(&res, "recheck_at", SECOND_RECHECK);
    expect_json_string(&res, "status", "open");
    version = json_integer_value(json_object_get(res.json, "version"));
    http_response_free(&res);
    ck_assert_int_eq(db_long("select count(*) from action_history where action_id::text = $1 "
                             "and event = 'escalated' and from_owner = $2 and to_owner = $3",
                             3, id, s.csw.id, s.mgr.id), 1);
    ck_assert_int_eq(db_long("select count(*) from events where type = 'action.escalated' and "
                             "subject_id = $1 and recipient = $2", 2, id, s.mgr.id), 1);
    ck_assert_int_eq(sweep_audit_count(id), 2);
    mine = http_get(s.mgr.token, "/v1/actions?owner=me");
    EXPECT_STATUS(mine, 200);
    afx_expect_ids(&mine, 1, (const char *const[]){id});
    http_response_free(&mine);

    /* the same sweep again changes nothing */
    afx_sweep_only("2027-01-05T00:00:01Z");
    ck_assert_int_eq(afx_history_total(id), 3);
    ck_assert_int_eq(event_count(id, "action.escalated"), 1);
    ck_assert_int_eq(sweep_audit_count(id), 2);
    ck_assert_int_eq(db_long("select version from actions where id::text = $1", 1, id), version);
    ck_assert_int_eq(db_long("select escalations from actions where id::text = $1", 1, id), 1);
}
END_TEST

START_TEST(test_s7_no_manager_escalates_to_admin_queue)
{
    afx_scene s;
    char id[FX_ID_MAX];
    char query[FX_ID_MAX + 32];
    http_response res;
    http_response queue;
    http_response owned;
    http_response feed;

    afx_scene_create(&s, 0);
    due_before_christmas(&s, id);
    afx_sweep_only("2027-01-05T00:00:01Z"); /* flag and escalate in one go */
    res = afx_get_action(id);
    afx_expect_null(res.json, "owner_id", 0);
    expect_json_string(&res, "owner_queue", "admin");
    expect_json_int(&res, "escalations", 1);
    afx_expect_null(res.json, "recheck_at", 0); /* escalation stops in the queue */
    http_response_free(&res);
    ck_assert_int_eq(afx_history_count(id, "flagged"), 1);
    ck_assert_int_eq(db_long("select count(*) from action_history where action_id::text = $1 "
                             "and event = 'escalated' and from_owner = $2 and to_owner is null",
                             2, id, s.csw.id), 1);
    ck_assert_int_eq(db_long("select count(*) from actions where id::text = $1 and owner_id is "
                             "null", 1, id), 1);

    snprintf(query, sizeof query, "owner=me&subject_id=%s", s.child);
    queue = http_get(fx_admin_token(), "/v1/actions?%s", query);
    EXPECT_STATUS(queue, 200);
    afx_expect_ids(&queue, 1, (const char *const[]){id});
    owned = http_get(s.csw.token, "/v1/actions?%s", query);
    EXPECT_STATUS(owned, 200);
    afx_expect_ids(&owned, 0, NULL);
    feed = http_get(fx_admin_token(), "/v1/actions.ics"); /* the queue is the admins' feed */
    EXPECT_STATUS(feed, 200);
    snprintf(query, sizeof query, "UID:%s@permanence", id);
    ck_assert_msg(strstr(feed.body, query) != NULL, "queue action not in the admins' feed");

    /* in the queue there is no one further up: later sweeps leave it */
    afx_sweep_only("2027-02-01T00:00:00Z");
    ck_assert_int_eq(afx_history_total(id), 3);
    ck_assert_int_eq(db_long("select escalations from actions where id::text = $1", 1, id), 1);
    http_response_free(&queue);
    http_response_free(&owned);
    http_response_free(&feed);
}
END_TEST

/* One late sweep replays flag, escalation to the manager, then (the manager having no manager
 * of their own) escalation to the administrators' queue at the second re-check. */
START_TEST(test_s7_late_sweep_replays_every_step)
{
    afx_scene s;
    char id[FX_ID_MAX];
    http_response res;

    afx_scene_create(&s, 1);
    due_before_christmas(&s, id);
    afx_sweep_only("2027-01-12T00:00:01Z");
    res = afx_get_action(id);
    afx_expect_null(res.json, "owner_id", 0);
    expect_json_int(&res, "escalations", 2);
    ck_assert_msg(json_is_string(json_object_get(res.json, "flagged_at")), "not flagged");
    http_response_free(&res);
    ck_assert_int_eq(afx_history_count(id, "flagged"), 1);
    ck_assert_int_eq(db_long("select count(*) from action_history where action_id::text = $1 "
                             "and event = 'escalated' and from_owner = $2 and to_owner = $3",
                             3, id, s.csw.id, s.mgr.id), 1);
    ck_assert_int_eq(db_long("select count(*) from action_history where action_id::text = $1 "
                             "and event = 'escalated' and from_owner = $2 and to_owner is null",
                             2, id, s.mgr.id), 1);
    ck_assert_int_eq(afx_history_total(id), 4);
    ck_assert_int_eq(event_count(id, "action.flagged"), 1);
    ck_assert_int_eq(event_count(id, "action.escalated"), 2);
    ck_assert_int_eq(sweep_audit_count(id), 3);

    /* a sweep between the two re-checks now has nothing to do for it */
    afx_sweep_only("2027-01-06T00:00:00Z");
    ck_assert_int_eq(afx_history_total(id), 4);
}
END_TEST

/* A closed action is never flagged, however late the sweep. */
START_TEST(test_s7_closed_action_not_flagged)
{
    afx_scene s;
    char id[FX_ID_MAX];
    http_response done;

    afx_scene_create(&s, 1);
    due_before_christmas(&s, id);
    done = http_post(s.csw.token, json_object(), "/v1/actions/%s/complete", id);
    EXPECT_STATUS(done, 200);
    http_response_free(&done);
    afx_sweep_only("2027-01-12T00:00:01Z");
    ck_assert_int_eq(afx_history_total(id), 2);
    ck_assert_int_eq(db_long("select count(*) from actions where id::text = $1 and flagged_at "
                             "is null and owner_id = $2", 2, id, s.csw.id), 1);
}
END_TEST

START_TEST(test_s7_sweep_admin_only_and_as_of_checked)
{
    static const char *const bad[] = {
        "{\"as_of\": \"2027-13-01T00:00:00Z\"}", "{\"as_of\": \"tomorrow\"}",
        "{\"as_of\": \"2027-01-05\"}", "{\"as_of\": 5}", "{}",
    };
    afx_scene s;
    char id[FX_ID_MAX];
    const char *refused[2];
    size_t i;

    afx_scene_create(&s, 1);
    due_before_christmas(&s, id);
    refused[0] = s.csw.token;
    refused[1] = s.mgr.token;
    for (i = 0; i < 2; i++) {
        http_response res = http_post(refused[i], json_pack("{s:s}", "as_of",
                                                            "2027-01-12T00:00:01Z"),
                                      "/v1/actions/sweep");

        expect_problem(&res, 403, "forbidden");
        http_response_free(&res);
    }
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        http_response res = http_post(fx_admin_token(), json_loads(bad[i], 0, NULL),
                                      "/v1/actions/sweep");

        expect_problem(&res, 422, "validation");
        expect_error_field(&res, "as_of");
        http_response_free(&res);
    }
    ck_assert_int_eq(afx_history_total(id), 1);
    ck_assert_int_eq(db_long("select count(*) from actions where id::text = $1 and flagged_at "
                             "is null", 1, id), 1);
}
END_TEST

/* Writes the date `days` after `base` (UTC midnight) as "YYYY-MM-DD" + `suffix` into `out`. */
static void day_text(time_t base, int days, const char *suffix, char *out, size_t size)
{
    time_t t = base + (time_t)days * 86400;
    struct tm tm;
    char day[16];

    gmtime_r(&t, &tm);
    strftime(day, sizeof day, "%Y-%m-%d", &tm);
    snprintf(out, size, "%s%s", day, suffix);
}

/*
 * The working-day calendar includes local closure days: an action due on a Monday in winter
 * (GMT) 2090-2099 re-checks on the following Monday, or on the Tuesday when the Wednesday
 * between is a closure day. Runs last in this suite: a sweep as of 2090 moves every open action
 * in the database to the end of its S7 path.
 */
START_TEST(test_s7_recheck_skips_local_closure_day)
{
    afx_scene s;
    char hex[FX_ID_MAX];
    struct tm tm = {0};
    time_t monday;
    char due[32], closure[16], as_of[32], recheck[32], path[64];
    char id[FX_ID_MAX];
    http_response added;
    http_response res;
    http_request del = {0};

    fx_unique(hex, sizeof hex, "w");
    tm.tm_year = 2090 - 1900 + (int)(strtol(hex + strlen(hex) - 4, NULL, 16) % 10);
    tm.tm_mday = 5 + (int)(strtol(hex + strlen(hex) - 8, NULL, 16) % 6) * 7; /* Jan 5..Feb 9 */
    monday = timegm(&tm);
    gmtime_r(&monday, &tm);
    monday += (time_t)((8 - tm.tm_wday) % 7) * 86400; /* the next Monday (or this one) */
    day_text(monday, 0, "T12:00:00Z", due, sizeof due);
    day_text(monday, 2, "", closure, sizeof closure);
    day_text(monday, 1, "T12:00:00Z", as_of, sizeof as_of);
    day_text(monday, 8, "T23:59:59Z", recheck, sizeof recheck);

    afx_scene_create(&s, 1);
    afx_action_create(s.csw.token, afx_action_body("Far future", "child", s.child, s.csw.id, due),
                      id);
    added = http_post(fx_admin_token(), json_pack("{s:s, s:s}", "date", closure, "reason",
                                                  "Local closure"), "/v1/calendar/closures");
    EXPECT_STATUS(added, 201);
    afx_sweep_only(as_of);
    snprintf(path, sizeof path, "/v1/calendar/closures/%s", closure);
    del.method = "DELETE";
    del.path = path;
    del.token = fx_admin_token();
    http_response_free(&added);
    added = http_send(&del);
    EXPECT_STATUS(added, 204);
    res = afx_get_action(id);
    expect_json_string(&res, "flagged_at", as_of);
    expect_json_string(&res, "recheck_at", recheck);
    expect_json_string(&res, "owner_id", s.csw.id);
    http_response_free(&res);
    http_response_free(&added);
}
END_TEST

Suite *sweep_suite(void)
{
    Suite *s = suite_create("sweep_s7");
    TCase *tc = tcase_create("sweep_s7");

    tcase_set_timeout(tc, TEST_TIMEOUT_SECONDS);
    tcase_add_test(tc, test_s7_flag_recheck_over_bank_holidays_then_escalate);
    tcase_add_test(tc, test_s7_no_manager_escalates_to_admin_queue);
    tcase_add_test(tc, test_s7_late_sweep_replays_every_step);
    tcase_add_test(tc, test_s7_closed_action_not_flagged);
    tcase_add_test(tc, test_s7_sweep_admin_only_and_as_of_checked);
    tcase_add_test(tc, test_s7_recheck_skips_local_closure_day); /* last: sweeps as of 2090 */
    suite_add_tcase(s, tc);
    return s;
}
