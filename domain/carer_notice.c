#include "carer_notice.h"

bool carer_notice_may_be_given(const struct carer_notice_facts *facts, struct date given_on,
                               json_t *missing) {
  size_t before = json_array_size(missing);
  if (!facts->wish_recorded) {
    json_array_append_new(missing, json_string("carer_wish"));
  }
  if (!facts->discussed || date_compare(given_on, facts->discussed_on) < 0) {
    json_array_append_new(missing, json_string("discussion"));
  }
  return json_array_size(missing) == before;
}
