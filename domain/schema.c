#include "schema.h"

#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "dates.h"

void validation_error(json_t *errors, const char *field, const char *message) {
  json_t *name = json_string(field);
  if (name == NULL) { /* a field name cut inside a character is not UTF-8 */
    name = json_string("(a field whose name is too long)");
  }
  json_array_append_new(errors, json_pack("{s:o, s:s}", "field", name, "message", message));
}

const char *schema_string(const json_t *doc, const char *field) {
  return json_string_value(json_object_get(doc, field));
}

static const struct field_spec *find_field(const struct schema *schema, const char *name) {
  for (size_t i = 0; i < schema->count; i++) {
    if (strcmp(schema->fields[i].name, name) == 0) {
      return &schema->fields[i];
    }
  }
  return NULL;
}

bool schema_is_choice(const char *const *choices, const char *value) {
  for (size_t i = 0; value != NULL && choices[i] != NULL; i++) {
    if (strcmp(choices[i], value) == 0) {
      return true;
    }
  }
  return false;
}

/* Counts UTF-8 characters (the bytes that do not continue a sequence). */
static size_t utf8_length(const char *s) {
  size_t n = 0;
  for (; *s != '\0'; s++) {
    if (((unsigned char)*s & 0xC0) != 0x80) {
      n++;
    }
  }
  return n;
}

bool schema_is_uuid(const char *s) {
  if (strlen(s) != 36) {
    return false;
  }
  for (size_t i = 0; i < 36; i++) {
    char c = s[i];
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

static bool check_string(const struct field_spec *f, const json_t *v, const char *path,
                         json_t *errors) {
  if (!json_is_string(v)) {
    validation_error(errors, path, "must be a string");
    return false;
  }
  const char *s = json_string_value(v);
  if (f->required && s[0] == '\0') {
    validation_error(errors, path, "must not be empty");
    return false;
  }
  if (f->max_length > 0 && utf8_length(s) > f->max_length) {
    char message[64];
    snprintf(message, sizeof message, "must be at most %zu characters", f->max_length);
    validation_error(errors, path, message);
    return false;
  }
  return true;
}

static void check_enum(const struct field_spec *f, const json_t *v, const char *path,
                       json_t *errors) {
  if (!json_is_string(v) || !schema_is_choice(f->choices, json_string_value(v))) {
    char message[512] = "must be one of:";
    for (size_t i = 0; f->choices[i] != NULL; i++) {
      size_t used = strlen(message);
      snprintf(message + used, sizeof message - used, " %s", f->choices[i]);
    }
    validation_error(errors, path, message);
  }
}

static void check_array(const struct field_spec *f, const json_t *v, const char *path,
                        json_t *errors) {
  if (!json_is_array(v)) {
    validation_error(errors, path, "must be an array");
    return;
  }
  if (f->max_length > 0 && json_array_size(v) > f->max_length) {
    char message[64];
    snprintf(message, sizeof message, "must have at most %zu items", f->max_length);
    validation_error(errors, path, message);
    return;
  }
  size_t i;
  const json_t *item;
  json_array_foreach(v, i, item) {
    char item_path[300];
    snprintf(item_path, sizeof item_path, "%.256s[%zu]", path, i);
    if (f->type == FIELD_OBJECT_ARRAY) {
      if (!json_is_object(item)) {
        validation_error(errors, item_path, "must be an object");
      } else {
        schema_validate(f->nested, item, item_path, errors);
      }
    } else if (f->type == FIELD_ENUM_ARRAY) {
      struct field_spec one = *f;
      one.type = FIELD_ENUM;
      check_enum(&one, item, item_path, errors);
    } else if (!json_is_string(item) || json_string_value(item)[0] == '\0') {
      validation_error(errors, item_path, "must be a non-empty string");
    }
  }
}

/* Checks one present, non-null value against its spec. */
static void check_value(const struct field_spec *f, const json_t *v, const char *path,
                        json_t *errors) {
  struct date d;
  switch (f->type) {
  case FIELD_STRING:
    check_string(f, v, path, errors);
    break;
  case FIELD_DATE:
    if (!json_is_string(v) || !date_parse(json_string_value(v), &d)) {
      validation_error(errors, path, "must be a real date YYYY-MM-DD");
    }
    break;
  case FIELD_UUID:
    if (!json_is_string(v) || !schema_is_uuid(json_string_value(v))) {
      validation_error(errors, path, "must be a UUID");
    }
    break;
  case FIELD_BOOL:
    if (!json_is_boolean(v)) {
      validation_error(errors, path, "must be true or false");
    }
    break;
  case FIELD_INT:
    if (!json_is_integer(v) || json_integer_value(v) < f->min || json_integer_value(v) > f->max) {
      char message[96];
      snprintf(message, sizeof message, "must be a whole number from %ld to %ld", f->min, f->max);
      validation_error(errors, path, message);
    }
    break;
  case FIELD_ENUM:
    check_enum(f, v, path, errors);
    break;
  case FIELD_STRING_ARRAY:
  case FIELD_ENUM_ARRAY:
  case FIELD_OBJECT_ARRAY:
    check_array(f, v, path, errors);
    break;
  case FIELD_OBJECT:
    if (!json_is_object(v)) {
      validation_error(errors, path, "must be an object");
    } else {
      schema_validate(f->nested, v, path, errors);
    }
    break;
  case FIELD_READ_ONLY:
    validation_error(errors, path, "read-only field");
    break;
  }
}

static void join_path(char *out, size_t size, const char *prefix, const char *name) {
  if (prefix[0] == '\0') {
    snprintf(out, size, "%s", name);
  } else {
    snprintf(out, size, "%s.%s", prefix, name);
  }
}

bool schema_validate(const struct schema *schema, const json_t *doc, const char *prefix,
                     json_t *errors) {
  size_t before = json_array_size(errors);
  const char *key;
  const json_t *value;
  char path[256];
  json_object_foreach((json_t *)doc, key, value) {
    if (find_field(schema, key) == NULL) {
      join_path(path, sizeof path, prefix, key);
      validation_error(errors, path, "unknown field");
    }
  }
  for (size_t i = 0; i < schema->count; i++) {
    const struct field_spec *f = &schema->fields[i];
    const json_t *v = json_object_get(doc, f->name);
    join_path(path, sizeof path, prefix, f->name);
    if (v == NULL || json_is_null(v)) {
      if (f->required) {
        validation_error(errors, path, "is required");
      }
      continue;
    }
    check_value(f, v, path, errors);
  }
  return json_array_size(errors) == before;
}

bool schema_past_time(const json_t *doc, const char *field, time_t now, time_t *out,
                      json_t *errors) {
  const json_t *value = json_object_get(doc, field);
  *out = now;
  if (value == NULL || json_is_null(value)) {
    return true;
  }
  if (!json_is_string(value)) {
    return false; /* the schema names it */
  }
  if (!date_from_time_string(json_string_value(value), out)) {
    validation_error(errors, field, "must be an RFC 3339 time");
    return false;
  }
  if (*out > now + 60) {
    validation_error(errors, field, "must not be in the future");
    return false;
  }
  return true;
}

bool text_recorded(const char *text) {
  return text != NULL && text[strspn(text, " \t\r\n")] != '\0';
}
