/* /v1/placements: placing a child with an approved carer who has room, and ending the placement
 * with an SSDA903 reason (POLICY.md section E) that says whether the ending was unplanned. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/carers.h"
#include "../db/children.h"
#include "../db/placements.h"
#include "../domain/access.h"
#include "../domain/endings.h"
#include "../domain/merge_patch.h"
#include "../domain/placements.h"
#include "../domain/schema.h"
#include "audit_trail.h"
#include "duties.h"
#include "endings.h"
#include "handlers.h"
#include "pagination.h"
#include "placement_steps.h"
#include "records.h"

static const struct field_spec START_FIELDS[] = {
    {.name = "child_id", .type = FIELD_UUID, .required = true},
    {.name = "carer_id", .type = FIELD_UUID, .required = true},
    {.name = "start_date", .type = FIELD_DATE, .required = true},
    {.name = "placement_type", .type = FIELD_STRING, .required = true, .max_length = 2},
};
static const struct schema START = {START_FIELDS, 4};

static const struct field_spec END_FIELDS[] = {
    {.name = "end_date", .type = FIELD_DATE, .required = true},
    {.name = "reason", .type = FIELD_STRING, .required = true, .max_length = 6},
    {.name = "unplanned", .type = FIELD_BOOL},
};
static const struct schema END = {END_FIELDS, 3};

/* Gathers what placement_start_check needs, locking the child and carer rows; the carer's
 * approval status is copied into `status` (facts points at it). Appends an error when either
 * record cannot be reached. Returns false when the request was answered. */
static bool gather_start_facts(struct request *r, const json_t *body,
                               struct placement_start_facts *facts, char *status,
                               size_t status_size, json_t *errors) {
  char kinds[256];
  const char *child_id = schema_string(body, "child_id");
  const char *carer_id = schema_string(body, "carer_id");
  relationship_set grants = access_child_grants(r->caller.roles, ACCESS_WRITE);
  const char *child_params[] = {child_id, r->caller.sub,
                                relationship_array_literal(grants, kinds, sizeof kinds)};
  PGresult *child = request_query(r, &CHILD_LOCK, 3, child_params);
  if (child == NULL) {
    return false;
  }
  if (PQntuples(child) == 0 || strcmp(PQgetvalue(child, 0, 2), "t") != 0) {
    validation_error(errors, "child_id", "no such child that you may place");
  } else {
    date_parse(PQgetvalue(child, 0, 3), &facts->child_born);
  }
  PQclear(child);
  const char *carer_params[] = {carer_id, r->caller.sub, "{any_carer}", ""};
  PGresult *carer = request_query(r, &CARER_LOCK, 4, carer_params);
  if (carer == NULL) {
    return false;
  }
  if (PQntuples(carer) == 0) {
    validation_error(errors, "carer_id", "no such carer");
    PQclear(carer);
    return true;
  }
  snprintf(status, status_size, "%s", PQgetvalue(carer, 0, 3));
  facts->carer_approval_status = PQgetisnull(carer, 0, 3) ? NULL : status;
  facts->carer_approved_on_known = date_parse(PQgetvalue(carer, 0, 4), &facts->carer_approved_on);
  facts->carer_max_children = atoi(PQgetvalue(carer, 0, 5));
  facts->carer_children_placed = atoi(PQgetvalue(carer, 0, 6));
  PQclear(carer);
  const char *open_params[] = {child_id};
  PGresult *open = request_query(r, &PLACEMENT_OPEN_COUNT, 1, open_params);
  if (open == NULL) {
    return false;
  }
  facts->child_has_open_placement = atoi(PQgetvalue(open, 0, 0)) > 0;
  PQclear(open);
  return true;
}

PGresult *placement_write_start(struct request *r, const json_t *body) {
  const char *params[] = {schema_string(body, "child_id"), schema_string(body, "carer_id"),
                          schema_string(body, "start_date"), schema_string(body, "placement_type"),
                          r->caller.sub};
  PGresult *res = request_query(r, &PLACEMENT_INSERT, 5, params);
  struct date start;
  date_parse(schema_string(body, "start_date"), &start);
  if (res != NULL &&
      !duty_start_visits(r, PQgetvalue(res, 0, 1), schema_string(body, "child_id"), start)) {
    PQclear(res);
    return NULL;
  }
  return res;
}

/* Inserts the placement with its audit row and answers 201. */
static void insert_placement(struct request *r, const json_t *body) {
  PGresult *res = placement_write_start(r, body);
  if (res == NULL) {
    return;
  }
  json_t *changes = changed_fields(NULL, body);
  if (audit_write(r, "placement", PQgetvalue(res, 0, 1), 201, changes) && request_commit(r)) {
    char location[80];
    snprintf(location, sizeof location, "/v1/placements/%s", PQgetvalue(res, 0, 1));
    respond_created(r, location, PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 0));
  }
  json_decref(changes);
  PQclear(res);
}

bool placement_start_allowed(struct request *r, const json_t *body, json_t *errors) {
  const char *type = schema_string(body, "placement_type");
  if (type != NULL && !placement_type_valid(type)) {
    validation_error(errors, "placement_type", "must be an SSDA903 placement type (U1-U6, K2, ...)");
  }
  struct placement_start_facts facts = {0};
  char status[32];
  if (json_array_size(errors) > 0 ||
      !gather_start_facts(r, body, &facts, status, sizeof status, errors) ||
      json_array_size(errors) > 0) {
    return false;
  }
  date_parse(schema_string(body, "start_date"), &facts.start);
  enum placement_verdict verdict = placement_start_check(&facts, errors);
  if (verdict == PLACEMENT_CONFLICT) {
    respond_problem(r, 409, "conflict", "The child already has an open placement; end it first.");
  }
  return verdict == PLACEMENT_ALLOWED;
}

void placements_create(struct request *r) {
  if (access_child_grants(r->caller.roles, ACCESS_WRITE) == 0) {
    respond_problem(r, 403, "forbidden", "Placements are made by the child's CSW or team manager.");
    return;
  }
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return;
  }
  json_t *errors = json_array();
  schema_validate(&START, body, "", errors);
  if (json_array_size(errors) == 0 && request_begin(r) &&
      placement_start_allowed(r, body, errors)) {
    insert_placement(r, body);
  }
  if (json_array_size(errors) > 0 && r->status == 0) {
    respond_invalid(r, json_incref(errors));
  }
  json_decref(errors);
  json_decref(body);
}

void placements_get(struct request *r) {
  char id[64];
  char kinds[256];
  relationship_set grants = access_child_grants(r->caller.roles, ACCESS_READ);
  if (!record_target(r, grants, "Your roles do not give access to placements.", id)) {
    return;
  }
  const char *params[] = {id, r->caller.sub, relationship_array_literal(grants, kinds, sizeof kinds)};
  PGresult *res = request_query(r, &PLACEMENT_GET, 3, params);
  if (res == NULL) {
    return;
  }
  if (PQntuples(res) == 0 || strcmp(PQgetvalue(res, 0, 2), "t") != 0) {
    respond_problem(r, 404, "not-found", "There is no such placement you may see.");
  } else {
    set_etag(r, PQgetvalue(res, 0, 1));
    respond_json_text(r, 200, PQgetvalue(res, 0, 0));
  }
  PQclear(res);
}

PGresult *placement_write_end(struct request *r, const char *id, struct date start,
                              const json_t *body, json_t *errors) {
  struct date end;
  date_parse(schema_string(body, "end_date"), &end);
  if (!placement_end_check(start, end, errors)) {
    return NULL;
  }
  const char *reason = schema_string(body, "reason");
  const json_t *said_json = json_object_get(body, "unplanned");
  bool said = json_is_true(said_json);
  enum unplanned_answer answer = ending_unplanned(reason, json_is_boolean(said_json) ? &said : NULL);
  if (answer == ENDING_CONTRADICTED) {
    validation_error(errors, "unplanned", "contradicts the ending reason (POLICY.md section E)");
    return NULL;
  }
  bool unplanned = answer == ENDING_IS_UNPLANNED;
  const json_t *settings = request_settings(r);
  if (settings == NULL) {
    return NULL;
  }
  struct date_range window = unplanned_meeting_window(settings, end);
  char first[11];
  char last[11];
  date_format(window.first, first);
  date_format(window.last, last);
  const char *params[] = {id, schema_string(body, "end_date"), reason,
                          answer == ENDING_UNKNOWN ? NULL : unplanned ? "true" : "false",
                          unplanned ? first : NULL, unplanned ? last : NULL};
  PGresult *res = request_query(r, &PLACEMENT_END, 6, params);
  if (res != NULL && (!duties_end_with_placement(r, id, unplanned) ||
                      (unplanned && !unplanned_ending_follow_up(r, id)))) {
    PQclear(res);
    return NULL;
  }
  return res;
}

/* Writes the ending once the locked placement allows it, audits and answers. */
static void end_placement(struct request *r, const char *id, const PGresult *current,
                          const json_t *body, json_t *errors) {
  struct date start;
  date_parse(PQgetvalue(current, 0, 0), &start);
  if (!PQgetisnull(current, 0, 1)) {
    respond_problem(r, 409, "conflict", "The placement has already ended.");
    return;
  }
  PGresult *res = placement_write_end(r, id, start, body, errors);
  if (res == NULL) {
    return;
  }
  json_t *changes = changed_fields(NULL, body);
  if (audit_write(r, "placement", id, 200, changes) && request_commit(r)) {
    set_etag(r, PQgetvalue(res, 0, 1));
    respond_json_text(r, 200, PQgetvalue(res, 0, 0));
  }
  json_decref(changes);
  PQclear(res);
}

void placements_end(struct request *r) {
  char id[64];
  char kinds[256];
  relationship_set grants = access_child_grants(r->caller.roles, ACCESS_WRITE);
  if (!record_target(r, grants, "Placements are ended by the child's CSW or team manager.",
                     id)) {
    return;
  }
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return;
  }
  json_t *errors = json_array();
  schema_validate(&END, body, "", errors);
  const char *reason = schema_string(body, "reason");
  if (reason != NULL && !placement_end_reason_valid(reason)) {
    validation_error(errors, "reason", "must be an SSDA903 reason for placement change (CARPL, CREQB, ...)");
  }
  const char *params[] = {id, r->caller.sub, relationship_array_literal(grants, kinds, sizeof kinds)};
  PGresult *current = NULL;
  if (json_array_size(errors) == 0 && request_begin(r) &&
      (current = request_query(r, &PLACEMENT_LOCK, 3, params)) != NULL) {
    if (PQntuples(current) == 0 || strcmp(PQgetvalue(current, 0, 2), "t") != 0) {
      respond_problem(r, 404, "not-found", "There is no such placement you may end.");
    } else if (record_if_match_sent(r, PQgetvalue(current, 0, 4))) {
      end_placement(r, id, current, body, errors);
    }
  }
  if (json_array_size(errors) > 0 && r->status == 0) {
    respond_invalid(r, json_incref(errors));
  }
  PQclear(current);
  json_decref(errors);
  json_decref(body);
}

void placements_list_for_child(struct request *r) {
  char id[64];
  char kinds[256];
  relationship_set grants = access_child_grants(r->caller.roles, ACCESS_READ);
  struct page page;
  if (!record_target(r, grants, "Your roles do not give access to children's records.", id) ||
      !page_read(r, PAGE_KEY_UUID, &page)) {
    return;
  }
  const char *check[] = {id, r->caller.sub, relationship_array_literal(grants, kinds, sizeof kinds)};
  PGresult *child = request_query(r, &CHILD_GET, 3, check);
  if (child == NULL) {
    return;
  }
  bool visible = PQntuples(child) == 1 && strcmp(PQgetvalue(child, 0, 2), "t") == 0;
  PQclear(child);
  if (!visible) {
    respond_problem(r, 404, "not-found", "There is no such child you may see.");
    return;
  }
  const char *params[] = {id, page_after_param(&page), page.limit};
  PGresult *res = request_query(r, &PLACEMENT_LIST_FOR_CHILD, 3, params);
  if (res != NULL) {
    page_respond_result(r, res);
  }
  PQclear(res);
}
