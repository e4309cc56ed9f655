/*
 * test_carers.c - fostering households: creation by a team manager, validation naming every
 * field, refusal of other roles, If-Match on PATCH, ssw allocations, no DELETE (R3).
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

/* Carers rows whose team is `team`. */
static long carers_in_team(const char *team)
{
    return db_long("select count(*) from carers where team = $1", 1, team);
}

/* A team manager with a people record in a fresh team. */
static void new_team_manager(fx_person *tm)
{
    char team[FX_ID_MAX];

    fx_unique(team, sizeof team, "team");
    fx_person_create(tm, "team_manager", team);
}

START_TEST(test_carers_team_manager_creates)
{
    fx_person tm;
    char location[FX_ID_MAX + 16];
    const char *id;
    json_t *approval;
    http_response res;
    http_response read;
    char *team;

    new_team_manager(&tm);
    res = http_post(tm.token, fx_carer_body(NULL, "approved", 2), "/v1/carers");
    EXPECT_STATUS(res, 201);
    id = body_string(&res, "id");
    ck_assert_msg(is_uuid(id), "carer id [%s] is not a UUID", id);
    snprintf(location, sizeof location, "/v1/carers/%s", id);
    expect_location(&res, location);
    expect_header(&res, "ETag", "\"1\"");
    expect_json_string(&res, "team", tm.team);
    expect_json_int(&res, "version", 1);
    ck_assert_msg(json_is_null(json_object_get(res.json, "agency_id")),
                  "in-house carer has an agency");
    approval = json_object_get(res.json, "approval");
    ck_assert_msg(json_member_is(approval, "status", "approved"), "approval not echoed: %s",
                  res.body);
    ck_assert_msg(json_member_is(approval, "approved_on", FX_APPROVED_ON), "approved_on lost");
    ck_assert_int_eq(json_array_size(json_object_get(res.json, "carers")), 1);

    team = db_text("select team from carers where id::text = $1", 1, id);
    ck_assert_msg(team != NULL && strcmp(team, tm.team) == 0, "carers row missing or wrong team");
    free(team);

    read = http_get(tm.token, "/v1/carers/%s", id);
    EXPECT_STATUS(read, 200);
    expect_header(&read, "ETag", "\"1\"");
    expect_json_string(&read, "postcode", "SW1A 1AA");
    http_response_free(&read);
    http_response_free(&res);
}
END_TEST

START_TEST(test_carers_validation_lists_every_field)
{
    fx_person tm;
    json_t *body;
    http_response res;

    new_team_manager(&tm);
    body = json_pack("{s:[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}],"
                     " s:{s:s, s:i, s:i, s:i}, s:s, s:s}",
                     "carers", "given_name", "A", "family_name", "One", "given_name", "B",
                     "family_name", "Two", "given_name", "C", "family_name", "Three",
                     "approval", "status", "approved", "age_from", 10, "age_to", 5,
                     "max_children", 11,
                     "postcode", "NOT A POSTCODE", "favourite_food", "toast");
    res = http_post(tm.token, body, "/v1/carers");
    expect_problem(&res, 422, "validation");
    expect_error_field_like(&res, "carers");
    expect_error_field_like(&res, "approved_on");
    expect_error_field_like(&res, "age_to");
    expect_error_field_like(&res, "max_children");
    expect_error_field(&res, "postcode");
    expect_error_field(&res, "favourite_food");
    ck_assert_int_eq(carers_in_team(tm.team), 0);
    http_response_free(&res);
}
END_TEST

START_TEST(test_carers_other_roles_cannot_create_403)
{
    static const char *const roles[] = {"csw", "ssw", "family_finder"};
    char team[FX_ID_MAX];
    size_t i;

    fx_unique(team, sizeof team, "team");
    for (i = 0; i < sizeof roles / sizeof roles[0]; i++) {
        fx_person p;
        http_response res;

        fx_person_create(&p, roles[i], team);
        res = http_post(p.token, fx_carer_body(NULL, "approved", 1), "/v1/carers");
        expect_problem(&res, 403, "forbidden");
        http_response_free(&res);
    }
    ck_assert_int_eq(carers_in_team(team), 0);
}
END_TEST

START_TEST(test_carers_patch_honours_if_match)
{
    fx_person tm;
    char id[FX_ID_MAX];
    http_response missing;
    http_response ok;
    http_response stale;

    new_team_manager(&tm);
    fx_carer_create(&tm, NULL, "approved", 2, id);
    missing = http_patch(tm.token, NULL, json_pack("{s:s}", "background", "x"), "/v1/carers/%s",
                         id);
    expect_problem(&missing, 428, "precondition-required");
    ok = http_patch(tm.token, "\"1\"", json_pack("{s:s, s:[s]}", "background", "Retired teacher",
                                                 "skills", "therapeutic parenting"),
                    "/v1/carers/%s", id);
    EXPECT_STATUS(ok, 200);
    expect_header(&ok, "ETag", "\"2\"");
    expect_json_int(&ok, "version", 2);
    expect_json_string(&ok, "background", "Retired teacher");
    stale = http_patch(tm.token, "\"1\"", json_pack("{s:s}", "background", "Lost"),
                       "/v1/carers/%s", id);
    expect_problem(&stale, 412, "precondition-failed");

    ck_assert_int_eq(db_long("select version from carers where id::text = $1", 1, id), 2);
    http_response_free(&missing);
    http_response_free(&ok);
    http_response_free(&stale);
}
END_TEST

START_TEST(test_carers_ssw_allocation)
{
    char team[FX_ID_MAX];
    char carer[FX_ID_MAX];
    fx_person tm;
    fx_person ssw;
    fx_person csw;
    http_response created;
    http_response list;
    http_response wrong_person;
    http_response wrong_role;

    fx_unique(team, sizeof team, "team");
    fx_person_create(&tm, "team_manager", team);
    fx_person_create(&ssw, "ssw", team);
    fx_person_create(&csw, "csw", team);
    fx_carer_create(&tm, NULL, "approved", 2, carer);

    created = http_post(tm.token, json_pack("{s:s, s:s}", "person_id", ssw.id, "role", "ssw"),
                        "/v1/carers/%s/allocations", carer);
    EXPECT_STATUS(created, 201);
    ck_assert_msg(is_uuid(body_string(&created, "id")), "allocation id is not a UUID");
    expect_json_string(&created, "person_id", ssw.id);
    expect_json_string(&created, "role", "ssw");

    list = http_get(tm.token, "/v1/carers/%s/allocations", carer);
    EXPECT_STATUS(list, 200);
    ck_assert_msg(strstr(list.body, ssw.id) != NULL, "ssw allocation not listed: %s", list.body);

    wrong_person = http_post(tm.token,
                             json_pack("{s:s, s:s}", "person_id", csw.id, "role", "ssw"),
                             "/v1/carers/%s/allocations", carer);
    expect_problem(&wrong_person, 422, "validation");
    wrong_role = http_post(tm.token, json_pack("{s:s, s:s}", "person_id", ssw.id, "role", "csw"),
                           "/v1/carers/%s/allocations", carer);
    expect_problem(&wrong_role, 422, "validation");

    http_response_free(&created);
    http_response_free(&list);
    http_response_free(&wrong_person);
    http_response_free(&wrong_role);
}
END_TEST

START_TEST(test_carers_r3_delete_405)
{
    fx_person tm;
    char id[FX_ID_MAX];
    char path[FX_ID_MAX + 16];
    http_request req = {0};
    http_response res;

    new_team_manager(&tm);
    fx_carer_create(&tm, NULL, "approved", 1, id);
    snprintf(path, sizeof path, "/v1/carers/%s", id);
    req.method = "DELETE";
    req.path = path;
    req.token = tm.token;
    res = http_send(&req);
    expect_problem(&res, 405, "method-not-allowed");
    ck_assert_int_eq(db_long("select count(*) from carers where id::text = $1", 1, id), 1);
    http_response_free(&res);
}
END_TEST

Suite *carers_suite(void)
{
    Suite *s = suite_create("carers");
    TCase *tc = tcase_create("carers");

    tcase_set_timeout(tc, TEST_TIMEOUT_SECONDS);
    tcase_add_test(tc, test_carers_team_manager_creates);
    tcase_add_test(tc, test_carers_validation_lists_every_field);
    tcase_add_test(tc, test_carers_other_roles_cannot_create_403);
    tcase_add_test(tc, test_carers_patch_honours_if_match);
    tcase_add_test(tc, test_carers_ssw_allocation);
    tcase_add_test(tc, test_carers_r3_delete_405);
    suite_add_tcase(s, tc);
    return s;
}
