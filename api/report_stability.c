/* GET /v1/reports/stability (E1): the DfE's two placement-stability measures for the council or
 * a team on as_of and, for those who may see them, the children behind each figure, as JSON or
 * as CSV. The answer is written straight from the statement's rows: the council's lists hold
 * every child looked after (50 000 in the benchmark), and building them as JSON values first
 * took longer than the query. Scopes and roles: report_output.h; the rules: db/reports.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/reports.h"
#include "../domain/reports.h"
#include "handlers.h"
#include "json_writer.h"
#include "report_output.h"

/* The columns of REPORT_STABILITY_CHILDREN. */
enum {
  CHILD_ID,
  CHILD_NAME,
  PLACEMENTS_IN_YEAR,
  COUNTED_A,
  LOOKED_AFTER_SINCE,
  WITH_CARER_SINCE,
  PLACED_FOR_ADOPTION_SINCE,
  ELIGIBLE_B,
  COUNTED_B
};

static const char MEASURE_A_TEXT[] =
    "children looked after on as_of with 3 or more placements in the year to it";
static const char MEASURE_B_TEXT[] =
    "children under 16 looked after for 2.5 years or more, with the same carer for 2 years (or "
    "placed for adoption) on as_of";

struct e1_figures {
  long looked_after;  /* (a)'s denominator */
  long three_or_more; /* (a)'s numerator */
  long eligible;      /* (b)'s denominator */
  long stable;        /* (b)'s numerator */
};

static bool flag(const PGresult *res, int row, int column) {
  return PQgetvalue(res, row, column)[0] == 't';
}

/* Reads the figures from REPORT_STABILITY_FIGURES's one row. */
static void figures_of_counts(const PGresult *res, struct e1_figures *f) {
  f->looked_after = atol(PQgetvalue(res, 0, 0));
  f->three_or_more = atol(PQgetvalue(res, 0, 1));
  f->eligible = atol(PQgetvalue(res, 0, 2));
  f->stable = atol(PQgetvalue(res, 0, 3));
}

/* Counts the figures from REPORT_STABILITY_CHILDREN's rows: every row is a child looked after. */
static void figures_of_children(const PGresult *res, struct e1_figures *f) {
  memset(f, 0, sizeof *f);
  for (int i = 0; i < PQntuples(res); i++) {
    f->looked_after++;
    f->three_or_more += flag(res, i, COUNTED_A);
    if (flag(res, i, ELIGIBLE_B)) {
      f->eligible++;
      f->stable += flag(res, i, COUNTED_B);
    }
  }
}

/* ---- JSON ---- */

static void write_bool(struct json_writer *w, const char *key, bool value) {
  json_writer_key(w, key);
  json_writer_raw(w, value ? "true" : "false");
}

/* A date column as a JSON string, null when the statement gave none. */
static void write_date(struct json_writer *w, const char *key, const PGresult *res, int row,
                       int column) {
  json_writer_member_string(w, key,
                            PQgetisnull(res, row, column) ? NULL : PQgetvalue(res, row, column));
}

static void write_child_a(struct json_writer *w, const PGresult *res, int row) {
  json_writer_member_string(w, "child_id", PQgetvalue(res, row, CHILD_ID));
  json_writer_member_string(w, "name", PQgetvalue(res, row, CHILD_NAME));
  json_writer_member_number(w, "placements_in_year", PQgetvalue(res, row, PLACEMENTS_IN_YEAR));
  write_bool(w, "counted", flag(res, row, COUNTED_A));
}

static void write_child_b(struct json_writer *w, const PGresult *res, int row) {
  json_writer_member_string(w, "child_id", PQgetvalue(res, row, CHILD_ID));
  json_writer_member_string(w, "name", PQgetvalue(res, row, CHILD_NAME));
  write_date(w, "looked_after_since", res, row, LOOKED_AFTER_SINCE);
  write_date(w, "with_carer_since", res, row, WITH_CARER_SINCE);
  write_date(w, "placed_for_adoption_since", res, row, PLACED_FOR_ADOPTION_SINCE);
  write_bool(w, "counted", flag(res, row, COUNTED_B));
}

/* Writes one measure as the member `key`: rule, wording, numerator, denominator, percentage
 * (null without a denominator) and, unless `children` is NULL (figures only), the children
 * behind it: every row for (a), the eligible ones for (b). */
static void write_measure(struct json_writer *w, const char *key, const char *text, long numerator,
                          long denominator, const PGresult *children, bool measure_b) {
  char number[24];
  json_writer_key(w, key);
  json_writer_open(w, "{");
  json_writer_member_string(w, "rule", "E1");
  json_writer_member_string(w, "measure", text);
  snprintf(number, sizeof number, "%ld", numerator);
  json_writer_member_number(w, "numerator", number);
  snprintf(number, sizeof number, "%ld", denominator);
  json_writer_member_number(w, "denominator", number);
  json_writer_member_number(w, "percentage",
                            report_percentage_text(numerator, denominator, number, sizeof number));
  if (children != NULL) {
    const PGresult *res = children;
    json_writer_key(w, "children");
    json_writer_open(w, "[");
    for (int i = 0; i < PQntuples(res); i++) {
      if (measure_b && !flag(res, i, ELIGIBLE_B)) {
        continue;
      }
      json_writer_item(w);
      json_writer_open(w, "{");
      if (measure_b) {
        write_child_b(w, res, i);
      } else {
        write_child_a(w, res, i);
      }
      json_writer_close(w, "}");
    }
    json_writer_close(w, "]");
  }
  json_writer_close(w, "}");
}

/* The report as JSON text (the caller frees), or NULL when memory ran out. */
static char *stability_json(const char *as_of, const struct report_scope *scope,
                            const struct e1_figures *f, const PGresult *children) {
  struct json_writer w;
  json_writer_init(&w);
  json_writer_open(&w, "{");
  json_writer_member_string(&w, "as_of", as_of);
  json_writer_key(&w, "scope");
  json_writer_open(&w, "{");
  json_writer_member_string(&w, "team", report_scope_team(scope));
  write_bool(&w, "lists", scope->lists);
  json_writer_close(&w, "}");
  write_measure(&w, "three_or_more_placements", MEASURE_A_TEXT, f->three_or_more,
                f->looked_after, children, false);
  write_measure(&w, "long_term_stability", MEASURE_B_TEXT, f->stable, f->eligible, children,
                true);
  json_writer_close(&w, "}");
  return json_writer_take(&w);
}

/* ---- CSV: a row per figure, then a row per child behind it ---- */

static void csv_measure(struct report_csv *csv, const char *name, long numerator,
                        long denominator, const PGresult *children, bool measure_b) {
  char num[24];
  char den[24];
  char pct[24];
  snprintf(num, sizeof num, "%ld", numerator);
  snprintf(den, sizeof den, "%ld", denominator);
  const char *figure[] = {"figure", name, num, den,
                          report_percentage_text(numerator, denominator, pct, sizeof pct)};
  report_csv_row(csv, 5, figure);
  const PGresult *res = children;
  for (int i = 0; res != NULL && i < PQntuples(res); i++) {
    if (measure_b && !flag(res, i, ELIGIBLE_B)) {
      continue;
    }
    bool counted = flag(res, i, measure_b ? COUNTED_B : COUNTED_A);
    const char *row[] = {"child",
                         name,
                         "",
                         "",
                         "",
                         PQgetvalue(res, i, CHILD_ID),
                         PQgetvalue(res, i, CHILD_NAME),
                         counted ? "true" : "false",
                         measure_b ? "" : PQgetvalue(res, i, PLACEMENTS_IN_YEAR),
                         measure_b ? PQgetvalue(res, i, LOOKED_AFTER_SINCE) : "",
                         measure_b ? PQgetvalue(res, i, WITH_CARER_SINCE) : "",
                         measure_b ? PQgetvalue(res, i, PLACED_FOR_ADOPTION_SINCE) : ""};
    report_csv_row(csv, 12, row);
  }
}

static void stability_csv(struct report_csv *csv, const struct e1_figures *f,
                          const PGresult *children) {
  const char *header[] = {"row",         "measure",          "numerator",
                          "denominator", "percentage",       "child_id",
                          "name",        "counted",          "placements_in_year",
                          "looked_after_since", "with_carer_since", "placed_for_adoption_since"};
  report_csv_row(csv, 12, header);
  csv_measure(csv, "three_or_more_placements", f->three_or_more, f->looked_after, children,
              false);
  csv_measure(csv, "long_term_stability", f->stable, f->eligible, children, true);
}

/* ---- the handler ---- */

/* R1: the audit row of the children the lists show (every row: (b)'s are among (a)'s). */
static bool audit_listed(struct request *r, const PGresult *res) {
  json_t *ids = json_array();
  for (int i = 0; i < PQntuples(res); i++) {
    json_array_append_new(ids, json_string(PQgetvalue(res, i, CHILD_ID)));
  }
  return report_audit_children(r, ids);
}

static void respond_stability(struct request *r, const char *as_of,
                              const struct report_scope *scope, const struct e1_figures *f,
                              const PGresult *children) {
  if (report_wants_csv(r)) {
    struct report_csv csv;
    if (!report_csv_open(&csv)) {
      respond_problem(r, 500, "internal", "The report could not be written.");
      return;
    }
    stability_csv(&csv, f, children);
    report_csv_respond(r, &csv);
    return;
  }
  char *text = stability_json(as_of, scope, f, children);
  if (text == NULL) {
    respond_problem(r, 500, "internal", "The report could not be written.");
    return;
  }
  respond_json_text(r, 200, text);
  free(text);
}

void reports_stability(struct request *r) {
  struct report_scope scope;
  char as_of[11];
  char fallback[11];
  struct date day;
  if (!report_scope_of(r, REPORT_CHILDREN, &scope)) {
    return;
  }
  /* Without as_of: the last 31 March (the DfE's year end) on or before today. */
  struct date march = {r->today.year, 3, 31};
  if (date_compare(march, r->today) > 0) {
    march.year--;
  }
  date_format(march, fallback);
  if (!report_date_param(r, "as_of", fallback, as_of, &day)) {
    return;
  }
  const char *params[] = {report_scope_team(&scope), as_of};
  PGresult *res = report_query(
      r, scope.lists ? &REPORT_STABILITY_CHILDREN : &REPORT_STABILITY_FIGURES, 2, params);
  if (res == NULL) {
    return;
  }
  struct e1_figures figures;
  if (scope.lists) {
    figures_of_children(res, &figures);
  } else {
    figures_of_counts(res, &figures);
  }
  if (!scope.lists || audit_listed(r, res)) {
    respond_stability(r, as_of, &scope, &figures, scope.lists ? res : NULL);
  }
  PQclear(res);
  report_release_memory();
}
