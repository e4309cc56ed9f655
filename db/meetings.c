#include "meetings.h"

const struct db_statement MEETING_CHILD_FACTS = {
    "meeting_child_facts",
    "SELECT c.date_of_birth, p.id, v.visible, p.carer_id"
    "  FROM children c CROSS JOIN LATERAL child_access(c.id, $2, $3::text[]) v"
    "  LEFT JOIN placements p ON p.child_id = c.id AND p.end_date IS NULL"
    " WHERE c.id = $1::uuid"};

const struct db_statement CARER_EXISTS = {
    "carer_exists", "SELECT 1 FROM carers WHERE id = $1::uuid"};

const struct db_statement PLACEMENT_ENDING_FACTS = {
    "placement_ending_facts",
    "SELECT p.child_id, p.carer_id, p.end_date, p.unplanned, p.u1_earliest_on, p.u1_latest_on,"
    "       c.date_of_birth"
    "  FROM placements p JOIN children c ON c.id = p.child_id WHERE p.id = $1::uuid"};

const struct db_statement MEETING_INSERT = {
    "meeting_insert",
    "INSERT INTO meetings AS m (type, child_id, carer_id, placement_id, scheduled_at, chair_id,"
    "                           created_by)"
    " VALUES ($1, $2::uuid, $3::uuid, $4::uuid, date_trunc('second', $5::timestamptz), $6, $7)"
    " RETURNING meeting_json(m), m.version, m.id"};

const struct db_statement MEETING_GET = {
    "meeting_get",
    "SELECT meeting_json(m), m.version, v.visible OR m.chair_id = $2"
    "  FROM meetings m CROSS JOIN LATERAL child_access(m.child_id, $2, $3::text[]) v"
    " WHERE m.id = $1::uuid"};

const struct db_statement MEETING_LOCK = {
    "meeting_lock",
    "SELECT m.version, v.visible OR m.chair_id = $2, m.type, m.child_id, m.status, m.chair_id,"
    "       m.placement_id, m.minutes IS NOT NULL, m.circulated_at IS NOT NULL, m.carer_id"
    "  FROM meetings m CROSS JOIN LATERAL child_access(m.child_id, $2, $3::text[]) v"
    " WHERE m.id = $1::uuid FOR UPDATE OF m"};

const struct db_statement MEETING_HOLD = {
    "meeting_hold",
    "UPDATE meetings m SET status = 'held', held_on = $2::date, attendees = $3::jsonb,"
    "       child_views = $4, carer_views = $5, learning = $6, outcome = $7,"
    "       minutes_due_at = $8::timestamptz, version = version + 1, updated_at = now()"
    " WHERE id = $1::uuid RETURNING meeting_json(m), m.version"};

const struct db_statement MEETING_SET_MINUTES = {
    "meeting_set_minutes",
    "UPDATE meetings m SET minutes = $2::jsonb, version = version + 1, updated_at = now()"
    " WHERE id = $1::uuid RETURNING meeting_json(m), m.version"};

const struct db_statement MEETING_CIRCULATE = {
    "meeting_circulate",
    "UPDATE meetings m SET circulated_at = date_trunc('second', now()), version = version + 1,"
    "       updated_at = now()"
    " WHERE id = $1::uuid"
    " RETURNING meeting_json(m), m.version, coalesce(m.circulated_at > m.minutes_due_at, false)"};

const struct db_statement MEETING_LIST = {
    "meeting_list",
    "SELECT coalesce(json_agg(item ORDER BY at, id) FILTER (WHERE n <= $8::integer), '[]'),"
    "       (array_agg(iso_utc(at) || '|' || id ORDER BY at DESC, id DESC)"
    "          FILTER (WHERE n <= $8::integer))[1],"
    "       count(*) > $8::integer,"
    "       coalesce(json_agg(id) FILTER (WHERE n <= $8::integer), '[]')"
    "  FROM (SELECT m.id, m.scheduled_at AS at, meeting_json(m) AS item,"
    "               row_number() OVER (ORDER BY m.scheduled_at, m.id) AS n"
    "          FROM meetings m CROSS JOIN LATERAL child_access(m.child_id, $1, $2::text[]) v"
    "         WHERE (v.visible OR m.chair_id = $1)"
    "           AND ($3::uuid IS NULL OR m.child_id = $3::uuid)"
    "           AND ($4::text IS NULL OR m.type = $4)"
    "           AND ($5::date IS NULL"
    "                OR (m.scheduled_at AT TIME ZONE 'Europe/London')::date >= $5::date)"
    "           AND ($6::date IS NULL"
    "                OR (m.scheduled_at AT TIME ZONE 'Europe/London')::date <= $6::date)"
    "           AND ($7::text IS NULL"
    "                OR (m.scheduled_at, m.id) > (split_part($7, '|', 1)::timestamptz,"
    "                                             split_part($7, '|', 2)::uuid))"
    "         ORDER BY m.scheduled_at, m.id LIMIT $8::integer + 1) page"};

const struct db_statement CHILD_REVIEW_FACTS = {
    "child_review_facts",
    "SELECT c.doc->>'entered_care_on',"
    "       (SELECT string_agg(m.held_on::text, ',' ORDER BY m.held_on)"
    "          FROM meetings m"
    "         WHERE m.child_id = c.id AND m.type = 'cic_review' AND m.status = 'held'),"
    "       (SELECT count(*) FROM actions a"
    "         WHERE a.subject_id = c.id AND a.source_rule = 'P7' AND a.status = 'open'),"
    "       EXISTS (SELECT 1 FROM documents d WHERE d.subject_type = 'child'"
    "                  AND d.subject_id = c.id AND d.type = 'permanence_plan')"
    "  FROM children c WHERE c.id = $1::uuid"};

const struct db_statement PERMANENCE_PLANS_MISSING = {
    "permanence_plans_missing",
    "SELECT c.id, concat_ws(' ', c.doc->>'given_name', c.doc->>'family_name'),"
    "       c.doc->>'entered_care_on',"
    "       (SELECT string_agg(m.held_on::text, ',' ORDER BY m.held_on)"
    "          FROM meetings m"
    "         WHERE m.child_id = c.id AND m.type = 'cic_review' AND m.status = 'held')"
    "  FROM children c CROSS JOIN LATERAL child_access(c.id, $1, $2::text[]) v"
    " WHERE v.visible AND c.doc ? 'entered_care_on'"
    "   AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.subject_type = 'child'"
    "                      AND d.subject_id = c.id AND d.type = 'permanence_plan')"};

const struct db_statement STABILITY_MEETINGS_HELD = {
    "stability_meetings_held",
    "SELECT held_on FROM meetings"
    " WHERE child_id = $1::uuid AND type = 'stability' AND status = 'held'"};
