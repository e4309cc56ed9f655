#include "matching.h"

#include <stdio.h>
#include <string.h>

#include "documents.h"

static const char *const CHILD_SECTIONS[] = {"history", "strengths", "routines", "health",
                                             "education", "identity", "risks", NULL};
static const char *const CARER_SECTIONS[] = {"background", "skills", "home_environment",
                                             "supports", NULL};

enum role match_family_finder_role(struct date born, struct date starts_on, int age_limit) {
  return date_age_on(born, starts_on) < age_limit ? ROLE_FAMILY_FINDER : ROLE_CSW;
}

bool match_start_check(const struct match_start_facts *facts, json_t *missing) {
  size_t before = json_array_size(missing);
  if (facts->connected_person) {
    /* M3: the carer is already approved for this child: no family finding, no M2 papers */
    if (!facts->carer_named) {
      json_array_append_new(missing, json_string("carer_id"));
    } else if (!facts->carer_approved_for_child) {
      json_array_append_new(missing, json_string("carer approved as connected person for this child"));
    }
    return json_array_size(missing) == before;
  }
  if (!facts->has_all_about_me) {
    json_array_append_new(missing, json_string("all_about_me"));
  }
  if (!facts->has_family_chronology) {
    json_array_append_new(missing, json_string("family_chronology"));
  }
  return json_array_size(missing) == before;
}

/* Whether `value` is absent, an empty (or blank) string or an empty array. */
static bool section_empty(const json_t *value) {
  if (json_is_array(value)) {
    return json_array_size(value) == 0;
  }
  if (!json_is_string(value)) {
    return true;
  }
  for (const char *c = json_string_value(value); *c != '\0'; c++) {
    if (*c != ' ' && *c != '\t' && *c != '\n' && *c != '\r') {
      return false;
    }
  }
  return true;
}

/* Appends "<prefix><section>" for every empty section of `sections` in `doc`. */
static void name_empty_sections(const json_t *doc, const char *const *sections, const char *prefix,
                                json_t *missing) {
  for (size_t i = 0; sections[i] != NULL; i++) {
    if (section_empty(json_object_get(doc, sections[i]))) {
      char name[64];
      snprintf(name, sizeof name, "%s%s", prefix, sections[i]);
      json_array_append_new(missing, json_string(name));
    }
  }
}

static bool covers(const json_t *areas, const char *area) {
  size_t i;
  const json_t *value;
  json_array_foreach(areas, i, value) {
    if (json_is_string(value) && strcmp(json_string_value(value), area) == 0) {
      return true;
    }
  }
  return false;
}

bool match_submission_check(const struct match_submission_facts *facts, json_t *missing) {
  size_t before = json_array_size(missing);
  name_empty_sections(facts->child_profile, CHILD_SECTIONS, "child.profile.", missing);
  name_empty_sections(facts->carer, CARER_SECTIONS, "carer.", missing);
  if (!facts->has_matching_report) {
    json_array_append_new(missing, json_string("matching_report"));
  }
  if (!facts->has_household_review) {
    json_array_append_new(missing, json_string("fostering_household_review"));
  }
  if (!facts->has_support_plan) {
    json_array_append_new(missing, json_string("support_plan"));
  } else {
    const char *const *areas = support_plan_areas();
    for (size_t i = 0; areas[i] != NULL; i++) {
      if (!covers(facts->support_plan_covers, areas[i])) {
        char name[64];
        snprintf(name, sizeof name, "support_plan.covers.%s", areas[i]);
        json_array_append_new(missing, json_string(name));
      }
    }
  }
  return json_array_size(missing) == before;
}

bool match_needs_fee_discussion(bool agency_carer, bool fee_discussion_recorded) {
  return agency_carer && !fee_discussion_recorded;
}

bool match_decision_needs_reasons(const char *outcome, bool agreed) {
  return agreed != (strcmp(outcome, "approve") == 0);
}
