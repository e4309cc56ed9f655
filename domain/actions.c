#include "actions.h"

#include <string.h>

#include "schema.h"

time_t action_recheck_at(const struct calendar *calendar, struct date from, int working_days) {
  return deadline_working_days(calendar, from, working_days);
}

bool action_may_change(const char *sub, role_set roles, const char *owner,
                       const char *owner_manager) {
  if (role_set_has(roles, ROLE_ADMIN)) {
    return true;
  }
  return (owner != NULL && strcmp(owner, sub) == 0) ||
         (owner_manager != NULL && strcmp(owner_manager, sub) == 0);
}

static const char *const SUBJECT_TYPES[] = {"child", "carer", "match", "panel", "meeting", NULL};
static const char *const SOURCE_TYPES[] = {"meeting", "panel_item", "match", NULL};

static const struct field_spec SUBJECT_FIELDS[] = {
    {.name = "type", .type = FIELD_ENUM, .required = true, .choices = SUBJECT_TYPES},
    {.name = "id", .type = FIELD_UUID, .required = true},
};
static const struct schema SUBJECT = {SUBJECT_FIELDS, 2};

static const struct field_spec SOURCE_FIELDS[] = {
    {.name = "type", .type = FIELD_ENUM, .required = true, .choices = SOURCE_TYPES},
    {.name = "id", .type = FIELD_UUID, .required = true},
};
static const struct schema SOURCE = {SOURCE_FIELDS, 2};

static const struct field_spec NEW_ACTION_FIELDS[] = {
    {.name = "title", .type = FIELD_STRING, .required = true, .max_length = 200},
    {.name = "detail", .type = FIELD_STRING, .max_length = 5000},
    {.name = "subject", .type = FIELD_OBJECT, .required = true, .nested = &SUBJECT},
    {.name = "owner_id", .type = FIELD_STRING, .required = true, .max_length = 128},
    {.name = "due_at", .type = FIELD_STRING, .required = true, .max_length = 40},
    {.name = "source_rule", .type = FIELD_STRING, .max_length = 8},
    {.name = "source", .type = FIELD_OBJECT, .nested = &SOURCE},
};
static const struct schema NEW_ACTION = {NEW_ACTION_FIELDS, 7};

/* A POLICY.md rule ID: one or two capital letters and a number, an optional letter ("M7a"). */
static bool is_rule_id(const char *s) {
  size_t i = 0;
  while (s[i] >= 'A' && s[i] <= 'Z' && i < 2) {
    i++;
  }
  size_t digits = i;
  while (s[i] >= '0' && s[i] <= '9') {
    i++;
  }
  if (i == digits || digits == 0) {
    return false;
  }
  if (s[i] >= 'a' && s[i] <= 'z') {
    i++;
  }
  return s[i] == '\0';
}

bool action_validate_new(const json_t *body, time_t now, json_t *errors) {
  size_t before = json_array_size(errors);
  schema_validate(&NEW_ACTION, body, "", errors);
  const char *due = schema_string(body, "due_at");
  time_t due_at;
  if (due != NULL) {
    if (!date_from_time_string(due, &due_at)) {
      validation_error(errors, "due_at", "must be an RFC 3339 time");
    } else if (due_at <= now) {
      validation_error(errors, "due_at", "must be in the future");
    }
  }
  const char *rule = schema_string(body, "source_rule");
  if (rule != NULL && !is_rule_id(rule)) {
    validation_error(errors, "source_rule", "must be a POLICY.md rule ID such as S4");
  }
  return json_array_size(errors) == before;
}
