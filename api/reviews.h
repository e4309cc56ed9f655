/* P7's child-in-care reviews as the service knows them: the date a child entered care and the
 * reviews held since (cic_review meetings). */
#ifndef API_REVIEWS_H
#define API_REVIEWS_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

#include "../domain/dates.h"

/* More held reviews than this are not shown (a child reviewed every 6 months for 18 years
 * has 37). */
#define REVIEWS_SHOWN_MAX 64

struct review_history {
  struct date entered_care;
  struct date held[REVIEWS_SHOWN_MAX - 1];
  size_t held_count;
};

/* Reads the history from a row of CHILD_REVIEW_FACTS or PERMANENCE_PLANS_MISSING: the date of
 * entering care in column `entered_col` and the held dates ("d1,d2,...") in `held_col`. False
 * when the child's record gives no date of entering care. */
bool review_history_of(const PGresult *res, int row, int entered_col, int held_col,
                       struct review_history *out);

#endif
