/* Tokens verified before: a front end sends the same bearer token with every request, and
 * checking its signature again each time costs more than the rest of a read. The cache keeps
 * the caller of a token whose signature and claims were verified (auth_verify_token), keyed by
 * the whole token text, and hands it back only while the token's own validity window (exp and
 * nbf, with the clock skew) holds at the time of the request. Bounded: a new token replaces the
 * one in its slot. Failed verifications are never cached. */
#ifndef API_TOKEN_CACHE_H
#define API_TOKEN_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "auth.h"

struct token_cache;

/* A cache of `slots` tokens (rounded up to a power of two). NULL when out of memory. */
struct token_cache *token_cache_create(size_t slots);

void token_cache_free(struct token_cache *cache);

/* Fills *caller and returns true when `token` was verified before and is still valid at `now`. */
bool token_cache_find(struct token_cache *cache, const char *token, time_t now,
                      struct caller *caller);

/* Remembers the caller of a verified `token` (copied). */
void token_cache_store(struct token_cache *cache, const char *token, const struct caller *caller);

#endif
