/* Placements in the SSDA903 vocabulary (POLICY.md section E): which codes exist, which endings
 * are unplanned (U1 applies), and whether a child may be placed with a carer on a date. */
#ifndef DOMAIN_PLACEMENTS_H
#define DOMAIN_PLACEMENTS_H

#include <jansson.h>
#include <stdbool.h>

#include "dates.h"

/* Whether `code` is an SSDA903 placement type (PLACE): U1-U6, K2, P1, A3-A6, ... */
bool placement_type_valid(const char *code);

/* Whether `code` is an SSDA903 reason for placement change (REASON_PLACE_CHANGE). */
bool placement_end_reason_valid(const char *code);

enum ending_kind {
  ENDING_PLANNED,
  ENDING_UNPLANNED,   /* CREQB CREQO CHILD ALLEG STAND APPRR CLOSE: U1 applies */
  ENDING_NEEDS_PERSON /* LAREQ CUSTOD OTHER: a person must say */
};

/* Classifies an ending reason (E). `code` must be valid. */
enum ending_kind placement_ending_kind(const char *code);

/* What is known when a child is to be placed with a carer. */
struct placement_start_facts {
  struct date start;
  struct date child_born;
  bool child_has_open_placement;
  const char *carer_approval_status; /* NULL when the carer has no approval recorded */
  bool carer_approved_on_known;
  struct date carer_approved_on;
  int carer_max_children;            /* 0 when the approval sets none */
  int carer_children_placed;         /* open placements with the carer now */
};

enum placement_verdict {
  PLACEMENT_ALLOWED,
  PLACEMENT_CONFLICT, /* the child already has an open placement: 409 */
  PLACEMENT_REFUSED,  /* errors name each reason: 422 */
};

/* Decides whether the placement may start; appends each refusal reason to `errors`. */
enum placement_verdict placement_start_check(const struct placement_start_facts *facts,
                                             json_t *errors);

/* Appends an error unless `end` is on or after `start`. Returns true when it may end then. */
bool placement_end_check(struct date start, struct date end, json_t *errors);

#endif
