/* SQL of long-term matches: starting and proposing (M1-M3), the fee discussion (M11), the way
 * through panel and the decision maker's decision (M7), the letters (M10). */
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
/* $1 id, $2 sub, $3 kinds: (status, finder_id, visible, child team manager's reach, version)
 * FOR UPDATE */
extern const struct db_statement MATCH_LOCK;
/* $1 id, $2 carer, $3 the search that led to it (json), $4 the sibling group it is for or
 * null: (json, version) */
extern const struct db_statement MATCH_PROPOSE;
/* $1 id, $2 reason: (json, version); a listed panel item is withdrawn with it (the match keeps
 * its link to the item, and a recommendation stays on record) */
extern const struct db_statement MATCH_WITHDRAW;
/* $1 id, $2 status, $3 the current panel item or null: (json, version) */
extern const struct db_statement MATCH_SET_STATUS;
/* $1 id, $2 the discussion json, $3 recorded_by: (json, version) */
extern const struct db_statement MATCH_FEE_DISCUSSION;
/* $1 id: (the carer's agency_id or null); no row without a carer */
extern const struct db_statement MATCH_CARER_AGENCY;
/* $1 id: (status, the panel's outcome, the panel's decision maker, finder, decided, decision
 * circulated, decided_at epoch or null, child_id, carer_id, version) with the match locked */
extern const struct db_statement MATCH_DECISION_FACTS;
/* $1 id, $2 agreed, $3 reasons, $4 decided_by: (json, version) */
extern const struct db_statement MATCH_DECIDE;
/* $1 id, $2 circulated_at: (json, version) */
extern const struct db_statement MATCH_DECISION_CIRCULATED;
/* $1 id: (status, child doc, carer doc, panel date, decision date (London), child id) */
extern const struct db_statement MATCH_LETTER_FACTS;
/* $1 sub, $2 kinds, $3 child or null, $4 status or null, $5 after, $6 limit, $7 panel or null:
 * page */
extern const struct db_statement MATCH_LIST;

#endif
