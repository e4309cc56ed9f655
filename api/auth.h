/* Bearer JWT verification, strict where libjwt 1.10 is lax (CONVENTIONS.md): a key is always
 * given, the algorithm must be the configured one, and exp, nbf, iss and aud are checked here
 * with a 60-second skew. */
#ifndef API_AUTH_H
#define API_AUTH_H

#include <jwt.h>
#include <stddef.h>
#include <time.h>

#include "../domain/roles.h"

#define AUTH_CLOCK_SKEW_SECONDS 60
#define AUTH_MAX_TOKEN_LENGTH 8192

struct jwt_policy {
  jwt_alg_t alg;
  const unsigned char *key;
  size_t key_length;
  const char *issuer;   /* NULL: not checked */
  const char *audience; /* NULL: not checked */
};

/* The verified caller of a request. */
struct caller {
  char sub[129];
  role_set roles;
  char agency_id[101];      /* "" unless the token has the agency role */
  char roles_literal[256];  /* the known roles as a PostgreSQL array literal, for the audit */
  time_t valid_from;        /* the token's nbf (0 when it has none) */
  time_t valid_until;       /* the token's exp */
};

/* Verifies `token` as of `now`. On success fills *caller and returns 0; otherwise returns -1 and
 * points *reason at a static description fit for WWW-Authenticate. */
int auth_verify_token(const struct jwt_policy *policy, const char *token, time_t now,
                      struct caller *caller, const char **reason);

/* Signs a development token (HS256 with `secret`) for `sub` with comma-separated `roles`, valid
 * for `ttl_seconds` from `now`. Returns a string the caller frees with free(), or NULL. */
char *auth_mint_token(const unsigned char *secret, size_t secret_length, const char *sub,
                      const char *roles, const char *agency_id, const char *issuer,
                      const char *audience, time_t now, long ttl_seconds);

#endif
