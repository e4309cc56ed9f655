/* The family-finding search as the handlers run it (issue 10): the children it is for (a child,
 * or its sibling group when their plan is together), the register of carers, and the verdict of
 * domain/family_finding.c on the request's date. */
#ifndef API_FAMILY_FINDING_H
#define API_FAMILY_FINDING_H

#include <jansson.h>
#include <stdbool.h>

#include "../domain/family_finding.h"
#include "http.h"

struct ff_outcome {
  json_t *children;      /* the children searched for, their records with `id` (owned) */
  json_t *sibling_group; /* the child's sibling group (owned), or NULL */
  bool for_group;        /* searched for the group (its plan is together) */
  json_t *register_;     /* the register the search judged (owned) */
  struct ff_search search;
  struct ff_result result;
};

/* Runs the search for the child `child_id` on r->today. The caller has checked access. False
 * after answering (404 when there is no such child, 503 ...); on true the caller frees `out`
 * with family_finding_outcome_free. */
bool family_finding_search(struct request *r, const char *child_id, struct ff_outcome *out);

void family_finding_outcome_free(struct ff_outcome *out);

/* The children searched for as the answer shows them: [{id, age}] on `on`. Owned by the caller. */
json_t *family_finding_children(const struct ff_outcome *outcome, struct date on);

#endif
