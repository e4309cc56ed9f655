/* SQL of Idempotency-Key: the first answer to a caller's POST under a key, kept 24 hours. */
#ifndef DB_IDEMPOTENCY_H
#define DB_IDEMPOTENCY_H

#include "pool.h"

/* $1 sub, $2 key: (true) when this connection now holds the key's session lock, the one a
 * request working under the key keeps until it has answered; (false) when another holds it */
extern const struct db_statement IDEMPOTENCY_LOCK;
/* $1 sub, $2 key: releases the key's session lock */
extern const struct db_statement IDEMPOTENCY_UNLOCK;
/* $1 sub, $2 key, $3 method, $4 path, $5 body sha256, with the key's lock held: a row when the
 * key is now this request's (new; older than 24 hours and taken again; or left by a request of
 * the same path and body that died before committing anything); none otherwise */
extern const struct db_statement IDEMPOTENCY_CLAIM;
/* $1 sub, $2 key: (path, body sha256, status or null while unanswered, content_type, body,
 * location, etag) */
extern const struct db_statement IDEMPOTENCY_GET;
/* $1 sub, $2 key: in the work's own transaction, that the work is being committed */
extern const struct db_statement IDEMPOTENCY_COMMITTED;
/* $1 sub, $2 key, $3 status, $4 content type, $5 body, $6 location, $7 etag */
extern const struct db_statement IDEMPOTENCY_STORE;
/* $1 sub, $2 key: the first request saved nothing (5xx), so a retry may do the work */
extern const struct db_statement IDEMPOTENCY_FORGET;

#endif
