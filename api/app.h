/* The state one running service shares across request threads. */
#ifndef API_APP_H
#define API_APP_H

#include <signal.h>
#include <stddef.h>

#include "../db/pool.h"
#include "auth.h"
#include "config.h"
#include "metrics.h"

struct app {
  struct config config;
  struct jwt_policy jwt;
  struct db_pool *pool;
  char *openapi;           /* the contract served at /openapi.yaml */
  size_t openapi_length;
  int migrations_latest;   /* /readyz wants this version applied */
  struct metrics metrics;
};

#endif
