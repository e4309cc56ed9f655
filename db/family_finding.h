/* SQL of family finding (issue 10): the children a search is for, the register of carers it
 * reads, and sibling groups. */
#ifndef DB_FAMILY_FINDING_H
#define DB_FAMILY_FINDING_H

#include "pool.h"

/* $1 child: (the children searched for as a JSON array of their records with `id`: the child,
 * and its siblings when it is in a group whose plan is together, the child first; the child's
 * sibling group as sibling_group_json or null; the group's plan or null); no row when no child */
extern const struct db_statement FF_CHILDREN;
/* $1 the children searched for (uuid[]): (the register as a JSON array in carer id order, each
 * {id, agency_id, placed_now, approval, postcode, languages, religion, ethnicities, skills,
 * pets, carers}; placed_now counts open placements of other children) */
extern const struct db_statement FF_REGISTER;
/* $1 match: (child_id) */
extern const struct db_statement FF_MATCH_CHILD;

/* $1 child ids (uuid[]), $2 sub, $3 kinds: (id, visible, already in a sibling group) of each
 * child that exists */
extern const struct db_statement SIBLING_CHILDREN_REACH;
/* $1 plan, $2 reason, $3 created_by, $4 child ids (uuid[]): (id) of the new group with its
 * members */
extern const struct db_statement SIBLING_GROUP_INSERT;
/* $1 id: (json, version) */
extern const struct db_statement SIBLING_GROUP_JSON;
/* $1 id, $2 sub, $3 kinds: (json, version, the caller reaches every child); no row when no
 * group */
extern const struct db_statement SIBLING_GROUP_GET;

#endif
