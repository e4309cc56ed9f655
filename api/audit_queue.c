#include "audit_queue.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../db/audit.h"

#define WRITE_BATCH 2000   /* rows in one COPY */
#define WRITER_PAUSE_MS 3  /* between the writer's runs when it has caught up */

struct audit_queue {
  pthread_mutex_t lock;
  pthread_cond_t changed;       /* rows queued or committed */
  char **rows;                  /* a ring of `capacity` COPY lines, owned by the queue */
  size_t capacity;
  size_t head;                  /* the oldest row */
  size_t count;
  unsigned long long queued;    /* rows ever queued */
  unsigned long long committed; /* rows ever committed */
};

struct audit_queue *audit_queue_create(size_t capacity) {
  struct audit_queue *q = calloc(1, sizeof *q);
  char **rows = calloc(capacity, sizeof *rows);
  if (q == NULL || rows == NULL) {
    free(q);
    free(rows);
    return NULL;
  }
  q->rows = rows;
  q->capacity = capacity;
  pthread_mutex_init(&q->lock, NULL);
  pthread_cond_init(&q->changed, NULL);
  return q;
}

void audit_queue_free(struct audit_queue *q) {
  if (q == NULL) {
    return;
  }
  for (size_t i = 0; i < q->count; i++) {
    free(q->rows[(q->head + i) % q->capacity]);
  }
  pthread_mutex_destroy(&q->lock);
  pthread_cond_destroy(&q->changed);
  free(q->rows);
  free(q);
}

bool audit_queue_add(struct audit_queue *q, char *line, int wait_ms) {
  if (line == NULL) {
    return false;
  }
  struct timespec until = deadline_after_ms(CLOCK_REALTIME, wait_ms);
  pthread_mutex_lock(&q->lock);
  int waited = 0;
  while (q->count == q->capacity && waited == 0) {
    waited = pthread_cond_timedwait(&q->changed, &q->lock, &until);
  }
  bool added = q->count < q->capacity;
  if (added) {
    q->rows[(q->head + q->count) % q->capacity] = line;
    q->count++;
    q->queued++;
  }
  pthread_mutex_unlock(&q->lock);
  if (!added) {
    free(line);
  }
  return added;
}

/* The oldest rows, up to a batch, as one COPY input (the caller frees it; NULL when out of
 * memory) of *length bytes; the queue keeps the rows until they are committed. */
static char *oldest_batch(struct audit_queue *q, size_t *taken, size_t *length) {
  pthread_mutex_lock(&q->lock);
  *taken = q->count < WRITE_BATCH ? q->count : WRITE_BATCH;
  size_t size = 1;
  for (size_t i = 0; i < *taken; i++) {
    size += strlen(q->rows[(q->head + i) % q->capacity]);
  }
  char *batch = *taken > 0 ? malloc(size) : NULL;
  *length = 0;
  for (size_t i = 0; batch != NULL && i < *taken; i++) {
    const char *row = q->rows[(q->head + i) % q->capacity];
    size_t row_length = strlen(row);
    memcpy(batch + *length, row, row_length);
    *length += row_length;
  }
  pthread_mutex_unlock(&q->lock);
  return batch;
}

/* Drops the `n` oldest rows, now committed, and wakes whoever waits for room or for them. */
static void forget_committed(struct audit_queue *q, size_t n) {
  pthread_mutex_lock(&q->lock);
  for (size_t i = 0; i < n; i++) {
    free(q->rows[q->head]);
    q->rows[q->head] = NULL;
    q->head = (q->head + 1) % q->capacity;
  }
  q->count -= n;
  q->committed += n;
  pthread_cond_broadcast(&q->changed);
  pthread_mutex_unlock(&q->lock);
}

int audit_queue_write(struct audit_queue *q, struct db_conn *conn) {
  int written = 0;
  for (;;) {
    size_t taken;
    size_t length;
    char *batch = oldest_batch(q, &taken, &length);
    if (taken == 0) {
      return written;
    }
    bool ok = batch != NULL && db_copy_in(conn, AUDIT_COPY, batch, length);
    free(batch);
    if (!ok) {
      return -1;
    }
    forget_committed(q, taken);
    written += (int)taken;
  }
}

bool audit_queue_settle(struct audit_queue *q, int wait_ms) {
  struct timespec until = deadline_after_ms(CLOCK_REALTIME, wait_ms);
  pthread_mutex_lock(&q->lock);
  unsigned long long target = q->queued;
  int waited = 0;
  while (q->committed < target && waited == 0) {
    waited = pthread_cond_timedwait(&q->changed, &q->lock, &until);
  }
  bool settled = q->committed >= target;
  pthread_mutex_unlock(&q->lock);
  return settled;
}

size_t audit_queue_waiting(struct audit_queue *q) {
  pthread_mutex_lock(&q->lock);
  size_t waiting = q->count;
  pthread_mutex_unlock(&q->lock);
  return waiting;
}

int audit_queue_periodic(struct db_conn *conn, void *context) {
  return audit_queue_write(context, conn) < 0 ? 100 : WRITER_PAUSE_MS;
}
