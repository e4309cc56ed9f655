/* Shape checks for JSON request documents: each field's type, presence and range, unknown
 * fields refused, and every failure named by its path ("disability.needs", "carers[1].given_name")
 * so that one answer lists them all. Policy checks that span fields live in the resource's rules. */
#ifndef DOMAIN_SCHEMA_H
#define DOMAIN_SCHEMA_H

#include <jansson.h>
#include <stdbool.h>
#include <time.h>
#include <stddef.h>

enum field_type {
  FIELD_STRING,
  FIELD_DATE,         /* "YYYY-MM-DD", a real date */
  FIELD_UUID,
  FIELD_BOOL,
  FIELD_INT,
  FIELD_ENUM,         /* a string among `choices` */
  FIELD_STRING_ARRAY,
  FIELD_ENUM_ARRAY,   /* an array of strings among `choices` */
  FIELD_OBJECT,       /* checked against `nested` */
  FIELD_OBJECT_ARRAY, /* each item checked against `nested` */
  FIELD_READ_ONLY,    /* set by the service: present in a request is an error */
};

struct schema;

struct field_spec {
  const char *name;
  enum field_type type;
  bool required;                /* absent (or null) is an error */
  size_t max_length;            /* strings: characters; arrays: items; 0 = no limit */
  const char *const *choices;   /* FIELD_ENUM, FIELD_ENUM_ARRAY: NULL-terminated */
  long min;                     /* FIELD_INT */
  long max;                     /* FIELD_INT */
  const struct schema *nested;  /* FIELD_OBJECT, FIELD_OBJECT_ARRAY */
};

struct schema {
  const struct field_spec *fields;
  size_t count;
};

/* Appends {"field": field, "message": message} to the JSON array `errors`. */
void validation_error(json_t *errors, const char *field, const char *message);

/* Checks `doc` against `schema`; appends one error per offending field to `errors` (a JSON array
 * the caller owns). `prefix` is the path of doc itself ("" at the top). Null counts as absent.
 * Returns true when nothing was appended. */
bool schema_validate(const struct schema *schema, const json_t *doc, const char *prefix,
                     json_t *errors);

/* Whether `value` is one of the NULL-terminated `choices` (false for NULL). */
bool schema_is_choice(const char *const *choices, const char *value);

/* Whether `s` is a UUID in its 8-4-4-4-12 hexadecimal form. */
bool schema_is_uuid(const char *s);

/* An optional RFC 3339 time `field` of `doc` that is not in the future (a minute's clock skew
 * allowed): *out is the time, or `now` when the field is absent. Appends an error otherwise (a
 * value that is not a string is left for schema_validate to name). */
bool schema_past_time(const json_t *doc, const char *field, time_t now, time_t *out,
                      json_t *errors);

/* Whether `text` records something (not NULL, not only white space). */
bool text_recorded(const char *text);

/* The value of `field` in `doc` as a string when it is one, else NULL (borrowed). */
const char *schema_string(const json_t *doc, const char *field);

#endif
