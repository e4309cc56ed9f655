/* The steps of a placement that both its own routes (placements.c) and a case system's sync
 * (placement_sync.c) take, inside the caller's transaction; the caller audits, commits and
 * answers. */
#ifndef API_PLACEMENT_STEPS_H
#define API_PLACEMENT_STEPS_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>

#include "http.h"

/* Whether the placement `body` ({child_id, carer_id, start_date, placement_type}, shape already
 * checked) may start: the caller reaches the child, the carer is approved and has room, the
 * child has no open placement (409 answered). Appends each refusal to `errors`. */
bool placement_start_allowed(struct request *r, const json_t *body, json_t *errors);

/* Starts the checked placement and its first social worker visit (P8). The result (json, id,
 * version) is the caller's to PQclear; NULL after answering. */
PGresult *placement_write_start(struct request *r, const json_t *body);

/* Ends placement `id`, which started on `start` and is locked and open, as `body` says
 * ({end_date, reason, unplanned?}, shape checked), with what follows the ending (U1, U4, P3, the
 * duties that end with it). The result (json, version) is the caller's; NULL after answering or
 * with `errors` appended. */
PGresult *placement_write_end(struct request *r, const char *id, struct date start,
                              const json_t *body, json_t *errors);

#endif
