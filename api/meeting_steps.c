/* The steps of a meeting after it is arranged: held (S3, U1, P2 and what holding settles: S3's
 * IRO, S4-S6, U1, P3, P7, L1, L2), its minutes, their circulation (S4) and the actions of its
 * plan (P2, S5). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/actions.h"
#include "../db/meetings.h"
#include "../db/settings.h"
#include "../domain/meetings.h"
#include "../domain/schema.h"
#include "../domain/settings.h"
#include "audit_trail.h"
#include "duties.h"
#include "handlers.h"
#include "meeting_facts.h"
#include "records.h"
#include "rule_actions.h"

/* The locked meeting, as MEETING_LOCK answers it. */
struct locked_meeting {
  char id[64];
  enum meeting_type type;
  char child_id[64];
  char chair_id[129];
  char carer_id[64];
  char placement_id[64];
  bool held;
  bool has_minutes;
  bool circulated;
  PGresult *res;
};

/* Refuses, before the body is read, a caller whose roles never work a child's case (403), so
 * the refusal is the access check's whatever the body holds, and audited (R1). False after
 * answering. */
static bool meeting_role_may(struct request *r) {
  if (access_meeting_grants(r->caller.roles) != 0) {
    return true;
  }
  respond_problem(r, 403, "forbidden", "Meetings are held by those who work the child's case.");
  return false;
}

/* Locks the meeting of the path (404 when the caller may not see it). False after answering. */
static bool lock_meeting(struct request *r, struct locked_meeting *m) {
  char kinds[256];
  relationship_set grants = access_meeting_grants(r->caller.roles);
  if (!record_target(r, grants, "Meetings are held by those who work the child's case.", m->id) ||
      !request_begin(r)) {
    return false;
  }
  const char *params[] = {m->id, r->caller.sub, relationship_array_literal(grants, kinds, sizeof kinds)};
  m->res = request_query(r, &MEETING_LOCK, 3, params);
  if (m->res == NULL) {
    return false;
  }
  if (PQntuples(m->res) == 0 || strcmp(PQgetvalue(m->res, 0, 1), "t") != 0) {
    respond_problem(r, 404, "not-found", "There is no such meeting you may see.");
    return false;
  }
  if (!record_if_match_sent(r, PQgetvalue(m->res, 0, 0))) {
    return false;
  }
  meeting_type_parse(PQgetvalue(m->res, 0, 2), &m->type);
  snprintf(m->child_id, sizeof m->child_id, "%s", PQgetvalue(m->res, 0, 3));
  m->held = strcmp(PQgetvalue(m->res, 0, 4), "held") == 0;
  snprintf(m->chair_id, sizeof m->chair_id, "%s", PQgetvalue(m->res, 0, 5));
  m->has_minutes = strcmp(PQgetvalue(m->res, 0, 7), "t") == 0;
  m->circulated = strcmp(PQgetvalue(m->res, 0, 8), "t") == 0;
  snprintf(m->carer_id, sizeof m->carer_id, "%s", PQgetvalue(m->res, 0, 9));
  snprintf(m->placement_id, sizeof m->placement_id, "%s", PQgetvalue(m->res, 0, 6));
  return true;
}

/* Audits the change to meeting `m` (its new JSON and version in `res`, released here), commits
 * and answers `status`. */
static void answer_meeting_change(struct request *r, const struct locked_meeting *m,
                                  const json_t *body, PGresult *res, int status) {
  if (res == NULL) {
    return;
  }
  json_t *changes = json_pack("{s:{}, s:O}", "before", "after", body);
  if (audit_write(r, "meeting", m->id, status, changes) && request_commit(r)) {
    set_etag(r, PQgetvalue(res, 0, 1));
    respond_json_text(r, status, PQgetvalue(res, 0, 0));
  }
  json_decref(changes);
  PQclear(res);
}

/* An action about the meeting's child caused by the meeting. */
static bool meeting_action(struct request *r, const struct locked_meeting *m, const char *title,
                           const char *owner, time_t due, const char *rule) {
  struct rule_action action = {.title = title, .subject_type = "child",
                               .subject_id = m->child_id, .owner = owner, .due = due,
                               .rule = rule, .source_type = "meeting", .source_id = m->id};
  return rule_action_add(r, &action, NULL);
}

/* S3-S6 after a stability meeting: the IRO is told and checks the follow-up at 6 weeks; the
 * chair circulates the minutes and holds the review. */
static bool after_stability_meeting(struct request *r, const struct locked_meeting *m,
                                    struct date held_on, time_t minutes_due) {
  char iro[PERSON_ID_SIZE];
  const json_t *settings = request_settings(r);
  if (!allocated_person(r, m->child_id, NULL, "iro", iro) || settings == NULL) {
    return false;
  }
  const char *told = iro[0] != '\0' ? iro : NULL;
  struct date review = date_add_months(held_on, (int)setting_value(settings, "stability_review_within_months"));
  struct date check = date_add_weeks(held_on, (int)setting_value(settings, "iro_check_weeks"));
  return meeting_event(r, "meeting.held", m->id, told) &&
         meeting_action(r, m, "Read the outcome of the stability meeting", told, minutes_due, "S3") &&
         meeting_action(r, m, "Circulate the minutes", m->chair_id, minutes_due, "S4") &&
         meeting_action(r, m, "Hold the stability review meeting", m->chair_id,
                        london_end_of_day(review), "S5") &&
         meeting_action(r, m, "Check that the stability meeting's actions were followed up", told,
                        london_end_of_day(check), "S6");
}

/* What holding the meeting settles: the child's open actions it answers are done, and the
 * duties among them come round again from the day it was held. */
static bool settle_after_held(struct request *r, const struct locked_meeting *m,
                              struct date held_on, time_t minutes_due) {
  if (m->type == MEETING_STABILITY) {
    return after_stability_meeting(r, m, held_on, minutes_due);
  }
  if (m->type == MEETING_STABILITY_REVIEW &&
      !meeting_action(r, m, "Circulate the minutes", m->chair_id, minutes_due, "S4")) {
    return false;
  }
  struct meeting_settles settles = meeting_held_settles(m->type);
  if (settles.rule == NULL) {
    return meeting_event(r, "meeting.held", m->id, NULL);
  }
  struct rule_action_scope scope = {"child", m->child_id, settles.rule, settles.duty, NULL,
                                    settles.source_type};
  PGresult *closed = rule_actions_close_about(r, &scope, true, "the meeting was held");
  bool ok = closed != NULL && duties_renew_closed(r, closed, held_on) &&
            meeting_event(r, "meeting.held", m->id, NULL);
  PQclear(closed);
  return ok;
}

/* The held facts of `m` from the request body (U1's window from its placement's ending); the
 * caller checks them. */
static struct meeting_held_facts held_facts(const struct locked_meeting *m,
                                            const struct chair_roles *chair, const json_t *body,
                                            struct date held_on, struct date_range u1_window) {
  return (struct meeting_held_facts){
      .type = m->type, .chair_is_team_manager = chair->team_manager, .chair_is_iro = chair->iro,
      .attendees = json_object_get(body, "attendees"),
      .child_views = schema_string(body, "child_views"),
      .carer_views = schema_string(body, "carer_views"),
      .learning = schema_string(body, "learning"), .held_on = held_on,
      .u1_window = u1_window};
}

/* Records the locked meeting as held once its rule allows. */
static void hold(struct request *r, struct locked_meeting *m, const json_t *body,
                 struct date held_on, json_t *errors) {
  struct chair_roles chair;
  json_t *missing = json_array();
  const struct calendar *calendar = request_calendar(r);
  const json_t *settings = request_settings(r);
  struct ending_facts ending = {0};
  if (calendar == NULL || settings == NULL || !chair_roles_load(r, m->chair_id, &chair, errors) ||
      (m->type == MEETING_UNPLANNED_ENDING && !ending_facts_load(r, m->placement_id, &ending))) {
    json_decref(missing);
    return;
  }
  struct meeting_held_facts facts = held_facts(m, &chair, body, held_on, ending.window);
  const char *rule = meeting_held_check(&facts, missing);
  if (rule != NULL) {
    respond_rule(r, 422, rule, meeting_rule_refusal(rule), missing);
    return;
  }
  json_decref(missing);
  time_t minutes_due = deadline_working_days(
      calendar, held_on, (int)setting_value(settings, "stability_minutes_working_days"));
  char due_text[21];
  time_format_utc(minutes_due, due_text);
  char held_text[11];
  date_format(held_on, held_text);
  char *attendees = json_dumps(json_object_get(body, "attendees"), JSON_COMPACT);
  const char *params[] = {m->id, held_text, attendees, schema_string(body, "child_views"),
                          schema_string(body, "carer_views"), schema_string(body, "learning"),
                          schema_string(body, "outcome"),
                          meeting_minutes_have_deadline(m->type) ? due_text : NULL};
  PGresult *res = request_query(r, &MEETING_HOLD, 8, params);
  free(attendees);
  if (res != NULL && !settle_after_held(r, m, held_on, minutes_due)) {
    PQclear(res);
    return;
  }
  answer_meeting_change(r, m, body, res, 200);
}

void meetings_hold(struct request *r) {
  const struct field_spec attendee[] = {
      {.name = "person_id", .type = FIELD_STRING, .max_length = 128},
      {.name = "name", .type = FIELD_STRING, .max_length = 200},
      {.name = "role", .type = FIELD_ENUM, .required = true, .choices = meeting_attendee_roles()},
      {.name = "attended", .type = FIELD_BOOL, .required = true},
  };
  const struct schema attendee_shape = {attendee, sizeof attendee / sizeof attendee[0]};
  const struct field_spec fields[] = {
      {.name = "held_on", .type = FIELD_DATE},
      {.name = "attendees", .type = FIELD_OBJECT_ARRAY, .required = true, .max_length = 100,
       .nested = &attendee_shape},
      {.name = "child_views", .type = FIELD_STRING, .max_length = 20000},
      {.name = "carer_views", .type = FIELD_STRING, .max_length = 20000},
      {.name = "learning", .type = FIELD_STRING, .max_length = 20000},
      {.name = "outcome", .type = FIELD_STRING, .max_length = 20000},
  };
  const struct schema shape = {fields, sizeof fields / sizeof fields[0]};
  struct locked_meeting m = {0};
  if (!meeting_role_may(r)) {
    return;
  }
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return;
  }
  json_t *errors = json_array();
  schema_validate(&shape, body, "", errors);
  struct date held_on = r->today;
  const char *held_text = schema_string(body, "held_on");
  if (held_text != NULL && date_parse(held_text, &held_on) && date_compare(held_on, r->today) > 0) {
    validation_error(errors, "held_on", "must not be in the future");
  }
  if (json_array_size(errors) > 0) {
    respond_invalid(r, json_incref(errors));
  } else if (lock_meeting(r, &m)) {
    if (m.held) {
      respond_problem(r, 409, "conflict", "The meeting is already recorded as held.");
    } else {
      hold(r, &m, body, held_on, errors);
      if (json_array_size(errors) > 0 && r->status == 0) {
        respond_invalid(r, json_incref(errors));
      }
    }
  }
  PQclear(m.res);
  json_decref(errors);
  json_decref(body);
}

void meetings_record_minutes(struct request *r) {
  static const struct field_spec fields[] = {
      {.name = "overview", .type = FIELD_STRING, .max_length = 20000},
      {.name = "worries", .type = FIELD_STRING, .max_length = 20000},
      {.name = "working_well", .type = FIELD_STRING, .max_length = 20000},
      {.name = "current_situation", .type = FIELD_STRING, .max_length = 20000},
      {.name = "child_views", .type = FIELD_STRING, .max_length = 20000},
      {.name = "carer_views", .type = FIELD_STRING, .max_length = 20000},
      {.name = "support", .type = FIELD_STRING, .max_length = 20000},
      {.name = "plan_and_actions", .type = FIELD_STRING, .max_length = 20000},
      {.name = "next_meeting_date", .type = FIELD_DATE},
  };
  static const struct schema shape = {fields, sizeof fields / sizeof fields[0]};
  struct locked_meeting m = {0};
  if (!meeting_role_may(r)) {
    return;
  }
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return;
  }
  json_t *errors = json_array();
  schema_validate(&shape, body, "", errors);
  const char *key;
  json_t *value;
  size_t sections = 0;
  json_object_foreach(body, key, value) {
    sections += json_is_null(value) ? 0 : 1;
  }
  if (sections == 0) {
    validation_error(errors, "overview", "the minutes have at least one section");
  }
  if (json_array_size(errors) > 0) {
    respond_invalid(r, json_incref(errors));
  } else if (lock_meeting(r, &m)) {
    if (!m.held) {
      respond_problem(r, 409, "conflict", "Minutes are recorded once the meeting is held.");
    } else if (m.circulated) {
      respond_problem(r, 409, "conflict", "Circulated minutes are not changed (R1).");
    } else {
      char *text = json_dumps(body, JSON_COMPACT);
      const char *params[] = {m.id, text};
      answer_meeting_change(r, &m, body, request_query(r, &MEETING_SET_MINUTES, 2, params), 200);
      free(text);
    }
  }
  PQclear(m.res);
  json_decref(errors);
  json_decref(body);
}

void meetings_circulate(struct request *r) {
  static const struct schema nothing = {NULL, 0};
  struct locked_meeting m = {0};
  if (!meeting_role_may(r)) {
    return;
  }
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return;
  }
  json_t *errors = json_array();
  if (!schema_validate(&nothing, body, "", errors)) {
    respond_invalid(r, json_incref(errors));
  } else if (lock_meeting(r, &m)) {
    if (!m.has_minutes) {
      respond_problem(r, 409, "conflict", "There are no minutes to circulate.");
    } else if (m.circulated) {
      respond_problem(r, 409, "conflict", "The minutes were already circulated.");
    } else {
      const char *params[] = {m.id};
      PGresult *res = request_query(r, &MEETING_CIRCULATE, 1, params);
      bool late = res != NULL && strcmp(PQgetvalue(res, 0, 2), "t") == 0;
      struct rule_action_scope scope = {"child", m.child_id, "S4", DUTY_NONE, m.id, NULL};
      PGresult *closed = res == NULL ? NULL
                         : rule_actions_close_about(r, &scope, true,
                                                    late ? "minutes circulated late"
                                                         : "minutes circulated");
      if (closed == NULL) {
        PQclear(res);
        res = NULL;
      }
      PQclear(closed);
      answer_meeting_change(r, &m, body, res, 200);
    }
  }
  PQclear(m.res);
  json_decref(errors);
  json_decref(body);
}
