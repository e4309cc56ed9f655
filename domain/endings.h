/* When a placement meant to last ends unplanned (POLICY.md E, U1-U4, P3): the window of the
 * unplanned-ending meeting, when a team manager may waive it, and when the child goes back to
 * family finding. */
#ifndef DOMAIN_ENDINGS_H
#define DOMAIN_ENDINGS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "dates.h"
#include "meetings.h"

enum unplanned_answer {
  ENDING_IS_PLANNED,
  ENDING_IS_UNPLANNED,
  ENDING_UNKNOWN,      /* LAREQ, CUSTOD, OTHER and nobody said */
  ENDING_CONTRADICTED, /* the person's answer contradicts the reason's */
};

/* E: whether an ending for `reason` (a valid SSDA903 code) was unplanned; `said` is the
 * person's answer (NULL when not given), which decides for LAREQ, CUSTOD and OTHER and must
 * agree with the reason for the others. */
enum unplanned_answer ending_unplanned(const char *reason, const bool *said);

/* U1: the days on which the unplanned-ending meeting after an ending on `end` may be held:
 * from `unplanned_ending_meeting_earliest_months` to `unplanned_ending_meeting_latest_weeks`
 * after it (a month is a calendar month, clamped at the month's end). */
struct date_range unplanned_meeting_window(const json_t *settings, struct date end);

/* U2: whether the unplanned-ending meeting after an ending on `end` may be waived: a stability
 * meeting was held on one of `stability_held` (n of them) within
 * `waiver_stability_lookback_weeks` before the ending (the ending day included). */
bool unplanned_meeting_waivable(const json_t *settings, struct date end,
                                const struct date *stability_held, size_t n);

/* P3: whether a child born on `born` whose placement broke down on `end` is referred back to
 * family finding: under `family_finding_referral_age` that day. */
bool breakdown_refers_back(const json_t *settings, struct date born, struct date end);

#endif
