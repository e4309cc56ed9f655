#include "panels.h"

#include <stdio.h>
#include <string.h>

#include "schema.h"

static const char *const SEATS[] = {"chair",     "deputy_chair",     "core", "optional",
                                    "presenter", "voice_ambassador", NULL};

bool panel_reader_of_every_panel(role_set roles) {
  return role_set_has(roles, ROLE_PANEL_ADMIN) || role_set_has(roles, ROLE_ADM);
}

bool panel_reader_where_seated(role_set roles) {
  return role_set_has(roles, ROLE_CHAIR) || role_set_has(roles, ROLE_PANEL_MEMBER) ||
         role_set_has(roles, ROLE_VOICE_AMBASSADOR);
}

const char *const *panel_seats(void) {
  return SEATS;
}

bool panel_seat_valid(const char *seat) {
  return schema_is_choice(SEATS, seat);
}

json_t *panel_quorum(const struct panel_seat *seats, size_t n, int core_needed) {
  bool chair_present = false;
  int core_present = 0;
  for (size_t i = 0; i < n; i++) {
    if (!seats[i].attended) {
      continue;
    }
    if (strcmp(seats[i].seat, "chair") == 0 || strcmp(seats[i].seat, "deputy_chair") == 0) {
      chair_present = true;
    } else if (strcmp(seats[i].seat, "core") == 0) {
      core_present++;
    }
  }
  json_t *reasons = json_array();
  if (!chair_present) {
    json_array_append_new(reasons, json_string("neither the chair nor the deputy chair attends"));
  }
  if (core_present < core_needed) {
    char reason[96];
    snprintf(reason, sizeof reason, "%d core members attend, %d are needed", core_present,
             core_needed);
    json_array_append_new(reasons, json_string(reason));
  }
  return json_pack("{s:b, s:b, s:i, s:i, s:o}", "quorate", json_array_size(reasons) == 0,
                   "chair_present", chair_present, "core_present", core_present, "core_needed",
                   core_needed, "reasons", reasons);
}
