/*
 * test_integration.c - what a case system or a browser front end leans on (spec7): the change
 * feed (GET /v1/events: seq order, each event once across pages, who sees what, the events
 * writes announce, `next` when nothing is visible, long polling, bad parameters), the
 * Idempotency-Key on POST (a retry replays the first answer and does the work once; another body
 * or path under the key 422; keys per caller; a bad key 400; a 4xx answer replayed too; a retry
 * while the first is in flight 409), CORS (preflight allowed, other origin 403, unknown route
 * 404, missing method 405, normal answers decorated), Cache-Control: no-store, and GET /v1/me.
 *
 * The database is shared and never emptied, and the feed holds every test's events: each test
 * takes the feed's position first (feed_tail), makes its changes, then reads after that
 * position and looks only at the events about its own records. Nothing waits on a sleep: the
 * sequencer is awaited by long polling the feed itself, in bounded loops.
 */
#include "action_fixtures.h"
#include "db.h"
#include "expect.h"
#include "fixtures.h"
#include "http_client.h"
#include "suites.h"

#include <check.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define ORIGIN "https://front.example.org"
#define OTHER_ORIGIN "https://elsewhere.example.com"
#define FEED_DEADLINE_SECONDS 10.0

/* ---- time ---- */

static double now_seconds(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- the feed ---- */

/* The string `next` of a feed answer as a number (fails unless it is a string of digits). */
static long feed_next(const http_response *res)
{
    const char *next = body_string(res, "next");
    char *end = NULL;
    long value = strtol(next, &end, 10);

    ck_assert_msg(next[0] != '\0' && end != next && *end == '\0' && value >= 0,
                  "%s: next [%s] is not a sequence number", res->what, next);
    return value;
}

/* GET /v1/events?after=&limit=&wait= as `token`, unchecked. */
static http_response feed_get(const char *token, long after, int limit, int wait)
{
    return http_get(token, "/v1/events?after=%ld&limit=%d&wait=%d", after, limit, wait);
}

/*
 * Like feed_get, and checks the page: 200, items in increasing seq after `after`, at most
 * `limit` of them, each {seq, type, subject {type, id}, payload, at}, and `next` a string no
 * smaller than `after` nor than the last item's seq.
 */
static http_response feed_page(const char *token, long after, int limit, int wait)
{
    http_response res = feed_get(token, after, limit, wait);
    json_t *items;
    json_t *item;
    long previous = after;
    long next;
    size_t i;

    EXPECT_STATUS(res, 200);
    items = body_items(&res);
    ck_assert_msg(json_array_size(items) <= (size_t)limit, "%s: %zu items for limit %d",
                  res.what, json_array_size(items), limit);
    json_array_foreach(items, i, item) {
        json_t *seq = json_object_get(item, "seq");
        json_t *subject = json_object_get(item, "subject");
        const char *at = json_string_value(json_object_get(item, "at"));

        ck_assert_msg(json_is_integer(seq) && json_integer_value(seq) > previous,
                      "%s: item %zu's seq is not after %ld: %.600s", res.what, i, previous,
                      res.body);
        previous = (long)json_integer_value(seq);
        ck_assert_msg(json_is_string(json_object_get(item, "type")), "%s: item without type",
                      res.what);
        ck_assert_msg(json_is_string(json_object_get(subject, "type")) &&
                          json_is_string(json_object_get(subject, "id")),
                      "%s: item without subject {type, id}: %.600s", res.what, res.body);
        ck_assert_msg(json_is_object(json_object_get(item, "payload")), "%s: payload: %.600s",
                      res.what, res.body);
        ck_assert_msg(at != NULL && strlen(at) == 20 && at[10] == 'T' && at[19] == 'Z',
                      "%s: at [%s] is not RFC 3339 UTC", res.what, at != NULL ? at : "(none)");
    }
    next = feed_next(&res);
    ck_assert_msg(next >= previous, "%s: next %ld is before the last item %ld", res.what, next,
                  previous);
    return res;
}

/*
 * The feed's position now: the highest seq, once every event committed so far has one (the
 * sequencer places them within ~50 ms; the admin's long poll wakes when it does).
 */
static long feed_tail(void)
{
    long mark = db_long("select coalesce(max(id), 0) from events", 0);
    char mark_text[32];

    snprintf(mark_text, sizeof mark_text, "%ld", mark);
    for (int i = 0; i < 20; i++) {
        long top = db_long("select coalesce(max(seq), 0) from events", 0);
        http_response res;

        if (db_long("select count(*) from events where seq is null and id <= $1::bigint", 1,
                    mark_text) == 0)
            return db_long("select coalesce(max(seq), 0) from events", 0);
        res = feed_get(fx_admin_token(), top, 1, 1);
        http_response_free(&res);
    }
    ck_abort_msg("the events committed were not sequenced within 20 s");
    return 0;
}

/* Whether `item` is an event of `type` (NULL: any) about the record `id`. */
static int item_is(const json_t *item, const char *type, const char *id)
{
    const json_t *subject = json_object_get(item, "subject");

    return json_member_is(subject, "id", id) && (type == NULL || json_member_is(item, "type", type));
}

/*
 * Reads the feed as `token` after `after` (long polling, a second at a time) until an event of
 * `type` about `id` arrives, within FEED_DEADLINE_SECONDS. Returns its seq.
 */
static long feed_wait_for(const char *token, long after, const char *type, const char *id)
{
    double deadline = now_seconds() + FEED_DEADLINE_SECONDS;
    long cursor = after;

    while (now_seconds() < deadline) {
        http_response res = feed_page(token, cursor, 200, 1);
        json_t *item;
        size_t i;

        json_array_foreach(body_items(&res), i, item) {
            if (item_is(item, type, id)) {
                long seq = (long)json_integer_value(json_object_get(item, "seq"));

                http_response_free(&res);
                return seq;
            }
        }
        cursor = feed_next(&res);
        http_response_free(&res);
    }
    ck_abort_msg("no %s event about %s in the feed within %.0f s", type, id,
                 FEED_DEADLINE_SECONDS);
    return 0;
}

/*
 * Every event `token` sees after `after`, read in pages of `limit` until `next` reaches `until`
 * (the seq of an event already sequenced, so each page must move on). Returns a new array.
 */
static json_t *feed_until(const char *token, long after, int limit, long until)
{
    json_t *all = json_array();
    long cursor = after;

    for (int pages = 0; cursor < until; pages++) {
        http_response res;
        long next;

        ck_assert_msg(pages < 2000, "the feed did not reach %ld in 2000 pages", until);
        res = feed_page(token, cursor, limit, 0);
        json_array_extend(all, body_items(&res));
        next = feed_next(&res);
        ck_assert_msg(next > cursor,
                      "%s: next %s did not move on although event %ld is sequenced: %.600s",
                      res.what, body_string(&res, "next"), until, res.body);
        cursor = next;
        http_response_free(&res);
    }
    return all;
}

/* Fails unless the seqs of `items` strictly increase (each event once, in order). */
static void expect_increasing(const json_t *items, const char *what)
{
    long previous = -1;
    json_t *item;
    size_t i;

    json_array_foreach(items, i, item) {
        long seq = (long)json_integer_value(json_object_get(item, "seq"));

        ck_assert_msg(seq > previous, "%s: seq %ld after %ld (repeated or out of order)", what,
                      seq, previous);
        previous = seq;
    }
}

/*
 * The events of `items` about the records `ids` (labelled `labels`, both NULL-terminated), as
 * "type/label,..." in the order given; with `seqs` "seq:type/label". The caller frees.
 */
static char *describe(const json_t *items, const char *const *ids, const char *const *labels,
                      int seqs)
{
    size_t size = 64 + json_array_size(items) * 128;
    char *out = calloc(1, size);
    json_t *item;
    size_t i;

    ck_assert_msg(out != NULL, "out of memory");
    json_array_foreach(items, i, item) {
        for (size_t k = 0; ids[k] != NULL; k++) {
            if (item_is(item, NULL, ids[k])) {
                size_t used = strlen(out);

                if (seqs)
                    snprintf(out + used, size - used, "%s%lld:%s/%s", used > 0 ? "," : "",
                             (long long)json_integer_value(json_object_get(item, "seq")),
                             json_string_value(json_object_get(item, "type")), labels[k]);
                else
                    snprintf(out + used, size - used, "%s%s/%s", used > 0 ? "," : "",
                             json_string_value(json_object_get(item, "type")), labels[k]);
            }
        }
    }
    return out;
}

/* Like describe with seqs, keeping only the items with seq <= `until`. */
static char *describe_upto(const json_t *items, long until)
{
    size_t size = 64 + json_array_size(items) * 200;
    char *out = calloc(1, size);
    json_t *item;
    size_t i;

    ck_assert_msg(out != NULL, "out of memory");
    json_array_foreach(items, i, item) {
        long seq = (long)json_integer_value(json_object_get(item, "seq"));
        size_t used = strlen(out);

        if (seq <= until)
            snprintf(out + used, size - used, "%s%ld:%s:%s", used > 0 ? "," : "", seq,
                     json_string_value(json_object_get(item, "type")),
                     json_string_value(json_object_get(json_object_get(item, "subject"), "id")));
    }
    return out;
}

/* The number of events of `items` of `type` (NULL: any) about `id`. */
static int count_about(const json_t *items, const char *type, const char *id)
{
    json_t *item;
    size_t i;
    int n = 0;

    json_array_foreach(items, i, item)
        n += item_is(item, type, id);
    return n;
}

/* The events in the database about `id` of `type` (NULL: any). */
static long db_events(const char *id, const char *type)
{
    return db_long("select count(*) from events where subject_id = $1 and ($2::text is null or "
                   "type = $2)",
                   2, id, type);
}

/* PATCH a child with If-Match "version" as `who`, asserting 200. */
static void patch_child(const fx_person *who, const char *child, int version, const char *wishes)
{
    char etag[16];
    http_response res;

    snprintf(etag, sizeof etag, "\"%d\"", version);
    res = http_patch(who->token, etag, json_pack("{s:s}", "wishes_and_feelings", wishes),
                     "/v1/children/%s", child);
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
}

/* POST /v1/{children,carers}/{id}/allocations as team manager `tm`, asserting 201; writes the
 * allocation's id into `id`. */
static void allocate(const fx_person *tm, const char *file, const char *record,
                     const char *person, const char *role, char *id)
{
    http_response res = http_post(tm->token, json_pack("{s:s, s:s}", "person_id", person, "role",
                                                       role),
                                  "/v1/%s/%s/allocations", file, record);

    EXPECT_STATUS(res, 201);
    snprintf(id, FX_ID_MAX, "%s", body_string(&res, "id"));
    ck_assert_msg(is_uuid(id), "allocation id [%s]", id);
    http_response_free(&res);
}

/* ---- requests with headers of their own ---- */

/* `method` `path` as `token` (NULL: none) with raw `body` (NULL: none) and extra header lines. */
static http_response send_with(const char *method, const char *token, const char *path,
                               const char *body, const char *const *headers)
{
    http_request req = {0};

    req.method = method;
    req.token = token;
    req.path = path;
    req.body = body;
    return http_send_headers(&req, headers);
}

/* POST `body` (text, sent byte for byte) to `path` as `token` with Idempotency-Key `key`. */
static http_response post_keyed(const char *token, const char *path, const char *body,
                                const char *key)
{
    char line[512];
    const char *headers[] = {line, NULL};

    snprintf(line, sizeof line, "Idempotency-Key: %s", key);
    return send_with("POST", token, path, body, headers);
}

/* A CORS preflight: OPTIONS `path` from `origin` asking for `method` (either NULL: not sent). */
static http_response preflight(const char *path, const char *origin, const char *method)
{
    char origin_line[256];
    char method_line[128];
    const char *headers[3] = {NULL, NULL, NULL};
    size_t n = 0;

    if (origin != NULL) {
        snprintf(origin_line, sizeof origin_line, "Origin: %s", origin);
        headers[n++] = origin_line;
    }
    if (method != NULL) {
        snprintf(method_line, sizeof method_line, "Access-Control-Request-Method: %s", method);
        headers[n++] = method_line;
    }
    return send_with("OPTIONS", NULL, path, NULL, headers);
}

/* Fails unless the comma-separated header `name` lists `token` (case-insensitively). */
static void expect_header_lists(const http_response *res, const char *name, const char *token)
{
    const char *value = http_header(res, name);
    size_t length = strlen(token);
    const char *p;

    ck_assert_msg(value != NULL, "%s: no %s header", res->what, name);
    for (p = value; *p != '\0';) {
        size_t n;

        p += strspn(p, " ,");
        n = strcspn(p, ",");
        while (n > 0 && p[n - 1] == ' ')
            n--;
        if (n == length && strncasecmp(p, token, length) == 0)
            return;
        p += strcspn(p, ",");
    }
    ck_abort_msg("%s: %s [%s] does not list %s", res->what, name, value, token);
}

/* A child body with a unique family name, as compact JSON text (free it); the name in `family`. */
static char *child_text(char *family)
{
    json_t *body;
    char *text;

    fx_unique(family, FX_ID_MAX, "Idem");
    body = fx_child_body(family);
    text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    ck_assert_msg(text != NULL, "json_dumps failed");
    return text;
}

/* The children whose family name is `family`. */
static long children_named(const char *family)
{
    return db_long("select count(*) from children where doc->>'family_name' = $1", 1, family);
}

/* ---- the change feed ---- */

START_TEST(test_feed_in_seq_order_each_event_once_across_pages)
{
    char team[FX_ID_MAX], child[FX_ID_MAX], carer[FX_ID_MAX], placement[FX_ID_MAX];
    char allocation[FX_ID_MAX];
    fx_person tm, csw, iro;
    long after, until;
    json_t *paged, *whole;
    char *paged_text, *whole_text, *mine, *in_db;

    fx_unique(team, sizeof team, "team");
    fx_person_create(&tm, "team_manager", team);
    fx_person_create(&csw, "csw", team);
    fx_person_create(&iro, "iro", NULL);
    fx_child_create(&csw, child);
    fx_carer_create(&tm, NULL, "approved", 1, carer);
    after = feed_tail();

    patch_child(&csw, child, 1, "First");
    patch_child(&csw, child, 2, "Second");
    allocate(&tm, "children", child, iro.id, "iro", allocation);
    fx_placement_create(&tm, child, carer, FX_PLACEMENT_START, placement);
    fx_placement_end(&tm, placement, "2022-01-01", "CARPL");
    until = feed_wait_for(csw.token, after, "placement.ended", placement);

    /* one event a page, `next` passed back: every event once, in seq order ... */
    paged = feed_until(csw.token, after, 1, until);
    expect_increasing(paged, "limit=1 pages");
    /* ... and the same events as one page of 200 */
    whole = feed_until(csw.token, after, 200, until);
    expect_increasing(whole, "limit=200 page");
    paged_text = describe_upto(paged, until);
    whole_text = describe_upto(whole, until);
    ck_assert_msg(strcmp(paged_text, whole_text) == 0, "pages of 1 gave [%s], a page of 200 [%s]",
                  paged_text, whole_text);
    {
        const char *ids[] = {child, allocation, placement, NULL};
        const char *labels[] = {"child", "allocation", "placement", NULL};
        char seq_text[32];

        mine = describe(paged, ids, labels, 0);
        ck_assert_msg(strcmp(mine, "child.updated/child,child.updated/child,"
                                   "allocation.created/allocation,placement.started/placement,"
                                   "placement.ended/placement") == 0,
                      "the csw's feed about their records: [%s]", mine);
        free(mine);
        /* exactly the events the database holds about them after the position, in seq order */
        mine = describe(paged, ids, labels, 1);
        snprintf(seq_text, sizeof seq_text, "%ld", after);
        in_db = db_text("select string_agg(seq || ':' || type || '/' || case subject_id "
                        "when $2 then 'child' when $3 then 'allocation' else 'placement' end, "
                        "',' order by seq) from events where seq > $1::bigint and subject_id in "
                        "($2, $3, $4)",
                        4, seq_text, child, allocation, placement);
        ck_assert_msg(in_db != NULL && strcmp(mine, in_db) == 0, "feed [%s], database [%s]", mine,
                      in_db != NULL ? in_db : "(none)");
        free(in_db);
        free(mine);
    }
    free(paged_text);
    free(whole_text);
    json_decref(paged);
    json_decref(whole);
}
END_TEST

START_TEST(test_feed_who_sees_what)
{
    char team[FX_ID_MAX], other_team[FX_ID_MAX], child[FX_ID_MAX], action[FX_ID_MAX];
    char due[32];
    fx_person tm, csw, other_csw, owner;
    long after, until;
    json_t *seen;
    http_response res;

    fx_unique(team, sizeof team, "team");
    fx_unique(other_team, sizeof other_team, "team");
    fx_person_create(&tm, "team_manager", team);
    fx_person_create(&csw, "csw", team);
    fx_person_create(&other_csw, "csw", other_team);
    fx_person_create(&owner, "csw", other_team); /* owns an action about a child they can't see */
    fx_child_create(&csw, child);
    after = feed_tail();

    patch_child(&csw, child, 1, "Visible to the allocated csw");
    afx_time_from_now(due, sizeof due, 5 * 86400);
    afx_action_create(csw.token, afx_action_body("Call the school", "child", child, owner.id, due),
                      action);
    res = http_post(owner.token, json_object(), "/v1/actions/%s/complete", action);
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
    until = feed_wait_for(fx_admin_token(), after, "action.completed", action);

    /* the child's csw sees the child's events */
    seen = feed_until(csw.token, after, 200, until);
    ck_assert_int_eq(count_about(seen, "child.updated", child), 1);
    json_decref(seen);
    /* a csw of another team sees nothing about the child nor the action */
    seen = feed_until(other_csw.token, after, 200, until);
    ck_assert_msg(count_about(seen, NULL, child) == 0 && count_about(seen, NULL, action) == 0,
                  "another team's csw saw %d events about the child, %d about the action",
                  count_about(seen, NULL, child), count_about(seen, NULL, action));
    json_decref(seen);
    /* the action's owner sees its events, not the child's */
    seen = feed_until(owner.token, after, 200, until);
    ck_assert_int_eq(count_about(seen, "action.created", action), 1);
    ck_assert_int_eq(count_about(seen, "action.completed", action), 1);
    ck_assert_int_eq(count_about(seen, NULL, child), 0);
    json_decref(seen);
    /* an administrator sees everything */
    seen = feed_until(fx_admin_token(), after, 200, until);
    ck_assert_int_eq(count_about(seen, "child.updated", child), 1);
    ck_assert_int_eq(count_about(seen, "action.created", action), 1);
    ck_assert_int_eq(count_about(seen, "action.completed", action), 1);
    json_decref(seen);
    /* the team manager sees the team's child's events: visibility judged when read */
    seen = feed_until(tm.token, after, 200, until);
    ck_assert_int_eq(count_about(seen, "child.updated", child), 1);
    json_decref(seen);
}
END_TEST

START_TEST(test_feed_events_writes_announce)
{
    char team[FX_ID_MAX], child[FX_ID_MAX], carer[FX_ID_MAX], allocation[FX_ID_MAX];
    fx_person tm, ssw;
    long after, until;
    json_t *seen;
    char *got;
    http_response res;

    fx_unique(team, sizeof team, "team");
    fx_person_create(&tm, "team_manager", team);
    fx_person_create(&ssw, "ssw", team);
    after = feed_tail();

    fx_child_create(&tm, child);
    fx_carer_create(&tm, NULL, "approved", 2, carer);
    allocate(&tm, "carers", carer, ssw.id, "ssw", allocation);
    /* refused writes announce nothing: a stale If-Match (412), an invalid patch (422) */
    res = http_patch(tm.token, "\"7\"", json_pack("{s:s}", "given_name", "Stale"),
                     "/v1/children/%s", child);
    expect_problem(&res, 412, "precondition-failed");
    http_response_free(&res);
    res = http_patch(tm.token, "\"1\"", json_pack("{s:s}", "date_of_birth", "not a date"),
                     "/v1/children/%s", child);
    expect_problem(&res, 422, "validation");
    http_response_free(&res);
    until = feed_wait_for(fx_admin_token(), after, "allocation.created", allocation);

    seen = feed_until(fx_admin_token(), after, 200, until);
    {
        const char *ids[] = {child, carer, allocation, NULL};
        const char *labels[] = {"child", "carer", "allocation", NULL};

        got = describe(seen, ids, labels, 0);
        ck_assert_msg(strcmp(got, "child.created/child,carer.created/carer,"
                                  "allocation.created/allocation") == 0,
                      "events announced: [%s]", got);
        free(got);
    }
    /* each names its subject's kind */
    {
        json_t *item;
        size_t i;

        json_array_foreach(seen, i, item) {
            const json_t *subject = json_object_get(item, "subject");

            if (item_is(item, NULL, child))
                ck_assert_msg(json_member_is(subject, "type", "child"), "child event subject");
            if (item_is(item, NULL, carer))
                ck_assert_msg(json_member_is(subject, "type", "carer"), "carer event subject");
            if (item_is(item, NULL, allocation))
                ck_assert_msg(json_member_is(subject, "type", "allocation"),
                              "allocation event subject");
        }
    }
    json_decref(seen);
    /* one event per write in the database, none for the refusals */
    ck_assert_int_eq(db_events(child, NULL), 1);
    ck_assert_int_eq(db_events(child, "child.created"), 1);
    ck_assert_int_eq(db_events(carer, "carer.created"), 1);
    ck_assert_int_eq(db_events(allocation, "allocation.created"), 1);
}
END_TEST

START_TEST(test_feed_next_moves_on_when_nothing_is_visible)
{
    fx_person lonely, tm;
    char team[FX_ID_MAX], child[FX_ID_MAX];
    long after, seq, next;
    http_response res;

    fx_person_create(&lonely, "csw", NULL);
    fx_unique(team, sizeof team, "team");
    fx_person_create(&tm, "team_manager", team);
    after = feed_tail();

    /* nothing to show: an empty page and a `next` string, never before `after` */
    res = feed_page(lonely.token, after, 50, 0);
    ck_assert_int_eq(json_array_size(body_items(&res)), 0);
    ck_assert_msg(feed_next(&res) >= after, "next %ld before after %ld", feed_next(&res), after);
    http_response_free(&res);

    /* another team's change: not shown to the lonely csw, but `next` skips past it */
    fx_child_create(&tm, child);
    seq = feed_wait_for(tm.token, after, "child.created", child);
    res = feed_page(lonely.token, after, 50, 0);
    ck_assert_msg(json_array_size(body_items(&res)) == 0, "%s showed another team's event: %s",
                  res.what, res.body);
    next = feed_next(&res);
    ck_assert_msg(next >= seq, "next %ld did not skip the invisible event %ld", next, seq);
    http_response_free(&res);
    /* and with a page limit of 1 too */
    res = feed_page(lonely.token, after, 1, 0);
    ck_assert_int_eq(json_array_size(body_items(&res)), 0);
    ck_assert_msg(feed_next(&res) >= seq, "limit=1: next %ld before %ld", feed_next(&res), seq);
    http_response_free(&res);
}
END_TEST

START_TEST(test_feed_bad_parameters_422)
{
    static const struct {
        const char *query;
        const char *field;
    } BAD[] = {
        {"after=-1", "after"},  {"after=abc", "after"}, {"after=1.5", "after"},
        {"after=", "after"},    {"limit=0", "limit"},   {"limit=201", "limit"},
        {"limit=ten", "limit"}, {"wait=31", "wait"},    {"wait=-1", "wait"},
        {"wait=2s", "wait"},
    };
    fx_person csw;
    http_response res;

    fx_person_create(&csw, "csw", NULL);
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        res = http_get(csw.token, "/v1/events?%s", BAD[i].query);
        expect_problem(&res, 422, "validation");
        expect_error_field(&res, BAD[i].field);
        http_response_free(&res);
    }
    /* several at once: each named */
    res = http_get(csw.token, "/v1/events?after=x&limit=0&wait=99");
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "after");
    expect_error_field(&res, "limit");
    expect_error_field(&res, "wait");
    http_response_free(&res);
    /* the edges are fine */
    res = http_get(csw.token, "/v1/events?after=0&limit=200&wait=0");
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
    res = http_get(csw.token, "/v1/events?limit=1");
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
    /* no token, no feed */
    res = http_get(NULL, "/v1/events");
    EXPECT_STATUS(res, 401);
    http_response_free(&res);
}
END_TEST

/* A long poll run in a thread: the answer and how long it took. */
typedef struct long_poll {
    const char *token;
    long after;
    int wait;
    http_response res;
    double seconds;
} long_poll;

static void *run_long_poll(void *arg)
{
    long_poll *p = arg;
    char path[128];
    http_request req = {0};
    double started = now_seconds();

    snprintf(path, sizeof path, "/v1/events?after=%ld&limit=50&wait=%d", p->after, p->wait);
    req.method = "GET";
    req.path = path;
    req.token = p->token;
    p->res = http_send(&req);
    p->seconds = now_seconds() - started;
    return NULL;
}

START_TEST(test_feed_long_poll_wakes_on_a_new_event)
{
    char team[FX_ID_MAX], child[FX_ID_MAX];
    fx_person csw;
    long_poll poll = {0};
    pthread_t thread;
    json_t *items;

    fx_unique(team, sizeof team, "team");
    fx_person_create(&csw, "csw", team);
    fx_child_create(&csw, child);
    poll.token = csw.token;
    poll.after = feed_tail();
    poll.wait = 5;
    ck_assert_int_eq(pthread_create(&thread, NULL, run_long_poll, &poll), 0);
    patch_child(&csw, child, 1, "Wakes the reader");
    pthread_join(thread, NULL);

    EXPECT_STATUS(poll.res, 200);
    items = body_items(&poll.res);
    ck_assert_msg(count_about(items, "child.updated", child) == 1,
                  "the long poll answered without the change: %s", poll.res.body);
    ck_assert_msg(poll.seconds < 2.5, "the long poll took %.2f s to answer a new event (wait=5)",
                  poll.seconds);
    ck_assert_msg(feed_next(&poll.res) >= json_integer_value(json_object_get(
                                              json_array_get(items, 0), "seq")),
                  "next before the event");
    http_response_free(&poll.res);
}
END_TEST

START_TEST(test_feed_long_poll_times_out_empty)
{
    char team[FX_ID_MAX], child[FX_ID_MAX];
    fx_person lonely, tm;
    long_poll poll = {0};
    pthread_t thread;

    fx_person_create(&lonely, "csw", NULL);
    fx_unique(team, sizeof team, "team");
    fx_person_create(&tm, "team_manager", team);
    poll.token = lonely.token;
    poll.after = feed_tail();
    poll.wait = 2;
    ck_assert_int_eq(pthread_create(&thread, NULL, run_long_poll, &poll), 0);
    /* an event the waiting reader may not see does not end the wait */
    fx_child_create(&tm, child);
    pthread_join(thread, NULL);

    EXPECT_STATUS(poll.res, 200);
    ck_assert_msg(json_array_size(body_items(&poll.res)) == 0, "%s: %s", poll.res.what,
                  poll.res.body);
    ck_assert_msg(feed_next(&poll.res) >= poll.after, "next before after");
    ck_assert_msg(poll.seconds >= 1.9 && poll.seconds < 4.5,
                  "an empty long poll with wait=2 answered after %.2f s", poll.seconds);
    http_response_free(&poll.res);
}
END_TEST

/* ---- Idempotency-Key ---- */

START_TEST(test_idempotency_retry_replays_and_does_the_work_once)
{
    char family[FX_ID_MAX], key[FX_ID_MAX], id[FX_ID_MAX], location[FX_ID_MAX + 16];
    char *text;
    fx_person csw;
    http_response first, again;

    fx_person_create(&csw, "csw", NULL);
    text = child_text(family);
    fx_unique(key, sizeof key, "key");

    first = post_keyed(csw.token, "/v1/children", text, key);
    EXPECT_STATUS(first, 201);
    snprintf(id, sizeof id, "%s", body_string(&first, "id"));
    snprintf(location, sizeof location, "/v1/children/%s", id);
    expect_location(&first, location);
    ck_assert_msg(http_header(&first, "Idempotent-Replayed") == NULL,
                  "a first answer says Idempotent-Replayed");

    again = post_keyed(csw.token, "/v1/children", text, key);
    EXPECT_STATUS(again, 201);
    expect_header(&again, "Idempotent-Replayed", "true");
    ck_assert_msg(again.body_len == first.body_len && strcmp(again.body, first.body) == 0,
                  "the replay's body differs:\n%s\n%s", first.body, again.body);
    expect_location(&again, location);
    expect_header(&again, "ETag", http_header(&first, "ETag"));
    expect_header(&again, "Content-Type", http_header(&first, "Content-Type"));
    expect_header(&again, "Cache-Control", "no-store");
    http_response_free(&again);
    /* a third time, still the same */
    again = post_keyed(csw.token, "/v1/children", text, key);
    EXPECT_STATUS(again, 201);
    expect_header(&again, "Idempotent-Replayed", "true");
    expect_json_string(&again, "id", id);
    http_response_free(&again);

    /* the work was done once: one child, one allocation, one audit row, one event */
    ck_assert_int_eq(children_named(family), 1);
    ck_assert_int_eq(db_long("select count(*) from allocations where child_id::text = $1 and "
                             "person_id = $2",
                             2, id, csw.id),
                     1);
    ck_assert_int_eq(db_long("select count(*) from audit_log where resource_type = 'child' and "
                             "resource_id = $1 and method = 'POST'",
                             1, id),
                     1);
    ck_assert_int_eq(db_events(id, NULL), 1);
    http_response_free(&first);
    free(text);
}
END_TEST

START_TEST(test_idempotency_key_reused_for_another_request_422)
{
    char family[FX_ID_MAX], other_family[FX_ID_MAX], key[FX_ID_MAX];
    char *text, *other;
    fx_person csw;
    http_response res;

    fx_person_create(&csw, "csw", NULL);
    text = child_text(family);
    other = child_text(other_family);
    fx_unique(key, sizeof key, "key");
    res = post_keyed(csw.token, "/v1/children", text, key);
    EXPECT_STATUS(res, 201);
    http_response_free(&res);

    /* another body under the key */
    res = post_keyed(csw.token, "/v1/children", other, key);
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "Idempotency-Key");
    ck_assert_msg(http_header(&res, "Idempotent-Replayed") == NULL, "422 said replayed");
    http_response_free(&res);
    /* the same body with one more space is another body too (byte for byte) */
    {
        size_t n = strlen(text);
        char *spaced = malloc(n + 2);

        ck_assert_msg(spaced != NULL, "out of memory");
        memcpy(spaced, text, n);
        spaced[n] = ' ';
        spaced[n + 1] = '\0';
        res = post_keyed(csw.token, "/v1/children", spaced, key);
        expect_problem(&res, 422, "validation");
        expect_error_field(&res, "Idempotency-Key");
        http_response_free(&res);
        free(spaced);
    }
    /* the same body to another path under the key */
    res = post_keyed(csw.token, "/v1/carers", text, key);
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "Idempotency-Key");
    http_response_free(&res);

    ck_assert_int_eq(children_named(family), 1);
    ck_assert_int_eq(children_named(other_family), 0);
    /* the first answer is still kept for its own retry */
    res = post_keyed(csw.token, "/v1/children", text, key);
    EXPECT_STATUS(res, 201);
    expect_header(&res, "Idempotent-Replayed", "true");
    http_response_free(&res);
    ck_assert_int_eq(children_named(family), 1);
    free(text);
    free(other);
}
END_TEST

START_TEST(test_idempotency_keys_are_per_caller)
{
    char family[FX_ID_MAX], key[FX_ID_MAX], first_id[FX_ID_MAX];
    char *text;
    fx_person csw, other;
    http_response res;

    fx_person_create(&csw, "csw", NULL);
    fx_person_create(&other, "csw", NULL);
    text = child_text(family);
    fx_unique(key, sizeof key, "key");
    res = post_keyed(csw.token, "/v1/children", text, key);
    EXPECT_STATUS(res, 201);
    snprintf(first_id, sizeof first_id, "%s", body_string(&res, "id"));
    http_response_free(&res);

    /* another caller's same key, path and body: their own request, done */
    res = post_keyed(other.token, "/v1/children", text, key);
    EXPECT_STATUS(res, 201);
    ck_assert_msg(http_header(&res, "Idempotent-Replayed") == NULL,
                  "another caller got the first caller's answer replayed");
    ck_assert_msg(strcmp(body_string(&res, "id"), first_id) != 0,
                  "another caller got the first caller's child");
    ck_assert_int_eq(db_long("select count(*) from allocations where child_id::text = $1 and "
                             "person_id = $2",
                             2, body_string(&res, "id"), other.id),
                     1);
    http_response_free(&res);
    /* and the other caller's key does not disturb the first's: another body is fine for them */
    {
        char other_family[FX_ID_MAX];
        char *other_text = child_text(other_family);
        char other_key[FX_ID_MAX];

        fx_unique(other_key, sizeof other_key, "key");
        res = post_keyed(other.token, "/v1/children", other_text, other_key);
        EXPECT_STATUS(res, 201);
        http_response_free(&res);
        res = post_keyed(csw.token, "/v1/children", other_text, other_key);
        EXPECT_STATUS(res, 201);
        ck_assert_msg(http_header(&res, "Idempotent-Replayed") == NULL, "replayed across callers");
        http_response_free(&res);
        ck_assert_int_eq(children_named(other_family), 2);
        free(other_text);
    }
    ck_assert_int_eq(children_named(family), 2);
    free(text);
}
END_TEST

START_TEST(test_idempotency_bad_key_400)
{
    char family[FX_ID_MAX], long_key[256];
    char *text;
    fx_person csw;
    http_response res;
    const char *const bad[] = {"two words", "caf\xc3\xa9", NULL};

    fx_person_create(&csw, "csw", NULL);
    text = child_text(family);
    for (size_t i = 0; bad[i] != NULL; i++) {
        res = post_keyed(csw.token, "/v1/children", text, bad[i]);
        expect_problem(&res, 400, "bad-request");
        http_response_free(&res);
    }
    memset(long_key, 'k', 201);
    long_key[201] = '\0';
    res = post_keyed(csw.token, "/v1/children", text, long_key);
    expect_problem(&res, 400, "bad-request");
    http_response_free(&res);
    ck_assert_int_eq(children_named(family), 0);

    /* 200 printable characters are a key */
    long_key[200] = '\0';
    long_key[0] = '!';
    long_key[199] = '~';
    res = post_keyed(csw.token, "/v1/children", text, long_key);
    EXPECT_STATUS(res, 201);
    http_response_free(&res);
    ck_assert_int_eq(children_named(family), 1);
    free(text);
}
END_TEST

START_TEST(test_idempotency_4xx_answer_kept_and_replayed)
{
    char team[FX_ID_MAX], child[FX_ID_MAX], key[FX_ID_MAX], new_key[FX_ID_MAX];
    char late_id[FX_ID_MAX], path[FX_ID_MAX + 32], body[512];
    fx_person tm, csw;
    http_response first, again;

    fx_unique(team, sizeof team, "team");
    fx_person_create(&tm, "team_manager", team);
    fx_person_create(&csw, "csw", team);
    fx_child_create(&csw, child);
    fx_unique(late_id, sizeof late_id, "iro");
    fx_unique(key, sizeof key, "key");
    snprintf(path, sizeof path, "/v1/children/%s/allocations", child);
    snprintf(body, sizeof body, "{\"person_id\":\"%s\",\"role\":\"iro\"}", late_id);

    /* allocating someone the service does not know yet: refused */
    first = post_keyed(tm.token, path, body, key);
    ck_assert_msg(first.status >= 400 && first.status < 500, "%s: expected a 4xx, got %ld: %s",
                  first.what, first.status, first.body);

    /* the person now exists, but a retry under the key gets the refusal again */
    {
        http_response res = http_post(fx_admin_token(),
                                      json_pack("{s:s, s:s, s:[s]}", "id", late_id, "name",
                                                "Late Iro", "roles", "iro"),
                                      "/v1/people");

        EXPECT_STATUS(res, 201);
        http_response_free(&res);
    }
    again = post_keyed(tm.token, path, body, key);
    ck_assert_msg(again.status == first.status, "%s: replay status %ld, first %ld: %s", again.what,
                  again.status, first.status, again.body);
    expect_header(&again, "Idempotent-Replayed", "true");
    ck_assert_msg(strcmp(again.body, first.body) == 0, "the replayed refusal differs:\n%s\n%s",
                  first.body, again.body);
    expect_header(&again, "Content-Type", http_header(&first, "Content-Type"));
    http_response_free(&again);
    ck_assert_int_eq(db_long("select count(*) from allocations where child_id::text = $1 and "
                             "person_id = $2",
                             2, child, late_id),
                     0);

    /* with a new key the work is done */
    fx_unique(new_key, sizeof new_key, "key");
    again = post_keyed(tm.token, path, body, new_key);
    EXPECT_STATUS(again, 201);
    ck_assert_msg(http_header(&again, "Idempotent-Replayed") == NULL, "new key replayed");
    http_response_free(&again);
    ck_assert_int_eq(db_long("select count(*) from allocations where child_id::text = $1 and "
                             "person_id = $2",
                             2, child, late_id),
                     1);
    http_response_free(&first);
}
END_TEST

/* A keyed POST run in a thread. */
typedef struct keyed_post {
    const char *token, *path, *body, *key;
    http_response res;
} keyed_post;

static void *run_keyed_post(void *arg)
{
    keyed_post *p = arg;
    char line[512];
    const char *headers[] = {line, NULL};
    http_request req = {0};

    snprintf(line, sizeof line, "Idempotency-Key: %s", p->key);
    req.method = "POST";
    req.token = p->token;
    req.path = p->path;
    req.body = p->body;
    p->res = http_send_headers(&req, headers);
    return NULL;
}

START_TEST(test_idempotency_retry_while_first_in_flight_409)
{
    char family[FX_ID_MAX], key[FX_ID_MAX];
    char *text;
    fx_person csw;
    keyed_post first = {0};
    pthread_t thread;
    PGconn *conn;
    double deadline;
    http_response res;
    int claimed = 0;

    fx_person_create(&csw, "csw", NULL);
    text = child_text(family);
    fx_unique(key, sizeof key, "key");
    first.token = csw.token;
    first.path = "/v1/children";
    first.body = text;
    first.key = key;

    /* hold the first request inside its work: children cannot be written while we hold this */
    conn = db_connect();
    db_must(conn, "begin");
    db_must(conn, "lock table children in share mode");
    ck_assert_int_eq(pthread_create(&thread, NULL, run_keyed_post, &first), 0);
    /* the key is claimed once the first request is being answered (bounded busy poll) */
    deadline = now_seconds() + 5.0;
    while (!claimed && now_seconds() < deadline)
        claimed = db_long("select count(*) from idempotency_keys where sub = $1 and key = $2", 2,
                          csw.id, key) == 1;
    if (claimed) {
        res = post_keyed(csw.token, "/v1/children", text, key);
        db_must(conn, "commit");
    } else {
        db_must(conn, "commit");
        pthread_join(thread, NULL);
        PQfinish(conn);
        ck_abort_msg("the first request did not claim its key within 5 s");
    }
    pthread_join(thread, NULL);
    PQfinish(conn);

    expect_problem(&res, 409, "conflict");
    ck_assert_msg(http_header(&res, "Retry-After") != NULL, "409 without Retry-After");
    http_response_free(&res);
    EXPECT_STATUS(first.res, 201);
    /* once answered, the retry gets that answer */
    res = post_keyed(csw.token, "/v1/children", text, key);
    EXPECT_STATUS(res, 201);
    expect_header(&res, "Idempotent-Replayed", "true");
    expect_json_string(&res, "id", body_string(&first.res, "id"));
    http_response_free(&res);
    ck_assert_int_eq(children_named(family), 1);
    http_response_free(&first.res);
    free(text);
}
END_TEST

/* ---- CORS ---- */

START_TEST(test_cors_preflight_allowed)
{
    static const struct {
        const char *path;
        const char *method;
        const char *listed[3];
    } CASES[] = {
        {"/v1/children", "POST", {"GET", "POST", NULL}},
        {"/v1/children/7d1e2b8a-9c3f-4e5d-8a6b-0c1d2e3f4a5b", "PATCH", {"GET", "PATCH", NULL}},
        {"/v1/children/by-external/eclipse/123", "PUT", {"PUT", NULL, NULL}},
        {"/v1/events", "GET", {"GET", NULL, NULL}},
    };

    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        /* no token: a browser asks before it calls */
        http_response res = preflight(CASES[i].path, ORIGIN, CASES[i].method);

        EXPECT_STATUS(res, 204);
        expect_header(&res, "Access-Control-Allow-Origin", ORIGIN);
        for (size_t k = 0; k < 3 && CASES[i].listed[k] != NULL; k++)
            expect_header_lists(&res, "Access-Control-Allow-Methods", CASES[i].listed[k]);
        expect_header_lists(&res, "Access-Control-Allow-Headers", "Authorization");
        expect_header_lists(&res, "Access-Control-Allow-Headers", "Content-Type");
        expect_header_lists(&res, "Access-Control-Allow-Headers", "If-Match");
        expect_header_lists(&res, "Access-Control-Allow-Headers", "Idempotency-Key");
        ck_assert_msg(http_header(&res, "Access-Control-Max-Age") != NULL &&
                          atol(http_header(&res, "Access-Control-Max-Age")) > 0,
                      "%s: no positive Access-Control-Max-Age", res.what);
        expect_header_lists(&res, "Vary", "Origin");
        ck_assert_msg(http_header(&res, "Access-Control-Allow-Credentials") == NULL,
                      "%s: Access-Control-Allow-Credentials sent", res.what);
        ck_assert_int_eq(res.body_len, 0);
        http_response_free(&res);
    }
    /* the route's methods only: a child collection has neither PATCH nor DELETE */
    {
        http_response res = preflight("/v1/children", ORIGIN, "GET");
        const char *methods;

        EXPECT_STATUS(res, 204);
        methods = http_header(&res, "Access-Control-Allow-Methods");
        ck_assert_msg(methods != NULL && strstr(methods, "PATCH") == NULL &&
                          strstr(methods, "DELETE") == NULL,
                      "/v1/children allows [%s]", methods != NULL ? methods : "(none)");
        http_response_free(&res);
    }
}
END_TEST

START_TEST(test_cors_preflight_other_origin_403)
{
    static const char *const ORIGINS[] = {OTHER_ORIGIN, "https://front.example.org.evil.com",
                                          "http://front.example.org", "null", NULL};

    for (size_t i = 0; ORIGINS[i] != NULL; i++) {
        http_response res = preflight("/v1/children", ORIGINS[i], "GET");

        expect_problem(&res, 403, "forbidden");
        ck_assert_msg(http_header(&res, "Access-Control-Allow-Origin") == NULL,
                      "%s from %s: Access-Control-Allow-Origin [%s]", res.what, ORIGINS[i],
                      http_header(&res, "Access-Control-Allow-Origin"));
        ck_assert_msg(http_header(&res, "Access-Control-Allow-Methods") == NULL,
                      "%s from %s: methods allowed", res.what, ORIGINS[i]);
        http_response_free(&res);
    }
}
END_TEST

START_TEST(test_cors_preflight_unknown_route_404_method_missing_405)
{
    http_response res;

    res = preflight("/v1/nothing-here", ORIGIN, "GET");
    expect_problem(&res, 404, "not-found");
    http_response_free(&res);
    res = preflight("/v1/children/7d1e2b8a-9c3f-4e5d-8a6b-0c1d2e3f4a5b/nothing", ORIGIN, "GET");
    expect_problem(&res, 404, "not-found");
    http_response_free(&res);

    /* records are never deleted: no DELETE on a child */
    res = preflight("/v1/children/7d1e2b8a-9c3f-4e5d-8a6b-0c1d2e3f4a5b", ORIGIN, "DELETE");
    expect_problem(&res, 405, "method-not-allowed");
    expect_header_lists(&res, "Allow", "GET");
    expect_header_lists(&res, "Allow", "PATCH");
    ck_assert_msg(http_header(&res, "Access-Control-Allow-Methods") == NULL, "405 allows methods");
    http_response_free(&res);
    res = preflight("/v1/events", ORIGIN, "POST");
    expect_problem(&res, 405, "method-not-allowed");
    expect_header_lists(&res, "Allow", "GET");
    http_response_free(&res);
}
END_TEST

START_TEST(test_cors_decorates_answers_to_an_allowed_origin)
{
    static const char *const EXPOSED[] = {"ETag", "Location", "Retry-After", "X-Request-Id",
                                          "Idempotent-Replayed", NULL};
    const char *allowed[] = {"Origin: " ORIGIN, NULL};
    const char *other[] = {"Origin: " OTHER_ORIGIN, NULL};
    fx_person csw;
    char family[FX_ID_MAX];
    char *text;
    http_response answers[4];

    fx_person_create(&csw, "csw", NULL);
    text = child_text(family);
    answers[0] = send_with("GET", csw.token, "/v1/me", NULL, allowed);
    EXPECT_STATUS(answers[0], 200);
    answers[1] = send_with("POST", csw.token, "/v1/children", text, allowed);
    EXPECT_STATUS(answers[1], 201);
    answers[2] = send_with("GET", NULL, "/v1/me", NULL, allowed); /* 401 */
    EXPECT_STATUS(answers[2], 401);
    answers[3] = send_with("GET", csw.token, "/v1/no-such-route", NULL, allowed);
    EXPECT_STATUS(answers[3], 404);
    for (int i = 0; i < 4; i++) {
        expect_header(&answers[i], "Access-Control-Allow-Origin", ORIGIN);
        for (size_t k = 0; EXPOSED[k] != NULL; k++)
            expect_header_lists(&answers[i], "Access-Control-Expose-Headers", EXPOSED[k]);
        ck_assert_msg(http_header(&answers[i], "Access-Control-Allow-Credentials") == NULL,
                      "%s: Access-Control-Allow-Credentials sent", answers[i].what);
        http_response_free(&answers[i]);
    }
    /* another origin's request is answered, undecorated */
    answers[0] = send_with("GET", csw.token, "/v1/me", NULL, other);
    EXPECT_STATUS(answers[0], 200);
    ck_assert_msg(http_header(&answers[0], "Access-Control-Allow-Origin") == NULL,
                  "another origin got Access-Control-Allow-Origin [%s]",
                  http_header(&answers[0], "Access-Control-Allow-Origin"));
    ck_assert_msg(http_header(&answers[0], "Access-Control-Expose-Headers") == NULL,
                  "another origin got Access-Control-Expose-Headers");
    http_response_free(&answers[0]);
    /* and a request without Origin (no browser) too */
    answers[0] = http_get(csw.token, "/v1/me");
    EXPECT_STATUS(answers[0], 200);
    ck_assert_msg(http_header(&answers[0], "Access-Control-Allow-Origin") == NULL,
                  "Access-Control-Allow-Origin without Origin");
    http_response_free(&answers[0]);
    ck_assert_int_eq(children_named(family), 1);
    free(text);
}
END_TEST

/* ---- Cache-Control ---- */

START_TEST(test_cache_control_no_store_on_authenticated_answers)
{
    char team[FX_ID_MAX], child[FX_ID_MAX], family[FX_ID_MAX], key[FX_ID_MAX];
    char *text;
    fx_person csw;
    http_response answers[8];
    int n = 0;

    fx_unique(team, sizeof team, "team");
    fx_person_create(&csw, "csw", team);
    fx_child_create(&csw, child);
    text = child_text(family);
    fx_unique(key, sizeof key, "key");

    answers[n++] = http_get(csw.token, "/v1/me");
    answers[n++] = http_get(csw.token, "/v1/children/%s", child);
    answers[n++] = http_get(csw.token, "/v1/children?limit=2");
    answers[n++] = http_get(csw.token, "/v1/events?limit=1");
    answers[n++] = http_get(csw.token, "/v1/children/7d1e2b8a-9c3f-4e5d-8a6b-0c1d2e3f4a5b");
    answers[n++] = post_keyed(csw.token, "/v1/children", text, key);
    answers[n++] = post_keyed(csw.token, "/v1/children", text, key); /* replayed */
    answers[n++] = http_patch(csw.token, "\"1\"", json_pack("{s:s}", "given_name", "Kept"),
                              "/v1/children/%s", child);
    ck_assert_int_eq(answers[4].status, 404);
    ck_assert_int_eq(answers[5].status, 201);
    ck_assert_int_eq(answers[6].status, 201);
    ck_assert_int_eq(answers[7].status, 200);
    for (int i = 0; i < n; i++) {
        ck_assert_msg(answers[i].status != 0, "%s: no answer", answers[i].what);
        expect_header(&answers[i], "Cache-Control", "no-store");
        http_response_free(&answers[i]);
    }
    free(text);
}
END_TEST

/* ---- GET /v1/me ---- */

/* Checks that `may` holds every capability, as booleans, and the `want` ones ("name=1,..."). */
static void expect_may(const http_response *res, const char *want)
{
    static const char *const NAMES[] = {
        "read_children", "change_children", "create_children", "read_carers", "create_carers",
        "allocate", "place_children", "arrange_meetings", "request_stability_meetings",
        "waive_unplanned_ending_meetings", "read_panels", "schedule_panels",
        "record_recommendations", "decide_matches", "submit_carer_profiles", "manage_people",
        "read_audit", NULL};
    const json_t *may = json_object_get(res->json, "may");
    char copy[1024];
    char *save = NULL;

    ck_assert_msg(json_is_object(may), "%s: no may: %s", res->what, res->body);
    for (size_t i = 0; NAMES[i] != NULL; i++)
        ck_assert_msg(json_is_boolean(json_object_get(may, NAMES[i])), "%s: may.%s missing: %s",
                      res->what, NAMES[i], res->body);
    snprintf(copy, sizeof copy, "%s", want);
    for (char *pair = strtok_r(copy, ",", &save); pair != NULL; pair = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(pair, '=');

        ck_assert_msg(eq != NULL, "bad expectation %s", pair);
        *eq = '\0';
        ck_assert_msg(json_is_boolean(json_object_get(may, pair)) &&
                          json_boolean_value(json_object_get(may, pair)) == (eq[1] == '1'),
                      "%s: may.%s should be %s: %s", res->what, pair,
                      eq[1] == '1' ? "true" : "false", res->body);
    }
}

/* Checks roles == [role]. */
static void expect_roles(const http_response *res, const char *role)
{
    const json_t *roles = json_object_get(res->json, "roles");

    ck_assert_msg(json_is_array(roles) && json_array_size(roles) == 1 &&
                      json_is_string(json_array_get(roles, 0)) &&
                      strcmp(json_string_value(json_array_get(roles, 0)), role) == 0,
                  "%s: roles should be [\"%s\"]: %s", res->what, role, res->body);
}

START_TEST(test_me_csw_with_a_people_record)
{
    char team[FX_ID_MAX];
    fx_person csw;
    http_response res;
    const json_t *person;

    fx_unique(team, sizeof team, "team");
    fx_person_create(&csw, "csw", team);
    res = http_get(csw.token, "/v1/me");
    EXPECT_STATUS(res, 200);
    expect_json_string(&res, "sub", csw.id);
    expect_roles(&res, "csw");
    ck_assert_msg(json_is_null(json_object_get(res.json, "agency_id")), "agency_id: %s", res.body);
    person = json_object_get(res.json, "person");
    ck_assert_msg(json_is_object(person), "person: %s", res.body);
    ck_assert_msg(json_member_is(person, "id", csw.id) && json_member_is(person, "team", team) &&
                      json_member_is(person, "name", "Test Person"),
                  "person is not the csw's people record: %s", res.body);
    expect_may(&res, "read_children=1,change_children=1,create_children=1,read_carers=1,"
                     "create_carers=0,allocate=0,place_children=1,arrange_meetings=1,"
                     "request_stability_meetings=1,schedule_panels=0,record_recommendations=0,"
                     "decide_matches=0,submit_carer_profiles=0,manage_people=0,read_audit=0");
    http_response_free(&res);
}
END_TEST

START_TEST(test_me_admin_and_token_only_callers)
{
    fx_person admin, csw;
    http_response res;

    /* an administrator without a people record */
    fx_token_only(&admin, "admin");
    res = http_get(admin.token, "/v1/me");
    EXPECT_STATUS(res, 200);
    expect_json_string(&res, "sub", admin.id);
    expect_roles(&res, "admin");
    ck_assert_msg(json_is_null(json_object_get(res.json, "person")), "person: %s", res.body);
    ck_assert_msg(json_is_null(json_object_get(res.json, "agency_id")), "agency_id: %s", res.body);
    expect_may(&res, "manage_people=1,read_audit=1,read_children=0,change_children=0,"
                     "create_children=0,read_carers=0,create_carers=0,allocate=0,"
                     "schedule_panels=0,decide_matches=0");
    http_response_free(&res);

    /* a csw's token without a people record: the same capabilities, no person */
    fx_token_only(&csw, "csw");
    res = http_get(csw.token, "/v1/me");
    EXPECT_STATUS(res, 200);
    expect_json_string(&res, "sub", csw.id);
    ck_assert_msg(json_is_null(json_object_get(res.json, "person")), "person: %s", res.body);
    expect_may(&res, "create_children=1,allocate=0,manage_people=0");
    http_response_free(&res);

    /* no token: 401 */
    res = http_get(NULL, "/v1/me");
    EXPECT_STATUS(res, 401);
    http_response_free(&res);
}
END_TEST

START_TEST(test_me_agency_team_manager_and_panel_roles)
{
    char agency[FX_ID_MAX], team[FX_ID_MAX];
    fx_person agent, tm, padmin, adm;
    http_response res;

    fx_unique(agency, sizeof agency, "ifa");
    fx_agency_create(&agent, agency);
    res = http_get(agent.token, "/v1/me");
    EXPECT_STATUS(res, 200);
    expect_json_string(&res, "sub", agent.id);
    expect_json_string(&res, "agency_id", agency);
    expect_roles(&res, "agency");
    ck_assert_msg(json_member_is(json_object_get(res.json, "person"), "id", agent.id),
                  "person: %s", res.body);
    expect_may(&res, "submit_carer_profiles=1,read_carers=1,read_children=0,create_children=0,"
                     "create_carers=0,allocate=0,manage_people=0");
    http_response_free(&res);

    fx_unique(team, sizeof team, "team");
    fx_person_create(&tm, "team_manager", team);
    res = http_get(tm.token, "/v1/me");
    EXPECT_STATUS(res, 200);
    expect_roles(&res, "team_manager");
    ck_assert_msg(json_member_is(json_object_get(res.json, "person"), "team", team), "person: %s",
                  res.body);
    expect_may(&res, "read_children=1,create_children=1,create_carers=1,allocate=1,"
                     "waive_unplanned_ending_meetings=1,manage_people=0,read_audit=0");
    http_response_free(&res);

    fx_person_create(&padmin, "panel_admin", NULL);
    res = http_get(padmin.token, "/v1/me");
    EXPECT_STATUS(res, 200);
    expect_may(&res, "read_panels=1,schedule_panels=1,decide_matches=0,read_children=0");
    http_response_free(&res);

    fx_token_only(&adm, "adm");
    res = http_get(adm.token, "/v1/me");
    EXPECT_STATUS(res, 200);
    ck_assert_msg(json_is_null(json_object_get(res.json, "person")), "person: %s", res.body);
    expect_may(&res, "read_panels=1,decide_matches=1,schedule_panels=0,record_recommendations=0");
    http_response_free(&res);
}
END_TEST

Suite *integration_suite(void)
{
    Suite *s = suite_create("integration");
    TCase *tc = tcase_create("integration");

    tcase_set_timeout(tc, TEST_TIMEOUT_SECONDS);
    tcase_add_test(tc, test_feed_in_seq_order_each_event_once_across_pages);
    tcase_add_test(tc, test_feed_who_sees_what);
    tcase_add_test(tc, test_feed_events_writes_announce);
    tcase_add_test(tc, test_feed_next_moves_on_when_nothing_is_visible);
    tcase_add_test(tc, test_feed_bad_parameters_422);
    tcase_add_test(tc, test_feed_long_poll_wakes_on_a_new_event);
    tcase_add_test(tc, test_feed_long_poll_times_out_empty);
    tcase_add_test(tc, test_idempotency_retry_replays_and_does_the_work_once);
    tcase_add_test(tc, test_idempotency_key_reused_for_another_request_422);
    tcase_add_test(tc, test_idempotency_keys_are_per_caller);
    tcase_add_test(tc, test_idempotency_bad_key_400);
    tcase_add_test(tc, test_idempotency_4xx_answer_kept_and_replayed);
    tcase_add_test(tc, test_idempotency_retry_while_first_in_flight_409);
    tcase_add_test(tc, test_cors_preflight_allowed);
    tcase_add_test(tc, test_cors_preflight_other_origin_403);
    tcase_add_test(tc, test_cors_preflight_unknown_route_404_method_missing_405);
    tcase_add_test(tc, test_cors_decorates_answers_to_an_allowed_origin);
    tcase_add_test(tc, test_cache_control_no_store_on_authenticated_answers);
    tcase_add_test(tc, test_me_csw_with_a_people_record);
    tcase_add_test(tc, test_me_admin_and_token_only_callers);
    tcase_add_test(tc, test_me_agency_team_manager_and_panel_roles);
    suite_add_tcase(s, tc);
    return s;
}
