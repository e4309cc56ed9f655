/* The pure parts of the reports (E1, U3, P6, compliance): percentages, age bands, medians, the
 * outcome of an unplanned ending's meeting, counting by key. No SQL, no clock. */
#ifndef DOMAIN_REPORTS_H
#define DOMAIN_REPORTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* numerator / denominator as a percentage rounded half away from zero to one decimal place, as
 * text: 1 of 3 is "33.3", 2 of 3 "66.7", 5 of 5 "100.0"; "" when the denominator is 0 (no share
 * of nobody). Written into buf (at least 16 bytes), which it returns. */
const char *report_percentage_text(long numerator, long denominator, char *buf, size_t size);

/* U3: the age band of an age in whole years at the ending: "0-4", "5-9", "10-15" or "16+". */
const char *report_age_band(int age);

/* The age bands in order, ending with NULL. */
const char *const *report_age_bands(void);

/* U1/U2: how an unplanned ending's meeting went: "held_in_window" when the meeting was held in
 * its window (whether or not it was also waived), else "waived" when waived, else "neither". */
const char *report_ending_meeting(bool held_in_window, bool waived);

/* The median of `values` (n of them; sorted in place), in *median. Returns false for n == 0. */
bool report_median(long *values, size_t n, double *median);

/* The largest of `values`; 0 for n == 0. */
long report_longest(const long *values, size_t n);

/* Adds 1 to the count of `key` in the object `tally` (a JSON object of integers). */
void report_tally_add(json_t *tally, const char *key);

/* The tally as a list [{"key": k, "count": n}, ...] in key order, with each key of `always`
 * (NULL-terminated, may be NULL) present even at 0, those first in their own order. The caller
 * owns the result; `tally` is borrowed. */
json_t *report_tally_list(const json_t *tally, const char *const *always);

#endif
