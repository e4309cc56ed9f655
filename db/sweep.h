/* SQL of the S7 sweep: each step taken for every action that needs it in one statement, with
 * its history rows, the events that tell the owners, and the audit rows (R1). The re-check
 * times come from the service's calendar (domain/calendar.c) as a map from London date to
 * instant, so the working-day rules live in one place. */
#ifndef DB_SWEEP_H
#define DB_SWEEP_H

#include "pool.h"

/* A sweep's statements may run longer than a request's (for the rest of its transaction). */
extern const struct db_statement SWEEP_TIMEOUT;
/* One sweep at a time across instances (waits for the other). */
extern const struct db_statement SWEEP_LOCK;
/* $1 as_of epoch: the London dates of the due times of the actions to flag */
extern const struct db_statement SWEEP_FLAG_DATES;
/* $1 as_of epoch, $2 dates[], $3 re-check epochs[], $4 request id: (flagged) */
extern const struct db_statement SWEEP_FLAG;
/* $1 as_of epoch: the London dates of the re-checks that have come */
extern const struct db_statement SWEEP_ESCALATE_DATES;
/* $1 as_of epoch, $2 dates[], $3 next re-check epochs[], $4 request id: (escalated) */
extern const struct db_statement SWEEP_ESCALATE;

#endif
