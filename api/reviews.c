/* GET /v1/children/{id}/review-schedule (P7) and GET /v1/reports/permanence-plans-due (P1). */
#include "reviews.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/meetings.h"
#include "../domain/access.h"
#include "../domain/duties.h"
#include "audit_trail.h"
#include "handlers.h"
#include "pagination.h"
#include "records.h"

bool review_history_of(const PGresult *res, int row, int entered_col, int held_col,
                       struct review_history *out) {
  out->held_count = 0;
  if (PQgetisnull(res, row, entered_col) ||
      !date_parse(PQgetvalue(res, row, entered_col), &out->entered_care)) {
    return false;
  }
  const char *held = PQgetvalue(res, row, held_col);
  while (*held != '\0' && out->held_count < REVIEWS_SHOWN_MAX - 1) {
    char day[11];
    snprintf(day, sizeof day, "%.10s", held);
    if (date_parse(day, &out->held[out->held_count])) {
      out->held_count++;
    }
    held += strlen(day);
    held += *held == ',' ? 1 : 0;
  }
  return true;
}

static json_t *date_json(struct date d) {
  char text[11];
  date_format(d, text);
  return json_string(text);
}

/* The schedule of a child whose history is `history`: every held review and the next one. */
static json_t *schedule_json(const char *child_id, const struct review_history *history,
                             const struct date *due, bool has_plan) {
  json_t *reviews = json_array();
  for (size_t k = 0; k <= history->held_count; k++) {
    json_array_append_new(reviews, json_pack("{s:i, s:o, s:o}", "number", (int)k + 1, "due_on",
                                             date_json(due[k]), "held_on",
                                             k < history->held_count ? date_json(history->held[k])
                                                                     : json_null()));
  }
  return json_pack("{s:s, s:o, s:o, s:o, s:o, s:b}", "child_id", child_id, "entered_care_on",
                   date_json(history->entered_care), "reviews", reviews, "next_due_on",
                   date_json(due[history->held_count]), "second_review_due_on", date_json(due[1]),
                   "has_permanence_plan", has_plan);
}

void children_review_schedule(struct request *r) {
  char id[64];
  relationship_set grants = access_child_grants(r->caller.roles, ACCESS_READ);
  if (!record_target(r, grants, "Your roles do not give access to children's records.", id) ||
      !record_reached(r, &MEETING_CHILD_FACTS, false, id, grants)) {
    return;
  }
  const char *params[] = {id};
  PGresult *facts = request_query(r, &CHILD_REVIEW_FACTS, 1, params);
  const struct calendar *calendar = request_calendar(r);
  const json_t *settings = request_settings(r);
  struct review_history history;
  if (facts == NULL || calendar == NULL || settings == NULL) {
    PQclear(facts);
    return;
  }
  if (!review_history_of(facts, 0, 0, 1, &history)) {
    respond_invalid(r, json_pack("[{s:s, s:s}]", "field", "entered_care_on", "message",
                                 "the child's record gives no date of entering care"));
  } else {
    struct date due[REVIEWS_SHOWN_MAX];
    size_t count = history.held_count + 1 < 2 ? 2 : history.held_count + 1;
    review_due_dates(calendar, settings, history.entered_care, history.held, history.held_count,
                     due, count);
    respond_json(r, 200, schedule_json(id, &history, due, strcmp(PQgetvalue(facts, 0, 3), "t") == 0));
  }
  PQclear(facts);
}

/* One child of the P1 report: when their second review is due. */
struct plan_due {
  int row;
  struct date second_review;
  const char *child_id;
};

static int plan_due_order(const void *a, const void *b) {
  const struct plan_due *x = a;
  const struct plan_due *y = b;
  int by_date = date_compare(x->second_review, y->second_review);
  return by_date != 0 ? by_date : strcmp(x->child_id, y->child_id);
}

/* Whether `due` comes after the cursor "YYYY-MM-DD|child id" (always, without one). */
static bool after_cursor(const struct plan_due *due, const char *after) {
  if (after == NULL) {
    return true;
  }
  char key[64];
  char day[11];
  date_format(due->second_review, day);
  snprintf(key, sizeof key, "%s|%s", day, due->child_id);
  return strcmp(key, after) > 0;
}

/* Answers the page of `dues` (sorted) after the cursor, auditing the children shown. */
static void respond_plans_page(struct request *r, const PGresult *res, const struct plan_due *dues,
                               size_t n, const struct page *page) {
  int limit = atoi(page->limit);
  json_t *items = json_array();
  json_t *shown = json_array();
  char last[64] = "";
  bool more = false;
  for (size_t i = 0; i < n; i++) {
    if (!after_cursor(&dues[i], page_after_param(page))) {
      continue;
    }
    if ((int)json_array_size(items) == limit) {
      more = true;
      break;
    }
    char day[11];
    date_format(dues[i].second_review, day);
    snprintf(last, sizeof last, "%s|%s", day, dues[i].child_id);
    json_array_append_new(items, json_pack("{s:s, s:s?, s:s, s:s, s:b}", "child_id",
                                           dues[i].child_id, "name",
                                           PQgetisnull(res, dues[i].row, 1) ? NULL : PQgetvalue(res, dues[i].row, 1),
                                           "entered_care_on", PQgetvalue(res, dues[i].row, 2),
                                           "second_review_due_on", day, "overdue",
                                           date_compare(dues[i].second_review, r->today) < 0));
    json_array_append_new(shown, json_string(dues[i].child_id));
  }
  json_t *read = json_pack("{s:o}", "read", shown);
  char *text = json_dumps(items, JSON_COMPACT);
  if (text != NULL && audit_read(r, "child", NULL, 200, read)) {
    page_respond(r, text, last, more);
  }
  free(text);
  json_decref(read);
  json_decref(items);
}

void reports_permanence_plans_due(struct request *r) {
  char kinds[256];
  struct page page;
  relationship_set grants = access_permanence_plan_report_grants(r->caller.roles);
  if (grants == 0) {
    respond_problem(r, 403, "forbidden",
                    "The children's social workers, reviewing officers, family finders and team "
                    "managers read this report.");
    return;
  }
  if (!page_read(r, PAGE_KEY_TEXT, &page)) {
    return;
  }
  const char *params[] = {r->caller.sub, relationship_array_literal(grants, kinds, sizeof kinds)};
  PGresult *res = request_query(r, &PERMANENCE_PLANS_MISSING, 2, params);
  const struct calendar *calendar = request_calendar(r);
  const json_t *settings = request_settings(r);
  if (res == NULL || calendar == NULL || settings == NULL) {
    PQclear(res);
    return;
  }
  size_t n = 0;
  struct plan_due *dues = calloc((size_t)PQntuples(res) + 1, sizeof *dues);
  for (int i = 0; dues != NULL && i < PQntuples(res); i++) {
    struct review_history history;
    struct date due[2];
    if (review_history_of(res, i, 2, 3, &history)) {
      review_due_dates(calendar, settings, history.entered_care, history.held,
                       history.held_count, due, 2);
      dues[n++] = (struct plan_due){i, due[1], PQgetvalue(res, i, 0)};
    }
  }
  if (dues == NULL) {
    respond_problem(r, 500, "internal", "The report could not be built.");
  } else {
    qsort(dues, n, sizeof *dues, plan_due_order);
    respond_plans_page(r, res, dues, n, &page);
  }
  free(dues);
  PQclear(res);
}
