#include "rule_actions.h"

#include <stdio.h>

#include "../db/actions.h"
#include "../domain/calendar.h"

bool rule_action_add(struct request *r, const struct rule_action *a, char *created_id) {
  char due_at[21];
  time_format_utc(a->due, due_at);
  const char *params[] = {a->title, a->subject_type, a->subject_id, a->owner, due_at, a->rule,
                          a->source_type, a->source_id, r->caller.sub, duty_name(a->duty),
                          a->detail};
  PGresult *res = request_query(r, &RULE_ACTION_INSERT, 11, params);
  if (res != NULL && created_id != NULL) {
    snprintf(created_id, 64, "%s", PQgetvalue(res, 0, 0));
  }
  PQclear(res);
  return res != NULL;
}

bool rule_action_create(struct request *r, const char *title, const char *match_id,
                        const char *owner, time_t due, const char *rule, const char *source_type,
                        const char *source_id) {
  struct rule_action action = {.title = title, .subject_type = "match", .subject_id = match_id,
                               .owner = owner, .due = due, .rule = rule,
                               .source_type = source_type, .source_id = source_id};
  return rule_action_add(r, &action, NULL);
}

PGresult *rule_actions_close_about(struct request *r, const struct rule_action_scope *scope,
                                   bool done, const char *note) {
  const char *params[] = {scope->subject_type, scope->subject_id, scope->rule, r->caller.sub,
                          note, done ? "done" : "cancelled", duty_name(scope->duty),
                          scope->source_id, scope->source_type};
  return request_query(r, &RULE_ACTIONS_CLOSE, 9, params);
}

bool rule_actions_close(struct request *r, const char *match_id, const char *rule, bool done,
                        const char *note) {
  struct rule_action_scope scope = {"match", match_id, rule, DUTY_NONE, NULL, NULL};
  PGresult *res = rule_actions_close_about(r, &scope, done, note);
  PQclear(res);
  return res != NULL;
}

bool allocated_person(struct request *r, const char *child_id, const char *carer_id,
                      const char *role, char person[PERSON_ID_SIZE]) {
  const char *child_params[] = {child_id, role};
  const char *carer_params[] = {carer_id};
  PGresult *res = child_id != NULL ? request_query(r, &CHILD_ALLOCATED_PERSON, 2, child_params)
                                   : request_query(r, &CARER_ALLOCATED_SSW, 1, carer_params);
  if (res == NULL) {
    return false;
  }
  snprintf(person, PERSON_ID_SIZE, "%s", PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : "");
  PQclear(res);
  return true;
}
