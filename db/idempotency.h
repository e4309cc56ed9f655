/* SQL of Idempotency-Key: the first answer to a caller's POST under a key, kept 24 hours. */
#ifndef DB_IDEMPOTENCY_H
#define DB_IDEMPOTENCY_H

#include "pool.h"

/* $1 sub, $2 key, $3 method, $4 path, $5 body sha256: a row when the key is now this request's
 * (new, or older than 24 hours and taken again); none when a request within 24 hours holds it */
extern const struct db_statement IDEMPOTENCY_CLAIM;
/* $1 sub, $2 key: (path, body sha256, status or null while being answered, content_type, body,
 * location, etag, whether the first request began less than a minute ago) */
extern const struct db_statement IDEMPOTENCY_GET;
/* $1 sub, $2 key, $3 status, $4 content type, $5 body, $6 location, $7 etag */
extern const struct db_statement IDEMPOTENCY_STORE;
/* $1 sub, $2 key: the first request saved nothing (5xx), so a retry may do the work */
extern const struct db_statement IDEMPOTENCY_FORGET;

#endif
