/* domain/endings.c: E's unplanned endings, U1's window, U2's waiver and P3's referral back. */
#include "../../domain/carer_notice.h"
#include "../../domain/endings.h"
#include "unit.h"

static void assert_date(struct date d, int y, int m, int day) {
  ck_assert_int_eq(d.year, y);
  ck_assert_int_eq(d.month, m);
  ck_assert_int_eq(d.day, day);
}

START_TEST(E_unplanned_answers) {
  bool yes = true;
  bool no = false;
  ck_assert_int_eq(ending_unplanned("CREQB", NULL), ENDING_IS_UNPLANNED);
  ck_assert_int_eq(ending_unplanned("CREQB", &yes), ENDING_IS_UNPLANNED);
  ck_assert_int_eq(ending_unplanned("CREQB", &no), ENDING_CONTRADICTED);
  ck_assert_int_eq(ending_unplanned("CARPL", &yes), ENDING_CONTRADICTED);
  ck_assert_int_eq(ending_unplanned("LAREQ", NULL), ENDING_UNKNOWN);
  ck_assert_int_eq(ending_unplanned("LAREQ", &yes), ENDING_IS_UNPLANNED);
  ck_assert_int_eq(ending_unplanned("OTHER", &no), ENDING_IS_PLANNED);
}
END_TEST

/* U1: a month is a calendar month (30 and 31-day months, clamped at February's end); six weeks
 * is 42 days. */
START_TEST(U1_window_around_months_of_30_and_31_days) {
  json_t *defaults = json_object();
  struct date_range april = unplanned_meeting_window(defaults, (struct date){2026, 4, 15});
  assert_date(april.first, 2026, 5, 15);
  assert_date(april.last, 2026, 5, 27);
  struct date_range march = unplanned_meeting_window(defaults, (struct date){2026, 3, 15});
  assert_date(march.first, 2026, 4, 15);
  assert_date(march.last, 2026, 4, 26);
  struct date_range january = unplanned_meeting_window(defaults, (struct date){2026, 1, 31});
  assert_date(january.first, 2026, 2, 28);
  assert_date(january.last, 2026, 3, 14);
  ck_assert(!date_range_contains(april, (struct date){2026, 5, 14}));
  ck_assert(date_range_contains(april, (struct date){2026, 5, 27}));
  ck_assert(!date_range_contains(april, (struct date){2026, 5, 28}));
  json_t *custom = json_pack("{s:i}", "unplanned_ending_meeting_latest_weeks", 8);
  assert_date(unplanned_meeting_window(custom, (struct date){2026, 4, 15}).last, 2026, 6, 10);
  json_decref(custom);
  json_decref(defaults);
}
END_TEST

START_TEST(U2_waiver_needs_a_stability_meeting_in_the_12_weeks_before) {
  json_t *defaults = json_object();
  struct date end = {2026, 6, 30};
  struct date twelve_weeks = {2026, 4, 7};   /* end - 84 days */
  struct date thirteen_weeks = {2026, 3, 31};
  struct date after = {2026, 7, 1};
  ck_assert(unplanned_meeting_waivable(defaults, end, &twelve_weeks, 1));
  ck_assert(!unplanned_meeting_waivable(defaults, end, &thirteen_weeks, 1));
  ck_assert(!unplanned_meeting_waivable(defaults, end, &after, 1));
  ck_assert(!unplanned_meeting_waivable(defaults, end, NULL, 0));
  struct date both[] = {thirteen_weeks, end};
  ck_assert(unplanned_meeting_waivable(defaults, end, both, 2));
  json_decref(defaults);
}
END_TEST

START_TEST(P3_refers_back_before_the_11th_birthday) {
  json_t *defaults = json_object();
  struct date born = {2016, 3, 10};
  ck_assert(breakdown_refers_back(defaults, born, (struct date){2027, 3, 9}));
  ck_assert(!breakdown_refers_back(defaults, born, (struct date){2027, 3, 10}));
  json_decref(defaults);
}
END_TEST

/* S9: notice only after the carer's wish was discussed, and not dated before the discussion. */
START_TEST(S9_notice_follows_the_discussion) {
  json_t *missing = json_array();
  struct carer_notice_facts none = {0};
  ck_assert(!carer_notice_may_be_given(&none, (struct date){2026, 6, 1}, missing));
  ck_assert_int_eq(json_array_size(missing), 2);
  json_array_clear(missing);
  struct carer_notice_facts discussed = {true, true, {2026, 6, 1}};
  ck_assert(!carer_notice_may_be_given(&discussed, (struct date){2026, 5, 31}, missing));
  ck_assert_str_eq(json_string_value(json_array_get(missing, 0)), "discussion");
  json_array_clear(missing);
  ck_assert(carer_notice_may_be_given(&discussed, (struct date){2026, 6, 1}, missing));
  ck_assert_int_eq(json_array_size(missing), 0);
  json_decref(missing);
}
END_TEST

Suite *endings_suite(void) {
  Suite *s = suite_create("endings");
  TCase *tc = tcase_create("endings");
  tcase_add_test(tc, E_unplanned_answers);
  tcase_add_test(tc, U1_window_around_months_of_30_and_31_days);
  tcase_add_test(tc, U2_waiver_needs_a_stability_meeting_in_the_12_weeks_before);
  tcase_add_test(tc, P3_refers_back_before_the_11th_birthday);
  tcase_add_test(tc, S9_notice_follows_the_discussion);
  suite_add_tcase(s, tc);
  return s;
}
