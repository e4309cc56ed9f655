/*
 * test_people.c - the people register (admin only): creation, conflicts, validation, refusal of
 * other roles, and the paginated list.
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

/* Number of people rows with id `id`. */
static long people_rows(const char *id)
{
    return db_long("select count(*) from people where id = $1", 1, id);
}

/* A valid people body with `id`, in `team`, holding `role`. The caller owns it. */
static json_t *person_body(const char *id, const char *team, const char *role)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:[s]}", "id", id, "name", "Pat Example", "email",
                     "pat@example.org", "team", team, "roles", role);
}

START_TEST(test_people_admin_creates)
{
    char id[FX_ID_MAX];
    char team[FX_ID_MAX];
    char location[FX_ID_MAX + 16];
    json_t *body;
    json_t *roles;
    http_response res;
    http_response again;
    char *name;

    fx_unique(id, sizeof id, "u-csw");
    fx_unique(team, sizeof team, "team");
    body = json_pack("{s:s, s:s, s:s, s:s, s:[s, s]}", "id", id, "name", "Pat Example", "email",
                     "pat@example.org", "team", team, "roles", "csw", "iro");
    res = http_post(fx_admin_token(), body, "/v1/people");
    EXPECT_STATUS(res, 201);
    snprintf(location, sizeof location, "/v1/people/%s", id);
    expect_location(&res, location);
    expect_header(&res, "ETag", "\"1\"");
    expect_json_string(&res, "id", id);
    expect_json_string(&res, "name", "Pat Example");
    expect_json_string(&res, "email", "pat@example.org");
    expect_json_string(&res, "team", team);
    expect_json_int(&res, "version", 1);
    body_string(&res, "created_at");
    body_string(&res, "updated_at");
    roles = json_object_get(res.json, "roles");
    ck_assert_msg(json_is_array(roles) && json_array_size(roles) == 2, "roles not echoed: %s",
                  res.body);

    ck_assert_int_eq(people_rows(id), 1);
    name = db_text("select name from people where id = $1", 1, id);
    ck_assert_str_eq(name, "Pat Example");
    free(name);

    again = http_get(fx_admin_token(), "/v1/people/%s", id);
    EXPECT_STATUS(again, 200);
    expect_header(&again, "ETag", "\"1\"");
    expect_json_string(&again, "id", id);
    http_response_free(&again);
    http_response_free(&res);
}
END_TEST

START_TEST(test_people_duplicate_id_409)
{
    char id[FX_ID_MAX];
    char team[FX_ID_MAX];
    json_t *second;
    http_response first;
    http_response dup;
    char *name;

    fx_unique(id, sizeof id, "u-dup");
    fx_unique(team, sizeof team, "team");
    first = http_post(fx_admin_token(), person_body(id, team, "csw"), "/v1/people");
    EXPECT_STATUS(first, 201);
    second = person_body(id, team, "iro");
    json_object_set_new(second, "name", json_string("Someone Else"));
    dup = http_post(fx_admin_token(), second, "/v1/people");
    expect_problem(&dup, 409, "conflict");

    ck_assert_int_eq(people_rows(id), 1);
    name = db_text("select name from people where id = $1", 1, id);
    ck_assert_str_eq(name, "Pat Example");
    free(name);
    http_response_free(&first);
    http_response_free(&dup);
}
END_TEST

START_TEST(test_people_unknown_manager_422)
{
    char id[FX_ID_MAX];
    char manager[FX_ID_MAX];
    char team[FX_ID_MAX];
    json_t *body;
    http_response res;

    fx_unique(id, sizeof id, "u-managed");
    fx_unique(manager, sizeof manager, "u-nobody");
    fx_unique(team, sizeof team, "team");
    body = person_body(id, team, "csw");
    json_object_set_new(body, "manager_id", json_string(manager));
    res = http_post(fx_admin_token(), body, "/v1/people");
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "manager_id");
    ck_assert_int_eq(people_rows(id), 0);
    http_response_free(&res);
}
END_TEST

START_TEST(test_people_known_manager_accepted)
{
    char team[FX_ID_MAX];
    char id[FX_ID_MAX];
    fx_person tm;
    json_t *body;
    http_response res;
    char *manager;

    fx_unique(team, sizeof team, "team");
    fx_person_create(&tm, "team_manager", team);
    fx_unique(id, sizeof id, "u-managed");
    body = person_body(id, team, "csw");
    json_object_set_new(body, "manager_id", json_string(tm.id));
    res = http_post(fx_admin_token(), body, "/v1/people");
    EXPECT_STATUS(res, 201);
    expect_json_string(&res, "manager_id", tm.id);
    manager = db_text("select manager_id from people where id = $1", 1, id);
    ck_assert_msg(manager != NULL && strcmp(manager, tm.id) == 0, "manager_id not stored");
    free(manager);
    http_response_free(&res);
}
END_TEST

START_TEST(test_people_non_admin_403)
{
    char team[FX_ID_MAX];
    char id[FX_ID_MAX];
    fx_person csw;
    http_response post;
    http_response list;

    fx_unique(team, sizeof team, "team");
    fx_person_create(&csw, "csw", team);
    fx_unique(id, sizeof id, "u-sneaky");
    post = http_post(csw.token, person_body(id, team, "admin"), "/v1/people");
    expect_problem(&post, 403, "forbidden");
    ck_assert_int_eq(people_rows(id), 0);
    list = http_get(csw.token, "/v1/people");
    expect_problem(&list, 403, "forbidden");
    http_response_free(&post);
    http_response_free(&list);
}
END_TEST

START_TEST(test_people_bad_role_name_422)
{
    char id[FX_ID_MAX];
    char team[FX_ID_MAX];
    json_t *body;
    http_response res;

    fx_unique(id, sizeof id, "u-wizard");
    fx_unique(team, sizeof team, "team");
    body = json_pack("{s:s, s:s, s:s, s:[s, s]}", "id", id, "name", "Pat Example", "team", team,
                     "roles", "csw", "wizard");
    res = http_post(fx_admin_token(), body, "/v1/people");
    expect_problem(&res, 422, "validation");
    expect_error_field_like(&res, "roles");
    ck_assert_int_eq(people_rows(id), 0);
    http_response_free(&res);
}
END_TEST

/* Missing name, empty roles, bad id characters and an email without @: all listed at once. */
START_TEST(test_people_validation_lists_every_field)
{
    json_t *body = json_pack("{s:s, s:s, s:[]}", "id", "has spaces/and slashes", "email",
                             "not-an-email", "roles");
    http_response res = http_post(fx_admin_token(), body, "/v1/people");

    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "id");
    expect_error_field(&res, "name");
    expect_error_field(&res, "email");
    expect_error_field_like(&res, "roles");
    ck_assert_int_eq(people_rows("has spaces/and slashes"), 0);
    http_response_free(&res);
}
END_TEST

START_TEST(test_people_list_paginated)
{
    char team[FX_ID_MAX];
    fx_person members[3];
    json_t *seen = json_object();
    http_response page1;
    http_response page2;
    const char *next;
    char *cursor;
    size_t i;
    json_t *item;

    fx_unique(team, sizeof team, "team");
    for (i = 0; i < 3; i++)
        fx_person_create(&members[i], "csw", team);

    page1 = http_get(fx_admin_token(), "/v1/people?team=%s&limit=2", team);
    EXPECT_STATUS(page1, 200);
    ck_assert_int_eq(json_array_size(body_items(&page1)), 2);
    next = json_string_value(json_object_get(page1.json, "next"));
    ck_assert_msg(next != NULL, "first page of 3 with limit 2 has no next cursor");
    cursor = http_escape(next);
    page2 = http_get(fx_admin_token(), "/v1/people?team=%s&limit=2&after=%s", team, cursor);
    free(cursor);
    EXPECT_STATUS(page2, 200);
    ck_assert_int_eq(json_array_size(body_items(&page2)), 1);
    ck_assert_msg(json_is_null(json_object_get(page2.json, "next")), "last page has a cursor");

    json_array_foreach(body_items(&page1), i, item)
        json_object_set(seen, json_string_value(json_object_get(item, "id")), item);
    json_array_foreach(body_items(&page2), i, item)
        json_object_set(seen, json_string_value(json_object_get(item, "id")), item);
    ck_assert_int_eq(json_object_size(seen), 3);
    for (i = 0; i < 3; i++)
        ck_assert_msg(json_object_get(seen, members[i].id) != NULL, "person %s missing",
                      members[i].id);

    json_decref(seen);
    http_response_free(&page1);
    http_response_free(&page2);
}
END_TEST

Suite *people_suite(void)
{
    Suite *s = suite_create("people");
    TCase *tc = tcase_create("people");

    tcase_set_timeout(tc, TEST_TIMEOUT_SECONDS);
    tcase_add_test(tc, test_people_admin_creates);
    tcase_add_test(tc, test_people_duplicate_id_409);
    tcase_add_test(tc, test_people_unknown_manager_422);
    tcase_add_test(tc, test_people_known_manager_accepted);
    tcase_add_test(tc, test_people_non_admin_403);
    tcase_add_test(tc, test_people_bad_role_name_422);
    tcase_add_test(tc, test_people_validation_lists_every_field);
    tcase_add_test(tc, test_people_list_paginated);
    suite_add_tcase(s, tc);
    return s;
}
