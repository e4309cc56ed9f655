/* SQL of panels, their members and attendance. */
#ifndef DB_PANELS_H
#define DB_PANELS_H

#include "pool.h"

/* $1 date, $2 kind, $3 part or null, $4 created_by, $5 decision maker or null:
 * (json, id, version) */
extern const struct db_statement PANEL_INSERT;
/* $1 person: a row when the person holds the adm role */
extern const struct db_statement PERSON_IS_ADM;
/* $1 id, $2 sub: (json, version, whether sub sits on the panel, sub's seat) */
extern const struct db_statement PANEL_GET;
/* $1 id: (seat, attended) of each member */
extern const struct db_statement PANEL_SEATS;
/* $1 sub, $2 sees every panel, $3 from, $4 to, $5 after, $6 limit: page */
extern const struct db_statement PANEL_LIST;
/* $1 panel, $2 person, $3 seat */
extern const struct db_statement PANEL_MEMBER_INSERT;
/* $1 panel, $2 person, $3 attended: a row when the person sits on the panel */
extern const struct db_statement PANEL_ATTENDANCE;

#endif
