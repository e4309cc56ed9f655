#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yder.h>

#define MAX_FILE_ENTRIES 64

/* KEY=VALUE pairs of the optional configuration file. */
struct file_entries {
  int count;
  char *keys[MAX_FILE_ENTRIES];
  char *values[MAX_FILE_ENTRIES];
};

static void file_entries_free(struct file_entries *f) {
  for (int i = 0; i < f->count; i++) {
    free(f->keys[i]);
    free(f->values[i]);
  }
  f->count = 0;
}

/* Reads `path`: blank lines and lines starting with # are skipped. Returns 0 or -1 with err. */
static int read_config_file(const char *path, struct file_entries *f, char *err, size_t errlen) {
  FILE *in = fopen(path, "r");
  if (in == NULL) {
    snprintf(err, errlen, "PERMANENCE_CONFIG_FILE: cannot open %s: %s", path, strerror(errno));
    return -1;
  }
  char line[4096];
  int rc = 0;
  while (rc == 0 && fgets(line, sizeof line, in) != NULL) {
    line[strcspn(line, "\r\n")] = '\0';
    char *eq = strchr(line, '=');
    if (line[0] == '\0' || line[0] == '#') {
      continue;
    }
    if (eq == NULL || eq == line || f->count == MAX_FILE_ENTRIES) {
      snprintf(err, errlen, "PERMANENCE_CONFIG_FILE: bad line \"%.60s\"", line);
      rc = -1;
      continue;
    }
    *eq = '\0';
    f->keys[f->count] = strdup(line);
    f->values[f->count] = strdup(eq + 1);
    f->count++;
  }
  fclose(in);
  return rc;
}

/* The setting `key`: the environment first, then the file; NULL when unset or empty. */
static const char *setting(const struct file_entries *f, const char *key) {
  const char *v = getenv(key);
  for (int i = 0; (v == NULL || v[0] == '\0') && i < f->count; i++) {
    if (strcmp(f->keys[i], key) == 0) {
      v = f->values[i];
    }
  }
  return v != NULL && v[0] != '\0' ? v : NULL;
}

static char *copy_setting(const struct file_entries *f, const char *key, const char *fallback) {
  const char *v = setting(f, key);
  if (v == NULL) {
    v = fallback;
  }
  return v != NULL ? strdup(v) : NULL;
}

/* Reads an integer setting in [min, max]; keeps *out when unset. Returns 0 or -1 with err. */
static int int_setting(const struct file_entries *f, const char *key, long min, long max,
                       long *out, char *err, size_t errlen) {
  const char *v = setting(f, key);
  if (v == NULL) {
    return 0;
  }
  char *end;
  errno = 0;
  long n = strtol(v, &end, 10);
  if (errno != 0 || end == v || *end != '\0' || n < min || n > max) {
    snprintf(err, errlen, "%s must be a whole number from %ld to %ld, not \"%.40s\"", key, min,
             max, v);
    return -1;
  }
  *out = n;
  return 0;
}

static unsigned char *read_key_file(const char *path, size_t *length) {
  FILE *in = fopen(path, "rb");
  if (in == NULL) {
    return NULL;
  }
  unsigned char *buf = malloc(65537);
  size_t n = buf != NULL ? fread(buf, 1, 65536, in) : 0;
  fclose(in);
  if (buf != NULL) {
    buf[n] = '\0';
    *length = n;
  }
  return buf;
}

/* Sets the algorithm and the key. Refuses HMAC secrets under 32 bytes (CONVENTIONS: libjwt). */
static int load_jwt(struct config *c, const struct file_entries *f, char *err, size_t errlen) {
  const char *alg = setting(f, "PERMANENCE_JWT_ALG");
  if (alg == NULL || strcmp(alg, "HS256") == 0) {
    c->jwt_alg = JWT_ALG_HS256;
    const char *secret = setting(f, "PERMANENCE_JWT_SECRET");
    if (secret == NULL || strlen(secret) < 32) {
      snprintf(err, errlen, "PERMANENCE_JWT_SECRET must be set to at least 32 bytes for HS256");
      return -1;
    }
    c->jwt_key = (unsigned char *)strdup(secret);
    c->jwt_key_length = strlen(secret);
    return 0;
  }
  if (strcmp(alg, "RS256") == 0) {
    c->jwt_alg = JWT_ALG_RS256;
  } else if (strcmp(alg, "ES256") == 0) {
    c->jwt_alg = JWT_ALG_ES256;
  } else {
    snprintf(err, errlen, "PERMANENCE_JWT_ALG must be HS256, RS256 or ES256, not \"%.20s\"", alg);
    return -1;
  }
  const char *path = setting(f, "PERMANENCE_JWT_PUBLIC_KEY_FILE");
  if (path == NULL) {
    snprintf(err, errlen, "PERMANENCE_JWT_PUBLIC_KEY_FILE must name a PEM public key for %s", alg);
    return -1;
  }
  c->jwt_key = read_key_file(path, &c->jwt_key_length);
  if (c->jwt_key == NULL || strstr((char *)c->jwt_key, "-----BEGIN PUBLIC KEY-----") == NULL) {
    snprintf(err, errlen, "PERMANENCE_JWT_PUBLIC_KEY_FILE: %s is not a readable PEM public key",
             path);
    return -1;
  }
  return 0;
}

static int load_log_level(struct config *c, const struct file_entries *f, char *err,
                          size_t errlen) {
  const char *v = setting(f, "PERMANENCE_LOG_LEVEL");
  const char *names[] = {"error", "warning", "info", "debug"};
  const int levels[] = {Y_LOG_LEVEL_ERROR, Y_LOG_LEVEL_WARNING, Y_LOG_LEVEL_INFO,
                        Y_LOG_LEVEL_DEBUG};
  c->log_level = Y_LOG_LEVEL_INFO;
  if (v == NULL) {
    return 0;
  }
  for (size_t i = 0; i < 4; i++) {
    if (strcmp(v, names[i]) == 0) {
      c->log_level = levels[i];
      return 0;
    }
  }
  snprintf(err, errlen, "PERMANENCE_LOG_LEVEL must be error, warning, info or debug");
  return -1;
}

static int load_environment(struct config *c, const struct file_entries *f, char *err,
                            size_t errlen) {
  const char *v = setting(f, "PERMANENCE_ENVIRONMENT");
  if (v == NULL || strcmp(v, "production") == 0) {
    c->development = false;
    return 0;
  }
  if (strcmp(v, "development") == 0) {
    c->development = true;
    return 0;
  }
  snprintf(err, errlen, "PERMANENCE_ENVIRONMENT must be production or development");
  return -1;
}

/* The connection and rate limits (OWASP API4). Returns 0 or -1 with err. */
static int load_limits(struct config *c, const struct file_entries *f, char *err, size_t errlen) {
  long receive = 60, connections = 2048, per_minute = 1200, burst = 300;
  if (int_setting(f, "PERMANENCE_RECEIVE_TIMEOUT_SECONDS", 1, 3600, &receive, err, errlen) != 0 ||
      int_setting(f, "PERMANENCE_MAX_CONNECTIONS", 16, 65536, &connections, err, errlen) != 0 ||
      int_setting(f, "PERMANENCE_RATE_LIMIT_PER_MINUTE", 0, 100000000L, &per_minute, err,
                  errlen) != 0 ||
      int_setting(f, "PERMANENCE_RATE_LIMIT_BURST", 1, 100000000L, &burst, err, errlen) != 0) {
    return -1;
  }
  c->receive_timeout_seconds = (unsigned int)receive;
  c->max_connections = (unsigned int)connections;
  c->rate_limit_per_minute = (unsigned long)per_minute;
  c->rate_limit_burst = (unsigned long)burst;
  return 0;
}

static int load_numbers(struct config *c, const struct file_entries *f, char *err,
                        size_t errlen) {
  long port = 8080, pool = 16, timeout = 5000, acquire = 2000, body = 1048576, idle = 30;
  if (int_setting(f, "PERMANENCE_PORT", 1, 65535, &port, err, errlen) != 0 ||
      int_setting(f, "PERMANENCE_DB_POOL_SIZE", 1, 200, &pool, err, errlen) != 0 ||
      int_setting(f, "PERMANENCE_DB_STATEMENT_TIMEOUT_MS", 100, 600000, &timeout, err,
                  errlen) != 0 ||
      int_setting(f, "PERMANENCE_DB_ACQUIRE_TIMEOUT_MS", 10, 60000, &acquire, err, errlen) != 0 ||
      int_setting(f, "PERMANENCE_BODY_LIMIT", 1024, 64L * 1048576, &body, err, errlen) != 0 ||
      int_setting(f, "PERMANENCE_IDLE_TIMEOUT_SECONDS", 1, 3600, &idle, err, errlen) != 0) {
    return -1;
  }
  if (load_limits(c, f, err, errlen) != 0) {
    return -1;
  }
  c->port = (unsigned int)port;
  c->pool_size = (int)pool;
  c->db_statement_timeout_ms = (int)timeout;
  c->db_acquire_timeout_ms = (int)acquire;
  c->body_limit = (size_t)body;
  c->idle_timeout_seconds = (unsigned int)idle;
  return 0;
}

int config_load(struct config *c, bool need_database, char *err, size_t errlen) {
  memset(c, 0, sizeof *c);
  struct file_entries f = {0};
  const char *file = getenv("PERMANENCE_CONFIG_FILE");
  int rc = file != NULL && file[0] != '\0' ? read_config_file(file, &f, err, errlen) : 0;
  if (rc == 0) {
    rc = load_numbers(c, &f, err, errlen);
  }
  if (rc == 0) {
    rc = load_jwt(c, &f, err, errlen);
  }
  if (rc == 0) {
    rc = load_log_level(c, &f, err, errlen);
  }
  if (rc == 0) {
    rc = load_environment(c, &f, err, errlen);
  }
  if (rc == 0) {
    c->bind_address = copy_setting(&f, "PERMANENCE_BIND_ADDRESS", "127.0.0.1");
    c->database_url = copy_setting(&f, "DATABASE_URL", NULL);
    c->jwt_issuer = copy_setting(&f, "PERMANENCE_JWT_ISSUER", NULL);
    c->jwt_audience = copy_setting(&f, "PERMANENCE_JWT_AUDIENCE", NULL);
    c->migrations_dir = copy_setting(&f, "PERMANENCE_MIGRATIONS_DIR", "db/migrations");
    c->openapi_file = copy_setting(&f, "PERMANENCE_OPENAPI_FILE", "openapi.yaml");
    c->templates_dir = copy_setting(&f, "PERMANENCE_TEMPLATES_DIR", "templates");
    c->cors_origins = copy_setting(&f, "PERMANENCE_CORS_ORIGINS", NULL);
    c->webhook_allowlist = copy_setting(&f, "PERMANENCE_WEBHOOK_ALLOWLIST", NULL);
    if (need_database && c->database_url == NULL) {
      snprintf(err, errlen, "DATABASE_URL must be set (make run sets it for its own database)");
      rc = -1;
    }
  }
  file_entries_free(&f);
  if (rc != 0) {
    config_free(c);
  }
  return rc;
}

void config_free(struct config *c) {
  free(c->bind_address);
  free(c->database_url);
  free(c->jwt_key);
  free(c->jwt_issuer);
  free(c->jwt_audience);
  free(c->migrations_dir);
  free(c->openapi_file);
  free(c->templates_dir);
  free(c->cors_origins);
  free(c->webhook_allowlist);
  memset(c, 0, sizeof *c);
}
