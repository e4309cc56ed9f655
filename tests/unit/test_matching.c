/* domain/matching.c: M1 (who finds a family, at the age limit's edge), M2 and M3. */
#include "../../domain/matching.h"
#include "unit.h"

START_TEST(m1_age_limit_edge) {
  struct date today = {2026, 11, 24};
  ck_assert_int_eq(match_family_finder_role((struct date){2015, 11, 24}, today, 11), ROLE_CSW);
  ck_assert_int_eq(match_family_finder_role((struct date){2015, 11, 25}, today, 11),
                   ROLE_FAMILY_FINDER);
  ck_assert_int_eq(match_family_finder_role((struct date){2015, 11, 25}, today, 10), ROLE_CSW);
}
END_TEST

START_TEST(m2_names_each_missing_document) {
  json_t *missing = json_array();
  struct match_start_facts f = {0};
  ck_assert(!match_start_check(&f, missing));
  ck_assert_int_eq(json_array_size(missing), 2);
  json_array_clear(missing);
  f.has_all_about_me = true;
  f.has_family_chronology = true;
  ck_assert(match_start_check(&f, missing));
  ck_assert_int_eq(json_array_size(missing), 0);
  json_decref(missing);
}
END_TEST

START_TEST(m3_connected_person_needs_the_approved_carer_not_the_papers) {
  json_t *missing = json_array();
  struct match_start_facts f = {.connected_person = true};
  ck_assert(!match_start_check(&f, missing));
  json_array_clear(missing);
  f.carer_named = true;
  ck_assert(!match_start_check(&f, missing));
  json_array_clear(missing);
  f.carer_approved_for_child = true;
  ck_assert(match_start_check(&f, missing));
  json_decref(missing);
}
END_TEST

START_TEST(m4_names_every_missing_item_in_one_answer) {
  json_t *profile = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "history", "h", "strengths", "s",
                              "routines", "r", "health", " ", "education", "e", "identity", "i");
  json_t *carer = json_pack("{s:s, s:[], s:s}", "background", "b", "skills", "home_environment",
                            "home");
  json_t *covers = json_pack("[s, s, s, s]", "therapeutic", "educational", "health", "training");
  struct match_submission_facts f = {profile, carer, false, true, true, covers};
  json_t *missing = json_array();
  ck_assert(!match_submission_check(&f, missing));
  const char *expected[] = {"child.profile.health", "child.profile.risks", "carer.skills",
                            "carer.supports", "matching_report",
                            "support_plan.covers.short_breaks",
                            "support_plan.covers.peer_support"};
  ck_assert_int_eq(json_array_size(missing), 7);
  for (size_t i = 0; i < 7; i++) {
    ck_assert_str_eq(json_string_value(json_array_get(missing, i)), expected[i]);
  }
  json_decref(missing);
  json_decref(covers);
  json_decref(carer);
  json_decref(profile);
}
END_TEST

START_TEST(m4_complete_match_and_no_support_plan) {
  json_t *profile = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "history", "h", "strengths",
                              "s", "routines", "r", "health", "h", "education", "e", "identity",
                              "i", "risks", "r");
  json_t *carer = json_pack("{s:s, s:[s], s:s, s:s}", "background", "b", "skills", "therapeutic",
                            "home_environment", "home", "supports", "family");
  json_t *covers = json_pack("[s, s, s, s, s, s]", "therapeutic", "educational", "health",
                             "short_breaks", "peer_support", "training");
  struct match_submission_facts f = {profile, carer, true, true, true, covers};
  json_t *missing = json_array();
  ck_assert(match_submission_check(&f, missing));
  f.has_support_plan = false;
  f.has_household_review = false;
  ck_assert(!match_submission_check(&f, missing));
  ck_assert_int_eq(json_array_size(missing), 2);
  ck_assert_str_eq(json_string_value(json_array_get(missing, 0)), "fostering_household_review");
  ck_assert_str_eq(json_string_value(json_array_get(missing, 1)), "support_plan");
  json_decref(missing);
  json_decref(covers);
  json_decref(carer);
  json_decref(profile);
}
END_TEST

START_TEST(m11_and_m7_fee_discussion_and_reasons) {
  ck_assert(match_needs_fee_discussion(true, false));
  ck_assert(!match_needs_fee_discussion(true, true));
  ck_assert(!match_needs_fee_discussion(false, false));
  ck_assert(!match_decision_needs_reasons("approve", true));
  ck_assert(match_decision_needs_reasons("approve", false));
  ck_assert(match_decision_needs_reasons("not_approve", true));
  ck_assert(!match_decision_needs_reasons("not_approve", false));
}
END_TEST

Suite *matching_suite(void) {
  Suite *s = suite_create("matching");
  TCase *tc = tcase_create("matching");
  tcase_add_test(tc, m1_age_limit_edge);
  tcase_add_test(tc, m2_names_each_missing_document);
  tcase_add_test(tc, m3_connected_person_needs_the_approved_carer_not_the_papers);
  tcase_add_test(tc, m4_names_every_missing_item_in_one_answer);
  tcase_add_test(tc, m4_complete_match_and_no_support_plan);
  tcase_add_test(tc, m11_and_m7_fee_discussion_and_reasons);
  suite_add_tcase(s, tc);
  return s;
}
