/* What follows an unplanned ending (U1, U4, P3), inside the ending's transaction. */
#ifndef API_ENDINGS_H
#define API_ENDINGS_H

#include <stdbool.h>

#include "http.h"

/* After placement `placement_id` ended unplanned: U1's meeting for the child's IRO, U4's listing
 * at Part 2 of the permanence panel, and P3's referral back to family finding for a child under
 * `family_finding_referral_age`. Returns false after answering. */
bool unplanned_ending_follow_up(struct request *r, const char *placement_id);

#endif
