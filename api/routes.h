/* The route table: every path the service answers, its handler, and how it is audited. */
#ifndef API_ROUTES_H
#define API_ROUTES_H

#include <stdbool.h>
#include <stddef.h>

#include "http.h"

typedef void (*route_handler)(struct request *r);

struct route {
  const char *method;
  const char *path;          /* "/v1/children/:id": ":name" is one segment */
  route_handler handler;
  const char *resource_type; /* audited kind of record ("child"), or NULL */
  int id_segment;            /* path segment holding the record id, or -1 */
  bool public;               /* answered without a token */
  bool audit_reads;          /* a successful read is audited (a child's record, R1) */
};

/* The table, and its length. */
const struct route *routes_all(size_t *count);

/* The route answering `method` on `url_path` (the first in the table whose path matches segment
 * by segment, ":name" matching any one segment), with its index in *index; NULL when there is
 * none (*index untouched). */
const struct route *routes_find(const char *method, const char *url_path, size_t *index);

/* Writes the methods of the routes matching `url_path` ("GET, PATCH") into buf; "" when no
 * route has that path (so 404 rather than 405). Returns buf. */
char *routes_allowed_methods(const char *url_path, char *buf, size_t size);

#endif
