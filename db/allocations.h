/* SQL of allocations: who works a child's case (csw, iro, family finder) or supervises a
 * carer (ssw), from when and until when. */
#ifndef DB_ALLOCATIONS_H
#define DB_ALLOCATIONS_H

#include "pool.h"

/* $1 child, $2 person, $3 role, $4 from, $5 created_by: (json, id) */
extern const struct db_statement ALLOCATION_INSERT_FOR_CHILD;
/* $1 carer, $2 person, $3 role, $4 from, $5 created_by: (json, id) */
extern const struct db_statement ALLOCATION_INSERT_FOR_CARER;
/* $1 child, $2 from: ends the child's current csw allocation(s) on that date */
extern const struct db_statement ALLOCATION_END_CURRENT_CSW;
/* $1 child: (json array) */
extern const struct db_statement ALLOCATION_LIST_FOR_CHILD;
/* $1 carer: (json array) */
extern const struct db_statement ALLOCATION_LIST_FOR_CARER;

#endif
