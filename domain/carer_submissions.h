/* Independent fostering agencies' carer submissions (issue 7): whose submission a caller
 * reaches, the profile an agency sends, the fostering team's reasons for returning it and
 * whether a decision is still open. Plain functions: no HTTP, no SQL, no clock. */
#ifndef DOMAIN_CARER_SUBMISSIONS_H
#define DOMAIN_CARER_SUBMISSIONS_H

#include <jansson.h>
#include <stdbool.h>

#include "dates.h"
#include "roles.h"

/* At most this many reasons in one return. */
#define CARER_SUBMISSION_MAX_REASONS 100

/* How a caller reaches the submissions under /v1/agencies/{agency_id}/... */
enum carer_submission_reach {
  CS_REACH_AGENCY,    /* the agency itself: reads and writes its own submissions */
  CS_REACH_TEAM,      /* the fostering team (ssw, team_manager): reads */
  CS_REACH_HIDDEN,    /* another agency: 404, never saying whether the agency exists */
  CS_REACH_FORBIDDEN, /* roles that never reach submissions: 403 */
};

/* The reach of a caller holding `roles` (with the token's `caller_agency`, "" when none) on the
 * submissions of `path_agency`, to read (`write` false) or to submit (`write` true). An agency
 * token reaches only its own agency's path; the fostering team reads every agency's and writes
 * none. */
enum carer_submission_reach carer_submission_reach(role_set roles, const char *caller_agency,
                                                   const char *path_agency, bool write);

/* Whether `roles` make the caller one of the fostering team who list, accept and return
 * submissions (ssw, team_manager). */
bool carer_submission_team_may_decide(role_set roles);

/* Checks an agency's profile (`profile`, the carer document of POST /v1/carers) sent for
 * `agency_id`: its `agency_id` is absent or that agency's (field `agency_id` otherwise), then
 * sets it to `agency_id` and validates the whole profile as a carer's. Appends every problem to
 * `errors` and returns true when it appended none. `profile` is changed in place (its
 * agency_id). */
bool carer_submission_profile_check(json_t *profile, const char *agency_id, struct date today,
                                    json_t *errors);

/* Whether `path` names a field of a carer profile the fostering team may give a reason for:
 * member names joined by ".", an array's item by "[n]" within the array's size limit, e.g.
 * `postcode`, `approval.age_to`, `carers[0].family_name`, `household_members[3]`,
 * `skills[1]`. Service fields (`id`, `team`, `version`, ...) and `agency_id` are not. */
bool carer_submission_field_path_valid(const char *path);

/* Checks the body of a return: `reasons` (required, 1..CARER_SUBMISSION_MAX_REASONS items, each
 * {field: a valid path, reason: 1..2000 characters}) and an optional `version` (a whole number
 * from 1). Appends every problem to `errors` ("reasons[1].field", ...) and returns true when it
 * appended none. */
bool carer_submission_return_check(const json_t *body, json_t *errors);

/* Checks the body of an acceptance: only an optional `version` (a whole number from 1). */
bool carer_submission_accept_check(const json_t *body, json_t *errors);

/* Why the latest version (`latest`, whose status is `status`) cannot be decided now when the
 * request names version `named` (0: none, the latest is meant): a version that is not the
 * latest, or a latest version already returned or accepted. NULL when it can. */
const char *carer_submission_decision_conflict(const char *status, long latest, long named);

/* The carer document a later acceptance writes over carer `current` (its stored document) from
 * the accepted `profile`: the profile as the agency sent it, keeping the carer's `external_ids`
 * (the case systems' identifiers) when the profile names none. Returns a new reference. */
json_t *carer_submission_carer_doc(const json_t *current, const json_t *profile);

#endif
