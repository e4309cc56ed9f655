#include "endings.h"

#include "calendar.h"
#include "placements.h"
#include "settings.h"

enum unplanned_answer ending_unplanned(const char *reason, const bool *said) {
  enum ending_kind kind = placement_ending_kind(reason);
  if (kind == ENDING_NEEDS_PERSON) {
    return said == NULL ? ENDING_UNKNOWN : *said ? ENDING_IS_UNPLANNED : ENDING_IS_PLANNED;
  }
  bool unplanned = kind == ENDING_UNPLANNED;
  if (said != NULL && *said != unplanned) {
    return ENDING_CONTRADICTED;
  }
  return unplanned ? ENDING_IS_UNPLANNED : ENDING_IS_PLANNED;
}

struct date_range unplanned_meeting_window(const json_t *settings, struct date end) {
  int months = (int)setting_value(settings, "unplanned_ending_meeting_earliest_months");
  int weeks = (int)setting_value(settings, "unplanned_ending_meeting_latest_weeks");
  return (struct date_range){date_add_months(end, months), date_add_weeks(end, weeks)};
}

bool unplanned_meeting_waivable(const json_t *settings, struct date end,
                                const struct date *stability_held, size_t n) {
  int weeks = (int)setting_value(settings, "waiver_stability_lookback_weeks");
  struct date_range lookback = {date_add_weeks(end, -weeks), end};
  for (size_t i = 0; i < n; i++) {
    if (date_range_contains(lookback, stability_held[i])) {
      return true;
    }
  }
  return false;
}

bool breakdown_refers_back(const json_t *settings, struct date born, struct date end) {
  return date_age_on(born, end) < setting_value(settings, "family_finding_referral_age");
}
