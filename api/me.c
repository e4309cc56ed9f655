/* GET /v1/me: the caller as the service sees them: their token's subject, roles and agency,
 * their people record (null when they have none) and what their roles let them do. */
#include <string.h>

#include "../db/people.h"
#include "../domain/capabilities.h"
#include "handlers.h"

void me_get(struct request *r) {
  const char *params[] = {r->caller.sub};
  PGresult *res = request_query(r, &PERSON_GET, 1, params);
  if (res == NULL) {
    return;
  }
  json_t *person = PQntuples(res) == 1 ? json_loads(PQgetvalue(res, 0, 0), 0, NULL) : json_null();
  respond_json(r, 200,
               json_pack("{s:s, s:o, s:s?, s:o, s:o}", "sub", r->caller.sub, "roles",
                         role_names_of(r->caller.roles), "agency_id",
                         r->caller.agency_id[0] != '\0' ? r->caller.agency_id : NULL, "person",
                         person != NULL ? person : json_null(), "may",
                         capabilities_of(r->caller.roles)));
  PQclear(res);
}
