/* The JSON of a document record (a child, a carer) composed from its stored document and the
 * service's fields, here rather than in SQL: building JSON in the database cost more than the
 * rest of a read. */
#ifndef API_RECORD_JSON_H
#define API_RECORD_JSON_H

#include <libpq-fe.h>

/* The record at `row` of `res`, whose columns from `first` on are (id, team, version,
 * created_at epoch, updated_at epoch, doc) as RECORD_COLUMNS in the db/ files return them:
 * {"id", "team", "version", "created_at", "updated_at", ...the document's members}. Returns a
 * string the caller frees, or NULL when out of memory. */
char *record_json(const PGresult *res, int row, int first);

/* The records of every row of `res` (up to `limit` rows) as a JSON array, and the id of the last
 * one into `last_id` (at least 37 bytes; "" when none). Returns a string the caller frees. */
char *record_json_array(const PGresult *res, int limit, int first, char *last_id);

#endif
