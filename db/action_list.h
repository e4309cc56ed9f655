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

/* Runs the list for `filters` on conn. Returns the result (items JSON, last key "due_at|id",
 * more), which the caller PQclears, or NULL / a failed result like db_exec. */
PGresult *action_list_run(struct db_conn *conn, const struct action_filters *filters);

#endif
