/* POST /v1/meetings/{id}/actions: the plan a held meeting agreed. Under P2 (a permanency
 * planning meeting) and S5 (a stability meeting and its review) every action has an owner and a
 * due date; each becomes an action about the child whose source is the meeting's plan
 * (`meeting_plan`, the meeting's id), apart from the actions the meeting itself causes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/actions.h"
#include "../db/meetings.h"
#include "../domain/meetings.h"
#include "../domain/schema.h"
#include "audit_trail.h"
#include "handlers.h"
#include "meeting_facts.h"
#include "records.h"
#include "rule_actions.h"

#define PLAN_MAX_ACTIONS 50

static const struct field_spec PLAN_ACTION_FIELDS[] = {
    {.name = "title", .type = FIELD_STRING, .required = true, .max_length = 500},
    {.name = "detail", .type = FIELD_STRING, .max_length = 20000},
    {.name = "owner_id", .type = FIELD_STRING, .max_length = 128},
    {.name = "due_at", .type = FIELD_STRING, .max_length = 40},
};
static const struct schema PLAN_ACTION = {PLAN_ACTION_FIELDS, 4};
static const struct field_spec PLAN_FIELDS[] = {
    {.name = "actions", .type = FIELD_OBJECT_ARRAY, .required = true,
     .max_length = PLAN_MAX_ACTIONS, .nested = &PLAN_ACTION},
};
static const struct schema PLAN = {PLAN_FIELDS, 1};

/* P2, S5: names each action without an owner or a due date in `missing`. */
static void find_missing(const json_t *actions, json_t *missing) {
  size_t i;
  const json_t *action;
  json_array_foreach(actions, i, action) {
    const char *needed[] = {"owner_id", "due_at"};
    for (size_t k = 0; k < 2; k++) {
      if (schema_string(action, needed[k]) == NULL) {
        char path[64];
        snprintf(path, sizeof path, "actions[%zu].%s", i, needed[k]);
        json_array_append_new(missing, json_string(path));
      }
    }
  }
}

/* Checks each owner is a person and each due time is in the future. */
static bool check_owners_and_dues(struct request *r, const json_t *actions, json_t *errors) {
  size_t i;
  const json_t *action;
  json_array_foreach(actions, i, action) {
    char field[64];
    time_t due;
    snprintf(field, sizeof field, "actions[%zu].owner_id", i);
    if (!record_person_known(r, schema_string(action, "owner_id"), field, errors)) {
      return false;
    }
    snprintf(field, sizeof field, "actions[%zu].due_at", i);
    if (!date_from_time_string(schema_string(action, "due_at"), &due)) {
      validation_error(errors, field, "must be an RFC 3339 time");
    } else if (due <= wall_clock_now()) {
      validation_error(errors, field, "must be in the future");
    }
  }
  return true;
}

/* The plan's actions about the child of meeting (`meeting_id`, `child_id`) under `rule`;
 * their ids into `ids` as a PostgreSQL array literal. */
static bool add_plan(struct request *r, const char *meeting_id, const char *child_id,
                     const char *rule, const json_t *actions, char *ids, size_t size) {
  size_t used = (size_t)snprintf(ids, size, "{");
  size_t i;
  const json_t *item;
  json_array_foreach(actions, i, item) {
    time_t due;
    char id[64];
    date_from_time_string(schema_string(item, "due_at"), &due);
    struct rule_action action = {
        .title = schema_string(item, "title"), .detail = schema_string(item, "detail"),
        .subject_type = "child", .subject_id = child_id,
        .owner = schema_string(item, "owner_id"), .due = due, .rule = rule,
        .source_type = "meeting_plan", .source_id = meeting_id};
    if (!rule_action_add(r, &action, id)) {
      return false;
    }
    used += (size_t)snprintf(ids + used, size - used, "%s%s", i > 0 ? "," : "", id);
  }
  snprintf(ids + used, size - used, "}");
  return true;
}

/* Adds the plan to the locked, held meeting and answers 201 with its actions. */
static void record_plan(struct request *r, const char *meeting_id, const char *child_id,
                        const char *rule, const json_t *body) {
  char ids[PLAN_MAX_ACTIONS * 40 + 4];
  if (!add_plan(r, meeting_id, child_id, rule, json_object_get(body, "actions"), ids, sizeof ids)) {
    return;
  }
  const char *params[] = {ids};
  PGresult *res = request_query(r, &ACTIONS_JSON_LIST, 1, params);
  if (res == NULL) {
    return;
  }
  json_t *changes = json_pack("{s:{}, s:{s:s}}", "before", "after", "plan_actions", ids);
  if (audit_write(r, "meeting", meeting_id, 201, changes) && request_commit(r)) {
    char *answer = NULL;
    if (asprintf(&answer, "{\"items\":%s}", PQgetvalue(res, 0, 0)) > 0) {
      respond_json_text(r, 201, answer);
    }
    free(answer);
  }
  json_decref(changes);
  PQclear(res);
}

/* Checks the plan for the meeting locked in `locked` (MEETING_LOCK's row) and records it. */
static void check_and_record_plan(struct request *r, const char *id, const PGresult *locked,
                                  const json_t *body, json_t *errors) {
  enum meeting_type type = MEETING_PPM;
  meeting_type_parse(PQgetvalue(locked, 0, 2), &type);
  if (strcmp(PQgetvalue(locked, 0, 4), "held") != 0) {
    respond_problem(r, 409, "conflict", "A meeting's plan is recorded once it is held.");
    return;
  }
  const char *rule = meeting_plan_rule(type);
  const json_t *actions = json_object_get(body, "actions");
  json_t *missing = json_array();
  find_missing(actions, missing);
  if (json_array_size(missing) > 0 && rule != NULL) {
    respond_rule(r, 422, rule, meeting_rule_refusal(rule), missing);
    return;
  }
  size_t i;
  json_t *path;
  json_array_foreach(missing, i, path) {
    validation_error(errors, json_string_value(path), "is required");
  }
  json_decref(missing);
  if (json_array_size(errors) == 0 && check_owners_and_dues(r, actions, errors) &&
      json_array_size(errors) == 0) {
    record_plan(r, id, PQgetvalue(locked, 0, 3), rule, body);
  }
}

void meetings_add_actions(struct request *r) {
  char id[64];
  char kinds[256];
  relationship_set grants = access_meeting_grants(r->caller.roles);
  if (!record_target(r, grants, "Meetings are held by those who work the child's case.", id)) {
    return;
  }
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return;
  }
  json_t *errors = json_array();
  schema_validate(&PLAN, body, "", errors);
  if (json_array_size(errors) == 0 && json_array_size(json_object_get(body, "actions")) == 0) {
    validation_error(errors, "actions", "the plan has at least one action");
  }
  PGresult *locked = NULL;
  const char *params[] = {id, r->caller.sub, relationship_array_literal(grants, kinds, sizeof kinds)};
  if (json_array_size(errors) == 0 && request_begin(r) &&
      (locked = request_query(r, &MEETING_LOCK, 3, params)) != NULL) {
    if (PQntuples(locked) == 0 || strcmp(PQgetvalue(locked, 0, 1), "t") != 0) {
      respond_problem(r, 404, "not-found", "There is no such meeting you may see.");
    } else if (record_if_match_sent(r, PQgetvalue(locked, 0, 0))) {
      check_and_record_plan(r, id, locked, body, errors);
    }
  }
  if (json_array_size(errors) > 0 && r->status == 0) {
    respond_invalid(r, json_incref(errors));
  }
  PQclear(locked);
  json_decref(errors);
  json_decref(body);
}
