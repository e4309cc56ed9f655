/* Operational routes, answered without a token: liveness, readiness, metrics, the contract. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/pool.h"
#include "audit_queue.h"
#include "handlers.h"
#include "routes.h"

static const struct db_statement MIGRATED_VERSION = {
    "migrated_version", "SELECT coalesce(max(version), 0) FROM schema_migrations"};

void ops_healthz(struct request *r) {
  respond_json_text(r, 200, "{\"status\":\"ok\"}");
}

void ops_readyz(struct request *r) {
  struct db_conn *conn = db_pool_acquire(r->app->pool, r->app->config.db_acquire_timeout_ms);
  PGresult *res = conn != NULL ? db_exec(conn, &MIGRATED_VERSION, 0, NULL) : NULL;
  bool ready = res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK &&
               atoi(PQgetvalue(res, 0, 0)) >= r->app->migrations_latest;
  PQclear(res);
  db_pool_release(r->app->pool, conn);
  if (ready) {
    respond_json_text(r, 200, "{\"status\":\"ready\"}");
  } else {
    respond_unavailable(r);
  }
}

void ops_metrics(struct request *r) {
  size_t count;
  const struct route *routes = routes_all(&count);
  char label_text[METRICS_MAX_ROUTES][96];
  const char *labels[METRICS_MAX_ROUTES];
  for (size_t i = 0; i < count && i < METRICS_MAX_ROUTES; i++) {
    snprintf(label_text[i], sizeof label_text[i], "%s %s", routes[i].method, routes[i].path);
    labels[i] = label_text[i];
  }
  char *text = metrics_render(&r->app->metrics, labels, count, db_pool_in_use(r->app->pool),
                              r->app->config.pool_size, audit_queue_waiting(r->app->audit_queue));
  if (text == NULL) {
    respond_problem(r, 500, "internal", "The metrics could not be written.");
    return;
  }
  r->status = 200;
  ulfius_set_string_body_response(r->response, 200, text);
  set_header(r, "Content-Type", "text/plain; version=0.0.4");
  free(text);
}

void ops_openapi(struct request *r) {
  r->status = 200;
  ulfius_set_binary_body_response(r->response, 200, r->app->openapi, r->app->openapi_length);
  set_header(r, "Content-Type", "application/yaml");
}
