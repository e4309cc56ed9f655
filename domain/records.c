#include "records.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "family_finding.h"
#include "postcodes.h"
#include "roles.h"
#include "schema.h"

/* SSDA903 legal status codes (LS). */
static const char *const LEGAL_STATUSES[] = {"C1", "C2", "D1", "E1", "J1", "J2", "J3",
                                             "L1", "L2", "L3", "V2", "V3", "V4", NULL};
static const char *const SEXES[] = {"male", "female", "other", "unknown", NULL};
static const char *const APPROVAL_STATUSES[] = {"assessment", "approved", "suspended",
                                                "terminated", "refused",  "withdrawn", NULL};

static const struct field_spec EXTERNAL_ID_FIELDS[] = {
    {.name = "system", .type = FIELD_STRING, .required = true, .max_length = EXTERNAL_SYSTEM_MAX},
    {.name = "id", .type = FIELD_STRING, .required = true, .max_length = EXTERNAL_ID_MAX},
};
static const struct schema EXTERNAL_ID = {EXTERNAL_ID_FIELDS, 2};

static const struct field_spec DISABILITY_FIELDS[] = {
    {.name = "needs", .type = FIELD_STRING, .max_length = 10000},
    {.name = "accessibility", .type = FIELD_STRING, .max_length = 10000},
    {.name = "health_management", .type = FIELD_STRING, .max_length = 10000},
};
static const struct schema DISABILITY = {DISABILITY_FIELDS, 3};

/* The child's birth family; the voice ambassador never reads the contact members (address,
 * phone, email) in panel papers. */
static const struct field_spec BIRTH_RELATIVE_FIELDS[] = {
    {.name = "name", .type = FIELD_STRING, .required = true, .max_length = 200},
    {.name = "relationship", .type = FIELD_STRING, .required = true, .max_length = 100},
    {.name = "address", .type = FIELD_STRING, .max_length = 500},
    {.name = "phone", .type = FIELD_STRING, .max_length = 40},
    {.name = "email", .type = FIELD_STRING, .max_length = 254},
    {.name = "contact_arrangements", .type = FIELD_STRING, .max_length = 2000},
};
static const struct schema BIRTH_RELATIVE = {BIRTH_RELATIVE_FIELDS, 6};

/* The child profile sections M4 asks for. */
static const struct field_spec CHILD_PROFILE_FIELDS[] = {
    {.name = "history", .type = FIELD_STRING, .max_length = 20000},
    {.name = "strengths", .type = FIELD_STRING, .max_length = 20000},
    {.name = "routines", .type = FIELD_STRING, .max_length = 20000},
    {.name = "health", .type = FIELD_STRING, .max_length = 20000},
    {.name = "education", .type = FIELD_STRING, .max_length = 20000},
    {.name = "identity", .type = FIELD_STRING, .max_length = 20000},
    {.name = "risks", .type = FIELD_STRING, .max_length = 20000},
};
static const struct schema CHILD_PROFILE = {CHILD_PROFILE_FIELDS, 7};

/* The SSDA903 header's columns the service has no other field for (POLICY.md section E). */
static const struct field_spec CHILD_SSDA903_FIELDS[] = {
    {.name = "upn", .type = FIELD_STRING, .max_length = 13},
    {.name = "mother", .type = FIELD_INT, .min = 0, .max = 1},
    {.name = "mc_dob", .type = FIELD_DATE},
};
static const struct schema CHILD_SSDA903 = {CHILD_SSDA903_FIELDS, 3};

/* A wish of the child's that family finding weighs (child_validate checks each kind's own
 * field): to live near someone or somewhere (`postcode`), to live with a pet (`pet`), or
 * another wish the search reports for the worker to weigh. */
static const struct field_spec WISH_FIELDS[] = {
    {.name = "kind", .type = FIELD_ENUM, .required = true, .choices = ff_wish_kinds},
    {.name = "in_their_words", .type = FIELD_STRING, .required = true, .max_length = 500},
    {.name = "postcode", .type = FIELD_STRING, .max_length = 8},
    {.name = "pet", .type = FIELD_STRING, .max_length = 50},
};
static const struct schema WISH = {WISH_FIELDS, 4};

static const struct field_spec CHILD_FIELDS[] = {
    {.name = "id", .type = FIELD_READ_ONLY},
    {.name = "team", .type = FIELD_READ_ONLY},
    {.name = "version", .type = FIELD_READ_ONLY},
    {.name = "created_at", .type = FIELD_READ_ONLY},
    {.name = "updated_at", .type = FIELD_READ_ONLY},
    /* required, except for a child imported from an SSDA903 return (child_validate) */
    {.name = "given_name", .type = FIELD_STRING, .max_length = 200},
    {.name = "family_name", .type = FIELD_STRING, .max_length = 200},
    {.name = "date_of_birth", .type = FIELD_DATE, .required = true},
    {.name = "sex", .type = FIELD_ENUM, .choices = SEXES},
    {.name = "ethnicity", .type = FIELD_STRING, .max_length = 100},
    {.name = "religion", .type = FIELD_STRING, .max_length = 100},
    {.name = "languages", .type = FIELD_STRING_ARRAY, .max_length = 20},
    {.name = "disability", .type = FIELD_OBJECT, .nested = &DISABILITY},
    {.name = "legal_status", .type = FIELD_ENUM, .choices = LEGAL_STATUSES},
    {.name = "entered_care_on", .type = FIELD_DATE},
    {.name = "profile", .type = FIELD_OBJECT, .nested = &CHILD_PROFILE},
    {.name = "wishes_and_feelings", .type = FIELD_STRING, .max_length = 20000},
    /* family finding: needs and risks, the areas of home and school, wishes it can weigh */
    {.name = "needs", .type = FIELD_ENUM_ARRAY, .max_length = 10, .choices = ff_needs},
    {.name = "home_area", .type = FIELD_STRING, .max_length = 8},
    {.name = "school_area", .type = FIELD_STRING, .max_length = 8},
    {.name = "wishes", .type = FIELD_OBJECT_ARRAY, .max_length = 20, .nested = &WISH},
    {.name = "birth_family", .type = FIELD_OBJECT_ARRAY, .max_length = 20, .nested = &BIRTH_RELATIVE},
    {.name = "external_ids", .type = FIELD_OBJECT_ARRAY, .max_length = 20, .nested = &EXTERNAL_ID},
    {.name = "ssda903", .type = FIELD_OBJECT, .nested = &CHILD_SSDA903},
};
static const struct schema CHILD = {CHILD_FIELDS, sizeof CHILD_FIELDS / sizeof CHILD_FIELDS[0]};

static const struct field_spec CARER_NAME_FIELDS[] = {
    {.name = "given_name", .type = FIELD_STRING, .required = true, .max_length = 200},
    {.name = "family_name", .type = FIELD_STRING, .required = true, .max_length = 200},
};
static const struct schema CARER_NAME = {CARER_NAME_FIELDS, 2};

static const struct field_spec APPROVAL_FIELDS[] = {
    {.name = "status", .type = FIELD_ENUM, .required = true, .choices = APPROVAL_STATUSES},
    {.name = "approved_on", .type = FIELD_DATE},
    {.name = "age_from", .type = FIELD_INT, .min = 0, .max = 17},
    {.name = "age_to", .type = FIELD_INT, .min = 0, .max = 17},
    {.name = "max_children", .type = FIELD_INT, .min = 1, .max = 10},
    {.name = "long_term", .type = FIELD_BOOL},
    {.name = "connected_person_for", .type = FIELD_UUID},
};
static const struct schema APPROVAL = {APPROVAL_FIELDS,
                                       sizeof APPROVAL_FIELDS / sizeof APPROVAL_FIELDS[0]};

static const struct field_spec HOUSEHOLD_MEMBER_FIELDS[] = {
    {.name = "name", .type = FIELD_STRING, .required = true, .max_length = 200},
    {.name = "relationship", .type = FIELD_STRING, .required = true, .max_length = 100},
    {.name = "date_of_birth", .type = FIELD_DATE},
};
static const struct schema HOUSEHOLD_MEMBER = {HOUSEHOLD_MEMBER_FIELDS, 3};

static const struct field_spec CARER_FIELDS[] = {
    {.name = "id", .type = FIELD_READ_ONLY},
    {.name = "team", .type = FIELD_READ_ONLY},
    {.name = "version", .type = FIELD_READ_ONLY},
    {.name = "created_at", .type = FIELD_READ_ONLY},
    {.name = "updated_at", .type = FIELD_READ_ONLY},
    {.name = "carers", .type = FIELD_OBJECT_ARRAY, .required = true, .max_length = 2,
     .nested = &CARER_NAME},
    {.name = "agency_id", .type = FIELD_STRING, .max_length = 100},
    {.name = "approval", .type = FIELD_OBJECT, .nested = &APPROVAL},
    {.name = "address", .type = FIELD_STRING, .max_length = 500},
    {.name = "postcode", .type = FIELD_STRING, .max_length = 8},
    {.name = "languages", .type = FIELD_STRING_ARRAY, .max_length = 20},
    {.name = "religion", .type = FIELD_STRING, .max_length = 100},
    {.name = "skills", .type = FIELD_STRING_ARRAY, .max_length = 50},
    {.name = "ethnicities", .type = FIELD_STRING_ARRAY, .max_length = 10},
    {.name = "pets", .type = FIELD_STRING_ARRAY, .max_length = 20},
    {.name = "background", .type = FIELD_STRING, .max_length = 20000},
    {.name = "home_environment", .type = FIELD_STRING, .max_length = 20000},
    {.name = "supports", .type = FIELD_STRING, .max_length = 20000},
    {.name = "household_members", .type = FIELD_OBJECT_ARRAY, .max_length = 20,
     .nested = &HOUSEHOLD_MEMBER},
    {.name = "external_ids", .type = FIELD_OBJECT_ARRAY, .max_length = 20, .nested = &EXTERNAL_ID},
};
static const struct schema CARER = {CARER_FIELDS, sizeof CARER_FIELDS / sizeof CARER_FIELDS[0]};

bool external_ids_validate(const json_t *doc, json_t *errors) {
  const json_t *ids = json_object_get(doc, "external_ids");
  size_t before = json_array_size(errors);
  for (size_t i = 0; i < json_array_size(ids); i++) {
    const char *system = schema_string(json_array_get(ids, i), "system");
    for (size_t j = 0; system != NULL && j < i; j++) {
      const char *earlier = schema_string(json_array_get(ids, j), "system");
      if (earlier != NULL && strcmp(system, earlier) == 0) {
        validation_error(errors, "external_ids", "names the same system twice");
        return false;
      }
    }
  }
  return json_array_size(errors) == before;
}

bool external_ids_include(json_t *doc, const char *system, const char *id, json_t *errors) {
  json_t *ids = json_object_get(doc, "external_ids");
  if (ids == NULL || json_is_null(ids)) {
    ids = json_array();
    json_object_set_new(doc, "external_ids", ids);
  }
  if (!json_is_array(ids)) {
    return true; /* the schema names it */
  }
  size_t i;
  json_t *entry;
  json_array_foreach(ids, i, entry) {
    const char *named = schema_string(entry, "system");
    if (named != NULL && strcmp(named, system) == 0) {
      const char *given = schema_string(entry, "id");
      if (given == NULL || strcmp(given, id) != 0) {
        validation_error(errors, "external_ids", "gives the path's system another id");
        return false;
      }
      return true;
    }
  }
  json_array_append_new(ids, json_pack("{s:s, s:s}", "system", system, "id", id));
  return true;
}

/* A date field that must not lie after `today`. */
static void not_in_future(const json_t *doc, const char *field, struct date today, json_t *errors) {
  struct date d;
  if (date_parse(schema_string(doc, field), &d) && date_compare(d, today) > 0) {
    validation_error(errors, field, "must not be in the future");
  }
}

/* A postcode or outward code naming an area (`field` of `doc` at `path`), when present. */
static void area_validate(const json_t *doc, const char *field, const char *path,
                          json_t *errors) {
  char district[POSTCODE_DISTRICT_SIZE];
  const char *value = schema_string(doc, field);
  if (value != NULL && !postcode_district(value, district)) {
    validation_error(errors, path, "must be a UK postcode or its outward code (SN2)");
  }
}

/* The child's fields family finding reads: areas that are postcodes, and each wish with the
 * field its kind needs. */
static void family_finding_fields_validate(const json_t *doc, json_t *errors) {
  area_validate(doc, "home_area", "home_area", errors);
  area_validate(doc, "school_area", "school_area", errors);
  size_t i;
  const json_t *wish;
  json_array_foreach(json_object_get(doc, "wishes"), i, wish) {
    const char *kind = schema_string(wish, "kind");
    char path[64];
    if (kind != NULL && strcmp(kind, "near") == 0) {
      snprintf(path, sizeof path, "wishes[%zu].postcode", i);
      if (schema_string(wish, "postcode") == NULL) {
        validation_error(errors, path, "is required for a wish to live near someone");
      } else {
        area_validate(wish, "postcode", path, errors);
      }
    } else if (kind != NULL && strcmp(kind, "pet") == 0 &&
               !text_recorded(schema_string(wish, "pet"))) {
      snprintf(path, sizeof path, "wishes[%zu].pet", i);
      validation_error(errors, path, "is required for a wish to live with a pet");
    }
  }
}

bool child_validate(const json_t *doc, struct date today, json_t *errors) {
  size_t before = json_array_size(errors);
  schema_validate(&CHILD, doc, "", errors);
  external_ids_validate(doc, errors);
  /* A child imported from an SSDA903 return has no names until someone adds them. */
  bool from_903 = false;
  size_t i;
  const json_t *id;
  json_array_foreach(json_object_get(doc, "external_ids"), i, id) {
    const char *system = json_string_value(json_object_get(id, "system"));
    from_903 = from_903 || (system != NULL && strcmp(system, "ssda903") == 0);
  }
  const char *const names[] = {"given_name", "family_name"};
  for (size_t n = 0; n < 2 && !from_903; n++) {
    const char *name = json_string_value(json_object_get(doc, names[n]));
    if (name == NULL || name[0] == '\0') {
      validation_error(errors, names[n], "is required");
    }
  }
  not_in_future(doc, "date_of_birth", today, errors);
  not_in_future(doc, "entered_care_on", today, errors);
  family_finding_fields_validate(doc, errors);
  struct date born;
  struct date entered;
  if (date_parse(schema_string(doc, "date_of_birth"), &born) &&
      date_parse(schema_string(doc, "entered_care_on"), &entered) &&
      date_compare(entered, born) < 0) {
    validation_error(errors, "entered_care_on", "must not be before date_of_birth");
  }
  return json_array_size(errors) == before;
}

static void approval_validate(const json_t *approval, struct date today, json_t *errors) {
  if (!json_is_object(approval)) {
    return;
  }
  const char *status = schema_string(approval, "status");
  struct date approved_on;
  bool has_date = date_parse(schema_string(approval, "approved_on"), &approved_on);
  if (status != NULL && strcmp(status, "approved") == 0 && !has_date) {
    validation_error(errors, "approval.approved_on", "is required when status is approved");
  }
  if (has_date && date_compare(approved_on, today) > 0) {
    validation_error(errors, "approval.approved_on", "must not be in the future");
  }
  const json_t *from = json_object_get(approval, "age_from");
  const json_t *to = json_object_get(approval, "age_to");
  if (json_is_integer(from) && json_is_integer(to) &&
      json_integer_value(to) < json_integer_value(from)) {
    validation_error(errors, "approval.age_to", "must not be below age_from");
  }
}

bool carer_validate(const json_t *doc, struct date today, json_t *errors) {
  size_t before = json_array_size(errors);
  schema_validate(&CARER, doc, "", errors);
  external_ids_validate(doc, errors);
  const json_t *carers = json_object_get(doc, "carers");
  if (json_is_array(carers) && json_array_size(carers) == 0) {
    validation_error(errors, "carers", "must name at least one carer");
  }
  const char *postcode = schema_string(doc, "postcode");
  if (postcode != NULL && !postcode_is_full(postcode)) {
    validation_error(errors, "postcode", "must be a UK postcode");
  }
  approval_validate(json_object_get(doc, "approval"), today, errors);
  return json_array_size(errors) == before;
}

bool person_validate(const json_t *doc, json_t *errors) {
  const struct field_spec fields[] = {
      {.name = "id", .type = FIELD_STRING, .required = true, .max_length = 128},
      {.name = "version", .type = FIELD_READ_ONLY},
      {.name = "created_at", .type = FIELD_READ_ONLY},
      {.name = "updated_at", .type = FIELD_READ_ONLY},
      {.name = "name", .type = FIELD_STRING, .required = true, .max_length = 200},
      {.name = "email", .type = FIELD_STRING, .max_length = 254},
      {.name = "team", .type = FIELD_STRING, .max_length = 100},
      {.name = "manager_id", .type = FIELD_STRING, .max_length = 128},
      {.name = "roles", .type = FIELD_ENUM_ARRAY, .required = true, .max_length = 12,
       .choices = role_names()},
  };
  const struct schema person = {fields, sizeof fields / sizeof fields[0]};
  size_t before = json_array_size(errors);
  schema_validate(&person, doc, "", errors);
  const char *id = schema_string(doc, "id");
  for (const char *c = id; c != NULL && *c != '\0'; c++) {
    if (!isalnum((unsigned char)*c) && strchr("._@:-", *c) == NULL) {
      validation_error(errors, "id", "may hold only letters, digits and . _ @ : -");
      break;
    }
  }
  if (id != NULL && strcmp(id, "admin-queue") == 0) {
    validation_error(errors, "id", "admin-queue names the administrators' queue of actions");
  }
  const char *email = schema_string(doc, "email");
  if (email != NULL && strchr(email, '@') == NULL) {
    validation_error(errors, "email", "must be an email address");
  }
  const json_t *roles = json_object_get(doc, "roles");
  if (json_is_array(roles) && json_array_size(roles) == 0) {
    validation_error(errors, "roles", "must name at least one role");
  }
  const char *manager = schema_string(doc, "manager_id");
  if (manager != NULL && id != NULL && strcmp(manager, id) == 0) {
    validation_error(errors, "manager_id", "must not be the person themself");
  }
  return json_array_size(errors) == before;
}
