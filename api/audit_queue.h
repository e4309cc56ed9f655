/* R1 for reads and refusals: the audit row of a read (a child's record, a list naming the ids it
 * shows, panel papers) or of a refusal (401, 403, 404) is queued in memory by the request and
 * written by one writer thread in batches, each batch one INSERT and one durable commit. A read
 * is answered only once its row is queued; the row is committed within a few milliseconds, and
 * whatever is queued is written before the service stops. A crash (SIGKILL, power loss) loses
 * at most the rows of the last few milliseconds; writes never go through here (their audit row
 * is in their own transaction). Reading the audit trail through the API settles the queue first,
 * so the trail it shows holds every read answered before it. */
#ifndef API_AUDIT_QUEUE_H
#define API_AUDIT_QUEUE_H

#include <stdbool.h>

#include "../db/pool.h"

struct audit_queue;

/* A queue holding at most `capacity` rows waiting to be written. NULL when out of memory. */
struct audit_queue *audit_queue_create(size_t capacity);

/* Frees the queue and any row still in it (write them first: audit_queue_write). */
void audit_queue_free(struct audit_queue *queue);

/* Queues one row (`line`, stolen: a line of COPY text ending in a newline, db/audit.h's
 * AUDIT_COPY columns). Waits up to `wait_ms` for room when the queue is full (the database is
 * slow or away); returns false when there is still none, and the read must then not be
 * answered. */
bool audit_queue_add(struct audit_queue *queue, char *line, int wait_ms);

/* Writes what is queued, oldest first, in batches, on `conn`; rows whose batch fails stay
 * queued for the next call. Returns the number of rows written, or -1 when a batch failed. */
int audit_queue_write(struct audit_queue *queue, struct db_conn *conn);

/* Waits up to `wait_ms` until every row queued before the call is committed. Returns false
 * when it is not. */
bool audit_queue_settle(struct audit_queue *queue, int wait_ms);

/* How many rows wait for the writer now. */
size_t audit_queue_waiting(struct audit_queue *queue);

/* The writer's run for periodic_start (context: the queue): writes what is queued, then waits a
 * few milliseconds. */
int audit_queue_periodic(struct db_conn *conn, void *context);

#endif
