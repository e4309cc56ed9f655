/* The S7 sweep: flags open actions past their due time and escalates those still open at their
 * re-check, as of a stated instant, replaying every step a late sweep would have taken.
 * Idempotent (a second sweep as of the same instant changes nothing: each action's state says
 * what was done) and safe with several instances on one database (one sweep at a time). */
#ifndef API_ACTION_SWEEP_H
#define API_ACTION_SWEEP_H

#include <time.h>

#include "../db/pool.h"

struct sweep_result {
  int flagged;
  int escalated;
};

/* Sweeps every action needing a step as of `as_of`, in one transaction. Every change is
 * written with its history, an event for the person told, and an audit row naming
 * `request_id` (NULL for the timer). Returns 0, or -1 when the database failed (nothing
 * changed then). */
int action_sweep(struct db_conn *conn, time_t as_of, const char *request_id,
                 struct sweep_result *result);

/* The timer's run (periodic.h): sweeps as of now, then waits `action_sweep_interval_seconds`. */
int action_sweep_periodic(struct db_conn *conn, void *context);

#endif
