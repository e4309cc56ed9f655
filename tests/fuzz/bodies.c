/* Fuzz target bodies: the validators of request bodies (domain/), reached as the handlers reach
 * them. The first byte picks the validator, the rest is the body's text, parsed as
 * read_json_object parses it (duplicate names refused, an object required). Every validator
 * goes through the schema engine (domain/schema.c) that also checks the meeting, match, panel
 * and action bodies of api/. Properties: a validator's answer agrees with the errors it
 * appended, and every error is {"field": string, "message": string}. */
#include <jansson.h>
#include <string.h>

#include "../../domain/actions.h"
#include "../../domain/calendar.h"
#include "../../domain/carer_submissions.h"
#include "../../domain/documents.h"
#include "../../domain/hearing.h"
#include "../../domain/merge_patch.h"
#include "../../domain/records.h"
#include "../../domain/schema.h"
#include "../../domain/settings.h"
#include "../../domain/webhooks.h"
#include "harness.h"

static const struct date TODAY = {2026, 1, 15};
static const time_t NOW = 1768478400; /* 2026-01-15T12:00:00Z */

/* A stored child record, the target of a PATCH. */
static const char STORED_CHILD[] =
    "{\"given_name\": \"Sam\", \"family_name\": \"Doe\", \"date_of_birth\": \"2015-04-01\","
    " \"sex\": \"female\", \"languages\": [\"English\"], \"legal_status\": \"C2\","
    " \"disability\": {\"needs\": \"none\"},"
    " \"external_ids\": [{\"system\": \"eclipse\", \"id\": \"E1\"}]}";

/* Every error is {"field": string, "message": string}. */
static void expect_errors_well_formed(const json_t *errors) {
  size_t i;
  const json_t *error;
  json_array_foreach(errors, i, error) {
    harness_expect(json_is_string(json_object_get(error, "field")) &&
                       json_is_string(json_object_get(error, "message")),
                   "an error names its field and says why");
  }
}

/* A validator keeps its contract: true exactly when it appended nothing to `errors` (empty
 * before it ran). */
static void expect_verdict(bool valid, const json_t *errors) {
  harness_expect(valid == (json_array_size(errors) == 0),
                 "a validator is true exactly when it appended no error");
  expect_errors_well_formed(errors);
}

/* POST of a record (record_create, carer_submissions, documents, people): null members are
 * dropped by a merge patch onto nothing, then the document is validated. */
static void check_new_document(int which, const json_t *body, json_t *errors) {
  json_t *doc = merge_patch_apply(NULL, body);
  bool valid = false;
  switch (which) {
  case 0: valid = child_validate(doc, TODAY, errors); break;
  case 1: valid = carer_validate(doc, TODAY, errors); break;
  case 2: valid = person_validate(doc, errors); break;
  case 3: valid = document_validate(doc, TODAY, errors); break;
  case 4: valid = carer_submission_profile_check(doc, "agency-1", TODAY, errors); break;
  default: valid = external_ids_include(doc, "eclipse", "E1", errors) &&
                   child_validate(doc, TODAY, errors); break;
  }
  expect_verdict(valid, errors);
  json_decref(doc);
}

/* PATCH of a child (records.c): the body is a merge patch onto a stored record. */
static void check_child_patch(const json_t *patch, json_t *errors) {
  json_t *before = json_loads(STORED_CHILD, 0, NULL);
  harness_expect(before != NULL, "the stored child parses");
  json_t *after = merge_patch_apply(before, patch);
  harness_expect(json_is_object(after), "a patch of an object is an object");
  expect_verdict(child_validate(after, TODAY, errors), errors);
  json_t *changes = changed_fields(before, after);
  harness_expect(json_is_object(json_object_get(changes, "before")) &&
                     json_is_object(json_object_get(changes, "after")),
                 "changed_fields gives before and after");
  json_decref(changes);
  json_decref(after);
  json_decref(before);
}

/* POST /v1/webhooks beyond its shape (api/webhooks.c check_subscription): the URL against an
 * allowlist, each event pattern. */
static void check_webhook(const json_t *body) {
  const char *url = schema_string(body, "url");
  if (url != NULL) {
    struct webhook_url parsed;
    bool allowed = webhook_url_allowed(url, "http://127.0.0.1:,https://hooks.example.org/in/");
    harness_expect(!allowed || webhook_url_parse(url, &parsed), "an allowed URL parses");
  }
  size_t i;
  const json_t *pattern;
  json_array_foreach(json_object_get(body, "events"), i, pattern) {
    const char *text = json_string_value(pattern);
    if (text != NULL && webhook_pattern_valid(text)) {
      webhook_pattern_matches(text, "match.decided");
    }
  }
}

/* The schema engine on its own: one field of every type, nested objects and arrays. */
static void check_every_field_type(const json_t *body, json_t *errors) {
  static const char *const KINDS[] = {"a", "b", NULL};
  static const struct field_spec INNER_FIELDS[] = {
      {.name = "s", .type = FIELD_STRING, .required = true, .max_length = 5},
      {.name = "n", .type = FIELD_INT, .min = -3, .max = 3},
  };
  static const struct schema INNER = {INNER_FIELDS, 2};
  static const struct field_spec FIELDS[] = {
      {.name = "string", .type = FIELD_STRING, .max_length = 10},
      {.name = "date", .type = FIELD_DATE},
      {.name = "uuid", .type = FIELD_UUID},
      {.name = "bool", .type = FIELD_BOOL},
      {.name = "int", .type = FIELD_INT, .min = -1000000, .max = 1000000},
      {.name = "enum", .type = FIELD_ENUM, .choices = KINDS},
      {.name = "strings", .type = FIELD_STRING_ARRAY, .max_length = 3},
      {.name = "enums", .type = FIELD_ENUM_ARRAY, .max_length = 3, .choices = KINDS},
      {.name = "object", .type = FIELD_OBJECT, .nested = &INNER},
      {.name = "objects", .type = FIELD_OBJECT_ARRAY, .max_length = 3, .nested = &INNER},
      {.name = "read_only", .type = FIELD_READ_ONLY},
      {.name = "required", .type = FIELD_STRING, .required = true},
  };
  static const struct schema EVERY = {FIELDS, sizeof FIELDS / sizeof FIELDS[0]};
  expect_verdict(schema_validate(&EVERY, body, "", errors), errors);
  time_t at;
  schema_past_time(body, "at", NOW, &at, errors);
  expect_errors_well_formed(errors);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) {
    return 0;
  }
  json_t *body = json_loadb((const char *)data + 1, size - 1, JSON_REJECT_DUPLICATES, NULL);
  if (!json_is_object(body)) {
    json_decref(body);
    return 0;
  }
  json_t *errors = json_array();
  json_t *missing = json_array();
  switch (data[0] % 14) {
  case 0: case 1: case 2: case 3: case 4: case 5:
    check_new_document(data[0] % 14, body, errors);
    break;
  case 6: check_child_patch(body, errors); break;
  case 7: expect_verdict(action_validate_new(body, NOW, errors), errors); break;
  case 8: expect_verdict(settings_validate_patch(body, errors), errors); break;
  case 9: expect_verdict(carer_submission_return_check(body, errors), errors); break;
  case 10: expect_verdict(carer_submission_accept_check(body, errors), errors); break;
  case 11:
    harness_expect(hearing_voice_check(body, data[0] & 0x80, missing) ==
                       (json_array_size(missing) == 0),
                   "the voice check is true exactly when nothing is missing");
    hearing_invitation_check(body, missing);
    break;
  case 12: check_webhook(body); break;
  default: check_every_field_type(body, errors); break;
  }
  json_decref(missing);
  json_decref(errors);
  json_decref(body);
  return 0;
}
