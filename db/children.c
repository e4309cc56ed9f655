#include "children.h"

const struct db_statement CHILD_INSERT = {
    "child_insert",
    "INSERT INTO children AS c (team, doc, date_of_birth, created_by)"
    " VALUES ((SELECT team FROM people WHERE id = $1), $2::jsonb,"
    "         ($2::jsonb->>'date_of_birth')::date, $1)"
    " RETURNING child_json(c), c.version, c.id"};

const struct db_statement CHILD_GET = {
    "child_get",
    "SELECT child_json(c), c.version, child_visible(c.id, $2, $3::text[])"
    "  FROM children c WHERE c.id = $1::uuid"};

const struct db_statement CHILD_LOCK = {
    "child_lock",
    "SELECT c.doc, c.version, child_visible(c.id, $2, $3::text[]), c.date_of_birth, c.team"
    "  FROM children c WHERE c.id = $1::uuid FOR UPDATE"};

const struct db_statement CHILD_UPDATE = {
    "child_update",
    "UPDATE children c SET doc = $2::jsonb, date_of_birth = ($2::jsonb->>'date_of_birth')::date,"
    "       version = c.version + 1, updated_at = now()"
    " WHERE c.id = $1::uuid RETURNING child_json(c), c.version"};

const struct db_statement CHILD_LIST = {
    "child_list",
    "SELECT coalesce(json_agg(item ORDER BY id) FILTER (WHERE n <= $6::integer), '[]'),"
    "       (array_agg(id ORDER BY id DESC) FILTER (WHERE n <= $6::integer))[1],"
    "       count(*) > $6::integer,"
    "       json_build_object('read', coalesce(json_agg(id ORDER BY id)"
    "                                          FILTER (WHERE n <= $6::integer), '[]'))"
    "  FROM (SELECT c.id, child_json(c) AS item, row_number() OVER (ORDER BY c.id) AS n"
    "          FROM children c"
    "         WHERE ($5::uuid IS NULL OR c.id > $5::uuid)"
    "           AND child_visible(c.id, $1, $2::text[])"
    "           AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM external_ids e"
    "                 WHERE e.resource_type = 'child' AND e.resource_id = c.id"
    "                   AND e.system = $3 AND ($4::text IS NULL OR e.external_id = $4)))"
    "         ORDER BY c.id LIMIT $6::integer + 1) page"};

const struct db_statement EXTERNAL_IDS_CLEAR = {
    "external_ids_clear",
    "DELETE FROM external_ids WHERE resource_type = $1 AND resource_id = $2::uuid"};

const struct db_statement EXTERNAL_IDS_INSERT = {
    "external_ids_insert",
    "INSERT INTO external_ids (resource_type, system, external_id, resource_id)"
    " SELECT $1, e->>'system', e->>'id', $2::uuid"
    "   FROM jsonb_array_elements(coalesce($3::jsonb->'external_ids', '[]')) e"};

const struct db_statement PERSON_TEAM = {"person_team", "SELECT team FROM people WHERE id = $1"};
