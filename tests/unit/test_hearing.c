/* domain/hearing.c: which panel hears what (P5), papers in time (M5) around a bank holiday, the
 * last panel of the month (M9), the child's voice (M6), the invitation (M12), Part 1 papers (P4)
 * and the voice ambassador's papers without birth-family contact details. */
#include <string.h>

#include "../../domain/hearing.h"
#include "unit.h"

static struct date day(const char *text) {
  struct date d;
  ck_assert(date_parse(text, &d));
  return d;
}

/* Names the `missing` array holds, as one comma-separated string for comparison. */
static void assert_missing(const json_t *missing, const char *expected) {
  char joined[512] = "";
  size_t i;
  json_t *name;
  json_array_foreach(missing, i, name) {
    strcat(joined, i > 0 ? "," : "");
    strcat(joined, json_string_value(name));
  }
  ck_assert_str_eq(joined, expected);
}

START_TEST(p5_matches_in_part_2_requests_in_part_1) {
  ck_assert_ptr_null(hearing_part_refusal("matching", 0, true));
  ck_assert_ptr_null(hearing_part_refusal("permanence", 2, true));
  ck_assert_ptr_null(hearing_part_refusal("permanence", 0, true));
  ck_assert_ptr_nonnull(hearing_part_refusal("permanence", 1, true));
  ck_assert_ptr_null(hearing_part_refusal("permanence", 1, false));
  ck_assert_ptr_null(hearing_part_refusal("permanence", 0, false));
  ck_assert_ptr_nonnull(hearing_part_refusal("permanence", 2, false));
  ck_assert_ptr_nonnull(hearing_part_refusal("matching", 0, false));
}
END_TEST

START_TEST(m5_five_working_days_before_a_panel_after_a_bank_holiday) {
  /* Tuesday 26 May 2026 follows the Spring bank holiday (Monday 25 May). Counting back five
   * working days: Fri 22, Thu 21, Wed 20, Tue 19, Mon 18. */
  const struct date closed[] = {day("2026-05-25")};
  const struct calendar cal = {closed, 1};
  ck_assert(hearing_papers_on_time(&cal, day("2026-05-18"), day("2026-05-26"), 5));
  ck_assert(hearing_papers_on_time(&cal, day("2026-05-15"), day("2026-05-26"), 5));
  ck_assert(!hearing_papers_on_time(&cal, day("2026-05-19"), day("2026-05-26"), 5));
  /* without the bank holiday Tuesday 19 May would have been in time */
  ck_assert(hearing_papers_on_time(NULL, day("2026-05-19"), day("2026-05-26"), 5));
}
END_TEST

START_TEST(m9_only_a_long_term_formal_approval_waits_for_the_last_panel) {
  ck_assert(!hearing_formal_approval_allowed("approve", "long_term", false));
  ck_assert(hearing_formal_approval_allowed("approve", "long_term", true));
  ck_assert(hearing_formal_approval_allowed("not_approve", "long_term", false));
  ck_assert(hearing_formal_approval_allowed("approve", "connected_person", false));
}
END_TEST

START_TEST(m6_the_childs_voice_and_a_disabled_childs_considerations) {
  json_t *missing = json_array();
  json_t *body = json_pack("{s:s}", "wishes_and_feelings", "  ");
  ck_assert(!hearing_voice_check(body, true, missing));
  assert_missing(missing, "wishes_and_feelings,wishes_via,accessibility,health_management");
  json_array_clear(missing);
  json_object_set_new(body, "wishes_and_feelings", json_string("Wants to stay with Sam"));
  json_object_set_new(body, "wishes_via", json_string("advocate"));
  ck_assert(hearing_voice_check(body, false, missing));
  ck_assert(!hearing_voice_check(body, true, missing));
  assert_missing(missing, "accessibility,health_management");
  json_decref(body);
  json_decref(missing);
}
END_TEST

START_TEST(m12_invited_or_a_reason_why_not) {
  json_t *missing = json_array();
  json_t *body = json_object();
  ck_assert(!hearing_invitation_check(body, missing));
  assert_missing(missing, "child_invited");
  json_array_clear(missing);
  json_object_set_new(body, "child_invited", json_false());
  ck_assert(!hearing_invitation_check(body, missing));
  assert_missing(missing, "child_not_invited_reason");
  json_array_clear(missing);
  json_object_set_new(body, "child_not_invited_reason", json_string("Asked not to attend"));
  ck_assert(hearing_invitation_check(body, missing));
  json_object_set_new(body, "child_invited", json_true());
  json_object_del(body, "child_not_invited_reason");
  ck_assert(hearing_invitation_check(body, missing));
  json_decref(body);
  json_decref(missing);
}
END_TEST

START_TEST(p4_papers_and_the_explanation_after_a_recent_disruption) {
  json_t *missing = json_array();
  struct part1_request_facts f = {.recent_unplanned_ending = true};
  ck_assert(!hearing_request_check(&f, missing));
  assert_missing(missing, "permanence_plan,ppm_minutes,panel_request_form,care_history_explanation");
  json_array_clear(missing);
  f = (struct part1_request_facts){true, true, true, false, false};
  ck_assert(hearing_request_check(&f, missing));
  f.recent_unplanned_ending = true;
  ck_assert(!hearing_request_check(&f, missing));
  f.care_history_explained = true;
  json_array_clear(missing);
  ck_assert(hearing_request_check(&f, missing));
  json_decref(missing);
}
END_TEST

START_TEST(voice_ambassador_papers_keep_names_not_contact_details) {
  json_t *family = json_pack("[{s:s, s:s, s:s, s:s, s:s, s:s}]", "name", "Jo Birth",
                             "relationship", "mother", "address", "1 High St", "phone", "0700",
                             "email", "jo@example.org", "contact_arrangements", "letterbox");
  hearing_remove_birth_family_contacts(family);
  json_t *relative = json_array_get(family, 0);
  ck_assert_ptr_null(json_object_get(relative, "address"));
  ck_assert_ptr_null(json_object_get(relative, "phone"));
  ck_assert_ptr_null(json_object_get(relative, "email"));
  ck_assert_str_eq(json_string_value(json_object_get(relative, "name")), "Jo Birth");
  ck_assert_str_eq(json_string_value(json_object_get(relative, "contact_arrangements")),
                   "letterbox");
  json_decref(family);
}
END_TEST

Suite *hearing_suite(void) {
  Suite *s = suite_create("hearing");
  TCase *tc = tcase_create("hearing");
  tcase_add_test(tc, p5_matches_in_part_2_requests_in_part_1);
  tcase_add_test(tc, m5_five_working_days_before_a_panel_after_a_bank_holiday);
  tcase_add_test(tc, m9_only_a_long_term_formal_approval_waits_for_the_last_panel);
  tcase_add_test(tc, m6_the_childs_voice_and_a_disabled_childs_considerations);
  tcase_add_test(tc, m12_invited_or_a_reason_why_not);
  tcase_add_test(tc, p4_papers_and_the_explanation_after_a_recent_disruption);
  tcase_add_test(tc, voice_ambassador_papers_keep_names_not_contact_details);
  suite_add_tcase(s, tc);
  return s;
}
