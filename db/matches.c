#include "matches.h"

const struct db_statement MATCH_START_FACTS = {
    "match_start_facts",
    "SELECT to_char(c.date_of_birth, 'YYYY-MM-DD'),"
    "       ARRAY(SELECT a.role FROM allocations a"
    "              WHERE a.child_id = c.id AND a.person_id = $2"
    "                AND a.from_date <= london_today()"
    "                AND (a.to_date IS NULL OR a.to_date > london_today())),"
    "       EXISTS (SELECT 1 FROM documents d WHERE d.subject_type = 'child'"
    "                 AND d.subject_id = c.id AND d.type = 'all_about_me'),"
    "       EXISTS (SELECT 1 FROM documents d WHERE d.subject_type = 'child'"
    "                 AND d.subject_id = c.id AND d.type = 'family_chronology'),"
    "       coalesce((SELECT k.approval_status = 'approved'"
    "                        AND k.doc->'approval'->>'connected_person_for' = c.id::text"
    "                   FROM carers k WHERE k.id = $3::uuid), false)"
    "  FROM children c WHERE c.id = $1::uuid FOR UPDATE OF c"};

const struct db_statement MATCH_INSERT = {
    "match_insert",
    "INSERT INTO matches AS m (child_id, carer_id, kind, status, finder_role, finder_id,"
    "                          started_on, created_by)"
    " VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6, $7::date, $8)"
    " RETURNING match_json(m), m.id, m.version"};

const struct db_statement MATCH_GET = {
    "match_get",
    "SELECT match_json(m), m.version, v.visible"
    "  FROM matches m CROSS JOIN LATERAL child_access(m.child_id, $2, $3::text[]) v"
    " WHERE m.id = $1::uuid"};

const struct db_statement MATCH_LOCK = {
    "match_lock",
    "SELECT m.status, m.finder_id, v.visible, t.visible, m.version"
    "  FROM matches m CROSS JOIN LATERAL child_access(m.child_id, $2, $3::text[]) v"
    " CROSS JOIN LATERAL child_access(m.child_id, $2, '{team}') t"
    " WHERE m.id = $1::uuid FOR UPDATE OF m"};

const struct db_statement MATCH_PROPOSE = {
    "match_propose",
    "UPDATE matches m SET carer_id = $2::uuid, status = 'proposed', search = $3::jsonb,"
    "       sibling_group_id = $4::uuid, version = m.version + 1, updated_at = now()"
    " WHERE m.id = $1::uuid RETURNING match_json(m), m.version"};

const struct db_statement MATCH_WITHDRAW = {
    "match_withdraw",
    "WITH item AS (UPDATE panel_items SET status = 'withdrawn', version = version + 1"
    "               WHERE match_id = $1::uuid AND status = 'listed')"
    "UPDATE matches m SET status = 'withdrawn', withdrawn_reason = $2,"
    "       version = m.version + 1, updated_at = now()"
    " WHERE m.id = $1::uuid RETURNING match_json(m), m.version"};

const struct db_statement MATCH_SET_STATUS = {
    "match_set_status",
    "UPDATE matches m SET status = $2, panel_item_id = $3::uuid, version = m.version + 1,"
    "       updated_at = now()"
    " WHERE m.id = $1::uuid RETURNING match_json(m), m.version"};

const struct db_statement MATCH_FEE_DISCUSSION = {
    "match_fee_discussion",
    "UPDATE matches m SET fee_discussion = $2::jsonb || jsonb_build_object("
    "         'recorded_by', $3::text, 'recorded_at', iso_utc(now())),"
    "       version = m.version + 1, updated_at = now()"
    " WHERE m.id = $1::uuid RETURNING match_json(m), m.version"};

const struct db_statement MATCH_CARER_AGENCY = {
    "match_carer_agency",
    "SELECT k.agency_id FROM matches m JOIN carers k ON k.id = m.carer_id WHERE m.id = $1::uuid"};

const struct db_statement MATCH_DECISION_FACTS = {
    "match_decision_facts",
    "SELECT m.status, i.recommendation->>'outcome', p.decision_maker_id, m.finder_id,"
    "       m.decided_at IS NOT NULL, m.decision_circulated_at IS NOT NULL,"
    "       floor(extract(epoch FROM m.decided_at))::bigint, m.child_id, m.carer_id, m.version"
    "  FROM matches m LEFT JOIN panel_items i ON i.id = m.panel_item_id"
    "  LEFT JOIN panels p ON p.id = i.panel_id"
    " WHERE m.id = $1::uuid FOR UPDATE OF m"};

const struct db_statement MATCH_DECIDE = {
    "match_decide",
    "UPDATE matches m SET status = CASE WHEN $2::boolean THEN 'agreed' ELSE 'not_agreed' END,"
    "       decision_agreed = $2::boolean, decision_reasons = $3, decided_by = $4,"
    "       decided_at = now(), version = m.version + 1, updated_at = now()"
    " WHERE m.id = $1::uuid RETURNING match_json(m), m.version"};

const struct db_statement MATCH_DECISION_CIRCULATED = {
    "match_decision_circulated",
    "UPDATE matches m SET decision_circulated_at = $2::timestamptz, version = m.version + 1,"
    "       updated_at = now()"
    " WHERE m.id = $1::uuid RETURNING match_json(m), m.version"};

const struct db_statement MATCH_LETTER_FACTS = {
    "match_letter_facts",
    "SELECT m.status, c.doc, coalesce(k.doc, '{}'), to_char(p.panel_date, 'YYYY-MM-DD'),"
    "       to_char(m.decided_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD'), m.child_id"
    "  FROM matches m JOIN children c ON c.id = m.child_id LEFT JOIN carers k ON k.id = m.carer_id"
    "  LEFT JOIN panel_items i ON i.id = m.panel_item_id LEFT JOIN panels p ON p.id = i.panel_id"
    " WHERE m.id = $1::uuid"};

const struct db_statement MATCH_LIST = {
    "match_list",
    "SELECT coalesce(json_agg(item ORDER BY id) FILTER (WHERE n <= $6::integer), '[]'),"
    "       (array_agg(id ORDER BY id DESC) FILTER (WHERE n <= $6::integer))[1],"
    "       count(*) > $6::integer"
    "  FROM (SELECT m.id, match_json(m) AS item, row_number() OVER (ORDER BY m.id) AS n"
    "          FROM matches m CROSS JOIN LATERAL child_access(m.child_id, $1, $2::text[]) v"
    "         WHERE v.visible AND ($3::uuid IS NULL OR m.child_id = $3::uuid)"
    "           AND ($4::text IS NULL OR m.status = $4)"
    "           AND ($5::uuid IS NULL OR m.id > $5::uuid)"
    "           AND ($7::uuid IS NULL OR EXISTS (SELECT 1 FROM panel_items i"
    "                                            WHERE i.match_id = m.id AND i.panel_id = $7::uuid))"
    "         ORDER BY m.id LIMIT $6::integer + 1) page"};
