/* domain/dates.c: real dates only, ordering, ages. */
#include "../../domain/dates.h"
#include "unit.h"

START_TEST(parses_real_dates_only) {
  struct date d;
  ck_assert(date_parse("2024-02-29", &d));
  ck_assert_int_eq(d.year, 2024);
  ck_assert_int_eq(d.month, 2);
  ck_assert_int_eq(d.day, 29);
  ck_assert(!date_parse("2023-02-29", &d));
  ck_assert(!date_parse("2023-02-30", &d));
  ck_assert(!date_parse("2023-13-01", &d));
  ck_assert(!date_parse("2023-1-01", &d));
  ck_assert(!date_parse("2023-01-01T00", &d));
  ck_assert(!date_parse("", &d));
  ck_assert(!date_parse(NULL, &d));
  ck_assert(date_parse("1900-02-28", &d));
  ck_assert(!date_parse("1900-02-29", &d));
  ck_assert(date_parse("2000-02-29", &d));
}
END_TEST

START_TEST(compares_and_formats) {
  struct date a = {2021, 12, 25};
  struct date b = {2022, 1, 1};
  char text[11];
  ck_assert_int_lt(date_compare(a, b), 0);
  ck_assert_int_gt(date_compare(b, a), 0);
  ck_assert_int_eq(date_compare(a, a), 0);
  date_format(a, text);
  ck_assert_str_eq(text, "2021-12-25");
}
END_TEST

START_TEST(age_counts_whole_years) {
  struct date born = {2015, 3, 2};
  ck_assert_int_eq(date_age_on(born, (struct date){2026, 3, 1}), 10);
  ck_assert_int_eq(date_age_on(born, (struct date){2026, 3, 2}), 11);
  struct date leap = {2012, 2, 29};
  ck_assert_int_eq(date_age_on(leap, (struct date){2023, 2, 28}), 10);
  ck_assert_int_eq(date_age_on(leap, (struct date){2023, 3, 1}), 11);
}
END_TEST

Suite *dates_suite(void) {
  Suite *s = suite_create("dates");
  TCase *tc = tcase_create("dates");
  tcase_add_test(tc, parses_real_dates_only);
  tcase_add_test(tc, compares_and_formats);
  tcase_add_test(tc, age_counts_whole_years);
  suite_add_tcase(s, tc);
  return s;
}
