/* Idempotency-Key on POST (issue 7): a retry within 24 hours with the same key and the same
 * body gets the first answer again (status, body, Location, ETag) without the work being done
 * twice; the same key with another body or path is refused (422). Keys are the caller's own. */
#ifndef API_IDEMPOTENCY_H
#define API_IDEMPOTENCY_H

#include "http.h"

/* Runs the route's handler for the authenticated request `r`, under its Idempotency-Key when a
 * POST carries one. While it works under the key it holds the key's session lock on its
 * connection; a retry meanwhile is 409 (still being answered). A retry after a first request
 * that died before committing (the database restarted, the service killed) does the work; after
 * one that committed but could not keep its answer, 409 (outcome unknown). */
void idempotent_call(struct request *r);

/* Called by request_commit in the work's transaction: marks the key the request works under as
 * committed (nothing when it works under none). False when the database failed. */
bool idempotency_note_commit(struct request *r);

#endif
