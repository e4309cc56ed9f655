#include "pagination.h"

#include <ctype.h>
#include <orcania.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/schema.h"

/* base64url of a key of PAGE_KEY_MAX bytes, and room to spare. */
#define PAGE_CURSOR_MAX (4 * (PAGE_KEY_MAX / 3 + 1) + 8)

static bool key_valid(enum page_key_kind kind, const char *key) {
  size_t n = strlen(key);
  if (n == 0) {
    return false;
  }
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)key[i];
    bool ok = kind == PAGE_KEY_INTEGER ? isdigit(c) != 0 : isprint(c) != 0;
    if (!ok) {
      return false;
    }
  }
  if (kind == PAGE_KEY_UUID) {
    return schema_is_uuid(key);
  }
  return kind != PAGE_KEY_INTEGER || n <= 18; /* fits a bigint */
}

bool page_read(struct request *r, enum page_key_kind kind, struct page *page) {
  const char *limit = query_param(r, "limit");
  const char *after = query_param(r, "after");
  long n = PAGE_DEFAULT_LIMIT;
  if (limit != NULL) {
    char *end;
    n = strtol(limit, &end, 10);
    if (end == limit || *end != '\0' || n < 1 || n > PAGE_MAX_LIMIT) {
      respond_problem(r, 400, "bad-request", "limit must be a whole number from 1 to 200.");
      return false;
    }
  }
  snprintf(page->limit, sizeof page->limit, "%ld", n);
  page->after[0] = '\0';
  if (after != NULL) {
    unsigned char decoded[PAGE_CURSOR_MAX]; /* base64 decodes to fewer bytes than it has */
    size_t decoded_length = 0;
    size_t length = strlen(after);
    if (length == 0 || length >= PAGE_CURSOR_MAX ||
        !o_base64url_decode((const unsigned char *)after, length, decoded, &decoded_length) ||
        decoded_length >= sizeof page->after) {
      respond_problem(r, 400, "bad-request", "after is not a cursor this service gave.");
      return false;
    }
    memcpy(page->after, decoded, decoded_length);
    page->after[decoded_length] = '\0';
    if (!key_valid(kind, page->after)) {
      respond_problem(r, 400, "bad-request", "after is not a cursor this service gave.");
      return false;
    }
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
