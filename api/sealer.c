#include "sealer.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../db/audit.h"
#include "../db/pool.h"

#define SEAL_BATCH "5000"
#define SEAL_PAUSE_MS 200

struct sealer {
  pthread_t thread;
  pthread_mutex_t lock;
  pthread_cond_t wake;
  bool stopping;
  struct db_pool *pool; /* one connection, reconnected when lost */
};

/* Seals one batch. Returns true when the batch was full (more may be waiting). */
static bool seal_batch(struct sealer *s) {
  struct db_conn *conn = db_pool_acquire(s->pool, 1000);
  if (conn == NULL) {
    return false;
  }
  const char *params[] = {SEAL_BATCH};
  PGresult *res = db_exec(conn, &AUDIT_SEAL, 1, params);
  bool full = res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK &&
              strcmp(PQgetvalue(res, 0, 0), SEAL_BATCH) == 0;
  PQclear(res);
  db_pool_release(s->pool, conn);
  return full;
}

static void *run(void *arg) {
  struct sealer *s = arg;
  pthread_mutex_lock(&s->lock);
  while (!s->stopping) {
    pthread_mutex_unlock(&s->lock);
    bool more = seal_batch(s);
    pthread_mutex_lock(&s->lock);
    if (!more && !s->stopping) {
      struct timespec until;
      clock_gettime(CLOCK_REALTIME, &until);
      until.tv_nsec += SEAL_PAUSE_MS * 1000000L;
      if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
      }
      pthread_cond_timedwait(&s->wake, &s->lock, &until);
    }
  }
  pthread_mutex_unlock(&s->lock);
  return NULL;
}

struct sealer *sealer_start(const char *conninfo) {
  struct sealer *s = calloc(1, sizeof *s);
  if (s == NULL) {
    return NULL;
  }
  s->pool = db_pool_create(conninfo, 1, 60000);
  pthread_mutex_init(&s->lock, NULL);
  pthread_cond_init(&s->wake, NULL);
  if (s->pool == NULL || pthread_create(&s->thread, NULL, run, s) != 0) {
    db_pool_close(s->pool);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->wake);
    free(s);
    return NULL;
  }
  return s;
}

void sealer_stop(struct sealer *s) {
  if (s == NULL) {
    return;
  }
  pthread_mutex_lock(&s->lock);
  s->stopping = true;
  pthread_cond_signal(&s->wake);
  pthread_mutex_unlock(&s->lock);
  pthread_join(s->thread, NULL);
  db_pool_close(s->pool);
  pthread_mutex_destroy(&s->lock);
  pthread_cond_destroy(&s->wake);
  free(s);
}
