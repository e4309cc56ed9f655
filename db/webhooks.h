/* SQL of the webhooks (issue 7): the subscriptions an administrator manages, and what the
 * delivery task (api/webhook_delivery.c) reads and writes around each attempt. */
#ifndef DB_WEBHOOKS_H
#define DB_WEBHOOKS_H

#include "pool.h"

/* $1 url, $2 events (a JSON array of patterns), $3 secret, $4 by: (json, id). The cursor starts
 * at the feed's end. */
extern const struct db_statement WEBHOOK_INSERT;
/* $1 id: (json) */
extern const struct db_statement WEBHOOK_GET;
/* $1 id: (active), the row locked */
extern const struct db_statement WEBHOOK_LOCK;
/* $1 after id or null, $2 limit: (items json, last id, more) */
extern const struct db_statement WEBHOOK_LIST;
/* $1 id, $2 by: (json) of the subscription made inactive */
extern const struct db_statement WEBHOOK_DEACTIVATE;
/* $1 webhook id, $2 before seq or null, $3 limit, $4 status or null: (items json newest first,
 * last seq, more) */
extern const struct db_statement WEBHOOK_DELIVERIES_LIST;
/* $1 webhook id, $2 delivery id: (json) of the delivery queued again, due now */
extern const struct db_statement WEBHOOK_DELIVERY_RESEND;

/* The delivery task's advisory lock (one deliverer across instances): (got) */
extern const struct db_statement DELIVERY_TRY_LOCK;
extern const struct db_statement DELIVERY_UNLOCK;
/* The active subscriptions: (id, events json array, after_seq) */
extern const struct db_statement DELIVERY_SUBSCRIPTIONS;
/* $1 after seq, $2 limit: (seq, type) of the sequenced events after it, in seq order */
extern const struct db_statement DELIVERY_EVENTS_AFTER;
/* $1 webhook id, $2 seqs (an array literal) to queue, $3 the cursor to move to */
extern const struct db_statement DELIVERY_ENQUEUE;
/* $1 limit: each active subscription's next delivery (its pending one of smallest seq) that is
 * due: (id, resends, failures, url, secret, body) */
extern const struct db_statement DELIVERY_DUE;
/* $1 id, $2 resends, $3 backoff seconds, $4 window seconds: counts the attempt and puts the next
 * one after the backoff (should this one never finish), only while this session holds the lock:
 * (attempts), no row when the delivery changed or the lock was lost */
extern const struct db_statement DELIVERY_BEGIN_ATTEMPT;
/* $1 id, $2 resends, $3 status code */
extern const struct db_statement DELIVERY_SUCCEEDED;
/* $1 id, $2 resends, $3 status code or null, $4 error, $5 backoff seconds, $6 window seconds:
 * the next attempt after the backoff, or `failed` once the window has passed: (status,
 * webhook id), no row when the delivery was resent meanwhile */
extern const struct db_statement DELIVERY_FAILED;

#endif
