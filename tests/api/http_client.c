/*
 * http_client.c - libcurl wrapper used by every API test (see http_client.h).
 */
#include "http_client.h"

#include "contract_check.h"
#include "env.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Growing buffer that receives the body. */
typedef struct body_buffer {
    char *data;
    size_t len;
} body_buffer;

static size_t on_body(char *chunk, size_t size, size_t nmemb, void *userdata)
{
    body_buffer *buf = userdata;
    size_t n = size * nmemb;
    char *bigger = realloc(buf->data, buf->len + n + 1);

    if (bigger == NULL)
        return 0;
    memcpy(bigger + buf->len, chunk, n);
    buf->data = bigger;
    buf->len += n;
    buf->data[buf->len] = '\0';
    return n;
}

/*
 * Keeps the header lines of the last response only: a status line ("HTTP/...") starts a new
 * response (after a 100 Continue, say), so the lines collected so far are dropped.
 */
static size_t on_header(char *chunk, size_t size, size_t nmemb, void *userdata)
{
    struct curl_slist **headers = userdata;
    size_t n = size * nmemb;
    size_t len = n;
    char *line;

    while (len > 0 && (chunk[len - 1] == '\r' || chunk[len - 1] == '\n'))
        len--;
    if (len == 0)
        return n;
    line = strndup(chunk, len);
    if (line == NULL)
        return 0;
    if (strncmp(line, "HTTP/", 5) == 0) {
        curl_slist_free_all(*headers);
        *headers = NULL;
    }
    *headers = curl_slist_append(*headers, line);
    free(line);
    return n;
}

/* Adds "Name: value" to `list`, formatted; returns the new list. */
static struct curl_slist *add_header(struct curl_slist *list, const char *name, const char *value)
{
    char line[8192];

    snprintf(line, sizeof line, "%s: %s", name, value);
    return curl_slist_append(list, line);
}

/* Builds the request header list for `req`; the caller frees it with curl_slist_free_all. */
static struct curl_slist *request_headers(const http_request *req)
{
    struct curl_slist *list = NULL;

    /* No "Expect: 100-continue" dance: the body goes out at once, whatever its size. */
    list = curl_slist_append(list, "Expect:");
    list = add_header(list, "Accept", "application/json, application/problem+json, */*");
    if (req->token != NULL) {
        char value[8000];

        snprintf(value, sizeof value, "Bearer %s", req->token);
        list = add_header(list, "Authorization", value);
    }
    if (req->body != NULL)
        list = add_header(list, "Content-Type",
                          req->content_type != NULL ? req->content_type : "application/json");
    if (req->if_match != NULL)
        list = add_header(list, "If-Match", req->if_match);
    if (req->extra_header != NULL)
        list = curl_slist_append(list, req->extra_header);
    return list;
}

struct http_session {
    CURL *curl;
};

/* Sends `req` with the extra header lines `extra` on `curl`, which stays open afterwards. */
static http_response perform_on(CURL *curl, const http_request *req, const char *const *extra)
{
    http_response res;
    body_buffer body = {NULL, 0};
    const char *base = req->base != NULL ? req->base : contract_base(req, extra);
    char url[4096];
    struct curl_slist *headers = request_headers(req);

    for (size_t i = 0; extra != NULL && extra[i] != NULL; i++)
        headers = curl_slist_append(headers, extra[i]);
    curl_easy_reset(curl); /* forgets the last request's options, keeps its connection */
    memset(&res, 0, sizeof res);
    snprintf(url, sizeof url, "%s%s", base, req->path);
    snprintf(res.what, sizeof res.what, "%.16s %.480s", req->method, url);

    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, req->method);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT,
                     req->timeout_seconds > 0 ? req->timeout_seconds : HTTP_TIMEOUT_SECONDS);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, HTTP_TIMEOUT_SECONDS);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &res.headers);
    if (strcmp(req->method, "HEAD") == 0)
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    if (req->body != NULL) {
        size_t len = req->body_len != 0 ? req->body_len : strlen(req->body);

        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, req->body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    }

    res.curl_code = (int)curl_easy_perform(curl);
    /* A server may answer (413, say) before reading the whole body: keep the status it sent. */
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &res.status);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, NULL); /* the list is freed here */
    curl_slist_free_all(headers);

    res.body = body.data != NULL ? body.data : strdup("");
    ck_assert_msg(res.body != NULL, "out of memory");
    res.body_len = body.len;
    if (res.body_len > 0)
        res.json = json_loadb(res.body, res.body_len, JSON_DECODE_ANY, NULL);
    contract_check(&res);
    return res;
}

http_response http_send(const http_request *req)
{
    CURL *curl = curl_easy_init();
    http_response res;

    ck_assert_msg(curl != NULL, "curl_easy_init failed");
    res = perform_on(curl, req, NULL);
    curl_easy_cleanup(curl);
    return res;
}

http_response http_send_headers(const http_request *req, const char *const *headers)
{
    http_session *session = http_session_open();
    http_response res = http_session_send(session, req, headers);

    http_session_close(session);
    return res;
}

http_session *http_session_open(void)
{
    http_session *session = calloc(1, sizeof *session);

    ck_assert_msg(session != NULL, "out of memory");
    session->curl = curl_easy_init();
    ck_assert_msg(session->curl != NULL, "curl_easy_init failed");
    return session;
}

http_response http_session_send(http_session *session, const http_request *req,
                                const char *const *headers)
{
    return perform_on(session->curl, req, headers);
}

void http_session_close(http_session *session)
{
    if (session == NULL)
        return;
    curl_easy_cleanup(session->curl);
    free(session);
}

/* Formats a path into `out`; fails the test when it does not fit. */
static void format_path(char *out, size_t size, const char *fmt, va_list ap)
{
    int n = vsnprintf(out, size, fmt, ap);

    ck_assert_msg(n >= 0 && (size_t)n < size, "request path too long");
}

http_response http_get(const char *token, const char *fmt, ...)
{
    char path[4096];
    http_request req = {0};
    va_list ap;

    va_start(ap, fmt);
    format_path(path, sizeof path, fmt, ap);
    va_end(ap);
    req.method = "GET";
    req.path = path;
    req.token = token;
    return http_send(&req);
}

/* Serialises `body`, drops the caller's reference, and sends it with `req`. */
static http_response send_json(http_request *req, json_t *body)
{
    char *text;
    http_response res;

    ck_assert_msg(body != NULL, "request body was not built (json_pack failed?)");
    text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    ck_assert_msg(text != NULL, "json_dumps failed");
    req->body = text;
    res = http_send(req);
    free(text);
    return res;
}

/* Sends `body` (stolen) with `req`'s method, token, If-Match and content type to the path
 * formatted from `fmt` and `ap`. */
static http_response send_json_to(http_request *req, json_t *body, const char *fmt, va_list ap)
{
    char path[4096];

    format_path(path, sizeof path, fmt, ap);
    req->path = path;
    return send_json(req, body);
}

http_response http_post(const char *token, json_t *body, const char *fmt, ...)
{
    http_request req = {.method = "POST", .token = token};
    http_response res;
    va_list ap;

    va_start(ap, fmt);
    res = send_json_to(&req, body, fmt, ap);
    va_end(ap);
    return res;
}

http_response http_post_if_match(const char *token, const char *if_match, json_t *body,
                                 const char *fmt, ...)
{
    http_request req = {.method = "POST", .token = token, .if_match = if_match};
    http_response res;
    va_list ap;

    va_start(ap, fmt);
    res = send_json_to(&req, body, fmt, ap);
    va_end(ap);
    return res;
}

http_response http_patch(const char *token, const char *if_match, json_t *body,
                         const char *fmt, ...)
{
    http_request req = {.method = "PATCH", .token = token, .if_match = if_match,
                        .content_type = "application/merge-patch+json"};
    http_response res;
    va_list ap;

    va_start(ap, fmt);
    res = send_json_to(&req, body, fmt, ap);
    va_end(ap);
    return res;
}

const char *http_header(const http_response *res, const char *name)
{
    size_t name_len = strlen(name);
    const struct curl_slist *h;

    for (h = res->headers; h != NULL; h = h->next) {
        const char *line = h->data;

        if (strncasecmp(line, name, name_len) == 0 && line[name_len] == ':') {
            const char *value = line + name_len + 1;

            while (*value == ' ' || *value == '\t')
                value++;
            return value;
        }
    }
    return NULL;
}

char *http_escape(const char *s)
{
    char *escaped = curl_easy_escape(NULL, s, 0);
    char *copy;

    ck_assert_msg(escaped != NULL, "curl_easy_escape failed");
    copy = strdup(escaped);
    curl_free(escaped);
    ck_assert_msg(copy != NULL, "out of memory");
    return copy;
}

void http_response_free(http_response *res)
{
    free(res->body);
    curl_slist_free_all(res->headers);
    json_decref(res->json);
    memset(res, 0, sizeof *res);
}
