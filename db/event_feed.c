#include "event_feed.h"

const struct db_statement EVENTS_SEQUENCE = {
    "events_sequence",
    "WITH lock AS (SELECT pg_try_advisory_xact_lock(7461000003) AS got),"
    "     top AS (SELECT coalesce(max(seq), 0) AS seq FROM events),"
    "     next AS (SELECT e.id, row_number() OVER (ORDER BY e.id) AS n"
    "                FROM events e, lock WHERE lock.got AND e.seq IS NULL"
    "               ORDER BY e.id LIMIT $1::integer)"
    "UPDATE events e SET seq = top.seq + next.n FROM next, top WHERE e.id = next.id"};

const struct db_statement EVENTS_AFTER = {
    "events_after",
    "WITH looked AS (SELECT e FROM events e WHERE e.seq > $1::bigint"
    "                 ORDER BY e.seq LIMIT $9::integer),"
    "     shown AS (SELECT (l.e).seq, (l.e).type, (l.e).subject_type, (l.e).subject_id,"
    "                      (l.e).payload, (l.e).created_at"
    "                 FROM looked l"
    "                WHERE event_visible(l.e, $3, $4::boolean, $5::boolean, $6::text[],"
    "                                    $7::text[], $8)"
    "                ORDER BY (l.e).seq LIMIT $2::integer)"
    "SELECT coalesce((SELECT json_agg(json_build_object('seq', seq, 'type', type,"
    "                                                   'subject', json_build_object("
    "                                                     'type', subject_type, 'id', subject_id),"
    "                                                   'payload', payload,"
    "                                                   'at', iso_utc(created_at)) ORDER BY seq)"
    "                   FROM shown), '[]'),"
    "       CASE WHEN (SELECT count(*) FROM shown) = $2::integer"
    "            THEN (SELECT max(seq) FROM shown)"
    "            ELSE coalesce((SELECT max((e).seq) FROM looked), $1::bigint) END"};
