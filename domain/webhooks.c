#include "webhooks.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* RFC 3986: unreserved, sub-delims and the general delimiters a URL without a fragment uses.
 * '%' is checked apart (it must start an escape). */
static bool url_char(unsigned char c) {
  return isalnum(c) || strchr("-._~!$&'()*+,;=:/?@[]", c) != NULL;
}

static int hex_value(unsigned char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  c = (unsigned char)tolower(c);
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Every character is one a URL may hold, and every '%' starts an escape. */
static bool url_characters_ok(const char *text) {
  for (const unsigned char *c = (const unsigned char *)text; *c != '\0'; c++) {
    if (*c == '%') {
      if (hex_value(c[1]) < 0 || hex_value(c[2]) < 0) {
        return false;
      }
      c += 2;
    } else if (!url_char(*c)) {
      return false;
    }
  }
  return true;
}

/* A host name or IPv4 address: letters, digits, hyphens, dot-separated non-empty labels. */
static bool host_name_ok(const char *host, size_t length) {
  if (length == 0 || length > 253 || host[0] == '.' || host[length - 1] == '.') {
    return false;
  }
  for (size_t i = 0; i < length; i++) {
    unsigned char c = (unsigned char)host[i];
    if (!(isalnum(c) || c == '-' || c == '.') || (c == '.' && host[i + 1] == '.')) {
      return false;
    }
  }
  return true;
}

/* An IPv6 literal in brackets: hex digits, ':' and '.' (an embedded IPv4), one ':' at least. */
static bool host_ipv6_ok(const char *host, size_t length) {
  if (length < 4 || host[0] != '[' || host[length - 1] != ']') {
    return false;
  }
  bool colon = false;
  for (size_t i = 1; i + 1 < length; i++) {
    unsigned char c = (unsigned char)host[i];
    if (!(isxdigit(c) || c == ':' || c == '.')) {
      return false;
    }
    colon = colon || c == ':';
  }
  return colon;
}

/* Parses the authority (host and optional port, no userinfo) into out. */
static bool authority_parse(const char *authority, size_t length, bool https,
                            struct webhook_url *out) {
  if (length == 0 || memchr(authority, '@', length) != NULL) {
    return false;
  }
  size_t host_length;
  if (authority[0] == '[') {
    const char *close = memchr(authority, ']', length);
    if (close == NULL) {
      return false;
    }
    host_length = (size_t)(close - authority) + 1;
    if (!host_ipv6_ok(authority, host_length)) {
      return false;
    }
  } else {
    const char *colon = memchr(authority, ':', length);
    host_length = colon != NULL ? (size_t)(colon - authority) : length;
    if (!host_name_ok(authority, host_length)) {
      return false;
    }
  }
  if (host_length >= sizeof out->host) {
    return false;
  }
  for (size_t i = 0; i < host_length; i++) {
    out->host[i] = (char)tolower((unsigned char)authority[i]);
  }
  out->host[host_length] = '\0';
  out->port = https ? 443 : 80;
  const char *rest = authority + host_length;
  size_t rest_length = length - host_length;
  if (rest_length == 0) {
    return true;
  }
  if (rest[0] != ':' || rest_length < 2 || rest_length > 6) {
    return false;
  }
  unsigned port = 0;
  for (size_t i = 1; i < rest_length; i++) {
    if (!isdigit((unsigned char)rest[i])) {
      return false;
    }
    port = port * 10 + (unsigned)(rest[i] - '0');
  }
  if (port == 0 || port > 65535) {
    return false;
  }
  out->port = port;
  return true;
}

/* Whether one path segment (`length` bytes, escapes undone) is "." or "..", or hides a '/', a
 * '\' or a NUL in an escape. */
static bool segment_ok(const char *segment, size_t length) {
  char decoded[8];
  size_t n = 0;
  for (size_t i = 0; i < length; i++) {
    unsigned char c = (unsigned char)segment[i];
    if (c == '%') {
      c = (unsigned char)(hex_value((unsigned char)segment[i + 1]) * 16 +
                          hex_value((unsigned char)segment[i + 2]));
      i += 2;
      if (c == '/' || c == '\\' || c == '\0') {
        return false;
      }
    }
    if (n < sizeof decoded) {
      decoded[n] = (char)c;
    }
    n++;
  }
  return !((n == 1 && decoded[0] == '.') || (n == 2 && decoded[0] == '.' && decoded[1] == '.'));
}

static bool path_ok(const char *path, size_t length) {
  if (memchr(path, '[', length) != NULL || memchr(path, ']', length) != NULL) {
    return false;
  }
  size_t start = 1; /* after the leading '/' */
  for (size_t i = 1; i <= length; i++) {
    if (i == length || path[i] == '/') {
      if (!segment_ok(path + start, i - start)) {
        return false;
      }
      start = i + 1;
    }
  }
  return true;
}

bool webhook_url_parse(const char *text, struct webhook_url *out) {
  memset(out, 0, sizeof *out);
  size_t length = text != NULL ? strlen(text) : 0;
  if (length == 0 || length > WEBHOOK_URL_MAX || !url_characters_ok(text)) {
    return false;
  }
  const char *p;
  if (strncasecmp(text, "https://", 8) == 0) {
    out->https = true;
    p = text + 8;
  } else if (strncasecmp(text, "http://", 7) == 0) {
    p = text + 7;
  } else {
    return false;
  }
  size_t authority_length = strcspn(p, "/?");
  if (!authority_parse(p, authority_length, out->https, out)) {
    return false;
  }
  const char *path = p + authority_length;
  size_t path_length = strcspn(path, "?");
  const char *query = path + path_length;
  if (memchr(query, '[', strlen(query)) != NULL || memchr(query, ']', strlen(query)) != NULL) {
    return false;
  }
  if (path_length == 0) {
    strcpy(out->path, "/");
    return true;
  }
  if (!path_ok(path, path_length)) {
    return false;
  }
  memcpy(out->path, path, path_length);
  out->path[path_length] = '\0';
  return true;
}

/* Whether `path` is `prefix` or under it, at a segment boundary. */
static bool path_under(const char *prefix, const char *path) {
  size_t n = strlen(prefix);
  if (strncmp(path, prefix, n) != 0) {
    return false;
  }
  return prefix[n - 1] == '/' || path[n] == '\0' || path[n] == '/';
}

/* Whether `url` matches the one allowlist entry `entry` (`length` bytes, trimmed). */
static bool prefix_admits(const char *entry, size_t length, const struct webhook_url *url) {
  char text[WEBHOOK_URL_MAX + 1];
  if (length == 0 || length > WEBHOOK_URL_MAX || memchr(entry, '?', length) != NULL) {
    return false;
  }
  memcpy(text, entry, length);
  text[length] = '\0';
  /* "scheme://host:" is any port: take the bare colon out before parsing */
  const char *scheme_end = strstr(text, "://");
  bool any_port = false;
  if (scheme_end != NULL) {
    char *authority = (char *)scheme_end + 3;
    size_t authority_length = strcspn(authority, "/");
    if (authority_length > 0 && authority[authority_length - 1] == ':') {
      any_port = true;
      memmove(authority + authority_length - 1, authority + authority_length,
              strlen(authority + authority_length) + 1);
    }
  }
  struct webhook_url prefix;
  if (!webhook_url_parse(text, &prefix)) {
    return false;
  }
  return prefix.https == url->https && strcmp(prefix.host, url->host) == 0 &&
         (any_port || prefix.port == url->port) && path_under(prefix.path, url->path);
}

bool webhook_url_allowed(const char *url, const char *allowlist) {
  struct webhook_url parsed;
  if (allowlist == NULL || !webhook_url_parse(url, &parsed)) {
    return false;
  }
  const char *entry = allowlist;
  while (*entry != '\0') {
    size_t length = strcspn(entry, ",");
    const char *next = entry + length + (entry[length] == ',' ? 1 : 0);
    while (length > 0 && isspace((unsigned char)*entry)) {
      entry++;
      length--;
    }
    while (length > 0 && isspace((unsigned char)entry[length - 1])) {
      length--;
    }
    if (prefix_admits(entry, length, &parsed)) {
      return true;
    }
    entry = next;
  }
  return false;
}

/* Dot-separated non-empty segments of a-z, 0-9 and _. */
static bool type_ok(const char *type, size_t length) {
  if (length == 0 || type[0] == '.' || type[length - 1] == '.') {
    return false;
  }
  for (size_t i = 0; i < length; i++) {
    char c = type[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
              (c == '.' && type[i + 1] != '.');
    if (!ok) {
      return false;
    }
  }
  return true;
}

bool webhook_pattern_valid(const char *pattern) {
  size_t length = pattern != NULL ? strlen(pattern) : 0;
  if (length == 0 || length > WEBHOOK_PATTERN_MAX) {
    return false;
  }
  if (strcmp(pattern, "*") == 0) {
    return true;
  }
  if (length > 2 && strcmp(pattern + length - 2, ".*") == 0) {
    return type_ok(pattern, length - 2);
  }
  return type_ok(pattern, length);
}

bool webhook_pattern_matches(const char *pattern, const char *type) {
  size_t length = strlen(pattern);
  if (strcmp(pattern, "*") == 0) {
    return true;
  }
  if (length > 2 && strcmp(pattern + length - 2, ".*") == 0) {
    /* the prefix with its dot, and something after it */
    return strncmp(type, pattern, length - 1) == 0 && type[length - 1] != '\0';
  }
  return strcmp(pattern, type) == 0;
}

bool webhook_patterns_match(const char *const *patterns, size_t count, const char *type) {
  for (size_t i = 0; i < count; i++) {
    if (webhook_pattern_matches(patterns[i], type)) {
      return true;
    }
  }
  return false;
}

long webhook_backoff_seconds(int failures) {
  if (failures <= 0) {
    return 0;
  }
  long wait = WEBHOOK_BACKOFF_BASE_SECONDS;
  for (int i = 1; i < failures && wait < WEBHOOK_BACKOFF_CAP_SECONDS; i++) {
    wait *= 2;
  }
  return wait < WEBHOOK_BACKOFF_CAP_SECONDS ? wait : WEBHOOK_BACKOFF_CAP_SECONDS;
}

char *webhook_signed_string(long long timestamp, const char *body, size_t length,
                            size_t *out_length) {
  char stamp[24];
  int stamp_length = snprintf(stamp, sizeof stamp, "%lld.", timestamp);
  char *text = malloc((size_t)stamp_length + length + 1);
  if (text == NULL) {
    return NULL;
  }
  memcpy(text, stamp, (size_t)stamp_length);
  memcpy(text + stamp_length, body, length);
  text[(size_t)stamp_length + length] = '\0';
  *out_length = (size_t)stamp_length + length;
  return text;
}

void webhook_signature_header(const unsigned char mac[32], char out[72]) {
  static const char digits[] = "0123456789abcdef";
  memcpy(out, "sha256=", 7);
  for (size_t i = 0; i < 32; i++) {
    out[7 + 2 * i] = digits[mac[i] >> 4];
    out[8 + 2 * i] = digits[mac[i] & 15];
  }
  out[71] = '\0';
}
