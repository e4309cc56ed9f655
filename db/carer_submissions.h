/* SQL of agencies' carer submissions and their versions (issue 7). A submission is always read
 * under its agency: every statement that takes an agency matches it against the submission's. */
#ifndef DB_CARER_SUBMISSIONS_H
#define DB_CARER_SUBMISSIONS_H

#include "pool.h"

/* $1 agency, $2 profile, $3 sub: a submission and its version 1: (id) */
extern const struct db_statement CARER_SUBMISSION_INSERT;
/* $1 id, $2 agency: (json, version); no row when the agency has no such submission */
extern const struct db_statement CARER_SUBMISSION_GET;
/* $1 id, $2 agency or null (any): (status, version, carer_id, agency_id, latest profile)
 * FOR UPDATE of the submission; no row when there is no such submission */
extern const struct db_statement CARER_SUBMISSION_LOCK;
/* $1 id, $2 profile, $3 sub: the next version, the submission back to `submitted` (a version
 * still waiting is `superseded`): (version) */
extern const struct db_statement CARER_SUBMISSION_ADD_VERSION;
/* $1 id, $2 status (accepted, returned), $3 reasons json or null, $4 carer id or null (kept),
 * $5 sub: decides the latest version: (version) */
extern const struct db_statement CARER_SUBMISSION_DECIDE;
/* $1 id, $2 agency, $3 version: (json); no row when there is no such version */
extern const struct db_statement CARER_SUBMISSION_VERSION_GET;
/* $1 agency, $2 after, $3 limit: page */
extern const struct db_statement CARER_SUBMISSION_LIST_FOR_AGENCY;
/* $1 status or null (every status), $2 after, $3 limit: page */
extern const struct db_statement CARER_SUBMISSION_LIST;
/* $1 carer: (doc) FOR UPDATE */
extern const struct db_statement CARER_SUBMISSION_CARER_LOCK;

#endif
