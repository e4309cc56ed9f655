/* /v1/audit: the administrator reads the audit trail (R1) and verifies its hash chain. */
#include <stdio.h>
#include <string.h>

#include "../db/audit.h"
#include "../domain/access.h"
#include "../domain/calendar.h"
#include "audit_queue.h"
#include "handlers.h"
#include "pagination.h"

static bool may_read(struct request *r) {
  if (!access_may_read_audit(r->caller.roles)) {
    respond_problem(r, 403, "forbidden", "The audit trail is read by an administrator.");
    return false;
  }
  return true;
}

/* An RFC 3339 time or a date is passed on to PostgreSQL; anything else is refused (400). */
static bool time_param_ok(struct request *r, const char *name) {
  const char *v = query_param(r, name);
  if (v == NULL) {
    return true;
  }
  struct date d;
  time_t t;
  if (!date_parse(v, &d) && !date_from_time_string(v, &t)) {
    respond_problem(r, 400, "bad-request", "from and to must be dates or RFC 3339 times.");
    return false;
  }
  return true;
}

/* The trail read through the API holds every read answered before: settles the read queue.
 * Answers 503 and returns false when it does not settle in time. */
static bool settled(struct request *r) {
  if (!audit_queue_settle(r->app->audit_queue, r->app->config.db_acquire_timeout_ms)) {
    respond_unavailable(r);
    return false;
  }
  return true;
}

void audit_list(struct request *r) {
  struct page page;
  if (!may_read(r) || !page_read(r, PAGE_KEY_INTEGER, &page) || !time_param_ok(r, "from") ||
      !time_param_ok(r, "to") || !settled(r)) {
    return;
  }
  const char *params[] = {query_param(r, "sub"), query_param(r, "resource_type"),
                          query_param(r, "resource_id"), query_param(r, "from"),
                          query_param(r, "to"), page_after_param(&page), page.limit};
  PGresult *res = request_query(r, &AUDIT_LIST, 7, params);
  if (res != NULL) {
    page_respond_result(r, res);
  }
  PQclear(res);
}

void audit_verify(struct request *r) {
  if (!may_read(r) || !settled(r)) {
    return;
  }
  PGresult *res = request_query(r, &AUDIT_VERIFY, 0, NULL);
  if (res == NULL) {
    return;
  }
  json_t *broken = json_null();
  if (strcmp(PQgetvalue(res, 0, 0), "t") != 0) {
    broken = json_pack("{s:I, s:I, s:s}", "seq", (json_int_t)strtoll(PQgetvalue(res, 0, 3), NULL, 10),
                       "audit_id", (json_int_t)strtoll(PQgetvalue(res, 0, 4), NULL, 10), "reason",
                       PQgetvalue(res, 0, 5));
  }
  json_t *body = json_pack("{s:b, s:I, s:I, s:o}", "ok", strcmp(PQgetvalue(res, 0, 0), "t") == 0,
                           "checked", (json_int_t)strtoll(PQgetvalue(res, 0, 1), NULL, 10),
                           "unsealed", (json_int_t)strtoll(PQgetvalue(res, 0, 2), NULL, 10),
                           "first_broken", broken);
  PQclear(res);
  respond_json(r, 200, body);
}
