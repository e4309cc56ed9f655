/*
 * test_matches.c - long-term matching, M1-M3: who starts family finding (a family finder for a
 * child under 11 on the day, the CSW for a child of 11, including a child exactly 11 today),
 * what must be on file (M2: All About Me and family chronology, never a CPR), the kinship route
 * (M3), and the propose / withdraw steps.
 */
#include "db.h"
#include "expect.h"
#include "fixtures.h"
#include "http_client.h"
#include "suites.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

/* A team with a team manager, a CSW and a family finder, and a child of the CSW's born on
 * `born` (the caller's date expression, evaluated in the database's London today). */
typedef struct match_scene {
    char team[FX_ID_MAX];
    fx_person tm;
    fx_person csw;
    fx_person finder;
    char child[FX_ID_MAX];
} match_scene;

static void scene_create(match_scene *s, const char *born_sql)
{
    char *born = db_text(born_sql, 0);
    json_t *body;
    http_response res;

    fx_unique(s->team, sizeof s->team, "team");
    fx_person_create(&s->tm, "team_manager", s->team);
    fx_person_create(&s->csw, "csw", s->team);
    fx_person_create(&s->finder, "family_finder", s->team);
    body = fx_child_body("Match");
    json_object_set_new(body, "date_of_birth", json_string(born));
    res = http_post(s->csw.token, body, "/v1/children");
    EXPECT_STATUS(res, 201);
    strncpy(s->child, body_string(&res, "id"), sizeof s->child - 1);
    s->child[sizeof s->child - 1] = '\0';
    http_response_free(&res);
    free(born);
    fx_child_allocate(&s->tm, s->child, s->finder.id, "family_finder");
}

static void add_document(const fx_person *who, const char *child, const char *type)
{
    http_response res = http_post(who->token,
                                  json_pack("{s:s, s:s, s:s, s:s}", "type", type, "title", type,
                                            "date", "2025-01-01", "external_document_id", "X1"),
                                  "/v1/children/%s/documents", child);

    EXPECT_STATUS(res, 201);
    http_response_free(&res);
}

static http_response start(const fx_person *who, const char *child)
{
    return http_post(who->token, json_pack("{s:s, s:s}", "child_id", child, "kind", "long_term"),
                     "/v1/matches");
}

START_TEST(test_m1_child_exactly_11_is_found_a_family_by_the_csw)
{
    match_scene s;
    http_response res;

    scene_create(&s, "select to_char(london_today() - interval '11 years', 'YYYY-MM-DD')");
    add_document(&s.csw, s.child, "all_about_me");
    add_document(&s.csw, s.child, "family_chronology");
    res = start(&s.finder, s.child);
    expect_problem(&res, 403, "forbidden");
    expect_json_string(&res, "rule", "M1");
    http_response_free(&res);
    res = start(&s.csw, s.child);
    EXPECT_STATUS(res, 201);
    expect_json_string(&res, "finder_role", "csw");
    expect_json_string(&res, "status", "family_finding");
    http_response_free(&res);
    ck_assert_int_eq(db_long("select count(*) from matches where child_id::text = $1 and "
                             "finder_id = $2", 2, s.child, s.csw.id), 1);
}
END_TEST

START_TEST(test_m1_child_under_11_is_found_a_family_by_a_family_finder)
{
    match_scene s;
    http_response res;

    scene_create(&s, "select to_char(london_today() - interval '11 years' + interval '1 day', "
                     "'YYYY-MM-DD')");
    add_document(&s.csw, s.child, "all_about_me");
    add_document(&s.csw, s.child, "family_chronology");
    res = start(&s.csw, s.child);
    expect_problem(&res, 403, "forbidden");
    expect_json_string(&res, "rule", "M1");
    http_response_free(&res);
    ck_assert_int_eq(db_long("select count(*) from audit_log where resource_type = 'match' and "
                             "status = 403 and sub = $1", 1, s.csw.id), 1);
    res = start(&s.finder, s.child);
    EXPECT_STATUS(res, 201);
    expect_json_string(&res, "finder_role", "family_finder");
    http_response_free(&res);
}
END_TEST

START_TEST(test_m2_all_about_me_and_chronology_needed_cpr_never)
{
    match_scene s;
    http_response res;

    scene_create(&s, "select '2010-01-01'");
    res = start(&s.csw, s.child);
    expect_problem(&res, 422, "policy");
    expect_json_string(&res, "rule", "M2");
    ck_assert_int_eq(json_array_size(json_object_get(res.json, "missing")), 2);
    http_response_free(&res);
    add_document(&s.csw, s.child, "all_about_me");
    res = start(&s.csw, s.child);
    expect_problem(&res, 422, "policy");
    ck_assert_int_eq(json_array_size(json_object_get(res.json, "missing")), 1);
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(res.json, "missing"), 0)),
                     "family_chronology");
    http_response_free(&res);
    ck_assert_int_eq(db_long("select count(*) from matches where child_id::text = $1", 1,
                             s.child), 0);
    add_document(&s.csw, s.child, "family_chronology"); /* and no CPR */
    res = start(&s.csw, s.child);
    EXPECT_STATUS(res, 201);
    http_response_free(&res);
}
END_TEST

START_TEST(test_m3_connected_person_skips_family_finding)
{
    match_scene s;
    char other_child[FX_ID_MAX];
    json_t *carer;
    http_response res;
    const char *carer_id;
    char approved_carer[FX_ID_MAX];

    scene_create(&s, "select '2016-05-05'");
    carer = fx_carer_body(NULL, "approved", 1);
    json_object_set_new(json_object_get(carer, "approval"), "connected_person_for",
                        json_string(s.child));
    res = http_post(s.tm.token, carer, "/v1/carers");
    EXPECT_STATUS(res, 201);
    carer_id = body_string(&res, "id");
    strncpy(approved_carer, carer_id, sizeof approved_carer - 1);
    approved_carer[sizeof approved_carer - 1] = '\0';
    http_response_free(&res);

    fx_child_create(&s.csw, other_child);
    res = http_post(s.csw.token, json_pack("{s:s, s:s, s:s}", "child_id", other_child, "kind",
                                           "connected_person", "carer_id", approved_carer),
                    "/v1/matches");
    expect_problem(&res, 422, "policy");
    expect_json_string(&res, "rule", "M3");
    http_response_free(&res);

    /* no All About Me or chronology on file: kinship does not go through family finding */
    res = http_post(s.csw.token, json_pack("{s:s, s:s, s:s}", "child_id", s.child, "kind",
                                           "connected_person", "carer_id", approved_carer),
                    "/v1/matches");
    EXPECT_STATUS(res, 201);
    expect_json_string(&res, "status", "proposed");
    expect_json_string(&res, "carer_id", approved_carer);
    http_response_free(&res);
}
END_TEST

START_TEST(test_propose_and_withdraw)
{
    match_scene s;
    fx_person stranger;
    char carer[FX_ID_MAX];
    char match[FX_ID_MAX];
    http_response res;

    scene_create(&s, "select '2009-03-03'");
    add_document(&s.csw, s.child, "all_about_me");
    add_document(&s.csw, s.child, "family_chronology");
    fx_carer_create(&s.tm, NULL, "approved", 2, carer);
    res = start(&s.csw, s.child);
    EXPECT_STATUS(res, 201);
    strncpy(match, body_string(&res, "id"), sizeof match - 1);
    match[sizeof match - 1] = '\0';
    http_response_free(&res);

    res = http_post(s.csw.token, json_pack("{s:s}", "carer_id", carer), "/v1/matches/%s/propose",
                    match);
    EXPECT_STATUS(res, 200);
    expect_json_string(&res, "status", "proposed");
    http_response_free(&res);
    res = http_post(s.csw.token, json_pack("{s:s}", "carer_id", carer), "/v1/matches/%s/propose",
                    match);
    expect_problem(&res, 409, "conflict");
    http_response_free(&res);

    fx_person_create(&stranger, "csw", NULL);
    res = http_post(stranger.token, json_pack("{s:s}", "reason", "x"), "/v1/matches/%s/withdraw",
                    match);
    expect_problem(&res, 404, "not-found");
    http_response_free(&res);
    res = http_post(s.tm.token, json_pack("{s:s}", "reason", ""), "/v1/matches/%s/withdraw",
                    match);
    expect_problem(&res, 422, "validation");
    http_response_free(&res);
    res = http_post(s.tm.token, json_pack("{s:s}", "reason", "The carers moved away"),
                    "/v1/matches/%s/withdraw", match);
    EXPECT_STATUS(res, 200);
    expect_json_string(&res, "status", "withdrawn");
    http_response_free(&res);
    ck_assert_int_eq(db_long("select count(*) from matches where id::text = $1 and status = "
                             "'withdrawn' and withdrawn_reason = 'The carers moved away'", 1,
                             match), 1);
    res = http_get(s.finder.token, "/v1/matches?child_id=%s", s.child);
    EXPECT_STATUS(res, 200);
    ck_assert_int_eq(json_array_size(json_object_get(res.json, "items")), 1);
    http_response_free(&res);
}
END_TEST

Suite *matches_suite(void)
{
    Suite *s = suite_create("matches");
    TCase *tc = tcase_create("matches");

    tcase_add_test(tc, test_m1_child_exactly_11_is_found_a_family_by_the_csw);
    tcase_add_test(tc, test_m1_child_under_11_is_found_a_family_by_a_family_finder);
    tcase_add_test(tc, test_m2_all_about_me_and_chronology_needed_cpr_never);
    tcase_add_test(tc, test_m3_connected_person_skips_family_finding);
    tcase_add_test(tc, test_propose_and_withdraw);
    suite_add_tcase(s, tc);
    return s;
}
