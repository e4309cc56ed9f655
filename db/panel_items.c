#include "panel_items.h"

const struct db_statement PANEL_FACTS = {
    "panel_facts",
    "SELECT p.kind, coalesce(p.part, 0), to_char(p.panel_date, 'YYYY-MM-DD'), p.created_by,"
    "       p.decision_maker_id,"
    "       NOT EXISTS (SELECT 1 FROM panels o"
    "                    WHERE o.kind = p.kind AND o.panel_date > p.panel_date"
    "                      AND date_trunc('month', o.panel_date) = date_trunc('month', p.panel_date)),"
    "       m.seat"
    "  FROM panels p LEFT JOIN panel_members m ON m.panel_id = p.id AND m.person_id = $2"
    " WHERE p.id = $1::uuid"};

const struct db_statement SUBMISSION_FACTS = {
    "submission_facts",
    "SELECT m.status, m.kind, m.child_id, m.carer_id, coalesce(c.doc->'profile', '{}'),"
    "       coalesce(k.doc, '{}'), k.agency_id IS NOT NULL, m.fee_discussion IS NOT NULL,"
    "       EXISTS (SELECT 1 FROM documents d WHERE d.subject_type = 'child'"
    "                 AND d.subject_id = m.child_id AND d.type = 'matching_report'),"
    "       EXISTS (SELECT 1 FROM documents d WHERE d.subject_type = 'carer'"
    "                 AND d.subject_id = m.carer_id AND d.type = 'fostering_household_review'),"
    "       (SELECT to_jsonb(d.covers) FROM documents d WHERE d.subject_type = 'child'"
    "          AND d.subject_id = m.child_id AND d.type = 'support_plan'"
    "        ORDER BY d.document_date DESC, d.created_at DESC LIMIT 1)"
    "  FROM matches m JOIN children c ON c.id = m.child_id LEFT JOIN carers k ON k.id = m.carer_id"
    " WHERE m.id = $1::uuid FOR UPDATE OF m"};

const struct db_statement REQUEST_FACTS = {
    "request_facts",
    "SELECT EXISTS (SELECT 1 FROM documents d WHERE d.subject_type = 'child'"
    "                 AND d.subject_id = c.id AND d.type = 'permanence_plan'),"
    "       EXISTS (SELECT 1 FROM documents d WHERE d.subject_type = 'child'"
    "                 AND d.subject_id = c.id AND d.type = 'ppm_minutes'),"
    "       EXISTS (SELECT 1 FROM documents d WHERE d.subject_type = 'child'"
    "                 AND d.subject_id = c.id AND d.type = 'panel_request_form'),"
    "       EXISTS (SELECT 1 FROM placements pl WHERE pl.child_id = c.id AND pl.unplanned"
    "                 AND pl.end_date >= $2::date - $3::integer AND pl.end_date <= $2::date),"
    "       v.visible"
    "  FROM children c CROSS JOIN LATERAL child_access(c.id, $4, $5::text[]) v"
    " WHERE c.id = $1::uuid"};

const struct db_statement ITEM_INSERT = {
    "item_insert",
    "INSERT INTO panel_items AS i (panel_id, part, type, match_id, child_id, carer_id, summary,"
    "                              care_history_explanation, documents, created_by, placement_id)"
    " VALUES ($1::uuid, $2::integer, $3, $4::uuid, $5::uuid, $6::uuid, $7, $8,"
    "         (SELECT coalesce(jsonb_agg(newest.doc ORDER BY newest.subject_type, newest.type), '[]')"
    "            FROM (SELECT DISTINCT ON (d.subject_type, d.type) d.subject_type, d.type,"
    "                         document_json(d) AS doc"
    "                    FROM documents d"
    "                   WHERE (d.subject_type = 'child' AND d.subject_id = $5::uuid)"
    "                      OR (d.subject_type = 'carer' AND d.subject_id = $6::uuid)"
    "                   ORDER BY d.subject_type, d.type, d.document_date DESC,"
    "                            d.created_at DESC) newest),"
    "         $9, $10::uuid)"
    " RETURNING panel_item_json(i), i.id, i.version"};

const struct db_statement ITEM_PAPERS = {
    "item_papers",
    "SELECT panel_item_json(i), i.version, c.doc, c.id, to_char(c.date_of_birth, 'YYYY-MM-DD'),"
    "       CASE WHEN k.id IS NULL THEN NULL"
    "            ELSE jsonb_build_object('id', k.id, 'carers', k.doc->'carers',"
    "                                    'background', k.doc->'background',"
    "                                    'skills', k.doc->'skills',"
    "                                    'home_environment', k.doc->'home_environment',"
    "                                    'supports', k.doc->'supports',"
    "                                    'approval', k.doc->'approval',"
    "                                    'agency_id', k.agency_id) END,"
    "       (SELECT m.search FROM matches m WHERE m.id = i.match_id)"
    "  FROM panel_items i JOIN children c ON c.id = i.child_id"
    "  LEFT JOIN carers k ON k.id = i.carer_id"
    " WHERE i.panel_id = $1::uuid AND i.id = $2::uuid"};

const struct db_statement ITEM_LIST = {
    "item_list",
    "SELECT coalesce(json_agg(item ORDER BY id) FILTER (WHERE n <= $3::integer), '[]'),"
    "       (array_agg(id ORDER BY id DESC) FILTER (WHERE n <= $3::integer))[1],"
    "       count(*) > $3::integer"
    "  FROM (SELECT i.id, panel_item_json(i) AS item, row_number() OVER (ORDER BY i.id) AS n"
    "          FROM panel_items i"
    "         WHERE i.panel_id = $1::uuid AND ($2::uuid IS NULL OR i.id > $2::uuid)"
    "         ORDER BY i.id LIMIT $3::integer + 1) page"};

const struct db_statement ITEMS_LATEST_LISTING = {
    "items_latest_listing",
    "SELECT floor(extract(epoch FROM max(created_at)))::bigint FROM panel_items"
    " WHERE panel_id = $1::uuid AND status = 'listed' AND papers_circulated_at IS NULL"};

const struct db_statement ITEMS_CIRCULATE = {
    "items_circulate",
    "UPDATE panel_items SET papers_circulated_at = $2::timestamptz, version = version + 1"
    " WHERE panel_id = $1::uuid AND status = 'listed' AND papers_circulated_at IS NULL"};

const struct db_statement ITEMS_LISTED = {
    "items_listed",
    "SELECT coalesce(jsonb_agg(panel_item_json(i) ORDER BY i.id), '[]')"
    "  FROM panel_items i WHERE i.panel_id = $1::uuid AND i.status = 'listed'"};

const struct db_statement ITEM_MATCH_LOCK = {
    "item_match_lock",
    "SELECT m.id FROM matches m"
    " WHERE m.id = (SELECT i.match_id FROM panel_items i"
    "                WHERE i.panel_id = $1::uuid AND i.id = $2::uuid)"
    " FOR UPDATE"};

const struct db_statement ITEM_LOCK = {
    "item_lock",
    "SELECT i.status, i.match_id, floor(extract(epoch FROM i.papers_circulated_at))::bigint,"
    "       i.late_papers_reason IS NOT NULL, m.kind,"
    "       coalesce(c.doc->'disability'->>'needs', '') ~ '\\S', i.version"
    "  FROM panel_items i JOIN children c ON c.id = i.child_id"
    "  LEFT JOIN matches m ON m.id = i.match_id"
    " WHERE i.panel_id = $1::uuid AND i.id = $2::uuid FOR UPDATE OF i"};

const struct db_statement ITEM_ACCEPT_LATE_PAPERS = {
    "item_accept_late_papers",
    "UPDATE panel_items i SET late_papers_reason = $2, late_papers_accepted_by = $3,"
    "       late_papers_accepted_at = now(), version = i.version + 1"
    " WHERE i.id = $1::uuid RETURNING panel_item_json(i), i.version"};

const struct db_statement ITEM_RECORD_RECOMMENDATION = {
    "item_record_recommendation",
    "UPDATE panel_items i SET status = $2, recommendation = $3::jsonb, version = i.version + 1"
    " WHERE i.id = $1::uuid RETURNING panel_item_json(i), i.version"};
