/* SQL of children's records, their external identifiers and who may reach them. */
#ifndef DB_CHILDREN_H
#define DB_CHILDREN_H

#include "pool.h"

/* $1 creator (people.id), $2 doc: (json, version, id); the team is the creator's */
extern const struct db_statement CHILD_INSERT;
/* $1 id, $2 sub, $3 kinds: (json, version, visible) */
extern const struct db_statement CHILD_GET;
/* $1 id, $2 sub, $3 kinds: (visible, then the record's columns for api/record_json.c); no row
 * when there is no such child */
extern const struct db_statement CHILD_GET_COMPOSED;
/* The same for a caller whose relationships are all allocations (csw, iro, family_finder):
 * nothing in it depends on which, so PostgreSQL keeps one generic plan for it instead of
 * planning child_access's branches again for every read. */
extern const struct db_statement CHILD_GET_COMPOSED_BY_ALLOCATION;
/* $1 id, $2 sub, $3 kinds: (doc, version, visible, date_of_birth, team) FOR UPDATE */
extern const struct db_statement CHILD_LOCK;
/* $1 id, $2 doc: (json, version) */
extern const struct db_statement CHILD_UPDATE;
/* $1 sub, $2 kinds, $3 after, $4 limit: up to limit + 1 rows of the record's columns for
 * api/record_json.c, in id order */
extern const struct db_statement CHILD_LIST;
/* CHILD_LIST's page for a caller whose relationships are all allocations: $1 sub, $2 kinds,
 * $3 limit (FIRST) or $3 after, $4 limit (AFTER) */
extern const struct db_statement CHILD_LIST_ALLOCATED_FIRST;
extern const struct db_statement CHILD_LIST_ALLOCATED_AFTER;
/* CHILD_LIST's page for a caller whose only relationship is their team: $1 sub, $2 limit
 * (FIRST) or $2 after, $3 limit (AFTER) */
extern const struct db_statement CHILD_LIST_TEAM_FIRST;
extern const struct db_statement CHILD_LIST_TEAM_AFTER;
/* The same among the children with an external id: $1 sub, $2 kinds, $3 system, $4 external id
 * (or null), $5 after, $6 limit */
extern const struct db_statement CHILD_LIST_BY_EXTERNAL_ID;
/* $1 resource type, $2 resource id, $3 doc: replaces the record's external ids */
extern const struct db_statement EXTERNAL_IDS_CLEAR;
extern const struct db_statement EXTERNAL_IDS_INSERT;
/* $1 sub: (team) of the person, no row when unknown */
extern const struct db_statement PERSON_TEAM;

#endif
