/* A small writer of JSON text into a growing buffer, for answers composed from database columns
 * (faster than building them as JSON in SQL). Strings are escaped as RFC 8259 says. */
#ifndef API_JSON_WRITER_H
#define API_JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct json_writer {
  char *text;  /* NUL-terminated; owned by the writer until json_writer_take */
  size_t used;
  size_t size;
  bool failed; /* out of memory: everything after is dropped */
  bool first;  /* no member or item yet at this level */
};

void json_writer_init(struct json_writer *w);

/* Appends raw JSON text (punctuation, numbers, already-encoded values). */
void json_writer_raw(struct json_writer *w, const char *text);

/* Appends `s` as a JSON string, or null when `s` is NULL. */
void json_writer_string(struct json_writer *w, const char *s);

/* Starts a member: a comma when needed, then "key": . The key is one of the service's own member
 * names (written as it is, not escaped). */
void json_writer_key(struct json_writer *w, const char *key);

/* Members of an object being written: a string (NULL: null), a number written as given, and a
 * time in seconds since the epoch written RFC 3339 UTC (NULL or "": null). */
void json_writer_member_string(struct json_writer *w, const char *key, const char *value);
void json_writer_member_number(struct json_writer *w, const char *key, const char *digits);
void json_writer_member_time(struct json_writer *w, const char *key, const char *epoch);

/* Starts an object or array (`open` is "{" or "["): its first member needs no comma. */
void json_writer_open(struct json_writer *w, const char *open);
void json_writer_close(struct json_writer *w, const char *close);

/* Before an item of an array: a comma unless it is the first. */
void json_writer_item(struct json_writer *w);

/* Hands the text to the caller (who frees it), or NULL when the writer ran out of memory. */
char *json_writer_take(struct json_writer *w);

#endif
