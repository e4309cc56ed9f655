#include "rate_limit.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Buckets a subject's hash may land in. */
#define RATE_LIMIT_WAYS 4

struct bucket {
  char subject[RATE_LIMIT_SUBJECT_MAX + 1]; /* "" when the place is free */
  double tokens;                            /* as of `updated` */
  double updated;
};

struct rate_limit {
  pthread_mutex_t lock;
  double per_second;
  double burst;
  size_t set_mask; /* sets - 1, sets a power of two */
  struct bucket *buckets;
};

struct rate_limit *rate_limit_create(unsigned long per_minute, unsigned long burst,
                                     size_t subjects) {
  if (per_minute == 0 || burst == 0) {
    return NULL;
  }
  size_t sets = 1;
  while (sets * RATE_LIMIT_WAYS < subjects) {
    sets *= 2;
  }
  struct rate_limit *limit = calloc(1, sizeof *limit);
  if (limit == NULL) {
    return NULL;
  }
  limit->buckets = calloc(sets * RATE_LIMIT_WAYS, sizeof *limit->buckets);
  if (limit->buckets == NULL) {
    free(limit);
    return NULL;
  }
  limit->per_second = (double)per_minute / 60.0;
  limit->burst = (double)burst;
  limit->set_mask = sets - 1;
  pthread_mutex_init(&limit->lock, NULL);
  return limit;
}

void rate_limit_free(struct rate_limit *limit) {
  if (limit == NULL) {
    return;
  }
  pthread_mutex_destroy(&limit->lock);
  free(limit->buckets);
  free(limit);
}

/* FNV-1a over the subject. */
static uint64_t subject_hash(const char *subject) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (const unsigned char *c = (const unsigned char *)subject; *c != '\0'; c++) {
    hash = (hash ^ *c) * 0x100000001b3ULL;
  }
  return hash;
}

/* The bucket's tokens as of `now`: refilled since it was last updated, up to the burst. */
static double tokens_at(const struct rate_limit *limit, const struct bucket *b, double now) {
  double elapsed = now > b->updated ? now - b->updated : 0.0;
  double tokens = b->tokens + elapsed * limit->per_second;
  return tokens < limit->burst ? tokens : limit->burst;
}

/* The bucket of `subject` in its set: the one it had, or else a free place, or else the place
 * of the subject seen least recently (a fresh full bucket). Called with the lock held. */
static struct bucket *find_bucket(struct rate_limit *limit, const char *subject, double now) {
  struct bucket *set =
      &limit->buckets[(subject_hash(subject) & limit->set_mask) * RATE_LIMIT_WAYS];
  struct bucket *oldest = &set[0];
  for (int way = 0; way < RATE_LIMIT_WAYS; way++) {
    struct bucket *b = &set[way];
    if (strcmp(b->subject, subject) == 0) {
      return b;
    }
    if (b->subject[0] == '\0' || (oldest->subject[0] != '\0' && b->updated < oldest->updated)) {
      oldest = b;
    }
  }
  strncpy(oldest->subject, subject, RATE_LIMIT_SUBJECT_MAX);
  oldest->subject[RATE_LIMIT_SUBJECT_MAX] = '\0';
  oldest->tokens = limit->burst;
  oldest->updated = now;
  return oldest;
}

unsigned long rate_limit_take(struct rate_limit *limit, const char *subject, double now) {
  char key[RATE_LIMIT_SUBJECT_MAX + 1];
  strncpy(key, subject, RATE_LIMIT_SUBJECT_MAX);
  key[RATE_LIMIT_SUBJECT_MAX] = '\0';
  if (key[0] == '\0') {
    key[0] = '-'; /* "" marks a free place */
    key[1] = '\0';
  }
  pthread_mutex_lock(&limit->lock);
  struct bucket *b = find_bucket(limit, key, now);
  double tokens = tokens_at(limit, b, now);
  unsigned long wait = 0;
  if (tokens >= 1.0) {
    tokens -= 1.0;
  } else {
    double seconds = (1.0 - tokens) / limit->per_second;
    wait = (unsigned long)seconds;
    wait += (double)wait < seconds || wait == 0 ? 1 : 0; /* rounded up, at least 1 */
  }
  b->tokens = tokens;
  b->updated = now > b->updated ? now : b->updated;
  pthread_mutex_unlock(&limit->lock);
  return wait;
}
