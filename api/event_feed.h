/* The change feed (issue 7): every change writes an event in its own transaction (the outbox);
 * a sequencer gives committed events their place in commit order, and GET /v1/events answers
 * them after a cursor, waiting for new ones when asked to (long polling). */
#ifndef API_EVENT_FEED_H
#define API_EVENT_FEED_H

#include <stdbool.h>

#include "../db/pool.h"

/* Rung by the sequencer when it placed new events, so that waiting readers look again. */
struct event_bell;

/* NULL when out of memory. The caller frees it with event_bell_free once nothing waits. */
struct event_bell *event_bell_create(void);
void event_bell_free(struct event_bell *bell);

/* Wakes every reader waiting on the bell and stops further waits (the service is stopping). */
void event_bell_close(struct event_bell *bell);

/* The sequencer's run (periodic.h): places a batch of committed events and rings `context`
 * (an event_bell) when it placed any. */
int event_sequencer_periodic(struct db_conn *conn, void *context);

#endif
