#include "migrate.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Arbitrary constant naming the migration lock among advisory locks. */
#define MIGRATION_LOCK_KEY "7461000001"

struct migration {
  int version;
  char name[256];
};

static int compare_migrations(const void *a, const void *b) {
  return ((const struct migration *)a)->version - ((const struct migration *)b)->version;
}

/* Lists NNN_name.sql files of dir, sorted by number. Returns the count (the caller frees *out),
 * or -1 when the directory cannot be read or two files share a number. */
static int list_migrations(const char *dir, struct migration **out) {
  DIR *d = opendir(dir);
  if (d == NULL) {
    return -1;
  }
  struct migration *list = NULL;
  int n = 0;
  struct dirent *entry;
  while ((entry = readdir(d)) != NULL) {
    size_t len = strlen(entry->d_name);
    char *end;
    long version = strtol(entry->d_name, &end, 10);
    if (len < 5 || len >= sizeof list->name || strcmp(entry->d_name + len - 4, ".sql") != 0 ||
        end == entry->d_name || *end != '_' || version <= 0) {
      continue;
    }
    struct migration *grown = realloc(list, (size_t)(n + 1) * sizeof *list);
    if (grown == NULL) {
      free(list);
      closedir(d);
      return -1;
    }
    list = grown;
    list[n].version = (int)version;
    snprintf(list[n].name, sizeof list[n].name, "%s", entry->d_name);
    n++;
  }
  closedir(d);
  qsort(list, (size_t)n, sizeof *list, compare_migrations);
  for (int i = 1; i < n; i++) {
    if (list[i].version == list[i - 1].version) {
      free(list);
      return -1;
    }
  }
  *out = list;
  return n;
}

int migrate_latest_version(const char *dir) {
  struct migration *list = NULL;
  int n = list_migrations(dir, &list);
  int latest = n > 0 ? list[n - 1].version : -1;
  free(list);
  return latest;
}

/* Reads a whole file into a NUL-terminated buffer the caller frees, or NULL. */
static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    return NULL;
  }
  char *buf = NULL;
  if (fseek(f, 0, SEEK_END) == 0) {
    long size = ftell(f);
    if (size >= 0 && fseek(f, 0, SEEK_SET) == 0) {
      buf = malloc((size_t)size + 1);
      if (buf != NULL && fread(buf, 1, (size_t)size, f) != (size_t)size) {
        free(buf);
        buf = NULL;
      } else if (buf != NULL) {
        buf[size] = '\0';
      }
    }
  }
  fclose(f);
  return buf;
}

static int exec_ok(PGconn *pg, const char *sql, char *err, size_t errlen) {
  PGresult *res = PQexec(pg, sql);
  ExecStatusType status = PQresultStatus(res);
  int rc = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK ? 0 : -1;
  if (rc != 0) {
    snprintf(err, errlen, "%s", PQresultErrorMessage(res));
    err[strcspn(err, "\n")] = '\0';
  }
  PQclear(res);
  return rc;
}

/* Applies one migration unless applied; refuses one applied with other content. */
static int apply_one(PGconn *pg, const char *dir, const struct migration *m, char *err,
                     size_t errlen) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", dir, m->name);
  char *sql = read_file(path);
  if (sql == NULL) {
    snprintf(err, errlen, "cannot read migration %s", path);
    return -1;
  }
  char version[16];
  snprintf(version, sizeof version, "%d", m->version);
  const char *params[] = {version, sql};
  PGresult *res = PQexecParams(pg,
                               "SELECT checksum = md5($2) FROM schema_migrations WHERE version = $1",
                               2, NULL, params, NULL, NULL, 0);
  int rc = 0;
  if (PQresultStatus(res) != PGRES_TUPLES_OK) {
    snprintf(err, errlen, "cannot read schema_migrations: %s", PQresultErrorMessage(res));
    rc = -1;
  } else if (PQntuples(res) == 1) {
    if (strcmp(PQgetvalue(res, 0, 0), "t") != 0) {
      snprintf(err, errlen, "migration %s was edited after it was applied", m->name);
      rc = -1;
    }
  } else if (exec_ok(pg, "BEGIN", err, errlen) != 0 || exec_ok(pg, sql, err, errlen) != 0) {
    char reason[512];
    snprintf(reason, sizeof reason, "%s", err);
    snprintf(err, errlen, "migration %s failed: %s", m->name, reason);
    PQclear(PQexec(pg, "ROLLBACK"));
    rc = -1;
  } else {
    const char *record[] = {version, m->name, sql};
    PGresult *ins = PQexecParams(pg,
                                 "INSERT INTO schema_migrations (version, name, checksum) "
                                 "VALUES ($1, $2, md5($3))",
                                 3, NULL, record, NULL, NULL, 0);
    rc = PQresultStatus(ins) == PGRES_COMMAND_OK ? exec_ok(pg, "COMMIT", err, errlen) : -1;
    if (rc != 0) {
      snprintf(err, errlen, "cannot record migration %s", m->name);
      PQclear(PQexec(pg, "ROLLBACK"));
    }
    PQclear(ins);
  }
  PQclear(res);
  free(sql);
  return rc;
}

int migrate_apply(PGconn *pg, const char *dir, char *err, size_t errlen) {
  struct migration *list = NULL;
  int n = list_migrations(dir, &list);
  if (n <= 0) {
    snprintf(err, errlen, "no migrations readable in %s", dir);
    free(list);
    return -1;
  }
  int rc = exec_ok(pg, "SET client_min_messages = warning", err, errlen);
  if (rc == 0) {
    rc = exec_ok(pg, "SELECT pg_advisory_lock(" MIGRATION_LOCK_KEY ")", err, errlen);
  }
  if (rc == 0) {
    rc = exec_ok(pg,
                 "CREATE TABLE IF NOT EXISTS schema_migrations ("
                 " version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,"
                 " applied_at timestamptz NOT NULL DEFAULT now())",
                 err, errlen);
    for (int i = 0; rc == 0 && i < n; i++) {
      rc = apply_one(pg, dir, &list[i], err, errlen);
    }
    char ignored[64];
    exec_ok(pg, "SELECT pg_advisory_unlock(" MIGRATION_LOCK_KEY ")", ignored, sizeof ignored);
  }
  free(list);
  return rc;
}
