/* SQL of children's records, their external identifiers and who may reach them. */
#ifndef DB_CHILDREN_H
#define DB_CHILDREN_H

#include "pool.h"

/* $1 creator (people.id), $2 doc: (json, version, id); the team is the creator's */
extern const struct db_statement CHILD_INSERT;
/* $1 id, $2 sub, $3 kinds: (json, version, visible) */
extern const struct db_statement CHILD_GET;
/* $1 id, $2 sub, $3 kinds: (doc, version, visible, date_of_birth, team) FOR UPDATE */
extern const struct db_statement CHILD_LOCK;
/* $1 id, $2 doc: (json, version) */
extern const struct db_statement CHILD_UPDATE;
/* $1 sub, $2 kinds, $3 external system, $4 external id, $5 after, $6 limit: page, and
 * {"read": [ids]} for the audit */
extern const struct db_statement CHILD_LIST;
/* $1 resource type, $2 resource id, $3 doc: replaces the record's external ids */
extern const struct db_statement EXTERNAL_IDS_CLEAR;
extern const struct db_statement EXTERNAL_IDS_INSERT;
/* $1 sub: (team) of the person, no row when unknown */
extern const struct db_statement PERSON_TEAM;

#endif
