#include "audit.h"

const struct db_statement AUDIT_INSERT = {
    "audit_insert",
    "INSERT INTO audit_log (sub, roles, method, route, resource_type, resource_id, status,"
    " changes, request_id) VALUES ($1, $2::text[], $3, $4, $5, $6, $7::integer, $8::jsonb, $9)"};

const char AUDIT_COPY[] =
    "COPY audit_log (at, sub, roles, method, route, resource_type, resource_id, status, changes,"
    " request_id) FROM STDIN";

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
