/* domain/family_finding.c and postcodes.c: the hard limits (each alone, the age on a birthday,
 * a sibling group's room), each soft factor's rank and evidence, the lexicographic order with
 * its tie-break, the cursor key, and what a proposal keeps. */
#include <string.h>

#include "../../domain/access.h"
#include "../../domain/family_finding.h"
#include "../../domain/family_finding_factors.h"
#include "../../domain/postcodes.h"
#include "../../domain/records.h"
#include "../../domain/utf8.h"
#include "unit.h"

#define CHILD_ID "00000000-0000-4000-8000-00000000000c"
#define SEARCH_DAY ((struct date){2026, 12, 1})

/* A carer who passes every limit for a child of 7 and meets every factor of child_of_seven. */
static json_t *good_carer(const char *id) {
  return json_pack(
      "{s:s, s:n, s:i, s:{s:s, s:b, s:i, s:i, s:i}, s:s, s:[s], s:s, s:[s], s:[s], "
      "s:[s], s:[{s:s, s:s}]}",
      "id", id, "agency_id", "placed_now", 0, "approval", "status", "approved", "long_term", 1,
      "age_from", 0, "age_to", 17, "max_children", 2, "postcode", "SN1 1AA", "languages", "Polish",
      "religion", "Muslim", "ethnicities", "Pakistani", "skills", "Therapeutic parenting", "pets",
      "dog", "carers", "given_name", "Pat", "family_name", "Lee");
}

static json_t *child_of_seven(void) {
  return json_pack("{s:s, s:s, s:[s], s:s, s:[s], s:s, s:s, s:[{s:s, s:s, s:s}]}", "id", CHILD_ID,
                   "date_of_birth", "2019-06-15", "needs", "therapeutic_parenting", "school_area",
                   "SN1", "languages", "Polish", "religion", "Muslim", "ethnicity", "Pakistani",
                   "wishes", "kind", "pet", "pet", "dog", "in_their_words", "wants a dog");
}

/* A search as the tests read it: the outcome and every entry written out. */
struct judged {
  json_t *children;
  json_t *carers;
  struct ff_search search;
  struct ff_result result;
  const struct ff_key *keys; /* result.keys */
  json_t *candidates;        /* every ff_candidate, in order */
  json_t *excluded;          /* every ff_excluded */
};

/* Runs the search for `children` (stolen) over `carers` (stolen). */
static struct judged run(json_t *children, json_t *carers, struct date on) {
  struct judged j = {.children = children, .carers = carers};
  j.search = (struct ff_search){.on = on, .children = children};
  ck_assert(ff_search_run(&j.search, carers, &j.result));
  j.keys = j.result.keys;
  j.candidates = json_array();
  j.excluded = json_array();
  for (size_t i = 0; i < j.result.candidate_count; i++) {
    json_array_append_new(j.candidates, ff_candidate(&j.search, &j.result, i));
  }
  for (size_t i = 0; i < j.result.excluded_count; i++) {
    json_array_append_new(j.excluded, ff_excluded(&j.search, &j.result, i));
  }
  return j;
}

static void judged_free(struct judged *j) {
  ff_result_free(&j->result);
  json_decref(j->candidates);
  json_decref(j->excluded);
  json_decref(j->carers);
  json_decref(j->children);
}

/* The failed limits' names of the one excluded carer, comma-separated. */
static void expect_only_failure(const struct judged *r, const char *limit) {
  ck_assert_int_eq(json_array_size(r->candidates), 0);
  ck_assert_int_eq(json_array_size(r->excluded), 1);
  const json_t *failed = json_object_get(json_array_get(r->excluded, 0), "failed");
  ck_assert_int_eq(json_array_size(failed), 1);
  ck_assert_str_eq(json_string_value(json_object_get(json_array_get(failed, 0), "limit")), limit);
}

static const char *factor_evidence(const json_t *entry, enum ff_factor f) {
  return json_string_value(
      json_object_get(json_array_get(json_object_get(entry, "factors"), f), "evidence"));
}

START_TEST(ff_good_carer_passes_every_limit) {
  struct judged r =
      run(json_pack("[o]", child_of_seven()), json_pack("[o]", good_carer("a")), SEARCH_DAY);
  ck_assert_int_eq(json_array_size(r.candidates), 1);
  const json_t *entry = json_array_get(r.candidates, 0);
  ck_assert_int_eq(json_array_size(json_object_get(entry, "limits")), FF_LIMIT_COUNT);
  for (int f = 0; f < FF_FACTOR_COUNT; f++) {
    ck_assert_int_eq(r.keys[0].ranks[f], 0);
  }
  ck_assert_str_eq(factor_evidence(entry, FF_NEEDS),
                   "therapeutic_parenting: met (carer's skill 'Therapeutic parenting')");
  ck_assert_str_eq(factor_evidence(entry, FF_DISTANCE),
                   "carer SN1, child's school SN1: same postcode district");
  judged_free(&r);
}
END_TEST

/* Each limit alone excludes the carer, naming itself. */
START_TEST(ff_each_hard_limit_excludes) {
  struct {
    const char *key;
    json_t *value;
    const char *limit;
  } cases[] = {
      {"status", json_string("suspended"), "approved"},
      {"long_term", json_false(), "long_term"},
      {"age_to", json_integer(6), "age_range"},
      {"max_children", json_null(), "vacancy"},
      {"connected_person_for", json_string("00000000-0000-4000-8000-0000000000ff"),
       "connected_person"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    json_t *carer = good_carer("a");
    json_object_set_new(json_object_get(carer, "approval"), cases[i].key, cases[i].value);
    struct judged r =
        run(json_pack("[o]", child_of_seven()), json_pack("[o]", carer), SEARCH_DAY);
    expect_only_failure(&r, cases[i].limit);
    judged_free(&r);
  }
  /* no vacancy: both places taken by other children */
  json_t *carer = good_carer("a");
  json_object_set_new(carer, "placed_now", json_integer(2));
  struct judged r = run(json_pack("[o]", child_of_seven()), json_pack("[o]", carer), SEARCH_DAY);
  expect_only_failure(&r, "vacancy");
  judged_free(&r);
  /* M3: approved as connected person for this child is no bar */
  carer = good_carer("a");
  json_object_set_new(json_object_get(carer, "approval"), "connected_person_for",
                      json_string(CHILD_ID));
  r = run(json_pack("[o]", child_of_seven()), json_pack("[o]", carer), SEARCH_DAY);
  ck_assert_int_eq(json_array_size(r.candidates), 1);
  judged_free(&r);
  /* an approval with no age range is not read as "any age" */
  carer = good_carer("a");
  json_object_del(json_object_get(carer, "approval"), "age_from");
  r = run(json_pack("[o]", child_of_seven()), json_pack("[o]", carer), SEARCH_DAY);
  expect_only_failure(&r, "age_range");
  judged_free(&r);
}
END_TEST

/* Born 2016-12-01: 9 on 30 November 2026, 10 on 1 December. */
START_TEST(ff_age_range_on_the_birthday) {
  json_t *child = json_pack("{s:s, s:s}", "id", CHILD_ID, "date_of_birth", "2016-12-01");
  json_t *to_nine = good_carer("a");
  json_object_set_new(json_object_get(to_nine, "approval"), "age_to", json_integer(9));
  struct judged r =
      run(json_pack("[O]", child), json_pack("[O]", to_nine), (struct date){2026, 11, 30});
  ck_assert_int_eq(json_array_size(r.candidates), 1);
  judged_free(&r);
  r = run(json_pack("[O]", child), json_pack("[O]", to_nine), (struct date){2026, 12, 1});
  expect_only_failure(&r, "age_range");
  ck_assert_ptr_nonnull(strstr(
      json_string_value(json_object_get(
          json_array_get(json_object_get(json_array_get(r.excluded, 0), "failed"), 0), "evidence")),
      "approved for ages 0 to 9; on 2026-12-01 the child is 10"));
  judged_free(&r);
  json_decref(child);
  json_decref(to_nine);
}
END_TEST

/* A group of three needs three places and every child in range; siblings placed there already
 * are not "other children". */
START_TEST(ff_sibling_group_limits) {
  json_t *group = json_pack("[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}]", "id", "c1", "date_of_birth",
                            "2019-01-01", "id", "c2", "date_of_birth", "2017-01-01", "id", "c3",
                            "date_of_birth", "2014-01-01");
  json_t *two = good_carer("a");
  json_t *three = good_carer("b");
  json_object_set_new(json_object_get(three, "approval"), "max_children", json_integer(3));
  json_t *young = good_carer("c");
  json_object_set_new(json_object_get(young, "approval"), "max_children", json_integer(3));
  json_object_set_new(json_object_get(young, "approval"), "age_to", json_integer(10));
  struct judged r = run(group, json_pack("[o, o, o]", two, three, young), SEARCH_DAY);
  ck_assert_int_eq(json_array_size(r.candidates), 1);
  ck_assert_str_eq(r.keys[0].carer_id, "b");
  ck_assert_int_eq(json_array_size(r.excluded), 2);
  ck_assert_str_eq(json_string_value(json_object_get(json_array_get(r.excluded, 0), "carer_id")),
                   "a");
  ck_assert_str_eq(json_string_value(json_object_get(json_array_get(r.excluded, 1), "carer_id")),
                   "c");
  judged_free(&r);
}
END_TEST

/* One carer per factor, each worse on that factor only, and one tie: the order is the factors'
 * order, then the id. */
START_TEST(ff_order_is_lexicographic_with_id_tie_break) {
  json_t *carers = json_array();
  const char *ids[] = {"f-needs",    "e-wishes", "d-distance", "c-language",
                       "b-religion", "a-agency", "z-best",     "y-best"};
  for (size_t i = 0; i < 8; i++) {
    json_array_append_new(carers, good_carer(ids[i]));
  }
  json_object_set_new(json_array_get(carers, 0), "skills", json_pack("[s]", "cooking"));
  json_object_set_new(json_array_get(carers, 1), "pets", json_array());
  json_object_set_new(json_array_get(carers, 2), "postcode", json_string("SN2 1AA"));
  json_object_set_new(json_array_get(carers, 3), "languages", json_pack("[s]", "English"));
  json_object_set_new(json_array_get(carers, 4), "religion", json_string("Hindu"));
  json_object_set_new(json_array_get(carers, 5), "agency_id", json_string("ifa-1"));
  struct judged r = run(json_pack("[o]", child_of_seven()), carers, SEARCH_DAY);
  const char *expected[] = {"y-best",     "z-best",     "a-agency", "b-religion",
                            "c-language", "d-distance", "e-wishes", "f-needs"};
  ck_assert_int_eq(json_array_size(r.candidates), 8);
  for (size_t i = 0; i < 8; i++) {
    ck_assert_str_eq(r.keys[i].carer_id, expected[i]);
    ck_assert_int_eq(
        json_integer_value(json_object_get(json_array_get(r.candidates, i), "position")),
        (json_int_t)i + 1);
  }
  judged_free(&r);
}
END_TEST

START_TEST(ff_factor_evidence) {
  json_t *child = child_of_seven();
  json_object_set_new(child, "wishes",
                      json_pack("[{s:s, s:s, s:s}, {s:s, s:s}]", "kind", "near", "postcode",
                                "SN2 3CD", "in_their_words", "wants to stay near my brother",
                                "kind", "other", "in_their_words", "wants to keep my bike"));
  json_t *far = good_carer("far");
  json_object_set_new(far, "postcode", json_string("BA1 1AA"));
  json_object_set_new(far, "languages", json_pack("[s]", "English"));
  json_object_set_new(far, "religion", json_null());
  json_object_set_new(far, "ethnicities", json_null());
  json_object_set_new(far, "agency_id", json_string("ifa-9"));
  json_t *near = good_carer("near");
  json_object_set_new(near, "postcode", json_string("sn2 9zz"));
  struct judged r = run(json_pack("[o]", child), json_pack("[o, o]", far, near), SEARCH_DAY);
  const json_t *first = json_array_get(r.candidates, 0);
  const json_t *second = json_array_get(r.candidates, 1);
  ck_assert_str_eq(r.keys[0].carer_id, "near");
  ck_assert_str_eq(factor_evidence(first, FF_WISHES),
                   "'wants to stay near my brother' (near SN2): met, carer SN2, same postcode "
                   "district; 'wants to keep my bike': for the worker to weigh (the search cannot "
                   "check it)");
  ck_assert_str_eq(factor_evidence(first, FF_DISTANCE),
                   "carer SN2, child's school SN1: same postcode area");
  ck_assert_int_eq(r.keys[0].ranks[FF_DISTANCE], 1);
  ck_assert_int_eq(r.keys[1].ranks[FF_WISHES], 1);
  ck_assert_int_eq(r.keys[1].ranks[FF_DISTANCE], 2);
  ck_assert_str_eq(factor_evidence(second, FF_LANGUAGE),
                   "shares none of the child's (Polish); the household's: English");
  ck_assert_str_eq(factor_evidence(second, FF_RELIGION_AND_CULTURE),
                   "religion Muslim: the household's is not recorded; ethnicity Pakistani: not "
                   "shared (the household's: none recorded)");
  ck_assert_int_eq(r.keys[1].ranks[FF_RELIGION_AND_CULTURE], 2);
  ck_assert_str_eq(factor_evidence(second, FF_IN_HOUSE),
                   "carer of agency ifa-9: the fee discussion with the agency is recorded before "
                   "panel (M11)");
  ck_assert(json_is_false(json_object_get(second, "in_house")));
  judged_free(&r);
}
END_TEST

/* A child with nothing recorded ranks everyone equal on every factor but distance-unknown. */
START_TEST(ff_nothing_recorded_for_the_child) {
  struct judged r = run(json_pack("[{s:s, s:s}]", "id", CHILD_ID, "date_of_birth", "2019-06-15"),
                           json_pack("[o]", good_carer("a")), SEARCH_DAY);
  const json_t *entry = json_array_get(r.candidates, 0);
  ck_assert_str_eq(factor_evidence(entry, FF_NEEDS), "no needs or risks recorded for the child");
  ck_assert_str_eq(factor_evidence(entry, FF_WISHES), "no wishes recorded for the search to weigh");
  ck_assert_str_eq(factor_evidence(entry, FF_DISTANCE),
                   "carer SN1; no school or home area recorded for the child");
  ck_assert_int_eq(r.keys[0].ranks[FF_DISTANCE], 3);
  ck_assert_str_eq(factor_evidence(entry, FF_LANGUAGE), "no language recorded for the child");
  ck_assert_str_eq(factor_evidence(entry, FF_RELIGION_AND_CULTURE),
                   "no religion or ethnicity recorded for the child");
  judged_free(&r);
}
END_TEST

START_TEST(ff_key_round_trip) {
  struct ff_key key = {{0, 1, 2, 3, 0, 1}, "0d8f0c55-2a11-4c3b-9a9e-0b0f7e7c1a2b"};
  char text[FF_KEY_TEXT_SIZE];
  ff_key_format(&key, text);
  ck_assert_str_eq(text, "0.1.2.3.0.1|0d8f0c55-2a11-4c3b-9a9e-0b0f7e7c1a2b");
  struct ff_key back;
  ck_assert(ff_key_parse(text, &back));
  ck_assert_int_eq(ff_key_compare(&key, &back), 0);
  ck_assert(!ff_key_parse("0.1.2.3.0|x", &back));
  ck_assert(!ff_key_parse("0.1.2.3.0.1|", &back));
  ck_assert(!ff_key_parse("a.1.2.3.0.1|x", &back));
  ck_assert(!ff_key_parse("not-a-key", &back));
}
END_TEST

START_TEST(ff_proposal_keeps_the_search) {
  json_t *excluded = good_carer("x");
  json_object_set_new(json_object_get(excluded, "approval"), "long_term", json_false());
  struct judged r =
      run(json_pack("[o]", child_of_seven()),
          json_pack("[o, o, o]", good_carer("a"), good_carer("b"), excluded), SEARCH_DAY);
  json_t *errors = json_array();
  json_t *record = ff_proposal_record(&r.search, &r.result, "b", errors);
  ck_assert_ptr_nonnull(record);
  ck_assert_int_eq(json_array_size(errors), 0);
  ck_assert_int_eq(
      json_integer_value(json_object_get(json_object_get(record, "proposed"), "position")), 2);
  ck_assert_int_eq(json_array_size(json_object_get(record, "considered")), 2);
  ck_assert_int_eq(json_integer_value(json_object_get(record, "excluded_count")), 1);
  json_decref(record);
  ck_assert_ptr_null(ff_proposal_record(&r.search, &r.result, "x", errors));
  ck_assert_str_eq(json_string_value(json_object_get(json_array_get(errors, 0), "message")),
                   "fails the hard limit long_term: not approved for long-term care");
  ck_assert_ptr_null(ff_proposal_record(&r.search, &r.result, "nobody", errors));
  ck_assert_str_eq(json_string_value(json_object_get(json_array_get(errors, 1), "message")),
                   "no such carer");
  json_decref(errors);
  judged_free(&r);
}
END_TEST

START_TEST(postcode_districts_and_areas) {
  char district[POSTCODE_DISTRICT_SIZE];
  char area[POSTCODE_AREA_SIZE];
  ck_assert(postcode_district("sn2 1aa", district));
  ck_assert_str_eq(district, "SN2");
  ck_assert(postcode_district("EC1A 1BB", district));
  ck_assert_str_eq(district, "EC1A");
  postcode_area(district, area);
  ck_assert_str_eq(area, "EC");
  ck_assert(postcode_district("M1", district));
  postcode_area(district, area);
  ck_assert_str_eq(area, "M");
  ck_assert(!postcode_district("SN", district));
  ck_assert(!postcode_district("12AB", district));
  ck_assert(!postcode_district("SN2-1AA", district));
  ck_assert(!postcode_district(NULL, district));
}
END_TEST

/* The child's fields the search reads are checked where the record is. */
START_TEST(ff_child_fields_validated) {
  json_t *child = json_pack(
      "{s:s, s:s, s:s, s:s, s:[s], s:[{s:s, s:s}, {s:s, s:s}, {s:s, s:s, s:s}]}", "given_name", "A",
      "family_name", "B", "date_of_birth", "2019-06-15", "school_area", "nowhere", "needs",
      "dancing", "wishes", "kind", "near", "in_their_words", "near my brother", "kind", "pet",
      "in_their_words", "a dog", "kind", "near", "postcode", "SN2", "in_their_words", "ok");
  json_t *errors = json_array();
  ck_assert(!child_validate(child, SEARCH_DAY, errors));
  const char *expected[] = {"needs[0]", "school_area", "wishes[0].postcode", "wishes[1].pet"};
  ck_assert_int_eq(json_array_size(errors), 4);
  for (size_t i = 0; i < 4; i++) {
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(errors, i), "field")),
                     expected[i]);
  }
  json_decref(errors);
  json_decref(child);
}
END_TEST

/* The child's CSW, family finder and team manager search; nobody else (an agency never). */
START_TEST(ff_who_searches) {
  ck_assert_uint_eq(access_family_finding_grants(ROLE_CSW), REL_CHILD_CSW);
  ck_assert_uint_eq(access_family_finding_grants(ROLE_FAMILY_FINDER), REL_CHILD_FAMILY_FINDER);
  ck_assert_uint_eq(access_family_finding_grants(ROLE_TEAM_MANAGER), REL_TEAM);
  ck_assert_uint_eq(access_family_finding_grants(ROLE_AGENCY), 0);
  ck_assert_uint_eq(access_family_finding_grants(ROLE_IRO), 0);
  ck_assert_uint_eq(access_family_finding_grants(ROLE_SSW), 0);
  ck_assert_uint_eq(access_family_finding_grants(ROLE_ADMIN), 0);
}
END_TEST

/* Evidence longer than its buffer is cut between characters, never inside one: a child's wishes
 * in "é" (two bytes each) cut at any offset stay valid UTF-8. */
START_TEST(ff_evidence_cut_between_characters) {
  for (size_t offset = 0; offset < 2; offset++) {
    struct ff_text text = {{0}, 0};
    ff_text_add(&text, "%s", offset == 1 ? "x" : "");
    for (int i = 0; i < 1200; i++) {
      ff_text_add(&text, "%s", "\xc3\xa9");
    }
    ck_assert_uint_lt(text.used, sizeof text.buf);
    ck_assert_uint_eq(strlen(text.buf), text.used);
    for (size_t at = 0; at < text.used;) {
      size_t length = utf8_sequence_length((const unsigned char *)text.buf + at);
      ck_assert_msg(length > 0, "invalid UTF-8 at byte %zu of %zu", at, text.used);
      at += length;
    }
  }
}
END_TEST

Suite *family_finding_suite(void) {
  Suite *s = suite_create("family_finding");
  TCase *tc = tcase_create("family_finding");
  tcase_add_test(tc, ff_good_carer_passes_every_limit);
  tcase_add_test(tc, ff_each_hard_limit_excludes);
  tcase_add_test(tc, ff_age_range_on_the_birthday);
  tcase_add_test(tc, ff_sibling_group_limits);
  tcase_add_test(tc, ff_order_is_lexicographic_with_id_tie_break);
  tcase_add_test(tc, ff_factor_evidence);
  tcase_add_test(tc, ff_nothing_recorded_for_the_child);
  tcase_add_test(tc, ff_key_round_trip);
  tcase_add_test(tc, ff_proposal_keeps_the_search);
  tcase_add_test(tc, postcode_districts_and_areas);
  tcase_add_test(tc, ff_child_fields_validated);
  tcase_add_test(tc, ff_who_searches);
  tcase_add_test(tc, ff_evidence_cut_between_characters);
  suite_add_tcase(s, tc);
  return s;
}
