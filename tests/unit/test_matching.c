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

Suite *matching_suite(void) {
  Suite *s = suite_create("matching");
  TCase *tc = tcase_create("matching");
  tcase_add_test(tc, m1_age_limit_edge);
  tcase_add_test(tc, m2_names_each_missing_document);
  tcase_add_test(tc, m3_connected_person_needs_the_approved_carer_not_the_papers);
  suite_add_tcase(s, tc);
  return s;
}
