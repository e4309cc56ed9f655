/* Family finding (issue 10): which carers could be a child's long-term family, and why.
 *
 * Hard limits are never relaxed: a carer who fails one is excluded, with the limit and its
 * evidence. The carers who pass every limit are candidates, put in order by soft factors, each
 * reported with its evidence rather than folded into a score. The order is lexicographic: the
 * factors in the order of `enum ff_factor` (fewer unmet needs first, then fewer unmet wishes,
 * then nearer, then a shared language, then fewer differences of religion and culture, then
 * in-house before agency), and the carer's id breaks a tie. Each factor gives a rank, 0 being
 * the best. A sibling group is searched for as one: every child must fit every limit, and the
 * soft factors read every child's record. Pure: no clock (the search date is given), no SQL. */
#ifndef DOMAIN_FAMILY_FINDING_H
#define DOMAIN_FAMILY_FINDING_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "dates.h"

/* The needs and risks a child's record may name (`needs`) and the kinds of wish the search
 * weighs (`wishes[].kind`), NULL-terminated. A carer's skill meets a need when it names it,
 * case, spaces and hyphens aside ("Therapeutic parenting" meets therapeutic_parenting). */
extern const char *const ff_needs[];
extern const char *const ff_wish_kinds[];

/* The hard limits, in the order they are checked and reported. */
enum ff_limit {
  FF_APPROVED,         /* the carer's approval status is approved */
  FF_LONG_TERM,        /* approved for long-term care */
  FF_AGE_RANGE,        /* every child's age on the search date within the approval's range */
  FF_VACANCY,          /* approved places less children placed now: room for every child */
  FF_CONNECTED_PERSON, /* not approved as connected person for another child only (M3) */
  FF_LIMIT_COUNT
};

/* The soft factors, in the order they decide (most weight first). */
enum ff_factor {
  FF_NEEDS,                /* the children's needs and risks the carer's skills do not meet */
  FF_WISHES,               /* the children's wishes (near someone, a pet) the carer does not meet */
  FF_DISTANCE,             /* 0 same postcode district, 1 same area, 2 another area, 3 unknown */
  FF_LANGUAGE,             /* 0 a shared language (or none recorded), 1 none shared */
  FF_RELIGION_AND_CULTURE, /* the children's religions and ethnicities the household lacks */
  FF_IN_HOUSE,             /* 0 in-house, 1 an agency's carer (M11: fee discussion before panel) */
  FF_FACTOR_COUNT
};

#define FF_CARER_ID_SIZE 37

/* Where a candidate stands: its factors' ranks, then its id. */
struct ff_key {
  int ranks[FF_FACTOR_COUNT];
  char carer_id[FF_CARER_ID_SIZE];
};

/* The search: for whom and on which day. */
struct ff_search {
  struct date on;         /* the search date */
  const json_t *children; /* the children searched for (one, or a sibling group to place
                           * together): child records with their `id` (borrowed) */
};

/* A search's outcome: which carers of the register are candidates, in order, and which are
 * excluded. The entries with their evidence are written on demand (ff_candidate, ff_excluded),
 * so a page of the answer costs the evidence of that page only. The caller frees it with
 * ff_result_free, and keeps the register until then. */
struct ff_result {
  const json_t *register_; /* borrowed: the register the search judged */
  size_t candidate_count;
  size_t *candidates;      /* indexes into the register, most suitable first */
  struct ff_key *keys;     /* keys[i] is candidates[i]'s */
  size_t excluded_count;
  size_t *excluded;        /* indexes into the register, in its order (by carer id) */
};

/* Judges every carer of `register_` (a JSON array, borrowed until ff_result_free) for the
 * search: each carer is {id, agency_id, placed_now, approval, postcode, languages, religion,
 * ethnicities, skills, pets, carers}, where placed_now counts the children placed with the
 * carer now other than those searched for. Fills `result`. Returns false only when memory ran
 * out (result then holds nothing). */
bool ff_search_run(const struct ff_search *search, const json_t *register_,
                   struct ff_result *result);

/* The i-th candidate (0 the most suitable) as the answer shows it: {position, carer_id, carers,
 * agency_id, in_house, places_free, limits: [{limit, evidence}] (every one, passed), factors:
 * [{factor, rank, evidence}]}. Owned by the caller. */
json_t *ff_candidate(const struct ff_search *search, const struct ff_result *result, size_t i);

/* The i-th excluded carer: {carer_id, carers, agency_id, failed: [{limit, evidence}]}. Owned by
 * the caller. */
json_t *ff_excluded(const struct ff_search *search, const struct ff_result *result, size_t i);

void ff_result_free(struct ff_result *result);

/* The candidates a proposal's record keeps beyond the proposed carer (the first ones). */
#define FF_CONSIDERED_MAX 100

/* What a proposal of `carer_id` keeps of the search for the matching report and the panel:
 * {order, candidate_count, excluded_count, proposed: the carer's ff_candidate entry,
 * considered: the first FF_CONSIDERED_MAX candidates, each {position, carer_id, agency_id,
 * factors}}. Owned by the caller. When the carer is not a candidate, appends to `errors` (as
 * schema.h's validation errors on "carer_id") each hard limit it fails, or that there is no
 * such carer, and returns NULL. */
json_t *ff_proposal_record(const struct ff_search *search, const struct ff_result *result,
                           const char *carer_id, json_t *errors);

/* Lexicographic: negative, zero or positive as `a` goes before, with or after `b`. */
int ff_key_compare(const struct ff_key *a, const struct ff_key *b);

/* Writes `key` as text ("0.1.2.0.0.1|<carer id>") into buf (FF_KEY_TEXT_SIZE bytes), and reads it
 * back: false when `text` is not one ff_key_format wrote. */
#define FF_KEY_TEXT_SIZE 120
void ff_key_format(const struct ff_key *key, char buf[FF_KEY_TEXT_SIZE]);
bool ff_key_parse(const char *text, struct ff_key *key);

/* The order's rule as the answer names it: the factors' names, then "carer_id". Owned by the
 * caller. */
json_t *ff_order(void);

#endif
