/* SQL of long-term matches (M1-M3). */
#ifndef DB_MATCHES_H
#define DB_MATCHES_H

#include "pool.h"

/* $1 child, $2 caller, $3 carer or null: (date_of_birth, the caller's active allocation roles
 * on the child as a text array, has an All About Me, has a family chronology, the carer is
 * approved as connected person for this child) with the child locked; no row when no child */
extern const struct db_statement MATCH_START_FACTS;
/* $1 child, $2 carer, $3 kind, $4 status, $5 finder_role, $6 finder, $7 started_on,
 * $8 created_by: (json, id, version) */
extern const struct db_statement MATCH_INSERT;
/* $1 id, $2 sub, $3 kinds: (json, version, visible) */
extern const struct db_statement MATCH_GET;
/* $1 id, $2 sub, $3 kinds: (status, finder_id, visible, child team manager's reach) FOR UPDATE */
extern const struct db_statement MATCH_LOCK;
/* $1 id, $2 carer: (json, version) */
extern const struct db_statement MATCH_PROPOSE;
/* $1 id, $2 reason: (json, version) */
extern const struct db_statement MATCH_WITHDRAW;
/* $1 sub, $2 kinds, $3 child or null, $4 status or null, $5 after, $6 limit: page */
extern const struct db_statement MATCH_LIST;
/* $1 carer: (approval status) */
extern const struct db_statement CARER_APPROVAL;

#endif
