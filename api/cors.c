#include "cors.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "routes.h"

#define CORS_ALLOWED_HEADERS "Authorization, Content-Type, If-Match, Idempotency-Key"
#define CORS_EXPOSED_HEADERS "ETag, Location, Retry-After, X-Request-Id, Idempotent-Replayed"
#define CORS_MAX_AGE "600"

/* Whether `origin` is one of the comma-separated `allowed` origins, exactly. */
static bool origin_allowed(const char *allowed, const char *origin) {
  if (allowed == NULL || origin == NULL || origin[0] == '\0') {
    return false;
  }
  size_t length = strlen(origin);
  const char *entry = allowed;
  while (*entry != '\0') {
    entry += strspn(entry, " ,");
    size_t entry_length = strcspn(entry, ",");
    while (entry_length > 0 && entry[entry_length - 1] == ' ') {
      entry_length--;
    }
    if (entry_length == length && strncmp(entry, origin, length) == 0) {
      return true;
    }
    entry += strcspn(entry, ",");
  }
  return false;
}

/* Whether `method` is one of the methods of `allowed` ("GET, POST"). */
static bool method_listed(const char *allowed, const char *method) {
  size_t length = strlen(method);
  for (const char *m = allowed; *m != '\0'; m += strspn(m, ", ")) {
    size_t token = strcspn(m, ",");
    if (token == length && strncmp(m, method, length) == 0) {
      return true;
    }
    m += token;
  }
  return false;
}

static const char *request_origin(const struct request *r) {
  return u_map_get_case(r->http->map_header, "Origin");
}

void cors_decorate(struct request *r) {
  const char *origin = request_origin(r);
  if (origin_allowed(r->app->config.cors_origins, origin)) {
    set_header(r, "Access-Control-Allow-Origin", origin);
    set_header(r, "Access-Control-Expose-Headers", CORS_EXPOSED_HEADERS);
  }
  if (r->app->config.cors_origins != NULL) {
    set_header(r, "Vary", "Origin");
  }
}

bool cors_preflight(struct request *r) {
  if (strcasecmp(r->http->http_verb, "OPTIONS") != 0) {
    return false;
  }
  char allowed[64];
  if (routes_allowed_methods(r->http->url_path, allowed, sizeof allowed)[0] == '\0') {
    respond_problem(r, 404, "not-found", "There is no such route.");
    return true;
  }
  const char *origin = request_origin(r);
  const char *asked = u_map_get_case(r->http->map_header, "Access-Control-Request-Method");
  if (!origin_allowed(r->app->config.cors_origins, origin)) {
    respond_problem(r, 403, "forbidden", "This origin may not call the service from a browser.");
    return true;
  }
  if (asked == NULL || !method_listed(allowed, asked)) {
    respond_problem(r, 405, "method-not-allowed", "This method is not allowed here.");
    set_header(r, "Allow", allowed);
    return true;
  }
  r->status = 204;
  ulfius_set_empty_body_response(r->response, 204);
  set_header(r, "Access-Control-Allow-Methods", allowed);
  set_header(r, "Access-Control-Allow-Headers", CORS_ALLOWED_HEADERS);
  set_header(r, "Access-Control-Max-Age", CORS_MAX_AGE);
  return true;
}
