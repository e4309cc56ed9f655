/* /v1/panels/{id}/items: a panel's agenda (P5) and its papers. A submitted match is a Part 2
 * item (match_submission.c checks M4 and M11), and so is an unplanned ending (U4); a Part 1
 * request carries P4's papers. The panel
 * administrator circulates the papers and the chair may accept late ones (M5). The agenda and
 * papers are read by the panel administrator, the decision maker and the panel's own members;
 * the voice ambassador never sees birth-family contact details. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/panel_items.h"
#include "../domain/access.h"
#include "../domain/hearing.h"
#include "../domain/panels.h"
#include "../domain/schema.h"
#include "../domain/settings.h"
#include "audit_trail.h"
#include "handlers.h"
#include "meeting_facts.h"
#include "pagination.h"
#include "panel_facts.h"
#include "records.h"
#include "rule_actions.h"
#include "submission.h"

static bool is_panel_admin(const struct request *r) {
  return role_set_has(r->caller.roles, ROLE_PANEL_ADMIN);
}

static bool may_read_panels(const struct request *r) {
  return panel_reader_of_every_panel(r->caller.roles) ||
         panel_reader_where_seated(r->caller.roles);
}

/* Loads the panel the caller reads; answers 404 and returns false when there is none for them. */
static bool readable_panel(struct request *r, const char *id, struct panel_facts *panel) {
  if (!panel_facts_load(r, id, panel)) {
    return false;
  }
  if (!panel->found || !panel_readable_by_caller(r, panel)) {
    respond_problem(r, 404, "not-found", "There is no such panel you sit on.");
    return false;
  }
  return true;
}

/* The item id of /v1/panels/{id}/items/{item}...; answers 404 and returns NULL when it is not an
 * id. */
static const char *item_target(struct request *r, char *buf, size_t size) {
  const char *item = path_segment(r, 4, buf, size);
  if (!schema_is_uuid(item)) {
    respond_problem(r, 404, "not-found", "There is no such item on this panel.");
    return NULL;
  }
  return item;
}

/* Writes the audit row of a change to an item (resource panel_item), commits and answers with
 * the item. */
static void answer_item_change(struct request *r, const char *item_id, const json_t *body,
                               const PGresult *res, struct date panel_date) {
  json_t *item = panel_item_with_m5(r, PQgetvalue(res, 0, 0), panel_date);
  json_t *changes = json_pack("{s:{}, s:O}", "before", "after", body);
  if (item != NULL && audit_write(r, "panel_item", item_id, 200, changes) && request_commit(r)) {
    set_etag(r, PQgetvalue(res, 0, 1));
    respond_json(r, 200, json_incref(item));
  }
  json_decref(changes);
  json_decref(item);
}

/* {match_id}: the panel administrator lists a proposed match (M4, M11, P5). */
static void add_match_item(struct request *r, const char *panel_id, const json_t *body) {
  if (!is_panel_admin(r)) {
    respond_problem(r, 403, "forbidden",
                    "The panel administrator lists a match; its finder uses /v1/matches/{id}/submit.");
    return;
  }
  static const struct field_spec fields[] = {
      {.name = "match_id", .type = FIELD_UUID, .required = true}};
  static const struct schema shape = {fields, 1};
  json_t *errors = json_array();
  struct panel_facts panel;
  if (panel_begin_change(r, &shape, body, errors, panel_id, &panel)) {
    submission_list_match(r, schema_string(body, "match_id"), panel_id, &panel);
  }
  json_decref(errors);
}

/* Inserts the checked unplanned-ending item, closes U4's listing action, audits and answers
 * 201. */
static void insert_ending(struct request *r, const char *panel_id, const struct panel_facts *panel,
                          const struct ending_facts *ending, const json_t *body) {
  const char *placement = schema_string(body, "placement_id");
  const char *params[] = {panel_id, "2", "unplanned_ending", NULL, ending->child_id,
                          ending->carer_id, schema_string(body, "summary"), NULL, r->caller.sub,
                          placement};
  PGresult *res = request_query(r, &ITEM_INSERT, 10, params);
  struct rule_action_scope scope = {"child", ending->child_id, "U4", DUTY_NONE, placement, NULL};
  PGresult *listed = res == NULL ? NULL : rule_actions_close_about(r, &scope, true, "listed");
  json_t *item = listed == NULL ? NULL : panel_item_with_m5(r, PQgetvalue(res, 0, 0), panel->date);
  json_t *changes = json_pack("{s:{}, s:O}", "before", "after", body);
  if (item != NULL && audit_write(r, "panel", panel_id, 201, changes) && request_commit(r)) {
    panel_item_created(r, panel_id, PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2), item);
  }
  json_decref(changes);
  json_decref(item);
  PQclear(listed);
  PQclear(res);
}

/* U4: the panel administrator lists an unplanned ending at Part 2 of the permanence panel (P5),
 * which settles the listing action the ending created. */
static void add_ending_item(struct request *r, const char *panel_id, const json_t *body) {
  if (!is_panel_admin(r)) {
    respond_problem(r, 403, "forbidden", "The panel administrator lists an unplanned ending.");
    return;
  }
  static const struct field_spec fields[] = {
      {.name = "placement_id", .type = FIELD_UUID, .required = true},
      {.name = "summary", .type = FIELD_STRING, .max_length = 10000}};
  static const struct schema shape = {fields, 2};
  json_t *errors = json_array();
  struct panel_facts panel;
  struct ending_facts ending;
  const char *placement = schema_string(body, "placement_id");
  if (panel_begin_change(r, &shape, body, errors, panel_id, &panel) &&
      ending_facts_load(r, placement, &ending)) {
    if (!ending.found) {
      validation_error(errors, "placement_id", "no such placement");
      respond_invalid(r, json_incref(errors));
    } else if (strcmp(panel.kind, "permanence") != 0 || panel.part == 1) {
      respond_rule(r, 422, "P5", "Unplanned endings are heard in Part 2 of the permanence panel.",
                   NULL);
    } else if (!ending.unplanned) {
      respond_rule(r, 422, "U4", "Only an unplanned ending is reviewed at Part 2 for its learning.",
                   json_pack("[s]", "placement_id"));
    } else {
      insert_ending(r, panel_id, &panel, &ending, body);
    }
  }
  json_decref(errors);
}

/* The request's child (422 when unknown, 404 when the caller may not reach it), then P5 (the
 * panel hears Part 1), then P4 on the child's papers; answers and returns false when the
 * request may not be listed. */
static bool request_complete(struct request *r, const json_t *body, relationship_set may_ask,
                             const struct panel_facts *panel) {
  char kinds[256];
  char today[11];
  char lookback[16];
  const char *refusal;
  date_format(r->today, today);
  snprintf(lookback, sizeof lookback, "%ld",
           7 * setting_value(request_settings(r), "disruption_lookback_weeks"));
  const char *params[] = {schema_string(body, "child_id"), today, lookback, r->caller.sub,
                          relationship_array_literal(may_ask, kinds, sizeof kinds)};
  PGresult *res = request_query(r, &REQUEST_FACTS, 5, params);
  if (res == NULL) {
    return false;
  }
  bool complete = false;
  if (PQntuples(res) == 0) {
    json_t *errors = json_array();
    validation_error(errors, "child_id", "no such child");
    respond_invalid(r, errors);
  } else if (!is_panel_admin(r) && strcmp(PQgetvalue(res, 0, 4), "t") != 0) {
    respond_problem(r, 404, "not-found", "There is no such child you may ask the panel about.");
  } else if ((refusal = hearing_part_refusal(panel->kind, panel->part, false)) != NULL) {
    respond_rule(r, 422, "P5", refusal, NULL);
  } else {
    const char *explanation = schema_string(body, "care_history_explanation");
    struct part1_request_facts facts = {
        .has_permanence_plan = strcmp(PQgetvalue(res, 0, 0), "t") == 0,
        .has_ppm_minutes = strcmp(PQgetvalue(res, 0, 1), "t") == 0,
        .has_request_form = strcmp(PQgetvalue(res, 0, 2), "t") == 0,
        .recent_unplanned_ending = strcmp(PQgetvalue(res, 0, 3), "t") == 0,
        .care_history_explained = text_recorded(explanation),
    };
    json_t *missing = json_array();
    complete = hearing_request_check(&facts, missing);
    if (complete) {
      json_decref(missing);
    } else {
      respond_rule(r, 422, "P4", "A Part 1 request carries these.", missing);
    }
  }
  PQclear(res);
  return complete;
}

/* Inserts the checked Part 1 request, audits and answers 201. */
static void insert_request(struct request *r, const char *panel_id,
                           const struct panel_facts *panel, const json_t *body) {
  const char *params[] = {panel_id, "1", schema_string(body, "type"), NULL,
                          schema_string(body, "child_id"), NULL, schema_string(body, "summary"),
                          schema_string(body, "care_history_explanation"), r->caller.sub, NULL};
  PGresult *res = request_query(r, &ITEM_INSERT, 10, params);
  if (res == NULL) {
    return;
  }
  json_t *item = panel_item_with_m5(r, PQgetvalue(res, 0, 0), panel->date);
  json_t *changes = json_pack("{s:{}, s:O}", "before", "after", body);
  if (item != NULL && audit_write(r, "panel", panel_id, 201, changes) && request_commit(r)) {
    panel_item_created(r, panel_id, PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2), item);
  }
  json_decref(changes);
  json_decref(item);
  PQclear(res);
}

/* A Part 1 request (P4, P5). */
static void add_request_item(struct request *r, const char *panel_id, const json_t *body,
                             relationship_set may_ask) {
  const struct field_spec fields[] = {
      {.name = "type", .type = FIELD_ENUM, .required = true, .choices = hearing_request_types()},
      {.name = "child_id", .type = FIELD_UUID, .required = true},
      {.name = "summary", .type = FIELD_STRING, .required = true, .max_length = 10000},
      {.name = "care_history_explanation", .type = FIELD_STRING, .max_length = 20000},
  };
  const struct schema shape = {fields, 4};
  json_t *errors = json_array();
  struct panel_facts panel;
  if (panel_begin_change(r, &shape, body, errors, panel_id, &panel) &&
      request_complete(r, body, may_ask, &panel)) {
    insert_request(r, panel_id, &panel, body);
  }
  json_decref(errors);
}

void panels_add_item(struct request *r) {
  char id[64];
  relationship_set may_ask = access_part1_request_grants(r->caller.roles);
  if (!record_target(r, is_panel_admin(r) || may_ask != 0,
                     "The panel administrator lists items; a child's social worker, reviewing "
                     "officer or team manager asks for Part 1.",
                     id)) {
    return;
  }
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return;
  }
  if (json_object_get(body, "match_id") != NULL) {
    add_match_item(r, id, body);
  } else if (json_object_get(body, "placement_id") != NULL) {
    add_ending_item(r, id, body);
  } else {
    add_request_item(r, id, body, may_ask);
  }
  json_decref(body);
}

void panels_list_items(struct request *r) {
  char id[64];
  struct panel_facts panel;
  struct page page;
  if (!record_target(r, may_read_panels(r), "Your roles do not give access to panels.", id) ||
      !readable_panel(r, id, &panel) || !page_read(r, PAGE_KEY_UUID, &page)) {
    return;
  }
  const char *params[] = {id, page_after_param(&page), page.limit};
  PGresult *res = request_query(r, &ITEM_LIST, 3, params);
  if (res == NULL) {
    return;
  }
  json_t *items = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
  char *text = NULL;
  if (items != NULL && panel_items_with_m5(r, items, panel.date)) {
    text = json_dumps(items, JSON_COMPACT);
    if (text == NULL) {
      respond_problem(r, 500, "internal", "The answer could not be written.");
    } else {
      page_respond(r, text, PQgetvalue(res, 0, 1), strcmp(PQgetvalue(res, 0, 2), "t") == 0);
    }
  }
  free(text);
  json_decref(items);
  PQclear(res);
}

/* The child's part of the papers from the child's record; without birth-family contact details
 * for a voice ambassador. The caller owns the result. */
static json_t *child_papers(const struct request *r, const PGresult *res) {
  json_t *doc = json_loads(PQgetvalue(res, 0, 2), 0, NULL);
  struct date born;
  date_parse(PQgetvalue(res, 0, 4), &born);
  json_t *child = json_pack("{s:s, s:O?, s:O?, s:s, s:i, s:O?, s:O?, s:O?}", "id",
                            PQgetvalue(res, 0, 3), "given_name", json_object_get(doc, "given_name"),
                            "family_name", json_object_get(doc, "family_name"), "date_of_birth",
                            PQgetvalue(res, 0, 4), "age", date_age_on(born, r->today), "profile",
                            json_object_get(doc, "profile"), "wishes_and_feelings",
                            json_object_get(doc, "wishes_and_feelings"), "disability",
                            json_object_get(doc, "disability"));
  json_t *family = json_deep_copy(json_object_get(doc, "birth_family"));
  bool sees_everything = panel_reader_of_every_panel(r->caller.roles);
  if (family != NULL && role_set_has(r->caller.roles, ROLE_VOICE_AMBASSADOR) && !sees_everything) {
    hearing_remove_birth_family_contacts(family);
  }
  if (child != NULL) {
    json_object_set_new(child, "birth_family", family != NULL ? family : json_array());
  } else {
    json_decref(family);
  }
  json_decref(doc);
  return child;
}

void panels_get_item(struct request *r) {
  char id[64];
  char item_buf[64];
  struct panel_facts panel;
  const char *item_id;
  if (!record_target(r, may_read_panels(r), "Your roles do not give access to panels.", id) ||
      !readable_panel(r, id, &panel) || (item_id = item_target(r, item_buf, sizeof item_buf)) == NULL) {
    return;
  }
  const char *params[] = {id, item_id};
  PGresult *res = request_query(r, &ITEM_PAPERS, 2, params);
  if (res == NULL) {
    return;
  }
  json_t *item = PQntuples(res) == 1 ? panel_item_with_m5(r, PQgetvalue(res, 0, 0), panel.date)
                                     : NULL;
  if (PQntuples(res) == 0) {
    respond_problem(r, 404, "not-found", "There is no such item on this panel.");
  } else if (item != NULL) {
    json_t *carer = PQgetisnull(res, 0, 5) ? json_null()
                                           : json_loads(PQgetvalue(res, 0, 5), 0, NULL);
    json_t *search = PQgetisnull(res, 0, 6) ? json_null()
                                            : json_loads(PQgetvalue(res, 0, 6), 0, NULL);
    json_object_set_new(item, "papers",
                        json_pack("{s:o, s:o, s:o}", "child", child_papers(r, res), "carer",
                                  carer != NULL ? carer : json_null(), "family_finding",
                                  search != NULL ? search : json_null()));
    set_etag(r, PQgetvalue(res, 0, 1));
    respond_json(r, 200, json_incref(item));
  }
  json_decref(item);
  PQclear(res);
}

/* M5 counts from when the papers went out: never before the items were on the agenda. Answers
 * 422 and returns false when `at` is earlier than the newest item waiting for its papers. */
static bool circulated_after_listing(struct request *r, const char *panel_id, time_t at,
                                     json_t *errors) {
  const char *params[] = {panel_id};
  PGresult *res = request_query(r, &ITEMS_LATEST_LISTING, 1, params);
  if (res == NULL) {
    return false;
  }
  bool after = PQgetisnull(res, 0, 0) || at >= (time_t)strtoll(PQgetvalue(res, 0, 0), NULL, 10);
  PQclear(res);
  if (!after) {
    validation_error(errors, "circulated_at", "must not be before an item was put on the agenda");
    respond_invalid(r, json_incref(errors));
  }
  return after;
}

void panels_circulate_papers(struct request *r) {
  char id[64];
  if (!record_target(r, is_panel_admin(r), "Papers are circulated by the panel administrator.",
                     id)) {
    return;
  }
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return;
  }
  static const struct field_spec fields[] = {
      {.name = "circulated_at", .type = FIELD_STRING, .max_length = 40}}; /* RFC 3339, checked below */
  static const struct schema shape = {fields, 1};
  json_t *errors = json_array();
  time_t at;
  schema_past_time(body, "circulated_at", wall_clock_now(), &at, errors);
  char circulated[21];
  time_format_utc(at, circulated);
  struct panel_facts panel;
  const char *params[] = {id, circulated};
  PGresult *listed = NULL;
  if (panel_begin_change(r, &shape, body, errors, id, &panel) &&
      circulated_after_listing(r, id, at, errors)) {
    PGresult *updated = request_query(r, &ITEMS_CIRCULATE, 2, params);
    listed = updated != NULL ? request_query(r, &ITEMS_LISTED, 1, params) : NULL;
    PQclear(updated);
  }
  json_t *items = listed != NULL ? json_loads(PQgetvalue(listed, 0, 0), 0, NULL) : NULL;
  if (items != NULL && panel_items_with_m5(r, items, panel.date)) {
    json_t *changes = json_pack("{s:{}, s:{s:s}}", "before", "after", "papers_circulated_at",
                                circulated);
    if (audit_write(r, "panel", id, 200, changes) && request_commit(r)) {
      respond_json(r, 200, json_pack("{s:s, s:s, s:O}", "panel_id", id, "circulated_at",
                                     circulated, "items", items));
    }
    json_decref(changes);
  }
  json_decref(items);
  PQclear(listed);
  json_decref(errors);
  json_decref(body);
}

/* M5: the chair's acceptance of late papers on the locked, listed item. */
static void accept_late_papers(struct request *r, const char *panel_id, const char *item_id,
                               const struct panel_facts *panel, const json_t *body) {
  const char *params[] = {panel_id, item_id};
  PGresult *item = request_query(r, &ITEM_LOCK, 2, params);
  if (item == NULL) {
    return;
  }
  int on_time = -1;
  if (PQntuples(item) == 0) {
    respond_problem(r, 404, "not-found", "There is no such item on this panel.");
  } else if (strcmp(PQgetvalue(item, 0, 0), "listed") != 0) {
    respond_problem(r, 409, "conflict", "The item has been heard or withdrawn.");
  } else if (!record_if_match_sent(r, PQgetvalue(item, 0, 6))) {
    /* answered 412 */
  } else if (PQgetisnull(item, 0, 2)) {
    respond_problem(r, 409, "conflict", "The papers have not been circulated.");
  } else if (strcmp(PQgetvalue(item, 0, 3), "t") == 0) {
    respond_problem(r, 409, "conflict", "The chair has already accepted these late papers.");
  } else if ((on_time = panel_papers_on_time(r, (time_t)strtoll(PQgetvalue(item, 0, 2), NULL, 10),
                                             panel->date)) == 1) {
    respond_problem(r, 409, "conflict", "The papers reached the members in time.");
  } else if (on_time == 0) {
    const char *update[] = {item_id, schema_string(body, "reason"), r->caller.sub};
    PGresult *res = request_query(r, &ITEM_ACCEPT_LATE_PAPERS, 3, update);
    if (res != NULL) {
      answer_item_change(r, item_id, body, res, panel->date);
    }
    PQclear(res);
  }
  PQclear(item);
}

void panels_accept_late_papers(struct request *r) {
  char id[64];
  char item_buf[64];
  const char *item_id;
  if (!record_target(r, role_set_has(r->caller.roles, ROLE_CHAIR),
                     "The panel's chair accepts late papers.", id) ||
      (item_id = item_target(r, item_buf, sizeof item_buf)) == NULL) {
    return;
  }
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return;
  }
  static const struct field_spec fields[] = {
      {.name = "reason", .type = FIELD_STRING, .required = true, .max_length = 5000}};
  static const struct schema shape = {fields, 1};
  json_t *errors = json_array();
  struct panel_facts panel;
  if (panel_begin_change(r, &shape, body, errors, id, &panel)) {
    if (!panel_chaired_by_caller(r, &panel)) {
      respond_problem(r, 404, "not-found", "There is no such panel you chair.");
    } else {
      accept_late_papers(r, id, item_id, &panel, body);
    }
  }
  json_decref(errors);
  json_decref(body);
}
