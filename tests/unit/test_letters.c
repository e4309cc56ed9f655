/* domain/letters.c: M10's letters drafted from templates, every value HTML-escaped, the birth
 * parents found among the birth family. */
#include <stdlib.h>
#include <string.h>

#include "../../domain/letters.h"
#include "unit.h"

START_TEST(m10_values_name_the_child_the_carers_and_the_parents) {
  json_t *child = json_pack("{s:s, s:s, s:[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}]}", "given_name",
                            "Amy", "family_name", "Jones", "birth_family", "name", "Jo Jones",
                            "relationship", "Mother", "name", "Kim Jones", "relationship",
                            "aunt", "name", "Lee Jones", "relationship", "father");
  json_t *carer = json_pack("{s:[{s:s, s:s}, {s:s, s:s}]}", "carers", "given_name", "Ann",
                            "family_name", "Smith", "given_name", "Bob", "family_name", "Smith");
  struct date today = {2026, 11, 30};
  json_t *v = letter_values(LETTER_CARERS, child, carer, "2026-11-24", "2026-11-27", today);
  ck_assert_str_eq(json_string_value(json_object_get(v, "child_name")), "Amy Jones");
  ck_assert_str_eq(json_string_value(json_object_get(v, "carer_names")), "Ann Smith and Bob Smith");
  ck_assert_str_eq(json_string_value(json_object_get(v, "birth_parent_names")),
                   "Jo Jones and Lee Jones");
  ck_assert_str_eq(json_string_value(json_object_get(v, "today")), "2026-11-30");
  json_decref(v);
  /* the birth parents' letter never names the carers, whatever its template asks for */
  v = letter_values(LETTER_BIRTH_PARENTS, child, carer, "2026-11-24", "2026-11-27", today);
  ck_assert_str_eq(json_string_value(json_object_get(v, "carer_names")), "");
  ck_assert_str_eq(json_string_value(json_object_get(v, "child_name")), "Amy Jones");
  json_decref(v);
  json_decref(carer);
  json_decref(child);
}
END_TEST

START_TEST(m10_render_escapes_every_value) {
  json_t *values = json_pack("{s:s, s:s}", "child_name", "<b>Amy</b> & \"Co\"", "panel_date",
                             "2026-11-24");
  char *html = letter_render("<p>{{child_name}} on {{panel_date}}{{unknown}}.</p>{{", values);
  ck_assert_str_eq(html, "<p>&lt;b&gt;Amy&lt;/b&gt; &amp; &quot;Co&quot; on 2026-11-24.</p>{{");
  free(html);
  json_decref(values);
}
END_TEST

START_TEST(m10_letters_go_to_three_recipients) {
  enum letter_kind kind;
  ck_assert(letter_recipient_parse("birth_parents", &kind));
  ck_assert_int_eq(kind, LETTER_BIRTH_PARENTS);
  ck_assert(letter_recipient_parse("carers", &kind));
  ck_assert(letter_recipient_parse("child", &kind));
  ck_assert(!letter_recipient_parse("certificate", &kind));
  ck_assert(!letter_recipient_parse("neighbours", &kind));
  ck_assert_str_eq(letter_kind_name(LETTER_CERTIFICATE), "certificate");
}
END_TEST

Suite *letters_suite(void) {
  Suite *s = suite_create("letters");
  TCase *tc = tcase_create("letters");
  tcase_add_test(tc, m10_values_name_the_child_the_carers_and_the_parents);
  tcase_add_test(tc, m10_render_escapes_every_value);
  tcase_add_test(tc, m10_letters_go_to_three_recipients);
  suite_add_tcase(s, tc);
  return s;
}
