#include "server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <ulfius.h>
#include <yder.h>

#include "../domain/calendar.h"
#include "audit_queue.h"
#include "audit_trail.h"
#include "http.h"
#include "routes.h"
#include "token_cache.h"
#include "action_sweep.h"
#include "cors.h"
#include "event_feed.h"
#include "idempotency.h"
#include "periodic.h"
#include "webhook_delivery.h"

/* Reads' audit rows that may wait for the writer (a few MiB at the most: about 300 bytes a row).
 * When it is full, reads wait for the writer: the service serves reads no faster than it can
 * audit them. */
#define AUDIT_QUEUE_CAPACITY 20000
/* Verified tokens remembered (token_cache.h). */
#define TOKEN_CACHE_SLOTS 4096

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

/* Verifies the bearer token. Answers 400/401/403 and returns false when the request stops here. */
static bool authenticate(struct request *r) {
  const char *header = u_map_get_case(r->http->map_header, "Authorization");
  if (header == NULL) {
    refuse_token(r, NULL);
    return false;
  }
  if (strchr(header, ',') != NULL) {
    respond_problem(r, 400, "bad-request", "Send exactly one Authorization header.");
    return false;
  }
  if (strncasecmp(header, "Bearer ", 7) != 0) {
    refuse_token(r, "use the Bearer scheme");
    return false;
  }
  const char *reason = NULL;
  const char *token = header + 7;
  time_t now = wall_clock_now();
  if (!token_cache_find(r->app->tokens, token, now, &r->caller)) {
    if (auth_verify_token(&r->app->jwt, token, now, &r->caller, &reason) != 0) {
      refuse_token(r, reason);
      return false;
    }
    token_cache_store(r->app->tokens, token, &r->caller);
  }
  r->authenticated = true;
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
  bool refusal = r->status == 401 || r->status == 403 || r->status == 404;
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
  set_header(&r, "X-Request-Id", r.id);
  cors_decorate(&r);
  if (cors_preflight(&r)) {
    /* answered: a browser asks before it calls */
  } else if (r.route == NULL) {
    route_unknown(&r);
  } else if (!body_too_large(&r) && (r.route->public || authenticate(&r))) {
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
  instance.timeout = app->config.idle_timeout_seconds;
  instance.allowed_post_processor = U_POST_PROCESS_NONE;
  /* ulfius refuses to start without an endpoint list: /healthz is registered as one (routed by
   * dispatch like every other request); everything else reaches the default endpoint. */
  ulfius_add_endpoint_by_val(&instance, "GET", "/healthz", NULL, 0, dispatch, app);
  ulfius_set_default_endpoint(&instance, dispatch, app);

  int rc = -1;
  app->audit_queue = audit_queue_create(AUDIT_QUEUE_CAPACITY);
  app->tokens = token_cache_create(TOKEN_CACHE_SLOTS);
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
  if (app->tokens != NULL && audit_writer != NULL && sealer != NULL && sweeper != NULL &&
      sequencer != NULL && webhooks_started &&
      ulfius_start_framework(&instance) == U_OK) {
    y_log_message(Y_LOG_LEVEL_INFO, "\"event\":\"listening\",\"address\":\"%s\",\"port\":%u",
                  app->config.bind_address, app->config.port);
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    int signal_number = 0;
    sigwait(&stop, &signal_number);
    y_log_message(Y_LOG_LEVEL_INFO, "\"event\":\"stopping\",\"signal\":%d", signal_number);
    event_bell_close(app->events_bell);
    ulfius_stop_framework(&instance);
    rc = 0;
  } else {
    fprintf(stderr, "permanenced: cannot start the server on %s:%u\n", app->config.bind_address,
            app->config.port);
  }
  periodic_stop(sweeper);
  periodic_stop(sequencer);
  webhook_delivery_stop(webhook_sender);
  periodic_stop(audit_writer);
  if (app->audit_queue != NULL && write_queued_audit(app) != 0) {
    rc = 1;
  }
  periodic_stop(sealer);
  audit_queue_free(app->audit_queue);
  app->audit_queue = NULL;
  token_cache_free(app->tokens);
  app->tokens = NULL;
  event_bell_free(app->events_bell);
  app->events_bell = NULL;
  ulfius_clean_instance(&instance);
  return rc;
}
