/* What a panel may hear and record (POLICY.md M5, M6, M9, M12, P4, P5). Which panel hears what:
 * a matching panel, or Part 2 of a permanence panel, hears matches; Part 1 of a permanence panel
 * hears requests (P5). Papers reach the members `panel_papers_working_days` working days ahead
 * unless the chair accepts them late (M5). A recommendation records the child's wishes and, for
 * a disabled child, accessibility and health management (M6), and whether the child was invited
 * (M12). A long-term match is formally approved only at the last panel of its month (M9). */
#ifndef DOMAIN_HEARING_H
#define DOMAIN_HEARING_H

#include <jansson.h>
#include <stdbool.h>

#include "calendar.h"

/* Part 1 request types (P5), NULL-terminated. */
const char *const *hearing_request_types(void);

/* Recommendation outcomes, NULL-terminated: approve, not_approve, deferred. */
const char *const *hearing_outcomes(void);

/* P5: NULL when a panel of `panel_kind` ("matching", "permanence") sitting in `panel_part` (1, 2,
 * or 0 for both parts) hears a match (`is_match`) or a Part 1 request; else why not. */
const char *hearing_part_refusal(const char *panel_kind, int panel_part, bool is_match);

/* M5: papers circulated on London date `circulated` reached the members in time for a panel on
 * `panel_date` when `circulated` is on or before the `working_days`th working day before it. */
bool hearing_papers_on_time(const struct calendar *cal, struct date circulated,
                            struct date panel_date, int working_days);

/* M9: whether a recommendation `outcome` for a match of `match_kind` may be recorded at a panel
 * that is (or is not) the last of its kind in its calendar month. Only the formal approval of a
 * long-term match is restricted. */
bool hearing_formal_approval_allowed(const char *outcome, const char *match_kind,
                                     bool last_panel_of_month);

/* M6: appends to `missing` what the recommendation `body` lacks of the child's voice
 * ("wishes_and_feelings", "wishes_via") and, for a disabled child, "accessibility" and
 * "health_management". True when nothing is missing. */
bool hearing_voice_check(const json_t *body, bool disabled_child, json_t *missing);

/* M12: appends "child_invited" when the body does not say whether the child was invited, and
 * "child_not_invited_reason" when they were not and no reason is given. */
bool hearing_invitation_check(const json_t *body, json_t *missing);

/* What a Part 1 request carries (P4). */
struct part1_request_facts {
  bool has_permanence_plan;
  bool has_ppm_minutes;
  bool has_request_form;
  bool recent_unplanned_ending;  /* within disruption_lookback_weeks of the request */
  bool care_history_explained;   /* the form explains the care history and challenges */
};

/* P4: appends every missing paper ("permanence_plan", "ppm_minutes", "panel_request_form") and
 * "care_history_explanation" after a recent disruption. True when nothing is missing. */
bool hearing_request_check(const struct part1_request_facts *facts, json_t *missing);

/* The voice ambassador reads the papers of the panels they sit on but never birth-family contact
 * details: removes `address`, `phone` and `email` from every entry of `birth_family` (a JSON
 * array of relatives, changed in place); names, relationships and contact arrangements stay. */
void hearing_remove_birth_family_contacts(json_t *birth_family);

#endif
