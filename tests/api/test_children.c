/*
 * test_children.c - children's records: creation (and the csw's own allocation), validation
 * that names every offending field, media types, malformed bodies, size limit, If-Match rules
 * for PATCH, and no DELETE (R3).
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

/* Children rows whose team is `team`. */
static long children_in_team(const char *team)
{
    return db_long("select count(*) from children where team = $1", 1, team);
}

/* A csw with a people record in a fresh team of its own. */
static void new_csw(fx_person *csw)
{
    char team[FX_ID_MAX];

    fx_unique(team, sizeof team, "team");
    fx_person_create(csw, "csw", team);
}

/* Sends `body` raw to POST /v1/children with `content_type` and returns the response. */
static http_response post_raw(const char *token, const char *content_type, const char *body)
{
    http_request req = {0};

    req.method = "POST";
    req.path = "/v1/children";
    req.token = token;
    req.content_type = content_type;
    req.body = body;
    return http_send(&req);
}

START_TEST(test_children_csw_creates_and_is_allocated)
{
    fx_person csw;
    char location[FX_ID_MAX + 16];
    const char *id;
    http_response res;
    http_response allocations;
    http_response read;
    char *team;

    new_csw(&csw);
    res = http_post(csw.token, fx_child_body("Created"), "/v1/children");
    EXPECT_STATUS(res, 201);
    id = body_string(&res, "id");
    ck_assert_msg(is_uuid(id), "child id [%s] is not a UUID", id);
    snprintf(location, sizeof location, "/v1/children/%s", id);
    expect_location(&res, location);
    expect_header(&res, "ETag", "\"1\"");
    expect_json_string(&res, "team", csw.team);
    expect_json_string(&res, "given_name", "Sam");
    expect_json_string(&res, "family_name", "Created");
    expect_json_string(&res, "date_of_birth", FX_CHILD_DOB);
    expect_json_string(&res, "legal_status", "C2");
    expect_json_int(&res, "version", 1);

    team = db_text("select team from children where id::text = $1", 1, id);
    ck_assert_msg(team != NULL && strcmp(team, csw.team) == 0,
                  "children row missing or in the wrong team");
    free(team);
    ck_assert_int_eq(db_long("select count(*) from allocations where child_id::text = $1 "
                             "and person_id = $2 and role = 'csw'", 2, id, csw.id), 1);

    allocations = http_get(csw.token, "/v1/children/%s/allocations", id);
    EXPECT_STATUS(allocations, 200);
    ck_assert_msg(strstr(allocations.body, csw.id) != NULL, "csw allocation not listed: %s",
                  allocations.body);
    read = http_get(csw.token, "/v1/children/%s", id);
    EXPECT_STATUS(read, 200);
    expect_header(&read, "ETag", "\"1\"");
    expect_json_string(&read, "id", id);

    http_response_free(&read);
    http_response_free(&allocations);
    http_response_free(&res);
}
END_TEST

START_TEST(test_children_creator_without_people_record_403)
{
    fx_person stranger;
    http_response res;

    fx_token_only(&stranger, "csw");
    res = http_post(stranger.token, fx_child_body("Orphaned"), "/v1/children");
    expect_problem(&res, 403, "forbidden");
    ck_assert_int_eq(db_long("select count(*) from allocations where person_id = $1", 1,
                             stranger.id), 0);
    http_response_free(&res);
}
END_TEST

/* One invalid body and the field its error must name. */
typedef struct invalid_case {
    const char *field;
    const char *key;       /* member to set (NULL: remove `field`) */
    const char *json;      /* its JSON value */
} invalid_case;

START_TEST(test_children_validation_names_field)
{
    static const invalid_case cases[] = {
        {"date_of_birth", "date_of_birth", "\"2099-01-01\""},
        {"date_of_birth", "date_of_birth", "\"2023-02-30\""},
        {"date_of_birth", "date_of_birth", "\"01/02/2020\""},
        {"entered_care_on", "entered_care_on", "\"2015-05-31\""},
        {"entered_care_on", "entered_care_on", "\"2099-01-01\""},
        {"legal_status", "legal_status", "\"XX\""},
        {"sex", "sex", "\"robot\""},
        {"favourite_colour", "favourite_colour", "\"blue\""},
        {"given_name", NULL, NULL},
        {"family_name", "family_name", "\"\""},
        {"id", "id", "\"00000000-0000-4000-8000-000000000000\""},
        {"team", "team", "\"some-other-team\""},
    };
    fx_person csw;
    size_t i;

    new_csw(&csw);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *body = fx_child_body("Invalid");
        http_response res;

        if (cases[i].key == NULL)
            json_object_del(body, cases[i].field);
        else
            json_object_set_new(body, cases[i].key, json_loads(cases[i].json, JSON_DECODE_ANY,
                                                               NULL));
        res = http_post(csw.token, body, "/v1/children");
        expect_problem(&res, 422, "validation");
        expect_error_field(&res, cases[i].field);
        http_response_free(&res);
    }
    ck_assert_int_eq(children_in_team(csw.team), 0);
}
END_TEST

START_TEST(test_children_validation_lists_every_error)
{
    fx_person csw;
    json_t *body;
    http_response res;
    json_t *errors;

    new_csw(&csw);
    body = json_pack("{s:s, s:s, s:s, s:s, s:s}", "family_name", "Many", "date_of_birth",
                     "2099-01-01", "legal_status", "ZZ", "favourite_colour", "blue",
                     "entered_care_on", "2023-02-30");
    res = http_post(csw.token, body, "/v1/children");
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "given_name");
    expect_error_field(&res, "date_of_birth");
    expect_error_field(&res, "legal_status");
    expect_error_field(&res, "favourite_colour");
    expect_error_field(&res, "entered_care_on");
    errors = json_object_get(res.json, "errors");
    ck_assert_uint_ge(json_array_size(errors), 5);
    ck_assert_int_eq(children_in_team(csw.team), 0);
    http_response_free(&res);
}
END_TEST

START_TEST(test_children_text_plain_415)
{
    fx_person csw;
    http_response res;

    new_csw(&csw);
    res = post_raw(csw.token, "text/plain",
                   "{\"given_name\":\"A\",\"family_name\":\"B\",\"date_of_birth\":\"2015-01-01\"}");
    expect_problem(&res, 415, "unsupported-media-type");
    ck_assert_int_eq(children_in_team(csw.team), 0);
    http_response_free(&res);
}
END_TEST

START_TEST(test_children_malformed_or_non_object_body_400)
{
    static const char *const bodies[] = {
        "{\"given_name\": \"A\", ",
        "[{\"given_name\":\"A\",\"family_name\":\"B\",\"date_of_birth\":\"2015-01-01\"}]",
        "42",
        "not json at all",
    };
    fx_person csw;
    size_t i;

    new_csw(&csw);
    for (i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        http_response res = post_raw(csw.token, "application/json", bodies[i]);

        expect_problem(&res, 400, "bad-request");
        http_response_free(&res);
    }
    ck_assert_int_eq(children_in_team(csw.team), 0);
}
END_TEST

START_TEST(test_children_body_over_limit_413)
{
    static const char head[] =
        "{\"given_name\":\"A\",\"family_name\":\"B\",\"date_of_birth\":\"2015-01-01\","
        "\"wishes_and_feelings\":\"";
    size_t filler = 1024 * 1024 + 4096;
    size_t size = sizeof head - 1 + filler + 3;
    char *body = malloc(size);
    fx_person csw;
    http_response res;

    ck_assert_msg(body != NULL, "out of memory");
    memcpy(body, head, sizeof head - 1);
    memset(body + sizeof head - 1, 'x', filler);
    memcpy(body + sizeof head - 1 + filler, "\"}", 3);
    new_csw(&csw);
    res = post_raw(csw.token, "application/json", body);
    expect_problem(&res, 413, "payload-too-large");
    ck_assert_int_eq(children_in_team(csw.team), 0);
    http_response_free(&res);
    free(body);
}
END_TEST

/* Reads version and given_name of child `id` from the database into the outputs. */
static void db_child_state(const char *id, long *version, char **given_name)
{
    *version = db_long("select version from children where id::text = $1", 1, id);
    *given_name = db_text("select doc->>'given_name' from children where id::text = $1", 1,
                          id);
}

START_TEST(test_children_patch_without_if_match_428)
{
    fx_person csw;
    char id[FX_ID_MAX];
    http_response res;
    long version;
    char *given;

    new_csw(&csw);
    fx_child_create(&csw, id);
    res = http_patch(csw.token, NULL, json_pack("{s:s}", "given_name", "Changed"),
                     "/v1/children/%s", id);
    expect_problem(&res, 428, "precondition-required");
    db_child_state(id, &version, &given);
    ck_assert_int_eq(version, 1);
    ck_assert_str_eq(given, "Sam");
    free(given);
    http_response_free(&res);
}
END_TEST

START_TEST(test_children_patch_bumps_etag_and_row)
{
    fx_person csw;
    char id[FX_ID_MAX];
    http_response res;
    http_response read;
    long version;
    char *given;

    new_csw(&csw);
    fx_child_create(&csw, id);
    res = http_patch(csw.token, "\"1\"",
                     json_pack("{s:s, s:s}", "given_name", "Samira", "religion", "none"),
                     "/v1/children/%s", id);
    EXPECT_STATUS(res, 200);
    expect_header(&res, "ETag", "\"2\"");
    expect_json_int(&res, "version", 2);
    expect_json_string(&res, "given_name", "Samira");
    expect_json_string(&res, "date_of_birth", FX_CHILD_DOB); /* untouched by the patch */
    expect_json_string(&res, "religion", "none");
    db_child_state(id, &version, &given);
    ck_assert_int_eq(version, 2);
    ck_assert_str_eq(given, "Samira");
    free(given);

    read = http_get(csw.token, "/v1/children/%s", id);
    EXPECT_STATUS(read, 200);
    expect_header(&read, "ETag", "\"2\"");
    expect_json_string(&read, "given_name", "Samira");
    http_response_free(&read);
    http_response_free(&res);
}
END_TEST

START_TEST(test_children_patch_stale_if_match_412)
{
    fx_person csw;
    char id[FX_ID_MAX];
    http_response first;
    http_response stale;
    long version;
    char *given;

    new_csw(&csw);
    fx_child_create(&csw, id);
    first = http_patch(csw.token, "\"1\"", json_pack("{s:s}", "given_name", "Second"),
                       "/v1/children/%s", id);
    EXPECT_STATUS(first, 200);
    stale = http_patch(csw.token, "\"1\"", json_pack("{s:s}", "given_name", "Lost update"),
                       "/v1/children/%s", id);
    expect_problem(&stale, 412, "precondition-failed");
    db_child_state(id, &version, &given);
    ck_assert_int_eq(version, 2);
    ck_assert_str_eq(given, "Second");
    free(given);
    http_response_free(&first);
    http_response_free(&stale);
}
END_TEST

/* Null on a required field and any read-only field are refused, naming the field. */
START_TEST(test_children_patch_required_null_and_read_only_422)
{
    fx_person csw;
    char id[FX_ID_MAX];
    http_response nulled;
    http_response read_only;
    long version;
    char *given;

    new_csw(&csw);
    fx_child_create(&csw, id);
    nulled = http_patch(csw.token, "\"1\"", json_pack("{s:n}", "given_name"),
                        "/v1/children/%s", id);
    expect_problem(&nulled, 422, "validation");
    expect_error_field(&nulled, "given_name");
    read_only = http_patch(csw.token, "\"1\"", json_pack("{s:i, s:s}", "version", 7, "team", "x"),
                           "/v1/children/%s", id);
    expect_problem(&read_only, 422, "validation");
    expect_error_field(&read_only, "version");
    expect_error_field(&read_only, "team");
    db_child_state(id, &version, &given);
    ck_assert_int_eq(version, 1);
    ck_assert_str_eq(given, "Sam");
    free(given);
    http_response_free(&nulled);
    http_response_free(&read_only);
}
END_TEST

/* R3: nothing is deleted; DELETE is not a method of the resource. */
START_TEST(test_children_r3_delete_405)
{
    fx_person csw;
    char id[FX_ID_MAX];
    char path[FX_ID_MAX + 16];
    http_request req = {0};
    http_response res;

    new_csw(&csw);
    fx_child_create(&csw, id);
    snprintf(path, sizeof path, "/v1/children/%s", id);
    req.method = "DELETE";
    req.path = path;
    req.token = csw.token;
    res = http_send(&req);
    expect_problem(&res, 405, "method-not-allowed");
    ck_assert_msg(http_header(&res, "Allow") != NULL, "405 without Allow");
    ck_assert_str_eq(http_header(&res, "Allow"), "GET, PATCH");
    ck_assert_int_eq(db_long("select count(*) from children where id::text = $1", 1, id), 1);
    http_response_free(&res);
}
END_TEST

/* A null member of a created record means absent: nothing the service owns is stored as null. */
START_TEST(test_children_null_members_not_stored)
{
    fx_person csw;
    http_response res;
    const char *id;

    new_csw(&csw);
    res = http_post(csw.token,
                    json_pack("{s:s, s:s, s:s, s:n, s:n, s:n}", "given_name", "Nia",
                              "family_name", "Null", "date_of_birth", "2014-05-05", "id",
                              "version", "religion"),
                    "/v1/children");
    EXPECT_STATUS(res, 201);
    id = json_string_value(json_object_get(res.json, "id"));
    ck_assert_msg(id != NULL, "the created child has no id");
    ck_assert_int_eq(json_integer_value(json_object_get(res.json, "version")), 1);
    ck_assert_int_eq(db_long("select count(*) from children where id::text = $1"
                             " and not doc ? 'id' and not doc ? 'religion'", 1, id), 1);
    http_response_free(&res);
}
END_TEST

Suite *children_suite(void)
{
    Suite *s = suite_create("children");
    TCase *tc = tcase_create("children");

    tcase_set_timeout(tc, TEST_TIMEOUT_SECONDS);
    tcase_add_test(tc, test_children_csw_creates_and_is_allocated);
    tcase_add_test(tc, test_children_creator_without_people_record_403);
    tcase_add_test(tc, test_children_validation_names_field);
    tcase_add_test(tc, test_children_validation_lists_every_error);
    tcase_add_test(tc, test_children_text_plain_415);
    tcase_add_test(tc, test_children_malformed_or_non_object_body_400);
    tcase_add_test(tc, test_children_body_over_limit_413);
    tcase_add_test(tc, test_children_patch_without_if_match_428);
    tcase_add_test(tc, test_children_patch_bumps_etag_and_row);
    tcase_add_test(tc, test_children_patch_stale_if_match_412);
    tcase_add_test(tc, test_children_patch_required_null_and_read_only_422);
    tcase_add_test(tc, test_children_r3_delete_405);
    tcase_add_test(tc, test_children_null_members_not_stored);
    suite_add_tcase(s, tc);
    return s;
}
