#include "connections.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <ulfius.h>
#include <yder.h>

#include "../db/pool.h"

/* How often the watch looks for requests past their deadline. */
#define WATCH_INTERVAL_MS 250

enum phase {
  AWAITING,  /* no request line yet since the connection opened or its previous answer */
  RECEIVING, /* the request line arrived; headers or body still coming */
  HANDLING,  /* the whole request arrived: being handled, then answered */
  CLOSING    /* shut down for missing its deadline */
};

struct connection {
  MHD_socket fd;
  enum phase phase;
  bool began_after_stop;
  struct timespec since; /* when the current request's deadline started (CLOCK_MONOTONIC) */
  struct connection *prev;
  struct connection *next;
};

struct connections {
  pthread_mutex_t lock;
  pthread_cond_t changed; /* CLOCK_MONOTONIC; signalled when `busy` drops or the watch ends */
  pthread_t watch;
  bool watch_ending;
  bool stopping;
  unsigned int receive_timeout_seconds;
  int busy; /* connections RECEIVING or HANDLING */
  struct connection *open;
};

/* The connection this thread serves (a thread per connection). */
static _Thread_local struct connection *current;

static bool is_busy(enum phase phase) {
  return phase == RECEIVING || phase == HANDLING;
}

/* Moves `c` to `phase`, keeping the count of busy connections. Called with the lock held. */
static void set_phase(struct connections *all, struct connection *c, enum phase phase) {
  all->busy += (is_busy(phase) ? 1 : 0) - (is_busy(c->phase) ? 1 : 0);
  c->phase = phase;
  if (all->busy == 0) {
    pthread_cond_broadcast(&all->changed);
  }
}

static double seconds_since(const struct timespec *then, const struct timespec *now) {
  return (double)(now->tv_sec - then->tv_sec) + (double)(now->tv_nsec - then->tv_nsec) / 1e9;
}

/* Shuts down every connection whose request is late. Returns how many. Lock held. */
static int close_late(struct connections *all) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  int closed = 0;
  for (struct connection *c = all->open; c != NULL; c = c->next) {
    if ((c->phase == AWAITING || c->phase == RECEIVING) &&
        seconds_since(&c->since, &now) >= (double)all->receive_timeout_seconds) {
      /* its thread sees the end of the stream and closes it; the descriptor stays valid until
       * the close is notified, which needs this lock */
      shutdown(c->fd, SHUT_RDWR);
      set_phase(all, c, CLOSING);
      closed++;
    }
  }
  return closed;
}

static void *watch(void *arg) {
  struct connections *all = arg;
  pthread_mutex_lock(&all->lock);
  while (!all->watch_ending) {
    struct timespec until = deadline_after_ms(CLOCK_MONOTONIC, WATCH_INTERVAL_MS);
    pthread_cond_timedwait(&all->changed, &all->lock, &until);
    int closed = close_late(all);
    if (closed > 0) {
      y_log_message(Y_LOG_LEVEL_WARNING,
                    "\"event\":\"request_too_slow\",\"closed\":%d,\"receive_timeout_seconds\":%u",
                    closed, all->receive_timeout_seconds);
    }
  }
  pthread_mutex_unlock(&all->lock);
  return NULL;
}

struct connections *connections_create(unsigned int receive_timeout_seconds) {
  struct connections *all = calloc(1, sizeof *all);
  if (all == NULL) {
    return NULL;
  }
  all->receive_timeout_seconds = receive_timeout_seconds;
  pthread_condattr_t monotonic;
  pthread_condattr_init(&monotonic);
  pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC);
  pthread_cond_init(&all->changed, &monotonic);
  pthread_condattr_destroy(&monotonic);
  pthread_mutex_init(&all->lock, NULL);
  if (pthread_create(&all->watch, NULL, watch, all) != 0) {
    pthread_cond_destroy(&all->changed);
    pthread_mutex_destroy(&all->lock);
    free(all);
    return NULL;
  }
  return all;
}

void connections_free(struct connections *all) {
  if (all == NULL) {
    return;
  }
  pthread_mutex_lock(&all->lock);
  all->watch_ending = true;
  pthread_cond_broadcast(&all->changed);
  pthread_mutex_unlock(&all->lock);
  pthread_join(all->watch, NULL);
  while (all->open != NULL) { /* none once the daemon stopped; freed all the same */
    struct connection *c = all->open;
    all->open = c->next;
    free(c);
  }
  pthread_cond_destroy(&all->changed);
  pthread_mutex_destroy(&all->lock);
  free(all);
}

/* MHD_OPTION_NOTIFY_CONNECTION: a connection opened (on the listening thread) or closed (before
 * its descriptor is). A connection that cannot be recorded is served without a deadline. */
static void connection_notified(void *cls, struct MHD_Connection *connection,
                                void **socket_context, enum MHD_ConnectionNotificationCode code) {
  struct connections *all = cls;
  struct connection *c = *socket_context;
  if (code == MHD_CONNECTION_NOTIFY_STARTED) {
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    c = info != NULL ? calloc(1, sizeof *c) : NULL;
    if (c == NULL) {
      return;
    }
    c->fd = info->connect_fd;
    c->phase = AWAITING;
    clock_gettime(CLOCK_MONOTONIC, &c->since);
    pthread_mutex_lock(&all->lock);
    c->next = all->open;
    if (all->open != NULL) {
      all->open->prev = c;
    }
    all->open = c;
    pthread_mutex_unlock(&all->lock);
    *socket_context = c;
  } else if (code == MHD_CONNECTION_NOTIFY_CLOSED && c != NULL) {
    pthread_mutex_lock(&all->lock);
    set_phase(all, c, CLOSING);
    if (c->prev != NULL) {
      c->prev->next = c->next;
    } else {
      all->open = c->next;
    }
    if (c->next != NULL) {
      c->next->prev = c->prev;
    }
    pthread_mutex_unlock(&all->lock);
    free(c);
    *socket_context = NULL;
  }
}

/* The connection's record, or NULL when it has none. */
static struct connection *record_of(struct MHD_Connection *connection) {
  const union MHD_ConnectionInfo *info =
      MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  return info != NULL ? info->socket_context : NULL;
}

/* MHD_OPTION_URI_LOG_CALLBACK, on the connection's thread: a request line arrived. Returns
 * ulfius' own state for the request. */
static void *request_began(void *cls, const char *uri, struct MHD_Connection *connection) {
  struct connections *all = cls;
  struct connection *c = record_of(connection);
  current = c;
  if (c != NULL) {
    pthread_mutex_lock(&all->lock);
    if (c->phase == AWAITING) {
      set_phase(all, c, RECEIVING);
      c->began_after_stop = all->stopping;
    }
    pthread_mutex_unlock(&all->lock);
  }
  return ulfius_uri_logger(NULL, uri);
}

/* MHD_OPTION_NOTIFY_COMPLETED, on the connection's thread: the request was answered (or given
 * up). ulfius frees its state; the next request's deadline starts now. */
static void request_completed(void *cls, struct MHD_Connection *connection, void **request_context,
                              enum MHD_RequestTerminationCode how) {
  mhd_request_completed(NULL, connection, request_context, how);
  struct connections *all = cls;
  struct connection *c = record_of(connection);
  if (c != NULL) {
    pthread_mutex_lock(&all->lock);
    if (c->phase != CLOSING) {
      set_phase(all, c, AWAITING);
      clock_gettime(CLOCK_MONOTONIC, &c->since);
    }
    pthread_mutex_unlock(&all->lock);
  }
}

void connections_mhd_options(struct connections *all,
                             struct MHD_OptionItem options[CONNECTIONS_MHD_OPTIONS]) {
  options[0] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_CONNECTION,
                                       (intptr_t)connection_notified, all};
  options[1] = (struct MHD_OptionItem){MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)request_began, all};
  options[2] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)request_completed,
                                       all};
}

bool connections_request_arrived(struct connections *all) {
  struct connection *c = current;
  bool admitted = true;
  pthread_mutex_lock(&all->lock);
  if (c != NULL) {
    if (c->phase == RECEIVING || c->phase == AWAITING) {
      set_phase(all, c, HANDLING);
    }
    admitted = !c->began_after_stop;
  } else {
    admitted = !all->stopping;
  }
  pthread_mutex_unlock(&all->lock);
  return admitted;
}

bool connections_stopping(struct connections *all) {
  pthread_mutex_lock(&all->lock);
  bool stopping = all->stopping;
  pthread_mutex_unlock(&all->lock);
  return stopping;
}

int connections_drain(struct connections *all, double seconds) {
  struct timespec until = deadline_after_ms(CLOCK_MONOTONIC, (int)(seconds * 1000));
  pthread_mutex_lock(&all->lock);
  all->stopping = true;
  int rc = 0;
  while (all->busy > 0 && rc == 0) {
    rc = pthread_cond_timedwait(&all->changed, &all->lock, &until);
  }
  int busy = all->busy;
  pthread_mutex_unlock(&all->lock);
  return busy;
}
