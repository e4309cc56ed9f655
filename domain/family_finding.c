#include "family_finding.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "family_finding_factors.h"
#include "postcodes.h"
#include "schema.h"

const char *const ff_needs[] = {"disability",       "therapeutic_parenting",
                                "behaviour_that_challenges", "complex_health",
                                "exploitation_risk", NULL};
const char *const ff_wish_kinds[] = {"near", "pet", "other", NULL};

static const char *const LIMIT_NAMES[FF_LIMIT_COUNT] = {"approved", "long_term", "age_range",
                                                        "vacancy", "connected_person"};
static const char *const FACTOR_NAMES[FF_FACTOR_COUNT] = {
    "needs", "wishes", "distance", "language", "religion_and_culture", "in_house"};

const char *ff_limit_name(enum ff_limit limit) {
  return LIMIT_NAMES[limit];
}

const char *ff_factor_name(enum ff_factor factor) {
  return FACTOR_NAMES[factor];
}

json_t *ff_order(void) {
  json_t *order = json_array();
  for (int f = 0; f < FF_FACTOR_COUNT; f++) {
    json_array_append_new(order, json_string(FACTOR_NAMES[f]));
  }
  json_array_append_new(order, json_string("carer_id"));
  return order;
}

/* ---- hard limits ---- */

/* One limit's verdict. */
struct limit_check {
  bool passed;
  struct ff_text evidence;
};

static bool is_approved(const json_t *approval, struct ff_text *evidence) {
  const char *status = json_string_value(json_object_get(approval, "status"));
  if (status == NULL) {
    ff_text_add(evidence, "no approval recorded");
    return false;
  }
  ff_text_add(evidence, "approval status %s", status);
  return strcmp(status, "approved") == 0;
}

static bool is_long_term(const json_t *approval, struct ff_text *evidence) {
  bool long_term = json_is_true(json_object_get(approval, "long_term"));
  ff_text_add(evidence, long_term ? "approved for long-term care"
                                  : "not approved for long-term care");
  return long_term;
}

/* Every child's age on the search date within [age_from, age_to]; both bounds must be recorded. */
static bool ages_fit(const struct ff_search *search, const json_t *approval,
                     struct ff_text *evidence) {
  const json_t *from = json_object_get(approval, "age_from");
  const json_t *to = json_object_get(approval, "age_to");
  if (!json_is_integer(from) || !json_is_integer(to)) {
    ff_text_add(evidence, "the approval records no age range");
    return false;
  }
  ff_text_add(evidence, "approved for ages %lld to %lld; on %04d-%02d-%02d ",
              (long long)json_integer_value(from), (long long)json_integer_value(to),
              search->on.year, search->on.month, search->on.day);
  bool fits = true;
  size_t i;
  const json_t *child;
  json_array_foreach(search->children, i, child) {
    struct date born;
    if (!date_parse(json_string_value(json_object_get(child, "date_of_birth")), &born)) {
      ff_text_add(evidence, "%sa child has no date of birth", i > 0 ? ", " : "");
      fits = false;
      continue;
    }
    int age = date_age_on(born, search->on);
    bool in_range = age >= json_integer_value(from) && age <= json_integer_value(to);
    fits = fits && in_range;
    ff_text_add(evidence, "%s%s %d", i > 0 ? ", " : "",
                json_array_size(search->children) > 1 ? "a child is" : "the child is", age);
  }
  return fits;
}

/* Approved places less the children placed now: room for every child searched for. */
static bool has_room(const struct ff_search *search, const json_t *carer, const json_t *approval,
                     long long *places_free, struct ff_text *evidence) {
  const json_t *places = json_object_get(approval, "max_children");
  long long placed = json_integer_value(json_object_get(carer, "placed_now"));
  long long needed = (long long)json_array_size(search->children);
  *places_free = 0;
  if (!json_is_integer(places)) {
    ff_text_add(evidence, "the approval records no number of places");
    return false;
  }
  *places_free = json_integer_value(places) - placed;
  if (*places_free < 0) {
    *places_free = 0;
  }
  ff_text_add(evidence, "approved for %lld, %lld placed now: %lld free for %lld %s",
              (long long)json_integer_value(places), placed, *places_free, needed,
              needed == 1 ? "child" : "children");
  return *places_free >= needed;
}

/* M3: a connected-person approval is for one child; it does not make a carer for others. */
static bool not_connected_elsewhere(const struct ff_search *search, const json_t *approval,
                                    struct ff_text *evidence) {
  const char *for_child = json_string_value(json_object_get(approval, "connected_person_for"));
  if (for_child == NULL) {
    ff_text_add(evidence, "not a connected-person approval");
    return true;
  }
  size_t i;
  const json_t *child;
  json_array_foreach(search->children, i, child) {
    const char *id = json_string_value(json_object_get(child, "id"));
    if (id != NULL && strcasecmp(id, for_child) == 0) {
      ff_text_add(evidence, "approved as connected person for this child (M3)");
      return true;
    }
  }
  ff_text_add(evidence, "approved as connected person for another child only");
  return false;
}

/* Runs every limit on `carer`; fills `checks` and `places_free`. True when all passed. */
static bool check_limits(const struct ff_search *search, const json_t *carer,
                         struct limit_check checks[FF_LIMIT_COUNT], long long *places_free) {
  const json_t *approval = json_object_get(carer, "approval");
  memset(checks, 0, sizeof(struct limit_check) * FF_LIMIT_COUNT);
  checks[FF_APPROVED].passed = is_approved(approval, &checks[FF_APPROVED].evidence);
  checks[FF_LONG_TERM].passed = is_long_term(approval, &checks[FF_LONG_TERM].evidence);
  checks[FF_AGE_RANGE].passed = ages_fit(search, approval, &checks[FF_AGE_RANGE].evidence);
  checks[FF_VACANCY].passed =
      has_room(search, carer, approval, places_free, &checks[FF_VACANCY].evidence);
  checks[FF_CONNECTED_PERSON].passed =
      not_connected_elsewhere(search, approval, &checks[FF_CONNECTED_PERSON].evidence);
  bool all = true;
  for (int l = 0; l < FF_LIMIT_COUNT; l++) {
    all = all && checks[l].passed;
  }
  return all;
}

/* [{limit, evidence}] of the checks that passed (`passed`) or failed (!`passed`). */
static json_t *limits_json(const struct limit_check checks[FF_LIMIT_COUNT], bool passed) {
  json_t *list = json_array();
  for (int l = 0; l < FF_LIMIT_COUNT; l++) {
    if (checks[l].passed == passed) {
      json_array_append_new(list, json_pack("{s:s, s:s}", "limit", LIMIT_NAMES[l], "evidence",
                                            checks[l].evidence.buf));
    }
  }
  return list;
}

/* ---- the search ---- */

/* A candidate while the search sorts them. */
struct ranked {
  struct ff_key key;
  json_t *entry;
};

static int ranked_compare(const void *a, const void *b) {
  return ff_key_compare(&((const struct ranked *)a)->key, &((const struct ranked *)b)->key);
}

int ff_key_compare(const struct ff_key *a, const struct ff_key *b) {
  for (int f = 0; f < FF_FACTOR_COUNT; f++) {
    if (a->ranks[f] != b->ranks[f]) {
      return a->ranks[f] < b->ranks[f] ? -1 : 1;
    }
  }
  return strcmp(a->carer_id, b->carer_id);
}

void ff_key_format(const struct ff_key *key, char buf[FF_KEY_TEXT_SIZE]) {
  size_t used = 0;
  for (int f = 0; f < FF_FACTOR_COUNT; f++) {
    used += (size_t)snprintf(buf + used, FF_KEY_TEXT_SIZE - used, "%d.", key->ranks[f]);
  }
  snprintf(buf + used - 1, FF_KEY_TEXT_SIZE - used + 1, "|%s", key->carer_id);
}

bool ff_key_parse(const char *text, struct ff_key *key) {
  const char *p = text;
  for (int f = 0; f < FF_FACTOR_COUNT; f++) {
    char *end;
    if (!isdigit((unsigned char)*p)) {
      return false;
    }
    long rank = strtol(p, &end, 10);
    if (end - p > 4 || *end != (f == FF_FACTOR_COUNT - 1 ? '|' : '.')) {
      return false;
    }
    key->ranks[f] = (int)rank;
    p = end + 1;
  }
  size_t n = strlen(p);
  if (n == 0 || n >= FF_CARER_ID_SIZE) {
    return false;
  }
  memcpy(key->carer_id, p, n + 1);
  return true;
}

/* The entry of a carer in either list: its id, names and agency. */
static json_t *carer_entry(const json_t *carer) {
  const json_t *agency = json_object_get(carer, "agency_id");
  json_t *names = json_object_get(carer, "carers");
  return json_pack("{s:O, s:O, s:O}", "carer_id", json_object_get(carer, "id"), "carers",
                   names != NULL ? names : json_null(), "agency_id",
                   agency != NULL ? agency : json_null());
}

/* Fills `out` (whose entry is the carer's) with the candidate's key, and its entry with its
 * limits (all passed), factors, in_house and places_free. */
static void rank_candidate(const struct ff_search *search, const json_t *carer,
                           const struct limit_check checks[FF_LIMIT_COUNT],
                           long long places_free, struct ranked *out) {
  memset(&out->key, 0, sizeof out->key);
  snprintf(out->key.carer_id, sizeof out->key.carer_id, "%s",
           json_string_value(json_object_get(carer, "id")));
  json_t *factors = json_array();
  for (int f = 0; f < FF_FACTOR_COUNT; f++) {
    struct ff_text evidence = {.used = 0};
    evidence.buf[0] = '\0';
    out->key.ranks[f] = ff_factor_rank((enum ff_factor)f, search->children, carer, &evidence);
    json_array_append_new(factors, json_pack("{s:s, s:i, s:s}", "factor", FACTOR_NAMES[f], "rank",
                                             out->key.ranks[f], "evidence", evidence.buf));
  }
  json_object_set_new(out->entry, "in_house", json_boolean(out->key.ranks[FF_IN_HOUSE] == 0));
  json_object_set_new(out->entry, "places_free", json_integer(places_free));
  json_object_set_new(out->entry, "limits", limits_json(checks, true));
  json_object_set_new(out->entry, "factors", factors);
}

bool ff_search_run(const struct ff_search *search, const json_t *register_,
                   struct ff_result *result) {
  size_t n = json_array_size(register_);
  struct ranked *ranked = calloc(n > 0 ? n : 1, sizeof *ranked);
  if (ranked == NULL) {
    return false;
  }
  size_t count = 0;
  json_t *excluded = json_array();
  size_t i;
  const json_t *carer;
  json_array_foreach(register_, i, carer) {
    struct limit_check checks[FF_LIMIT_COUNT];
    long long places_free;
    json_t *entry = carer_entry(carer);
    if (check_limits(search, carer, checks, &places_free)) {
      ranked[count].entry = entry;
      rank_candidate(search, carer, checks, places_free, &ranked[count]);
      count++;
    } else {
      json_object_set_new(entry, "failed", limits_json(checks, false));
      json_array_append_new(excluded, entry);
    }
  }
  qsort(ranked, count, sizeof *ranked, ranked_compare);
  result->candidates = json_array();
  result->excluded = excluded;
  result->keys = calloc(count > 0 ? count : 1, sizeof *result->keys);
  for (size_t c = 0; c < count; c++) {
    json_object_set_new(ranked[c].entry, "position", json_integer((json_int_t)c + 1));
    json_array_append_new(result->candidates, ranked[c].entry);
    if (result->keys != NULL) {
      result->keys[c] = ranked[c].key;
    }
  }
  free(ranked);
  if (result->keys == NULL) {
    ff_result_free(result);
    return false;
  }
  return true;
}

void ff_result_free(struct ff_result *result) {
  json_decref(result->candidates);
  json_decref(result->excluded);
  free(result->keys);
  result->candidates = NULL;
  result->excluded = NULL;
  result->keys = NULL;
}

/* The entry of `carer_id` in `list` (by its carer_id), or NULL. */
static const json_t *entry_of(const json_t *list, const char *carer_id) {
  size_t i;
  const json_t *entry;
  json_array_foreach(list, i, entry) {
    const char *id = json_string_value(json_object_get(entry, "carer_id"));
    if (id != NULL && strcasecmp(id, carer_id) == 0) {
      return entry;
    }
  }
  return NULL;
}

json_t *ff_proposal_record(const struct ff_result *result, const char *carer_id, json_t *errors) {
  const json_t *proposed = entry_of(result->candidates, carer_id);
  if (proposed == NULL) {
    const json_t *excluded = entry_of(result->excluded, carer_id);
    size_t i;
    const json_t *failed;
    json_array_foreach(json_object_get(excluded, "failed"), i, failed) {
      char message[2200];
      snprintf(message, sizeof message, "fails the hard limit %s: %s",
               json_string_value(json_object_get(failed, "limit")),
               json_string_value(json_object_get(failed, "evidence")));
      validation_error(errors, "carer_id", message);
    }
    if (excluded == NULL) {
      validation_error(errors, "carer_id", "no such carer");
    }
    return NULL;
  }
  json_t *considered = json_array();
  size_t i;
  const json_t *entry;
  json_array_foreach(result->candidates, i, entry) {
    if (i == FF_CONSIDERED_MAX) {
      break;
    }
    json_array_append_new(considered,
                          json_pack("{s:O, s:O, s:O, s:O}", "position",
                                    json_object_get(entry, "position"), "carer_id",
                                    json_object_get(entry, "carer_id"), "agency_id",
                                    json_object_get(entry, "agency_id"), "factors",
                                    json_object_get(entry, "factors")));
  }
  return json_pack("{s:o, s:I, s:I, s:O, s:o}", "order", ff_order(), "candidate_count",
                   (json_int_t)json_array_size(result->candidates), "excluded_count",
                   (json_int_t)json_array_size(result->excluded), "proposed", proposed,
                   "considered", considered);
}
