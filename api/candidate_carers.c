/* GET /v1/children/{id}/candidate-carers (issue 10): the carers who could offer the child (or
 * its sibling group, when their plan is together) a long-term home, most suitable first, each
 * with the hard limits it passed and the soft factors that placed it, with their evidence.
 * ?explain_excluded=true adds, on the first page, the carers a hard limit excluded. For the
 * child's social worker, family finder and team manager; the read is audited naming every child
 * whose record the search read (R1). */
#include <stdlib.h>
#include <string.h>

#include "../db/children.h"
#include "../domain/access.h"
#include "audit_trail.h"
#include "family_finding.h"
#include "handlers.h"
#include "pagination.h"
#include "records.h"

/* Reads ?explain_excluded= (true, false or absent). Answers 400 and returns false otherwise. */
static bool read_explain_excluded(struct request *r, bool *explain) {
  const char *value = query_param(r, "explain_excluded");
  *explain = value != NULL && strcmp(value, "true") == 0;
  if (value != NULL && !*explain && strcmp(value, "false") != 0) {
    respond_problem(r, 400, "bad-request", "explain_excluded must be true or false.");
    return false;
  }
  return true;
}

/* Answers the page of `outcome`'s candidates after `after` (NULL: the first page). */
static void answer_page(struct request *r, const char *child_id, const struct ff_outcome *outcome,
                        const struct ff_key *after, const struct page *page, bool explain) {
  const struct ff_result *result = &outcome->result;
  size_t count = result->candidate_count;
  size_t limit = (size_t)atoi(page->limit);
  size_t first = 0;
  while (after != NULL && first < count && ff_key_compare(&result->keys[first], after) <= 0) {
    first++;
  }
  size_t end = first + limit < count ? first + limit : count;
  json_t *items = json_array();
  for (size_t i = first; i < end; i++) {
    json_array_append_new(items, ff_candidate(&outcome->search, result, i));
  }
  char last_key[FF_KEY_TEXT_SIZE] = "";
  if (end > first) {
    ff_key_format(&result->keys[end - 1], last_key);
  }
  json_t *next = page_next(last_key, end < count);
  if (next == NULL) {
    json_decref(items);
    respond_problem(r, 500, "internal", "The list's cursor could not be written.");
    return;
  }
  char on[11];
  date_format(r->today, on);
  json_t *answer = json_pack(
      "{s:s, s:s, s:o, s:O, s:b, s:o, s:I, s:I, s:o, s:o}", "child_id", child_id, "searched_on",
      on, "children", family_finding_children(outcome, r->today), "sibling_group",
      outcome->sibling_group != NULL ? outcome->sibling_group : json_null(), "for_sibling_group",
      outcome->for_group, "order", ff_order(), "candidate_count", (json_int_t)count,
      "excluded_count", (json_int_t)result->excluded_count, "items", items,
      "next", next);
  if (explain && after == NULL) {
    json_t *excluded = json_array();
    for (size_t i = 0; i < result->excluded_count; i++) {
      json_array_append_new(excluded, ff_excluded(&outcome->search, result, i));
    }
    json_object_set_new(answer, "excluded", excluded);
  }
  /* R1: the read names every child whose record the search read (a group's siblings too) */
  json_t *read = json_array();
  size_t i;
  const json_t *child;
  json_array_foreach(outcome->children, i, child) {
    json_array_append(read, json_object_get(child, "id"));
  }
  json_t *shown = json_pack("{s:o}", "read", read);
  if (audit_read(r, "child", child_id, 200, shown)) {
    respond_json(r, 200, answer);
  } else {
    json_decref(answer);
    respond_unavailable(r);
  }
  json_decref(shown);
}

void children_candidate_carers(struct request *r) {
  char id[64];
  relationship_set grants = access_family_finding_grants(r->caller.roles);
  bool explain;
  struct page page;
  if (!record_target(r, grants,
                     "Family finding is for the child's social worker, family finder or team "
                     "manager.",
                     id) ||
      !read_explain_excluded(r, &explain) || !page_read(r, PAGE_KEY_TEXT, &page)) {
    return;
  }
  struct ff_key after;
  const char *cursor = page_after_param(&page);
  if (cursor != NULL && !ff_key_parse(cursor, &after)) {
    respond_problem(r, 400, "bad-request", "after is not a cursor this search gave.");
    return;
  }
  if (!record_reached(r, &CHILD_GET, false, id, grants)) {
    return;
  }
  struct ff_outcome outcome;
  if (family_finding_search(r, id, &outcome)) {
    answer_page(r, id, &outcome, cursor != NULL ? &after : NULL, &page, explain);
    family_finding_outcome_free(&outcome);
  }
}
