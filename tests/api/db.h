/*
 * db.h - libpq helpers for asserting database state (PERMANENCE_TEST_DB_URL, a superuser).
 *
 * The one-shot helpers open a connection, run one parameterised query and close it again, so a
 * test never has to manage a connection. Parameters are text; cast in SQL where needed. A query
 * naming the audit tables first settles the service's queue of reads' audit rows.
 */
#ifndef API_TEST_DB_H
#define API_TEST_DB_H

#include <libpq-fe.h>

/* Opens a connection to the test database; fails the test when it cannot. Close with PQfinish. */
PGconn *db_connect(void);

/*
 * Runs `sql` with `nparams` text parameters (const char *, passed after nparams) and returns the
 * first column of the first row as a long. Fails the test on an SQL error, on no row, or on NULL.
 */
long db_long(const char *sql, int nparams, ...);

/*
 * Like db_long but returns the value as a new string (free it), or NULL when there is no row or
 * the value is SQL NULL. Fails the test on an SQL error.
 */
char *db_text(const char *sql, int nparams, ...);

/*
 * Runs `sql` (no parameters) on `conn` and returns the SQLSTATE of its error as a new string
 * (free it), or NULL when the statement succeeded.
 */
char *db_error_state(PGconn *conn, const char *sql);

/* Runs `sql` on `conn` and fails the test unless it succeeds. */
void db_must(PGconn *conn, const char *sql);

#endif
