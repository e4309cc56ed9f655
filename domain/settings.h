/* Policy settings: every timescale and threshold of POLICY.md is named here with the default
 * the policy gives and the range an administrator may set. The rule logic never changes; a
 * council changes only these numbers. */
#ifndef DOMAIN_SETTINGS_H
#define DOMAIN_SETTINGS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct setting {
  const char *name;
  long default_value;
  long min;
  long max;
  const char *unit;   /* "working_days", "hours", "months", "weeks", "years", "count", "seconds", "days" */
  const char *rule;   /* the POLICY.md rule it belongs to */
  const char *meaning;
};

/* Every setting, and how many there are. */
const struct setting *settings_all(size_t *count);

/* The setting called `name`, or NULL. */
const struct setting *setting_find(const char *name);

/* Checks a patch {name: value, ...}: every name must be a setting and every value a whole
 * number in its range, or null (back to the default). Appends one error per offending member to `errors`. Returns true when
 * the patch is acceptable. */
bool settings_validate_patch(const json_t *patch, json_t *errors);

/* The value of `name` in `values` (an object of overrides) or its default. `name` must exist. */
long setting_value(const json_t *values, const char *name);

#endif
