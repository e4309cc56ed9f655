/*
 * test_submission.c - taking a match to panel and asking Part 1 for something (spec5):
 * the fee discussion with an independent fostering agency (M11); /submit and
 * POST /v1/panels/{id}/items with a match (M4: every missing item named in one answer; M11: an
 * agency carer's match refused until the fee discussion is recorded; P5: only a matching panel or
 * a permanence panel's Part 2 hears matches); Part 1 requests (P4: the documents named, and the
 * care-history explanation required when the child's placement ended unplanned within the last
 * 4 weeks, not when the ending is older); GET /v1/matches?panel_id=.
 *
 * Every scene is built through the API in a fresh team; the database is shared, so nothing here
 * depends on what other tests left behind.
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

/* A panel date nobody's M9 test uses (submission does not care about the date). */
#define PANEL_DATE "2299-06-15"

/* The panel items in the database whose `column` ("match_id", "child_id") is `id`. */
static long items_of(const char *column, const char *id)
{
    char sql[128];

    snprintf(sql, sizeof sql, "select count(*) from panel_items where %s::text = $1", column);
    return db_long(sql, 1, id);
}

/* The match's status in the database. */
static void expect_match_row(const char *match, const char *status)
{
    mfx_expect_row("matches", match, "status", status);
}

static void copy_id(char *dst, const http_response *res)
{
    snprintf(dst, FX_ID_MAX, "%s", body_string(res, "id"));
}

/* A match of the team (see mfx_match_make): `complete` for everything M4 asks, `propose` to
 * have the finder propose the carer. */
static void match_make(const mfx_scene *t, mfx_match *m, const char *agency, int complete,
                       int propose)
{
    mfx_match_make(t, m, agency, (complete ? MFX_COMPLETE : 0) | (propose ? MFX_PROPOSE : 0), NULL,
                   NULL);
}

/* Schedules a panel of `kind` (`part` 0: no part) as the team's panel administrator. */
static void panel_make(const mfx_scene *t, const char *kind, int part, char *id)
{
    json_t *body = json_pack("{s:s, s:s}", "date", PANEL_DATE, "kind", kind);

    if (part > 0)
        json_object_set_new(body, "part", json_integer(part));
    mfx_create(&t->padmin, body, "/v1/panels", id);
}

static http_response submit(const fx_person *who, const char *match, const char *panel)
{
    return http_post(who->token, json_pack("{s:s}", "panel_id", panel), "/v1/matches/%s/submit",
                     match);
}

static http_response fee(const fx_person *who, const char *match, json_t *body)
{
    return http_post(who->token, body, "/v1/matches/%s/fee-discussion", match);
}

static json_t *fee_body(void)
{
    return json_pack("{s:s, s:s, s:s}", "held_on", "2026-01-15", "agency_contact",
                     "Jo Fees, Brighter Futures IFA", "notes", "Weekly fee agreed");
}

/* Checks a 201 panel item for `match` on `panel` and writes its id into `item`. */
static void expect_match_item(const http_response *res, const char *panel, const mfx_match *m,
                              char *item)
{
    char location[2 * FX_ID_MAX + 32];

    EXPECT_STATUS(*res, 201);
    copy_id(item, res);
    snprintf(location, sizeof location, "/v1/panels/%s/items/%s", panel, item);
    expect_location(res, location);
    mfx_expect_at(res, "panel_id", panel);
    mfx_expect_at(res, "type", "match");
    mfx_expect_at(res, "match_id", m->match);
    mfx_expect_at(res, "child_id", m->child);
    mfx_expect_at(res, "carer_id", m->carer);
    mfx_expect_at(res, "status", "listed");
    mfx_expect_at(res, "papers_circulated_at", NULL);
    ck_assert_msg(json_integer_value(mfx_at(res->json, "part")) == 2, "a match is heard in Part 2");
    ck_assert_msg(json_is_null(mfx_at(res->json, "papers_on_time")) &&
                      json_is_false(mfx_at(res->json, "may_be_heard")) &&
                      json_is_null(mfx_at(res->json, "recommendation")),
                  "%s: a new item is not yet heard: %.800s", res->what, res->body);
}

/* GET the match as `who` and check it sits on `panel` as `item` with `status`. */
static void expect_match_on(const fx_person *who, const char *match, const char *panel,
                            const char *item, const char *status)
{
    http_response res = http_get(who->token, "/v1/matches/%s", match);

    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "status", status);
    mfx_expect_at(&res, "panel_id", panel);
    mfx_expect_at(&res, "panel_item_id", item);
    http_response_free(&res);
    expect_match_row(match, status);
}

START_TEST(test_m11_fee_discussion_recorded_for_agency_carer_only)
{
    mfx_scene t;
    mfx_match ifa, inhouse, searching;
    fx_person stranger;
    char agency[FX_ID_MAX];
    http_response res;

    mfx_scene_create(&t, 0);
    fx_unique(agency, sizeof agency, "ifa");
    match_make(&t, &ifa, agency, 0, 1);
    match_make(&t, &inhouse, NULL, 0, 1);
    match_make(&t, &searching, agency, 0, 0);
    fx_person_create(&stranger, "csw", NULL);

    res = fee(&t.finder, ifa.match, json_pack("{s:s}", "held_on", "2999-01-01"));
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "held_on");        /* not in the future */
    expect_error_field(&res, "agency_contact"); /* required */
    http_response_free(&res);
    /* the CSW sees the match but is not its finder; a stranger does not see it */
    mfx_expect_only(fee(&t.csw, ifa.match, fee_body()), 403, "forbidden");
    mfx_expect_only(fee(&stranger, ifa.match, fee_body()), 404, "not-found");
    mfx_expect_only(fee(&t.finder, searching.match, fee_body()), 409, "conflict"); /* no carer */
    res = fee(&t.tm, inhouse.match, fee_body()); /* the team manager may; the carer is in-house */
    mfx_expect_rule(&res, 422, "M11", NULL);
    ck_assert_int_eq(mfx_audit_rows(t.csw.id, "/fee-discussion", 403), 1);
    ck_assert_int_eq(mfx_audit_rows(t.finder.id, "/fee-discussion", 200), 0);
    mfx_expect_row("matches", ifa.match, "fee_discussion", NULL);
    mfx_expect_row("matches", inhouse.match, "fee_discussion", NULL);

    res = fee(&t.finder, ifa.match, fee_body());
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "id", ifa.match);
    mfx_expect_at(&res, "status", "proposed");
    mfx_expect_at(&res, "fee_discussion.held_on", "2026-01-15");
    mfx_expect_at(&res, "fee_discussion.agency_contact", "Jo Fees, Brighter Futures IFA");
    mfx_expect_at(&res, "fee_discussion.notes", "Weekly fee agreed");
    mfx_expect_at(&res, "fee_discussion.recorded_by", t.finder.id);
    ck_assert_msg(json_is_string(mfx_at(res.json, "fee_discussion.recorded_at")), "no recorded_at");
    http_response_free(&res);
    ck_assert_int_eq(mfx_audit_rows(t.finder.id, "/fee-discussion", 200), 1);
    mfx_expect_row("matches", ifa.match, "fee_discussion->>'held_on'", "2026-01-15");
    mfx_expect_row("matches", ifa.match, "fee_discussion->>'recorded_by'", t.finder.id);
    res = http_get(t.tm.token, "/v1/matches/%s", inhouse.match);
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "fee_discussion", NULL);
    http_response_free(&res);
    res = http_get(t.tm.token, "/v1/matches/%s", ifa.match);
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "fee_discussion.agency_contact", "Jo Fees, Brighter Futures IFA");
    http_response_free(&res);
}
END_TEST

START_TEST(test_m4_every_missing_item_named_then_submitted)
{
    mfx_scene t;
    mfx_match m;
    char panel[FX_ID_MAX], item[FX_ID_MAX], old_plan[FX_ID_MAX], new_plan[FX_ID_MAX];
    http_response res;
    json_t *docs;

    mfx_scene_create(&t, 0);
    match_make(&t, &m, NULL, 0, 1);
    panel_make(&t, "matching", 2, panel);

    res = submit(&t.finder, m.match, panel);
    mfx_expect_rule(&res, 422, "M4", "child.profile.history", "child.profile.strengths",
                    "child.profile.routines", "child.profile.health", "child.profile.education",
                    "child.profile.identity", "child.profile.risks", "carer.background",
                    "carer.skills", "carer.home_environment", "carer.supports", "matching_report",
                    "fostering_household_review", "support_plan", NULL);
    expect_match_row(m.match, "proposed");

    /* an empty section or list is missing too, and so is every area the plan lacks */
    res = http_patch(t.csw.token, "\"1\"",
                     json_pack("{s:{s:s, s:s, s:s, s:s, s:s, s:s, s:s}}", "profile", "history", "h",
                               "strengths", "s", "routines", "r", "health", "h", "education", "e",
                               "identity", "i", "risks", ""),
                     "/v1/children/%s", m.child);
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
    res = http_patch(t.tm.token, "\"1\"",
                     json_pack("{s:s, s:[], s:s, s:s}", "background", "b", "skills",
                               "home_environment", "h", "supports", "s"),
                     "/v1/carers/%s", m.carer);
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
    mfx_document(&t.csw, "children", m.child, "matching_report", "2025-03-01", -1, NULL);
    mfx_document(&t.tm, "carers", m.carer, "fostering_household_review", "2025-03-01", -1, NULL);
    mfx_document(&t.csw, "children", m.child, "support_plan", "2025-03-01", 3, old_plan);
    res = http_post(t.csw.token,
                    json_pack("{s:s, s:s, s:s, s:s, s:[s]}", "type", "cpr", "title", "CPR", "date",
                              "2025-03-01", "external_document_id", "X", "covers", "health"),
                    "/v1/children/%s/documents", m.child);
    expect_problem(&res, 422, "validation"); /* covers belongs to support plans only */
    expect_error_field(&res, "covers");
    http_response_free(&res);

    res = submit(&t.tm, m.match, panel);
    mfx_expect_rule(&res, 422, "M4", "child.profile.risks", "carer.skills",
                    "support_plan.covers.short_breaks", "support_plan.covers.peer_support",
                    "support_plan.covers.training", NULL);
    expect_match_row(m.match, "proposed");
    ck_assert_int_eq(items_of("match_id", m.match), 0);

    res = http_patch(t.csw.token, "\"2\"", json_pack("{s:{s:s}}", "profile", "risks", "None"),
                     "/v1/children/%s", m.child);
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
    res = http_patch(t.tm.token, "\"2\"", json_pack("{s:[s]}", "skills", "patience"),
                     "/v1/carers/%s", m.carer);
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
    mfx_document(&t.csw, "children", m.child, "support_plan", "2025-04-01", 6, new_plan);
    res = http_get(t.csw.token, "/v1/children/%s/documents?type=support_plan", m.child);
    EXPECT_STATUS(res, 200);
    ck_assert_int_eq(json_array_size(json_object_get(
                         json_array_get(json_object_get(res.json, "items"), 0), "covers")),
                     6);
    http_response_free(&res);

    res = submit(&t.finder, m.match, panel);
    expect_match_item(&res, panel, &m, item);
    docs = json_object_get(res.json, "documents"); /* the newest of each type on both files */
    ck_assert_msg(json_array_size(docs) == 5, "expected 5 documents: %s", res.body);
    ck_assert_msg(items_contain(docs, "id", new_plan) && !items_contain(docs, "id", old_plan),
                  "the item keeps only the newest support plan: %s", res.body);
    http_response_free(&res);
    expect_match_on(&t.finder, m.match, panel, item, "submitted");
    ck_assert_int_eq(mfx_audit_rows(t.finder.id, "/submit", 201), 1);

    ck_assert_int_eq(items_of("match_id", m.match), 1);
    mfx_expect_only(submit(&t.finder, m.match, panel), 409, "conflict"); /* no longer proposed */
    res = http_get(t.padmin.token, "/v1/panels/%s/items", panel);
    EXPECT_STATUS(res, 200);
    ck_assert_int_eq(json_array_size(json_object_get(res.json, "items")), 1);
    ck_assert_msg(items_contain(json_object_get(res.json, "items"), "id", item), "item listed");
    http_response_free(&res);
}
END_TEST

START_TEST(test_m11_agency_carer_refused_until_fee_discussion)
{
    mfx_scene t;
    mfx_match m;
    char agency[FX_ID_MAX], panel[FX_ID_MAX], item[FX_ID_MAX];
    http_response res;

    mfx_scene_create(&t, 0);
    fx_unique(agency, sizeof agency, "ifa");
    match_make(&t, &m, agency, 1, 1);
    panel_make(&t, "permanence", 2, panel);

    res = submit(&t.finder, m.match, panel);
    mfx_expect_rule(&res, 422, "M11", "fee_discussion", NULL);
    res = http_post(t.padmin.token, json_pack("{s:s}", "match_id", m.match), "/v1/panels/%s/items",
                    panel);
    mfx_expect_rule(&res, 422, "M11", "fee_discussion", NULL);
    expect_match_row(m.match, "proposed");
    ck_assert_int_eq(items_of("match_id", m.match), 0);

    res = fee(&t.finder, m.match, fee_body());
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
    res = submit(&t.finder, m.match, panel);
    expect_match_item(&res, panel, &m, item);
    http_response_free(&res);
    expect_match_on(&t.tm, m.match, panel, item, "submitted");
}
END_TEST

START_TEST(test_p5_matches_go_to_matching_panels_or_part_2)
{
    mfx_scene t;
    mfx_match m;
    char part1[FX_ID_MAX], unparted[FX_ID_MAX], item[FX_ID_MAX], unknown[FX_ID_MAX];
    http_response res;

    mfx_scene_create(&t, 0);
    match_make(&t, &m, NULL, 1, 1);
    panel_make(&t, "permanence", 1, part1);
    panel_make(&t, "permanence", 0, unparted);
    snprintf(unknown, sizeof unknown, "%s", "7d1e2b8a-9c3f-4e5d-8a6b-0c1d2e3f4a5b");

    res = submit(&t.finder, m.match, part1);
    mfx_expect_rule(&res, 422, "P5", NULL);
    res = submit(&t.finder, m.match, unknown);
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "panel_id");
    http_response_free(&res);
    /* the CSW sees the match, but is neither its finder nor a team manager */
    mfx_expect_only(submit(&t.csw, m.match, unparted), 403, "forbidden");
    mfx_expect_only(http_post(t.finder.token, json_pack("{s:s}", "match_id", m.match),
                              "/v1/panels/%s/items", unparted), /* the panel admin's route */
                    403, "forbidden");
    res = http_post(t.padmin.token, json_pack("{s:s}", "match_id", unknown), "/v1/panels/%s/items",
                    unparted);
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "match_id");
    http_response_free(&res);
    mfx_expect_only(http_post(t.padmin.token, json_pack("{s:s}", "match_id", m.match),
                              "/v1/panels/%s/items", unknown),
                    404, "not-found");
    res = http_post(t.padmin.token, json_pack("{s:s}", "match_id", m.match), "/v1/panels/%s/items",
                    part1);
    mfx_expect_rule(&res, 422, "P5", NULL);
    expect_match_row(m.match, "proposed");
    ck_assert_int_eq(items_of("match_id", m.match), 0);

    res = http_post(t.padmin.token, json_pack("{s:s}", "match_id", m.match), "/v1/panels/%s/items",
                    unparted); /* a permanence panel with no part hears */
    expect_match_item(&res, unparted, &m, item);
    http_response_free(&res);
    expect_match_on(&t.finder, m.match, unparted, item, "submitted");
    ck_assert_int_eq(mfx_audit_rows(t.padmin.id, "/items", 201), 1);
}
END_TEST

/* A child of the team placed with a new carer from 2021-03-01 until `days_ago` days before
 * today (London), the ending unplanned (CREQB: the carer asked, the child's behaviour). */
static void child_with_unplanned_ending(const mfx_scene *t, int days_ago, char *child)
{
    char carer[FX_ID_MAX], placement[FX_ID_MAX], days[16];
    char *ended;

    snprintf(days, sizeof days, "%d", days_ago);
    ended = db_text("select to_char(london_today() - $1::int, 'YYYY-MM-DD')", 1, days);
    fx_child_create(&t->csw, child);
    fx_carer_create(&t->tm, NULL, "approved", 2, carer);
    fx_placement_create(&t->csw, child, carer, "2021-03-01", placement);
    fx_placement_end(&t->csw, placement, ended, "CREQB");
    mfx_expect_row("placements", placement, "unplanned", "true");
    free(ended);
}

static void part1_documents(const mfx_scene *t, const char *child)
{
    mfx_document(&t->csw, "children", child, "permanence_plan", "2025-05-01", -1, NULL);
    mfx_document(&t->csw, "children", child, "ppm_minutes", "2025-05-01", -1, NULL);
    mfx_document(&t->csw, "children", child, "panel_request_form", "2025-05-01", -1, NULL);
}

#define EXPLANATION "Two carers asked for moves after school exclusions"

/* A Part 1 request for `child` (`explanation` NULL: none) as `who`. */
static http_response part1(const fx_person *who, const char *panel, const char *child,
                           const char *explanation)
{
    json_t *body = json_pack("{s:s, s:s, s:s}", "type", "home_search", "child_id", child, "summary",
                             "Third move this year; a home search is requested");

    if (explanation != NULL)
        json_object_set_new(body, "care_history_explanation", json_string(explanation));
    return http_post(who->token, body, "/v1/panels/%s/items", panel);
}

START_TEST(test_p4_part1_request_names_missing_papers_and_care_history)
{
    mfx_scene t;
    fx_person stranger;
    char child[FX_ID_MAX], panel[FX_ID_MAX], matching[FX_ID_MAX], item[FX_ID_MAX];
    char location[2 * FX_ID_MAX + 32];
    http_response res;

    mfx_scene_create(&t, 0);
    fx_person_create(&stranger, "csw", NULL);
    child_with_unplanned_ending(&t, 10, child);
    panel_make(&t, "permanence", 1, panel);
    panel_make(&t, "matching", 0, matching);

    res = part1(&t.csw, panel, child, NULL);
    mfx_expect_rule(&res, 422, "P4", "permanence_plan", "ppm_minutes", "panel_request_form",
                    "care_history_explanation", NULL);
    mfx_expect_only(part1(&stranger, panel, child, "x"), 404, "not-found");
    ck_assert_int_eq(mfx_audit_rows(stranger.id, "/items", 404), 1);
    res = part1(&t.padmin, panel, "7d1e2b8a-9c3f-4e5d-8a6b-0c1d2e3f4a5b", "x");
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "child_id");
    http_response_free(&res);
    res = http_post(t.csw.token, json_pack("{s:s, s:s}", "type", "home_search", "child_id", child),
                    "/v1/panels/%s/items", panel);
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "summary");
    http_response_free(&res);

    part1_documents(&t, child);
    res = part1(&t.csw, panel, child, "");
    mfx_expect_rule(&res, 422, "P4", "care_history_explanation", NULL);
    res = part1(&t.csw, matching, child, EXPLANATION);
    mfx_expect_rule(&res, 422, "P5", NULL);
    ck_assert_int_eq(items_of("child_id", child), 0);

    res = part1(&t.csw, panel, child, EXPLANATION);
    EXPECT_STATUS(res, 201);
    copy_id(item, &res);
    snprintf(location, sizeof location, "/v1/panels/%s/items/%s", panel, item);
    expect_location(&res, location);
    mfx_expect_at(&res, "type", "home_search");
    mfx_expect_at(&res, "child_id", child);
    mfx_expect_at(&res, "match_id", NULL);
    mfx_expect_at(&res, "carer_id", NULL);
    mfx_expect_at(&res, "status", "listed");
    mfx_expect_at(&res, "summary", "Third move this year; a home search is requested");
    mfx_expect_at(&res, "care_history_explanation", EXPLANATION);
    ck_assert_msg(json_integer_value(mfx_at(res.json, "part")) == 1, "a request is Part 1");
    http_response_free(&res);
    ck_assert_int_eq(mfx_audit_rows(t.csw.id, "/items", 201), 1);
    mfx_expect_row("panel_items", item, "care_history_explanation", EXPLANATION);
    res = http_get(t.padmin.token, "/v1/panels/%s/items/%s", panel, item);
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "papers.child.id", child);
    mfx_expect_at(&res, "papers.carer", NULL);
    mfx_expect_at(&res, "papers.family_finding", NULL);
    http_response_free(&res);
}
END_TEST

START_TEST(test_p4_care_history_only_for_an_ending_in_the_last_4_weeks)
{
    mfx_scene t;
    char recent[FX_ID_MAX], older[FX_ID_MAX], panel[FX_ID_MAX];
    http_response res;

    mfx_scene_create(&t, 0);
    child_with_unplanned_ending(&t, 28, recent); /* today - 28 days: still within 4 weeks */
    child_with_unplanned_ending(&t, 29, older);  /* a day older: outside them */
    part1_documents(&t, recent);
    part1_documents(&t, older);
    panel_make(&t, "permanence", 0, panel);

    res = part1(&t.tm, panel, recent, NULL); /* a team manager of the child's team may ask */
    mfx_expect_rule(&res, 422, "P4", "care_history_explanation", NULL);
    res = part1(&t.tm, panel, older, NULL);
    EXPECT_STATUS(res, 201);
    mfx_expect_at(&res, "child_id", older);
    mfx_expect_at(&res, "care_history_explanation", NULL);
    http_response_free(&res);
    ck_assert_int_eq(mfx_audit_rows(t.tm.id, "/items", 201), 1);
    ck_assert_int_eq(items_of("child_id", recent), 0);
    ck_assert_int_eq(items_of("child_id", older), 1);
}
END_TEST

START_TEST(test_matches_listed_by_panel)
{
    mfx_scene t;
    mfx_match a, b, c;
    char panel[FX_ID_MAX], other[FX_ID_MAX], item[FX_ID_MAX];
    http_response res;
    json_t *items;

    mfx_scene_create(&t, 0);
    match_make(&t, &a, NULL, 1, 1);
    match_make(&t, &b, NULL, 1, 1);
    match_make(&t, &c, NULL, 1, 1);
    panel_make(&t, "matching", 0, panel);
    panel_make(&t, "matching", 0, other);
    res = submit(&t.finder, a.match, panel);
    expect_match_item(&res, panel, &a, item);
    http_response_free(&res);
    res = submit(&t.finder, b.match, other);
    EXPECT_STATUS(res, 201);
    http_response_free(&res);

    res = http_get(t.tm.token, "/v1/matches?panel_id=%s", panel);
    EXPECT_STATUS(res, 200);
    items = json_object_get(res.json, "items");
    ck_assert_msg(json_array_size(items) == 1 && items_contain(items, "id", a.match),
                  "only the match heard at the panel: %s", res.body);
    ck_assert_msg(json_member_is(json_array_get(items, 0), "panel_item_id", item),
                  "the listed match names its item: %s", res.body);
    http_response_free(&res);
    res = http_get(t.tm.token, "/v1/matches?panel_id=%s&status=submitted", other);
    EXPECT_STATUS(res, 200);
    items = json_object_get(res.json, "items");
    ck_assert_msg(json_array_size(items) == 1 && items_contain(items, "id", b.match),
                  "the other panel's match: %s", res.body);
    http_response_free(&res);
    res = http_get(t.tm.token, "/v1/matches?panel_id=%s&status=recommended", other);
    EXPECT_STATUS(res, 200); /* every status of the lifecycle is a filter */
    ck_assert_int_eq(json_array_size(json_object_get(res.json, "items")), 0);
    http_response_free(&res);
    res = http_get(t.tm.token, "/v1/matches?panel_id=%s&status=heard", panel);
    expect_problem(&res, 400, "bad-request");
    http_response_free(&res);
    expect_match_row(c.match, "proposed");
}
END_TEST

Suite *submission_suite(void)
{
    Suite *s = suite_create("submission");
    TCase *tc = tcase_create("submission");

    tcase_set_timeout(tc, TEST_TIMEOUT_SECONDS);
    tcase_add_test(tc, test_m11_fee_discussion_recorded_for_agency_carer_only);
    tcase_add_test(tc, test_m4_every_missing_item_named_then_submitted);
    tcase_add_test(tc, test_m11_agency_carer_refused_until_fee_discussion);
    tcase_add_test(tc, test_p5_matches_go_to_matching_panels_or_part_2);
    tcase_add_test(tc, test_p4_part1_request_names_missing_papers_and_care_history);
    tcase_add_test(tc, test_p4_care_history_only_for_an_ending_in_the_last_4_weeks);
    tcase_add_test(tc, test_matches_listed_by_panel);
    suite_add_tcase(s, tc);
    return s;
}
