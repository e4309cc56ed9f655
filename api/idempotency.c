#include "idempotency.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../db/idempotency.h"
#include "routes.h"

#define KEY_MAX_LENGTH 200

/* Whether the key is 1..200 printable ASCII characters. */
static bool key_valid(const char *key) {
  size_t length = strlen(key);
  for (size_t i = 0; i < length; i++) {
    if (key[i] < 0x21 || key[i] > 0x7e) {
      return false;
    }
  }
  return length > 0 && length <= KEY_MAX_LENGTH;
}

/* The SHA-256 of the request body in hex (65 bytes). */
static bool body_digest(const struct request *r, char hex[65]) {
  unsigned char digest[32];
  unsigned int length = 0;
  static const char digits[] = "0123456789abcdef";
  if (EVP_Digest(r->http->binary_body != NULL ? r->http->binary_body : "",
                 r->http->binary_body_length, digest, &length, EVP_sha256(), NULL) != 1) {
    return false;
  }
  for (unsigned int i = 0; i < length; i++) {
    hex[2 * i] = digits[digest[i] >> 4];
    hex[2 * i + 1] = digits[digest[i] & 15];
  }
  hex[2 * length] = '\0';
  return true;
}

static const char *response_header(const struct request *r, const char *name) {
  return u_map_get_case(r->response->map_header, name);
}

/* Keeps the answer just given under the key (or forgets the key after a 5xx: nothing was saved,
 * a retry may do the work; should the forgetting fail, the key is left unanswered and not
 * committed, and a retry takes it over all the same). */
static void remember_answer(struct request *r, const char *key) {
  db_rollback_open(r->db);
  const char *who[] = {r->caller.sub, key};
  if (r->status >= 500 || r->status == 0) {
    PQclear(db_exec(r->db, &IDEMPOTENCY_FORGET, 2, who));
    return;
  }
  char status[12];
  snprintf(status, sizeof status, "%d", r->status);
  char *body = strndup(r->response->binary_body != NULL ? r->response->binary_body : "",
                       r->response->binary_body_length);
  const char *params[] = {r->caller.sub, key, status, response_header(r, "Content-Type"), body,
                          response_header(r, "Location"), response_header(r, "ETag")};
  PQclear(db_exec(r->db, &IDEMPOTENCY_STORE, 7, params));
  free(body);
}

/* Gives the stored answer of row `res` again. */
static void replay(struct request *r, const PGresult *res) {
  int status = atoi(PQgetvalue(res, 0, 2));
  const char *body = PQgetvalue(res, 0, 4);
  r->status = status;
  ulfius_set_binary_body_response(r->response, (unsigned int)status, body, strlen(body));
  const char *headers[][2] = {{"Content-Type", PQgetvalue(res, 0, 3)},
                              {"Location", PQgetvalue(res, 0, 5)},
                              {"ETag", PQgetvalue(res, 0, 6)}};
  for (size_t i = 0; i < 3; i++) {
    if (headers[i][1][0] != '\0') {
      set_header(r, headers[i][0], headers[i][1]);
    }
  }
  set_header(r, "Idempotent-Replayed", "true");
}

/* The key is an earlier request's (`res`), which is not working on it now: its answer again, or
 * why not. */
static void answer_again(struct request *r, const PGresult *res, const char *digest) {
  if (strcmp(PQgetvalue(res, 0, 0), r->http->url_path) != 0 ||
      strcmp(PQgetvalue(res, 0, 1), digest) != 0) {
    respond_invalid(r, json_pack("[{s:s, s:s}]", "field", "Idempotency-Key", "message",
                                 "was used within 24 hours for another request; use a new key"));
  } else if (!PQgetisnull(res, 0, 2)) {
    replay(r, res);
  } else {
    respond_problem(r, 409, "conflict",
                    "The first request with this key was interrupted after saving its work and "
                    "its answer is lost: read the record before trying again with a new key.");
  }
}

/* Another request holds the key's lock: it is working under the key now. */
static void answer_busy(struct request *r, const PGresult *res, const char *digest) {
  if (PQntuples(res) == 1 && (strcmp(PQgetvalue(res, 0, 0), r->http->url_path) != 0 ||
                              strcmp(PQgetvalue(res, 0, 1), digest) != 0)) {
    answer_again(r, res, digest); /* another request: 422 */
    return;
  }
  respond_problem(r, 409, "conflict", "The first request with this key is still being answered.");
  set_header(r, "Retry-After", "1");
}

/* Whether the statement's one boolean answer is true. */
static bool answered_true(const PGresult *res) {
  return PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
}

/* With the key's lock held: claims the key and does the work, or answers as the earlier request
 * under it did. */
static void call_holding_lock(struct request *r, const char *key, const char *digest) {
  const char *claim[] = {r->caller.sub, key, r->http->http_verb, r->http->url_path, digest};
  PGresult *claimed = request_query(r, &IDEMPOTENCY_CLAIM, 5, claim);
  if (claimed == NULL) {
    return;
  }
  bool ours = PQntuples(claimed) == 1;
  PQclear(claimed);
  if (ours) {
    r->idempotency_key = key;
    r->route->handler(r);
    r->idempotency_key = NULL;
    if (r->db != NULL || request_db(r) != NULL) {
      remember_answer(r, key);
    }
    return;
  }
  const char *who[] = {r->caller.sub, key};
  PGresult *held = request_query(r, &IDEMPOTENCY_GET, 2, who);
  if (held != NULL && PQntuples(held) == 1) {
    answer_again(r, held, digest);
  }
  PQclear(held);
}

bool idempotency_note_commit(struct request *r) {
  if (r->idempotency_key == NULL) {
    return true;
  }
  const char *who[] = {r->caller.sub, r->idempotency_key};
  PGresult *res = db_exec(r->db, &IDEMPOTENCY_COMMITTED, 2, who);
  bool ok = res != NULL;
  PQclear(res);
  return ok;
}

void idempotent_call(struct request *r) {
  const char *key = u_map_get_case(r->http->map_header, "Idempotency-Key");
  if (key == NULL || strcasecmp(r->http->http_verb, "POST") != 0) {
    r->route->handler(r);
    return;
  }
  char digest[65];
  if (!key_valid(key) || !body_digest(r, digest)) {
    respond_problem(r, 400, "bad-request",
                    "Idempotency-Key is 1 to 200 printable characters without spaces.");
    return;
  }
  const char *who[] = {r->caller.sub, key};
  PGresult *lock = request_query(r, &IDEMPOTENCY_LOCK, 2, who);
  if (lock == NULL) {
    return;
  }
  bool locked = answered_true(lock);
  PQclear(lock);
  if (!locked) {
    PGresult *held = request_query(r, &IDEMPOTENCY_GET, 2, who);
    if (held != NULL) {
      answer_busy(r, held, digest);
    }
    PQclear(held);
    return;
  }
  struct db_conn *holder = r->db;
  call_holding_lock(r, key, digest);
  if (r->db == holder) { /* a connection lost with the database took its lock with it */
    PQclear(db_exec(r->db, &IDEMPOTENCY_UNLOCK, 2, who));
  }
}
