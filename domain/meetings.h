/* Meetings about a child: permanency planning (P2), stability and its review (S3-S5),
 * unplanned endings (U1), child-in-care reviews (P7) and the life-long visits (L1, L2). This
 * module says what each kind of meeting must show before it counts as held, and what holding
 * it settles. */
#ifndef DOMAIN_MEETINGS_H
#define DOMAIN_MEETINGS_H

#include <jansson.h>
#include <stdbool.h>

#include "dates.h"
#include "duties.h"

enum meeting_type {
  MEETING_PPM,
  MEETING_STABILITY,
  MEETING_STABILITY_REVIEW,
  MEETING_JOINT_VISIT,
  MEETING_UNPLANNED_ENDING,
  MEETING_PLACEMENT_PLANNING,
  MEETING_CIC_REVIEW,
  MEETING_LIFE_STORY_REVIEW,
  MEETING_ANNUAL_JOINT_VISIT,
  MEETING_TYPE_COUNT
};

/* The API names of the types, NULL-terminated (for enum validation). */
const char *const *meeting_type_names(void);

/* The type called `name`; false when there is none. */
bool meeting_type_parse(const char *name, enum meeting_type *out);

/* The API names of attendees' roles, NULL-terminated. */
const char *const *meeting_attendee_roles(void);

/* S3, U1: the chair a meeting of `type` needs. Appends "chair_id" to `missing` and returns the
 * rule (stability meetings: a team manager, S3; unplanned endings: an IRO, U1) when the chair
 * is not of that kind; NULL when the chair may chair it. */
const char *meeting_chair_check(enum meeting_type type, bool chair_is_team_manager,
                                bool chair_is_iro, json_t *missing);

/* What is known when a meeting is recorded as held. */
struct meeting_held_facts {
  enum meeting_type type;
  bool chair_is_team_manager;
  bool chair_is_iro;
  const json_t *attendees;   /* [{role, attended}, ...] as validated */
  const char *child_views;   /* NULL or blank when not recorded */
  const char *carer_views;
  const char *learning;
  struct date held_on;
  struct date_range u1_window; /* unplanned endings: when the meeting may be held */
};

/* Whether the meeting counts as held: S3 (stability and its review: a team manager chairs, the
 * foster carer, SSW and CSW attend, the child's views are recorded), U1 (an IRO chairs, the
 * child's and the carer's views and the learning are recorded, inside the window), P2 (a PPM
 * lists the foster carer, CSW, SSW, IRO and team manager among its attendees, invited whether or
 * not they came, and records the child's voice). Appends each missing thing to `missing` and returns the rule
 * refused, or NULL when the meeting may be recorded as held. */
const char *meeting_held_check(const struct meeting_held_facts *facts, json_t *missing);

/* S4: whether minutes of a meeting of `type` are circulated within
 * `stability_minutes_working_days` (stability meetings and their reviews). */
bool meeting_minutes_have_deadline(enum meeting_type type);

/* P2, S5: the rule under which each action of a meeting's plan needs an owner and a due date,
 * or NULL when the plan is not under one. */
const char *meeting_plan_rule(enum meeting_type type);

/* What holding a meeting of `type` settles: the child's open actions of `rule` (and of `duty`,
 * when not DUTY_NONE; and caused by a `source_type`, when not NULL: a stability review settles
 * the action to hold it, which a meeting caused, not the plan's S5 actions) are done. rule
 * NULL: nothing. */
struct meeting_settles {
  const char *rule;
  enum duty duty;
  const char *source_type;
};
struct meeting_settles meeting_held_settles(enum meeting_type type);

#endif
