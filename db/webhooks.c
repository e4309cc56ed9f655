#include "webhooks.h"

/* The delivery task's advisory lock key, in the two-int form pg_locks shows as
 * (classid, objid, objsubid 2). */
#define LOCK_KEY "746100, 18"

const struct db_statement WEBHOOK_INSERT = {
    "webhook_insert",
    "INSERT INTO webhooks AS w (url, events, secret, after_seq, created_by)"
    " SELECT $1, ARRAY(SELECT jsonb_array_elements_text($2::jsonb)), $3,"
    "        coalesce((SELECT max(seq) FROM events), 0), $4"
    " RETURNING webhook_json(w), w.id"};

const struct db_statement WEBHOOK_GET = {
    "webhook_get", "SELECT webhook_json(w) FROM webhooks w WHERE w.id = $1::uuid"};

const struct db_statement WEBHOOK_LOCK = {
    "webhook_lock", "SELECT w.active FROM webhooks w WHERE w.id = $1::uuid FOR UPDATE"};

const struct db_statement WEBHOOK_LIST = {
    "webhook_list",
    "SELECT coalesce(json_agg(item ORDER BY id) FILTER (WHERE n <= $2::integer), '[]'),"
    "       (array_agg(id ORDER BY id DESC) FILTER (WHERE n <= $2::integer))[1],"
    "       count(*) > $2::integer"
    "  FROM (SELECT w.id, webhook_json(w) AS item, row_number() OVER (ORDER BY w.id) AS n"
    "          FROM webhooks w"
    "         WHERE ($1::uuid IS NULL OR w.id > $1::uuid)"
    "         ORDER BY w.id LIMIT $2::integer + 1) page"};

const struct db_statement WEBHOOK_DEACTIVATE = {
    "webhook_deactivate",
    "UPDATE webhooks w SET active = false, deactivated_by = $2, deactivated_at = now()"
    " WHERE w.id = $1::uuid AND w.active RETURNING webhook_json(w)"};

const struct db_statement WEBHOOK_DELIVERIES_LIST = {
    "webhook_deliveries_list",
    "SELECT coalesce(json_agg(item ORDER BY seq DESC) FILTER (WHERE n <= $3::integer), '[]'),"
    "       (array_agg(seq ORDER BY seq) FILTER (WHERE n <= $3::integer))[1],"
    "       count(*) > $3::integer"
    "  FROM (SELECT d.seq, webhook_delivery_json(d) AS item,"
    "               row_number() OVER (ORDER BY d.seq DESC) AS n"
    "          FROM webhook_deliveries d"
    "         WHERE d.webhook_id = $1::uuid AND ($2::bigint IS NULL OR d.seq < $2::bigint)"
    "           AND ($4::text IS NULL OR d.status = $4)"
    "         ORDER BY d.seq DESC LIMIT $3::integer + 1) page"};

const struct db_statement WEBHOOK_DELIVERY_RESEND = {
    "webhook_delivery_resend",
    "UPDATE webhook_deliveries d SET status = 'pending', failures = 0, resends = d.resends + 1,"
    "       queued_at = now(), next_attempt_at = now()"
    " WHERE d.id = $2::uuid AND d.webhook_id = $1::uuid"
    " RETURNING webhook_delivery_json(d)"};

const struct db_statement DELIVERY_TRY_LOCK = {
    "delivery_try_lock", "SELECT pg_try_advisory_lock(" LOCK_KEY ")"};

const struct db_statement DELIVERY_UNLOCK = {
    "delivery_unlock", "SELECT pg_advisory_unlock(" LOCK_KEY ")"};

const struct db_statement DELIVERY_SUBSCRIPTIONS = {
    "delivery_subscriptions",
    "SELECT w.id, array_to_json(w.events), w.after_seq FROM webhooks w WHERE w.active"
    " ORDER BY w.id"};

const struct db_statement DELIVERY_EVENTS_AFTER = {
    "delivery_events_after",
    "SELECT e.seq, e.type FROM events e WHERE e.seq > $1::bigint ORDER BY e.seq"
    " LIMIT $2::integer"};

const struct db_statement DELIVERY_ENQUEUE = {
    "delivery_enqueue",
    "WITH queued AS (INSERT INTO webhook_deliveries (webhook_id, event_id, seq, event_type)"
    "                SELECT $1::uuid, e.id, e.seq, e.type FROM events e"
    "                 WHERE e.seq = ANY ($2::bigint[])"
    "                   AND e.seq > (SELECT w.after_seq FROM webhooks w WHERE w.id = $1::uuid)"
    "                ON CONFLICT (webhook_id, seq) DO NOTHING)"
    "UPDATE webhooks w SET after_seq = greatest(w.after_seq, $3::bigint) WHERE w.id = $1::uuid"};

const struct db_statement DELIVERY_DUE = {
    "delivery_due",
    "SELECT d.id, d.resends, d.failures, w.url, w.secret,"
    "       json_build_object('id', d.id, 'seq', e.seq, 'type', e.type,"
    "                         'subject', json_build_object('type', e.subject_type,"
    "                                                      'id', e.subject_id),"
    "                         'payload', e.payload, 'at', iso_utc(e.created_at))"
    "  FROM webhooks w"
    "  CROSS JOIN LATERAL (SELECT p.* FROM webhook_deliveries p"
    "                       WHERE p.webhook_id = w.id AND p.status = 'pending'"
    "                       ORDER BY p.seq LIMIT 1) d"
    "  JOIN events e ON e.id = d.event_id"
    " WHERE w.active AND d.next_attempt_at <= now()"
    " ORDER BY d.next_attempt_at, d.id LIMIT $1::integer"};

const struct db_statement DELIVERY_BEGIN_ATTEMPT = {
    "delivery_begin_attempt",
    "UPDATE webhook_deliveries d SET attempts = d.attempts + 1, last_attempt_at = now(),"
    "       next_attempt_at = least(now() + make_interval(secs => $3::double precision),"
    "                               d.queued_at + make_interval(secs => $4::double precision))"
    " WHERE d.id = $1::uuid AND d.status = 'pending' AND d.resends = $2::integer"
    "   AND EXISTS (SELECT 1 FROM pg_locks l"
    "                WHERE l.locktype = 'advisory' AND l.pid = pg_backend_pid() AND l.granted"
    "                  AND (l.classid, l.objid, l.objsubid) = (" LOCK_KEY ", 2))"
    " RETURNING d.attempts"};

const struct db_statement DELIVERY_SUCCEEDED = {
    "delivery_succeeded",
    "UPDATE webhook_deliveries d SET status = 'delivered', delivered_at = now(),"
    "       last_status_code = $3::integer, last_error = NULL, failures = 0"
    " WHERE d.id = $1::uuid AND d.resends = $2::integer AND d.status = 'pending'"};

const struct db_statement DELIVERY_FAILED = {
    "delivery_failed",
    "UPDATE webhook_deliveries d SET failures = d.failures + 1,"
    "       last_status_code = $3::integer, last_error = $4,"
    "       status = CASE WHEN now() >= d.queued_at + make_interval(secs => $6::double precision)"
    "                     THEN 'failed' ELSE 'pending' END,"
    "       next_attempt_at = least(now() + make_interval(secs => $5::double precision),"
    "                               d.queued_at + make_interval(secs => $6::double precision))"
    " WHERE d.id = $1::uuid AND d.resends = $2::integer AND d.status = 'pending'"
    " RETURNING d.status, d.webhook_id"};
