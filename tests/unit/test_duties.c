/* domain/duties.c: when the duties that come round again are next due (P7, P8, V1, L1, L2). */
#include "../../domain/duties.h"
#include "unit.h"

static void assert_date(struct date d, int y, int m, int day) {
  ck_assert_int_eq(d.year, y);
  ck_assert_int_eq(d.month, m);
  ck_assert_int_eq(d.day, day);
}

/* P7 for a child who entered care on Friday 28 August 2026, before the summer bank holiday
 * (Monday 31 August): the 20 working days run from Tuesday 1 September to Monday 28 September. */
START_TEST(P7_reviews_after_a_bank_holiday_weekend) {
  static const struct date closed[] = {{2026, 8, 31}, {2026, 12, 25}, {2026, 12, 28}};
  struct calendar cal = {closed, 3};
  json_t *defaults = json_object();
  struct date due[4];
  review_due_dates(&cal, defaults, (struct date){2026, 8, 28}, NULL, 0, due, 3);
  assert_date(due[0], 2026, 9, 28);
  assert_date(due[1], 2026, 12, 28);
  assert_date(due[2], 2027, 6, 28);
  struct date held[] = {{2026, 9, 20}, {2026, 12, 1}};
  review_due_dates(&cal, defaults, (struct date){2026, 8, 28}, held, 2, due, 4);
  assert_date(due[1], 2026, 12, 20);
  assert_date(due[2], 2027, 6, 1);
  assert_date(due[3], 2027, 12, 1);
  assert_date(review_next_due(defaults, 1, (struct date){2026, 9, 20}), 2026, 12, 20);
  json_decref(defaults);
}
END_TEST

START_TEST(P8_visits_first_year_then_long_term) {
  json_t *defaults = json_object();
  struct date start = {2026, 1, 10};
  assert_date(sw_visit_first_due(defaults, start), 2026, 1, 17);
  assert_date(sw_visit_next_due(defaults, start, true, (struct date){2026, 6, 1}), 2026, 7, 13);
  assert_date(sw_visit_next_due(defaults, start, true, (struct date){2027, 1, 10}), 2027, 4, 10);
  assert_date(sw_visit_next_due(defaults, start, false, (struct date){2027, 1, 10}), 2027, 2, 21);
  ck_assert(placement_type_long_term("U4"));
  ck_assert(!placement_type_long_term("U6"));
  json_decref(defaults);
}
END_TEST

START_TEST(V1_supervision_by_age_of_approval) {
  json_t *defaults = json_object();
  struct date approved = {2026, 1, 15};
  assert_date(supervision_next_due(defaults, approved, (struct date){2026, 2, 14}), 2026, 2, 21);
  assert_date(supervision_next_due(defaults, approved, (struct date){2026, 2, 15}), 2026, 3, 1);
  assert_date(supervision_next_due(defaults, approved, (struct date){2026, 3, 15}), 2026, 4, 12);
  assert_date(supervision_next_due(defaults, approved, (struct date){2027, 1, 15}), 2027, 3, 12);
  json_decref(defaults);
}
END_TEST

START_TEST(L1_L2_after_the_match) {
  json_t *settings = json_pack("{s:i}", "life_story_review_months", 4);
  struct date done = {2026, 8, 31};
  assert_date(life_long_next_due(settings, DUTY_LIFE_STORY_REVIEW, done), 2026, 12, 31);
  assert_date(life_long_next_due(settings, DUTY_ANNUAL_JOINT_VISIT, done), 2027, 8, 31);
  assert_date(life_long_next_due(settings, DUTY_JOINT_LETTER, done), 2026, 9, 14);
  ck_assert_str_eq(duty_name(DUTY_JOINT_LETTER), "joint_letter");
  ck_assert_str_eq(duty_rule(DUTY_SUPERVISION_VISIT), "V1");
  ck_assert_int_eq(duty_parse("sw_visit"), DUTY_SW_VISIT);
  ck_assert_int_eq(duty_parse(NULL), DUTY_NONE);
  json_decref(settings);
}
END_TEST

/* V2: a serious request by the end of that London day (BST on 1 July: 22:59:59Z), another
 * within 24 hours. */
START_TEST(V2_support_response) {
  json_t *defaults = json_object();
  time_t asked = 1782900000; /* 2026-07-01T10:00:00Z */
  ck_assert(support_response_due(defaults, true, asked) == 1782946799);
  ck_assert(support_response_due(defaults, false, asked) == asked + 24 * 3600);
  json_decref(defaults);
}
END_TEST

Suite *duties_suite(void) {
  Suite *s = suite_create("duties");
  TCase *tc = tcase_create("duties");
  tcase_add_test(tc, P7_reviews_after_a_bank_holiday_weekend);
  tcase_add_test(tc, P8_visits_first_year_then_long_term);
  tcase_add_test(tc, V1_supervision_by_age_of_approval);
  tcase_add_test(tc, L1_L2_after_the_match);
  tcase_add_test(tc, V2_support_response);
  suite_add_tcase(s, tc);
  return s;
}
