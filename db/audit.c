#include "audit.h"

const struct db_statement AUDIT_INSERT = {
    "audit_insert",
    "INSERT INTO audit_log (sub, roles, method, route, resource_type, resource_id, status,"
    " changes, request_id) VALUES ($1, $2::text[], $3, $4, $5, $6, $7::integer, $8::jsonb, $9)"};

const struct db_statement AUDIT_INSERT_BATCH = {
    "audit_insert_batch",
    "INSERT INTO audit_log (at, sub, roles, method, route, resource_type, resource_id, status,"
    "                       changes, request_id)"
    "SELECT x.at, x.sub, coalesce(x.roles, '{}'), x.method, x.route, x.resource_type,"
    "       x.resource_id, x.status, x.changes, x.request_id"
    "  FROM ROWS FROM (jsonb_to_recordset($1::jsonb)"
    "                  AS (at timestamptz, sub text, roles text[], method text, route text,"
    "                      resource_type text, resource_id text, status integer,"
    "                      changes jsonb, request_id text)) WITH ORDINALITY"
    "       AS x(at, sub, roles, method, route, resource_type, resource_id, status, changes,"
    "            request_id, n)"
    " ORDER BY x.n"};

const struct db_statement AUDIT_LIST = {
    "audit_list",
    "SELECT coalesce(json_agg(item ORDER BY id) FILTER (WHERE n <= $7::integer), '[]'),"
    "       max(id) FILTER (WHERE n <= $7::integer), count(*) > $7::integer"
    "  FROM (SELECT a.id, row_number() OVER (ORDER BY a.id) AS n,"
    "               jsonb_build_object('id', a.id, 'at', iso_utc(a.at), 'sub', a.sub,"
    "                 'roles', to_jsonb(a.roles), 'method', a.method, 'route', a.route,"
    "                 'resource_type', a.resource_type, 'resource_id', a.resource_id,"
    "                 'status', a.status, 'changes', audit_changes_shown(a.resource_type, a.changes),"
    "                 'request_id', a.request_id,"
    "                 'seq', ch.seq, 'hash', encode(ch.hash, 'hex')) AS item"
    "          FROM audit_log a LEFT JOIN audit_chain ch ON ch.audit_id = a.id"
    "         WHERE ($1::text IS NULL OR a.sub = $1)"
    "           AND ($2::text IS NULL OR a.resource_type = $2)"
    "           AND ($3::text IS NULL OR a.resource_id = $3)"
    "           AND ($4::timestamptz IS NULL OR a.at >= $4::timestamptz)"
    "           AND ($5::timestamptz IS NULL OR a.at <= $5::timestamptz)"
    "           AND ($6::bigint IS NULL OR a.id > $6::bigint)"
    "         ORDER BY a.id LIMIT $7::integer + 1) page"};

const struct db_statement AUDIT_VERIFY = {
    "audit_verify",
    "SELECT ok, checked, unsealed, broken_seq, broken_audit_id, reason FROM audit_verify()"};
