/*
 * test_sync.c - a case system's nightly sync (spec7): PUT /v1/children/by-external/{system}/{id}
 * and PUT /v1/carers/by-external/{system}/{id} create the record holding the external id (201,
 * Location, ETag; a csw creating a child is allocated to it), answer it unchanged (200, its
 * version kept, nothing written, no event) or replace it (200, version + 1, audited, an
 * `.updated` event); the path's system with another id in the body 422; roles that cannot create
 * 403; a record the caller cannot change 404; a stale If-Match 412; concurrent and repeated syncs
 * never duplicate: two syncs of the same 500 records leave 500 records, found by
 * GET /v1/children?external_system=&external_id=.
 *
 * Every test uses a system name of its own ("eclipse-<random>"), so the shared database's other
 * records never count.
 */
#include "db.h"
#include "expect.h"
#include "fixtures.h"
#include "http_client.h"
#include "meeting_fixtures.h"
#include "suites.h"

#include <check.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SYNC_RECORDS 500
#define SYNC_TIMEOUT_SECONDS 180.0

/* A system name no other test uses. */
static void unique_system(char *out)
{
    fx_unique(out, FX_ID_MAX, "eclipse");
}

/* The request for PUT /v1/{file}/by-external/{system}/{ext} with the text `body`. `path` is
 * the caller's buffer (FX_ID_MAX * 3). */
static http_request put_request(const char *token, const char *file, const char *system,
                                const char *ext, const char *body, const char *if_match,
                                char *path)
{
    http_request req = {0};

    snprintf(path, FX_ID_MAX * 3, "/v1/%s/by-external/%s/%s", file, system, ext);
    req.method = "PUT";
    req.path = path;
    req.token = token;
    req.body = body;
    req.if_match = if_match;
    return req;
}

/* PUT `body` (stolen) as the record of `system`/`ext` in `file` ("children", "carers"), with
 * If-Match `if_match` (NULL: none). */
static http_response put_external(const char *token, const char *file, const char *system,
                                  const char *ext, json_t *body, const char *if_match)
{
    char path[FX_ID_MAX * 3];
    char *text;
    http_request req;
    http_response res;

    ck_assert_msg(body != NULL, "request body was not built");
    text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    ck_assert_msg(text != NULL, "json_dumps failed");
    req = put_request(token, file, system, ext, text, if_match, path);
    res = http_send(&req);
    free(text);
    return res;
}

/* The id of the record of `kind` ("child", "carer") holding `system`/`ext` (free it), or NULL. */
static char *holder(const char *kind, const char *system, const char *ext)
{
    return db_text("select resource_id::text from external_ids where resource_type = $1 and "
                   "system = $2 and external_id = $3",
                   3, kind, system, ext);
}

/* The external ids of `kind` in `system`. */
static long held_in(const char *kind, const char *system)
{
    return db_long("select count(*) from external_ids where resource_type = $1 and system = $2",
                   2, kind, system);
}

/* Checks the answer's integer version and its ETag. */
static void expect_version(const http_response *res, long version)
{
    char etag[16];

    expect_json_int(res, "version", version);
    snprintf(etag, sizeof etag, "\"%ld\"", version);
    expect_header(res, "ETag", etag);
}

/* Checks that the answer's external_ids list {system, id}. */
static void expect_external_id(const http_response *res, const char *system, const char *ext)
{
    json_t *ids = json_object_get(res->json, "external_ids");
    json_t *entry;
    size_t i;

    json_array_foreach(ids, i, entry) {
        if (json_member_is(entry, "system", system) && json_member_is(entry, "id", ext))
            return;
    }
    ck_abort_msg("%s: external_ids lacks {%s, %s}: %.600s", res->what, system, ext, res->body);
}

/* Column `expr` of the `table` row `id`, as text, checked against `want`. */
static void expect_column(const char *table, const char *id, const char *expr, const char *want)
{
    char sql[512];
    char *got;

    snprintf(sql, sizeof sql, "select (%s)::text from %s where id::text = $1", expr, table);
    got = db_text(sql, 1, id);
    ck_assert_msg(got != NULL && strcmp(got, want) == 0, "%s %s: %s is [%s], expected [%s]",
                  table, id, expr, got != NULL ? got : "(null)", want);
    free(got);
}

/* The audit rows about record `id` that record a write (the PUT's, POST's or PATCH's 2xx with its
 * changes). Naming the audit table settles the service's queue of reads' rows first. */
static long write_audit_rows(const char *id)
{
    return db_long("select count(*) from audit_log where resource_id = $1 and method <> 'GET' and "
                   "status between 200 and 299 and changes is not null",
                   1, id);
}

/* Checks that the events about record `id` in the database are exactly `want` ("type,type",
 * in the order written). Call after an audit query, which settles the service's queue of
 * reads' audit rows first (an audit row may announce an event). */
static void expect_event_types(const char *id, const char *want)
{
    char *got = db_text("select string_agg(type, ',' order by id) from events where "
                        "subject_id = $1",
                        1, id);

    ck_assert_msg(got != NULL && strcmp(got, want) == 0,
                  "the events about %s are [%s], expected [%s]", id, got != NULL ? got : "",
                  want);
    free(got);
}

/* GET /v1/children?external_system=&external_id= as `token`: the ids listed, joined by ",". */
static char *listed(const char *token, const char *system, const char *ext)
{
    char *sys = http_escape(system);
    char *id = ext != NULL ? http_escape(ext) : NULL;
    http_response res = ext != NULL
                            ? http_get(token, "/v1/children?external_system=%s&external_id=%s",
                                       sys, id)
                            : http_get(token, "/v1/children?external_system=%s", sys);
    json_t *item;
    size_t i;
    char *out = calloc(1, 4096);

    EXPECT_STATUS(res, 200);
    ck_assert_msg(out != NULL, "out of memory");
    json_array_foreach(body_items(&res), i, item) {
        size_t used = strlen(out);

        snprintf(out + used, 4096 - used, "%s%s", used > 0 ? "," : "",
                 json_string_value(json_object_get(item, "id")));
    }
    http_response_free(&res);
    free(sys);
    free(id);
    return out;
}

/* Creates a child for `system`/`ext` through PUT as `who` (asserting 201) and writes its id. */
static void sync_child_create(const fx_person *who, const char *system, const char *ext,
                              const char *family, char *id)
{
    http_response res = put_external(who->token, "children", system, ext,
                                     fx_child_body(family), NULL);

    EXPECT_STATUS(res, 201);
    snprintf(id, FX_ID_MAX, "%s", body_string(&res, "id"));
    ck_assert_msg(is_uuid(id), "child id [%s]", id);
    http_response_free(&res);
}

START_TEST(test_sync_child_created_201_and_found_by_external_id)
{
    char team[FX_ID_MAX], system[FX_ID_MAX], family[FX_ID_MAX], location[FX_ID_MAX + 16];
    char id[FX_ID_MAX];
    char *held, *ids;
    fx_person csw;
    http_response res;

    fx_unique(team, sizeof team, "team");
    fx_person_create(&csw, "csw", team);
    unique_system(system);
    fx_unique(family, sizeof family, "Sync");

    res = put_external(csw.token, "children", system, "123", fx_child_body(family), NULL);
    EXPECT_STATUS(res, 201);
    snprintf(id, sizeof id, "%s", body_string(&res, "id"));
    ck_assert_msg(is_uuid(id), "id [%s]", id);
    snprintf(location, sizeof location, "/v1/children/%s", id);
    expect_location(&res, location);
    expect_version(&res, 1);
    expect_json_string(&res, "family_name", family);
    expect_json_string(&res, "team", team);
    expect_external_id(&res, system, "123");
    http_response_free(&res);

    /* stored as POST would: the external id, the record, the csw allocated, audited, announced */
    held = holder("child", system, "123");
    ck_assert_msg(held != NULL && strcmp(held, id) == 0, "external id held by [%s], expected %s",
                  held != NULL ? held : "(none)", id);
    free(held);
    expect_column("children", id, "doc->>'family_name'", family);
    expect_column("children", id, "version", "1");
    expect_column("children", id, "team", team);
    ck_assert_int_eq(db_long("select count(*) from allocations where child_id::text = $1 and "
                             "person_id = $2 and role = 'csw'",
                             2, id, csw.id),
                     1);
    ck_assert_int_eq(db_long("select count(*) from audit_log where resource_type = 'child' and "
                             "resource_id = $1 and status = 201",
                             1, id),
                     1);

    /* the list filter finds it, by system and id or by system */
    ids = listed(csw.token, system, "123");
    ck_assert_msg(strcmp(ids, id) == 0, "external_id filter listed [%s], expected %s", ids, id);
    free(ids);
    ids = listed(csw.token, system, NULL);
    ck_assert_msg(strcmp(ids, id) == 0, "external_system filter listed [%s], expected %s", ids, id);
    free(ids);
    ids = listed(csw.token, system, "124");
    ck_assert_msg(ids[0] == '\0', "another external id listed [%s]", ids);
    free(ids);
    res = http_get(csw.token, "/v1/children/%s", id);
    EXPECT_STATUS(res, 200);
    expect_external_id(&res, system, "123");
    http_response_free(&res);
    /* announced as a POST's creation is */
    ck_assert_int_eq(write_audit_rows(id), 1);
    expect_event_types(id, "child.created");
}
END_TEST

START_TEST(test_sync_child_unchanged_200_version_kept)
{
    char team[FX_ID_MAX], system[FX_ID_MAX], family[FX_ID_MAX], id[FX_ID_MAX];
    char *updated_at, *after;
    fx_person tm;
    long audit_before;
    http_response res;

    fx_unique(team, sizeof team, "team");
    fx_person_create(&tm, "team_manager", team);
    unique_system(system);
    fx_unique(family, sizeof family, "Sync");
    sync_child_create(&tm, system, "E-1", family, id);
    audit_before = write_audit_rows(id);
    updated_at = db_text("select updated_at::text from children where id::text = $1", 1, id);

    /* the same document, once without and once with the external id it already holds */
    res = put_external(tm.token, "children", system, "E-1", fx_child_body(family), NULL);
    EXPECT_STATUS(res, 200);
    expect_json_string(&res, "id", id);
    expect_version(&res, 1);
    expect_external_id(&res, system, "E-1");
    http_response_free(&res);
    {
        json_t *body = fx_child_body(family);

        json_object_set_new(body, "external_ids", json_pack("[{s:s, s:s}]", "system", system,
                                                            "id", "E-1"));
        res = put_external(tm.token, "children", system, "E-1", body, NULL);
        EXPECT_STATUS(res, 200);
        expect_version(&res, 1);
        http_response_free(&res);
    }

    /* nothing written: the version, the row, no audit row of a write, no event */
    expect_column("children", id, "version", "1");
    after = db_text("select updated_at::text from children where id::text = $1", 1, id);
    ck_assert_msg(updated_at != NULL && after != NULL && strcmp(updated_at, after) == 0,
                  "updated_at moved from %s to %s", updated_at, after);
    ck_assert_int_eq(write_audit_rows(id), audit_before);
    expect_event_types(id, "child.created"); /* the creation's only */
    ck_assert_int_eq(held_in("child", system), 1);
    ck_assert_int_eq(db_long("select count(*) from children where doc->>'family_name' = $1", 1,
                             family),
                     1);
    free(updated_at);
    free(after);
}
END_TEST

START_TEST(test_sync_child_changed_200_version_plus_one)
{
    char team[FX_ID_MAX], system[FX_ID_MAX], other_system[FX_ID_MAX], family[FX_ID_MAX];
    char id[FX_ID_MAX];
    char *held, *ids;
    fx_person csw;
    json_t *body;
    http_response res;

    fx_unique(team, sizeof team, "team");
    fx_person_create(&csw, "csw", team);
    unique_system(system);
    unique_system(other_system);
    fx_unique(family, sizeof family, "Sync");
    sync_child_create(&csw, system, "77", family, id);

    body = fx_child_body(family);
    json_object_set_new(body, "given_name", json_string("Samuel"));
    res = put_external(csw.token, "children", system, "77", body, NULL);
    EXPECT_STATUS(res, 200);
    expect_json_string(&res, "id", id);
    expect_json_string(&res, "given_name", "Samuel");
    expect_version(&res, 2);
    http_response_free(&res);
    expect_column("children", id, "version", "2");
    expect_column("children", id, "doc->>'given_name'", "Samuel");
    ck_assert_int_eq(db_long("select count(*) from audit_log where resource_type = 'child' and "
                             "resource_id = $1 and method = 'PUT' and status = 200 and "
                             "changes::text like '%given_name%'",
                             1, id),
                     1);

    /* the whole document replaces the stored one: a member left out is gone */
    body = fx_child_body(family);
    json_object_del(body, "languages");
    json_object_set_new(body, "given_name", json_string("Samuel"));
    json_object_set_new(body, "external_ids", json_pack("[{s:s, s:s}]", "system", other_system,
                                                        "id", "M-9"));
    res = put_external(csw.token, "children", system, "77", body, NULL);
    EXPECT_STATUS(res, 200);
    expect_version(&res, 3);
    ck_assert_msg(json_object_get(res.json, "languages") == NULL ||
                      json_is_null(json_object_get(res.json, "languages")),
                  "languages kept: %s", res.body);
    /* the other system's id is kept beside the path's */
    expect_external_id(&res, system, "77");
    expect_external_id(&res, other_system, "M-9");
    http_response_free(&res);
    expect_column("children", id, "doc ? 'languages'", "false");
    held = holder("child", system, "77");
    ck_assert_msg(held != NULL && strcmp(held, id) == 0, "path id held by [%s]",
                  held != NULL ? held : "(none)");
    free(held);
    held = holder("child", other_system, "M-9");
    ck_assert_msg(held != NULL && strcmp(held, id) == 0, "other system's id held by [%s]",
                  held != NULL ? held : "(none)");
    free(held);
    ids = listed(csw.token, other_system, "M-9");
    ck_assert_msg(strcmp(ids, id) == 0, "listed by the other system: [%s]", ids);
    free(ids);
    ck_assert_int_eq(write_audit_rows(id), 3);
    expect_event_types(id, "child.created,child.updated,child.updated");
    ck_assert_int_eq(db_long("select count(*) from children where doc->>'family_name' = $1", 1,
                             family),
                     1);
}
END_TEST

START_TEST(test_sync_other_id_for_the_system_and_invalid_documents_422)
{
    char team[FX_ID_MAX], system[FX_ID_MAX], family[FX_ID_MAX], id[FX_ID_MAX];
    fx_person tm;
    json_t *body;
    http_response res;

    fx_unique(team, sizeof team, "team");
    fx_person_create(&tm, "team_manager", team);
    unique_system(system);
    fx_unique(family, sizeof family, "Sync");

    /* the body gives the path's system another id: nothing created */
    body = fx_child_body(family);
    json_object_set_new(body, "external_ids", json_pack("[{s:s, s:s}]", "system", system, "id",
                                                        "999"));
    res = put_external(tm.token, "children", system, "123", body, NULL);
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "external_ids");
    http_response_free(&res);
    ck_assert_int_eq(held_in("child", system), 0);

    /* an invalid document names its fields */
    body = fx_child_body(family);
    json_object_del(body, "given_name");
    json_object_set_new(body, "date_of_birth", json_string("yesterday"));
    json_object_set_new(body, "sex", json_string("sometimes"));
    res = put_external(tm.token, "children", system, "123", body, NULL);
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "given_name");
    expect_error_field(&res, "date_of_birth");
    expect_error_field(&res, "sex");
    http_response_free(&res);
    ck_assert_int_eq(held_in("child", system), 0);
    ck_assert_int_eq(db_long("select count(*) from children where doc->>'family_name' = $1", 1,
                             family),
                     0);

    /* for a record that exists too: it stays as it was */
    sync_child_create(&tm, system, "123", family, id);
    body = fx_child_body(family);
    json_object_set_new(body, "given_name", json_string("Changed"));
    json_object_set_new(body, "external_ids", json_pack("[{s:s, s:s}]", "system", system, "id",
                                                        "124"));
    res = put_external(tm.token, "children", system, "123", body, NULL);
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "external_ids");
    http_response_free(&res);
    body = fx_child_body(family);
    json_object_set_new(body, "entered_care_on", json_string("2001-01-01")); /* before birth */
    res = put_external(tm.token, "children", system, "123", body, NULL);
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "entered_care_on");
    http_response_free(&res);
    expect_column("children", id, "version || '/' || (doc->>'given_name')", "1/Sam");
    ck_assert_int_eq(held_in("child", system), 1);

    /* a carer's document too */
    body = fx_carer_body(NULL, "approved", 1);
    json_object_set_new(body, "postcode", json_string("nowhere"));
    res = put_external(tm.token, "carers", system, "C-1", body, NULL);
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "postcode");
    http_response_free(&res);
    ck_assert_int_eq(held_in("carer", system), 0);
}
END_TEST

START_TEST(test_sync_roles_that_cannot_create_403)
{
    static const char *const NOT_FOR_CHILDREN[] = {"iro", "ssw", "family_finder", "panel_member",
                                                   "panel_admin", "adm", "admin", "agency",
                                                   NULL};
    static const char *const NOT_FOR_CARERS[] = {"csw", "iro", "ssw", "family_finder", "admin",
                                                 "agency", NULL};
    char system[FX_ID_MAX], family[FX_ID_MAX];
    http_response res;

    unique_system(system);
    fx_unique(family, sizeof family, "Sync");
    for (size_t i = 0; NOT_FOR_CHILDREN[i] != NULL; i++) {
        fx_person p;

        mtg_token_for(&p, NOT_FOR_CHILDREN[i]);
        res = put_external(p.token, "children", system, "new-1", fx_child_body(family), NULL);
        expect_problem(&res, 403, "forbidden");
        http_response_free(&res);
    }
    for (size_t i = 0; NOT_FOR_CARERS[i] != NULL; i++) {
        fx_person p;

        mtg_token_for(&p, NOT_FOR_CARERS[i]);
        res = put_external(p.token, "carers", system, "new-1", fx_carer_body(NULL, "approved", 1),
                           NULL);
        expect_problem(&res, 403, "forbidden");
        http_response_free(&res);
    }
    ck_assert_int_eq(held_in("child", system), 0);
    ck_assert_int_eq(held_in("carer", system), 0);
    ck_assert_int_eq(db_long("select count(*) from children where doc->>'family_name' = $1", 1,
                             family),
                     0);
    /* no token at all: 401 */
    res = put_external(NULL, "children", system, "new-1", fx_child_body(family), NULL);
    EXPECT_STATUS(res, 401);
    http_response_free(&res);
}
END_TEST

START_TEST(test_sync_record_the_caller_cannot_change_404)
{
    char team[FX_ID_MAX], other_team[FX_ID_MAX], system[FX_ID_MAX], family[FX_ID_MAX];
    char child[FX_ID_MAX], carer[FX_ID_MAX];
    fx_person csw, tm, other_csw, other_tm, loose_ssw;
    json_t *body;
    http_response res;

    fx_unique(team, sizeof team, "team");
    fx_unique(other_team, sizeof other_team, "team");
    fx_person_create(&csw, "csw", team);
    fx_person_create(&tm, "team_manager", team);
    fx_person_create(&other_csw, "csw", other_team);
    fx_person_create(&other_tm, "team_manager", other_team);
    fx_person_create(&loose_ssw, "ssw", other_team);
    unique_system(system);
    fx_unique(family, sizeof family, "Sync");
    sync_child_create(&csw, system, "R-1", family, child);
    res = put_external(tm.token, "carers", system, "R-2", fx_carer_body(NULL, "approved", 1),
                       NULL);
    EXPECT_STATUS(res, 201);
    snprintf(carer, sizeof carer, "%s", body_string(&res, "id"));
    http_response_free(&res);

    /* another team's csw and manager may create children, but not change this one */
    for (int i = 0; i < 2; i++) {
        const fx_person *who = i == 0 ? &other_csw : &other_tm;

        body = fx_child_body(family);
        json_object_set_new(body, "given_name", json_string("Hijacked"));
        res = put_external(who->token, "children", system, "R-1", body, NULL);
        expect_problem(&res, 404, "not-found");
        http_response_free(&res);
        /* not even unchanged: that would show the record */
        res = put_external(who->token, "children", system, "R-1", fx_child_body(family), NULL);
        expect_problem(&res, 404, "not-found");
        ck_assert_msg(strstr(res.body, family) == NULL, "the 404 shows the child: %s", res.body);
        http_response_free(&res);
    }
    /* another team's manager and an unallocated ssw: not this carer */
    for (int i = 0; i < 2; i++) {
        const fx_person *who = i == 0 ? &other_tm : &loose_ssw;

        body = fx_carer_body(NULL, "approved", 1);
        json_object_set_new(body, "address", json_string("2 Elsewhere Road"));
        res = put_external(who->token, "carers", system, "R-2", body, NULL);
        expect_problem(&res, 404, "not-found");
        http_response_free(&res);
    }
    expect_column("children", child, "version || '/' || (doc->>'given_name')", "1/Sam");
    expect_column("carers", carer, "version || '/' || (doc->>'address')", "1/1 Test Street");
    ck_assert_int_eq(held_in("child", system), 1);
    ck_assert_int_eq(held_in("carer", system), 1);
    ck_assert_int_eq(db_long("select count(*) from children where doc->>'family_name' = $1", 1,
                             family),
                     1);
    /* refusals are audited (R1) */
    ck_assert_int_eq(db_long("select count(*) from audit_log where sub = $1 and method = 'PUT' "
                             "and status = 404",
                             1, other_csw.id),
                     2);
}
END_TEST

START_TEST(test_sync_if_match_checked_when_sent_412)
{
    char team[FX_ID_MAX], system[FX_ID_MAX], family[FX_ID_MAX], id[FX_ID_MAX];
    fx_person csw;
    json_t *body;
    http_response res;

    fx_unique(team, sizeof team, "team");
    fx_person_create(&csw, "csw", team);
    unique_system(system);
    fx_unique(family, sizeof family, "Sync");
    sync_child_create(&csw, system, "IM-1", family, id);

    body = fx_child_body(family);
    json_object_set_new(body, "given_name", json_string("Stale"));
    res = put_external(csw.token, "children", system, "IM-1", body, "\"7\"");
    expect_problem(&res, 412, "precondition-failed");
    http_response_free(&res);
    /* the same document with a stale If-Match: still 412 */
    res = put_external(csw.token, "children", system, "IM-1", fx_child_body(family), "\"2\"");
    expect_problem(&res, 412, "precondition-failed");
    http_response_free(&res);
    expect_column("children", id, "version || '/' || (doc->>'given_name')", "1/Sam");

    body = fx_child_body(family);
    json_object_set_new(body, "given_name", json_string("Fresh"));
    res = put_external(csw.token, "children", system, "IM-1", body, "\"1\"");
    EXPECT_STATUS(res, 200);
    expect_version(&res, 2);
    http_response_free(&res);
    /* the ETag read before is stale now */
    body = fx_child_body(family);
    json_object_set_new(body, "given_name", json_string("Lost"));
    res = put_external(csw.token, "children", system, "IM-1", body, "\"1\"");
    expect_problem(&res, 412, "precondition-failed");
    http_response_free(&res);
    expect_column("children", id, "version || '/' || (doc->>'given_name')", "2/Fresh");
    /* without If-Match the sync goes ahead */
    body = fx_child_body(family);
    json_object_set_new(body, "given_name", json_string("Unconditional"));
    res = put_external(csw.token, "children", system, "IM-1", body, NULL);
    EXPECT_STATUS(res, 200);
    expect_version(&res, 3);
    http_response_free(&res);
}
END_TEST

START_TEST(test_sync_carer_created_unchanged_changed)
{
    char team[FX_ID_MAX], system[FX_ID_MAX], id[FX_ID_MAX], location[FX_ID_MAX + 16];
    char *held;
    fx_person tm;
    json_t *body;
    http_response res;

    fx_unique(team, sizeof team, "team");
    fx_person_create(&tm, "team_manager", team);
    unique_system(system);

    res = put_external(tm.token, "carers", system, "CR-1", fx_carer_body(NULL, "approved", 2),
                       NULL);
    EXPECT_STATUS(res, 201);
    snprintf(id, sizeof id, "%s", body_string(&res, "id"));
    ck_assert_msg(is_uuid(id), "carer id [%s]", id);
    snprintf(location, sizeof location, "/v1/carers/%s", id);
    expect_location(&res, location);
    expect_version(&res, 1);
    expect_external_id(&res, system, "CR-1");
    http_response_free(&res);
    held = holder("carer", system, "CR-1");
    ck_assert_msg(held != NULL && strcmp(held, id) == 0, "carer external id held by [%s]",
                  held != NULL ? held : "(none)");
    free(held);
    expect_column("carers", id, "team", team);
    expect_column("carers", id, "approval_status || '/' || max_children", "approved/2");
    ck_assert_int_eq(write_audit_rows(id), 1);

    /* unchanged */
    res = put_external(tm.token, "carers", system, "CR-1", fx_carer_body(NULL, "approved", 2),
                       NULL);
    EXPECT_STATUS(res, 200);
    expect_json_string(&res, "id", id);
    expect_version(&res, 1);
    http_response_free(&res);
    ck_assert_int_eq(write_audit_rows(id), 1);

    /* changed: the facts beside the document follow it */
    body = fx_carer_body(NULL, "approved", 3);
    json_object_set_new(body, "address", json_string("3 New Street"));
    res = put_external(tm.token, "carers", system, "CR-1", body, NULL);
    EXPECT_STATUS(res, 200);
    expect_version(&res, 2);
    expect_json_string(&res, "address", "3 New Street");
    http_response_free(&res);
    expect_column("carers", id, "version || '/' || max_children || '/' || (doc->>'address')",
                  "2/3/3 New Street");
    ck_assert_int_eq(write_audit_rows(id), 2);
    ck_assert_int_eq(held_in("carer", system), 1);
    /* created, (unchanged: nothing), replaced */
    expect_event_types(id, "carer.created,carer.updated");
}
END_TEST

/* A sync run in a thread. */
typedef struct sync_call {
    const char *token, *system, *body;
    http_response res;
} sync_call;

static void *run_sync_call(void *arg)
{
    sync_call *c = arg;
    char path[FX_ID_MAX * 3];
    http_request req = put_request(c->token, "children", c->system, "RACE-1", c->body, NULL, path);

    c->res = http_send(&req);
    return NULL;
}

/* Waits (bounded busy poll, 5 s) until `sql` counts at least one row; returns whether it did. */
static int poll_until(const char *sql)
{
    double deadline;
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    deadline = (double)t.tv_sec + 5.0;
    for (;;) {
        if (db_long(sql, 0) > 0)
            return 1;
        clock_gettime(CLOCK_MONOTONIC, &t);
        if ((double)t.tv_sec > deadline)
            return 0;
    }
}

/*
 * Two syncs of the same new record at once, made to overlap for certain: the first is held (a
 * share lock on external_ids) just before it stores the external id, the second is started and
 * waits for the first's claim on the id; then the first goes on. The second must find the
 * record the first created and answer it unchanged (200), never create another nor fail.
 */
START_TEST(test_sync_concurrent_syncs_never_duplicate)
{
    char team[FX_ID_MAX], system[FX_ID_MAX], family[FX_ID_MAX];
    char *text, *held;
    fx_person tm;
    sync_call calls[2];
    pthread_t threads[2];
    json_t *body;
    PGconn *conn;
    int overlapped, second_started = 0;

    fx_unique(team, sizeof team, "team");
    fx_person_create(&tm, "team_manager", team);
    unique_system(system);
    fx_unique(family, sizeof family, "Sync");
    body = fx_child_body(family);
    text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    for (int i = 0; i < 2; i++)
        calls[i] = (sync_call){tm.token, system, text, {0}};

    conn = db_connect();
    db_must(conn, "begin");
    db_must(conn, "lock table external_ids in share mode");
    ck_assert_int_eq(pthread_create(&threads[0], NULL, run_sync_call, &calls[0]), 0);
    overlapped = poll_until("select count(*) from pg_locks where relation = "
                            "'external_ids'::regclass and not granted");
    if (overlapped) {
        ck_assert_int_eq(pthread_create(&threads[1], NULL, run_sync_call, &calls[1]), 0);
        second_started = 1;
        overlapped = poll_until("select count(*) from pg_locks where locktype = 'advisory' and "
                                "not granted");
    }
    db_must(conn, "commit");
    PQfinish(conn);
    pthread_join(threads[0], NULL);
    if (second_started)
        pthread_join(threads[1], NULL);
    ck_assert_msg(overlapped, "the two syncs could not be made to overlap");

    held = holder("child", system, "RACE-1");
    ck_assert_msg(held != NULL, "no record holds the external id");
    EXPECT_STATUS(calls[0].res, 201);
    expect_json_string(&calls[0].res, "id", held);
    EXPECT_STATUS(calls[1].res, 200);
    expect_json_string(&calls[1].res, "id", held);
    expect_json_int(&calls[1].res, "version", 1);
    ck_assert_int_eq(held_in("child", system), 1);
    ck_assert_int_eq(db_long("select count(*) from children where doc->>'family_name' = $1", 1,
                             family),
                     1);
    for (int i = 0; i < 2; i++)
        http_response_free(&calls[i].res);
    free(held);
    free(text);
}
END_TEST

START_TEST(test_sync_500_records_twice_leave_500)
{
    char team[FX_ID_MAX], system[FX_ID_MAX], prefix[FX_ID_MAX];
    static char ids[SYNC_RECORDS][FX_ID_MAX];
    static char *texts[SYNC_RECORDS];
    char path[FX_ID_MAX * 3], ext[32], like[FX_ID_MAX + 2];
    fx_person tm;
    http_session *session;
    char *cursor = NULL;
    int seen = 0;

    fx_unique(team, sizeof team, "team");
    fx_person_create(&tm, "team_manager", team);
    unique_system(system);
    fx_unique(prefix, sizeof prefix, "Sync");
    for (int i = 0; i < SYNC_RECORDS; i++) {
        char family[FX_ID_MAX + 16];
        json_t *body;

        snprintf(family, sizeof family, "%s-%d", prefix, i);
        body = fx_child_body(family);
        texts[i] = json_dumps(body, JSON_COMPACT);
        json_decref(body);
        ck_assert_msg(texts[i] != NULL, "json_dumps failed");
    }

    /* two syncs of the same records over one kept-open connection */
    session = http_session_open();
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < SYNC_RECORDS; i++) {
            http_request req;
            http_response res;

            snprintf(ext, sizeof ext, "SR-%d", i);
            req = put_request(tm.token, "children", system, ext, texts[i], NULL, path);
            res = http_session_send(session, &req, NULL);
            EXPECT_STATUS(res, round == 0 ? 201 : 200);
            if (round == 0) {
                snprintf(ids[i], FX_ID_MAX, "%s", body_string(&res, "id"));
            } else {
                expect_json_string(&res, "id", ids[i]);
                expect_json_int(&res, "version", 1);
            }
            http_response_free(&res);
        }
    }
    http_session_close(session);

    /* 500 records in the database */
    ck_assert_int_eq(held_in("child", system), SYNC_RECORDS);
    ck_assert_int_eq(db_long("select count(distinct resource_id) from external_ids where "
                             "resource_type = 'child' and system = $1",
                             1, system),
                     SYNC_RECORDS);
    snprintf(like, sizeof like, "%s-%%", prefix);
    ck_assert_int_eq(db_long("select count(*) from children where doc->>'family_name' like $1", 1,
                             like),
                     SYNC_RECORDS);
    ck_assert_int_eq(db_long("select count(*) from children c join external_ids e on "
                             "e.resource_id = c.id where e.system = $1 and c.version = 1",
                             1, system),
                     SYNC_RECORDS);
    /* the second sync wrote nothing: one audited write (the creation) per record */
    ck_assert_int_eq(db_long("select count(*) from audit_log a join external_ids e on "
                             "a.resource_id = e.resource_id::text where e.resource_type = 'child' "
                             "and e.system = $1 and a.method <> 'GET' and a.status between 200 "
                             "and 299 and a.changes is not null",
                             1, system),
                     SYNC_RECORDS);

    /* and 500 through the list filter, each once */
    for (int pages = 0; pages < 10; pages++) {
        char *sys = http_escape(system);
        http_response res = cursor == NULL
                                ? http_get(tm.token, "/v1/children?external_system=%s&limit=200",
                                           sys)
                                : http_get(tm.token,
                                           "/v1/children?external_system=%s&limit=200&after=%s",
                                           sys, cursor);
        json_t *next;

        free(sys);
        EXPECT_STATUS(res, 200);
        seen += (int)json_array_size(body_items(&res));
        next = json_object_get(res.json, "next");
        free(cursor);
        cursor = json_is_string(next) ? http_escape(json_string_value(next)) : NULL;
        http_response_free(&res);
        if (cursor == NULL)
            break;
    }
    ck_assert_msg(cursor == NULL, "the list did not end in 10 pages of 200");
    ck_assert_int_eq(seen, SYNC_RECORDS);
    {
        char *one = listed(tm.token, system, "SR-317");

        ck_assert_msg(strcmp(one, ids[317]) == 0, "SR-317 listed [%s], expected %s", one,
                      ids[317]);
        free(one);
    }
    for (int i = 0; i < SYNC_RECORDS; i++)
        free(texts[i]);
}
END_TEST

Suite *sync_suite(void)
{
    Suite *s = suite_create("sync");
    TCase *tc = tcase_create("sync");
    TCase *bulk = tcase_create("sync_bulk");

    tcase_set_timeout(tc, TEST_TIMEOUT_SECONDS);
    tcase_add_test(tc, test_sync_child_created_201_and_found_by_external_id);
    tcase_add_test(tc, test_sync_child_unchanged_200_version_kept);
    tcase_add_test(tc, test_sync_child_changed_200_version_plus_one);
    tcase_add_test(tc, test_sync_other_id_for_the_system_and_invalid_documents_422);
    tcase_add_test(tc, test_sync_roles_that_cannot_create_403);
    tcase_add_test(tc, test_sync_record_the_caller_cannot_change_404);
    tcase_add_test(tc, test_sync_if_match_checked_when_sent_412);
    tcase_add_test(tc, test_sync_carer_created_unchanged_changed);
    tcase_add_test(tc, test_sync_concurrent_syncs_never_duplicate);
    suite_add_tcase(s, tc);
    tcase_set_timeout(bulk, SYNC_TIMEOUT_SECONDS);
    tcase_add_test(bulk, test_sync_500_records_twice_leave_500);
    suite_add_tcase(s, bulk);
    return s;
}
