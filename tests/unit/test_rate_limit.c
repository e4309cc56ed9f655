/* api/rate_limit.c: a subject may make a burst of requests at once, then one each refill
 * interval; a refused request is told how many whole seconds to wait; subjects never share a
 * bucket; the table is bounded and forgets the subject seen least recently, never one seen since. */
#include "../../api/rate_limit.h"
#include "unit.h"

START_TEST(a_burst_then_the_rate_with_the_wait_rounded_up) {
  struct rate_limit *limit = rate_limit_create(15, 2, 64); /* one every 4 s, two at once */
  ck_assert_uint_eq(rate_limit_take(limit, "sub:csw-1", 100.0), 0);
  ck_assert_uint_eq(rate_limit_take(limit, "sub:csw-1", 100.0), 0);
  ck_assert_uint_eq(rate_limit_take(limit, "sub:csw-1", 100.0), 4);
  ck_assert_uint_eq(rate_limit_take(limit, "sub:csw-1", 101.0), 3);   /* a quarter back */
  ck_assert_uint_eq(rate_limit_take(limit, "sub:csw-1", 103.5), 1);   /* 0.5 s left: 1 */
  ck_assert_uint_eq(rate_limit_take(limit, "sub:csw-1", 104.0), 0);
  ck_assert_uint_eq(rate_limit_take(limit, "sub:csw-1", 104.0), 4);
  rate_limit_free(limit);
}
END_TEST

START_TEST(subjects_have_buckets_of_their_own) {
  struct rate_limit *limit = rate_limit_create(60, 1, 64);
  ck_assert_uint_eq(rate_limit_take(limit, "sub:csw-1", 0.0), 0);
  ck_assert_uint_eq(rate_limit_take(limit, "sub:csw-1", 0.0), 1);
  ck_assert_uint_eq(rate_limit_take(limit, "sub:csw-2", 0.0), 0);
  ck_assert_uint_eq(rate_limit_take(limit, "address:127.0.0.1", 0.0), 0);
  ck_assert_uint_eq(rate_limit_take(limit, "", 0.0), 0);
  ck_assert_uint_eq(rate_limit_take(limit, "", 0.0), 1);
  rate_limit_free(limit);
}
END_TEST

START_TEST(an_idle_subject_gets_no_more_than_the_burst) {
  struct rate_limit *limit = rate_limit_create(60, 3, 64);
  ck_assert_uint_eq(rate_limit_take(limit, "sub:csw-1", 0.0), 0);
  for (int i = 0; i < 3; i++) {
    ck_assert_uint_eq(rate_limit_take(limit, "sub:csw-1", 86400.0), 0);
  }
  ck_assert_uint_eq(rate_limit_take(limit, "sub:csw-1", 86400.0), 1);
  rate_limit_free(limit);
}
END_TEST

START_TEST(a_full_table_forgets_the_subject_seen_least_recently) {
  /* room for 4 subjects: one set, so every subject competes for the same places; one request
   * every 4 s */
  struct rate_limit *limit = rate_limit_create(15, 1, 4);
  const char *subjects[] = {"sub:a", "sub:b", "sub:c", "sub:d"};
  for (int i = 0; i < 4; i++) {
    ck_assert_uint_eq(rate_limit_take(limit, subjects[i], 0.25 * i), 0);
  }
  ck_assert_uint_eq(rate_limit_take(limit, "sub:a", 1.0), 3);  /* refused, and seen again */
  ck_assert_uint_eq(rate_limit_take(limit, "sub:e", 1.25), 0); /* takes b's place */
  ck_assert_uint_eq(rate_limit_take(limit, "sub:a", 1.5), 3);  /* still remembered */
  ck_assert_uint_eq(rate_limit_take(limit, "sub:c", 1.75), 3); /* still remembered */
  ck_assert_uint_eq(rate_limit_take(limit, "sub:b", 2.0), 0);  /* forgotten: a fresh bucket */
  rate_limit_free(limit);
}
END_TEST

START_TEST(no_rate_or_no_burst_is_no_limiter) {
  ck_assert_ptr_null(rate_limit_create(0, 10, 64));
  ck_assert_ptr_null(rate_limit_create(10, 0, 64));
}
END_TEST

Suite *rate_limit_suite(void) {
  Suite *s = suite_create("rate_limit");
  TCase *tc = tcase_create("rate_limit");
  tcase_add_test(tc, a_burst_then_the_rate_with_the_wait_rounded_up);
  tcase_add_test(tc, subjects_have_buckets_of_their_own);
  tcase_add_test(tc, an_idle_subject_gets_no_more_than_the_burst);
  tcase_add_test(tc, a_full_table_forgets_the_subject_seen_least_recently);
  tcase_add_test(tc, no_rate_or_no_burst_is_no_limiter);
  suite_add_tcase(s, tc);
  return s;
}
