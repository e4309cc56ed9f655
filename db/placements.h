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
/* $1 id, $2 sub, $3 kinds: (start_date, end_date, visible, child_id) FOR UPDATE */
extern const struct db_statement PLACEMENT_LOCK;
/* $1 id, $2 end_date, $3 reason, $4 unplanned (bool or null): (json, version) */
extern const struct db_statement PLACEMENT_END;
/* $1 child, $2 after, $3 limit: page */
extern const struct db_statement PLACEMENT_LIST_FOR_CHILD;

#endif
