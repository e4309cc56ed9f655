/* One request as the handlers see it, and the ways to answer it: JSON bodies, RFC 9457
 * problems, and the database connection the request holds while it runs. */
#ifndef API_HTTP_H
#define API_HTTP_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <time.h>
#include <ulfius.h>

#include "../domain/calendar.h"
#include "../domain/dates.h"
#include "app.h"
#include "auth.h"

struct route;

struct request {
  const struct _u_request *http;
  struct _u_response *response;
  struct app *app;
  const struct route *route;
  char id[33];            /* request id, also in X-Request-Id and the audit row */
  struct caller caller;   /* valid once authenticated */
  bool authenticated;
  struct date today;      /* the London date the request is judged on */
  struct db_conn *db;     /* held from request_db until the request ends */
  bool audited;           /* the handler wrote the audit row in its own transaction */
  struct calendar calendar; /* loaded by request_calendar, at most once a request */
  bool calendar_loaded;
  json_t *settings;       /* the policy settings' overrides, loaded by request_settings */
  const char *idempotency_key; /* the Idempotency-Key the handler works under, or NULL */
  int status;            /* 0 until answered */
};

/* The n-th segment (0-based, after the leading slash) of the request path, copied into buf;
 * "" when there are fewer segments. */
const char *path_segment(const struct request *r, int n, char *buf, size_t size);

/* A query parameter, or NULL when absent. */
const char *query_param(const struct request *r, const char *name);

/* Answers with `body` as JSON (the body is stolen: this function releases it). */
void respond_json(struct request *r, int status, json_t *body);

/* Answers with JSON text already serialised (by the database). */
void respond_json_text(struct request *r, int status, const char *json_text);

/* Answers 201 with Location, ETag (when `version` is not NULL) and the record's JSON text. */
void respond_created(struct request *r, const char *location, const char *version,
                     const char *json_text);

/* Answers with an RFC 9457 problem of type `slug`. */
void respond_problem(struct request *r, int status, const char *slug, const char *detail);

/* 422 naming every offending field; `errors` (a JSON array) is stolen. */
void respond_invalid(struct request *r, json_t *errors);

/* A refusal under a POLICY.md rule: `status` (403, 409 or 422) citing `rule`, with `missing`
 * (a JSON array, stolen; may be NULL) naming each thing the rule asks for. */
void respond_rule(struct request *r, int status, const char *rule, const char *detail,
                  json_t *missing);

/* The wall clock in whole seconds, read as the database reads it. time() reads the kernel's
 * coarse clock, which can lag a tick behind: a time taken just after a database write could
 * then fall in the second before the write's now(). */
time_t wall_clock_now(void);

/* 503 with Retry-After: the database is unreachable or restarting. */
void respond_unavailable(struct request *r);

/* Maps a failed database result to an answer: lost connection 503, unique violation 409,
 * foreign-key or check violation 422, anything else 500 (logged, never shown). */
void respond_db_error(struct request *r, const PGresult *res);

void set_header(struct request *r, const char *name, const char *value);

/* Sets ETag to the quoted version. */
void set_etag(struct request *r, const char *version);

/* Reads the request body as a JSON object. Answers 415 for a non-JSON media type and 400 for
 * malformed JSON or a non-object, then returns NULL. The caller owns the result. */
json_t *read_json_object(struct request *r);

/* The database connection of this request, acquired on first use. Answers 503 and returns NULL
 * when none can be had. Released by the dispatcher when the request ends. */
struct db_conn *request_db(struct request *r);

/* Runs a statement on the request's connection; NULL params mean SQL null. On failure answers
 * (503/409/422/500) and returns NULL. The caller PQclears a non-NULL result. */
PGresult *request_query(struct request *r, const struct db_statement *statement, int nparams,
                        const char *const *params);

/* BEGIN / COMMIT on the request's connection; on failure they answer 503 and return false. */
bool request_begin(struct request *r);

/* The working-day calendar (bank holidays and closure days), read once a request on its
 * connection and freed when the request ends (request_end). NULL after answering 503 when the
 * database cannot say. */
const struct calendar *request_calendar(struct request *r);

/* The policy settings an administrator changed (an object for setting_value of
 * domain/settings.h), read once a request and released when it ends. NULL after answering 503
 * when the database cannot say. */
const json_t *request_settings(struct request *r);

/* Gives the request's database connection back to the pool between two short uses (a long
 * poll waiting); the next request_db takes one again. Only outside a transaction. */
void request_release_db(struct request *r);

/* Releases what the request holds: its calendar, settings and database connection. */
void request_end(struct request *r);
bool request_commit(struct request *r);

#endif
