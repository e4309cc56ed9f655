#include "idempotency.h"

/* The key's lock: two-key form, 7461 names the service's locks, the second the caller's key. */
const struct db_statement IDEMPOTENCY_LOCK = {
    "idempotency_lock", "SELECT pg_try_advisory_lock(7461, hashtext($1 || '/' || $2))"};

const struct db_statement IDEMPOTENCY_UNLOCK = {
    "idempotency_unlock", "SELECT pg_advisory_unlock(7461, hashtext($1 || '/' || $2))"};

const struct db_statement IDEMPOTENCY_CLAIM = {
    "idempotency_claim",
    "INSERT INTO idempotency_keys AS k (sub, key, method, path, body_sha256)"
    " VALUES ($1, $2, $3, $4, $5)"
    " ON CONFLICT (sub, key) DO UPDATE"
    "   SET method = EXCLUDED.method, path = EXCLUDED.path, body_sha256 = EXCLUDED.body_sha256,"
    "       status = NULL, content_type = NULL, body = NULL, location = NULL, etag = NULL,"
    "       work_committed = false, created_at = now()"
    "   WHERE k.created_at < now() - interval '24 hours'"
    "      OR (k.status IS NULL AND NOT k.work_committed AND k.path = EXCLUDED.path"
    "          AND k.body_sha256 = EXCLUDED.body_sha256)"
    " RETURNING true"};

const struct db_statement IDEMPOTENCY_GET = {
    "idempotency_get",
    "SELECT path, body_sha256, status, content_type, body, location, etag"
    "  FROM idempotency_keys WHERE sub = $1 AND key = $2"};

const struct db_statement IDEMPOTENCY_COMMITTED = {
    "idempotency_committed",
    "UPDATE idempotency_keys SET work_committed = true WHERE sub = $1 AND key = $2"};

const struct db_statement IDEMPOTENCY_STORE = {
    "idempotency_store",
    "UPDATE idempotency_keys SET status = $3::integer, content_type = $4, body = $5,"
    "       location = $6, etag = $7"
    " WHERE sub = $1 AND key = $2"};

const struct db_statement IDEMPOTENCY_FORGET = {
    "idempotency_forget", "DELETE FROM idempotency_keys WHERE sub = $1 AND key = $2"};
