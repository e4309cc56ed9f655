/* Long-term matching, M1-M4, M7 and M11 of POLICY.md: who finds a family for a child, what must
 * be on file before family finding starts, the kinship route that skips it, what a match needs
 * before it goes to panel, and when the decision maker must give reasons. */
#ifndef DOMAIN_MATCHING_H
#define DOMAIN_MATCHING_H

#include <jansson.h>
#include <stdbool.h>

#include "dates.h"
#include "roles.h"

/* M1: a child under `age_limit` (family_finder_age_limit) on the day family finding starts is
 * found a family by a family finder; a child of that age or over by their social worker. */
enum role match_family_finder_role(struct date born, struct date starts_on, int age_limit);

/* What is on file for the child when a match starts. */
struct match_start_facts {
  bool connected_person;          /* kind connected_person (M3) */
  bool has_all_about_me;          /* M2 */
  bool has_family_chronology;     /* M2 */
  bool carer_named;               /* a carer was given */
  bool carer_approved_for_child;  /* M3: approved as connected person for this child */
};

/* M2 and M3: appends to `missing` (a JSON array) every document or fact the start needs and
 * lacks (a CPR is never required). Returns true when the match may start. */
bool match_start_check(const struct match_start_facts *facts, json_t *missing);

/* What a match carries to panel (M4, M11). The JSON members are borrowed and may be NULL. */
struct match_submission_facts {
  const json_t *child_profile;       /* the child's `profile` object */
  const json_t *carer;               /* the carer's record */
  bool has_matching_report;          /* on the child's file */
  bool has_household_review;         /* a Fostering Household Review on the carer's file */
  bool has_support_plan;             /* on the child's file */
  const json_t *support_plan_covers; /* `covers` of the most recent support plan */
};

/* M4: appends to `missing` every empty profile section ("child.profile.history",
 * "carer.skills"), every absent document ("matching_report") and every area the most recent
 * support plan does not cover ("support_plan.covers.short_breaks"). True when nothing is. */
bool match_submission_check(const struct match_submission_facts *facts, json_t *missing);

/* M11: whether a match with this carer still needs the fee discussion recorded before it goes
 * to panel (an agency carer, no discussion yet). */
bool match_needs_fee_discussion(bool agency_carer, bool fee_discussion_recorded);

/* M7: the decision maker may differ from the panel but must then give reasons. `outcome` is the
 * panel's ("approve" or "not_approve"). */
bool match_decision_needs_reasons(const char *outcome, bool agreed);

#endif
