/* domain/placements.c: SSDA903 codes, unplanned endings (E), who may be placed where. */
#include "../../domain/placements.h"
#include "unit.h"

static struct placement_start_facts allowed_facts(void) {
  struct placement_start_facts f = {
      .start = {2024, 1, 1},
      .child_born = {2015, 3, 2},
      .carer_approval_status = "approved",
      .carer_approved_on_known = true,
      .carer_approved_on = {2020, 1, 1},
      .carer_max_children = 2,
      .carer_children_placed = 1,
  };
  return f;
}

START_TEST(codes_are_ssda903) {
  ck_assert(placement_type_valid("U4"));
  ck_assert(placement_type_valid("K2"));
  ck_assert(!placement_type_valid("U7"));
  ck_assert(placement_end_reason_valid("CREQB"));
  ck_assert(!placement_end_reason_valid("BORED"));
}
END_TEST

START_TEST(unplanned_endings_per_policy_e) {
  const char *unplanned[] = {"CREQB", "CREQO", "CHILD", "ALLEG", "STAND", "APPRR", "CLOSE"};
  for (size_t i = 0; i < 7; i++) {
    ck_assert_int_eq(placement_ending_kind(unplanned[i]), ENDING_UNPLANNED);
  }
  ck_assert_int_eq(placement_ending_kind("CARPL"), ENDING_PLANNED);
  ck_assert_int_eq(placement_ending_kind("PLACE"), ENDING_PLANNED);
  ck_assert_int_eq(placement_ending_kind("LAREQ"), ENDING_NEEDS_PERSON);
  ck_assert_int_eq(placement_ending_kind("OTHER"), ENDING_NEEDS_PERSON);
}
END_TEST

START_TEST(placement_allowed_when_everything_fits) {
  struct placement_start_facts f = allowed_facts();
  json_t *errors = json_array();
  ck_assert_int_eq(placement_start_check(&f, errors), PLACEMENT_ALLOWED);
  ck_assert_int_eq(json_array_size(errors), 0);
  json_decref(errors);
}
END_TEST

START_TEST(placement_refusals) {
  json_t *errors = json_array();
  struct placement_start_facts f = allowed_facts();
  f.child_has_open_placement = true;
  ck_assert_int_eq(placement_start_check(&f, errors), PLACEMENT_CONFLICT);
  f = allowed_facts();
  f.carer_approval_status = "assessment";
  ck_assert_int_eq(placement_start_check(&f, errors), PLACEMENT_REFUSED);
  f = allowed_facts();
  f.carer_approved_on = (struct date){2024, 6, 1};
  ck_assert_int_eq(placement_start_check(&f, errors), PLACEMENT_REFUSED);
  f = allowed_facts();
  f.carer_children_placed = 2;
  ck_assert_int_eq(placement_start_check(&f, errors), PLACEMENT_REFUSED);
  f = allowed_facts();
  f.start = (struct date){2015, 3, 1};
  f.carer_approved_on = (struct date){2010, 1, 1};
  ck_assert_int_eq(placement_start_check(&f, errors), PLACEMENT_REFUSED);
  ck_assert_int_eq(json_array_size(errors), 4);
  json_decref(errors);
}
END_TEST

START_TEST(ending_not_before_start) {
  json_t *errors = json_array();
  ck_assert(placement_end_check((struct date){2024, 1, 1}, (struct date){2024, 1, 1}, errors));
  ck_assert(!placement_end_check((struct date){2024, 1, 2}, (struct date){2024, 1, 1}, errors));
  ck_assert_int_eq(json_array_size(errors), 1);
  json_decref(errors);
}
END_TEST

Suite *placements_suite(void) {
  Suite *s = suite_create("placements");
  TCase *tc = tcase_create("placements");
  tcase_add_test(tc, codes_are_ssda903);
  tcase_add_test(tc, unplanned_endings_per_policy_e);
  tcase_add_test(tc, placement_allowed_when_everything_fits);
  tcase_add_test(tc, placement_refusals);
  tcase_add_test(tc, ending_not_before_start);
  suite_add_tcase(s, tc);
  return s;
}
