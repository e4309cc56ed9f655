/* SQL of meetings about a child (P2, S3-S5, U1, P7, L1-L2) and the facts their rules read. */
#ifndef DB_MEETINGS_H
#define DB_MEETINGS_H

#include "pool.h"

/* $1 child, $2 sub, $3 kinds: (date_of_birth, open placement id, visible, its carer); no row
 * when there is no such child (record_reached reads it) */
extern const struct db_statement MEETING_CHILD_FACTS;
/* $1 carer: a row when the carer exists */
extern const struct db_statement CARER_EXISTS;
/* $1 placement: (child_id, carer_id, end_date, unplanned, u1_earliest_on, u1_latest_on, the
 * child's date_of_birth) */
extern const struct db_statement PLACEMENT_ENDING_FACTS;
/* $1 type, $2 child, $3 carer, $4 placement, $5 scheduled_at, $6 chair, $7 created_by:
 * (json, version, id) */
extern const struct db_statement MEETING_INSERT;
/* $1 id, $2 sub, $3 kinds: (json, version, visible) */
extern const struct db_statement MEETING_GET;
/* $1 id, $2 sub, $3 kinds: (version, visible, type, child_id, status, chair_id, placement_id,
 * has minutes, circulated, carer_id) FOR UPDATE */
extern const struct db_statement MEETING_LOCK;
/* $1 id, $2 held_on, $3 attendees, $4 child_views, $5 carer_views, $6 learning, $7 outcome,
 * $8 minutes_due_at or null: (json, version) */
extern const struct db_statement MEETING_HOLD;
/* $1 id, $2 minutes: (json, version) */
extern const struct db_statement MEETING_SET_MINUTES;
/* $1 id: (json, version, circulated late) */
extern const struct db_statement MEETING_CIRCULATE;
/* $1 sub, $2 kinds, $3 child or null, $4 type or null, $5 from date or null, $6 to date or
 * null, $7 after ("scheduled_at|id") or null, $8 limit: (items, last key, more, ids shown) */
extern const struct db_statement MEETING_LIST;
/* $1 child: (entered_care_on, held review dates "d1,d2,..." in order, open P7 actions, has a
 * permanence plan document); no row when there is no such child */
extern const struct db_statement CHILD_REVIEW_FACTS;
/* P1: $1 sub, $2 kinds: the children the caller reaches with a date of entering care and no
 * permanence plan: (id, name, entered_care_on, held review dates "d1,d2,...") */
extern const struct db_statement PERMANENCE_PLANS_MISSING;
/* $1 child: held_on of each held stability meeting, a row each */
extern const struct db_statement STABILITY_MEETINGS_HELD;

#endif
