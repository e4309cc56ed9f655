/*
 * test_action_lists.c - GET /v1/actions: what the caller may see (owner, owner's manager,
 * administrator, readers of the subject), each filter (owner=me|<id>, subject_type, subject_id,
 * status, overdue=true, due_before, source_rule) returning exactly the expected actions, and
 * keyset pagination (limit/after) that lists every action once.
 */
#include "action_fixtures.h"
#include "db.h"
#include "expect.h"
#include "fixtures.h"
#include "http_client.h"
#include "suites.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_MAX_PAGES 20

/* GET /v1/actions?<query> as `token`; asserts 200 and exactly the `n` ids. */
static void expect_list(const char *token, const char *query, size_t n, const char *const *ids)
{
    http_response res = http_get(token, "/v1/actions?%s", query);

    EXPECT_STATUS(res, 200);
    afx_expect_ids(&res, n, ids);
    http_response_free(&res);
}

/*
 * The team manager creates five actions, due one to five days from now:
 *   a[0] child (csw's), owner csw, S5     a[1] second child, owner csw
 *   a[2] carer, owner csw, S5             a[3] second child, owner tm
 *   a[4] child (csw's), owner tm
 * The csw sees a[0..2] (owner) and a[4] (they may read its child), not a[3].
 */
START_TEST(test_action_filters_return_exactly_the_expected)
{
    afx_scene s;
    char second_child[FX_ID_MAX];
    char carer[FX_ID_MAX];
    char a[5][FX_ID_MAX];
    char due[5][32];
    char query[256];
    http_response done;
    int i;

    afx_scene_create(&s, 1);
    fx_child_create(&s.tm, second_child);
    fx_carer_create(&s.tm, NULL, "approved", 2, carer);
    for (i = 0; i < 5; i++)
        afx_time_from_now(due[i], sizeof due[i], (long)(i + 1) * 86400);
    {
        const char *subject_type[5] = {"child", "child", "carer", "child", "child"};
        const char *subject_id[5] = {s.child, second_child, carer, second_child, s.child};
        const char *owner[5] = {s.csw.id, s.csw.id, s.csw.id, s.tm.id, s.tm.id};
        const char *rule[5] = {"S5", NULL, "S5", NULL, NULL};

        for (i = 0; i < 5; i++) {
            json_t *body = afx_action_body("Filter me", subject_type[i], subject_id[i],
                                           owner[i], due[i]);

            if (rule[i] != NULL)
                json_object_set_new(body, "source_rule", json_string(rule[i]));
            afx_action_create(s.tm.token, body, a[i]);
        }
    }

    expect_list(s.csw.token, "limit=200", 4, (const char *const[]){a[0], a[1], a[2], a[4]});
    expect_list(s.csw.token, "owner=me", 3, (const char *const[]){a[0], a[1], a[2]});
    snprintf(query, sizeof query, "owner=%s", s.tm.id);
    expect_list(s.csw.token, query, 1, (const char *const[]){a[4]});
    expect_list(s.tm.token, query, 2, (const char *const[]){a[3], a[4]});
    expect_list(s.csw.token, "subject_type=carer", 1, (const char *const[]){a[2]});
    expect_list(s.csw.token, "subject_type=child&owner=me", 2, (const char *const[]){a[0], a[1]});
    snprintf(query, sizeof query, "subject_id=%s", second_child);
    expect_list(s.csw.token, query, 1, (const char *const[]){a[1]});
    expect_list(s.tm.token, query, 2, (const char *const[]){a[1], a[3]});
    expect_list(s.csw.token, "source_rule=S5", 2, (const char *const[]){a[0], a[2]});
    snprintf(query, sizeof query, "due_before=%s", due[2]); /* strictly before */
    expect_list(s.csw.token, query, 2, (const char *const[]){a[0], a[1]});
    expect_list(s.csw.token, "overdue=true", 0, NULL);

    /* status: a[1] done */
    done = http_post(s.csw.token, json_object(), "/v1/actions/%s/complete", a[1]);
    EXPECT_STATUS(done, 200);
    http_response_free(&done);
    expect_list(s.csw.token, "status=done", 1, (const char *const[]){a[1]});
    expect_list(s.csw.token, "status=open", 3, (const char *const[]){a[0], a[2], a[4]});
    expect_list(s.csw.token, "status=cancelled", 0, NULL);

    /* overdue: a[0] and a[1] moved into the past; only the open one is overdue */
    ck_assert_int_eq(db_long("with moved as (update actions set due_at = now() - interval "
                             "'1 hour' where id::text in ($1, $2) returning 1) "
                             "select count(*) from moved", 2, a[0], a[1]), 2);
    expect_list(s.csw.token, "overdue=true", 1, (const char *const[]){a[0]});
    expect_list(s.mgr.token, "overdue=true", 1, (const char *const[]){a[0]});
    expect_list(s.csw.token, "overdue=false&owner=me", 3, (const char *const[]){a[0], a[1], a[2]});
}
END_TEST

START_TEST(test_action_filters_bad_values_400)
{
    static const char *const queries[] = {
        "status=finished", "overdue=yes", "due_before=tomorrow", "subject_id=not-a-uuid",
        "limit=0", "limit=201", "after=bm90LWEtY3Vyc29y", /* "not-a-cursor" */
    };
    afx_scene s;
    size_t i;

    afx_scene_create(&s, 0);
    for (i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        http_response res = http_get(s.csw.token, "/v1/actions?%s", queries[i]);

        expect_problem(&res, 400, "bad-request");
        http_response_free(&res);
    }
}
END_TEST

/*
 * Walks GET /v1/actions?owner=me&limit=<limit> as `token` until next is null, counting each id
 * in `seen`. Returns the number of pages.
 */
static int walk_actions(const char *token, int limit, json_t *seen)
{
    char *cursor = NULL;
    int pages;

    for (pages = 1;; pages++) {
        http_response res;
        json_t *items;
        json_t *item;
        json_t *next;
        size_t i;

        ck_assert_msg(pages <= LIST_MAX_PAGES, "pagination does not end");
        if (cursor == NULL)
            res = http_get(token, "/v1/actions?owner=me&limit=%d", limit);
        else
            res = http_get(token, "/v1/actions?owner=me&limit=%d&after=%s", limit, cursor);
        free(cursor);
        cursor = NULL;
        EXPECT_STATUS(res, 200);
        items = body_items(&res);
        ck_assert_uint_le(json_array_size(items), (size_t)limit);
        json_array_foreach(items, i, item) {
            const char *id = json_string_value(json_object_get(item, "id"));
            json_t *count;

            ck_assert_msg(id != NULL, "list item without id: %s", res.body);
            count = json_object_get(seen, id);
            json_object_set_new(seen, id, json_integer(count ? json_integer_value(count) + 1 : 1));
        }
        next = json_object_get(res.json, "next");
        if (json_is_null(next)) {
            http_response_free(&res);
            return pages;
        }
        ck_assert_msg(json_is_string(next), "next is neither a cursor nor null: %s", res.body);
        ck_assert_uint_eq(json_array_size(items), (size_t)limit);
        cursor = http_escape(json_string_value(next));
        http_response_free(&res);
    }
}

/* Checks that `seen` holds exactly the `n` ids, each once. */
static void expect_each_once(const json_t *seen, size_t n, char ids[][FX_ID_MAX])
{
    const char *id;
    json_t *count;
    size_t i;

    json_object_foreach((json_t *)seen, id, count)
        ck_assert_msg(json_integer_value(count) == 1, "action %s listed %lld times", id,
                      (long long)json_integer_value(count));
    for (i = 0; i < n; i++)
        ck_assert_msg(json_object_get(seen, ids[i]) != NULL, "action %s never listed", ids[i]);
    ck_assert_uint_eq(json_object_size(seen), n);
}

/* Seven actions, three of them due at the same second (the id breaks the tie). */
START_TEST(test_action_pagination_lists_each_once)
{
    afx_scene s;
    char ids[7][FX_ID_MAX];
    char due[32];
    json_t *seen;
    int i;

    afx_scene_create(&s, 0);
    for (i = 0; i < 7; i++) {
        afx_time_from_now(due, sizeof due, i < 3 ? 86400L : 86400L + i * 3600L);
        afx_action_create(s.csw.token, afx_action_body("Page me", "child", s.child, s.csw.id, due),
                          ids[i]);
    }
    seen = json_object();
    ck_assert_int_eq(walk_actions(s.csw.token, 2, seen), 4);
    expect_each_once(seen, 7, ids);
    json_decref(seen);
    seen = json_object();
    ck_assert_int_eq(walk_actions(s.csw.token, 3, seen), 3);
    expect_each_once(seen, 7, ids);
    json_decref(seen);
}
END_TEST

/*
 * RFC 3339 allows fractional seconds and POST /v1/actions accepts them; the list must still
 * give each action once when due times carry them (the cursor must not drop the fraction).
 */
START_TEST(test_action_pagination_fractional_due_times)
{
    static const char *const dues[] = {
        "2026-12-30T10:00:00.250Z", "2026-12-30T10:00:00.500Z", "2026-12-30T10:00:00.750Z",
        "2026-12-30T10:00:01.500Z",
    };
    afx_scene s;
    char ids[4][FX_ID_MAX];
    json_t *seen;
    int i;

    afx_scene_create(&s, 0);
    for (i = 0; i < 4; i++)
        afx_action_create(s.csw.token,
                          afx_action_body("Fraction", "child", s.child, s.csw.id, dues[i]),
                          ids[i]);
    seen = json_object();
    ck_assert_int_eq(walk_actions(s.csw.token, 1, seen), 4);
    expect_each_once(seen, 4, ids);
    json_decref(seen);
}
END_TEST

Suite *action_lists_suite(void)
{
    Suite *s = suite_create("action_lists");
    TCase *tc = tcase_create("action_lists");

    tcase_set_timeout(tc, TEST_TIMEOUT_SECONDS);
    tcase_add_test(tc, test_action_filters_return_exactly_the_expected);
    tcase_add_test(tc, test_action_filters_bad_values_400);
    tcase_add_test(tc, test_action_pagination_lists_each_once);
    tcase_add_test(tc, test_action_pagination_fractional_due_times);
    suite_add_tcase(s, tc);
    return s;
}
