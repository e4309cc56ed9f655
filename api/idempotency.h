/* Idempotency-Key on POST (issue 7): a retry within 24 hours with the same key and the same
 * body gets the first answer again (status, body, Location, ETag) without the work being done
 * twice; the same key with another body or path is refused (422). Keys are the caller's own. */
#ifndef API_IDEMPOTENCY_H
#define API_IDEMPOTENCY_H

#include "http.h"

/* Runs the route's handler for the authenticated request `r`, under its Idempotency-Key when a
 * POST carries one. */
void idempotent_call(struct request *r);

#endif
