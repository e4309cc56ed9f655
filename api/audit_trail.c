#include "audit_trail.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../domain/roles.h"
#include "audit_queue.h"

#include "../db/audit.h"
#include "routes.h"

bool audit_write(struct request *r, const char *resource_type, const char *resource_id,
                 int status, const json_t *changes) {
  if (request_db(r) == NULL) {
    return false;
  }
  char status_text[8];
  snprintf(status_text, sizeof status_text, "%d", status);
  char *changes_text = changes != NULL ? json_dumps(changes, JSON_COMPACT) : NULL;
  const char *params[] = {r->authenticated ? r->caller.sub : NULL,
                          r->authenticated ? r->caller.roles_literal : "{}",
                          r->http->http_verb,
                          r->route != NULL ? r->route->path : r->http->url_path,
                          resource_type,
                          resource_id,
                          status_text,
                          changes_text,
                          r->id};
  PGresult *res = db_exec(r->db, &AUDIT_INSERT, 9, params);
  bool ok = res != NULL && PQresultStatus(res) == PGRES_COMMAND_OK;
  PQclear(res);
  free(changes_text);
  r->audited = r->audited || ok;
  return ok;
}

/* Now as "YYYY-MM-DDTHH:MM:SS.uuuuuuZ". */
static void now_utc_micro(char buf[64]) {
  struct timespec now;
  struct tm utc;
  clock_gettime(CLOCK_REALTIME, &now);
  gmtime_r(&now.tv_sec, &utc);
  snprintf(buf, 64, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", utc.tm_year + 1900, utc.tm_mon + 1,
           utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, now.tv_nsec / 1000);
}

/* The caller's roles as a JSON array of names (empty before authentication). */
static json_t *roles_json(const struct request *r) {
  json_t *roles = json_array();
  for (size_t i = 0; r->authenticated && i < role_count(); i++) {
    if (role_set_has(r->caller.roles, role_at(i))) {
      json_array_append_new(roles, json_string(role_name(role_at(i))));
    }
  }
  return roles;
}

bool audit_read(struct request *r, const char *resource_type, const char *resource_id,
                int status, const json_t *shown) {
  char at[64];
  now_utc_micro(at);
  json_t *row = json_pack("{s:s, s:s?, s:o, s:s, s:s, s:s?, s:s?, s:i, s:O?, s:s}", "at", at,
                          "sub", r->authenticated ? r->caller.sub : NULL, "roles", roles_json(r),
                          "method", r->http->http_verb, "route",
                          r->route != NULL ? r->route->path : r->http->url_path,
                          "resource_type", resource_type, "resource_id", resource_id, "status",
                          status, "changes", shown, "request_id", r->id);
  bool queued = audit_queue_add(r->app->audit_queue, row, r->app->config.db_acquire_timeout_ms);
  r->audited = r->audited || queued;
  return queued;
}
