#include "page_params.h"

#include <ctype.h>
#include <orcania.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/schema.h"

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

const char *page_params_parse(enum page_key_kind kind, const char *limit, const char *after,
                              struct page *page) {
  long n = PAGE_DEFAULT_LIMIT;
  if (limit != NULL) {
    char *end;
    n = strtol(limit, &end, 10);
    if (end == limit || *end != '\0' || n < 1 || n > PAGE_MAX_LIMIT) {
      return "limit must be a whole number from 1 to 200.";
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
      return "after is not a cursor this service gave.";
    }
    memcpy(page->after, decoded, decoded_length);
    page->after[decoded_length] = '\0';
    if (!key_valid(kind, page->after)) {
      return "after is not a cursor this service gave.";
    }
  }
  return NULL;
}
