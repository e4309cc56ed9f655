/* POST /v1/panels/{id}/items/{item}/recommendation: the chair records the panel's
 * recommendation. A panel that discussed an item without recommending defers it (a deferred
 * match goes back to be submitted again). A recommendation needs quorum (M8), papers in time or
 * accepted late (M5), the last panel of the month for a long-term match's formal approval (M9),
 * the child's voice and, for a disabled child, accessibility and health management (M6), and
 * whether the child was invited (M12). For a match it sets the decision maker's clock (M7a) and
 * the circulation of the decision (M7). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/events.h"
#include "../db/matches.h"
#include "../db/panel_items.h"
#include "../domain/calendar.h"
#include "../domain/hearing.h"
#include "../domain/schema.h"
#include "../domain/settings.h"
#include "audit_trail.h"
#include "handlers.h"
#include "panel_facts.h"
#include "records.h"
#include "rule_actions.h"

static const char *const WISHES_VIA[] = {"child", "advocate", NULL};

/* The locked item, as ITEM_LOCK answers it. */
struct item_facts {
  const char *status;
  const char *match_id;   /* NULL for a Part 1 request */
  bool circulated;
  time_t circulated_at;
  bool late_accepted;
  const char *match_kind; /* NULL for a Part 1 request */
  bool child_disabled;
};

static struct item_facts item_facts_of(const PGresult *res) {
  return (struct item_facts){
      .status = PQgetvalue(res, 0, 0),
      .match_id = PQgetisnull(res, 0, 1) ? NULL : PQgetvalue(res, 0, 1),
      .circulated = !PQgetisnull(res, 0, 2),
      .circulated_at = (time_t)strtoll(PQgetvalue(res, 0, 2), NULL, 10),
      .late_accepted = strcmp(PQgetvalue(res, 0, 3), "t") == 0,
      .match_kind = PQgetisnull(res, 0, 4) ? NULL : PQgetvalue(res, 0, 4),
      .child_disabled = strcmp(PQgetvalue(res, 0, 5), "t") == 0,
  };
}

/* M8, M5, M9, M6, M12 in that order: answers 422 with the first rule that refuses. Returns true
 * when the recommendation may be recorded; false after answering. */
static bool may_recommend(struct request *r, const char *panel_id, const struct panel_facts *panel,
                          const struct item_facts *item, const json_t *body) {
  json_t *quorum = panel_quorum_of(r, panel_id);
  if (quorum == NULL) {
    return false;
  }
  bool quorate = json_is_true(json_object_get(quorum, "quorate"));
  if (!quorate) {
    respond_rule(r, 422, "M8", "Without quorum the panel cannot record a recommendation.",
                 json_incref(json_object_get(quorum, "reasons")));
  }
  json_decref(quorum);
  if (!quorate) {
    return false;
  }
  int on_time = item->circulated ? panel_papers_on_time(r, item->circulated_at, panel->date) : 0;
  if (on_time < 0) {
    return false;
  }
  if (!on_time && !item->late_accepted) {
    respond_rule(r, 422, "M5",
                 item->circulated
                     ? "The papers reached the members late and the chair has not accepted them."
                     : "The papers have not been circulated to the members.",
                 json_pack("[s]", item->circulated ? "late_papers" : "papers_circulated_at"));
    return false;
  }
  const char *outcome = schema_string(body, "outcome");
  if (item->match_kind != NULL &&
      !hearing_formal_approval_allowed(outcome, item->match_kind, panel->last_of_month)) {
    respond_rule(r, 422, "M9",
                 "A long-term match is formally approved at the last panel of its month.", NULL);
    return false;
  }
  json_t *missing = json_array();
  if (!hearing_voice_check(body, item->child_disabled, missing)) {
    respond_rule(r, 422, "M6", "The recommendation records the child's voice.", missing);
    return false;
  }
  if (!hearing_invitation_check(body, missing)) {
    respond_rule(r, 422, "M12", "The recommendation records whether the child was invited.",
                 missing);
    return false;
  }
  json_decref(missing);
  return true;
}

/* M7a and M7 for a recommended match; its status and the event. Returns false after answering. */
static bool after_match_recommended(struct request *r, const struct panel_facts *panel,
                                    const char *item_id, const struct item_facts *item,
                                    const char *outcome) {
  const struct calendar *calendar = request_calendar(r);
  if (calendar == NULL) {
    return false;
  }
  time_t decide_by = deadline_working_days(
      calendar, r->today, (int)setting_value(request_settings(r), "adm_decision_working_days"));
  time_t circulate_by = deadline_working_days(
      calendar, panel->date, (int)setting_value(request_settings(r), "adm_decision_circulated_working_days"));
  const char *moved[] = {item->match_id, "recommended", item_id};
  PGresult *match = request_query(r, &MATCH_SET_STATUS, 3, moved);
  PQclear(match);
  json_t *payload = json_pack("{s:s, s:s}", "item_id", item_id, "outcome", outcome);
  char *payload_text = json_dumps(payload, JSON_COMPACT);
  const char *event[] = {"match.recommended", "match", item->match_id, NULL, payload_text};
  PGresult *told = match != NULL ? request_query(r, &EVENT_INSERT, 5, event) : NULL;
  bool ok = told != NULL &&
            rule_action_create(r, "Decide on the panel's recommendation", item->match_id,
                               panel->decision_maker_id[0] != '\0' ? panel->decision_maker_id : NULL,
                               decide_by, "M7a", "panel_item", item_id) &&
            rule_action_create(r, "Circulate the agency decision to all parties", item->match_id,
                               panel->created_by, circulate_by, "M7", "panel_item", item_id);
  PQclear(told);
  free(payload_text);
  json_decref(payload);
  return ok;
}

/* Records the outcome on the locked item and its consequences, then answers 200. */
static void record(struct request *r, const struct panel_facts *panel,
                   const char *item_id, const struct item_facts *item, const json_t *body) {
  const char *outcome = schema_string(body, "outcome");
  bool deferred = strcmp(outcome, "deferred") == 0;
  char now[21];
  time_format_utc(wall_clock_now(), now);
  json_t *recommendation = json_deep_copy(body);
  json_object_set_new(recommendation, "recorded_by", json_string(r->caller.sub));
  json_object_set_new(recommendation, "recorded_at", json_string(now));
  char *text = json_dumps(recommendation, JSON_COMPACT);
  const char *params[] = {item_id, deferred ? "deferred" : "recommended", text};
  PGresult *res = request_query(r, &ITEM_RECORD_RECOMMENDATION, 3, params);
  bool ok = res != NULL;
  if (ok && item->match_id != NULL && deferred) {
    const char *back[] = {item->match_id, "proposed", NULL};
    PGresult *match = request_query(r, &MATCH_SET_STATUS, 3, back);
    ok = match != NULL;
    PQclear(match);
  } else if (ok && item->match_id != NULL) {
    ok = after_match_recommended(r, panel, item_id, item, outcome);
  }
  json_t *answer = ok ? panel_item_with_m5(r, PQgetvalue(res, 0, 0), panel->date) : NULL;
  json_t *changes = json_pack("{s:{s:s, s:s?}, s:O}", "before", "status", item->status,
                              "match_id", item->match_id, "after", recommendation);
  if (answer != NULL && audit_write(r, "panel_item", item_id, 200, changes) &&
      request_commit(r)) {
    set_etag(r, PQgetvalue(res, 0, 1));
    respond_json(r, 200, json_incref(answer));
  }
  json_decref(changes);
  json_decref(answer);
  PQclear(res);
  free(text);
  json_decref(recommendation);
}

/* Locks the item's match (when it has one) before the item. Returns false after answering. */
static bool lock_match_first(struct request *r, const char *const *params) {
  PGresult *res = request_query(r, &ITEM_MATCH_LOCK, 2, params);
  PQclear(res);
  return res != NULL;
}

void panels_record_recommendation(struct request *r) {
  char id[64];
  char item_buf[64];
  const char *item_id = path_segment(r, 4, item_buf, sizeof item_buf);
  if (!record_target(r, role_set_has(r->caller.roles, ROLE_CHAIR),
                     "The panel's chair records its recommendation.", id)) {
    return;
  }
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return;
  }
  const struct field_spec fields[] = {
      {.name = "outcome", .type = FIELD_ENUM, .required = true, .choices = hearing_outcomes()},
      {.name = "reasons", .type = FIELD_STRING, .required = true, .max_length = 20000},
      {.name = "minutes", .type = FIELD_STRING, .required = true, .max_length = 100000},
      {.name = "wishes_and_feelings", .type = FIELD_STRING, .max_length = 20000},
      {.name = "wishes_via", .type = FIELD_ENUM, .choices = WISHES_VIA},
      {.name = "accessibility", .type = FIELD_STRING, .max_length = 20000},
      {.name = "health_management", .type = FIELD_STRING, .max_length = 20000},
      {.name = "child_invited", .type = FIELD_BOOL},
      {.name = "reflective_learning_circle", .type = FIELD_BOOL}, /* U4 */
      {.name = "child_not_invited_reason", .type = FIELD_STRING, .max_length = 5000},
  };
  const struct schema shape = {fields, sizeof fields / sizeof fields[0]};
  json_t *errors = json_array();
  struct panel_facts panel;
  PGresult *locked = NULL;
  if (!schema_is_uuid(item_id)) {
    respond_problem(r, 404, "not-found", "There is no such item on this panel.");
  } else if (panel_begin_change(r, &shape, body, errors, id, &panel)) {
    const char *params[] = {id, item_id};
    if (!panel_chaired_by_caller(r, &panel)) {
      respond_problem(r, 404, "not-found", "There is no such panel you chair.");
    } else if (!lock_match_first(r, params) ||
               (locked = request_query(r, &ITEM_LOCK, 2, params)) == NULL) {
      /* answered */
    } else if (PQntuples(locked) == 0) {
      respond_problem(r, 404, "not-found", "There is no such item on this panel.");
    } else {
      struct item_facts item = item_facts_of(locked);
      bool deferred = strcmp(schema_string(body, "outcome"), "deferred") == 0;
      if (strcmp(item.status, "listed") != 0) {
        respond_problem(r, 409, "conflict", "The item has been heard or withdrawn.");
      } else if (!record_if_match_sent(r, PQgetvalue(locked, 0, 6))) {
        /* answered 412: the item changed since the chair read it */
      } else if (deferred || may_recommend(r, id, &panel, &item, body)) {
        record(r, &panel, item_id, &item, body);
      }
    }
  }
  PQclear(locked);
  json_decref(errors);
  json_decref(body);
}
