/* What the meeting handlers (meetings.c, meeting_steps.c) and the unplanned-ending handlers
 * (endings.c) read before they decide: the child and whether the caller reaches it, a person's
 * roles, a placement's ending. Each loader returns false after answering (503, 404). */
#ifndef API_MEETING_FACTS_H
#define API_MEETING_FACTS_H

#include <stdbool.h>

#include "../domain/access.h"
#include "../domain/meetings.h"
#include "http.h"

struct meeting_child {
  struct date born;
  char placement_id[64]; /* the open placement, "" for none */
  char carer_id[64];     /* its carer */
};

/* The child `child_id` when the caller reaches it through `grants`; answers 404 otherwise. */
bool meeting_child_load(struct request *r, const char *child_id, relationship_set grants,
                        struct meeting_child *child);

/* Appends a `carer_id` error to `errors` when there is no such carer. */
bool carer_known(struct request *r, const char *carer_id, json_t *errors);

/* Whether person `person` is known (else appends an error on `field` to `errors`) and holds
 * `role` (into *holds). */
bool person_holds_role(struct request *r, const char *person, const char *role,
                       const char *field, json_t *errors, bool *holds);

struct chair_roles {
  bool known;
  bool team_manager; /* S3 */
  bool iro;          /* U1 */
};

/* The roles of the meeting's chair that S3 and U1 ask about; a `chair_id` error when unknown. */
bool chair_roles_load(struct request *r, const char *chair, struct chair_roles *roles,
                      json_t *errors);

/* How a placement ended (U1, U2). */
struct ending_facts {
  bool found;
  char child_id[64];
  char carer_id[64];
  struct date child_born;
  bool ended;
  struct date end;
  bool unplanned;
  struct date_range window; /* U1: when the meeting may be held */
};

bool ending_facts_load(struct request *r, const char *placement_id, struct ending_facts *ending);

/* Writes the event `type` about meeting `meeting_id` for `recipient` (NULL: everyone allowed). */
bool meeting_event(struct request *r, const char *type, const char *meeting_id,
                   const char *recipient);

/* The detail of a refusal under `rule` (S3, U1, P2, S5). */
const char *meeting_rule_refusal(const char *rule);

#endif
