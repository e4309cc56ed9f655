/* domain/carer_submissions.c: whose submission a caller reaches, an agency's profile, the
 * fields a reason may name, and which version is open to a decision. */
#include <string.h>

#include "../../domain/carer_submissions.h"
#include "../../domain/records.h"
#include "unit.h"

static const struct date TODAY = {2026, 11, 24};

/* Whether errors name `field`. */
static int names(const json_t *errors, const char *field) {
  size_t i;
  const json_t *e;
  json_array_foreach(errors, i, e) {
    if (strcmp(json_string_value(json_object_get(e, "field")), field) == 0) {
      return 1;
    }
  }
  return 0;
}

static json_t *profile(void) {
  return json_pack("{s:[{s:s, s:s}], s:{s:s, s:s, s:i, s:i}, s:s}", "carers", "given_name",
                   "Alex", "family_name", "Carer", "approval", "status", "approved",
                   "approved_on", "2024-01-01", "age_from", 0, "age_to", 17, "postcode",
                   "SW1A 1AA");
}

START_TEST(agency_reaches_only_its_own) {
  ck_assert_int_eq(carer_submission_reach(ROLE_AGENCY, "acme", "acme", true), CS_REACH_AGENCY);
  ck_assert_int_eq(carer_submission_reach(ROLE_AGENCY, "acme", "acme", false), CS_REACH_AGENCY);
  ck_assert_int_eq(carer_submission_reach(ROLE_AGENCY, "acme", "other", true), CS_REACH_HIDDEN);
  ck_assert_int_eq(carer_submission_reach(ROLE_AGENCY, "acme", "other", false), CS_REACH_HIDDEN);
  ck_assert_int_eq(carer_submission_reach(ROLE_AGENCY, "", "", false), CS_REACH_HIDDEN);
  ck_assert_int_eq(carer_submission_reach(ROLE_AGENCY, "acme", "acmex", false), CS_REACH_HIDDEN);
}
END_TEST

START_TEST(fostering_team_reads_and_never_submits) {
  ck_assert_int_eq(carer_submission_reach(ROLE_SSW, "", "acme", false), CS_REACH_TEAM);
  ck_assert_int_eq(carer_submission_reach(ROLE_TEAM_MANAGER, "", "acme", false), CS_REACH_TEAM);
  ck_assert_int_eq(carer_submission_reach(ROLE_TEAM_MANAGER, "", "acme", true),
                   CS_REACH_FORBIDDEN);
  ck_assert_int_eq(carer_submission_reach(ROLE_CSW, "", "acme", false), CS_REACH_FORBIDDEN);
  ck_assert_int_eq(carer_submission_reach(ROLE_FAMILY_FINDER, "", "acme", false),
                   CS_REACH_FORBIDDEN);
  ck_assert_int_eq(carer_submission_reach(ROLE_ADMIN, "", "acme", false), CS_REACH_FORBIDDEN);
  ck_assert(carer_submission_team_may_decide(ROLE_SSW));
  ck_assert(carer_submission_team_may_decide(ROLE_TEAM_MANAGER | ROLE_CSW));
  ck_assert(!carer_submission_team_may_decide(ROLE_AGENCY));
  ck_assert(!carer_submission_team_may_decide(ROLE_CSW | ROLE_FAMILY_FINDER | ROLE_ADMIN));
}
END_TEST

START_TEST(profile_takes_the_path_agency) {
  json_t *absent = profile();
  json_t *same = profile();
  json_t *other = profile();
  json_t *errors = json_array();
  json_object_set_new(same, "agency_id", json_string("acme"));
  json_object_set_new(other, "agency_id", json_string("rival"));
  ck_assert(carer_submission_profile_check(absent, "acme", TODAY, errors));
  ck_assert_str_eq(json_string_value(json_object_get(absent, "agency_id")), "acme");
  ck_assert(carer_submission_profile_check(same, "acme", TODAY, errors));
  ck_assert_int_eq(json_array_size(errors), 0);
  ck_assert(!carer_submission_profile_check(other, "acme", TODAY, errors));
  ck_assert(names(errors, "agency_id"));
  ck_assert_int_eq(json_array_size(errors), 1);
  json_decref(errors);
  json_decref(absent);
  json_decref(same);
  json_decref(other);
}
END_TEST

START_TEST(profile_names_every_field) {
  json_t *doc = json_pack("{s:[{s:s}], s:{s:s, s:i, s:i}, s:s, s:s, s:i}", "carers",
                          "given_name", "A", "approval", "status", "approved", "age_from", 9,
                          "age_to", 3, "postcode", "nowhere", "id", "x", "agency_id", 7);
  json_t *errors = json_array();
  ck_assert(!carer_submission_profile_check(doc, "acme", TODAY, errors));
  ck_assert(names(errors, "carers[0].family_name"));
  ck_assert(names(errors, "approval.approved_on"));
  ck_assert(names(errors, "approval.age_to"));
  ck_assert(names(errors, "postcode"));
  ck_assert(names(errors, "id"));
  ck_assert(names(errors, "agency_id"));
  json_decref(errors);
  json_decref(doc);
}
END_TEST

START_TEST(reason_paths_name_profile_fields) {
  static const char *const good[] = {
      "carers",       "carers[0]",        "carers[1].family_name", "approval",
      "approval.age_to", "approval.status", "postcode",            "skills[49]",
      "languages[0]", "household_members[19].date_of_birth", "external_ids[0].system",
      "background",   "home_environment", "supports",              "religion",
      "address"};
  static const char *const bad[] = {
      "",               "id",                 "team",            "agency_id",
      "version",        "carers[2]",          "carers[0].age",   "carers.family_name",
      "carers[01]",     "carers[-1]",         "carers[]",        "carers[0",
      "approval.",      "approval[0]",        "approval.status.x", ".postcode",
      "postcode[0]",    "skills[50]",         "skills[0].name",  "languages[99999999999999999999]",
      "nickname",       "carers[0]family_name", "Postcode",      "approval..status"};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    ck_assert_msg(carer_submission_field_path_valid(good[i]), "%s refused", good[i]);
  }
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    ck_assert_msg(!carer_submission_field_path_valid(bad[i]), "%s accepted", bad[i]);
  }
  ck_assert(!carer_submission_field_path_valid(NULL));
}
END_TEST

/* Every top-level field a reason may name is a field of the carer's document (so the two lists
 * do not drift apart unnoticed). */
START_TEST(reason_fields_are_carer_fields) {
  static const char *const fields[] = {"carers",    "approval",         "address",
                                       "postcode",  "languages",        "religion",
                                       "skills",    "background",       "home_environment",
                                       "supports",  "household_members", "external_ids",
                                       "ethnicities", "pets"};
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
    json_t *doc = profile();
    json_t *errors = json_array();
    if (strcmp(fields[i], "carers") != 0 && strcmp(fields[i], "approval") != 0) {
      json_object_set_new(doc, fields[i], json_null());
    }
    carer_validate(doc, TODAY, errors);
    ck_assert_msg(!names(errors, fields[i]), "%s is not a carer field", fields[i]);
    ck_assert(carer_submission_field_path_valid(fields[i]));
    json_decref(errors);
    json_decref(doc);
  }
}
END_TEST

START_TEST(return_needs_reasons_naming_fields) {
  json_t *none = json_object();
  json_t *empty = json_pack("{s:[]}", "reasons");
  json_t *bad = json_pack("{s:[{s:s, s:s}, {s:s, s:s}, {s:s}], s:i, s:s}", "reasons", "field",
                          "carers[0].family_name", "reason", "Spell it as on the passport",
                          "field", "favourite_food", "reason", "x", "field", "postcode",
                          "version", 0, "note", "x");
  json_t *good = json_pack("{s:[{s:s, s:s}], s:i}", "reasons", "field", "approval.age_to",
                           "reason", "The panel approved up to 11", "version", 2);
  json_t *errors = json_array();
  ck_assert(!carer_submission_return_check(none, errors));
  ck_assert(names(errors, "reasons"));
  json_array_clear(errors);
  ck_assert(!carer_submission_return_check(empty, errors));
  ck_assert(names(errors, "reasons"));
  json_array_clear(errors);
  ck_assert(!carer_submission_return_check(bad, errors));
  ck_assert(!names(errors, "reasons[0].field"));
  ck_assert(names(errors, "reasons[1].field"));
  ck_assert(names(errors, "reasons[2].reason"));
  ck_assert(names(errors, "version"));
  ck_assert(names(errors, "note"));
  json_array_clear(errors);
  ck_assert(carer_submission_return_check(good, errors));
  ck_assert(carer_submission_accept_check(none, errors));
  ck_assert(!carer_submission_accept_check(bad, errors));
  json_decref(errors);
  json_decref(none);
  json_decref(empty);
  json_decref(bad);
  json_decref(good);
}
END_TEST

START_TEST(only_the_latest_submitted_version_is_decided) {
  ck_assert_ptr_null(carer_submission_decision_conflict("submitted", 3, 0));
  ck_assert_ptr_null(carer_submission_decision_conflict("submitted", 3, 3));
  ck_assert_ptr_nonnull(carer_submission_decision_conflict("submitted", 3, 2));
  ck_assert_ptr_nonnull(carer_submission_decision_conflict("submitted", 3, 4));
  ck_assert_ptr_nonnull(carer_submission_decision_conflict("returned", 3, 0));
  ck_assert_ptr_nonnull(carer_submission_decision_conflict("accepted", 3, 3));
}
END_TEST

START_TEST(later_acceptance_keeps_case_system_ids) {
  json_t *current = json_pack("{s:s, s:[{s:s, s:s}]}", "religion", "old", "external_ids",
                              "system", "mosaic", "id", "C-1");
  json_t *sent = profile();
  json_t *doc = carer_submission_carer_doc(current, sent);
  ck_assert_ptr_nonnull(json_object_get(doc, "external_ids"));
  ck_assert_ptr_null(json_object_get(doc, "religion")); /* the profile replaces the rest */
  ck_assert_ptr_null(json_object_get(sent, "external_ids")); /* the profile is not changed */
  json_decref(doc);
  json_object_set_new(sent, "external_ids", json_pack("[{s:s, s:s}]", "system", "agency",
                                                      "id", "A-9"));
  doc = carer_submission_carer_doc(current, sent);
  ck_assert_str_eq(json_string_value(json_object_get(
                       json_array_get(json_object_get(doc, "external_ids"), 0), "system")),
                   "agency");
  json_decref(doc);
  json_decref(sent);
  json_decref(current);
}
END_TEST

Suite *carer_submissions_suite(void) {
  Suite *s = suite_create("carer_submissions");
  TCase *tc = tcase_create("carer_submissions");
  tcase_add_test(tc, agency_reaches_only_its_own);
  tcase_add_test(tc, fostering_team_reads_and_never_submits);
  tcase_add_test(tc, profile_takes_the_path_agency);
  tcase_add_test(tc, profile_names_every_field);
  tcase_add_test(tc, reason_paths_name_profile_fields);
  tcase_add_test(tc, reason_fields_are_carer_fields);
  tcase_add_test(tc, return_needs_reasons_naming_fields);
  tcase_add_test(tc, only_the_latest_submitted_version_is_decided);
  tcase_add_test(tc, later_acceptance_keeps_case_system_ids);
  suite_add_tcase(s, tc);
  return s;
}
