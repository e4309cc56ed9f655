/*
 * tokens.c - JWT minting with libjwt, plus hand-built tokens libjwt will not make
 * ("alg": "none", forged payloads).
 */
#include "tokens.h"

#include "env.h"

#include <check.h>
#include <jansson.h>
#include <jwt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

token_spec token_spec_for(const char *sub, const char *role)
{
    token_spec spec;

    memset(&spec, 0, sizeof spec);
    spec.sub = sub;
    if (role != NULL)
        snprintf(spec.roles_json, sizeof spec.roles_json, "[\"%s\"]", role);
    spec.exp_offset = 600;
    spec.alg = TOKEN_HS256;
    return spec;
}

/* Parses JSON text that the tests wrote themselves; fails the test when it is not JSON. */
static json_t *parse_literal(const char *text)
{
    json_t *value = json_loads(text, JSON_DECODE_ANY, NULL);

    ck_assert_msg(value != NULL, "bad JSON literal in test: %s", text);
    return value;
}

/*
 * Builds the claims object for `spec` with `sub` as the subject (NULL: none). The caller owns
 * the result (json_decref).
 */
static json_t *build_claims(const token_spec *spec, const char *sub)
{
    json_t *claims = json_object();
    long now = (long)time(NULL);

    if (sub != NULL)
        json_object_set_new(claims, "sub", json_string(sub));
    if (spec->roles_json[0] != '\0')
        json_object_set_new(claims, "roles", parse_literal(spec->roles_json));
    if (spec->agency_id != NULL)
        json_object_set_new(claims, "agency_id", json_string(spec->agency_id));
    if (!spec->omit_exp)
        json_object_set_new(claims, "exp", json_integer(now + spec->exp_offset));
    if (spec->has_nbf)
        json_object_set_new(claims, "nbf", json_integer(now + spec->nbf_offset));
    json_object_set_new(claims, "iat", json_integer(now));
    if (spec->iss != NULL)
        json_object_set_new(claims, "iss", json_string(spec->iss));
    else
        json_object_set_new(claims, "iss", json_string(env_require("PERMANENCE_TEST_JWT_ISSUER")));
    if (spec->aud_json != NULL)
        json_object_set_new(claims, "aud", parse_literal(spec->aud_json));
    else
        json_object_set_new(claims, "aud",
                            json_string(env_require("PERMANENCE_TEST_JWT_AUDIENCE")));
    return claims;
}

/* Base64url (no padding) of `len` bytes. The caller frees the result. */
static char *base64url(const unsigned char *data, size_t len)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char *out = malloc(len / 3 * 4 + 5);
    size_t i;
    size_t o = 0;

    ck_assert_msg(out != NULL, "out of memory");
    for (i = 0; i + 2 < len; i += 3) {
        unsigned long v = ((unsigned long)data[i] << 16) | ((unsigned long)data[i + 1] << 8) |
                          data[i + 2];
        out[o++] = alphabet[(v >> 18) & 63];
        out[o++] = alphabet[(v >> 12) & 63];
        out[o++] = alphabet[(v >> 6) & 63];
        out[o++] = alphabet[v & 63];
    }
    if (len - i == 1) {
        unsigned long v = (unsigned long)data[i] << 16;
        out[o++] = alphabet[(v >> 18) & 63];
        out[o++] = alphabet[(v >> 12) & 63];
    } else if (len - i == 2) {
        unsigned long v = ((unsigned long)data[i] << 16) | ((unsigned long)data[i + 1] << 8);
        out[o++] = alphabet[(v >> 18) & 63];
        out[o++] = alphabet[(v >> 12) & 63];
        out[o++] = alphabet[(v >> 6) & 63];
    }
    out[o] = '\0';
    return out;
}

/* Base64url of the compact serialisation of `value`. The caller frees the result. */
static char *base64url_json(const json_t *value)
{
    char *text = json_dumps(value, JSON_COMPACT);
    char *encoded;

    ck_assert_msg(text != NULL, "json_dumps failed");
    encoded = base64url((const unsigned char *)text, strlen(text));
    free(text);
    return encoded;
}

/* "<header>.<payload>." with "alg": "none". The caller frees the result. */
static char *mint_unsigned(const json_t *claims)
{
    json_t *header = json_pack("{s:s, s:s}", "alg", "none", "typ", "JWT");
    char *h = base64url_json(header);
    char *p = base64url_json(claims);
    size_t size = strlen(h) + strlen(p) + 3;
    char *token = malloc(size);

    ck_assert_msg(token != NULL, "out of memory");
    snprintf(token, size, "%s.%s.", h, p);
    free(h);
    free(p);
    json_decref(header);
    return token;
}

/* Signs `claims` with libjwt as `spec` says. The caller frees the result. */
static char *mint_signed(const token_spec *spec, const json_t *claims)
{
    jwt_t *jwt = NULL;
    char *claims_text = json_dumps(claims, JSON_COMPACT);
    unsigned char *key = NULL;
    size_t key_len = 0;
    jwt_alg_t alg = JWT_ALG_HS256;
    char *encoded;
    char *token;

    ck_assert_msg(claims_text != NULL, "json_dumps failed");
    if (spec->alg == TOKEN_RS256) {
        key = (unsigned char *)env_read_file(env_require("PERMANENCE_TEST_RS_PRIVATE_KEY"),
                                             &key_len);
        alg = JWT_ALG_RS256;
    } else {
        const unsigned char *src = spec->hs_key;

        key_len = spec->hs_key_len;
        if (src == NULL) {
            src = (const unsigned char *)env_require("PERMANENCE_TEST_JWT_SECRET");
            key_len = strlen((const char *)src);
        }
        key = malloc(key_len + 1);
        ck_assert_msg(key != NULL, "out of memory");
        memcpy(key, src, key_len);
    }

    ck_assert_msg(jwt_new(&jwt) == 0, "jwt_new failed");
    ck_assert_msg(jwt_add_grants_json(jwt, claims_text) == 0, "jwt_add_grants_json failed");
    ck_assert_msg(jwt_set_alg(jwt, alg, key, (int)key_len) == 0, "jwt_set_alg failed");
    encoded = jwt_encode_str(jwt);
    ck_assert_msg(encoded != NULL, "jwt_encode_str failed");
    token = strdup(encoded);
    ck_assert_msg(token != NULL, "out of memory");

    free(encoded);
    jwt_free(jwt);
    free(key);
    free(claims_text);
    return token;
}

/* Mints a token for `spec` whose subject is `sub`. The caller frees the result. */
static char *mint_with_sub(const token_spec *spec, const char *sub)
{
    json_t *claims = build_claims(spec, sub);
    char *token;

    if (spec->alg == TOKEN_NONE)
        token = mint_unsigned(claims);
    else
        token = mint_signed(spec, claims);
    json_decref(claims);
    return token;
}

char *token_mint(const token_spec *spec)
{
    return mint_with_sub(spec, spec->sub);
}

char *token_mint_forged(const token_spec *spec, const char *forged_sub)
{
    char *genuine = token_mint(spec);
    char *first_dot = strchr(genuine, '.');
    char *last_dot = strrchr(genuine, '.');
    json_t *claims = build_claims(spec, forged_sub);
    char *payload = base64url_json(claims);
    size_t size;
    char *forged;

    ck_assert_msg(first_dot != NULL && last_dot != first_dot, "token has no three parts");
    size = (size_t)(first_dot - genuine) + strlen(payload) + strlen(last_dot) + 2;
    forged = malloc(size);
    ck_assert_msg(forged != NULL, "out of memory");
    snprintf(forged, size, "%.*s.%s%s", (int)(first_dot - genuine), genuine, payload, last_dot);

    free(payload);
    json_decref(claims);
    free(genuine);
    return forged;
}

void token_mint_into(const token_spec *spec, char *out, size_t size)
{
    char *token = token_mint(spec);

    ck_assert_msg(strlen(token) < size, "token too long for its buffer");
    memcpy(out, token, strlen(token) + 1);
    free(token);
}
