#include "carer_notices.h"

const struct db_statement CARER_NOTICE_FACTS = {
    "carer_notice_facts",
    "SELECT p.end_date IS NOT NULL, n.placement_id IS NOT NULL, n.discussed_on IS NOT NULL,"
    "       n.notice_given_on IS NOT NULL,"
    "       v.visible OR (SELECT w.visible FROM child_access(p.child_id, $2, $5::text[]) w),"
    "       n.discussed_on, p.version"
    "  FROM placements p JOIN carers c ON c.id = p.carer_id"
    "  CROSS JOIN LATERAL carer_access(c.id, c.agency_id, $2, $4, $3::text[]) v"
    "  LEFT JOIN carer_notices n ON n.placement_id = p.id"
    " WHERE p.id = $1::uuid FOR UPDATE OF p"};

const struct db_statement CARER_WISH_INSERT = {
    "carer_wish_insert",
    "INSERT INTO carer_notices AS n (placement_id, wish_reason, wish_recorded_by)"
    " VALUES ($1::uuid, $2, $3) RETURNING carer_notice_json(n)"};

const struct db_statement CARER_NOTICE_DISCUSSED = {
    "carer_notice_discussed",
    "UPDATE carer_notices n SET discussed_on = $2::date, discussion_ssw_id = $3,"
    "       discussion_team_manager_id = $4, discussion_notes = $5, discussion_recorded_by = $6"
    " WHERE placement_id = $1::uuid RETURNING carer_notice_json(n)"};

const struct db_statement CARER_NOTICE_GIVEN = {
    "carer_notice_given",
    "UPDATE carer_notices n SET notice_given_on = $2::date, notice_reason = $3,"
    "       notice_given_by = $4"
    " WHERE placement_id = $1::uuid RETURNING carer_notice_json(n)"};
