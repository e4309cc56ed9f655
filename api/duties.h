/* The duties that come round again (P7, P8, V1, L1, L2): their first action when the thing
 * that starts them happens, the next one when one is done, and their end with the placement. All
 * inside the caller's transaction. Each returns false after answering. */
#ifndef API_DUTIES_H
#define API_DUTIES_H

#include <stdbool.h>

#include "../domain/dates.h"
#include "http.h"

/* After action `action_id` was completed on `done_on`: the next of its duty, if it has one and
 * it goes on, for whoever is allocated to it now (L2's annual visit is also followed by its
 * joint letter). P7's next review follows the reviews held (cic_review meetings). */
bool duty_renew(struct request *r, const char *action_id, struct date done_on);

/* duty_renew for each of `closed` (rows (id, duty) from rule_actions_close_about). */
bool duties_renew_closed(struct request *r, const PGresult *closed, struct date done_on);

/* P7: the next child-in-care review of child `child_id` for its IRO `iro`, unless one is open
 * or the child's record gives no date of entering care. */
bool duty_start_reviews(struct request *r, const char *child_id, const char *iro);

/* P8: the first social worker visit to placement `placement_id` of child `child_id`, which
 * started on `start`, for the child's CSW. */
bool duty_start_visits(struct request *r, const char *placement_id, const char *child_id,
                       struct date start);

/* V1: the next supervision visit to carer `carer_id` for SSW `ssw`, allocated from `from`, when
 * the carer is approved and none is open. */
bool duty_start_supervision(struct request *r, const char *carer_id, const char *ssw,
                            struct date from);

/* L1, L2: the life-story reviews (the child's CSW and the carer's SSW) and the annual joint
 * visit after the agency decision maker agreed match `match_id`. */
bool duties_start_after_match(struct request *r, const char *match_id, const char *child_id,
                              const char *carer_id);

/* The duties that end with placement `placement_id`: its social worker visits (P8), and, when
 * it ended unplanned, the life-long duties of matches between its child and carer (L1, L2).
 * After a planned ending (a change of placement status, say) those stay; they come round again
 * only while a placement of the child with the carer goes on. */
bool duties_end_with_placement(struct request *r, const char *placement_id, bool unplanned);

#endif
