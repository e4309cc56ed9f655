/* The state one running service shares across request threads. */
#ifndef API_APP_H
#define API_APP_H

#include <signal.h>
#include <stddef.h>

#include "../db/pool.h"
#include "../domain/letters.h"
#include "auth.h"
#include "config.h"
#include "metrics.h"

struct app {
  struct config config;
  struct jwt_policy jwt;
  struct token_cache *tokens;      /* tokens verified before (token_cache.h) */
  struct db_pool *pool;
  char *openapi;           /* the contract served at /openapi.yaml */
  size_t openapi_length;
  char *letter_templates[LETTER_KIND_COUNT]; /* M10, from PERMANENCE_TEMPLATES_DIR/letters */
  int migrations_latest;   /* /readyz wants this version applied */
  struct metrics metrics;
  struct audit_queue *audit_queue; /* reads' and refusals' audit rows on their way (R1) */
  struct event_bell *events_bell;  /* rung when new events join the feed (event_feed.h) */
  struct rate_limit *rate_limit;   /* requests per subject (rate_limit.h); NULL: no limit */
  struct connections *connections; /* receive deadlines and the drain at stop (connections.h) */
};

#endif
