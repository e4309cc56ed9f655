/* SQL of people: the persons a token's `sub` names, their team, manager and roles. */
#ifndef DB_PEOPLE_H
#define DB_PEOPLE_H

#include "pool.h"

extern const struct db_statement PERSON_INSERT;     /* $1 doc: (json, version) */
extern const struct db_statement PERSON_GET;        /* $1 id: (json, version) */
extern const struct db_statement PERSON_LOCK;       /* $1 id: (json, version) FOR UPDATE */
extern const struct db_statement PERSON_UPDATE;     /* $1 id, $2 doc: (json, version) */
extern const struct db_statement PERSON_EXISTS;     /* $1 id: a row when the person exists */
extern const struct db_statement PERSON_LIST;       /* $1 team, $2 after, $3 limit: page */
extern const struct db_statement PERSON_HOLDS_ROLE; /* $1 id, $2 role: (exists, holds) */

#endif
