/* /v1/calendar/closures: local closure days an administrator adds to the working-day calendar
 * (POLICY.md "Calendar"); bank holidays of England and Wales are shipped with the service. */
#include <stdio.h>
#include <string.h>

#include "../db/calendar.h"
#include "../domain/schema.h"
#include "audit_trail.h"
#include "handlers.h"
#include "pagination.h"

static bool query_date_ok(struct request *r, const char *name) {
  const char *v = query_param(r, name);
  struct date d;
  if (v != NULL && !date_parse(v, &d)) {
    respond_problem(r, 400, "bad-request", "from and to must be dates YYYY-MM-DD.");
    return false;
  }
  return true;
}

void calendar_closures_list(struct request *r) {
  if (!query_date_ok(r, "from") || !query_date_ok(r, "to")) {
    return;
  }
  const char *params[] = {query_param(r, "from"), query_param(r, "to")};
  PGresult *res = request_query(r, &CLOSURES_LIST, 2, params);
  if (res != NULL) {
    page_respond(r, PQgetvalue(res, 0, 0), NULL, false);
  }
  PQclear(res);
}

/* A closure must fall on a day that would otherwise be a working day. */
static bool check_closure_day(struct request *r, const char *day, json_t *errors) {
  struct date d;
  date_parse(day, &d);
  if (date_day_of_week(d) >= 5) {
    validation_error(errors, "date", "is a weekend day already");
    return true;
  }
  const char *params[] = {day};
  PGresult *res = request_query(r, &BANK_HOLIDAY_ON, 1, params);
  if (res == NULL) {
    return false;
  }
  if (PQntuples(res) > 0) {
    validation_error(errors, "date", "is a bank holiday already");
  }
  PQclear(res);
  return true;
}

void calendar_closures_create(struct request *r) {
  if (!role_set_has(r->caller.roles, ROLE_ADMIN)) {
    respond_problem(r, 403, "forbidden", "Closure days are set by an administrator.");
    return;
  }
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return;
  }
  const struct field_spec fields[] = {
      {.name = "date", .type = FIELD_DATE, .required = true},
      {.name = "reason", .type = FIELD_STRING, .required = true, .max_length = 500},
  };
  const struct schema shape = {fields, 2};
  json_t *errors = json_array();
  schema_validate(&shape, body, "", errors);
  const char *day = schema_string(body, "date");
  PGresult *res = NULL;
  if (json_array_size(errors) == 0 && request_begin(r) && check_closure_day(r, day, errors) &&
      json_array_size(errors) == 0) {
    const char *params[] = {day, schema_string(body, "reason"), r->caller.sub};
    res = request_query(r, &CLOSURE_INSERT, 3, params);
    json_t *changes = json_pack("{s:{}, s:O}", "before", "after", body);
    if (res != NULL && audit_write(r, "closure", day, 201, changes) && request_commit(r)) {
      char location[64];
      snprintf(location, sizeof location, "/v1/calendar/closures/%s", day);
      respond_created(r, location, NULL, PQgetvalue(res, 0, 0));
    }
    json_decref(changes);
  }
  if (json_array_size(errors) > 0 && r->status == 0) {
    respond_invalid(r, json_incref(errors));
  }
  PQclear(res);
  json_decref(errors);
  json_decref(body);
}

void calendar_closures_delete(struct request *r) {
  char day[16];
  path_segment(r, 3, day, sizeof day);
  struct date d;
  if (!role_set_has(r->caller.roles, ROLE_ADMIN)) {
    respond_problem(r, 403, "forbidden", "Closure days are set by an administrator.");
    return;
  }
  if (!date_parse(day, &d)) {
    respond_problem(r, 404, "not-found", "There is no such closure day.");
    return;
  }
  const char *params[] = {day};
  PGresult *res = NULL;
  if (request_begin(r) && (res = request_query(r, &CLOSURE_DELETE, 1, params)) != NULL) {
    if (PQntuples(res) == 0) {
      respond_problem(r, 404, "not-found", "There is no such closure day.");
    } else {
      json_t *removed = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
      json_t *changes = json_pack("{s:o, s:{}}", "before", removed, "after");
      if (audit_write(r, "closure", day, 204, changes) && request_commit(r)) {
        r->status = 204;
        ulfius_set_empty_body_response(r->response, 204);
      }
      json_decref(changes);
    }
  }
  PQclear(res);
}
