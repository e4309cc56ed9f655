/* Putting a proposed match on a panel's agenda (M4, M11, P5), shared by the finder's /submit and
 * the panel administrator's POST /v1/panels/{id}/items. */
#ifndef API_SUBMISSION_H
#define API_SUBMISSION_H

#include "http.h"
#include "panel_facts.h"

/* In the caller's open transaction: checks P5 for `panel`, locks the match (422 field match_id
 * when there is none, 409 unless proposed), refuses with M4's every missing item or M11, then
 * lists it as a Part 2 item, moves it to `submitted`, writes the event and the audit row, commits
 * and answers 201 with the item. */
void submission_list_match(struct request *r, const char *match_id, const char *panel_id,
                           const struct panel_facts *panel);

#endif
