/*
 * test_documents.c - documents on file about a child or a carer: those who may change the
 * record add them (metadata only: a link or the case system's id), those who may read it list
 * them newest first and by type; others are refused and the refusal is audited (R1).
 */
#include "db.h"
#include "expect.h"
#include "fixtures.h"
#include "http_client.h"
#include "suites.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

/* A document body of `type`, dated `date`, with a case-system id. The caller owns it. */
static json_t *document_body(const char *type, const char *date)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", type, "title", "On file", "date", date,
                     "author", "A. Worker", "external_document_id", "ECL-123");
}

START_TEST(test_documents_added_and_listed_newest_first)
{
    fx_person csw;
    char child[FX_ID_MAX];
    http_response res;
    json_t *items;

    fx_person_create(&csw, "csw", NULL);
    fx_child_create(&csw, child);
    res = http_post(csw.token, document_body("all_about_me", "2025-01-10"),
                    "/v1/children/%s/documents", child);
    EXPECT_STATUS(res, 201);
    expect_json_string(&res, "type", "all_about_me");
    http_response_free(&res);
    res = http_post(csw.token, document_body("all_about_me", "2025-06-01"),
                    "/v1/children/%s/documents", child);
    EXPECT_STATUS(res, 201);
    http_response_free(&res);
    res = http_post(csw.token, document_body("family_chronology", "2025-03-01"),
                    "/v1/children/%s/documents", child);
    EXPECT_STATUS(res, 201);
    http_response_free(&res);
    ck_assert_int_eq(db_long("select count(*) from documents where subject_id::text = $1", 1,
                             child), 3);
    ck_assert_int_eq(db_long("select count(*) from audit_log where resource_type = 'document' "
                             "and status = 201 and sub = $1", 1, csw.id), 3);

    res = http_get(csw.token, "/v1/children/%s/documents?type=all_about_me", child);
    EXPECT_STATUS(res, 200);
    items = json_object_get(res.json, "items");
    ck_assert_int_eq(json_array_size(items), 2);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "date")),
                     "2025-06-01"); /* the most recent first */
    http_response_free(&res);
}
END_TEST

START_TEST(test_documents_validation_and_refusals)
{
    fx_person csw;
    fx_person other;
    char child[FX_ID_MAX];
    http_response res;

    fx_person_create(&csw, "csw", NULL);
    fx_person_create(&other, "csw", NULL);
    fx_child_create(&csw, child);
    res = http_post(csw.token,
                    json_pack("{s:s, s:s, s:s, s:s}", "type", "diary", "title", "", "date",
                              "2099-01-01", "link", "ftp://x"),
                    "/v1/children/%s/documents", child);
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "type");
    expect_error_field(&res, "title");
    expect_error_field(&res, "date");
    expect_error_field(&res, "link");
    http_response_free(&res);

    res = http_post(other.token, document_body("cpr", "2025-01-01"), "/v1/children/%s/documents",
                    child);
    expect_problem(&res, 404, "not-found");
    http_response_free(&res);
    ck_assert_int_eq(db_long("select count(*) from documents where subject_id::text = $1", 1,
                             child), 0);
    ck_assert_int_eq(db_long("select count(*) from audit_log where resource_id = $1 and "
                             "status = 404 and sub = $2", 2, child, other.id), 1);
    res = http_get(other.token, "/v1/children/%s/documents", child);
    expect_problem(&res, 404, "not-found");
    http_response_free(&res);
}
END_TEST

START_TEST(test_carer_documents_by_team_manager)
{
    char team[FX_ID_MAX];
    char carer[FX_ID_MAX];
    fx_person tm;
    http_response res;

    fx_unique(team, sizeof team, "team");
    fx_person_create(&tm, "team_manager", team);
    fx_carer_create(&tm, NULL, "approved", 2, carer);
    res = http_post(tm.token, document_body("fostering_household_review", "2025-02-02"),
                    "/v1/carers/%s/documents", carer);
    EXPECT_STATUS(res, 201);
    http_response_free(&res);
    res = http_get(tm.token, "/v1/carers/%s/documents", carer);
    EXPECT_STATUS(res, 200);
    ck_assert_int_eq(json_array_size(json_object_get(res.json, "items")), 1);
    http_response_free(&res);
}
END_TEST

Suite *documents_suite(void)
{
    Suite *s = suite_create("documents");
    TCase *tc = tcase_create("documents");

    tcase_add_test(tc, test_documents_added_and_listed_newest_first);
    tcase_add_test(tc, test_documents_validation_and_refusals);
    tcase_add_test(tc, test_carer_documents_by_team_manager);
    suite_add_tcase(s, tc);
    return s;
}
