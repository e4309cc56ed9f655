/* api/auth.c: each JWT attack CONVENTIONS.md lists is refused; a good token passes. The RSA
 * pair below is a throw-away key made for these tests only. */
#include <jansson.h>
#include <jwt.h>
#include <stdlib.h>
#include <string.h>

#include "../../api/auth.h"
#include "unit.h"

static const char SECRET[] = "unit-test-secret-of-at-least-32-bytes!!";
static const char RSA_PRIVATE[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC6ynz6FQswahAn\n"
    "Y2BU+6q3p3J3Jql+mbRopd09d3oFJOrlkRdQDc/2h8wKG3hQIYJ4xKR6zmWhXoEf\n"
    "lrAU264rRPbRX0i25vFQV89VHnw8Q5INkrJ82G5dLarGTqYKIyjtCtSoTz1vlEv/\n"
    "yEN7PNLr1hj9W7THs7Yjo1kX6GBQzbtZyDQp6ey9dGJAWC2T+IOQwEdk0S4TAz0J\n"
    "emd7jPVIPshapA0HxtB6fpvBm5IMli4m0sLiLyq6HMoDNi0Y7UCzPtjVkolcRjbL\n"
    "57huz9FytiT9o4HIjjo/Hp7eUWxAS1fltwYThb2kYSu2Sro8CJNGdDL8pIkd97TF\n"
    "Q6HCXil/AgMBAAECggEAQ83L9wWbhawCiCG5LrAaJMdqNBk7LoMB63jF6hGMIADq\n"
    "KYH0+fDBnEZoCQU2s7OuRkNvR0rTtnN1IK/U5AVoYDmM9KyHWylS0GzHjKjfxQps\n"
    "InQtSUdRLI6uroSPHh/sM7uaPSxiazXkLomWAU6va79QW+uloFY6WA5sAVMvXzTo\n"
    "LEP9zaXtauZ4JxJj48QaPAsDBK325f2WkI2g8vQJVblvoPDwvUkVJD8BjfAR3Cte\n"
    "YPIMvUR0JQts/+uRYSX0mVL4WGjvfZC/6UCzW9vsKD29/0yLCFB/tGAZUrnYOis2\n"
    "OynfJQh3m+FPyVDtiDLnV39rOreICPs9IV/AaUhZ/QKBgQDgnATFD2VE9Qkiqqdt\n"
    "8jIs1CH4/3FqcxjdCHPqbgEJ6kL346c+Xw2ewCqUk8iqlnPPsFRGzfV4umfKMxKO\n"
    "vihXgfzE+Sp0x+gh///fwJPjewyny4h3nKPVo0dwa2bZdrrZmmCuH0Ef5I0qEjN2\n"
    "el++v8odnWWWRX+4sKSaY9IpowKBgQDU5WqGhKQkOxyGfSTdt9iDpB5ChOS0kKgQ\n"
    "mMEKwkivx8cq3qSBafCizoqRM2myDqMsQPmKaik5+bp/aJGVH+hztgWWgFvg4Mo2\n"
    "wiOICAFQXr5FfZ7wkpH/A9kkqIEonQJK4nxizWXdx3rok74W6I+2pMbA/OG3sSO1\n"
    "VLA6LWB2dQKBgHMyEZAv0TSIp+LLu4s8CFfNhI78E+MQnNPgHfNB7+5x417Xt1LZ\n"
    "1VZyIGSLVwOGnmcKfG7D+v2sPMcLYp0rEe2vkUBEum2iiX/GmCjdz/t/hIIadSdD\n"
    "gxNy5pTVwK4Pos0vzB4BkZkV0wCczSAaqzhdjP+bVhq4EkVa81DrmUIZAoGANcuC\n"
    "j1sU3tLQ8mrM1fmOjDT8MHLEF5w123u9y6osE763ZO29Q7YxR/JIsUf8fTGVqakB\n"
    "ZShOIognx+n0X2ogopxr7QuiK8ChWBTWRZlAO7609Xo4nzFqErY2OD0b5ddGrQVt\n"
    "yMl94/xz4jDy53b8WXppfnpnzrLEAx3TKeAtb8ECgYEAnJX+t12wbf1jnCkURbuo\n"
    "5CULuA5hUbo5kdzeGee0s8FscsauuZuvVxsCfqTkTwHZ9r1VqTcLpRSulRhB0N2Z\n"
    "6NuT1wq46IDApZwZC0uZ8i4Z9TSzCnxggTfld3OxhxDZk4rcMBIFQWsa1yfAeJ0k\n"
    "BXnQf+EhRfNlJZ30ioCkPjs=\n"
    "-----END PRIVATE KEY-----\n";
static const char RSA_PUBLIC[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAusp8+hULMGoQJ2NgVPuq\n"
    "t6dydyapfpm0aKXdPXd6BSTq5ZEXUA3P9ofMCht4UCGCeMSkes5loV6BH5awFNuu\n"
    "K0T20V9ItubxUFfPVR58PEOSDZKyfNhuXS2qxk6mCiMo7QrUqE89b5RL/8hDezzS\n"
    "69YY/Vu0x7O2I6NZF+hgUM27Wcg0KensvXRiQFgtk/iDkMBHZNEuEwM9CXpne4z1\n"
    "SD7IWqQNB8bQen6bwZuSDJYuJtLC4i8quhzKAzYtGO1Asz7Y1ZKJXEY2y+e4bs/R\n"
    "crYk/aOByI46Px6e3lFsQEtX5bcGE4W9pGErtkq6PAiTRnQy/KSJHfe0xUOhwl4p\n"
    "fwIDAQAB\n"
    "-----END PUBLIC KEY-----\n";

static const time_t NOW = 1790000000;

static struct jwt_policy hs_policy(void) {
  struct jwt_policy p = {JWT_ALG_HS256, (const unsigned char *)SECRET, strlen(SECRET), "iss-1",
                         "aud-1"};
  return p;
}

/* Signs `claims_json` with alg and key; the caller frees the token. */
static char *sign(const char *claims_json, jwt_alg_t alg, const char *key) {
  jwt_t *jwt = NULL;
  ck_assert_int_eq(jwt_new(&jwt), 0);
  ck_assert_int_eq(jwt_add_grants_json(jwt, claims_json), 0);
  ck_assert_int_eq(jwt_set_alg(jwt, alg, (const unsigned char *)key, key != NULL ? (int)strlen(key) : 0), 0);
  char *token = jwt_encode_str(jwt);
  jwt_free(jwt);
  return token;
}

/* Claims valid at NOW, with `extra` JSON members merged over them. */
static char *claims(const char *extra) {
  json_t *c = json_pack("{s:s, s:[s], s:I, s:s, s:s}", "sub", "u-csw1", "roles", "csw", "exp",
                        (json_int_t)(NOW + 600), "iss", "iss-1", "aud", "aud-1");
  json_t *e = json_loads(extra, 0, NULL);
  json_object_update(c, e);
  const char *key;
  json_t *value;
  void *tmp;
  json_object_foreach_safe(c, tmp, key, value) {
    if (json_is_null(value)) {
      json_object_del(c, key);
    }
  }
  char *text = json_dumps(c, JSON_COMPACT);
  json_decref(e);
  json_decref(c);
  return text;
}

/* Verifies a token signed HS256 with SECRET over claims(extra); returns the verdict. */
static int verify_hs(const char *extra, struct caller *caller) {
  char *c = claims(extra);
  char *token = sign(c, JWT_ALG_HS256, SECRET);
  struct jwt_policy p = hs_policy();
  const char *reason = NULL;
  int rc = auth_verify_token(&p, token, NOW, caller, &reason);
  free(token);
  free(c);
  return rc;
}

START_TEST(good_token_passes) {
  struct caller caller;
  ck_assert_int_eq(verify_hs("{\"roles\":[\"csw\",\"iro\",\"wizard\"]}", &caller), 0);
  ck_assert_str_eq(caller.sub, "u-csw1");
  ck_assert_uint_eq(caller.roles, ROLE_CSW | ROLE_IRO);
  ck_assert_str_eq(caller.roles_literal, "{csw,iro}");
}
END_TEST

START_TEST(expired_and_not_yet_valid_refused) {
  struct caller caller;
  char extra[128];
  snprintf(extra, sizeof extra, "{\"exp\":%ld}", (long)(NOW - 61));
  ck_assert_int_eq(verify_hs(extra, &caller), -1);
  snprintf(extra, sizeof extra, "{\"exp\":%ld}", (long)(NOW - 30));
  ck_assert_int_eq(verify_hs(extra, &caller), 0); /* within the 60 s skew */
  snprintf(extra, sizeof extra, "{\"nbf\":%ld}", (long)(NOW + 120));
  ck_assert_int_eq(verify_hs(extra, &caller), -1);
  ck_assert_int_eq(verify_hs("{\"exp\":null}", &caller), -1);
  ck_assert_int_eq(verify_hs("{\"exp\":\"soon\"}", &caller), -1);
}
END_TEST

START_TEST(issuer_audience_subject_checked) {
  struct caller caller;
  ck_assert_int_eq(verify_hs("{\"iss\":\"someone-else\"}", &caller), -1);
  ck_assert_int_eq(verify_hs("{\"aud\":\"other-api\"}", &caller), -1);
  ck_assert_int_eq(verify_hs("{\"aud\":[\"x\",\"aud-1\"]}", &caller), 0);
  ck_assert_int_eq(verify_hs("{\"sub\":null}", &caller), -1);
  ck_assert_int_eq(verify_hs("{\"sub\":\"has space\"}", &caller), -1);
  ck_assert_int_eq(verify_hs("{\"roles\":\"csw\"}", &caller), -1);
  ck_assert_int_eq(verify_hs("{\"roles\":[\"agency\"]}", &caller), -1);
  ck_assert_int_eq(verify_hs("{\"roles\":[\"agency\"],\"agency_id\":\"ifa-1\"}", &caller), 0);
  ck_assert_str_eq(caller.agency_id, "ifa-1");
}
END_TEST

START_TEST(alg_none_refused) {
  struct jwt_policy p = hs_policy();
  struct caller caller;
  const char *reason;
  char *c = claims("{}");
  char *token = sign(c, JWT_ALG_NONE, NULL);
  ck_assert_int_eq(auth_verify_token(&p, token, NOW, &caller, &reason), -1);
  free(token);
  free(c);
}
END_TEST

START_TEST(null_key_refused) {
  struct jwt_policy p = hs_policy();
  p.key = NULL;
  p.key_length = 0;
  struct caller caller;
  const char *reason;
  char *c = claims("{}");
  char *token = sign(c, JWT_ALG_HS256, SECRET);
  ck_assert_int_eq(auth_verify_token(&p, token, NOW, &caller, &reason), -1);
  free(token);
  free(c);
}
END_TEST

START_TEST(tampered_payload_and_wrong_secret_refused) {
  struct jwt_policy p = hs_policy();
  struct caller caller;
  const char *reason;
  char *c = claims("{}");
  char *token = sign(c, JWT_ALG_HS256, "another-secret-that-is-also-32-bytes-long");
  ck_assert_int_eq(auth_verify_token(&p, token, NOW, &caller, &reason), -1);
  free(token);
  token = sign(c, JWT_ALG_HS256, SECRET);
  char *payload = strchr(token, '.') + 1;
  payload[5] = payload[5] == 'A' ? 'B' : 'A';
  ck_assert_int_eq(auth_verify_token(&p, token, NOW, &caller, &reason), -1);
  free(token);
  free(c);
}
END_TEST

START_TEST(hs256_signed_with_rsa_public_key_refused) {
  struct jwt_policy p = {JWT_ALG_RS256, (const unsigned char *)RSA_PUBLIC, strlen(RSA_PUBLIC),
                         "iss-1", "aud-1"};
  struct caller caller;
  const char *reason;
  char *c = claims("{}");
  char *forged = sign(c, JWT_ALG_HS256, RSA_PUBLIC);
  ck_assert_int_eq(auth_verify_token(&p, forged, NOW, &caller, &reason), -1);
  char *genuine = sign(c, JWT_ALG_RS256, RSA_PRIVATE);
  ck_assert_int_eq(auth_verify_token(&p, genuine, NOW, &caller, &reason), 0);
  free(genuine);
  free(forged);
  free(c);
}
END_TEST

START_TEST(minted_development_token_verifies) {
  char *token = auth_mint_token((const unsigned char *)SECRET, strlen(SECRET), "u-tm1",
                                "team_manager,csw", NULL, "iss-1", "aud-1", NOW, 300);
  struct jwt_policy p = hs_policy();
  struct caller caller;
  const char *reason;
  ck_assert_int_eq(auth_verify_token(&p, token, NOW, &caller, &reason), 0);
  ck_assert_uint_eq(caller.roles, ROLE_TEAM_MANAGER | ROLE_CSW);
  ck_assert_int_eq(auth_verify_token(&p, token, NOW + 400, &caller, &reason), -1);
  free(token);
}
END_TEST

Suite *auth_suite(void) {
  Suite *s = suite_create("auth");
  TCase *tc = tcase_create("jwt");
  tcase_add_test(tc, good_token_passes);
  tcase_add_test(tc, expired_and_not_yet_valid_refused);
  tcase_add_test(tc, issuer_audience_subject_checked);
  tcase_add_test(tc, alg_none_refused);
  tcase_add_test(tc, null_key_refused);
  tcase_add_test(tc, tampered_payload_and_wrong_secret_refused);
  tcase_add_test(tc, hs256_signed_with_rsa_public_key_refused);
  tcase_add_test(tc, minted_development_token_verifies);
  suite_add_tcase(s, tc);
  return s;
}
