/* domain/panels.c: M8, quorum from attendance. */
#include "../../domain/panels.h"
#include "unit.h"

static int quorate(const struct panel_seat *seats, size_t n) {
  json_t *q = panel_quorum(seats, n, 3);
  int yes = json_is_true(json_object_get(q, "quorate"));
  json_decref(q);
  return yes;
}

START_TEST(m8_deputy_chair_and_three_core_members) {
  const struct panel_seat seats[] = {{"chair", false}, {"deputy_chair", true}, {"core", true},
                                     {"core", true},   {"core", true}};
  ck_assert(quorate(seats, 5));
}
END_TEST

START_TEST(m8_optional_members_and_presenters_do_not_count) {
  const struct panel_seat seats[] = {{"chair", true}, {"core", true}, {"core", true},
                                     {"optional", true}, {"presenter", true},
                                     {"voice_ambassador", true}};
  ck_assert(!quorate(seats, 6));
}
END_TEST

START_TEST(m8_no_chair_no_quorum) {
  const struct panel_seat seats[] = {{"core", true}, {"core", true}, {"core", true},
                                     {"core", true}};
  ck_assert(!quorate(seats, 4));
  ck_assert(panel_seat_valid("deputy_chair"));
  ck_assert(!panel_seat_valid("observer"));
}
END_TEST

Suite *panels_suite(void) {
  Suite *s = suite_create("panels");
  TCase *tc = tcase_create("panels");
  tcase_add_test(tc, m8_deputy_chair_and_three_core_members);
  tcase_add_test(tc, m8_optional_members_and_presenters_do_not_count);
  tcase_add_test(tc, m8_no_chair_no_quorum);
  suite_add_tcase(s, tc);
  return s;
}
