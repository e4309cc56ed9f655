#include "action_sweep.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/calendar.h"
#include "../db/settings.h"
#include "../db/sweep.h"
#include "../domain/actions.h"

/* Escalation climbs one level of management a round; no line of management is this deep. */
#define MAX_ESCALATION_ROUNDS 32

static bool succeeded(const PGresult *res) {
  return res != NULL && (PQresultStatus(res) == PGRES_TUPLES_OK ||
                         PQresultStatus(res) == PGRES_COMMAND_OK);
}

/* Builds the date -> re-check map for the London dates in `dates` (one per row) as two array
 * literals: "{2026-12-23,...}" and "{1799103599,...}". The caller frees both. */
static bool recheck_map(const PGresult *dates, const struct calendar *calendar, int days,
                        char **days_out, char **rechecks_out) {
  int n = PQntuples(dates);
  size_t size = (size_t)n * 24 + 4;
  char *day_list = malloc(size);
  char *recheck_list = malloc(size);
  if (day_list == NULL || recheck_list == NULL) {
    free(day_list);
    free(recheck_list);
    return false;
  }
  size_t used_days = (size_t)snprintf(day_list, size, "{");
  size_t used_rechecks = (size_t)snprintf(recheck_list, size, "{");
  for (int i = 0; i < n; i++) {
    struct date day;
    date_parse(PQgetvalue(dates, i, 0), &day);
    const char *separator = i > 0 ? "," : "";
    used_days += (size_t)snprintf(day_list + used_days, size - used_days, "%s%s", separator,
                                  PQgetvalue(dates, i, 0));
    used_rechecks += (size_t)snprintf(recheck_list + used_rechecks, size - used_rechecks,
                                      "%s%lld", separator,
                                      (long long)action_recheck_at(calendar, day, days));
  }
  snprintf(day_list + used_days, size - used_days, "}");
  snprintf(recheck_list + used_rechecks, size - used_rechecks, "}");
  *days_out = day_list;
  *rechecks_out = recheck_list;
  return true;
}

/* One S7 step for every action that needs it: finds the dates, maps them to re-check times,
 * runs `step`. Returns how many actions it changed, or -1. */
static int sweep_step(struct db_conn *conn, const struct db_statement *dates_statement,
                      const struct db_statement *step, const char *as_of,
                      const struct calendar *calendar, int days, const char *request_id) {
  const char *at[] = {as_of};
  PGresult *dates = db_exec(conn, dates_statement, 1, at);
  if (!succeeded(dates)) {
    PQclear(dates);
    return -1;
  }
  int changed = 0;
  char *day_list = NULL;
  char *recheck_list = NULL;
  if (PQntuples(dates) > 0) {
    changed = -1;
    if (recheck_map(dates, calendar, days, &day_list, &recheck_list)) {
      const char *params[] = {as_of, day_list, recheck_list, request_id};
      PGresult *res = db_exec(conn, step, 4, params);
      changed = succeeded(res) ? atoi(PQgetvalue(res, 0, 0)) : -1;
      PQclear(res);
    }
  }
  free(day_list);
  free(recheck_list);
  PQclear(dates);
  return changed;
}

/* Flags, then escalates round by round until nothing is left to do as of `as_of`. */
static bool sweep_all(struct db_conn *conn, const char *as_of, const struct calendar *calendar,
                      int days, const char *request_id, struct sweep_result *result) {
  PGresult *timeout = db_exec(conn, &SWEEP_TIMEOUT, 0, NULL);
  PGresult *lock = succeeded(timeout) ? db_exec(conn, &SWEEP_LOCK, 0, NULL) : NULL;
  bool ok = succeeded(lock);
  PQclear(timeout);
  PQclear(lock);
  int flagged = ok ? sweep_step(conn, &SWEEP_FLAG_DATES, &SWEEP_FLAG, as_of, calendar, days,
                                request_id)
                   : -1;
  if (flagged < 0) {
    return false;
  }
  result->flagged = flagged;
  for (int round = 0; round < MAX_ESCALATION_ROUNDS; round++) {
    int escalated = sweep_step(conn, &SWEEP_ESCALATE_DATES, &SWEEP_ESCALATE, as_of, calendar,
                               days, request_id);
    if (escalated < 0) {
      return false;
    }
    if (escalated == 0) {
      break;
    }
    result->escalated += escalated;
  }
  return true;
}

int action_sweep(struct db_conn *conn, time_t as_of, const char *request_id,
                 struct sweep_result *result) {
  memset(result, 0, sizeof *result);
  struct calendar calendar;
  if (calendar_load(conn, &calendar) != 0) {
    return -1;
  }
  int days = (int)settings_load_value(conn, "escalation_recheck_working_days");
  char at[24];
  snprintf(at, sizeof at, "%lld", (long long)as_of);
  bool ok = db_begin(conn) && sweep_all(conn, at, &calendar, days, request_id, result) &&
            db_command(conn, "COMMIT");
  if (!ok) {
    db_rollback_open(conn);
    memset(result, 0, sizeof *result);
  }
  calendar_free(&calendar);
  return ok ? 0 : -1;
}

int action_sweep_periodic(struct db_conn *conn, void *context) {
  (void)context;
  struct sweep_result result;
  action_sweep(conn, time(NULL), NULL, &result);
  return (int)settings_load_value(conn, "action_sweep_interval_seconds") * 1000;
}
