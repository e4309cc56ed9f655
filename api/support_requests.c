/* POST /v1/carers/{id}/support-requests (V2): a carer's request for support is answered within
 * `support_response_hours`, or the same day when it is serious. The carer's SSW (or a team
 * manager of the carer's team) records it; the response is an action for the SSW. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/carers.h"
#include "../db/requests.h"
#include "../domain/access.h"
#include "../domain/duties.h"
#include "../domain/schema.h"
#include "audit_trail.h"
#include "handlers.h"
#include "records.h"
#include "rule_actions.h"

/* Records the checked request for carer `carer_id` with its response action and answers 201. */
static void record_support_request(struct request *r, const char *carer_id, const json_t *body) {
  bool serious = json_is_true(json_object_get(body, "serious"));
  char ssw[PERSON_ID_SIZE];
  const char *params[] = {carer_id, serious ? "true" : "false", schema_string(body, "detail"),
                          r->caller.sub};
  PGresult *res = NULL;
  if (request_settings(r) == NULL || !allocated_person(r, NULL, carer_id, "ssw", ssw) ||
      (res = request_query(r, &SUPPORT_REQUEST_INSERT, 4, params)) == NULL) {
    return;
  }
  const char *id = PQgetvalue(res, 0, 0);
  time_t asked = (time_t)strtoll(PQgetvalue(res, 0, 1), NULL, 10);
  struct rule_action response = {
      .title = "Respond to the carer's request for support", .subject_type = "carer",
      .subject_id = carer_id, .owner = ssw[0] != '\0' ? ssw : r->caller.sub,
      .due = support_response_due(request_settings(r), serious, asked), .rule = "V2", .source_type = "support_request",
      .source_id = id};
  char action_id[64];
  char asked_text[21];
  char due_text[21];
  time_format_utc(asked, asked_text);
  time_format_utc(response.due, due_text);
  json_t *changes = json_pack("{s:{}, s:O}", "before", "after", body);
  if (rule_action_add(r, &response, action_id) &&
      audit_write(r, "support_request", id, 201, changes) && request_commit(r)) {
    respond_json(r, 201, json_pack("{s:s, s:s, s:b, s:s, s:s, s:s, s:s, s:s}", "id", id,
                                   "carer_id", carer_id, "serious", serious, "detail",
                                   schema_string(body, "detail"), "requested_by", r->caller.sub,
                                   "requested_at", asked_text, "action_id", action_id,
                                   "respond_by", due_text));
  }
  json_decref(changes);
  PQclear(res);
}

void support_requests_create(struct request *r) {
  static const struct field_spec fields[] = {
      {.name = "serious", .type = FIELD_BOOL, .required = true},
      {.name = "detail", .type = FIELD_STRING, .required = true, .max_length = 20000},
  };
  static const struct schema shape = {fields, 2};
  char id[64];
  relationship_set grants = access_carer_grants(r->caller.roles, ACCESS_WRITE);
  if (!record_target(r, grants, "A carer's request for support is recorded by their SSW or team manager.", id)) {
    return;
  }
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return;
  }
  json_t *errors = json_array();
  if (!schema_validate(&shape, body, "", errors)) {
    respond_invalid(r, json_incref(errors));
  } else if (request_begin(r) && record_reached(r, &CARER_GET, true, id, grants)) {
    record_support_request(r, id, body);
  }
  json_decref(errors);
  json_decref(body);
}
