#include "report_output.h"

#include <csv.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "../db/reports.h"
#include "../domain/roles.h"
#include "audit_trail.h"

static bool team_param(struct request *r, struct report_scope *scope) {
  const char *team = query_param(r, "team");
  if (team == NULL) {
    scope->whole_council = true;
    return true;
  }
  if (team[0] == '\0' || strlen(team) >= sizeof scope->team) {
    respond_problem(r, 400, "bad-request", "team must be a team's name.");
    return false;
  }
  snprintf(scope->team, sizeof scope->team, "%s", team);
  scope->whole_council = false;
  return true;
}

static bool own_team(struct request *r, struct report_scope *scope) {
  const char *params[] = {r->caller.sub};
  PGresult *res = request_query(r, &REPORT_PERSON_TEAM, 1, params);
  if (res == NULL) {
    return false;
  }
  bool found = PQntuples(res) == 1 && !PQgetisnull(res, 0, 0);
  if (found) {
    snprintf(scope->team, sizeof scope->team, "%s", PQgetvalue(res, 0, 0));
  }
  PQclear(res);
  if (!found) {
    respond_problem(r, 403, "forbidden",
                    "A team manager reads the reports of their own team: the people register "
                    "gives you none.");
    return false;
  }
  if (query_param(r, "team") != NULL && strcmp(query_param(r, "team"), scope->team) != 0) {
    respond_problem(r, 403, "forbidden", "A team manager reads the reports of their own team.");
    return false;
  }
  scope->whole_council = false;
  return true;
}

bool report_scope_of(struct request *r, enum report_kind kind, struct report_scope *scope) {
  role_set roles = r->caller.roles;
  memset(scope, 0, sizeof *scope);
  bool council = kind == REPORT_CHILDREN
                     ? role_set_has(roles, ROLE_ADM)
                     : role_set_has(roles, ROLE_ADM) || role_set_has(roles, ROLE_CHAIR) ||
                           role_set_has(roles, ROLE_PANEL_ADMIN);
  if (council) {
    scope->lists = true;
    return kind == REPORT_PANEL || team_param(r, scope);
  }
  if (kind == REPORT_CHILDREN && role_set_has(roles, ROLE_TEAM_MANAGER)) {
    scope->lists = true;
    return own_team(r, scope);
  }
  if (role_set_has(roles, ROLE_ADMIN)) {
    scope->lists = false; /* the administrator does not read children's details */
    return kind == REPORT_PANEL || team_param(r, scope);
  }
  respond_problem(r, 403, "forbidden",
                  kind == REPORT_CHILDREN
                      ? "Team managers, the agency decision maker and administrators read this "
                        "report."
                      : "The agency decision maker, panel chairs, panel administrators and "
                        "administrators read this report.");
  return false;
}

const char *report_scope_team(const struct report_scope *scope) {
  return scope->whole_council ? NULL : scope->team;
}

json_t *report_scope_json(const struct report_scope *scope) {
  return json_pack("{s:s?, s:b}", "team", report_scope_team(scope), "lists", scope->lists);
}

bool report_date_param(struct request *r, const char *name, const char *fallback, char *buf,
                       struct date *out) {
  const char *value = query_param(r, name);
  if (value == NULL) {
    value = fallback;
  }
  if (value == NULL || !date_parse(value, out)) {
    char detail[128];
    snprintf(detail, sizeof detail, "%s must be a date (YYYY-MM-DD).", name);
    respond_problem(r, 400, "bad-request", detail);
    return false;
  }
  date_format(*out, buf);
  return true;
}

bool report_period(struct request *r, char from[11], char to[11], struct date *first,
                   struct date *last) {
  if (!report_date_param(r, "from", NULL, from, first) ||
      !report_date_param(r, "to", NULL, to, last)) {
    return false;
  }
  if (date_compare(*first, *last) > 0 || last->year - first->year > 5) {
    respond_problem(r, 400, "bad-request",
                    "from must not be after to, and the period is at most five years.");
    return false;
  }
  return true;
}

bool report_wants_csv(const struct request *r) {
  const char *accept = u_map_get_case(r->http->map_header, "Accept");
  return accept != NULL && strcasestr(accept, "text/csv") != NULL;
}

bool report_csv_open(struct report_csv *csv) {
  csv->text = NULL;
  csv->length = 0;
  csv->file = open_memstream(&csv->text, &csv->length);
  return csv->file != NULL;
}

void report_csv_row(struct report_csv *csv, size_t n, const char *const *cells) {
  for (size_t i = 0; i < n; i++) {
    const char *cell = cells[i] != NULL ? cells[i] : "";
    if (i > 0) {
      fputc(',', csv->file);
    }
    if (strpbrk(cell, ",\"\r\n") != NULL || (cell[0] == ' ' || cell[0] == '\t')) {
      csv_fwrite(csv->file, cell, strlen(cell));
    } else {
      fputs(cell, csv->file);
    }
  }
  fputs("\r\n", csv->file);
}

void report_csv_respond(struct request *r, struct report_csv *csv) {
  fclose(csv->file);
  csv->file = NULL;
  r->status = 200;
  ulfius_set_binary_body_response(r->response, 200, csv->text != NULL ? csv->text : "",
                                  csv->length);
  set_header(r, "Content-Type", "text/csv; charset=utf-8");
  free(csv->text);
  csv->text = NULL;
}

void report_respond(struct request *r, json_t *report,
                    void (*write_csv)(struct report_csv *csv, const json_t *report)) {
  if (!report_wants_csv(r)) {
    respond_json(r, 200, report);
    return;
  }
  struct report_csv csv;
  if (!report_csv_open(&csv)) {
    json_decref(report);
    respond_problem(r, 500, "internal", "The report could not be written.");
    return;
  }
  write_csv(&csv, report);
  json_decref(report);
  report_csv_respond(r, &csv);
}

bool report_audit_children(struct request *r, json_t *ids) {
  json_t *read = json_pack("{s:o}", "read", ids);
  bool ok = read != NULL && audit_read(r, "child", NULL, 200, read);
  json_decref(read);
  if (!ok) {
    respond_unavailable(r);
  }
  return ok;
}

PGresult *report_query(struct request *r, const struct db_statement *statement, int nparams,
                       const char *const *params) {
  if (!request_begin(r)) {
    return NULL;
  }
  if (!db_command(r->db, "SET LOCAL plan_cache_mode = force_custom_plan")) {
    respond_unavailable(r);
    return NULL;
  }
  PGresult *res = request_query(r, statement, nparams, params);
  if (res != NULL && !request_commit(r)) {
    PQclear(res);
    return NULL;
  }
  return res;
}

void report_release_memory(void) {
  malloc_trim(0);
}
