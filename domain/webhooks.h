/* Webhooks (issue 7), the parts without HTTP, SQL or a clock: where a subscription may send (a
 * URL checked against the configured allowlist on its parsed form, OWASP API7), which events a
 * subscription's patterns take, when a failed delivery is tried again, and what is signed. */
#ifndef DOMAIN_WEBHOOKS_H
#define DOMAIN_WEBHOOKS_H

#include <stdbool.h>
#include <stddef.h>

#define WEBHOOK_URL_MAX 2048
#define WEBHOOK_PATTERN_MAX 100    /* characters of one event type pattern */
#define WEBHOOK_PATTERNS_MAX 50    /* patterns of one subscription */
#define WEBHOOK_SECRET_MIN 32      /* characters */
#define WEBHOOK_SECRET_MAX 256

/* The retry schedule: the first retry after WEBHOOK_BACKOFF_BASE_SECONDS, each next one after
 * twice as long, never more than WEBHOOK_BACKOFF_CAP_SECONDS apart, for
 * WEBHOOK_RETRY_WINDOW_SECONDS after the delivery was queued (or resent); then it is failed and
 * the next one goes. */
#define WEBHOOK_BACKOFF_BASE_SECONDS 1L
#define WEBHOOK_BACKOFF_CAP_SECONDS 3600L
#define WEBHOOK_RETRY_WINDOW_SECONDS 86400L

/* An absolute http(s) URL taken apart. */
struct webhook_url {
  bool https;
  char host[256];       /* lower case; an IPv6 literal keeps its brackets */
  unsigned port;        /* as written, or the scheme's default (80, 443) */
  char path[WEBHOOK_URL_MAX + 1]; /* "/" at least; the query is not part of it */
};

/* Parses `text` as an absolute http or https URL, strictly: only RFC 3986 characters, no
 * userinfo ("user@host"), no fragment, no backslash, a host of letters, digits, dots and hyphens
 * (or an IPv6 literal), a port 1-65535 when one is written, and no "." or ".." path segment (nor
 * their percent-encoded forms, nor an encoded "/" or "\"). Returns true and fills *out when it is
 * one such URL. */
bool webhook_url_parse(const char *text, struct webhook_url *out);

/* Whether `url` may receive webhooks under `allowlist` (comma-separated prefixes, NULL or empty:
 * nowhere). A prefix is "scheme://host", then ":port" (or a bare ":" for any port; no port: the
 * scheme's default only), then an optional path. The URL matches a prefix when it parses
 * (webhook_url_parse), has the same scheme and the same host (whole, not a prefix of it), a
 * matching port, and a path that starts with the prefix's path at a segment boundary ("/hooks"
 * takes "/hooks" and "/hooks/x", never "/hooksevil"; "/hooks/" takes what is under it). A prefix
 * that does not parse matches nothing. */
bool webhook_url_allowed(const char *url, const char *allowlist);

/* Whether `pattern` is an event type pattern: "*" (every type), a type ("match.decided") or a
 * type's prefix ending ".*" ("placement.*"); a type is dot-separated segments of a-z, 0-9, _. */
bool webhook_pattern_valid(const char *pattern);

/* Whether event type `type` matches the (valid) `pattern`. */
bool webhook_pattern_matches(const char *pattern, const char *type);

/* Whether `type` matches any of the `count` patterns. */
bool webhook_patterns_match(const char *const *patterns, size_t count, const char *type);

/* The wait, in seconds, before the attempt that follows `failures` failed attempts in a row:
 * WEBHOOK_BACKOFF_BASE_SECONDS doubled for each failure after the first, capped at
 * WEBHOOK_BACKOFF_CAP_SECONDS; 0 when nothing failed yet. */
long webhook_backoff_seconds(int failures);

/* The string a delivery's signature covers: "<timestamp>.<body>" (the body's `length` bytes as
 * sent). Returns a new NUL-terminated string (the caller frees it) and its length in *out_length,
 * or NULL when out of memory. */
char *webhook_signed_string(long long timestamp, const char *body, size_t length,
                            size_t *out_length);

/* Writes "sha256=<64 lower-case hex digits>" for the 32-byte `mac` into out (72 bytes at least). */
void webhook_signature_header(const unsigned char mac[32], char out[72]);

#endif
