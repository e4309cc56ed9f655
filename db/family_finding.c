#include "family_finding.h"

const struct db_statement FF_CHILDREN = {
    "ff_children",
    "SELECT (SELECT jsonb_agg(k.doc || jsonb_build_object('id', k.id)"
    "                         ORDER BY k.id <> c.id, k.id)"
    "          FROM children k"
    "         WHERE k.id = c.id"
    "            OR (g.plan = 'together' AND k.id IN (SELECT s.child_id"
    "                                                  FROM sibling_group_members s"
    "                                                 WHERE s.group_id = g.id))),"
    "       CASE WHEN g.id IS NOT NULL THEN sibling_group_json(g) END, g.plan"
    "  FROM children c"
    "  LEFT JOIN sibling_group_members m ON m.child_id = c.id"
    "  LEFT JOIN sibling_groups g ON g.id = m.group_id"
    " WHERE c.id = $1::uuid"};

const struct db_statement FF_REGISTER = {
    "ff_register",
    "SELECT coalesce(jsonb_agg(jsonb_build_object("
    "         'id', k.id, 'agency_id', k.agency_id, 'placed_now', coalesce(p.n, 0),"
    "         'approval', k.doc->'approval', 'postcode', k.doc->'postcode',"
    "         'languages', k.doc->'languages', 'religion', k.doc->'religion',"
    "         'ethnicities', k.doc->'ethnicities', 'skills', k.doc->'skills',"
    "         'pets', k.doc->'pets', 'carers', k.doc->'carers') ORDER BY k.id), '[]')"
    "  FROM carers k"
    "  LEFT JOIN (SELECT pl.carer_id, count(*) AS n FROM placements pl"
    "              WHERE pl.end_date IS NULL AND pl.carer_id IS NOT NULL"
    "                AND pl.child_id <> ALL ($1::uuid[])"
    "              GROUP BY pl.carer_id) p ON p.carer_id = k.id"};

const struct db_statement FF_MATCH_CHILD = {
    "ff_match_child", "SELECT child_id FROM matches WHERE id = $1::uuid"};

const struct db_statement SIBLING_CHILDREN_REACH = {
    "sibling_children_reach",
    "SELECT c.id, v.visible,"
    "       EXISTS (SELECT 1 FROM sibling_group_members m WHERE m.child_id = c.id)"
    "  FROM children c CROSS JOIN LATERAL child_access(c.id, $2, $3::text[]) v"
    " WHERE c.id = ANY ($1::uuid[]) FOR UPDATE OF c"};

const struct db_statement SIBLING_GROUP_INSERT = {
    "sibling_group_insert",
    "WITH g AS (INSERT INTO sibling_groups (plan, reason, created_by) VALUES ($1, $2, $3)"
    "           RETURNING id),"
    "     m AS (INSERT INTO sibling_group_members (group_id, child_id)"
    "           SELECT g.id, c FROM g, unnest($4::uuid[]) c)"
    "SELECT id FROM g"};

const struct db_statement SIBLING_GROUP_JSON = {
    "sibling_group_json",
    "SELECT sibling_group_json(g), g.version FROM sibling_groups g WHERE g.id = $1::uuid"};

const struct db_statement SIBLING_GROUP_GET = {
    "sibling_group_get",
    "SELECT sibling_group_json(g), g.version, bool_and(v.visible)"
    "  FROM sibling_groups g JOIN sibling_group_members m ON m.group_id = g.id"
    " CROSS JOIN LATERAL child_access(m.child_id, $2, $3::text[]) v"
    " WHERE g.id = $1::uuid GROUP BY g.id"};
