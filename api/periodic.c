#include "periodic.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../db/audit_seal.h"

#define SEAL_BATCH 5000
#define SEAL_PAUSE_MS 200

struct periodic {
  pthread_t thread;
  pthread_mutex_t lock;
  pthread_cond_t wake;
  bool stopping;
  struct db_pool *pool; /* one connection */
  periodic_run run;
  void *context;
  int retry_ms;
};

int periodic_seal_audit(struct db_conn *conn, void *context) {
  (void)context;
  return audit_seal_batch(conn, SEAL_BATCH) == SEAL_BATCH ? 0 : SEAL_PAUSE_MS;
}

static void *loop(void *arg) {
  struct periodic *p = arg;
  pthread_mutex_lock(&p->lock);
  while (!p->stopping) {
    pthread_mutex_unlock(&p->lock);
    int pause_ms = p->retry_ms;
    struct db_conn *conn = db_pool_acquire(p->pool, 1000);
    if (conn != NULL) {
      pause_ms = p->run(conn, p->context);
      db_pool_release(p->pool, conn);
    }
    pthread_mutex_lock(&p->lock);
    if (pause_ms > 0 && !p->stopping) {
      struct timespec until = deadline_after_ms(CLOCK_REALTIME, pause_ms);
      pthread_cond_timedwait(&p->wake, &p->lock, &until);
    }
  }
  pthread_mutex_unlock(&p->lock);
  return NULL;
}

struct periodic *periodic_start(const char *conninfo, periodic_run run, void *context,
                                int retry_ms) {
  struct periodic *p = calloc(1, sizeof *p);
  if (p == NULL) {
    return NULL;
  }
  p->pool = db_pool_create(conninfo, 1, 600000);
  p->run = run;
  p->context = context;
  p->retry_ms = retry_ms;
  pthread_mutex_init(&p->lock, NULL);
  pthread_cond_init(&p->wake, NULL);
  if (p->pool == NULL || pthread_create(&p->thread, NULL, loop, p) != 0) {
    db_pool_close(p->pool);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->wake);
    free(p);
    return NULL;
  }
  return p;
}

void periodic_stop(struct periodic *p) {
  if (p == NULL) {
    return;
  }
  pthread_mutex_lock(&p->lock);
  p->stopping = true;
  pthread_cond_signal(&p->wake);
  pthread_mutex_unlock(&p->lock);
  pthread_join(p->thread, NULL);
  db_pool_close(p->pool);
  pthread_mutex_destroy(&p->lock);
  pthread_cond_destroy(&p->wake);
  free(p);
}
