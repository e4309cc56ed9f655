/*
 * test_readyz.c - the database goes away and comes back: /readyz and data routes answer 503
 * with Retry-After (never 500, never a hang), and the service recovers once the database is up.
 * This suite stops the database, so main.c runs it last; its teardown always restarts it.
 */
#include "env.h"
#include "expect.h"
#include "fixtures.h"
#include "http_client.h"
#include "suites.h"
#include "tokens.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define READY_POLL_TRIES 300
#define READY_POLL_INTERVAL_NS 100000000L /* 100 ms: at most 30 s in all */

/* Current status of GET /readyz (0 when the server did not answer). */
static long readyz_status(void)
{
    http_response res = http_get(NULL, "/readyz");
    long status = res.status;

    http_response_free(&res);
    return status;
}

/*
 * Polls /readyz until it answers 200, at most READY_POLL_TRIES times READY_POLL_INTERVAL_NS
 * apart. Returns 1 when ready, 0 when it never became ready.
 */
static int wait_until_ready(void)
{
    const struct timespec pause = {0, READY_POLL_INTERVAL_NS};
    int tries;

    for (tries = 0; tries < READY_POLL_TRIES; tries++) {
        if (readyz_status() == 200)
            return 1;
        nanosleep(&pause, NULL);
    }
    return 0;
}

/* GET /v1/people as an admin on the RS256 server, which nothing else touches while the database
 * is away: its pooled connection goes stale and must be renewed on first use. */
static long rs_server_people_status(void)
{
    token_spec spec = token_spec_for("admin-rs", "admin");
    char *token;
    http_request req = {0};
    http_response res;
    long status;

    spec.alg = TOKEN_RS256;
    token = token_mint(&spec);
    req.method = "GET";
    req.base = env_require("PERMANENCE_TEST_RS_URL");
    req.path = "/v1/people?limit=1";
    req.token = token;
    res = http_send(&req);
    status = res.status;
    http_response_free(&res);
    free(token);
    return status;
}

/* Runs the shell command in environment variable `name`; fails the test unless it exits 0. */
static void run_command(const char *name)
{
    const char *command = env_require(name);
    int rc = system(command);

    ck_assert_msg(rc == 0, "%s (%s) exited with %d", name, command, rc);
}

START_TEST(test_readyz_database_down_then_back)
{
    char team[FX_ID_MAX];
    char child[FX_ID_MAX];
    fx_person tm;
    http_response ready;
    http_response read;
    http_response again;

    fx_unique(team, sizeof team, "team");
    fx_person_create(&tm, "team_manager", team);
    fx_child_create(&tm, child);
    ck_assert_int_eq(rs_server_people_status(), 200);

    run_command("PERMANENCE_TEST_PG_STOP");
    ready = http_get(NULL, "/readyz");
    expect_problem(&ready, 503, "service-unavailable");
    read = http_get(tm.token, "/v1/children/%s", child); /* times out after 10 s at most */
    expect_problem(&read, 503, "service-unavailable");
    ck_assert_msg(http_header(&read, "Retry-After") != NULL, "503 without Retry-After");

    run_command("PERMANENCE_TEST_PG_START");
    ck_assert_msg(wait_until_ready(), "/readyz did not return to 200 after the database started");
    again = http_get(tm.token, "/v1/children/%s", child);
    EXPECT_STATUS(again, 200);
    expect_json_string(&again, "id", child);
    /* The first request after the restart on a server whose connection went stale is served. */
    ck_assert_int_eq(rs_server_people_status(), 200);

    http_response_free(&ready);
    http_response_free(&read);
    http_response_free(&again);
}
END_TEST

/*
 * Unchecked teardown (runs in the parent process even when the test failed or timed out):
 * starts the database again if the service is not ready, and waits for it.
 */
static void restore_database(void)
{
    const char *command = getenv("PERMANENCE_TEST_PG_START");

    if (readyz_status() == 200 || command == NULL)
        return;
    if (system(command) != 0)
        fprintf(stderr, "PERMANENCE_TEST_PG_START failed\n");
    if (!wait_until_ready())
        fprintf(stderr, "service not ready after restarting the database\n");
}

Suite *readyz_down_suite(void)
{
    Suite *s = suite_create("readyz_down");
    TCase *tc = tcase_create("database_down");

    tcase_set_timeout(tc, 120.0);
    tcase_add_unchecked_fixture(tc, NULL, restore_database);
    tcase_add_test(tc, test_readyz_database_down_then_back);
    suite_add_tcase(s, tc);
    return s;
}
