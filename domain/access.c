#include "access.h"

#include <stdio.h>
#include <string.h>

relationship_set access_child_grants(role_set roles, enum access_action action) {
  relationship_set grants = 0;
  if (role_set_has(roles, ROLE_CSW)) {
    grants |= REL_CHILD_CSW;
  }
  if (role_set_has(roles, ROLE_TEAM_MANAGER)) {
    grants |= REL_TEAM;
  }
  if (action == ACCESS_WRITE) {
    return grants;
  }
  if (role_set_has(roles, ROLE_IRO)) {
    grants |= REL_CHILD_IRO;
  }
  if (role_set_has(roles, ROLE_FAMILY_FINDER)) {
    grants |= REL_CHILD_FAMILY_FINDER;
  }
  if (role_set_has(roles, ROLE_SSW)) {
    grants |= REL_CHILD_PLACED_WITH_SSW;
  }
  return grants;
}

relationship_set access_part1_request_grants(role_set roles) {
  relationship_set grants = 0;
  if (role_set_has(roles, ROLE_CSW)) {
    grants |= REL_CHILD_CSW;
  }
  if (role_set_has(roles, ROLE_IRO)) {
    grants |= REL_CHILD_IRO;
  }
  if (role_set_has(roles, ROLE_TEAM_MANAGER)) {
    grants |= REL_TEAM;
  }
  return grants;
}

bool access_by_child_allocation_only(relationship_set set) {
  relationship_set allocations = REL_CHILD_CSW | REL_CHILD_IRO | REL_CHILD_FAMILY_FINDER;
  return set != 0 && (set & ~allocations) == 0;
}

relationship_set access_meeting_grants(role_set roles) {
  return access_child_grants(roles, ACCESS_READ);
}

relationship_set access_stability_request_grants(role_set roles) {
  relationship_set grants = 0;
  if (role_set_has(roles, ROLE_CSW)) {
    grants |= REL_CHILD_CSW;
  }
  if (role_set_has(roles, ROLE_IRO)) {
    grants |= REL_CHILD_IRO;
  }
  if (role_set_has(roles, ROLE_SSW)) {
    grants |= REL_CHILD_PLACED_WITH_SSW;
  }
  return grants;
}

relationship_set access_permanence_plan_report_grants(role_set roles) {
  return access_child_grants(roles, ACCESS_READ) & ~(relationship_set)REL_CHILD_PLACED_WITH_SSW;
}

relationship_set access_waiver_grants(role_set roles) {
  return role_set_has(roles, ROLE_TEAM_MANAGER) ? REL_TEAM : 0;
}

relationship_set access_carer_grants(role_set roles, enum access_action action) {
  relationship_set grants = 0;
  if (role_set_has(roles, ROLE_SSW)) {
    grants |= REL_CARER_SSW;
  }
  if (role_set_has(roles, ROLE_TEAM_MANAGER)) {
    grants |= REL_TEAM;
  }
  if (action == ACCESS_WRITE) {
    return grants;
  }
  if (role_set_has(roles, ROLE_CSW)) {
    grants |= REL_CARER_OF_CSW_CHILD;
  }
  if (role_set_has(roles, ROLE_FAMILY_FINDER)) {
    grants |= REL_ANY_CARER;
  }
  if (role_set_has(roles, ROLE_AGENCY)) {
    grants |= REL_OWN_AGENCY;
  }
  return grants;
}

int access_may_create_child(role_set roles) {
  return role_set_has(roles, ROLE_CSW) || role_set_has(roles, ROLE_TEAM_MANAGER);
}

int access_may_create_carer(role_set roles) {
  return role_set_has(roles, ROLE_TEAM_MANAGER);
}

int access_may_allocate(role_set roles) {
  return role_set_has(roles, ROLE_TEAM_MANAGER);
}

int access_may_change_carer_approval(role_set roles) {
  return role_set_has(roles, ROLE_TEAM_MANAGER);
}

int access_may_manage_people(role_set roles) {
  return role_set_has(roles, ROLE_ADMIN);
}

int access_may_read_audit(role_set roles) {
  return role_set_has(roles, ROLE_ADMIN);
}

static const char *relationship_name(enum relationship rel) {
  switch (rel) {
  case REL_CHILD_CSW: return "csw";
  case REL_CHILD_IRO: return "iro";
  case REL_CHILD_FAMILY_FINDER: return "family_finder";
  case REL_CHILD_PLACED_WITH_SSW: return "placed_with_ssw";
  case REL_CARER_SSW: return "ssw";
  case REL_CARER_OF_CSW_CHILD: return "carer_of_csw_child";
  case REL_TEAM: return "team";
  case REL_OWN_AGENCY: return "own_agency";
  case REL_ANY_CARER: return "any_carer";
  }
  return "";
}

char *relationship_array_literal(relationship_set set, char *buf, size_t size) {
  size_t used = (size_t)snprintf(buf, size, "{");
  const char *separator = "";
  for (unsigned int bit = 1; bit <= REL_ANY_CARER && used < size; bit <<= 1) {
    if (set & bit) {
      used += (size_t)snprintf(buf + used, size - used, "%s%s", separator,
                               relationship_name((enum relationship)bit));
      separator = ",";
    }
  }
  if (used < size) {
    snprintf(buf + used, size - used, "}");
  }
  return buf;
}

relationship_set access_carer_chronology_grants(role_set roles) {
  return access_carer_grants(roles, ACCESS_READ) & (REL_CARER_SSW | REL_CARER_OF_CSW_CHILD | REL_TEAM);
}

relationship_set access_family_finding_grants(role_set roles) {
  relationship_set grants = 0;
  if (role_set_has(roles, ROLE_CSW)) {
    grants |= REL_CHILD_CSW;
  }
  if (role_set_has(roles, ROLE_FAMILY_FINDER)) {
    grants |= REL_CHILD_FAMILY_FINDER;
  }
  if (role_set_has(roles, ROLE_TEAM_MANAGER)) {
    grants |= REL_TEAM;
  }
  return grants;
}
