#include "calendar.h"

#include <string.h>

#define SECONDS_PER_DAY 86400LL
#define BST_OFFSET 3600

/* Floor division and its non-negative remainder (b > 0), for instants before 1970. */
static long long floor_div(long long a, long long b) {
  long long q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

static long long floor_mod(long long a, long long b) {
  return a - floor_div(a, b) * b;
}

/* Days from 1970-01-01 to d (proleptic Gregorian; H. Hinnant's days_from_civil). */
static long long days_from_civil(struct date d) {
  long long y = d.year - (d.month <= 2 ? 1 : 0);
  long long era = floor_div(y, 400);
  long long yoe = y - era * 400;
  long long mp = d.month > 2 ? d.month - 3 : d.month + 9;
  long long doy = (153 * mp + 2) / 5 + d.day - 1;
  long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* The date z days after 1970-01-01 (inverse of days_from_civil). */
static struct date civil_from_days(long long z) {
  z += 719468;
  long long era = floor_div(z, 146097);
  long long doe = z - era * 146097;
  long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long long mp = (5 * doy + 2) / 153;
  struct date d;
  d.day = (int)(doy - (153 * mp + 2) / 5 + 1);
  d.month = (int)(mp < 10 ? mp + 3 : mp - 9);
  d.year = (int)(yoe + era * 400 + (d.month <= 2 ? 1 : 0));
  return d;
}

/* Day of week (0 = Monday) of the day z days after 1970-01-01, a Thursday. */
static int weekday_of_days(long long z) {
  return (int)floor_mod(z + 3, 7);
}

int date_day_of_week(struct date d) {
  return weekday_of_days(days_from_civil(d));
}

struct date date_add_days(struct date d, int days) {
  return civil_from_days(days_from_civil(d) + days);
}

int date_days_between(struct date from, struct date to) {
  return (int)(days_from_civil(to) - days_from_civil(from));
}

struct date date_add_months(struct date d, int months) {
  long long index = (long long)d.year * 12 + (d.month - 1) + months;
  struct date out;
  out.year = (int)floor_div(index, 12);
  out.month = (int)floor_mod(index, 12) + 1;
  int last = date_days_in_month(out.year, out.month);
  out.day = d.day < last ? d.day : last;
  return out;
}

struct date date_add_weeks(struct date d, int weeks) {
  return date_add_days(d, 7 * weeks);
}

/* The index of the first closed day after d (cal->count when none), by binary search. */
static size_t first_closed_after(const struct calendar *cal, struct date d) {
  size_t lo = 0;
  size_t hi = cal->count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (date_compare(cal->closed[mid], d) <= 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/* True when d is listed in cal->closed. */
static bool calendar_is_closed(const struct calendar *cal, struct date d) {
  if (cal == NULL || cal->count == 0) {
    return false;
  }
  size_t after = first_closed_after(cal, d);
  return after > 0 && date_compare(cal->closed[after - 1], d) == 0;
}

bool calendar_is_working_day(const struct calendar *cal, struct date d) {
  return date_day_of_week(d) < 5 && !calendar_is_closed(cal, d);
}

struct date calendar_add_working_days(const struct calendar *cal, struct date d, int n) {
  int step = n < 0 ? -1 : 1;
  int left = n < 0 ? -n : n;
  while (left > 0) {
    d = date_add_days(d, step);
    if (calendar_is_working_day(cal, d)) {
      left--;
    }
  }
  return d;
}

/* The number of Mondays to Fridays among the days before day z (counted from the Monday
 * 1970-01-05, day 4); differences of it count weekdays in a range. */
static long long weekdays_before(long long z) {
  long long from_monday = z - 4;
  long long weeks = floor_div(from_monday, 7);
  long long rest = from_monday - weeks * 7;
  return weeks * 5 + (rest < 5 ? rest : 5);
}

int calendar_working_days_between(const struct calendar *cal, struct date from, struct date to) {
  long long a = days_from_civil(from);
  long long b = days_from_civil(to);
  if (b <= a) {
    return 0;
  }
  long long count = weekdays_before(b + 1) - weekdays_before(a + 1);
  if (cal != NULL) {
    for (size_t i = first_closed_after(cal, from); i < cal->count; i++) {
      if (date_compare(cal->closed[i], to) > 0) {
        break;
      }
      if (date_day_of_week(cal->closed[i]) < 5) {
        count--;
      }
    }
  }
  return (int)count;
}

/* The date of the last Sunday of month in year. */
static struct date last_sunday(int year, int month) {
  struct date last = {year, month, date_days_in_month(year, month)};
  return date_add_days(last, -((date_day_of_week(last) + 1) % 7));
}

/* The UTC instant of 01:00 UTC on the last Sunday of month in year (a clock change). */
static long long clock_change(int year, int month) {
  return days_from_civil(last_sunday(year, month)) * SECONDS_PER_DAY + 3600;
}

int london_utc_offset_seconds(time_t instant) {
  long long t = (long long)instant;
  int year = civil_from_days(floor_div(t, SECONDS_PER_DAY)).year;
  return (t >= clock_change(year, 3) && t < clock_change(year, 10)) ? BST_OFFSET : 0;
}

struct date london_date(time_t instant) {
  long long local = (long long)instant + london_utc_offset_seconds(instant);
  return civil_from_days(floor_div(local, SECONDS_PER_DAY));
}

time_t london_time_to_utc(struct date d, int hour, int minute, int second) {
  long long wall = days_from_civil(d) * SECONDS_PER_DAY + hour * 3600LL + minute * 60LL + second;
  long long as_bst = wall - BST_OFFSET;
  /* BST when that reading is self-consistent (this also takes the first of a repeated hour),
   * or when the GMT reading is not (the spring-forward gap); otherwise GMT. */
  if (london_utc_offset_seconds((time_t)as_bst) == BST_OFFSET ||
      london_utc_offset_seconds((time_t)wall) == BST_OFFSET) {
    return (time_t)as_bst;
  }
  return (time_t)wall;
}

time_t london_end_of_day(struct date d) {
  return london_time_to_utc(d, 23, 59, 59);
}

time_t deadline_working_days(const struct calendar *cal, struct date d, int n) {
  return london_end_of_day(calendar_add_working_days(cal, d, n));
}

time_t deadline_hours(time_t from, int hours) {
  return from + (time_t)hours * 3600;
}

/* Reads exactly two digits at s into *out; false when either is not a digit. */
static bool two_digits(const char *s, int *out) {
  if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9') {
    return false;
  }
  *out = (s[0] - '0') * 10 + (s[1] - '0');
  return true;
}

/* Parses "HH:MM:SS" at s (24-hour, no leap second) into seconds of the day, or -1. */
static long long parse_clock(const char *s) {
  int h, m, sec;
  if (s[2] != ':' || s[5] != ':' || !two_digits(s, &h) || !two_digits(s + 3, &m) ||
      !two_digits(s + 6, &sec) || h > 23 || m > 59 || sec > 59) {
    return -1;
  }
  return h * 3600LL + m * 60LL + sec;
}

/* Parses the zone at s: "Z" or "+HH:MM"/"-HH:MM", ending the string. Stores the offset east
 * of UTC in seconds into *offset; false on anything else. */
static bool parse_zone(const char *s, long long *offset) {
  if (strcmp(s, "Z") == 0) {
    *offset = 0;
    return true;
  }
  int h, m;
  if ((s[0] != '+' && s[0] != '-') || strlen(s) != 6 || s[3] != ':' ||
      !two_digits(s + 1, &h) || !two_digits(s + 4, &m) || h > 23 || m > 59) {
    return false;
  }
  *offset = (s[0] == '-' ? -1 : 1) * (h * 3600LL + m * 60LL);
  return true;
}

bool date_from_time_string(const char *rfc3339, time_t *out) {
  if (rfc3339 == NULL || strlen(rfc3339) < 20 || rfc3339[10] != 'T') {
    return false;
  }
  char day_text[11];
  memcpy(day_text, rfc3339, 10);
  day_text[10] = '\0';
  struct date d;
  long long clock = parse_clock(rfc3339 + 11);
  if (!date_parse(day_text, &d) || clock < 0) {
    return false;
  }
  const char *rest = rfc3339 + 19;
  if (*rest == '.') {
    const char *digits = ++rest;
    while (*rest >= '0' && *rest <= '9') {
      rest++;
    }
    if (rest == digits) {
      return false;
    }
  }
  long long offset;
  if (!parse_zone(rest, &offset)) {
    return false;
  }
  *out = (time_t)(days_from_civil(d) * SECONDS_PER_DAY + clock - offset);
  return true;
}

/* Writes value as width decimal digits (zero-padded, high digits dropped) at buf. */
static void put_digits(char *buf, long long value, int width) {
  for (int i = width - 1; i >= 0; i--) {
    buf[i] = (char)('0' + value % 10);
    value /= 10;
  }
}

void time_format_utc(time_t t, char buf[21]) {
  long long secs = (long long)t;
  long long day_seconds = floor_mod(secs, SECONDS_PER_DAY);
  struct date d = civil_from_days(floor_div(secs, SECONDS_PER_DAY));
  memcpy(buf, "0000-00-00T00:00:00Z", 21);
  put_digits(buf, d.year < 0 ? 0 : d.year, 4);
  put_digits(buf + 5, d.month, 2);
  put_digits(buf + 8, d.day, 2);
  put_digits(buf + 11, day_seconds / 3600, 2);
  put_digits(buf + 14, day_seconds / 60 % 60, 2);
  put_digits(buf + 17, day_seconds % 60, 2);
}
