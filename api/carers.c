/* /v1/carers: fostering households, reached by their SSW, their team, the family finder,
 * the CSW of a child placed there, and an agency for its own carers only. */
#include <stdio.h>
#include <stdlib.h>

#include "../db/carers.h"
#include "../db/children.h"
#include "../domain/access.h"
#include "../domain/merge_patch.h"
#include "../domain/records.h"
#include "audit_trail.h"
#include "handlers.h"
#include "pagination.h"
#include "records.h"

static const struct record_kind CARER_KIND = {
    .resource_type = "carer",
    .validate = carer_validate,
    .grants = access_carer_grants,
    .get = &CARER_GET,
    .lock = &CARER_LOCK,
    .update = &CARER_UPDATE,
    .with_agency = true,
};

void carers_create(struct request *r) {
  if (!access_may_create_carer(r->caller.roles)) {
    respond_problem(r, 403, "forbidden", "Carers are created by a team manager.");
    return;
  }
  json_t *doc = read_json_object(r);
  if (doc == NULL) {
    return;
  }
  json_t *errors = json_array();
  if (!carer_validate(doc, r->today, errors)) {
    respond_invalid(r, errors);
    json_decref(doc);
    return;
  }
  json_decref(errors);
  char *text = json_dumps(doc, JSON_COMPACT);
  const char *params[] = {r->caller.sub, text};
  const char *person[] = {r->caller.sub};
  PGresult *known = NULL;
  PGresult *res = NULL;
  if (request_begin(r) && (known = request_query(r, &PERSON_TEAM, 1, person)) != NULL) {
    if (PQntuples(known) == 0) {
      respond_problem(r, 403, "forbidden",
                      "Your sub has no people record here; ask an administrator to add you.");
    } else if ((res = request_query(r, &CARER_INSERT, 2, params)) != NULL) {
      const char *id = PQgetvalue(res, 0, 2);
      json_t *changes = changed_fields(NULL, doc);
      if (record_store_external_ids(r, "carer", id, text, false) &&
          audit_write(r, "carer", id, 201, changes) && request_commit(r)) {
        char location[80];
        snprintf(location, sizeof location, "/v1/carers/%s", id);
        set_header(r, "Location", location);
        set_etag(r, PQgetvalue(res, 0, 1));
        respond_json_text(r, 201, PQgetvalue(res, 0, 0));
      }
      json_decref(changes);
    }
  }
  PQclear(known);
  PQclear(res);
  free(text);
  json_decref(doc);
}

void carers_list(struct request *r) {
  relationship_set grants = access_carer_grants(r->caller.roles, ACCESS_READ);
  if (grants == 0) {
    respond_problem(r, 403, "forbidden", "Your roles do not give access to carers' records.");
    return;
  }
  struct page page;
  if (!page_read(r, PAGE_KEY_UUID, &page)) {
    return;
  }
  char kinds[256];
  const char *params[] = {r->caller.sub, relationship_array_literal(grants, kinds, sizeof kinds),
                          r->caller.agency_id, page_after_param(&page), page.limit};
  PGresult *res = request_query(r, &CARER_LIST, 5, params);
  if (res != NULL) {
    page_respond_result(r, res);
  }
  PQclear(res);
}

void carers_get(struct request *r) {
  record_get(r, &CARER_KIND);
}

void carers_patch(struct request *r) {
  record_patch(r, &CARER_KIND);
}
