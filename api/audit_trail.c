#include "audit_trail.h"

#include <stdio.h>
#include <stdlib.h>

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
