#include "duties.h"

#include <string.h>

#include "settings.h"

struct duty_entry {
  enum duty duty;
  const char *name;
  const char *rule;
};

static const struct duty_entry DUTIES[] = {
    {DUTY_CIC_REVIEW, "cic_review", "P7"},
    {DUTY_SW_VISIT, "sw_visit", "P8"},
    {DUTY_SUPERVISION_VISIT, "supervision_visit", "V1"},
    {DUTY_LIFE_STORY_REVIEW, "life_story_review", "L1"},
    {DUTY_ANNUAL_JOINT_VISIT, "annual_joint_visit", "L2"},
    {DUTY_JOINT_LETTER, "joint_letter", "L2"},
};

static const struct duty_entry *entry_of(enum duty duty) {
  for (size_t i = 0; i < sizeof DUTIES / sizeof DUTIES[0]; i++) {
    if (DUTIES[i].duty == duty) {
      return &DUTIES[i];
    }
  }
  return NULL;
}

const char *duty_name(enum duty duty) {
  const struct duty_entry *e = entry_of(duty);
  return e == NULL ? NULL : e->name;
}

const char *duty_rule(enum duty duty) {
  const struct duty_entry *e = entry_of(duty);
  return e == NULL ? NULL : e->rule;
}

enum duty duty_parse(const char *name) {
  for (size_t i = 0; name != NULL && i < sizeof DUTIES / sizeof DUTIES[0]; i++) {
    if (strcmp(DUTIES[i].name, name) == 0) {
      return DUTIES[i].duty;
    }
  }
  return DUTY_NONE;
}

void review_due_dates(const struct calendar *cal, const json_t *settings,
                      struct date entered_care, const struct date *held, size_t n_held,
                      struct date *due, size_t count) {
  if (count == 0) {
    return;
  }
  due[0] = calendar_add_working_days(
      cal, entered_care, (int)setting_value(settings, "cic_review_first_working_days"));
  for (size_t k = 1; k < count; k++) {
    due[k] = review_next_due(settings, (int)k, k - 1 < n_held ? held[k - 1] : due[k - 1]);
  }
}

struct date review_next_due(const json_t *settings, int reviews_done, struct date last) {
  const char *gap = reviews_done <= 1 ? "cic_review_second_months" : "cic_review_interval_months";
  return date_add_months(last, (int)setting_value(settings, gap));
}

struct date sw_visit_first_due(const json_t *settings, struct date placement_start) {
  return date_add_weeks(placement_start, (int)setting_value(settings, "sw_visit_first_weeks"));
}

struct date sw_visit_next_due(const json_t *settings, struct date placement_start,
                              bool long_term, struct date visited) {
  bool first_year = date_compare(visited, date_add_months(placement_start, 12)) < 0;
  if (!first_year && long_term) {
    return date_add_months(visited, (int)setting_value(settings, "sw_visit_long_term_months"));
  }
  return date_add_weeks(visited, (int)setting_value(settings, "sw_visit_first_year_weeks"));
}

bool placement_type_long_term(const char *code) {
  return code != NULL && (strcmp(code, "U1") == 0 || strcmp(code, "U4") == 0);
}

struct date supervision_next_due(const json_t *settings, struct date approved_on,
                                 struct date from) {
  const char *interval = "supervision_experienced_weeks";
  if (date_compare(from, date_add_months(approved_on, 1)) < 0) {
    interval = "supervision_first_month_weeks";
  } else if (date_compare(from, date_add_months(approved_on, 2)) < 0) {
    interval = "supervision_second_month_weeks";
  } else if (date_compare(from, date_add_months(approved_on, 12)) < 0) {
    interval = "supervision_first_year_weeks";
  }
  return date_add_weeks(from, (int)setting_value(settings, interval));
}

struct date life_long_next_due(const json_t *settings, enum duty duty, struct date done) {
  switch (duty) {
  case DUTY_LIFE_STORY_REVIEW:
    return date_add_months(done, (int)setting_value(settings, "life_story_review_months"));
  case DUTY_ANNUAL_JOINT_VISIT:
    return date_add_months(done, (int)setting_value(settings, "annual_joint_visit_months"));
  case DUTY_JOINT_LETTER:
    return date_add_weeks(done, (int)setting_value(settings, "joint_letter_weeks"));
  default:
    return done;
  }
}

time_t support_response_due(const json_t *settings, bool serious, time_t asked) {
  if (serious) {
    return london_end_of_day(london_date(asked));
  }
  return deadline_hours(asked, (int)setting_value(settings, "support_response_hours"));
}
