/* domain/reports.c: percentages, age bands (U3), medians (P6), the unplanned-ending meeting's
 * outcome and tallies. */
#include <check.h>
#include <math.h>
#include <string.h>

#include "../../domain/reports.h"
#include "unit.h"

START_TEST(test_percentage_rounds_to_one_place) {
  char buf[16];
  ck_assert_str_eq(report_percentage_text(1, 3, buf, sizeof buf), "33.3");
  ck_assert_str_eq(report_percentage_text(1, 6, buf, sizeof buf), "16.7");
  ck_assert_str_eq(report_percentage_text(1, 8, buf, sizeof buf), "12.5"); /* exactly */
  ck_assert_str_eq(report_percentage_text(1, 16, buf, sizeof buf), "6.3"); /* 6.25 rounds up */
  ck_assert_str_eq(report_percentage_text(2, 3, buf, sizeof buf), "66.7");
  ck_assert_str_eq(report_percentage_text(5, 5, buf, sizeof buf), "100.0");
  ck_assert_str_eq(report_percentage_text(0, 7, buf, sizeof buf), "0.0");
  ck_assert_str_eq(report_percentage_text(1, 0, buf, sizeof buf), "");
}
END_TEST

START_TEST(test_U3_age_bands) {
  ck_assert_str_eq(report_age_band(0), "0-4");
  ck_assert_str_eq(report_age_band(4), "0-4");
  ck_assert_str_eq(report_age_band(5), "5-9");
  ck_assert_str_eq(report_age_band(9), "5-9");
  ck_assert_str_eq(report_age_band(10), "10-15");
  ck_assert_str_eq(report_age_band(15), "10-15");
  ck_assert_str_eq(report_age_band(16), "16+");
  ck_assert_str_eq(report_age_band(17), "16+");
  ck_assert_str_eq(report_age_bands()[3], "16+");
  ck_assert_ptr_null(report_age_bands()[4]);
}
END_TEST

START_TEST(test_U1_ending_meeting_outcome) {
  ck_assert_str_eq(report_ending_meeting(true, true), "held_in_window");
  ck_assert_str_eq(report_ending_meeting(true, false), "held_in_window");
  ck_assert_str_eq(report_ending_meeting(false, true), "waived");
  ck_assert_str_eq(report_ending_meeting(false, false), "neither");
}
END_TEST

START_TEST(test_P6_median_and_longest) {
  long odd[] = {30, 2, 7};
  long even[] = {100, 60};
  double m;
  ck_assert(!report_median(odd, 0, &m));
  ck_assert(report_median(odd, 3, &m));
  ck_assert_double_eq(m, 7.0);
  ck_assert_int_eq(report_longest(odd, 3), 30);
  ck_assert(report_median(even, 2, &m));
  ck_assert_double_eq(m, 80.0);
  ck_assert_int_eq(report_longest(even, 2), 100);
  ck_assert_int_eq(report_longest(even, 0), 0);
}
END_TEST

START_TEST(test_tally_lists_fixed_keys_first_then_sorted) {
  static const char *const ALWAYS[] = {"yes", "no", NULL};
  json_t *t = json_object();
  report_tally_add(t, "maybe");
  report_tally_add(t, "no");
  report_tally_add(t, "another");
  report_tally_add(t, "no");
  json_t *list = report_tally_list(t, ALWAYS);
  ck_assert_int_eq(json_array_size(list), 4);
  ck_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 0), "key")), "yes");
  ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(list, 0), "count")), 0);
  ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(list, 1), "count")), 2);
  ck_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 2), "key")), "another");
  ck_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 3), "key")), "maybe");
  json_decref(list);
  json_decref(t);
}
END_TEST

Suite *reports_suite(void) {
  Suite *s = suite_create("reports");
  TCase *tc = tcase_create("reports");
  tcase_add_test(tc, test_percentage_rounds_to_one_place);
  tcase_add_test(tc, test_U3_age_bands);
  tcase_add_test(tc, test_U1_ending_meeting_outcome);
  tcase_add_test(tc, test_P6_median_and_longest);
  tcase_add_test(tc, test_tally_lists_fixed_keys_first_then_sorted);
  suite_add_tcase(s, tc);
  return s;
}
