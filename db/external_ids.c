#include "external_ids.h"

const struct db_statement EXTERNAL_ID_LOCK = {
    "external_id_lock",
    "SELECT pg_advisory_xact_lock(hashtextextended($1 || '/' || $2 || '/' || $3, 7461))"};

const struct db_statement EXTERNAL_ID_FIND = {
    "external_id_find",
    "SELECT resource_id FROM external_ids"
    " WHERE resource_type = $1 AND system = $2 AND external_id = $3"};
