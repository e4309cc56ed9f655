/* /v1/panels: matching and permanence panels (P5). The panel administrator schedules them and
 * seats their members; attendance on the day decides M8's quorum, which GET shows with its
 * reasons, and whether a panel is the last of its calendar month (M9). Members read the panels
 * they sit on; the panel administrator and the decision maker read every panel. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/panels.h"
#include "../db/settings.h"
#include "../domain/panels.h"
#include "../domain/schema.h"
#include "audit_trail.h"
#include "handlers.h"
#include "pagination.h"
#include "panel_facts.h"
#include "records.h"

static const char *const PANEL_KINDS[] = {"matching", "permanence", NULL};

static bool require_panel_admin(struct request *r) {
  if (!role_set_has(r->caller.roles, ROLE_PANEL_ADMIN)) {
    respond_problem(r, 403, "forbidden", "Panels are arranged by the panel administrator.");
    return false;
  }
  return true;
}

/* M7a: the panel's decision maker is a person with the adm role; appends an error otherwise.
 * Returns false after answering when the database failed. */
static bool is_decision_maker(struct request *r, const char *person, json_t *errors) {
  const char *params[] = {person};
  PGresult *res = request_query(r, &PERSON_IS_ADM, 1, params);
  if (res == NULL) {
    return false;
  }
  if (PQntuples(res) == 0) {
    validation_error(errors, "decision_maker_id", "no such person with the adm role");
  }
  PQclear(res);
  return true;
}

void panels_create(struct request *r) {
  if (!require_panel_admin(r)) {
    return;
  }
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return;
  }
  const struct field_spec fields[] = {
      {.name = "date", .type = FIELD_DATE, .required = true},
      {.name = "kind", .type = FIELD_ENUM, .required = true, .choices = PANEL_KINDS},
      {.name = "part", .type = FIELD_INT, .min = 1, .max = 2},
      {.name = "decision_maker_id", .type = FIELD_STRING, .max_length = 128},
  };
  const struct schema shape = {fields, 4};
  json_t *errors = json_array();
  schema_validate(&shape, body, "", errors);
  char part[4] = "";
  if (json_is_integer(json_object_get(body, "part"))) {
    snprintf(part, sizeof part, "%d", (int)json_integer_value(json_object_get(body, "part")));
  }
  const char *decision_maker = schema_string(body, "decision_maker_id");
  const char *params[] = {schema_string(body, "date"), schema_string(body, "kind"),
                          part[0] != '\0' ? part : NULL, r->caller.sub, decision_maker};
  PGresult *res = NULL;
  if (decision_maker != NULL && !is_decision_maker(r, decision_maker, errors)) {
    /* answered: the database failed */
  } else if (json_array_size(errors) > 0) {
    respond_invalid(r, json_incref(errors));
  } else if (request_begin(r) && (res = request_query(r, &PANEL_INSERT, 5, params)) != NULL) {
    json_t *changes = json_pack("{s:{}, s:O}", "before", "after", body);
    if (audit_write(r, "panel", PQgetvalue(res, 0, 1), 201, changes) && request_commit(r)) {
      char location[80];
      snprintf(location, sizeof location, "/v1/panels/%s", PQgetvalue(res, 0, 1));
      respond_created(r, location, PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 0));
    }
    json_decref(changes);
  }
  PQclear(res);
  json_decref(errors);
  json_decref(body);
}

void panels_get(struct request *r) {
  char id[64];
  /* record_target refuses 403 when nothing grants access: here a role that reads panels */
  relationship_set reach = panel_reader_of_every_panel(r->caller.roles) || panel_reader_where_seated(r->caller.roles);
  if (!record_target(r, reach, "Your roles do not give access to panels.", id)) {
    return;
  }
  const char *params[] = {id, r->caller.sub};
  PGresult *res = request_query(r, &PANEL_GET, 2, params);
  if (res == NULL) {
    return;
  }
  bool visible = PQntuples(res) == 1 && (panel_reader_of_every_panel(r->caller.roles) ||
                                         strcmp(PQgetvalue(res, 0, 2), "t") == 0);
  json_t *panel = visible ? json_loads(PQgetvalue(res, 0, 0), 0, NULL) : NULL;
  json_t *quorum = panel != NULL ? panel_quorum_of(r, id) : NULL;
  if (!visible) {
    respond_problem(r, 404, "not-found", "There is no such panel you sit on.");
  } else if (panel != NULL && quorum != NULL) {
    json_object_set(panel, "quorum", quorum);
    set_etag(r, PQgetvalue(res, 0, 1));
    respond_json(r, 200, json_incref(panel));
  }
  json_decref(quorum);
  json_decref(panel);
  PQclear(res);
}

void panels_list(struct request *r) {
  if (!panel_reader_of_every_panel(r->caller.roles) && !panel_reader_where_seated(r->caller.roles)) {
    respond_problem(r, 403, "forbidden", "Your roles do not give access to panels.");
    return;
  }
  struct page page;
  struct date d;
  const char *from = query_param(r, "from");
  const char *to = query_param(r, "to");
  if ((from != NULL && !date_parse(from, &d)) || (to != NULL && !date_parse(to, &d))) {
    respond_problem(r, 400, "bad-request", "from and to must be dates YYYY-MM-DD.");
    return;
  }
  if (!page_read(r, PAGE_KEY_UUID, &page)) {
    return;
  }
  const char *params[] = {r->caller.sub, panel_reader_of_every_panel(r->caller.roles) ? "true" : "false",
                          from, to, page_after_param(&page), page.limit};
  PGresult *res = request_query(r, &PANEL_LIST, 6, params);
  if (res != NULL) {
    page_respond_result(r, res);
  }
  PQclear(res);
}

/* Answers 404 and returns false when there is no such panel. */
static bool panel_exists(struct request *r, const char *id) {
  const char *params[] = {id, r->caller.sub};
  PGresult *res = request_query(r, &PANEL_GET, 2, params);
  if (res == NULL) {
    return false;
  }
  bool exists = PQntuples(res) == 1;
  PQclear(res);
  if (!exists) {
    respond_problem(r, 404, "not-found", "There is no such panel.");
  }
  return exists;
}

void panels_add_member(struct request *r) {
  char id[64];
  if (!record_target(r, role_set_has(r->caller.roles, ROLE_PANEL_ADMIN),
                     "Panels are arranged by the panel administrator.", id)) {
    return;
  }
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return;
  }
  const struct field_spec fields[] = {
      {.name = "person_id", .type = FIELD_STRING, .required = true, .max_length = 128},
      {.name = "seat", .type = FIELD_ENUM, .required = true, .choices = panel_seats()},
  };
  const struct schema shape = {fields, 2};
  json_t *errors = json_array();
  schema_validate(&shape, body, "", errors);
  const char *params[] = {id, schema_string(body, "person_id"), schema_string(body, "seat")};
  PGresult *res = NULL;
  if (json_array_size(errors) > 0) {
    respond_invalid(r, json_incref(errors));
  } else if (request_begin(r) && panel_exists(r, id) &&
             (res = request_query(r, &PANEL_MEMBER_INSERT, 3, params)) != NULL) {
    json_t *changes = json_pack("{s:{}, s:O}", "before", "after", body);
    if (audit_write(r, "panel", id, 201, changes) && request_commit(r)) {
      char location[80];
      snprintf(location, sizeof location, "/v1/panels/%s", id);
      set_header(r, "Location", location);
      respond_json(r, 201, json_pack("{s:s, s:O, s:O, s:n}", "panel_id", id, "person_id",
                                     json_object_get(body, "person_id"), "seat",
                                     json_object_get(body, "seat"), "attended"));
    }
    json_decref(changes);
  }
  PQclear(res);
  json_decref(errors);
  json_decref(body);
}

void panels_record_attendance(struct request *r) {
  char id[64];
  bool may = role_set_has(r->caller.roles, ROLE_PANEL_ADMIN) ||
             role_set_has(r->caller.roles, ROLE_CHAIR);
  if (!record_target(r, may, "Attendance is recorded by the panel administrator or the chair.",
                     id)) {
    return;
  }
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return;
  }
  const struct field_spec fields[] = {
      {.name = "person_id", .type = FIELD_STRING, .required = true, .max_length = 128},
      {.name = "attended", .type = FIELD_BOOL, .required = true},
  };
  const struct schema shape = {fields, 2};
  json_t *errors = json_array();
  schema_validate(&shape, body, "", errors);
  const char *params[] = {id, schema_string(body, "person_id"),
                          json_is_true(json_object_get(body, "attended")) ? "true" : "false"};
  PGresult *res = NULL;
  struct panel_facts panel;
  if (json_array_size(errors) > 0) {
    respond_invalid(r, json_incref(errors));
  } else if (!request_begin(r) || !panel_facts_load(r, id, &panel)) {
    /* answered */
  } else if (!panel.found || (!role_set_has(r->caller.roles, ROLE_PANEL_ADMIN) &&
                              !panel_chaired_by_caller(r, &panel))) {
    /* POLICY.md "Roles": a chair opens the panel they chair, and reads only the panels they
     * sit on; another panel is not theirs. */
    respond_problem(r, 404, "not-found", "There is no such panel you chair.");
  } else if ((res = request_query(r, &PANEL_ATTENDANCE, 3, params)) != NULL) {
    if (PQntuples(res) == 0) {
      respond_problem(r, 404, "not-found", "That person does not sit on this panel.");
    } else {
      json_t *changes = json_pack("{s:{}, s:O}", "before", "after", body);
      json_t *quorum = NULL;
      if (audit_write(r, "panel", id, 200, changes) && (quorum = panel_quorum_of(r, id)) != NULL &&
          request_commit(r)) {
        respond_json(r, 200, json_incref(quorum));
      }
      json_decref(quorum);
      json_decref(changes);
    }
  }
  PQclear(res);
  json_decref(errors);
  json_decref(body);
}
