/*
 * test_settings.c - policy settings (POLICY.md: every timescale is a setting an administrator
 * changes without a rebuild): any role reads them with an ETag; an administrator patches them
 * with If-Match (428 without, 412 stale); unknown names and out-of-range values are 422, each
 * named; null restores the default; every change is audited (R1).
 *
 * The tests change life_story_review_months (L1, default 6, 1..12), which no other test reads,
 * and put it back to its default before they end. escalation_recheck_working_days (S7) is left
 * alone: the sweep tests rely on its default of 5.
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

#define SETTING "life_story_review_months"
#define SETTING_DEFAULT 6

/*
 * Returns the item named `name` of a settings document {"items": [...]} (not a paged list: no
 * "next"), borrowed from `res`, or fails the test.
 */
static json_t *setting_item(const http_response *res, const char *name)
{
    json_t *items = json_object_get(res->json, "items");
    size_t i;
    json_t *item;

    ck_assert_msg(json_is_array(items), "%s: no items array: %.400s", res->what, res->body);
    json_array_foreach(items, i, item) {
        if (json_member_is(item, "name", name))
            return item;
    }
    ck_abort_msg("%s: no setting %s: %.600s", res->what, name, res->body);
    return NULL;
}

/* Checks the integer member `key` of `item`. */
static void expect_int_member(const json_t *item, const char *key, long value)
{
    json_t *member = json_object_get(item, key);

    ck_assert_msg(json_is_integer(member) && json_integer_value(member) == value,
                  "setting member %s is not %ld", key, value);
}

/* The settings' current ETag, read with GET as `token` (copied into `etag`). */
static void current_etag(const char *token, char *etag, size_t size)
{
    http_response res = http_get(token, "/v1/settings");

    EXPECT_STATUS(res, 200);
    ck_assert_msg(http_header(&res, "ETag") != NULL, "GET /v1/settings without ETag");
    snprintf(etag, size, "%s", http_header(&res, "ETag"));
    http_response_free(&res);
}

/* Overrides rows for SETTING (0 or 1). */
static long override_rows(void)
{
    return db_long("select count(*) from setting_overrides where name = $1", 1, SETTING);
}

/* Restores SETTING to its default with a null patch, whatever the test did. */
static void restore_default(const char *admin_token)
{
    char etag[64];
    http_response res;

    current_etag(admin_token, etag, sizeof etag);
    res = http_patch(admin_token, etag, json_pack("{s:n}", SETTING), "/v1/settings");
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
    ck_assert_int_eq(override_rows(), 0);
}

START_TEST(test_settings_read_by_any_role)
{
    fx_person csw;
    http_response res;
    json_t *s7;
    const char *etag;

    fx_token_only(&csw, "csw");
    res = http_get(csw.token, "/v1/settings");
    EXPECT_STATUS(res, 200);
    etag = http_header(&res, "ETag");
    ck_assert_msg(etag != NULL && etag[0] == '"' && etag[strlen(etag) - 1] == '"',
                  "settings ETag missing or unquoted: %s", etag ? etag : "(none)");
    s7 = setting_item(&res, "escalation_recheck_working_days");
    expect_int_member(s7, "value", 5);
    expect_int_member(s7, "default", 5);
    expect_int_member(s7, "min", 1);
    expect_int_member(s7, "max", 30);
    ck_assert_msg(json_member_is(s7, "unit", "working_days"), "S7 unit is not working_days");
    ck_assert_msg(json_member_is(s7, "rule", "S7"), "S7 setting does not name its rule");
    ck_assert_msg(json_is_string(json_object_get(s7, "meaning")), "S7 setting has no meaning");
    expect_int_member(setting_item(&res, SETTING), "default", SETTING_DEFAULT);
    http_response_free(&res);
}
END_TEST

START_TEST(test_settings_admin_patch_changes_value_and_is_audited)
{
    fx_person admin;
    char etag[64];
    char bumped[64];
    long version;
    http_response res;
    http_response read;
    char *value;

    fx_token_only(&admin, "admin");
    current_etag(admin.token, etag, sizeof etag);
    version = strtol(etag + 1, NULL, 10);
    res = http_patch(admin.token, etag, json_pack("{s:i}", SETTING, 9), "/v1/settings");
    EXPECT_STATUS(res, 200);
    snprintf(bumped, sizeof bumped, "\"%ld\"", version + 1);
    expect_header(&res, "ETag", bumped);
    expect_int_member(setting_item(&res, SETTING), "value", 9);
    expect_int_member(setting_item(&res, SETTING), "default", SETTING_DEFAULT);

    value = db_text("select value::text from setting_overrides where name = $1 and "
                    "updated_by = $2", 2, SETTING, admin.id);
    ck_assert_msg(value != NULL && strcmp(value, "9") == 0, "override row missing or not 9");
    free(value);
    ck_assert_int_eq(db_long("select version from settings_version", 0), version + 1);
    ck_assert_int_eq(db_long("select count(*) from audit_log where resource_type = 'settings' "
                             "and sub = $1 and method = 'PATCH' and status = 200 "
                             "and (changes->'before'->>'" SETTING "')::int = 6 "
                             "and (changes->'after'->>'" SETTING "')::int = 9", 1, admin.id), 1);

    read = http_get(admin.token, "/v1/settings");
    EXPECT_STATUS(read, 200);
    expect_header(&read, "ETag", bumped);
    expect_int_member(setting_item(&read, SETTING), "value", 9);
    http_response_free(&read);
    http_response_free(&res);
    restore_default(admin.token);
}
END_TEST

START_TEST(test_settings_null_restores_default)
{
    fx_person admin;
    char etag[64];
    http_response set;
    http_response reset;

    fx_token_only(&admin, "admin");
    current_etag(admin.token, etag, sizeof etag);
    set = http_patch(admin.token, etag, json_pack("{s:i}", SETTING, 12), "/v1/settings");
    EXPECT_STATUS(set, 200);
    ck_assert_int_eq(override_rows(), 1);
    reset = http_patch(admin.token, http_header(&set, "ETag"), json_pack("{s:n}", SETTING),
                       "/v1/settings");
    EXPECT_STATUS(reset, 200);
    expect_int_member(setting_item(&reset, SETTING), "value", SETTING_DEFAULT);
    ck_assert_int_eq(override_rows(), 0);
    ck_assert_int_eq(db_long("select count(*) from audit_log where resource_type = 'settings' "
                             "and sub = $1 and changes->'after'->'" SETTING "' = 'null'::jsonb "
                             "and (changes->'before'->>'" SETTING "')::int = 12", 1, admin.id), 1);
    http_response_free(&set);
    http_response_free(&reset);
}
END_TEST

START_TEST(test_settings_patch_by_non_admin_403)
{
    fx_person tm;
    char etag[64];
    http_response res;

    fx_token_only(&tm, "team_manager");
    current_etag(tm.token, etag, sizeof etag);
    res = http_patch(tm.token, etag, json_pack("{s:i}", SETTING, 9), "/v1/settings");
    expect_problem(&res, 403, "forbidden");
    ck_assert_int_eq(override_rows(), 0);
    http_response_free(&res);
}
END_TEST

START_TEST(test_settings_unknown_and_out_of_range_422)
{
    fx_person admin;
    char etag[64];
    http_response res;

    fx_token_only(&admin, "admin");
    current_etag(admin.token, etag, sizeof etag);
    res = http_patch(admin.token, etag,
                     json_pack("{s:i, s:i, s:i, s:s, s:i}", "no_such_setting", 1, SETTING, 13,
                               "quorum_core_members", 0, "panel_papers_working_days", "five",
                               "iro_check_weeks", 7),
                     "/v1/settings");
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "no_such_setting");
    expect_error_field(&res, SETTING);
    expect_error_field(&res, "quorum_core_members");
    expect_error_field(&res, "panel_papers_working_days");
    ck_assert_uint_eq(json_array_size(json_object_get(res.json, "errors")), 4);
    /* nothing applied, not even the valid member */
    ck_assert_int_eq(db_long("select count(*) from setting_overrides where name in "
                             "($1, 'quorum_core_members', 'iro_check_weeks')", 1, SETTING), 0);
    http_response_free(&res);
}
END_TEST

START_TEST(test_settings_if_match_required_and_fresh)
{
    fx_person admin;
    char etag[64];
    char stale[64];
    http_response missing;
    http_response moved;
    http_response late;

    fx_token_only(&admin, "admin");
    missing = http_patch(admin.token, NULL, json_pack("{s:i}", SETTING, 9), "/v1/settings");
    expect_problem(&missing, 428, "precondition-required");
    ck_assert_int_eq(override_rows(), 0);

    current_etag(admin.token, stale, sizeof stale);
    moved = http_patch(admin.token, stale, json_pack("{s:i}", SETTING, 8), "/v1/settings");
    EXPECT_STATUS(moved, 200);
    late = http_patch(admin.token, stale, json_pack("{s:i}", SETTING, 10), "/v1/settings");
    expect_problem(&late, 412, "precondition-failed");
    current_etag(admin.token, etag, sizeof etag);
    ck_assert_str_eq(etag, http_header(&moved, "ETag"));
    ck_assert_int_eq(db_long("select value from setting_overrides where name = $1", 1, SETTING),
                     8);
    http_response_free(&missing);
    http_response_free(&moved);
    http_response_free(&late);
    restore_default(admin.token);
}
END_TEST

Suite *settings_suite(void)
{
    Suite *s = suite_create("settings");
    TCase *tc = tcase_create("settings");

    tcase_set_timeout(tc, TEST_TIMEOUT_SECONDS);
    tcase_add_test(tc, test_settings_read_by_any_role);
    tcase_add_test(tc, test_settings_admin_patch_changes_value_and_is_audited);
    tcase_add_test(tc, test_settings_null_restores_default);
    tcase_add_test(tc, test_settings_patch_by_non_admin_403);
    tcase_add_test(tc, test_settings_unknown_and_out_of_range_422);
    tcase_add_test(tc, test_settings_if_match_required_and_fresh);
    suite_add_tcase(s, tc);
    return s;
}
