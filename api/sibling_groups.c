/* /v1/sibling-groups (issue 10): children linked as a sibling group, with the plan to place
 * them together or apart (a plan to place them apart records its reason). A group whose plan is
 * together is searched for, and matched, as one (api/candidate_carers.c). Linked by the
 * children's social worker or the team manager of their team, who must reach every child; read
 * by whoever may read every child in it (the read is audited, R1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../db/family_finding.h"
#include "../domain/access.h"
#include "../domain/merge_patch.h"
#include "../domain/schema.h"
#include "audit_trail.h"
#include "handlers.h"
#include "records.h"

#define SIBLING_GROUP_MAX 12

static const char *const PLANS[] = {"together", "apart", NULL};

static const struct field_spec GROUP_FIELDS[] = {
    {.name = "child_ids", .type = FIELD_STRING_ARRAY, .required = true,
     .max_length = SIBLING_GROUP_MAX},
    {.name = "plan", .type = FIELD_ENUM, .required = true, .choices = PLANS},
    {.name = "reason", .type = FIELD_STRING, .max_length = 5000},
};
static const struct schema GROUP_BODY = {GROUP_FIELDS, 3};

/* The body's checks beyond its shape: two or more distinct children named by UUID, and a reason
 * for a plan to place them apart. */
static void group_check(const json_t *body, json_t *errors) {
  const json_t *ids = json_object_get(body, "child_ids");
  if (json_is_array(ids) && json_array_size(ids) < 2) {
    validation_error(errors, "child_ids", "a sibling group has at least two children");
  }
  for (size_t i = 0; json_is_array(ids) && i < json_array_size(ids); i++) {
    const char *id = json_string_value(json_array_get(ids, i));
    char field[32];
    snprintf(field, sizeof field, "child_ids[%zu]", i);
    if (id != NULL && !schema_is_uuid(id)) {
      validation_error(errors, field, "must be a UUID");
    }
    for (size_t j = 0; id != NULL && j < i; j++) {
      const char *earlier = json_string_value(json_array_get(ids, j));
      if (earlier != NULL && strcasecmp(earlier, id) == 0) {
        validation_error(errors, field, "names a child twice");
      }
    }
  }
  const char *plan = schema_string(body, "plan");
  if (plan != NULL && strcmp(plan, "apart") == 0 && !text_recorded(schema_string(body, "reason"))) {
    validation_error(errors, "reason", "is required for a plan to place siblings apart");
  }
}

/* The ids of the array `ids` as a uuid[] literal into `buf` (room for SIBLING_GROUP_MAX). */
static const char *ids_literal(const json_t *ids, char *buf, size_t size) {
  size_t used = (size_t)snprintf(buf, size, "{");
  for (size_t i = 0; i < json_array_size(ids) && used < size; i++) {
    used += (size_t)snprintf(buf + used, size - used, "%s%s", i > 0 ? "," : "",
                             json_string_value(json_array_get(ids, i)));
  }
  if (used < size) {
    snprintf(buf + used, size - used, "}");
  }
  return buf;
}

/* Whether the caller reaches every child of the body (404 otherwise) and none is already in a
 * group (409 otherwise). Inside the transaction; the children are locked. */
static bool children_may_be_linked(struct request *r, const char *ids, size_t count,
                                   relationship_set grants) {
  char kinds[256];
  const char *params[] = {ids, r->caller.sub,
                          relationship_array_literal(grants, kinds, sizeof kinds)};
  PGresult *res = request_query(r, &SIBLING_CHILDREN_REACH, 3, params);
  if (res == NULL) {
    return false;
  }
  bool reached = (size_t)PQntuples(res) == count;
  bool grouped = false;
  for (int i = 0; i < PQntuples(res); i++) {
    reached = reached && strcmp(PQgetvalue(res, i, 1), "t") == 0;
    grouped = grouped || strcmp(PQgetvalue(res, i, 2), "t") == 0;
  }
  PQclear(res);
  if (!reached) {
    respond_problem(r, 404, "not-found", "There is no such child you may link as a sibling.");
  } else if (grouped) {
    respond_problem(r, 409, "conflict", "A child named is already in a sibling group.");
  }
  return reached && !grouped;
}

/* Inserts the group and its members, audits and answers 201. */
static void insert_group(struct request *r, const json_t *body, const char *ids) {
  const char *params[] = {schema_string(body, "plan"), schema_string(body, "reason"),
                          r->caller.sub, ids};
  PGresult *created = request_query(r, &SIBLING_GROUP_INSERT, 4, params);
  if (created == NULL) {
    return;
  }
  char id[64];
  snprintf(id, sizeof id, "%s", PQgetvalue(created, 0, 0));
  PQclear(created);
  const char *get[] = {id};
  PGresult *res = request_query(r, &SIBLING_GROUP_JSON, 1, get);
  if (res == NULL) {
    return;
  }
  json_t *changes = changed_fields(NULL, body);
  if (audit_write(r, "sibling_group", id, 201, changes) && request_commit(r)) {
    char location[96];
    snprintf(location, sizeof location, "/v1/sibling-groups/%s", id);
    respond_created(r, location, PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 0));
  }
  json_decref(changes);
  PQclear(res);
}

void sibling_groups_create(struct request *r) {
  relationship_set grants = access_child_grants(r->caller.roles, ACCESS_WRITE);
  if (grants == 0) {
    respond_problem(r, 403, "forbidden",
                    "Sibling groups are linked by the children's social worker or team manager.");
    return;
  }
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return;
  }
  json_t *errors = json_array();
  schema_validate(&GROUP_BODY, body, "", errors);
  group_check(body, errors);
  const json_t *children = json_object_get(body, "child_ids");
  char ids[SIBLING_GROUP_MAX * 40 + 4];
  if (json_array_size(errors) > 0) {
    respond_invalid(r, json_incref(errors));
  } else if (request_begin(r) &&
             children_may_be_linked(r, ids_literal(children, ids, sizeof ids),
                                    json_array_size(children), grants)) {
    insert_group(r, body, ids);
  }
  json_decref(errors);
  json_decref(body);
}

void sibling_groups_get(struct request *r) {
  char id[64];
  char kinds[256];
  relationship_set grants = access_child_grants(r->caller.roles, ACCESS_READ);
  if (!record_target(r, grants, "Your roles do not give access to children's records.", id)) {
    return;
  }
  const char *params[] = {id, r->caller.sub,
                          relationship_array_literal(grants, kinds, sizeof kinds)};
  PGresult *res = request_query(r, &SIBLING_GROUP_GET, 3, params);
  if (res == NULL) {
    return;
  }
  if (PQntuples(res) == 0 || strcmp(PQgetvalue(res, 0, 2), "t") != 0) {
    respond_problem(r, 404, "not-found", "There is no such sibling group you may see.");
  } else {
    set_etag(r, PQgetvalue(res, 0, 1));
    respond_json_text(r, 200, PQgetvalue(res, 0, 0));
  }
  PQclear(res);
}
