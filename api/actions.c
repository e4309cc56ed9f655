/* /v1/actions: what must be done, by whom and by when (P2, S5), and its life: complete, cancel
 * (with a reason), reassign. Only the owner, the owner's manager or an administrator changes an
 * action; those who may read its subject see it. The S7 sweep is in action_sweep.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/action_list.h"
#include "../db/actions.h"
#include "../db/calendar.h"
#include "../domain/access.h"
#include "../domain/actions.h"
#include "../domain/schema.h"
#include "../domain/settings.h"
#include "action_sweep.h"
#include "audit_trail.h"
#include "duties.h"
#include "handlers.h"
#include "json_writer.h"
#include "pagination.h"
#include "records.h"

/* The caller's view: (sub, is admin, child kinds, carer kinds, agency) as query parameters. */
struct viewer {
  const char *is_admin;
  char child_kinds[256];
  char carer_kinds[256];
};

static void viewer_of(const struct request *r, struct viewer *v) {
  v->is_admin = role_set_has(r->caller.roles, ROLE_ADMIN) ? "true" : "false";
  relationship_array_literal(access_child_grants(r->caller.roles, ACCESS_READ), v->child_kinds,
                             sizeof v->child_kinds);
  relationship_array_literal(access_carer_grants(r->caller.roles, ACCESS_READ), v->carer_kinds,
                             sizeof v->carer_kinds);
}

/* Answers with the action's current JSON. */
static void respond_action(struct request *r, int status, const char *id) {
  const char *params[] = {id};
  PGresult *res = request_query(r, &ACTION_JSON, 1, params);
  if (res == NULL) {
    return;
  }
  if (status == 201) {
    char location[80];
    snprintf(location, sizeof location, "/v1/actions/%s", id);
    respond_created(r, location, PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 0));
  } else {
    set_etag(r, PQgetvalue(res, 0, 1));
    respond_json_text(r, status, PQgetvalue(res, 0, 0));
  }
  PQclear(res);
}

/* The subject must exist and the caller must reach it, and the owner must be a person;
 * appends an error for each that fails. Returns false when the request was answered. */
static bool check_subject_and_owner(struct request *r, const json_t *body, json_t *errors) {
  const json_t *subject = json_object_get(body, "subject");
  const char *type = schema_string(subject, "type");
  struct viewer v;
  viewer_of(r, &v);
  bool child = strcmp(type, "child") == 0;
  if (!child && strcmp(type, "carer") != 0) {
    validation_error(errors, "subject.type", "actions on this kind of record are not kept yet");
    return true;
  }
  const char *params[] = {schema_string(subject, "id"), r->caller.sub,
                          child ? v.child_kinds : v.carer_kinds, schema_string(body, "owner_id"),
                          r->caller.agency_id};
  const struct db_statement *check =
      !child ? &ACTION_SUBJECT_CARER
      : access_by_child_allocation_only(access_child_grants(r->caller.roles, ACCESS_READ))
          ? &ACTION_SUBJECT_CHILD_BY_ALLOCATION
          : &ACTION_SUBJECT_CHILD;
  PGresult *res = request_query(r, check, child ? 4 : 5, params);
  if (res == NULL) {
    return false;
  }
  if (strcmp(PQgetvalue(res, 0, 0), "t") != 0) {
    validation_error(errors, "subject.id", "no such record that you may see");
  }
  if (strcmp(PQgetvalue(res, 0, 1), "t") != 0) {
    validation_error(errors, "owner_id", "no such person");
  }
  PQclear(res);
  return true;
}

/* Inserts the checked action with its history and audit row; answers 201. */
static void insert_action(struct request *r, const json_t *body) {
  const json_t *subject = json_object_get(body, "subject");
  const json_t *source = json_object_get(body, "source");
  char *body_text = json_dumps(body, JSON_COMPACT);
  const char *params[] = {schema_string(body, "title"),        schema_string(body, "detail"),
                          schema_string(subject, "type"),       schema_string(subject, "id"),
                          schema_string(body, "owner_id"),      schema_string(body, "due_at"),
                          schema_string(body, "source_rule"),   schema_string(source, "type"),
                          schema_string(source, "id"),          r->caller.sub,
                          r->caller.roles_literal,              body_text,
                          r->id};
  PGresult *res = request_query(r, &ACTION_INSERT, 13, params);
  free(body_text);
  if (res == NULL) {
    return;
  }
  char id[40];
  snprintf(id, sizeof id, "%s", PQgetvalue(res, 0, 0));
  PQclear(res);
  r->audited = true;
  if (request_commit(r)) {
    respond_action(r, 201, id);
  }
}

void actions_create(struct request *r) {
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return;
  }
  json_t *errors = json_array();
  action_validate_new(body, wall_clock_now(), errors);
  if (json_array_size(errors) > 0) {
    respond_invalid(r, json_incref(errors));
  } else if (request_begin(r) && check_subject_and_owner(r, body, errors)) {
    if (json_array_size(errors) > 0) {
      respond_invalid(r, json_incref(errors));
    } else {
      insert_action(r, body);
    }
  }
  json_decref(errors);
  json_decref(body);
}

/* Reads the action filters, resolving owner=me; answers 400 and returns false on a bad one. */
static bool read_filters(struct request *r, const char **owner, const char **due_before,
                         const char **overdue) {
  *owner = query_param(r, "owner");
  if (*owner != NULL && strcmp(*owner, "me") == 0) {
    *owner = role_set_has(r->caller.roles, ROLE_ADMIN) ? "admin-queue" : r->caller.sub;
  }
  *due_before = query_param(r, "due_before");
  time_t ignored;
  if (*due_before != NULL && !date_from_time_string(*due_before, &ignored)) {
    respond_problem(r, 400, "bad-request", "due_before must be an RFC 3339 time.");
    return false;
  }
  const char *flag = query_param(r, "overdue");
  if (flag != NULL && strcmp(flag, "true") != 0 && strcmp(flag, "false") != 0) {
    respond_problem(r, 400, "bad-request", "overdue must be true or false.");
    return false;
  }
  *overdue = flag != NULL ? flag : "false";
  const char *status = query_param(r, "status");
  const char *subject_id = query_param(r, "subject_id");
  if ((status != NULL && strcmp(status, "open") != 0 && strcmp(status, "done") != 0 &&
       strcmp(status, "cancelled") != 0) ||
      (subject_id != NULL && !schema_is_uuid(subject_id))) {
    respond_problem(r, 400, "bad-request", "status must be open, done or cancelled, and "
                                           "subject_id a UUID.");
    return false;
  }
  return true;
}

/* Splits the cursor key "due_at|id"; answers 400 when it is not one this service gave. */
static bool split_cursor(struct request *r, const struct page *page, char *due, char *id) {
  due[0] = '\0';
  id[0] = '\0';
  if (page_after_param(page) == NULL) {
    return true;
  }
  const char *bar = strchr(page->after, '|');
  time_t ignored;
  if (bar != NULL && (size_t)(bar - page->after) < 32) {
    snprintf(due, 32, "%.*s", (int)(bar - page->after), page->after);
    snprintf(id, 40, "%s", bar + 1);
  }
  if (!date_from_time_string(due, &ignored) || !schema_is_uuid(id)) {
    respond_problem(r, 400, "bad-request", "after is not a cursor this service gave.");
    return false;
  }
  return true;
}

/* A value of the row, or NULL for SQL null. */
static const char *column(const PGresult *res, int row, int col) {
  return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

/* One action of a list (ACTION_COLUMNS of db/action_list.h), as action_summary_json() in the
 * database writes it. */
static void write_action(struct json_writer *w, const PGresult *res, int row) {
  json_writer_open(w, "{");
  json_writer_member_string(w, "id", column(res, row, 0));
  json_writer_member_string(w, "title", column(res, row, 1));
  json_writer_member_string(w, "detail", column(res, row, 2));
  json_writer_key(w, "subject");
  json_writer_open(w, "{");
  json_writer_member_string(w, "type", column(res, row, 3));
  json_writer_member_string(w, "id", column(res, row, 4));
  json_writer_close(w, "}");
  json_writer_member_string(w, "owner_id", column(res, row, 5));
  json_writer_member_string(w, "owner_queue", column(res, row, 5) == NULL ? "admin" : NULL);
  json_writer_member_time(w, "due_at", column(res, row, 6));
  json_writer_member_string(w, "status", column(res, row, 7));
  json_writer_member_string(w, "source_rule", column(res, row, 8));
  json_writer_key(w, "source");
  if (column(res, row, 9) == NULL) {
    json_writer_raw(w, "null");
  } else {
    json_writer_open(w, "{");
    json_writer_member_string(w, "type", column(res, row, 9));
    json_writer_member_string(w, "id", column(res, row, 10));
    json_writer_close(w, "}");
  }
  json_writer_member_string(w, "duty", column(res, row, 19));
  json_writer_member_time(w, "flagged_at", column(res, row, 11));
  json_writer_member_time(w, "recheck_at", column(res, row, 12));
  json_writer_member_number(w, "escalations", column(res, row, 13));
  json_writer_member_time(w, "closed_at", column(res, row, 14));
  json_writer_member_string(w, "closing_note", column(res, row, 15));
  json_writer_member_number(w, "version", column(res, row, 16));
  json_writer_member_string(w, "created_by", column(res, row, 17));
  json_writer_member_time(w, "created_at", column(res, row, 18));
  json_writer_close(w, "}");
}

/* Answers a page from up to limit + 1 rows; the cursor is "due_at|id" of the last one shown. */
static void respond_action_page(struct request *r, const PGresult *res, int limit) {
  int shown = PQntuples(res) < limit ? PQntuples(res) : limit;
  struct json_writer w;
  json_writer_init(&w);
  json_writer_open(&w, "[");
  for (int i = 0; i < shown; i++) {
    json_writer_item(&w);
    write_action(&w, res, i);
  }
  json_writer_close(&w, "]");
  char *items = json_writer_take(&w);
  char last_key[80] = "";
  if (shown > 0) {
    char due[21];
    time_format_utc((time_t)strtoll(PQgetvalue(res, shown - 1, 6), NULL, 10), due);
    snprintf(last_key, sizeof last_key, "%s|%s", due, PQgetvalue(res, shown - 1, 0));
  }
  if (items == NULL) {
    respond_problem(r, 500, "internal", "The answer could not be written.");
  } else {
    page_respond(r, items, last_key, PQntuples(res) > limit);
  }
  free(items);
}

void actions_list(struct request *r) {
  const char *owner, *due_before, *overdue;
  struct page page;
  char after_due[32];
  char after_id[40];
  if (!read_filters(r, &owner, &due_before, &overdue) || !page_read(r, PAGE_KEY_TEXT, &page) ||
      !split_cursor(r, &page, after_due, after_id)) {
    return;
  }
  struct viewer v;
  viewer_of(r, &v);
  bool admin_queue = owner != NULL && strcmp(owner, "admin-queue") == 0;
  bool admin = role_set_has(r->caller.roles, ROLE_ADMIN);
  struct action_filters filters = {
      .viewer = r->caller.sub,
      .viewer_is_admin = v.is_admin,
      .child_kinds = v.child_kinds,
      .carer_kinds = v.carer_kinds,
      .agency = r->caller.agency_id,
      /* an owner sees their own actions, an administrator the administrators' queue */
      .see_all = (owner != NULL && strcmp(owner, r->caller.sub) == 0) || (admin && admin_queue),
      .owner = admin_queue ? NULL : owner,
      .admin_queue = admin_queue,
      .subject_type = query_param(r, "subject_type"),
      .subject_id = query_param(r, "subject_id"),
      .status = query_param(r, "status"),
      .overdue = strcmp(overdue, "true") == 0,
      .due_before = due_before,
      .source_rule = query_param(r, "source_rule"),
      .after_due = after_due[0] != '\0' ? after_due : NULL,
      .after_id = after_id[0] != '\0' ? after_id : NULL,
      .limit = page.limit,
  };
  if (request_db(r) == NULL) {
    return;
  }
  PGresult *res = action_list_run(r->db, &filters);
  if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
    respond_db_error(r, res);
  } else {
    respond_action_page(r, res, atoi(page.limit));
  }
  PQclear(res);
}

/* Locks the action for the caller: NULL after answering 404 when they may not see it. */
static PGresult *lock_visible(struct request *r, const char *id) {
  struct viewer v;
  viewer_of(r, &v);
  const char *params[] = {id, r->caller.sub, v.is_admin, v.child_kinds, v.carer_kinds,
                          r->caller.agency_id};
  PGresult *res = request_query(r, &ACTION_LOCK, 6, params);
  if (res != NULL && (PQntuples(res) == 0 || strcmp(PQgetvalue(res, 0, 2), "t") != 0)) {
    respond_problem(r, 404, "not-found", "There is no such action you may see.");
    PQclear(res);
    return NULL;
  }
  return res;
}

void actions_get(struct request *r) {
  char id[64];
  path_segment(r, 2, id, sizeof id);
  if (!record_id_valid(r, id)) {
    return;
  }
  struct viewer v;
  viewer_of(r, &v);
  const char *params[] = {id, r->caller.sub, v.is_admin, v.child_kinds, v.carer_kinds,
                          r->caller.agency_id};
  PGresult *res = request_query(r, &ACTION_GET, 6, params);
  if (res == NULL) {
    return;
  }
  if (PQntuples(res) == 0 || strcmp(PQgetvalue(res, 0, 2), "t") != 0) {
    respond_problem(r, 404, "not-found", "There is no such action you may see.");
  } else {
    set_etag(r, PQgetvalue(res, 0, 1));
    respond_json_text(r, 200, PQgetvalue(res, 0, 0));
  }
  PQclear(res);
}

/* A change to an open action by its owner, their manager or an administrator. */
struct action_change {
  const char *verb;           /* "complete", "cancel", "reassign" */
  const struct schema *body;  /* the request body's shape */
  const char *history_event;  /* "completed", "cancelled", "reassigned" */
};

static const struct field_spec COMPLETE_FIELDS[] = {
    {.name = "note", .type = FIELD_STRING, .max_length = 5000},
};
static const struct schema COMPLETE_BODY = {COMPLETE_FIELDS, 1};
static const struct field_spec CANCEL_FIELDS[] = {
    {.name = "reason", .type = FIELD_STRING, .required = true, .max_length = 5000},
};
static const struct schema CANCEL_BODY = {CANCEL_FIELDS, 1};
static const struct field_spec REASSIGN_FIELDS[] = {
    {.name = "owner_id", .type = FIELD_STRING, .required = true, .max_length = 128},
    {.name = "reason", .type = FIELD_STRING, .required = true, .max_length = 5000},
};
static const struct schema REASSIGN_BODY = {REASSIGN_FIELDS, 2};

static const struct action_change COMPLETE = {"complete", &COMPLETE_BODY, "completed"};
static const struct action_change CANCEL = {"cancel", &CANCEL_BODY, "cancelled"};
static const struct action_change REASSIGN = {"reassign", &REASSIGN_BODY, "reassigned"};

/* The S7 re-check for an overdue action given back to a person out of the administrators'
 * queue: `escalation_recheck_working_days` working days from today. */
static bool queue_recheck(struct request *r, char *buf, size_t size) {
  const struct calendar *calendar = request_calendar(r);
  if (calendar == NULL) {
    return false;
  }
  int days = (int)setting_value(request_settings(r), "escalation_recheck_working_days");
  snprintf(buf, size, "%lld", (long long)action_recheck_at(calendar, r->today, days));
  return true;
}

/* Writes the change on the locked, open action the caller may change. */
static void write_change(struct request *r, const struct action_change *change, const char *id,
                         const char *owner, const json_t *body, json_t *errors) {
  const char *new_owner = schema_string(body, "owner_id");
  const char *note = change == &COMPLETE ? schema_string(body, "note")
                                         : schema_string(body, "reason");
  if (change == &REASSIGN && !record_person_known(r, new_owner, "owner_id", errors)) {
    return;
  }
  if (json_array_size(errors) > 0) {
    respond_invalid(r, json_incref(errors));
    return;
  }
  const char *close_params[] = {id, change == &COMPLETE ? "done" : "cancelled", note};
  char recheck[24];
  if (change == &REASSIGN && !queue_recheck(r, recheck, sizeof recheck)) {
    return;
  }
  const char *reassign_params[] = {id, new_owner, recheck};
  PGresult *res = change == &REASSIGN ? request_query(r, &ACTION_REASSIGN, 3, reassign_params)
                                      : request_query(r, &ACTION_CLOSE, 3, close_params);
  if (res == NULL) {
    return;
  }
  PQclear(res);
  const char *history[] = {id, change->history_event, owner,
                           change == &REASSIGN ? new_owner : owner, note, r->caller.sub};
  res = request_query(r, &ACTION_HISTORY_INSERT, 6, history);
  if (res == NULL) {
    return;
  }
  PQclear(res);
  if (change == &COMPLETE && !duty_renew(r, id, r->today)) { /* P7, P8, V1, L1, L2 */
    return;
  }
  json_t *changes = json_pack("{s:{s:s?}, s:O}", "before", "owner_id", owner, "after", body);
  if (audit_write(r, "action", id, 200, changes) && request_commit(r)) {
    respond_action(r, 200, id);
  }
  json_decref(changes);
}

static void change_action(struct request *r, const struct action_change *change) {
  char id[64];
  path_segment(r, 2, id, sizeof id);
  if (!record_id_valid(r, id)) {
    return;
  }
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return;
  }
  json_t *errors = json_array();
  schema_validate(change->body, body, "", errors);
  PGresult *current = NULL;
  if (json_array_size(errors) > 0) {
    respond_invalid(r, json_incref(errors));
  } else if (request_begin(r) && (current = lock_visible(r, id)) != NULL) {
    const char *owner = PQgetisnull(current, 0, 3) ? NULL : PQgetvalue(current, 0, 3);
    const char *manager = PQgetisnull(current, 0, 4) ? NULL : PQgetvalue(current, 0, 4);
    if (!action_may_change(r->caller.sub, r->caller.roles, owner, manager)) {
      respond_problem(r, 403, "forbidden",
                      "Only the action's owner, their manager or an administrator changes it.");
    } else if (strcmp(PQgetvalue(current, 0, 5), "open") != 0) {
      respond_problem(r, 409, "conflict", "The action is already closed.");
    } else if (record_if_match_sent(r, PQgetvalue(current, 0, 1))) {
      write_change(r, change, id, owner, body, errors);
    }
  }
  PQclear(current);
  json_decref(errors);
  json_decref(body);
}

void actions_complete(struct request *r) {
  change_action(r, &COMPLETE);
}

void actions_cancel(struct request *r) {
  change_action(r, &CANCEL);
}

void actions_reassign(struct request *r) {
  change_action(r, &REASSIGN);
}

void actions_sweep(struct request *r) {
  if (!role_set_has(r->caller.roles, ROLE_ADMIN)) {
    respond_problem(r, 403, "forbidden", "A sweep is run by an administrator.");
    return;
  }
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return;
  }
  const struct field_spec fields[] = {{.name = "as_of", .type = FIELD_STRING, .required = true}};
  const struct schema shape = {fields, 1};
  json_t *errors = json_array();
  time_t as_of = 0;
  schema_validate(&shape, body, "", errors);
  const char *text = schema_string(body, "as_of");
  if (text != NULL && !date_from_time_string(text, &as_of)) {
    validation_error(errors, "as_of", "must be an RFC 3339 time");
  }
  struct sweep_result result;
  if (json_array_size(errors) > 0) {
    respond_invalid(r, json_incref(errors));
  } else if (request_db(r) != NULL) {
    if (action_sweep(r->db, as_of, r->id, &result) != 0) {
      respond_unavailable(r);
    } else {
      char when[21];
      time_format_utc(as_of, when);
      json_t *answer = json_pack("{s:s, s:i, s:i}", "as_of", when, "flagged", result.flagged,
                                 "escalated", result.escalated);
      if (audit_write(r, "action", NULL, 200, answer)) {
        respond_json(r, 200, answer);
      } else {
        json_decref(answer);
      }
    }
  }
  json_decref(errors);
  json_decref(body);
}
