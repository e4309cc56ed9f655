/* /v1/carers: fostering households, reached by their SSW, their team, the family finder,
 * the CSW of a child placed there, and an agency for its own carers only. */

#include "../db/carers.h"
#include "../domain/access.h"
#include "../domain/merge_patch.h"
#include "../domain/records.h"
#include "handlers.h"
#include "pagination.h"
#include "records.h"

/* Only a team manager changes a carer's approval or agency. */
static const char *refuse_carer_change(role_set roles, const json_t *before, const json_t *after) {
  if ((field_changed(before, after, "approval") || field_changed(before, after, "agency_id")) &&
      !access_may_change_carer_approval(roles)) {
    return "A carer's approval and agency are changed by a team manager.";
  }
  return NULL;
}

static const struct record_kind CARER_KIND = {
    .resource_type = "carer",
    .collection = "/v1/carers",
    .insert = &CARER_INSERT,
    .validate = carer_validate,
    .grants = access_carer_grants,
    .get = &CARER_GET,
    .lock = &CARER_LOCK,
    .update = &CARER_UPDATE,
    .with_agency = true,
    .refuse_change = refuse_carer_change,
};

void carers_create(struct request *r) {
  if (!access_may_create_carer(r->caller.roles)) {
    respond_problem(r, 403, "forbidden", "Carers are created by a team manager.");
    return;
  }
  record_create(r, &CARER_KIND, NULL);
}

void carers_upsert(struct request *r) {
  record_upsert(r, &CARER_KIND, access_may_create_carer(r->caller.roles) != 0, NULL);
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
