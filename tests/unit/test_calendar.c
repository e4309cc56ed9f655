/* domain/calendar.c: working days around bank holidays and closures, London clock changes,
 * month arithmetic in leap years, deadlines, windows and RFC 3339 timestamps. */
#include "../../domain/calendar.h"
#include "unit.h"

/* England and Wales bank holidays 2020-2025 (as db/migrations/003_bank_holidays.sql ships). */
static const struct date bank_holidays[] = {
  {2020, 1, 1}, /* New Year's Day */
  {2020, 4, 10}, /* Good Friday */
  {2020, 4, 13}, /* Easter Monday */
  {2020, 5, 8}, /* Early May bank holiday (VE Day) */
  {2020, 5, 25}, /* Spring bank holiday */
  {2020, 8, 31}, /* Summer bank holiday */
  {2020, 12, 25}, /* Christmas Day */
  {2020, 12, 28}, /* Boxing Day (substitute day) */
  {2021, 1, 1}, /* New Year's Day */
  {2021, 4, 2}, /* Good Friday */
  {2021, 4, 5}, /* Easter Monday */
  {2021, 5, 3}, /* Early May bank holiday */
  {2021, 5, 31}, /* Spring bank holiday */
  {2021, 8, 30}, /* Summer bank holiday */
  {2021, 12, 27}, /* Christmas Day (substitute day) */
  {2021, 12, 28}, /* Boxing Day (substitute day) */
  {2022, 1, 3}, /* New Year's Day (substitute day) */
  {2022, 4, 15}, /* Good Friday */
  {2022, 4, 18}, /* Easter Monday */
  {2022, 5, 2}, /* Early May bank holiday */
  {2022, 6, 2}, /* Spring bank holiday */
  {2022, 6, 3}, /* Platinum Jubilee bank holiday */
  {2022, 8, 29}, /* Summer bank holiday */
  {2022, 9, 19}, /* Bank holiday for the State Funeral of Queen Elizabeth II */
  {2022, 12, 26}, /* Boxing Day */
  {2022, 12, 27}, /* Christmas Day (substitute day) */
  {2023, 1, 2}, /* New Year's Day (substitute day) */
  {2023, 4, 7}, /* Good Friday */
  {2023, 4, 10}, /* Easter Monday */
  {2023, 5, 1}, /* Early May bank holiday */
  {2023, 5, 8}, /* Bank holiday for the coronation of King Charles III */
  {2023, 5, 29}, /* Spring bank holiday */
  {2023, 8, 28}, /* Summer bank holiday */
  {2023, 12, 25}, /* Christmas Day */
  {2023, 12, 26}, /* Boxing Day */
  {2024, 1, 1}, /* New Year's Day */
  {2024, 3, 29}, /* Good Friday */
  {2024, 4, 1}, /* Easter Monday */
  {2024, 5, 6}, /* Early May bank holiday */
  {2024, 5, 27}, /* Spring bank holiday */
  {2024, 8, 26}, /* Summer bank holiday */
  {2024, 12, 25}, /* Christmas Day */
  {2024, 12, 26}, /* Boxing Day */
  {2025, 1, 1}, /* New Year's Day */
  {2025, 4, 18}, /* Good Friday */
  {2025, 4, 21}, /* Easter Monday */
  {2025, 5, 5}, /* Early May bank holiday */
  {2025, 5, 26}, /* Spring bank holiday */
  {2025, 8, 25}, /* Summer bank holiday */
  {2025, 12, 25}, /* Christmas Day */
  {2025, 12, 26}, /* Boxing Day */
};

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

/* The bank holidays above as a calendar (no closures). */
static struct calendar holidays(void) {
  struct calendar cal = {bank_holidays, COUNT(bank_holidays)};
  return cal;
}

/* The date "YYYY-MM-DD", failing the test when it is not one. */
static struct date day(const char *text) {
  struct date d = {0, 0, 0};
  ck_assert_msg(date_parse(text, &d), "not a date: %s", text);
  return d;
}

static void assert_day(struct date d, const char *expected) {
  char text[11];
  date_format(d, text);
  ck_assert_str_eq(text, expected);
}

/* The instant of an RFC 3339 timestamp, failing the test when it does not parse. */
static time_t utc(const char *text) {
  time_t t = 0;
  ck_assert_msg(date_from_time_string(text, &t), "not a timestamp: %s", text);
  return t;
}

static void assert_utc(time_t t, const char *expected) {
  char text[21];
  time_format_utc(t, text);
  ck_assert_str_eq(text, expected);
}

START_TEST(fixture_is_sorted_weekdays_only) {
  struct calendar cal = holidays();
  for (size_t i = 0; i < cal.count; i++) {
    ck_assert_int_lt(date_day_of_week(cal.closed[i]), 5);
    ck_assert(!calendar_is_working_day(&cal, cal.closed[i]));
    if (i > 0) {
      ck_assert_int_lt(date_compare(cal.closed[i - 1], cal.closed[i]), 0);
    }
  }
}
END_TEST

START_TEST(day_of_week_and_day_arithmetic) {
  ck_assert_int_eq(date_day_of_week(day("2024-01-01")), 0);
  ck_assert_int_eq(date_day_of_week(day("2023-12-31")), 6);
  ck_assert_int_eq(date_day_of_week(day("1970-01-01")), 3);
  ck_assert_int_eq(date_day_of_week(day("2000-02-29")), 1);
  ck_assert_int_eq(date_day_of_week(day("1900-01-01")), 0);
  assert_day(date_add_days(day("2024-02-28"), 1), "2024-02-29");
  assert_day(date_add_days(day("2024-02-28"), 2), "2024-03-01");
  assert_day(date_add_days(day("2023-02-28"), 1), "2023-03-01");
  assert_day(date_add_days(day("2024-01-01"), -1), "2023-12-31");
  assert_day(date_add_days(day("2024-01-01"), 366), "2025-01-01");
  ck_assert_int_eq(date_days_between(day("2024-01-01"), day("2025-01-01")), 366);
  ck_assert_int_eq(date_days_between(day("2023-01-01"), day("2024-01-01")), 365);
  ck_assert_int_eq(date_days_between(day("2025-01-01"), day("2024-01-01")), -366);
  ck_assert_int_eq(date_days_between(day("1970-01-01"), day("2000-01-01")), 10957);
  assert_day(date_add_weeks(day("2024-02-22"), 1), "2024-02-29");
  assert_day(date_add_weeks(day("2024-03-07"), -1), "2024-02-29");
}
END_TEST

START_TEST(add_months_clamps_to_month_end_in_leap_years) {
  assert_day(date_add_months(day("2024-01-31"), 1), "2024-02-29");
  assert_day(date_add_months(day("2023-01-31"), 1), "2023-02-28");
  assert_day(date_add_months(day("2024-02-29"), 12), "2025-02-28");
  assert_day(date_add_months(day("2024-02-29"), 48), "2028-02-29");
  assert_day(date_add_months(day("2024-03-31"), -1), "2024-02-29");
  assert_day(date_add_months(day("2024-05-31"), 1), "2024-06-30");
  assert_day(date_add_months(day("2024-12-15"), 1), "2025-01-15");
  assert_day(date_add_months(day("2025-01-15"), -1), "2024-12-15");
  assert_day(date_add_months(day("2024-07-04"), 0), "2024-07-04");
}
END_TEST

START_TEST(easter_2024_and_2025_are_not_working_days) {
  struct calendar cal = holidays();
  ck_assert(calendar_is_working_day(&cal, day("2024-03-28")));
  ck_assert(!calendar_is_working_day(&cal, day("2024-03-29")));
  ck_assert(!calendar_is_working_day(&cal, day("2024-03-30")));
  ck_assert(!calendar_is_working_day(&cal, day("2024-04-01")));
  ck_assert(calendar_is_working_day(&cal, day("2024-04-02")));
  assert_day(calendar_add_working_days(&cal, day("2024-03-28"), 1), "2024-04-02");
  assert_day(calendar_add_working_days(&cal, day("2024-04-02"), -1), "2024-03-28");
  assert_day(calendar_add_working_days(&cal, day("2025-04-17"), 1), "2025-04-22");
  assert_day(calendar_add_working_days(&cal, day("2025-04-17"), 0), "2025-04-17");
  assert_day(calendar_add_working_days(NULL, day("2024-03-28"), 1), "2024-03-29");
}
END_TEST

START_TEST(christmas_and_boxing_day_at_weekends) {
  struct calendar cal = holidays();
  ck_assert(!calendar_is_working_day(&cal, day("2021-12-27")));
  ck_assert(!calendar_is_working_day(&cal, day("2021-12-28")));
  ck_assert(!calendar_is_working_day(&cal, day("2022-12-27")));
  assert_day(calendar_add_working_days(&cal, day("2021-12-24"), 1), "2021-12-29");
  assert_day(calendar_add_working_days(&cal, day("2022-12-23"), 1), "2022-12-28");
  assert_day(calendar_add_working_days(&cal, day("2020-12-24"), 1), "2020-12-29");
  assert_day(calendar_add_working_days(&cal, day("2021-12-31"), 1), "2022-01-04");
  assert_day(calendar_add_working_days(&cal, day("2022-12-30"), 1), "2023-01-03");
}
END_TEST

START_TEST(working_days_between_across_bank_holidays) {
  struct calendar cal = holidays();
  ck_assert_int_eq(calendar_working_days_between(&cal, day("2024-03-28"), day("2024-04-05")), 4);
  ck_assert_int_eq(calendar_working_days_between(&cal, day("2024-03-28"), day("2024-04-01")), 0);
  ck_assert_int_eq(calendar_working_days_between(&cal, day("2024-03-27"), day("2024-03-28")), 1);
  ck_assert_int_eq(calendar_working_days_between(&cal, day("2025-05-02"), day("2025-05-09")), 4);
  ck_assert_int_eq(calendar_working_days_between(&cal, day("2021-12-24"), day("2022-01-04")), 4);
  ck_assert_int_eq(calendar_working_days_between(&cal, day("2023-12-31"), day("2024-12-31")),
                   254);
  ck_assert_int_eq(calendar_working_days_between(&cal, day("2024-04-05"), day("2024-04-05")), 0);
  ck_assert_int_eq(calendar_working_days_between(&cal, day("2024-04-05"), day("2024-03-28")), 0);
  ck_assert_int_eq(calendar_working_days_between(NULL, day("2024-03-28"), day("2024-04-05")), 6);
}
END_TEST

START_TEST(working_days_between_inverts_adding_them) {
  struct calendar cal = holidays();
  for (struct date d = day("2021-12-01"); date_compare(d, day("2022-02-01")) < 0;
       d = date_add_days(d, 1)) {
    for (int n = 1; n <= 30; n++) {
      struct date due = calendar_add_working_days(&cal, d, n);
      ck_assert(calendar_is_working_day(&cal, due));
      ck_assert_int_eq(calendar_working_days_between(&cal, d, due), n);
      ck_assert_int_eq(calendar_working_days_between(&cal, d, date_add_days(due, -1)), n - 1);
    }
  }
}
END_TEST

START_TEST(closure_day_shifts_the_deadline) {
  static const struct date closures[] = {{2024, 6, 5}, {2024, 6, 8}};
  struct calendar base = holidays();
  struct date merged[COUNT(bank_holidays) + COUNT(closures)];
  size_t n = 0;
  size_t j = 0;
  for (size_t i = 0; i < base.count; i++) {
    while (j < COUNT(closures) && date_compare(closures[j], base.closed[i]) < 0) {
      merged[n++] = closures[j++];
    }
    merged[n++] = base.closed[i];
  }
  while (j < COUNT(closures)) {
    merged[n++] = closures[j++];
  }
  struct calendar closed = {merged, n};
  ck_assert(calendar_is_working_day(&base, day("2024-06-05")));
  ck_assert(!calendar_is_working_day(&closed, day("2024-06-05")));
  ck_assert(!calendar_is_working_day(&closed, day("2024-03-29")));
  assert_day(calendar_add_working_days(&base, day("2024-06-03"), 5), "2024-06-10");
  assert_day(calendar_add_working_days(&closed, day("2024-06-03"), 5), "2024-06-11");
  assert_utc(deadline_working_days(&base, day("2024-06-03"), 5), "2024-06-10T22:59:59Z");
  assert_utc(deadline_working_days(&closed, day("2024-06-03"), 5), "2024-06-11T22:59:59Z");
  ck_assert_int_eq(calendar_working_days_between(&base, day("2024-06-03"), day("2024-06-11")), 6);
  ck_assert_int_eq(calendar_working_days_between(&closed, day("2024-06-03"), day("2024-06-11")),
                   5);
}
END_TEST

START_TEST(within_five_working_days_across_easter) {
  struct calendar cal = holidays();
  assert_utc(deadline_working_days(&cal, day("2024-03-27"), 5), "2024-04-05T22:59:59Z");
  assert_utc(deadline_working_days(&cal, day("2024-03-22"), 5), "2024-04-02T22:59:59Z");
  assert_utc(deadline_working_days(&cal, day("2025-04-16"), 5), "2025-04-25T22:59:59Z");
  assert_utc(deadline_working_days(&cal, day("2024-12-20"), 5), "2024-12-31T23:59:59Z");
}
END_TEST

START_TEST(london_offset_and_end_of_day_at_clock_changes) {
  assert_utc(london_end_of_day(day("2024-03-30")), "2024-03-30T23:59:59Z");
  assert_utc(london_end_of_day(day("2024-03-31")), "2024-03-31T22:59:59Z");
  assert_utc(london_end_of_day(day("2024-10-26")), "2024-10-26T22:59:59Z");
  assert_utc(london_end_of_day(day("2024-10-27")), "2024-10-27T23:59:59Z");
  ck_assert_int_eq(london_utc_offset_seconds(utc("2024-03-31T00:59:59Z")), 0);
  ck_assert_int_eq(london_utc_offset_seconds(utc("2024-03-31T01:00:00Z")), 3600);
  ck_assert_int_eq(london_utc_offset_seconds(utc("2024-10-27T00:59:59Z")), 3600);
  ck_assert_int_eq(london_utc_offset_seconds(utc("2024-10-27T01:00:00Z")), 0);
  ck_assert_int_eq(london_utc_offset_seconds(utc("2025-03-29T12:00:00Z")), 0);
  ck_assert_int_eq(london_utc_offset_seconds(utc("2025-03-30T01:00:00Z")), 3600);
  ck_assert_int_eq(london_utc_offset_seconds(utc("2025-10-26T00:59:59Z")), 3600);
  ck_assert_int_eq(london_utc_offset_seconds(utc("2025-10-26T01:00:00Z")), 0);
  assert_day(london_date(utc("2024-06-30T23:30:00Z")), "2024-07-01");
  assert_day(london_date(utc("2024-12-31T23:30:00Z")), "2024-12-31");
  assert_day(london_date(utc("2024-03-30T23:30:00Z")), "2024-03-30");
  assert_day(london_date(utc("2024-10-26T23:30:00Z")), "2024-10-27");
}
END_TEST

START_TEST(london_wall_clock_gap_and_repeated_hour) {
  assert_utc(london_time_to_utc(day("2024-03-31"), 0, 30, 0), "2024-03-31T00:30:00Z");
  assert_utc(london_time_to_utc(day("2024-03-31"), 1, 30, 0), "2024-03-31T00:30:00Z");
  assert_utc(london_time_to_utc(day("2024-03-31"), 2, 0, 0), "2024-03-31T01:00:00Z");
  assert_utc(london_time_to_utc(day("2024-10-27"), 0, 30, 0), "2024-10-26T23:30:00Z");
  assert_utc(london_time_to_utc(day("2024-10-27"), 1, 0, 0), "2024-10-27T00:00:00Z");
  assert_utc(london_time_to_utc(day("2024-10-27"), 1, 59, 59), "2024-10-27T00:59:59Z");
  assert_utc(london_time_to_utc(day("2024-10-27"), 2, 0, 0), "2024-10-27T02:00:00Z");
  for (struct date d = day("2024-01-01"); date_compare(d, day("2025-01-01")) < 0;
       d = date_add_days(d, 1)) {
    ck_assert_int_eq(date_compare(london_date(london_time_to_utc(d, 0, 0, 0)), d), 0);
    ck_assert_int_eq(date_compare(london_date(london_end_of_day(d)), d), 0);
    ck_assert_int_eq(date_compare(london_date(london_end_of_day(d) + 1), date_add_days(d, 1)), 0);
  }
}
END_TEST

START_TEST(deadline_hours_counts_clock_hours) {
  time_t from = utc("2024-03-30T12:00:00Z");
  assert_utc(deadline_hours(from, 24), "2024-03-31T12:00:00Z");
  assert_utc(deadline_hours(from, 72), "2024-04-02T12:00:00Z");
  ck_assert(deadline_hours(from, 0) == from);
}
END_TEST

START_TEST(parses_rfc3339_timestamps) {
  assert_utc(utc("2024-03-31T01:00:00Z"), "2024-03-31T01:00:00Z");
  assert_utc(utc("2024-06-30T23:30:00.123Z"), "2024-06-30T23:30:00Z");
  assert_utc(utc("2024-07-01T00:30:00+01:00"), "2024-06-30T23:30:00Z");
  assert_utc(utc("2024-06-30T18:30:00-05:00"), "2024-06-30T23:30:00Z");
  assert_utc(utc("2024-12-31T23:30:00-01:00"), "2025-01-01T00:30:00Z");
  assert_utc(utc("2024-02-29T23:59:59.999999-00:00"), "2024-02-29T23:59:59Z");
  ck_assert(utc("1970-01-01T00:00:00Z") == 0);
  ck_assert(utc("1969-12-31T23:59:59Z") == -1);
  ck_assert(utc("2024-02-29T23:59:59Z") == 1709251199);
}
END_TEST

START_TEST(rejects_malformed_timestamps) {
  static const char *const bad[] = {
      "",
      "2024-03-31",
      "2024-03-31T01:00:00",
      "2024-03-31 01:00:00Z",
      "2024-03-31t01:00:00Z",
      "2024-03-31T01:00:00z",
      "2024-02-30T00:00:00Z",
      "2023-02-29T00:00:00Z",
      "2024-13-01T00:00:00Z",
      "2024-03-31T24:00:00Z",
      "2024-03-31T01:60:00Z",
      "2024-03-31T01:00:60Z",
      "2024-03-31T1:00:00Z",
      "2024-03-31T01:00:00.Z",
      "2024-03-31T01:00:00.5",
      "2024-03-31T01:00:00+0100",
      "2024-03-31T01:00:00+01",
      "2024-03-31T01:00:00+24:00",
      "2024-03-31T01:00:00+01:60",
      "2024-03-31T01:00:00+01:00x",
      "2024-03-31T01:00:00Zx",
      "2024-03-31T01:00:00 Z",
      "+024-03-31T01:00:00Z",
  };
  for (size_t i = 0; i < COUNT(bad); i++) {
    time_t t = 42;
    ck_assert_msg(!date_from_time_string(bad[i], &t), "accepted: \"%s\"", bad[i]);
    ck_assert(t == 42);
  }
  time_t t = 42;
  ck_assert(!date_from_time_string(NULL, &t));
}
END_TEST

START_TEST(formats_utc_timestamps) {
  assert_utc(0, "1970-01-01T00:00:00Z");
  assert_utc(-1, "1969-12-31T23:59:59Z");
  assert_utc(1709251199, "2024-02-29T23:59:59Z");
  assert_utc(-2208988800, "1900-01-01T00:00:00Z");
  assert_utc((time_t)253402300799LL, "9999-12-31T23:59:59Z");
}
END_TEST

Suite *calendar_suite(void) {
  Suite *s = suite_create("calendar");
  TCase *tc = tcase_create("calendar");
  tcase_add_test(tc, fixture_is_sorted_weekdays_only);
  tcase_add_test(tc, day_of_week_and_day_arithmetic);
  tcase_add_test(tc, add_months_clamps_to_month_end_in_leap_years);
  tcase_add_test(tc, easter_2024_and_2025_are_not_working_days);
  tcase_add_test(tc, christmas_and_boxing_day_at_weekends);
  tcase_add_test(tc, working_days_between_across_bank_holidays);
  tcase_add_test(tc, working_days_between_inverts_adding_them);
  tcase_add_test(tc, closure_day_shifts_the_deadline);
  tcase_add_test(tc, within_five_working_days_across_easter);
  tcase_add_test(tc, london_offset_and_end_of_day_at_clock_changes);
  tcase_add_test(tc, london_wall_clock_gap_and_repeated_hour);
  tcase_add_test(tc, deadline_hours_counts_clock_hours);
  tcase_add_test(tc, parses_rfc3339_timestamps);
  tcase_add_test(tc, rejects_malformed_timestamps);
  tcase_add_test(tc, formats_utc_timestamps);
  suite_add_tcase(s, tc);
  return s;
}
