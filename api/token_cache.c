#include "token_cache.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define STRIPES 16

struct slot {
  char *token;          /* owned; NULL when empty */
  struct caller caller;
};

struct token_cache {
  pthread_mutex_t locks[STRIPES]; /* slot i is guarded by locks[i % STRIPES] */
  struct slot *slots;
  size_t mask;                    /* slots - 1 */
};

struct token_cache *token_cache_create(size_t slots) {
  size_t n = STRIPES;
  while (n < slots) {
    n *= 2;
  }
  struct token_cache *cache = calloc(1, sizeof *cache);
  struct slot *table = calloc(n, sizeof *table);
  if (cache == NULL || table == NULL) {
    free(cache);
    free(table);
    return NULL;
  }
  cache->slots = table;
  cache->mask = n - 1;
  for (int i = 0; i < STRIPES; i++) {
    pthread_mutex_init(&cache->locks[i], NULL);
  }
  return cache;
}

void token_cache_free(struct token_cache *cache) {
  if (cache == NULL) {
    return;
  }
  for (size_t i = 0; i <= cache->mask; i++) {
    free(cache->slots[i].token);
  }
  for (int i = 0; i < STRIPES; i++) {
    pthread_mutex_destroy(&cache->locks[i]);
  }
  free(cache->slots);
  free(cache);
}

/* FNV-1a over the token: which slot it lives in (the whole token is compared on a hit). */
static size_t slot_of(const struct token_cache *cache, const char *token) {
  uint64_t hash = 14695981039346656037ULL;
  for (const unsigned char *c = (const unsigned char *)token; *c != '\0'; c++) {
    hash = (hash ^ *c) * 1099511628211ULL;
  }
  return (size_t)hash & cache->mask;
}

/* The validity window of auth_verify_token, with the same clock skew. */
static bool valid_at(const struct caller *caller, time_t now) {
  return now - AUTH_CLOCK_SKEW_SECONDS <= caller->valid_until &&
         caller->valid_from <= now + AUTH_CLOCK_SKEW_SECONDS;
}

bool token_cache_find(struct token_cache *cache, const char *token, time_t now,
                      struct caller *caller) {
  size_t i = slot_of(cache, token);
  pthread_mutex_t *lock = &cache->locks[i % STRIPES];
  pthread_mutex_lock(lock);
  const struct slot *slot = &cache->slots[i];
  bool found = slot->token != NULL && strcmp(slot->token, token) == 0 &&
               valid_at(&slot->caller, now);
  if (found) {
    *caller = slot->caller;
  }
  pthread_mutex_unlock(lock);
  return found;
}

void token_cache_store(struct token_cache *cache, const char *token, const struct caller *caller) {
  char *copy = strdup(token);
  if (copy == NULL) {
    return;
  }
  size_t i = slot_of(cache, token);
  pthread_mutex_t *lock = &cache->locks[i % STRIPES];
  pthread_mutex_lock(lock);
  struct slot *slot = &cache->slots[i];
  char *replaced = slot->token;
  slot->token = copy;
  slot->caller = *caller;
  pthread_mutex_unlock(lock);
  free(replaced);
}
