/*
 * contract_check.c - the contract pass: which requests go through Prism, and which of its
 * findings fail a test (see contract_check.h).
 */
#include "contract_check.h"

#include "env.h"

#include <check.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool contract_pass(void)
{
    const char *flag = getenv("PERMANENCE_TEST_CONTRACT");

    return flag != NULL && flag[0] != '\0';
}

/* Whether Prism would forward `body` byte for byte: JSON without duplicate keys whose compact
 * serialisation is the body itself. A body of another content type is forwarded as text. */
static bool forwarded_as_sent(const http_request *req)
{
    const char *type = req->content_type != NULL ? req->content_type : "application/json";
    size_t len;
    json_t *doc;
    char *again;
    bool same;

    if (req->body == NULL || strstr(type, "json") == NULL)
        return true;
    len = req->body_len != 0 ? req->body_len : strlen(req->body);
    doc = json_loadb(req->body, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
    if (doc == NULL)
        return false;
    again = json_dumps(doc, JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(doc);
    same = again != NULL && strlen(again) == len && memcmp(again, req->body, len) == 0;
    free(again);
    return same;
}

/* Whether `path` is ASCII and each percent-escape in it is well formed and stands for an ASCII
 * byte: Prism decodes the path and stops (all of it, not only the request) on one that is not
 * UTF-8. */
static bool path_decodable(const char *path)
{
    for (const char *p = path; *p != '\0'; p++) {
        if ((unsigned char)*p >= 0x80)
            return false;
        if (*p == '%' && !(isxdigit((unsigned char)p[1]) && p[1] < '8' && isxdigit((unsigned char)p[2])))
            return false;
    }
    return true;
}

/* Whether `req` sends two Authorization headers: Node.js, under Prism, keeps only the first. */
static bool two_authorizations(const http_request *req, const char *const *extra)
{
    int count = req->token != NULL;

    if (req->extra_header != NULL && strncasecmp(req->extra_header, "Authorization:", 14) == 0)
        count++;
    for (size_t i = 0; extra != NULL && extra[i] != NULL; i++) {
        if (strncasecmp(extra[i], "Authorization:", 14) == 0)
            count++;
    }
    return count > 1;
}

const char *contract_base(const http_request *req, const char *const *extra)
{
    if (contract_pass() &&
        (!forwarded_as_sent(req) || !path_decodable(req->path) || two_authorizations(req, extra)))
        return env_require("PERMANENCE_TEST_DIRECT_URL");
    return env_require("PERMANENCE_TEST_URL");
}

void contract_check(const http_response *res)
{
    const char *found = http_header(res, "sl-violations");
    json_t *violations;
    size_t i;
    json_t *v;

    if (!contract_pass() || found == NULL)
        return;
    violations = json_loads(found, 0, NULL);
    /* Prism cuts a long list short ("Too many violations! ..."): that is a failure too. */
    ck_assert_msg(json_is_array(violations), "%s -> %ld: the contract check found: %s", res->what,
                  res->status, found);
    json_array_foreach(violations, i, v) {
        const char *where = json_string_value(json_array_get(json_object_get(v, "location"), 0));
        const char *message = json_string_value(json_object_get(v, "message"));
        bool response = where == NULL || strcmp(where, "response") == 0;
        /* A CORS preflight: the contract describes it in info.description, not as operations. */
        bool preflight = strncmp(res->what, "OPTIONS ", 8) == 0 && message != NULL &&
                         strcmp(message, "Selected route not found") == 0;
        bool counts = response || (res->status < 400 && !preflight);

        if (counts) {
            json_decref(violations);
            ck_abort_msg("%s -> %ld: breaks openapi.yaml: %s", res->what, res->status, found);
        }
    }
    json_decref(violations);
}
