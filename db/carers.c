#include "carers.h"

/* The columns beside the document (agency, approval) are taken from the validated document. */

const struct db_statement CARER_INSERT = {
    "carer_insert",
    "INSERT INTO carers AS c (team, doc, agency_id, approval_status, approved_on, max_children,"
    "                      created_by)"
    " SELECT (SELECT team FROM people WHERE id = $1), d, d->>'agency_id',"
    "        d->'approval'->>'status', (d->'approval'->>'approved_on')::date,"
    "        (d->'approval'->>'max_children')::integer, $1"
    "   FROM (SELECT $2::jsonb AS d) input"
    " RETURNING carer_json(c), c.version, c.id"};

const struct db_statement CARER_GET = {
    "carer_get",
    "SELECT carer_json(c), c.version, v.visible"
    "  FROM carers c CROSS JOIN LATERAL carer_access(c.id, c.agency_id, $2, $4, $3::text[]) v"
    " WHERE c.id = $1::uuid"};

const struct db_statement CARER_LOCK = {
    "carer_lock",
    "SELECT c.doc, c.version, v.visible, c.approval_status, c.approved_on, c.max_children,"
    "       (SELECT count(*) FROM placements p WHERE p.carer_id = c.id AND p.end_date IS NULL)"
    "  FROM carers c CROSS JOIN LATERAL carer_access(c.id, c.agency_id, $2, $4, $3::text[]) v"
    " WHERE c.id = $1::uuid FOR UPDATE OF c"};

const struct db_statement CARER_UPDATE = {
    "carer_update",
    "UPDATE carers c SET doc = d, agency_id = d->>'agency_id',"
    "       approval_status = d->'approval'->>'status',"
    "       approved_on = (d->'approval'->>'approved_on')::date,"
    "       max_children = (d->'approval'->>'max_children')::integer,"
    "       version = c.version + 1, updated_at = now()"
    "  FROM (SELECT $2::jsonb AS d) input"
    " WHERE c.id = $1::uuid RETURNING carer_json(c), c.version"};

const struct db_statement CARER_LIST = {
    "carer_list",
    "SELECT coalesce(json_agg(item ORDER BY id) FILTER (WHERE n <= $5::integer), '[]'),"
    "       (array_agg(id ORDER BY id DESC) FILTER (WHERE n <= $5::integer))[1],"
    "       count(*) > $5::integer"
    "  FROM (SELECT c.id, carer_json(c) AS item, row_number() OVER (ORDER BY c.id) AS n"
    "          FROM carers c"
    "         CROSS JOIN LATERAL carer_access(c.id, c.agency_id, $1, $3, $2::text[]) v"
    "         WHERE ($4::uuid IS NULL OR c.id > $4::uuid) AND v.visible"
    "         ORDER BY c.id LIMIT $5::integer + 1) page"};

const struct db_statement CARER_SUPERVISION_FACTS = {
    "carer_supervision_facts",
    "SELECT c.approval_status = 'approved', c.approved_on,"
    "       (SELECT count(*) FROM actions a WHERE a.subject_id = c.id"
    "           AND a.duty = 'supervision_visit' AND a.status = 'open')"
    "  FROM carers c WHERE c.id = $1::uuid"};
