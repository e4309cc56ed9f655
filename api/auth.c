#include "auth.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The roles named in the claim, ignoring names that are not roles. */
static int read_roles(const json_t *claim, struct caller *caller) {
  if (!json_is_array(claim)) {
    return -1;
  }
  size_t i;
  const json_t *item;
  size_t used = (size_t)snprintf(caller->roles_literal, sizeof caller->roles_literal, "{");
  const char *separator = "";
  json_array_foreach(claim, i, item) {
    enum role role = role_from_name(json_string_value(item));
    if (!json_is_string(item)) {
      return -1;
    }
    if (role != 0 && !role_set_has(caller->roles, role) && used < sizeof caller->roles_literal) {
      caller->roles |= role;
      used += (size_t)snprintf(caller->roles_literal + used, sizeof caller->roles_literal - used,
                               "%s%s", separator, role_name(role));
      separator = ",";
    }
  }
  if (used < sizeof caller->roles_literal) {
    snprintf(caller->roles_literal + used, sizeof caller->roles_literal - used, "}");
  }
  return 0;
}

static int audience_matches(const json_t *aud, const char *expected) {
  if (json_is_string(aud)) {
    return strcmp(json_string_value(aud), expected) == 0;
  }
  size_t i;
  const json_t *item;
  json_array_foreach(aud, i, item) {
    if (json_is_string(item) && strcmp(json_string_value(item), expected) == 0) {
      return 1;
    }
  }
  return 0;
}

static int subject_valid(const char *sub) {
  size_t n = strlen(sub);
  if (n == 0 || n > 128 || strcmp(sub, "admin-queue") == 0) { /* names the actions' queue */
    return 0;
  }
  for (size_t i = 0; i < n; i++) {
    char c = sub[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          strchr("._@:-", c) != NULL)) {
      return 0;
    }
  }
  return 1;
}

/* Checks the registered and private claims of an authentic token. */
static int check_claims(const struct jwt_policy *policy, const json_t *claims, time_t now,
                        struct caller *caller, const char **reason) {
  const json_t *exp = json_object_get(claims, "exp");
  const json_t *nbf = json_object_get(claims, "nbf");
  const json_t *sub = json_object_get(claims, "sub");
  const json_t *agency = json_object_get(claims, "agency_id");
  if (!json_is_integer(exp)) {
    *reason = "the token has no exp";
  } else if ((json_int_t)now - AUTH_CLOCK_SKEW_SECONDS > json_integer_value(exp)) {
    *reason = "the token has expired";
  } else if (nbf != NULL && !json_is_integer(nbf)) {
    *reason = "the token's nbf is not a number";
  } else if (nbf != NULL && json_integer_value(nbf) > (json_int_t)now + AUTH_CLOCK_SKEW_SECONDS) {
    *reason = "the token is not valid yet";
  } else if (policy->issuer != NULL &&
             (!json_is_string(json_object_get(claims, "iss")) ||
              strcmp(json_string_value(json_object_get(claims, "iss")), policy->issuer) != 0)) {
    *reason = "the token's issuer is not accepted";
  } else if (policy->audience != NULL &&
             !audience_matches(json_object_get(claims, "aud"), policy->audience)) {
    *reason = "the token is not meant for this service";
  } else if (!json_is_string(sub) || !subject_valid(json_string_value(sub))) {
    *reason = "the token has no valid sub";
  } else if (read_roles(json_object_get(claims, "roles"), caller) != 0) {
    *reason = "the token's roles are not a list of names";
  } else if (role_set_has(caller->roles, ROLE_AGENCY) &&
             (!json_is_string(agency) || json_string_length(agency) == 0 ||
              json_string_length(agency) >= sizeof caller->agency_id)) {
    *reason = "an agency token needs an agency_id";
  } else {
    snprintf(caller->sub, sizeof caller->sub, "%s", json_string_value(sub));
    caller->valid_from = nbf != NULL ? (time_t)json_integer_value(nbf) : 0;
    caller->valid_until = (time_t)json_integer_value(exp);
    if (role_set_has(caller->roles, ROLE_AGENCY)) {
      snprintf(caller->agency_id, sizeof caller->agency_id, "%s", json_string_value(agency));
    }
    return 0;
  }
  return -1;
}

int auth_verify_token(const struct jwt_policy *policy, const char *token, time_t now,
                      struct caller *caller, const char **reason) {
  memset(caller, 0, sizeof *caller);
  if (policy->key == NULL || policy->key_length == 0) {
    *reason = "no verification key is configured";
    return -1;
  }
  if (token == NULL || token[0] == '\0' || strlen(token) > AUTH_MAX_TOKEN_LENGTH) {
    *reason = "the token is missing or too long";
    return -1;
  }
  jwt_t *jwt = NULL;
  if (jwt_decode(&jwt, token, policy->key, (int)policy->key_length) != 0 || jwt == NULL) {
    *reason = "the token's signature or format is invalid";
    return -1;
  }
  int rc = -1;
  char *grants = NULL;
  json_t *claims = NULL;
  if (jwt_get_alg(jwt) != policy->alg) {
    *reason = "the token's algorithm is not accepted";
  } else if ((grants = jwt_get_grants_json(jwt, NULL)) == NULL ||
             (claims = json_loads(grants, JSON_REJECT_DUPLICATES, NULL)) == NULL ||
             !json_is_object(claims)) {
    *reason = "the token's claims are unreadable";
  } else {
    rc = check_claims(policy, claims, now, caller, reason);
  }
  json_decref(claims);
  free(grants);
  jwt_free(jwt);
  return rc;
}

char *auth_mint_token(const unsigned char *secret, size_t secret_length, const char *sub,
                      const char *roles, const char *agency_id, const char *issuer,
                      const char *audience, time_t now, long ttl_seconds) {
  json_t *claims = json_pack("{s:s, s:[], s:I, s:I}", "sub", sub, "roles", "iat", (json_int_t)now,
                             "exp", (json_int_t)(now + ttl_seconds));
  char *list = strdup(roles);
  for (char *save = NULL, *name = strtok_r(list, ",", &save); name != NULL;
       name = strtok_r(NULL, ",", &save)) {
    json_array_append_new(json_object_get(claims, "roles"), json_string(name));
  }
  free(list);
  if (agency_id != NULL) {
    json_object_set_new(claims, "agency_id", json_string(agency_id));
  }
  if (issuer != NULL) {
    json_object_set_new(claims, "iss", json_string(issuer));
  }
  if (audience != NULL) {
    json_object_set_new(claims, "aud", json_string(audience));
  }
  char *claims_text = json_dumps(claims, JSON_COMPACT);
  json_decref(claims);
  jwt_t *jwt = NULL;
  char *token = NULL;
  if (claims_text != NULL && jwt_new(&jwt) == 0 && jwt_add_grants_json(jwt, claims_text) == 0 &&
      jwt_set_alg(jwt, JWT_ALG_HS256, secret, (int)secret_length) == 0) {
    token = jwt_encode_str(jwt);
  }
  jwt_free(jwt);
  free(claims_text);
  return token;
}
