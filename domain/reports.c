#include "reports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const AGE_BANDS[] = {"0-4", "5-9", "10-15", "16+", NULL};

/* Tenths of a percent, rounded half away from zero (the operands are never negative). */
static long tenths(long numerator, long denominator) {
  return (numerator * 2000 + denominator) / (2 * denominator);
}

const char *report_percentage_text(long numerator, long denominator, char *buf, size_t size) {
  if (denominator <= 0 || numerator < 0) {
    snprintf(buf, size, "%s", "");
  } else {
    long t = tenths(numerator, denominator);
    snprintf(buf, size, "%ld.%ld", t / 10, t % 10);
  }
  return buf;
}

const char *report_age_band(int age) {
  if (age < 5) {
    return AGE_BANDS[0];
  }
  if (age < 10) {
    return AGE_BANDS[1];
  }
  return age < 16 ? AGE_BANDS[2] : AGE_BANDS[3];
}

const char *const *report_age_bands(void) {
  return AGE_BANDS;
}

const char *report_ending_meeting(bool held_in_window, bool waived) {
  if (held_in_window) {
    return "held_in_window";
  }
  return waived ? "waived" : "neither";
}

static int long_order(const void *a, const void *b) {
  long x = *(const long *)a;
  long y = *(const long *)b;
  return (x > y) - (x < y);
}

bool report_median(long *values, size_t n, double *median) {
  if (n == 0) {
    return false;
  }
  qsort(values, n, sizeof *values, long_order);
  *median = n % 2 == 1 ? (double)values[n / 2]
                       : ((double)values[n / 2 - 1] + (double)values[n / 2]) / 2.0;
  return true;
}

long report_longest(const long *values, size_t n) {
  long longest = 0;
  for (size_t i = 0; i < n; i++) {
    longest = i == 0 || values[i] > longest ? values[i] : longest;
  }
  return longest;
}

void report_tally_add(json_t *tally, const char *key) {
  json_int_t count = json_integer_value(json_object_get(tally, key));
  json_object_set_new(tally, key, json_integer(count + 1));
}

static int key_order(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool listed(const char *const *always, const char *key) {
  for (size_t i = 0; always != NULL && always[i] != NULL; i++) {
    if (strcmp(always[i], key) == 0) {
      return true;
    }
  }
  return false;
}

json_t *report_tally_list(const json_t *tally, const char *const *always) {
  json_t *list = json_array();
  for (size_t i = 0; always != NULL && always[i] != NULL; i++) {
    json_array_append_new(list, json_pack("{s:s, s:I}", "key", always[i], "count",
                                          json_integer_value(json_object_get(tally, always[i]))));
  }
  size_t n = json_object_size(tally);
  const char **keys = calloc(n + 1, sizeof *keys);
  size_t k = 0;
  const char *key;
  json_t *value;
  json_object_foreach((json_t *)tally, key, value) {
    if (keys != NULL && !listed(always, key)) {
      keys[k++] = key;
    }
  }
  if (keys != NULL) {
    qsort(keys, k, sizeof *keys, key_order);
    for (size_t i = 0; i < k; i++) {
      json_array_append_new(list, json_pack("{s:s, s:I}", "key", keys[i], "count",
                                            json_integer_value(json_object_get(tally, keys[i]))));
    }
  }
  free(keys);
  return list;
}
