/* SQL of placements: a child living with a carer from a start date until an ending. */
#ifndef DB_PLACEMENTS_H
#define DB_PLACEMENTS_H

#include "pool.h"

/* $1 child, $2 carer, $3 start, $4 type, $5 created_by: (json, id, version) */
extern const struct db_statement PLACEMENT_INSERT;
/* $1 child: (open placements of the child) */
extern const struct db_statement PLACEMENT_OPEN_COUNT;
/* $1 id, $2 sub, $3 kinds: (json, version, visible) */
extern const struct db_statement PLACEMENT_GET;
/* $1 id, $2 sub, $3 kinds: (start_date, end_date, visible, child_id, version) FOR UPDATE */
extern const struct db_statement PLACEMENT_LOCK;
/* $1 id, $2 end_date, $3 reason, $4 unplanned (bool or null), $5 and $6 the first and last day
 * of the unplanned-ending meeting's window (U1; null when planned): (json, version) */
extern const struct db_statement PLACEMENT_END;
/* U2: $1 id, $2 sub, $3 kinds: (end_date, unplanned, already waived, visible, child_id,
 * version) FOR UPDATE */
extern const struct db_statement PLACEMENT_WAIVER_FACTS;
/* U2: $1 id, $2 reason, $3 by: (json, version) */
extern const struct db_statement PLACEMENT_WAIVE_U1;
/* A case system's sync: $1 id, $2 sub, $3 kinds: (child_id, carer_id, start_date,
 * placement_type, end_date, end_reason, visible, version, json, unplanned) FOR UPDATE */
extern const struct db_statement PLACEMENT_SYNC_LOCK;
/* $1 child, $2 after, $3 limit: page */
extern const struct db_statement PLACEMENT_LIST_FOR_CHILD;

#endif
