/* /v1/children/{id}/allocations and /v1/carers/{id}/allocations: the team manager of the
 * record's team allocates people to it; those who may read the record see its allocations. */
#include <stdio.h>
#include <string.h>

#include "../db/allocations.h"
#include "../db/carers.h"
#include "../db/children.h"
#include "../db/people.h"
#include "../domain/access.h"
#include "../domain/merge_patch.h"
#include "../domain/schema.h"
#include "audit_trail.h"
#include "duties.h"
#include "handlers.h"
#include "pagination.h"
#include "records.h"

static const char *const CHILD_ROLES[] = {"csw", "iro", "family_finder", NULL};
static const char *const CARER_ROLES[] = {"ssw", NULL};

/* One side of allocations: children or carers. */
struct allocation_target {
  const char *resource_type;
  const char *const *roles;
  const struct db_statement *lock;   /* the record's access check, FOR UPDATE */
  const struct db_statement *get;    /* the record's read check */
  const struct db_statement *insert;
  const struct db_statement *list;
  relationship_set (*grants)(role_set roles, enum access_action action);
  bool with_agency;
};

static const struct allocation_target CHILD_TARGET = {
    "child", CHILD_ROLES, &CHILD_LOCK, &CHILD_GET, &ALLOCATION_INSERT_FOR_CHILD,
    &ALLOCATION_LIST_FOR_CHILD, access_child_grants, false};
static const struct allocation_target CARER_TARGET = {
    "carer", CARER_ROLES, &CARER_LOCK, &CARER_GET, &ALLOCATION_INSERT_FOR_CARER,
    &ALLOCATION_LIST_FOR_CARER, access_carer_grants, true};

/* Checks the body; appends errors for each bad field. */
static void validate_body(const json_t *body, const struct allocation_target *target,
                          json_t *errors) {
  const struct field_spec fields[] = {
      {.name = "person_id", .type = FIELD_STRING, .required = true, .max_length = 128},
      {.name = "role", .type = FIELD_ENUM, .required = true, .choices = target->roles},
      {.name = "from", .type = FIELD_DATE},
  };
  const struct schema schema = {fields, 3};
  schema_validate(&schema, body, "", errors);
}

/* The person must exist and may hold the role; appends errors otherwise. */
static bool person_may_hold(struct request *r, const char *person, const char *role,
                            json_t *errors) {
  const char *params[] = {person, role};
  PGresult *res = request_query(r, &PERSON_HOLDS_ROLE, 2, params);
  if (res == NULL) {
    return false;
  }
  if (PQntuples(res) == 0) {
    validation_error(errors, "person_id", "no such person");
  } else if (strcmp(PQgetvalue(res, 0, 1), "t") != 0) {
    validation_error(errors, "role", "the person may not hold this role");
  }
  PQclear(res);
  return true;
}

/* The duties an allocation from `from` starts: an IRO reviews the child (P7), an SSW visits the
 * carer (V1). */
static bool start_duties(struct request *r, const char *id, const char *person, const char *role,
                         const char *from) {
  struct date from_date;
  if (strcmp(role, "iro") == 0) {
    return duty_start_reviews(r, id, person);
  }
  if (strcmp(role, "ssw") == 0 && date_parse(from, &from_date)) {
    return duty_start_supervision(r, id, person, from_date);
  }
  return true;
}

/* Inserts the allocation, the duties it starts and its audit row; answers 201. */
static void insert_allocation(struct request *r, const struct allocation_target *target,
                              const char *id, const json_t *body) {
  const char *person = schema_string(body, "person_id");
  const char *role = schema_string(body, "role");
  char from[11];
  date_format(r->today, from);
  if (schema_string(body, "from") != NULL) {
    snprintf(from, sizeof from, "%s", schema_string(body, "from"));
  }
  if (strcmp(role, "csw") == 0) {
    const char *end[] = {id, from};
    PGresult *ended = request_query(r, &ALLOCATION_END_CURRENT_CSW, 2, end);
    if (ended == NULL) {
      return;
    }
    PQclear(ended);
  }
  const char *params[] = {id, person, role, from, r->caller.sub};
  PGresult *res = request_query(r, target->insert, 5, params);
  if (res == NULL) {
    return;
  }
  json_t *allocation = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
  json_t *changes = changed_fields(NULL, allocation);
  if (start_duties(r, id, person, role, from) &&
      audit_write(r, "allocation", PQgetvalue(res, 0, 1), 201, changes) && request_commit(r)) {
    char location[128];
    snprintf(location, sizeof location, "/v1/%s/%s/allocations",
             strcmp(target->resource_type, "child") == 0 ? "children" : "carers", id);
    respond_created(r, location, NULL, PQgetvalue(res, 0, 0));
  }
  json_decref(changes);
  json_decref(allocation);
  PQclear(res);
}

static void create_allocation(struct request *r, const struct allocation_target *target) {
  char id[64];
  path_segment(r, 2, id, sizeof id);
  if (!access_may_allocate(r->caller.roles)) {
    respond_problem(r, 403, "forbidden", "Allocations are made by a team manager.");
    return;
  }
  if (!record_id_valid(r, id)) {
    return;
  }
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return;
  }
  json_t *errors = json_array();
  validate_body(body, target, errors);
  if (json_array_size(errors) > 0) {
    respond_invalid(r, json_incref(errors));
  } else if (request_begin(r) && record_reached(r, target->lock, target->with_agency, id, REL_TEAM) &&
             person_may_hold(r, schema_string(body, "person_id"), schema_string(body, "role"),
                             errors)) {
    if (json_array_size(errors) > 0) {
      respond_invalid(r, json_incref(errors));
    } else {
      insert_allocation(r, target, id, body);
    }
  }
  json_decref(errors);
  json_decref(body);
}

static void list_allocations(struct request *r, const struct allocation_target *target) {
  char id[64];
  /* An agency reads its carers' profiles, not who at the council is allocated to them (README,
   * "Who may do what": allocations are the council's). */
  relationship_set grants =
      target->grants(r->caller.roles, ACCESS_READ) & ~(relationship_set)REL_OWN_AGENCY;
  if (!record_target(r, grants, "Your roles do not give access to these records.", id) ||
      !record_reached(r, target->get, target->with_agency, id, grants)) {
    return;
  }
  const char *params[] = {id};
  PGresult *res = request_query(r, target->list, 1, params);
  if (res != NULL) {
    page_respond(r, PQgetvalue(res, 0, 0), NULL, false);
  }
  PQclear(res);
}

void allocations_create_for_child(struct request *r) {
  create_allocation(r, &CHILD_TARGET);
}

void allocations_list_for_child(struct request *r) {
  list_allocations(r, &CHILD_TARGET);
}

void allocations_create_for_carer(struct request *r) {
  create_allocation(r, &CARER_TARGET);
}

void allocations_list_for_carer(struct request *r) {
  list_allocations(r, &CARER_TARGET);
}
