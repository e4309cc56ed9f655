/* /v1/settings: every timescale and threshold of POLICY.md with its value, default and range.
 * Any authenticated caller reads them; an administrator changes them (a merge patch of
 * {name: value}; null restores the default). Deadlines already set keep their dates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/settings.h"
#include "../domain/settings.h"
#include "audit_trail.h"
#include "handlers.h"
#include "records.h"

/* {"items": [{name, value, default, min, max, unit, rule, meaning}]} from the overrides. */
static json_t *settings_document(const json_t *overrides) {
  size_t count;
  const struct setting *all = settings_all(&count);
  json_t *items = json_array();
  for (size_t i = 0; i < count; i++) {
    json_array_append_new(
        items, json_pack("{s:s, s:I, s:I, s:I, s:I, s:s, s:s, s:s}", "name", all[i].name, "value",
                         (json_int_t)setting_value(overrides, all[i].name), "default",
                         (json_int_t)all[i].default_value, "min", (json_int_t)all[i].min, "max",
                         (json_int_t)all[i].max, "unit", all[i].unit, "rule", all[i].rule,
                         "meaning", all[i].meaning));
  }
  return json_pack("{s:o}", "items", items);
}

/* Answers with the settings as they are now on the request's connection. */
static void respond_settings(struct request *r) {
  PGresult *res = request_query(r, &SETTINGS_GET, 0, NULL);
  if (res == NULL) {
    return;
  }
  json_t *overrides = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
  set_etag(r, PQgetvalue(res, 0, 1));
  respond_json(r, 200, settings_document(overrides));
  json_decref(overrides);
  PQclear(res);
}

void settings_get(struct request *r) {
  respond_settings(r);
}

/* Applies each member of the checked patch. Returns false when the database failed. */
static bool apply_settings(struct request *r, const json_t *patch) {
  const char *name;
  const json_t *value;
  json_object_foreach((json_t *)patch, name, value) {
    char number[24];
    snprintf(number, sizeof number, "%lld", (long long)json_integer_value(value));
    const char *set[] = {name, number, r->caller.sub};
    PGresult *res = json_is_null(value) ? request_query(r, &SETTING_RESET, 1, set)
                                        : request_query(r, &SETTING_SET, 3, set);
    if (res == NULL) {
      return false;
    }
    PQclear(res);
  }
  PGresult *bumped = request_query(r, &SETTINGS_BUMP, 0, NULL);
  PQclear(bumped);
  return bumped != NULL;
}

void settings_patch(struct request *r) {
  if (!role_set_has(r->caller.roles, ROLE_ADMIN)) {
    respond_problem(r, 403, "forbidden", "Policy settings are changed by an administrator.");
    return;
  }
  json_t *patch = read_json_object(r);
  if (patch == NULL) {
    return;
  }
  json_t *errors = json_array();
  settings_validate_patch(patch, errors);
  PGresult *before = NULL;
  PGresult *version = NULL;
  if (json_array_size(errors) > 0) {
    respond_invalid(r, json_incref(errors));
  } else if (request_begin(r) && (version = request_query(r, &SETTINGS_LOCK, 0, NULL)) != NULL &&
             record_if_match(r, PQgetvalue(version, 0, 0)) &&
             (before = request_query(r, &SETTINGS_GET, 0, NULL)) != NULL &&
             apply_settings(r, patch)) {
    json_t *old = json_loads(PQgetvalue(before, 0, 0), 0, NULL);
    json_t *previous = json_object();
    const char *name;
    json_t *value;
    json_object_foreach(patch, name, value) {
      json_object_set_new(previous, name, json_integer(setting_value(old, name)));
    }
    json_t *changes = json_pack("{s:o, s:O}", "before", previous, "after", patch);
    if (audit_write(r, "settings", NULL, 200, changes) && request_commit(r)) {
      respond_settings(r);
    }
    json_decref(changes);
    json_decref(old);
  }
  PQclear(before);
  PQclear(version);
  json_decref(errors);
  json_decref(patch);
}
