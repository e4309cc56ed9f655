#include "external_ids.h"

const struct db_statement EXTERNAL_ID_CLAIM = {
    "external_id_claim",
    "WITH lock AS (SELECT pg_advisory_xact_lock(hashtextextended($1 || '/' || $2 || '/' || $3, 7461))"
    ")"
    "SELECT e.resource_id FROM lock, external_ids e"
    " WHERE e.resource_type = $1 AND e.system = $2 AND e.external_id = $3"};
