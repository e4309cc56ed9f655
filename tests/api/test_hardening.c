/*
 * test_hardening.c - inputs and roles that must not slip through: an administrator does not
 * read actions about children, malformed cursors and times are 400 (never 500), a token may
 * not name the administrators' queue as its subject, and the CSW's own allocation to a child
 * they create is audited (R1).
 */
#include "action_fixtures.h"
#include "db.h"
#include "expect.h"
#include "fixtures.h"
#include "http_client.h"
#include "suites.h"
#include "tokens.h"

#include <check.h>
#include <stdlib.h>

START_TEST(test_admin_does_not_read_actions_about_children)
{
    afx_scene s;
    char id[FX_ID_MAX];
    http_response res;

    afx_scene_create(&s, 1);
    afx_action_create(s.csw.token, afx_action_body("About the child", "child", s.child, s.csw.id,
                                                   "2027-06-01T12:00:00Z"), id);
    res = http_get(fx_admin_token(), "/v1/actions/%s", id);
    expect_problem(&res, 404, "not-found");
    http_response_free(&res);
    res = http_get(s.csw.token, "/v1/actions/%s", id);
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
}
END_TEST

START_TEST(test_malformed_cursor_and_times_are_400)
{
    fx_person csw;
    http_response res;

    fx_person_create(&csw, "csw", NULL);
    /* 36 hex digits: the shape of a UUID's length, not a UUID ("MDEy..." is base64url) */
    res = http_get(csw.token, "/v1/children?after=%s",
                   "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWYwMTIz");
    expect_problem(&res, 400, "bad-request");
    http_response_free(&res);
    res = http_get(fx_admin_token(), "/v1/audit?from=2024-01-01T99:99:99Z");
    expect_problem(&res, 400, "bad-request");
    http_response_free(&res);
    res = http_get(fx_admin_token(), "/v1/audit?after=%s", "OTk5OTk5OTk5OTk5OTk5OTk5OTk5OQ");
    expect_problem(&res, 400, "bad-request");
    http_response_free(&res);
}
END_TEST

START_TEST(test_token_subject_may_not_be_the_admin_queue)
{
    token_spec spec = token_spec_for("admin-queue", "admin");
    char *token = token_mint(&spec);
    http_response res = http_get(token, "/v1/actions?owner=me");

    EXPECT_STATUS(res, 401);
    http_response_free(&res);
    free(token);
}
END_TEST

START_TEST(test_creating_csw_allocation_is_audited)
{
    fx_person csw;
    char child[FX_ID_MAX];

    fx_person_create(&csw, "csw", NULL);
    fx_child_create(&csw, child);
    ck_assert_int_eq(db_long("select count(*) from audit_log l join allocations a "
                             "on a.id::text = l.resource_id where l.resource_type = 'allocation' "
                             "and a.child_id::text = $1 and a.person_id = $2 and l.status = 201",
                             2, child, csw.id), 1);
}
END_TEST

Suite *hardening_suite(void)
{
    Suite *s = suite_create("hardening");
    TCase *tc = tcase_create("hardening");

    tcase_add_test(tc, test_admin_does_not_read_actions_about_children);
    tcase_add_test(tc, test_malformed_cursor_and_times_are_400);
    tcase_add_test(tc, test_token_subject_may_not_be_the_admin_queue);
    tcase_add_test(tc, test_creating_csw_allocation_is_audited);
    suite_add_tcase(s, tc);
    return s;
}
