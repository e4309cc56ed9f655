/* SQL of the chronologies (R2, S8): one dated timeline of a child's or a carer's placements,
 * meetings and their outcomes, panel items, decisions, actions and requests. */
#ifndef DB_CHRONOLOGY_H
#define DB_CHRONOLOGY_H

#include "pool.h"

/* $1 child or carer, $2 after ("epoch microseconds|kind|id") or null, $3 limit: (items, last key, more), oldest
 * first */
extern const struct db_statement CHRONOLOGY_OF_CHILD;
extern const struct db_statement CHRONOLOGY_OF_CARER;

#endif
