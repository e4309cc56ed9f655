#include "family_finding.h"

#include <stdlib.h>
#include <string.h>

#include "../db/family_finding.h"

/* The ids of `children` as a PostgreSQL uuid[] literal ("{a,b}"). Owned by the caller. */
static char *ids_literal(const json_t *children) {
  size_t n = json_array_size(children);
  char *text = malloc(n * 37 + 3);
  if (text == NULL) {
    return NULL;
  }
  size_t used = 0;
  text[used++] = '{';
  size_t i;
  const json_t *child;
  json_array_foreach(children, i, child) {
    const char *id = json_string_value(json_object_get(child, "id"));
    size_t length = id != NULL ? strlen(id) : 0;
    if (length != 36) {
      free(text);
      return NULL;
    }
    if (i > 0) {
      text[used++] = ',';
    }
    memcpy(text + used, id, length);
    used += length;
  }
  text[used++] = '}';
  text[used] = '\0';
  return text;
}

bool family_finding_search(struct request *r, const char *child_id, struct ff_outcome *out) {
  memset(out, 0, sizeof *out);
  const char *params[] = {child_id};
  PGresult *facts = request_query(r, &FF_CHILDREN, 1, params);
  if (facts == NULL) {
    return false;
  }
  if (PQntuples(facts) == 0) {
    PQclear(facts);
    respond_problem(r, 404, "not-found", "There is no such child you may search for.");
    return false;
  }
  out->children = json_loads(PQgetvalue(facts, 0, 0), 0, NULL);
  out->sibling_group =
      PQgetisnull(facts, 0, 1) ? NULL : json_loads(PQgetvalue(facts, 0, 1), 0, NULL);
  out->for_group = !PQgetisnull(facts, 0, 2) && strcmp(PQgetvalue(facts, 0, 2), "together") == 0;
  PQclear(facts);
  char *ids = ids_literal(out->children);
  const char *register_params[] = {ids};
  PGresult *res = ids != NULL ? request_query(r, &FF_REGISTER, 1, register_params) : NULL;
  free(ids);
  if (res == NULL) {
    if (ids == NULL) {
      respond_problem(r, 500, "internal", "The search could not be made.");
    }
    family_finding_outcome_free(out);
    return false;
  }
  out->register_ = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
  PQclear(res);
  out->search = (struct ff_search){.on = r->today, .children = out->children};
  bool ran = out->register_ != NULL && ff_search_run(&out->search, out->register_, &out->result);
  if (!ran) {
    respond_problem(r, 500, "internal", "The search could not be made.");
    family_finding_outcome_free(out);
  }
  return ran;
}

void family_finding_outcome_free(struct ff_outcome *out) {
  ff_result_free(&out->result);
  json_decref(out->register_);
  json_decref(out->children);
  json_decref(out->sibling_group);
  memset(out, 0, sizeof *out);
}

json_t *family_finding_children(const struct ff_outcome *outcome, struct date on) {
  json_t *list = json_array();
  size_t i;
  const json_t *child;
  json_array_foreach(outcome->children, i, child) {
    struct date born;
    json_t *age = date_parse(json_string_value(json_object_get(child, "date_of_birth")), &born)
                      ? json_integer(date_age_on(born, on))
                      : json_null();
    json_array_append_new(list, json_pack("{s:O, s:o}", "id", json_object_get(child, "id"),
                                          "age", age));
  }
  return list;
}
