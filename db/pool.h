/* A bounded pool of PostgreSQL connections shared by the request threads. A connection is used
 * by one thread at a time; a broken one is reset on its next acquisition, and statements are
 * prepared on each connection the first time they are used there (again after a reset). */
#ifndef DB_POOL_H
#define DB_POOL_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <time.h>

/* A named SQL statement with $1..$n parameters, prepared once per connection. */
struct db_statement {
  const char *name;
  const char *sql;
};

struct db_conn;
struct db_pool;

/* The instant `ms` milliseconds from now on `clock`, for pthread_cond_timedwait (CLOCK_REALTIME
 * for a condition variable's default clock, CLOCK_MONOTONIC for one set to it). */
struct timespec deadline_after_ms(clockid_t clock, int ms);

/* Creates a pool of at most `size` connections to `conninfo`; connections open lazily. Every
 * commit is durable (synchronous_commit on). `statement_timeout_ms` bounds every statement.
 * Returns NULL when out of memory. The caller owns the pool (db_pool_close). */
struct db_pool *db_pool_create(const char *conninfo, int size, int statement_timeout_ms);

/* Closes every connection and frees the pool. No connection may be in use. */
void db_pool_close(struct db_pool *pool);

/* Takes a healthy connection, waiting at most `wait_ms` for a free one, (re)connecting when
 * needed. Returns NULL when none is free in time or the database cannot be reached. Give it back
 * with db_pool_release. */
struct db_conn *db_pool_acquire(struct db_pool *pool, int wait_ms);

/* Returns a connection to the pool. A connection left inside a transaction is rolled back. */
void db_pool_release(struct db_pool *pool, struct db_conn *conn);

/* How many connections are handed out now. */
int db_pool_in_use(struct db_pool *pool);

/* Runs `statement` with text parameters (NULL = SQL null). Outside a transaction, a connection
 * found lost (the database restarted since its last use) is reset and the statement retried
 * once. Returns the result, which the caller must PQclear, or NULL when the connection failed
 * before a result arrived. */
PGresult *db_exec(struct db_conn *conn, const struct db_statement *statement, int nparams,
                  const char *const *params);

/* Opens a transaction. Returns true when it is open. */
bool db_begin(struct db_conn *conn);

/* Runs a parameterless command (COMMIT, ROLLBACK), retried like db_exec. Returns true when it
 * succeeded. */
bool db_command(struct db_conn *conn, const char *sql);

/* Runs `copy_sql` (a COPY ... FROM STDIN) and sends `data` (`length` bytes of COPY text rows) as
 * its input, in one statement: one transaction of its own when none is open. Not retried (the
 * caller keeps what failed and tries again on a connection the pool has healed). Returns true
 * when every row was stored. */
bool db_copy_in(struct db_conn *conn, const char *copy_sql, const char *data, size_t length);

/* Rolls back a transaction left open on conn (a refused or failed request); NULL is ignored. */
void db_rollback_open(struct db_conn *conn);

/* Whether the connection has been lost (the database is unreachable or restarting). */
bool db_conn_lost(struct db_conn *conn);

/* The libpq connection itself, for the migration runner. */
PGconn *db_conn_pg(struct db_conn *conn);

#endif
