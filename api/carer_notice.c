/* S9: a carer's wish to end a placement is discussed with the SSW and their team manager before
 * any notice is given, and notice is given by the fostering service, not the carer.
 * POST /v1/placements/{id}/carer-notice, .../carer-notice/discussion, .../notice; each by the
 * carer's SSW or a team manager of the carer's or the child's team. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/carer_notices.h"
#include "../domain/access.h"
#include "../domain/carer_notice.h"
#include "../domain/schema.h"
#include "audit_trail.h"
#include "handlers.h"
#include "meeting_facts.h"
#include "records.h"

struct notice_facts {
  bool ended;
  bool wish;
  bool discussed;
  bool given;
  struct date discussed_on;
};

static bool flag(const PGresult *res, int col) {
  return strcmp(PQgetvalue(res, 0, col), "t") == 0;
}

/* Reads the body against `shape` and locks the placement of the path (404 when the caller may
 * reach neither its carer nor, as a team manager, its child; 412 when an If-Match sent is not
 * the placement's ETag). NULL after answering; the caller owns the body. */
static json_t *begin_notice_step(struct request *r, const struct schema *shape, char *id,
                                 struct notice_facts *facts) {
  char kinds[256];
  char child_kinds[64];
  relationship_set grants = access_carer_grants(r->caller.roles, ACCESS_WRITE);
  relationship_set child_grants = grants & REL_TEAM;
  if (!record_target(r, grants, "The carer's SSW or their team manager records this (S9).", id)) {
    return NULL;
  }
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return NULL;
  }
  json_t *errors = json_array();
  PGresult *res = NULL;
  const char *params[] = {id, r->caller.sub, relationship_array_literal(grants, kinds, sizeof kinds),
                          r->caller.agency_id,
                          relationship_array_literal(child_grants, child_kinds, sizeof child_kinds)};
  if (!schema_validate(shape, body, "", errors)) {
    respond_invalid(r, json_incref(errors));
  } else if (request_begin(r) && (res = request_query(r, &CARER_NOTICE_FACTS, 5, params)) != NULL) {
    if (PQntuples(res) == 0 || !flag(res, 4)) {
      respond_problem(r, 404, "not-found", "There is no such placement you may see.");
    } else if (record_if_match_sent(r, PQgetvalue(res, 0, 6))) { /* the placement's ETag */
      *facts = (struct notice_facts){.ended = flag(res, 0), .wish = flag(res, 1),
                                     .discussed = flag(res, 2), .given = flag(res, 3)};
      date_parse(PQgetvalue(res, 0, 5), &facts->discussed_on);
    }
  }
  PQclear(res);
  json_decref(errors);
  if (r->status != 0) {
    json_decref(body);
    return NULL;
  }
  return body;
}

/* Whether `errors` already holds one about `field`. */
static bool errors_name(const json_t *errors, const char *field) {
  size_t i;
  const json_t *error;
  json_array_foreach(errors, i, error) {
    if (strcmp(json_string_value(json_object_get(error, "field")), field) == 0) {
      return true;
    }
  }
  return false;
}

/* Audits the step (its answer in `res`, released here), commits and answers `status`. */
static void answer_notice(struct request *r, const char *id, const json_t *body, PGresult *res,
                          int status) {
  if (res == NULL) {
    return;
  }
  json_t *changes = json_pack("{s:{}, s:O}", "before", "after", body);
  if (audit_write(r, "carer_notice", id, status, changes) && request_commit(r)) {
    respond_json_text(r, status, PQgetvalue(res, 0, 0));
  }
  json_decref(changes);
  PQclear(res);
}

void placements_record_carer_wish(struct request *r) {
  static const struct field_spec fields[] = {
      {.name = "reason", .type = FIELD_STRING, .required = true, .max_length = 20000}};
  static const struct schema shape = {fields, 1};
  char id[64];
  struct notice_facts facts;
  json_t *body = begin_notice_step(r, &shape, id, &facts);
  if (body == NULL) {
    return;
  }
  if (facts.ended) {
    respond_problem(r, 409, "conflict", "The placement has already ended.");
  } else if (facts.wish) {
    respond_problem(r, 409, "conflict", "The carer's wish to end this placement is already recorded.");
  } else {
    const char *params[] = {id, schema_string(body, "reason"), r->caller.sub};
    answer_notice(r, id, body, request_query(r, &CARER_WISH_INSERT, 3, params), 201);
  }
  json_decref(body);
}

void placements_record_notice_discussion(struct request *r) {
  static const struct field_spec fields[] = {
      {.name = "held_on", .type = FIELD_DATE, .required = true},
      {.name = "ssw_id", .type = FIELD_STRING, .required = true, .max_length = 128},
      {.name = "team_manager_id", .type = FIELD_STRING, .required = true, .max_length = 128},
      {.name = "notes", .type = FIELD_STRING, .max_length = 20000},
  };
  static const struct schema shape = {fields, 4};
  char id[64];
  struct notice_facts facts;
  json_t *body = begin_notice_step(r, &shape, id, &facts);
  if (body == NULL) {
    return;
  }
  json_t *errors = json_array();
  bool ssw = false;
  bool manager = false;
  struct date held_on;
  date_parse(schema_string(body, "held_on"), &held_on);
  if (!facts.wish) {
    respond_problem(r, 409, "conflict", "No wish of the carer to end this placement is recorded.");
  } else if (facts.given) {
    respond_problem(r, 409, "conflict", "Notice was given after this discussion; it is not rewritten.");
  } else if (date_compare(held_on, r->today) > 0) {
    validation_error(errors, "held_on", "must not be in the future");
    respond_invalid(r, json_incref(errors));
  } else if (person_holds_role(r, schema_string(body, "ssw_id"), "ssw", "ssw_id", errors, &ssw) &&
             person_holds_role(r, schema_string(body, "team_manager_id"), "team_manager",
                               "team_manager_id", errors, &manager)) {
    bool ssw_known = !errors_name(errors, "ssw_id");
    bool manager_known = !errors_name(errors, "team_manager_id");
    if (ssw_known && !ssw) {
      validation_error(errors, "ssw_id", "must be a supervising social worker");
    }
    if (manager_known && !manager) {
      validation_error(errors, "team_manager_id", "must be a team manager");
    }
    if (json_array_size(errors) > 0) {
      respond_invalid(r, json_incref(errors));
    } else {
      const char *params[] = {id, schema_string(body, "held_on"), schema_string(body, "ssw_id"),
                              schema_string(body, "team_manager_id"), schema_string(body, "notes"),
                              r->caller.sub};
      answer_notice(r, id, body, request_query(r, &CARER_NOTICE_DISCUSSED, 6, params), 200);
    }
  }
  json_decref(errors);
  json_decref(body);
}

void placements_give_notice(struct request *r) {
  static const struct field_spec fields[] = {
      {.name = "given_on", .type = FIELD_DATE, .required = true},
      {.name = "reason", .type = FIELD_STRING, .required = true, .max_length = 20000},
  };
  static const struct schema shape = {fields, 2};
  char id[64];
  struct notice_facts facts;
  json_t *body = begin_notice_step(r, &shape, id, &facts);
  if (body == NULL) {
    return;
  }
  json_t *missing = json_array();
  struct date given_on;
  date_parse(schema_string(body, "given_on"), &given_on);
  struct carer_notice_facts recorded = {.wish_recorded = facts.wish,
                                        .discussed = facts.discussed,
                                        .discussed_on = facts.discussed_on};
  if (!carer_notice_may_be_given(&recorded, given_on, missing)) {
    respond_rule(r, 422, "S9",
                 "Notice follows the carer's wish and its discussion with the SSW and their team "
                 "manager, and is given by the fostering service.",
                 json_incref(missing));
  } else if (facts.ended || facts.given) {
    respond_problem(r, 409, "conflict", "The placement has ended or notice was already given.");
  } else {
    const char *params[] = {id, schema_string(body, "given_on"), schema_string(body, "reason"),
                            r->caller.sub};
    answer_notice(r, id, body, request_query(r, &CARER_NOTICE_GIVEN, 4, params), 200);
  }
  json_decref(missing);
  json_decref(body);
}
