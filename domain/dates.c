#include "dates.h"

#include <stdio.h>
#include <string.h>

bool date_is_leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int date_days_in_month(int year, int month) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && date_is_leap_year(year)) {
    return 29;
  }
  return days[month - 1];
}

static bool all_digits(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') {
      return false;
    }
  }
  return true;
}

static int digits_value(const char *s, size_t n) {
  int v = 0;
  for (size_t i = 0; i < n; i++) {
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

bool date_parse(const char *text, struct date *out) {
  if (text == NULL || strlen(text) != 10 || text[4] != '-' || text[7] != '-') {
    return false;
  }
  if (!all_digits(text, 4) || !all_digits(text + 5, 2) || !all_digits(text + 8, 2)) {
    return false;
  }
  out->year = digits_value(text, 4);
  out->month = digits_value(text + 5, 2);
  out->day = digits_value(text + 8, 2);
  if (out->year < 1900 || out->month < 1 || out->month > 12 || out->day < 1) {
    return false;
  }
  return out->day <= date_days_in_month(out->year, out->month);
}

void date_format(struct date d, char buf[11]) {
  snprintf(buf, 11, "%04u-%02u-%02u", (unsigned)d.year % 10000u, (unsigned)d.month % 100u,
           (unsigned)d.day % 100u);
}

int date_compare(struct date a, struct date b) {
  if (a.year != b.year) {
    return a.year < b.year ? -1 : 1;
  }
  if (a.month != b.month) {
    return a.month < b.month ? -1 : 1;
  }
  if (a.day != b.day) {
    return a.day < b.day ? -1 : 1;
  }
  return 0;
}

int date_age_on(struct date birth, struct date on) {
  int age = on.year - birth.year;
  if (on.month < birth.month || (on.month == birth.month && on.day < birth.day)) {
    age--;
  }
  return age;
}

bool date_range_contains(struct date_range range, struct date d) {
  return date_compare(range.first, d) <= 0 && date_compare(d, range.last) <= 0;
}
