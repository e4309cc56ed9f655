/*
 * expect.c - shared assertions of the API tests (see expect.h).
 */
#include "expect.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

void expect_problem(const http_response *res, int status, const char *slug)
{
    const char *type;
    char suffix[128];
    size_t type_len;
    size_t suffix_len;
    json_t *status_member;

    EXPECT_STATUS(*res, status);
    expect_header_prefix(res, "Content-Type", "application/problem+json");
    ck_assert_msg(json_is_object(res->json), "%s: problem body is not a JSON object: %.300s",
                  res->what, res->body);
    type = json_string_value(json_object_get(res->json, "type"));
    snprintf(suffix, sizeof suffix, "/problems/%s", slug);
    ck_assert_msg(type != NULL, "%s: problem has no type: %.300s", res->what, res->body);
    type_len = strlen(type);
    suffix_len = strlen(suffix);
    ck_assert_msg(type_len >= suffix_len && strcmp(type + type_len - suffix_len, suffix) == 0,
                  "%s: problem type %s does not end with %s", res->what, type, suffix);
    status_member = json_object_get(res->json, "status");
    ck_assert_msg(json_is_integer(status_member) && json_integer_value(status_member) == status,
                  "%s: problem status member is not %d: %.300s", res->what, status, res->body);
    ck_assert_msg(json_is_string(json_object_get(res->json, "title")),
                  "%s: problem has no title: %.300s", res->what, res->body);
}

/* Returns non-zero when an entry of the problem's errors list has a field matching. */
static int errors_have(const http_response *res, const char *text, int exact)
{
    json_t *errors = json_object_get(res->json, "errors");
    size_t i;
    json_t *entry;

    ck_assert_msg(json_is_array(errors), "%s: problem has no errors list: %.600s", res->what,
                  res->body);
    json_array_foreach(errors, i, entry) {
        const char *field = json_string_value(json_object_get(entry, "field"));

        if (field == NULL)
            continue;
        if (exact ? strcmp(field, text) == 0 : strstr(field, text) != NULL)
            return 1;
    }
    return 0;
}

void expect_error_field(const http_response *res, const char *field)
{
    ck_assert_msg(errors_have(res, field, 1), "%s: errors do not name field %s: %.600s",
                  res->what, field, res->body);
}

void expect_error_field_like(const http_response *res, const char *part)
{
    ck_assert_msg(errors_have(res, part, 0), "%s: no errors field contains %s: %.600s",
                  res->what, part, res->body);
}

void expect_header(const http_response *res, const char *name, const char *value)
{
    const char *actual = http_header(res, name);

    ck_assert_msg(actual != NULL, "%s: no %s header", res->what, name);
    ck_assert_msg(strcmp(actual, value) == 0, "%s: header %s is [%s], expected [%s]", res->what,
                  name, actual, value);
}

void expect_header_prefix(const http_response *res, const char *name, const char *prefix)
{
    const char *actual = http_header(res, name);

    ck_assert_msg(actual != NULL, "%s: no %s header", res->what, name);
    ck_assert_msg(strncasecmp(actual, prefix, strlen(prefix)) == 0,
                  "%s: header %s is [%s], expected it to start with [%s]", res->what, name,
                  actual, prefix);
}

void expect_json_string(const http_response *res, const char *key, const char *value)
{
    const char *actual = body_string(res, key);

    ck_assert_msg(strcmp(actual, value) == 0, "%s: %s is [%s], expected [%s]", res->what, key,
                  actual, value);
}

void expect_json_int(const http_response *res, const char *key, long value)
{
    json_t *member = json_object_get(res->json, key);

    ck_assert_msg(json_is_integer(member), "%s: %s is not an integer: %.400s", res->what, key,
                  res->body);
    ck_assert_msg(json_integer_value(member) == value, "%s: %s is %lld, expected %ld", res->what,
                  key, (long long)json_integer_value(member), value);
}

void expect_location(const http_response *res, const char *suffix)
{
    const char *location = http_header(res, "Location");
    size_t len;

    ck_assert_msg(location != NULL, "%s: no Location header", res->what);
    len = strlen(location);
    ck_assert_msg(len >= strlen(suffix) && strcmp(location + len - strlen(suffix), suffix) == 0,
                  "%s: Location [%s] does not end with [%s]", res->what, location, suffix);
}

const char *body_string(const http_response *res, const char *key)
{
    const char *value = json_string_value(json_object_get(res->json, key));

    ck_assert_msg(value != NULL, "%s: body has no string %s: %.400s", res->what, key, res->body);
    return value;
}

json_t *body_items(const http_response *res)
{
    json_t *items = json_object_get(res->json, "items");

    ck_assert_msg(json_is_array(items), "%s: body has no items array: %.400s", res->what,
                  res->body);
    ck_assert_msg(json_object_get(res->json, "next") != NULL,
                  "%s: list body has no next member: %.400s", res->what, res->body);
    return items;
}

int json_member_is(const json_t *obj, const char *key, const char *value)
{
    const char *actual = json_string_value(json_object_get(obj, key));

    return actual != NULL && strcmp(actual, value) == 0;
}

int items_contain(const json_t *items, const char *key, const char *value)
{
    size_t i;
    json_t *item;

    json_array_foreach(items, i, item) {
        if (json_member_is(item, key, value))
            return 1;
    }
    return 0;
}

int is_uuid(const char *s)
{
    size_t i;

    if (s == NULL || strlen(s) != 36)
        return 0;
    for (i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return 0;
        } else if (!isxdigit((unsigned char)s[i])) {
            return 0;
        }
    }
    return 1;
}
