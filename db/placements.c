#include "placements.h"

const struct db_statement PLACEMENT_INSERT = {
    "placement_insert",
    "INSERT INTO placements AS p (child_id, carer_id, start_date, placement_type, created_by)"
    " VALUES ($1::uuid, $2::uuid, $3::date, $4, $5)"
    " RETURNING placement_json(p), p.id, p.version"};

const struct db_statement PLACEMENT_OPEN_COUNT = {
    "placement_open_count",
    "SELECT count(*) FROM placements WHERE child_id = $1::uuid AND end_date IS NULL"};

const struct db_statement PLACEMENT_GET = {
    "placement_get",
    "SELECT placement_json(p), p.version, v.visible"
    "  FROM placements p CROSS JOIN LATERAL child_access(p.child_id, $2, $3::text[]) v"
    " WHERE p.id = $1::uuid"};

const struct db_statement PLACEMENT_LOCK = {
    "placement_lock",
    "SELECT p.start_date, p.end_date, v.visible, p.child_id, p.version"
    "  FROM placements p CROSS JOIN LATERAL child_access(p.child_id, $2, $3::text[]) v"
    " WHERE p.id = $1::uuid FOR UPDATE OF p"};

const struct db_statement PLACEMENT_END = {
    "placement_end",
    "UPDATE placements p SET end_date = $2::date, end_reason = $3, unplanned = $4::boolean,"
    "       u1_earliest_on = $5::date, u1_latest_on = $6::date,"
    "       version = p.version + 1, updated_at = now()"
    " WHERE p.id = $1::uuid RETURNING placement_json(p), p.version"};

const struct db_statement PLACEMENT_LIST_FOR_CHILD = {
    "placement_list_child",
    "SELECT coalesce(json_agg(item ORDER BY id) FILTER (WHERE n <= $3::integer), '[]'),"
    "       (array_agg(id ORDER BY id DESC) FILTER (WHERE n <= $3::integer))[1],"
    "       count(*) > $3::integer"
    "  FROM (SELECT p.id, placement_json(p) AS item, row_number() OVER (ORDER BY p.id) AS n"
    "          FROM placements p"
    "         WHERE p.child_id = $1::uuid AND ($2::uuid IS NULL OR p.id > $2::uuid)"
    "         ORDER BY p.id LIMIT $3::integer + 1) page"};

const struct db_statement PLACEMENT_WAIVE_U1 = {
    "placement_waive_u1",
    "UPDATE placements p SET u1_waiver_reason = $2, u1_waived_by = $3, u1_waived_at = now(),"
    "       version = p.version + 1, updated_at = now()"
    " WHERE p.id = $1::uuid RETURNING placement_json(p), p.version"};

const struct db_statement PLACEMENT_WAIVER_FACTS = {
    "placement_waiver_facts",
    "SELECT p.end_date, p.unplanned, p.u1_waiver_reason IS NOT NULL, v.visible, p.child_id,"
    "       p.version"
    "  FROM placements p CROSS JOIN LATERAL child_access(p.child_id, $2, $3::text[]) v"
    " WHERE p.id = $1::uuid FOR UPDATE OF p"};

const struct db_statement PLACEMENT_SYNC_LOCK = {
    "placement_sync_lock",
    "SELECT p.child_id, p.carer_id, p.start_date, p.placement_type, p.end_date, p.end_reason,"
    "       v.visible, p.version, placement_json(p), p.unplanned"
    "  FROM placements p CROSS JOIN LATERAL child_access(p.child_id, $2, $3::text[]) v"
    " WHERE p.id = $1::uuid FOR UPDATE OF p"};
