/* /v1/children/{id}/documents and /v1/carers/{id}/documents: what the case system holds about
 * a child or a carer (metadata, not the file). Those who may change the record add documents;
 * those who may read it list them, newest first ("the most recent" of a type is the first). */
#include <stdio.h>
#include <stdlib.h>

#include "../db/carers.h"
#include "../db/children.h"
#include "../db/documents.h"
#include "../domain/access.h"
#include "../domain/documents.h"
#include "../domain/merge_patch.h"
#include "audit_trail.h"
#include "handlers.h"
#include "pagination.h"
#include "records.h"

/* The record documents are about: a child or a carer. */
struct document_subject {
  const char *type;                  /* "child", "carer" */
  const char *collection;            /* "/v1/children" */
  const struct db_statement *reach;  /* access statement: (id, sub, kinds[, agency]) */
  bool with_agency;
  relationship_set (*grants)(role_set roles, enum access_action action);
};

static const struct document_subject CHILD = {"child", "/v1/children", &CHILD_GET, false,
                                              access_child_grants};
static const struct document_subject CARER = {"carer", "/v1/carers", &CARER_GET, true,
                                              access_carer_grants};

static void add_document(struct request *r, const struct document_subject *subject) {
  char id[64];
  relationship_set grants = subject->grants(r->caller.roles, ACCESS_WRITE);
  if (!record_target(r, grants, "Your roles do not allow adding documents here.", id)) {
    return;
  }
  json_t *body = read_json_object(r);
  if (body == NULL) {
    return;
  }
  json_t *doc = merge_patch_apply(NULL, body); /* a null member means absent */
  json_t *errors = json_array();
  char *text = json_dumps(doc, JSON_COMPACT);
  const char *params[] = {subject->type, id, text, r->caller.sub};
  PGresult *res = NULL;
  if (!document_validate(doc, r->today, errors)) {
    respond_invalid(r, json_incref(errors));
  } else if (request_begin(r) &&
             record_reached(r, subject->reach, subject->with_agency, id, grants) &&
             (res = request_query(r, &DOCUMENT_INSERT, 4, params)) != NULL) {
    json_t *changes = changed_fields(NULL, doc);
    if (audit_write(r, "document", PQgetvalue(res, 0, 1), 201, changes) && request_commit(r)) {
      char location[128];
      snprintf(location, sizeof location, "%s/%s/documents", subject->collection, id);
      respond_created(r, location, NULL, PQgetvalue(res, 0, 0));
    }
    json_decref(changes);
  }
  PQclear(res);
  free(text);
  json_decref(errors);
  json_decref(doc);
  json_decref(body);
}

static void list_documents(struct request *r, const struct document_subject *subject) {
  char id[64];
  relationship_set grants = subject->grants(r->caller.roles, ACCESS_READ);
  if (!record_target(r, grants, "Your roles do not give access to these records.", id)) {
    return;
  }
  const char *type = query_param(r, "type");
  if (type != NULL && !document_type_valid(type)) {
    respond_problem(r, 400, "bad-request", "type is not a kind of document this service knows.");
    return;
  }
  if (!record_reached(r, subject->reach, subject->with_agency, id, grants)) {
    return;
  }
  const char *params[] = {subject->type, id, type};
  PGresult *res = request_query(r, &DOCUMENT_LIST, 3, params);
  if (res != NULL) {
    page_respond(r, PQgetvalue(res, 0, 0), NULL, false);
  }
  PQclear(res);
}

void documents_add_for_child(struct request *r) {
  add_document(r, &CHILD);
}

void documents_list_for_child(struct request *r) {
  list_documents(r, &CHILD);
}

void documents_add_for_carer(struct request *r) {
  add_document(r, &CARER);
}

void documents_list_for_carer(struct request *r) {
  list_documents(r, &CARER);
}
