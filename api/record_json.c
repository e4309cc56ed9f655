#include "record_json.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/calendar.h"

char *record_json(const PGresult *res, int row, int first) {
  const char *id = PQgetvalue(res, row, first);
  json_t *team = PQgetisnull(res, row, first + 1) ? json_null()
                                                   : json_string(PQgetvalue(res, row, first + 1));
  char *team_text = json_dumps(team, JSON_ENCODE_ANY);
  json_decref(team);
  char created[21];
  char updated[21];
  time_format_utc((time_t)strtoll(PQgetvalue(res, row, first + 3), NULL, 10), created);
  time_format_utc((time_t)strtoll(PQgetvalue(res, row, first + 4), NULL, 10), updated);
  const char *doc = PQgetvalue(res, row, first + 5);
  const char *members = strchr(doc, '{');
  members = members != NULL ? members + 1 : "}";
  while (*members == ' ') {
    members++;
  }
  size_t size = strlen(doc) + 256 + (team_text != NULL ? strlen(team_text) : 4);
  char *json = malloc(size);
  if (json != NULL) {
    snprintf(json, size,
             "{\"id\":\"%s\",\"team\":%s,\"version\":%s,\"created_at\":\"%s\",\"updated_at\":\"%s\"%s%s",
             id, team_text != NULL ? team_text : "null", PQgetvalue(res, row, first + 2), created,
             updated, *members == '}' ? "" : ",", members);
  }
  free(team_text);
  return json;
}

char *record_json_array(const PGresult *res, int limit, int first, char *last_id) {
  int n = PQntuples(res) < limit ? PQntuples(res) : limit;
  size_t size = 3;
  char **items = calloc((size_t)n + 1, sizeof *items);
  last_id[0] = '\0';
  for (int i = 0; items != NULL && i < n; i++) {
    items[i] = record_json(res, i, first);
    size += items[i] != NULL ? strlen(items[i]) + 1 : 0;
  }
  char *array = items != NULL ? malloc(size) : NULL;
  if (array != NULL) {
    size_t used = 0;
    array[used++] = '[';
    for (int i = 0; i < n; i++) {
      if (items[i] != NULL) {
        if (used > 1) {
          array[used++] = ',';
        }
        size_t length = strlen(items[i]);
        memcpy(array + used, items[i], length);
        used += length;
      }
    }
    array[used++] = ']';
    array[used] = '\0';
    if (n > 0) {
      snprintf(last_id, 37, "%s", PQgetvalue(res, n - 1, first));
    }
  }
  for (int i = 0; items != NULL && i < n; i++) {
    free(items[i]);
  }
  free(items);
  return array;
}
