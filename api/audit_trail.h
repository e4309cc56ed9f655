/* Writing the audit row of a request (R1): who, when, what, the outcome and, for writes, the
 * before/after of the changed fields. A write's row is in the write's transaction; a read's or a
 * refusal's is queued for the batch writer. */
#ifndef API_AUDIT_TRAIL_H
#define API_AUDIT_TRAIL_H

#include <jansson.h>
#include <stdbool.h>

#include "http.h"

/* Inserts the audit row for this request on its connection (inside the handler's transaction
 * when one is open). `changes` may be NULL (borrowed). Returns false when it could not be written
 * (the caller must then not report success: nothing about a child goes unaudited). */
bool audit_write(struct request *r, const char *resource_type, const char *resource_id,
                 int status, const json_t *changes);

/* Queues the audit row of a read or a refusal (audit_queue.h): who, when, the route, the
 * resource, the status and, for a list, what it showed (`shown`, borrowed, may be NULL: e.g.
 * {"read": [ids]}). Returns false when it could not be queued in time (a read must then not be
 * answered). */
bool audit_read(struct request *r, const char *resource_type, const char *resource_id,
                int status, const json_t *shown);

#endif
