#include "pagination.h"

#include <orcania.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool page_read(struct request *r, enum page_key_kind kind, struct page *page) {
  const char *problem =
      page_params_parse(kind, query_param(r, "limit"), query_param(r, "after"), page);
  if (problem != NULL) {
    respond_problem(r, 400, "bad-request", problem);
    return false;
  }
  return true;
}

const char *page_after_param(const struct page *page) {
  return page->after[0] != '\0' ? page->after : NULL;
}

/* Writes the `next` member's JSON text for a page whose last row has `last_key` into `next`
 * ("null" on the last page). False when the key is too long to be a cursor. */
static bool next_cursor(const char *last_key, bool more, char next[PAGE_CURSOR_MAX + 4]) {
  snprintf(next, PAGE_CURSOR_MAX + 4, "null");
  size_t key_length = last_key != NULL ? strlen(last_key) : 0;
  if (key_length > PAGE_KEY_MAX) {
    return false;
  }
  if (more && key_length > 0) {
    unsigned char encoded[PAGE_CURSOR_MAX];
    size_t encoded_length = 0;
    if (o_base64url_encode((const unsigned char *)last_key, key_length, encoded,
                           &encoded_length)) {
      snprintf(next, PAGE_CURSOR_MAX + 4, "\"%.*s\"", (int)encoded_length,
               (const char *)encoded);
    }
  }
  return true;
}

json_t *page_next(const char *last_key, bool more) {
  char next[PAGE_CURSOR_MAX + 4];
  if (!next_cursor(last_key, more, next)) {
    return NULL;
  }
  return json_loads(next, JSON_DECODE_ANY, NULL);
}

void page_respond(struct request *r, const char *items_json, const char *last_key, bool more) {
  char next[PAGE_CURSOR_MAX + 4];
  if (!next_cursor(last_key, more, next)) {
    respond_problem(r, 500, "internal", "The list's cursor could not be written.");
    return;
  }
  size_t size = strlen(items_json) + strlen(next) + 32;
  char *body = malloc(size);
  if (body == NULL) {
    respond_problem(r, 500, "internal", "The answer could not be written.");
    return;
  }
  snprintf(body, size, "{\"items\":%s,\"next\":%s}", items_json, next);
  respond_json_text(r, 200, body);
  free(body);
}

void page_respond_result(struct request *r, const PGresult *res) {
  page_respond(r, PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
               strcmp(PQgetvalue(res, 0, 2), "t") == 0);
}
