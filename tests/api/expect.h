/*
 * expect.h - assertions shared by the API tests: status codes, problem documents, JSON fields.
 * Each one fails the current test with a message naming the request and quoting the body.
 */
#ifndef API_TEST_EXPECT_H
#define API_TEST_EXPECT_H

#include "http_client.h"

#include <check.h>
#include <jansson.h>

/* Fails the test unless `res` (an http_response) has status `code`. */
#define EXPECT_STATUS(res, code)                                                          \
    ck_assert_msg((res).status == (code),                                                 \
                  "%s: expected status %d, got %ld (curl %d); body: %.600s", (res).what, \
                  (int)(code), (res).status, (res).curl_code, (res).body)

/*
 * Checks an RFC 9457 problem: HTTP status `status`, Content-Type application/problem+json, and a
 * body whose "type" ends with "/problems/<slug>" and whose "status" member equals `status`.
 */
void expect_problem(const http_response *res, int status, const char *slug);

/* Checks that the problem's "errors" list has an entry whose "field" equals `field`. */
void expect_error_field(const http_response *res, const char *field);

/* Checks that the problem's "errors" list has an entry whose "field" contains `part`. */
void expect_error_field_like(const http_response *res, const char *part);

/* Checks that header `name` exists and equals `value` exactly. */
void expect_header(const http_response *res, const char *name, const char *value);

/* Checks that header `name` exists and starts with `prefix`. */
void expect_header_prefix(const http_response *res, const char *name, const char *prefix);

/* Checks that `res` has a JSON object body whose member `key` is the string `value`. */
void expect_json_string(const http_response *res, const char *key, const char *value);

/* Checks that `res` has a JSON object body whose member `key` is the integer `value`. */
void expect_json_int(const http_response *res, const char *key, long value);

/* Checks `Location` ends with `suffix` ("/v1/children/<id>"; an absolute URL is accepted). */
void expect_location(const http_response *res, const char *suffix);

/*
 * Returns the string member `key` of the JSON object body, failing the test when it is missing
 * or not a string. The string lives as long as the response.
 */
const char *body_string(const http_response *res, const char *key);

/* Returns the "items" array of a list answer, failing the test when there is none (borrowed). */
json_t *body_items(const http_response *res);

/* Returns non-zero when the string member `key` of `obj` equals `value`. */
int json_member_is(const json_t *obj, const char *key, const char *value);

/* Returns non-zero when some element of `items` has string member `key` equal to `value`. */
int items_contain(const json_t *items, const char *key, const char *value);

/* Returns non-zero when `s` looks like a canonical UUID (8-4-4-4-12 hex digits). */
int is_uuid(const char *s);

#endif
