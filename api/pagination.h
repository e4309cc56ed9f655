/* Keyset pagination: ?limit= (1..200, default 50) and an opaque ?after= cursor that encodes the
 * key of the last row of the previous page. Answers are {"items": [...], "next": cursor|null}. */
#ifndef API_PAGINATION_H
#define API_PAGINATION_H

#include <jansson.h>
#include <stdbool.h>

#include "http.h"
#include "page_params.h"

/* Reads the paging parameters. On a bad limit or cursor answers 400 and returns false. */
bool page_read(struct request *r, enum page_key_kind kind, struct page *page);

/* The `after` key as a query parameter: NULL for the first page. */
const char *page_after_param(const struct page *page);

/* Answers 200 with the page: `items_json` is a JSON array's text, `last_key` the key of its last
 * row, `more` whether rows follow. */
void page_respond(struct request *r, const char *items_json, const char *last_key, bool more);

/* The `next` member of a page composed in C: the cursor after `last_key` as a JSON string when
 * `more` rows follow, else JSON null; NULL when the key is too long to be a cursor. Owned by
 * the caller. */
json_t *page_next(const char *last_key, bool more);

/* Answers from a result whose first row holds (items_json, last_key, more), as every list
 * statement returns. */
void page_respond_result(struct request *r, const PGresult *res);

#endif
