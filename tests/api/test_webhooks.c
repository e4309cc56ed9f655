/*
 * test_webhooks.c - webhooks (issue 7): an administrator's subscriptions, refused for targets
 * outside PERMANENCE_WEBHOOK_ALLOWLIST (the runner allows http://127.0.0.1: only), and their
 * deliveries to a receiver on loopback (webhook_receiver.h): signed, retried with backoff, in
 * order per subscription, failed after a day, resent, never redirected, and not lost when the
 * delivering instance is killed mid-backlog and another starts.
 *
 * Times are driven through the database, never slept on: a test waits (bounded) for the
 * receiver or for delivery rows, reads the backoff the service wrote (next_attempt_at), then
 * brings next_attempt_at (or, for the day's window, queued_at) forward.
 *
 * person.created events are the traffic: each POST /v1/people announces one, and nothing else
 * announces them while a test runs.
 */
#include "db.h"
#include "env.h"
#include "expect.h"
#include "fixtures.h"
#include "http_client.h"
#include "suites.h"
#include "webhook_fixtures.h"
#include "webhook_receiver.h"

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

START_TEST(test_webhooks_are_an_administrators_alone)
{
    static const char *roles[] = {"csw", "team_manager"};
    int r;

    for (r = 0; r < 2; r++) {
        fx_person p;
        http_response res;
        const char *paths[][2] = {
            {"GET", "/v1/webhooks"},
            {"GET", "/v1/webhooks/" WFX_ZERO_UUID},
            {"DELETE", "/v1/webhooks/" WFX_ZERO_UUID},
            {"GET", "/v1/webhooks/" WFX_ZERO_UUID "/deliveries"},
            {"POST", "/v1/webhooks/" WFX_ZERO_UUID "/deliveries/" WFX_ZERO_UUID "/resend"},
        };
        size_t i;

        fx_token_only(&p, roles[r]);
        res = wfx_send_to(NULL, "POST", p.token, wfx_subscription("http://127.0.0.1:9/h", "*"),
                      "/v1/webhooks");
        expect_problem(&res, 403, "forbidden");
        http_response_free(&res);
        for (i = 0; i < sizeof paths / sizeof paths[0]; i++) {
            res = wfx_send_to(NULL, paths[i][0], p.token, NULL, paths[i][1]);
            expect_problem(&res, 403, "forbidden");
            http_response_free(&res);
        }
        /* each refusal is in the audit trail (R1), and nothing was written */
        ck_assert_int_eq(db_long("select count(*) from audit_log where sub = $1 and "
                                 "resource_type = 'webhook' and status = 403", 1, p.id), 6);
        ck_assert_int_eq(db_long("select count(*) from webhooks where created_by = $1", 1, p.id),
                         0);
    }
}
END_TEST

START_TEST(test_webhook_target_outside_the_allowlist_refused)
{
    static const char *urls[] = {
        "https://hooks.example.org/permanence",    /* not in the allowlist at all */
        "http://127.0.0.1.evil.example:8080/h",    /* the allowed host as a prefix of another */
        "http://127.0.0.1:8080@evil.example/h",    /* userinfo: the host is evil.example */
        "http://evil.example@127.0.0.1:8080/h",    /* userinfo, even before an allowed host */
        "http://127.0.0.1:8080/h/../../admin",     /* dot segments */
        "http://127.0.0.1:8080/h/%2e%2e/admin",
        "http://127.0.0.1:8080/h#@evil.example",   /* a fragment */
        "http://127.0.0.1:8080\\@evil.example/h",  /* a backslash */
        "http://127.0.0.10:8080/h",                /* another address */
        "http://localhost:8080/h",                 /* the same machine, not the same prefix */
        "http://[::1]:8080/h",
        "ftp://127.0.0.1:8080/h",
        "127.0.0.1:8080/h",
    };
    size_t i;
    http_response res;

    for (i = 0; i < sizeof urls / sizeof urls[0]; i++) {
        res = wfx_send_to(NULL, "POST", fx_admin_token(), wfx_subscription(urls[i], "*"),
                      "/v1/webhooks");
        expect_problem(&res, 422, "validation");
        expect_error_field(&res, "url");
        http_response_free(&res);
        ck_assert_int_eq(db_long("select count(*) from webhooks where url = $1", 1, urls[i]), 0);
    }
    /* the rest of the body is checked too, each field named */
    res = wfx_send_to(NULL, "POST", fx_admin_token(),
                  json_pack("{s:s, s:[s, s], s:s}", "url", "http://127.0.0.1:9/h", "events",
                            "match.decided", "match.*.x", "secret", "too-short"),
                  "/v1/webhooks");
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "events[1]");
    expect_error_field(&res, "secret");
    http_response_free(&res);
    res = wfx_send_to(NULL, "POST", fx_admin_token(),
                  json_pack("{s:s, s:[], s:s, s:b}", "url", "http://127.0.0.1:9/h", "events",
                            "secret", WFX_SECRET, "active", 0),
                  "/v1/webhooks");
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "events");
    expect_error_field(&res, "active");
    http_response_free(&res);
}
END_TEST

START_TEST(test_webhook_created_read_listed_and_deactivated_never_deleted)
{
    char url[256];
    char path[160];
    char id[FX_ID_MAX];
    char location[256];
    char request_path[512];
    http_response res;
    json_t *events;
    int found = 0;
    int pages;
    char after[256] = "";

    wfx_unique_path(path, sizeof path, "crud");
    snprintf(url, sizeof url, "http://127.0.0.1:9%s", path);
    res = wfx_send_to(NULL, "POST", fx_admin_token(),
                  json_pack("{s:s, s:[s, s], s:s}", "url", url, "events", "match.decided",
                            "placement.*", "secret", WFX_SECRET),
                  "/v1/webhooks");
    EXPECT_STATUS(res, 201);
    snprintf(id, sizeof id, "%s", body_string(&res, "id"));
    ck_assert(is_uuid(id));
    snprintf(location, sizeof location, "/v1/webhooks/%s", id);
    expect_location(&res, location);
    expect_json_string(&res, "url", url);
    ck_assert(json_is_true(json_object_get(res.json, "active")));
    ck_assert(json_is_string(json_object_get(res.json, "created_at")));
    events = json_object_get(res.json, "events");
    ck_assert_int_eq(json_array_size(events), 2);
    ck_assert_str_eq(json_string_value(json_array_get(events, 1)), "placement.*");
    ck_assert_msg(json_object_get(res.json, "secret") == NULL &&
                      strstr(res.body, WFX_SECRET) == NULL,
                  "the secret was shown: %s", res.body);
    http_response_free(&res);

    res = http_get(fx_admin_token(), "/v1/webhooks/%s", id);
    EXPECT_STATUS(res, 200);
    expect_json_string(&res, "id", id);
    expect_json_string(&res, "url", url);
    ck_assert(strstr(res.body, WFX_SECRET) == NULL);
    http_response_free(&res);

    /* listed, a page at a time */
    for (pages = 0; pages < 1000 && !found; pages++) {
        json_t *items;
        const char *next;

        res = after[0] != '\0' ? http_get(fx_admin_token(), "/v1/webhooks?limit=1&after=%s", after)
                               : http_get(fx_admin_token(), "/v1/webhooks?limit=1");
        EXPECT_STATUS(res, 200);
        items = body_items(&res);
        ck_assert_int_le(json_array_size(items), 1);
        ck_assert(strstr(res.body, WFX_SECRET) == NULL);
        found = items_contain(items, "id", id);
        next = json_string_value(json_object_get(res.json, "next"));
        if (next == NULL) {
            http_response_free(&res);
            break;
        }
        snprintf(after, sizeof after, "%s", next);
        http_response_free(&res);
    }
    ck_assert_msg(found, "webhook %s not in the list", id);

    /* kept to sign with; audited without it; announced in the feed */
    ck_assert_int_eq(db_long("select count(*) from webhooks where id::text = $1 and secret = $2",
                             2, id, WFX_SECRET), 1);
    ck_assert_int_eq(db_long("select count(*) from audit_log where resource_type = 'webhook' and "
                             "resource_id = $1 and method = 'POST' and status = 201 and "
                             "changes->'after'->>'url' = $2 and strpos(changes::text, $3) = 0",
                             3, id, url, WFX_SECRET), 1);
    ck_assert_int_eq(db_long("select count(*) from events where type = 'webhook.created' and "
                             "subject_id = $1", 1, id), 1);

    /* DELETE deactivates; the record stays (R3); a second DELETE changes nothing */
    wfx_webhook_deactivate(NULL, id);
    res = http_get(fx_admin_token(), "/v1/webhooks/%s", id);
    EXPECT_STATUS(res, 200);
    ck_assert(json_is_false(json_object_get(res.json, "active")));
    ck_assert(json_is_string(json_object_get(res.json, "deactivated_at")));
    ck_assert(json_is_string(json_object_get(res.json, "deactivated_by")));
    http_response_free(&res);
    wfx_webhook_deactivate(NULL, id);
    ck_assert_int_eq(db_long("select count(*) from webhooks where id::text = $1 and not active",
                             1, id), 1);
    ck_assert_int_eq(db_long("select count(*) from audit_log where resource_type = 'webhook' and "
                             "resource_id = $1 and method = 'DELETE' and status = 204", 1, id), 1);

    /* nothing is resent for a deactivated subscription */
    snprintf(request_path, sizeof request_path, "/v1/webhooks/%s/deliveries/%s/resend", id,
             WFX_ZERO_UUID);
    res = wfx_send_to(NULL, "POST", fx_admin_token(), NULL, request_path);
    expect_problem(&res, 409, "conflict");
    http_response_free(&res);

    res = http_get(fx_admin_token(), "/v1/webhooks/%s/deliveries", id);
    EXPECT_STATUS(res, 200);
    ck_assert_int_eq(json_array_size(body_items(&res)), 0);
    ck_assert(json_is_null(json_object_get(res.json, "next")));
    http_response_free(&res);
    res = http_get(fx_admin_token(), "/v1/webhooks/%s/deliveries?status=lost", id);
    expect_problem(&res, 400, "bad-request");
    http_response_free(&res);
    res = http_get(fx_admin_token(), "/v1/webhooks/" WFX_ZERO_UUID);
    expect_problem(&res, 404, "not-found");
    http_response_free(&res);
    res = http_get(fx_admin_token(), "/v1/webhooks/not-a-uuid/deliveries");
    expect_problem(&res, 404, "not-found");
    http_response_free(&res);
}
END_TEST

START_TEST(test_webhook_delivery_arrives_signed)
{
    receiver rx;
    char path[160];
    char url[256];
    char id[FX_ID_MAX];
    char person[1][FX_ID_MAX];
    char delivery[FX_ID_MAX];
    const rx_request *q;
    json_t *body;
    json_t *subject;
    long stamp;
    http_response res;
    json_t *item;

    wfx_unique_path(path, sizeof path, "signed");
    rx_start(&rx, "127.0.0.1", path);
    rx_url(&rx, url, sizeof url);
    wfx_webhook_create(NULL, url, "person.created", id);
    wfx_people_create(1, person);

    ck_assert_int_eq(wfx_wait_delivered(id, 1), 1);
    ck_assert_int_ge(rx_wait_count(&rx, 1, WFX_WAIT_SECONDS), 1);
    wfx_delivery_id(id, 0, delivery);
    q = &rx.requests[0];
    ck_assert_str_eq(q->method, "POST");
    ck_assert_msg(strncmp(q->content_type, "application/json", 16) == 0, "Content-Type %s",
                  q->content_type);
    ck_assert_str_eq(q->delivery, delivery);
    stamp = strtol(q->timestamp, NULL, 10);
    ck_assert_msg(labs(stamp - (long)time(NULL)) < 300, "Permanence-Timestamp %s", q->timestamp);
    ck_assert_msg(wfx_signature_matches(q, WFX_SECRET), "signature %s does not verify",
                  q->signature);
    ck_assert(!wfx_signature_matches(q, WFX_SECRET "-but-another"));

    body = wfx_body_of(q);
    ck_assert_str_eq(json_string_value(json_object_get(body, "id")), delivery);
    ck_assert_int_eq(json_integer_value(json_object_get(body, "seq")), wfx_person_seq(person[0]));
    ck_assert_str_eq(json_string_value(json_object_get(body, "type")), "person.created");
    subject = json_object_get(body, "subject");
    ck_assert_str_eq(json_string_value(json_object_get(subject, "type")), "person");
    ck_assert_str_eq(json_string_value(json_object_get(subject, "id")), person[0]);
    ck_assert(json_is_object(json_object_get(body, "payload")));
    ck_assert(json_is_string(json_object_get(body, "at")));
    json_decref(body);

    /* listed with its outcome */
    res = http_get(fx_admin_token(), "/v1/webhooks/%s/deliveries", id);
    EXPECT_STATUS(res, 200);
    ck_assert_int_eq(json_array_size(body_items(&res)), 1);
    item = json_array_get(body_items(&res), 0);
    ck_assert(json_member_is(item, "id", delivery));
    ck_assert(json_member_is(item, "event_type", "person.created"));
    ck_assert(json_member_is(item, "status", "delivered"));
    ck_assert_int_eq(json_integer_value(json_object_get(item, "seq")), wfx_person_seq(person[0]));
    ck_assert_int_eq(json_integer_value(json_object_get(item, "attempts")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(item, "last_status_code")), 200);
    ck_assert(json_is_null(json_object_get(item, "last_error")));
    ck_assert(json_is_null(json_object_get(item, "next_attempt_at")));
    ck_assert(json_is_string(json_object_get(item, "delivered_at")));
    http_response_free(&res);

    /* an event of a type it does not take (its own webhook.created) passed it by */
    ck_assert_int_eq(db_long("select count(*) from webhooks w join events e on e.subject_id = "
                             "w.id::text and e.type = 'webhook.created' where w.id::text = $1 "
                             "and w.after_seq >= e.seq", 1, id), 1);
    ck_assert_int_eq(db_long("select count(*) from webhook_deliveries where webhook_id::text = $1",
                             1, id), 1);
    ck_assert_int_eq(rx_count(&rx), 1);
    wfx_webhook_deactivate(NULL, id);
    rx_stop(&rx);
}
END_TEST

START_TEST(test_webhook_receiver_failing_three_times_gets_every_event_once_in_order)
{
    static const int fail_three[] = {500, 500, 500};
    receiver rx;
    char path[160];
    char url[256];
    char id[FX_ID_MAX];
    char people[5][FX_ID_MAX];
    char first[FX_ID_MAX];
    char *attempts;
    long last_seq = 0;
    int accepted = 0;
    int k;
    int i;

    wfx_unique_path(path, sizeof path, "flaky");
    rx_start(&rx, "127.0.0.1", path);
    rx_script(&rx, fail_three, 3, 200);
    rx_url(&rx, url, sizeof url);
    wfx_webhook_create(NULL, url, "person.*", id);
    wfx_people_create(5, people);

    ck_assert_int_ge(rx_wait_count(&rx, 1, WFX_WAIT_SECONDS), 1);
    wfx_delivery_id(id, 0, first);
    for (k = 1; k <= 3; k++) {
        long backoff_ms = 1000L << (k - 1);
        long gap_ms;

        ck_assert_int_ge(wfx_wait_failures(first, k), k);
        /* the backoff the service wrote: 1 s, 2 s, 4 s after the attempt */
        gap_ms = wfx_delivery_long("round(extract(epoch from next_attempt_at - last_attempt_at) "
                               "* 1000)::bigint", first);
        ck_assert_msg(gap_ms >= backoff_ms && gap_ms < backoff_ms + 3000,
                      "after failure %d the next attempt is %ld ms later", k, gap_ms);
        ck_assert_int_eq(wfx_delivery_long("attempts", first), k);
        ck_assert_int_eq(wfx_delivery_long("last_status_code", first), 500);
        ck_assert_int_eq(db_long("select count(*) from webhook_deliveries where id::text = $1 "
                                 "and status = 'pending' and last_error like 'HTTP 500%'", 1,
                                 first), 1);
        /* the later events wait behind it */
        ck_assert_int_eq(db_long("select count(*) from webhook_deliveries where webhook_id::text "
                                 "= $1 and id::text <> $2 and attempts > 0", 2, id, first), 0);
        wfx_hurry(first);
    }
    ck_assert_int_eq(wfx_wait_delivered(id, 5), 5);

    /* the receiver: four tries of the first, then one each, every one signed */
    ck_assert_int_eq(rx_wait_count(&rx, 8, 5), 8);
    for (i = 0; i < 8; i++) {
        const rx_request *q = &rx.requests[i];

        ck_assert_msg(wfx_signature_matches(q, WFX_SECRET), "request %d not signed right", i);
        ck_assert_int_eq(q->answered, i < 3 ? 500 : 200);
        if (i < 4)
            ck_assert_str_eq(q->delivery, first);
        if (q->answered == 200) {
            json_t *body = wfx_body_of(q);
            const char *subject =
                json_string_value(json_object_get(json_object_get(body, "subject"), "id"));

            ck_assert_int_gt(wfx_body_seq(q), last_seq); /* in seq order, none twice */
            last_seq = wfx_body_seq(q);
            ck_assert_str_eq(subject, people[accepted]);
            accepted++;
            json_decref(body);
        }
    }
    ck_assert_int_eq(accepted, 5);
    ck_assert_int_eq(rx_count(&rx), 8);
    attempts = db_text("select string_agg(attempts::text, ',' order by seq) from "
                       "webhook_deliveries where webhook_id::text = $1", 1, id);
    ck_assert_str_eq(attempts, "4,1,1,1,1");
    free(attempts);
    wfx_expect_deliveries_paged(id, 5);
    wfx_webhook_deactivate(NULL, id);
    rx_stop(&rx);
}
END_TEST

START_TEST(test_webhook_failed_after_a_day_then_the_next_goes_and_a_resend_delivers)
{
    receiver rx;
    char path[160];
    char url[256];
    char id[FX_ID_MAX];
    char people[2][FX_ID_MAX];
    char first[FX_ID_MAX];
    char second[FX_ID_MAX];
    char request_path[512];
    http_response res;
    int seen_second = -1;
    int i;
    int n;
    time_t until;

    wfx_unique_path(path, sizeof path, "failing");
    rx_start(&rx, "127.0.0.1", path);
    rx_script(&rx, NULL, 0, 503);
    rx_url(&rx, url, sizeof url);
    wfx_webhook_create(NULL, url, "person.created", id);
    wfx_people_create(2, people);

    ck_assert_int_ge(rx_wait_count(&rx, 1, WFX_WAIT_SECONDS), 1);
    ck_assert_int_eq(wfx_wait_at_least("select count(*) from webhook_deliveries where "
                                   "webhook_id::text = $1", id, 2), 2);
    wfx_delivery_id(id, 0, first);
    wfx_delivery_id(id, 1, second);
    ck_assert_int_ge(wfx_wait_failures(first, 1), 1);

    /* a day after it was queued: one more try, then failed */
    ck_assert_int_eq(db_long("with u as (update webhook_deliveries set queued_at = now() - "
                             "interval '24 hours 1 second', next_attempt_at = now() where "
                             "id::text = $1 returning 1) select count(*) from u", 1, first), 1);
    ck_assert_int_eq(wfx_wait_at_least("select count(*) from webhook_deliveries where "
                                       "id::text = $1 and status = 'failed'",
                                       first, 1),
                     1);
    ck_assert_int_eq(wfx_delivery_long("last_status_code", first), 503);

    /* and the next one goes: every request before it was for the first */
    until = time(NULL) + WFX_WAIT_SECONDS;
    while (seen_second < 0 && time(NULL) < until) {
        n = rx_count(&rx);
        for (i = 0; i < n && seen_second < 0; i++)
            if (strcmp(rx.requests[i].delivery, second) == 0)
                seen_second = i;
        if (seen_second < 0)
            wfx_pause_50ms();
    }
    ck_assert_msg(seen_second > 0, "the second delivery was never tried");
    for (i = 0; i < seen_second; i++)
        ck_assert_str_eq(rx.requests[i].delivery, first);

    res = http_get(fx_admin_token(), "/v1/webhooks/%s/deliveries?status=failed", id);
    EXPECT_STATUS(res, 200);
    ck_assert_int_eq(json_array_size(body_items(&res)), 1);
    ck_assert(items_contain(body_items(&res), "id", first));
    ck_assert(json_member_is(json_array_get(body_items(&res), 0), "status", "failed"));
    http_response_free(&res);

    /* the failed one is resent, and the receiver recovers: both are delivered */
    n = rx_count(&rx);
    snprintf(request_path, sizeof request_path, "/v1/webhooks/%s/deliveries/%s/resend", id, first);
    res = wfx_send_to(NULL, "POST", fx_admin_token(), NULL, request_path);
    EXPECT_STATUS(res, 202);
    expect_json_string(&res, "id", first);
    expect_json_string(&res, "status", "pending");
    http_response_free(&res);
    rx_script(&rx, NULL, 0, 200);
    wfx_hurry_pending(id);
    ck_assert_int_eq(wfx_wait_at_least("select count(*) from webhook_deliveries where "
                                       "id::text = $1 and status = 'delivered'",
                                       first, 1),
                     1);
    wfx_hurry_pending(id);
    ck_assert_int_eq(wfx_wait_delivered(id, 2), 2);
    for (i = n; i < rx_count(&rx); i++)
        if (rx.requests[i].answered == 200 && strcmp(rx.requests[i].delivery, first) == 0)
            break;
    ck_assert_msg(i < rx_count(&rx), "the resent delivery never reached the receiver");
    ck_assert_int_eq(db_long("select count(*) from audit_log where resource_type = 'webhook' and "
                             "resource_id = $1 and route = "
                             "'/v1/webhooks/:id/deliveries/:delivery/resend' and status = 202 "
                             "and changes->'after'->>'resend' = $2", 2, id, first), 1);

    snprintf(request_path, sizeof request_path, "/v1/webhooks/%s/deliveries/%s/resend", id,
             WFX_ZERO_UUID);
    res = wfx_send_to(NULL, "POST", fx_admin_token(), NULL, request_path);
    expect_problem(&res, 404, "not-found");
    http_response_free(&res);
    wfx_webhook_deactivate(NULL, id);
    rx_stop(&rx);
}
END_TEST

START_TEST(test_webhook_redirect_is_not_followed)
{
    static const int redirect_once[] = {302};
    receiver rx;
    char path[160];
    char url[256];
    char id[FX_ID_MAX];
    char people[1][FX_ID_MAX];
    char first[FX_ID_MAX];

    wfx_unique_path(path, sizeof path, "redirect");
    rx_start(&rx, "127.0.0.1", path);
    rx_script(&rx, redirect_once, 1, 200);
    rx_url(&rx, url, sizeof url);
    wfx_webhook_create(NULL, url, "person.created", id);
    wfx_people_create(1, people);
    ck_assert_int_ge(rx_wait_count(&rx, 1, WFX_WAIT_SECONDS), 1);
    wfx_delivery_id(id, 0, first);
    ck_assert_int_ge(wfx_wait_failures(first, 1), 1);
    ck_assert_int_eq(wfx_delivery_long("last_status_code", first), 302);
    ck_assert_int_eq(db_long("select count(*) from webhook_deliveries where id::text = $1 and "
                             "last_error like '%redirect%'", 1, first), 1);
    wfx_hurry(first);
    ck_assert_int_eq(wfx_wait_delivered(id, 1), 1);
    ck_assert_int_eq(rx_count(&rx), 2);
    ck_assert_int_eq(rx.others, 0); /* nothing went to the Location */
    wfx_webhook_deactivate(NULL, id);
    rx_stop(&rx);
}
END_TEST

/*
 * A restart mid-backlog, with instances of the test's own: the first is killed (SIGKILL) while
 * the receiver holds the 5th of 12 deliveries unanswered, then another starts on the same
 * database. Their allowlist is http://127.0.0.2: (the receiver's address), which the runner's
 * servers do not allow, so no other instance delivers to it meanwhile.
 */
START_TEST(test_webhook_restart_mid_backlog_loses_nothing)
{
    enum { EVENTS = 12, HELD = 5 };
    receiver rx;
    own_server first_server;
    own_server second_server;
    char path[160];
    char url[256];
    char id[FX_ID_MAX];
    char people[EVENTS][FX_ID_MAX];
    char held[FX_ID_MAX];
    http_response res;
    char *attempts;
    long last_seq = 0;
    int accepted = 0;
    int wstatus;
    int i;

    wfx_unique_path(path, sizeof path, "restart");
    rx_start(&rx, "127.0.0.2", path);
    rx_hang_at(&rx, HELD);
    rx_url(&rx, url, sizeof url);
    own_server_start(&first_server, "http://127.0.0.2:");

    /* the runner's server may not send there; the own instance may */
    res = wfx_send_to(NULL, "POST", fx_admin_token(), wfx_subscription(url, "person.created"),
                  "/v1/webhooks");
    expect_problem(&res, 422, "validation");
    http_response_free(&res);
    wfx_webhook_create(first_server.base, url, "person.created", id);
    wfx_people_create(EVENTS, people);

    ck_assert_msg(rx_wait_hanging(&rx, WFX_WAIT_SECONDS), "delivery %d never arrived", HELD);
    wstatus = own_server_stop(&first_server, SIGKILL);
    ck_assert(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL);
    rx_release(&rx);

    /* what the killed instance left: 4 delivered, the 5th tried once, the rest waiting */
    ck_assert_int_eq(db_long("select count(*) from webhook_deliveries where webhook_id::text = $1 "
                             "and status = 'delivered'", 1, id), HELD - 1);
    wfx_delivery_id(id, HELD - 1, held);
    ck_assert_int_eq(wfx_delivery_long("attempts", held), 1);
    ck_assert_int_eq(wfx_delivery_long("(status = 'pending')::int", held), 1);
    ck_assert_int_eq(db_long("select count(*) from webhook_deliveries where webhook_id::text = $1 "
                             "and status = 'pending' and attempts = 0", 1, id), EVENTS - HELD);

    own_server_start(&second_server, "http://127.0.0.2:");
    ck_assert_int_eq(wfx_wait_delivered(id, EVENTS), EVENTS);

    /* every event accepted once, in order; only the one in flight was sent twice */
    ck_assert_int_eq(rx_wait_count(&rx, EVENTS + 1, 5), EVENTS + 1);
    for (i = 0; i < EVENTS + 1; i++) {
        const rx_request *q = &rx.requests[i];

        ck_assert(wfx_signature_matches(q, WFX_SECRET));
        if (i == HELD - 1) {
            ck_assert_int_eq(q->answered, 0);
            ck_assert_str_eq(q->delivery, held);
            ck_assert_str_eq(rx.requests[i + 1].delivery, held);
            continue;
        }
        ck_assert_int_eq(q->answered, 200);
        ck_assert_int_gt(wfx_body_seq(q), last_seq);
        last_seq = wfx_body_seq(q);
        ck_assert_int_eq(last_seq, wfx_person_seq(people[accepted]));
        accepted++;
    }
    ck_assert_int_eq(accepted, EVENTS);
    ck_assert_int_eq(rx_count(&rx), EVENTS + 1);
    attempts = db_text("select string_agg(attempts::text, ',' order by seq) from "
                       "webhook_deliveries where webhook_id::text = $1", 1, id);
    ck_assert_str_eq(attempts, "1,1,1,1,2,1,1,1,1,1,1,1");
    free(attempts);

    wfx_webhook_deactivate(second_server.base, id);
    wstatus = own_server_stop(&second_server, SIGTERM);
    ck_assert_msg(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0, "the instance stopped badly");
    rx_stop(&rx);
}
END_TEST

Suite *webhooks_suite(void)
{
    Suite *s = suite_create("webhooks");
    TCase *tc = tcase_create("webhooks");

    tcase_set_timeout(tc, TEST_TIMEOUT_SECONDS);
    tcase_add_test(tc, test_webhooks_are_an_administrators_alone);
    tcase_add_test(tc, test_webhook_target_outside_the_allowlist_refused);
    tcase_add_test(tc, test_webhook_created_read_listed_and_deactivated_never_deleted);
    tcase_add_test(tc, test_webhook_delivery_arrives_signed);
    tcase_add_test(tc, test_webhook_receiver_failing_three_times_gets_every_event_once_in_order);
    tcase_add_test(tc, test_webhook_failed_after_a_day_then_the_next_goes_and_a_resend_delivers);
    tcase_add_test(tc, test_webhook_redirect_is_not_followed);
    tcase_add_test(tc, test_webhook_restart_mid_backlog_loses_nothing);
    suite_add_tcase(s, tc);
    return s;
}
