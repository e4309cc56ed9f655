#include "carer_submissions.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "records.h"
#include "schema.h"

/* The fields of a carer profile a reason may name (domain/records.c's carer document, without
 * the service's fields and the agency, which the path sets). */
enum profile_kind { PF_VALUE, PF_OBJECT, PF_OBJECT_ARRAY, PF_VALUE_ARRAY };

struct profile_field {
  const char *name;
  enum profile_kind kind;
  size_t max_items;                     /* arrays: the items the carer schema allows */
  const struct profile_field *members;  /* objects and arrays of objects */
  size_t member_count;
};

static const struct profile_field CARER_NAME[] = {
    {"given_name", PF_VALUE, 0, NULL, 0},
    {"family_name", PF_VALUE, 0, NULL, 0},
};
static const struct profile_field APPROVAL[] = {
    {"status", PF_VALUE, 0, NULL, 0},      {"approved_on", PF_VALUE, 0, NULL, 0},
    {"age_from", PF_VALUE, 0, NULL, 0},    {"age_to", PF_VALUE, 0, NULL, 0},
    {"max_children", PF_VALUE, 0, NULL, 0}, {"long_term", PF_VALUE, 0, NULL, 0},
    {"connected_person_for", PF_VALUE, 0, NULL, 0},
};
static const struct profile_field HOUSEHOLD_MEMBER[] = {
    {"name", PF_VALUE, 0, NULL, 0},
    {"relationship", PF_VALUE, 0, NULL, 0},
    {"date_of_birth", PF_VALUE, 0, NULL, 0},
};
static const struct profile_field EXTERNAL_ID[] = {
    {"system", PF_VALUE, 0, NULL, 0},
    {"id", PF_VALUE, 0, NULL, 0},
};
#define MEMBERS(list) list, sizeof list / sizeof list[0]
static const struct profile_field PROFILE[] = {
    {"carers", PF_OBJECT_ARRAY, 2, MEMBERS(CARER_NAME)},
    {"approval", PF_OBJECT, 0, MEMBERS(APPROVAL)},
    {"address", PF_VALUE, 0, NULL, 0},
    {"postcode", PF_VALUE, 0, NULL, 0},
    {"languages", PF_VALUE_ARRAY, 20, NULL, 0},
    {"religion", PF_VALUE, 0, NULL, 0},
    {"skills", PF_VALUE_ARRAY, 50, NULL, 0},
    {"ethnicities", PF_VALUE_ARRAY, 10, NULL, 0},
    {"pets", PF_VALUE_ARRAY, 20, NULL, 0},
    {"background", PF_VALUE, 0, NULL, 0},
    {"home_environment", PF_VALUE, 0, NULL, 0},
    {"supports", PF_VALUE, 0, NULL, 0},
    {"household_members", PF_OBJECT_ARRAY, 20, MEMBERS(HOUSEHOLD_MEMBER)},
    {"external_ids", PF_OBJECT_ARRAY, 20, MEMBERS(EXTERNAL_ID)},
};

#define PATH_MAX_LENGTH 200

enum carer_submission_reach carer_submission_reach(role_set roles, const char *caller_agency,
                                                   const char *path_agency, bool write) {
  bool agency = role_set_has(roles, ROLE_AGENCY);
  bool own = agency && caller_agency != NULL && caller_agency[0] != '\0' &&
             path_agency != NULL && strcmp(caller_agency, path_agency) == 0;
  if (own) {
    return CS_REACH_AGENCY;
  }
  if (!write && carer_submission_team_may_decide(roles)) {
    return CS_REACH_TEAM;
  }
  return agency ? CS_REACH_HIDDEN : CS_REACH_FORBIDDEN;
}

bool carer_submission_team_may_decide(role_set roles) {
  return role_set_has(roles, ROLE_SSW) || role_set_has(roles, ROLE_TEAM_MANAGER);
}

bool carer_submission_profile_check(json_t *profile, const char *agency_id, struct date today,
                                    json_t *errors) {
  size_t before = json_array_size(errors);
  const json_t *sent = json_object_get(profile, "agency_id");
  if (sent != NULL && !json_is_null(sent) &&
      (!json_is_string(sent) || strcmp(json_string_value(sent), agency_id) != 0)) {
    validation_error(errors, "agency_id",
                     "must be absent or the agency's own id (the agency_id of the path)");
  }
  json_object_set_new(profile, "agency_id", json_string(agency_id));
  carer_validate(profile, today, errors);
  return json_array_size(errors) == before;
}

static const struct profile_field *find_field(const struct profile_field *fields, size_t count,
                                              const char *name, size_t length) {
  for (size_t i = 0; i < count; i++) {
    if (strlen(fields[i].name) == length && strncmp(fields[i].name, name, length) == 0) {
      return &fields[i];
    }
  }
  return NULL;
}

/* Reads "[n]" at *p (advancing past it) into *index: digits without a leading zero. */
static bool read_index(const char **p, size_t *index) {
  const char *s = *p;
  if (*s != '[' || !isdigit((unsigned char)s[1]) || (s[1] == '0' && s[2] != ']')) {
    return false;
  }
  size_t n = 0;
  for (s++; isdigit((unsigned char)*s); s++) {
    if (n > 1000) {
      return false;
    }
    n = n * 10 + (size_t)(*s - '0');
  }
  if (*s != ']') {
    return false;
  }
  *p = s + 1;
  *index = n;
  return true;
}

bool carer_submission_field_path_valid(const char *path) {
  if (path == NULL || path[0] == '\0' || strlen(path) > PATH_MAX_LENGTH) {
    return false;
  }
  const struct profile_field *fields = PROFILE;
  size_t count = sizeof PROFILE / sizeof PROFILE[0];
  const char *p = path;
  for (;;) {
    size_t length = strcspn(p, ".[");
    const struct profile_field *field = find_field(fields, count, p, length);
    if (field == NULL) {
      return false;
    }
    p += length;
    bool indexed = *p == '[';
    if (indexed) {
      size_t index;
      if ((field->kind != PF_OBJECT_ARRAY && field->kind != PF_VALUE_ARRAY) ||
          !read_index(&p, &index) || index >= field->max_items) {
        return false;
      }
    }
    if (*p == '\0') {
      return true;
    }
    /* a member follows: only of an object, or of an item of an array of objects */
    if (*p != '.' || !(field->kind == PF_OBJECT || (field->kind == PF_OBJECT_ARRAY && indexed))) {
      return false;
    }
    p++;
    fields = field->members;
    count = field->member_count;
  }
}

static const struct field_spec REASON_FIELDS[] = {
    {.name = "field", .type = FIELD_STRING, .required = true, .max_length = PATH_MAX_LENGTH},
    {.name = "reason", .type = FIELD_STRING, .required = true, .max_length = 2000},
};
static const struct schema REASON = {REASON_FIELDS, 2};

static const struct field_spec RETURN_FIELDS[] = {
    {.name = "reasons", .type = FIELD_OBJECT_ARRAY, .required = true,
     .max_length = CARER_SUBMISSION_MAX_REASONS, .nested = &REASON},
    {.name = "version", .type = FIELD_INT, .min = 1, .max = 1000000},
};
static const struct schema RETURN_BODY = {RETURN_FIELDS, 2};

static const struct field_spec ACCEPT_FIELDS[] = {
    {.name = "version", .type = FIELD_INT, .min = 1, .max = 1000000},
};
static const struct schema ACCEPT_BODY = {ACCEPT_FIELDS, 1};

bool carer_submission_return_check(const json_t *body, json_t *errors) {
  size_t before = json_array_size(errors);
  schema_validate(&RETURN_BODY, body, "", errors);
  const json_t *reasons = json_object_get(body, "reasons");
  if (json_is_array(reasons) && json_array_size(reasons) == 0) {
    validation_error(errors, "reasons", "must give at least one reason");
  }
  size_t i;
  const json_t *reason;
  json_array_foreach(reasons, i, reason) {
    const char *field = schema_string(reason, "field");
    if (field != NULL && field[0] != '\0' && strlen(field) <= PATH_MAX_LENGTH &&
        !carer_submission_field_path_valid(field)) {
      char name[48];
      snprintf(name, sizeof name, "reasons[%zu].field", i);
      validation_error(errors, name,
                       "is not a field of the carer profile (e.g. carers[0].family_name, "
                       "approval.age_to)");
    }
  }
  return json_array_size(errors) == before;
}

bool carer_submission_accept_check(const json_t *body, json_t *errors) {
  return schema_validate(&ACCEPT_BODY, body, "", errors);
}

const char *carer_submission_decision_conflict(const char *status, long latest, long named) {
  if (named != 0 && named != latest) {
    return "Only the latest version of a submission is accepted or returned; read it again.";
  }
  if (status == NULL || strcmp(status, "submitted") != 0) {
    return "The latest version was already decided; the agency sends a new version.";
  }
  return NULL;
}

json_t *carer_submission_carer_doc(const json_t *current, const json_t *profile) {
  json_t *doc = json_deep_copy(profile);
  const json_t *kept = json_object_get(current, "external_ids");
  const json_t *sent = json_object_get(profile, "external_ids");
  if ((sent == NULL || json_is_null(sent)) && kept != NULL && !json_is_null(kept)) {
    json_object_set_new(doc, "external_ids", json_deep_copy(kept));
  }
  return doc;
}
