/* Fuzz target jwt_claims: the claim checks of api/auth.c (exp, nbf, iss, aud, sub, roles,
 * agency_id). The harness makes a token's payload from the input and signs it (HS256, a fixed
 * test key) so that every input passes the signature and reaches the checks. An input that
 * starts with '{' is the claims' JSON as a client would write it; any other is read as claims
 * (claims_from_bytes), which reaches every integer of exp and nbf and every mix of roles.
 * Properties: a token accepted gives a caller whose subject, agency and roles literal are
 * well-formed and whose roles are only known ones; and, stored in the token cache
 * (api/token_cache.c) as the server does, it is found there at the same time as itself. */
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <orcania.h>
#include <stdlib.h>
#include <string.h>

#include "../../api/auth.h"
#include "../../api/token_cache.h"
#include "harness.h"

static const char KEY[] = "fuzz-test-key-of-at-least-32-bytes-long";
/* {"alg":"HS256","typ":"JWT"} */
static const char HEADER[] = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";
static const time_t NOW = 1767225600; /* 2026-01-01T00:00:00Z */

/* The HS256 token of `payload` (`size` bytes), or NULL when it would be over the length the
 * service reads. The caller frees it. */
static char *sign(const uint8_t *payload, size_t size) {
  size_t header_length = strlen(HEADER);
  size_t room = header_length + 1 + (size * 4 / 3 + 4) + 1 + 64 + 1;
  if (room > AUTH_MAX_TOKEN_LENGTH + 1) {
    return NULL;
  }
  char *token = malloc(room);
  harness_expect(token != NULL, "out of memory");
  memcpy(token, HEADER, header_length);
  token[header_length] = '.';
  size_t at = header_length + 1;
  size_t written = 0;
  if (size > 0) {
    harness_expect(o_base64url_encode(payload, size, (unsigned char *)token + at, &written),
                   "base64url of the payload");
  }
  at += written;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_length = 0;
  harness_expect(HMAC(EVP_sha256(), KEY, (int)strlen(KEY), (const unsigned char *)token, at, mac,
                      &mac_length) != NULL,
                 "HMAC of the token");
  token[at++] = '.';
  harness_expect(o_base64url_encode(mac, mac_length, (unsigned char *)token + at, &written),
                 "base64url of the signature");
  token[at + written] = '\0';
  return token;
}

/* Takes `n` bytes from *data (zeros past its end) as a big-endian integer. */
static uint64_t take(const uint8_t **data, size_t *size, size_t n) {
  uint64_t value = 0;
  for (size_t i = 0; i < n; i++) {
    value = value << 8 | (*size > 0 ? **data : 0);
    if (*size > 0) {
      (*data)++;
      (*size)--;
    }
  }
  return value;
}

/* Claims read from bytes: a byte of flags (which claims there are, exp as a string), exp and nbf
 * as 8 bytes each, a byte counting the roles, a byte for each (a role's index, or a name that is
 * no role), then the sub's text. Returns the claims' JSON: the caller frees it. */
static char *claims_from_bytes(const uint8_t *data, size_t size) {
  const char *const *names = role_names();
  unsigned flags = (unsigned)take(&data, &size, 1);
  json_int_t exp = (json_int_t)take(&data, &size, 8);
  json_int_t nbf = (json_int_t)take(&data, &size, 8);
  json_t *claims = json_object();
  json_t *roles = json_array();
  for (size_t n = take(&data, &size, 1) % 16; n > 0; n--) {
    size_t at = take(&data, &size, 1) % (role_count() + 1);
    json_array_append_new(roles, json_string(at < role_count() ? names[at] : "nobody"));
  }
  json_object_set_new(claims, "roles", roles);
  json_object_set_new(claims, "exp", flags & 1 ? json_string("1767229200") : json_integer(exp));
  if (flags & 2) {
    json_object_set_new(claims, "nbf", json_integer(nbf));
  }
  if (flags & 4) {
    json_object_set_new(claims, "iss", json_string("permanence-test"));
  }
  if (flags & 8) {
    json_object_set_new(claims, "aud", json_pack("[s, s]", "other", "permanence-api"));
  }
  if (flags & 16) {
    json_object_set_new(claims, "agency_id", json_string(flags & 32 ? "" : "ifa-1"));
  }
  json_t *sub = json_stringn((const char *)data, size);
  json_object_set_new(claims, "sub", sub != NULL ? sub : json_string("u-1"));
  char *text = json_dumps(claims, JSON_COMPACT);
  json_decref(claims);
  return text;
}

static bool same_caller(const struct caller *a, const struct caller *b) {
  return strcmp(a->sub, b->sub) == 0 && a->roles == b->roles &&
         strcmp(a->agency_id, b->agency_id) == 0 &&
         strcmp(a->roles_literal, b->roles_literal) == 0 && a->valid_from == b->valid_from &&
         a->valid_until == b->valid_until;
}

static bool subject_well_formed(const char *sub) {
  size_t n = strlen(sub);
  return n > 0 && n <= 128 && strspn(sub, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                          "0123456789._@:-") == n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *token = NULL;
  if (size > 0 && data[0] == '{') {
    token = sign(data, size);
  } else {
    char *claims = claims_from_bytes(data, size);
    harness_expect(claims != NULL, "claims made from bytes");
    token = sign((const uint8_t *)claims, strlen(claims));
    free(claims);
  }
  if (token == NULL) {
    return 0;
  }
  const struct jwt_policy policy = {.alg = JWT_ALG_HS256,
                                    .key = (const unsigned char *)KEY,
                                    .key_length = strlen(KEY),
                                    .issuer = "permanence-test",
                                    .audience = "permanence-api"};
  struct caller caller;
  const char *reason = NULL;
  if (auth_verify_token(&policy, token, NOW, &caller, &reason) == 0) {
    size_t literal = strlen(caller.roles_literal);
    harness_expect(subject_well_formed(caller.sub), "an accepted token has a valid sub");
    harness_expect(literal >= 2 && caller.roles_literal[0] == '{' &&
                       caller.roles_literal[literal - 1] == '}',
                   "the roles literal is a PostgreSQL array");
    harness_expect((caller.roles & ~((1u << role_count()) - 1u)) == 0, "only known roles");
    harness_expect(role_set_has(caller.roles, ROLE_AGENCY) == (caller.agency_id[0] != '\0'),
                   "an agency_id exactly when the token has the agency role");
    harness_expect(caller.valid_until >= NOW - AUTH_CLOCK_SKEW_SECONDS, "an unexpired token");
    struct token_cache *cache = token_cache_create(1);
    struct caller cached;
    harness_expect(cache != NULL, "out of memory");
    token_cache_store(cache, token, &caller);
    harness_expect(token_cache_find(cache, token, NOW, &cached) && same_caller(&cached, &caller),
                   "a token just verified is found in the cache as it was verified");
    token_cache_free(cache);
  } else {
    harness_expect(reason != NULL && reason[0] != '\0', "a refusal says why");
  }
  free(token);
  return 0;
}
