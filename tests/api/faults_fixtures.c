/*
 * faults_fixtures.c - what the fault tests share (see faults_fixtures.h).
 */
#include "faults_fixtures.h"

#include "db.h"
#include "expect.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAUSE_NS 20000000L /* 20 ms */

void faults_pause(void)
{
    const struct timespec pause = {0, PAUSE_NS};

    nanosleep(&pause, NULL);
}

void faults_author(fx_person *csw, char **body)
{
    char team[FX_ID_MAX];
    char family[FX_ID_MAX];
    json_t *child;

    fx_unique(team, sizeof team, "faults");
    fx_unique(family, sizeof family, "Fault");
    fx_person_create(csw, "csw", team);
    child = fx_child_body(family);
    *body = json_dumps(child, JSON_COMPACT);
    json_decref(child);
    ck_assert(*body != NULL);
}

/* The ids every 201 of the load answered, as an SQL array literal (the caller frees); `n` gets
 * how many. */
static char *acknowledged_ids(const load *l, long *n)
{
    char *literal = malloc(l->count * (LOAD_ID_MAX + 1) + 3);
    size_t used = 1;
    size_t i;

    ck_assert(literal != NULL);
    strcpy(literal, "{");
    *n = 0;
    for (i = 0; i < l->count; i++) {
        if (l->answers[i].status != 201)
            continue;
        ck_assert_msg(is_uuid(l->answers[i].created), "a 201 without an id");
        used += (size_t)sprintf(literal + used, "%s%s", *n > 0 ? "," : "", l->answers[i].created);
        (*n)++;
    }
    strcpy(literal + used, "}");
    return literal;
}

/* Of the children `k` (a CTE of ids), how many are not whole: a whole creation has the record,
 * its csw allocation, the audit row and the event of each. */
static const char NOT_WHOLE[] =
    "select count(*) from k where not ("
    "     exists (select 1 from children c where c.id = k.id)"
    " and exists (select 1 from audit_log a where a.resource_type = 'child'"
    "             and a.resource_id = k.id::text and a.method = 'POST' and a.status = 201)"
    " and exists (select 1 from events e where e.subject_type = 'child'"
    "             and e.subject_id = k.id::text and e.type = 'child.created')"
    " and exists (select 1 from allocations al"
    "             join audit_log aa on aa.resource_type = 'allocation'"
    "                              and aa.resource_id = al.id::text"
    "             join events ae on ae.subject_type = 'allocation'"
    "                           and ae.subject_id = al.id::text and ae.type = 'allocation.created'"
    "             where al.child_id = k.id))";

/* How many children of `ids_sql` (a query of one uuid column with one parameter) are not whole. */
static long children_not_whole(const char *ids_sql, const char *param)
{
    char sql[2048];

    snprintf(sql, sizeof sql, "with k (id) as (%s) %s", ids_sql, NOT_WHOLE);
    return db_long(sql, 1, param);
}

void faults_expect_writes_whole(const load *l, const char *author)
{
    long acknowledged;
    char *ids = acknowledged_ids(l, &acknowledged);

    ck_assert_int_eq(db_long("select count(distinct id) from unnest($1::uuid[]) id", 1, ids),
                     acknowledged);
    ck_assert_int_eq(children_not_whole("select unnest($1::uuid[])", ids), 0);
    free(ids);
    ck_assert_int_eq(children_not_whole("select id from children where created_by = $1", author),
                     0);
    ck_assert_int_eq(db_long("select count(*) from audit_log a where a.sub = $1"
                             " and a.method = 'POST' and a.status = 201"
                             " and a.resource_type = 'child'"
                             " and not exists (select 1 from children c"
                             "                 where c.id::text = a.resource_id)", 1, author), 0);
    ck_assert_int_eq(db_long("select count(*) from events e where e.type = 'child.created'"
                             " and not exists (select 1 from children c"
                             "                 where c.id::text = e.subject_id)", 0), 0);
    ck_assert_int_eq(db_long("select count(*) from events e where e.type = 'allocation.created'"
                             " and not exists (select 1 from allocations al"
                             "                 where al.id::text = e.subject_id)", 0), 0);
}

void faults_expect_load_served(const load *l)
{
    size_t i;

    for (i = 0; i < l->count; i++)
        ck_assert_msg(l->answers[i].status > 0 && l->answers[i].status < 500,
                      "%s answered %ld under load", l->plan.base, l->answers[i].status);
}

load_plan faults_plan(const char *base, const char *token, const char *body, int threads)
{
    load_plan plan = {0};

    plan.base = base;
    plan.token = token;
    plan.collection = "/v1/children";
    plan.body = body;
    plan.threads = threads;
    plan.seconds = FAULTS_WAIT_SECONDS;
    plan.pace_ms = FAULTS_PACE_MS;
    return plan;
}
