/*
 * test_hardening.c - inputs and roles that must not slip through: an administrator does not
 * read actions about children, malformed cursors and times are 400 (never 500), a token may
 * not name the administrators' queue as its subject, the CSW's own allocation to a child they
 * create is audited (R1), and only a team manager changes a carer's approval.
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

/* An SSW keeps a carer's profile up to date but may not approve the household or move it to
 * another agency: that is the team manager's. */
START_TEST(test_ssw_may_not_change_a_carers_approval)
{
    char team[FX_ID_MAX];
    char carer[FX_ID_MAX];
    fx_person tm;
    fx_person ssw;
    http_response res;
    char *status;

    fx_unique(team, sizeof team, "team");
    fx_person_create(&tm, "team_manager", team);
    fx_person_create(&ssw, "ssw", team);
    fx_carer_create(&tm, NULL, "assessment", 2, carer);
    fx_carer_allocate(&tm, carer, ssw.id);

    res = http_patch(ssw.token, "\"1\"",
                     json_pack("{s:{s:s, s:s}}", "approval", "status", "approved", "approved_on",
                               "2024-01-01"),
                     "/v1/carers/%s", carer);
    expect_problem(&res, 403, "forbidden");
    http_response_free(&res);
    status = db_text("select approval_status from carers where id::text = $1", 1, carer);
    ck_assert_str_eq(status, "assessment");
    free(status);

    res = http_patch(ssw.token, "\"1\"", json_pack("{s:s}", "home_environment", "A quiet house"),
                     "/v1/carers/%s", carer);
    EXPECT_STATUS(res, 200);
    http_response_free(&res);

    res = http_patch(tm.token, "\"2\"",
                     json_pack("{s:{s:s, s:s}}", "approval", "status", "approved", "approved_on",
                               "2024-01-01"),
                     "/v1/carers/%s", carer);
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
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
    tcase_add_test(tc, test_ssw_may_not_change_a_carers_approval);
    suite_add_tcase(s, tc);
    return s;
}
