/* domain/webhooks.c: the allowlist on parsed URLs (OWASP API7), event type patterns, the retry
 * schedule and the signed string. */
#include <stdlib.h>
#include <string.h>

#include "../../domain/webhooks.h"
#include "unit.h"

#define GOOD "https://good.example/hooks/"

START_TEST(url_parse_takes_apart_and_normalises) {
  struct webhook_url u;
  ck_assert(webhook_url_parse("HTTPS://Good.Example/hooks/a?x=1", &u));
  ck_assert(u.https);
  ck_assert_str_eq(u.host, "good.example");
  ck_assert_uint_eq(u.port, 443);
  ck_assert_str_eq(u.path, "/hooks/a");
  ck_assert(webhook_url_parse("http://127.0.0.1:8080", &u));
  ck_assert(!u.https);
  ck_assert_uint_eq(u.port, 8080);
  ck_assert_str_eq(u.path, "/");
  ck_assert(webhook_url_parse("http://[::1]:9000/h", &u));
  ck_assert_str_eq(u.host, "[::1]");
  ck_assert_uint_eq(u.port, 9000);
}
END_TEST

START_TEST(url_parse_refuses_what_could_mislead) {
  struct webhook_url u;
  const char *bad[] = {
      "",
      "ftp://good.example/",
      "https:/good.example/",
      "//good.example/",
      "https://good.example@evil.net/",         /* userinfo */
      "https://user:pw@good.example/",
      "https://good.example:443@evil.net/",
      "https://evil.net#@good.example/",        /* fragment */
      "https://good.example/hooks#x",
      "https://evil.net\\@good.example/",       /* backslash */
      "https://good.example/hooks/../admin",    /* dot segments, plain and encoded */
      "https://good.example/hooks/./x",
      "https://good.example/hooks/..",
      "https://good.example/hooks/%2e%2e/admin",
      "https://good.example/hooks/.%2E/admin",
      "https://good.example/hooks%2f..%2fadmin", /* encoded slash */
      "https://good.example/hooks%5cx",
      "https://good.example/a%00b",
      "https://good.example/a%zz",
      "https://good.example/a b",
      "https://good.example:/",                  /* empty port */
      "https://good.example:0/",
      "https://good.example:65536/",
      "https://good.example:80x/",
      "https://good..example/",
      "https://.good.example/",
      "https://good_example/",
      "https://g%6fod.example/",
      "https:///path",
      "https://[::1/",
      "https://good.example/[x]",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    ck_assert_msg(!webhook_url_parse(bad[i], &u), "accepted %s", bad[i]);
  }
  char *long_url = malloc(WEBHOOK_URL_MAX + 64);
  strcpy(long_url, "https://good.example/");
  size_t start = strlen(long_url);
  memset(long_url + start, 'a', WEBHOOK_URL_MAX);
  long_url[start + WEBHOOK_URL_MAX] = '\0';
  ck_assert(!webhook_url_parse(long_url, &u));
  free(long_url);
}
END_TEST

START_TEST(allowlist_compares_parsed_urls) {
  ck_assert(webhook_url_allowed("https://good.example/hooks/", GOOD));
  ck_assert(webhook_url_allowed("https://good.example/hooks/a/b?c=d", GOOD));
  ck_assert(webhook_url_allowed("https://GOOD.example:443/hooks/x", GOOD));
  ck_assert(!webhook_url_allowed("https://good.example/hooks/../", GOOD));
  ck_assert(!webhook_url_allowed("https://good.example/hooks/%2e%2e/admin", GOOD));
  ck_assert(!webhook_url_allowed("https://good.example.evil.net/hooks/", GOOD));
  ck_assert(!webhook_url_allowed("https://good.example@evil.net/hooks/", GOOD));
  ck_assert(!webhook_url_allowed("https://evil.net/?https://good.example/hooks/", GOOD));
  ck_assert(!webhook_url_allowed("https://evil.net/hooks/", GOOD));
  ck_assert(!webhook_url_allowed("http://good.example/hooks/", GOOD)); /* scheme */
  ck_assert(!webhook_url_allowed("https://good.example:8443/hooks/", GOOD)); /* port */
  ck_assert(!webhook_url_allowed("https://good.example/other", GOOD));
  ck_assert(!webhook_url_allowed("https://good.example/hooks", GOOD)); /* above the prefix */
}
END_TEST

START_TEST(allowlist_prefix_forms) {
  /* a bare colon: any port */
  ck_assert(webhook_url_allowed("http://127.0.0.1:5000/x", "http://127.0.0.1:"));
  ck_assert(webhook_url_allowed("http://127.0.0.1/x", "http://127.0.0.1:"));
  ck_assert(!webhook_url_allowed("http://127.0.0.10:5000/x", "http://127.0.0.1:"));
  ck_assert(!webhook_url_allowed("http://127.0.0.1.evil.net:5000/", "http://127.0.0.1:"));
  /* a port: that one only, whole */
  ck_assert(webhook_url_allowed("http://127.0.0.1:80/x", "http://127.0.0.1:80"));
  ck_assert(!webhook_url_allowed("http://127.0.0.1:8080/x", "http://127.0.0.1:80"));
  /* no port: the scheme's default */
  ck_assert(webhook_url_allowed("https://good.example/x", "https://good.example"));
  ck_assert(!webhook_url_allowed("https://good.example:8443/x", "https://good.example"));
  /* a path without its slash stops at a segment boundary */
  ck_assert(webhook_url_allowed("https://good.example/hooks", "https://good.example/hooks"));
  ck_assert(webhook_url_allowed("https://good.example/hooks/a", "https://good.example/hooks"));
  ck_assert(!webhook_url_allowed("https://good.example/hooksevil", "https://good.example/hooks"));
  /* several prefixes, blanks around them, broken ones ignored */
  const char *list = " ftp://x/ , https://a.example/in/ ,, http://127.0.0.1: ";
  ck_assert(webhook_url_allowed("https://a.example/in/x", list));
  ck_assert(webhook_url_allowed("http://127.0.0.1:9/", list));
  ck_assert(!webhook_url_allowed("ftp://x/", list));
  ck_assert(!webhook_url_allowed("https://b.example/in/x", list));
  /* none configured: nowhere */
  ck_assert(!webhook_url_allowed("https://good.example/hooks/", NULL));
  ck_assert(!webhook_url_allowed("https://good.example/hooks/", ""));
}
END_TEST

START_TEST(patterns) {
  ck_assert(webhook_pattern_valid("*"));
  ck_assert(webhook_pattern_valid("match.decided"));
  ck_assert(webhook_pattern_valid("placement.*"));
  ck_assert(webhook_pattern_valid("carer_notice.wish_recorded"));
  ck_assert(!webhook_pattern_valid(""));
  ck_assert(!webhook_pattern_valid(".*"));
  ck_assert(!webhook_pattern_valid("placement.*.x"));
  ck_assert(!webhook_pattern_valid("place*"));
  ck_assert(!webhook_pattern_valid("Match.decided"));
  ck_assert(!webhook_pattern_valid("match..decided"));
  ck_assert(!webhook_pattern_valid("match.decided."));
  ck_assert(!webhook_pattern_valid("match decided"));

  ck_assert(webhook_pattern_matches("*", "anything.at_all"));
  ck_assert(webhook_pattern_matches("match.decided", "match.decided"));
  ck_assert(!webhook_pattern_matches("match.decided", "match.decided_again"));
  ck_assert(webhook_pattern_matches("placement.*", "placement.ended"));
  ck_assert(!webhook_pattern_matches("placement.*", "placement"));
  ck_assert(!webhook_pattern_matches("placement.*", "placements.ended"));
  ck_assert(!webhook_pattern_matches("placement.*", "carer.placement.ended"));

  const char *list[] = {"match.decided", "placement.*"};
  ck_assert(webhook_patterns_match(list, 2, "placement.started"));
  ck_assert(webhook_patterns_match(list, 2, "match.decided"));
  ck_assert(!webhook_patterns_match(list, 2, "match.proposed"));
  ck_assert(!webhook_patterns_match(list, 0, "match.decided"));
}
END_TEST

START_TEST(backoff_doubles_up_to_an_hour) {
  ck_assert_int_eq(webhook_backoff_seconds(0), 0);
  ck_assert_int_eq(webhook_backoff_seconds(1), WEBHOOK_BACKOFF_BASE_SECONDS);
  ck_assert_int_eq(webhook_backoff_seconds(2), 2 * WEBHOOK_BACKOFF_BASE_SECONDS);
  ck_assert_int_eq(webhook_backoff_seconds(3), 4 * WEBHOOK_BACKOFF_BASE_SECONDS);
  ck_assert_int_eq(webhook_backoff_seconds(12), 2048 * WEBHOOK_BACKOFF_BASE_SECONDS);
  ck_assert_int_eq(webhook_backoff_seconds(13), WEBHOOK_BACKOFF_CAP_SECONDS);
  ck_assert_int_eq(webhook_backoff_seconds(1000), WEBHOOK_BACKOFF_CAP_SECONDS);
  /* a day of retries is some 35 attempts, not thousands */
  long total = 0;
  int attempts = 0;
  while (total < WEBHOOK_RETRY_WINDOW_SECONDS) {
    total += webhook_backoff_seconds(++attempts);
  }
  ck_assert_int_lt(attempts, 40);
}
END_TEST

START_TEST(signed_string_and_header) {
  size_t length = 0;
  char *s = webhook_signed_string(1700000000LL, "{\"a\":1}xyz", 7, &length);
  ck_assert_str_eq(s, "1700000000.{\"a\":1}");
  ck_assert_uint_eq(length, strlen(s));
  free(s);
  unsigned char mac[32];
  for (int i = 0; i < 32; i++) {
    mac[i] = (unsigned char)(i * 8 + 1);
  }
  char header[72];
  webhook_signature_header(mac, header);
  ck_assert_str_eq(header,
                   "sha256=0109111921293139414951596169717981899199a1a9b1b9c1c9d1d9e1e9f1f9");
}
END_TEST

Suite *webhooks_suite(void) {
  Suite *s = suite_create("webhooks");
  TCase *tc = tcase_create("webhooks");
  tcase_add_test(tc, url_parse_takes_apart_and_normalises);
  tcase_add_test(tc, url_parse_refuses_what_could_mislead);
  tcase_add_test(tc, allowlist_compares_parsed_urls);
  tcase_add_test(tc, allowlist_prefix_forms);
  tcase_add_test(tc, patterns);
  tcase_add_test(tc, backoff_doubles_up_to_an_hour);
  tcase_add_test(tc, signed_string_and_header);
  suite_add_tcase(s, tc);
  return s;
}
