/* The documents of children, carers and people: their fields, and the checks that span fields.
 * Each `*_validate` appends every problem to `errors` (a JSON array the caller owns) and returns
 * true when it appended none. `today` is the London date the request is judged on. */
#ifndef DOMAIN_RECORDS_H
#define DOMAIN_RECORDS_H

#include <jansson.h>
#include <stdbool.h>

#include "dates.h"

/* A child's record: identity, needs, legal status, profile sections, wishes and feelings. */
bool child_validate(const json_t *doc, struct date today, json_t *errors);

/* A fostering household: its carers, agency, approval, home and skills. */
bool carer_validate(const json_t *doc, struct date today, json_t *errors);

/* A person known to the service (a token's `sub`) and the roles they may hold. */
bool person_validate(const json_t *doc, json_t *errors);

/* The `external_ids` of a record name each case system at most once. */
bool external_ids_validate(const json_t *doc, json_t *errors);

/* The longest case system name and identifier an external id holds. */
#define EXTERNAL_SYSTEM_MAX 40
#define EXTERNAL_ID_MAX 100

/* A case system's upsert names the record by (`system`, `id`): adds that external id to the
 * document's `external_ids` when it is missing. Appends an error (and returns false) when the
 * document gives the system another id. */
bool external_ids_include(json_t *doc, const char *system, const char *id, json_t *errors);

#endif
