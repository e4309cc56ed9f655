/* SQL of case systems' identifiers (issue 7): which record holds (system, id). */
#ifndef DB_EXTERNAL_IDS_H
#define DB_EXTERNAL_IDS_H

#include "pool.h"

/* $1 resource type, $2 system, $3 external id: takes a transaction-long lock on that name, so
 * that two syncs of one record run one after the other. Its own statement: the lookup after it
 * must see what the sync it waited for committed. */
extern const struct db_statement EXTERNAL_ID_LOCK;
/* $1 resource type, $2 system, $3 external id: (resource_id) of the record holding it, no row
 * when none does */
extern const struct db_statement EXTERNAL_ID_FIND;

#endif
