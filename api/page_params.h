/* The paging parameters of a list, read from their text alone (no request): ?limit= (1..200,
 * default 50) and the opaque ?after= cursor, the base64url of the key of the last row of the
 * previous page. Pure, so that the fuzz harness (tests/fuzz) can call it. */
#ifndef API_PAGE_PARAMS_H
#define API_PAGE_PARAMS_H

#define PAGE_DEFAULT_LIMIT 50
#define PAGE_MAX_LIMIT 200

/* The longest key a cursor carries (a chronology's "epoch microseconds|kind|uuid"). */
#define PAGE_KEY_MAX 120

/* base64url of a key of PAGE_KEY_MAX bytes, and room to spare. */
#define PAGE_CURSOR_MAX (4 * (PAGE_KEY_MAX / 3 + 1) + 8)

struct page {
  char limit[8];                /* as text, ready to be a query parameter */
  char after[PAGE_KEY_MAX + 1]; /* the decoded key, "" for the first page */
};

enum page_key_kind { PAGE_KEY_UUID, PAGE_KEY_INTEGER, PAGE_KEY_TEXT };

/* Reads the parameters `limit` and `after` (each NULL when absent) of a list whose keys are of
 * `kind` into *page. Returns NULL when both are acceptable, otherwise the detail (static text)
 * of the 400 to answer; *page is then unspecified. */
const char *page_params_parse(enum page_key_kind kind, const char *limit, const char *after,
                              struct page *page);

#endif
