/* Reading and patching the document records (children, carers): the same steps for both —
 * the access check through the caller's relationships, If-Match, JSON merge patch, validation,
 * the audit row with the changed fields, all in one transaction. */
#ifndef API_RECORDS_H
#define API_RECORDS_H

#include <jansson.h>
#include <stdbool.h>

#include "../db/pool.h"
#include "../domain/access.h"
#include "http.h"

struct record_kind {
  const char *resource_type; /* "child", "carer": external ids and the audit */
  const char *collection;    /* "/v1/children": where created records live */
  const struct db_statement *insert; /* $1 creator, $2 doc: (json, version, id) */
  bool (*validate)(const json_t *doc, struct date today, json_t *errors);
  relationship_set (*grants)(role_set roles, enum access_action action);
  /* Statements taking (id, sub, kinds[, agency]) as access_params builds them. */
  const struct db_statement *get;  /* (json, version, visible) */
  /* The read composed in C (a child's record): (visible, the record's columns for
   * record_json.h); NULL to answer `get`'s json. `get_composed_by_allocation` is the same for
   * a caller whose relationships are all allocations (access_by_child_allocation_only). */
  const struct db_statement *get_composed;
  const struct db_statement *get_composed_by_allocation;
  const struct db_statement *lock; /* (doc, version, visible, ...) FOR UPDATE */
  const struct db_statement *update; /* $1 id, $2 doc: (json, version) */
  bool with_agency;                /* the access statements take the caller's agency as $4 */
  /* Refuses a change the caller's roles may not make (NULL: every change the relationship
   * allows): returns the reason for a 403, or NULL. */
  const char *(*refuse_change)(role_set roles, const json_t *before, const json_t *after);
};

/* Validates `id` as a UUID; answers 404 and returns false otherwise. */
bool record_id_valid(struct request *r, const char *id);

/* The record a /v1/<things>/{id}/... request is about: copies the path's id into `id` (at least
 * 64 bytes). Answers 403 with `refusal` when `grants` is empty (the roles never allow it) and
 * 404 when the id is not a UUID, and then returns false. */
bool record_target(struct request *r, relationship_set grants, const char *refusal, char *id);

/* POST: validates the document, requires the caller to have a people record (their team becomes
 * the record's), inserts it with its external ids, runs `on_created` (NULL for none) in the same
 * transaction, audits and answers 201. The caller has checked the role may create. */
void record_create(struct request *r, const struct record_kind *kind,
                   bool (*on_created)(struct request *r, const char *id));

/* Inserts the validated document `doc` (borrowed) with its external ids, runs `on_created`
 * (NULL for none), audits, commits and answers 201. Inside the caller's open transaction. */
void record_insert(struct request *r, const struct record_kind *kind, const json_t *doc,
                   bool (*on_created)(struct request *r, const char *id));

/* Whether the caller has a people record (their team becomes a new record's); answers 403 and
 * returns false if not. */
bool record_caller_is_person(struct request *r);

/* Appends an error on `field` to `errors` when there is no person `person` (an owner, a chair
 * named in a body). False after answering. */
bool record_person_known(struct request *r, const char *person, const char *field,
                         json_t *errors);

/* Fills `params` (room for 4) with (id, sub, kinds[, agency]) for `kind`'s access statements
 * and returns how many. */
int record_access_params(const struct request *r, const struct record_kind *kind, const char *id,
                         const char *kinds, const char *params[]);

/* Replaces the locked record (`current`: a row of kind->lock) with `after` (borrowed): the
 * change's role check, validation, the update, its external ids, the audit row; answers every
 * outcome. */
void record_replace(struct request *r, const struct record_kind *kind, const char *id,
                    const PGresult *current, json_t *after);

/* The (system, id) of a /v1/<things>/by-external/{system}/{id} path, copied into buffers of
 * 256 bytes. Answers 404 and returns false when no record could hold it (too long). */
bool record_external_target(struct request *r, char *system, char *external_id);

/* Locks the external id (`resource_type`, `system`, `external_id`) for the transaction, so that
 * syncs of one record take turns, then answers (resource_id) of the record holding it (no row
 * when none does). NULL after answering; the caller PQclears. */
PGresult *record_holding_external_id(struct request *r, const char *resource_type,
                                     const char *system, const char *external_id);

/* PUT /v1/<things>/by-external/{system}/{id}: a case system's idempotent sync of one record.
 * Creates it (201, when the caller's roles create such records; `on_created` as for
 * record_create) or replaces the record holding that external id (200; the caller must reach it
 * to change it, else 404; If-Match is checked when sent). A record already equal to the body
 * answers 200 unchanged, its version kept. */
void record_upsert(struct request *r, const struct record_kind *kind, bool may_create,
                   bool (*on_created)(struct request *r, const char *id));

/* GET one: 403 when the roles never allow it, 404 when the caller may not see it. */
void record_get(struct request *r, const struct record_kind *kind);

/* PATCH one with a JSON merge patch and If-Match. */
void record_patch(struct request *r, const struct record_kind *kind);

/* Replaces the external ids of the record from `doc` (inside the caller's transaction).
 * Answers 409 when another record of the kind holds one of them. */
bool record_store_external_ids(struct request *r, const char *resource_type, const char *id,
                               const char *doc_text, bool replace);

/* Whether the record `id` exists and the caller reaches it through `grants`, asking
 * `statement` (an access statement taking (id, sub, kinds[, agency]) and answering `visible`
 * third). Answers 404 and returns false when not. */
bool record_reached(struct request *r, const struct db_statement *statement, bool with_agency,
                    const char *id, relationship_set grants);

/* 428 without If-Match, 412 when it is not the current version's ETag. */
bool record_if_match(struct request *r, const char *version);

/* A state change (propose, hold, end, complete, ...) checks If-Match when the caller sends one:
 * 412 when it is not the current version's ETag. True when the change may go on. */
bool record_if_match_sent(struct request *r, const char *version);

#endif
