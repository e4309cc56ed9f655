/*
 * test_carer_submissions.c - independent fostering agencies' carer submissions (issue 7):
 * an agency submits its carer's profile and updates it (every version kept); the fostering team
 * (ssw, team_manager) lists, reads, accepts (the carer is created, then updated, and can be
 * placed and matched like any approved carer) or returns it with a reason per field, which the
 * agency reads. An agency never reaches another agency's submissions (404), whichever path it
 * tries; other roles get 403. Every write is audited, values hidden from the audit reader.
 *
 * Each test makes its own agency, team and people: the database is shared and never emptied.
 */
#include "db.h"
#include "expect.h"
#include "fixtures.h"
#include "http_client.h"
#include "match_fixtures.h"
#include "suites.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An agency token for a fresh agency id. */
static void new_agency(fx_person *agency)
{
    char id[FX_ID_MAX];

    fx_unique(id, sizeof id, "ifa");
    fx_agency_create(agency, id);
}

/* A person of the fostering team (`role` ssw or team_manager) in a fresh team. */
static void new_team_member(fx_person *p, const char *role)
{
    char team[FX_ID_MAX];

    fx_unique(team, sizeof team, "fostering");
    fx_person_create(p, role, team);
}

/* A valid profile (fx_carer_body of an approved in-house household: no agency_id). */
static json_t *profile(void)
{
    return fx_carer_body(NULL, "approved", 2);
}

static http_response submit(const fx_person *who, const char *agency_id, json_t *body)
{
    return http_post(who->token, body, "/v1/agencies/%s/carer-submissions", agency_id);
}

/* The agency submits `body` (NULL: profile()); asserts 201 and writes the id into `id`. */
static void submit_ok(const fx_person *agency, json_t *body, char *id)
{
    http_response res = submit(agency, agency->agency_id, body != NULL ? body : profile());

    EXPECT_STATUS(res, 201);
    snprintf(id, FX_ID_MAX, "%s", body_string(&res, "id"));
    http_response_free(&res);
}

static http_response new_version(const fx_person *who, const char *agency_id, const char *id,
                                 json_t *body)
{
    return http_post(who->token, body, "/v1/agencies/%s/carer-submissions/%s/versions",
                     agency_id, id);
}

static http_response read_submission(const fx_person *who, const char *agency_id,
                                     const char *id)
{
    return http_get(who->token, "/v1/agencies/%s/carer-submissions/%s", agency_id, id);
}

/* POST /v1/carer-submissions/{id}/accept with `body` (NULL: {}). */
static http_response accept_it(const fx_person *who, const char *id, json_t *body)
{
    return http_post(who->token, body != NULL ? body : json_object(),
                     "/v1/carer-submissions/%s/accept", id);
}

static http_response give_back(const fx_person *who, const char *id, json_t *body)
{
    return http_post(who->token, body, "/v1/carer-submissions/%s/return", id);
}

/* One reason {field, reason}. */
static json_t *reason(const char *field, const char *why)
{
    return json_pack("{s:s, s:s}", "field", field, "reason", why);
}

/* The submission's row in the database: `expr` as text (NULL for SQL null or no row). */
static void expect_submission_row(const char *id, const char *expr, const char *want)
{
    mfx_expect_row("carer_submissions", id, expr, want);
}

static long versions_in_db(const char *id)
{
    return db_long("select count(*) from carer_submission_versions where submission_id::text = $1",
                   1, id);
}

/* The status of version `n` of the submission in the database. */
static char *version_status(const char *id, const char *n)
{
    return db_text("select status from carer_submission_versions where submission_id::text = $1 "
                   "and version = $2::int",
                   2, id, n);
}

static void expect_version_status(const char *id, const char *n, const char *want)
{
    char *status = version_status(id, n);

    ck_assert_msg(status != NULL && strcmp(status, want) == 0, "version %s of %s is %s, not %s",
                  n, id, status != NULL ? status : "(none)", want);
    free(status);
}

/* The statuses of the answer's `versions`, joined by commas ("superseded,submitted"). */
static void expect_versions(const http_response *res, const char *want)
{
    json_t *versions = json_object_get(res->json, "versions");
    char got[256] = "";
    size_t i;
    json_t *v;

    json_array_foreach(versions, i, v) {
        size_t used = strlen(got);

        ck_assert_int_eq(json_integer_value(json_object_get(v, "version")), (json_int_t)i + 1);
        ck_assert_msg(json_is_string(json_object_get(v, "submitted_at")), "no submitted_at");
        ck_assert_msg(json_is_string(json_object_get(v, "submitted_by")), "no submitted_by");
        snprintf(got + used, sizeof got - used, "%s%s", i > 0 ? "," : "",
                 json_string_value(json_object_get(v, "status")));
    }
    ck_assert_msg(strcmp(got, want) == 0, "%s: versions are [%s], not [%s]: %.600s", res->what,
                  got, want, res->body);
}

/* Audit rows of `resource_type` about `id` by `sub` with `method` and `status`. */
static long audit_rows(const char *resource_type, const char *id, const char *sub,
                       const char *method, const char *status)
{
    return db_long("select count(*) from audit_log where resource_type = $1 and resource_id = $2 "
                   "and sub = $3 and method = $4 and status = $5::int",
                   5, resource_type, id, sub, method, status);
}

START_TEST(test_cs_agency_submits_201)
{
    fx_person agency;
    char location[2 * FX_ID_MAX + 64];
    const char *id;
    json_t *versions;
    http_response res;
    http_response read;

    new_agency(&agency);
    res = submit(&agency, agency.agency_id, profile());
    EXPECT_STATUS(res, 201);
    id = body_string(&res, "id");
    ck_assert_msg(is_uuid(id), "submission id [%s] is not a UUID", id);
    snprintf(location, sizeof location, "/v1/agencies/%s/carer-submissions/%s", agency.agency_id,
             id);
    expect_location(&res, location);
    expect_header(&res, "ETag", "\"1\"");
    expect_json_string(&res, "agency_id", agency.agency_id);
    expect_json_string(&res, "status", "submitted");
    expect_json_int(&res, "version", 1);
    mfx_expect_at(&res, "carer_id", NULL);
    mfx_expect_at(&res, "returned_reasons", NULL);
    mfx_expect_at(&res, "profile.agency_id", agency.agency_id);
    mfx_expect_at(&res, "profile.carers.0.family_name", "Carer");
    mfx_expect_at(&res, "profile.approval.status", "approved");
    mfx_expect_at(&res, "versions.0.submitted_by", agency.id);
    mfx_expect_at(&res, "versions.0.status", "submitted");
    ck_assert_msg(json_is_string(json_object_get(res.json, "created_at")) &&
                      json_is_string(json_object_get(res.json, "updated_at")),
                  "no created_at/updated_at: %s", res.body);
    versions = json_object_get(res.json, "versions");
    ck_assert_int_eq(json_array_size(versions), 1);
    expect_versions(&res, "submitted");

    expect_submission_row(id, "agency_id", agency.agency_id);
    expect_submission_row(id, "status", "submitted");
    expect_submission_row(id, "carer_id", NULL);
    ck_assert_int_eq(versions_in_db(id), 1);
    ck_assert_int_eq(db_long("select count(*) from carer_submission_versions where "
                             "submission_id::text = $1 and profile->>'agency_id' = $2 and "
                             "submitted_by = $3",
                             3, id, agency.agency_id, agency.id),
                     1);
    /* nothing becomes a carer before the fostering team accepts it */
    ck_assert_int_eq(db_long("select count(*) from carers where agency_id = $1", 1,
                             agency.agency_id),
                     0);
    ck_assert_int_eq(audit_rows("carer_submission", id, agency.id, "POST", "201"), 1);

    read = read_submission(&agency, agency.agency_id, id);
    EXPECT_STATUS(read, 200);
    expect_header(&read, "ETag", "\"1\"");
    expect_json_string(&read, "id", id);
    expect_json_string(&read, "status", "submitted");
    mfx_expect_at(&read, "profile.postcode", "SW1A 1AA");
    http_response_free(&read);
    http_response_free(&res);
}
END_TEST

/* An agency id is any text of its token: one with a space is sent percent-encoded, and the
 * Location names it so. */
START_TEST(test_cs_agency_id_percent_encoded)
{
    fx_person agency;
    char agency_id[FX_ID_MAX];
    char location[2 * FX_ID_MAX + 64];
    const char *suffix;
    http_response res;
    http_response read;

    fx_unique(agency_id, sizeof agency_id, "Acme Fostering");
    fx_agency_create(&agency, agency_id);
    res = http_post(agency.token, profile(), "/v1/agencies/Acme%%20Fostering%s/carer-submissions",
                    agency_id + strlen("Acme Fostering"));
    EXPECT_STATUS(res, 201);
    expect_json_string(&res, "agency_id", agency_id);
    suffix = agency_id + strlen("Acme Fostering");
    snprintf(location, sizeof location, "/v1/agencies/Acme%%20Fostering%s/carer-submissions/%s",
             suffix, body_string(&res, "id"));
    expect_location(&res, location);
    read = http_get(agency.token, "%s", location);
    EXPECT_STATUS(read, 200);
    http_response_free(&read);
    http_response_free(&res);

    /* an escape that is not one, or bytes that are not UTF-8, name no agency: 404, never 500 */
    {
        fx_person ssw;

        new_team_member(&ssw, "ssw");
        res = http_get(ssw.token, "/v1/agencies/%%FF%%FE/carer-submissions");
        expect_problem(&res, 404, "not-found");
        http_response_free(&res);
        res = http_get(ssw.token, "/v1/agencies/%%zz/carer-submissions");
        expect_problem(&res, 404, "not-found");
        http_response_free(&res);
        res = http_post(agency.token, profile(), "/v1/agencies/Acme%%2/carer-submissions");
        expect_problem(&res, 404, "not-found");
        http_response_free(&res);
    }
}
END_TEST

START_TEST(test_cs_profile_agency_id_is_the_paths)
{
    fx_person agency;
    json_t *same = profile();
    json_t *other = profile();
    http_response ok;
    http_response wrong;

    new_agency(&agency);
    json_object_set_new(same, "agency_id", json_string(agency.agency_id));
    ok = submit(&agency, agency.agency_id, same);
    EXPECT_STATUS(ok, 201);
    mfx_expect_at(&ok, "profile.agency_id", agency.agency_id);

    json_object_set_new(other, "agency_id", json_string("another-agency"));
    wrong = submit(&agency, agency.agency_id, other);
    expect_problem(&wrong, 422, "validation");
    expect_error_field(&wrong, "agency_id");
    ck_assert_int_eq(db_long("select count(*) from carer_submissions where agency_id = $1", 1,
                             agency.agency_id),
                     1);
    ck_assert_int_eq(db_long("select count(*) from carer_submissions where agency_id = $1", 1,
                             "another-agency"),
                     0);
    http_response_free(&ok);
    http_response_free(&wrong);
}
END_TEST

START_TEST(test_cs_validation_names_each_field)
{
    fx_person agency;
    json_t *body;
    http_response res;

    new_agency(&agency);
    body = json_pack("{s:[{s:s}, {s:s, s:s}, {s:s, s:s}], s:{s:s, s:i, s:i, s:i},"
                     " s:s, s:s, s:s, s:[{s:s}]}",
                     "carers", "given_name", "A", "given_name", "B", "family_name", "Two",
                     "given_name", "C", "family_name", "Three", "approval", "status", "approved",
                     "age_from", 10, "age_to", 5, "max_children", 11, "postcode", "NOT A POSTCODE",
                     "favourite_food", "toast", "id", "chosen-by-agency", "household_members",
                     "name", "Kim");
    res = submit(&agency, agency.agency_id, body);
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "carers");                       /* three carers */
    expect_error_field(&res, "approval.approved_on");
    expect_error_field(&res, "approval.age_to");
    expect_error_field(&res, "approval.max_children");
    expect_error_field(&res, "postcode");
    expect_error_field(&res, "favourite_food");
    expect_error_field(&res, "id");
    expect_error_field(&res, "household_members[0].relationship");
    ck_assert_int_eq(db_long("select count(*) from carer_submissions where agency_id = $1", 1,
                             agency.agency_id),
                     0);
    http_response_free(&res);

    /* a missing carer and an unknown field in an update are named the same way */
    {
        char id[FX_ID_MAX];
        json_t *update = profile();

        submit_ok(&agency, NULL, id);
        json_object_del(update, "carers");
        json_object_set_new(update, "pets", json_string("a dog"));
        res = new_version(&agency, agency.agency_id, id, update);
        expect_problem(&res, 422, "validation");
        expect_error_field(&res, "carers");
        expect_error_field(&res, "pets");
        ck_assert_int_eq(versions_in_db(id), 1);
        http_response_free(&res);
    }
}
END_TEST

START_TEST(test_cs_other_agencys_submission_404)
{
    fx_person mine;
    fx_person theirs;
    fx_person tm;
    char id[FX_ID_MAX];
    char their_id[FX_ID_MAX];
    http_response res;

    new_agency(&mine);
    new_agency(&theirs);
    new_team_member(&tm, "team_manager");
    submit_ok(&mine, NULL, id);
    submit_ok(&theirs, NULL, their_id);

    /* a submission for another agency's id */
    res = submit(&mine, theirs.agency_id, profile());
    expect_problem(&res, 404, "not-found");
    http_response_free(&res);
    ck_assert_int_eq(db_long("select count(*) from carer_submissions where agency_id = $1", 1,
                             theirs.agency_id),
                     1);
    /* an agency id nobody has is the same 404: nothing says whether an agency exists */
    res = submit(&mine, "no-such-agency", profile());
    expect_problem(&res, 404, "not-found");
    http_response_free(&res);

    /* reading another agency's submission, under its path or under one's own */
    res = read_submission(&mine, theirs.agency_id, their_id);
    expect_problem(&res, 404, "not-found");
    ck_assert_msg(strstr(res.body, their_id) == NULL, "the 404 names the submission");
    http_response_free(&res);
    res = read_submission(&mine, mine.agency_id, their_id);
    expect_problem(&res, 404, "not-found");
    http_response_free(&res);
    res = http_get(mine.token, "/v1/agencies/%s/carer-submissions/%s/versions/1",
                   theirs.agency_id, their_id);
    expect_problem(&res, 404, "not-found");
    http_response_free(&res);
    res = http_get(mine.token, "/v1/agencies/%s/carer-submissions/%s/versions/1",
                   mine.agency_id, their_id);
    expect_problem(&res, 404, "not-found");
    http_response_free(&res);
    res = http_get(mine.token, "/v1/agencies/%s/carer-submissions", theirs.agency_id);
    expect_problem(&res, 404, "not-found");
    http_response_free(&res);

    /* nor update it */
    res = new_version(&mine, theirs.agency_id, their_id, profile());
    expect_problem(&res, 404, "not-found");
    http_response_free(&res);
    res = new_version(&mine, mine.agency_id, their_id, profile());
    expect_problem(&res, 404, "not-found");
    http_response_free(&res);
    ck_assert_int_eq(versions_in_db(their_id), 1);

    /* its own list holds its own submission only */
    res = http_get(mine.token, "/v1/agencies/%s/carer-submissions?limit=200", mine.agency_id);
    EXPECT_STATUS(res, 200);
    ck_assert_int_eq(json_array_size(body_items(&res)), 1);
    ck_assert_msg(items_contain(body_items(&res), "id", id), "own submission not listed");
    ck_assert_msg(!items_contain(body_items(&res), "id", their_id), "another's listed");
    http_response_free(&res);

    /* the refusals are audited (R1) */
    ck_assert_int_ge(db_long("select count(*) from audit_log where sub = $1 and status = 404 "
                             "and resource_type = 'carer_submission'",
                             1, mine.id),
                     8);
    /* the fostering team reads both */
    res = read_submission(&tm, theirs.agency_id, their_id);
    EXPECT_STATUS(res, 200);
    expect_json_string(&res, "agency_id", theirs.agency_id);
    http_response_free(&res);
    res = read_submission(&tm, mine.agency_id, their_id);
    expect_problem(&res, 404, "not-found");
    http_response_free(&res);
}
END_TEST

START_TEST(test_cs_roles_403)
{
    static const char *const roles[] = {"csw", "family_finder", "iro", "panel_admin"};
    fx_person agency;
    fx_person ssw;
    fx_person tm;
    char id[FX_ID_MAX];
    size_t i;
    http_response res;

    new_agency(&agency);
    new_team_member(&ssw, "ssw");
    new_team_member(&tm, "team_manager");
    submit_ok(&agency, NULL, id);
    for (i = 0; i < sizeof roles / sizeof roles[0]; i++) {
        fx_person p;

        new_team_member(&p, roles[i]);
        res = submit(&p, agency.agency_id, profile());
        expect_problem(&res, 403, "forbidden");
        http_response_free(&res);
        res = read_submission(&p, agency.agency_id, id);
        expect_problem(&res, 403, "forbidden");
        http_response_free(&res);
        res = http_get(p.token, "/v1/carer-submissions");
        expect_problem(&res, 403, "forbidden");
        http_response_free(&res);
        res = accept_it(&p, id, NULL);
        expect_problem(&res, 403, "forbidden");
        http_response_free(&res);
    }
    res = http_get(fx_admin_token(), "/v1/agencies/%s/carer-submissions", agency.agency_id);
    expect_problem(&res, 403, "forbidden");
    http_response_free(&res);

    /* the fostering team reads, never submits for an agency */
    res = submit(&tm, agency.agency_id, profile());
    expect_problem(&res, 403, "forbidden");
    http_response_free(&res);
    res = new_version(&ssw, agency.agency_id, id, profile());
    expect_problem(&res, 403, "forbidden");
    http_response_free(&res);
    ck_assert_int_eq(versions_in_db(id), 1);

    /* the agency neither lists every agency's nor decides */
    res = http_get(agency.token, "/v1/carer-submissions");
    expect_problem(&res, 403, "forbidden");
    http_response_free(&res);
    res = accept_it(&agency, id, NULL);
    expect_problem(&res, 403, "forbidden");
    http_response_free(&res);
    res = give_back(&agency, id, json_pack("{s:[o]}", "reasons", reason("postcode", "x")));
    expect_problem(&res, 403, "forbidden");
    http_response_free(&res);
    expect_submission_row(id, "status", "submitted");

    /* and sees nothing of any child */
    res = http_get(agency.token, "/v1/children");
    expect_problem(&res, 403, "forbidden");
    http_response_free(&res);
}
END_TEST

START_TEST(test_cs_every_version_kept)
{
    fx_person agency;
    fx_person ssw;
    char id[FX_ID_MAX];
    json_t *v2 = profile();
    json_t *v3 = profile();
    http_response res;
    PGconn *conn;
    char sql[256];
    char *state;

    new_agency(&agency);
    new_team_member(&ssw, "ssw");
    submit_ok(&agency, NULL, id);
    json_object_set_new(v2, "background", json_string("Retired teacher"));
    res = new_version(&agency, agency.agency_id, id, v2);
    EXPECT_STATUS(res, 201);
    {
        char location[2 * FX_ID_MAX + 64];

        snprintf(location, sizeof location, "/v1/agencies/%s/carer-submissions/%s/versions/2",
                 agency.agency_id, id);
        expect_location(&res, location);
    }
    expect_header(&res, "ETag", "\"2\"");
    expect_json_int(&res, "version", 2);
    expect_json_string(&res, "status", "submitted");
    mfx_expect_at(&res, "profile.background", "Retired teacher");
    expect_versions(&res, "superseded,submitted");
    http_response_free(&res);

    json_object_set_new(v3, "postcode", json_string("SN15 1ER"));
    res = new_version(&agency, agency.agency_id, id, v3);
    EXPECT_STATUS(res, 201);
    expect_json_int(&res, "version", 3);
    mfx_expect_at(&res, "profile.postcode", "SN15 1ER");
    ck_assert_msg(mfx_at(res.json, "profile.background") == NULL, "background kept: %s",
                  res.body);
    expect_versions(&res, "superseded,superseded,submitted");
    http_response_free(&res);

    /* each version is kept as it was sent */
    ck_assert_int_eq(versions_in_db(id), 3);
    ck_assert_int_eq(db_long("select count(distinct profile) from carer_submission_versions "
                             "where submission_id::text = $1",
                             1, id),
                     3);
    res = http_get(agency.token, "/v1/agencies/%s/carer-submissions/%s/versions/1",
                   agency.agency_id, id);
    EXPECT_STATUS(res, 200);
    expect_json_int(&res, "version", 1);
    expect_json_string(&res, "status", "superseded");
    mfx_expect_at(&res, "profile.postcode", "SW1A 1AA");
    ck_assert_msg(mfx_at(res.json, "profile.background") == NULL, "background kept: %s",
                  res.body);
    mfx_expect_at(&res, "submitted_by", agency.id);
    http_response_free(&res);
    res = http_get(ssw.token, "/v1/agencies/%s/carer-submissions/%s/versions/2",
                   agency.agency_id, id);
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "profile.background", "Retired teacher");
    http_response_free(&res);
    res = http_get(agency.token, "/v1/agencies/%s/carer-submissions/%s/versions/4",
                   agency.agency_id, id);
    expect_problem(&res, 404, "not-found");
    http_response_free(&res);
    res = http_get(agency.token, "/v1/agencies/%s/carer-submissions/%s/versions/one",
                   agency.agency_id, id);
    expect_problem(&res, 404, "not-found");
    http_response_free(&res);

    /* the database itself refuses to overwrite or delete a version */
    conn = db_connect();
    snprintf(sql, sizeof sql,
             "update carer_submission_versions set profile = '{}' where submission_id = '%s'",
             id);
    state = db_error_state(conn, sql);
    ck_assert_msg(state != NULL, "a version's profile was overwritten");
    free(state);
    snprintf(sql, sizeof sql,
             "delete from carer_submission_versions where submission_id = '%s'", id);
    state = db_error_state(conn, sql);
    ck_assert_msg(state != NULL, "a version was deleted");
    free(state);
    PQfinish(conn);
    ck_assert_int_eq(versions_in_db(id), 3);
    ck_assert_int_eq(audit_rows("carer_submission", id, agency.id, "POST", "201"), 3);
}
END_TEST

/* A child of `tm`'s team, placed with `carer` by `tm`: the placement is 201. */
static void place_child_with(const fx_person *tm, const char *carer)
{
    char child[FX_ID_MAX];
    char placement[FX_ID_MAX];

    fx_child_create(tm, child);
    fx_placement_create(tm, child, carer, FX_PLACEMENT_START, placement);
    ck_assert_int_eq(db_long("select count(*) from placements where id::text = $1 and "
                             "carer_id::text = $2 and end_date is null",
                             2, placement, carer),
                     1);
}

START_TEST(test_cs_accept_creates_the_carer)
{
    fx_person agency;
    mfx_scene scene;
    mfx_match match;
    char id[FX_ID_MAX];
    char carer[FX_ID_MAX];
    http_response res;
    char *team;

    new_agency(&agency);
    mfx_scene_create(&scene, 0);
    submit_ok(&agency, NULL, id);

    /* an If-Match sent must be the submission's current ETag */
    res = http_post_if_match(scene.tm.token, "\"7\"", json_pack("{s:i}", "version", 1),
                             "/v1/carer-submissions/%s/accept", id);
    EXPECT_STATUS(res, 412);
    http_response_free(&res);
    ck_assert_int_eq(db_long("select count(*) from carer_submissions where id::text = $1"
                             " and status = 'submitted'", 1, id), 1);
    res = accept_it(&scene.tm, id, json_pack("{s:i}", "version", 1));
    EXPECT_STATUS(res, 200);
    expect_json_string(&res, "status", "accepted");
    expect_json_int(&res, "version", 1);
    expect_versions(&res, "accepted");
    mfx_expect_at(&res, "returned_reasons", NULL);
    snprintf(carer, sizeof carer, "%s", body_string(&res, "carer_id"));
    ck_assert_msg(is_uuid(carer), "carer_id [%s] is not a UUID", carer);
    http_response_free(&res);

    /* the carers row, created as POST /v1/carers creates one, in the accepter's team */
    team = db_text("select team from carers where id::text = $1", 1, carer);
    ck_assert_msg(team != NULL && strcmp(team, scene.team) == 0, "carer's team is %s, not %s",
                  team != NULL ? team : "(none)", scene.team);
    free(team);
    mfx_expect_row("carers", carer, "agency_id", agency.agency_id);
    mfx_expect_row("carers", carer, "approval_status", "approved");
    mfx_expect_row("carers", carer, "approved_on", FX_APPROVED_ON);
    mfx_expect_row("carers", carer, "max_children", "2");
    mfx_expect_row("carers", carer, "version", "1");
    mfx_expect_row("carers", carer, "doc->'carers'->0->>'family_name'", "Carer");
    mfx_expect_row("carers", carer, "created_by", scene.tm.id);
    expect_submission_row(id, "status", "accepted");
    expect_submission_row(id, "carer_id", carer);
    expect_version_status(id, "1", "accepted");
    mfx_expect_row("carers", carer, "(select count(*) from audit_log a where a.resource_id = "
                                    "carers.id::text and a.resource_type = 'carer' and "
                                    "a.route = '/v1/carer-submissions/:id/accept')",
                   "1");
    ck_assert_int_eq(audit_rows("carer_submission", id, scene.tm.id, "POST", "200"), 1);

    /* the agency sees the acceptance and its own carer, nothing more */
    res = read_submission(&agency, agency.agency_id, id);
    EXPECT_STATUS(res, 200);
    expect_json_string(&res, "status", "accepted");
    expect_json_string(&res, "carer_id", carer);
    http_response_free(&res);
    res = http_get(agency.token, "/v1/carers/%s", carer);
    EXPECT_STATUS(res, 200);
    expect_json_string(&res, "agency_id", agency.agency_id);
    http_response_free(&res);

    /* available for matching like any approved carer: the family finder sees and proposes it */
    res = http_get(scene.finder.token, "/v1/carers/%s", carer);
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
    mfx_match_make(&scene, &match, NULL, 0, NULL, NULL);
    res = http_post(scene.finder.token, json_pack("{s:s}", "carer_id", carer),
                    "/v1/matches/%s/propose", match.match);
    EXPECT_STATUS(res, 200);
    expect_json_string(&res, "carer_id", carer);
    http_response_free(&res);
    mfx_expect_row("matches", match.match, "carer_id", carer);

    /* and placed with like one */
    place_child_with(&scene.tm, carer);
}
END_TEST

START_TEST(test_cs_later_acceptance_updates_the_same_carer)
{
    fx_person agency;
    fx_person tm;
    fx_person ssw;
    char id[FX_ID_MAX];
    char carer[FX_ID_MAX];
    json_t *v2 = profile();
    http_response res;

    new_agency(&agency);
    new_team_member(&tm, "team_manager");
    new_team_member(&ssw, "ssw");
    submit_ok(&agency, NULL, id);
    res = accept_it(&tm, id, NULL);
    EXPECT_STATUS(res, 200);
    snprintf(carer, sizeof carer, "%s", body_string(&res, "carer_id"));
    http_response_free(&res);

    json_object_set_new(json_object_get(v2, "approval"), "max_children", json_integer(3));
    json_object_set_new(v2, "skills", json_pack("[s]", "therapeutic parenting"));
    res = new_version(&agency, agency.agency_id, id, v2);
    EXPECT_STATUS(res, 201);
    expect_json_string(&res, "status", "submitted");
    expect_json_string(&res, "carer_id", carer); /* the carer stays as accepted until then */
    expect_versions(&res, "accepted,submitted");
    http_response_free(&res);
    mfx_expect_row("carers", carer, "max_children", "2");

    res = accept_it(&ssw, id, json_pack("{s:i}", "version", 2));
    EXPECT_STATUS(res, 200);
    expect_json_string(&res, "status", "accepted");
    expect_json_string(&res, "carer_id", carer);
    expect_versions(&res, "accepted,accepted");
    http_response_free(&res);

    ck_assert_int_eq(db_long("select count(*) from carers where agency_id = $1", 1,
                             agency.agency_id),
                     1);
    mfx_expect_row("carers", carer, "version", "2");
    mfx_expect_row("carers", carer, "max_children", "3");
    mfx_expect_row("carers", carer, "doc->'skills'->>0", "therapeutic parenting");
    mfx_expect_row("carers", carer, "team", tm.team); /* the team that first accepted it */
    ck_assert_int_eq(audit_rows("carer", carer, ssw.id, "POST", "200"), 1);
}
END_TEST

START_TEST(test_cs_return_with_reasons_for_the_agency)
{
    fx_person agency;
    fx_person ssw;
    char id[FX_ID_MAX];
    json_t *reasons;
    http_response res;
    char *stored;

    new_agency(&agency);
    new_team_member(&ssw, "ssw");
    submit_ok(&agency, NULL, id);
    reasons = json_pack("[o, o]", reason("carers[0].family_name", "Spell it as on the passport"),
                        reason("approval.age_to", "The agency's panel approved up to 11"));
    res = give_back(&ssw, id, json_pack("{s:O}", "reasons", reasons));
    EXPECT_STATUS(res, 200);
    expect_json_string(&res, "status", "returned");
    mfx_expect_at(&res, "carer_id", NULL);
    mfx_expect_at(&res, "returned_reasons.0.field", "carers[0].family_name");
    mfx_expect_at(&res, "returned_reasons.1.reason", "The agency's panel approved up to 11");
    expect_versions(&res, "returned");
    http_response_free(&res);

    expect_submission_row(id, "status", "returned");
    expect_version_status(id, "1", "returned");
    stored = db_text("select returned_reasons->1->>'field' from carer_submission_versions "
                     "where submission_id::text = $1 and version = 1",
                     1, id);
    ck_assert_msg(stored != NULL && strcmp(stored, "approval.age_to") == 0, "reasons not stored");
    free(stored);
    ck_assert_int_eq(db_long("select count(*) from carers where agency_id = $1", 1,
                             agency.agency_id),
                     0);
    ck_assert_int_eq(audit_rows("carer_submission", id, ssw.id, "POST", "200"), 1);

    /* the agency reads the status and every reason */
    res = read_submission(&agency, agency.agency_id, id);
    EXPECT_STATUS(res, 200);
    expect_json_string(&res, "status", "returned");
    ck_assert_int_eq(json_array_size(json_object_get(res.json, "returned_reasons")), 2);
    mfx_expect_at(&res, "returned_reasons.0.reason", "Spell it as on the passport");
    mfx_expect_at(&res, "returned_reasons.1.field", "approval.age_to");
    http_response_free(&res);
    res = http_get(agency.token, "/v1/agencies/%s/carer-submissions", agency.agency_id);
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "items.0.status", "returned");
    mfx_expect_at(&res, "items.0.returned_reasons.0.field", "carers[0].family_name");
    http_response_free(&res);

    /* its next version goes back to the team; the returned one keeps its reasons */
    res = new_version(&agency, agency.agency_id, id, profile());
    EXPECT_STATUS(res, 201);
    expect_json_string(&res, "status", "submitted");
    mfx_expect_at(&res, "returned_reasons", NULL);
    expect_versions(&res, "returned,submitted");
    http_response_free(&res);
    res = http_get(agency.token, "/v1/agencies/%s/carer-submissions/%s/versions/1",
                   agency.agency_id, id);
    EXPECT_STATUS(res, 200);
    expect_json_string(&res, "status", "returned");
    mfx_expect_at(&res, "returned_reasons.0.field", "carers[0].family_name");
    mfx_expect_at(&res, "decided_by", ssw.id);
    http_response_free(&res);
    json_decref(reasons);
}
END_TEST

START_TEST(test_cs_return_reasons_validated)
{
    fx_person agency;
    fx_person tm;
    char id[FX_ID_MAX];
    http_response res;

    new_agency(&agency);
    new_team_member(&tm, "team_manager");
    submit_ok(&agency, NULL, id);

    res = give_back(&tm, id, json_object());
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "reasons");
    http_response_free(&res);
    res = give_back(&tm, id, json_pack("{s:[]}", "reasons"));
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "reasons");
    http_response_free(&res);
    res = give_back(&tm, id,
                    json_pack("{s:[o, o, {s:s}]}", "reasons", reason("postcode", "Not the home"),
                              reason("favourite_food", "x"), "field", "carers[0].given_name"));
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "reasons[1].field");
    expect_error_field(&res, "reasons[2].reason");
    ck_assert_msg(strstr(res.body, "\"reasons[0].field\"") == NULL, "a good field refused: %s",
                  res.body);
    http_response_free(&res);
    expect_submission_row(id, "status", "submitted");
    expect_version_status(id, "1", "submitted");
}
END_TEST

START_TEST(test_cs_only_the_latest_submitted_version_is_decided_409)
{
    fx_person agency;
    fx_person tm;
    char id[FX_ID_MAX];
    http_response res;

    new_agency(&agency);
    new_team_member(&tm, "team_manager");
    submit_ok(&agency, NULL, id);
    res = new_version(&agency, agency.agency_id, id, profile());
    EXPECT_STATUS(res, 201);
    http_response_free(&res);

    /* version 1 was superseded by version 2 */
    res = accept_it(&tm, id, json_pack("{s:i}", "version", 1));
    expect_problem(&res, 409, "conflict");
    http_response_free(&res);
    res = give_back(&tm, id, json_pack("{s:[o], s:i}", "reasons", reason("postcode", "x"),
                                       "version", 1));
    expect_problem(&res, 409, "conflict");
    http_response_free(&res);
    res = accept_it(&tm, id, json_pack("{s:i}", "version", 3));
    expect_problem(&res, 409, "conflict");
    http_response_free(&res);
    ck_assert_int_eq(db_long("select count(*) from carers where agency_id = $1", 1,
                             agency.agency_id),
                     0);
    expect_version_status(id, "1", "superseded");

    /* version 2 returned: no longer open, neither to accepting nor to returning again */
    res = give_back(&tm, id, json_pack("{s:[o], s:i}", "reasons", reason("postcode", "x"),
                                       "version", 2));
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
    res = accept_it(&tm, id, NULL);
    expect_problem(&res, 409, "conflict");
    http_response_free(&res);
    res = give_back(&tm, id, json_pack("{s:[o]}", "reasons", reason("postcode", "y")));
    expect_problem(&res, 409, "conflict");
    http_response_free(&res);

    /* version 3 accepted once */
    res = new_version(&agency, agency.agency_id, id, profile());
    EXPECT_STATUS(res, 201);
    http_response_free(&res);
    res = accept_it(&tm, id, NULL);
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
    res = accept_it(&tm, id, NULL);
    expect_problem(&res, 409, "conflict");
    http_response_free(&res);
    res = give_back(&tm, id, json_pack("{s:[o]}", "reasons", reason("postcode", "z")));
    expect_problem(&res, 409, "conflict");
    http_response_free(&res);
    ck_assert_int_eq(db_long("select count(*) from carers where agency_id = $1", 1,
                             agency.agency_id),
                     1);
    expect_version_status(id, "2", "returned");
    expect_version_status(id, "3", "accepted");

    /* an unknown submission and a malformed id are 404 */
    res = accept_it(&tm, "6d2bd6f5-1f0e-4a7e-9d3c-000000000000", NULL);
    expect_problem(&res, 404, "not-found");
    http_response_free(&res);
    res = accept_it(&tm, "not-a-uuid", NULL);
    expect_problem(&res, 404, "not-found");
    http_response_free(&res);
}
END_TEST

/* Pages through GET /v1/carer-submissions?status=<status> as `who`; counts the items of
 * `agency_id`, and checks every item has that status and is listed once. */
static int team_list_count(const fx_person *who, const char *status, const char *agency_id,
                           const char *want_id)
{
    char after[256] = "";
    int found = 0;
    int pages = 0;

    do {
        http_response res = http_get(who->token, "/v1/carer-submissions?status=%s&limit=50%s%s",
                                     status, after[0] != '\0' ? "&after=" : "", after);
        json_t *next;
        size_t i;
        json_t *item;

        EXPECT_STATUS(res, 200);
        json_array_foreach(body_items(&res), i, item) {
            ck_assert_msg(json_member_is(item, "status", status), "%s listed under %s",
                          json_string_value(json_object_get(item, "status")), status);
            if (json_member_is(item, "agency_id", agency_id)) {
                found++;
                ck_assert_msg(want_id == NULL || json_member_is(item, "id", want_id),
                              "the wrong submission listed under %s", status);
            }
        }
        next = json_object_get(res.json, "next");
        after[0] = '\0';
        if (json_is_string(next)) {
            char *escaped = http_escape(json_string_value(next));

            snprintf(after, sizeof after, "%s", escaped);
            free(escaped);
        }
        http_response_free(&res);
    } while (after[0] != '\0' && ++pages < 1000);
    return found;
}

START_TEST(test_cs_lists_paginated)
{
    fx_person agency;
    fx_person other;
    fx_person ssw;
    char submitted[FX_ID_MAX];
    char returned[FX_ID_MAX];
    char accepted[FX_ID_MAX];
    char theirs[FX_ID_MAX];
    http_response res;
    http_response page2;
    char *escaped;

    new_agency(&agency);
    new_agency(&other);
    new_team_member(&ssw, "ssw");
    submit_ok(&agency, NULL, submitted);
    submit_ok(&agency, NULL, returned);
    submit_ok(&agency, NULL, accepted);
    submit_ok(&other, NULL, theirs);
    res = give_back(&ssw, returned, json_pack("{s:[o]}", "reasons", reason("address", "Which flat?")));
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
    res = accept_it(&ssw, accepted, NULL);
    EXPECT_STATUS(res, 200);
    http_response_free(&res);

    /* the agency's list, two at a time */
    res = http_get(agency.token, "/v1/agencies/%s/carer-submissions?limit=2", agency.agency_id);
    EXPECT_STATUS(res, 200);
    ck_assert_int_eq(json_array_size(body_items(&res)), 2);
    ck_assert_msg(json_is_string(json_object_get(res.json, "next")), "no next: %s", res.body);
    escaped = http_escape(json_string_value(json_object_get(res.json, "next")));
    page2 = http_get(agency.token, "/v1/agencies/%s/carer-submissions?limit=2&after=%s",
                     agency.agency_id, escaped);
    free(escaped);
    EXPECT_STATUS(page2, 200);
    ck_assert_int_eq(json_array_size(body_items(&page2)), 1);
    ck_assert_msg(json_is_null(json_object_get(page2.json, "next")), "next on the last page");
    ck_assert_msg(!items_contain(body_items(&page2), "id", theirs) &&
                      !items_contain(body_items(&res), "id", theirs),
                  "another agency's submission listed");
    http_response_free(&res);
    http_response_free(&page2);
    res = http_get(agency.token, "/v1/agencies/%s/carer-submissions?limit=0", agency.agency_id);
    expect_problem(&res, 400, "bad-request");
    http_response_free(&res);

    /* the fostering team's list of every agency's, by status */
    ck_assert_int_eq(team_list_count(&ssw, "submitted", agency.agency_id, submitted), 1);
    ck_assert_int_eq(team_list_count(&ssw, "returned", agency.agency_id, returned), 1);
    ck_assert_int_eq(team_list_count(&ssw, "accepted", agency.agency_id, accepted), 1);
    ck_assert_int_eq(team_list_count(&ssw, "submitted", other.agency_id, theirs), 1);
    res = http_get(ssw.token, "/v1/carer-submissions?status=pending");
    expect_problem(&res, 400, "bad-request");
    http_response_free(&res);
    res = http_get(ssw.token, "/v1/carer-submissions?limit=1");
    EXPECT_STATUS(res, 200);
    ck_assert_int_eq(json_array_size(body_items(&res)), 1);
    http_response_free(&res);

    /* and the agency's own list, read by the fostering team */
    res = http_get(ssw.token, "/v1/agencies/%s/carer-submissions", agency.agency_id);
    EXPECT_STATUS(res, 200);
    ck_assert_int_eq(json_array_size(body_items(&res)), 3);
    http_response_free(&res);
}
END_TEST

START_TEST(test_cs_audit_hides_the_profile)
{
    fx_person agency;
    fx_person tm;
    char id[FX_ID_MAX];
    http_response res;
    size_t i;
    json_t *item;
    int creations = 0;

    new_agency(&agency);
    new_team_member(&tm, "team_manager");
    submit_ok(&agency, NULL, id);
    res = accept_it(&tm, id, NULL);
    EXPECT_STATUS(res, 200);
    http_response_free(&res);

    /* the row keeps the values; the reader sees the field names only */
    ck_assert_int_eq(db_long("select count(*) from audit_log where resource_id = $1 and "
                             "changes #>> '{after,profile,carers,0,family_name}' = 'Carer'",
                             1, id),
                     1);
    res = http_get(fx_admin_token(), "/v1/audit?resource_type=carer_submission&resource_id=%s",
                   id);
    EXPECT_STATUS(res, 200);
    ck_assert_msg(strstr(res.body, "SW1A") == NULL && strstr(res.body, "Alex") == NULL,
                  "the audit reader shows the profile: %s", res.body);
    json_array_foreach(body_items(&res), i, item) {
        json_t *fields = json_object_get(json_object_get(item, "changes"), "fields");

        ck_assert_msg(json_is_array(fields), "changes without fields: %s", res.body);
        ck_assert_msg(json_object_get(json_object_get(item, "changes"), "after") == NULL,
                      "the audit reader shows the values: %s", res.body);
        if (json_integer_value(json_object_get(item, "status")) == 201) {
            size_t j;
            json_t *name;
            int profile_named = 0;

            creations++;
            json_array_foreach(fields, j, name) {
                if (strcmp(json_string_value(name), "profile") == 0)
                    profile_named = 1;
            }
            ck_assert_msg(profile_named, "the creation's fields do not name profile: %s",
                          res.body);
        }
    }
    ck_assert_int_eq(creations, 1);
    ck_assert_int_eq(json_array_size(body_items(&res)), 2);
    http_response_free(&res);
}
END_TEST

Suite *carer_submissions_suite(void)
{
    Suite *s = suite_create("carer_submissions");
    TCase *tc = tcase_create("carer_submissions");

    tcase_set_timeout(tc, TEST_TIMEOUT_SECONDS);
    tcase_add_test(tc, test_cs_agency_submits_201);
    tcase_add_test(tc, test_cs_agency_id_percent_encoded);
    tcase_add_test(tc, test_cs_profile_agency_id_is_the_paths);
    tcase_add_test(tc, test_cs_validation_names_each_field);
    tcase_add_test(tc, test_cs_other_agencys_submission_404);
    tcase_add_test(tc, test_cs_roles_403);
    tcase_add_test(tc, test_cs_every_version_kept);
    tcase_add_test(tc, test_cs_accept_creates_the_carer);
    tcase_add_test(tc, test_cs_later_acceptance_updates_the_same_carer);
    tcase_add_test(tc, test_cs_return_with_reasons_for_the_agency);
    tcase_add_test(tc, test_cs_return_reasons_validated);
    tcase_add_test(tc, test_cs_only_the_latest_submitted_version_is_decided_409);
    tcase_add_test(tc, test_cs_lists_paginated);
    tcase_add_test(tc, test_cs_audit_hides_the_profile);
    suite_add_tcase(s, tc);
    return s;
}
