/* SQL of panel agenda items: submitted matches (Part 2) and Part 1 requests, their papers, the
 * late-papers acceptance and the recommendation (M4-M9, M12, P4, P5). */
#ifndef DB_PANEL_ITEMS_H
#define DB_PANEL_ITEMS_H

#include "pool.h"

/* $1 panel, $2 sub: (kind, part or 0, date, created_by, decision_maker_id, last of its kind in
 * its month, sub's seat or null); no row when no panel */
extern const struct db_statement PANEL_FACTS;
/* $1 match: (status, kind, child_id, carer_id, child profile json, carer doc json, agency carer,
 * fee discussion recorded, has matching report, has household review, covers of the most recent
 * support plan as json or null when none) with the match locked */
extern const struct db_statement SUBMISSION_FACTS;
/* $1 child, $2 today, $3 lookback days, $4 sub, $5 kinds: (has permanence plan, has PPM
 * minutes, has request form, unplanned ending within the lookback, the caller reaches the child);
 * no row when no child */
extern const struct db_statement REQUEST_FACTS;
/* $1 panel, $2 part, $3 type, $4 match or null, $5 child, $6 carer or null, $7 summary,
 * $8 care history explanation, $9 created_by, $10 the ended placement or null (U4): (json, id,
 * version); the item carries the newest
 * document of each type on the child's and the carer's files */
extern const struct db_statement ITEM_INSERT;
/* $1 panel, $2 item: (json, version, child doc, child id, child date_of_birth, carer json or
 * null, the match's family-finding search or null) */
extern const struct db_statement ITEM_PAPERS;
/* $1 panel, $2 after, $3 limit: page of items */
extern const struct db_statement ITEM_LIST;
/* $1 panel: (when the newest listed item not yet circulated was listed, epoch, or null) */
extern const struct db_statement ITEMS_LATEST_LISTING;
/* $1 panel, $2 circulated_at: sets it on every listed item not yet circulated */
extern const struct db_statement ITEMS_CIRCULATE;
/* $1 panel: (json array of the listed items) */
extern const struct db_statement ITEMS_LISTED;
/* $1 panel, $2 item: locks the item's match, if it has one. Taken before ITEM_LOCK: every
 * request that changes both locks the match first, then the item. */
extern const struct db_statement ITEM_MATCH_LOCK;
/* $1 panel, $2 item: (status, match_id, papers_circulated_at epoch or null, late papers
 * accepted, match kind or null, child disabled, version) with the item locked */
extern const struct db_statement ITEM_LOCK;
/* $1 item, $2 reason, $3 by: (json, version) */
extern const struct db_statement ITEM_ACCEPT_LATE_PAPERS;
/* $1 item, $2 status, $3 recommendation json: (json, version) */
extern const struct db_statement ITEM_RECORD_RECOMMENDATION;

#endif
