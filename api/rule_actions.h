/* The actions a rule creates about a match (M7, M7a, M10) and their closing when the step they
 * wait for happens, inside the caller's transaction (the change that causes them carries the
 * audit row). */
#ifndef API_RULE_ACTIONS_H
#define API_RULE_ACTIONS_H

#include <stdbool.h>
#include <time.h>

#include "http.h"

/* Creates the action `title` about match `match_id` for `owner` (NULL: the administrators'
 * queue), due at `due`, from `rule`, caused by (`source_type`, `source_id`). Returns false after
 * answering. */
bool rule_action_create(struct request *r, const char *title, const char *match_id,
                        const char *owner, time_t due, const char *rule, const char *source_type,
                        const char *source_id);

/* Closes the open actions of `rule` about match `match_id`: done when what they wait for has
 * happened, cancelled when it never will (the match was withdrawn). Returns false after
 * answering. */
bool rule_actions_close(struct request *r, const char *match_id, const char *rule, bool done,
                        const char *note);

#endif
