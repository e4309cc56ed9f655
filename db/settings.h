/* SQL of policy settings: the values an administrator set (defaults live in domain/settings.c). */
#ifndef DB_SETTINGS_H
#define DB_SETTINGS_H

#include <jansson.h>

#include "pool.h"

/* (overrides as a JSON object, version) */
extern const struct db_statement SETTINGS_GET;
/* (version) FOR UPDATE */
extern const struct db_statement SETTINGS_LOCK;
/* $1 name, $2 value, $3 by */
extern const struct db_statement SETTING_SET;
/* $1 name: back to the default */
extern const struct db_statement SETTING_RESET;
/* (new version) */
extern const struct db_statement SETTINGS_BUMP;

/* The current value of setting `name` (an override, else the default). Returns the default
 * when the database cannot say. */
long settings_load_value(struct db_conn *conn, const char *name);

#endif
