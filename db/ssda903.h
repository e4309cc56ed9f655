/* SQL of SSDA903 imports and exports (POLICY.md section E, issue 8). */
#ifndef DB_SSDA903_H
#define DB_SSDA903_H

#include "pool.h"

/* $1 person: (team), no row when the person is not on the register */
extern const struct db_statement SSDA903_CALLER_TEAM;
/* $1 children, $2 episodes (jsonb arrays, migration 023), $3 team, $4 by: one row per record
 * (resource_type, resource_id, external_id, outcome, before, after) */
extern const struct db_statement SSDA903_IMPORT;
/* U1: $1 placement, $2 and $3 the first and last day of the unplanned-ending meeting's window */
extern const struct db_statement SSDA903_SET_U1_WINDOW;
/* $1 team (null: every team), $2 collection year: the episodes open at any time from 1 April of
 * the year before to 31 March of the year, as the 13 text columns of episodes.csv */
extern const struct db_statement SSDA903_EXPORT;

#endif
