/* Calendar dates as plain values: parsing and comparing "YYYY-MM-DD". No clock: "today" is
 * always a parameter. */
#ifndef DOMAIN_DATES_H
#define DOMAIN_DATES_H

#include <stdbool.h>

struct date {
  int year;
  int month; /* 1..12 */
  int day;   /* 1..31 */
};

/* The days from `first` to `last`, both included. */
struct date_range {
  struct date first;
  struct date last;
};

/* Whether d lies in range (its first and last days included). */
bool date_range_contains(struct date_range range, struct date d);

/* Parses exactly "YYYY-MM-DD" into *out. Returns true only for a real calendar date
 * (2023-02-30 is refused), false otherwise (out is then unspecified). */
bool date_parse(const char *text, struct date *out);

/* Writes "YYYY-MM-DD" into buf (at least 11 bytes). */
void date_format(struct date d, char buf[11]);

/* Negative, zero or positive as a is before, equal to or after b. */
int date_compare(struct date a, struct date b);

/* Whole years between birth and on (the age on that day; a 29 February birthday counts from
 * 1 March in common years). */
int date_age_on(struct date birth, struct date on);

bool date_is_leap_year(int year);
int date_days_in_month(int year, int month);

#endif
