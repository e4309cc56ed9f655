/* Requests a subject may make (OWASP API4): a token bucket per subject (a token's `sub`, or a
 * client address), refilled at a steady rate up to a burst, in the memory of this instance only.
 * Bounded: a fixed table of buckets in sets of a few; a subject new to a full set takes the place
 * of the set's least recently seen one (a subject whose bucket has refilled loses nothing). */
#ifndef API_RATE_LIMIT_H
#define API_RATE_LIMIT_H

#include <stddef.h>

/* The longest subject remembered; longer ones are cut (a JWT sub is at most 128 bytes here). */
#define RATE_LIMIT_SUBJECT_MAX 143

struct rate_limit;

/* A limiter allowing `per_minute` requests a minute to each subject, `burst` at once at the
 * most, remembering about `subjects` subjects (rounded up). NULL when out of memory or when
 * per_minute or burst is 0. The caller frees it with rate_limit_free. */
struct rate_limit *rate_limit_create(unsigned long per_minute, unsigned long burst,
                                     size_t subjects);

void rate_limit_free(struct rate_limit *limit);

/* Takes one request from `subject`'s bucket as of `now` (seconds on a clock that never goes
 * back). Returns 0 when the request is allowed; otherwise the whole seconds (at least 1) until it
 * would be. Thread-safe. */
unsigned long rate_limit_take(struct rate_limit *limit, const char *subject, double now);

#endif
