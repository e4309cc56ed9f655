#include "letters.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const KIND_NAMES[LETTER_KIND_COUNT] = {"carers", "birth_parents", "child",
                                                          "certificate"};
static const char *const PARENT_RELATIONSHIPS[] = {"mother", "father", "parent"};

const char *letter_kind_name(enum letter_kind kind) {
  return KIND_NAMES[kind];
}

bool letter_recipient_parse(const char *recipient, enum letter_kind *out) {
  for (int kind = LETTER_CARERS; kind < LETTER_CERTIFICATE; kind++) {
    if (recipient != NULL && strcmp(recipient, KIND_NAMES[kind]) == 0) {
      *out = (enum letter_kind)kind;
      return true;
    }
  }
  return false;
}

/* "given family" of a person object; "" when it has neither. The caller frees the result. */
static char *full_name(const json_t *person) {
  const char *given = json_string_value(json_object_get(person, "given_name"));
  const char *family = json_string_value(json_object_get(person, "family_name"));
  size_t size = (given != NULL ? strlen(given) : 0) + (family != NULL ? strlen(family) : 0) + 2;
  char *name = malloc(size);
  if (name != NULL) {
    snprintf(name, size, "%s%s%s", given != NULL ? given : "",
             given != NULL && family != NULL ? " " : "", family != NULL ? family : "");
  }
  return name;
}

/* Joins the names as "A", "A and B", "A, B and C". The caller owns the result. */
static json_t *joined(const json_t *names) {
  size_t n = json_array_size(names);
  size_t size = 1;
  for (size_t i = 0; i < n; i++) {
    size += strlen(json_string_value(json_array_get(names, i))) + 5;
  }
  char *text = calloc(1, size);
  if (text == NULL) {
    return json_string("");
  }
  for (size_t i = 0; i < n; i++) {
    strcat(text, i == 0 ? "" : i + 1 == n ? " and " : ", ");
    strcat(text, json_string_value(json_array_get(names, i)));
  }
  json_t *value = json_string(text);
  free(text);
  return value != NULL ? value : json_string("");
}

static bool is_parent(const char *relationship) {
  for (size_t i = 0; i < sizeof PARENT_RELATIONSHIPS / sizeof PARENT_RELATIONSHIPS[0]; i++) {
    if (relationship != NULL && strcasecmp(relationship, PARENT_RELATIONSHIPS[i]) == 0) {
      return true;
    }
  }
  return false;
}

json_t *letter_values(enum letter_kind kind, const json_t *child, const json_t *carer,
                      const char *panel_date, const char *decision_date, struct date today) {
  json_t *carers = json_array();
  size_t i;
  const json_t *person;
  const json_t *named = kind == LETTER_BIRTH_PARENTS ? NULL : json_object_get(carer, "carers");
  json_array_foreach(named, i, person) {
    char *name = full_name(person);
    json_array_append_new(carers, json_string(name != NULL ? name : ""));
    free(name);
  }
  json_t *parents = json_array();
  json_array_foreach(json_object_get(child, "birth_family"), i, person) {
    const char *name = json_string_value(json_object_get(person, "name"));
    if (name != NULL && is_parent(json_string_value(json_object_get(person, "relationship")))) {
      json_array_append_new(parents, json_string(name));
    }
  }
  char *child_name = full_name(child);
  const char *given = json_string_value(json_object_get(child, "given_name"));
  char today_text[11];
  date_format(today, today_text);
  json_t *values = json_pack("{s:s, s:s, s:o, s:o, s:s, s:s, s:s}", "child_name",
                             child_name != NULL ? child_name : "", "child_given_name",
                             given != NULL ? given : "", "carer_names", joined(carers),
                             "birth_parent_names", joined(parents), "panel_date",
                             panel_date != NULL ? panel_date : "", "decision_date",
                             decision_date != NULL ? decision_date : "", "today", today_text);
  free(child_name);
  json_decref(carers);
  json_decref(parents);
  return values;
}

/* Appends `length` bytes of `text` as they are. Returns false when out of memory. */
static bool append_raw(char **out, size_t *used, size_t *size, const char *text, size_t length) {
  if (*used + length + 1 > *size) {
    size_t bigger = (*size + length) * 2;
    char *grown = realloc(*out, bigger);
    if (grown == NULL) {
      return false;
    }
    *out = grown;
    *size = bigger;
  }
  memcpy(*out + *used, text, length);
  *used += length;
  (*out)[*used] = '\0';
  return true;
}

/* Appends `text` HTML-escaped to the growing buffer. Returns false when out of memory. */
static bool append_escaped(char **out, size_t *used, size_t *size, const char *text) {
  for (const char *c = text; *c != '\0'; c++) {
    const char *piece;
    char one[2] = {*c, '\0'};
    switch (*c) {
    case '&': piece = "&amp;"; break;
    case '<': piece = "&lt;"; break;
    case '>': piece = "&gt;"; break;
    case '"': piece = "&quot;"; break;
    case '\'': piece = "&#39;"; break;
    default: piece = one; break;
    }
    if (!append_raw(out, used, size, piece, strlen(piece))) {
      return false;
    }
  }
  return true;
}

char *letter_render(const char *template_text, const json_t *values) {
  size_t size = strlen(template_text) + 256;
  size_t used = 0;
  char *out = malloc(size);
  bool ok = out != NULL;
  const char *rest = template_text;
  while (ok) {
    const char *open = strstr(rest, "{{");
    const char *close = open != NULL ? strstr(open + 2, "}}") : NULL;
    if (close == NULL) {
      ok = append_raw(&out, &used, &size, rest, strlen(rest));
      break;
    }
    char name[64] = "";
    size_t name_length = (size_t)(close - open - 2);
    if (name_length < sizeof name) {
      memcpy(name, open + 2, name_length);
      name[name_length] = '\0';
    }
    const char *value = json_string_value(json_object_get(values, name));
    ok = append_raw(&out, &used, &size, rest, (size_t)(open - rest)) &&
         append_escaped(&out, &used, &size, value != NULL ? value : "");
    rest = close + 2;
  }
  if (!ok) {
    free(out);
    return NULL;
  }
  return out;
}
