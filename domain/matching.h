/* Long-term matching, M1-M3 of POLICY.md: who finds a family for a child, what must be on file
 * before family finding starts, and the kinship route that skips it. */
#ifndef DOMAIN_MATCHING_H
#define DOMAIN_MATCHING_H

#include <jansson.h>
#include <stdbool.h>

#include "dates.h"
#include "roles.h"

/* M1: a child under `age_limit` (family_finder_age_limit) on the day family finding starts is
 * found a family by a family finder; a child of that age or over by their social worker. */
enum role match_family_finder_role(struct date born, struct date starts_on, int age_limit);

/* What is on file for the child when a match starts. */
struct match_start_facts {
  bool connected_person;          /* kind connected_person (M3) */
  bool has_all_about_me;          /* M2 */
  bool has_family_chronology;     /* M2 */
  bool carer_named;               /* a carer was given */
  bool carer_approved_for_child;  /* M3: approved as connected person for this child */
};

/* M2 and M3: appends to `missing` (a JSON array) every document or fact the start needs and
 * lacks (a CPR is never required). Returns true when the match may start. */
bool match_start_check(const struct match_start_facts *facts, json_t *missing);

#endif
