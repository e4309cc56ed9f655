/* domain/schema.c and domain/records.c: every offending field named, cross-field rules. */
#include <string.h>

#include "../../domain/records.h"
#include "../../domain/schema.h"
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

START_TEST(child_valid_document_passes) {
  json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:{s:s}, s:[{s:s, s:s}]}", "given_name", "Amy",
                          "family_name", "Jones", "date_of_birth", "2015-03-02", "legal_status",
                          "C2", "profile", "history", "text", "external_ids", "system", "eclipse",
                          "id", "1");
  json_t *errors = json_array();
  ck_assert(child_validate(doc, TODAY, errors));
  ck_assert_int_eq(json_array_size(errors), 0);
  json_decref(errors);
  json_decref(doc);
}
END_TEST

START_TEST(child_every_problem_is_named) {
  json_t *doc = json_pack("{s:s, s:s, s:s, s:i, s:{s:s}, s:s}", "given_name", "",
                          "date_of_birth", "2027-01-01", "legal_status", "XX", "bogus", 1,
                          "profile", "hobbies", "x", "id", "set-by-client");
  json_t *errors = json_array();
  ck_assert(!child_validate(doc, TODAY, errors));
  ck_assert(names(errors, "given_name"));
  ck_assert(names(errors, "family_name"));
  ck_assert(names(errors, "date_of_birth"));
  ck_assert(names(errors, "legal_status"));
  ck_assert(names(errors, "bogus"));
  ck_assert(names(errors, "profile.hobbies"));
  ck_assert(names(errors, "id"));
  json_decref(errors);
  json_decref(doc);
}
END_TEST

START_TEST(child_care_entry_not_before_birth) {
  json_t *doc = json_pack("{s:s, s:s, s:s, s:s}", "given_name", "A", "family_name", "B",
                          "date_of_birth", "2015-03-02", "entered_care_on", "2015-03-01");
  json_t *errors = json_array();
  ck_assert(!child_validate(doc, TODAY, errors));
  ck_assert(names(errors, "entered_care_on"));
  json_decref(errors);
  json_decref(doc);
}
END_TEST

START_TEST(external_ids_name_a_system_once) {
  json_t *doc = json_pack("{s:s, s:s, s:s, s:[{s:s, s:s}, {s:s, s:s}]}", "given_name", "A",
                          "family_name", "B", "date_of_birth", "2015-03-02", "external_ids",
                          "system", "mosaic", "id", "1", "system", "mosaic", "id", "2");
  json_t *errors = json_array();
  ck_assert(!child_validate(doc, TODAY, errors));
  ck_assert(names(errors, "external_ids"));
  json_decref(errors);
  json_decref(doc);
}
END_TEST

START_TEST(carer_approval_and_postcode_checked) {
  json_t *doc = json_pack("{s:[{s:s}], s:{s:s, s:i, s:i}, s:s}", "carers", "given_name", "Pat",
                          "approval", "status", "approved", "age_from", 10, "age_to", 5,
                          "postcode", "not a postcode");
  json_t *errors = json_array();
  ck_assert(!carer_validate(doc, TODAY, errors));
  ck_assert(names(errors, "carers[0].family_name"));
  ck_assert(names(errors, "approval.approved_on"));
  ck_assert(names(errors, "approval.age_to"));
  ck_assert(names(errors, "postcode"));
  json_decref(errors);
  json_decref(doc);
}
END_TEST

START_TEST(carer_valid_household_passes) {
  json_t *doc = json_pack("{s:[{s:s, s:s}], s:{s:s, s:s, s:i}, s:s}", "carers", "given_name",
                          "Pat", "family_name", "Lee", "approval", "status", "approved",
                          "approved_on", "2020-01-01", "max_children", 2, "postcode", "sn1 1aa");
  json_t *errors = json_array();
  ck_assert(carer_validate(doc, TODAY, errors));
  json_decref(errors);
  json_decref(doc);
}
END_TEST

START_TEST(person_roles_and_id_checked) {
  json_t *doc = json_pack("{s:s, s:s, s:[s], s:s}", "id", "bad id!", "name", "X", "roles",
                          "wizard", "email", "nope");
  json_t *errors = json_array();
  ck_assert(!person_validate(doc, errors));
  ck_assert(names(errors, "id"));
  ck_assert(names(errors, "roles[0]"));
  ck_assert(names(errors, "email"));
  json_decref(errors);
  json_decref(doc);
}
END_TEST

Suite *records_suite(void) {
  Suite *s = suite_create("records");
  TCase *tc = tcase_create("records");
  tcase_add_test(tc, child_valid_document_passes);
  tcase_add_test(tc, child_every_problem_is_named);
  tcase_add_test(tc, child_care_entry_not_before_birth);
  tcase_add_test(tc, external_ids_name_a_system_once);
  tcase_add_test(tc, carer_approval_and_postcode_checked);
  tcase_add_test(tc, carer_valid_household_passes);
  tcase_add_test(tc, person_roles_and_id_checked);
  suite_add_tcase(s, tc);
  return s;
}

/* Keeps schema.c's own helpers honest. */
START_TEST(uuid_shape) {
  ck_assert(schema_is_uuid("1dac45ca-c439-4f5d-a93d-feea1e655276"));
  ck_assert(!schema_is_uuid("1dac45ca-c439-4f5d-a93d-feea1e65527"));
  ck_assert(!schema_is_uuid("1dac45ca_c439-4f5d-a93d-feea1e655276"));
  ck_assert(!schema_is_uuid("zdac45ca-c439-4f5d-a93d-feea1e655276"));
}
END_TEST

START_TEST(int_range_and_length) {
  const struct field_spec fields[] = {
      {.name = "n", .type = FIELD_INT, .min = 1, .max = 3},
      {.name = "s", .type = FIELD_STRING, .max_length = 3},
  };
  const struct schema schema = {fields, 2};
  json_t *ok = json_pack("{s:i, s:s}", "n", 3, "s", "\xc3\xa9\xc3\xa9\xc3\xa9");
  json_t *bad = json_pack("{s:i, s:s}", "n", 4, "s", "abcd");
  json_t *errors = json_array();
  ck_assert(schema_validate(&schema, ok, "", errors));
  ck_assert(!schema_validate(&schema, bad, "", errors));
  ck_assert_int_eq(json_array_size(errors), 2);
  json_decref(errors);
  json_decref(ok);
  json_decref(bad);
}
END_TEST

Suite *schema_suite(void) {
  Suite *s = suite_create("schema");
  TCase *tc = tcase_create("schema");
  tcase_add_test(tc, uuid_shape);
  tcase_add_test(tc, int_range_and_length);
  suite_add_tcase(s, tc);
  return s;
}
