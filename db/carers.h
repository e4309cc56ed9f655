/* SQL of carers (fostering households): their documents and who may reach them. */
#ifndef DB_CARERS_H
#define DB_CARERS_H

#include "pool.h"

/* $1 creator, $2 doc: (json, version, id) */
extern const struct db_statement CARER_INSERT;
/* $1 id, $2 sub, $3 kinds, $4 agency: (json, version, visible) */
extern const struct db_statement CARER_GET;
/* $1 id, $2 sub, $3 kinds, $4 agency: (doc, version, visible, approval_status, approved_on,
 * max_children, placed_now) FOR UPDATE */
extern const struct db_statement CARER_LOCK;
/* $1 id, $2 doc: (json, version) */
extern const struct db_statement CARER_UPDATE;
/* $1 sub, $2 kinds, $3 agency, $4 after, $5 limit: page */
extern const struct db_statement CARER_LIST;
/* $1 carer: (approved, approved_on, open V1 supervision visits) */
extern const struct db_statement CARER_SUPERVISION_FACTS;

#endif
