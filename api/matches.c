/* /v1/matches: long-term matching from family finding to a proposed carer (the way through
 * panel is in match_submission.c, the decision in match_decision.c). M1: a family finder
 * finds a family for a child under family_finder_age_limit (11) on the day it starts, the
 * child's social worker for an older child; M2: an All About Me and a family chronology must be
 * on file (never a CPR); M3: a connected person approved for the child skips family finding. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/family_finding.h"
#include "../db/matches.h"
#include "../domain/access.h"
#include "../domain/matching.h"
#include "../domain/merge_patch.h"
#include "../domain/schema.h"
#include "../domain/settings.h"
#include "audit_trail.h"
#include "family_finding.h"
#include "handlers.h"
#include "pagination.h"
#include "match_steps.h"
#include "records.h"
#include "rule_actions.h"

static const char *const KINDS[] = {"long_term", "connected_person", NULL};
static const char *const MATCH_STATUSES[] = {"family_finding", "proposed", "submitted",
                                             "recommended", "agreed", "not_agreed",
                                             "withdrawn", NULL};

static const struct field_spec START_FIELDS[] = {
    {.name = "child_id", .type = FIELD_UUID, .required = true},
    {.name = "carer_id", .type = FIELD_UUID},
    {.name = "kind", .type = FIELD_ENUM, .required = true, .choices = KINDS},
};
static const struct schema START = {START_FIELDS, 3};

/* Whether the text array literal `roles` ("{csw,iro}") holds `role`. */
static bool array_holds(const char *roles, const char *role) {
  size_t n = strlen(role);
  for (const char *p = strstr(roles, role); p != NULL; p = strstr(p + 1, role)) {
    if ((p[-1] == '{' || p[-1] == ',') && (p[n] == '}' || p[n] == ',')) {
      return true;
    }
  }
  return false;
}

/* Writes the started match and its audit row; answers 201. */
static void insert_match(struct request *r, const json_t *body, bool connected,
                         const char *finder_role) {
  char today[11];
  date_format(r->today, today);
  const char *params[] = {schema_string(body, "child_id"), schema_string(body, "carer_id"),
                          schema_string(body, "kind"), connected ? "proposed" : "family_finding",
                          finder_role, r->caller.sub, today, r->caller.sub};
  PGresult *res = request_query(r, &MATCH_INSERT, 8, params);
  if (res == NULL) {
    return;
  }
  json_t *changes = changed_fields(NULL, body);
  if (audit_write(r, "match", PQgetvalue(res, 0, 1), 201, changes) && request_commit(r)) {
    char location[80];
    snprintf(location, sizeof location, "/v1/matches/%s", PQgetvalue(res, 0, 1));
    respond_created(r, location, PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 0));
  }
  json_decref(changes);
  PQclear(res);
}

/* M1-M3 on the locked child: who may start, and what must be on file. */
static void start_match(struct request *r, const json_t *body, const PGresult *facts) {
  bool connected = strcmp(schema_string(body, "kind"), "connected_person") == 0;
  struct date born;
  date_parse(PQgetvalue(facts, 0, 0), &born);
  int age_limit = (int)setting_value(request_settings(r), "family_finder_age_limit");
  enum role finder = connected ? ROLE_CSW : match_family_finder_role(born, r->today, age_limit);
  enum role other = finder == ROLE_CSW ? ROLE_FAMILY_FINDER : ROLE_CSW;
  const char *allocated = PQgetvalue(facts, 0, 1);
  if (!role_set_has(r->caller.roles, finder) || !array_holds(allocated, role_name(finder))) {
    if (role_set_has(r->caller.roles, other) && array_holds(allocated, role_name(other))) {
      respond_rule(r, 403, "M1",
                   finder == ROLE_FAMILY_FINDER
                       ? "A family finder starts family finding for a child under the age limit."
                       : "The child's social worker starts family finding for this child.",
                   NULL);
    } else {
      respond_problem(r, 404, "not-found", "There is no such child you may start a match for.");
    }
    return;
  }
  struct match_start_facts f = {
      .connected_person = connected,
      .has_all_about_me = strcmp(PQgetvalue(facts, 0, 2), "t") == 0,
      .has_family_chronology = strcmp(PQgetvalue(facts, 0, 3), "t") == 0,
      .carer_named = schema_string(body, "carer_id") != NULL,
      .carer_approved_for_child = strcmp(PQgetvalue(facts, 0, 4), "t") == 0,
  };
  json_t *missing = json_array();
  if (!match_start_check(&f, missing)) {
    respond_rule(r, 422, connected ? "M3" : "M2",
                 connected ? "A connected-person match needs the carer approved for this child."
                           : "Family finding starts only with these on file.",
                 missing);
    return;
  }
  json_decref(missing);
  insert_match(r, body, connected, role_name(finder));
}

void matches_create(struct request *r) {
  if (!role_set_has(r->caller.roles, ROLE_FAMILY_FINDER) && !role_set_has(r->caller.roles, ROLE_CSW)) {
    /* M1: only a family finder or the child's social worker starts family finding. */
    respond_problem(r, 403, "forbidden",
                    "Family finding is started by a family finder or the child's social worker (M1).");
    return;
  }
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return;
  }
  json_t *errors = json_array();
  schema_validate(&START, body, "", errors);
  const char *kind = schema_string(body, "kind");
  if (kind != NULL && strcmp(kind, "long_term") == 0 && schema_string(body, "carer_id") != NULL) {
    validation_error(errors, "carer_id",
                     "a long-term match proposes its carer after family finding (/propose)");
  }
  const char *params[] = {schema_string(body, "child_id"), r->caller.sub,
                          schema_string(body, "carer_id")};
  PGresult *facts = NULL;
  if (json_array_size(errors) > 0) {
    respond_invalid(r, json_incref(errors));
  } else if (request_begin(r) && (facts = request_query(r, &MATCH_START_FACTS, 3, params)) != NULL) {
    if (PQntuples(facts) == 0) {
      respond_problem(r, 404, "not-found", "There is no such child you may start a match for.");
    } else {
      start_match(r, body, facts);
    }
  }
  PQclear(facts);
  json_decref(errors);
  json_decref(body);
}

void matches_list(struct request *r) {
  relationship_set grants = access_child_grants(r->caller.roles, ACCESS_READ);
  struct page page;
  if (grants == 0) {
    respond_problem(r, 403, "forbidden", "Your roles do not give access to children's records.");
    return;
  }
  const char *child = query_param(r, "child_id");
  const char *status = query_param(r, "status");
  const char *panel = query_param(r, "panel_id");
  if ((child != NULL && !schema_is_uuid(child)) || (panel != NULL && !schema_is_uuid(panel)) ||
      (status != NULL && !schema_is_choice(MATCH_STATUSES, status))) {
    respond_problem(r, 400, "bad-request",
                    "child_id and panel_id must be UUIDs and status a match status.");
    return;
  }
  if (!page_read(r, PAGE_KEY_UUID, &page)) {
    return;
  }
  char kinds[256];
  const char *params[] = {r->caller.sub, relationship_array_literal(grants, kinds, sizeof kinds),
                          child, status, page_after_param(&page), page.limit, panel};
  PGresult *res = request_query(r, &MATCH_LIST, 7, params);
  if (res != NULL) {
    page_respond_result(r, res);
  }
  PQclear(res);
}

void matches_get(struct request *r) {
  char id[64];
  char kinds[256];
  relationship_set grants = access_child_grants(r->caller.roles, ACCESS_READ);
  if (!record_target(r, grants, "Your roles do not give access to matches.", id)) {
    return;
  }
  const char *params[] = {id, r->caller.sub, relationship_array_literal(grants, kinds, sizeof kinds)};
  PGresult *res = request_query(r, &MATCH_GET, 3, params);
  if (res == NULL) {
    return;
  }
  if (PQntuples(res) == 0 || strcmp(PQgetvalue(res, 0, 2), "t") != 0) {
    respond_problem(r, 404, "not-found", "There is no such match you may see.");
  } else {
    set_etag(r, PQgetvalue(res, 0, 1));
    respond_json_text(r, 200, PQgetvalue(res, 0, 0));
  }
  PQclear(res);
}

static const struct field_spec PROPOSE_FIELDS[] = {
    {.name = "carer_id", .type = FIELD_UUID, .required = true}};
static const struct schema PROPOSE_BODY = {PROPOSE_FIELDS, 1};
static const struct field_spec WITHDRAW_FIELDS[] = {
    {.name = "reason", .type = FIELD_STRING, .required = true, .max_length = 5000}};
static const struct schema WITHDRAW_BODY = {WITHDRAW_FIELDS, 1};

void match_answer_change(struct request *r, const char *id, const char *status_before,
                         const json_t *body, PGresult *res) {
  if (res == NULL) {
    return;
  }
  json_t *changes = json_pack("{s:{s:s}, s:O}", "before", "status", status_before, "after", body);
  if (audit_write(r, "match", id, 200, changes) && request_commit(r)) {
    set_etag(r, PQgetvalue(res, 0, 1));
    respond_json_text(r, 200, PQgetvalue(res, 0, 0));
  }
  json_decref(changes);
  PQclear(res);
}

/* What the proposal keeps of the search that led to the carer (issue 10): the date, who
 * searched, the children searched for and their sibling group, and domain/family_finding.c's
 * record of the order, the proposed carer and the candidates considered. NULL after answering
 * 422 (the carer fails a hard limit, or is not on the register). Owned by the caller. */
static json_t *search_record(struct request *r, const struct ff_outcome *outcome,
                             const char *carer) {
  json_t *errors = json_array();
  json_t *record = ff_proposal_record(&outcome->search, &outcome->result, carer, errors);
  if (record == NULL) {
    respond_invalid(r, errors);
    return NULL;
  }
  json_decref(errors);
  char on[11];
  date_format(r->today, on);
  const json_t *group = outcome->for_group ? json_object_get(outcome->sibling_group, "id") : NULL;
  json_object_update_new(record, json_pack("{s:s, s:s, s:o, s:O}", "searched_on", on,
                                           "searched_by", r->caller.sub, "children",
                                           family_finding_children(outcome, r->today),
                                           "sibling_group_id", group != NULL ? group : json_null()));
  return record;
}

/* Proposes a carer during family finding: the search is run again on the day, the carer must
 * pass every hard limit, and the search is kept with the match. */
static void write_propose(struct request *r, const char *id, const char *status,
                          const json_t *body) {
  if (strcmp(status, "family_finding") != 0) {
    respond_problem(r, 409, "conflict", "A carer is proposed only during family finding.");
    return;
  }
  const char *match[] = {id};
  PGresult *child = request_query(r, &FF_MATCH_CHILD, 1, match);
  if (child == NULL) {
    return;
  }
  struct ff_outcome outcome;
  bool searched = family_finding_search(r, PQgetvalue(child, 0, 0), &outcome);
  PQclear(child);
  if (!searched) {
    return;
  }
  json_t *search = search_record(r, &outcome, schema_string(body, "carer_id"));
  if (search != NULL) {
    char *text = json_dumps(search, JSON_COMPACT);
    const json_t *group = json_object_get(search, "sibling_group_id");
    const char *params[] = {id, schema_string(body, "carer_id"), text, json_string_value(group)};
    match_answer_change(r, id, status, body, request_query(r, &MATCH_PROPOSE, 4, params));
    free(text);
  }
  json_decref(search);
  family_finding_outcome_free(&outcome);
}

/* Withdraws a match not yet decided, and its place on a panel's agenda. */
static void write_withdraw(struct request *r, const char *id, const char *status,
                           const json_t *body) {
  if (strcmp(status, "withdrawn") == 0 || strcmp(status, "agreed") == 0 ||
      strcmp(status, "not_agreed") == 0) {
    respond_problem(r, 409, "conflict", "A withdrawn or decided match cannot be withdrawn.");
    return;
  }
  /* a recommended match no longer waits for the decision (M7a) nor its circulation (M7) */
  if (strcmp(status, "recommended") == 0 &&
      (!rule_actions_close(r, id, "M7a", false, "match withdrawn") ||
       !rule_actions_close(r, id, "M7", false, "match withdrawn"))) {
    return;
  }
  const char *params[] = {id, schema_string(body, "reason")};
  match_answer_change(r, id, status, body, request_query(r, &MATCH_WITHDRAW, 2, params));
}

static const struct match_step PROPOSE = {&PROPOSE_BODY, false, NULL, write_propose};
static const struct match_step WITHDRAW = {&WITHDRAW_BODY, true, NULL, write_withdraw};

void match_take_step(struct request *r, const struct match_step *step) {
  char id[64];
  char kinds[256];
  relationship_set grants = access_child_grants(r->caller.roles, ACCESS_READ);
  if (!record_target(r, grants, "Your roles do not give access to matches.", id)) {
    return;
  }
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return;
  }
  json_t *errors = json_array();
  schema_validate(step->body, body, "", errors);
  if (step->check != NULL) {
    step->check(body, r->today, errors);
  }
  const char *params[] = {id, r->caller.sub, relationship_array_literal(grants, kinds, sizeof kinds)};
  PGresult *current = NULL;
  if (json_array_size(errors) > 0) {
    respond_invalid(r, json_incref(errors));
  } else if (request_begin(r) && (current = request_query(r, &MATCH_LOCK, 3, params)) != NULL) {
    bool visible = PQntuples(current) == 1 && strcmp(PQgetvalue(current, 0, 2), "t") == 0;
    bool finder = visible && strcmp(PQgetvalue(current, 0, 1), r->caller.sub) == 0;
    bool team_manager = visible && step->team_manager_may &&
                        role_set_has(r->caller.roles, ROLE_TEAM_MANAGER) &&
                        strcmp(PQgetvalue(current, 0, 3), "t") == 0;
    if (!visible) {
      respond_problem(r, 404, "not-found", "There is no such match you may see.");
    } else if (!finder && !team_manager) {
      respond_problem(r, 403, "forbidden", step->team_manager_may
                                               ? "The family finder or the team manager does this."
                                               : "The match's family finder does this.");
    } else if (record_if_match_sent(r, PQgetvalue(current, 0, 4))) {
      step->write(r, id, PQgetvalue(current, 0, 0), body);
    }
  }
  PQclear(current);
  json_decref(errors);
  json_decref(body);
}

void matches_propose(struct request *r) {
  match_take_step(r, &PROPOSE);
}

void matches_withdraw(struct request *r) {
  match_take_step(r, &WITHDRAW);
}
