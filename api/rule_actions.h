/* The actions a rule creates (M7, M7a, M10, S2-S6, U1, U4, P3, P7, P8, V1, V2, L1, L2) and their
 * closing when the step they wait for happens, inside the caller's transaction (the change that
 * causes them carries the audit row). */
#ifndef API_RULE_ACTIONS_H
#define API_RULE_ACTIONS_H

#include <stdbool.h>
#include <time.h>

#include "../domain/duties.h"
#include "http.h"

/* Room for a person's id (people.id is at most 128 characters). */
#define PERSON_ID_SIZE 129

struct rule_action {
  const char *title;
  const char *detail;       /* may be NULL */
  const char *subject_type; /* "child", "carer", "match" */
  const char *subject_id;
  const char *owner;        /* NULL: the administrators' queue */
  time_t due;
  const char *rule;
  const char *source_type;  /* what caused it ("meeting", "placement", ...) */
  const char *source_id;
  enum duty duty;           /* DUTY_NONE for a one-off */
};

/* Creates `action`, writing its id into `created_id` (64 bytes) unless NULL. Returns false
 * after answering. */
bool rule_action_add(struct request *r, const struct rule_action *action, char *created_id);

/* Creates the action `title` about match `match_id` for `owner`, due at `due`, from `rule`,
 * caused by (`source_type`, `source_id`). Returns false after answering. */
bool rule_action_create(struct request *r, const char *title, const char *match_id,
                        const char *owner, time_t due, const char *rule, const char *source_type,
                        const char *source_id);

/* Closes the open actions of `rule` about match `match_id`: done when what they wait for has
 * happened, cancelled when it never will (the match was withdrawn). Returns false after
 * answering. */
bool rule_actions_close(struct request *r, const char *match_id, const char *rule, bool done,
                        const char *note);

/* Which open actions to close: those of `rule` about (`subject_type`, `subject_id`), of `duty`
 * unless DUTY_NONE, caused by `source_id` unless NULL and by a `source_type` unless NULL. */
struct rule_action_scope {
  const char *subject_type;
  const char *subject_id;
  const char *rule;
  enum duty duty;
  const char *source_id;
  const char *source_type;
};

/* Closes the open actions in `scope`: done, or cancelled when what they wait for will never
 * happen; `note` says why. NULL after answering; else the closed actions as rows (id, duty),
 * which the caller PQclears. */
PGresult *rule_actions_close_about(struct request *r, const struct rule_action_scope *scope,
                                   bool done, const char *note);

/* The person currently allocated to child `child_id` in `role` ("csw", "iro",
 * "family_finder"), or to carer `carer_id` as SSW when child_id is NULL, copied into `person`; "" when nobody is. Returns false after answering. */
bool allocated_person(struct request *r, const char *child_id, const char *carer_id,
                      const char *role, char person[PERSON_ID_SIZE]);

#endif
