/*
 * test_http.c - operational endpoints (/healthz, /readyz, /metrics, /openapi.yaml, which need no
 * token) and the shape every error takes: an RFC 9457 application/problem+json document.
 */
#include "expect.h"
#include "fixtures.h"
#include "http_client.h"
#include "suites.h"

#include <check.h>
#include <string.h>

START_TEST(test_http_healthz_ok)
{
    http_response res = http_get(NULL, "/healthz");

    EXPECT_STATUS(res, 200);
    expect_json_string(&res, "status", "ok");
    http_response_free(&res);
}
END_TEST

START_TEST(test_http_readyz_ready)
{
    http_response res = http_get(NULL, "/readyz");

    EXPECT_STATUS(res, 200);
    expect_json_string(&res, "status", "ready");
    http_response_free(&res);
}
END_TEST

START_TEST(test_http_metrics_prometheus_text)
{
    http_response warm = http_get(NULL, "/healthz");
    http_response res;

    http_response_free(&warm);
    res = http_get(NULL, "/metrics");
    EXPECT_STATUS(res, 200);
    ck_assert_msg(strstr(res.body, "permanence_http_requests_total") != NULL,
                  "/metrics lacks permanence_http_requests_total: %.400s", res.body);
    ck_assert_msg(strstr(res.body, "permanence_http_request_duration_seconds") != NULL,
                  "/metrics lacks permanence_http_request_duration_seconds");
    ck_assert_msg(strstr(res.body, "permanence_db_pool_in_use") != NULL,
                  "/metrics lacks permanence_db_pool_in_use");
    http_response_free(&res);
}
END_TEST

START_TEST(test_http_openapi_served)
{
    http_response res = http_get(NULL, "/openapi.yaml");

    EXPECT_STATUS(res, 200);
    expect_header_prefix(&res, "Content-Type", "application/yaml");
    ck_assert_msg(strstr(res.body, "openapi:") != NULL, "/openapi.yaml lacks \"openapi:\"");
    ck_assert_msg(strstr(res.body, "/v1/children") != NULL, "/openapi.yaml lacks /v1/children");
    http_response_free(&res);
}
END_TEST

/* Unknown child (a well-formed UUID nobody created) as a team manager: a 404 problem. */
START_TEST(test_http_problem_not_found)
{
    char team[FX_ID_MAX];
    fx_person tm;
    http_response res;

    fx_unique(team, sizeof team, "team");
    fx_person_create(&tm, "team_manager", team);
    res = http_get(tm.token, "/v1/children/00000000-0000-4000-8000-000000000000");
    expect_problem(&res, 404, "not-found");
    ck_assert_msg(json_is_string(json_object_get(res.json, "detail")), "problem lacks detail");
    http_response_free(&res);
}
END_TEST

/* A bad query parameter and a missing token both answer with problem documents. */
START_TEST(test_http_problem_bad_request_and_unauthorized)
{
    http_response bad = http_get(fx_admin_token(), "/v1/people?limit=0");
    http_response anon = http_get(NULL, "/v1/people");

    expect_problem(&bad, 400, "bad-request");
    expect_problem(&anon, 401, "unauthorized");
    http_response_free(&bad);
    http_response_free(&anon);
}
END_TEST

Suite *http_suite(void)
{
    Suite *s = suite_create("http");
    TCase *tc = tcase_create("operational");

    tcase_set_timeout(tc, TEST_TIMEOUT_SECONDS);
    tcase_add_test(tc, test_http_healthz_ok);
    tcase_add_test(tc, test_http_readyz_ready);
    tcase_add_test(tc, test_http_metrics_prometheus_text);
    tcase_add_test(tc, test_http_openapi_served);
    tcase_add_test(tc, test_http_problem_not_found);
    tcase_add_test(tc, test_http_problem_bad_request_and_unauthorized);
    suite_add_tcase(s, tc);
    return s;
}
