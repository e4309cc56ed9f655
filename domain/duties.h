/* The duties that come round again: child-in-care reviews (P7), social worker visits (P8),
 * supervision visits to carers (V1), life-story reviews (L1) and the annual joint visit with its
 * letter (L2). Each is an action; when one is done, the next one's due date follows from the
 * rule and the policy settings. Pure: dates in, dates out. */
#ifndef DOMAIN_DUTIES_H
#define DOMAIN_DUTIES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "calendar.h"
#include "dates.h"

enum duty {
  DUTY_NONE,
  DUTY_CIC_REVIEW,         /* P7 */
  DUTY_SW_VISIT,           /* P8 */
  DUTY_SUPERVISION_VISIT,  /* V1 */
  DUTY_LIFE_STORY_REVIEW,  /* L1 */
  DUTY_ANNUAL_JOINT_VISIT, /* L2 */
  DUTY_JOINT_LETTER,       /* L2: follows each annual joint visit, once */
};

/* The API name of a duty ("cic_review"), or NULL for DUTY_NONE. */
const char *duty_name(enum duty duty);

/* The duty called `name`; DUTY_NONE for NULL or an unknown name. */
enum duty duty_parse(const char *name);

/* The POLICY.md rule of a duty ("P7"). */
const char *duty_rule(enum duty duty);

/* P7: the due dates of a child's reviews. The first is due on the
 * `cic_review_first_working_days`th working day after `entered_care`; the second
 * `cic_review_second_months` after the first (its held date when held, else its due date); each
 * later one `cic_review_interval_months` after the one before. `held` lists the held reviews in
 * order (n_held of them). Writes the due dates of reviews 1..count into `due`. */
void review_due_dates(const struct calendar *cal, const json_t *settings,
                      struct date entered_care, const struct date *held, size_t n_held,
                      struct date *due, size_t count);

/* P7: the review after `reviews_done` reviews (at least 1), the last of them on `last`:
 * `cic_review_second_months` after the first, `cic_review_interval_months` after any later. */
struct date review_next_due(const json_t *settings, int reviews_done, struct date last);

/* P8: the next social worker visit after one on `visited` to a placement that started on
 * `placement_start`: `sw_visit_first_year_weeks` later within the placement's first year; after
 * it `sw_visit_long_term_months` later for a long-term placement, else as in the first year. */
struct date sw_visit_next_due(const json_t *settings, struct date placement_start,
                              bool long_term, struct date visited);

/* P8: the first visit, `sw_visit_first_weeks` after the placement starts. */
struct date sw_visit_first_due(const json_t *settings, struct date placement_start);

/* Whether an SSDA903 placement type is long-term fostering (U1, U4). */
bool placement_type_long_term(const char *code);

/* V1: the next supervision visit after `from` to a carer approved on `approved_on`: weekly in the
 * first month of approval, fortnightly in the second, 4-weekly for the rest of the first year,
 * then `supervision_experienced_weeks` (each a setting). */
struct date supervision_next_due(const json_t *settings, struct date approved_on,
                                 struct date from);

/* V2: a carer's request for support made at `asked` is answered by the end of that London day
 * when serious, else within `support_response_hours`. */
time_t support_response_due(const json_t *settings, bool serious, time_t asked);

/* L1, L2: the next life-story review or annual joint visit after one done on `done`; for a
 * joint letter, when it is due after the visit done on `done`. Other duties: `done`. */
struct date life_long_next_due(const json_t *settings, enum duty duty, struct date done);

#endif
