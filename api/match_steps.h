/* The steps of a match's lifecycle that its family finder (and for some the team manager of
 * the child's team) takes, one verb per step: propose, withdraw, fee discussion, submit. */
#ifndef API_MATCH_STEPS_H
#define API_MATCH_STEPS_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>

#include "../domain/schema.h"
#include "http.h"

struct match_step {
  const struct schema *body;
  bool team_manager_may; /* the team manager of the child's team may take it too */
  /* Checks beyond the schema (NULL for none): appends an error per offending field. */
  void (*check)(const json_t *body, struct date today, json_t *errors);
  /* Writes the step on the locked match (current `status`) and answers. */
  void (*write)(struct request *r, const char *id, const char *status, const json_t *body);
};

/* POST /v1/matches/{id}/<step>: validates the body, locks the match, answers 404 when the
 * caller cannot see it and 403 when they may not take the step, else runs step->write in the
 * transaction. */
void match_take_step(struct request *r, const struct match_step *step);

/* Ends a step whose update answered `res` (json, version; NULL after an answered failure, which
 * this then leaves as it is): writes the audit row with the status before and the body, commits
 * and answers 200 with the match. Releases res. */
void match_answer_change(struct request *r, const char *id, const char *status_before,
                         const json_t *body, PGresult *res);

#endif
