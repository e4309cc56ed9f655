/* SQL of the audit trail (R1): writing rows, listing them, sealing and verifying the chain. */
#ifndef DB_AUDIT_H
#define DB_AUDIT_H

#include "pool.h"

/* $1 sub, $2 roles (text[]), $3 method, $4 route, $5 resource_type, $6 resource_id, $7 status,
 * $8 changes (jsonb), $9 request_id */
extern const struct db_statement AUDIT_INSERT;
/* Reads' and refusals' rows written in batches (db_copy_in), in COPY text format, columns: at,
 * sub, roles, method, route, resource_type, resource_id, status, changes, request_id. */
extern const char AUDIT_COPY[];
/* $1 sub, $2 resource_type, $3 resource_id, $4 from, $5 to, $6 after id, $7 limit:
 * (items_json, last_key, more) */
extern const struct db_statement AUDIT_LIST;
/* (ok, checked, unsealed, broken_seq, broken_audit_id, reason) */
extern const struct db_statement AUDIT_VERIFY;

#endif
