/* /v1/agencies/{agency_id}/carer-submissions (issue 7): an independent fostering agency submits
 * and updates the profiles of its own carers, every version kept, and reads their status and
 * the fostering team's reasons; the fostering team (ssw, team_manager) reads them too, and lists
 * every agency's at /v1/carer-submissions. Accepting and returning: carer_submission_decisions.c.
 *
 * An agency token reaches only its own agency's path: another agency's is 404, whatever is
 * there, so that no agency learns of another. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/carer_submissions.h"
#include "../domain/carer_submissions.h"
#include "../domain/merge_patch.h"
#include "../domain/utf8.h"
#include "audit_trail.h"
#include "handlers.h"
#include "pagination.h"
#include "records.h"

/* The path's agency id as sent (percent-encoded), then decoded: a token's agency_id is at most
 * 100 bytes (auth.h), so a longer segment, cut here, never matches one. */
#define AGENCY_MAX 320

static int hex_value(char c) {
  return c >= '0' && c <= '9' ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                : -1;
}

/* Whether `s` is UTF-8 as PostgreSQL accepts it. */
static bool valid_utf8(const char *s) {
  while (*s != '\0') {
    size_t n = utf8_sequence_length((const unsigned char *)s);
    if (n == 0) {
      return false;
    }
    s += n;
  }
  return true;
}

/* Decodes the percent-encoded `s` in place (the path arrives as sent). Returns false for a bad
 * escape, an encoded NUL or what is not UTF-8 once decoded. */
static bool percent_decode(char *s) {
  char *out = s;
  for (const char *in = s; *in != '\0'; in++) {
    if (*in != '%') {
      *out++ = *in;
      continue;
    }
    int high = hex_value(in[1]);
    int low = high < 0 ? -1 : hex_value(in[2]);
    if (low < 0 || (high == 0 && low == 0)) {
      return false;
    }
    *out++ = (char)(high * 16 + low);
    in += 2;
  }
  *out = '\0';
  return valid_utf8(s);
}

/* The agency of the path, decoded into `agency` (AGENCY_MAX bytes), when the caller reaches its
 * submissions (to submit when `write`). Answers 403 or 404 and returns false otherwise. */
static bool agency_target(struct request *r, bool write, char *agency) {
  path_segment(r, 2, agency, AGENCY_MAX);
  bool decoded = percent_decode(agency);
  enum carer_submission_reach reach =
      carer_submission_reach(r->caller.roles, r->caller.agency_id, decoded ? agency : "", write);
  if (!decoded && reach != CS_REACH_FORBIDDEN) {
    reach = CS_REACH_HIDDEN; /* no agency has that id */
  }
  switch (reach) {
  case CS_REACH_AGENCY:
  case CS_REACH_TEAM:
    return true;
  case CS_REACH_HIDDEN:
    respond_problem(r, 404, "not-found", "There is no such record you may see.");
    return false;
  case CS_REACH_FORBIDDEN:
  default:
    respond_problem(r, 403, "forbidden",
                    write ? "Carer submissions are sent by the carer's agency."
                          : "Carer submissions are read by their agency and the fostering team.");
    return false;
  }
}

/* The submission id of the path (segment 4), into `id` (64 bytes); 404 when not a UUID. */
static bool submission_id(struct request *r, char *id) {
  path_segment(r, 4, id, 64);
  return record_id_valid(r, id);
}

/* Writes `s` into `out` (`size` bytes) with every byte outside RFC 3986's unreserved set
 * percent-encoded, for a Location; cut short (still terminated) when it does not fit. */
static void percent_encode(const char *s, char *out, size_t size) {
  static const char hex[] = "0123456789ABCDEF";
  size_t used = 0;
  for (; *s != '\0' && used + 4 <= size; s++) {
    unsigned char c = (unsigned char)*s;
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
        c == '-' || c == '.' || c == '_' || c == '~') {
      out[used++] = (char)c;
    } else {
      out[used++] = '%';
      out[used++] = hex[c >> 4];
      out[used++] = hex[c & 15];
    }
  }
  out[used] = '\0';
}

/* Reads the request body as an agency's profile for `agency`, checked whole (422 naming every
 * field). Returns the profile (the caller owns it) with its agency_id set, or NULL after
 * answering. */
static json_t *read_profile(struct request *r, const char *agency) {
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return NULL;
  }
  json_t *profile = merge_patch_apply(NULL, body); /* a null member means absent */
  json_decref(body);
  json_t *errors = json_array();
  if (!carer_submission_profile_check(profile, agency, r->today, errors)) {
    respond_invalid(r, errors);
    json_decref(profile);
    return NULL;
  }
  json_decref(errors);
  return profile;
}

/* Audits the write, reads the submission back in the same transaction, commits and answers 201
 * at `location`. `changes` is borrowed. */
static void answer_created(struct request *r, const char *id, const char *agency,
                           const char *location, const json_t *changes) {
  if (!audit_write(r, "carer_submission", id, 201, changes)) {
    return;
  }
  const char *params[] = {id, agency};
  PGresult *res = request_query(r, &CARER_SUBMISSION_GET, 2, params);
  if (res != NULL && PQntuples(res) == 1 && request_commit(r)) {
    respond_created(r, location, PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 0));
  }
  PQclear(res);
}

void carer_submissions_create(struct request *r) {
  char agency[AGENCY_MAX];
  if (!agency_target(r, true, agency)) {
    return;
  }
  json_t *profile = read_profile(r, agency);
  if (profile == NULL || !request_begin(r)) {
    json_decref(profile);
    return;
  }
  char *text = json_dumps(profile, JSON_COMPACT);
  const char *params[] = {agency, text, r->caller.sub};
  PGresult *res = request_query(r, &CARER_SUBMISSION_INSERT, 3, params);
  if (res != NULL) {
    const char *id = PQgetvalue(res, 0, 0);
    char encoded[3 * AGENCY_MAX];
    char location[3 * AGENCY_MAX + 96];
    percent_encode(agency, encoded, sizeof encoded);
    snprintf(location, sizeof location, "/v1/agencies/%s/carer-submissions/%s", encoded, id);
    json_t *changes = json_pack("{s:{s:s, s:s, s:i, s:O}}", "after", "agency_id", agency,
                                "status", "submitted", "version", 1, "profile", profile);
    answer_created(r, id, agency, location, changes);
    json_decref(changes);
  }
  PQclear(res);
  free(text);
  json_decref(profile);
}

/* Adds the checked `profile` as the next version of the locked submission `current`. */
static void add_version(struct request *r, const char *id, const char *agency,
                        const PGresult *current, const json_t *profile) {
  char *text = json_dumps(profile, JSON_COMPACT);
  const char *params[] = {id, text, r->caller.sub};
  PGresult *res = request_query(r, &CARER_SUBMISSION_ADD_VERSION, 3, params);
  if (res != NULL) {
    const char *version = PQgetvalue(res, 0, 0);
    char encoded[3 * AGENCY_MAX];
    char location[3 * AGENCY_MAX + 128];
    percent_encode(agency, encoded, sizeof encoded);
    snprintf(location, sizeof location, "/v1/agencies/%s/carer-submissions/%s/versions/%s",
             encoded, id, version);
    json_t *changes = json_pack(
        "{s:{s:s, s:I}, s:{s:s, s:I, s:O}}", "before", "status", PQgetvalue(current, 0, 0),
        "version", (json_int_t)atol(PQgetvalue(current, 0, 1)), "after", "status", "submitted",
        "version", (json_int_t)atol(version), "profile", profile);
    answer_created(r, id, agency, location, changes);
    json_decref(changes);
  }
  PQclear(res);
  free(text);
}

void carer_submissions_add_version(struct request *r) {
  char agency[AGENCY_MAX];
  char id[64];
  if (!agency_target(r, true, agency) || !submission_id(r, id)) {
    return;
  }
  json_t *profile = read_profile(r, agency);
  if (profile == NULL || !request_begin(r)) {
    json_decref(profile);
    return;
  }
  const char *params[] = {id, agency};
  PGresult *current = request_query(r, &CARER_SUBMISSION_LOCK, 2, params);
  if (current != NULL && PQntuples(current) == 0) {
    respond_problem(r, 404, "not-found", "There is no such record you may see.");
  } else if (current != NULL) {
    add_version(r, id, agency, current, profile);
  }
  PQclear(current);
  json_decref(profile);
}

void carer_submissions_get(struct request *r) {
  char agency[AGENCY_MAX];
  char id[64];
  if (!agency_target(r, false, agency) || !submission_id(r, id)) {
    return;
  }
  const char *params[] = {id, agency};
  PGresult *res = request_query(r, &CARER_SUBMISSION_GET, 2, params);
  if (res == NULL) {
    return;
  }
  if (PQntuples(res) == 0) {
    respond_problem(r, 404, "not-found", "There is no such record you may see.");
  } else {
    set_etag(r, PQgetvalue(res, 0, 1));
    respond_json_text(r, 200, PQgetvalue(res, 0, 0));
  }
  PQclear(res);
}

void carer_submissions_get_version(struct request *r) {
  char agency[AGENCY_MAX];
  char id[64];
  char version[16];
  if (!agency_target(r, false, agency) || !submission_id(r, id)) {
    return;
  }
  path_segment(r, 6, version, sizeof version);
  char *end;
  long n = strtol(version, &end, 10);
  if (end == version || *end != '\0' || version[0] == '+' || version[0] == '-' || n < 1 ||
      n > 1000000) {
    respond_problem(r, 404, "not-found", "There is no such version.");
    return;
  }
  char number[16];
  snprintf(number, sizeof number, "%ld", n);
  const char *params[] = {id, agency, number};
  PGresult *res = request_query(r, &CARER_SUBMISSION_VERSION_GET, 3, params);
  if (res == NULL) {
    return;
  }
  if (PQntuples(res) == 0) {
    respond_problem(r, 404, "not-found", "There is no such version you may see.");
  } else {
    respond_json_text(r, 200, PQgetvalue(res, 0, 0));
  }
  PQclear(res);
}

void carer_submissions_list_for_agency(struct request *r) {
  char agency[AGENCY_MAX];
  struct page page;
  if (!agency_target(r, false, agency) || !page_read(r, PAGE_KEY_UUID, &page)) {
    return;
  }
  const char *params[] = {agency, page_after_param(&page), page.limit};
  PGresult *res = request_query(r, &CARER_SUBMISSION_LIST_FOR_AGENCY, 3, params);
  if (res != NULL) {
    page_respond_result(r, res);
  }
  PQclear(res);
}

void carer_submissions_list(struct request *r) {
  if (!carer_submission_team_may_decide(r->caller.roles)) {
    respond_problem(r, 403, "forbidden", "Every agency's submissions are listed for the "
                                         "fostering team (ssw, team_manager).");
    return;
  }
  const char *status = query_param(r, "status");
  if (status != NULL && strcmp(status, "submitted") != 0 && strcmp(status, "returned") != 0 &&
      strcmp(status, "accepted") != 0) {
    respond_problem(r, 400, "bad-request", "status must be submitted, returned or accepted.");
    return;
  }
  struct page page;
  if (!page_read(r, PAGE_KEY_UUID, &page)) {
    return;
  }
  const char *params[] = {status, page_after_param(&page), page.limit};
  PGresult *res = request_query(r, &CARER_SUBMISSION_LIST, 3, params);
  if (res != NULL) {
    page_respond_result(r, res);
  }
  PQclear(res);
}
