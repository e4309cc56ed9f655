#include "http.h"

#include "idempotency.h"

#include "../db/calendar.h"
#include "../db/settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yder.h>

#define PROBLEM_BASE "https://permanence.invalid/problems/"

const char *path_segment(const struct request *r, int n, char *buf, size_t size) {
  const char *p = r->http->url_path;
  buf[0] = '\0';
  for (int i = 0; p != NULL && *p != '\0'; i++) {
    while (*p == '/') {
      p++;
    }
    size_t len = strcspn(p, "/?");
    if (i == n) {
      snprintf(buf, size, "%.*s", (int)len, p);
      break;
    }
    p += len;
  }
  return buf;
}

const char *query_param(const struct request *r, const char *name) {
  return u_map_get(r->http->map_url, name);
}

void set_header(struct request *r, const char *name, const char *value) {
  ulfius_add_header_to_response(r->response, name, value);
}

void set_etag(struct request *r, const char *version) {
  char etag[32];
  snprintf(etag, sizeof etag, "\"%s\"", version);
  set_header(r, "ETag", etag);
}

void respond_json_text(struct request *r, int status, const char *json_text) {
  r->status = status;
  ulfius_set_string_body_response(r->response, (unsigned int)status, json_text);
  set_header(r, "Content-Type", "application/json");
}

void respond_created(struct request *r, const char *location, const char *version,
                     const char *json_text) {
  set_header(r, "Location", location);
  if (version != NULL) {
    set_etag(r, version);
  }
  respond_json_text(r, 201, json_text);
}

void respond_json(struct request *r, int status, json_t *body) {
  char *text = json_dumps(body, JSON_COMPACT);
  json_decref(body);
  if (text == NULL) {
    respond_problem(r, 500, "internal", "The answer could not be written.");
    return;
  }
  respond_json_text(r, status, text);
  free(text);
}

static const char *status_title(int status) {
  switch (status) {
  case 400: return "Bad request";
  case 401: return "Unauthorized";
  case 403: return "Forbidden";
  case 404: return "Not found";
  case 405: return "Method not allowed";
  case 409: return "Conflict";
  case 412: return "Precondition failed";
  case 413: return "Payload too large";
  case 415: return "Unsupported media type";
  case 422: return "Unprocessable content";
  case 428: return "Precondition required";
  case 429: return "Too many requests";
  case 503: return "Service unavailable";
  default: return "Internal server error";
  }
}

/* Sends `problem` (stolen) as application/problem+json. */
static void send_problem(struct request *r, int status, json_t *problem) {
  char *text = json_dumps(problem, JSON_COMPACT);
  json_decref(problem);
  r->status = status;
  ulfius_set_string_body_response(r->response, (unsigned int)status,
                                  text != NULL ? text : "{\"status\":500}");
  free(text);
  set_header(r, "Content-Type", "application/problem+json");
}

static json_t *problem_new(int status, const char *slug, const char *detail) {
  char type[128];
  snprintf(type, sizeof type, PROBLEM_BASE "%s", slug);
  return json_pack("{s:s, s:s, s:i, s:s}", "type", type, "title", status_title(status), "status",
                   status, "detail", detail);
}

void respond_problem(struct request *r, int status, const char *slug, const char *detail) {
  send_problem(r, status, problem_new(status, slug, detail));
}

void respond_invalid(struct request *r, json_t *errors) {
  json_t *problem = problem_new(422, "validation", "The request has invalid fields.");
  json_object_set_new(problem, "errors", errors);
  send_problem(r, 422, problem);
}

void respond_rule(struct request *r, int status, const char *rule, const char *detail,
                  json_t *missing) {
  json_t *problem = problem_new(status, status == 403 ? "forbidden" : status == 409 ? "conflict"
                                                                                    : "policy",
                                detail);
  json_object_set_new(problem, "rule", json_string(rule));
  if (missing != NULL) {
    json_object_set_new(problem, "missing", missing);
  }
  send_problem(r, status, problem);
}

time_t wall_clock_now(void) {
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  return now.tv_sec;
}

void respond_unavailable(struct request *r) {
  respond_problem(r, 503, "service-unavailable",
                  "The database cannot be reached just now; try again shortly.");
  set_header(r, "Retry-After", "1");
}

void respond_db_error(struct request *r, const PGresult *res) {
  const char *state = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
  if (res == NULL || db_conn_lost(r->db) || (state != NULL && (strncmp(state, "08", 2) == 0 ||
                                                                strncmp(state, "57P", 3) == 0))) {
    respond_unavailable(r);
  } else if (state != NULL && strcmp(state, "23505") == 0) {
    respond_problem(r, 409, "conflict", "A record with the same identifier already exists.");
  } else if (state != NULL && (strcmp(state, "23503") == 0 || strcmp(state, "23514") == 0)) {
    respond_problem(r, 422, "validation", "The request refers to a record that does not fit.");
  } else if (state != NULL && strncmp(state, "22", 2) == 0) {
    respond_problem(r, 400, "bad-request", "A value in the request is out of range or malformed.");
  } else if (state != NULL && (strcmp(state, "57014") == 0 || strcmp(state, "40P01") == 0 ||
                                strcmp(state, "40001") == 0)) {
    respond_unavailable(r); /* a timeout, a deadlock or a serialization failure: try again */
  } else {
    json_t *message = json_string(res != NULL ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)
                                              : "no result");
    char *quoted = json_dumps(message, JSON_ENCODE_ANY);
    y_log_message(Y_LOG_LEVEL_ERROR, "\"request_id\":\"%s\",\"db_error\":\"%s\",\"message\":%s",
                  r->id, state != NULL ? state : "unknown", quoted != NULL ? quoted : "null");
    free(quoted);
    json_decref(message);
    respond_problem(r, 500, "internal", "The request could not be completed.");
  }
}

/* Whether the Content-Type is JSON (parameters such as charset allowed). */
static bool is_json_media_type(const char *type) {
  if (type == NULL) {
    return false;
  }
  size_t len = strcspn(type, "; ");
  return (len == 16 && strncasecmp(type, "application/json", len) == 0) ||
         (len == 28 && strncasecmp(type, "application/merge-patch+json", len) == 0);
}

json_t *read_json_object(struct request *r) {
  if (!is_json_media_type(u_map_get_case(r->http->map_header, "Content-Type"))) {
    respond_problem(r, 415, "unsupported-media-type",
                    "Send the body as application/json (or application/merge-patch+json).");
    return NULL;
  }
  json_error_t error;
  json_t *body = NULL;
  if (r->http->binary_body_length > 0) {
    body = json_loadb(r->http->binary_body, r->http->binary_body_length,
                      JSON_REJECT_DUPLICATES, &error);
  }
  if (body == NULL) {
    respond_problem(r, 400, "bad-request", "The body is not well-formed JSON.");
    return NULL;
  }
  if (!json_is_object(body)) {
    json_decref(body);
    respond_problem(r, 400, "bad-request", "The body must be a JSON object.");
    return NULL;
  }
  return body;
}

struct db_conn *request_db(struct request *r) {
  if (r->db == NULL) {
    r->db = db_pool_acquire(r->app->pool, r->app->config.db_acquire_timeout_ms);
    if (r->db == NULL) {
      respond_unavailable(r);
    }
  }
  return r->db;
}

PGresult *request_query(struct request *r, const struct db_statement *statement, int nparams,
                        const char *const *params) {
  if (request_db(r) == NULL) {
    return NULL;
  }
  PGresult *res = db_exec(r->db, statement, nparams, params);
  ExecStatusType status = res != NULL ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    respond_db_error(r, res);
    PQclear(res);
    return NULL;
  }
  return res;
}

bool request_begin(struct request *r) {
  if (request_db(r) == NULL) {
    return false;
  }
  if (!db_begin(r->db)) {
    respond_unavailable(r);
    return false;
  }
  return true;
}

bool request_commit(struct request *r) {
  if (!idempotency_note_commit(r) || !db_command(r->db, "COMMIT")) {
    respond_unavailable(r);
    return false;
  }
  return true;
}

const struct calendar *request_calendar(struct request *r) {
  if (r->calendar_loaded) {
    return &r->calendar;
  }
  if (request_db(r) == NULL) {
    return NULL;
  }
  if (calendar_load(r->db, &r->calendar) != 0) {
    respond_unavailable(r);
    return NULL;
  }
  r->calendar_loaded = true;
  return &r->calendar;
}

const json_t *request_settings(struct request *r) {
  if (r->settings != NULL) {
    return r->settings;
  }
  PGresult *res = request_query(r, &SETTINGS_GET, 0, NULL);
  if (res != NULL) {
    r->settings = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
    PQclear(res);
    if (r->settings == NULL) {
      respond_unavailable(r);
    }
  }
  return r->settings;
}

void request_release_db(struct request *r) {
  db_pool_release(r->app->pool, r->db);
  r->db = NULL;
}

void request_end(struct request *r) {
  json_decref(r->settings);
  r->settings = NULL;
  if (r->calendar_loaded) {
    calendar_free(&r->calendar);
    r->calendar_loaded = false;
  }
  db_pool_release(r->app->pool, r->db);
  r->db = NULL;
}
