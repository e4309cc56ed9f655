/*
 * webhook_fixtures.c - helpers of the webhook tests (see webhook_fixtures.h).
 */
#include "webhook_fixtures.h"

#include "db.h"
#include "expect.h"

#include <check.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A path of its own for this test's receiver. */
void wfx_unique_path(char *out, size_t size, const char *what)
{
    char id[FX_ID_MAX];

    fx_unique(id, sizeof id, what);
    snprintf(out, size, "/hooks/%.100s", id);
}

/* Sends `method` to `path` on `base` (NULL: the runner's server) as `token`, with `body` (a
 * JSON document, stolen; NULL for none). */
http_response wfx_send_to(const char *base, const char *method, const char *token,
                          json_t *body, const char *path)
{
    http_request req = {0};
    char *text = body != NULL ? json_dumps(body, JSON_COMPACT) : NULL;
    http_response res;

    json_decref(body);
    req.method = method;
    req.base = base;
    req.path = path;
    req.token = token;
    req.body = text;
    res = http_send(&req);
    free(text);
    return res;
}

/* A subscription's body: `url`, the one `pattern`, WFX_SECRET. The caller owns it. */
json_t *wfx_subscription(const char *url, const char *pattern)
{
    return json_pack("{s:s, s:[s], s:s}", "url", url, "events", pattern, "secret", WFX_SECRET);
}

/* POST /v1/webhooks on `base` as an administrator; asserts 201 and writes the id. */
void wfx_webhook_create(const char *base, const char *url, const char *pattern, char *id)
{
    http_response res = wfx_send_to(base, "POST", fx_admin_token(), wfx_subscription(url, pattern),
                                "/v1/webhooks");

    EXPECT_STATUS(res, 201);
    snprintf(id, FX_ID_MAX, "%s", body_string(&res, "id"));
    http_response_free(&res);
}

/* DELETE /v1/webhooks/{id} on `base`; asserts 204. */
void wfx_webhook_deactivate(const char *base, const char *id)
{
    char path[256];
    http_response res;

    snprintf(path, sizeof path, "/v1/webhooks/%s", id);
    res = wfx_send_to(base, "DELETE", fx_admin_token(), NULL, path);
    EXPECT_STATUS(res, 204);
    http_response_free(&res);
}

/* Creates `n` people, each announcing a person.created event, in this order. */
void wfx_people_create(int n, char ids[][FX_ID_MAX])
{
    int i;

    for (i = 0; i < n; i++) {
        http_response res;

        fx_unique(ids[i], FX_ID_MAX, "whperson");
        res = http_post(fx_admin_token(),
                        json_pack("{s:s, s:s, s:[s]}", "id", ids[i], "name", "Hook Person",
                                  "roles", "csw"),
                        "/v1/people");
        EXPECT_STATUS(res, 201);
        http_response_free(&res);
    }
}

/* The pause between two looks of a bounded wait. */
void wfx_pause_50ms(void)
{
    const struct timespec pause = {0, 50000000L};

    nanosleep(&pause, NULL);
}

/* Polls `sql` (one text parameter: the webhook id) until it gives at least `want`, for at most
 * WFX_WAIT_SECONDS. Returns the last value. */
long wfx_wait_at_least(const char *sql, const char *webhook, long want)
{
    time_t until = time(NULL) + WFX_WAIT_SECONDS;
    long value;

    while ((value = db_long(sql, 1, webhook)) < want && time(NULL) < until)
        wfx_pause_50ms();
    return value;
}

/* Waits (bounded) until `n` deliveries of `webhook` are delivered. Returns how many are. */
long wfx_wait_delivered(const char *webhook, long n)
{
    return wfx_wait_at_least("select count(*) from webhook_deliveries where webhook_id::text = $1 "
                         "and status = 'delivered'", webhook, n);
}

/* The `n`-th (0-based, by seq) delivery id of `webhook`, into id. */
void wfx_delivery_id(const char *webhook, int n, char *id)
{
    char offset[16];
    char *text;

    snprintf(offset, sizeof offset, "%d", n);
    text = db_text("select id::text from webhook_deliveries where webhook_id::text = $1 "
                   "order by seq offset $2::int limit 1", 2, webhook, offset);
    ck_assert_msg(text != NULL, "webhook %s has no delivery %d", webhook, n);
    snprintf(id, FX_ID_MAX, "%s", text);
    free(text);
}

/* A column of one delivery as a number. */
long wfx_delivery_long(const char *column_sql, const char *delivery)
{
    char sql[256];

    snprintf(sql, sizeof sql, "select %s from webhook_deliveries where id::text = $1",
             column_sql);
    return db_long(sql, 1, delivery);
}

/* Waits until delivery's `failures` reaches n. */
long wfx_wait_failures(const char *delivery, long n)
{
    return wfx_wait_at_least("select failures from webhook_deliveries where id::text = $1",
                         delivery, n);
}

/* Brings the delivery's next attempt forward to now. */
void wfx_hurry(const char *delivery)
{
    ck_assert_int_eq(db_long("with u as (update webhook_deliveries set next_attempt_at = now() "
                             "where id::text = $1 and status = 'pending' returning 1) "
                             "select count(*) from u", 1, delivery), 1);
}

/* Brings every pending delivery of `webhook` forward to now. */
void wfx_hurry_pending(const char *webhook)
{
    db_long("with u as (update webhook_deliveries set next_attempt_at = now() "
            "where webhook_id::text = $1 and status = 'pending' returning 1) "
            "select count(*) from u", 1, webhook);
}

/* The seq of person `person`'s person.created event. */
long wfx_person_seq(const char *person)
{
    return db_long("select seq from events where type = 'person.created' and subject_id = $1",
                   1, person);
}

/* Checks q's signature as a receiver would: HMAC-SHA256 of "<timestamp>.<body>" under secret. */
int wfx_signature_matches(const rx_request *q, const char *secret)
{
    char *input = NULL;
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_length = 0;
    char expected[8 + 2 * EVP_MAX_MD_SIZE] = "sha256=";
    unsigned int i;

    ck_assert(asprintf(&input, "%s.%s", q->timestamp, q->body) > 0);
    HMAC(EVP_sha256(), secret, (int)strlen(secret), (const unsigned char *)input, strlen(input),
         mac, &mac_length);
    free(input);
    ck_assert_uint_eq(mac_length, 32);
    for (i = 0; i < mac_length; i++)
        snprintf(expected + 7 + 2 * i, 3, "%02x", mac[i]);
    return strcmp(expected, q->signature) == 0;
}

/* The JSON body of q; the caller frees it. */
json_t *wfx_body_of(const rx_request *q)
{
    json_t *body = json_loads(q->body, 0, NULL);

    ck_assert_msg(json_is_object(body), "a delivery's body is not a JSON object: %.300s", q->body);
    return body;
}

/* The `seq` of q's body. */
long wfx_body_seq(const rx_request *q)
{
    json_t *body = wfx_body_of(q);
    long seq = (long)json_integer_value(json_object_get(body, "seq"));

    json_decref(body);
    return seq;
}

/* Walks GET /v1/webhooks/{id}/deliveries two at a time: `n` deliveries, newest seq first. */
void wfx_expect_deliveries_paged(const char *webhook, int n)
{
    char after[256] = "";
    long previous = -1;
    int seen = 0;
    int pages;

    for (pages = 0; pages <= n; pages++) {
        http_response res = after[0] != '\0'
                                ? http_get(fx_admin_token(), "/v1/webhooks/%s/deliveries?limit=2"
                                           "&after=%s", webhook, after)
                                : http_get(fx_admin_token(), "/v1/webhooks/%s/deliveries?limit=2",
                                           webhook);
        json_t *items;
        size_t i;
        json_t *item;
        const char *next;

        EXPECT_STATUS(res, 200);
        items = body_items(&res);
        ck_assert_int_le(json_array_size(items), 2);
        json_array_foreach(items, i, item) {
            long seq = (long)json_integer_value(json_object_get(item, "seq"));

            ck_assert(previous < 0 || seq < previous);
            ck_assert(json_member_is(item, "status", "delivered"));
            previous = seq;
            seen++;
        }
        next = json_string_value(json_object_get(res.json, "next"));
        if (next == NULL) {
            http_response_free(&res);
            break;
        }
        snprintf(after, sizeof after, "%s", next);
        http_response_free(&res);
    }
    ck_assert_int_eq(seen, n);
}
