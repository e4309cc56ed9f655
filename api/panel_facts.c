#include "panel_facts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/panel_items.h"
#include "../db/panels.h"
#include "../domain/hearing.h"
#include "../domain/panels.h"
#include "../domain/roles.h"
#include "../domain/settings.h"

bool panel_facts_load(struct request *r, const char *id, struct panel_facts *facts) {
  memset(facts, 0, sizeof *facts);
  const char *params[] = {id, r->caller.sub};
  PGresult *res = request_query(r, &PANEL_FACTS, 2, params);
  if (res == NULL) {
    return false;
  }
  if (PQntuples(res) == 1) {
    facts->found = true;
    snprintf(facts->kind, sizeof facts->kind, "%s", PQgetvalue(res, 0, 0));
    facts->part = atoi(PQgetvalue(res, 0, 1));
    date_parse(PQgetvalue(res, 0, 2), &facts->date);
    snprintf(facts->created_by, sizeof facts->created_by, "%s", PQgetvalue(res, 0, 3));
    snprintf(facts->decision_maker_id, sizeof facts->decision_maker_id, "%s",
             PQgetvalue(res, 0, 4));
    facts->last_of_month = strcmp(PQgetvalue(res, 0, 5), "t") == 0;
    snprintf(facts->seat, sizeof facts->seat, "%s", PQgetvalue(res, 0, 6));
  }
  PQclear(res);
  return true;
}

bool panel_begin_change(struct request *r, const struct schema *shape, const json_t *body,
                        json_t *errors, const char *panel_id, struct panel_facts *panel) {
  schema_validate(shape, body, "", errors);
  if (json_array_size(errors) > 0) {
    respond_invalid(r, json_incref(errors));
    return false;
  }
  if (!request_begin(r) || !panel_facts_load(r, panel_id, panel)) {
    return false;
  }
  if (!panel->found) {
    respond_problem(r, 404, "not-found", "There is no such panel.");
    return false;
  }
  return true;
}

bool panel_chaired_by_caller(const struct request *r, const struct panel_facts *facts) {
  return role_set_has(r->caller.roles, ROLE_CHAIR) &&
         (strcmp(facts->seat, "chair") == 0 || strcmp(facts->seat, "deputy_chair") == 0);
}

bool panel_readable_by_caller(const struct request *r, const struct panel_facts *facts) {
  return panel_reader_of_every_panel(r->caller.roles) ||
         (panel_reader_where_seated(r->caller.roles) && facts->seat[0] != '\0');
}

/* Adds the M5 members to one item. */
static void add_m5(json_t *item, const struct calendar *calendar, struct date panel_date,
                   int working_days) {
  const char *circulated = json_string_value(json_object_get(item, "papers_circulated_at"));
  time_t at;
  if (circulated == NULL || !date_from_time_string(circulated, &at)) {
    json_object_set_new(item, "papers_on_time", json_null());
    json_object_set_new(item, "may_be_heard", json_false());
    return;
  }
  bool on_time = hearing_papers_on_time(calendar, london_date(at), panel_date, working_days);
  bool late_accepted = json_is_object(json_object_get(item, "late_papers"));
  json_object_set_new(item, "papers_on_time", json_boolean(on_time));
  json_object_set_new(item, "may_be_heard", json_boolean(on_time || late_accepted));
}

bool panel_items_with_m5(struct request *r, json_t *items, struct date panel_date) {
  const struct calendar *calendar = request_calendar(r);
  if (calendar == NULL) {
    return false;
  }
  int working_days = (int)setting_value(request_settings(r), "panel_papers_working_days");
  size_t i;
  json_t *item;
  json_array_foreach(items, i, item) {
    add_m5(item, calendar, panel_date, working_days);
  }
  return true;
}

json_t *panel_item_with_m5(struct request *r, const char *item_json, struct date panel_date) {
  json_t *items = json_pack("[o]", json_loads(item_json, 0, NULL));
  json_t *item = NULL;
  if (items != NULL && panel_items_with_m5(r, items, panel_date)) {
    item = json_incref(json_array_get(items, 0));
  }
  json_decref(items);
  return item;
}

json_t *panel_quorum_of(struct request *r, const char *panel_id) {
  const char *params[] = {panel_id};
  PGresult *res = request_query(r, &PANEL_SEATS, 1, params);
  if (res == NULL) {
    return NULL;
  }
  int n = PQntuples(res);
  struct panel_seat *seats = calloc((size_t)n + 1, sizeof *seats);
  for (int i = 0; seats != NULL && i < n; i++) {
    seats[i].seat = PQgetvalue(res, i, 0);
    seats[i].attended = strcmp(PQgetvalue(res, i, 1), "t") == 0;
  }
  int core_needed = (int)setting_value(request_settings(r), "quorum_core_members");
  json_t *quorum = seats != NULL ? panel_quorum(seats, (size_t)n, core_needed) : NULL;
  free(seats);
  PQclear(res);
  return quorum;
}

int panel_papers_on_time(struct request *r, time_t circulated_at, struct date panel_date) {
  const struct calendar *calendar = request_calendar(r);
  if (calendar == NULL) {
    return -1;
  }
  int working_days = (int)setting_value(request_settings(r), "panel_papers_working_days");
  return hearing_papers_on_time(calendar, london_date(circulated_at), panel_date, working_days)
             ? 1
             : 0;
}

void panel_item_created(struct request *r, const char *panel_id, const char *item_id,
                        const char *version, const json_t *item) {
  char location[128];
  snprintf(location, sizeof location, "/v1/panels/%s/items/%s", panel_id, item_id);
  char *text = json_dumps(item, JSON_COMPACT);
  if (text == NULL) {
    respond_problem(r, 500, "internal", "The item could not be written.");
    return;
  }
  respond_created(r, location, version, text);
  free(text);
}
