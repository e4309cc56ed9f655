#include "settings.h"

#include <stdlib.h>

#include "../domain/settings.h"

const struct db_statement SETTINGS_GET = {
    "settings_get",
    "SELECT coalesce((SELECT jsonb_object_agg(name, value) FROM setting_overrides), '{}'),"
    "       (SELECT version FROM settings_version)"};

const struct db_statement SETTINGS_LOCK = {
    "settings_lock", "SELECT version FROM settings_version FOR UPDATE"};

const struct db_statement SETTING_SET = {
    "setting_set",
    "INSERT INTO setting_overrides (name, value, updated_by) VALUES ($1, $2::bigint, $3)"
    " ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by,"
    "   updated_at = now()"};

const struct db_statement SETTING_RESET = {
    "setting_reset", "DELETE FROM setting_overrides WHERE name = $1"};

const struct db_statement SETTINGS_BUMP = {
    "settings_bump", "UPDATE settings_version SET version = version + 1 RETURNING version"};

static const struct db_statement SETTING_VALUE = {
    "setting_value", "SELECT value FROM setting_overrides WHERE name = $1"};

long settings_load_value(struct db_conn *conn, const char *name) {
  const struct setting *s = setting_find(name);
  long value = s != NULL ? s->default_value : 0;
  const char *params[] = {name};
  PGresult *res = db_exec(conn, &SETTING_VALUE, 1, params);
  if (res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
    value = strtol(PQgetvalue(res, 0, 0), NULL, 10);
  }
  PQclear(res);
  return value;
}
