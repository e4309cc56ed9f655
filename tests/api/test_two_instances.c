/*
 * test_two_instances.c - S7 with two instances of the service on one database: the HS256 and
 * the RS256 servers run POST /v1/actions/sweep for the same as_of at the same moment; between
 * them every step is taken exactly once (no action flagged or escalated twice, no duplicate
 * history, events or audit rows).
 *
 * 40 actions owned by a csw whose manager has no manager, due Monday 2027-02-01 12:00 UTC:
 *   flagged, re-check 5 working days later     2027-02-08 23:59:59 London (GMT)
 *   escalated to the manager, next re-check    2027-02-15 23:59:59
 *   escalated to the administrators' queue     (no re-check after that)
 * so as of 2027-03-01 each has exactly 1 'flagged' and 2 'escalated' history rows.
 */
#include "action_fixtures.h"
#include "db.h"
#include "env.h"
#include "expect.h"
#include "fixtures.h"
#include "http_client.h"
#include "suites.h"
#include "tokens.h"

#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TWIN_ACTIONS 40
#define TWIN_DUE "2027-02-01T12:00:00Z"
#define TWIN_AS_OF "2027-03-01T00:00:00Z"
#define TWIN_ESCALATIONS 2

/* One sweeper thread: where it sends, with which token, and what came back. */
typedef struct sweeper {
    const char *base;
    const char *token;
    pthread_barrier_t *start;
    http_response res;
} sweeper;

/* Waits at the barrier so both requests leave together, then sends the sweep. No Check
 * assertion runs here (the answer is checked on the main thread). */
static void *run_sweeper(void *arg)
{
    sweeper *w = arg;
    static const char body[] = "{\"as_of\":\"" TWIN_AS_OF "\"}";
    http_request req = {0};

    req.method = "POST";
    req.base = w->base;
    req.path = "/v1/actions/sweep";
    req.token = w->token;
    req.body = body;
    pthread_barrier_wait(w->start);
    w->res = http_send(&req);
    return NULL;
}

/* Checks one sweeper's answer: 200, the as_of echoed, integer counts. Returns flagged. */
static long check_answer(const http_response *res)
{
    EXPECT_STATUS(*res, 200);
    expect_json_string(res, "as_of", TWIN_AS_OF);
    ck_assert_msg(json_is_integer(json_object_get(res->json, "flagged")) &&
                      json_is_integer(json_object_get(res->json, "escalated")),
                  "%s: counts missing: %s", res->what, res->body);
    return (long)json_integer_value(json_object_get(res->json, "flagged"));
}

START_TEST(test_s7_two_instances_sweep_each_step_once)
{
    afx_scene s;
    char ids[TWIN_ACTIONS][FX_ID_MAX];
    char *rs_token;
    token_spec spec;
    pthread_barrier_t start;
    pthread_t threads[2];
    sweeper workers[2];
    long flagged = 0;
    long escalated = 0;
    int i;

    afx_scene_create(&s, 1);
    for (i = 0; i < TWIN_ACTIONS; i++)
        afx_action_create(s.csw.token, afx_action_body("Twin sweep", "child", s.child, s.csw.id,
                                                       TWIN_DUE), ids[i]);
    spec = token_spec_for("admin-rs-sweeper", "admin");
    spec.alg = TOKEN_RS256;
    rs_token = token_mint(&spec);

    ck_assert_int_eq(pthread_barrier_init(&start, NULL, 2), 0);
    memset(workers, 0, sizeof workers);
    workers[0].base = env_require("PERMANENCE_TEST_URL");
    workers[0].token = fx_admin_token();
    workers[1].base = env_require("PERMANENCE_TEST_RS_URL");
    workers[1].token = rs_token;
    for (i = 0; i < 2; i++) {
        workers[i].start = &start;
        ck_assert_int_eq(pthread_create(&threads[i], NULL, run_sweeper, &workers[i]), 0);
    }
    for (i = 0; i < 2; i++)
        pthread_join(threads[i], NULL);
    pthread_barrier_destroy(&start);

    for (i = 0; i < 2; i++) {
        flagged += check_answer(&workers[i].res);
        escalated += (long)json_integer_value(json_object_get(workers[i].res.json, "escalated"));
    }
    /* other actions may be swept too, but ours are in these counts exactly once */
    ck_assert_int_ge(flagged, TWIN_ACTIONS);
    ck_assert_int_ge(escalated, TWIN_ACTIONS * TWIN_ESCALATIONS);

    for (i = 0; i < TWIN_ACTIONS; i++) {
        const char *id = ids[i];

        ck_assert_int_eq(afx_history_count(id, "flagged"), 1);
        ck_assert_int_eq(afx_history_count(id, "escalated"), TWIN_ESCALATIONS);
        ck_assert_int_eq(afx_history_total(id), 2 + TWIN_ESCALATIONS);
        ck_assert_int_eq(db_long("select count(*) from (select 1 from action_history where "
                                 "action_id::text = $1 group by event, from_owner, to_owner "
                                 "having count(*) > 1) dup", 1, id), 0);
        ck_assert_int_eq(db_long("select count(*) from action_history where action_id::text = $1 "
                                 "and event = 'escalated' and from_owner = $2 and to_owner = $3",
                                 3, id, s.csw.id, s.mgr.id), 1);
        ck_assert_int_eq(db_long("select count(*) from actions where id::text = $1 and owner_id "
                                 "is null and escalations = 2 and status = 'open'", 1, id), 1);
        ck_assert_int_eq(db_long("select count(*) from events where subject_type = 'action' and "
                                 "subject_id = $1 and type in ('action.flagged', "
                                 "'action.escalated')", 1, id), 1 + TWIN_ESCALATIONS);
        ck_assert_int_eq(db_long("select count(*) from audit_log where method = 'SWEEP' and "
                                 "resource_id = $1", 1, id), 1 + TWIN_ESCALATIONS);
    }
    /* and both servers' answers were audited (R1) */
    ck_assert_int_ge(db_long("select count(*) from audit_log where method = 'POST' and "
                             "route = '/v1/actions/sweep' and status = 200 and "
                             "changes->>'as_of' = $1", 1, TWIN_AS_OF), 2);

    http_response_free(&workers[0].res);
    http_response_free(&workers[1].res);
    free(rs_token);
}
END_TEST

Suite *two_instances_suite(void)
{
    Suite *s = suite_create("two_instances");
    TCase *tc = tcase_create("two_instances");

    tcase_set_timeout(tc, TEST_TIMEOUT_SECONDS);
    tcase_add_test(tc, test_s7_two_instances_sweep_each_step_once);
    suite_add_tcase(s, tc);
    return s;
}
