#include "audit_trail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../domain/utf8.h"
#include "audit_queue.h"

#include "../db/audit.h"
#include "routes.h"

bool audit_write(struct request *r, const char *resource_type, const char *resource_id,
                 int status, const json_t *changes) {
  if (request_db(r) == NULL) {
    return false;
  }
  char status_text[8];
  snprintf(status_text, sizeof status_text, "%d", status);
  char *changes_text = changes != NULL ? json_dumps(changes, JSON_COMPACT) : NULL;
  const char *params[] = {r->authenticated ? r->caller.sub : NULL,
                          r->authenticated ? r->caller.roles_literal : "{}",
                          r->http->http_verb,
                          r->route != NULL ? r->route->path : r->http->url_path,
                          resource_type,
                          resource_id,
                          status_text,
                          changes_text,
                          r->id};
  PGresult *res = db_exec(r->db, &AUDIT_INSERT, 9, params);
  bool ok = res != NULL && PQresultStatus(res) == PGRES_COMMAND_OK;
  PQclear(res);
  free(changes_text);
  r->audited = r->audited || ok;
  return ok;
}

/* Now as "YYYY-MM-DDTHH:MM:SS.uuuuuuZ". */
static void now_utc_micro(char buf[64]) {
  struct timespec now;
  struct tm utc;
  clock_gettime(CLOCK_REALTIME, &now);
  gmtime_r(&now.tv_sec, &utc);
  snprintf(buf, 64, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", utc.tm_year + 1900, utc.tm_mon + 1,
           utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, now.tv_nsec / 1000);
}

/* A line of COPY text being built; `failed` once out of memory. */
struct copy_line {
  char *text;
  size_t used;
  size_t size;
  bool failed;
};

static void line_put(struct copy_line *l, const char *bytes, size_t length) {
  if (l->failed) {
    return;
  }
  if (l->used + length + 1 > l->size) {
    size_t size = (l->size + length + 1) * 2;
    char *grown = realloc(l->text, size);
    if (grown == NULL) {
      l->failed = true;
      return;
    }
    l->text = grown;
    l->size = size;
  }
  memcpy(l->text + l->used, bytes, length);
  l->used += length;
  l->text[l->used] = '\0';
}

/* Appends one field (NULL: \N) and its separator (a tab, or the newline after the last): COPY's
 * specials escaped, and any byte that is not valid UTF-8 written as '?'. */
static void line_field(struct copy_line *l, const char *value, bool last) {
  if (value == NULL) {
    line_put(l, "\\N", 2);
  }
  const unsigned char *run = (const unsigned char *)value; /* bytes written as they are */
  for (const unsigned char *c = run; c != NULL && *c != '\0';) {
    size_t length = utf8_sequence_length(c);
    bool special = *c == '\\' || *c == '\t' || *c == '\n' || *c == '\r';
    if (length > 0 && !special) {
      c += length;
      continue;
    }
    line_put(l, (const char *)run, (size_t)(c - run));
    if (special) {
      char escaped[2] = {'\\', *c == '\\' ? '\\' : *c == '\t' ? 't' : *c == '\n' ? 'n' : 'r'};
      line_put(l, escaped, 2);
    } else {
      line_put(l, "?", 1);
    }
    run = ++c;
  }
  if (run != NULL) {
    line_put(l, (const char *)run, strlen((const char *)run));
  }
  line_put(l, last ? "\n" : "\t", 1);
}

bool audit_read(struct request *r, const char *resource_type, const char *resource_id,
                int status, const json_t *shown) {
  char at[64];
  char status_text[8];
  now_utc_micro(at);
  snprintf(status_text, sizeof status_text, "%d", status);
  char *changes = shown != NULL ? json_dumps(shown, JSON_COMPACT) : NULL;
  struct copy_line line = {0};
  line_field(&line, at, false);
  line_field(&line, r->authenticated ? r->caller.sub : NULL, false);
  line_field(&line, r->authenticated ? r->caller.roles_literal : "{}", false);
  line_field(&line, r->http->http_verb, false);
  line_field(&line, r->route != NULL ? r->route->path : r->http->url_path, false);
  line_field(&line, resource_type, false);
  line_field(&line, resource_id, false);
  line_field(&line, status_text, false);
  line_field(&line, changes, false);
  line_field(&line, r->id, true);
  free(changes);
  if (line.failed) {
    free(line.text);
    return false;
  }
  bool queued = audit_queue_add(r->app->audit_queue, line.text,
                                r->app->config.db_acquire_timeout_ms);
  r->audited = r->audited || queued;
  return queued;
}
