#include "pool.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <time.h>

#define DB_MAX_PREPARED 256

struct db_conn {
  PGconn *pg;
  int statement_timeout_ms;
  bool in_use;
  int nprepared;
  const struct db_statement *prepared[DB_MAX_PREPARED];
};

struct db_pool {
  pthread_mutex_t lock;
  pthread_cond_t freed;
  char *conninfo;
  int statement_timeout_ms;
  int size;
  int in_use;
  struct db_conn *conns;
};

struct db_pool *db_pool_create(const char *conninfo, int size, int statement_timeout_ms) {
  struct db_pool *pool = calloc(1, sizeof *pool);
  if (pool == NULL) {
    return NULL;
  }
  pool->conns = calloc((size_t)size, sizeof *pool->conns);
  pool->conninfo = strdup(conninfo);
  if (pool->conns == NULL || pool->conninfo == NULL) {
    free(pool->conns);
    free(pool->conninfo);
    free(pool);
    return NULL;
  }
  pool->size = size;
  pool->statement_timeout_ms = statement_timeout_ms;
  pthread_mutex_init(&pool->lock, NULL);
  pthread_cond_init(&pool->freed, NULL);
  return pool;
}

void db_pool_close(struct db_pool *pool) {
  if (pool == NULL) {
    return;
  }
  for (int i = 0; i < pool->size; i++) {
    if (pool->conns[i].pg != NULL) {
      PQfinish(pool->conns[i].pg);
    }
  }
  pthread_mutex_destroy(&pool->lock);
  pthread_cond_destroy(&pool->freed);
  free(pool->conns);
  free(pool->conninfo);
  free(pool);
}

/* Sets the session up: UTC timestamps, the statement timeout, durable commits. */
static bool configure_session(const struct db_conn *conn) {
  char sql[160];
  snprintf(sql, sizeof sql, "SET TIME ZONE 'UTC'; SET client_encoding = 'UTF8'; "
           "SET statement_timeout = %d; SET synchronous_commit = on", conn->statement_timeout_ms);
  PGresult *res = PQexec(conn->pg, sql);
  bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
  PQclear(res);
  return ok;
}

/* Makes conn usable: connects it the first time, resets it when it broke. Called without the
 * pool lock (connecting can take a while). Returns true when the connection is healthy. */
static bool make_healthy(struct db_pool *pool, struct db_conn *conn) {
  if (conn->pg != NULL && PQstatus(conn->pg) == CONNECTION_OK) {
    return true;
  }
  conn->nprepared = 0;
  conn->statement_timeout_ms = pool->statement_timeout_ms;
  if (conn->pg == NULL) {
    const char *keys[] = {"dbname", "connect_timeout", NULL};
    const char *values[] = {pool->conninfo, "3", NULL};
    conn->pg = PQconnectdbParams(keys, values, 1);
  } else {
    PQreset(conn->pg);
  }
  if (conn->pg == NULL || PQstatus(conn->pg) != CONNECTION_OK) {
    return false;
  }
  return configure_session(conn);
}

/* After a failure outside a transaction that lost the connection (the database restarted since
 * the connection was last used), resets it once. Returns true when a retry may follow. */
static bool reset_after_loss(struct db_conn *conn, bool was_idle) {
  if (!was_idle || PQstatus(conn->pg) == CONNECTION_OK) {
    return false;
  }
  conn->nprepared = 0;
  PQreset(conn->pg);
  return PQstatus(conn->pg) == CONNECTION_OK && configure_session(conn);
}

struct timespec deadline_after_ms(clockid_t clock, int ms) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  ts.tv_sec += ms / 1000;
  ts.tv_nsec += (long)(ms % 1000) * 1000000L;
  if (ts.tv_nsec >= 1000000000L) {
    ts.tv_sec++;
    ts.tv_nsec -= 1000000000L;
  }
  return ts;
}

struct db_conn *db_pool_acquire(struct db_pool *pool, int wait_ms) {
  struct timespec deadline = deadline_after_ms(CLOCK_REALTIME, wait_ms);
  struct db_conn *conn = NULL;
  pthread_mutex_lock(&pool->lock);
  while (conn == NULL) {
    for (int i = 0; i < pool->size && conn == NULL; i++) {
      if (!pool->conns[i].in_use) {
        conn = &pool->conns[i];
      }
    }
    if (conn == NULL && pthread_cond_timedwait(&pool->freed, &pool->lock, &deadline) == ETIMEDOUT) {
      break;
    }
  }
  if (conn != NULL) {
    conn->in_use = true;
    pool->in_use++;
  }
  pthread_mutex_unlock(&pool->lock);
  if (conn != NULL && !make_healthy(pool, conn)) {
    db_pool_release(pool, conn);
    return NULL;
  }
  return conn;
}

void db_rollback_open(struct db_conn *conn) {
  if (conn != NULL && conn->pg != NULL && PQstatus(conn->pg) == CONNECTION_OK &&
      PQtransactionStatus(conn->pg) != PQTRANS_IDLE) {
    PQclear(PQexec(conn->pg, "ROLLBACK"));
  }
}

void db_pool_release(struct db_pool *pool, struct db_conn *conn) {
  if (conn == NULL) {
    return;
  }
  db_rollback_open(conn);
  pthread_mutex_lock(&pool->lock);
  conn->in_use = false;
  pool->in_use--;
  pthread_cond_signal(&pool->freed);
  pthread_mutex_unlock(&pool->lock);
}

int db_pool_in_use(struct db_pool *pool) {
  pthread_mutex_lock(&pool->lock);
  int n = pool->in_use;
  pthread_mutex_unlock(&pool->lock);
  return n;
}

static bool is_prepared(const struct db_conn *conn, const struct db_statement *statement) {
  for (int i = 0; i < conn->nprepared; i++) {
    if (conn->prepared[i] == statement) {
      return true;
    }
  }
  return false;
}

/* Prepares `statement` on conn unless it already is. Returns NULL on success, else the failed
 * result (the caller clears it). */
static PGresult *prepare(struct db_conn *conn, const struct db_statement *statement) {
  if (is_prepared(conn, statement)) {
    return NULL;
  }
  PGresult *res = PQprepare(conn->pg, statement->name, statement->sql, 0, NULL);
  if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK) {
    return res;
  }
  PQclear(res);
  if (conn->nprepared < DB_MAX_PREPARED) {
    conn->prepared[conn->nprepared++] = statement;
  }
  return NULL;
}

/* Runs the statement once on the connection as it is. */
static PGresult *exec_once(struct db_conn *conn, const struct db_statement *statement, int nparams,
                           const char *const *params) {
  if (conn->nprepared == DB_MAX_PREPARED) {
    return PQexecParams(conn->pg, statement->sql, nparams, NULL, params, NULL, NULL, 0);
  }
  PGresult *failed = prepare(conn, statement);
  if (failed != NULL || PQstatus(conn->pg) != CONNECTION_OK) {
    return failed;
  }
  return PQexecPrepared(conn->pg, statement->name, nparams, params, NULL, NULL, 0);
}

static bool failed(const PGresult *res) {
  ExecStatusType status = res != NULL ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  return status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK;
}

PGresult *db_exec(struct db_conn *conn, const struct db_statement *statement, int nparams,
                  const char *const *params) {
  bool was_idle = PQtransactionStatus(conn->pg) == PQTRANS_IDLE;
  PGresult *res = exec_once(conn, statement, nparams, params);
  if (failed(res) && reset_after_loss(conn, was_idle)) {
    PQclear(res);
    res = exec_once(conn, statement, nparams, params);
  }
  return res;
}

bool db_begin(struct db_conn *conn) {
  return db_command(conn, "BEGIN");
}

bool db_command(struct db_conn *conn, const char *sql) {
  bool was_idle = PQtransactionStatus(conn->pg) == PQTRANS_IDLE;
  PGresult *res = PQexec(conn->pg, sql);
  if (failed(res) && reset_after_loss(conn, was_idle)) {
    PQclear(res);
    res = PQexec(conn->pg, sql);
  }
  bool ok = !failed(res);
  PQclear(res);
  return ok;
}

/* Starts the COPY and streams the data; true when the server stored it all. */
static bool copy_once(struct db_conn *conn, const char *copy_sql, const char *data,
                      size_t length) {
  PGresult *res = PQexec(conn->pg, copy_sql);
  bool started = res != NULL && PQresultStatus(res) == PGRES_COPY_IN;
  PQclear(res);
  if (!started) {
    return false;
  }
  bool sent = PQputCopyData(conn->pg, data, (int)length) == 1;
  if (PQputCopyEnd(conn->pg, sent ? NULL : "the service could not send the rows") != 1) {
    return false;
  }
  bool ok = true;
  while ((res = PQgetResult(conn->pg)) != NULL) {
    ok = ok && PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
  }
  return sent && ok;
}

bool db_copy_in(struct db_conn *conn, const char *copy_sql, const char *data, size_t length) {
  return length <= (size_t)INT_MAX && copy_once(conn, copy_sql, data, length);
}

bool db_conn_lost(struct db_conn *conn) {
  return conn == NULL || conn->pg == NULL || PQstatus(conn->pg) != CONNECTION_OK;
}

PGconn *db_conn_pg(struct db_conn *conn) {
  return conn->pg;
}
