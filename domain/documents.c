#include "documents.h"

#include <string.h>

#include "schema.h"

static const char *const TYPES[] = {
    "all_about_me", "family_chronology", "cpr", "matching_report", "fostering_household_review",
    "support_plan", "permanence_plan", "ppm_minutes", "panel_request_form", NULL};

/* M4: the support a support plan must cover. */
static const char *const SUPPORT_AREAS[] = {"therapeutic", "educational", "health",
                                            "short_breaks", "peer_support", "training", NULL};

const char *const *support_plan_areas(void) {
  return SUPPORT_AREAS;
}

const char *const *document_types(void) {
  return TYPES;
}

bool document_type_valid(const char *type) {
  return schema_is_choice(TYPES, type);
}

static const struct field_spec FIELDS[] = {
    {.name = "type", .type = FIELD_ENUM, .required = true, .choices = TYPES},
    {.name = "title", .type = FIELD_STRING, .required = true, .max_length = 200},
    {.name = "date", .type = FIELD_DATE, .required = true},
    {.name = "author", .type = FIELD_STRING, .max_length = 200},
    {.name = "link", .type = FIELD_STRING, .max_length = 2000},
    {.name = "external_document_id", .type = FIELD_STRING, .max_length = 200},
    {.name = "covers", .type = FIELD_ENUM_ARRAY, .max_length = 6, .choices = SUPPORT_AREAS},
};
static const struct schema DOCUMENT = {FIELDS, sizeof FIELDS / sizeof FIELDS[0]};

bool document_validate(const json_t *doc, struct date today, json_t *errors) {
  size_t before = json_array_size(errors);
  schema_validate(&DOCUMENT, doc, "", errors);
  const char *link = schema_string(doc, "link");
  if (link != NULL && strncmp(link, "https://", 8) != 0 && strncmp(link, "http://", 7) != 0) {
    validation_error(errors, "link", "must be an http(s) address");
  }
  if (link == NULL && schema_string(doc, "external_document_id") == NULL) {
    validation_error(errors, "link", "a link or the case system's external_document_id is required");
  }
  const char *type = schema_string(doc, "type");
  if (json_object_get(doc, "covers") != NULL && (type == NULL || strcmp(type, "support_plan") != 0)) {
    validation_error(errors, "covers", "only a support plan names the support it covers");
  }
  struct date d;
  if (date_parse(schema_string(doc, "date"), &d) && date_compare(d, today) > 0) {
    validation_error(errors, "date", "must not be in the future");
  }
  return json_array_size(errors) == before;
}
