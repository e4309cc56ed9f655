/* SQL of the change feed (issue 7): events put in commit order by the sequencer, and read
 * after a cursor by those who may see them. */
#ifndef DB_EVENT_FEED_H
#define DB_EVENT_FEED_H

#include "pool.h"

/* $1 batch: gives the next feed positions (seq) to up to a batch of committed events without
 * one, in id order, under an advisory lock (one sequencer at a time across instances). */
extern const struct db_statement EVENTS_SEQUENCE;
/* $1 after seq, $2 limit, $3 sub, $4 is admin, $5 reads every panel, $6 child kinds, $7 carer
 * kinds, $8 agency, $9 how many events to look at: (items json, the seq to resume after) */
extern const struct db_statement EVENTS_AFTER;

#endif
