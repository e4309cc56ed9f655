/* domain/actions.c and domain/settings.c: S7 decisions, who may change an action, settings. */
#include <string.h>

#include "../../domain/actions.h"
#include "../../domain/settings.h"
#include "unit.h"

/* 2026-12-23T17:00:00Z, a Wednesday before Christmas. */
static const time_t DUE = 1798045200;

static const struct date CLOSED[] = {{2026, 12, 25}, {2026, 12, 28}, {2027, 1, 1}};
static const struct calendar CALENDAR = {CLOSED, 3};

START_TEST(s7_recheck_skips_christmas_and_new_year) {
  char text[21];
  time_format_utc(action_recheck_at(&CALENDAR, london_date(DUE), 5), text);
  ck_assert_str_eq(text, "2027-01-04T23:59:59Z");
}
END_TEST

START_TEST(only_owner_manager_or_admin_change_an_action) {
  ck_assert(action_may_change("u-1", ROLE_CSW, "u-1", "u-tm"));
  ck_assert(action_may_change("u-tm", ROLE_TEAM_MANAGER, "u-1", "u-tm"));
  ck_assert(action_may_change("a-1", ROLE_ADMIN, NULL, NULL));
  ck_assert(!action_may_change("u-2", ROLE_IRO, "u-1", "u-tm"));
  ck_assert(!action_may_change("u-2", ROLE_TEAM_MANAGER, NULL, NULL));
}
END_TEST

START_TEST(new_action_checked) {
  json_t *good = json_pack("{s:s, s:{s:s, s:s}, s:s, s:s, s:s}", "title", "Send minutes",
                           "subject", "type", "child", "id",
                           "1dac45ca-c439-4f5d-a93d-feea1e655276", "owner_id", "u-1", "due_at",
                           "2026-12-23T17:00:00Z", "source_rule", "M7a");
  json_t *errors = json_array();
  ck_assert(action_validate_new(good, DUE - 60, errors));
  ck_assert(!action_validate_new(good, DUE, errors)); /* due now: not in the future */
  json_t *bad = json_pack("{s:s, s:{s:s}, s:s, s:s}", "title", "", "subject", "type", "house",
                          "due_at", "tomorrow", "source_rule", "S");
  ck_assert(!action_validate_new(bad, DUE, errors));
  json_decref(bad);
  json_decref(good);
  json_decref(errors);
}
END_TEST

START_TEST(settings_have_policy_defaults_and_ranges) {
  ck_assert_int_eq(setting_find("stability_meeting_within_hours")->default_value, 48);
  ck_assert_int_eq(setting_find("panel_papers_working_days")->default_value, 5);
  ck_assert_int_eq(setting_find("escalation_recheck_working_days")->default_value, 5);
  ck_assert_int_eq(setting_find("quorum_core_members")->default_value, 3);
  ck_assert_int_eq(setting_find("family_finder_age_limit")->default_value, 11);
  ck_assert_ptr_null(setting_find("no_such_setting"));
  json_t *values = json_pack("{s:i}", "quorum_core_members", 4);
  ck_assert_int_eq(setting_value(values, "quorum_core_members"), 4);
  ck_assert_int_eq(setting_value(values, "panel_papers_working_days"), 5);
  json_decref(values);
}
END_TEST

START_TEST(settings_patch_checked) {
  json_t *errors = json_array();
  json_t *good = json_pack("{s:i, s:n}", "quorum_core_members", 4, "panel_papers_working_days");
  ck_assert(settings_validate_patch(good, errors));
  json_t *bad = json_pack("{s:i, s:s, s:i}", "quorum_core_members", 0, "panel_papers_working_days",
                          "five", "bogus", 1);
  ck_assert(!settings_validate_patch(bad, errors));
  ck_assert_int_eq(json_array_size(errors), 3);
  json_decref(bad);
  json_decref(good);
  json_decref(errors);
}
END_TEST

Suite *actions_suite(void) {
  Suite *s = suite_create("actions");
  TCase *tc = tcase_create("actions");
  tcase_add_test(tc, s7_recheck_skips_christmas_and_new_year);
  tcase_add_test(tc, only_owner_manager_or_admin_change_an_action);
  tcase_add_test(tc, new_action_checked);
  tcase_add_test(tc, settings_have_policy_defaults_and_ranges);
  tcase_add_test(tc, settings_patch_checked);
  suite_add_tcase(s, tc);
  return s;
}
