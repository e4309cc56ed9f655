/* GET /v1/reports/panel?from=&to= (P6): the panel's work in a period. Panels held (a member's
 * attendance recorded) and quorate (M8, domain/panels.c on the recorded attendance); matches
 * heard (listed at a panel of the period and recommended or deferred there), recommended and
 * agreed; days from family finding (started_on) to the recommending panel and from that panel to
 * the decision (median, longest); decisions within M7a (adm_decision_working_days working days
 * after the panel that recommended) and circulations within M7 (adm_decision_circulated_working_days
 * after it); premature endings in the period of placements of an agreed match's child with its
 * carer, with the learning of their unplanned-ending meeting. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/reports.h"
#include "../domain/calendar.h"
#include "../domain/panels.h"
#include "../domain/reports.h"
#include "../domain/settings.h"
#include "handlers.h"
#include "report_output.h"

/* Whether the panel of `seats` ("seat:t,seat:f,...") is quorate with `core_needed`. */
static bool quorate(const char *seats, int core_needed) {
  struct panel_seat list[64];
  char copy[4096];
  size_t n = 0;
  snprintf(copy, sizeof copy, "%s", seats);
  char *save = NULL;
  for (char *tok = strtok_r(copy, ",", &save); tok != NULL && n < 64;
       tok = strtok_r(NULL, ",", &save)) {
    char *colon = strrchr(tok, ':');
    if (colon == NULL) {
      continue;
    }
    *colon = '\0';
    list[n++] = (struct panel_seat){tok, colon[1] == 't'};
  }
  json_t *quorum = panel_quorum(list, n, core_needed);
  bool yes = json_is_true(json_object_get(quorum, "quorate"));
  json_decref(quorum);
  return yes;
}

static json_t *spread_json(long *values, size_t n) {
  double median;
  if (!report_median(values, n, &median)) {
    return json_pack("{s:i, s:n, s:n}", "count", 0, "median", "longest");
  }
  return json_pack("{s:i, s:f, s:I}", "count", (int)n, "median", median, "longest",
                   (json_int_t)report_longest(values, n));
}

struct panel_work {
  int held, quorate, heard, recommended, agreed, decided, decided_in_time, circulated,
      circulated_in_time;
  long *to_panel, *to_decision;
  size_t n_to_panel, n_to_decision;
};

static void count_matches(const PGresult *res, const struct calendar *cal, const json_t *settings,
                          struct panel_work *w) {
  int decide_days = (int)setting_value(settings, "adm_decision_working_days");
  int circulate_days = (int)setting_value(settings, "adm_decision_circulated_working_days");
  const char *last_match = "";
  for (int i = 0; i < PQntuples(res); i++) {
    if (strcmp(last_match, PQgetvalue(res, i, 0)) != 0) {
      w->heard++; /* rows come by match then panel date: count each match once */
    }
    last_match = PQgetvalue(res, i, 0);
    if (strcmp(PQgetvalue(res, i, 4), "recommended") != 0) {
      continue;
    }
    struct date panel;
    struct date started;
    struct date day;
    date_parse(PQgetvalue(res, i, 2), &panel);
    date_parse(PQgetvalue(res, i, 3), &started);
    w->recommended++;
    w->agreed += strcmp(PQgetvalue(res, i, 5), "t") == 0;
    w->to_panel[w->n_to_panel++] = date_days_between(started, panel);
    if (!PQgetisnull(res, i, 6) && date_parse(PQgetvalue(res, i, 6), &day)) {
      w->decided++;
      w->to_decision[w->n_to_decision++] = date_days_between(panel, day);
      w->decided_in_time += calendar_working_days_between(cal, panel, day) <= decide_days;
    }
    if (!PQgetisnull(res, i, 7) && date_parse(PQgetvalue(res, i, 7), &day)) {
      w->circulated++;
      w->circulated_in_time += calendar_working_days_between(cal, panel, day) <= circulate_days;
    }
  }
}

static json_t *premature_json(const PGresult *res, bool lists, json_t *ids) {
  json_t *endings = json_array();
  int with_learning = 0;
  for (int i = 0; i < PQntuples(res); i++) {
    with_learning += !PQgetisnull(res, i, 6);
    if (lists) {
      json_array_append_new(
          endings, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s?}", "placement_id",
                             PQgetvalue(res, i, 0), "child_id", PQgetvalue(res, i, 1), "name",
                             PQgetvalue(res, i, 2), "end_date", PQgetvalue(res, i, 3), "reason",
                             PQgetvalue(res, i, 4), "match_kind", PQgetvalue(res, i, 5),
                             "learning", PQgetisnull(res, i, 6) ? NULL : PQgetvalue(res, i, 6)));
      json_array_append_new(ids, json_string(PQgetvalue(res, i, 1)));
    }
  }
  json_t *out = json_pack("{s:i, s:i}", "count", PQntuples(res), "with_learning", with_learning);
  if (lists) {
    json_object_set_new(out, "endings", endings);
  } else {
    json_decref(endings);
  }
  return out;
}

static json_t *panel_report_json(const char *from, const char *to,
                                 const struct report_scope *scope, struct panel_work *w,
                                 json_t *premature) {
  return json_pack(
      "{s:s, s:s, s:s, s:o, s:{s:i, s:i}, s:{s:i, s:i, s:i}, s:o, s:o, s:{s:i, s:i}, "
      "s:{s:i, s:i}, s:o}",
      "rule", "P6", "from", from, "to", to, "scope", report_scope_json(scope), "panels", "held",
      w->held, "quorate", w->quorate, "matches", "heard", w->heard, "recommended",
      w->recommended, "agreed", w->agreed, "days_family_finding_to_panel",
      spread_json(w->to_panel, w->n_to_panel), "days_panel_to_decision",
      spread_json(w->to_decision, w->n_to_decision), "decisions", "decided", w->decided,
      "within_m7a", w->decided_in_time, "circulations", "circulated", w->circulated,
      "within_m7", w->circulated_in_time, "premature_endings", premature);
}

static void csv_pair(struct report_csv *csv, const char *measure, const json_t *value) {
  char text[48] = "";
  if (json_is_integer(value)) {
    snprintf(text, sizeof text, "%lld", (long long)json_integer_value(value));
  } else if (json_is_real(value)) {
    snprintf(text, sizeof text, "%.1f", json_real_value(value));
  }
  const char *row[] = {"figure", measure, text};
  report_csv_row(csv, 3, row);
}

static void write_panel_csv(struct report_csv *csv, const json_t *report) {
  const char *header[] = {"row", "measure", "value", "placement_id", "child_id", "name",
                          "end_date", "reason", "match_kind", "learning"};
  report_csv_row(csv, 10, header);
  static const char *const GROUPS[] = {"panels", "matches", "days_family_finding_to_panel",
                                       "days_panel_to_decision", "decisions", "circulations",
                                       "premature_endings"};
  for (size_t g = 0; g < 7; g++) {
    const char *key;
    json_t *value;
    json_object_foreach(json_object_get(report, GROUPS[g]), key, value) {
      if (json_is_array(value)) {
        continue;
      }
      char measure[96];
      snprintf(measure, sizeof measure, "%s.%s", GROUPS[g], key);
      csv_pair(csv, measure, value);
    }
  }
  size_t i;
  json_t *e;
  json_array_foreach(json_object_get(json_object_get(report, "premature_endings"), "endings"), i,
                     e) {
    static const char *const FIELDS[] = {"placement_id", "child_id", "name", "end_date",
                                         "reason", "match_kind", "learning"};
    const char *row[10] = {"premature_ending", "", ""};
    for (size_t f = 0; f < 7; f++) {
      row[3 + f] = json_string_value(json_object_get(e, FIELDS[f]));
    }
    report_csv_row(csv, 10, row);
  }
}

void reports_panel(struct request *r) {
  struct report_scope scope;
  char from[11];
  char to[11];
  struct date first;
  struct date last;
  if (!report_scope_of(r, REPORT_PANEL, &scope) || !report_period(r, from, to, &first, &last)) {
    return;
  }
  const json_t *settings = request_settings(r);
  const struct calendar *cal = request_calendar(r);
  const char *params[] = {from, to};
  PGresult *panels = settings != NULL && cal != NULL ? request_query(r, &REPORT_PANELS, 2, params)
                                                     : NULL;
  PGresult *matches = panels != NULL ? request_query(r, &REPORT_PANEL_MATCHES, 2, params) : NULL;
  PGresult *endings = matches != NULL ? request_query(r, &REPORT_PREMATURE_ENDINGS, 2, params)
                                      : NULL;
  if (endings == NULL) {
    PQclear(panels);
    PQclear(matches);
    return;
  }
  struct panel_work w = {0};
  size_t rows = (size_t)PQntuples(matches) + 1;
  w.to_panel = calloc(rows, sizeof *w.to_panel);
  w.to_decision = calloc(rows, sizeof *w.to_decision);
  json_t *ids = json_array();
  json_t *report = NULL;
  if (w.to_panel != NULL && w.to_decision != NULL) {
    int core_needed = (int)setting_value(settings, "quorum_core_members");
    for (int i = 0; i < PQntuples(panels); i++) {
      w.held++;
      w.quorate += quorate(PQgetvalue(panels, i, 3), core_needed);
    }
    count_matches(matches, cal, settings, &w);
    report = panel_report_json(from, to, &scope, &w, premature_json(endings, scope.lists, ids));
  }
  free(w.to_panel);
  free(w.to_decision);
  PQclear(panels);
  PQclear(matches);
  PQclear(endings);
  if (report == NULL) {
    json_decref(ids);
    respond_problem(r, 500, "internal", "The report could not be built.");
    return;
  }
  if (scope.lists && json_array_size(ids) > 0) {
    if (!report_audit_children(r, ids)) {
      json_decref(report);
      return;
    }
  } else {
    json_decref(ids);
  }
  report_respond(r, report, write_panel_csv);
}
