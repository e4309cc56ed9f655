/* Webhook deliveries (issue 7): a periodic task (periodic.h) that, holding a PostgreSQL advisory
 * lock so that one instance delivers at a time, queues a delivery for each subscription and each
 * sequenced event it takes, then sends each subscription's next due delivery: POST <url> with the
 * event as JSON, signed with HMAC-SHA256 of "<timestamp>.<body>" under the subscription's secret,
 * through ulfius's HTTP client (5 s, no redirect followed). 2xx is delivered; anything else is
 * retried with exponential backoff (domain/webhooks.h) for a day, then failed, and the next one
 * goes: a subscription's deliveries go out one at a time, in seq order. Every attempt is written
 * before and after it is made, so a restart (or a crash) loses nothing: at least once. */
#ifndef API_WEBHOOK_DELIVERY_H
#define API_WEBHOOK_DELIVERY_H

#include <stdbool.h>

#include "app.h"
#include "periodic.h"

/* Starts the delivery task for `app` (which must outlive it) into *task. An instance without a
 * webhook allowlist may send nowhere and starts none (*task NULL). Returns false when the task
 * should have started and could not. */
bool webhook_delivery_start(struct app *app, struct periodic **task);

/* Stops the task after its current run (at most one attempt's timeout) and frees it. NULL is
 * ignored. */
void webhook_delivery_stop(struct periodic *task);

/* One run (periodic.h): queues what the new events bring and sends what is due. `context` is the
 * app. Returns the pause before the next run. */
int webhook_delivery_periodic(struct db_conn *conn, void *context);

#endif
