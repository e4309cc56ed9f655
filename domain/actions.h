/* Actions: what must be done, by whom, by when; and S7, which keeps due dates from drifting:
 * an open action past its due time is flagged to its owner and re-checked
 * `escalation_recheck_working_days` later; still open then, it escalates to the owner's manager,
 * who becomes its owner (or to the administrators' queue when there is no manager). */
#ifndef DOMAIN_ACTIONS_H
#define DOMAIN_ACTIONS_H

#include <jansson.h>
#include <stdbool.h>
#include <time.h>

#include "calendar.h"
#include "roles.h"

/* S7: an action flagged (or escalated) from the London date `from` is checked again at the end
 * of the `working_days`th working day after it. */
time_t action_recheck_at(const struct calendar *calendar, struct date from, int working_days);

/* Whether the caller may complete, cancel or reassign an action: its owner, the owner's manager,
 * or an administrator (who also works the administrators' queue). `owner` and `owner_manager`
 * may be NULL. */
bool action_may_change(const char *sub, role_set roles, const char *owner,
                       const char *owner_manager);

/* Checks a new action {title, detail?, subject: {type, id}, owner_id, due_at, source_rule?,
 * source?: {type, id}}: appends one error per offending field. `now` is the request time:
 * a new action is due in the future. */
bool action_validate_new(const json_t *body, time_t now, json_t *errors);

#endif
