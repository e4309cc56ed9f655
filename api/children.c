/* /v1/children: a child's record (R3: never deleted), readable and writable only through the
 * caller's relationship to the child (POLICY.md "Roles"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/allocations.h"
#include "../db/children.h"
#include "../domain/access.h"
#include "../domain/merge_patch.h"
#include "../domain/records.h"
#include "audit_trail.h"
#include "handlers.h"
#include "pagination.h"
#include "records.h"

static const struct record_kind CHILD_KIND = {
    .resource_type = "child",
    .validate = child_validate,
    .grants = access_child_grants,
    .get = &CHILD_GET,
    .lock = &CHILD_LOCK,
    .update = &CHILD_UPDATE,
    .with_agency = false,
};

/* Allocates the creating CSW to the child from today. */
static bool allocate_creator(struct request *r, const char *child_id) {
  char today[11];
  date_format(r->today, today);
  const char *params[] = {child_id, r->caller.sub, "csw", today, r->caller.sub};
  PGresult *res = request_query(r, &ALLOCATION_INSERT_FOR_CHILD, 5, params);
  PQclear(res);
  return res != NULL;
}

/* The caller must be a known person (their team becomes the child's). */
static bool caller_is_person(struct request *r) {
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

void children_create(struct request *r) {
  if (!access_may_create_child(r->caller.roles)) {
    respond_problem(r, 403, "forbidden", "Children are created by a CSW or a team manager.");
    return;
  }
  json_t *doc = read_json_object(r);
  if (doc == NULL) {
    return;
  }
  json_t *errors = json_array();
  if (!child_validate(doc, r->today, errors)) {
    respond_invalid(r, errors);
    json_decref(doc);
    return;
  }
  json_decref(errors);
  char *text = json_dumps(doc, JSON_COMPACT);
  const char *params[] = {r->caller.sub, text};
  PGresult *res = NULL;
  if (request_begin(r) && caller_is_person(r) &&
      (res = request_query(r, &CHILD_INSERT, 2, params)) != NULL) {
    const char *id = PQgetvalue(res, 0, 2);
    json_t *changes = changed_fields(NULL, doc);
    if (record_store_external_ids(r, "child", id, text, false) &&
        (!role_set_has(r->caller.roles, ROLE_CSW) || allocate_creator(r, id)) &&
        audit_write(r, "child", id, 201, changes) && request_commit(r)) {
      char location[80];
      snprintf(location, sizeof location, "/v1/children/%s", id);
      set_header(r, "Location", location);
      set_etag(r, PQgetvalue(res, 0, 1));
      respond_json_text(r, 201, PQgetvalue(res, 0, 0));
    }
    json_decref(changes);
  }
  PQclear(res);
  free(text);
  json_decref(doc);
}

void children_list(struct request *r) {
  relationship_set grants = access_child_grants(r->caller.roles, ACCESS_READ);
  if (grants == 0) {
    respond_problem(r, 403, "forbidden", "Your roles do not give access to children's records.");
    return;
  }
  struct page page;
  if (!page_read(r, PAGE_KEY_UUID, &page)) {
    return;
  }
  const char *system = query_param(r, "external_system");
  const char *external_id = query_param(r, "external_id");
  if (external_id != NULL && system == NULL) {
    respond_problem(r, 400, "bad-request", "external_id needs external_system.");
    return;
  }
  char kinds[256];
  const char *params[] = {r->caller.sub, relationship_array_literal(grants, kinds, sizeof kinds),
                          system, external_id, page_after_param(&page), page.limit};
  PGresult *res = request_query(r, &CHILD_LIST, 6, params);
  if (res == NULL) {
    return;
  }
  json_t *read = json_loads(PQgetvalue(res, 0, 3), 0, NULL);
  if (audit_write(r, "child", NULL, 200, read)) { /* R1: which children this caller saw */
    page_respond_result(r, res);
  }
  json_decref(read);
  PQclear(res);
}

void children_get(struct request *r) {
  record_get(r, &CHILD_KIND);
}

void children_patch(struct request *r) {
  record_patch(r, &CHILD_KIND);
}
