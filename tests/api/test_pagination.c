/*
 * test_pagination.c - keyset pagination of lists: walking /v1/children with limit 50 and 200
 * over 230 children returns each exactly once; bad limits and cursors are 400.
 */
#include "expect.h"
#include "fixtures.h"
#include "http_client.h"
#include "suites.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#define PAGINATION_CHILDREN 230
#define PAGINATION_MAX_PAGES 50

/*
 * Walks /v1/children as `token` with `limit` from the first page until "next" is null, adding
 * every item id to `seen` (id -> times seen). Pages that offer a next cursor must be full.
 */
static void walk_children(const char *token, int limit, json_t *seen)
{
    char *cursor = NULL;
    int pages;

    for (pages = 1;; pages++) {
        http_response res;
        json_t *items;
        json_t *item;
        json_t *next;
        size_t i;

        ck_assert_msg(pages <= PAGINATION_MAX_PAGES, "pagination does not end (limit %d)", limit);
        if (cursor == NULL) {
            res = http_get(token, "/v1/children?limit=%d", limit);
        } else {
            res = http_get(token, "/v1/children?limit=%d&after=%s", limit, cursor);
            free(cursor);
            cursor = NULL;
        }
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
            break;
        }
        ck_assert_msg(json_is_string(next), "next is neither a cursor nor null: %s", res.body);
        ck_assert_uint_eq(json_array_size(items), (size_t)limit);
        cursor = http_escape(json_string_value(next));
        http_response_free(&res);
    }
}

/* Checks that `seen` holds exactly the ids of `created`, each seen once. */
static void expect_each_once(const json_t *created, const json_t *seen, int limit)
{
    const char *id;
    json_t *count;

    json_object_foreach((json_t *)seen, id, count) {
        ck_assert_msg(json_object_get(created, id) != NULL,
                      "limit %d: child %s is not one of this team's", limit, id);
        ck_assert_msg(json_integer_value(count) == 1, "limit %d: child %s listed %lld times",
                      limit, id, (long long)json_integer_value(count));
    }
    ck_assert_msg(json_object_size(seen) == json_object_size(created),
                  "limit %d: listed %zu children, created %zu", limit, json_object_size(seen),
                  json_object_size(created));
}

START_TEST(test_pagination_children_each_once)
{
    static const int limits[] = {50, 200};
    char team[FX_ID_MAX];
    fx_person tm;
    json_t *created = json_object();
    http_response first;
    size_t i;
    int n;

    fx_unique(team, sizeof team, "team");
    fx_person_create(&tm, "team_manager", team);
    for (n = 0; n < PAGINATION_CHILDREN; n++) {
        char id[FX_ID_MAX];

        fx_child_create(&tm, id);
        json_object_set_new(created, id, json_true());
    }

    for (i = 0; i < sizeof limits / sizeof limits[0]; i++) {
        json_t *seen = json_object();

        walk_children(tm.token, limits[i], seen);
        expect_each_once(created, seen, limits[i]);
        json_decref(seen);
    }

    first = http_get(tm.token, "/v1/children");
    EXPECT_STATUS(first, 200);
    ck_assert_uint_eq(json_array_size(body_items(&first)), 50); /* the default limit */
    ck_assert_msg(json_is_string(json_object_get(first.json, "next")), "default page lacks next");
    http_response_free(&first);
    json_decref(created);
}
END_TEST

START_TEST(test_pagination_bad_parameters_400)
{
    static const char *const queries[] = {
        "limit=0", "limit=201", "limit=abc", "limit=-1", "limit=1.5", "limit=",
        "after=not-a-real-cursor", "after=%25%25%25", "limit=10&after=!!garbage!!",
    };
    char team[FX_ID_MAX];
    fx_person tm;
    size_t i;

    fx_unique(team, sizeof team, "team");
    fx_person_create(&tm, "team_manager", team);
    for (i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        http_response res = http_get(tm.token, "/v1/children?%s", queries[i]);

        expect_problem(&res, 400, "bad-request");
        http_response_free(&res);
    }
    for (i = 0; i < 4; i++) {
        http_response people = http_get(fx_admin_token(), "/v1/people?%s", queries[i]);
        http_response carers = http_get(tm.token, "/v1/carers?%s", queries[i]);
        http_response audit = http_get(fx_admin_token(), "/v1/audit?%s", queries[i]);

        expect_problem(&people, 400, "bad-request");
        expect_problem(&carers, 400, "bad-request");
        expect_problem(&audit, 400, "bad-request");
        http_response_free(&people);
        http_response_free(&carers);
        http_response_free(&audit);
    }
}
END_TEST

START_TEST(test_pagination_limit_bounds_accepted)
{
    char team[FX_ID_MAX];
    char id[FX_ID_MAX];
    fx_person tm;
    http_response one;
    http_response max;

    fx_unique(team, sizeof team, "team");
    fx_person_create(&tm, "team_manager", team);
    fx_child_create(&tm, id);
    fx_child_create(&tm, id);
    one = http_get(tm.token, "/v1/children?limit=1");
    max = http_get(tm.token, "/v1/children?limit=200");
    EXPECT_STATUS(one, 200);
    EXPECT_STATUS(max, 200);
    ck_assert_uint_eq(json_array_size(body_items(&one)), 1);
    ck_assert_msg(json_is_string(json_object_get(one.json, "next")), "limit=1 of 2 lacks next");
    ck_assert_uint_eq(json_array_size(body_items(&max)), 2);
    ck_assert_msg(json_is_null(json_object_get(max.json, "next")), "complete page has next");
    http_response_free(&one);
    http_response_free(&max);
}
END_TEST

Suite *pagination_suite(void)
{
    Suite *s = suite_create("pagination");
    TCase *tc = tcase_create("pagination");

    tcase_set_timeout(tc, 300.0); /* 230 creations, possibly under ASan */
    tcase_add_test(tc, test_pagination_children_each_once);
    tcase_add_test(tc, test_pagination_bad_parameters_400);
    tcase_add_test(tc, test_pagination_limit_bounds_accepted);
    suite_add_tcase(s, tc);
    return s;
}
