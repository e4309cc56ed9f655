/*
 * test_faults_twins.c - the faults suite's two instances on one database under load (issue 9):
 * sweeps for the same instants sent to both take each S7 step once; a webhook backlog both
 * deliver reaches its receiver once each and in order, even past an answer slower than the first
 * retry's backoff; and two instances started at the same moment on a fresh database apply each
 * migration once and both serve.
 */
#include "action_fixtures.h"
#include "db.h"
#include "env.h"
#include "expect.h"
#include "faults_fixtures.h"
#include "fixtures.h"
#include "http_client.h"
#include "load.h"
#include "tokens.h"
#include "webhook_fixtures.h"
#include "webhook_receiver.h"

#include <check.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TWIN_SWEEP_ACTIONS 20
#define TWIN_WEBHOOK_EVENTS 40
#define TWIN_SLOW_DELIVERY 10        /* the receiver answers this one (1-based) slowly */
#define TWIN_SLOW_MS 2500            /* longer than the first retry's backoff (1 s) */

#define TWIN_DUE "2027-02-01T12:00:00Z"
#define TWIN_ROUNDS 2

/* The as_of of each step of S7 for actions due TWIN_DUE (csw, then manager, then the
 * administrators' queue): flagged, escalated once, escalated again, nothing more. */
static const char *const SWEEP_STEPS[] = {"2027-02-02T00:00:00Z", "2027-02-09T00:00:00Z",
                                          "2027-02-16T00:00:00Z", "2027-03-01T00:00:00Z"};
#define SWEEP_STEP_COUNT (sizeof SWEEP_STEPS / sizeof SWEEP_STEPS[0])

/* One thread sending every step of the sweep, TWIN_ROUNDS times, to one instance. */
typedef struct sweeper {
    const char *base;
    const char *token;
    pthread_barrier_t *start;
    long statuses[TWIN_ROUNDS * SWEEP_STEP_COUNT];
} sweeper;

static void *run_sweeps(void *arg)
{
    sweeper *w = arg;
    size_t n;

    pthread_barrier_wait(w->start);
    for (n = 0; n < TWIN_ROUNDS * SWEEP_STEP_COUNT; n++) {
        char body[64];
        http_request req = {0};
        http_response res;

        snprintf(body, sizeof body, "{\"as_of\":\"%s\"}", SWEEP_STEPS[n % SWEEP_STEP_COUNT]);
        req.method = "POST";
        req.base = w->base;
        req.path = "/v1/actions/sweep";
        req.token = w->token;
        req.body = body;
        res = http_send(&req);
        w->statuses[n] = res.status;
        http_response_free(&res);
    }
    return NULL;
}

/* An RS256 token for `sub` with `role`, for the runner's second instance (the caller frees). */
static char *rs_token(const char *sub, const char *role)
{
    token_spec spec = token_spec_for(sub, role);

    spec.alg = TOKEN_RS256;
    return token_mint(&spec);
}

START_TEST(test_faults_two_instances_sweep_each_step_once_under_load)
{
    afx_scene s;
    char ids[TWIN_SWEEP_ACTIONS][FX_ID_MAX];
    char literal[TWIN_SWEEP_ACTIONS * (FX_ID_MAX + 1) + 3];
    size_t used = 1;
    char *rs_admin;
    char *rs_csw;
    char *body;
    fx_person author;
    load_plan plans[2];
    load loads[2];
    sweeper sweepers[4];
    pthread_t threads[4];
    pthread_barrier_t start;
    size_t i, n;

    afx_scene_create(&s, 1);
    strcpy(literal, "{");
    for (i = 0; i < TWIN_SWEEP_ACTIONS; i++) {
        afx_action_create(s.csw.token, afx_action_body("Faults sweep", "child", s.child, s.csw.id,
                                                       TWIN_DUE), ids[i]);
        used += (size_t)sprintf(literal + used, "%s%s", i > 0 ? "," : "", ids[i]);
    }
    strcpy(literal + used, "}");
    faults_author(&author, &body);
    rs_admin = rs_token("admin-rs-faults", "admin");
    rs_csw = rs_token(author.id, "csw");

    plans[0] = faults_plan(env_require("PERMANENCE_TEST_URL"), author.token, body, 2);
    plans[1] = faults_plan(env_require("PERMANENCE_TEST_RS_URL"), rs_csw, body, 2);
    for (i = 0; i < 2; i++)
        load_start(&loads[i], &plans[i]);
    ck_assert_int_eq(pthread_barrier_init(&start, NULL, 4), 0);
    for (i = 0; i < 4; i++) {
        memset(&sweepers[i], 0, sizeof sweepers[i]);
        sweepers[i].base =
            env_require(i % 2 == 0 ? "PERMANENCE_TEST_URL" : "PERMANENCE_TEST_RS_URL");
        sweepers[i].token = i % 2 == 0 ? fx_admin_token() : rs_admin;
        sweepers[i].start = &start;
        ck_assert_int_eq(pthread_create(&threads[i], NULL, run_sweeps, &sweepers[i]), 0);
    }
    for (i = 0; i < 4; i++)
        pthread_join(threads[i], NULL);
    pthread_barrier_destroy(&start);
    load_stop(&loads[0]);
    load_stop(&loads[1]);

    for (i = 0; i < 4; i++)
        for (n = 0; n < TWIN_ROUNDS * SWEEP_STEP_COUNT; n++)
            ck_assert_msg(sweepers[i].statuses[n] == 200, "sweep %zu of %s answered %ld", n,
                          sweepers[i].base, sweepers[i].statuses[n]);
    for (i = 0; i < 2; i++) {
        size_t created;

        faults_expect_load_served(&loads[i]);
        ck_assert_msg(load_count(&loads[i], &created) > 0 && created > 0, "no load on %s",
                      loads[i].plan.base);
    }
    /* each action: flagged once, escalated twice (csw -> manager -> administrators' queue),
     * one event and one audit row a step, and nothing twice */
    ck_assert_int_eq(db_long("select count(*) from unnest($1::text[]) x (id)"
                             " where (select count(*) from action_history h where"
                             "        h.action_id::text = x.id and h.event = 'flagged') = 1"
                             "   and (select count(*) from action_history h where"
                             "        h.action_id::text = x.id and h.event = 'escalated'"
                             "        and h.from_owner = $2 and h.to_owner = $3) = 1"
                             "   and (select count(*) from action_history h where"
                             "        h.action_id::text = x.id and h.event = 'escalated') = 2"
                             "   and (select count(*) from events e where e.subject_type = 'action'"
                             "        and e.subject_id = x.id and e.type in"
                             "        ('action.flagged', 'action.escalated')) = 3"
                             "   and (select count(*) from audit_log a where a.method = 'SWEEP'"
                             "        and a.resource_id = x.id) = 3"
                             "   and exists (select 1 from actions a where a.id::text = x.id and"
                             "        a.owner_id is null and a.escalations = 2"
                             "        and a.status = 'open')",
                             3, literal, s.csw.id, s.mgr.id),
                     TWIN_SWEEP_ACTIONS);
    faults_expect_writes_whole(&loads[0], author.id);
    faults_expect_writes_whole(&loads[1], author.id);
    load_free(&loads[0]);
    load_free(&loads[1]);
    free(rs_admin);
    free(rs_csw);
    free(body);
}
END_TEST

/* Starts two instances at the same moment on `database_url` and waits until both answer. */
static void start_twins(own_server twins[2], const char *allowlist, const char *database_url)
{
    int i;

    own_server_spawn(&twins[0], allowlist, database_url, NULL);
    own_server_spawn(&twins[1], allowlist, database_url, NULL);
    for (i = 0; i < 2; i++)
        ck_assert_msg(own_server_wait_healthy(&twins[i]), "instance %d did not start (see %s)", i,
                      env_require("PERMANENCE_TEST_WORK_DIR"));
}

START_TEST(test_faults_two_instances_deliver_a_backlog_once_in_order)
{
    receiver rx;
    own_server first;
    own_server twins[2];
    char path[160];
    char url[256];
    char id[FX_ID_MAX];
    char people[TWIN_WEBHOOK_EVENTS][FX_ID_MAX];
    fx_person author;
    char *body;
    load_plan plans[2];
    load loads[2];
    long last_seq = 0;
    int i;

    wfx_unique_path(path, sizeof path, "faults");
    rx_start(&rx, "127.0.0.2", path);
    rx_url(&rx, url, sizeof url);
    /* one answer slower than the first retry's backoff: that delivery is due again while its
     * sender still waits, and only the sender's lock keeps the other instance from sending it */
    rx_slow_at(&rx, TWIN_SLOW_DELIVERY, TWIN_SLOW_MS);
    /* the runner's instances may not send there (their allowlist is 127.0.0.1): only ours */
    own_server_start(&first, "http://127.0.0.2:");
    wfx_webhook_create(first.base, url, "person.created", id);
    own_server_stop(&first, SIGTERM);
    /* the backlog, while no instance sends: people, the last of them the load's author */
    wfx_people_create(TWIN_WEBHOOK_EVENTS - 1, people);
    faults_author(&author, &body);
    snprintf(people[TWIN_WEBHOOK_EVENTS - 1], FX_ID_MAX, "%s", author.id);
    ck_assert_int_eq(rx_count(&rx), 0);
    start_twins(twins, "http://127.0.0.2:", env_require("PERMANENCE_TEST_APP_DB_URL"));
    for (i = 0; i < 2; i++)
        plans[i] = faults_plan(twins[i].base, author.token, body, 2);
    for (i = 0; i < 2; i++)
        load_start(&loads[i], &plans[i]);
    ck_assert_int_eq(wfx_wait_delivered(id, TWIN_WEBHOOK_EVENTS), TWIN_WEBHOOK_EVENTS);
    for (i = 0; i < 2; i++)
        load_stop(&loads[i]);

    /* each event once, in order, every attempt a first one */
    ck_assert_int_eq(rx_wait_count(&rx, TWIN_WEBHOOK_EVENTS, 5), TWIN_WEBHOOK_EVENTS);
    for (i = 0; i < TWIN_WEBHOOK_EVENTS; i++) {
        const rx_request *q = &rx.requests[i];

        ck_assert_int_eq(q->answered, 200);
        ck_assert(wfx_signature_matches(q, WFX_SECRET));
        ck_assert_int_gt(wfx_body_seq(q), last_seq);
        last_seq = wfx_body_seq(q);
        ck_assert_int_eq(last_seq, wfx_person_seq(people[i]));
    }
    ck_assert_int_eq(db_long("select count(*) from webhook_deliveries where webhook_id::text = $1"
                             " and (attempts <> 1 or status <> 'delivered')", 1, id), 0);
    wfx_webhook_deactivate(twins[0].base, id);
    for (i = 0; i < 2; i++) {
        faults_expect_load_served(&loads[i]);
        faults_expect_writes_whole(&loads[i], author.id);
        load_free(&loads[i]);
        own_server_stop(&twins[i], SIGTERM);
    }
    ck_assert_int_eq(rx_count(&rx), TWIN_WEBHOOK_EVENTS);
    rx_stop(&rx);
    free(body);
}
END_TEST

/* The runner's application connection string with another database name (the caller frees). */
static char *database_url_for(const char *dbname)
{
    char *error = NULL;
    PQconninfoOption *options = PQconninfoParse(env_require("PERMANENCE_TEST_APP_DB_URL"), &error);
    size_t size = 64;
    char *conninfo;
    PQconninfoOption *o;

    ck_assert_msg(options != NULL, "cannot parse the application URL: %s", error);
    for (o = options; o->keyword != NULL; o++)
        size += strlen(o->keyword) + (o->val != NULL ? strlen(o->val) : 0) + 6;
    conninfo = malloc(size + strlen(dbname));
    ck_assert(conninfo != NULL);
    conninfo[0] = '\0';
    for (o = options; o->keyword != NULL; o++) {
        const char *value = strcmp(o->keyword, "dbname") == 0 ? dbname : o->val;

        if (value == NULL)
            continue;
        ck_assert_msg(strchr(value, '\'') == NULL && strchr(value, '\\') == NULL,
                      "a quote in the application URL");
        sprintf(conninfo + strlen(conninfo), "%s%s='%s'", conninfo[0] != '\0' ? " " : "",
                o->keyword, value);
    }
    PQconninfoFree(options);
    return conninfo;
}

/* GET `path` on `base` as an administrator; returns the status. */
static long status_of(const char *base, const char *path)
{
    http_request req = {0};
    http_response res;
    long status;

    req.method = "GET";
    req.base = base;
    req.path = path;
    req.token = fx_admin_token();
    res = http_send(&req);
    status = res.status;
    http_response_free(&res);
    return status;
}

START_TEST(test_faults_two_instances_migrate_a_fresh_database_once)
{
    char name[FX_ID_MAX];
    char sql[FX_ID_MAX + 96];
    char person[FX_ID_MAX];
    char path[FX_ID_MAX + 16];
    own_server twins[2];
    PGconn *admin = db_connect();
    PGconn *fresh;
    PGresult *res;
    char *url;
    long applied_here = db_long("select count(*) from schema_migrations", 0);
    long latest_here = db_long("select max(version) from schema_migrations", 0);
    int i;

    fx_unique(name, sizeof name, "faults_migrate");
    for (i = 0; name[i] != '\0'; i++)
        name[i] = name[i] == '-' ? '_' : name[i];
    snprintf(sql, sizeof sql, "create database %s owner permanence", name);
    db_must(admin, sql);
    url = database_url_for(name);

    start_twins(twins, "http://127.0.0.2:", url);
    fresh = PQconnectdb(url);
    ck_assert_msg(PQstatus(fresh) == CONNECTION_OK, "%s", PQerrorMessage(fresh));
    res = PQexec(fresh, "select count(*), count(distinct version), max(version)"
                        " from schema_migrations");
    ck_assert_int_eq(PQresultStatus(res), PGRES_TUPLES_OK);
    ck_assert_int_eq(strtol(PQgetvalue(res, 0, 0), NULL, 10), applied_here);
    ck_assert_int_eq(strtol(PQgetvalue(res, 0, 1), NULL, 10), applied_here);
    ck_assert_int_eq(strtol(PQgetvalue(res, 0, 2), NULL, 10), latest_here);
    PQclear(res);
    PQfinish(fresh);

    /* both serve: ready, and each writes and reads what the other wrote */
    for (i = 0; i < 2; i++) {
        http_response created;

        ck_assert_int_eq(status_of(twins[i].base, "/readyz"), 200);
        fx_unique(person, sizeof person, "twin");
        created = wfx_send_to(twins[i].base, "POST", fx_admin_token(),
                              json_pack("{s:s, s:s, s:[s]}", "id", person, "name", "Twin Person",
                                        "roles", "csw"),
                              "/v1/people");
        EXPECT_STATUS(created, 201);
        http_response_free(&created);
        snprintf(path, sizeof path, "/v1/people/%s", person);
        ck_assert_int_eq(status_of(twins[1 - i].base, path), 200);
    }
    for (i = 0; i < 2; i++)
        own_server_stop(&twins[i], SIGTERM);
    snprintf(sql, sizeof sql, "drop database %s with (force)", name);
    db_must(admin, sql);
    PQfinish(admin);
    free(url);
}
END_TEST

TCase *faults_twins_tcase(void)
{
    TCase *tc = tcase_create("two_instances");

    tcase_set_timeout(tc, 120.0);
    tcase_add_test(tc, test_faults_two_instances_sweep_each_step_once_under_load);
    tcase_add_test(tc, test_faults_two_instances_deliver_a_backlog_once_in_order);
    tcase_add_test(tc, test_faults_two_instances_migrate_a_fresh_database_once);
    return tc;
}
