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
    "SELECT m.status, m.finder_id, v.visible, t.visible"
    "  FROM matches m CROSS JOIN LATERAL child_access(m.child_id, $2, $3::text[]) v"
    " CROSS JOIN LATERAL child_access(m.child_id, $2, '{team}') t"
    " WHERE m.id = $1::uuid FOR UPDATE OF m"};

const struct db_statement MATCH_PROPOSE = {
    "match_propose",
    "UPDATE matches m SET carer_id = $2::uuid, status = 'proposed', version = m.version + 1,"
    "       updated_at = now()"
    " WHERE m.id = $1::uuid RETURNING match_json(m), m.version"};

const struct db_statement MATCH_WITHDRAW = {
    "match_withdraw",
    "UPDATE matches m SET status = 'withdrawn', withdrawn_reason = $2, version = m.version + 1,"
    "       updated_at = now()"
    " WHERE m.id = $1::uuid RETURNING match_json(m), m.version"};

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
    "         ORDER BY m.id LIMIT $6::integer + 1) page"};

const struct db_statement CARER_APPROVAL = {
    "carer_approval", "SELECT approval_status FROM carers WHERE id = $1::uuid"};
