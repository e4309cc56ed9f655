/* What the agenda, hearing and decision handlers need to know about a panel (its kind, part,
 * date, administrator, decision maker, whether it is the last of its month, the caller's seat),
 * and the M5 facts every item answer carries (papers on time, may be heard). */
#ifndef API_PANEL_FACTS_H
#define API_PANEL_FACTS_H

#include <jansson.h>
#include <stdbool.h>

#include "../domain/dates.h"
#include "../domain/schema.h"
#include "http.h"

struct panel_facts {
  bool found;
  char kind[16];               /* matching, permanence */
  int part;                    /* 1, 2, or 0 for both parts */
  struct date date;
  char created_by[129];        /* the panel administrator who scheduled it */
  char decision_maker_id[129]; /* "" when none */
  bool last_of_month;          /* M9 */
  char seat[24];               /* the caller's seat, "" when they do not sit on it */
};

/* Reads the panel `id` as seen by the caller into *facts (found false when there is none).
 * Returns false after answering when the database failed. */
bool panel_facts_load(struct request *r, const char *id, struct panel_facts *facts);

/* The start of every change to a panel's agenda: validates `body` against `shape`, adding to
 * `errors` (which may already hold the caller's own), answers 422 naming every bad field, else
 * begins the transaction and loads the panel (404 when there is none). Returns false after
 * answering. */
bool panel_begin_change(struct request *r, const struct schema *shape, const json_t *body,
                        json_t *errors, const char *panel_id, struct panel_facts *panel);

/* Whether the caller chairs this panel: role chair, seated as chair or deputy chair. */
bool panel_chaired_by_caller(const struct request *r, const struct panel_facts *facts);

/* Whether the caller may read the panel's agenda and papers: the panel administrator and the
 * decision maker read every panel, members (any seat) the panels they sit on. */
bool panel_readable_by_caller(const struct request *r, const struct panel_facts *facts);

/* M8 for the panel, from its members' attendance: {"quorate", ..., "reasons"}. NULL after
 * answering when the database failed. The caller owns the result. */
json_t *panel_quorum_of(struct request *r, const char *panel_id);

/* M5 for papers circulated at `circulated_at` to a panel on `panel_date`: 1 on time, 0 late,
 * -1 after answering 503 when the calendar cannot be read. */
int panel_papers_on_time(struct request *r, time_t circulated_at, struct date panel_date);

/* Parses the item JSON text and adds M5's `papers_on_time` (null until circulated) and
 * `may_be_heard` for a panel on `panel_date`. Returns NULL after answering 503 when the
 * calendar cannot be read. The caller owns the result. */
json_t *panel_item_with_m5(struct request *r, const char *item_json, struct date panel_date);

/* Answers 201 with `item` (panel_item_with_m5's) and its Location and ETag. */
void panel_item_created(struct request *r, const char *panel_id, const char *item_id,
                        const char *version, const json_t *item);

/* Adds the M5 members of panel_item_with_m5 to every item of the JSON array `items`, in place.
 * Returns false after answering 503. */
bool panel_items_with_m5(struct request *r, json_t *items, struct date panel_date);

#endif
