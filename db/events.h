/* SQL of the events outbox: what happened, written in the transaction of the change. */
#ifndef DB_EVENTS_H
#define DB_EVENTS_H

#include "pool.h"

/* $1 type ("match.decided"), $2 subject_type, $3 subject_id, $4 recipient or null (everyone
 * allowed), $5 payload json */
extern const struct db_statement EVENT_INSERT;

#endif
