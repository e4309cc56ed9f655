#include "rule_actions.h"

#include "../db/actions.h"
#include "../domain/calendar.h"

bool rule_action_create(struct request *r, const char *title, const char *match_id,
                        const char *owner, time_t due, const char *rule, const char *source_type,
                        const char *source_id) {
  char due_at[21];
  time_format_utc(due, due_at);
  const char *params[] = {title, "match", match_id, owner, due_at, rule, source_type, source_id,
                          r->caller.sub};
  PGresult *res = request_query(r, &RULE_ACTION_INSERT, 9, params);
  PQclear(res);
  return res != NULL;
}

bool rule_actions_close(struct request *r, const char *match_id, const char *rule, bool done,
                        const char *note) {
  const char *params[] = {"match", match_id, rule, r->caller.sub, note,
                          done ? "done" : "cancelled"};
  PGresult *res = request_query(r, &RULE_ACTIONS_CLOSE, 6, params);
  PQclear(res);
  return res != NULL;
}
