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

/* What the sweep knows of an open action. */
struct action_state {
  time_t due_at;
  bool flagged;
  bool has_recheck;
  time_t recheck_at;
  bool in_admin_queue; /* no owner: escalated past the top of the line of management */
};

enum sweep_step {
  SWEEP_NOTHING,
  SWEEP_FLAG,     /* past due, not yet flagged: tell the owner, set the re-check */
  SWEEP_ESCALATE, /* re-check reached and still open: the manager (or the queue) takes it */
};

/* Decides the next S7 step for an open action as of `as_of`. */
enum sweep_step action_sweep_step(const struct action_state *action, time_t as_of);

/* The S7 re-check time: the end of the `working_days`th working day after the London date of
 * `from`. */
time_t action_recheck_at(const struct calendar *calendar, time_t from, int working_days);

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
