/* What a caller's roles let them do, said once for front ends (GET /v1/me) so that a screen
 * can hide what its user cannot do. Relationships still decide each record (access.h): a
 * capability here means "for the records you reach". */
#ifndef DOMAIN_CAPABILITIES_H
#define DOMAIN_CAPABILITIES_H

#include <jansson.h>

#include "roles.h"

/* An object {capability: bool, ...} for `roles`. The caller owns it. */
json_t *capabilities_of(role_set roles);

/* The names of the roles in `roles`, as a JSON array the caller owns. */
json_t *role_names_of(role_set roles);

#endif
