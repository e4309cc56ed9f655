/* The roles of POLICY.md ("Roles") as a bit set, and their names in the JWT `roles` claim. */
#ifndef DOMAIN_ROLES_H
#define DOMAIN_ROLES_H

#include <stdbool.h>
#include <stddef.h>

enum role {
  ROLE_CSW = 1u << 0,
  ROLE_SSW = 1u << 1,
  ROLE_IRO = 1u << 2,
  ROLE_TEAM_MANAGER = 1u << 3,
  ROLE_FAMILY_FINDER = 1u << 4,
  ROLE_PANEL_MEMBER = 1u << 5,
  ROLE_CHAIR = 1u << 6,
  ROLE_VOICE_AMBASSADOR = 1u << 7,
  ROLE_ADM = 1u << 8,
  ROLE_PANEL_ADMIN = 1u << 9,
  ROLE_AGENCY = 1u << 10,
  ROLE_ADMIN = 1u << 11,
};

typedef unsigned int role_set;

/* The role named `name`, or 0 when the name is not a role of POLICY.md. */
enum role role_from_name(const char *name);

/* The claim name of a single role ("csw", "team_manager", ...), or NULL for 0 or a set. */
const char *role_name(enum role role);

/* Every role's claim name, in a NULL-terminated list. */
const char *const *role_names(void);

/* The number of roles defined, and the i-th (0-based) of them. */
size_t role_count(void);
enum role role_at(size_t index);

static inline bool role_set_has(role_set set, enum role role) {
  return (set & (role_set)role) != 0;
}

#endif
