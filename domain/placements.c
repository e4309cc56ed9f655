#include "placements.h"

#include <string.h>

#include "schema.h"

static const char *const PLACEMENT_TYPES[] = {
    "A3", "A4", "A5", "A6", "H5", "K1", "K2", "P1", "P2", "P3", "R1", "R2", "R3", "R5",
    "S1", "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1", NULL};

static const char *const UNPLANNED_REASONS[] = {"CREQB", "CREQO", "CHILD", "ALLEG",
                                                "STAND", "APPRR", "CLOSE", NULL};
static const char *const PLANNED_REASONS[] = {"CARPL", "PLACE", NULL};
static const char *const UNDECIDED_REASONS[] = {"LAREQ", "CUSTOD", "OTHER", NULL};

bool placement_type_valid(const char *code) {
  return schema_is_choice(PLACEMENT_TYPES, code);
}

bool placement_end_reason_valid(const char *code) {
  return schema_is_choice(UNPLANNED_REASONS, code) ||
         schema_is_choice(PLANNED_REASONS, code) || schema_is_choice(UNDECIDED_REASONS, code);
}

enum ending_kind placement_ending_kind(const char *code) {
  if (schema_is_choice(UNPLANNED_REASONS, code)) {
    return ENDING_UNPLANNED;
  }
  if (schema_is_choice(PLANNED_REASONS, code)) {
    return ENDING_PLANNED;
  }
  return ENDING_NEEDS_PERSON;
}

enum placement_verdict placement_start_check(const struct placement_start_facts *facts,
                                             json_t *errors) {
  if (facts->child_has_open_placement) {
    return PLACEMENT_CONFLICT;
  }
  size_t before = json_array_size(errors);
  if (date_compare(facts->start, facts->child_born) < 0) {
    validation_error(errors, "start_date", "must not be before the child's date of birth");
  }
  if (facts->carer_approval_status == NULL ||
      strcmp(facts->carer_approval_status, "approved") != 0) {
    validation_error(errors, "carer_id", "the carer is not approved");
  } else if (facts->carer_approved_on_known &&
             date_compare(facts->carer_approved_on, facts->start) > 0) {
    validation_error(errors, "start_date", "is before the carer's approval");
  }
  if (facts->carer_max_children > 0 &&
      facts->carer_children_placed >= facts->carer_max_children) {
    validation_error(errors, "carer_id", "the carer has no vacancy");
  }
  return json_array_size(errors) == before ? PLACEMENT_ALLOWED : PLACEMENT_REFUSED;
}

bool placement_end_check(struct date start, struct date end, json_t *errors) {
  if (date_compare(end, start) < 0) {
    validation_error(errors, "end_date", "must not be before the start_date");
    return false;
  }
  return true;
}
