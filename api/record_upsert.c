/* PUT /v1/children/by-external/{system}/{id} and /v1/carers/by-external/{system}/{id}: a case
 * system (Mosaic, Eclipse, Liquidlogic) sends its records every night, one idempotent call each:
 * the record holding the external id is replaced, or created when there is none. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/external_ids.h"
#include "../domain/merge_patch.h"
#include "../domain/records.h"
#include "audit_trail.h"
#include "records.h"

/* Answers the record as it is (nothing changed): its read is audited like any read of it. */
static void answer_unchanged(struct request *r, const struct record_kind *kind, const char *id,
                             const PGresult *current) {
  char kinds[256];
  const char *params[4];
  relationship_set grants = kind->grants(r->caller.roles, ACCESS_WRITE);
  int n = record_access_params(r, kind, id, relationship_array_literal(grants, kinds, sizeof kinds),
                               params);
  PGresult *res = request_query(r, kind->get, n, params);
  if (res != NULL && request_commit(r) && audit_read(r, kind->resource_type, id, 200, NULL)) {
    set_etag(r, PQgetvalue(current, 0, 1));
    respond_json_text(r, 200, PQgetvalue(res, 0, 0));
  }
  PQclear(res);
}

/* Replaces the record `id` that holds the external id with `doc`, or answers it unchanged. */
static void update_existing(struct request *r, const struct record_kind *kind, const char *id,
                            json_t *doc) {
  char kinds[256];
  const char *params[4];
  relationship_set grants = kind->grants(r->caller.roles, ACCESS_WRITE);
  int n = record_access_params(r, kind, id, relationship_array_literal(grants, kinds, sizeof kinds),
                               params);
  PGresult *current = request_query(r, kind->lock, n, params);
  if (current == NULL) {
    return;
  }
  if (PQntuples(current) == 0 || strcmp(PQgetvalue(current, 0, 2), "t") != 0) {
    respond_problem(r, 404, "not-found", "The record holding this external id is not one you may change.");
  } else if (record_if_match_sent(r, PQgetvalue(current, 0, 1))) {
    json_t *stored = json_loads(PQgetvalue(current, 0, 0), 0, NULL);
    if (stored != NULL && json_equal(stored, doc)) {
      answer_unchanged(r, kind, id, current);
    } else {
      record_replace(r, kind, id, current, doc);
    }
    json_decref(stored);
  }
  PQclear(current);
}

bool record_external_target(struct request *r, char *system, char *external_id) {
  path_segment(r, 3, system, 256);
  path_segment(r, 4, external_id, 256);
  if (strlen(system) > EXTERNAL_SYSTEM_MAX || strlen(external_id) > EXTERNAL_ID_MAX) {
    respond_problem(r, 404, "not-found", "No record can hold an external id this long.");
    return false;
  }
  return true;
}

PGresult *record_holding_external_id(struct request *r, const char *resource_type,
                                     const char *system, const char *external_id) {
  const char *params[] = {resource_type, system, external_id};
  PGresult *locked = request_query(r, &EXTERNAL_ID_LOCK, 3, params);
  if (locked == NULL) {
    return NULL;
  }
  PQclear(locked);
  return request_query(r, &EXTERNAL_ID_FIND, 3, params);
}

void record_upsert(struct request *r, const struct record_kind *kind, bool may_create,
                   bool (*on_created)(struct request *r, const char *id)) {
  char system[256];
  char external_id[256];
  if (!may_create && kind->grants(r->caller.roles, ACCESS_WRITE) == 0) {
    respond_problem(r, 403, "forbidden", "Your roles do not allow changing these records.");
    return;
  }
  if (!record_external_target(r, system, external_id)) {
    return;
  }
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return;
  }
  json_t *doc = merge_patch_apply(NULL, body); /* a null member means absent */
  json_decref(body);
  json_t *errors = json_array();
  if (!external_ids_include(doc, system, external_id, errors) ||
      !kind->validate(doc, r->today, errors)) {
    respond_invalid(r, json_incref(errors));
  } else if (request_begin(r)) {
    PGresult *held = record_holding_external_id(r, kind->resource_type, system, external_id);
    if (held != NULL && PQntuples(held) == 1) {
      update_existing(r, kind, PQgetvalue(held, 0, 0), doc);
    } else if (held != NULL && !may_create) {
      respond_problem(r, 403, "forbidden", "No record holds this external id, and your roles do not create one.");
    } else if (held != NULL && record_caller_is_person(r)) {
      record_insert(r, kind, doc, on_created);
    }
    PQclear(held);
  }
  json_decref(errors);
  json_decref(doc);
}
