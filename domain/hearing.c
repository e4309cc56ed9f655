#include "hearing.h"

#include <string.h>

#include "schema.h"

static const char *const REQUEST_TYPES[] = {"permanence_plan_review", "resource_request",
                                            "home_search", "iro_review", NULL};
static const char *const OUTCOMES[] = {"approve", "not_approve", "deferred", NULL};

const char *const *hearing_request_types(void) {
  return REQUEST_TYPES;
}

const char *const *hearing_outcomes(void) {
  return OUTCOMES;
}

const char *hearing_part_refusal(const char *panel_kind, int panel_part, bool is_match) {
  bool permanence = strcmp(panel_kind, "permanence") == 0;
  if (is_match) {
    return !permanence || panel_part != 1
               ? NULL
               : "Part 1 of the permanence panel hears requests; matches go to Part 2 or to a matching panel.";
  }
  return permanence && panel_part != 2
             ? NULL
             : "Part 1 requests are heard in Part 1 of the permanence panel.";
}

bool hearing_papers_on_time(const struct calendar *cal, struct date circulated,
                            struct date panel_date, int working_days) {
  struct date latest = calendar_add_working_days(cal, panel_date, -working_days);
  return date_compare(circulated, latest) <= 0;
}

bool hearing_formal_approval_allowed(const char *outcome, const char *match_kind,
                                     bool last_panel_of_month) {
  bool formal_approval = strcmp(outcome, "approve") == 0 && strcmp(match_kind, "long_term") == 0;
  return !formal_approval || last_panel_of_month;
}

/* Whether the body holds a non-blank string under `field`. */
static bool recorded(const json_t *body, const char *field) {
  return text_recorded(schema_string(body, field));
}

/* Appends `field` to `missing` unless the body records it. */
static void require(const json_t *body, const char *field, json_t *missing) {
  if (!recorded(body, field)) {
    json_array_append_new(missing, json_string(field));
  }
}

bool hearing_voice_check(const json_t *body, bool disabled_child, json_t *missing) {
  size_t before = json_array_size(missing);
  require(body, "wishes_and_feelings", missing);
  require(body, "wishes_via", missing);
  if (disabled_child) {
    require(body, "accessibility", missing);
    require(body, "health_management", missing);
  }
  return json_array_size(missing) == before;
}

bool hearing_invitation_check(const json_t *body, json_t *missing) {
  const json_t *invited = json_object_get(body, "child_invited");
  if (!json_is_boolean(invited)) {
    json_array_append_new(missing, json_string("child_invited"));
    return false;
  }
  if (json_is_false(invited) && !recorded(body, "child_not_invited_reason")) {
    json_array_append_new(missing, json_string("child_not_invited_reason"));
    return false;
  }
  return true;
}

bool hearing_request_check(const struct part1_request_facts *facts, json_t *missing) {
  size_t before = json_array_size(missing);
  if (!facts->has_permanence_plan) {
    json_array_append_new(missing, json_string("permanence_plan"));
  }
  if (!facts->has_ppm_minutes) {
    json_array_append_new(missing, json_string("ppm_minutes"));
  }
  if (!facts->has_request_form) {
    json_array_append_new(missing, json_string("panel_request_form"));
  }
  if (facts->recent_unplanned_ending && !facts->care_history_explained) {
    json_array_append_new(missing, json_string("care_history_explanation"));
  }
  return json_array_size(missing) == before;
}

void hearing_remove_birth_family_contacts(json_t *birth_family) {
  static const char *const CONTACT_DETAILS[] = {"address", "phone", "email"};
  size_t i;
  json_t *relative;
  json_array_foreach(birth_family, i, relative) {
    for (size_t k = 0; k < sizeof CONTACT_DETAILS / sizeof CONTACT_DETAILS[0]; k++) {
      json_object_del(relative, CONTACT_DETAILS[k]);
    }
  }
}
