/*
 * test_placement_sync.c - a case system's sync of placements (PUT /v1/placements/by-external/
 * {system}/{id}): started once, then answered unchanged, ended when its ending first arrives
 * (with what an unplanned ending brings, U1), and never changed in its start (409); and If-Match
 * on a state change: checked when sent (412 when stale), not required.
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

/* PUT the placement `body` (stolen) under eclipse/`external_id` as `who`. */
static http_response put_placement(const fx_person *who, const char *external_id, json_t *body)
{
    char path[256];
    char *text = json_dumps(body, JSON_COMPACT);
    snprintf(path, sizeof path, "/v1/placements/by-external/eclipse/%s", external_id);
    http_request req = {.method = "PUT", .path = path, .token = who->token, .body = text};
    http_response res = http_send(&req);
    free(text);
    json_decref(body);
    return res;
}

static json_t *placement_body(const mtg_scene *s, const char *start, const char *type,
                              const char *end, const char *reason)
{
    json_t *body = json_pack("{s:s, s:s, s:s, s:s}", "child_id", s->child, "carer_id", s->carer,
                             "start_date", start, "placement_type", type);
    if (end != NULL) {
        json_object_set_new(body, "end_date", json_string(end));
        json_object_set_new(body, "reason", json_string(reason));
    }
    return body;
}

START_TEST(test_placement_sync_starts_ends_and_keeps_its_start)
{
    mtg_scene s;
    char external_id[FX_ID_MAX];
    char id[FX_ID_MAX];
    mtg_day today = mtg_today();
    const char *start = mtg_date(today - 20);
    char start_text[16];
    snprintf(start_text, sizeof start_text, "%s", start);

    mtg_scene_create(&s, NULL, NULL, 0);
    fx_unique(external_id, sizeof external_id, "pl");
    http_response res = put_placement(&s.tm, external_id, placement_body(&s, start_text, "U4", NULL, NULL));
    EXPECT_STATUS(res, 201);
    snprintf(id, sizeof id, "%s", body_string(&res, "id"));
    mfx_expect_at(&res, "start_date", start_text);
    http_response_free(&res);
    ck_assert_int_eq(db_long("SELECT count(*) FROM external_ids WHERE resource_type = 'placement'"
                             " AND system = 'eclipse' AND external_id = $1 AND resource_id::text = $2",
                             2, external_id, id),
                     1);
    ck_assert_int_eq(mtg_count_actions("source_id", id, "P8", "open", "sw_visit"), 1);

    /* the same again: unchanged, one placement, version 1 */
    res = put_placement(&s.tm, external_id, placement_body(&s, start_text, "U4", NULL, NULL));
    EXPECT_STATUS(res, 200);
    mtg_expect_int_at(&res, "version", 1);
    http_response_free(&res);
    ck_assert_int_eq(db_long("SELECT count(*) FROM placements WHERE child_id::text = $1", 1, s.child), 1);

    /* another start is refused: a sync does not move a placement */
    res = put_placement(&s.tm, external_id, placement_body(&s, mtg_date(today - 19), "U4", NULL, NULL));
    expect_problem(&res, 409, "conflict");
    http_response_free(&res);

    /* the ending arrives (the carer asked, CREQB: unplanned): ended, the U1 meeting's action made */
    const char *end = mtg_date(today - 1);
    char end_text[16];
    snprintf(end_text, sizeof end_text, "%s", end);
    res = put_placement(&s.tm, external_id, placement_body(&s, start_text, "U4", end_text, "CREQB"));
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "end_date", end_text);
    mfx_expect_at(&res, "unplanned", "true");
    mtg_expect_int_at(&res, "version", 2);
    http_response_free(&res);
    ck_assert_int_eq(mtg_count_actions("source_id", id, "U1", "open", NULL), 1);
    ck_assert_int_eq(mtg_count_actions("source_id", id, "P8", "open", "sw_visit"), 0);

    /* sent again: unchanged; another ending: refused */
    res = put_placement(&s.tm, external_id, placement_body(&s, start_text, "U4", end_text, "CREQB"));
    EXPECT_STATUS(res, 200);
    mtg_expect_int_at(&res, "version", 2);
    http_response_free(&res);
    res = put_placement(&s.tm, external_id, placement_body(&s, start_text, "U4", end_text, "CARPL"));
    expect_problem(&res, 409, "conflict");
    http_response_free(&res);
    ck_assert_int_eq(mtg_count_actions("source_id", id, "U1", NULL, NULL), 1);
}
END_TEST

START_TEST(test_placement_sync_refusals)
{
    mtg_scene s;
    char external_id[FX_ID_MAX];
    mtg_day today = mtg_today();

    mtg_scene_create(&s, NULL, NULL, 0);
    fx_unique(external_id, sizeof external_id, "pl");
    /* an IRO never places a child */
    http_response res = put_placement(&s.iro, external_id,
                                      placement_body(&s, mtg_date(today - 3), "U4", NULL, NULL));
    expect_problem(&res, 403, "forbidden");
    http_response_free(&res);
    /* an ending without its reason, and a type that is not SSDA903 */
    json_t *body = placement_body(&s, mtg_date(today - 3), "Z9", NULL, NULL);
    json_object_set_new(body, "end_date", json_string(mtg_date(today - 1)));
    res = put_placement(&s.tm, external_id, body);
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "reason");
    expect_error_field(&res, "placement_type");
    http_response_free(&res);
    ck_assert_int_eq(db_long("SELECT count(*) FROM external_ids WHERE external_id = $1", 1,
                             external_id),
                     0);
}
END_TEST

/* If-Match on a state change: a stale ETag is 412 and changes nothing; the current one, or none,
 * lets the change happen. */
START_TEST(test_if_match_on_state_changes)
{
    mtg_scene s;
    char action[FX_ID_MAX];
    mtg_day today = mtg_today();

    mtg_scene_create(&s, NULL, mtg_date(today - 20), 0);
    mtg_find_action("placement", s.placement, "P8", NULL, s.csw.id, action);
    char path[256];
    snprintf(path, sizeof path, "/v1/actions/%s/complete", action);
    http_request stale = {.method = "POST", .path = path, .token = s.csw.token, .body = "{}",
                          .if_match = "\"99\""};
    http_response res = http_send(&stale);
    expect_problem(&res, 412, "precondition-failed");
    http_response_free(&res);
    mtg_expect_action_status(action, "open");
    http_request current = stale;
    current.if_match = "\"1\"";
    res = http_send(&current);
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
    mtg_expect_action_status(action, "done");

    snprintf(path, sizeof path, "/v1/placements/%s/end", s.placement);
    char body[128];
    snprintf(body, sizeof body, "{\"end_date\": \"%s\", \"reason\": \"CARPL\"}", mtg_date(today));
    http_request end = {.method = "POST", .path = path, .token = s.tm.token, .body = body,
                        .if_match = "\"7\""};
    res = http_send(&end);
    expect_problem(&res, 412, "precondition-failed");
    http_response_free(&res);
    char *ended = db_text("SELECT coalesce(end_date::text, '') FROM placements WHERE id::text = $1",
                          1, s.placement);
    ck_assert_str_eq(ended, "");
    free(ended);
    end.if_match = NULL;
    res = http_send(&end);
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
}
END_TEST

/* The change feed names each change once: a CSW's new child and their allocation, a placement
 * synced with its ending in one call (started and ended), a sweep's flag (not also "changed"). */
START_TEST(test_feed_names_each_change_once)
{
    mtg_scene s;
    char external_id[FX_ID_MAX];
    char id[FX_ID_MAX];
    char action[FX_ID_MAX];
    mtg_day today = mtg_today();

    mtg_scene_create(&s, NULL, NULL, 0);
    char *allocation = db_text("SELECT id::text FROM allocations WHERE child_id::text = $1"
                               " AND role = 'csw'", 1, s.child);
    ck_assert_int_eq(db_long("SELECT count(*) FROM events WHERE subject_id = $1", 1, allocation), 1);
    ck_assert_int_eq(db_long("SELECT count(*) FROM events WHERE subject_id = $1"
                             " AND type = 'allocation.created'", 1, allocation),
                     1);
    free(allocation);

    fx_unique(external_id, sizeof external_id, "pl");
    char start[16];
    char end[16];
    snprintf(start, sizeof start, "%s", mtg_date(today - 30));
    snprintf(end, sizeof end, "%s", mtg_date(today - 2));
    http_response res = put_placement(&s.tm, external_id, placement_body(&s, start, "U4", end, "CARPL"));
    EXPECT_STATUS(res, 201);
    snprintf(id, sizeof id, "%s", body_string(&res, "id"));
    http_response_free(&res);
    ck_assert_int_eq(db_long("SELECT count(*) FROM events WHERE subject_id = $1"
                             " AND type IN ('placement.started', 'placement.ended')", 1, id),
                     2);

    /* an action due yesterday: the sweep flags it, and the feed says so once */
    mtg_scene_create(&s, NULL, mtg_date(today - 20), 0);
    mtg_find_action("placement", s.placement, "P8", NULL, s.csw.id, action);
    db_long("UPDATE actions SET due_at = now() - interval '1 day' WHERE id::text = $1"
            " RETURNING 1", 1, action);
    res = http_post(fx_admin_token(), json_pack("{s:s}", "as_of", mtg_instant(time(NULL))),
                    "/v1/actions/sweep");
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
    ck_assert_int_eq(db_long("SELECT count(*) FROM events WHERE subject_id = $1"
                             " AND type = 'action.flagged'", 1, action),
                     1);
    ck_assert_int_eq(db_long("SELECT count(*) FROM events WHERE subject_id = $1"
                             " AND type = 'action.changed'", 1, action),
                     0);
}
END_TEST

Suite *placement_sync_suite(void)
{
    Suite *s = suite_create("placement_sync");
    TCase *tc = tcase_create("placement_sync");

    tcase_set_timeout(tc, TEST_TIMEOUT_SECONDS);
    tcase_add_test(tc, test_placement_sync_starts_ends_and_keeps_its_start);
    tcase_add_test(tc, test_placement_sync_refusals);
    tcase_add_test(tc, test_if_match_on_state_changes);
    tcase_add_test(tc, test_feed_names_each_change_once);
    suite_add_tcase(s, tc);
    return s;
}
