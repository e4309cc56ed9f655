/* The fostering team's decisions on an agency's carer submission (issue 7):
 * POST /v1/carer-submissions/{id}/accept makes the latest version the agency's carer (a new carer
 * on the first acceptance, created as POST /v1/carers creates one, in the accepter's team; the
 * same carer updated on later ones), and POST /v1/carer-submissions/{id}/return sends it back
 * with a reason per field. Only the latest version, while it is `submitted`, is decided (409
 * otherwise). Each decision is audited in its own transaction, the carer's change too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/carer_submissions.h"
#include "../db/carers.h"
#include "../db/children.h"
#include "../domain/carer_submissions.h"
#include "../domain/merge_patch.h"
#include "../domain/records.h"
#include "audit_trail.h"
#include "handlers.h"
#include "records.h"

/* What a decision needs of the submission row locked by CARER_SUBMISSION_LOCK. */
struct locked_submission {
  const char *id;
  const char *status;
  long version;
  const char *carer_id; /* NULL before the first acceptance */
  const char *agency;
  const char *profile;  /* the latest version's, as JSON text */
};

/* The common start of a decision: the fostering team's role (403), the id (404), the body
 * checked by `check` (422), then a transaction with the submission locked (404), an If-Match
 * sent matching its ETag (412), and its latest version still open to a decision (409). On success returns the locked row (the caller
 * PQclears it) and the body (*body, the caller's); otherwise answers and returns NULL. */
static PGresult *begin_decision(struct request *r, bool (*check)(const json_t *, json_t *),
                                char *id, json_t **body, struct locked_submission *s) {
  *body = NULL;
  if (!carer_submission_team_may_decide(r->caller.roles)) {
    respond_problem(r, 403, "forbidden",
                    "Carer submissions are accepted or returned by the fostering team "
                    "(ssw, team_manager).");
    return NULL;
  }
  path_segment(r, 2, id, 64);
  if (!record_id_valid(r, id) || (*body = read_json_object(r)) == NULL) {
    return NULL;
  }
  json_t *errors = json_array();
  if (!check(*body, errors)) {
    respond_invalid(r, errors);
    return NULL;
  }
  json_decref(errors);
  const char *params[] = {id, NULL};
  PGresult *res = request_begin(r) ? request_query(r, &CARER_SUBMISSION_LOCK, 2, params) : NULL;
  if (res == NULL) {
    return NULL;
  }
  if (PQntuples(res) == 0) {
    respond_problem(r, 404, "not-found", "There is no such carer submission.");
    PQclear(res);
    return NULL;
  }
  *s = (struct locked_submission){
      .id = id,
      .status = PQgetvalue(res, 0, 0),
      .version = atol(PQgetvalue(res, 0, 1)),
      .carer_id = PQgetisnull(res, 0, 2) ? NULL : PQgetvalue(res, 0, 2),
      .agency = PQgetvalue(res, 0, 3),
      .profile = PQgetvalue(res, 0, 4),
  };
  if (!record_if_match_sent(r, PQgetvalue(res, 0, 1))) { /* the submission's ETag: 412 */
    PQclear(res);
    return NULL;
  }
  const json_t *named = json_object_get(*body, "version");
  const char *conflict = carer_submission_decision_conflict(
      s->status, s->version, named != NULL ? (long)json_integer_value(named) : 0);
  if (conflict != NULL) {
    respond_problem(r, 409, "conflict", conflict);
    PQclear(res);
    return NULL;
  }
  return res;
}

/* Records the decision on the latest version, audits it with `changes` (borrowed), reads the
 * submission back, commits and answers 200. */
static void finish_decision(struct request *r, const struct locked_submission *s,
                            const char *status, const char *reasons, const char *carer_id,
                            const json_t *changes) {
  const char *decide[] = {s->id, status, reasons, carer_id, r->caller.sub};
  PGresult *decided = request_query(r, &CARER_SUBMISSION_DECIDE, 5, decide);
  if (decided == NULL || !audit_write(r, "carer_submission", s->id, 200, changes)) {
    PQclear(decided);
    return;
  }
  PQclear(decided);
  const char *params[] = {s->id, s->agency};
  PGresult *res = request_query(r, &CARER_SUBMISSION_GET, 2, params);
  if (res != NULL && PQntuples(res) == 1 && request_commit(r)) {
    set_etag(r, PQgetvalue(res, 0, 1));
    respond_json_text(r, 200, PQgetvalue(res, 0, 0));
  }
  PQclear(res);
}

/* The first acceptance: a new carer from `doc`, in the accepter's team, with its external ids;
 * audited as the carer's creation. Writes its id into `carer_id` (64 bytes). */
static bool create_carer(struct request *r, const json_t *doc, char *carer_id) {
  char *text = json_dumps(doc, JSON_COMPACT);
  const char *params[] = {r->caller.sub, text};
  PGresult *res = request_query(r, &CARER_INSERT, 2, params);
  bool ok = false;
  if (res != NULL) {
    snprintf(carer_id, 64, "%s", PQgetvalue(res, 0, 2));
    json_t *changes = changed_fields(NULL, doc);
    ok = record_store_external_ids(r, "carer", carer_id, text, false) &&
         audit_write(r, "carer", carer_id, 200, changes);
    json_decref(changes);
  }
  PQclear(res);
  free(text);
  return ok;
}

/* A later acceptance: the submission's carer takes the accepted profile (keeping its external
 * ids when the profile names none); audited with the changed fields. */
static bool update_carer(struct request *r, const char *carer_id, const json_t *profile) {
  const char *lock[] = {carer_id};
  PGresult *current = request_query(r, &CARER_SUBMISSION_CARER_LOCK, 1, lock);
  if (current == NULL) {
    return false;
  }
  json_t *before = json_loads(PQgetvalue(current, 0, 0), 0, NULL);
  PQclear(current);
  json_t *after = carer_submission_carer_doc(before, profile);
  char *text = json_dumps(after, JSON_COMPACT);
  const char *params[] = {carer_id, text};
  PGresult *res = request_query(r, &CARER_UPDATE, 2, params);
  json_t *changes = changed_fields(before, after);
  bool ok = res != NULL &&
            (!field_changed(before, after, "external_ids") ||
             record_store_external_ids(r, "carer", carer_id, text, true)) &&
            audit_write(r, "carer", carer_id, 200, changes);
  json_decref(changes);
  PQclear(res);
  free(text);
  json_decref(after);
  json_decref(before);
  return ok;
}

void carer_submissions_accept(struct request *r) {
  char id[64];
  json_t *body;
  struct locked_submission s;
  PGresult *locked = begin_decision(r, carer_submission_accept_check, id, &body, &s);
  if (locked == NULL) {
    json_decref(body);
    return;
  }
  json_t *profile = json_loads(s.profile, 0, NULL);
  json_t *errors = json_array();
  char carer_id[64] = "";
  if (!carer_validate(profile, r->today, errors)) {
    respond_invalid(r, json_incref(errors)); /* a rule changed since it was sent */
  } else if (record_caller_is_person(r)) {
    bool stored = s.carer_id == NULL ? create_carer(r, profile, carer_id)
                                     : update_carer(r, s.carer_id, profile);
    if (stored) {
      if (s.carer_id != NULL) {
        snprintf(carer_id, sizeof carer_id, "%s", s.carer_id);
      }
      json_t *changes = json_pack("{s:{s:s}, s:{s:s, s:I, s:s}}", "before", "status", s.status,
                                  "after", "status", "accepted", "version",
                                  (json_int_t)s.version, "carer_id", carer_id);
      finish_decision(r, &s, "accepted", NULL, carer_id, changes);
      json_decref(changes);
    }
  }
  json_decref(errors);
  json_decref(profile);
  PQclear(locked);
  json_decref(body);
}

void carer_submissions_return(struct request *r) {
  char id[64];
  json_t *body;
  struct locked_submission s;
  PGresult *locked = begin_decision(r, carer_submission_return_check, id, &body, &s);
  if (locked == NULL) {
    json_decref(body);
    return;
  }
  const json_t *reasons = json_object_get(body, "reasons");
  char *text = json_dumps(reasons, JSON_COMPACT);
  json_t *changes = json_pack("{s:{s:s}, s:{s:s, s:I, s:O}}", "before", "status", s.status,
                              "after", "status", "returned", "version", (json_int_t)s.version,
                              "returned_reasons", reasons);
  finish_decision(r, &s, "returned", text, NULL, changes);
  json_decref(changes);
  free(text);
  PQclear(locked);
  json_decref(body);
}
