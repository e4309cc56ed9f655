#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <ulfius.h>
#include <unistd.h>
#include <yder.h>

#include "../domain/calendar.h"
#include "audit_queue.h"
#include "audit_trail.h"
#include "http.h"
#include "routes.h"
#include "token_cache.h"
#include "action_sweep.h"
#include "connections.h"
#include "cors.h"
#include "event_feed.h"
#include "idempotency.h"
#include "periodic.h"
#include "rate_limit.h"
#include "webhook_delivery.h"

/* Reads' audit rows that may wait for the writer (a few MiB at the most: about 300 bytes a row).
 * When it is full, reads wait for the writer: the service serves reads no faster than it can
 * audit them. */
#define AUDIT_QUEUE_CAPACITY 20000
/* Verified tokens remembered (token_cache.h). */
#define TOKEN_CACHE_SLOTS 4096
/* Subjects whose request rate is remembered (rate_limit.h): about 150 bytes each. */
#define RATE_LIMIT_SUBJECTS 16384
/* At the stop, how long requests under way may take to finish; and the bound on the whole stop,
 * after which the process leaves whatever still holds it (its transactions roll back). */
#define STOP_DRAIN_SECONDS 6.0
#define STOP_DEADLINE_SECONDS 9
/* Descriptors kept for the database pools, the log and the rest, beside the connections. */
#define RESERVED_DESCRIPTORS 64

/* The next 64 random-looking bits of this thread's splitmix64 sequence, seeded once from the
 * kernel: request ids need to be unique, not secret, and a system call and sixteen snprintf
 * calls a request showed in the profile. */
static uint64_t next_id_bits(void) {
  static _Thread_local uint64_t state;
  static _Thread_local bool seeded;
  if (!seeded) {
    if (getrandom(&state, sizeof state, 0) != (ssize_t)sizeof state) {
      state = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)&state;
    }
    seeded = true;
  }
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

static void new_request_id(char id[33]) {
  static const char digits[] = "0123456789abcdef";
  uint64_t halves[2] = {next_id_bits(), next_id_bits()};
  for (size_t i = 0; i < 32; i++) {
    id[i] = digits[(halves[i / 16] >> (4 * (i % 16))) & 15];
  }
  id[32] = '\0';
}



/* 413 when the declared or received body exceeds the limit (ulfius truncates silently). */
static bool body_too_large(struct request *r) {
  size_t limit = r->app->config.body_limit;
  const char *length = u_map_get_case(r->http->map_header, "Content-Length");
  if ((length != NULL && strtoull(length, NULL, 10) > limit) ||
      r->http->binary_body_length > limit) {
    respond_problem(r, 413, "payload-too-large", "The body is larger than this service accepts.");
    return true;
  }
  return false;
}

static void refuse_token(struct request *r, const char *description) {
  char header[256];
  if (description == NULL) {
    snprintf(header, sizeof header, "Bearer realm=\"permanence\"");
  } else {
    snprintf(header, sizeof header,
             "Bearer realm=\"permanence\", error=\"invalid_token\", error_description=\"%s\"",
             description);
  }
  respond_problem(r, 401, "unauthorized",
                  description != NULL ? description : "A bearer token is required.");
  set_header(r, "WWW-Authenticate", header);
}

/* The seconds of a clock that never goes back. */
static double monotonic_seconds(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

/* OWASP API4: charges the request to its subject (the token's sub once verified, the client's
 * address otherwise). Answers 429 with Retry-After and returns false when the subject is over
 * its rate. */
static bool within_rate_limit(struct request *r) {
  if (r->app->rate_limit == NULL) {
    return true;
  }
  char subject[RATE_LIMIT_SUBJECT_MAX + 1];
  const struct sockaddr *peer = r->http->client_address;
  char address[INET6_ADDRSTRLEN] = "unknown";
  if (r->authenticated) {
    snprintf(subject, sizeof subject, "sub:%s", r->caller.sub);
  } else {
    if (peer != NULL && peer->sa_family == AF_INET) {
      inet_ntop(AF_INET, &((const struct sockaddr_in *)peer)->sin_addr, address, sizeof address);
    }
    snprintf(subject, sizeof subject, "address:%s", address);
  }
  unsigned long wait = rate_limit_take(r->app->rate_limit, subject, monotonic_seconds());
  if (wait == 0) {
    return true;
  }
  char seconds[24];
  snprintf(seconds, sizeof seconds, "%lu", wait);
  respond_problem(r, 429, "too-many-requests",
                  "Too many requests from this caller; try again after Retry-After seconds.");
  set_header(r, "Retry-After", seconds);
  return false;
}

enum token_outcome { TOKEN_VALID, TOKEN_MISSING, TOKEN_DOUBLED, TOKEN_INVALID };

/* Reads and verifies the bearer token. TOKEN_VALID fills r->caller; TOKEN_INVALID points
 * *reason at why, fit for WWW-Authenticate. Answers nothing. */
static enum token_outcome verify_bearer(struct request *r, const char **reason) {
  const char *header = u_map_get_case(r->http->map_header, "Authorization");
  if (header == NULL) {
    return TOKEN_MISSING;
  }
  if (strchr(header, ',') != NULL) {
    return TOKEN_DOUBLED;
  }
  if (strncasecmp(header, "Bearer ", 7) != 0) {
    *reason = "use the Bearer scheme";
    return TOKEN_INVALID;
  }
  const char *token = header + 7;
  time_t now = wall_clock_now();
  if (!token_cache_find(r->app->tokens, token, now, &r->caller)) {
    if (auth_verify_token(&r->app->jwt, token, now, &r->caller, reason) != 0) {
      return TOKEN_INVALID;
    }
    token_cache_store(r->app->tokens, token, &r->caller);
  }
  r->authenticated = true;
  return TOKEN_VALID;
}

/* Verifies the bearer token and charges the request to its subject. Answers 400/401/403/429 and
 * returns false when the request stops here. */
static bool authenticate(struct request *r) {
  const char *reason = NULL;
  enum token_outcome outcome = verify_bearer(r, &reason);
  if (!within_rate_limit(r)) {
    return false;
  }
  switch (outcome) {
  case TOKEN_MISSING:
    refuse_token(r, NULL);
    return false;
  case TOKEN_DOUBLED:
    respond_problem(r, 400, "bad-request", "Send exactly one Authorization header.");
    return false;
  case TOKEN_INVALID:
    refuse_token(r, reason);
    return false;
  case TOKEN_VALID:
    break;
  }
  if (r->caller.roles == 0) {
    respond_problem(r, 403, "forbidden", "The token holds no role of this service.");
    return false;
  }
  return true;
}

/* R1: refusals on a resource route, and reads flagged by the route, land in the audit trail.
 * A read whose audit row cannot be written is not answered. */
static void audit_outcome(struct request *r) {
  const struct route *route = r->route;
  if (route == NULL || route->resource_type == NULL || r->audited) {
    return;
  }
  bool refusal = r->status == 401 || r->status == 403 || r->status == 404 || r->status == 429;
  bool audited_read = route->audit_reads && r->status == 200;
  if (!refusal && !audited_read) {
    return;
  }
  db_rollback_open(r->db); /* the refused request's own work is not kept; its refusal is */
  char id[160] = "";
  if (route->id_segment >= 0) {
    path_segment(r, route->id_segment, id, sizeof id);
  }
  if (!audit_read(r, route->resource_type, id[0] != '\0' ? id : NULL, r->status, NULL) &&
      audited_read) {
    respond_unavailable(r);
  }
}

static void log_request(const struct request *r, double ms) {
  if (r->status < 500 && r->app->config.log_level < Y_LOG_LEVEL_INFO) {
    return; /* yder would drop it, after taking its lock */
  }
  char path[128];
  if (r->route != NULL) {
    snprintf(path, sizeof path, "%s", r->route->path);
  } else {
    snprintf(path, sizeof path, "%s", r->http->url_path != NULL ? r->http->url_path : "");
    for (char *c = path; *c != '\0'; c++) {
      if (!(*c == '/' || *c == '-' || *c == '_' || *c == '.' || (*c >= '0' && *c <= '9') ||
            (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z'))) {
        *c = '_';
      }
    }
  }
  y_log_message(r->status >= 500 ? Y_LOG_LEVEL_ERROR : Y_LOG_LEVEL_INFO,
                "\"event\":\"request\",\"request_id\":\"%s\",\"method\":\"%.10s\",\"path\":\"%s\","
                "\"status\":%d,\"ms\":%.3f,\"sub\":\"%s\"",
                r->id, r->route != NULL ? r->route->method : "OTHER", path, r->status,
                ms, r->authenticated ? r->caller.sub : "");
}

static void route_unknown(struct request *r) {
  char allowed[64];
  if (routes_allowed_methods(r->http->url_path, allowed, sizeof allowed)[0] != '\0') {
    respond_problem(r, 405, "method-not-allowed",
                    "This method is not allowed here (records are never deleted: R3).");
    set_header(r, "Allow", allowed);
  } else {
    respond_problem(r, 404, "not-found", "There is no such route.");
  }
}

/* The single ulfius callback (its default endpoint): every request is routed here by
 * routes_find, one pass over the route table. */
static int dispatch(const struct _u_request *http, struct _u_response *response, void *user_data) {
  struct timespec started;
  clock_gettime(CLOCK_MONOTONIC, &started);
  size_t index = METRICS_MAX_ROUTES;
  struct request r = {.http = http, .response = response, .app = user_data,
                      .route = routes_find(http->http_verb, http->url_path, &index)};
  new_request_id(r.id);
  r.today = london_date(wall_clock_now());
  bool admitted = connections_request_arrived(r.app->connections);
  set_header(&r, "X-Request-Id", r.id);
  if (connections_stopping(r.app->connections)) {
    set_header(&r, "Connection", "close"); /* the service is stopping: no further requests */
  }
  cors_decorate(&r);
  if (!admitted) {
    respond_problem(&r, 503, "service-unavailable", "The service is stopping; try again shortly.");
    set_header(&r, "Retry-After", "1");
  } else if (cors_preflight(&r)) {
    /* answered: a browser asks before it calls */
  } else if (r.route == NULL) {
    route_unknown(&r);
  } else if (!body_too_large(&r) && (r.route->public ? within_rate_limit(&r) : authenticate(&r))) {
    set_header(&r, "Cache-Control", "no-store"); /* personal data is never cached */
    idempotent_call(&r);
  }
  if (r.status == 0) {
    respond_unavailable(&r); /* a database step failed without an answer: nothing was saved */
  }
  audit_outcome(&r);
  request_end(&r);
  struct timespec ended;
  clock_gettime(CLOCK_MONOTONIC, &ended);
  double ms = (double)(ended.tv_sec - started.tv_sec) * 1e3 +
              (double)(ended.tv_nsec - started.tv_nsec) / 1e6;
  metrics_observe(&r.app->metrics, index, r.status, (unsigned long)(ms * 1000));
  log_request(&r, ms);
  return U_CALLBACK_COMPLETE;
}

/* At the stop: writes whatever reads' audit rows are still queued. Returns 0, or -1 (with a
 * log line) when some could not be written. */
static int write_queued_audit(struct app *app) {
  struct db_pool *pool = db_pool_create(app->config.database_url, 1, 600000);
  struct db_conn *conn = pool != NULL ? db_pool_acquire(pool, 5000) : NULL;
  int written = conn != NULL ? audit_queue_write(app->audit_queue, conn) : -1;
  if (conn != NULL) {
    db_pool_release(pool, conn);
  }
  db_pool_close(pool);
  if (written < 0) {
    y_log_message(Y_LOG_LEVEL_ERROR, "\"event\":\"audit_rows_not_written_at_stop\"");
    return -1;
  }
  return 0;
}

/* libmicrohttpd's messages, as log lines. */
static void log_http_library(void *cls, const char *format, va_list arguments) {
  (void)cls;
  char message[512];
  vsnprintf(message, sizeof message, format, arguments);
  message[strcspn(message, "\r\n")] = '\0';
  json_t *text = json_string(message);
  char *quoted = text != NULL ? json_dumps(text, JSON_ENCODE_ANY) : NULL;
  y_log_message(Y_LOG_LEVEL_WARNING, "\"event\":\"http_library\",\"message\":%s",
                quoted != NULL ? quoted : "null");
  free(quoted);
  json_decref(text);
}

/* The connections served at once: PERMANENCE_MAX_CONNECTIONS, or fewer when the open files
 * limit, raised to its ceiling first, leaves no room for that many (logged). */
static unsigned int connection_limit(const struct config *config) {
  struct rlimit files;
  if (getrlimit(RLIMIT_NOFILE, &files) != 0) {
    return config->max_connections;
  }
  if (files.rlim_cur < files.rlim_max) {
    struct rlimit raised = {files.rlim_max, files.rlim_max};
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) {
      files = raised;
    }
  }
  rlim_t reserved = (rlim_t)config->pool_size + RESERVED_DESCRIPTORS;
  if (files.rlim_cur == RLIM_INFINITY || files.rlim_cur >= reserved + config->max_connections) {
    return config->max_connections;
  }
  unsigned int limit = files.rlim_cur > reserved + 16 ? (unsigned int)(files.rlim_cur - reserved)
                                                      : 16;
  y_log_message(Y_LOG_LEVEL_WARNING,
                "\"event\":\"connections_limited\",\"max_connections\":%u,\"open_files\":%lu",
                limit, (unsigned long)files.rlim_cur);
  return limit;
}

/* Starts the HTTP daemon as ulfius would, and more: a thread per connection (handlers wait on
 * PostgreSQL), poll() rather than select() (which cannot watch a descriptor past 1023), the idle
 * timeout, the connection limit, the receive deadline and the drain (connections.h), and the
 * inter-thread channel that lets the stop close the port. Returns false when it cannot listen. */
static bool start_http(struct _u_instance *instance, struct app *app,
                       struct sockaddr_in *address) {
  unsigned int flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
                       MHD_USE_POLL | MHD_USE_ITC | MHD_USE_ERROR_LOG;
  struct MHD_OptionItem options[5 + CONNECTIONS_MHD_OPTIONS] = {
      {MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)log_http_library, NULL},
      {MHD_OPTION_SOCK_ADDR, 0, address},
      {MHD_OPTION_CONNECTION_TIMEOUT, (intptr_t)app->config.idle_timeout_seconds, NULL},
      {MHD_OPTION_CONNECTION_LIMIT, (intptr_t)connection_limit(&app->config), NULL},
  };
  connections_mhd_options(app->connections, &options[4]);
  options[4 + CONNECTIONS_MHD_OPTIONS] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
  return ulfius_start_framework_with_mhd_options(instance, flags, options) == U_OK;
}

/* The bound on the stop: started at the stop signal, it ends the process STOP_DEADLINE_SECONDS
 * later should anything still hold the stop (a handler in a long statement, a background task
 * mid-run); their open transactions roll back. */
static void *leave_at_stop_deadline(void *unused) {
  (void)unused;
  struct timespec until;
  clock_gettime(CLOCK_MONOTONIC, &until);
  until.tv_sec += STOP_DEADLINE_SECONDS;
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) == EINTR) {
  }
  y_log_message(Y_LOG_LEVEL_ERROR, "\"event\":\"stop_deadline_passed\",\"seconds\":%d",
                STOP_DEADLINE_SECONDS);
  _exit(1);
}

/* Stops serving: closes the port (new connections are refused), ends the long polls, lets the
 * requests under way finish (STOP_DRAIN_SECONDS at the most; a request begun meanwhile on an open
 * connection is refused with 503), then stops the daemon, closing the idle connections. */
static void stop_http(struct _u_instance *instance, struct app *app) {
  MHD_socket listening = MHD_quiesce_daemon(instance->mhd_daemon);
  if (listening != MHD_INVALID_SOCKET) {
    /* refuses new connections at once; the descriptor itself is closed only after the daemon
     * stopped, as libmicrohttpd asks */
    shutdown(listening, SHUT_RDWR);
  }
  event_bell_close(app->events_bell);
  int unfinished = connections_drain(app->connections, STOP_DRAIN_SECONDS);
  if (unfinished > 0) {
    y_log_message(Y_LOG_LEVEL_WARNING, "\"event\":\"stopping_with_requests_unfinished\","
                  "\"requests\":%d", unfinished);
  }
  ulfius_stop_framework(instance);
  if (listening != MHD_INVALID_SOCKET) {
    close(listening);
  }
}

int server_run(struct app *app) {
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)app->config.port)};
  struct _u_instance instance;
  if (inet_pton(AF_INET, app->config.bind_address, &address.sin_addr) != 1 ||
      ulfius_init_instance(&instance, app->config.port, &address, NULL) != U_OK) {
    fprintf(stderr, "permanenced: cannot listen on %s:%u\n", app->config.bind_address,
            app->config.port);
    return -1;
  }
  instance.max_post_body_size = app->config.body_limit + 1;
  instance.allowed_post_processor = U_POST_PROCESS_NONE;
  /* ulfius refuses to start without an endpoint list: /healthz is registered as one (routed by
   * dispatch like every other request); everything else reaches the default endpoint. */
  ulfius_add_endpoint_by_val(&instance, "GET", "/healthz", NULL, 0, dispatch, app);
  ulfius_set_default_endpoint(&instance, dispatch, app);

  int rc = -1;
  app->audit_queue = audit_queue_create(AUDIT_QUEUE_CAPACITY);
  app->tokens = token_cache_create(TOKEN_CACHE_SLOTS);
  app->rate_limit = rate_limit_create(app->config.rate_limit_per_minute,
                                      app->config.rate_limit_burst, RATE_LIMIT_SUBJECTS);
  bool rate_limit_ready = app->rate_limit != NULL || app->config.rate_limit_per_minute == 0;
  app->connections = connections_create(app->config.receive_timeout_seconds);
  struct periodic *audit_writer =
      app->audit_queue != NULL
          ? periodic_start(app->config.database_url, audit_queue_periodic, app->audit_queue, 100)
          : NULL;
  struct periodic *sealer =
      periodic_start(app->config.database_url, periodic_seal_audit, NULL, 1000);
  struct periodic *sweeper =
      periodic_start(app->config.database_url, action_sweep_periodic, NULL, 5000);
  app->events_bell = event_bell_create();
  struct periodic *sequencer =
      app->events_bell != NULL
          ? periodic_start(app->config.database_url, event_sequencer_periodic, app->events_bell,
                           1000)
          : NULL;
  struct periodic *webhook_sender = NULL;
  bool webhooks_started = webhook_delivery_start(app, &webhook_sender);
  if (app->tokens != NULL && rate_limit_ready && app->connections != NULL &&
      audit_writer != NULL && sealer != NULL && sweeper != NULL && sequencer != NULL &&
      webhooks_started && start_http(&instance, app, &address)) {
    y_log_message(Y_LOG_LEVEL_INFO, "\"event\":\"listening\",\"address\":\"%s\",\"port\":%u",
                  app->config.bind_address, app->config.port);
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    int signal_number = 0;
    sigwait(&stop, &signal_number);
    y_log_message(Y_LOG_LEVEL_INFO, "\"event\":\"stopping\",\"signal\":%d", signal_number);
    pthread_t deadline;
    if (pthread_create(&deadline, NULL, leave_at_stop_deadline, NULL) == 0) {
      pthread_detach(deadline);
    }
    stop_http(&instance, app);
    rc = 0;
  } else {
    fprintf(stderr, "permanenced: cannot start the server on %s:%u\n", app->config.bind_address,
            app->config.port);
  }
  /* the reads' audit rows first: nothing queues them once the daemon stopped */
  periodic_stop(audit_writer);
  if (app->audit_queue != NULL && write_queued_audit(app) != 0) {
    rc = 1;
  }
  periodic_stop(sweeper);
  periodic_stop(sequencer);
  webhook_delivery_stop(webhook_sender);
  periodic_stop(sealer);
  audit_queue_free(app->audit_queue);
  app->audit_queue = NULL;
  token_cache_free(app->tokens);
  app->tokens = NULL;
  rate_limit_free(app->rate_limit);
  app->rate_limit = NULL;
  connections_free(app->connections);
  app->connections = NULL;
  event_bell_free(app->events_bell);
  app->events_bell = NULL;
  ulfius_clean_instance(&instance);
  return rc;
}
