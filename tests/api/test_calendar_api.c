/*
 * test_calendar_api.c - local closure days (POLICY.md "Calendar": the shipped bank holidays of
 * England and Wales, which an administrator extends with closure days): an administrator adds,
 * lists (from/to), and deletes them; a weekend day or a bank holiday is 422, a duplicate 409,
 * anyone else 403; every change is audited (R1) with resource_type 'closure'.
 *
 * Each test uses a random weekday in 2090-2099 (no shipped holiday there), so repeated runs on
 * the same database do not collide, and deletes what it added.
 */
#include "db.h"
#include "expect.h"
#include "fixtures.h"
#include "http_client.h"
#include "suites.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DATE_MAX 16

/* Writes the date `days` after 2090-01-01 into `out` as YYYY-MM-DD and returns its weekday
 * (0 = Sunday .. 6 = Saturday). */
static int date_after_2090(long days, char *out)
{
    struct tm tm = {0};
    time_t t;

    tm.tm_year = 2090 - 1900;
    tm.tm_mday = 1;
    t = timegm(&tm) + (time_t)days * 86400;
    gmtime_r(&t, &tm);
    strftime(out, DATE_MAX, "%Y-%m-%d", &tm);
    return tm.tm_wday;
}

/* A random weekday in 2090-2099 (from fx_unique's random hex) into `out`. */
static void random_weekday(char *out)
{
    char hex[FX_ID_MAX];
    long days;

    fx_unique(hex, sizeof hex, "d");
    days = strtol(hex + strlen(hex) - 6, NULL, 16) % 3640;
    while (date_after_2090(days, out) % 6 == 0) /* Saturday 6, Sunday 0 */
        days++;
}

/* POST /v1/calendar/closures {date, reason} as `token`. */
static http_response post_closure(const char *token, const char *date, const char *reason)
{
    return http_post(token, json_pack("{s:s, s:s}", "date", date, "reason", reason),
                     "/v1/calendar/closures");
}

/* DELETE /v1/calendar/closures/{date} as `token`. */
static http_response delete_closure(const char *token, const char *date)
{
    char path[64];
    http_request req = {0};

    snprintf(path, sizeof path, "/v1/calendar/closures/%s", date);
    req.method = "DELETE";
    req.path = path;
    req.token = token;
    return http_send(&req);
}

static long closure_rows(const char *date)
{
    return db_long("select count(*) from calendar_closures where day = $1::date", 1, date);
}

START_TEST(test_closures_admin_adds_lists_and_deletes)
{
    fx_person admin;
    fx_person csw;
    char day[DATE_MAX];
    char location[64];
    http_response created;
    http_response listed;
    http_response later;
    http_response read_by_csw;
    http_response removed;
    http_response again;
    json_t *item;

    fx_token_only(&admin, "admin");
    fx_token_only(&csw, "csw");
    random_weekday(day);
    created = post_closure(admin.token, day, "Office move");
    EXPECT_STATUS(created, 201);
    snprintf(location, sizeof location, "/v1/calendar/closures/%s", day);
    expect_location(&created, location);
    expect_json_string(&created, "date", day);
    expect_json_string(&created, "reason", "Office move");
    expect_json_string(&created, "created_by", admin.id);
    ck_assert_int_eq(db_long("select count(*) from calendar_closures where day = $1::date and "
                             "reason = 'Office move' and created_by = $2", 2, day, admin.id), 1);
    ck_assert_int_eq(db_long("select count(*) from audit_log where resource_type = 'closure' "
                             "and resource_id = $1 and method = 'POST' and status = 201 "
                             "and sub = $2", 2, day, admin.id), 1);

    /* any role reads the calendar; from/to are inclusive */
    listed = http_get(csw.token, "/v1/calendar/closures?from=%s&to=%s", day, day);
    EXPECT_STATUS(listed, 200);
    ck_assert_uint_eq(json_array_size(body_items(&listed)), 1);
    ck_assert_msg(json_is_null(json_object_get(listed.json, "next")), "next is not null");
    item = json_array_get(body_items(&listed), 0);
    ck_assert_msg(json_member_is(item, "date", day) && json_member_is(item, "reason", "Office move")
                      && json_member_is(item, "created_by", admin.id)
                      && json_is_string(json_object_get(item, "created_at")),
                  "listed closure is not the one added: %s", listed.body);
    later = http_get(csw.token, "/v1/calendar/closures?from=2100-01-01");
    EXPECT_STATUS(later, 200);
    ck_assert_msg(!items_contain(body_items(&later), "date", day), "from filter ignored");
    read_by_csw = http_get(csw.token, "/v1/calendar/closures?to=%s", day);
    EXPECT_STATUS(read_by_csw, 200);
    ck_assert_msg(items_contain(body_items(&read_by_csw), "date", day), "to filter drops day");

    removed = delete_closure(admin.token, day);
    EXPECT_STATUS(removed, 204);
    ck_assert_int_eq(closure_rows(day), 0);
    ck_assert_int_eq(db_long("select count(*) from audit_log where resource_type = 'closure' "
                             "and resource_id = $1 and method = 'DELETE' and status = 204", 1,
                             day), 1);
    again = delete_closure(admin.token, day);
    expect_problem(&again, 404, "not-found");

    http_response_free(&created);
    http_response_free(&listed);
    http_response_free(&later);
    http_response_free(&read_by_csw);
    http_response_free(&removed);
    http_response_free(&again);
}
END_TEST

START_TEST(test_closures_weekend_and_bank_holiday_422)
{
    fx_person admin;
    char saturday[DATE_MAX];
    long days = 0;
    http_response weekend;
    http_response christmas;
    http_response missing;

    fx_token_only(&admin, "admin");
    while (date_after_2090(days, saturday) != 6)
        days++;
    weekend = post_closure(admin.token, saturday, "Weekend");
    expect_problem(&weekend, 422, "validation");
    expect_error_field(&weekend, "date");
    ck_assert_int_eq(closure_rows(saturday), 0);

    christmas = post_closure(admin.token, "2025-12-25", "Christmas");
    expect_problem(&christmas, 422, "validation");
    expect_error_field(&christmas, "date");
    ck_assert_int_eq(closure_rows("2025-12-25"), 0);

    missing = http_post(admin.token, json_pack("{s:s}", "date", "2091-02-30"),
                        "/v1/calendar/closures");
    expect_problem(&missing, 422, "validation");
    expect_error_field(&missing, "date");
    expect_error_field(&missing, "reason");
    http_response_free(&weekend);
    http_response_free(&christmas);
    http_response_free(&missing);
}
END_TEST

START_TEST(test_closures_duplicate_409)
{
    fx_person admin;
    char day[DATE_MAX];
    http_response first;
    http_response second;
    http_response removed;
    char *reason;

    fx_token_only(&admin, "admin");
    random_weekday(day);
    first = post_closure(admin.token, day, "Training day");
    EXPECT_STATUS(first, 201);
    second = post_closure(admin.token, day, "Another reason");
    expect_problem(&second, 409, "conflict");
    reason = db_text("select reason from calendar_closures where day = $1::date", 1, day);
    ck_assert_msg(reason != NULL && strcmp(reason, "Training day") == 0,
                  "the duplicate changed the closure");
    free(reason);
    removed = delete_closure(admin.token, day);
    EXPECT_STATUS(removed, 204);
    http_response_free(&first);
    http_response_free(&second);
    http_response_free(&removed);
}
END_TEST

START_TEST(test_closures_non_admin_403)
{
    fx_person admin;
    fx_person tm;
    char day[DATE_MAX];
    http_response added;
    http_response refused_post;
    http_response refused_delete;
    http_response removed;

    fx_token_only(&admin, "admin");
    fx_token_only(&tm, "team_manager");
    random_weekday(day);
    refused_post = post_closure(tm.token, day, "Not mine to close");
    expect_problem(&refused_post, 403, "forbidden");
    ck_assert_int_eq(closure_rows(day), 0);

    added = post_closure(admin.token, day, "Staff day");
    EXPECT_STATUS(added, 201);
    refused_delete = delete_closure(tm.token, day);
    expect_problem(&refused_delete, 403, "forbidden");
    ck_assert_int_eq(closure_rows(day), 1);
    removed = delete_closure(admin.token, day);
    EXPECT_STATUS(removed, 204);
    ck_assert_int_eq(closure_rows(day), 0);
    http_response_free(&added);
    http_response_free(&refused_post);
    http_response_free(&refused_delete);
    http_response_free(&removed);
}
END_TEST

Suite *calendar_api_suite(void)
{
    Suite *s = suite_create("calendar_closures");
    TCase *tc = tcase_create("closures");

    tcase_set_timeout(tc, TEST_TIMEOUT_SECONDS);
    tcase_add_test(tc, test_closures_admin_adds_lists_and_deletes);
    tcase_add_test(tc, test_closures_weekend_and_bank_holiday_422);
    tcase_add_test(tc, test_closures_duplicate_409);
    tcase_add_test(tc, test_closures_non_admin_403);
    suite_add_tcase(s, tc);
    return s;
}
