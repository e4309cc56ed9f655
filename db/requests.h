/* SQL of the requests people make about a child or a carer: a stability meeting (S1) and
 * support for a carer (V2). */
#ifndef DB_REQUESTS_H
#define DB_REQUESTS_H

#include "pool.h"

/* $1 child, $2 reason, $3 raised_by json or null, $4 requested_by: (id, requested_at) */
extern const struct db_statement STABILITY_REQUEST_INSERT;
/* $1 carer, $2 serious, $3 detail, $4 requested_by: (id, requested_at epoch) */
extern const struct db_statement SUPPORT_REQUEST_INSERT;

#endif
