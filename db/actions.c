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

const struct db_statement ACTIONS_JSON_LIST = {
    "actions_json_list",
    "SELECT coalesce(json_agg(action_json(a) ORDER BY array_position($1::uuid[], a.id)), '[]')"
    "  FROM actions a WHERE a.id = ANY ($1::uuid[])"};

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

const struct db_statement RULE_ACTION_INSERT = {
    "rule_action_insert",
    "WITH a AS (INSERT INTO actions (title, subject_type, subject_id, owner_id, due_at,"
    "                                source_rule, source_type, source_id, created_by, duty, detail)"
    "           VALUES ($1, $2, $3::uuid, $4, $5::timestamptz, $6, $7, $8::uuid, $9, $10, $11)"
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
    "                 WHERE subject_id = $2::uuid AND source_rule = $3 AND status = 'open'"
    "                   AND subject_type = $1 AND ($7::text IS NULL OR duty = $7)"
    "                   AND ($8::uuid IS NULL OR source_id = $8::uuid)"
    "                   AND ($9::text IS NULL OR source_type = $9)"
    "                 RETURNING id, owner_id, duty),"
    "     h AS (INSERT INTO action_history (action_id, event, from_owner, note, by_sub)"
    "           SELECT id, CASE WHEN $6 = 'done' THEN 'completed' ELSE 'cancelled' END,"
    "                  owner_id, $5, $4"
    "             FROM closed)"
    "SELECT id, duty FROM closed"};

const struct db_statement DUTIES_CANCEL_FOR_PLACEMENT = {
    "duties_cancel_for_placement",
    "WITH p AS (SELECT child_id, carer_id FROM placements WHERE id = $1::uuid),"
    "     closed AS (UPDATE actions a SET status = 'cancelled', closed_at = now(),"
    "                       closing_note = $3, version = version + 1, updated_at = now()"
    "                  FROM p"
    "                 WHERE a.status = 'open' AND a.subject_type = 'child'"
    "                   AND a.subject_id = p.child_id"
    "                   AND ((a.duty = 'sw_visit' AND a.source_id = $1::uuid)"
    "                        OR ($4::boolean"
    "                            AND a.duty IN ('life_story_review', 'annual_joint_visit',"
    "                                           'joint_letter')"
    "                            AND a.source_type = 'match'"
    "                            AND a.source_id IN (SELECT m.id FROM matches m"
    "                                                 WHERE m.child_id = p.child_id"
    "                                                   AND m.carer_id = p.carer_id)))"
    "                RETURNING a.id, a.owner_id)"
    "INSERT INTO action_history (action_id, event, from_owner, note, by_sub)"
    " SELECT id, 'cancelled', owner_id, $3, $2 FROM closed"};

const struct db_statement DUTY_CONTEXT = {
    "duty_context",
    "SELECT a.duty, a.owner_id, a.subject_type, a.subject_id, a.source_type, a.source_id,"
    "       a.title, p.start_date, p.placement_type, p.id IS NOT NULL AND p.end_date IS NULL,"
    "       c.approved_on, c.approval_status = 'approved',"
    "       m.id IS NOT NULL AND NOT (EXISTS (SELECT 1 FROM placements e"
    "                                          WHERE e.child_id = m.child_id"
    "                                            AND e.carer_id = m.carer_id"
    "                                            AND e.end_date IS NOT NULL)"
    "                                 AND NOT EXISTS (SELECT 1 FROM placements o"
    "                                                  WHERE o.child_id = m.child_id"
    "                                                    AND o.carer_id = m.carer_id"
    "                                                    AND o.end_date IS NULL))"
    "  FROM actions a"
    "  LEFT JOIN placements p ON a.source_type = 'placement' AND p.id = a.source_id"
    "  LEFT JOIN carers c ON a.subject_type = 'carer' AND c.id = a.subject_id"
    "  LEFT JOIN matches m ON a.source_type = 'match' AND m.id = a.source_id"
    " WHERE a.id = $1::uuid"};

const struct db_statement CHILD_ALLOCATED_PERSON = {
    "child_allocated_person",
    "SELECT person_id FROM allocations"
    " WHERE child_id = $1::uuid AND role = $2 AND from_date <= london_today()"
    "   AND (to_date IS NULL OR to_date > london_today())"
    " ORDER BY from_date DESC, created_at DESC LIMIT 1"};

const struct db_statement CARER_ALLOCATED_SSW = {
    "carer_allocated_ssw",
    "SELECT person_id FROM allocations"
    " WHERE carer_id = $1::uuid AND role = 'ssw' AND from_date <= london_today()"
    "   AND (to_date IS NULL OR to_date > london_today())"
    " ORDER BY from_date DESC, created_at DESC LIMIT 1"};
