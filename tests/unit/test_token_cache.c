/* api/token_cache.c: a token verified once is answered from memory only while its own exp/nbf
 * window (with the clock skew) holds, only for exactly that token, and a newer token in the
 * same slot replaces an older one. */
#include <stdio.h>
#include <string.h>

#include "../../api/token_cache.h"
#include "unit.h"

static struct caller caller_of(const char *sub, time_t from, time_t until) {
  struct caller c;
  memset(&c, 0, sizeof c);
  strcpy(c.sub, sub);
  c.roles = ROLE_CSW;
  c.valid_from = from;
  c.valid_until = until;
  return c;
}

START_TEST(a_verified_token_is_remembered_within_its_window) {
  struct token_cache *cache = token_cache_create(16);
  struct caller stored = caller_of("csw-1", 1000, 5000);
  struct caller found;
  token_cache_store(cache, "aaa.bbb.ccc", &stored);
  ck_assert(token_cache_find(cache, "aaa.bbb.ccc", 3000, &found));
  ck_assert_str_eq(found.sub, "csw-1");
  ck_assert(found.roles == ROLE_CSW);
  /* exp with the 60 s skew: valid up to exp + 60, not after */
  ck_assert(token_cache_find(cache, "aaa.bbb.ccc", 5000 + AUTH_CLOCK_SKEW_SECONDS, &found));
  ck_assert(!token_cache_find(cache, "aaa.bbb.ccc", 5001 + AUTH_CLOCK_SKEW_SECONDS, &found));
  /* nbf with the skew: not before nbf - 60 */
  ck_assert(!token_cache_find(cache, "aaa.bbb.ccc", 1000 - AUTH_CLOCK_SKEW_SECONDS - 1, &found));
  token_cache_free(cache);
}
END_TEST

START_TEST(only_the_very_same_token_is_found) {
  struct token_cache *cache = token_cache_create(16);
  struct caller stored = caller_of("csw-1", 0, 5000);
  struct caller found;
  token_cache_store(cache, "aaa.bbb.ccc", &stored);
  ck_assert(!token_cache_find(cache, "aaa.bbb.ccd", 3000, &found)); /* another signature */
  ck_assert(!token_cache_find(cache, "aaa.bbb.cc", 3000, &found));  /* a prefix */
  ck_assert(!token_cache_find(cache, "aaa.bbb.ccc.", 3000, &found));
  token_cache_free(cache);
}
END_TEST

START_TEST(a_full_cache_replaces_and_never_mixes_callers) {
  struct token_cache *cache = token_cache_create(16); /* 16 slots: collisions are certain */
  char token[32];
  struct caller found;
  for (int i = 0; i < 200; i++) {
    snprintf(token, sizeof token, "token-%d", i);
    char sub[32];
    snprintf(sub, sizeof sub, "person-%d", i);
    struct caller stored = caller_of(sub, 0, 5000);
    token_cache_store(cache, token, &stored);
  }
  int remembered = 0;
  for (int i = 0; i < 200; i++) {
    snprintf(token, sizeof token, "token-%d", i);
    if (token_cache_find(cache, token, 100, &found)) {
      char sub[32];
      snprintf(sub, sizeof sub, "person-%d", i);
      ck_assert_str_eq(found.sub, sub); /* a hit is always that token's own caller */
      remembered++;
    }
  }
  ck_assert_int_le(remembered, 16);
  ck_assert_int_gt(remembered, 0);
  token_cache_free(cache);
}
END_TEST

Suite *token_cache_suite(void) {
  Suite *s = suite_create("token_cache");
  TCase *tc = tcase_create("token_cache");
  tcase_add_test(tc, a_verified_token_is_remembered_within_its_window);
  tcase_add_test(tc, only_the_very_same_token_is_found);
  tcase_add_test(tc, a_full_cache_replaces_and_never_mixes_callers);
  suite_add_tcase(s, tc);
  return s;
}
