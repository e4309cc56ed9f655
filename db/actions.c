#include "actions.h"

const struct db_statement ACTION_INSERT = {
    "action_insert",
    "WITH a AS (INSERT INTO actions (title, detail, subject_type, subject_id, owner_id, due_at,"
    "                                source_rule, source_type, source_id, created_by)"
    "           VALUES ($1, $2, $3, $4::uuid, $5, date_trunc('second', $6::timestamptz), $7, $8,"
    "                   $9::uuid, $10)"
    "           RETURNING *),"
    "     h AS (INSERT INTO action_history (action_id, event, to_owner, by_sub)"
    "           SELECT a.id, 'created', a.owner_id, $10 FROM a),"
    "     audited AS (INSERT INTO audit_log (sub, roles, method, route, resource_type,"
    "                                        resource_id, status, changes, request_id)"
    "                 SELECT $10, $11::text[], 'POST', '/v1/actions', 'action', a.id::text, 201,"
    "                        jsonb_build_object('before', '{}'::jsonb, 'after', $12::jsonb), $13"
    "                   FROM a),"
    "     told AS (INSERT INTO events (type, subject_type, subject_id, recipient, payload)"
    "              SELECT 'action.created', 'action', a.id::text, a.owner_id,"
    "                     jsonb_build_object('action_id', a.id, 'to_owner', a.owner_id,"
    "                                        'subject_type', a.subject_type, 'due_at', a.due_at)"
    "                FROM a)"
    "SELECT a.id, a.version FROM a"};

const struct db_statement ACTION_HISTORY_INSERT = {
    "action_history_insert",
    "INSERT INTO action_history (action_id, event, from_owner, to_owner, note, by_sub)"
    " VALUES ($1::uuid, $2, $3, $4, $5, $6)"};

const struct db_statement ACTION_GET = {
    "action_get",
    "SELECT action_json(a), a.version,"
    "       v.visible, a.owner_id, m.manager_id, a.status"
    "  FROM actions a LEFT JOIN people m ON m.id = a.owner_id"
    " CROSS JOIN LATERAL action_access(a.owner_id, a.subject_type, a.subject_id, $2,"
    "                                  $3::boolean, $4::text[], $5::text[], $6) v"
    " WHERE a.id = $1::uuid"};

const struct db_statement ACTION_LOCK = {
    "action_lock",
    "SELECT action_json(a), a.version,"
    "       v.visible, a.owner_id, m.manager_id, a.status"
    "  FROM actions a LEFT JOIN people m ON m.id = a.owner_id"
    " CROSS JOIN LATERAL action_access(a.owner_id, a.subject_type, a.subject_id, $2,"
    "                                  $3::boolean, $4::text[], $5::text[], $6) v"
    " WHERE a.id = $1::uuid FOR UPDATE OF a"};

const struct db_statement ACTION_CLOSE = {
    "action_close",
    "UPDATE actions SET status = $2, closed_at = now(), closing_note = $3,"
    "       version = version + 1, updated_at = now()"
    " WHERE id = $1::uuid RETURNING id"};

const struct db_statement ACTION_REASSIGN = {
    "action_reassign",
    "UPDATE actions SET owner_id = $2,"
    "       recheck_at = CASE WHEN flagged_at IS NOT NULL"
    "                         THEN to_timestamp($3::bigint) ELSE recheck_at END,"
    "       version = version + 1, updated_at = now()"
    " WHERE id = $1::uuid RETURNING id"};

const struct db_statement ACTION_JSON = {
    "action_json", "SELECT action_json(a), a.version FROM actions a WHERE a.id = $1::uuid"};

const struct db_statement ACTION_OPEN_FOR_OWNER = {
    "action_open_for_owner",
    "SELECT a.id, a.title, extract(epoch FROM a.due_at)::bigint, a.subject_type, a.source_rule,"
    "       extract(epoch FROM a.updated_at)::bigint"
    "  FROM actions a"
    " WHERE a.status = 'open' AND (a.owner_id = $1 OR ($1 = 'admin-queue' AND a.owner_id IS NULL))"
    " ORDER BY a.due_at, a.id LIMIT 1000"};

const struct db_statement ACTION_SUBJECT_CHILD = {
    "action_subject_child",
    "SELECT (SELECT v.visible FROM children c"
    "          CROSS JOIN LATERAL child_access(c.id, $2, $3::text[]) v WHERE c.id = $1::uuid),"
    "       EXISTS (SELECT 1 FROM people WHERE id = $4)"};

const struct db_statement ACTION_SUBJECT_CHILD_BY_ALLOCATION = {
    "action_subject_child_by_allocation",
    "SELECT (SELECT EXISTS (SELECT 1 FROM allocations a"
    "                        WHERE a.child_id = c.id AND a.person_id = $2"
    "                          AND a.role = ANY ($3::text[]) AND a.from_date <= london_today()"
    "                          AND (a.to_date IS NULL OR a.to_date > london_today()))"
    "          FROM children c WHERE c.id = $1::uuid),"
    "       EXISTS (SELECT 1 FROM people WHERE id = $4)"};

const struct db_statement ACTION_SUBJECT_CARER = {
    "action_subject_carer",
    "SELECT (SELECT v.visible FROM carers c"
    "          CROSS JOIN LATERAL carer_access(c.id, c.agency_id, $2, $5, $3::text[]) v"
    "         WHERE c.id = $1::uuid),"
    "       EXISTS (SELECT 1 FROM people WHERE id = $4)"};

const struct db_statement PERSON_MANAGER = {
    "person_manager", "SELECT manager_id FROM people WHERE id = $1"};

const struct db_statement RULE_ACTION_INSERT = {
    "rule_action_insert",
    "WITH a AS (INSERT INTO actions (title, subject_type, subject_id, owner_id, due_at,"
    "                                source_rule, source_type, source_id, created_by)"
    "           VALUES ($1, $2, $3::uuid, $4, $5::timestamptz, $6, $7, $8::uuid, $9)"
    "           RETURNING *),"
    "     h AS (INSERT INTO action_history (action_id, event, to_owner, by_sub)"
    "           SELECT a.id, 'created', a.owner_id, $9 FROM a),"
    "     told AS (INSERT INTO events (type, subject_type, subject_id, recipient, payload)"
    "              SELECT 'action.created', 'action', a.id::text, a.owner_id,"
    "                     jsonb_build_object('action_id', a.id, 'to_owner', a.owner_id,"
    "                                        'subject_type', a.subject_type, 'due_at', a.due_at,"
    "                                        'source_rule', a.source_rule)"
    "                FROM a)"
    "SELECT a.id FROM a"};

const struct db_statement RULE_ACTIONS_CLOSE = {
    "rule_actions_close",
    "WITH closed AS (UPDATE actions SET status = $6, closed_at = now(), closing_note = $5,"
    "                                   version = version + 1, updated_at = now()"
    "                 WHERE subject_type = $1 AND subject_id = $2::uuid AND source_rule = $3"
    "                   AND status = 'open'"
    "                 RETURNING id, owner_id)"
    "INSERT INTO action_history (action_id, event, from_owner, note, by_sub)"
    " SELECT id, CASE WHEN $6 = 'done' THEN 'completed' ELSE 'cancelled' END, owner_id, $5, $4"
    "   FROM closed"};
