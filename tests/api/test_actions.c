/*
 * test_actions.c - /v1/actions (P2, S5: every action has an owner and a due date): creation
 * with its history and audit row (R1); validation naming each field; complete, cancel (with a
 * reason) and reassign, which only the owner, the owner's manager or an administrator may do
 * (a reader of the subject gets 403, anyone else 404); a closed action is 409; the owner's
 * manager sees the action; the caller's open actions as an iCalendar feed.
 * Lists, filters and pagination are in test_action_lists.c.
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

#define ICS_DUE "2026-12-23T17:00:00Z"

/* POST /v1/actions/{id}/<verb> with `body` (stolen) as `token`. */
static http_response act(const char *token, const char *id, const char *verb, json_t *body)
{
    return http_post(token, body, "/v1/actions/%s/%s", id, verb);
}

/* An action of the scene's csw on their child, due in two days, created by the csw. */
static void csw_action(const afx_scene *s, const char *title, char *id)
{
    char due[32];

    afx_time_from_now(due, sizeof due, 2 * 86400);
    afx_action_create(s->csw.token, afx_action_body(title, "child", s->child, s->csw.id, due), id);
}

/* The action's column `status` and owner_id as "status/owner" (owner "-" when null); frees. */
static void expect_row(const char *id, const char *status, const char *owner)
{
    char *row = db_text("select status || '/' || coalesce(owner_id, '-') from actions "
                        "where id::text = $1", 1, id);
    char want[2 * FX_ID_MAX];

    snprintf(want, sizeof want, "%s/%s", status, owner);
    ck_assert_msg(row != NULL && strcmp(row, want) == 0, "action row is [%s], expected [%s]",
                  row != NULL ? row : "(none)", want);
    free(row);
}

START_TEST(test_actions_create_201_with_history_and_audit)
{
    afx_scene s;
    char due[32];
    char location[FX_ID_MAX];
    const char *source_id = "6f1c2a4e-0b7d-4c1e-9a55-3d2e8b9f0a11";
    json_t *body;
    json_t *history;
    http_response res;
    const char *id;

    afx_scene_create(&s, 1);
    afx_time_from_now(due, sizeof due, 3 * 86400);
    body = afx_action_body("Arrange life-story session", "child", s.child, s.csw.id, due);
    json_object_set_new(body, "detail", json_string("With the foster carer"));
    json_object_set_new(body, "source_rule", json_string("S5"));
    json_object_set_new(body, "source", json_pack("{s:s, s:s}", "type", "meeting", "id",
                                                  source_id));
    res = http_post(s.csw.token, body, "/v1/actions");
    EXPECT_STATUS(res, 201);
    id = body_string(&res, "id");
    ck_assert_msg(is_uuid(id), "action id [%s] is not a UUID", id);
    snprintf(location, sizeof location, "/v1/actions/%s", id);
    expect_location(&res, location);
    expect_header(&res, "ETag", "\"1\"");
    expect_json_string(&res, "title", "Arrange life-story session");
    expect_json_string(&res, "detail", "With the foster carer");
    expect_json_string(&res, "owner_id", s.csw.id);
    expect_json_string(&res, "due_at", due);
    expect_json_string(&res, "status", "open");
    expect_json_string(&res, "source_rule", "S5");
    expect_json_string(&res, "created_by", s.csw.id);
    expect_json_int(&res, "escalations", 0);
    afx_expect_member(json_object_get(res.json, "subject"), "type", "child");
    afx_expect_member(json_object_get(res.json, "subject"), "id", s.child);
    afx_expect_member(json_object_get(res.json, "source"), "id", source_id);
    afx_expect_null(res.json, "flagged_at", 0); /* every field is always present */
    afx_expect_null(res.json, "recheck_at", 0);
    afx_expect_null(res.json, "closed_at", 0);
    afx_expect_null(res.json, "owner_queue", 0);
    history = json_object_get(res.json, "history");
    ck_assert_msg(json_array_size(history) == 1 &&
                      json_member_is(json_array_get(history, 0), "event", "created"),
                  "history is not [created]: %s", res.body);

    ck_assert_int_eq(db_long("select count(*) from actions where id::text = $1 and status = "
                             "'open' and owner_id = $2 and subject_id::text = $3 and "
                             "source_rule = 'S5'", 3, id, s.csw.id, s.child), 1);
    ck_assert_int_eq(db_long("select count(*) from action_history where action_id::text = $1 "
                             "and event = 'created' and to_owner = $2 and by_sub = $2", 2, id,
                             s.csw.id), 1);
    ck_assert_int_eq(afx_history_total(id), 1);
    ck_assert_int_eq(db_long("select count(*) from audit_log where resource_type = 'action' "
                             "and resource_id = $1 and method = 'POST' and status = 201 "
                             "and sub = $2", 2, id, s.csw.id), 1);
    /* the owner is told of the new action */
    ck_assert_int_eq(db_long("select count(*) from events where type = 'action.created' "
                             "and subject_id = $1 and recipient = $2", 2, id, s.csw.id), 1);
    http_response_free(&res);
}
END_TEST

/* One invalid body: set `key` ("subject.id" reaches into subject) to `json`, or remove it when
 * `json` is NULL; the error must name `field`. "$OTHER" is a child the caller cannot see. */
typedef struct invalid_action {
    const char *field;
    const char *key;
    const char *json;
} invalid_action;

START_TEST(test_actions_validation_names_each_field)
{
    static const invalid_action cases[] = {
        {"title", "title", NULL},
        {"title", "title", "\"\""},
        {"due_at", "due_at", "\"2020-01-01T09:00:00Z\""},
        {"due_at", "due_at", "\"next Tuesday\""},
        {"subject.type", "subject.type", "\"robot\""},
        {"subject.type", "subject.type", "\"match\""},
        {"subject.id", "subject.id", "\"not-a-uuid\""},
        {"subject.id", "subject.id", "\"$OTHER\""},
        {"subject.id", "subject.id", "\"00000000-0000-4000-8000-000000000000\""},
        {"owner_id", "owner_id", "\"nobody-at-all\""},
        {"owner_id", "owner_id", NULL},
        {"source_rule", "source_rule", "\"not a rule\""},
        {"colour", "colour", "\"blue\""},
    };
    afx_scene s;
    afx_scene other;
    char due[32];
    size_t i;

    afx_scene_create(&s, 0);
    afx_scene_create(&other, 0);
    afx_time_from_now(due, sizeof due, 86400);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *body = afx_action_body("Invalid", "child", s.child, s.csw.id, due);
        json_t *target = body;
        const char *key = cases[i].key;
        http_response res;

        if (strncmp(key, "subject.", 8) == 0) {
            target = json_object_get(body, "subject");
            key += 8;
        }
        if (cases[i].json == NULL)
            json_object_del(target, key);
        else if (strcmp(cases[i].json, "\"$OTHER\"") == 0)
            json_object_set_new(target, key, json_string(other.child));
        else
            json_object_set_new(target, key, json_loads(cases[i].json, JSON_DECODE_ANY, NULL));
        res = http_post(s.csw.token, body, "/v1/actions");
        expect_problem(&res, 422, "validation");
        expect_error_field(&res, cases[i].field);
        http_response_free(&res);
    }
    {
        /* the subject and the owner are checked together: both named at once */
        http_response both = http_post(s.csw.token,
                                       afx_action_body("Invalid", "child", other.child,
                                                       "nobody-at-all", due), "/v1/actions");

        expect_problem(&both, 422, "validation");
        expect_error_field(&both, "subject.id");
        expect_error_field(&both, "owner_id");
        http_response_free(&both);
    }
    ck_assert_int_eq(db_long("select count(*) from actions where created_by = $1", 1, s.csw.id),
                     0);
}
END_TEST

START_TEST(test_actions_complete_by_owner_then_409)
{
    afx_scene s;
    char id[FX_ID_MAX];
    http_response done;
    http_response twice;
    http_response cancel;

    afx_scene_create(&s, 1);
    csw_action(&s, "Send minutes", id);
    done = act(s.csw.token, id, "complete", json_pack("{s:s}", "note", "Sent on time"));
    EXPECT_STATUS(done, 200);
    expect_json_string(&done, "status", "done");
    expect_json_string(&done, "closing_note", "Sent on time");
    ck_assert_msg(json_is_string(json_object_get(done.json, "closed_at")), "no closed_at");
    expect_row(id, "done", s.csw.id);
    ck_assert_int_eq(db_long("select count(*) from actions where id::text = $1 and closed_at "
                             "is not null", 1, id), 1);
    ck_assert_int_eq(db_long("select count(*) from action_history where action_id::text = $1 "
                             "and event = 'completed' and by_sub = $2", 2, id, s.csw.id), 1);

    twice = act(s.csw.token, id, "complete", json_object());
    expect_problem(&twice, 409, "conflict");
    cancel = act(s.mgr.token, id, "cancel", json_pack("{s:s}", "reason", "Too late"));
    expect_problem(&cancel, 409, "conflict");
    expect_row(id, "done", s.csw.id);
    ck_assert_int_eq(afx_history_total(id), 2);
    http_response_free(&done);
    http_response_free(&twice);
    http_response_free(&cancel);
}
END_TEST

START_TEST(test_actions_cancel_needs_reason)
{
    afx_scene s;
    char id[FX_ID_MAX];
    http_response bare;
    http_response cancelled;

    afx_scene_create(&s, 1);
    csw_action(&s, "Book a room", id);
    bare = act(s.csw.token, id, "cancel", json_object());
    expect_problem(&bare, 422, "validation");
    expect_error_field(&bare, "reason");
    expect_row(id, "open", s.csw.id);

    cancelled = act(s.csw.token, id, "cancel", json_pack("{s:s}", "reason", "Meeting moved"));
    EXPECT_STATUS(cancelled, 200);
    expect_json_string(&cancelled, "status", "cancelled");
    expect_json_string(&cancelled, "closing_note", "Meeting moved");
    expect_row(id, "cancelled", s.csw.id);
    ck_assert_int_eq(db_long("select count(*) from action_history where action_id::text = $1 "
                             "and event = 'cancelled' and note = 'Meeting moved'", 1, id), 1);
    http_response_free(&bare);
    http_response_free(&cancelled);
}
END_TEST

START_TEST(test_actions_reassign_by_manager_not_iro_or_stranger)
{
    afx_scene s;
    fx_person iro;
    fx_person colleague;
    fx_person stranger;
    char id[FX_ID_MAX];
    http_response seen_by_iro;
    http_response by_iro;
    http_response by_stranger;
    http_response unknown_owner;
    http_response by_manager;

    afx_scene_create(&s, 1);
    fx_person_create(&iro, "iro", NULL);
    fx_child_allocate(&s.tm, s.child, iro.id, "iro");
    fx_person_create(&colleague, "csw", s.team);
    fx_person_create(&stranger, "csw", NULL);
    csw_action(&s, "Update the care plan", id);

    seen_by_iro = http_get(iro.token, "/v1/actions/%s", id); /* the IRO reads the child's */
    EXPECT_STATUS(seen_by_iro, 200);
    by_iro = act(iro.token, id, "reassign",
                 json_pack("{s:s, s:s}", "owner_id", iro.id, "reason", "I will do it"));
    expect_problem(&by_iro, 403, "forbidden");
    by_stranger = act(stranger.token, id, "reassign",
                      json_pack("{s:s, s:s}", "owner_id", stranger.id, "reason", "Mine"));
    expect_problem(&by_stranger, 404, "not-found");
    unknown_owner = act(s.mgr.token, id, "reassign",
                        json_pack("{s:s, s:s}", "owner_id", "nobody-at-all", "reason", "x"));
    expect_problem(&unknown_owner, 422, "validation");
    expect_error_field(&unknown_owner, "owner_id");
    expect_row(id, "open", s.csw.id);
    ck_assert_int_eq(afx_history_total(id), 1);

    by_manager = act(s.mgr.token, id, "reassign",
                     json_pack("{s:s, s:s}", "owner_id", colleague.id, "reason", "Leave"));
    EXPECT_STATUS(by_manager, 200);
    expect_json_string(&by_manager, "owner_id", colleague.id);
    expect_json_string(&by_manager, "status", "open");
    expect_row(id, "open", colleague.id);
    ck_assert_int_eq(db_long("select count(*) from action_history where action_id::text = $1 "
                             "and event = 'reassigned' and from_owner = $2 and to_owner = $3 "
                             "and by_sub = $4 and note = 'Leave'", 4, id, s.csw.id,
                             colleague.id, s.mgr.id), 1);
    ck_assert_int_eq(db_long("select count(*) from audit_log where resource_type = 'action' "
                             "and resource_id = $1 and status = 200 and sub = $2", 2, id,
                             s.mgr.id), 1);
    http_response_free(&seen_by_iro);
    http_response_free(&by_iro);
    http_response_free(&by_stranger);
    http_response_free(&unknown_owner);
    http_response_free(&by_manager);
}
END_TEST

START_TEST(test_actions_owner_manager_sees_others_do_not)
{
    afx_scene s;
    fx_person other_tm;
    char id[FX_ID_MAX];
    http_response by_manager;
    http_response listed;
    http_response by_other;

    afx_scene_create(&s, 1);
    fx_person_create(&other_tm, "team_manager", NULL);
    csw_action(&s, "Chase the school", id);
    by_manager = http_get(s.mgr.token, "/v1/actions/%s", id);
    EXPECT_STATUS(by_manager, 200);
    expect_json_string(&by_manager, "id", id);
    expect_json_string(&by_manager, "owner_id", s.csw.id);
    listed = http_get(s.mgr.token, "/v1/actions?owner=%s", s.csw.id);
    EXPECT_STATUS(listed, 200);
    afx_expect_ids(&listed, 1, (const char *const[]){id});
    by_other = http_get(other_tm.token, "/v1/actions/%s", id);
    expect_problem(&by_other, 404, "not-found");
    http_response_free(&by_manager);
    http_response_free(&listed);
    http_response_free(&by_other);
}
END_TEST

START_TEST(test_actions_ics_feed_of_open_actions)
{
    afx_scene s;
    char open_id[FX_ID_MAX];
    char done_id[FX_ID_MAX];
    char uid[FX_ID_MAX + 16];
    const char *event;
    json_t *body;
    http_response done;
    http_response feed;
    http_response other;

    afx_scene_create(&s, 1);
    body = afx_action_body("Visit", "child", s.child, s.csw.id, ICS_DUE);
    json_object_set_new(body, "source_rule", json_string("S5"));
    afx_action_create(s.csw.token, body, open_id);
    csw_action(&s, "Already done", done_id);
    done = act(s.csw.token, done_id, "complete", json_object());
    EXPECT_STATUS(done, 200);

    feed = http_get(s.csw.token, "/v1/actions.ics?owner=me");
    EXPECT_STATUS(feed, 200);
    expect_header_prefix(&feed, "Content-Type", "text/calendar");
    ck_assert_msg(strncmp(feed.body, "BEGIN:VCALENDAR", 15) == 0, "not a VCALENDAR: %.300s",
                  feed.body);
    ck_assert_msg(strstr(feed.body, "END:VCALENDAR") != NULL, "VCALENDAR not closed");
    event = strstr(feed.body, "BEGIN:VEVENT");
    ck_assert_msg(event != NULL && strstr(event + 1, "BEGIN:VEVENT") == NULL,
                  "expected exactly one VEVENT: %s", feed.body);
    snprintf(uid, sizeof uid, "UID:%s@permanence", open_id);
    ck_assert_msg(strstr(feed.body, uid) != NULL, "no %s in %s", uid, feed.body);
    ck_assert_msg(strstr(feed.body, "DTSTART:20261223T170000Z") != NULL, "DTSTART missing: %s",
                  feed.body);
    ck_assert_msg(strstr(feed.body, "DTEND:20261223T170000Z") != NULL, "DTEND missing");
    ck_assert_msg(strstr(feed.body, "SUMMARY:[S5] Visit") != NULL, "SUMMARY missing: %s",
                  feed.body);
    ck_assert_msg(strstr(feed.body, "CATEGORIES:child") != NULL, "CATEGORIES missing");
    ck_assert_msg(strstr(feed.body, "VERSION:2.0") != NULL &&
                      strstr(feed.body, "METHOD:PUBLISH") != NULL,
                  "calendar header missing: %.300s", feed.body);
    ck_assert_msg(strstr(feed.body, done_id) == NULL, "a done action is in the feed");

    other = http_get(s.csw.token, "/v1/actions.ics?owner=%s", s.mgr.id);
    expect_problem(&other, 400, "bad-request");
    http_response_free(&done);
    http_response_free(&feed);
    http_response_free(&other);
}
END_TEST

Suite *actions_suite(void)
{
    Suite *s = suite_create("actions");
    TCase *tc = tcase_create("actions");

    tcase_set_timeout(tc, TEST_TIMEOUT_SECONDS);
    tcase_add_test(tc, test_actions_create_201_with_history_and_audit);
    tcase_add_test(tc, test_actions_validation_names_each_field);
    tcase_add_test(tc, test_actions_complete_by_owner_then_409);
    tcase_add_test(tc, test_actions_cancel_needs_reason);
    tcase_add_test(tc, test_actions_reassign_by_manager_not_iro_or_stranger);
    tcase_add_test(tc, test_actions_owner_manager_sees_others_do_not);
    tcase_add_test(tc, test_actions_ics_feed_of_open_actions);
    suite_add_tcase(s, tc);
    return s;
}
