/* domain/access.c: roles alone are not enough; relationships grant (POLICY.md "Roles"). */
#include <string.h>

#include "../../domain/access.h"
#include "unit.h"

START_TEST(csw_reaches_allocated_children_only) {
  ck_assert_uint_eq(access_child_grants(ROLE_CSW, ACCESS_READ), REL_CHILD_CSW);
  ck_assert_uint_eq(access_child_grants(ROLE_CSW, ACCESS_WRITE), REL_CHILD_CSW);
}
END_TEST

START_TEST(iro_and_ssw_read_but_never_write_children) {
  ck_assert_uint_eq(access_child_grants(ROLE_IRO, ACCESS_READ), REL_CHILD_IRO);
  ck_assert_uint_eq(access_child_grants(ROLE_IRO, ACCESS_WRITE), 0);
  ck_assert_uint_eq(access_child_grants(ROLE_SSW, ACCESS_READ), REL_CHILD_PLACED_WITH_SSW);
  ck_assert_uint_eq(access_child_grants(ROLE_SSW, ACCESS_WRITE), 0);
}
END_TEST

START_TEST(admin_and_agency_never_reach_children) {
  ck_assert_uint_eq(access_child_grants(ROLE_ADMIN, ACCESS_READ), 0);
  ck_assert_uint_eq(access_child_grants(ROLE_AGENCY, ACCESS_READ), 0);
  ck_assert(access_may_read_audit(ROLE_ADMIN));
  ck_assert(!access_may_read_audit(ROLE_TEAM_MANAGER));
}
END_TEST

START_TEST(agency_reaches_its_own_carers_only) {
  ck_assert_uint_eq(access_carer_grants(ROLE_AGENCY, ACCESS_READ), REL_OWN_AGENCY);
  ck_assert_uint_eq(access_carer_grants(ROLE_AGENCY, ACCESS_WRITE), 0);
}
END_TEST

START_TEST(team_manager_reaches_the_team) {
  ck_assert_uint_eq(access_child_grants(ROLE_TEAM_MANAGER, ACCESS_WRITE), REL_TEAM);
  ck_assert_uint_eq(access_carer_grants(ROLE_TEAM_MANAGER, ACCESS_WRITE), REL_TEAM);
  ck_assert(access_may_create_child(ROLE_TEAM_MANAGER));
  ck_assert(access_may_create_child(ROLE_CSW));
  ck_assert(!access_may_create_carer(ROLE_CSW));
  ck_assert(access_may_allocate(ROLE_TEAM_MANAGER));
  ck_assert(!access_may_allocate(ROLE_CSW));
}
END_TEST

START_TEST(relationships_as_array_literal) {
  char buf[128];
  ck_assert_str_eq(relationship_array_literal(REL_CHILD_CSW | REL_TEAM, buf, sizeof buf),
                   "{csw,team}");
  ck_assert_str_eq(relationship_array_literal(0, buf, sizeof buf), "{}");
}
END_TEST

Suite *access_suite(void) {
  Suite *s = suite_create("access");
  TCase *tc = tcase_create("access");
  tcase_add_test(tc, csw_reaches_allocated_children_only);
  tcase_add_test(tc, iro_and_ssw_read_but_never_write_children);
  tcase_add_test(tc, admin_and_agency_never_reach_children);
  tcase_add_test(tc, agency_reaches_its_own_carers_only);
  tcase_add_test(tc, team_manager_reaches_the_team);
  tcase_add_test(tc, relationships_as_array_literal);
  suite_add_tcase(s, tc);
  return s;
}
