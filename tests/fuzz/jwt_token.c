/* Fuzz target jwt_token: auth_verify_token (api/auth.c) on raw bearer token text, as the
 * Authorization header brings it: libjwt's decoding of the header, payload and signature, the
 * algorithm check, then the claims. Each input is verified under an HS256 policy (a fixed test
 * key) and an RS256 one (a fixed public key whose private key nobody keeps). Properties: the
 * RS256 policy accepts nothing (no input can carry a signature of a key nobody has: an
 * acceptance is an unsigned or algorithm-confused token getting through); the HS256 policy
 * accepts only a token whose signature is the key's HMAC of its first two parts. */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <orcania.h>
#include <stdlib.h>
#include <string.h>

#include "../../api/auth.h"
#include "harness.h"

static const char HS_KEY[] = "fuzz-test-key-of-at-least-32-bytes-long";
static const char RS_PUBLIC_KEY[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAmOikWV1Ypti483Ic75CL\n"
    "xZZ8jn88zqPeH1gMI7elJlwlZyfmLo5LM2A+IoPUy1Psvou5W5CJtuK4InmdaMHy\n"
    "ZEjqN74LGT4jlX90ICYN+OgjgJNHfxWCODj0to2tkrMOvYnsbF8qjepFn6tcamzg\n"
    "iznD10j2MoMrtylNBaKYHU/4VYa7lwqsykYBK7ofWyHtAuYbOOSAtPTgYhwfzX/8\n"
    "MfNLZIicBBKBULfh/ICDjD3WYS4y9VJ85e3+isQC5zMJ49mYuId9QBPa7ZQj9zQi\n"
    "JoHIbGRrw62oIKoY8VVsz22HhJpPwFwOOV3g8pO+psneA0UkDBwB6U2/dwE9H44v\n"
    "gwIDAQAB\n"
    "-----END PUBLIC KEY-----\n";
static const time_t NOW = 1767225600; /* 2026-01-01T00:00:00Z */

/* Whether the part of `token` after its last '.' is the base64url of the HS256 HMAC of what
 * precedes that '.'. */
static bool signed_with_hs_key(const char *token) {
  const char *dot = strrchr(token, '.');
  if (dot == NULL) {
    return false;
  }
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_length = 0;
  unsigned char expected[2 * EVP_MAX_MD_SIZE];
  size_t expected_length = 0;
  harness_expect(HMAC(EVP_sha256(), HS_KEY, (int)strlen(HS_KEY), (const unsigned char *)token,
                      (size_t)(dot - token), mac, &mac_length) != NULL,
                 "HMAC of the token");
  harness_expect(o_base64url_encode(mac, mac_length, expected, &expected_length),
                 "base64url of the HMAC");
  return strlen(dot + 1) == expected_length && memcmp(dot + 1, expected, expected_length) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *token = harness_text(data, size);
  const struct jwt_policy hs = {.alg = JWT_ALG_HS256,
                                .key = (const unsigned char *)HS_KEY,
                                .key_length = strlen(HS_KEY),
                                .issuer = "permanence-test",
                                .audience = "permanence-api"};
  const struct jwt_policy rs = {.alg = JWT_ALG_RS256,
                                .key = (const unsigned char *)RS_PUBLIC_KEY,
                                .key_length = strlen(RS_PUBLIC_KEY),
                                .issuer = "permanence-test",
                                .audience = "permanence-api"};
  struct caller caller;
  const char *reason = NULL;
  if (auth_verify_token(&hs, token, NOW, &caller, &reason) == 0) {
    harness_expect(signed_with_hs_key(token), "HS256 accepts only tokens the key signed");
  } else {
    harness_expect(reason != NULL && reason[0] != '\0', "a refusal says why");
  }
  harness_expect(auth_verify_token(&rs, token, NOW, &caller, &reason) != 0,
                 "RS256 accepts no token without its private key");
  free(token);
  return 0;
}
