/* Configuration, read once at start-up from environment variables and, where
 * PERMANENCE_CONFIG_FILE names one, a file of KEY=VALUE lines (the environment wins).
 * Every variable is documented in the README. */
#ifndef API_CONFIG_H
#define API_CONFIG_H

#include <jwt.h>
#include <stdbool.h>
#include <stddef.h>

struct config {
  unsigned int port;
  char *bind_address;
  char *database_url;
  int pool_size;
  int db_statement_timeout_ms;
  int db_acquire_timeout_ms;
  jwt_alg_t jwt_alg;
  unsigned char *jwt_key; /* HS256: the secret; RS256/ES256: the public key PEM */
  size_t jwt_key_length;
  char *jwt_issuer;       /* NULL: not checked */
  char *jwt_audience;     /* NULL: not checked */
  size_t body_limit;
  unsigned int idle_timeout_seconds;
  unsigned int receive_timeout_seconds; /* a request's headers and body arrive within this */
  unsigned int max_connections;         /* open at once; more wait in the listen queue */
  unsigned long rate_limit_per_minute;  /* requests a subject may make a minute; 0: no limit */
  unsigned long rate_limit_burst;       /* requests a subject may make at once */
  int log_level;          /* a yder level */
  bool development;       /* PERMANENCE_ENVIRONMENT=development: dev tokens may be minted */
  char *migrations_dir;
  char *openapi_file;
  char *templates_dir;     /* the M10 letter and certificate templates */
  char *cors_origins;      /* front ends' origins allowed by CORS, comma-separated; NULL: none */
  char *webhook_allowlist; /* where webhooks may be sent: comma-separated URL prefixes; NULL: nowhere */
};

/* Fills *config. `need_database` says whether DATABASE_URL is required (serving, migrating).
 * Returns 0, or -1 with a one-line reason in err (config is then freed). */
int config_load(struct config *config, bool need_database, char *err, size_t errlen);

/* Frees what config_load allocated. */
void config_free(struct config *config);

#endif
