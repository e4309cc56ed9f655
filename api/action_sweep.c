#include "action_sweep.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/actions.h"
#include "../db/audit.h"
#include "../db/calendar.h"
#include "../db/settings.h"
#include "../domain/actions.h"

#define SWEEP_BATCH 500

/* One locked candidate and what is known of it. */
struct candidate {
  char id[40];
  char subject_type[16];
  char subject_id[40];
  char owner[130];   /* "" for the administrators' queue */
  char manager[130]; /* "" when the owner has none */
  struct action_state state;
};

static bool exec_ok(struct db_conn *conn, const struct db_statement *statement, int n,
                    const char *const *params) {
  PGresult *res = db_exec(conn, statement, n, params);
  ExecStatusType status = res != NULL ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  PQclear(res);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

static const char *or_null(const char *s) {
  return s[0] != '\0' ? s : NULL;
}

/* Records a step: history, the event for whoever is told, and the audit row (R1). */
static bool record_step(struct db_conn *conn, const struct candidate *c, const char *event,
                        const char *from, const char *to, const char *request_id) {
  char type[32];
  snprintf(type, sizeof type, "action.%s", event);
  json_t *payload = json_pack("{s:s, s:s, s:s?, s:s?, s:s}", "action_id", c->id, "rule", "S7",
                              "from_owner", from, "to_owner", to, "subject_type", c->subject_type);
  json_t *changes = json_pack("{s:{s:s?}, s:{s:s?, s:s}}", "before", "owner_id", from, "after",
                              "owner_id", to, "event", event);
  char *payload_text = json_dumps(payload, JSON_COMPACT);
  char *changes_text = json_dumps(changes, JSON_COMPACT);
  const char *history[] = {c->id, strcmp(event, "flagged") == 0 ? "flagged" : "escalated", from,
                           to, "S7", NULL};
  const char *event_params[] = {type, "action", c->id, to, payload_text};
  const char *audit[] = {NULL, "{}", "SWEEP", "S7 action sweep", "action", c->id, "200",
                         changes_text, request_id};
  bool ok = exec_ok(conn, &ACTION_HISTORY_INSERT, 6, history) &&
            exec_ok(conn, &EVENT_INSERT, 5, event_params) &&
            exec_ok(conn, &AUDIT_INSERT, 9, audit);
  free(payload_text);
  free(changes_text);
  json_decref(payload);
  json_decref(changes);
  return ok;
}

/* The manager of `person` into `manager` ("" when none). */
static bool load_manager(struct db_conn *conn, const char *person, char *manager, size_t size) {
  manager[0] = '\0';
  const char *params[] = {person};
  PGresult *res = db_exec(conn, &PERSON_MANAGER, 1, params);
  bool ok = res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK;
  if (ok && PQntuples(res) == 1 && !PQgetisnull(res, 0, 0)) {
    snprintf(manager, size, "%s", PQgetvalue(res, 0, 0));
  }
  PQclear(res);
  return ok;
}

/* Takes every step S7 gives the action as of `as_of` (a sweep replaying a long outage may
 * flag and escalate in one go, as daily sweeps would have). */
static bool step_action(struct db_conn *conn, struct candidate *c, time_t as_of,
                        const struct calendar *calendar, int recheck_days,
                        const char *request_id, struct sweep_result *result) {
  enum sweep_step step;
  while ((step = action_sweep_step(&c->state, as_of)) != SWEEP_NOTHING) {
    char at[24];
    char recheck[24];
    if (step == SWEEP_FLAG) {
      c->state.flagged = true;
      c->state.has_recheck = true;
      c->state.recheck_at = action_recheck_at(calendar, c->state.due_at, recheck_days);
      snprintf(at, sizeof at, "%lld", (long long)as_of);
      snprintf(recheck, sizeof recheck, "%lld", (long long)c->state.recheck_at);
      const char *params[] = {c->id, at, recheck};
      if (!exec_ok(conn, &SWEEP_FLAG_ACTION, 3, params) ||
          !record_step(conn, c, "flagged", or_null(c->owner), or_null(c->owner), request_id)) {
        return false;
      }
      result->flagged++;
      continue;
    }
    char from[130];
    snprintf(from, sizeof from, "%s", c->owner);
    snprintf(c->owner, sizeof c->owner, "%s", c->manager);
    c->state.in_admin_queue = c->owner[0] == '\0';
    c->state.recheck_at = action_recheck_at(calendar, c->state.recheck_at, recheck_days);
    snprintf(recheck, sizeof recheck, "%lld", (long long)c->state.recheck_at);
    const char *params[] = {c->id, or_null(c->owner), c->state.in_admin_queue ? NULL : recheck};
    if (!exec_ok(conn, &SWEEP_ESCALATE_ACTION, 3, params) ||
        !record_step(conn, c, "escalated", or_null(from), or_null(c->owner), request_id) ||
        (!c->state.in_admin_queue &&
         !load_manager(conn, c->owner, c->manager, sizeof c->manager))) {
      return false;
    }
    result->escalated++;
  }
  return true;
}

static void read_candidate(const PGresult *res, int row, struct candidate *c) {
  memset(c, 0, sizeof *c);
  snprintf(c->id, sizeof c->id, "%s", PQgetvalue(res, row, 0));
  c->state.due_at = (time_t)strtoll(PQgetvalue(res, row, 1), NULL, 10);
  c->state.flagged = strcmp(PQgetvalue(res, row, 2), "t") == 0;
  c->state.has_recheck = !PQgetisnull(res, row, 3);
  c->state.recheck_at = (time_t)strtoll(PQgetvalue(res, row, 3), NULL, 10);
  snprintf(c->owner, sizeof c->owner, "%s", PQgetvalue(res, row, 4));
  snprintf(c->manager, sizeof c->manager, "%s", PQgetvalue(res, row, 5));
  c->state.in_admin_queue = PQgetisnull(res, row, 4);
  snprintf(c->subject_type, sizeof c->subject_type, "%s", PQgetvalue(res, row, 6));
  snprintf(c->subject_id, sizeof c->subject_id, "%s", PQgetvalue(res, row, 7));
}

/* One transaction: locks up to a batch of candidates and steps each. Returns the number of
 * candidates seen, or -1 on failure (rolled back). */
static int sweep_batch(struct db_conn *conn, time_t as_of, const struct calendar *calendar,
                       int recheck_days, const char *request_id, struct sweep_result *result) {
  if (!db_begin(conn)) {
    return -1;
  }
  char at[24];
  char batch[16];
  snprintf(at, sizeof at, "%lld", (long long)as_of);
  snprintf(batch, sizeof batch, "%d", SWEEP_BATCH);
  const char *params[] = {at, batch};
  PGresult *res = db_exec(conn, &SWEEP_CANDIDATES, 2, params);
  if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
    PQclear(res);
    db_rollback_open(conn);
    return -1;
  }
  int n = PQntuples(res);
  bool ok = true;
  for (int i = 0; ok && i < n; i++) {
    struct candidate c;
    read_candidate(res, i, &c);
    ok = step_action(conn, &c, as_of, calendar, recheck_days, request_id, result);
  }
  PQclear(res);
  if (!ok || !db_command(conn, "COMMIT")) {
    db_rollback_open(conn);
    return -1;
  }
  return n;
}

int action_sweep(struct db_conn *conn, time_t as_of, const char *request_id,
                 struct sweep_result *result) {
  memset(result, 0, sizeof *result);
  struct calendar calendar;
  if (calendar_load(conn, &calendar) != 0) {
    return -1;
  }
  int recheck_days = (int)settings_load_value(conn, "escalation_recheck_working_days");
  int seen;
  struct sweep_result batch_result = {0};
  do {
    memset(&batch_result, 0, sizeof batch_result);
    seen = sweep_batch(conn, as_of, &calendar, recheck_days, request_id, &batch_result);
    if (seen > 0) {
      result->flagged += batch_result.flagged;
      result->escalated += batch_result.escalated;
    }
  } while (seen == SWEEP_BATCH);
  calendar_free(&calendar);
  return seen < 0 ? -1 : 0;
}

int action_sweep_periodic(struct db_conn *conn, void *context) {
  (void)context;
  struct sweep_result result;
  action_sweep(conn, time(NULL), NULL, &result);
  return (int)settings_load_value(conn, "action_sweep_interval_seconds") * 1000;
}
