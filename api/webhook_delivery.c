#include "webhook_delivery.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ulfius.h>
#include <yder.h>

#include "../db/webhooks.h"
#include "../domain/webhooks.h"

#define DELIVERY_POLL_MS 250      /* how soon new events or a due retry are noticed */
#define DELIVERY_RETRY_MS 1000    /* after a database failure */
#define ENQUEUE_BATCH 500         /* events looked at a run */
#define DUE_BATCH 100             /* subscriptions' next deliveries looked at a run */
#define RUN_BUDGET_MS 2000        /* no attempt starts later than this into a run (a stop waits) */
#define SEND_TIMEOUT_SECONDS 5UL  /* the whole exchange with the receiver */
#define ANSWER_KEPT 160           /* bytes of a refusing receiver's answer kept in last_error */

static bool tuples(const PGresult *res) {
  return res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK;
}

static bool command_ok(const PGresult *res) {
  return res != NULL &&
         (PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK);
}

static long elapsed_ms(const struct timespec *since) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (long)(now.tv_sec - since->tv_sec) * 1000L + (now.tv_nsec - since->tv_nsec) / 1000000L;
}

/* Appends `seq` to the array literal being built in buf (`used` bytes so far). */
static void literal_append(char *buf, size_t size, size_t *used, const char *seq) {
  int n = snprintf(buf + *used, size - *used, "%s%s", *used > 1 ? "," : "", seq);
  if (n > 0 && (size_t)n < size - *used) {
    *used += (size_t)n;
  }
}

/* Queues, for one subscription (row `i` of `subs`), the events of `events` after its cursor
 * whose type it takes, and moves its cursor to `last_seq`. Returns false on a database failure. */
static bool enqueue_one(struct db_conn *conn, const PGresult *subs, int i, const PGresult *events,
                        const char *last_seq) {
  json_t *patterns = json_loads(PQgetvalue(subs, i, 1), 0, NULL);
  size_t count = json_array_size(patterns);
  const char *list[WEBHOOK_PATTERNS_MAX];
  for (size_t p = 0; p < count && p < WEBHOOK_PATTERNS_MAX; p++) {
    list[p] = json_string_value(json_array_get(patterns, p));
    list[p] = list[p] != NULL ? list[p] : "";
  }
  count = count < WEBHOOK_PATTERNS_MAX ? count : WEBHOOK_PATTERNS_MAX;
  long long after = strtoll(PQgetvalue(subs, i, 2), NULL, 10);
  int rows = PQntuples(events);
  size_t size = (size_t)rows * 21 + 3;
  char *literal = malloc(size);
  bool ok = false;
  if (literal != NULL) {
    size_t used = 1;
    strcpy(literal, "{");
    for (int e = 0; e < rows; e++) {
      if (strtoll(PQgetvalue(events, e, 0), NULL, 10) > after &&
          webhook_patterns_match(list, count, PQgetvalue(events, e, 1))) {
        literal_append(literal, size, &used, PQgetvalue(events, e, 0));
      }
    }
    snprintf(literal + used, size - used, "}");
    const char *params[] = {PQgetvalue(subs, i, 0), literal, last_seq};
    PGresult *res = db_exec(conn, &DELIVERY_ENQUEUE, 3, params);
    ok = command_ok(res);
    PQclear(res);
  }
  free(literal);
  json_decref(patterns);
  return ok;
}

/* Queues the deliveries of up to a batch of new events. Returns how many events it looked at
 * (a full batch: there may be more), or -1 on a database failure. */
static int enqueue(struct db_conn *conn) {
  PGresult *subs = db_exec(conn, &DELIVERY_SUBSCRIPTIONS, 0, NULL);
  if (!tuples(subs)) {
    PQclear(subs);
    return -1;
  }
  int n = PQntuples(subs);
  if (n == 0) {
    PQclear(subs);
    return 0;
  }
  const char *from = PQgetvalue(subs, 0, 2);
  for (int i = 1; i < n; i++) {
    if (strtoll(PQgetvalue(subs, i, 2), NULL, 10) < strtoll(from, NULL, 10)) {
      from = PQgetvalue(subs, i, 2);
    }
  }
  char batch[16];
  snprintf(batch, sizeof batch, "%d", ENQUEUE_BATCH);
  const char *params[] = {from, batch};
  PGresult *events = db_exec(conn, &DELIVERY_EVENTS_AFTER, 2, params);
  int looked = tuples(events) ? PQntuples(events) : -1;
  if (looked > 0) {
    const char *last_seq = PQgetvalue(events, looked - 1, 0);
    for (int i = 0; i < n && looked >= 0; i++) {
      if (!enqueue_one(conn, subs, i, events, last_seq)) {
        looked = -1;
      }
    }
  }
  PQclear(events);
  PQclear(subs);
  return looked;
}

/* The start of a receiver's answer, kept to say why it refused. */
struct answer {
  char text[ANSWER_KEPT + 1];
  size_t length;
};

static size_t keep_answer(void *contents, size_t size, size_t nmemb, void *user_data) {
  struct answer *a = user_data;
  size_t length = size * nmemb;
  size_t room = ANSWER_KEPT - a->length;
  size_t take = length < room ? length : room;
  memcpy(a->text + a->length, contents, take);
  a->length += take;
  a->text[a->length] = '\0';
  return length; /* the rest is read and dropped: the timeout bounds a receiver that never stops */
}

/* What an attempt came to: the receiver's status (0: no answer) and, when it failed, why. */
struct outcome {
  long status;
  char error[256];
};

/* Sends one delivery. Fills *out. */
static void send_delivery(const char *url, const char *secret, const char *delivery_id,
                          const char *body, struct outcome *out) {
  memset(out, 0, sizeof *out);
  size_t body_length = strlen(body);
  long long stamp = (long long)time(NULL);
  size_t signed_length = 0;
  char *signed_text = webhook_signed_string(stamp, body, body_length, &signed_length);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_length = 0;
  if (signed_text == NULL ||
      HMAC(EVP_sha256(), secret, (int)strlen(secret), (const unsigned char *)signed_text,
           signed_length, mac, &mac_length) == NULL ||
      mac_length != 32) {
    free(signed_text);
    snprintf(out->error, sizeof out->error, "the delivery could not be signed");
    return;
  }
  free(signed_text);
  char signature[72];
  webhook_signature_header(mac, signature);
  char stamp_text[24];
  snprintf(stamp_text, sizeof stamp_text, "%lld", stamp);

  struct _u_request request;
  struct _u_response response;
  ulfius_init_request(&request);
  ulfius_init_response(&response);
  struct answer answer = {.length = 0};
  int rc = ulfius_set_request_properties(
      &request, U_OPT_HTTP_VERB, "POST", U_OPT_HTTP_URL, url, U_OPT_TIMEOUT, SEND_TIMEOUT_SECONDS,
      U_OPT_FOLLOW_REDIRECT, 0, U_OPT_HEADER_PARAMETER, "Content-Type", "application/json",
      U_OPT_HEADER_PARAMETER, "User-Agent", "Permanence-Webhooks/1",
      U_OPT_HEADER_PARAMETER, "Permanence-Delivery", delivery_id,
      U_OPT_HEADER_PARAMETER, "Permanence-Timestamp", stamp_text,
      U_OPT_HEADER_PARAMETER, "Permanence-Signature", signature,
      U_OPT_HEADER_PARAMETER, "Expect", "", /* no "100-continue" wait */
      U_OPT_BINARY_BODY, body, body_length, U_OPT_NONE);
  if (rc == U_OK) {
    rc = ulfius_send_http_streaming_request(&request, &response, keep_answer, &answer);
  }
  if (rc != U_OK) {
    snprintf(out->error, sizeof out->error,
             "no answer (connection refused or lost, timed out after %lu s, or TLS failed)",
             SEND_TIMEOUT_SECONDS);
  } else {
    out->status = response.status;
    if (out->status < 200 || out->status > 299) {
      for (size_t i = 0; i < answer.length; i++) { /* printable ASCII only */
        if (answer.text[i] < 0x20 || answer.text[i] > 0x7e) {
          answer.text[i] = ' ';
        }
      }
      snprintf(out->error, sizeof out->error, "HTTP %ld%s%s", out->status,
               out->status >= 300 && out->status < 400 ? " (redirects are not followed)" : "",
               answer.length > 0 ? ": " : "");
      size_t used = strlen(out->error);
      snprintf(out->error + used, sizeof out->error - used, "%s", answer.text);
    }
  }
  ulfius_clean_request(&request);
  ulfius_clean_response(&response);
}

/* Makes one attempt at the delivery in row `i` of `due`, writing before and after it. Returns 1
 * when it was made, 0 when it was not due any more, -1 when the lock or the database was lost. */
static int attempt(struct db_conn *conn, const PGresult *due, int i) {
  const char *id = PQgetvalue(due, i, 0);
  const char *resends = PQgetvalue(due, i, 1);
  int failures = (int)strtol(PQgetvalue(due, i, 2), NULL, 10);
  char backoff[24];
  char window[24];
  snprintf(backoff, sizeof backoff, "%ld", webhook_backoff_seconds(failures + 1));
  snprintf(window, sizeof window, "%ld", WEBHOOK_RETRY_WINDOW_SECONDS);
  const char *before[] = {id, resends, backoff, window};
  PGresult *res = db_exec(conn, &DELIVERY_BEGIN_ATTEMPT, 4, before);
  bool begun = tuples(res) && PQntuples(res) == 1;
  PQclear(res);
  if (!begun) {
    return -1; /* the lock went with a lost connection, or the delivery changed: start over */
  }
  struct outcome out;
  send_delivery(PQgetvalue(due, i, 3), PQgetvalue(due, i, 4), id, PQgetvalue(due, i, 5), &out);
  char status[16];
  snprintf(status, sizeof status, "%ld", out.status);
  if (out.status >= 200 && out.status <= 299) {
    const char *after[] = {id, resends, status};
    res = db_exec(conn, &DELIVERY_SUCCEEDED, 3, after);
  } else {
    const char *after[] = {id,        resends, out.status != 0 ? status : NULL,
                           out.error, backoff, window};
    res = db_exec(conn, &DELIVERY_FAILED, 6, after);
    bool gave_up =
        tuples(res) && PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "failed") == 0;
    y_log_message(gave_up ? Y_LOG_LEVEL_WARNING : Y_LOG_LEVEL_INFO,
                  "\"event\":\"%s\",\"webhook\":\"%s\",\"delivery\":\"%s\",\"status\":%ld%s%s",
                  gave_up ? "webhook_delivery_failed" : "webhook_attempt_failed",
                  gave_up ? PQgetvalue(res, 0, 1) : "", id, out.status,
                  gave_up ? "" : ",\"retry_in_seconds\":", gave_up ? "" : backoff);
  }
  bool written = command_ok(res);
  PQclear(res);
  return written ? 1 : -1;
}

/* Attempts each subscription's due delivery whose target this instance's allowlist admits.
 * Returns how many attempts it made, or -1 on a database failure. */
static int deliver_due(struct db_conn *conn, const struct app *app) {
  char limit[16];
  snprintf(limit, sizeof limit, "%d", DUE_BATCH);
  const char *params[] = {limit};
  PGresult *due = db_exec(conn, &DELIVERY_DUE, 1, params);
  if (!tuples(due)) {
    PQclear(due);
    return -1;
  }
  struct timespec started;
  clock_gettime(CLOCK_MONOTONIC, &started);
  int made = 0;
  for (int i = 0; i < PQntuples(due) && elapsed_ms(&started) < RUN_BUDGET_MS; i++) {
    /* the allowlist is asked again at each attempt: a target it no longer admits waits, pending,
     * and an instance configured without it leaves it to one configured with it */
    if (!webhook_url_allowed(PQgetvalue(due, i, 3), app->config.webhook_allowlist)) {
      continue;
    }
    int rc = attempt(conn, due, i);
    if (rc < 0) {
      made = -1;
      break;
    }
    made += rc;
  }
  PQclear(due);
  return made;
}

int webhook_delivery_periodic(struct db_conn *conn, void *context) {
  const struct app *app = context;
  PGresult *res = db_exec(conn, &DELIVERY_TRY_LOCK, 0, NULL);
  bool locked = tuples(res) && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
  PQclear(res);
  if (!locked) {
    return DELIVERY_POLL_MS; /* another instance delivers now (or the database is away) */
  }
  int pause = DELIVERY_POLL_MS;
  int looked = enqueue(conn);
  int made = looked >= 0 ? deliver_due(conn, app) : -1;
  if (looked < 0 || made < 0) {
    pause = DELIVERY_RETRY_MS;
  } else if (looked >= ENQUEUE_BATCH || made > 0) {
    pause = 0; /* more events, or the next delivery of a subscription may be due now */
  }
  res = db_exec(conn, &DELIVERY_UNLOCK, 0, NULL);
  PQclear(res);
  return pause;
}

bool webhook_delivery_start(struct app *app, struct periodic **task) {
  *task = NULL;
  if (app->config.webhook_allowlist == NULL || app->config.webhook_allowlist[0] == '\0') {
    return true;
  }
  if (ulfius_global_init() != U_OK) {
    return false;
  }
  *task = periodic_start(app->config.database_url, webhook_delivery_periodic, app,
                         DELIVERY_RETRY_MS);
  if (*task == NULL) {
    ulfius_global_close();
    return false;
  }
  return true;
}

void webhook_delivery_stop(struct periodic *task) {
  if (task == NULL) {
    return;
  }
  periodic_stop(task);
  ulfius_global_close();
}
