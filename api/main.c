/* permanenced: the Permanence service.
 *   permanenced serve            apply migrations, then serve the API (the default)
 *   permanenced migrate          apply migrations and exit
 *   permanenced token --sub S --roles a,b [--agency-id A] [--ttl SECONDS]
 *                                print a development token (PERMANENCE_ENVIRONMENT=development
 *                                and HS256 only) */
#include <signal.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <yder.h>

#include "../db/migrate.h"
#include "../db/pool.h"
#include "app.h"
#include "log.h"
#include "server.h"

/* Reads the whole file at path into *out (the caller frees). Returns 0 or -1. */
static int load_file(const char *path, char **out, size_t *length) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    return -1;
  }
  int rc = -1;
  if (fseek(f, 0, SEEK_END) == 0) {
    long size = ftell(f);
    char *buf = size >= 0 ? malloc((size_t)size + 1) : NULL;
    if (buf != NULL && fseek(f, 0, SEEK_SET) == 0 && fread(buf, 1, (size_t)size, f) == (size_t)size) {
      buf[size] = '\0';
      *out = buf;
      *length = (size_t)size;
      rc = 0;
    } else {
      free(buf);
    }
  }
  fclose(f);
  return rc;
}

/* Whether SIGINT or SIGTERM waits to be taken (both stay blocked until server_run takes them):
 * a stop asked for while start-up still waits for the database. */
static bool stop_pending(void) {
  sigset_t pending;
  return sigpending(&pending) == 0 &&
         (sigismember(&pending, SIGTERM) == 1 || sigismember(&pending, SIGINT) == 1);
}

/* Connects once for the migrations, retrying for a while so that a database still starting
 * is waited for, unless a stop is asked for meanwhile. Returns 0 or -1 with a reason printed. */
static int run_migrations(const struct config *config) {
  struct db_pool *pool = db_pool_create(config->database_url, 1, 600000);
  struct db_conn *conn = NULL;
  for (int attempt = 0; pool != NULL && conn == NULL && attempt < 30 && !stop_pending();
       attempt++) {
    conn = db_pool_acquire(pool, 1000);
    if (conn == NULL) {
      sleep(1);
    }
  }
  char err[512] = "";
  int rc = -1;
  if (conn == NULL) {
    snprintf(err, sizeof err, "cannot connect to DATABASE_URL");
  } else {
    rc = migrate_apply(db_conn_pg(conn), config->migrations_dir, err, sizeof err);
  }
  if (rc != 0) {
    fprintf(stderr, "permanenced: %s\n", err);
  }
  db_pool_release(pool, conn);
  db_pool_close(pool);
  return rc;
}

/* Reads the M10 templates (<dir>/letters/<kind>.html). Returns 0, or -1 with a reason printed. */
static int load_letter_templates(struct app *app) {
  for (int kind = 0; kind < LETTER_KIND_COUNT; kind++) {
    char path[1024];
    size_t length;
    snprintf(path, sizeof path, "%s/letters/%s.html", app->config.templates_dir,
             letter_kind_name((enum letter_kind)kind));
    if (load_file(path, &app->letter_templates[kind], &length) != 0) {
      fprintf(stderr, "permanenced: PERMANENCE_TEMPLATES_DIR: cannot read %s\n", path);
      return -1;
    }
  }
  return 0;
}

static void free_letter_templates(struct app *app) {
  for (int kind = 0; kind < LETTER_KIND_COUNT; kind++) {
    free(app->letter_templates[kind]);
    app->letter_templates[kind] = NULL;
  }
}

static int serve(struct app *app) {
  /* Request threads allocate rows that the audit writer frees: with glibc's default of 8 arenas
   * a core, each arena kept its own high-water mark and the resident memory grew for minutes
   * under load (measured: 25 MiB to over 300 MiB). Two arenas keep it flat, and no slower. */
  mallopt(M_ARENA_MAX, 2);
  /* A report over the council answers megabytes: blocks of a megabyte or more are mapped on
   * their own and given back when freed (glibc's threshold would otherwise rise after the first
   * and keep them in the heap). */
  mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
  if (run_migrations(&app->config) != 0) {
    return 1;
  }
  if (load_file(app->config.openapi_file, &app->openapi, &app->openapi_length) != 0) {
    fprintf(stderr, "permanenced: PERMANENCE_OPENAPI_FILE: cannot read %s\n",
            app->config.openapi_file);
    return 1;
  }
  if (load_letter_templates(app) != 0) {
    free_letter_templates(app);
    free(app->openapi);
    return 1;
  }
  app->migrations_latest = migrate_latest_version(app->config.migrations_dir);
  app->pool = db_pool_create(app->config.database_url, app->config.pool_size,
                             app->config.db_statement_timeout_ms);
  app->jwt = (struct jwt_policy){app->config.jwt_alg, app->config.jwt_key,
                                 app->config.jwt_key_length, app->config.jwt_issuer,
                                 app->config.jwt_audience};
  int rc = app->pool != NULL && server_run(app) == 0 ? 0 : 1;
  db_pool_close(app->pool);
  free_letter_templates(app);
  free(app->openapi);
  return rc;
}

static int print_token(const struct config *config, int argc, char **argv) {
  const char *sub = NULL, *roles = NULL, *agency = NULL;
  long ttl = 8 * 3600;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "--sub") == 0) {
      sub = argv[i + 1];
    } else if (strcmp(argv[i], "--roles") == 0) {
      roles = argv[i + 1];
    } else if (strcmp(argv[i], "--agency-id") == 0) {
      agency = argv[i + 1];
    } else if (strcmp(argv[i], "--ttl") == 0) {
      ttl = strtol(argv[i + 1], NULL, 10);
    }
  }
  if (sub == NULL || roles == NULL || ttl <= 0) {
    fprintf(stderr, "usage: permanenced token --sub SUB --roles csw,iro [--agency-id A] [--ttl S]\n");
    return 2;
  }
  if (!config->development || config->jwt_alg != JWT_ALG_HS256) {
    fprintf(stderr, "permanenced: tokens are minted only with the development key "
                    "(PERMANENCE_ENVIRONMENT=development, HS256)\n");
    return 1;
  }
  char *token = auth_mint_token(config->jwt_key, config->jwt_key_length, sub, roles, agency,
                                config->jwt_issuer, config->jwt_audience, time(NULL), ttl);
  if (token == NULL) {
    fprintf(stderr, "permanenced: the token could not be signed\n");
    return 1;
  }
  printf("%s\n", token);
  free(token);
  return 0;
}

int main(int argc, char **argv) {
  const char *command = argc > 1 ? argv[1] : "serve";
  bool known = strcmp(command, "serve") == 0 || strcmp(command, "migrate") == 0 ||
               strcmp(command, "token") == 0;
  if (!known) {
    fprintf(stderr, "usage: permanenced [serve|migrate|token ...]\n");
    return 2;
  }
  setenv("TZ", "Europe/London", 1);
  tzset();
  signal(SIGPIPE, SIG_IGN);
  sigset_t blocked;
  sigemptyset(&blocked);
  sigaddset(&blocked, SIGINT);
  sigaddset(&blocked, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &blocked, NULL);

  static struct app app;
  char err[512];
  if (config_load(&app.config, strcmp(command, "token") != 0, err, sizeof err) != 0) {
    fprintf(stderr, "permanenced: %s\n", err);
    return 1;
  }
  int rc;
  if (strcmp(command, "token") == 0) {
    rc = print_token(&app.config, argc, argv);
  } else if (log_start(app.config.log_level) != 0) {
    fprintf(stderr, "permanenced: cannot start logging\n");
    rc = 1;
  } else {
    rc = strcmp(command, "migrate") == 0 ? (run_migrations(&app.config) == 0 ? 0 : 1)
                                          : serve(&app);
    log_stop();
  }
  config_free(&app.config);
  return rc;
}
