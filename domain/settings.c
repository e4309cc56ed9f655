#include "settings.h"

#include <stdio.h>
#include <string.h>

#include "schema.h"

static const struct setting SETTINGS[] = {
    {"family_finder_age_limit", 11, 1, 18, "years", "M1",
     "a child under this age on the day family finding starts is found a family by a family finder"},
    {"panel_papers_working_days", 5, 1, 20, "working_days", "M5",
     "panel papers reach every member at least this long before the panel"},
    {"adm_decision_circulated_working_days", 10, 1, 30, "working_days", "M7",
     "the decision is circulated within this long of the panel date"},
    {"adm_decision_working_days", 7, 1, 30, "working_days", "M7a",
     "the decision maker decides within this long of receiving the recommendation and minutes"},
    {"quorum_core_members", 3, 1, 20, "count", "M8", "core members needed besides the chair"},
    {"celebration_planning_weeks", 4, 1, 26, "weeks", "M10",
     "the celebration of permanence is planned within this long of the decision to agree a match"},
    {"disruption_lookback_weeks", 4, 1, 52, "weeks", "P4",
     "a disruption this recent must be explained on a Part 1 request"},
    {"family_finding_referral_age", 11, 1, 18, "years", "P3",
     "a child under this age when a placement breaks down is referred back to family finding"},
    {"ppm_after_breakdown_working_days", 10, 1, 60, "working_days", "P3",
     "the permanency planning meeting after a referral back to family finding is held within this long"},
    {"cic_review_first_working_days", 20, 1, 60, "working_days", "P7",
     "the first child-in-care review after becoming looked after"},
    {"cic_review_second_months", 3, 1, 12, "months", "P7", "the second review after the first"},
    {"cic_review_interval_months", 6, 1, 12, "months", "P7", "later reviews at most this far apart"},
    {"sw_visit_first_weeks", 1, 1, 8, "weeks", "P8", "the first visit after a placement starts"},
    {"sw_visit_first_year_weeks", 6, 1, 26, "weeks", "P8", "visits in the first year at most this far apart"},
    {"sw_visit_long_term_months", 3, 1, 12, "months", "P8",
     "visits after the first year of a long-term placement at most this far apart"},
    {"stability_meeting_within_hours", 48, 1, 720, "hours", "S2",
     "a stability meeting is convened within this long of the request"},
    {"stability_joint_visit_working_days", 0, 0, 20, "working_days", "S2",
     "a joint visit about the concern comes first, within this long (0: none; the Birmingham protocol: 5)"},
    {"stability_meeting_after_visit_working_days", 5, 1, 20, "working_days", "S2",
     "after a joint visit, the stability meeting is convened within this further time"},
    {"stability_minutes_working_days", 3, 1, 20, "working_days", "S4",
     "stability meeting minutes are circulated within this long"},
    {"stability_review_within_months", 3, 1, 12, "months", "S5",
     "a review stability meeting is held within this long"},
    {"iro_check_weeks", 6, 1, 26, "weeks", "S6",
     "the IRO checks that the actions were followed up within this long"},
    {"escalation_recheck_working_days", 5, 1, 30, "working_days", "S7",
     "an overdue action is checked again this long after its due date, then escalates"},
    {"unplanned_ending_meeting_earliest_months", 1, 0, 12, "months", "U1",
     "an unplanned-ending meeting is held no sooner than this after the ending"},
    {"unplanned_ending_meeting_latest_weeks", 6, 1, 52, "weeks", "U1",
     "and no later than this after the ending"},
    {"import_recent_ending_days", 42, 0, 3650, "days", "U1",
     "an unplanned ending imported from an SSDA903 return this recent gets the U1 follow-up"},
    {"waiver_stability_lookback_weeks", 12, 1, 52, "weeks", "U2",
     "a stability meeting this recent allows the unplanned-ending meeting to be waived"},
    {"life_story_review_months", 6, 1, 12, "months", "L1", "life-story work is reviewed this often"},
    {"annual_joint_visit_months", 12, 1, 24, "months", "L2", "the joint celebration visit comes this often"},
    {"joint_letter_weeks", 2, 1, 12, "weeks", "L2",
     "the joint letter of the year's achievements follows the annual joint visit within this long"},
    {"supervision_first_month_weeks", 1, 1, 8, "weeks", "V1",
     "a newly approved carer's supervision visits in the first month at most this far apart"},
    {"supervision_second_month_weeks", 2, 1, 8, "weeks", "V1",
     "and in the second month"},
    {"supervision_first_year_weeks", 4, 1, 12, "weeks", "V1",
     "and for the rest of the first year of approval"},
    {"supervision_experienced_weeks", 8, 1, 26, "weeks", "V1",
     "an experienced carer's supervision visits at most this far apart"},
    {"support_response_hours", 24, 1, 168, "hours", "V2", "a carer's request for support is answered within this long"},
    {"action_sweep_interval_seconds", 300, 10, 86400, "seconds", "S7",
     "how often the service looks for overdue actions"},
};

const struct setting *settings_all(size_t *count) {
  *count = sizeof SETTINGS / sizeof SETTINGS[0];
  return SETTINGS;
}

const struct setting *setting_find(const char *name) {
  size_t count;
  const struct setting *all = settings_all(&count);
  for (size_t i = 0; name != NULL && i < count; i++) {
    if (strcmp(all[i].name, name) == 0) {
      return &all[i];
    }
  }
  return NULL;
}

bool settings_validate_patch(const json_t *patch, json_t *errors) {
  size_t before = json_array_size(errors);
  const char *name;
  const json_t *value;
  json_object_foreach((json_t *)patch, name, value) {
    const struct setting *s = setting_find(name);
    if (s == NULL) {
      validation_error(errors, name, "unknown setting");
    } else if (!json_is_null(value) &&
               (!json_is_integer(value) || json_integer_value(value) < s->min ||
                json_integer_value(value) > s->max)) {
      char message[96];
      snprintf(message, sizeof message, "must be a whole number from %ld to %ld", s->min, s->max);
      validation_error(errors, name, message);
    }
  }
  return json_array_size(errors) == before;
}

long setting_value(const json_t *values, const char *name) {
  const json_t *v = json_object_get(values, name);
  if (json_is_integer(v)) {
    return (long)json_integer_value(v);
  }
  const struct setting *s = setting_find(name);
  return s != NULL ? s->default_value : 0;
}
