/*
 * webhook_fixtures.h - what the webhook tests share: subscriptions made and ended through the
 * API, person.created events as traffic, bounded waits on the delivery rows, the backoff brought
 * forward through the database clock, and a receiver's check of a signature.
 */
#ifndef API_TEST_WEBHOOK_FIXTURES_H
#define API_TEST_WEBHOOK_FIXTURES_H

#include "fixtures.h"
#include "http_client.h"
#include "webhook_receiver.h"

#include <jansson.h>
#include <stddef.h>

#define WFX_SECRET "test-webhook-secret-0123456789abcdef-XYZ"
#define WFX_WAIT_SECONDS 30
#define WFX_ZERO_UUID "00000000-0000-4000-8000-000000000000"

/* A path of its own for this test's receiver. */
void wfx_unique_path(char *out, size_t size, const char *what);

/* Sends `method` to `path` on `base` (NULL: the runner's server) as `token`, with `body` (a
 * JSON document, stolen; NULL for none). */
http_response wfx_send_to(const char *base, const char *method, const char *token,
                          json_t *body, const char *path);

/* A subscription's body: `url`, the one `pattern`, WFX_SECRET. The caller owns it. */
json_t *wfx_subscription(const char *url, const char *pattern);

/* POST /v1/webhooks on `base` as an administrator; asserts 201 and writes the id. */
void wfx_webhook_create(const char *base, const char *url, const char *pattern, char *id);

/* DELETE /v1/webhooks/{id} on `base`; asserts 204. */
void wfx_webhook_deactivate(const char *base, const char *id);

/* Creates `n` people, each announcing a person.created event, in this order. */
void wfx_people_create(int n, char ids[][FX_ID_MAX]);

/* The pause between two looks of a bounded wait. */
void wfx_pause_50ms(void);

/* Polls `sql` (one text parameter: the webhook id) until it gives at least `want`, for at most
 * WFX_WAIT_SECONDS. Returns the last value. */
long wfx_wait_at_least(const char *sql, const char *webhook, long want);

/* Waits (bounded) until `n` deliveries of `webhook` are delivered. Returns how many are. */
long wfx_wait_delivered(const char *webhook, long n);

/* The `n`-th (0-based, by seq) delivery id of `webhook`, into id. */
void wfx_delivery_id(const char *webhook, int n, char *id);

/* A column of one delivery as a number. */
long wfx_delivery_long(const char *column_sql, const char *delivery);

/* Waits until delivery's `failures` reaches n. */
long wfx_wait_failures(const char *delivery, long n);

/* Brings the delivery's next attempt forward to now. */
void wfx_hurry(const char *delivery);

/* Brings every pending delivery of `webhook` forward to now. */
void wfx_hurry_pending(const char *webhook);

/* The seq of person `person`'s person.created event. */
long wfx_person_seq(const char *person);

/* Checks q's signature as a receiver would: HMAC-SHA256 of "<timestamp>.<body>" under secret. */
int wfx_signature_matches(const rx_request *q, const char *secret);

/* The JSON body of q; the caller frees it. */
json_t *wfx_body_of(const rx_request *q);

/* The `seq` of q's body. */
long wfx_body_seq(const rx_request *q);

/* Walks GET /v1/webhooks/{id}/deliveries two at a time: `n` deliveries, newest seq first. */
void wfx_expect_deliveries_paged(const char *webhook, int n);

#endif
