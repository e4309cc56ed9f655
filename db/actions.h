/* SQL of actions, their history, and the events that tell owners (S7). */
#ifndef DB_ACTIONS_H
#define DB_ACTIONS_H

#include "pool.h"

/* $1 title, $2 detail, $3 subject_type, $4 subject_id, $5 owner, $6 due_at, $7 source_rule,
 * $8 source_type, $9 source_id, $10 created_by, $11 roles, $12 the request body, $13 request
 * id: (id, version), with the "created" history row, the audit row (R1) and the event that
 * tells the owner */
extern const struct db_statement ACTION_INSERT;
/* $1 action, $2 event, $3 from_owner, $4 to_owner, $5 note, $6 by */
extern const struct db_statement ACTION_HISTORY_INSERT;
/* $1 id, $2 sub, $3 is admin, $4 child kinds, $5 carer kinds, $6 agency:
 * (json, version, visible, owner_id, owner's manager, status) */
extern const struct db_statement ACTION_GET;
extern const struct db_statement ACTION_LOCK; /* the same, FOR UPDATE */
/* $1 id, $2 status, $3 note: (json, version) */
extern const struct db_statement ACTION_CLOSE;
/* $1 id, $2 new owner, $3 re-check epoch for a flagged action taken out of the administrators'
 * queue (S7 goes on for its new owner) */
extern const struct db_statement ACTION_REASSIGN;
/* $1 id: (json, version) after a history row was added */
extern const struct db_statement ACTION_JSON;
/* $1 ids (a uuid array): (JSON array of those actions, in that order) */
extern const struct db_statement ACTIONS_JSON_LIST;
/* $1 sub, $2 owner filter ('me' resolved) : (ics rows: id, title, due_at epoch, subject) */
extern const struct db_statement ACTION_OPEN_FOR_OWNER;
/* $1 subject id, $2 sub, $3 kinds, $4 owner: (whether the caller reaches the child, null when
 * there is none; whether the owner is a person) */
extern const struct db_statement ACTION_SUBJECT_CHILD;
/* The same for a caller whose relationships are all allocations (planned once: see
 * CHILD_GET_COMPOSED_BY_ALLOCATION in db/children.h). */
extern const struct db_statement ACTION_SUBJECT_CHILD_BY_ALLOCATION;
extern const struct db_statement ACTION_SUBJECT_CARER; /* the same, $5 agency */
/* An action a rule creates: $1 title, $2 subject_type, $3 subject_id, $4 owner or null (the
 * administrators' queue), $5 due_at, $6 source_rule, $7 source_type, $8 source_id, $9 created_by,
 * $10 duty or null, $11 detail or null: (id), with its "created" history row and the event that
 * tells the owner. The change that caused it carries the audit row. */
extern const struct db_statement RULE_ACTION_INSERT;
/* $1 subject_type, $2 subject_id, $3 source_rule, $4 by, $5 note, $6 'done' or 'cancelled',
 * $7 duty or null (any), $8 source id or null (any), $9 source type or null (any): closes the
 * open actions of that rule (and duty, and source) about that subject,
 * with their history rows: (id, duty) of each */
extern const struct db_statement RULE_ACTIONS_CLOSE;
/* $1 placement, $2 by, $3 note, $4 ended unplanned: cancels the duties that end with the
 * placement (its social worker visits, P8; after an unplanned ending, the life-long duties of
 * matches between its child and carer, L1-L2) */
extern const struct db_statement DUTIES_CANCEL_FOR_PLACEMENT;
/* $1 action: (duty, owner_id, subject_type, subject_id, source_type, source_id, title,
 * placement start_date, placement_type, placement open, carer approved_on, carer approved,
 * match's placement goes on (not ended without another open)) */
extern const struct db_statement DUTY_CONTEXT;
/* $1 child, $2 role: (person_id) of the current allocation, none when nobody is allocated */
extern const struct db_statement CHILD_ALLOCATED_PERSON;
/* $1 carer: (person_id) of the current supervising social worker */
extern const struct db_statement CARER_ALLOCATED_SSW;

#endif
