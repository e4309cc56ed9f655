/* Background work on the database at intervals, each task on a thread and a connection of its
 * own (reconnected when lost): the audit sealer (R1) and the action sweep (S7). */
#ifndef API_PERIODIC_H
#define API_PERIODIC_H

#include "../db/pool.h"

/* One run of a task on `conn`. Returns how long to wait, in milliseconds, before the next run
 * (0: run again at once, there is more to do). */
typedef int (*periodic_run)(struct db_conn *conn, void *context);

struct periodic;

/* Starts running `run(conn, context)` on a thread of its own against `conninfo`; a failed
 * connection waits `retry_ms` before the next try. Returns NULL when it cannot start. The
 * caller owns the task (periodic_stop) and `context`, which must outlive it. */
struct periodic *periodic_start(const char *conninfo, periodic_run run, void *context,
                                int retry_ms);

/* Stops the task after its current run and frees it. NULL is ignored. */
void periodic_stop(struct periodic *task);

/* The audit sealer's run: links up to a batch of new audit rows into the hash chain. */
int periodic_seal_audit(struct db_conn *conn, void *context);

#endif
