#include "documents.h"

const struct db_statement DOCUMENT_INSERT = {
    "document_insert",
    "INSERT INTO documents AS d (subject_type, subject_id, type, title, document_date, author,"
    "                            link, external_document_id, covers, created_by)"
    " SELECT $1, $2::uuid, x->>'type', x->>'title', (x->>'date')::date, x->>'author',"
    "        x->>'link', x->>'external_document_id',"
    "        ARRAY(SELECT jsonb_array_elements_text(coalesce(x->'covers', '[]'))), $4"
    "   FROM (SELECT $3::jsonb AS x) input"
    " RETURNING document_json(d), d.id"};

const struct db_statement DOCUMENT_LIST = {
    "document_list",
    "SELECT coalesce(jsonb_agg(document_json(d) ORDER BY d.document_date DESC,"
    "                          d.created_at DESC), '[]')"
    "  FROM documents d"
    " WHERE d.subject_type = $1 AND d.subject_id = $2::uuid AND ($3::text IS NULL OR d.type = $3)"};
