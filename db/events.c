#include "events.h"

const struct db_statement EVENT_INSERT = {
    "event_insert",
    "INSERT INTO events (type, subject_type, subject_id, recipient, payload)"
    " VALUES ($1, $2, $3, $4, $5::jsonb)"};
