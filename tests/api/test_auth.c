/*
 * test_auth.c - bearer-token checks: every forged, stale or misdirected JWT is refused with 401,
 * a WWW-Authenticate challenge, a problem body and a 401 row in the audit trail (R1); the RS256
 * server refuses algorithm confusion; two Authorization headers are a bad request.
 */
#include "db.h"
#include "env.h"
#include "expect.h"
#include "fixtures.h"
#include "http_client.h"
#include "suites.h"
#include "tokens.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 401 audit rows carry no sub (the caller is unknown). */
static long count_401_rows(void)
{
    return db_long("select count(*) from audit_log where status = 401 and sub is null", 0);
}

/*
 * Sends GET /v1/people to `base` (NULL: the HS256 server) with `token` (NULL: no Authorization
 * header) and checks the refusal: 401 problem, a WWW-Authenticate challenge ("Bearer" alone
 * when no token was sent, error="invalid_token" otherwise) and exactly one new 401 audit row.
 * When the server echoes the X-Request-Id we send, the row must carry it.
 */
static void expect_401(const char *base, const char *token)
{
    char request_id[FX_ID_MAX];
    char header[FX_ID_MAX + 32];
    http_request req = {0};
    http_response res;
    const char *challenge;
    const char *echoed;
    long before = count_401_rows();
    long after;

    fx_unique(request_id, sizeof request_id, "req");
    snprintf(header, sizeof header, "X-Request-Id: %s", request_id);
    req.method = "GET";
    req.base = base;
    req.path = "/v1/people";
    req.token = token;
    req.extra_header = header;
    res = http_send(&req);

    expect_problem(&res, 401, "unauthorized");
    expect_header_prefix(&res, "WWW-Authenticate", "Bearer");
    challenge = http_header(&res, "WWW-Authenticate");
    if (token == NULL)
        ck_assert_msg(strstr(challenge, "error=") == NULL,
                      "missing token must get a bare challenge, got [%s]", challenge);
    else
        ck_assert_msg(strstr(challenge, "error=\"invalid_token\"") != NULL,
                      "bad token must get error=\"invalid_token\", got [%s]", challenge);

    after = count_401_rows();
    ck_assert_msg(after - before == 1, "expected one new 401 audit row, got %ld", after - before);
    echoed = http_header(&res, "X-Request-Id");
    if (echoed != NULL && strcmp(echoed, request_id) == 0)
        ck_assert_int_eq(db_long("select count(*) from audit_log where status = 401 "
                                 "and request_id::text = $1", 1, request_id), 1);
    http_response_free(&res);
}

/* Mints `spec` and expects the HS256 server to refuse it. */
static void expect_spec_refused(const token_spec *spec)
{
    char *token = token_mint(spec);

    expect_401(NULL, token);
    free(token);
}

/* A spec for a valid admin token (the admin needs no people record). */
static token_spec admin_spec(void)
{
    return token_spec_for("auth-test-admin", "admin");
}

/* GETs /v1/people on `base` with `token` and expects 200. */
static void expect_accepted(const char *base, const char *token)
{
    http_request req = {0};
    http_response res;

    req.method = "GET";
    req.base = base;
    req.path = "/v1/people?limit=1";
    req.token = token;
    res = http_send(&req);
    EXPECT_STATUS(res, 200);
    body_items(&res);
    http_response_free(&res);
}

START_TEST(test_auth_valid_token_accepted)
{
    token_spec spec = admin_spec();
    char *token = token_mint(&spec);

    expect_accepted(NULL, token);
    free(token);
}
END_TEST

START_TEST(test_auth_within_clock_skew_accepted)
{
    token_spec spec = admin_spec();
    char *token;

    spec.exp_offset = -30;   /* expired 30 s ago: inside the 60 s skew */
    spec.has_nbf = 1;
    spec.nbf_offset = 30;    /* valid in 30 s: inside the skew too */
    token = token_mint(&spec);
    expect_accepted(NULL, token);
    free(token);
}
END_TEST

START_TEST(test_auth_missing_header_401)
{
    expect_401(NULL, NULL);
}
END_TEST

START_TEST(test_auth_expired_401)
{
    token_spec spec = admin_spec();

    spec.exp_offset = -120;
    expect_spec_refused(&spec);
}
END_TEST

START_TEST(test_auth_not_yet_valid_401)
{
    token_spec spec = admin_spec();

    spec.has_nbf = 1;
    spec.nbf_offset = 120;
    expect_spec_refused(&spec);
}
END_TEST

START_TEST(test_auth_alg_none_401)
{
    token_spec spec = admin_spec();

    spec.alg = TOKEN_NONE;
    expect_spec_refused(&spec);
}
END_TEST

START_TEST(test_auth_wrong_secret_401)
{
    static const char other[] = "an-entirely-different-secret-of-more-than-32-bytes";
    token_spec spec = admin_spec();

    spec.hs_key = (const unsigned char *)other;
    spec.hs_key_len = strlen(other);
    expect_spec_refused(&spec);
}
END_TEST

START_TEST(test_auth_tampered_payload_401)
{
    token_spec spec = admin_spec();
    char *token = token_mint_forged(&spec, "someone-else");

    expect_401(NULL, token);
    free(token);
}
END_TEST

START_TEST(test_auth_wrong_issuer_401)
{
    token_spec spec = admin_spec();

    spec.iss = "https://issuer.invalid/not-the-configured-one";
    expect_spec_refused(&spec);
}
END_TEST

START_TEST(test_auth_wrong_audience_401)
{
    token_spec spec = admin_spec();

    spec.aud_json = "\"not-the-configured-audience\"";
    expect_spec_refused(&spec);
}
END_TEST

START_TEST(test_auth_audience_array_accepted)
{
    token_spec spec = admin_spec();
    json_t *aud = json_pack("[s, s]", "some-other-audience",
                            env_require("PERMANENCE_TEST_JWT_AUDIENCE"));
    char *aud_text = json_dumps(aud, JSON_COMPACT);
    char *token;

    spec.aud_json = aud_text;
    token = token_mint(&spec);
    expect_accepted(NULL, token);
    free(token);
    free(aud_text);
    json_decref(aud);
}
END_TEST

START_TEST(test_auth_missing_sub_401)
{
    token_spec spec = admin_spec();

    spec.sub = NULL;
    expect_spec_refused(&spec);
}
END_TEST

START_TEST(test_auth_missing_exp_401)
{
    token_spec spec = admin_spec();

    spec.omit_exp = 1;
    expect_spec_refused(&spec);
}
END_TEST

START_TEST(test_auth_rs_server_accepts_rs256)
{
    token_spec spec = admin_spec();
    char *token;

    spec.alg = TOKEN_RS256;
    token = token_mint(&spec);
    expect_accepted(env_require("PERMANENCE_TEST_RS_URL"), token);
    free(token);
}
END_TEST

/*
 * Algorithm confusion: an HS256 token whose HMAC key is the server's RSA public key. Tried with
 * the PEM file's exact bytes and with trailing newlines trimmed, since a server might use either.
 */
START_TEST(test_auth_rs_server_rejects_hs256_with_public_key)
{
    size_t len = 0;
    char *pem = env_read_file(env_require("PERMANENCE_TEST_RS_PUBLIC_KEY"), &len);
    const char *rs_url = env_require("PERMANENCE_TEST_RS_URL");
    int variant;

    for (variant = 0; variant < 2; variant++) {
        token_spec spec = admin_spec();
        char *token;

        if (variant == 1) {
            while (len > 0 && (pem[len - 1] == '\n' || pem[len - 1] == '\r'))
                len--;
        }
        spec.hs_key = (const unsigned char *)pem;
        spec.hs_key_len = len;
        token = token_mint(&spec);
        expect_401(rs_url, token);
        free(token);
    }
    free(pem);
}
END_TEST

START_TEST(test_auth_hs_server_rejects_rs256)
{
    token_spec spec = admin_spec();

    spec.alg = TOKEN_RS256;
    expect_spec_refused(&spec);
}
END_TEST

START_TEST(test_auth_two_authorization_headers_400)
{
    token_spec spec = admin_spec();
    char *token = token_mint(&spec);
    char header[FX_TOKEN_MAX + 32];
    http_request req = {0};
    http_response res;

    snprintf(header, sizeof header, "Authorization: Bearer %s", token);
    req.method = "GET";
    req.path = "/v1/people";
    req.token = token;
    req.extra_header = header;
    res = http_send(&req);
    expect_problem(&res, 400, "bad-request");
    http_response_free(&res);
    free(token);
}
END_TEST

START_TEST(test_auth_no_known_role_403)
{
    token_spec spec = token_spec_for("auth-test-wizard", NULL);
    char *token;
    http_response res;

    snprintf(spec.roles_json, sizeof spec.roles_json, "[\"wizard\", \"sorcerer\"]");
    token = token_mint(&spec);
    res = http_get(token, "/v1/people");
    expect_problem(&res, 403, "forbidden");
    http_response_free(&res);
    free(token);
}
END_TEST

Suite *auth_suite(void)
{
    Suite *s = suite_create("auth");
    TCase *tc = tcase_create("jwt");

    tcase_set_timeout(tc, TEST_TIMEOUT_SECONDS);
    tcase_add_test(tc, test_auth_valid_token_accepted);
    tcase_add_test(tc, test_auth_within_clock_skew_accepted);
    tcase_add_test(tc, test_auth_missing_header_401);
    tcase_add_test(tc, test_auth_expired_401);
    tcase_add_test(tc, test_auth_not_yet_valid_401);
    tcase_add_test(tc, test_auth_alg_none_401);
    tcase_add_test(tc, test_auth_wrong_secret_401);
    tcase_add_test(tc, test_auth_tampered_payload_401);
    tcase_add_test(tc, test_auth_wrong_issuer_401);
    tcase_add_test(tc, test_auth_wrong_audience_401);
    tcase_add_test(tc, test_auth_audience_array_accepted);
    tcase_add_test(tc, test_auth_missing_sub_401);
    tcase_add_test(tc, test_auth_missing_exp_401);
    tcase_add_test(tc, test_auth_rs_server_accepts_rs256);
    tcase_add_test(tc, test_auth_rs_server_rejects_hs256_with_public_key);
    tcase_add_test(tc, test_auth_hs_server_rejects_rs256);
    tcase_add_test(tc, test_auth_two_authorization_headers_400);
    tcase_add_test(tc, test_auth_no_known_role_403);
    suite_add_tcase(s, tc);
    return s;
}
