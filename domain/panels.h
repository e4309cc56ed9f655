/* Panels: M8, quorum. A panel is quorate with its chair or deputy chair present and at least
 * `quorum_core_members` (3) core members present; optional members (health, education),
 * presenters (CSW, SSW) and the voice ambassador do not count towards it. */
#ifndef DOMAIN_PANELS_H
#define DOMAIN_PANELS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "roles.h"

struct panel_seat {
  const char *seat; /* chair, deputy_chair, core, optional, presenter, voice_ambassador */
  bool attended;
};

/* Who reads panels (POLICY.md "Roles"): the panel administrator and the decision maker read
 * every panel, its agenda and its papers. */
bool panel_reader_of_every_panel(role_set roles);

/* The chair, core members and the voice ambassador read only the panels they sit on. */
bool panel_reader_where_seated(role_set roles);

/* Whether `seat` is a seat the panel knows. */
bool panel_seat_valid(const char *seat);

/* The seats, NULL-terminated. */
const char *const *panel_seats(void);

/* M8: {"quorate", "chair_present", "core_present", "core_needed", "reasons": [...]} from the
 * attendance of `n` seats; reasons name what is missing. The caller owns the result. */
json_t *panel_quorum(const struct panel_seat *seats, size_t n, int core_needed);

#endif
