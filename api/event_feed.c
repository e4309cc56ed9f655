/* GET /v1/events?after=&limit=&wait=: the events the caller may see, in commit order. */
#include "event_feed.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../db/event_feed.h"
#include "../domain/access.h"
#include "../domain/panels.h"
#include "../domain/schema.h"
#include "handlers.h"

#define SEQUENCE_BATCH 5000
#define SEQUENCE_PAUSE_MS 50
#define FEED_LOOK_AT 2000   /* events examined a request: a reader who sees few still moves on */
#define FEED_MAX_WAIT_SECONDS 30
#define FEED_RECHECK_MS 1000 /* another instance's sequencer rings no bell of ours */

struct event_bell {
  pthread_mutex_t lock;
  pthread_cond_t rung;
  unsigned long long rings;
  bool closed; /* the service is stopping: nobody waits any more */
};

struct event_bell *event_bell_create(void) {
  struct event_bell *bell = calloc(1, sizeof *bell);
  if (bell == NULL) {
    return NULL;
  }
  pthread_condattr_t attr;
  pthread_condattr_init(&attr);
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  pthread_mutex_init(&bell->lock, NULL);
  pthread_cond_init(&bell->rung, &attr);
  pthread_condattr_destroy(&attr);
  return bell;
}

void event_bell_free(struct event_bell *bell) {
  if (bell == NULL) {
    return;
  }
  pthread_cond_destroy(&bell->rung);
  pthread_mutex_destroy(&bell->lock);
  free(bell);
}

void event_bell_close(struct event_bell *bell) {
  pthread_mutex_lock(&bell->lock);
  bell->closed = true;
  pthread_cond_broadcast(&bell->rung);
  pthread_mutex_unlock(&bell->lock);
}

static void bell_ring(struct event_bell *bell) {
  pthread_mutex_lock(&bell->lock);
  bell->rings++;
  pthread_cond_broadcast(&bell->rung);
  pthread_mutex_unlock(&bell->lock);
}

/* Waits until the bell rings after `seen` rings, or `ms` pass, or it is closed. Returns the
 * rings now. */
static unsigned long long bell_wait(struct event_bell *bell, unsigned long long seen, int ms) {
  struct timespec until = deadline_after_ms(CLOCK_MONOTONIC, ms);
  pthread_mutex_lock(&bell->lock);
  int rc = 0;
  while (bell->rings == seen && !bell->closed && rc != ETIMEDOUT) {
    rc = pthread_cond_timedwait(&bell->rung, &bell->lock, &until);
  }
  unsigned long long rings = bell->rings;
  pthread_mutex_unlock(&bell->lock);
  return rings;
}

static unsigned long long bell_rings(struct event_bell *bell) {
  pthread_mutex_lock(&bell->lock);
  unsigned long long rings = bell->rings;
  pthread_mutex_unlock(&bell->lock);
  return rings;
}

int event_sequencer_periodic(struct db_conn *conn, void *context) {
  char batch[16];
  snprintf(batch, sizeof batch, "%d", SEQUENCE_BATCH);
  const char *params[] = {batch};
  PGresult *res = db_exec(conn, &EVENTS_SEQUENCE, 1, params);
  long placed = res != NULL && PQresultStatus(res) == PGRES_COMMAND_OK
                    ? strtol(PQcmdTuples(res), NULL, 10)
                    : 0;
  PQclear(res);
  if (placed > 0) {
    bell_ring(context);
  }
  return placed == SEQUENCE_BATCH ? 0 : SEQUENCE_PAUSE_MS;
}

/* A whole number query parameter in [min, max], `fallback` when absent. Appends an error and
 * returns false otherwise. */
static bool number_param(struct request *r, const char *name, long long min, long long max,
                         long long fallback, long long *out, json_t *errors) {
  const char *text = query_param(r, name);
  *out = fallback;
  if (text == NULL) {
    return true;
  }
  char *end = NULL;
  errno = 0;
  long long value = strtoll(text, &end, 10);
  if (end == text || *end != '\0' || errno != 0 || value < min || value > max) {
    char message[96];
    snprintf(message, sizeof message, "must be a whole number from %lld to %lld", min, max);
    validation_error(errors, name, message);
    return false;
  }
  *out = value;
  return true;
}

/* One look at the feed after `after` for the caller. NULL after answering. */
static PGresult *look(struct request *r, const char *after, const char *limit) {
  char child_kinds[256];
  char carer_kinds[256];
  char look_at[16];
  snprintf(look_at, sizeof look_at, "%d", FEED_LOOK_AT);
  bool admin = role_set_has(r->caller.roles, ROLE_ADMIN);
  const char *params[] = {
      after, limit, r->caller.sub, admin ? "true" : "false",
      panel_reader_of_every_panel(r->caller.roles) ? "true" : "false",
      relationship_array_literal(access_child_grants(r->caller.roles, ACCESS_READ), child_kinds,
                                 sizeof child_kinds),
      relationship_array_literal(access_carer_grants(r->caller.roles, ACCESS_READ), carer_kinds,
                                 sizeof carer_kinds),
      r->caller.agency_id, look_at};
  return request_query(r, &EVENTS_AFTER, 9, params);
}

void events_list(struct request *r) {
  json_t *errors = json_array();
  long long after;
  long long limit;
  long long wait;
  bool ok = number_param(r, "after", 0, 9223372036854775806LL, 0, &after, errors);
  ok = number_param(r, "limit", 1, 200, 50, &limit, errors) && ok;
  ok = number_param(r, "wait", 0, FEED_MAX_WAIT_SECONDS, 0, &wait, errors) && ok;
  if (!ok) {
    respond_invalid(r, errors);
    return;
  }
  json_decref(errors);
  char after_text[24];
  char limit_text[8];
  snprintf(after_text, sizeof after_text, "%lld", after);
  snprintf(limit_text, sizeof limit_text, "%lld", limit);
  struct timespec start;
  clock_gettime(CLOCK_MONOTONIC, &start);
  unsigned long long rings = bell_rings(r->app->events_bell);
  for (;;) {
    PGresult *res = look(r, after_text, limit_text);
    if (res == NULL) {
      return;
    }
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long long waited_ms = (now.tv_sec - start.tv_sec) * 1000LL + (now.tv_nsec - start.tv_nsec) / 1000000LL;
    bool empty = strcmp(PQgetvalue(res, 0, 0), "[]") == 0;
    if (!empty || waited_ms >= wait * 1000LL) {
      char *answer = NULL;
      if (asprintf(&answer, "{\"items\":%s,\"next\":\"%s\"}", PQgetvalue(res, 0, 0),
                   PQgetvalue(res, 0, 1)) > 0) {
        respond_json_text(r, 200, answer);
      }
      free(answer);
      PQclear(res);
      return;
    }
    snprintf(after_text, sizeof after_text, "%s", PQgetvalue(res, 0, 1));
    PQclear(res);
    request_release_db(r); /* no connection is held while waiting */
    long long left = wait * 1000LL - waited_ms;
    rings = bell_wait(r->app->events_bell, rings, left < FEED_RECHECK_MS ? (int)left : FEED_RECHECK_MS);
  }
}
