#include "carer_submissions.h"

const struct db_statement CARER_SUBMISSION_INSERT = {
    "carer_submission_insert",
    "WITH s AS (INSERT INTO carer_submissions (agency_id, created_by) VALUES ($1, $3)"
    "           RETURNING id)"
    " INSERT INTO carer_submission_versions (submission_id, version, profile, submitted_by)"
    " SELECT s.id, 1, $2::jsonb, $3 FROM s RETURNING submission_id"};

const struct db_statement CARER_SUBMISSION_GET = {
    "carer_submission_get",
    "SELECT carer_submission_json(s), s.version FROM carer_submissions s"
    " WHERE s.id = $1::uuid AND s.agency_id = $2"};

const struct db_statement CARER_SUBMISSION_LOCK = {
    "carer_submission_lock",
    "SELECT s.status, s.version, s.carer_id, s.agency_id, v.profile"
    "  FROM carer_submissions s"
    "  JOIN carer_submission_versions v ON v.submission_id = s.id AND v.version = s.version"
    " WHERE s.id = $1::uuid AND ($2::text IS NULL OR s.agency_id = $2::text)"
    "   FOR UPDATE OF s"};

const struct db_statement CARER_SUBMISSION_ADD_VERSION = {
    "carer_submission_add_version",
    "WITH s AS (UPDATE carer_submissions SET version = version + 1, status = 'submitted',"
    "                  updated_at = now()"
    "            WHERE id = $1::uuid RETURNING id, version),"
    "     superseded AS (UPDATE carer_submission_versions v SET status = 'superseded' FROM s"
    "                     WHERE v.submission_id = s.id AND v.version = s.version - 1"
    "                       AND v.status = 'submitted')"
    " INSERT INTO carer_submission_versions (submission_id, version, profile, submitted_by)"
    " SELECT s.id, s.version, $2::jsonb, $3 FROM s RETURNING version"};

const struct db_statement CARER_SUBMISSION_DECIDE = {
    "carer_submission_decide",
    "WITH s AS (UPDATE carer_submissions SET status = $2::text,"
    "                  carer_id = coalesce($4::uuid, carer_id), updated_at = now()"
    "            WHERE id = $1::uuid RETURNING id, version)"
    " UPDATE carer_submission_versions v SET status = $2::text, decided_by = $5,"
    "        decided_at = now(), returned_reasons = $3::jsonb"
    "   FROM s WHERE v.submission_id = s.id AND v.version = s.version RETURNING v.version"};

const struct db_statement CARER_SUBMISSION_VERSION_GET = {
    "carer_submission_version_get",
    "SELECT carer_submission_version_json(v, s.agency_id)"
    "  FROM carer_submissions s JOIN carer_submission_versions v ON v.submission_id = s.id"
    " WHERE s.id = $1::uuid AND s.agency_id = $2 AND v.version = $3::integer"};

const struct db_statement CARER_SUBMISSION_LIST_FOR_AGENCY = {
    "carer_submission_list_for_agency",
    "SELECT coalesce(json_agg(item ORDER BY id) FILTER (WHERE n <= $3::integer), '[]'),"
    "       (array_agg(id ORDER BY id DESC) FILTER (WHERE n <= $3::integer))[1],"
    "       count(*) > $3::integer"
    "  FROM (SELECT s.id, carer_submission_json(s) AS item, row_number() OVER (ORDER BY s.id) AS n"
    "          FROM carer_submissions s"
    "         WHERE s.agency_id = $1 AND ($2::uuid IS NULL OR s.id > $2::uuid)"
    "         ORDER BY s.id LIMIT $3::integer + 1) page"};

const struct db_statement CARER_SUBMISSION_LIST = {
    "carer_submission_list",
    "SELECT coalesce(json_agg(item ORDER BY id) FILTER (WHERE n <= $3::integer), '[]'),"
    "       (array_agg(id ORDER BY id DESC) FILTER (WHERE n <= $3::integer))[1],"
    "       count(*) > $3::integer"
    "  FROM (SELECT s.id, carer_submission_json(s) AS item, row_number() OVER (ORDER BY s.id) AS n"
    "          FROM carer_submissions s"
    "         WHERE ($1::text IS NULL OR s.status = $1::text)"
    "           AND ($2::uuid IS NULL OR s.id > $2::uuid)"
    "         ORDER BY s.id LIMIT $3::integer + 1) page"};

const struct db_statement CARER_SUBMISSION_CARER_LOCK = {
    "carer_submission_carer_lock",
    "SELECT doc FROM carers WHERE id = $1::uuid FOR UPDATE"};
