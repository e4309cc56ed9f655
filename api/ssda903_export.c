/* GET /v1/exports/ssda903/episodes.csv?year=2025: the episodes (placements) the service holds
 * that were open at any time in the 903 collection year (1 April of year-1 to 31 March of year),
 * in the DfE column order and date format, so that importing the export reproduces the same
 * placements. A team manager exports their team's children; an administrator every team's (or
 * ?team='s). */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/ssda903.h"
#include "../domain/roles.h"
#include "../domain/ssda903.h"
#include "audit_trail.h"
#include "handlers.h"

/* One field: as it is, or quoted by libcsv when it holds a comma, a quote or a line break. */
static void write_field(FILE *out, const char *value) {
  if (strpbrk(value, ",\"\r\n") == NULL) {
    fputs(value, out);
  } else {
    csv_fwrite(out, value, strlen(value));
  }
}

static void write_row(FILE *out, const char *const *values, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (i > 0) {
      fputc(',', out);
    }
    write_field(out, values[i]);
  }
  fputs("\r\n", out);
}

void ssda903_export_episodes(struct request *r) {
  bool admin = role_set_has(r->caller.roles, ROLE_ADMIN);
  if (!admin && !role_set_has(r->caller.roles, ROLE_TEAM_MANAGER)) {
    respond_problem(r, 403, "forbidden",
                    "An SSDA903 return is exported by a team manager or an administrator.");
    return;
  }
  const char *year = query_param(r, "year");
  char *end = NULL;
  long y = year != NULL ? strtol(year, &end, 10) : 0;
  if (year == NULL || end == year || *end != '\0' || y < 1990 || y > 2200) {
    respond_problem(r, 400, "bad-request", "year is the collection year, e.g. 2025 (1 April 2024 to 31 March 2025).");
    return;
  }
  const char *team = query_param(r, "team");
  char own[128] = "";
  if (team != NULL && !admin) {
    respond_problem(r, 403, "forbidden", "Only an administrator exports another team.");
    return;
  }
  if (!admin) {
    const char *params[] = {r->caller.sub};
    PGresult *res = request_query(r, &SSDA903_CALLER_TEAM, 1, params);
    if (res == NULL) {
      return;
    }
    bool found = PQntuples(res) == 1 && !PQgetisnull(res, 0, 0);
    snprintf(own, sizeof own, "%s", found ? PQgetvalue(res, 0, 0) : "");
    PQclear(res);
    if (!found) {
      respond_problem(r, 403, "forbidden", "The caller has no team on the register.");
      return;
    }
    team = own;
  }
  char year_text[8];
  snprintf(year_text, sizeof year_text, "%ld", y);
  const char *params[] = {team, year_text};
  PGresult *res = request_query(r, &SSDA903_EXPORT, 2, params);
  if (res == NULL) {
    return;
  }
  char *text = NULL;
  size_t length = 0;
  FILE *out = open_memstream(&text, &length);
  if (out == NULL) {
    PQclear(res);
    respond_unavailable(r);
    return;
  }
  write_row(out, SSDA903_EPISODE_NAMES, SSDA903_EPISODE_COLUMNS);
  for (int i = 0; i < PQntuples(res); i++) {
    const char *values[SSDA903_EPISODE_COLUMNS];
    for (int c = 0; c < SSDA903_EPISODE_COLUMNS; c++) {
      values[c] = PQgetvalue(res, i, c);
    }
    write_row(out, values, SSDA903_EPISODE_COLUMNS);
  }
  fclose(out);
  json_t *shown = json_pack("{s:s, s:s?, s:i}", "year", year_text, "team", team, "episodes",
                            PQntuples(res));
  PQclear(res);
  if (audit_read(r, "placement", NULL, 200, shown)) {
    r->status = 200;
    ulfius_set_binary_body_response(r->response, 200, text, length);
    set_header(r, "Content-Type", "text/csv; charset=utf-8");
    set_header(r, "Content-Disposition", "attachment; filename=\"episodes.csv\"");
  } else {
    respond_unavailable(r);
  }
  json_decref(shown);
  free(text);
}
