/* /v1/webhooks: an administrator's subscriptions to the change feed (issue 7). A subscription
 * names a URL the configured allowlist admits (OWASP API7: never an arbitrary host), the event
 * types it takes, and the secret its deliveries are signed with (never shown back). Deliveries
 * are made by api/webhook_delivery.c; here they are listed and resent. Nothing is deleted (R3):
 * DELETE deactivates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/webhooks.h"
#include "../domain/roles.h"
#include "../domain/schema.h"
#include "../domain/webhooks.h"
#include "audit_trail.h"
#include "handlers.h"
#include "pagination.h"

static bool may_manage(struct request *r) {
  if (!role_set_has(r->caller.roles, ROLE_ADMIN)) {
    respond_problem(r, 403, "forbidden", "Webhooks are managed by an administrator.");
    return false;
  }
  return true;
}

/* The UUID in path segment `n` into id. Answers 404 and returns false when it is not one. */
static bool path_id(struct request *r, int n, char *id, size_t size, const char *what) {
  path_segment(r, n, id, size);
  if (!schema_is_uuid(id)) {
    char detail[64];
    snprintf(detail, sizeof detail, "There is no such %s.", what);
    respond_problem(r, 404, "not-found", detail);
    return false;
  }
  return true;
}

/* Characters (not bytes) of a UTF-8 string. */
static size_t characters(const char *s) {
  size_t n = 0;
  for (; *s != '\0'; s++) {
    n += ((unsigned char)*s & 0xC0) != 0x80;
  }
  return n;
}

/* The checks beyond the shape: the allowlist, the patterns, the secret's length. */
static void check_subscription(const struct request *r, const json_t *body, json_t *errors) {
  const char *url = schema_string(body, "url");
  const char *allowlist = r->app->config.webhook_allowlist;
  if (url != NULL && url[0] != '\0' && !webhook_url_allowed(url, allowlist)) {
    validation_error(errors, "url",
                     "must be an http(s) URL under a prefix this service may send to "
                     "(PERMANENCE_WEBHOOK_ALLOWLIST), without user name, fragment or dot segment");
  }
  const json_t *events = json_object_get(body, "events");
  if (json_is_array(events) && json_array_size(events) == 0) {
    validation_error(errors, "events", "must name at least one event type");
  }
  size_t i;
  const json_t *pattern;
  json_array_foreach(events, i, pattern) {
    const char *text = json_string_value(pattern);
    if (text != NULL && text[0] != '\0' && !webhook_pattern_valid(text)) {
      char field[32];
      snprintf(field, sizeof field, "events[%zu]", i);
      validation_error(errors, field,
                       "must be an event type (\"match.decided\"), a type's prefix ending "
                       "\".*\" (\"placement.*\"), or \"*\"");
    }
  }
  const char *secret = schema_string(body, "secret");
  if (secret != NULL && secret[0] != '\0') {
    bool printable = true;
    for (const unsigned char *c = (const unsigned char *)secret; *c != '\0'; c++) {
      printable = printable && *c >= 0x20 && *c != 0x7f;
    }
    if (json_string_length(json_object_get(body, "secret")) != strlen(secret) || !printable) {
      validation_error(errors, "secret", "must hold printable characters only");
    } else if (characters(secret) < WEBHOOK_SECRET_MIN) {
      validation_error(errors, "secret", "must be at least 32 characters");
    }
  }
}

void webhooks_create(struct request *r) {
  if (!may_manage(r)) {
    return;
  }
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return;
  }
  const struct field_spec fields[] = {
      {.name = "url", .type = FIELD_STRING, .required = true, .max_length = WEBHOOK_URL_MAX},
      {.name = "events", .type = FIELD_STRING_ARRAY, .required = true,
       .max_length = WEBHOOK_PATTERNS_MAX},
      {.name = "secret", .type = FIELD_STRING, .required = true, .max_length = WEBHOOK_SECRET_MAX},
  };
  const struct schema shape = {fields, 3};
  json_t *errors = json_array();
  schema_validate(&shape, body, "", errors);
  check_subscription(r, body, errors);
  char *events = json_dumps(json_object_get(body, "events"), JSON_COMPACT);
  PGresult *res = NULL;
  if (json_array_size(errors) == 0 && events != NULL && request_begin(r)) {
    const char *params[] = {schema_string(body, "url"), events, schema_string(body, "secret"),
                            r->caller.sub};
    res = request_query(r, &WEBHOOK_INSERT, 4, params);
    /* the audit row records where and what, never the secret */
    json_t *changes = json_pack("{s:{}, s:{s:O, s:O}}", "before", "after", "url",
                                json_object_get(body, "url"), "events",
                                json_object_get(body, "events"));
    if (res != NULL && audit_write(r, "webhook", PQgetvalue(res, 0, 1), 201, changes) &&
        request_commit(r)) {
      char location[80];
      snprintf(location, sizeof location, "/v1/webhooks/%s", PQgetvalue(res, 0, 1));
      respond_created(r, location, NULL, PQgetvalue(res, 0, 0));
    }
    json_decref(changes);
  }
  if (json_array_size(errors) > 0 && r->status == 0) {
    respond_invalid(r, json_incref(errors));
  }
  PQclear(res);
  free(events);
  json_decref(errors);
  json_decref(body);
}

void webhooks_list(struct request *r) {
  struct page page;
  if (!may_manage(r) || !page_read(r, PAGE_KEY_UUID, &page)) {
    return;
  }
  const char *params[] = {page_after_param(&page), page.limit};
  PGresult *res = request_query(r, &WEBHOOK_LIST, 2, params);
  if (res != NULL) {
    page_respond_result(r, res);
  }
  PQclear(res);
}

void webhooks_get(struct request *r) {
  char id[64];
  if (!may_manage(r) || !path_id(r, 2, id, sizeof id, "webhook")) {
    return;
  }
  const char *params[] = {id};
  PGresult *res = request_query(r, &WEBHOOK_GET, 1, params);
  if (res == NULL) {
    return;
  }
  if (PQntuples(res) == 0) {
    respond_problem(r, 404, "not-found", "There is no such webhook.");
  } else {
    respond_json_text(r, 200, PQgetvalue(res, 0, 0));
  }
  PQclear(res);
}

/* Locks the subscription `id` in the open transaction. Returns its lock row (the caller
 * PQclears it), or NULL after answering (404 when there is none). */
static PGresult *lock_webhook(struct request *r, const char *id) {
  const char *params[] = {id};
  PGresult *res = request_begin(r) ? request_query(r, &WEBHOOK_LOCK, 1, params) : NULL;
  if (res != NULL && PQntuples(res) == 0) {
    respond_problem(r, 404, "not-found", "There is no such webhook.");
    PQclear(res);
    return NULL;
  }
  return res;
}

void webhooks_deactivate(struct request *r) {
  char id[64];
  if (!may_manage(r) || !path_id(r, 2, id, sizeof id, "webhook")) {
    return;
  }
  PGresult *lock = lock_webhook(r, id);
  if (lock == NULL) {
    return;
  }
  bool active = strcmp(PQgetvalue(lock, 0, 0), "t") == 0;
  PQclear(lock);
  if (!active) { /* deactivated already: nothing to write */
    db_rollback_open(r->db);
    r->status = 204;
    ulfius_set_empty_body_response(r->response, 204);
    return;
  }
  const char *params[] = {id, r->caller.sub};
  PGresult *res = request_query(r, &WEBHOOK_DEACTIVATE, 2, params);
  json_t *changes = json_pack("{s:{s:b}, s:{s:b}}", "before", "active", 1, "after", "active", 0);
  if (res != NULL && audit_write(r, "webhook", id, 204, changes) && request_commit(r)) {
    r->status = 204;
    ulfius_set_empty_body_response(r->response, 204);
  }
  json_decref(changes);
  PQclear(res);
}

void webhook_deliveries_list(struct request *r) {
  char id[64];
  struct page page;
  if (!may_manage(r) || !path_id(r, 2, id, sizeof id, "webhook") ||
      !page_read(r, PAGE_KEY_INTEGER, &page)) {
    return;
  }
  static const char *const statuses[] = {"pending", "delivered", "failed", NULL};
  const char *status = query_param(r, "status");
  if (status != NULL && !schema_is_choice(statuses, status)) {
    respond_problem(r, 400, "bad-request", "status must be pending, delivered or failed.");
    return;
  }
  const char *exists[] = {id};
  PGresult *res = request_query(r, &WEBHOOK_GET, 1, exists);
  if (res == NULL) {
    return;
  }
  bool found = PQntuples(res) > 0;
  PQclear(res);
  if (!found) {
    respond_problem(r, 404, "not-found", "There is no such webhook.");
    return;
  }
  const char *params[] = {id, page_after_param(&page), page.limit, status};
  res = request_query(r, &WEBHOOK_DELIVERIES_LIST, 4, params);
  if (res != NULL) {
    page_respond_result(r, res);
  }
  PQclear(res);
}

void webhook_deliveries_resend(struct request *r) {
  char id[64];
  char delivery[64];
  if (!may_manage(r) || !path_id(r, 2, id, sizeof id, "webhook") ||
      !path_id(r, 4, delivery, sizeof delivery, "delivery")) {
    return;
  }
  PGresult *lock = lock_webhook(r, id);
  if (lock == NULL) {
    return;
  }
  bool active = strcmp(PQgetvalue(lock, 0, 0), "t") == 0;
  PQclear(lock);
  if (!active) {
    respond_problem(r, 409, "conflict", "The webhook is deactivated: nothing is sent for it.");
    return;
  }
  const char *params[] = {id, delivery};
  PGresult *res = request_query(r, &WEBHOOK_DELIVERY_RESEND, 2, params);
  if (res != NULL && PQntuples(res) == 0) {
    respond_problem(r, 404, "not-found", "There is no such delivery of this webhook.");
  } else if (res != NULL) {
    json_t *changes = json_pack("{s:{}, s:{s:s}}", "before", "after", "resend", delivery);
    if (audit_write(r, "webhook", id, 202, changes) && request_commit(r)) {
      respond_json_text(r, 202, PQgetvalue(res, 0, 0));
    }
    json_decref(changes);
  }
  PQclear(res);
}
