/* Unplanned endings: the follow-up of U1, U4 and P3, and POST
 * /v1/placements/{id}/unplanned-ending-waiver (U2: the reviewing team manager may waive the
 * meeting when a stability meeting was held in the 12 weeks before the ending). */
#include "endings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/matches.h"
#include "../db/meetings.h"
#include "../db/placements.h"
#include "../domain/access.h"
#include "../domain/endings.h"
#include "../domain/schema.h"
#include "../domain/settings.h"
#include "audit_trail.h"
#include "handlers.h"
#include "meeting_facts.h"
#include "records.h"
#include "rule_actions.h"

/* P3: the child goes back to family finding (a family-finding match, its finder the child's
 * family finder, else their CSW, else whoever ended the placement) and a PPM is held. */
static bool refer_back(struct request *r, const struct ending_facts *ending, const char *csw) {
  char finder[PERSON_ID_SIZE];
  if (!allocated_person(r, ending->child_id, NULL, "family_finder", finder)) {
    return false;
  }
  const char *finder_role = finder[0] != '\0' ? "family_finder" : "csw";
  if (finder[0] == '\0') {
    snprintf(finder, sizeof finder, "%s", csw[0] != '\0' ? csw : r->caller.sub);
  }
  char started[11];
  date_format(ending->end, started);
  const char *params[] = {ending->child_id, NULL, "long_term", "family_finding", finder_role,
                          finder, started, r->caller.sub};
  PGresult *match = request_query(r, &MATCH_INSERT, 8, params);
  if (match == NULL) {
    return false;
  }
  int days = (int)setting_value(request_settings(r), "ppm_after_breakdown_working_days");
  struct rule_action ppm = {
      .title = "Hold a permanency planning meeting", .subject_type = "child",
      .subject_id = ending->child_id, .owner = csw[0] != '\0' ? csw : NULL,
      .due = deadline_working_days(request_calendar(r), ending->end, days), .rule = "P3",
      .source_type = "match", .source_id = PQgetvalue(match, 0, 1)};
  bool ok = rule_action_add(r, &ppm, NULL);
  PQclear(match);
  return ok;
}

bool unplanned_ending_follow_up(struct request *r, const char *placement_id) {
  struct ending_facts ending;
  char iro[PERSON_ID_SIZE];
  char csw[PERSON_ID_SIZE];
  if (request_settings(r) == NULL || request_calendar(r) == NULL ||
      !ending_facts_load(r, placement_id, &ending) ||
      !allocated_person(r, ending.child_id, NULL, "iro", iro) ||
      !allocated_person(r, ending.child_id, NULL, "csw", csw)) {
    return false;
  }
  char first[11];
  char last[11];
  char window[64];
  date_format(ending.window.first, first);
  date_format(ending.window.last, last);
  snprintf(window, sizeof window, "between %s and %s", first, last);
  struct rule_action meeting = {
      .title = "Hold the unplanned-ending meeting", .detail = window, .subject_type = "child",
      .subject_id = ending.child_id, .owner = iro[0] != '\0' ? iro : NULL,
      .due = london_end_of_day(ending.window.last), .rule = "U1",
      .source_type = "placement", .source_id = placement_id};
  struct rule_action listing = meeting;
  listing.title = "List the unplanned ending at Part 2 of the permanence panel";
  listing.detail = NULL;
  listing.owner = NULL;
  listing.rule = "U4";
  if (!rule_action_add(r, &meeting, NULL) || !rule_action_add(r, &listing, NULL)) {
    return false;
  }
  return !breakdown_refers_back(request_settings(r), ending.child_born, ending.end) ||
         refer_back(r, &ending, csw);
}

/* U2: the held stability meetings of the child allow the waiver of the meeting after an ending
 * on `end`. */
static bool waiver_allowed(struct request *r, const char *child_id, struct date end, bool *allowed) {
  const char *params[] = {child_id};
  PGresult *res = request_query(r, &STABILITY_MEETINGS_HELD, 1, params);
  if (res == NULL || request_settings(r) == NULL) {
    PQclear(res);
    return false;
  }
  int n = PQntuples(res);
  struct date *held = calloc((size_t)n + 1, sizeof *held);
  int parsed = 0;
  for (int i = 0; held != NULL && i < n; i++) {
    parsed += date_parse(PQgetvalue(res, i, 0), &held[parsed]) ? 1 : 0;
  }
  *allowed = held != NULL && unplanned_meeting_waivable(request_settings(r), end, held, (size_t)parsed);
  free(held);
  PQclear(res);
  return true;
}

/* Waives the meeting after the locked placement's ending (`facts`) when U2 allows it. */
static void waive(struct request *r, const char *id, const PGresult *facts, const json_t *body) {
  struct date end;
  bool allowed = false;
  if (PQgetisnull(facts, 0, 0) || strcmp(PQgetvalue(facts, 0, 1), "t") != 0) {
    respond_problem(r, 409, "conflict", "The placement has not ended unplanned.");
    return;
  }
  if (strcmp(PQgetvalue(facts, 0, 2), "t") == 0) {
    respond_problem(r, 409, "conflict", "The unplanned-ending meeting was already waived.");
    return;
  }
  date_parse(PQgetvalue(facts, 0, 0), &end);
  if (!waiver_allowed(r, PQgetvalue(facts, 0, 4), end, &allowed)) {
    return;
  }
  if (!allowed) {
    respond_rule(r, 422, "U2",
                 "The unplanned-ending meeting is waived only when a stability meeting was held "
                 "in the weeks before the ending.",
                 json_pack("[s]", "stability_meeting"));
    return;
  }
  const char *reason = schema_string(body, "reason");
  struct rule_action_scope scope = {"child", PQgetvalue(facts, 0, 4), "U1", DUTY_NONE, id, NULL};
  PGresult *cancelled = rule_actions_close_about(r, &scope, false, reason);
  const char *params[] = {id, reason, r->caller.sub};
  PGresult *res = cancelled == NULL ? NULL : request_query(r, &PLACEMENT_WAIVE_U1, 3, params);
  json_t *changes = json_pack("{s:{}, s:O}", "before", "after", body);
  if (res != NULL && audit_write(r, "placement", id, 200, changes) && request_commit(r)) {
    set_etag(r, PQgetvalue(res, 0, 1));
    respond_json_text(r, 200, PQgetvalue(res, 0, 0));
  }
  json_decref(changes);
  PQclear(res);
  PQclear(cancelled);
}

void placements_waive_unplanned_meeting(struct request *r) {
  static const struct field_spec fields[] = {
      {.name = "reason", .type = FIELD_STRING, .required = true, .max_length = 20000}};
  static const struct schema shape = {fields, 1};
  char id[64];
  char kinds[256];
  relationship_set grants = access_waiver_grants(r->caller.roles);
  if (!record_target(r, grants, "A team manager waives an unplanned-ending meeting (U2).", id)) {
    return;
  }
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return;
  }
  json_t *errors = json_array();
  PGresult *facts = NULL;
  const char *params[] = {id, r->caller.sub, relationship_array_literal(grants, kinds, sizeof kinds)};
  if (!schema_validate(&shape, body, "", errors) ||
      !text_recorded(schema_string(body, "reason"))) {
    if (json_array_size(errors) == 0) {
      validation_error(errors, "reason", "must say why");
    }
    respond_invalid(r, json_incref(errors));
  } else if (request_begin(r) &&
             (facts = request_query(r, &PLACEMENT_WAIVER_FACTS, 3, params)) != NULL) {
    if (PQntuples(facts) == 0 || strcmp(PQgetvalue(facts, 0, 3), "t") != 0) {
      respond_problem(r, 404, "not-found", "There is no such placement you may see.");
    } else if (record_if_match_sent(r, PQgetvalue(facts, 0, 5))) {
      waive(r, id, facts, body);
    }
  }
  PQclear(facts);
  json_decref(errors);
  json_decref(body);
}
