/*
 * test_access.c - who may see what: access follows allocations, teams, placements and agencies;
 * a private record answers 404 (and the refusal is audited, R1); admin gets 403 on case records;
 * list endpoints return only what the caller may see.
 */
#include "db.h"
#include "expect.h"
#include "fixtures.h"
#include "http_client.h"
#include "suites.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

/* Audit rows with HTTP status `status`, subject `sub` and resource `resource_id`. */
static long audit_rows(const char *status, const char *sub, const char *resource_id)
{
    return db_long("select count(*) from audit_log where status = $1::int and sub = $2 "
                   "and resource_id::text = $3", 3, status, sub, resource_id);
}

/* GETs /v1/<collection>/<id> as `token` and expects `status` (a problem unless 200). */
static void expect_get(const char *token, const char *collection, const char *id, int status)
{
    http_response res = http_get(token, "/v1/%s/%s", collection, id);

    if (status == 200) {
        EXPECT_STATUS(res, 200);
        expect_json_string(&res, "id", id);
    } else {
        expect_problem(&res, status, status == 404 ? "not-found" : "forbidden");
    }
    http_response_free(&res);
}

START_TEST(test_access_csw_other_child_404_audited)
{
    char team[FX_ID_MAX];
    char child[FX_ID_MAX];
    fx_person a;
    fx_person b;
    http_response patch;
    char *given;

    fx_unique(team, sizeof team, "team");
    fx_person_create(&a, "csw", team);
    fx_person_create(&b, "csw", team); /* same team: access is by allocation, not by team */
    fx_child_create(&a, child);

    expect_get(a.token, "children", child, 200);
    ck_assert_int_eq(audit_rows("404", b.id, child), 0);
    expect_get(b.token, "children", child, 404);
    ck_assert_int_eq(audit_rows("404", b.id, child), 1);

    patch = http_patch(b.token, "\"1\"", json_pack("{s:s}", "given_name", "Hijacked"),
                       "/v1/children/%s", child);
    expect_problem(&patch, 404, "not-found");
    given = db_text("select doc->>'given_name' from children where id::text = $1", 1, child);
    ck_assert_str_eq(given, "Sam");
    free(given);
    ck_assert_int_eq(audit_rows("404", b.id, child), 2);
    http_response_free(&patch);
}
END_TEST

START_TEST(test_access_team_manager_other_team_404)
{
    char team1[FX_ID_MAX];
    char team2[FX_ID_MAX];
    char child[FX_ID_MAX];
    fx_person tm1;
    fx_person tm2;

    fx_unique(team1, sizeof team1, "team");
    fx_unique(team2, sizeof team2, "team");
    fx_person_create(&tm1, "team_manager", team1);
    fx_person_create(&tm2, "team_manager", team2);
    fx_child_create(&tm1, child);

    expect_get(tm1.token, "children", child, 200);
    expect_get(tm2.token, "children", child, 404);
    ck_assert_int_eq(audit_rows("404", tm2.id, child), 1);
}
END_TEST

START_TEST(test_access_admin_case_records_403)
{
    char team[FX_ID_MAX];
    char child[FX_ID_MAX];
    char carer[FX_ID_MAX];
    char family[FX_ID_MAX];
    fx_person tm;
    http_response create;
    http_response list;

    fx_unique(team, sizeof team, "team");
    fx_unique(family, sizeof family, "ByAdmin");
    fx_person_create(&tm, "team_manager", team);
    fx_child_create(&tm, child);
    fx_carer_create(&tm, NULL, "approved", 1, carer);

    expect_get(fx_admin_token(), "children", child, 403);
    expect_get(fx_admin_token(), "carers", carer, 403);
    create = http_post(fx_admin_token(), fx_child_body(family), "/v1/children");
    expect_problem(&create, 403, "forbidden");
    list = http_get(fx_admin_token(), "/v1/children");
    expect_problem(&list, 403, "forbidden");
    ck_assert_int_eq(db_long("select count(*) from children where doc->>'family_name' = $1", 1,
                             family), 0);
    http_response_free(&create);
    http_response_free(&list);
}
END_TEST

START_TEST(test_access_other_roles_403)
{
    static const char *const roles[] = {"panel_member", "chair", "voice_ambassador", "adm",
                                        "panel_admin"};
    char team[FX_ID_MAX];
    size_t i;

    fx_unique(team, sizeof team, "team");
    for (i = 0; i < sizeof roles / sizeof roles[0]; i++) {
        fx_person p;
        http_response children;
        http_response carers;

        fx_person_create(&p, roles[i], team);
        children = http_get(p.token, "/v1/children");
        carers = http_get(p.token, "/v1/carers");
        expect_problem(&children, 403, "forbidden");
        expect_problem(&carers, 403, "forbidden");
        http_response_free(&children);
        http_response_free(&carers);
    }
}
END_TEST

START_TEST(test_access_agency_sees_only_own_carers)
{
    char team[FX_ID_MAX];
    char agency_a[FX_ID_MAX];
    char agency_b[FX_ID_MAX];
    char carer_a[FX_ID_MAX];
    char carer_b[FX_ID_MAX];
    char carer_in_house[FX_ID_MAX];
    fx_person tm;
    fx_person a;
    http_response list;
    json_t *items;
    json_t *item;
    size_t i;

    fx_unique(team, sizeof team, "team");
    fx_unique(agency_a, sizeof agency_a, "agency");
    fx_unique(agency_b, sizeof agency_b, "agency");
    fx_person_create(&tm, "team_manager", team);
    fx_agency_create(&a, agency_a);
    fx_carer_create(&tm, agency_a, "approved", 2, carer_a);
    fx_carer_create(&tm, agency_b, "approved", 2, carer_b);
    fx_carer_create(&tm, NULL, "approved", 2, carer_in_house);

    expect_get(a.token, "carers", carer_a, 200);
    expect_get(a.token, "carers", carer_b, 404);
    expect_get(a.token, "carers", carer_in_house, 404);
    ck_assert_int_eq(audit_rows("404", a.id, carer_b), 1);

    list = http_get(a.token, "/v1/carers?limit=200");
    EXPECT_STATUS(list, 200);
    items = body_items(&list);
    ck_assert_msg(items_contain(items, "id", carer_a), "own carer missing from the list");
    json_array_foreach(items, i, item)
        ck_assert_msg(json_member_is(item, "agency_id", agency_a),
                      "agency list holds another agency's carer: %s", list.body);
    http_response_free(&list);
}
END_TEST

START_TEST(test_access_ssw_follows_open_placement)
{
    char team[FX_ID_MAX];
    char child[FX_ID_MAX];
    char carer[FX_ID_MAX];
    char placement[FX_ID_MAX];
    fx_person tm;
    fx_person ssw;
    fx_person other_ssw;

    fx_unique(team, sizeof team, "team");
    fx_person_create(&tm, "team_manager", team);
    fx_person_create(&ssw, "ssw", team);
    fx_person_create(&other_ssw, "ssw", team);
    fx_carer_create(&tm, NULL, "approved", 2, carer);
    fx_carer_allocate(&tm, carer, ssw.id);
    fx_child_create(&tm, child);

    expect_get(ssw.token, "carers", carer, 200);
    expect_get(other_ssw.token, "carers", carer, 404);
    expect_get(ssw.token, "children", child, 404); /* not placed yet */

    fx_placement_create(&tm, child, carer, FX_PLACEMENT_START, placement);
    expect_get(ssw.token, "children", child, 200);
    expect_get(ssw.token, "placements", placement, 200);
    expect_get(other_ssw.token, "children", child, 404);

    fx_placement_end(&tm, placement, "2022-01-01", "CARPL");
    expect_get(ssw.token, "children", child, 404);
    ck_assert_int_eq(audit_rows("404", ssw.id, child), 2);
    expect_get(ssw.token, "carers", carer, 200);
}
END_TEST

START_TEST(test_access_csw_reads_carer_of_open_placement)
{
    char team[FX_ID_MAX];
    char child[FX_ID_MAX];
    char carer[FX_ID_MAX];
    char placement[FX_ID_MAX];
    fx_person tm;
    fx_person csw;
    fx_person other_csw;

    fx_unique(team, sizeof team, "team");
    fx_person_create(&tm, "team_manager", team);
    fx_person_create(&csw, "csw", team);
    fx_person_create(&other_csw, "csw", team);
    fx_carer_create(&tm, NULL, "approved", 2, carer);
    fx_child_create(&csw, child);

    expect_get(csw.token, "carers", carer, 404);
    fx_placement_create(&csw, child, carer, FX_PLACEMENT_START, placement);
    expect_get(csw.token, "carers", carer, 200);
    expect_get(other_csw.token, "carers", carer, 404);
}
END_TEST

START_TEST(test_access_iro_by_allocation)
{
    char team[FX_ID_MAX];
    char child[FX_ID_MAX];
    fx_person tm;
    fx_person iro;
    fx_person other_iro;
    fx_person csw;
    http_response wrong_role;

    fx_unique(team, sizeof team, "team");
    fx_person_create(&tm, "team_manager", team);
    fx_person_create(&iro, "iro", team);
    fx_person_create(&other_iro, "iro", team);
    fx_person_create(&csw, "csw", team);
    fx_child_create(&tm, child);

    expect_get(iro.token, "children", child, 404);
    fx_child_allocate(&tm, child, iro.id, "iro");
    expect_get(iro.token, "children", child, 200);
    expect_get(other_iro.token, "children", child, 404);
    ck_assert_int_eq(db_long("select count(*) from allocations where child_id::text = $1 "
                             "and person_id = $2 and role = 'iro'", 2, child, iro.id), 1);

    /* The person must hold the role being allocated. */
    wrong_role = http_post(tm.token, json_pack("{s:s, s:s}", "person_id", csw.id, "role", "iro"),
                           "/v1/children/%s/allocations", child);
    expect_problem(&wrong_role, 422, "validation");
    ck_assert_int_eq(db_long("select count(*) from allocations where child_id::text = $1 "
                             "and person_id = $2", 2, child, csw.id), 0);
    http_response_free(&wrong_role);
}
END_TEST

/* Returns the number of items in GET /v1/children?limit=200 as `token`; `must_have` must be in. */
static size_t visible_children(const char *token, const char *must_have, const char *must_not)
{
    http_response res = http_get(token, "/v1/children?limit=200");
    json_t *items;
    size_t n;

    EXPECT_STATUS(res, 200);
    items = body_items(&res);
    if (must_have != NULL)
        ck_assert_msg(items_contain(items, "id", must_have), "visible child %s not listed",
                      must_have);
    if (must_not != NULL)
        ck_assert_msg(!items_contain(items, "id", must_not), "private child %s listed", must_not);
    n = json_array_size(items);
    http_response_free(&res);
    return n;
}

START_TEST(test_access_lists_only_visible_children)
{
    char team[FX_ID_MAX];
    char other_team[FX_ID_MAX];
    char child_a[FX_ID_MAX];
    char child_b[FX_ID_MAX];
    fx_person a;
    fx_person b;
    fx_person tm;
    fx_person other_tm;

    fx_unique(team, sizeof team, "team");
    fx_unique(other_team, sizeof other_team, "team");
    fx_person_create(&a, "csw", team);
    fx_person_create(&b, "csw", team);
    fx_person_create(&tm, "team_manager", team);
    fx_person_create(&other_tm, "team_manager", other_team);
    fx_child_create(&a, child_a);
    fx_child_create(&b, child_b);

    ck_assert_uint_eq(visible_children(a.token, child_a, child_b), 1);
    ck_assert_uint_eq(visible_children(b.token, child_b, child_a), 1);
    ck_assert_uint_eq(visible_children(tm.token, child_a, NULL), 2);
    ck_assert_uint_eq(visible_children(tm.token, child_b, NULL), 2);
    ck_assert_uint_eq(visible_children(other_tm.token, NULL, child_a), 0);
}
END_TEST

Suite *access_suite(void)
{
    Suite *s = suite_create("access");
    TCase *tc = tcase_create("access");

    tcase_set_timeout(tc, TEST_TIMEOUT_SECONDS);
    tcase_add_test(tc, test_access_csw_other_child_404_audited);
    tcase_add_test(tc, test_access_team_manager_other_team_404);
    tcase_add_test(tc, test_access_admin_case_records_403);
    tcase_add_test(tc, test_access_other_roles_403);
    tcase_add_test(tc, test_access_agency_sees_only_own_carers);
    tcase_add_test(tc, test_access_ssw_follows_open_placement);
    tcase_add_test(tc, test_access_csw_reads_carer_of_open_placement);
    tcase_add_test(tc, test_access_iro_by_allocation);
    tcase_add_test(tc, test_access_lists_only_visible_children);
    suite_add_tcase(s, tc);
    return s;
}
