#include "action_list.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
  F_VISIBILITY = 1 << 0,
  F_OWNER = 1 << 1,
  F_ADMIN_QUEUE = 1 << 2,
  F_SUBJECT_TYPE = 1 << 3,
  F_SUBJECT_ID = 1 << 4,
  F_STATUS = 1 << 5,
  F_OVERDUE = 1 << 6,
  F_DUE_BEFORE = 1 << 7,
  F_SOURCE_RULE = 1 << 8,
  F_AFTER = 1 << 9,
  F_SHAPES = 1 << 10,
};

/* One statement per shape, composed on first use and kept for the life of the process (this
 * module owns the texts; the pool keeps pointers to the statements). */
static struct db_statement shapes[F_SHAPES];
static pthread_mutex_t shapes_lock = PTHREAD_MUTEX_INITIALIZER;

static unsigned int shape_of(const struct action_filters *f) {
  unsigned int mask = 0;
  mask |= f->see_all ? 0 : F_VISIBILITY;
  mask |= f->owner != NULL ? F_OWNER : 0;
  mask |= f->admin_queue ? F_ADMIN_QUEUE : 0;
  mask |= f->subject_type != NULL ? F_SUBJECT_TYPE : 0;
  mask |= f->subject_id != NULL ? F_SUBJECT_ID : 0;
  mask |= f->status != NULL ? F_STATUS : 0;
  mask |= f->overdue ? F_OVERDUE : 0;
  mask |= f->due_before != NULL ? F_DUE_BEFORE : 0;
  mask |= f->source_rule != NULL ? F_SOURCE_RULE : 0;
  mask |= f->after_due != NULL ? F_AFTER : 0;
  return mask;
}

/* Appends to the statement text. */
static void add(char *sql, size_t size, const char *text) {
  size_t used = strlen(sql);
  snprintf(sql + used, size - used, "%s", text);
}

/* Composes the SQL of a shape; parameters are numbered in the order action_list_run passes
 * them. Returns a string this module keeps. */
static char *compose(unsigned int mask) {
  size_t size = 4096;
  char *sql = calloc(1, size);
  char part[256];
  int n = 2; /* $1 is the page size */
  if (sql == NULL) {
    return NULL;
  }
  add(sql, size, "SELECT " ACTION_COLUMNS " FROM actions a");
  if (mask & F_VISIBILITY) {
    snprintf(part, sizeof part,
             " CROSS JOIN LATERAL action_access(a.owner_id, a.subject_type, a.subject_id, $%d,"
             " $%d::boolean, $%d::text[], $%d::text[], $%d) v WHERE v.visible",
             n, n + 1, n + 2, n + 3, n + 4);
    n += 5;
    add(sql, size, part);
  } else {
    add(sql, size, " WHERE true");
  }
  const struct {
    unsigned int bit;
    const char *condition; /* %d: its parameter */
  } filters[] = {
      {F_OWNER, " AND a.owner_id = $%d"},
      {F_ADMIN_QUEUE, " AND a.owner_id IS NULL"},
      {F_SUBJECT_TYPE, " AND a.subject_type = $%d"},
      {F_SUBJECT_ID, " AND a.subject_id = $%d::uuid"},
      {F_STATUS, " AND a.status = $%d"},
      {F_OVERDUE, " AND a.status = 'open' AND a.due_at < now()"},
      {F_DUE_BEFORE, " AND a.due_at < $%d::timestamptz"},
      {F_SOURCE_RULE, " AND a.source_rule = $%d"},
  };
  for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++) {
    if (mask & filters[i].bit) {
      bool takes_parameter = strstr(filters[i].condition, "%d") != NULL;
      snprintf(part, sizeof part, filters[i].condition, n);
      n += takes_parameter ? 1 : 0;
      add(sql, size, part);
    }
  }
  if (mask & F_AFTER) {
    snprintf(part, sizeof part, " AND (a.due_at, a.id) > ($%d::timestamptz, $%d::uuid)", n,
             n + 1);
    n += 2;
    add(sql, size, part);
  }
  add(sql, size, " ORDER BY a.due_at, a.id LIMIT $1::integer + 1");
  return sql;
}

static const struct db_statement *statement_for(unsigned int mask) {
  pthread_mutex_lock(&shapes_lock);
  if (shapes[mask].sql == NULL) {
    char *name = malloc(32);
    char *sql = compose(mask);
    if (name != NULL && sql != NULL) {
      snprintf(name, 32, "action_list_%u", mask);
      shapes[mask].name = name;
      shapes[mask].sql = sql;
    } else {
      free(name);
      free(sql);
    }
  }
  pthread_mutex_unlock(&shapes_lock);
  return shapes[mask].sql != NULL ? &shapes[mask] : NULL;
}

PGresult *action_list_run(struct db_conn *conn, const struct action_filters *f) {
  unsigned int mask = shape_of(f);
  const struct db_statement *statement = statement_for(mask);
  if (statement == NULL) {
    return NULL;
  }
  const char *params[16];
  int n = 0;
  params[n++] = f->limit;
  if (mask & F_VISIBILITY) {
    params[n++] = f->viewer;
    params[n++] = f->viewer_is_admin;
    params[n++] = f->child_kinds;
    params[n++] = f->carer_kinds;
    params[n++] = f->agency;
  }
  const char *values[] = {f->owner, NULL, f->subject_type, f->subject_id, f->status, NULL,
                          f->due_before, f->source_rule};
  const unsigned int bits[] = {F_OWNER, F_ADMIN_QUEUE, F_SUBJECT_TYPE, F_SUBJECT_ID,
                               F_STATUS, F_OVERDUE, F_DUE_BEFORE, F_SOURCE_RULE};
  for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++) {
    if ((mask & bits[i]) && values[i] != NULL) {
      params[n++] = values[i];
    }
  }
  if (mask & F_AFTER) {
    params[n++] = f->after_due;
    params[n++] = f->after_id;
  }
  return db_exec(conn, statement, n, params);
}
