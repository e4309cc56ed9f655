#include "calendar.h"

#include <stdlib.h>

const struct db_statement CLOSURES_LIST = {
    "closures_list",
    "SELECT coalesce(jsonb_agg(jsonb_build_object('date', day, 'reason', reason,"
    "                                            'created_by', created_by,"
    "                                           'created_at', iso_utc(created_at)) ORDER BY day),"
    "                '[]')"
    "  FROM calendar_closures"
    " WHERE ($1::date IS NULL OR day >= $1::date) AND ($2::date IS NULL OR day <= $2::date)"};

const struct db_statement CLOSURE_INSERT = {
    "closure_insert",
    "INSERT INTO calendar_closures AS c (day, reason, created_by) VALUES ($1::date, $2, $3)"
    " RETURNING jsonb_build_object('date', c.day, 'reason', c.reason, 'created_by', c.created_by,"
    "                             'created_at', iso_utc(c.created_at))"};

const struct db_statement CLOSURE_DELETE = {
    "closure_delete",
    "DELETE FROM calendar_closures AS c WHERE c.day = $1::date"
    " RETURNING jsonb_build_object('date', c.day, 'reason', c.reason)"};

const struct db_statement BANK_HOLIDAY_ON = {
    "bank_holiday_on", "SELECT name FROM bank_holidays WHERE day = $1::date"};

static const struct db_statement CLOSED_DAYS = {
    "closed_days",
    "SELECT to_char(day, 'YYYY-MM-DD') FROM bank_holidays"
    " UNION SELECT to_char(day, 'YYYY-MM-DD') FROM calendar_closures ORDER BY 1"};

int calendar_load(struct db_conn *conn, struct calendar *calendar) {
  calendar->closed = NULL;
  calendar->count = 0;
  PGresult *res = db_exec(conn, &CLOSED_DAYS, 0, NULL);
  if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
    PQclear(res);
    return -1;
  }
  int n = PQntuples(res);
  struct date *days = calloc((size_t)n + 1, sizeof *days);
  if (days == NULL) {
    PQclear(res);
    return -1;
  }
  for (int i = 0; i < n; i++) {
    date_parse(PQgetvalue(res, i, 0), &days[i]);
  }
  PQclear(res);
  calendar->closed = days;
  calendar->count = (size_t)n;
  return 0;
}

void calendar_free(struct calendar *calendar) {
  free((void *)calendar->closed);
  calendar->closed = NULL;
  calendar->count = 0;
}
