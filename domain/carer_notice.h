/* S9: a carer's wish to end a placement is discussed with the SSW and their team manager before
 * any notice is given; notice is given by the fostering service, not the carer. */
#ifndef DOMAIN_CARER_NOTICE_H
#define DOMAIN_CARER_NOTICE_H

#include <jansson.h>
#include <stdbool.h>

#include "dates.h"

/* What is recorded about a placement's notice. */
struct carer_notice_facts {
  bool wish_recorded;
  bool discussed;
  struct date discussed_on; /* when discussed */
};

/* Whether the fostering service may give notice on `given_on`: the carer's wish is recorded and
 * was discussed on or before that day. Appends "carer_wish" and/or "discussion" to `missing`
 * otherwise. */
bool carer_notice_may_be_given(const struct carer_notice_facts *facts, struct date given_on,
                               json_t *missing);

#endif
