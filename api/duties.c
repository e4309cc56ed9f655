#include "duties.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/actions.h"
#include "../db/carers.h"
#include "../db/meetings.h"
#include "../domain/duties.h"
#include "reviews.h"
#include "rule_actions.h"

static const char *column(const PGresult *res, int col) {
  return PQgetisnull(res, 0, col) ? NULL : PQgetvalue(res, 0, col);
}

static bool is_true(const PGresult *res, int col) {
  return !PQgetisnull(res, 0, col) && strcmp(PQgetvalue(res, 0, col), "t") == 0;
}

/* P7: when child `child_id`'s next review is due, from the date they entered care and the
 * reviews held (cic_review meetings); *known false when their record gives no date of entering
 * care. *open_reviews counts the open P7 actions. False after answering. */
static bool next_review_due(struct request *r, const char *child_id, struct date *due,
                            bool *known, int *open_reviews) {
  const char *params[] = {child_id};
  PGresult *facts = request_query(r, &CHILD_REVIEW_FACTS, 1, params);
  if (facts == NULL || request_calendar(r) == NULL || request_settings(r) == NULL) {
    PQclear(facts);
    return false;
  }
  struct review_history history;
  *known = PQntuples(facts) == 1 && review_history_of(facts, 0, 0, 1, &history);
  *open_reviews = *known ? atoi(PQgetvalue(facts, 0, 2)) : 0;
  if (*known) {
    struct date dues[REVIEWS_SHOWN_MAX];
    review_due_dates(request_calendar(r), request_settings(r), history.entered_care,
                     history.held, history.held_count, dues, history.held_count + 1);
    *due = dues[history.held_count];
  }
  PQclear(facts);
  return true;
}

/* Who does the next of a duty: the child's IRO (P7) or CSW (P8), or the carer's SSW (V1), as
 * allocated now ("" when nobody is: the administrators' queue); the life-long duties stay with
 * the owner of the one done (L1, L2). */
static bool renewal_owner(struct request *r, const PGresult *ctx, enum duty duty,
                          char owner[PERSON_ID_SIZE]) {
  const char *subject = column(ctx, 3);
  switch (duty) {
  case DUTY_CIC_REVIEW:
    return allocated_person(r, subject, NULL, "iro", owner);
  case DUTY_SW_VISIT:
    return allocated_person(r, subject, NULL, "csw", owner);
  case DUTY_SUPERVISION_VISIT:
    return allocated_person(r, NULL, subject, "ssw", owner);
  default:
    snprintf(owner, PERSON_ID_SIZE, "%s", column(ctx, 1) != NULL ? column(ctx, 1) : "");
    return true;
  }
}

/* The next action of the duty of the completed action described by DUTY_CONTEXT's row `ctx`,
 * due on `due`, for `owner` ("" for the queue). */
static bool add_next(struct request *r, const PGresult *ctx, enum duty duty, const char *title,
                     const char *owner, struct date due) {
  struct rule_action next = {
      .title = title, .subject_type = column(ctx, 2), .subject_id = column(ctx, 3),
      .owner = owner[0] != '\0' ? owner : NULL, .due = london_end_of_day(due),
      .rule = duty_rule(duty), .source_type = column(ctx, 4), .source_id = column(ctx, 5),
      .duty = duty};
  return rule_action_add(r, &next, NULL);
}

/* The next due date of the duty in `ctx` after one done on `done_on` into *due; *renews false
 * when it does not come round again. False after answering. */
static bool next_due(struct request *r, const PGresult *ctx, enum duty duty, struct date done_on,
                     struct date *due, bool *renews) {
  const json_t *settings = request_settings(r);
  struct date start;
  struct date approved_on;
  int open_reviews;
  *renews = false;
  if (settings == NULL) {
    return false;
  }
  switch (duty) {
  case DUTY_CIC_REVIEW:
    return next_review_due(r, column(ctx, 3), due, renews, &open_reviews);
  case DUTY_SW_VISIT:
    *renews = is_true(ctx, 9) && date_parse(PQgetvalue(ctx, 0, 7), &start);
    *due = sw_visit_next_due(settings, start, placement_type_long_term(column(ctx, 8)), done_on);
    return true;
  case DUTY_SUPERVISION_VISIT:
    *renews = is_true(ctx, 11) && date_parse(PQgetvalue(ctx, 0, 10), &approved_on);
    *due = supervision_next_due(settings, approved_on, done_on);
    return true;
  case DUTY_LIFE_STORY_REVIEW:
  case DUTY_ANNUAL_JOINT_VISIT:
    *renews = is_true(ctx, 12);
    *due = life_long_next_due(settings, duty, done_on);
    return true;
  default:
    return true;
  }
}

bool duty_renew(struct request *r, const char *action_id, struct date done_on) {
  const char *params[] = {action_id};
  PGresult *ctx = request_query(r, &DUTY_CONTEXT, 1, params);
  if (ctx == NULL) {
    return false;
  }
  enum duty duty = PQntuples(ctx) == 1 ? duty_parse(column(ctx, 0)) : DUTY_NONE;
  struct date due;
  bool renews = false;
  char owner[PERSON_ID_SIZE];
  bool ok = duty == DUTY_NONE || next_due(r, ctx, duty, done_on, &due, &renews);
  if (ok && renews) {
    ok = renewal_owner(r, ctx, duty, owner) && add_next(r, ctx, duty, PQgetvalue(ctx, 0, 6), owner, due);
  }
  if (ok && renews && duty == DUTY_ANNUAL_JOINT_VISIT) {
    ok = add_next(r, ctx, DUTY_JOINT_LETTER, "Send the joint letter of the year's achievements",
                  owner, life_long_next_due(request_settings(r), DUTY_JOINT_LETTER, done_on));
  }
  PQclear(ctx);
  return ok;
}

bool duties_renew_closed(struct request *r, const PGresult *closed, struct date done_on) {
  for (int i = 0; i < PQntuples(closed); i++) {
    if (!PQgetisnull(closed, i, 1) && !duty_renew(r, PQgetvalue(closed, i, 0), done_on)) {
      return false;
    }
  }
  return true;
}

bool duty_start_reviews(struct request *r, const char *child_id, const char *iro) {
  struct date due;
  bool known = false;
  int open_reviews = 0;
  if (!next_review_due(r, child_id, &due, &known, &open_reviews)) {
    return false;
  }
  if (!known || open_reviews > 0) {
    return true;
  }
  struct rule_action review = {
      .title = "Hold the child-in-care review", .subject_type = "child", .subject_id = child_id,
      .owner = iro, .due = london_end_of_day(due), .rule = "P7", .source_type = "child",
      .source_id = child_id, .duty = DUTY_CIC_REVIEW};
  return rule_action_add(r, &review, NULL);
}

bool duty_start_visits(struct request *r, const char *placement_id, const char *child_id,
                       struct date start) {
  char csw[PERSON_ID_SIZE];
  if (!allocated_person(r, child_id, NULL, "csw", csw) || request_settings(r) == NULL) {
    return false;
  }
  struct rule_action visit = {
      .title = "Visit the child in their placement", .subject_type = "child",
      .subject_id = child_id, .owner = csw[0] != '\0' ? csw : NULL,
      .due = london_end_of_day(sw_visit_first_due(request_settings(r), start)), .rule = "P8",
      .source_type = "placement", .source_id = placement_id, .duty = DUTY_SW_VISIT};
  return rule_action_add(r, &visit, NULL);
}

bool duty_start_supervision(struct request *r, const char *carer_id, const char *ssw,
                            struct date from) {
  const char *params[] = {carer_id};
  PGresult *facts = request_query(r, &CARER_SUPERVISION_FACTS, 1, params);
  if (facts == NULL || request_settings(r) == NULL) {
    PQclear(facts);
    return false;
  }
  struct date approved_on;
  bool ok = true;
  if (is_true(facts, 0) && atoi(PQgetvalue(facts, 0, 2)) == 0 &&
      date_parse(PQgetvalue(facts, 0, 1), &approved_on)) {
    struct rule_action visit = {
        .title = "Supervision visit", .subject_type = "carer", .subject_id = carer_id,
        .owner = ssw,
        .due = london_end_of_day(supervision_next_due(request_settings(r), approved_on, from)),
        .rule = "V1", .source_type = "carer", .source_id = carer_id,
        .duty = DUTY_SUPERVISION_VISIT};
    ok = rule_action_add(r, &visit, NULL);
  }
  PQclear(facts);
  return ok;
}

bool duties_start_after_match(struct request *r, const char *match_id, const char *child_id,
                              const char *carer_id) {
  char csw[PERSON_ID_SIZE];
  char ssw[PERSON_ID_SIZE];
  if (!allocated_person(r, child_id, NULL, "csw", csw) ||
      !allocated_person(r, NULL, carer_id, "ssw", ssw) || request_settings(r) == NULL) {
    return false;
  }
  const json_t *settings = request_settings(r);
  time_t review_due = london_end_of_day(life_long_next_due(settings, DUTY_LIFE_STORY_REVIEW, r->today));
  struct rule_action duties[] = {
      {.title = "Review the life-story work", .owner = csw, .due = review_due,
       .duty = DUTY_LIFE_STORY_REVIEW},
      {.title = "Review the life-story work", .owner = ssw, .due = review_due,
       .duty = DUTY_LIFE_STORY_REVIEW},
      {.title = "Annual joint visit to celebrate the child's progress", .owner = csw,
       .due = london_end_of_day(life_long_next_due(settings, DUTY_ANNUAL_JOINT_VISIT, r->today)),
       .duty = DUTY_ANNUAL_JOINT_VISIT},
  };
  for (size_t i = 0; i < sizeof duties / sizeof duties[0]; i++) {
    duties[i].subject_type = "child";
    duties[i].subject_id = child_id;
    duties[i].owner = duties[i].owner[0] != '\0' ? duties[i].owner : NULL;
    duties[i].rule = duty_rule(duties[i].duty);
    duties[i].source_type = "match";
    duties[i].source_id = match_id;
    if (!rule_action_add(r, &duties[i], NULL)) {
      return false;
    }
  }
  return true;
}

bool duties_end_with_placement(struct request *r, const char *placement_id, bool unplanned) {
  const char *params[] = {placement_id, r->caller.sub, "the placement ended",
                          unplanned ? "true" : "false"};
  PGresult *res = request_query(r, &DUTIES_CANCEL_FOR_PLACEMENT, 4, params);
  PQclear(res);
  return res != NULL;
}
