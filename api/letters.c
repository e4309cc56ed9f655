/* M10: GET /v1/matches/{id}/letters/{carers|birth_parents|child} and /certificate, drafted from
 * the templates for the panel administrator (and the decision maker) to print once the match is
 * agreed. Each read is audited: the letters name the child. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/matches.h"
#include "../domain/letters.h"
#include "handlers.h"
#include "records.h"

static bool may_draft_letters(const struct request *r) {
  return role_set_has(r->caller.roles, ROLE_PANEL_ADMIN) || role_set_has(r->caller.roles, ROLE_ADM);
}

/* Renders the letter of `kind` for the match named by the path. */
static void draft(struct request *r, enum letter_kind kind) {
  char id[64];
  if (!record_target(r, may_draft_letters(r),
                     "Letters and certificates are drafted for the panel administrator.", id)) {
    return;
  }
  const char *params[] = {id};
  PGresult *res = request_query(r, &MATCH_LETTER_FACTS, 1, params);
  if (res == NULL) {
    return;
  }
  if (PQntuples(res) == 0) {
    respond_problem(r, 404, "not-found", "There is no such match.");
  } else if (strcmp(PQgetvalue(res, 0, 0), "agreed") != 0) {
    respond_rule(r, 409, "M10", "Letters and the certificate follow a decision to agree the match.",
                 NULL);
  } else {
    json_t *child = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
    json_t *carer = json_loads(PQgetvalue(res, 0, 2), 0, NULL);
    json_t *values = letter_values(kind, child, carer, PQgetvalue(res, 0, 3),
                                   PQgetvalue(res, 0, 4), r->today);
    char *html = values != NULL ? letter_render(r->app->letter_templates[kind], values) : NULL;
    if (html == NULL) {
      respond_problem(r, 500, "internal", "The letter could not be drafted.");
    } else {
      r->status = 200;
      ulfius_set_string_body_response(r->response, 200, html);
      set_header(r, "Content-Type", "text/html; charset=utf-8");
    }
    free(html);
    json_decref(values);
    json_decref(carer);
    json_decref(child);
  }
  PQclear(res);
}

void matches_letter(struct request *r) {
  char recipient[32];
  enum letter_kind kind;
  if (!letter_recipient_parse(path_segment(r, 4, recipient, sizeof recipient), &kind)) {
    respond_problem(r, 404, "not-found", "Letters go to carers, birth_parents or child.");
    return;
  }
  draft(r, kind);
}

void matches_certificate(struct request *r) {
  draft(r, LETTER_CERTIFICATE);
}
