/* /v1/meetings: arranging a meeting about a child (P2, S3, U1, P7, L1-L2), reading one, and
 * listing them. The steps after it is arranged are in meeting_steps.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/events.h"
#include "../db/meetings.h"
#include "../domain/access.h"
#include "../domain/endings.h"
#include "../domain/meetings.h"
#include "../domain/merge_patch.h"
#include "../domain/schema.h"
#include "audit_trail.h"
#include "handlers.h"
#include "meeting_facts.h"
#include "pagination.h"
#include "records.h"
#include "rule_actions.h"

/* What the new meeting is about once its references are checked. */
struct new_meeting {
  enum meeting_type type;
  const char *child_id;
  char carer_id[64];     /* "" for none */
  const char *placement_id;
  time_t scheduled_at;
};

/* U1: an unplanned-ending meeting is about the child's ended, unplanned placement, inside the
 * window after the ending; its carer is the placement's. Appends to `errors` or `missing`. */
static bool check_ending_meeting(struct request *r, struct new_meeting *m, json_t *errors,
                                 json_t *missing) {
  if (m->placement_id == NULL) {
    validation_error(errors, "placement_id", "an unplanned-ending meeting names the placement");
    return true;
  }
  struct ending_facts ending;
  if (!ending_facts_load(r, m->placement_id, &ending)) {
    return false;
  }
  if (!ending.found || strcmp(ending.child_id, m->child_id) != 0 || !ending.unplanned) {
    validation_error(errors, "placement_id", "must be this child's placement that ended unplanned");
    return true;
  }
  if (m->carer_id[0] == '\0') {
    snprintf(m->carer_id, sizeof m->carer_id, "%s", ending.carer_id);
  }
  if (!date_range_contains(ending.window, london_date(m->scheduled_at))) {
    json_array_append_new(missing, json_string("scheduled_at"));
  }
  return true;
}

/* A meeting about a placement names one of its child's placements. Appends to `errors`. */
static bool check_placement_of_child(struct request *r, const struct new_meeting *m,
                                     json_t *errors) {
  struct ending_facts placement;
  if (!ending_facts_load(r, m->placement_id, &placement)) {
    return false;
  }
  if (!placement.found || strcmp(placement.child_id, m->child_id) != 0) {
    validation_error(errors, "placement_id", "must be one of this child's placements");
  }
  return true;
}

/* Checks the child (404 when unreachable), the carer, the placement and the chair of the new
 * meeting; appends field errors to `errors` and a rule's missing items to `missing` (the rule
 * into *rule). Returns false after answering. */
static bool check_new_meeting(struct request *r, struct new_meeting *m, const char *chair,
                              json_t *errors, json_t *missing, const char **rule) {
  struct meeting_child child;
  if (!meeting_child_load(r, m->child_id, access_meeting_grants(r->caller.roles), &child)) {
    return false;
  }
  if (m->carer_id[0] != '\0' && !carer_known(r, m->carer_id, errors)) {
    return false;
  }
  bool stability = m->type == MEETING_STABILITY || m->type == MEETING_STABILITY_REVIEW;
  if (stability && m->carer_id[0] == '\0') {
    snprintf(m->carer_id, sizeof m->carer_id, "%s", child.carer_id);
  }
  if (m->type == MEETING_UNPLANNED_ENDING) {
    if (!check_ending_meeting(r, m, errors, missing)) {
      return false;
    }
  } else if (m->placement_id != NULL && !check_placement_of_child(r, m, errors)) {
    return false;
  }
  if (json_array_size(missing) > 0) {
    *rule = "U1";
  }
  struct chair_roles roles;
  if (!chair_roles_load(r, chair, &roles, errors)) {
    return false;
  }
  if (roles.known) {
    const char *chair_rule = meeting_chair_check(m->type, roles.team_manager, roles.iro, missing);
    *rule = *rule != NULL ? *rule : chair_rule;
  }
  return true;
}

/* Inserts the checked meeting with its consequences and audit row, and answers 201. */
static void insert_meeting(struct request *r, const struct new_meeting *m, const json_t *body) {
  const char *params[] = {schema_string(body, "type"), m->child_id,
                          m->carer_id[0] != '\0' ? m->carer_id : NULL, m->placement_id,
                          schema_string(body, "scheduled_at"), schema_string(body, "chair_id"),
                          r->caller.sub};
  PGresult *res = request_query(r, &MEETING_INSERT, 7, params);
  if (res == NULL) {
    return;
  }
  const char *id = PQgetvalue(res, 0, 2);
  PGresult *convened = NULL;
  if (m->type == MEETING_STABILITY) { /* S2: the meeting is convened */
    struct rule_action_scope scope = {"child", m->child_id, "S2", DUTY_NONE, NULL, NULL};
    convened = rule_actions_close_about(r, &scope, true, "the stability meeting was arranged");
  }
  json_t *changes = changed_fields(NULL, body);
  if ((m->type != MEETING_STABILITY || convened != NULL) &&
      meeting_event(r, "meeting.scheduled", id, NULL) &&
      audit_write(r, "meeting", id, 201, changes) && request_commit(r)) {
    char location[80];
    snprintf(location, sizeof location, "/v1/meetings/%s", id);
    respond_created(r, location, PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 0));
  }
  json_decref(changes);
  PQclear(convened);
  PQclear(res);
}

void meetings_create(struct request *r) {
  if (access_meeting_grants(r->caller.roles) == 0) {
    respond_problem(r, 403, "forbidden", "Meetings are arranged by those who work the child's case.");
    return;
  }
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return;
  }
  const struct field_spec fields[] = {
      {.name = "type", .type = FIELD_ENUM, .required = true, .choices = meeting_type_names()},
      {.name = "child_id", .type = FIELD_UUID, .required = true},
      {.name = "carer_id", .type = FIELD_UUID},
      {.name = "placement_id", .type = FIELD_UUID},
      {.name = "scheduled_at", .type = FIELD_STRING, .required = true, .max_length = 40},
      {.name = "chair_id", .type = FIELD_STRING, .required = true, .max_length = 128},
  };
  const struct schema shape = {fields, sizeof fields / sizeof fields[0]};
  json_t *errors = json_array();
  json_t *missing = json_array();
  schema_validate(&shape, body, "", errors);
  struct new_meeting m = {.child_id = schema_string(body, "child_id"),
                          .placement_id = schema_string(body, "placement_id")};
  const char *carer = schema_string(body, "carer_id");
  snprintf(m.carer_id, sizeof m.carer_id, "%s", carer != NULL ? carer : "");
  const char *scheduled = schema_string(body, "scheduled_at");
  if (scheduled != NULL && !date_from_time_string(scheduled, &m.scheduled_at)) {
    validation_error(errors, "scheduled_at", "must be an RFC 3339 time");
  }
  meeting_type_parse(schema_string(body, "type"), &m.type);
  const char *rule = NULL;
  if (json_array_size(errors) == 0 && request_begin(r) &&
      check_new_meeting(r, &m, schema_string(body, "chair_id"), errors, missing, &rule)) {
    if (json_array_size(errors) > 0) {
      respond_invalid(r, json_incref(errors));
    } else if (rule != NULL) {
      respond_rule(r, 422, rule, meeting_rule_refusal(rule), json_incref(missing));
    } else {
      insert_meeting(r, &m, body);
    }
  } else if (json_array_size(errors) > 0 && r->status == 0) {
    respond_invalid(r, json_incref(errors));
  }
  json_decref(missing);
  json_decref(errors);
  json_decref(body);
}

void meetings_get(struct request *r) {
  char id[64];
  char kinds[256];
  relationship_set grants = access_meeting_grants(r->caller.roles);
  if (!record_target(r, grants, "Your roles do not give access to meetings.", id)) {
    return;
  }
  const char *params[] = {id, r->caller.sub, relationship_array_literal(grants, kinds, sizeof kinds)};
  PGresult *res = request_query(r, &MEETING_GET, 3, params);
  if (res == NULL) {
    return;
  }
  if (PQntuples(res) == 0 || strcmp(PQgetvalue(res, 0, 2), "t") != 0) {
    respond_problem(r, 404, "not-found", "There is no such meeting you may see.");
  } else {
    set_etag(r, PQgetvalue(res, 0, 1));
    respond_json_text(r, 200, PQgetvalue(res, 0, 0));
  }
  PQclear(res);
}

/* Reads and checks the list's filters; answers 422 naming each bad one and returns false. */
static bool read_meeting_filters(struct request *r, const char **child, const char **type,
                                 const char **from, const char **to) {
  json_t *errors = json_array();
  struct date day;
  enum meeting_type parsed;
  *child = query_param(r, "child_id");
  *type = query_param(r, "type");
  *from = query_param(r, "from");
  *to = query_param(r, "to");
  if (*child != NULL && !schema_is_uuid(*child)) {
    validation_error(errors, "child_id", "must be a UUID");
  }
  if (*type != NULL && !meeting_type_parse(*type, &parsed)) {
    validation_error(errors, "type", "must be a meeting type");
  }
  if (*from != NULL && !date_parse(*from, &day)) {
    validation_error(errors, "from", "must be a date YYYY-MM-DD");
  }
  if (*to != NULL && !date_parse(*to, &day)) {
    validation_error(errors, "to", "must be a date YYYY-MM-DD");
  }
  if (json_array_size(errors) > 0) {
    respond_invalid(r, errors);
    return false;
  }
  json_decref(errors);
  return true;
}

/* Whether the list cursor is "YYYY-MM-DDTHH:MM:SSZ|uuid" as the list writes it. */
static bool meeting_cursor_valid(const char *after) {
  time_t at;
  char when[21];
  if (after == NULL) {
    return true;
  }
  const char *bar = strchr(after, '|');
  if (bar == NULL || bar - after != 20) {
    return false;
  }
  snprintf(when, sizeof when, "%.20s", after);
  return date_from_time_string(when, &at) && schema_is_uuid(bar + 1);
}

void meetings_list(struct request *r) {
  char kinds[256];
  struct page page;
  const char *child, *type, *from, *to;
  relationship_set grants = access_meeting_grants(r->caller.roles);
  if (grants == 0) {
    respond_problem(r, 403, "forbidden", "Your roles do not give access to meetings.");
    return;
  }
  if (!read_meeting_filters(r, &child, &type, &from, &to) || !page_read(r, PAGE_KEY_TEXT, &page)) {
    return;
  }
  if (!meeting_cursor_valid(page_after_param(&page))) {
    respond_problem(r, 400, "bad-request", "The cursor is not one this list gave.");
    return;
  }
  const char *params[] = {r->caller.sub, relationship_array_literal(grants, kinds, sizeof kinds),
                          child, type, from, to, page_after_param(&page), page.limit};
  PGresult *res = request_query(r, &MEETING_LIST, 8, params);
  if (res == NULL) {
    return;
  }
  json_t *shown = json_pack("{s:o?}", "read", json_loads(PQgetvalue(res, 0, 3), 0, NULL));
  if (audit_read(r, "meeting", NULL, 200, shown)) { /* R1: the meetings shown, by id */
    page_respond_result(r, res);
  }
  json_decref(shown);
  PQclear(res);
}
