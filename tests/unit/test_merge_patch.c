/* domain/merge_patch.c: RFC 7396 and the audit's changed fields. */
#include "../../domain/merge_patch.h"
#include "unit.h"

START_TEST(rfc7396_examples) {
  json_t *target = json_loads("{\"a\":\"b\",\"c\":{\"d\":\"e\",\"f\":\"g\"}}", 0, NULL);
  json_t *patch = json_loads("{\"a\":\"z\",\"c\":{\"f\":null}}", 0, NULL);
  json_t *expected = json_loads("{\"a\":\"z\",\"c\":{\"d\":\"e\"}}", 0, NULL);
  json_t *result = merge_patch_apply(target, patch);
  ck_assert(json_equal(result, expected));
  ck_assert_str_eq(json_string_value(json_object_get(target, "a")), "b");
  json_decref(result);
  json_decref(expected);
  json_decref(patch);
  json_decref(target);
}
END_TEST

START_TEST(changed_fields_only) {
  json_t *before = json_loads("{\"a\":1,\"b\":2,\"c\":3}", 0, NULL);
  json_t *after = json_loads("{\"a\":1,\"b\":5,\"d\":4}", 0, NULL);
  json_t *changes = changed_fields(before, after);
  json_t *expected = json_loads("{\"before\":{\"b\":2,\"c\":3},\"after\":{\"b\":5,\"d\":4}}", 0, NULL);
  ck_assert(json_equal(changes, expected));
  json_decref(expected);
  json_decref(changes);
  json_decref(after);
  json_decref(before);
}
END_TEST

Suite *merge_patch_suite(void) {
  Suite *s = suite_create("merge_patch");
  TCase *tc = tcase_create("merge_patch");
  tcase_add_test(tc, rfc7396_examples);
  tcase_add_test(tc, changed_fields_only);
  suite_add_tcase(s, tc);
  return s;
}
