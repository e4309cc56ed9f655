#include "capabilities.h"

#include "access.h"
#include "panels.h"

json_t *capabilities_of(role_set roles) {
  return json_pack(
      "{s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b}",
      "read_children", access_child_grants(roles, ACCESS_READ) != 0,
      "change_children", access_child_grants(roles, ACCESS_WRITE) != 0,
      "create_children", access_may_create_child(roles) != 0,
      "read_carers", access_carer_grants(roles, ACCESS_READ) != 0,
      "create_carers", access_may_create_carer(roles) != 0,
      "allocate", access_may_allocate(roles) != 0,
      "place_children", access_child_grants(roles, ACCESS_WRITE) != 0,
      "arrange_meetings", access_meeting_grants(roles) != 0,
      "request_stability_meetings", access_stability_request_grants(roles) != 0,
      "waive_unplanned_ending_meetings", access_waiver_grants(roles) != 0,
      "read_panels", panel_reader_of_every_panel(roles) || panel_reader_where_seated(roles),
      "schedule_panels", role_set_has(roles, ROLE_PANEL_ADMIN),
      "record_recommendations", role_set_has(roles, ROLE_CHAIR),
      "decide_matches", role_set_has(roles, ROLE_ADM),
      "submit_carer_profiles", role_set_has(roles, ROLE_AGENCY),
      "manage_people", access_may_manage_people(roles) != 0,
      "read_audit", access_may_read_audit(roles) != 0);
}

json_t *role_names_of(role_set roles) {
  json_t *names = json_array();
  for (size_t i = 0; i < role_count(); i++) {
    if (role_set_has(roles, role_at(i))) {
      json_array_append_new(names, json_string(role_name(role_at(i))));
    }
  }
  return names;
}
