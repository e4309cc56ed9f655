/* /v1/people: the persons tokens name (id = the token's sub), with their team, manager (who
 * takes escalated actions, S7) and the roles they may hold. The administrator's alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/people.h"
#include "../domain/access.h"
#include "../domain/merge_patch.h"
#include "../domain/records.h"
#include "../domain/schema.h"
#include "audit_trail.h"
#include "handlers.h"
#include "pagination.h"
#include "records.h"

static bool may_manage(struct request *r) {
  if (!access_may_manage_people(r->caller.roles)) {
    respond_problem(r, 403, "forbidden", "People are managed by an administrator.");
    return false;
  }
  return true;
}

/* The manager named in doc must exist; appends an error otherwise. Returns false when answered. */
static bool check_manager(struct request *r, const json_t *doc, json_t *errors) {
  const char *manager = schema_string(doc, "manager_id");
  if (manager == NULL) {
    return true;
  }
  const char *params[] = {manager};
  PGresult *res = request_query(r, &PERSON_EXISTS, 1, params);
  if (res == NULL) {
    return false;
  }
  if (PQntuples(res) == 0) {
    validation_error(errors, "manager_id", "no such person");
  }
  PQclear(res);
  return true;
}

void people_create(struct request *r) {
  if (!may_manage(r)) {
    return;
  }
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return;
  }
  json_t *doc = merge_patch_apply(NULL, body); /* a null member means absent */
  json_decref(body);
  json_t *errors = json_array();
  person_validate(doc, errors);
  char *text = json_dumps(doc, JSON_COMPACT);
  const char *params[] = {text};
  PGresult *res = NULL;
  if (json_array_size(errors) == 0 && request_begin(r) && check_manager(r, doc, errors) &&
      json_array_size(errors) == 0 && (res = request_query(r, &PERSON_INSERT, 1, params)) != NULL) {
    const char *id = schema_string(doc, "id");
    json_t *changes = changed_fields(NULL, doc);
    if (audit_write(r, "person", id, 201, changes) && request_commit(r)) {
      char location[200];
      snprintf(location, sizeof location, "/v1/people/%s", id);
      respond_created(r, location, PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 0));
    }
    json_decref(changes);
  }
  if (json_array_size(errors) > 0 && r->status == 0) {
    respond_invalid(r, json_incref(errors));
  }
  PQclear(res);
  free(text);
  json_decref(errors);
  json_decref(doc);
}

void people_list(struct request *r) {
  struct page page;
  if (!may_manage(r) || !page_read(r, PAGE_KEY_TEXT, &page)) {
    return;
  }
  const char *params[] = {query_param(r, "team"), page_after_param(&page), page.limit};
  PGresult *res = request_query(r, &PERSON_LIST, 3, params);
  if (res != NULL) {
    page_respond_result(r, res);
  }
  PQclear(res);
}

void people_get(struct request *r) {
  char id[160];
  path_segment(r, 2, id, sizeof id);
  if (!may_manage(r)) {
    return;
  }
  const char *params[] = {id};
  PGresult *res = request_query(r, &PERSON_GET, 1, params);
  if (res == NULL) {
    return;
  }
  if (PQntuples(res) == 0) {
    respond_problem(r, 404, "not-found", "There is no such person.");
  } else {
    set_etag(r, PQgetvalue(res, 0, 1));
    respond_json_text(r, 200, PQgetvalue(res, 0, 0));
  }
  PQclear(res);
}

/* Validates and writes the patched person on the locked row. */
static void apply_person_patch(struct request *r, const char *id, const PGresult *current,
                               const json_t *patch) {
  json_t *before = json_loads(PQgetvalue(current, 0, 0), 0, NULL);
  const char *server_fields[] = {"version", "created_at", "updated_at"};
  for (size_t i = 0; i < 3; i++) {
    json_object_del(before, server_fields[i]);
  }
  json_t *after = merge_patch_apply(before, patch);
  json_t *errors = json_array();
  person_validate(after, errors);
  const char *new_id = schema_string(after, "id");
  if (new_id != NULL && strcmp(new_id, id) != 0) {
    validation_error(errors, "id", "a person's id never changes");
  }
  char *text = json_dumps(after, JSON_COMPACT);
  const char *params[] = {id, text};
  PGresult *res = NULL;
  if (json_array_size(errors) == 0 && check_manager(r, after, errors) &&
      json_array_size(errors) == 0 && (res = request_query(r, &PERSON_UPDATE, 2, params)) != NULL) {
    json_t *changes = changed_fields(before, after);
    if (audit_write(r, "person", id, 200, changes) && request_commit(r)) {
      set_etag(r, PQgetvalue(res, 0, 1));
      respond_json_text(r, 200, PQgetvalue(res, 0, 0));
    }
    json_decref(changes);
  }
  if (json_array_size(errors) > 0 && r->status == 0) {
    respond_invalid(r, json_incref(errors));
  }
  PQclear(res);
  free(text);
  json_decref(errors);
  json_decref(after);
  json_decref(before);
}

void people_patch(struct request *r) {
  char id[160];
  path_segment(r, 2, id, sizeof id);
  if (!may_manage(r)) {
    return;
  }
  json_t *patch = read_json_object(r);
  const char *params[] = {id};
  PGresult *current = NULL;
  if (patch != NULL && request_begin(r) &&
      (current = request_query(r, &PERSON_LOCK, 1, params)) != NULL) {
    if (PQntuples(current) == 0) {
      respond_problem(r, 404, "not-found", "There is no such person.");
    } else if (record_if_match(r, PQgetvalue(current, 0, 1))) {
      apply_person_patch(r, id, current, patch);
    }
  }
  PQclear(current);
  json_decref(patch);
}
