/* A match on its way to panel: the fee discussion with an agency (M11), and the submission that
 * puts it on a panel's agenda once M4's profile, papers and support plan are complete, M11's fee
 * discussion is recorded and the panel hears matches (P5). The finder submits with
 * POST /v1/matches/{id}/submit; the panel administrator lists it with POST /v1/panels/{id}/items
 * (panel_items.c); both come here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/events.h"
#include "../db/matches.h"
#include "../db/panel_items.h"
#include "../domain/hearing.h"
#include "../domain/matching.h"
#include "audit_trail.h"
#include "handlers.h"
#include "match_steps.h"
#include "panel_facts.h"
#include "submission.h"

/* The M4 facts of the locked match row `res`; the JSON members are owned by the caller through
 * `owned` (an array released after the check). */
static struct match_submission_facts submission_facts(const PGresult *res, json_t *owned) {
  json_t *profile = json_loads(PQgetvalue(res, 0, 4), 0, NULL);
  json_t *carer = json_loads(PQgetvalue(res, 0, 5), 0, NULL);
  json_t *covers = PQgetisnull(res, 0, 10) ? NULL : json_loads(PQgetvalue(res, 0, 10), 0, NULL);
  json_array_append_new(owned, profile != NULL ? profile : json_null());
  json_array_append_new(owned, carer != NULL ? carer : json_null());
  json_array_append_new(owned, covers != NULL ? covers : json_null());
  return (struct match_submission_facts){
      .child_profile = profile,
      .carer = carer,
      .has_matching_report = strcmp(PQgetvalue(res, 0, 8), "t") == 0,
      .has_household_review = strcmp(PQgetvalue(res, 0, 9), "t") == 0,
      .has_support_plan = !PQgetisnull(res, 0, 10),
      .support_plan_covers = covers,
  };
}

/* M4 then M11 on the locked match; answers 422 and returns false when either refuses. */
static bool ready_for_panel(struct request *r, const PGresult *facts) {
  json_t *owned = json_array();
  struct match_submission_facts f = submission_facts(facts, owned);
  json_t *missing = json_array();
  bool ready = match_submission_check(&f, missing);
  json_decref(owned);
  if (!ready) {
    respond_rule(r, 422, "M4", "A match goes to panel only with all of these complete.", missing);
    return false;
  }
  json_decref(missing);
  bool agency_carer = strcmp(PQgetvalue(facts, 0, 6), "t") == 0;
  bool discussed = strcmp(PQgetvalue(facts, 0, 7), "t") == 0;
  if (match_needs_fee_discussion(agency_carer, discussed)) {
    respond_rule(r, 422, "M11",
                 "The fee discussion with the carer's agency is recorded before panel.",
                 json_pack("[s]", "fee_discussion"));
    return false;
  }
  return true;
}

/* Inserts the item, moves the match to `submitted`, tells, audits and answers 201. */
static void list_on_panel(struct request *r, const char *match_id, const char *panel_id,
                          const struct panel_facts *panel, const PGresult *facts) {
  const char *insert[] = {panel_id, "2", "match", match_id, PQgetvalue(facts, 0, 2),
                          PQgetvalue(facts, 0, 3), NULL, NULL, r->caller.sub, NULL};
  PGresult *item = request_query(r, &ITEM_INSERT, 10, insert);
  if (item == NULL) {
    return;
  }
  const char *item_id = PQgetvalue(item, 0, 1);
  const char *moved[] = {match_id, "submitted", item_id};
  PGresult *match = request_query(r, &MATCH_SET_STATUS, 3, moved);
  json_t *payload = json_pack("{s:s, s:s}", "panel_id", panel_id, "item_id", item_id);
  char *payload_text = json_dumps(payload, JSON_COMPACT);
  const char *event[] = {"match.submitted", "match", match_id, NULL, payload_text};
  PGresult *told = match != NULL ? request_query(r, &EVENT_INSERT, 5, event) : NULL;
  json_t *changes = json_pack("{s:{s:s}, s:{s:s, s:s, s:s}}", "before", "status", "proposed",
                              "after", "status", "submitted", "panel_id", panel_id,
                              "panel_item_id", item_id);
  json_t *answer = told != NULL ? panel_item_with_m5(r, PQgetvalue(item, 0, 0), panel->date)
                                 : NULL;
  if (answer != NULL && audit_write(r, "match", match_id, 201, changes) && request_commit(r)) {
    panel_item_created(r, panel_id, item_id, PQgetvalue(item, 0, 2), answer);
  }
  json_decref(answer);
  json_decref(changes);
  free(payload_text);
  json_decref(payload);
  PQclear(told);
  PQclear(match);
  PQclear(item);
}

void submission_list_match(struct request *r, const char *match_id, const char *panel_id,
                           const struct panel_facts *panel) {
  const char *refusal = hearing_part_refusal(panel->kind, panel->part, true);
  if (refusal != NULL) {
    respond_rule(r, 422, "P5", refusal, NULL);
    return;
  }
  const char *params[] = {match_id};
  PGresult *facts = request_query(r, &SUBMISSION_FACTS, 1, params);
  if (facts == NULL) {
    return;
  }
  if (PQntuples(facts) == 0) {
    json_t *errors = json_array();
    validation_error(errors, "match_id", "no such match");
    respond_invalid(r, errors);
  } else if (strcmp(PQgetvalue(facts, 0, 0), "proposed") != 0) {
    respond_problem(r, 409, "conflict", "Only a match with a proposed carer goes to panel.");
  } else if (ready_for_panel(r, facts)) {
    list_on_panel(r, match_id, panel_id, panel, facts);
  }
  PQclear(facts);
}

/* /submit {panel_id}: the panel must exist (422 otherwise: it is a field of the body). */
static void write_submit(struct request *r, const char *id, const char *status,
                         const json_t *body) {
  (void)status;
  const char *panel_id = schema_string(body, "panel_id");
  struct panel_facts panel;
  if (!panel_facts_load(r, panel_id, &panel)) {
    return;
  }
  if (!panel.found) {
    json_t *errors = json_array();
    validation_error(errors, "panel_id", "no such panel");
    respond_invalid(r, errors);
    return;
  }
  submission_list_match(r, id, panel_id, &panel);
}

/* The fee discussion has happened: it is not dated in the future. */
static void check_fee_discussion(const json_t *body, struct date today, json_t *errors) {
  struct date held;
  if (date_parse(schema_string(body, "held_on"), &held) && date_compare(held, today) > 0) {
    validation_error(errors, "held_on", "must not be in the future");
  }
}

/* M11: the fee discussion with the carer's agency, once a carer is proposed. */
static void write_fee_discussion(struct request *r, const char *id, const char *status,
                                 const json_t *body) {
  if (strcmp(status, "proposed") != 0 && strcmp(status, "submitted") != 0 &&
      strcmp(status, "recommended") != 0) {
    respond_problem(r, 409, "conflict",
                    "The fee discussion is recorded for a proposed match not yet decided.");
    return;
  }
  const char *params[] = {id};
  PGresult *agency = request_query(r, &MATCH_CARER_AGENCY, 1, params);
  if (agency == NULL) {
    return;
  }
  bool agency_carer = PQntuples(agency) == 1 && !PQgetisnull(agency, 0, 0);
  PQclear(agency);
  if (!agency_carer) {
    respond_rule(r, 422, "M11", "The carer is not an agency's carer: there is no fee to discuss.",
                 NULL);
    return;
  }
  char *discussion = json_dumps(body, JSON_COMPACT);
  if (discussion == NULL) {
    respond_problem(r, 500, "internal", "The fee discussion could not be written.");
    return;
  }
  const char *update[] = {id, discussion, r->caller.sub};
  match_answer_change(r, id, status, body, request_query(r, &MATCH_FEE_DISCUSSION, 3, update));
  free(discussion);
}

static const struct field_spec SUBMIT_FIELDS[] = {
    {.name = "panel_id", .type = FIELD_UUID, .required = true}};
static const struct schema SUBMIT_BODY = {SUBMIT_FIELDS, 1};
static const struct field_spec FEE_FIELDS[] = {
    {.name = "held_on", .type = FIELD_DATE, .required = true},
    {.name = "agency_contact", .type = FIELD_STRING, .required = true, .max_length = 200},
    {.name = "notes", .type = FIELD_STRING, .max_length = 10000},
};
static const struct schema FEE_BODY = {FEE_FIELDS, 3};

static const struct match_step SUBMIT = {&SUBMIT_BODY, true, NULL, write_submit};
static const struct match_step FEE_DISCUSSION = {&FEE_BODY, true, check_fee_discussion,
                                                 write_fee_discussion};

void matches_submit(struct request *r) {
  match_take_step(r, &SUBMIT);
}

void matches_record_fee_discussion(struct request *r) {
  match_take_step(r, &FEE_DISCUSSION);
}
