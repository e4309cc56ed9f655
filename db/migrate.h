/* Schema migrations: db/migrations/NNN_name.sql applied in order, each in its own transaction,
 * recorded in schema_migrations with a checksum, under an advisory lock so that instances
 * starting together apply each once. An applied migration whose file changed stops start-up. */
#ifndef DB_MIGRATE_H
#define DB_MIGRATE_H

#include <libpq-fe.h>
#include <stddef.h>

/* Applies the migrations of `dir` not yet applied on `pg`. Returns 0 on success, -1 with a
 * one-line reason in `err` otherwise. */
int migrate_apply(PGconn *pg, const char *dir, char *err, size_t errlen);

/* The highest migration number found in `dir`, or -1 when it cannot be read. */
int migrate_latest_version(const char *dir);

#endif
