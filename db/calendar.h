/* SQL of the working-day calendar: shipped bank holidays and an administrator's closure days. */
#ifndef DB_CALENDAR_H
#define DB_CALENDAR_H

#include "../domain/calendar.h"
#include "pool.h"

/* $1 from, $2 to (dates or null): (items json) */
extern const struct db_statement CLOSURES_LIST;
/* $1 day, $2 reason, $3 by: (json) */
extern const struct db_statement CLOSURE_INSERT;
/* $1 day: (json of the removed closure) */
extern const struct db_statement CLOSURE_DELETE;
/* $1 day: a row when the day is a bank holiday */
extern const struct db_statement BANK_HOLIDAY_ON;

/* The calendar's closed days (bank holidays and closures), sorted. Fills *calendar with an array
 * the caller frees with calendar_free. Returns 0, or -1 when the database could not say. */
int calendar_load(struct db_conn *conn, struct calendar *calendar);

void calendar_free(struct calendar *calendar);

#endif
