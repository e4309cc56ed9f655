#include "json_writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/calendar.h"

void json_writer_init(struct json_writer *w) {
  w->size = 1024;
  w->used = 0;
  w->text = malloc(w->size);
  w->failed = w->text == NULL;
  w->first = true;
  if (!w->failed) {
    w->text[0] = '\0';
  }
}

/* Makes room for `more` bytes and the NUL. */
static bool reserve(struct json_writer *w, size_t more) {
  if (w->failed) {
    return false;
  }
  if (w->used + more + 1 <= w->size) {
    return true;
  }
  size_t size = w->size;
  while (w->used + more + 1 > size) {
    size *= 2;
  }
  char *grown = realloc(w->text, size);
  if (grown == NULL) {
    w->failed = true;
    return false;
  }
  w->text = grown;
  w->size = size;
  return true;
}

static void append(struct json_writer *w, const char *bytes, size_t length) {
  if (reserve(w, length)) {
    memcpy(w->text + w->used, bytes, length);
    w->used += length;
    w->text[w->used] = '\0';
  }
}

void json_writer_raw(struct json_writer *w, const char *text) {
  append(w, text, strlen(text));
}

void json_writer_string(struct json_writer *w, const char *s) {
  if (s == NULL) {
    append(w, "null", 4);
    return;
  }
  append(w, "\"", 1);
  const char *run = s;
  for (const char *c = s; *c != '\0'; c++) {
    unsigned char byte = (unsigned char)*c;
    if (byte >= 0x20 && byte != '"' && byte != '\\') {
      continue;
    }
    append(w, run, (size_t)(c - run));
    char escaped[8];
    if (byte == '"' || byte == '\\') {
      snprintf(escaped, sizeof escaped, "\\%c", byte);
    } else {
      snprintf(escaped, sizeof escaped, "\\u%04x", byte);
    }
    append(w, escaped, strlen(escaped));
    run = c + 1;
  }
  append(w, run, strlen(run));
  append(w, "\"", 1);
}

void json_writer_key(struct json_writer *w, const char *key) {
  size_t length = strlen(key);
  if (!reserve(w, length + 4)) {
    return;
  }
  char *out = w->text + w->used;
  if (!w->first) {
    *out++ = ',';
  }
  w->first = false;
  *out++ = '"';
  memcpy(out, key, length); /* keys are the service's own names: nothing to escape */
  out += length;
  *out++ = '"';
  *out++ = ':';
  *out = '\0';
  w->used = (size_t)(out - w->text);
}

void json_writer_member_string(struct json_writer *w, const char *key, const char *value) {
  json_writer_key(w, key);
  json_writer_string(w, value);
}

void json_writer_member_number(struct json_writer *w, const char *key, const char *digits) {
  json_writer_key(w, key);
  json_writer_raw(w, digits != NULL && digits[0] != '\0' ? digits : "null");
}

void json_writer_member_time(struct json_writer *w, const char *key, const char *epoch) {
  json_writer_key(w, key);
  if (epoch == NULL || epoch[0] == '\0') {
    json_writer_raw(w, "null");
    return;
  }
  char text[21];
  time_format_utc((time_t)strtoll(epoch, NULL, 10), text);
  json_writer_string(w, text);
}

void json_writer_open(struct json_writer *w, const char *open) {
  json_writer_raw(w, open);
  w->first = true;
}

void json_writer_close(struct json_writer *w, const char *close) {
  json_writer_raw(w, close);
  w->first = false;
}

void json_writer_item(struct json_writer *w) {
  if (!w->first) {
    append(w, ",", 1);
  }
  w->first = false;
}

char *json_writer_take(struct json_writer *w) {
  char *text = w->failed ? NULL : w->text;
  if (w->failed) {
    free(w->text);
  }
  w->text = NULL;
  return text;
}
