/* POST /v1/imports/ssda903: a team manager (or an administrator) imports a council's SSDA903
 * header.csv and episodes.csv (POLICY.md section E, issue 8) for their team. Children are matched
 * by external id ssda903 = CHILD, placements by ssda903 = CHILD/DD-MM-YYYY of DECOM. Every row is
 * checked first (domain/ssda903.c): one bad row and nothing is written (422 listing each). The
 * writes, their audit rows and the U1 follow-up of recent unplanned endings share one
 * transaction; ?dry_run=true takes the same steps and rolls them back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/ssda903.h"
#include "../domain/calendar.h"
#include "../domain/endings.h"
#include "../domain/placements.h"
#include "../domain/roles.h"
#include "../domain/settings.h"
#include "../domain/ssda903.h"
#include "audit_trail.h"
#include "endings.h"
#include "handlers.h"

/* "dd/mm/yyyy" as "YYYY-MM-DD" into out (11 bytes); the date was checked. */
static const char *iso(const char *dmy, char out[11]) {
  struct date d;
  if (!ssda903_date(dmy, &d)) {
    return NULL;
  }
  date_format(d, out);
  return out;
}

static json_t *text_or_null(const char *s) {
  return s != NULL && s[0] != '\0' ? json_string(s) : json_null();
}

/* The children's rows for ssda903_import (migration 023). The caller owns the result. */
static json_t *children_json(const struct ssda903_table *header) {
  json_t *out = json_array();
  for (size_t i = 0; i < header->count; i++) {
    char *const *c = header->rows[i].cells;
    char dob[11];
    char mc_dob[11];
    iso(c[H_DOB], dob);
    json_t *extra = json_object();
    if (c[H_UPN][0] != '\0') {
      json_object_set_new(extra, "upn", json_string(c[H_UPN]));
    }
    if (c[H_MOTHER][0] != '\0') {
      json_object_set_new(extra, "mother", json_integer(c[H_MOTHER][0] == '1'));
    }
    if (iso(c[H_MC_DOB], mc_dob) != NULL) {
      json_object_set_new(extra, "mc_dob", json_string(mc_dob));
    }
    json_t *doc = json_pack("{s:s, s:s, s:s, s:o}", "date_of_birth", dob, "sex",
                            ssda903_sex(c[H_SEX]), "ethnicity", c[H_ETHNIC], "ssda903", extra);
    json_array_append_new(out, json_pack("{s:s, s:s, s:o}", "child", c[H_CHILD], "date_of_birth",
                                         dob, "doc", doc));
  }
  return out;
}

/* The episodes' rows for ssda903_import: a reason for the placement change and REC only when the
 * episode ceased; `unplanned` derived from the reason (POLICY.md E; null when none or when a
 * person must say). The caller owns the result. */
static json_t *episodes_json(const struct ssda903_table *episodes) {
  json_t *out = json_array();
  for (size_t i = 0; i < episodes->count; i++) {
    char *const *c = episodes->rows[i].cells;
    char start[11];
    char end[11];
    char key[32];
    iso(c[E_DECOM], start);
    bool ceased = iso(c[E_DEC], end) != NULL;
    snprintf(key, sizeof key, "%s/%.2s-%.2s-%.4s", c[E_CHILD], c[E_DECOM], c[E_DECOM] + 3,
             c[E_DECOM] + 6);
    const char *reason = ceased ? c[E_REASON_PLACE_CHANGE] : "";
    json_t *unplanned = json_null();
    if (reason[0] != '\0' && placement_ending_kind(reason) != ENDING_NEEDS_PERSON) {
      unplanned = json_boolean(placement_ending_kind(reason) == ENDING_UNPLANNED);
    }
    json_t *row = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "child", c[E_CHILD], "key",
                            key, "start_date", start, "placement_type", c[E_PLACE], "end_date",
                            ceased ? json_string(end) : json_null(), "end_reason",
                            text_or_null(reason), "unplanned", unplanned);
    json_object_set_new(row, "rne", text_or_null(c[E_RNE]));
    json_object_set_new(row, "ls", text_or_null(c[E_LS]));
    json_object_set_new(row, "cin", text_or_null(c[E_CIN]));
    json_object_set_new(row, "provider", text_or_null(c[E_PLACE_PROVIDER]));
    json_object_set_new(row, "rec", text_or_null(ceased ? c[E_REC] : ""));
    json_object_set_new(row, "home_post", text_or_null(c[E_HOME_POST]));
    json_object_set_new(row, "pl_post", text_or_null(c[E_PL_POST]));
    json_object_set_new(row, "urn", text_or_null(c[E_URN]));
    json_array_append_new(out, row);
  }
  return out;
}

/* The team the caller imports for: an administrator's ?team=, else the caller's own team on the
 * register. Copies it into team (NULL answered). */
static const char *import_team(struct request *r, char *team, size_t size) {
  const char *asked = query_param(r, "team");
  if (asked != NULL) {
    if (!role_set_has(r->caller.roles, ROLE_ADMIN) || asked[0] == '\0' || strlen(asked) >= size) {
      respond_problem(r, 403, "forbidden", "Only an administrator imports for another team.");
      return NULL;
    }
    snprintf(team, size, "%s", asked);
    return team;
  }
  const char *params[] = {r->caller.sub};
  PGresult *res = request_query(r, &SSDA903_CALLER_TEAM, 1, params);
  if (res == NULL) {
    return NULL;
  }
  bool found = PQntuples(res) == 1 && !PQgetisnull(res, 0, 0);
  snprintf(team, size, "%s", found ? PQgetvalue(res, 0, 0) : "");
  PQclear(res);
  if (!found) {
    respond_problem(r, 403, "forbidden",
                    "The caller has no team on the register to import for (an administrator names one with ?team=).");
    return NULL;
  }
  return team;
}

struct tally {
  long counts[2][3]; /* [child, placement][created, updated, unchanged] */
  long u1;
};

/* U1 for an imported ending: unplanned, newly ended by this import, and within
 * import_recent_ending_days of today; history gets no follow-up. Returns false after answering. */
static bool follow_up_recent_ending(struct request *r, const char *id, const json_t *before,
                                    const json_t *after, struct tally *t) {
  const char *end_text = json_string_value(json_object_get(after, "end_date"));
  struct date end;
  if (!json_is_true(json_object_get(after, "unplanned")) || end_text == NULL ||
      !date_parse(end_text, &end) ||
      (before != NULL && json_is_string(json_object_get(before, "end_date")))) {
    return true;
  }
  const json_t *settings = request_settings(r);
  if (settings == NULL) {
    return false;
  }
  long days = setting_value(settings, "import_recent_ending_days");
  if (date_compare(end, date_add_days(r->today, -(int)days)) < 0) {
    return true;
  }
  struct date_range window = unplanned_meeting_window(settings, end);
  char first[11];
  char last[11];
  date_format(window.first, first);
  date_format(window.last, last);
  const char *params[] = {id, first, last};
  PGresult *res = request_query(r, &SSDA903_SET_U1_WINDOW, 3, params);
  PQclear(res);
  if (res == NULL || !unplanned_ending_follow_up(r, id)) {
    if (r->status == 0) {
      respond_unavailable(r);
    }
    return false;
  }
  t->u1++;
  return true;
}

/* Applies the checked files in the open transaction: writes, audits (unless dry), follows up.
 * Returns the answer's body (the caller's), or NULL after answering. */
static json_t *apply(struct request *r, const struct ssda903_table *header,
                     const struct ssda903_table *episodes, const char *team, bool dry_run) {
  json_t *children = children_json(header);
  json_t *eps = episodes_json(episodes);
  char *children_text = json_dumps(children, JSON_COMPACT);
  char *episodes_text = json_dumps(eps, JSON_COMPACT);
  json_decref(children);
  json_decref(eps);
  const char *params[] = {children_text, episodes_text, team, r->caller.sub};
  /* A council's whole return (tens of thousands of episodes) is this one statement: it is not
   * held to the bound of an ordinary request (PERMANENCE_DB_STATEMENT_TIMEOUT_MS). */
  PGresult *res = children_text != NULL && episodes_text != NULL &&
                          db_command(r->db, "SET LOCAL statement_timeout = '10min'")
                      ? request_query(r, &SSDA903_IMPORT, 4, params)
                      : NULL;
  free(children_text);
  free(episodes_text);
  if (res == NULL) {
    if (r->status == 0) {
      respond_unavailable(r);
    }
    return NULL;
  }
  static const char *const OUTCOMES[] = {"created", "updated", "unchanged"};
  struct tally t = {{{0}}, 0};
  json_t *records = json_array();
  json_t *refused = json_array();
  bool ok = true;
  for (int i = 0; i < PQntuples(res) && ok; i++) {
    const char *type = PQgetvalue(res, i, 0);
    const char *id = PQgetvalue(res, i, 1);
    const char *outcome = PQgetvalue(res, i, 3);
    int kind = strcmp(type, "child") == 0 ? 0 : 1;
    if (strcmp(outcome, "other_team") == 0) {
      for (size_t h = 0; h < header->count; h++) {
        if (strcmp(header->rows[h].cells[H_CHILD], PQgetvalue(res, i, 2)) == 0) {
          ssda903_error(refused, header->file, header->rows[h].line, "CHILD",
                        "is the ssda903 id of a child of another team");
        }
      }
      continue;
    }
    json_array_append_new(records, json_pack("{s:s, s:s, s:s, s:s}", "resource_type", type, "id",
                                             id, "external_id", PQgetvalue(res, i, 2), "outcome",
                                             outcome));
    for (int o = 0; o < 3; o++) {
      t.counts[kind][o] += strcmp(outcome, OUTCOMES[o]) == 0;
    }
    if (strcmp(outcome, "unchanged") == 0) {
      continue;
    }
    json_t *before = json_loads(PQgetvalue(res, i, 4), JSON_DECODE_ANY, NULL);
    json_t *after = json_loads(PQgetvalue(res, i, 5), JSON_DECODE_ANY, NULL);
    if (!dry_run) {
      json_t *changes = json_pack("{s:O?, s:O?}", "before", before, "after", after);
      ok = audit_write(r, type, id, strcmp(outcome, "created") == 0 ? 201 : 200, changes);
      json_decref(changes);
      if (!ok) {
        respond_unavailable(r);
      }
    }
    if (ok && kind == 1) {
      ok = follow_up_recent_ending(r, id, json_is_object(before) ? before : NULL, after, &t);
    }
    json_decref(before);
    json_decref(after);
  }
  PQclear(res);
  if (ok && json_array_size(refused) > 0) {
    respond_invalid(r, json_incref(refused));
    ok = false;
  }
  /* Thousands of new rows at once: the planner's statistics are brought up to date with them,
   * so that the next statements (an export, the reports) are not planned for the tables as they
   * were before the import (a nested loop over 5 000 placements then took 5 s). */
  if (ok && !dry_run && !db_command(r->db, "ANALYZE children, placements, external_ids")) {
    respond_unavailable(r);
    ok = false;
  }
  json_decref(refused);
  if (!ok) {
    json_decref(records);
    return NULL;
  }
  json_t *body = json_pack("{s:b, s:s, s:I, s:I, s:I, s:{s:I, s:I, s:I}, s:{s:I, s:I, s:I}, s:I}",
                           "dry_run", dry_run, "team", team,
                           "created", (json_int_t)(t.counts[0][0] + t.counts[1][0]),
                           "updated", (json_int_t)(t.counts[0][1] + t.counts[1][1]),
                           "unchanged", (json_int_t)(t.counts[0][2] + t.counts[1][2]),
                           "children", "created", (json_int_t)t.counts[0][0], "updated",
                           (json_int_t)t.counts[0][1], "unchanged", (json_int_t)t.counts[0][2],
                           "placements", "created", (json_int_t)t.counts[1][0], "updated",
                           (json_int_t)t.counts[1][1], "unchanged", (json_int_t)t.counts[1][2],
                           "u1_follow_ups", (json_int_t)t.u1);
  json_object_set_new(body, "records", records);
  return body;
}

/* Reads {header, episodes} (CSV texts) and parses both; answers 400 or 422 and returns false. */
static bool read_files(struct request *r, struct ssda903_table *header,
                       struct ssda903_table *episodes, json_t *errors, json_t *warnings) {
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return false;
  }
  const char *header_text = NULL;
  const char *episodes_text = NULL;
  size_t header_length = 0;
  size_t episodes_length = 0;
  json_error_t error;
  bool ok = json_unpack_ex(body, &error, 0, "{s:s%, s:s% !}", "header", &header_text,
                           &header_length, "episodes", &episodes_text, &episodes_length) == 0;
  if (!ok) {
    respond_problem(r, 400, "bad-request",
                    "The body is {\"header\": \"<header.csv text>\", \"episodes\": \"<episodes.csv text>\"}.");
  } else {
    bool parsed = ssda903_parse(header_text, header_length, "header.csv", SSDA903_HEADER_NAMES,
                                SSDA903_HEADER_COLUMNS, header, errors);
    parsed = ssda903_parse(episodes_text, episodes_length, "episodes.csv", SSDA903_EPISODE_NAMES,
                           SSDA903_EPISODE_COLUMNS, episodes, errors) && parsed;
    if (parsed) {
      ssda903_check(header, episodes, r->today, errors, warnings);
    }
    if (json_array_size(errors) > 0) {
      respond_invalid(r, json_incref(errors));
      ok = false;
    }
  }
  json_decref(body);
  return ok;
}

void ssda903_import(struct request *r) {
  if (!role_set_has(r->caller.roles, ROLE_TEAM_MANAGER) &&
      !role_set_has(r->caller.roles, ROLE_ADMIN)) {
    respond_problem(r, 403, "forbidden",
                    "An SSDA903 return is imported by a team manager or an administrator.");
    return;
  }
  const char *dry = query_param(r, "dry_run");
  if (dry != NULL && strcmp(dry, "true") != 0 && strcmp(dry, "false") != 0) {
    respond_problem(r, 400, "bad-request", "dry_run is true or false.");
    return;
  }
  bool dry_run = dry != NULL && strcmp(dry, "true") == 0;
  struct ssda903_table header = {0};
  struct ssda903_table episodes = {0};
  json_t *errors = json_array();
  json_t *warnings = json_array();
  char team[128];
  json_t *body = NULL;
  if (read_files(r, &header, &episodes, errors, warnings) &&
      import_team(r, team, sizeof team) != NULL && request_begin(r) &&
      (body = apply(r, &header, &episodes, team, dry_run)) != NULL) {
    json_object_set(body, "warnings", warnings);
    if (dry_run) {
      db_rollback_open(request_db(r));
      r->audited = false;
      respond_json(r, 200, body);
    } else {
      json_t *counts = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O}", "team", json_object_get(body, "team"),
                                 "created", json_object_get(body, "created"), "updated",
                                 json_object_get(body, "updated"), "unchanged",
                                 json_object_get(body, "unchanged"), "children",
                                 json_object_get(body, "children"), "placements",
                                 json_object_get(body, "placements"));
      json_object_set(counts, "u1_follow_ups", json_object_get(body, "u1_follow_ups"));
      if (audit_write(r, "import", NULL, 200, counts) && request_commit(r)) {
        respond_json(r, 200, body);
      } else {
        json_decref(body);
        if (r->status == 0) {
          respond_unavailable(r);
        }
      }
      json_decref(counts);
    }
  }
  ssda903_table_free(&header);
  ssda903_table_free(&episodes);
  json_decref(errors);
  json_decref(warnings);
}
