/* JSON merge patch (RFC 7396) and the field-level difference an audit row records (R1). */
#ifndef DOMAIN_MERGE_PATCH_H
#define DOMAIN_MERGE_PATCH_H

#include <jansson.h>
#include <stdbool.h>

/* Returns a new document: `target` with `patch` applied as RFC 7396 says (null removes a member,
 * objects merge recursively, anything else replaces). Neither argument is changed. The caller
 * owns the result (json_decref). */
json_t *merge_patch_apply(const json_t *target, const json_t *patch);

/* Returns {"before": {...}, "after": {...}} holding only the top-level members whose values
 * differ between the two objects (a member missing on one side is absent there). `before` may be
 * NULL for a creation. The caller owns the result. */
json_t *changed_fields(const json_t *before, const json_t *after);

/* Whether the top-level member `key` differs between the two objects (absent on both sides is
 * no change). */
bool field_changed(const json_t *before, const json_t *after, const char *key);

#endif
