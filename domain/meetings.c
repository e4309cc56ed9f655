#include "meetings.h"

#include <stdio.h>
#include <string.h>

#include "schema.h"

static const char *const TYPE_NAMES[] = {
    "ppm", "stability", "stability_review", "joint_visit", "unplanned_ending",
    "placement_planning", "cic_review", "life_story_review", "annual_joint_visit", NULL};

static const char *const ATTENDEE_ROLES[] = {
    "foster_carer", "csw", "ssw", "iro", "team_manager", "family_finder", "child",
    "birth_parent", "education", "health", "other", NULL};

const char *const *meeting_type_names(void) {
  return TYPE_NAMES;
}

bool meeting_type_parse(const char *name, enum meeting_type *out) {
  for (int i = 0; name != NULL && TYPE_NAMES[i] != NULL; i++) {
    if (strcmp(TYPE_NAMES[i], name) == 0) {
      *out = (enum meeting_type)i;
      return true;
    }
  }
  return false;
}

const char *const *meeting_attendee_roles(void) {
  return ATTENDEE_ROLES;
}

static bool is_stability(enum meeting_type type) {
  return type == MEETING_STABILITY || type == MEETING_STABILITY_REVIEW;
}

const char *meeting_chair_check(enum meeting_type type, bool chair_is_team_manager,
                                bool chair_is_iro, json_t *missing) {
  if (is_stability(type) && !chair_is_team_manager) {
    json_array_append_new(missing, json_string("chair_id"));
    return "S3";
  }
  if (type == MEETING_UNPLANNED_ENDING && !chair_is_iro) {
    json_array_append_new(missing, json_string("chair_id"));
    return "U1";
  }
  return NULL;
}

/* Whether someone in `role` is among the attendees who came. */
static bool attended(const json_t *attendees, const char *role) {
  size_t i;
  const json_t *attendee;
  json_array_foreach(attendees, i, attendee) {
    const char *r = json_string_value(json_object_get(attendee, "role"));
    if (r != NULL && strcmp(r, role) == 0 && json_is_true(json_object_get(attendee, "attended"))) {
      return true;
    }
  }
  return false;
}

static void require(bool present, const char *what, json_t *missing) {
  if (!present) {
    json_array_append_new(missing, json_string(what));
  }
}

/* S3: the chair, the three who must attend, the child's views. */
static void stability_held_check(const struct meeting_held_facts *f, json_t *missing) {
  require(f->chair_is_team_manager, "chair_id", missing);
  require(attended(f->attendees, "foster_carer"), "attendees.foster_carer", missing);
  require(attended(f->attendees, "ssw"), "attendees.ssw", missing);
  require(attended(f->attendees, "csw"), "attendees.csw", missing);
  require(text_recorded(f->child_views), "child_views", missing);
}

/* Whether someone in `role` is among the attendees, invited, whether or not they came. */
static bool invited(const json_t *attendees, const char *role) {
  size_t i;
  const json_t *attendee;
  json_array_foreach(attendees, i, attendee) {
    const char *r = json_string_value(json_object_get(attendee, "role"));
    if (r != NULL && strcmp(r, role) == 0) {
      return true;
    }
  }
  return false;
}

/* P2: the foster carer, CSW, SSW, IRO and team manager were invited; the child's voice. */
static void ppm_held_check(const struct meeting_held_facts *f, json_t *missing) {
  static const char *const INVITED[] = {"foster_carer", "csw", "ssw", "iro", "team_manager"};
  for (size_t i = 0; i < sizeof INVITED / sizeof INVITED[0]; i++) {
    if (!invited(f->attendees, INVITED[i])) {
      char what[48];
      snprintf(what, sizeof what, "attendees.%s", INVITED[i]);
      json_array_append_new(missing, json_string(what));
    }
  }
  require(text_recorded(f->child_views), "child_views", missing);
}

/* U1: an IRO chairs, the views of the child and the carer and the learning, in the window. */
static void unplanned_ending_held_check(const struct meeting_held_facts *f, json_t *missing) {
  require(f->chair_is_iro, "chair_id", missing);
  require(text_recorded(f->child_views), "child_views", missing);
  require(text_recorded(f->carer_views), "carer_views", missing);
  require(text_recorded(f->learning), "learning", missing);
  require(date_range_contains(f->u1_window, f->held_on), "held_on", missing);
}

const char *meeting_held_check(const struct meeting_held_facts *facts, json_t *missing) {
  size_t before = json_array_size(missing);
  const char *rule = NULL;
  if (is_stability(facts->type)) {
    rule = "S3";
    stability_held_check(facts, missing);
  } else if (facts->type == MEETING_UNPLANNED_ENDING) {
    rule = "U1";
    unplanned_ending_held_check(facts, missing);
  } else if (facts->type == MEETING_PPM) {
    rule = "P2";
    ppm_held_check(facts, missing);
  }
  return json_array_size(missing) > before ? rule : NULL;
}

bool meeting_minutes_have_deadline(enum meeting_type type) {
  return is_stability(type);
}

const char *meeting_plan_rule(enum meeting_type type) {
  if (type == MEETING_PPM) {
    return "P2";
  }
  return is_stability(type) ? "S5" : NULL;
}

struct meeting_settles meeting_held_settles(enum meeting_type type) {
  switch (type) {
  case MEETING_STABILITY_REVIEW:
    return (struct meeting_settles){"S5", DUTY_NONE, "meeting"};
  case MEETING_UNPLANNED_ENDING:
    return (struct meeting_settles){"U1", DUTY_NONE, NULL};
  case MEETING_PPM:
    return (struct meeting_settles){"P3", DUTY_NONE, NULL};
  case MEETING_CIC_REVIEW:
    return (struct meeting_settles){"P7", DUTY_CIC_REVIEW, NULL};
  case MEETING_LIFE_STORY_REVIEW:
    return (struct meeting_settles){"L1", DUTY_LIFE_STORY_REVIEW, NULL};
  case MEETING_ANNUAL_JOINT_VISIT:
    return (struct meeting_settles){"L2", DUTY_ANNUAL_JOINT_VISIT, NULL};
  default:
    return (struct meeting_settles){NULL, DUTY_NONE, NULL};
  }
}
