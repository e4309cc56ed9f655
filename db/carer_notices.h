/* SQL of S9: a carer's wish to end a placement, its discussion with the SSW and their team
 * manager, and the fostering service's notice. */
#ifndef DB_CARER_NOTICES_H
#define DB_CARER_NOTICES_H

#include "pool.h"

/* $1 placement, $2 sub, $3 carer kinds, $4 agency, $5 child kinds: (ended, wish recorded,
 * discussed, notice given, visible through the carer or the child, discussed_on, the placement's
 * version) with the placement locked; no row when there is no such placement */
extern const struct db_statement CARER_NOTICE_FACTS;
/* $1 placement, $2 reason, $3 by: (json) */
extern const struct db_statement CARER_WISH_INSERT;
/* $1 placement, $2 held_on, $3 ssw, $4 team manager, $5 notes, $6 by: (json) */
extern const struct db_statement CARER_NOTICE_DISCUSSED;
/* $1 placement, $2 given_on, $3 reason, $4 by: (json) */
extern const struct db_statement CARER_NOTICE_GIVEN;

#endif
