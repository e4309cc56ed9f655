/*
 * test_placements.c - placing a child with a carer and ending the placement: approval, date of
 * birth and vacancy checks (422), one open placement per child (409), end validation, the
 * unplanned flag derived from the SSDA903 reason (U1), and the child's placement list.
 */
#include "db.h"
#include "expect.h"
#include "fixtures.h"
#include "http_client.h"
#include "suites.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A team manager in a fresh team, with one child and one approved carer of `max_children`. */
typedef struct placement_world {
    fx_person tm;
    char child[FX_ID_MAX];
    char carer[FX_ID_MAX];
} placement_world;

static void world_create(placement_world *w, int max_children)
{
    char team[FX_ID_MAX];

    fx_unique(team, sizeof team, "team");
    fx_person_create(&w->tm, "team_manager", team);
    fx_child_create(&w->tm, w->child);
    fx_carer_create(&w->tm, NULL, "approved", max_children, w->carer);
}

/* POST /v1/placements for child/carer/start_date (type U4) as `token`. */
static http_response post_placement(const char *token, const char *child, const char *carer,
                                    const char *start_date)
{
    return http_post(token, json_pack("{s:s, s:s, s:s, s:s}", "child_id", child, "carer_id",
                                      carer, "start_date", start_date, "placement_type", "U4"),
                     "/v1/placements");
}

/* POST /v1/placements/{id}/end as `token`. */
static http_response end_placement(const char *token, const char *id, const char *end_date,
                                   const char *reason)
{
    return http_post(token, json_pack("{s:s, s:s}", "end_date", end_date, "reason", reason),
                     "/v1/placements/%s/end", id);
}

/* Placements rows of child `child`. */
static long placements_of(const char *child)
{
    return db_long("select count(*) from placements where child_id::text = $1", 1, child);
}

/* Placements rows of child `child` that are still open (no end_date). */
static long open_placements_of(const char *child)
{
    return db_long("select count(*) from placements where child_id::text = $1 "
                   "and end_date is null", 1, child);
}

START_TEST(test_placements_csw_places_and_lists)
{
    char team[FX_ID_MAX];
    char child[FX_ID_MAX];
    char carer[FX_ID_MAX];
    char location[FX_ID_MAX + 32];
    fx_person tm;
    fx_person csw;
    http_response res;
    http_response one;
    http_response list;
    const char *id;

    fx_unique(team, sizeof team, "team");
    fx_person_create(&tm, "team_manager", team);
    fx_person_create(&csw, "csw", team);
    fx_child_create(&csw, child);
    fx_carer_create(&tm, NULL, "approved", 2, carer);

    res = post_placement(csw.token, child, carer, FX_PLACEMENT_START);
    EXPECT_STATUS(res, 201);
    id = body_string(&res, "id");
    ck_assert_msg(is_uuid(id), "placement id [%s] is not a UUID", id);
    snprintf(location, sizeof location, "/v1/placements/%s", id);
    expect_location(&res, location);
    expect_header(&res, "ETag", "\"1\"");
    expect_json_string(&res, "child_id", child);
    expect_json_string(&res, "carer_id", carer);
    expect_json_string(&res, "start_date", FX_PLACEMENT_START);
    expect_json_string(&res, "placement_type", "U4");
    expect_json_int(&res, "version", 1);
    ck_assert_msg(json_is_null(json_object_get(res.json, "end_date")), "new placement has ended");
    ck_assert_int_eq(open_placements_of(child), 1);

    one = http_get(csw.token, "/v1/placements/%s", id);
    EXPECT_STATUS(one, 200);
    expect_json_string(&one, "id", id);
    list = http_get(csw.token, "/v1/children/%s/placements", child);
    EXPECT_STATUS(list, 200);
    ck_assert_msg(items_contain(body_items(&list), "id", id), "placement not in child's list");
    ck_assert_uint_eq(json_array_size(body_items(&list)), 1);

    http_response_free(&res);
    http_response_free(&one);
    http_response_free(&list);
}
END_TEST

START_TEST(test_placements_second_open_placement_409)
{
    placement_world w;
    char other_carer[FX_ID_MAX];
    char placement[FX_ID_MAX];
    http_response res;

    world_create(&w, 2);
    fx_carer_create(&w.tm, NULL, "approved", 2, other_carer);
    fx_placement_create(&w.tm, w.child, w.carer, FX_PLACEMENT_START, placement);
    res = post_placement(w.tm.token, w.child, other_carer, "2021-04-01");
    expect_problem(&res, 409, "conflict");
    ck_assert_int_eq(placements_of(w.child), 1);
    http_response_free(&res);
}
END_TEST

START_TEST(test_placements_carer_not_approved_422)
{
    placement_world w;
    char assessing[FX_ID_MAX];
    http_response unapproved;
    http_response too_early;

    world_create(&w, 2);
    fx_carer_create(&w.tm, NULL, "assessment", 2, assessing);
    unapproved = post_placement(w.tm.token, w.child, assessing, FX_PLACEMENT_START);
    expect_problem(&unapproved, 422, "validation");
    /* Approved, but only from FX_APPROVED_ON: a start before that is refused too. */
    too_early = post_placement(w.tm.token, w.child, w.carer, "2019-12-31");
    expect_problem(&too_early, 422, "validation");
    ck_assert_int_eq(placements_of(w.child), 0);
    http_response_free(&unapproved);
    http_response_free(&too_early);
}
END_TEST

START_TEST(test_placements_start_before_birth_422)
{
    placement_world w;
    json_t *approval;
    http_response patched;
    http_response res;

    world_create(&w, 2);
    /* Approve the carer from long before the child's birth so only the birth date can refuse. */
    approval = json_pack("{s:{s:s}}", "approval", "approved_on", "2010-01-01");
    patched = http_patch(w.tm.token, "\"1\"", approval, "/v1/carers/%s", w.carer);
    EXPECT_STATUS(patched, 200);
    res = post_placement(w.tm.token, w.child, w.carer, "2015-05-31");
    expect_problem(&res, 422, "validation");
    ck_assert_int_eq(placements_of(w.child), 0);
    http_response_free(&patched);
    http_response_free(&res);
}
END_TEST

START_TEST(test_placements_no_vacancy_422)
{
    placement_world w;
    char second_child[FX_ID_MAX];
    char placement[FX_ID_MAX];
    http_response res;

    world_create(&w, 1);
    fx_child_create(&w.tm, second_child);
    fx_placement_create(&w.tm, w.child, w.carer, FX_PLACEMENT_START, placement);
    res = post_placement(w.tm.token, second_child, w.carer, FX_PLACEMENT_START);
    expect_problem(&res, 422, "validation");
    ck_assert_int_eq(placements_of(second_child), 0);
    http_response_free(&res);
}
END_TEST

START_TEST(test_placements_end_validation_422)
{
    placement_world w;
    char placement[FX_ID_MAX];
    http_response before_start;
    http_response bad_reason;

    world_create(&w, 1);
    fx_placement_create(&w.tm, w.child, w.carer, FX_PLACEMENT_START, placement);
    before_start = end_placement(w.tm.token, placement, "2021-02-28", "CARPL");
    expect_problem(&before_start, 422, "validation");
    expect_error_field(&before_start, "end_date");
    bad_reason = end_placement(w.tm.token, placement, "2022-01-01", "BORED");
    expect_problem(&bad_reason, 422, "validation");
    expect_error_field(&bad_reason, "reason");
    ck_assert_int_eq(open_placements_of(w.child), 1);
    http_response_free(&before_start);
    http_response_free(&bad_reason);
}
END_TEST

START_TEST(test_placements_u1_end_unplanned_then_409)
{
    placement_world w;
    char placement[FX_ID_MAX];
    http_response ended;
    http_response again;
    char *end_date;

    world_create(&w, 1);
    fx_placement_create(&w.tm, w.child, w.carer, FX_PLACEMENT_START, placement);
    ended = end_placement(w.tm.token, placement, "2022-01-01", "CREQB");
    EXPECT_STATUS(ended, 200);
    expect_json_string(&ended, "id", placement);
    expect_json_string(&ended, "end_date", "2022-01-01");
    expect_json_string(&ended, "reason", "CREQB");
    ck_assert_msg(json_is_true(json_object_get(ended.json, "unplanned")),
                  "CREQB ending is not unplanned: %s", ended.body);
    end_date = db_text("select end_date::text from placements where id::text = $1", 1, placement);
    ck_assert_msg(end_date != NULL && strcmp(end_date, "2022-01-01") == 0, "end_date not stored");
    free(end_date);

    again = end_placement(w.tm.token, placement, "2022-02-01", "CARPL");
    expect_problem(&again, 409, "conflict");
    end_date = db_text("select end_date::text from placements where id::text = $1", 1, placement);
    ck_assert_str_eq(end_date, "2022-01-01");
    free(end_date);
    http_response_free(&ended);
    http_response_free(&again);
}
END_TEST

/* Reason -> expected "unplanned": 1 true, 0 false, -1 null. */
typedef struct reason_case {
    const char *reason;
    int unplanned;
} reason_case;

START_TEST(test_placements_u1_unplanned_by_reason)
{
    static const reason_case cases[] = {
        {"CARPL", 0}, {"PLACE", 0}, {"CHILD", 1}, {"ALLEG", 1}, {"LAREQ", -1}, {"OTHER", -1},
    };
    char team[FX_ID_MAX];
    char carer[FX_ID_MAX];
    fx_person tm;
    size_t i;

    fx_unique(team, sizeof team, "team");
    fx_person_create(&tm, "team_manager", team);
    fx_carer_create(&tm, NULL, "approved", 1, carer);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char child[FX_ID_MAX];
        char placement[FX_ID_MAX];
        char start[32];
        char end[32];
        http_response ended;
        json_t *flag;

        /* One placement after another with the same carer, never overlapping in time. */
        snprintf(start, sizeof start, "2021-%02u-01", (unsigned)i + 1);
        snprintf(end, sizeof end, "2021-%02u-15", (unsigned)i + 1);
        fx_child_create(&tm, child);
        fx_placement_create(&tm, child, carer, start, placement);
        ended = end_placement(tm.token, placement, end, cases[i].reason);
        EXPECT_STATUS(ended, 200);
        flag = json_object_get(ended.json, "unplanned");
        if (cases[i].unplanned < 0)
            ck_assert_msg(json_is_null(flag), "%s: unplanned should be null", cases[i].reason);
        else
            ck_assert_msg(json_is_boolean(flag) && json_is_true(flag) == cases[i].unplanned,
                          "%s: unplanned should be %d: %s", cases[i].reason, cases[i].unplanned,
                          ended.body);
        http_response_free(&ended);
    }
}
END_TEST

Suite *placements_suite(void)
{
    Suite *s = suite_create("placements");
    TCase *tc = tcase_create("placements");

    tcase_set_timeout(tc, TEST_TIMEOUT_SECONDS);
    tcase_add_test(tc, test_placements_csw_places_and_lists);
    tcase_add_test(tc, test_placements_second_open_placement_409);
    tcase_add_test(tc, test_placements_carer_not_approved_422);
    tcase_add_test(tc, test_placements_start_before_birth_422);
    tcase_add_test(tc, test_placements_no_vacancy_422);
    tcase_add_test(tc, test_placements_end_validation_422);
    tcase_add_test(tc, test_placements_u1_end_unplanned_then_409);
    tcase_add_test(tc, test_placements_u1_unplanned_by_reason);
    suite_add_tcase(s, tc);
    return s;
}
