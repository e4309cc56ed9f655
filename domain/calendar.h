/* The working-day calendar and Europe/London time (POLICY.md "Calendar"). A working day is
 * Monday to Friday and not a bank holiday of England and Wales nor a local closure day. Dates
 * are Europe/London calendar dates; instants (time_t) are UTC seconds since 1970-01-01.
 * Everything here is pure: no clock ("now" is a parameter), no globals, no libc time zones (the
 * London offset is computed by the UK summer-time rule). Valid for years 1900 to 9999. */
#ifndef DOMAIN_CALENDAR_H
#define DOMAIN_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "dates.h"

/* The days that are not working days besides weekends: bank holidays and closures, sorted
 * ascending, no duplicates (the caller owns the array). */
struct calendar {
  const struct date *closed;
  size_t count;
};

/* 0 = Monday .. 6 = Sunday. */
int date_day_of_week(struct date d);

/* d moved by days calendar days (negative allowed). */
struct date date_add_days(struct date d, int days);

/* to - from in days (negative when to is before from). */
int date_days_between(struct date from, struct date to);

/* d moved by months calendar months (negative allowed); the day is clamped to the end of the
 * target month: 31 Jan + 1 month = 28 or 29 Feb. */
struct date date_add_months(struct date d, int months);

/* d moved by 7 * weeks days. */
struct date date_add_weeks(struct date d, int weeks);

/* True when d is Monday to Friday and not in cal->closed (binary search). cal may be NULL: then
 * only weekends are closed. */
bool calendar_is_working_day(const struct calendar *cal, struct date d);

/* The nth working day after d (n >= 1); n == 0 returns d; n < 0 gives the |n|th working day
 * before d. d itself need not be a working day. */
struct date calendar_add_working_days(const struct calendar *cal, struct date d, int n);

/* The number of working days in (from, to]; 0 when to <= from. */
int calendar_working_days_between(const struct calendar *cal, struct date from, struct date to);

/* 3600 during British Summer Time (from 01:00 UTC on the last Sunday of March to 01:00 UTC on
 * the last Sunday of October), else 0. */
int london_utc_offset_seconds(time_t instant);

/* The London calendar date of an instant. */
struct date london_date(time_t instant);

/* The UTC instant of the London wall-clock time hour:minute:second on d (hour 0..23). In the
 * spring-forward gap (01:00-01:59 on the last Sunday of March) the time is read as BST; in the
 * repeated autumn hour (01:00-01:59 on the last Sunday of October) the first (BST) one is
 * taken. */
time_t london_time_to_utc(struct date d, int hour, int minute, int second);

/* 23:59:59 London time on d, as UTC. */
time_t london_end_of_day(struct date d);

/* "Within n working days of d": the end (23:59:59 London) of the nth working day after d. */
time_t deadline_working_days(const struct calendar *cal, struct date d, int n);

/* "Within n hours": n clock hours (3600 s each, whatever the clock changes) after from. */
time_t deadline_hours(time_t from, int hours);

/* Parses an RFC 3339 date-time "YYYY-MM-DDTHH:MM:SS" with optional fractional seconds (dropped)
 * and a "Z", "+HH:MM" or "-HH:MM" offset, into *out (UTC). Returns false on anything else,
 * including impossible dates and times (out is then untouched). Upper-case T and Z only. */
bool date_from_time_string(const char *rfc3339, time_t *out);

/* Writes "YYYY-MM-DDTHH:MM:SSZ" (20 characters and a NUL) into buf. */
void time_format_utc(time_t t, char buf[21]);

#endif
