/*
 * db.c - libpq helpers for the API tests (see db.h).
 */
#include "db.h"

#include "env.h"
#include "fixtures.h"
#include "http_client.h"
#include "tokens.h"

#include <check.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define DB_MAX_PARAMS 8

PGconn *db_connect(void)
{
    PGconn *conn = PQconnectdb(env_require("PERMANENCE_TEST_DB_URL"));

    ck_assert_msg(PQstatus(conn) == CONNECTION_OK, "cannot connect to the test database: %s",
                  PQerrorMessage(conn));
    return conn;
}

/*
 * Reads' and refusals' audit rows reach the database through the service's batch writer
 * (api/audit_queue.h). Before a query about the audit trail, settle it as an administrator's
 * GET /v1/audit does, so that every row of a request already answered is there.
 */
static void settle_server(const char *base, const char *token)
{
    http_request req = {0};
    http_response res;

    req.method = "GET";
    req.base = base;
    req.path = "/v1/audit?limit=1";
    req.token = token;
    res = http_send(&req);
    ck_assert_msg(res.status == 200, "settling the audit trail of %s: status %ld",
                  base != NULL ? base : "the HS256 server", res.status);
    http_response_free(&res);
}

/* Settles both servers of the run: the HS256 one and, when there is one, the RS256 one. */
static void settle_audit_trail(const char *sql)
{
    const char *rs_url = getenv("PERMANENCE_TEST_RS_URL");
    token_spec spec;
    char *rs_token;

    if (strstr(sql, "audit_") == NULL)
        return;
    settle_server(NULL, fx_admin_token());
    if (rs_url == NULL)
        return;
    spec = token_spec_for("test-settle-admin", "admin");
    spec.alg = TOKEN_RS256;
    rs_token = token_mint(&spec);
    settle_server(rs_url, rs_token);
    free(rs_token);
}

/*
 * Runs `sql` with the parameters in `ap` on a new connection and returns the first value as a
 * new string, or NULL (no row / SQL NULL). Fails the test on an SQL error.
 */
static char *query_first_value(const char *sql, int nparams, va_list ap)
{
    const char *params[DB_MAX_PARAMS];
    PGconn *conn = db_connect();
    PGresult *result;
    char *value = NULL;
    int i;

    ck_assert_msg(nparams >= 0 && nparams <= DB_MAX_PARAMS, "too many SQL parameters");
    settle_audit_trail(sql);
    for (i = 0; i < nparams; i++)
        params[i] = va_arg(ap, const char *);
    result = PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);
    ck_assert_msg(PQresultStatus(result) == PGRES_TUPLES_OK, "SQL failed: %s\n%s",
                  PQresultErrorMessage(result), sql);
    if (PQntuples(result) > 0 && PQnfields(result) > 0 && !PQgetisnull(result, 0, 0)) {
        value = strdup(PQgetvalue(result, 0, 0));
        ck_assert_msg(value != NULL, "out of memory");
    }
    PQclear(result);
    PQfinish(conn);
    return value;
}

long db_long(const char *sql, int nparams, ...)
{
    va_list ap;
    char *text;
    char *end = NULL;
    long value;

    va_start(ap, nparams);
    text = query_first_value(sql, nparams, ap);
    va_end(ap);
    ck_assert_msg(text != NULL, "SQL gave no value: %s", sql);
    value = strtol(text, &end, 10);
    ck_assert_msg(end != text && *end == '\0', "SQL value is not an integer: %s", text);
    free(text);
    return value;
}

char *db_text(const char *sql, int nparams, ...)
{
    va_list ap;
    char *text;

    va_start(ap, nparams);
    text = query_first_value(sql, nparams, ap);
    va_end(ap);
    return text;
}

char *db_error_state(PGconn *conn, const char *sql)
{
    PGresult *result = PQexec(conn, sql);
    ExecStatusType status = PQresultStatus(result);
    char *state = NULL;

    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        const char *code = PQresultErrorField(result, PG_DIAG_SQLSTATE);

        state = strdup(code != NULL ? code : "?????");
        ck_assert_msg(state != NULL, "out of memory");
    }
    PQclear(result);
    return state;
}

void db_must(PGconn *conn, const char *sql)
{
    PGresult *result = PQexec(conn, sql);
    ExecStatusType status = PQresultStatus(result);

    ck_assert_msg(status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK, "SQL failed: %s\n%s",
                  PQresultErrorMessage(result), sql);
    PQclear(result);
}
