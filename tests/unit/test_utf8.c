/* domain/utf8.c: the sequences PostgreSQL accepts, and the ones it refuses. */
#include "../../domain/utf8.h"
#include "unit.h"

static size_t length_of(const char *bytes) {
  return utf8_sequence_length((const unsigned char *)bytes);
}

START_TEST(valid_sequences_of_one_to_four_bytes) {
  ck_assert_uint_eq(length_of("a"), 1);
  ck_assert_uint_eq(length_of("\xC3\xA9"), 2);         /* é */
  ck_assert_uint_eq(length_of("\xE2\x82\xAC"), 3);     /* € */
  ck_assert_uint_eq(length_of("\xF0\x9F\x98\x80"), 4); /* an emoji */
  ck_assert_uint_eq(length_of("\xF4\x8F\xBF\xBF"), 4); /* U+10FFFF */
}
END_TEST

START_TEST(what_postgresql_refuses) {
  ck_assert_uint_eq(length_of("\x80"), 0);             /* a lone continuation byte */
  ck_assert_uint_eq(length_of("\xC0\xAF"), 0);         /* an overlong '/' */
  ck_assert_uint_eq(length_of("\xE0\x80\xAF"), 0);     /* overlong in three bytes */
  ck_assert_uint_eq(length_of("\xED\xA0\x80"), 0);     /* a surrogate */
  ck_assert_uint_eq(length_of("\xF4\x90\x80\x80"), 0); /* above U+10FFFF */
  ck_assert_uint_eq(length_of("\xE2\x82"), 0);         /* cut short by the end */
  ck_assert_uint_eq(length_of("\xFF"), 0);
}
END_TEST

Suite *utf8_suite(void) {
  Suite *s = suite_create("utf8");
  TCase *tc = tcase_create("utf8");
  tcase_add_test(tc, valid_sequences_of_one_to_four_bytes);
  tcase_add_test(tc, what_postgresql_refuses);
  suite_add_tcase(s, tc);
  return s;
}
