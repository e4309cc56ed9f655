/* The actions list query, composed from the filters a request uses, so that each combination
 * is one prepared statement with a plan that reads the right index (a single statement with
 * every filter optional had to be planned again on every request). */
#ifndef DB_ACTION_LIST_H
#define DB_ACTION_LIST_H

#include <stdbool.h>

#include "pool.h"

struct action_filters {
  /* who asks: their relationships decide what they see, unless `see_all` */
  const char *viewer;
  const char *viewer_is_admin; /* "true" / "false" */
  const char *child_kinds;
  const char *carer_kinds;
  const char *agency;
  bool see_all;            /* the viewer sees every action the other filters keep */
  const char *owner;       /* a person, or NULL */
  bool admin_queue;        /* only actions in the administrators' queue */
  const char *subject_type;
  const char *subject_id;
  const char *status;
  bool overdue;            /* open and due before now */
  const char *due_before;
  const char *source_rule;
  const char *after_due;   /* keyset cursor (both or neither) */
  const char *after_id;
  const char *limit;
};

/* The columns of an action as lists answer it, in this order (api/actions.c composes the JSON):
 * id, title, detail, subject_type, subject_id, owner_id, due_at (epoch), status, source_rule,
 * source_type, source_id, flagged_at, recheck_at (epochs), escalations, closed_at (epoch),
 * closing_note, version, created_by, created_at (epoch), duty. */
#define ACTION_COLUMNS                                                                          \
  "a.id, a.title, a.detail, a.subject_type, a.subject_id, a.owner_id,"                          \
  " date_part('epoch', a.due_at)::bigint, a.status, a.source_rule, a.source_type, a.source_id," \
  " date_part('epoch', a.flagged_at)::bigint, date_part('epoch', a.recheck_at)::bigint,"        \
  " a.escalations, date_part('epoch', a.closed_at)::bigint, a.closing_note, a.version,"         \
  " a.created_by, date_part('epoch', a.created_at)::bigint, a.duty"

/* Runs the list for `filters` on conn: up to limit + 1 rows of ACTION_COLUMNS in (due_at, id)
 * order. The caller PQclears the result; NULL or a failed result like db_exec. */
PGresult *action_list_run(struct db_conn *conn, const struct action_filters *filters);

#endif
