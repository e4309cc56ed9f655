/*
 * family_fixtures.h - the family-finding tests' carers, children and readings of a search
 * (GET /v1/children/{id}/candidate-carers): an ideal carer to vary one field at a time, every
 * page of a search, and assertions on a candidate's factors and an excluded carer's limit.
 */
#ifndef API_TEST_FAMILY_FIXTURES_H
#define API_TEST_FAMILY_FIXTURES_H

#include "fixtures.h"
#include "match_fixtures.h"

#include <jansson.h>

/* A carer who meets every soft factor of the register test's child (test_family_finding.c):
 * the skill its need asks for, a dog, a home in the child's school district (SN1), Polish, a
 * Muslim household of Pakistani heritage; approved long-term for ages 0-17 and 2 places. The
 * caller owns it. */
json_t *ffx_ideal_carer(void);

/* Sets `key` of the carer body's approval to `value` (stolen). */
json_t *ffx_with_approval(json_t *carer, const char *key, json_t *value);

/* Merges `fields` (stolen) into the carer body. */
json_t *ffx_with(json_t *carer, json_t *fields);

/* A date `interval` before London's today in the database ("7 years 2 months"), as text. */
void ffx_date_before_today(const char *interval, char *out);

/* A child of the scene's CSW born on `born`, with `extra` (stolen, may be NULL) in its record,
 * its family finder allocated. */
void ffx_make_child(const mfx_scene *s, const char *born, json_t *extra, char *id);

/* Every candidate of the child's search, following `next` with pages of `limit`; the first
 * page's `excluded` (when asked for) into *excluded (owned by the caller). */
json_t *ffx_all_candidates(const fx_person *who, const char *child, int limit, int explain,
                           json_t **excluded);

/* The entry of `carer` in `list` (by carer_id), or NULL. */
json_t *ffx_entry_of(const json_t *list, const char *carer);

/* The index of `carer` in `list`, or -1. */
long ffx_index_of(const json_t *list, const char *carer);

/* The evidence of the item named `name` in the entry's `list` ("factors", "limits" or
 * "failed"), or NULL. */
const char *ffx_evidence_of(const json_t *entry, const char *list, const char *name);

/* Checks the candidate `carer` has `factor` with `rank` and evidence containing `part`. */
void ffx_expect_factor(const json_t *candidates, const char *carer, const char *factor, int rank,
                       const char *part);

/* Checks the excluded `carer` failed exactly the one limit `limit`, with evidence holding `part`.
 */
void ffx_expect_excluded_by(const json_t *excluded, const json_t *candidates, const char *carer,
                            const char *limit, const char *part);

#endif
