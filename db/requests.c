#include "requests.h"

const struct db_statement STABILITY_REQUEST_INSERT = {
    "stability_request_insert",
    "INSERT INTO stability_requests (child_id, reason, raised_by, requested_by)"
    " VALUES ($1::uuid, $2, $3::jsonb, $4) RETURNING id, iso_utc(requested_at)"};

const struct db_statement SUPPORT_REQUEST_INSERT = {
    "support_request_insert",
    "INSERT INTO support_requests (carer_id, serious, detail, requested_by)"
    " VALUES ($1::uuid, $2::boolean, $3, $4)"
    " RETURNING id, date_part('epoch', requested_at)::bigint"};
