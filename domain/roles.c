#include "roles.h"

#include <string.h>

/* Claim names in bit order: the role with bit i is named ROLE_NAMES[i]. */
static const char *const ROLE_NAMES[] = {
    "csw", "ssw", "iro", "team_manager", "family_finder", "panel_member", "chair",
    "voice_ambassador", "adm", "panel_admin", "agency", "admin", NULL};

const char *const *role_names(void) {
  return ROLE_NAMES;
}

size_t role_count(void) {
  return sizeof ROLE_NAMES / sizeof ROLE_NAMES[0] - 1;
}

enum role role_at(size_t index) {
  return (enum role)(1u << index);
}

enum role role_from_name(const char *name) {
  for (size_t i = 0; name != NULL && i < role_count(); i++) {
    if (strcmp(ROLE_NAMES[i], name) == 0) {
      return role_at(i);
    }
  }
  return 0;
}

const char *role_name(enum role role) {
  for (size_t i = 0; i < role_count(); i++) {
    if (role == role_at(i)) {
      return ROLE_NAMES[i];
    }
  }
  return NULL;
}
