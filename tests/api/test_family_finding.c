/*
 * test_family_finding.c - family finding (issue 10): GET /v1/children/{id}/candidate-carers on
 * a hand-built register of 20 carers where each hard limit excludes exactly one carer and each
 * soft factor moves a carer in the order as stated here; a sibling group of three searched for
 * as one; the age limit on the child's birthday; the search kept with a proposed match; and who
 * is refused (an agency among them).
 *
 * The database is shared with every other suite, so the register also holds their carers: the
 * tests look at their own carers' places relative to each other, never at absolute positions.
 */
#include "db.h"
#include "expect.h"
#include "fixtures.h"
#include "http_client.h"
#include "family_fixtures.h"
#include "match_fixtures.h"
#include "suites.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REGISTER_SIZE 20

/* The child of the register test: 7, needs therapeutic parenting, wants a dog (and something
 * the search cannot check), goes to school in SN1, speaks Polish, Muslim, Pakistani. */
static json_t *searched_child_record(void)
{
    return json_pack("{s:[s], s:s, s:s, s:[s], s:s, s:s, s:[{s:s, s:s, s:s}, {s:s, s:s}]}", "needs",
                     "therapeutic_parenting", "school_area", "SN1", "home_area", "SN1 4BB",
                     "languages", "Polish", "religion", "Muslim", "ethnicity", "Pakistani",
                     "wishes", "kind", "pet", "pet", "dog", "in_their_words", "wants a dog", "kind",
                     "other", "in_their_words", "wants to keep seeing my mum");
}

static int id_compare(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* Sorts the ids of `group` (n of them, tied on every factor) as the search breaks the tie. */
static void sort_ids(char (*group)[FX_ID_MAX], size_t n)
{
    qsort(group, n, FX_ID_MAX, id_compare);
}

/* The register of 20: see each carer's comment. */
typedef struct register_scene {
    mfx_scene s;
    fx_person agency;
    char child[FX_ID_MAX], other_child[FX_ID_MAX];
    /* hard limits: each excludes exactly one */
    char suspended[FX_ID_MAX], short_term[FX_ID_MAX], too_young[FX_ID_MAX], full[FX_ID_MAX],
        kin_of_other[FX_ID_MAX];
    /* candidates: best[] tie on every factor; ifa[] tie as agency carers */
    char best[3][FX_ID_MAX], ifa[2][FX_ID_MAX];
    char other_faith[FX_ID_MAX], other_faith_and_heritage[FX_ID_MAX], no_polish[FX_ID_MAX];
    char same_area[FX_ID_MAX], other_area[FX_ID_MAX], no_postcode[FX_ID_MAX];
    char no_dog[FX_ID_MAX], no_skill[FX_ID_MAX], no_skill_ifa[FX_ID_MAX],
        no_skill_no_dog[FX_ID_MAX];
} register_scene;

/* An agency's carer accepted through a submission: the carer an acceptance creates. */
static void accepted_agency_carer(register_scene *g, char *id)
{
    json_t *profile = ffx_ideal_carer();
    char submission[FX_ID_MAX];
    http_response res;

    json_object_del(profile, "agency_id");
    res = http_post(g->agency.token, profile, "/v1/agencies/%s/carer-submissions",
                    g->agency.agency_id);
    EXPECT_STATUS(res, 201);
    snprintf(submission, sizeof submission, "%s", body_string(&res, "id"));
    http_response_free(&res);
    res = http_post(g->s.tm.token, json_object(), "/v1/carer-submissions/%s/accept", submission);
    EXPECT_STATUS(res, 200);
    snprintf(id, FX_ID_MAX, "%s", body_string(&res, "carer_id"));
    http_response_free(&res);
}

static void register_create(register_scene *g)
{
    const mfx_scene *s = &g->s;
    char agency[FX_ID_MAX];
    char born[FX_ID_MAX];
    char placement[FX_ID_MAX];

    mfx_scene_create(&g->s, 0);
    fx_unique(agency, sizeof agency, "ifa");
    fx_agency_create(&g->agency, agency);
    ffx_date_before_today("7 years 2 months", born);
    ffx_make_child(s, born, searched_child_record(), g->child);
    ffx_make_child(s, born, NULL, g->other_child);

    /* hard limits */
    mfx_create(
        &s->tm,
        ffx_with_approval(ffx_with_approval(ffx_ideal_carer(), "status", json_string("suspended")),
                          "approved_on", json_null()),
        "/v1/carers", g->suspended);
    mfx_create(&s->tm, ffx_with_approval(ffx_ideal_carer(), "long_term", json_false()),
               "/v1/carers", g->short_term);
    mfx_create(&s->tm, ffx_with_approval(ffx_ideal_carer(), "age_to", json_integer(5)),
               "/v1/carers", g->too_young);
    mfx_create(&s->tm, ffx_with_approval(ffx_ideal_carer(), "max_children", json_integer(1)),
               "/v1/carers", g->full);
    fx_placement_create(&s->csw, g->other_child, g->full, FX_PLACEMENT_START, placement);
    mfx_create(
        &s->tm,
        ffx_with_approval(ffx_ideal_carer(), "connected_person_for", json_string(g->other_child)),
        "/v1/carers", g->kin_of_other);

    /* candidates */
    mfx_create(&s->tm, ffx_ideal_carer(), "/v1/carers", g->best[0]);
    mfx_create(&s->tm, ffx_ideal_carer(), "/v1/carers", g->best[1]);
    mfx_create(&s->tm,
               ffx_with(ffx_ideal_carer(), json_pack("{s:[s]}", "skills", "Therapeutic-Parenting")),
               "/v1/carers", g->best[2]);
    mfx_create(&s->tm, ffx_with(ffx_ideal_carer(), json_pack("{s:s}", "agency_id", agency)),
               "/v1/carers", g->ifa[0]);
    accepted_agency_carer(g, g->ifa[1]);
    mfx_create(&s->tm, ffx_with(ffx_ideal_carer(), json_pack("{s:s}", "religion", "Christian")),
               "/v1/carers", g->other_faith);
    mfx_create(&s->tm,
               ffx_with(ffx_ideal_carer(), json_pack("{s:s, s:[s]}", "religion", "Christian",
                                                     "ethnicities", "White British")),
               "/v1/carers", g->other_faith_and_heritage);
    mfx_create(&s->tm, ffx_with(ffx_ideal_carer(), json_pack("{s:[s]}", "languages", "English")),
               "/v1/carers", g->no_polish);
    mfx_create(&s->tm, ffx_with(ffx_ideal_carer(), json_pack("{s:s}", "postcode", "SN5 7XY")),
               "/v1/carers", g->same_area);
    mfx_create(&s->tm, ffx_with(ffx_ideal_carer(), json_pack("{s:s}", "postcode", "BA1 1AA")),
               "/v1/carers", g->other_area);
    json_t *unplaced = ffx_ideal_carer();
    json_object_del(unplaced, "postcode");
    mfx_create(&s->tm, unplaced, "/v1/carers", g->no_postcode);
    mfx_create(&s->tm, ffx_with(ffx_ideal_carer(), json_pack("{s:[s]}", "pets", "cat")),
               "/v1/carers", g->no_dog);
    mfx_create(&s->tm, ffx_with(ffx_ideal_carer(), json_pack("{s:[s]}", "skills", "first aid")),
               "/v1/carers", g->no_skill);
    mfx_create(&s->tm,
               ffx_with(ffx_ideal_carer(),
                        json_pack("{s:[s], s:s}", "skills", "first aid", "agency_id", agency)),
               "/v1/carers", g->no_skill_ifa);
    mfx_create(&s->tm,
               ffx_with(ffx_ideal_carer(),
                        json_pack("{s:[s], s:[s]}", "skills", "first aid", "pets", "cat")),
               "/v1/carers", g->no_skill_no_dog);
}

START_TEST(test_ff_hard_limits_each_exclude_one_carer_of_twenty)
{
    register_scene g;
    json_t *excluded = NULL;
    json_t *candidates;
    char *mine;

    register_create(&g);
    mine = db_text("select count(*)::text from carers where created_by = $1", 1, g.s.tm.id);
    ck_assert_int_eq(atol(mine), REGISTER_SIZE);
    free(mine);
    candidates = ffx_all_candidates(&g.s.finder, g.child, 200, 1, &excluded);

    ffx_expect_excluded_by(excluded, candidates, g.suspended, "approved",
                           "approval status suspended");
    ffx_expect_excluded_by(excluded, candidates, g.short_term, "long_term",
                           "not approved for long-term care");
    ffx_expect_excluded_by(excluded, candidates, g.too_young, "age_range",
                           "approved for ages 0 to 5");
    ffx_expect_excluded_by(excluded, candidates, g.full, "vacancy",
                           "approved for 1, 1 placed now: 0 free for 1 child");
    ffx_expect_excluded_by(excluded, candidates, g.kin_of_other, "connected_person",
                           "another child only");

    /* the other 15 are candidates, and every hard limit they passed is shown with its evidence */
    const char *passed[] = {g.best[0],
                            g.best[1],
                            g.best[2],
                            g.ifa[0],
                            g.ifa[1],
                            g.other_faith,
                            g.other_faith_and_heritage,
                            g.no_polish,
                            g.same_area,
                            g.other_area,
                            g.no_postcode,
                            g.no_dog,
                            g.no_skill,
                            g.no_skill_ifa,
                            g.no_skill_no_dog};
    for (size_t i = 0; i < sizeof passed / sizeof passed[0]; i++) {
        const json_t *entry = ffx_entry_of(candidates, passed[i]);

        ck_assert_msg(entry != NULL, "carer %zu is not a candidate", i);
        ck_assert_msg(ffx_entry_of(excluded, passed[i]) == NULL, "carer %zu excluded", i);
        ck_assert_int_eq(json_array_size(json_object_get(entry, "limits")), 5);
        ck_assert_msg(strstr(ffx_evidence_of(entry, "limits", "age_range"), "the child is 7") !=
                          NULL,
                      "age evidence: %s", ffx_evidence_of(entry, "limits", "age_range"));
    }
    /* without explain_excluded, no excluded list */
    http_response res = http_get(g.s.csw.token, "/v1/children/%s/candidate-carers", g.child);
    EXPECT_STATUS(res, 200);
    ck_assert_ptr_null(json_object_get(res.json, "excluded"));
    ck_assert_int_eq(json_integer_value(json_object_get(res.json, "excluded_count")),
                     (long)json_array_size(excluded));
    http_response_free(&res);
    json_decref(excluded);
    json_decref(candidates);
}
END_TEST

START_TEST(test_ff_soft_factors_order_the_candidates)
{
    register_scene g;
    json_t *candidates;
    json_t *paged;
    char tied[3][FX_ID_MAX];
    char agency_tied[2][FX_ID_MAX];

    register_create(&g);
    candidates = ffx_all_candidates(&g.s.finder, g.child, 200, 0, NULL);

    /* Ties on every factor go by carer id: the three ideal carers (one writes its skill
     * "Therapeutic-Parenting", which still meets therapeutic_parenting), then the two agency
     * carers (one accepted through the agency's submission). */
    memcpy(tied, g.best, sizeof tied);
    memcpy(agency_tied, g.ifa, sizeof agency_tied);
    sort_ids(tied, 3);
    sort_ids(agency_tied, 2);
    const char *expected[] = {
        tied[0],
        tied[1],
        tied[2],
        /* in-house before agency (M11) among carers equal on everything else */
        agency_tied[0],
        agency_tied[1],
        /* religion and culture outrank in-house: another faith comes after the agency carers,
         * another faith and heritage after another faith alone */
        g.other_faith,
        g.other_faith_and_heritage,
        /* language outranks religion and culture */
        g.no_polish,
        /* distance outranks language: same postcode area (SN5), another area (BA1), unknown */
        g.same_area,
        g.other_area,
        g.no_postcode,
        /* the child's wishes outrank distance: no dog, though in the school's district */
        g.no_dog,
        /* needs outrank the wishes: no therapeutic parenting, though it has the dog; then the
         * same as an agency carer, then with no dog either */
        g.no_skill,
        g.no_skill_ifa,
        g.no_skill_no_dog,
    };
    long previous = -1;
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        long at = ffx_index_of(candidates, expected[i]);

        ck_assert_msg(at > previous, "expected place %zu is at %ld, before place %zu (at %ld)", i,
                      at, i - 1, previous);
        previous = at;
    }
    /* positions are 1-based places in the whole order */
    ck_assert_int_eq(
        json_integer_value(json_object_get(ffx_entry_of(candidates, tied[0]), "position")),
        ffx_index_of(candidates, tied[0]) + 1);

    /* each factor carries its evidence */
    ffx_expect_factor(candidates, g.best[2], "needs", 0,
                      "therapeutic_parenting: met (carer's skill 'Therapeutic-Parenting')");
    ffx_expect_factor(candidates, g.no_skill, "needs", 1, "therapeutic_parenting: not met");
    ffx_expect_factor(candidates, g.no_dog, "wishes", 1, "'wants a dog': not met, no dog");
    ffx_expect_factor(candidates, g.best[0], "wishes", 0,
                      "'wants a dog': met, the household has a dog");
    ffx_expect_factor(candidates, g.best[0], "wishes", 0,
                      "'wants to keep seeing my mum': for the worker");
    ffx_expect_factor(candidates, g.best[0], "distance", 0,
                      "carer SN1, child's school SN1: same postcode district");
    ffx_expect_factor(candidates, g.same_area, "distance", 1,
                      "carer SN5, child's school SN1: same postcode area");
    ffx_expect_factor(candidates, g.other_area, "distance", 2, "another postcode area");
    ffx_expect_factor(candidates, g.no_postcode, "distance", 3, "postcode is not recorded");
    ffx_expect_factor(candidates, g.no_polish, "language", 1,
                      "shares none of the child's (Polish)");
    ffx_expect_factor(candidates, g.best[0], "language", 0, "shares Polish");
    ffx_expect_factor(candidates, g.other_faith, "religion_and_culture", 1,
                      "religion Muslim: the household's is Christian; ethnicity Pakistani: shared");
    ffx_expect_factor(candidates, g.other_faith_and_heritage, "religion_and_culture", 2,
                      "ethnicity Pakistani: not shared (the household's: White British)");
    ffx_expect_factor(candidates, g.ifa[1], "in_house", 1, "fee discussion");
    ffx_expect_factor(candidates, g.best[0], "in_house", 0, "in-house carer");

    /* small pages give the same order: the cursor carries the place in the order */
    paged = ffx_all_candidates(&g.s.csw, g.child, 11, 0, NULL);
    ck_assert_int_eq(json_array_size(paged), json_array_size(candidates));
    for (size_t i = 0; i < json_array_size(paged); i++) {
        ck_assert_str_eq(
            json_string_value(json_object_get(json_array_get(paged, i), "carer_id")),
            json_string_value(json_object_get(json_array_get(candidates, i), "carer_id")));
    }
    json_decref(paged);
    json_decref(candidates);
}
END_TEST

START_TEST(test_ff_proposal_keeps_the_search_for_the_panel)
{
    register_scene g;
    char match[FX_ID_MAX];
    char *stored;
    http_response res;

    register_create(&g);
    mfx_document(&g.s.csw, "children", g.child, "all_about_me", "2025-01-01", -1, NULL);
    mfx_document(&g.s.csw, "children", g.child, "family_chronology", "2025-01-01", -1, NULL);
    mfx_create(&g.s.finder, json_pack("{s:s, s:s}", "child_id", g.child, "kind", "long_term"),
               "/v1/matches", match);

    /* a carer a hard limit excludes cannot be proposed: the limit is named */
    res = http_post(g.s.finder.token, json_pack("{s:s}", "carer_id", g.too_young),
                    "/v1/matches/%s/propose", match);
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "carer_id");
    ck_assert_msg(strstr(res.body, "fails the hard limit age_range") != NULL, "%s", res.body);
    http_response_free(&res);
    mfx_expect_row("matches", match, "status", "family_finding");

    /* the agency carer is proposed: the search is kept with the match */
    res = http_post(g.s.finder.token, json_pack("{s:s}", "carer_id", g.ifa[1]),
                    "/v1/matches/%s/propose", match);
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "search.proposed.carer_id", g.ifa[1]);
    mfx_expect_at(&res, "search.searched_by", g.s.finder.id);
    mfx_expect_at(&res, "search.children.0.id", g.child);
    mfx_expect_at(&res, "search.order.0", "needs");
    mfx_expect_at(&res, "search.order.6", "carer_id");
    mfx_expect_at(&res, "sibling_group_id", NULL);
    /* the candidates considered: the first 100 of the order (the register is shared with the
     * other suites, so the test's own carers are among them when they rank in the first 100) */
    json_t *considered = mfx_at(res.json, "search.considered");
    json_int_t count = json_integer_value(mfx_at(res.json, "search.candidate_count"));
    ck_assert_int_eq(json_array_size(considered), count < 100 ? count : 100);
    ck_assert_int_eq(json_integer_value(mfx_at(res.json, "search.considered.0.position")), 1);
    json_t *now = ffx_all_candidates(&g.s.finder, g.child, 200, 0, NULL);
    const char *others[] = {g.best[0], g.no_skill, g.no_skill_no_dog};
    for (size_t i = 0; i < 3; i++) {
        json_int_t position =
            json_integer_value(json_object_get(ffx_entry_of(now, others[i]), "position"));
        ck_assert_msg(position > 0, "carer %zu is a candidate", i);
        ck_assert_msg((ffx_entry_of(considered, others[i]) != NULL) == (position <= 100),
                      "candidate at %lld considered or not: %.300s", (long long)position, res.body);
    }
    json_decref(now);
    ck_assert_msg(ffx_entry_of(considered, g.too_young) == NULL,
                  "an excluded carer was considered");
    http_response_free(&res);
    stored = db_text("select search->'proposed'->'factors'->5->>'evidence' from matches"
                     " where id::text = $1 and search->>'searched_on' = london_today()::text",
                     1, match);
    ck_assert_msg(stored != NULL && strstr(stored, "(M11)") != NULL, "stored: %s", stored);
    free(stored);

    /* the match as the panel and the matching report read it */
    res = http_get(g.s.tm.token, "/v1/matches/%s", match);
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "search.proposed.carer_id", g.ifa[1]);
    http_response_free(&res);
}
END_TEST

START_TEST(test_ff_sibling_group_of_three_searched_as_one)
{
    mfx_scene s;
    char born[3][FX_ID_MAX];
    char child[3][FX_ID_MAX];
    char lone[2][FX_ID_MAX];
    char roomy[FX_ID_MAX], two_places[FX_ID_MAX], up_to_ten[FX_ID_MAX], with_one_placed[FX_ID_MAX],
        has_sibling[FX_ID_MAX], other[FX_ID_MAX];
    char group[FX_ID_MAX], apart[FX_ID_MAX], match[FX_ID_MAX], placement[FX_ID_MAX];
    fx_person stranger, iro;
    json_t *excluded = NULL;
    json_t *candidates;
    http_response res;

    mfx_scene_create(&s, 0);
    ffx_date_before_today("7 years", born[0]);
    ffx_date_before_today("9 years", born[1]);
    ffx_date_before_today("12 years", born[2]);
    for (int i = 0; i < 3; i++)
        ffx_make_child(&s, born[i], NULL, child[i]);
    ffx_make_child(&s, born[0], NULL, lone[0]);
    ffx_make_child(&s, born[1], NULL, lone[1]);
    ffx_make_child(&s, born[1], NULL, other);

    mfx_create(&s.tm, ffx_with_approval(ffx_ideal_carer(), "max_children", json_integer(3)),
               "/v1/carers", roomy);
    mfx_create(&s.tm, ffx_ideal_carer(), "/v1/carers", two_places);
    mfx_create(
        &s.tm,
        ffx_with_approval(ffx_with_approval(ffx_ideal_carer(), "max_children", json_integer(3)),
                          "age_to", json_integer(10)),
        "/v1/carers", up_to_ten);
    mfx_create(&s.tm, ffx_with_approval(ffx_ideal_carer(), "max_children", json_integer(4)),
               "/v1/carers", with_one_placed);
    fx_placement_create(&s.csw, other, with_one_placed, FX_PLACEMENT_START, placement);
    mfx_create(&s.tm, ffx_with_approval(ffx_ideal_carer(), "max_children", json_integer(3)),
               "/v1/carers", has_sibling);
    fx_placement_create(&s.csw, child[2], has_sibling, FX_PLACEMENT_START, placement);

    /* who links them: the children's CSW or team manager, reaching every child */
    fx_person_create(&stranger, "csw", NULL);
    fx_person_create(&iro, "iro", s.team);
    json_t *body = json_pack("{s:[s, s, s], s:s}", "child_ids", child[0], child[1], child[2],
                             "plan", "together");
    res = http_post(stranger.token, json_incref(body), "/v1/sibling-groups");
    expect_problem(&res, 404, "not-found");
    http_response_free(&res);
    res = http_post(iro.token, json_incref(body), "/v1/sibling-groups");
    expect_problem(&res, 403, "forbidden");
    http_response_free(&res);
    res = http_post(s.csw.token, body, "/v1/sibling-groups");
    EXPECT_STATUS(res, 201);
    snprintf(group, sizeof group, "%s", body_string(&res, "id"));
    expect_json_string(&res, "plan", "together");
    ck_assert_int_eq(json_array_size(json_object_get(res.json, "child_ids")), 3);
    http_response_free(&res);
    ck_assert_int_eq(
        db_long("select count(*) from sibling_group_members where group_id::text = $1", 1, group),
        3);
    ck_assert_int_eq(db_long("select count(*) from audit_log where resource_type = 'sibling_group'"
                             " and resource_id = $1 and method = 'POST' and status = 201",
                             1, group),
                     1);
    res = http_get(s.tm.token, "/v1/sibling-groups/%s", group);
    EXPECT_STATUS(res, 200);
    expect_json_string(&res, "id", group);
    http_response_free(&res);
    res = http_get(stranger.token, "/v1/sibling-groups/%s", group);
    expect_problem(&res, 404, "not-found");
    http_response_free(&res);

    /* a child is in one group; a plan to place apart records its reason */
    res =
        http_post(s.csw.token,
                  json_pack("{s:[s, s], s:s}", "child_ids", child[0], lone[0], "plan", "together"),
                  "/v1/sibling-groups");
    expect_problem(&res, 409, "conflict");
    http_response_free(&res);
    res = http_post(s.csw.token,
                    json_pack("{s:[s, s], s:s}", "child_ids", lone[0], lone[1], "plan", "apart"),
                    "/v1/sibling-groups");
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "reason");
    http_response_free(&res);
    res = http_post(s.csw.token,
                    json_pack("{s:[s, s], s:s, s:s}", "child_ids", lone[0], lone[1], "plan",
                              "apart", "reason", "Their plans differ: one returns home"),
                    "/v1/sibling-groups");
    EXPECT_STATUS(res, 201);
    snprintf(apart, sizeof apart, "%s", body_string(&res, "id"));
    http_response_free(&res);

    /* the search from the middle child is for all three */
    res = http_get(s.finder.token, "/v1/children/%s/candidate-carers?limit=1", child[1]);
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "for_sibling_group", "true");
    mfx_expect_at(&res, "sibling_group.id", group);
    ck_assert_int_eq(json_array_size(json_object_get(res.json, "children")), 3);
    mfx_expect_at(&res, "children.0.id", child[1]);
    http_response_free(&res);
    /* R1: the search read the three children's records, and its audit row names them */
    ck_assert_int_eq(db_long("select count(*) from audit_log where sub = $1 and method = 'GET'"
                             " and route = '/v1/children/:id/candidate-carers' and resource_id = $2"
                             " and changes->'read' ? $3 and changes->'read' ? $4"
                             " and jsonb_array_length(changes->'read') = 3",
                             4, s.finder.id, child[1], child[0], child[2]),
                     1);
    candidates = ffx_all_candidates(&s.finder, child[1], 200, 1, &excluded);
    ck_assert_msg(ffx_entry_of(candidates, roomy) != NULL, "3 places, ages 0-17: a candidate");
    ffx_expect_excluded_by(excluded, candidates, two_places, "vacancy", "2 free for 3 children");
    ffx_expect_excluded_by(excluded, candidates, up_to_ten, "age_range",
                           "approved for ages 0 to 10");
    ck_assert_msg(strstr(ffx_evidence_of(ffx_entry_of(excluded, up_to_ten), "failed", "age_range"),
                         "12") != NULL,
                  "the eldest's age is named");
    ck_assert_msg(ffx_entry_of(candidates, with_one_placed) != NULL,
                  "4 places, 1 other placed: room");
    ffx_expect_factor(candidates, with_one_placed, "needs", 0, "no needs");
    ck_assert_msg(ffx_entry_of(candidates, has_sibling) != NULL,
                  "the sibling placed there already needs no second place");
    ck_assert_int_eq(
        json_integer_value(json_object_get(ffx_entry_of(candidates, has_sibling), "places_free")),
        3);
    json_decref(excluded);
    json_decref(candidates);

    /* a plan to place apart: each child is searched for alone */
    res = http_get(s.finder.token, "/v1/children/%s/candidate-carers?limit=1", lone[0]);
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "for_sibling_group", "false");
    mfx_expect_at(&res, "sibling_group.id", apart);
    mfx_expect_at(&res, "sibling_group.reason", "Their plans differ: one returns home");
    ck_assert_int_eq(json_array_size(json_object_get(res.json, "children")), 1);
    http_response_free(&res);

    /* the match proposed from the group's search is for the group */
    mfx_document(&s.csw, "children", child[1], "all_about_me", "2025-01-01", -1, NULL);
    mfx_document(&s.csw, "children", child[1], "family_chronology", "2025-01-01", -1, NULL);
    mfx_create(&s.finder, json_pack("{s:s, s:s}", "child_id", child[1], "kind", "long_term"),
               "/v1/matches", match);
    res = http_post(s.finder.token, json_pack("{s:s}", "carer_id", two_places),
                    "/v1/matches/%s/propose", match);
    expect_problem(&res, 422, "validation");
    ck_assert_msg(strstr(res.body, "fails the hard limit vacancy") != NULL, "%s", res.body);
    http_response_free(&res);
    res = http_post(s.finder.token, json_pack("{s:s}", "carer_id", roomy), "/v1/matches/%s/propose",
                    match);
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "sibling_group_id", group);
    mfx_expect_at(&res, "search.sibling_group_id", group);
    ck_assert_int_eq(json_array_size(mfx_at(res.json, "search.children")), 3);
    http_response_free(&res);
    mfx_expect_row("matches", match, "sibling_group_id", group);
}
END_TEST

START_TEST(test_ff_age_limit_on_the_childs_birthday)
{
    mfx_scene s;
    char born[FX_ID_MAX], born_tomorrow[FX_ID_MAX];
    char birthday_today[FX_ID_MAX], birthday_tomorrow[FX_ID_MAX];
    char to_nine[FX_ID_MAX], from_ten[FX_ID_MAX];
    json_t *excluded = NULL;
    json_t *candidates;
    char *text;

    mfx_scene_create(&s, 0);
    ffx_date_before_today("10 years", born);
    text = db_text("select to_char(london_today() + 1 - interval '10 years', 'YYYY-MM-DD')", 0);
    snprintf(born_tomorrow, sizeof born_tomorrow, "%s", text);
    free(text);
    ffx_make_child(&s, born, NULL, birthday_today);
    ffx_make_child(&s, born_tomorrow, NULL, birthday_tomorrow);
    mfx_create(&s.tm, ffx_with_approval(ffx_ideal_carer(), "age_to", json_integer(9)), "/v1/carers",
               to_nine);
    mfx_create(&s.tm, ffx_with_approval(ffx_ideal_carer(), "age_from", json_integer(10)),
               "/v1/carers", from_ten);

    /* 10 today: past the approval for 0-9, inside the one from 10 */
    candidates = ffx_all_candidates(&s.csw, birthday_today, 200, 1, &excluded);
    ffx_expect_excluded_by(excluded, candidates, to_nine, "age_range", "the child is 10");
    ck_assert_msg(ffx_entry_of(candidates, from_ten) != NULL, "10 today fits ages 10-17");
    json_decref(excluded);
    json_decref(candidates);

    /* 10 tomorrow: still 9 today */
    candidates = ffx_all_candidates(&s.csw, birthday_tomorrow, 200, 1, &excluded);
    ffx_expect_excluded_by(excluded, candidates, from_ten, "age_range", "the child is 9");
    ck_assert_msg(ffx_entry_of(candidates, to_nine) != NULL, "9 today fits ages 0-9");
    json_decref(excluded);
    json_decref(candidates);
}
END_TEST

START_TEST(test_ff_agency_and_others_refused)
{
    mfx_scene s;
    fx_person agency, iro, stranger;
    char child[FX_ID_MAX], born[FX_ID_MAX];
    http_response res;

    mfx_scene_create(&s, 0);
    ffx_date_before_today("8 years", born);
    ffx_make_child(&s, born, NULL, child);
    fx_agency_create(&agency, "ifa-refused");
    fx_person_create(&iro, "iro", s.team);
    fx_child_allocate(&s.tm, child, iro.id, "iro");
    fx_person_create(&stranger, "csw", NULL);

    /* an agency sees none of this: its roles never allow it (403), audited */
    res = http_get(agency.token, "/v1/children/%s/candidate-carers?explain_excluded=true", child);
    expect_problem(&res, 403, "forbidden");
    ck_assert_ptr_null(strstr(res.body, "carer_id"));
    http_response_free(&res);
    ck_assert_int_eq(mfx_audit_rows(agency.id, "/candidate-carers", 403), 1);
    res = http_post(agency.token,
                    json_pack("{s:[s, s], s:s}", "child_ids", child, child, "plan", "together"),
                    "/v1/sibling-groups");
    expect_problem(&res, 403, "forbidden");
    http_response_free(&res);

    /* the IRO reads the child but does not search for its family */
    res = http_get(iro.token, "/v1/children/%s/candidate-carers", child);
    expect_problem(&res, 403, "forbidden");
    http_response_free(&res);
    /* a CSW of another child: the child is private to them */
    res = http_get(stranger.token, "/v1/children/%s/candidate-carers", child);
    expect_problem(&res, 404, "not-found");
    http_response_free(&res);
    ck_assert_int_eq(mfx_audit_rows(stranger.id, "/candidate-carers", 404), 1);

    /* bad parameters */
    res = http_get(s.csw.token, "/v1/children/%s/candidate-carers?explain_excluded=yes", child);
    expect_problem(&res, 400, "bad-request");
    http_response_free(&res);
    res = http_get(s.csw.token, "/v1/children/%s/candidate-carers?after=bm90LWEta2V5", child);
    expect_problem(&res, 400, "bad-request");
    http_response_free(&res);

    /* the CSW, the family finder and the team manager search; each read is audited (R1) */
    const fx_person *searchers[] = {&s.csw, &s.finder, &s.tm};
    for (size_t i = 0; i < 3; i++) {
        res = http_get(searchers[i]->token, "/v1/children/%s/candidate-carers?limit=1", child);
        EXPECT_STATUS(res, 200);
        expect_json_string(&res, "child_id", child);
        http_response_free(&res);
        ck_assert_int_eq(
            db_long("select count(*) from audit_log where sub = $1 and method = 'GET'"
                    " and route = '/v1/children/:id/candidate-carers'"
                    " and resource_type = 'child' and resource_id = $2 and status = 200",
                    2, searchers[i]->id, child),
            1);
    }
}
END_TEST

Suite *family_finding_suite(void)
{
    Suite *s = suite_create("family_finding");
    TCase *tc = tcase_create("family_finding");

    tcase_set_timeout(tc, TEST_TIMEOUT_SECONDS);
    tcase_add_test(tc, test_ff_hard_limits_each_exclude_one_carer_of_twenty);
    tcase_add_test(tc, test_ff_soft_factors_order_the_candidates);
    tcase_add_test(tc, test_ff_proposal_keeps_the_search_for_the_panel);
    tcase_add_test(tc, test_ff_sibling_group_of_three_searched_as_one);
    tcase_add_test(tc, test_ff_age_limit_on_the_childs_birthday);
    tcase_add_test(tc, test_ff_agency_and_others_refused);
    suite_add_tcase(s, tc);
    return s;
}
