/* /v1/children: a child's record (R3: never deleted), readable and writable only through the
 * caller's relationship to the child (POLICY.md "Roles"). */

#include <stdlib.h>

#include "../db/allocations.h"
#include "../db/children.h"
#include "../domain/access.h"
#include "../domain/merge_patch.h"
#include "../domain/records.h"
#include "audit_trail.h"
#include "handlers.h"
#include "pagination.h"
#include "record_json.h"
#include "records.h"

static const struct record_kind CHILD_KIND = {
    .resource_type = "child",
    .collection = "/v1/children",
    .insert = &CHILD_INSERT,
    .validate = child_validate,
    .grants = access_child_grants,
    .get = &CHILD_GET,
    .get_composed = &CHILD_GET_COMPOSED,
    .get_composed_by_allocation = &CHILD_GET_COMPOSED_BY_ALLOCATION,
    .lock = &CHILD_LOCK,
    .update = &CHILD_UPDATE,
    .with_agency = false,
};

/* A CSW who creates a child is allocated to it from today. */
static bool allocate_creator(struct request *r, const char *child_id) {
  char today[11];
  date_format(r->today, today);
  const char *params[] = {child_id, r->caller.sub, "csw", today, r->caller.sub};
  PGresult *res = request_query(r, &ALLOCATION_INSERT_FOR_CHILD, 5, params);
  if (res == NULL) {
    return false;
  }
  json_t *allocation = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
  json_t *changes = changed_fields(NULL, allocation);
  bool audited = audit_write(r, "allocation", PQgetvalue(res, 0, 1), 201, changes);
  json_decref(changes);
  json_decref(allocation);
  PQclear(res);
  return audited;
}

void children_create(struct request *r) {
  if (!access_may_create_child(r->caller.roles)) {
    respond_problem(r, 403, "forbidden", "Children are created by a CSW or a team manager.");
    return;
  }
  record_create(r, &CHILD_KIND,
                role_set_has(r->caller.roles, ROLE_CSW) ? allocate_creator : NULL);
}

/* Answers a page of children (rows of record columns, up to limit + 1), after queueing the
 * audit row that names every child the caller is shown (R1). */
static void respond_page(struct request *r, const PGresult *res, int limit) {
  char last_id[40];
  char *items = record_json_array(res, limit, 0, last_id);
  json_t *ids = json_array();
  for (int i = 0; i < PQntuples(res) && i < limit; i++) {
    json_array_append_new(ids, json_string(PQgetvalue(res, i, 0)));
  }
  json_t *read = json_pack("{s:o}", "read", ids);
  if (items == NULL) {
    respond_problem(r, 500, "internal", "The answer could not be written.");
  } else if (audit_read(r, "child", NULL, 200, read)) {
    page_respond(r, items, last_id, PQntuples(res) > limit);
  }
  json_decref(read);
  free(items);
}

/* A page of the children the caller reaches through `grants` (`kinds` as an array literal):
 * the statement of the caller's shape (db/children.h). NULL after answering. */
static PGresult *list_page(struct request *r, relationship_set grants, const char *kinds,
                           const struct page *page) {
  const char *after = page_after_param(page);
  const char *sub = r->caller.sub;
  if (access_by_child_allocation_only(grants)) {
    const char *first[] = {sub, kinds, page->limit};
    const char *next[] = {sub, kinds, after, page->limit};
    return after == NULL ? request_query(r, &CHILD_LIST_ALLOCATED_FIRST, 3, first)
                         : request_query(r, &CHILD_LIST_ALLOCATED_AFTER, 4, next);
  }
  if (grants == REL_TEAM) {
    const char *first[] = {sub, page->limit};
    const char *next[] = {sub, after, page->limit};
    return after == NULL ? request_query(r, &CHILD_LIST_TEAM_FIRST, 2, first)
                         : request_query(r, &CHILD_LIST_TEAM_AFTER, 3, next);
  }
  const char *params[] = {sub, kinds, after, page->limit};
  return request_query(r, &CHILD_LIST, 4, params);
}

void children_upsert(struct request *r) {
  record_upsert(r, &CHILD_KIND, access_may_create_child(r->caller.roles) != 0,
                role_set_has(r->caller.roles, ROLE_CSW) ? allocate_creator : NULL);
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
  PGresult *res = system != NULL ? request_query(r, &CHILD_LIST_BY_EXTERNAL_ID, 6, params)
                                 : list_page(r, grants, params[1], &page);
  if (res != NULL) {
    respond_page(r, res, atoi(page.limit));
  }
  PQclear(res);
}

void children_get(struct request *r) {
  record_get(r, &CHILD_KIND);
}

void children_patch(struct request *r) {
  record_patch(r, &CHILD_KIND);
}
