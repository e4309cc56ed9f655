#include "children.h"

/* The columns api/record_json.c composes a child's JSON from. */
#define CHILD_COLUMNS                                                                    \
  "c.id, c.team, c.version, date_part('epoch', c.created_at)::bigint,"                   \
  " date_part('epoch', c.updated_at)::bigint, c.doc_text"

const struct db_statement CHILD_INSERT = {
    "child_insert",
    "INSERT INTO children AS c (team, doc, date_of_birth, created_by)"
    " VALUES ((SELECT team FROM people WHERE id = $1), $2::jsonb,"
    "         ($2::jsonb->>'date_of_birth')::date, $1)"
    " RETURNING child_json(c), c.version, c.id"};

const struct db_statement CHILD_GET = {
    "child_get",
    "SELECT child_json(c), c.version, v.visible"
    "  FROM children c CROSS JOIN LATERAL child_access(c.id, $2, $3::text[]) v"
    " WHERE c.id = $1::uuid"};

const struct db_statement CHILD_GET_COMPOSED_BY_ALLOCATION = {
    "child_get_composed_by_allocation",
    "SELECT EXISTS (SELECT 1 FROM allocations a"
    "                WHERE a.child_id = c.id AND a.person_id = $2 AND a.role = ANY ($3::text[])"
    "                  AND a.from_date <= london_today()"
    "                  AND (a.to_date IS NULL OR a.to_date > london_today())), " CHILD_COLUMNS
    "  FROM children c WHERE c.id = $1::uuid"};

const struct db_statement CHILD_GET_COMPOSED = {
    "child_get_composed",
    "SELECT v.visible, " CHILD_COLUMNS
    "  FROM children c CROSS JOIN LATERAL child_access(c.id, $2, $3::text[]) v"
    " WHERE c.id = $1::uuid"};

const struct db_statement CHILD_LOCK = {
    "child_lock",
    "SELECT c.doc, c.version, v.visible, c.date_of_birth, c.team"
    "  FROM children c CROSS JOIN LATERAL child_access(c.id, $2, $3::text[]) v"
    " WHERE c.id = $1::uuid FOR UPDATE OF c"};

const struct db_statement CHILD_UPDATE = {
    "child_update",
    "UPDATE children c SET doc = $2::jsonb, date_of_birth = ($2::jsonb->>'date_of_birth')::date,"
    "       version = c.version + 1, updated_at = now()"
    " WHERE c.id = $1::uuid RETURNING child_json(c), c.version"};

/* The children a person reaches through `kinds`: one keyset page of ids per relationship, so
 * that each branch reads its own index and the last page is as fast as the first. */
const struct db_statement CHILD_LIST = {
    "child_list",
    "WITH ids AS ("
    "  (SELECT a.child_id AS id FROM allocations a"
    "    WHERE a.person_id = $1 AND a.role = ANY ($2::text[]) AND a.child_id IS NOT NULL"
    "      AND a.from_date <= london_today()"
    "      AND (a.to_date IS NULL OR a.to_date > london_today())"
    "      AND ($3::uuid IS NULL OR a.child_id > $3::uuid))"
    "  UNION"
    "  (SELECT p.child_id FROM allocations a"
    "     JOIN placements p ON p.carer_id = a.carer_id AND p.end_date IS NULL"
    "    WHERE 'placed_with_ssw' = ANY ($2::text[]) AND a.person_id = $1 AND a.role = 'ssw'"
    "      AND a.from_date <= london_today()"
    "      AND (a.to_date IS NULL OR a.to_date > london_today())"
    "      AND ($3::uuid IS NULL OR p.child_id > $3::uuid))"
    "  UNION"
    "  (SELECT c.id FROM people pe JOIN children c ON c.team = pe.team"
    "    WHERE 'team' = ANY ($2::text[]) AND pe.id = $1"
    "      AND ($3::uuid IS NULL OR c.id > $3::uuid)"
    "    ORDER BY c.id LIMIT $4::integer + 1))"
    "SELECT " CHILD_COLUMNS
    "  FROM (SELECT id FROM ids ORDER BY id LIMIT $4::integer + 1) v"
    "  JOIN children c ON c.id = v.id ORDER BY c.id"};

/* The same page for the common callers, one statement per shape with nothing PostgreSQL could
 * fold away, so that it keeps one generic plan instead of planning every page: through the
 * caller's allocations (csw, iro, family_finder) or their team, first page or after a key. */
#define ALLOCATED_IDS                                                                    \
  "SELECT DISTINCT a.child_id AS id FROM allocations a"                                  \
  " WHERE a.person_id = $1 AND a.role = ANY ($2::text[]) AND a.child_id IS NOT NULL"     \
  "   AND a.from_date <= london_today()"                                                 \
  "   AND (a.to_date IS NULL OR a.to_date > london_today())"

const struct db_statement CHILD_LIST_ALLOCATED_FIRST = {
    "child_list_allocated_first",
    "SELECT " CHILD_COLUMNS
    "  FROM (" ALLOCATED_IDS " ORDER BY 1 LIMIT $3::integer + 1) v"
    "  JOIN children c ON c.id = v.id ORDER BY c.id"};

const struct db_statement CHILD_LIST_ALLOCATED_AFTER = {
    "child_list_allocated_after",
    "SELECT " CHILD_COLUMNS
    "  FROM (" ALLOCATED_IDS " AND a.child_id > $3::uuid ORDER BY 1 LIMIT $4::integer + 1) v"
    "  JOIN children c ON c.id = v.id ORDER BY c.id"};

const struct db_statement CHILD_LIST_TEAM_FIRST = {
    "child_list_team_first",
    "SELECT " CHILD_COLUMNS
    "  FROM children c WHERE c.team = (SELECT pe.team FROM people pe WHERE pe.id = $1)"
    " ORDER BY c.id LIMIT $2::integer + 1"};

const struct db_statement CHILD_LIST_TEAM_AFTER = {
    "child_list_team_after",
    "SELECT " CHILD_COLUMNS
    "  FROM children c WHERE c.team = (SELECT pe.team FROM people pe WHERE pe.id = $1)"
    "   AND c.id > $2::uuid"
    " ORDER BY c.id LIMIT $3::integer + 1"};

const struct db_statement CHILD_LIST_BY_EXTERNAL_ID = {
    "child_list_by_external_id",
    "SELECT " CHILD_COLUMNS
    "  FROM external_ids e JOIN children c ON c.id = e.resource_id"
    " CROSS JOIN LATERAL child_access(c.id, $1, $2::text[]) v"
    " WHERE e.resource_type = 'child' AND e.system = $3"
    "   AND ($4::text IS NULL OR e.external_id = $4)"
    "   AND ($5::uuid IS NULL OR c.id > $5::uuid) AND v.visible"
    " ORDER BY c.id LIMIT $6::integer + 1"};

const struct db_statement EXTERNAL_IDS_CLEAR = {
    "external_ids_clear",
    "DELETE FROM external_ids WHERE resource_type = $1 AND resource_id = $2::uuid"};

const struct db_statement EXTERNAL_IDS_INSERT = {
    "external_ids_insert",
    "INSERT INTO external_ids (resource_type, system, external_id, resource_id)"
    " SELECT $1, e->>'system', e->>'id', $2::uuid"
    "   FROM jsonb_array_elements(coalesce($3::jsonb->'external_ids', '[]')) e"};

const struct db_statement PERSON_TEAM = {"person_team", "SELECT team FROM people WHERE id = $1"};
