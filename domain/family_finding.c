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

json_t *ff_order(void) {
  json_t *order = json_array();
  for (int f = 0; f < FF_FACTOR_COUNT; f++) {
    json_array_append_new(order, json_string(FACTOR_NAMES[f]));
  }
  json_array_append_new(order, json_string("carer_id"));
  return order;
}

/* ---- hard limits ---- */

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

/* Runs every limit on `carer` into `passed` and `places_free`, with each limit's evidence into
 * `evidence` (FF_LIMIT_COUNT texts, empty; NULL when only the verdict is wanted). True when all
 * passed. */
static bool check_limits(const struct ff_search *search, const json_t *carer,
                         bool passed[FF_LIMIT_COUNT], long long *places_free,
                         struct ff_text *evidence) {
  const json_t *approval = json_object_get(carer, "approval");
  passed[FF_APPROVED] = is_approved(approval, evidence != NULL ? &evidence[FF_APPROVED] : NULL);
  passed[FF_LONG_TERM] = is_long_term(approval, evidence != NULL ? &evidence[FF_LONG_TERM] : NULL);
  passed[FF_AGE_RANGE] =
      ages_fit(search, approval, evidence != NULL ? &evidence[FF_AGE_RANGE] : NULL);
  passed[FF_VACANCY] = has_room(search, carer, approval, places_free,
                                evidence != NULL ? &evidence[FF_VACANCY] : NULL);
  passed[FF_CONNECTED_PERSON] = not_connected_elsewhere(
      search, approval, evidence != NULL ? &evidence[FF_CONNECTED_PERSON] : NULL);
  bool all = true;
  for (int l = 0; l < FF_LIMIT_COUNT; l++) {
    all = all && passed[l];
  }
  return all;
}

/* [{limit, evidence}] of `carer`'s limits that passed (`passed`) or failed (!`passed`). */
static json_t *limits_json(const struct ff_search *search, const json_t *carer, bool passed,
                           long long *places_free) {
  bool verdicts[FF_LIMIT_COUNT];
  struct ff_text *evidence = calloc(FF_LIMIT_COUNT, sizeof *evidence);
  json_t *list = json_array();
  if (evidence == NULL) {
    return list;
  }
  check_limits(search, carer, verdicts, places_free, evidence);
  for (int l = 0; l < FF_LIMIT_COUNT; l++) {
    if (verdicts[l] == passed) {
      json_array_append_new(list, json_pack("{s:s, s:s}", "limit", LIMIT_NAMES[l], "evidence",
                                            evidence[l].buf));
    }
  }
  free(evidence);
  return list;
}

/* ---- the search ---- */

/* A candidate while the search sorts them: its key and its place in the register. */
struct ranked {
  struct ff_key key;
  size_t index;
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

/* `carer`'s key: its factors' ranks (no evidence written) and its id. */
static void rank_candidate(const struct ff_search *search, const json_t *carer,
                           struct ff_key *key) {
  memset(key, 0, sizeof *key);
  snprintf(key->carer_id, sizeof key->carer_id, "%s",
           json_string_value(json_object_get(carer, "id")));
  for (int f = 0; f < FF_FACTOR_COUNT; f++) {
    key->ranks[f] = ff_factor_rank((enum ff_factor)f, search->children, carer, NULL);
  }
}

bool ff_search_run(const struct ff_search *search, const json_t *register_,
                   struct ff_result *result) {
  size_t n = json_array_size(register_);
  struct ranked *ranked = calloc(n > 0 ? n : 1, sizeof *ranked);
  memset(result, 0, sizeof *result);
  result->register_ = register_;
  result->keys = calloc(n > 0 ? n : 1, sizeof *result->keys);
  result->candidates = calloc(n > 0 ? n : 1, sizeof *result->candidates);
  result->excluded = calloc(n > 0 ? n : 1, sizeof *result->excluded);
  if (ranked == NULL || result->keys == NULL || result->candidates == NULL ||
      result->excluded == NULL) {
    free(ranked);
    ff_result_free(result);
    return false;
  }
  size_t count = 0;
  size_t i;
  const json_t *carer;
  json_array_foreach(register_, i, carer) {
    bool passed[FF_LIMIT_COUNT];
    long long places_free;
    if (check_limits(search, carer, passed, &places_free, NULL)) {
      ranked[count].index = i;
      rank_candidate(search, carer, &ranked[count].key);
      count++;
    } else {
      result->excluded[result->excluded_count++] = i;
    }
  }
  qsort(ranked, count, sizeof *ranked, ranked_compare);
  for (size_t c = 0; c < count; c++) {
    result->keys[c] = ranked[c].key;
    result->candidates[c] = ranked[c].index;
  }
  result->candidate_count = count;
  free(ranked);
  return true;
}

json_t *ff_candidate(const struct ff_search *search, const struct ff_result *result, size_t i) {
  const json_t *carer = json_array_get(result->register_, result->candidates[i]);
  json_t *entry = carer_entry(carer);
  long long places_free = 0;
  json_object_set_new(entry, "limits", limits_json(search, carer, true, &places_free));
  json_t *factors = json_array();
  for (int f = 0; f < FF_FACTOR_COUNT; f++) {
    struct ff_text evidence = {.used = 0};
    evidence.buf[0] = '\0';
    int rank = ff_factor_rank((enum ff_factor)f, search->children, carer, &evidence);
    json_array_append_new(factors, json_pack("{s:s, s:i, s:s}", "factor", FACTOR_NAMES[f], "rank",
                                             rank, "evidence", evidence.buf));
  }
  json_object_set_new(entry, "position", json_integer((json_int_t)i + 1));
  json_object_set_new(entry, "in_house", json_boolean(result->keys[i].ranks[FF_IN_HOUSE] == 0));
  json_object_set_new(entry, "places_free", json_integer(places_free));
  json_object_set_new(entry, "factors", factors);
  return entry;
}

json_t *ff_excluded(const struct ff_search *search, const struct ff_result *result, size_t i) {
  const json_t *carer = json_array_get(result->register_, result->excluded[i]);
  long long places_free;
  json_t *entry = carer_entry(carer);
  json_object_set_new(entry, "failed", limits_json(search, carer, false, &places_free));
  return entry;
}

void ff_result_free(struct ff_result *result) {
  free(result->keys);
  free(result->candidates);
  free(result->excluded);
  memset(result, 0, sizeof *result);
}

/* Whether the register entry `index` of `result` is the carer `carer_id`. */
static bool is_carer(const struct ff_result *result, size_t index, const char *carer_id) {
  const char *id =
      json_string_value(json_object_get(json_array_get(result->register_, index), "id"));
  return id != NULL && strcasecmp(id, carer_id) == 0;
}

json_t *ff_proposal_record(const struct ff_search *search, const struct ff_result *result,
                           const char *carer_id, json_t *errors) {
  size_t place = 0;
  while (place < result->candidate_count && !is_carer(result, result->candidates[place], carer_id)) {
    place++;
  }
  if (place == result->candidate_count) {
    size_t e = 0;
    while (e < result->excluded_count && !is_carer(result, result->excluded[e], carer_id)) {
      e++;
    }
    json_t *excluded = e < result->excluded_count ? ff_excluded(search, result, e) : NULL;
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
    json_decref(excluded);
    return NULL;
  }
  json_t *considered = json_array();
  for (size_t c = 0; c < result->candidate_count && c < FF_CONSIDERED_MAX; c++) {
    json_t *entry = ff_candidate(search, result, c);
    json_array_append_new(considered,
                          json_pack("{s:O, s:O, s:O, s:O}", "position",
                                    json_object_get(entry, "position"), "carer_id",
                                    json_object_get(entry, "carer_id"), "agency_id",
                                    json_object_get(entry, "agency_id"), "factors",
                                    json_object_get(entry, "factors")));
    json_decref(entry);
  }
  return json_pack("{s:o, s:I, s:I, s:o, s:o}", "order", ff_order(), "candidate_count",
                   (json_int_t)result->candidate_count, "excluded_count",
                   (json_int_t)result->excluded_count, "proposed",
                   ff_candidate(search, result, place), "considered", considered);
}
