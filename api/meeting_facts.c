#include "meeting_facts.h"

#include <stdio.h>
#include <string.h>

#include "../db/events.h"
#include "../db/meetings.h"
#include "../db/people.h"
#include "../domain/endings.h"
#include "../domain/schema.h"

bool meeting_child_load(struct request *r, const char *child_id, relationship_set grants,
                        struct meeting_child *child) {
  char kinds[256];
  const char *params[] = {child_id, r->caller.sub,
                          relationship_array_literal(grants, kinds, sizeof kinds)};
  PGresult *res = request_query(r, &MEETING_CHILD_FACTS, 3, params);
  if (res == NULL) {
    return false;
  }
  bool reached = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 2), "t") == 0;
  if (!reached) {
    respond_problem(r, 404, "not-found", "There is no such child you may see.");
  } else {
    date_parse(PQgetvalue(res, 0, 0), &child->born);
    snprintf(child->placement_id, sizeof child->placement_id, "%s", PQgetvalue(res, 0, 1));
    snprintf(child->carer_id, sizeof child->carer_id, "%s", PQgetvalue(res, 0, 3));
  }
  PQclear(res);
  return reached;
}

bool carer_known(struct request *r, const char *carer_id, json_t *errors) {
  const char *params[] = {carer_id};
  PGresult *res = request_query(r, &CARER_EXISTS, 1, params);
  if (res == NULL) {
    return false;
  }
  if (PQntuples(res) == 0) {
    validation_error(errors, "carer_id", "no such carer");
  }
  PQclear(res);
  return true;
}

bool person_holds_role(struct request *r, const char *person, const char *role,
                       const char *field, json_t *errors, bool *holds) {
  const char *params[] = {person, role};
  PGresult *res = request_query(r, &PERSON_HOLDS_ROLE, 2, params);
  if (res == NULL) {
    return false;
  }
  *holds = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 1), "t") == 0;
  if (PQntuples(res) == 0) {
    validation_error(errors, field, "no such person");
  }
  PQclear(res);
  return true;
}

bool chair_roles_load(struct request *r, const char *chair, struct chair_roles *roles,
                      json_t *errors) {
  size_t before = json_array_size(errors);
  json_t *asked_twice = json_array(); /* the same unknown chair is named once */
  bool ok = person_holds_role(r, chair, "team_manager", "chair_id", errors, &roles->team_manager) &&
            person_holds_role(r, chair, "iro", "chair_id", asked_twice, &roles->iro);
  json_decref(asked_twice);
  roles->known = json_array_size(errors) == before;
  return ok;
}

bool ending_facts_load(struct request *r, const char *placement_id, struct ending_facts *ending) {
  const char *params[] = {placement_id};
  PGresult *res = request_query(r, &PLACEMENT_ENDING_FACTS, 1, params);
  const json_t *settings = request_settings(r);
  if (res == NULL || settings == NULL) {
    PQclear(res);
    return false;
  }
  memset(ending, 0, sizeof *ending);
  ending->found = PQntuples(res) == 1;
  if (ending->found) {
    snprintf(ending->child_id, sizeof ending->child_id, "%s", PQgetvalue(res, 0, 0));
    snprintf(ending->carer_id, sizeof ending->carer_id, "%s", PQgetvalue(res, 0, 1));
    date_parse(PQgetvalue(res, 0, 6), &ending->child_born);
    ending->ended = date_parse(PQgetvalue(res, 0, 2), &ending->end);
    ending->unplanned = ending->ended && strcmp(PQgetvalue(res, 0, 3), "t") == 0;
    if (!date_parse(PQgetvalue(res, 0, 4), &ending->window.first) ||
        !date_parse(PQgetvalue(res, 0, 5), &ending->window.last)) {
      ending->window = unplanned_meeting_window(settings, ending->end);
    }
  }
  PQclear(res);
  return true;
}

bool meeting_event(struct request *r, const char *type, const char *meeting_id,
                   const char *recipient) {
  char payload[96];
  snprintf(payload, sizeof payload, "{\"meeting_id\":\"%s\"}", meeting_id);
  const char *params[] = {type, "meeting", meeting_id, recipient, payload};
  PGresult *res = request_query(r, &EVENT_INSERT, 5, params);
  PQclear(res);
  return res != NULL;
}

const char *meeting_rule_refusal(const char *rule) {
  if (strcmp(rule, "S3") == 0) {
    return "A stability meeting is chaired by a team manager, with the foster carer, the SSW and "
           "the CSW there and the child's views before it.";
  }
  if (strcmp(rule, "U1") == 0) {
    return "An unplanned-ending meeting is chaired by an IRO, between a month and six weeks after "
           "the ending, with the carer's and the child's views and the learning.";
  }
  if (strcmp(rule, "P2") == 0) {
    return "A permanency planning meeting records the child's voice, and every action of its plan "
           "has an owner and a due date.";
  }
  return "Every action of the stability plan has an owner and a due date.";
}
