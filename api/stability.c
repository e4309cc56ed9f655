/* POST /v1/children/{id}/stability-requests: S1 (who may ask for a stability meeting) and S2
 * (it is convened within `stability_meeting_within_hours`; or, under the Birmingham protocol,
 * a joint visit within `stability_joint_visit_working_days` and the meeting within a further
 * `stability_meeting_after_visit_working_days`). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/requests.h"
#include "../domain/access.h"
#include "../domain/schema.h"
#include "../domain/settings.h"
#include "audit_trail.h"
#include "handlers.h"
#include "meeting_facts.h"
#include "records.h"
#include "rule_actions.h"

static const char *const RAISED_BY_ROLES[] = {"foster_carer", "education", "health", "other",
                                              NULL};

/* S2: the actions that convene the meeting asked for by request `request_id`, for the child's
 * CSW; their ids into `ids`. */
static bool convene(struct request *r, const char *child_id, const char *request_id,
                    json_t *ids) {
  char csw[PERSON_ID_SIZE];
  const json_t *settings = request_settings(r);
  const struct calendar *calendar = request_calendar(r);
  if (settings == NULL || calendar == NULL || !allocated_person(r, child_id, NULL, "csw", csw)) {
    return false;
  }
  struct rule_action action = {.subject_type = "child", .subject_id = child_id,
                               .owner = csw[0] != '\0' ? csw : NULL, .rule = "S2",
                               .source_type = "stability_request", .source_id = request_id};
  char id[64];
  int visit_days = (int)setting_value(settings, "stability_joint_visit_working_days");
  if (visit_days > 0) {
    action.title = "Joint visit about the concern for the placement";
    action.due = deadline_working_days(calendar, r->today, visit_days);
    if (!rule_action_add(r, &action, id)) {
      return false;
    }
    json_array_append_new(ids, json_string(id));
    visit_days += (int)setting_value(settings, "stability_meeting_after_visit_working_days");
    action.due = deadline_working_days(calendar, r->today, visit_days);
  } else {
    action.due = deadline_hours(wall_clock_now(), (int)setting_value(settings, "stability_meeting_within_hours"));
  }
  action.title = "Convene the stability meeting";
  if (!rule_action_add(r, &action, id)) {
    return false;
  }
  json_array_append_new(ids, json_string(id));
  return true;
}

/* Records the checked request about child `child_id`, convenes the meeting, audits and answers
 * 201. */
static void record_request(struct request *r, const char *child_id, const json_t *body) {
  const json_t *raised = json_object_get(body, "raised_by");
  char *raised_by = raised != NULL ? json_dumps(raised, JSON_COMPACT) : NULL;
  const char *params[] = {child_id, schema_string(body, "reason"), raised_by, r->caller.sub};
  PGresult *res = request_query(r, &STABILITY_REQUEST_INSERT, 4, params);
  free(raised_by);
  json_t *ids = json_array();
  if (res != NULL && convene(r, child_id, PQgetvalue(res, 0, 0), ids)) {
    const char *id = PQgetvalue(res, 0, 0);
    json_t *answer = json_pack("{s:s, s:s, s:s, s:O, s:s, s:s, s:O}", "id", id, "child_id",
                               child_id, "reason", schema_string(body, "reason"), "raised_by",
                               raised != NULL ? raised : json_null(), "requested_by",
                               r->caller.sub, "requested_at", PQgetvalue(res, 0, 1),
                               "action_ids", ids);
    json_t *changes = json_pack("{s:{}, s:O}", "before", "after", body);
    if (audit_write(r, "stability_request", id, 201, changes) && request_commit(r)) {
      respond_json(r, 201, json_incref(answer));
    }
    json_decref(changes);
    json_decref(answer);
  }
  json_decref(ids);
  PQclear(res);
}

void stability_requests_create(struct request *r) {
  char id[64];
  relationship_set grants = access_stability_request_grants(r->caller.roles);
  if (grants == 0) {
    respond_rule(r, 403, "S1",
                 "A stability meeting is asked for by the child's CSW or IRO, or by the SSW of "
                 "the carer the child lives with.",
                 NULL);
    return;
  }
  if (!record_target(r, grants, "Your roles do not let you ask for a stability meeting (S1).", id)) {
    return;
  }
  const struct field_spec raised_by_fields[] = {
      {.name = "role", .type = FIELD_ENUM, .required = true, .choices = RAISED_BY_ROLES},
      {.name = "name", .type = FIELD_STRING, .max_length = 200},
  };
  const struct schema raised_by = {raised_by_fields, 2};
  const struct field_spec fields[] = {
      {.name = "reason", .type = FIELD_STRING, .required = true, .max_length = 20000},
      {.name = "raised_by", .type = FIELD_OBJECT, .nested = &raised_by},
  };
  const struct schema shape = {fields, 2};
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return;
  }
  json_t *errors = json_array();
  struct meeting_child child;
  if (!schema_validate(&shape, body, "", errors)) {
    respond_invalid(r, json_incref(errors));
  } else if (request_begin(r) && meeting_child_load(r, id, grants, &child)) {
    record_request(r, id, body);
  }
  json_decref(errors);
  json_decref(body);
}
