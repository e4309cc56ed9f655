/* GET /v1/reports/breakdowns (U3) and /v1/reports/compliance: JSON, or CSV with Accept: text/csv.
 * Scopes and roles: report_output.h. E1: report_stability.c; P6: report_panel.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/reports.h"
#include "../domain/reports.h"
#include "../domain/settings.h"
#include "handlers.h"
#include "report_output.h"

/* A member's value as CSV text: a string as it is, a number in digits, a boolean as a word. */
static const char *json_text(const json_t *v, char *buf, size_t size) {
  if (json_is_string(v)) {
    return json_string_value(v);
  }
  if (json_is_integer(v)) {
    snprintf(buf, size, "%lld", (long long)json_integer_value(v));
    return buf;
  }
  if (json_is_boolean(v)) {
    return json_is_true(v) ? "true" : "false";
  }
  return "";
}

/* ---- U3 ---- */

static const char *const ENDING_MEETINGS[] = {"held_in_window", "waived", "neither", NULL};
static const char *const PROVIDERS[] = {"in_house", "ifa", "not_registered", NULL};
static const char *const YES_NO[] = {"yes", "no", NULL};

struct breakdown {
  json_t *reason, *type, *age, *provider, *stability, *meeting;
  json_t *endings;
};

static json_t *ending_json(const PGresult *res, int i, struct breakdown *b) {
  struct date end;
  struct date born;
  date_parse(PQgetvalue(res, i, 3), &end);
  date_parse(PQgetvalue(res, i, 6), &born);
  const char *band = report_age_band(date_age_on(born, end));
  bool stability = strcmp(PQgetvalue(res, i, 8), "t") == 0;
  const char *meeting = report_ending_meeting(strcmp(PQgetvalue(res, i, 9), "t") == 0,
                                              strcmp(PQgetvalue(res, i, 10), "t") == 0);
  report_tally_add(b->reason, PQgetvalue(res, i, 4));
  report_tally_add(b->type, PQgetvalue(res, i, 5));
  report_tally_add(b->age, band);
  report_tally_add(b->provider, PQgetvalue(res, i, 7));
  report_tally_add(b->stability, stability ? "yes" : "no");
  report_tally_add(b->meeting, meeting);
  return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s}", "placement_id",
                   PQgetvalue(res, i, 0), "child_id", PQgetvalue(res, i, 1), "name",
                   PQgetvalue(res, i, 2), "end_date", PQgetvalue(res, i, 3), "reason",
                   PQgetvalue(res, i, 4), "placement_type", PQgetvalue(res, i, 5), "age_band",
                   band, "provider", PQgetvalue(res, i, 7), "stability_meeting_before",
                   stability, "unplanned_ending_meeting", meeting);
}

static void breakdowns_csv_dimension(struct report_csv *csv, const char *name, const json_t *list) {
  size_t i;
  json_t *entry;
  json_array_foreach(list, i, entry) {
    char count[24];
    snprintf(count, sizeof count, "%lld",
             (long long)json_integer_value(json_object_get(entry, "count")));
    const char *row[] = {name, json_string_value(json_object_get(entry, "key")), count};
    report_csv_row(csv, 3, row);
  }
}

static void write_breakdowns_csv(struct report_csv *csv, const json_t *report) {
  static const char *const FIELDS[] = {"placement_id", "child_id", "name", "end_date", "reason",
                                       "placement_type", "age_band", "provider",
                                       "stability_meeting_before", "unplanned_ending_meeting"};
  const char *header[13] = {"dimension", "key", "count"};
  memcpy(header + 3, FIELDS, sizeof FIELDS);
  report_csv_row(csv, 13, header);
  char total[24];
  snprintf(total, sizeof total, "%lld",
           (long long)json_integer_value(json_object_get(report, "total")));
  const char *all[] = {"total", "all", total};
  report_csv_row(csv, 3, all);
  static const char *const DIMENSIONS[] = {"by_reason", "by_placement_type", "by_age_band",
                                           "by_provider", "stability_meeting_before",
                                           "unplanned_ending_meeting"};
  for (size_t d = 0; d < 6; d++) {
    breakdowns_csv_dimension(csv, DIMENSIONS[d], json_object_get(report, DIMENSIONS[d]));
  }
  size_t i;
  json_t *ending;
  json_array_foreach(json_object_get(report, "endings"), i, ending) {
    const char *row[13] = {"ending"};
    char b[24];
    for (size_t f = 0; f < 10; f++) {
      row[3 + f] = json_text(json_object_get(ending, FIELDS[f]), b, sizeof b);
      if (json_is_boolean(json_object_get(ending, FIELDS[f]))) {
        row[3 + f] = json_is_true(json_object_get(ending, FIELDS[f])) ? "yes" : "no";
      }
    }
    report_csv_row(csv, 13, row);
  }
}

void reports_breakdowns(struct request *r) {
  struct report_scope scope;
  if (!report_scope_of(r, REPORT_CHILDREN, &scope)) {
    return;
  }
  const char *month = query_param(r, "month");
  char first[11];
  struct date day;
  if (month == NULL || strlen(month) != 7 ||
      snprintf(first, sizeof first, "%s-01", month) != 10 || !date_parse(first, &day)) {
    respond_problem(r, 400, "bad-request", "month must be a calendar month (YYYY-MM).");
    return;
  }
  const json_t *settings = request_settings(r);
  if (settings == NULL) {
    return;
  }
  char weeks[16];
  snprintf(weeks, sizeof weeks, "%ld", setting_value(settings, "waiver_stability_lookback_weeks"));
  const char *params[] = {report_scope_team(&scope), first, weeks};
  PGresult *res = report_query(r, &REPORT_BREAKDOWNS, 3, params);
  if (res == NULL) {
    return;
  }
  struct breakdown b = {json_object(), json_object(), json_object(), json_object(),
                        json_object(), json_object(), json_array()};
  json_t *ids = json_array();
  for (int i = 0; i < PQntuples(res); i++) {
    json_array_append_new(b.endings, ending_json(res, i, &b));
    json_array_append_new(ids, json_string(PQgetvalue(res, i, 1)));
  }
  json_t *report = json_pack(
      "{s:s, s:s, s:o, s:i, s:o, s:o, s:o, s:o, s:o, s:o}", "rule", "U3", "month", month, "scope",
      report_scope_json(&scope), "total", PQntuples(res), "by_reason",
      report_tally_list(b.reason, NULL), "by_placement_type", report_tally_list(b.type, NULL),
      "by_age_band", report_tally_list(b.age, report_age_bands()), "by_provider",
      report_tally_list(b.provider, PROVIDERS), "stability_meeting_before",
      report_tally_list(b.stability, YES_NO), "unplanned_ending_meeting",
      report_tally_list(b.meeting, ENDING_MEETINGS));
  PQclear(res);
  json_decref(b.reason);
  json_decref(b.type);
  json_decref(b.age);
  json_decref(b.provider);
  json_decref(b.stability);
  json_decref(b.meeting);
  if (scope.lists) {
    json_object_set_new(report, "endings", b.endings);
    if (!report_audit_children(r, ids)) {
      json_decref(report);
      return;
    }
  } else {
    json_decref(b.endings);
    json_decref(ids);
  }
  report_respond(r, report, write_breakdowns_csv);
}

/* ---- compliance ---- */

static const char *const COUNTS[] = {"due", "done_in_time", "done_late", "open",
                                     "open_overdue", "cancelled"};

static json_t *counts_json(const PGresult *res, int row, json_t *into) {
  for (int c = 0; c < 6; c++) {
    json_int_t before = json_integer_value(json_object_get(into, COUNTS[c]));
    json_object_set_new(into, COUNTS[c], json_integer(before + atol(PQgetvalue(res, row, 2 + c))));
  }
  return into;
}

static void compliance_csv_row(struct report_csv *csv, const char *rule, const char *team,
                               const json_t *counts) {
  char v[6][24];
  const char *row[8] = {rule, team};
  for (int c = 0; c < 6; c++) {
    snprintf(v[c], sizeof v[c], "%lld", (long long)json_integer_value(json_object_get(counts, COUNTS[c])));
    row[2 + c] = v[c];
  }
  report_csv_row(csv, 8, row);
}

static void write_compliance_csv(struct report_csv *csv, const json_t *report) {
  const char *header[] = {"rule", "team", "due", "done_in_time", "done_late", "open",
                          "open_overdue", "cancelled"};
  report_csv_row(csv, 8, header);
  size_t i;
  json_t *rule;
  json_array_foreach(json_object_get(report, "rules"), i, rule) {
    const char *id = json_string_value(json_object_get(rule, "rule"));
    compliance_csv_row(csv, id, "all", rule);
    size_t k;
    json_t *team;
    json_array_foreach(json_object_get(rule, "teams"), k, team) {
      compliance_csv_row(csv, id, json_string_value(json_object_get(team, "team")), team);
    }
  }
}

void reports_compliance(struct request *r) {
  struct report_scope scope;
  char from[11];
  char to[11];
  struct date first;
  struct date last;
  if (!report_scope_of(r, REPORT_CHILDREN, &scope) ||
      !report_period(r, from, to, &first, &last)) {
    return;
  }
  const char *params[] = {report_scope_team(&scope), from, to};
  PGresult *res = report_query(r, &REPORT_COMPLIANCE, 3, params);
  if (res == NULL) {
    return;
  }
  json_t *rules = json_array();
  json_t *rule = NULL;
  for (int i = 0; i < PQntuples(res); i++) {
    const char *id = PQgetvalue(res, i, 0);
    if (rule == NULL || strcmp(json_string_value(json_object_get(rule, "rule")), id) != 0) {
      rule = json_pack("{s:s, s:[]}", "rule", id, "teams");
      json_array_append_new(rules, rule);
    }
    counts_json(res, i, rule);
    json_array_append_new(json_object_get(rule, "teams"),
                          counts_json(res, i, json_pack("{s:s}", "team", PQgetvalue(res, i, 1))));
  }
  PQclear(res);
  report_respond(r,
                 json_pack("{s:s, s:s, s:o, s:o}", "from", from, "to", to, "scope",
                           report_scope_json(&scope), "rules", rules),
                 write_compliance_csv);
}
