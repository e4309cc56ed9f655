#include "records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/children.h"
#include "../db/people.h"
#include "../domain/merge_patch.h"
#include "../domain/schema.h"
#include "audit_trail.h"
#include "record_json.h"

bool record_id_valid(struct request *r, const char *id) {
  bool ok = schema_is_uuid(id);
  if (!ok) {
    respond_problem(r, 404, "not-found", "There is no such record.");
  }
  return ok;
}

bool record_target(struct request *r, relationship_set grants, const char *refusal, char *id) {
  path_segment(r, 2, id, 64);
  if (grants == 0) {
    respond_problem(r, 403, "forbidden", refusal);
    return false;
  }
  return record_id_valid(r, id);
}

bool record_person_known(struct request *r, const char *person, const char *field,
                         json_t *errors) {
  const char *params[] = {person};
  PGresult *res = request_query(r, &PERSON_EXISTS, 1, params);
  if (res == NULL) {
    return false;
  }
  if (PQntuples(res) == 0) {
    validation_error(errors, field, "no such person");
  }
  PQclear(res);
  return true;
}

int record_access_params(const struct request *r, const struct record_kind *kind, const char *id,
                         const char *kinds, const char *params[]) {
  params[0] = id;
  params[1] = r->caller.sub;
  params[2] = kinds;
  params[3] = r->caller.agency_id;
  return kind->with_agency ? 4 : 3;
}

bool record_caller_is_person(struct request *r) {
  const char *params[] = {r->caller.sub};
  PGresult *res = request_query(r, &PERSON_TEAM, 1, params);
  if (res == NULL) {
    return false;
  }
  bool known = PQntuples(res) == 1;
  PQclear(res);
  if (!known) {
    respond_problem(r, 403, "forbidden",
                    "Your sub has no people record here; ask an administrator to add you.");
  }
  return known;
}

void record_insert(struct request *r, const struct record_kind *kind, const json_t *doc,
                          bool (*on_created)(struct request *r, const char *id)) {
  char *text = json_dumps(doc, JSON_COMPACT);
  const char *params[] = {r->caller.sub, text};
  PGresult *res = request_query(r, kind->insert, 2, params);
  if (res != NULL) {
    const char *id = PQgetvalue(res, 0, 2);
    json_t *changes = changed_fields(NULL, doc);
    if (record_store_external_ids(r, kind->resource_type, id, text, false) &&
        (on_created == NULL || on_created(r, id)) &&
        audit_write(r, kind->resource_type, id, 201, changes) && request_commit(r)) {
      char location[96];
      snprintf(location, sizeof location, "%s/%s", kind->collection, id);
      respond_created(r, location, PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 0));
    }
    json_decref(changes);
  }
  PQclear(res);
  free(text);
}

void record_create(struct request *r, const struct record_kind *kind,
                   bool (*on_created)(struct request *r, const char *id)) {
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return;
  }
  json_t *doc = merge_patch_apply(NULL, body); /* a null member means absent: none is stored */
  json_decref(body);
  json_t *errors = json_array();
  if (!kind->validate(doc, r->today, errors)) {
    respond_invalid(r, json_incref(errors));
  } else if (request_begin(r) && record_caller_is_person(r)) {
    record_insert(r, kind, doc, on_created);
  }
  json_decref(errors);
  json_decref(doc);
}

/* Answers from a row of (visible, record columns): 404 unless visible. */
static void respond_composed(struct request *r, const PGresult *res) {
  if (PQntuples(res) == 0 || strcmp(PQgetvalue(res, 0, 0), "t") != 0) {
    respond_problem(r, 404, "not-found", "There is no such record you may see.");
    return;
  }
  char *json = record_json(res, 0, 1);
  if (json == NULL) {
    respond_problem(r, 500, "internal", "The answer could not be written.");
    return;
  }
  set_etag(r, PQgetvalue(res, 0, 3));
  respond_json_text(r, 200, json);
  free(json);
}

void record_get(struct request *r, const struct record_kind *kind) {
  char id[64];
  relationship_set grants = kind->grants(r->caller.roles, ACCESS_READ);
  if (!record_target(r, grants, "Your roles do not give access to these records.", id)) {
    return;
  }
  char kinds[256];
  const char *params[5];
  int n = record_access_params(r, kind, id, relationship_array_literal(grants, kinds, sizeof kinds),
                        params);
  if (kind->get_composed != NULL) {
    bool by_allocation = kind->get_composed_by_allocation != NULL &&
                         access_by_child_allocation_only(grants);
    PGresult *res = request_query(
        r, by_allocation ? kind->get_composed_by_allocation : kind->get_composed, n, params);
    if (res != NULL) {
      respond_composed(r, res);
    }
    PQclear(res);
    return;
  }
  PGresult *res = request_query(r, kind->get, n, params);
  if (res == NULL) {
    return;
  }
  if (PQntuples(res) == 0 || strcmp(PQgetvalue(res, 0, 2), "t") != 0) {
    respond_problem(r, 404, "not-found", "There is no such record you may see.");
  } else {
    set_etag(r, PQgetvalue(res, 0, 1));
    respond_json_text(r, 200, PQgetvalue(res, 0, 0));
  }
  PQclear(res);
}

bool record_reached(struct request *r, const struct db_statement *statement, bool with_agency,
                    const char *id, relationship_set grants) {
  char kinds[256];
  const char *params[] = {id, r->caller.sub, relationship_array_literal(grants, kinds, sizeof kinds),
                          r->caller.agency_id};
  PGresult *res = request_query(r, statement, with_agency ? 4 : 3, params);
  if (res == NULL) {
    return false;
  }
  bool reached = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 2), "t") == 0;
  PQclear(res);
  if (!reached) {
    respond_problem(r, 404, "not-found", "There is no such record you may see.");
  }
  return reached;
}

bool record_if_match(struct request *r, const char *version) {
  const char *if_match = u_map_get_case(r->http->map_header, "If-Match");
  if (if_match == NULL) {
    respond_problem(r, 428, "precondition-required",
                    "Send If-Match with the ETag you read, so that no change is lost.");
    return false;
  }
  char etag[32];
  snprintf(etag, sizeof etag, "\"%s\"", version);
  if (strcmp(if_match, etag) != 0 && strcmp(if_match, "*") != 0) {
    respond_problem(r, 412, "precondition-failed",
                    "The record changed since you read it; read it again.");
    return false;
  }
  return true;
}

bool record_if_match_sent(struct request *r, const char *version) {
  return u_map_get_case(r->http->map_header, "If-Match") == NULL || record_if_match(r, version);
}

bool record_store_external_ids(struct request *r, const char *resource_type, const char *id,
                               const char *doc_text, bool replace) {
  const char *params[] = {resource_type, id, doc_text};
  PGresult *res = replace ? request_query(r, &EXTERNAL_IDS_CLEAR, 2, params) : NULL;
  if (replace && res == NULL) {
    return false;
  }
  PQclear(res);
  res = request_query(r, &EXTERNAL_IDS_INSERT, 3, params);
  PQclear(res);
  return res != NULL;
}

void record_replace(struct request *r, const struct record_kind *kind, const char *id,
                    const PGresult *current, json_t *after) {
  json_t *before = json_loads(PQgetvalue(current, 0, 0), 0, NULL);
  json_t *errors = json_array();
  const char *refusal =
      kind->refuse_change != NULL ? kind->refuse_change(r->caller.roles, before, after) : NULL;
  if (refusal != NULL) {
    respond_problem(r, 403, "forbidden", refusal);
  } else if (!kind->validate(after, r->today, errors)) {
    respond_invalid(r, errors);
    errors = NULL;
  } else {
    char *doc = json_dumps(after, JSON_COMPACT);
    const char *params[] = {id, doc};
    PGresult *res = request_query(r, kind->update, 2, params);
    json_t *changes = changed_fields(before, after);
    bool ids_changed = field_changed(before, after, "external_ids");
    if (res != NULL &&
        (!ids_changed || record_store_external_ids(r, kind->resource_type, id, doc, true)) &&
        audit_write(r, kind->resource_type, id, 200, changes) && request_commit(r)) {
      set_etag(r, PQgetvalue(res, 0, 1));
      respond_json_text(r, 200, PQgetvalue(res, 0, 0));
    }
    json_decref(changes);
    PQclear(res);
    free(doc);
  }
  json_decref(errors);
  json_decref(before);
}

void record_patch(struct request *r, const struct record_kind *kind) {
  char id[64];
  relationship_set grants = kind->grants(r->caller.roles, ACCESS_WRITE);
  if (!record_target(r, grants, "Your roles do not allow changing these records.", id)) {
    return;
  }
  json_t *patch = read_json_object(r);
  if (patch == NULL || !request_begin(r)) {
    json_decref(patch);
    return;
  }
  char kinds[256];
  const char *params[4];
  int n = record_access_params(r, kind, id, relationship_array_literal(grants, kinds, sizeof kinds),
                        params);
  PGresult *current = request_query(r, kind->lock, n, params);
  if (current == NULL) {
    json_decref(patch);
    return;
  }
  if (PQntuples(current) == 0 || strcmp(PQgetvalue(current, 0, 2), "t") != 0) {
    respond_problem(r, 404, "not-found", "There is no such record you may change.");
  } else if (record_if_match(r, PQgetvalue(current, 0, 1))) {
    json_t *before = json_loads(PQgetvalue(current, 0, 0), 0, NULL);
    json_t *after = merge_patch_apply(before, patch);
    record_replace(r, kind, id, current, after);
    json_decref(after);
    json_decref(before);
  }
  PQclear(current);
  json_decref(patch);
}
