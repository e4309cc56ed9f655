/* domain/meetings.c: what a meeting must show before it counts as held (S3, U1, P2), who chairs
 * it (S3, U1), and what holding it settles. */
#include <string.h>

#include "../../domain/meetings.h"
#include "unit.h"

/* Attendees [{role, attended}] of the roles in `came` (attended) and `absent` (not). */
static json_t *attendees(const char *const *came, size_t n_came, const char *absent) {
  json_t *list = json_array();
  for (size_t i = 0; i < n_came; i++) {
    json_array_append_new(list, json_pack("{s:s, s:b}", "role", came[i], "attended", 1));
  }
  if (absent != NULL) {
    json_array_append_new(list, json_pack("{s:s, s:b}", "role", absent, "attended", 0));
  }
  return list;
}

/* Whether `missing` (an array of strings) names `what`. */
static bool names(const json_t *missing, const char *what) {
  size_t i;
  const json_t *item;
  json_array_foreach(missing, i, item) {
    if (strcmp(json_string_value(item), what) == 0) {
      return true;
    }
  }
  return false;
}

START_TEST(S3_stability_meeting_held_with_everyone) {
  const char *came[] = {"foster_carer", "ssw", "csw"};
  json_t *list = attendees(came, 3, NULL);
  json_t *missing = json_array();
  struct meeting_held_facts f = {.type = MEETING_STABILITY, .chair_is_team_manager = true,
                                 .attendees = list, .child_views = "wants to stay"};
  ck_assert_ptr_null(meeting_held_check(&f, missing));
  ck_assert_int_eq(json_array_size(missing), 0);
  json_decref(missing);
  json_decref(list);
}
END_TEST

START_TEST(S3_stability_meeting_without_the_carer_or_views_refused) {
  const char *came[] = {"ssw", "csw"};
  json_t *list = attendees(came, 2, "foster_carer");
  json_t *missing = json_array();
  struct meeting_held_facts f = {.type = MEETING_STABILITY_REVIEW, .chair_is_team_manager = false,
                                 .attendees = list, .child_views = "  \n"};
  ck_assert_str_eq(meeting_held_check(&f, missing), "S3");
  ck_assert(names(missing, "attendees.foster_carer"));
  ck_assert(names(missing, "chair_id"));
  ck_assert(names(missing, "child_views"));
  ck_assert(!names(missing, "attendees.ssw"));
  json_decref(missing);
  json_decref(list);
}
END_TEST

START_TEST(U1_meeting_needs_iro_views_learning_and_window) {
  json_t *list = json_array();
  json_t *missing = json_array();
  struct date_range window = {{2026, 5, 15}, {2026, 5, 27}};
  struct meeting_held_facts f = {.type = MEETING_UNPLANNED_ENDING, .chair_is_iro = true,
                                 .attendees = list, .child_views = "sad", .carer_views = "tired",
                                 .learning = "more respite", .held_on = {2026, 5, 27},
                                 .u1_window = window};
  ck_assert_ptr_null(meeting_held_check(&f, missing));
  f.held_on = (struct date){2026, 5, 28};
  f.learning = NULL;
  ck_assert_str_eq(meeting_held_check(&f, missing), "U1");
  ck_assert(names(missing, "held_on"));
  ck_assert(names(missing, "learning"));
  ck_assert_int_eq(json_array_size(missing), 2);
  json_decref(missing);
  json_decref(list);
}
END_TEST

START_TEST(P2_ppm_records_the_childs_voice) {
  json_t *list = json_array();
  json_t *missing = json_array();
  struct meeting_held_facts f = {.type = MEETING_PPM, .attendees = list};
  ck_assert_str_eq(meeting_held_check(&f, missing), "P2");
  ck_assert(names(missing, "child_views"));
  f.type = MEETING_CIC_REVIEW;
  json_array_clear(missing);
  ck_assert_ptr_null(meeting_held_check(&f, missing));
  json_decref(missing);
  json_decref(list);
}
END_TEST

/* P2: the foster carer, CSW, SSW, IRO and team manager are invited; one who was invited and did
 * not come still counts, one who was not listed does not. */
START_TEST(P2_ppm_invites_the_five) {
  const char *came[] = {"foster_carer", "csw", "ssw", "team_manager"};
  json_t *list = attendees(came, 4, NULL);
  json_t *missing = json_array();
  struct meeting_held_facts f = {.type = MEETING_PPM, .attendees = list, .child_views = "happy"};
  ck_assert_str_eq(meeting_held_check(&f, missing), "P2");
  ck_assert(names(missing, "attendees.iro"));
  ck_assert_int_eq(json_array_size(missing), 1);
  json_decref(list);
  list = attendees(came, 4, "iro");
  f.attendees = list;
  json_array_clear(missing);
  ck_assert_ptr_null(meeting_held_check(&f, missing));
  ck_assert_int_eq(json_array_size(missing), 0);
  json_decref(missing);
  json_decref(list);
}
END_TEST

START_TEST(S3_U1_chairs) {
  json_t *missing = json_array();
  ck_assert_str_eq(meeting_chair_check(MEETING_STABILITY, false, true, missing), "S3");
  ck_assert_ptr_null(meeting_chair_check(MEETING_STABILITY, true, false, missing));
  ck_assert_str_eq(meeting_chair_check(MEETING_UNPLANNED_ENDING, true, false, missing), "U1");
  ck_assert_ptr_null(meeting_chair_check(MEETING_UNPLANNED_ENDING, false, true, missing));
  ck_assert_ptr_null(meeting_chair_check(MEETING_PPM, false, false, missing));
  ck_assert_int_eq(json_array_size(missing), 2);
  json_decref(missing);
}
END_TEST

START_TEST(what_holding_settles) {
  ck_assert(meeting_minutes_have_deadline(MEETING_STABILITY));
  ck_assert(!meeting_minutes_have_deadline(MEETING_PPM));
  ck_assert_str_eq(meeting_plan_rule(MEETING_PPM), "P2");
  ck_assert_str_eq(meeting_plan_rule(MEETING_STABILITY_REVIEW), "S5");
  ck_assert_ptr_null(meeting_plan_rule(MEETING_CIC_REVIEW));
  ck_assert_str_eq(meeting_held_settles(MEETING_UNPLANNED_ENDING).rule, "U1");
  ck_assert_int_eq(meeting_held_settles(MEETING_CIC_REVIEW).duty, DUTY_CIC_REVIEW);
  ck_assert_ptr_null(meeting_held_settles(MEETING_JOINT_VISIT).rule);
  enum meeting_type type;
  ck_assert(meeting_type_parse("annual_joint_visit", &type));
  ck_assert_int_eq(type, MEETING_ANNUAL_JOINT_VISIT);
  ck_assert(!meeting_type_parse("tea_party", &type));
}
END_TEST

Suite *meetings_suite(void) {
  Suite *s = suite_create("meetings");
  TCase *tc = tcase_create("meetings");
  tcase_add_test(tc, S3_stability_meeting_held_with_everyone);
  tcase_add_test(tc, S3_stability_meeting_without_the_carer_or_views_refused);
  tcase_add_test(tc, U1_meeting_needs_iro_views_learning_and_window);
  tcase_add_test(tc, P2_ppm_records_the_childs_voice);
  tcase_add_test(tc, P2_ppm_invites_the_five);
  tcase_add_test(tc, S3_U1_chairs);
  tcase_add_test(tc, what_holding_settles);
  suite_add_tcase(s, tc);
  return s;
}
