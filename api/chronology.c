/* GET /v1/children/{id}/chronology and GET /v1/carers/{id}/chronology (R2, S8): one dated,
 * paginated timeline, oldest first. */
#include <stdio.h>
#include <string.h>

#include "../db/carers.h"
#include "../db/chronology.h"
#include "../db/children.h"
#include "../domain/access.h"
#include "../domain/schema.h"
#include "handlers.h"
#include "pagination.h"
#include "records.h"

/* Whether the cursor is "epoch microseconds|kind|uuid" as the timeline writes it. */
static bool chronology_cursor_valid(const char *after) {
  if (after == NULL) {
    return true;
  }
  const char *first = strchr(after, '|');
  const char *last = strrchr(after, '|');
  size_t digits = strspn(after, after[0] == '-' ? "-0123456789" : "0123456789");
  return first != NULL && first != last && digits > 0 && digits <= 19 &&
         after + digits == first && schema_is_uuid(last + 1);
}

/* Answers a page of `statement`'s timeline about the record of the path, once the caller is
 * seen to reach it through `grants` by `access` (taking the caller's agency when
 * `with_agency`). */
static void answer_chronology(struct request *r, relationship_set grants,
                              const struct db_statement *access, bool with_agency,
                              const struct db_statement *statement) {
  char id[64];
  struct page page;
  if (!record_target(r, grants, "Your roles do not give access to this chronology.", id) ||
      !page_read(r, PAGE_KEY_TEXT, &page)) {
    return;
  }
  if (!chronology_cursor_valid(page_after_param(&page))) {
    respond_problem(r, 400, "bad-request", "The cursor is not one this timeline gave.");
    return;
  }
  if (!record_reached(r, access, with_agency, id, grants)) {
    return;
  }
  const char *params[] = {id, page_after_param(&page), page.limit};
  PGresult *res = request_query(r, statement, 3, params);
  if (res != NULL) {
    page_respond_result(r, res);
  }
  PQclear(res);
}

void chronology_for_child(struct request *r) {
  answer_chronology(r, access_child_grants(r->caller.roles, ACCESS_READ), &CHILD_GET, false,
                    &CHRONOLOGY_OF_CHILD);
}

void chronology_for_carer(struct request *r) {
  answer_chronology(r, access_carer_chronology_grants(r->caller.roles), &CARER_GET, true,
                    &CHRONOLOGY_OF_CARER);
}
