#include "matching.h"

enum role match_family_finder_role(struct date born, struct date starts_on, int age_limit) {
  return date_age_on(born, starts_on) < age_limit ? ROLE_FAMILY_FINDER : ROLE_CSW;
}

bool match_start_check(const struct match_start_facts *facts, json_t *missing) {
  size_t before = json_array_size(missing);
  if (facts->connected_person) {
    /* M3: the carer is already approved for this child: no family finding, no M2 papers */
    if (!facts->carer_named) {
      json_array_append_new(missing, json_string("carer_id"));
    } else if (!facts->carer_approved_for_child) {
      json_array_append_new(missing, json_string("carer approved as connected person for this child"));
    }
    return json_array_size(missing) == before;
  }
  if (!facts->has_all_about_me) {
    json_array_append_new(missing, json_string("all_about_me"));
  }
  if (!facts->has_family_chronology) {
    json_array_append_new(missing, json_string("family_chronology"));
  }
  return json_array_size(missing) == before;
}
