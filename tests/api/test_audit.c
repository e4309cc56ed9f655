/*
 * test_audit.c - R1, the append-only audit trail: writes (with before/after), child reads and
 * refusals land in audit_log; /v1/audit is admin only and filters; the background sealer chains
 * every row (/v1/audit/verify); the database itself refuses UPDATE, DELETE and TRUNCATE.
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
#include <time.h>

#define SEAL_POLL_TRIES 100
#define SEAL_POLL_INTERVAL_NS 100000000L /* 100 ms */

/* A csw with a people record in a fresh team, and one child of theirs. */
static void csw_with_child(fx_person *csw, char *child)
{
    char team[FX_ID_MAX];

    fx_unique(team, sizeof team, "team");
    fx_person_create(csw, "csw", team);
    fx_child_create(csw, child);
}

/*
 * Returns the audit items (a new reference; json_decref it) that GET /v1/audit?<query> gives
 * the admin, asserting 200.
 */
static json_t *audit_items(const char *query)
{
    http_response res = http_get(fx_admin_token(), "/v1/audit?%s", query);
    json_t *items;

    EXPECT_STATUS(res, 200);
    items = json_incref(body_items(&res));
    http_response_free(&res);
    return items;
}

/* Returns the first item of `items` with method `method` and status `status`, or NULL. */
static json_t *find_item(const json_t *items, const char *method, long status)
{
    size_t i;
    json_t *item;

    json_array_foreach(items, i, item) {
        if (json_member_is(item, "method", method) &&
            json_integer_value(json_object_get(item, "status")) == status)
            return item;
    }
    return NULL;
}

START_TEST(test_r1_write_audited_with_changes)
{
    fx_person csw;
    char child[FX_ID_MAX];
    char query[FX_ID_MAX + 32];
    http_response patched;
    json_t *items;
    json_t *patch_item;
    json_t *changes;
    char *after;

    csw_with_child(&csw, child);
    patched = http_patch(csw.token, "\"1\"", json_pack("{s:s}", "given_name", "Samira"),
                         "/v1/children/%s", child);
    EXPECT_STATUS(patched, 200);

    ck_assert_int_eq(db_long("select count(*) from audit_log where resource_id::text = $1 "
                             "and method = 'POST' and status = 201 and sub = $2", 2, child,
                             csw.id), 1);
    ck_assert_int_eq(db_long("select count(*) from audit_log where resource_id::text = $1 "
                             "and method = 'PATCH' and status = 200 and sub = $2", 2, child,
                             csw.id), 1);
    after = db_text("select changes::jsonb #>> '{after,given_name}' from audit_log "
                    "where resource_id::text = $1 and method = 'PATCH'", 1, child);
    ck_assert_msg(after != NULL && strcmp(after, "Samira") == 0, "changes.after not stored");
    free(after);

    snprintf(query, sizeof query, "resource_id=%s&limit=200", child);
    items = audit_items(query);
    patch_item = find_item(items, "PATCH", 200);
    ck_assert_msg(patch_item != NULL, "PATCH not in the audit list");
    ck_assert_msg(json_member_is(patch_item, "resource_type", "child"), "wrong resource_type");
    ck_assert_msg(json_member_is(patch_item, "sub", csw.id), "wrong sub");
    /* the administrator sees which fields of a child changed, never their values */
    changes = json_object_get(patch_item, "changes");
    ck_assert_msg(json_object_get(changes, "before") == NULL &&
                      json_object_get(changes, "after") == NULL,
                  "the audit list shows a child's values to the administrator");
    ck_assert_msg(json_array_size(json_object_get(changes, "fields")) == 1 &&
                      strcmp(json_string_value(json_array_get(json_object_get(changes, "fields"),
                                                              0)), "given_name") == 0,
                  "changes.fields does not name given_name");
    ck_assert_msg(find_item(items, "POST", 201) != NULL, "creation not in the audit list");

    json_decref(items);
    http_response_free(&patched);
}
END_TEST

/* Audit rows of successful child reads of `child` by `sub`. */
static long child_reads(const char *child, const char *sub)
{
    return db_long("select count(*) from audit_log where resource_id::text = $1 and sub = $2 "
                   "and method = 'GET' and resource_type = 'child' and status = 200", 2, child,
                   sub);
}

START_TEST(test_r1_child_read_audited)
{
    fx_person csw;
    char child[FX_ID_MAX];
    char query[FX_ID_MAX + 32];
    http_response first;
    http_response second;
    json_t *items;
    json_t *read_item;

    csw_with_child(&csw, child);
    ck_assert_int_eq(child_reads(child, csw.id), 0);
    first = http_get(csw.token, "/v1/children/%s", child);
    EXPECT_STATUS(first, 200);
    ck_assert_int_eq(child_reads(child, csw.id), 1);
    second = http_get(csw.token, "/v1/children/%s", child);
    EXPECT_STATUS(second, 200);
    ck_assert_int_eq(child_reads(child, csw.id), 2);

    snprintf(query, sizeof query, "resource_id=%s&limit=200", child);
    items = audit_items(query);
    read_item = find_item(items, "GET", 200);
    ck_assert_msg(read_item != NULL, "child read not in the audit list");
    ck_assert_msg(json_member_is(read_item, "resource_type", "child"), "wrong resource_type");
    ck_assert_msg(json_is_null(json_object_get(read_item, "changes")), "a read has changes");
    json_decref(items);
    http_response_free(&first);
    http_response_free(&second);
}
END_TEST

START_TEST(test_r1_refusal_audited_and_audit_admin_only)
{
    char team[FX_ID_MAX];
    fx_person csw;
    http_response list;
    http_response verify;

    fx_unique(team, sizeof team, "team");
    fx_person_create(&csw, "csw", team);
    list = http_get(csw.token, "/v1/audit");
    expect_problem(&list, 403, "forbidden");
    ck_assert_int_eq(db_long("select count(*) from audit_log where status = 403 and sub = $1", 1,
                             csw.id), 1);
    verify = http_get(csw.token, "/v1/audit/verify");
    expect_problem(&verify, 403, "forbidden");
    ck_assert_int_eq(db_long("select count(*) from audit_log where status = 403 and sub = $1", 1,
                             csw.id), 2);
    http_response_free(&list);
    http_response_free(&verify);
}
END_TEST

/*
 * Reads' and refusals' rows are written in batches: a refusal whose path holds bytes that are
 * not UTF-8 (percent-encoded, and raw) is recorded with them replaced, and the reads around it
 * are recorded too (one bad row must not make the database refuse its batch).
 */
START_TEST(test_r1_refusal_with_bytes_that_are_not_utf8_is_recorded)
{
    fx_person csw;
    char child[FX_ID_MAX];
    http_response res;

    csw_with_child(&csw, child);
    res = http_get(csw.token, "/v1/children/%%FF%%C0%%AF-%s", child);
    EXPECT_STATUS(res, 404);
    http_response_free(&res);
    res = http_get(csw.token, "/v1/children/\xff\xc0\xaf-%s", child);
    ck_assert_msg(res.status == 404 || res.status == 400, "raw bytes: status %ld", res.status);
    http_response_free(&res);
    res = http_get(csw.token, "/v1/children/%s", child);
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
    ck_assert_int_ge(db_long("select count(*) from audit_log where sub = $1 and status = 404"
                             " and route = '/v1/children/:id'",
                             1, csw.id),
                     1);
    ck_assert_int_eq(child_reads(child, csw.id), 1);
}
END_TEST

START_TEST(test_r1_audit_filters)
{
    fx_person csw;
    char child[FX_ID_MAX];
    char other_child[FX_ID_MAX];
    char query[FX_ID_MAX + 32];
    json_t *items;
    json_t *item;
    size_t i;

    csw_with_child(&csw, child);
    fx_child_create(&csw, other_child);

    snprintf(query, sizeof query, "resource_id=%s&limit=200", child);
    items = audit_items(query);
    ck_assert_msg(find_item(items, "POST", 201) != NULL, "creation not in the filtered list");
    json_array_foreach(items, i, item) {
        ck_assert_msg(json_member_is(item, "resource_id", child), "filter by resource_id leaks");
        ck_assert_msg(json_is_string(json_object_get(item, "at")), "item lacks at");
        ck_assert_msg(json_is_array(json_object_get(item, "roles")), "item lacks roles");
    }
    json_decref(items);

    snprintf(query, sizeof query, "sub=%s&limit=200", csw.id);
    items = audit_items(query);
    json_array_foreach(items, i, item)
        ck_assert_msg(json_member_is(item, "sub", csw.id), "filter by sub leaks");
    ck_assert_msg(items_contain(items, "resource_id", child), "first creation missing");
    ck_assert_msg(items_contain(items, "resource_id", other_child), "second creation missing");
    json_decref(items);
}
END_TEST

/*
 * Polls /v1/audit/verify (as admin) until "unsealed" is 0, at most SEAL_POLL_TRIES times
 * SEAL_POLL_INTERVAL_NS apart. Returns the final body (a new reference; json_decref it).
 */
static json_t *verify_until_sealed(void)
{
    const struct timespec pause = {0, SEAL_POLL_INTERVAL_NS};
    int tries;

    for (tries = 0; tries < SEAL_POLL_TRIES; tries++) {
        http_response res = http_get(fx_admin_token(), "/v1/audit/verify");
        json_t *unsealed;

        EXPECT_STATUS(res, 200);
        unsealed = json_object_get(res.json, "unsealed");
        ck_assert_msg(json_is_integer(unsealed), "verify lacks unsealed: %s", res.body);
        if (json_integer_value(unsealed) == 0) {
            json_t *body = json_incref(res.json);

            http_response_free(&res);
            return body;
        }
        http_response_free(&res);
        nanosleep(&pause, NULL);
    }
    ck_abort_msg("audit rows still unsealed after %d polls", SEAL_POLL_TRIES);
    return NULL;
}

START_TEST(test_r1_audit_chain_sealed_and_verified)
{
    fx_person csw;
    char child[FX_ID_MAX];
    char *audit_id;
    json_t *verify;

    csw_with_child(&csw, child);
    audit_id = db_text("select id::text from audit_log where resource_id::text = $1 "
                       "and method = 'POST'", 1, child);
    ck_assert_msg(audit_id != NULL, "no audit row for the creation");

    verify = verify_until_sealed();
    ck_assert_msg(json_is_true(json_object_get(verify, "ok")), "verify is not ok");
    ck_assert_msg(json_integer_value(json_object_get(verify, "checked")) >= 1, "checked nothing");
    ck_assert_msg(json_is_null(json_object_get(verify, "first_broken")), "chain broken");
    ck_assert_int_eq(db_long("select count(*) from audit_chain where audit_id::text = $1", 1,
                             audit_id), 1);
    ck_assert_int_eq(db_long("select count(*) from audit_chain c where audit_id::text = $1 "
                             "and hash is not null and length(hash::text) > 0", 1, audit_id), 1);
    json_decref(verify);
    free(audit_id);
}
END_TEST

/*
 * In a transaction on `conn` (rolled back whatever happens), optionally switches to `role`, runs
 * `statement` and returns its SQLSTATE (the caller frees), or NULL when it succeeded.
 */
static char *attempt(PGconn *conn, const char *role, const char *statement)
{
    char *state;

    db_must(conn, "begin");
    db_must(conn, "set local session_replication_role = origin"); /* triggers fire */
    if (role != NULL) {
        char set_role[128];

        snprintf(set_role, sizeof set_role, "set local role %s", role);
        db_must(conn, set_role);
    }
    state = db_error_state(conn, statement);
    db_must(conn, "rollback");
    return state;
}

/*
 * Creates a fresh audit row (a csw refused GET /v1/audit) and returns its id as a new string.
 */
static char *fresh_audit_row(void)
{
    char team[FX_ID_MAX];
    fx_person csw;
    http_response res;
    char *id;

    fx_unique(team, sizeof team, "team");
    fx_person_create(&csw, "csw", team);
    res = http_get(csw.token, "/v1/audit");
    EXPECT_STATUS(res, 403);
    http_response_free(&res);
    id = db_text("select id::text from audit_log where sub = $1 and status = 403", 1, csw.id);
    ck_assert_msg(id != NULL, "the refusal wrote no audit row");
    return id;
}

/*
 * Tries UPDATE, DELETE and TRUNCATE on audit_log (aimed at a fresh row) as `role` (NULL: the
 * superuser of PERMANENCE_TEST_DB_URL) and checks each is refused, with SQLSTATE
 * `expected_state` when it is not NULL. Then checks the row is still there, unchanged.
 */
static void expect_audit_log_immutable(const char *role, const char *expected_state)
{
    char *id = fresh_audit_row();
    PGconn *conn = db_connect();
    char *escaped = PQescapeLiteral(conn, id, strlen(id));
    char update[256];
    char delete[256];
    const char *statements[3];
    char *status_after;
    size_t i;

    ck_assert_msg(escaped != NULL, "PQescapeLiteral failed");
    snprintf(update, sizeof update, "update audit_log set status = 999 where id::text = %s",
             escaped);
    snprintf(delete, sizeof delete, "delete from audit_log where id::text = %s", escaped);
    PQfreemem(escaped);
    statements[0] = update;
    statements[1] = delete;
    statements[2] = "truncate audit_log cascade";

    for (i = 0; i < 3; i++) {
        char *state = attempt(conn, role, statements[i]);

        ck_assert_msg(state != NULL, "as %s, the database accepted: %s",
                      role != NULL ? role : "superuser", statements[i]);
        ck_assert_msg(strcmp(state, "42601") != 0 && strcmp(state, "42P01") != 0 &&
                          strcmp(state, "42703") != 0,
                      "statement is wrong, not refused (SQLSTATE %s): %s", state, statements[i]);
        if (expected_state != NULL)
            ck_assert_msg(strcmp(state, expected_state) == 0, "as %s, %s failed with %s, not %s",
                          role, statements[i], state, expected_state);
        free(state);
    }
    PQfinish(conn);

    status_after = db_text("select status::text from audit_log where id::text = $1", 1, id);
    ck_assert_msg(status_after != NULL, "the audit row disappeared");
    ck_assert_str_eq(status_after, "403");
    free(status_after);
    free(id);
}

START_TEST(test_r1_audit_log_immutable_for_app_role)
{
    expect_audit_log_immutable("permanence", "42501"); /* insufficient_privilege */
}
END_TEST

START_TEST(test_r1_audit_log_immutable_for_superuser)
{
    expect_audit_log_immutable(NULL, NULL); /* refused by the trigger */
}
END_TEST

Suite *audit_suite(void)
{
    Suite *s = suite_create("audit");
    TCase *tc = tcase_create("audit");

    tcase_set_timeout(tc, TEST_TIMEOUT_SECONDS);
    tcase_add_test(tc, test_r1_write_audited_with_changes);
    tcase_add_test(tc, test_r1_child_read_audited);
    tcase_add_test(tc, test_r1_refusal_audited_and_audit_admin_only);
    tcase_add_test(tc, test_r1_refusal_with_bytes_that_are_not_utf8_is_recorded);
    tcase_add_test(tc, test_r1_audit_filters);
    tcase_add_test(tc, test_r1_audit_chain_sealed_and_verified);
    tcase_add_test(tc, test_r1_audit_log_immutable_for_app_role);
    tcase_add_test(tc, test_r1_audit_log_immutable_for_superuser);
    suite_add_tcase(s, tc);
    return s;
}
