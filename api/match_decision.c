/* The Agency Decision Maker's decision on a recommended match (M7: only the ADM decides, and may
 * differ from the panel with reasons; M7a's clock stops) and its circulation by the panel
 * administrator (M7). An agreed match asks for the celebration of permanence to be planned
 * (M10). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/events.h"
#include "../db/matches.h"
#include "../domain/calendar.h"
#include "../domain/matching.h"
#include "../domain/schema.h"
#include "../domain/settings.h"
#include "audit_trail.h"
#include "duties.h"
#include "handlers.h"
#include "records.h"
#include "rule_actions.h"

/* The locked match, as MATCH_DECISION_FACTS answers it. */
struct decision_facts {
  const char *status;
  const char *outcome;        /* the panel's; NULL before a recommendation */
  const char *decision_maker; /* the panel's; NULL when none was named */
  const char *finder;
  bool decided;
  bool circulated;
  time_t decided_at;
  const char *child_id;
  const char *carer_id;
};

static struct decision_facts decision_facts_of(const PGresult *res) {
  return (struct decision_facts){
      .status = PQgetvalue(res, 0, 0),
      .outcome = PQgetisnull(res, 0, 1) ? NULL : PQgetvalue(res, 0, 1),
      .decision_maker = PQgetisnull(res, 0, 2) ? NULL : PQgetvalue(res, 0, 2),
      .finder = PQgetvalue(res, 0, 3),
      .decided = strcmp(PQgetvalue(res, 0, 4), "t") == 0,
      .circulated = strcmp(PQgetvalue(res, 0, 5), "t") == 0,
      .decided_at = (time_t)strtoll(PQgetvalue(res, 0, 6), NULL, 10),
      .child_id = PQgetvalue(res, 0, 7),
      .carer_id = PQgetvalue(res, 0, 8),
  };
}

/* Locks the match named by the path after checking the caller's role; answers and returns NULL
 * when there is no such match. The caller owns the result. */
static PGresult *lock_match(struct request *r, bool role_may, const char *refusal, char id[64]) {
  if (!record_target(r, role_may, refusal, id) || !request_begin(r)) {
    return NULL;
  }
  const char *params[] = {id};
  PGresult *res = request_query(r, &MATCH_DECISION_FACTS, 1, params);
  if (res != NULL && PQntuples(res) == 0) {
    respond_problem(r, 404, "not-found", "There is no such match.");
    PQclear(res);
    return NULL;
  }
  if (res != NULL && !record_if_match_sent(r, PQgetvalue(res, 0, 9))) {
    PQclear(res);
    return NULL;
  }
  return res;
}

/* Writes the event (its `payload` names no one and quotes no reasons: the feed carries ids and
 * outcomes) and the audit row of the change `body` answered by `res` (json, version), commits
 * and answers 200. Releases res. */
static void answer_decision_change(struct request *r, const char *id, const char *event_type,
                                   const json_t *payload_json, const json_t *body, PGresult *res) {
  if (res == NULL) {
    return;
  }
  char *payload = json_dumps(payload_json, JSON_COMPACT);
  const char *event[] = {event_type, "match", id, NULL, payload};
  PGresult *told = request_query(r, &EVENT_INSERT, 5, event);
  json_t *changes = json_pack("{s:{}, s:O}", "before", "after", body);
  if (told != NULL && audit_write(r, "match", id, 200, changes) && request_commit(r)) {
    set_etag(r, PQgetvalue(res, 0, 1));
    respond_json_text(r, 200, PQgetvalue(res, 0, 0));
  }
  json_decref(changes);
  PQclear(told);
  free(payload);
  PQclear(res);
}

/* M10: the celebration of permanence is planned by the match's finder. */
static bool plan_celebration(struct request *r, const char *id, const char *finder) {
  int weeks = (int)setting_value(request_settings(r), "celebration_planning_weeks");
  return rule_action_create(r, "Plan the celebration of permanence", id, finder,
                            london_end_of_day(date_add_weeks(r->today, weeks)), "M10", "match", id);
}

/* Records the checked decision on the locked, recommended match; an agreed long-term match
 * starts the life-long duties (L1, L2). */
static void decide(struct request *r, const char *id, const struct decision_facts *facts,
                   const json_t *body) {
  bool agreed = json_is_true(json_object_get(body, "agreed"));
  const char *reasons = schema_string(body, "reasons");
  if (match_decision_needs_reasons(facts->outcome, agreed) && !text_recorded(reasons)) {
    respond_rule(r, 422, "M7", "A decision that differs from the panel's recommendation gives reasons.",
                 json_pack("[s]", "reasons"));
    return;
  }
  if (!rule_actions_close(r, id, "M7a", true, "decided") ||
      (agreed && (!plan_celebration(r, id, facts->finder) ||
                  !duties_start_after_match(r, id, facts->child_id, facts->carer_id)))) {
    return;
  }
  const char *params[] = {id, agreed ? "true" : "false", reasons, r->caller.sub};
  json_t *payload = json_pack("{s:b}", "agreed", agreed);
  answer_decision_change(r, id, "match.decided", payload, body,
                         request_query(r, &MATCH_DECIDE, 4, params));
  json_decref(payload);
}

void matches_decide(struct request *r) {
  char id[64];
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return;
  }
  static const struct field_spec fields[] = {
      {.name = "agreed", .type = FIELD_BOOL, .required = true},
      {.name = "reasons", .type = FIELD_STRING, .max_length = 20000},
  };
  static const struct schema shape = {fields, 2};
  json_t *errors = json_array();
  schema_validate(&shape, body, "", errors);
  PGresult *locked = NULL;
  if (json_array_size(errors) > 0 && role_set_has(r->caller.roles, ROLE_ADM)) {
    respond_invalid(r, json_incref(errors));
  } else if ((locked = lock_match(r, role_set_has(r->caller.roles, ROLE_ADM),
                                  "Only the agency decision maker decides (M7).", id)) != NULL) {
    struct decision_facts facts = decision_facts_of(locked);
    if (strcmp(facts.status, "recommended") != 0 || facts.outcome == NULL) {
      respond_rule(r, 409, "M7", "The decision follows the panel's recommendation.", NULL);
    } else if (facts.decision_maker != NULL && strcmp(facts.decision_maker, r->caller.sub) != 0) {
      respond_problem(r, 403, "forbidden", "The panel's decision maker decides this match.");
    } else {
      decide(r, id, &facts, body);
    }
  }
  PQclear(locked);
  json_decref(errors);
  json_decref(body);
}

void matches_record_decision_circulated(struct request *r) {
  char id[64];
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return;
  }
  static const struct field_spec fields[] = {
      {.name = "circulated_at", .type = FIELD_STRING, .max_length = 40}};
  static const struct schema shape = {fields, 1};
  json_t *errors = json_array();
  schema_validate(&shape, body, "", errors);
  time_t at;
  schema_past_time(body, "circulated_at", wall_clock_now(), &at, errors);
  char circulated[21];
  time_format_utc(at, circulated);
  bool admin = role_set_has(r->caller.roles, ROLE_PANEL_ADMIN);
  PGresult *locked = NULL;
  if (json_array_size(errors) > 0 && admin) {
    respond_invalid(r, json_incref(errors));
  } else if ((locked = lock_match(r, admin, "The panel administrator circulates the decision.",
                                  id)) != NULL) {
    struct decision_facts facts = decision_facts_of(locked);
    if (!facts.decided) {
      respond_rule(r, 409, "M7", "There is no decision to circulate yet.", NULL);
    } else if (facts.circulated) {
      respond_problem(r, 409, "conflict", "The decision's circulation is already recorded.");
    } else if (at < facts.decided_at) {
      validation_error(errors, "circulated_at", "must not be before the decision");
      respond_invalid(r, json_incref(errors));
    } else if (rule_actions_close(r, id, "M7", true, "decision circulated")) {
      const char *params[] = {id, circulated};
      json_t *after = json_pack("{s:s}", "circulated_at", circulated);
      answer_decision_change(r, id, "match.decision_circulated", after, after,
                             request_query(r, &MATCH_DECISION_CIRCULATED, 2, params));
      json_decref(after);
    }
  }
  PQclear(locked);
  json_decref(errors);
  json_decref(body);
}
