/* PUT /v1/placements/by-external/{system}/{id}: a case system's nightly sync of a placement, one
 * idempotent call: the placement holding the external id is started (with its ending, when the
 * case system has one), ended when the case system has since recorded its ending, or answered
 * unchanged. A placement's child, carer, start and type are never changed by a sync (409): the
 * case system ends it and starts another, as social workers do. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/children.h"
#include "../db/events.h"
#include "../db/placements.h"
#include "../domain/access.h"
#include "../domain/merge_patch.h"
#include "../domain/placements.h"
#include "../domain/schema.h"
#include "audit_trail.h"
#include "handlers.h"
#include "placement_steps.h"
#include "records.h"

static const struct field_spec SYNC_FIELDS[] = {
    {.name = "child_id", .type = FIELD_UUID, .required = true},
    {.name = "carer_id", .type = FIELD_UUID, .required = true},
    {.name = "start_date", .type = FIELD_DATE, .required = true},
    {.name = "placement_type", .type = FIELD_STRING, .required = true, .max_length = 2},
    {.name = "end_date", .type = FIELD_DATE},
    {.name = "reason", .type = FIELD_STRING, .max_length = 6},
    {.name = "unplanned", .type = FIELD_BOOL},
};
static const struct schema SYNC = {SYNC_FIELDS, 7};

/* The placement's SSDA903 type, and its ending, when the body has one, with both its date and its
 * SSDA903 reason. */
static void check_codes(const json_t *body, json_t *errors) {
  const char *type = schema_string(body, "placement_type");
  if (type != NULL && !placement_type_valid(type)) {
    validation_error(errors, "placement_type", "must be an SSDA903 placement type (U1-U6, K2, ...)");
  }
  const char *end = schema_string(body, "end_date");
  const char *reason = schema_string(body, "reason");
  if ((end == NULL) != (reason == NULL)) {
    validation_error(errors, end == NULL ? "end_date" : "reason",
                     "an ending has both its date and its reason");
  } else if (reason != NULL && !placement_end_reason_valid(reason)) {
    validation_error(errors, "reason", "must be an SSDA903 reason for placement change (CARPL, CREQB, ...)");
  }
}

/* Audits the placement's change, commits and answers `status` with its JSON and ETag. */
static void answer_synced(struct request *r, const char *id, int status, const json_t *body,
                          const char *json, const char *version) {
  json_t *changes = changed_fields(NULL, body);
  if (audit_write(r, "placement", id, status, changes) && request_commit(r)) {
    set_etag(r, version);
    if (status == 201) {
      char location[80];
      snprintf(location, sizeof location, "/v1/placements/%s", id);
      respond_created(r, location, version, json);
    } else {
      respond_json_text(r, status, json);
    }
  }
  json_decref(changes);
}

/* A placement synced with its ending in one call is audited as started: its ending is announced
 * too, for the feed and the webhooks. */
static bool announce_ending(struct request *r, const char *id) {
  const char *event[] = {"placement.ended", "placement", id, NULL, "{}"};
  PGresult *told = request_query(r, &EVENT_INSERT, 5, event);
  PQclear(told);
  return told != NULL;
}

/* A placement the service does not hold yet: started (and ended, when the body says so). */
static void start_synced(struct request *r, const json_t *body, const char *system,
                         const char *external_id, json_t *errors) {
  if (!placement_start_allowed(r, body, errors)) {
    return;
  }
  PGresult *started = placement_write_start(r, body);
  if (started == NULL) {
    return;
  }
  char id[64];
  snprintf(id, sizeof id, "%s", PQgetvalue(started, 0, 1));
  json_t *ids = json_pack("{s:[{s:s, s:s}]}", "external_ids", "system", system, "id", external_id);
  char *ids_text = json_dumps(ids, JSON_COMPACT);
  PGresult *ended = NULL;
  struct date start;
  date_parse(schema_string(body, "start_date"), &start);
  if (record_store_external_ids(r, "placement", id, ids_text, false) &&
      (schema_string(body, "end_date") == NULL ||
       (ended = placement_write_end(r, id, start, body, errors)) != NULL)) {
    const PGresult *now = ended != NULL ? ended : started;
    int version_col = ended != NULL ? 1 : 2;
    if (ended == NULL || announce_ending(r, id)) {
      answer_synced(r, id, 201, body, PQgetvalue(now, 0, 0), PQgetvalue(now, 0, version_col));
    }
  }
  PQclear(ended);
  free(ids_text);
  json_decref(ids);
  PQclear(started);
}

/* Whether the body gives the locked placement (`current`: PLACEMENT_SYNC_LOCK's row) another
 * child, carer, start or type. */
static bool start_differs(const PGresult *current, const json_t *body) {
  const char *fields[] = {"child_id", "carer_id", "start_date", "placement_type"};
  for (int i = 0; i < 4; i++) {
    if (strcmp(PQgetvalue(current, 0, i), schema_string(body, fields[i])) != 0) {
      return true;
    }
  }
  return false;
}

/* Whether the body gives the ended placement (`current`) another ending: its date, its reason,
 * or, when said, whether it was unplanned. */
static bool ending_differs(const PGresult *current, const json_t *body) {
  const char *end = schema_string(body, "end_date");
  const json_t *said = json_object_get(body, "unplanned");
  bool unplanned_known = !PQgetisnull(current, 0, 9);
  bool unplanned = unplanned_known && strcmp(PQgetvalue(current, 0, 9), "t") == 0;
  return end == NULL || strcmp(end, PQgetvalue(current, 0, 4)) != 0 ||
         strcmp(schema_string(body, "reason"), PQgetvalue(current, 0, 5)) != 0 ||
         (json_is_boolean(said) && (!unplanned_known || json_is_true(said) != unplanned));
}

/* A placement the service holds: ended when the body first has its ending, else unchanged. */
static void update_synced(struct request *r, const char *id, const json_t *body, json_t *errors) {
  char kinds[256];
  relationship_set grants = access_child_grants(r->caller.roles, ACCESS_WRITE);
  const char *params[] = {id, r->caller.sub, relationship_array_literal(grants, kinds, sizeof kinds)};
  PGresult *current = request_query(r, &PLACEMENT_SYNC_LOCK, 3, params);
  if (current == NULL) {
    return;
  }
  const char *end = schema_string(body, "end_date");
  bool visible = PQntuples(current) == 1 && strcmp(PQgetvalue(current, 0, 6), "t") == 0;
  bool ended = visible && !PQgetisnull(current, 0, 4);
  if (!visible) {
    respond_problem(r, 404, "not-found", "The placement holding this external id is not one you may change.");
  } else if (!record_if_match_sent(r, PQgetvalue(current, 0, 7))) {
    /* answered 412 */
  } else if (start_differs(current, body) ||
             (ended && ending_differs(current, body))) {
    respond_problem(r, 409, "conflict",
                    "A placement's child, carer, start, type and ending are not changed by a sync: "
                    "end it and start another.");
  } else if (!ended && end != NULL) {
    struct date start;
    date_parse(PQgetvalue(current, 0, 2), &start);
    PGresult *res = placement_write_end(r, id, start, body, errors);
    if (res != NULL) {
      answer_synced(r, id, 200, body, PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1));
    }
    PQclear(res);
  } else if (request_commit(r) && audit_read(r, "placement", id, 200, NULL)) {
    set_etag(r, PQgetvalue(current, 0, 7));
    respond_json_text(r, 200, PQgetvalue(current, 0, 8));
  }
  PQclear(current);
}

void placements_upsert(struct request *r) {
  char system[256];
  char external_id[256];
  if (access_child_grants(r->caller.roles, ACCESS_WRITE) == 0) {
    respond_problem(r, 403, "forbidden", "Placements are made by the child's CSW or team manager.");
    return;
  }
  if (!record_external_target(r, system, external_id)) {
    return;
  }
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return;
  }
  json_t *errors = json_array();
  schema_validate(&SYNC, body, "", errors);
  check_codes(body, errors);
  if (json_array_size(errors) == 0 && request_begin(r)) {
    PGresult *held = record_holding_external_id(r, "placement", system, external_id);
    if (held != NULL && PQntuples(held) == 1) {
      update_synced(r, PQgetvalue(held, 0, 0), body, errors);
    } else if (held != NULL) {
      start_synced(r, body, system, external_id, errors);
    }
    PQclear(held);
  }
  if (json_array_size(errors) > 0 && r->status == 0) {
    respond_invalid(r, json_incref(errors));
  }
  json_decref(errors);
  json_decref(body);
}
